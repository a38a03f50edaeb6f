/* Tests for pos/core/scale_label: the GS1 price verifier digit against the GS1 worked
 * examples, a table of real-format in-store codes (check digits worked out by hand below and
 * cross-checked against scale_label_encode), every rejection reason, layout parse errors, a
 * seeded encode/decode round trip, 18-digit price+weight labels, the catalog agreement check
 * and the classifier hook inside barcode_classify. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "pos/core/barcode.h"
#include "pos/core/scale_label.h"

/* The demo store's layouts, in scale_layouts_default order. */
enum { L21_PRICE = 0, L22_WEIGHT = 1, L23_PRICE_Q = 2, L26_PRICE_WEIGHT = 3 };

static scale_layout_set default_set(void)
{
    scale_layout_set set;
    scale_layouts_default(&set);
    return set;
}

/* ------------------------------------------------------------------ defaults */

static void test_default_layouts(void **state)
{
    (void)state;
    scale_layout_set set = default_set();
    assert_int_equal(set.n, 4);
    assert_string_equal(set.layouts[L21_PRICE].pattern, "21CCCCCPPPPPK");
    assert_string_equal(set.layouts[L22_WEIGHT].pattern, "22CCCCCWWWWWK");
    assert_string_equal(set.layouts[L23_PRICE_Q].pattern, "23CCCCCQPPPPK");
    assert_string_equal(set.layouts[L26_PRICE_WEIGHT].pattern, "26CCCCCPPPPPWWWWWK");
    /* The defaults are valid by the parser's own rules. */
    scale_layout_set parsed;
    char err[128];
    assert_int_equal(scale_layouts_parse("21CCCCCPPPPPK;22CCCCCWWWWWK;23CCCCCQPPPPK;"
                                         "26CCCCCPPPPPWWWWWK",
                                         &parsed, err, sizeof err),
                     SCALE_OK);
    assert_memory_equal(&parsed, &set, sizeof set);
}

/* ------------------------------------------------------------------ real-format codes */

typedef struct {
    const char *code;
    const char *layouts;     /* NULL = the default set */
    size_t layout_index;
    const char *plu;
    bool has_price, has_weight;
    fen_t price_fen;
    int64_t grams;
} label_case;

/* Hand verification of the check digits (written out so a reader need not trust the code):
 *
 * K, 13 digits: weights 1,3,1,3,… from the left over the 12 payload digits.
 *   2110001012808  payload 2 1 1 0 0 0 1 0 1 2 8 0
 *                  odd positions 2+1+0+1+1+8 = 13, even 1+0+0+0+2+0 = 3 -> 13 + 9 = 22 -> K 8
 *   2210002012347  payload 2 2 1 0 0 0 2 0 1 2 3 4
 *                  odd 2+1+0+2+1+3 = 9, even 2+0+0+0+2+4 = 8 -> 9 + 24 = 33 -> K 7
 *   2310007928756  payload 2 3 1 0 0 0 7 9 2 8 7 5
 *                  odd 2+1+0+7+2+7 = 19, even 3+0+0+9+8+5 = 25 -> 19 + 75 = 94 -> K 6
 * K, 18 digits: the rightmost payload digit (17th) weighs 3, so odd positions weigh 3.
 *   261000102221012345  payload 2 6 1 0 0 0 1 0 2 2 2 1 0 1 2 3 4
 *                  odd 2+1+0+1+2+2+0+2+4 = 14, even 6+0+0+0+2+1+1+3 = 13 -> 42 + 13 = 55 -> K 5
 * Q, 4-digit GS1 price verifier (factors 2-, 2-, 3, 5-; sum × 3, units digit):
 *   price 2875: 2-(2)=4, 2-(8)=16->6-1=5, 3(7)=21->1, 5-(5)=25->5-2=3; 13 × 3 = 39 -> Q 9
 *   (the GS1 General Specifications' own example).
 *   price 0550: 2-(0)=0, 2-(5)=10->0-1=9, 3(5)=15->5, 5-(0)=0; 14 × 3 = 42 -> Q 2
 * Q, 5-digit verifier (factors 5+, 2-, 5-, 5+, 2-; 10 - units of the sum, mapped back
 * through 5-):
 *   price 14685: 5+(1)=5, 2-(4)=8, 5-(6)=30->0-3=7, 5+(8)=40->0+4=4, 2-(5)=9; sum 33;
 *   10 - 3 = 7; the digit whose 5- product is 7 is 6 -> Q 6 (the GS1 example).
 *   2412346146850 (layout 24CCCCQPPPPPK) payload 2 4 1 2 3 4 6 1 4 6 8 5
 *                  odd 2+1+3+6+4+8 = 24, even 4+2+4+1+6+5 = 22 -> 24 + 66 = 90 -> K 0 */
