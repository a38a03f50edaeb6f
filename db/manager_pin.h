/* manager_pin: the manager's approval PIN (refunds today; voids and drawer opens later).
 *
 * Stored as settings: manager.pin_salt (32 hex digits, random per till) and manager.pin_sha256
 * (hex SHA-256 of salt || PIN), so a copied database file does not give the PIN away by a
 * lookup table.  A PIN is 4-12 digits. */
#ifndef FUPIN_DB_MANAGER_PIN_H
#define FUPIN_DB_MANAGER_PIN_H

#include <stdbool.h>

#include "db/store.h"

bool manager_pin_valid(const char *pin);
store_err manager_pin_set(store *s, const char *pin);
/* STORE_OK when pin matches; STORE_ERR_INVALID when it does not, is missing, or no PIN was
 * ever set (a refund then cannot be approved). */
store_err manager_pin_check(store *s, const char *pin);
bool manager_pin_is_set(store *s);

#endif
