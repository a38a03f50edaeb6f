/* products: products and their barcodes.  See products.h. */
#include "db/products.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db/products_internal.h"
#include "pos/core/barcode.h"
#include "pos/core/money.h"
#include "pos/core/pinyin.h"

static bool text_ok(const char *t, size_t cap, bool required)
{
    size_t n = strnlen(t, cap);
    return n < cap && (!required || n > 0);
}

/* Exactly 13 digits with a right GS1 check digit (pos/core/barcode.h computes it). */
static bool gtin13_ok(const char *g)
{
    return strnlen(g, 14) == 13 && g[12] >= '0' && g[12] <= '9' &&
           barcode_check_digit(g, 12) == g[12] - '0';
}

typedef struct {
    const char *sku, *gtin13;
} barcode_kv;

static store_err add_barcode_tx(store *s, void *ctx)
{
    const barcode_kv *kv = ctx;
    sqlite3_stmt *st = NULL;
    store_err e = store_prepare(s,
                                "INSERT INTO barcodes(gtin13, sku) VALUES(?1, ?2) "
                                "ON CONFLICT(gtin13) DO NOTHING",
                                &st);
    if (e)
        return e;
    store_bind_text(st, 1, kv->gtin13);
    store_bind_text(st, 2, kv->sku);
    if ((e = store_step_done(s, st)))
        return e;
    if (sqlite3_changes(store_db(s)) > 0)
        return STORE_OK;
    /* Already there: fine if it is ours.  Silently moving a barcode to another product would
     * make the till sell the wrong thing at the wrong price; that is a catalog decision. */
    if ((e = store_prepare(s, "SELECT sku FROM barcodes WHERE gtin13 = ?1", &st)))
        return e;
    store_bind_text(st, 1, kv->gtin13);
    int rc = sqlite3_step(st);
    char owner[PRODUCT_SKU_CAP] = "";
    if (rc == SQLITE_ROW)
        store_column_text(st, 0, owner, sizeof owner);
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW)
        return store_fail(s, rc);
    if (strcmp(owner, kv->sku) != 0)
        return store_failf(s, STORE_ERR_CONSTRAINT, "barcode %s already belongs to product %s",
                           kv->gtin13, owner);
    return STORE_OK;
}

store_err products_add_barcode(store *s, const char *sku, const char *gtin13)
{
    if (!sku || !sku[0] || !gtin13 || !gtin13_ok(gtin13))
        return store_failf(s, STORE_ERR_INVALID, "barcode %s is not a valid GTIN-13",
                           gtin13 ? gtin13 : "(null)");
    barcode_kv kv = {sku, gtin13};
    return store_transaction(s, add_barcode_tx, &kv);
}

store_err products_record_price_change(store *s, const char *sku, fen_t old_fen, fen_t new_fen,
                                       int64_t at_utc, const char *source)
{
    sqlite3_stmt *st = NULL;
    store_err e = store_prepare(s,
                                "INSERT INTO price_history(sku, old_price_fen, new_price_fen, "
                                "changed_utc, source) VALUES(?1, ?2, ?3, ?4, ?5)",
                                &st);
    if (e)
        return e;
    store_bind_text(st, 1, sku);
    sqlite3_bind_int64(st, 2, old_fen);
    sqlite3_bind_int64(st, 3, new_fen);
    sqlite3_bind_int64(st, 4, at_utc);
    store_bind_text(st, 5, source && source[0] ? source : "api");
    return store_step_done(s, st);
}

/* Current price of sku: 1 found, 0 not found, -1 error (recorded). */
static int current_price(store *s, const char *sku, fen_t *out)
{
    sqlite3_stmt *st = NULL;
    if (store_prepare(s, "SELECT price_fen FROM products WHERE sku = ?1", &st))
        return -1;
    store_bind_text(st, 1, sku);
    int rc = sqlite3_step(st);
    int found = rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
    if (found == 1)
        *out = sqlite3_column_int64(st, 0);
    else if (found < 0)
        store_fail(s, rc);
    sqlite3_finalize(st);
    return found;
}

