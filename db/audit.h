/* audit: the append-only, hash-chained audit log of the till.
 *
 * Every row stores prev_hash (the previous row's hash, 64 zeros for the first) and
 * hash = SHA-256 over prev_hash and the row's fields, each length-prefixed ("<len>:<bytes>")
 * so no two different rows can encode to the same input.  Triggers refuse UPDATE and DELETE;
 * the chain catches what the triggers cannot (edits with the triggers dropped, or by a raw
 * file editor): `audit verify` walks it. */
#ifndef FUPIN_DB_AUDIT_H
#define FUPIN_DB_AUDIT_H

#include <stdint.h>

#include "db/sha256.h"
#include "db/store.h"

#define AUDIT_GENESIS_HASH "0000000000000000000000000000000000000000000000000000000000000000"

void audit_hash(const char *prev_hash, int64_t at_utc, const char *actor, const char *event,
                const char *ref, const char *detail, char out[SHA256_HEX_CAP]);

/* Append one row (inside the caller's transaction if there is one, else its own). */
store_err audit_append(store *s, int64_t at_utc, const char *actor, const char *event,
                       const char *ref, const char *detail);

/* Walk the chain in id order.  STORE_OK, or STORE_ERR_CORRUPT with the first broken row in
 * msg.  n_rows (may be NULL) receives the number of rows checked. */
store_err audit_verify(store *s, int64_t *n_rows, char *msg, size_t msg_cap);

#endif
