/* stock: see stock.h. */
#include "db/stock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/audit.h"
#include "db/products.h"
#include "db/sha256.h"
#include "db/store_internal.h"
#include "pos/core/bizday.h"

/* A single receipt line: a lorry of rice is ~10,000 bags, a harvest ~10 t. */
#define MAX_RECEIVE_QTY 100000
#define MAX_RECEIVE_GRAMS 100000000
/* Lines in one goods-received file: bounds the memory a file of tiny lines can take. */
#define MAX_RECEIVE_ROWS 100000

enum { R_SUPPLIER, R_SKU, R_QTY, R_GRAMS, R_COST, R_BATCH, R_HARVEST, R_NOTE, R_DNOTE, R_NCOLS };
static const ct_column RCOLS[R_NCOLS] = {
    {"supplier_id", true}, {"sku", true},   {"qty", false},          {"grams", false},
    {"cost_fen", true},    {"batch", false}, {"harvest_date", false}, {"note", false},
    {"delivery_note", false},
};

#define DNOTE_CAP 48

typedef struct {
    stock_move m;
    char sku[PRODUCT_SKU_CAP];
    char dnote[DNOTE_CAP];   /* the supplier's delivery-note number, "" without the column */
    int line;
} receipt_row;

typedef struct {
    receipt_row *rows;
    size_t n;
    const char *ref;         /* audit ref; the moves' ref when by_content */
    bool by_content;         /* identity = normalised content, else (supplier, delivery note) */
    char lo[40], hi[40];     /* by_content: the range of refs "receipt:<hash>:..." */
    const char *legacy_ref;  /* by_content: the ref older versions gave the same raw file */
    int64_t now_utc;
} receive_ctx;

/* ---- the identity of a delivery ----
 *
 * Receiving a delivery twice doubles the stock (and every household agreement's progress), so
 * the same delivery is refused however it comes back.  A file with a delivery_note column is
 * identified by (supplier_id, delivery_note): the supplier's note number is unique per
 * supplier, and two identical deliveries on two days carry two notes.  A file without one is
 * identified by its content after reading: decoded to UTF-8 (a GB18030 copy is the same), line
 * endings and blanks around fields gone (the CSV reader), numbers as numbers, rows sorted (a
 * spreadsheet re-sorted is the same delivery).  The file's name plays no part. */

static const char *row_dnote_ref(const receipt_row *r, char *buf, size_t cap)
{
    snprintf(buf, cap, "delivery:%s:%s", r->m.supplier_id, r->dnote);
    return buf;
}

static int cmp_row_content(const void *a, const void *b)
{
    const receipt_row *x = *(const receipt_row *const *)a, *y = *(const receipt_row *const *)b;
    int c;
    if ((c = strcmp(x->m.supplier_id, y->m.supplier_id)) || (c = strcmp(x->sku, y->sku)))
        return c;
    if (x->m.qty != y->m.qty)
        return x->m.qty < y->m.qty ? -1 : 1;
    if (x->m.grams != y->m.grams)
        return x->m.grams < y->m.grams ? -1 : 1;
    if (x->m.cost_fen != y->m.cost_fen)
        return x->m.cost_fen < y->m.cost_fen ? -1 : 1;
    if ((c = strcmp(x->m.batch, y->m.batch)) || (c = strcmp(x->m.harvest_date, y->m.harvest_date)))
        return c;
    return strcmp(x->m.note, y->m.note);
}

/* By (supplier, note), then line: the moves keep the file's order within a note. */
static int cmp_row_dnote(const void *a, const void *b)
{
    const receipt_row *x = a, *y = b;
    int c;
    if ((c = strcmp(x->m.supplier_id, y->m.supplier_id)) || (c = strcmp(x->dnote, y->dnote)))
        return c;
    return (x->line > y->line) - (x->line < y->line);
}

