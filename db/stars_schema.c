/* stars_schema: schema step 6 -- the consumption-star aggregate (issue #8).  db/migrations.c
 * runs it as the sixth step.  Like every released step it is append-only: a change is a new
 * step.
 *
 * Why: the board (db/stars.c) used to sum every poverty-relief sale line of the month, with a
 * correlated look-up of its refunds, on every call -- 0.75 s at a million lines, growing with
 * the lines.  star_months keeps, per month (of the SALE's business day) and member, what the
 * board needs: the spend net of refunds, the number of sales still counting and the first such
 * sale.  sales_commit adds its sale in the same transaction; a refund recomputes its sale's
 * member and month from the rows (db/refund.c); the board reads one row per member.
 *
 * Choices:
 * - (month, member_id) as the key, WITHOUT ROWID: the board reads one month's rows in key
 *   order; a sale or refund touches one row.
 * - A row exists for every member and month with poverty-relief lines, even when their net is
 *   0 (all refunded): exactly the groups the full computation makes; the board filters
 *   spend > 0 as it always did.
 * - The back-fill is the full computation itself (STARS_BACKFILL), run once here; db/stars.c
 *   runs the same text for stars_rebuild. */
#include "db/schema.h"

/* Σ (amount − discount − refunded) of poverty-relief lines per member and month; a sale
 * counts (and can be the first) while one of its lines still has something left. */
#define STARS_FULL_SELECT \
    "SELECT x.month, x.mid, sum(x.net), count(DISTINCT CASE WHEN x.net > 0 THEN x.uuid END), " \
    "       min(CASE WHEN x.net > 0 THEN x.created_utc END) " \
    "FROM (SELECT substr(s.business_day, 1, 7) AS month, s.member_id AS mid, s.uuid, " \
    "             s.created_utc, l.amount_fen - l.discount_fen - " \
    "             coalesce((SELECT sum(r.amount_fen) FROM refund_lines r " \
    "                       WHERE r.sale_uuid = l.sale_uuid AND r.line_no = l.line_no), 0) AS net " \
    "      FROM sales s JOIN sale_lines l ON l.sale_uuid = s.uuid " \
    "      WHERE s.member_id IS NOT NULL AND l.poverty_relief = 1) x " \
    "GROUP BY x.month, x.mid"

const char STARS_BACKFILL[] =
    "INSERT INTO star_months(month, member_id, spend_fen, sales, first_utc) " STARS_FULL_SELECT;

const char STARS_SCHEMA_STEP6[] =
    "CREATE TABLE star_months(\n"
    "  month TEXT NOT NULL CHECK(length(month) = 7),\n"
    "  member_id TEXT NOT NULL,\n"
    "  spend_fen INTEGER NOT NULL CHECK(typeof(spend_fen) = 'integer'),\n"
    "  sales INTEGER NOT NULL CHECK(sales >= 0),\n"
    "  first_utc INTEGER,\n"
    "  PRIMARY KEY(month, member_id)\n"
    ") WITHOUT ROWID;\n"
    "INSERT INTO star_months(month, member_id, spend_fen, sales, first_utc) " STARS_FULL_SELECT ";\n";
