/* members: the member table.  See members.h. */
#include "db/members.h"

#include <stdio.h>
#include <string.h>

#include "db/store_internal.h"
#include "pos/core/member.h"

typedef struct {
    const member *m;
    bool upsert;
} member_ctx;

static store_err write_member_tx(store *s, void *vctx)
{
    member_ctx *x = vctx;
    sqlite3_stmt *st = NULL;
    store_err e = store_prepare(
        s,
        x->upsert ? "INSERT INTO members(id, phone, name, kind, created_utc) "
                    "VALUES(?1, ?2, ?3, ?4, ?5) ON CONFLICT(id) DO UPDATE SET "
                    "phone = excluded.phone, name = excluded.name, kind = excluded.kind"
                  : "INSERT INTO members(id, phone, name, kind, created_utc) "
                    "VALUES(?1, ?2, ?3, ?4, ?5)",
        &st);
    if (e)
        return e;
    sqlite3_bind_text(st, 1, x->m->id, -1, SQLITE_TRANSIENT);
    store_bind_opt_text(st, 2, x->m->phone);
    sqlite3_bind_text(st, 3, x->m->name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, member_kind_name(x->m->kind), -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 5, x->m->created_utc);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_DONE) {
        e = (rc & 0xff) == SQLITE_CONSTRAINT
                ? store_failf(s, STORE_ERR_CONSTRAINT,
                              "member \"%s\": card or phone %s is already registered", x->m->id,
                              x->m->phone)
                : store_fail(s, rc);
    }
    sqlite3_finalize(st);
    return e;
}

static store_err write_member(store *s, const member *m, bool upsert)
{
    char why[160];
    if (!s || !m)
        return STORE_ERR_INVALID;
    if (!member_check(m, why, sizeof why))
        return store_failf(s, STORE_ERR_INVALID, "%s", why);
    member_ctx x = {m, upsert};
    return store_transaction(s, write_member_tx, &x);
}

store_err members_add(store *s, const member *m) { return write_member(s, m, false); }
store_err members_upsert(store *s, const member *m) { return write_member(s, m, true); }

/* sql is one of the MEMBER_COLS literals below: kept prepared (a member sale looks its card up
 * in the till and again under the commit's lock). */
static store_err find_member(store *s, const char *sql, const char *key, member *out)
{
    if (!s || !key || !out)
        return STORE_ERR_INVALID;
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st = NULL;
    store_err e = store_cached(s, sql, &st);
    if (e)
        return e;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        store_column_text(st, 0, out->id, sizeof out->id);
        store_column_text(st, 1, out->phone, sizeof out->phone);
        store_column_text(st, 2, out->name, sizeof out->name);
        char kind[16];
        store_column_text(st, 3, kind, sizeof kind);
        if (!member_kind_parse(kind, &out->kind))
            out->kind = MEMBER_PERSON;
        out->created_utc = sqlite3_column_int64(st, 4);
        e = STORE_OK;
    } else {
        e = rc == SQLITE_DONE ? store_failf(s, STORE_ERR_NOT_FOUND, "no member \"%.40s\"", key)
                              : store_fail(s, rc);
    }
    sqlite3_reset(st);
    return e;
}

#define MEMBER_COLS "SELECT id, coalesce(phone, ''), name, kind, created_utc FROM members "

store_err members_find(store *s, const char *id, member *out)
{
    return find_member(s, MEMBER_COLS "WHERE id = ?1", id, out);
}

store_err members_find_by_phone(store *s, const char *phone, member *out)
{
    return find_member(s, MEMBER_COLS "WHERE phone = ?1", phone, out);
}

store_err members_find_by_key(store *s, const char *key, member *out)
{
    store_err e = members_find(s, key, out);
    if (e == STORE_ERR_NOT_FOUND)
        e = members_find_by_phone(s, key, out);
    return e;
}

static store_err delete_member_tx(store *s, void *ctx)
{
    const char *id = ctx;
    sqlite3_stmt *st = NULL;
    store_err e = store_prepare(
        s,
        "SELECT EXISTS(SELECT 1 FROM points_journal WHERE member_id = ?1) OR "
        "EXISTS(SELECT 1 FROM sales WHERE member_id = ?1)",
        &st);
    if (e)
        return e;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    bool used = rc == SQLITE_ROW && sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW)
        return store_fail(s, rc);
    if (used)
        return store_failf(s, STORE_ERR_CONSTRAINT,
                           "member \"%.40s\" has sales or points: kept for the record", id);
    if ((e = store_prepare(s, "DELETE FROM members WHERE id = ?1", &st)))
        return e;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
    if ((e = store_step_done(s, st)))
        return e;
    return sqlite3_changes(store_db(s)) ? STORE_OK
                                        : store_failf(s, STORE_ERR_NOT_FOUND, "no member \"%.40s\"", id);
}

store_err members_delete(store *s, const char *id)
{
    if (!s || !id)
        return STORE_ERR_INVALID;
    return store_transaction(s, delete_member_tx, (void *)id);
}