static const label_case label_cases[] = {
    /* 软籽石榴 PLU 10001, printed ¥12.80 */
    {"2110001012808", NULL, L21_PRICE, "10001", true, false, 1280, 0},
    /* 核桃 PLU 10002, 1234 g */
    {"2210002012347", NULL, L22_WEIGHT, "10002", false, true, 0, 1234},
    /* 红糖 PLU 10007, ¥28.75 with price verifier 9 */
    {"2310007928756", NULL, L23_PRICE_Q, "10007", true, false, 2875, 0},
    /* 软籽石榴 PLU 10001, 1234 g at ¥18.00/kg = ¥22.21 on an 18-digit label */
    {"261000102221012345", NULL, L26_PRICE_WEIGHT, "10001", true, true, 2221, 1234},
    /* 5-digit price verifier, store-specific layout */
    {"2412346146850", "24CCCCQPPPPPK", 0, "1234", true, false, 14685, 0},
};

static void test_label_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof label_cases / sizeof label_cases[0]; i++) {
        const label_case *c = &label_cases[i];
        scale_layout_set set = default_set();
        if (c->layouts) {
            char err[128];
            assert_int_equal(scale_layouts_parse(c->layouts, &set, err, sizeof err), SCALE_OK);
        }
        scale_label l;
        scale_err e = scale_label_decode(&set, c->code, strlen(c->code), &l);
        if (e != SCALE_OK)
            fail_msg("%s: %s", c->code, scale_strerror(e));
        assert_int_equal(l.layout_index, c->layout_index);
        assert_string_equal(l.plu, c->plu);
        assert_int_equal(l.has_price, c->has_price);
        assert_int_equal(l.has_weight, c->has_weight);
        assert_int_equal(l.price_fen, c->price_fen);
        assert_int_equal(l.grams, c->grams);

        /* The hand-worked codes are exactly what the encoder prints. */
        char enc[SCALE_PATTERN_CAP];
        assert_true(scale_label_encode(&set, c->layout_index, c->plu, c->price_fen, c->grams,
                                       enc, sizeof enc));
        assert_string_equal(enc, c->code);
        /* 13-digit labels are valid EAN-13s too: K is the same GS1 mod-10 digit. */
        if (strlen(c->code) == 13) {
            char gtin[14];
            assert_int_equal(barcode_to_gtin13(c->code, gtin, NULL), BARCODE_OK);
        }
    }
}

