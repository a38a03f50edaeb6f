/* sale_screen: layout and drawing of the sale screen.  See sale_screen.h.
 *
 * Layout (design pixels of a 1024x768 till, scaled by height):
 *   header   60  store, till, cashier, clock, devices (dark)
 *   banner   32  the promotions in force now (till_active_rules) | the member, masked
 *   body         basket table (left) | total, last scan, payment / change (right)
 *   input    60  mode chip, typed text, pending quantity
 *   message  34  what the last action did (errors in red)
 *   keys     34  key hints (dark)
 */
#include "ui/sale_screen.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "pos/core/mask.h"
#include "pos/core/money.h"
#include "ui/i18n.h"

#include "ui/sale_parts.h"

void sale_yuan(fen_t fen, char *buf, size_t cap)
{
    money_format_yuan(fen, buf, cap);
}

void sale_grams_text(int64_t grams, char *buf, size_t cap)
{
    snprintf(buf, cap, "%lld.%03lldkg", (long long)(grams / 1000), (long long)(grams % 1000));
}

/* A row of a list (basket, search results): selected, else zebra-striped, with a grid line. */
void sale_list_row_background(const draw_ctx *d, SDL_Rect row, size_t i, bool sel)
{
    if (sel) {
        draw_fill(d, row, COL_SELECT);
    } else if (i % 2 == 1) {
        draw_fill(d, row, COL_ROW_ALT);
    }
    draw_fill(d, (SDL_Rect){row.x, row.y + row.h - 1, row.w, 1}, COL_GRID);
}

/* A small rounded-looking pill: filled box with text. */
int sale_chip(const draw_ctx *d, int x, int y, int h, const char *text, SDL_Color bg,
                SDL_Color fg, int px, draw_align align)
{
    int tw = text_width(d, text, px, FONT_REGULAR);
    int w = tw + dp(d, 16);
    int left = align == ALIGN_RIGHT ? x - w : x;
    draw_fill(d, (SDL_Rect){left, y, w, h}, bg);
    draw_text_in(d, (SDL_Rect){left, y, w, h}, text, px, FONT_REGULAR, fg, ALIGN_CENTER, 0);
    return w;
}

