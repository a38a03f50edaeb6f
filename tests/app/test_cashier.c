/* cashier: what keys, typed text and scanner bursts do on the sale screen (pos/app/cashier.h),
 * against a real till on the demo store.  No window: the controller is drawn elsewhere. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "db/demo.h"
#include "db/members.h"
#include "db/points.h"
#include "db/rules.h"
#include "db/stars.h"
#include "pos/core/member.h"
#include "pos/core/rule_json.h"
#include "pos/app/i18n.h"
#include "pos/core/scale_label.h"
#include "pos/app/cashier.h"
#include "pos/app/printing.h"
#include "lost_answer.h"
#include "cashier_fixture.h"

static int setup(void **state)
{
    *state = fixture_open("app_cashier.db");
    return 0;
}

static int teardown(void **state)
{
    fixture_close(*state);
    return 0;
}

static fen_t total(fixture *fx)
{
    return basket_total(till_basket(fx->t));
}

static void test_scan_typed_and_quantity(void **state)
{
    fixture *fx = *state;
    wedge_scan(fx, "6953822000175");                  /* 带壳核桃 ¥28.00 */
    assert_int_equal(total(fx), 2800);
    assert_int_equal(fx->c.sound, SOUND_BEEP);
    assert_true(fx->c.have_last_scan);
    type(fx, "3");
    cashier_text(&fx->c, "*", fx->ms += 150);
    assert_int_equal(fx->c.pending_qty, 3);
    type(fx, "6914671000174");                     /* typed by hand, then Enter */
    key(fx, UI_KEY_ENTER);
    assert_int_equal(total(fx), 2800 + 3 * 2200);
    assert_int_equal(fx->c.pending_qty, 0);
    assert_int_equal(fx->c.selected, 1);
    assert_string_equal(fx->c.input, "");
}

static void test_refusals_buzz_and_change_nothing(void **state)
{
    fixture *fx = *state;
    wedge_scan(fx, "6985798000317");                  /* wrong check digit */
    assert_int_equal(fx->c.msg_kind, VIEW_MSG_ERROR);
    assert_int_equal(fx->c.sound, SOUND_BUZZ);
    assert_int_equal(till_basket(fx->t)->n_lines, 0);
    wedge_scan(fx, "6901234567892");                  /* valid EAN, not in the catalog */
    assert_int_equal(fx->c.msg_kind, VIEW_MSG_ERROR);
    assert_non_null(strstr(fx->c.message, "6901234567892"));
    key(fx, UI_KEY_F12);                             /* nothing to pay */
    assert_int_equal(fx->c.mode, MODE_ITEMS);
    assert_int_equal(fx->c.msg_kind, VIEW_MSG_ERROR);
    key(fx, UI_KEY_KP_MULTIPLY);                     /* * with no number */
    assert_int_equal(fx->c.pending_qty, 0);
    assert_int_equal(fx->c.msg_kind, VIEW_MSG_ERROR);
}

static void test_select_set_qty_and_void(void **state)
{
    fixture *fx = *state;
    wedge_scan(fx, "6953822000175");
    wedge_scan(fx, "6914671000174");
    wedge_scan(fx, "6985798000316");                  /* juice ¥8.80, selected */
    assert_int_equal(total(fx), 2800 + 2200 + 880);
    key(fx, UI_KEY_DELETE);
    assert_int_equal(total(fx), 2800 + 2200);
    assert_int_equal(fx->c.selected, 1);           /* selection stays on a real line */
    key(fx, UI_KEY_UP);
    assert_int_equal(fx->c.selected, 0);
    type(fx, "4");
    key(fx, UI_KEY_F3);
    assert_int_equal(total(fx), 4 * 2800 + 2200);
    key(fx, UI_KEY_DOWN);
    key(fx, UI_KEY_F4);
    assert_int_equal(total(fx), 4 * 2800);
    assert_int_equal(till_basket(fx->t)->n_voids, 2);       /* voids are kept for the audit row */
}

