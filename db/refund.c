/* refund: returns against a committed sale.  See refund.h and docs/REFUNDS.md. */
#include "db/refund.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/docstore.h"
#include "db/osrand.h"
#include "db/points.h"
#include "db/sales.h"
#include "db/stars.h"
#include "db/store_internal.h"
#include "pos/core/json.h"
#include "pos/core/points.h"

#define COPY(dst, src) snprintf((dst), sizeof(dst), "%s", (src))

/* floor(total × done / q): a line's cumulative share after `done` of its q units.  Floor of a
 * cumulative share (not a per-refund rounding) is what makes 1+1+1 == 3 and the last unit
 * take whatever is left; the same formula as pos/core/points.c, so the money and the points
 * of a refund are cut at the same places. */
static int64_t cum_share(int64_t total, int64_t done, int64_t q)
{
    return (int64_t)((__int128)total * done / q);
}

/* ------------------------------------------------------------------ the document */

void refund_to_json(const refund_doc *d, json_writer *w)
{
    json_begin_object(w);
    json_kv_string(w, "uuid", d->uuid);
    json_kv_string(w, "refund_no", d->refund_no);
    json_kv_string(w, "business_day", d->business_day);
    json_kv_string(w, "sale_uuid", d->sale_uuid);
    json_kv_string(w, "receipt_no", d->sale_receipt_no);
    json_kv_string(w, "approved_by", d->approved_by);
    json_kv_int(w, "created_utc", d->created_utc);
    json_key(w, "lines");
    json_begin_array(w);
    for (size_t i = 0; i < d->n_lines; i++) {
        const refund_line *l = &d->lines[i];
        json_begin_object(w);
        json_kv_int(w, "line_no", l->line_no);
        json_kv_string(w, "sku", l->sku);
        json_kv_string(w, "name", l->name);
        json_kv_int(w, "qty", l->qty);
        json_kv_int(w, "grams", l->grams);
        json_kv_int(w, "amount_fen", l->amount_fen);
        json_kv_bool(w, "poverty_relief", l->poverty_relief);
        json_kv_string(w, "supplier_id", l->supplier_id);
        json_end_object(w);
    }
    json_end_array(w);
    json_kv_int(w, "lines_fen", d->lines_fen);
    json_kv_int(w, "rounding_fen", d->rounding_fen);
    json_kv_int(w, "total_fen", d->total_fen);
    json_key(w, "tenders");
    json_begin_array(w);
    for (size_t i = 0; i < d->n_tenders; i++) {
        json_begin_object(w);
        json_kv_string(w, "kind", tender_kind_name(d->tenders[i].kind));
        json_kv_int(w, "amount_fen", d->tenders[i].amount_fen);
        json_end_object(w);
    }
    json_end_array(w);
    json_kv_string(w, "member_id", d->member_id);
    json_kv_int(w, "points_reversed", d->points_reversed);
    json_kv_int(w, "points_returned", d->points_returned);
    json_kv_int(w, "points_shortfall", d->points_shortfall);
    json_kv_bool(w, "points_clamped", d->points_clamped);
    json_kv_bool(w, "sale_complete", d->sale_complete);
    json_end_object(w);
}

static bool doc_json(const refund_doc *d, strbuf *sb)
{
    json_writer w;
    strbuf_init(sb);
    json_writer_init(&w, sb, false);
    refund_to_json(d, &w);
    return !sb->oom && sb->data;
}

/* ------------------------------------------------------------------ the transaction */

typedef struct {
    const char *key;
    const char *uuid;                      /* the caller's refund id, or NULL: a random one */
    const refund_request_line *req;
    size_t n_req;
    refund_doc *out;
    sale_doc *sale;                        /* heap: a sale_doc is large */
    int64_t refunded[BASKET_MAX_LINES];    /* units of each line refunded before */
    int64_t now_qty[BASKET_MAX_LINES];     /* units of each line refunded now */
} refund_ctx;

