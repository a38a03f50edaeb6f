/* cashier: the sale screen's actions over the till and the sale session -- messages, scans,
 * quantities, voids, tenders, payment and what the screen shows when a commit starts, ends or
 * fails.  The input that triggers them is cashier_keys.c.  See cashier.h. */
#include "pos/app/cashier.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pos/core/money.h"
#include "pos/app/cashier_internal.h"
#include "pos/app/log.h"

#define LOG_PREFIX "cashier"

static int64_t wall_clock_utc(void)
{
    return (int64_t)time(NULL);
}

bool cashier_init(cashier *c, till *t, sale_session *session)
{
    memset(c, 0, sizeof *c);
    c->t = t;
    c->session = session;
    c->completed_doc = calloc(1, sizeof *c->completed_doc);
    c->stars = calloc(CASHIER_STARS_MAX, sizeof *c->stars);
    c->star_orgs = calloc(CASHIER_STARS_MAX, sizeof *c->star_orgs);
    if (!c->completed_doc || !c->stars || !c->star_orgs) {
        cashier_free(c);
        return false;
    }
    c->clock_utc = wall_clock_utc;
    wedge_init(&c->scanner, NULL);
    c->scale_verdict = -1;
    c->dirty = true;
    return true;
}

void cashier_free(cashier *c)
{
    free(c->completed_doc);
    free(c->stars);
    free(c->star_orgs);
    c->completed_doc = NULL;
    c->stars = NULL;
    c->star_orgs = NULL;
}

void cashier_set_message(cashier *c, view_msg_kind kind, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->message, sizeof c->message, fmt, ap);
    va_end(ap);
    c->msg_kind = kind;
    c->dirty = true;
}

void cashier_refuse(cashier *c, const char *text)
{
    cashier_set_message(c, VIEW_MSG_ERROR, "%s", text);
    c->sound = SOUND_BUZZ;
}

static void follow_session(cashier *c);

/* A change the cashier made after a failed save found that sale stored after all (its answer
 * was lost): the session is DONE with it.  Show it like any completed sale, with the session's
 * words saying why no second sale was taken. */
static void saved_after_all(cashier *c)
{
    char note[sizeof c->message];
    snprintf(note, sizeof note, "%s", till_message(c->t));
    follow_session(c);
    cashier_set_message(c, VIEW_MSG_WARN, "%s", note);
}

/* Before an action that drops a failed sale's document (a new tender, cancelling, points, the
 * member): the session asks the store whether that sale landed after all.  True when the
 * action may go ahead; otherwise the screen already shows the stored sale or the refusal. */
bool cashier_settle_failed(cashier *c)
{
    till_err err = session_drop_failed(c->session);   /* no look-up unless FAILED */
    if (err == TILL_OK) {
        return true;
    }
    cashier_refuse_till(c, err, NULL);
    return false;
}

/* The till explains its refusals in the user's language; these cover a till that left its
 * message empty. */
void cashier_refuse_till(cashier *c, till_err err, const char *code)
{
    if (err == TILL_ERR_ALREADY_SAVED) {
        saved_after_all(c);
        return;
    }
    if (till_message(c->t)[0]) {
        cashier_refuse(c, till_message(c->t));
        return;
    }
    char buf[160];
    switch (err) {
    case TILL_ERR_CODE:
        snprintf(buf, sizeof buf, "%s", T("条码无效", "Invalid barcode"));
        break;
    case TILL_ERR_UNKNOWN:
        snprintf(buf, sizeof buf, "%s: %s", T("商品不存在", "Unknown product"), code ? code : "");
        break;
    case TILL_ERR_NOT_ITEM:
        snprintf(buf, sizeof buf, "%s", T("这不是商品条码", "Not a product code"));
        break;
    case TILL_ERR_PAYMENT:
        snprintf(buf, sizeof buf, "%s", T("还不能结账", "Not payable yet"));
        break;
    case TILL_ERR_STORE:
        snprintf(buf, sizeof buf, "%s", T("数据库错误", "Database error"));
        break;
    default:
        snprintf(buf, sizeof buf, "%s", T("操作被拒绝", "Refused"));
        break;
    }
    cashier_refuse(c, buf);
}

