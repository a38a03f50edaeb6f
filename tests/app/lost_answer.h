/* lost_answer: the set-up test_session.c and test_cashier.c share for "a commit that reached the
 * disk but whose answer was lost": the commit is made to fail (FAIL_SALES), then the session's
 * failed document is written behind its back (land_failed_doc), as the first attempt would have.
 *
 * A test-only header of static functions, included by one .c file per program (each
 * tests/app/test_*.c is its own executable); include cmocka before it. */
#ifndef FUPIN_TESTS_APP_LOST_ANSWER_H
#define FUPIN_TESTS_APP_LOST_ANSWER_H

#include <stdio.h>
#include <stdlib.h>

#include "pos/app/session.h"
#include "pos/app/till.h"

/* Every sale insert fails until the trigger is dropped ("DROP TRIGGER no_sales"). */
#define FAIL_SALES "CREATE TRIGGER no_sales BEFORE INSERT ON sales BEGIN " \
                   "SELECT RAISE(ABORT, 'disk on fire'); END"

/* s is FAILED: commit its very document (same UUID) through t's store; its receipt into
 * receipt. */
static void land_failed_doc(till *t, const sale_session *s, char receipt[SALE_RECEIPT_NO_CAP])
{
    assert_int_equal(session_state_get(s), SESSION_FAILED);
    sale_doc *landed = calloc(1, sizeof *landed);
    assert_non_null(landed);
    *landed = *session_doc(s);
    char msg[256];
    assert_int_equal(till_commit_prepared(till_store(t), landed, till_basket(t), msg, sizeof msg),
                     TILL_OK);
    snprintf(receipt, SALE_RECEIPT_NO_CAP, "%s", landed->receipt_no);
    free(landed);
}

#endif
