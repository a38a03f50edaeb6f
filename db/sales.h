/* sales: committing and reading sale documents.
 *
 * A feature module over the base: a sale is written through the document-commit steps
 * (gapless number, rows, outbox, audit) in one transaction; the member's points ride along. */
#ifndef FUPIN_DB_SALES_H
#define FUPIN_DB_SALES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/store.h"
#include "pos/core/basket.h"
#include "pos/core/sale.h"

/* Commit a sale: in one transaction, assign the next gapless receipt number for this till and
 * business day, and write the sale, its lines, tenders, the outbox row (for the county ledger)
 * and an audit row.  The caller fills uuid, store/till identity, created_utc, cashier; this
 * fills business_day (from created_utc and the till's zone) and receipt_no.  The document is
 * checked with sale_check before anything is written.  Committing a uuid that is already
 * stored is idempotent: the stored receipt number is returned and nothing is written twice.
 * voids (may be NULL) are recorded in the audit row. */
store_err sales_commit(store *s, sale_doc *doc, const basket_void *voids, size_t n_voids,
                       char *msg, size_t msg_cap);

/* A request fingerprint: SHA-256 as 64 lowercase hex digits (+ NUL). */
#define SALES_REQUEST_FP_CAP 65
/* fp is 64 lowercase hex digits. */
bool sales_request_fp_valid(const char *fp);

/* sales_commit for a caller's request (`sell --uuid`): fingerprint (64 lowercase hex, see
 * pos/app/cmd_sell.c for what it covers) is stored with the sale (table sale_requests) in the
 * sale's transaction.  The caller's UUID is an idempotency key for that request: if doc->uuid
 * is already stored, the stored sale's fingerprint decides -- equal: nothing is written,
 * *stored = true and doc->receipt_no / business_day are the stored sale's; another one, or
 * none (a sale made without a request): STORE_ERR_CONSTRAINT, nothing written.  NULL
 * fingerprint: exactly sales_commit.  stored may be NULL. */
store_err sales_commit_request(store *s, sale_doc *doc, const char *fingerprint,
                               const basket_void *voids, size_t n_voids, bool *stored,
                               char *msg, size_t msg_cap);
/* The request fingerprint stored with the sale whose UUID is uuid: STORE_OK with fp set ("" when
 * the sale was made without one), STORE_ERR_NOT_FOUND when there is no such sale. */
store_err sales_request_fingerprint(store *s, const char *uuid, char fp[SALES_REQUEST_FP_CAP]);
store_err sales_load(store *s, const char *receipt_no_or_uuid, sale_doc *out);
int64_t sales_count(store *s);

#endif
