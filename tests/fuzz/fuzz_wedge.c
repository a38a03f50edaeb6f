/* fuzz_wedge: the keyboard-wedge detector (peripherals/wedge) over any key stream.  Input:
 * pairs of bytes (key, gap): key '\n' or '\r' is Enter, anything else a typed character; gap is
 * the milliseconds since the previous key.  The first byte sets min_len and the second
 * max_gap_ms.  Properties: a SCAN verdict hands over a terminated code of burst_len >= min_len
 * characters that were really typed as the last run; burst_len never exceeds what was typed. */
#include "tests/fuzz/fuzz_target.h"

#include "peripherals/wedge.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    wedge_config cfg = {.min_len = data[0] % 16, .max_gap_ms = data[1]};
    wedge w;
    wedge_init(&w, data[0] & 0x80 ? NULL : &cfg);
    /* A zero in the config means "the default" (wedge_init). */
    size_t min_len = data[0] & 0x80 || cfg.min_len == 0 ? WEDGE_DEFAULT_MIN_LEN : cfg.min_len;
    uint32_t t = 0;
    size_t typed_since_enter = 0;
    for (size_t i = 2; i + 1 < size; i += 2) {
        char c = (char)data[i];
        t += data[i + 1];
        if (data[i + 1] == 0xff)
            t += 100000; /* long pauses too, and the clock wrapping */
        if (c == '\n' || c == '\r') {
            char code[WEDGE_MAX_CODE + 1];
            size_t burst = 0;
            memset(code, 'x', sizeof code);
            wedge_verdict v = wedge_feed_enter(&w, t, code, sizeof code, &burst);
            FUZZ_CHECK(burst <= typed_since_enter);
            if (v == WEDGE_SCAN) {
                FUZZ_TERMINATED(code);
                FUZZ_CHECK(strlen(code) == burst);
                FUZZ_CHECK(burst >= min_len);
            }
            FUZZ_CHECK(wedge_run_length(&w) == 0);
            typed_since_enter = 0;
        } else if (c == 0) {
            wedge_reset(&w);
            FUZZ_CHECK(wedge_run_length(&w) == 0);
            typed_since_enter = 0;
        } else {
            wedge_feed_char(&w, c, t);
            typed_since_enter++;
            FUZZ_CHECK(wedge_run_length(&w) <= typed_since_enter);
        }
    }
    return 0;
}
