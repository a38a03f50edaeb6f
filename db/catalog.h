/* catalog: the product catalog as a CSV file -- import (validate everything, then write all or
 * nothing), export (the same format back), and the full catalog record.
 *
 * This is the one CSV -> catalog path: `fupin-pos catalog import` and the demo loader
 * (db/demo.c) both go through catalog_parse + catalog_apply.  The column set is documented in
 * docs/CATALOG.md.  Import is an upsert keyed on sku: listed products are added or updated
 * (their barcode list becomes exactly the file's), products not in the file are left alone;
 * a price change is recorded in price_history with the import's source. */
#ifndef FUPIN_DB_CATALOG_H
#define FUPIN_DB_CATALOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/csv_table.h"
#include "db/store.h"
#include "pos/core/json.h"
#include "pos/core/product.h"

#define CATALOG_MAX_BARCODES 8
#define CATALOG_MAX_ROWS 100000   /* products in one file; a store has ~50,000 at most */
#define CATALOG_NAME_EN_CAP 128
#define CATALOG_TAX_CLASS_CAP 16
#define CATALOG_CATEGORY_CAP 64
#define CATALOG_COUNTY_CAP 64
#define CATALOG_PINYIN_CAP 160

/* The stored catalog record: what a sale copies (product) and the rest. */
typedef struct {
    product p;                                  /* p.gtin13: the first barcode, or "" */
    char name_en[CATALOG_NAME_EN_CAP];
    char pinyin[CATALOG_PINYIN_CAP];            /* computed from the name; never imported */
    char tax_class[CATALOG_TAX_CLASS_CAP];      /* "", "std", "agri", "exempt" */
    char category[CATALOG_CATEGORY_CAP];
    char cert_county[CATALOG_COUNTY_CAP];
    char cert_valid_from[11];
    char barcodes[CATALOG_MAX_BARCODES][14];    /* GTIN-13, in order (the first is the main) */
    size_t n_barcodes;
} catalog_item;

/* Tax classes a product may carry (docs/CATALOG.md): "" (store default), "std" (13% VAT),
 * "agri" (9%, agricultural products), "exempt" (a farmer's own produce). */
bool catalog_tax_class_valid(const char *tax_class);

typedef struct {
    ct_encoding encoding;    /* CT_ENC_AUTO unless --encoding */
    const char *source;      /* price_history.source, e.g. "import:products.csv" */
    int64_t now_utc;         /* price_history.changed_utc, updated_utc */
    /* Optional: suppliers known besides those in the database (the demo loader validates the
     * catalog against suppliers.csv before anything is written). */
    bool (*supplier_known)(void *ctx, const char *id);
    void *supplier_ctx;
} catalog_import_opts;

typedef struct {
    const char *encoding;    /* "utf-8" / "gb18030" */
    bool had_bom;
    size_t rows, added, updated, unchanged, price_changes;
    size_t errors;           /* catalog_import_file: problems found (all, listed or not) */
} catalog_summary;

typedef struct catalog_batch catalog_batch;

/* Parse and validate a catalog CSV against the file itself and the database (barcodes and PLUs
 * owned by other products, suppliers).  Every problem goes to el as FILE:LINE: column: reason.
 * Returns a batch only when the file is clean (el untouched); NULL otherwise.  Writes nothing. */
catalog_batch *catalog_parse(store *s, const char *path, const catalog_import_opts *o,
                             errlist *el);
/* What applying would change (counts; and one "SKU: change" line per changed product into
 * changes when non-NULL).  Reads only: this is --dry-run. */
store_err catalog_plan(store *s, catalog_batch *b, catalog_summary *sum, strbuf *changes);
/* Write the batch in one transaction (nested in the caller's when there is one). */
store_err catalog_apply(store *s, catalog_batch *b, catalog_summary *sum);
void catalog_batch_free(catalog_batch *b);

/* Convenience: parse + (plan | apply).  Errors formatted into errors (one per line). */
store_err catalog_import_file(store *s, const char *path, const catalog_import_opts *o,
                              bool dry_run, catalog_summary *sum, strbuf *changes,
                              strbuf *errors);

/* Write every product, ordered by sku, in the import format (UTF-8, no BOM, LF).  The file is
 * written to PATH.tmp and renamed over PATH, so a failed export never leaves half a file. */
store_err catalog_export_file(store *s, const char *path, size_t *n_rows, char *msg, size_t cap);

#endif
