/* store: the till's SQLite database.  See store.h.
 *
 * Every function that writes goes through store_transaction(), which nests: outside a
 * transaction it runs BEGIN IMMEDIATE (take the write lock up front, so the busy timeout
 * applies there and a WAL reader never has to upgrade a stale snapshot, which SQLite would
 * refuse with SQLITE_BUSY_SNAPSHOT and no retry); inside one it uses a SAVEPOINT so a helper
 * like store_upsert_product is atomic on its own and also composes into demo_load's single
 * transaction. */
#include "db/store.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db/audit.h"
#include "db/migrations.h"
#include "db/promo_store.h"
#include "db/store_internal.h"
#include "pos/core/bizday.h"
#include "pos/core/json.h"
#include "pos/core/pinyin.h"

#define DEFAULT_BUSY_TIMEOUT_MS 2000

struct store {
    sqlite3 *db;
    char err[512];   /* last error, kept because ROLLBACK resets sqlite3_errmsg */
    search_index *search;   /* db/search.c's in-memory catalog index, built on first search */
};

search_index **store_search_slot(store *s) { return &s->search; }

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

const char *store_last_error(store *s)
{
    if (!s)
        return "no store";
    if (s->err[0])
        return s->err;
    return s->db ? sqlite3_errmsg(s->db) : "";
}

