/* font: the CJK font lookup and its failure path (ui/font.h, ui_screen_create). */
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
#include "ui/screen.h"

/* The font check comes before the display and the database: neither is needed here.  (The
 * app's exit code 3 for it is tests/cli/ui_font.sh's.) */
static void test_missing_font_path_refused(void **state)
{
    (void)state;
    ui_screen_options o = {
        .windowed = true,
        .font_path = FUPIN_TEST_TMP "/no-such-font.ttf",
        .assets_dir = "/nonexistent-assets",
    };
    char out[2048] = "";
    ui_screen *s = ui_screen_create(&o, out, sizeof out);
    assert_null(s);
    if (!strstr(out, "no Chinese font found") || !strstr(out, "fonts-noto-cjk") ||
        !strstr(out, "no-such-font.ttf")) {
        fail_msg("unexpected message: %s", out);
    }
}

static void test_not_a_font_refused(void **state)
{
    (void)state;
    /* A file that exists but is no font (this test's own source). */
    ui_screen_options o = {
        .windowed = true,
        .font_path = FUPIN_SOURCE_DIR "/tests/ui/test_font.c",
        .assets_dir = "/nonexistent-assets",
    };
    char out[2048] = "";
    assert_null(ui_screen_create(&o, out, sizeof out));
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
        cmocka_unit_test(test_missing_font_path_refused),
        cmocka_unit_test(test_not_a_font_refused),
        cmocka_unit_test(test_system_lookup_finds_cjk),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
