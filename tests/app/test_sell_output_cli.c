/* sell's output after the commit: a sale that reached the disk but whose document could not be
 * written (full disk behind stdout, a reader that went away) is reported distinctly -- exit 4,
 * the receipt number on stderr -- never as success and never as death by SIGPIPE, and a
 * caller's --uuid makes the retry idempotent (one sale, the second call reports it). */
#define CLI_HARNESS_NAME "sell-output"
#include "cli_harness.h"

#include <fcntl.h>
#include <signal.h>

#define SELL_ARGS "--json", "sell", "6985798000316", "--tender", "cash:1000", \
                  "--at", "2026-10-15T10:30:00+08:00"
#define RECEIPT "YR01-1-20261015-0001"

static void test_full_stdout_after_commit(void **state)
{
    (void)state;
    int full = open("/dev/full", O_WRONLY);
    assert_true(full >= 0);
    const char *argv[] = {SELL_ARGS, NULL};
    int rc = run_fd(full, argv);
    close(full);
    assert_int_equal(rc, 4);
    const char *err = stderr_text();
    assert_non_null(strstr(err, RECEIPT));
    assert_int_equal(sql_int("SELECT count(*) FROM sales"), 1);   /* it was committed */
}

static void test_closed_pipe_after_commit(void **state)
{
    (void)state;
    int p[2];
    assert_int_equal(pipe(p), 0);
    close(p[0]);                  /* the reader is gone before anything is written */
    const char *argv[] = {SELL_ARGS, NULL};
    int rc = run_fd(p[1], argv);
    close(p[1]);
    assert_int_equal(rc, 4);      /* not 141 (SIGPIPE) */
    assert_non_null(strstr(stderr_text(), RECEIPT));
    assert_int_equal(sql_int("SELECT count(*) FROM sales"), 1);
}

static void test_uuid_makes_the_retry_idempotent(void **state)
{
    (void)state;
    const char *u = "6f1c2a4e-8b3d-4c5e-9f70-123456789abc";
    int full = open("/dev/full", O_WRONLY);
    assert_true(full >= 0);
    const char *argv[] = {SELL_ARGS, "--uuid", u, NULL};
    assert_int_equal(run_fd(full, argv), 4);   /* committed, answer lost */
    close(full);
    /* the script retries with the same UUID: the stored sale, not a second one */
    assert_int_equal(run("--json sell 6985798000316 --tender cash:1000 --uuid %s "
                         "--at 2026-10-15T10:31:00+08:00", u), 0);
    json_value *s = parse_out();
    assert_string_equal(json_get_string(s, "receipt_no"), RECEIPT);
    assert_string_equal(json_get_string(s, "uuid"), u);
    json_free(s);
    assert_non_null(strstr(stderr_text(), RECEIPT));
    assert_int_equal(sql_int("SELECT count(*) FROM sales"), 1);
    /* the same UUID for other goods: refused, nothing written */
    assert_int_equal(run("--json sell 6953822000175 --tender cash:3000 --uuid %s", u), 1);
    assert_int_equal(sql_int("SELECT count(*) FROM sales"), 1);
    /* not a UUID: a usage error */
    assert_int_equal(run("sell 6985798000316 --tender cash:1000 --uuid nope"), 2);
    assert_int_equal(sql_int("SELECT count(*) FROM sales"), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_full_stdout_after_commit, cli_harness_setup,
                                        cli_harness_teardown),
        cmocka_unit_test_setup_teardown(test_closed_pipe_after_commit, cli_harness_setup,
                                        cli_harness_teardown),
        cmocka_unit_test_setup_teardown(test_uuid_makes_the_retry_idempotent, cli_harness_setup,
                                        cli_harness_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
