/* receipt: the document a sale becomes -- its columns (CJK two wide), wrapping of long names
 * without cutting an amount, the sections the issue lists, and the text executor.  The golden
 * files (tests/cli/receipt_golden.sh) check whole receipts of real sales; this checks the rules. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pos/core/receipt.h"
#include "pos/core/utf8.h"

static void test_cols(void **state)
{
    (void)state;
    assert_int_equal(utf8_cols("abc", 3), 3);
    assert_int_equal(utf8_cols("扶贫", strlen("扶贫")), 4);
    assert_int_equal(utf8_cols("￥1.00", strlen("￥1.00")), 6);
    assert_int_equal(utf8_cols("550ml×24", strlen("550ml×24")), 9);   /* × is a GB two-byte code */
    assert_int_equal(utf8_cols("e\xcc\x81", 3), 1);                       /* combining acute */
    assert_int_equal(utf8_cols("\xff", 1), 1);                             /* a bad byte: one '?' */
    assert_int_equal(utf8_fit("扶贫超市", 5), 6);                         /* two characters, never half */
    assert_int_equal(utf8_fit("ab扶", 3), 2);
    assert_int_equal(utf8_fit("ab", 9), 2);
}

static sale_doc *doc(void)
{
    sale_doc *d = calloc(1, sizeof *d);
    assert_non_null(d);
    snprintf(d->receipt_no, sizeof d->receipt_no, "YR01-1-20261016-0007");
    snprintf(d->store_code, sizeof d->store_code, "YR01");
    snprintf(d->cashier, sizeof d->cashier, "01");
    d->till_no = 1;
    d->created_utc = 1792117800;   /* 2026-10-16T02:30:00Z = 10:30 in Yongren */
    sale_line *l = &d->lines[d->n_lines++];
    snprintf(l->name, sizeof l->name, "永仁县维的乡软籽石榴特级精品礼盒装（八枚装）限量版");
    l->qty = 2;
    l->unit_price_fen = 12800;
    l->amount_fen = 25600;
    l->discount_fen = 1280;
    l->poverty_relief = true;
    snprintf(l->supplier_id, sizeof l->supplier_id, "SUP001");
    l = &d->lines[d->n_lines++];
    snprintf(l->name, sizeof l->name, "鲜鸡枞");
    l->qty = 1;
    l->grams = 333;
    l->unit_price_fen = 16000;
    l->amount_fen = 5328;
    l->poverty_relief = true;
    snprintf(l->supplier_id, sizeof l->supplier_id, "HH005");
    l = &d->lines[d->n_lines++];
    snprintf(l->name, sizeof l->name, "矿泉水 550ml×24");
    l->qty = 1;
    l->unit_price_fen = 3200;
    l->amount_fen = 3200;
    l = &d->lines[d->n_lines++];
    snprintf(l->name, sizeof l->name, "核桃仁 250g");
    l->qty = 1;
    l->unit_price_fen = 3200;
    l->amount_fen = 3200;
    l->poverty_relief = true;
    snprintf(l->supplier_id, sizeof l->supplier_id, "SUP001");   /* same supplier: one 户 */
    d->total_fen = 25600 - 1280 + 5328 + 3200 + 3200;
    d->rounding_fen = -8;
    d->due_fen = d->total_fen - 8;
    sale_applied *a = &d->applied[d->n_applied++];
    snprintf(a->rule, sizeof a->rule, "fri-fupin");
    snprintf(a->label, sizeof a->label, "每周五扶贫日 扶贫产品9.5折");
    a->amount_fen = -1280;
    a = &d->applied[d->n_applied++];
    snprintf(a->rule, sizeof a->rule, "cash_rounding");
    snprintf(a->label, sizeof a->label, "抹零");
    a->amount_fen = -8;
    d->gifts[0].qty = 1;
    snprintf(d->gifts[0].sku, sizeof d->gifts[0].sku, "P0003");
    d->n_gifts = 1;
    d->tenders[0].kind = TENDER_CASH;
    d->tenders[0].amount_fen = 40000;
    d->n_tenders = 1;
    d->change_fen = 40000 - d->due_fen;
    snprintf(d->member_id, sizeof d->member_id, "88000001");
    d->points_earned = 372;
    return d;
}

static char *render(const receipt_input *in, receipt *r)
{
    assert_int_equal(receipt_build(in, r), RECEIPT_OK);
    char *t = NULL;
    size_t n = 0;
    assert_int_equal(receipt_to_text(r, &t, &n), RECEIPT_OK);
    assert_int_equal(strlen(t), n);
    if (getenv("RECEIPT_TEST_DUMP"))   /* to look at them while changing the layout */
        fputs(t, stderr);
    return t;
}

