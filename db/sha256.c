/* sha256: libsodium's crypto_hash_sha256 behind the API the callers already use.  sodium_init
 * runs once per process (pthread_once) before the first hash, as libsodium asks of every
 * program; the hash itself is plain C in libsodium, so a failed init (no entropy source at
 * boot) does not stop hashing. */
#include "db/sha256.h"

#include <pthread.h>
#include <sodium/core.h>
#include <sodium/utils.h>

static pthread_once_t sodium_once = PTHREAD_ONCE_INIT;
static int sodium_status; /* sodium_init's answer: 0 started, 1 already, -1 failed */

static void sodium_start(void)
{
    sodium_status = sodium_init();
}

void sha256_init(sha256_ctx *c)
{
    pthread_once(&sodium_once, sodium_start);
    crypto_hash_sha256_init(&c->st);
}

void sha256_update(sha256_ctx *c, const void *data, size_t len)
{
    crypto_hash_sha256_update(&c->st, data, len);
}

void sha256_final(sha256_ctx *c, uint8_t digest[SHA256_DIGEST_LEN])
{
    crypto_hash_sha256_final(&c->st, digest);
}

void sha256_to_hex(const uint8_t digest[SHA256_DIGEST_LEN], char out[SHA256_HEX_CAP])
{
    sodium_bin2hex(out, SHA256_HEX_CAP, digest, SHA256_DIGEST_LEN);
}

void sha256_hex(const void *data, size_t len, char out[SHA256_HEX_CAP])
{
    sha256_ctx c;
    uint8_t d[SHA256_DIGEST_LEN];
    sha256_init(&c);
    sha256_update(&c, data, len);
    sha256_final(&c, d);
    sha256_to_hex(d, out);
}
