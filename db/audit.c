/* audit: hash-chained append-only log.  See audit.h. */
#include "db/audit.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "db/store_internal.h"

static void feed_field(sha256_ctx *c, const char *s)
{
    char len[24];
    size_t n = s ? strlen(s) : 0;
    int k = snprintf(len, sizeof len, "%zu:", n);
    sha256_update(c, len, (size_t)k);
    if (n)
        sha256_update(c, s, n);
}

void audit_hash(const char *prev_hash, int64_t at_utc, const char *actor, const char *event,
                const char *ref, const char *detail, char out[SHA256_HEX_CAP])
{
    sha256_ctx c;
    uint8_t d[SHA256_DIGEST_LEN];
    char at[24];
    snprintf(at, sizeof at, "%" PRId64, at_utc);
    sha256_init(&c);
    feed_field(&c, prev_hash);
    feed_field(&c, at);
    feed_field(&c, actor);
    feed_field(&c, event);
    feed_field(&c, ref);
    feed_field(&c, detail);
    sha256_final(&c, d);
    sha256_to_hex(d, out);
}

typedef struct {
    int64_t at_utc;
    const char *actor, *event, *ref, *detail;
} audit_row;

/* Kept prepared on the handle: every sale and refund appends a row. */
static const char SQL_TAIL[] = "SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1";
static const char SQL_APPEND[] =
    "INSERT INTO audit_log(at_utc, actor, event, ref, detail, prev_hash, hash) "
    "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)";

static store_err append_tx(store *s, void *ctx)
{
    const audit_row *r = ctx;
    sqlite3_stmt *st = NULL;
    char prev[SHA256_HEX_CAP] = AUDIT_GENESIS_HASH, hash[SHA256_HEX_CAP];
    /* Under the write lock (we are inside a transaction), so no other writer can slip a row
     * between reading the tail and appending to it. */
    store_err e = store_cached(s, SQL_TAIL, &st);
    if (e)
        return e;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        store_column_text(st, 0, prev, sizeof prev);
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store_fail(s, rc);

    audit_hash(prev, r->at_utc, r->actor, r->event, r->ref, r->detail, hash);
    if ((e = store_cached(s, SQL_APPEND, &st)))
        return e;
    sqlite3_bind_int64(st, 1, r->at_utc);
    sqlite3_bind_text(st, 2, r->actor ? r->actor : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, r->event ? r->event : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, r->ref ? r->ref : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, r->detail ? r->detail : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, prev, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, hash, -1, SQLITE_STATIC);
    return store_step_reset(s, st);
}

store_err audit_append(store *s, int64_t at_utc, const char *actor, const char *event,
                       const char *ref, const char *detail)
{
    if (!event || !event[0])
        return store_failf(s, STORE_ERR_INVALID, "audit row needs an event");
    audit_row r = {at_utc, actor, event, ref, detail};
    return store_transaction(s, append_tx, &r);
}

store_err audit_verify(store *s, int64_t *n_rows, char *msg, size_t msg_cap)
{
    sqlite3_stmt *st = NULL;
    char expect[SHA256_HEX_CAP] = AUDIT_GENESIS_HASH, hash[SHA256_HEX_CAP];
    int64_t n = 0, last_id = 0;
    store_err e;
    if (msg && msg_cap)
        msg[0] = '\0';
    if (n_rows)
        *n_rows = 0;
    if ((e = store_prepare(s,
                           "SELECT id, at_utc, actor, event, ref, detail, prev_hash, hash "
                           "FROM audit_log ORDER BY id",
                           &st)))
        goto out;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(st, 0);
        const char *prev = (const char *)sqlite3_column_text(st, 6);
        const char *stored = (const char *)sqlite3_column_text(st, 7);
        /* AUTOINCREMENT ids of an append-only table are consecutive: a gap is a deleted row
         * even when whoever deleted it also re-chained the hashes after it. */
        if (id != last_id + 1) {
            e = store_failf(s, STORE_ERR_CORRUPT, "audit row %" PRId64 " follows row %" PRId64
                            ": rows are missing", id, last_id);
            break;
        }
        if (!prev || strcmp(prev, expect) != 0) {
            e = store_failf(s, STORE_ERR_CORRUPT,
                            "audit row %" PRId64 ": prev_hash does not match the row before", id);
            break;
        }
        audit_hash(prev, sqlite3_column_int64(st, 1), (const char *)sqlite3_column_text(st, 2),
                   (const char *)sqlite3_column_text(st, 3),
                   (const char *)sqlite3_column_text(st, 4),
                   (const char *)sqlite3_column_text(st, 5), hash);
        if (!stored || strcmp(stored, hash) != 0) {
            e = store_failf(s, STORE_ERR_CORRUPT,
                            "audit row %" PRId64 ": content does not match its hash", id);
            break;
        }
        memcpy(expect, hash, sizeof expect);
        last_id = id;
        n++;
    }
    if (e == STORE_OK && rc != SQLITE_DONE)
        e = store_fail(s, rc);
    sqlite3_finalize(st);
    st = NULL;
    if (e)
        goto out;
    /* Rows cut off the end leave the AUTOINCREMENT high-water mark behind. */
    if ((e = store_prepare(s, "SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'", &st)))
        goto out;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && sqlite3_column_int64(st, 0) > last_id)
        e = store_failf(s, STORE_ERR_CORRUPT,
                        "audit rows after %" PRId64 " up to %" PRId64 " are missing", last_id,
                        (int64_t)sqlite3_column_int64(st, 0));
    else if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        e = store_fail(s, rc);
    sqlite3_finalize(st);
out:
    if (n_rows)
        *n_rows = n;
    if (e)
        store_copy_error(s, msg, msg_cap);
    return e;
}
