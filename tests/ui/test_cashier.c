/* cashier: what keys, typed text and scanner bursts do on the sale screen (ui/cashier.h),
 * against a real till on the demo store.  No window: the controller is drawn elsewhere. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "db/demo.h"
#include "pos/app/i18n.h"
#include "ui/cashier.h"
#include "ui/i18n.h"

typedef struct {
    till t;
    cashier c;
    uint32_t ms;
} fixture;

static int64_t fixed_clock(void)
{
    return 1792117800;   /* 2026-10-16T10:30:00+08:00 */
}

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    assert_non_null(fx);
    const char *path = FUPIN_TEST_TMP "/ui_cashier.db";
    remove(path);
    char wal[512];
    snprintf(wal, sizeof wal, "%s-wal", path);
    remove(wal);
    char msg[256] = "";
    i18n_set_lang("zh");
    i18n_set_lang("zh");
    assert_int_equal(till_open(&fx->t, path, true, msg, sizeof msg), STORE_OK);
    assert_int_equal(demo_load(fx->t.db, FUPIN_ASSETS_DIR, msg, sizeof msg), STORE_OK);
    assert_int_equal(store_get_config(fx->t.db, &fx->t.config), STORE_OK);
    assert_true(cashier_init(&fx->c, &fx->t, NULL));   /* no worker: commits synchronously */
    fx->c.clock_utc = fixed_clock;
    fx->ms = 10000;
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    cashier_free(&fx->c);
    till_close(&fx->t);
    free(fx);
    return 0;
}

static void type(fixture *fx, const char *s)
{
    for (; *s; s++) {
        char one[2] = {*s, '\0'};
        fx->ms += 150;
        cashier_text(&fx->c, one, fx->ms);
    }
}

static void key(fixture *fx, SDL_Keycode k)
{
    fx->ms += 150;
    cashier_key(&fx->c, k, KMOD_NONE, fx->ms);
}

static void scanner(fixture *fx, const char *code)
{
    fx->ms += 1000;
    for (; *code; code++) {
        char one[2] = {*code, '\0'};
        fx->ms += 5;
        cashier_text(&fx->c, one, fx->ms);
    }
    fx->ms += 5;
    cashier_key(&fx->c, SDLK_RETURN, KMOD_NONE, fx->ms);
}

static fen_t total(fixture *fx)
{
    return basket_total(&fx->t.cart);
}

static void test_scan_typed_and_quantity(void **state)
{
    fixture *fx = *state;
    scanner(fx, "6953822000175");                  /* 带壳核桃 ¥28.00 */
    assert_int_equal(total(fx), 2800);
    assert_int_equal(fx->c.sound, SOUND_BEEP);
    assert_true(fx->c.have_last_scan);
    type(fx, "3");
    cashier_text(&fx->c, "*", fx->ms += 150);
    assert_int_equal(fx->c.pending_qty, 3);
    type(fx, "6914671000174");                     /* typed by hand, then Enter */
    key(fx, SDLK_RETURN);
    assert_int_equal(total(fx), 2800 + 3 * 2200);
    assert_int_equal(fx->c.pending_qty, 0);
    assert_int_equal(fx->c.selected, 1);
    assert_string_equal(fx->c.input, "");
}

static void test_refusals_buzz_and_change_nothing(void **state)
{
    fixture *fx = *state;
    scanner(fx, "6985798000317");                  /* wrong check digit */
    assert_int_equal(fx->c.msg_kind, MSG_ERROR);
    assert_int_equal(fx->c.sound, SOUND_BUZZ);
    assert_int_equal(fx->t.cart.n_lines, 0);
    scanner(fx, "6901234567892");                  /* valid EAN, not in the catalog */
    assert_int_equal(fx->c.msg_kind, MSG_ERROR);
    assert_non_null(strstr(fx->c.message, "6901234567892"));
    key(fx, SDLK_F12);                             /* nothing to pay */
    assert_int_equal(fx->c.mode, MODE_ITEMS);
    assert_int_equal(fx->c.msg_kind, MSG_ERROR);
    key(fx, SDLK_KP_MULTIPLY);                     /* * with no number */
    assert_int_equal(fx->c.pending_qty, 0);
    assert_int_equal(fx->c.msg_kind, MSG_ERROR);
}

