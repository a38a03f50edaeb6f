/* money: int64 fen, parsed and formatted by hand (no strtod, no locale) and combined with
 * checked arithmetic. */
#include "pos/core/money.h"

#include <stdint.h>
#include <string.h>

const char *money_strerror(money_err err)
{
    switch (err) {
    case MONEY_OK: return "ok";
    case MONEY_ERR_EMPTY: return "empty amount";
    case MONEY_ERR_SYNTAX: return "not an amount of yuan (like 12.80)";
    case MONEY_ERR_PRECISION: return "more than two decimals (fen is the smallest unit)";
    case MONEY_ERR_RANGE: return "amount out of range";
    }
    return "unknown money error";
}

/* UTF-8 spellings of the currency marks a cashier or a CSV file may use. */
#define FULLWIDTH_YEN "\xEF\xBF\xA5" /* ￥ U+FFE5 */
#define YEN "\xC2\xA5"               /* ¥ U+00A5 */
#define YUAN "\xE5\x85\x83"          /* 元 */
#define IDEOGRAPHIC_SPACE "\xE3\x80\x80" /* U+3000, what a Chinese IME types for a space */

/* Length of the blank at p (ASCII blank or U+3000), 0 when none. */
static size_t blank_len(const char *p, const char *end)
{
    if (p >= end)
        return 0;
    if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
        return 1;
    size_t n = strlen(IDEOGRAPHIC_SPACE);
    if ((size_t)(end - p) >= n && memcmp(p, IDEOGRAPHIC_SPACE, n) == 0)
        return n;
    return 0;
}

static const char *skip_blanks(const char *p, const char *end)
{
    size_t n;
    while ((n = blank_len(p, end)) > 0)
        p += n;
    return p;
}

/* Trailing blanks, walking back from end. */
static const char *trim_blanks_back(const char *begin, const char *end)
{
    for (;;) {
        if (end > begin && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r' ||
                            end[-1] == '\n')) {
            end--;
            continue;
        }
        size_t n = strlen(IDEOGRAPHIC_SPACE);
        if ((size_t)(end - begin) >= n && memcmp(end - n, IDEOGRAPHIC_SPACE, n) == 0) {
            end -= n;
            continue;
        }
        return end;
    }
}

static bool eat(const char **p, const char *end, const char *lit)
{
    size_t n = strlen(lit);
    if ((size_t)(end - *p) >= n && memcmp(*p, lit, n) == 0) {
        *p += n;
        return true;
    }
    return false;
}

