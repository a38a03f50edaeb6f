/* `sell` with promotions, members and points, end to end: the real fupin-pos binary on a demo
 * database.  A Friday (2026-10-16) applies the demo's 扶贫日 9.5折; ¥100 of poverty-relief goods
 * after it reaches the 满赠 gift; a member earns points (×1.5 on 扶贫 goods) and pays with them
 * within the cap and the balance; `price` and `sell` agree; scan order does not matter. */
#define CLI_HARNESS_NAME "sell-promo"
#include "cli_harness.h"

#define FRIDAY "--at 2026-10-16T10:30:00+08:00"
/* Demo catalog: 软籽石榴汁 300ml P0003 ¥8.80 and 带壳核桃 500g P0004 ¥28.00, both certified
 * 扶贫; 88000001 张三明 and 88000002 李秀英 are person members. */
#define JUICE "6985798000316"
#define WALNUT "6953822000175"

static int64_t sku_discount(const json_value *s, const char *sku)
{
    int64_t d = 0;
    const json_value *l = json_get(s, "lines");
    for (size_t i = 0; i < l->n_items; i++)
        if (strcmp(json_get_string(json_at(l, i), "sku"), sku) == 0)
            d += json_get_int(json_at(l, i), "discount_fen", 0);
    return d;
}

static void test_friday_discount_and_gift(void **state)
{
    (void)state;
    int64_t gift_stock = sql_int("SELECT sum(qty) FROM stock_moves WHERE sku = 'P0003'");
    /* 12 × 8.80 = 105.60; 9.5折 per line -> 100.32 (discount 5.28), which still reaches the
     * ¥100 gift threshold evaluated after it: one 石榴汁 P0003 at ¥0. */
    assert_int_equal(run("--json sell " JUICE "*12 --tender cash:20000 " FRIDAY), 0);
    json_value *s = parse_out();
    assert_sale_invariants(s);
    assert_int_equal(json_get_int(s, "total_fen", 0), 10032);
    const json_value *fri = applied_rule(s, "fri-fupin");
    assert_non_null(fri);
    assert_int_equal(json_get_int(fri, "amount_fen", 0), -528);
    assert_non_null(applied_rule(s, "fupin-gift-100"));
    const json_value *gifts = json_get(s, "gifts");
    assert_int_equal(gifts->n_items, 1);
    assert_string_equal(json_get_string(json_at(gifts, 0), "sku"), "P0003");
    assert_int_equal(json_get_int(s, "points_earned", -1), 0);   /* anonymous */
    assert_true(json_get(s, "member")->type == JSON_NULL);
    /* 12 sold + 1 given: the gift moves stock too, and is stored with the sale. */
    const char *uuid = json_get_string(s, "uuid");
    assert_int_equal(sql_int("SELECT -qty FROM stock_moves WHERE kind = 'gift' AND ref = '%s'", uuid), 1);
    assert_int_equal(sql_int("SELECT sum(qty) FROM stock_moves WHERE sku = 'P0003'"), gift_stock - 13);
    assert_int_equal(sql_int("SELECT count(*) FROM sale_gifts WHERE sale_uuid = '%s'", uuid), 1);
    /* The ¥0 gift carries its cost: the demo's opening gift stock was taken in at 60% of the
     * ¥8.80 price = 528 fen a unit (the average unit cost of P0003's stock-in moves). */
    assert_int_equal(json_get_int(json_at(gifts, 0), "cost_fen", -1), 528);
    assert_int_equal(sql_int("SELECT cost_fen FROM sale_gifts WHERE sale_uuid = '%s'", uuid), 528);
    assert_int_equal(sql_int("SELECT cost_fen FROM stock_moves WHERE kind = 'gift' AND ref = '%s'",
                             uuid), 528);
    json_free(s);

    /* ¥105 before the discount but ¥99.75 after: no gift, a "再购" hint for the cashier. */
    assert_int_equal(run("sell " WALNUT "*3 " JUICE "*2 --tender cash:20000 " FRIDAY), 0);
    assert_non_null(strstr(stderr_text(), "再购"));
    assert_non_null(strstr(out, "每周五扶贫日"));
}

