/* The #5 commands end to end: the real fupin-pos binary on a demo database -- `price` on a
 * Friday and a Monday (and with a member), `calendar 2026` against dates published by the
 * Hong Kong Observatory and the State Council's holiday notice, `stars` masked, `member`. */
#define CLI_HARNESS_NAME "promo-cli"
#include "cli_harness.h"

#include "pos/app/till.h"
#include "pos/core/bizday.h"

#define FRIDAY "2026-10-16T10:30:00+08:00"
#define MONDAY "2026-10-19T10:30:00+08:00"
#define WEDNESDAY "2026-10-21T10:30:00+08:00"

/* 石榴汁 ×2 (扶贫, ¥8.80) + 可乐 (¥3.00): 9.5折 on the juice on Fridays only. */
static void test_price_friday_vs_monday(void **state)
{
    (void)state;
    write_basket("{\"items\": [{\"code\": \"6985798000316\", \"qty\": 2},"
                 " {\"code\": \"6918152000523\"}]}");
    int64_t sales = sql_int("SELECT count(*) FROM sales");
    int64_t audit = sql_int("SELECT count(*) FROM audit_log");

    assert_int_equal(run("--json --at %s price '%s'", FRIDAY, basket_path), 0);
    json_value *v = parse_out();
    assert_int_equal(json_get_int(v, "subtotal_fen", -1), 2060);
    assert_int_equal(json_get_int(v, "total_fen", -1), 1972);
    const json_value *applied = json_get(v, "applied");
    assert_int_equal(applied->n_items, 1);
    assert_string_equal(json_get_string(json_at(applied, 0), "rule"), "fri-fupin");
    assert_int_equal(json_get_int(json_at(applied, 0), "amount_fen", 0), -88);
    assert_non_null(strstr(json_get_string(json_at(applied, 0), "explain"), "9.5折"));
    const json_value *lines = json_get(v, "lines");
    assert_int_equal(json_get_int(json_at(lines, 0), "discount_fen", -1), 88);
    assert_int_equal(json_get_int(json_at(lines, 1), "discount_fen", -1), 0);
    /* lines sum to the total (the document invariant) */
    int64_t sum = 0;
    for (size_t i = 0; i < lines->n_items; i++)
        sum += json_get_int(json_at(lines, i), "net_fen", 0);
    assert_int_equal(sum, 1972);
    assert_true(json_get(v, "points")->type == JSON_NULL);
    json_free(v);

    assert_int_equal(run("--json --at %s price '%s'", MONDAY, basket_path), 0);
    v = parse_out();
    assert_int_equal(json_get_int(v, "total_fen", -1), 2060);
    assert_int_equal(json_get(v, "applied")->n_items, 0);
    json_free(v);

    /* human text names the rule too */
    assert_int_equal(run("--at %s price '%s'", FRIDAY, basket_path), 0);
    assert_non_null(strstr(out, "每周五扶贫日"));
    /* nothing was written */
    assert_int_equal(sql_int("SELECT count(*) FROM sales"), sales);
    assert_int_equal(sql_int("SELECT count(*) FROM audit_log"), audit);
}

