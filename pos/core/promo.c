/* promo: schedules, scopes, effects and the one stacking policy of promo.h. */
#include "pos/core/promo.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pos/core/lunar.h"

#define COPY(dst, src) snprintf((dst), sizeof(dst), "%s", (src))

const char *promo_strerror(promo_err err)
{
    switch (err) {
    case PROMO_OK: return "ok";
    case PROMO_ERR_RULE: return "invalid promotion rule";
    case PROMO_ERR_TOO_MANY: return "too many rules or lines";
    case PROMO_ERR_LINE: return "invalid line (negative amount or quantity)";
    case PROMO_ERR_OVERFLOW: return "amount overflow";
    case PROMO_ERR_CAPACITY: return "sale document cannot hold every applied rule or gift";
    }
    return "unknown promotion error";
}

/* ------------------------------------------------------------------ dates */

static bool parse_day(const char *s, int64_t *out)
{
    int y, m, d;
    if (!bizday_parse_day(s, &y, &m, &d))
        return false;
    *out = bizday_days_from_civil(y, m, d);
    return true;
}

static int weekday_of(int64_t days)
{
    int64_t w = (days + 4) % 7; /* 1970-01-01 was a Thursday */
    return (int)(w < 0 ? w + 7 : w);
}

/* If day lies in the anchor's span for some year around y, the offset from the anchor. */
static bool solar_anchor_offset(const promo_schedule *s, int y, int64_t day, int *off)
{
    for (int yy = y - 1; yy <= y + 1; yy++) {
        if (!bizday_civil_valid(yy, s->solar_month, s->solar_day))
            continue; /* Feb 29 outside leap years */
        int64_t a = bizday_days_from_civil(yy, s->solar_month, s->solar_day);
        if (day >= a - s->span_before && day <= a + s->span_after) {
            *off = (int)(day - a);
            return true;
        }
    }
    return false;
}

static bool lunar_anchor_offset(const promo_schedule *s, int y, int64_t day, int *off)
{
    for (int ly = y - 1; ly <= y + 1; ly++) {
        int dd = s->lunar_day;
        int len = lunar_month_length(ly, s->lunar_month, false);
        if (len == 0)
            continue; /* outside the calendar's years */
        if (dd > len)
            dd = len; /* day 30 of a 29-day month: its last day (除夕 on 12/29) */
        int64_t a;
        if (lunar_to_days(ly, s->lunar_month, dd, false, &a) != LUNAR_OK)
            continue;
        if (day >= a - s->span_before && day <= a + s->span_after) {
            *off = (int)(day - a);
            return true;
        }
    }
    return false;
}

bool promo_schedule_on_day(const promo_schedule *s, int y, int m, int d)
{
    if (!bizday_civil_valid(y, m, d))
        return false;
    int64_t day = bizday_days_from_civil(y, m, d);
    if (s->weekdays && !(s->weekdays & PROMO_WEEKDAY(weekday_of(day))))
        return false;
    int64_t lim;
    if (s->from[0] && (!parse_day(s->from, &lim) || day < lim))
        return false;
    if (s->to[0] && (!parse_day(s->to, &lim) || day > lim))
        return false;
    int off;
    if (s->has_solar && !solar_anchor_offset(s, y, day, &off))
        return false;
    if (s->has_lunar && !lunar_anchor_offset(s, y, day, &off))
        return false;
    return true;
}

bool promo_schedule_active(const promo_schedule *s, const civil_time *t)
{
    if (!promo_schedule_on_day(s, t->year, t->month, t->day))
        return false;
    if (s->start_min == s->end_min)
        return true;
    int now = t->hour * 60 + t->minute;
    if (s->start_min < s->end_min)
        return now >= s->start_min && now < s->end_min;
    /* Wrapping window (22:00-02:00): the part after midnight belongs to the day it falls on. */
    return now >= s->start_min || now < s->end_min;
}

/* ------------------------------------------------------------------ rule check */

__attribute__((format(printf, 3, 4)))
static bool why_fail(char *why, size_t cap, const char *fmt, ...)
{
    if (why && cap) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(why, cap, fmt, ap);
        va_end(ap);
    }
    return false;
}

static bool money_ok(fen_t v)
{
    return v >= 0 && v <= MONEY_MAX_FEN;
}

