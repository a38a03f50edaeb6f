/* till_promo: promotions, members and points -- the active rules, pricing the basket after
 * every change, the sale's member and the points tender.  See till.h. */
#include "pos/app/till.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db/osrand.h"
#include "pos/app/i18n.h"
#include "pos/app/till_internal.h"
#include "pos/core/bizday.h"
#include "pos/core/paycode.h"
#include "pos/core/promo_basket.h"


till_err till_reload_rules(till *t)
{
    size_t n = 0;
    store_err e = rules_load_active(t->db, t->rules, PROMO_MAX_RULES, &n);
    if (e) {
        t->rules_ok = false;
        t->n_rules = 0;
        snprintf(t->rules_error, sizeof t->rules_error, "%s: %s", i18n_store_error(e),
                 store_last_error(t->db));
        return till_say(t, TILL_ERR_PROMO, "%s", t->rules_error);
    }
    t->n_rules = n;
    t->rules_ok = true;
    t->rules_error[0] = '\0';
    /* The rates belong with the rules: a manager's change applies from the next sale too.
     * A malformed setting stops points, not the till: earning and redeeming refuse below. */
    if (points_load_config(t->db, &t->points_cfg, NULL) != STORE_OK)
        memset(&t->points_cfg, 0, sizeof t->points_cfg);
    return TILL_OK;
}

/* A sale starts with its first line: take the rules as they are now and forget the last
 * sale's category look-ups. */
void till_begin_sale_if_empty(till *t)
{
    if (t->cart.n_lines != 0)
        return;
    t->n_cat = 0;
    char keep[sizeof t->message];
    snprintf(keep, sizeof keep, "%s", t->message);
    if (till_reload_rules(t) == TILL_OK)
        snprintf(t->message, sizeof t->message, "%s", keep);
}

static store_err line_category(till *t, const char *sku, const char **out)
{
    for (size_t i = 0; i < t->n_cat; i++)
        if (strcmp(t->cat_sku[i], sku) == 0) {
            *out = t->cat_name[i][0] ? t->cat_name[i] : NULL;
            return STORE_OK;
        }
    size_t slot = t->n_cat < BASKET_MAX_LINES ? t->n_cat++ : BASKET_MAX_LINES - 1;
    snprintf(t->cat_sku[slot], sizeof t->cat_sku[slot], "%s", sku);
    t->cat_name[slot][0] = '\0';
    store_err e = products_category(t->db, sku, t->cat_name[slot], sizeof t->cat_name[slot]);
    if (e && e != STORE_ERR_NOT_FOUND) {
        t->n_cat = slot;   /* not cached: ask again next time */
        return e;
    }
    *out = t->cat_name[slot][0] ? t->cat_name[slot] : NULL;
    return STORE_OK;
}

till_err till_category(till *t, const char *sku, const char **out)
{
    *out = NULL;
    store_err e = line_category(t, sku, out);
    return e ? till_store_failed(t, e) : TILL_OK;
}

static void clear_discounts(till *t)
{
    for (size_t i = 0; i < t->cart.n_lines; i++)
        t->cart.lines[i].discount_fen = 0;
    memset(&t->priced, 0, sizeof t->priced);
    t->priced_ok = false;
}

/* The one pricing path (screen, `price`, `sell`): the basket's lines at the local civil time
 * of at_utc, the stored rules, the catalog's categories, poverty relief as the lines were
 * stamped, gift stock from the stock journal.  doc (may be NULL) receives applied and gifts. */
