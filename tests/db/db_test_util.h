/* Small helpers the tests/db programs share.  Static functions in a test-only header: every
 * tests/db/test_*.c is its own executable (tests/CMakeLists.txt), so each gets its own copy;
 * the ones a program does not use are marked unused.  Include after <cmocka.h> and db/store.h. */
#ifndef FUPIN_TESTS_DB_TEST_UTIL_H
#define FUPIN_TESTS_DB_TEST_UTIL_H

#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

#include "db/products.h"
#include "db/sales.h"
#include "db/search.h"
#include "db/settings.h"
#include "db/store.h"

/* Remove a database file and its -wal / -shm side files (missing ones are fine). */
__attribute__((unused)) static void unlink_db(const char *path)
{
    char side[1100];
    unlink(path);
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
}

/* The first column of the one row sql returns, as an integer. */
__attribute__((unused)) static int64_t count(store *s, const char *sql)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(store_db(s), sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(store_db(s)));
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

#endif