/* Every printed line fits the paper, counted in printer columns. */
static void assert_fits(const char *t, int cols)
{
    const char *p = t;
    while (*p) {
        const char *e = strchr(p, '\n');
        assert_non_null(e);
        if (strncmp(p, "[QR", 3) != 0 && !strstr(p, "[QR ")) {
            if (utf8_cols(p, (size_t)(e - p)) > cols)
                fail_msg("line too wide for %d columns: %.*s", cols, (int)(e - p), p);
        }
        p = e + 1;
    }
}

static bool has_line(const char *t, const char *line)
{
    size_t n = strlen(line);
    for (const char *p = t; (p = strstr(p, line)); p += n)
        if ((p == t || p[-1] == '\n') && p[n] == '\n')
            return true;
    return false;
}

static void test_both_widths(void **state)
{
    (void)state;
    sale_doc *d = doc();
    const char *gifts[] = {"软籽石榴汁 300ml"};
    receipt_input in = {.sale = d, .width_mm = 58, .store_name = "永仁扶贫超市",
                        .address = "云南省楚雄州永仁县永定镇中和路88号", .phone = "0878-6612345",
                        .tax_id = "92532327MA6K8XXX1Q", .tz_offset_min = 480,
                        .member_masked = "8800****01", .has_balance = true, .points_balance = 1372,
                        .gift_names = gifts};
    receipt r;
    char *t = render(&in, &r);
    assert_int_equal(r.cols, 32);
    assert_fits(t, 32);
    /* amounts whole, right-aligned to column 32 */
    assert_true(has_line(t, "  2 × ￥128.00         ￥256.00"));
    assert_true(has_line(t, "  优惠                  -￥12.80"));
    assert_true(has_line(t, "  0.333kg × ￥160.00/kg ￥53.28"));
    assert_true(has_line(t, "时间         2026-10-16 10:30:00"));
    assert_true(has_line(t, "抹零                     -￥0.08"));
    assert_true(has_line(t, "赠品 软籽石榴汁 300ml ×1 ￥0.00"));
    assert_true(has_line(t, "积分余额                    1372"));
    assert_true(has_line(t, "本单扶贫产品 ￥328.48，惠及 2 户"));
    /* the long name wraps onto a second line, cut between characters */
    assert_true(has_line(t, "永仁县维的乡软籽石榴特级精品礼盒"));
    assert_true(has_line(t, "装（八枚装）限量版"));
    assert_null(strstr(t, "\xc2\xa5"));   /* never ¥ U+00A5 */
    assert_null(strstr(t, "重印"));
    /* a centred address over two lines is cut evenly, not 16 + 1 characters */
    assert_true(has_line(t, "       云南省楚雄州永仁县"));
    assert_true(has_line(t, "        永定镇中和路88号"));
    free(t);
    receipt_free(&r);

    in.width_mm = 80;
    in.reprint = true;
    t = render(&in, &r);
    assert_int_equal(r.cols, 48);
    assert_fits(t, 48);
    assert_true(has_line(t, "永仁县维的乡软籽石榴特级精品礼盒装（八枚装）限量"));
    assert_true(has_line(t, "版"));
    assert_true(has_line(t, "                    重印"));   /* double width, centred */
    assert_true(has_line(t, "应收                                    ￥360.40"));
    free(t);
    receipt_free(&r);
    free(d);
}

/* A label longer than the row leaves the amount whole on the row under it. */
static void test_amount_never_wraps(void **state)
{
    (void)state;
    sale_doc *d = doc();
    d->n_lines = 2;
    d->member_id[0] = '\0';
    sale_applied *a = &d->applied[0];
    snprintf(a->label, sizeof a->label, "国家扶贫日 扶贫产品每满100减15 会员再享");
    receipt_input in = {.sale = d, .width_mm = 58, .tz_offset_min = 480};
    receipt r;
    char *t = render(&in, &r);
    assert_fits(t, 32);
    assert_true(has_line(t, "国家扶贫日 扶贫产品每满100减15"));
    assert_true(has_line(t, "会员再享                -￥12.80"));
    /* no store name: the store code, double size */
    assert_true(has_line(t, "            YR01"));
    /* no member: no points section */
    assert_null(strstr(t, "积分"));
    free(t);
    receipt_free(&r);
    free(d);
}

