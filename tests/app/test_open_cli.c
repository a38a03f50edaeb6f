/* test_open_cli: only `init` may create or migrate a database.  Every other command, pointed
 * (--db) at something that is not a till database -- a foreign SQLite file without an
 * application id, an empty file, a path where nothing exists -- refuses it, names the file,
 * says to run `fupin-pos init`, and leaves it exactly as it was: the same bytes, no -wal or
 * -shm file beside it, nothing created at a missing path. */
#define CLI_HARNESS_NAME "open-cli"
#include "cli_harness.h"

#include <sys/stat.h>

/* Commands a cashier or a manager runs against the till database (init excluded). */
static const char *const COMMANDS[] = {
    "sell 6901234567892 --tender cash:10000",
    "scan 6901234567892",
    "catalog find hts",
    "stock show",
    "stars --month 2026-10",
    "member show 88000001",
    "config show",
    "refund YR01-1-20261016-0001 --approve 1234",
    "promo list",
};
#define N_COMMANDS (sizeof COMMANDS / sizeof COMMANDS[0])

static bool exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* The whole file (NULL when it does not exist), and its length. */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        *len = 0;
        return NULL;
    }
    char *buf = NULL;
    size_t cap = 0, n = 0;
    for (;;) {
        if (n == cap) {
            cap = cap ? cap * 2 : 4096;
            buf = realloc(buf, cap);
            assert_non_null(buf);
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    fclose(f);
    *len = n;
    return buf;
}

static void side(char *buf, size_t cap, const char *suffix)
{
    snprintf(buf, cap, "%s%s", db_path, suffix);
}

static void remove_all(void)
{
    char p[1100];
    unlink(db_path);
    side(p, sizeof p, "-wal");
    unlink(p);
    side(p, sizeof p, "-shm");
    unlink(p);
    side(p, sizeof p, "-journal");
    unlink(p);
}

/* Run every command on db_path; each must refuse, say why, and change nothing. */
static void every_command_refuses(void)
{
    size_t len0 = 0;
    char *before = slurp(db_path, &len0);
    bool existed = exists(db_path);
    for (size_t i = 0; i < N_COMMANDS; i++) {
        int rc = run("%s", COMMANDS[i]);
        const char *err = stderr_text();
        if (rc == 0)
            fail_msg("`%s` on %s exited 0", COMMANDS[i], db_path);
        if (!strstr(err, db_path) || !strstr(err, "fupin-pos init"))
            fail_msg("`%s`: the message should name %s and say to run `fupin-pos init`; got: %s",
                     COMMANDS[i], db_path, err);
        size_t len1 = 0;
        char *after = slurp(db_path, &len1);
        if (existed != exists(db_path))
            fail_msg("`%s` %s %s", COMMANDS[i], existed ? "removed" : "created", db_path);
        if (len0 != len1 || (len0 && memcmp(before, after, len0) != 0))
            fail_msg("`%s` changed the bytes of %s (%zu -> %zu bytes)", COMMANDS[i], db_path,
                     len0, len1);
        free(after);
        char p[1100];
        side(p, sizeof p, "-wal");
        if (exists(p))
            fail_msg("`%s` left %s behind", COMMANDS[i], p);
        side(p, sizeof p, "-shm");
        if (exists(p))
            fail_msg("`%s` left %s behind", COMMANDS[i], p);
    }
    free(before);
}

static void test_foreign_sqlite_file(void **state)
{
    (void)state;
    cli_harness_path(db_path, sizeof db_path, "-foreign.sqlite");
    cli_harness_path(err_path, sizeof err_path, ".err");
    remove_all();
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db,
                                  "CREATE TABLE notes(id INTEGER PRIMARY KEY, text TEXT);"
                                  "INSERT INTO notes(text) VALUES('someone else''s data');",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    every_command_refuses();
    remove_all();
}

static void test_empty_file(void **state)
{
    (void)state;
    cli_harness_path(db_path, sizeof db_path, "-empty.sqlite");
    cli_harness_path(err_path, sizeof err_path, ".err");
    remove_all();
    FILE *f = fopen(db_path, "wb");
    assert_non_null(f);
    fclose(f);
    every_command_refuses();
    /* init may: the empty file becomes a till database */
    assert_int_equal(run("init"), 0);
    assert_int_equal(sql_int("PRAGMA application_id"), 0x46555049);
    remove_all();
}

static void test_missing_path(void **state)
{
    (void)state;
    cli_harness_path(db_path, sizeof db_path, "-missing.sqlite");
    cli_harness_path(err_path, sizeof err_path, ".err");
    remove_all();
    every_command_refuses();
    remove_all();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_foreign_sqlite_file),
        cmocka_unit_test(test_empty_file),
        cmocka_unit_test(test_missing_path),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
