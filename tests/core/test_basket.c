/* basket: adding, quantities, voids, tenders, 抹零 and change. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "pos/core/basket.h"

static product make(const char *sku, fen_t price, bool by_weight)
{
    product p;
    memset(&p, 0, sizeof p);
    snprintf(p.sku, sizeof p.sku, "%s", sku);
    snprintf(p.name, sizeof p.name, "商品%s", sku);
    p.price_fen = price;
    p.by_weight = by_weight;
    p.active = true;
    return p;
}

static void test_add_merges_same_sku(void **state)
{
    (void)state;
    basket b;
    basket_init(&b);
    product a = make("A", 1280, false), c = make("C", 350, false);
    size_t line;
    assert_int_equal(basket_add_product(&b, &a, 1, &line), BASKET_OK);
    assert_int_equal(line, 0);
    assert_int_equal(basket_add_product(&b, &c, 2, &line), BASKET_OK);
    assert_int_equal(line, 1);
    assert_int_equal(basket_add_product(&b, &a, 2, &line), BASKET_OK);
    assert_int_equal(line, 0);
    assert_int_equal(b.n_lines, 2);
    assert_int_equal(b.lines[0].qty, 3);
    assert_int_equal(b.lines[0].amount_fen, 3840);
    assert_int_equal(basket_total(&b), 3840 + 700);
    assert_int_equal(basket_item_count(&b), 5);
}

static void test_quantity_bounds(void **state)
{
    (void)state;
    basket b;
    basket_init(&b);
    product a = make("A", 100, false);
    assert_int_equal(basket_add_product(&b, &a, 0, NULL), BASKET_ERR_QTY);
    assert_int_equal(basket_add_product(&b, &a, -1, NULL), BASKET_ERR_QTY);
    assert_int_equal(basket_add_product(&b, &a, BASKET_MAX_QTY + 1, NULL), BASKET_ERR_QTY);
    assert_int_equal(b.n_lines, 0);
    assert_int_equal(basket_add_product(&b, &a, BASKET_MAX_QTY, NULL), BASKET_OK);
    /* merging beyond the bound is refused and leaves the line as it was */
    assert_int_equal(basket_add_product(&b, &a, 1, NULL), BASKET_ERR_QTY);
    assert_int_equal(b.lines[0].qty, BASKET_MAX_QTY);
    assert_int_equal(basket_set_qty(&b, 0, 0), BASKET_ERR_QTY);
    assert_int_equal(basket_set_qty(&b, 1, 5), BASKET_ERR_NO_LINE);
    assert_int_equal(basket_set_qty(&b, 0, 7), BASKET_OK);
    assert_int_equal(b.lines[0].amount_fen, 700);
}

static void test_refuses_bad_products(void **state)
{
    (void)state;
    basket b;
    basket_init(&b);
    product off = make("OFF", 100, false);
    off.active = false;
    product neg = make("NEG", -1, false);
    product w = make("W", 1990, true);
    product c = make("C", 100, false);
    assert_int_equal(basket_add_product(&b, &off, 1, NULL), BASKET_ERR_INACTIVE);
    assert_int_equal(basket_add_product(&b, &neg, 1, NULL), BASKET_ERR_PRICE);
    assert_int_equal(basket_add_product(&b, &w, 1, NULL), BASKET_ERR_BY_WEIGHT);
    assert_int_equal(basket_add_weighed(&b, &c, 100, NULL), BASKET_ERR_BY_WEIGHT);
    assert_int_equal(basket_add_weighed(&b, &w, 0, NULL), BASKET_ERR_WEIGHT);
    assert_int_equal(basket_add_weighed(&b, &w, BASKET_MAX_GRAMS + 1, NULL), BASKET_ERR_WEIGHT);
    assert_int_equal(b.n_lines, 0);
}

static void test_weighed_half_up(void **state)
{
    (void)state;
    basket b;
    basket_init(&b);
    product w = make("W", 1990, true); /* ¥19.90/kg */
    size_t line;
    assert_int_equal(basket_add_weighed(&b, &w, 333, &line), BASKET_OK);
    assert_int_equal(b.lines[line].amount_fen, 663); /* 662.67 -> 663 */
    assert_int_equal(basket_add_weighed(&b, &w, 250, &line), BASKET_OK);
    assert_int_equal(line, 1); /* weighed goods never merge */
    assert_int_equal(b.lines[1].amount_fen, 498); /* 497.5 -> 498 */
    assert_int_equal(basket_set_qty(&b, 1, 2), BASKET_ERR_BY_WEIGHT);
}