size_t cashier_n_lines(const cashier *c)
{
    return till_basket(c->t)->n_lines;
}

void cashier_clamp_selection(cashier *c)
{
    size_t n = cashier_n_lines(c);
    if (n == 0) {
        c->selected = 0;
    } else if (c->selected >= n) {
        c->selected = n - 1;
    }
}

void cashier_clear_input(cashier *c)
{
    c->input[0] = '\0';
    c->dirty = true;
}

/* While the worker writes a sale, the basket on screen is the one being written: nothing may
 * change it, or the screen and the stored sale would disagree. */
bool cashier_refuse_if_busy(cashier *c)
{
    if (cashier_busy(c)) {
        cashier_refuse(c, T("正在保存…请稍候", "Saving… please wait"));
        return true;
    }
    return false;
}

/* Whole decimal number of 1..max digits only (quantities); false otherwise. */
bool cashier_parse_count(const char *s, int64_t *out)
{
    if (!*s || strlen(s) > 6) {
        return false;
    }
    int64_t v = 0;
    for (; *s; s++) {
        if (!isdigit((unsigned char)*s)) {
            return false;
        }
        v = v * 10 + (*s - '0');
    }
    *out = v;
    return true;
}

void cashier_remember_line(cashier *c, size_t line)
{
    const basket_line *bl = &till_basket(c->t)->lines[line];
    c->have_last_scan = true;
    snprintf(c->last_name, sizeof c->last_name, "%s", bl->item.name);
    c->last_unit_price = bl->unit_price_fen;
    c->last_amount = bl->amount_fen - bl->discount_fen;
    c->last_qty = bl->qty;
    c->last_grams = bl->grams;
    /* The line's copy of the product says whether it counts as 扶贫 today (the till stamped
     * it with the certificate's validity); the lapse itself is the till's note. */
    c->last_poverty_relief = bl->item.poverty_relief;
    c->last_cert_lapsed = till_last_cert_lapsed(c->t);
    /* One primary-key read on the UI thread's own connection: no wait on the writer (WAL). */
    till_supplier_name(c->t, bl->item.supplier_id, c->last_supplier, sizeof c->last_supplier);
}

/* After the till added (or merged into) a line: select it, show it, beep. */
void cashier_item_added(cashier *c, size_t line)
{
    const basket_line *bl = &till_basket(c->t)->lines[line];
    if (bl->item.by_weight || bl->grams > 0) {
        if (c->scale_grams > 0 && c->scale_stable) {
            c->scale_consumed = true;   /* this weight is sold: not again without a change */
            c->scale_consumed_g = c->scale_grams;
        }
        c->scale_grams = 0;        /* the goods came off the scale with this line */
    }
    c->selected = line;
    c->pending_qty = 0;
    c->have_completed = false;     /* the next shopper's first item ends the change display */
    session_begin(c->session);
    cashier_remember_line(c, line);
    /* The till's words: name, weight, amount, tare, and the lapsed-certificate notice. */
    cashier_set_message(c, c->last_cert_lapsed ? VIEW_MSG_WARN : VIEW_MSG_INFO, "%s", till_message(c->t));
    c->sound = SOUND_BEEP;
}

/* Business-day rules in the till (certificate validity) use the screen's clock. */
void cashier_sync_clock(cashier *c)
{
    till_set_now(c->t, c->clock_utc());
}


static void pay_by_code(cashier *c, const char *code);

/* The search pane's weight prompt for a weighed product with no reading on the scale. */
void cashier_ask_weight(cashier *c, const product *p)
{
    c->search_pick = *p;
    c->search_weighing = true;
    c->search_grams[0] = '\0';
    cashier_set_message(c, VIEW_MSG_INFO, T("%s：输入重量（克）后回车，或放到秤上",
                                       "%s: type the weight (g) and Enter, or use the scale"),
                        p->name);
}