static void test_cash_payment_with_burst_and_commit(void **state)
{
    fixture *fx = *state;
    wedge_scan(fx, "6953822000175");
    wedge_scan(fx, "6914671000174");
    key(fx, UI_KEY_KP_PLUS);
    cashier_text(&fx->c, "+", fx->ms);             /* the keypad's own text event: eaten */
    assert_int_equal(fx->c.mode, MODE_PAY_CASH);
    type(fx, "20");
    key(fx, UI_KEY_ENTER);                          /* ¥20 < ¥50: refused, still paying */
    assert_int_equal(fx->c.mode, MODE_PAY_CASH);
    assert_int_equal(fx->c.msg_kind, VIEW_MSG_ERROR);
    assert_int_equal(sales_count(till_store(fx->t)), 0);
    key(fx, UI_KEY_ESCAPE);                          /* clears the amount, stays in payment */
    assert_int_equal(fx->c.mode, MODE_PAY_CASH);
    assert_string_equal(fx->c.input, "");
    type(fx, "10");
    /* the scanner fires mid-amount: refused, and its digits leave the amount alone */
    wedge_scan(fx, "6985798000316");
    assert_non_null(strstr(fx->c.message, "请先完成收款"));
    assert_string_equal(fx->c.input, "10");
    assert_int_equal(total(fx), 5000);
    type(fx, "0");
    basket_settlement s;
    basket_settle(till_basket(fx->t), till_config_get(fx->t)->rounding, &s);
    assert_int_equal(s.change_fen, 5000);          /* change is live while typing */
    key(fx, UI_KEY_ENTER);
    assert_int_equal(fx->c.mode, MODE_ITEMS);
    assert_true(fx->c.have_completed);
    assert_int_equal(fx->c.completed_doc->change_fen, 5000);
    assert_non_null(strstr(fx->c.completed_doc->receipt_no, "YR01-1-"));
    assert_int_equal(fx->c.msg_kind, VIEW_MSG_OK);
    assert_int_equal(till_basket(fx->t)->n_lines, 0);
    assert_int_equal(sales_count(till_store(fx->t)), 1);
    wedge_scan(fx, "6953822000175");                  /* next shopper: the change display ends */
    assert_false(fx->c.have_completed);
}

static void test_exact_cash_with_enter_alone(void **state)
{
    fixture *fx = *state;
    wedge_scan(fx, "6985798000316");                  /* ¥8.80 */
    key(fx, UI_KEY_F12);
    key(fx, UI_KEY_ENTER);
    assert_true(fx->c.have_completed);
    assert_int_equal(fx->c.completed_doc->change_fen, 0);
    assert_int_equal(fx->c.completed_tendered, fx->c.completed_doc->due_fen);
    key(fx, UI_KEY_ESCAPE);
    assert_int_equal(fx->c.mode, MODE_ITEMS);
}

/* Disk full at the moment of commit: the basket stays on screen with the reason, nothing is
 * half-written, and Enter retries the very same sale once space is back. */
static void test_disk_full_keeps_basket_and_retries(void **state)
{
    fixture *fx = *state;
    sqlite3 *db = store_db(till_store(fx->t));
    /* forty different packaged goods (one barcode each: a product may have several): a sale
     * that needs fresh pages in the file */
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT min(b.gtin13) FROM barcodes b JOIN products p "
                                        "ON p.sku = b.sku WHERE p.by_weight = 0 AND p.active = 1 "
                                        "GROUP BY b.sku ORDER BY 1 LIMIT 40",
                                        -1, &st, NULL), SQLITE_OK);
    char codes[40][14];
    int n = 0;
    while (n < 40 && sqlite3_step(st) == SQLITE_ROW)
        snprintf(codes[n++], sizeof codes[0], "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    assert_int_equal(n, 40);
    for (int i = 0; i < n; i++)
        wedge_scan(fx, codes[i]);
    assert_int_equal(till_basket(fx->t)->n_lines, 40);
    fen_t due = total(fx);
    key(fx, UI_KEY_F12);
    type(fx, "10000");
    /* No free pages left, and the file capped at its current size: SQLite's own SQLITE_FULL
     * path, as on a full disk. */
    assert_int_equal(sqlite3_exec(db, "VACUUM; PRAGMA max_page_count = 1", NULL, NULL, NULL),
                     SQLITE_OK);
    key(fx, UI_KEY_ENTER);
    assert_int_equal(fx->c.msg_kind, VIEW_MSG_ERROR);
    assert_non_null(strstr(fx->c.message, "磁盘已满"));
    assert_int_equal(till_basket(fx->t)->n_lines, 40);
    assert_int_equal(total(fx), due);
    assert_false(fx->c.have_completed);
    assert_int_equal(sales_count(till_store(fx->t)), 0);
    char uuid[SALE_UUID_CAP];
    assert_int_equal(session_state_get(fx->session), SESSION_FAILED);
    memcpy(uuid, session_doc(fx->session)->uuid, sizeof uuid);
    /* space again: the retry commits once, with the uuid of the first attempt */
    assert_int_equal(sqlite3_exec(db, "PRAGMA max_page_count = 1073741823", NULL, NULL, NULL),
                     SQLITE_OK);
    key(fx, UI_KEY_ENTER);
    assert_true(fx->c.have_completed);
    assert_int_equal(sales_count(till_store(fx->t)), 1);
    sale_doc *d = calloc(1, sizeof *d);
    assert_non_null(d);
    assert_int_equal(sales_load(till_store(fx->t), uuid, d), STORE_OK);
    assert_int_equal(d->n_lines, 40);
    assert_int_equal(d->total_fen, due);
    free(d);
}

