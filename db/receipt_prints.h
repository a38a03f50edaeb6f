/* receipt_prints: the log of receipts printed for a sale (schema step 8,
 * db/receipt_prints_schema.c) -- the original after the commit and every reprint, so reprints
 * are counted.  A row is written when the receipt is handed to the printer (queued), not when
 * the paper comes out: a receipt that waits for paper is still the one issued. */
#ifndef FUPIN_DB_RECEIPT_PRINTS_H
#define FUPIN_DB_RECEIPT_PRINTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/store.h"

typedef enum { RECEIPT_PRINT_ORIGINAL = 0, RECEIPT_PRINT_REPRINT } receipt_print_kind;

/* Append one row (its own statement: atomic).  The sale must be stored. */
store_err receipt_prints_add(store *s, const char *sale_uuid, const char *receipt_no,
                             receipt_print_kind kind, int64_t at_utc);
/* How many rows of that kind the sale (UUID) has. */
store_err receipt_prints_count(store *s, const char *sale_uuid, receipt_print_kind kind,
                               int64_t *n);

/* The sale's receipt token (for receipt.buy_url's {token}): 22 characters of base64url, 128
 * random bits from the OS.  create: made and stored when the sale has none yet (then the
 * store must be writable); else STORE_ERR_NOT_FOUND when none.  cap >= RECEIPT_TOKEN_CAP. */
#define RECEIPT_TOKEN_CAP 24
store_err receipt_token_get(store *s, const char *sale_uuid, bool create, char *token,
                            size_t cap);

#endif
