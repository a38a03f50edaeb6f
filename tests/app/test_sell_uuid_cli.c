/* `sell --uuid` as an idempotency key, end to end: the real fupin-pos binary on a demo database.
 * The caller's UUID names the REQUEST (items, tenders, member as given: its fingerprint is
 * stored with the sale), so a script's retry of the identical command reports the stored sale
 * (exit 0) whatever changed since -- points spent, a product withdrawn -- and never sells twice,
 * while a different request under a stored UUID is refused (exit 1) and writes nothing. */
#define CLI_HARNESS_NAME "sell-uuid"
#include "cli_harness.h"

#include "db/sha256.h"

#define FRIDAY "--at 2026-10-16T10:30:00+08:00"
/* Demo catalog: 软籽石榴汁 300ml P0003 ¥8.80 (扶贫); 88000001 … 88000004 are person members. */
#define JUICE "6985798000316"
#define U1 "0b8f5c52-7f0e-4a61-9d3c-5a1e2b3c4d5e"

static void test_points_retry_reports_the_stored_sale(void **state)
{
    (void)state;
    /* 张三明 earns 150 points (12 juices, Friday), then pays ¥1.50 of a ¥16.72 sale with all of
     * them: after it his balance is what that sale earned, too little for a second ¥1.50. */
    assert_int_equal(run("sell " JUICE "*12 --tender cash:20000 --member 88000001 " FRIDAY), 0);
    const char *req = "--json sell " JUICE "*2 --member 88000001 --tender points:150 "
                      "--tender cash:1522 --uuid " U1;
    assert_int_equal(run("%s " FRIDAY, req), 0);
    json_value *s = parse_out();
    char receipt[64];
    snprintf(receipt, sizeof receipt, "%s", json_get_string(s, "receipt_no"));
    json_free(s);
    int64_t balance = sql_int("SELECT coalesce(sum(points), 0) FROM points_journal "
                              "WHERE member_id = '88000001'");
    int64_t sales = sql_int("SELECT count(*) FROM sales");

    /* the identical retry, a minute later: the stored sale, exit 0, nothing written */
    assert_int_equal(run("--lang en %s --at 2026-10-16T10:31:00+08:00", req), 0);
    s = parse_out();
    assert_string_equal(json_get_string(s, "receipt_no"), receipt);
    assert_string_equal(json_get_string(s, "uuid"), U1);
    json_free(s);
    assert_non_null(strstr(stderr_text(), "already stored as"));
    assert_non_null(strstr(stderr_text(), "nothing written"));
    assert_int_equal(sql_int("SELECT count(*) FROM sales"), sales);
    assert_int_equal(sql_int("SELECT count(*) FROM sales WHERE uuid = '%s'", U1), 1);
    assert_int_equal(sql_int("SELECT coalesce(sum(points), 0) FROM points_journal "
                             "WHERE member_id = '88000001'"), balance);
    /* text output too */
    assert_int_equal(run("%s " FRIDAY, req + strlen("--json ")), 0);
    assert_non_null(strstr(out, receipt));
    assert_int_equal(sql_int("SELECT count(*) FROM sales"), sales);
}

static void test_retry_after_the_product_is_withdrawn(void **state)
{
    (void)state;
    assert_int_equal(run("--json sell " JUICE "*2 --tender cash:2000 --uuid " U1 " " FRIDAY), 0);
    json_value *s = parse_out();
    char receipt[64];
    snprintf(receipt, sizeof receipt, "%s", json_get_string(s, "receipt_no"));
    json_free(s);
    /* the juice leaves the catalog (active = 0): a new sale of it is refused ... */
    char csv[1100];
    cli_harness_path(csv, sizeof csv, "-inactive.csv");
    write_file(csv,
               "sku,name,name_en,unit,barcodes,price_fen,by_weight,plu,tare_g,min_g,max_g,"
               "tax_class,category,active,poverty_relief,supplier_id,cert_no,cert_county,"
               "cert_valid_from,cert_valid_to\n"
               "P0003,软籽石榴汁 300ml,Pomegranate juice 300ml,瓶,6985798000316,880,0,,,,,agri,"
               "饮料,0,1,SUP001,扶贫认定 YR-2025-0103,永仁县,2025-01-01,2027-12-31\n");
    assert_int_equal(run("catalog import '%s'", csv), 0);
    unlink(csv);
    assert_int_equal(run("sell " JUICE "*2 --tender cash:2000 " FRIDAY), 1);
    /* ... but the retry of the stored request still reports it */
    assert_int_equal(run("--json sell " JUICE "*2 --tender cash:2000 --uuid " U1 " " FRIDAY), 0);
    s = parse_out();
    assert_string_equal(json_get_string(s, "receipt_no"), receipt);
    json_free(s);
    assert_int_equal(sql_int("SELECT count(*) FROM sales"), 1);
}

