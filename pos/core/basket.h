/* basket: the sale in progress -- lines, quantities, voids, tenders, cash rounding and change.
 *
 * Pure state machine over a caller-owned struct: no allocation, no clock.  Every mutation
 * validates first and changes nothing when it refuses, so a refused key press never leaves the
 * basket half-updated.  Totals are recomputed from the lines (never cached), so they cannot
 * drift from what is on screen. */
#ifndef FUPIN_CORE_BASKET_H
#define FUPIN_CORE_BASKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pos/core/money.h"
#include "pos/core/product.h"

#define BASKET_MAX_LINES 200
#define BASKET_MAX_QTY 999          /* more than this of one item on a till is a typo */
#define BASKET_MAX_GRAMS 30000      /* 30 kg: the largest scale the store has */
#define BASKET_MAX_TENDERS 8
#define BASKET_MAX_VOIDS 64
#define BASKET_MAX_TOTAL_FEN MONEY_PRICE_MAX_FEN /* ¥1,000,000.00 per sale: above is absurd */

typedef enum {
    BASKET_OK = 0,
    BASKET_ERR_FULL,             /* BASKET_MAX_LINES reached */
    BASKET_ERR_QTY,              /* quantity 0, negative or above BASKET_MAX_QTY */
    BASKET_ERR_WEIGHT,           /* weight 0, negative or above BASKET_MAX_GRAMS */
    BASKET_ERR_BY_WEIGHT,        /* a weighed product sold by count, or the reverse */
    BASKET_ERR_NO_LINE,          /* line index out of range */
    BASKET_ERR_INACTIVE,         /* product is not for sale */
    BASKET_ERR_PRICE,            /* product price missing or negative */
    BASKET_ERR_OVERFLOW,         /* the line or the sale would exceed BASKET_MAX_TOTAL_FEN */
    BASKET_ERR_EMPTY,            /* nothing to pay for */
    BASKET_ERR_TENDER,           /* tender amount <= 0, too many tenders, unknown kind */
    BASKET_ERR_INSUFFICIENT,     /* tenders do not cover the amount due */
    BASKET_ERR_CHANGE_NON_CASH,  /* change larger than the cash tendered (no change on e-pay) */
} basket_err;

const char *basket_strerror(basket_err err);

typedef enum {
    TENDER_CASH = 0,
    TENDER_WECHAT,
    TENDER_ALIPAY,
    TENDER_UNIONPAY,
    TENDER_POINTS,
    TENDER_KIND_COUNT
} tender_kind;

const char *tender_kind_name(tender_kind kind);          /* "cash", "wechat", … (JSON/CLI) */
bool tender_kind_parse(const char *name, tender_kind *out);

/* 抹零: how a cash-only payment is rounded.  A store setting; applies to cash only. */
typedef enum {
    ROUNDING_NONE = 0,
    ROUNDING_DROP_FEN,      /* 12.38 -> 12.30 (always down: the shopper never pays more) */
    ROUNDING_JIAO,          /* half-up to the jiao: 12.34 -> 12.30, 12.35 -> 12.40 */
} cash_rounding;

const char *cash_rounding_name(cash_rounding mode);       /* "none", "drop_fen", "jiao" */
bool cash_rounding_parse(const char *name, cash_rounding *out);
/* The rounding adjustment (negative or positive fen) a cash payment of `total` gets. */
fen_t cash_rounding_adjust(cash_rounding mode, fen_t total);

typedef struct {
    product item;             /* copy of the catalog record at scan time */
    int64_t qty;              /* units; 1 for weighed lines */
    int64_t grams;            /* 0 for counted goods */
    fen_t unit_price_fen;     /* per unit or per kg */
    fen_t amount_fen;         /* before discounts */
    fen_t discount_fen;       /* >= 0; filled by pricing (#5) */
} basket_line;

typedef struct {
    tender_kind kind;
    fen_t amount_fen;
    char ref[64];             /* payment reference (e-pay transaction id), empty for cash */
} basket_tender;

typedef struct {
    char sku[PRODUCT_SKU_CAP];
    int64_t qty;
    int64_t grams;
    fen_t amount_fen;
} basket_void;

typedef struct {
    basket_line lines[BASKET_MAX_LINES];
    size_t n_lines;
    basket_tender tenders[BASKET_MAX_TENDERS];
    size_t n_tenders;
    basket_void voids[BASKET_MAX_VOIDS];   /* voided lines, kept for the audit row */
    size_t n_voids;
} basket;

/* What paying the basket with its current tenders comes to. */
typedef struct {
    fen_t total_fen;          /* sum(amount - discount) */
    fen_t rounding_fen;       /* 抹零, only when every tender is cash */
    fen_t due_fen;            /* total + rounding */
    fen_t tendered_fen;       /* sum of tenders */
    fen_t change_fen;         /* tendered - due, when >= 0 */
    fen_t remaining_fen;      /* due - tendered, when > 0 */
} basket_settlement;

void basket_init(basket *b);

/* Add a counted product.  A product already on a line (same SKU, counted) has its quantity
 * increased instead of a new line, so the screen shows "×3" rather than three rows. */
basket_err basket_add_product(basket *b, const product *p, int64_t qty, size_t *line_out);
/* Add a weighed product: price fen/kg × grams, half-up to the fen.  Always a new line. */
basket_err basket_add_weighed(basket *b, const product *p, int64_t grams, size_t *line_out);
/* Add a weighed product at the amount printed on a scale label (the label scale is the
 * verified instrument): the line keeps grams and the catalog fen/kg, amount = printed.  The
 * caller has checked the label agrees with the catalog within the store's tolerance. */
basket_err basket_add_weighed_amount(basket *b, const product *p, int64_t grams, fen_t amount,
                                     size_t *line_out);
basket_err basket_set_qty(basket *b, size_t line, int64_t qty);
basket_err basket_void_line(basket *b, size_t line);

fen_t basket_total(const basket *b);
int64_t basket_item_count(const basket *b);   /* units + one per weighed line */

basket_err basket_add_tender(basket *b, tender_kind kind, fen_t amount, const char *ref);
void basket_clear_tenders(basket *b);
bool basket_all_cash(const basket *b);

/* Settlement with the current tenders.  With no tenders yet, rounding is what cash would get
 * (the figure the cashier announces when cash payment starts). */
void basket_settle(const basket *b, cash_rounding mode, basket_settlement *out);
/* Ready to commit?  BASKET_OK, or EMPTY / INSUFFICIENT / CHANGE_NON_CASH. */
basket_err basket_check_payable(const basket *b, cash_rounding mode, basket_settlement *out);

#endif
