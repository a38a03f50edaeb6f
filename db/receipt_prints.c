/* receipt_prints: the receipt print log.  See receipt_prints.h. */
#include "db/receipt_prints.h"

#include "db/store_internal.h"

static const char *kind_name(receipt_print_kind k)
{
    return k == RECEIPT_PRINT_REPRINT ? "reprint" : "original";
}

store_err receipt_prints_add(store *s, const char *sale_uuid, const char *receipt_no,
                             receipt_print_kind kind, int64_t at_utc)
{
    if (!s || !sale_uuid || !receipt_no)
        return STORE_ERR_INVALID;
    sqlite3_stmt *st = NULL;
    store_err e = store_prepare(s,
                                "INSERT INTO receipt_prints(sale_uuid, receipt_no, kind, at_utc) "
                                "VALUES(?1, ?2, ?3, ?4)",
                                &st);
    if (e)
        return e;
    store_bind_text(st, 1, sale_uuid);
    store_bind_text(st, 2, receipt_no);
    store_bind_text(st, 3, kind_name(kind));
    sqlite3_bind_int64(st, 4, at_utc);
    int rc = sqlite3_step(st);
    e = rc == SQLITE_DONE ? STORE_OK : store_fail(s, rc);
    sqlite3_finalize(st);
    return e;
}

store_err receipt_prints_count(store *s, const char *sale_uuid, receipt_print_kind kind,
                               int64_t *n)
{
    if (!s || !sale_uuid || !n)
        return STORE_ERR_INVALID;
    sqlite3_stmt *st = NULL;
    store_err e = store_prepare(s,
                                "SELECT count(*) FROM receipt_prints WHERE sale_uuid = ?1 AND "
                                "kind = ?2",
                                &st);
    if (e)
        return e;
    store_bind_text(st, 1, sale_uuid);
    store_bind_text(st, 2, kind_name(kind));
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *n = sqlite3_column_int64(st, 0);
    else
        e = store_fail(s, rc);
    sqlite3_finalize(st);
    return e;
}