/* SHA-256 of the sorted normalised rows (fields joined by US, rows ended by RS). */
static bool content_hash(const receipt_row *rows, size_t n, char hex[SHA256_HEX_CAP])
{
    const receipt_row **idx = malloc((n + 1) * sizeof *idx);
    if (!idx)
        return false;
    for (size_t i = 0; i < n; i++)
        idx[i] = &rows[i];
    qsort(idx, n, sizeof *idx, cmp_row_content);
    sha256_ctx c;
    sha256_init(&c);
    for (size_t i = 0; i < n; i++) {
        const receipt_row *r = idx[i];
        char line[1024];
        int len = snprintf(line, sizeof line, "%s\x1f%s\x1f%lld\x1f%lld\x1f%lld\x1f%s\x1f%s\x1f%s\x1e",
                           r->m.supplier_id, r->sku, (long long)r->m.qty, (long long)r->m.grams,
                           (long long)r->m.cost_fen, r->m.batch, r->m.harvest_date, r->m.note);
        sha256_update(&c, line, len > 0 && (size_t)len < sizeof line ? (size_t)len : sizeof line - 1);
    }
    uint8_t d[SHA256_DIGEST_LEN];
    sha256_final(&c, d);
    sha256_to_hex(d, hex);
    free(idx);
    return true;
}

