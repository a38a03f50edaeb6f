/* escpos: ESC/POS commands and DLE EOT status replies.  See escpos.h.
 * Bytes: devices.md §4.1; status bits: §4.2 (DantSu PrinterStatus.java masks, python-escpos
 * _check_valid_response). */
#include "peripherals/printer/escpos.h"

#include <stdio.h>
#include <string.h>

const char *escpos_strerror(escpos_err e)
{
    switch (e) {
    case ESCPOS_OK: return "ok";
    case ESCPOS_ERR_NO_SPACE: return "ESC/POS output buffer full";
    case ESCPOS_ERR_RANGE: return "ESC/POS parameter out of range";
    case ESCPOS_ERR_CONTROL: return "control byte in slip text";
    case ESCPOS_ERR_FIXED_BITS: return "status byte with wrong fixed bits (not a DLE EOT reply)";
    }
    return "unknown ESC/POS error";
}

void escpos_buf_init(escpos_buf *b, uint8_t *mem, size_t cap)
{
    b->data = mem;
    b->cap = mem ? cap : 0;
    b->len = 0;
}

static escpos_err put(escpos_buf *b, const uint8_t *bytes, size_t n)
{
    if (n > b->cap - b->len)
        return ESCPOS_ERR_NO_SPACE;
    if (n)
        memcpy(b->data + b->len, bytes, n);
    b->len += n;
    return ESCPOS_OK;
}

escpos_err escpos_initialize(escpos_buf *b)
{
    static const uint8_t cmd[] = {ESCPOS_ESC, 0x40};
    return put(b, cmd, sizeof cmd);
}

escpos_err escpos_codepage(escpos_buf *b, uint8_t n)
{
    const uint8_t cmd[] = {ESCPOS_ESC, 0x74, n};
    return put(b, cmd, sizeof cmd);
}

escpos_err escpos_chinese(escpos_buf *b, bool on)
{
    const uint8_t cmd[] = {ESCPOS_FS, on ? 0x26 : 0x2E};
    return put(b, cmd, sizeof cmd);
}

escpos_err escpos_feed(escpos_buf *b, uint8_t lines)
{
    if (lines == 0)
        return ESCPOS_OK;
    if (lines > b->cap - b->len)
        return ESCPOS_ERR_NO_SPACE;
    memset(b->data + b->len, ESCPOS_LF, lines);
    b->len += lines;
    return ESCPOS_OK;
}

escpos_err escpos_cut(escpos_buf *b, bool partial)
{
    const uint8_t cmd[] = {ESCPOS_GS, 0x56, partial ? 0x01 : 0x00};
    return put(b, cmd, sizeof cmd);
}

escpos_err escpos_feed_cut(escpos_buf *b, bool partial, uint8_t n)
{
    const uint8_t cmd[] = {ESCPOS_GS, 0x56, partial ? 0x42 : 0x41, n};
    return put(b, cmd, sizeof cmd);
}

/* Milliseconds to the 2 ms units of ESC p, rounded up: 1..255. */
static bool pulse_units(uint16_t ms, uint8_t *t)
{
    if (ms < 2 || ms > 510)
        return false;
    *t = (uint8_t)((ms + 1u) / 2u);   /* 2..510 ms -> 1..255 */
    return true;
}

escpos_err escpos_drawer_kick(escpos_buf *b, const escpos_drawer *cfg)
{
    uint8_t t1 = 0, t2 = 0;
    if ((cfg->pin != 2 && cfg->pin != 5) || !pulse_units(cfg->on_ms, &t1) ||
        !pulse_units(cfg->off_ms, &t2))
        return ESCPOS_ERR_RANGE;
    const uint8_t cmd[] = {ESCPOS_ESC, 0x70, cfg->pin == 2 ? 0x00 : 0x01, t1, t2};
    return put(b, cmd, sizeof cmd);
}

escpos_err escpos_status_request(escpos_buf *b, escpos_rt n)
{
    if (n < ESCPOS_RT_PRINTER || n > ESCPOS_RT_PAPER)
        return ESCPOS_ERR_RANGE;
    const uint8_t cmd[] = {ESCPOS_DLE, ESCPOS_EOT, (uint8_t)n};
    return put(b, cmd, sizeof cmd);
}

bool escpos_status_valid(uint8_t b)
{
    return (b & 0x93) == 0x12;        /* 0xx1xx10: bits 1, 4 set; bits 0, 7 clear */
}

escpos_err escpos_status_parse(escpos_rt n, uint8_t b, printer_status *st)
{
    if (n < ESCPOS_RT_PRINTER || n > ESCPOS_RT_PAPER)
        return ESCPOS_ERR_RANGE;
    if (!escpos_status_valid(b))
        return ESCPOS_ERR_FIXED_BITS;
    memset(st, 0, sizeof *st);
    st->n = n;
    st->raw = b;
    switch (n) {
    case ESCPOS_RT_PRINTER:
        st->drawer_pin3_high = b & 0x04;
        st->offline = b & 0x08;
        break;
    case ESCPOS_RT_OFFLINE:
        st->cover_open = b & 0x04;
        st->feed_button = b & 0x08;
        st->paper_end_stop = b & 0x20;
        st->error = b & 0x40;
        break;
    case ESCPOS_RT_ERROR:
        st->recoverable_error = b & 0x04;
        st->autocutter_error = b & 0x08;
        st->unrecoverable_error = b & 0x20;
        st->auto_recoverable_error = b & 0x40;
        break;
    case ESCPOS_RT_PAPER:
        /* The sensor is reported twice (bits 2,3 and 5,6); either bit is taken as set, so a
         * printer that sets one of the pair still warns. */
        st->paper_near_end = b & 0x0C;
        st->paper_out = b & 0x60;
        break;
    }
    return ESCPOS_OK;
}