static void test_price_verifier_examples(void **state)
{
    (void)state;
    /* The verifier is internal; pin it through the encoder on single-field layouts. */
    scale_layout_set set;
    char err[128], out[SCALE_PATTERN_CAP];
    assert_int_equal(scale_layouts_parse("23CCCCCQPPPPK;24CCCCQPPPPPK;25CCCCCQWWWWK", &set, err,
                                         sizeof err),
                     SCALE_OK);
    /* GS1 General Specifications examples: 2875 -> 9 (4 digits), 14685 -> 6 (5 digits). */
    assert_true(scale_label_encode(&set, 0, "1", 2875, 0, out, sizeof out));
    assert_int_equal(out[7], '9');
    assert_true(scale_label_encode(&set, 1, "1", 14685, 0, out, sizeof out));
    assert_int_equal(out[6], '6');
    /* 0550 -> 2 (worked above); 0000 -> 0 in both variants. */
    assert_true(scale_label_encode(&set, 0, "1", 550, 0, out, sizeof out));
    assert_int_equal(out[7], '2');
    assert_true(scale_label_encode(&set, 0, "1", 0, 0, out, sizeof out));
    assert_int_equal(out[7], '0');
    assert_true(scale_label_encode(&set, 1, "1", 0, 0, out, sizeof out));
    assert_int_equal(out[6], '0');
    /* Q before a weight field is GS1's measure verifier: same algorithm. 2875 g -> 9. */
    assert_true(scale_label_encode(&set, 2, "1", 0, 2875, out, sizeof out));
    assert_int_equal(out[7], '9');
    scale_label l;
    assert_int_equal(scale_label_decode(&set, out, strlen(out), &l), SCALE_OK);
    assert_true(l.has_weight);
    assert_int_equal(l.grams, 2875);

    /* Every single-digit change of the 4-digit price is caught by Q (what the verifier is
     * for: a misread price with a still-valid K).  Exhaustive over all prices. */
    for (fen_t price = 0; price <= 9999; price++) {
        char a[SCALE_PATTERN_CAP];
        assert_true(scale_label_encode(&set, 0, "1", price, 0, a, sizeof a));
        for (size_t pos = 8; pos < 12; pos++) {
            for (char d = '0'; d <= '9'; d++) {
                if (d == a[pos])
                    continue;
                char b[SCALE_PATTERN_CAP];
                memcpy(b, a, sizeof b);
                b[pos] = d;
                b[12] = (char)('0' + barcode_check_digit(b, 12)); /* a "valid" misread */
                assert_int_equal(scale_label_decode(&set, b, 13, &l), SCALE_ERR_PRICE_CHECK);
            }
        }
    }
}

/* ------------------------------------------------------------------ rejections */

static void test_rejections(void **state)
{
    (void)state;
    scale_layout_set set = default_set();
    scale_label l;
    /* Overall check digit wrong (2110001012808 is good). */
    assert_int_equal(scale_label_decode(&set, "2110001012809", 13, &l), SCALE_ERR_CHECK_DIGIT);
    assert_int_equal(scale_label_decode(&set, "261000102221012344", 18, &l),
                     SCALE_ERR_CHECK_DIGIT);
    /* Price check wrong while K is right: 2310007928756 with Q 9 -> 8; K recomputed by hand:
     * payload 2 3 1 0 0 0 7 8 2 8 7 5, odd 19, even 3+0+0+8+8+5 = 24 -> 19 + 72 = 91 -> 9. */
    assert_int_equal(scale_label_decode(&set, "2310007828759", 13, &l), SCALE_ERR_PRICE_CHECK);
    /* Both wrong: K is checked first and decides the reason. */
    assert_int_equal(scale_label_decode(&set, "2310007828750", 13, &l), SCALE_ERR_CHECK_DIGIT);
    /* Not a label: other prefix, other length, non-digits, empty, NULL. */
    assert_int_equal(scale_label_decode(&set, "6901234567892", 13, &l), SCALE_ERR_NO_LAYOUT);
    assert_int_equal(scale_label_decode(&set, "2010001012808", 13, &l), SCALE_ERR_NO_LAYOUT);
    assert_int_equal(scale_label_decode(&set, "211000101280", 12, &l), SCALE_ERR_NO_LAYOUT);
    assert_int_equal(scale_label_decode(&set, "21100010128080", 14, &l), SCALE_ERR_NO_LAYOUT);
    assert_int_equal(scale_label_decode(&set, "21100010128O8", 13, &l), SCALE_ERR_NO_LAYOUT);
    assert_int_equal(scale_label_decode(&set, "", 0, &l), SCALE_ERR_NO_LAYOUT);
    assert_int_equal(scale_label_decode(&set, NULL, 13, &l), SCALE_ERR_NO_LAYOUT);
    assert_int_equal(scale_label_decode(NULL, "2110001012808", 13, &l), SCALE_ERR_NO_LAYOUT);
    /* Only len bytes are read: a longer buffer is fine. */
    assert_int_equal(scale_label_decode(&set, "2110001012808xyz", 13, &l), SCALE_OK);
    /* A hand-built set with a malformed layout that matches: config error, not a guess. */
    scale_layout_set bad = {.n = 1};
    snprintf(bad.layouts[0].pattern, SCALE_PATTERN_CAP, "21CCXCCPPPPPK");
    assert_int_equal(scale_label_decode(&bad, "2110001012808", 13, &l), SCALE_ERR_PATTERN);

    for (int e = SCALE_OK; e <= SCALE_ERR_PATTERN; e++)
        assert_true(strlen(scale_strerror((scale_err)e)) > 0);
}

