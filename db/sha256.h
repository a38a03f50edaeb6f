/* sha256: FIPS 180-4 SHA-256, self-contained (no OpenSSL on the till image).
 *
 * Used to chain the audit log: each row's hash covers the previous row's hash, so a row that
 * is edited, removed or reordered outside the application breaks `audit verify`. */
#ifndef FUPIN_DB_SHA256_H
#define FUPIN_DB_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_DIGEST_LEN 32
#define SHA256_HEX_CAP 65   /* 64 lowercase hex digits + NUL */

typedef struct {
    uint32_t h[8];
    uint64_t n_bytes;        /* total message length so far */
    uint8_t block[64];
    size_t fill;             /* bytes waiting in block */
} sha256_ctx;

void sha256_init(sha256_ctx *c);
void sha256_update(sha256_ctx *c, const void *data, size_t len);
void sha256_final(sha256_ctx *c, uint8_t digest[SHA256_DIGEST_LEN]);
/* One-shot digest as lowercase hex. */
void sha256_hex(const void *data, size_t len, char out[SHA256_HEX_CAP]);
void sha256_to_hex(const uint8_t digest[SHA256_DIGEST_LEN], char out[SHA256_HEX_CAP]);

#endif