bool promo_rule_check(const promo_rule *r, char *why, size_t cap)
{
    if (!r->id[0] || !memchr(r->id, 0, sizeof r->id))
        return why_fail(why, cap, "规则编号为空");
    if (!r->label[0] || !memchr(r->label, 0, sizeof r->label))
        return why_fail(why, cap, "规则 %s 没有名称", r->id);
    const promo_schedule *s = &r->schedule;
    if (s->weekdays & 0x80)
        return why_fail(why, cap, "规则 %s 的星期设置无效", r->id);
    int64_t a = 0, b = 0;   /* set when from / to are given */
    if (s->from[0] && !parse_day(s->from, &a))
        return why_fail(why, cap, "规则 %s 的开始日期无效", r->id);
    if (s->to[0] && !parse_day(s->to, &b))
        return why_fail(why, cap, "规则 %s 的结束日期无效", r->id);
    if (s->from[0] && s->to[0] && a > b)
        return why_fail(why, cap, "规则 %s 的开始日期晚于结束日期", r->id);
    if (s->has_solar && !bizday_civil_valid(2000, s->solar_month, s->solar_day))
        return why_fail(why, cap, "规则 %s 的公历日期无效", r->id);
    if (s->has_lunar && (s->lunar_month < 1 || s->lunar_month > 12 || s->lunar_day < 1 ||
                         s->lunar_day > 30))
        return why_fail(why, cap, "规则 %s 的农历日期无效", r->id);
    if (s->has_solar && s->has_lunar)
        return why_fail(why, cap, "规则 %s 不能同时按公历和农历日期", r->id);
    if (s->span_before < 0 || s->span_before > 31 || s->span_after < 0 || s->span_after > 31)
        return why_fail(why, cap, "规则 %s 的前后天数须在 0 到 31 之间", r->id);
    if (s->start_min < 0 || s->start_min > 1440 || s->end_min < 0 || s->end_min > 1440)
        return why_fail(why, cap, "规则 %s 的时段无效", r->id);
    const promo_scope *sc = &r->scope;
    switch (sc->kind) {
    case PROMO_SCOPE_ALL:
    case PROMO_SCOPE_POVERTY_RELIEF:
        break;
    case PROMO_SCOPE_CATEGORY:
        if (!sc->category[0])
            return why_fail(why, cap, "规则 %s 没有指定品类", r->id);
        break;
    case PROMO_SCOPE_SKUS:
        if (sc->n_skus == 0 || sc->n_skus > PROMO_MAX_SKUS)
            return why_fail(why, cap, "规则 %s 的商品清单为空或过长", r->id);
        break;
    case PROMO_SCOPE_SUPPLIER:
        if (!sc->supplier_id[0])
            return why_fail(why, cap, "规则 %s 没有指定供货方", r->id);
        break;
    default:
        return why_fail(why, cap, "规则 %s 的适用范围无效", r->id);
    }
    const promo_effect *e = &r->effect;
    switch (e->kind) {
    case PROMO_PERCENT:
        if (e->percent < 0 || e->percent > 100)
            return why_fail(why, cap, "规则 %s 的折扣须在 0 到 100 之间", r->id);
        break;
    case PROMO_BUY_N:
        if (e->buy_n < 2 || e->buy_n > 100)
            return why_fail(why, cap, "规则 %s 的件数须在 2 到 100 之间", r->id);
        if (e->bundle_fen > 0 ? !money_ok(e->bundle_fen)
                              : (e->pay_units < 0 || e->pay_units >= e->buy_n))
            return why_fail(why, cap, "规则 %s 的付款件数或组合价无效", r->id);
        break;
    case PROMO_AMOUNT_OFF:
        if (!money_ok(e->amount_fen) || e->amount_fen == 0)
            return why_fail(why, cap, "规则 %s 的减免金额无效", r->id);
        break;
    case PROMO_THRESHOLD_OFF:
        if (!money_ok(e->amount_fen) || e->amount_fen == 0 || !money_ok(e->threshold_fen) ||
            e->threshold_fen == 0)
            return why_fail(why, cap, "规则 %s 的满减金额无效", r->id);
        break;
    case PROMO_THRESHOLD_GIFT:
        if (!money_ok(e->threshold_fen) || e->threshold_fen == 0)
            return why_fail(why, cap, "规则 %s 的满赠门槛无效", r->id);
        if (e->n_gifts == 0 || e->n_gifts > PROMO_MAX_GIFT_CHOICES)
            return why_fail(why, cap, "规则 %s 的赠品清单为空或过长", r->id);
        for (size_t i = 0; i < e->n_gifts; i++)
            if (!e->gifts[i].sku[0] || e->gifts[i].qty < 1 || e->gifts[i].qty > BASKET_MAX_QTY)
                return why_fail(why, cap, "规则 %s 的赠品无效", r->id);
        break;
    case PROMO_POINTS_MULTIPLIER:
        if (e->multiplier_pct < 100 || e->multiplier_pct > 10000)
            return why_fail(why, cap, "规则 %s 的积分倍数须在 1 到 100 倍之间", r->id);
        break;
    default:
        return why_fail(why, cap, "规则 %s 的优惠方式无效", r->id);
    }
    return true;
}

