/* stock: the append-only stock journal (stock_moves) -- goods received from suppliers, levels
 * derived by summing, and a SKU's recent moves.  Sales and gifts write their moves inside
 * sales_commit; this module adds receipts and the read side.
 *
 * Negative levels are allowed (a till never refuses a real sale because the books lag the
 * shelf) and flagged by the read side so the manager sees them. */
#ifndef FUPIN_DB_STOCK_H
#define FUPIN_DB_STOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/csv_table.h"
#include "db/store.h"
#include "pos/core/product.h"

typedef struct {
    char sku[PRODUCT_SKU_CAP];
    char name[PRODUCT_NAME_CAP];   /* "" when the SKU is no longer in the catalog */
    bool by_weight;
    int64_t qty;                   /* level in units (counted goods) */
    int64_t grams;                 /* level in grams (weighed goods) */
    int64_t moves;
    int64_t last_utc;
    bool negative;
} stock_level;

typedef struct {
    int64_t id;
    char kind[12];
    int64_t qty, grams;
    fen_t cost_fen;
    char supplier_id[SUPPLIER_ID_CAP];
    char batch[64];
    char harvest_date[11];
    char ref[96];
    int64_t at_utc;
    char note[128];
} stock_move;

typedef struct {
    size_t rows;
    int64_t qty, grams;
    fen_t cost_fen;
    char ref[96];
} stock_receipt_summary;

/* Receive goods from a CSV file (columns supplier_id, sku, qty, grams, cost_fen, batch,
 * harvest_date, note, delivery_note; docs/CATALOG.md).  All or nothing, every bad line into el as
 * FILE:LINE: column: reason.  A delivery is booked once (twice would double the stock): it
 * is (supplier_id, delivery_note) when the file has that column, else its normalised content
 * (decoded, trimmed, rows sorted; not its name or bytes) -- see stock.c and docs/CATALOG.md. */
store_err stock_receive_file(store *s, const char *path, ct_encoding enc, int64_t now_utc,
                             stock_receipt_summary *sum, errlist *el);

/* Levels of every SKU with moves (sorted by sku); *out is malloc'ed (free it). */
store_err stock_levels(store *s, const char *only_sku, stock_level **out, size_t *n);
/* The most recent moves of sku, newest first, up to cap. */
store_err stock_recent_moves(store *s, const char *sku, stock_move *out, size_t cap, size_t *n);

#endif
