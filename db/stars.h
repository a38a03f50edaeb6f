/* stars: the consumption-star board (扶贫消费明星) -- members ranked by what they spent on
 * poverty-relief goods in a month, net of refunds.
 *
 * The board reads an aggregate per month and member (star_months, schema step 6 in
 * db/stars_schema.c) kept inside the sale's and the refund's transactions, so it costs one
 * row per member of the month however many lines were sold (bench/REPORT.md). */
#ifndef FUPIN_DB_STARS_H
#define FUPIN_DB_STARS_H

#include <stddef.h>
#include <stdint.h>

#include "db/store.h"
#include "pos/core/member.h"
#include "pos/core/money.h"
#include "pos/core/sale.h"

typedef struct {
    int rank;                      /* 1, 2, 3 … (ties are broken, so ranks are distinct) */
    char member_id[MEMBER_ID_CAP];
    char name[MEMBER_NAME_CAP];
    char phone[MEMBER_PHONE_CAP];
    member_kind kind;
    fen_t spend_fen;               /* Σ (amount − discount) of poverty-relief lines */
    int64_t sales;                 /* sales with such lines */
    int64_t first_utc;             /* first such purchase in the month */
} star_entry;

/* Members of `kind` ranked by poverty-relief spend in month "YYYY-MM" (business days): spend
 * descending, then the earlier first purchase, then member id.  Writes up to cap entries and
 * *n.  Staff never appear on the main board (call with MEMBER_PERSON); organisations are a
 * list of their own (MEMBER_ORGANISATION).  Net of refunds (#7): a refund is subtracted in the
 * month of the sale it refunds (docs/REFUNDS.md); a sale refunded whole is not counted. */
store_err stars_board(store *s, const char *month, member_kind kind, star_entry *out, size_t cap,
                      size_t *n);

/* Inside sales_commit's transaction: add the sale's poverty-relief spend to its member's
 * month (nothing for an anonymous sale or one without such lines). */
store_err stars_record_sale(store *s, const sale_doc *d);
/* Inside a refund's transaction: recompute the member's month of the refunded sale
 * (business_day "YYYY-MM-DD" of the SALE) from the rows. */
store_err stars_refresh(store *s, const char *member_id, const char *business_day);
/* Rebuild the whole aggregate from the rows (what the migration's back-fill does); for tools
 * and benchmarks that write sales with plain SQL. */
store_err stars_rebuild(store *s);

#endif
