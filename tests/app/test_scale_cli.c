/* Weighed goods, scale labels and payment codes through the real fupin-pos binary on a real
 * SQLite file: `scan` says what a code is, `sell` charges what the till would.  The products the
 * tests depend on get their tare / weight range / certificate set here through the store API, so
 * the tests do not hang on the demo data's exact values. */
#define CLI_HARNESS_NAME "scale-cli"
#include "cli_harness.h"

#include "db/products.h"
#include "db/settings.h"
#include "db/store.h"
#include "pos/core/scale_label.h"

static void set_setting(const char *key, const char *value)
{
    store *s = NULL;
    char msg[256];
    store_open_opts o = { 0 };
    assert_int_equal(store_open(db_path, &o, &s, msg, sizeof msg), STORE_OK);
    assert_int_equal(settings_set(s, key, value), STORE_OK);
    store_close(s);
}

/* Give a demo product the weighing / certificate data a test needs. */
static void set_product(const char *sku, int64_t tare, int64_t min_g, int64_t max_g,
                        const char *cert_valid_to)
{
    store *s = NULL;
    char msg[256];
    store_open_opts o = { 0 };
    assert_int_equal(store_open(db_path, &o, &s, msg, sizeof msg), STORE_OK);
    product p;
    assert_int_equal(products_find_by_sku(s, sku, &p), STORE_OK);
    p.tare_g = tare;
    p.min_g = min_g;
    p.max_g = max_g;
    if (cert_valid_to) {
        snprintf(p.cert_valid_to, sizeof p.cert_valid_to, "%s", cert_valid_to);
        if (!p.cert_no[0])
            snprintf(p.cert_no, sizeof p.cert_no, "%s", "扶贫认定 TEST-1");
    }
    assert_int_equal(products_upsert(s, &p), STORE_OK);
    store_close(s);
}

/* The store's label layouts for these tests (setting scale.layouts): 0 = 21 price, 1 = 22
 * weight, 2 = 23 price with a price check digit, 3 = 26 price and weight (18 digits). */
#define LAYOUTS "21CCCCCPPPPPK;22CCCCCWWWWWK;23CCCCCQPPPPK;26CCCCCPPPPPWWWWWK"
enum { L_PRICE = 0, L_WEIGHT = 1, L_PRICE_Q = 2, L_BOTH = 3 };

/* A label as the store's scales print it. */
static const char *label(size_t layout, const char *plu, int64_t fen, int64_t grams)
{
    static char codes[8][32];
    static size_t next;
    char *buf = codes[next++ % 8];
    scale_layout_set set;
    char why[128];
    assert_int_equal(scale_layouts_parse(LAYOUTS, &set, why, sizeof why), SCALE_OK);
    assert_true(scale_label_encode(&set, layout, plu, fen, grams, buf, 32));
    return buf;
}

#define AT "--at 2026-10-15T10:30:00+08:00"   /* a Thursday: no 扶贫日 discount */

static int setup(void **state)
{
    if (cli_harness_setup(state) != 0)
        return -1;
    /* 软籽石榴(散装) PLU 10001 ¥18.00/kg: no tare, 100 g .. 10 kg.  土鸡蛋(称重) PLU 10006
     * ¥24.00/kg: a 30 g tray, 100 g .. 5 kg. */
    set_product("P0092", 0, 100, 10000, NULL);
    set_product("P0097", 30, 100, 5000, NULL);
    set_setting("scale.layouts", LAYOUTS);
    return 0;
}