static void set_msg(char *msg, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void set_msg(char *msg, size_t cap, const char *fmt, ...)
{
    if (!msg || cap == 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, cap, fmt, ap);
    va_end(ap);
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

static int bind_text(sqlite3_stmt *st, int idx, const char *s)
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

static store_err exec_sql(store *s, const char *sql)
{
    int rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? STORE_OK : store_fail(s, rc);
}

/* ---- open / close ---- */

static store_err pragma_text(store *s, const char *sql, char *out, size_t cap)
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

store_err store_open(const char *path, const store_open_opts *opts, store **out, char *msg,
                     size_t msg_cap)
{
    store_open_opts defaults = {0};
    store_err e = STORE_OK;
    char buf[64];
    if (msg && msg_cap)
        msg[0] = '\0';
    if (!out || !path) {
        set_msg(msg, msg_cap, "store_open: no path");
        return STORE_ERR_INVALID;
    }
    *out = NULL;
    if (!opts)
        opts = &defaults;
    store *s = calloc(1, sizeof *s);
    if (!s) {
        set_msg(msg, msg_cap, "out of memory");
        return STORE_ERR_INTERNAL;
    }
    int flags = opts->read_only ? SQLITE_OPEN_READONLY
                                : SQLITE_OPEN_READWRITE | (opts->create ? SQLITE_OPEN_CREATE : 0);
    /* The handle is never shared between threads (store.h), so no per-call mutex needed. */
    flags |= SQLITE_OPEN_NOMUTEX;
    int rc = sqlite3_open_v2(path, &s->db, flags, NULL);
    if (rc != SQLITE_OK) {
        e = store_fail(s, rc);
        goto fail;
    }
    sqlite3_extended_result_codes(s->db, 1);
    sqlite3_busy_timeout(s->db, opts->busy_timeout_ms > 0 ? opts->busy_timeout_ms
                                                          : DEFAULT_BUSY_TIMEOUT_MS);

    /* Look before touching anything: a newer or foreign file must stay byte-identical, and
     * switching to WAL rewrites the header.  Reading the header also makes SQLite notice a file
     * that is not a database at all (SQLITE_NOTADB -> STORE_ERR_CORRUPT). */
    int v = migrations_user_version(s->db, &rc);
    if (rc != SQLITE_OK) {
        e = store_fail(s, rc);
        goto fail;
    }
    if (v > STORE_SCHEMA_VERSION) {
        e = store_failf(s, STORE_ERR_NEWER_SCHEMA,
                        "database schema version %d is newer than this build's %d", v,
                        STORE_SCHEMA_VERSION);
        goto fail;
    }
    if ((e = pragma_text(s, "PRAGMA main.application_id", buf, sizeof buf)))
        goto fail;
    long app_id = strtol(buf, NULL, 10);
    if (app_id != 0 && app_id != MIGRATIONS_APPLICATION_ID) {
        e = store_failf(s, STORE_ERR_CORRUPT, "not a fupin-pos database (application_id %ld)",
                        app_id);
        goto fail;
    }

    if (!opts->read_only) {
        /* WAL: readers (UI, reports) never block the commit worker, and a commit is one
         * append to the log; synchronous=FULL fsyncs it so a committed sale survives a power
         * cut, not just a process crash. */
        if ((e = pragma_text(s, "PRAGMA journal_mode=WAL", buf, sizeof buf)))
            goto fail;
        if (strcmp(buf, "wal") != 0) {
            e = store_failf(s, STORE_ERR_IO, "cannot switch the database to WAL (got %s)", buf);
            goto fail;
        }
    }
    if ((e = exec_sql(s, "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;")))
        goto fail;

    if (v < STORE_SCHEMA_VERSION) {
        if (opts->read_only) {
            e = store_failf(s, STORE_ERR_READONLY,
                            "database needs upgrading from version %d but was opened read-only",
                            v);
            goto fail;
        }
        rc = migrations_apply(s->db, STORE_SCHEMA_VERSION, s->err, sizeof s->err);
        if (rc != SQLITE_OK) {
            e = store_err_from_sqlite(rc);
            if (e == STORE_OK)
                e = STORE_ERR_INTERNAL;
            goto fail;
        }
    }
    s->err[0] = '\0';
    *out = s;
    return STORE_OK;

fail:
    set_msg(msg, msg_cap, "%s: %s", path, store_last_error(s));
    sqlite3_close(s->db);
    free(s);
    return e;
}

void store_close(store *s)
{
    if (!s)
        return;
    search_index_free(s->search);
    /* All statements are finalized by their users; close_v2 would hide a leak, close reports
     * it as SQLITE_BUSY, which a debug build would rather see. */
    sqlite3_close(s->db);
    free(s);
}

int store_user_version(store *s)
{
    return s ? migrations_user_version(s->db, NULL) : -1;
}

struct sqlite3 *store_db(store *s) { return s ? s->db : NULL; }

/* ---- transactions ---- */

store_err store_transaction(store *s, store_err (*fn)(store *s, void *ctx), void *ctx)
{
    if (!s || !fn)
        return STORE_ERR_INVALID;
    if (sqlite3_db_readonly(s->db, "main") == 1)
        return store_failf(s, STORE_ERR_READONLY, "database is open read-only");
    bool outer = sqlite3_get_autocommit(s->db) != 0;
    s->err[0] = '\0';
    store_err e = exec_sql(s, outer ? "BEGIN IMMEDIATE" : "SAVEPOINT store_tx");
    if (e)
        return e;
    e = fn(s, ctx);
    if (e == STORE_OK)
        e = exec_sql(s, outer ? "COMMIT" : "RELEASE store_tx");
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

/* ---- settings ---- */

store_err store_get_setting(store *s, const char *key, char *buf, size_t cap)
{
    sqlite3_stmt *st = NULL;
    store_err e = store_prepare(s, "SELECT value FROM settings WHERE key = ?1", &st);
    if (e)
        return e;
    bind_text(st, 1, key);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        e = store_column_text(st, 0, buf, cap)
                ? STORE_OK
                : store_failf(s, STORE_ERR_INVALID, "setting %s does not fit %zu bytes", key, cap);
    } else if (rc == SQLITE_DONE) {
        e = store_failf(s, STORE_ERR_NOT_FOUND, "no setting %s", key);
        if (cap)
            buf[0] = '\0';
    } else {
        e = store_fail(s, rc);
    }
    sqlite3_finalize(st);
    return e;
}

typedef struct {
    const char *key, *value;
} setting_kv;

static store_err set_setting_tx(store *s, void *ctx)
{
    const setting_kv *kv = ctx;
    sqlite3_stmt *st = NULL;
    store_err e = store_prepare(s,
                                "INSERT INTO settings(key, value) VALUES(?1, ?2) "
                                "ON CONFLICT(key) DO UPDATE SET value = excluded.value "
                                "WHERE value IS NOT excluded.value",
                                &st);
    if (e)
        return e;
    bind_text(st, 1, kv->key);
    bind_text(st, 2, kv->value);
    return store_step_done(s, st);
}

store_err store_set_setting(store *s, const char *key, const char *value)
{
    if (!key || !key[0] || !value)
        return store_failf(s, STORE_ERR_INVALID, "setting key and value are required");
    setting_kv kv = {key, value};
    return store_transaction(s, set_setting_tx, &kv);
}

static bool parse_int(const char *text, long min, long max, int *out)
{
    char *end = NULL;
    if (!text[0])
        return false;
    long v = strtol(text, &end, 10);
    if (*end || v < min || v > max)
        return false;
    *out = (int)v;
    return true;
}

static bool config_valid(store *s, const till_config *c)
{
    size_t n = strnlen(c->store_code, sizeof c->store_code);
    if (n == 0 || n >= sizeof c->store_code) {
        store_failf(s, STORE_ERR_INVALID, "store code must be 1-%zu characters",
                    sizeof c->store_code - 1);
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        char ch = c->store_code[i];
        if (!((ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9'))) {
            store_failf(s, STORE_ERR_INVALID, "store code %s: only A-Z and 0-9", c->store_code);
            return false;
        }
    }
    if (c->till_no < 1 || c->till_no > 999) {
        store_failf(s, STORE_ERR_INVALID, "till number %d outside 1..999", c->till_no);
        return false;
    }
    if (c->tz_offset_min < -720 || c->tz_offset_min > 840) {
        store_failf(s, STORE_ERR_INVALID, "time zone offset %d min is not a real zone",
                    c->tz_offset_min);
        return false;
    }
    if (c->rounding != ROUNDING_NONE && c->rounding != ROUNDING_DROP_FEN &&
        c->rounding != ROUNDING_JIAO) {
        store_failf(s, STORE_ERR_INVALID, "unknown cash rounding %d", (int)c->rounding);
        return false;
    }
    return true;
}

store_err store_get_config(store *s, till_config *out)
{
    char buf[160];
    store_err e;
    memset(out, 0, sizeof *out);
    /* Defaults: a fresh till until `init --store` or the demo sets its identity.  No 抹零 by
     * default: rounding in the shopper's favour is a decision the store makes. */
    snprintf(out->store_code, sizeof out->store_code, "YR01");
    snprintf(out->store_name, sizeof out->store_name, "扶贫超市");
    out->till_no = 1;
    out->rounding = ROUNDING_NONE;
    out->tz_offset_min = BIZDAY_SHANGHAI_OFFSET_MIN;

    /* Read straight into the fields: a value too long for them is an error, not truncated. */
    if ((e = store_get_setting(s, "store.code", buf, sizeof out->store_code)) == STORE_OK)
        memcpy(out->store_code, buf, sizeof out->store_code);
    else if (e != STORE_ERR_NOT_FOUND)
        return e;
    if ((e = store_get_setting(s, "store.name", buf, sizeof out->store_name)) == STORE_OK)
        memcpy(out->store_name, buf, sizeof out->store_name);
    else if (e != STORE_ERR_NOT_FOUND)
        return e;
    if ((e = store_get_setting(s, "till.no", buf, sizeof buf)) == STORE_OK) {
        if (!parse_int(buf, 1, 999, &out->till_no))
            return store_failf(s, STORE_ERR_INVALID, "setting till.no=%s is not 1..999", buf);
    } else if (e != STORE_ERR_NOT_FOUND) {
        return e;
    }
    if ((e = store_get_setting(s, "cash.rounding", buf, sizeof buf)) == STORE_OK) {
        if (!cash_rounding_parse(buf, &out->rounding))
            return store_failf(s, STORE_ERR_INVALID, "setting cash.rounding=%s is unknown", buf);
    } else if (e != STORE_ERR_NOT_FOUND) {
        return e;
    }
    if ((e = store_get_setting(s, "store.tz_offset_min", buf, sizeof buf)) == STORE_OK) {
        if (!parse_int(buf, -720, 840, &out->tz_offset_min))
            return store_failf(s, STORE_ERR_INVALID, "setting store.tz_offset_min=%s is invalid",
                               buf);
    } else if (e != STORE_ERR_NOT_FOUND) {
        return e;
    }
    s->err[0] = '\0';
    return STORE_OK;
}

static store_err set_config_tx(store *s, void *ctx)
{
    const till_config *c = ctx;
    char till[16], tz[16];
    snprintf(till, sizeof till, "%d", c->till_no);
    snprintf(tz, sizeof tz, "%d", c->tz_offset_min);
    setting_kv kv[] = {
        {"store.code", c->store_code},
        {"store.name", c->store_name},
        {"till.no", till},
        {"cash.rounding", cash_rounding_name(c->rounding)},
        {"store.tz_offset_min", tz},
    };
    for (size_t i = 0; i < sizeof kv / sizeof kv[0]; i++) {
        store_err e = set_setting_tx(s, &kv[i]);
        if (e)
            return e;
    }
    return STORE_OK;
}

store_err store_set_config(store *s, const till_config *cfg)
{
    if (!cfg || !config_valid(s, cfg))
        return STORE_ERR_INVALID;
    return store_transaction(s, set_config_tx, (void *)cfg);
}

/* ---- catalog ---- */

static bool text_ok(const char *t, size_t cap, bool required)
{
    size_t n = strnlen(t, cap);
    return n < cap && (!required || n > 0);
}

static store_err upsert_supplier_tx(store *s, void *ctx)
{
    const supplier *p = ctx;
    sqlite3_stmt *st = NULL;
    /* The WHERE makes a re-load of identical data write nothing (no WAL growth, no churn). */
    store_err e = store_prepare(
        s,
        "INSERT INTO suppliers(id, name, kind, household_id, village, township, contact) "
        "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7) "
        "ON CONFLICT(id) DO UPDATE SET name = excluded.name, kind = excluded.kind, "
        "household_id = excluded.household_id, village = excluded.village, "
        "township = excluded.township, contact = excluded.contact "
        "WHERE (name, kind, household_id, village, township, contact) IS NOT "
        "(excluded.name, excluded.kind, excluded.household_id, excluded.village, "
        "excluded.township, excluded.contact)",
        &st);
    if (e)
        return e;
    bind_text(st, 1, p->id);
    bind_text(st, 2, p->name);
    bind_text(st, 3, p->kind);
    store_bind_opt_text(st, 4, p->household_id);
    store_bind_opt_text(st, 5, p->village);
    store_bind_opt_text(st, 6, p->township);
    store_bind_opt_text(st, 7, p->contact);
    return store_step_done(s, st);
}

store_err store_upsert_supplier(store *s, const supplier *sup)
{
    if (!sup || !text_ok(sup->id, sizeof sup->id, true) ||
        !text_ok(sup->name, sizeof sup->name, true) || !text_ok(sup->kind, sizeof sup->kind, true))
        return store_failf(s, STORE_ERR_INVALID, "supplier needs an id, a name and a kind");
    return store_transaction(s, upsert_supplier_tx, (void *)sup);
}

store_err store_find_supplier(store *s, const char *id, supplier *out)
{
    sqlite3_stmt *st = NULL;
    store_err e = store_prepare(s,
                                "SELECT id, name, kind, household_id, village, township, contact "
                                "FROM suppliers WHERE id = ?1",
                                &st);
    if (e)
        return e;
    bind_text(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        if (out) {
            memset(out, 0, sizeof *out);
            store_column_text(st, 0, out->id, sizeof out->id);
            store_column_text(st, 1, out->name, sizeof out->name);
            store_column_text(st, 2, out->kind, sizeof out->kind);
            store_column_text(st, 3, out->household_id, sizeof out->household_id);
            store_column_text(st, 4, out->village, sizeof out->village);
            store_column_text(st, 5, out->township, sizeof out->township);
            store_column_text(st, 6, out->contact, sizeof out->contact);
        }
        e = STORE_OK;
    } else if (rc == SQLITE_DONE) {
        e = store_failf(s, STORE_ERR_NOT_FOUND, "no supplier %s", id);
    } else {
        e = store_fail(s, rc);
    }
    sqlite3_finalize(st);
    return e;
}

static bool gtin13_ok(const char *g)
{
    if (strnlen(g, 14) != 13)
        return false;
    for (int i = 0; i < 13; i++)
        if (g[i] < '0' || g[i] > '9')
            return false;
    int sum = 0;
    for (int i = 0; i < 12; i++)
        sum += (g[i] - '0') * (i % 2 ? 3 : 1);
    return (10 - sum % 10) % 10 == g[12] - '0';
}

typedef struct {
    const char *sku, *gtin13;
} barcode_kv;

static store_err add_barcode_tx(store *s, void *ctx)
{
    const barcode_kv *kv = ctx;
    sqlite3_stmt *st = NULL;
    store_err e = store_prepare(s,
                                "INSERT INTO barcodes(gtin13, sku) VALUES(?1, ?2) "
                                "ON CONFLICT(gtin13) DO NOTHING",
                                &st);
    if (e)
        return e;
    bind_text(st, 1, kv->gtin13);
    bind_text(st, 2, kv->sku);
    if ((e = store_step_done(s, st)))
        return e;
    if (sqlite3_changes(s->db) > 0)
        return STORE_OK;
    /* Already there: fine if it is ours.  Silently moving a barcode to another product would
     * make the till sell the wrong thing at the wrong price; that is a catalog decision. */
    if ((e = store_prepare(s, "SELECT sku FROM barcodes WHERE gtin13 = ?1", &st)))
        return e;
    bind_text(st, 1, kv->gtin13);
    int rc = sqlite3_step(st);
    char owner[PRODUCT_SKU_CAP] = "";
    if (rc == SQLITE_ROW)
        store_column_text(st, 0, owner, sizeof owner);
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW)
        return store_fail(s, rc);
    if (strcmp(owner, kv->sku) != 0)
        return store_failf(s, STORE_ERR_CONSTRAINT, "barcode %s already belongs to product %s",
                           kv->gtin13, owner);
    return STORE_OK;
}

store_err store_add_barcode(store *s, const char *sku, const char *gtin13)
{
    if (!sku || !sku[0] || !gtin13 || !gtin13_ok(gtin13))
        return store_failf(s, STORE_ERR_INVALID, "barcode %s is not a valid GTIN-13",
                           gtin13 ? gtin13 : "(null)");
    barcode_kv kv = {sku, gtin13};
    return store_transaction(s, add_barcode_tx, &kv);
}

store_err store_record_price_change(store *s, const char *sku, fen_t old_fen, fen_t new_fen,
                                    int64_t at_utc, const char *source)
{
    sqlite3_stmt *st = NULL;
    store_err e = store_prepare(s,
                                "INSERT INTO price_history(sku, old_price_fen, new_price_fen, "
                                "changed_utc, source) VALUES(?1, ?2, ?3, ?4, ?5)",
                                &st);
    if (e)
        return e;
    bind_text(st, 1, sku);
    sqlite3_bind_int64(st, 2, old_fen);
    sqlite3_bind_int64(st, 3, new_fen);
    sqlite3_bind_int64(st, 4, at_utc);
    bind_text(st, 5, source && source[0] ? source : "api");
    return store_step_done(s, st);
}

/* Current price of sku: 1 found, 0 not found, -1 error (recorded). */
static int current_price(store *s, const char *sku, fen_t *out)
{
    sqlite3_stmt *st = NULL;
    if (store_prepare(s, "SELECT price_fen FROM products WHERE sku = ?1", &st))
        return -1;
    bind_text(st, 1, sku);
    int rc = sqlite3_step(st);
    int found = rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
    if (found == 1)
        *out = sqlite3_column_int64(st, 0);
    else if (found < 0)
        store_fail(s, rc);
    sqlite3_finalize(st);
    return found;
}

static store_err upsert_product_tx(store *s, void *ctx)
{
    const product *p = ctx;
    sqlite3_stmt *st = NULL;
    char pinyin[256];
    pinyin_initials(p->name, pinyin, sizeof pinyin);
    fen_t old_price = 0;
    int had = current_price(s, p->sku, &old_price);
    if (had < 0)
        return store_fail(s, sqlite3_errcode(s->db));
    /* The columns of the product record (pos/core/product.h); the rest of the catalog record
     * (English name, tax class, certificate county and start, several barcodes) is written by
     * db/catalog.c.  The WHERE makes re-writing identical data a no-op. */
    store_err e = store_prepare(
        s,
        "INSERT INTO products(sku, name, unit, price_fen, by_weight, plu, poverty_relief, "
        "supplier_id, active, tare_g, min_g, max_g, cert_no, cert_valid_to, pinyin, updated_utc) "
        "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, "
        "CAST(strftime('%s','now') AS INTEGER)) "
        "ON CONFLICT(sku) DO UPDATE SET name = excluded.name, unit = excluded.unit, "
        "price_fen = excluded.price_fen, by_weight = excluded.by_weight, plu = excluded.plu, "
        "poverty_relief = excluded.poverty_relief, supplier_id = excluded.supplier_id, "
        "active = excluded.active, tare_g = excluded.tare_g, min_g = excluded.min_g, "
        "max_g = excluded.max_g, cert_no = excluded.cert_no, "
        "cert_valid_to = excluded.cert_valid_to, pinyin = excluded.pinyin, "
        "updated_utc = excluded.updated_utc "
        "WHERE (name, unit, price_fen, by_weight, plu, poverty_relief, supplier_id, active, "
        "tare_g, min_g, max_g, cert_no, cert_valid_to, pinyin) "
        "IS NOT (excluded.name, excluded.unit, excluded.price_fen, excluded.by_weight, "
        "excluded.plu, excluded.poverty_relief, excluded.supplier_id, excluded.active, "
        "excluded.tare_g, excluded.min_g, excluded.max_g, excluded.cert_no, "
        "excluded.cert_valid_to, excluded.pinyin)",
        &st);
    if (e)
        return e;
    bind_text(st, 1, p->sku);
    bind_text(st, 2, p->name);
    bind_text(st, 3, p->unit);
    sqlite3_bind_int64(st, 4, p->price_fen);
    sqlite3_bind_int(st, 5, p->by_weight ? 1 : 0);
    store_bind_opt_text(st, 6, p->plu);
    sqlite3_bind_int(st, 7, p->poverty_relief ? 1 : 0);
    store_bind_opt_text(st, 8, p->supplier_id);
    sqlite3_bind_int(st, 9, p->active ? 1 : 0);
    sqlite3_bind_int64(st, 10, p->tare_g);
    sqlite3_bind_int64(st, 11, p->min_g);
    sqlite3_bind_int64(st, 12, p->max_g);
    store_bind_opt_text(st, 13, p->cert_no);
    store_bind_opt_text(st, 14, p->cert_valid_to);
    bind_text(st, 15, pinyin);
    if ((e = store_step_done(s, st)))
        return e;
    if (had && old_price != p->price_fen &&
        (e = store_record_price_change(s, p->sku, old_price, p->price_fen,
                                       (int64_t)time(NULL), "api")))
        return e;
    if (p->gtin13[0]) {
        barcode_kv kv = {p->sku, p->gtin13};
        return add_barcode_tx(s, &kv);
    }
    return STORE_OK;
}

store_err store_upsert_product(store *s, const product *p)
{
    if (!p || !text_ok(p->sku, sizeof p->sku, true) || !text_ok(p->name, sizeof p->name, true) ||
        !text_ok(p->unit, sizeof p->unit, false) || !text_ok(p->plu, sizeof p->plu, false) ||
        !text_ok(p->supplier_id, sizeof p->supplier_id, false))
        return store_failf(s, STORE_ERR_INVALID, "product needs a sku and a name");
    if (p->price_fen < 0 || p->price_fen > MONEY_MAX_FEN)
        return store_failf(s, STORE_ERR_INVALID, "product %s: price %lld fen out of range", p->sku,
                           (long long)p->price_fen);
    if (p->tare_g < 0 || p->min_g < 0 || p->max_g < 0 ||
        !text_ok(p->cert_no, sizeof p->cert_no, false) ||
        !text_ok(p->cert_valid_to, sizeof p->cert_valid_to, false))
        return store_failf(s, STORE_ERR_INVALID, "product %s: bad weight bounds or certificate",
                           p->sku);
    if (p->gtin13[0] && !gtin13_ok(p->gtin13))
        return store_failf(s, STORE_ERR_INVALID, "product %s: barcode %.14s is not a GTIN-13",
                           p->sku, p->gtin13);
    return store_transaction(s, upsert_product_tx, (void *)p);
}

void store_read_product(sqlite3_stmt *st, int col0, product *out)
{
    memset(out, 0, sizeof *out);
    store_column_text(st, col0 + 0, out->sku, sizeof out->sku);
    store_column_text(st, col0 + 1, out->name, sizeof out->name);
    store_column_text(st, col0 + 2, out->unit, sizeof out->unit);
    store_column_text(st, col0 + 3, out->plu, sizeof out->plu);
    out->price_fen = sqlite3_column_int64(st, col0 + 4);
    out->by_weight = sqlite3_column_int(st, col0 + 5) != 0;
    out->poverty_relief = sqlite3_column_int(st, col0 + 6) != 0;
    out->active = sqlite3_column_int(st, col0 + 7) != 0;
    store_column_text(st, col0 + 8, out->supplier_id, sizeof out->supplier_id);
    out->tare_g = sqlite3_column_int64(st, col0 + 9);
    out->min_g = sqlite3_column_int64(st, col0 + 10);
    out->max_g = sqlite3_column_int64(st, col0 + 11);
    store_column_text(st, col0 + 12, out->cert_no, sizeof out->cert_no);
    store_column_text(st, col0 + 13, out->cert_valid_to, sizeof out->cert_valid_to);
    store_column_text(st, col0 + 14, out->gtin13, sizeof out->gtin13);
}

static store_err find_product(store *s, const char *sql, const char *key, product *out)
{
    sqlite3_stmt *st = NULL;
    store_err e = store_prepare(s, sql, &st);
    if (e)
        return e;
    bind_text(st, 1, key);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        product tmp;
        store_read_product(st, 0, &tmp);
        if (out)
            *out = tmp;
        e = STORE_OK;
    } else if (rc == SQLITE_DONE) {
        e = store_failf(s, STORE_ERR_NOT_FOUND, "no product for %s", key);
    } else {
        e = store_fail(s, rc);
    }
    sqlite3_finalize(st);
    return e;
}

store_err store_find_product_by_gtin(store *s, const char *gtin13, product *out)
{
    if (!gtin13)
        return STORE_ERR_INVALID;
    return find_product(s,
                        "SELECT " STORE_PRODUCT_COLS ", b.gtin13 FROM barcodes b "
                        "JOIN products p ON p.sku = b.sku WHERE b.gtin13 = ?1",
                        gtin13, out);
}


store_err store_find_product_by_sku(store *s, const char *sku, product *out)
{
    if (!sku)
        return STORE_ERR_INVALID;
    return find_product(s,
                        "SELECT " STORE_PRODUCT_COLS ", " STORE_MAIN_GTIN
                        " FROM products p WHERE p.sku = ?1",
                        sku, out);
}

store_err store_find_product_by_plu(store *s, const char *plu, product *out)
{
    if (!plu || !plu[0])   /* say so: the caller prints store_last_error */
        return store_failf(s, STORE_ERR_INVALID, "no PLU given");
    return find_product(s,
                        "SELECT " STORE_PRODUCT_COLS ", " STORE_MAIN_GTIN
                        " FROM products p WHERE p.plu = ?1",
                        plu, out);
}

static int64_t count_rows(store *s, const char *sql)
{
    sqlite3_stmt *st = NULL;
    if (store_prepare(s, sql, &st))
        return -1;
    int64_t n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    return n;
}

int64_t store_count_products(store *s) { return count_rows(s, "SELECT count(*) FROM products"); }
int64_t store_count_sales(store *s) { return count_rows(s, "SELECT count(*) FROM sales"); }

/* ---- sales ---- */

typedef struct {
    sale_doc *doc;
    const basket_void *voids;
    size_t n_voids;
} commit_ctx;

/* The document's JSON, as stored in sales.doc_json and sent in the outbox payload. */
static bool doc_json(const sale_doc *doc, strbuf *sb)
{
    json_writer w;
    strbuf_init(sb);
    json_writer_init(&w, sb, false);
    sale_to_json(doc, &w);
    return !sb->oom && sb->data;
}

static bool audit_detail(const sale_doc *doc, const basket_void *voids, size_t n_voids,
                         strbuf *sb)
{
    json_writer w;
    strbuf_init(sb);
    json_writer_init(&w, sb, false);
    json_begin_object(&w);
    json_kv_string(&w, "receipt_no", doc->receipt_no);
    json_kv_string(&w, "business_day", doc->business_day);
    json_kv_int(&w, "lines", (int64_t)doc->n_lines);
    json_kv_int(&w, "total_fen", doc->total_fen);
    json_kv_int(&w, "rounding_fen", doc->rounding_fen);
    json_kv_int(&w, "due_fen", doc->due_fen);
    json_kv_int(&w, "change_fen", doc->change_fen);
    json_key(&w, "tenders");
    json_begin_array(&w);
    for (size_t i = 0; i < doc->n_tenders; i++) {
        json_begin_object(&w);
        json_kv_string(&w, "kind", tender_kind_name(doc->tenders[i].kind));
        json_kv_int(&w, "amount_fen", doc->tenders[i].amount_fen);
        json_end_object(&w);
    }
    json_end_array(&w);
    json_key(&w, "voids");
    json_begin_array(&w);
    for (size_t i = 0; i < n_voids; i++) {
        json_begin_object(&w);
        json_kv_string(&w, "sku", voids[i].sku);
        json_kv_int(&w, "qty", voids[i].qty);
        json_kv_int(&w, "grams", voids[i].grams);
        json_kv_int(&w, "amount_fen", voids[i].amount_fen);
        json_end_object(&w);
    }
    json_end_array(&w);
    json_end_object(&w);
    return !sb->oom && sb->data;
}

/* Already stored?  1 = yes (doc gets the stored receipt number), 0 = no, <0 = error in *e. */
static int find_committed(store *s, commit_ctx *c, store_err *e)
{
    sqlite3_stmt *st = NULL;
    if ((*e = store_prepare(s, "SELECT receipt_no, business_day, doc_json FROM sales WHERE uuid = ?1",
                            &st)))
        return -1;
    bind_text(st, 1, c->doc->uuid);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_DONE) {
        sqlite3_finalize(st);
        return 0;
    }
    if (rc != SQLITE_ROW) {
        *e = store_fail(s, rc);
        sqlite3_finalize(st);
        return -1;
    }
    store_column_text(st, 0, c->doc->receipt_no, sizeof c->doc->receipt_no);
    store_column_text(st, 1, c->doc->business_day, sizeof c->doc->business_day);
    /* Same uuid must mean the same sale: a retry after a lost reply is fine, a different sale
     * reusing a uuid (a bug or a clash) must not be answered with someone else's receipt. */
    strbuf sb;
    const char *stored = (const char *)sqlite3_column_text(st, 2);
    bool same = doc_json(c->doc, &sb) && stored && strcmp(sb.data, stored) == 0;
    strbuf_free(&sb);
    sqlite3_finalize(st);
    if (!same) {
        *e = store_failf(s, STORE_ERR_CONSTRAINT,
                         "sale %s is already stored as %s with different content", c->doc->uuid,
                         c->doc->receipt_no);
        return -1;
    }
    *e = STORE_OK;
    return 1;
}

store_err store_next_seq(store *s, const char *table, const char *store_code, int till_no,
                         const char *business_day, int *seq)
{
    char sql[160];
    int w = snprintf(sql, sizeof sql,
                     "SELECT coalesce(max(seq), 0) + 1 FROM %s "
                     "WHERE store_code = ?1 AND till_no = ?2 AND business_day = ?3",
                     table);
    if (w < 0 || (size_t)w >= sizeof sql)
        return store_failf(s, STORE_ERR_INTERNAL, "sequence query for %s does not fit", table);
    sqlite3_stmt *st = NULL;
    store_err e = store_prepare(s, sql, &st);
    if (e)
        return e;
    bind_text(st, 1, store_code);
    sqlite3_bind_int(st, 2, till_no);
    bind_text(st, 3, business_day);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *seq = sqlite3_column_int(st, 0);
        e = STORE_OK;
    } else {
        e = store_fail(s, rc);
    }
    sqlite3_finalize(st);
    return e;
}

