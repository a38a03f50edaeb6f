/* Tests for pos/core/pinyin: initials of real product names, single code points (first reading,
 * tone marks folded, vowel and syllabic-n/m readings, table edges), mixed ASCII, invalid and
 * 4-byte UTF-8, and buffer truncation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "pos/core/pinyin.h"

typedef struct {
    const char *name;
    const char *want;
} name_case;

static const name_case name_cases[] = {
    {"核桃酥", "hts"},            /* 核 hé,hú,… : the first reading decides */
    {"永仁软籽石榴", "yrrzsl"},   /* 石 shí,dàn */
    {"蜂蜜", "fm"},
    {"荞麦面", "qmm"},
    {"红糖", "ht"},               /* 红 hóng,gōng */
    {"矿泉水 550ml", "kqs550ml"},
    {"核桃酥 500g", "hts500g"},
    {"永仁软籽石榴礼盒 5kg", "yrrzsllh5kg"},
    {"软籽石榴(散装)", "rzslsz"},  /* fullwidth brackets skipped */
    /* 枞 lists cōng before zōng, so 鸡枞 (jīzōng, the mushroom) is "jc": the first-reading
     * rule is a deliberate simplification, and this pins it. */
    {"鲜鸡枞", "xjc"},
    {"Coca-Cola 可口可乐 330ML", "cocacolakkkl330ml"},
    {"A4纸/打印纸 (70g)", "a4zdyz70g"},
    {"中文·龙", "zwl"},           /* middle dot skipped */
    {"阿爱额欧", "aaeo"},         /* readings starting with a vowel: ā ài é ōu */
    {"ABC xyz 019", "abcxyz019"},
    {"!@#$%^&*()_+-=[]{}|;':\",./<>?`~", ""},
    {"", ""},
    {"Здравствуйте", ""},         /* other scripts skipped */
    {"１２３ＡＢ", ""},            /* fullwidth digits/letters are not ASCII: skipped */
};

static void test_names(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof name_cases / sizeof name_cases[0]; i++) {
        char out[64];
        size_t n = pinyin_initials(name_cases[i].name, out, sizeof out);
        if (strcmp(out, name_cases[i].want) != 0)
            fail_msg("\"%s\": got \"%s\", want \"%s\"", name_cases[i].name, out,
                     name_cases[i].want);
        assert_int_equal(n, strlen(name_cases[i].want));
    }
}

static void test_initial(void **state)
{
    (void)state;
    assert_int_equal(pinyin_initial(0x6838), 'h');   /* 核 */
    assert_int_equal(pinyin_initial(0x4E2D), 'z');   /* 中 zhōng */
    assert_int_equal(pinyin_initial(0x963F), 'a');   /* 阿 ā */
    assert_int_equal(pinyin_initial(0x989D), 'e');   /* 额 é */
    assert_int_equal(pinyin_initial(0x6B27), 'o');   /* 欧 ōu */
    assert_int_equal(pinyin_initial(0x5463), 'm');   /* 呣 ḿ */
    assert_int_equal(pinyin_initial(0x55EF), 'n');   /* 嗯 ń */
    assert_int_equal(pinyin_initial(0x5514), 'w');   /* 唔 wú,…,ḿ: first reading */
    /* table edges: first code point of Ext A, a hole, the URO, the compatibility block */
    assert_int_equal(pinyin_initial(0x3400), 'q');   /* 㐀 qiū */
    assert_int_equal(pinyin_initial(0x3402), 0);     /* no reading in the data */
    assert_int_equal(pinyin_initial(0x9FA5), 'y');   /* 龥 yù */
    assert_int_equal(pinyin_initial(0x9FFF), 0);
    assert_int_equal(pinyin_initial(0xFA18), 'l');   /* 礼 compatibility form, lǐ */
    assert_int_equal(pinyin_initial(0xF900), 0);
    /* outside the table */
    assert_int_equal(pinyin_initial(0x33FF), 0);
    assert_int_equal(pinyin_initial(0x3007), 0);     /* 〇: outside the ranges kept */
    assert_int_equal(pinyin_initial(0xA000), 0);
    assert_int_equal(pinyin_initial(0xFB00), 0);
    assert_int_equal(pinyin_initial('A'), 0);
    assert_int_equal(pinyin_initial(0), 0);
    assert_int_equal(pinyin_initial(0x20000), 0);    /* Ext B: not kept */
    assert_int_equal(pinyin_initial(0xFFFFFFFFu), 0);
}