/* A save reported as failed that did reach the disk (the answer lost): the cashier then types
 * another amount.  The screen shows that stored sale as done -- no second sale with a new id. */
static void test_landed_failure_shown_as_done(void **state)
{
    fixture *fx = *state;
    sqlite3 *db = store_db(till_store(fx->t));
    wedge_scan(fx, "6985798000316");                  /* ¥8.80 */
    key(fx, UI_KEY_F12);
    type(fx, "10");
    assert_int_equal(sqlite3_exec(db, FAIL_SALES, NULL, NULL, NULL), SQLITE_OK);
    key(fx, UI_KEY_ENTER);
    assert_int_equal(session_state_get(fx->session), SESSION_FAILED);
    assert_int_equal(sqlite3_exec(db, "DROP TRIGGER no_sales", NULL, NULL, NULL), SQLITE_OK);
    char receipt[SALE_RECEIPT_NO_CAP];
    land_failed_doc(fx->t, fx->session, receipt);
    type(fx, "0");                                 /* ¥100 now: would be a new document */
    assert_true(fx->c.have_completed);
    assert_string_equal(fx->c.completed_doc->receipt_no, receipt);
    assert_int_equal(fx->c.mode, MODE_ITEMS);
    assert_int_equal(fx->c.msg_kind, VIEW_MSG_WARN);
    assert_non_null(strstr(fx->c.message, receipt));
    key(fx, UI_KEY_F12);                           /* nothing left to pay */
    key(fx, UI_KEY_ENTER);
    assert_int_equal(sales_count(till_store(fx->t)), 1);
}

static void test_weighed_plu_with_scale(void **state)
{
    fixture *fx = *state;
    /* the reading arrives as the scale's device thread will send it: an event from the queue */
    evq_event reading = {.kind = EVQ_SCALE_READING, .value = 333, .flag = true};
    cashier_on_event(&fx->c, &reading);
    assert_int_equal(fx->c.scale_grams, 333);
    assert_true(fx->c.scale_stable);
    type(fx, "10001");                             /* 软籽石榴(散装) ¥18.00/kg */
    key(fx, UI_KEY_ENTER);
    assert_int_equal(till_basket(fx->t)->n_lines, 1);
    assert_int_equal(till_basket(fx->t)->lines[0].grams, 333);
    assert_int_equal(total(fx), 599);              /* 18.00 × 0.333 = 5.994 -> 5.99 */
    assert_int_equal(fx->c.scale_grams, 0);        /* taken off the scale */
}

/* No scale connected: a weighed product's PLU opens the weight prompt, the typed weight sells
 * it; Esc there leaves the prompt without adding anything. */
static void test_weighed_plu_typed_weight(void **state)
{
    fixture *fx = *state;
    type(fx, "10001");                             /* 软籽石榴(散装) ¥18.00/kg, no reading */
    key(fx, UI_KEY_ENTER);
    assert_true(fx->c.search_open);
    assert_true(fx->c.search_weighing);
    assert_int_equal(till_basket(fx->t)->n_lines, 0);
    key(fx, UI_KEY_ESCAPE);
    assert_false(fx->c.search_open);
    assert_int_equal(till_basket(fx->t)->n_lines, 0);
    type(fx, "10001");
    key(fx, UI_KEY_ENTER);
    type(fx, "512");
    key(fx, UI_KEY_ENTER);
    assert_false(fx->c.search_open);
    assert_int_equal(till_basket(fx->t)->n_lines, 1);
    assert_int_equal(till_basket(fx->t)->lines[0].grams, 512);
    assert_int_equal(till_basket(fx->t)->lines[0].amount_fen, 922);  /* 18.00 × 0.512 = 9.216 */
}

