/* points: the members' points journal in the store -- append, balance, recent rows, the
 * points settings, expiry, and the rows a sale writes inside its own transaction.
 *
 * The journal is append-only (triggers); a balance is the SUM of a member's rows and can
 * never go below zero (a trigger refuses the row that would do it, inside the writer's
 * transaction, so two tills redeeming at once cannot both spend the same points).  The
 * arithmetic (earn, redeem quotes, refund take-back) is pure: pos/core/points.h. */
#ifndef FUPIN_DB_POINTS_H
#define FUPIN_DB_POINTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/store.h"
#include "pos/core/member.h"
#include "pos/core/points.h"
#include "pos/core/sale.h"

typedef enum {
    POINTS_ENTRY_EARN = 0,    /* > 0 */
    POINTS_ENTRY_REDEEM,      /* < 0 */
    POINTS_ENTRY_REVERSE,     /* < 0: a refund takes earned points back */
    POINTS_ENTRY_EXPIRE,      /* < 0 */
    POINTS_ENTRY_ADJUST,      /* either sign, reason required: returned points, corrections */
} points_entry_kind;

const char *points_entry_kind_name(points_entry_kind k);

typedef struct {
    int64_t id;               /* set by the store */
    char member_id[MEMBER_ID_CAP];
    points_entry_kind kind;
    int64_t points;           /* signed: the balance is the sum */
    char sale_uuid[SALE_UUID_CAP];   /* "" when not tied to a sale */
    char reason[128];
    int64_t at_utc;
} points_entry;

/* Append one row in its own transaction.  The sign must fit the kind; a row that would take
 * the balance below zero is refused (STORE_ERR_INVALID, "…余额不足…").  e->id is not written
 * back (e is const); the journal is read back with points_recent. */
store_err points_append(store *s, const points_entry *e);
store_err points_balance(store *s, const char *member_id, int64_t *balance);
/* The balance just after the sale's own rows (earned and redeemed): the sum of the member's
 * rows up to the sale's last one.  STORE_ERR_NOT_FOUND when the sale wrote no points rows. */
store_err points_balance_after_sale(store *s, const char *member_id, const char *sale_uuid,
                                    int64_t *balance);
/* Newest first. */
store_err points_recent(store *s, const char *member_id, points_entry *out, size_t cap,
                        size_t *n);

/* Points settings, with defaults for missing keys (docs/PROMOTIONS.md):
 *   points.rate                 points earned per ¥1 paid in money       default 1
 *   points.redeem_rate          points worth ¥1 as a tender              default 100
 *   points.redeem_cap_percent   at most this % of the due paid in points default 50
 *   points.expiry               "none" or N months (1-120)               default "none"
 * A malformed value is STORE_ERR_INVALID naming the key.  expiry may be NULL; *expiry_months
 * receives 0 for "none". */
store_err points_load_config(store *s, points_config *out, int *expiry_months);
/* Parse a points.expiry value: "none" (0 months), "N" or "months:N" with N in 1..120.  Used by
 * points_load_config and by `config set` (so a bad value is refused before it is stored). */
bool points_expiry_parse(const char *text, int *months);

/* ---- expiry (points.expiry = N months) ---- */

typedef struct {
    char member_id[MEMBER_ID_CAP];
    int64_t points;                /* > 0: what expired (the journal row is -points) */
} points_expired;

typedef struct {
    int months;                    /* the policy applied; 0 = "none" (nothing done) */
    int64_t cutoff_utc;            /* points earned before this instant are expirable */
    size_t n_members;              /* members who lost points in this run */
    int64_t points;                /* points expired in this run, all members */
    points_expired *items;         /* caller's array, may be NULL; filled up to cap, by card */
    size_t cap;
    size_t n_items;
} points_expire_result;

/* Expire points earned more than points.expiry months before now_utc (calendar months in the
 * store's time zone; the 31st minus one month is the month's last day).  FIFO: spending
 * (redeem, reverse, expire, negative adjust) uses the oldest points first, so per member
 *     expirable = max(0, Σ positive rows dated before the cutoff − Σ |negative rows|, all dates)
 * and one 'expire' row of −expirable (at now_utc) is appended.  Earlier expire rows count as
 * spending, so a second run writes nothing.  All members in one transaction with one audit
 * row (points.expire) when anything expired.  points.expiry = "none": nothing, STORE_OK.
 * res->items/cap are the caller's; the rest of *res is set. */
store_err points_expire(store *s, int64_t now_utc, points_expire_result *res);

/* Inside sales_commit's transaction (called by db/store.c, not by the app): check the
 * document's member and write its points rows -- the redeem row first, so points earned by
 * this very sale can never pay for it. */
store_err points_commit_sale(store *s, const sale_doc *doc);

#endif
