/* test_sale_requests: the request fingerprint of a sale made under a caller's UUID (schema step
 * 7, sales_commit_request) on a real file -- written with the sale in its transaction and never
 * without it, immutable like the sale, and the idempotency key's answer: the same request under
 * a stored UUID writes nothing and gets the stored receipt, another request is refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/sales.h"
#include "db/store.h"
#include "db_test_util.h"
#include "sale_fixture.h"
#include "store_fixture.h"

/* 2026-10-16 10:30:00 +08:00 */
#define T_MORNING ((int64_t)1792117800)
#define FP_A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define FP_B "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static store *open_new(const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/sale_requests_%s.db", FUPIN_TEST_TMP, name);
    return fx_open_new(path, ROUNDING_DROP_FEN);
}

static int raw(store *s, const char *sql)
{
    return sqlite3_exec(store_db(s), sql, NULL, NULL, NULL);
}

static void test_request_rides_with_the_sale(void **state)
{
    (void)state;
    store *s = open_new("rides");
    uint64_t rng = 3;
    char msg[256];
    bool stored = true;

    /* a sale without a request: no row */
    sale_doc *plain = fx_new_sale(1, T_MORNING, &rng);
    fx_commit_ok(s, plain);
    assert_int_equal(count(s, "SELECT count(*) FROM sale_requests"), 0);

    sale_doc *d = fx_new_sale(2, T_MORNING, &rng);
    assert_int_equal(sales_commit_request(s, d, FP_A, NULL, 0, &stored, msg, sizeof msg), STORE_OK);
    assert_false(stored);
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM sale_requests WHERE sale_uuid = '%s' AND "
                              "fingerprint = '" FP_A "'", d->uuid);
    assert_int_equal(count(s, sql), 1);

    /* immutable, like the sale */
    assert_int_not_equal(raw(s, "UPDATE sale_requests SET fingerprint = '" FP_B "'"), SQLITE_OK);
    assert_non_null(strstr(sqlite3_errmsg(store_db(s)), "immutable"));
    assert_int_not_equal(raw(s, "DELETE FROM sale_requests"), SQLITE_OK);
    assert_non_null(strstr(sqlite3_errmsg(store_db(s)), "immutable"));
    assert_int_equal(count(s, sql), 1);
    /* never a request without its sale, nor a malformed fingerprint */
    assert_int_not_equal(raw(s, "INSERT INTO sale_requests VALUES("
                                "'9b1f0c4e-6a2d-4c1e-9f3a-0d5e8b7c6a21', '" FP_A "')"), SQLITE_OK);
    sale_doc *bad = fx_new_sale(1, T_MORNING, &rng);
    assert_int_equal(sales_commit_request(s, bad, "ABC", NULL, 0, NULL, msg, sizeof msg),
                     STORE_ERR_INVALID);
    assert_int_equal(count(s, "SELECT count(*) FROM sales"), 2);
    free(bad);
    free(plain);
    free(d);
    store_close(s);
}

/* The fingerprint row is written in the sale's transaction: when a later row of the sale fails,
 * neither is there; when the fingerprint row fails, the sale is not written either. */
static void test_request_in_the_sales_transaction(void **state)
{
    (void)state;
    store *s = open_new("tx");
    uint64_t rng = 5;
    char msg[256];
    assert_int_equal(raw(s, "CREATE TRIGGER no_lines BEFORE INSERT ON sale_lines BEGIN "
                            "SELECT RAISE(ABORT, 'disk on fire'); END"), SQLITE_OK);
    sale_doc *d = fx_new_sale(2, T_MORNING, &rng);
    assert_int_not_equal(sales_commit_request(s, d, FP_A, NULL, 0, NULL, msg, sizeof msg),
                         STORE_OK);
    assert_int_equal(count(s, "SELECT count(*) FROM sale_requests"), 0);
    assert_int_equal(count(s, "SELECT count(*) FROM sales"), 0);
    assert_int_equal(raw(s, "DROP TRIGGER no_lines"), SQLITE_OK);

    assert_int_equal(raw(s, "CREATE TRIGGER no_requests BEFORE INSERT ON sale_requests BEGIN "
                            "SELECT RAISE(ABORT, 'disk on fire'); END"), SQLITE_OK);
    assert_int_not_equal(sales_commit_request(s, d, FP_A, NULL, 0, NULL, msg, sizeof msg),
                         STORE_OK);
    assert_int_equal(count(s, "SELECT count(*) FROM sales"), 0);
    assert_int_equal(count(s, "SELECT count(*) FROM outbox"), 0);
    assert_int_equal(raw(s, "DROP TRIGGER no_requests"), SQLITE_OK);

    assert_int_equal(sales_commit_request(s, d, FP_A, NULL, 0, NULL, msg, sizeof msg), STORE_OK);
    assert_int_equal(count(s, "SELECT count(*) FROM sales"), 1);
    assert_int_equal(count(s, "SELECT count(*) FROM sale_requests"), 1);
    free(d);
    store_close(s);
}

/* Under a stored UUID: the same request, even with other goods priced now, gets the stored
 * receipt and writes nothing; another request, or none, is refused. */
static void test_request_is_the_idempotency_key(void **state)
{
    (void)state;
    store *s = open_new("key");
    uint64_t rng = 7;
    char msg[256];
    bool stored = true;
    sale_doc *d = fx_new_sale(2, T_MORNING, &rng);
    assert_int_equal(sales_commit_request(s, d, FP_A, NULL, 0, &stored, msg, sizeof msg), STORE_OK);
    char receipt[SALE_RECEIPT_NO_CAP];
    snprintf(receipt, sizeof receipt, "%s", d->receipt_no);

    sale_doc *again = fx_new_sale(3, T_MORNING + 60, &rng);
    snprintf(again->uuid, sizeof again->uuid, "%s", d->uuid);
    assert_int_equal(sales_commit_request(s, again, FP_A, NULL, 0, &stored, msg, sizeof msg),
                     STORE_OK);
    assert_true(stored);
    assert_string_equal(again->receipt_no, receipt);
    assert_int_equal(count(s, "SELECT count(*) FROM sales"), 1);

    assert_int_equal(sales_commit_request(s, again, FP_B, NULL, 0, &stored, msg, sizeof msg),
                     STORE_ERR_CONSTRAINT);
    assert_false(stored);
    assert_non_null(strstr(msg, "another request"));
    assert_non_null(strstr(msg, receipt));
    /* the very document again without a request is not the same sale either (other goods) */
    assert_int_equal(sales_commit(s, again, NULL, 0, msg, sizeof msg), STORE_ERR_CONSTRAINT);
    assert_int_equal(count(s, "SELECT count(*) FROM sales"), 1);
    assert_int_equal(count(s, "SELECT count(*) FROM sale_requests"), 1);

    char fp[SALES_REQUEST_FP_CAP];
    assert_int_equal(sales_request_fingerprint(s, d->uuid, fp), STORE_OK);
    assert_string_equal(fp, FP_A);
    assert_int_equal(sales_request_fingerprint(s, "9b1f0c4e-6a2d-4c1e-9f3a-0d5e8b7c6a21", fp),
                     STORE_ERR_NOT_FOUND);
    free(again);
    free(d);
    store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_request_rides_with_the_sale),
        cmocka_unit_test(test_request_in_the_sales_transaction),
        cmocka_unit_test(test_request_is_the_idempotency_key),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
