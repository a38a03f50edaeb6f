/* sales: committing and reading sale documents.  See sales.h. */
#include "db/sales.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/docstore.h"
#include "db/points.h"
#include "db/sha256.h"
#include "db/stars.h"
#include "db/store_internal.h"
#include "pos/core/json.h"

typedef struct {
    sale_doc *doc;
    const basket_void *voids;
    size_t n_voids;
    const char *fingerprint;   /* the caller's request (sale_requests), NULL: none */
} commit_ctx;

/* The document's JSON, as stored in sales.doc_json and sent in the outbox payload. */
static bool doc_json(const sale_doc *doc, strbuf *sb)
{
    json_writer w;
    strbuf_init(sb);
    json_writer_init(&w, sb, false);
    sale_to_json(doc, &w);
    return !sb->oom && sb->data;
}

/* The audit row's detail, into docstore's initialised buffer (docstore checks it for OOM). */
static void audit_detail(const sale_doc *doc, const basket_void *voids, size_t n_voids,
                         strbuf *sb)
{
    json_writer w;
    json_writer_init(&w, sb, false);
    json_begin_object(&w);
    json_kv_string(&w, "receipt_no", doc->receipt_no);
    json_kv_string(&w, "business_day", doc->business_day);
    json_kv_int(&w, "lines", (int64_t)doc->n_lines);
    json_kv_int(&w, "total_fen", doc->total_fen);
    json_kv_int(&w, "rounding_fen", doc->rounding_fen);
    json_kv_int(&w, "due_fen", doc->due_fen);
    json_kv_int(&w, "change_fen", doc->change_fen);
    json_key(&w, "tenders");
    json_begin_array(&w);
    for (size_t i = 0; i < doc->n_tenders; i++) {
        json_begin_object(&w);
        json_kv_string(&w, "kind", tender_kind_name(doc->tenders[i].kind));
        json_kv_int(&w, "amount_fen", doc->tenders[i].amount_fen);
        json_end_object(&w);
    }
    json_end_array(&w);
    json_key(&w, "voids");
    json_begin_array(&w);
    for (size_t i = 0; i < n_voids; i++) {
        json_begin_object(&w);
        json_kv_string(&w, "sku", voids[i].sku);
        json_kv_int(&w, "qty", voids[i].qty);
        json_kv_int(&w, "grams", voids[i].grams);
        json_kv_int(&w, "amount_fen", voids[i].amount_fen);
        json_end_object(&w);
    }
    json_end_array(&w);
    json_end_object(&w);
}

static const char SQL_FIND[] =
    "SELECT s.receipt_no, s.business_day, s.doc_json, r.fingerprint FROM sales s "
    "LEFT JOIN sale_requests r ON r.sale_uuid = s.uuid WHERE s.uuid = ?1";

/* Step 1: already stored?  *stored = true and doc gets the stored receipt number and day. */
static store_err find_committed(store *s, void *vctx, bool *stored)
{
    commit_ctx *c = vctx;
    sqlite3_stmt *st = NULL;
    store_err e = store_cached(s, SQL_FIND, &st);
    if (e)
        return e;
    store_bind_text(st, 1, c->doc->uuid);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        e = rc == SQLITE_DONE ? STORE_OK : store_fail(s, rc);
        sqlite3_reset(st);
        return e;
    }
    store_column_text(st, 0, c->doc->receipt_no, sizeof c->doc->receipt_no);
    store_column_text(st, 1, c->doc->business_day, sizeof c->doc->business_day);
    bool same;
    if (c->fingerprint) {
        /* A caller's request: the same request is the same sale, whatever it would price at
         * now; any other (or a sale made without a request) is not. */
        const char *fp = (const char *)sqlite3_column_text(st, 3);
        same = fp && strcmp(fp, c->fingerprint) == 0;
    } else {
        /* Same uuid must mean the same sale: a retry after a lost reply is fine, a different
         * sale reusing a uuid (a bug or a clash) must not be answered with someone else's
         * receipt. */
        strbuf sb;
        const char *stored_json = (const char *)sqlite3_column_text(st, 2);
        same = doc_json(c->doc, &sb) && stored_json && strcmp(sb.data, stored_json) == 0;
        strbuf_free(&sb);
    }
    sqlite3_reset(st);
    if (!same)
        return store_failf(s, STORE_ERR_CONSTRAINT,
                           c->fingerprint ? "sale id %s is already sale %s, made by another request"
                                          : "sale %s is already stored as %s with different content",
                           c->doc->uuid, c->doc->receipt_no);
    *stored = true;
    return STORE_OK;
}

