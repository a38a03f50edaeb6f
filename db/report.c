/* report: see report.h. */
#include "db/report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/settings.h"
#include "db/store_internal.h"

static const char *const BY_NAMES[] = {"supplier", "household", "village", "day"};

bool report_by_parse(const char *name, report_by *out)
{
    for (size_t i = 0; i < sizeof BY_NAMES / sizeof BY_NAMES[0]; i++)
        if (strcmp(name, BY_NAMES[i]) == 0) {
            *out = (report_by)i;
            return true;
        }
    return false;
}

const char *report_by_name(report_by by)
{
    return (size_t)by < sizeof BY_NAMES / sizeof BY_NAMES[0] ? BY_NAMES[by] : "?";
}

/* Shared tail of every sales query: the poverty-relief lines of committed sales in the range.
 * ?1 / ?2 are the first and last business day, NULL for open. */
#define LINES_FROM                                                                          \
    " FROM sale_lines l JOIN sales s ON s.uuid = l.sale_uuid"                               \
    " LEFT JOIN suppliers sp ON sp.id = l.supplier_id"                                      \
    " WHERE l.poverty_relief = 1 AND (?1 IS NULL OR s.business_day >= ?1)"                  \
    " AND (?2 IS NULL OR s.business_day <= ?2)"
/* Counted goods count units; weighed goods count grams (their qty is 1 per weighing).  Net of
 * refunds (#7): what refund_lines took back from a line (units, grams, money) is subtracted
 * on the sale's own business day -- the refund corrects that sale, so a closed day's figure
 * can still go down later (docs/REFUNDS.md).  The correlated sums use the refund_lines_sale
 * index (sale_uuid, line_no, qty, amount_fen).  Lines still counts the lines sold. */
#define REFUNDED(col)                                                                       \
    "coalesce((SELECT sum(r." col ") FROM refund_lines r WHERE r.sale_uuid = l.sale_uuid"   \
    " AND r.line_no = l.line_no), 0)"
#define FIGURES                                                                             \
    "count(*), sum(CASE WHEN l.grams > 0 THEN 0 ELSE l.qty - " REFUNDED("qty") " END), "    \
    "sum(l.grams - " REFUNDED("grams") "), "                                               \
    "sum(l.amount_fen - l.discount_fen - " REFUNDED("amount_fen") ")"

store_err report_sales(store *s, report_by by, const char *from, const char *to,
                       report_row **rows, size_t *n, report_row *totals)
{
    static const char *const SQL[] = {
        [REPORT_BY_SUPPLIER] = "SELECT coalesce(l.supplier_id, ''), coalesce(sp.name, ''), "
                               "coalesce(sp.kind, ''), " FIGURES LINES_FROM
                               " GROUP BY l.supplier_id ORDER BY 1",
        [REPORT_BY_HOUSEHOLD] = "SELECT sp.household_id, sp.name, coalesce(sp.village, ''), "
                                FIGURES LINES_FROM
                                " AND sp.kind = 'household' GROUP BY sp.id ORDER BY 1",
        [REPORT_BY_VILLAGE] = "SELECT coalesce(sp.village, ''), coalesce(sp.township, ''), '', "
                              FIGURES LINES_FROM
                              " GROUP BY coalesce(sp.township, ''), coalesce(sp.village, '') "
                              "ORDER BY 2, 1",
        [REPORT_BY_DAY] = "SELECT s.business_day, '', '', " FIGURES LINES_FROM
                          " GROUP BY s.business_day ORDER BY 1",
    };
    sqlite3_stmt *st = NULL;
    *rows = NULL;
    *n = 0;
    if (totals)
        memset(totals, 0, sizeof *totals);
    if ((size_t)by >= sizeof SQL / sizeof SQL[0])
        return store_failf(s, STORE_ERR_INVALID, "unknown report grouping");
    store_err e = store_prepare(s, SQL[by], &st);
    if (e)
        return e;
    store_bind_opt_text(st, 1, from);
    store_bind_opt_text(st, 2, to);
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (!store_grow((void **)rows, &cap, *n, sizeof **rows, 32)) {
            e = store_failf(s, STORE_ERR_INTERNAL, "out of memory");
            goto fail;
        }
        report_row *r = &(*rows)[(*n)++];
        memset(r, 0, sizeof *r);
        store_column_text(st, 0, r->key, sizeof r->key);
        store_column_text(st, 1, r->name, sizeof r->name);
        store_column_text(st, 2, r->detail, sizeof r->detail);
        r->lines = sqlite3_column_int64(st, 3);
        r->qty = sqlite3_column_int64(st, 4);
        r->grams = sqlite3_column_int64(st, 5);
        r->amount_fen = sqlite3_column_int64(st, 6);
        if (totals) {
            totals->lines += r->lines;
            totals->qty += r->qty;
            totals->grams += r->grams;
            totals->amount_fen += r->amount_fen;
        }
    }
    if (rc != SQLITE_DONE) {
        e = store_fail(s, rc);
        goto fail;
    }
    sqlite3_finalize(st);
    return STORE_OK;