static void test_commands(void **state)
{
    (void)state;
    sale_doc *d = doc();
    receipt_input in = {.sale = d, .width_mm = 80, .qr = "https://shop.example/r/abc",
                        .qr_caption = "扫码线上购买", .kick_drawer = true};
    receipt r;
    assert_int_equal(receipt_build(&in, &r), RECEIPT_OK);
    assert_int_equal(r.cmds[0].kind, RCMD_DRAWER);
    assert_int_equal(r.cmds[1].kind, RCMD_TEXT);
    assert_int_equal(r.cmds[1].size, RSIZE_DOUBLE);
    assert_true(r.cmds[1].bold);
    assert_int_equal(r.cmds[r.n - 1].kind, RCMD_CUT);
    bool qr = false, bar = false;
    for (size_t i = 0; i < r.n; i++) {
        if (r.cmds[i].kind == RCMD_QR)
            qr = strcmp(r.qr, "https://shop.example/r/abc") == 0;
        if (r.cmds[i].kind == RCMD_BARCODE)
            bar = strcmp(r.cmds[i].text, "YR01-1-20261016-0007") == 0;
    }
    assert_true(qr);
    assert_true(bar);
    receipt_free(&r);
    in.width_mm = 57;
    assert_int_equal(receipt_build(&in, &r), RECEIPT_ERR_INVALID);
    in.width_mm = 58;
    in.sale = NULL;
    assert_int_equal(receipt_build(&in, &r), RECEIPT_ERR_INVALID);
    free(d);
}

/* Shelf labels: per 500 g (half a fen up) and per kg for weighed goods, per unit otherwise;
 * the badge only on poverty relief; each label's QR payload its own; every line fits. */
static void test_labels(void **state)
{
    (void)state;
    product egg = {.sku = "P9", .name = "土鸡蛋(散装)", .unit = "kg", .price_fen = 1999,
                   .by_weight = true, .poverty_relief = true, .supplier_id = "HH001"};
    product rice = {.sku = "P42", .name = "大米 5kg", .unit = "袋", .price_fen = 3990,
                    .gtin13 = "6903085000177"};
    label_item it[2] = {{.p = &egg, .supplier = "", .origin = "永仁县", .qr = "https://x/p/P9",
                         .trace_qr = "https://t/c/1"},
                        {.p = &rice, .qr = "https://x/p/P42", .trace_qr = "https://t/c/2"}};
    for (int w = 58; w <= 80; w += 22) {
        receipt r;
        assert_int_equal(label_build(it, 2, w, &r), RECEIPT_OK);
        char *t = NULL;
        size_t len = 0;
        assert_int_equal(receipt_to_text(&r, &t, &len), RECEIPT_OK);
        assert_fits(t, r.cols);
        assert_non_null(strstr(t, "￥10.00/500g\n"));            /* 19.99 / 2 = 9.995 -> 10.00 */
        assert_non_null(strstr(t, "￥19.99/kg\n"));
        assert_non_null(strstr(t, "供货：HH001"));                 /* no name: the id */
        assert_non_null(strstr(t, "产地：永仁县\n"));
        assert_non_null(strstr(t, "￥39.90/袋\n"));
        assert_non_null(strstr(t, "货号 P42  6903085000177\n"));
        const char *first = strstr(t, "【扶贫产品】");
        assert_non_null(first);
        assert_null(strstr(first + 1, "【扶贫产品】"));             /* not on the rice */
        /* The egg's buy and trace QRs, then the rice's buy QR: no trace on a product that is
         * not poverty relief. */
        const char *want[] = {"https://x/p/P9", "https://t/c/1", "https://x/p/P42"};
        size_t qrs = 0;
        for (size_t i = 0; i < r.n; i++)
            if (r.cmds[i].kind == RCMD_QR) {
                assert_true(qrs < 3);
                assert_string_equal(receipt_qr_payload(&r, &r.cmds[i]), want[qrs++]);
            }
        assert_int_equal(qrs, 3);
        assert_non_null(strstr(t, "扫码溯源 源头到餐桌"));
        free(t);
        receipt_free(&r);
    }
    receipt r;
    char longq[RECEIPT_TEXT_CAP + 1];
    memset(longq, 'a', sizeof longq - 1);
    longq[sizeof longq - 1] = '\0';
    it[1].qr = longq;
    assert_int_equal(label_build(it, 2, 58, &r), RECEIPT_ERR_INVALID);
    assert_int_equal(label_build(it, 0, 58, &r), RECEIPT_ERR_INVALID);
    assert_int_equal(label_build(it, 1, 60, &r), RECEIPT_ERR_INVALID);
}

