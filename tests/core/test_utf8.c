/* test_utf8: the one UTF-8 check (pos/core/utf8.h) -- text fields (no control characters)
 * and whole buffers (newlines allowed, the first bad sequence's offset reported): overlongs,
 * surrogates, code points past U+10FFFF, stray continuation bytes and cut-short sequences are
 * refused; every valid length is taken. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "pos/core/utf8.h"

static void test_text(void **state)
{
    (void)state;
    assert_true(utf8_text_valid(""));
    assert_true(utf8_text_valid("abc"));
    assert_true(utf8_text_valid("永仁软籽石榴 ¥8.80 \xf0\x9f\x8d\x8e"));   /* 1 to 4 bytes */
    assert_false(utf8_text_valid("a\tb"));                  /* control characters */
    assert_false(utf8_text_valid("a\nb"));
    assert_false(utf8_text_valid("a\x7f"));
    assert_false(utf8_text_valid("\xc0\xaf"));              /* overlong '/' */
    assert_false(utf8_text_valid("\xe0\x80\xaf"));
    assert_false(utf8_text_valid("\xed\xa0\x80"));          /* surrogate U+D800 */
    assert_false(utf8_text_valid("\xf4\x90\x80\x80"));      /* U+110000 */
    assert_false(utf8_text_valid("\x80"));                  /* stray continuation */
    assert_false(utf8_text_valid("\xe6\xb0"));              /* cut short by the end */
    assert_false(utf8_text_valid("\xe6\xb0x"));
    assert_false(utf8_text_valid("\xf8\x88\x80\x80\x80"));  /* 5-byte form */
    assert_true(utf8_text_valid("\xf4\x8f\xbf\xbf"));       /* U+10FFFF */
}

static void test_buffer(void **state)
{
    (void)state;
    size_t bad = 99;
    const char ok[] = "sku,name\nP1,石榴\r\n";
    assert_true(utf8_buffer_valid(ok, sizeof ok - 1, &bad));
    assert_int_equal(bad, 99);                               /* untouched when valid */
    const char lone[] = "ab\n\xe6\xb0\x80\xe6\xb0";             /* cut short at the end */
    assert_false(utf8_buffer_valid(lone, sizeof lone - 1, &bad));
    assert_int_equal(bad, 6);
    const char mid[] = "P1,\xff,x";
    assert_false(utf8_buffer_valid(mid, sizeof mid - 1, &bad));
    assert_int_equal(bad, 3);
    /* the length bounds the check, not a NUL: a NUL inside is a byte like any other */
    const char nul[] = "a\0b";
    assert_true(utf8_buffer_valid(nul, 3, NULL));
    /* a sequence may not run past len even when the bytes after it would complete it */
    const char cut[] = "\xe6\xb0\x80";
    assert_false(utf8_buffer_valid(cut, 2, &bad));
    assert_int_equal(bad, 0);
    assert_true(utf8_buffer_valid(cut, 3, NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text),
        cmocka_unit_test(test_buffer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