static void test_member_points_earned_and_tender(void **state)
{
    (void)state;
    /* 张三明 starts with no points.  10032 total, 抹零 -2 -> due 10030; 扶贫 goods earn ×1.5 for
     * members (member-fupin-points): floor(100.30 × 1.5) = 150 points. */
    assert_int_equal(run("--json sell " JUICE "*12 --tender cash:20000 --member 88000001 " FRIDAY), 0);
    json_value *s = parse_out();
    assert_sale_invariants(s);
    assert_string_equal(json_get_string(s, "member"), "88000001");
    assert_int_equal(json_get_int(s, "points_earned", -1), 150);
    assert_non_null(applied_rule(s, "member-fupin-points"));
    assert_int_equal(sql_int("SELECT points FROM points_journal WHERE kind = 'earn' AND sale_uuid = '%s'",
                             json_get_string(s, "uuid")), 150);
    assert_int_equal(sql_int("SELECT count(*) FROM sales WHERE member_id = '88000001'"), 1);
    json_free(s);

    int64_t sales = sql_int("SELECT count(*) FROM sales");
    /* 2 × 8.80 × 0.95 = 16.72; the cap is 50 % = 8.36, 100 points = ¥1. */
    struct { const char *args; const char *says; } refused[] = {
        { "sell " JUICE "*2 --tender points:900 --tender cash:2000 --member 88000001", "at most" },
        { "sell " JUICE "*2 --tender points:100 --tender cash:2000", "member" },
        { "sell " JUICE "*2 --tender points:500 --tender cash:2000 --member 88000002", "Not enough points" },
        { "sell " JUICE "*2 --tender points:2000 --member 88000001", "at most" },
    };
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        int rc = run("--lang en %s " FRIDAY, refused[i].args);
        if (rc != 1 || !strstr(stderr_text(), refused[i].says))
            fail_msg("'%s': exit %d, stderr %s (want '%s')", refused[i].args, rc, stderr_text(),
                     refused[i].says);
    }
    assert_int_equal(sql_int("SELECT count(*) FROM sales"), sales);

    /* Within the cap and the balance: ¥1.00 in points (100 of the 150), the rest in cash with no
     * 抹零 (not an all-cash sale).  Earned on money only: floor((16.72 - 1.00) × 1.5) = 23. */
    assert_int_equal(run("--json sell " JUICE "*2 --tender points:100 --tender cash:1672 "
                         "--member 88000001 " FRIDAY), 0);
    s = parse_out();
    assert_sale_invariants(s);
    assert_int_equal(json_get_int(s, "total_fen", 0), 1672);
    assert_int_equal(json_get_int(s, "rounding_fen", 1), 0);
    assert_int_equal(json_get_int(s, "change_fen", -1), 100);
    assert_int_equal(json_get_int(s, "points_redeemed", -1), 100);
    assert_int_equal(json_get_int(s, "points_earned", -1), 23);
    const char *uuid = json_get_string(s, "uuid");
    assert_int_equal(sql_int("SELECT points FROM points_journal WHERE kind = 'redeem' AND sale_uuid = '%s'", uuid), -100);
    assert_int_equal(sql_int("SELECT points FROM points_journal WHERE kind = 'earn' AND sale_uuid = '%s'", uuid), 23);
    assert_int_equal(sql_int("SELECT sum(points) FROM points_journal WHERE member_id = '88000001'"), 73);
    json_free(s);

    /* 73 points left: ¥0.80 needs 80. */
    assert_int_equal(run("--lang en sell " JUICE "*2 --tender points:80 --tender cash:2000 "
                         "--member 13908781234 " FRIDAY), 1);   /* by phone */
    assert_non_null(strstr(stderr_text(), "Not enough points"));

    /* An organisation (以购代捐) by --org. */
    assert_int_equal(run("--json sell " JUICE " --tender cash:1000 --org 88008001 " FRIDAY), 0);
    s = parse_out();
    assert_string_equal(json_get_string(s, "member"), "88008001");
    json_free(s);
}

