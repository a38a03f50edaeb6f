/* session: the sale's life (pos/app/session.h) on a real till over the demo store -- items →
 * paying → committing → done, the commit worker's result through the event queue, a failed
 * commit kept whole and retried under the same UUID (never written twice, even when the first
 * attempt did land), and a caller's UUID making a repeated sale idempotent. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db/demo.h"
#include "db/sales.h"
#include "pos/app/evq.h"
#include "pos/app/i18n.h"
#include "pos/app/printing.h"
#include "pos/app/session.h"
#include "pos/app/worker.h"
#include "lost_answer.h"

#define JUICE "6985798000316"    /* 石榴汁 ¥8.80 */
#define WALNUT "6953822000175"   /* 带壳核桃 ¥28.00 */
#define NOW 1792031400           /* 2026-10-15T10:30:00+08:00, a Thursday: no 扶贫日 */

typedef struct {
    char path[512];
    till *t;
    evq *q;
    worker *w;
    sale_session *s;
} fixture;

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    assert_non_null(fx);
    snprintf(fx->path, sizeof fx->path, "%s/session-%d.db", FUPIN_TEST_TMP, (int)getpid());
    remove(fx->path);
    char wal[600];
    snprintf(wal, sizeof wal, "%s-wal", fx->path);
    remove(wal);
    char msg[256] = "";
    i18n_set_lang("en");
    assert_int_equal(till_open(&fx->t, fx->path, true, msg, sizeof msg), STORE_OK);
    assert_int_equal(demo_load(till_store(fx->t), FUPIN_ASSETS_DIR, msg, sizeof msg), STORE_OK);
    assert_int_equal(till_reload_config(fx->t), STORE_OK);
    till_set_now(fx->t, NOW);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    worker_stop(fx->w);
    session_destroy(fx->s);
    evq_destroy(fx->q);
    till_close(fx->t);
    remove(fx->path);
    free(fx);
    return 0;
}

static void sync_session(fixture *fx)
{
    fx->s = session_create(fx->t, NULL);
    assert_non_null(fx->s);
}

static void async_session(fixture *fx)
{
    fx->q = evq_create(16);
    assert_non_null(fx->q);
    char err[128];
    fx->w = worker_start("commit", fx->path, fx->q, err, sizeof err);
    assert_non_null(fx->w);
    fx->s = session_create(fx->t, fx->w);
    assert_non_null(fx->s);
}

/* Wait for the worker's answer and hand it to the session. */
static void deliver(fixture *fx)
{
    assert_true(evq_wait(fx->q, 10000));
    evq_event ev;
    assert_int_equal(evq_drain(fx->q, &ev, 1), 1);
    assert_int_equal(ev.kind, EVQ_COMMIT_DONE);
    assert_true(session_on_event(fx->s, &ev));
    assert_false(session_on_event(fx->s, &ev));    /* taken once */
}

static void ring_up(fixture *fx, const char *code, fen_t cash)
{
    assert_int_equal(till_scan(fx->t, code, 1, NULL, NULL), TILL_OK);
    session_begin(fx->s);
    assert_int_equal(session_start_pay(fx->s), TILL_OK);
    assert_int_equal(till_tender(fx->t, TENDER_CASH, cash), TILL_OK);
}

static void exec(fixture *fx, const char *sql)
{
    assert_int_equal(sqlite3_exec(store_db(till_store(fx->t)), sql, NULL, NULL, NULL), SQLITE_OK);
}