static void test_other_request_under_a_stored_uuid_is_refused(void **state)
{
    (void)state;
    assert_int_equal(run("sell " JUICE " --tender cash:1000 --member 88000003 --uuid " U1 " "
                         FRIDAY), 0);
    /* the same goods and tenders for another member: another request */
    assert_int_equal(run("--lang en --json sell " JUICE " --tender cash:1000 --member 88000004 "
                         "--uuid " U1 " " FRIDAY), 1);
    assert_string_equal(out, "");
    assert_non_null(strstr(stderr_text(), "made by another request"));
    assert_int_equal(sql_int("SELECT count(*) FROM sales"), 1);
    assert_int_equal(sql_int("SELECT count(*) FROM sales WHERE member_id = '88000004'"), 0);
    /* no member, items in another order or split: other requests too */
    assert_int_equal(run("sell " JUICE " --tender cash:1000 --uuid " U1 " " FRIDAY), 1);
    assert_int_equal(run("sell " JUICE " --tender cash:500 --tender cash:500 --member 88000003 "
                         "--uuid " U1 " " FRIDAY), 1);
    assert_int_equal(run("sell " JUICE " --tender cash:1000 --org 88000003 --uuid " U1 " " FRIDAY),
                     1);
    assert_int_equal(sql_int("SELECT count(*) FROM sales"), 1);
    /* the fingerprint is stored once, with the sale */
    assert_int_equal(sql_int("SELECT count(*) FROM sale_requests WHERE sale_uuid = '%s' AND "
                             "length(fingerprint) = 64", U1), 1);
    /* and it is SHA-256 of the canonical text docs/CLI.md and cmd_sell.c document, byte for
     * byte: a stored request must keep matching its retry after an upgrade */
    const char canon[] = "fupin-sell-request/1\n"
                         "item 13:" JUICE "\n"
                         "tender cash:1000\n"
                         "member 8:88000003\n";
    char fp[SHA256_HEX_CAP];
    sha256_hex(canon, strlen(canon), fp);
    assert_int_equal(sql_int("SELECT count(*) FROM sale_requests WHERE sale_uuid = '%s' AND "
                             "fingerprint = '%s'", U1, fp), 1);
}

static void test_screen_sale_uuid_is_not_a_request(void **state)
{
    (void)state;
    /* a sale made without --uuid has no request fingerprint: naming its UUID is refused */
    assert_int_equal(run("--json sell " JUICE " --tender cash:1000 " FRIDAY), 0);
    json_value *s = parse_out();
    char uuid[64];
    snprintf(uuid, sizeof uuid, "%s", json_get_string(s, "uuid"));
    json_free(s);
    assert_int_equal(sql_int("SELECT count(*) FROM sale_requests"), 0);
    assert_int_equal(run("--lang en sell " JUICE " --tender cash:1000 --uuid %s " FRIDAY, uuid), 1);
    assert_non_null(strstr(stderr_text(), "made by another request"));
    assert_int_equal(sql_int("SELECT count(*) FROM sales"), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_points_retry_reports_the_stored_sale,
                                        cli_harness_setup, cli_harness_teardown),
        cmocka_unit_test_setup_teardown(test_retry_after_the_product_is_withdrawn,
                                        cli_harness_setup, cli_harness_teardown),
        cmocka_unit_test_setup_teardown(test_other_request_under_a_stored_uuid_is_refused,
                                        cli_harness_setup, cli_harness_teardown),
        cmocka_unit_test_setup_teardown(test_screen_sale_uuid_is_not_a_request,
                                        cli_harness_setup, cli_harness_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