/* Units of each line refunded by earlier refunds (read under the write lock). */
static store_err load_refunded(store *s, const sale_doc *sale, int64_t *refunded)
{
    sqlite3_stmt *st = NULL;
    store_err e = store_prepare(s,
                                "SELECT line_no, sum(qty) FROM refund_lines WHERE sale_uuid = ?1 "
                                "GROUP BY line_no",
                                &st);
    if (e)
        return e;
    sqlite3_bind_text(st, 1, sale->uuid, -1, SQLITE_STATIC);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t line_no = sqlite3_column_int64(st, 0);
        if (line_no < 1 || (size_t)line_no > sale->n_lines) {
            rc = SQLITE_CORRUPT;
            break;
        }
        refunded[line_no - 1] = sqlite3_column_int64(st, 1);
    }
    e = rc == SQLITE_DONE ? STORE_OK : store_fail(s, rc);
    sqlite3_finalize(st);
    return e;
}

/* Money already refunded per tender kind by earlier refunds of this sale. */
static store_err load_refunded_tenders(store *s, const char *sale_uuid, fen_t *by_kind)
{
    sqlite3_stmt *st = NULL;
    store_err e = store_prepare(s,
                                "SELECT t.kind, sum(t.amount_fen) FROM refund_tenders t "
                                "JOIN refunds r ON r.uuid = t.refund_uuid "
                                "WHERE r.sale_uuid = ?1 GROUP BY t.kind",
                                &st);
    if (e)
        return e;
    sqlite3_bind_text(st, 1, sale_uuid, -1, SQLITE_STATIC);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        tender_kind k;
        const char *name = (const char *)sqlite3_column_text(st, 0);
        if (!name || !tender_kind_parse(name, &k)) {
            rc = SQLITE_CORRUPT;
            break;
        }
        by_kind[k] = sqlite3_column_int64(st, 1);
    }
    e = rc == SQLITE_DONE ? STORE_OK : store_fail(s, rc);
    sqlite3_finalize(st);
    return e;
}

/* Points: what this refund takes back and gives back (pos/core/points.h), for a member sale.
 * The per-line earned points are not stored with the sale (only the sale's total is), so they
 * are re-derived the way points_earn hands them out: the sale's points spread over the lines
 * by net, largest remainder.  A promotion multiplier on some lines is not recorded per line,
 * so with one the per-line split is an approximation -- the total taken back over all refunds
 * of a sale is still exactly what it earned (docs/REFUNDS.md). */
static store_err calc_points(store *s, const sale_doc *sale, const int64_t *refunded,
                             const int64_t *now_qty, fen_t points_paid_fen, points_refund *pr)
{
    size_t n = sale->n_lines;
    points_refund_line pl[POINTS_MAX_LINES];
    fen_t net[POINTS_MAX_LINES], earned[POINTS_MAX_LINES];
    fen_t net_sum = 0;
    if (n > POINTS_MAX_LINES)
        return store_failf(s, STORE_ERR_INVALID, "sale %s has too many lines", sale->uuid);
    for (size_t i = 0; i < n; i++) {
        net[i] = sale->lines[i].amount_fen - sale->lines[i].discount_fen;
        net_sum += net[i];
        earned[i] = 0;
    }
    /* An anonymous sale's points_earned is informational: nobody was credited, so nothing is
     * taken back. */
    int64_t sale_earned = sale->member_id[0] ? sale->points_earned : 0;
    if (sale_earned > 0 && net_sum > 0 && !money_spread(sale_earned, net, n, earned))
        return store_failf(s, STORE_ERR_INTERNAL, "cannot spread the points of sale %s",
                           sale->uuid);
    for (size_t i = 0; i < n; i++) {
        pl[i] = (points_refund_line){
            .net_fen = net[i],
            .qty = sale->lines[i].qty,
            .points_earned = earned[i],
            .refunded_qty = refunded[i],
            .refund_qty = now_qty[i],
        };
    }
    int64_t balance = 0;
    if (sale->member_id[0]) {
        store_err e = points_balance(s, sale->member_id, &balance);
        if (e)
            return e;
        if (balance < 0)
            balance = 0;
    }
    int64_t redeemed = sale->member_id[0] ? sale->points_redeemed : 0;
    points_err pe = points_refund_calc(pl, n, redeemed, points_paid_fen, balance, pr);
    if (pe != POINTS_OK)
        return store_failf(s, STORE_ERR_INVALID, "sale %s: points of the refund: %s", sale->uuid,
                           points_strerror(pe));
    return STORE_OK;
}

