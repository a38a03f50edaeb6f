/* gift_cost_schema: schema step 5 -- the cost of a 满赠 gift (issue #5).  db/migrations.c runs
 * it as the fifth step.  Like every released step it is append-only: a change is a new step.
 *
 * Choices:
 * - sale_gifts gets cost_fen: the gift is ¥0 to the buyer but not to the shop, and the sale
 *   must say what it gave away (the margin report, the county's 扶贫 cost figures).  It is the
 *   total for the gift's quantity (unit cost × qty), the same unit as stock_moves.cost_fen,
 *   so the gift row and its 'gift' stock move carry the same number.
 * - The unit cost is what rules_gift_stock reports when the sale is priced: the
 *   average unit cost of the SKU's stock-in moves (0 when it was never received with a cost).
 * - Gifts of sales written before this step keep 0 (DEFAULT): their cost was never recorded
 *   and is not reconstructed -- an average taken today would not be the cost of that day.
 * - ADD COLUMN with a CHECK: SQLite checks the existing rows (all 0) and every new one.  The
 *   table's no-update trigger is untouched; adding a column is not an UPDATE. */
#include "db/schema.h"

const char GIFT_COST_SCHEMA_STEP5[] =
    "ALTER TABLE sale_gifts ADD COLUMN cost_fen INTEGER NOT NULL DEFAULT 0\n"
    "  CHECK(typeof(cost_fen) = 'integer' AND cost_fen >= 0);\n";
