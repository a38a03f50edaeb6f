/* catalog_parse: reading and checking a catalog CSV file (the first pass of import).  See
 * catalog.h and docs/CATALOG.md.
 *
 * catalog_parse reads every row, checks every field, then checks the rows against each other
 * (duplicate sku / barcode / PLU, by sorting: a 50,000-line file must not cost n^2
 * comparisons) and against the database (a barcode or PLU owned by a product that is not in
 * the file; unknown suppliers), collecting every problem.  Only a clean file becomes a batch;
 * it writes nothing. */
#include "db/catalog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/catalog_internal.h"
#include "pos/core/barcode.h"
#include "pos/core/bizday.h"
#include "pos/core/pinyin.h"

/* The scale's range: nothing weighed at the till is heavier than the 30 kg label scale takes,
 * and no container weighs more than 5 kg. */
#define MAX_WEIGHT_G 30000
#define MAX_TARE_G 5000

/* The file format, in export order (docs/CATALOG.md). */
const ct_column catalog_cols[C_NCOLS] = {
    {"sku", true},           {"name", true},       {"name_en", false},
    {"unit", true},          {"barcodes", false},  {"price_fen", true},
    {"by_weight", false},    {"plu", false},       {"tare_g", false},
    {"min_g", false},        {"max_g", false},     {"tax_class", false},
    {"category", false},     {"active", false},    {"poverty_relief", false},
    {"supplier_id", false},  {"cert_no", false},   {"cert_county", false},
    {"cert_valid_from", false}, {"cert_valid_to", false},
};

bool catalog_tax_class_valid(const char *t)
{
    return !t[0] || strcmp(t, "std") == 0 || strcmp(t, "agri") == 0 || strcmp(t, "exempt") == 0;
}

void catalog_batch_free(catalog_batch *b)
{
    if (!b)
        return;
    free(b->rows);
    free(b);
}

/* ---- parsing one row ---- */

static bool parse_grams(errlist *el, const char *path, int line, const char *column,
                        const char *val, int64_t max, int64_t *out)
{
    *out = 0;
    if (!val[0])
        return true;
    if (!ct_parse_uint(val, max, out)) {
        err_add(el, path, line, column, "\"%.32s\" is not a whole number of grams from 0 to %lld",
                val, (long long)max);
        return false;
    }
    return true;
}

static bool parse_date(errlist *el, const char *path, int line, const char *column,
                       const char *val, char out[11])
{
    out[0] = '\0';
    if (!val[0])
        return true;
    if (strlen(val) != 10 || !bizday_valid_day(val)) {
        err_add(el, path, line, column, "\"%.32s\" is not a date YYYY-MM-DD", val);
        return false;
    }
    memcpy(out, val, 11);
    return true;
}

static bool parse_barcodes(errlist *el, const char *path, int line, const char *val,
                           catalog_item *it)
{
    bool ok = true;
    const char *p = val;
    while (*p) {
        const char *bar = strchr(p, '|');
        size_t n = bar ? (size_t)(bar - p) : strlen(p);
        char code[BARCODE_MAX_LEN + 1];
        while (n > 0 && (*p == ' ' || *p == '\t'))
            p++, n--;
        while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
            n--;
        if (n == 0) {
            err_add(el, path, line, "barcodes", "empty barcode between '|' separators");
            ok = false;
        } else if (n > BARCODE_MAX_LEN) {
            err_add(el, path, line, "barcodes", "\"%.20s…\" is far too long for a barcode", p);
            ok = false;
        } else {
            memcpy(code, p, n);
            code[n] = '\0';
            char g[14];
            barcode_err be = barcode_to_gtin13(code, g, NULL);
            bool dup = false;
            for (size_t i = 0; be == BARCODE_OK && i < it->n_barcodes; i++)
                dup = dup || strcmp(it->barcodes[i], g) == 0;
            if (be != BARCODE_OK) {
                err_add(el, path, line, "barcodes", "%s: %s", code, barcode_strerror(be));
                ok = false;
            } else if (g[0] == '2') {
                /* GS1 prefix 20-29 is the in-store range scale labels use: such a code would
                 * be read as a label (PLU + weight/price), never as this product. */
                err_add(el, path, line, "barcodes",
                        "%s: prefix 2 is the in-store range of scale labels, not a product code",
                        code);
                ok = false;
            } else if (dup) {
                err_add(el, path, line, "barcodes", "%s listed twice", code);
                ok = false;
            } else if (it->n_barcodes == CATALOG_MAX_BARCODES) {
                err_add(el, path, line, "barcodes", "more than %d barcodes", CATALOG_MAX_BARCODES);
                ok = false;
                break;
            } else {
                memcpy(it->barcodes[it->n_barcodes++], g, 14);
            }
        }
        if (!bar)
            break;
        p = bar + 1;
        if (!*p) {
            err_add(el, path, line, "barcodes", "empty barcode after the last '|'");
            ok = false;
        }
    }
    if (it->n_barcodes)
        memcpy(it->p.gtin13, it->barcodes[0], 14);
    return ok;
}