/* ------------------------------------------------------------------ order of rules */

static int stage_of(promo_effect_kind k)
{
    switch (k) {
    case PROMO_PERCENT:
    case PROMO_BUY_N:
        return 1;
    case PROMO_AMOUNT_OFF:
    case PROMO_THRESHOLD_OFF:
    case PROMO_THRESHOLD_GIFT:
        return 2;
    case PROMO_POINTS_MULTIPLIER:
        return 3;
    }
    return 4;
}

/* <0 when rule a is applied before rule b. */
static int rule_rank_cmp(const promo_rule *rules, size_t a, size_t b)
{
    int sa = stage_of(rules[a].effect.kind), sb = stage_of(rules[b].effect.kind);
    if (sa != sb)
        return sa < sb ? -1 : 1;
    if (rules[a].priority != rules[b].priority)
        return rules[a].priority > rules[b].priority ? -1 : 1;
    int c = strcmp(rules[a].id, rules[b].id);
    if (c)
        return c;
    return a < b ? -1 : (a > b); /* duplicate ids: input order, still deterministic */
}

size_t promo_active_rules(const promo_rule *rules, size_t n_rules, const civil_time *t,
                          bool members, size_t *out_idx, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < n_rules; i++) {
        if (rules[i].scope.members_only && !members)
            continue;
        if (!promo_schedule_active(&rules[i].schedule, t))
            continue;
        if (n < cap) {
            /* Insertion into rank order: rule sets are small (tens). */
            size_t j = n;
            while (j > 0 && rule_rank_cmp(rules, out_idx[j - 1], i) > 0) {
                out_idx[j] = out_idx[j - 1];
                j--;
            }
            out_idx[j] = i;
        }
        n++;
    }
    return n;
}

/* ------------------------------------------------------------------ pricing */

typedef struct {
    const promo_line *l;
    size_t idx;
} line_ref;

static int line_cmp(const void *pa, const void *pb)
{
    const line_ref *a = pa, *b = pb;
    const promo_line *x = a->l, *y = b->l;
    int c = strcmp(x->sku, y->sku);
    if (c)
        return c;
#define CMP_FIELD(f)                                                                           \
    if (x->f != y->f)                                                                          \
        return x->f < y->f ? -1 : 1;
    CMP_FIELD(unit_price_fen)
    CMP_FIELD(by_weight)
    CMP_FIELD(grams)
    CMP_FIELD(qty)
    CMP_FIELD(amount_fen)
    CMP_FIELD(poverty_relief)
#undef CMP_FIELD
    if ((c = strcmp(x->category, y->category)) != 0)
        return c;
    if ((c = strcmp(x->supplier_id, y->supplier_id)) != 0)
        return c;
    return a->idx < b->idx ? -1 : (a->idx > b->idx);
}

static bool in_scope(const promo_scope *s, const promo_line *l)
{
    switch (s->kind) {
    case PROMO_SCOPE_ALL:
        return true;
    case PROMO_SCOPE_POVERTY_RELIEF:
        return l->poverty_relief;
    case PROMO_SCOPE_CATEGORY:
        return strcmp(l->category, s->category) == 0;
    case PROMO_SCOPE_SKUS:
        for (size_t i = 0; i < s->n_skus && i < PROMO_MAX_SKUS; i++)
            if (strcmp(l->sku, s->skus[i]) == 0)
                return true;
        return false;
    case PROMO_SCOPE_SUPPLIER:
        return strcmp(l->supplier_id, s->supplier_id) == 0;
    }
    return false;
}

