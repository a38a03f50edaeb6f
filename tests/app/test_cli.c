/* The CLI contract, end to end: the real fupin-pos binary on a real SQLite file.  Sales printed
 * with --json are checked against the invariants of CLI.md by recomputing them here from the
 * JSON, independently of sale_check(). */
#define CLI_HARNESS_NAME "cli"
#include "cli_harness.h"

static void test_sell_json_counted_and_weighed(void **state)
{
    (void)state;
    /* 石榴汁 880 ×2, 带壳核桃 2800, 软籽石榴(散装) PLU 10001 at ¥18.00/kg × 512 g = 921.6 -> 922.
     * A Thursday: the demo's Friday 扶贫日 discount is tests/app/test_sell_promo_cli.c's. */
    int rc = run("--json sell 6985798000316*2 6953822000175 10001@512 --tender cash:10000 "
                 "--at 2026-10-15T10:30:00+08:00");
    assert_int_equal(rc, 0);
    json_value *s = parse_out();
    assert_sale_invariants(s);
    assert_int_equal(json_get_int(s, "total_fen", 0), 1760 + 2800 + 922);
    assert_int_equal(json_get_int(s, "rounding_fen", 0), -2); /* demo store: 抹零 drop fen */
    assert_int_equal(json_get_int(s, "change_fen", 0), 10000 - 5480);
    assert_string_equal(json_get_string(s, "receipt_no"), "YR01-1-20261015-0001");
    assert_string_equal(json_get_string(s, "business_day"), "2026-10-15");
    const json_value *w = json_at(json_get(s, "lines"), 2);
    assert_int_equal(json_get_int(w, "grams", 0), 512);
    assert_int_equal(json_get_int(w, "amount_fen", 0), 922);
    /* stored whole: lines, tender, outbox row */
    assert_int_equal(sql_int("SELECT count(*) FROM sale_lines WHERE sale_uuid='%s'",
                             json_get_string(s, "uuid")),
                     3);
    assert_int_equal(sql_int("SELECT count(*) FROM outbox WHERE ref_uuid='%s'",
                             json_get_string(s, "uuid")),
                     1);
    json_free(s);

    /* the next sale the same day takes the next number; after midnight Shanghai, 0001 again */
    assert_int_equal(run("--json sell 6985798000316 --tender wechat:880 --at 2026-10-15T23:59:59+08:00"), 0);
    s = parse_out();
    assert_sale_invariants(s);
    assert_string_equal(json_get_string(s, "receipt_no"), "YR01-1-20261015-0002");
    assert_int_equal(json_get_int(s, "rounding_fen", 1), 0);
    json_free(s);
    assert_int_equal(run("--json sell 6985798000316 --tender cash:1000 --at 2026-10-15T16:00:00Z"), 0);
    s = parse_out();
    assert_string_equal(json_get_string(s, "receipt_no"), "YR01-1-20261016-0001");
    json_free(s);
}

static void test_refusals_write_nothing(void **state)
{
    (void)state;
    static const struct { const char *args; int rc; const char *says; } cases[] = {
        { "sell 6985798000317 --tender cash:1000", 1, "check digit" },
        { "sell 6900000000007 --tender cash:1000", 1, "unknown product" },
        { "sell 69857980003X6 --tender cash:1000", 1, "digit" },
        { "sell 6985798000316*0 --tender cash:1000", 1, "quantity" },
        { "sell 6985798000316*1000 --tender cash:100000000", 1, "quantity" },
        { "sell 6985798000316 --tender cash:870", 1, "short by" },
        { "sell 6985798000316 --tender wechat:2000", 1, "change" },
        { "sell 10001@0 --tender cash:1000", 1, "weight" },
        { "sell 10001 --tender cash:1000", 1, "weigh" },
        { "sell 6985798000316 --tender cash:99999999999999999999", 2, "positive number" },
        { "sell 6985798000316 --tender gold:100", 2, "unknown tender" },
        { "sell 6985798000316", 2, "usage" },
        { "sell --tender cash:100", 2, "usage" },
        { "sell 6985798000316 --tender cash:1000 --member 13800000000", 1, "No member" },
        { "sell 6985798000316 --tender cash:1000 --org 88000001", 1, "not an organisation" },
        { "sell 6985798000316 --tender cash:1000 --member 88000001 --org 88008001", 2, "one --member" },
        { "sell 6985798000316 --tender points:100", 1, "member" },
        { "frobnicate", 2, "unknown" },
    };
    int64_t before = sql_int("SELECT count(*) FROM sales");
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        /* Pinned to a Thursday: on a Friday the 扶贫日 discount would make 870 enough. */
        int rc = run("--lang en --at 2026-10-15T10:30:00+08:00 %s", cases[i].args);
        const char *err = stderr_text();
        if (rc != cases[i].rc || !strstr(err, cases[i].says))
            fail_msg("'%s': exit %d (want %d), stderr: %s (want '%s')", cases[i].args, rc,
                     cases[i].rc, err, cases[i].says);
    }
    assert_int_equal(sql_int("SELECT count(*) FROM sales"), before);
    assert_int_equal(sql_int("SELECT count(*) FROM outbox"), before);
}