static store_err upsert_product_tx(store *s, void *ctx)
{
    const product *p = ctx;
    sqlite3_stmt *st = NULL;
    char pinyin[256];
    pinyin_initials(p->name, pinyin, sizeof pinyin);
    fen_t old_price = 0;
    int had = current_price(s, p->sku, &old_price);
    if (had < 0)
        return store_fail(s, sqlite3_errcode(store_db(s)));
    /* The columns of the product record (pos/core/product.h); the rest of the catalog record
     * (English name, tax class, certificate county and start, several barcodes) is written by
     * db/catalog.c.  The WHERE makes re-writing identical data a no-op. */
    store_err e = store_prepare(
        s,
        "INSERT INTO products(sku, name, unit, price_fen, by_weight, plu, poverty_relief, "
        "supplier_id, active, tare_g, min_g, max_g, cert_no, cert_valid_to, pinyin, updated_utc) "
        "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, "
        "CAST(strftime('%s','now') AS INTEGER)) "
        "ON CONFLICT(sku) DO UPDATE SET name = excluded.name, unit = excluded.unit, "
        "price_fen = excluded.price_fen, by_weight = excluded.by_weight, plu = excluded.plu, "
        "poverty_relief = excluded.poverty_relief, supplier_id = excluded.supplier_id, "
        "active = excluded.active, tare_g = excluded.tare_g, min_g = excluded.min_g, "
        "max_g = excluded.max_g, cert_no = excluded.cert_no, "
        "cert_valid_to = excluded.cert_valid_to, pinyin = excluded.pinyin, "
        "updated_utc = excluded.updated_utc "
        "WHERE (name, unit, price_fen, by_weight, plu, poverty_relief, supplier_id, active, "
        "tare_g, min_g, max_g, cert_no, cert_valid_to, pinyin) "
        "IS NOT (excluded.name, excluded.unit, excluded.price_fen, excluded.by_weight, "
        "excluded.plu, excluded.poverty_relief, excluded.supplier_id, excluded.active, "
        "excluded.tare_g, excluded.min_g, excluded.max_g, excluded.cert_no, "
        "excluded.cert_valid_to, excluded.pinyin)",
        &st);
    if (e)
        return e;
    store_bind_text(st, 1, p->sku);
    store_bind_text(st, 2, p->name);
    store_bind_text(st, 3, p->unit);
    sqlite3_bind_int64(st, 4, p->price_fen);
    sqlite3_bind_int(st, 5, p->by_weight ? 1 : 0);
    store_bind_opt_text(st, 6, p->plu);
    sqlite3_bind_int(st, 7, p->poverty_relief ? 1 : 0);
    store_bind_opt_text(st, 8, p->supplier_id);
    sqlite3_bind_int(st, 9, p->active ? 1 : 0);
    sqlite3_bind_int64(st, 10, p->tare_g);
    sqlite3_bind_int64(st, 11, p->min_g);
    sqlite3_bind_int64(st, 12, p->max_g);
    store_bind_opt_text(st, 13, p->cert_no);
    store_bind_opt_text(st, 14, p->cert_valid_to);
    store_bind_text(st, 15, pinyin);
    if ((e = store_step_done(s, st)))
        return e;
    if (had && old_price != p->price_fen &&
        (e = products_record_price_change(s, p->sku, old_price, p->price_fen,
                                       (int64_t)time(NULL), "api")))
        return e;
    if (p->gtin13[0]) {
        barcode_kv kv = {p->sku, p->gtin13};
        return add_barcode_tx(s, &kv);
    }
    return STORE_OK;
}

store_err products_upsert(store *s, const product *p)
{
    if (!p || !text_ok(p->sku, sizeof p->sku, true) || !text_ok(p->name, sizeof p->name, true) ||
        !text_ok(p->unit, sizeof p->unit, false) || !text_ok(p->plu, sizeof p->plu, false) ||
        !text_ok(p->supplier_id, sizeof p->supplier_id, false))
        return store_failf(s, STORE_ERR_INVALID, "product needs a sku and a name");
    /* The one price bound (pos/core/money.h) the import and the basket use: a stored price
     * is one the till can sell. */
    if (!money_price_valid(p->price_fen))
        return store_failf(s, STORE_ERR_INVALID,
                           "product %s: price %lld fen out of range (0 to %lld)", p->sku,
                           (long long)p->price_fen, (long long)MONEY_PRICE_MAX_FEN);
    if (p->tare_g < 0 || p->min_g < 0 || p->max_g < 0 ||
        !text_ok(p->cert_no, sizeof p->cert_no, false) ||
        !text_ok(p->cert_valid_to, sizeof p->cert_valid_to, false))
        return store_failf(s, STORE_ERR_INVALID, "product %s: bad weight bounds or certificate",
                           p->sku);
    if (p->gtin13[0] && !gtin13_ok(p->gtin13))
        return store_failf(s, STORE_ERR_INVALID, "product %s: barcode %.14s is not a GTIN-13",
                           p->sku, p->gtin13);
    return store_transaction(s, upsert_product_tx, (void *)p);
}

