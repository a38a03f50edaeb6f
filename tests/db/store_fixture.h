/* store_fixture: the set-up the sale, refund, points and star tests of tests/db share -- a
 * fresh store file with the test till's configuration (store YR01, till 1, UTC+8), and a sale
 * of given lines and tenders built through pos/core (basket_*, sale_from_basket: the till's
 * path) and committed with sales_commit; a random sale (fx_make_sale) committed or the test
 * fails.  One copy, so the tests that check what a sale and its refunds leave behind all start
 * from the same kind of sale.
 *
 * A test-only header of static functions (every tests/db/test_*.c is its own executable);
 * include after <cmocka.h>, db_test_util.h and sale_fixture.h. */
#ifndef FUPIN_TESTS_DB_STORE_FIXTURE_H
#define FUPIN_TESTS_DB_STORE_FIXTURE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/sales.h"
#include "db/settings.h"
#include "db/store.h"
#include "pos/core/basket.h"
#include "pos/core/sale.h"

/* A line of a test sale. */
typedef struct {
    const char *sku;
    fen_t price;
    int64_t qty;
    bool poverty_relief;
    fen_t discount;
    int64_t grams;        /* > 0: a weighed line (price per kg) */
} fx_item;

/* A tender of a test sale. */
typedef struct {
    tender_kind kind;
    fen_t fen;            /* 0 = the rest of the due (none when nothing is left) */
} fx_pay;

/* Open (creating and migrating) the store at path, which must not hold a store yet. */
__attribute__((unused)) static store *fx_open_path(const char *path)
{
    char msg[256];
    store *s = NULL;
    store_open_opts o = {.create = true};
    if (store_open(path, &o, &s, msg, sizeof msg) != STORE_OK)
        fail_msg("store_open %s: %s", path, msg);
    return s;
}

/* A fresh store at path (an old one is removed first) with the test till's configuration. */
__attribute__((unused)) static store *fx_open_new(const char *path, cash_rounding rounding)
{
    unlink_db(path);
    store *s = fx_open_path(path);
    till_config cfg = {.till_no = 1, .rounding = rounding, .tz_offset_min = 480};
    snprintf(cfg.store_code, sizeof cfg.store_code, "YR01");
    snprintf(cfg.store_name, sizeof cfg.store_name, "测试店");
    assert_int_equal(settings_set_config(s, &cfg), STORE_OK);
    return s;
}

/* Fill d with a sale of items paid with pays, at `at`, for member_id (NULL: anonymous), with
 * the points it redeems and earns; its UUID from rng.  Fails the test if core refuses. */
__attribute__((unused)) static void fx_build_sale(sale_doc *d, const char *member_id, int64_t at,
                                                  const fx_item *items, size_t n,
                                                  cash_rounding rounding, const fx_pay *pays,
                                                  size_t n_pays, int64_t redeemed,
                                                  int64_t earned, uint64_t *rng)
{
    basket *b = calloc(1, sizeof *b);
    assert_non_null(b);
    basket_init(b);
    for (size_t i = 0; i < n; i++) {
        product p;
        memset(&p, 0, sizeof p);
        snprintf(p.sku, sizeof p.sku, "%s", items[i].sku);
        snprintf(p.name, sizeof p.name, "商品 %s", items[i].sku);
        snprintf(p.unit, sizeof p.unit, "%s", items[i].grams ? "kg" : "个");
        p.price_fen = items[i].price;
        p.poverty_relief = items[i].poverty_relief;
        p.by_weight = items[i].grams > 0;
        p.active = true;
        snprintf(p.supplier_id, sizeof p.supplier_id, "SUP001");
        size_t line;
        if (items[i].grams)
            assert_int_equal(basket_add_weighed(b, &p, items[i].grams, &line), BASKET_OK);
        else
            assert_int_equal(basket_add_product(b, &p, items[i].qty, &line), BASKET_OK);
        b->lines[line].discount_fen = items[i].discount;
    }
    basket_settlement st;
    basket_settle(b, rounding, &st);
    fen_t left = st.due_fen;
    for (size_t i = 0; i < n_pays; i++) {
        fen_t f = pays[i].fen ? pays[i].fen : left;
        if (f <= 0 && pays[i].fen == 0)
            continue;                       /* "the rest", and nothing is left */
        assert_int_equal(basket_add_tender(b, pays[i].kind, f, NULL), BASKET_OK);
        left -= f;
    }
    memset(d, 0, sizeof *d);
    assert_int_equal(sale_from_basket(b, rounding, d), SALE_OK);
    fx_uuid(rng, d->uuid);
    snprintf(d->store_code, sizeof d->store_code, "YR01");
    d->till_no = 1;
    snprintf(d->cashier, sizeof d->cashier, "01");
    d->created_utc = at;
    if (member_id)
        snprintf(d->member_id, sizeof d->member_id, "%s", member_id);
    d->points_redeemed = redeemed;
    d->points_earned = earned;
    free(b);
}

/* A random payable sale of n_lines lines (sale_fixture.h's fx_make_sale), on the heap. */
__attribute__((unused)) static sale_doc *fx_new_sale(size_t n_lines, int64_t at, uint64_t *rng)
{
    sale_doc *d = calloc(1, sizeof *d);
    assert_non_null(d);
    assert_true(fx_make_sale(d, n_lines, at, rng));
    return d;
}

/* sales_commit d; the test fails, with the store's words, if it is refused. */
__attribute__((unused)) static void fx_commit_ok(store *s, sale_doc *d)
{
    char msg[512];
    store_err e = sales_commit(s, d, NULL, 0, msg, sizeof msg);
    if (e != STORE_OK)
        fail_msg("commit: %s: %s", store_strerror(e), msg);
}

/* fx_build_sale, then sales_commit; the test fails if the store refuses.  Receipt into rno. */
__attribute__((unused)) static void fx_sell(store *s, const char *member_id, int64_t at,
                                            const fx_item *items, size_t n,
                                            cash_rounding rounding, const fx_pay *pays,
                                            size_t n_pays, int64_t redeemed, int64_t earned,
                                            uint64_t *rng, char rno[SALE_RECEIPT_NO_CAP])
{
    sale_doc *d = calloc(1, sizeof *d);
    assert_non_null(d);
    fx_build_sale(d, member_id, at, items, n, rounding, pays, n_pays, redeemed, earned, rng);
    char msg[256];
    if (sales_commit(s, d, NULL, 0, msg, sizeof msg) != STORE_OK)
        fail_msg("sale: %s", msg);
    snprintf(rno, SALE_RECEIPT_NO_CAP, "%s", d->receipt_no);
    free(d);
}

#endif