static void test_states_of_a_sale(void **state)
{
    fixture *fx = *state;
    sync_session(fx);
    assert_int_equal(session_state_get(fx->s), SESSION_ITEMS);
    assert_int_equal(session_start_pay(fx->s), TILL_ERR_BASKET);   /* empty basket */
    assert_int_equal(session_state_get(fx->s), SESSION_ITEMS);
    assert_null(session_doc(fx->s));
    ring_up(fx, JUICE, 1000);
    assert_int_equal(session_state_get(fx->s), SESSION_PAYING);
    session_cancel_pay(fx->s);                                     /* back to the goods */
    assert_int_equal(session_state_get(fx->s), SESSION_ITEMS);
    assert_int_equal(till_basket(fx->t)->n_tenders, 0);
    assert_int_equal(till_basket(fx->t)->n_lines, 1);
    assert_int_equal(session_pay(fx->s, NOW), TILL_ERR_PAYMENT);   /* not paying */
    assert_int_equal(session_start_pay(fx->s), TILL_OK);
    /* not enough money: refused while preparing, still paying, nothing written */
    assert_int_equal(till_tender(fx->t, TENDER_CASH, 100), TILL_OK);
    assert_int_equal(session_pay(fx->s, NOW), TILL_ERR_PAYMENT);
    assert_int_equal(session_state_get(fx->s), SESSION_PAYING);
    assert_int_equal(sales_count(till_store(fx->t)), 0);
    assert_int_equal(till_tender(fx->t, TENDER_CASH, 900), TILL_OK);
    assert_int_equal(session_pay(fx->s, NOW), TILL_OK);
    assert_int_equal(session_state_get(fx->s), SESSION_DONE);
    const sale_doc *d = session_doc(fx->s);
    assert_non_null(d);
    assert_string_equal(d->receipt_no, "YR01-1-20261015-0001");
    assert_int_equal(d->change_fen, 1000 - 880);
    assert_false(session_was_stored(fx->s));
    assert_int_equal(till_basket(fx->t)->n_lines, 0);                       /* the next sale is empty */
    /* the next shopper's first item, as a command, starts the next sale */
    session_cmd scan = {.kind = SESSION_CMD_SCAN, .text = WALNUT, .qty = 2};
    assert_int_equal(session_apply(fx->s, &scan), TILL_OK);
    assert_int_equal(session_state_get(fx->s), SESSION_ITEMS);
    assert_int_equal(till_basket(fx->t)->n_lines, 1);
    assert_int_equal(sales_count(till_store(fx->t)), 1);
    /* a tender typed after a failed commit makes its document stale: back to paying */
    session_cmd start = {.kind = SESSION_CMD_START_PAY};
    assert_int_equal(session_apply(fx->s, &start), TILL_OK);
    exec(fx, FAIL_SALES);
    session_cmd cash = {.kind = SESSION_CMD_TENDER, .tender = TENDER_CASH, .fen = 6000};
    assert_int_equal(session_apply(fx->s, &cash), TILL_OK);
    session_cmd pay = {.kind = SESSION_CMD_PAY, .now_utc = NOW};
    assert_int_equal(session_apply(fx->s, &pay), TILL_ERR_STORE);
    assert_int_equal(session_state_get(fx->s), SESSION_FAILED);
    assert_int_equal(session_apply(fx->s, &cash), TILL_OK);
    assert_int_equal(session_state_get(fx->s), SESSION_PAYING);
}

static void test_worker_commit_fails_then_retries_same_uuid(void **state)
{
    fixture *fx = *state;
    async_session(fx);
    ring_up(fx, WALNUT, 3000);
    exec(fx, FAIL_SALES);
    assert_int_equal(session_pay(fx->s, NOW), TILL_OK);
    assert_int_equal(session_state_get(fx->s), SESSION_COMMITTING);
    assert_true(session_busy(fx->s));
    assert_null(session_doc(fx->s));              /* the worker's until its answer */
    /* the basket on screen is the one being written: no command changes it meanwhile */
    session_cmd scan = {.kind = SESSION_CMD_SCAN, .text = JUICE, .qty = 1};
    assert_int_equal(session_apply(fx->s, &scan), TILL_ERR_BUSY);
    session_cmd cash = {.kind = SESSION_CMD_TENDER, .tender = TENDER_CASH, .fen = 100};
    assert_int_equal(session_apply(fx->s, &cash), TILL_ERR_BUSY);
    assert_int_equal(till_basket(fx->t)->n_lines, 1);
    assert_int_equal(till_basket(fx->t)->n_tenders, 1);
    deliver(fx);
    assert_int_equal(session_state_get(fx->s), SESSION_FAILED);
    assert_non_null(strstr(session_error(fx->s), "disk on fire"));
    /* the cause apart from the store's detail: what the cashier reads */
    const char *cause = session_error_cause(fx->s);
    assert_true(cause[0] != '\0');
    assert_null(strstr(cause, "disk on fire"));
    assert_memory_equal(session_error(fx->s), cause, strlen(cause));
    char uuid[SALE_UUID_CAP];
    snprintf(uuid, sizeof uuid, "%s", session_doc(fx->s)->uuid);
    assert_int_equal(till_basket(fx->t)->n_lines, 1);     /* the basket is kept */
    assert_int_equal(sales_count(till_store(fx->t)), 0);

    exec(fx, "DROP TRIGGER no_sales");
    assert_int_equal(session_retry(fx->s), TILL_OK);
    assert_int_equal(session_state_get(fx->s), SESSION_COMMITTING);
    deliver(fx);
    assert_int_equal(session_state_get(fx->s), SESSION_DONE);
    assert_string_equal(session_doc(fx->s)->uuid, uuid);
    assert_int_equal(sales_count(till_store(fx->t)), 1);
}