void products_read_row(sqlite3_stmt *st, int col0, product *out)
{
    memset(out, 0, sizeof *out);
    store_column_text(st, col0 + 0, out->sku, sizeof out->sku);
    store_column_text(st, col0 + 1, out->name, sizeof out->name);
    store_column_text(st, col0 + 2, out->unit, sizeof out->unit);
    store_column_text(st, col0 + 3, out->plu, sizeof out->plu);
    out->price_fen = sqlite3_column_int64(st, col0 + 4);
    out->by_weight = sqlite3_column_int(st, col0 + 5) != 0;
    out->poverty_relief = sqlite3_column_int(st, col0 + 6) != 0;
    out->active = sqlite3_column_int(st, col0 + 7) != 0;
    store_column_text(st, col0 + 8, out->supplier_id, sizeof out->supplier_id);
    out->tare_g = sqlite3_column_int64(st, col0 + 9);
    out->min_g = sqlite3_column_int64(st, col0 + 10);
    out->max_g = sqlite3_column_int64(st, col0 + 11);
    store_column_text(st, col0 + 12, out->cert_no, sizeof out->cert_no);
    store_column_text(st, col0 + 13, out->cert_valid_to, sizeof out->cert_valid_to);
    store_column_text(st, col0 + 14, out->gtin13, sizeof out->gtin13);
}

/* sql is one of the string literals below: kept prepared on the handle (a look-up per scan). */
static store_err find_product(store *s, const char *sql, const char *key, product *out)
{
    sqlite3_stmt *st = NULL;
    store_err e = store_cached(s, sql, &st);
    if (e)
        return e;
    store_bind_text(st, 1, key);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        product tmp;
        products_read_row(st, 0, &tmp);
        if (out)
            *out = tmp;
        e = STORE_OK;
    } else if (rc == SQLITE_DONE) {
        e = store_failf(s, STORE_ERR_NOT_FOUND, "no product for %s", key);
    } else {
        e = store_fail(s, rc);
    }
    sqlite3_reset(st);
    return e;
}

store_err products_find_by_gtin(store *s, const char *gtin13, product *out)
{
    if (!gtin13)
        return STORE_ERR_INVALID;
    return find_product(s,
                        "SELECT " PRODUCTS_COLS ", b.gtin13 FROM barcodes b "
                        "JOIN products p ON p.sku = b.sku WHERE b.gtin13 = ?1",
                        gtin13, out);
}


store_err products_find_by_sku(store *s, const char *sku, product *out)
{
    if (!sku)
        return STORE_ERR_INVALID;
    return find_product(s,
                        "SELECT " PRODUCTS_COLS ", " PRODUCTS_MAIN_GTIN
                        " FROM products p WHERE p.sku = ?1",
                        sku, out);
}

store_err products_find_by_plu(store *s, const char *plu, product *out)
{
    if (!plu || !plu[0])   /* say so: the caller prints store_last_error */
        return store_failf(s, STORE_ERR_INVALID, "no PLU given");
    return find_product(s,
                        "SELECT " PRODUCTS_COLS ", " PRODUCTS_MAIN_GTIN
                        " FROM products p WHERE p.plu = ?1",
                        plu, out);
}

int64_t products_count(store *s) { return store_count(s, "SELECT count(*) FROM products"); }

/* Kept prepared: the till prices each new line of a sale with its category. */
static const char SQL_CATEGORY[] = "SELECT coalesce(category, '') FROM products WHERE sku = ?1";

store_err products_category(store *s, const char *sku, char *buf, size_t cap)
{
    if (!s || !sku || !buf || cap == 0)
        return STORE_ERR_INVALID;
    buf[0] = '\0';
    sqlite3_stmt *st = NULL;
    store_err e = store_cached(s, SQL_CATEGORY, &st);
    if (e)
        return e;
    sqlite3_bind_text(st, 1, sku, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        store_column_text(st, 0, buf, cap);
    e = rc == SQLITE_ROW ? STORE_OK : rc == SQLITE_DONE ? STORE_ERR_NOT_FOUND : store_fail(s, rc);
    sqlite3_reset(st);
    return e;
}


static const char SQL_LABEL[] =
    "SELECT coalesce(p.cert_county, '') || coalesce(su.township, '') || coalesce(su.village, ''),"
    " coalesce(su.name, '') FROM products p LEFT JOIN suppliers su ON su.id = p.supplier_id"
    " WHERE p.sku = ?1";

store_err products_label_info(store *s, const char *sku, char *origin, size_t ocap,
                              char *supplier, size_t scap)
{
    if (!s || !sku || !origin || ocap == 0 || !supplier || scap == 0)
        return STORE_ERR_INVALID;
    origin[0] = supplier[0] = '\0';
    sqlite3_stmt *st = NULL;
    store_err e = store_cached(s, SQL_LABEL, &st);
    if (e)
        return e;
    sqlite3_bind_text(st, 1, sku, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        store_column_text(st, 0, origin, ocap);
        store_column_text(st, 1, supplier, scap);
    }
    e = rc == SQLITE_ROW ? STORE_OK : rc == SQLITE_DONE ? STORE_ERR_NOT_FOUND : store_fail(s, rc);
    sqlite3_reset(st);
    return e;
}
