/* bench: what every benchmark shares -- the checked command-line count, the monotonic clock and
 * sorting samples for their median and percentiles.  One checked parser, so a typo
 * (`bench_sale /tmp 1O00`) stops the run instead of benching zero or a clamped number of rows. */
#ifndef FUPIN_BENCH_BENCH_H
#define FUPIN_BENCH_BENCH_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

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

/* CLOCK_MONOTONIC in microseconds. */
static inline double bench_now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static inline int bench_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Sorts n samples ascending: then samples[n / 2] is the median, samples[n * 9 / 10] the p90. */
static inline void bench_sort(double *samples, int n)
{
    qsort(samples, (size_t)n, sizeof *samples, bench_cmp_double);
}

#endif
