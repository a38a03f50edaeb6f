/* Tests for pos/core/barcode: check digits, GTIN-13 normalisation of real codes, and the
 * classifier pipeline (trimming, refusals, hook order, claim/refuse, fallback). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "pos/core/barcode.h"

/* ------------------------------------------------------------------ check digit */

static void test_check_digit(void **state)
{
    (void)state;
    assert_int_equal(barcode_check_digit("690123456789", 12), 2);
    assert_int_equal(barcode_check_digit("400638133393", 12), 1);
    assert_int_equal(barcode_check_digit("9638507", 7), 4);
    assert_int_equal(barcode_check_digit("03600029145", 11), 2);
    /* Left zero padding never changes the digit: that is why GTIN-13 padding is safe. */
    assert_int_equal(barcode_check_digit("003600029145", 12), 2);
    assert_int_equal(barcode_check_digit("000009638507", 12), 4);
    assert_int_equal(barcode_check_digit("0000000", 7), 0);
    assert_int_equal(barcode_check_digit("", 0), 0);
    assert_int_equal(barcode_check_digit("12a4", 4), -1);
    assert_int_equal(barcode_check_digit("12 4", 4), -1);
    assert_int_equal(barcode_check_digit(NULL, 3), -1);
    /* Only len characters are read. */
    assert_int_equal(barcode_check_digit("690123456789xyz", 12), 2);
}

/* ------------------------------------------------------------------ to_gtin13 */

typedef struct {
    const char *code;
    barcode_err err;
    const char *gtin13;        /* when OK */
    barcode_symbology sym;
} gtin_case;

static const gtin_case gtin_cases[] = {
    /* real retail codes */
    {"6901234567892", BARCODE_OK, "6901234567892", SYMBOLOGY_EAN13},
    {"4006381333931", BARCODE_OK, "4006381333931", SYMBOLOGY_EAN13},
    {"5901234123457", BARCODE_OK, "5901234123457", SYMBOLOGY_EAN13},
    {"6920152400012", BARCODE_OK, "6920152400012", SYMBOLOGY_EAN13},
    {"9787020024759", BARCODE_OK, "9787020024759", SYMBOLOGY_EAN13}, /* ISBN-13 */
    {"96385074", BARCODE_OK, "0000096385074", SYMBOLOGY_EAN8},
    {"73513537", BARCODE_OK, "0000073513537", SYMBOLOGY_EAN8},
    {"40170725", BARCODE_OK, "0000040170725", SYMBOLOGY_EAN8},
    {"036000291452", BARCODE_OK, "0036000291452", SYMBOLOGY_UPCA},
    {"012345678905", BARCODE_OK, "0012345678905", SYMBOLOGY_UPCA},
    /* a 13-digit code with a leading zero is still read as EAN-13 (length decides) */
    {"0036000291452", BARCODE_OK, "0036000291452", SYMBOLOGY_EAN13},
    /* bad check digit */
    {"6901234567893", BARCODE_ERR_CHECK_DIGIT, NULL, SYMBOLOGY_NONE},
    {"4006381333932", BARCODE_ERR_CHECK_DIGIT, NULL, SYMBOLOGY_NONE},
    {"96385075", BARCODE_ERR_CHECK_DIGIT, NULL, SYMBOLOGY_NONE},
    {"036000291453", BARCODE_ERR_CHECK_DIGIT, NULL, SYMBOLOGY_NONE},
    {"6901234567829", BARCODE_ERR_CHECK_DIGIT, NULL, SYMBOLOGY_NONE}, /* transposed */
    /* wrong length */
    {"1", BARCODE_ERR_LENGTH, NULL, SYMBOLOGY_NONE},
    {"9638507", BARCODE_ERR_LENGTH, NULL, SYMBOLOGY_NONE},
    {"690123456789", BARCODE_ERR_CHECK_DIGIT, NULL, SYMBOLOGY_NONE}, /* 12 digits = UPC-A */
    {"69012345678", BARCODE_ERR_LENGTH, NULL, SYMBOLOGY_NONE},
    {"69012345678920", BARCODE_ERR_LENGTH, NULL, SYMBOLOGY_NONE},
    {"123456789", BARCODE_ERR_LENGTH, NULL, SYMBOLOGY_NONE},
    {"123456789012345678", BARCODE_ERR_LENGTH, NULL, SYMBOLOGY_NONE},
    /* characters */
    {"690123456789X", BARCODE_ERR_CHARS, NULL, SYMBOLOGY_NONE},
    {"ABCDEFGH", BARCODE_ERR_CHARS, NULL, SYMBOLOGY_NONE},
    {"6901234-67892", BARCODE_ERR_CHARS, NULL, SYMBOLOGY_NONE},
    {" 6901234567892", BARCODE_ERR_CHARS, NULL, SYMBOLOGY_NONE}, /* no trimming here */
    {"-96385074", BARCODE_ERR_CHARS, NULL, SYMBOLOGY_NONE},
    /* empty / too long */
    {"", BARCODE_ERR_EMPTY, NULL, SYMBOLOGY_NONE},
    {"12345678901234567890123456789012345678901234567890123456789012345",
     BARCODE_ERR_TOO_LONG, NULL, SYMBOLOGY_NONE},
    {"1234567890123456789012345678901234567890123456789012345678901234",
     BARCODE_ERR_LENGTH, NULL, SYMBOLOGY_NONE}, /* exactly 64: long but not garbage */
};

