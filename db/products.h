/* products: products and their barcodes -- the catalog rows a sale reads (suppliers:
 * db/suppliers.h).
 *
 * A feature module over the base (db/store.h).  The bulk catalog import (CSV, English names,
 * several barcodes, tax class) is db/catalog.h; search-as-you-type is db/search.h. */
#ifndef FUPIN_DB_PRODUCTS_H
#define FUPIN_DB_PRODUCTS_H

#include <stdint.h>

#include "db/store.h"
#include "pos/core/product.h"
#include "pos/core/sale.h"

/* Insert or update a product and make gtin13 one of its barcodes (if non-empty).  Writes the
 * product record's fields (weights, certificate), recomputes the pinyin initials from the name
 * and records a price change in price_history (source "api").  The full catalog record
 * (English name, tax class, several barcodes, …) goes through db/catalog.h. */
store_err products_upsert(store *s, const product *p);
/* A barcode already on another product is refused (STORE_ERR_CONSTRAINT), never moved. */
store_err products_add_barcode(store *s, const char *sku, const char *gtin13);
store_err products_find_by_gtin(store *s, const char *gtin13, product *out);
store_err products_find_by_sku(store *s, const char *sku, product *out);
store_err products_find_by_plu(store *s, const char *plu, product *out);
int64_t products_count(store *s);

/* A product's category ("" when none) -- promo_line_extra.category; the product record the
 * till carries has no category. */
store_err products_category(store *s, const char *sku, char *buf, size_t cap);
/* What a shelf label prints besides the product (labels): the origin -- the certificate's
 * county, the supplier's township and village run together ("永仁县维的乡维的村"; "" when
 * none) -- and the supplier's name ("" when none).  STORE_ERR_NOT_FOUND: no such SKU. */
store_err products_label_info(store *s, const char *sku, char *origin, size_t ocap,
                              char *supplier, size_t scap);

#endif
