/* manager_pin: the manager's approval PIN, salted and hashed in the settings.  See
 * manager_pin.h. */
#include "db/manager_pin.h"

#include <sodium/utils.h>
#include <stdint.h>
#include <string.h>

#include "db/osrand.h"
#include "db/settings.h"
#include "db/sha256.h"
#include "db/store_internal.h"

bool manager_pin_valid(const char *pin)
{
    size_t n = pin ? strlen(pin) : 0;
    if (n < 4 || n > 12)
        return false;
    for (size_t i = 0; i < n; i++)
        if (pin[i] < '0' || pin[i] > '9')
            return false;
    return true;
}

static void pin_hash(const char *salt_hex, const char *pin, char out[SHA256_HEX_CAP])
{
    sha256_ctx c;
    uint8_t dg[SHA256_DIGEST_LEN];
    sha256_init(&c);
    sha256_update(&c, salt_hex, strlen(salt_hex));
    sha256_update(&c, pin, strlen(pin));
    sha256_final(&c, dg);
    sha256_to_hex(dg, out);
}

typedef struct {
    const char *salt, *hash;
} pin_kv;

static store_err set_pin_tx(store *s, void *ctx)
{
    const pin_kv *kv = ctx;
    store_err e = settings_set(s, "manager.pin_salt", kv->salt);
    return e ? e : settings_set(s, "manager.pin_sha256", kv->hash);
}

store_err manager_pin_set(store *s, const char *pin)
{
    if (!s)
        return STORE_ERR_INVALID;
    if (!manager_pin_valid(pin))
        return store_failf(s, STORE_ERR_INVALID, "a manager PIN is 4 to 12 digits");
    /* A random salt per till: the same PIN on two tills gives two different hashes, and a
     * copied database file does not give away the PIN by a lookup table. */
    uint8_t rnd[16];
    char salt[SHA256_HEX_CAP], hash[SHA256_HEX_CAP];
    if (!os_random_bytes(rnd, sizeof rnd))
        return store_failf(s, STORE_ERR_IO, "no OS random source for the PIN salt");
    sodium_bin2hex(salt, sizeof salt, rnd, sizeof rnd);
    pin_hash(salt, pin, hash);
    pin_kv kv = {salt, hash};
    return store_transaction(s, set_pin_tx, &kv);
}

bool manager_pin_is_set(store *s)
{
    char buf[SHA256_HEX_CAP + 8];
    return s && settings_get(s, "manager.pin_sha256", buf, sizeof buf) == STORE_OK &&
           strlen(buf) == SHA256_HEX_CAP - 1;
}

store_err manager_pin_check(store *s, const char *pin)
{
    if (!s)
        return STORE_ERR_INVALID;
    char salt[128], want[SHA256_HEX_CAP + 8], got[SHA256_HEX_CAP];
    if (settings_get(s, "manager.pin_salt", salt, sizeof salt) != STORE_OK ||
        settings_get(s, "manager.pin_sha256", want, sizeof want) != STORE_OK ||
        strlen(want) != SHA256_HEX_CAP - 1)
        return store_failf(s, STORE_ERR_INVALID,
                           "needs manager approval: no manager PIN is set (init --manager-pin)");
    if (!manager_pin_valid(pin))
        return store_failf(s, STORE_ERR_INVALID, "needs manager approval");
    pin_hash(salt, pin, got);
    /* Compare every byte: the time taken does not tell how much of the PIN was right. */
    unsigned diff = 0;
    for (size_t i = 0; i < SHA256_HEX_CAP - 1; i++)
        diff |= (unsigned)(got[i] ^ want[i]);
    return diff == 0 ? STORE_OK : store_failf(s, STORE_ERR_INVALID, "needs manager approval");
}
