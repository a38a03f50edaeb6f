/* migrations: schema steps.  See migrations.h for the rules. */
#include "db/migrations.h"

#include <sqlite3.h>
#include <stdio.h>

#include "db/schema.h"
#include "db/store.h"
#include "pos/core/pinyin.h"

/* ---- step 1: the initial schema ----
 *
 * Notes on choices made here:
 * - Money is INTEGER fen with typeof() checks, so a stray REAL or TEXT never gets in.
 * - sale_lines keep their own copy of sku/name/price/supplier and have no foreign key to
 *   products or suppliers: a sale is a record of what happened and must survive catalog edits.
 * - sales and their children and audit_log are immutable (triggers): corrections are new
 *   documents (refunds, adjustments), never edits -- the county ledger and the audit chain rely
 *   on that.  outbox is mutable on purpose: the sync worker records attempts there.
 * - CREATE TABLE (not IF NOT EXISTS): a file that already has a conflicting table fails the
 *   step loudly instead of being half-adopted. */
static const char STEP1[] =
    "PRAGMA application_id = 1179996233;\n" /* MIGRATIONS_APPLICATION_ID, 'FUPI' */
    "CREATE TABLE settings(\n"
    "  key TEXT PRIMARY KEY NOT NULL,\n"
    "  value TEXT NOT NULL\n"
    ");\n"
    "CREATE TABLE suppliers(\n"
    "  id TEXT PRIMARY KEY NOT NULL CHECK(length(id) > 0),\n"
    "  name TEXT NOT NULL CHECK(length(name) > 0),\n"
    "  kind TEXT NOT NULL CHECK(kind IN ('cooperative','firm','household')),\n"
    "  household_id TEXT,\n"
    "  village TEXT,\n"
    "  township TEXT,\n"
    "  contact TEXT,\n"
    "  CHECK(kind <> 'household' OR coalesce(length(household_id), 0) > 0)\n"
    ");\n"
    "CREATE TABLE products(\n"
    "  sku TEXT PRIMARY KEY NOT NULL CHECK(length(sku) > 0),\n"
    "  name TEXT NOT NULL CHECK(length(name) > 0),\n"
    "  unit TEXT NOT NULL,\n"
    "  price_fen INTEGER NOT NULL CHECK(typeof(price_fen) = 'integer' AND price_fen >= 0),\n"
    "  by_weight INTEGER NOT NULL DEFAULT 0 CHECK(by_weight IN (0,1)),\n"
    "  plu TEXT UNIQUE,\n"
    "  poverty_relief INTEGER NOT NULL DEFAULT 0 CHECK(poverty_relief IN (0,1)),\n"
    "  supplier_id TEXT REFERENCES suppliers(id),\n"
    "  category TEXT,\n"
    "  active INTEGER NOT NULL DEFAULT 1 CHECK(active IN (0,1)),\n"
    "  updated_utc INTEGER NOT NULL\n"
    ");\n"
    "CREATE INDEX products_supplier ON products(supplier_id);\n"
    "CREATE TABLE barcodes(\n"
    "  gtin13 TEXT PRIMARY KEY NOT NULL CHECK(length(gtin13) = 13 AND gtin13 NOT GLOB '*[^0-9]*'),\n"
    "  sku TEXT NOT NULL REFERENCES products(sku)\n"
    ");\n"
    "CREATE INDEX barcodes_sku ON barcodes(sku);\n"
    "CREATE TABLE sales(\n"
    "  uuid TEXT PRIMARY KEY NOT NULL,\n"
    "  receipt_no TEXT NOT NULL UNIQUE,\n"
    "  store_code TEXT NOT NULL,\n"
    "  till_no INTEGER NOT NULL,\n"
    "  business_day TEXT NOT NULL,\n"
    "  seq INTEGER NOT NULL CHECK(seq >= 1),\n"
    "  created_utc INTEGER NOT NULL,\n"
    "  cashier TEXT NOT NULL,\n"
    "  total_fen INTEGER NOT NULL CHECK(typeof(total_fen) = 'integer'),\n"
    "  rounding_fen INTEGER NOT NULL CHECK(typeof(rounding_fen) = 'integer'),\n"
    "  due_fen INTEGER NOT NULL CHECK(typeof(due_fen) = 'integer'),\n"
    "  change_fen INTEGER NOT NULL CHECK(typeof(change_fen) = 'integer' AND change_fen >= 0),\n"
    "  points_earned INTEGER NOT NULL DEFAULT 0,\n"
    "  points_redeemed INTEGER NOT NULL DEFAULT 0,\n"
    "  doc_json TEXT NOT NULL,\n"
    "  UNIQUE(store_code, till_no, business_day, seq),\n"
    "  CHECK(total_fen + rounding_fen = due_fen)\n"
    ");\n"
    "CREATE INDEX sales_day ON sales(business_day);\n"
    "CREATE TABLE sale_lines(\n"
    "  sale_uuid TEXT NOT NULL REFERENCES sales(uuid),\n"
    "  line_no INTEGER NOT NULL CHECK(line_no >= 1),\n"
    "  sku TEXT NOT NULL,\n"
    "  name TEXT NOT NULL,\n"
    "  gtin13 TEXT,\n"
    "  qty INTEGER NOT NULL,\n"
    "  grams INTEGER NOT NULL,\n"
    "  unit_price_fen INTEGER NOT NULL,\n"
    "  amount_fen INTEGER NOT NULL,\n"
    "  discount_fen INTEGER NOT NULL CHECK(discount_fen >= 0),\n"
    "  poverty_relief INTEGER NOT NULL CHECK(poverty_relief IN (0,1)),\n"
    "  supplier_id TEXT,\n"
    "  PRIMARY KEY(sale_uuid, line_no)\n"
    ") WITHOUT ROWID;\n"
    "CREATE INDEX sale_lines_supplier ON sale_lines(supplier_id);\n"
    "CREATE TABLE sale_tenders(\n"
    "  sale_uuid TEXT NOT NULL REFERENCES sales(uuid),\n"
    "  seq INTEGER NOT NULL CHECK(seq >= 1),\n"
    "  kind TEXT NOT NULL,\n"
    "  amount_fen INTEGER NOT NULL CHECK(amount_fen > 0),\n"
    "  ref TEXT NOT NULL DEFAULT '',\n"
    "  PRIMARY KEY(sale_uuid, seq)\n"
    ") WITHOUT ROWID;\n"
    "CREATE TABLE sale_applied(\n"
    "  sale_uuid TEXT NOT NULL REFERENCES sales(uuid),\n"
    "  seq INTEGER NOT NULL CHECK(seq >= 1),\n"
    "  rule TEXT NOT NULL,\n"
    "  label TEXT NOT NULL,\n"
    "  amount_fen INTEGER NOT NULL,\n"
    "  PRIMARY KEY(sale_uuid, seq)\n"
    ") WITHOUT ROWID;\n"
    "CREATE TABLE sale_gifts(\n"
    "  sale_uuid TEXT NOT NULL REFERENCES sales(uuid),\n"
    "  seq INTEGER NOT NULL CHECK(seq >= 1),\n"
    "  sku TEXT NOT NULL,\n"
    "  qty INTEGER NOT NULL CHECK(qty > 0),\n"
    "  PRIMARY KEY(sale_uuid, seq)\n"
    ") WITHOUT ROWID;\n"
    "CREATE TABLE outbox(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  kind TEXT NOT NULL,\n"
    "  ref_uuid TEXT NOT NULL UNIQUE,\n"
    "  payload TEXT NOT NULL,\n"
    "  created_utc INTEGER NOT NULL,\n"
    "  attempts INTEGER NOT NULL DEFAULT 0,\n"
    "  last_error TEXT,\n"
    "  sent_utc INTEGER\n"
    ");\n"
    "CREATE INDEX outbox_pending ON outbox(id) WHERE sent_utc IS NULL;\n"
    "CREATE TABLE audit_log(\n"
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
    "  at_utc INTEGER NOT NULL,\n"
    "  actor TEXT NOT NULL,\n"
    "  event TEXT NOT NULL,\n"
    "  ref TEXT NOT NULL DEFAULT '',\n"
    "  detail TEXT NOT NULL DEFAULT '',\n"
    "  prev_hash TEXT NOT NULL,\n"
    "  hash TEXT NOT NULL UNIQUE\n"
    ");\n"
    "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log\n"
    "  BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;\n"
    "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log\n"
    "  BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;\n"
    "CREATE TRIGGER sales_no_update BEFORE UPDATE ON sales\n"
    "  BEGIN SELECT RAISE(ABORT, 'a committed sale is immutable'); END;\n"
    "CREATE TRIGGER sales_no_delete BEFORE DELETE ON sales\n"
    "  BEGIN SELECT RAISE(ABORT, 'a committed sale is immutable'); END;\n"
    "CREATE TRIGGER sale_lines_no_update BEFORE UPDATE ON sale_lines\n"
    "  BEGIN SELECT RAISE(ABORT, 'a committed sale is immutable'); END;\n"
    "CREATE TRIGGER sale_lines_no_delete BEFORE DELETE ON sale_lines\n"
    "  BEGIN SELECT RAISE(ABORT, 'a committed sale is immutable'); END;\n"
    "CREATE TRIGGER sale_tenders_no_update BEFORE UPDATE ON sale_tenders\n"
    "  BEGIN SELECT RAISE(ABORT, 'a committed sale is immutable'); END;\n"
    "CREATE TRIGGER sale_tenders_no_delete BEFORE DELETE ON sale_tenders\n"
    "  BEGIN SELECT RAISE(ABORT, 'a committed sale is immutable'); END;\n"
    "CREATE TRIGGER sale_applied_no_update BEFORE UPDATE ON sale_applied\n"
    "  BEGIN SELECT RAISE(ABORT, 'a committed sale is immutable'); END;\n"
    "CREATE TRIGGER sale_applied_no_delete BEFORE DELETE ON sale_applied\n"
    "  BEGIN SELECT RAISE(ABORT, 'a committed sale is immutable'); END;\n"
    "CREATE TRIGGER sale_gifts_no_update BEFORE UPDATE ON sale_gifts\n"
    "  BEGIN SELECT RAISE(ABORT, 'a committed sale is immutable'); END;\n"
    "CREATE TRIGGER sale_gifts_no_delete BEFORE DELETE ON sale_gifts\n"
    "  BEGIN SELECT RAISE(ABORT, 'a committed sale is immutable'); END;\n";

