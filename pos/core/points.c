/* points: earning, redemption quotes and refunds; see points.h. */
#include "pos/core/points.h"

#include <string.h>

const char *points_strerror(points_err err)
{
    switch (err) {
    case POINTS_OK: return "ok";
    case POINTS_ERR_CONFIG: return "invalid points configuration";
    case POINTS_ERR_INPUT: return "invalid points input";
    case POINTS_ERR_OVERFLOW: return "points overflow";
    }
    return "unknown points error";
}

bool points_config_check(const points_config *c)
{
    return c && c->earn_points >= 0 && c->earn_points <= 1000000 && c->earn_unit_fen > 0 &&
           c->earn_unit_fen <= MONEY_MAX_FEN && c->redeem_points > 0 &&
           c->redeem_points <= 1000000000 && c->redeem_fen > 0 && c->redeem_fen <= 1000000 &&
           c->redeem_cap_pct >= 0 && c->redeem_cap_pct <= 100 && c->redeem_cap_points >= 0;
}

/* floor(a*b/c) for a, b >= 0, c > 0 without overflow for the magnitudes a till sees. */
static bool mul_div_floor(int64_t a, int64_t b, int64_t c, int64_t *out)
{
    __int128 p = (__int128)a * b / c;
    if (p > INT64_MAX)
        return false;
    *out = (int64_t)p;
    return true;
}

points_err points_earn(const points_config *cfg, const points_line *lines, size_t n,
                       fen_t due_fen, fen_t points_paid_fen, int64_t *line_points,
                       int64_t *earned)
{
    if (!points_config_check(cfg))
        return POINTS_ERR_CONFIG;
    if (n > POINTS_MAX_LINES || due_fen < 0 || points_paid_fen < 0 || points_paid_fen > due_fen)
        return POINTS_ERR_INPUT;
    fen_t net[POINTS_MAX_LINES], money[POINTS_MAX_LINES], weight[POINTS_MAX_LINES];
    fen_t net_sum = 0;
    for (size_t i = 0; i < n; i++) {
        if (lines[i].net_fen < 0 || lines[i].net_fen > MONEY_MAX_FEN)
            return POINTS_ERR_INPUT;
        net[i] = lines[i].gift ? 0 : lines[i].net_fen;
        net_sum += net[i];
        if (line_points)
            line_points[i] = 0;
    }
    *earned = 0;
    fen_t paid = due_fen - points_paid_fen; /* the money: cash, WeChat, Alipay, UnionPay */
    if (net_sum == 0 || paid == 0)
        return POINTS_OK;
    /* Which line the money paid for: proportional to net (抹零 and the points tender shrink
     * every line alike). */
    if (!money_spread(paid, net, n, money))
        return POINTS_ERR_OVERFLOW;
    __int128 weighted = 0; /* Σ money × multiplier%, in fen·% */
    for (size_t i = 0; i < n; i++) {
        int mult = lines[i].multiplier_pct > 0 ? lines[i].multiplier_pct : 100;
        weight[i] = money[i] * mult;
        weighted += weight[i];
    }
    __int128 pts = weighted * cfg->earn_points / ((__int128)cfg->earn_unit_fen * 100);
    if (pts > MONEY_MAX_FEN)
        return POINTS_ERR_OVERFLOW;
    *earned = (int64_t)pts;
    if (line_points && *earned > 0 && !money_spread(*earned, weight, n, line_points))
        return POINTS_ERR_OVERFLOW;
    return POINTS_OK;
}

fen_t points_value_fen(const points_config *cfg, int64_t points)
{
    int64_t v;
    if (points <= 0 || !mul_div_floor(points, cfg->redeem_fen, cfg->redeem_points, &v))
        return 0;
    return v;
}

int64_t points_for_fen(const points_config *cfg, fen_t value_fen)
{
    if (value_fen <= 0)
        return 0;
    __int128 p = (__int128)value_fen * cfg->redeem_points;
    return (int64_t)((p + cfg->redeem_fen - 1) / cfg->redeem_fen);
}

