/* outbox: rows for the county ledger, appended in the documents' transactions and claimed by
 * the sync worker.  See outbox.h. */
#include "db/outbox.h"

#include <stdlib.h>
#include <string.h>

#include "db/store_internal.h"

static const char SQL_APPEND[] =
    "INSERT INTO outbox(kind, ref_uuid, payload, created_utc) VALUES(?1, ?2, ?3, ?4)";

typedef struct {
    const char *kind, *ref, *payload;
    int64_t at;
} append_ctx;

static store_err append_tx(store *s, void *vctx)
{
    const append_ctx *c = vctx;
    sqlite3_stmt *st = NULL;
    store_err e = store_cached(s, SQL_APPEND, &st);
    if (e)
        return e;
    store_bind_text(st, 1, c->kind);
    store_bind_text(st, 2, c->ref);
    store_bind_text(st, 3, c->payload);
    sqlite3_bind_int64(st, 4, c->at);
    return store_step_reset(s, st);
}

store_err outbox_append(store *s, const char *kind, const char *ref_uuid, const char *payload,
                        int64_t created_utc)
{
    if (!s || !kind || !*kind || !ref_uuid || !*ref_uuid || !payload)
        return store_failf(s, STORE_ERR_INVALID, "outbox row needs a kind, a reference and a payload");
    append_ctx c = {kind, ref_uuid, payload, created_utc};
    /* Inside a document's transaction (the usual case) store_transaction nests as a savepoint,
     * as audit_append's does; alone, it is a transaction of its own. */
    return store_transaction(s, append_tx, &c);
}

typedef struct {
    size_t max;
    outbox_row *rows;
    size_t n;
} claim_ctx;

static store_err claim_tx(store *s, void *vctx)
{
    claim_ctx *c = vctx;
    sqlite3_stmt *st = NULL;
    store_err e = store_prepare(s,
                                "UPDATE outbox SET attempts = attempts + 1 WHERE id IN "
                                "(SELECT id FROM outbox WHERE sent_utc IS NULL ORDER BY id LIMIT ?1) "
                                "RETURNING id, kind, ref_uuid, payload, created_utc, attempts",
                                &st);
    if (e)
        return e;
    sqlite3_bind_int64(st, 1, (int64_t)c->max);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && c->n < c->max) {
        outbox_row *r = &c->rows[c->n];
        memset(r, 0, sizeof *r);
        r->id = sqlite3_column_int64(st, 0);
        store_column_text(st, 1, r->kind, sizeof r->kind);
        store_column_text(st, 2, r->ref_uuid, sizeof r->ref_uuid);
        const char *p = (const char *)sqlite3_column_text(st, 3);
        r->payload = strdup(p ? p : "");
        r->created_utc = sqlite3_column_int64(st, 4);
        r->attempts = sqlite3_column_int(st, 5);
        c->n++;
        if (!r->payload) {
            rc = SQLITE_NOMEM;
            break;
        }
    }
    e = rc == SQLITE_DONE || rc == SQLITE_ROW ? STORE_OK : store_fail(s, rc);
    sqlite3_finalize(st);
    if (e)
        return e;
    /* RETURNING gives rows in no promised order: hand them back in send order. */
    for (size_t i = 1; i < c->n; i++)
        for (size_t j = i; j > 0 && c->rows[j - 1].id > c->rows[j].id; j--) {
            outbox_row t = c->rows[j];
            c->rows[j] = c->rows[j - 1];
            c->rows[j - 1] = t;
        }
    return STORE_OK;
}

store_err outbox_claim(store *s, size_t max, outbox_row *rows, size_t *n)
{
    if (!s || !n || (max && !rows))
        return STORE_ERR_INVALID;
    *n = 0;
    if (max == 0)
        return STORE_OK;
    claim_ctx c = {max, rows, 0};
    store_err e = store_transaction(s, claim_tx, &c);
    if (e) {
        outbox_rows_free(rows, c.n);
        return e;
    }
    *n = c.n;
    return STORE_OK;
}

void outbox_rows_free(outbox_row *rows, size_t n)
{
    for (size_t i = 0; rows && i < n; i++) {
        free(rows[i].payload);
        rows[i].payload = NULL;
    }
}

typedef struct {
    int64_t id, sent_utc;
    const char *why;
} mark_ctx;

static store_err mark_tx(store *s, void *vctx)
{
    const mark_ctx *c = vctx;
    sqlite3_stmt *st = NULL;
    store_err e = c->why ? store_prepare(s, "UPDATE outbox SET last_error = ?2 WHERE id = ?1", &st)
                         : store_prepare(s,
                                         "UPDATE outbox SET sent_utc = ?2, last_error = NULL "
                                         "WHERE id = ?1",
                                         &st);
    if (e)
        return e;
    sqlite3_bind_int64(st, 1, c->id);
    if (c->why)
        store_bind_text(st, 2, c->why);
    else
        sqlite3_bind_int64(st, 2, c->sent_utc);
    if ((e = store_step_done(s, st)))
        return e;
    if (sqlite3_changes(store_db(s)) == 0)
        return store_failf(s, STORE_ERR_NOT_FOUND, "no outbox row %lld", (long long)c->id);
    return STORE_OK;
}

store_err outbox_mark_sent(store *s, int64_t id, int64_t sent_utc)
{
    mark_ctx c = {id, sent_utc, NULL};
    return store_transaction(s, mark_tx, &c);
}

store_err outbox_mark_failed(store *s, int64_t id, const char *why)
{
    mark_ctx c = {id, 0, why ? why : ""};
    return store_transaction(s, mark_tx, &c);
}

int64_t outbox_pending(store *s)
{
    return store_count(s, "SELECT count(*) FROM outbox WHERE sent_utc IS NULL");
}
