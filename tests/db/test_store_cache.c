/* The store's statement cache (store_cached, db/store.c): more distinct statements than any
 * initial size must still be handed out, prepared once and kept, and finalized at close.  A
 * long-running till gains statements as features are added; a cache that refused the next one
 * would make a commit fail in the middle of a working day. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "db/store.h"
#include "db/store_internal.h"
#include "db_test_util.h"

#define N_SQL 300

/* Static storage: store_cached keys a statement by its SQL's address, which must live as long
 * as the handle (a literal in real code; distinct texts here). */
static char sqls[N_SQL][48];

static void test_many_distinct_statements(void **state)
{
    (void)state;
    char path[512];
    snprintf(path, sizeof path, "%s/store-cache-%d.db", FUPIN_TEST_TMP, (int)getpid());
    unlink_db(path);
    store_open_opts o = {.create = true};
    store *s = NULL;
    assert_int_equal(sqlite3_initialize(), SQLITE_OK);
    sqlite3_int64 before = sqlite3_memory_used();
    assert_int_equal(store_connect(path, &o, &s), STORE_OK);
    sqlite3_stmt *first[N_SQL];
    for (int round = 0; round < 2; round++) {
        for (int i = 0; i < N_SQL; i++) {
            if (round == 0)
                snprintf(sqls[i], sizeof sqls[i], "SELECT %d + ?1", i);
            sqlite3_stmt *st = NULL;
            store_err e = store_cached(s, sqls[i], &st);
            if (e != STORE_OK)
                fail_msg("statement %d (round %d): %s", i, round, store_last_error(s));
            assert_non_null(st);
            /* Kept: the second round gets the very statement the first prepared. */
            if (round == 0)
                first[i] = st;
            else
                assert_ptr_equal(st, first[i]);
            sqlite3_bind_int(st, 1, 1000);
            assert_int_equal(sqlite3_step(st), SQLITE_ROW);
            assert_int_equal(sqlite3_column_int(st, 0), 1000 + i);
            sqlite3_reset(st);
        }
    }
    /* Prepared once and kept: the handle holds exactly the N_SQL cached statements. */
    int n_live = 0;
    for (sqlite3_stmt *st = sqlite3_next_stmt(store_db(s), NULL); st;
         st = sqlite3_next_stmt(store_db(s), st))
        n_live++;
    assert_int_equal(n_live, N_SQL);
    /* store_close finalizes them all: with one left, sqlite3_close (not close_v2) would fail
     * and keep the connection, so SQLite's memory would not drop back to where it was. */
    store_close(s);
    assert_int_equal(sqlite3_memory_used(), before);
    unlink_db(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_many_distinct_statements),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