static void test_first_layout_decides(void **state)
{
    (void)state;
    /* Two layouts of the same shape: the first one that matches decides, even when its check
     * fails; a bad label is never re-read under a looser layout. */
    scale_layout_set set;
    char err[128];
    assert_int_equal(scale_layouts_parse("2CCCCCCPPPPPK;21CCCCCPPPPP5", &set, err, sizeof err),
                     SCALE_OK);
    scale_label l;
    assert_int_equal(scale_label_decode(&set, "2110001012808", 13, &l), SCALE_OK);
    assert_int_equal(l.layout_index, 0);
    assert_string_equal(l.plu, "110001");
    assert_int_equal(scale_label_decode(&set, "2110001012805", 13, &l), SCALE_ERR_CHECK_DIGIT);
    /* With the order swapped the literal-5 layout claims it (it has no K). */
    assert_int_equal(scale_layouts_parse("21CCCCCPPPPP5;2CCCCCCPPPPPK", &set, err, sizeof err),
                     SCALE_OK);
    assert_int_equal(scale_label_decode(&set, "2110001012805", 13, &l), SCALE_OK);
    assert_int_equal(l.layout_index, 0);
    assert_string_equal(l.plu, "10001");
}

static void test_plu_leading_zeros(void **state)
{
    (void)state;
    scale_layout_set set = default_set();
    char code[SCALE_PATTERN_CAP];
    scale_label l;
    assert_true(scale_label_encode(&set, L21_PRICE, "12", 500, 0, code, sizeof code));
    assert_memory_equal(code, "2100012", 7);
    assert_int_equal(scale_label_decode(&set, code, strlen(code), &l), SCALE_OK);
    assert_string_equal(l.plu, "12");
    assert_true(scale_label_encode(&set, L21_PRICE, "0", 500, 0, code, sizeof code));
    assert_int_equal(scale_label_decode(&set, code, strlen(code), &l), SCALE_OK);
    assert_string_equal(l.plu, "0");
    /* Leading zeros of the input are not significant for fitting the field. */
    assert_true(scale_label_encode(&set, L21_PRICE, "0000012", 500, 0, code, sizeof code));
    assert_memory_equal(code, "2100012", 7);
}

/* ------------------------------------------------------------------ encode limits */