/* A weighed product's PLU or code with no reading on the scale (none connected, or the goods
 * were weighed elsewhere): ask for a typed weight, in the search pane's weight prompt, rather
 * than leaving the cashier with "weigh it" and no way to.  True when the prompt opened. */
static bool ask_typed_weight(cashier *c, const char *code)
{
    product found;
    if (c->scale_grams > 0 || !till_weighed_product(c->t, code, &found))
        return false;
    c->search_open = true;
    c->search_text[0] = '\0';
    c->search_n = 0;
    cashier_clear_input(c);
    cashier_ask_weight(c, &found);
    return true;
}

/* A code, scanned or typed.  On the payment screen it can only be the customer's payment
 * code: goods the shopper still holds (or a scale label) are refused by the till, and never
 * become the tendered amount. */
void cashier_scan_item(cashier *c, const char *code)
{
    if (cashier_refuse_if_busy(c)) {
        return;
    }
    if (c->mode != MODE_ITEMS) {
        pay_by_code(c, code);
        return;
    }
    int64_t qty = c->pending_qty > 0 ? c->pending_qty : 1;
    size_t line = 0;
    code_info info;
    memset(&info, 0, sizeof info);
    cashier_sync_clock(c);
    /* The till decides what the code is with the scale's reading (a PLU, a weighed product's
     * code, counted goods); the screen only offers a typed weight when it needs one. */
    session_cmd cmd = {.kind = SESSION_CMD_SCAN, .text = code, .qty = qty,
                       .grams = c->scale_grams, .stable = c->scale_stable, .line_out = &line,
                       .info = &info};
    till_err err = session_apply(c->session, &cmd);
    if (err == TILL_ERR_BASKET && ask_typed_weight(c, code)) {
        return;
    }
    if (err != TILL_OK) {
        cashier_refuse_till(c, err, code);
        return;
    }
    cashier_item_added(c, line);
}

void cashier_set_pending_qty(cashier *c)
{
    if (cashier_refuse_if_busy(c)) {
        return;
    }
    if (c->mode != MODE_ITEMS) {
        cashier_refuse(c, T("收款中不能改数量", "Cannot change quantities during payment"));
        return;
    }
    int64_t q = 0;
    if (!cashier_parse_count(c->input, &q) || q < 1 || q > BASKET_MAX_QTY) {
        char buf[128];
        snprintf(buf, sizeof buf, T("先输入数量（1–%d），再按 *", "Type a quantity (1–%d), then *"),
                 BASKET_MAX_QTY);
        cashier_refuse(c, buf);
        cashier_clear_input(c);
        return;
    }
    c->pending_qty = q;
    cashier_clear_input(c);
    cashier_set_message(c, VIEW_MSG_INFO, T("下一件数量 ×%lld，请扫描商品", "Next item ×%lld: scan it"),
                        (long long)q);
}

/* Changing a basket line needs the item screen, no commit in flight and a line to change. */
static bool line_edit_allowed(cashier *c, const char *refused_in_payment)
{
    if (cashier_refuse_if_busy(c)) {
        return false;
    }
    if (c->mode != MODE_ITEMS) {
        cashier_refuse(c, refused_in_payment);
        return false;
    }
    if (cashier_n_lines(c) == 0) {
        cashier_refuse(c, T("购物篮是空的", "The basket is empty"));
        return false;
    }
    return true;
}

void cashier_set_line_qty(cashier *c)
{
    if (!line_edit_allowed(c, T("收款中不能改数量", "Cannot change quantities during payment"))) {
        return;
    }
    int64_t q = 0;
    if (!cashier_parse_count(c->input, &q)) {
        cashier_refuse(c, T("先输入数量，再按 F3", "Type the quantity, then F3"));
        cashier_clear_input(c);
        return;
    }
    session_cmd cmd = {.kind = SESSION_CMD_SET_QTY, .line = c->selected, .qty = q};
    till_err err = session_apply(c->session, &cmd);
    cashier_clear_input(c);
    if (err != TILL_OK) {
        cashier_refuse_till(c, err, NULL);
        return;
    }
    cashier_set_message(c, VIEW_MSG_INFO, T("%s 数量改为 %lld", "%s: quantity now %lld"),
                        till_basket(c->t)->lines[c->selected].item.name, (long long)q);
}

