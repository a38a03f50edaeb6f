/* code128: CODE128 symbol values, check symbol and bar widths.  See code128.h. */
#include "pos/core/code128.h"

#include <stdbool.h>
#include <string.h>

/* Bar, space, bar, space, bar, space widths of each symbol value 0..105; 106 is the stop
 * (seven elements: its final bar of two modules). */
static const char *const WIDTHS[107] = {
    "212222", "222122", "222221", "121223", "121322", "131222", "122213", "122312",
    "132212", "221213", "221312", "231212", "112232", "122132", "122231", "113222",
    "123122", "123221", "223211", "221132", "221231", "213212", "223112", "312131",
    "311222", "321122", "321221", "312212", "322112", "322211", "212123", "212321",
    "232121", "111323", "131123", "131321", "112313", "132113", "132311", "211313",
    "231113", "231311", "112133", "112331", "132131", "113123", "113321", "133121",
    "313121", "211331", "231131", "213113", "213311", "213131", "311123", "311321",
    "331121", "312113", "312311", "332111", "314111", "221411", "431111", "111224",
    "111422", "121124", "121421", "141122", "141221", "112214", "112412", "122114",
    "122411", "142112", "142211", "241211", "221114", "413111", "241112", "134111",
    "111242", "121142", "121241", "114212", "124112", "124211", "411212", "421112",
    "421211", "212141", "214121", "412121", "111143", "111341", "131141", "114113",
    "114311", "411113", "411311", "113141", "114131", "311141", "411131", "211412",
    "211214", "211232", "2331112",
};

enum { CODE_C = 99, CODE_B = 100, START_B = 104, START_C = 105, STOP = 106 };

typedef struct {
    uint8_t *m;
    size_t n, cap;
    bool full;
} bars;

static void put_symbol(bars *b, int value)
{
    bool bar = true;
    for (const char *w = WIDTHS[value]; *w; w++, bar = !bar) {
        for (int i = 0; i < *w - '0'; i++) {
            if (b->n >= b->cap) {
                b->full = true;
                return;
            }
            b->m[b->n++] = bar ? 1 : 0;
        }
    }
}

static size_t digits_at(const char *s)
{
    size_t n = 0;
    while (s[n] >= '0' && s[n] <= '9')
        n++;
    return n;
}

size_t code128_piece(const char *s, char *set)
{
    size_t d = digits_at(s);
    if (d >= 4) {
        *set = 'C';
        return d & ~(size_t)1;
    }
    *set = 'B';
    return *s ? 1 : 0;
}

size_t code128_modules(const char *text, uint8_t *modules, size_t cap)
{
    if (!text || !*text)
        return 0;
    bars b = {.m = modules, .cap = cap};
    char set = 0;           /* 'B' or 'C' once started */
    long check = 0, pos = 0;
    for (const char *s = text; *s;) {
        char want;
        size_t d = code128_piece(s, &want);
        if (set != want) {
            int v = set == 0 ? (want == 'C' ? START_C : START_B) : (want == 'C' ? CODE_C : CODE_B);
            put_symbol(&b, v);
            check += set == 0 ? v : v * ++pos;
            set = want;
        }
        if (want == 'C') {
            for (size_t i = 0; i < d; i += 2) {
                int v = (s[i] - '0') * 10 + (s[i + 1] - '0');
                put_symbol(&b, v);
                check += v * ++pos;
            }
            s += d;
            continue;
        }
        unsigned char c = (unsigned char)*s++;
        if (c < 0x20 || c > 0x7e)
            c = '?';
        put_symbol(&b, c - 0x20);
        check += (long)(c - 0x20) * ++pos;
    }
    put_symbol(&b, (int)(check % 103));
    put_symbol(&b, STOP);
    return b.full ? 0 : b.n;
}
