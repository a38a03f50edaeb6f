/* cashier: sale-screen state machine over the till.  See cashier.h. */
#include "ui/cashier.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pos/core/money.h"
#include "ui/i18n.h"

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

void cashier_set_message(cashier *c, msg_kind kind, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->message, sizeof c->message, fmt, ap);
    va_end(ap);
    c->msg_kind = kind;
    c->dirty = true;
}

static void refuse(cashier *c, const char *text)
{
    cashier_set_message(c, MSG_ERROR, "%s", text);
    c->sound = SOUND_BUZZ;
}

/* The till explains its refusals in the user's language; these cover a till that left its
 * message empty. */
static void refuse_till(cashier *c, till_err err, const char *code)
{
    if (c->t->message[0]) {
        refuse(c, c->t->message);
        return;
    }
    char buf[160];
    switch (err) {
    case TILL_ERR_CODE:
        snprintf(buf, sizeof buf, "%s", L("条码无效", "Invalid barcode"));
        break;
    case TILL_ERR_UNKNOWN:
        snprintf(buf, sizeof buf, "%s: %s", L("商品不存在", "Unknown product"), code ? code : "");
        break;
    case TILL_ERR_NOT_ITEM:
        snprintf(buf, sizeof buf, "%s", L("这不是商品条码", "Not a product code"));
        break;
    case TILL_ERR_PAYMENT:
        snprintf(buf, sizeof buf, "%s", L("还不能结账", "Not payable yet"));
        break;
    case TILL_ERR_STORE:
        snprintf(buf, sizeof buf, "%s", L("数据库错误", "Database error"));
        break;
    default:
        snprintf(buf, sizeof buf, "%s", L("操作被拒绝", "Refused"));
        break;
    }
    refuse(c, buf);
}

static size_t n_lines(const cashier *c)
{
    return c->t->cart.n_lines;
}

static void clamp_selection(cashier *c)
{
    size_t n = n_lines(c);
    if (n == 0) {
        c->selected = 0;
    } else if (c->selected >= n) {
        c->selected = n - 1;
    }
}

static void clear_input(cashier *c)
{
    c->input[0] = '\0';
    c->dirty = true;
}

/* While the worker writes a sale, the basket on screen is the one being written: nothing may
 * change it, or the screen and the stored sale would disagree. */
static bool refuse_if_busy(cashier *c)
{
    if (cashier_busy(c)) {
        refuse(c, L("正在保存…请稍候", "Saving… please wait"));
        return true;
    }
    return false;
}

/* Whole decimal number of 1..max digits only (quantities); false otherwise. */
static bool parse_count(const char *s, int64_t *out)
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

static void remember_line(cashier *c, size_t line)
{
    const basket_line *bl = &c->t->cart.lines[line];
    c->have_last_scan = true;
    snprintf(c->last_name, sizeof c->last_name, "%s", bl->item.name);
    c->last_unit_price = bl->unit_price_fen;
    c->last_amount = bl->amount_fen - bl->discount_fen;
    c->last_qty = bl->qty;
    c->last_grams = bl->grams;
    c->last_by_weight = bl->item.by_weight;
    /* The line's copy of the product says whether it counts as 扶贫 today (the till stamped
     * it with the certificate's validity); the lapse itself is the till's note. */
    c->last_poverty_relief = bl->item.poverty_relief;
    c->last_cert_lapsed = c->t->last_cert_lapsed;
    /* One primary-key read on the UI thread's own connection: no wait on the writer (WAL). */
    till_supplier_name(c->t, bl->item.supplier_id, c->last_supplier, sizeof c->last_supplier);
}

/* After the till added (or merged into) a line: select it, show it, beep. */
static void item_added(cashier *c, size_t line)
{
    const basket_line *bl = &c->t->cart.lines[line];
    if (bl->item.by_weight || bl->grams > 0) {
        c->scale_grams = 0;        /* the goods came off the scale with this line */
    }
    c->selected = line;
    c->pending_qty = 0;
    c->have_completed = false;     /* the next shopper's first item ends the change display */
    session_begin(c->session);
    remember_line(c, line);
    /* The till's words: name, weight, amount, tare, and the lapsed-certificate notice. */
    cashier_set_message(c, c->last_cert_lapsed ? MSG_WARN : MSG_INFO, "%s", c->t->message);
    c->sound = SOUND_BEEP;
}

/* Business-day rules in the till (certificate validity) use the screen's clock. */
static void sync_clock(cashier *c)
{
    c->t->at_utc = c->clock_utc();
}

static void pay_by_code(cashier *c, const char *code);

