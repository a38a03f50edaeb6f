/* store_internal: helpers shared by the db/ modules (store, audit, demo, later the ledger
 * client).  Not part of the public API: nothing outside db/ includes this. */
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
/* Prepare a statement; on failure records the error and returns the mapped error. */
store_err store_prepare(store *s, const char *sql, sqlite3_stmt **st);
/* Step a statement that returns no rows (an INSERT, UPDATE, DELETE); SQLITE_DONE is STORE_OK,
 * anything else is recorded on s (store_fail) and returned.  store_step_done then finalizes the
 * statement; store_step_reset resets it (bindings kept) for the next row, and the caller
 * finalizes it when done. */
store_err store_step_done(store *s, sqlite3_stmt *st);
store_err store_step_reset(store *s, sqlite3_stmt *st);
/* Bind text, or NULL when s is NULL or empty (optional columns). */
int store_bind_opt_text(sqlite3_stmt *st, int idx, const char *s);
/* Make room for element n of a growing array (*arr of *cap elements of elem bytes): doubles
 * the capacity, starting at `first`.  false (array untouched) when out of memory. */
bool store_grow(void **arr, size_t *cap, size_t n, size_t elem, size_t first);
/* Next number of a gapless per-till, per-business-day sequence: max(seq) + 1 in `table`
 * ("sales" or "refunds"), read inside the caller's write transaction. */
store_err store_next_seq(store *s, const char *table, const char *store_code, int till_no,
                         const char *business_day, int *seq);
/* Copy column text into buf (always NUL-terminated; NULL reads as ""). false if truncated. */
bool store_column_text(sqlite3_stmt *st, int col, char *buf, size_t cap);


/* ---- catalog internals shared by store.c, catalog.c, search.c ---- */

/* Product columns (alias p) in the order store_read_product expects; a query appends the
 * barcode to report as the next column. */
#define STORE_PRODUCT_COLS \
    "p.sku, p.name, p.unit, p.plu, p.price_fen, p.by_weight, p.poverty_relief, p.active, " \
    "p.supplier_id, p.tare_g, p.min_g, p.max_g, p.cert_no, p.cert_valid_to"
#define STORE_PRODUCT_NCOLS 14
/* The main barcode of a product found by another key: the first one it was given. */
#define STORE_MAIN_GTIN \
    "(SELECT gtin13 FROM barcodes b WHERE b.sku = p.sku ORDER BY b.rowid LIMIT 1)"
/* Read STORE_PRODUCT_COLS + barcode starting at column col0. */
void store_read_product(sqlite3_stmt *st, int col0, product *out);
/* Append a price_history row (inside the caller's transaction). */
store_err store_record_price_change(store *s, const char *sku, fen_t old_fen, fen_t new_fen,
                                    int64_t at_utc, const char *source);

/* The per-handle search index of db/search.c (built lazily, freed by store_close). */
typedef struct search_index search_index;
search_index **store_search_slot(store *s);
void search_index_free(search_index *ix);

#endif
