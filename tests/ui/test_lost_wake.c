/* A lost wake must not leave the till on "Saving…" (defect): the real fupin-pos runs a scripted
 * cash sale under SDL's offscreen driver with tests/ui/shim/drop_first_wake.c preloaded, which
 * makes the first SDL_PushEvent of the event queue's wake fail -- the commit worker's result
 * (EVQ_COMMIT_DONE) is then in the queue with no wake event coming, and the queue wakes only
 * on empty -> non-empty.  The loop drains the queue on every pass, so the sale still completes
 * (the script's `expect-message 交易完成`), the app exits 0, the failed push is logged, and the
 * one sale is stored.  Before the fix the loop drained only on the wake: the scripted loop
 * waited on the busy commit for ever (killed here after a deadline). */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define DEADLINE_S 60

static char dir_db[1024], err_path[1024], script_path[1024];

static int run_bin(const char *const *args, bool preload, bool *timed_out)
{
    *timed_out = false;
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int e = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int n = open("/dev/null", O_WRONLY);
        if (e < 0 || n < 0 || dup2(n, 1) < 0 || dup2(e, 2) < 0)
            _exit(120);
        setenv("SDL_VIDEODRIVER", "offscreen", 1);
        setenv("SDL_AUDIODRIVER", "dummy", 1);
        if (preload) {
            setenv("LD_PRELOAD", FUPIN_DROP_WAKE_SHIM, 1);
            /* Under ASan the shim comes before the runtime in the library list (harmless
             * here); SDL's offscreen GL stack leaks at exit (see tests/cli/ui_sale.sh). */
            const char *asan = getenv("ASAN_OPTIONS");
            char opts[1024];
            snprintf(opts, sizeof opts, "%s%sverify_asan_link_order=0:detect_leaks=0",
                     asan ? asan : "", asan && *asan ? ":" : "");
            setenv("ASAN_OPTIONS", opts, 1);
        }
        execv(FUPIN_BIN, (char *const *)args);
        _exit(121);
    }
    int st = 0;
    time_t until = time(NULL) + DEADLINE_S;
    for (;;) {
        pid_t w = waitpid(pid, &st, WNOHANG);
        assert_true(w >= 0);
        if (w == pid)
            break;
        if (time(NULL) > until) {
            *timed_out = true;
            kill(pid, SIGKILL);   /* the child this test started */
            assert_int_equal(waitpid(pid, &st, 0), pid);
            return -1;
        }
        usleep(50 * 1000);
    }
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static char *read_err(void)
{
    static char buf[1 << 16];
    FILE *f = fopen(err_path, "r");
    size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
    buf[n] = '\0';
    if (f)
        fclose(f);
    return buf;
}

static int64_t count_sales(void)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(dir_db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM sales", -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

static void test_sale_completes_without_its_wake(void **state)
{
    (void)state;
    snprintf(dir_db, sizeof dir_db, "%s/lost-wake-%d.db", FUPIN_TEST_TMP, (int)getpid());
    snprintf(err_path, sizeof err_path, "%s/lost-wake-%d.err", FUPIN_TEST_TMP, (int)getpid());
    snprintf(script_path, sizeof script_path, "%s/lost-wake-%d.txt", FUPIN_TEST_TMP,
             (int)getpid());
    unlink(dir_db);
    FILE *f = fopen(script_path, "w");
    assert_non_null(f);
    fputs("clock 2026-10-15T10:30:00+08:00\n"
          "scan 6985798000316\n"
          "expect-total 880\n"
          "key F12\n"
          "text 10\n"
          "key Return\n"
          "expect-message 交易完成\n"
          "quit\n",
          f);
    assert_int_equal(fclose(f), 0);
    bool timed_out;
    const char *init[] = {FUPIN_BIN, "--db", dir_db, "init", "--demo", NULL};
    assert_int_equal(run_bin(init, false, &timed_out), 0);
    const char *run[] = {FUPIN_BIN, "--db", dir_db, "run", "--windowed", "--size", "1280x800",
                         "--script", script_path, NULL};
    int rc = run_bin(run, true, &timed_out);
    if (timed_out)
        fail_msg("the app was still on the commit after %d s: the result stayed in the queue "
                 "without its wake; stderr: %s", DEADLINE_S, read_err());
    if (rc != 0)
        fail_msg("the scripted sale exited %d; stderr: %s", rc, read_err());
    /* the shim did drop a push, and the screen said so */
    assert_non_null(strstr(read_err(), "wake"));
    assert_int_equal(count_sales(), 1);
    unlink(dir_db);
    unlink(err_path);
    unlink(script_path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sale_completes_without_its_wake),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