static void test_price_gift_and_member(void **state)
{
    (void)state;
    /* ¥128 of poverty-relief goods on a Monday: 满100赠石榴汁 (the demo shelf has it). */
    write_basket("{\"items\": [{\"sku\": \"P0001\", \"qty\": 1}]}");
    assert_int_equal(run("--json --at %s price '%s'", MONDAY, basket_path), 0);
    json_value *v = parse_out();
    const json_value *gifts = json_get(v, "gifts");
    assert_int_equal(gifts->n_items, 1);
    assert_string_equal(json_get_string(json_at(gifts, 0), "sku"), "P0003");
    assert_string_equal(json_get_string(json_at(gifts, 0), "rule"), "fupin-gift-100");
    assert_int_equal(json_get_int(v, "total_fen", -1), 12800);
    json_free(v);

    /* A Wednesday with a member: 会员日 double points beat the 1.5× of 扶贫 goods (the largest
     * multiplier wins): ¥28 -> 56 points.  The member comes from the file or --member. */
    write_basket("{\"items\": [{\"code\": \"6953822000175\"}], \"member\": \"13908781234\"}");
    assert_int_equal(run("--json --at %s price '%s'", WEDNESDAY, basket_path), 0);
    v = parse_out();
    assert_string_equal(json_get_string(json_get(v, "member"), "id"), "88000001");
    const json_value *pts = json_get(v, "points");
    assert_int_equal(json_get_int(pts, "earn", -1), 56);
    assert_int_equal(json_get_int(pts, "balance", -1), 0);
    assert_int_equal(json_get_int(json_at(json_get(v, "lines"), 0), "points_multiplier_pct", 0),
                     200);
    json_free(v);
    assert_int_equal(run("--json --at %s price '%s' --member 88000003", MONDAY, basket_path), 0);
    v = parse_out();
    assert_string_equal(json_get_string(json_get(v, "member"), "id"), "88000003");
    assert_int_equal(json_get_int(json_get(v, "points"), "earn", -1), 42);   /* 1.5× */
    json_free(v);

    /* refusals: unknown member, unknown code, malformed file, unknown key */
    assert_int_equal(run("--at %s price '%s' --member 99999999", MONDAY, basket_path), 1);
    write_basket("{\"items\": [{\"code\": \"6900000000000\"}]}");
    assert_int_equal(run("--at %s price '%s'", MONDAY, basket_path), 1);
    write_basket("{\"items\": [{\"code\": \"6985798000316\", \"qty\": 0}]}");
    assert_int_equal(run("--at %s price '%s'", MONDAY, basket_path), 1);
    write_basket("{\"items\": [], \"extra\": 1}");
    assert_int_equal(run("--at %s price '%s'", MONDAY, basket_path), 1);
    write_basket("{\"items\": [");
    assert_int_equal(run("--at %s price '%s'", MONDAY, basket_path), 1);
    assert_int_equal(run("price"), 2);
}

static const json_value *day_of(const json_value *days, const char *date)
{
    for (size_t i = 0; i < days->n_items; i++)
        if (strcmp(json_get_string(json_at(days, i), "date"), date) == 0)
            return json_at(days, i);
    return NULL;
}

static bool has_rule(const json_value *day, const char *id)
{
    const json_value *rules = json_get(day, "rules");
    for (size_t i = 0; rules && i < rules->n_items; i++)
        if (strcmp(json_get_string(json_at(rules, i), "id"), id) == 0)
            return true;
    return false;
}