static void test_gtin_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof gtin_cases / sizeof gtin_cases[0]; i++) {
        const gtin_case *c = &gtin_cases[i];
        char gtin[14];
        memset(gtin, 'x', sizeof gtin);
        barcode_symbology sym = (barcode_symbology)99;
        barcode_err err = barcode_to_gtin13(c->code, gtin, &sym);
        if (err != c->err)
            fail_msg("case %zu \"%s\": got %s, want %s", i, c->code, barcode_strerror(err),
                     barcode_strerror(c->err));
        if (c->err == BARCODE_OK) {
            assert_string_equal(gtin, c->gtin13);
            assert_int_equal(sym, c->sym);
        } else {
            assert_string_equal(gtin, "");
            assert_int_equal(sym, SYMBOLOGY_NONE);
        }
    }
}

static void test_gtin_null_args(void **state)
{
    (void)state;
    char gtin[14];
    assert_int_equal(barcode_to_gtin13(NULL, gtin, NULL), BARCODE_ERR_EMPTY);
    assert_int_equal(barcode_to_gtin13("96385074", gtin, NULL), BARCODE_OK);
    assert_string_equal(gtin, "0000096385074");
    assert_int_equal(barcode_to_gtin13("96385074", NULL, NULL), BARCODE_OK);
}

/* Every single-digit corruption of a valid EAN-13 is caught (the point of a mod-10 check). */
static void test_single_digit_errors_caught(void **state)
{
    (void)state;
    const char *good = "6901234567892";
    for (size_t pos = 0; pos < 13; pos++) {
        for (char d = '0'; d <= '9'; d++) {
            char code[14];
            memcpy(code, good, 14);
            if (code[pos] == d)
                continue;
            code[pos] = d;
            assert_int_equal(barcode_to_gtin13(code, NULL, NULL), BARCODE_ERR_CHECK_DIGIT);
        }
    }
}

static void test_names(void **state)
{
    (void)state;
    assert_string_equal(barcode_symbology_name(SYMBOLOGY_EAN13), "EAN-13");
    assert_string_equal(barcode_symbology_name(SYMBOLOGY_EAN8), "EAN-8");
    assert_string_equal(barcode_symbology_name(SYMBOLOGY_UPCA), "UPC-A");
    assert_string_equal(barcode_symbology_name(SYMBOLOGY_NONE), "none");
    assert_string_equal(code_kind_name(CODE_PRODUCT), "product");
    assert_string_equal(code_kind_name(CODE_SCALE_LABEL), "scale_label");
    assert_string_equal(code_kind_name(CODE_PAYMENT), "payment");
    assert_string_equal(code_kind_name(CODE_REJECTED), "rejected");
    for (int e = BARCODE_OK; e <= BARCODE_ERR_TOO_LONG; e++)
        assert_true(strlen(barcode_strerror((barcode_err)e)) > 0);
    assert_non_null(barcode_strerror((barcode_err)42));
    assert_non_null(barcode_symbology_name((barcode_symbology)42));
    assert_non_null(code_kind_name((code_kind)42));
}

/* ------------------------------------------------------------------ classify without hooks */