/* A label as the till's scales print it (the till's own layouts). */
static const char *label(fixture *fx, size_t layout, const char *plu, fen_t fen, int64_t grams)
{
    static char buf[4][32];
    static size_t next;
    char *out = buf[next++ % 4];
    assert_true(scale_label_encode(till_scale_layouts(fx->t), layout, plu, fen, grams, out, 32));
    return out;
}

static size_t layout_index(fixture *fx, const char *prefix)
{
    for (size_t i = 0; i < till_scale_layouts(fx->t)->n; i++) {
        if (strncmp(till_scale_layouts(fx->t)->layouts[i].pattern, prefix, strlen(prefix)) == 0) {
            return i;
        }
    }
    fail_msg("no layout %s", prefix);
    return 0;
}

static void set_product(fixture *fx, const char *sku, int64_t tare, int64_t min_g, int64_t max_g,
                        const char *valid_to)
{
    product p;
    assert_int_equal(products_find_by_sku(till_store(fx->t), sku, &p), STORE_OK);
    p.tare_g = tare;
    p.min_g = min_g;
    p.max_g = max_g;
    if (valid_to) {
        snprintf(p.cert_valid_to, sizeof p.cert_valid_to, "%s", valid_to);
    }
    assert_int_equal(products_upsert(till_store(fx->t), &p), STORE_OK);
}

static void test_scale_label_and_payment_code_on_item_screen(void **state)
{
    fixture *fx = *state;
    size_t both = layout_index(fx, "26");
    /* 软籽石榴(散装) 10001 ¥18.00/kg: 355 g printed at ¥6.40 (catalog 6.39, within 5 fen) */
    wedge_scan(fx, label(fx, both, "10001", 640, 355));
    assert_int_equal(till_basket(fx->t)->n_lines, 1);
    assert_int_equal(till_basket(fx->t)->lines[0].grams, 355);
    assert_int_equal(till_basket(fx->t)->lines[0].unit_price_fen, 1800);
    assert_int_equal(total(fx), 640);                /* the printed amount */
    assert_int_equal(fx->c.sound, SOUND_BEEP);
    assert_int_equal(fx->c.last_grams, 355);
    assert_true(fx->c.last_poverty_relief);
    assert_true(fx->c.last_supplier[0] != '\0');   /* the cooperative's name */
    /* a label whose amount disagrees with the catalog: refused, buzz, basket untouched */
    wedge_scan(fx, label(fx, both, "10001", 700, 355));
    assert_int_equal(fx->c.msg_kind, VIEW_MSG_ERROR);
    assert_int_equal(fx->c.sound, SOUND_BUZZ);
    assert_non_null(strstr(fx->c.message, "标签金额与价格不符"));
    assert_int_equal(total(fx), 640);
    /* a customer's payment code on the item screen: refused, never an item */
    wedge_scan(fx, "134567890123456789");
    assert_int_equal(fx->c.msg_kind, VIEW_MSG_ERROR);
    assert_non_null(strstr(fx->c.message, "这是付款码，请在收款时扫描"));
    assert_int_equal(till_basket(fx->t)->n_lines, 1);
    /* typed by hand it is refused the same way */
    type(fx, "281234567890123456");
    key(fx, UI_KEY_ENTER);
    assert_non_null(strstr(fx->c.message, "这是付款码"));
    assert_int_equal(till_basket(fx->t)->n_lines, 1);
}

