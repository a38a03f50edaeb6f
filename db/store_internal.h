/* store_internal: helpers shared by the db/ modules (store, audit, demo, later the ledger
 * client).
 *
 * This is the base: it declares no feature (no table, no document) -- those live in the
 * feature modules' own headers.  Not part of the public API: nothing outside db/ includes this. */
#ifndef FUPIN_DB_STORE_INTERNAL_H
#define FUPIN_DB_STORE_INTERNAL_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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
/* Format into a caller's message buffer (the msg/msg_cap pair of the public calls); nothing
 * when msg is NULL or msg_cap is 0. */
void store_set_msg(char *msg, size_t msg_cap, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Prepare a statement; on failure records the error and returns the mapped error. */
store_err store_prepare(store *s, const char *sql, sqlite3_stmt **st);
/* A statement prepared once per handle (SQLITE_PREPARE_PERSISTENT) and kept until
 * store_close, keyed by the ADDRESS of sql -- pass a string literal or a static array, never a
 * buffer.  Handed back reset with its bindings cleared.  The caller never finalizes it and
 * must reset it after reading rows (store_step_reset does, for statements without rows), or
 * the handle keeps a read snapshot open. */
store_err store_cached(store *s, const char *sql, sqlite3_stmt **st);
/* Step a statement that returns no rows (an INSERT, UPDATE, DELETE); SQLITE_DONE is STORE_OK,
 * anything else is recorded on s (store_fail) and returned.  store_step_done then finalizes the
 * statement; store_step_reset resets it (bindings kept) for the next row, and the caller
 * finalizes it when done -- or, for a store_cached statement, never. */
store_err store_step_done(store *s, sqlite3_stmt *st);
store_err store_step_reset(store *s, sqlite3_stmt *st);
/* Bind text, or NULL when s is NULL or empty (optional columns). */
int store_bind_opt_text(sqlite3_stmt *st, int idx, const char *s);
/* Make room for element n of a growing array (*arr of *cap elements of elem bytes): doubles
 * the capacity, starting at `first`.  false (array untouched) when out of memory. */
bool store_grow(void **arr, size_t *cap, size_t n, size_t elem, size_t first);
/* Copy column text into buf (always NUL-terminated; NULL reads as ""). false if truncated. */
bool store_column_text(sqlite3_stmt *st, int col, char *buf, size_t cap);


/* Bind text ("" when s is NULL). */
int store_bind_text(sqlite3_stmt *st, int idx, const char *s);
/* Run SQL with no result rows (PRAGMAs, BEGIN/COMMIT). */
store_err store_exec(store *s, const char *sql);
/* First column of the first row of a PRAGMA (or any query) as text; "" when no row. */
store_err store_pragma_text(store *s, const char *sql, char *out, size_t cap);
/* The single-number answer of a count query, -1 on error. */
int64_t store_count(store *s, const char *sql);
/* Forget the last recorded error (after an expected NOT_FOUND, say). */
void store_clear_error(store *s);
/* Open the SQLite handle only: flags from opts, extended codes, busy timeout.  On failure *out
 * may still hold the handle (for its message); store_close it.  db/store_open.c looks at the
 * file and migrates it. */
store_err store_connect(const char *path, const store_open_opts *opts, store **out);
/* One per-handle cache owned by a feature module (db/search.c's catalog index): the base keeps
 * the pointer and calls release on it at store_close, knowing nothing else about it. */
void **store_feature_slot(store *s, void (*release)(void *));

#endif