static void test_encode_limits(void **state)
{
    (void)state;
    scale_layout_set set = default_set();
    char out[SCALE_PATTERN_CAP];
    assert_true(scale_label_encode(&set, L21_PRICE, "99999", 99999, 0, out, sizeof out));
    assert_false(scale_label_encode(&set, L21_PRICE, "100000", 1, 0, out, sizeof out));
    assert_string_equal(out, "");      /* nothing half-written */
    assert_false(scale_label_encode(&set, L21_PRICE, "1", 100000, 0, out, sizeof out));
    assert_false(scale_label_encode(&set, L21_PRICE, "1", -1, 0, out, sizeof out));
    assert_false(scale_label_encode(&set, L22_WEIGHT, "1", 0, 100000, out, sizeof out));
    assert_false(scale_label_encode(&set, L22_WEIGHT, "1", 0, -5, out, sizeof out));
    assert_false(scale_label_encode(&set, L23_PRICE_Q, "1", 10000, 0, out, sizeof out));
    assert_false(scale_label_encode(&set, L21_PRICE, "1a", 1, 0, out, sizeof out));
    assert_false(scale_label_encode(&set, L21_PRICE, "", 1, 0, out, sizeof out));
    assert_false(scale_label_encode(&set, L21_PRICE, NULL, 1, 0, out, sizeof out));
    assert_false(scale_label_encode(&set, 4, "1", 1, 0, out, sizeof out));
    assert_false(scale_label_encode(NULL, 0, "1", 1, 0, out, sizeof out));
    /* cap must hold the digits and the NUL. */
    assert_false(scale_label_encode(&set, L21_PRICE, "1", 1, 0, out, 13));
    assert_true(scale_label_encode(&set, L21_PRICE, "1", 1, 0, out, 14));
    /* A field the layout lacks is ignored, whatever its value. */
    assert_true(scale_label_encode(&set, L22_WEIGHT, "1", -99, 1000, out, sizeof out));
}

/* ------------------------------------------------------------------ round trip */

static uint64_t rng_state;

static uint64_t rng_next(void)
{
    /* xorshift64*: deterministic across platforms, so a failure reproduces. */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545F4914F6CDD1DULL;
}

static void test_round_trip_random(void **state)
{
    (void)state;
    scale_layout_set set;
    char err[128];
    assert_int_equal(scale_layouts_parse("21CCCCCPPPPPK;22CCCCCWWWWWK;23CCCCCQPPPPK;"
                                         "26CCCCCPPPPPWWWWWK;24CCCCQPPPPPK;"
                                         "2CCCCCCCCCPPPPPPPWWWWWWK;"
                                         "25CCCCCQWWWWK;28CCCCPPPPPPPP",
                                         &set, err, sizeof err),
                     SCALE_OK);
    static const int64_t pow10[] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000,
                                    100000000, 1000000000, 10000000000LL, 100000000000LL,
                                    1000000000000LL, 10000000000000LL};
    rng_state = 0x5CA1E1ABE1ULL;
    int corrupted = 0;
    for (int iter = 0; iter < 20000; iter++) {
        size_t idx = (size_t)(rng_next() % set.n);
        const char *pat = set.layouts[idx].pattern;
        size_t nc = 0, np = 0, nw = 0;
        for (const char *p = pat; *p; p++) {
            nc += *p == 'C';
            np += *p == 'P';
            nw += *p == 'W';
        }
        char plu[24]; /* 20 digits of a uint64 fit; the value has at most nc <= 15 */
        snprintf(plu, sizeof plu, "%llu", (unsigned long long)(rng_next() % (uint64_t)pow10[nc]));
        fen_t price = np ? (fen_t)(rng_next() % (uint64_t)pow10[np]) : 0;
        int64_t grams = nw ? (int64_t)(rng_next() % (uint64_t)pow10[nw]) : 0;
        char code[SCALE_PATTERN_CAP];
        assert_true(scale_label_encode(&set, idx, plu, price, grams, code, sizeof code));
        assert_int_equal(strlen(code), strlen(pat));
        scale_label l;
        scale_err e = scale_label_decode(&set, code, strlen(code), &l);
        if (e != SCALE_OK)
            fail_msg("iter %d: %s -> %s", iter, code, scale_strerror(e));
        assert_int_equal(l.layout_index, idx);
        assert_string_equal(l.plu, plu);
        assert_int_equal(l.price_fen, price);
        assert_int_equal(l.grams, grams);
        assert_int_equal(l.has_price, np > 0);
        assert_int_equal(l.has_weight, nw > 0);
        /* Any one-digit change of a field digit is caught by K (mod 10 with weights 1 and 3
         * detects every single substitution), where the layout has K. */
        size_t len = strlen(code);
        if (pat[len - 1] == 'K') {
            size_t pos = (size_t)(rng_next() % (len - 1));
            if (pat[pos] >= '0' && pat[pos] <= '9')
                continue;    /* literal: would just stop matching */
            code[pos] = (char)('0' + (code[pos] - '0' + 1 + (int)(rng_next() % 9)) % 10);
            e = scale_label_decode(&set, code, len, &l);
            assert_true(e == SCALE_ERR_CHECK_DIGIT);
            corrupted++;
        }
    }
    assert_true(corrupted >= 10000); /* 15034 corrupted labels refused */
}

