/* test_catalog: the db side of #4 -- search (ranking, index refresh when another connection
 * changes the catalog), stock moves of sales and gifts, the stock journal's refusals, and the
 * report invariant (per-household figures add up to the sale lines). */
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

#include "db/catalog.h"
#include "db/demo.h"
#include "db/report.h"
#include "db/stock.h"
#include "db/products.h"
#include "db/sales.h"
#include "db/search.h"
#include "db/store.h"
#include "db_test_util.h"
#include "sale_fixture.h"

#define T_MORNING ((int64_t)1792117800)   /* 2026-10-16 10:30 +08:00 */

static char path[512];

static store *open_demo(const char *name)
{
    char msg[4096];
    snprintf(path, sizeof path, "%s/catalog_%s.db", FUPIN_TEST_TMP, name);
    unlink_db(path);
    store *s = NULL;
    store_open_opts o = {.create = true};
    if (store_open(path, &o, &s, msg, sizeof msg) != STORE_OK)
        fail_msg("open: %s", msg);
    if (demo_load(s, FUPIN_ASSETS_DIR, msg, sizeof msg) != STORE_OK)
        fail_msg("demo: %s", msg);
    return s;
}

static void test_search_ranking_and_refresh(void **state)
{
    store *s = open_demo("search");
    product r[10];
    size_t n = 0;
    /* exact PLU before anything that merely contains the digits */
    assert_int_equal(search_products(s, "10001", r, 10, &n), STORE_OK);
    assert_true(n >= 1);
    assert_string_equal(r[0].sku, "P0092");
    assert_true(r[0].by_weight);
    assert_int_equal(r[0].max_g, 10000);   /* the new fields are filled */
    /* pinyin prefix (核桃仁 = htr) before a name substring */
    assert_int_equal(search_products(s, "htr", r, 10, &n), STORE_OK);
    assert_true(n >= 2);
    assert_string_equal(r[0].sku, "P0006");
    assert_string_equal(r[1].sku, "P0007");
    assert_string_equal(r[0].cert_no, "扶贫认定 YR-2025-0106");
    /* cap respected; empty and blank queries find nothing and are not errors */
    assert_int_equal(search_products(s, "1", r, 3, &n), STORE_OK);
    assert_int_equal(n, 3);
    assert_int_equal(search_products(s, "   ", r, 10, &n), STORE_OK);
    assert_int_equal(n, 0);
    assert_int_equal(search_products(s, "", r, 10, &n), STORE_OK);
    assert_int_equal(n, 0);

    /* another connection adds a product: this handle's index sees it on the next search */
    store *other = NULL;
    char msg[256];
    store_open_opts o = {0};
    assert_int_equal(store_open(path, &o, &other, msg, sizeof msg), STORE_OK);
    product p = {.sku = "N0001", .name = "核桃酥 250g", .unit = "盒", .price_fen = 1650,
                 .active = true};
    assert_int_equal(products_upsert(other, &p), STORE_OK);
    assert_int_equal(search_products(s, "hts2", r, 10, &n), STORE_OK);
    assert_int_equal(n, 1);
    assert_string_equal(r[0].sku, "N0001");
    /* deactivated products are not offered */
    p.active = false;
    assert_int_equal(products_upsert(other, &p), STORE_OK);
    assert_int_equal(search_products(s, "hts2", r, 10, &n), STORE_OK);
    assert_int_equal(n, 0);
    /* a price change through the API is in the price history too */
    p.price_fen = 1750;
    assert_int_equal(products_upsert(other, &p), STORE_OK);
    assert_int_equal(count(s, "SELECT count(*) FROM price_history WHERE sku = 'N0001' AND "
                              "old_price_fen = 1650 AND new_price_fen = 1750 AND source = 'api'"),
                     1);
    store_close(other);
    store_close(s);
}