static const char SQL_REFUND[] =
    "INSERT INTO refunds(uuid, refund_no, store_code, till_no, business_day, seq, sale_uuid, "
    "created_utc, approved_by, lines_fen, rounding_fen, total_fen, member_id, points_reversed, "
    "points_returned, points_shortfall, doc_json) "
    "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)";
static const char SQL_LINE[] =
    "INSERT INTO refund_lines(refund_uuid, sale_uuid, line_no, qty, grams, amount_fen) "
    "VALUES(?1, ?2, ?3, ?4, ?5, ?6)";
static const char SQL_TENDER[] =
    "INSERT INTO refund_tenders(refund_uuid, seq, kind, amount_fen) VALUES(?1, ?2, ?3, ?4)";
static const char SQL_MOVE[] =
    "INSERT INTO stock_moves(sku, kind, qty, grams, ref, at_utc, note) "
    "VALUES(?1, 'refund', ?2, ?3, ?4, ?5, ?6)";

/* The refund's rows, its stock moves and the member's points.  Statements are kept prepared on
 * the handle (store_cached), as the sale's are. */
static store_err insert_refund_rows(store *s, void *vctx, const docstore_id *id, const char *json)
{
    refund_ctx *c = vctx;
    const refund_doc *d = c->out;
    const sale_doc *sale = c->sale;
    int seq = id->seq;
    sqlite3_stmt *st = NULL;
    store_err e = store_cached(s, SQL_REFUND, &st);
    if (e)
        return e;
    sqlite3_bind_text(st, 1, d->uuid, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, d->refund_no, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, d->store_code, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 4, d->till_no);
    sqlite3_bind_text(st, 5, d->business_day, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 6, seq);
    sqlite3_bind_text(st, 7, d->sale_uuid, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 8, d->created_utc);
    sqlite3_bind_text(st, 9, d->approved_by, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 10, d->lines_fen);
    sqlite3_bind_int64(st, 11, d->rounding_fen);
    sqlite3_bind_int64(st, 12, d->total_fen);
    store_bind_opt_text(st, 13, d->member_id);
    sqlite3_bind_int64(st, 14, d->points_reversed);
    sqlite3_bind_int64(st, 15, d->points_returned);
    sqlite3_bind_int64(st, 16, d->points_shortfall);
    sqlite3_bind_text(st, 17, json, -1, SQLITE_STATIC);
    if ((e = store_step_reset(s, st)) || (e = store_cached(s, SQL_LINE, &st)))
        return e;
    for (size_t i = 0; i < d->n_lines && !e; i++) {
        const refund_line *l = &d->lines[i];
        sqlite3_bind_text(st, 1, d->uuid, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, d->sale_uuid, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 3, l->line_no);
        sqlite3_bind_int64(st, 4, l->qty);
        sqlite3_bind_int64(st, 5, l->grams);
        sqlite3_bind_int64(st, 6, l->amount_fen);
        e = store_step_reset(s, st);
    }
    if (e || (e = store_cached(s, SQL_TENDER, &st)))
        return e;
    for (size_t i = 0; i < d->n_tenders && !e; i++) {
        sqlite3_bind_text(st, 1, d->uuid, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, (int64_t)i + 1);
        sqlite3_bind_text(st, 3, tender_kind_name(d->tenders[i].kind), -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 4, d->tenders[i].amount_fen);
        e = store_step_reset(s, st);
    }
    if (e)
        return e;

    /* Goods come back on the shelf in the same transaction, so the stock level never
     * disagrees with the refunds.  Counted lines move units, weighed lines grams.  The sale's
     * gifts (满赠) come back with the refund that completes the sale: the gift was given for
     * the whole purchase (docs/REFUNDS.md). */
    if ((e = store_cached(s, SQL_MOVE, &st)))
        return e;
    size_t n_gifts = d->sale_complete ? sale->n_gifts : 0;
    for (size_t i = 0; i < d->n_lines + n_gifts && !e; i++) {
        bool gift = i >= d->n_lines;
        const char *sku = gift ? sale->gifts[i - d->n_lines].sku : d->lines[i].sku;
        int64_t qty = gift ? sale->gifts[i - d->n_lines].qty : d->lines[i].qty;
        int64_t grams = gift ? 0 : d->lines[i].grams;
        sqlite3_bind_text(st, 1, sku, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, grams > 0 ? 0 : qty);
        sqlite3_bind_int64(st, 3, grams);
        sqlite3_bind_text(st, 4, d->uuid, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 5, d->created_utc);
        sqlite3_bind_text(st, 6, gift ? "gift returned" : d->refund_no, -1, SQLITE_STATIC);
        e = store_step_reset(s, st);
    }
    if (e)
        return e;

    /* Points.  The returned (redeemed) points go in first: points_refund_calc counted them as
     * available for the take-back, and the journal's no-negative trigger sees the rows in
     * order. */
    if (d->member_id[0]) {
        points_entry p = {0};
        COPY(p.member_id, d->member_id);
        COPY(p.sale_uuid, d->sale_uuid);
        p.at_utc = d->created_utc;
        if (d->points_returned > 0) {
            p.kind = POINTS_ENTRY_ADJUST;
            p.points = d->points_returned;
            snprintf(p.reason, sizeof p.reason, "refund %s: redeemed points returned",
                     d->refund_no);
            if ((e = points_append(s, &p)))
                return e;
        }
        if (d->points_reversed > 0) {
            p.kind = POINTS_ENTRY_REVERSE;
            p.points = -d->points_reversed;
            snprintf(p.reason, sizeof p.reason, "refund %s", d->refund_no);
            if ((e = points_append(s, &p)))
                return e;
        }
    }
    /* The star board nets refunds in the month of the sale: recompute that member's month. */
    return stars_refresh(s, sale->member_id, sale->business_day);
}