/* ------------------------------------------------------------------ parse errors */

typedef struct {
    const char *spec;
    const char *err_contains;
} parse_err_case;

static const parse_err_case parse_errs[] = {
    {"21CCXCCPPPPPK", "'X' at position 5"},
    {"21cccccPPPPPK", "'c' at position 3"},
    {"21CCCCCKPPPPP", "K at position 8 is not the last"},
    {"21CCCCCPPPPPKK", "K at position 13"},
    {"2100000000000", "no C, P or W field"},
    {"21CCCCK", "7 digits"},
    {"21CCCCCPPPPPWWWWWCCCCCCCK", "25 digits"},
    {"21CCPPCCCPPPK", "field C is split"},
    {"21CCCCCPPPPPWWWWWPK", "field P is split"},
    {"23CCCCCQQPPPPK", "more than one Q"},
    {"23CCCCCQ0PPPPK", "Q is not followed by a P or W field"},
    {"23CCCCCPPPPQK", "Q is not followed"},
    {"23CCCCQPPPK", "Q guards a field of 3 digits"},
    {"23CCCQPPPPPPK", "Q guards a field of 6 digits"},
    {"2CCCCCCCCCCCCCCCCPK", "PLU field of 16 digits"},
    {"2CPPPPPPPPPPPPPK", "longer than 12 digits"},
    {"21CCCCCPPPPPK;22CCCC-WWWWK", "layout 2 \"22CCCC-WWWWK\": '-' at position 7"},
    {"21CCCCCPPPPPK,,23CCCCCQPPPPK,2X", "layout 4 \"2X\""},
    {"2CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCK", "longer than 24 characters"},
    {"21CCCCCPPPPPK;21CCCCCPPPPPK;21CCCCCPPPPPK;21CCCCCPPPPPK;21CCCCCPPPPPK;21CCCCCPPPPPK;"
     "21CCCCCPPPPPK;21CCCCCPPPPPK;21CCCCCPPPPPK",
     "more than 8 layouts"},
    {"21CCCCC\x01PPPPK", "byte 0x01 at position 8"},
    /* what every label needs: the product and what to charge */
    {"21PPPPPPPPPPK", "no PLU field C"},
    {"22WWWWWWWWWWK", "no PLU field C"},
    {"21CCCCCCCCCCK", "no price P or weight W field"},
    {"21CCCCCPPPPPK;21PPPPPPPPPPK", "layout 2 \"21PPPPPPPPPPK\": no PLU field C"},
};

static void test_parse_errors(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof parse_errs / sizeof parse_errs[0]; i++) {
        scale_layout_set set = default_set();
        scale_layout_set before = set;
        char err[160];
        scale_err e = scale_layouts_parse(parse_errs[i].spec, &set, err, sizeof err);
        if (e != SCALE_ERR_PATTERN)
            fail_msg("spec %s parsed", parse_errs[i].spec);
        if (!strstr(err, parse_errs[i].err_contains))
            fail_msg("spec %s: error \"%s\" lacks \"%s\"", parse_errs[i].spec, err,
                     parse_errs[i].err_contains);
        /* A refused spec leaves the set untouched. */
        assert_memory_equal(&set, &before, sizeof set);
    }
    /* NULL spec; a tiny or NULL error buffer is fine. */
    scale_layout_set set;
    char small[8];
    assert_int_equal(scale_layouts_parse(NULL, &set, small, sizeof small), SCALE_ERR_PATTERN);
    assert_int_equal(scale_layouts_parse("21CCXCCPPPPPK", &set, small, sizeof small),
                     SCALE_ERR_PATTERN);
    assert_int_equal(strlen(small), sizeof small - 1);
    assert_int_equal(scale_layouts_parse("21CCXCCPPPPPK", &set, NULL, 0), SCALE_ERR_PATTERN);
}