till_err till_price_at(till *t, int64_t at_utc, sale_doc *doc)
{
    if (!t->rules_ok) {
        clear_discounts(t);
        return till_say(t, TILL_ERR_PROMO, "%s: %s", i18n_is_en() ? "promotion rules" : "促销规则",
                   t->rules_error);
    }
    promo_line_extra extra[BASKET_MAX_LINES];
    for (size_t i = 0; i < t->cart.n_lines; i++) {
        const char *cat = NULL;
        store_err e = line_category(t, t->cart.lines[i].item.sku, &cat);
        if (e) {
            clear_discounts(t);
            return till_store_failed(t, e);
        }
        extra[i].category = cat;
        /* The line's own stamp: certified on the business day (stamp_poverty_relief). */
        extra[i].poverty_relief = t->cart.lines[i].item.poverty_relief;
    }
    civil_time now;
    bizday_local(at_utc, t->config.tz_offset_min, &now);
    char day[11];
    bizday_format_day(at_utc, t->config.tz_offset_min, day);
    promo_context ctx = {.now = now, .member = t->has_member, .stock = rules_gift_stock,
                         .stock_ctx = t->db};
    promo_err pe = promo_apply_to_basket(&t->cart, extra, day, t->rules, t->n_rules, &ctx,
                                         &t->priced, doc);
    if (pe != PROMO_OK) {
        clear_discounts(t);
        return till_say(t, TILL_ERR_PROMO, "%s: %s", i18n_is_en() ? "pricing" : "计价",
                   promo_strerror(pe));
    }
    t->priced_ok = true;
    return TILL_OK;
}

till_err till_reprice(till *t)
{
    if (t->cart.n_lines == 0) {
        memset(&t->priced, 0, sizeof t->priced);
        t->priced_ok = t->rules_ok;
        return TILL_OK;
    }
    return till_price_at(t, till_now(t), NULL);
}

/* After a basket change that succeeded: price again.  The change stands even if pricing
 * fails (the message says why, and till_prepare_sale refuses until it works). */
till_err till_priced_add(till *t, till_err err)
{
    char keep[sizeof t->message];
    snprintf(keep, sizeof keep, "%s", t->message);
    if (till_reprice(t) != TILL_OK) {
        char why[sizeof t->message];
        snprintf(why, sizeof why, "%s", t->message);
        snprintf(t->message, sizeof t->message, "%s", keep);
        till_say_more(t, "  ！%s", why);
        return err;
    }
    snprintf(t->message, sizeof t->message, "%s", keep);
    /* A discount on the line just added is what the shopper hears about: say it. */
    if (t->priced.discount_total_fen > 0) {
        char d[MONEY_FMT_CAP];
        money_format_yuan(t->priced.discount_total_fen, d, sizeof d);
        till_say_more(t, i18n_is_en() ? "  (discounts %s)" : "  （已优惠 %s）", d);
    }
    return err;
}

static till_err attach_member(till *t, const char *key, bool org_only)
{
    if (!key || !key[0]) {
        bool had = t->has_member;
        t->has_member = false;
        memset(&t->mem, 0, sizeof t->mem);
        t->member_balance = 0;
        t->member_masked[0] = '\0';
        /* Points tendered for the member cannot stay without one. */
        for (size_t i = 0; i < t->cart.n_tenders; i++)
            if (t->cart.tenders[i].kind == TENDER_POINTS) {
                basket_clear_tenders(&t->cart);
                break;
            }
        (void)till_reprice(t);
        return till_say(t, TILL_OK, "%s", had ? (i18n_is_en() ? "Member removed" : "已取消会员")
                                        : (i18n_is_en() ? "No member" : "未设置会员"));
    }
    member m;
    store_err e = members_find_by_key(t->db, key, &m);
    if (e == STORE_ERR_NOT_FOUND)
        return till_say(t, TILL_ERR_MEMBER, i18n_is_en() ? "No member with card or phone %.40s"
                                                    : "没有这个会员（卡号或手机号）：%.40s",
                   key);
    if (e)
        return till_store_failed(t, e);
    if (org_only && m.kind != MEMBER_ORGANISATION)
        return till_say(t, TILL_ERR_MEMBER, i18n_is_en() ? "%s is not an organisation account"
                                                    : "%s 不是单位账户（以购代捐）",
                   m.id);
    int64_t bal = 0;
    if ((e = points_balance(t->db, m.id, &bal)))
        return till_store_failed(t, e);
    t->has_member = true;
    t->mem = m;
    t->member_balance = bal;
    /* Organisations are shown by name (their purchase is public); people masked, since the
     * shopper's screen faces the queue. */
    if (m.kind == MEMBER_ORGANISATION)
        snprintf(t->member_masked, sizeof t->member_masked, "%.60s", m.name);
    else if (!mask_name(m.name, t->member_masked, sizeof t->member_masked))
        snprintf(t->member_masked, sizeof t->member_masked, "*");
    till_err pe = till_reprice(t);
    char card[MASK_CAP];
    mask_card(m.id, card, sizeof card);
    till_say(t, TILL_OK, i18n_is_en() ? "Member %s (%s)  points %lld" : "会员 %s（%s）  积分 %lld",
        t->member_masked, card, (long long)bal);
    if (m.kind == MEMBER_ORGANISATION)
        till_say_more(t, "%s", i18n_is_en() ? "  purchase-as-donation" : "  以购代捐");
    if (pe != TILL_OK)
        till_say_more(t, "  ！%s", t->rules_error[0] ? t->rules_error : "");
    return TILL_OK;
}

