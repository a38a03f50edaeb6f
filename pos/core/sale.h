/* sale: the sale document of CLI.md -- what was sold, for how much, paid how.
 *
 * It is built from a payable basket, checked by sale_check() (the same function the tests and
 * the database layer call before anything is written), stored, printed and sent to the county
 * ledger.  Amounts are int64 fen; the invariants are:
 *   sum(lines.amount_fen - lines.discount_fen) == total_fen
 *   total_fen + rounding_fen == due_fen
 *   sum(tenders) - change_fen == due_fen
 *   rounding_fen != 0 only when every tender is cash. */
#ifndef FUPIN_CORE_SALE_H
#define FUPIN_CORE_SALE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pos/core/basket.h"
#include "pos/core/json.h"
#include "pos/core/money.h"

#define SALE_UUID_CAP 37
#define SALE_RECEIPT_NO_CAP 48
/* The document holds whatever one pricing call can produce, so `price` and `sell` can never
 * disagree: at most SALE_MAX_RULES rules are active (promo.h's PROMO_MAX_RULES is this, and
 * promo import refuses more), each applies at most once and gives at most one gift; applied
 * keeps one more slot for the 抹零 line. */
#define SALE_MAX_RULES 128
#define SALE_MAX_APPLIED (SALE_MAX_RULES + 1)
#define SALE_MAX_GIFTS SALE_MAX_RULES
#define STORE_CODE_CAP 16

typedef struct {
    char sku[PRODUCT_SKU_CAP];
    char name[PRODUCT_NAME_CAP];
    char gtin13[14];
    int64_t qty;
    int64_t grams;
    fen_t unit_price_fen;
    fen_t amount_fen;
    fen_t discount_fen;
    bool poverty_relief;
    char supplier_id[SUPPLIER_ID_CAP];
} sale_line;

typedef struct {
    char rule[32];
    char label[96];
    fen_t amount_fen;        /* negative for a discount */
} sale_applied;

typedef struct {
    char sku[PRODUCT_SKU_CAP];
    int64_t qty;
    fen_t cost_fen;          /* unit cost × qty (#5): the gift is ¥0 to the buyer, not to the shop */
} sale_gift;

typedef struct {
    tender_kind kind;
    fen_t amount_fen;
    char ref[64];
} sale_tender;

typedef struct {
    char uuid[SALE_UUID_CAP];
    char receipt_no[SALE_RECEIPT_NO_CAP];   /* STORE-TILL-YYYYMMDD-NNNN, set at commit */
    char business_day[11];                  /* YYYY-MM-DD in the store's time zone */
    char store_code[STORE_CODE_CAP];
    int till_no;
    char cashier[32];
    int64_t created_utc;                    /* seconds since the epoch, UTC */
    sale_line lines[BASKET_MAX_LINES];
    size_t n_lines;
    sale_applied applied[SALE_MAX_APPLIED];
    size_t n_applied;
    sale_gift gifts[SALE_MAX_GIFTS];
    size_t n_gifts;
    fen_t total_fen;
    fen_t rounding_fen;
    fen_t due_fen;
    sale_tender tenders[BASKET_MAX_TENDERS];
    size_t n_tenders;
    fen_t change_fen;
    int64_t points_earned;
    int64_t points_redeemed;
    char member_id[32];                     /* member card (#5), "" = anonymous sale */
} sale_doc;

typedef enum {
    SALE_OK = 0,
    SALE_ERR_EMPTY,          /* no lines */
    SALE_ERR_LINE,           /* a line is inconsistent (qty/grams/amount/discount) */
    SALE_ERR_TOTAL,          /* lines do not sum to total */
    SALE_ERR_ROUNDING,       /* total + rounding != due, or rounding on a non-cash sale */
    SALE_ERR_TENDERS,        /* tenders - change != due, or change without cash */
    SALE_ERR_IDENTITY,       /* uuid / receipt number / business day malformed */
    SALE_ERR_BASKET,         /* the basket is not payable */
} sale_err;

const char *sale_strerror(sale_err err);

/* Fill doc from a payable basket (lines, tenders, totals, change).  Identity fields (uuid,
 * receipt_no, business_day, store, till, cashier, created_utc) are the caller's. */
sale_err sale_from_basket(const basket *b, cash_rounding mode, sale_doc *doc);

/* Check every invariant of the document.  require_identity also checks uuid (v4 text form),
 * receipt number format and business day.  On failure writes a human reason to why. */
sale_err sale_check(const sale_doc *doc, bool require_identity, char *why, size_t why_cap);

/* The document as JSON (CLI.md), appended to sb. */
void sale_to_json(const sale_doc *doc, json_writer *w);

/* Receipt number STORE-TILL-YYYYMMDD-NNNN from its parts; false when it would not fit or a
 * part is malformed.  business_day is "YYYY-MM-DD". */
bool sale_format_receipt_no(const char *store_code, int till_no, const char *business_day,
                            int seq, char *out, size_t cap);

/* UUID v4 text form from 16 random bytes (the caller reads them from the OS). */
void sale_format_uuid_v4(const uint8_t random16[16], char out[SALE_UUID_CAP]);
bool sale_uuid_valid(const char *uuid);

#endif
