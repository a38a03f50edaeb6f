/* receipt_prints: the log of receipts printed (schema step 8) -- rows counted per sale and
 * kind, only for a stored sale, and append-only (a count an auditor reads cannot be edited);
 * the receipt token of the buy-online link: made once, random, never changed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/points.h"
#include "db/receipt_prints.h"
#include "db/sales.h"
#include "db/store.h"
#include "db_test_util.h"
#include "sale_fixture.h"

#define T_MORNING ((int64_t)1792117800)

static void test_counts_and_append_only(void **state)
{
    (void)state;
    char path[1024], msg[256];
    snprintf(path, sizeof path, "%s/receipt-prints-%d.db", FUPIN_TEST_TMP, (int)getpid());
    unlink_db(path);
    store *s = NULL;
    store_open_opts o = {.create = true};
    if (store_open(path, &o, &s, msg, sizeof msg) != STORE_OK)
        fail_msg("store_open %s: %s", path, msg);
    assert_true(STORE_SCHEMA_VERSION >= 8);   /* step 8 made receipt_prints */
    assert_int_equal(store_user_version(s), STORE_SCHEMA_VERSION);
    uint64_t rng = 7;
    sale_doc *d = malloc(sizeof *d);
    assert_non_null(d);
    assert_true(fx_make_sale(d, 2, T_MORNING, &rng));
    assert_int_equal(sales_commit(s, d, NULL, 0, msg, sizeof msg), STORE_OK);

    int64_t n = -1;
    assert_int_equal(receipt_prints_count(s, d->uuid, RECEIPT_PRINT_REPRINT, &n), STORE_OK);
    assert_int_equal(n, 0);
    assert_int_equal(receipt_prints_add(s, d->uuid, d->receipt_no, RECEIPT_PRINT_ORIGINAL,
                                        T_MORNING + 5), STORE_OK);
    assert_int_equal(receipt_prints_add(s, d->uuid, d->receipt_no, RECEIPT_PRINT_REPRINT,
                                        T_MORNING + 60), STORE_OK);
    assert_int_equal(receipt_prints_add(s, d->uuid, d->receipt_no, RECEIPT_PRINT_REPRINT,
                                        T_MORNING + 90), STORE_OK);
    assert_int_equal(receipt_prints_count(s, d->uuid, RECEIPT_PRINT_ORIGINAL, &n), STORE_OK);
    assert_int_equal(n, 1);
    assert_int_equal(receipt_prints_count(s, d->uuid, RECEIPT_PRINT_REPRINT, &n), STORE_OK);
    assert_int_equal(n, 2);
    /* not a stored sale: the foreign key refuses it */
    assert_int_not_equal(receipt_prints_add(s, "00000000-0000-4000-8000-000000000000", "X",
                                            RECEIPT_PRINT_REPRINT, T_MORNING), STORE_OK);
    /* append-only */
    assert_int_not_equal(sqlite3_exec(store_db(s), "DELETE FROM receipt_prints", NULL, NULL, NULL),
                         SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(store_db(s), "UPDATE receipt_prints SET kind = 'original'",
                                      NULL, NULL, NULL),
                         SQLITE_OK);
    assert_int_equal(count(s, "SELECT count(*) FROM receipt_prints"), 3);
    /* a sale without a member wrote no points rows */
    int64_t bal = 0;
    assert_int_equal(points_balance_after_sale(s, "88000001", d->uuid, &bal), STORE_ERR_NOT_FOUND);

    /* the receipt token: none until made, 22 base64url characters, the same ever after */
    char tok[RECEIPT_TOKEN_CAP], again[RECEIPT_TOKEN_CAP];
    assert_int_equal(receipt_token_get(s, d->uuid, false, tok, sizeof tok), STORE_ERR_NOT_FOUND);
    assert_int_equal(receipt_token_get(s, d->uuid, true, tok, sizeof tok), STORE_OK);
    assert_int_equal(strlen(tok), 22);
    assert_int_equal(strspn(tok, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
                     22);
    assert_int_equal(receipt_token_get(s, d->uuid, true, again, sizeof again), STORE_OK);
    assert_string_equal(tok, again);
    assert_int_not_equal(sqlite3_exec(store_db(s), "UPDATE receipt_tokens SET token = 'x'", NULL,
                                      NULL, NULL),
                         SQLITE_OK);
    /* another sale gets another token */
    assert_true(fx_make_sale(d, 1, T_MORNING + 100, &rng));
    assert_int_equal(sales_commit(s, d, NULL, 0, msg, sizeof msg), STORE_OK);
    assert_int_equal(receipt_token_get(s, d->uuid, true, again, sizeof again), STORE_OK);
    assert_string_not_equal(tok, again);
    free(d);
    store_close(s);
    unlink_db(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counts_and_append_only),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