static void test_pay_by_scanned_code(void **state)
{
    fixture *fx = *state;
    wedge_scan(fx, "6953822000175");                    /* 带壳核桃 ¥28.00 */
    cashier_weight(&fx->c, 333);
    type(fx, "10001");                               /* 软籽石榴 333 g = 5.99 */
    key(fx, UI_KEY_ENTER);
    assert_int_equal(total(fx), 3399);
    key(fx, UI_KEY_F12);
    assert_int_equal(fx->c.mode, MODE_PAY_CASH);
    /* a scale label is not a payment (a 13-digit one: an 18-digit "26" label has the shape of
     * an Alipay code, and on this screen that is what it would be taken for, by design) */
    wedge_scan(fx, label(fx, layout_index(fx, "22"), "10001", 0, 355));
    assert_int_equal(fx->c.msg_kind, VIEW_MSG_ERROR);
    assert_non_null(strstr(fx->c.message, "称重标签不能用于付款"));
    assert_int_equal(fx->c.mode, MODE_PAY_CASH);
    assert_int_equal(till_basket(fx->t)->n_tenders, 0);
    /* ¥10 cash handed over first, then the shopper's Alipay code pays the rest: no 抹零 on a
     * sale that is not all cash */
    type(fx, "10");
    wedge_scan(fx, "281234567890123456");
    assert_true(fx->c.have_completed);
    assert_int_equal(fx->c.mode, MODE_ITEMS);
    assert_int_equal(fx->c.completed_kind, TENDER_ALIPAY);
    assert_non_null(strstr(fx->c.message, "模拟支付"));
    assert_int_equal(sales_count(till_store(fx->t)), 1);
    sale_doc *d = calloc(1, sizeof *d);
    assert_non_null(d);
    assert_int_equal(sales_load(till_store(fx->t), fx->c.completed_doc->receipt_no, d), STORE_OK);
    assert_int_equal(d->total_fen, 3399);
    assert_int_equal(d->rounding_fen, 0);
    assert_int_equal(d->n_tenders, 2);
    assert_int_equal(d->tenders[0].kind, TENDER_CASH);
    assert_int_equal(d->tenders[0].amount_fen, 1000);
    assert_int_equal(d->tenders[1].kind, TENDER_ALIPAY);
    assert_int_equal(d->tenders[1].amount_fen, 2399);
    assert_string_equal(d->tenders[1].ref, "281234567890123456");
    assert_int_equal(d->change_fen, 0);
    free(d);

    /* a WeChat code pays the whole amount of the next sale */
    wedge_scan(fx, "6985798000316");                    /* ¥8.80 */
    key(fx, UI_KEY_F12);
    wedge_scan(fx, "134567890123456789");
    assert_true(fx->c.have_completed);
    assert_int_equal(fx->c.completed_kind, TENDER_WECHAT);
    assert_int_equal(fx->c.completed_tendered, 880);
    assert_int_equal(sales_count(till_store(fx->t)), 2);
}

static void test_search_pane(void **state)
{
    fixture *fx = *state;
    set_product(fx, "P0093", 0, 100, 10000, NULL);   /* 核桃(散装) PLU 10002 ¥24.00/kg */
    key(fx, UI_KEY_F2);
    assert_true(fx->c.search_open);
    type(fx, "tfm");                                 /* 土蜂蜜 by its pinyin initials */
    assert_true(fx->c.search_n >= 1);
    assert_string_equal(fx->c.search_results[0].sku, "P0011");
    key(fx, UI_KEY_ENTER);
    assert_false(fx->c.search_open);
    assert_int_equal(total(fx), 6800);
    assert_int_equal(fx->c.msg_kind, VIEW_MSG_INFO);
    /* a weighed product with no scale reading asks for its weight */
    key(fx, UI_KEY_F2);
    type(fx, "10002");
    assert_true(fx->c.search_n >= 1);
    assert_string_equal(fx->c.search_results[0].sku, "P0093");
    key(fx, UI_KEY_ENTER);
    assert_true(fx->c.search_open);
    assert_true(fx->c.search_weighing);
    type(fx, "50");                                  /* below its 100 g minimum: refused */
    key(fx, UI_KEY_ENTER);
    assert_int_equal(fx->c.msg_kind, VIEW_MSG_ERROR);
    assert_true(fx->c.search_weighing);
    key(fx, UI_KEY_BACKSPACE);
    key(fx, UI_KEY_BACKSPACE);
    type(fx, "250");
    key(fx, UI_KEY_ENTER);
    assert_false(fx->c.search_open);
    assert_int_equal(till_basket(fx->t)->n_lines, 2);
    assert_int_equal(till_basket(fx->t)->lines[1].grams, 250);
    assert_int_equal(total(fx), 6800 + 600);
    /* with goods on the scale, Enter takes the reading; Up/Down move the selection; a Chinese
     * name typed through the IME finds it too */
    cashier_weight(&fx->c, 500);
    key(fx, UI_KEY_F2);
    cashier_text(&fx->c, "核桃", fx->ms += 150);
    assert_true(fx->c.search_n >= 2);
    size_t want = fx->c.search_n;
    for (size_t i = 0; i < fx->c.search_n; i++) {
        if (strcmp(fx->c.search_results[i].sku, "P0093") == 0) {
            want = i;
        }
    }
    assert_true(want < fx->c.search_n);
    for (size_t i = 0; i < want; i++) {
        key(fx, UI_KEY_DOWN);
    }
    assert_int_equal(fx->c.search_sel, want);
    key(fx, UI_KEY_ENTER);
    assert_int_equal(till_basket(fx->t)->n_lines, 3);
    assert_int_equal(till_basket(fx->t)->lines[2].grams, 500);
    assert_int_equal(fx->c.scale_grams, 0);
    /* Esc closes without adding; the basket keys work again afterwards */
    key(fx, UI_KEY_F2);
    type(fx, "zzzzqqq");
    assert_int_equal(fx->c.search_n, 0);
    key(fx, UI_KEY_ENTER);
    assert_int_equal(fx->c.msg_kind, VIEW_MSG_ERROR);
    key(fx, UI_KEY_ESCAPE);
    assert_false(fx->c.search_open);
    assert_int_equal(till_basket(fx->t)->n_lines, 3);
    /* a scanner burst while the pane is open closes it and adds the scanned goods */
    key(fx, UI_KEY_F2);
    type(fx, "h");
    wedge_scan(fx, "6985798000316");
    assert_false(fx->c.search_open);
    assert_int_equal(till_basket(fx->t)->n_lines, 4);
    assert_string_equal(till_basket(fx->t)->lines[3].item.sku, "P0003");
}