/* The search pane's weight prompt for a weighed product with no reading on the scale. */
static void ask_weight(cashier *c, const product *p)
{
    c->search_pick = *p;
    c->search_weighing = true;
    c->search_grams[0] = '\0';
    cashier_set_message(c, MSG_INFO, L("%s：输入重量（克）后回车，或放到秤上",
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
    clear_input(c);
    ask_weight(c, &found);
    return true;
}

/* A code, scanned or typed.  On the payment screen it can only be the customer's payment
 * code: goods the shopper still holds (or a scale label) are refused by the till, and never
 * become the tendered amount. */
static void scan_item(cashier *c, const char *code)
{
    if (refuse_if_busy(c)) {
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
    c->t->message[0] = '\0';
    sync_clock(c);
    /* The till decides what the code is with the scale's reading (a PLU, a weighed product's
     * code, counted goods); the screen only offers a typed weight when it needs one. */
    till_err err = till_scan_at_scale(c->t, code, qty, c->scale_grams, c->scale_stable, &line,
                                      &info);
    if (err == TILL_ERR_BASKET && ask_typed_weight(c, code)) {
        return;
    }
    if (err != TILL_OK) {
        refuse_till(c, err, code);
        return;
    }
    item_added(c, line);
}

static void set_pending_qty(cashier *c)
{
    if (refuse_if_busy(c)) {
        return;
    }
    if (c->mode != MODE_ITEMS) {
        refuse(c, L("收款中不能改数量", "Cannot change quantities during payment"));
        return;
    }
    int64_t q = 0;
    if (!parse_count(c->input, &q) || q < 1 || q > BASKET_MAX_QTY) {
        char buf[128];
        snprintf(buf, sizeof buf, L("先输入数量（1–%d），再按 *", "Type a quantity (1–%d), then *"),
                 BASKET_MAX_QTY);
        refuse(c, buf);
        clear_input(c);
        return;
    }
    c->pending_qty = q;
    clear_input(c);
    cashier_set_message(c, MSG_INFO, L("下一件数量 ×%lld，请扫描商品", "Next item ×%lld: scan it"),
                        (long long)q);
}

/* Changing a basket line needs the item screen, no commit in flight and a line to change. */
static bool line_edit_allowed(cashier *c, const char *refused_in_payment)
{
    if (refuse_if_busy(c)) {
        return false;
    }
    if (c->mode != MODE_ITEMS) {
        refuse(c, refused_in_payment);
        return false;
    }
    if (n_lines(c) == 0) {
        refuse(c, L("购物篮是空的", "The basket is empty"));
        return false;
    }
    return true;
}

static void set_line_qty(cashier *c)
{
    if (!line_edit_allowed(c, L("收款中不能改数量", "Cannot change quantities during payment"))) {
        return;
    }
    int64_t q = 0;
    if (!parse_count(c->input, &q)) {
        refuse(c, L("先输入数量，再按 F3", "Type the quantity, then F3"));
        clear_input(c);
        return;
    }
    c->t->message[0] = '\0';
    till_err err = till_set_qty(c->t, c->selected, q);
    clear_input(c);
    if (err != TILL_OK) {
        refuse_till(c, err, NULL);
        return;
    }
    cashier_set_message(c, MSG_INFO, L("%s 数量改为 %lld", "%s: quantity now %lld"),
                        c->t->cart.lines[c->selected].item.name, (long long)q);
}

static void void_line(cashier *c)
{
    if (!line_edit_allowed(c, L("收款中不能删除商品，先按 Esc", "Press Esc before removing items"))) {
        return;
    }
    /* A void is recorded in the sale's audit row by the till.  In a real store removing a line
     * after it was rung up needs the manager's approval (PIN); that comes with the manager
     * screens, until then the audit row is the control. */
    char name[PRODUCT_NAME_CAP];
    snprintf(name, sizeof name, "%s", c->t->cart.lines[c->selected].item.name);
    c->t->message[0] = '\0';
    till_err err = till_void(c->t, c->selected);
    if (err != TILL_OK) {
        refuse_till(c, err, NULL);
        return;
    }
    clamp_selection(c);
    cashier_set_message(c, MSG_INFO, L("已删除：%s", "Removed: %s"), name);
}

/* Clear the typed tenders but keep what points pay (F8): the cash typed after it is the rest. */
static void reset_tenders_keep_points(cashier *c)
{
    fen_t pts = till_points_paid(c->t);
    basket_clear_tenders(&c->t->cart);
    if (pts > 0) {
        char keep[sizeof c->t->message];
        snprintf(keep, sizeof keep, "%s", c->t->message);
        (void)till_tender(c->t, TENDER_POINTS, pts);
        snprintf(c->t->message, sizeof c->t->message, "%s", keep);
    }
}

/* The typed amount is the cash tender: re-applied on every keystroke so the change on screen
 * is always what the till would compute, never a second calculation here. */
static void apply_typed_tender(cashier *c)
{
    reset_tenders_keep_points(c);
    session_drop_failed(c->session);   /* a different tender: the prepared document is stale */
    fen_t fen = 0;
    if (c->input[0] && money_parse(c->input, &fen) == MONEY_OK && fen > 0) {
        (void)till_tender(c->t, TENDER_CASH, fen);
    }
    c->dirty = true;
}

static void start_payment(cashier *c)
{
    if (refuse_if_busy(c)) {
        return;
    }
    if (c->mode == MODE_PAY_CASH) {
        return;
    }
    if (n_lines(c) == 0) {
        refuse(c, L("购物篮是空的，请先扫描商品", "The basket is empty: scan goods first"));
        return;
    }
    (void)session_start_pay(c->session);
    c->mode = MODE_PAY_CASH;
    c->pending_qty = 0;
    c->pay_note[0] = '\0';
    clear_input(c);
    apply_typed_tender(c);
    cashier_set_message(c, MSG_INFO, "%s",
                        L("收款：输入现金实收（元）回车，直接回车 = 实收等于应收；或扫顾客付款码",
                          "Pay: type the cash received (yuan) + Enter, Enter alone = exact; "
                          "or scan the customer's payment code"));
}

static void cancel_payment(cashier *c)
{
    /* Points tendered go too: basket_clear_tenders below drops every tender. */
    c->mode = MODE_ITEMS;
    session_cancel_pay(c->session);
    basket_clear_tenders(&c->t->cart);
    c->pay_note[0] = '\0';
    clear_input(c);
    cashier_set_message(c, MSG_INFO, "%s", L("已取消收款", "Payment cancelled"));
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
    snprintf(c->completed_receipt, sizeof c->completed_receipt, "%s", doc->receipt_no);
    c->completed_due = doc->due_fen;
    c->completed_tendered = tendered;
    c->completed_change = doc->change_fen;
    c->completed_rounding = doc->rounding_fen;
    *c->completed_doc = *doc;
    snprintf(c->completed_member, sizeof c->completed_member, "%s",
             session_done_member(c->session));
    c->completed_balance = session_done_balance(c->session);
    c->mode = MODE_ITEMS;
    c->selected = 0;
    c->scroll = 0;
    c->have_last_scan = false;
    clear_input(c);
    char change[MONEY_FMT_CAP];
    money_format_yuan(doc->change_fen, change, sizeof change);
    if (c->pay_note[0]) {
        cashier_set_message(c, MSG_OK, L("交易完成  收据 %s  %s", "Sale done  receipt %s  %s"),
                            doc->receipt_no, c->pay_note);
    } else {
        cashier_set_message(c, MSG_OK,
                            L("交易完成  收据 %s  找零 %s", "Sale done  receipt %s  change %s"),
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
    /* The till says "<cause in the user's language>: <SQLite's words>".  The cashier needs the
     * cause; the details go to stderr for whoever reads the log. */
    const char *msg = session_error(c->session);
    char why[160];
    snprintf(why, sizeof why, "%s", msg && *msg ? msg : L("未知错误", "unknown error"));
    char *detail = strstr(why, ": ");
    if (detail) {
        *detail = '\0';
    }
    const sale_doc *doc = session_doc(c->session);
    fprintf(stderr, "fupin-pos: commit of sale %s failed: %s\n", doc ? doc->uuid : "?",
            msg ? msg : "");
    char buf[256];
    snprintf(buf, sizeof buf,
             L("保存失败：%s，商品仍在，按回车重试，仍失败请联系店长",
               "Save failed: %s. The basket is kept: Enter retries; call the manager if it persists"),
             why);
    refuse(c, buf);
}

/* After the session moved (a commit started, finished or failed): what the screen shows. */
static void follow_session(cashier *c)
{
    c->dirty = true;
    switch (session_state_get(c->session)) {
    case SESSION_COMMITTING:
    case SESSION_PRINTING:
        cashier_set_message(c, MSG_INFO, "%s", L("正在保存…", "Saving…"));
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
    c->t->message[0] = '\0';
    till_err err = session_pay(c->session, c->clock_utc(), NULL);
    session_state st = session_state_get(c->session);
    if (err != TILL_OK && st == SESSION_PAYING) {
        basket_settlement s;
        basket_settle(&c->t->cart, c->t->config.rounding, &s);
        if (!c->t->message[0] && s.remaining_fen > 0) {
            char rem[MONEY_FMT_CAP], buf[160];
            money_format_yuan(s.remaining_fen, rem, sizeof rem);
            snprintf(buf, sizeof buf, L("实收不足，还差 %s", "Not enough: %s short"), rem);
            refuse(c, buf);
        } else {
            refuse_till(c, err, NULL);
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
    if (refuse_if_busy(c)) {
        return;
    }
    if (session_state_get(c->session) == SESSION_FAILED) {
        refuse(c, L("上一次保存失败：按回车重试", "The last save failed: Enter retries it"));
        return;
    }
    c->t->message[0] = '\0';
    till_err err = till_pay_by_code(c->t, code, NULL);
    if (err != TILL_OK) {
        refuse_till(c, err, code);
        return;
    }
    snprintf(c->pay_note, sizeof c->pay_note, "%s", c->t->message);
    cashier_set_message(c, MSG_INFO, "%s", c->pay_note);
    prepare_and_submit(c);
}

static void pay_enter(cashier *c)
{
    if (refuse_if_busy(c)) {
        return;
    }
    if (session_state_get(c->session) == SESSION_FAILED) {
        (void)session_retry(c->session);
        follow_session(c);
        return;
    }
    basket_settlement s;
    if (!c->input[0]) {
        /* Enter alone: the shopper handed over exactly what is due (after 抹零), or what is
         * left after the points. */
        reset_tenders_keep_points(c);
        basket_settle(&c->t->cart, c->t->config.rounding, &s);
        fen_t rest = c->t->cart.n_tenders ? s.remaining_fen : s.due_fen;
        if (rest > 0) {
            (void)till_tender(c->t, TENDER_CASH, rest);
        }
    } else {
        fen_t fen = 0;
        if (money_parse(c->input, &fen) != MONEY_OK || fen <= 0) {
            char buf[160];
            snprintf(buf, sizeof buf, L("金额格式不对：%s", "Not an amount: %s"), c->input);
            refuse(c, buf);
            return;
        }
        apply_typed_tender(c);
    }
    prepare_and_submit(c);
}

void cashier_on_event(cashier *c, const evq_event *ev)
{
    if (session_on_event(c->session, ev)) {
        follow_session(c);
    }
}

/* ---- the product search pane (F2) ---- */

static void search_close(cashier *c)
{
    c->search_open = false;
    c->search_weighing = false;
    c->search_text[0] = '\0';
    c->search_grams[0] = '\0';
    c->search_n = c->search_sel = 0;
    c->dirty = true;
}

/* Filter on every keystroke.  store_search_products is an indexed, bounded query (it stops at
 * CASHIER_SEARCH_MAX rows), so it stays well inside a frame even over 50,000 products; see
 * bench/REPORT.md for the measured figure. */
static void search_run(cashier *c)
{
    c->search_n = 0;
    c->search_sel = 0;
    c->dirty = true;
    if (!c->search_text[0]) {
        cashier_set_message(c, MSG_INFO, "%s",
                            L("输入品名、拼音首字母（如 hts）、条码或 PLU",
                              "Type a name, pinyin initials (e.g. hts), a code or a PLU"));
        return;
    }
    c->t->message[0] = '\0';
    size_t n = 0;
    if (till_search(c->t, c->search_text, c->search_results, CASHIER_SEARCH_MAX, &n) !=
        TILL_OK) {
        refuse_till(c, TILL_ERR_STORE, NULL);
        return;
    }
    c->search_n = n;
    char day[11];
    sync_clock(c);
    till_business_day(c->t, day);
    for (size_t i = 0; i < n; i++) {
        c->search_relief_today[i] = product_poverty_relief_on(&c->search_results[i], day);
    }
    if (n == 0) {
        cashier_set_message(c, MSG_ERROR, L("没有找到：%s", "Nothing found: %s"), c->search_text);
    } else {
        cashier_set_message(c, MSG_INFO, L("找到 %zu 个商品：↑↓ 选择，回车加入", "%zu found: Up/Down, Enter adds"),
                            n);
    }
}

static void search_open(cashier *c)
{
    if (refuse_if_busy(c)) {
        return;
    }
    if (c->mode != MODE_ITEMS) {
        refuse(c, L("收款中不能搜索商品，先按 Esc", "Press Esc before searching for goods"));
        return;
    }
    search_close(c);
    c->search_open = true;
    clear_input(c);
    wedge_reset(&c->scanner);
    search_run(c);
}

/* Add the chosen product through the till: counted goods with the pending quantity, weighed
 * goods with the typed weight or the scale's reading. */
static void search_add(cashier *c, const product *p, int64_t gross_g, bool stable)
{
    size_t line = 0;
    c->t->message[0] = '\0';
    sync_clock(c);
    int64_t qty = c->pending_qty > 0 ? c->pending_qty : 1;
    till_err err = till_add_sku(c->t, p->sku, qty, gross_g, stable, &line);
    if (err != TILL_OK) {
        refuse_till(c, err, p->sku);
        return;
    }
    search_close(c);
    item_added(c, line);
}

static void search_enter(cashier *c)
{
    if (refuse_if_busy(c)) {
        return;
    }
    if (c->search_weighing) {
        int64_t g = 0;
        if (!parse_count(c->search_grams, &g) || g < 1) {
            refuse(c, L("请输入重量（克），再按回车", "Type the weight in grams, then Enter"));
            return;
        }
        search_add(c, &c->search_pick, g, true);
        return;
    }
    if (c->search_n == 0) {
        refuse(c, c->search_text[0] ? L("没有找到商品", "Nothing found")
                                    : L("请输入要找的商品", "Type what to look for"));
        return;
    }
    const product *p = &c->search_results[c->search_sel < c->search_n ? c->search_sel : 0];
    if (!p->by_weight) {
        search_add(c, p, 0, true);
    } else if (c->scale_grams > 0) {
        search_add(c, p, c->scale_grams, c->scale_stable);
    } else {
        /* No reading: the cashier weighs elsewhere (or the scale is offline) and types it. */
        ask_weight(c, p);
    }
}

/* ---- typed text ---- */

/* The line that typed characters go to: the weight or the query of the search pane, or the
 * code / amount line. */
static char *active_field(cashier *c, size_t *cap)
{
    if (c->member_entry) {
        *cap = sizeof c->member_input;
        return c->member_input;
    }
    if (c->search_open && c->search_weighing) {
        *cap = sizeof c->search_grams;
        return c->search_grams;
    }
    if (c->search_open) {
        *cap = sizeof c->search_text;
        return c->search_text;
    }
    *cap = sizeof c->input;
    return c->input;
}

static bool allowed_char(const cashier *c, char ch)
{
    if (c->member_entry) {
        return isalnum((unsigned char)ch) || ch == '-' || ch == '_';
    }
    if (c->search_open) {
        return c->search_weighing ? isdigit((unsigned char)ch) != 0 : isprint((unsigned char)ch) != 0;
    }
    if (c->mode == MODE_PAY_CASH) {
        return isdigit((unsigned char)ch) || ch == '.';
    }
    return isalnum((unsigned char)ch) || ch == '.' || ch == '-';
}

static void append_bytes(cashier *c, const char *bytes, size_t len)
{
    size_t cap;
    char *f = active_field(c, &cap);
    size_t n = strlen(f);
    if (n + len < cap) {            /* whole characters only: never a cut UTF-8 sequence */
        memcpy(f + n, bytes, len);
        f[n + len] = '\0';
        c->dirty = true;
    }
}

/* Remove the last character (a whole UTF-8 sequence) of the active field. */
static void backspace(cashier *c)
{
    size_t cap;
    char *f = active_field(c, &cap);
    size_t n = strlen(f);
    while (n > 0 && ((unsigned char)f[n - 1] & 0xC0) == 0x80) {
        n--;
    }
    if (n > 0) {
        n--;
    }
    f[n] = '\0';
    c->dirty = true;
}

void cashier_text(cashier *c, const char *utf8, uint32_t t_ms)
{
    if (c->stars_open) {
        return;   /* the board covers the sale: typing or a scan behind it does nothing */
    }
    char suppress = c->suppress_text;
    c->suppress_text = 0;
    bool searched_text_changed = false;
    for (const char *p = utf8; *p; p++) {
        char ch = *p;
        if (suppress && ch == suppress && p == utf8) {
            continue;   /* the text event of a keypad key already acted on in cashier_key */
        }
        if ((unsigned char)ch >= 0x80) {
            /* IME text (a Chinese name typed into the search pane).  Codes and amounts are
             * ASCII, so elsewhere it is dropped.  Never part of a scanner burst. */
            size_t run = 1;
            while (((unsigned char)p[run]) >= 0x80) {
                run++;
            }
            wedge_reset(&c->scanner);
            if (c->search_open && !c->search_weighing && !cashier_busy(c)) {
                append_bytes(c, p, run);
                searched_text_changed = true;
            }
            p += run - 1;
            continue;
        }
        if (!c->search_open && !c->member_entry && ch == '*') {
            wedge_reset(&c->scanner);
            set_pending_qty(c);
            continue;
        }
        if (!c->search_open && !c->member_entry && ch == '+') {
            wedge_reset(&c->scanner);
            start_payment(c);
            continue;
        }
        if (!isprint((unsigned char)ch)) {
            continue;
        }
        size_t cap;
        const char *field = active_field(c, &cap);
        if (wedge_run_length(&c->scanner) == 0 ||
            (uint32_t)(t_ms - c->scanner.last_ms) > c->scanner.cfg.max_gap_ms) {
            c->input_len_at_run = strlen(field);   /* this char may start a scanner burst */
        }
        wedge_feed_char(&c->scanner, ch, t_ms);
        if (cashier_busy(c)) {
            continue;   /* nothing is typed while saving; a scan burst is refused at Enter */
        }
        if (allowed_char(c, ch)) {
            append_bytes(c, &ch, 1);
            if (c->search_open && !c->search_weighing) {
                searched_text_changed = true;
            } else if (!c->search_open && !c->member_entry && c->mode == MODE_PAY_CASH) {
                apply_typed_tender(c);
            }
        }
    }
    if (searched_text_changed) {
        search_run(c);
    }
}

/* ---- member (F5), points (F8), star board (F9) ---- */

static void member_open(cashier *c)
{
    if (refuse_if_busy(c)) {
        return;
    }
    if (c->mode != MODE_ITEMS) {
        refuse(c, L("收款中不能更换会员，先按 Esc", "Press Esc before changing the member"));
        return;
    }
    c->member_entry = true;
    c->member_input[0] = '\0';
    wedge_reset(&c->scanner);
    cashier_set_message(c, MSG_INFO, "%s",
                        c->t->has_member
                            ? L("会员：输入卡号或手机号回车更换；不输入按 Esc 取消会员",
                                "Member: type a card or phone + Enter to change; Esc on empty removes")
                            : L("会员：刷卡或输入卡号 / 手机号，回车", "Member: scan the card or type card / phone, Enter"));
}

static void member_enter(cashier *c)
{
    if (refuse_if_busy(c)) {
        return;
    }
    if (!c->member_input[0]) {
        refuse(c, L("请输入会员卡号或手机号", "Type the card number or phone"));
        return;
    }
    c->t->message[0] = '\0';
    till_err err = till_set_member(c->t, c->member_input);
    if (err != TILL_OK) {
        refuse_till(c, err, c->member_input);
        c->member_input[0] = '\0';
        return;
    }
    c->member_entry = false;
    c->member_input[0] = '\0';
    if (c->have_last_scan && n_lines(c) > 0) {
        remember_line(c, c->selected);   /* members-only prices may have changed it */
    }
    cashier_set_message(c, MSG_OK, "%s", c->t->message);
    c->sound = SOUND_BEEP;
}

static void member_escape(cashier *c)
{
    if (!c->member_input[0] && c->t->has_member && !cashier_busy(c)) {
        c->t->message[0] = '\0';
        (void)till_set_member(c->t, NULL);
        c->member_entry = false;
        cashier_set_message(c, MSG_INFO, "%s", c->t->message);
        return;
    }
    c->member_entry = false;
    c->member_input[0] = '\0';
    cashier_set_message(c, MSG_INFO, "%s", L("已关闭会员输入", "Member entry closed"));
}

static void pay_points(cashier *c)
{
    if (refuse_if_busy(c)) {
        return;
    }
    if (c->mode != MODE_PAY_CASH) {
        refuse(c, L("先按 F12 收款，再按 F8 用积分", "Press F12 to pay first, then F8 for points"));
        return;
    }
    if (till_points_paid(c->t) > 0) {
        refuse(c, L("本单已用积分抵现", "Points already pay part of this sale"));
        return;
    }
    /* Points first, then the cash typed so far on top: drop the cash, add points, re-add. */
    basket_clear_tenders(&c->t->cart);
    session_drop_failed(c->session);
    c->t->message[0] = '\0';
    till_err err = till_pay_points(c->t, -1);
    char said[sizeof c->t->message];
    snprintf(said, sizeof said, "%s", c->t->message);
    apply_typed_tender(c);
    if (err != TILL_OK) {
        snprintf(c->t->message, sizeof c->t->message, "%s", said);
        refuse_till(c, err, NULL);
        return;
    }
    cashier_set_message(c, MSG_OK, "%s", said);
    c->sound = SOUND_BEEP;
}

static void stars_close(cashier *c)
{
    c->stars_open = false;
    c->dirty = true;
}

static void stars_open(cashier *c)
{
    if (c->mode != MODE_ITEMS) {
        refuse(c, L("收款中不能查看，先按 Esc", "Press Esc first"));
        return;
    }
    sync_clock(c);
    till_current_month(c->t, c->stars_month);
    c->t->message[0] = '\0';
    if (till_stars(c->t, c->stars_month, MEMBER_PERSON, c->stars, CASHIER_STARS_MAX,
                   &c->stars_n) != TILL_OK ||
        till_stars(c->t, c->stars_month, MEMBER_ORGANISATION, c->star_orgs, CASHIER_STARS_MAX,
                   &c->star_orgs_n) != TILL_OK) {
        c->stars_n = c->star_orgs_n = 0;
        refuse_till(c, TILL_ERR_STORE, NULL);
        return;
    }
    c->stars_open = true;
    cashier_set_message(c, MSG_INFO, L("%s 扶贫消费明星榜：Esc 或 F9 关闭", "%s consumption stars: Esc or F9 closes"),
                        c->stars_month);
}

static void on_enter(cashier *c, uint32_t t_ms)
{
    char code[WEDGE_MAX_CODE + 1];
    size_t burst = 0;
    wedge_verdict v = wedge_feed_enter(&c->scanner, t_ms, code, sizeof code, &burst);
    if (v != WEDGE_TYPED) {
        /* Take the burst back out of the field it landed in: it was typed by the scanner, not
         * the cashier, and must not stay there as part of an amount or a query. */
        size_t cap;
        char *field = active_field(c, &cap);
        if (c->input_len_at_run <= strlen(field)) {
            field[c->input_len_at_run] = '\0';
        }
        if (c->member_entry) {
            /* A member card scanned into the member field: that is the member. */
            snprintf(c->member_input, sizeof c->member_input, "%.31s", code);
            member_enter(c);
            return;
        }
        if (c->search_open) {
            search_close(c);   /* scanning the goods is quicker than finding them */
        } else if (c->mode == MODE_PAY_CASH) {
            apply_typed_tender(c);
        }
        if (v == WEDGE_OVERFLOW) {
            refuse(c, L("扫码内容过长，已忽略", "Scanned data too long: ignored"));
            return;
        }
        scan_item(c, code);
        return;
    }
    if (c->member_entry) {
        member_enter(c);
        return;
    }
    if (c->search_open) {
        search_enter(c);
        return;
    }
    if (c->mode == MODE_PAY_CASH) {
        pay_enter(c);
        return;
    }
    if (refuse_if_busy(c)) {
        return;
    }
    if (!c->input[0]) {
        if (n_lines(c) > 0) {
            cashier_set_message(c, MSG_INFO, "%s",
                                L("继续扫描商品，或按 F12 收款", "Scan more goods, or F12 to pay"));
        } else {
            cashier_set_message(c, MSG_INFO, "%s", L("请扫描商品条码", "Scan a barcode"));
        }
        return;
    }
    char typed[CASHIER_INPUT_CAP];
    snprintf(typed, sizeof typed, "%s", c->input);
    clear_input(c);
    scan_item(c, typed);
}

/* Keys while the search pane is open: it owns Up/Down, Enter, Backspace and Esc; the rest of
 * the sale keys wait until it is closed (F2 or Esc). */
static void search_key(cashier *c, SDL_Keycode key, uint32_t t_ms)
{
    switch (key) {
    case SDLK_RETURN:
    case SDLK_KP_ENTER:
    case SDLK_RETURN2:
        on_enter(c, t_ms);
        break;
    case SDLK_ESCAPE:
        if (c->search_weighing && c->search_text[0]) {
            /* back to the list the product was picked from */
            c->search_weighing = false;
            c->search_grams[0] = '\0';
            search_run(c);
        } else {
            search_close(c);
            cashier_set_message(c, MSG_INFO, "%s", L("已关闭搜索", "Search closed"));
        }
        break;
    case SDLK_F2:
        search_close(c);
        c->message[0] = '\0';
        break;
    case SDLK_BACKSPACE:
        backspace(c);
        if (!c->search_weighing) {
            search_run(c);
        }
        break;
    case SDLK_UP:
        if (!c->search_weighing && c->search_sel > 0) {
            c->search_sel--;
        }
        break;
    case SDLK_DOWN:
        if (!c->search_weighing && c->search_sel + 1 < c->search_n) {
            c->search_sel++;
        }
        break;
    case SDLK_KP_MULTIPLY:
    case SDLK_KP_PLUS:
        c->suppress_text = key == SDLK_KP_PLUS ? '+' : '*';   /* not part of a query */
        break;
    default:
        break;
    }
}

void cashier_key(cashier *c, SDL_Keycode key, uint16_t mod, uint32_t t_ms)
{
    c->suppress_text = 0;
    c->dirty = true;
    if (key == SDLK_q && (mod & KMOD_CTRL)) {
        /* Quitting the till: a real store puts this behind the manager's PIN (and refuses it
         * with a sale open); for now Ctrl+Q is the only way out of fullscreen. */
        c->quit = true;
        return;
    }
    if (c->show_help && (key == SDLK_ESCAPE || key == SDLK_F1)) {
        c->show_help = false;
        return;
    }
    if (key == SDLK_F1) {
        c->show_help = true;
        return;
    }
    if (c->stars_open) {
        if (key == SDLK_ESCAPE || key == SDLK_F9) {
            stars_close(c);
            cashier_set_message(c, MSG_INFO, "%s", L("已关闭明星榜", "Star board closed"));
        }
        return;   /* the board covers the sale: no sale keys behind it */
    }
    if (c->member_entry) {
        switch (key) {
        case SDLK_RETURN:
        case SDLK_KP_ENTER:
        case SDLK_RETURN2:
            on_enter(c, t_ms);
            break;
        case SDLK_ESCAPE:
        case SDLK_F5:
            member_escape(c);
            break;
        case SDLK_BACKSPACE:
            backspace(c);
            break;
        default:
            break;
        }
        return;
    }
    if (c->search_open) {
        search_key(c, key, t_ms);
        return;
    }
    switch (key) {
    case SDLK_F5:
        member_open(c);
        break;
    case SDLK_F8:
        pay_points(c);
        break;
    case SDLK_F9:
        stars_open(c);
        break;
    case SDLK_F2:
        search_open(c);
        break;
    case SDLK_RETURN:
    case SDLK_KP_ENTER:
    case SDLK_RETURN2:
        on_enter(c, t_ms);
        break;
    case SDLK_ESCAPE:
        if (cashier_busy(c)) {
            refuse_if_busy(c);
        } else if (c->mode == MODE_PAY_CASH && !c->input[0]) {
            cancel_payment(c);
        } else {
            clear_input(c);
            c->pending_qty = 0;
            if (c->mode == MODE_PAY_CASH) {
                apply_typed_tender(c);
                cashier_set_message(c, MSG_INFO, "%s",
                                    L("请输入实收金额；再按 Esc 取消收款",
                                      "Type the amount received; Esc again cancels the payment"));
            } else {
                c->message[0] = '\0';
            }
        }
        break;
    case SDLK_BACKSPACE:
        if (c->input[0] && !cashier_busy(c)) {
            backspace(c);
            if (c->mode == MODE_PAY_CASH) {
                apply_typed_tender(c);
            }
        }
        break;
    case SDLK_UP:
        if (c->selected > 0) {
            c->selected--;
        }
        break;
    case SDLK_DOWN:
        if (c->selected + 1 < n_lines(c)) {
            c->selected++;
        }
        break;
    case SDLK_PAGEUP:
        c->selected = c->selected > 10 ? c->selected - 10 : 0;
        break;
    case SDLK_PAGEDOWN:
        c->selected += 10;
        clamp_selection(c);
        break;
    case SDLK_DELETE:
    case SDLK_F4:
        void_line(c);
        break;
    case SDLK_F3:
        set_line_qty(c);
        break;
    case SDLK_F12:
        start_payment(c);
        break;
    case SDLK_KP_PLUS:
        c->suppress_text = '+';
        start_payment(c);
        break;
    case SDLK_KP_MULTIPLY:
        c->suppress_text = '*';
        wedge_reset(&c->scanner);
        set_pending_qty(c);
        break;
    default:
        break;
    }
}

void cashier_scale(cashier *c, int64_t grams, bool stable)
{
    c->scale_grams = grams > 0 ? grams : 0;
    c->scale_stable = stable;
    if (grams > 0 && !stable) {
        cashier_set_message(c, MSG_INFO, L("秤：%lld.%03lldkg（未稳定）", "Scale: %lld.%03lldkg (settling)"),
                            (long long)(grams / 1000), (long long)(grams % 1000));
    } else if (grams > 0) {
        cashier_set_message(c, MSG_INFO, L("秤：%lld.%03lldkg（输入 PLU、扫描称重商品或 F2 搜索）",
                                           "Scale: %lld.%03lldkg (type a PLU, scan the item or F2 search)"),
                            (long long)(grams / 1000), (long long)(grams % 1000));
    } else {
        cashier_set_message(c, MSG_INFO, "%s", L("秤已清空", "Scale empty"));
    }
}

void cashier_weight(cashier *c, int64_t grams)
{
    cashier_scale(c, grams, true);
}