/* ---- step 2: catalog, weighed goods, stock journal, suppliers' agreements (issue #4) ----
 *
 * Self-contained: it only adds (columns, tables, indexes, triggers) and fills the one derived
 * column, products.pinyin, through fupin_pinyin_initials(), an SQL function migrations_apply
 * registers on the connection (pos/core/pinyin, so the initials are the same ones the catalog
 * writes for new products).  Choices:
 * - New product columns have defaults, so every v1 row stays valid and sells as before.
 *   Certificate dates are ISO text (YYYY-MM-DD compares correctly as a string).
 * - stock_moves is a journal: the level of a SKU is SUM(qty) / SUM(grams) over its moves, never a
 *   stored number that could drift from its history.  No foreign key to products: like
 *   sale_lines it records what happened (a sale of a SKU later removed stays true).  One of qty
 *   (counted goods) or grams (weighed goods) is used per move.  Append-only by triggers:
 *   corrections are new 'adjust' / 'count' moves.  The covering index (sku, qty, grams) makes a
 *   level an index-only range scan.
 * - catalog_meta.version goes up (triggers) on any change to products or barcodes, from any
 *   connection or process: the in-memory search index of each handle compares it to decide
 *   whether to rebuild, without being invalidated by sales (PRAGMA data_version would be).
 * - agreements belong to households only (trigger: a CHECK cannot look at another table). */
