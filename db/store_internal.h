/* store_internal: helpers shared by the db/ modules (store, audit, demo, later the ledger
 * client).  Not part of the public API: nothing outside db/ includes this. */
#ifndef FUPIN_DB_STORE_INTERNAL_H
#define FUPIN_DB_STORE_INTERNAL_H

#include <sqlite3.h>
#include <stddef.h>

#include "db/store.h"

/* SQLite result code (primary or extended) -> store_err. */
store_err store_err_from_sqlite(int rc);
/* Record SQLite's message for rc on s (store_last_error) and return the mapped error. */
store_err store_fail(store *s, int rc);
/* Record a message of our own on s (store_last_error) and return err. */
store_err store_failf(store *s, store_err err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Copy store_last_error(s) into msg (when msg is non-NULL and still empty). */
void store_copy_error(store *s, char *msg, size_t msg_cap);
/* Prepare a statement; on failure records the error and returns the mapped error. */
store_err store_prepare(store *s, const char *sql, sqlite3_stmt **st);
/* Bind text, or NULL when s is NULL or empty (optional columns). */
int store_bind_opt_text(sqlite3_stmt *st, int idx, const char *s);
/* Copy column text into buf (always NUL-terminated; NULL reads as ""). false if truncated. */
bool store_column_text(sqlite3_stmt *st, int col, char *buf, size_t cap);

#endif