static void test_scan_reports_labels_and_payment_codes(void **state)
{
    (void)state;
    /* weight only: 355 g of 软籽石榴 at ¥18.00/kg = 6.39 */
    assert_int_equal(run("--json scan %s", label(L_WEIGHT, "10001", 0, 355)), 0);
    json_value *v = parse_out();
    assert_string_equal(json_get_string(v, "kind"), "scale_label");
    assert_string_equal(json_get_string(v, "plu"), "10001");
    assert_int_equal(json_get_int(v, "grams", -1), 355);
    assert_int_equal(json_get_int(v, "price_fen", -1), 0);
    assert_int_equal(json_get_int(v, "catalog_fen", -1), 639);
    assert_int_equal(json_get_int(v, "charge_fen", -1), 639);
    assert_string_equal(json_get_string(json_get(v, "product"), "sku"), "P0092");
    json_free(v);

    /* price and weight, 1 fen off the catalog: agrees within the 5 fen tolerance */
    assert_int_equal(run("--json scan %s", label(L_BOTH, "10001", 640, 355)), 0);
    v = parse_out();
    assert_true(json_get(v, "checked")->boolean);
    assert_true(json_get(v, "agrees")->boolean);
    assert_int_equal(json_get_int(v, "price_fen", -1), 640);
    assert_int_equal(json_get_int(v, "charge_fen", -1), 640);
    json_free(v);

    /* 61 fen off: flagged, and `scan` exits 1 like `sell` would refuse it */
    assert_int_equal(run("--json --lang en scan %s", label(L_BOTH, "10001", 700, 355)), 1);
    v = parse_out();
    assert_string_equal(json_get_string(v, "kind"), "scale_label");
    assert_false(json_get(v, "agrees")->boolean);
    assert_false(json_get(v, "sellable")->boolean);
    assert_non_null(strstr(json_get_string(v, "reason"), "does not match"));
    json_free(v);
    assert_int_equal(run("scan %s", label(L_BOTH, "10001", 700, 355)), 1);
    assert_non_null(strstr(stderr_text(), "标签金额与价格不符"));   /* a refusal: stderr */

    /* price only, with the price check digit */
    assert_int_equal(run("--json scan %s", label(L_PRICE_Q, "10001", 650, 0)), 0);
    v = parse_out();
    assert_int_equal(json_get_int(v, "price_fen", -1), 650);
    assert_int_equal(json_get_int(v, "grams", -1), 0);
    json_free(v);

    /* an unknown PLU, and a label with a wrong check digit */
    assert_int_equal(run("--json scan %s", label(L_WEIGHT, "99999", 0, 355)), 1);
    v = parse_out();
    assert_false(json_get(v, "found")->boolean);
    json_free(v);
    char bad[32];
    snprintf(bad, sizeof bad, "%s", label(L_WEIGHT, "10001", 0, 355));
    bad[12] = bad[12] == '9' ? '0' : (char)(bad[12] + 1);
    assert_int_equal(run("--json scan %s", bad), 1);
    v = parse_out();
    assert_string_equal(json_get_string(v, "kind"), "rejected");
    json_free(v);

    /* payment codes: provider and tender kind */
    static const struct { const char *code, *provider; } pays[] = {
        { "134567890123456789", "wechat" },
        { "281234567890123456", "alipay" },
        { "6212345678901234567", "unionpay" },
    };
    for (size_t i = 0; i < sizeof pays / sizeof pays[0]; i++) {
        assert_int_equal(run("--json scan %s", pays[i].code), 0);
        v = parse_out();
        assert_string_equal(json_get_string(v, "kind"), "payment");
        assert_string_equal(json_get_string(v, "provider"), pays[i].provider);
        assert_string_equal(json_get_string(v, "tender"), pays[i].provider);
        json_free(v);
    }
}

static void test_sell_charges_the_printed_amount(void **state)
{
    (void)state;
    /* a label printing ¥6.40 for 355 g (catalog 6.39): the shopper pays 6.40, the line keeps
     * the grams and the catalog ¥18.00/kg */
    assert_int_equal(run("--json sell %s --tender wechat:640 " AT, label(L_BOTH, "10001", 640, 355)),
                     0);
    json_value *s = parse_out();
    assert_sale_invariants(s);
    const json_value *l = json_at(json_get(s, "lines"), 0);
    assert_string_equal(json_get_string(l, "sku"), "P0092");
    assert_int_equal(json_get_int(l, "grams", -1), 355);
    assert_int_equal(json_get_int(l, "unit_price_fen", -1), 1800);
    assert_int_equal(json_get_int(l, "amount_fen", -1), 640);
    assert_int_equal(json_get_int(s, "total_fen", -1), 640);
    assert_int_equal(sql_int("SELECT amount_fen FROM sale_lines WHERE sale_uuid='%s'",
                             json_get_string(s, "uuid")),
                     640);
    json_free(s);

    /* weight-only label: price × weight half-up; price-only: one pack at the printed price */
    assert_int_equal(run("--json sell %s %s --tender cash:2000 " AT, label(L_WEIGHT, "10001", 0, 333),
                         label(L_PRICE, "10001", 650, 0)),
                     0);
    s = parse_out();
    assert_sale_invariants(s);
    l = json_at(json_get(s, "lines"), 0);
    assert_int_equal(json_get_int(l, "grams", -1), 333);
    assert_int_equal(json_get_int(l, "amount_fen", -1), 599);    /* 5.994 -> 5.99 */
    l = json_at(json_get(s, "lines"), 1);
    assert_int_equal(json_get_int(l, "grams", -1), 0);
    assert_int_equal(json_get_int(l, "qty", -1), 1);
    assert_int_equal(json_get_int(l, "unit_price_fen", -1), 650);
    assert_int_equal(json_get_int(l, "amount_fen", -1), 650);
    json_free(s);
}