static const char STEP2[] =
    "ALTER TABLE products ADD COLUMN name_en TEXT NOT NULL DEFAULT '';\n"
    "ALTER TABLE products ADD COLUMN pinyin TEXT NOT NULL DEFAULT '';\n"
    "ALTER TABLE products ADD COLUMN tax_class TEXT NOT NULL DEFAULT '';\n"
    "ALTER TABLE products ADD COLUMN tare_g INTEGER NOT NULL DEFAULT 0\n"
    "  CHECK(typeof(tare_g) = 'integer' AND tare_g >= 0);\n"
    "ALTER TABLE products ADD COLUMN min_g INTEGER NOT NULL DEFAULT 0\n"
    "  CHECK(typeof(min_g) = 'integer' AND min_g >= 0);\n"
    "ALTER TABLE products ADD COLUMN max_g INTEGER NOT NULL DEFAULT 0\n"
    "  CHECK(typeof(max_g) = 'integer' AND max_g >= 0);\n"
    "ALTER TABLE products ADD COLUMN cert_no TEXT;\n"
    "ALTER TABLE products ADD COLUMN cert_county TEXT;\n"
    "ALTER TABLE products ADD COLUMN cert_valid_from TEXT;\n"
    "ALTER TABLE products ADD COLUMN cert_valid_to TEXT;\n"
    "UPDATE products SET pinyin = fupin_pinyin_initials(name);\n"
    "CREATE INDEX products_category ON products(category);\n"
    "CREATE TABLE catalog_meta(\n"
    "  id INTEGER PRIMARY KEY CHECK(id = 1),\n"
    "  version INTEGER NOT NULL\n"
    ");\n"
    "INSERT INTO catalog_meta(id, version) VALUES(1, 1);\n"
    "CREATE TRIGGER products_ver_ins AFTER INSERT ON products\n"
    "  BEGIN UPDATE catalog_meta SET version = version + 1 WHERE id = 1; END;\n"
    "CREATE TRIGGER products_ver_upd AFTER UPDATE ON products\n"
    "  BEGIN UPDATE catalog_meta SET version = version + 1 WHERE id = 1; END;\n"
    "CREATE TRIGGER products_ver_del AFTER DELETE ON products\n"
    "  BEGIN UPDATE catalog_meta SET version = version + 1 WHERE id = 1; END;\n"
    "CREATE TRIGGER barcodes_ver_ins AFTER INSERT ON barcodes\n"
    "  BEGIN UPDATE catalog_meta SET version = version + 1 WHERE id = 1; END;\n"
    "CREATE TRIGGER barcodes_ver_upd AFTER UPDATE ON barcodes\n"
    "  BEGIN UPDATE catalog_meta SET version = version + 1 WHERE id = 1; END;\n"
    "CREATE TRIGGER barcodes_ver_del AFTER DELETE ON barcodes\n"
    "  BEGIN UPDATE catalog_meta SET version = version + 1 WHERE id = 1; END;\n"
    "CREATE TABLE price_history(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  sku TEXT NOT NULL REFERENCES products(sku),\n"
    "  old_price_fen INTEGER NOT NULL CHECK(typeof(old_price_fen) = 'integer'),\n"
    "  new_price_fen INTEGER NOT NULL CHECK(typeof(new_price_fen) = 'integer'),\n"
    "  changed_utc INTEGER NOT NULL,\n"
    "  source TEXT NOT NULL\n"
    ");\n"
    "CREATE INDEX price_history_sku ON price_history(sku, changed_utc);\n"
    "CREATE TRIGGER price_history_no_update BEFORE UPDATE ON price_history\n"
    "  BEGIN SELECT RAISE(ABORT, 'price_history is append-only'); END;\n"
    "CREATE TRIGGER price_history_no_delete BEFORE DELETE ON price_history\n"
    "  BEGIN SELECT RAISE(ABORT, 'price_history is append-only'); END;\n"
    "CREATE TABLE stock_moves(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  sku TEXT NOT NULL CHECK(length(sku) > 0),\n"
    "  kind TEXT NOT NULL CHECK(kind IN ('receive','sale','refund','gift','adjust','count')),\n"
    "  qty INTEGER NOT NULL DEFAULT 0 CHECK(typeof(qty) = 'integer'),\n"
    "  grams INTEGER NOT NULL DEFAULT 0 CHECK(typeof(grams) = 'integer'),\n"
    "  cost_fen INTEGER NOT NULL DEFAULT 0 CHECK(typeof(cost_fen) = 'integer' AND cost_fen >= 0),\n"
    "  supplier_id TEXT,\n"
    "  batch TEXT,\n"
    "  harvest_date TEXT,\n"
    "  ref TEXT NOT NULL DEFAULT '',\n"
    "  at_utc INTEGER NOT NULL,\n"
    "  note TEXT NOT NULL DEFAULT '',\n"
    "  CHECK(qty = 0 OR grams = 0)\n"
    ");\n"
    "CREATE INDEX stock_moves_level ON stock_moves(sku, qty, grams);\n"
    "CREATE INDEX stock_moves_ref ON stock_moves(ref);\n"
    "CREATE INDEX stock_moves_supplier ON stock_moves(supplier_id, at_utc)\n"
    "  WHERE supplier_id IS NOT NULL;\n"
    "CREATE TRIGGER stock_moves_no_update BEFORE UPDATE ON stock_moves\n"
    "  BEGIN SELECT RAISE(ABORT, 'stock_moves is append-only'); END;\n"
    "CREATE TRIGGER stock_moves_no_delete BEFORE DELETE ON stock_moves\n"
    "  BEGIN SELECT RAISE(ABORT, 'stock_moves is append-only'); END;\n"
    "CREATE TABLE agreements(\n"
    "  id TEXT PRIMARY KEY NOT NULL CHECK(length(id) > 0),\n"
    "  supplier_id TEXT NOT NULL REFERENCES suppliers(id),\n"
    "  amount_agreed_fen INTEGER NOT NULL\n"
    "    CHECK(typeof(amount_agreed_fen) = 'integer' AND amount_agreed_fen > 0),\n"
    "  term_from TEXT NOT NULL CHECK(term_from GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),\n"
    "  term_to TEXT NOT NULL CHECK(term_to GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),\n"
    "  note TEXT NOT NULL DEFAULT '',\n"
    "  CHECK(term_from <= term_to)\n"
    ");\n"
    "CREATE INDEX agreements_supplier ON agreements(supplier_id);\n"
    "CREATE TRIGGER agreements_household_ins BEFORE INSERT ON agreements\n"
    "  WHEN (SELECT kind FROM suppliers WHERE id = new.supplier_id) IS NOT 'household'\n"
    "  BEGIN SELECT RAISE(ABORT, 'purchase agreements are made with households only'); END;\n"
    "CREATE TRIGGER agreements_household_upd BEFORE UPDATE OF supplier_id ON agreements\n"
    "  WHEN (SELECT kind FROM suppliers WHERE id = new.supplier_id) IS NOT 'household'\n"
    "  BEGIN SELECT RAISE(ABORT, 'purchase agreements are made with households only'); END;\n";