typedef struct {
    const char *raw;
    code_kind kind;
    barcode_err err;
    const char *code;   /* trimmed code */
    const char *gtin13; /* CODE_PRODUCT */
    const char *reason_has; /* substring of the reason when rejected */
} classify_case;

static const classify_case classify_cases[] = {
    {"6901234567892", CODE_PRODUCT, BARCODE_OK, "6901234567892", "6901234567892", NULL},
    {"6901234567892\r\n", CODE_PRODUCT, BARCODE_OK, "6901234567892", "6901234567892", NULL},
    {"  96385074\n", CODE_PRODUCT, BARCODE_OK, "96385074", "0000096385074", NULL},
    {"\t036000291452 \r", CODE_PRODUCT, BARCODE_OK, "036000291452", "0036000291452", NULL},
    {"", CODE_REJECTED, BARCODE_ERR_EMPTY, "", NULL, "empty"},
    {" \r\n\t ", CODE_REJECTED, BARCODE_ERR_EMPTY, "", NULL, "empty"},
    {"6901234567893", CODE_REJECTED, BARCODE_ERR_CHECK_DIGIT, "6901234567893", NULL,
     "expected 2"},
    {"12345", CODE_REJECTED, BARCODE_ERR_LENGTH, "12345", NULL, "5 digits"},
    {"hello", CODE_REJECTED, BARCODE_ERR_CHARS, "hello", NULL, "non-digit"},
    {"6901234 567892", CODE_REJECTED, BARCODE_ERR_CHARS, "6901234 567892", NULL, "non-digit"},
    /* Refused before any hook: the code is kept as a printable excerpt, so a message can show
     * what was scanned (other bytes as \xHH, "..." when cut). */
    {"69012\x01" "34567892", CODE_REJECTED, BARCODE_ERR_CHARS, "69012\\x0134567892", NULL,
     "non-printable byte 0x01 at position 6"},
    {"690123\x1b[0m", CODE_REJECTED, BARCODE_ERR_CHARS, "690123\\x1B[0m", NULL, "non-printable"},
    {"6901234567892\xC3\xA9", CODE_REJECTED, BARCODE_ERR_CHARS, "6901234567892\\xC3\\xA9", NULL,
     "non-printable"},
    {"69\xEF\xBC\x90" "1", CODE_REJECTED, BARCODE_ERR_CHARS, "69\\xEF\\xBC\\x901", NULL,
     "full-width character U+FF10 at position 3"},
    {"12345678901234567890123456789012345678901234567890123456789012345",
     CODE_REJECTED, BARCODE_ERR_TOO_LONG,
     "1234567890123456789012345678901234567890123456789012345678901...", NULL, "longer than 64"},
};

static void test_classify_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof classify_cases / sizeof classify_cases[0]; i++) {
        const classify_case *c = &classify_cases[i];
        code_info info;
        memset(&info, 0xAB, sizeof info); /* garbage in: classify must fill everything */
        code_kind k = barcode_classify(c->raw, NULL, 0, &info);
        if (k != c->kind || info.kind != c->kind || info.err != c->err)
            fail_msg("case %zu: got kind %s err %d (%s), want %s err %d", i,
                     code_kind_name(k), (int)info.err, info.reason, code_kind_name(c->kind),
                     (int)c->err);
        assert_string_equal(info.code, c->code);
        if (c->gtin13) {
            assert_string_equal(info.gtin13, c->gtin13);
            assert_int_not_equal(info.symbology, SYMBOLOGY_NONE);
            assert_string_equal(info.reason, "");
        }
        if (c->reason_has && !strstr(info.reason, c->reason_has))
            fail_msg("case %zu: reason \"%s\" lacks \"%s\"", i, info.reason, c->reason_has);
        assert_int_equal(info.grams, 0);
        assert_int_equal(info.price_fen, 0);
        assert_string_equal(info.payment_provider, "");
    }
}

