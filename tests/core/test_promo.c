/* Tests for pos/core/promo: schedules (weekday, solar and lunar anchors, windows), the stacking
 * policy on a table of campaign cases, gifts and stock, the till adapter, `calendar YEAR`, and
 * seeded property tests (no negative line, lines sum to the total, order independence). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "pos/core/basket.h"
#include "pos/core/bizday.h"
#include "pos/core/promo_basket.h"   /* and promo.h */
#include "pos/core/sale.h"

/* ------------------------------------------------------------------ helpers */

static civil_time at(int y, int m, int d, int hh, int mm)
{
    civil_time t = {0};
    t.year = y;
    t.month = m;
    t.day = d;
    t.hour = hh;
    t.minute = mm;
    int64_t days = bizday_days_from_civil(y, m, d);
    t.weekday = (int)(((days + 4) % 7 + 7) % 7);
    return t;
}

/* A schedule anchored on a solar (month/day) or lunar date, with its span of days around it. */
static promo_schedule solar_span(int month, int day, int before, int after)
{
    promo_schedule s = {0};
    s.has_solar = true;
    s.solar_month = month;
    s.solar_day = day;
    s.span_before = before;
    s.span_after = after;
    return s;
}

static promo_schedule lunar_span(int month, int day, int before, int after)
{
    promo_schedule s = {0};
    s.has_lunar = true;
    s.lunar_month = month;
    s.lunar_day = day;
    s.span_before = before;
    s.span_after = after;
    return s;
}

static promo_rule rule(const char *id, const char *label, int prio, promo_effect_kind kind)
{
    promo_rule r;
    memset(&r, 0, sizeof r);
    snprintf(r.id, sizeof r.id, "%s", id);
    snprintf(r.label, sizeof r.label, "%s", label);
    r.priority = prio;
    r.effect.kind = kind;
    return r;
}

static promo_rule friday_90(void)
{
    promo_rule r = rule("friday", "扶贫日 9折", 10, PROMO_PERCENT);
    r.schedule.weekdays = PROMO_FRIDAY;
    r.scope.kind = PROMO_SCOPE_POVERTY_RELIEF;
    r.effect.percent = 90;
    return r;
}

static promo_rule oct17_80(bool exclusive)
{
    promo_rule r = rule("oct17", "国家扶贫日 8折", 20, PROMO_PERCENT);
    r.schedule = solar_span(10, 17, 0, 0);
    r.scope.kind = PROMO_SCOPE_POVERTY_RELIEF;
    r.effect.percent = 80;
    r.exclusive = exclusive;
    return r;
}

static promo_line line(const char *sku, int64_t qty, fen_t unit, bool pr)
{
    promo_line l;
    memset(&l, 0, sizeof l);
    snprintf(l.sku, sizeof l.sku, "%s", sku);
    snprintf(l.supplier_id, sizeof l.supplier_id, "coop-%c", sku[0]);
    snprintf(l.category, sizeof l.category, "%s", pr ? "粮油" : "日用");
    l.poverty_relief = pr;
    l.qty = qty;
    l.unit_price_fen = unit;
    l.amount_fen = unit * qty;
    return l;
}

static promo_context ctx_at(civil_time t)
{
    promo_context c;
    memset(&c, 0, sizeof c);
    c.now = t;
    return c;
}

static fen_t sum_net(const promo_line *l, size_t n, const promo_result *r)
{
    fen_t s = 0;
    for (size_t i = 0; i < n; i++)
        s += l[i].amount_fen - r->discount_fen[i];
    return s;
}

static promo_result res; /* big: keep off the stack */

/* ------------------------------------------------------------------ schedules */