static void test_select_set_qty_and_void(void **state)
{
    fixture *fx = *state;
    scanner(fx, "6953822000175");
    scanner(fx, "6914671000174");
    scanner(fx, "6985798000316");                  /* juice ¥8.80, selected */
    assert_int_equal(total(fx), 2800 + 2200 + 880);
    key(fx, SDLK_DELETE);
    assert_int_equal(total(fx), 2800 + 2200);
    assert_int_equal(fx->c.selected, 1);           /* selection stays on a real line */
    key(fx, SDLK_UP);
    assert_int_equal(fx->c.selected, 0);
    type(fx, "4");
    key(fx, SDLK_F3);
    assert_int_equal(total(fx), 4 * 2800 + 2200);
    key(fx, SDLK_DOWN);
    key(fx, SDLK_F4);
    assert_int_equal(total(fx), 4 * 2800);
    assert_int_equal(fx->t.cart.n_voids, 2);       /* voids are kept for the audit row */
}

static void test_cash_payment_with_burst_and_commit(void **state)
{
    fixture *fx = *state;
    scanner(fx, "6953822000175");
    scanner(fx, "6914671000174");
    key(fx, SDLK_KP_PLUS);
    cashier_text(&fx->c, "+", fx->ms);             /* the keypad's own text event: eaten */
    assert_int_equal(fx->c.mode, MODE_PAY_CASH);
    type(fx, "20");
    key(fx, SDLK_RETURN);                          /* ¥20 < ¥50: refused, still paying */
    assert_int_equal(fx->c.mode, MODE_PAY_CASH);
    assert_int_equal(fx->c.msg_kind, MSG_ERROR);
    assert_int_equal(store_count_sales(fx->t.db), 0);
    key(fx, SDLK_ESCAPE);                          /* clears the amount, stays in payment */
    assert_int_equal(fx->c.mode, MODE_PAY_CASH);
    assert_string_equal(fx->c.input, "");
    type(fx, "10");
    /* the scanner fires mid-amount: refused, and its digits leave the amount alone */
    scanner(fx, "6985798000316");
    assert_non_null(strstr(fx->c.message, "请先完成收款"));
    assert_string_equal(fx->c.input, "10");
    assert_int_equal(total(fx), 5000);
    type(fx, "0");
    basket_settlement s;
    basket_settle(&fx->t.cart, fx->t.config.rounding, &s);
    assert_int_equal(s.change_fen, 5000);          /* change is live while typing */
    key(fx, SDLK_RETURN);
    assert_int_equal(fx->c.mode, MODE_ITEMS);
    assert_true(fx->c.have_completed);
    assert_int_equal(fx->c.completed_change, 5000);
    assert_non_null(strstr(fx->c.completed_receipt, "YR01-1-"));
    assert_int_equal(fx->c.msg_kind, MSG_OK);
    assert_int_equal(fx->t.cart.n_lines, 0);
    assert_int_equal(store_count_sales(fx->t.db), 1);
    scanner(fx, "6953822000175");                  /* next shopper: the change display ends */
    assert_false(fx->c.have_completed);
}

static void test_exact_cash_with_enter_alone(void **state)
{
    fixture *fx = *state;
    scanner(fx, "6985798000316");                  /* ¥8.80 */
    key(fx, SDLK_F12);
    key(fx, SDLK_RETURN);
    assert_true(fx->c.have_completed);
    assert_int_equal(fx->c.completed_change, 0);
    assert_int_equal(fx->c.completed_tendered, fx->c.completed_due);
    key(fx, SDLK_ESCAPE);
    assert_int_equal(fx->c.mode, MODE_ITEMS);
}