static void test_parse_accepts(void **state)
{
    (void)state;
    scale_layout_set set;
    char err[128] = "x";
    /* Separators ';' and ',', blanks around items, an empty item (trailing ';') skipped. */
    assert_int_equal(scale_layouts_parse(" 21CCCCCPPPPPK , 22CCCCCWWWWWK;\t26CCCCCPPPPPWWWWWK ;",
                                         &set, err, sizeof err),
                     SCALE_OK);
    assert_string_equal(err, "");
    assert_int_equal(set.n, 3);
    assert_string_equal(set.layouts[0].pattern, "21CCCCCPPPPPK");
    assert_string_equal(set.layouts[1].pattern, "22CCCCCWWWWWK");
    assert_string_equal(set.layouts[2].pattern, "26CCCCCPPPPPWWWWWK");
    /* Edge lengths 8 and 24; no K; exactly 8 layouts. */
    assert_int_equal(scale_layouts_parse("2CCCPPPK;2CCCCCCCCCCCPPPPPPWWWWWK;29CCCCCPPPPPP;"
                                         "27CCCCCWWWWWK;20CCCCPPPPPPK;24CCCCQPPPPPK;"
                                         "25CCCCCQWWWWK;2CCCCCCCCCCCCCCCPPPPPK",
                                         &set, err, sizeof err),
                     SCALE_OK);
    assert_int_equal(set.n, 8);
    /* Empty spec: a store without label scales. */
    assert_int_equal(scale_layouts_parse("", &set, err, sizeof err), SCALE_OK);
    assert_int_equal(set.n, 0);
    scale_label l;
    assert_int_equal(scale_label_decode(&set, "2110001012808", 13, &l), SCALE_ERR_NO_LAYOUT);
}

/* ------------------------------------------------------------------ agreement */

static void test_agrees(void **state)
{
    (void)state;
    scale_label l = {.has_price = true, .has_weight = true, .price_fen = 2221, .grams = 1234};
    /* 1800 fen/kg × 1234 g = 2221.2 -> 2221 */
    assert_true(scale_label_agrees(&l, 1800, 0));
    l.price_fen = 2222;
    assert_false(scale_label_agrees(&l, 1800, 0));
    assert_true(scale_label_agrees(&l, 1800, 1));
    l.price_fen = 2220;
    assert_true(scale_label_agrees(&l, 1800, 1));
    l.price_fen = 2219;
    assert_false(scale_label_agrees(&l, 1800, 1));
    assert_true(scale_label_agrees(&l, 1800, 2));
    /* Half-up: 1001 fen/kg × 1500 g = 1501.5 fen -> 1502 */
    l.price_fen = 1502;
    l.grams = 1500;
    assert_true(scale_label_agrees(&l, 1001, 0));
    l.price_fen = 1501;
    assert_false(scale_label_agrees(&l, 1001, 0));
    /* A catalog price that changed since the label was printed. */
    l.price_fen = 2221;
    l.grams = 1234;
    assert_false(scale_label_agrees(&l, 2000, 50));
    /* Labels with only one of price and weight have nothing to cross-check. */
    scale_label p = {.has_price = true, .price_fen = 99999};
    assert_true(scale_label_agrees(&p, 1800, 0));
    scale_label w = {.has_weight = true, .grams = 99999};
    assert_true(scale_label_agrees(&w, 1800, 0));
    assert_false(scale_label_agrees(NULL, 1800, 0));
    /* Negative tolerance is never satisfied. */
    assert_false(scale_label_agrees(&l, 1800, -1));

    /* Decoded from a real 18-digit label. */
    scale_layout_set set = default_set();
    scale_label d;
    assert_int_equal(scale_label_decode(&set, "261000102221012345", 18, &d), SCALE_OK);
    assert_true(scale_label_agrees(&d, 1800, 0));
    assert_false(scale_label_agrees(&d, 1900, 10));
}

