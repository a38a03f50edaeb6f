/* Tests for pos/core/points: earning on money paid (mixed tenders, multipliers, gifts),
 * redemption quotes and caps, refunds (discounted lines, pro-rata returns, clamping), and a
 * seeded property test that partial refunds add up to a full one. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "pos/core/points.h"
#include "pos/core/promo.h"

/* 1 point per ¥1 paid; 100 points = ¥1; at most half the amount due in points. */
static const points_config kCfg = { 1, 100, 100, 100, 50, 0 };

static void test_config(void **state)
{
    (void)state;
    assert_true(points_config_check(&kCfg));
    points_config bad = kCfg;
    bad.earn_unit_fen = 0;
    assert_false(points_config_check(&bad));
    bad = kCfg;
    bad.redeem_cap_pct = 101;
    assert_false(points_config_check(&bad));
    int64_t e;
    points_line l = { 100, 100, false };
    assert_int_equal(points_earn(&bad, &l, 1, 100, 0, NULL, &e), POINTS_ERR_CONFIG);
    assert_non_null(points_strerror(POINTS_ERR_INPUT));
}

static void test_earn_cash(void **state)
{
    (void)state;
    points_line lines[] = { {1000, 100, false}, {550, 100, false} };
    int64_t per[2], earned;
    assert_int_equal(points_earn(&kCfg, lines, 2, 1550, 0, per, &earned), POINTS_OK);
    assert_int_equal(earned, 15); /* floor(¥15.50) */
    assert_int_equal(per[0] + per[1], 15);
    assert_int_equal(per[0], 10);
    /* 抹零: ¥15.50 due as ¥15.50 - 0.50 rounding: earned on what was paid. */
    assert_int_equal(points_earn(&kCfg, lines, 2, 1500, 0, per, &earned), POINTS_OK);
    assert_int_equal(earned, 15);
    assert_int_equal(points_earn(&kCfg, lines, 2, 1490, 0, per, &earned), POINTS_OK);
    assert_int_equal(earned, 14);
}

/* A mixed tender: ¥20 due, ¥5 paid with 500 points, ¥15 cash -> points on ¥15 only. */
static void test_earn_mixed_tender(void **state)
{
    (void)state;
    points_line lines[] = { {1200, 100, false}, {800, 100, false}, {0, 100, true} };
    int64_t per[3], earned;
    assert_int_equal(points_earn(&kCfg, lines, 3, 2000, 500, per, &earned), POINTS_OK);
    assert_int_equal(earned, 15);
    assert_int_equal(per[0], 9);
    assert_int_equal(per[1], 6);
    assert_int_equal(per[2], 0);
    /* All in points: nothing earned. */
    assert_int_equal(points_earn(&kCfg, lines, 3, 2000, 2000, per, &earned), POINTS_OK);
    assert_int_equal(earned, 0);
    /* Points above the due: refused. */
    assert_int_equal(points_earn(&kCfg, lines, 3, 2000, 2001, per, &earned), POINTS_ERR_INPUT);
}

static void test_earn_multipliers_and_gifts(void **state)
{
    (void)state;
    /* A gift line carries an amount here on purpose: it still earns nothing. */
    points_line lines[] = { {1000, 200, false}, {1000, 0, false}, {1000, 300, true} };
    int64_t per[3], earned;
    assert_int_equal(points_earn(&kCfg, lines, 3, 2000, 0, per, &earned), POINTS_OK);
    assert_int_equal(earned, 30); /* ¥10 × 2 + ¥10 × 1 */
    assert_int_equal(per[0], 20);
    assert_int_equal(per[1], 10);
    assert_int_equal(per[2], 0);
}

static void test_redeem_quote(void **state)
{
    (void)state;
    points_quote q;
    /* ¥15.01 due: at most 50 % = ¥7.50 = 750 points. */
    assert_int_equal(points_redeem_quote(&kCfg, 10000, 1501, -1, &q), POINTS_OK);
    assert_int_equal(q.max_value_fen, 750);
    assert_int_equal(q.points, 750);
    assert_int_equal(q.value_fen, 750);
    /* Balance below the cap. */
    assert_int_equal(points_redeem_quote(&kCfg, 321, 1501, -1, &q), POINTS_OK);
    assert_int_equal(q.points, 321);
    /* A request above the cap is clamped. */
    assert_int_equal(points_redeem_quote(&kCfg, 10000, 1000, 900, &q), POINTS_OK);
    assert_int_equal(q.points, 500);
    /* Points cap per sale. */
    points_config c = kCfg;
    c.redeem_cap_points = 300;
    assert_int_equal(points_redeem_quote(&c, 10000, 100000, -1, &q), POINTS_OK);
    assert_int_equal(q.points, 300);
    assert_int_equal(q.value_fen, 300);
    /* 100 points = ¥0.50: 101 points buy 50 fen, and only 100 are charged. */
    c = kCfg;
    c.redeem_fen = 50;
    c.redeem_cap_pct = 100;
    assert_int_equal(points_redeem_quote(&c, 10000, 1000, 101, &q), POINTS_OK);
    assert_int_equal(q.value_fen, 50);
    assert_int_equal(q.points, 100);
    assert_int_equal(points_value_fen(&c, 199), 99);
    assert_int_equal(points_for_fen(&c, 99), 198);
}

