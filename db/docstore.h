/* docstore: the one way a numbered business document is committed.
 *
 * Sales and refunds today, shift and day closes later, are all written the same way, in ONE
 * BEGIN IMMEDIATE transaction:
 *
 *   1. idempotency  -- a document whose UUID is already stored is answered from the store
 *                      (a retry after a lost reply writes nothing twice);
 *   2. prepare      -- the caller reads under the write lock what the document depends on and
 *                      names its identity (uuid, time, actor; store and till, or the till's own);
 *   3. number       -- the business day in the till's zone and the next gapless sequence for
 *                      that till and day; the caller forms its number and finishes the figures;
 *   4. the caller's rows (and anything riding along: stock moves, points);
 *   5. the outbox row (db/outbox.h) with the document's JSON;
 *   6. the audit row (db/audit.h).
 *
 * Any error rolls everything back.  The caller's callbacks see the store handle and their own
 * document; they never begin or end a transaction. */
#ifndef FUPIN_DB_DOCSTORE_H
#define FUPIN_DB_DOCSTORE_H

#include <stdbool.h>
#include <stdint.h>

#include "db/store.h"
#include "pos/core/json.h"
#include "pos/core/sale.h"

typedef struct {
    char uuid[SALE_UUID_CAP];
    int64_t created_utc;
    char actor[64];                    /* audit actor: the cashier, the approving manager */
    char store_code[STORE_CODE_CAP];   /* "" = the till's own (settings) */
    int till_no;                       /* used with store_code */
    char business_day[11];             /* filled by docstore: YYYY-MM-DD in the till's zone */
    int seq;                           /* filled by docstore: next number for till and day */
} docstore_id;

/* The numbering query for a table with store_code, till_no, business_day and seq columns. */
#define DOCSTORE_SEQ_SQL(table)                                                                \
    "SELECT coalesce(max(seq), 0) + 1 FROM " table                                             \
    " WHERE store_code = ?1 AND till_no = ?2 AND business_day = ?3"

typedef struct {
    const char *kind;          /* outbox kind: "sale", "refund" */
    const char *audit_event;   /* "sale.commit", "refund.commit" */
    /* The next number: a string literal (kept prepared, keyed by its address) of the form
     * "SELECT coalesce(max(seq), 0) + 1 FROM <table> WHERE store_code = ?1 AND till_no = ?2
     * AND business_day = ?3" -- DOCSTORE_SEQ_SQL("sales") writes it. */
    const char *seq_sql;
    /* 1. Already stored?  Set *stored (and fill doc from the store); NULL = no such check. */
    store_err (*find)(store *s, void *doc, bool *stored);
    /* 2. Read what the document depends on; fill id's uuid, created_utc, actor (and
     *    store_code/till_no to number under another identity than the till's). */
    store_err (*prepare)(store *s, void *doc, docstore_id *id);
    /* 3. id is complete: form the document's number, finish and check its figures. */
    store_err (*number)(store *s, void *doc, const docstore_id *id);
    /* The document's JSON (stored and sent) and the audit detail, both initialised. */
    store_err (*render)(store *s, void *doc, strbuf *payload, strbuf *detail);
    /* 4. Write the document's rows. */
    store_err (*rows)(store *s, void *doc, const docstore_id *id, const char *payload);
} docstore_ops;

/* Run steps 1-6 in one transaction.  *stored (may be NULL) tells an idempotent replay from a
 * new commit.  On error nothing is written and store_last_error says why. */
store_err docstore_commit(store *s, const docstore_ops *ops, void *doc, bool *stored);

#endif
