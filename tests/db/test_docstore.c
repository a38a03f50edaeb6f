/* test_docstore: the document-commit skeleton on its own, with a document kind of the test's
 * making (a stand-in for a day close): numbers gapless per till and business day in the
 * till's zone, outbox and audit rows in the same transaction, a UUID committed twice writes
 * nothing twice, and a failure in any step (the number, the rows, the outbox) leaves nothing
 * written -- no document row, no outbox row, no audit row. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/audit.h"
#include "db/docstore.h"
#include "db/settings.h"
#include "db/store.h"
/* The callbacks below play a db/ feature module, so they use its helpers (store_failf). */
#include "db/store_internal.h"
#include "db_test_util.h"

/* 2026-10-16 10:30:00 +08:00; 16:30 UTC is already the 17th in Shanghai. */
#define T0 ((int64_t)1792117800)
#define T_NEXT_DAY ((int64_t)1792168200)

typedef struct {
    char uuid[SALE_UUID_CAP];
    int64_t at;
    char number[32];
    char day[11];
    bool fail_number, fail_rows;
} close_doc;

static store_err find_close(store *s, void *vdoc, bool *stored)
{
    close_doc *d = vdoc;
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(store_db(s), "SELECT number FROM closes WHERE uuid = ?1",
                                        -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(st, 1, d->uuid, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW) {
        snprintf(d->number, sizeof d->number, "%s", sqlite3_column_text(st, 0));
        *stored = true;
    }
    sqlite3_finalize(st);
    return STORE_OK;
}

static store_err prepare_close(store *s, void *vdoc, docstore_id *id)
{
    (void)s;
    close_doc *d = vdoc;
    snprintf(id->uuid, sizeof id->uuid, "%s", d->uuid);
    snprintf(id->actor, sizeof id->actor, "店长");
    id->created_utc = d->at;
    return STORE_OK;
}

static store_err number_close(store *s, void *vdoc, const docstore_id *id)
{
    close_doc *d = vdoc;
    if (d->fail_number)
        return store_failf(s, STORE_ERR_INVALID, "the drawer count does not add up");
    snprintf(d->number, sizeof d->number, "%s-%d-C%04d", id->store_code, id->till_no, id->seq);
    snprintf(d->day, sizeof d->day, "%s", id->business_day);
    return STORE_OK;
}

static store_err render_close(store *s, void *vdoc, strbuf *payload, strbuf *detail)
{
    (void)s;
    close_doc *d = vdoc;
    strbuf_printf(payload, "{\"uuid\":\"%s\",\"number\":\"%s\"}", d->uuid, d->number);
    strbuf_printf(detail, "{\"number\":\"%s\"}", d->number);
    return STORE_OK;
}

static store_err rows_close(store *s, void *vdoc, const docstore_id *id, const char *payload)
{
    close_doc *d = vdoc;
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(store_db(s),
                                        "INSERT INTO closes(uuid, number, store_code, till_no, "
                                        "business_day, seq, doc_json) VALUES(?1, ?2, ?3, ?4, ?5, "
                                        "?6, ?7)",
                                        -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(st, 1, d->uuid, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, d->number, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, id->store_code, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 4, id->till_no);
    sqlite3_bind_text(st, 5, id->business_day, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 6, id->seq);
    sqlite3_bind_text(st, 7, payload, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return store_failf(s, STORE_ERR_INTERNAL, "closes: %s", sqlite3_errmsg(store_db(s)));
    /* after its row is written: the rollback must take it back */
    return d->fail_rows ? store_failf(s, STORE_ERR_INVALID, "a later step refused") : STORE_OK;
}

static const docstore_ops CLOSE_OPS = {
    .kind = "close",
    .audit_event = "close.commit",
    .seq_sql = DOCSTORE_SEQ_SQL("closes"),
    .find = find_close,
    .prepare = prepare_close,
    .number = number_close,
    .render = render_close,
    .rows = rows_close,
};

typedef struct {
    int64_t closes, outbox, audit;
} counts;

static counts count_all(store *s)
{
    counts c = {count(s, "SELECT count(*) FROM closes"), count(s, "SELECT count(*) FROM outbox"),
                count(s, "SELECT count(*) FROM audit_log")};
    return c;
}

static void commit(store *s, close_doc *d, const char *uuid, int64_t at, bool *stored)
{
    memset(d, 0, sizeof *d);
    snprintf(d->uuid, sizeof d->uuid, "%s", uuid);
    d->at = at;
    assert_int_equal(docstore_commit(s, &CLOSE_OPS, d, stored), STORE_OK);
}

static void test_skeleton(void **state)
{
    (void)state;
    char path[512], msg[256];
    snprintf(path, sizeof path, "%s/docstore.db", FUPIN_TEST_TMP);
    unlink_db(path);
    store *s = NULL;
    store_open_opts o = {.create = true};
    if (store_open(path, &o, &s, msg, sizeof msg) != STORE_OK)
        fail_msg("store_open: %s", msg);
    till_config cfg = {.till_no = 2, .rounding = ROUNDING_NONE, .tz_offset_min = 480};
    snprintf(cfg.store_code, sizeof cfg.store_code, "YR01");
    snprintf(cfg.store_name, sizeof cfg.store_name, "测试店");
    assert_int_equal(settings_set_config(s, &cfg), STORE_OK);
    assert_int_equal(sqlite3_exec(store_db(s),
                                  "CREATE TABLE closes(uuid TEXT PRIMARY KEY, number TEXT NOT NULL, "
                                  "store_code TEXT NOT NULL, till_no INTEGER NOT NULL, "
                                  "business_day TEXT NOT NULL, seq INTEGER NOT NULL, "
                                  "doc_json TEXT NOT NULL, "
                                  "UNIQUE(store_code, till_no, business_day, seq))",
                                  NULL, NULL, NULL),
                     SQLITE_OK);

    close_doc d;
    bool stored = true;
    commit(s, &d, "00000000-0000-4000-8000-000000000001", T0, &stored);
    assert_false(stored);
    assert_string_equal(d.number, "YR01-2-C0001");
    assert_string_equal(d.day, "2026-10-16");
    commit(s, &d, "00000000-0000-4000-8000-000000000002", T0 + 60, &stored);
    assert_string_equal(d.number, "YR01-2-C0002");
    /* the next business day in the till's zone starts again at 1 */
    commit(s, &d, "00000000-0000-4000-8000-000000000003", T_NEXT_DAY, &stored);
    assert_string_equal(d.day, "2026-10-17");
    assert_string_equal(d.number, "YR01-2-C0001");
    counts c = count_all(s);
    assert_int_equal(c.closes, 3);
    assert_int_equal(count(s, "SELECT count(*) FROM outbox WHERE kind = 'close' AND ref_uuid IN "
                              "(SELECT uuid FROM closes) AND payload LIKE '{\"uuid\":%'"),
                     3);
    assert_int_equal(count(s, "SELECT count(*) FROM audit_log WHERE event = 'close.commit' AND "
                              "actor = '店长' AND ref IN (SELECT uuid FROM closes)"),
                     3);
    int64_t n_audit = 0;
    assert_int_equal(audit_verify(s, &n_audit, msg, sizeof msg), STORE_OK);

    /* The same UUID again: answered from the store, nothing written. */
    commit(s, &d, "00000000-0000-4000-8000-000000000002", T0 + 999, &stored);
    assert_true(stored);
    assert_string_equal(d.number, "YR01-2-C0002");
    counts c2 = count_all(s);
    assert_memory_equal(&c, &c2, sizeof c);

    /* A failing step anywhere: nothing at all is written, and the error says why. */
    memset(&d, 0, sizeof d);
    snprintf(d.uuid, sizeof d.uuid, "00000000-0000-4000-8000-000000000004");
    d.at = T0 + 120;
    d.fail_number = true;
    assert_int_equal(docstore_commit(s, &CLOSE_OPS, &d, &stored), STORE_ERR_INVALID);
    assert_non_null(strstr(store_last_error(s), "drawer count"));
    d.fail_number = false;
    d.fail_rows = true;
    assert_int_equal(docstore_commit(s, &CLOSE_OPS, &d, &stored), STORE_ERR_INVALID);
    c2 = count_all(s);
    assert_memory_equal(&c, &c2, sizeof c);
    /* the outbox refusing (a trigger) rolls back the document and its audit row too */
    d.fail_rows = false;
    assert_int_equal(sqlite3_exec(store_db(s),
                                  "CREATE TEMP TRIGGER boom BEFORE INSERT ON main.outbox "
                                  "BEGIN SELECT RAISE(ABORT, 'outbox full'); END",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    assert_int_not_equal(docstore_commit(s, &CLOSE_OPS, &d, &stored), STORE_OK);
    c2 = count_all(s);
    assert_memory_equal(&c, &c2, sizeof c);
    assert_int_equal(sqlite3_exec(store_db(s), "DROP TRIGGER boom", NULL, NULL, NULL), SQLITE_OK);
    /* and afterwards the number is still gapless */
    assert_int_equal(docstore_commit(s, &CLOSE_OPS, &d, &stored), STORE_OK);
    assert_string_equal(d.number, "YR01-2-C0003");
    store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_skeleton),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
