/* hidpos: HID POS scanner reports (peripherals/scanner/hidpos.h).  Layout and real dumps:
 * devices.md §2.1 (Access-IS ATR110 manual p.33; Honeywell Voyager 1602g dumps of
 * HenkVanAsselt/python_hon_usbhid; Honeywell Code IDs of NielsLeenheer/WebHidBarcodeScanner). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "peripherals/scanner/hidpos.h"

/* A report as §2.1 lays it out: 02 len ']' c m data… (zero padded) vendor_sym 00 more. */
static void mk(uint8_t r[64], const char *aim, const char *data, size_t n, uint8_t vendor,
               bool more)
{
    memset(r, 0, 64);
    r[0] = 0x02;
    r[1] = (uint8_t)n;
    memcpy(r + 2, aim, 3);
    memcpy(r + 5, data, n);
    r[61] = vendor;
    r[63] = more ? 1 : 0;
}

static hidpos_err feed1(hidpos *d, const uint8_t r[64], hidpos_code *c, bool *done)
{
    return hidpos_parse(d, r, 64, c, done);
}

/* One-report codes with their AIM ids: EAN-13 (the §2.2 capture's 6957842208856), EAN-8,
 * GS1-128 with a GS separator, a QR payment code with the CR suffix stripped. */
static void test_single_report_table(void **state)
{
    (void)state;
    static const struct {
        const char *aim;
        const char *data;
        uint8_t vendor;
        const char *want;
        hidpos_symbology sym;
        const char *name;
    } t[] = {
        {"]E0", "6957842208856", 'd', "6957842208856", HIDPOS_SYM_EAN13, "EAN-13"},
        {"]E4", "69012341", 'D', "69012341", HIDPOS_SYM_EAN8, "EAN-8"},
        {"]C1", "0106901234567892\x1d" "10ABC", 'j', "0106901234567892\x1d" "10ABC",
         HIDPOS_SYM_GS1_128, "GS1-128"},
        {"]C0", "CODE128", 'j', "CODE128", HIDPOS_SYM_CODE128, "Code 128"},
        {"]Q1", "134567890123456789\r", 's', "134567890123456789", HIDPOS_SYM_QR, "QR Code"},
        {"]Q1", "https://qr.alipay.com/x\r\n", 's', "https://qr.alipay.com/x", HIDPOS_SYM_QR,
         "QR Code"},
        {"]d2", "0106901234567892", 'w', "0106901234567892", HIDPOS_SYM_DATAMATRIX,
         "Data Matrix"},
        {"]A0", "ABC-123", 'b', "ABC-123", HIDPOS_SYM_CODE39, "Code 39"},
        {"]X0", "hello", '?', "hello", HIDPOS_SYM_OTHER, "other"},
        {"]k0", "x", 0, "x", HIDPOS_SYM_UNKNOWN, "unknown"},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        hidpos d;
        hidpos_init(&d);
        uint8_t r[64];
        mk(r, t[i].aim, t[i].data, strlen(t[i].data), t[i].vendor, false);
        hidpos_code c;
        bool done = false;
        assert_int_equal(feed1(&d, r, &c, &done), HIDPOS_OK);
        assert_true(done);
        assert_string_equal(c.code, t[i].want);
        assert_int_equal(c.len, strlen(t[i].want));
        assert_string_equal(c.aim, t[i].aim);
        assert_int_equal(c.sym, t[i].sym);
        assert_string_equal(hidpos_symbology_name(c.sym), t[i].name);
        assert_int_equal(c.vendor_sym, t[i].vendor);
    }
}

/* §2.1 Honeywell dump: [2, 56, 93, 88, 48, …, 63, 0, 1] then [2, 9, 93, 88, 48, …, 63, 0, 0]:
 * one code of 56 + 9 bytes, "]X0" repeated in each report. */
static void test_continued_code(void **state)
{
    (void)state;
    char first[57], last[10], want[66];
    for (int i = 0; i < 56; i++)
        first[i] = (char)('A' + i % 26);
    memcpy(last, "123456789", 9);
    memcpy(want, first, 56);
    memcpy(want + 56, last, 9);
    want[65] = '\0';
    uint8_t r1[64], r2[64];
    mk(r1, "]X0", first, 56, 63, true);
    mk(r2, "]X0", last, 9, 63, false);
    assert_int_equal(r1[1], 56);
    assert_int_equal(r1[2], 93);
    assert_int_equal(r1[3], 88);
    assert_int_equal(r1[4], 48);
    hidpos d;
    hidpos_init(&d);
    hidpos_code c;
    bool done = true;
    assert_int_equal(feed1(&d, r1, &c, &done), HIDPOS_OK);
    assert_false(done);
    assert_int_equal(feed1(&d, r2, &c, &done), HIDPOS_OK);
    assert_true(done);
    assert_string_equal(c.code, want);
    assert_int_equal(c.len, 65);
}

/* hidpos_valid: the §2.1 Access-IS example header 02 38 5D 51 30 … 73 00 01 is valid; the
 * shapes refused. */
