/* test_store: the till store -- open, settings, catalog, committing and loading sales, and the
 * failure modes a till meets in the field (locked, read-only, disk full).  Every failure case
 * also checks that nothing was half-written.  Schema steps and foreign files:
 * test_migrations.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db/audit.h"
#include "db/migrations.h"
#include "db/products.h"
#include "db/sales.h"
#include "db/settings.h"
#include "db/store.h"
#include "db/suppliers.h"
#include "db_test_util.h"
#include "pos/core/money.h"
#include "sale_fixture.h"
#include "store_fixture.h"

/* 2026-10-16 10:30:00 +08:00 */
#define T_MORNING ((int64_t)1792117800)

static void db_path(char *out, size_t cap, const char *name)
{
    snprintf(out, cap, "%s/store_%s.db", FUPIN_TEST_TMP, name);
    unlink_db(out);
}

static store *open_new(const char *name, char *path, size_t cap)
{
    char msg[256];
    store *s = NULL;
    db_path(path, cap, name);
    store_open_opts o = {.create = true};
    store_err e = store_open(path, &o, &s, msg, sizeof msg);
    if (e != STORE_OK)
        fail_msg("store_open %s: %s", path, msg);
    return s;
}

/* Counts of every table a commit writes, to prove "nothing half-written". */
typedef struct {
    int64_t sales, lines, tenders, applied, outbox, audit;
} row_counts;

static row_counts counts(store *s)
{
    row_counts c = {
        count(s, "SELECT count(*) FROM sales"),   count(s, "SELECT count(*) FROM sale_lines"),
        count(s, "SELECT count(*) FROM sale_tenders"), count(s, "SELECT count(*) FROM sale_applied"),
        count(s, "SELECT count(*) FROM outbox"),  count(s, "SELECT count(*) FROM audit_log"),
    };
    return c;
}

static void assert_counts_equal(row_counts a, row_counts b)
{
    assert_int_equal(a.sales, b.sales);
    assert_int_equal(a.lines, b.lines);
    assert_int_equal(a.tenders, b.tenders);
    assert_int_equal(a.applied, b.applied);
    assert_int_equal(a.outbox, b.outbox);
    assert_int_equal(a.audit, b.audit);
}

static void raw_exec(sqlite3 *db, const char *sql)
{
    char *err = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
        fail_msg("%s: %s", sql, err ? err : "?");
}

/* ---- open / reopen ---- */

