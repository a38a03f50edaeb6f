/* stars: the consumption-star board and its aggregate (star_months).  See stars.h. */
#include "db/stars.h"

#include <stdio.h>
#include <string.h>

#include "db/schema.h"
#include "db/store_internal.h"
#include "pos/core/bizday.h"
#include "pos/core/member.h"

static const char SQL_BOARD[] =
    "SELECT m.id, m.name, coalesce(m.phone, ''), t.spend_fen, t.sales, t.first_utc "
    "FROM star_months t JOIN members m ON m.id = t.member_id "
    "WHERE t.month = ?1 AND m.kind = ?2 AND t.spend_fen > 0 "
    "ORDER BY t.spend_fen DESC, t.first_utc ASC, m.id ASC LIMIT ?3";

static const char SQL_ADD_SALE[] =
    "INSERT INTO star_months(month, member_id, spend_fen, sales, first_utc) "
    "VALUES(?1, ?2, ?3, ?4, ?5) ON CONFLICT(month, member_id) DO UPDATE SET "
    "spend_fen = spend_fen + excluded.spend_fen, sales = sales + excluded.sales, "
    "first_utc = CASE WHEN excluded.first_utc IS NULL THEN first_utc "
    "                 WHEN first_utc IS NULL THEN excluded.first_utc "
    "                 ELSE min(first_utc, excluded.first_utc) END";

store_err stars_record_sale(store *s, const sale_doc *d)
{
    if (!d->member_id[0])
        return STORE_OK;
    fen_t spend = 0;
    bool any = false, counts = false;
    for (size_t i = 0; i < d->n_lines; i++) {
        const sale_line *l = &d->lines[i];
        if (!l->poverty_relief)
            continue;
        any = true;
        spend += l->amount_fen - l->discount_fen;
        counts = counts || l->amount_fen - l->discount_fen > 0;
    }
    if (!any)
        return STORE_OK;
    sqlite3_stmt *st = NULL;
    store_err e = store_cached(s, SQL_ADD_SALE, &st);
    if (e)
        return e;
    sqlite3_bind_text(st, 1, d->business_day, 7, SQLITE_STATIC);
    store_bind_text(st, 2, d->member_id);
    sqlite3_bind_int64(st, 3, spend);
    sqlite3_bind_int(st, 4, counts ? 1 : 0);
    if (counts)
        sqlite3_bind_int64(st, 5, d->created_utc);
    else
        sqlite3_bind_null(st, 5);
    return store_step_reset(s, st);
}

/* One member's month, recomputed from the rows (the same computation as the back-fill,
 * narrowed by the sales_member index to this member's sales of the month). */
static const char SQL_DROP_ONE[] = "DELETE FROM star_months WHERE month = ?1 AND member_id = ?2";
static const char SQL_FILL_ONE[] =
    "INSERT INTO star_months(month, member_id, spend_fen, sales, first_utc) "
    "SELECT ?1, x.mid, sum(x.net), count(DISTINCT CASE WHEN x.net > 0 THEN x.uuid END), "
    "       min(CASE WHEN x.net > 0 THEN x.created_utc END) "
    "FROM (SELECT s.member_id AS mid, s.uuid, s.created_utc, l.amount_fen - l.discount_fen - "
    "             coalesce((SELECT sum(r.amount_fen) FROM refund_lines r "
    "                       WHERE r.sale_uuid = l.sale_uuid AND r.line_no = l.line_no), 0) AS net "
    "      FROM sales s JOIN sale_lines l ON l.sale_uuid = s.uuid "
    "      WHERE s.member_id = ?2 AND s.business_day BETWEEN ?3 AND ?4 "
    "        AND l.poverty_relief = 1) x "
    "GROUP BY x.mid";

store_err stars_refresh(store *s, const char *member_id, const char *business_day)
{
    if (!member_id || !member_id[0])
        return STORE_OK;
    char first[11], last[11];
    snprintf(first, sizeof first, "%.7s-01", business_day);
    snprintf(last, sizeof last, "%.7s-31", business_day);
    sqlite3_stmt *st = NULL;
    store_err e = store_cached(s, SQL_DROP_ONE, &st);
    if (e)
        return e;
    sqlite3_bind_text(st, 1, business_day, 7, SQLITE_STATIC);
    store_bind_text(st, 2, member_id);
    if ((e = store_step_reset(s, st)) || (e = store_cached(s, SQL_FILL_ONE, &st)))
        return e;
    sqlite3_bind_text(st, 1, business_day, 7, SQLITE_STATIC);
    store_bind_text(st, 2, member_id);
    store_bind_text(st, 3, first);
    store_bind_text(st, 4, last);
    return store_step_reset(s, st);
}

static store_err rebuild_tx(store *s, void *ctx)
{
    (void)ctx;
    store_err e = store_exec(s, "DELETE FROM star_months");
    return e ? e : store_exec(s, STARS_BACKFILL);
}

store_err stars_rebuild(store *s)
{
    return store_transaction(s, rebuild_tx, NULL);
}

store_err stars_board(store *s, const char *month, member_kind kind, star_entry *out, size_t cap,
                      size_t *n)
{
    if (!s || !month || !n || (cap && !out))
        return STORE_ERR_INVALID;
    *n = 0;
    char probe[11];
    snprintf(probe, sizeof probe, "%.7s-01", month);
    if (strlen(month) != 7 || !bizday_valid_day(probe))
        return store_failf(s, STORE_ERR_INVALID, "month '%.20s' is not YYYY-MM", month);
    /* The board reads star_months (one row per member and month, kept by sales and refunds;
     * stars_schema.c).  What it holds, unchanged from the full computation: spend counts
     * poverty-relief lines only, at what was paid for them (amount - discount), net of refunds
     * (#7): what refund_lines gave back on a line is subtracted in the month of the SALE, not
     * of the refund -- a refund corrects the purchase it belongs to, so a month's board may
     * still change after the month ends (docs/REFUNDS.md), and a member cannot climb a board
     * by buying in one month and returning in the next.  A sale refunded whole no longer
     * counts as a purchase.  Ties: spend desc, then who bought first in the month (created_utc
     * of the earliest qualifying sale), then card number -- a total order, so the printed
     * board never reshuffles between two runs. */
    sqlite3_stmt *st = NULL;
    store_err e = store_cached(s, SQL_BOARD, &st);
    if (e)
        return e;
    sqlite3_bind_text(st, 1, month, 7, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, member_kind_name(kind), -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, (int64_t)cap);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        star_entry *x = &out[*n];
        memset(x, 0, sizeof *x);
        x->rank = (int)*n + 1;
        store_column_text(st, 0, x->member_id, sizeof x->member_id);
        store_column_text(st, 1, x->name, sizeof x->name);
        store_column_text(st, 2, x->phone, sizeof x->phone);
        x->kind = kind;
        x->spend_fen = sqlite3_column_int64(st, 3);
        x->sales = sqlite3_column_int64(st, 4);
        x->first_utc = sqlite3_column_int64(st, 5);
        (*n)++;
    }
    e = rc == SQLITE_DONE ? STORE_OK : store_fail(s, rc);
    sqlite3_reset(st);
    return e;
}