/* Step 2: the sale names its own identity (the till that rang it up, its cashier). */
static store_err prepare_sale(store *s, void *vctx, docstore_id *id)
{
    (void)s;
    const sale_doc *d = ((commit_ctx *)vctx)->doc;
    snprintf(id->uuid, sizeof id->uuid, "%s", d->uuid);
    snprintf(id->actor, sizeof id->actor, "%s", d->cashier);
    snprintf(id->store_code, sizeof id->store_code, "%s", d->store_code);
    id->till_no = d->till_no;
    id->created_utc = d->created_utc;
    return STORE_OK;
}

/* Step 3: the receipt number, then the full check (numbers included). */
static store_err number_sale(store *s, void *vctx, const docstore_id *id)
{
    commit_ctx *c = vctx;
    sale_doc *d = c->doc;
    char why[256];
    snprintf(d->business_day, sizeof d->business_day, "%s", id->business_day);
    if (!sale_format_receipt_no(d->store_code, d->till_no, d->business_day, id->seq,
                                d->receipt_no, sizeof d->receipt_no))
        return store_failf(s, STORE_ERR_INVALID,
                           "cannot form a receipt number from %s / till %d / %s / %d",
                           d->store_code, d->till_no, d->business_day, id->seq);
    sale_err se = sale_check(d, true, why, sizeof why);
    if (se != SALE_OK)
        return store_failf(s, STORE_ERR_INVALID, "sale %s: %s: %s", d->uuid, sale_strerror(se), why);
    return STORE_OK;
}

static store_err render_sale(store *s, void *vctx, strbuf *payload, strbuf *detail)
{
    (void)s;
    commit_ctx *c = vctx;
    doc_json(c->doc, payload);
    audit_detail(c->doc, c->voids, c->n_voids, detail);
    return STORE_OK;
}

static const char SQL_SALE[] =
    "INSERT INTO sales(uuid, receipt_no, store_code, till_no, business_day, seq, created_utc, "
    "cashier, total_fen, rounding_fen, due_fen, change_fen, points_earned, points_redeemed, "
    "doc_json, member_id) "
    "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)";
static const char SQL_LINE[] =
    "INSERT INTO sale_lines(sale_uuid, line_no, sku, name, gtin13, qty, grams, "
    "unit_price_fen, amount_fen, discount_fen, poverty_relief, supplier_id) "
    "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)";
static const char SQL_TENDER[] =
    "INSERT INTO sale_tenders(sale_uuid, seq, kind, amount_fen, ref) VALUES(?1, ?2, ?3, ?4, ?5)";
static const char SQL_APPLIED[] =
    "INSERT INTO sale_applied(sale_uuid, seq, rule, label, amount_fen) VALUES(?1, ?2, ?3, ?4, ?5)";
static const char SQL_GIFT[] =
    "INSERT INTO sale_gifts(sale_uuid, seq, sku, qty, cost_fen) VALUES(?1, ?2, ?3, ?4, ?5)";
static const char SQL_REQUEST[] =
    "INSERT INTO sale_requests(sale_uuid, fingerprint) VALUES(?1, ?2)";
static const char SQL_MOVE[] =
    "INSERT INTO stock_moves(sku, kind, qty, grams, cost_fen, ref, at_utc) "
    "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)";

/* Step 4: the sale's rows, its stock moves and the member's points.  Statements are kept
 * prepared on the handle (store_cached): a till commits the same handful over and over. */