static void test_create_reopen(void **state)
{
    char path[512], msg[256];
    store *s = open_new("reopen", path, sizeof path);
    assert_int_equal(store_user_version(s), STORE_SCHEMA_VERSION);
    assert_int_equal(count(s, "PRAGMA application_id"), MIGRATIONS_APPLICATION_ID);
    char mode[16] = "";
    sqlite3_stmt *st;
    sqlite3_prepare_v2(store_db(s), "PRAGMA journal_mode", -1, &st, NULL);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    snprintf(mode, sizeof mode, "%s", sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    assert_string_equal(mode, "wal");
    assert_int_equal(count(s, "PRAGMA synchronous"), 2);   /* FULL */
    assert_int_equal(count(s, "PRAGMA foreign_keys"), 1);
    store_close(s);

    store_open_opts o = {0};
    assert_int_equal(store_open(path, &o, &s, msg, sizeof msg), STORE_OK);
    assert_int_equal(store_user_version(s), STORE_SCHEMA_VERSION);
    assert_int_equal(store_check_integrity(s, msg, sizeof msg), STORE_OK);
    store_close(s);

    /* Without create, a missing file is an I/O error, not a new empty till. */
    char missing[512];
    db_path(missing, sizeof missing, "missing");
    assert_int_equal(store_open(missing, &o, &s, msg, sizeof msg), STORE_ERR_IO);
    assert_null(s);
    assert_true(strstr(msg, missing) != NULL);
    assert_int_equal(access(missing, F_OK), -1);
}

/* ---- settings ---- */

static void test_settings_config(void **state)
{
    char path[512], buf[64];
    store *s = open_new("settings", path, sizeof path);
    assert_int_equal(settings_get(s, "nope", buf, sizeof buf), STORE_ERR_NOT_FOUND);
    assert_int_equal(settings_set(s, "printer.width", "58"), STORE_OK);
    assert_int_equal(settings_get(s, "printer.width", buf, sizeof buf), STORE_OK);
    assert_string_equal(buf, "58");
    assert_int_equal(settings_set(s, "printer.width", "80"), STORE_OK);
    assert_int_equal(settings_get(s, "printer.width", buf, sizeof buf), STORE_OK);
    assert_string_equal(buf, "80");
    char tiny[2];
    assert_int_equal(settings_get(s, "printer.width", tiny, sizeof tiny), STORE_ERR_INVALID);

    till_config c;
    assert_int_equal(settings_get_config(s, &c), STORE_OK);   /* defaults */
    assert_int_equal(c.till_no, 1);
    assert_int_equal(c.tz_offset_min, 480);
    assert_int_equal(c.rounding, ROUNDING_NONE);

    till_config w = {.till_no = 3, .rounding = ROUNDING_JIAO, .tz_offset_min = 480};
    snprintf(w.store_code, sizeof w.store_code, "YR02");
    snprintf(w.store_name, sizeof w.store_name, "永仁县永定镇扶贫超市");
    assert_int_equal(settings_set_config(s, &w), STORE_OK);
    store_close(s);

    store_open_opts o = {0};
    assert_int_equal(store_open(path, &o, &s, NULL, 0), STORE_OK);
    assert_int_equal(settings_get_config(s, &c), STORE_OK);
    assert_string_equal(c.store_code, "YR02");
    assert_string_equal(c.store_name, "永仁县永定镇扶贫超市");
    assert_int_equal(c.till_no, 3);
    assert_int_equal(c.rounding, ROUNDING_JIAO);
    assert_int_equal(c.tz_offset_min, 480);

    till_config bad = w;
    bad.till_no = 0;
    assert_int_equal(settings_set_config(s, &bad), STORE_ERR_INVALID);
    bad = w;
    snprintf(bad.store_code, sizeof bad.store_code, "yr-1");
    assert_int_equal(settings_set_config(s, &bad), STORE_ERR_INVALID);
    assert_int_equal(settings_get_config(s, &c), STORE_OK);
    assert_string_equal(c.store_code, "YR02");

    /* A corrupted setting is reported, not silently replaced by a default. */
    assert_int_equal(settings_set(s, "till.no", "abc"), STORE_OK);
    assert_int_equal(settings_get_config(s, &c), STORE_ERR_INVALID);
    store_close(s);
}

/* ---- catalog ---- */

static void test_catalog(void **state)
{
    char path[512];
    store *s = open_new("catalog", path, sizeof path);
    supplier sup = {.id = "SUP001", .name = "永仁县维的乡石榴种植专业合作社", .kind = "cooperative",
                    .village = "维的村", .township = "维的乡"};
    assert_int_equal(suppliers_upsert(s, &sup), STORE_OK);
    supplier hh = {.id = "HH001", .name = "李文华", .kind = "household", .household_id = ""};
    assert_int_equal(suppliers_upsert(s, &hh), STORE_ERR_CONSTRAINT); /* no household id */
    snprintf(hh.household_id, sizeof hh.household_id, "532327198001010011");
    assert_int_equal(suppliers_upsert(s, &hh), STORE_OK);
    supplier got;
    assert_int_equal(suppliers_find(s, "HH001", &got), STORE_OK);
    assert_string_equal(got.household_id, "532327198001010011");

    product p = {.sku = "P0001", .name = "永仁软籽石榴礼盒 5kg", .unit = "盒",
                 .gtin13 = "6985798000170", .price_fen = 12800, .poverty_relief = true,
                 .active = true, .supplier_id = "SUP001"};
    assert_int_equal(products_upsert(s, &p), STORE_OK);
    product w = {.sku = "P0092", .name = "软籽石榴(散装)", .unit = "kg", .plu = "10001",
                 .price_fen = 1800, .by_weight = true, .poverty_relief = true, .active = true,
                 .supplier_id = "SUP001"};
    assert_int_equal(products_upsert(s, &w), STORE_OK);
    assert_int_equal(products_count(s), 2);

    product out;
    assert_int_equal(products_find_by_gtin(s, "6985798000170", &out), STORE_OK);
    assert_string_equal(out.sku, "P0001");
    assert_string_equal(out.name, "永仁软籽石榴礼盒 5kg");
    assert_int_equal(out.price_fen, 12800);
    assert_true(out.poverty_relief);
    assert_true(out.active);
    assert_false(out.by_weight);
    assert_string_equal(out.supplier_id, "SUP001");
    assert_int_equal(products_find_by_sku(s, "P0001", &out), STORE_OK);
    assert_string_equal(out.gtin13, "6985798000170");
    assert_int_equal(products_find_by_plu(s, "10001", &out), STORE_OK);
    assert_string_equal(out.sku, "P0092");
    assert_true(out.by_weight);
    assert_string_equal(out.gtin13, "");
    assert_int_equal(products_find_by_gtin(s, "6901234567892", &out), STORE_ERR_NOT_FOUND);
    assert_int_equal(products_find_by_sku(s, "nope", &out), STORE_ERR_NOT_FOUND);
    assert_int_equal(products_find_by_plu(s, "99999", &out), STORE_ERR_NOT_FOUND);

    /* Upsert updates in place; a second barcode finds the same product. */
    p.price_fen = 11800;
    assert_int_equal(products_upsert(s, &p), STORE_OK);
    assert_int_equal(products_add_barcode(s, "P0001", "6901234567892"), STORE_OK);
    assert_int_equal(products_find_by_gtin(s, "6901234567892", &out), STORE_OK);
    assert_int_equal(out.price_fen, 11800);
    assert_string_equal(out.gtin13, "6901234567892");
    assert_int_equal(products_find_by_sku(s, "P0001", &out), STORE_OK);
    assert_string_equal(out.gtin13, "6985798000170");   /* main barcode: the first */
    assert_int_equal(products_count(s), 2);

    /* Refusals change nothing. */
    assert_int_equal(products_add_barcode(s, "P0092", "6985798000170"), STORE_ERR_CONSTRAINT);
    assert_int_equal(products_add_barcode(s, "P0001", "6985798000171"), STORE_ERR_INVALID);
    product orphan = p;
    snprintf(orphan.sku, sizeof orphan.sku, "P0002");
    orphan.gtin13[0] = '\0';
    snprintf(orphan.supplier_id, sizeof orphan.supplier_id, "SUP999");
    assert_int_equal(products_upsert(s, &orphan), STORE_ERR_CONSTRAINT);   /* FK */
    product dup_plu = w;
    snprintf(dup_plu.sku, sizeof dup_plu.sku, "P0093");
    assert_int_equal(products_upsert(s, &dup_plu), STORE_ERR_CONSTRAINT);
    product neg = p;
    neg.price_fen = -1;
    assert_int_equal(products_upsert(s, &neg), STORE_ERR_INVALID);
    /* The one price bound (pos/core/money.h), as the import and the basket use it: a price
     * no basket could sell is refused here too. */
    product dear = p;
    dear.price_fen = MONEY_PRICE_MAX_FEN + 1;
    assert_int_equal(products_upsert(s, &dear), STORE_ERR_INVALID);
    assert_non_null(strstr(store_last_error(s), "price"));
    assert_int_equal(products_find_by_sku(s, "P0001", &out), STORE_OK);
    assert_int_equal(out.price_fen, 11800);
    dear.price_fen = MONEY_PRICE_MAX_FEN;                    /* the bound itself is a price */
    assert_int_equal(products_upsert(s, &dear), STORE_OK);
    assert_int_equal(products_upsert(s, &p), STORE_OK);
    /* A product whose barcode belongs to another is refused whole: no product row either. */
    product steal = {.sku = "P0003", .name = "x", .unit = "个", .gtin13 = "6985798000170",
                     .price_fen = 1, .active = true};
    assert_int_equal(products_upsert(s, &steal), STORE_ERR_CONSTRAINT);
    assert_int_equal(products_find_by_sku(s, "P0003", &out), STORE_ERR_NOT_FOUND);
    assert_int_equal(products_count(s), 2);
    assert_int_equal(count(s, "SELECT count(*) FROM barcodes"), 2);
    store_close(s);
}

/* ---- sales ---- */

static void assert_docs_equal(const sale_doc *a, const sale_doc *b)
{
    assert_string_equal(a->uuid, b->uuid);
    assert_string_equal(a->receipt_no, b->receipt_no);
    assert_string_equal(a->business_day, b->business_day);
    assert_string_equal(a->store_code, b->store_code);
    assert_int_equal(a->till_no, b->till_no);
    assert_string_equal(a->cashier, b->cashier);
    assert_int_equal(a->created_utc, b->created_utc);
    assert_int_equal(a->n_lines, b->n_lines);
    for (size_t i = 0; i < a->n_lines; i++) {
        const sale_line *x = &a->lines[i], *y = &b->lines[i];
        assert_string_equal(x->sku, y->sku);
        assert_string_equal(x->name, y->name);
        assert_string_equal(x->gtin13, y->gtin13);
        assert_int_equal(x->qty, y->qty);
        assert_int_equal(x->grams, y->grams);
        assert_int_equal(x->unit_price_fen, y->unit_price_fen);
        assert_int_equal(x->amount_fen, y->amount_fen);
        assert_int_equal(x->discount_fen, y->discount_fen);
        assert_int_equal(x->poverty_relief, y->poverty_relief);
        assert_string_equal(x->supplier_id, y->supplier_id);
    }
    assert_int_equal(a->n_applied, b->n_applied);
    for (size_t i = 0; i < a->n_applied; i++) {
        assert_string_equal(a->applied[i].rule, b->applied[i].rule);
        assert_string_equal(a->applied[i].label, b->applied[i].label);
        assert_int_equal(a->applied[i].amount_fen, b->applied[i].amount_fen);
    }
    assert_int_equal(a->n_gifts, b->n_gifts);
    for (size_t i = 0; i < a->n_gifts; i++) {
        assert_string_equal(a->gifts[i].sku, b->gifts[i].sku);
        assert_int_equal(a->gifts[i].qty, b->gifts[i].qty);
        assert_int_equal(a->gifts[i].cost_fen, b->gifts[i].cost_fen);
    }
    assert_int_equal(a->total_fen, b->total_fen);
    assert_int_equal(a->rounding_fen, b->rounding_fen);
    assert_int_equal(a->due_fen, b->due_fen);
    assert_int_equal(a->n_tenders, b->n_tenders);
    for (size_t i = 0; i < a->n_tenders; i++) {
        assert_int_equal(a->tenders[i].kind, b->tenders[i].kind);
        assert_int_equal(a->tenders[i].amount_fen, b->tenders[i].amount_fen);
        assert_string_equal(a->tenders[i].ref, b->tenders[i].ref);
    }
    assert_int_equal(a->change_fen, b->change_fen);
    assert_int_equal(a->points_earned, b->points_earned);
    assert_int_equal(a->points_redeemed, b->points_redeemed);
}

static void test_commit_and_load(void **state)
{
    char path[512], msg[256];
    uint64_t rng = 1;
    store *s = open_new("commit", path, sizeof path);
    sale_doc *d = fx_new_sale(7, T_MORNING, &rng);
    /* A mixed tender with a reference and a gift, so every child table is exercised. */
    d->n_gifts = 1;
    snprintf(d->gifts[0].sku, sizeof d->gifts[0].sku, "G0001");
    d->gifts[0].qty = 2;
    d->gifts[0].cost_fen = 1056;   /* 2 × ¥5.28: stored with the gift and on its stock move */
    basket_void v = {.sku = "T0003", .qty = 1, .amount_fen = 211};
    assert_int_equal(sales_commit(s, d, &v, 1, msg, sizeof msg), STORE_OK);
    assert_int_equal(count(s, "SELECT cost_fen FROM sale_gifts"), 1056);
    assert_int_equal(count(s, "SELECT cost_fen FROM stock_moves WHERE kind = 'gift'"), 1056);
    assert_int_equal(count(s, "SELECT -qty FROM stock_moves WHERE kind = 'gift'"), 2);
    assert_string_equal(d->receipt_no, "YR01-1-20261016-0001");
    assert_string_equal(d->business_day, "2026-10-16");

    sale_doc *back = calloc(1, sizeof *back);
    assert_int_equal(sales_load(s, d->receipt_no, back), STORE_OK);
    assert_docs_equal(d, back);
    memset(back, 0xa5, sizeof *back);
    assert_int_equal(sales_load(s, d->uuid, back), STORE_OK);
    assert_docs_equal(d, back);
    assert_int_equal(sales_load(s, "YR01-1-20261016-0002", back), STORE_ERR_NOT_FOUND);

    assert_int_equal(count(s, "SELECT count(*) FROM outbox WHERE kind = 'sale' AND sent_utc IS NULL"), 1);
    assert_int_equal(count(s, "SELECT count(*) FROM outbox o JOIN sales s ON s.uuid = o.ref_uuid "
                              "WHERE o.payload = s.doc_json"), 1);
    assert_int_equal(count(s, "SELECT count(*) FROM audit_log WHERE event = 'sale.commit' "
                              "AND detail LIKE '%\"voids\":[{\"sku\":\"T0003\"%'"), 1);
    int64_t n = 0;
    assert_int_equal(audit_verify(s, &n, msg, sizeof msg), STORE_OK);
    assert_int_equal(n, 1);
    assert_int_equal(sales_count(s), 1);
    free(back);
    free(d);
    store_close(s);
}

static void test_receipt_numbers_gapless_and_daily(void **state)
{
    char path[512];
    uint64_t rng = 2;
    store *s = open_new("receipts", path, sizeof path);
    /* 2026-10-15T15:59:59Z is 23:59:59 in Shanghai (still the 15th); one second later is the
     * 16th there, so numbering restarts. */
    const int64_t last_second = 1792079999, midnight = 1792080000;
    const char *expect[] = {"YR01-1-20261015-0001", "YR01-1-20261015-0002",
                            "YR01-1-20261015-0003", "YR01-1-20261016-0001",
                            "YR01-1-20261016-0002"};
    const int64_t at[] = {last_second - 3600, last_second - 1, last_second, midnight,
                          midnight + 60};
    for (int i = 0; i < 5; i++) {
        sale_doc *d = fx_new_sale(1 + (size_t)i, at[i], &rng);
        fx_commit_ok(s, d);
        assert_string_equal(d->receipt_no, expect[i]);
        free(d);
    }
    /* Another till of the same store numbers on its own. */
    sale_doc *d = fx_new_sale(2, midnight + 120, &rng);
    d->till_no = 2;
    fx_commit_ok(s, d);
    assert_string_equal(d->receipt_no, "YR01-2-20261016-0001");
    free(d);
    assert_int_equal(count(s, "SELECT count(*) FROM sales WHERE business_day = '2026-10-15'"), 3);
    store_close(s);
}

static void test_idempotent_recommit(void **state)
{
    char path[512], msg[256];
    uint64_t rng = 3;
    store *s = open_new("idem", path, sizeof path);
    sale_doc *d = fx_new_sale(3, T_MORNING, &rng);
    fx_commit_ok(s, d);
    char first[SALE_RECEIPT_NO_CAP];
    snprintf(first, sizeof first, "%s", d->receipt_no);
    row_counts before = counts(s);

    /* The retry after a lost reply: same document, same answer, nothing new. */
    d->receipt_no[0] = '\0';
    fx_commit_ok(s, d);
    assert_string_equal(d->receipt_no, first);
    assert_counts_equal(before, counts(s));

    /* A different sale that reuses the uuid is not answered with someone else's receipt. */
    sale_doc *other = fx_new_sale(2, T_MORNING + 5, &rng);
    memcpy(other->uuid, d->uuid, sizeof other->uuid);
    assert_int_equal(sales_commit(s, other, NULL, 0, msg, sizeof msg), STORE_ERR_CONSTRAINT);
    assert_string_equal(other->receipt_no, "");
    assert_true(strstr(msg, "different") != NULL);
    assert_counts_equal(before, counts(s));
    free(other);
    free(d);
    store_close(s);
}

static void test_invalid_doc_refused(void **state)
{
    char path[512], msg[256];
    uint64_t rng = 4;
    store *s = open_new("invalid", path, sizeof path);
    row_counts empty = counts(s);
    sale_doc *d = fx_new_sale(3, T_MORNING, &rng);
    d->total_fen += 1;                 /* lines no longer sum to the total */
    assert_int_equal(sales_commit(s, d, NULL, 0, msg, sizeof msg), STORE_ERR_INVALID);
    assert_string_equal(d->receipt_no, "");
    assert_true(msg[0] != '\0');
    assert_counts_equal(empty, counts(s));
    free(d);

    d = fx_new_sale(3, T_MORNING, &rng);
    snprintf(d->uuid, sizeof d->uuid, "not-a-uuid");
    assert_int_equal(sales_commit(s, d, NULL, 0, msg, sizeof msg), STORE_ERR_INVALID);
    free(d);

    d = fx_new_sale(3, T_MORNING, &rng);
    snprintf(d->store_code, sizeof d->store_code, "yr01");   /* fails the identity check */
    assert_int_equal(sales_commit(s, d, NULL, 0, msg, sizeof msg), STORE_ERR_INVALID);
    assert_string_equal(d->receipt_no, "");
    assert_string_equal(d->business_day, "");
    assert_counts_equal(empty, counts(s));
    free(d);
    store_close(s);
}

/* ---- failure modes ---- */

static void test_locked(void **state)
{
    char path[512], msg[256];
    uint64_t rng = 6;
    db_path(path, sizeof path, "locked");
    store *s = NULL;
    store_open_opts o = {.create = true, .busy_timeout_ms = 50};
    assert_int_equal(store_open(path, &o, &s, msg, sizeof msg), STORE_OK);
    row_counts empty = counts(s);

    sqlite3 *other = NULL;
    assert_int_equal(sqlite3_open(path, &other), SQLITE_OK);
    raw_exec(other, "BEGIN EXCLUSIVE");
    sale_doc *d = fx_new_sale(4, T_MORNING, &rng);
    assert_int_equal(sales_commit(s, d, NULL, 0, msg, sizeof msg), STORE_ERR_BUSY);
    assert_string_equal(d->receipt_no, "");
    assert_true(strstr(msg, "locked") != NULL);
    raw_exec(other, "ROLLBACK");
    sqlite3_close(other);

    assert_counts_equal(empty, counts(s));
    fx_commit_ok(s, d);
    assert_string_equal(d->receipt_no, "YR01-1-20261016-0001");
    free(d);
    store_close(s);
}

static void test_read_only(void **state)
{
    char path[512], msg[256];
    uint64_t rng = 7;
    store *s = open_new("readonly", path, sizeof path);
    sale_doc *d = fx_new_sale(2, T_MORNING, &rng);
    fx_commit_ok(s, d);
    store_close(s);

    store_open_opts o = {.read_only = true};
    assert_int_equal(store_open(path, &o, &s, msg, sizeof msg), STORE_OK);
    sale_doc *e = fx_new_sale(2, T_MORNING, &rng);
    assert_int_equal(sales_commit(s, e, NULL, 0, msg, sizeof msg), STORE_ERR_READONLY);
    assert_string_equal(e->receipt_no, "");
    assert_int_equal(settings_set(s, "x", "y"), STORE_ERR_READONLY);
    /* Reading still works. */
    assert_int_equal(sales_load(s, d->receipt_no, e), STORE_OK);
    assert_int_equal(sales_count(s), 1);
    free(d);
    free(e);
    store_close(s);
}

static void test_disk_full(void **state)
{
    char path[512], msg[256];
    uint64_t rng = 8;
    store *s = open_new("full", path, sizeof path);
    sale_doc *small = fx_new_sale(1, T_MORNING, &rng);
    fx_commit_ok(s, small);
    row_counts before = counts(s);

    /* Cap the file at its current size: the next page SQLite needs is "disk full". */
    int64_t pages = count(s, "PRAGMA page_count");
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA max_page_count = %lld", (long long)pages);
    raw_exec(store_db(s), sql);
    sale_doc *big = fx_new_sale(BASKET_MAX_LINES, T_MORNING + 60, &rng);
    assert_int_equal(sales_commit(s, big, NULL, 0, msg, sizeof msg), STORE_ERR_FULL);
    assert_string_equal(big->receipt_no, "");
    assert_true(msg[0] != '\0');
    assert_counts_equal(before, counts(s));
    assert_int_equal(store_check_integrity(s, msg, sizeof msg), STORE_OK);

    raw_exec(store_db(s), "PRAGMA max_page_count = 1073741823");
    fx_commit_ok(s, big);
    assert_string_equal(big->receipt_no, "YR01-1-20261016-0002");
    assert_int_equal(count(s, "SELECT count(*) FROM sale_lines"), before.lines + BASKET_MAX_LINES);
    free(small);
    free(big);
    store_close(s);
}

static void test_audit_append_only(void **state)
{
    char path[512], msg[256];
    uint64_t rng = 9;
    store *s = open_new("audit", path, sizeof path);
    for (int i = 0; i < 3; i++) {
        sale_doc *d = fx_new_sale(2, T_MORNING + i, &rng);
        fx_commit_ok(s, d);
        free(d);
    }
    assert_int_equal(audit_append(s, T_MORNING + 10, "店长", "drawer.open", "", "{}"), STORE_OK);
    int64_t n = 0;
    assert_int_equal(audit_verify(s, &n, msg, sizeof msg), STORE_OK);
    assert_int_equal(n, 4);

    sqlite3 *db = store_db(s);
    assert_int_not_equal(sqlite3_exec(db, "UPDATE audit_log SET actor = 'x'", NULL, NULL, NULL),
                         SQLITE_OK);
    assert_true(strstr(sqlite3_errmsg(db), "append-only") != NULL);
    assert_int_not_equal(sqlite3_exec(db, "DELETE FROM audit_log WHERE id = 4", NULL, NULL, NULL),
                         SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(db, "DELETE FROM sales", NULL, NULL, NULL), SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(db, "UPDATE sale_lines SET amount_fen = 0", NULL, NULL, NULL),
                         SQLITE_OK);
    assert_int_equal(count(s, "SELECT count(*) FROM audit_log"), 4);
    assert_int_equal(store_check_integrity(s, msg, sizeof msg), STORE_OK);

    /* Someone who drops the trigger and edits a row is caught by the chain. */
    raw_exec(db, "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET actor = 'x' WHERE id = 2");
    assert_int_equal(audit_verify(s, &n, msg, sizeof msg), STORE_ERR_CORRUPT);
    assert_true(strstr(msg, "row 2") != NULL);
    store_close(s);

    s = open_new("audit_tail", path, sizeof path);
    assert_int_equal(audit_append(s, 1, "a", "e1", "", ""), STORE_OK);
    assert_int_equal(audit_append(s, 2, "a", "e2", "", ""), STORE_OK);
    raw_exec(store_db(s), "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE id = 2");
    assert_int_equal(audit_verify(s, &n, msg, sizeof msg), STORE_ERR_CORRUPT);
    store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_create_reopen),
        cmocka_unit_test(test_settings_config),
        cmocka_unit_test(test_catalog),
        cmocka_unit_test(test_commit_and_load),
        cmocka_unit_test(test_receipt_numbers_gapless_and_daily),
        cmocka_unit_test(test_idempotent_recommit),
        cmocka_unit_test(test_invalid_doc_refused),
        cmocka_unit_test(test_locked),
        cmocka_unit_test(test_read_only),
        cmocka_unit_test(test_disk_full),
        cmocka_unit_test(test_audit_append_only),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
