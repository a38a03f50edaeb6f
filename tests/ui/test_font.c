/* font: the CJK font lookup and its failure path (ui/font.h, ui_run). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "ui/font.h"
#include "ui/ui.h"

/* Run ui_run with stderr captured to a file; returns its exit code and the text. */
static int run_capturing(const ui_options *o, char *out, size_t cap)
{
    const char *path = FUPIN_TEST_TMP "/ui_font_stderr.txt";
    fflush(stderr);
    int saved = dup(STDERR_FILENO);
    FILE *f = fopen(path, "w+");
    assert_non_null(f);
    dup2(fileno(f), STDERR_FILENO);
    int rc = ui_run(o);
    fflush(stderr);
    dup2(saved, STDERR_FILENO);
    close(saved);
    rewind(f);
    size_t n = fread(out, 1, cap - 1, f);
    out[n] = '\0';
    fclose(f);
    return rc;
}

static void test_missing_font_path_exits_3(void **state)
{
    (void)state;
    /* The font check comes before the display and the database: neither is needed here. */
    ui_options o = {
        .db_path = FUPIN_TEST_TMP "/ui_font_no.db",
        .windowed = true,
        .lang = "zh",
        .font_path = FUPIN_TEST_TMP "/no-such-font.ttf",
    };
    char out[2048];
    int rc = run_capturing(&o, out, sizeof out);
    assert_int_equal(rc, 3);
    if (!strstr(out, "no Chinese font found") || !strstr(out, "fonts-noto-cjk") ||
        !strstr(out, "no-such-font.ttf")) {
        fail_msg("unexpected message: %s", out);
    }
}

static void test_not_a_font_exits_3(void **state)
{
    (void)state;
    /* A file that exists but is no font (this test's own source). */
    ui_options o = {
        .db_path = FUPIN_TEST_TMP "/ui_font_no.db",
        .windowed = true,
        .font_path = FUPIN_SOURCE_DIR "/tests/ui/test_font.c",
    };
    char out[2048];
    assert_int_equal(run_capturing(&o, out, sizeof out), 3);
    assert_non_null(strstr(out, "no Chinese font found"));
}

static void test_system_lookup_finds_cjk(void **state)
{
    (void)state;
    font_file reg, bold;
    bool have_bold = false;
    char err[512] = "";
    /* fonts-noto-cjk is a build dependency of the app; without it this lookup must fail with
     * the fix in the message instead. */
    if (!font_locate(NULL, "/nonexistent-assets", &reg, &bold, &have_bold, err, sizeof err)) {
        assert_non_null(strstr(err, "fonts-noto-cjk"));
        skip();
    }
    assert_true(reg.path[0] != '\0');
    assert_true(reg.index >= 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_missing_font_path_exits_3),
        cmocka_unit_test(test_not_a_font_exits_3),
        cmocka_unit_test(test_system_lookup_finds_cjk),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
