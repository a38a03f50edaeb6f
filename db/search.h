/* search: search-as-you-type over the catalog (db/search.c explains the in-memory index). */
#ifndef FUPIN_DB_SEARCH_H
#define FUPIN_DB_SEARCH_H

#include <stddef.h>

#include "db/store.h"
#include "pos/core/product.h"

/* Search-as-you-type over active products: matches a name substring, pinyin initials
 * (substring of the stored initials: "hts" finds 核桃酥), SKU, a barcode (prefix) or a PLU
 * (exact).  Fills up to cap products, best matches first (exact code/PLU, then initials prefix,
 * then name), and *n_out.  Fast enough to run on every keystroke over 50,000 products. */
store_err search_products(store *s, const char *text, product *out, size_t cap,
                          size_t *n_out);


#endif
