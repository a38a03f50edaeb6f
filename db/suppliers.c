/* suppliers: the suppliers table.  See suppliers.h. */
#include "db/suppliers.h"

#include <stdio.h>
#include <string.h>

#include "db/store_internal.h"

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
    store_bind_text(st, 1, p->id);
    store_bind_text(st, 2, p->name);
    store_bind_text(st, 3, p->kind);
    store_bind_opt_text(st, 4, p->household_id);
    store_bind_opt_text(st, 5, p->village);
    store_bind_opt_text(st, 6, p->township);
    store_bind_opt_text(st, 7, p->contact);
    return store_step_done(s, st);
}

store_err suppliers_upsert(store *s, const supplier *sup)
{
    if (!sup || !text_ok(sup->id, sizeof sup->id, true) ||
        !text_ok(sup->name, sizeof sup->name, true) || !text_ok(sup->kind, sizeof sup->kind, true))
        return store_failf(s, STORE_ERR_INVALID, "supplier needs an id, a name and a kind");
    return store_transaction(s, upsert_supplier_tx, (void *)sup);
}

/* Kept prepared: the sale screen names the supplier of every line it scans. */
static const char SQL_FIND[] =
    "SELECT id, name, kind, household_id, village, township, contact FROM suppliers WHERE id = ?1";

store_err suppliers_find(store *s, const char *id, supplier *out)
{
    sqlite3_stmt *st = NULL;
    store_err e = store_cached(s, SQL_FIND, &st);
    if (e)
        return e;
    store_bind_text(st, 1, id);
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
    sqlite3_reset(st);
    return e;
}