/* Refund of a discounted line: 3 × ¥10 at 9折 = ¥27 (discount ¥3) + ¥6, paid ¥5 in points
 * (500 points) and ¥28 cash.  Earned 28 points. */
static void test_refund_discounted_line(void **state)
{
    (void)state;
    /* Price it with promo to get the discounted net the receipt carries. */
    promo_line pl[2];
    memset(pl, 0, sizeof pl);
    strcpy(pl[0].sku, "A1");
    pl[0].qty = 3;
    pl[0].unit_price_fen = 1000;
    pl[0].amount_fen = 3000;
    pl[0].poverty_relief = true;
    strcpy(pl[1].sku, "Z1");
    pl[1].qty = 1;
    pl[1].unit_price_fen = 600;
    pl[1].amount_fen = 600;
    promo_rule r;
    memset(&r, 0, sizeof r);
    strcpy(r.id, "friday");
    strcpy(r.label, "扶贫日 9折");
    r.schedule.weekdays = PROMO_FRIDAY;
    r.scope.kind = PROMO_SCOPE_POVERTY_RELIEF;
    r.effect.kind = PROMO_PERCENT;
    r.effect.percent = 90;
    promo_context ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.now.year = 2026;
    ctx.now.month = 10;
    ctx.now.day = 16;
    ctx.now.weekday = 5;
    static promo_result pr;
    assert_int_equal(promo_price(pl, 2, &r, 1, &ctx, &pr), PROMO_OK);
    assert_int_equal(pr.discount_fen[0], 300);
    assert_int_equal(pr.total_fen, 3300);

    points_line lines[2] = { {3000 - pr.discount_fen[0], pr.points_multiplier_pct[0], false},
                             {600, pr.points_multiplier_pct[1], false} };
    int64_t per[2], earned;
    assert_int_equal(points_earn(&kCfg, lines, 2, 3300, 500, per, &earned), POINTS_OK);
    assert_int_equal(earned, 28);
    assert_int_equal(per[0], 23); /* 2800 × 2700/3300 = 2290.9 fen -> 22.9 … largest remainder */
    assert_int_equal(per[1], 5);

    /* Refund one of the three discounted units. */
    points_refund_line rl[2] = { {2700, 3, per[0], 0, 1}, {600, 1, per[1], 0, 0} };
    points_refund out;
    assert_int_equal(points_refund_calc(rl, 2, 500, 500, 1000, &out), POINTS_OK);
    assert_int_equal(out.take_back, 7);            /* floor(23 × 1/3) */
    assert_int_equal(out.give_back, 136);          /* 409 of the 500 on line 0, × 1/3 */
    assert_int_equal(out.points_value_fen, 136);
    assert_int_equal(out.money_fen, 900 - 136);    /* the unit paid ¥9 after 9折 */
    assert_false(out.clamped);

    /* Then the other two: together exactly what refunding all three at once gives. */
    rl[0].refunded_qty = 1;
    rl[0].refund_qty = 2;
    points_refund rest;
    assert_int_equal(points_refund_calc(rl, 2, 500, 500, 1000, &rest), POINTS_OK);
    rl[0].refunded_qty = 0;
    rl[0].refund_qty = 3;
    points_refund all;
    assert_int_equal(points_refund_calc(rl, 2, 500, 500, 1000, &all), POINTS_OK);
    assert_int_equal(out.take_back + rest.take_back, all.take_back);
    assert_int_equal(all.take_back, 23);
    assert_int_equal(out.give_back + rest.give_back, all.give_back);
    assert_int_equal(out.money_fen + rest.money_fen, all.money_fen);
    assert_int_equal(all.money_fen + all.points_value_fen, 2700);
}