void cashier_void_line(cashier *c)
{
    if (!line_edit_allowed(c, T("收款中不能删除商品，先按 Esc", "Press Esc before removing items"))) {
        return;
    }
    /* A void is recorded in the sale's audit row by the till.  In a real store removing a line
     * after it was rung up needs the manager's approval (PIN); that comes with the manager
     * screens, until then the audit row is the control. */
    char name[PRODUCT_NAME_CAP];
    snprintf(name, sizeof name, "%s", till_basket(c->t)->lines[c->selected].item.name);
    session_cmd cmd = {.kind = SESSION_CMD_VOID, .line = c->selected};
    till_err err = session_apply(c->session, &cmd);
    if (err != TILL_OK) {
        cashier_refuse_till(c, err, NULL);
        return;
    }
    cashier_clamp_selection(c);
    cashier_set_message(c, VIEW_MSG_INFO, T("已删除：%s", "Removed: %s"), name);
}

/* Clear the typed tenders but keep what points pay (F8): the cash typed after it is the rest.
 * A different tender makes a failed sale's prepared document stale (the session drops it). */
static void reset_tenders_keep_points(cashier *c)
{
    session_cmd cmd = {.kind = SESSION_CMD_CLEAR_TENDERS};
    (void)session_apply(c->session, &cmd);
}

static void tender(cashier *c, tender_kind kind, fen_t fen)
{
    session_cmd cmd = {.kind = SESSION_CMD_TENDER, .tender = kind, .fen = fen};
    (void)session_apply(c->session, &cmd);
}

/* The typed amount is the cash tender: re-applied on every keystroke so the change on screen
 * is always what the till would compute, never a second calculation here. */
void cashier_apply_typed_tender(cashier *c)
{
    if (!cashier_settle_failed(c)) {
        cashier_clear_input(c);    /* the line shows what Enter retries: the failed sale */
        return;
    }
    reset_tenders_keep_points(c);
    fen_t fen = 0;
    if (c->input[0] && money_parse(c->input, &fen) == MONEY_OK && fen > 0) {
        tender(c, TENDER_CASH, fen);
    }
    c->dirty = true;
}

void cashier_start_payment(cashier *c)
{
    if (cashier_refuse_if_busy(c)) {
        return;
    }
    if (c->mode == MODE_PAY_CASH) {
        return;
    }
    if (cashier_n_lines(c) == 0) {
        cashier_refuse(c, T("购物篮是空的，请先扫描商品", "The basket is empty: scan goods first"));
        return;
    }
    session_cmd cmd = {.kind = SESSION_CMD_START_PAY};
    (void)session_apply(c->session, &cmd);
    c->mode = MODE_PAY_CASH;
    c->pending_qty = 0;
    c->pay_note[0] = '\0';
    cashier_clear_input(c);
    cashier_apply_typed_tender(c);
    cashier_set_message(c, VIEW_MSG_INFO, "%s",
                        T("收款：输入现金实收（元）回车，直接回车 = 实收等于应收；或扫顾客付款码",
                          "Pay: type the cash received (yuan) + Enter, Enter alone = exact; "
                          "or scan the customer's payment code"));
}

void cashier_cancel_payment(cashier *c)
{
    if (!cashier_settle_failed(c)) {
        return;
    }
    /* Points tendered go too: cancelling drops every tender. */
    c->mode = MODE_ITEMS;
    session_cmd cmd = {.kind = SESSION_CMD_CANCEL_PAY};
    (void)session_apply(c->session, &cmd);
    c->pay_note[0] = '\0';
    cashier_clear_input(c);
    cashier_set_message(c, VIEW_MSG_INFO, "%s", T("已取消收款", "Payment cancelled"));
}

bool cashier_busy(const cashier *c)
{
    return session_busy(c->session);
}