/* Build the document under the write lock: everything that decides what may be refunded is
 * read inside this transaction. */
static store_err prepare_refund(store *s, void *ctx, docstore_id *id)
{
    refund_ctx *c = ctx;
    refund_doc *d = c->out;
    sale_doc *sale = c->sale;
    int64_t *refunded = c->refunded, *now_qty = c->now_qty;
    store_err e;

    if ((e = sales_load(s, c->key, sale)))
        return e;
    size_t n = sale->n_lines;
    if ((e = load_refunded(s, sale, refunded)))
        return e;

    /* What is asked for, checked against what was sold minus what earlier refunds took. */
    if (c->n_req == 0) {
        bool any = false;
        for (size_t i = 0; i < n; i++) {
            now_qty[i] = sale->lines[i].qty - refunded[i];
            any = any || now_qty[i] > 0;
        }
        if (!any)
            return store_failf(s, STORE_ERR_INVALID, "sale %s is already fully refunded",
                               sale->receipt_no);
    } else {
        for (size_t i = 0; i < c->n_req; i++) {
            const refund_request_line *r = &c->req[i];
            if (r->line_no < 1 || (size_t)r->line_no > n)
                return store_failf(s, STORE_ERR_INVALID, "sale %s has no line %d (it has %zu)",
                                   sale->receipt_no, r->line_no, n);
            if (r->qty < 1)
                return store_failf(s, STORE_ERR_INVALID, "line %d: quantity must be at least 1",
                                   r->line_no);
            if (now_qty[r->line_no - 1] > 0)
                return store_failf(s, STORE_ERR_INVALID, "line %d is named twice", r->line_no);
            now_qty[r->line_no - 1] = r->qty;
        }
        for (size_t i = 0; i < n; i++) {
            const sale_line *l = &sale->lines[i];
            if (!now_qty[i])
                continue;
            int64_t left = l->qty - refunded[i];
            if (left <= 0)
                return store_failf(s, STORE_ERR_INVALID, "line %zu (%s) is already refunded",
                                   i + 1, l->name);
            if (l->grams > 0 && now_qty[i] != l->qty)
                return store_failf(s, STORE_ERR_INVALID,
                                   "line %zu (%s) is weighed: it is refunded whole (qty %lld)",
                                   i + 1, l->name, (long long)l->qty);
            if (now_qty[i] > left)
                return store_failf(s, STORE_ERR_INVALID,
                                   "line %zu (%s): %lld asked, only %lld of %lld left to refund",
                                   i + 1, l->name, (long long)now_qty[i], (long long)left,
                                   (long long)l->qty);
        }
    }

    if (c->uuid) {
        COPY(d->uuid, c->uuid);
    } else {
        uint8_t rnd[16];
        if (!os_random_bytes(rnd, sizeof rnd))
            return store_failf(s, STORE_ERR_IO, "no OS random source for the refund id");
        sale_format_uuid_v4(rnd, d->uuid);
    }
    /* Numbered under the till's own identity (docstore fills it from the settings). */
    COPY(id->uuid, d->uuid);
    COPY(id->actor, d->approved_by);
    id->created_utc = d->created_utc;
    return STORE_OK;
}

