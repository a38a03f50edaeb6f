/* scale_label: see scale_label.h.
 *
 * Check digits implemented here:
 *   K  the GS1 mod-10 check digit (weights 3,1,3,… from the right) over every digit before K:
 *      barcode_check_digit(), the same routine EAN-13 uses, so a 13-digit label is also a valid
 *      EAN-13 and an 18-digit one follows the same rule.
 *   Q  the GS1 "price/weight verifier" digit, GS1 General Specifications §7.9.3 (the section the
 *      GB/T 18283 in-store layouts refer to):
 *        4-digit field: weighting factors 2-, 2-, 3, 5- ; sum of the products × 3, units digit.
 *        5-digit field: weighting factors 5+, 2-, 5-, 5+, 2- ; 10 − (sum mod 10) gives the 5-
 *                       product of the check digit, so Q is that value mapped back through 5-.
 *      NB the brief said "2-, 3, 5+, 5-" for the 4-digit field; that is not what GS1 publishes.
 *      The published factors (2-, 2-, 3, 5-) are confirmed by the GS1 worked examples
 *      (price 2875 -> 9, price 14685 -> 6) and by independent implementations (GS1 US "price
 *      check digit", aidc-toolkit, biip), so those are what is implemented; the tests pin the
 *      two GS1 examples.
 *      A "2-" product is 2×d with the tens digit subtracted from the units digit (mod 10),
 *      "5+" is 5×d with the tens added to the units, "5-" is 5×d with the tens subtracted, "3"
 *      is the units digit of 3×d.
 *   Q covers the P (or W: GS1's "measure verifier digit" is computed the same way) field that
 *   immediately follows it, which must be 4 or 5 digits long. */
#include "pos/core/scale_label.h"

#include <stdio.h>
#include <string.h>

/* Field limits.  C must fit scale_label.plu (15 digits + NUL); P and W at most 12 digits so any
 * value is an exact int64 below MONEY_MAX_FEN and the caller's checked arithmetic cannot be
 * handed something absurd by a config typo. */
#define FIELD_C_MAX 15
#define FIELD_PW_MAX 12
#define PATTERN_MIN 8
#define PATTERN_MAX 24

const char *scale_strerror(scale_err err)
{
    switch (err) {
    case SCALE_OK: return "ok";
    case SCALE_ERR_NO_LAYOUT: return "not an in-store label: no layout matches";
    case SCALE_ERR_CHECK_DIGIT: return "label check digit does not match";
    case SCALE_ERR_PRICE_CHECK: return "label price check digit does not match";
    case SCALE_ERR_PATTERN: return "malformed label layout";
    }
    return "unknown scale label error";
}

/* ------------------------------------------------------------------ GS1 verifier digit */

static const unsigned char W2MINUS[10] = {0, 2, 4, 6, 8, 9, 1, 3, 5, 7};
static const unsigned char W3[10] = {0, 3, 6, 9, 2, 5, 8, 1, 4, 7};
static const unsigned char W5PLUS[10] = {0, 5, 1, 6, 2, 7, 3, 8, 4, 9};
static const unsigned char W5MINUS[10] = {0, 5, 9, 4, 8, 3, 7, 2, 6, 1};
/* W5MINUS_INV[W5MINUS[d]] == d: the 5-digit method ends by finding the digit whose 5- product
 * is the computed value. */
static const unsigned char W5MINUS_INV[10] = {0, 9, 7, 5, 3, 1, 8, 6, 4, 2};

/* Verifier digit of 4 or 5 ASCII digits; -1 for another length or a non-digit. */
static int verifier_digit(const char *f, size_t n)
{
    int d[5];
    if (n != 4 && n != 5)
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (f[i] < '0' || f[i] > '9')
            return -1;
        d[i] = f[i] - '0';
    }
    if (n == 4) {
        int sum = W2MINUS[d[0]] + W2MINUS[d[1]] + W3[d[2]] + W5MINUS[d[3]];
        return sum * 3 % 10;
    }
    int sum = W5PLUS[d[0]] + W2MINUS[d[1]] + W5MINUS[d[2]] + W5PLUS[d[3]] + W2MINUS[d[4]];
    return W5MINUS_INV[(10 - sum % 10) % 10];
}

/* ------------------------------------------------------------------ layouts */

/* Where the fields of a validated pattern sit.  Every field is one contiguous run: a split
 * field ("21CCPPCCCPPPK") is almost certainly a typo, and refusing it keeps "the digits of C"
 * unambiguous. */