/* The session committed the sale: show the change and the receipt until the next scan. */
static void show_completed(cashier *c, const sale_doc *doc)
{
    fen_t tendered = 0;
    c->completed_kind = TENDER_CASH;
    for (size_t i = 0; i < doc->n_tenders; i++) {
        tendered += doc->tenders[i].amount_fen;
        /* Points are shown on their own row: the kind is how the rest was paid. */
        if (doc->tenders[i].kind != TENDER_CASH && doc->tenders[i].kind != TENDER_POINTS &&
            c->completed_kind == TENDER_CASH) {
            c->completed_kind = doc->tenders[i].kind;
        }
    }
    c->have_completed = true;
    c->completed_tendered = tendered;
    *c->completed_doc = *doc;
    c->mode = MODE_ITEMS;
    c->selected = 0;
    c->have_last_scan = false;
    cashier_clear_input(c);
    char change[MONEY_FMT_CAP];
    money_format_yuan(doc->change_fen, change, sizeof change);
    if (c->pay_note[0]) {
        cashier_set_message(c, VIEW_MSG_OK, T("交易完成  收据 %s  %s", "Sale done  receipt %s  %s"),
                            doc->receipt_no, c->pay_note);
    } else {
        cashier_set_message(c, VIEW_MSG_OK,
                            T("交易完成  收据 %s  找零 %s", "Sale done  receipt %s  change %s"),
                            doc->receipt_no, change);
    }
    c->pay_note[0] = '\0';
    c->sound = SOUND_BEEP;
}

/* The commit failed: the session keeps the exact document, so Enter retries the same uuid
 * (the store makes that idempotent: a failure reported after the data did reach the disk
 * cannot double the sale). */
static void show_failed(cashier *c)
{
    /* The cashier needs the cause; the store's details go to the log for whoever reads it. */
    const char *msg = session_error(c->session);
    const char *cause = session_error_cause(c->session);
    const char *why = cause[0] ? cause : T("未知错误", "unknown error");
    const sale_doc *doc = session_doc(c->session);
    log_err("commit of sale %s failed: %s", doc ? doc->uuid : "?", msg ? msg : "");
    char buf[256];
    snprintf(buf, sizeof buf,
             T("保存失败：%s，商品仍在，按回车重试，仍失败请联系店长",
               "Save failed: %s. The basket is kept: Enter retries; call the manager if it persists"),
             why);
    cashier_refuse(c, buf);
}

/* After the session moved (a commit started, finished or failed): what the screen shows. */
static void follow_session(cashier *c)
{
    c->dirty = true;
    switch (session_state_get(c->session)) {
    case SESSION_COMMITTING:
    case SESSION_PRINTING:
        cashier_set_message(c, VIEW_MSG_INFO, "%s", T("正在保存…", "Saving…"));
        break;
    case SESSION_DONE:
        show_completed(c, session_doc(c->session));
        break;
    case SESSION_FAILED:
        show_failed(c);
        break;
    default:
        break;
    }
}

/* The basket's tenders are complete: the session builds the document through the till and
 * commits it. */
static void prepare_and_submit(cashier *c)
{
    session_cmd cmd = {.kind = SESSION_CMD_PAY, .now_utc = c->clock_utc()};
    till_err err = session_apply(c->session, &cmd);
    session_state st = session_state_get(c->session);
    if (err != TILL_OK && st == SESSION_PAYING) {
        basket_settlement s;
        basket_settle(till_basket(c->t), till_config_get(c->t)->rounding, &s);
        if (!till_message(c->t)[0] && s.remaining_fen > 0) {
            char rem[MONEY_FMT_CAP], buf[160];
            money_format_yuan(s.remaining_fen, rem, sizeof rem);
            snprintf(buf, sizeof buf, T("实收不足，还差 %s", "Not enough: %s short"), rem);
            cashier_refuse(c, buf);
        } else {
            cashier_refuse_till(c, err, NULL);
        }
        return;
    }
    follow_session(c);
}

