/* The CLI contract, end to end: the real fupin-pos binary on a real SQLite file.  Sales printed
 * with --json are checked against the invariants of CLI.md by recomputing them here from the
 * JSON, independently of sale_check(). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pos/core/json.h"

static char db_path[512];
static char err_path[512];
static char out[1 << 16];

/* Run fupin-pos with args (shell words); stdout into `out`, stderr into err_path. */
__attribute__((format(printf, 1, 2)))
static int run(const char *fmt, ...)
{
    char args[4096], cmd[8192];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(args, sizeof args, fmt, ap);
    va_end(ap);
    snprintf(cmd, sizeof cmd, "'%s' --db '%s' %s 2>'%s'", FUPIN_BIN, db_path, args, err_path);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t n = fread(out, 1, sizeof out - 1, p);
    out[n] = '\0';
    int st = pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

static char *stderr_text(void)
{
    static char buf[4096];
    FILE *f = fopen(err_path, "r");
    size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
    buf[n] = '\0';
    if (f)
        fclose(f);
    return buf;
}

static int64_t sql_int(const char *sql)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

static int setup(void **state)
{
    (void)state;
    snprintf(db_path, sizeof db_path, "%s/cli-%d.db", FUPIN_TEST_TMP, (int)getpid());
    snprintf(err_path, sizeof err_path, "%s/cli-%d.err", FUPIN_TEST_TMP, (int)getpid());
    unlink(db_path);
    if (run("init --demo") != 0) {
        fprintf(stderr, "init --demo failed: %s\n", stderr_text());
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char p[600];
    unlink(db_path);
    snprintf(p, sizeof p, "%s-wal", db_path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", db_path);
    unlink(p);
    unlink(err_path);
    return 0;
}

/* The invariants of CLI.md, recomputed from the printed document. */
static void assert_sale_invariants(const json_value *s)
{
    const json_value *lines = json_get(s, "lines"), *tenders = json_get(s, "tenders");
    assert_non_null(lines);
    assert_non_null(tenders);
    assert_true(lines->n_items > 0);
    int64_t sum = 0, paid = 0;
    for (size_t i = 0; i < lines->n_items; i++) {
        const json_value *l = json_at(lines, i);
        sum += json_get_int(l, "amount_fen", -1) - json_get_int(l, "discount_fen", -1);
    }
    bool all_cash = true;
    for (size_t i = 0; i < tenders->n_items; i++) {
        const json_value *t = json_at(tenders, i);
        paid += json_get_int(t, "amount_fen", -1);
        all_cash = all_cash && strcmp(json_get_string(t, "kind"), "cash") == 0;
    }
    int64_t total = json_get_int(s, "total_fen", -1), rounding = json_get_int(s, "rounding_fen", -1),
            due = json_get_int(s, "due_fen", -1), change = json_get_int(s, "change_fen", -1);
    assert_int_equal(sum, total);
    assert_int_equal(total + rounding, due);
    assert_int_equal(paid - change, due);
    if (!all_cash)
        assert_int_equal(rounding, 0);
}

static json_value *parse_out(void)
{
    char err[128];
    json_value *v = json_parse(out, strlen(out), err, sizeof err);
    if (!v)
        fail_msg("stdout is not one JSON document (%s): %s", err, out);
    return v;
}

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
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM sale_lines WHERE sale_uuid='%s'",
             json_get_string(s, "uuid"));
    assert_int_equal(sql_int(sql), 3);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM outbox WHERE ref_uuid='%s'",
             json_get_string(s, "uuid"));
    assert_int_equal(sql_int(sql), 1);
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
    assert_int_equal(run("scan 6900000000007"), 1);
    assert_non_null(strstr(out, "not in the catalog"));
    assert_int_equal(run("scan"), 2);
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
        cmocka_unit_test_setup_teardown(test_sell_json_counted_and_weighed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refusals_write_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_scan, setup, teardown),
        cmocka_unit_test_setup_teardown(test_init_idempotent_and_newer_schema, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