/* Fail the commit of a JUICE sale paid with cash, then write that very document behind the
 * session's back: the first attempt "landed but its answer was lost".  Its receipt into
 * receipt. */
static void fail_but_land(fixture *fx, fen_t cash, char receipt[SALE_RECEIPT_NO_CAP])
{
    ring_up(fx, JUICE, cash);
    exec(fx, FAIL_SALES);
    session_cmd pay = {.kind = SESSION_CMD_PAY, .now_utc = NOW};
    assert_int_equal(session_apply(fx->s, &pay), TILL_ERR_STORE);
    assert_int_equal(session_state_get(fx->s), SESSION_FAILED);
    exec(fx, "DROP TRIGGER no_sales");
    land_failed_doc(fx->t, fx->s, receipt);
}

/* The first attempt reached the disk but its answer was lost: the retry (same document, same
 * UUID) gets the stored receipt and writes nothing. */
static void test_lost_answer_is_not_written_twice(void **state)
{
    fixture *fx = *state;
    sync_session(fx);
    char receipt[SALE_RECEIPT_NO_CAP];
    fail_but_land(fx, 880, receipt);
    assert_int_equal(sales_count(till_store(fx->t)), 1);
    assert_int_equal(session_retry(fx->s), TILL_OK);
    assert_int_equal(session_state_get(fx->s), SESSION_DONE);
    assert_string_equal(session_doc(fx->s)->receipt_no, receipt);
    assert_int_equal(sales_count(till_store(fx->t)), 1);
}

/* A changed tender makes the failed document stale: a new one (new UUID) is prepared. */
static void test_drop_failed_and_cancel(void **state)
{
    fixture *fx = *state;
    sync_session(fx);
    ring_up(fx, JUICE, 1000);
    exec(fx, FAIL_SALES);
    assert_int_equal(session_pay(fx->s, NOW), TILL_ERR_STORE);
    char uuid[SALE_UUID_CAP];
    snprintf(uuid, sizeof uuid, "%s", session_doc(fx->s)->uuid);
    session_drop_failed(fx->s);
    assert_int_equal(session_state_get(fx->s), SESSION_PAYING);
    exec(fx, "DROP TRIGGER no_sales");
    assert_int_equal(session_pay(fx->s, NOW), TILL_OK);
    assert_string_not_equal(session_doc(fx->s)->uuid, uuid);
    assert_int_equal(sales_count(till_store(fx->t)), 1);

    /* cancelling a failed payment drops the document and every tender */
    session_begin(fx->s);
    ring_up(fx, JUICE, 1000);
    exec(fx, FAIL_SALES);
    assert_int_equal(session_pay(fx->s, NOW), TILL_ERR_STORE);
    session_cancel_pay(fx->s);
    assert_int_equal(session_state_get(fx->s), SESSION_ITEMS);
    assert_int_equal(till_basket(fx->t)->n_tenders, 0);
    assert_null(session_doc(fx->s));
}

/* A failed commit whose answer was lost: the document did land.  Whatever would drop the failed
 * document (a changed tender, cancelling, more goods, another member) first asks the store for
 * its UUID: the sale is done with the stored receipt, and no second sale is ever taken. */
