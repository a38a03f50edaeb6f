/* test_migrations: the schema steps -- every older version this build knows upgrades with its
 * data intact (and only when opened to create or migrate, as `init` does), a failing step
 * leaves the file at its version, a newer or foreign file is refused untouched. */
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

#include "db/migrations.h"
#include "db/products.h"
#include "db/sales.h"
#include "db/store.h"
#include "db_test_util.h"
#include "sale_fixture.h"
#include "store_fixture.h"

/* 2026-10-16 10:30:00 +08:00 */
#define T_MORNING ((int64_t)1792117800)


static void db_path(char *out, size_t cap, const char *name)
{
    snprintf(out, cap, "%s/store_%s.db", FUPIN_TEST_TMP, name);
    unlink_db(out);
}

static char *file_bytes(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return buf;
}

static void raw_exec(sqlite3 *db, const char *sql)
{
    char *err = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
        fail_msg("%s: %s", sql, err ? err : "?");
}

/* A file at exactly schema version v, built by the step SQL itself (not today's code), with
 * sql run in it: the rows an older till wrote. */
static void raw_file_at(char *path, size_t cap, const char *name, int v, const char *sql)
{
    char msg[256];
    db_path(path, cap, name);
    sqlite3 *raw = NULL;
    assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
    assert_int_equal(migrations_apply(raw, v, msg, sizeof msg), SQLITE_OK);
    assert_int_equal(migrations_user_version(raw, NULL), v);
    raw_exec(raw, sql);
    sqlite3_close(raw);
}

/* Open as `init` does (create: migrates) and check the file reached this build's version. */
static store *open_init(const char *path)
{
    store *s = fx_open_path(path);
    assert_int_equal(store_user_version(s), STORE_SCHEMA_VERSION);
    return s;
}

/* A one-line cash sale of 2026-10-16, its rows as an older till wrote them. */
#define OLD_SALE_SQL(uuid)                                                                      \
    "INSERT INTO sales(uuid, receipt_no, store_code, till_no, business_day, seq, "             \
    "created_utc, cashier, total_fen, rounding_fen, due_fen, change_fen, doc_json) "           \
    "VALUES('" uuid "', 'YR01-1-20261016-0001', 'YR01', 1, "                                  \
    "'2026-10-16', 1, 1760581800, '01', 4400, 0, 4400, 0, '{}');"                              \
    "INSERT INTO sale_lines VALUES('" uuid "', 1, 'P0039', "                                  \
    "'土鸡蛋 10枚', '6989366000173', 2, 0, 2200, 4400, 0, 1, 'HH001');"                       \
    "INSERT INTO sale_tenders VALUES('" uuid "', 1, 'cash', 4400, '');"

/* ---- migrations and foreign files ---- */

static void test_migrate_older_files(void **state)
{
    /* For every older version this build knows, build a file at exactly that version with the
     * steps themselves plus unrelated content, and check store_open brings it up to date
     * without losing anything.  Adding step N+1 extends this loop automatically. */
    for (int v = 0; v < STORE_SCHEMA_VERSION; v++) {
        char path[512], name[32], msg[256];
        snprintf(name, sizeof name, "migrate_v%d", v);
        raw_file_at(path, sizeof path, name, v,
                    "CREATE TABLE legacy_notes(t TEXT); INSERT INTO legacy_notes VALUES('留着');");

        /* Only init (create) migrates: any other open refuses the file and leaves it at v. */
        store *s = NULL;
        store_open_opts plain = {0};
        assert_int_equal(store_open(path, &plain, &s, msg, sizeof msg), STORE_ERR_NOT_FOUND);
        assert_null(s);
        assert_non_null(strstr(msg, path));
        assert_non_null(strstr(msg, "fupin-pos init"));
        sqlite3 *raw = NULL;
        assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
        assert_int_equal(migrations_user_version(raw, NULL), v);
        sqlite3_close(raw);

        s = open_init(path);
        assert_int_equal(count(s, "SELECT count(*) FROM legacy_notes"), 1);
        assert_int_equal(store_check_integrity(s, msg, sizeof msg), STORE_OK);
        uint64_t rng = 5;
        sale_doc *d = fx_new_sale(2, T_MORNING, &rng);
        fx_commit_ok(s, d);
        free(d);
        store_close(s);
    }
}