static void test_lapsed_certificate_and_scale_motion(void **state)
{
    fixture *fx = *state;
    /* 油炸蜂蛹: its certificate ran out before the test's business day (2026-10-16) */
    set_product(fx, "P0041", 0, 0, 0, "2026-06-30");
    wedge_scan(fx, "6945949000176");
    assert_int_equal(till_basket(fx->t)->n_lines, 1);
    assert_false(till_basket(fx->t)->lines[0].item.poverty_relief);
    assert_true(fx->c.last_cert_lapsed);
    assert_false(fx->c.last_poverty_relief);
    assert_int_equal(fx->c.msg_kind, VIEW_MSG_WARN);
    assert_non_null(strstr(fx->c.message, "扶贫认证已过期，不计入扶贫销售"));
    wedge_scan(fx, "6953822000175");                    /* a valid 扶贫 product: no notice */
    assert_false(fx->c.last_cert_lapsed);
    assert_true(fx->c.last_poverty_relief);
    assert_int_equal(fx->c.msg_kind, VIEW_MSG_INFO);
    /* 土鸡蛋(称重) 10006 ¥24.00/kg on a 30 g tray: nothing is weighed while the scale moves */
    set_product(fx, "P0097", 30, 100, 5000, NULL);
    cashier_scale(&fx->c, 530, false);
    type(fx, "10006");
    key(fx, UI_KEY_ENTER);
    assert_int_equal(fx->c.msg_kind, VIEW_MSG_ERROR);
    assert_non_null(strstr(fx->c.message, "稳定"));
    assert_int_equal(till_basket(fx->t)->n_lines, 2);
    cashier_scale(&fx->c, 530, true);
    type(fx, "10006");
    key(fx, UI_KEY_ENTER);
    assert_int_equal(till_basket(fx->t)->n_lines, 3);
    assert_int_equal(till_basket(fx->t)->lines[2].grams, 500);  /* tare off */
    assert_int_equal(till_basket(fx->t)->lines[2].amount_fen, 1200);
    /* paid: the lapsed line is stored as not poverty-relief */
    key(fx, UI_KEY_F12);
    key(fx, UI_KEY_ENTER);
    assert_true(fx->c.have_completed);
    sale_doc *d = calloc(1, sizeof *d);
    assert_non_null(d);
    assert_int_equal(sales_load(till_store(fx->t), fx->c.completed_doc->receipt_no, d), STORE_OK);
    assert_false(d->lines[0].poverty_relief);
    assert_true(d->lines[1].poverty_relief);
    free(d);
}

static void test_quit_and_help(void **state)
{
    fixture *fx = *state;
    key(fx, UI_KEY_F1);
    assert_true(fx->c.show_help);
    key(fx, UI_KEY_ESCAPE);
    assert_false(fx->c.show_help);
    fx->ms += 100;
    cashier_key(&fx->c, UI_KEY_Q, UI_MOD_CTRL, fx->ms);
    assert_true(fx->c.quit);
}