/* a × b / c rounded half-up, all >= 0, c > 0. */
static bool mul_div_half_up(int64_t a, int64_t b, int64_t c, int64_t *out)
{
    int64_t p;
    if (__builtin_mul_overflow(a, b, &p))
        return false;
    *out = p / c + (p % c >= c - p % c ? 1 : 0);
    return true;
}

/* Working state of one pricing call, in canonical line order. */
typedef struct {
    size_t n;
    line_ref ref[PROMO_MAX_LINES];
    fen_t net[PROMO_MAX_LINES];
    fen_t disc[PROMO_MAX_LINES];
    bool blocked[PROMO_MAX_LINES];
    int mult[PROMO_MAX_LINES];
    /* per rule scratch */
    size_t elig[PROMO_MAX_LINES];
    size_t n_elig;
    bool gave[PROMO_MAX_LINES];
    fen_t weights[PROMO_MAX_LINES];
    fen_t shares[PROMO_MAX_LINES];
    /* gift stock taken by earlier gift rules of this call */
    struct {
        char sku[PRODUCT_SKU_CAP];
        int64_t qty;
    } taken[PROMO_MAX_GIFTS];
    size_t n_taken;
} work;

static void add_message(promo_result *out, promo_msg_kind kind, const promo_rule *r, fen_t amount,
                        const char *text)
{
    if (out->n_messages >= PROMO_MAX_MESSAGES)
        return;
    promo_message *m = &out->messages[out->n_messages++];
    m->kind = kind;
    COPY(m->rule, r->id);
    m->amount_fen = amount;
    COPY(m->text, text);
}

/* Spread `amount` (> 0) over positions pos[0..k) in proportion to their net. */
static bool spread_discount(work *w, const size_t *pos, size_t k, fen_t amount)
{
    for (size_t i = 0; i < k; i++)
        w->weights[i] = w->net[pos[i]];
    if (!money_spread(amount, w->weights, k, w->shares))
        return false;
    for (size_t i = 0; i < k; i++) {
        w->disc[pos[i]] += w->shares[i];
        w->net[pos[i]] -= w->shares[i];
        if (w->shares[i] > 0)
            w->gave[pos[i]] = true;
    }
    return true;
}

static int64_t stock_taken(const work *w, const char *sku)
{
    for (size_t i = 0; i < w->n_taken; i++)
        if (strcmp(w->taken[i].sku, sku) == 0)
            return w->taken[i].qty;
    return 0;
}

static void stock_take(work *w, const char *sku, int64_t qty)
{
    for (size_t i = 0; i < w->n_taken; i++)
        if (strcmp(w->taken[i].sku, sku) == 0) {
            w->taken[i].qty += qty;
            return;
        }
    if (w->n_taken < PROMO_MAX_GIFTS) {
        COPY(w->taken[w->n_taken].sku, sku);
        w->taken[w->n_taken++].qty = qty;
    }
}

