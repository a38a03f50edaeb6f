/* catalog_internal: what the catalog's three files share (db/catalog.c plan and apply,
 * db/catalog_parse.c reading and checking a file, db/catalog_export.c writing one).  Internal
 * to those three; everything else uses catalog.h. */
#ifndef FUPIN_DB_CATALOG_INTERNAL_H
#define FUPIN_DB_CATALOG_INTERNAL_H

#include "db/catalog.h"
#include "db/products_internal.h"
#include "db/store_internal.h"

/* Columns of the file, in export order. */
enum {
    C_SKU, C_NAME, C_NAME_EN, C_UNIT, C_BARCODES, C_PRICE, C_BY_WEIGHT, C_PLU, C_TARE, C_MIN,
    C_MAX, C_TAX, C_CATEGORY, C_ACTIVE, C_POVERTY, C_SUPPLIER, C_CERT_NO, C_CERT_COUNTY,
    C_CERT_FROM, C_CERT_TO, C_NCOLS
};

/* The file format, in export order (docs/CATALOG.md); defined in catalog_parse.c. */
extern const ct_column catalog_cols[C_NCOLS];

/* A parsed row and the line it came from. */
typedef struct {
    catalog_item it;
    int line;
} row;

struct catalog_batch {
    row *rows;
    size_t n, cap;
    char source[160];
    int64_t now_utc;
    const char *encoding;
    bool had_bom;
};

/* Every stored catalog record: products with their pinyin, certificate and barcode list. */
#define ITEM_SQL                                                                                  \
    "SELECT " PRODUCTS_COLS ", " PRODUCTS_MAIN_GTIN ", p.name_en, p.pinyin, p.tax_class, "      \
    "p.category, p.cert_county, p.cert_valid_from, "                                              \
    "(SELECT group_concat(gtin13, '|') FROM (SELECT gtin13 FROM barcodes b WHERE b.sku = p.sku "  \
    "ORDER BY b.rowid)) FROM products p "

/* Fill it from a row of ITEM_SQL. */
void catalog_read_item(sqlite3_stmt *st, catalog_item *it);

#endif