/* A v1 file with a catalog and a committed sale in it (written by the v1 step SQL and v1-era
 * rows, not by today's code) upgrades to v2 with every row intact, the new columns at their
 * defaults, pinyin back-filled, and the stock journal starting empty. */
static void test_migrate_v1_with_data(void **state)
{
    char path[512], msg[256];
    raw_file_at(path, sizeof path, "migrate_v1_data", 1,
                "INSERT INTO suppliers(id, name, kind, household_id, village) "
                "VALUES('HH001', '李正芬', 'household', '532327-2016-00123', '维的村');"
                "INSERT INTO products(sku, name, unit, price_fen, by_weight, plu, poverty_relief, "
                "supplier_id, category, active, updated_utc) "
                "VALUES('P0039', '土鸡蛋 10枚', '盒', 2200, 0, NULL, 1, 'HH001', '肉禽蛋', 1, 1700000000),"
                "('P0092', '软籽石榴(散装)', 'kg', 1800, 1, '10001', 0, NULL, '果蔬', 1, 1700000000);"
                "INSERT INTO barcodes(gtin13, sku) VALUES('6989366000173', 'P0039');"
                "INSERT INTO sales(uuid, receipt_no, store_code, till_no, business_day, seq, "
                "created_utc, cashier, total_fen, rounding_fen, due_fen, change_fen, doc_json) "
                "VALUES('7b1f0c4e-6a2d-4c1e-9f3a-0d5e8b7c6a21', 'YR01-1-20260101-0001', 'YR01', 1, "
                "'2026-01-01', 1, 1767229200, '01', 4400, 0, 4400, 600, '{}');"
                "INSERT INTO sale_lines VALUES('7b1f0c4e-6a2d-4c1e-9f3a-0d5e8b7c6a21', 1, 'P0039', "
                "'土鸡蛋 10枚', '6989366000173', 2, 0, 2200, 4400, 0, 1, 'HH001');"
                "INSERT INTO sale_tenders VALUES('7b1f0c4e-6a2d-4c1e-9f3a-0d5e8b7c6a21', 1, 'cash', "
                "5000, '');");

    store *s = open_init(path);
    assert_int_equal(store_check_integrity(s, msg, sizeof msg), STORE_OK);
    product p;
    assert_int_equal(products_find_by_gtin(s, "6989366000173", &p), STORE_OK);
    assert_string_equal(p.sku, "P0039");
    assert_int_equal(p.price_fen, 2200);
    assert_true(p.poverty_relief);
    assert_string_equal(p.supplier_id, "HH001");
    assert_int_equal(p.tare_g, 0);
    assert_string_equal(p.cert_no, "");
    assert_string_equal(p.cert_valid_to, "");
    assert_int_equal(products_find_by_plu(s, "10001", &p), STORE_OK);
    assert_true(p.by_weight);
    assert_int_equal(count(s, "SELECT count(*) FROM products WHERE sku = 'P0039' AND "
                              "pinyin = 'tjd10m' AND name_en = '' AND category = '肉禽蛋'"),
                     1);
    sale_doc *d = calloc(1, sizeof *d);
    assert_non_null(d);
    assert_int_equal(sales_load(s, "YR01-1-20260101-0001", d), STORE_OK);
    assert_int_equal(d->n_lines, 1);
    assert_int_equal(d->lines[0].amount_fen, 4400);
    assert_int_equal(d->n_tenders, 1);
    free(d);
    assert_int_equal(count(s, "SELECT count(*) FROM stock_moves"), 0);
    assert_int_equal(count(s, "SELECT version FROM catalog_meta"), 1);
    /* the upgraded file takes new sales, with their stock moves */
    uint64_t rng = 9;
    d = fx_new_sale(3, T_MORNING, &rng);
    fx_commit_ok(s, d);
    assert_int_equal(count(s, "SELECT count(*) FROM stock_moves WHERE kind = 'sale'"), 3);
    free(d);
    store_close(s);
}

