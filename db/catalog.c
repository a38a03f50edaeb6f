/* catalog: applying a parsed catalog file -- what it would change (--dry-run) and writing it
 * in one transaction -- and the stored catalog record.  See catalog.h and docs/CATALOG.md.
 *
 * Import is two passes.  catalog_parse (catalog_parse.c) reads and checks the whole file and
 * returns a batch only when it is clean; catalog_apply writes that batch in one transaction, so
 * a bad line never leaves half a catalog behind.  Export is catalog_export.c. */
#include "db/catalog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/audit.h"
#include "db/catalog_internal.h"

/* ---- reading stored records ---- */

void catalog_read_item(sqlite3_stmt *st, catalog_item *it)
{
    memset(it, 0, sizeof *it);
    products_read_row(st, 0, &it->p);
    int c = PRODUCTS_NCOLS + 1;
    store_column_text(st, c++, it->name_en, sizeof it->name_en);
    store_column_text(st, c++, it->pinyin, sizeof it->pinyin);
    store_column_text(st, c++, it->tax_class, sizeof it->tax_class);
    store_column_text(st, c++, it->category, sizeof it->category);
    store_column_text(st, c++, it->cert_county, sizeof it->cert_county);
    store_column_text(st, c++, it->cert_valid_from, sizeof it->cert_valid_from);
    const char *codes = (const char *)sqlite3_column_text(st, c);
    while (codes && *codes && it->n_barcodes < CATALOG_MAX_BARCODES) {
        const char *bar = strchr(codes, '|');
        size_t n = bar ? (size_t)(bar - codes) : strlen(codes);
        if (n == 13)
            memcpy(it->barcodes[it->n_barcodes++], codes, 13);
        codes = bar ? bar + 1 : codes + n;
    }
}