static void test_landed_failure_is_not_taken_twice(void **state)
{
    fixture *fx = *state;
    sync_session(fx);
    const session_cmd changes[] = {
        {.kind = SESSION_CMD_TENDER, .tender = TENDER_CASH, .fen = 2000},
        {.kind = SESSION_CMD_CLEAR_TENDERS},
        {.kind = SESSION_CMD_POINTS, .fen = -1},
        {.kind = SESSION_CMD_CANCEL_PAY},
        {.kind = SESSION_CMD_SCAN, .text = WALNUT, .qty = 1},
        {.kind = SESSION_CMD_SET_QTY, .line = 0, .qty = 3},
        {.kind = SESSION_CMD_VOID, .line = 0},
        {.kind = SESSION_CMD_MEMBER, .text = NULL},
    };
    int64_t sales = 0;
    for (size_t i = 0; i < sizeof changes / sizeof changes[0]; i++) {
        char receipt[SALE_RECEIPT_NO_CAP];
        session_begin(fx->s);
        fail_but_land(fx, 1000, receipt);
        sales++;
        assert_int_equal(sales_count(till_store(fx->t)), sales);
        till_err e = session_apply(fx->s, &changes[i]);
        if (session_state_get(fx->s) != SESSION_DONE)
            fail_msg("command %zu: state %s, not done with the landed sale", i,
                     session_state_name(session_state_get(fx->s)));
        assert_int_equal(e, TILL_ERR_ALREADY_SAVED);
        assert_string_equal(session_doc(fx->s)->receipt_no, receipt);
        assert_non_null(strstr(till_message(fx->t), receipt));
        assert_int_equal(till_basket(fx->t)->n_lines, 0);      /* the next sale is empty */
        assert_int_equal(sales_count(till_store(fx->t)), sales);
    }
    /* and through the public calls too */
    char receipt[SALE_RECEIPT_NO_CAP];
    session_begin(fx->s);
    fail_but_land(fx, 1000, receipt);
    assert_int_equal(session_drop_failed(fx->s), TILL_ERR_ALREADY_SAVED);
    assert_int_equal(session_state_get(fx->s), SESSION_DONE);
    session_begin(fx->s);
    fail_but_land(fx, 1000, receipt);
    assert_int_equal(session_cancel_pay(fx->s), TILL_ERR_ALREADY_SAVED);
    assert_int_equal(session_state_get(fx->s), SESSION_DONE);
    assert_string_equal(session_doc(fx->s)->receipt_no, receipt);
    assert_int_equal(sales_count(till_store(fx->t)), sales + 2);
}

/* When the store cannot say whether the failed document landed, it is kept (a retry stays
 * idempotent) and the change is refused with a message that says so. */
static void test_unknown_fate_keeps_the_failed_document(void **state)
{
    fixture *fx = *state;
    sync_session(fx);
    ring_up(fx, JUICE, 1000);
    exec(fx, FAIL_SALES);
    assert_int_equal(session_pay(fx->s, NOW), TILL_ERR_STORE);
    char uuid[SALE_UUID_CAP];
    snprintf(uuid, sizeof uuid, "%s", session_doc(fx->s)->uuid);
    exec(fx, "DROP TRIGGER no_sales");
    exec(fx, "ALTER TABLE sales RENAME TO sales_away");   /* the look-up cannot run */
    session_cmd cash = {.kind = SESSION_CMD_TENDER, .tender = TENDER_CASH, .fen = 2000};
    assert_int_equal(session_apply(fx->s, &cash), TILL_ERR_STORE);
    assert_int_equal(session_state_get(fx->s), SESSION_FAILED);
    assert_string_equal(session_doc(fx->s)->uuid, uuid);
    assert_non_null(strstr(till_message(fx->t), uuid));
    assert_non_null(strstr(till_message(fx->t), "retr"));   /* says what to do: retry */
    assert_int_equal(till_basket(fx->t)->n_tenders, 1);
    assert_int_equal(till_basket(fx->t)->tenders[0].amount_fen, 1000);   /* unchanged */
    session_cmd cancel = {.kind = SESSION_CMD_CANCEL_PAY};
    assert_int_equal(session_apply(fx->s, &cancel), TILL_ERR_STORE);
    session_cmd scan = {.kind = SESSION_CMD_SCAN, .text = WALNUT, .qty = 1};
    assert_int_equal(session_apply(fx->s, &scan), TILL_ERR_STORE);
    assert_int_equal(till_basket(fx->t)->n_lines, 1);
    assert_int_equal(session_state_get(fx->s), SESSION_FAILED);
    /* the store answers again: not there, so the change is taken and the document dropped */
    exec(fx, "ALTER TABLE sales_away RENAME TO sales");
    assert_int_equal(session_apply(fx->s, &cash), TILL_OK);
    assert_int_equal(session_state_get(fx->s), SESSION_PAYING);
    assert_int_equal(session_pay(fx->s, NOW), TILL_OK);
    assert_string_not_equal(session_doc(fx->s)->uuid, uuid);
    assert_int_equal(sales_count(till_store(fx->t)), 1);
}