/* #5 on the sale screen: the demo campaigns on a Friday, a member by F5, the live 9.5折, F8
 * points within the balance, the star board (F9) opened and closed. */
static void test_member_discount_points_and_stars(void **state)
{
    fixture *fx = *state;
    char msg[256] = "";
    assert_int_equal(demo_load_promotions(till_store(fx->t), FUPIN_ASSETS_DIR, msg, sizeof msg), STORE_OK);
    points_entry e = {.kind = POINTS_ENTRY_ADJUST, .points = 300, .at_utc = fixed_clock()};
    snprintf(e.member_id, sizeof e.member_id, "88000001");
    snprintf(e.reason, sizeof e.reason, "test");
    assert_int_equal(points_append(till_store(fx->t), &e), STORE_OK);

    /* F5, an unknown card: refused, the entry stays open; then the real one. */
    key(fx, UI_KEY_F5);
    assert_true(fx->c.member_entry);
    type(fx, "999");
    key(fx, UI_KEY_ENTER);
    assert_int_equal(fx->c.msg_kind, VIEW_MSG_ERROR);
    assert_false(till_has_member(fx->t));
    type(fx, "88000001");
    key(fx, UI_KEY_ENTER);
    assert_false(fx->c.member_entry);
    assert_true(till_has_member(fx->t));
    assert_string_equal(till_member_masked(fx->t), "张*明");
    assert_int_equal(till_member_balance(fx->t), 300);

    /* 石榴汁 ¥8.80 on a Friday: 9.5折 shows at once on the line and the total. */
    wedge_scan(fx, "6985798000316");
    assert_int_equal(till_basket(fx->t)->lines[0].discount_fen, 44);
    assert_int_equal(basket_total(till_basket(fx->t)), 836);
    assert_true(till_pricing(fx->t)->n_applied >= 1);
    assert_non_null(strstr(fx->c.message, "已优惠"));

    /* F8 outside payment is refused; in payment it pays what the balance allows (300 points =
     * ¥3.00; the cap would allow 50 % of 8.36 = 4.18). */
    key(fx, UI_KEY_F8);
    assert_int_equal(fx->c.msg_kind, VIEW_MSG_ERROR);
    key(fx, UI_KEY_F12);
    key(fx, UI_KEY_F8);
    assert_int_equal(fx->c.msg_kind, VIEW_MSG_OK);
    assert_int_equal(till_basket(fx->t)->n_tenders, 1);
    assert_int_equal(till_basket(fx->t)->tenders[0].kind, TENDER_POINTS);
    assert_int_equal(till_basket(fx->t)->tenders[0].amount_fen, 300);
    type(fx, "6");   /* cash on top of the points (8.36 - 3.00 = 5.36 left): the points stay */
    assert_int_equal(till_basket(fx->t)->n_tenders, 2);
    key(fx, UI_KEY_ENTER);
    if (!fx->c.have_completed)
        fail_msg("not completed: %s", fx->c.message);
    assert_int_equal(fx->c.completed_doc->points_redeemed, 300);
    /* earned on money only: floor((8.36 - 3.00) × 1.5) = 8 */
    assert_int_equal(fx->c.completed_doc->points_earned, 8);
    assert_string_equal(fx->c.completed_doc->member_id, "88000001");
    assert_int_equal(fx->c.completed_doc->rounding_fen, 0);
    assert_false(till_has_member(fx->t));   /* the next shopper is anonymous */
    int64_t bal = 0;
    assert_int_equal(points_balance(till_store(fx->t), "88000001", &bal), STORE_OK);
    assert_int_equal(bal, 8);

    /* The star board: 张三明 is on it, masked in the drawing; Esc closes it. */
    key(fx, UI_KEY_F9);
    assert_true(fx->c.stars_open);
    assert_int_equal(fx->c.stars_n, 1);
    assert_string_equal(fx->c.stars[0].member_id, "88000001");
    wedge_scan(fx, "6985798000316");   /* nothing reaches the sale behind the board */
    key(fx, UI_KEY_ESCAPE);
    assert_false(fx->c.stars_open);
    assert_int_equal(till_basket(fx->t)->n_lines, 0);
    assert_string_equal(fx->c.input, "");

    /* A member removed with Esc on the empty entry field. */
    key(fx, UI_KEY_F5);
    type(fx, "13908781234");   /* by phone */
    key(fx, UI_KEY_ENTER);
    assert_true(till_has_member(fx->t));
    key(fx, UI_KEY_F5);
    key(fx, UI_KEY_ESCAPE);
    assert_false(till_has_member(fx->t));
}