static void test_schedules(void **state)
{
    (void)state;
    promo_rule f = friday_90();
    assert_false(promo_schedule_active(&f.schedule, &(civil_time){0})); /* not a date */
    civil_time t = at(2026, 10, 16, 10, 30); /* a Friday */
    assert_int_equal(t.weekday, 5);
    assert_true(promo_schedule_active(&f.schedule, &t));
    t = at(2026, 10, 17, 10, 30); /* Saturday */
    assert_false(promo_schedule_active(&f.schedule, &t));
    promo_rule o = oct17_80(false);
    assert_true(promo_schedule_active(&o.schedule, &t));

    /* Spring Festival 2026 (Feb 17) with span -1..+6: Feb 16 .. Feb 23. */
    promo_schedule sf = lunar_span(1, 1, 1, 6);
    assert_false(promo_schedule_on_day(&sf, 2026, 2, 15));
    assert_true(promo_schedule_on_day(&sf, 2026, 2, 16));
    assert_true(promo_schedule_on_day(&sf, 2026, 2, 23));
    assert_false(promo_schedule_on_day(&sf, 2026, 2, 24));
    /* Around New Year's Day: Spring Festival 2025 was Jan 29 -> span reaches Jan 28. */
    assert_true(promo_schedule_on_day(&sf, 2025, 1, 28));
    /* Mid-Autumn 2026 = Sep 25. */
    promo_schedule ma = lunar_span(8, 15, 0, 0);
    assert_true(promo_schedule_on_day(&ma, 2026, 9, 25));
    assert_false(promo_schedule_on_day(&ma, 2026, 9, 24));
    /* 除夕 as 12/30: lunar 2025's month 12 has 29 days, so 除夕 is 2026-02-16. */
    promo_schedule eve = lunar_span(12, 30, 0, 0);
    assert_true(promo_schedule_on_day(&eve, 2026, 2, 16));
    /* A span that crosses the year end: Jan 1 with 3 days before. */
    promo_schedule ny = solar_span(1, 1, 3, 0);
    assert_true(promo_schedule_on_day(&ny, 2026, 12, 29));
    assert_false(promo_schedule_on_day(&ny, 2026, 12, 28));
    /* Date range and time window (wrapping past midnight). */
    promo_schedule w = {0};
    snprintf(w.from, sizeof w.from, "2026-01-01");
    snprintf(w.to, sizeof w.to, "2026-12-31");
    w.start_min = 22 * 60;
    w.end_min = 2 * 60;
    t = at(2026, 5, 1, 23, 0);
    assert_true(promo_schedule_active(&w, &t));
    t = at(2026, 5, 1, 1, 59);
    assert_true(promo_schedule_active(&w, &t));
    t = at(2026, 5, 1, 2, 0);
    assert_false(promo_schedule_active(&w, &t));
    t = at(2027, 1, 1, 23, 0);
    assert_false(promo_schedule_active(&w, &t));
    /* Feb 29 anchor only in leap years. */
    promo_schedule leap = solar_span(2, 29, 0, 0);
    assert_true(promo_schedule_on_day(&leap, 2028, 2, 29));
    assert_false(promo_schedule_on_day(&leap, 2027, 3, 1));
}

static void test_rule_check(void **state)
{
    (void)state;
    char why[128];
    promo_rule r = friday_90();
    assert_true(promo_rule_check(&r, why, sizeof why));
    r.effect.percent = 101;
    assert_false(promo_rule_check(&r, why, sizeof why));
    assert_non_null(strstr(why, "friday"));
    r = rule("", "x", 0, PROMO_PERCENT);
    assert_false(promo_rule_check(&r, why, sizeof why));
    r = rule("b", "买三付二", 0, PROMO_BUY_N);
    r.effect.buy_n = 3;
    r.effect.pay_units = 3;
    assert_false(promo_rule_check(&r, why, sizeof why));
    r.effect.pay_units = 2;
    assert_true(promo_rule_check(&r, why, sizeof why));
    r = rule("g", "满赠", 0, PROMO_THRESHOLD_GIFT);
    r.effect.threshold_fen = 5000;
    assert_false(promo_rule_check(&r, why, sizeof why)); /* no gifts */
    r = rule("d", "x", 0, PROMO_PERCENT);
    snprintf(r.schedule.from, sizeof r.schedule.from, "2026-02-30");
    assert_false(promo_rule_check(&r, why, sizeof why));
    promo_line l = line("A1", 1, 100, true);
    promo_context c = ctx_at(at(2026, 10, 16, 10, 0));
    assert_int_equal(promo_price(&l, 1, &r, 1, &c, &res), PROMO_ERR_RULE);
    assert_non_null(promo_strerror(PROMO_ERR_RULE));
}

/* ------------------------------------------------------------------ campaign cases */

/* 2025-10-17 is a Friday and the national poverty-relief day. */
static void test_friday_that_is_oct17(void **state)
{
    (void)state;
    civil_time t = at(2025, 10, 17, 9, 0);
    assert_int_equal(t.weekday, 5);
    promo_line lines[] = { line("A1", 1, 1000, true), line("Z9", 1, 500, false) };
    promo_context c = ctx_at(t);

    /* Exclusive 国家扶贫日 8折 (priority 20) beats and blocks the Friday 9折 (priority 10). */
    promo_rule rules[] = { friday_90(), oct17_80(true) };
    assert_int_equal(promo_price(lines, 2, rules, 2, &c, &res), PROMO_OK);
    assert_int_equal(res.discount_fen[0], 200);
    assert_int_equal(res.discount_fen[1], 0);
    assert_int_equal(res.n_applied, 1);
    assert_string_equal(res.applied[0].rule, "oct17");
    assert_int_equal(res.applied[0].amount_fen, -200);
    assert_int_equal(res.total_fen, 1300);

    /* Not exclusive: both stack, the higher priority first: 1000 -> 800 -> 720. */
    rules[1] = oct17_80(false);
    assert_int_equal(promo_price(lines, 2, rules, 2, &c, &res), PROMO_OK);
    assert_int_equal(res.discount_fen[0], 280);
    assert_int_equal(res.n_applied, 2);
    assert_string_equal(res.applied[0].rule, "oct17");
    assert_string_equal(res.applied[1].rule, "friday");
    assert_int_equal(res.applied[1].amount_fen, -80);

    /* The same rules on 2026-10-16 (a Friday, not Oct 17): only the Friday rule. */
    c.now = at(2026, 10, 16, 9, 0);
    assert_int_equal(promo_price(lines, 2, rules, 2, &c, &res), PROMO_OK);
    assert_int_equal(res.discount_fen[0], 100);
    assert_int_equal(res.n_applied, 1);
    assert_string_equal(res.applied[0].rule, "friday");
}

