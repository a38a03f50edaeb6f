/* fuzz_printer_status: DLE EOT replies and the slip builder (peripherals/printer/escpos).
 * Input: byte 0 = request n (any value, 1..4 valid), byte 1 = the reply byte, byte 2 = slip
 * options, the rest = slip text.  Properties: a status is reported only for n 1..4 and a byte
 * with valid fixed bits (0xx1xx10), its flags only those of request n, its description
 * terminated at any buffer size; a slip is either refused whole or holds exactly the commands
 * asked for -- no text byte ever adds an ESC, FS, GS or DLE. */
#include "tests/fuzz/fuzz_target.h"

#include "peripherals/printer/escpos.h"

static size_t count(const uint8_t *p, size_t n, uint8_t v)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += p[i] == v;
    return k;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 3)
        return 0;
    escpos_rt n = (escpos_rt)data[0];
    uint8_t b = data[1];
    printer_status st;
    escpos_err e = escpos_status_parse(n, b, &st);
    bool valid = (b & 0x81) == 0 && (b & 0x12) == 0x12;
    FUZZ_CHECK((e == ESCPOS_OK) == (valid && data[0] >= 1 && data[0] <= 4));
    if (e == ESCPOS_OK) {
        FUZZ_CHECK(st.raw == b && st.n == n);
        if (n != ESCPOS_RT_PRINTER)
            FUZZ_CHECK(!st.offline && !st.drawer_pin3_high);
        if (n != ESCPOS_RT_OFFLINE)
            FUZZ_CHECK(!st.cover_open && !st.feed_button && !st.paper_end_stop && !st.error);
        if (n != ESCPOS_RT_ERROR)
            FUZZ_CHECK(!st.recoverable_error && !st.autocutter_error &&
                       !st.unrecoverable_error && !st.auto_recoverable_error);
        if (n != ESCPOS_RT_PAPER)
            FUZZ_CHECK(!st.paper_near_end && !st.paper_out);
        char line[128], small[1 + 16];
        size_t want = escpos_status_describe(&st, line, sizeof line);
        FUZZ_CHECK(want < sizeof line && strlen(line) == want);
        size_t cap = 1 + (data[2] & 0x0F);
        FUZZ_CHECK(escpos_status_describe(&st, small, cap) == want);
        FUZZ_CHECK(strlen(small) == (want < cap ? want : cap - 1));
    }

    uint8_t opt = data[2];
    escpos_slip_cfg cfg = {.chinese = opt & 1, .codepage = opt & 2 ? (int)((opt >> 4) & 0x0C) : -1,
                           .feed_lines = (uint8_t)((opt >> 2) & 3), .partial_cut = opt & 0x40,
                           .cut = opt & 0x80};
    const uint8_t *text = data + 3;
    size_t len = size - 3;
    size_t cap = 64 + len * 2;
    uint8_t *mem = malloc(cap);
    if (!mem)
        abort();
    escpos_buf out;
    escpos_buf_init(&out, mem, opt & 0x20 ? len : cap);
    e = escpos_slip(&out, &cfg, text, len);
    bool control = false;
    for (size_t i = 0; i < len; i++) {
        uint8_t c = text[i];
        if (c == '\r' && i + 1 < len && text[i + 1] == '\n')
            continue;
        if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7F)
            control = true;
    }
    if (control)
        FUZZ_CHECK(e != ESCPOS_OK);
    if (e != ESCPOS_OK) {
        FUZZ_CHECK(out.len == 0);
    } else {
        FUZZ_CHECK(out.len >= 2 && out.data[0] == 0x1B && out.data[1] == 0x40);
        FUZZ_CHECK(count(out.data, out.len, 0x1B) == 1u + (cfg.codepage >= 0));
        FUZZ_CHECK(count(out.data, out.len, 0x1C) == (cfg.chinese ? 2u : 0u));
        FUZZ_CHECK(count(out.data, out.len, 0x1D) == (cfg.cut ? 1u : 0u));
        FUZZ_CHECK(count(out.data, out.len, 0x10) == 0);
        FUZZ_CHECK(count(out.data, out.len, '\r') == 0);
    }
    free(mem);
    return 0;
}