/* A v2 file with a sale (before promotions) upgrades: the sale has no member, there are no
 * promotion rules yet. */
static void test_migrate_v2_no_members(void **state)
{
    (void)state;
    char path[512], msg[256];
    raw_file_at(path, sizeof path, "promo_v2", 2,
                "INSERT INTO sales(uuid, receipt_no, store_code, till_no, business_day, seq, "
                "created_utc, cashier, total_fen, rounding_fen, due_fen, change_fen, doc_json) "
                "VALUES('7b1f0c4e-6a2d-4c1e-9f3a-0d5e8b7c6a21', 'YR01-1-20261016-0001', "
                "'YR01', 1, '2026-10-16', 1, 1792117800, '01', 4400, 0, 4400, 0, '{}')");
    store *s = open_init(path);
    assert_int_equal(count(s, "SELECT count(*) FROM sales WHERE member_id IS NULL"), 1);
    assert_int_equal(count(s, "SELECT count(*) FROM promo_rules"), 0);
    assert_int_equal(store_check_integrity(s, msg, sizeof msg), STORE_OK);
    store_close(s);
}

/* A v4 file with a sale that gave a gift (written by the v4 step SQL) upgrades to v5: the old
 * gift keeps cost 0 (never recorded, not guessed) and loads; a new gift stores its cost. */
static void test_migrate_v4_gift_cost(void **state)
{
    char path[512];
    raw_file_at(path, sizeof path, "migrate_v4_gift", 4,
                OLD_SALE_SQL("7b1f0c4e-6a2d-4c1e-9f3a-0d5e8b7c6a22")
                "INSERT INTO sale_gifts VALUES('7b1f0c4e-6a2d-4c1e-9f3a-0d5e8b7c6a22', 1, "
                "'P0003', 1);");

    store *s = open_init(path);
    sale_doc *back = calloc(1, sizeof *back);
    assert_non_null(back);
    assert_int_equal(sales_load(s, "YR01-1-20261016-0001", back), STORE_OK);
    assert_int_equal(back->n_gifts, 1);
    assert_string_equal(back->gifts[0].sku, "P0003");
    assert_int_equal(back->gifts[0].cost_fen, 0);
    free(back);
    assert_int_equal(count(s, "SELECT count(*) FROM sale_gifts WHERE cost_fen < 0"), 0);
    store_close(s);
}

/* A v6 file with a sale (written by the step SQL, made without a request) upgrades to v7: the
 * sale has no request fingerprint (a caller's UUID naming it is another request's), and a sale
 * under a caller's UUID stores its fingerprint. */
static void test_migrate_v6_sale_requests(void **state)
{
    char path[512], msg[256];
    raw_file_at(path, sizeof path, "migrate_v6_requests", 6,
                OLD_SALE_SQL("7b1f0c4e-6a2d-4c1e-9f3a-0d5e8b7c6a23"));

    store *s = open_init(path);
    assert_int_equal(store_check_integrity(s, msg, sizeof msg), STORE_OK);
    assert_int_equal(count(s, "SELECT count(*) FROM sales"), 1);
    assert_int_equal(count(s, "SELECT count(*) FROM sale_requests"), 0);
    char fp[SALES_REQUEST_FP_CAP] = "x";
    assert_int_equal(sales_request_fingerprint(s, "7b1f0c4e-6a2d-4c1e-9f3a-0d5e8b7c6a23", fp),
                     STORE_OK);
    assert_string_equal(fp, "");

    uint64_t rng = 11;
    sale_doc *d = fx_new_sale(2, T_MORNING, &rng);
    const char *want = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    bool stored = true;
    assert_int_equal(sales_commit_request(s, d, want, NULL, 0, &stored, msg, sizeof msg),
                     STORE_OK);
    assert_false(stored);
    assert_int_equal(sales_request_fingerprint(s, d->uuid, fp), STORE_OK);
    assert_string_equal(fp, want);
    free(d);
    store_close(s);
}