static void test_weighed_at_printed_amount(void **state)
{
    (void)state;
    basket b;
    basket_init(&b);
    product w = make("W", 2400, true);
    size_t line;
    /* label: 250 g printed ¥6.01 (catalog would say ¥6.00): the printed amount is charged */
    assert_int_equal(basket_add_weighed_amount(&b, &w, 250, 601, &line), BASKET_OK);
    assert_int_equal(b.lines[line].amount_fen, 601);
    assert_int_equal(b.lines[line].grams, 250);
    assert_int_equal(b.lines[line].unit_price_fen, 2400);
    assert_int_equal(basket_add_weighed_amount(&b, &w, 250, -1, NULL), BASKET_ERR_PRICE);
    assert_int_equal(basket_add_weighed_amount(&b, &w, 0, 601, NULL), BASKET_ERR_WEIGHT);
    assert_int_equal(basket_add_weighed_amount(&b, &w, 250, BASKET_MAX_TOTAL_FEN, NULL),
                     BASKET_ERR_OVERFLOW);
    assert_int_equal(b.n_lines, 1);
}

static void test_overflow_refused(void **state)
{
    (void)state;
    basket b;
    basket_init(&b);
    product big = make("BIG", BASKET_MAX_TOTAL_FEN / 2, false);
    assert_int_equal(basket_add_product(&b, &big, 2, NULL), BASKET_OK);
    product one = make("ONE", 1, false);
    assert_int_equal(basket_add_product(&b, &one, 1, NULL), BASKET_ERR_OVERFLOW);
    assert_int_equal(basket_set_qty(&b, 0, 3), BASKET_ERR_OVERFLOW);
    assert_int_equal(b.lines[0].qty, 2);
    product huge = make("HUGE", BASKET_MAX_TOTAL_FEN + 1, false);
    assert_int_equal(basket_add_product(&b, &huge, 1, NULL), BASKET_ERR_PRICE);
}

static void test_full(void **state)
{
    (void)state;
    static basket b;
    basket_init(&b);
    char sku[16];
    for (int i = 0; i < BASKET_MAX_LINES; i++) {
        snprintf(sku, sizeof sku, "S%d", i);
        product p = make(sku, 100, false);
        assert_int_equal(basket_add_product(&b, &p, 1, NULL), BASKET_OK);
    }
    product p = make("ONE-MORE", 100, false);
    assert_int_equal(basket_add_product(&b, &p, 1, NULL), BASKET_ERR_FULL);
    product again = make("S7", 100, false);
    assert_int_equal(basket_add_product(&b, &again, 1, NULL), BASKET_OK); /* merge still fine */
}

static void test_void_line_keeps_record(void **state)
{
    (void)state;
    basket b;
    basket_init(&b);
    product a = make("A", 100, false), c = make("C", 200, false), d = make("D", 300, false);
    basket_add_product(&b, &a, 1, NULL);
    basket_add_product(&b, &c, 2, NULL);
    basket_add_product(&b, &d, 1, NULL);
    assert_int_equal(basket_void_line(&b, 1), BASKET_OK);
    assert_int_equal(b.n_lines, 2);
    assert_string_equal(b.lines[1].item.sku, "D");
    assert_int_equal(b.n_voids, 1);
    assert_string_equal(b.voids[0].sku, "C");
    assert_int_equal(b.voids[0].qty, 2);
    assert_int_equal(b.voids[0].amount_fen, 400);
    assert_int_equal(basket_void_line(&b, 5), BASKET_ERR_NO_LINE);
    assert_int_equal(basket_total(&b), 400);
}

