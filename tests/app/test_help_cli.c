/* The command table (pos/app/main.c): `help` is printed from it, every listed command is
 * dispatched, CLI.md's commands not built yet are refused as such (usage error), and a command
 * that works on the database refuses an empty --db path. */
#define CLI_HARNESS_NAME "help-cli"
#include "cli_harness.h"

static void test_help_lists_the_table(void **state)
{
    (void)state;
    assert_int_equal(run("help"), 0);
    const char *cmds[] = {"run [", "init [", "scan CODE", "sell ITEM", "catalog import",
                          "stock receive", "report sales", "price BASKET", "calendar YEAR",
                          "stars [", "member add", "promo list", "config show", "refund RECEIPT",
                          "devices --read scale", "receipt RECEIPT_NO", "help "};
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
        if (!strstr(out, cmds[i]))
            fail_msg("help does not list \"%s\":\n%s", cmds[i], out);
    assert_non_null(strstr(out, "--uuid UUID"));
    assert_non_null(strstr(out, "Planned (not in this version): sync"));
    assert_non_null(strstr(out, "4 output could not be written"));
    char again[sizeof out];
    snprintf(again, sizeof again, "%s", out);
    assert_int_equal(run("--help"), 0);
    assert_string_equal(out, again);
}

static void test_planned_and_unknown_commands(void **state)
{
    (void)state;
    assert_int_equal(run("eod"), 2);
    assert_non_null(strstr(stderr_text(), "unknown or not yet available command 'eod'"));
    assert_int_equal(run("no-such-command"), 2);
    assert_non_null(strstr(stderr_text(), "'no-such-command'"));
    /* a listed command is dispatched to its handler (its own usage error here) */
    assert_int_equal(run("sell"), 2);
    assert_non_null(strstr(stderr_text(), "usage: sell"));
}

static void test_needs_db_refuses_an_empty_path(void **state)
{
    (void)state;
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "FUPIN_POS_DB= '%s' --db '' stars 2>'%s'", FUPIN_BIN, err_path);
    int st = system(cmd);
    assert_true(WIFEXITED(st));
    assert_int_equal(WEXITSTATUS(st), 2);
    assert_non_null(strstr(stderr_text(), "no database path"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_help_lists_the_table, cli_harness_setup,
                                        cli_harness_teardown),
        cmocka_unit_test_setup_teardown(test_planned_and_unknown_commands, cli_harness_setup,
                                        cli_harness_teardown),
        cmocka_unit_test_setup_teardown(test_needs_db_refuses_an_empty_path, cli_harness_setup,
                                        cli_harness_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