/* The customer's payment code, scanned on the payment screen: the till picks the tender kind
 * from the provider and pays what is left (after any cash typed so far), then the sale
 * commits like a cash one.  There is no payment gateway yet (till_pay_by_code says 模拟支付):
 * with one, this is where the screen would wait -- on a worker, never on this thread -- for
 * the provider's confirmation. */
static void pay_by_code(cashier *c, const char *code)
{
    if (cashier_refuse_if_busy(c)) {
        return;
    }
    if (session_state_get(c->session) == SESSION_FAILED) {
        cashier_refuse(c, T("上一次保存失败：按回车重试", "The last save failed: Enter retries it"));
        return;
    }
    session_cmd cmd = {.kind = SESSION_CMD_PAY_CODE, .text = code};
    till_err err = session_apply(c->session, &cmd);
    if (err != TILL_OK) {
        cashier_refuse_till(c, err, code);
        return;
    }
    snprintf(c->pay_note, sizeof c->pay_note, "%s", till_message(c->t));
    cashier_set_message(c, VIEW_MSG_INFO, "%s", c->pay_note);
    prepare_and_submit(c);
}

void cashier_pay_enter(cashier *c)
{
    if (cashier_refuse_if_busy(c)) {
        return;
    }
    if (session_state_get(c->session) == SESSION_FAILED) {
        session_cmd cmd = {.kind = SESSION_CMD_RETRY};
        (void)session_apply(c->session, &cmd);
        follow_session(c);
        return;
    }
    basket_settlement s;
    if (!c->input[0]) {
        /* Enter alone: the shopper handed over exactly what is due (after 抹零), or what is
         * left after the points. */
        reset_tenders_keep_points(c);
        basket_settle(till_basket(c->t), till_config_get(c->t)->rounding, &s);
        fen_t rest = till_basket(c->t)->n_tenders ? s.remaining_fen : s.due_fen;
        if (rest > 0) {
            tender(c, TENDER_CASH, rest);
        }
    } else {
        fen_t fen = 0;
        if (money_parse(c->input, &fen) != MONEY_OK || fen <= 0) {
            char buf[160];
            snprintf(buf, sizeof buf, T("金额格式不对：%s", "Not an amount: %s"), c->input);
            cashier_refuse(c, buf);
            return;
        }
        cashier_apply_typed_tender(c);
    }
    prepare_and_submit(c);
}

void cashier_reprint(cashier *c)
{
    if (!c->printer) {
        cashier_refuse(c, T("没有连接小票打印机", "No receipt printer"));
        return;
    }
    char msg[256];
    print_err e = printing_reprint_last(c->printer, msg, sizeof msg);
    if (e == PRINT_OK)
        cashier_set_message(c, VIEW_MSG_INFO, "%s", msg);
    else
        cashier_refuse(c, msg);
}

void cashier_on_event(cashier *c, const evq_event *ev)
{
    char say[256];
    bool warn = false;
    if (c->printer && printing_on_event(c->printer, ev, say, sizeof say, &warn)) {
        /* The chip follows the queue on every frame; the message line only on news. */
        if (say[0])
            cashier_set_message(c, warn ? VIEW_MSG_WARN : VIEW_MSG_OK, "%s", say);
        c->dirty = true;
        return;
    }
    switch (ev->kind) {
    case EVQ_SCALE_READING:
        /* a scale's reading, from its device thread: flag = ready, status = the verdict */
        cashier_scale_verdict(c, ev->value, ev->flag, ev->status);
        return;
    case EVQ_SCAN:
        /* a claimed scanner's code: exactly what a wedge burst's Enter does */
        cashier_scanned(c, ev->text, ev->flag);
        c->dirty = true;
        return;
    case EVQ_DEVICE_STATE:
        cashier_device_state(c, (int)ev->value, ev->status);
        return;
    case EVQ_SCALE_COMMAND:
        cashier_scale_command_done(c, (int)ev->value, ev->status, ev->text);
        return;
    default:
        break;
    }
    if (session_on_event(c->session, ev)) {
        follow_session(c);
    }
}