static void test_sale_and_gift_moves(void **state)
{
    store *s = open_demo("moves");
    uint64_t rng = 42;
    sale_doc *d = calloc(1, sizeof *d);
    assert_non_null(d);
    assert_true(fx_make_sale(d, 4, T_MORNING, &rng));
    /* a 满赠 gift line: no money, but it leaves the shelf */
    d->n_gifts = 1;
    snprintf(d->gifts[0].sku, sizeof d->gifts[0].sku, "P0035");
    d->gifts[0].qty = 2;
    char msg[512];
    if (sales_commit(s, d, NULL, 0, msg, sizeof msg) != STORE_OK)
        fail_msg("commit: %s", msg);
    assert_int_equal(count(s, "SELECT count(*) FROM stock_moves WHERE kind = 'sale'"), 4);
    assert_int_equal(count(s, "SELECT qty FROM stock_moves WHERE kind = 'gift' AND sku = 'P0035'"),
                     -2);
    /* committing the same sale again (lost reply) writes no second set of moves */
    assert_int_equal(sales_commit(s, d, NULL, 0, msg, sizeof msg), STORE_OK);
    assert_int_equal(count(s, "SELECT count(*) FROM stock_moves"), 5);
    stock_level *lv = NULL;
    size_t n = 0;
    assert_int_equal(stock_levels(s, "P0035", &lv, &n), STORE_OK);
    assert_int_equal(n, 1);
    assert_int_equal(lv[0].qty, -2);
    assert_true(lv[0].negative);
    free(lv);
    /* append-only */
    assert_int_not_equal(sqlite3_exec(store_db(s), "DELETE FROM stock_moves", NULL, NULL, NULL),
                         SQLITE_OK);
    assert_int_equal(count(s, "SELECT count(*) FROM stock_moves"), 5);
    free(d);
    store_close(s);
}

static void test_household_totals(void **state)
{
    store *s = open_demo("report");
    /* Sales of demo products through core (basket -> document), several households and a
     * firm, over two hours of one business day. */
    static const char *const skus[] = {"P0039", "P0007", "P0012", "P0029", "P0025", "P0042"};
    uint64_t rng = 7;
    for (int k = 0; k < 12; k++) {
        basket *b = calloc(1, sizeof *b);
        sale_doc *d = calloc(1, sizeof *d);
        assert_non_null(b);
        assert_non_null(d);
        basket_init(b);
        for (size_t i = 0; i < 3; i++) {
            product p;
            assert_int_equal(products_find_by_sku(s, skus[(k + i) % 6], &p), STORE_OK);
            assert_int_equal(basket_add_product(b, &p, 1 + (int64_t)(fx_rand(&rng) % 4), NULL),
                             BASKET_OK);
        }
        basket_settlement st;
        basket_settle(b, ROUNDING_NONE, &st);
        assert_int_equal(basket_add_tender(b, TENDER_WECHAT, st.due_fen, NULL), BASKET_OK);
        assert_int_equal(sale_from_basket(b, ROUNDING_NONE, d), SALE_OK);
        fx_uuid(&rng, d->uuid);
        snprintf(d->store_code, sizeof d->store_code, "YR01");
        d->till_no = 1;
        snprintf(d->cashier, sizeof d->cashier, "01");
        d->created_utc = T_MORNING + k * 600;
        char msg[512];
        if (sales_commit(s, d, NULL, 0, msg, sizeof msg) != STORE_OK)
            fail_msg("commit %d: %s", k, msg);
        free(b);
        free(d);
    }
    report_row *rows = NULL, tot;
    size_t n = 0;
    assert_int_equal(report_sales(s, REPORT_BY_HOUSEHOLD, NULL, NULL, &rows, &n, &tot), STORE_OK);
    assert_int_equal(n, 5);   /* HH001 HH007 HH003 HH004 HH006; P0042 is a firm's */
    int64_t sum = 0;
    for (size_t i = 0; i < n; i++) {
        char sql[512];
        snprintf(sql, sizeof sql,
                 "SELECT sum(l.amount_fen - l.discount_fen) FROM sale_lines l JOIN suppliers p "
                 "ON p.id = l.supplier_id WHERE p.household_id = '%s' AND l.poverty_relief = 1",
                 rows[i].key);
        assert_int_equal(rows[i].amount_fen, count(s, sql));
        sum += rows[i].amount_fen;
    }
    assert_int_equal(tot.amount_fen, sum);
    free(rows);
    /* by supplier covers all poverty-relief money, households included */
    assert_int_equal(report_sales(s, REPORT_BY_SUPPLIER, "2026-10-16", "2026-10-16", &rows, &n,
                                  &tot),
                     STORE_OK);
    assert_int_equal(tot.amount_fen, count(s, "SELECT sum(amount_fen - discount_fen) FROM "
                                              "sale_lines WHERE poverty_relief = 1"));
    free(rows);
    agreement_progress *ag = NULL;
    assert_int_equal(report_agreements(s, 2026, &ag, &n), STORE_OK);
    assert_true(n >= 5);
    for (size_t i = 0; i < n; i++)
        if (strcmp(ag[i].supplier_id, "HH007") == 0)
            assert_int_equal(ag[i].sold_fen,
                             count(s, "SELECT sum(amount_fen - discount_fen) FROM sale_lines "
                                      "WHERE supplier_id = 'HH007'"));
    free(ag);
    /* an agreement with a cooperative is refused by the schema itself */
    assert_int_not_equal(sqlite3_exec(store_db(s),
                                      "INSERT INTO agreements(id, supplier_id, amount_agreed_fen, "
                                      "term_from, term_to) VALUES('X', 'SUP001', 100, "
                                      "'2026-01-01', '2026-12-31')",
                                      NULL, NULL, NULL),
                     SQLITE_OK);
    store_close(s);
}