static void test_classify_null_and_huge(void **state)
{
    (void)state;
    code_info info;
    assert_int_equal(barcode_classify(NULL, NULL, 0, &info), CODE_REJECTED);
    assert_int_equal(info.err, BARCODE_ERR_EMPTY);

    /* A long burst of device garbage surrounded by blanks is refused, not truncated. */
    char big[4096];
    memset(big, '7', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    assert_int_equal(barcode_classify(big, NULL, 0, &info), CODE_REJECTED);
    assert_int_equal(info.err, BARCODE_ERR_TOO_LONG);

    /* 64 characters after trimming is fine as far as length goes. */
    char edge[80];
    memset(edge, ' ', 8);
    memset(edge + 8, '1', 64);
    memcpy(edge + 72, "\r\n", 3);
    assert_int_equal(barcode_classify(edge, NULL, 0, &info), CODE_REJECTED);
    assert_int_equal(info.err, BARCODE_ERR_LENGTH);
    assert_int_equal(strlen(info.code), 64);
}

/* ------------------------------------------------------------------ hooks */

typedef struct {
    char log[256];      /* names of hooks called, in order */
} call_log;

typedef struct {
    call_log *log;
    const char *tag;
    const char *prefix; /* claims codes starting with this */
    code_kind kind;     /* what it claims them as */
    bool scribble;      /* writes into out even when declining */
    size_t seen_len;
    char seen[BARCODE_MAX_LEN + 1];
} hook_ctx;

static bool test_hook(void *vctx, const char *code, size_t len, code_info *out)
{
    hook_ctx *h = vctx;
    strncat(h->log->log, h->tag, sizeof h->log->log - strlen(h->log->log) - 1);
    h->seen_len = len;
    snprintf(h->seen, sizeof h->seen, "%s", code);
    if (strncmp(code, h->prefix, strlen(h->prefix)) != 0) {
        if (h->scribble) {
            out->kind = CODE_PAYMENT;
            out->grams = 999;
            snprintf(out->payment_provider, sizeof out->payment_provider, "junk");
        }
        return false;
    }
    out->kind = h->kind;
    if (h->kind == CODE_SCALE_LABEL) {
        snprintf(out->plu, sizeof out->plu, "%.5s", code + 2);
        out->grams = 1234;
        out->price_fen = 2456;
    } else if (h->kind == CODE_PAYMENT) {
        snprintf(out->payment_provider, sizeof out->payment_provider, "wechat");
    }
    return true;
}

static void test_hooks_called_in_order(void **state)
{
    (void)state;
    call_log log = {{0}};
    hook_ctx a = {&log, "A", "99", CODE_PAYMENT, false, 0, {0}};
    hook_ctx b = {&log, "B", "98", CODE_SCALE_LABEL, false, 0, {0}};
    const code_classifier hooks[] = {{"a", test_hook, &a}, {"b", test_hook, &b}};
    code_info info;

    /* No hook claims: both run in order, then the GTIN fallback. */
    assert_int_equal(barcode_classify(" 6901234567892\r\n", hooks, 2, &info), CODE_PRODUCT);
    assert_string_equal(log.log, "AB");
    /* Hooks see the trimmed code and its length. */
    assert_string_equal(a.seen, "6901234567892");
    assert_int_equal(a.seen_len, 13);
    assert_string_equal(info.gtin13, "6901234567892");

    /* The first hook claims: the second is never called. */
    log.log[0] = '\0';
    assert_int_equal(barcode_classify("99123", hooks, 2, &info), CODE_PAYMENT);
    assert_string_equal(log.log, "A");
    assert_string_equal(info.payment_provider, "wechat");
    assert_string_equal(info.code, "99123");

    /* The second claims. */
    log.log[0] = '\0';
    assert_int_equal(barcode_classify("9812345000000", hooks, 2, &info), CODE_SCALE_LABEL);
    assert_string_equal(log.log, "AB");
    assert_string_equal(info.plu, "12345");
    assert_int_equal(info.grams, 1234);
    assert_int_equal(info.price_fen, 2456);
}

static void test_hook_order_decides_collisions(void **state)
{
    (void)state;
    /* The same code matches both hooks: whichever the caller lists first wins (screen mode). */
    call_log log = {{0}};
    hook_ctx pay = {&log, "P", "2", CODE_PAYMENT, false, 0, {0}};
    hook_ctx scale = {&log, "S", "2", CODE_SCALE_LABEL, false, 0, {0}};
    const code_classifier payment_mode[] = {{"payment", test_hook, &pay},
                                            {"scale", test_hook, &scale}};
    const code_classifier item_mode[] = {{"scale", test_hook, &scale},
                                         {"payment", test_hook, &pay}};
    code_info info;
    assert_int_equal(barcode_classify("2512345678901234", payment_mode, 2, &info),
                     CODE_PAYMENT);
    assert_int_equal(barcode_classify("2512345678901234", item_mode, 2, &info),
                     CODE_SCALE_LABEL);
    assert_string_equal(log.log, "PS");
}

static void test_hook_can_reject(void **state)
{
    (void)state;
    call_log log = {{0}};
    hook_ctx r = {&log, "R", "6901", CODE_REJECTED, false, 0, {0}};
    hook_ctx later = {&log, "L", "", CODE_PRODUCT, false, 0, {0}};
    const code_classifier hooks[] = {{"recall", test_hook, &r}, {"later", test_hook, &later}};
    code_info info;
    /* Claimed and refused: a valid GTIN is still rejected, with a default reason. */
    assert_int_equal(barcode_classify("6901234567892", hooks, 2, &info), CODE_REJECTED);
    assert_string_equal(log.log, "R");
    assert_string_equal(info.reason, "refused by recall");
    assert_string_equal(info.code, "6901234567892");
}

static bool reason_hook(void *ctx, const char *code, size_t len, code_info *out)
{
    (void)ctx;
    (void)code;
    (void)len;
    out->kind = CODE_REJECTED;
    snprintf(out->reason, sizeof out->reason, "payment codes only at the payment screen");
    return true;
}

static void test_hook_reason_kept(void **state)
{
    (void)state;
    const code_classifier hooks[] = {{"pay-guard", reason_hook, NULL}};
    code_info info;
    assert_int_equal(barcode_classify("134567890123456789", hooks, 1, &info), CODE_REJECTED);
    assert_string_equal(info.reason, "payment codes only at the payment screen");
}

static void test_declining_hook_leaves_no_trace(void **state)
{
    (void)state;
    call_log log = {{0}};
    hook_ctx messy = {&log, "M", "never", CODE_PAYMENT, true, 0, {0}};
    const code_classifier hooks[] = {{"null", NULL, NULL}, {"messy", test_hook, &messy}};
    code_info info;
    assert_int_equal(barcode_classify("96385074", hooks, 2, &info), CODE_PRODUCT);
    assert_string_equal(log.log, "M");
    assert_int_equal(info.grams, 0);
    assert_string_equal(info.payment_provider, "");
    assert_string_equal(info.gtin13, "0000096385074");
    assert_int_equal(info.symbology, SYMBOLOGY_EAN8);

    /* Nor does it leak into the next hook's claim. */
    hook_ctx claimer = {&log, "C", "", CODE_PRODUCT, false, 0, {0}};
    const code_classifier hooks2[] = {{"messy", test_hook, &messy},
                                      {"claimer", test_hook, &claimer}};
    log.log[0] = '\0';
    assert_int_equal(barcode_classify("ABC-123", hooks2, 2, &info), CODE_PRODUCT);
    assert_string_equal(log.log, "MC");
    assert_int_equal(info.grams, 0);
    assert_string_equal(info.payment_provider, "");
    assert_string_equal(info.code, "ABC-123");
}

static void test_hooks_not_called_on_garbage(void **state)
{
    (void)state;
    call_log log = {{0}};
    hook_ctx any = {&log, "X", "", CODE_PAYMENT, false, 0, {0}};
    const code_classifier hooks[] = {{"any", test_hook, &any}};
    code_info info;
    assert_int_equal(barcode_classify("   ", hooks, 1, &info), CODE_REJECTED);
    assert_int_equal(barcode_classify("12\x7f" "34", hooks, 1, &info), CODE_REJECTED);
    assert_string_equal(log.log, "");
    /* Hooks do see non-digit printable codes (e.g. QR payment payloads). */
    assert_int_equal(barcode_classify("https://qr.example/x", hooks, 1, &info), CODE_PAYMENT);
    assert_string_equal(log.log, "X");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_check_digit),
        cmocka_unit_test(test_gtin_table),
        cmocka_unit_test(test_gtin_null_args),
        cmocka_unit_test(test_single_digit_errors_caught),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_classify_table),
        cmocka_unit_test(test_classify_null_and_huge),
        cmocka_unit_test(test_hooks_called_in_order),
        cmocka_unit_test(test_hook_order_decides_collisions),
        cmocka_unit_test(test_hook_can_reject),
        cmocka_unit_test(test_hook_reason_kept),
        cmocka_unit_test(test_declining_hook_leaves_no_trace),
        cmocka_unit_test(test_hooks_not_called_on_garbage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
