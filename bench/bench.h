/* bench_args: the command-line count every benchmark takes.  One checked parser, so a typo
 * (`bench_sale /tmp 1O00`) stops the run instead of benching zero or a clamped number of rows. */
#ifndef FUPIN_BENCH_ARGS_H
#define FUPIN_BENCH_ARGS_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

/* argv[i] as a count in [lo, hi], or dflt when the argument is absent; exits 2 otherwise. */
static inline long bench_count_arg(int argc, char **argv, int i, long dflt, long lo, long hi)
{
    if (argc <= i)
        return dflt;
    char *end;
    errno = 0;
    long v = strtol(argv[i], &end, 10);
    if (errno || end == argv[i] || *end || v < lo || v > hi) {
        fprintf(stderr, "%s: not a count in %ld..%ld: %s\n", argv[0], lo, hi, argv[i]);
        exit(2);
    }
    return v;
}

#endif