till_err till_set_member(till *t, const char *key)
{
    return attach_member(t, key, false);
}

till_err till_set_org(till *t, const char *key)
{
    return attach_member(t, key, true);
}

fen_t till_points_paid(const till *t)
{
    fen_t v = 0;
    for (size_t i = 0; i < t->cart.n_tenders; i++)
        if (t->cart.tenders[i].kind == TENDER_POINTS)
            v += t->cart.tenders[i].amount_fen;
    return v;
}

void till_points_info_get(const till *t, till_points_info *out)
{
    memset(out, 0, sizeof *out);
    if (!t->has_member || !points_config_check(&t->points_cfg))
        return;
    basket_settlement s;
    basket_settle(&t->cart, ROUNDING_NONE, &s);   /* points make the sale not all-cash */
    out->balance = t->member_balance;
    out->total_fen = s.total_fen;
    out->paid_fen = till_points_paid(t);
    points_quote q;
    if (points_redeem_quote(&t->points_cfg, t->member_balance, s.total_fen, -1, &q) != POINTS_OK)
        return;
    out->available = q.max_value_fen > 0;
    out->max_fen = q.max_value_fen;
    out->max_points = q.max_points;
}

/* Check that value_fen in points is allowed on this basket for this member; on success
 * *points receives the points to debit. */
till_err till_check_points(till *t, fen_t value_fen, int64_t *points)
{
    if (!t->has_member)
        return till_say(t, TILL_ERR_POINTS, "%s",
                   i18n_is_en() ? "Points pay only for a member: attach the card or phone first"
                                : "积分支付需要会员：请先刷会员卡或输入手机号");
    if (!points_config_check(&t->points_cfg) || t->points_cfg.redeem_points <= 0)
        return till_say(t, TILL_ERR_POINTS, "%s",
                   i18n_is_en() ? "Points redemption is not configured" : "积分抵现未启用或设置有误");
    basket_settlement s;
    basket_settle(&t->cart, ROUNDING_NONE, &s);
    points_quote cap;
    /* The cap alone (an unlimited balance), to tell "over the cap" from "not enough points". */
    if (points_redeem_quote(&t->points_cfg, INT64_MAX / 4, s.total_fen, -1, &cap) != POINTS_OK)
        return till_say(t, TILL_ERR_POINTS, "%s", i18n_is_en() ? "Points: bad amount" : "积分金额无效");
    char a[MONEY_FMT_CAP];
    if (value_fen > cap.max_value_fen) {
        money_format_yuan(cap.max_value_fen, a, sizeof a);
        return till_say(t, TILL_ERR_POINTS,
                   i18n_is_en() ? "Points may pay at most %s of this sale (%d%%)"
                                : "超过积分抵现上限：本单最多抵 %s（%d%%）",
                   a, t->points_cfg.redeem_cap_pct);
    }
    int64_t need = points_for_fen(&t->points_cfg, value_fen);
    if (need > t->member_balance) {
        return till_say(t, TILL_ERR_POINTS,
                   i18n_is_en() ? "Not enough points: %lld needed, balance %lld"
                                : "积分余额不足：需要 %lld，余额 %lld",
                   (long long)need, (long long)t->member_balance);
    }
    *points = need;
    return TILL_OK;
}

