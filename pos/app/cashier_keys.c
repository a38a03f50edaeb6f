/* cashier_keys: the sale screen's input -- the product search pane (F2), typed text and
 * scanner bursts, member entry (F5), points (F8), the star board (F9), Enter and the other
 * keys, scale readings.  See cashier.h; cashier.c holds the actions these call. */
#include "pos/app/cashier.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pos/app/cashier_internal.h"
#include "pos/core/money.h"

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

/* Filter on every keystroke.  search_products is an indexed, bounded query (it stops at
 * CASHIER_SEARCH_MAX rows), so it stays well inside a frame even over 50,000 products; see
 * bench/REPORT.md for the measured figure. */
static void search_run(cashier *c)
{
    c->search_n = 0;
    c->search_sel = 0;
    c->dirty = true;
    if (!c->search_text[0]) {
        cashier_set_message(c, VIEW_MSG_INFO, "%s",
                            T("输入品名、拼音首字母（如 hts）、条码或 PLU",
                              "Type a name, pinyin initials (e.g. hts), a code or a PLU"));
        return;
    }
    till_clear_message(c->t);
    size_t n = 0;
    if (till_search(c->t, c->search_text, c->search_results, CASHIER_SEARCH_MAX, &n) !=
        TILL_OK) {
        cashier_refuse_till(c, TILL_ERR_STORE, NULL);
        return;
    }
    c->search_n = n;
    char day[11];
    cashier_sync_clock(c);
    till_business_day(c->t, day);
    for (size_t i = 0; i < n; i++) {
        c->search_relief_today[i] = product_poverty_relief_on(&c->search_results[i], day);
    }
    if (n == 0) {
        cashier_set_message(c, VIEW_MSG_ERROR, T("没有找到：%s", "Nothing found: %s"), c->search_text);
    } else {
        cashier_set_message(c, VIEW_MSG_INFO, T("找到 %zu 个商品：↑↓ 选择，回车加入", "%zu found: Up/Down, Enter adds"),
                            n);
    }
}

static void search_open(cashier *c)
{
    if (cashier_refuse_if_busy(c)) {
        return;
    }
    if (c->mode != MODE_ITEMS) {
        cashier_refuse(c, T("收款中不能搜索商品，先按 Esc", "Press Esc before searching for goods"));
        return;
    }
    search_close(c);
    c->search_open = true;
    cashier_clear_input(c);
    wedge_reset(&c->scanner);
    search_run(c);
}

/* Add the chosen product through the till: counted goods with the pending quantity, weighed
 * goods with the typed weight or the scale's reading. */
static void search_add(cashier *c, const product *p, int64_t gross_g, bool stable)
{
    size_t line = 0;
    cashier_sync_clock(c);
    int64_t qty = c->pending_qty > 0 ? c->pending_qty : 1;
    session_cmd cmd = {.kind = SESSION_CMD_ADD_SKU, .text = p->sku, .qty = qty, .grams = gross_g,
                       .stable = stable, .line_out = &line};
    till_err err = session_apply(c->session, &cmd);
    if (err != TILL_OK) {
        cashier_refuse_till(c, err, p->sku);
        return;
    }
    search_close(c);
    cashier_item_added(c, line);
}