#define FP_A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define FP_B "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"

static void test_caller_request_is_idempotent(void **state)
{
    fixture *fx = *state;
    sync_session(fx);
    const char *u = "1b4e28ba-2fa1-41d2-883f-0016d3cca427";
    assert_int_equal(session_request(fx->s, u, FP_A), TILL_OK);   /* not stored yet */
    ring_up(fx, JUICE, 1000);
    assert_int_equal(session_pay(fx->s, NOW), TILL_OK);
    assert_int_equal(session_state_get(fx->s), SESSION_DONE);
    assert_string_equal(session_doc(fx->s)->uuid, u);
    assert_false(session_was_stored(fx->s));
    char receipt[SALE_RECEIPT_NO_CAP];
    snprintf(receipt, sizeof receipt, "%s", session_doc(fx->s)->receipt_no);

    /* the request is used up: the next sale draws its own UUID */
    ring_up(fx, JUICE, 1000);
    assert_int_equal(session_pay(fx->s, NOW), TILL_OK);
    assert_string_not_equal(session_doc(fx->s)->uuid, u);
    assert_int_equal(sales_count(till_store(fx->t)), 2);

    /* the same request again, later (a retrying script): answered before any goods, with
     * the stored sale, nothing written */
    till_set_now(fx->t, NOW + 60);
    assert_int_equal(session_request(fx->s, u, FP_A), TILL_ERR_ALREADY_SAVED);
    assert_int_equal(session_state_get(fx->s), SESSION_DONE);
    assert_true(session_was_stored(fx->s));
    assert_string_equal(session_doc(fx->s)->receipt_no, receipt);
    assert_int_equal(sales_count(till_store(fx->t)), 2);

    /* another request under that UUID: refused, no request kept, nothing written */
    assert_int_equal(session_request(fx->s, u, FP_B), TILL_ERR_UUID_TAKEN);
    assert_non_null(strstr(till_message(fx->t), receipt));
    ring_up(fx, WALNUT, 3000);
    assert_int_equal(session_pay(fx->s, NOW + 60), TILL_OK);
    assert_string_not_equal(session_doc(fx->s)->uuid, u);
    assert_int_equal(session_request(fx->s, "not-a-uuid", FP_A), TILL_ERR_UUID_TAKEN);
    assert_int_equal(session_request(fx->s, u, "ABC"), TILL_ERR_UUID_TAKEN);
    /* not with goods rung up */
    assert_int_equal(till_scan(fx->t, JUICE, 1, NULL, NULL), TILL_OK);
    session_begin(fx->s);
    assert_int_equal(session_request(fx->s, "2b4e28ba-2fa1-41d2-883f-0016d3cca427", FP_A),
                     TILL_ERR_BASKET);
    assert_int_equal(sales_count(till_store(fx->t)), 3);
}

/* A concurrent call stored the caller's UUID between the look-up and the commit: the commit
 * compares the requests -- the same one is DONE with the stored sale, another one fails and
 * session_drop_failed names the sale that holds the UUID. */
