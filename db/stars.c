/* stars: the consumption-star board.  See stars.h. */
#include "db/stars.h"

#include <stdio.h>
#include <string.h>

#include "db/store_internal.h"
#include "pos/core/bizday.h"
#include "pos/core/member.h"

store_err stars_board(store *s, const char *month, member_kind kind, star_entry *out, size_t cap,
                      size_t *n)
{
    if (!s || !month || !n || (cap && !out))
        return STORE_ERR_INVALID;
    *n = 0;
    char first[11], probe[11];
    snprintf(probe, sizeof probe, "%.7s-01", month);
    if (strlen(month) != 7 || !bizday_valid_day(probe))
        return store_failf(s, STORE_ERR_INVALID, "month '%.20s' is not YYYY-MM", month);
    memcpy(first, probe, sizeof first);
    char last[11];
    snprintf(last, sizeof last, "%.7s-31", month);
    /* A range on business_day (the sales_day index) rather than LIKE 'YYYY-MM-%', which SQLite
     * cannot always turn into an index range.  Spend counts poverty-relief lines only, at what
     * was paid for them (amount - discount), net of refunds (#7): what refund_lines gave back
     * on a line is subtracted in the month of the SALE, not of the refund -- a refund corrects
     * the purchase it belongs to, so a month's board may still change after the month ends
     * (docs/REFUNDS.md), and a member cannot climb a board by buying in one month and
     * returning in the next.  A sale refunded whole no longer counts as a purchase.  Ties:
     * spend desc, then who bought first in the month (created_utc of the earliest qualifying
     * sale), then card number -- a total order, so the printed board never reshuffles between
     * two runs. */
    sqlite3_stmt *st = NULL;
    store_err e = store_prepare(
        s,
        "SELECT m.id, m.name, coalesce(m.phone, ''), t.spend, t.sales, t.first_utc "
        "FROM (SELECT x.mid, sum(x.net) AS spend, "
        "             count(DISTINCT CASE WHEN x.net > 0 THEN x.uuid END) AS sales, "
        "             min(CASE WHEN x.net > 0 THEN x.created_utc END) AS first_utc "
        "      FROM (SELECT s.member_id AS mid, s.uuid, s.created_utc, "
        "                   l.amount_fen - l.discount_fen - "
        "                   coalesce((SELECT sum(r.amount_fen) FROM refund_lines r "
        "                             WHERE r.sale_uuid = l.sale_uuid "
        "                               AND r.line_no = l.line_no), 0) AS net "
        "            FROM sales s JOIN sale_lines l ON l.sale_uuid = s.uuid "
        "            WHERE s.business_day BETWEEN ?1 AND ?2 AND s.member_id IS NOT NULL "
        "              AND l.poverty_relief = 1) x "
        "      GROUP BY x.mid) t "
        "JOIN members m ON m.id = t.mid "
        "WHERE m.kind = ?3 AND t.spend > 0 "
        "ORDER BY t.spend DESC, t.first_utc ASC, m.id ASC LIMIT ?4",
        &st);
    if (e)
        return e;
    sqlite3_bind_text(st, 1, first, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, last, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, member_kind_name(kind), -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, (int64_t)cap);
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
    sqlite3_finalize(st);
    return e;
}

