/* fuzz_target: what every fuzz target in tests/fuzz/ shares.
 *
 * A target is one LLVMFuzzerTestOneInput over the bytes a parser takes from outside.  The same
 * file builds two ways: with clang -fsanitize=fuzzer (scripts/fuzz.sh, build/fuzz) it is
 * fuzzed; with replay_main.c (every normal and ASan build) ctest runs it over its seed corpus
 * in tests/fuzz/corpus/<target>/, which also keeps every crash input found so far.
 * FUZZ_CHECK states a property the parser promises; breaking it aborts, which both builds
 * report as a failure. */
#ifndef FUPIN_TESTS_FUZZ_TARGET_H
#define FUPIN_TESTS_FUZZ_TARGET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond)                                                                   \
    do {                                                                                   \
        if (!(cond)) {                                                                     \
            fprintf(stderr, "%s:%d: property failed: %s\n", __FILE__, __LINE__, #cond);    \
            abort();                                                                       \
        }                                                                                  \
    } while (0)

/* data[0..size) as a fresh NUL-terminated string (cut at the first NUL, as a C API sees it). */
static inline char *fuzz_cstr(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        abort();
    for (size_t i = 0; i < size; i++)
        s[i] = (char)data[i];
    s[size] = '\0';
    return s;
}

/* A small LCG for the targets that cut one input into transport-sized pieces: the same input
 * always cuts the same way, so a crash replays. */
static inline uint32_t fuzz_rnd(uint32_t *seed)
{
    *seed = *seed * 1103515245u + 12345u;
    return *seed >> 16;
}

/* The size of the next piece of left bytes: 1 to 64 from seed, or all of them at once. */
static inline size_t fuzz_chunk(size_t left, uint32_t *seed, bool random_chunks)
{
    size_t want = random_chunks ? 1 + fuzz_rnd(seed) % 64 : left;
    return want < left ? want : left;
}

/* A string field of a fixed-size struct is NUL-terminated inside its array. */
#define FUZZ_TERMINATED(arr) FUZZ_CHECK(memchr((arr), '\0', sizeof(arr)) != NULL)

#endif