/* Apply one rule; *given = money off (>= 0); *applies = the rule gave something. */
static promo_err apply_rule(work *w, const promo_rule *r, const promo_context *ctx,
                            promo_result *out, fen_t *given, bool *applies)
{
    const promo_effect *e = &r->effect;
    *given = 0;
    *applies = false;
    switch (e->kind) {
    case PROMO_PERCENT:
        for (size_t i = 0; i < w->n_elig; i++) {
            size_t p = w->elig[i];
            fen_t kept;
            if (!money_percent(w->net[p], e->percent, &kept))
                return PROMO_ERR_OVERFLOW;
            fen_t d = w->net[p] - kept;
            if (d > 0) {
                w->disc[p] += d;
                w->net[p] -= d;
                w->gave[p] = true;
                *given += d;
            }
        }
        break;

    case PROMO_BUY_N: {
        /* Canonical order sorts by SKU then price, so a group (same SKU and unit price,
         * counted goods) is a run of consecutive eligible positions. */
        size_t i = 0;
        while (i < w->n_elig) {
            size_t p0 = w->elig[i];
            const promo_line *l0 = w->ref[p0].l;
            size_t j = i;
            int64_t q = 0;
            fen_t net = 0;
            size_t grp[PROMO_MAX_LINES];
            size_t k = 0;
            while (j < w->n_elig) {
                const promo_line *lj = w->ref[w->elig[j]].l;
                if (strcmp(lj->sku, l0->sku) != 0 || lj->unit_price_fen != l0->unit_price_fen ||
                    lj->by_weight != l0->by_weight)
                    break;
                if (!lj->by_weight && w->net[w->elig[j]] > 0) {
                    grp[k++] = w->elig[j];
                    q += lj->qty;
                    net += w->net[w->elig[j]];
                }
                j++;
            }
            i = j;
            if (l0->by_weight || k == 0 || q < e->buy_n)
                continue;
            int64_t sets = q / e->buy_n;
            fen_t d;
            if (e->bundle_fen > 0) {
                /* What the units in full sets cost now, minus the bundle price for them. */
                fen_t full, bundles;
                if (!mul_div_half_up(net, sets * e->buy_n, q, &full) ||
                    __builtin_mul_overflow(sets, e->bundle_fen, &bundles))
                    return PROMO_ERR_OVERFLOW;
                d = full - bundles;
            } else {
                if (!mul_div_half_up(net, sets * (e->buy_n - e->pay_units), q, &d))
                    return PROMO_ERR_OVERFLOW;
            }
            if (d > net)
                d = net;
            if (d <= 0)
                continue;
            if (!spread_discount(w, grp, k, d))
                return PROMO_ERR_OVERFLOW;
            *given += d;
        }
        break;
    }

    case PROMO_AMOUNT_OFF:
    case PROMO_THRESHOLD_OFF:
    case PROMO_THRESHOLD_GIFT: {
        fen_t base = 0;
        size_t k = 0;
        size_t pos[PROMO_MAX_LINES];
        for (size_t i = 0; i < w->n_elig; i++) {
            base += w->net[w->elig[i]];
            if (w->net[w->elig[i]] > 0)
                pos[k++] = w->elig[i];
        }
        if (base <= 0)
            break;
        if (e->kind != PROMO_AMOUNT_OFF && base < e->threshold_fen) {
            char amt[MONEY_FMT_CAP], text[PROMO_MSG_CAP];
            money_format_yuan(e->threshold_fen - base, amt, sizeof amt);
            snprintf(text, sizeof text, "再购%s可享「%s」", amt, r->label);
            add_message(out, PROMO_MSG_THRESHOLD_SHORT, r, e->threshold_fen - base, text);
            break;
        }
        if (e->kind == PROMO_THRESHOLD_GIFT) {
            for (size_t g = 0; g < e->n_gifts; g++) {
                const promo_gift_choice *c = &e->gifts[g];
                int64_t on_hand = 0;
                fen_t cost = 0;
                if (!ctx->stock || !ctx->stock(ctx->stock_ctx, c->sku, &on_hand, &cost))
                    continue;
                if (on_hand - stock_taken(w, c->sku) < c->qty)
                    continue;
                if (out->n_gifts >= PROMO_MAX_GIFTS)
                    return PROMO_ERR_CAPACITY;
                promo_gift *gift = &out->gifts[out->n_gifts++];
                COPY(gift->rule, r->id);
                COPY(gift->sku, c->sku);
                gift->qty = c->qty;
                if (cost < 0 || __builtin_mul_overflow(cost, c->qty, &gift->cost_fen))
                    gift->cost_fen = 0;
                stock_take(w, c->sku, c->qty);
                if (g > 0) {
                    char text[PROMO_MSG_CAP];
                    snprintf(text, sizeof text, "「%.60s」赠品 %s 缺货，改赠 %s", r->label,
                             e->gifts[0].sku, c->sku);
                    add_message(out, PROMO_MSG_GIFT_SUBSTITUTED, r, 0, text);
                }
                *applies = true;
                break;
            }
            if (!*applies) {
                char text[PROMO_MSG_CAP];
                snprintf(text, sizeof text, "「%s」赠品均缺货，本次不赠送", r->label);
                add_message(out, PROMO_MSG_GIFT_OUT_OF_STOCK, r, 0, text);
                return PROMO_OK;
            }
            for (size_t i = 0; i < k; i++)
                w->gave[pos[i]] = true;
            return PROMO_OK;
        }
        fen_t off = e->amount_fen;
        if (e->kind == PROMO_THRESHOLD_OFF && e->repeat &&
            __builtin_mul_overflow(base / e->threshold_fen, e->amount_fen, &off))
            return PROMO_ERR_OVERFLOW;
        if (off > base)
            off = base;
        if (!spread_discount(w, pos, k, off))
            return PROMO_ERR_OVERFLOW;
        *given = off;
        /* Every counted line took part in the threshold, discounted by a fen or not. */
        for (size_t i = 0; i < k; i++)
            w->gave[pos[i]] = true;
        break;
    }

    case PROMO_POINTS_MULTIPLIER:
        for (size_t i = 0; i < w->n_elig; i++) {
            size_t p = w->elig[i];
            if (e->multiplier_pct > w->mult[p])
                w->mult[p] = e->multiplier_pct;
            w->gave[p] = true;
            *applies = true;
        }
        return PROMO_OK;
    }
    if (*given > 0)
        *applies = true;
    return PROMO_OK;
}