/* ¥105 of poverty-relief goods on a Friday: 9折 brings it to ¥94.50, below 满100减10. */
static void test_threshold_after_friday_discount(void **state)
{
    (void)state;
    promo_rule rules[2] = { friday_90(), rule("man100", "扶贫产品满100减10", 50,
                                               PROMO_THRESHOLD_OFF) };
    rules[1].scope.kind = PROMO_SCOPE_POVERTY_RELIEF;
    rules[1].effect.threshold_fen = 10000;
    rules[1].effect.amount_fen = 1000;
    promo_line lines[] = { line("A1", 1, 6000, true), line("B1", 1, 4500, true) };
    promo_context c = ctx_at(at(2026, 10, 16, 11, 0));
    assert_int_equal(promo_price(lines, 2, rules, 2, &c, &res), PROMO_OK);
    /* Even with the higher priority, the threshold is evaluated after line discounts. */
    assert_int_equal(res.total_fen, 9450);
    assert_int_equal(res.n_applied, 1);
    assert_string_equal(res.applied[0].rule, "friday");
    assert_int_equal(res.n_messages, 1);
    assert_int_equal(res.messages[0].kind, PROMO_MSG_THRESHOLD_SHORT);
    assert_int_equal(res.messages[0].amount_fen, 550);
    assert_non_null(strstr(res.messages[0].text, "5.50"));

    /* On a Thursday the same basket reaches it: ¥105 - ¥10, spread by largest remainder. */
    c.now = at(2026, 10, 15, 11, 0);
    assert_int_equal(promo_price(lines, 2, rules, 2, &c, &res), PROMO_OK);
    assert_int_equal(res.total_fen, 9500);
    assert_int_equal(res.discount_fen[0] + res.discount_fen[1], 1000);
    assert_int_equal(res.discount_fen[0], 571); /* 1000 × 6000/10500 = 571.43 */
    assert_int_equal(res.discount_fen[1], 429);

    /* 每满100减10, repeat: ¥205 -> ¥20 off. */
    rules[1].effect.repeat = true;
    promo_line big[] = { line("A1", 2, 6000, true), line("B1", 1, 8500, true) };
    assert_int_equal(promo_price(big, 2, rules, 2, &c, &res), PROMO_OK);
    assert_int_equal(res.discount_total_fen, 2000);
}

static void test_gifts_and_stock(void **state)
{
    (void)state;
    promo_rule g = rule("gift50", "扶贫产品满50赠", 5, PROMO_THRESHOLD_GIFT);
    g.scope.kind = PROMO_SCOPE_POVERTY_RELIEF;
    g.effect.threshold_fen = 5000;
    g.effect.n_gifts = 2;
    snprintf(g.effect.gifts[0].sku, PRODUCT_SKU_CAP, "GIFT-EGGS");
    g.effect.gifts[0].qty = 1;
    snprintf(g.effect.gifts[1].sku, PRODUCT_SKU_CAP, "GIFT-TEA");
    g.effect.gifts[1].qty = 2;
    promo_line lines[] = { line("A1", 2, 3000, true) };
    promo_stock_item items[] = { {"GIFT-EGGS", 0, 450}, {"GIFT-TEA", 5, 120} };
    promo_stock_array stock = { items, 2 };
    promo_context c = ctx_at(at(2026, 3, 3, 10, 0));
    c.stock = promo_stock_from_array;
    c.stock_ctx = &stock;

    /* First choice out of stock: the next one is given, with a message. */
    assert_int_equal(promo_price(lines, 1, &g, 1, &c, &res), PROMO_OK);
    assert_int_equal(res.n_gifts, 1);
    assert_string_equal(res.gifts[0].sku, "GIFT-TEA");
    assert_int_equal(res.gifts[0].qty, 2);
    assert_int_equal(res.gifts[0].cost_fen, 240);
    assert_int_equal(res.n_applied, 1);
    assert_int_equal(res.applied[0].amount_fen, 0);
    assert_int_equal(res.discount_total_fen, 0);
    assert_int_equal(res.n_messages, 1);
    assert_int_equal(res.messages[0].kind, PROMO_MSG_GIFT_SUBSTITUTED);

    /* Two gift rules wanting the same stock: the second sees what the first took. */
    promo_rule two[2] = { g, g };
    snprintf(two[1].id, sizeof two[1].id, "gift50b");
    items[1].on_hand = 3;
    assert_int_equal(promo_price(lines, 1, two, 2, &c, &res), PROMO_OK);
    assert_int_equal(res.n_gifts, 1);
    assert_int_equal(res.n_messages, 2);
    assert_int_equal(res.messages[1].kind, PROMO_MSG_GIFT_OUT_OF_STOCK);

    /* Nothing in stock: skipped with a message, never invented. */
    items[1].on_hand = 1;
    assert_int_equal(promo_price(lines, 1, &g, 1, &c, &res), PROMO_OK);
    assert_int_equal(res.n_gifts, 0);
    assert_int_equal(res.n_applied, 0);
    assert_int_equal(res.n_messages, 1);
    assert_int_equal(res.messages[0].kind, PROMO_MSG_GIFT_OUT_OF_STOCK);
    assert_non_null(strstr(res.messages[0].text, "缺货"));
    /* No stock source at all behaves the same. */
    c.stock = NULL;
    assert_int_equal(promo_price(lines, 1, &g, 1, &c, &res), PROMO_OK);
    assert_int_equal(res.n_gifts, 0);
}

