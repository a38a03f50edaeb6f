/* Tests for pos/core/paycode: provider detection on a table of payment codes and near misses,
 * names and tender kinds, the classifier hook, and the collision with 18-digit scale labels
 * that screen mode (the caller's hook order) decides. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "pos/core/barcode.h"
#include "pos/core/basket.h"
#include "pos/core/paycode.h"
#include "pos/core/scale_label.h"

typedef struct {
    const char *code;
    paycode_provider want;
    const char *why;
} pay_case;

static const pay_case pay_cases[] = {
    /* WeChat: 18 digits, 10-15 */
    {"134567890123456789", PAYCODE_WECHAT, "wechat 13"},
    {"100000000000000000", PAYCODE_WECHAT, "wechat 10 (low edge)"},
    {"159999999999999999", PAYCODE_WECHAT, "wechat 15 (high edge)"},
    {"111122223333444455", PAYCODE_WECHAT, "wechat 11"},
    /* Alipay: 16-24 digits, 25-30 */
    {"2512345678901234", PAYCODE_ALIPAY, "alipay 16 digits"},
    {"280123456789012345", PAYCODE_ALIPAY, "alipay 18 digits"},
    {"28012345678901234", PAYCODE_ALIPAY, "alipay 17 digits"},
    {"301234567890123456789012", PAYCODE_ALIPAY, "alipay 24 digits"},
    {"261000102221012345", PAYCODE_ALIPAY, "an 18-digit 26 scale label looks like alipay"},
    /* UnionPay: 19 digits, 62 */
    {"6212345678901234567", PAYCODE_UNIONPAY, "unionpay 19"},
    {"6200000000000000000", PAYCODE_UNIONPAY, "unionpay zeros"},
    /* near misses */
    {"13456789012345678", PAYCODE_NONE, "17 digits starting 13"},
    {"1345678901234567890", PAYCODE_NONE, "19 digits starting 13"},
    {"162345678901234567", PAYCODE_NONE, "18 digits starting 16"},
    {"091234567890123456", PAYCODE_NONE, "18 digits starting 09"},
    {"2801234567890123456789012", PAYCODE_NONE, "25 digits starting 28"},
    {"251234567890123", PAYCODE_NONE, "15 digits starting 25"},
    {"241234567890123456", PAYCODE_NONE, "18 digits starting 24"},
    {"311234567890123456", PAYCODE_NONE, "18 digits starting 31"},
    {"6291041500213", PAYCODE_NONE, "a 13-digit EAN starting 62 is not unionpay"},
    {"621234567890123456", PAYCODE_NONE, "18 digits starting 62"},
    {"62123456789012345678", PAYCODE_NONE, "20 digits starting 62"},
    {"6312345678901234567", PAYCODE_NONE, "19 digits starting 63"},
    {"13456789012345678a", PAYCODE_NONE, "a letter"},
    {"134567890123 56789", PAYCODE_NONE, "a blank inside"},
    {"6901234567892", PAYCODE_NONE, "a retail EAN-13"},
    {"1", PAYCODE_NONE, "one digit"},
    {"", PAYCODE_NONE, "empty"},
};

static void test_detect_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof pay_cases / sizeof pay_cases[0]; i++) {
        const pay_case *c = &pay_cases[i];
        paycode_provider got = paycode_detect(c->code, strlen(c->code));
        if (got != c->want)
            fail_msg("%s (%s): got %s, want %s", c->code, c->why, paycode_provider_name(got),
                     paycode_provider_name(c->want));
    }
    /* Only len bytes are read; NULL is nothing. */
    assert_int_equal(paycode_detect("134567890123456789999", 18), PAYCODE_WECHAT);
    assert_int_equal(paycode_detect(NULL, 18), PAYCODE_NONE);
}

static void test_names_and_tenders(void **state)
{
    (void)state;
    assert_string_equal(paycode_provider_name(PAYCODE_WECHAT), "wechat");
    assert_string_equal(paycode_provider_name(PAYCODE_ALIPAY), "alipay");
    assert_string_equal(paycode_provider_name(PAYCODE_UNIONPAY), "unionpay");
    assert_string_equal(paycode_provider_name(PAYCODE_NONE), "none");
    assert_int_equal(paycode_tender_kind(PAYCODE_WECHAT), TENDER_WECHAT);
    assert_int_equal(paycode_tender_kind(PAYCODE_ALIPAY), TENDER_ALIPAY);
    assert_int_equal(paycode_tender_kind(PAYCODE_UNIONPAY), TENDER_UNIONPAY);
    /* No provider, no tender: an invalid kind the basket refuses, never a silent cash. */
    assert_int_equal(paycode_tender_kind(PAYCODE_NONE), TENDER_KIND_COUNT);
    /* The provider names are the tender names, so JSON and CLI agree. */
    for (paycode_provider p = PAYCODE_WECHAT; p <= PAYCODE_UNIONPAY; p++)
        assert_string_equal(paycode_provider_name(p),
                            tender_kind_name(paycode_tender_kind(p)));
}

