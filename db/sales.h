/* sales: committing and reading sale documents.
 *
 * A feature module over the base: a sale is written through the document-commit steps
 * (gapless number, rows, outbox, audit) in one transaction; the member's points ride along. */
#ifndef FUPIN_DB_SALES_H
#define FUPIN_DB_SALES_H

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
store_err sales_load(store *s, const char *receipt_no_or_uuid, sale_doc *out);
int64_t sales_count(store *s);

#endif