static void test_buy_n(void **state)
{
    (void)state;
    promo_rule b = rule("b3p2", "买三付二", 0, PROMO_BUY_N);
    b.scope.kind = PROMO_SCOPE_SKUS;
    snprintf(b.scope.skus[0], PRODUCT_SKU_CAP, "EGG");
    b.scope.n_skus = 1;
    b.effect.buy_n = 3;
    b.effect.pay_units = 2;
    /* 4 eggs at ¥3 on two lines: one full set -> ¥3 off, spread over both lines. */
    promo_line lines[] = { line("EGG", 1, 300, true), line("EGG", 3, 300, true),
                           line("RICE", 3, 300, true) };
    promo_context c = ctx_at(at(2026, 3, 3, 10, 0));
    assert_int_equal(promo_price(lines, 3, &b, 1, &c, &res), PROMO_OK);
    assert_int_equal(res.discount_fen[0] + res.discount_fen[1], 300);
    assert_int_equal(res.discount_fen[0], 75);
    assert_int_equal(res.discount_fen[1], 225);
    assert_int_equal(res.discount_fen[2], 0);
    /* 3 for ¥8: 900 -> 800. */
    b.effect.pay_units = 0;
    b.effect.bundle_fen = 800;
    promo_line three[] = { line("EGG", 3, 300, true) };
    assert_int_equal(promo_price(three, 1, &b, 1, &c, &res), PROMO_OK);
    assert_int_equal(res.discount_fen[0], 100);
    /* A bundle dearer than the price gives nothing. */
    b.effect.bundle_fen = 1000;
    assert_int_equal(promo_price(three, 1, &b, 1, &c, &res), PROMO_OK);
    assert_int_equal(res.discount_fen[0], 0);
    assert_int_equal(res.n_applied, 0);
}

static void test_scopes_members_points(void **state)
{
    (void)state;
    promo_rule r[4];
    r[0] = rule("mem", "会员 95折", 0, PROMO_PERCENT);
    r[0].scope.members_only = true;
    r[0].effect.percent = 95;
    r[1] = rule("coop", "合作社直供立减2元", 0, PROMO_AMOUNT_OFF);
    r[1].scope.kind = PROMO_SCOPE_SUPPLIER;
    snprintf(r[1].scope.supplier_id, SUPPLIER_ID_CAP, "coop-B");
    r[1].effect.amount_fen = 200;
    r[2] = rule("x2", "扶贫产品双倍积分", 0, PROMO_POINTS_MULTIPLIER);
    r[2].scope.kind = PROMO_SCOPE_POVERTY_RELIEF;
    r[2].effect.multiplier_pct = 200;
    r[3] = rule("x3", "粮油三倍积分", 0, PROMO_POINTS_MULTIPLIER);
    r[3].scope.kind = PROMO_SCOPE_CATEGORY;
    snprintf(r[3].scope.category, PROMO_CATEGORY_CAP, "粮油");
    r[3].effect.multiplier_pct = 300;
    promo_line lines[] = { line("A1", 1, 1000, true), line("B1", 1, 150, true),
                           line("Z1", 1, 1000, false) };
    promo_context c = ctx_at(at(2026, 3, 3, 10, 0));
    assert_int_equal(promo_price(lines, 3, r, 4, &c, &res), PROMO_OK);
    assert_int_equal(res.discount_fen[0], 0);
    assert_int_equal(res.discount_fen[1], 150); /* capped at the line: never negative */
    assert_int_equal(res.points_multiplier_pct[0], 300);
    assert_int_equal(res.points_multiplier_pct[2], 100);
    c.member = true;
    assert_int_equal(promo_price(lines, 3, r, 4, &c, &res), PROMO_OK);
    assert_int_equal(res.discount_fen[0], 50);
    assert_int_equal(res.discount_fen[2], 50);
    assert_int_equal(res.total_fen, sum_net(lines, 3, &res));
    assert_true(res.total_fen >= 0);

    size_t idx[8];
    civil_time t = at(2026, 3, 3, 10, 0);
    assert_int_equal(promo_active_rules(r, 4, &t, false, idx, 8), 3);
    assert_int_equal(promo_active_rules(r, 4, &t, true, idx, 8), 4);
    /* Application order: stage 1 (mem) < stage 2 (coop) < stage 3 (x2, x3 by id). */
    assert_int_equal(idx[0], 0);
    assert_int_equal(idx[1], 1);
    assert_int_equal(idx[2], 2);
    assert_int_equal(idx[3], 3);
}