static void test_sell_refuses_bad_labels_and_payment_codes(void **state)
{
    (void)state;
    int64_t before = sql_int("SELECT count(*) FROM sales");
    /* mismatched label: exit 1, says why, writes nothing */
    assert_int_equal(run("sell %s --tender cash:1000 " AT, label(L_BOTH, "10001", 700, 355)), 1);
    assert_non_null(strstr(stderr_text(), "标签金额与价格不符"));
    assert_non_null(strstr(stderr_text(), "6.39"));
    assert_int_equal(run("--lang en sell %s --tender cash:1000 " AT, label(L_BOTH, "10001", 600, 355)),
                     1);
    assert_non_null(strstr(stderr_text(), "label amount does not match"));
    /* a customer payment code is never an item */
    assert_int_equal(run("sell 134567890123456789 --tender cash:1000 " AT), 1);
    assert_non_null(strstr(stderr_text(), "这是付款码，请在收款时扫描"));
    /* a label is one pack: no quantity */
    assert_int_equal(run("--lang en sell %s*2 --tender cash:2000 " AT, label(L_PRICE, "10001", 650, 0)),
                     1);
    assert_non_null(strstr(stderr_text(), "scale label"));
    assert_int_equal(sql_int("SELECT count(*) FROM sales"), before);

    /* the tolerance is a setting: at 0 fen even the 1 fen difference is refused */
    set_setting("scale.tolerance_fen", "0");
    assert_int_equal(run("sell %s --tender cash:1000 " AT, label(L_BOTH, "10001", 640, 355)), 1);
    assert_non_null(strstr(stderr_text(), "标签金额与价格不符"));
    set_setting("scale.tolerance_fen", "-3");
    assert_int_equal(run("sell %s --tender cash:1000 " AT, label(L_BOTH, "10001", 639, 355)), 1);
    assert_non_null(strstr(stderr_text(), "scale.tolerance_fen"));
    set_setting("scale.tolerance_fen", "5");

    /* the layouts are a setting too: with only "29…" weight labels, 29 decodes and 22 does not */
    set_setting("scale.layouts", "29CCCCCWWWWWK");
    char code29[16];
    scale_layout_set set;
    char why[128];
    assert_int_equal(scale_layouts_parse("29CCCCCWWWWWK", &set, why, sizeof why), SCALE_OK);
    assert_true(scale_label_encode(&set, 0, "10001", 0, 500, code29, sizeof code29));
    assert_int_equal(run("--json scan %s", code29), 0);
    json_value *v = parse_out();
    assert_string_equal(json_get_string(v, "kind"), "scale_label");
    assert_int_equal(json_get_int(v, "grams", -1), 500);
    json_free(v);
    assert_int_equal(run("--json scan %s", label(L_WEIGHT, "10001", 0, 355)), 1);
    v = parse_out();
    assert_string_equal(json_get_string(v, "kind"), "product");   /* a plain in-store EAN now */
    json_free(v);
    /* a malformed layout stops the till instead of mis-reading labels */
    set_setting("scale.layouts", "29CCXXWWWWWK");
    assert_int_equal(run("sell 6985798000316 --tender cash:1000 " AT), 1);
    assert_non_null(strstr(stderr_text(), "scale.layouts"));
    /* a layout without a PLU field (stored before layouts were checked for one) stops the till
     * too, saying so -- not a stale message about another setting at every label */
    set_setting("scale.layouts", "21PPPPPPPPPPK");
    assert_int_equal(run("--lang en sell 2100000012343 --tender cash:1000 " AT), 1);
    if (!strstr(stderr_text(), "scale.layouts") || !strstr(stderr_text(), "no PLU field") ||
        strstr(stderr_text(), "tolerance"))
        fail_msg("%s", stderr_text());
    assert_int_equal(sql_int("SELECT count(*) FROM sales"), before);
}