/* The number known: the refund's figures -- lines, rounding, tenders, points. */
static store_err number_refund(store *s, void *ctx, const docstore_id *id)
{
    refund_ctx *c = ctx;
    refund_doc *d = c->out;
    const sale_doc *sale = c->sale;
    const int64_t *refunded = c->refunded, *now_qty = c->now_qty;
    size_t n = sale->n_lines;
    store_err e;

    COPY(d->store_code, id->store_code);
    d->till_no = id->till_no;
    COPY(d->business_day, id->business_day);
    COPY(d->sale_uuid, sale->uuid);
    COPY(d->sale_receipt_no, sale->receipt_no);
    COPY(d->member_id, sale->member_id);
    int seq = id->seq;
    if (seq > 9999) /* R + 4 digits; a till does not refund 10,000 times a day */
        return store_failf(s, STORE_ERR_INVALID, "too many refunds on %s", d->business_day);
    int w = snprintf(d->refund_no, sizeof d->refund_no, "%s-%d-%.4s%.2s%.2s-R%04d",
                     d->store_code, d->till_no, d->business_day, d->business_day + 5,
                     d->business_day + 8, seq);
    if (w < 0 || (size_t)w >= sizeof d->refund_no)
        return store_failf(s, STORE_ERR_INVALID, "cannot form a refund number");

    /* Lines: cumulative shares of the net. */
    bool complete = true;
    d->n_lines = 0;
    d->lines_fen = 0;
    for (size_t i = 0; i < n; i++) {
        const sale_line *l = &sale->lines[i];
        if (refunded[i] + now_qty[i] < l->qty)
            complete = false;
        if (!now_qty[i])
            continue;
        fen_t net = l->amount_fen - l->discount_fen;
        refund_line *rl = &d->lines[d->n_lines++];
        rl->line_no = (int)i + 1;
        COPY(rl->sku, l->sku);
        COPY(rl->name, l->name);
        COPY(rl->supplier_id, l->supplier_id);
        rl->qty = now_qty[i];
        rl->grams = l->grams;
        rl->poverty_relief = l->poverty_relief;
        rl->amount_fen = cum_share(net, refunded[i] + now_qty[i], l->qty) -
                         cum_share(net, refunded[i], l->qty);
        d->lines_fen += rl->amount_fen;
    }
    d->sale_complete = complete;

    /* 抹零: the refund that completes the sale carries the sale's rounding, so all its refunds
     * add up to the due the shopper paid.  A rounding that would make this last refund
     * negative (earlier partial refunds already paid back more than the rounded due) is cut
     * at zero: a refund never takes money from the shopper. */
    d->rounding_fen = complete ? sale->rounding_fen : 0;
    if (d->lines_fen + d->rounding_fen < 0)
        d->rounding_fen = -d->lines_fen;
    d->total_fen = d->lines_fen + d->rounding_fen;

    /* Tenders paid on the sale, by kind; cash net of the change given. */
    fen_t paid[TENDER_KIND_COUNT] = {0}, back[TENDER_KIND_COUNT] = {0};
    for (size_t i = 0; i < sale->n_tenders; i++)
        paid[sale->tenders[i].kind] += sale->tenders[i].amount_fen;
    paid[TENDER_CASH] -= sale->change_fen;
    if ((e = load_refunded_tenders(s, sale->uuid, back)))
        return e;

    points_refund pr;
    if ((e = calc_points(s, sale, refunded, now_qty, paid[TENDER_POINTS], &pr)))
        return e;
    d->points_returned = pr.give_back;
    d->points_reversed = sale->member_id[0] ? pr.take_back : 0;
    d->points_shortfall = sale->member_id[0] ? pr.shortfall : 0;
    d->points_clamped = sale->member_id[0] && pr.clamped;

    /* Money: what points did not pay goes back to the money tenders in proportion to what is
     * still refundable on each.  Spreading over the remainder (not over the original amounts)
     * means no kind can ever be refunded more than it paid, and the refund that completes the
     * sale takes exactly what is left on each. */
    fen_t points_part = pr.points_value_fen;
    if (points_part > paid[TENDER_POINTS] - back[TENDER_POINTS])
        points_part = paid[TENDER_POINTS] - back[TENDER_POINTS];
    if (points_part > d->total_fen)
        points_part = d->total_fen;
    fen_t money = d->total_fen - points_part;
    fen_t left[TENDER_KIND_COUNT] = {0}, share[TENDER_KIND_COUNT] = {0}, left_sum = 0;
    for (int k = 0; k < TENDER_KIND_COUNT; k++) {
        if (k == TENDER_POINTS)
            continue;
        left[k] = paid[k] - back[k];
        if (left[k] < 0)
            left[k] = 0;
        left_sum += left[k];
    }
    if (money > left_sum)
        return store_failf(s, STORE_ERR_INTERNAL,
                           "sale %s: %lld fen to refund but only %lld left on its tenders",
                           sale->receipt_no, (long long)money, (long long)left_sum);
    if (money > 0 && !money_spread(money, left, TENDER_KIND_COUNT, share))
        return store_failf(s, STORE_ERR_INTERNAL, "cannot apportion the refund over tenders");
    d->n_tenders = 0;
    for (int k = 0; k < TENDER_KIND_COUNT; k++) {
        fen_t amt = k == TENDER_POINTS ? points_part : share[k];
        if (amt > 0)
            d->tenders[d->n_tenders++] = (refund_tender){(tender_kind)k, amt};
    }
    return STORE_OK;
}

