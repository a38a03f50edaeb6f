/* sha256: SHA-256 for the till, a thin wrapper over libsodium's crypto_hash_sha256.
 *
 * Used to chain the audit log (each row's hash covers the previous row's hash, so a row that
 * is edited, removed or reordered outside the application breaks `audit verify`), to fingerprint
 * goods-received files, and today for the salted manager-PIN hash (db/manager_pin.c).  libsodium is
 * the one crypto library of the project; the PIN key derivation moves to its Argon2id later.
 * The wrapper keeps the API the callers had when the hash was our own code. */
#ifndef FUPIN_DB_SHA256_H
#define FUPIN_DB_SHA256_H

#include <stddef.h>
#include <stdint.h>

#include <sodium/crypto_hash_sha256.h>

#define SHA256_DIGEST_LEN 32
#define SHA256_HEX_CAP 65   /* 64 lowercase hex digits + NUL */

typedef struct {
    crypto_hash_sha256_state st;
} sha256_ctx;

void sha256_init(sha256_ctx *c);
void sha256_update(sha256_ctx *c, const void *data, size_t len);
void sha256_final(sha256_ctx *c, uint8_t digest[SHA256_DIGEST_LEN]);
/* One-shot digest as lowercase hex. */
void sha256_hex(const void *data, size_t len, char out[SHA256_HEX_CAP]);
void sha256_to_hex(const uint8_t digest[SHA256_DIGEST_LEN], char out[SHA256_HEX_CAP]);

#endif
