/* products_internal: the product-row helpers shared by db/products.c, db/catalog.c and
 * db/search.c.  Not part of the public API: nothing outside db/ includes this. */
#ifndef FUPIN_DB_PRODUCTS_INTERNAL_H
#define FUPIN_DB_PRODUCTS_INTERNAL_H

#include <sqlite3.h>

#include "db/products.h"
#include "db/store_internal.h"


/* Product columns (alias p) in the order products_read_row expects; a query appends the
 * barcode to report as the next column. */
#define PRODUCTS_COLS \
    "p.sku, p.name, p.unit, p.plu, p.price_fen, p.by_weight, p.poverty_relief, p.active, " \
    "p.supplier_id, p.tare_g, p.min_g, p.max_g, p.cert_no, p.cert_valid_to"
#define PRODUCTS_NCOLS 14
/* The main barcode of a product found by another key: the first one it was given. */
#define PRODUCTS_MAIN_GTIN \
    "(SELECT gtin13 FROM barcodes b WHERE b.sku = p.sku ORDER BY b.rowid LIMIT 1)"
/* Read PRODUCTS_COLS + barcode starting at column col0. */
void products_read_row(sqlite3_stmt *st, int col0, product *out);
/* Append a price_history row (inside the caller's transaction). */
store_err products_record_price_change(store *s, const char *sku, fen_t old_fen, fen_t new_fen,
                                       int64_t at_utc, const char *source);

#endif
