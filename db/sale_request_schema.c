/* sale_request_schema: schema step 7 -- the request fingerprint of a sale made under a caller's
 * UUID (`sell --uuid`, issue #8).  db/migrations.c runs it as the seventh step.  Like every
 * released step it is append-only: a change is a new step.
 *
 * Why: a caller's UUID is an idempotency key.  It names the REQUEST, not the goods that came out
 * of it: the identical command again must report the stored sale even when the points it spent
 * or a product it sold are gone, and another request under that UUID must be refused.  So the
 * request's fingerprint (SHA-256 of its canonical text, pos/app/cmd_sell.c) is kept with the
 * sale, written by the sale's rows step in the sale's own transaction (db/sales.c).
 *
 * Choices:
 * - A table of its own rather than a nullable sales column: only sales made under a caller's
 *   UUID have a request (the screen's never do), so the row's presence says "made by a request";
 *   the sales rows, their doc_json and every reader of them stay as they are, and the step needs
 *   no ALTER of the sales table (whose immutability triggers would then cover a column that is
 *   NULL for nearly every row).
 * - sale_uuid is the key and references the sale: one request per sale, never a request
 *   without its sale.
 * - Immutable like the sale itself: UPDATE and DELETE are refused by triggers. */
#include "db/schema.h"

const char SALE_REQUEST_SCHEMA_STEP7[] =
    "CREATE TABLE sale_requests(\n"
    "  sale_uuid TEXT PRIMARY KEY REFERENCES sales(uuid),\n"
    "  fingerprint TEXT NOT NULL CHECK(length(fingerprint) = 64 AND\n"
    "                                  fingerprint NOT GLOB '*[^0-9a-f]*')\n"
    ") WITHOUT ROWID;\n"
    "CREATE TRIGGER sale_requests_no_update BEFORE UPDATE ON sale_requests\n"
    "  BEGIN SELECT RAISE(ABORT, 'a committed sale is immutable'); END;\n"
    "CREATE TRIGGER sale_requests_no_delete BEFORE DELETE ON sale_requests\n"
    "  BEGIN SELECT RAISE(ABORT, 'a committed sale is immutable'); END;\n";
