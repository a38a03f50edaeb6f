/* utf8: clean UTF-8 text.  See utf8.h. */
#include "pos/core/utf8.h"

bool utf8_text_valid(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned c = *p++;
        int extra;
        unsigned min;
        if (c < 0x20 || c == 0x7f)   /* control characters have no place in a name or label */
            return false;
        if (c < 0x80)
            continue;
        if ((c & 0xe0) == 0xc0)
            extra = 1, min = 0x80, c &= 0x1f;
        else if ((c & 0xf0) == 0xe0)
            extra = 2, min = 0x800, c &= 0x0f;
        else if ((c & 0xf8) == 0xf0)
            extra = 3, min = 0x10000, c &= 0x07;
        else
            return false;
        for (int i = 0; i < extra; i++, p++) {
            if ((*p & 0xc0) != 0x80)   /* also stops at the NUL */
                return false;
            c = (c << 6) | (*p & 0x3f);
        }
        if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
            return false;
    }
    return true;
}
