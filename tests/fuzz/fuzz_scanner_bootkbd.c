/* fuzz_scanner_bootkbd: the boot-keyboard scanner decoder (peripherals/scanner/bootkbd) over
 * any report stream.  Input: records of a length byte (below 0xF0: an 8-byte report; 0xF0+k:
 * a report of k bytes, 0..15, as a short or long read) and that many bytes.  Properties: the
 * verdict of bootkbd_parse is bootkbd_valid's; at most BOOTKBD_MAX_EVENTS events per report;
 * a code is non-empty, terminated, of printable ASCII (0x20..0x7E), at most BOOTKBD_MAX_CODE;
 * a drop carries a reason and no text; the code under way never exceeds the bound. */
#include "tests/fuzz/fuzz_target.h"

#include "peripherals/scanner/bootkbd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    bootkbd d;
    bootkbd_init(&d);
    size_t i = 0;
    while (i < size) {
        uint8_t l = data[i++];
        size_t len = l < 0xF0 ? BOOTKBD_REPORT_LEN : (size_t)(l - 0xF0);
        if (len > size - i)
            len = size - i;
        bootkbd_event ev[BOOTKBD_MAX_EVENTS];
        size_t n = 0;
        bootkbd_err want = bootkbd_valid(data + i, len);
        bootkbd_err got = bootkbd_parse(&d, data + i, len, ev, &n);
        FUZZ_CHECK(got == want);
        FUZZ_CHECK(n <= BOOTKBD_MAX_EVENTS);
        if (got != BOOTKBD_OK)
            FUZZ_CHECK(n == 0);
        for (size_t j = 0; j < n; j++) {
            FUZZ_TERMINATED(ev[j].code);
            FUZZ_CHECK(strlen(ev[j].code) == ev[j].len);
            FUZZ_CHECK(ev[j].len <= BOOTKBD_MAX_CODE);
            if (ev[j].kind == BOOTKBD_EV_CODE) {
                FUZZ_CHECK(ev[j].err == BOOTKBD_OK);
                FUZZ_CHECK(ev[j].len > 0);
                for (size_t k = 0; k < ev[j].len; k++)
                    FUZZ_CHECK(ev[j].code[k] >= 0x20 && ev[j].code[k] <= 0x7E);
            } else {
                FUZZ_CHECK(ev[j].kind == BOOTKBD_EV_DROPPED);
                FUZZ_CHECK(ev[j].err != BOOTKBD_OK);
                FUZZ_CHECK(ev[j].len == 0);
                FUZZ_CHECK(bootkbd_strerror(ev[j].err) != NULL);
            }
        }
        FUZZ_CHECK(bootkbd_pending(&d) <= BOOTKBD_MAX_CODE);
        i += len;
    }
    return 0;
}
