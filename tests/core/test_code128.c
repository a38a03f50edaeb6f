/* code128: the bars of known symbols (ISO/IEC 15417 widths), the code sets chosen as the
 * ESC/POS executor chooses them, the mod-103 check, and a buffer too small.  The whole
 * symbol of a receipt number is decoded by zbarimg from the PNG preview (cli/receipt_png). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "pos/core/code128.h"

/* Widths (bar, space, ...) as modules: "211214" -> 11 0 1111 ... */
static size_t widths(const char *w, uint8_t *m)
{
    size_t n = 0;
    int bar = 1;
    for (; *w; w++, bar = !bar)
        for (int i = 0; i < *w - '0'; i++)
            m[n++] = (uint8_t)bar;
    return n;
}

static void expect(const char *text, const char *const *symbols)
{
    uint8_t want[512], got[512];
    size_t n = 0;
    for (; *symbols; symbols++)
        n += widths(*symbols, want + n);
    assert_int_equal(code128_modules(text, got, sizeof got), n);
    assert_memory_equal(got, want, n);
}

static void test_set_b(void **state)
{
    (void)state;
    /* Start B (104), 'A' = 33, check (104 + 33) % 103 = 34, stop. */
    const char *s[] = {"211214", "111323", "131123", "2331112", NULL};
    expect("A", s);
}

static void test_set_c_for_four_digits(void **state)
{
    (void)state;
    /* Start C (105), 12, 34, check (105 + 12 + 2 * 34) % 103 = 82, stop. */
    const char *s[] = {"211232", "112232", "131123", "121241", "2331112", NULL};
    expect("1234", s);
}

static void test_switches(void **state)
{
    (void)state;
    /* "A1234": start B, 'A' 33, Code C (99), 12, 34; check (104 + 33 + 2*99 + 3*12 + 4*34)
     * % 103 = 507 % 103 = 95. */
    const char *s[] = {"211214", "111323", "113141", "112232", "131123", "114113", "2331112",
                       NULL};
    expect("A1234", s);
    /* Three digits stay in B: start B, '1' 17, '2' 18, '3' 19; check (104+17+36+57) % 103 = 8. */
    const char *t[] = {"211214", "123221", "223211", "221132", "132212", "2331112", NULL};
    expect("123", t);
}

static void test_refusals(void **state)
{
    (void)state;
    uint8_t m[64];
    assert_int_equal(code128_modules("", m, sizeof m), 0);
    assert_int_equal(code128_modules(NULL, m, sizeof m), 0);
    assert_int_equal(code128_modules("YR01-1-20261016-0001", m, sizeof m), 0);   /* too small */
    uint8_t big[512];
    size_t n = code128_modules("YR01-1-20261016-0001", big, sizeof big);
    assert_true(n > 0 && (n - 13) % 11 == 0);
    assert_int_equal(big[0], 1);
    assert_int_equal(big[n - 1], 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_set_b),
        cmocka_unit_test(test_set_c_for_four_digits),
        cmocka_unit_test(test_switches),
        cmocka_unit_test(test_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
