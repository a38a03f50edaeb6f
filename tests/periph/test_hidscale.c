/* scale/hidscale: HID POS scale data reports, descriptors and known scales
 * (peripherals/scale/hidscale.h).  Frames from /work/shared/reference/devices.md §1.4. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "peripherals/scale/hidscale.h"
#include "tests/periph/periph_test.h"

typedef struct {
    const char *hex;
    hidscale_err err;
    int64_t grams;
    uint32_t flags;
    scale_unit unit;
    const char *why;
} row;

static const row ROWS[] = {
    /* §1.4 real reports */
    {"03 02 0B FF 00 00", HIDSCALE_OK, 0, SCALE_F_STABLE | SCALE_F_ZERO, SCALE_UNIT_OZ, "DYMO M10 zero, 0.0 oz"},
    {"03 04 0B FF 6F 04", HIDSCALE_OK, 3218, SCALE_F_STABLE, SCALE_UNIT_OZ, "113.5 oz = 3217.67 g (node-hid #286)"},
    {"03 04 0C FE 11 03", HIDSCALE_OK, 3561, SCALE_F_STABLE, SCALE_UNIT_LB, "7.85 lb = 3560.70 g (Fairbanks)"},
    {"03 04 0B FF 31 00", HIDSCALE_OK, 139, SCALE_F_STABLE, SCALE_UNIT_OZ, "4.9 oz = 138.91 g (weighty)"},
    {"00 03 04 0B FF 31 00", HIDSCALE_OK, 139, SCALE_F_STABLE, SCALE_UNIT_OZ, "DYMO's leading 00 byte"},
    {"03 04 0B FF 34 19", HIDSCALE_OK, 18291, SCALE_F_STABLE, SCALE_UNIT_OZ, "645.2 oz (antradar)"},
    {"03 04 02 00 14 00", HIDSCALE_OK, 20, SCALE_F_STABLE, SCALE_UNIT_G, "20 g (antradar, ID added)"},
    /* §1.4 synthetic vectors */
    {"03 04 02 00 E8 03", HIDSCALE_OK, 1000, SCALE_F_STABLE, SCALE_UNIT_G, "1000 g"},
    {"03 04 03 FD E8 03", HIDSCALE_OK, 1000, SCALE_F_STABLE, SCALE_UNIT_KG, "1.000 kg"},
    {"03 05 02 00 0A 00", HIDSCALE_OK, -10, SCALE_F_UNDER_ZERO, SCALE_UNIT_G, "under zero"},
    {"03 06 02 00 FF FF", HIDSCALE_OK, 65535, SCALE_F_OVER_CAPACITY, SCALE_UNIT_G, "overload"},
    /* §1.2 every status */
    {"03 01 02 00 00 00", HIDSCALE_OK, 0, SCALE_F_FAULT, SCALE_UNIT_G, "fault"},
    {"03 02 02 00 05 00", HIDSCALE_OK, 5, 0, SCALE_UNIT_G, "02 with a weight: never stable"},
    {"03 03 02 00 05 00", HIDSCALE_OK, 5, SCALE_F_MOTION, SCALE_UNIT_G, "motion"},
    {"03 04 02 00 00 00", HIDSCALE_OK, 0, SCALE_F_STABLE | SCALE_F_ZERO, SCALE_UNIT_G, "stable 0"},
    {"03 07 02 00 05 00", HIDSCALE_OK, 5, SCALE_F_FAULT, SCALE_UNIT_G, "needs calibration"},
    {"03 08 02 00 05 00", HIDSCALE_OK, 5, SCALE_F_FAULT, SCALE_UNIT_G, "needs re-zeroing"},
    {"04 04 02 00 05 00", HIDSCALE_OK, 5, SCALE_F_STABLE, SCALE_UNIT_G, "report 4, as usbscale"},
    /* units, exponents, rounding */
    {"03 04 01 00 F4 01", HIDSCALE_OK, 1, SCALE_F_STABLE, SCALE_UNIT_MG, "500 mg rounds up to 1 g"},
    {"03 04 01 00 F3 01", HIDSCALE_OK, 0, SCALE_F_STABLE, SCALE_UNIT_MG, "499 mg rounds down"},
    {"03 05 01 00 F4 01", HIDSCALE_OK, -1, SCALE_F_UNDER_ZERO, SCALE_UNIT_MG, "-500 mg away from zero"},
    {"03 04 03 02 FF FF", HIDSCALE_ERR_RANGE, 0, 0, 0, "6553.5 t: beyond SCALE_MAX_GRAMS"},
    {"03 04 04 00 05 00", HIDSCALE_OK, 1, SCALE_F_STABLE, SCALE_UNIT_CARAT, "5 ct = 1 g"},
    {"03 04 0A FF 0A 00", HIDSCALE_OK, 31, SCALE_F_STABLE, SCALE_UNIT_OZT, "1.0 ozt = 31.10 g"},
    {"03 04 08 FD 01 00", HIDSCALE_OK, 1000, SCALE_F_STABLE, SCALE_UNIT_T, "0.001 t"},
    {"03 04 0C 00 FF FF", HIDSCALE_OK, 29726176, SCALE_F_STABLE, SCALE_UNIT_LB, "65535 lb"},
    /* refused */
    {"03 04 02 00 E8", HIDSCALE_ERR_SHORT, 0, 0, 0, "5 bytes"},
    {"02 04 02 00 E8 03", HIDSCALE_ERR_REPORT_ID, 0, 0, 0, "control report id"},
    {"00 00 04 02 00 E8 03", HIDSCALE_ERR_REPORT_ID, 0, 0, 0, "two leading zeros"},
    {"03 00 02 00 E8 03", HIDSCALE_ERR_STATUS, 0, 0, 0, "status 0"},
    {"03 09 02 00 E8 03", HIDSCALE_ERR_STATUS, 0, 0, 0, "status 9"},
    {"03 04 00 00 E8 03", HIDSCALE_ERR_UNIT, 0, 0, 0, "unit 0"},
    {"03 04 05 00 E8 03", HIDSCALE_ERR_UNIT, 0, 0, 0, "tael: ambiguous"},
    {"03 04 0D 00 E8 03", HIDSCALE_ERR_UNIT, 0, 0, 0, "unit 0x0D"},
    {"03 04 02 0A 01 00", HIDSCALE_ERR_RANGE, 0, 0, 0, "exponent 10"},
    {"03 04 02 80 01 00", HIDSCALE_ERR_RANGE, 0, 0, 0, "exponent -128"},
    {"03 04 08 02 FF FF", HIDSCALE_ERR_RANGE, 0, 0, 0, "6553500 t"},
};