/* steps[i] upgrades user_version i to i+1.  To add a step: append STEP2, bump
 * STORE_SCHEMA_VERSION, and add a test that opens a file built at version 1 with data. */
static const char *const steps[] = {
    STEP1,
    STEP2,
    PROMO_SCHEMA_STEP3,   /* promotions, members, points journal, sales.member_id (#5): db/promo_schema.c */
    REFUND_SCHEMA_STEP4,  /* refunds, refund lines and tenders (#7): db/refund_schema.c */
    GIFT_COST_SCHEMA_STEP5,   /* sale_gifts.cost_fen (#5): db/gift_cost_schema.c */
    STARS_SCHEMA_STEP6,   /* star_months, the star board's aggregate (#8): db/stars_schema.c */
    SALE_REQUEST_SCHEMA_STEP7,   /* sale_requests, `sell --uuid` fingerprints (#8): db/sale_request_schema.c */
    RECEIPT_PRINTS_SCHEMA_STEP8, /* receipt_prints, originals and reprints (#10): db/receipt_prints_schema.c */
};

#define N_STEPS ((int)(sizeof steps / sizeof steps[0]))
_Static_assert(sizeof steps / sizeof steps[0] == STORE_SCHEMA_VERSION,
               "one migration step per schema version");
_Static_assert(MIGRATIONS_APPLICATION_ID == 1179996233, "STEP1 spells the id in decimal");