/* The member already spent the points: taking back is clamped, never a negative balance. */
static void test_refund_clamps(void **state)
{
    (void)state;
    points_refund_line rl[1] = { {5000, 1, 50, 0, 1} };
    points_refund out;
    assert_int_equal(points_refund_calc(rl, 1, 0, 0, 20, &out), POINTS_OK);
    assert_int_equal(out.take_back_wanted, 50);
    assert_int_equal(out.take_back, 20);
    assert_int_equal(out.shortfall, 30);
    assert_true(out.clamped);
    /* Redeemed points returned in the same refund count toward the balance. */
    assert_int_equal(points_refund_calc(rl, 1, 40, 40, 0, &out), POINTS_OK);
    assert_int_equal(out.give_back, 40);
    assert_int_equal(out.take_back, 40);
    assert_int_equal(out.shortfall, 10);
    /* Bad input. */
    rl[0].refund_qty = 2;
    assert_int_equal(points_refund_calc(rl, 1, 0, 0, 0, &out), POINTS_ERR_INPUT);
    assert_int_equal(points_refund_calc(rl, 0, 0, 0, 0, &out), POINTS_ERR_INPUT);
}

static uint64_t rng_state;
static uint32_t rnd(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (uint32_t)((rng_state * 0x2545F4914F6CDD1DULL) >> 32);
}
static int rnd_in(int lo, int hi)
{
    return lo + (int)(rnd() % (uint32_t)(hi - lo + 1));
}

static void test_property_refunds(void **state)
{
    (void)state;
    rng_state = 0xBEEF5ULL;
    int checked = 0, multi_step = 0, with_points = 0;
    for (int iter = 0; iter < 2000; iter++) {
        size_t n = (size_t)rnd_in(1, 30);
        points_line pl[30];
        points_refund_line rl[30];
        fen_t due = 0;
        for (size_t i = 0; i < n; i++) {
            pl[i].net_fen = rnd_in(0, 20000);
            pl[i].multiplier_pct = rnd_in(0, 3) ? 100 : rnd_in(100, 400);
            pl[i].gift = rnd_in(0, 15) == 0;
            due += pl[i].gift ? 0 : pl[i].net_fen;
        }
        if (due == 0)
            continue;
        points_config cfg = kCfg;
        cfg.earn_points = rnd_in(1, 3);
        fen_t paid_pts = rnd_in(0, (int)(due / 2));
        int64_t per[30], earned;
        assert_int_equal(points_earn(&cfg, pl, n, due, paid_pts, per, &earned), POINTS_OK);
        int64_t sum = 0;
        for (size_t i = 0; i < n; i++) {
            assert_true(per[i] >= 0);
            sum += per[i];
        }
        assert_int_equal(sum, earned);
        /* Refund everything in random steps; the steps add up to the whole. */
        int64_t redeemed = paid_pts; /* 1 point = 1 fen */
        for (size_t i = 0; i < n; i++) {
            rl[i].net_fen = pl[i].gift ? 0 : pl[i].net_fen;
            rl[i].qty = rnd_in(1, 5);
            rl[i].points_earned = per[i];
            rl[i].refunded_qty = 0;
            rl[i].refund_qty = 0;
        }
        int64_t take = 0, give = 0;
        fen_t money = 0, ptsv = 0;
        int steps = 0;
        for (;;) {
            bool any = false;
            for (size_t i = 0; i < n; i++) {
                int64_t left = rl[i].qty - rl[i].refunded_qty;
                rl[i].refund_qty = left ? rnd_in(0, (int)left) : 0;
                any |= left > 0;
            }
            if (!any)
                break;
            steps++;
            points_refund out;
            assert_int_equal(points_refund_calc(rl, n, redeemed, paid_pts, INT32_MAX, &out),
                             POINTS_OK);
            assert_true(out.take_back >= 0 && out.give_back >= 0 && out.money_fen >= 0);
            take += out.take_back;
            give += out.give_back;
            money += out.money_fen;
            ptsv += out.points_value_fen;
            for (size_t i = 0; i < n; i++) {
                rl[i].refunded_qty += rl[i].refund_qty;
                rl[i].refund_qty = 0;
            }
        }
        assert_int_equal(take, earned);
        assert_int_equal(give, redeemed);
        assert_int_equal(ptsv, paid_pts);
        assert_int_equal(money + ptsv, due);
        checked++;
        multi_step += steps > 1;
        with_points += paid_pts > 0;
    }
    /* Nearly every basket is refunded (1996), almost all in several steps, with points paid. */
    assert_true(checked >= 1900);
    assert_true(multi_step >= 1500);
    assert_true(with_points >= 1500);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_config),
        cmocka_unit_test(test_earn_cash),
        cmocka_unit_test(test_earn_mixed_tender),
        cmocka_unit_test(test_earn_multipliers_and_gifts),
        cmocka_unit_test(test_redeem_quote),
        cmocka_unit_test(test_refund_discounted_line),
        cmocka_unit_test(test_refund_clamps),
        cmocka_unit_test(test_property_refunds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
