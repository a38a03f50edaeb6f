/* report: the county's figures from the till's own records -- poverty-relief sales by supplier,
 * household, village or day, and the progress of households' purchase agreements.
 *
 * Only poverty-relief lines (sale_lines.poverty_relief = 1, fixed at the moment of sale, so a
 * certificate that lapsed later does not rewrite history) count.  A line's money is
 * amount_fen - discount_fen: what the shopper actually paid for it, after the order discount
 * was spread over the lines (largest remainder), so the figures of all suppliers add up to the
 * poverty-relief part of the sales total to the fen.  Net of refunds (#7): refunded units,
 * grams and money are subtracted on the business day of the sale they refund. */
#ifndef FUPIN_DB_REPORT_H
#define FUPIN_DB_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/store.h"
#include "pos/core/product.h"

typedef enum {
    REPORT_BY_SUPPLIER,
    REPORT_BY_HOUSEHOLD,
    REPORT_BY_VILLAGE,
    REPORT_BY_DAY,
} report_by;

/* "supplier" / "household" / "village" / "day". */
bool report_by_parse(const char *name, report_by *out);
const char *report_by_name(report_by by);

typedef struct {
    char key[64];        /* supplier id / household id (建档立卡户) / village / YYYY-MM-DD */
    char name[128];      /* supplier or household name; township for a village; "" for a day */
    char detail[64];     /* supplier kind / household's village / "" / "" */
    int64_t lines;
    int64_t qty;         /* units of counted goods */
    int64_t grams;       /* grams of weighed goods */
    fen_t amount_fen;    /* sum(amount_fen - discount_fen) */
} report_row;

/* Sales between from and to (business days, inclusive; NULL or "" = open).  *rows is
 * malloc'ed.  totals (may be NULL) gets the sum over all rows. */
store_err report_sales(store *s, report_by by, const char *from, const char *to,
                       report_row **rows, size_t *n, report_row *totals);

typedef struct {
    char id[32];
    char supplier_id[SUPPLIER_ID_CAP];
    char name[128];
    char household_id[32];
    char village[64];
    char term_from[11], term_to[11];
    char note[128];
    fen_t agreed_fen;     /* per year */
    fen_t sold_fen;       /* poverty-relief sales of its goods in the year (within the term) */
    fen_t received_fen;   /* cost of goods received from the household in the year (term) */
} agreement_progress;

/* Agreements whose term overlaps year; sales and receipts counted over the days of that year
 * inside the term (business days in the till's zone). */
store_err report_agreements(store *s, int year, agreement_progress **rows, size_t *n);

#endif
