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

bool cashier_init(cashier *c, till *t, commit_worker *worker)
{
    memset(c, 0, sizeof *c);
    c->t = t;
    c->worker = worker;
    c->retry_doc = calloc(1, sizeof *c->retry_doc);
    if (!c->retry_doc) {
        return false;
    }
    c->clock_utc = wall_clock_utc;
    wedge_init(&c->scanner, NULL);
    c->dirty = true;
    return true;
}

void cashier_free(cashier *c)
{
    free(c->retry_doc);
    c->retry_doc = NULL;
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
    if (c->commit_in_flight) {
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
    c->last_qty = bl->qty;
    c->last_grams = bl->grams;
    c->last_by_weight = bl->item.by_weight;
}

static bool looks_like_plu(const char *code)
{
    size_t n = strlen(code);
    if (n == 0 || n > 6) {
        return false;
    }
    for (; *code; code++) {
        if (!isdigit((unsigned char)*code)) {
            return false;
        }
    }
    return true;
}

/* An item code, scanned or typed, in item mode. */
static void scan_item(cashier *c, const char *code)
{
    if (refuse_if_busy(c)) {
        return;
    }
    if (c->mode != MODE_ITEMS) {
        /* A burst from the scanner during payment is goods the shopper still holds (or, later,
         * a payment code): never let it become the tendered amount. */
        refuse(c, L("请先完成收款（或按 Esc 取消收款）", "Finish the payment first (Esc cancels it)"));
        return;
    }
    int64_t qty = c->pending_qty > 0 ? c->pending_qty : 1;
    size_t line = 0;
    code_info info;
    memset(&info, 0, sizeof info);
    c->t->message[0] = '\0';
    till_err err = TILL_ERR_CODE;
    if (c->scale_grams > 0 && looks_like_plu(code)) {
        /* A short number with goods on the scale is a PLU of weighed produce. */
        err = till_add_weighed(c->t, code, c->scale_grams, &line);
    } else {
        err = till_scan(c->t, code, qty, &line, &info);
        if (err == TILL_ERR_BASKET && c->scale_grams > 0) {
            /* Refused by count: a weighed product, and there is a weight -- sell it by weight.
             * (#3 replaces this with the scale-label / live-scale flow.) */
            char saved[sizeof c->t->message];
            snprintf(saved, sizeof saved, "%s", c->t->message);
            if (till_add_weighed(c->t, code, c->scale_grams, &line) == TILL_OK) {
                err = TILL_OK;
            } else {
                snprintf(c->t->message, sizeof c->t->message, "%s", saved);
            }
        }
    }
    if (err != TILL_OK) {
        refuse_till(c, err, code);
        return;
    }
    const basket_line *bl = &c->t->cart.lines[line];
    if (bl->item.by_weight) {
        c->scale_grams = 0;        /* the goods came off the scale with this line */
    }
    c->selected = line;
    c->pending_qty = 0;
    c->have_completed = false;     /* the next shopper's first item ends the change display */
    remember_line(c, line);
    char price[MONEY_FMT_CAP];
    money_format_yuan(bl->amount_fen, price, sizeof price);
    cashier_set_message(c, MSG_INFO, "%s  %s", bl->item.name, price);
    c->sound = SOUND_BEEP;
}

void cashier_scan(cashier *c, const char *code)
{
    scan_item(c, code);
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

static void set_line_qty(cashier *c)
{
    if (refuse_if_busy(c)) {
        return;
    }
    if (c->mode != MODE_ITEMS) {
        refuse(c, L("收款中不能改数量", "Cannot change quantities during payment"));
        return;
    }
    if (n_lines(c) == 0) {
        refuse(c, L("购物篮是空的", "The basket is empty"));
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
    if (refuse_if_busy(c)) {
        return;
    }
    if (c->mode != MODE_ITEMS) {
        refuse(c, L("收款中不能删除商品，先按 Esc", "Press Esc before removing items"));
        return;
    }
    if (n_lines(c) == 0) {
        refuse(c, L("购物篮是空的", "The basket is empty"));
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

/* The typed amount is the cash tender: re-applied on every keystroke so the change on screen
 * is always what the till would compute, never a second calculation here. */
static void apply_typed_tender(cashier *c)
{
    basket_clear_tenders(&c->t->cart);
    c->have_retry_doc = false;       /* a different tender: the prepared document is stale */
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
    c->mode = MODE_PAY_CASH;
    c->pending_qty = 0;
    clear_input(c);
    apply_typed_tender(c);
    cashier_set_message(c, MSG_INFO, "%s",
                        L("现金收款：输入实收金额（元），回车确认；直接回车 = 实收等于应收",
                          "Cash: type the amount received (yuan), Enter; Enter alone = exact"));
}

static void cancel_payment(cashier *c)
{
    c->mode = MODE_ITEMS;
    basket_clear_tenders(&c->t->cart);
    c->have_retry_doc = false;
    clear_input(c);
    cashier_set_message(c, MSG_INFO, "%s", L("已取消收款", "Payment cancelled"));
}

static void finish_commit(cashier *c, till_err err, const char *msg, const sale_doc *doc)
{
    c->commit_in_flight = false;
    c->dirty = true;
    if (err == TILL_OK) {
        fen_t tendered = 0;
        for (size_t i = 0; i < doc->n_tenders; i++) {
            tendered += doc->tenders[i].amount_fen;
        }
        c->have_completed = true;
        snprintf(c->completed_receipt, sizeof c->completed_receipt, "%s", doc->receipt_no);
        c->completed_due = doc->due_fen;
        c->completed_tendered = tendered;
        c->completed_change = doc->change_fen;
        c->completed_rounding = doc->rounding_fen;
        c->have_retry_doc = false;
        till_next_sale(c->t);
        c->mode = MODE_ITEMS;
        c->selected = 0;
        c->scroll = 0;
        c->have_last_scan = false;
        clear_input(c);
        char change[MONEY_FMT_CAP];
        money_format_yuan(doc->change_fen, change, sizeof change);
        cashier_set_message(c, MSG_OK, L("交易完成  收据 %s  找零 %s", "Sale done  receipt %s  change %s"),
                            doc->receipt_no, change);
        c->sound = SOUND_BEEP;
        return;
    }
    /* Keep the exact document: retrying it commits the same uuid, which the store makes
     * idempotent, so a failure reported after the data did reach the disk cannot double it. */
    *c->retry_doc = *doc;
    c->have_retry_doc = true;
    /* The till says "<cause in the user's language>: <SQLite's words>".  The cashier needs the
     * cause; the details go to stderr for whoever reads the log. */
    char why[160];
    snprintf(why, sizeof why, "%s", msg && *msg ? msg : L("未知错误", "unknown error"));
    char *detail = strstr(why, ": ");
    if (detail) {
        *detail = '\0';
    }
    fprintf(stderr, "fupin-pos: commit of sale %s failed: %s\n", doc->uuid, msg ? msg : "");
    char buf[256];
    snprintf(buf, sizeof buf,
             L("保存失败：%s，商品仍在，按回车重试，仍失败请联系店长",
               "Save failed: %s. The basket is kept: Enter retries; call the manager if it persists"),
             why);
    refuse(c, buf);
}

static void submit(cashier *c, const sale_doc *doc)
{
    if (c->worker) {
        if (!commit_worker_submit(c->worker, doc, &c->t->cart)) {
            refuse(c, L("正在保存…请稍候", "Saving… please wait"));
            return;
        }
        c->commit_in_flight = true;
        cashier_set_message(c, MSG_INFO, "%s", L("正在保存…", "Saving…"));
        return;
    }
    /* No worker (tests): the same commit, on this thread, through the till's own handle. */
    sale_doc *copy = malloc(sizeof *copy);
    if (!copy) {
        refuse(c, "out of memory");
        return;
    }
    *copy = *doc;
    char msg[256] = "";
    till_err err = till_commit_prepared(c->t->db, copy, &c->t->cart, msg, sizeof msg);
    finish_commit(c, err, msg, copy);
    free(copy);
}

static void pay_enter(cashier *c)
{
    if (refuse_if_busy(c)) {
        return;
    }
    if (c->have_retry_doc) {
        submit(c, c->retry_doc);
        return;
    }
    basket_settlement s;
    if (!c->input[0]) {
        /* Enter alone: the shopper handed over exactly what is due (after 抹零). */
        basket_clear_tenders(&c->t->cart);
        basket_settle(&c->t->cart, c->t->config.rounding, &s);
        if (s.due_fen > 0) {
            (void)till_tender(c->t, TENDER_CASH, s.due_fen);
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
    sale_doc *doc = calloc(1, sizeof *doc);
    if (!doc) {
        refuse(c, "out of memory");
        return;
    }
    c->t->message[0] = '\0';
    till_err err = till_prepare_sale(c->t, c->clock_utc(), doc);
    if (err != TILL_OK) {
        basket_settle(&c->t->cart, c->t->config.rounding, &s);
        if (!c->t->message[0] && s.remaining_fen > 0) {
            char rem[MONEY_FMT_CAP], buf[160];
            money_format_yuan(s.remaining_fen, rem, sizeof rem);
            snprintf(buf, sizeof buf, L("实收不足，还差 %s", "Not enough: %s short"), rem);
            refuse(c, buf);
        } else {
            refuse_till(c, err, NULL);
        }
        free(doc);
        return;
    }
    submit(c, doc);
    free(doc);
}

void cashier_commit_done(cashier *c)
{
    commit_result *res = malloc(sizeof *res);
    if (!res) {
        return;   /* the result stays in the worker; the next event retries the take */
    }
    if (c->worker && commit_worker_take(c->worker, res)) {
        finish_commit(c, res->err, res->msg, &res->doc);
    }
    free(res);
}

static bool allowed_char(const cashier *c, char ch)
{
    if (c->mode == MODE_PAY_CASH) {
        return isdigit((unsigned char)ch) || ch == '.';
    }
    return isalnum((unsigned char)ch) || ch == '.' || ch == '-';
}

static void append_char(cashier *c, char ch)
{
    size_t n = strlen(c->input);
    if (n + 1 < sizeof c->input) {
        c->input[n] = ch;
        c->input[n + 1] = '\0';
        c->dirty = true;
    }
}

void cashier_text(cashier *c, const char *utf8, uint32_t t_ms)
{
    char suppress = c->suppress_text;
    c->suppress_text = 0;
    for (const char *p = utf8; *p; p++) {
        char ch = *p;
        if (suppress && ch == suppress && p == utf8) {
            continue;   /* the text event of a keypad key already acted on in cashier_key */
        }
        if ((unsigned char)ch >= 0x80) {
            continue;   /* IME text: codes and amounts are ASCII */
        }
        if (ch == '*') {
            wedge_reset(&c->scanner);
            set_pending_qty(c);
            continue;
        }
        if (ch == '+') {
            wedge_reset(&c->scanner);
            start_payment(c);
            continue;
        }
        if (!isprint((unsigned char)ch)) {
            continue;
        }
        if (wedge_run_length(&c->scanner) == 0 ||
            (uint32_t)(t_ms - c->scanner.last_ms) > c->scanner.cfg.max_gap_ms) {
            c->input_len_at_run = strlen(c->input);   /* this char may start a scanner burst */
        }
        wedge_feed_char(&c->scanner, ch, t_ms);
        if (c->commit_in_flight) {
            continue;   /* nothing is typed while saving; a scan burst is refused at Enter */
        }
        if (allowed_char(c, ch)) {
            append_char(c, ch);
            if (c->mode == MODE_PAY_CASH) {
                apply_typed_tender(c);
            }
        }
    }
}

static void on_enter(cashier *c, uint32_t t_ms)
{
    char code[WEDGE_MAX_CODE + 1];
    size_t burst = 0;
    wedge_verdict v = wedge_feed_enter(&c->scanner, t_ms, code, sizeof code, &burst);
    if (v != WEDGE_TYPED) {
        /* Take the burst back out of the input line: it was typed by the scanner, not the
         * cashier, and must not stay there as part of an amount. */
        if (c->input_len_at_run <= strlen(c->input)) {
            c->input[c->input_len_at_run] = '\0';
        }
        if (c->mode == MODE_PAY_CASH) {
            apply_typed_tender(c);
        }
        if (v == WEDGE_OVERFLOW) {
            refuse(c, L("扫码内容过长，已忽略", "Scanned data too long: ignored"));
            return;
        }
        scan_item(c, code);
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
                                L("继续扫描商品，或按 F12 现金收款", "Scan more goods, or F12 for cash"));
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
    switch (key) {
    case SDLK_F1:
        c->show_help = true;
        break;
    case SDLK_RETURN:
    case SDLK_KP_ENTER:
    case SDLK_RETURN2:
        on_enter(c, t_ms);
        break;
    case SDLK_ESCAPE:
        if (c->commit_in_flight) {
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
        if (c->input[0] && !c->commit_in_flight) {
            c->input[strlen(c->input) - 1] = '\0';
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

void cashier_weight(cashier *c, int64_t grams)
{
    c->scale_grams = grams > 0 ? grams : 0;
    if (grams > 0) {
        cashier_set_message(c, MSG_INFO, L("秤：%lld.%03lldkg（输入 PLU 或扫描称重商品）",
                                           "Scale: %lld.%03lldkg (type a PLU or scan the item)"),
                            (long long)(grams / 1000), (long long)(grams % 1000));
    } else {
        cashier_set_message(c, MSG_INFO, "%s", L("秤已清空", "Scale empty"));
    }
}
