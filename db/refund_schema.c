/* refund_schema: schema step 4 -- refunds (returns against a sale, issue #7).  db/migrations.c
 * runs it as the fourth step; it is kept here, beside the code that writes these tables
 * (db/refund.c).  Like every released step it is append-only: a change is a new step.
 *
 * Choices:
 * - A refund is a document of its own, never an edit of the sale (sales are immutable).  It
 *   has its own gapless number per till and business day, STORE-TILL-YYYYMMDD-RNNNN: the "R"
 *   keeps it visibly apart from receipt numbers, and its own sequence keeps the receipt
 *   sequence gapless (the county checks both for gaps).
 * - refund_lines reference the sold line (sale_uuid, line_no) -- the primary key of
 *   sale_lines -- so a refund can only name a line that was sold.  What is left to refund is
 *   derived (sold qty - SUM(refunded qty)), never a stored counter that could drift; the check
 *   runs inside the writer's BEGIN IMMEDIATE transaction (db/refund.c), so two tills refunding
 *   the same line at once are serialised and cannot exceed the sale.
 * - refund_tenders record where the money went back (the sale's tender kinds, pro rata, cash
 *   for cash); a points "tender" is the fen value of redeemed points returned to the member.
 * - All three tables are append-only (triggers), like sales: a wrong refund is corrected by a
 *   new document, never by an edit.
 * - The outbox has no CHECK on kind (step 1), so 'refund' rows need no change there. */
#include "db/schema.h"

const char REFUND_SCHEMA_STEP4[] =
    "CREATE TABLE refunds(\n"
    "  uuid TEXT PRIMARY KEY NOT NULL,\n"
    "  refund_no TEXT NOT NULL UNIQUE,\n"
    "  store_code TEXT NOT NULL,\n"
    "  till_no INTEGER NOT NULL,\n"
    "  business_day TEXT NOT NULL,\n"
    "  seq INTEGER NOT NULL CHECK(seq >= 1),\n"
    "  sale_uuid TEXT NOT NULL REFERENCES sales(uuid),\n"
    "  created_utc INTEGER NOT NULL,\n"
    "  approved_by TEXT NOT NULL CHECK(length(approved_by) > 0),\n"
    "  lines_fen INTEGER NOT NULL CHECK(typeof(lines_fen) = 'integer' AND lines_fen >= 0),\n"
    "  rounding_fen INTEGER NOT NULL DEFAULT 0 CHECK(typeof(rounding_fen) = 'integer'),\n"
    "  total_fen INTEGER NOT NULL CHECK(typeof(total_fen) = 'integer' AND total_fen >= 0),\n"
    "  member_id TEXT,\n"
    "  points_reversed INTEGER NOT NULL DEFAULT 0 CHECK(points_reversed >= 0),\n"
    "  points_returned INTEGER NOT NULL DEFAULT 0 CHECK(points_returned >= 0),\n"
    "  points_shortfall INTEGER NOT NULL DEFAULT 0 CHECK(points_shortfall >= 0),\n"
    "  doc_json TEXT NOT NULL CHECK(json_valid(doc_json)),\n"
    "  UNIQUE(store_code, till_no, business_day, seq),\n"
    "  CHECK(lines_fen + rounding_fen = total_fen)\n"
    ");\n"
    "CREATE INDEX refunds_sale ON refunds(sale_uuid);\n"
    "CREATE INDEX refunds_day ON refunds(business_day);\n"
    "CREATE TABLE refund_lines(\n"
    "  refund_uuid TEXT NOT NULL REFERENCES refunds(uuid),\n"
    "  sale_uuid TEXT NOT NULL,\n"
    "  line_no INTEGER NOT NULL CHECK(line_no >= 1),\n"
    "  qty INTEGER NOT NULL CHECK(typeof(qty) = 'integer' AND qty > 0),\n"
    "  grams INTEGER NOT NULL DEFAULT 0 CHECK(typeof(grams) = 'integer' AND grams >= 0),\n"
    "  amount_fen INTEGER NOT NULL CHECK(typeof(amount_fen) = 'integer' AND amount_fen >= 0),\n"
    "  PRIMARY KEY(refund_uuid, line_no),\n"
    "  FOREIGN KEY(sale_uuid, line_no) REFERENCES sale_lines(sale_uuid, line_no)\n"
    ") WITHOUT ROWID;\n"
    "CREATE INDEX refund_lines_sale ON refund_lines(sale_uuid, line_no, qty, amount_fen);\n"
    "CREATE TABLE refund_tenders(\n"
    "  refund_uuid TEXT NOT NULL REFERENCES refunds(uuid),\n"
    "  seq INTEGER NOT NULL CHECK(seq >= 1),\n"
    "  kind TEXT NOT NULL CHECK(kind IN ('cash','wechat','alipay','unionpay','points')),\n"
    "  amount_fen INTEGER NOT NULL CHECK(typeof(amount_fen) = 'integer' AND amount_fen > 0),\n"
    "  PRIMARY KEY(refund_uuid, seq)\n"
    ") WITHOUT ROWID;\n"
    "CREATE TRIGGER refunds_no_update BEFORE UPDATE ON refunds\n"
    "  BEGIN SELECT RAISE(ABORT, 'a committed refund is immutable'); END;\n"
    "CREATE TRIGGER refunds_no_delete BEFORE DELETE ON refunds\n"
    "  BEGIN SELECT RAISE(ABORT, 'a committed refund is immutable'); END;\n"
    "CREATE TRIGGER refund_lines_no_update BEFORE UPDATE ON refund_lines\n"
    "  BEGIN SELECT RAISE(ABORT, 'a committed refund is immutable'); END;\n"
    "CREATE TRIGGER refund_lines_no_delete BEFORE DELETE ON refund_lines\n"
    "  BEGIN SELECT RAISE(ABORT, 'a committed refund is immutable'); END;\n"
    "CREATE TRIGGER refund_tenders_no_update BEFORE UPDATE ON refund_tenders\n"
    "  BEGIN SELECT RAISE(ABORT, 'a committed refund is immutable'); END;\n"
    "CREATE TRIGGER refund_tenders_no_delete BEFORE DELETE ON refund_tenders\n"
    "  BEGIN SELECT RAISE(ABORT, 'a committed refund is immutable'); END;\n";