/* ------------------------------------------------------------------ adapter */

static product prod(const char *sku, fen_t price, bool pr, const char *supplier)
{
    product p;
    memset(&p, 0, sizeof p);
    snprintf(p.sku, sizeof p.sku, "%s", sku);
    snprintf(p.name, sizeof p.name, "商品%s", sku);
    p.price_fen = price;
    p.poverty_relief = pr;
    p.active = true;
    snprintf(p.supplier_id, sizeof p.supplier_id, "%s", supplier);
    return p;
}

static basket bk;
static sale_doc doc;

static void test_apply_to_basket(void **state)
{
    (void)state;
    basket_init(&bk);
    product a = prod("A1", 1280, true, "hh-001"), z = prod("Z1", 500, false, "firm-1");
    snprintf(a.cert_valid_to, sizeof a.cert_valid_to, "2026-12-31");
    assert_int_equal(basket_add_product(&bk, &a, 2, NULL), BASKET_OK);
    assert_int_equal(basket_add_product(&bk, &z, 1, NULL), BASKET_OK);
    promo_rule rules[] = { friday_90() };
    promo_context c = ctx_at(at(2026, 10, 16, 10, 30));
    memset(&doc, 0, sizeof doc);
    assert_int_equal(promo_apply_to_basket(&bk, NULL, "2026-10-16", rules, 1, &c, &res, &doc),
                     PROMO_OK);
    assert_int_equal(bk.lines[0].discount_fen, 256);
    assert_int_equal(bk.lines[1].discount_fen, 0);
    assert_int_equal(basket_total(&bk), 2560 - 256 + 500);
    assert_int_equal(doc.n_applied, 1);
    assert_string_equal(doc.applied[0].label, "扶贫日 9折");
    assert_int_equal(doc.applied[0].amount_fen, -256);
    /* The rest of the sale path: the document checks out. */
    assert_int_equal(basket_add_tender(&bk, TENDER_CASH, 3000, NULL), BASKET_OK);
    assert_int_equal(sale_from_basket(&bk, ROUNDING_NONE, &doc), SALE_OK);
    char why[128];
    assert_int_equal(sale_check(&doc, false, why, sizeof why), SALE_OK);
    assert_int_equal(doc.lines[0].discount_fen, 256);

    /* A lapsed certificate on the business day: not poverty relief, no discount. */
    assert_int_equal(promo_apply_to_basket(&bk, NULL, "2027-01-15", rules, 1, &c, &res, NULL),
                     PROMO_OK);
    assert_int_equal(bk.lines[0].discount_fen, 0);
    /* Explicit extras (category, poverty flag) from the caller. */
    promo_line_extra ex[2] = { {"粮油", true}, {NULL, true} };
    assert_int_equal(promo_apply_to_basket(&bk, ex, NULL, rules, 1, &c, &res, NULL), PROMO_OK);
    assert_int_equal(bk.lines[1].discount_fen, 50);
}

/* ------------------------------------------------------------------ calendar */

static promo_rule plan[7];
static promo_calendar_day cal[400];

static size_t demo_plan(void)
{
    plan[0] = friday_90();
    plan[1] = oct17_80(true);
    plan[2] = rule("spring", "春节 满200减20", 30, PROMO_THRESHOLD_OFF);
    plan[2].schedule = lunar_span(1, 1, 1, 6);
    plan[2].effect.threshold_fen = 20000;
    plan[2].effect.amount_fen = 2000;
    plan[3] = rule("midautumn", "中秋 满100赠月饼", 30, PROMO_THRESHOLD_GIFT);
    plan[3].schedule = lunar_span(8, 15, 3, 0);
    plan[3].effect.threshold_fen = 10000;
    plan[3].effect.n_gifts = 1;
    snprintf(plan[3].effect.gifts[0].sku, PRODUCT_SKU_CAP, "MOONCAKE");
    plan[3].effect.gifts[0].qty = 1;
    plan[4] = rule("mayday", "劳动节 双倍积分", 0, PROMO_POINTS_MULTIPLIER);
    plan[4].schedule = solar_span(5, 1, 0, 4);
    plan[4].effect.multiplier_pct = 200;
    plan[5] = rule("national", "国庆 9.5折", 5, PROMO_PERCENT);
    plan[5].schedule = solar_span(10, 1, 0, 6);
    plan[5].effect.percent = 95;
    plan[6] = rule("fri2027", "周五会员日 (2027起)", 0, PROMO_POINTS_MULTIPLIER);
    plan[6].schedule.weekdays = PROMO_FRIDAY;
    snprintf(plan[6].schedule.from, sizeof plan[6].schedule.from, "2027-01-01");
    plan[6].effect.multiplier_pct = 300;
    return 7;
}

