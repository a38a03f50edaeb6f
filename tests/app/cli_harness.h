/* The harness the tests/app/test_*_cli.c programs share: run the real fupin-pos binary (FUPIN_BIN)
 * on a real SQLite file made by `init --demo`, and read back what it printed and stored.
 *
 * A test-only header of static functions and variables, included by one .c file per program:
 * every tests/app/test_*.c is its own executable (tests/CMakeLists.txt), so each gets its own
 * copy and nothing is shared between programs.  Helpers a program does not use are marked unused.
 *
 * Define CLI_HARNESS_NAME (a short file-name prefix, e.g. "refund-cli") before including it: the
 * program's files are FUPIN_TEST_TMP/<name>-<pid>.db, .err and .json (basket_path). */
#ifndef FUPIN_TESTS_APP_CLI_HARNESS_H
#define FUPIN_TESTS_APP_CLI_HARNESS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pos/core/json.h"

#ifndef CLI_HARNESS_NAME
#error "define CLI_HARNESS_NAME (the test's file-name prefix) before including cli_harness.h"
#endif

#define CLI_HARNESS_FN __attribute__((unused)) static

static char db_path[1024];
static char err_path[1024];
static char basket_path[1024];
static char out[1 << 18];

/* FUPIN_TEST_TMP/<CLI_HARNESS_NAME>-<pid><suffix>. */
CLI_HARNESS_FN void cli_harness_path(char *buf, size_t size, const char *suffix)
{
    snprintf(buf, size, "%s/%s-%d%s", FUPIN_TEST_TMP, CLI_HARNESS_NAME, (int)getpid(), suffix);
}

/* Run fupin-pos with args (shell words); stdout into `out`, stderr into err_path. */
__attribute__((format(printf, 1, 2)))
CLI_HARNESS_FN int run(const char *fmt, ...)
{
    char args[4096], cmd[8192];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(args, sizeof args, fmt, ap);
    va_end(ap);
    snprintf(cmd, sizeof cmd, "'%s' --db '%s' %s 2>'%s'", FUPIN_BIN, db_path, args, err_path);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t n = fread(out, 1, sizeof out - 1, p);
    out[n] = '\0';
    int st = pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

/* Run fupin-pos with stdout on out_fd, stderr into err_path, SIGPIPE at its default (as from a
 * shell): returns the exit code, or 128 + the signal that killed it. */
CLI_HARNESS_FN int run_fd(int out_fd, const char *const *argv)
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        signal(SIGPIPE, SIG_DFL);
        int e = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (e < 0 || dup2(out_fd, 1) < 0 || dup2(e, 2) < 0)
            _exit(120);
        const char *args[32];
        size_t n = 0;
        args[n++] = FUPIN_BIN;
        args[n++] = "--db";
        args[n++] = db_path;
        for (; *argv && n < 31; argv++)
            args[n++] = *argv;
        args[n] = NULL;
        execv(FUPIN_BIN, (char *const *)args);
        _exit(121);
    }
    int st;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* What the last run() wrote to stderr. */
CLI_HARNESS_FN char *stderr_text(void)
{
    static char buf[1 << 16];
    FILE *f = fopen(err_path, "r");
    size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
    buf[n] = '\0';
    if (f)
        fclose(f);
    return buf;
}

/* The first column of the first row of a query (printf-style) on the database, read-only. */
__attribute__((format(printf, 1, 2)))
CLI_HARNESS_FN int64_t sql_int(const char *fmt, ...)
{
    char sql[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(sql, sizeof sql, fmt, ap);
    va_end(ap);
    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

/* stdout of the last run() as one JSON document (the caller frees it). */
CLI_HARNESS_FN json_value *parse_out(void)
{
    char err[160];
    json_value *v = json_parse(out, strlen(out), err, sizeof err);
    if (!v)
        fail_msg("stdout is not one JSON document (%s): %s / stderr: %s", err, out, stderr_text());
    return v;
}

CLI_HARNESS_FN void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
    assert_int_equal(fclose(f), 0);
}

/* The basket file `price` reads. */
CLI_HARNESS_FN void write_basket(const char *json)
{
    write_file(basket_path, json);
}

/* The invariants of CLI.md on every sale document, recomputed here from the JSON, independently
 * of sale_check(). */
CLI_HARNESS_FN void assert_sale_invariants(const json_value *s)
{
    const json_value *lines = json_get(s, "lines"), *tenders = json_get(s, "tenders");
    assert_non_null(lines);
    assert_non_null(tenders);
    assert_true(lines->n_items > 0);
    int64_t sum = 0, paid = 0;
    for (size_t i = 0; i < lines->n_items; i++) {
        const json_value *l = json_at(lines, i);
        int64_t a = json_get_int(l, "amount_fen", -1), d = json_get_int(l, "discount_fen", -1);
        assert_true(d >= 0 && d <= a);
        sum += a - d;
    }
    bool all_cash = true;
    for (size_t i = 0; i < tenders->n_items; i++) {
        const json_value *t = json_at(tenders, i);
        paid += json_get_int(t, "amount_fen", -1);
        all_cash = all_cash && strcmp(json_get_string(t, "kind"), "cash") == 0;
    }
    int64_t total = json_get_int(s, "total_fen", -1), rounding = json_get_int(s, "rounding_fen", -1),
            due = json_get_int(s, "due_fen", -1), change = json_get_int(s, "change_fen", -1);
    assert_int_equal(sum, total);
    assert_int_equal(total + rounding, due);
    assert_int_equal(paid - change, due);
    if (!all_cash)
        assert_int_equal(rounding, 0);
}

/* The entry of a price/sell document's "applied" list for a rule id, or NULL. */
CLI_HARNESS_FN const json_value *applied_rule(const json_value *v, const char *id)
{
    const json_value *a = json_get(v, "applied");
    for (size_t i = 0; a && i < a->n_items; i++)
        if (strcmp(json_get_string(json_at(a, i), "rule"), id) == 0)
            return json_at(a, i);
    return NULL;
}

/* `init --demo` on db_path; -1 (with its stderr) if it fails. */
CLI_HARNESS_FN int cli_harness_init_demo(void)
{
    if (run("init --demo") != 0) {
        fprintf(stderr, "init --demo failed: %s\n", stderr_text());
        return -1;
    }
    return 0;
}

/* cmocka setup: a fresh demo database at FUPIN_TEST_TMP/<name>-<pid>.db. */
CLI_HARNESS_FN int cli_harness_setup(void **state)
{
    (void)state;
    cli_harness_path(db_path, sizeof db_path, ".db");
    cli_harness_path(err_path, sizeof err_path, ".err");
    cli_harness_path(basket_path, sizeof basket_path, ".json");
    unlink(db_path);
    return cli_harness_init_demo();
}

/* cmocka teardown: the database with its -wal/-shm, the stderr file and the basket. */
CLI_HARNESS_FN int cli_harness_teardown(void **state)
{
    (void)state;
    char p[sizeof db_path + 8];
    unlink(db_path);
    snprintf(p, sizeof p, "%s-wal", db_path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", db_path);
    unlink(p);
    unlink(err_path);
    unlink(basket_path);
    return 0;
}

#endif