static store_err insert_sale_rows(store *s, void *vctx, const docstore_id *id, const char *json)
{
    commit_ctx *c = vctx;
    const sale_doc *d = c->doc;
    sqlite3_stmt *st = NULL;
    store_err e = store_cached(s, SQL_SALE, &st);
    if (e)
        return e;
    store_bind_text(st, 1, d->uuid);
    store_bind_text(st, 2, d->receipt_no);
    store_bind_text(st, 3, d->store_code);
    sqlite3_bind_int(st, 4, d->till_no);
    store_bind_text(st, 5, d->business_day);
    sqlite3_bind_int(st, 6, id->seq);
    sqlite3_bind_int64(st, 7, d->created_utc);
    store_bind_text(st, 8, d->cashier);
    sqlite3_bind_int64(st, 9, d->total_fen);
    sqlite3_bind_int64(st, 10, d->rounding_fen);
    sqlite3_bind_int64(st, 11, d->due_fen);
    sqlite3_bind_int64(st, 12, d->change_fen);
    sqlite3_bind_int64(st, 13, d->points_earned);
    sqlite3_bind_int64(st, 14, d->points_redeemed);
    store_bind_text(st, 15, json);
    store_bind_opt_text(st, 16, d->member_id);
    if ((e = store_step_reset(s, st)))
        return e;
    if (c->fingerprint) {
        if ((e = store_cached(s, SQL_REQUEST, &st)))
            return e;
        store_bind_text(st, 1, d->uuid);
        store_bind_text(st, 2, c->fingerprint);
        if ((e = store_step_reset(s, st)))
            return e;
    }

    if ((e = store_cached(s, SQL_LINE, &st)))
        return e;
    for (size_t i = 0; i < d->n_lines && !e; i++) {
        const sale_line *l = &d->lines[i];
        store_bind_text(st, 1, d->uuid);
        sqlite3_bind_int64(st, 2, (int64_t)i + 1);
        store_bind_text(st, 3, l->sku);
        store_bind_text(st, 4, l->name);
        store_bind_opt_text(st, 5, l->gtin13);
        sqlite3_bind_int64(st, 6, l->qty);
        sqlite3_bind_int64(st, 7, l->grams);
        sqlite3_bind_int64(st, 8, l->unit_price_fen);
        sqlite3_bind_int64(st, 9, l->amount_fen);
        sqlite3_bind_int64(st, 10, l->discount_fen);
        sqlite3_bind_int(st, 11, l->poverty_relief ? 1 : 0);
        store_bind_opt_text(st, 12, l->supplier_id);
        e = store_step_reset(s, st);
    }
    if (e || (e = store_cached(s, SQL_TENDER, &st)))
        return e;
    for (size_t i = 0; i < d->n_tenders && !e; i++) {
        store_bind_text(st, 1, d->uuid);
        sqlite3_bind_int64(st, 2, (int64_t)i + 1);
        store_bind_text(st, 3, tender_kind_name(d->tenders[i].kind));
        sqlite3_bind_int64(st, 4, d->tenders[i].amount_fen);
        store_bind_text(st, 5, d->tenders[i].ref);
        e = store_step_reset(s, st);
    }
    if (e || (d->n_applied && (e = store_cached(s, SQL_APPLIED, &st))))
        return e;
    for (size_t i = 0; i < d->n_applied && !e; i++) {
        store_bind_text(st, 1, d->uuid);
        sqlite3_bind_int64(st, 2, (int64_t)i + 1);
        store_bind_text(st, 3, d->applied[i].rule);
        store_bind_text(st, 4, d->applied[i].label);
        sqlite3_bind_int64(st, 5, d->applied[i].amount_fen);
        e = store_step_reset(s, st);
    }
    if (e || (d->n_gifts && (e = store_cached(s, SQL_GIFT, &st))))
        return e;
    for (size_t i = 0; i < d->n_gifts && !e; i++) {
        store_bind_text(st, 1, d->uuid);
        sqlite3_bind_int64(st, 2, (int64_t)i + 1);
        store_bind_text(st, 3, d->gifts[i].sku);
        sqlite3_bind_int64(st, 4, d->gifts[i].qty);
        sqlite3_bind_int64(st, 5, d->gifts[i].cost_fen);
        e = store_step_reset(s, st);
    }
    if (e)
        return e;

    /* Stock moves ride in the sale's transaction too: the derived level can never disagree
     * with the sales.  Negative stock is allowed on purpose -- a till never refuses a real
     * sale because the books are behind the shelf; `stock show` reports it instead.  Weighed
     * lines move grams, counted lines and gifts move units.  A gift move carries the gift's
     * cost (what the shop gave away, for the margin report); sale moves carry none, as before
     * (their cost is the receipts'). */
    if ((e = store_cached(s, SQL_MOVE, &st)))
        return e;
    for (size_t i = 0; i < d->n_lines + d->n_gifts && !e; i++) {
        bool gift = i >= d->n_lines;
        const char *sku = gift ? d->gifts[i - d->n_lines].sku : d->lines[i].sku;
        int64_t qty = gift ? d->gifts[i - d->n_lines].qty : d->lines[i].qty;
        int64_t grams = gift ? 0 : d->lines[i].grams;
        store_bind_text(st, 1, sku);
        store_bind_text(st, 2, gift ? "gift" : "sale");
        sqlite3_bind_int64(st, 3, grams > 0 ? 0 : -qty);
        sqlite3_bind_int64(st, 4, -grams);
        sqlite3_bind_int64(st, 5, gift ? d->gifts[i - d->n_lines].cost_fen : 0);
        store_bind_text(st, 6, d->uuid);
        sqlite3_bind_int64(st, 7, d->created_utc);
        e = store_step_reset(s, st);
    }
    if (e)
        return e;
    /* The member's points (redeem, earn) and star-board month ride in the sale's transaction
     * (db/points.c, db/stars.c). */
    if ((e = points_commit_sale(s, d)))
        return e;
    return stars_record_sale(s, d);
}

