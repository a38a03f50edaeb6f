/* periph_test: what the peripheral codec tests share -- frames written as hex in the tables
 * ("02 2B 30 ..."), as devices.md prints them. */
#ifndef FUPIN_TESTS_PERIPH_TEST_H
#define FUPIN_TESTS_PERIPH_TEST_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

/* "02 2b30" -> bytes (spaces ignored); returns the count, aborts on a malformed table entry. */
static inline size_t periph_hex(const char *hex, uint8_t *out, size_t cap)
{
    size_t n = 0;
    int hi = -1;
    for (const char *p = hex; *p; p++) {
        int v;
        if (*p == ' ')
            continue;
        if (*p >= '0' && *p <= '9')
            v = *p - '0';
        else if (*p >= 'a' && *p <= 'f')
            v = *p - 'a' + 10;
        else if (*p >= 'A' && *p <= 'F')
            v = *p - 'A' + 10;
        else
            abort();
        if (hi < 0) {
            hi = v;
        } else {
            if (n == cap)
                abort();
            out[n++] = (uint8_t)(hi << 4 | v);
            hi = -1;
        }
    }
    if (hi >= 0)
        abort();
    return n;
}

#endif