int migrations_user_version(sqlite3 *db, int *rc_out)
{
    sqlite3_stmt *st = NULL;
    int v = -1;
    int rc = sqlite3_prepare_v2(db, "PRAGMA main.user_version", -1, &st, NULL);
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            v = sqlite3_column_int(st, 0);
            rc = SQLITE_OK;
        }
    }
    sqlite3_finalize(st);
    if (rc_out)
        *rc_out = rc;
    return rc == SQLITE_OK ? v : -1;
}

/* fupin_pinyin_initials(name): pos/core's initials, for step 2's back-fill of products.pinyin.
 * NULL in, NULL out; a name too long for the buffer is cut (initials of a 128-byte name fit). */
static void sql_pinyin_initials(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const unsigned char *name = sqlite3_value_text(argv[0]);
    if (!name) {
        sqlite3_result_null(ctx);
        return;
    }
    char out[256];
    size_t n = pinyin_initials((const char *)name, out, sizeof out);
    if (n >= sizeof out)
        n = sizeof out - 1;
    sqlite3_result_text(ctx, out, (int)n, SQLITE_TRANSIENT);
}

int migrations_register_functions(sqlite3 *db)
{
    return sqlite3_create_function(db, "fupin_pinyin_initials", 1,
                                   SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL,
                                   sql_pinyin_initials, NULL, NULL);
}