static void search_enter(cashier *c)
{
    if (cashier_refuse_if_busy(c)) {
        return;
    }
    if (c->search_weighing) {
        int64_t g = 0;
        if (!cashier_parse_count(c->search_grams, &g) || g < 1) {
            cashier_refuse(c, T("请输入重量（克），再按回车", "Type the weight in grams, then Enter"));
            return;
        }
        search_add(c, &c->search_pick, g, true);
        return;
    }
    if (c->search_n == 0) {
        cashier_refuse(c, c->search_text[0] ? T("没有找到商品", "Nothing found")
                                    : T("请输入要找的商品", "Type what to look for"));
        return;
    }
    const product *p = &c->search_results[c->search_sel < c->search_n ? c->search_sel : 0];
    if (!p->by_weight) {
        search_add(c, p, 0, true);
    } else if (c->scale_grams > 0) {
        search_add(c, p, c->scale_grams, c->scale_stable);
    } else {
        /* No reading: the cashier weighs elsewhere (or the scale is offline) and types it. */
        cashier_ask_weight(c, p);
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
            cashier_set_pending_qty(c);
            continue;
        }
        if (!c->search_open && !c->member_entry && ch == '+') {
            wedge_reset(&c->scanner);
            cashier_start_payment(c);
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
                cashier_apply_typed_tender(c);
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
    if (cashier_refuse_if_busy(c)) {
        return;
    }
    if (c->mode != MODE_ITEMS) {
        cashier_refuse(c, T("收款中不能更换会员，先按 Esc", "Press Esc before changing the member"));
        return;
    }
    c->member_entry = true;
    c->member_input[0] = '\0';
    wedge_reset(&c->scanner);
    cashier_set_message(c, VIEW_MSG_INFO, "%s",
                        till_has_member(c->t)
                            ? T("会员：输入卡号或手机号回车更换；不输入按 Esc 取消会员",
                                "Member: type a card or phone + Enter to change; Esc on empty removes")
                            : T("会员：刷卡或输入卡号 / 手机号，回车", "Member: scan the card or type card / phone, Enter"));
}

static void member_enter(cashier *c)
{
    if (cashier_refuse_if_busy(c)) {
        return;
    }
    if (!c->member_input[0]) {
        cashier_refuse(c, T("请输入会员卡号或手机号", "Type the card number or phone"));
        return;
    }
    if (!cashier_settle_failed(c)) {
        return;
    }
    session_cmd cmd = {.kind = SESSION_CMD_MEMBER, .text = c->member_input};
    till_err err = session_apply(c->session, &cmd);
    if (err != TILL_OK) {
        cashier_refuse_till(c, err, c->member_input);
        c->member_input[0] = '\0';
        return;
    }
    c->member_entry = false;
    c->member_input[0] = '\0';
    if (c->have_last_scan && cashier_n_lines(c) > 0) {
        cashier_remember_line(c, c->selected);   /* members-only prices may have changed it */
    }
    cashier_set_message(c, VIEW_MSG_OK, "%s", till_message(c->t));
    c->sound = SOUND_BEEP;
}

static void member_escape(cashier *c)
{
    if (!c->member_input[0] && till_has_member(c->t) && !cashier_busy(c)) {
        if (!cashier_settle_failed(c)) {
            return;
        }
        session_cmd cmd = {.kind = SESSION_CMD_MEMBER, .text = NULL};
        (void)session_apply(c->session, &cmd);
        c->member_entry = false;
        cashier_set_message(c, VIEW_MSG_INFO, "%s", till_message(c->t));
        return;
    }
    c->member_entry = false;
    c->member_input[0] = '\0';
    cashier_set_message(c, VIEW_MSG_INFO, "%s", T("已关闭会员输入", "Member entry closed"));
}

static void pay_points(cashier *c)
{
    if (cashier_refuse_if_busy(c)) {
        return;
    }
    if (c->mode != MODE_PAY_CASH) {
        cashier_refuse(c, T("先按 F12 收款，再按 F8 用积分", "Press F12 to pay first, then F8 for points"));
        return;
    }
    if (till_points_paid(c->t) > 0) {
        cashier_refuse(c, T("本单已用积分抵现", "Points already pay part of this sale"));
        return;
    }
    if (!cashier_settle_failed(c)) {
        return;
    }
    /* Points first, then the cash typed so far on top: drop the cash, add points, re-add. */
    session_cmd clear = {.kind = SESSION_CMD_CLEAR_TENDERS};
    (void)session_apply(c->session, &clear);
    session_cmd cmd = {.kind = SESSION_CMD_POINTS, .fen = -1};
    till_err err = session_apply(c->session, &cmd);
    char said[256];
    snprintf(said, sizeof said, "%s", till_message(c->t));
    cashier_apply_typed_tender(c);
    if (err != TILL_OK) {
        if (said[0]) {
            cashier_refuse(c, said);
        } else {
            cashier_refuse_till(c, err, NULL);
        }
        return;
    }
    cashier_set_message(c, VIEW_MSG_OK, "%s", said);
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
        cashier_refuse(c, T("收款中不能查看，先按 Esc", "Press Esc first"));
        return;
    }
    cashier_sync_clock(c);
    till_current_month(c->t, c->stars_month);
    till_clear_message(c->t);
    if (till_stars(c->t, c->stars_month, MEMBER_PERSON, c->stars, CASHIER_STARS_MAX,
                   &c->stars_n) != TILL_OK ||
        till_stars(c->t, c->stars_month, MEMBER_ORGANISATION, c->star_orgs, CASHIER_STARS_MAX,
                   &c->star_orgs_n) != TILL_OK) {
        c->stars_n = c->star_orgs_n = 0;
        cashier_refuse_till(c, TILL_ERR_STORE, NULL);
        return;
    }
    c->stars_open = true;
    cashier_set_message(c, VIEW_MSG_INFO, T("%s 扶贫消费明星榜：Esc 或 F9 关闭", "%s consumption stars: Esc or F9 closes"),
                        c->stars_month);
}