static bool ends_with(const char *begin, const char **end, const char *lit)
{
    size_t n = strlen(lit);
    if ((size_t)(*end - begin) >= n && memcmp(*end - n, lit, n) == 0) {
        *end -= n;
        return true;
    }
    return false;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

money_err money_parse(const char *text, fen_t *out)
{
    if (!text)
        return MONEY_ERR_EMPTY;
    const char *p = text, *end = text + strlen(text);
    p = skip_blanks(p, end);
    end = trim_blanks_back(p, end);
    if (p == end)
        return MONEY_ERR_EMPTY;

    /* The minus may stand before or after the currency sign ("-￥3.00" / "￥-3.00") since both
     * show up on printed receipts; only one sign and one currency mark are allowed. */
    bool neg = false, currency = false;
    if (*p == '-') {
        neg = true;
        p++;
    }
    if (eat(&p, end, FULLWIDTH_YEN) || eat(&p, end, YEN) || eat(&p, end, "RMB")) {
        currency = true;
        p = skip_blanks(p, end);
        if (!neg && p < end && *p == '-') {
            neg = true;
            p++;
        }
    }
    if (ends_with(p, &end, YUAN)) {
        if (currency)
            return MONEY_ERR_SYNTAX;
        end = trim_blanks_back(p, end);
    }
    if (p == end)
        return MONEY_ERR_SYNTAX;

    /* Accumulate in fen as we go; once past the limit keep scanning so that a malformed
     * string still reports SYNTAX rather than RANGE. */
    int64_t yuan = 0;
    bool too_big = false;
    size_t int_digits = 0;
    while (p < end && is_digit(*p)) {
        if (!too_big) {
            if (__builtin_mul_overflow(yuan, 10, &yuan) ||
                __builtin_add_overflow(yuan, *p - '0', &yuan) || yuan > MONEY_MAX_FEN / 100)
                too_big = true;
        }
        int_digits++;
        p++;
    }
    int64_t frac = 0;
    size_t frac_digits = 0;
    if (p < end && *p == '.') {
        p++;
        while (p < end && is_digit(*p)) {
            if (frac_digits < 2)
                frac = frac * 10 + (*p - '0');
            frac_digits++;
            p++;
        }
        /* "12." and "." are typing slips, not amounts. */
        if (frac_digits == 0)
            return MONEY_ERR_SYNTAX;
    }
    if (p != end || int_digits + frac_digits == 0)
        return MONEY_ERR_SYNTAX;
    if (frac_digits > 2)
        return MONEY_ERR_PRECISION;
    if (frac_digits == 1)
        frac *= 10;
    if (too_big)
        return MONEY_ERR_RANGE;
    int64_t fen = yuan * 100 + frac; /* yuan <= MONEY_MAX_FEN / 100: cannot overflow */
    if (fen > MONEY_MAX_FEN)
        return MONEY_ERR_RANGE;
    if (out)
        *out = neg ? -fen : fen;
    return MONEY_OK;
}

/* Writes src (len bytes) snprintf-style: returns len, copies what fits, always terminates. */
static size_t copy_out(const char *src, size_t len, char *buf, size_t cap)
{
    if (buf && cap > 0) {
        size_t n = len < cap - 1 ? len : cap - 1;
        memcpy(buf, src, n);
        buf[n] = '\0';
    }
    return len;
}

/* Renders into tmp right-aligned; works for INT64_MIN too because the magnitude is unsigned. */
static size_t render(fen_t fen, const char *prefix, char *tmp, size_t tmp_cap, const char **start)
{
    uint64_t mag = fen < 0 ? (uint64_t)0 - (uint64_t)fen : (uint64_t)fen;
    char *e = tmp + tmp_cap;
    char *q = e;
    *--q = (char)('0' + mag % 10);
    mag /= 10;
    *--q = (char)('0' + mag % 10);
    mag /= 10;
    *--q = '.';
    do {
        *--q = (char)('0' + mag % 10);
        mag /= 10;
    } while (mag > 0);
    size_t plen = strlen(prefix);
    q -= plen;
    memcpy(q, prefix, plen);
    if (fen < 0)
        *--q = '-';
    *start = q;
    return (size_t)(e - q);
}

size_t money_format(fen_t fen, char *buf, size_t cap)
{
    char tmp[MONEY_FMT_CAP];
    const char *s;
    size_t len = render(fen, "", tmp, sizeof tmp, &s);
    return copy_out(s, len, buf, cap);
}

size_t money_format_yuan(fen_t fen, char *buf, size_t cap)
{
    char tmp[MONEY_FMT_CAP];
    const char *s;
    /* "-￥1.28" as discounts are printed; money_parse reads it back. */
    size_t len = render(fen, FULLWIDTH_YEN, tmp, sizeof tmp, &s);
    return copy_out(s, len, buf, cap);
}

static bool in_range(int64_t v)
{
    return v >= -MONEY_MAX_FEN && v <= MONEY_MAX_FEN;
}

bool money_add(fen_t a, fen_t b, fen_t *out)
{
    fen_t r;
    if (__builtin_add_overflow(a, b, &r) || !in_range(r))
        return false;
    *out = r;
    return true;
}

bool money_sub(fen_t a, fen_t b, fen_t *out)
{
    fen_t r;
    if (__builtin_sub_overflow(a, b, &r) || !in_range(r))
        return false;
    *out = r;
    return true;
}

bool money_mul_qty(fen_t unit_fen, int64_t qty, fen_t *out)
{
    fen_t r;
    if (__builtin_mul_overflow(unit_fen, qty, &r) || !in_range(r))
        return false;
    *out = r;
    return true;
}

/* a × b / div rounded half away from zero.  If a × b overflows int64 the quotient is still at
 * least INT64_MAX / div, far beyond MONEY_MAX_FEN for the divisors used here, so refusing on
 * overflow never refuses a representable result. */
static bool mul_div_round(int64_t a, int64_t b, int64_t div, fen_t *out)
{
    int64_t prod;
    if (__builtin_mul_overflow(a, b, &prod))
        return false;
    uint64_t mag = prod < 0 ? (uint64_t)0 - (uint64_t)prod : (uint64_t)prod;
    uint64_t q = mag / (uint64_t)div, r = mag % (uint64_t)div;
    if (r * 2 >= (uint64_t)div)
        q++;
    if (q > (uint64_t)MONEY_MAX_FEN)
        return false;
    *out = prod < 0 ? -(int64_t)q : (int64_t)q;
    return true;
}

bool money_mul_grams(fen_t fen_per_kg, int64_t grams, fen_t *out)
{
    return mul_div_round(fen_per_kg, grams, 1000, out);
}

bool money_percent(fen_t amount, int64_t percent, fen_t *out)
{
    return mul_div_round(amount, percent, 100, out);
}

/* Remainder of line i's exact share, |total| × w / sum mod sum (overflow already ruled out). */
static int64_t share_rem(int64_t mag, int64_t w, int64_t sum)
{
    return (mag * w) % sum;
}

bool money_spread(fen_t total, const fen_t *weights, size_t n, fen_t *out)
{
    if (n == 0 || !weights || !out || total == INT64_MIN)
        return false;
    int64_t sum = 0;
    for (size_t i = 0; i < n; i++) {
        if (weights[i] < 0 || __builtin_add_overflow(sum, weights[i], &sum))
            return false;
    }
    if (sum == 0)
        return false;
    int64_t mag = total < 0 ? -total : total;

    /* First pass checks every product and counts the fen the floors leave over, so nothing is
     * written to out unless the whole spread succeeds. */
    int64_t floors = 0;
    for (size_t i = 0; i < n; i++) {
        int64_t prod;
        if (__builtin_mul_overflow(mag, weights[i], &prod))
            return false;
        floors += prod / sum; /* sum of floors <= mag: cannot overflow */
    }
    int64_t left = mag - floors; /* < n, since every remainder is < 1 fen */

    /* A line gets one leftover fen when fewer than `left` lines rank above it (larger
     * remainder, or equal remainder and lower index).  Ranking in place is O(n²) but needs no
     * allocation, and baskets have tens of lines.  out must not alias weights. */
    for (size_t i = 0; i < n; i++) {
        int64_t share = mag * weights[i] / sum;
        if (left > 0) {
            int64_t ri = share_rem(mag, weights[i], sum);
            int64_t above = 0;
            for (size_t j = 0; j < n && above < left; j++) {
                if (j == i)
                    continue;
                int64_t rj = share_rem(mag, weights[j], sum);
                if (rj > ri || (rj == ri && j < i))
                    above++;
            }
            if (above < left)
                share++;
        }
        out[i] = total < 0 ? -share : share;
    }
    return true;
}

bool money_price_valid(fen_t fen) { return fen >= 0 && fen <= MONEY_PRICE_MAX_FEN; }