static void test_price_equals_sell(void **state)
{
    (void)state;
    write_basket("{\"items\": [{\"code\": \"" JUICE "\", \"qty\": 9}, {\"code\": \"" WALNUT "\", \"qty\": 2}]}");
    assert_int_equal(run("--json price '%s' --member 88000002 " FRIDAY, basket_path), 0);
    json_value *p = parse_out();
    int64_t total = json_get_int(p, "total_fen", -1);
    int64_t earn = json_get_int(json_get(p, "points"), "earn", -1);
    /* The exact amount by WeChat: no 抹零, so due == total and the points compare too. */
    assert_int_equal(run("--json sell " JUICE "*9 " WALNUT "*2 --tender wechat:%lld --member 88000002 " FRIDAY,
                         (long long)total), 0);
    json_value *s = parse_out();
    assert_sale_invariants(s);
    assert_int_equal(json_get_int(s, "total_fen", -2), total);
    assert_int_equal(json_get_int(s, "points_earned", -2), earn);
    const json_value *pa = json_get(p, "applied"), *sa = json_get(s, "applied");
    assert_int_equal(pa->n_items, sa->n_items);
    for (size_t i = 0; i < pa->n_items; i++) {
        assert_string_equal(json_get_string(json_at(pa, i), "rule"), json_get_string(json_at(sa, i), "rule"));
        assert_int_equal(json_get_int(json_at(pa, i), "amount_fen", 1), json_get_int(json_at(sa, i), "amount_fen", 2));
    }
    assert_int_equal(json_get(p, "gifts")->n_items, json_get(s, "gifts")->n_items);
    assert_int_equal(sku_discount(p, "P0003"), sku_discount(s, "P0003"));
    assert_int_equal(sku_discount(p, "P0004"), sku_discount(s, "P0004"));
    json_free(p);
    json_free(s);
}

static void test_scan_order_does_not_matter(void **state)
{
    (void)state;
    assert_int_equal(run("--json sell " JUICE "*7 " WALNUT "*2 10001@777 --tender cash:50000 " FRIDAY), 0);
    json_value *a = parse_out();
    assert_int_equal(run("--json sell 10001@777 " WALNUT "*2 " JUICE "*7 --tender cash:50000 " FRIDAY), 0);
    json_value *b = parse_out();
    assert_sale_invariants(a);
    assert_sale_invariants(b);
    assert_int_equal(json_get_int(a, "total_fen", 1), json_get_int(b, "total_fen", 2));
    assert_int_equal(json_get_int(a, "due_fen", 1), json_get_int(b, "due_fen", 2));
    const char *skus[] = {"P0003", "P0004"};
    for (size_t i = 0; i < 2; i++)
        assert_int_equal(sku_discount(a, skus[i]), sku_discount(b, skus[i]));
    const json_value *la = json_get(a, "lines");
    const char *weighed = json_get_string(json_at(la, 2), "sku");
    assert_int_equal(sku_discount(a, weighed), sku_discount(b, weighed));
    assert_int_equal(json_get(a, "applied")->n_items, json_get(b, "applied")->n_items);
    json_free(a);
    json_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_friday_discount_and_gift, cli_harness_setup, cli_harness_teardown),
        cmocka_unit_test_setup_teardown(test_member_points_earned_and_tender, cli_harness_setup, cli_harness_teardown),
        cmocka_unit_test_setup_teardown(test_price_equals_sell, cli_harness_setup, cli_harness_teardown),
        cmocka_unit_test_setup_teardown(test_scan_order_does_not_matter, cli_harness_setup, cli_harness_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
