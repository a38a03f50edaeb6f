/* The manager's editors end to end, on the real fupin-pos binary and a demo database:
 * `promo import` (all or nothing, every bad rule named), `promo disable/enable`, `price` seeing
 * the change, `config show/set` (known keys, validated, refused with exit 1 and nothing
 * written), and `member expire`. */
#define CLI_HARNESS_NAME "promo-admin"
#include "cli_harness.h"

static char rules_path[512];

static int setup(void **state)
{
    cli_harness_path(rules_path, sizeof rules_path, "-rules.json");
    return cli_harness_setup(state);
}

static int teardown(void **state)
{
    unlink(rules_path);
    return cli_harness_teardown(state);
}

#define TUESDAY "2026-10-20T10:30:00+08:00"
#define WEDNESDAY "2026-10-21T10:30:00+08:00"
/* 石榴汁 P0003, ¥8.80 */
#define JUICE_BASKET "{\"items\": [{\"code\": \"6985798000316\", \"qty\": 2}]}"

static void test_import_price_disable(void **state)
{
    (void)state;
    int64_t audit0 = sql_int("SELECT count(*) FROM audit_log");
    write_file(rules_path,
               "[{\"id\": \"tue-juice\", \"label\": \"周二石榴汁半价\", \"priority\": 40,"
               "  \"schedule\": {\"weekdays\": [\"tue\"], \"from\": \"2026-10-20\", \"to\": \"2026-10-20\"},"
               "  \"scope\": {\"kind\": \"skus\", \"skus\": [\"P0003\"]},"
               "  \"effect\": {\"kind\": \"percent\", \"percent\": 50}}]");
    assert_int_equal(run("promo import '%s'", rules_path), 0);
    assert_int_equal(sql_int("SELECT count(*) FROM audit_log"), audit0 + 1);
    assert_int_equal(sql_int("SELECT count(*) FROM audit_log WHERE event = 'promo.rule.upsert' "
                             "AND ref = 'tue-juice'"), 1);
    /* The same file again changes nothing and audits nothing. */
    assert_int_equal(run("promo import '%s'", rules_path), 0);
    assert_int_equal(sql_int("SELECT count(*) FROM audit_log"), audit0 + 1);
    /* The demo's own campaign file (with its "comment" and "settings" keys) imports as the
     * docs say, and over the loaded demo it changes nothing. */
    assert_int_equal(run("promo import '%s/demo/promotions.json'", FUPIN_ASSETS_DIR), 0);
    assert_int_equal(sql_int("SELECT count(*) FROM audit_log"), audit0 + 1);

    assert_int_equal(run("--json promo list"), 0);
    json_value *l = parse_out();
    bool seen = false;
    for (size_t i = 0; i < l->n_items; i++) {
        const json_value *r = json_at(l, i);
        if (strcmp(json_get_string(r, "id"), "tue-juice") == 0) {
            seen = true;
            assert_int_equal(json_get_int(r, "priority", 0), 40);
            assert_true(json_get(r, "active")->boolean);
            assert_non_null(strstr(json_get_string(r, "schedule"), "tue"));
        }
    }
    assert_true(seen);
    json_free(l);
    assert_int_equal(run("promo show tue-juice"), 0);
    json_value *one = parse_out();
    assert_int_equal(json_get_int(json_get(one, "effect"), "percent", 0), 50);
    json_free(one);

    write_basket(JUICE_BASKET);
    assert_int_equal(run("--json --at %s price '%s'", TUESDAY, basket_path), 0);
    json_value *v = parse_out();
    const json_value *a = applied_rule(v, "tue-juice");
    assert_non_null(a);
    assert_int_equal(json_get_int(a, "amount_fen", 0), -880);
    json_free(v);
    /* Not on the Wednesday: its schedule is the 20th only. */
    assert_int_equal(run("--json --at %s price '%s'", WEDNESDAY, basket_path), 0);
    v = parse_out();
    assert_null(applied_rule(v, "tue-juice"));
    json_free(v);

    assert_int_equal(run("promo disable tue-juice"), 0);
    assert_int_equal(run("--json --at %s price '%s'", TUESDAY, basket_path), 0);
    v = parse_out();
    assert_null(applied_rule(v, "tue-juice"));
    json_free(v);
    assert_int_equal(sql_int("SELECT active FROM promo_rules WHERE id = 'tue-juice'"), 0);
    assert_int_equal(run("promo enable tue-juice"), 0);
    assert_int_equal(run("--json --at %s price '%s'", TUESDAY, basket_path), 0);
    v = parse_out();
    assert_non_null(applied_rule(v, "tue-juice"));
    json_free(v);
    assert_int_equal(run("promo disable no-such-rule"), 1);
    assert_int_equal(run("promo show no-such-rule"), 1);
}

