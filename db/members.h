/* members: the member table -- add, update, find by card or phone, delete.
 *
 * A feature module over the base; the record and its check are pure (pos/core/member.h). */
#ifndef FUPIN_DB_MEMBERS_H
#define FUPIN_DB_MEMBERS_H

#include "db/store.h"
#include "pos/core/member.h"

/* New member; an existing card or phone is STORE_ERR_CONSTRAINT. */
store_err members_add(store *s, const member *m);
/* Insert or update by card (the demo loader; the manager's edit). */
store_err members_upsert(store *s, const member *m);
store_err members_find(store *s, const char *id, member *out);
store_err members_find_by_phone(store *s, const char *phone, member *out);
/* What a cashier types or scans: a card number, else a phone number. */
store_err members_find_by_key(store *s, const char *card_or_phone, member *out);
/* Remove a member who has no points rows and no sales (else STORE_ERR_CONSTRAINT). */
store_err members_delete(store *s, const char *id);

#endif