/* ------------------------------------------------------------------ classifier hook */

static void test_classifier_hook(void **state)
{
    (void)state;
    scale_layout_set set = default_set();
    code_classifier hooks[] = {{"scale label", scale_label_classifier, &set}};
    code_info info;

    assert_int_equal(barcode_classify("2110001012808\r\n", hooks, 1, &info), CODE_SCALE_LABEL);
    assert_string_equal(info.code, "2110001012808");
    assert_string_equal(info.plu, "10001");
    assert_int_equal(info.price_fen, 1280);
    assert_int_equal(info.grams, 0);

    assert_int_equal(barcode_classify("2210002012347", hooks, 1, &info), CODE_SCALE_LABEL);
    assert_string_equal(info.plu, "10002");
    assert_int_equal(info.price_fen, 0);
    assert_int_equal(info.grams, 1234);

    assert_int_equal(barcode_classify("261000102221012345", hooks, 1, &info), CODE_SCALE_LABEL);
    assert_string_equal(info.plu, "10001");
    assert_int_equal(info.price_fen, 2221);
    assert_int_equal(info.grams, 1234);

    /* Claimed but refused, with the reason. */
    assert_int_equal(barcode_classify("2110001012809", hooks, 1, &info), CODE_REJECTED);
    assert_int_equal(info.err, BARCODE_ERR_CHECK_DIGIT);
    assert_string_equal(info.reason, "scale label: bad check digit: expected 8, scanned 9");
    assert_int_equal(barcode_classify("2310007828759", hooks, 1, &info), CODE_REJECTED);
    assert_int_equal(info.err, BARCODE_ERR_CHECK_DIGIT);
    assert_string_equal(info.reason, "scale label: bad price check digit");
    assert_string_equal(info.plu, "");

    /* Not claimed: retail GTINs fall through to the GTIN check. */
    assert_int_equal(barcode_classify("6901234567892", hooks, 1, &info), CODE_PRODUCT);
    assert_string_equal(info.gtin13, "6901234567892");
    assert_string_equal(info.plu, "");
    /* A prefix-2 code no layout knows is left to the GTIN check (an EAN-13 here). */
    assert_int_equal(barcode_classify("2010001012808", hooks, 1, &info), CODE_REJECTED);
    assert_int_equal(info.err, BARCODE_ERR_CHECK_DIGIT);
    /* Non-digit input is not claimed. */
    assert_int_equal(barcode_classify("21100010128O8", hooks, 1, &info), CODE_REJECTED);
    assert_int_equal(info.err, BARCODE_ERR_CHARS);

    /* Without the hook the same 13-digit label is just an EAN-13. */
    assert_int_equal(barcode_classify("2110001012808", NULL, 0, &info), CODE_PRODUCT);
    /* ...and an 18-digit one is not a retail length. */
    assert_int_equal(barcode_classify("261000102221012345", NULL, 0, &info), CODE_REJECTED);
    assert_int_equal(info.err, BARCODE_ERR_LENGTH);

    /* A malformed hand-built set refuses rather than guesses. */
    scale_layout_set bad = {.n = 1};
    snprintf(bad.layouts[0].pattern, SCALE_PATTERN_CAP, "21CCXCCPPPPPK");
    code_classifier bad_hooks[] = {{"scale label", scale_label_classifier, &bad}};
    assert_int_equal(barcode_classify("2110001012808", bad_hooks, 1, &info), CODE_REJECTED);
    assert_non_null(strstr(info.reason, "malformed"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_layouts),
        cmocka_unit_test(test_label_table),
        cmocka_unit_test(test_price_verifier_examples),
        cmocka_unit_test(test_rejections),
        cmocka_unit_test(test_first_layout_decides),
        cmocka_unit_test(test_plu_leading_zeros),
        cmocka_unit_test(test_encode_limits),
        cmocka_unit_test(test_round_trip_random),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_parse_accepts),
        cmocka_unit_test(test_agrees),
        cmocka_unit_test(test_classifier_hook),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
