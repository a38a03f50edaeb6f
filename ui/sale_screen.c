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

#include "pos/core/mask.h"
#include "pos/core/money.h"
#include "ui/i18n.h"

static void yuan(fen_t fen, char *buf, size_t cap)
{
    money_format_yuan(fen, buf, cap);
}

static void grams_text(int64_t grams, char *buf, size_t cap)
{
    snprintf(buf, cap, "%lld.%03lldkg", (long long)(grams / 1000), (long long)(grams % 1000));
}

/* A row of a list (basket, search results): selected, else zebra-striped, with a grid line. */
static void list_row_background(const draw_ctx *d, SDL_Rect row, size_t i, bool sel)
{
    if (sel) {
        draw_fill(d, row, COL_SELECT);
    } else if (i % 2 == 1) {
        draw_fill(d, row, COL_ROW_ALT);
    }
    draw_fill(d, (SDL_Rect){row.x, row.y + row.h - 1, row.w, 1}, COL_GRID);
}

/* A small rounded-looking pill: filled box with text. */
static int chip(const draw_ctx *d, int x, int y, int h, const char *text, SDL_Color bg,
                SDL_Color fg, int px, draw_align align)
{
    int tw = text_width(d, text, px, FONT_REGULAR);
    int w = tw + dp(d, 16);
    int left = align == ALIGN_RIGHT ? x - w : x;
    draw_fill(d, (SDL_Rect){left, y, w, h}, bg);
    draw_text_in(d, (SDL_Rect){left, y, w, h}, text, px, FONT_REGULAR, fg, ALIGN_CENTER, 0);
    return w;
}

static void draw_header(const draw_ctx *d, const cashier *c, const device_status *dev,
                        time_t now, int hh)
{
    draw_fill(d, (SDL_Rect){0, 0, d->w, hh}, COL_HEADER);
    const till_config *cfg = &c->t->config;
    int x = dp(d, 18);
    const char *name = cfg->store_name[0] ? cfg->store_name : L("扶贫超市", "Poverty-relief store");
    x += draw_text_in(d, (SDL_Rect){x, 0, d->w / 3, hh}, name, dp(d, 24), FONT_BOLD,
                      COL_HEADER_TEXT, ALIGN_LEFT, 0);
    x += dp(d, 12);
    if (cfg->store_code[0]) {
        x += chip(d, x, (hh - dp(d, 24)) / 2, dp(d, 24), cfg->store_code, COL_KEYCAP,
                  COL_HEADER_TEXT, dp(d, 14), ALIGN_LEFT);
        x += dp(d, 18);
    }
    char who[160];
    snprintf(who, sizeof who, L("收银台 %d   收银员 %s", "Till %d   Cashier %s"), cfg->till_no,
             c->t->cashier[0] ? c->t->cashier : L("未登录", "none"));
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
             tm.tm_mday, i18n_is_en() ? WD_EN[tm.tm_wday % 7] : WD_ZH[tm.tm_wday % 7]);
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
    } devs[] = {
        {L("打印机", "Printer"), dev->printer_state},
        {L("秤", "Scale"), dev->scale_state},
        {L("扫码枪", "Scanner"), dev->scanner_state},
    };
    int ch = dp(d, 26);
    for (size_t i = 0; i < sizeof devs / sizeof devs[0]; i++) {
        char text[64];
        snprintf(text, sizeof text, "%s %s", devs[i].label, devs[i].state);
        SDL_Color bg = COL_CHIP_OK;
        if (dev->simulated) {
            bg = COL_CHIP_SIM;
        } else if (strcmp(devs[i].state, L("未连接", "offline")) == 0) {
            bg = COL_CHIP_OFF;
        }
        rx -= chip(d, rx, (hh - ch) / 2, ch, text, bg, COL_HEADER_TEXT, dp(d, 14), ALIGN_RIGHT);
        rx -= dp(d, 6);
    }
}

/* The campaigns in force now, so the cashier can tell the shopper ("今日活动：每周五扶贫日
 * 扶贫产品9.5折 · 购物送积分"), and the member of the sale on the right.  The list is the
 * till's (promo_active_rules over the loaded rules: pure, microseconds), not a query. */
