/* pinyin: see pinyin.h.  The data is in the generated pinyin_table.c (pinyin_table.h). */
#include "pos/core/pinyin.h"

#include "pos/core/pinyin_table.h"

char pinyin_initial(uint32_t codepoint)
{
    /* Two blocks: a linear scan is as fast as anything cleverer, and the row lookup inside a
     * block is a direct index. */
    for (size_t b = 0; b < pinyin_table_n_blocks; b++) {
        const pinyin_table_block *blk = &pinyin_table_blocks[b];
        if (codepoint < blk->first || codepoint - blk->first >= blk->count)
            continue;
        uint32_t off = codepoint - blk->first;
        char c = blk->rows[off / PINYIN_TABLE_ROW][off % PINYIN_TABLE_ROW];
        return (c >= 'a' && c <= 'z') ? c : 0;
    }
    return 0;
}

/* Decodes one UTF-8 sequence at s (n bytes available).  Returns its length and sets *cp, or 0
 * for an invalid sequence: stray continuation byte, truncated sequence, overlong form,
 * surrogate or beyond U+10FFFF.  Strict, because names come from CSV imports and hand typing,
 * and a lenient decoder could turn garbage into a "character" with an initial. */
static size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
    unsigned char c = s[0];
    size_t len;
    uint32_t v, min;
    if (c < 0x80) {
        *cp = c;
        return 1;
    } else if (c >= 0xC2 && c <= 0xDF) {
        len = 2; v = c & 0x1Fu; min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3; v = c & 0x0Fu; min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4; v = c & 0x07u; min = 0x10000;
    } else {
        return 0;   /* 0x80..0xC1 (continuation or overlong lead) or 0xF5..0xFF */
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (s[i] & 0x3Fu);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return len;
}

size_t pinyin_initials(const char *utf8, char *out, size_t cap)
{
    if (!out || cap == 0)
        return 0;
    size_t w = 0;
    out[0] = '\0';
    if (!utf8)
        return 0;
    const unsigned char *s = (const unsigned char *)utf8;
    size_t n = 0;
    while (s[n])
        n++;
    size_t i = 0;
    while (i < n && w + 1 < cap) {
        uint32_t cp;
        size_t len = utf8_decode(s + i, n - i, &cp);
        if (len == 0) {
            i++;    /* skip one bad byte and resynchronise on the next */
            continue;
        }
        i += len;
        char c = 0;
        if (cp >= 'A' && cp <= 'Z')
            c = (char)(cp - 'A' + 'a');
        else if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9'))
            c = (char)cp;
        else if (cp >= 0x80)
            c = pinyin_initial(cp);
        if (c)
            out[w++] = c;
    }
    out[w] = '\0';
    return w;
}
