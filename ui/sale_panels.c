/* sale_panels: the sale screen's right-hand cards (total, payment, completed sale, last scan,
 * promotions, next steps) and its overlays (help, the consumption-star board), drawn from the
 * view like the rest of sale_screen.c. */
#include <stdio.h>
#include <string.h>

#include "pos/core/money.h"
#include "ui/i18n.h"
#include "ui/sale_parts.h"

/* label left, value right, on one row of a card. */
void sale_kv_row(const draw_ctx *d, SDL_Rect rc, const char *k, const char *v, int kpx,
                   int vpx, SDL_Color vc, font_weight vw)
{
    int pad = dp(d, 16);
    draw_text_in(d, rc, k, kpx, FONT_REGULAR, COL_TEXT_DIM, ALIGN_LEFT, pad);
    draw_text_in(d, rc, v, vpx, vw, vc, ALIGN_RIGHT, pad);
}

void sale_card(const draw_ctx *d, SDL_Rect rc, const char *title, SDL_Color accent)
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
int sale_promo_rows(const draw_ctx *d, const promo_result *r, SDL_Rect rc, int y)
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

void sale_right(const draw_ctx *d, const sale_view *c, SDL_Rect area)
{
    const basket *b = c->cart;
    basket_settlement s = c->settle;
    char buf[MONEY_FMT_CAP], buf2[MONEY_FMT_CAP], line[160];
    int gap = dp(d, 10);
    int y = area.y;

    /* Total card: the number the shopper is told, in the largest type on the screen. */
    int total_h = dp(d, 150);
    SDL_Rect tc = {area.x, y, area.w, total_h};
    sale_card(d, tc, L("合计", "Total"), COL_TOTAL);
    snprintf(line, sizeof line, L("共 %lld 件", "%lld items"), (long long)basket_item_count(b));
    draw_text(d, line, tc.x + tc.w - dp(d, 16), tc.y + dp(d, 10), dp(d, 17), FONT_REGULAR,
              COL_TEXT_DIM, ALIGN_RIGHT, 0);
    if (c->priced->discount_total_fen > 0 && b->n_lines) {
        sale_yuan(c->priced->discount_total_fen, buf, sizeof buf);
        snprintf(line, sizeof line, L("已优惠 %s", "Saved %s"), buf);
        draw_text(d, line, tc.x + dp(d, 16), tc.y + dp(d, 36), dp(d, 17), FONT_BOLD, COL_ERROR,
                  ALIGN_LEFT, tc.w / 2);
    }
    sale_yuan(s.total_fen, buf, sizeof buf);
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
    if (c->mode == VIEW_MODE_PAY) {
        SDL_Rect pc = {area.x, y, area.w, rest_h};
        sale_card(d, pc, c->busy ? L("收款 · 正在保存…", "Payment · saving…")
                                        : L("收款", "Payment"),
             COL_ACCENT);
        /* The other way to pay, always in view: the customer's phone code. */
        draw_text(d, L("现金：输入金额 · 手机支付：扫顾客付款码", "Cash: type it · Phone: scan the code"),
                  pc.x + pc.w - dp(d, 16), pc.y + dp(d, 12), dp(d, 14), FONT_REGULAR, COL_TEXT_DIM,
                  ALIGN_RIGHT, pc.w - dp(d, 110));
        int rh = dp(d, 40);
        int ry = pc.y + dp(d, 40);
        sale_yuan(s.total_fen, buf, sizeof buf);
        sale_kv_row(d, (SDL_Rect){pc.x, ry, pc.w, rh}, L("合计", "Total"), buf, dp(d, 18), dp(d, 20),
               COL_TEXT, FONT_REGULAR);
        ry += rh;
        if (s.rounding_fen != 0) {
            money_format(s.rounding_fen, buf, sizeof buf);
            sale_kv_row(d, (SDL_Rect){pc.x, ry, pc.w, rh}, L("抹零", "Rounding"), buf, dp(d, 18),
                   dp(d, 20), COL_TEXT, FONT_REGULAR);
            ry += rh;
        }
        sale_yuan(s.due_fen, buf, sizeof buf);
        sale_kv_row(d, (SDL_Rect){pc.x, ry, pc.w, rh + dp(d, 6)}, L("应收", "Due"), buf, dp(d, 20),
               dp(d, 30), COL_TEXT, FONT_BOLD);
        ry += rh + dp(d, 6);
        fen_t pts_fen = 0;
        for (size_t i = 0; i < b->n_tenders; i++) {
            if (b->tenders[i].kind == TENDER_POINTS) {
                pts_fen += b->tenders[i].amount_fen;
            }
        }
        if (pts_fen > 0 || c->has_member) {
            /* Points: what they pay, or (F8 not pressed yet) what they could. */
            char k[96];
            if (pts_fen > 0) {
                sale_yuan(pts_fen, buf, sizeof buf);
                snprintf(k, sizeof k, L("积分抵现（F8）", "Points (F8)"));
                snprintf(line, sizeof line, "-%s", buf);
                sale_kv_row(d, (SDL_Rect){pc.x, ry, pc.w, rh}, k, line, dp(d, 18), dp(d, 20),
                       COL_ERROR, FONT_BOLD);
                ry += rh;
                sale_yuan(s.remaining_fen > 0 ? s.remaining_fen : 0, buf, sizeof buf);
                sale_kv_row(d, (SDL_Rect){pc.x, ry, pc.w, rh}, L("还需支付", "Left to pay"), buf,
                       dp(d, 18), dp(d, 22), COL_TEXT, FONT_BOLD);
                ry += rh;
            } else {
                sale_yuan(c->points_max_fen, buf, sizeof buf);
                snprintf(k, sizeof k, L("积分 %lld，F8 最多抵", "%lld pts, F8 pays up to"),
                         (long long)c->points_balance);
                sale_kv_row(d, (SDL_Rect){pc.x, ry, pc.w, rh}, k, buf, dp(d, 17), dp(d, 18),
                       COL_TEXT_DIM, FONT_REGULAR);
                ry += rh;
            }
        }
        draw_fill(d, (SDL_Rect){pc.x + dp(d, 16), ry + dp(d, 4), pc.w - dp(d, 32), 1}, COL_GRID);
        ry += dp(d, 8);
        const char *received = c->input[0] ? c->input : "—";   /* not an amount (yet) */
        if (s.tendered_fen > 0) {
            sale_yuan(s.tendered_fen, buf, sizeof buf);
            received = buf;
        }
        sale_kv_row(d, (SDL_Rect){pc.x, ry, pc.w, rh + dp(d, 6)}, L("实收", "Received"), received,
               dp(d, 20), dp(d, 30), COL_TEXT, FONT_BOLD);
        ry += rh + dp(d, 14);
        /* Change: what the cashier counts out of the drawer -- large, green. */
        const char *label = L("找零", "Change");
        SDL_Color col = COL_CHANGE;
        if (s.tendered_fen > 0 && s.remaining_fen > 0) {
            label = L("还差", "Short");
            col = COL_ERROR;
            sale_yuan(s.remaining_fen, buf, sizeof buf);
        } else if (s.tendered_fen > 0) {
            sale_yuan(s.change_fen, buf, sizeof buf);
        } else {
            snprintf(buf, sizeof buf, "—");
        }
        int cpx = dp(d, 60);
        draw_text(d, label, pc.x + dp(d, 16), ry + dp(d, 8), dp(d, 22), FONT_BOLD, col,
                  ALIGN_LEFT, 0);
        draw_text(d, buf, pc.x + pc.w - dp(d, 16), ry, cpx, FONT_BOLD, col, ALIGN_RIGHT,
                  pc.w - dp(d, 100));
        ry += cpx * 4 / 3 + dp(d, 8);
        ry = sale_promo_rows(d, c->priced, pc, ry);
        if (s.rounding_fen != 0 && ry + dp(d, 26) < pc.y + pc.h) {
            /* 抹零 is for cash only: a phone payment pays the unrounded remainder, and the
             * cashier should not promise the shopper the rounded figure. */
            basket_settlement e = c->settle_exact;
            sale_yuan(e.remaining_fen, buf, sizeof buf);
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
        sale_card(d, cc, L("交易完成", "Sale complete"), COL_CHANGE);
        int ry = cc.y + dp(d, 40);
        int rh = dp(d, 36);
        sale_kv_row(d, (SDL_Rect){cc.x, ry, cc.w, rh}, L("收据号", "Receipt"), c->completed_receipt,
               dp(d, 17), dp(d, 19), COL_TEXT, FONT_BOLD);
        ry += rh;
        sale_yuan(c->completed_due, buf, sizeof buf);
        sale_kv_row(d, (SDL_Rect){cc.x, ry, cc.w, rh}, L("应收", "Due"), buf, dp(d, 17), dp(d, 20),
               COL_TEXT, FONT_REGULAR);
        ry += rh;
        sale_yuan(c->completed_tendered, buf2, sizeof buf2);
        char received[64];
        snprintf(received, sizeof received, "%s（%s）", L("实收", "Received"),
                 c->completed_kind_name);
        sale_kv_row(d, (SDL_Rect){cc.x, ry, cc.w, rh}, received, buf2, dp(d, 17),
               dp(d, 20), COL_TEXT, FONT_REGULAR);
        ry += rh + dp(d, 10);
        draw_fill(d, (SDL_Rect){cc.x + dp(d, 16), ry, cc.w - dp(d, 32), 1}, COL_GRID);
        ry += dp(d, 10);
        sale_yuan(c->completed_change, buf, sizeof buf);
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
            ry = sale_promo_rows(d, &r, cc, ry);
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
    sale_card(d, lc, L("最近扫描", "Last scanned"), accent);
    if (c->have_last_scan) {
        int inner = lc.w - dp(d, 32);
        int badge_w = c->last_poverty_relief
                          ? text_width(d, L("扶贫产品", "Poverty relief"), dp(d, 14), FONT_REGULAR) +
                                dp(d, 24)
                          : 0;
        int nw = draw_text(d, c->last_name, lc.x + dp(d, 16), lc.y + dp(d, 38), dp(d, 24),
                           FONT_BOLD, COL_TEXT, ALIGN_LEFT, inner - badge_w);
        if (c->last_poverty_relief) {
            sale_chip(d, lc.x + dp(d, 16) + nw + dp(d, 8), lc.y + dp(d, 40), dp(d, 26),
                 L("扶贫产品", "Poverty relief"), COL_TOTAL, COL_SELECT_TEXT, dp(d, 14), ALIGN_LEFT);
        }
        money_format_yuan(c->last_unit_price, buf, sizeof buf);
        money_format_yuan(c->last_amount, buf2, sizeof buf2);
        if (c->last_grams > 0) {
            char g[32];
            sale_grams_text(c->last_grams, g, sizeof g);
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
    const promo_result *pr = c->priced;
    if (rest_h > dp(d, 60) && b->n_lines > 0 &&
        (pr->n_applied > 0 || pr->n_gifts > 0 || pr->n_messages > 0)) {
        SDL_Rect oc = {area.x, y, area.w, rest_h};
        sale_card(d, oc, L("本单优惠", "Promotions"), COL_ERROR);
        sale_promo_rows(d, pr, oc, oc.y + dp(d, 38));
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

void sale_help(const draw_ctx *d)
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
        {"F7", "重打上一张小票", "Reprint the last receipt"},
        {"F11 / Shift+F11", "秤归零 / 去皮（秤盘上放容器后按）", "Zero the scale / tare a container on it"},
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
    int rh = dp(d, 34);   /* 19 rows fit the 768-high design */
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
                     ui_is_en() ? rows[i].en : rows[i].zh, dp(d, 18), FONT_REGULAR, COL_TEXT,
                     ALIGN_LEFT, dp(d, 12));
        y += rh;
    }
    draw_text(d, L("按 Esc 或 F1 关闭", "Esc or F1 closes"), p.x + p.w / 2, y + dp(d, 12),
              dp(d, 16), FONT_REGULAR, COL_TEXT_DIM, ALIGN_CENTER, 0);
}

/* The consumption-star board (F9): this month's persons ranked by poverty-relief spend, names
 * phones and cards masked (the board is shown to shoppers), and the organisations' own list
 * (以购代捐, by name).  Drawn from the rows the cashier read when the board opened. */
void sale_stars(const draw_ctx *d, const sale_view *c)
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
        const view_star *e = &c->stars[i];
        if (y + rh > p.y + p.h - dp(d, 40)) {
            break;
        }
        if (i % 2 == 0) {
            draw_fill(d, (SDL_Rect){p.x + pad / 2, y - dp(d, 4), lw - pad / 2, rh}, COL_ROW_ALT);
        }
        char rank[16], spend[MONEY_FMT_CAP];
        snprintf(rank, sizeof rank, "%d", e->rank);
        const char *name = e->name, *phone = e->contact;   /* masked by the app */
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
        const view_star *e = &c->star_orgs[i];
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

