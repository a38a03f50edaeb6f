/* outbox: the documents waiting for the county ledger.
 *
 * A document module (sales, refunds, later shift and day closes) appends its row INSIDE its
 * own commit transaction, so the ledger can never miss a committed document nor receive one
 * that was rolled back.  The sync worker (a later issue) claims the oldest unsent rows in
 * order, sends them, and marks each sent or failed by id.  One row per document: ref_uuid is
 * unique.  The payload is the document's JSON as stored, written by our own writer
 * (pos/core/json.h) so its bytes are ours to decide. */
#ifndef FUPIN_DB_OUTBOX_H
#define FUPIN_DB_OUTBOX_H

#include <stddef.h>
#include <stdint.h>

#include "db/store.h"

#define OUTBOX_KIND_CAP 16
#define OUTBOX_REF_CAP 40

typedef struct {
    int64_t id;                   /* send order */
    char kind[OUTBOX_KIND_CAP];   /* "sale", "refund", ... */
    char ref_uuid[OUTBOX_REF_CAP];
    char *payload;                /* malloc'ed; outbox_rows_free */
    int64_t created_utc;
    int attempts;                 /* claims so far, this one included */
} outbox_row;

/* Append a row inside the caller's transaction (or its own when there is none). */
store_err outbox_append(store *s, const char *kind, const char *ref_uuid, const char *payload,
                        int64_t created_utc);

/* Claim up to max unsent rows, oldest first (id order), counting one attempt on each.  *n
 * receives how many; rows[0..*n) own their payloads (outbox_rows_free). */
store_err outbox_claim(store *s, size_t max, outbox_row *rows, size_t *n);
void outbox_rows_free(outbox_row *rows, size_t n);

/* The ledger took row id: it is never claimed again.  STORE_ERR_NOT_FOUND for an unknown id. */
store_err outbox_mark_sent(store *s, int64_t id, int64_t sent_utc);
/* Sending row id failed: record why; it stays unsent and is claimed again next time. */
store_err outbox_mark_failed(store *s, int64_t id, const char *why);

/* Rows not yet sent (-1 on error). */
int64_t outbox_pending(store *s);

#endif