static bool parse_row(const ct_table *t, errlist *el, catalog_item *it)
{
    const char *path = t->path;
    int line = ct_line(t);
    product *p = &it->p;
    memset(it, 0, sizeof *it);
    bool ok = ct_take_text(el, path, line, "sku", ct_field(t, C_SKU), p->sku, sizeof p->sku, true);
    ok &= ct_take_text(el, path, line, "name", ct_field(t, C_NAME), p->name, sizeof p->name, true);
    ok &= ct_take_text(el, path, line, "name_en", ct_field(t, C_NAME_EN), it->name_en,
                       sizeof it->name_en, false);
    ok &= ct_take_text(el, path, line, "unit", ct_field(t, C_UNIT), p->unit, sizeof p->unit, true);
    ok &= parse_barcodes(el, path, line, ct_field(t, C_BARCODES), it);

    const char *price = ct_field(t, C_PRICE);
    if (!ct_parse_uint(price, MONEY_PRICE_MAX_FEN, &p->price_fen)) {
        err_add(el, path, line, "price_fen",
                "\"%.32s\" is not money: a whole number of fen from 0 to %lld (¥12.80 is 1280)",
                price, (long long)MONEY_PRICE_MAX_FEN);
        ok = false;
    }
    const char *v = ct_field(t, C_BY_WEIGHT);
    if (v[0] && !ct_parse_flag(v, &p->by_weight)) {
        err_add(el, path, line, "by_weight", "must be 0 or 1, not \"%.32s\"", v);
        ok = false;
    }
    const char *plu = ct_field(t, C_PLU);
    if (plu[0] && (!ct_all_digits(plu) || strlen(plu) > 6 || plu[0] == '0')) {
        /* Labels carry the PLU in a fixed-width digit field and drop leading zeros: "00012"
         * would never match a label that says 12. */
        err_add(el, path, line, "plu", "\"%.32s\" is not a PLU: 1-6 digits, no leading zero", plu);
        ok = false;
    } else {
        snprintf(p->plu, sizeof p->plu, "%s", plu);
    }
    bool weights = parse_grams(el, path, line, "tare_g", ct_field(t, C_TARE), MAX_TARE_G, &p->tare_g);
    weights &= parse_grams(el, path, line, "min_g", ct_field(t, C_MIN), MAX_WEIGHT_G, &p->min_g);
    weights &= parse_grams(el, path, line, "max_g", ct_field(t, C_MAX), MAX_WEIGHT_G, &p->max_g);
    ok &= weights;
    if (p->by_weight && !p->plu[0] && plu[0] == '\0') {
        err_add(el, path, line, "plu", "a weighed product (by_weight=1) needs a PLU for the scale");
        ok = false;
    }
    if (weights && !p->by_weight && (p->tare_g || p->min_g || p->max_g)) {
        err_add(el, path, line, p->tare_g ? "tare_g" : p->min_g ? "min_g" : "max_g",
                "only weighed goods (by_weight=1) have tare and weight bounds");
        ok = false;
    }
    if (weights && p->max_g && p->min_g > p->max_g) {
        err_add(el, path, line, "min_g", "min_g %lld is above max_g %lld", (long long)p->min_g,
                (long long)p->max_g);
        ok = false;
    }
    ok &= ct_take_text(el, path, line, "tax_class", ct_field(t, C_TAX), it->tax_class,
                       sizeof it->tax_class, false);
    if (!catalog_tax_class_valid(it->tax_class)) {
        err_add(el, path, line, "tax_class", "\"%.32s\" is not std, agri, exempt or empty",
                it->tax_class);
        ok = false;
    }
    ok &= ct_take_text(el, path, line, "category", ct_field(t, C_CATEGORY), it->category,
                       sizeof it->category, false);
    p->active = true;
    v = ct_field(t, C_ACTIVE);
    if (v[0] && !ct_parse_flag(v, &p->active)) {
        err_add(el, path, line, "active", "must be 0 or 1, not \"%.32s\"", v);
        ok = false;
    }
    v = ct_field(t, C_POVERTY);
    if (v[0] && !ct_parse_flag(v, &p->poverty_relief)) {
        err_add(el, path, line, "poverty_relief", "must be 0 or 1, not \"%.32s\"", v);
        ok = false;
    }
    ok &= ct_take_text(el, path, line, "supplier_id", ct_field(t, C_SUPPLIER), p->supplier_id,
                       sizeof p->supplier_id, false);
    bool cert = ct_take_text(el, path, line, "cert_no", ct_field(t, C_CERT_NO), p->cert_no,
                             sizeof p->cert_no, false);
    cert &= ct_take_text(el, path, line, "cert_county", ct_field(t, C_CERT_COUNTY), it->cert_county,
                         sizeof it->cert_county, false);
    bool dates = parse_date(el, path, line, "cert_valid_from", ct_field(t, C_CERT_FROM),
                            it->cert_valid_from);
    dates &= parse_date(el, path, line, "cert_valid_to", ct_field(t, C_CERT_TO), p->cert_valid_to);
    ok &= cert && dates;
    if (dates && it->cert_valid_from[0] && p->cert_valid_to[0] &&
        strcmp(it->cert_valid_from, p->cert_valid_to) > 0) {
        err_add(el, path, line, "cert_valid_to", "%s is before cert_valid_from %s",
                p->cert_valid_to, it->cert_valid_from);
        ok = false;
    }
    if (p->poverty_relief) {
        /* The county counts poverty-relief sales per supplier and per certificate: a product
         * flagged without them could never be counted. */
        if (!p->supplier_id[0]) {
            err_add(el, path, line, "supplier_id", "required for a poverty-relief product");
            ok = false;
        }
        if (cert && !p->cert_no[0]) {
            err_add(el, path, line, "cert_no", "required for a poverty-relief product (扶贫认定)");
            ok = false;
        }
        if (cert && !it->cert_county[0]) {
            err_add(el, path, line, "cert_county", "required for a poverty-relief product");
            ok = false;
        }
    } else if (cert && dates && (p->cert_no[0] || it->cert_county[0] || it->cert_valid_from[0] ||
                                 p->cert_valid_to[0])) {
        err_add(el, path, line, "poverty_relief",
                "the row has a certificate but poverty_relief is not 1");
        ok = false;
    }
    if (ok)
        pinyin_initials(p->name, it->pinyin, sizeof it->pinyin);
    return ok;
}

