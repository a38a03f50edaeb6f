/* Every command's output is checked once it has run (main.c): stdout on a full disk or a closed
 * pipe is exit 4 (EXIT_OUTPUT), never 0 and never death by SIGPIPE (141).  A command that stored
 * something -- a refund here; sell has its own test, test_sell_output_cli.c -- names what it
 * stored on stderr, so a script that lost the answer knows not to do it again.  A read-only
 * command (report, help) whose output is lost is exit 4 too: its caller did not get the answer. */
#define CLI_HARNESS_NAME "output-cli"
#include "cli_harness.h"

#include <fcntl.h>
#include <signal.h>

#define RECEIPT "YR01-1-20261015-0001"
#define REFUND_NO "YR01-1-20261015-R0001"

static int run_full(const char *const *argv)
{
    int full = open("/dev/full", O_WRONLY);
    assert_true(full >= 0);
    int rc = run_fd(full, argv);
    close(full);
    return rc;
}

/* The reader is gone before anything is written. */
static int run_closed_pipe(const char *const *argv)
{
    int p[2];
    assert_int_equal(pipe(p), 0);
    close(p[0]);
    int rc = run_fd(p[1], argv);
    close(p[1]);
    return rc;
}

static void sell_one(void)
{
    assert_int_equal(run("--json sell 6953822000175*3 --tender cash:20000 "
                         "--at 2026-10-15T10:30:00+08:00"),
                     0);
}

static void test_refund_full_stdout(void **state)
{
    (void)state;
    sell_one();
    const char *argv[] = {"refund", RECEIPT, "1*1", "--approve", "8888",
                          "--at", "2026-10-15T11:00:00+08:00", NULL};
    int rc = run_full(argv);
    if (rc != 4)
        fail_msg("refund > /dev/full: exit %d (want 4), stderr: %s", rc, stderr_text());
    const char *err = stderr_text();
    assert_non_null(strstr(err, REFUND_NO));   /* what was stored, by number */
    assert_non_null(strstr(err, RECEIPT));
    assert_int_equal(sql_int("SELECT count(*) FROM refunds"), 1);   /* it was committed */
}

static void test_refund_closed_pipe(void **state)
{
    (void)state;
    sell_one();
    const char *argv[] = {"--json", "refund", RECEIPT, "1*1", "--approve", "8888",
                          "--at", "2026-10-15T11:00:00+08:00", NULL};
    int rc = run_closed_pipe(argv);
    if (rc != 4)
        fail_msg("refund | closed pipe: exit %d (want 4, not 0 or 141), stderr: %s", rc,
                 stderr_text());
    assert_non_null(strstr(stderr_text(), REFUND_NO));
    assert_int_equal(sql_int("SELECT count(*) FROM refunds"), 1);
}

static void test_read_only_commands(void **state)
{
    (void)state;
    sell_one();
    const char *report[] = {"--lang", "en", "report", "sales", "--by", "day", NULL};
    const char *help[] = {"--lang", "en", "help", NULL};
    const char *stock[] = {"--lang", "en", "--json", "stock", "show", NULL};
    const char *const *cmds[] = {report, help, stock};
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
        int rc = run_closed_pipe(cmds[i]);
        if (rc != 4 || !strstr(stderr_text(), "output"))
            fail_msg("%s | closed pipe: exit %d (want 4), stderr: %s", cmds[i][2], rc,
                     stderr_text());
        rc = run_full(cmds[i]);
        if (rc != 4 || !strstr(stderr_text(), "output"))
            fail_msg("%s > /dev/full: exit %d (want 4), stderr: %s", cmds[i][2], rc,
                     stderr_text());
    }
    /* Output that works is still exit 0, and nothing extra on stderr. */
    assert_int_equal(run("report sales --by day"), 0);
    assert_string_equal(stderr_text(), "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_refund_full_stdout, cli_harness_setup,
                                        cli_harness_teardown),
        cmocka_unit_test_setup_teardown(test_refund_closed_pipe, cli_harness_setup,
                                        cli_harness_teardown),
        cmocka_unit_test_setup_teardown(test_read_only_commands, cli_harness_setup,
                                        cli_harness_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