typedef struct {
    size_t len;
    size_t c_off, c_len;
    size_t p_off, p_len;
    size_t w_off, w_len;
    size_t q_off;           /* valid when has_q */
    size_t q_field_off, q_field_len;
    bool has_q, has_k;
} layout_shape;

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Validates a pattern and computes its shape.  On failure writes why (without the pattern) to
 * why. */
static bool layout_shape_of(const char *pat, layout_shape *s, char *why, size_t why_cap)
{
    memset(s, 0, sizeof *s);
    size_t len = strnlen(pat, SCALE_PATTERN_CAP);
    if (len >= SCALE_PATTERN_CAP) {
        snprintf(why, why_cap, "longer than %d characters", PATTERN_MAX);
        return false;
    }
    s->len = len;
    if (len < PATTERN_MIN || len > PATTERN_MAX) {
        snprintf(why, why_cap, "%zu digits; a layout has %d to %d", len, PATTERN_MIN,
                 PATTERN_MAX);
        return false;
    }
    for (size_t i = 0; i < len; i++) {
        char c = pat[i];
        if (is_digit(c))
            continue;
        size_t *off, *flen;
        switch (c) {
        case 'C': off = &s->c_off; flen = &s->c_len; break;
        case 'P': off = &s->p_off; flen = &s->p_len; break;
        case 'W': off = &s->w_off; flen = &s->w_len; break;
        case 'Q':
            if (s->has_q) {
                snprintf(why, why_cap, "more than one Q");
                return false;
            }
            s->has_q = true;
            s->q_off = i;
            continue;
        case 'K':
            if (i != len - 1) {
                snprintf(why, why_cap, "K at position %zu is not the last digit", i + 1);
                return false;
            }
            s->has_k = true;
            continue;
        default:
            if ((unsigned char)c < 0x20 || (unsigned char)c > 0x7E)
                snprintf(why, why_cap, "byte 0x%02X at position %zu is not a digit or C P W Q K",
                         (unsigned char)c, i + 1);
            else
                snprintf(why, why_cap, "'%c' at position %zu is not a digit or C P W Q K", c,
                         i + 1);
            return false;
        }
        if (*flen == 0) {
            *off = i;
        } else if (*off + *flen != i) {
            snprintf(why, why_cap, "field %c is split (position %zu)", c, i + 1);
            return false;
        }
        (*flen)++;
    }
    if (s->c_len == 0 && s->p_len == 0 && s->w_len == 0) {
        snprintf(why, why_cap, "no C, P or W field");
        return false;
    }
    /* What every label needs: the product (a label without C would look up PLU "" at every
     * scan) and what to charge (P or W).  K stays optional: some scales print a fixed last
     * digit (the layouts in tests/core/test_scale_label.c), and Q guards the price. */
    if (s->c_len == 0) {
        snprintf(why, why_cap, "no PLU field C: a label must name its product");
        return false;
    }
    if (s->p_len == 0 && s->w_len == 0) {
        snprintf(why, why_cap, "no price P or weight W field: a label must say what to charge");
        return false;
    }
    if (s->c_len > FIELD_C_MAX) {
        snprintf(why, why_cap, "PLU field of %zu digits; at most %d", s->c_len, FIELD_C_MAX);
        return false;
    }
    if (s->p_len > FIELD_PW_MAX || s->w_len > FIELD_PW_MAX) {
        snprintf(why, why_cap, "price or weight field longer than %d digits", FIELD_PW_MAX);
        return false;
    }
    if (s->has_q) {
        /* Q guards the field right after it; anything else has no defined verifier. */
        size_t next = s->q_off + 1;
        if (s->p_len && s->p_off == next) {
            s->q_field_off = s->p_off;
            s->q_field_len = s->p_len;
        } else if (s->w_len && s->w_off == next) {
            s->q_field_off = s->w_off;
            s->q_field_len = s->w_len;
        } else {
            snprintf(why, why_cap, "Q is not followed by a P or W field");
            return false;
        }
        if (s->q_field_len != 4 && s->q_field_len != 5) {
            snprintf(why, why_cap, "Q guards a field of %zu digits; the check needs 4 or 5",
                     s->q_field_len);
            return false;
        }
    }
    return true;
}