static const docstore_ops SALE_OPS = {
    .kind = "sale",
    .audit_event = "sale.commit",
    .seq_sql = DOCSTORE_SEQ_SQL("sales"),
    .find = find_committed,
    .prepare = prepare_sale,
    .number = number_sale,
    .render = render_sale,
    .rows = insert_sale_rows,
};

store_err sales_commit(store *s, sale_doc *doc, const basket_void *voids, size_t n_voids,
                       char *msg, size_t msg_cap)
{
    return sales_commit_request(s, doc, NULL, voids, n_voids, NULL, msg, msg_cap);
}

/* A request fingerprint is a SHA-256 in hex (pos/app/cmd_sell.c makes it with db/sha256). */
_Static_assert(SALES_REQUEST_FP_CAP == SHA256_HEX_CAP, "a request fingerprint is SHA-256 hex");

bool sales_request_fp_valid(const char *fp)
{
    size_t n = 0;
    if (!fp)
        return false;
    for (; fp[n]; n++)
        if (!((fp[n] >= '0' && fp[n] <= '9') || (fp[n] >= 'a' && fp[n] <= 'f')))
            return false;
    return n == SALES_REQUEST_FP_CAP - 1;
}

store_err sales_commit_request(store *s, sale_doc *doc, const char *fingerprint,
                               const basket_void *voids, size_t n_voids, bool *stored,
                               char *msg, size_t msg_cap)
{
    char why[256];
    if (stored)
        *stored = false;
    if (msg && msg_cap)
        msg[0] = '\0';
    if (!s || !doc || (n_voids > 0 && !voids)) {
        store_set_msg(msg, msg_cap, "sales_commit: missing argument");
        return STORE_ERR_INVALID;
    }
    if (fingerprint && !sales_request_fp_valid(fingerprint)) {
        store_set_msg(msg, msg_cap, "sales_commit: a request fingerprint is 64 lowercase hex digits");
        return STORE_ERR_INVALID;
    }
    char saved_day[sizeof doc->business_day];
    memcpy(saved_day, doc->business_day, sizeof saved_day);
    doc->receipt_no[0] = '\0';

    /* Check the figures before taking any lock: a bad document never costs a transaction. */
    sale_err se = sale_check(doc, false, why, sizeof why);
    if (se == SALE_OK && !sale_uuid_valid(doc->uuid)) {
        se = SALE_ERR_IDENTITY;
        snprintf(why, sizeof why, "uuid \"%.40s\" is not a v4 UUID", doc->uuid);
    }
    if (se != SALE_OK) {
        store_set_msg(msg, msg_cap, "%s: %s", sale_strerror(se), why);
        return STORE_ERR_INVALID;
    }
    commit_ctx c = {doc, voids, n_voids, fingerprint};
    store_err e = docstore_commit(s, &SALE_OPS, &c, stored);
    if (e != STORE_OK) {
        doc->receipt_no[0] = '\0';
        memcpy(doc->business_day, saved_day, sizeof saved_day);
        store_copy_error(s, msg, msg_cap);
    }
    return e;
}

