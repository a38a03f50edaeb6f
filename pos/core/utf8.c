/* utf8: clean UTF-8 text.  See utf8.h. */
#include "pos/core/utf8.h"

#include <string.h>

size_t utf8_sequence_len(const unsigned char *p, size_t avail)
{
    unsigned c = p[0];
    size_t extra;
    unsigned min;
    if (c < 0x80)
        return 1;
    if ((c & 0xe0) == 0xc0)
        extra = 1, min = 0x80, c &= 0x1f;
    else if ((c & 0xf0) == 0xe0)
        extra = 2, min = 0x800, c &= 0x0f;
    else if ((c & 0xf8) == 0xf0)
        extra = 3, min = 0x10000, c &= 0x07;
    else
        return 0;
    if (extra >= avail)
        return 0;
    for (size_t i = 1; i <= extra; i++) {
        if ((p[i] & 0xc0) != 0x80)
            return 0;
        c = (c << 6) | (p[i] & 0x3f);
    }
    if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
        return 0;
    return extra + 1;
}

bool utf8_buffer_valid(const char *buf, size_t len, size_t *bad_off)
{
    const unsigned char *p = (const unsigned char *)buf;
    for (size_t off = 0; off < len;) {
        size_t n = utf8_sequence_len(p + off, len - off);
        if (n == 0) {
            if (bad_off)
                *bad_off = off;
            return false;
        }
        off += n;
    }
    return true;
}

bool utf8_text_valid(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p == 0x7f)   /* control characters have no place in a name or label */
            return false;
    return utf8_buffer_valid(s, strlen(s), NULL);
}