scale_err scale_layouts_parse(const char *spec, scale_layout_set *out, char *err, size_t err_cap)
{
    /* Built aside and copied at the end so a refused spec leaves *out as it was. */
    scale_layout_set tmp;
    memset(&tmp, 0, sizeof tmp);
    if (err && err_cap)
        err[0] = '\0';
    if (!spec) {
        if (err && err_cap)
            snprintf(err, err_cap, "no layout spec");
        return SCALE_ERR_PATTERN;
    }
    const char *p = spec;
    size_t item = 0;
    for (;;) {
        const char *b = p;
        while (*p && *p != ';' && *p != ',')
            p++;
        const char *e = p;
        item++;
        /* Blanks around an item are tolerated (config files get hand-edited); an empty item,
         * e.g. from a trailing ';', is skipped. */
        while (b < e && (*b == ' ' || *b == '\t'))
            b++;
        while (e > b && (e[-1] == ' ' || e[-1] == '\t'))
            e--;
        size_t n = (size_t)(e - b);
        if (n > 0) {
            if (tmp.n == SCALE_LAYOUT_MAX) {
                if (err && err_cap)
                    snprintf(err, err_cap, "more than %d layouts", SCALE_LAYOUT_MAX);
                return SCALE_ERR_PATTERN;
            }
            char why[80];
            layout_shape shape;
            if (n >= SCALE_PATTERN_CAP) {
                if (err && err_cap)
                    snprintf(err, err_cap, "layout %zu \"%.*s...\": longer than %d characters",
                             item, 24, b, PATTERN_MAX);
                return SCALE_ERR_PATTERN;
            }
            memcpy(tmp.layouts[tmp.n].pattern, b, n);
            tmp.layouts[tmp.n].pattern[n] = '\0';
            if (!layout_shape_of(tmp.layouts[tmp.n].pattern, &shape, why, sizeof why)) {
                if (err && err_cap)
                    snprintf(err, err_cap, "layout %zu \"%s\": %s", item,
                             tmp.layouts[tmp.n].pattern, why);
                return SCALE_ERR_PATTERN;
            }
            tmp.n++;
        }
        if (!*p)
            break;
        p++;
    }
    *out = tmp;
    return SCALE_OK;
}

void scale_layouts_default(scale_layout_set *out)
{
    /* The demo store's scales: PLUs are 5 digits (10001…).  21 = price label, 22 = weight
     * label, 23 = price label with a price verifier digit, 26 = 18-digit label carrying both
     * amount and weight.  Prefixes do not overlap, so the order only matters for readability. */
    static const char *const defaults[] = {
        "21CCCCCPPPPPK",
        "22CCCCCWWWWWK",
        "23CCCCCQPPPPK",
        "26CCCCCPPPPPWWWWWK",
    };
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < sizeof defaults / sizeof defaults[0]; i++)
        snprintf(out->layouts[i].pattern, SCALE_PATTERN_CAP, "%s", defaults[i]);
    out->n = sizeof defaults / sizeof defaults[0];
}

/* ------------------------------------------------------------------ decode / encode */

static int64_t field_value(const char *code, size_t off, size_t n)
{
    int64_t v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (code[off + i] - '0');
    return v;
}

/* Does `code` have the pattern's length and literal digits? (Letters match any digit.) */
static bool layout_matches(const char *pat, const char *code, size_t len)
{
    if (strnlen(pat, SCALE_PATTERN_CAP) != len)
        return false;
    for (size_t i = 0; i < len; i++) {
        if (!is_digit(code[i]))
            return false;
        if (is_digit(pat[i]) && pat[i] != code[i])
            return false;
    }
    return true;
}

scale_err scale_label_decode(const scale_layout_set *set, const char *code, size_t len,
                             scale_label *out)
{
    if (out)
        memset(out, 0, sizeof *out);
    if (!set || !code || len == 0)
        return SCALE_ERR_NO_LAYOUT;
    size_t n = set->n < SCALE_LAYOUT_MAX ? set->n : SCALE_LAYOUT_MAX;
    for (size_t i = 0; i < n; i++) {
        const char *pat = set->layouts[i].pattern;
        if (!layout_matches(pat, code, len))
            continue;
        /* First match decides: a label of this shape with a bad check digit is a misread
         * label, not a reason to try a looser layout. */
        layout_shape s;
        char why[80];
        if (!layout_shape_of(pat, &s, why, sizeof why))
            return SCALE_ERR_PATTERN;
        if (s.has_k && barcode_check_digit(code, len - 1) != code[len - 1] - '0')
            return SCALE_ERR_CHECK_DIGIT;
        if (s.has_q &&
            verifier_digit(code + s.q_field_off, s.q_field_len) != code[s.q_off] - '0')
            return SCALE_ERR_PRICE_CHECK;
        if (!out)
            return SCALE_OK;
        /* PLU without leading zeros, but "00000" is PLU "0", not "". */
        size_t k = 0;
        while (k + 1 < s.c_len && code[s.c_off + k] == '0')
            k++;
        memcpy(out->plu, code + s.c_off + k, s.c_len - k);
        out->plu[s.c_len - k] = '\0';
        out->has_price = s.p_len > 0;
        out->has_weight = s.w_len > 0;
        out->price_fen = field_value(code, s.p_off, s.p_len);
        out->grams = field_value(code, s.w_off, s.w_len);
        out->layout_index = i;
        return SCALE_OK;
    }
    return SCALE_ERR_NO_LAYOUT;
}

