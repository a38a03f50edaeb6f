/* refund: returns against a committed sale (issue #7); approved with db/manager_pin.h.
 *
 * A refund is a document of its own (refunds, refund_lines, refund_tenders; schema step 4 in
 * db/refund_schema.c), written in ONE BEGIN IMMEDIATE transaction together with its stock
 * moves (kind 'refund'), the member's points rows (reverse / adjust), the outbox row (kind
 * 'refund') and an audit row.  Everything is checked under the write lock, so two tills
 * refunding the same line at the same moment are serialised and never exceed the sale.
 *
 * Amounts (docs/REFUNDS.md):
 *   - a line's refunded amount is its share of the line's net (amount - discount), taken
 *     cumulatively per unit: floor(net × refunded_after / qty) - floor(net × refunded_before /
 *     qty), so refunding 1+1+1 of a qty-3 line gives exactly what refunding 3 at once gives,
 *     and all refunds of a line add up to its net;
 *   - weighed lines are refunded whole (qty 1);
 *   - the sale's cash rounding (抹零) goes with the refund that completes the sale, so the
 *     refunds of a sale add up to its due -- what the shopper actually paid;
 *   - the money goes back to the sale's tender kinds in proportion to what is still
 *     refundable on each (cash for cash, WeChat for WeChat …); the part redeemed points had
 *     paid goes back as points;
 *   - points: earned points on the refunded lines are taken back and redeemed points returned
 *     pro rata (pos/core/points.h), the take-back clamped so the balance never goes negative
 *     (the shortfall is reported in the document, never debited).
 * Invariants of every refund document: sum(lines.amount_fen) + rounding_fen == total_fen ==
 * sum(tenders.amount_fen). */
#ifndef FUPIN_DB_REFUND_H
#define FUPIN_DB_REFUND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/store.h"
#include "pos/core/json.h"
#include "pos/core/sale.h"

#define REFUND_NO_CAP 48

/* What to refund: line_no is 1-based (the order of the sale's lines), qty units (1 for a
 * weighed line). */
typedef struct {
    int line_no;
    int64_t qty;
} refund_request_line;

typedef struct {
    int line_no;
    char sku[PRODUCT_SKU_CAP];
    char name[PRODUCT_NAME_CAP];
    int64_t qty;               /* units refunded now */
    int64_t grams;             /* weighed lines: the line's grams (refunded whole) */
    fen_t amount_fen;          /* net refunded: share of (amount - discount) */
    bool poverty_relief;
    char supplier_id[SUPPLIER_ID_CAP];
} refund_line;

typedef struct {
    tender_kind kind;
    fen_t amount_fen;
} refund_tender;

typedef struct {
    char uuid[SALE_UUID_CAP];
    char refund_no[REFUND_NO_CAP];        /* STORE-TILL-YYYYMMDD-RNNNN */
    char business_day[11];
    char store_code[STORE_CODE_CAP];
    int till_no;
    char sale_uuid[SALE_UUID_CAP];
    char sale_receipt_no[SALE_RECEIPT_NO_CAP];
    char approved_by[32];
    int64_t created_utc;
    refund_line lines[BASKET_MAX_LINES];
    size_t n_lines;
    fen_t lines_fen;                      /* sum(lines.amount_fen) */
    fen_t rounding_fen;                   /* the sale's 抹零, on the refund completing it */
    fen_t total_fen;                      /* lines_fen + rounding_fen */
    refund_tender tenders[TENDER_KIND_COUNT];
    size_t n_tenders;
    char member_id[32];
    int64_t points_reversed;              /* earned points taken back (after the clamp) */
    int64_t points_returned;              /* redeemed points given back */
    int64_t points_shortfall;             /* earned points not taken back: balance too low */
    bool points_clamped;
    bool sale_complete;                   /* every line of the sale is now refunded */
} refund_doc;

/* Commit a refund of the sale named by receipt number or uuid.  lines / n_lines name the lines
 * and quantities; n_lines == 0 refunds everything still refundable.  approved_by is recorded
 * (the caller checks the PIN first: manager_pin_check).  now_utc is the refund's time
 * (its business day in the till's zone).  out receives the document.  Errors:
 * STORE_ERR_NOT_FOUND (no such sale), STORE_ERR_INVALID (a line or quantity the sale does not
 * have left: msg says which), store errors otherwise.  Nothing is written on any error. */
store_err refund_commit(store *s, const char *receipt_no_or_uuid,
                        const refund_request_line *lines, size_t n_lines,
                        const char *approved_by, int64_t now_utc, refund_doc *out,
                        char *msg, size_t msg_cap);

/* The same with the caller's refund id (`refund --uuid`, a v4 UUID; NULL = a new random one,
 * as refund_commit).  When a refund with that uuid is stored and it is the same refund -- the
 * same sale (by receipt number or uuid), the same lines with the same quantities, or, for
 * n_lines == 0 ("everything left"), a stored refund that completed the sale -- nothing is
 * written, *stored (may be NULL) is set and out is the stored document (its amounts, number
 * and time as stored: a retry after a lost answer).  Any other refund under a stored uuid is
 * STORE_ERR_CONSTRAINT (msg names the stored refund): the amounts follow from the sale, the
 * lines and what was refunded before, so a request that differs in any of those is never
 * answered with a stored document.  A uuid that is not a v4 UUID is STORE_ERR_INVALID. */
store_err refund_commit_uuid(store *s, const char *uuid, const char *receipt_no_or_uuid,
                             const refund_request_line *lines, size_t n_lines,
                             const char *approved_by, int64_t now_utc, refund_doc *out,
                             bool *stored, char *msg, size_t msg_cap);

/* Read a stored refund back (by refund number or refund uuid): the document as committed
 * (refunds.doc_json) with the row's store and till.  Read-only.  STORE_ERR_NOT_FOUND: no such
 * refund (out is left as it is); STORE_ERR_CORRUPT: its stored document cannot be read. */
store_err refund_load(store *s, const char *refund_no_or_uuid, refund_doc *out);

/* The document as JSON (stored in refunds.doc_json and sent in the outbox). */
void refund_to_json(const refund_doc *d, json_writer *w);

#endif