/* A whole code from a scanner, whichever path brought it: a wedge burst (on_enter, after the
 * burst was taken back out of the field it landed in) or a claimed scanner through the device
 * manager (cashier_on_event's EVQ_SCAN).  The same command either way. */
void cashier_scanned(cashier *c, const char *code, bool too_long)
{
    if (c->member_entry) {
        if (too_long) {
            cashier_refuse(c, T("扫码内容过长，已忽略", "Scanned data too long: ignored"));
            return;
        }
        /* A member card scanned into the member field: that is the member. */
        snprintf(c->member_input, sizeof c->member_input, "%.31s", code);
        member_enter(c);
        return;
    }
    if (c->search_open) {
        search_close(c);   /* scanning the goods is quicker than finding them */
    } else if (c->mode == MODE_PAY_CASH) {
        cashier_apply_typed_tender(c);
    }
    if (too_long) {
        cashier_refuse(c, T("扫码内容过长，已忽略", "Scanned data too long: ignored"));
        return;
    }
    cashier_scan_item(c, code);
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
        cashier_scanned(c, code, v == WEDGE_OVERFLOW);
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
        cashier_pay_enter(c);
        return;
    }
    if (cashier_refuse_if_busy(c)) {
        return;
    }
    if (!c->input[0]) {
        if (cashier_n_lines(c) > 0) {
            cashier_set_message(c, VIEW_MSG_INFO, "%s",
                                T("继续扫描商品，或按 F12 收款", "Scan more goods, or F12 to pay"));
        } else {
            cashier_set_message(c, VIEW_MSG_INFO, "%s", T("请扫描商品条码", "Scan a barcode"));
        }
        return;
    }
    char typed[CASHIER_INPUT_CAP];
    snprintf(typed, sizeof typed, "%s", c->input);
    cashier_clear_input(c);
    cashier_scan_item(c, typed);
}

/* Keys while the search pane is open: it owns Up/Down, Enter, Backspace and Esc; the rest of
 * the sale keys wait until it is closed (F2 or Esc). */
static void search_key(cashier *c, ui_key key, uint32_t t_ms)
{
    switch (key) {
    case UI_KEY_ENTER:
        on_enter(c, t_ms);
        break;
    case UI_KEY_ESCAPE:
        if (c->search_weighing && c->search_text[0]) {
            /* back to the list the product was picked from */
            c->search_weighing = false;
            c->search_grams[0] = '\0';
            search_run(c);
        } else {
            search_close(c);
            cashier_set_message(c, VIEW_MSG_INFO, "%s", T("已关闭搜索", "Search closed"));
        }
        break;
    case UI_KEY_F2:
        search_close(c);
        c->message[0] = '\0';
        break;
    case UI_KEY_BACKSPACE:
        backspace(c);
        if (!c->search_weighing) {
            search_run(c);
        }
        break;
    case UI_KEY_UP:
        if (!c->search_weighing && c->search_sel > 0) {
            c->search_sel--;
        }
        break;
    case UI_KEY_DOWN:
        if (!c->search_weighing && c->search_sel + 1 < c->search_n) {
            c->search_sel++;
        }
        break;
    case UI_KEY_KP_MULTIPLY:
    case UI_KEY_KP_PLUS:
        c->suppress_text = key == UI_KEY_KP_PLUS ? '+' : '*';   /* not part of a query */
        break;
    default:
        break;
    }
}