static void test_bad_file_rejects_everything(void **state)
{
    (void)state;
    int64_t rules = sql_int("SELECT count(*) FROM promo_rules");
    int64_t audit = sql_int("SELECT count(*) FROM audit_log");
    write_file(rules_path,
               "{\"rules\": ["
               " {\"id\": \"ok-rule\", \"label\": \"好规则\", \"effect\": {\"kind\": \"percent\", \"percent\": 90}},"
               " {\"id\": \"bad-pct\", \"label\": \"坏规则\", \"effect\": {\"kind\": \"percent\", \"percent\": 150}},"
               " {\"id\": \"bad-key\", \"label\": \"坏键\", \"colour\": \"red\","
               "  \"effect\": {\"kind\": \"percent\", \"percent\": 90}},"
               " {\"id\": \"ok-rule\", \"label\": \"重复\", \"effect\": {\"kind\": \"percent\", \"percent\": 80}}"
               "]}");
    assert_int_equal(run("promo import '%s'", rules_path), 1);
    const char *err = stderr_text();
    char want[700];
    snprintf(want, sizeof want, "%s: rule \"bad-pct\": effect.percent:", rules_path);
    assert_non_null(strstr(err, want));
    snprintf(want, sizeof want, "%s: rule \"bad-key\": rule: unknown key", rules_path);
    assert_non_null(strstr(err, want));
    snprintf(want, sizeof want, "%s: rule \"ok-rule\": id:", rules_path);
    assert_non_null(strstr(err, want));
    assert_int_equal(sql_int("SELECT count(*) FROM promo_rules"), rules);
    assert_int_equal(sql_int("SELECT count(*) FROM audit_log"), audit);
    assert_int_equal(run("promo show ok-rule"), 1);
    /* Not JSON, the wrong shape: refused too. */
    write_file(rules_path, "[1, 2");
    assert_int_equal(run("promo import '%s'", rules_path), 1);
    write_file(rules_path, "{\"rulez\": []}");
    assert_int_equal(run("promo import '%s'", rules_path), 1);
    assert_int_equal(run("promo import"), 2);
}

static void test_config_round_trip_and_refusals(void **state)
{
    (void)state;
    assert_int_equal(run("config set points.redeem_rate 200"), 0);
    assert_int_equal(run("config set cash.rounding jiao"), 0);
    assert_int_equal(run("config set points.expiry months:12"), 0);
    assert_int_equal(run("config set scale.tolerance_fen 8"), 0);
    assert_int_equal(run("config set store.name '永仁县扶贫超市二店'"), 0);
    assert_int_equal(run("--json config show"), 0);
    json_value *v = parse_out();
    const json_value *st = json_get(v, "settings");
    assert_string_equal(json_get_string(st, "points.redeem_rate"), "200");
    assert_string_equal(json_get_string(st, "cash.rounding"), "jiao");
    assert_string_equal(json_get_string(st, "points.expiry"), "months:12");
    assert_string_equal(json_get_string(st, "scale.tolerance_fen"), "8");
    assert_string_equal(json_get_string(st, "store.name"), "永仁县扶贫超市二店");
    for (size_t i = 0; i < st->n_items; i++)
        assert_null(strstr(st->keys[i], "manager"));
    json_free(v);
    assert_null(strstr(out, "pin"));

    int64_t audit = sql_int("SELECT count(*) FROM audit_log");
    int64_t settings = sql_int("SELECT count(*) FROM settings");
    const char *bad[] = {
        "points.redeem_rate 0",     "points.rate 101",          "points.redeem_cap_percent -1",
        "points.expiry forever",    "points.expiry months:0",   "cash.rounding yuan",
        "till.no 0",                "till.no 1x",               "store.tz_offset_min 900",
        "store.code yr-01",         "scale.layouts XX",         "scale.tolerance_fen 1001",
        "no.such.key 1",            "manager.pin_sha256 abc",   "manager.pin_salt abc",
        /* a layout must name the product and say what to charge */
        "scale.layouts 21PPPPPPPPPPK", "scale.layouts 21CCCCCCCCCCK",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (run("config set %s", bad[i]) != 1)
            fail_msg("config set %s was not refused", bad[i]);
        assert_true(stderr_text()[0] != '\0');
    }
    assert_int_equal(sql_int("SELECT count(*) FROM audit_log"), audit);
    assert_int_equal(sql_int("SELECT count(*) FROM settings"), settings);
    assert_int_equal(run("--json config show"), 0);
    v = parse_out();
    st = json_get(v, "settings");
    assert_string_equal(json_get_string(st, "points.redeem_rate"), "200");
    assert_string_equal(json_get_string(st, "cash.rounding"), "jiao");
    assert_string_equal(json_get_string(st, "till.no"), "1");
    json_free(v);
    assert_int_equal(run("config set points.rate"), 2);
}

