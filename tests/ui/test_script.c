/* script: the scripted-input parser (ui/script.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <SDL.h>

#include "ui/script.h"

static void test_good_script(void **state)
{
    (void)state;
    const char *text = "\xEF\xBB\xBF# comment\n"
                       "\n"
                       "key Return\r\n"
                       "  key KP_Multiply\n"
                       "key F12\n"
                       "text 12 34 \n"
                       "scan 6953822000175\n"
                       "weight 512\n"
                       "wait 20\n"
                       "screenshot 01-basket\n"
                       "expect-message 商品不存在: 690\n"
                       "expect-total 9999\n"
                       "quit";
    script s;
    char err[256] = "";
    assert_true(script_parse("t.txt", text, &s, err, sizeof err));
    assert_int_equal(s.n, 11);
    assert_int_equal(s.cmds[0].op, SCRIPT_KEY);
    assert_int_equal(s.cmds[0].line, 3);
    assert_int_not_equal(s.cmds[0].keycode, 0);
    assert_int_equal(s.cmds[1].op, SCRIPT_KEY);
    assert_int_equal(s.cmds[1].keycode, SDLK_KP_MULTIPLY);
    assert_int_equal(s.cmds[3].op, SCRIPT_TEXT);
    assert_string_equal(s.cmds[3].arg, "12 34");   /* inner blanks kept, trailing trimmed */
    assert_int_equal(s.cmds[4].op, SCRIPT_SCAN);
    assert_string_equal(s.cmds[4].arg, "6953822000175");
    assert_int_equal(s.cmds[5].number, 512);
    assert_int_equal(s.cmds[6].number, 20);
    assert_string_equal(s.cmds[7].arg, "01-basket");
    assert_string_equal(s.cmds[8].arg, "商品不存在: 690");
    assert_int_equal(s.cmds[9].number, 9999);
    assert_int_equal(s.cmds[9].op, SCRIPT_EXPECT_TOTAL);
    assert_int_equal(s.cmds[9].line, 12);
    assert_int_equal(s.cmds[10].op, SCRIPT_QUIT);
    assert_int_equal(s.cmds[10].line, 13);
    script_free(&s);
}

static void expect_error(const char *text, const char *want)
{
    script s;
    char err[256] = "";
    assert_false(script_parse("bad.txt", text, &s, err, sizeof err));
    if (!strstr(err, want)) {
        fail_msg("error \"%s\" does not contain \"%s\"", err, want);
    }
    assert_null(s.cmds);
    assert_int_equal(s.n, 0);
}

static void test_bad_lines(void **state)
{
    (void)state;
    expect_error("key Return\nfrobnicate 3\n", "bad.txt:2: unknown command 'frobnicate'");
    expect_error("# x\n\nkey NoSuchKey\n", "bad.txt:3: unknown key 'NoSuchKey'");
    expect_error("key\n", "bad.txt:1: key needs an argument");
    expect_error("quit now\n", "bad.txt:1: quit takes no argument");
    expect_error("wait soon\n", "bad.txt:1: wait needs milliseconds");
    expect_error("wait -5\n", "bad.txt:1: wait needs milliseconds");
    expect_error("weight 1.5\n", "bad.txt:1: weight needs whole grams");
    expect_error("expect-total 12.50\n", "bad.txt:1: expect-total needs integer fen");
    expect_error("screenshot ../etc/x\n", "bad.txt:1: screenshot name");
    expect_error("screenshot .hidden\n", "bad.txt:1: screenshot name");
    expect_error("scan 6953 822\n", "bad.txt:1: scan code must be printable");
    char longline[600];
    memset(longline, 'a', sizeof longline - 1);
    memcpy(longline, "text ", 5);
    longline[sizeof longline - 1] = '\0';
    expect_error(longline, "bad.txt:1: line too long");
}

/* The script shipped for the end-to-end UI test must parse. */
static void test_shipped_script_parses(void **state)
{
    (void)state;
    static char text[1 << 16];
    FILE *f = fopen(FUPIN_SOURCE_DIR "/tests/ui/scripts/cash_sale.txt", "rb");
    assert_non_null(f);
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    assert_true(n > 0 && n < sizeof text - 1);
    text[n] = '\0';
    script s;
    char err[256] = "";
    if (!script_parse("cash_sale.txt", text, &s, err, sizeof err)) {
        fail_msg("%s", err);
    }
    assert_true(s.n > 10);
    assert_int_equal(s.cmds[s.n - 1].op, SCRIPT_QUIT);
    script_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_script),
        cmocka_unit_test(test_bad_lines),
        cmocka_unit_test(test_shipped_script_parses),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
