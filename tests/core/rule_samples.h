/* rule_samples: the promotion rules the tests share -- one rule of every effect kind, and
 * between them every schedule part and every scope kind.  tests/core/test_rule_json.c
 * round-trips them through the codec; tests/db/test_promotions.c through the rule table.
 * A test-only header of static functions: each test program gets its own copy. */
#ifndef FUPIN_TESTS_CORE_RULE_SAMPLES_H
#define FUPIN_TESTS_CORE_RULE_SAMPLES_H

#include <stdio.h>
#include <string.h>

#include "pos/core/promo.h"

__attribute__((unused)) static promo_rule blank(const char *id, const char *label, promo_effect_kind k)
{
    promo_rule r;
    memset(&r, 0, sizeof r);
    snprintf(r.id, sizeof r.id, "%s", id);
    snprintf(r.label, sizeof r.label, "%s", label);
    r.effect.kind = k;
    return r;
}

/* One rule of every effect kind, between them every schedule part and every scope kind. */
__attribute__((unused)) static size_t sample_rules(promo_rule *out)
{
    size_t n = 0;
    promo_rule r = blank("fri", "每周五扶贫日 9.5折", PROMO_PERCENT);
    r.priority = 10;
    r.schedule.weekdays = PROMO_FRIDAY | PROMO_WEEKDAY(1);
    snprintf(r.schedule.from, sizeof r.schedule.from, "2026-01-01");
    snprintf(r.schedule.to, sizeof r.schedule.to, "2026-12-31");
    r.schedule.start_min = 22 * 60;
    r.schedule.end_min = 2 * 60;       /* wraps past midnight */
    r.scope.kind = PROMO_SCOPE_POVERTY_RELIEF;
    r.effect.percent = 95;
    out[n++] = r;

    r = blank("tea3for2", "苦荞茶买3付2", PROMO_BUY_N);
    r.scope.kind = PROMO_SCOPE_SKUS;
    r.scope.n_skus = 2;
    snprintf(r.scope.skus[0], sizeof r.scope.skus[0], "P0014");
    snprintf(r.scope.skus[1], sizeof r.scope.skus[1], "P0015");
    r.scope.members_only = true;
    r.effect.buy_n = 3;
    r.effect.pay_units = 2;
    out[n++] = r;

    r = blank("juice3", "石榴汁3瓶¥20", PROMO_BUY_N);
    r.exclusive = true;
    r.priority = -5;
    r.effect.buy_n = 3;
    r.effect.bundle_fen = 2000;
    out[n++] = r;

    r = blank("coop5", "合作社立减5元", PROMO_AMOUNT_OFF);
    r.scope.kind = PROMO_SCOPE_SUPPLIER;
    snprintf(r.scope.supplier_id, sizeof r.scope.supplier_id, "SUP001");
    r.effect.amount_fen = 500;
    out[n++] = r;

    r = blank("spring", "春节每满200减20", PROMO_THRESHOLD_OFF);
    r.schedule.has_lunar = true;
    r.schedule.lunar_month = 1;
    r.schedule.lunar_day = 1;
    r.schedule.span_before = 3;
    r.schedule.span_after = 7;
    r.effect.threshold_fen = 20000;
    r.effect.amount_fen = 2000;
    r.effect.repeat = true;
    out[n++] = r;

    r = blank("gift", "特产满100赠", PROMO_THRESHOLD_GIFT);
    r.schedule.has_solar = true;
    r.schedule.solar_month = 10;
    r.schedule.solar_day = 1;
    r.schedule.span_after = 6;
    r.scope.kind = PROMO_SCOPE_CATEGORY;
    snprintf(r.scope.category, sizeof r.scope.category, "特产");
    r.effect.threshold_fen = 10000;
    r.effect.n_gifts = 2;
    snprintf(r.effect.gifts[0].sku, sizeof r.effect.gifts[0].sku, "P0003");
    r.effect.gifts[0].qty = 2;
    snprintf(r.effect.gifts[1].sku, sizeof r.effect.gifts[1].sku, "P0035");
    r.effect.gifts[1].qty = 1;
    out[n++] = r;

    r = blank("x2", "会员双倍积分", PROMO_POINTS_MULTIPLIER);
    r.scope.members_only = true;
    r.effect.multiplier_pct = 200;
    out[n++] = r;
    return n;
}

#endif