static const char SQL_REQUEST_FP[] =
    "SELECT coalesce(r.fingerprint, '') FROM sales s "
    "LEFT JOIN sale_requests r ON r.sale_uuid = s.uuid WHERE s.uuid = ?1";

store_err sales_request_fingerprint(store *s, const char *uuid, char fp[SALES_REQUEST_FP_CAP])
{
    if (!s || !uuid || !fp)
        return STORE_ERR_INVALID;
    fp[0] = '\0';
    sqlite3_stmt *st = NULL;
    store_err e = store_cached(s, SQL_REQUEST_FP, &st);
    if (e)
        return e;
    store_bind_text(st, 1, uuid);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        store_column_text(st, 0, fp, SALES_REQUEST_FP_CAP);
        e = STORE_OK;
    } else {
        e = rc == SQLITE_DONE ? store_failf(s, STORE_ERR_NOT_FOUND, "no sale %s", uuid)
                              : store_fail(s, rc);
    }
    sqlite3_reset(st);
    return e;
}

store_err sales_load(store *s, const char *key, sale_doc *out)
{
    sqlite3_stmt *st = NULL;
    store_err e;
    if (!s || !key || !out)
        return STORE_ERR_INVALID;
    memset(out, 0, sizeof *out);
    if ((e = store_prepare(s,
                           "SELECT uuid, receipt_no, business_day, store_code, till_no, cashier, "
                           "created_utc, total_fen, rounding_fen, due_fen, change_fen, "
                           "points_earned, points_redeemed, coalesce(member_id, '') FROM sales "
                           "WHERE receipt_no = ?1 OR uuid = ?1",
                           &st)))
        return e;
    store_bind_text(st, 1, key);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        e = rc == SQLITE_DONE ? store_failf(s, STORE_ERR_NOT_FOUND, "no sale %s", key)
                              : store_fail(s, rc);
        sqlite3_finalize(st);
        return e;
    }
    store_column_text(st, 0, out->uuid, sizeof out->uuid);
    store_column_text(st, 1, out->receipt_no, sizeof out->receipt_no);
    store_column_text(st, 2, out->business_day, sizeof out->business_day);
    store_column_text(st, 3, out->store_code, sizeof out->store_code);
    out->till_no = sqlite3_column_int(st, 4);
    store_column_text(st, 5, out->cashier, sizeof out->cashier);
    out->created_utc = sqlite3_column_int64(st, 6);
    out->total_fen = sqlite3_column_int64(st, 7);
    out->rounding_fen = sqlite3_column_int64(st, 8);
    out->due_fen = sqlite3_column_int64(st, 9);
    out->change_fen = sqlite3_column_int64(st, 10);
    out->points_earned = sqlite3_column_int64(st, 11);
    out->points_redeemed = sqlite3_column_int64(st, 12);
    store_column_text(st, 13, out->member_id, sizeof out->member_id);
    sqlite3_finalize(st);

    /* Children, each bounded by the document's array sizes: a row beyond them means the file
     * was not written by us. */
    if ((e = store_prepare(s,
                           "SELECT sku, name, gtin13, qty, grams, unit_price_fen, amount_fen, "
                           "discount_fen, poverty_relief, supplier_id FROM sale_lines "
                           "WHERE sale_uuid = ?1 ORDER BY line_no",
                           &st)))
        return e;
    store_bind_text(st, 1, out->uuid);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (out->n_lines == BASKET_MAX_LINES) {
            rc = SQLITE_CORRUPT;
            break;
        }
        sale_line *l = &out->lines[out->n_lines++];
        store_column_text(st, 0, l->sku, sizeof l->sku);
        store_column_text(st, 1, l->name, sizeof l->name);
        store_column_text(st, 2, l->gtin13, sizeof l->gtin13);
        l->qty = sqlite3_column_int64(st, 3);
        l->grams = sqlite3_column_int64(st, 4);
        l->unit_price_fen = sqlite3_column_int64(st, 5);
        l->amount_fen = sqlite3_column_int64(st, 6);
        l->discount_fen = sqlite3_column_int64(st, 7);
        l->poverty_relief = sqlite3_column_int(st, 8) != 0;
        store_column_text(st, 9, l->supplier_id, sizeof l->supplier_id);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        goto bad;

    if ((e = store_prepare(s,
                           "SELECT kind, amount_fen, ref FROM sale_tenders WHERE sale_uuid = ?1 "
                           "ORDER BY seq",
                           &st)))
        return e;
    store_bind_text(st, 1, out->uuid);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (out->n_tenders == BASKET_MAX_TENDERS) {
            rc = SQLITE_CORRUPT;
            break;
        }
        sale_tender *t = &out->tenders[out->n_tenders++];
        const char *kind = (const char *)sqlite3_column_text(st, 0);
        if (!kind || !tender_kind_parse(kind, &t->kind)) {
            rc = SQLITE_CORRUPT;
            break;
        }
        t->amount_fen = sqlite3_column_int64(st, 1);
        store_column_text(st, 2, t->ref, sizeof t->ref);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        goto bad;

    if ((e = store_prepare(s,
                           "SELECT rule, label, amount_fen FROM sale_applied WHERE sale_uuid = ?1 "
                           "ORDER BY seq",
                           &st)))
        return e;
    store_bind_text(st, 1, out->uuid);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (out->n_applied == SALE_MAX_APPLIED) {
            rc = SQLITE_CORRUPT;
            break;
        }
        sale_applied *a = &out->applied[out->n_applied++];
        store_column_text(st, 0, a->rule, sizeof a->rule);
        store_column_text(st, 1, a->label, sizeof a->label);
        a->amount_fen = sqlite3_column_int64(st, 2);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        goto bad;

    if ((e = store_prepare(s,
                           "SELECT sku, qty, cost_fen FROM sale_gifts WHERE sale_uuid = ?1 "
                           "ORDER BY seq",
                           &st)))
        return e;
    store_bind_text(st, 1, out->uuid);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (out->n_gifts == SALE_MAX_GIFTS) {
            rc = SQLITE_CORRUPT;
            break;
        }
        sale_gift *g = &out->gifts[out->n_gifts++];
        store_column_text(st, 0, g->sku, sizeof g->sku);
        g->qty = sqlite3_column_int64(st, 1);
        g->cost_fen = sqlite3_column_int64(st, 2);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        goto bad;
    return STORE_OK;

bad:
    if (rc == SQLITE_CORRUPT)
        return store_failf(s, STORE_ERR_CORRUPT, "sale %s: stored rows do not form a document",
                           key);
    return store_fail(s, rc);
}


int64_t sales_count(store *s) { return store_count(s, "SELECT count(*) FROM sales"); }