void cashier_key(cashier *c, ui_key key, unsigned mod, uint32_t t_ms)
{
    c->suppress_text = 0;
    c->dirty = true;
    if (key == UI_KEY_Q && (mod & UI_MOD_CTRL)) {
        /* Quitting the till: a real store puts this behind the manager's PIN (and refuses it
         * with a sale open); for now Ctrl+Q is the only way out of fullscreen. */
        c->quit = true;
        return;
    }
    if (c->show_help && (key == UI_KEY_ESCAPE || key == UI_KEY_F1)) {
        c->show_help = false;
        return;
    }
    if (key == UI_KEY_F1) {
        c->show_help = true;
        return;
    }
    if (c->stars_open) {
        if (key == UI_KEY_ESCAPE || key == UI_KEY_F9) {
            stars_close(c);
            cashier_set_message(c, VIEW_MSG_INFO, "%s", T("已关闭明星榜", "Star board closed"));
        }
        return;   /* the board covers the sale: no sale keys behind it */
    }
    if (c->member_entry) {
        switch (key) {
        case UI_KEY_ENTER:
            on_enter(c, t_ms);
            break;
        case UI_KEY_ESCAPE:
        case UI_KEY_F5:
            member_escape(c);
            break;
        case UI_KEY_BACKSPACE:
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
    case UI_KEY_F5:
        member_open(c);
        break;
    case UI_KEY_F8:
        pay_points(c);
        break;
    case UI_KEY_F9:
        stars_open(c);
        break;
    case UI_KEY_F7:
        cashier_reprint(c);
        break;
    case UI_KEY_F2:
        search_open(c);
        break;
    case UI_KEY_ENTER:
        on_enter(c, t_ms);
        break;
    case UI_KEY_ESCAPE:
        if (cashier_busy(c)) {
            cashier_refuse_if_busy(c);
        } else if (c->mode == MODE_PAY_CASH && !c->input[0]) {
            cashier_cancel_payment(c);
        } else {
            cashier_clear_input(c);
            c->pending_qty = 0;
            if (c->mode == MODE_PAY_CASH) {
                cashier_apply_typed_tender(c);
                cashier_set_message(c, VIEW_MSG_INFO, "%s",
                                    T("请输入实收金额；再按 Esc 取消收款",
                                      "Type the amount received; Esc again cancels the payment"));
            } else {
                c->message[0] = '\0';
            }
        }
        break;
    case UI_KEY_BACKSPACE:
        if (c->input[0] && !cashier_busy(c)) {
            backspace(c);
            if (c->mode == MODE_PAY_CASH) {
                cashier_apply_typed_tender(c);
            }
        }
        break;
    case UI_KEY_UP:
        if (c->selected > 0) {
            c->selected--;
        }
        break;
    case UI_KEY_DOWN:
        if (c->selected + 1 < cashier_n_lines(c)) {
            c->selected++;
        }
        break;
    case UI_KEY_PAGEUP:
        c->selected = c->selected > 10 ? c->selected - 10 : 0;
        break;
    case UI_KEY_PAGEDOWN:
        c->selected += 10;
        cashier_clamp_selection(c);
        break;
    case UI_KEY_DELETE:
    case UI_KEY_F4:
        cashier_void_line(c);
        break;
    case UI_KEY_F3:
        cashier_set_line_qty(c);
        break;
    case UI_KEY_F12:
        cashier_start_payment(c);
        break;
    case UI_KEY_KP_PLUS:
        c->suppress_text = '+';
        cashier_start_payment(c);
        break;
    case UI_KEY_KP_MULTIPLY:
        c->suppress_text = '*';
        wedge_reset(&c->scanner);
        cashier_set_pending_qty(c);
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
        cashier_set_message(c, VIEW_MSG_INFO, T("秤：%lld.%03lldkg（未稳定）", "Scale: %lld.%03lldkg (settling)"),
                            (long long)(grams / 1000), (long long)(grams % 1000));
    } else if (grams > 0) {
        cashier_set_message(c, VIEW_MSG_INFO, T("秤：%lld.%03lldkg（输入 PLU、扫描称重商品或 F2 搜索）",
                                           "Scale: %lld.%03lldkg (type a PLU, scan the item or F2 search)"),
                            (long long)(grams / 1000), (long long)(grams % 1000));
    } else {
        cashier_set_message(c, VIEW_MSG_INFO, "%s", T("秤已清空", "Scale empty"));
    }
}

void cashier_weight(cashier *c, int64_t grams)
{
    cashier_scale(c, grams, true);
}
