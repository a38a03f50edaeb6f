/* test_crash: the power-cut test.  A child process commits sales as fast as it can; the parent
 * kills it with SIGKILL at a random moment (often in the middle of a transaction or of an
 * fsync), then reopens the database and checks that every sale there is whole and consistent
 * and that nothing half-written survived.  25 rounds on the same file, fixed seed, so a failure
 * reproduces.  (SIGKILL loses the process, not the page cache, so this proves transaction
 * atomicity and WAL recovery; synchronous=FULL is what covers the real power cut.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "db/audit.h"
#include "db/sales.h"
#include "db/store.h"
#include "pos/core/json.h"
#include "sale_fixture.h"

#define ROUNDS 25
#define SEED 20261017u   /* 10月17日, national poverty-relief day */
#define BASE_UTC ((int64_t)1792080000)   /* 2026-10-16 00:00 Shanghai */

static char db_file[512];

static void child_commit_loop(uint64_t seed)
{
    store *s = NULL;
    char msg[512];
    store_open_opts o = {.create = true, .busy_timeout_ms = 5000};
    if (store_open(db_file, &o, &s, msg, sizeof msg) != STORE_OK) {
        fprintf(stderr, "child: open: %s\n", msg);
        _exit(3);
    }
    uint64_t rng = seed;
    sale_doc *d = calloc(1, sizeof *d);
    if (!d)
        _exit(4);
    for (int i = 0; i < 100000; i++) {
        size_t n_lines = 1 + (size_t)(fx_rand(&rng) % 20);
        /* Spread over three business days so per-day numbering is exercised too. */
        int64_t at = BASE_UTC + (int64_t)(fx_rand(&rng) % (3 * 86400));
        if (!fx_make_sale(d, n_lines, at, &rng))
            _exit(5);
        store_err e = sales_commit(s, d, NULL, 0, msg, sizeof msg);
        if (e != STORE_OK) {
            fprintf(stderr, "child: commit: %s: %s\n", store_strerror(e), msg);
            _exit(6);
        }
    }
    _exit(0);
}