promo_err promo_price(const promo_line *lines, size_t n_lines, const promo_rule *rules,
                      size_t n_rules, const promo_context *ctx, promo_result *out)
{
    if (n_lines > PROMO_MAX_LINES || n_rules > PROMO_MAX_RULES)
        return PROMO_ERR_TOO_MANY;
    for (size_t i = 0; i < n_rules; i++)
        if (!promo_rule_check(&rules[i], NULL, 0))
            return PROMO_ERR_RULE;
    fen_t subtotal = 0;
    for (size_t i = 0; i < n_lines; i++) {
        const promo_line *l = &lines[i];
        if (!money_ok(l->amount_fen) || l->qty < 0 || l->grams < 0 || l->unit_price_fen < 0 ||
            !memchr(l->sku, 0, sizeof l->sku) || !memchr(l->category, 0, sizeof l->category) ||
            !memchr(l->supplier_id, 0, sizeof l->supplier_id))
            return PROMO_ERR_LINE;
        if (!money_add(subtotal, l->amount_fen, &subtotal))
            return PROMO_ERR_OVERFLOW;
    }

    static _Thread_local work w; /* ~20 KB: kept off the stack of a UI thread */
    memset(out, 0, sizeof *out);
    w.n = n_lines;
    w.n_taken = 0;
    for (size_t i = 0; i < n_lines; i++) {
        w.ref[i].l = &lines[i];
        w.ref[i].idx = i;
    }
    qsort(w.ref, n_lines, sizeof w.ref[0], line_cmp);
    for (size_t p = 0; p < n_lines; p++) {
        w.net[p] = w.ref[p].l->amount_fen;
        w.disc[p] = 0;
        w.blocked[p] = false;
        w.mult[p] = 100;
    }

    size_t order[PROMO_MAX_RULES];
    size_t n_active = promo_active_rules(rules, n_rules, &ctx->now, ctx->member, order,
                                         PROMO_MAX_RULES);
    for (size_t oi = 0; oi < n_active; oi++) {
        const promo_rule *r = &rules[order[oi]];
        w.n_elig = 0;
        for (size_t p = 0; p < n_lines; p++) {
            w.gave[p] = false;
            if (!w.blocked[p] && in_scope(&r->scope, w.ref[p].l))
                w.elig[w.n_elig++] = p;
        }
        if (w.n_elig == 0)
            continue;
        fen_t given;
        bool applies;
        promo_err err = apply_rule(&w, r, ctx, out, &given, &applies);
        if (err != PROMO_OK)
            return err;
        if (!applies)
            continue;
        if (out->n_applied >= PROMO_MAX_APPLIED)
            return PROMO_ERR_CAPACITY;
        promo_applied *a = &out->applied[out->n_applied++];
        COPY(a->rule, r->id);
        COPY(a->label, r->label);
        a->amount_fen = -given;
        if (r->exclusive)
            for (size_t p = 0; p < n_lines; p++)
                if (w.gave[p])
                    w.blocked[p] = true;
    }

    out->n_lines = n_lines;
    fen_t discounts = 0;
    for (size_t p = 0; p < n_lines; p++) {
        out->discount_fen[w.ref[p].idx] = w.disc[p];
        out->points_multiplier_pct[w.ref[p].idx] = w.mult[p];
        discounts += w.disc[p];
    }
    out->subtotal_fen = subtotal;
    out->discount_total_fen = discounts;
    out->total_fen = subtotal - discounts;
    return PROMO_OK;
}

bool promo_stock_from_array(void *ctx, const char *sku, int64_t *on_hand, fen_t *cost_fen)
{
    const promo_stock_array *a = ctx;
    for (size_t i = 0; a && i < a->n; i++)
        if (strcmp(a->items[i].sku, sku) == 0) {
            *on_hand = a->items[i].on_hand;
            *cost_fen = a->items[i].cost_fen;
            return true;
        }
    return false;
}