/* Writes v zero-padded into n digits; false if it does not fit or is negative. */
static bool put_field(char *dst, int64_t v, size_t n)
{
    if (v < 0)
        return false;
    for (size_t i = n; i-- > 0;) {
        dst[i] = (char)('0' + v % 10);
        v /= 10;
    }
    return v == 0;
}

bool scale_label_encode(const scale_layout_set *set, size_t index, const char *plu,
                        fen_t price_fen, int64_t grams, char *out, size_t cap)
{
    if (out && cap)
        out[0] = '\0';
    if (!set || index >= set->n || index >= SCALE_LAYOUT_MAX || !out)
        return false;
    const char *pat = set->layouts[index].pattern;
    layout_shape s;
    char why[80];
    if (!layout_shape_of(pat, &s, why, sizeof why) || cap < s.len + 1)
        return false;
    char buf[SCALE_PATTERN_CAP];
    memcpy(buf, pat, s.len);
    buf[s.len] = '\0';
    if (s.c_len) {
        if (!plu)
            return false;
        /* Leading zeros of the given PLU are not significant: "012" fits a 2-digit field. */
        size_t pl = strlen(plu);
        for (size_t i = 0; i < pl; i++)
            if (!is_digit(plu[i]))
                return false;
        while (pl > 1 && *plu == '0') {
            plu++;
            pl--;
        }
        if (pl == 0 || pl > s.c_len)
            return false;
        memset(buf + s.c_off, '0', s.c_len - pl);
        memcpy(buf + s.c_off + (s.c_len - pl), plu, pl);
    }
    if (s.p_len && !put_field(buf + s.p_off, price_fen, s.p_len))
        return false;
    if (s.w_len && !put_field(buf + s.w_off, grams, s.w_len))
        return false;
    if (s.has_q)
        buf[s.q_off] = (char)('0' + verifier_digit(buf + s.q_field_off, s.q_field_len));
    if (s.has_k)
        buf[s.len - 1] = (char)('0' + barcode_check_digit(buf, s.len - 1));
    memcpy(out, buf, s.len + 1);
    return true;
}

/* ------------------------------------------------------------------ hook and agreement */

bool scale_label_classifier(void *ctx, const char *code, size_t len, code_info *out)
{
    const scale_layout_set *set = ctx;
    scale_label l;
    scale_err e = scale_label_decode(set, code, len, &l);
    switch (e) {
    case SCALE_ERR_NO_LAYOUT:
        return false;
    case SCALE_OK:
        out->kind = CODE_SCALE_LABEL;
        snprintf(out->plu, sizeof out->plu, "%s", l.plu);
        out->grams = l.has_weight ? l.grams : 0;
        out->price_fen = l.has_price ? l.price_fen : 0;
        return true;
    case SCALE_ERR_CHECK_DIGIT:
        out->kind = CODE_REJECTED;
        out->err = BARCODE_ERR_CHECK_DIGIT;
        snprintf(out->reason, sizeof out->reason,
                 "scale label: bad check digit: expected %d, scanned %c",
                 barcode_check_digit(code, len - 1), code[len - 1]);
        return true;
    case SCALE_ERR_PRICE_CHECK:
        out->kind = CODE_REJECTED;
        out->err = BARCODE_ERR_CHECK_DIGIT;
        snprintf(out->reason, sizeof out->reason, "scale label: bad price check digit");
        return true;
    case SCALE_ERR_PATTERN:
        /* A hand-built set with a broken layout: refuse loudly rather than guess. */
        out->kind = CODE_REJECTED;
        snprintf(out->reason, sizeof out->reason, "scale label layout is malformed (config)");
        return true;
    }
    return false;
}

bool scale_label_agrees(const scale_label *l, fen_t fen_per_kg, fen_t tolerance_fen)
{
    if (!l)
        return false;
    /* A label with only one of the two has nothing to cross-check: the scale is the verified
     * instrument and the caller prices it from the catalog. */
    if (!l->has_price || !l->has_weight)
        return true;
    fen_t expect;
    if (!money_mul_grams(fen_per_kg, l->grams, &expect))
        return false;
    fen_t diff = l->price_fen - expect;   /* both bounded well below INT64_MAX: no overflow */
    if (diff < 0)
        diff = -diff;
    return diff <= tolerance_fen;
}
