/* os2: ACLAS OS2 requests, frames and stream (peripherals/scale/os2.h; devices.md §3.6). */
#include "peripherals/scale/os2.h"

#include <string.h>

#include "peripherals/scale/scale_buf.h"

size_t os2_request_bytes(os2_request req, uint8_t *out, size_t cap)
{
    static const uint8_t ENQ[] = {OS2_ENQ}, DC1[] = {OS2_DC1};
    static const uint8_t TARE[] = {0x3C, 0x54, 0x4B, 0x3E, 0x09}, ZERO[] = {0x3C, 0x5A, 0x4B, 0x3E, 0x09};
    static const uint8_t PASSIVE[] = {0x3C, 0x41, 0x4C, 0x3E, 0x09};
    static const uint8_t ACTIVE[] = {0x3C, 0x50, 0x42, 0x3E, 0x09};
    const uint8_t *b;
    size_t n;
    switch (req) {
    case OS2_REQ_ENQ: b = ENQ; n = sizeof ENQ; break;
    case OS2_REQ_DC1: b = DC1; n = sizeof DC1; break;
    case OS2_REQ_TARE: b = TARE; n = sizeof TARE; break;
    case OS2_REQ_ZERO: b = ZERO; n = sizeof ZERO; break;
    case OS2_REQ_PASSIVE: b = PASSIVE; n = sizeof PASSIVE; break;
    case OS2_REQ_ACTIVE: b = ACTIVE; n = sizeof ACTIVE; break;
    default: return 0;
    }
    if (cap < n)
        return 0;
    memcpy(out, b, n);
    return n;
}

static scale_unit unit_of(uint8_t a, uint8_t b)
{
    if (a == 'k' && b == 'g') return SCALE_UNIT_KG;
    if (a == 'g' && b == ' ') return SCALE_UNIT_G;
    if (a == 'S' && b == 'J') return SCALE_UNIT_JIN;
    if (a == 'T' && b == 'J') return SCALE_UNIT_TAI_JIN;
    if (a == 'T' && b == 'L') return SCALE_UNIT_TAI_LIANG;
    if (a == 'L' && b == 'B') return SCALE_UNIT_LB;
    return SCALE_UNIT_UNKNOWN;
}

static bool char_ok(size_t i, uint8_t c)
{
    switch (i) {
    case 0: return c == 0x01;
    case 1: return c == 0x02;
    case 2: return c == 'S' || c == 'U' || c == 'F';
    case 3: return c == '-' || c == ' ' || c == '+';
    case 10: return c == 'k' || c == 'g' || c == 'S' || c == 'T' || c == 'L';
    case 11: return c == 'g' || c == ' ' || c == 'J' || c == 'L' || c == 'B';
    case 12: return true;              /* BCC */
    case 13: return c == 0x03;
    case 14: return c == 0x04;
    case 15: return true;              /* Flag2 */
    default: return (c >= '0' && c <= '9') || c == '.' || c == ' ';  /* 4..9 */
    }
}

typedef enum { CHECK_OK, CHECK_NEED, CHECK_BAD, CHECK_BADSUM } check_result;

static check_result check(const uint8_t *b, size_t len, bool active, os2_bcc *bcc)
{
    size_t flen = active ? OS2_ACTIVE_LEN : OS2_PASSIVE_LEN;
    for (size_t i = 0; i < len && i < flen; i++)
        if (!char_ok(i, b[i]))
            return CHECK_BAD;
    if (len < flen)
        return CHECK_NEED;
    if (unit_of(b[10], b[11]) == SCALE_UNIT_UNKNOWN)
        return CHECK_BAD;
    int64_t m;
    int e;
    if (!scale_reading_decimal(b + 4, 6, &m, &e))
        return CHECK_BAD;
    uint8_t x = 0;
    for (size_t i = 2; i < 12; i++)
        x ^= b[i];
    if (b[12] == (x ^ 0x01 ^ 0x02))
        *bcc = OS2_BCC_WITH_HEADER;
    else if (b[12] == x)
        *bcc = OS2_BCC_PAYLOAD;
    else
        return CHECK_BADSUM;
    return CHECK_OK;
}

os2_bcc os2_valid(const uint8_t *buf, size_t len, bool active)
{
    os2_bcc bcc = OS2_BCC_NONE;
    return check(buf, len, active, &bcc) == CHECK_OK ? bcc : OS2_BCC_NONE;
}

bool os2_parse(const uint8_t *b, size_t len, bool active, scale_reading *out)
{
    if (os2_valid(b, len, active) == OS2_BCC_NONE)
        return false;
    int64_t m;
    int e;
    if (!scale_reading_decimal(b + 4, 6, &m, &e))
        return false;
    if (b[3] == '-')
        m = -m;
    scale_unit unit = unit_of(b[10], b[11]);
    scale_reading r = {.unit = unit};
    if (!scale_reading_grams(m, e, unit, &r.grams))
        return false;
    r.flags = b[2] == 'S' ? SCALE_F_STABLE : b[2] == 'U' ? SCALE_F_MOTION : SCALE_F_FAULT;
    if (r.grams < 0)
        r.flags |= SCALE_F_UNDER_ZERO;
    else if (m == 0)
        r.flags |= SCALE_F_ZERO;
    if (active) {
        uint8_t f2 = b[15];
        if (f2 & 0x10)
            r.flags |= SCALE_F_ZERO;
        if (f2 & 0x20)
            r.flags |= SCALE_F_NET;
        if (f2 & 0x40)
            r.flags |= SCALE_F_FAULT;
    }
    *out = r;
    return true;
}

void os2_init(os2_stream *s, bool active)
{
    memset(s, 0, sizeof *s);
    s->active = active;
}

size_t os2_feed(os2_stream *s, const uint8_t *data, size_t len)
{
    return scale_buf_append(s->buf, sizeof s->buf, &s->len, data, len);
}

os2_event os2_next(os2_stream *s, scale_reading *out, uint8_t *frame, size_t *frame_len)
{
    size_t flen = s->active ? OS2_ACTIVE_LEN : OS2_PASSIVE_LEN;
    while (s->len > 0) {
        if (s->buf[0] == OS2_ACK) {
            scale_buf_drop(s->buf, &s->len, 1);
            s->acks++;
            return OS2_EV_ACK;
        }
        os2_bcc bcc = OS2_BCC_NONE;
        check_result c = check(s->buf, s->len, s->active, &bcc);
        if (c == CHECK_NEED)
            return OS2_EV_NONE;
        if (c == CHECK_OK && os2_parse(s->buf, flen, s->active, out)) {
            if (bcc == OS2_BCC_WITH_HEADER)
                s->bcc_with_header++;
            else
                s->bcc_payload++;
            scale_buf_take(s->buf, &s->len, flen, frame, frame_len);
            s->frames++;
            return OS2_EV_READING;
        }
        if (c == CHECK_BADSUM)
            s->bad_checksum++;
        else
            s->skipped++;
        scale_buf_drop(s->buf, &s->len, 1);
    }
    return OS2_EV_NONE;
}