till_err till_pay_points(till *t, fen_t value_fen)
{
    if (t->cart.n_lines == 0)
        return till_basket_refused(t, BASKET_ERR_EMPTY);
    basket_settlement s;
    basket_settle(&t->cart, ROUNDING_NONE, &s);
    fen_t already = till_points_paid(t);
    fen_t left = s.remaining_fen;
    if (value_fen < 0) {
        till_points_info info;
        till_points_info_get(t, &info);
        value_fen = info.max_fen - already;
        if (value_fen > left)
            value_fen = left;
        if (!t->has_member)
            value_fen = 1;   /* let check_points say why */
        if (value_fen <= 0)
            return till_say(t, TILL_ERR_POINTS, "%s",
                       i18n_is_en() ? "No points can pay for this sale" : "本单没有可用的积分抵现额度");
    }
    if (value_fen <= 0)
        return till_basket_refused(t, BASKET_ERR_TENDER);
    if (value_fen > left) {
        char a[MONEY_FMT_CAP];
        money_format_yuan(left, a, sizeof a);
        return till_say(t, TILL_ERR_POINTS,
                   i18n_is_en() ? "Points give no change: at most %s is left to pay"
                                : "积分不找零：还需支付 %s",
                   a);
    }
    int64_t pts = 0;
    till_err e = till_check_points(t, already + value_fen, &pts);
    if (e)
        return e;
    basket_err berr = basket_add_tender(&t->cart, TENDER_POINTS, value_fen, NULL);
    if (berr)
        return till_basket_refused(t, berr);
    char a[MONEY_FMT_CAP];
    money_format_yuan(already + value_fen, a, sizeof a);
    return till_say(t, TILL_OK, i18n_is_en() ? "Points pay %s (%lld points, %lld left)"
                                        : "积分抵现 %s（用 %lld 分，剩 %lld 分）",
               a, (long long)pts, (long long)(t->member_balance - pts));
}

size_t till_active_rules(const till *t, const promo_rule **out, size_t cap)
{
    size_t idx[PROMO_MAX_RULES];
    civil_time now;
    bizday_local(till_now(t), t->config.tz_offset_min, &now);
    size_t n = promo_active_rules(t->rules, t->n_rules, &now, t->has_member, idx,
                                  PROMO_MAX_RULES);
    if (n > PROMO_MAX_RULES)
        n = PROMO_MAX_RULES;
    for (size_t i = 0; i < n && i < cap; i++)
        out[i] = &t->rules[idx[i]];
    return n < cap ? n : cap;
}

void till_current_month(const till *t, char out[8])
{
    char day[11];
    till_business_day(t, day);
    memcpy(out, day, 7);
    out[7] = '\0';
}

till_err till_stars(till *t, const char *month, member_kind kind, star_entry *out, size_t cap,
                    size_t *n)
{
    *n = 0;
    store_err e = stars_board(t->db, month, kind, out, cap, n);
    if (e)
        return till_store_failed(t, e);
    return TILL_OK;
}

till_err till_points_earned(till *t, fen_t due_fen, fen_t points_paid_fen, int64_t *earned)
{
    *earned = 0;
    /* Nobody to credit on an anonymous sale (the store writes no row for it either). */
    if (!t->has_member || t->points_cfg.earn_points <= 0 || !points_config_check(&t->points_cfg))
        return TILL_OK;
    points_line pl[BASKET_MAX_LINES];
    for (size_t i = 0; i < t->cart.n_lines; i++) {
        pl[i].net_fen = t->cart.lines[i].amount_fen - t->cart.lines[i].discount_fen;
        pl[i].multiplier_pct = t->priced.points_multiplier_pct[i];
        pl[i].gift = false;   /* gifts are not basket lines: they never earn */
    }
    if (points_earn(&t->points_cfg, pl, t->cart.n_lines, due_fen, points_paid_fen, NULL,
                    earned) != POINTS_OK)
        return till_say(t, TILL_ERR_POINTS, "%s", i18n_is_en() ? "points: cannot compute"
                                                          : "积分计算失败");
    return TILL_OK;
}

