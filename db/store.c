/* store: the base of db/ -- the handle, its errors, statement helpers and transactions.
 *
 * This file knows no feature: no table but what SQLite itself keeps is named here, and it
 * includes no other db/ module.  Feature modules (settings, products, sales, refunds, rules,
 * members, points, stars, outbox, docstore ...) sit on top and use store_internal.h; the open
 * that creates and migrates the schema is db/store_open.c, above db/migrations.c.
 *
 * Every function that writes goes through store_transaction(), which nests: outside a
 * transaction it runs BEGIN IMMEDIATE (take the write lock up front, so the busy timeout
 * applies there and a WAL reader never has to upgrade a stale snapshot, which SQLite would
 * refuse with SQLITE_BUSY_SNAPSHOT and no retry); inside one it uses a SAVEPOINT so a helper
 * like products_upsert is atomic on its own and also composes into demo_load's single
 * transaction. */
#include "db/store.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/store_internal.h"

#define DEFAULT_BUSY_TIMEOUT_MS 2000

/* Statements kept prepared for the handle's lifetime (store_cached): a till commits the same
 * few statements over and over, and preparing them costs as much as running them.  The cache
 * grows (doubling from this size): its entries are keyed by string literals, so it is bounded
 * by the program's own SQL, and a cap would make the next feature's statement fail a commit. */
#define STMT_CACHE_INITIAL 64

typedef struct {
    const char *sql;       /* the caller's string literal; compared by address */
    sqlite3_stmt *st;
} cached_stmt;

struct store {
    sqlite3 *db;
    cached_stmt *cache;    /* heap, n_cache used of cache_cap */
    size_t n_cache, cache_cap;
    char err[512];   /* last error, kept because ROLLBACK resets sqlite3_errmsg */
    void *feature;                 /* one per-handle cache owned by a feature module */
    void (*feature_free)(void *);  /* (db/search.c's catalog index), freed at close */
};

void **store_feature_slot(store *s, void (*release)(void *))
{
    s->feature_free = release;
    return &s->feature;
}

void store_clear_error(store *s)
{
    if (s)
        s->err[0] = '\0';
}

/* ---- errors ---- */

const char *store_strerror(store_err err)
{
    switch (err) {
    case STORE_OK: return "ok";
    case STORE_ERR_IO: return "cannot open, read or write the database file";
    case STORE_ERR_BUSY: return "database is locked by another process";
    case STORE_ERR_READONLY: return "database is read-only";
    case STORE_ERR_FULL: return "disk full";
    case STORE_ERR_NEWER_SCHEMA: return "database was written by a newer fupin-pos";
    case STORE_ERR_CORRUPT: return "not a fupin-pos database, or it is damaged";
    case STORE_ERR_NOT_FOUND: return "not found";
    case STORE_ERR_INVALID: return "invalid data";
    case STORE_ERR_CONSTRAINT: return "duplicate or conflicting data";
    case STORE_ERR_INTERNAL: return "internal error";
    }
    return "unknown error";
}

store_err store_err_from_sqlite(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_OK:
    case SQLITE_ROW:
    case SQLITE_DONE: return STORE_OK;
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return STORE_ERR_BUSY;
    case SQLITE_READONLY: return STORE_ERR_READONLY;
    case SQLITE_FULL: return STORE_ERR_FULL;
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT: return STORE_ERR_CORRUPT;
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_PERM: return STORE_ERR_IO;
    case SQLITE_CONSTRAINT: return STORE_ERR_CONSTRAINT;
    case SQLITE_NOTFOUND: return STORE_ERR_NOT_FOUND;
    default: return STORE_ERR_INTERNAL;
    }
}

store_err store_fail(store *s, int rc)
{
    store_err e = store_err_from_sqlite(rc);
    if (s && s->db) {
        /* SQLite's "disk I/O error" does not say which: add the operating system's reason (no
         * space left, file too large, permission) when it has one, and call a full disk full. */
        int sys = (rc & 0xff) == SQLITE_IOERR || (rc & 0xff) == SQLITE_CANTOPEN ||
                          (rc & 0xff) == SQLITE_FULL
                      ? sqlite3_system_errno(s->db)
                      : 0;
        if (sys)
            snprintf(s->err, sizeof s->err, "%s: %s", sqlite3_errmsg(s->db), strerror(sys));
        else
            snprintf(s->err, sizeof s->err, "%s", sqlite3_errmsg(s->db));
        if (sys == ENOSPC || sys == EDQUOT)
            e = STORE_ERR_FULL;
    }
    return e == STORE_OK ? STORE_ERR_INTERNAL : e;
}

store_err store_failf(store *s, store_err err, const char *fmt, ...)
{
    if (s) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(s->err, sizeof s->err, fmt, ap);
        va_end(ap);
    }
    return err;
}