static store_err count_refs(store *s, const char *sql, const char *a, const char *b, int64_t *n)
{
    sqlite3_stmt *st = NULL;
    store_err e = store_prepare(s, sql, &st);
    if (e)
        return e;
    sqlite3_bind_text(st, 1, a, -1, SQLITE_STATIC);
    if (b)
        sqlite3_bind_text(st, 2, b, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    *n = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    return *n < 0 ? store_fail(s, rc) : STORE_OK;
}

/* Under the write lock: has this delivery been received?  Two purchasers receiving the same
 * delivery at once must not both get in. */
static store_err check_not_received(store *s, const receive_ctx *x)
{
    int64_t n = 0;
    store_err e;
    if (x->by_content) {
        /* stock_moves_ref index: a range, not a LIKE */
        if ((e = count_refs(s, "SELECT count(*) FROM stock_moves WHERE kind = 'receive' AND "
                               "ref >= ?1 AND ref < ?2", x->lo, x->hi, &n)))
            return e;
        if (!n && (e = count_refs(s, "SELECT count(*) FROM stock_moves WHERE kind = 'receive' "
                                     "AND ref = ?1", x->legacy_ref, NULL, &n)))
            return e;
        if (n)
            return store_failf(s, STORE_ERR_CONSTRAINT,
                               "this delivery was already received (the same goods, costs and "
                               "batches: %s); give each delivery its delivery_note to receive "
                               "identical goods again: nothing written", x->ref);
        return STORE_OK;
    }
    for (size_t i = 0; i < x->n; i++) {
        if (i && strcmp(x->rows[i].m.supplier_id, x->rows[i - 1].m.supplier_id) == 0 &&
            strcmp(x->rows[i].dnote, x->rows[i - 1].dnote) == 0)
            continue;
        char ref[96];
        if ((e = count_refs(s, "SELECT count(*) FROM stock_moves WHERE kind = 'receive' AND "
                               "ref = ?1", row_dnote_ref(&x->rows[i], ref, sizeof ref), NULL, &n)))
            return e;
        if (n)
            return store_failf(s, STORE_ERR_CONSTRAINT,
                               "delivery note %s of supplier %s was already received (line %d): "
                               "nothing written",
                               x->rows[i].dnote, x->rows[i].m.supplier_id, x->rows[i].line);
    }
    return STORE_OK;
}

static store_err receive_tx(store *s, void *vctx)
{
    receive_ctx *x = vctx;
    sqlite3_stmt *st = NULL;
    store_err e = check_not_received(s, x);
    if (e)
        return e;
    if ((e = store_prepare(s,
                           "INSERT INTO stock_moves(sku, kind, qty, grams, cost_fen, supplier_id, "
                           "batch, harvest_date, ref, at_utc, note) "
                           "VALUES(?1, 'receive', ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                           &st)))
        return e;
    for (size_t i = 0; i < x->n && !e; i++) {
        const receipt_row *r = &x->rows[i];
        sqlite3_bind_text(st, 1, r->sku, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, r->m.qty);
        sqlite3_bind_int64(st, 3, r->m.grams);
        sqlite3_bind_int64(st, 4, r->m.cost_fen);
        sqlite3_bind_text(st, 5, r->m.supplier_id, -1, SQLITE_STATIC);
        store_bind_opt_text(st, 6, r->m.batch);
        store_bind_opt_text(st, 7, r->m.harvest_date);
        char ref[96];
        sqlite3_bind_text(st, 8, x->by_content ? x->ref : row_dnote_ref(r, ref, sizeof ref), -1,
                          SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 9, x->now_utc);
        sqlite3_bind_text(st, 10, r->m.note, -1, SQLITE_STATIC);
        e = store_step_reset(s, st);
    }
    sqlite3_finalize(st);
    if (e)
        return e;
    char detail[128];
    snprintf(detail, sizeof detail, "{\"rows\":%zu}", x->n);
    return audit_append(s, x->now_utc, "stock", "stock.receive", x->ref, detail);
}

store_err stock_receive_file(store *s, const char *path, ct_encoding enc, int64_t now_utc,
                             stock_receipt_summary *sum, errlist *el)
{
    ct_table t;
    receipt_row *rows = NULL;
    size_t n = 0, cap = 0;
    sqlite3_stmt *prod = NULL, *sup = NULL;
    store_err e = STORE_ERR_INVALID;
    size_t errors_before = el->total;
    memset(sum, 0, sizeof *sum);
    if (!ct_open(&t, path, enc, RCOLS, R_NCOLS, el))
        goto out;
    if (!ct_has(&t, R_QTY) && !ct_has(&t, R_GRAMS)) {
        err_add(el, path, 1, "header", "needs a qty or a grams column");
        goto out;
    }
    if (store_prepare(s, "SELECT by_weight FROM products WHERE sku = ?1", &prod) ||
        store_prepare(s, "SELECT kind FROM suppliers WHERE id = ?1", &sup)) {
        err_add(el, path, 0, "database", "%s", store_last_error(s));
        goto out;
    }
    int rc;
    size_t n_read = 0;
    while ((rc = ct_next(&t, el)) != 0) {
        if (rc < 0)
            continue;
        int line = ct_line(&t);
        if (++n_read > MAX_RECEIVE_ROWS) {
            err_add(el, path, line, "file", "more than %d lines: split the delivery",
                    MAX_RECEIVE_ROWS);
            goto out;
        }
        receipt_row r = {.line = line};
        bool ok = ct_take_text(el, path, line, "supplier_id", ct_field(&t, R_SUPPLIER),
                               r.m.supplier_id, sizeof r.m.supplier_id, true);
        ok &= ct_take_text(el, path, line, "sku", ct_field(&t, R_SKU), r.sku, sizeof r.sku, true);
        ok &= ct_take_text(el, path, line, "batch", ct_field(&t, R_BATCH), r.m.batch,
                           sizeof r.m.batch, false);
        ok &= ct_take_text(el, path, line, "note", ct_field(&t, R_NOTE), r.m.note,
                           sizeof r.m.note, false);
        if (ct_has(&t, R_DNOTE))
            ok &= ct_take_text(el, path, line, "delivery_note", ct_field(&t, R_DNOTE), r.dnote,
                               sizeof r.dnote, true);
        const char *v = ct_field(&t, R_HARVEST);
        if (v[0] && (strlen(v) != 10 || !bizday_valid_day(v))) {
            err_add(el, path, line, "harvest_date", "\"%.32s\" is not a date YYYY-MM-DD", v);
            ok = false;
        } else {
            snprintf(r.m.harvest_date, sizeof r.m.harvest_date, "%s", v);
        }
        v = ct_field(&t, R_COST);
        bool cost_ok = ct_parse_uint(v, MONEY_MAX_FEN, &r.m.cost_fen);
        if (!cost_ok) {
            err_add(el, path, line, "cost_fen",
                    "\"%.32s\" is not money: a whole number of fen >= 0 (¥12.80 is 1280)", v);
            ok = false;
        }
        const char *qty = ct_field(&t, R_QTY), *grams = ct_field(&t, R_GRAMS);
        bool have_qty = qty[0] && strcmp(qty, "0") != 0, have_grams = grams[0] && strcmp(grams, "0") != 0;
        if (qty[0] && !ct_parse_uint(qty, MAX_RECEIVE_QTY, &r.m.qty)) {
            err_add(el, path, line, "qty", "\"%.32s\" is not a whole number from 1 to %d", qty,
                    MAX_RECEIVE_QTY);
            ok = false;
        }
        if (grams[0] && !ct_parse_uint(grams, MAX_RECEIVE_GRAMS, &r.m.grams)) {
            err_add(el, path, line, "grams", "\"%.32s\" is not a whole number of grams from 1 to %d",
                    grams, MAX_RECEIVE_GRAMS);
            ok = false;
        }
        /* cost_fen is the line's; what one unit (or kg) cost must be a price a sale could
         * carry (money.h), or it becomes the booked cost of every gift after it. */
        if (cost_ok && have_qty && r.m.qty > 0 && r.m.cost_fen > r.m.qty * MONEY_PRICE_MAX_FEN) {
            err_add(el, path, line, "cost_fen",
                    "%lld fen for %lld units is more than %lld fen a unit (money.h's price bound)",
                    (long long)r.m.cost_fen, (long long)r.m.qty, (long long)MONEY_PRICE_MAX_FEN);
            ok = false;
        } else if (cost_ok && have_grams && r.m.grams > 0 &&
                   r.m.cost_fen * 1000 > r.m.grams * MONEY_PRICE_MAX_FEN) {
            err_add(el, path, line, "cost_fen",
                    "%lld fen for %lld g is more than %lld fen a kg (money.h's price bound)",
                    (long long)r.m.cost_fen, (long long)r.m.grams, (long long)MONEY_PRICE_MAX_FEN);
            ok = false;
        }
        if (have_qty == have_grams) {
            err_add(el, path, line, have_qty ? "grams" : "qty",
                    "give either qty (counted goods) or grams (weighed goods), not %s",
                    have_qty ? "both" : "neither");
            ok = false;
        }
        /* Against the database: the product must exist and be counted the way the line says;
         * the supplier must exist. */
        if (r.sku[0]) {
            sqlite3_bind_text(prod, 1, r.sku, -1, SQLITE_STATIC);
            int prc = sqlite3_step(prod);
            if (prc == SQLITE_DONE) {
                err_add(el, path, line, "sku", "unknown product %s", r.sku);
                ok = false;
            } else if (prc == SQLITE_ROW) {
                bool by_weight = sqlite3_column_int(prod, 0) != 0;
                if (ok && by_weight && have_qty) {
                    err_add(el, path, line, "qty", "%s is sold by weight: give grams", r.sku);
                    ok = false;
                } else if (ok && !by_weight && have_grams) {
                    err_add(el, path, line, "grams", "%s is counted goods: give qty", r.sku);
                    ok = false;
                }
            } else {
                err_add(el, path, line, "database", "%s", sqlite3_errmsg(store_db(s)));
                ok = false;
            }
            sqlite3_reset(prod);
        }
        if (r.m.supplier_id[0]) {
            sqlite3_bind_text(sup, 1, r.m.supplier_id, -1, SQLITE_STATIC);
            if (sqlite3_step(sup) != SQLITE_ROW) {
                err_add(el, path, line, "supplier_id", "unknown supplier %s", r.m.supplier_id);
                ok = false;
            }
            sqlite3_reset(sup);
        }
        if (!ok)
            continue;
        if (!store_grow((void **)&rows, &cap, n, sizeof *rows, 64)) {
            err_add(el, path, line, "row", "out of memory");
            goto out;
        }
        rows[n++] = r;
        sum->qty += r.m.qty;
        sum->grams += r.m.grams;
        sum->cost_fen += r.m.cost_fen;
    }
    if (el->total != errors_before || el->oom)
        goto out;
    if (n == 0) {
        err_add(el, path, ct_line(&t), "file", "no goods in the file");
        goto out;
    }
    /* The delivery's identity (see above): its notes, or its normalised content. */
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    receive_ctx x = {.rows = rows, .n = n, .ref = sum->ref, .now_utc = now_utc};
    char legacy[128], hex[SHA256_HEX_CAP], raw[SHA256_HEX_CAP];
    x.by_content = !ct_has(&t, R_DNOTE);
    if (x.by_content) {
        if (!content_hash(rows, n, hex)) {
            err_add(el, path, 0, "file", "out of memory");
            goto out;
        }
        snprintf(sum->ref, sizeof sum->ref, "receipt:%.16s:%.60s", hex, base);
        snprintf(x.lo, sizeof x.lo, "receipt:%.16s:", hex);
        snprintf(x.hi, sizeof x.hi, "receipt:%.16s;", hex);   /* ';' follows ':' */
        /* Before content identities, the ref was the file's name and raw bytes' hash. */
        sha256_hex(t.data, t.len, raw);
        snprintf(legacy, sizeof legacy, "receipt:%.60s:%.16s", base, raw);
        x.legacy_ref = legacy;
    } else {
        /* Rows of one note together, so each (supplier, note) is checked once. */
        qsort(rows, n, sizeof *rows, cmp_row_dnote);
        char first[96];
        size_t notes = 1;
        for (size_t i = 1; i < n; i++)
            notes += strcmp(rows[i].m.supplier_id, rows[i - 1].m.supplier_id) != 0 ||
                     strcmp(rows[i].dnote, rows[i - 1].dnote) != 0;
        row_dnote_ref(&rows[0], first, sizeof first);
        if (notes == 1)
            snprintf(sum->ref, sizeof sum->ref, "%s", first);
        else
            snprintf(sum->ref, sizeof sum->ref, "%.60s (+%zu notes)", first, notes - 1);
    }
    e = store_transaction(s, receive_tx, &x);
    if (e)
        err_add(el, path, 0, "receipt", "%s", store_last_error(s));
    else
        sum->rows = n;
out:
    sqlite3_finalize(prod);
    sqlite3_finalize(sup);
    ct_close(&t);
    free(rows);
    return el->total != errors_before ? (e ? e : STORE_ERR_INVALID) : e;
}

store_err stock_levels(store *s, const char *only_sku, stock_level **out, size_t *n_out)
{
    sqlite3_stmt *st = NULL;
    *out = NULL;
    *n_out = 0;
    /* The sums GROUP BY over the covering index stock_moves_level (sku, qty, grams), index-only;
     * the last move's time is looked up per sku through the same index.  One sku is a seek
     * into that index (a "?1 IS NULL OR" filter would scan all of it). */
#define LEVELS_SQL(where)                                                                       \
    "SELECT m.sku, coalesce(p.name, ''), coalesce(p.by_weight, 0), sum(m.qty), sum(m.grams), " \
    "count(*), (SELECT max(at_utc) FROM stock_moves x WHERE x.sku = m.sku) "                   \
    "FROM stock_moves m LEFT JOIN products p ON p.sku = m.sku " where                          \
    " GROUP BY m.sku ORDER BY m.sku"
    bool one = only_sku && only_sku[0];
    store_err e = store_prepare(s, one ? LEVELS_SQL("WHERE m.sku = ?1") : LEVELS_SQL(""), &st);
#undef LEVELS_SQL
    if (e)
        return e;
    if (one)
        sqlite3_bind_text(st, 1, only_sku, -1, SQLITE_STATIC);
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (!store_grow((void **)out, &cap, *n_out, sizeof **out, 64)) {
            sqlite3_finalize(st);
            free(*out);
            *out = NULL;
            *n_out = 0;
            return store_failf(s, STORE_ERR_INTERNAL, "out of memory");
        }
        stock_level *l = &(*out)[(*n_out)++];
        memset(l, 0, sizeof *l);
        store_column_text(st, 0, l->sku, sizeof l->sku);
        store_column_text(st, 1, l->name, sizeof l->name);
        l->by_weight = sqlite3_column_int(st, 2) != 0;
        l->qty = sqlite3_column_int64(st, 3);
        l->grams = sqlite3_column_int64(st, 4);
        l->moves = sqlite3_column_int64(st, 5);
        l->last_utc = sqlite3_column_int64(st, 6);
        l->negative = l->qty < 0 || l->grams < 0;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        free(*out);
        *out = NULL;
        *n_out = 0;
        return store_fail(s, rc);
    }
    return STORE_OK;
}

store_err stock_recent_moves(store *s, const char *sku, stock_move *out, size_t cap, size_t *n)
{
    sqlite3_stmt *st = NULL;
    *n = 0;
    store_err e = store_prepare(s,
                                "SELECT id, kind, qty, grams, cost_fen, supplier_id, batch, "
                                "harvest_date, ref, at_utc, note FROM stock_moves "
                                "WHERE sku = ?1 ORDER BY id DESC LIMIT ?2",
                                &st);
    if (e)
        return e;
    sqlite3_bind_text(st, 1, sku, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, (int64_t)cap);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && *n < cap) {
        stock_move *m = &out[(*n)++];
        memset(m, 0, sizeof *m);
        m->id = sqlite3_column_int64(st, 0);
        store_column_text(st, 1, m->kind, sizeof m->kind);
        m->qty = sqlite3_column_int64(st, 2);
        m->grams = sqlite3_column_int64(st, 3);
        m->cost_fen = sqlite3_column_int64(st, 4);
        store_column_text(st, 5, m->supplier_id, sizeof m->supplier_id);
        store_column_text(st, 6, m->batch, sizeof m->batch);
        store_column_text(st, 7, m->harvest_date, sizeof m->harvest_date);
        store_column_text(st, 8, m->ref, sizeof m->ref);
        m->at_utc = sqlite3_column_int64(st, 9);
        store_column_text(st, 10, m->note, sizeof m->note);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK : store_fail(s, rc);
}