/* 抹零 table: mode, total -> adjustment */
static void test_cash_rounding_table(void **state)
{
    (void)state;
    static const struct { cash_rounding mode; fen_t total, adjust; } cases[] = {
        { ROUNDING_NONE, 1238, 0 },
        { ROUNDING_DROP_FEN, 1238, -8 },
        { ROUNDING_DROP_FEN, 1230, 0 },
        { ROUNDING_DROP_FEN, 9, -9 },
        { ROUNDING_JIAO, 1234, -4 },
        { ROUNDING_JIAO, 1235, 5 },
        { ROUNDING_JIAO, 1239, 1 },
        { ROUNDING_JIAO, 1230, 0 },
        { ROUNDING_JIAO, 5, 5 },
        { ROUNDING_DROP_FEN, 0, 0 },
        { ROUNDING_DROP_FEN, -38, 0 }, /* refunds are paid exactly */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_int_equal(cash_rounding_adjust(cases[i].mode, cases[i].total), cases[i].adjust);
    cash_rounding m;
    assert_true(cash_rounding_parse("jiao", &m));
    assert_int_equal(m, ROUNDING_JIAO);
    assert_false(cash_rounding_parse("up", &m));
}

static void test_settle_cash_and_change(void **state)
{
    (void)state;
    basket b;
    basket_init(&b);
    product a = make("A", 1238, false);
    basket_add_product(&b, &a, 1, NULL);
    basket_settlement st;
    assert_int_equal(basket_check_payable(&b, ROUNDING_DROP_FEN, &st), BASKET_ERR_INSUFFICIENT);
    assert_int_equal(st.due_fen, 1230); /* the figure announced before any tender */
    assert_int_equal(basket_add_tender(&b, TENDER_CASH, 1000, NULL), BASKET_OK);
    assert_int_equal(basket_check_payable(&b, ROUNDING_DROP_FEN, &st), BASKET_ERR_INSUFFICIENT);
    assert_int_equal(st.remaining_fen, 230);
    assert_int_equal(basket_add_tender(&b, TENDER_CASH, 1000, NULL), BASKET_OK);
    assert_int_equal(basket_check_payable(&b, ROUNDING_DROP_FEN, &st), BASKET_OK);
    assert_int_equal(st.total_fen, 1238);
    assert_int_equal(st.rounding_fen, -8);
    assert_int_equal(st.change_fen, 770);
}

static void test_mixed_tender_no_rounding_no_epay_change(void **state)
{
    (void)state;
    basket b;
    basket_init(&b);
    product a = make("A", 1238, false);
    basket_add_product(&b, &a, 1, NULL);
    basket_settlement st;
    assert_int_equal(basket_add_tender(&b, TENDER_WECHAT, 2000, "wx123"), BASKET_OK);
    /* change out of a WeChat payment would turn e-money into cash */
    assert_int_equal(basket_check_payable(&b, ROUNDING_DROP_FEN, &st), BASKET_ERR_CHANGE_NON_CASH);
    assert_int_equal(st.rounding_fen, 0);
    basket_clear_tenders(&b);
    assert_int_equal(basket_add_tender(&b, TENDER_WECHAT, 238, NULL), BASKET_OK);
    assert_int_equal(basket_add_tender(&b, TENDER_CASH, 2000, NULL), BASKET_OK);
    assert_int_equal(basket_check_payable(&b, ROUNDING_DROP_FEN, &st), BASKET_OK);
    assert_int_equal(st.rounding_fen, 0);
    assert_int_equal(st.change_fen, 1000);
    assert_int_equal(basket_add_tender(&b, TENDER_CASH, 0, NULL), BASKET_ERR_TENDER);
    assert_int_equal(basket_add_tender(&b, (tender_kind)99, 10, NULL), BASKET_ERR_TENDER);
}

static void test_empty_not_payable(void **state)
{
    (void)state;
    basket b;
    basket_init(&b);
    basket_add_tender(&b, TENDER_CASH, 100, NULL);
    assert_int_equal(basket_check_payable(&b, ROUNDING_NONE, NULL), BASKET_ERR_EMPTY);
    tender_kind k;
    assert_true(tender_kind_parse("alipay", &k));
    assert_int_equal(k, TENDER_ALIPAY);
    assert_string_equal(tender_kind_name(TENDER_UNIONPAY), "unionpay");
    assert_false(tender_kind_parse("bitcoin", &k));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_add_merges_same_sku),
        cmocka_unit_test(test_quantity_bounds),
        cmocka_unit_test(test_refuses_bad_products),
        cmocka_unit_test(test_weighed_half_up),
        cmocka_unit_test(test_weighed_at_printed_amount),
        cmocka_unit_test(test_overflow_refused),
        cmocka_unit_test(test_full),
        cmocka_unit_test(test_void_line_keeps_record),
        cmocka_unit_test(test_cash_rounding_table),
        cmocka_unit_test(test_settle_cash_and_change),
        cmocka_unit_test(test_mixed_tender_no_rounding_no_epay_change),
        cmocka_unit_test(test_empty_not_payable),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