static void test_calendar_2026(void **state)
{
    (void)state;
    assert_int_equal(run("--json calendar 2026"), 0);
    json_value *v = parse_out();
    const json_value *days = json_get(v, "days");
    /* Spring Festival 2026-02-17 and Mid-Autumn 2026-09-25 (Hong Kong Observatory calendar;
     * State Council notice 国办发明电〔2025〕7号 on the 2026 holidays). */
    const json_value *d = day_of(days, "2026-02-17");
    assert_non_null(d);
    assert_non_null(strstr(json_get_string(d, "what"), "春节"));
    assert_int_equal(json_get_int(json_get(d, "lunar"), "month", 0), 1);
    assert_int_equal(json_get_int(json_get(d, "lunar"), "day", 0), 1);
    assert_true(has_rule(d, "spring-off"));
    assert_non_null(day_of(days, "2026-02-14"));           /* 春节-3 */
    assert_non_null(day_of(days, "2026-02-24"));           /* 春节+7 */
    d = day_of(days, "2026-09-25");
    assert_non_null(d);
    assert_non_null(strstr(json_get_string(d, "what"), "中秋节"));
    assert_true(has_rule(d, "midautumn-pomegranate"));
    assert_int_equal(json_get_int(json_get(d, "lunar"), "month", 0), 8);
    assert_int_equal(json_get_int(json_get(d, "lunar"), "day", 0), 15);
    d = day_of(days, "2026-10-17");
    assert_non_null(d);
    assert_non_null(strstr(json_get_string(d, "what"), "国家扶贫日"));
    assert_true(has_rule(d, "fupin-day-points"));
    assert_true(has_rule(d, "fupin-day-off"));
    assert_non_null(day_of(days, "2026-05-05"));
    d = day_of(days, "2026-05-06");                        /* a Wednesday (会员日), not 劳动节 */
    assert_true(!d || !strstr(json_get_string(d, "what"), "劳动节"));
    assert_non_null(day_of(days, "2026-10-07"));
    /* every Friday of 2026 (the first is Jan 2), each with the Friday rule */
    int fridays = 0;
    for (int64_t day = bizday_days_from_civil(2026, 1, 2);
         day <= bizday_days_from_civil(2026, 12, 31); day += 7) {
        int y, m, dd;
        bizday_civil_from_days(day, &y, &m, &dd);
        char date[16];
        snprintf(date, sizeof date, "%04d-%02d-%02d", y, m, dd);
        d = day_of(days, date);
        if (!d)
            fail_msg("Friday %s missing", date);
        assert_int_equal(json_get_int(d, "weekday", -1), 5);
        assert_non_null(strstr(json_get_string(d, "what"), "周五"));
        assert_true(has_rule(d, "fri-fupin"));
        fridays++;
    }
    assert_int_equal(fridays, 52);
    json_free(v);

    /* 2025: the dates are computed for the year (Spring Festival 2025-01-29), but no rule is
     * in force before 2026-01-01. */
    assert_int_equal(run("--json calendar 2025"), 0);
    v = parse_out();
    d = day_of(json_get(v, "days"), "2025-01-29");
    assert_non_null(d);
    assert_non_null(strstr(json_get_string(d, "what"), "春节"));
    assert_int_equal(json_get(d, "rules")->n_items, 0);
    json_free(v);

    assert_int_equal(run("calendar 2026"), 0);
    assert_non_null(strstr(out, "2026-02-17"));
    assert_non_null(strstr(out, "正月初一"));
    assert_int_equal(run("calendar 1900"), 2);
    assert_int_equal(run("calendar"), 2);
}

/* A sale through the till's own path, with a member attached. */
static void sell_to(const char *member_id, const char *code, int64_t qty, const char *at)
{
    till *t = NULL;
    char msg[256];
    assert_int_equal(till_open(&t, db_path, false, msg, sizeof msg), STORE_OK);
    int64_t now;
    assert_true(bizday_parse_iso8601(at, 480, &now));
    till_set_now(t, now);
    if (till_scan(t, code, qty, NULL, NULL) != TILL_OK)
        fail_msg("scan %s: %s", code, till_message(t));
    assert_int_equal(till_tender(t, TENDER_WECHAT, basket_total(till_basket(t))), TILL_OK);
    sale_doc *doc = calloc(1, sizeof *doc);
    assert_non_null(doc);
    if (till_prepare_sale(t, now, doc) != TILL_OK)
        fail_msg("prepare: %s", till_message(t));
    snprintf(doc->member_id, sizeof doc->member_id, "%s", member_id);
    if (till_commit_prepared(till_store(t), doc, till_basket(t), msg, sizeof msg) != TILL_OK)
        fail_msg("commit: %s", msg);
    free(doc);
    till_close(t);
}

