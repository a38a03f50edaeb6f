/* store: the till's own SQLite database.
 *
 * One file per till.  Opened in WAL mode with synchronous=FULL (a committed sale survives a
 * power cut), foreign keys on and a busy timeout.  The schema is created and upgraded by
 * numbered migration steps keyed on PRAGMA user_version; a file from a newer version is refused,
 * never downgraded.  Each business event is one transaction.
 *
 * A store handle is not shared between threads: the UI thread and the commit worker each open
 * their own (WAL lets readers run while the worker writes). */
#ifndef FUPIN_DB_STORE_H
#define FUPIN_DB_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pos/core/basket.h"
#include "pos/core/product.h"
#include "pos/core/sale.h"

typedef struct store store;

typedef enum {
    STORE_OK = 0,
    STORE_ERR_IO,            /* cannot open / read / write the file */
    STORE_ERR_BUSY,          /* locked by another process longer than the busy timeout */
    STORE_ERR_READONLY,      /* file or medium is read-only */
    STORE_ERR_FULL,          /* disk (or quota) full */
    STORE_ERR_NEWER_SCHEMA,  /* written by a newer fupin-pos: refuse, do not downgrade */
    STORE_ERR_CORRUPT,       /* not a database, or integrity check failed */
    STORE_ERR_NOT_FOUND,
    STORE_ERR_INVALID,       /* the data handed in breaks a rule (sale_check, …) */
    STORE_ERR_CONSTRAINT,    /* duplicate key or the like */
    STORE_ERR_INTERNAL,
} store_err;

const char *store_strerror(store_err err);

/* Schema version this build writes. */
#define STORE_SCHEMA_VERSION 5

typedef struct {
    bool create;              /* create the file if missing (init); else missing = IO error */
    bool read_only;           /* open read-only (reports, checks) */
    int busy_timeout_ms;      /* 0 = default 2000 */
} store_open_opts;

/* Open and migrate.  msg receives SQLite's own words on failure. */
store_err store_open(const char *path, const store_open_opts *opts, store **out,
                     char *msg, size_t msg_cap);
void store_close(store *s);
int store_user_version(store *s);
/* The last error text SQLite gave on this handle. */
const char *store_last_error(store *s);

/* ---- settings (key/value; store and till configuration) ---- */
store_err store_get_setting(store *s, const char *key, char *buf, size_t cap);
store_err store_set_setting(store *s, const char *key, const char *value);

typedef struct {
    char store_code[STORE_CODE_CAP];   /* "YR01" */
    char store_name[128];              /* "永仁县扶贫超市" */
    int till_no;                       /* 1 */
    cash_rounding rounding;            /* 抹零 */
    int tz_offset_min;                 /* 480 = Asia/Shanghai */
} till_config;

/* Read (with defaults for missing keys) / write the till configuration settings:
 * store.code, store.name, till.no, cash.rounding, store.tz_offset_min. */
store_err store_get_config(store *s, till_config *out);
store_err store_set_config(store *s, const till_config *cfg);

/* ---- catalog ---- */
typedef struct {
    char id[SUPPLIER_ID_CAP];
    char name[128];
    char kind[16];             /* "cooperative", "firm", "household" */
    char household_id[32];     /* 建档立卡户 id, households only */
    char village[64];
    char township[64];
    char contact[64];
} supplier;

store_err store_upsert_supplier(store *s, const supplier *sup);
/* (added with db/ #3) Look a supplier up by id; STORE_ERR_NOT_FOUND if absent. */
store_err store_find_supplier(store *s, const char *id, supplier *out);
/* Insert or update a product and make gtin13 one of its barcodes (if non-empty).  Writes the
 * product record's fields (weights, certificate), recomputes the pinyin initials from the name
 * and records a price change in price_history (source "api").  The full catalog record
 * (English name, tax class, several barcodes, …) goes through db/catalog.h. */
store_err store_upsert_product(store *s, const product *p);
/* A barcode already on another product is refused (STORE_ERR_CONSTRAINT), never moved. */
store_err store_add_barcode(store *s, const char *sku, const char *gtin13);
store_err store_find_product_by_gtin(store *s, const char *gtin13, product *out);
store_err store_find_product_by_sku(store *s, const char *sku, product *out);
store_err store_find_product_by_plu(store *s, const char *plu, product *out);
int64_t store_count_products(store *s);

/* Search-as-you-type over active products: matches a name substring, pinyin initials
 * (substring of the stored initials: "hts" finds 核桃酥), SKU, a barcode (prefix) or a PLU
 * (exact).  Fills up to cap products, best matches first (exact code/PLU, then initials prefix,
 * then name), and *n_out.  Fast enough to run on every keystroke over 50,000 products. */
store_err store_search_products(store *s, const char *text, product *out, size_t cap,
                                size_t *n_out);

/* Run fn inside one transaction (BEGIN IMMEDIATE … COMMIT, ROLLBACK on any error). */
store_err store_transaction(store *s, store_err (*fn)(store *s, void *ctx), void *ctx);

/* ---- sales ---- */
/* Commit a sale: in one transaction, assign the next gapless receipt number for this till and
 * business day, and write the sale, its lines, tenders, the outbox row (for the county ledger)
 * and an audit row.  The caller fills uuid, store/till identity, created_utc, cashier; this
 * fills business_day (from created_utc and the till's zone) and receipt_no.  The document is
 * checked with sale_check before anything is written.  Committing a uuid that is already
 * stored is idempotent: the stored receipt number is returned and nothing is written twice.
 * voids (may be NULL) are recorded in the audit row. */
store_err store_commit_sale(store *s, sale_doc *doc, const basket_void *voids, size_t n_voids,
                            char *msg, size_t msg_cap);
store_err store_load_sale(store *s, const char *receipt_no_or_uuid, sale_doc *out);
int64_t store_count_sales(store *s);

/* integrity_check + foreign_key_check; STORE_OK or STORE_ERR_CORRUPT with the first problem. */
store_err store_check_integrity(store *s, char *msg, size_t msg_cap);

/* Raw handle for tests and later modules in db/ (not for pos/core or ui). */
struct sqlite3 *store_db(store *s);

#endif