/* ---- cross-row checks ---- */

typedef struct {
    const char *key;
    int line;
    size_t row;
} keyref;

static int cmp_keyref(const void *a, const void *b)
{
    const keyref *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    if (c)
        return c;
    return (x->line > y->line) - (x->line < y->line);
}

/* Report every key that appears on more than one line, naming the first line it was on. */
static void report_dups(keyref *k, size_t n, const char *path, const char *column,
                        const char *what, errlist *el)
{
    qsort(k, n, sizeof *k, cmp_keyref);
    /* One pass over the sorted keys; first is where the current run of equal keys starts
     * (looking back for it on every line would be n^2 on a file of one repeated key). */
    size_t first = 0;
    for (size_t i = 1; i < n; i++) {
        if (strcmp(k[i - 1].key, k[i].key) != 0) {
            first = i;
            continue;
        }
        err_add(el, path, k[i].line, column, "%s %s also on line %d", what, k[i].key,
                k[first].line);
    }
}

static bool sku_in_file(const keyref *skus, size_t n, const char *sku)
{
    keyref probe = {sku, 0, 0};
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(skus[mid].key, probe.key);
        if (c == 0)
            return true;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

/* Who owns key in the database (sql takes ?1 and returns a sku): 1 found, 0 not, -1 error. */
static int owner_of(store *s, sqlite3_stmt *st, const char *key, char *owner, size_t cap)
{
    sqlite3_reset(st);
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    int r = rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
    if (r == 1)
        store_column_text(st, 0, owner, cap);
    else if (r < 0)
        store_fail(s, rc);
    sqlite3_reset(st);
    return r;
}

static void check_against_db(store *s, catalog_batch *b, const char *path,
                             const catalog_import_opts *o, errlist *el, keyref *skus,
                             size_t n_skus)
{
    sqlite3_stmt *bar_st = NULL, *plu_st = NULL, *sup_st = NULL;
    if (store_prepare(s, "SELECT sku FROM barcodes WHERE gtin13 = ?1", &bar_st) ||
        store_prepare(s, "SELECT sku FROM products WHERE plu = ?1", &plu_st) ||
        store_prepare(s, "SELECT id FROM suppliers WHERE id = ?1", &sup_st)) {
        err_add(el, path, 0, "database", "%s", store_last_error(s));
        goto out;
    }
    for (size_t i = 0; i < b->n; i++) {
        const catalog_item *it = &b->rows[i].it;
        int line = b->rows[i].line;
        char owner[PRODUCT_SKU_CAP];
        /* A barcode or PLU may move between products listed in the same file (the file says
         * what each one has now); taking one from a product the file does not mention would
         * silently change what that product's scan sells, so it is refused. */
        for (size_t k = 0; k < it->n_barcodes; k++) {
            int r = owner_of(s, bar_st, it->barcodes[k], owner, sizeof owner);
            if (r < 0) {
                err_add(el, path, line, "database", "%s", store_last_error(s));
                goto out;
            }
            if (r && strcmp(owner, it->p.sku) != 0 && !sku_in_file(skus, n_skus, owner))
                err_add(el, path, line, "barcodes", "%s already belongs to product %s",
                        it->barcodes[k], owner);
        }
        if (it->p.plu[0]) {
            int r = owner_of(s, plu_st, it->p.plu, owner, sizeof owner);
            if (r < 0) {
                err_add(el, path, line, "database", "%s", store_last_error(s));
                goto out;
            }
            if (r && strcmp(owner, it->p.sku) != 0 && !sku_in_file(skus, n_skus, owner))
                err_add(el, path, line, "plu", "PLU %s already belongs to product %s", it->p.plu,
                        owner);
        }
        if (it->p.supplier_id[0] &&
            !(o->supplier_known && o->supplier_known(o->supplier_ctx, it->p.supplier_id))) {
            int r = owner_of(s, sup_st, it->p.supplier_id, owner, sizeof owner);
            if (r < 0) {
                err_add(el, path, line, "database", "%s", store_last_error(s));
                goto out;
            }
            if (!r)
                err_add(el, path, line, "supplier_id", "unknown supplier %s", it->p.supplier_id);
        }
    }
out:
    sqlite3_finalize(bar_st);
    sqlite3_finalize(plu_st);
    sqlite3_finalize(sup_st);
}

catalog_batch *catalog_parse(store *s, const char *path, const catalog_import_opts *o,
                             errlist *el)
{
    catalog_import_opts defaults = {0};
    if (!o)
        o = &defaults;
    size_t errors_before = el->total;
    catalog_batch *b = calloc(1, sizeof *b);
    keyref *skus = NULL, *codes = NULL, *plus = NULL;
    ct_table t;
    if (!b) {
        err_add(el, path, 0, "file", "out of memory");
        return NULL;
    }
    const char *base = strrchr(path, '/');
    snprintf(b->source, sizeof b->source, "%s", o->source ? o->source : base ? base + 1 : path);
    b->now_utc = o->now_utc;
    bool opened = ct_open(&t, path, o->encoding, catalog_cols, C_NCOLS, el);
    b->encoding = t.encoding;
    b->had_bom = t.had_bom;
    if (!opened)
        goto fail;
    int rc;
    size_t n_read = 0;
    while ((rc = ct_next(&t, el)) != 0) {
        if (rc < 0)
            continue;
        /* Each row costs ~900 bytes parsed: without a cap, 64 MB of tiny lines would be GBs. */
        if (++n_read > CATALOG_MAX_ROWS) {
            err_add(el, path, ct_line(&t), "file",
                    "more than %d products: not a store's catalog (split the file)",
                    CATALOG_MAX_ROWS);
            goto fail;
        }
        if (!store_grow((void **)&b->rows, &b->cap, b->n, sizeof *b->rows, 256)) {
            err_add(el, path, ct_line(&t), "row", "out of memory");
            goto fail;
        }
        row *r = &b->rows[b->n];
        r->line = ct_line(&t);
        if (parse_row(&t, el, &r->it))
            b->n++;
    }

    /* Cross-row checks over the rows that parsed (a bad row is already reported). */
    size_t n_codes = 0, n_plus = 0;
    for (size_t i = 0; i < b->n; i++)
        n_codes += b->rows[i].it.n_barcodes;
    skus = malloc((b->n + 1) * sizeof *skus);
    codes = malloc((n_codes + 1) * sizeof *codes);
    plus = malloc((b->n + 1) * sizeof *plus);
    if (!skus || !codes || !plus) {
        err_add(el, path, 0, "file", "out of memory");
        goto fail;
    }
    n_codes = 0;
    for (size_t i = 0; i < b->n; i++) {
        const catalog_item *it = &b->rows[i].it;
        skus[i] = (keyref){it->p.sku, b->rows[i].line, i};
        for (size_t k = 0; k < it->n_barcodes; k++)
            codes[n_codes++] = (keyref){it->barcodes[k], b->rows[i].line, i};
        if (it->p.plu[0])
            plus[n_plus++] = (keyref){it->p.plu, b->rows[i].line, i};
    }
    report_dups(skus, b->n, path, "sku", "sku", el);
    report_dups(codes, n_codes, path, "barcodes", "barcode", el);
    report_dups(plus, n_plus, path, "plu", "PLU", el);
    /* The database checks need the file's sku set (sorted by report_dups above); they run
     * even when some lines were bad, so one run reports everything. */
    if (b->n > 0)
        check_against_db(s, b, path, o, el, skus, b->n);
    if (el->total != errors_before || el->oom)
        goto fail;
    free(skus);
    free(codes);
    free(plus);
    ct_close(&t);
    return b;
fail:
    free(skus);
    free(codes);
    free(plus);
    ct_close(&t);
    catalog_batch_free(b);
    return NULL;
}