fail:
    sqlite3_finalize(st);
    free(*rows);
    *rows = NULL;
    *n = 0;
    return e;
}

store_err report_agreements(store *s, int year, agreement_progress **rows, size_t *n)
{
    sqlite3_stmt *st = NULL;
    char first[16], last[16];
    *rows = NULL;
    *n = 0;
    if (year < 2000 || year > 9999)
        return store_failf(s, STORE_ERR_INVALID, "year %d out of range", year);
    till_config cfg;
    store_err e = settings_get_config(s, &cfg);
    if (e)
        return e;
    snprintf(first, sizeof first, "%04d-01-01", year);
    snprintf(last, sizeof last, "%04d-12-31", year);
    /* The window is the year clipped to the agreement's term.  Receipts are stamped in UTC:
     * shift by the till's zone so a delivery at 07:00 on 1 January counts in the new year. */
    if ((e = store_prepare(
             s,
             "SELECT a.id, a.supplier_id, sp.name, coalesce(sp.household_id, ''), "
             "coalesce(sp.village, ''), a.term_from, a.term_to, a.note, a.amount_agreed_fen, "
             "(SELECT coalesce(sum(l.amount_fen - l.discount_fen), 0) FROM sale_lines l "
             "  JOIN sales x ON x.uuid = l.sale_uuid WHERE l.supplier_id = a.supplier_id "
             "  AND l.poverty_relief = 1 "
             "  AND x.business_day BETWEEN max(a.term_from, ?1) AND min(a.term_to, ?2)), "
             "(SELECT coalesce(sum(m.cost_fen), 0) FROM stock_moves m "
             "  WHERE m.supplier_id = a.supplier_id AND m.kind = 'receive' "
             "  AND date(m.at_utc + ?3, 'unixepoch') BETWEEN max(a.term_from, ?1) "
             "  AND min(a.term_to, ?2)) "
             "FROM agreements a JOIN suppliers sp ON sp.id = a.supplier_id "
             "WHERE a.term_from <= ?2 AND a.term_to >= ?1 ORDER BY a.id",
             &st)))
        return e;
    sqlite3_bind_text(st, 1, first, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, last, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, (int64_t)cfg.tz_offset_min * 60);
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (!store_grow((void **)rows, &cap, *n, sizeof **rows, 16)) {
            e = store_failf(s, STORE_ERR_INTERNAL, "out of memory");
            goto fail;
        }
        agreement_progress *a = &(*rows)[(*n)++];
        memset(a, 0, sizeof *a);
        store_column_text(st, 0, a->id, sizeof a->id);
        store_column_text(st, 1, a->supplier_id, sizeof a->supplier_id);
        store_column_text(st, 2, a->name, sizeof a->name);
        store_column_text(st, 3, a->household_id, sizeof a->household_id);
        store_column_text(st, 4, a->village, sizeof a->village);
        store_column_text(st, 5, a->term_from, sizeof a->term_from);
        store_column_text(st, 6, a->term_to, sizeof a->term_to);
        store_column_text(st, 7, a->note, sizeof a->note);
        a->agreed_fen = sqlite3_column_int64(st, 8);
        a->sold_fen = sqlite3_column_int64(st, 9);
        a->received_fen = sqlite3_column_int64(st, 10);
    }
    if (rc != SQLITE_DONE) {
        e = store_fail(s, rc);
        goto fail;
    }
    sqlite3_finalize(st);
    return STORE_OK;
fail:
    sqlite3_finalize(st);
    free(*rows);
    *rows = NULL;
    *n = 0;
    return e;
}
