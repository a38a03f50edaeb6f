/* test_sha256: FIPS 180-4 / NIST test vectors for the audit chain's hash. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "db/audit.h"
#include "db/sha256.h"

static void test_vectors(void **state)
{
    char hex[SHA256_HEX_CAP];
    sha256_hex("", 0, hex);
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    sha256_hex("abc", 3, hex);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";   /* 448 bits */
    sha256_hex(two, strlen(two), hex);
    assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

static void test_million_a_in_odd_chunks(void **state)
{
    /* Feeding in uneven pieces exercises the block buffering across boundaries. */
    char chunk[997];
    memset(chunk, 'a', sizeof chunk);
    sha256_ctx c;
    sha256_init(&c);
    size_t left = 1000000;
    while (left) {
        size_t n = left < sizeof chunk ? left : sizeof chunk;
        sha256_update(&c, chunk, n);
        left -= n;
    }
    uint8_t d[SHA256_DIGEST_LEN];
    char hex[SHA256_HEX_CAP];
    sha256_final(&c, d);
    sha256_to_hex(d, hex);
    assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

static void test_audit_hash_fields_are_delimited(void **state)
{
    /* "ab"+"c" and "a"+"bc" must not hash alike: fields are length-prefixed. */
    char h1[SHA256_HEX_CAP], h2[SHA256_HEX_CAP];
    audit_hash(AUDIT_GENESIS_HASH, 1, "ab", "c", "", "", h1);
    audit_hash(AUDIT_GENESIS_HASH, 1, "a", "bc", "", "", h2);
    assert_string_not_equal(h1, h2);
    audit_hash(AUDIT_GENESIS_HASH, 1, "a", "bc", "", "", h1);
    assert_string_equal(h1, h2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vectors),
        cmocka_unit_test(test_million_a_in_odd_chunks),
        cmocka_unit_test(test_audit_hash_fields_are_delimited),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