static store_err render_refund(store *s, void *ctx, strbuf *payload, strbuf *detail)
{
    (void)s;
    const refund_doc *d = ((refund_ctx *)ctx)->out;
    json_writer jw;
    doc_json(d, payload);
    json_writer_init(&jw, detail, false);
    json_begin_object(&jw);
    json_kv_string(&jw, "refund_no", d->refund_no);
    json_kv_string(&jw, "receipt_no", d->sale_receipt_no);
    json_kv_int(&jw, "lines", (int64_t)d->n_lines);
    json_kv_int(&jw, "total_fen", d->total_fen);
    json_kv_int(&jw, "points_reversed", d->points_reversed);
    json_kv_int(&jw, "points_returned", d->points_returned);
    json_kv_int(&jw, "points_shortfall", d->points_shortfall);
    json_end_object(&jw);
    return STORE_OK;
}

/* ------------------------------------------------------------------ the caller's uuid */

/* The stored document back from its JSON (refunds.doc_json, exactly what was sent and printed)
 * and its row's till identity.  False when the JSON lacks a field the document has. */
static bool copy_str(const json_value *v, const char *key, char *dst, size_t cap)
{
    const char *t = json_get_string(v, key);
    if (!t)
        return false;
    snprintf(dst, cap, "%s", t);
    return true;
}

static bool get_bool(const json_value *v, const char *key)
{
    const json_value *b = json_get(v, key);
    return b && b->type == JSON_BOOL && b->boolean;
}