/* Disk full at the moment of commit: the basket stays on screen with the reason, nothing is
 * half-written, and Enter retries the very same sale once space is back. */
static void test_disk_full_keeps_basket_and_retries(void **state)
{
    fixture *fx = *state;
    sqlite3 *db = store_db(fx->t.db);
    /* forty different packaged goods: a sale that needs fresh pages in the file */
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT gtin13 FROM barcodes ORDER BY gtin13 LIMIT 40",
                                        -1, &st, NULL), SQLITE_OK);
    char codes[40][14];
    int n = 0;
    while (n < 40 && sqlite3_step(st) == SQLITE_ROW)
        snprintf(codes[n++], sizeof codes[0], "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    assert_int_equal(n, 40);
    for (int i = 0; i < n; i++)
        scanner(fx, codes[i]);
    assert_int_equal(fx->t.cart.n_lines, 40);
    fen_t due = total(fx);
    key(fx, SDLK_F12);
    type(fx, "10000");
    /* No free pages left, and the file capped at its current size: SQLite's own SQLITE_FULL
     * path, as on a full disk. */
    assert_int_equal(sqlite3_exec(db, "VACUUM; PRAGMA max_page_count = 1", NULL, NULL, NULL),
                     SQLITE_OK);
    key(fx, SDLK_RETURN);
    assert_int_equal(fx->c.msg_kind, MSG_ERROR);
    assert_non_null(strstr(fx->c.message, "磁盘已满"));
    assert_int_equal(fx->t.cart.n_lines, 40);
    assert_int_equal(total(fx), due);
    assert_false(fx->c.have_completed);
    assert_int_equal(store_count_sales(fx->t.db), 0);
    char uuid[SALE_UUID_CAP];
    memcpy(uuid, fx->c.retry_doc->uuid, sizeof uuid);
    /* space again: the retry commits once, with the uuid of the first attempt */
    assert_int_equal(sqlite3_exec(db, "PRAGMA max_page_count = 1073741823", NULL, NULL, NULL),
                     SQLITE_OK);
    key(fx, SDLK_RETURN);
    assert_true(fx->c.have_completed);
    assert_int_equal(store_count_sales(fx->t.db), 1);
    sale_doc *d = calloc(1, sizeof *d);
    assert_non_null(d);
    assert_int_equal(store_load_sale(fx->t.db, uuid, d), STORE_OK);
    assert_int_equal(d->n_lines, 40);
    assert_int_equal(d->total_fen, due);
    free(d);
}

static void test_weighed_plu_with_scale(void **state)
{
    fixture *fx = *state;
    cashier_weight(&fx->c, 333);
    type(fx, "10001");                             /* 软籽石榴(散装) ¥18.00/kg */
    key(fx, SDLK_RETURN);
    assert_int_equal(fx->t.cart.n_lines, 1);
    assert_int_equal(fx->t.cart.lines[0].grams, 333);
    assert_int_equal(total(fx), 599);              /* 18.00 × 0.333 = 5.994 -> 5.99 */
    assert_int_equal(fx->c.scale_grams, 0);        /* taken off the scale */
}

static void test_quit_and_help(void **state)
{
    fixture *fx = *state;
    key(fx, SDLK_F1);
    assert_true(fx->c.show_help);
    key(fx, SDLK_ESCAPE);
    assert_false(fx->c.show_help);
    fx->ms += 100;
    cashier_key(&fx->c, SDLK_q, KMOD_LCTRL, fx->ms);
    assert_true(fx->c.quit);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_scan_typed_and_quantity, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refusals_buzz_and_change_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_select_set_qty_and_void, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cash_payment_with_burst_and_commit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_exact_cash_with_enter_alone, setup, teardown),
        cmocka_unit_test_setup_teardown(test_disk_full_keeps_basket_and_retries, setup, teardown),
        cmocka_unit_test_setup_teardown(test_weighed_plu_with_scale, setup, teardown),
        cmocka_unit_test_setup_teardown(test_quit_and_help, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