void store_copy_error(store *s, char *msg, size_t msg_cap)
{
    if (msg && msg_cap && msg[0] == '\0')
        snprintf(msg, msg_cap, "%s", store_last_error(s));
}

void store_set_msg(char *msg, size_t msg_cap, const char *fmt, ...)
{
    if (!msg || msg_cap == 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, msg_cap, fmt, ap);
    va_end(ap);
}

const char *store_last_error(store *s)
{
    if (!s)
        return "no store";
    if (s->err[0])
        return s->err;
    return s->db ? sqlite3_errmsg(s->db) : "";
}

/* ---- statement helpers ---- */

store_err store_prepare(store *s, const char *sql, sqlite3_stmt **st)
{
    int rc = sqlite3_prepare_v2(s->db, sql, -1, st, NULL);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(*st);
        *st = NULL;
        return store_fail(s, rc);
    }
    return STORE_OK;
}

store_err store_cached(store *s, const char *sql, sqlite3_stmt **st)
{
    for (size_t i = 0; i < s->n_cache; i++)
        if (s->cache[i].sql == sql) {
            *st = s->cache[i].st;
            sqlite3_reset(*st);
            sqlite3_clear_bindings(*st);
            return STORE_OK;
        }
    int rc = sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(*st);
        *st = NULL;
        return store_fail(s, rc);
    }
    if (s->n_cache == s->cache_cap) {
        size_t cap = s->cache_cap ? s->cache_cap * 2 : STMT_CACHE_INITIAL;
        cached_stmt *grown = realloc(s->cache, cap * sizeof *grown);
        if (!grown) {
            sqlite3_finalize(*st);
            *st = NULL;
            return store_failf(s, STORE_ERR_INTERNAL, "out of memory caching a statement");
        }
        s->cache = grown;
        s->cache_cap = cap;
    }
    s->cache[s->n_cache].sql = sql;
    s->cache[s->n_cache].st = *st;
    s->n_cache++;
    return STORE_OK;
}

int store_bind_opt_text(sqlite3_stmt *st, int idx, const char *s)
{
    if (!s || !s[0])
        return sqlite3_bind_null(st, idx);
    return sqlite3_bind_text(st, idx, s, -1, SQLITE_STATIC);
}

bool store_column_text(sqlite3_stmt *st, int col, char *buf, size_t cap)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    size_t n = t ? (size_t)sqlite3_column_bytes(st, col) : 0;
    if (cap == 0)
        return n == 0;
    bool fits = n < cap;
    if (!fits)
        n = cap - 1;
    if (n)
        memcpy(buf, t, n);
    buf[n] = '\0';
    return fits;
}

bool store_grow(void **arr, size_t *cap, size_t n, size_t elem, size_t first)
{
    if (n < *cap)
        return true;
    size_t nc = *cap ? *cap * 2 : first;
    void *na = realloc(*arr, nc * elem);
    if (!na)
        return false;
    *arr = na;
    *cap = nc;
    return true;
}

int store_bind_text(sqlite3_stmt *st, int idx, const char *s)
{
    return sqlite3_bind_text(st, idx, s ? s : "", -1, SQLITE_STATIC);
}

store_err store_step_reset(store *s, sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    store_err e = rc == SQLITE_DONE ? STORE_OK : store_fail(s, rc);
    sqlite3_reset(st);
    return e;
}

store_err store_step_done(store *s, sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    store_err e = rc == SQLITE_DONE ? STORE_OK : store_fail(s, rc);
    sqlite3_finalize(st);
    return e;
}

store_err store_exec(store *s, const char *sql)
{
    int rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? STORE_OK : store_fail(s, rc);
}

/* ---- connect / close ---- */

store_err store_pragma_text(store *s, const char *sql, char *out, size_t cap)
{
    sqlite3_stmt *st = NULL;
    store_err e = store_prepare(s, sql, &st);
    if (e)
        return e;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        store_column_text(st, 0, out, cap);
        rc = SQLITE_OK;
    } else if (rc == SQLITE_DONE) {
        out[0] = '\0';
        rc = SQLITE_OK;
    }
    e = rc == SQLITE_OK ? STORE_OK : store_fail(s, rc);
    sqlite3_finalize(st);
    return e;
}