static bool refund_from_json(const json_value *v, refund_doc *d)
{
    const json_value *lines = json_get(v, "lines"), *tenders = json_get(v, "tenders");
    if (!v || v->type != JSON_OBJECT || !lines || lines->type != JSON_ARRAY || !tenders ||
        tenders->type != JSON_ARRAY || lines->n_items > BASKET_MAX_LINES ||
        tenders->n_items > TENDER_KIND_COUNT)
        return false;
    bool ok = copy_str(v, "uuid", d->uuid, sizeof d->uuid) &&
              copy_str(v, "refund_no", d->refund_no, sizeof d->refund_no) &&
              copy_str(v, "business_day", d->business_day, sizeof d->business_day) &&
              copy_str(v, "sale_uuid", d->sale_uuid, sizeof d->sale_uuid) &&
              copy_str(v, "receipt_no", d->sale_receipt_no, sizeof d->sale_receipt_no) &&
              copy_str(v, "approved_by", d->approved_by, sizeof d->approved_by) &&
              copy_str(v, "member_id", d->member_id, sizeof d->member_id);
    d->created_utc = json_get_int(v, "created_utc", 0);
    d->n_lines = lines->n_items;
    for (size_t i = 0; ok && i < d->n_lines; i++) {
        const json_value *l = json_at(lines, i);
        refund_line *rl = &d->lines[i];
        ok = copy_str(l, "sku", rl->sku, sizeof rl->sku) &&
             copy_str(l, "name", rl->name, sizeof rl->name) &&
             copy_str(l, "supplier_id", rl->supplier_id, sizeof rl->supplier_id);
        rl->line_no = (int)json_get_int(l, "line_no", 0);
        rl->qty = json_get_int(l, "qty", 0);
        rl->grams = json_get_int(l, "grams", 0);
        rl->amount_fen = json_get_int(l, "amount_fen", 0);
        rl->poverty_relief = get_bool(l, "poverty_relief");
    }
    d->n_tenders = tenders->n_items;
    for (size_t i = 0; ok && i < d->n_tenders; i++) {
        const json_value *t = json_at(tenders, i);
        const char *kind = json_get_string(t, "kind");
        ok = kind && tender_kind_parse(kind, &d->tenders[i].kind);
        d->tenders[i].amount_fen = json_get_int(t, "amount_fen", 0);
    }
    d->lines_fen = json_get_int(v, "lines_fen", 0);
    d->rounding_fen = json_get_int(v, "rounding_fen", 0);
    d->total_fen = json_get_int(v, "total_fen", 0);
    d->points_reversed = json_get_int(v, "points_reversed", 0);
    d->points_returned = json_get_int(v, "points_returned", 0);
    d->points_shortfall = json_get_int(v, "points_shortfall", 0);
    d->points_clamped = get_bool(v, "points_clamped");
    d->sale_complete = get_bool(v, "sale_complete");
    return ok;
}

/* Is the stored refund d what this request asks for?  The same sale (named by receipt number
 * or uuid), and the same lines with the same quantities -- each line named once -- or, for
 * "everything left", a stored refund that completed the sale.  The amounts follow from these
 * and from the refunds before the stored one, so equal requests mean the same refund. */
static bool same_request(const refund_ctx *c, const refund_doc *d)
{
    if (strcmp(c->key, d->sale_receipt_no) != 0 && strcmp(c->key, d->sale_uuid) != 0)
        return false;
    if (c->n_req == 0)
        return d->sale_complete;
    if (c->n_req != d->n_lines)
        return false;
    for (size_t i = 0; i < c->n_req; i++) {
        for (size_t j = 0; j < i; j++)
            if (c->req[j].line_no == c->req[i].line_no)
                return false;
        bool found = false;
        for (size_t j = 0; j < d->n_lines && !found; j++)
            found = d->lines[j].line_no == c->req[i].line_no && d->lines[j].qty == c->req[i].qty;
        if (!found)
            return false;
    }
    return true;
}

/* Step 1: a refund under the caller's uuid already stored?  The same refund: *stored, and the
 * stored document in c->out.  Another one: refused, naming the stored refund. */
