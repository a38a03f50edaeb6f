/* osrand: bytes from the OS random source (getrandom), for the UUIDs of sales and refunds.
 * In db/ because both the till (pos/app) and the refund transaction (db/refund) need it and
 * db/ is the lowest layer allowed to talk to the OS. */
#ifndef FUPIN_DB_OSRAND_H
#define FUPIN_DB_OSRAND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Fill buf with n random bytes; false if the OS source is unavailable. */
bool os_random_bytes(uint8_t *buf, size_t n);

#endif