static void test_request_race_at_commit(void **state)
{
    fixture *fx = *state;
    sync_session(fx);
    const char *u = "3c4e28ba-2fa1-41d2-883f-0016d3cca427";
    assert_int_equal(session_request(fx->s, u, FP_A), TILL_OK);
    ring_up(fx, JUICE, 1000);
    /* the other call wins: a sale under u with FP_A, written behind the session's back */
    sale_doc *d = calloc(1, sizeof *d);
    assert_non_null(d);
    assert_int_equal(till_prepare_sale(fx->t, NOW, d), TILL_OK);
    snprintf(d->uuid, sizeof d->uuid, "%s", u);
    bool stored = true;
    char msg[256];
    assert_int_equal(sales_commit_request(till_store(fx->t), d, FP_A, NULL, 0, &stored, msg,
                                          sizeof msg), STORE_OK);
    assert_false(stored);
    assert_int_equal(session_pay(fx->s, NOW + 5), TILL_OK);
    assert_true(session_was_stored(fx->s));
    assert_string_equal(session_doc(fx->s)->receipt_no, d->receipt_no);
    assert_int_equal(sales_count(till_store(fx->t)), 1);

    /* another request wins the race */
    const char *v = "4d4e28ba-2fa1-41d2-883f-0016d3cca427";
    assert_int_equal(session_request(fx->s, v, FP_A), TILL_OK);
    ring_up(fx, JUICE, 1000);
    assert_int_equal(till_prepare_sale(fx->t, NOW, d), TILL_OK);
    snprintf(d->uuid, sizeof d->uuid, "%s", v);
    assert_int_equal(sales_commit_request(till_store(fx->t), d, FP_B, NULL, 0, NULL, msg,
                                          sizeof msg), STORE_OK);
    assert_int_equal(session_pay(fx->s, NOW + 5), TILL_ERR_STORE);
    assert_int_equal(session_state_get(fx->s), SESSION_FAILED);
    assert_int_equal(session_drop_failed(fx->s), TILL_ERR_UUID_TAKEN);
    assert_non_null(strstr(till_message(fx->t), d->receipt_no));
    assert_int_equal(session_state_get(fx->s), SESSION_FAILED);
    assert_int_equal(sales_count(till_store(fx->t)), 2);
    free(d);
}

/* Wait for the commit's answer; the printer's events met on the way go to printing. */
static void deliver_with_printer(fixture *fx, printing *p)
{
    for (int i = 0; i < 1000; i++) {
        assert_true(evq_wait(fx->q, 10000));
        evq_event ev;
        assert_int_equal(evq_drain(fx->q, &ev, 1), 1);
        char say[256];
        bool warn;
        if (printing_on_event(p, &ev, say, sizeof say, &warn))
            continue;
        assert_int_equal(ev.kind, EVQ_COMMIT_DONE);
        assert_true(session_on_event(fx->s, &ev));
        return;
    }
    fail_msg("no commit answer");
}

static void wait_jobs(printing *p, size_t waiting, size_t done)
{
    print_queue_counts k;
    for (int i = 0; i < 500; i++) {
        print_queue_counts_get(printing_queue(p), &k);
        if (k.waiting == waiting && k.done == done && k.queued + k.printing == 0)
            return;
        usleep(10000);
    }
    fail_msg("print jobs: %zu waiting, %zu done; wanted %zu, %zu", k.waiting, k.done, waiting,
             done);
}

/* PRINTING is no pass-through any more: the committed sale goes to the print queue (a drawer
 * kick for cash, then the slip) and the session is DONE at once -- with the printer unplugged
 * too: the sale is in the store, the jobs wait, and print when it is back. */
