/* receipt_prints: the receipt print log.  See receipt_prints.h. */
#include "db/receipt_prints.h"

#include <stdio.h>

#include <sodium/utils.h>

#include "db/osrand.h"
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
    return store_step_done(s, st);
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

static store_err token_read(store *s, const char *sale_uuid, char *token, size_t cap)
{
    sqlite3_stmt *st = NULL;
    store_err e = store_prepare(s, "SELECT token FROM receipt_tokens WHERE sale_uuid = ?1", &st);
    if (e)
        return e;
    store_bind_text(st, 1, sale_uuid);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        store_column_text(st, 0, token, cap);
    else if (rc == SQLITE_DONE)
        e = STORE_ERR_NOT_FOUND;
    else
        e = store_fail(s, rc);
    sqlite3_finalize(st);
    return e;
}

store_err receipt_token_get(store *s, const char *sale_uuid, bool create, char *token, size_t cap)
{
    if (!s || !sale_uuid || !token || cap < RECEIPT_TOKEN_CAP)
        return STORE_ERR_INVALID;
    store_err e = token_read(s, sale_uuid, token, cap);
    if (e != STORE_ERR_NOT_FOUND || !create)
        return e;
    uint8_t r[16];
    if (!os_random_bytes(r, sizeof r))
        return store_failf(s, STORE_ERR_IO, "%s", "no random bytes from the OS for a receipt token");
    /* base64url without padding: 22 characters for 16 bytes (libsodium's encoder). */
    _Static_assert(sodium_base64_ENCODED_LEN(sizeof r, sodium_base64_VARIANT_URLSAFE_NO_PADDING) ==
                       22 + 1, "a receipt token is 22 characters");
    char t[RECEIPT_TOKEN_CAP];
    sodium_bin2base64(t, sizeof t, r, sizeof r, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sqlite3_stmt *st = NULL;
    /* Two printers of the same sale at once: the first token wins, both read it back. */
    if ((e = store_prepare(s, "INSERT OR IGNORE INTO receipt_tokens(sale_uuid, token) VALUES(?1, ?2)",
                           &st)))
        return e;
    store_bind_text(st, 1, sale_uuid);
    store_bind_text(st, 2, t);
    if ((e = store_step_done(s, st)))
        return e;
    return token_read(s, sale_uuid, token, cap);
}