points_err points_redeem_quote(const points_config *cfg, int64_t balance, fen_t due_fen,
                               int64_t requested, points_quote *out)
{
    memset(out, 0, sizeof *out);
    if (!points_config_check(cfg))
        return POINTS_ERR_CONFIG;
    if (due_fen < 0 || due_fen > MONEY_MAX_FEN)
        return POINTS_ERR_INPUT;
    fen_t cap = due_fen * cfg->redeem_cap_pct / 100; /* floor: never more than the cap */
    fen_t v = points_value_fen(cfg, balance);
    if (v < cap)
        cap = v;
    if (cfg->redeem_cap_points > 0) {
        v = points_value_fen(cfg, cfg->redeem_cap_points);
        if (v < cap)
            cap = v;
    }
    out->max_value_fen = cap;
    out->max_points = points_for_fen(cfg, cap);
    fen_t want = requested < 0 ? cap : points_value_fen(cfg, requested);
    if (want > cap)
        want = cap;
    out->value_fen = want;
    out->points = points_for_fen(cfg, want);
    return POINTS_OK;
}

/* Cumulative share of `total` for units [0, done) of q: floor(total*done/q). */
static int64_t cum_share(int64_t total, int64_t done, int64_t q)
{
    return (int64_t)((__int128)total * done / q);
}

points_err points_refund_calc(const points_refund_line *lines, size_t n, int64_t points_redeemed,
                              fen_t points_paid_fen, int64_t balance, points_refund *out)
{
    memset(out, 0, sizeof *out);
    if (n == 0 || n > POINTS_MAX_LINES || points_redeemed < 0 || points_paid_fen < 0 ||
        balance < 0)
        return POINTS_ERR_INPUT;
    fen_t net[POINTS_MAX_LINES], red_pts[POINTS_MAX_LINES], red_fen[POINTS_MAX_LINES];
    fen_t net_sum = 0;
    for (size_t i = 0; i < n; i++) {
        const points_refund_line *l = &lines[i];
        if (l->net_fen < 0 || l->qty < 1 || l->points_earned < 0 || l->refunded_qty < 0 ||
            l->refund_qty < 0 || l->refunded_qty + l->refund_qty > l->qty)
            return POINTS_ERR_INPUT;
        net[i] = l->net_fen;
        net_sum += l->net_fen;
    }
    if (points_paid_fen > net_sum)
        return POINTS_ERR_INPUT;
    /* The sale's redeemed points and their fen value, attributed to lines by net. */
    bool spread = net_sum > 0;
    if (spread && (!money_spread(points_redeemed, net, n, red_pts) ||
                   !money_spread(points_paid_fen, net, n, red_fen)))
        return POINTS_ERR_OVERFLOW;
    fen_t refunded_net = 0;
    for (size_t i = 0; i < n; i++) {
        const points_refund_line *l = &lines[i];
        int64_t before = l->refunded_qty, after = l->refunded_qty + l->refund_qty;
        /* Cumulative per unit: refunding 1+1+1 of 3 gives back exactly what 3 at once would. */
        out->take_back_wanted += cum_share(l->points_earned, after, l->qty) -
                                 cum_share(l->points_earned, before, l->qty);
        refunded_net += cum_share(l->net_fen, after, l->qty) - cum_share(l->net_fen, before, l->qty);
        if (spread) {
            out->give_back += cum_share(red_pts[i], after, l->qty) -
                              cum_share(red_pts[i], before, l->qty);
            out->points_value_fen += cum_share(red_fen[i], after, l->qty) -
                                     cum_share(red_fen[i], before, l->qty);
        }
    }
    out->money_fen = refunded_net - out->points_value_fen;
    /* The returned points land in the same refund, so they count toward the balance. */
    int64_t available = balance + out->give_back;
    out->take_back = out->take_back_wanted;
    if (out->take_back > available) {
        out->take_back = available;
        out->clamped = true;
    }
    out->shortfall = out->take_back_wanted - out->take_back;
    return POINTS_OK;
}