store_err store_connect(const char *path, const store_open_opts *opts, store **out)
{
    *out = NULL;
    store *s = calloc(1, sizeof *s);
    if (!s)
        return STORE_ERR_INTERNAL;
    *out = s;
    int flags = opts->read_only ? SQLITE_OPEN_READONLY
                                : SQLITE_OPEN_READWRITE | (opts->create ? SQLITE_OPEN_CREATE : 0);
    /* The handle is never shared between threads (store.h), so no per-call mutex needed. */
    flags |= SQLITE_OPEN_NOMUTEX;
    int rc = sqlite3_open_v2(path, &s->db, flags, NULL);
    if (rc != SQLITE_OK)
        return store_fail(s, rc);
    sqlite3_extended_result_codes(s->db, 1);
    sqlite3_busy_timeout(s->db, opts->busy_timeout_ms > 0 ? opts->busy_timeout_ms
                                                          : DEFAULT_BUSY_TIMEOUT_MS);
    return STORE_OK;
}

void store_close(store *s)
{
    if (!s)
        return;
    if (s->feature && s->feature_free)
        s->feature_free(s->feature);
    for (size_t i = 0; i < s->n_cache; i++)
        sqlite3_finalize(s->cache[i].st);
    free(s->cache);
    /* All statements are finalized by their users; close_v2 would hide a leak, close reports
     * it as SQLITE_BUSY, which a debug build would rather see. */
    sqlite3_close(s->db);
    free(s);
}

int store_user_version(store *s)
{
    if (!s)
        return -1;
    char buf[32];
    if (store_pragma_text(s, "PRAGMA main.user_version", buf, sizeof buf))
        return -1;
    return (int)strtol(buf, NULL, 10);
}

struct sqlite3 *store_db(store *s) { return s ? s->db : NULL; }

int64_t store_count(store *s, const char *sql)
{
    sqlite3_stmt *st = NULL;
    if (store_prepare(s, sql, &st))
        return -1;
    int64_t n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    return n;
}

/* ---- transactions ---- */

static const char SQL_BEGIN[] = "BEGIN IMMEDIATE";
static const char SQL_COMMIT[] = "COMMIT";
static const char SQL_SAVEPOINT[] = "SAVEPOINT store_tx";
static const char SQL_RELEASE[] = "RELEASE store_tx";

/* Run one of the transaction statements above, kept prepared (a commit runs two of them). */
static store_err tx_step(store *s, const char *sql)
{
    sqlite3_stmt *st = NULL;
    store_err e = store_cached(s, sql, &st);
    return e ? e : store_step_reset(s, st);
}

store_err store_transaction(store *s, store_err (*fn)(store *s, void *ctx), void *ctx)
{
    if (!s || !fn)
        return STORE_ERR_INVALID;
    if (sqlite3_db_readonly(s->db, "main") == 1)
        return store_failf(s, STORE_ERR_READONLY, "database is open read-only");
    bool outer = sqlite3_get_autocommit(s->db) != 0;
    s->err[0] = '\0';
    store_err e = tx_step(s, outer ? SQL_BEGIN : SQL_SAVEPOINT);
    if (e)
        return e;
    e = fn(s, ctx);
    if (e == STORE_OK)
        e = tx_step(s, outer ? SQL_COMMIT : SQL_RELEASE);
    if (e != STORE_OK) {
        /* Some errors (FULL, IOERR, BUSY in COMMIT) make SQLite roll back by itself; only
         * roll back what is still open, and keep the first error's message. */
        if (outer) {
            if (!sqlite3_get_autocommit(s->db))
                sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
        } else if (!sqlite3_get_autocommit(s->db)) {
            sqlite3_exec(s->db, "ROLLBACK TO store_tx; RELEASE store_tx", NULL, NULL, NULL);
        }
    }
    return e;
}

/* ---- integrity ---- */

store_err store_check_integrity(store *s, char *msg, size_t msg_cap)
{
    sqlite3_stmt *st = NULL;
    store_err e;
    if (msg && msg_cap)
        msg[0] = '\0';
    if ((e = store_prepare(s, "PRAGMA integrity_check", &st)))
        goto fail;
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        e = store_fail(s, rc);
        sqlite3_finalize(st);
        goto fail;
    }
    const char *first = (const char *)sqlite3_column_text(st, 0);
    if (!first || strcmp(first, "ok") != 0) {
        e = store_failf(s, STORE_ERR_CORRUPT, "integrity_check: %s", first ? first : "?");
        sqlite3_finalize(st);
        goto fail;
    }
    sqlite3_finalize(st);

    if ((e = store_prepare(s, "PRAGMA foreign_key_check", &st)))
        goto fail;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        e = store_failf(s, STORE_ERR_CORRUPT,
                        "foreign_key_check: row %lld of %s points at a missing %s row",
                        (long long)sqlite3_column_int64(st, 1), sqlite3_column_text(st, 0),
                        sqlite3_column_text(st, 2));
    } else if (rc != SQLITE_DONE) {
        e = store_fail(s, rc);
    }
    sqlite3_finalize(st);
    if (e)
        goto fail;
    return STORE_OK;
fail:
    store_copy_error(s, msg, msg_cap);
    return e;
}