static store_err find_refund(store *s, void *vctx, bool *stored)
{
    refund_ctx *c = vctx;
    if (!c->uuid)
        return STORE_OK;
    refund_doc *d = c->out;
    /* By the uuid (a v4 UUID is never a refund number); none: d is left as it is.  (On a
     * refusal refund_commit_uuid clears d: nothing to restore.) */
    store_err e = refund_load(s, c->uuid, d);
    if (e)
        return e == STORE_ERR_NOT_FOUND ? STORE_OK : e;
    if (!same_request(c, d))
        return store_failf(s, STORE_ERR_CONSTRAINT,
                           "refund %s is already stored as %s (receipt %s) with other lines or "
                           "quantities",
                           c->uuid, d->refund_no, d->sale_receipt_no);
    *stored = true;
    return STORE_OK;
}

static const char SQL_LOAD_REFUND[] =
    "SELECT store_code, till_no, doc_json FROM refunds WHERE refund_no = ?1 OR uuid = ?1";

store_err refund_load(store *s, const char *key, refund_doc *out)
{
    sqlite3_stmt *st = NULL;
    store_err e = store_cached(s, SQL_LOAD_REFUND, &st);
    if (e)
        return e;
    store_bind_text(st, 1, key);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        e = rc == SQLITE_DONE ? STORE_ERR_NOT_FOUND : store_fail(s, rc);
        sqlite3_reset(st);
        return e;
    }
    memset(out, 0, sizeof *out);
    store_column_text(st, 0, out->store_code, sizeof out->store_code);
    out->till_no = sqlite3_column_int(st, 1);
    const char *text = (const char *)sqlite3_column_text(st, 2);
    char err[128] = "";
    json_value *v = text ? json_parse(text, strlen(text), err, sizeof err) : NULL;
    bool ok = v && refund_from_json(v, out);
    json_free(v);
    sqlite3_reset(st);
    if (!ok)
        return store_failf(s, STORE_ERR_CORRUPT, "refund %s: its stored document cannot be read%s%s",
                           key, err[0] ? ": " : "", err);
    return STORE_OK;
}

static const docstore_ops REFUND_OPS = {
    .kind = "refund",
    .audit_event = "refund.commit",
    .seq_sql = DOCSTORE_SEQ_SQL("refunds"),
    .find = find_refund,
    .prepare = prepare_refund,
    .number = number_refund,
    .render = render_refund,
    .rows = insert_refund_rows,
};

store_err refund_commit(store *s, const char *key, const refund_request_line *lines,
                        size_t n_lines, const char *approved_by, int64_t now_utc,
                        refund_doc *out, char *msg, size_t msg_cap)
{
    return refund_commit_uuid(s, NULL, key, lines, n_lines, approved_by, now_utc, out, NULL,
                              msg, msg_cap);
}

store_err refund_commit_uuid(store *s, const char *uuid, const char *key,
                             const refund_request_line *lines, size_t n_lines,
                             const char *approved_by, int64_t now_utc, refund_doc *out,
                             bool *stored, char *msg, size_t msg_cap)
{
    if (stored)
        *stored = false;
    if (msg && msg_cap)
        msg[0] = '\0';
    if (!s || !key || !*key || !out || (n_lines && !lines) || n_lines > BASKET_MAX_LINES ||
        !approved_by || !*approved_by) {
        store_set_msg(msg, msg_cap, "refund_commit: missing argument");
        return STORE_ERR_INVALID;
    }
    if (uuid && !sale_uuid_valid(uuid)) {
        store_set_msg(msg, msg_cap, "refund id \"%.40s\" is not a v4 UUID", uuid);
        return STORE_ERR_INVALID;
    }
    memset(out, 0, sizeof *out);
    COPY(out->approved_by, approved_by);
    out->created_utc = now_utc;
    refund_ctx c = {key, uuid, lines, n_lines, out, calloc(1, sizeof(sale_doc)), {0}, {0}};
    if (!c.sale) {
        store_set_msg(msg, msg_cap, "out of memory");
        return STORE_ERR_INTERNAL;
    }
    store_err e = docstore_commit(s, &REFUND_OPS, &c, stored);
    free(c.sale);
    if (e != STORE_OK) {
        store_copy_error(s, msg, msg_cap);
        /* The caller must not print a half-built document as if it were written. */
        memset(out, 0, sizeof *out);
    }
    return e;
}
