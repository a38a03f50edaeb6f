/* receipt_prints_schema: schema step 8 -- one row per receipt printed for a sale (issue #10):
 * the original the till prints after the commit, and every reprint (F7 on the screen,
 * `receipt --reprint`).  db/migrations.c runs it as the eighth step.  Like every released
 * step it is append-only: a change is a new step.
 *
 * Why a table of its own: a reprint is an event about a sale, not a change of it -- the sale
 * rows stay immutable (nothing here may change a stored sale), and how many copies of a
 * receipt went out (a reprint is how a second copy of a paid receipt is made) is a count an
 * auditor asks for.  Append-only like the audit log: UPDATE and DELETE are refused.
 *
 * receipt_tokens: the unguessable token of a sale's receipt links (receipt.buy_url's {token}):
 * 128 random bits, made when the receipt is first printed and never changed, so a link on
 * paper keeps working and a stranger cannot walk receipt numbers to other people's sales. */
#include "db/schema.h"

const char RECEIPT_PRINTS_SCHEMA_STEP8[] =
    "CREATE TABLE receipt_prints(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  sale_uuid TEXT NOT NULL REFERENCES sales(uuid),\n"
    "  receipt_no TEXT NOT NULL,\n"
    "  kind TEXT NOT NULL CHECK(kind IN ('original','reprint')),\n"
    "  at_utc INTEGER NOT NULL\n"
    ");\n"
    "CREATE INDEX receipt_prints_sale ON receipt_prints(sale_uuid);\n"
    "CREATE TRIGGER receipt_prints_no_update BEFORE UPDATE ON receipt_prints\n"
    "  BEGIN SELECT RAISE(ABORT, 'the receipt print log is append-only'); END;\n"
    "CREATE TRIGGER receipt_prints_no_delete BEFORE DELETE ON receipt_prints\n"
    "  BEGIN SELECT RAISE(ABORT, 'the receipt print log is append-only'); END;\n"
    "CREATE TABLE receipt_tokens(\n"
    "  sale_uuid TEXT PRIMARY KEY REFERENCES sales(uuid),\n"
    "  token TEXT NOT NULL UNIQUE CHECK(length(token) >= 22)\n"
    ") WITHOUT ROWID;\n"
    "CREATE TRIGGER receipt_tokens_no_update BEFORE UPDATE ON receipt_tokens\n"
    "  BEGIN SELECT RAISE(ABORT, 'a receipt token never changes'); END;\n"
    "CREATE TRIGGER receipt_tokens_no_delete BEFORE DELETE ON receipt_tokens\n"
    "  BEGIN SELECT RAISE(ABORT, 'a receipt token never changes'); END;\n";
