/* catalog: CSV import and export of the product catalog.  See catalog.h and docs/CATALOG.md.
 *
 * Import is two passes.  catalog_parse reads every row, checks every field, then checks the
 * rows against each other (duplicate sku / barcode / PLU, by sorting: a 50,000-line file must
 * not cost n^2 comparisons) and against the database (a barcode or PLU owned by a product that
 * is not in the file; unknown suppliers), collecting every problem.  Only a clean file becomes
 * a batch; catalog_apply writes it in one transaction, so a bad line never leaves half a
 * catalog behind. */
#include "db/catalog.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db/audit.h"
#include "db/store_internal.h"
#include "pos/core/barcode.h"
#include "pos/core/bizday.h"
#include "pos/core/pinyin.h"

/* The scale's range: nothing weighed at the till is heavier than the 30 kg label scale takes,
 * and no container weighs more than 5 kg. */
#define MAX_WEIGHT_G 30000
#define MAX_TARE_G 5000

enum {
    C_SKU, C_NAME, C_NAME_EN, C_UNIT, C_BARCODES, C_PRICE, C_BY_WEIGHT, C_PLU, C_TARE, C_MIN,
    C_MAX, C_TAX, C_CATEGORY, C_ACTIVE, C_POVERTY, C_SUPPLIER, C_CERT_NO, C_CERT_COUNTY,
    C_CERT_FROM, C_CERT_TO, C_NCOLS
};

