/* mask: the public board's masked names, phones and cards. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "pos/core/mask.h"

static const char *name_of(const char *in)
{
    static char out[MASK_CAP];
    assert_true(mask_name(in, out, sizeof out));
    return out;
}

static const char *phone_of(const char *in)
{
    static char out[MASK_CAP];
    assert_true(mask_phone(in, out, sizeof out));
    return out;
}

static void test_names(void **state)
{
    (void)state;
    assert_string_equal(name_of("张三明"), "张*明");
    assert_string_equal(name_of("张明"), "张*");
    assert_string_equal(name_of("张"), "*");
    assert_string_equal(name_of(""), "");
    assert_string_equal(name_of("欧阳振华"), "欧阳*华");
    assert_string_equal(name_of("欧阳华"), "欧阳*");
    assert_string_equal(name_of("欧阳"), "欧*");            /* two characters: not a compound */
    assert_string_equal(name_of("司马相如"), "司马*如");
    /* One star however long the hidden part: the length of a name is a clue. */
    assert_string_equal(name_of("阿依木呷"), "阿*呷");
    assert_string_equal(name_of("阿依·木呷"), "阿*呷");
    assert_string_equal(name_of("Li Ming"), "L*g");
    /* Never copy bad bytes or control characters through. */
    assert_string_equal(name_of("张\xff明"), "*");
    assert_string_equal(name_of("张\n明"), "*");
    assert_string_equal(name_of("\xe5\xbc"), "*");            /* truncated sequence */
    assert_string_equal(name_of("\xed\xa0\x80"), "*");        /* surrogate */
    assert_string_equal(name_of("\xc0\xaf"), "*");            /* overlong '/' */
}

static void test_name_small_buffer(void **state)
{
    (void)state;
    char out[5];
    /* 张*明 needs 7 bytes + NUL: refused, and nothing half-masked is left behind. */
    assert_false(mask_name("张三明", out, sizeof out));
    assert_string_equal(out, "");
    assert_false(mask_name("张三明", out, 0));
}

static void test_phones(void **state)
{
    (void)state;
    assert_string_equal(phone_of("13812345678"), "138****5678");
    assert_string_equal(phone_of("138 1234 5678"), "138****5678");
    assert_string_equal(phone_of("+86 13812345678"), "861******5678");
    assert_string_equal(phone_of("08786612345"), "087****2345");
    assert_string_equal(phone_of("66123"), "***23");
    assert_string_equal(phone_of("1234"), "****");
    assert_string_equal(phone_of(""), "");
    char out[8];
    assert_false(mask_phone("13812345678", out, sizeof out));
    assert_string_equal(out, "");
}

static void test_cards(void **state)
{
    (void)state;
    char out[MASK_CAP];
    assert_true(mask_card("88000123", out, sizeof out));
    assert_string_equal(out, "****0123");
    assert_true(mask_card("12", out, sizeof out));
    assert_string_equal(out, "****2");
    assert_true(mask_card("卡1", out, sizeof out));
    assert_string_equal(out, "****");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_name_small_buffer),
        cmocka_unit_test(test_phones),
        cmocka_unit_test(test_cards),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