static const promo_calendar_day *find_day(size_t n, int m, int d)
{
    for (size_t i = 0; i < n; i++)
        if (cal[i].month == m && cal[i].day == d)
            return &cal[i];
    static const promo_calendar_day none; /* month 0: "not in the calendar" */
    return &none;
}

static bool has_rule(const promo_calendar_day *c, size_t idx)
{
    for (size_t i = 0; i < c->n_rules; i++)
        if (c->rules[i] == idx)
            return true;
    return false;
}

static void test_calendar_2026(void **state)
{
    (void)state;
    size_t nr = demo_plan();
    size_t n = promo_calendar_year(plan, nr, 2026, cal, 400);
    /* 52 Fridays + 8 Spring Festival days + 4 Mid-Autumn + Oct 17 + 5 May Day + 7 National
     * Day, minus the overlaps (Fridays inside those spans, Oct 17 inside none). */
    int fridays = 0;
    for (size_t i = 0; i < n; i++)
        fridays += cal[i].weekday == 5;
    assert_int_equal(fridays, 52);
    const promo_calendar_day *d = find_day(n, 2, 17);
    assert_int_not_equal(d->month, 0);
    assert_non_null(strstr(d->what, "春节"));
    assert_int_equal(d->lunar_month * 100 + d->lunar_day, 101);
    assert_true(has_rule(d, 2));
    d = find_day(n, 2, 16);
    assert_int_not_equal(d->month, 0);
    assert_non_null(strstr(d->what, "春节-1"));
    d = find_day(n, 2, 23);
    assert_int_not_equal(d->month, 0);
    assert_non_null(strstr(d->what, "春节+6"));
    assert_int_equal(find_day(n, 2, 24)->month, 0);
    d = find_day(n, 9, 25);
    assert_int_not_equal(d->month, 0);
    assert_non_null(strstr(d->what, "中秋节"));
    assert_int_not_equal(find_day(n, 9, 22)->month, 0);
    d = find_day(n, 10, 17);
    assert_int_not_equal(d->month, 0);
    assert_non_null(strstr(d->what, "国家扶贫日"));
    assert_true(has_rule(d, 1));
    d = find_day(n, 10, 16);
    assert_int_not_equal(d->month, 0);
    assert_non_null(strstr(d->what, "周五"));
    assert_true(has_rule(d, 0));
    assert_false(has_rule(d, 6)); /* named (a Friday) but its range starts in 2027 */
    d = find_day(n, 5, 1);
    assert_int_not_equal(d->month, 0);
    assert_non_null(strstr(d->what, "劳动节"));
    d = find_day(n, 10, 2);
    assert_int_not_equal(d->month, 0);
    assert_non_null(strstr(d->what, "国庆节+1"));
    /* Friday Oct 2 carries both names once each. */
    assert_non_null(strstr(d->what, "周五"));
    assert_null(strstr(strstr(d->what, "周五") + 1, "周五"));
    /* Sorted by date. */
    for (size_t i = 1; i < n; i++)
        assert_true(cal[i - 1].month * 100 + cal[i - 1].day < cal[i].month * 100 + cal[i].day);
    /* 2025: Oct 17 is a Friday, one entry naming both. */
    n = promo_calendar_year(plan, nr, 2025, cal, 400);
    d = find_day(n, 10, 17);
    assert_int_not_equal(d->month, 0);
    assert_non_null(strstr(d->what, "国家扶贫日"));
    assert_non_null(strstr(d->what, "周五"));
    d = find_day(n, 1, 29);
    assert_int_not_equal(d->month, 0);
    assert_non_null(strstr(d->what, "春节"));
    d = find_day(n, 10, 6);
    assert_int_not_equal(d->month, 0);
    assert_non_null(strstr(d->what, "中秋节"));
    assert_non_null(strstr(d->what, "国庆节+5"));
}

/* ------------------------------------------------------------------ properties */

static uint64_t rng_state;
static uint32_t rnd(void)
{
    /* xorshift64*: fixed seed, the same sequence on every machine. */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (uint32_t)((rng_state * 0x2545F4914F6CDD1DULL) >> 32);
}
static int rnd_in(int lo, int hi)
{
    return lo + (int)(rnd() % (uint32_t)(hi - lo + 1));
}

