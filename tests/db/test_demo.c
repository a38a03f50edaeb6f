/* test_demo: loading the demo store from CSV -- idempotent, all-or-nothing, and a bad file is
 * reported line by line as FILE:LINE: column: reason. */
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

#include "db/demo.h"
#include "db/products.h"
#include "db/settings.h"
#include "db/store.h"
#include "db/suppliers.h"
#include "db_test_util.h"

#define FIXTURES FUPIN_SOURCE_DIR "/tests/db/fixtures"

static store *open_new(const char *name)
{
    char path[512], msg[256];
    snprintf(path, sizeof path, "%s/demo_%s.db", FUPIN_TEST_TMP, name);
    unlink_db(path);
    store *s = NULL;
    store_open_opts o = {.create = true};
    if (store_open(path, &o, &s, msg, sizeof msg) != STORE_OK)
        fail_msg("open: %s", msg);
    return s;
}

static void load_ok(store *s, const char *dir)
{
    static char msg[8192];
    store_err e = demo_load(s, dir, msg, sizeof msg);
    if (e != STORE_OK)
        fail_msg("demo_load %s: %s:\n%s", dir, store_strerror(e), msg);
}

static void test_fixture_load_idempotent(void **state)
{
    store *s = open_new("fixture");
    load_ok(s, FIXTURES "/good");
    assert_int_equal(products_count(s), 5);
    assert_int_equal(count(s, "SELECT count(*) FROM suppliers"), 3);
    assert_int_equal(count(s, "SELECT count(*) FROM barcodes"), 4);

    product p;
    assert_int_equal(products_find_by_gtin(s, "0000096385074", &p), STORE_OK); /* EAN-8 */
    assert_string_equal(p.sku, "P0003");
    assert_string_equal(p.supplier_id, "HH001");
    assert_int_equal(products_find_by_sku(s, "P0002", &p), STORE_OK);
    assert_string_equal(p.name, "核桃仁 \"精选\" 250g");
    assert_int_equal(products_find_by_plu(s, "10001", &p), STORE_OK);
    assert_true(p.by_weight);
    assert_int_equal(products_find_by_sku(s, "P0005", &p), STORE_OK);
    assert_false(p.poverty_relief);
    assert_string_equal(p.supplier_id, "");
    supplier sup;
    assert_int_equal(suppliers_find(s, "FIRM01", &sup), STORE_OK);
    assert_string_equal(sup.name, "云南永仁农特产品有限公司, 永定镇");
    assert_int_equal(count(s, "SELECT count(*) FROM products WHERE category = '干货'"), 1);
    assert_int_equal(count(s, "SELECT count(*) FROM agreements WHERE supplier_id = 'HH001'"), 1);
    char layouts[128];
    assert_int_equal(settings_get(s, "scale.layouts", layouts, sizeof layouts), STORE_OK);
    assert_string_equal(layouts, "21CCCCCPPPPPK;22CCCCCWWWWWK;23CCCCCQPPPPK;26CCCCCPPPPPWWWWWK");

    till_config c;
    assert_int_equal(settings_get_config(s, &c), STORE_OK);
    assert_string_equal(c.store_code, "YR01");
    assert_string_equal(c.store_name, "永仁县扶贫超市");
    assert_int_equal(c.rounding, ROUNDING_DROP_FEN);

    /* Second load: same catalog, and not a single row rewritten. */
    int changes = sqlite3_total_changes(store_db(s));
    load_ok(s, FIXTURES "/good");
    assert_int_equal(sqlite3_total_changes(store_db(s)), changes);
    assert_int_equal(products_count(s), 5);
    assert_int_equal(count(s, "SELECT count(*) FROM suppliers"), 3);
    assert_int_equal(count(s, "SELECT count(*) FROM barcodes"), 4);
    store_close(s);
}

static void test_existing_config_kept(void **state)
{
    store *s = open_new("config");
    till_config c = {.till_no = 2, .rounding = ROUNDING_NONE, .tz_offset_min = 480};
    snprintf(c.store_code, sizeof c.store_code, "YR07");
    snprintf(c.store_name, sizeof c.store_name, "永仁县服务站");
    assert_int_equal(settings_set_config(s, &c), STORE_OK);
    load_ok(s, FIXTURES "/good");
    till_config got;
    assert_int_equal(settings_get_config(s, &got), STORE_OK);
    assert_string_equal(got.store_code, "YR07");
    assert_int_equal(got.till_no, 2);
    store_close(s);
}

static void test_broken_rejects_everything(void **state)
{
    store *s = open_new("broken");
    char msg[4096];
    assert_int_equal(demo_load(s, FIXTURES "/broken", msg, sizeof msg), STORE_ERR_INVALID);
    printf("%s\n", msg);
    assert_non_null(strstr(msg, "/broken/demo/products.csv:3: barcodes: "));
    assert_non_null(strstr(msg, "/broken/demo/products.csv:5: supplier_id: unknown supplier SUP999"));
    /* Only those two. */
    int lines = 1;
    for (const char *p = msg; *p; p++)
        lines += *p == '\n';
    assert_int_equal(lines, 2);
    /* All or nothing: not even the good rows or the suppliers went in. */
    assert_int_equal(products_count(s), 0);
    assert_int_equal(count(s, "SELECT count(*) FROM suppliers"), 0);
    assert_int_equal(count(s, "SELECT count(*) FROM settings"), 0);

    /* And a broken load over a good catalog leaves it as it was. */
    load_ok(s, FIXTURES "/good");
    int changes = sqlite3_total_changes(store_db(s));
    assert_int_equal(demo_load(s, FIXTURES "/broken", msg, sizeof msg), STORE_ERR_INVALID);
    assert_int_equal(sqlite3_total_changes(store_db(s)), changes);
    assert_int_equal(products_count(s), 5);

    /* A directory without the files names the file it could not open. */
    assert_int_equal(demo_load(s, FIXTURES "/nowhere", msg, sizeof msg), STORE_ERR_INVALID);
    assert_non_null(strstr(msg, "/nowhere/demo/suppliers.csv:0: file: cannot open"));
    store_close(s);
}

static void test_real_demo_assets(void **state)
{
    char probe[600];
    snprintf(probe, sizeof probe, "%s/demo/products.csv", FUPIN_ASSETS_DIR);
    if (access(probe, R_OK) != 0)
        skip();   /* the demo data is written separately; the fixtures cover the loader */
    store *s = open_new("assets");
    load_ok(s, FUPIN_ASSETS_DIR);
    int64_t n_products = products_count(s);
    int64_t n_sup = count(s, "SELECT count(*) FROM suppliers");
    int64_t n_codes = count(s, "SELECT count(*) FROM barcodes");
    assert_true(n_products > 0 && n_sup > 0);
    load_ok(s, FUPIN_ASSETS_DIR);
    assert_int_equal(products_count(s), n_products);
    assert_int_equal(count(s, "SELECT count(*) FROM suppliers"), n_sup);
    assert_int_equal(count(s, "SELECT count(*) FROM barcodes"), n_codes);
    char msg[256];
    assert_int_equal(store_check_integrity(s, msg, sizeof msg), STORE_OK);
    printf("demo assets: %lld products, %lld suppliers, %lld barcodes\n", (long long)n_products,
           (long long)n_sup, (long long)n_codes);
    store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixture_load_idempotent),
        cmocka_unit_test(test_existing_config_kept),
        cmocka_unit_test(test_broken_rejects_everything),
        cmocka_unit_test(test_real_demo_assets),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
