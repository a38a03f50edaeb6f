/* stock: see stock.h. */
#include "db/stock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/audit.h"
#include "db/sha256.h"
#include "db/store_internal.h"
#include "pos/core/bizday.h"

/* A single receipt line: a lorry of rice is ~10,000 bags, a harvest ~10 t. */
#define MAX_RECEIVE_QTY 100000
#define MAX_RECEIVE_GRAMS 100000000

enum { R_SUPPLIER, R_SKU, R_QTY, R_GRAMS, R_COST, R_BATCH, R_HARVEST, R_NOTE, R_NCOLS };
static const ct_column RCOLS[R_NCOLS] = {
    {"supplier_id", true}, {"sku", true},   {"qty", false},          {"grams", false},
    {"cost_fen", true},    {"batch", false}, {"harvest_date", false}, {"note", false},
};

typedef struct {
    stock_move m;
    char sku[PRODUCT_SKU_CAP];
    int line;
} receipt_row;

typedef struct {
    receipt_row *rows;
    size_t n;
    const char *ref;
    int64_t now_utc;
} receive_ctx;

static store_err receive_tx(store *s, void *vctx)
{
    receive_ctx *x = vctx;
    sqlite3_stmt *st = NULL;
    /* Checked again under the write lock: two purchasers receiving the same file at once must
     * not both get in. */
    store_err e = store_prepare(s, "SELECT count(*) FROM stock_moves WHERE ref = ?1", &st);
    if (e)
        return e;
    sqlite3_bind_text(st, 1, x->ref, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    int64_t already = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    if (already < 0)
        return store_fail(s, rc);
    if (already > 0)
        return store_failf(s, STORE_ERR_CONSTRAINT,
                           "this receipt was already received (%s): nothing written", x->ref);
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
        sqlite3_bind_text(st, 8, x->ref, -1, SQLITE_STATIC);
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
    while ((rc = ct_next(&t, el)) != 0) {
        if (rc < 0)
            continue;
        int line = ct_line(&t);
        receipt_row r = {.line = line};
        bool ok = ct_take_text(el, path, line, "supplier_id", ct_field(&t, R_SUPPLIER),
                               r.m.supplier_id, sizeof r.m.supplier_id, true);
        ok &= ct_take_text(el, path, line, "sku", ct_field(&t, R_SKU), r.sku, sizeof r.sku, true);
        ok &= ct_take_text(el, path, line, "batch", ct_field(&t, R_BATCH), r.m.batch,
                           sizeof r.m.batch, false);
        ok &= ct_take_text(el, path, line, "note", ct_field(&t, R_NOTE), r.m.note,
                           sizeof r.m.note, false);
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
    /* The receipt's identity is its content: the same file received twice is refused. */
    char hex[SHA256_HEX_CAP];
    sha256_hex(t.data, t.len, hex);
    const char *base = strrchr(path, '/');
    snprintf(sum->ref, sizeof sum->ref, "receipt:%.60s:%.16s", base ? base + 1 : path, hex);
    receive_ctx x = {rows, n, sum->ref, now_utc};
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
