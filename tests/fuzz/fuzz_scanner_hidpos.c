/* fuzz_scanner_hidpos: the HID POS scanner decoder (peripherals/scanner/hidpos) over any report
 * stream.  Input: records of a length byte (below 0xE0: a 64-byte report; 0xE0+k: k*5 bytes,
 * 0..155, as a short or long read) and that many bytes.  Properties: a refused report never
 * completes a code; a complete code is non-empty, terminated, at most HIDPOS_MAX_CODE bytes of
 * printable ASCII or GS, with an AIM id "]cm" and a named symbology. */
#include "tests/fuzz/fuzz_target.h"

#include "peripherals/scanner/hidpos.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    hidpos *d = malloc(sizeof *d);
    hidpos_code *c = malloc(sizeof *c);
    if (!d || !c)
        abort();
    hidpos_init(d);
    size_t i = 0;
    while (i < size) {
        uint8_t l = data[i++];
        size_t len = l < 0xE0 ? HIDPOS_REPORT_LEN : (size_t)(l - 0xE0) * 5;
        if (len > size - i)
            len = size - i;
        bool done = true;
        hidpos_err v = hidpos_valid(data + i, len, NULL);
        hidpos_err e = hidpos_parse(d, data + i, len, c, &done);
        if (v != HIDPOS_OK)
            FUZZ_CHECK(e == v);
        FUZZ_CHECK(hidpos_strerror(e) != NULL);
        if (e != HIDPOS_OK)
            FUZZ_CHECK(!done);
        if (done) {
            FUZZ_TERMINATED(c->code);
            FUZZ_CHECK(c->len > 0 && c->len <= HIDPOS_MAX_CODE);
            FUZZ_CHECK(strlen(c->code) == c->len);
            for (size_t k = 0; k < c->len; k++) {
                uint8_t b = (uint8_t)c->code[k];
                FUZZ_CHECK((b >= 0x20 && b <= 0x7E) || b == HIDPOS_GS);
            }
            FUZZ_CHECK(c->aim[0] == ']' && c->aim[3] == '\0');
            FUZZ_CHECK(c->sym == hidpos_symbology_of(c->aim));
            FUZZ_CHECK(hidpos_symbology_name(c->sym) != NULL);
        }
        i += len;
    }
    free(c);
    free(d);
    return 0;
}
