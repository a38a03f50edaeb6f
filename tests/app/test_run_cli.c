/* test_run_cli: `fupin-pos run` refusing what it cannot use before any window opens -- a
 * script that is not a regular file (a FIFO would block the screen forever) and a database it
 * cannot open (the `fupin-pos init` hint only where init is the cure).
 *
 * Every run goes through coreutils `timeout`, so a command that blocks fails the test (exit
 * 124) instead of hanging it; alarm() guards the test program itself. */
#define CLI_HARNESS_NAME "run-cli"
#include "cli_harness.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>

#define RUN_TIMEOUT_S 15

/* `fupin-pos --db DB run ARGS` offscreen, killed after RUN_TIMEOUT_S; stderr to err_path. */
__attribute__((format(printf, 2, 3)))
static int run_screen_cmd(const char *db, const char *fmt, ...)
{
    char args[2048], cmd[8192];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(args, sizeof args, fmt, ap);
    va_end(ap);
    snprintf(cmd, sizeof cmd,
             "SDL_VIDEODRIVER=offscreen SDL_AUDIODRIVER=dummy timeout -k 2 %d '%s' --db '%s' "
             "run %s </dev/null >/dev/null 2>'%s'",
             RUN_TIMEOUT_S, FUPIN_BIN, db, args, err_path);
    int st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

static void on_alarm(int sig)
{
    (void)sig;
    static const char m[] = "test_run_cli: a run did not end\n";
    (void)!write(2, m, sizeof m - 1);
    _exit(1);
}

static void guard(void)
{
    signal(SIGALRM, on_alarm);
    alarm(4 * RUN_TIMEOUT_S);
}

/* A headless build has no `run`: nothing to test there. */
static void skip_without_screens(void)
{
    if (strstr(stderr_text(), "no screens"))
        skip();
}

static size_t count_of(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle))
        n++;
    return n;
}

/* `run --script FIFO`: refused at once, naming the file and why, even with a writer that
 * never writes (which made the old fopen + fread wait forever). */
static void test_script_fifo_refused(void **state)
{
    (void)state;
    guard();
    char fifo[1100];
    cli_harness_path(fifo, sizeof fifo, "-script.fifo");
    unlink(fifo);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    int keep = open(fifo, O_RDWR | O_NONBLOCK | O_CLOEXEC);   /* a writer, not inherited */
    assert_true(keep >= 0);
    int rc = run_screen_cmd(db_path, "--script '%s'", fifo);
    skip_without_screens();
    const char *err = stderr_text();
    if (rc == 124 || rc == 128)
        fail_msg("run --script on a FIFO blocked until killed (exit %d)", rc);
    assert_int_equal(rc, 1);
    if (!strstr(err, fifo) || !strstr(err, "not a regular file") || !strstr(err, "FIFO"))
        fail_msg("the refusal does not name the file and why: %s", err);
    close(keep);
    unlink(fifo);
    alarm(0);
}

/* A missing script or a directory: named, with the reason. */
static void test_script_missing_or_directory(void **state)
{
    (void)state;
    guard();
    char path[1100];
    cli_harness_path(path, sizeof path, "-no-such-script.txt");
    unlink(path);
    int rc = run_screen_cmd(db_path, "--script '%s'", path);
    skip_without_screens();
    assert_int_equal(rc, 1);
    if (!strstr(stderr_text(), path) || !strstr(stderr_text(), "No such file"))
        fail_msg("%s", stderr_text());
    assert_int_equal(run_screen_cmd(db_path, "--script '%s'", FUPIN_TEST_TMP), 1);
    if (!strstr(stderr_text(), "a directory"))
        fail_msg("%s", stderr_text());
    alarm(0);
}

/* The database cannot be opened.  Missing, not a till database, older: the store's message
 * says to run `fupin-pos init`, once.  Any other cause (here a directory where the file
 * should be): the file and the operating system's reason, and no init hint -- init would not
 * help. */
static void test_open_failure_hint_only_where_init_helps(void **state)
{
    (void)state;
    guard();
    const char *script = FUPIN_SOURCE_DIR "/tests/ui/scripts/cash_sale.txt";

    char missing[1100];
    cli_harness_path(missing, sizeof missing, "-missing.db");
    unlink(missing);
    int rc = run_screen_cmd(missing, "--script '%s'", script);
    skip_without_screens();
    if (rc == 3 && strstr(stderr_text(), "font"))
        skip();                                 /* no CJK font on this machine */
    assert_int_equal(rc, 1);
    const char *err = stderr_text();
    if (!strstr(err, missing) || count_of(err, "fupin-pos init") != 1)
        fail_msg("missing file: %s", err);

    char empty[1100];
    cli_harness_path(empty, sizeof empty, "-empty.db");
    write_file(empty, "");
    assert_int_equal(run_screen_cmd(empty, "--script '%s'", script), 1);
    err = stderr_text();
    if (!strstr(err, "not a till database") || count_of(err, "fupin-pos init") != 1)
        fail_msg("empty file: %s", err);
    unlink(empty);

    char dir[1100];
    cli_harness_path(dir, sizeof dir, "-dir.db");
    rmdir(dir);
    assert_int_equal(mkdir(dir, 0700), 0);
    assert_int_equal(run_screen_cmd(dir, "--script '%s'", script), 1);
    err = stderr_text();
    if (!strstr(err, dir) || strstr(err, "fupin-pos init") || !strstr(err, "directory"))
        fail_msg("a directory as the database: %s", err);
    rmdir(dir);
    alarm(0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_script_fifo_refused, cli_harness_setup,
                                        cli_harness_teardown),
        cmocka_unit_test_setup_teardown(test_script_missing_or_directory, cli_harness_setup,
                                        cli_harness_teardown),
        cmocka_unit_test_setup_teardown(test_open_failure_hint_only_where_init_helps,
                                        cli_harness_setup, cli_harness_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
