/* points: 积分当钱花 -- earning, redeeming as a tender, and giving back on refunds.
 *
 * Pure arithmetic over integers: the journal (earn, redeem, reverse, expire, adjust rows whose
 * sum is the balance) is the database's.  These functions say how many points each row
 * carries; they never read or write a balance themselves.
 *
 * Earning: on the money actually paid -- the amount due minus what points paid -- never on
 * points or on gift lines.  That money is attributed to the lines in proportion to their net
 * (largest remainder), each line's share is weighted by its promotion multiplier (promo.h,
 * 100 = ×1), the sale's points are floor(Σ weighted × rate), and those points are spread back
 * over the lines (largest remainder) so per-line points sum exactly to the sale's and a refund
 * can take back exactly what its lines earned.
 *
 * Redemption: a tender at a configured rate (redeem_points = redeem_fen), capped per sale by a
 * percentage of the amount due and/or a number of points.  A quote never charges a point that
 * does not buy a whole fen.
 *
 * Refunds: points earned on the refunded lines are taken back, points redeemed on the sale are
 * returned pro rata to the refunded net (largest remainder across lines, then cumulative per
 * unit, so several partial refunds add up exactly to a full one).  Taking back never drives the
 * balance negative: it is clamped, and the shortfall reported. */
#ifndef FUPIN_CORE_POINTS_H
#define FUPIN_CORE_POINTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pos/core/money.h"

#define POINTS_MAX_LINES 200

typedef enum {
    POINTS_OK = 0,
    POINTS_ERR_CONFIG,      /* rates or caps out of range */
    POINTS_ERR_INPUT,       /* negative amounts, tenders above the due, refund above the sold */
    POINTS_ERR_OVERFLOW,
} points_err;

const char *points_strerror(points_err err);

typedef struct {
    int64_t earn_points;        /* earn_points per earn_unit_fen paid: 1 per 100 = 1 point/¥1 */
    fen_t earn_unit_fen;
    int64_t redeem_points;      /* redeem_points are worth redeem_fen: 100 = ¥1 -> 100, 100 */
    fen_t redeem_fen;
    int redeem_cap_pct;         /* at most this % of the amount due paid in points (0..100) */
    int64_t redeem_cap_points;  /* and at most this many points per sale; 0 = no such cap */
} points_config;

bool points_config_check(const points_config *cfg);

typedef struct {
    fen_t net_fen;              /* amount - discount */
    int multiplier_pct;         /* from promo_result.points_multiplier_pct; <= 0 read as 100 */
    bool gift;                  /* a ¥0 gift line (or anything that must not earn) */
} points_line;

/* Points earned by a sale.  due_fen is what the shopper owed (total + rounding);
 * points_paid_fen the value of the points tender.  line_points (n entries, may be NULL)
 * receives each line's share, summing to *earned. */
points_err points_earn(const points_config *cfg, const points_line *lines, size_t n,
                       fen_t due_fen, fen_t points_paid_fen, int64_t *line_points,
                       int64_t *earned);

/* Value in fen of a number of points (floor), and the fewest points worth value_fen (ceil). */
fen_t points_value_fen(const points_config *cfg, int64_t points);
int64_t points_for_fen(const points_config *cfg, fen_t value_fen);

typedef struct {
    int64_t points;             /* points to debit */
    fen_t value_fen;            /* the tender amount they pay */
    int64_t max_points;         /* the most this sale may take (cap and balance) */
    fen_t max_value_fen;
} points_quote;

/* Quote a points tender: requested < 0 means "as much as allowed".  The request is clamped to
 * the caps and the balance; out->points is the fewest points buying out->value_fen. */
points_err points_redeem_quote(const points_config *cfg, int64_t balance, fen_t due_fen,
                               int64_t requested, points_quote *out);

typedef struct {
    fen_t net_fen;              /* line amount - discount on the original sale */
    int64_t qty;                /* units sold (1 for weighed lines) */
    int64_t points_earned;      /* this line's share from points_earn */
    int64_t refunded_qty;       /* units refunded by earlier refunds */
    int64_t refund_qty;         /* units refunded now */
} points_refund_line;

typedef struct {
    int64_t take_back;          /* points to reverse (after clamping) */
    int64_t take_back_wanted;   /* earned points on the refunded lines */
    int64_t shortfall;          /* take_back_wanted - take_back: reported, never debited */
    bool clamped;
    int64_t give_back;          /* redeemed points returned */
    fen_t points_value_fen;     /* part of the refunded net that points had paid */
    fen_t money_fen;            /* part paid in money (before any cash rounding) */
} points_refund;

/* Points movements of a refund.  points_redeemed / points_paid_fen are the original sale's;
 * balance is the member's balance before this refund. */
points_err points_refund_calc(const points_refund_line *lines, size_t n, int64_t points_redeemed,
                              fen_t points_paid_fen, int64_t balance, points_refund *out);

#endif