static void draw_banner(const draw_ctx *d, const cashier *c, SDL_Rect rc)
{
    draw_fill(d, rc, COL_WARN_BG);
    draw_fill(d, (SDL_Rect){rc.x, rc.y + rc.h - 1, rc.w, 1}, COL_WARN);
    const promo_rule *act[PROMO_MAX_RULES];
    size_t n = till_active_rules(c->t, act, PROMO_MAX_RULES);
    char text[1024];
    size_t len = (size_t)snprintf(text, sizeof text, "%s", L("今日活动：", "Today: "));
    if (n == 0) {
        snprintf(text + len, sizeof text - len, "%s", L("无", "none"));
    }
    for (size_t i = 0; i < n && len + 4 < sizeof text; i++) {
        int w = snprintf(text + len, sizeof text - len, "%s%s", i ? " · " : "", act[i]->label);
        if (w < 0) {
            break;
        }
        len += (size_t)w;
    }
    if (c->t->points_cfg.earn_points > 0 && len + 4 < sizeof text) {
        snprintf(text + len, sizeof text - len, "%s", L(" · 购物送积分", " · points on purchases"));
    }
    /* The member on the right; the activities take what is left. */
    int right = 0;
    if (c->t->has_member || c->member_entry) {
        char who[160];
        if (c->member_entry) {
            snprintf(who, sizeof who, L("会员：%s▏", "Member: %s▏"), c->member_input);
        } else {
            snprintf(who, sizeof who, L("会员 %s · 积分 %lld", "Member %s · %lld pts"),
                     c->t->member_masked, (long long)c->t->member_balance);
        }
        right = chip(d, rc.x + rc.w - dp(d, 6), rc.y + dp(d, 3), rc.h - dp(d, 6), who,
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

static void draw_table(const draw_ctx *d, cashier *c, SDL_Rect area)
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
    const basket *b = &c->t->cart;
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
    if (c->selected < c->scroll) {
        c->scroll = c->selected;
    } else if (c->selected >= c->scroll + visible) {
        c->scroll = c->selected + 1 - visible;
    }
    if (c->scroll > b->n_lines) {
        c->scroll = 0;
    }
    for (size_t i = c->scroll; i < b->n_lines && i < c->scroll + visible; i++) {
        const basket_line *ln = &b->lines[i];
        SDL_Rect row = {area.x, body_y + (int)(i - c->scroll) * row_h, area.w, row_h};
        bool sel = i == c->selected;
        SDL_Color fg = sel ? COL_SELECT_TEXT : COL_TEXT;
        SDL_Color dim = sel ? COL_SELECT_TEXT : COL_TEXT_DIM;
        list_row_background(d, row, i, sel);
        char num[24], qty[48], price[64], amount[MONEY_FMT_CAP];
        snprintf(num, sizeof num, "%zu", i + 1);
        if (ln->grams > 0) {
            grams_text(ln->grams, qty, sizeof qty);
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
                chip(d, mx, row.y + (row_h - dp(d, 22)) / 2, dp(d, 22), L("扶贫", "PR"), bg, tx,
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
        int bar_y = body_y + (track_h - bar_h) * (int)c->scroll / (int)(b->n_lines - visible);
        draw_fill(d, (SDL_Rect){area.x + area.w - dp(d, 5), bar_y, dp(d, 4), bar_h},
                  COL_TEXT_DIM);
    }
}

/* The search pane (F2), over the basket table: the matches of what is typed in the input
 * line, best first, or -- once a weighed product is chosen -- that product waiting for its
 * weight. */
static void draw_search(const draw_ctx *d, const cashier *c, SDL_Rect area)
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
        const product *p = &c->search_pick;
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
        list_row_background(d, row, i, sel);
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
            chip(d, row.x + pad + nw + dp(d, 8), row.y + dp(d, 8), dp(d, 22), L("扶贫", "PR"), bg,
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

/* label left, value right, on one row of a card. */
static void kv_row(const draw_ctx *d, SDL_Rect rc, const char *k, const char *v, int kpx,
                   int vpx, SDL_Color vc, font_weight vw)
{
    int pad = dp(d, 16);
    draw_text_in(d, rc, k, kpx, FONT_REGULAR, COL_TEXT_DIM, ALIGN_LEFT, pad);
    draw_text_in(d, rc, v, vpx, vw, vc, ALIGN_RIGHT, pad);
}

static void card(const draw_ctx *d, SDL_Rect rc, const char *title, SDL_Color accent)
{
    draw_fill(d, rc, COL_PANEL);
    draw_fill(d, (SDL_Rect){rc.x, rc.y, dp(d, 5), rc.h}, accent);
    if (title) {
        draw_text(d, title, rc.x + dp(d, 16), rc.y + dp(d, 10), dp(d, 17), FONT_BOLD,
                  COL_TEXT_DIM, ALIGN_LEFT, rc.w - dp(d, 32));
    }
}

/* The promotions of the basket (applied rules with their amounts, gifts, the till's hints)
 * from y down inside rc; returns the y after the last row drawn. */
static int draw_promo_rows(const draw_ctx *d, const promo_result *r, SDL_Rect rc, int y)
{
    char amt[MONEY_FMT_CAP], line[256];
    int rh = dp(d, 24), pad = dp(d, 16), bottom = rc.y + rc.h - dp(d, 4);
    for (size_t i = 0; i < r->n_applied && y + rh <= bottom; i++) {
        const promo_applied *a = &r->applied[i];
        if (a->amount_fen != 0) {
            money_format(a->amount_fen, amt, sizeof amt);
        } else {
            snprintf(amt, sizeof amt, "%s", "✓");
        }
        draw_text_in(d, (SDL_Rect){rc.x, y, rc.w - dp(d, 90), rh}, a->label, dp(d, 15),
                     FONT_REGULAR, COL_TEXT, ALIGN_LEFT, pad);
        draw_text_in(d, (SDL_Rect){rc.x, y, rc.w, rh}, amt, dp(d, 15), FONT_BOLD, COL_ERROR,
                     ALIGN_RIGHT, pad);
        y += rh;
    }
    for (size_t i = 0; i < r->n_gifts && y + rh <= bottom; i++) {
        snprintf(line, sizeof line, L("赠品 %s ×%lld（¥0，计成本与库存）", "Gift %s ×%lld (¥0, stock moves)"),
                 r->gifts[i].sku, (long long)r->gifts[i].qty);
        draw_text_in(d, (SDL_Rect){rc.x, y, rc.w, rh}, line, dp(d, 15), FONT_BOLD, COL_CHANGE,
                     ALIGN_LEFT, pad);
        y += rh;
    }
    for (size_t i = 0; i < r->n_messages && y + rh <= bottom; i++) {
        draw_text_in(d, (SDL_Rect){rc.x, y, rc.w, rh}, r->messages[i].text, dp(d, 15),
                     FONT_REGULAR, COL_WARN, ALIGN_LEFT, pad);
        y += rh;
    }
    return y;
}

static void draw_right(const draw_ctx *d, const cashier *c, SDL_Rect area)
{
    const basket *b = &c->t->cart;
    basket_settlement s;
    basket_settle(b, c->t->config.rounding, &s);
    char buf[MONEY_FMT_CAP], buf2[MONEY_FMT_CAP], line[160];
    int gap = dp(d, 10);
    int y = area.y;

    /* Total card: the number the shopper is told, in the largest type on the screen. */
    int total_h = dp(d, 150);
    SDL_Rect tc = {area.x, y, area.w, total_h};
    card(d, tc, L("合计", "Total"), COL_TOTAL);
    snprintf(line, sizeof line, L("共 %lld 件", "%lld items"), (long long)basket_item_count(b));
    draw_text(d, line, tc.x + tc.w - dp(d, 16), tc.y + dp(d, 10), dp(d, 17), FONT_REGULAR,
              COL_TEXT_DIM, ALIGN_RIGHT, 0);
    if (c->t->priced.discount_total_fen > 0 && b->n_lines) {
        yuan(c->t->priced.discount_total_fen, buf, sizeof buf);
        snprintf(line, sizeof line, L("已优惠 %s", "Saved %s"), buf);
        draw_text(d, line, tc.x + dp(d, 16), tc.y + dp(d, 36), dp(d, 17), FONT_BOLD, COL_ERROR,
                  ALIGN_LEFT, tc.w / 2);
    }
    yuan(s.total_fen, buf, sizeof buf);
    int big = dp(d, 76);
    if (text_width(d, buf, big, FONT_BOLD) > tc.w - dp(d, 32)) {
        big = dp(d, 56);
    }
    /* An empty basket's ¥0.00 in alarm red next to the last sale's change reads as a problem:
     * grey until there is something to pay. */
    draw_text(d, buf, tc.x + tc.w - dp(d, 16), tc.y + total_h - dp(d, 16) - big * 4 / 3,
              big, FONT_BOLD, b->n_lines ? COL_TOTAL : COL_GRID, ALIGN_RIGHT, tc.w - dp(d, 32));
    y += total_h + gap;

    int rest_h = area.y + area.h - y;
    if (c->mode == MODE_PAY_CASH) {
        SDL_Rect pc = {area.x, y, area.w, rest_h};
        card(d, pc, cashier_busy(c) ? L("收款 · 正在保存…", "Payment · saving…")
                                        : L("收款", "Payment"),
             COL_ACCENT);
        /* The other way to pay, always in view: the customer's phone code. */
        draw_text(d, L("现金：输入金额 · 手机支付：扫顾客付款码", "Cash: type it · Phone: scan the code"),
                  pc.x + pc.w - dp(d, 16), pc.y + dp(d, 12), dp(d, 14), FONT_REGULAR, COL_TEXT_DIM,
                  ALIGN_RIGHT, pc.w - dp(d, 110));
        int rh = dp(d, 40);
        int ry = pc.y + dp(d, 40);
        yuan(s.total_fen, buf, sizeof buf);
        kv_row(d, (SDL_Rect){pc.x, ry, pc.w, rh}, L("合计", "Total"), buf, dp(d, 18), dp(d, 20),
               COL_TEXT, FONT_REGULAR);
        ry += rh;
        if (s.rounding_fen != 0) {
            money_format(s.rounding_fen, buf, sizeof buf);
            kv_row(d, (SDL_Rect){pc.x, ry, pc.w, rh}, L("抹零", "Rounding"), buf, dp(d, 18),
                   dp(d, 20), COL_TEXT, FONT_REGULAR);
            ry += rh;
        }
        yuan(s.due_fen, buf, sizeof buf);
        kv_row(d, (SDL_Rect){pc.x, ry, pc.w, rh + dp(d, 6)}, L("应收", "Due"), buf, dp(d, 20),
               dp(d, 30), COL_TEXT, FONT_BOLD);
        ry += rh + dp(d, 6);
        fen_t pts_fen = 0;
        for (size_t i = 0; i < b->n_tenders; i++) {
            if (b->tenders[i].kind == TENDER_POINTS) {
                pts_fen += b->tenders[i].amount_fen;
            }
        }
        if (pts_fen > 0 || c->t->has_member) {
            /* Points: what they pay, or (F8 not pressed yet) what they could. */
            till_points_info pi;
            till_points_info_get(c->t, &pi);
            char k[96];
            if (pts_fen > 0) {
                yuan(pts_fen, buf, sizeof buf);
                snprintf(k, sizeof k, L("积分抵现（F8）", "Points (F8)"));
                snprintf(line, sizeof line, "-%s", buf);
                kv_row(d, (SDL_Rect){pc.x, ry, pc.w, rh}, k, line, dp(d, 18), dp(d, 20),
                       COL_ERROR, FONT_BOLD);
                ry += rh;
                yuan(s.remaining_fen > 0 ? s.remaining_fen : 0, buf, sizeof buf);
                kv_row(d, (SDL_Rect){pc.x, ry, pc.w, rh}, L("还需支付", "Left to pay"), buf,
                       dp(d, 18), dp(d, 22), COL_TEXT, FONT_BOLD);
                ry += rh;
            } else {
                yuan(pi.max_fen, buf, sizeof buf);
                snprintf(k, sizeof k, L("积分 %lld，F8 最多抵", "%lld pts, F8 pays up to"),
                         (long long)pi.balance);
                kv_row(d, (SDL_Rect){pc.x, ry, pc.w, rh}, k, buf, dp(d, 17), dp(d, 18),
                       COL_TEXT_DIM, FONT_REGULAR);
                ry += rh;
            }
        }
        draw_fill(d, (SDL_Rect){pc.x + dp(d, 16), ry + dp(d, 4), pc.w - dp(d, 32), 1}, COL_GRID);
        ry += dp(d, 8);
        const char *received = c->input[0] ? c->input : "—";   /* not an amount (yet) */
        if (s.tendered_fen > 0) {
            yuan(s.tendered_fen, buf, sizeof buf);
            received = buf;
        }
        kv_row(d, (SDL_Rect){pc.x, ry, pc.w, rh + dp(d, 6)}, L("实收", "Received"), received,
               dp(d, 20), dp(d, 30), COL_TEXT, FONT_BOLD);
        ry += rh + dp(d, 14);
        /* Change: what the cashier counts out of the drawer -- large, green. */
        const char *label = L("找零", "Change");
        SDL_Color col = COL_CHANGE;
        if (s.tendered_fen > 0 && s.remaining_fen > 0) {
            label = L("还差", "Short");
            col = COL_ERROR;
            yuan(s.remaining_fen, buf, sizeof buf);
        } else if (s.tendered_fen > 0) {
            yuan(s.change_fen, buf, sizeof buf);
        } else {
            snprintf(buf, sizeof buf, "—");
        }
        int cpx = dp(d, 60);
        draw_text(d, label, pc.x + dp(d, 16), ry + dp(d, 8), dp(d, 22), FONT_BOLD, col,
                  ALIGN_LEFT, 0);
        draw_text(d, buf, pc.x + pc.w - dp(d, 16), ry, cpx, FONT_BOLD, col, ALIGN_RIGHT,
                  pc.w - dp(d, 100));
        ry += cpx * 4 / 3 + dp(d, 8);
        ry = draw_promo_rows(d, &c->t->priced, pc, ry);
        if (s.rounding_fen != 0 && ry + dp(d, 26) < pc.y + pc.h) {
            /* 抹零 is for cash only: a phone payment pays the unrounded remainder, and the
             * cashier should not promise the shopper the rounded figure. */
            basket_settlement e;
            basket_settle(b, ROUNDING_NONE, &e);
            yuan(e.remaining_fen, buf, sizeof buf);
            snprintf(line, sizeof line, L("扫付款码支付 %s（手机支付不抹零）",
                                          "Payment code pays %s (no rounding off cash)"),
                     buf);
            draw_text(d, line, pc.x + dp(d, 16), ry, dp(d, 16), FONT_REGULAR, COL_TEXT_DIM,
                      ALIGN_LEFT, pc.w - dp(d, 32));
        }
        return;
    }

    if (c->have_completed && b->n_lines == 0) {
        SDL_Rect cc = {area.x, y, area.w, rest_h};
        card(d, cc, L("交易完成", "Sale complete"), COL_CHANGE);
        int ry = cc.y + dp(d, 40);
        int rh = dp(d, 36);
        kv_row(d, (SDL_Rect){cc.x, ry, cc.w, rh}, L("收据号", "Receipt"), c->completed_receipt,
               dp(d, 17), dp(d, 19), COL_TEXT, FONT_BOLD);
        ry += rh;
        yuan(c->completed_due, buf, sizeof buf);
        kv_row(d, (SDL_Rect){cc.x, ry, cc.w, rh}, L("应收", "Due"), buf, dp(d, 17), dp(d, 20),
               COL_TEXT, FONT_REGULAR);
        ry += rh;
        yuan(c->completed_tendered, buf2, sizeof buf2);
        char received[64];
        snprintf(received, sizeof received, "%s（%s）", L("实收", "Received"),
                 i18n_tender_name(c->completed_kind));
        kv_row(d, (SDL_Rect){cc.x, ry, cc.w, rh}, received, buf2, dp(d, 17),
               dp(d, 20), COL_TEXT, FONT_REGULAR);
        ry += rh + dp(d, 10);
        draw_fill(d, (SDL_Rect){cc.x + dp(d, 16), ry, cc.w - dp(d, 32), 1}, COL_GRID);
        ry += dp(d, 10);
        yuan(c->completed_change, buf, sizeof buf);
        draw_text(d, L("找零", "Change"), cc.x + dp(d, 16), ry + dp(d, 8), dp(d, 22), FONT_BOLD,
                  COL_CHANGE, ALIGN_LEFT, 0);
        draw_text(d, buf, cc.x + cc.w - dp(d, 16), ry, dp(d, 64), FONT_BOLD, COL_CHANGE,
                  ALIGN_RIGHT, cc.w - dp(d, 100));
        ry += dp(d, 64) * 4 / 3 + dp(d, 6);
        /* What the sale got: every applied rule (the receipt prints the same), gifts, points. */
        const sale_doc *cd = c->completed_doc;
        if (cd) {
            promo_result r;
            memset(&r, 0, sizeof r);
            for (size_t i = 0; i < cd->n_applied && i < PROMO_MAX_APPLIED; i++) {
                snprintf(r.applied[i].label, sizeof r.applied[i].label, "%s", cd->applied[i].label);
                r.applied[i].amount_fen = cd->applied[i].amount_fen;
                r.n_applied++;
            }
            for (size_t i = 0; i < cd->n_gifts && i < PROMO_MAX_GIFTS; i++) {
                snprintf(r.gifts[i].sku, sizeof r.gifts[i].sku, "%s", cd->gifts[i].sku);
                r.gifts[i].qty = cd->gifts[i].qty;
                r.n_gifts++;
            }
            ry = draw_promo_rows(d, &r, cc, ry);
            if (cd->member_id[0] && ry + dp(d, 26) <= cc.y + cc.h) {
                snprintf(line, sizeof line,
                         L("会员 %s  积分 +%lld / -%lld  余额 %lld", "Member %s  points +%lld / -%lld  now %lld"),
                         c->completed_member, (long long)cd->points_earned,
                         (long long)cd->points_redeemed, (long long)c->completed_balance);
                draw_text_in(d, (SDL_Rect){cc.x, ry, cc.w, dp(d, 26)}, line, dp(d, 15), FONT_BOLD,
                             COL_CHANGE, ALIGN_LEFT, dp(d, 16));
            }
        }
        return;
    }

    /* Last scanned item: confirms to the cashier (and the shopper) what the beep was, whether
     * it counts as 扶贫 today and whose it is -- the supplier is what shoppers ask about. */
    int last_h = dp(d, c->have_last_scan && c->last_cert_lapsed ? 176 : 150);
    SDL_Rect lc = {area.x, y, area.w, last_h};
    SDL_Color accent = COL_TEXT_DIM;
    if (c->have_last_scan && c->last_cert_lapsed) {
        accent = COL_WARN;
    } else if (c->have_last_scan && c->last_poverty_relief) {
        accent = COL_TOTAL;
    }
    card(d, lc, L("最近扫描", "Last scanned"), accent);
    if (c->have_last_scan) {
        int inner = lc.w - dp(d, 32);
        int badge_w = c->last_poverty_relief
                          ? text_width(d, L("扶贫产品", "Poverty relief"), dp(d, 14), FONT_REGULAR) +
                                dp(d, 24)
                          : 0;
        int nw = draw_text(d, c->last_name, lc.x + dp(d, 16), lc.y + dp(d, 38), dp(d, 24),
                           FONT_BOLD, COL_TEXT, ALIGN_LEFT, inner - badge_w);
        if (c->last_poverty_relief) {
            chip(d, lc.x + dp(d, 16) + nw + dp(d, 8), lc.y + dp(d, 40), dp(d, 26),
                 L("扶贫产品", "Poverty relief"), COL_TOTAL, COL_SELECT_TEXT, dp(d, 14), ALIGN_LEFT);
        }
        money_format_yuan(c->last_unit_price, buf, sizeof buf);
        money_format_yuan(c->last_amount, buf2, sizeof buf2);
        if (c->last_grams > 0) {
            char g[32];
            grams_text(c->last_grams, g, sizeof g);
            snprintf(line, sizeof line, "%s/kg × %s = %s", buf, g, buf2);
        } else {
            snprintf(line, sizeof line, "%s × %lld = %s", buf, (long long)c->last_qty, buf2);
        }
        draw_text(d, line, lc.x + dp(d, 16), lc.y + dp(d, 76), dp(d, 21), FONT_REGULAR,
                  COL_TEXT, ALIGN_LEFT, inner);
        char sup[192];
        snprintf(sup, sizeof sup, "%s%s", L("供货：", "Supplier: "),
                 c->last_supplier[0] ? c->last_supplier : "—");
        draw_text(d, sup, lc.x + dp(d, 16), lc.y + dp(d, 110), dp(d, 16), FONT_REGULAR,
                  COL_TEXT_DIM, ALIGN_LEFT, inner);
        if (c->last_cert_lapsed) {
            draw_text(d, L("扶贫认证已过期，不计入扶贫销售", "Certificate lapsed: not counted as poverty relief"),
                      lc.x + dp(d, 16), lc.y + dp(d, 140), dp(d, 16), FONT_BOLD, COL_WARN,
                      ALIGN_LEFT, inner);
        }
    } else {
        draw_text(d, "—", lc.x + dp(d, 16), lc.y + dp(d, 44), dp(d, 24), FONT_REGULAR,
                  COL_TEXT_DIM, ALIGN_LEFT, 0);
    }
    y += last_h + gap;
    rest_h = area.y + area.h - y;
    const promo_result *pr = &c->t->priced;
    if (rest_h > dp(d, 60) && b->n_lines > 0 &&
        (pr->n_applied > 0 || pr->n_gifts > 0 || pr->n_messages > 0)) {
        SDL_Rect oc = {area.x, y, area.w, rest_h};
        card(d, oc, L("本单优惠", "Promotions"), COL_ERROR);
        draw_promo_rows(d, pr, oc, oc.y + dp(d, 38));
    } else if (rest_h > dp(d, 60)) {
        /* What comes next, so a new cashier is never stuck. */
        SDL_Rect nc = {area.x, y, area.w, rest_h};
        draw_fill(d, nc, COL_PANEL);
        const char *steps[] = {
            L("扫描商品或称重标签，或输入条码后按回车", "Scan goods or a scale label, or type a code + Enter"),
            L("数量：先输入 3 再按 *，然后扫描", "Quantity: type 3, press *, then scan"),
            L("称重：放上秤，输入 PLU 回车", "Weighed: put it on the scale, type the PLU + Enter"),
            L("F2 搜索商品（拼音首字母）", "F2 search (name, pinyin initials)"),
            L("F12 收款 · F1 全部按键", "F12 payment · F1 all keys"),
        };
        int ry = nc.y + dp(d, 14);
        for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
            if (ry + dp(d, 26) > nc.y + nc.h) {
                break;
            }
            draw_text(d, steps[i], nc.x + dp(d, 16), ry, dp(d, 16), FONT_REGULAR, COL_TEXT_DIM,
                      ALIGN_LEFT, nc.w - dp(d, 32));
            ry += dp(d, 30);
        }
    }
}

static void draw_input(const draw_ctx *d, const cashier *c, SDL_Rect rc)
{
    draw_fill(d, rc, COL_PANEL);
    bool pay = c->mode == MODE_PAY_CASH;
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
                 c->search_pick.name);
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
    x += chip(d, x, rc.y + dp(d, 8), ch, mode, mode_bg, COL_SELECT_TEXT, dp(d, 19),
              ALIGN_LEFT);
    x += dp(d, 16);
    x += draw_text_in(d, (SDL_Rect){x, rc.y, rc.w * 2 / 5, rc.h}, prompt, dp(d, 18), FONT_REGULAR,
                      COL_TEXT_DIM, ALIGN_LEFT, 0);
    x += dp(d, 6);
    int px = dp(d, 28);
    int tw = draw_text_in(d, (SDL_Rect){x, rc.y, rc.w - (x - rc.x) - dp(d, 200), rc.h},
                          text, px, FONT_BOLD, COL_TEXT, ALIGN_LEFT, 0);
    /* Block cursor after the text: no blinking, which would mean a redraw twice a second. */
    if (!cashier_busy(c)) {
        draw_fill(d, (SDL_Rect){x + tw + dp(d, 3), rc.y + dp(d, 14), dp(d, 3), rc.h - dp(d, 28)},
                  COL_ACCENT);
    }
    if (c->pending_qty > 0) {
        char q[48];
        snprintf(q, sizeof q, L("数量 ×%lld", "Qty ×%lld"), (long long)c->pending_qty);
        chip(d, rc.x + rc.w - dp(d, 12), rc.y + dp(d, 8), ch, q, COL_CHIP_SIM, COL_SELECT_TEXT,
             dp(d, 19), ALIGN_RIGHT);
    } else if (c->scale_grams > 0) {
        char g[48], q[64];
        grams_text(c->scale_grams, g, sizeof g);
        snprintf(q, sizeof q, L("秤 %s", "Scale %s"), g);
        chip(d, rc.x + rc.w - dp(d, 12), rc.y + dp(d, 8), ch, q, COL_CHIP_OK, COL_SELECT_TEXT,
             dp(d, 19), ALIGN_RIGHT);
    }
}

static void draw_message(const draw_ctx *d, const cashier *c, SDL_Rect rc)
{
    if (!c->message[0]) {
        return;
    }
    SDL_Color fg = COL_TEXT;
    if (c->msg_kind == MSG_ERROR) {
        draw_fill(d, rc, COL_ERROR_BG);
        draw_fill(d, (SDL_Rect){rc.x, rc.y, dp(d, 5), rc.h}, COL_ERROR);
        fg = COL_ERROR;
    } else if (c->msg_kind == MSG_WARN) {
        /* A notice, not a refusal: the item was added (a lapsed 扶贫 certificate). */
        draw_fill(d, rc, COL_WARN_BG);
        draw_fill(d, (SDL_Rect){rc.x, rc.y, dp(d, 5), rc.h}, COL_WARN);
        fg = COL_WARN;
    } else if (c->msg_kind == MSG_OK) {
        fg = COL_OK;
    }
    draw_text_in(d, rc, c->message, dp(d, 19), c->msg_kind == MSG_INFO ? FONT_REGULAR : FONT_BOLD,
                 fg, ALIGN_LEFT, dp(d, 16));
}

typedef struct {
    const char *key, *what;
} key_hint;

/* The keys that do something on the screen as it is: items, search pane or payment. */
static void draw_keys(const draw_ctx *d, const cashier *c, SDL_Rect rc)
{
    draw_fill(d, rc, COL_HEADER);
    const key_hint items[] = {
        {"F1", L("帮助", "Help")},         {"F2", L("搜索", "Search")},
        {"↑↓", L("选择", "Select")},       {"*", L("数量", "Qty")},
        {"F3", L("改数量", "Set qty")},    {"F4", L("删除", "Void")},
        {"F5", L("会员", "Member")},       {"F9", L("明星榜", "Stars")},
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
    } else if (c->mode == MODE_PAY_CASH) {
        keys = pay;
        n = sizeof pay / sizeof pay[0];
    }
    int x = rc.x + dp(d, 12);
    int kh = rc.h - dp(d, 10);
    for (size_t i = 0; i < n; i++) {
        x += chip(d, x, rc.y + dp(d, 5), kh, keys[i].key, COL_KEYCAP, COL_HEADER_TEXT, dp(d, 14),
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

static void draw_help(const draw_ctx *d)
{
    draw_fill(d, (SDL_Rect){0, 0, d->w, d->h}, COL_OVERLAY);
    struct {
        const char *key, *zh, *en;
    } rows[] = {
        {L("扫码 / 数字+回车", "Scan / digits+Enter"), "加入商品", "Add the item"},
        {L("数字 + *", "Digits + *"), "下一件商品的数量（3* 再扫描 = 3 件）",
         "Quantity for the next scan (3* then scan = 3)"},
        {"↑ / ↓", "选择商品行", "Select a line"},
        {L("数字 + F3", "Digits + F3"), "把选中行的数量改为输入的数", "Set the selected line's quantity"},
        {"F4 / Delete", "删除选中行", "Void the selected line"},
        {L("秤上商品 + PLU + 回车", "Scale + PLU + Enter"), "按秤上重量加入称重商品（自动去皮）",
         "Add weighed goods at the scale's weight (tare off)"},
        {"F2", "搜索：品名 / 拼音首字母 / 条码 / PLU", "Search: name / initials / code / PLU"},
        {"F5", "会员：刷卡或输入卡号 / 手机号回车；空白时 Esc 取消会员",
         "Member: card or phone + Enter; Esc on empty removes"},
        {L("F8（收款时）", "F8 (paying)"), "积分抵现：按上限和余额抵扣，余款再付", "Pay with points up to the cap"},
        {"F9", "本月扶贫消费明星榜（Esc 关闭）", "This month's consumption stars (Esc closes)"},
        {"F12 / " "小键盘 +", "收款：输入现金实收，回车完成", "Payment: type cash received, Enter"},
        {L("扫付款码（收款时）", "Scan code (paying)"), "微信 / 支付宝 / 银联付全部余额",
         "WeChat / Alipay / UnionPay pays the rest"},
        {L("回车（收款时）", "Enter (paying)"), "完成交易；不输入 = 实收等于应收",
         "Complete; nothing typed = exact amount"},
        {"Esc", "清除输入 / 取消收款", "Clear input / cancel payment"},
        {"F1", "显示 / 关闭帮助", "Show / hide this help"},
        {"Ctrl+Q", "退出收银程序", "Quit the till"},
    };
    size_t n = sizeof rows / sizeof rows[0];
    int rh = dp(d, 36);
    int pw = d->w * 2 / 3, ph = dp(d, 70) + (int)n * rh + dp(d, 50);
    SDL_Rect p = {(d->w - pw) / 2, (d->h - ph) / 2, pw, ph};
    draw_fill(d, p, COL_PANEL);
    draw_fill(d, (SDL_Rect){p.x, p.y, p.w, dp(d, 56)}, COL_HEADER);
    draw_text_in(d, (SDL_Rect){p.x, p.y, p.w, dp(d, 56)}, L("按键说明", "Keys"), dp(d, 24),
                 FONT_BOLD, COL_HEADER_TEXT, ALIGN_LEFT, dp(d, 24));
    int y = p.y + dp(d, 68);
    for (size_t i = 0; i < n; i++) {
        SDL_Rect r = {p.x + dp(d, 24), y, p.w - dp(d, 48), rh};
        if (i % 2 == 0) {
            draw_fill(d, r, COL_ROW_ALT);
        }
        draw_text_in(d, (SDL_Rect){r.x, r.y, r.w * 2 / 5, rh}, rows[i].key, dp(d, 18), FONT_BOLD,
                     COL_ACCENT, ALIGN_LEFT, dp(d, 12));
        draw_text_in(d, (SDL_Rect){r.x + r.w * 2 / 5, r.y, r.w * 3 / 5, rh},
                     i18n_is_en() ? rows[i].en : rows[i].zh, dp(d, 18), FONT_REGULAR, COL_TEXT,
                     ALIGN_LEFT, dp(d, 12));
        y += rh;
    }
    draw_text(d, L("按 Esc 或 F1 关闭", "Esc or F1 closes"), p.x + p.w / 2, y + dp(d, 12),
              dp(d, 16), FONT_REGULAR, COL_TEXT_DIM, ALIGN_CENTER, 0);
}

/* The consumption-star board (F9): this month's persons ranked by poverty-relief spend, names
 * phones and cards masked (the board is shown to shoppers), and the organisations' own list
 * (以购代捐, by name).  Drawn from the rows the cashier read when the board opened. */
static void draw_stars(const draw_ctx *d, const cashier *c)
{
    draw_fill(d, (SDL_Rect){0, 0, d->w, d->h}, COL_OVERLAY);
    int pw = d->w * 4 / 5, ph = d->h * 4 / 5;
    SDL_Rect p = {(d->w - pw) / 2, (d->h - ph) / 2, pw, ph};
    draw_fill(d, p, COL_PANEL);
    int hh = dp(d, 56), pad = dp(d, 24);
    draw_fill(d, (SDL_Rect){p.x, p.y, p.w, hh}, COL_ERROR);
    char title[128];
    snprintf(title, sizeof title, L("扶贫消费明星 · %s", "Poverty-relief consumption stars · %s"),
             c->stars_month);
    draw_text_in(d, (SDL_Rect){p.x, p.y, p.w, hh}, title, dp(d, 24), FONT_BOLD, COL_SELECT_TEXT,
                 ALIGN_LEFT, pad);
    draw_text_in(d, (SDL_Rect){p.x, p.y, p.w, hh}, L("姓名电话已隐去部分", "names and phones masked"),
                 dp(d, 15), FONT_REGULAR, COL_SELECT_TEXT, ALIGN_RIGHT, pad);
    int y = p.y + hh + dp(d, 10), rh = dp(d, 34);
    int lw = p.w * 3 / 5;
    /* persons, left */
    static const float colx[] = {0.0f, 0.10f, 0.34f, 0.66f};
    const char *heads[] = {L("名次", "Rank"), L("会员", "Member"), L("手机", "Phone"),
                           L("扶贫消费", "Spend")};
    for (int i = 0; i < 4; i++) {
        draw_text(d, heads[i], p.x + pad + (int)(colx[i] * (float)(lw - pad)), y, dp(d, 16),
                  FONT_BOLD, COL_TEXT_DIM, ALIGN_LEFT, 0);
    }
    y += rh;
    if (c->stars_n == 0) {
        draw_text(d, L("本月还没有会员购买扶贫产品", "No member bought poverty-relief goods yet"),
                  p.x + pad, y + dp(d, 8), dp(d, 18), FONT_REGULAR, COL_TEXT_DIM, ALIGN_LEFT, lw);
    }
    for (size_t i = 0; i < c->stars_n; i++) {
        const star_entry *e = &c->stars[i];
        if (y + rh > p.y + p.h - dp(d, 40)) {
            break;
        }
        if (i % 2 == 0) {
            draw_fill(d, (SDL_Rect){p.x + pad / 2, y - dp(d, 4), lw - pad / 2, rh}, COL_ROW_ALT);
        }
        char rank[16], name[MASK_CAP], phone[MASK_CAP], spend[MONEY_FMT_CAP];
        snprintf(rank, sizeof rank, "%d", e->rank);
        if (!mask_name(e->name, name, sizeof name)) {
            snprintf(name, sizeof name, "*");
        }
        if (!e->phone[0] || !mask_phone(e->phone, phone, sizeof phone)) {
            mask_card(e->member_id, phone, sizeof phone);
        }
        money_format_yuan(e->spend_fen, spend, sizeof spend);
        const char *cells[] = {rank, name, phone, spend};
        for (int k = 0; k < 4; k++) {
            draw_text(d, cells[k], p.x + pad + (int)(colx[k] * (float)(lw - pad)), y, dp(d, 19),
                      k == 0 || k == 3 ? FONT_BOLD : FONT_REGULAR,
                      k == 0 && e->rank <= 3 ? COL_ERROR : COL_TEXT, ALIGN_LEFT, 0);
        }
        y += rh;
    }
    /* organisations, right */
    int ox = p.x + lw + pad, ow = p.w - lw - 2 * pad;
    int oy = p.y + hh + dp(d, 10);
    draw_text(d, L("单位以购代捐", "Organisations (purchase as donation)"), ox, oy, dp(d, 16),
              FONT_BOLD, COL_TEXT_DIM, ALIGN_LEFT, ow);
    oy += rh;
    if (c->star_orgs_n == 0) {
        draw_text(d, "—", ox, oy, dp(d, 18), FONT_REGULAR, COL_TEXT_DIM, ALIGN_LEFT, ow);
    }
    for (size_t i = 0; i < c->star_orgs_n; i++) {
        const star_entry *e = &c->star_orgs[i];
        if (oy + rh * 2 > p.y + p.h - dp(d, 40)) {
            break;
        }
        char spend[MONEY_FMT_CAP];
        money_format_yuan(e->spend_fen, spend, sizeof spend);
        draw_text(d, e->name, ox, oy, dp(d, 17), FONT_REGULAR, COL_TEXT, ALIGN_LEFT, ow);
        draw_text(d, spend, ox, oy + dp(d, 24), dp(d, 17), FONT_BOLD, COL_CHANGE, ALIGN_LEFT, ow);
        oy += rh * 2;
    }
    draw_text(d, L("按 Esc 或 F9 关闭", "Esc or F9 closes"), p.x + p.w / 2, p.y + p.h - dp(d, 32),
              dp(d, 16), FONT_REGULAR, COL_TEXT_DIM, ALIGN_CENTER, 0);
}

void sale_screen_draw(const draw_ctx *d, cashier *c, const device_status *dev, time_t now)
{
    SDL_SetRenderDrawColor(d->r, COL_BG.r, COL_BG.g, COL_BG.b, 0xFF);
    SDL_RenderClear(d->r);
    int header_h = dp(d, 60), keys_h = dp(d, 34), msg_h = dp(d, 36), input_h = dp(d, 60);
    int m = dp(d, 10);
    draw_header(d, c, dev, now, header_h);
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
        draw_table(d, c, table);
    }
    draw_right(d, c, right);
    draw_input(d, c, input);
    draw_message(d, c, msg);
    draw_keys(d, c, keys);
    if (c->stars_open) {
        draw_stars(d, c);
    }
    if (c->show_help) {
        draw_help(d);
    }
}