static void test_weighed_tare_and_range(void **state)
{
    (void)state;
    /* 土鸡蛋 10006: 530 g gross on a 30 g tray = 500 g net at ¥24.00/kg = 12.00 */
    assert_int_equal(run("--json sell 10006@530 --tender cash:1200 " AT), 0);
    json_value *s = parse_out();
    assert_sale_invariants(s);
    const json_value *l = json_at(json_get(s, "lines"), 0);
    assert_int_equal(json_get_int(l, "grams", -1), 500);
    assert_int_equal(json_get_int(l, "amount_fen", -1), 1200);
    json_free(s);
    int64_t before = sql_int("SELECT count(*) FROM sales");
    static const struct { const char *item, *says; } cases[] = {
        { "10006@30", "tare" },              /* only the tray */
        { "10006@129", "minimum" },          /* 99 g net < 100 g */
        { "10006@5031", "maximum" },         /* 5001 g net > 5 kg */
        { "10006@0", "weight" },
        { "10001@99", "minimum" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int rc = run("--lang en sell %s --tender cash:100000 " AT, cases[i].item);
        if (rc != 1 || !strstr(stderr_text(), cases[i].says))
            fail_msg("%s: exit %d, stderr %s (want '%s')", cases[i].item, rc, stderr_text(),
                     cases[i].says);
    }
    /* the edges are inside: 130 g gross = 100 g net, 5030 g = 5000 g */
    assert_int_equal(run("--json sell 10006@130 10006@5030 --tender cash:100000 " AT), 0);
    s = parse_out();
    assert_int_equal(json_get_int(json_at(json_get(s, "lines"), 0), "grams", -1), 100);
    assert_int_equal(json_get_int(json_at(json_get(s, "lines"), 1), "grams", -1), 5000);
    json_free(s);
    assert_int_equal(sql_int("SELECT count(*) FROM sales"), before + 1);
}

static void test_lapsed_certificate_is_not_poverty_relief(void **state)
{
    (void)state;
    /* 油炸蜂蛹 P0041 (6945949000176), certificate valid through 2026-06-30 */
    set_product("P0041", 0, 0, 0, "2026-06-30");
    assert_int_equal(run("--json sell 6945949000176 6985798000316 --tender cash:10000 "
                         "--at 2026-06-30T23:59:00+08:00"), 0);
    json_value *s = parse_out();
    assert_true(json_get(json_at(json_get(s, "lines"), 0), "poverty_relief")->boolean);
    json_free(s);
    /* the next business day it still sells, but no longer counts as poverty-relief */
    assert_int_equal(run("--json sell 6945949000176 6985798000316 --tender cash:10000 "
                         "--at 2026-07-01T00:00:01+08:00"), 0);
    s = parse_out();
    assert_sale_invariants(s);
    assert_false(json_get(json_at(json_get(s, "lines"), 0), "poverty_relief")->boolean);
    assert_true(json_get(json_at(json_get(s, "lines"), 1), "poverty_relief")->boolean);
    assert_int_equal(sql_int("SELECT poverty_relief FROM sale_lines WHERE sale_uuid='%s' AND "
                             "sku='P0041'",
                             json_get_string(s, "uuid")),
                     0);
    json_free(s);
    /* `scan` says so too */
    assert_int_equal(run("--json scan 6945949000176 " AT), 0);
    json_value *v = parse_out();
    assert_true(json_get(json_get(v, "product"), "poverty_relief")->boolean);
    assert_false(json_get(json_get(v, "product"), "poverty_relief_today")->boolean);
    json_free(v);
    assert_int_equal(run("scan 6945949000176 " AT), 0);
    assert_non_null(strstr(out, "扶贫认证已过期"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_scan_reports_labels_and_payment_codes, setup,
                                        cli_harness_teardown),
        cmocka_unit_test_setup_teardown(test_sell_charges_the_printed_amount, setup,
                                        cli_harness_teardown),
        cmocka_unit_test_setup_teardown(test_sell_refuses_bad_labels_and_payment_codes, setup,
                                        cli_harness_teardown),
        cmocka_unit_test_setup_teardown(test_weighed_tare_and_range, setup,
                                        cli_harness_teardown),
        cmocka_unit_test_setup_teardown(test_lapsed_certificate_is_not_poverty_relief, setup,
                                        cli_harness_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