/* Load by sku with a statement the caller keeps (prepared on first use). */
static store_err load_item(store *s, sqlite3_stmt **st, const char *sku, catalog_item *out,
                           bool *found)
{
    if (!*st) {
        store_err e = store_prepare(s, ITEM_SQL "WHERE p.sku = ?1", st);
        if (e)
            return e;
    }
    sqlite3_reset(*st);
    sqlite3_bind_text(*st, 1, sku, -1, SQLITE_STATIC);
    int rc = sqlite3_step(*st);
    *found = rc == SQLITE_ROW;
    if (*found)
        catalog_read_item(*st, out);
    sqlite3_reset(*st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK : store_fail(s, rc);
}

/* ---- plan and apply ---- */

typedef enum { CH_NONE = 0, CH_NEW = 1, CH_PRICE = 2, CH_OTHER = 4, CH_BARCODES = 8, CH_PLU = 16 } change;

static int compare_items(const catalog_item *n, const catalog_item *o, strbuf *what)
{
    int ch = CH_NONE;
#define DIFF_STR(field, label)                                                                 \
    if (strcmp(n->field, o->field) != 0) {                                                     \
        ch |= CH_OTHER;                                                                        \
        if (what)                                                                              \
            strbuf_printf(what, "%s%s", what->len ? ", " : "", label);                         \
    }
#define DIFF_INT(field, label)                                                                 \
    if (n->field != o->field) {                                                                \
        ch |= CH_OTHER;                                                                        \
        if (what)                                                                              \
            strbuf_printf(what, "%s%s", what->len ? ", " : "", label);                         \
    }
    if (n->p.price_fen != o->p.price_fen) {
        ch |= CH_PRICE;
        if (what)
            strbuf_printf(what, "%sprice %lld -> %lld fen", what->len ? ", " : "",
                          (long long)o->p.price_fen, (long long)n->p.price_fen);
    }
    DIFF_STR(p.name, "name")
    DIFF_STR(name_en, "name_en")
    DIFF_STR(p.unit, "unit")
    DIFF_INT(p.by_weight, "by_weight")
    DIFF_INT(p.tare_g, "tare_g")
    DIFF_INT(p.min_g, "min_g")
    DIFF_INT(p.max_g, "max_g")
    DIFF_STR(tax_class, "tax_class")
    DIFF_STR(category, "category")
    DIFF_INT(p.active, "active")
    DIFF_INT(p.poverty_relief, "poverty_relief")
    DIFF_STR(p.supplier_id, "supplier_id")
    DIFF_STR(p.cert_no, "cert_no")
    DIFF_STR(cert_county, "cert_county")
    DIFF_STR(cert_valid_from, "cert_valid_from")
    DIFF_STR(p.cert_valid_to, "cert_valid_to")
    DIFF_STR(pinyin, "pinyin")
#undef DIFF_STR
#undef DIFF_INT
    if (strcmp(n->p.plu, o->p.plu) != 0) {
        ch |= CH_PLU | CH_OTHER;
        if (what)
            strbuf_printf(what, "%splu %s -> %s", what->len ? ", " : "", o->p.plu[0] ? o->p.plu : "-",
                          n->p.plu[0] ? n->p.plu : "-");
    }
    bool same_codes = n->n_barcodes == o->n_barcodes;
    for (size_t i = 0; same_codes && i < n->n_barcodes; i++)
        same_codes = strcmp(n->barcodes[i], o->barcodes[i]) == 0;
    if (!same_codes) {
        ch |= CH_BARCODES;
        if (what)
            strbuf_printf(what, "%sbarcodes", what->len ? ", " : "");
    }
    return ch;
}

/* Work out the change of every row (into changes[i]); counts into sum. */
static store_err plan(store *s, catalog_batch *b, int *changes, fen_t *old_price,
                      catalog_summary *sum, strbuf *lines)
{
    sqlite3_stmt *st = NULL;
    store_err e = STORE_OK;
    catalog_item *cur = malloc(sizeof *cur);
    if (!cur)
        return store_failf(s, STORE_ERR_INTERNAL, "out of memory");
    memset(sum, 0, sizeof *sum);
    sum->encoding = b->encoding;
    sum->had_bom = b->had_bom;
    sum->rows = b->n;
    for (size_t i = 0; i < b->n; i++) {
        const catalog_item *it = &b->rows[i].it;
        bool found = false;
        if ((e = load_item(s, &st, it->p.sku, cur, &found)))
            break;
        strbuf what;
        strbuf_init(&what);
        if (!found) {
            changes[i] = CH_NEW;
            sum->added++;
            if (lines)
                strbuf_printf(lines, "%s: new (%s)\n", it->p.sku, it->p.name);
        } else {
            old_price[i] = cur->p.price_fen;
            changes[i] = compare_items(it, cur, lines ? &what : NULL);
            if (changes[i] == CH_NONE) {
                sum->unchanged++;
            } else {
                sum->updated++;
                if (lines)
                    strbuf_printf(lines, "%s: %s\n", it->p.sku, what.data ? what.data : "");
            }
            if (changes[i] & CH_PRICE)
                sum->price_changes++;
        }
        strbuf_free(&what);
    }
    sqlite3_finalize(st);
    free(cur);
    return e;
}

store_err catalog_plan(store *s, catalog_batch *b, catalog_summary *sum, strbuf *changes)
{
    int *ch = calloc(b->n + 1, sizeof *ch);
    fen_t *old = calloc(b->n + 1, sizeof *old);
    store_err e = ch && old ? plan(s, b, ch, old, sum, changes)
                            : store_failf(s, STORE_ERR_INTERNAL, "out of memory");
    free(ch);
    free(old);
    return e;
}

typedef struct {
    catalog_batch *b;
    catalog_summary *sum;
} apply_ctx;

/* Prefix the store's error with the row it happened on.  The message is copied first: it lives
 * in the buffer store_failf writes, and formatting it into itself lost the cause ("line N
 * (SKU): " and nothing after it on a full disk). */
static void fail_at_row(store *s, store_err e, const catalog_batch *b, size_t i, const char *sku)
{
    char cause[256];
    snprintf(cause, sizeof cause, "%s", store_last_error(s));
    store_failf(s, e, "%s line %d (%s): %s", b->source, b->rows[i].line, sku, cause);
}

static store_err apply_tx(store *s, void *vctx)
{
    apply_ctx *x = vctx;
    catalog_batch *b = x->b;
    store_err e;
    sqlite3_stmt *clear_codes = NULL, *clear_plu = NULL, *upsert = NULL, *add_code = NULL;
    int *ch = calloc(b->n + 1, sizeof *ch);
    fen_t *old = calloc(b->n + 1, sizeof *old);
    if (!ch || !old) {
        e = store_failf(s, STORE_ERR_INTERNAL, "out of memory");
        goto out;
    }
    /* Plan inside the write transaction: what it compares against cannot change under it. */
    if ((e = plan(s, b, ch, old, x->sum, NULL)))
        goto out;
    if ((e = store_prepare(s, "DELETE FROM barcodes WHERE sku = ?1", &clear_codes)) ||
        (e = store_prepare(s, "UPDATE products SET plu = NULL WHERE sku = ?1", &clear_plu)) ||
        (e = store_prepare(
             s,
             "INSERT INTO products(sku, name, name_en, unit, price_fen, by_weight, plu, tare_g, "
             "min_g, max_g, tax_class, category, active, poverty_relief, supplier_id, cert_no, "
             "cert_county, cert_valid_from, cert_valid_to, pinyin, updated_utc) "
             "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, "
             "?18, ?19, ?20, ?21) "
             "ON CONFLICT(sku) DO UPDATE SET name = excluded.name, name_en = excluded.name_en, "
             "unit = excluded.unit, price_fen = excluded.price_fen, "
             "by_weight = excluded.by_weight, plu = excluded.plu, tare_g = excluded.tare_g, "
             "min_g = excluded.min_g, max_g = excluded.max_g, tax_class = excluded.tax_class, "
             "category = excluded.category, active = excluded.active, "
             "poverty_relief = excluded.poverty_relief, supplier_id = excluded.supplier_id, "
             "cert_no = excluded.cert_no, cert_county = excluded.cert_county, "
             "cert_valid_from = excluded.cert_valid_from, cert_valid_to = excluded.cert_valid_to, "
             "pinyin = excluded.pinyin, updated_utc = excluded.updated_utc",
             &upsert)) ||
        (e = store_prepare(s, "INSERT INTO barcodes(gtin13, sku) VALUES(?1, ?2)", &add_code)))
        goto out;

    /* Phase 1: let go of what moves.  A barcode or PLU handed from one listed product to
     * another would otherwise collide with its old owner's row, whichever is written first. */
    for (size_t i = 0; i < b->n; i++) {
        const char *sku = b->rows[i].it.p.sku;
        if (ch[i] & CH_BARCODES) {
            sqlite3_bind_text(clear_codes, 1, sku, -1, SQLITE_STATIC);
            if ((e = store_step_reset(s, clear_codes)))
                goto fail_row;
        }
        if (ch[i] & CH_PLU) {
            sqlite3_bind_text(clear_plu, 1, sku, -1, SQLITE_STATIC);
            if ((e = store_step_reset(s, clear_plu)))
                goto fail_row;
        }
        continue;
    fail_row:
        fail_at_row(s, e, b, i, sku);
        goto out;
    }
    /* Phase 2: rows, barcodes, price history. */
    for (size_t i = 0; i < b->n; i++) {
        const catalog_item *it = &b->rows[i].it;
        const product *p = &it->p;
        if (ch[i] & (CH_NEW | CH_PRICE | CH_OTHER)) {
            sqlite3_stmt *u = upsert;
            sqlite3_bind_text(u, 1, p->sku, -1, SQLITE_STATIC);
            sqlite3_bind_text(u, 2, p->name, -1, SQLITE_STATIC);
            sqlite3_bind_text(u, 3, it->name_en, -1, SQLITE_STATIC);
            sqlite3_bind_text(u, 4, p->unit, -1, SQLITE_STATIC);
            sqlite3_bind_int64(u, 5, p->price_fen);
            sqlite3_bind_int(u, 6, p->by_weight);
            store_bind_opt_text(u, 7, p->plu);
            sqlite3_bind_int64(u, 8, p->tare_g);
            sqlite3_bind_int64(u, 9, p->min_g);
            sqlite3_bind_int64(u, 10, p->max_g);
            sqlite3_bind_text(u, 11, it->tax_class, -1, SQLITE_STATIC);
            store_bind_opt_text(u, 12, it->category);
            sqlite3_bind_int(u, 13, p->active);
            sqlite3_bind_int(u, 14, p->poverty_relief);
            store_bind_opt_text(u, 15, p->supplier_id);
            store_bind_opt_text(u, 16, p->cert_no);
            store_bind_opt_text(u, 17, it->cert_county);
            store_bind_opt_text(u, 18, it->cert_valid_from);
            store_bind_opt_text(u, 19, p->cert_valid_to);
            sqlite3_bind_text(u, 20, it->pinyin, -1, SQLITE_STATIC);
            sqlite3_bind_int64(u, 21, b->now_utc);
            if ((e = store_step_reset(s, u)))
                goto fail_row2;
        }
        if (ch[i] & (CH_NEW | CH_BARCODES))
            for (size_t k = 0; k < it->n_barcodes; k++) {
                sqlite3_bind_text(add_code, 1, it->barcodes[k], -1, SQLITE_STATIC);
                sqlite3_bind_text(add_code, 2, p->sku, -1, SQLITE_STATIC);
                if ((e = store_step_reset(s, add_code)))
                    goto fail_row2;
            }
        if ((ch[i] & CH_PRICE) &&
            (e = products_record_price_change(s, p->sku, old[i], p->price_fen, b->now_utc, b->source)))
            goto fail_row2;
        continue;
    fail_row2:
        fail_at_row(s, e, b, i, p->sku);
        goto out;
    }
    if (x->sum->added || x->sum->updated) {
        char detail[256];
        snprintf(detail, sizeof detail,
                 "{\"rows\":%zu,\"added\":%zu,\"updated\":%zu,\"price_changes\":%zu}",
                 x->sum->rows, x->sum->added, x->sum->updated, x->sum->price_changes);
        e = audit_append(s, b->now_utc, "catalog", "catalog.import", b->source, detail);
    }
out:
    sqlite3_finalize(clear_codes);
    sqlite3_finalize(clear_plu);
    sqlite3_finalize(upsert);
    sqlite3_finalize(add_code);
    free(ch);
    free(old);
    return e;
}

store_err catalog_apply(store *s, catalog_batch *b, catalog_summary *sum)
{
    catalog_summary local;
    apply_ctx x = {b, sum ? sum : &local};
    return store_transaction(s, apply_tx, &x);
}

store_err catalog_import_file(store *s, const char *path, const catalog_import_opts *o,
                              bool dry_run, catalog_summary *sum, strbuf *changes,
                              strbuf *errors)
{
    errlist el = {0};
    catalog_summary local;
    if (!sum)
        sum = &local;
    memset(sum, 0, sizeof *sum);
    catalog_batch *b = catalog_parse(s, path, o, &el);
    store_err e;
    if (!b) {
        sum->errors = el.total;
        if (errors)
            errlist_format(&el, errors);
        errlist_free(&el);
        return STORE_ERR_INVALID;
    }
    e = dry_run ? catalog_plan(s, b, sum, changes) : catalog_apply(s, b, sum);
    if (e && errors)
        strbuf_printf(errors, "%s: %s", path, store_last_error(s));
    catalog_batch_free(b);
    errlist_free(&el);
    return e;
}
