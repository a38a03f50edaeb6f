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

unsigned utf8_decode(const unsigned char *p, size_t len)
{
    if (len <= 1)
        return p[0];
    unsigned c = p[0] & (len == 2 ? 0x1fu : len == 3 ? 0x0fu : 0x07u);
    for (size_t i = 1; i < len; i++)
        c = (c << 6) | (p[i] & 0x3fu);
    return c;
}

int utf8_char_cols(unsigned cp)
{
    if (cp < 0x80)
        return 1;
    if ((cp >= 0x0300 && cp <= 0x036f) || (cp >= 0x200b && cp <= 0x200f) ||
        (cp >= 0xfe00 && cp <= 0xfe0f) || cp == 0xfeff)
        return 0;
    return 2;
}

/* Walk s: a bad byte is one column, like the '?' it becomes. */
static size_t step(const unsigned char *p, size_t avail, int *cols)
{
    size_t k = utf8_sequence_len(p, avail);
    if (k == 0) {
        *cols = 1;
        return 1;
    }
    *cols = utf8_char_cols(utf8_decode(p, k));
    return k;
}

int utf8_cols(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    int total = 0;
    for (size_t i = 0; i < n;) {
        int c;
        i += step(p + i, n - i, &c);
        total += c;
    }
    return total;
}

size_t utf8_fit(const char *s, int cols)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s), i = 0;
    int used = 0;
    while (i < n) {
        int c;
        size_t k = step(p + i, n - i, &c);
        if (used + c > cols)
            break;
        used += c;
        i += k;
    }
    return i;
}
