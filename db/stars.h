/* stars: the consumption-star board (扶贫消费明星) -- members ranked by what they spent on
 * poverty-relief goods in a month, net of refunds. */
#ifndef FUPIN_DB_STARS_H
#define FUPIN_DB_STARS_H

#include <stddef.h>
#include <stdint.h>

#include "db/store.h"
#include "pos/core/member.h"
#include "pos/core/money.h"

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

#endif
