/* slip: a committed sale as ESC/POS bytes -- the framing (ESC @, FS &, FS ., feed, cut) byte
 * for byte, and the text decoded back from GB18030 with iconv and read. */
#include <iconv.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pos/app/slip.h"

static void fill(sale_doc *d)
{
    memset(d, 0, sizeof *d);
    snprintf(d->uuid, sizeof d->uuid, "0b4f6c1e-2d3a-4b5c-8d7e-9f0a1b2c3d4e");
    snprintf(d->receipt_no, sizeof d->receipt_no, "YR01-1-20261016-0007");
    snprintf(d->store_code, sizeof d->store_code, "YR01");
    snprintf(d->cashier, sizeof d->cashier, "王芳");
    d->till_no = 1;
    d->created_utc = 1760581800;   /* 2025-10-16T02:30:00Z = 10:30 in Shanghai */
    sale_line *a = &d->lines[0];
    snprintf(a->name, sizeof a->name, "高原红富士苹果");
    a->qty = 1;
    a->grams = 1250;
    a->unit_price_fen = 880;
    a->amount_fen = 1100;
    sale_line *b = &d->lines[1];
    snprintf(b->name, sizeof b->name, "土蜂蜜\x1b@500g");   /* an ESC in a name */
    b->qty = 3;
    b->unit_price_fen = 2800;
    b->amount_fen = 8400;
    b->discount_fen = 220;
    d->n_lines = 2;
    d->total_fen = 9280;
    d->due_fen = 9280;
    d->tenders[0] = (sale_tender){.kind = TENDER_CASH, .amount_fen = 10000};
    d->n_tenders = 1;
    d->change_fen = 720;
}

static bool contains(const uint8_t *hay, size_t n, const uint8_t *needle, size_t k)
{
    for (size_t i = 0; i + k <= n; i++)
        if (memcmp(hay + i, needle, k) == 0)
            return true;
    return false;
}

static char *decode(const uint8_t *gb, size_t len)
{
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    assert_true(cd != (iconv_t)-1);
    size_t cap = len * 4 + 1;
    char *out = calloc(1, cap);
    char *ip = (char *)(uintptr_t)gb, *op = out;
    size_t il = len, ol = cap - 1;
    assert_true(iconv(cd, &ip, &il, &op, &ol) != (size_t)-1);
    iconv_close(cd);
    return out;
}

static void test_framing_and_text(void **state)
{
    (void)state;
    sale_doc *d = malloc(sizeof *d);
    fill(d);
    uint8_t *bytes = NULL;
    size_t n = 0;
    assert_int_equal(slip_escpos(d, "永仁县扶贫超市", 480, &bytes, &n), SLIP_OK);
    /* ESC @, FS & at the head; FS ., 4 × LF, GS V 0 at the tail. */
    const uint8_t head[] = {0x1B, 0x40, 0x1C, 0x26};
    const uint8_t tail[] = {0x1C, 0x2E, 0x0A, 0x0A, 0x0A, 0x0A, 0x1D, 0x56, 0x00};
    assert_true(n > sizeof head + sizeof tail);
    assert_memory_equal(bytes, head, sizeof head);
    assert_memory_equal(bytes + n - sizeof tail, tail, sizeof tail);
    /* No control byte inside the text but LF: the ESC of the name did not get through. */
    for (size_t i = sizeof head; i < n - sizeof tail; i++)
        assert_true(bytes[i] >= 0x20 || bytes[i] == 0x0A);
    /* 合计 in GB18030 (BA CF BC C6) and ￥ (A3 A4), as a Chinese printer reads them. */
    const uint8_t heji[] = {0xBA, 0xCF, 0xBC, 0xC6, 0x20, 0xA3, 0xA4};
    assert_true(contains(bytes, n, heji, sizeof heji));
    char *text = decode(bytes + sizeof head, n - sizeof head - sizeof tail);
    assert_non_null(strstr(text, "永仁县扶贫超市\n"));
    assert_non_null(strstr(text, "小票号 YR01-1-20261016-0007\n"));
    assert_non_null(strstr(text, "时间 2025-10-16 10:30:00\n"));
    assert_non_null(strstr(text, "收银员 王芳\n"));
    assert_non_null(strstr(text, "高原红富士苹果\n  1.250kg  ￥11.00\n"));
    assert_non_null(strstr(text, "土蜂蜜?@500g\n  3 x ￥28.00  ￥84.00\n  优惠 -￥2.20\n"));
    assert_non_null(strstr(text, "合计 ￥92.80\n"));
    assert_non_null(strstr(text, "现金 ￥100.00\n"));
    assert_non_null(strstr(text, "找零 ￥7.20\n"));
    assert_null(strstr(text, "抹零"));
    free(text);
    free(bytes);
    free(d);
}

static void test_rounding_and_bad_utf8(void **state)
{
    (void)state;
    sale_doc *d = malloc(sizeof *d);
    fill(d);
    d->rounding_fen = -80;
    d->due_fen = 9200;
    d->tenders[1] = (sale_tender){.kind = TENDER_WECHAT, .amount_fen = 100};
    d->n_tenders = 2;
    char *t = NULL;
    size_t tl = 0;
    assert_int_equal(slip_text(d, "", 480, &t, &tl), SLIP_OK);
    assert_int_equal(strlen(t), tl);
    assert_non_null(strstr(t, "YR01\n"));   /* no store name: its code */
    assert_non_null(strstr(t, "抹零 -￥0.80\n应收 ￥92.00\n"));
    assert_non_null(strstr(t, "微信支付 ￥1.00\n"));
    free(t);
    /* Invalid UTF-8 is a '?' per bad byte, the rest converted. */
    uint8_t *gb = NULL;
    size_t gl = 0;
    assert_int_equal(slip_gb18030("a\xff" "b合", 6, &gb, &gl), SLIP_OK);
    const uint8_t want[] = {'a', '?', 'b', 0xBA, 0xCF};
    assert_int_equal(gl, sizeof want);
    assert_memory_equal(gb, want, sizeof want);
    free(gb);
    free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_framing_and_text),
        cmocka_unit_test(test_rounding_and_bad_utf8),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