static store_err insert_sale_rows(store *s, const sale_doc *d, int seq, const char *json)
{
    sqlite3_stmt *st = NULL;
    store_err e = store_prepare(
        s,
        "INSERT INTO sales(uuid, receipt_no, store_code, till_no, business_day, seq, created_utc, "
        "cashier, total_fen, rounding_fen, due_fen, change_fen, points_earned, points_redeemed, "
        "doc_json, member_id) "
        "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
        &st);
    if (e)
        return e;
    bind_text(st, 1, d->uuid);
    bind_text(st, 2, d->receipt_no);
    bind_text(st, 3, d->store_code);
    sqlite3_bind_int(st, 4, d->till_no);
    bind_text(st, 5, d->business_day);
    sqlite3_bind_int(st, 6, seq);
    sqlite3_bind_int64(st, 7, d->created_utc);
    bind_text(st, 8, d->cashier);
    sqlite3_bind_int64(st, 9, d->total_fen);
    sqlite3_bind_int64(st, 10, d->rounding_fen);
    sqlite3_bind_int64(st, 11, d->due_fen);
    sqlite3_bind_int64(st, 12, d->change_fen);
    sqlite3_bind_int64(st, 13, d->points_earned);
    sqlite3_bind_int64(st, 14, d->points_redeemed);
    bind_text(st, 15, json);
    store_bind_opt_text(st, 16, d->member_id);
    if ((e = store_step_done(s, st)))
        return e;

    /* One prepared statement per child table, reset between rows. */
    if ((e = store_prepare(s,
                           "INSERT INTO sale_lines(sale_uuid, line_no, sku, name, gtin13, qty, grams, "
                           "unit_price_fen, amount_fen, discount_fen, poverty_relief, supplier_id) "
                           "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                           &st)))
        return e;
    for (size_t i = 0; i < d->n_lines && !e; i++) {
        const sale_line *l = &d->lines[i];
        bind_text(st, 1, d->uuid);
        sqlite3_bind_int64(st, 2, (int64_t)i + 1);
        bind_text(st, 3, l->sku);
        bind_text(st, 4, l->name);
        store_bind_opt_text(st, 5, l->gtin13);
        sqlite3_bind_int64(st, 6, l->qty);
        sqlite3_bind_int64(st, 7, l->grams);
        sqlite3_bind_int64(st, 8, l->unit_price_fen);
        sqlite3_bind_int64(st, 9, l->amount_fen);
        sqlite3_bind_int64(st, 10, l->discount_fen);
        sqlite3_bind_int(st, 11, l->poverty_relief ? 1 : 0);
        store_bind_opt_text(st, 12, l->supplier_id);
        e = store_step_reset(s, st);
    }
    sqlite3_finalize(st);
    if (e)
        return e;

    if ((e = store_prepare(s,
                           "INSERT INTO sale_tenders(sale_uuid, seq, kind, amount_fen, ref) "
                           "VALUES(?1, ?2, ?3, ?4, ?5)",
                           &st)))
        return e;
    for (size_t i = 0; i < d->n_tenders && !e; i++) {
        bind_text(st, 1, d->uuid);
        sqlite3_bind_int64(st, 2, (int64_t)i + 1);
        bind_text(st, 3, tender_kind_name(d->tenders[i].kind));
        sqlite3_bind_int64(st, 4, d->tenders[i].amount_fen);
        bind_text(st, 5, d->tenders[i].ref);
        e = store_step_reset(s, st);
    }
    sqlite3_finalize(st);
    if (e)
        return e;

    if ((e = store_prepare(s,
                           "INSERT INTO sale_applied(sale_uuid, seq, rule, label, amount_fen) "
                           "VALUES(?1, ?2, ?3, ?4, ?5)",
                           &st)))
        return e;
    for (size_t i = 0; i < d->n_applied && !e; i++) {
        bind_text(st, 1, d->uuid);
        sqlite3_bind_int64(st, 2, (int64_t)i + 1);
        bind_text(st, 3, d->applied[i].rule);
        bind_text(st, 4, d->applied[i].label);
        sqlite3_bind_int64(st, 5, d->applied[i].amount_fen);
        e = store_step_reset(s, st);
    }
    sqlite3_finalize(st);
    if (e)
        return e;

    if ((e = store_prepare(s,
                           "INSERT INTO sale_gifts(sale_uuid, seq, sku, qty, cost_fen) "
                           "VALUES(?1, ?2, ?3, ?4, ?5)",
                           &st)))
        return e;
    for (size_t i = 0; i < d->n_gifts && !e; i++) {
        bind_text(st, 1, d->uuid);
        sqlite3_bind_int64(st, 2, (int64_t)i + 1);
        bind_text(st, 3, d->gifts[i].sku);
        sqlite3_bind_int64(st, 4, d->gifts[i].qty);
        sqlite3_bind_int64(st, 5, d->gifts[i].cost_fen);
        e = store_step_reset(s, st);
    }
    sqlite3_finalize(st);
    if (e)
        return e;

    /* Stock moves ride in the sale's transaction too: the derived level can never disagree
     * with the sales.  Negative stock is allowed on purpose -- a till never refuses a real
     * sale because the books are behind the shelf; `stock show` reports it instead.  Weighed
     * lines move grams, counted lines and gifts move units.  A gift move carries the gift's
     * cost (what the shop gave away, for the margin report); sale moves carry none, as before
     * (their cost is the receipts'). */
    if ((e = store_prepare(s,
                           "INSERT INTO stock_moves(sku, kind, qty, grams, cost_fen, ref, at_utc) "
                           "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                           &st)))
        return e;
    for (size_t i = 0; i < d->n_lines + d->n_gifts && !e; i++) {
        bool gift = i >= d->n_lines;
        const char *sku = gift ? d->gifts[i - d->n_lines].sku : d->lines[i].sku;
        int64_t qty = gift ? d->gifts[i - d->n_lines].qty : d->lines[i].qty;
        int64_t grams = gift ? 0 : d->lines[i].grams;
        bind_text(st, 1, sku);
        bind_text(st, 2, gift ? "gift" : "sale");
        sqlite3_bind_int64(st, 3, grams > 0 ? 0 : -qty);
        sqlite3_bind_int64(st, 4, -grams);
        sqlite3_bind_int64(st, 5, gift ? d->gifts[i - d->n_lines].cost_fen : 0);
        bind_text(st, 6, d->uuid);
        sqlite3_bind_int64(st, 7, d->created_utc);
        e = store_step_reset(s, st);
    }
    sqlite3_finalize(st);
    if (e)
        return e;

    /* The outbox row rides in the same transaction as the sale: the county ledger can never
     * miss a committed sale nor receive one that was rolled back. */
    if ((e = store_prepare(s,
                           "INSERT INTO outbox(kind, ref_uuid, payload, created_utc) "
                           "VALUES('sale', ?1, ?2, ?3)",
                           &st)))
        return e;
    bind_text(st, 1, d->uuid);
    bind_text(st, 2, json);
    sqlite3_bind_int64(st, 3, d->created_utc);
    return store_step_done(s, st);
}

static store_err commit_sale_tx(store *s, void *ctx)
{
    commit_ctx *c = ctx;
    sale_doc *d = c->doc;
    store_err e;
    char why[256];

    int found = find_committed(s, c, &e);
    if (found != 0)
        return found > 0 ? STORE_OK : e;

    /* Read the zone under the write lock so the day and the number agree with each other. */
    till_config cfg;
    if ((e = store_get_config(s, &cfg)))
        return e;
    bizday_format_day(d->created_utc, cfg.tz_offset_min, d->business_day);
    int seq = 0;
    if ((e = store_next_seq(s, "sales", d->store_code, d->till_no, d->business_day, &seq)))
        return e;
    if (!sale_format_receipt_no(d->store_code, d->till_no, d->business_day, seq, d->receipt_no,
                                sizeof d->receipt_no))
        return store_failf(s, STORE_ERR_INVALID,
                           "cannot form a receipt number from %s / till %d / %s / %d",
                           d->store_code, d->till_no, d->business_day, seq);
    sale_err se = sale_check(d, true, why, sizeof why);
    if (se != SALE_OK)
        return store_failf(s, STORE_ERR_INVALID, "sale %s: %s: %s", d->uuid, sale_strerror(se), why);

    strbuf json, detail;
    bool ok = doc_json(d, &json);
    ok = audit_detail(d, c->voids, c->n_voids, &detail) && ok;
    if (!ok) {
        e = store_failf(s, STORE_ERR_INTERNAL, "out of memory formatting sale %s", d->uuid);
        goto done;
    }
    if ((e = insert_sale_rows(s, d, seq, json.data)))
        goto done;
    /* The member's points (redeem, earn) ride in the sale's transaction (db/promo_store.c). */
    if ((e = promo_store_commit_points(s, d)))
        goto done;
    e = audit_append(s, d->created_utc, d->cashier, "sale.commit", d->uuid, detail.data);
done:
    strbuf_free(&json);
    strbuf_free(&detail);
    return e;
}

store_err store_commit_sale(store *s, sale_doc *doc, const basket_void *voids, size_t n_voids,
                            char *msg, size_t msg_cap)
{
    char why[256];
    if (msg && msg_cap)
        msg[0] = '\0';
    if (!s || !doc || (n_voids > 0 && !voids)) {
        set_msg(msg, msg_cap, "store_commit_sale: missing argument");
        return STORE_ERR_INVALID;
    }
    char saved_day[sizeof doc->business_day];
    memcpy(saved_day, doc->business_day, sizeof saved_day);
    doc->receipt_no[0] = '\0';

    /* Check the figures before taking any lock: a bad document never costs a transaction. */
    sale_err se = sale_check(doc, false, why, sizeof why);
    if (se == SALE_OK && !sale_uuid_valid(doc->uuid)) {
        se = SALE_ERR_IDENTITY;
        snprintf(why, sizeof why, "uuid \"%.40s\" is not a v4 UUID", doc->uuid);
    }
    if (se != SALE_OK) {
        set_msg(msg, msg_cap, "%s: %s", sale_strerror(se), why);
        return STORE_ERR_INVALID;
    }
    commit_ctx c = {doc, voids, n_voids};
    store_err e = store_transaction(s, commit_sale_tx, &c);
    if (e != STORE_OK) {
        doc->receipt_no[0] = '\0';
        memcpy(doc->business_day, saved_day, sizeof saved_day);
        store_copy_error(s, msg, msg_cap);
    }
    return e;
}

store_err store_load_sale(store *s, const char *key, sale_doc *out)
{
    sqlite3_stmt *st = NULL;
    store_err e;
    if (!s || !key || !out)
        return STORE_ERR_INVALID;
    memset(out, 0, sizeof *out);
    if ((e = store_prepare(s,
                           "SELECT uuid, receipt_no, business_day, store_code, till_no, cashier, "
                           "created_utc, total_fen, rounding_fen, due_fen, change_fen, "
                           "points_earned, points_redeemed, coalesce(member_id, '') FROM sales "
                           "WHERE receipt_no = ?1 OR uuid = ?1",
                           &st)))
        return e;
    bind_text(st, 1, key);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        e = rc == SQLITE_DONE ? store_failf(s, STORE_ERR_NOT_FOUND, "no sale %s", key)
                              : store_fail(s, rc);
        sqlite3_finalize(st);
        return e;
    }
    store_column_text(st, 0, out->uuid, sizeof out->uuid);
    store_column_text(st, 1, out->receipt_no, sizeof out->receipt_no);
    store_column_text(st, 2, out->business_day, sizeof out->business_day);
    store_column_text(st, 3, out->store_code, sizeof out->store_code);
    out->till_no = sqlite3_column_int(st, 4);
    store_column_text(st, 5, out->cashier, sizeof out->cashier);
    out->created_utc = sqlite3_column_int64(st, 6);
    out->total_fen = sqlite3_column_int64(st, 7);
    out->rounding_fen = sqlite3_column_int64(st, 8);
    out->due_fen = sqlite3_column_int64(st, 9);
    out->change_fen = sqlite3_column_int64(st, 10);
    out->points_earned = sqlite3_column_int64(st, 11);
    out->points_redeemed = sqlite3_column_int64(st, 12);
    store_column_text(st, 13, out->member_id, sizeof out->member_id);
    sqlite3_finalize(st);

    /* Children, each bounded by the document's array sizes: a row beyond them means the file
     * was not written by us. */
    if ((e = store_prepare(s,
                           "SELECT sku, name, gtin13, qty, grams, unit_price_fen, amount_fen, "
                           "discount_fen, poverty_relief, supplier_id FROM sale_lines "
                           "WHERE sale_uuid = ?1 ORDER BY line_no",
                           &st)))
        return e;
    bind_text(st, 1, out->uuid);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (out->n_lines == BASKET_MAX_LINES) {
            rc = SQLITE_CORRUPT;
            break;
        }
        sale_line *l = &out->lines[out->n_lines++];
        store_column_text(st, 0, l->sku, sizeof l->sku);
        store_column_text(st, 1, l->name, sizeof l->name);
        store_column_text(st, 2, l->gtin13, sizeof l->gtin13);
        l->qty = sqlite3_column_int64(st, 3);
        l->grams = sqlite3_column_int64(st, 4);
        l->unit_price_fen = sqlite3_column_int64(st, 5);
        l->amount_fen = sqlite3_column_int64(st, 6);
        l->discount_fen = sqlite3_column_int64(st, 7);
        l->poverty_relief = sqlite3_column_int(st, 8) != 0;
        store_column_text(st, 9, l->supplier_id, sizeof l->supplier_id);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        goto bad;

    if ((e = store_prepare(s,
                           "SELECT kind, amount_fen, ref FROM sale_tenders WHERE sale_uuid = ?1 "
                           "ORDER BY seq",
                           &st)))
        return e;
    bind_text(st, 1, out->uuid);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (out->n_tenders == BASKET_MAX_TENDERS) {
            rc = SQLITE_CORRUPT;
            break;
        }
        sale_tender *t = &out->tenders[out->n_tenders++];
        const char *kind = (const char *)sqlite3_column_text(st, 0);
        if (!kind || !tender_kind_parse(kind, &t->kind)) {
            rc = SQLITE_CORRUPT;
            break;
        }
        t->amount_fen = sqlite3_column_int64(st, 1);
        store_column_text(st, 2, t->ref, sizeof t->ref);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        goto bad;

    if ((e = store_prepare(s,
                           "SELECT rule, label, amount_fen FROM sale_applied WHERE sale_uuid = ?1 "
                           "ORDER BY seq",
                           &st)))
        return e;
    bind_text(st, 1, out->uuid);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (out->n_applied == SALE_MAX_APPLIED) {
            rc = SQLITE_CORRUPT;
            break;
        }
        sale_applied *a = &out->applied[out->n_applied++];
        store_column_text(st, 0, a->rule, sizeof a->rule);
        store_column_text(st, 1, a->label, sizeof a->label);
        a->amount_fen = sqlite3_column_int64(st, 2);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        goto bad;

    if ((e = store_prepare(s,
                           "SELECT sku, qty, cost_fen FROM sale_gifts WHERE sale_uuid = ?1 "
                           "ORDER BY seq",
                           &st)))
        return e;
    bind_text(st, 1, out->uuid);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (out->n_gifts == SALE_MAX_GIFTS) {
            rc = SQLITE_CORRUPT;
            break;
        }
        sale_gift *g = &out->gifts[out->n_gifts++];
        store_column_text(st, 0, g->sku, sizeof g->sku);
        g->qty = sqlite3_column_int64(st, 1);
        g->cost_fen = sqlite3_column_int64(st, 2);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        goto bad;
    return STORE_OK;

bad:
    if (rc == SQLITE_CORRUPT)
        return store_failf(s, STORE_ERR_CORRUPT, "sale %s: stored rows do not form a document",
                           key);
    return store_fail(s, rc);
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
