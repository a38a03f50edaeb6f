/* The refund command end to end: the real fupin-pos binary on a real SQLite file -- sell, then
 * refund with the demo manager PIN; wrong / missing PIN and unknown receipts refused with
 * nothing written; the printed document's invariants recomputed here from the JSON:
 * sum(lines.amount_fen) + rounding_fen == total_fen == sum(tenders.amount_fen), and over all
 * refunds of a sale the totals add up to its due. */
#define CLI_HARNESS_NAME "refund-cli"
#include "cli_harness.h"

static void assert_refund_invariants(const json_value *r)
{
    const json_value *lines = json_get(r, "lines"), *tenders = json_get(r, "tenders");
    assert_non_null(lines);
    assert_non_null(tenders);
    assert_true(lines->n_items > 0);
    int64_t sum = 0, paid = 0;
    for (size_t i = 0; i < lines->n_items; i++)
        sum += json_get_int(json_at(lines, i), "amount_fen", -1);
    for (size_t i = 0; i < tenders->n_items; i++)
        paid += json_get_int(json_at(tenders, i), "amount_fen", -1);
    int64_t total = json_get_int(r, "total_fen", -1);
    assert_int_equal(sum, json_get_int(r, "lines_fen", -1));
    assert_int_equal(sum + json_get_int(r, "rounding_fen", -1), total);
    assert_int_equal(paid, total);
    assert_true(total >= 0);
    assert_non_null(json_get_string(r, "refund_no"));
    assert_non_null(json_get(r, "points_reversed"));
    assert_non_null(json_get(r, "points_returned"));
}

/* Sell on the demo's Friday (扶贫日 discount, 满赠 gift, 抹零), return it in three steps. */
static void test_sell_then_refund(void **state)
{
    (void)state;
    assert_int_equal(run("--json sell 6953822000175*3 6953822000243 --tender cash:20000 "
                         "--at 2026-10-16T10:30:00+08:00"),
                     0);
    json_value *sale = parse_out();
    char rno[64];
    snprintf(rno, sizeof rno, "%s", json_get_string(sale, "receipt_no"));
    int64_t due = json_get_int(sale, "due_fen", -1);
    json_free(sale);
    int64_t refunded = 0;
    /* one walnut, then the other two and the paper-shell walnuts: the second completes it */
    const char *steps[] = {"1*1", "1*2 2"};
    for (int i = 0; i < 2; i++) {
        int rc = run("--json refund %s %s --approve 8888 --at 2026-10-16T11:0%d:00+08:00", rno,
                     steps[i], i);
        if (rc != 0)
            fail_msg("refund %s: %s", steps[i], stderr_text());
        json_value *r = parse_out();
        assert_refund_invariants(r);
        assert_string_equal(json_get_string(r, "receipt_no"), rno);
        char want[64];
        snprintf(want, sizeof want, "YR01-1-20261016-R%04d", i + 1);
        assert_string_equal(json_get_string(r, "refund_no"), want);
        refunded += json_get_int(r, "total_fen", -1);
        assert_int_equal(json_get_int(r, "rounding_fen", -1) != 0, i == 1);
        json_free(r);
    }
    /* The ledger balances: the refunds of a sale add up to the due the shopper paid. */
    assert_int_equal(refunded, due);
    assert_int_equal(run("refund %s --approve 8888", rno), 1);
    assert_non_null(strstr(stderr_text(), "already fully refunded"));
    assert_int_equal(sql_int("SELECT count(*) FROM refunds"), 2);
    assert_int_equal(sql_int("SELECT count(*) FROM outbox WHERE kind = 'refund'"), 2);
    /* stock of the walnuts is back where it was before the sale */
    assert_int_equal(sql_int("SELECT coalesce(sum(qty), 0) FROM stock_moves WHERE sku = 'P0004' "
                             "AND kind IN ('sale', 'refund')"),
                     0);
    /* human text too */
    assert_int_equal(run("--json sell 6953822000175 --tender wechat:2800 "
                         "--at 2026-10-15T10:30:00+08:00"),
                     0);
    sale = parse_out();
    snprintf(rno, sizeof rno, "%s", json_get_string(sale, "receipt_no"));
    json_free(sale);
    assert_int_equal(run("refund %s 1 --approve 8888 --at 2026-10-15T12:00:00+08:00", rno), 0);
    assert_non_null(strstr(out, "YR01-1-20261015-R0001"));
    assert_non_null(strstr(out, "wechat 28.00"));
}