static void test_report_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof ROWS / sizeof ROWS[0]; i++) {
        const row *w = &ROWS[i];
        uint8_t b[16];
        size_t n = periph_hex(w->hex, b, sizeof b);
        scale_reading r;
        memset(&r, 0x5a, sizeof r);
        hidscale_err e = hidscale_parse(b, n, &r);
        if (e != w->err)
            fail_msg("%s (%s): %s", w->hex, w->why, hidscale_strerror(e));
        assert_int_equal(hidscale_valid(b, n), e == HIDSCALE_OK);
        if (e != HIDSCALE_OK)
            continue;
        if (r.grams != w->grams || r.flags != w->flags || r.unit != w->unit)
            fail_msg("%s (%s): %lld g flags %x unit %d", w->hex, w->why, (long long)r.grams,
                     (unsigned)r.flags, (int)r.unit);
    }
}

static void test_zero_report(void **state)
{
    (void)state;
    uint8_t b[2];
    assert_int_equal(hidscale_zero_report(b, 1), 0);
    assert_int_equal(hidscale_zero_report(b, 2), 2);
    assert_int_equal(b[0], 0x02);
    assert_int_equal(b[1], 0x02);
}

/* hidscale_descriptor_is_scale on a descriptor written as hex. */
static bool descriptor_is_scale(const char *hex)
{
    uint8_t d[64];
    size_t n = periph_hex(hex, d, sizeof d);
    return hidscale_descriptor_is_scale(d, n);
}

static void test_descriptor_scan(void **state)
{
    (void)state;
    /* §1.7: synthetic (no real scale descriptor is published): Usage Page (Scale) 05 8D, Usage
     * (Scale Device) 09 20, Collection (Application) A1 01, ... */
    assert_true(descriptor_is_scale("05 8D 09 20 A1 01 85 03 09 70 15 01 25 08 75 08 95 01 81 02 C0"));
    /* The page after other items, as a 2-byte item. */
    assert_true(descriptor_is_scale("06 00 FF 09 01 A1 01 C0 06 8D 00 09 20"));
    /* Extended usage (4 bytes, page in the high half). */
    assert_true(descriptor_is_scale("0B 20 00 8D 00 A1 01 C0"));
    /* A keyboard (Generic Desktop, Keyboard page 07) is not a scale; neither is 0x8D as a
     * Usage (local) value, a logical maximum, or data inside a long item. */
    assert_false(descriptor_is_scale("05 01 09 06 A1 01 05 07 19 E0 29 E7 15 00 25 8D 09 8D C0"));
    assert_false(descriptor_is_scale("FE 02 10 05 8D 05 01"));
    /* Barcode scanner page 0x8C. */
    assert_false(descriptor_is_scale("05 8C 09 02 A1 01 C0"));
    /* Truncated items: no read past the end, answer from what came before. */
    assert_false(descriptor_is_scale("05 01 06 8D"));
    assert_true(descriptor_is_scale("05 8D 07 00"));
    assert_false(descriptor_is_scale("FE"));
    assert_false(descriptor_is_scale(""));
}

static void test_known_scales(void **state)
{
    (void)state;
    const char *name = NULL;
    assert_true(hidscale_known_scale(0x0922, 0x8003, &name));
    assert_string_equal(name, "DYMO M10");
    assert_true(hidscale_known_scale(0x0eb8, 0xf000, NULL));
    assert_true(hidscale_known_scale(0x0d8f, 0x0200, &name));
    assert_false(hidscale_known_scale(0x0922, 0x8005, &name));
    assert_false(hidscale_known_scale(0x04d9, 0x8010, &name));   /* AccuPost: report ID 9 */
}

static void test_strerror(void **state)
{
    (void)state;
    for (int e = HIDSCALE_OK; e <= HIDSCALE_ERR_RANGE; e++)
        assert_true(strlen(hidscale_strerror((hidscale_err)e)) > 1);
    assert_string_equal(hidscale_strerror((hidscale_err)42), "unknown HID scale error");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_report_table),
        cmocka_unit_test(test_zero_report),
        cmocka_unit_test(test_descriptor_scan),
        cmocka_unit_test(test_known_scales),
        cmocka_unit_test(test_strerror),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