static void test_commit_then_print(void **state)
{
    fixture *fx = *state;
    async_session(fx);
    printing_options po = {.spec_text = "sim", .db_path = fx->path, .store_name = "测试店",
                           .tz_offset_min = 480, .db = till_store(fx->t), .events = fx->q};
    printing *p = NULL;
    char why[256] = "";
    assert_true(printing_start(&po, &p, why, sizeof why));
    assert_non_null(p);
    session_set_printing(fx->s, p);
    sim_printer_set(printing_sim(p), SIM_PRINTER_UNPLUGGED, true);

    ring_up(fx, JUICE, 1000);
    assert_int_equal(session_pay(fx->s, NOW), TILL_OK);
    deliver_with_printer(fx, p);
    assert_int_equal(session_state_get(fx->s), SESSION_DONE);
    assert_int_equal(sales_count(till_store(fx->t)), 1);
    wait_jobs(p, 2, 0);                       /* the kick and the slip wait for the printer */
    sim_printer_stats st;
    sim_printer_stats_get(printing_sim(p), &st);
    assert_int_equal(st.kicks, 0);

    sim_printer_set(printing_sim(p), SIM_PRINTER_UNPLUGGED, false);
    print_queue_wake(printing_queue(p));
    wait_jobs(p, 0, 2);
    sim_printer_stats_get(printing_sim(p), &st);
    assert_int_equal(st.kicks, 1);
    char *text = printing_sim_text_utf8(p);
    assert_non_null(text);
    /* the receipt document (pos/core/receipt.h) at 58 mm: 32 columns, amounts to the right */
    assert_non_null(strstr(text, "小票号      YR01-1-20261015-0001\n"));
    assert_non_null(strstr(text, "合计                      ￥8.80\n现金                     ￥10.00\n找零                      ￥1.20\n"));
    assert_null(strstr(text, "重印"));
    free(text);

    /* Paid by WeChat: no drawer kick. */
    assert_int_equal(till_scan(fx->t, WALNUT, 1, NULL, NULL), TILL_OK);
    session_begin(fx->s);
    assert_int_equal(session_start_pay(fx->s), TILL_OK);
    assert_int_equal(till_tender(fx->t, TENDER_WECHAT, 2800), TILL_OK);
    assert_int_equal(session_pay(fx->s, NOW), TILL_OK);
    deliver_with_printer(fx, p);
    wait_jobs(p, 0, 3);
    sim_printer_stats_get(printing_sim(p), &st);
    assert_int_equal(st.kicks, 1);

    /* F7's reprint: the WeChat receipt again, marked 重印, and counted. */
    char msg[256];
    assert_int_equal(printing_reprint_last(p, msg, sizeof msg), PRINT_OK);
    assert_non_null(strstr(msg, "YR01-1-20261015-0002"));
    wait_jobs(p, 0, 4);
    text = printing_sim_text_utf8(p);
    size_t n = 0;
    for (const char *q = text; (q = strstr(q, "微信支付                 ￥28.00")) != NULL; q++)
        n++;
    assert_int_equal(n, 2);
    assert_non_null(strstr(text, "重印"));
    /* the print log: two originals, one reprint (of the second sale) */
    sqlite3_stmt *log = NULL;
    assert_int_equal(sqlite3_prepare_v2(store_db(till_store(fx->t)),
                                        "SELECT group_concat(kind || ':' || receipt_no, ' ') FROM "
                                        "(SELECT kind, receipt_no FROM receipt_prints ORDER BY id)",
                                        -1, &log, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(log), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(log, 0),
                        "original:YR01-1-20261015-0001 original:YR01-1-20261015-0002 "
                        "reprint:YR01-1-20261015-0002");
    sqlite3_finalize(log);
    free(text);
    worker_stop(fx->w);
    fx->w = NULL;
    assert_int_equal(printing_stop(p), 0);
    remove(FUPIN_TEST_TMP "/sim-printer.bin");   /* the sim's roll, next to the database */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_states_of_a_sale, setup, teardown),
        cmocka_unit_test_setup_teardown(test_commit_then_print, setup, teardown),
        cmocka_unit_test_setup_teardown(test_worker_commit_fails_then_retries_same_uuid, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_lost_answer_is_not_written_twice, setup, teardown),
        cmocka_unit_test_setup_teardown(test_drop_failed_and_cancel, setup, teardown),
        cmocka_unit_test_setup_teardown(test_caller_request_is_idempotent, setup, teardown),
        cmocka_unit_test_setup_teardown(test_request_race_at_commit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_landed_failure_is_not_taken_twice, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unknown_fate_keeps_the_failed_document, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