static void test_refusals_write_nothing(void **state)
{
    (void)state;
    assert_int_equal(run("--json sell 6953822000175*2 --tender cash:10000 "
                         "--at 2026-10-15T10:30:00+08:00"),
                     0);
    json_value *sale = parse_out();
    char rno[64];
    snprintf(rno, sizeof rno, "%s", json_get_string(sale, "receipt_no"));
    json_free(sale);
    int64_t audit0 = sql_int("SELECT count(*) FROM audit_log");
    /* rest follows "refund RECEIPT_NO" (or "refund" alone when receipt is false) */
    static const struct {
        bool receipt;
        const char *rest;
        int rc;
        const char *says;
    } cases[] = {
        {true, "", 1, "needs manager approval"},
        {true, "--approve 1234", 1, "needs manager approval"},
        {true, "--approve", 2, "PIN"},
        {true, "1*3 --approve 8888", 1, "left to refund"},
        {true, "2 --approve 8888", 1, "no line 2"},
        {true, "1*x --approve 8888", 2, "LINE"},
        {true, "0 --approve 8888", 2, "LINE"},
        {false, "YR01-1-20991231-9999 --approve 8888", 1, "no sale"},
        {false, "--approve 8888", 2, "usage"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int rc = run("refund %s %s", cases[i].receipt ? rno : "", cases[i].rest);
        if (rc != cases[i].rc || !strstr(stderr_text(), cases[i].says))
            fail_msg("'%s': exit %d (want %d), stderr: %s", cases[i].rest, rc, cases[i].rc,
                     stderr_text());
    }
    assert_int_equal(sql_int("SELECT count(*) FROM refunds"), 0);
    assert_int_equal(sql_int("SELECT count(*) FROM audit_log"), audit0);
    /* A PIN set with init --manager-pin replaces the demo's. */
    assert_int_equal(run("init --manager-pin 24680"), 0);
    assert_int_equal(run("refund %s 1 --approve 8888", rno), 1);
    assert_int_equal(run("--json refund %s 1 --approve 24680", rno), 0);
    assert_int_equal(run("init --manager-pin 12"), 2);
    /* re-running init --demo keeps the manager's PIN */
    assert_int_equal(run("init --demo"), 0);
    assert_int_equal(run("refund %s 1 --approve 24680", rno), 0);
}

/* refund --uuid: a script that lost the answer of a partial refund retries with the same UUID
 * and gets the stored refund back (exit 0, "already stored as" on stderr) -- no second unit
 * refunded, no money out twice; another refund under that UUID is refused. */
static void test_uuid_makes_the_retry_idempotent(void **state)
{
    (void)state;
    assert_int_equal(run("--json sell 6953822000175*3 --tender cash:20000 "
                         "--at 2026-10-15T10:30:00+08:00"),
                     0);
    json_value *sale = parse_out();
    char rno[64];
    snprintf(rno, sizeof rno, "%s", json_get_string(sale, "receipt_no"));
    json_free(sale);
    const char *u = "3c9a7e21-4b6d-4f80-9e12-a1b2c3d4e5f6";
    /* committed, its answer lost on a full disk */
    assert_int_equal(run("--json refund %s 1*1 --approve 8888 --uuid %s "
                         "--at 2026-10-15T11:00:00+08:00 >/dev/full", rno, u),
                     4);
    assert_non_null(strstr(stderr_text(), "YR01-1-20261015-R0001"));
    assert_int_equal(sql_int("SELECT count(*) FROM refunds"), 1);
    int64_t money = sql_int("SELECT sum(total_fen) FROM refunds");
    /* the retry, a minute later: the stored refund, nothing written */
    int rc = run("--lang en --json refund %s 1*1 --approve 8888 --uuid %s "
                 "--at 2026-10-15T11:01:00+08:00", rno, u);
    if (rc != 0)
        fail_msg("retry: exit %d, stderr: %s", rc, stderr_text());
    json_value *r = parse_out();
    assert_refund_invariants(r);
    assert_string_equal(json_get_string(r, "uuid"), u);
    assert_string_equal(json_get_string(r, "refund_no"), "YR01-1-20261015-R0001");
    assert_int_equal(json_get_int(r, "total_fen", -1), money);
    json_free(r);
    assert_non_null(strstr(stderr_text(), "already stored as YR01-1-20261015-R0001"));
    assert_int_equal(sql_int("SELECT count(*) FROM refunds"), 1);
    assert_int_equal(sql_int("SELECT sum(qty) FROM refund_lines"), 1);
    assert_int_equal(sql_int("SELECT count(*) FROM outbox WHERE kind = 'refund'"), 1);
    /* human text too */
    assert_int_equal(run("refund %s 1*1 --approve 8888 --uuid %s", rno, u), 0);
    assert_non_null(strstr(out, "YR01-1-20261015-R0001"));
    /* another refund under the stored UUID: refused, nothing written */
    assert_int_equal(run("refund %s 1*2 --approve 8888 --uuid %s", rno, u), 1);
    assert_non_null(strstr(stderr_text(), "R0001"));
    assert_int_equal(run("refund %s --approve 8888 --uuid %s", rno, u), 1);
    assert_int_equal(sql_int("SELECT count(*) FROM refunds"), 1);
    /* the PIN is still needed to see it again */
    assert_int_equal(run("refund %s 1*1 --approve 1234 --uuid %s", rno, u), 1);
    /* not a v4 UUID, or twice: usage errors */
    assert_int_equal(run("refund %s 1*1 --approve 8888 --uuid nope", rno), 2);
    assert_int_equal(run("refund %s 1*1 --approve 8888 --uuid", rno), 2);
    assert_int_equal(run("refund %s 1*1 --approve 8888 --uuid %s --uuid %s", rno, u, u), 2);
    assert_int_equal(sql_int("SELECT count(*) FROM refunds"), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_sell_then_refund, cli_harness_setup, cli_harness_teardown),
        cmocka_unit_test_setup_teardown(test_refusals_write_nothing, cli_harness_setup, cli_harness_teardown),
        cmocka_unit_test_setup_teardown(test_uuid_makes_the_retry_idempotent, cli_harness_setup,
                                        cli_harness_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
