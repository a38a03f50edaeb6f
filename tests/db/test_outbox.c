/* test_outbox: the ledger outbox on a real SQLite file -- rows appended by committed sales
 * (never by rolled-back ones), claimed oldest first with an attempt counted, marked sent or
 * failed by id, and still pending after a reopen. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/outbox.h"
#include "db/sales.h"
#include "db/store.h"
#include "db_test_util.h"
#include "sale_fixture.h"

/* 2026-10-16 10:30:00 +08:00 */
#define T_MORNING ((int64_t)1792117800)

static char path[1024];

static store *open_db(bool fresh)
{
    char msg[256];
    store *s = NULL;
    if (fresh) {
        snprintf(path, sizeof path, "%s/outbox.db", FUPIN_TEST_TMP);
        unlink_db(path);
    }
    store_open_opts o = {.create = true};
    if (store_open(path, &o, &s, msg, sizeof msg) != STORE_OK)
        fail_msg("store_open %s: %s", path, msg);
    return s;
}

static void commit_sales(store *s, int n, char uuids[][SALE_UUID_CAP])
{
    uint64_t rng = 42;
    sale_doc *d = malloc(sizeof *d);
    assert_non_null(d);
    for (int i = 0; i < n; i++) {
        char msg[256];
        assert_true(fx_make_sale(d, 3, T_MORNING + i, &rng));
        assert_int_equal(sales_commit(s, d, NULL, 0, msg, sizeof msg), STORE_OK);
        memcpy(uuids[i], d->uuid, SALE_UUID_CAP);
    }
    free(d);
}

static void test_claim_in_order_and_mark(void **state)
{
    (void)state;
    store *s = open_db(true);
    char uuids[3][SALE_UUID_CAP];
    commit_sales(s, 3, uuids);
    assert_int_equal(outbox_pending(s), 3);

    outbox_row rows[8];
    size_t n = 99;
    assert_int_equal(outbox_claim(s, 2, rows, &n), STORE_OK);
    assert_int_equal(n, 2);
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(rows[i].kind, "sale");
        assert_string_equal(rows[i].ref_uuid, uuids[i]);   /* commit order */
        assert_int_equal(rows[i].attempts, 1);
        assert_int_equal(rows[i].created_utc, T_MORNING + (int64_t)i);
        /* the payload is the document as stored */
        sqlite3_stmt *st = NULL;
        assert_int_equal(sqlite3_prepare_v2(store_db(s), "SELECT doc_json FROM sales WHERE uuid = ?1",
                                            -1, &st, NULL),
                         SQLITE_OK);
        sqlite3_bind_text(st, 1, uuids[i], -1, SQLITE_STATIC);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        assert_string_equal(rows[i].payload, (const char *)sqlite3_column_text(st, 0));
        sqlite3_finalize(st);
    }
    assert_true(rows[0].id < rows[1].id);
    int64_t first = rows[0].id, second = rows[1].id;
    assert_int_equal(outbox_mark_sent(s, first, T_MORNING + 100), STORE_OK);
    assert_int_equal(outbox_mark_failed(s, second, "ledger timed out"), STORE_OK);
    outbox_rows_free(rows, n);
    assert_int_equal(outbox_pending(s), 2);
    assert_int_equal(outbox_mark_sent(s, 987654, T_MORNING), STORE_ERR_NOT_FOUND);

    /* The failed row comes back first, with its second attempt; the sent one never again. */
    assert_int_equal(outbox_claim(s, 8, rows, &n), STORE_OK);
    assert_int_equal(n, 2);
    assert_int_equal(rows[0].id, second);
    assert_int_equal(rows[0].attempts, 2);
    assert_string_equal(rows[1].ref_uuid, uuids[2]);
    assert_int_equal(rows[1].attempts, 1);
    outbox_rows_free(rows, n);
    assert_int_equal(count(s, "SELECT count(*) FROM outbox WHERE last_error = 'ledger timed out'"), 1);

    /* Still pending after a reopen: it is the file, not the handle. */
    store_close(s);
    s = open_db(false);
    assert_int_equal(outbox_pending(s), 2);
    assert_int_equal(outbox_claim(s, 0, rows, &n), STORE_OK);
    assert_int_equal(n, 0);
    store_close(s);
}

static store_err append_then_fail(store *s, void *ctx)
{
    (void)ctx;
    store_err e = outbox_append(s, "sale", "00000000-0000-4000-8000-000000000001", "{}", 1);
    return e ? e : STORE_ERR_INVALID;   /* the document's later step fails */
}

static store_err append_ok(store *s, void *ctx)
{
    (void)ctx;
    return outbox_append(s, "refund", "00000000-0000-4000-8000-000000000002", "{\"a\":1}", 2);
}

static void test_append_rides_the_callers_transaction(void **state)
{
    (void)state;
    store *s = open_db(true);
    assert_int_equal(store_transaction(s, append_then_fail, NULL), STORE_ERR_INVALID);
    assert_int_equal(outbox_pending(s), 0);
    assert_int_equal(store_transaction(s, append_ok, NULL), STORE_OK);
    assert_int_equal(outbox_pending(s), 1);
    /* one row per document */
    assert_int_equal(store_transaction(s, append_ok, NULL), STORE_ERR_CONSTRAINT);
    assert_int_equal(outbox_pending(s), 1);
    assert_int_equal(outbox_append(s, "", "x", "{}", 1), STORE_ERR_INVALID);
    store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_claim_in_order_and_mark),
        cmocka_unit_test(test_append_rides_the_callers_transaction),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
