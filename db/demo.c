/* demo: load the demo store's catalog from CSV.
 *
 * Two passes: first parse and validate every row of both files, collecting every problem
 * (a purchaser fixing a spreadsheet wants all the bad lines at once, not one per run); only a
 * clean parse is written, in one transaction, by upsert.  A CSV is outside data: every field is
 * length-checked, UTF-8-checked and parsed strictly. */
#include "db/demo.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/store_internal.h"
#include "pos/core/barcode.h"
#include "pos/core/bizday.h"
#include "pos/core/csv.h"

#define DEMO_MAX_FILE (8u << 20)   /* a demo catalog is kilobytes; refuse anything absurd */
#define CATEGORY_CAP 64

const char *demo_assets_dir(void)
{
    const char *env = getenv("FUPIN_POS_ASSETS");
    if (env && env[0])
        return env;
#ifdef FUPIN_ASSETS_DIR
    return FUPIN_ASSETS_DIR;
#else
    return "assets";
#endif
}

/* ---- error collection ---- */

typedef struct {
    char *msg;
    size_t cap, len;
    int count;
    bool truncated;
} errlist;

static void err_add(errlist *el, const char *file, int line, const char *column,
                    const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void err_add(errlist *el, const char *file, int line, const char *column,
                    const char *fmt, ...)
{
    char reason[256], entry[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    int n = snprintf(entry, sizeof entry, "%s%s:%d: %s: %s", el->count ? "\n" : "", file, line,
                     column, reason);
    el->count++;
    if (!el->msg || el->cap == 0 || el->truncated)
        return;
    /* Whole entries only: a cut-off line would name a line but not say what is wrong. */
    if (n < 0 || el->len + (size_t)n + 1 > el->cap) {
        el->truncated = true;
        return;
    }
    memcpy(el->msg + el->len, entry, (size_t)n + 1);
    el->len += (size_t)n;
}

/* ---- file reading ---- */

static char *read_file(const char *path, size_t *len, char *why, size_t why_cap)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t n = 0, cap = 0;
    if (!f) {
        snprintf(why, why_cap, "cannot open: %s", strerror(errno));
        return NULL;
    }
    for (;;) {
        if (n == cap) {
            if (cap >= DEMO_MAX_FILE) {
                snprintf(why, why_cap, "larger than %u bytes", DEMO_MAX_FILE);
                goto fail;
            }
            cap = cap ? cap * 2 : 65536;
            char *nb = realloc(buf, cap + 1);
            if (!nb) {
                snprintf(why, why_cap, "out of memory");
                goto fail;
            }
            buf = nb;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0) {
            if (ferror(f)) {
                snprintf(why, why_cap, "read error: %s", strerror(errno));
                goto fail;
            }
            break;
        }
    }
    fclose(f);
    if (!buf && !(buf = malloc(1))) {
        snprintf(why, why_cap, "out of memory");
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
fail:
    fclose(f);
    free(buf);
    return NULL;
}

/* ---- field checks ---- */

static bool utf8_valid(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned c = *p;
        int extra;
        unsigned min;
        if (c < 0x80) {
            if (c < 0x20 || c == 0x7f)   /* control characters have no place in a catalog */
                return false;
            p++;
            continue;
        } else if ((c & 0xe0) == 0xc0) {
            extra = 1, min = 0x80, c &= 0x1f;
        } else if ((c & 0xf0) == 0xe0) {
            extra = 2, min = 0x800, c &= 0x0f;
        } else if ((c & 0xf8) == 0xf0) {
            extra = 3, min = 0x10000, c &= 0x07;
        } else {
            return false;
        }
        p++;
        for (int i = 0; i < extra; i++, p++) {
            if ((*p & 0xc0) != 0x80)
                return false;
            c = (c << 6) | (*p & 0x3f);
        }
        if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
            return false;
    }
    return true;
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
    return s;
}

static bool all_digits(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return false;
    return true;
}

/* Non-negative decimal integer, no sign, no blanks, no leading '+', at most max. */
static bool parse_uint(const char *s, int64_t max, int64_t *out)
{
    if (!all_digits(s) || strlen(s) > 18)
        return false;
    int64_t v = 0;
    for (; *s; s++)
        v = v * 10 + (*s - '0');
    if (v > max)
        return false;
    *out = v;
    return true;
}

static bool parse_flag(const char *s, bool *out)
{
    if (strcmp(s, "0") == 0 || strcmp(s, "1") == 0) {
        *out = s[0] == '1';
        return true;
    }
    return false;
}

/* Copy a text field: valid UTF-8, fits cap, non-empty if required. */
static bool take_text(errlist *el, const char *file, int line, const char *column,
                      const char *val, char *dst, size_t cap, bool required)
{
    if (required && !val[0]) {
        err_add(el, file, line, column, "required");
        return false;
    }
    if (!utf8_valid(val)) {
        err_add(el, file, line, column, "not valid UTF-8 text (or contains control characters)");
        return false;
    }
    if (strlen(val) >= cap) {
        err_add(el, file, line, column, "longer than %zu bytes", cap - 1);
        return false;
    }
    snprintf(dst, cap, "%s", val);
    return true;
}

/* ---- CSV with a header ---- */

typedef struct {
    const char *path;
    char *data;
    csv_reader r;
    int col[CSV_MAX_FIELDS];    /* wanted column i -> field index */
    size_t n_header;
} table;

static bool table_open(table *t, const char *path, const char *const *cols, size_t n_cols,
                       errlist *el)
{
    char why[160];
    size_t len = 0;
    memset(t, 0, sizeof *t);
    t->path = path;
    t->data = read_file(path, &len, why, sizeof why);
    if (!t->data) {
        err_add(el, path, 0, "file", "%s", why);
        return false;
    }
    csv_init(&t->r, t->data, len);
    int rc = csv_next(&t->r);
    if (rc <= 0) {
        err_add(el, path, t->r.record_line > 0 ? t->r.record_line : 1, "header", "%s",
                rc < 0 ? t->r.error : "empty file");
        return false;
    }
    t->n_header = t->r.n_fields;
    bool ok = true;
    for (size_t i = 0; i < n_cols; i++) {
        t->col[i] = -1;
        for (size_t j = 0; j < t->r.n_fields; j++)
            if (strcmp(trim(t->r.fields[j]), cols[i]) == 0) {
                t->col[i] = (int)j;
                break;
            }
        if (t->col[i] < 0) {
            err_add(el, path, t->r.record_line, "header", "missing column %s", cols[i]);
            ok = false;
        }
    }
    return ok;
}

/* Next data row: 1 = row (fields trimmed), 0 = end, -1 = unreadable row (reported; go on). */
static int table_next(table *t, errlist *el)
{
    for (;;) {
        int rc = csv_next(&t->r);
        if (rc < 0) {
            err_add(el, t->path, t->r.record_line > 0 ? t->r.record_line : t->r.line, "csv", "%s",
                    t->r.error);
            return 0;   /* the reader cannot resynchronise reliably after a syntax error */
        }
        if (rc == 0)
            return 0;
        if (t->r.n_fields == 1 && trim(t->r.fields[0])[0] == '\0')
            continue;   /* blank line (e.g. trailing newline twice) */
        if (t->r.n_fields != t->n_header) {
            err_add(el, t->path, t->r.record_line, "row", "%zu fields, the header has %zu",
                    t->r.n_fields, t->n_header);
            return -1;
        }
        for (size_t i = 0; i < t->r.n_fields; i++)
            t->r.fields[i] = trim(t->r.fields[i]);
        return 1;
    }
}

static const char *field(const table *t, int wanted) { return t->r.fields[t->col[wanted]]; }

static void table_close(table *t) { free(t->data); }

/* ---- rows ---- */

typedef struct {
    supplier sup;
    int line;
} sup_row;

typedef struct {
    product p;
    char category[CATEGORY_CAP];
    int line;
} prod_row;

typedef struct {
    sup_row *sups;
    size_t n_sups, cap_sups;
    prod_row *prods;
    size_t n_prods, cap_prods;
} catalog;

static bool grow(void **arr, size_t *cap, size_t n, size_t elem)
{
    if (n < *cap)
        return true;
    size_t nc = *cap ? *cap * 2 : 64;
    void *na = realloc(*arr, nc * elem);
    if (!na)
        return false;
    *arr = na;
    *cap = nc;
    return true;
}

enum { S_ID, S_NAME, S_KIND, S_HOUSEHOLD, S_VILLAGE, S_TOWNSHIP, S_CONTACT, S_NCOLS };
static const char *const SUP_COLS[S_NCOLS] = {"id", "name", "kind", "household_id",
                                               "village", "township", "contact"};

static const sup_row *find_sup(const catalog *c, const char *id)
{
    for (size_t i = 0; i < c->n_sups; i++)
        if (strcmp(c->sups[i].sup.id, id) == 0)
            return &c->sups[i];
    return NULL;
}

static void parse_suppliers(const char *path, catalog *c, errlist *el)
{
    table t;
    if (!table_open(&t, path, SUP_COLS, S_NCOLS, el))
        goto out;
    int rc;
    while ((rc = table_next(&t, el)) != 0) {
        if (rc < 0)
            continue;
        int line = t.r.record_line;
        sup_row row = {.line = line};
        supplier *s = &row.sup;
        bool ok = take_text(el, path, line, "id", field(&t, S_ID), s->id, sizeof s->id, true);
        ok &= take_text(el, path, line, "name", field(&t, S_NAME), s->name, sizeof s->name, true);
        const char *kind = field(&t, S_KIND);
        if (strcmp(kind, "cooperative") && strcmp(kind, "firm") && strcmp(kind, "household")) {
            err_add(el, path, line, "kind", "\"%.32s\" is not cooperative, firm or household",
                    kind);
            ok = false;
        } else {
            snprintf(s->kind, sizeof s->kind, "%s", kind);
        }
        ok &= take_text(el, path, line, "household_id", field(&t, S_HOUSEHOLD), s->household_id,
                        sizeof s->household_id, false);
        if (ok && strcmp(s->kind, "household") == 0 && !s->household_id[0]) {
            err_add(el, path, line, "household_id", "required for a household (建档立卡户)");
            ok = false;
        } else if (ok && strcmp(s->kind, "household") != 0 && s->household_id[0]) {
            err_add(el, path, line, "household_id", "only households have a household id");
            ok = false;
        }
        ok &= take_text(el, path, line, "village", field(&t, S_VILLAGE), s->village,
                        sizeof s->village, false);
        ok &= take_text(el, path, line, "township", field(&t, S_TOWNSHIP), s->township,
                        sizeof s->township, false);
        ok &= take_text(el, path, line, "contact", field(&t, S_CONTACT), s->contact,
                        sizeof s->contact, false);
        const sup_row *dup = s->id[0] ? find_sup(c, s->id) : NULL;
        if (dup) {
            err_add(el, path, line, "id", "duplicate supplier %s (first on line %d)", s->id,
                    dup->line);
            ok = false;
        }
        if (!ok)
            continue;
        if (!grow((void **)&c->sups, &c->cap_sups, c->n_sups, sizeof *c->sups)) {
            err_add(el, path, line, "row", "out of memory");
            break;
        }
        c->sups[c->n_sups++] = row;
    }
out:
    table_close(&t);
}

enum { P_SKU, P_NAME, P_UNIT, P_BARCODE, P_PRICE, P_BY_WEIGHT, P_PLU, P_POVERTY, P_SUPPLIER,
       P_CATEGORY, P_NCOLS };
static const char *const PROD_COLS[P_NCOLS] = {"sku", "name", "unit", "barcode", "price_fen",
                                                "by_weight", "plu", "poverty_relief",
                                                "supplier_id", "category"};

static void parse_products(store *s, const char *path, catalog *c, errlist *el)
{
    table t;
    if (!table_open(&t, path, PROD_COLS, P_NCOLS, el))
        goto out;
    int rc;
    while ((rc = table_next(&t, el)) != 0) {
        if (rc < 0)
            continue;
        int line = t.r.record_line;
        prod_row row = {.line = line};
        product *p = &row.p;
        p->active = true;
        bool ok = take_text(el, path, line, "sku", field(&t, P_SKU), p->sku, sizeof p->sku, true);
        ok &= take_text(el, path, line, "name", field(&t, P_NAME), p->name, sizeof p->name, true);
        ok &= take_text(el, path, line, "unit", field(&t, P_UNIT), p->unit, sizeof p->unit, true);

        const char *code = field(&t, P_BARCODE);
        if (code[0]) {
            barcode_err be = barcode_to_gtin13(code, p->gtin13, NULL);
            if (be != BARCODE_OK) {
                err_add(el, path, line, "barcode", "%.32s: %s", code, barcode_strerror(be));
                ok = false;
            }
        }
        int64_t price = 0;
        if (!parse_uint(field(&t, P_PRICE), MONEY_MAX_FEN, &price)) {
            err_add(el, path, line, "price_fen", "\"%.32s\" is not a whole number of fen >= 0",
                    field(&t, P_PRICE));
            ok = false;
        }
        p->price_fen = price;
        if (!parse_flag(field(&t, P_BY_WEIGHT), &p->by_weight)) {
            err_add(el, path, line, "by_weight", "must be 0 or 1");
            ok = false;
        }
        const char *plu = field(&t, P_PLU);
        /* Scale PLUs are short numbers (5 digits in GB/T 18283 labels). */
        if (plu[0] && (!all_digits(plu) || strlen(plu) > 6)) {
            err_add(el, path, line, "plu", "\"%.32s\" is not a number of 1-6 digits", plu);
            ok = false;
        } else {
            snprintf(p->plu, sizeof p->plu, "%s", plu);
        }
        if (!parse_flag(field(&t, P_POVERTY), &p->poverty_relief)) {
            err_add(el, path, line, "poverty_relief", "must be 0 or 1");
            ok = false;
        }
        const char *sup = field(&t, P_SUPPLIER);
        if (take_text(el, path, line, "supplier_id", sup, p->supplier_id, sizeof p->supplier_id,
                      false)) {
            if (sup[0] && !find_sup(c, sup) && store_find_supplier(s, sup, NULL) != STORE_OK) {
                err_add(el, path, line, "supplier_id", "unknown supplier %s", sup);
                ok = false;
            } else if (!sup[0] && p->poverty_relief) {
                /* The county counts poverty-relief sales per supplier: one without is useless. */
                err_add(el, path, line, "supplier_id", "required for a poverty-relief product");
                ok = false;
            }
        } else {
            ok = false;
        }
        ok &= take_text(el, path, line, "category", field(&t, P_CATEGORY), row.category,
                        sizeof row.category, false);
        for (size_t i = 0; ok && i < c->n_prods; i++) {
            const prod_row *o = &c->prods[i];
            if (strcmp(o->p.sku, p->sku) == 0) {
                err_add(el, path, line, "sku", "duplicate sku %s (first on line %d)", p->sku,
                        o->line);
                ok = false;
            } else if (p->gtin13[0] && strcmp(o->p.gtin13, p->gtin13) == 0) {
                err_add(el, path, line, "barcode", "barcode %s also on line %d", p->gtin13,
                        o->line);
                ok = false;
            } else if (p->plu[0] && strcmp(o->p.plu, p->plu) == 0) {
                err_add(el, path, line, "plu", "plu %s also on line %d", p->plu, o->line);
                ok = false;
            }
        }
        if (!ok)
            continue;
        if (!grow((void **)&c->prods, &c->cap_prods, c->n_prods, sizeof *c->prods)) {
            err_add(el, path, line, "row", "out of memory");
            break;
        }
        c->prods[c->n_prods++] = row;
    }
out:
    table_close(&t);
}

/* ---- writing ---- */

typedef struct {
    const catalog *c;
    const char *sup_path, *prod_path;
    errlist *el;
} load_ctx;

static store_err load_tx(store *s, void *vctx)
{
    load_ctx *x = vctx;
    store_err e;
    for (size_t i = 0; i < x->c->n_sups; i++) {
        const sup_row *r = &x->c->sups[i];
        if ((e = store_upsert_supplier(s, &r->sup))) {
            err_add(x->el, x->sup_path, r->line, "id", "%s", store_last_error(s));
            return e;
        }
    }
    for (size_t i = 0; i < x->c->n_prods; i++) {
        const prod_row *r = &x->c->prods[i];
        if ((e = store_upsert_product(s, &r->p)) ||
            (e = store_set_product_category(s, r->p.sku, r->category))) {
            err_add(x->el, x->prod_path, r->line, "sku", "%s", store_last_error(s));
            return e;
        }
    }
    /* The demo store's identity, unless the till already has one (init --store wins). */
    char code[32];
    e = store_get_setting(s, "store.code", code, sizeof code);
    if (e == STORE_ERR_NOT_FOUND) {
        till_config cfg = {.till_no = 1, .rounding = ROUNDING_DROP_FEN,
                           .tz_offset_min = BIZDAY_SHANGHAI_OFFSET_MIN};
        snprintf(cfg.store_code, sizeof cfg.store_code, "YR01");
        snprintf(cfg.store_name, sizeof cfg.store_name, "永仁县扶贫超市");
        e = store_set_config(s, &cfg);
    }
    if (e)
        err_add(x->el, "settings", 0, "store.code", "%s", store_last_error(s));
    return e;
}

store_err demo_load(store *s, const char *assets_dir, char *msg, size_t msg_cap)
{
    char sup_path[1024], prod_path[1024];
    catalog c = {0};
    errlist el = {.msg = msg, .cap = msg_cap};
    store_err e = STORE_OK;
    if (msg && msg_cap)
        msg[0] = '\0';
    if (!s) {
        err_add(&el, "demo", 0, "store", "no store");
        return STORE_ERR_INVALID;
    }
    if (!assets_dir)
        assets_dir = demo_assets_dir();
    if (snprintf(sup_path, sizeof sup_path, "%s/demo/suppliers.csv", assets_dir) >=
            (int)sizeof sup_path ||
        snprintf(prod_path, sizeof prod_path, "%s/demo/products.csv", assets_dir) >=
            (int)sizeof prod_path) {
        err_add(&el, assets_dir, 0, "path", "too long");
        return STORE_ERR_INVALID;
    }
    parse_suppliers(sup_path, &c, &el);
    parse_products(s, prod_path, &c, &el);
    if (el.count > 0) {
        e = STORE_ERR_INVALID;
        goto out;
    }
    load_ctx x = {&c, sup_path, prod_path, &el};
    e = store_transaction(s, load_tx, &x);
    if (e && el.count == 0)
        err_add(&el, "demo", 0, "transaction", "%s", store_last_error(s));
out:
    if (el.truncated && msg && msg_cap > el.len + 1)
        snprintf(msg + el.len, msg_cap - el.len, "\n(%d errors in all)", el.count);
    free(c.sups);
    free(c.prods);
    return e;
}
