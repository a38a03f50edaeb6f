/* scale_label: in-store barcodes printed by label scales (GB/T 18283 style, prefix 2).
 *
 * A layout is store configuration, not code: a pattern of one letter per digit, e.g.
 *   "21CCCCCPPPPPK"        13 digits: prefix 21, PLU, price in fen, EAN check digit
 *   "22CCCCCWWWWWK"        13 digits: prefix 22, PLU, weight in grams, check digit
 *   "26CCCCCPPPPPWWWWWK"   18 digits: prefix 26, PLU, price (fen), weight (g), check digit
 *   "23CCCCCQPPPPK"        with a price check digit Q (GB/T 18283 / EAN price check over PPPP)
 * Digits in the pattern are literal and must match; C = PLU, P = price (fen), W = weight (g),
 * Q = price check digit, K = overall mod-10 check digit over every digit before it.  A set of
 * layouts is tried in order; the first whose length and literal digits match decides. */
#ifndef FUPIN_CORE_SCALE_LABEL_H
#define FUPIN_CORE_SCALE_LABEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pos/core/barcode.h"
#include "pos/core/money.h"

#define SCALE_LAYOUT_MAX 8
#define SCALE_PATTERN_CAP 32

typedef struct {
    char pattern[SCALE_PATTERN_CAP];
} scale_layout;

typedef struct {
    scale_layout layouts[SCALE_LAYOUT_MAX];
    size_t n;
} scale_layout_set;

typedef enum {
    SCALE_OK = 0,
    SCALE_ERR_NO_LAYOUT,      /* no layout matches length and literal digits: not a label */
    SCALE_ERR_CHECK_DIGIT,    /* overall check digit wrong */
    SCALE_ERR_PRICE_CHECK,    /* price check digit wrong */
    SCALE_ERR_PATTERN,        /* a layout pattern is malformed (config error) */
} scale_err;

const char *scale_strerror(scale_err err);

typedef struct {
    char plu[16];             /* digits of C, leading zeros stripped ("00012" -> "12") */
    bool has_price, has_weight;
    fen_t price_fen;
    int64_t grams;
    size_t layout_index;
} scale_label;

/* Parse "21CCCCCPPPPPK;26CCCCCPPPPPWWWWWK" (';' or ',' separated) into a set; validates each
 * pattern (only digits and C P W Q K, length 8..24, a C field, a P or W field, K last if
 * present).  On error names the bad pattern in err. */
scale_err scale_layouts_parse(const char *spec, scale_layout_set *out, char *err, size_t err_cap);
/* The default set of the demo store. */
void scale_layouts_default(scale_layout_set *out);

/* Decode a digit string against the set. */
scale_err scale_label_decode(const scale_layout_set *set, const char *code, size_t len,
                             scale_label *out);

/* Encode a label (for the demo data, tests and the label printer of #6): fills `out` with the
 * digits of layout `index` for plu / price / weight, computing Q and K.  False if a value does
 * not fit its field. */
bool scale_label_encode(const scale_layout_set *set, size_t index, const char *plu,
                        fen_t price_fen, int64_t grams, char *out, size_t cap);

/* A barcode_classify hook that claims codes matching a layout (ctx = const scale_layout_set *):
 * CODE_SCALE_LABEL with plu / grams / price_fen, or CODE_REJECTED with the reason when a layout
 * matched but a check digit is wrong. */
bool scale_label_classifier(void *ctx, const char *code, size_t len, code_info *out);

/* Agreement check of a label against the catalog: when the label carries both price and
 * weight, |price - round(fen_per_kg × grams / 1000)| must be <= tolerance_fen. */
bool scale_label_agrees(const scale_label *l, fen_t fen_per_kg, fen_t tolerance_fen);

#endif
