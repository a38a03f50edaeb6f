/* promo_schema: schema step 3 -- promotions, members, points (issue #5).  db/migrations.c
 * runs it as the third step; it is kept here, beside the code that reads and writes these
 * tables.  Like every released step it is append-only: a change is a new step.
 *
 * Choices:
 * - promo_rules keeps the whole rule as JSON (rule_json, the codec of pos/core/rule_json.c) so a new
 *   kind of schedule or effect needs no schema change; id, label, priority and exclusive are
 *   also columns for listing and sorting, and CHECKs tie them to the JSON so the two can never
 *   disagree.  Rules are switched off (active = 0), not deleted: receipts name them.
 * - members.id is the card number.  A phone is optional (organisations often have none) but
 *   unique when given, since the cashier may look a member up by it.
 * - points_journal is append-only (triggers) with the sign of each kind checked; the balance
 *   is SUM(points), never a stored number.  The no-negative trigger runs inside the writer's
 *   transaction (BEGIN IMMEDIATE), so it sees every committed row: two tills cannot both
 *   redeem the last points.  The (member_id, points) index makes a balance an index-only sum.
 * - sales.member_id has no foreign key, like the rest of a sale: it records who bought.
 *   sales_commit checks that the member exists when the sale is written. */
#include "db/schema.h"

const char PROMO_SCHEMA_STEP3[] =
    "CREATE TABLE promo_rules(\n"
    "  id TEXT PRIMARY KEY NOT NULL CHECK(length(id) BETWEEN 1 AND 31),\n"
    "  label TEXT NOT NULL CHECK(length(label) > 0),\n"
    "  priority INTEGER NOT NULL DEFAULT 0 CHECK(typeof(priority) = 'integer'),\n"
    "  exclusive INTEGER NOT NULL DEFAULT 0 CHECK(exclusive IN (0,1)),\n"
    "  active INTEGER NOT NULL DEFAULT 1 CHECK(active IN (0,1)),\n"
    "  rule_json TEXT NOT NULL CHECK(json_valid(rule_json)),\n"
    "  updated_utc INTEGER NOT NULL,\n"
    "  CHECK(json_extract(rule_json, '$.id') = id),\n"
    "  CHECK(json_extract(rule_json, '$.label') = label)\n"
    ");\n"
    "CREATE TABLE members(\n"
    "  id TEXT PRIMARY KEY NOT NULL CHECK(length(id) BETWEEN 1 AND 31),\n"
    "  phone TEXT,\n"
    "  name TEXT NOT NULL DEFAULT '',\n"
    "  kind TEXT NOT NULL CHECK(kind IN ('person','staff','organisation')),\n"
    "  created_utc INTEGER NOT NULL\n"
    ");\n"
    "CREATE UNIQUE INDEX members_phone ON members(phone) WHERE phone IS NOT NULL;\n"
    "CREATE TABLE points_journal(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  member_id TEXT NOT NULL REFERENCES members(id),\n"
    "  kind TEXT NOT NULL CHECK(kind IN ('earn','redeem','reverse','expire','adjust')),\n"
    "  points INTEGER NOT NULL CHECK(typeof(points) = 'integer'),\n"
    "  sale_uuid TEXT,\n"
    "  reason TEXT NOT NULL DEFAULT '',\n"
    "  at_utc INTEGER NOT NULL,\n"
    "  CHECK((kind = 'earn' AND points > 0)\n"
    "     OR (kind IN ('redeem','reverse','expire') AND points < 0)\n"
    "     OR (kind = 'adjust' AND points <> 0 AND length(reason) > 0))\n"
    ");\n"
    "CREATE INDEX points_journal_balance ON points_journal(member_id, points);\n"
    "CREATE INDEX points_journal_sale ON points_journal(sale_uuid) WHERE sale_uuid IS NOT NULL;\n"
    "CREATE TRIGGER points_journal_no_update BEFORE UPDATE ON points_journal\n"
    "  BEGIN SELECT RAISE(ABORT, 'points_journal is append-only'); END;\n"
    "CREATE TRIGGER points_journal_no_delete BEFORE DELETE ON points_journal\n"
    "  BEGIN SELECT RAISE(ABORT, 'points_journal is append-only'); END;\n"
    "CREATE TRIGGER points_journal_no_negative BEFORE INSERT ON points_journal\n"
    "  WHEN new.points < 0 AND (SELECT coalesce(sum(points), 0) FROM points_journal\n"
    "                           WHERE member_id = new.member_id) + new.points < 0\n"
    "  BEGIN SELECT RAISE(ABORT, 'points balance would go negative'); END;\n"
    "ALTER TABLE sales ADD COLUMN member_id TEXT;\n"
    "CREATE INDEX sales_member ON sales(member_id, business_day) WHERE member_id IS NOT NULL;\n";
