/* receipt: the command's contract -- a stored sale by receipt number or UUID, text to stdout or
 * -o FILE, ESC/POS bytes, the PNG preview's dot width, the width option and setting, refusals
 * (no such sale exit 1, a bad option or --format png without -o FILE exit 2), and the receipt settings `config set` validates before
 * anything is written. */
#define CLI_HARNESS_NAME "receipt-cli"
#include "cli_harness.h"

#define RECEIPT "YR01-1-20261015-0001"

static void sell_one(void)
{
    assert_int_equal(run("--json sell 6985798000316 --tender cash:1000 --at 2026-10-15T10:30:00+08:00"),
                     0);
}

static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char buf[1 << 16];
    *n = fread(buf, 1, sizeof buf - 1, f);
    buf[*n] = '\0';
    fclose(f);
    return buf;
}

static void test_formats_and_widths(void **state)
{
    (void)state;
    sell_one();
    json_value *s = NULL;
    assert_int_equal(run("--json sell 6953822000175 --tender wechat:2800 --at 2026-10-15T10:40:00+08:00"), 0);
    s = parse_out();
    char uuid[64];
    snprintf(uuid, sizeof uuid, "%s", json_get_string(s, "uuid"));
    json_free(s);

    assert_int_equal(run("receipt " RECEIPT), 0);
    static char first[sizeof out];
    snprintf(first, sizeof first, "%s", out);
    assert_non_null(strstr(first, "小票号      " RECEIPT "\n"));            /* 58 mm default */
    assert_non_null(strstr(first, "\n--------------------------------\n"));
    assert_int_equal(run("receipt %s --width 80", uuid), 0);                     /* by UUID */
    assert_non_null(strstr(out, "微信支付                                 ￥28.00\n"));
    assert_int_equal(run("config set receipt.width 80"), 0);
    assert_int_equal(run("receipt " RECEIPT), 0);
    assert_non_null(strstr(out, "\n------------------------------------------------\n"));

    char path[1024];
    cli_harness_path(path, sizeof path, ".txt");
    assert_int_equal(run("receipt " RECEIPT " --width 58 -o '%s'", path), 0);
    assert_string_equal(out, "");
    size_t n = 0;
    assert_string_equal(slurp(path, &n), first);
    cli_harness_path(path, sizeof path, ".bin");
    assert_int_equal(run("receipt " RECEIPT " --format escpos -o '%s'", path), 0);
    const char *b = slurp(path, &n);
    assert_memory_equal(b, "\x1b\x40\x1c\x26", 4);
    assert_memory_equal(b + n - 5, "\x1c\x2e\x1d\x56\x00", 5);
    remove(path);
    /* The PNG preview: as wide as the paper's dots (IHDR width, big-endian, at byte 16). */
    cli_harness_path(path, sizeof path, ".png");
    assert_int_equal(run("receipt " RECEIPT " --format png --width 58 -o '%s'", path), 0);
    b = slurp(path, &n);
    assert_memory_equal(b, "\x89PNG\r\n\x1a\n", 8);
    assert_memory_equal(b + 16, "\x00\x00\x01\x80", 4);       /* 384 */
    assert_int_equal(run("receipt " RECEIPT " --format png --width 80 -o '%s'", path), 0);
    b = slurp(path, &n);
    assert_memory_equal(b + 16, "\x00\x00\x02\x40", 4);       /* 576 */
    remove(path);
    assert_int_equal(sql_int("SELECT count(*) FROM receipt_prints"), 0);   /* renders, not prints */
    assert_int_equal(run("receipt " RECEIPT " --reprint"), 0);
    assert_non_null(strstr(out, "重印"));
    assert_int_equal(sql_int("SELECT count(*) FROM receipt_prints WHERE kind = 'reprint'"), 1);
}

static void test_refusals(void **state)
{
    (void)state;
    sell_one();
    assert_int_equal(run("receipt YR01-1-20261015-0099"), 1);
    assert_non_null(strstr(stderr_text(), "no such sale"));
    assert_int_equal(run("receipt " RECEIPT " --format png"), 2);
    assert_non_null(strstr(stderr_text(), "-o FILE"));
    assert_int_equal(run("receipt " RECEIPT " --format pdf"), 2);
    assert_int_equal(run("receipt " RECEIPT " --width 60"), 2);
    assert_int_equal(run("receipt"), 2);
    assert_int_equal(run("receipt " RECEIPT " --bogus"), 2);
}

static void test_settings(void **state)
{
    (void)state;
    const char *good[] = {
        "store.address 云南省楚雄州永仁县永定镇中和路88号", "store.phone '0878-6612345'",
        "store.tax_id 92532327MA6K8XXX1Q", "receipt.footer 谢谢惠顾", "receipt.width 58",
        "receipt.qr raster", "receipt.buy_url 'https://shop.example/r/{token}?n={receipt}'",
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        if (run("config set %s", good[i]) != 0)
            fail_msg("config set %s refused: %s", good[i], stderr_text());
    const char *bad[] = {
        "store.phone 'call us'", "store.tax_id 9253", "store.tax_id 92532327ma6k8xxx1q",
        "receipt.width 76", "receipt.qr both", "receipt.buy_url 'https://shop.example/r/'",
        "receipt.buy_url 'ftp://x/{token}'", "receipt.buy_url 'https://x/{token} y'",
        "store.address ''",
    };
    int64_t before = sql_int("SELECT count(*) FROM settings");
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (run("config set %s", bad[i]) != 1)
            fail_msg("config set %s was not refused", bad[i]);
    assert_int_equal(sql_int("SELECT count(*) FROM settings"), before);
    sell_one();
    assert_int_equal(run("receipt " RECEIPT), 0);
    assert_non_null(strstr(out, "       电话 0878-6612345\n"));
    assert_non_null(strstr(out, "[QR https://shop.example/r/"));
    assert_non_null(strstr(out, "?n=" RECEIPT "]"));
    assert_non_null(strstr(out, "谢谢惠顾\n"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_formats_and_widths, cli_harness_setup,
                                        cli_harness_teardown),
        cmocka_unit_test_setup_teardown(test_refusals, cli_harness_setup, cli_harness_teardown),
        cmocka_unit_test_setup_teardown(test_settings, cli_harness_setup, cli_harness_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