/* `member expire` at a given --at: FIFO, idempotent, "none" does nothing. */
static void test_member_expire(void **state)
{
    (void)state;
    assert_int_equal(run("--at 2026-01-10T10:00:00+08:00 member points 88000001 --adjust 100 "
                         "--reason 开业赠送"), 0);
    assert_int_equal(run("--at 2026-03-05T10:00:00+08:00 member points 88000001 --adjust -30 "
                         "--reason 兑换"), 0);
    assert_int_equal(run("--at 2026-05-20T10:00:00+08:00 member points 88000001 --adjust 50 "
                         "--reason 活动"), 0);
    assert_int_equal(run("--json --at 2026-08-15T10:00:00+08:00 member expire"), 0);
    json_value *v = parse_out();
    assert_int_equal(json_get_int(v, "expiry_months", -1), 0);
    assert_int_equal(json_get_int(v, "points", -1), 0);
    json_free(v);
    assert_int_equal(run("config set points.expiry months:6"), 0);
    assert_int_equal(run("--json --at 2026-08-15T10:00:00+08:00 member expire"), 0);
    v = parse_out();
    assert_int_equal(json_get_int(v, "expiry_months", -1), 6);
    assert_string_equal(json_get_string(v, "cutoff"), "2026-02-15T10:00:00+08:00");
    assert_int_equal(json_get_int(v, "points", -1), 70);
    const json_value *ex = json_get(v, "expired");
    assert_int_equal(ex->n_items, 1);
    assert_string_equal(json_get_string(json_at(ex, 0), "card"), "88000001");
    assert_int_equal(json_get_int(json_at(ex, 0), "points", 0), 70);
    json_free(v);
    assert_int_equal(run("--json --at 2026-08-15T10:00:00+08:00 member expire"), 0);
    v = parse_out();
    assert_int_equal(json_get_int(v, "points", -1), 0);
    json_free(v);
    assert_int_equal(sql_int("SELECT coalesce(sum(points), 0) FROM points_journal "
                             "WHERE member_id = '88000001'"), 50);
}

/* What `promo import` accepts is sellable, and `price` and `sell` agree: 60 rules applying to
 * one basket (40 discounts, 20 gifts) -- more than the sale document used to hold -- are
 * priced and sold alike. */
static void test_many_rules_price_and_sell_agree(void **state)
{
    (void)state;
    char receipt[600];
    cli_harness_path(receipt, sizeof receipt, "-receipt.csv");
    write_file(receipt, "supplier_id,sku,qty,cost_fen\nHH001,P0039,100,30000\n");
    assert_int_equal(run("stock receive '%s'", receipt), 0);
    unlink(receipt);
    static char rules[1 << 16];
    size_t len = 0;
    len += (size_t)snprintf(rules + len, sizeof rules - len, "[");
    for (int i = 0; i < 60; i++)
        len += (size_t)snprintf(
            rules + len, sizeof rules - len,
            i < 40 ? "%s{\"id\": \"many-%02d\", \"label\": \"多规则 %d\", \"priority\": 1,"
                     " \"scope\": {\"kind\": \"skus\", \"skus\": [\"P0003\"]},"
                     " \"effect\": {\"kind\": \"percent\", \"percent\": 99}}"
                   : "%s{\"id\": \"many-%02d\", \"label\": \"多赠品 %d\", \"priority\": 1,"
                     " \"effect\": {\"kind\": \"threshold_gift\", \"threshold_fen\": 1,"
                     " \"gifts\": [{\"sku\": \"P0039\"}]}}",
            i ? "," : "", i, i);
    snprintf(rules + len, sizeof rules - len, "]");
    write_file(rules_path, rules);
    assert_int_equal(run("promo import '%s'", rules_path), 0);
    write_basket(JUICE_BASKET);
    assert_int_equal(run("--json --at %s price '%s'", WEDNESDAY, basket_path), 0);
    json_value *p = parse_out();
    assert_int_equal(run("--json --at %s sell 6985798000316*2 --tender cash:2000", WEDNESDAY), 0);
    json_value *sold = parse_out();
    if (!sold)
        fail_msg("sell refused: %s", stderr_text());
    size_t n_applied = 0;
    const json_value *pa = json_get(p, "applied"), *sa = json_get(sold, "applied");
    for (size_t i = 0; i < pa->n_items; i++)
        n_applied += strncmp(json_get_string(json_at(pa, i), "rule"), "many-", 5) == 0;
    assert_true(n_applied >= 40);
    assert_true(sa->n_items >= pa->n_items);
    assert_int_equal(json_get_int(sold, "total_fen", -1), json_get_int(p, "total_fen", -2));
    assert_true(json_get(sold, "gifts")->n_items >= 20);
    json_free(p);
    json_free(sold);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_import_price_disable, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_file_rejects_everything, setup, teardown),
        cmocka_unit_test_setup_teardown(test_config_round_trip_and_refusals, setup, teardown),
        cmocka_unit_test_setup_teardown(test_member_expire, setup, teardown),
        cmocka_unit_test_setup_teardown(test_many_rules_price_and_sell_agree, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