static void test_scan(void **state)
{
    (void)state;
    assert_int_equal(run("--json scan 6953822000175"), 0);
    json_value *v = parse_out();
    assert_string_equal(json_get_string(v, "kind"), "product");
    assert_true(json_get(v, "found")->boolean);
    assert_string_equal(json_get_string(json_get(v, "product"), "sku"), "P0004");
    json_free(v);
    assert_int_equal(run("--json scan 6953822000176"), 1);
    v = parse_out();
    assert_string_equal(json_get_string(v, "kind"), "rejected");
    assert_non_null(strstr(json_get_string(v, "reason"), "check digit"));
    json_free(v);
    /* Refusals go to stderr (CLI.md: stderr says what and why), naming the code and the cause. */
    assert_int_equal(run("scan 6900000000007"), 1);
    assert_string_equal(out, "");
    assert_non_null(strstr(stderr_text(), "6900000000007"));
    assert_non_null(strstr(stderr_text(), "not in the catalog"));
    assert_int_equal(run("scan"), 2);
    /* 100 digits: the message shows what was scanned, not ": rejected: ..." */
    char digits[101];
    memset(digits, '7', 100);
    digits[100] = '\0';
    assert_int_equal(run("--lang en scan %s", digits), 1);
    assert_string_equal(out, "");
    if (!strstr(stderr_text(), "7777777777") || !strstr(stderr_text(), "longer than"))
        fail_msg("%s", stderr_text());
    /* a full-width digit: named, and the code is shown */
    assert_int_equal(run("--lang en scan 69853980003\xef\xbc\x91" "6"), 1);
    assert_string_equal(out, "");
    if (!strstr(stderr_text(), "69853980003") || !strstr(stderr_text(), "full-width"))
        fail_msg("%s", stderr_text());
    assert_int_equal(run("--lang en --json scan 69853980003\xef\xbc\x91" "6"), 1);
    json_value *j = parse_out();
    assert_non_null(strstr(json_get_string(j, "code"), "69853980003"));
    json_free(j);
    assert_non_null(strstr(stderr_text(), "full-width"));
    /* the same scan in a sale: the reason is followed by the code, not by nothing */
    assert_int_equal(run("--lang en sell 69853980003\xef\xbc\x91" "6 --tender cash:1000"), 1);
    if (!strstr(stderr_text(), "69853980003") || strstr(stderr_text(), "digit: \n"))
        fail_msg("%s", stderr_text());
    /* sell names a bad code as precisely as scan does: the code as scanned and the cause
     * (not only "not a digit" or "code too long"), on stderr, nothing written */
    const struct {
        const char *item, *code, *cause;
    } bad[] = {
        {"69853980003\xef\xbc\x91" "6", "69853980003\\xEF\\xBC\\x916",
         "full-width character U+FF11 at position 12"},
        {"6901234567893", "6901234567893", "check digit: expected 2, scanned 3"},
        {digits, "7777777777", "scan of 100 characters is longer than 64"},
    };
    int64_t sales = sql_int("SELECT count(*) FROM sales");
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(run("--lang en sell '%s' --tender cash:1000", bad[i].item), 1);
        assert_string_equal(out, "");
        const char *err = stderr_text();
        if (!strstr(err, bad[i].code) || !strstr(err, bad[i].cause) || !strstr(err, "rejected"))
            fail_msg("sell %s: %s", bad[i].code, err);
    }
    assert_int_equal(sql_int("SELECT count(*) FROM sales"), sales);
}

static void test_init_idempotent_and_newer_schema(void **state)
{
    (void)state;
    int64_t products = sql_int("SELECT count(*) FROM products");
    assert_true(products >= 80);
    assert_int_equal(run("init --demo"), 0);
    assert_int_equal(sql_int("SELECT count(*) FROM products"), products);
    assert_int_equal(run("--json init"), 0);
    json_value *v = parse_out();
    assert_string_equal(json_get_string(v, "store"), "YR01");
    json_free(v);

    /* a file from a newer fupin-pos is refused, never downgraded */
    sqlite3 *db;
    assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "PRAGMA user_version=99", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(run("--lang en sell 6985798000316 --tender cash:1000"), 1);
    assert_non_null(strstr(stderr_text(), "newer"));
    assert_int_equal(sql_int("PRAGMA user_version"), 99);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_sell_json_counted_and_weighed, cli_harness_setup, cli_harness_teardown),
        cmocka_unit_test_setup_teardown(test_refusals_write_nothing, cli_harness_setup, cli_harness_teardown),
        cmocka_unit_test_setup_teardown(test_scan, cli_harness_setup, cli_harness_teardown),
        cmocka_unit_test_setup_teardown(test_init_idempotent_and_newer_schema, cli_harness_setup, cli_harness_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
