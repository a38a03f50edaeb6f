/* bench_promo: the cost of pricing on the till.  Prices a 200-line basket (BASKET_MAX_LINES)
 * against 50 rules of every kind -- weekday, solar and lunar schedules, all scopes, percent,
 * buy-N, amount off, thresholds with gifts, points multipliers, some exclusive -- at a Friday
 * that is also Oct 17 (2025-10-17, the busiest rule day), and reports the median and 90th
 * percentile of N runs.  Also times `calendar YEAR` over the same rules and one cold lunar
 * conversion (a suì computed from the astronomy, cache missed).  Usage: bench_promo [N]. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench/bench.h"
#include "pos/core/lunar.h"
#include "pos/core/promo.h"

static void report(const char *what, double *samples, int n)
{
    bench_sort(samples, n);
    printf("%-44s median %9.2f us   p90 %9.2f us   (n=%d)\n", what, samples[n / 2],
           samples[n * 9 / 10], n);
}

static uint64_t seed = 0x5EEDULL;
static int rnd_in(int lo, int hi)
{
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    return lo + (int)((seed >> 33) % (uint64_t)(hi - lo + 1));
}

static promo_line lines[BASKET_MAX_LINES];
static promo_rule rules[50];
static promo_result res;
static promo_calendar_day cal[400];

static void make_rules(void)
{
    static const char *const cats[] = { "粮油", "山货", "日用", "饮品" };
    for (int i = 0; i < 50; i++) {
        promo_rule *r = &rules[i];
        memset(r, 0, sizeof *r);
        snprintf(r->id, sizeof r->id, "rule-%02d", i);
        snprintf(r->label, sizeof r->label, "活动规则 %d", i);
        r->priority = rnd_in(0, 9);
        r->exclusive = false; /* set below: narrow exclusive rules, as a store configures them */
        switch (i % 5) { /* schedules: most rules in force on the benchmark day */
        case 0: r->schedule.weekdays = PROMO_FRIDAY; break;
        case 1: r->schedule.has_solar = true; r->schedule.solar_month = 10;
                r->schedule.solar_day = 17; r->schedule.span_before = 3; break;
        case 2: r->schedule.has_lunar = true; r->schedule.lunar_month = 8;
                r->schedule.lunar_day = 15; r->schedule.span_after = 20; break;
        case 3: snprintf(r->schedule.from, 11, "2025-01-01"); snprintf(r->schedule.to, 11, "2025-12-31"); break;
        default: r->schedule.has_lunar = true; r->schedule.lunar_month = 1; r->schedule.lunar_day = 1;
                 r->schedule.span_before = 1; r->schedule.span_after = 6; break; /* not today */
        }
        r->scope.kind = (promo_scope_kind)(i % 5);
        r->exclusive = r->scope.kind == PROMO_SCOPE_SKUS && i % 2 == 0;
        snprintf(r->scope.category, sizeof r->scope.category, "%s", cats[i % 4]);
        snprintf(r->scope.supplier_id, sizeof r->scope.supplier_id, "coop-%02d", i % 20);
        r->scope.n_skus = 8;
        for (int k = 0; k < 8; k++)
            snprintf(r->scope.skus[k], PRODUCT_SKU_CAP, "SKU%04d", rnd_in(0, 299));
        promo_effect *e = &r->effect;
        e->kind = (promo_effect_kind)(i % 6);
        e->percent = 85 + i % 10;
        e->buy_n = 3;
        e->pay_units = 2;
        e->threshold_fen = 5000 + 1000 * (i % 10);
        e->amount_fen = 500;
        e->repeat = i % 2;
        e->n_gifts = 2;
        snprintf(e->gifts[0].sku, PRODUCT_SKU_CAP, "GIFT-%d", i % 3);
        e->gifts[0].qty = 1;
        snprintf(e->gifts[1].sku, PRODUCT_SKU_CAP, "GIFT-%d", (i + 1) % 3);
        e->gifts[1].qty = 1;
        e->multiplier_pct = 150 + 50 * (i % 4);
    }
}

static void make_basket(void)
{
    static const char *const cats[] = { "粮油", "山货", "日用", "饮品" };
    for (int i = 0; i < BASKET_MAX_LINES; i++) {
        promo_line *l = &lines[i];
        memset(l, 0, sizeof *l);
        snprintf(l->sku, sizeof l->sku, "SKU%04d", rnd_in(0, 299));
        snprintf(l->category, sizeof l->category, "%s", cats[rnd_in(0, 3)]);
        snprintf(l->supplier_id, sizeof l->supplier_id, "coop-%02d", rnd_in(0, 19));
        l->poverty_relief = rnd_in(0, 1);
        l->unit_price_fen = rnd_in(100, 8000);
        if (rnd_in(0, 4) == 0) {
            l->by_weight = true;
            l->qty = 1;
            l->grams = rnd_in(100, 3000);
            l->amount_fen = (l->unit_price_fen * l->grams + 500) / 1000;
        } else {
            l->qty = rnd_in(1, 6);
            l->amount_fen = l->unit_price_fen * l->qty;
        }
    }
}

int main(int argc, char **argv)
{
    int n = (int)bench_count_arg(argc, argv, 1, 2000, 1, 100000000);
    if (n < 10)
        n = 10;
    make_rules();
    make_basket();
    static const promo_stock_item items[] = { {"GIFT-0", 0, 300}, {"GIFT-1", 1000, 450},
                                              {"GIFT-2", 1000, 120} };
    promo_stock_array stock = { items, 3 };
    promo_context ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.now = (civil_time){ 2025, 10, 17, 10, 30, 0, 5 };
    ctx.member = true;
    ctx.stock = promo_stock_from_array;
    ctx.stock_ctx = &stock;
    double *s = calloc((size_t)n, sizeof *s);
    if (!s)
        return 1;

    if (promo_price(lines, BASKET_MAX_LINES, rules, 50, &ctx, &res) != PROMO_OK) {
        fprintf(stderr, "pricing failed\n");
        return 1;
    }
    size_t idx[64];
    size_t active = promo_active_rules(rules, 50, &ctx.now, true, idx, 64);
    printf("basket: %d lines, subtotal %lld fen; rules: 50, %zu in force, %zu applied, %zu gifts, "
           "discount %lld fen\n", BASKET_MAX_LINES, (long long)res.subtotal_fen, active,
           res.n_applied, res.n_gifts, (long long)res.discount_total_fen);

    for (int i = 0; i < n; i++) {
        double t0 = bench_now_us();
        promo_price(lines, BASKET_MAX_LINES, rules, 50, &ctx, &res);
        s[i] = bench_now_us() - t0;
    }
    report("price 200 lines x 50 rules", s, n);

    int nc = n / 20 < 10 ? 10 : n / 20;
    for (int i = 0; i < nc; i++) {
        double t0 = bench_now_us();
        promo_calendar_year(rules, 50, 2026 + i % 5, cal, 400);
        s[i] = bench_now_us() - t0;
    }
    report("calendar YEAR (50 rules)", s, nc);

    for (int i = 0; i < nc; i++) {
        lunar_date ld;
        /* Years far apart: every conversion misses the per-thread suì cache. */
        int y = 1950 + (i * 37) % 150;
        double t0 = bench_now_us();
        lunar_from_solar(y, 6, 1, &ld);
        s[i] = bench_now_us() - t0;
    }
    report("lunar_from_solar, cold (computes a sui)", s, nc);
    free(s);
    return 0;
}