static void test_valid_table(void **state)
{
    (void)state;
    uint8_t r[64];
    hidpos_report rep;
    mk(r, "]Q0", "x", 1, 0x73, true);
    r[1] = 0x38;
    assert_int_equal(hidpos_valid(r, 64, &rep), HIDPOS_OK);
    assert_int_equal(rep.len, 56);
    assert_string_equal(rep.aim, "]Q0");
    assert_int_equal(rep.vendor_sym, 0x73);
    assert_true(rep.more);
    assert_int_equal(hidpos_valid(r, 63, NULL), HIDPOS_ERR_LENGTH);
    assert_int_equal(hidpos_valid(r, 0, NULL), HIDPOS_ERR_LENGTH);
    r[1] = 57;
    assert_int_equal(hidpos_valid(r, 64, NULL), HIDPOS_ERR_DATA_LENGTH);
    r[1] = 1;
    r[0] = 0x03;
    assert_int_equal(hidpos_valid(r, 64, NULL), HIDPOS_ERR_REPORT_ID);
    r[0] = 0x02;
    r[2] = '[';
    assert_int_equal(hidpos_valid(r, 64, NULL), HIDPOS_ERR_AIM);
    r[2] = ']';
    r[3] = '1';
    assert_int_equal(hidpos_valid(r, 64, NULL), HIDPOS_ERR_AIM);
    r[3] = 'E';
    r[4] = ' ';
    assert_int_equal(hidpos_valid(r, 64, NULL), HIDPOS_ERR_AIM);
    for (int e = HIDPOS_OK; e <= HIDPOS_ERR_EMPTY; e++)
        assert_true(strlen(hidpos_strerror((hidpos_err)e)) > 1);
}

/* Refused codes: binary data, empty, a symbology change mid-code, too long; each is dropped and
 * the next code comes through. */
static void test_refusals_and_resync(void **state)
{
    (void)state;
    hidpos d;
    hidpos_init(&d);
    hidpos_code c;
    bool done;
    uint8_t r[64], good[64];
    mk(good, "]E0", "6901234567892", 13, 'd', false);

    mk(r, "]Q1", "ab\x1b" "c", 4, 's', false);
    assert_int_equal(feed1(&d, r, &c, &done), HIDPOS_ERR_BINARY);
    assert_false(done);
    mk(r, "]Q1", "\xe4\xb8\xad", 3, 's', false);
    assert_int_equal(feed1(&d, r, &c, &done), HIDPOS_ERR_BINARY);
    mk(r, "]Q1", "ab\0c", 4, 's', false);
    assert_int_equal(feed1(&d, r, &c, &done), HIDPOS_ERR_BINARY);
    mk(r, "]E0", "\r", 1, 'd', false);
    assert_int_equal(feed1(&d, r, &c, &done), HIDPOS_ERR_EMPTY);
    assert_int_equal(feed1(&d, good, &c, &done), HIDPOS_OK);
    assert_true(done);
    assert_string_equal(c.code, "6901234567892");

    /* AIM changes between the reports of one code: dropped (with the rest of it). */
    mk(r, "]Q1", "abc", 3, 's', true);
    assert_int_equal(feed1(&d, r, &c, &done), HIDPOS_OK);
    mk(r, "]E0", "def", 3, 'd', true);
    assert_int_equal(feed1(&d, r, &c, &done), HIDPOS_ERR_AIM_CHANGED);
    mk(r, "]E0", "ghi", 3, 'd', false);
    assert_int_equal(feed1(&d, r, &c, &done), HIDPOS_OK);
    assert_false(done);                              /* the tail of the dropped code */
    assert_int_equal(feed1(&d, good, &c, &done), HIDPOS_OK);
    assert_true(done);

    /* 10 reports of 56 bytes = 560 > 512: too long, skipped to its last report. */
    char fill[56];
    memset(fill, '7', sizeof fill);
    hidpos_err last = HIDPOS_OK;
    int errors = 0;
    for (int i = 0; i < 10; i++) {
        mk(r, "]Q1", fill, 56, 's', i < 9);
        last = feed1(&d, r, &c, &done);
        assert_false(done);
        errors += last != HIDPOS_OK;
    }
    assert_int_equal(errors, 1);
    assert_int_equal(feed1(&d, good, &c, &done), HIDPOS_OK);
    assert_true(done);
}

/* Garbage reports: a short read in the middle of a continued code drops it and skips to its
 * last report; a full-length garbage report marked "last" ends nothing more. */
static void test_garbage_mid_code(void **state)
{
    (void)state;
    hidpos d;
    hidpos_init(&d);
    hidpos_code c;
    bool done;
    uint8_t r[64], good[64];
    mk(good, "]E4", "69012341", 8, 'D', false);
    mk(r, "]X0", "part one", 8, 63, true);
    assert_int_equal(feed1(&d, r, &c, &done), HIDPOS_OK);
    assert_int_equal(hidpos_parse(&d, r, 20, &c, &done), HIDPOS_ERR_LENGTH);
    mk(r, "]X0", "part three", 10, 63, false);
    assert_int_equal(feed1(&d, r, &c, &done), HIDPOS_OK);
    assert_false(done);
    assert_int_equal(feed1(&d, good, &c, &done), HIDPOS_OK);
    assert_true(done);
    assert_string_equal(c.code, "69012341");

    uint8_t junk[64];
    memset(junk, 0xAA, sizeof junk);
    junk[63] = 0;
    assert_int_equal(feed1(&d, junk, &c, &done), HIDPOS_ERR_REPORT_ID);
    assert_int_equal(feed1(&d, good, &c, &done), HIDPOS_OK);
    assert_true(done);
    hidpos_reset(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_single_report_table),
        cmocka_unit_test(test_continued_code),
        cmocka_unit_test(test_valid_table),
        cmocka_unit_test(test_refusals_and_resync),
        cmocka_unit_test(test_garbage_mid_code),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
