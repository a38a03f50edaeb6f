/* xk3190: Yaohua XK3190 continuous frames, one byte-position rule per format and a sliding
 * stream (peripherals/scale/xk3190.h; devices.md §3.1, §3.2, §3.4). */
#include "peripherals/scale/xk3190.h"

#include <string.h>

#include "peripherals/scale/scale_buf.h"

size_t xk3190_frame_len(xk3190_format fmt)
{
    switch (fmt) {
    case XK3190_STX: return XK3190_STX_LEN;
    case XK3190_EQ_REV:
    case XK3190_EQ_FWD: return XK3190_EQ_LEN;
    case XK3190_A12: return XK3190_A12_LEN;
    }
    return XK3190_STX_LEN;
}

static bool is_digit(uint8_t c) { return c >= '0' && c <= '9'; }

static int hex_value(uint8_t c)
{
    if (is_digit(c))
        return c - '0';
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

static bool is_display(uint8_t c) { return is_digit(c) || c == '.'; }

/* May byte c stand at position i of a frame of fmt whose first byte is first? */
static bool char_ok(xk3190_format fmt, size_t i, uint8_t c, uint8_t first)
{
    switch (fmt) {
    case XK3190_STX:
        if (i == 0) return c == 0x02;
        if (i == 1) return c == '+' || c == '-';
        if (i <= 7) return is_digit(c);
        if (i == 8) return c >= '0' && c <= '4';
        if (i <= 10) return hex_value(c) >= 0;
        return c == 0x03;
    case XK3190_EQ_REV:
        if (i == 0) return c == '=';
        if (i <= 7) return is_display(c);
        return c == '0' || c == '-';
    case XK3190_EQ_FWD:
        if (i == 0) return c == '=';
        if (i == 1) return c == '0' || c == '-';
        return is_display(c);
    case XK3190_A12:
        if (i == 0) return c == 'W' || c == ' ';
        if (i == 13) return c == '\r';
        if (i == 14) return c == '\n';
        if (first == ' ') {                         /* "         OL23\r\n" / "LO" */
            if (i <= 8) return c == ' ';
            if (i == 9) return c == 'O' || c == 'L';
            if (i == 10) return c == 'L' || c == 'O';
            if (i == 11) return c == '2';
            return c == '3';
        }
        if (i == 1) return c == 'G' || c == 'N';
        if (i <= 8) return is_display(c) || c == '-' || c == ' ';
        if (i == 9) return c == 'k' || c == 'l';
        if (i == 10) return c == 'g' || c == 'b';
        return hex_value(c) >= 0;
    }
    return false;
}

typedef enum { CHECK_OK, CHECK_NEED, CHECK_BAD, CHECK_BADSUM } check_result;

static uint8_t xor_of(const uint8_t *b, size_t from, size_t to)
{
    uint8_t x = 0;
    for (size_t i = from; i < to; i++)
        x ^= b[i];
    return x;
}

static bool sum_ok(const uint8_t *b, size_t at, uint8_t x)
{
    return hex_value(b[at]) == (x >> 4) && hex_value(b[at + 1]) == (x & 0x0f);
}

static size_t count_of(const uint8_t *b, size_t from, size_t to, uint8_t c)
{
    size_t n = 0;
    for (size_t i = from; i < to; i++)
        n += b[i] == c;
    return n;
}

static check_result check(xk3190_format fmt, const uint8_t *b, size_t len)
{
    size_t flen = xk3190_frame_len(fmt);
    if (len == 0)
        return CHECK_NEED;
    for (size_t i = 0; i < len && i < flen; i++)
        if (!char_ok(fmt, i, b[i], b[0]))
            return CHECK_BAD;
    if (len < flen)
        return CHECK_NEED;
    switch (fmt) {
    case XK3190_STX:
        return sum_ok(b, 9, xor_of(b, 1, 9)) ? CHECK_OK : CHECK_BADSUM;
    case XK3190_EQ_REV:
        return count_of(b, 1, 8, '.') <= 1 ? CHECK_OK : CHECK_BAD;
    case XK3190_EQ_FWD:
        return count_of(b, 2, 9, '.') <= 1 ? CHECK_OK : CHECK_BAD;
    case XK3190_A12:
        if (b[0] == ' ')
            return b[9] != b[10] ? CHECK_OK : CHECK_BAD;   /* "OL" or "LO" */
        if (!((b[9] == 'k' && b[10] == 'g') || (b[9] == 'l' && b[10] == 'b')))
            return CHECK_BAD;
        if (count_of(b, 2, 9, '.') > 1)
            return CHECK_BAD;
        return sum_ok(b, 11, xor_of(b, 0, 11)) ? CHECK_OK : CHECK_BADSUM;
    }
    return CHECK_BAD;
}

bool xk3190_valid(xk3190_format fmt, const uint8_t *buf, size_t len)
{
    return check(fmt, buf, len) == CHECK_OK;
}

static bool finish(int64_t mantissa, int exp10, scale_unit unit, uint32_t flags,
                   scale_reading *out)
{
    int64_t g;
    if (!scale_reading_grams(mantissa, exp10, unit, &g))
        return false;
    scale_reading r = {.grams = g, .unit = unit, .flags = flags | SCALE_F_NO_STATUS};
    if (g < 0)
        r.flags |= SCALE_F_UNDER_ZERO;
    else if (mantissa == 0)
        r.flags |= SCALE_F_ZERO;
    *out = r;
    return true;
}

bool xk3190_parse(xk3190_format fmt, scale_unit unit, const uint8_t *b, scale_reading *out)
{
    int64_t m = 0;
    int e = 0;
    uint8_t text[8];
    switch (fmt) {
    case XK3190_STX:
        for (size_t i = 2; i <= 7; i++)
            m = m * 10 + (b[i] - '0');
        return finish(b[1] == '-' ? -m : m, -(b[8] - '0'), unit, 0, out);
    case XK3190_EQ_REV:
    case XK3190_EQ_FWD:
        if (fmt == XK3190_EQ_REV)
            for (size_t i = 0; i < 7; i++)
                text[i] = b[7 - i];
        else
            memcpy(text, b + 2, 7);
        if (!scale_reading_decimal(text, 7, &m, &e))
            return false;
        if ((fmt == XK3190_EQ_REV ? b[8] : b[1]) == '-')
            m = -m;
        return finish(m, e, unit, 0, out);
    case XK3190_A12:
        if (b[0] == ' ') {
            *out = (scale_reading){.unit = SCALE_UNIT_KG, .flags = SCALE_F_NO_STATUS |
                                   (b[9] == 'O' ? SCALE_F_OVER_CAPACITY : SCALE_F_UNDER_ZERO)};
            return true;
        }
        if (!scale_reading_decimal(b + 2, 7, &m, &e))
            return false;
        return finish(m, e, b[9] == 'k' ? SCALE_UNIT_KG : SCALE_UNIT_LB,
                      b[1] == 'N' ? SCALE_F_NET : 0u, out);
    }
    return false;
}

void xk3190_init(xk3190_stream *s, xk3190_format fmt, scale_unit unit)
{
    memset(s, 0, sizeof *s);
    s->fmt = fmt;
    s->unit = unit;
}

size_t xk3190_feed(xk3190_stream *s, const uint8_t *data, size_t len)
{
    return scale_buf_append(s->buf, sizeof s->buf, &s->len, data, len);
}

bool xk3190_next(xk3190_stream *s, scale_reading *out, uint8_t *frame, size_t *frame_len)
{
    size_t flen = xk3190_frame_len(s->fmt);
    while (s->len > 0) {
        check_result c = check(s->fmt, s->buf, s->len);
        if (c == CHECK_NEED)
            return false;
        if (c == CHECK_OK && xk3190_parse(s->fmt, s->unit, s->buf, out)) {
            scale_buf_take(s->buf, &s->len, flen, frame, frame_len);
            s->frames++;
            return true;
        }
        if (c == CHECK_BADSUM)
            s->bad_checksum++;
        else
            s->skipped++;
        scale_buf_drop(s->buf, &s->len, 1);   /* a frame may start inside what looked like one */
    }
    return false;
}