static void draw_header(const draw_ctx *d, const sale_view *c, const view_devices *dev,
                        time_t now, int hh)
{
    draw_fill(d, (SDL_Rect){0, 0, d->w, hh}, COL_HEADER);
    const sale_view *cfg = c;
    int x = dp(d, 18);
    const char *name = cfg->store_name[0] ? cfg->store_name : L("扶贫超市", "Poverty-relief store");
    x += draw_text_in(d, (SDL_Rect){x, 0, d->w / 3, hh}, name, dp(d, 24), FONT_BOLD,
                      COL_HEADER_TEXT, ALIGN_LEFT, 0);
    x += dp(d, 12);
    if (cfg->store_code[0]) {
        x += sale_chip(d, x, (hh - dp(d, 24)) / 2, dp(d, 24), cfg->store_code, COL_KEYCAP,
                  COL_HEADER_TEXT, dp(d, 14), ALIGN_LEFT);
        x += dp(d, 18);
    }
    char who[160];
    snprintf(who, sizeof who, L("收银台 %d   收银员 %s", "Till %d   Cashier %s"), cfg->till_no,
             c->cashier[0] ? c->cashier : L("未登录", "none"));
    draw_text_in(d, (SDL_Rect){x, 0, d->w / 4, hh}, who, dp(d, 17), FONT_REGULAR,
                 COL_HEADER_DIM, ALIGN_LEFT, 0);

    /* Clock in the store's zone (config), not the machine's: tills are often set to UTC. */
    time_t local = now + (time_t)cfg->tz_offset_min * 60;
    struct tm tm;
    gmtime_r(&local, &tm);
    static const char *const WD_ZH[] = {"周日", "周一", "周二", "周三", "周四", "周五", "周六"};
    static const char *const WD_EN[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    char date[64], clock[16];
    snprintf(date, sizeof date, "%04d-%02d-%02d %s", tm.tm_year + 1900, tm.tm_mon + 1,
             tm.tm_mday, ui_is_en() ? WD_EN[tm.tm_wday % 7] : WD_ZH[tm.tm_wday % 7]);
    snprintf(clock, sizeof clock, "%02d:%02d:%02d", tm.tm_hour, tm.tm_min, tm.tm_sec);
    int rx = d->w - dp(d, 18);
    int cw = text_width(d, "00:00:00", dp(d, 24), FONT_BOLD);   /* fixed slot: no jitter */
    draw_text_in(d, (SDL_Rect){rx - cw, 0, cw, hh}, clock, dp(d, 24), FONT_BOLD,
                 COL_HEADER_TEXT, ALIGN_RIGHT, 0);
    rx -= cw + dp(d, 10);
    int dw = text_width(d, date, dp(d, 15), FONT_REGULAR);
    draw_text_in(d, (SDL_Rect){rx - dw, 0, dw, hh}, date, dp(d, 15), FONT_REGULAR,
                 COL_HEADER_DIM, ALIGN_RIGHT, 0);
    rx -= dw + dp(d, 18);

    /* Device chips, right to left: printer, scale, scanner. */
    struct {
        const char *label, *state;
        bool off, warn;
    } devs[] = {
        {L("打印机", "Printer"), dev->printer_state, dev->printer_off, dev->printer_warn},
        {L("秤", "Scale"), dev->scale_state, dev->scale_off, false},
        {L("扫码枪", "Scanner"), dev->scanner_state, dev->scanner_off, false},
    };
    int ch = dp(d, 26);
    for (size_t i = 0; i < sizeof devs / sizeof devs[0]; i++) {
        char text[64];
        snprintf(text, sizeof text, "%s %s", devs[i].label, devs[i].state);
        SDL_Color bg = COL_CHIP_OK;
        if (devs[i].warn) {
            bg = COL_ERROR;
        } else if (devs[i].off) {
            bg = COL_CHIP_OFF;   /* unplugged shows even among simulated devices */
        } else if (dev->simulated) {
            bg = COL_CHIP_SIM;
        }
        rx -= sale_chip(d, rx, (hh - ch) / 2, ch, text, bg, COL_HEADER_TEXT, dp(d, 14), ALIGN_RIGHT);
        rx -= dp(d, 6);
    }
}

/* The campaigns in force now, so the cashier can tell the shopper ("今日活动：每周五扶贫日
 * 扶贫产品9.5折 · 购物送积分"), and the member of the sale on the right.  The list is the
 * till's (promo_active_rules over the loaded rules: pure, microseconds), not a query. */
static void draw_banner(const draw_ctx *d, const sale_view *c, SDL_Rect rc)
{
    draw_fill(d, rc, COL_WARN_BG);
    draw_fill(d, (SDL_Rect){rc.x, rc.y + rc.h - 1, rc.w, 1}, COL_WARN);
    size_t n = c->n_active_rules;
    char text[1024];
    size_t len = (size_t)snprintf(text, sizeof text, "%s", L("今日活动：", "Today: "));
    if (n == 0) {
        snprintf(text + len, sizeof text - len, "%s", L("无", "none"));
    }
    for (size_t i = 0; i < n && len + 4 < sizeof text; i++) {
        int w = snprintf(text + len, sizeof text - len, "%s%s", i ? " · " : "", c->active_rules[i]);
        if (w < 0) {
            break;
        }
        len += (size_t)w;
    }
    if (c->earn_points && len + 4 < sizeof text) {
        snprintf(text + len, sizeof text - len, "%s", L(" · 购物送积分", " · points on purchases"));
    }
    /* The member on the right; the activities take what is left. */
    int right = 0;
    if (c->has_member || c->member_entry) {
        char who[160];
        if (c->member_entry) {
            snprintf(who, sizeof who, L("会员：%s▏", "Member: %s▏"), c->member_input);
        } else {
            snprintf(who, sizeof who, L("会员 %s · 积分 %lld", "Member %s · %lld pts"),
                     c->member_masked, (long long)c->member_balance);
        }
        right = sale_chip(d, rc.x + rc.w - dp(d, 6), rc.y + dp(d, 3), rc.h - dp(d, 6), who,
                     c->member_entry ? COL_ACCENT : COL_CHANGE, COL_SELECT_TEXT, dp(d, 16),
                     ALIGN_RIGHT) + dp(d, 12);
    }
    draw_text_in(d, (SDL_Rect){rc.x, rc.y, rc.w - right, rc.h}, text, dp(d, 16), FONT_BOLD,
                 COL_WARN, ALIGN_LEFT, dp(d, 12));
}

typedef struct {
    const char *title;
    float weight;            /* share of the table width */
    draw_align align;
} column;

static void draw_table(const draw_ctx *d, const sale_view *c, SDL_Rect area, size_t *scroll)
{
    draw_fill(d, area, COL_PANEL);
    static column cols[5];
    cols[0] = (column){"#", 0.06f, ALIGN_CENTER};
    cols[1] = (column){L("品名", "Item"), 0.44f, ALIGN_LEFT};
    cols[2] = (column){L("数量", "Qty"), 0.15f, ALIGN_RIGHT};
    cols[3] = (column){L("单价", "Price"), 0.17f, ALIGN_RIGHT};
    cols[4] = (column){L("金额", "Amount"), 0.18f, ALIGN_RIGHT};
    int xs[6];
    xs[0] = area.x;
    for (int i = 0; i < 5; i++) {
        xs[i + 1] = xs[i] + (int)(cols[i].weight * (float)area.w);
    }
    xs[5] = area.x + area.w;
    int head_h = dp(d, 40), row_h = dp(d, 44), pad = dp(d, 12);
    draw_fill(d, (SDL_Rect){area.x, area.y, area.w, head_h}, COL_TABLE_HEAD);
    for (int i = 0; i < 5; i++) {
        draw_text_in(d, (SDL_Rect){xs[i], area.y, xs[i + 1] - xs[i], head_h}, cols[i].title,
                     dp(d, 17), FONT_BOLD, COL_HEADER_TEXT, cols[i].align, pad);
    }
    const basket *b = c->cart;
    int body_y = area.y + head_h;
    int body_h = area.h - head_h;
    if (b->n_lines == 0) {
        const char *hint = c->have_completed ? L("下一位顾客：请扫描商品", "Next customer: scan goods")
                                             : L("请扫描商品条码", "Scan a barcode");
        draw_text_in(d, (SDL_Rect){area.x, body_y, area.w, body_h}, hint, dp(d, 26),
                     FONT_REGULAR, COL_TEXT_DIM, ALIGN_CENTER, 0);
        return;
    }
    size_t visible = body_h > 0 ? (size_t)(body_h / row_h) : 0;
    if (visible == 0) {
        visible = 1;
    }
    /* Keep the selection on screen; new lines are selected, so the table follows the scans. */
    if (c->selected < *scroll) {
        *scroll = c->selected;
    } else if (c->selected >= *scroll + visible) {
        *scroll = c->selected + 1 - visible;
    }
    if (*scroll > b->n_lines) {
        *scroll = 0;
    }
    for (size_t i = *scroll; i < b->n_lines && i < *scroll + visible; i++) {
        const basket_line *ln = &b->lines[i];
        SDL_Rect row = {area.x, body_y + (int)(i - *scroll) * row_h, area.w, row_h};
        bool sel = i == c->selected;
        SDL_Color fg = sel ? COL_SELECT_TEXT : COL_TEXT;
        SDL_Color dim = sel ? COL_SELECT_TEXT : COL_TEXT_DIM;
        sale_list_row_background(d, row, i, sel);
        char num[24], qty[48], price[64], amount[MONEY_FMT_CAP];
        snprintf(num, sizeof num, "%zu", i + 1);
        if (ln->grams > 0) {
            sale_grams_text(ln->grams, qty, sizeof qty);
            char p[MONEY_FMT_CAP];
            money_format(ln->unit_price_fen, p, sizeof p);
            snprintf(price, sizeof price, "%s/kg", p);
        } else {
            snprintf(qty, sizeof qty, "%lld", (long long)ln->qty);
            money_format(ln->unit_price_fen, price, sizeof price);
        }
        money_format(ln->amount_fen - ln->discount_fen, amount, sizeof amount);
        int px = dp(d, 19);
        draw_text_in(d, (SDL_Rect){xs[0], row.y, xs[1] - xs[0], row_h}, num, dp(d, 16),
                     FONT_REGULAR, dim, ALIGN_CENTER, 0);
        int name_w = draw_text_in(d, (SDL_Rect){xs[1], row.y, xs[2] - xs[1], row_h},
                                  ln->item.name, px, FONT_REGULAR, fg, ALIGN_LEFT, pad);
        if (ln->item.poverty_relief) {
            /* 扶贫 mark: the county's headline figure is these sales; cashiers point it out. */
            int mx = xs[1] + pad + name_w + dp(d, 8);
            if (mx + dp(d, 40) < xs[2]) {
                SDL_Color bg = sel ? COL_SELECT_TEXT : COL_TOTAL;
                SDL_Color tx = sel ? COL_SELECT : COL_SELECT_TEXT;
                sale_chip(d, mx, row.y + (row_h - dp(d, 22)) / 2, dp(d, 22), L("扶贫", "PR"), bg, tx,
                     dp(d, 13), ALIGN_LEFT);
            }
        }
        draw_text_in(d, (SDL_Rect){xs[2], row.y, xs[3] - xs[2], row_h}, qty, px, FONT_REGULAR,
                     fg, ALIGN_RIGHT, pad);
        draw_text_in(d, (SDL_Rect){xs[3], row.y, xs[4] - xs[3], row_h}, price, px, FONT_REGULAR,
                     dim, ALIGN_RIGHT, pad);
        if (ln->discount_fen > 0) {
            /* The line's promotion: net amount on top, the discount under it in the accent
             * colour, so the shopper sees the 9.5折 on the very line. */
            char disc[MONEY_FMT_CAP + 2];
            char dm[MONEY_FMT_CAP];
            money_format(ln->discount_fen, dm, sizeof dm);
            snprintf(disc, sizeof disc, "-%s", dm);
            draw_text_in(d, (SDL_Rect){xs[4], row.y, xs[5] - xs[4], row_h * 3 / 5}, amount, px,
                         FONT_BOLD, fg, ALIGN_RIGHT, pad);
            draw_text_in(d, (SDL_Rect){xs[4], row.y + row_h * 11 / 20, xs[5] - xs[4], row_h * 2 / 5},
                         disc, dp(d, 14), FONT_BOLD, sel ? COL_SELECT_TEXT : COL_ERROR,
                         ALIGN_RIGHT, pad);
        } else {
            draw_text_in(d, (SDL_Rect){xs[4], row.y, xs[5] - xs[4], row_h}, amount, px,
                         FONT_BOLD, fg, ALIGN_RIGHT, pad);
        }
    }
    /* Scroll indicator: a thin bar, so the cashier knows lines are hidden above or below. */
    if (b->n_lines > visible) {
        int track_h = (int)visible * row_h;
        int bar_h = track_h * (int)visible / (int)b->n_lines;
        if (bar_h < dp(d, 16)) {
            bar_h = dp(d, 16);
        }
        int bar_y = body_y + (track_h - bar_h) * (int)*scroll / (int)(b->n_lines - visible);
        draw_fill(d, (SDL_Rect){area.x + area.w - dp(d, 5), bar_y, dp(d, 4), bar_h},
                  COL_TEXT_DIM);
    }
}

/* The search pane (F2), over the basket table: the matches of what is typed in the input
 * line, best first, or -- once a weighed product is chosen -- that product waiting for its
 * weight. */
static void draw_search(const draw_ctx *d, const sale_view *c, SDL_Rect area)
{
    draw_fill(d, area, COL_PANEL);
    draw_frame(d, area, COL_CHANGE, dp(d, 3));
    int head_h = dp(d, 44), pad = dp(d, 16);
    draw_fill(d, (SDL_Rect){area.x, area.y, area.w, head_h}, COL_CHANGE);
    const char *title = c->search_weighing ? L("称重商品：输入重量", "Weighed product: enter the weight")
                                           : L("商品搜索", "Product search");
    draw_text_in(d, (SDL_Rect){area.x, area.y, area.w, head_h}, title, dp(d, 19), FONT_BOLD,
                 COL_SELECT_TEXT, ALIGN_LEFT, pad);
    char count[64] = "";
    if (!c->search_weighing && c->search_text[0]) {
        snprintf(count, sizeof count, L("%zu 个结果", "%zu found"), c->search_n);
    }
    draw_text_in(d, (SDL_Rect){area.x, area.y, area.w, head_h}, count, dp(d, 16), FONT_REGULAR,
                 COL_SELECT_TEXT, ALIGN_RIGHT, pad);
    int y = area.y + head_h;
    char price[MONEY_FMT_CAP], line[256];

    if (c->search_weighing) {
        const product *p = c->search_pick;
        draw_text(d, p->name, area.x + pad, y + dp(d, 24), dp(d, 30), FONT_BOLD, COL_TEXT,
                  ALIGN_LEFT, area.w - 2 * pad);
        money_format_yuan(p->price_fen, price, sizeof price);
        snprintf(line, sizeof line, "%s/kg", price);
        draw_text(d, line, area.x + pad, y + dp(d, 76), dp(d, 24), FONT_REGULAR, COL_TEXT,
                  ALIGN_LEFT, 0);
        int ry = y + dp(d, 120);
        if (p->tare_g > 0) {
            snprintf(line, sizeof line, L("皮重 %lldg（自动扣除）", "Tare %lldg (taken off)"),
                     (long long)p->tare_g);
            draw_text(d, line, area.x + pad, ry, dp(d, 18), FONT_REGULAR, COL_TEXT_DIM,
                      ALIGN_LEFT, 0);
            ry += dp(d, 30);
        }
        if (p->min_g > 0 || p->max_g > 0) {
            snprintf(line, sizeof line, L("净重范围 %lldg – %lldg", "Net weight %lldg – %lldg"),
                     (long long)(p->min_g > 0 ? p->min_g : 1),
                     (long long)(p->max_g > 0 ? p->max_g : BASKET_MAX_GRAMS));
            draw_text(d, line, area.x + pad, ry, dp(d, 18), FONT_REGULAR, COL_TEXT_DIM,
                      ALIGN_LEFT, 0);
            ry += dp(d, 30);
        }
        /* opened from the list (F2) Esc goes back to it; opened by a typed PLU it cancels */
        draw_text(d, c->search_text[0] ? L("在下方输入毛重（克）后回车；Esc 返回列表",
                                           "Type the gross weight (g) below, then Enter; Esc returns to the list")
                                        : L("在下方输入毛重（克）后回车；Esc 取消",
                                            "Type the gross weight (g) below, then Enter; Esc cancels"),
                  area.x + pad, ry + dp(d, 10), dp(d, 18), FONT_REGULAR, COL_ACCENT, ALIGN_LEFT,
                  area.w - 2 * pad);
        return;
    }
    if (!c->search_text[0]) {
        const char *tips[] = {
            L("输入品名的一部分：石榴", "Part of the name: 石榴"),
            L("或拼音首字母：hts = 核桃酥，sl = 石榴", "Or pinyin initials: hts = 核桃酥"),
            L("或条码、PLU：10001", "Or a barcode or PLU: 10001"),
        };
        int ty = y + dp(d, 28);
        for (size_t i = 0; i < sizeof tips / sizeof tips[0]; i++) {
            draw_text(d, tips[i], area.x + pad, ty, dp(d, 20), FONT_REGULAR, COL_TEXT_DIM,
                      ALIGN_LEFT, area.w - 2 * pad);
            ty += dp(d, 40);
        }
        return;
    }
    if (c->search_n == 0) {
        draw_text_in(d, (SDL_Rect){area.x, y, area.w, area.h - head_h},
                     L("没有找到商品", "Nothing found"), dp(d, 24), FONT_REGULAR, COL_TEXT_DIM,
                     ALIGN_CENTER, 0);
        return;
    }
    int row_h = dp(d, 62);
    for (size_t i = 0; i < c->search_n; i++) {
        SDL_Rect row = {area.x + dp(d, 3), y + (int)i * row_h, area.w - dp(d, 6), row_h};
        if (row.y + row.h > area.y + area.h) {
            break;
        }
        const product *p = &c->search_results[i];
        bool sel = i == c->search_sel;
        SDL_Color fg = sel ? COL_SELECT_TEXT : COL_TEXT;
        SDL_Color dim = sel ? COL_SELECT_TEXT : COL_TEXT_DIM;
        sale_list_row_background(d, row, i, sel);
        money_format_yuan(p->price_fen, price, sizeof price);
        snprintf(line, sizeof line, "%s/%s", price, p->by_weight ? "kg" : p->unit);
        int pw = draw_text(d, line, row.x + row.w - pad, row.y + dp(d, 8), dp(d, 21), FONT_BOLD,
                           fg, ALIGN_RIGHT, 0);
        int name_max = row.w - 2 * pad - pw - dp(d, 80);
        int nw = draw_text(d, p->name, row.x + pad, row.y + dp(d, 6), dp(d, 21), FONT_REGULAR, fg,
                           ALIGN_LEFT, name_max);
        if (c->search_relief_today[i]) {
            SDL_Color bg = sel ? COL_SELECT_TEXT : COL_TOTAL;
            SDL_Color tx = sel ? COL_SELECT : COL_SELECT_TEXT;
            sale_chip(d, row.x + pad + nw + dp(d, 8), row.y + dp(d, 8), dp(d, 22), L("扶贫", "PR"), bg,
                 tx, dp(d, 13), ALIGN_LEFT);
        }
        char codes[96];
        if (p->by_weight) {
            snprintf(codes, sizeof codes, "%s  PLU %s  %s", p->sku, p->plu[0] ? p->plu : "—",
                     L("称重", "by weight"));
        } else {
            snprintf(codes, sizeof codes, "%s  %s", p->sku, p->gtin13);
        }
        draw_text(d, codes, row.x + pad, row.y + dp(d, 36), dp(d, 15), FONT_REGULAR, dim,
                  ALIGN_LEFT, row.w - 2 * pad);
    }
}

static void draw_input(const draw_ctx *d, const sale_view *c, SDL_Rect rc)
{
    draw_fill(d, rc, COL_PANEL);
    bool pay = c->mode == VIEW_MODE_PAY;
    SDL_Color mode_bg = pay ? COL_CHIP_SIM : COL_ACCENT;
    const char *mode = pay ? L("收款", "Pay") : L("商品", "Items");
    const char *prompt = pay ? L("现金实收（元）：", "Cash received (yuan): ")
                             : L("条码 / PLU：", "Code / PLU: ");
    const char *text = c->input;
    char weigh_prompt[PRODUCT_NAME_CAP + 32];
    if (c->search_open && c->search_weighing) {
        /* The search pane's weighed product waits for its weight: the line says for what. */
        mode = L("称重", "Weigh");
        mode_bg = COL_CHANGE;
        snprintf(weigh_prompt, sizeof weigh_prompt, L("%s 重量（克）：", "%s weight (g): "),
                 c->search_pick->name);
        prompt = weigh_prompt;
        text = c->search_grams;
    } else if (c->member_entry) {
        mode = L("会员", "Member");
        mode_bg = COL_CHANGE;
        prompt = L("会员卡号 / 手机号：", "Card number / phone: ");
        text = c->member_input;
    } else if (c->search_open) {
        mode = L("搜索", "Search");
        mode_bg = COL_CHANGE;
        prompt = L("品名 / 拼音首字母 / 条码 / PLU：", "Name / pinyin initials / code / PLU: ");
        text = c->search_text;
    }
    int ch = rc.h - dp(d, 16);
    int x = rc.x + dp(d, 12);
    x += sale_chip(d, x, rc.y + dp(d, 8), ch, mode, mode_bg, COL_SELECT_TEXT, dp(d, 19),
              ALIGN_LEFT);
    x += dp(d, 16);
    x += draw_text_in(d, (SDL_Rect){x, rc.y, rc.w * 2 / 5, rc.h}, prompt, dp(d, 18), FONT_REGULAR,
                      COL_TEXT_DIM, ALIGN_LEFT, 0);
    x += dp(d, 6);
    int px = dp(d, 28);
    int tw = draw_text_in(d, (SDL_Rect){x, rc.y, rc.w - (x - rc.x) - dp(d, 200), rc.h},
                          text, px, FONT_BOLD, COL_TEXT, ALIGN_LEFT, 0);
    /* Block cursor after the text: no blinking, which would mean a redraw twice a second. */
    if (!c->busy) {
        draw_fill(d, (SDL_Rect){x + tw + dp(d, 3), rc.y + dp(d, 14), dp(d, 3), rc.h - dp(d, 28)},
                  COL_ACCENT);
    }
    if (c->pending_qty > 0) {
        char q[48];
        snprintf(q, sizeof q, L("数量 ×%lld", "Qty ×%lld"), (long long)c->pending_qty);
        sale_chip(d, rc.x + rc.w - dp(d, 12), rc.y + dp(d, 8), ch, q, COL_CHIP_SIM, COL_SELECT_TEXT,
             dp(d, 19), ALIGN_RIGHT);
    } else if (c->scale_note) {
        /* Motion (with its weight: never priced), under zero, over capacity, fault. */
        char g[48] = "", q[96];
        if (c->scale_grams > 0)
            sale_grams_text(c->scale_grams, g, sizeof g);
        snprintf(q, sizeof q, L("秤 %s %s", "Scale %s %s"), c->scale_note, g);
        sale_chip(d, rc.x + rc.w - dp(d, 12), rc.y + dp(d, 8), ch, q,
                  c->scale_alarm ? COL_ERROR : COL_CHIP_SIM, COL_SELECT_TEXT, dp(d, 19), ALIGN_RIGHT);
    } else if (c->scale_grams > 0) {
        char g[48], q[64];
        sale_grams_text(c->scale_grams, g, sizeof g);
        snprintf(q, sizeof q, L("秤 %s", "Scale %s"), g);
        sale_chip(d, rc.x + rc.w - dp(d, 12), rc.y + dp(d, 8), ch, q, COL_CHIP_OK, COL_SELECT_TEXT,
             dp(d, 19), ALIGN_RIGHT);
    }
}

static void draw_message(const draw_ctx *d, const sale_view *c, SDL_Rect rc)
{
    if (!c->message[0]) {
        return;
    }
    SDL_Color fg = COL_TEXT;
    if (c->msg_kind == VIEW_MSG_ERROR) {
        draw_fill(d, rc, COL_ERROR_BG);
        draw_fill(d, (SDL_Rect){rc.x, rc.y, dp(d, 5), rc.h}, COL_ERROR);
        fg = COL_ERROR;
    } else if (c->msg_kind == VIEW_MSG_WARN) {
        /* A notice, not a refusal: the item was added (a lapsed 扶贫 certificate). */
        draw_fill(d, rc, COL_WARN_BG);
        draw_fill(d, (SDL_Rect){rc.x, rc.y, dp(d, 5), rc.h}, COL_WARN);
        fg = COL_WARN;
    } else if (c->msg_kind == VIEW_MSG_OK) {
        fg = COL_OK;
    }
    draw_text_in(d, rc, c->message, dp(d, 19), c->msg_kind == VIEW_MSG_INFO ? FONT_REGULAR : FONT_BOLD,
                 fg, ALIGN_LEFT, dp(d, 16));
}

typedef struct {
    const char *key, *what;
} key_hint;

/* The keys that do something on the screen as it is: items, search pane or payment. */
static void draw_keys(const draw_ctx *d, const sale_view *c, SDL_Rect rc)
{
    draw_fill(d, rc, COL_HEADER);
    const key_hint items[] = {
        {"F1", L("帮助", "Help")},         {"F2", L("搜索", "Search")},
        {"↑↓", L("选择", "Select")},       {"*", L("数量", "Qty")},
        {"F3", L("改数量", "Set qty")},    {"F4", L("删除", "Void")},
        {"F5", L("会员", "Member")},       {"F7", L("重打", "Reprint")},
        {"F9", L("明星榜", "Stars")},
        {"F12", L("收款", "Pay")},         {"Esc", L("取消", "Cancel")},
        {"Ctrl+Q", L("退出", "Quit")},
    };
    const key_hint member_keys[] = {
        {L("刷卡 / 输入", "Scan / type"), L("会员卡号或手机号", "card number or phone")},
        {L("回车", "Enter"), L("确定", "Attach")},
        {"Esc", L("空白时取消会员 / 关闭", "remove member when empty / close")},
    };
    const key_hint stars[] = {
        {"Esc", L("关闭", "Close")},
        {"F9", L("关闭", "Close")},
    };
    const key_hint search[] = {
        {L("输入", "Type"), L("品名 / 拼音首字母 / 条码 / PLU", "name / initials / code / PLU")},
        {"↑↓", L("选择", "Select")},
        {L("回车", "Enter"), L("加入", "Add")},
        {"Esc", L("返回", "Back")},
        {"F2", L("关闭", "Close")},
    };
    const key_hint weigh[] = {
        {L("数字", "Digits"), L("重量（克）", "weight (g)")},
        {L("回车", "Enter"), L("加入", "Add")},
        {"Esc", c->search_text[0] ? L("返回列表", "Back to list") : L("取消", "Cancel")},
    };
    const key_hint pay[] = {
        {L("数字", "Digits"), L("现金实收", "cash received")},
        {L("回车", "Enter"), L("完成", "Complete")},
        {L("扫码", "Scan"), L("顾客付款码", "customer's payment code")},
        {"F8", L("积分抵现", "pay with points")},
        {"Esc", L("清除 / 取消收款", "Clear / cancel payment")},
        {"F1", L("帮助", "Help")},
    };
    const key_hint *keys = items;
    size_t n = sizeof items / sizeof items[0];
    if (c->stars_open) {
        keys = stars;
        n = sizeof stars / sizeof stars[0];
    } else if (c->member_entry) {
        keys = member_keys;
        n = sizeof member_keys / sizeof member_keys[0];
    } else if (c->search_open && c->search_weighing) {
        keys = weigh;
        n = sizeof weigh / sizeof weigh[0];
    } else if (c->search_open) {
        keys = search;
        n = sizeof search / sizeof search[0];
    } else if (c->mode == VIEW_MODE_PAY) {
        keys = pay;
        n = sizeof pay / sizeof pay[0];
    }
    int x = rc.x + dp(d, 12);
    int kh = rc.h - dp(d, 10);
    for (size_t i = 0; i < n; i++) {
        x += sale_chip(d, x, rc.y + dp(d, 5), kh, keys[i].key, COL_KEYCAP, COL_HEADER_TEXT, dp(d, 14),
                  ALIGN_LEFT);
        x += dp(d, 6);
        x += draw_text_in(d, (SDL_Rect){x, rc.y, dp(d, 300), rc.h}, keys[i].what, dp(d, 15),
                          FONT_REGULAR, COL_HEADER_DIM, ALIGN_LEFT, 0);
        x += dp(d, 18);
        if (x > rc.x + rc.w - dp(d, 60)) {
            break;
        }
    }
}

void sale_screen_draw(const draw_ctx *d, const sale_view *c, size_t *scroll)
{
    SDL_SetRenderDrawColor(d->r, COL_BG.r, COL_BG.g, COL_BG.b, 0xFF);
    SDL_RenderClear(d->r);
    int header_h = dp(d, 60), keys_h = dp(d, 34), msg_h = dp(d, 36), input_h = dp(d, 60);
    int m = dp(d, 10);
    draw_header(d, c, &c->dev, (time_t)c->now_utc, header_h);
    int banner_h = dp(d, 32);
    draw_banner(d, c, (SDL_Rect){0, header_h, d->w, banner_h});
    header_h += banner_h;
    SDL_Rect keys = {0, d->h - keys_h, d->w, keys_h};
    SDL_Rect msg = {m, keys.y - msg_h - dp(d, 4), d->w - 2 * m, msg_h};
    SDL_Rect input = {m, msg.y - input_h - dp(d, 4), d->w - 2 * m, input_h};
    int body_y = header_h + m;
    int body_h = input.y - m - body_y;
    int right_w = d->w * 36 / 100;
    if (right_w < dp(d, 340)) {
        right_w = dp(d, 340);
    }
    SDL_Rect table = {m, body_y, d->w - right_w - 3 * m, body_h};
    SDL_Rect right = {table.x + table.w + m, body_y, right_w, body_h};
    if (c->search_open) {
        draw_search(d, c, table);
    } else {
        draw_table(d, c, table, scroll);
    }
    sale_right(d, c, right);
    draw_input(d, c, input);
    draw_message(d, c, msg);
    draw_keys(d, c, keys);
    if (c->stars_open) {
        sale_stars(d, c);
    }
    if (c->show_help) {
        sale_help(d);
    }
}