static void random_rule(promo_rule *r, int i)
{
    static const char *const cats[] = { "粮油", "日用", "山货" };
    char id[16];
    snprintf(id, sizeof id, "r%02d", rnd_in(0, 40));
    *r = rule(id, "随机规则", rnd_in(0, 5), (promo_effect_kind)rnd_in(0, 5));
    (void)i;
    r->exclusive = rnd_in(0, 3) == 0;
    r->scope.kind = (promo_scope_kind)rnd_in(0, 4);
    snprintf(r->scope.category, PROMO_CATEGORY_CAP, "%s", cats[rnd_in(0, 2)]);
    snprintf(r->scope.supplier_id, SUPPLIER_ID_CAP, "coop-%c", 'A' + rnd_in(0, 5));
    r->scope.n_skus = (size_t)rnd_in(1, 4);
    for (size_t k = 0; k < r->scope.n_skus; k++)
        snprintf(r->scope.skus[k], PRODUCT_SKU_CAP, "%c%d", 'A' + rnd_in(0, 5), rnd_in(0, 2));
    r->scope.members_only = rnd_in(0, 5) == 0;
    if (rnd_in(0, 4) == 0)
        r->schedule.weekdays = (uint8_t)PROMO_WEEKDAY(rnd_in(0, 6));
    promo_effect *e = &r->effect;
    e->percent = rnd_in(0, 100);
    e->buy_n = rnd_in(2, 5);
    e->pay_units = rnd_in(0, e->buy_n - 1);
    e->bundle_fen = rnd_in(0, 1) ? rnd_in(1, 3000) : 0;
    e->threshold_fen = rnd_in(1, 30000);
    e->amount_fen = rnd_in(1, 5000);
    e->repeat = rnd_in(0, 1);
    e->n_gifts = (size_t)rnd_in(1, 3);
    for (size_t k = 0; k < e->n_gifts; k++) {
        snprintf(e->gifts[k].sku, PRODUCT_SKU_CAP, "G%d", rnd_in(0, 3));
        e->gifts[k].qty = rnd_in(1, 2);
    }
    e->multiplier_pct = rnd_in(100, 500);
}

static void random_line(promo_line *l)
{
    static const char *const cats[] = { "粮油", "日用", "山货" };
    char sku[8];
    snprintf(sku, sizeof sku, "%c%d", 'A' + rnd_in(0, 5), rnd_in(0, 2));
    bool weighed = rnd_in(0, 4) == 0;
    fen_t unit = rnd_in(1, 5000);
    *l = line(sku, weighed ? 1 : rnd_in(1, 6), unit, rnd_in(0, 1));
    snprintf(l->category, sizeof l->category, "%s", cats[rnd_in(0, 2)]);
    if (weighed) {
        l->by_weight = true;
        l->grams = rnd_in(50, 3000);
        l->amount_fen = (unit * l->grams + 500) / 1000;
    }
}

static char keys_a[PROMO_MAX_LINES][160], keys_b[PROMO_MAX_LINES][160];
static promo_result res_b;

static int cmp_key(const void *a, const void *b)
{
    return strcmp(a, b);
}

static void line_keys(const promo_line *l, size_t n, const promo_result *r, char keys[][160])
{
    for (size_t i = 0; i < n; i++)
        snprintf(keys[i], 160, "%s|%s|%s|%d|%d|%lld|%lld|%lld|%lld|d=%lld|m=%d", l[i].sku,
                 l[i].category, l[i].supplier_id, l[i].poverty_relief, l[i].by_weight,
                 (long long)l[i].qty, (long long)l[i].grams, (long long)l[i].unit_price_fen,
                 (long long)l[i].amount_fen, (long long)r->discount_fen[i],
                 r->points_multiplier_pct[i]);
    qsort(keys, n, 160, cmp_key);
}

static void test_property_random_baskets(void **state)
{
    (void)state;
    static promo_line lines[PROMO_MAX_LINES], shuffled[PROMO_MAX_LINES];
    static promo_rule rules[16];
    promo_stock_item items[] = { {"G0", 0, 100}, {"G1", 1, 200}, {"G2", 3, 300}, {"G3", 9, 5} };
    promo_stock_array stock = { items, 4 };
    rng_state = 0x5EED2026ULL;
    int applied_seen = 0, discounted = 0, gifted = 0;
    for (int iter = 0; iter < 400; iter++) {
        size_t n = (size_t)rnd_in(1, iter % 10 == 0 ? PROMO_MAX_LINES : 40);
        size_t nr = (size_t)rnd_in(0, 16);
        for (size_t i = 0; i < n; i++)
            random_line(&lines[i]);
        for (size_t i = 0; i < nr; i++)
            random_rule(&rules[i], (int)i);
        promo_context c = ctx_at(at(2026, 10, rnd_in(12, 18), rnd_in(0, 23), 0));
        c.member = rnd_in(0, 1);
        c.stock = promo_stock_from_array;
        c.stock_ctx = &stock;
        assert_int_equal(promo_price(lines, n, rules, nr, &c, &res), PROMO_OK);
        fen_t total = 0, applied = 0;
        for (size_t i = 0; i < n; i++) {
            assert_true(res.discount_fen[i] >= 0);
            assert_true(res.discount_fen[i] <= lines[i].amount_fen); /* no negative line */
            total += lines[i].amount_fen - res.discount_fen[i];
        }
        assert_int_equal(total, res.total_fen);
        for (size_t i = 0; i < res.n_applied; i++)
            applied += res.applied[i].amount_fen;
        assert_int_equal(-applied, res.discount_total_fen);
        applied_seen += (int)res.n_applied;
        discounted += res.discount_total_fen > 0;
        gifted += res.n_gifts > 0;

        /* Any permutation of the lines: the same result line for line. */
        for (int s = 0; s < 3; s++) {
            size_t perm[PROMO_MAX_LINES];
            for (size_t i = 0; i < n; i++)
                perm[i] = i;
            for (size_t i = n; i > 1; i--) {
                size_t j = rnd() % i;
                size_t tmp = perm[i - 1];
                perm[i - 1] = perm[j];
                perm[j] = tmp;
            }
            for (size_t i = 0; i < n; i++)
                shuffled[i] = lines[perm[i]];
            assert_int_equal(promo_price(shuffled, n, rules, nr, &c, &res_b), PROMO_OK);
            assert_int_equal(res_b.total_fen, res.total_fen);
            assert_int_equal(res_b.n_applied, res.n_applied);
            for (size_t i = 0; i < res.n_applied; i++) {
                assert_string_equal(res_b.applied[i].rule, res.applied[i].rule);
                assert_int_equal(res_b.applied[i].amount_fen, res.applied[i].amount_fen);
            }
            assert_int_equal(res_b.n_gifts, res.n_gifts);
            for (size_t i = 0; i < res.n_gifts; i++)
                assert_string_equal(res_b.gifts[i].sku, res.gifts[i].sku);
            assert_int_equal(res_b.n_messages, res.n_messages);
            /* Per line: a line and its own result travel together.  Lines identical in every
             * field are interchangeable, so compare the sorted (line, result) multiset. */
            line_keys(lines, n, &res, keys_a);
            line_keys(shuffled, n, &res_b, keys_b);
            for (size_t i = 0; i < n; i++)
                assert_string_equal(keys_a[i], keys_b[i]);
            /* And where a line is unique, exactly its result. */
            for (size_t i = 0; i < n; i++) {
                size_t orig = perm[i];
                bool unique = true;
                for (size_t j = 0; j < n && unique; j++)
                    if (j != orig && memcmp(&lines[j], &lines[orig], sizeof lines[j]) == 0)
                        unique = false;
                if (unique)
                    assert_int_equal(res_b.discount_fen[i], res.discount_fen[orig]);
            }
        }
    }
    assert_true(applied_seen > 200); /* the generator really exercises the rules */
    assert_true(discounted >= 200); /* 334 baskets with a discount, 123 with a gift */
    assert_true(gifted >= 60);
}