static void test_migration_failure_is_atomic(void **state)
{
    /* A version-0 file that already has a conflicting "settings" table: step 1 fails, and must
     * leave the file exactly at version 0 with none of step 1's tables. */
    char path[512], msg[256];
    db_path(path, sizeof path, "migrate_conflict");
    sqlite3 *raw = NULL;
    assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
    raw_exec(raw, "CREATE TABLE settings(x INTEGER)");
    sqlite3_close(raw);
    store *s = NULL;
    store_open_opts o = {.create = true};   /* init: migrates */
    assert_int_not_equal(store_open(path, &o, &s, msg, sizeof msg), STORE_OK);
    assert_null(s);
    assert_true(strstr(msg, "migration step 1") != NULL);
    assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
    assert_int_equal(migrations_user_version(raw, NULL), 0);
    sqlite3_stmt *st;
    sqlite3_prepare_v2(raw, "SELECT count(*) FROM sqlite_master WHERE name = 'products'", -1, &st,
                       NULL);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 0);
    sqlite3_finalize(st);
    sqlite3_close(raw);
}

static void test_newer_schema_untouched(void **state)
{
    char path[512], msg[256];
    db_path(path, sizeof path, "newer");
    sqlite3 *raw = NULL;
    assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
    raw_exec(raw, "CREATE TABLE future(x); INSERT INTO future VALUES(1); PRAGMA user_version = 99;");
    sqlite3_close(raw);
    size_t n0, n1;
    char *before = file_bytes(path, &n0);

    store *s = NULL;
    store_open_opts o = {.create = true};
    assert_int_equal(store_open(path, &o, &s, msg, sizeof msg), STORE_ERR_NEWER_SCHEMA);
    assert_null(s);
    assert_true(strstr(msg, "99") != NULL);
    char *after = file_bytes(path, &n1);
    assert_int_equal(n0, n1);
    assert_memory_equal(before, after, n0);
    free(before);
    free(after);
}

static void test_not_a_database(void **state)
{
    char path[512], msg[256];
    db_path(path, sizeof path, "notadb");
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    for (int i = 0; i < 200; i++)
        fputs("sku,name,unit,barcode,price_fen -- definitely not SQLite\n", f);
    fclose(f);
    size_t n0, n1;
    char *before = file_bytes(path, &n0);
    store *s = NULL;
    store_open_opts o = {0};
    assert_int_equal(store_open(path, &o, &s, msg, sizeof msg), STORE_ERR_CORRUPT);
    assert_null(s);
    char *after = file_bytes(path, &n1);
    assert_int_equal(n0, n1);
    assert_memory_equal(before, after, n0);
    free(before);
    free(after);

    /* A valid SQLite file of some other application is refused too. */
    db_path(path, sizeof path, "foreign");
    sqlite3 *raw = NULL;
    assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
    raw_exec(raw, "PRAGMA application_id = 1234; CREATE TABLE t(x);");
    sqlite3_close(raw);
    assert_int_equal(store_open(path, &o, &s, msg, sizeof msg), STORE_ERR_CORRUPT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_migrate_older_files),
        cmocka_unit_test(test_migrate_v1_with_data),
        cmocka_unit_test(test_migrate_v2_no_members),
        cmocka_unit_test(test_migrate_v4_gift_cost),
        cmocka_unit_test(test_migrate_v6_sale_requests),
        cmocka_unit_test(test_migration_failure_is_atomic),
        cmocka_unit_test(test_newer_schema_untouched),
        cmocka_unit_test(test_not_a_database),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
