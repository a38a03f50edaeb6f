/* pinyin: see pinyin.h.  The data is in the generated pinyin_table.c (pinyin_table.h). */
#include "pos/core/pinyin.h"

#include "pos/core/pinyin_table.h"
#include "pos/core/utf8.h"

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
        /* Strict (utf8_sequence_len): names come from CSV imports and hand typing, and a
         * lenient decoder could turn garbage into a "character" with an initial. */
        size_t len = utf8_sequence_len(s + i, n - i);
        if (len == 0) {
            i++;    /* skip one bad byte and resynchronise on the next */
            continue;
        }
        uint32_t cp = utf8_decode(s + i, len);
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