/* A refund slip: 退货单 double and bold, the numbers, lines by qty and by weight, 抹零 with the
 * refund completing a sale, tenders, points; no QR, no barcode; both widths fit. */
static void test_refund_slip(void **state)
{
    (void)state;
    refund_slip_line lines[] = {
        {.name = "永仁县维的乡软籽石榴特级精品礼盒装（八枚装）限量版", .sku = "P0001", .qty = 2,
         .amount_fen = 24320},
        {.name = "", .sku = "10004", .qty = 1, .grams = 333, .amount_fen = 5062},
    };
    refund_slip_tender tenders[] = {{TENDER_ALIPAY, 20000}, {TENDER_CASH, 9378}};
    refund_input in = {.width_mm = 58, .store_code = "YR01", .tz_offset_min = 480,
                       .refund_no = "YR01-1-20261017-R0002", .receipt_no = "YR01-1-20261016-0001",
                       .created_utc = 1792198800, .till_no = 1, .approved_by = "manager",
                       .member_masked = "****0001", .lines = lines, .n_lines = 2,
                       .rounding_fen = -4, .total_fen = 29378, .tenders = tenders,
                       .n_tenders = 2, .points_reversed = 88, .points_returned = 2000};
    receipt r;
    assert_int_equal(refund_build(&in, &r), RECEIPT_OK);
    assert_true(r.n > 0);
    bool title = false;
    for (size_t i = 0; i < r.n; i++) {
        assert_true(r.cmds[i].kind != RCMD_QR && r.cmds[i].kind != RCMD_BARCODE);
        if (r.cmds[i].kind == RCMD_TEXT && strcmp(r.cmds[i].text, "退货单") == 0)
            title = r.cmds[i].size == RSIZE_DOUBLE && r.cmds[i].bold &&
                    r.cmds[i].align == RALIGN_CENTER;
    }
    assert_true(title);
    assert_int_equal(r.cmds[0].size, RSIZE_DOUBLE);   /* the store (its code: no name) */
    assert_string_equal(r.cmds[0].text, "YR01");
    char *t = NULL;
    assert_int_equal(receipt_to_text(&r, &t, NULL), RECEIPT_OK);
    assert_fits(t, 32);
    assert_true(has_line(t, "退货单号   YR01-1-20261017-R0002"));
    assert_true(has_line(t, "原小票号    YR01-1-20261016-0001"));
    assert_true(has_line(t, "时间         2026-10-17 09:00:00"));
    assert_true(has_line(t, "收银台/审批          1 / manager"));
    assert_true(has_line(t, "  退 2                  ￥243.20"));
    assert_true(has_line(t, "10004"));                         /* no name: the SKU */
    assert_true(has_line(t, "  退 0.333kg             ￥50.62"));
    assert_true(has_line(t, "商品退款                ￥293.82"));
    assert_true(has_line(t, "原单抹零                 -￥0.04"));
    assert_true(has_line(t, "退回支付宝              ￥200.00"));
    assert_true(has_line(t, "退回现金                 ￥93.78"));
    assert_true(has_line(t, "扣回积分                     -88"));
    assert_true(has_line(t, "退还积分                   +2000"));
    assert_null(strstr(t, "[QR"));
    assert_null(strstr(t, "\xc2\xa5"));
    free(t);
    receipt_free(&r);

    in.width_mm = 80;
    in.rounding_fen = 0;
    in.total_fen = 29382;
    assert_int_equal(refund_build(&in, &r), RECEIPT_OK);
    assert_int_equal(receipt_to_text(&r, &t, NULL), RECEIPT_OK);
    assert_fits(t, 48);
    assert_null(strstr(t, "抹零"));
    assert_true(has_line(t, "退款合计                                ￥293.82"));
    free(t);
    receipt_free(&r);

    in.width_mm = 57;
    assert_int_equal(refund_build(&in, &r), RECEIPT_ERR_INVALID);
    in.width_mm = 58;
    in.refund_no = "";
    assert_int_equal(refund_build(&in, &r), RECEIPT_ERR_INVALID);
    assert_int_equal(refund_build(NULL, &r), RECEIPT_ERR_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cols),
        cmocka_unit_test(test_both_widths),
        cmocka_unit_test(test_amount_never_wraps),
        cmocka_unit_test(test_commands),
        cmocka_unit_test(test_labels),
        cmocka_unit_test(test_refund_slip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