/* Through the basket and the sale document: every invariant of sale_check holds. */
static void test_property_sale_documents(void **state)
{
    (void)state;
    static promo_rule rules[12];
    rng_state = 0xF00DULL;
    int checked = 0, discounted = 0;
    for (int iter = 0; iter < 150; iter++) {
        basket_init(&bk);
        int nl = rnd_in(1, 25);
        for (int i = 0; i < nl; i++) {
            char sku[8];
            snprintf(sku, sizeof sku, "%c%d", 'A' + rnd_in(0, 5), rnd_in(0, 2));
            product p = prod(sku, rnd_in(1, 3000), rnd_in(0, 1), "coop-A");
            if (rnd_in(0, 4) == 0) {
                p.by_weight = true;
                assert_int_equal(basket_add_weighed(&bk, &p, rnd_in(10, 3000), NULL), BASKET_OK);
            } else {
                p.by_weight = false;
                assert_int_equal(basket_add_product(&bk, &p, rnd_in(1, 5), NULL), BASKET_OK);
            }
        }
        size_t nr = (size_t)rnd_in(0, 12);
        for (size_t i = 0; i < nr; i++) {
            random_rule(&rules[i], (int)i);
            if (rules[i].effect.kind == PROMO_THRESHOLD_GIFT)
                rules[i].effect.kind = PROMO_AMOUNT_OFF;
        }
        promo_context c = ctx_at(at(2026, 10, 16, 10, 0));
        memset(&doc, 0, sizeof doc);
        assert_int_equal(promo_apply_to_basket(&bk, NULL, NULL, rules, nr, &c, &res, &doc),
                         PROMO_OK);
        basket_settlement st;
        basket_settle(&bk, ROUNDING_JIAO, &st);
        if (st.due_fen <= 0)
            continue;
        assert_int_equal(basket_add_tender(&bk, TENDER_CASH, st.due_fen + rnd_in(0, 500), NULL),
                         BASKET_OK);
        assert_int_equal(sale_from_basket(&bk, ROUNDING_JIAO, &doc), SALE_OK);
        char why[160];
        if (sale_check(&doc, false, why, sizeof why) != SALE_OK)
            fail_msg("sale_check: %s", why);
        checked++;
        discounted += res.discount_total_fen > 0;
    }
    assert_true(checked >= 120);    /* 148 documents checked, 113 of them discounted */
    assert_true(discounted >= 60);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_schedules),
        cmocka_unit_test(test_rule_check),
        cmocka_unit_test(test_friday_that_is_oct17),
        cmocka_unit_test(test_threshold_after_friday_discount),
        cmocka_unit_test(test_gifts_and_stock),
        cmocka_unit_test(test_buy_n),
        cmocka_unit_test(test_scopes_members_points),
        cmocka_unit_test(test_apply_to_basket),
        cmocka_unit_test(test_calendar_2026),
        cmocka_unit_test(test_property_random_baskets),
        cmocka_unit_test(test_property_sale_documents),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
