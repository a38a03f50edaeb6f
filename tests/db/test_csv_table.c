/* test_csv_table: the outside-file reader every import goes through (db/csv_table.c) and what
 * catalog import does with a hostile file -- the error list stays bounded however many lines
 * are bad, and a path that is not a regular file (a FIFO) is refused instead of blocking.
 * No timings: the checks are on what is kept (the error list's size), never on the clock. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db/catalog.h"
#include "db/csv_table.h"
#include "db/store.h"
#include "db_test_util.h"

/* Hostile inputs must never keep more than this many messages (csv_table.h's cap). */
#define KEPT_AT_MOST 1000

static store *open_empty(const char *name, char *dbpath, size_t cap)
{
    char msg[512];
    snprintf(dbpath, cap, "%s/csvt_%s.db", FUPIN_TEST_TMP, name);
    unlink_db(dbpath);
    store *s = NULL;
    store_open_opts o = {.create = true};
    if (store_open(dbpath, &o, &s, msg, sizeof msg) != STORE_OK)
        fail_msg("open: %s", msg);
    return s;
}

static size_t count_lines(const char *s)
{
    size_t n = 0;
    for (; s && *s; s++)
        n += *s == '\n';
    return s ? n + 1 : 0;
}

/* 100,000 errors arriving in reverse line order (the worst case for an insertion sort): only a
 * bounded number is kept, they are the lowest lines, and the total is still told. */
static void test_errlist_bounded_and_sorted(void **state)
{
    (void)state;
    errlist el = {0};
    for (int line = 100000; line >= 1; line--)
        err_add(&el, "big.csv", line, "sku", "bad %d", line);
    assert_false(el.oom);
    assert_true(el.n <= KEPT_AT_MOST);
    strbuf out;
    strbuf_init(&out);
    errlist_format(&el, &out);
    assert_non_null(out.data);
    assert_true(strncmp(out.data, "big.csv:1: sku: bad 1\nbig.csv:2: sku: bad 2\n", 44) == 0);
    assert_true(count_lines(out.data) <= KEPT_AT_MOST + 1);
    assert_non_null(strstr(out.data, "100000 errors in all"));
    strbuf_free(&out);
    errlist_free(&el);
}

/* A catalog of 20,000 rows with one SKU: every row after the first is a duplicate.  The error
 * list stays bounded, names the first line and says how many there were. */
static void test_catalog_duplicate_flood(void **state)
{
    (void)state;
    char dbpath[512], csv[512];
    store *s = open_empty("dups", dbpath, sizeof dbpath);
    snprintf(csv, sizeof csv, "%s/csvt_dups.csv", FUPIN_TEST_TMP);
    FILE *f = fopen(csv, "w");
    assert_non_null(f);
    fputs("sku,name,unit,price_fen\n", f);
    for (int i = 0; i < 20000; i++)
        fputs("B1,米,袋,100\n", f);
    assert_int_equal(fclose(f), 0);
    strbuf errors;
    strbuf_init(&errors);
    catalog_summary sum;
    catalog_import_opts o = {.now_utc = 1};
    assert_int_equal(catalog_import_file(s, csv, &o, true, &sum, NULL, &errors), STORE_ERR_INVALID);
    assert_non_null(errors.data);
    assert_true(count_lines(errors.data) <= KEPT_AT_MOST + 1);
    assert_non_null(strstr(errors.data, ":3: sku: sku B1 also on line 2"));
    assert_non_null(strstr(errors.data, "19999 errors in all"));
    strbuf_free(&errors);
    store_close(s);
    unlink(csv);
    unlink_db(dbpath);
}

/* Memory is bounded by rows, not by the 64 MB file cap: a file of more products than a store
 * has (CATALOG_MAX_ROWS) is refused once, at the first row past the limit, instead of holding
 * ~900 bytes per line of a file of tiny lines. */
static void test_catalog_row_cap(void **state)
{
    (void)state;
    char dbpath[512], csv[512];
    store *s = open_empty("rowcap", dbpath, sizeof dbpath);
    snprintf(csv, sizeof csv, "%s/csvt_rowcap.csv", FUPIN_TEST_TMP);
    FILE *f = fopen(csv, "w");
    assert_non_null(f);
    fputs("sku,name,unit,price_fen\n", f);
    for (int i = 0; i < 100001; i++)
        fprintf(f, "S%06d,米,袋,100\n", i);
    assert_int_equal(fclose(f), 0);
    strbuf errors;
    strbuf_init(&errors);
    catalog_summary sum;
    catalog_import_opts o = {.now_utc = 1};
    assert_int_equal(catalog_import_file(s, csv, &o, true, &sum, NULL, &errors), STORE_ERR_INVALID);
    assert_non_null(errors.data);
    if (!strstr(errors.data, ":100002: file: more than 100000 products"))
        fail_msg("%s", errors.data);
    assert_int_equal(sum.errors, 1);
    strbuf_free(&errors);
    store_close(s);
    unlink(csv);
    unlink_db(dbpath);
}

static void on_alarm(int sig)
{
    (void)sig;
    static const char m[] = "blocked on a FIFO: the reader must refuse it\n";
    (void)!write(2, m, sizeof m - 1);
    _exit(1);
}

/* A FIFO with a writer that never writes: opening it must not block, it is refused. */
static void test_fifo_refused(void **state)
{
    (void)state;
    char fifo[512];
    snprintf(fifo, sizeof fifo, "%s/csvt_fifo.csv", FUPIN_TEST_TMP);
    unlink(fifo);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    int keep = open(fifo, O_RDWR | O_NONBLOCK | O_CLOEXEC);   /* a silent writer, not inherited */
    assert_true(keep >= 0);
    signal(SIGALRM, on_alarm);
    alarm(10);
    ct_table t;
    errlist el = {0};
    static const ct_column cols[] = {{"sku", true}};
    assert_false(ct_open(&t, fifo, CT_ENC_AUTO, cols, 1, &el));
    ct_close(&t);
    char why[160] = "";
    size_t len = 0;
    assert_null(ct_read_file(fifo, 1024, &len, why, sizeof why));
    alarm(0);
    assert_int_equal(el.n, 1);
    assert_non_null(strstr(el.items[0].text, "not a regular file"));
    assert_non_null(strstr(why, "not a regular file"));
    errlist_free(&el);
    close(keep);
    unlink(fifo);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_errlist_bounded_and_sorted),
        cmocka_unit_test(test_catalog_duplicate_flood),
        cmocka_unit_test(test_fifo_refused),
        cmocka_unit_test(test_catalog_row_cap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