static void test_stars_masked(void **state)
{
    (void)state;
    sell_to("88000001", "6985798000170", 2, "2026-10-15T10:30:00+08:00");  /* 张三明 ¥256 (Thu) */
    sell_to("88000003", "6985798000170", 1, "2026-10-18T11:00:00+08:00");  /* 欧阳振华 ¥128 */
    sell_to("88000005", "6918152000523", 9, "2026-10-18T11:00:00+08:00");  /* 王芳: not 扶贫 */
    sell_to("88009002", "6985798000170", 5, "2026-10-18T12:00:00+08:00");  /* staff */
    sell_to("88008001", "6985798000170", 3, "2026-10-19T09:00:00+08:00");  /* organisation */
    assert_int_equal(sql_int("SELECT count(*) FROM sales WHERE member_id IS NOT NULL"), 5);

    assert_int_equal(run("--json --at 2026-10-20T09:00:00+08:00 stars"), 0);
    json_value *v = parse_out();
    assert_string_equal(json_get_string(v, "month"), "2026-10");
    const json_value *board = json_get(v, "board");
    assert_int_equal(board->n_items, 2);
    const json_value *first = json_at(board, 0);
    assert_int_equal(json_get_int(first, "rank", 0), 1);
    assert_string_equal(json_get_string(first, "name"), "张*明");
    assert_string_equal(json_get_string(first, "phone"), "139****1234");
    assert_string_equal(json_get_string(first, "card"), "****0001");
    assert_int_equal(json_get_int(first, "spend_fen", 0), 25600);
    assert_string_equal(json_get_string(json_at(board, 1), "name"), "欧阳*华");
    const json_value *orgs = json_get(v, "organisations");
    assert_int_equal(orgs->n_items, 1);
    assert_string_equal(json_get_string(json_at(orgs, 0), "name"), "永仁县兴永建材有限公司");
    assert_string_equal(json_get_string(json_at(orgs, 0), "phone"), "087****2345");
    json_free(v);
    /* nothing unmasked leaks, staff nowhere */
    assert_null(strstr(out, "张三明"));
    assert_null(strstr(out, "13908781234"));
    assert_null(strstr(out, "88000001"));
    assert_null(strstr(out, "钱"));

    assert_int_equal(run("stars --month 2026-10"), 0);
    assert_non_null(strstr(out, "张*明"));
    assert_null(strstr(out, "张三明"));
    assert_int_equal(run("--json stars --month 2026-09"), 0);
    v = parse_out();
    assert_int_equal(json_get(v, "board")->n_items, 0);
    json_free(v);
    assert_int_equal(run("stars --month 2026-13"), 2);
}

static void test_member_admin(void **state)
{
    (void)state;
    assert_int_equal(run("--at 2026-10-16T10:30:00+08:00 member add --card 77000001 "
                         "--phone 13100001111 --name 测试会员"),
                     0);
    assert_int_equal(run("member add --card 77000001 --phone 13100002222 --name 重复"), 1);
    assert_int_equal(run("member add --card 77000002 --name 坏 --kind alien"), 2);
    assert_int_equal(run("--json member points 77000001 --adjust 100 --reason 开卡礼"), 0);
    json_value *v = parse_out();
    assert_int_equal(json_get_int(v, "balance", -1), 100);
    json_free(v);
    assert_int_equal(run("member points 77000001 --adjust -200 --reason 超扣"), 1);
    assert_non_null(strstr(stderr_text(), "余额不足"));
    assert_int_equal(run("--json member show 13100001111"), 0);
    v = parse_out();
    assert_string_equal(json_get_string(v, "card"), "77000001");
    assert_string_equal(json_get_string(v, "kind"), "person");
    assert_int_equal(json_get_int(v, "balance", -1), 100);
    const json_value *j = json_get(v, "journal");
    assert_int_equal(j->n_items, 1);
    assert_string_equal(json_get_string(json_at(j, 0), "kind"), "adjust");
    assert_string_equal(json_get_string(json_at(j, 0), "reason"), "开卡礼");
    json_free(v);
    assert_int_equal(run("member show nobody"), 1);
    assert_int_equal(run("member"), 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_price_friday_vs_monday),
        cmocka_unit_test(test_price_gift_and_member),
        cmocka_unit_test(test_calendar_2026),
        cmocka_unit_test(test_stars_masked),
        cmocka_unit_test(test_member_admin),
    };
    return cmocka_run_group_tests(tests, cli_harness_setup, cli_harness_teardown);
}