/* A catalog import that fills the disk half-way says where and why ("line N (SKU): database
 * or disk is full"), not the line alone, and writes nothing. */
static void test_import_disk_full_names_the_cause(void **state)
{
    (void)state;
    store *s = open_demo("full");
    char csv[600];
    snprintf(csv, sizeof csv, "%s/catalog_full.csv", FUPIN_TEST_TMP);
    FILE *f = fopen(csv, "w");
    assert_non_null(f);
    fputs("sku,name,unit,price_fen\n", f);
    for (int i = 0; i < 5000; i++)
        fprintf(f, "F%06d,满盘测试商品 %d 号，名字长一些好占满页面,个,%d\n", i, i, 100 + i);
    assert_int_equal(fclose(f), 0);
    int64_t products = count(s, "SELECT count(*) FROM products");
    char sql[80];
    snprintf(sql, sizeof sql, "PRAGMA max_page_count = %lld",
             (long long)count(s, "PRAGMA page_count") + 8);
    assert_int_equal(sqlite3_exec(store_db(s), sql, NULL, NULL, NULL), SQLITE_OK);
    strbuf errors;
    strbuf_init(&errors);
    catalog_import_opts o = {.now_utc = T_MORNING, .source = "import:full.csv"};
    assert_int_equal(catalog_import_file(s, csv, &o, false, NULL, NULL, &errors), STORE_ERR_FULL);
    assert_non_null(errors.data);
    if (!strstr(errors.data, "import:full.csv line ") || !strstr(errors.data, "disk is full") ||
        strstr(strstr(errors.data, "line ") + 5, "line "))   /* the line once, then the cause */
        fail_msg("error lacks its cause: %s", errors.data);
    assert_int_equal(count(s, "SELECT count(*) FROM products"), products);
    strbuf_free(&errors);
    store_close(s);
    unlink(csv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_search_ranking_and_refresh),
        cmocka_unit_test(test_sale_and_gift_moves),
        cmocka_unit_test(test_household_totals),
        cmocka_unit_test(test_import_disk_full_names_the_cause),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