/* Append ", what" (or "what" first) to the description. */
static void add(char *buf, size_t cap, size_t *len, bool *first, const char *what)
{
    int k = snprintf(*len < cap ? buf + *len : NULL, *len < cap ? cap - *len : 0, "%s%s",
                     *first ? "" : ", ", what);
    if (k > 0)
        *len += (size_t)k;
    *first = false;
}

size_t escpos_status_describe(const printer_status *st, char *buf, size_t cap)
{
    static const char *const names[] = {"?", "printer", "offline cause", "error cause", "paper"};
    size_t len = 0;
    bool first = true;
    char head[32];
    snprintf(head, sizeof head, "%s 0x%02X: ",
             st->n >= ESCPOS_RT_PRINTER && st->n <= ESCPOS_RT_PAPER ? names[st->n] : names[0],
             (unsigned)st->raw);
    add(buf, cap, &len, &first, head);
    first = true;
    switch (st->n) {
    case ESCPOS_RT_PRINTER:
        add(buf, cap, &len, &first, st->offline ? "offline" : "online");
        add(buf, cap, &len, &first, st->drawer_pin3_high ? "drawer pin 3 high" : "drawer pin 3 low");
        break;
    case ESCPOS_RT_OFFLINE:
        if (st->cover_open) add(buf, cap, &len, &first, "cover open");
        if (st->feed_button) add(buf, cap, &len, &first, "feeding by FEED button");
        if (st->paper_end_stop) add(buf, cap, &len, &first, "stopped by paper end");
        if (st->error) add(buf, cap, &len, &first, "error");
        if (first) add(buf, cap, &len, &first, "no offline cause");
        break;
    case ESCPOS_RT_ERROR:
        if (st->recoverable_error) add(buf, cap, &len, &first, "recoverable error");
        if (st->autocutter_error) add(buf, cap, &len, &first, "auto-cutter error");
        if (st->unrecoverable_error) add(buf, cap, &len, &first, "unrecoverable error");
        if (st->auto_recoverable_error) add(buf, cap, &len, &first, "auto-recoverable error");
        if (first) add(buf, cap, &len, &first, "no error");
        break;
    case ESCPOS_RT_PAPER:
        if (st->paper_out) add(buf, cap, &len, &first, "paper out");
        if (st->paper_near_end) add(buf, cap, &len, &first, "paper near end");
        if (first) add(buf, cap, &len, &first, "paper present");
        break;
    default:
        add(buf, cap, &len, &first, "unknown request");
        break;
    }
    if (cap > 0 && len >= cap)
        buf[cap - 1] = '\0';
    return len;
}

/* The text of a slip: line ends normalised to LF, control bytes refused. */
static escpos_err slip_text(escpos_buf *b, const uint8_t *text, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        uint8_t c = text[i];
        if (c == '\r') {
            if (i + 1 < len && text[i + 1] == '\n')
                continue;             /* CR LF: the LF writes the line end */
            return ESCPOS_ERR_CONTROL;
        }
        if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7F)
            return ESCPOS_ERR_CONTROL;
        escpos_err e = put(b, &c, 1);
        if (e != ESCPOS_OK)
            return e;
    }
    if (len > 0 && text[len - 1] != '\n') {
        static const uint8_t lf = ESCPOS_LF;
        return put(b, &lf, 1);
    }
    return ESCPOS_OK;
}

escpos_err escpos_slip(escpos_buf *b, const escpos_slip_cfg *cfg, const uint8_t *text,
                       size_t len)
{
    size_t start = b->len;
    escpos_err e = escpos_initialize(b);
    if (e == ESCPOS_OK && (cfg->codepage < -1 || cfg->codepage > 255))
        e = ESCPOS_ERR_RANGE;
    if (e == ESCPOS_OK && cfg->codepage >= 0)
        e = escpos_codepage(b, (uint8_t)cfg->codepage);
    if (e == ESCPOS_OK && cfg->chinese)
        e = escpos_chinese(b, true);
    if (e == ESCPOS_OK)
        e = slip_text(b, text, len);
    if (e == ESCPOS_OK && cfg->chinese)
        e = escpos_chinese(b, false);
    if (e == ESCPOS_OK)
        e = escpos_feed(b, cfg->feed_lines);
    if (e == ESCPOS_OK && cfg->cut)
        e = escpos_cut(b, cfg->partial_cut);
    if (e != ESCPOS_OK)
        b->len = start;               /* nothing partial: a half slip is never sent */
    return e;
}