static int64_t scalar(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static int64_t verify_store(void)
{
    store *s = NULL;
    char msg[512];
    /* As `init` reopens it: the kill may have landed between two schema steps of the child's
     * own open (each step is atomic, so the file is at one version or the next, never
     * between), and only an init-mode open finishes a migration. */
    store_open_opts o = {.create = true};
    if (store_open(db_file, &o, &s, msg, sizeof msg) != STORE_OK)
        fail_msg("reopen after kill: %s", msg);
    if (store_check_integrity(s, msg, sizeof msg) != STORE_OK)
        fail_msg("integrity: %s", msg);
    sqlite3 *db = store_db(s);
    int64_t n_sales = sales_count(s);

    /* Each sale: lines present and as many as its document says; money adds up. */
    sqlite3_stmt *st = NULL;
    assert_int_equal(
        sqlite3_prepare_v2(db,
                           "SELECT s.uuid, s.doc_json, s.due_fen, s.change_fen, "
                           "(SELECT count(*) FROM sale_lines l WHERE l.sale_uuid = s.uuid), "
                           "(SELECT coalesce(sum(amount_fen), 0) FROM sale_tenders t "
                           " WHERE t.sale_uuid = s.uuid) FROM sales s",
                           -1, &st, NULL),
        SQLITE_OK);
    sale_doc *d = calloc(1, sizeof *d);
    assert_non_null(d);
    int64_t seen = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *uuid = (const char *)sqlite3_column_text(st, 0);
        const char *json = (const char *)sqlite3_column_text(st, 1);
        int64_t due = sqlite3_column_int64(st, 2), change = sqlite3_column_int64(st, 3);
        int64_t n_lines = sqlite3_column_int64(st, 4), tendered = sqlite3_column_int64(st, 5);
        char err[128];
        json_value *v = json_parse(json, strlen(json), err, sizeof err);
        if (!v)
            fail_msg("sale %s: doc_json: %s", uuid, err);
        const json_value *lines = json_get(v, "lines");
        assert_non_null(lines);
        assert_true(n_lines >= 1);
        assert_int_equal(n_lines, (int64_t)lines->n_items);
        assert_int_equal(tendered - change, due);
        json_free(v);
        /* And the rows rebuild a document that passes every check. */
        assert_int_equal(sales_load(s, uuid, d), STORE_OK);
        if (sale_check(d, true, err, sizeof err) != SALE_OK)
            fail_msg("sale %s reloaded: %s", uuid, err);
        seen++;
    }
    sqlite3_finalize(st);
    free(d);
    assert_int_equal(seen, n_sales);

    /* Exactly one outbox row per sale, none for a sale that does not exist. */
    assert_int_equal(scalar(db, "SELECT count(*) FROM outbox"), n_sales);
    assert_int_equal(scalar(db, "SELECT count(*) FROM sales s WHERE "
                                "(SELECT count(*) FROM outbox o WHERE o.ref_uuid = s.uuid) != 1"),
                     0);
    assert_int_equal(scalar(db, "SELECT count(*) FROM outbox o WHERE NOT EXISTS "
                                "(SELECT 1 FROM sales s WHERE s.uuid = o.ref_uuid)"),
                     0);
    /* Receipt numbers per till and day are 1..n without gaps (seq is UNIQUE, so min 1 and
     * max == count means gapless). */
    assert_int_equal(scalar(db, "SELECT count(*) FROM (SELECT count(*) AS n, min(seq) AS lo, "
                                "max(seq) AS hi FROM sales GROUP BY store_code, till_no, "
                                "business_day) WHERE lo != 1 OR hi != n"),
                     0);
    /* Every sale line has exactly its stock move (same transaction), and no move points at a
     * sale that does not exist. */
    assert_int_equal(scalar(db, "SELECT count(*) FROM stock_moves WHERE kind = 'sale'"),
                     scalar(db, "SELECT count(*) FROM sale_lines"));
    assert_int_equal(scalar(db, "SELECT count(*) FROM sale_lines l WHERE (SELECT count(*) FROM "
                                "stock_moves m WHERE m.ref = l.sale_uuid AND m.sku = l.sku AND "
                                "m.kind = 'sale' AND (m.qty = -l.qty AND m.grams = 0 OR "
                                "l.grams > 0 AND m.qty = 0 AND m.grams = -l.grams)) != 1"),
                     0);
    assert_int_equal(scalar(db, "SELECT count(*) FROM stock_moves m WHERE NOT EXISTS "
                                "(SELECT 1 FROM sales s WHERE s.uuid = m.ref)"),
                     0);
    assert_int_equal(scalar(db, "SELECT count(*) FROM audit_log"), n_sales);
    int64_t n_audit = 0;
    if (audit_verify(s, &n_audit, msg, sizeof msg) != STORE_OK)
        fail_msg("audit chain: %s", msg);
    store_close(s);
    return n_sales;
}

static void test_power_cut(void **state)
{
    snprintf(db_file, sizeof db_file, "%s/crash.db", FUPIN_TEST_TMP);
    const char *suffix[] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++) {
        char p[600];
        snprintf(p, sizeof p, "%s%s", db_file, suffix[i]);
        unlink(p);
    }
    uint64_t rng = SEED;
    int64_t last = 0;
    int killed_mid_run = 0;
    for (int round = 0; round < ROUNDS; round++) {
        uint64_t child_seed = fx_rand(&rng);
        unsigned delay_ms = 1 + (unsigned)(fx_rand(&rng) % 60);
        fflush(NULL);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0)
            child_commit_loop(child_seed);
        struct timespec ts = {.tv_sec = 0, .tv_nsec = (long)delay_ms * 1000000L};
        nanosleep(&ts, NULL);
        kill(pid, SIGKILL);
        int status = 0;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        if (WIFEXITED(status))
            fail_msg("round %d: child exited with %d instead of being killed", round,
                     WEXITSTATUS(status));
        assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
        killed_mid_run++;
        int64_t n = verify_store();
        assert_true(n >= last);   /* committed sales never disappear */
        last = n;
    }
    printf("power-cut: %d rounds (seed %u), %lld sales committed and verified\n", killed_mid_run,
           SEED, (long long)last);
    assert_true(last > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_power_cut),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
