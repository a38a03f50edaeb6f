/* fuzz_hidscale: HID POS scale reports and report descriptors (peripherals/scale/hidscale)
 * over any bytes.  The input is tried as a report (whole, as the interrupt endpoint hands it
 * over) and as a report descriptor.  Properties: hidscale_valid agrees with hidscale_parse; a
 * decoded weight is within SCALE_MAX_GRAMS; the status byte alone decides the flags (stable only
 * for status 02 at zero or 04, motion only for 03, and never two of stable/motion/under-zero/
 * over-capacity/fault); under zero never has a positive weight. */
#include "tests/fuzz/fuzz_target.h"

#include "peripherals/scale/hidscale.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    scale_reading r;
    memset(&r, 0, sizeof r);
    hidscale_err e = hidscale_parse(data, size, &r);
    FUZZ_CHECK(hidscale_valid(data, size) == (e == HIDSCALE_OK));
    FUZZ_CHECK(hidscale_strerror(e)[0] != '\0');
    if (e == HIDSCALE_OK) {
        int off = hidscale_report_offset(data, size);
        FUZZ_CHECK(off == 0 || off == 1);
        uint8_t status = data[off + 1];
        FUZZ_CHECK(r.grams <= SCALE_MAX_GRAMS && r.grams >= -SCALE_MAX_GRAMS);
        FUZZ_CHECK(r.unit > SCALE_UNIT_UNKNOWN && r.unit < SCALE_UNIT_COUNT);
        if (r.flags & SCALE_F_STABLE)
            FUZZ_CHECK(status == 0x04 || (status == 0x02 && r.grams == 0));
        if (r.flags & SCALE_F_MOTION)
            FUZZ_CHECK(status == 0x03);
        if (r.flags & SCALE_F_UNDER_ZERO)
            FUZZ_CHECK(status == 0x05 && r.grams <= 0);
        uint32_t kinds = r.flags & (SCALE_F_STABLE | SCALE_F_MOTION | SCALE_F_UNDER_ZERO |
                                    SCALE_F_OVER_CAPACITY | SCALE_F_FAULT);
        FUZZ_CHECK((kinds & (kinds - 1)) == 0);
        FUZZ_CHECK(scale_reading_usable(&r) == ((r.flags & SCALE_F_STABLE) != 0));
    }
    FUZZ_CHECK(hidscale_descriptor_is_scale(data, size) ==
               hidscale_descriptor_has_page(data, size, HIDSCALE_USAGE_PAGE_SCALE));
    (void)hidscale_descriptor_has_page(data, size, 0x8C);
    if (size >= 4)
        (void)hidscale_known_scale((uint16_t)(data[0] | data[1] << 8), (uint16_t)(data[2] | data[3] << 8), NULL);
    return 0;
}