int migrations_apply(sqlite3 *db, int target, char *msg, size_t msg_cap)
{
    if (target > N_STEPS)
        target = N_STEPS;
    int frc = migrations_register_functions(db);
    if (frc != SQLITE_OK) {
        if (msg && msg_cap)
            snprintf(msg, msg_cap, "migration: %s", sqlite3_errmsg(db));
        return frc;
    }
    for (;;) {
        int rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
        if (rc != SQLITE_OK) {
            if (msg && msg_cap)
                snprintf(msg, msg_cap, "migration: %s", sqlite3_errmsg(db));
            return rc;
        }
        /* Read the version under the write lock: another process may have just migrated. */
        int v = migrations_user_version(db, &rc);
        if (rc != SQLITE_OK || v >= target) {
            if (rc != SQLITE_OK && msg && msg_cap)
                snprintf(msg, msg_cap, "migration: %s", sqlite3_errmsg(db));
            int rc2 = rc == SQLITE_OK ? sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) : rc;
            if (rc2 != SQLITE_OK && !sqlite3_get_autocommit(db))
                sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
            return rc2;
        }
        rc = sqlite3_exec(db, steps[v], NULL, NULL, NULL);
        if (rc == SQLITE_OK) {
            /* PRAGMA takes no bound parameters; v is our own loop integer, not outside data. */
            char bump[48];
            snprintf(bump, sizeof bump, "PRAGMA main.user_version = %d", v + 1);
            rc = sqlite3_exec(db, bump, NULL, NULL, NULL);
        }
        if (rc == SQLITE_OK)
            rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
        if (rc != SQLITE_OK) {
            if (msg && msg_cap)
                snprintf(msg, msg_cap, "migration step %d: %s", v + 1, sqlite3_errmsg(db));
            if (!sqlite3_get_autocommit(db))
                sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
            return rc;
        }
    }
}