static void test_every_entry_is_a_letter(void **state)
{
    (void)state;
    /* The generated table holds only a-z or "no reading", and most of the URO has a reading. */
    size_t known = 0;
    for (uint32_t cp = 0x3400; cp <= 0xFAFF; cp++) {
        char c = pinyin_initial(cp);
        assert_true(c == 0 || (c >= 'a' && c <= 'z'));
        known += c != 0;
    }
    assert_true(known > 26000);
    size_t uro = 0;
    for (uint32_t cp = 0x4E00; cp <= 0x9FA5; cp++)
        uro += pinyin_initial(cp) != 0;
    /* All of U+4E00..U+9FA5 but a handful of Japanese-made characters (兙 瓩 …, units such as
     * decagram) that have no Chinese reading in the data: 10 in 0.19.0. */
    assert_true(uro >= 0x9FA5 - 0x4E00 + 1 - 16);
    assert_int_equal(pinyin_initial(0x5159), 0);     /* 兙 */
}

static void test_invalid_utf8(void **state)
{
    (void)state;
    char out[64];
    /* stray continuation bytes, a lone lead byte, overlong '/', a surrogate, > U+10FFFF,
     * 0xFF: each bad byte is skipped and decoding resumes on the next. */
    assert_int_equal(pinyin_initials("\x80" "核\xBF桃", out, sizeof out), 2);
    assert_string_equal(out, "ht");
    assert_int_equal(pinyin_initials("a\xE6\xA0" "b", out, sizeof out), 2);   /* truncated 核 */
    assert_string_equal(out, "ab");
    assert_int_equal(pinyin_initials("\xC0\xAF" "x", out, sizeof out), 1);     /* overlong */
    assert_string_equal(out, "x");
    assert_int_equal(pinyin_initials("\xE0\x80\xAF" "y", out, sizeof out), 1); /* overlong */
    assert_string_equal(out, "y");
    assert_int_equal(pinyin_initials("\xED\xA0\x80" "z", out, sizeof out), 1); /* U+D800 */
    assert_string_equal(out, "z");
    assert_int_equal(pinyin_initials("\xF4\x90\x80\x80" "q", out, sizeof out), 1);
    assert_string_equal(out, "q");
    assert_int_equal(pinyin_initials("\xFF\xFE" "蜂蜜", out, sizeof out), 2);
    assert_string_equal(out, "fm");
    /* A truncated sequence at the very end of the string. */
    assert_int_equal(pinyin_initials("红糖\xE7\xB3", out, sizeof out), 2);
    assert_string_equal(out, "ht");
    /* A lead byte followed by an ASCII letter: the letter is not swallowed. */
    assert_int_equal(pinyin_initials("\xE6" "abc", out, sizeof out), 3);
    assert_string_equal(out, "abc");
}

static void test_four_byte(void **state)
{
    (void)state;
    char out[64];
    /* Emoji and an Ext B character (𠀀 U+20000): valid 4-byte UTF-8, no initial, skipped
     * whole (not byte by byte into something else). */
    assert_int_equal(pinyin_initials("🍯蜂蜜🐝 1kg", out, sizeof out), 5);
    assert_string_equal(out, "fm1kg");
    assert_int_equal(pinyin_initials("\xF0\xA0\x80\x80" "核", out, sizeof out), 1);
    assert_string_equal(out, "h");
    assert_int_equal(pinyin_initials("😀", out, sizeof out), 0);
    assert_string_equal(out, "");
}

static void test_truncation(void **state)
{
    (void)state;
    char out[8];
    memset(out, 'X', sizeof out);
    /* cap 4: three letters and the NUL. */
    assert_int_equal(pinyin_initials("永仁软籽石榴", out, 4), 3);
    assert_string_equal(out, "yrr");
    assert_int_equal(out[4], 'X');                    /* nothing written past cap */
    assert_int_equal(pinyin_initials("矿泉水 550ml", out, 1), 0);
    assert_string_equal(out, "");
    memset(out, 'X', sizeof out);
    assert_int_equal(pinyin_initials("矿泉水 550ml", out, 0), 0);
    assert_int_equal(out[0], 'X');                    /* cap 0: untouched */
    assert_int_equal(pinyin_initials("矿泉水 550ml", NULL, 0), 0);
    assert_int_equal(pinyin_initials("abcdefg", out, sizeof out), 7);
    assert_string_equal(out, "abcdefg");
    assert_int_equal(pinyin_initials("abcdefgh", out, sizeof out), 7);
    assert_string_equal(out, "abcdefg");
    assert_int_equal(pinyin_initials(NULL, out, sizeof out), 0);
    assert_string_equal(out, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_initial),
        cmocka_unit_test(test_every_entry_is_a_letter),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_four_byte),
        cmocka_unit_test(test_truncation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