/* ------------------------------------------------------------------ calendar */

const char *promo_anchor_name(bool lunar, int month, int day)
{
    static const struct {
        bool lunar;
        int m, d;
        const char *name;
    } names[] = {
        {true, 1, 1, "春节"},        {true, 1, 15, "元宵节"},   {true, 5, 5, "端午节"},
        {true, 7, 7, "七夕"},        {true, 8, 15, "中秋节"},   {true, 9, 9, "重阳节"},
        {true, 12, 8, "腊八节"},     {true, 12, 30, "除夕"},    {false, 1, 1, "元旦"},
        {false, 3, 8, "妇女节"},     {false, 5, 1, "劳动节"},   {false, 6, 1, "儿童节"},
        {false, 10, 1, "国庆节"},    {false, 10, 17, "国家扶贫日"},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (names[i].lunar == lunar && names[i].m == month && names[i].d == day)
            return names[i].name;
    return NULL;
}

static void append_what(char *what, size_t cap, const char *item)
{
    /* Skip duplicates: several rules often name the same Friday or festival. */
    size_t il = strlen(item);
    for (const char *p = what; (p = strstr(p, item)) != NULL; p += il) {
        bool starts = p == what || (p >= what + 3 && memcmp(p - 3, "、", 3) == 0);
        bool ends = p[il] == 0 || memcmp(p + il, "、", 3) == 0;
        if (starts && ends)
            return;
    }
    size_t len = strlen(what);
    snprintf(what + len, cap - len, "%s%s", len ? "、" : "", item);
}

static void anchor_label(const promo_schedule *s, bool lunar, int off, char *buf, size_t cap)
{
    int m = lunar ? s->lunar_month : s->solar_month, d = lunar ? s->lunar_day : s->solar_day;
    const char *name = promo_anchor_name(lunar, m, d);
    char base[48];
    if (name)
        snprintf(base, sizeof base, "%s", name);
    else if (lunar)
        snprintf(base, sizeof base, "农历%d月%d日", m, d);
    else
        snprintf(base, sizeof base, "%d月%d日", m, d);
    if (off == 0)
        snprintf(buf, cap, "%s", base);
    else
        snprintf(buf, cap, "%s%+d", base, off);
}

size_t promo_calendar_year(const promo_rule *rules, size_t n_rules, int y,
                           promo_calendar_day *out, size_t cap)
{
    static const char *const wd_names[7] = { "周日", "周一", "周二", "周三", "周四", "周五", "周六" };
    size_t n = 0;
    int64_t first = bizday_days_from_civil(y, 1, 1), last = bizday_days_from_civil(y, 12, 31);
    for (int64_t day = first; day <= last; day++) {
        int yy, m, d;
        bizday_civil_from_days(day, &yy, &m, &d);
        int wd = weekday_of(day);
        char what[96] = "";
        for (size_t i = 0; i < n_rules; i++) {
            const promo_schedule *s = &rules[i].schedule;
            char item[64];
            int off;
            if (s->has_solar && solar_anchor_offset(s, y, day, &off)) {
                anchor_label(s, false, off, item, sizeof item);
                append_what(what, sizeof what, item);
            }
            if (s->has_lunar && lunar_anchor_offset(s, y, day, &off)) {
                anchor_label(s, true, off, item, sizeof item);
                append_what(what, sizeof what, item);
            }
            if (s->weekdays && (s->weekdays & PROMO_WEEKDAY(wd)))
                append_what(what, sizeof what, wd_names[wd]);
        }
        if (!what[0])
            continue;
        if (n < cap) {
            promo_calendar_day *c = &out[n];
            memset(c, 0, sizeof *c);
            c->year = yy;
            c->month = m;
            c->day = d;
            c->weekday = wd;
            lunar_date ld;
            if (lunar_from_days(day, &ld) == LUNAR_OK) {
                c->lunar_year = ld.year;
                c->lunar_month = ld.month;
                c->lunar_day = ld.day;
                c->lunar_leap = ld.leap;
            }
            COPY(c->what, what);
            for (size_t i = 0; i < n_rules && c->n_rules < PROMO_CAL_MAX_RULES; i++)
                if (promo_schedule_on_day(&rules[i].schedule, yy, m, d))
                    c->rules[c->n_rules++] = i;
        }
        n++;
    }
    return n;
}