static void test_classifier(void **state)
{
    (void)state;
    code_classifier pay[] = {{"payment code", paycode_classifier, NULL}};
    code_info info;
    assert_int_equal(barcode_classify(" 134567890123456789\r\n", pay, 1, &info), CODE_PAYMENT);
    assert_string_equal(info.payment_provider, "wechat");
    assert_string_equal(info.code, "134567890123456789");
    assert_int_equal(barcode_classify("6212345678901234567", pay, 1, &info), CODE_PAYMENT);
    assert_string_equal(info.payment_provider, "unionpay");
    assert_int_equal(barcode_classify("2512345678901234", pay, 1, &info), CODE_PAYMENT);
    assert_string_equal(info.payment_provider, "alipay");
    /* The 62-prefixed EAN-13 falls through to the retail check. */
    assert_int_equal(barcode_classify("6291041500213", pay, 1, &info), CODE_PRODUCT);
    assert_string_equal(info.payment_provider, "");
    /* A near miss is not claimed, and is not a retail length either. */
    assert_int_equal(barcode_classify("13456789012345678", pay, 1, &info), CODE_REJECTED);
    assert_int_equal(info.err, BARCODE_ERR_LENGTH);
}

/* ------------------------------------------------------------------ the collision */

/* 261000102221012345 is a valid 18-digit scale label (PLU 10001, ¥22.21, 1234 g; check digit
 * worked by hand in test_scale_label.c) and, by shape, an Alipay code (18 digits, 26).  Both
 * hooks claim it; which one runs first is the caller's decision by screen mode. */
static void test_collision_screen_mode(void **state)
{
    (void)state;
    static const char label[] = "261000102221012345";
    scale_layout_set set;
    scale_layouts_default(&set);
    code_info info;

    /* Each hook on its own claims it. */
    code_classifier pay_only[] = {{"payment code", paycode_classifier, NULL}};
    code_classifier scale_only[] = {{"scale label", scale_label_classifier, &set}};
    assert_int_equal(barcode_classify(label, pay_only, 1, &info), CODE_PAYMENT);
    assert_string_equal(info.payment_provider, "alipay");
    assert_int_equal(barcode_classify(label, scale_only, 1, &info), CODE_SCALE_LABEL);

    /* Payment screen: only the payment hook runs, so a code shown at payment is a payment. */
    assert_int_equal(barcode_classify(label, pay_only, 1, &info), CODE_PAYMENT);

    /* Item screen: scale labels first, then payment codes, so the label is an item and a real
     * payment code is still recognised (as CODE_PAYMENT), which the item screen refuses as
     * "not an item" instead of mistaking it for an unknown barcode. */
    code_classifier item_screen[] = {
        {"scale label", scale_label_classifier, &set},
        {"payment code", paycode_classifier, NULL},
    };
    assert_int_equal(barcode_classify(label, item_screen, 2, &info), CODE_SCALE_LABEL);
    assert_string_equal(info.plu, "10001");
    assert_int_equal(info.price_fen, 2221);
    assert_int_equal(info.grams, 1234);
    assert_string_equal(info.payment_provider, "");
    assert_int_equal(barcode_classify("134567890123456789", item_screen, 2, &info),
                     CODE_PAYMENT);
    assert_string_equal(info.payment_provider, "wechat");
    assert_string_equal(info.plu, "");
    /* An Alipay code starting 26 with a label-shaped body but a wrong label check digit is
     * claimed by the label hook on the item screen and refused there: still never an item. */
    assert_int_equal(barcode_classify("261000102221012344", item_screen, 2, &info),
                     CODE_REJECTED);
    assert_int_equal(info.err, BARCODE_ERR_CHECK_DIGIT);

    /* The wrong order on the item screen would turn the label into a payment: the order is
     * the decision, which is why barcode_classify never guesses by prefix. */
    code_classifier wrong_order[] = {
        {"payment code", paycode_classifier, NULL},
        {"scale label", scale_label_classifier, &set},
    };
    assert_int_equal(barcode_classify(label, wrong_order, 2, &info), CODE_PAYMENT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_detect_table),
        cmocka_unit_test(test_names_and_tenders),
        cmocka_unit_test(test_classifier),
        cmocka_unit_test(test_collision_screen_mode),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