/* F7 reprints the last receipt: refused without a printer; with one (a file printer, on its
 * queue thread) a cash sale queues the drawer kick and the slip, and F7 -- once the slip is out
 * -- queues it again. */
static void test_reprint_key(void **state)
{
    fixture *fx = *state;
    key(fx, UI_KEY_F7);
    assert_non_null(strstr(fx->c.message, "没有连接小票打印机"));
    assert_int_equal(fx->c.sound, SOUND_BUZZ);

    const char *roll = FUPIN_TEST_TMP "/app_cashier_roll.bin";
    remove(roll);
    char spec[300];
    snprintf(spec, sizeof spec, "file:%s", roll);
    evq *q = evq_create(64);
    assert_non_null(q);
    printing_options po = {.spec_text = spec, .store_name = "测试", .events = q};
    printing *p = NULL;
    char why[256] = "";
    assert_true(printing_start(&po, &p, why, sizeof why));
    session_set_printing(fx->session, p);
    fx->c.printer = p;
    key(fx, UI_KEY_F7);
    assert_non_null(strstr(fx->c.message, "还没有可重打的小票"));

    wedge_scan(fx, "6985798000316");
    key(fx, UI_KEY_F12);
    key(fx, UI_KEY_ENTER);                            /* exact cash: committed, queued */
    assert_non_null(strstr(fx->c.message, "交易完成"));
    print_queue_counts k;
    for (int i = 0; i < 500; i++) {
        print_queue_counts_get(printing_queue(p), &k);
        if (k.done == 2)
            break;
        usleep(10000);
    }
    assert_int_equal(k.done, 2);                      /* the kick and the slip */
    /* The queue's news: a job printed without waiting changes no message. */
    evq_event ev;
    while (evq_drain(q, &ev, 1) == 1)
        cashier_on_event(&fx->c, &ev);
    assert_non_null(strstr(fx->c.message, "交易完成"));
    key(fx, UI_KEY_F7);
    assert_non_null(strstr(fx->c.message, "重打小票 YR01-1-20261016-0001"));
    assert_int_equal(printing_stop(p), 0);            /* waits for the reprint to go out */
    fx->c.printer = NULL;
    session_set_printing(fx->session, NULL);
    evq_destroy(q);
    FILE *f = fopen(roll, "rb");
    assert_non_null(f);
    char buf[16384];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    /* two receipts (ESC @ FS & opens each), the second marked 重印 (GB18030 D6 D8 D3 A1) */
    size_t heads = 0, reprints = 0;
    for (size_t i = 0; i + 4 <= n; i++) {
        heads += memcmp(buf + i, "\x1b\x40\x1c\x26", 4) == 0;
        reprints += memcmp(buf + i, "\xd6\xd8\xd3\xa1", 4) == 0;
    }
    assert_int_equal(heads, 2);
    assert_int_equal(reprints, 1);
    remove(roll);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_scan_typed_and_quantity, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refusals_buzz_and_change_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_select_set_qty_and_void, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cash_payment_with_burst_and_commit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_exact_cash_with_enter_alone, setup, teardown),
        cmocka_unit_test_setup_teardown(test_landed_failure_shown_as_done, setup, teardown),
        cmocka_unit_test_setup_teardown(test_disk_full_keeps_basket_and_retries, setup, teardown),
        cmocka_unit_test_setup_teardown(test_weighed_plu_with_scale, setup, teardown),
        cmocka_unit_test_setup_teardown(test_weighed_plu_typed_weight, setup, teardown),
        cmocka_unit_test_setup_teardown(test_scale_label_and_payment_code_on_item_screen, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_pay_by_scanned_code, setup, teardown),
        cmocka_unit_test_setup_teardown(test_search_pane, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lapsed_certificate_and_scale_motion, setup, teardown),
        cmocka_unit_test_setup_teardown(test_quit_and_help, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reprint_key, setup, teardown),
        cmocka_unit_test_setup_teardown(test_member_discount_points_and_stars, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
