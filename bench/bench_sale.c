/* bench_sale: what a cashier waits for.  Measures, on a real SQLite file with the demo store:
 *   - barcode classification (pure core),
 *   - catalog look-up by GTIN (the read on the UI thread per scan),
 *   - committing a 10-line cash sale (one transaction, WAL, synchronous=FULL: includes fsync).
 * Reports the median and 90th percentile of N runs per figure.  Usage: bench_sale DIR [N]. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "db/demo.h"
#include "db/store.h"
#include "pos/app/till.h"
#include "pos/core/barcode.h"

static double now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void report(const char *what, double *samples, int n, const char *unit, double scale)
{
    qsort(samples, (size_t)n, sizeof *samples, cmp_double);
    printf("%-34s median %10.2f %s   p90 %10.2f %s   (n=%d)\n", what, samples[n / 2] / scale, unit,
           samples[n * 9 / 10] / scale, unit, n);
}

/* A positive count from the command line, or exit: a typo must not bench zero rows. */
static int count_arg(const char *s)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < 1 || v > 100000000) {
        fprintf(stderr, "not a count: %s\n", s);
        exit(2);
    }
    return (int)v;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_sale DIR [N]\n");
        return 2;
    }
    int n = argc > 2 ? count_arg(argv[2]) : 200;
    if (n < 10)
        n = 10;
    char path[1024], msg[512];
    snprintf(path, sizeof path, "%s/bench-%d.db", argv[1], (int)getpid());
    till t;
    if (till_open(&t, path, true, msg, sizeof msg) != STORE_OK ||
        demo_load(t.db, demo_assets_dir(), msg, sizeof msg) != STORE_OK ||
        store_get_config(t.db, &t.config) != STORE_OK) {
        fprintf(stderr, "setup failed: %s\n", msg);
        return 1;
    }
    static const char *codes[] = { "6985798000316", "6953822000175", "6957212000172",
                                   "6918152000523", "6918152000592" };
    double *s = calloc((size_t)n, sizeof *s);
    sale_doc *doc = calloc(1, sizeof *doc);
    if (!s || !doc)
        return 1;

    /* classification: 1000 codes per sample, reported per code */
    for (int i = 0; i < n; i++) {
        code_info info;
        double t0 = now_us();
        for (int k = 0; k < 1000; k++)
            barcode_classify(codes[k % 5], NULL, 0, &info);
        s[i] = (now_us() - t0) / 1000.0;
    }
    report("classify EAN-13", s, n, "us", 1);

    for (int i = 0; i < n; i++) {
        product p;
        char gtin[14];
        barcode_to_gtin13(codes[i % 5], gtin, NULL);
        double t0 = now_us();
        store_find_product_by_gtin(t.db, gtin, &p);
        s[i] = now_us() - t0;
    }
    report("look up product by GTIN", s, n, "us", 1);

    int64_t at = 1792120200;
    for (int i = 0; i < n; i++) {
        till_next_sale(&t);
        for (int k = 0; k < 10; k++)
            till_scan(&t, codes[k % 5], 1, NULL, NULL);
        till_tender(&t, TENDER_CASH, 100000);
        double t0 = now_us();
        if (till_prepare_sale(&t, at + i, doc) != TILL_OK ||
            till_commit_prepared(t.db, doc, &t.cart, msg, sizeof msg) != TILL_OK) {
            fprintf(stderr, "commit failed: %s %s\n", t.message, msg);
            return 1;
        }
        s[i] = now_us() - t0;
    }
    report("commit 10-line cash sale (fsync)", s, n, "ms", 1000);

    till_close(&t);
    free(s);
    free(doc);
    for (const char *suffix = ""; suffix; suffix = strcmp(suffix, "") == 0 ? "-wal" : strcmp(suffix, "-wal") == 0 ? "-shm" : NULL) {
        char f[1100];
        snprintf(f, sizeof f, "%s%s", path, suffix);
        unlink(f);
    }
    return 0;
}
