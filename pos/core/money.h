/* money: amounts as int64 fen (分), parsed, formatted and combined without ever losing a fen.
 *
 * Every arithmetic helper is overflow-checked and returns false instead of wrapping, because a
 * wrapped total on a till is a wrong receipt that nobody notices.  Rounding is half-up (away
 * from zero for the positive amounts a till deals in), as Chinese retail price rules expect. */
#ifndef FUPIN_CORE_MONEY_H
#define FUPIN_CORE_MONEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef int64_t fen_t;

/* The largest amount any single money value may hold: ¥100,000,000,000.00.  Far beyond a till's
 * needs, far below INT64_MAX, so sums of a few thousand such values still cannot overflow. */
#define MONEY_MAX_FEN ((fen_t)10000000000000LL)

/* The one range of a price (per unit, or per kg for weighed goods) and of a unit cost, for
 * every field that comes from outside -- catalog import, goods received, gift costs, a sale's
 * lines: ¥0.00 to ¥1,000,000.00, the largest sale a basket holds (BASKET_MAX_TOTAL_FEN is
 * this).  Anything the import accepts the till can sell, and no receipt can book a cost that
 * no sale could ever carry. */
#define MONEY_PRICE_MAX_FEN ((fen_t)100000000)
bool money_price_valid(fen_t fen);

typedef enum {
    MONEY_OK = 0,
    MONEY_ERR_EMPTY,     /* nothing but blanks */
    MONEY_ERR_SYNTAX,    /* not a number of yuan with at most two decimals */
    MONEY_ERR_PRECISION, /* more than two decimals: "1.234" */
    MONEY_ERR_RANGE,     /* beyond MONEY_MAX_FEN */
} money_err;

const char *money_strerror(money_err err);

/* Parse yuan text into fen.  Accepts "12.80", "12.8", "12", ".5", "-3.00", with an optional
 * currency sign in front ("￥12.80", "¥12.80", "RMB 12.80") or "元" behind ("12.80元"), and
 * surrounding blanks.  Rejects thousands separators, exponents, more than two decimals. */
money_err money_parse(const char *text, fen_t *out);

/* Format fen as "12.80" / "-0.05".  Returns the length written (like snprintf, the length it
 * would have written when cap is too small); the buffer is always NUL-terminated if cap > 0.
 * MONEY_FMT_CAP is always enough. */
#define MONEY_FMT_CAP 32
size_t money_format(fen_t fen, char *buf, size_t cap);
/* "￥12.80" (fullwidth yen sign U+FFE5, as on Chinese receipts). */
size_t money_format_yuan(fen_t fen, char *buf, size_t cap);

/* Checked arithmetic: false on overflow or when the result leaves ±MONEY_MAX_FEN. */
bool money_add(fen_t a, fen_t b, fen_t *out);
bool money_sub(fen_t a, fen_t b, fen_t *out);
/* unit price × integer quantity. */
bool money_mul_qty(fen_t unit_fen, int64_t qty, fen_t *out);
/* price per kg × grams / 1000, rounded half-up to the fen. */
bool money_mul_grams(fen_t fen_per_kg, int64_t grams, fen_t *out);
/* amount × percent / 100 rounded half-up (for "9折" = 90). */
bool money_percent(fen_t amount, int64_t percent, fen_t *out);

/* Largest-remainder spread: split `total` over n lines in proportion to weights[i] (all >= 0,
 * their sum > 0) so that out[i] sum exactly to total.  Each line first gets the floor of its
 * exact share; the fen left over go one each to the lines with the largest remainders, ties
 * going to the lower index, so the result is deterministic.  total may be negative (a
 * discount), in which case magnitudes are spread and the sign restored.  Returns false when
 * n == 0, a weight is negative, the weights sum to 0, or an intermediate would overflow. */
bool money_spread(fen_t total, const fen_t *weights, size_t n, fen_t *out);

#endif