/* The file format, in export order (docs/CATALOG.md). */
static const ct_column COLS[C_NCOLS] = {
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

void catalog_batch_free(catalog_batch *b)
{
    if (!b)
        return;
    free(b->rows);
    free(b);
}

/* ---- reading stored records ---- */

#define ITEM_SQL                                                                                  \
    "SELECT " STORE_PRODUCT_COLS ", " STORE_MAIN_GTIN ", p.name_en, p.pinyin, p.tax_class, "      \
    "p.category, p.cert_county, p.cert_valid_from, "                                              \
    "(SELECT group_concat(gtin13, '|') FROM (SELECT gtin13 FROM barcodes b WHERE b.sku = p.sku "  \
    "ORDER BY b.rowid)) FROM products p "

static void read_item(sqlite3_stmt *st, catalog_item *it)
{
    memset(it, 0, sizeof *it);
    store_read_product(st, 0, &it->p);
    int c = STORE_PRODUCT_NCOLS + 1;
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
static store_err load_with(store *s, sqlite3_stmt **st, const char *sku, catalog_item *out,
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
        read_item(*st, out);
    sqlite3_reset(*st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK : store_fail(s, rc);
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
    if (!ct_parse_uint(price, MONEY_MAX_FEN, &p->price_fen)) {
        err_add(el, path, line, "price_fen",
                "\"%.32s\" is not money: a whole number of fen >= 0 (¥12.80 is 1280)", price);
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
    for (size_t i = 1; i < n; i++) {
        size_t first = i - 1;
        while (first > 0 && strcmp(k[first - 1].key, k[i].key) == 0)
            first--;
        if (strcmp(k[i - 1].key, k[i].key) == 0)
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
    size_t errors_before = el->n;
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
    bool opened = ct_open(&t, path, o->encoding, COLS, C_NCOLS, el);
    b->encoding = t.encoding;
    b->had_bom = t.had_bom;
    if (!opened)
        goto fail;
    int rc;
    while ((rc = ct_next(&t, el)) != 0) {
        if (rc < 0)
            continue;
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
    if (el->n != errors_before || el->oom)
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
        if ((e = load_with(s, &st, it->p.sku, cur, &found)))
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
        store_failf(s, e, "%s line %d (%s): %s", b->source, b->rows[i].line, sku,
                    store_last_error(s));
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
            (e = store_record_price_change(s, p->sku, old[i], p->price_fen, b->now_utc, b->source)))
            goto fail_row2;
        continue;
    fail_row2:
        store_failf(s, e, "%s line %d (%s): %s", b->source, b->rows[i].line, p->sku,
                    store_last_error(s));
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

/* ---- export ---- */

static void csv_put(FILE *f, const char *v, bool last)
{
    /* Quote only when needed, so a plain file stays plain (and diffs stay readable). */
    if (strpbrk(v, ",\"\r\n")) {
        fputc('"', f);
        for (const char *p = v; *p; p++) {
            if (*p == '"')
                fputc('"', f);
            fputc(*p, f);
        }
        fputc('"', f);
    } else {
        fputs(v, f);
    }
    fputc(last ? '\n' : ',', f);
}

static void csv_put_int(FILE *f, int64_t v, bool blank_zero)
{
    char buf[24] = "";
    if (v || !blank_zero)
        snprintf(buf, sizeof buf, "%lld", (long long)v);
    csv_put(f, buf, false);
}

store_err catalog_export_file(store *s, const char *path, size_t *n_rows, char *msg, size_t cap)
{
    char tmp[4096];
    sqlite3_stmt *st = NULL;
    FILE *f = NULL;
    store_err e = STORE_OK;
    size_t n = 0;
    catalog_item *it = malloc(sizeof *it);
    if (msg && cap)
        msg[0] = '\0';
    if (!it) {
        snprintf(msg, cap, "out of memory");
        return STORE_ERR_INTERNAL;
    }
    if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp) {
        snprintf(msg, cap, "%s: path too long", path);
        free(it);
        return STORE_ERR_INVALID;
    }
    if ((e = store_prepare(s, ITEM_SQL "ORDER BY p.sku", &st))) {
        store_copy_error(s, msg, cap);
        free(it);
        return e;
    }
    /* Read everything inside one read transaction: the export is one consistent catalog. */
    if (!(f = fopen(tmp, "wb"))) {
        snprintf(msg, cap, "%s: %s", tmp, strerror(errno));
        e = STORE_ERR_IO;
        goto out;
    }
    for (int c = 0; c < C_NCOLS; c++) {
        fputs(COLS[c].name, f);
        fputc(c + 1 < C_NCOLS ? ',' : '\n', f);
    }
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        read_item(st, it);
        const product *p = &it->p;
        char codes[CATALOG_MAX_BARCODES * 14 + 1] = "";
        size_t used = 0;
        for (size_t k = 0; k < it->n_barcodes && used < sizeof codes; k++)
            used += (size_t)snprintf(codes + used, sizeof codes - used, "%s%s", k ? "|" : "",
                                     it->barcodes[k]);
        csv_put(f, p->sku, false);
        csv_put(f, p->name, false);
        csv_put(f, it->name_en, false);
        csv_put(f, p->unit, false);
        csv_put(f, codes, false);
        csv_put_int(f, p->price_fen, false);
        csv_put_int(f, p->by_weight, false);
        csv_put(f, p->plu, false);
        csv_put_int(f, p->tare_g, true);
        csv_put_int(f, p->min_g, true);
        csv_put_int(f, p->max_g, true);
        csv_put(f, it->tax_class, false);
        csv_put(f, it->category, false);
        csv_put_int(f, p->active, false);
        csv_put_int(f, p->poverty_relief, false);
        csv_put(f, p->supplier_id, false);
        csv_put(f, p->cert_no, false);
        csv_put(f, it->cert_county, false);
        csv_put(f, it->cert_valid_from, false);
        csv_put(f, p->cert_valid_to, true);
        n++;
    }
    if (rc != SQLITE_DONE) {
        e = store_fail(s, rc);
        store_copy_error(s, msg, cap);
        goto out;
    }
    /* fflush + fsync before the rename: the new name must never point at a short file. */
    if (fflush(f) != 0 || ferror(f) || fsync(fileno(f)) != 0) {
        snprintf(msg, cap, "%s: %s", tmp, strerror(errno));
        e = STORE_ERR_IO;
        goto out;
    }
    if (fclose(f) != 0) {
        f = NULL;
        snprintf(msg, cap, "%s: %s", tmp, strerror(errno));
        e = STORE_ERR_IO;
        goto out;
    }
    f = NULL;
    if (rename(tmp, path) != 0) {
        snprintf(msg, cap, "%s: %s", path, strerror(errno));
        e = STORE_ERR_IO;
        goto out;
    }
    if (n_rows)
        *n_rows = n;
out:
    if (f)
        fclose(f);
    if (e)
        unlink(tmp);
    sqlite3_finalize(st);
    free(it);
    return e;
}
