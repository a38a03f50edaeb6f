/* promo: the store's campaigns as data, and one deterministic pricing function.
 *
 * A rule is a schedule (when), a scope (which lines, for whom) and an effect (what it gives).
 * The database stores rules; this module only evaluates them: no I/O, no clock, no allocation.
 * The time is an argument (local civil time of the store), and gift stock is asked through a
 * callback, so the same call prices a sale on the till, in `price --at`, and in tests.
 *
 * STACKING POLICY (docs/PROMOTIONS.md explains it with examples)
 *   1. A rule is a candidate when its schedule matches the local civil time of the sale and,
 *      for members-only rules, the sale has a member.
 *   2. Candidates are applied one after another in a total order:
 *        stage   1 = line discounts (PROMO_PERCENT, PROMO_BUY_N),
 *                2 = order discounts and gifts (PROMO_AMOUNT_OFF, PROMO_THRESHOLD_OFF,
 *                    PROMO_THRESHOLD_GIFT),
 *                3 = points multipliers (PROMO_POINTS_MULTIPLIER);
 *        then priority, higher first; then id, byte order.
 *      So spend thresholds are always evaluated on the amount AFTER every line discount (and
 *      after the order discounts ranked before them): a ¥100 threshold is not reached by a
 *      ¥105 basket that a Friday 9折 brought to ¥94.50.
 *   3. A rule sees its scoped lines that no earlier exclusive rule has taken, at their current
 *      net amount (amount - discount so far); a line never goes below ¥0.
 *   4. Exclusive: when an exclusive rule gives a line something (a discount, or the line
 *      counted toward a threshold that was reached), no later rule touches that line -- not
 *      even a points multiplier.  (An exclusive 9折 therefore keeps its lines out of 满减,
 *      i.e. "特价商品不参与满减".)
 *   5. Order-level amounts (amount off, threshold off) are spread over the rule's lines in
 *      proportion to their current net with money_spread (largest remainder), so lines
 *      always sum exactly to the total.  Buy-N discounts are computed per SKU group and spread
 *      the same way over that group's lines.
 *   6. Points multipliers: each line gets the largest multiplier of the rules that reach it
 *      (multipliers do not multiply each other).
 *   7. The result does not depend on the order lines were scanned: lines are put into a
 *      canonical order (SKU, price, weight, quantity, amount, …) before anything is computed.
 *      Lines identical in every field are interchangeable; which of two identical lines gets
 *      a leftover fen then follows input order, the multiset of results is the same.
 */
#ifndef FUPIN_CORE_PROMO_H
#define FUPIN_CORE_PROMO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pos/core/basket.h"
#include "pos/core/bizday.h"
#include "pos/core/money.h"
#include "pos/core/product.h"
#include "pos/core/sale.h"

#define PROMO_ID_CAP 32            /* = sale_applied.rule */
#define PROMO_LABEL_CAP 96         /* = sale_applied.label */
#define PROMO_CATEGORY_CAP 32
#define PROMO_MAX_SKUS 16          /* SKU-list scope */
#define PROMO_MAX_GIFT_CHOICES 4   /* gift list: first in stock wins */
#define PROMO_MAX_RULES SALE_MAX_RULES   /* rules given to one pricing call */
#define PROMO_MAX_LINES BASKET_MAX_LINES
#define PROMO_MAX_APPLIED PROMO_MAX_RULES  /* each rule applies at most once */
#define PROMO_MAX_GIFTS SALE_MAX_GIFTS     /* each rule gives at most one gift */
/* Whatever pricing produces fits the sale document (sale.h), with room for 抹零. */
_Static_assert(PROMO_MAX_APPLIED + 1 <= SALE_MAX_APPLIED && PROMO_MAX_GIFTS <= SALE_MAX_GIFTS,
               "a priced basket must always fit its sale document");
#define PROMO_MAX_MESSAGES 32
#define PROMO_MSG_CAP 160

typedef enum {
    PROMO_OK = 0,
    PROMO_ERR_RULE,        /* a rule is invalid (promo_rule_check says why) */
    PROMO_ERR_TOO_MANY,    /* more rules or lines than the caps above */
    PROMO_ERR_LINE,        /* a line has a negative amount or quantity */
    PROMO_ERR_OVERFLOW,    /* an amount would overflow (absurd input) */
    PROMO_ERR_CAPACITY,    /* the sale document cannot hold every applied rule or gift */
} promo_err;

const char *promo_strerror(promo_err err);

/* ------------------------------------------------------------------ schedule */

/* Weekday bits, 0 = Sunday as in civil_time.weekday. */
#define PROMO_WEEKDAY(wd) (1u << (wd))
#define PROMO_FRIDAY PROMO_WEEKDAY(5)

/* Every part that is set must hold (AND); a schedule with nothing set is always active.
 *   weekdays      bit set of days, 0 = any day
 *   from/to       date range "YYYY-MM-DD" inclusive, "" = open end
 *   solar         each year on month/day, from span_before days before to span_after days
 *                 after (May 1 with 0/4 = May 1-5); Feb 29 only in leap years
 *   lunar         each lunar year on lunar month/day (regular month, not the leap one), same
 *                 span; day 30 means the month's last day, so 12/30 is always 除夕
 *   time window   minutes after local midnight [start, end); end < start wraps past midnight;
 *                 start == end (e.g. 0/0) = all day */
typedef struct {
    uint8_t weekdays;
    char from[11], to[11];
    bool has_solar;
    int solar_month, solar_day;
    bool has_lunar;
    int lunar_month, lunar_day;
    int span_before, span_after;          /* 0..31, for the solar or lunar anchor */
    int start_min, end_min;               /* 0..1440 */
} promo_schedule;

/* ------------------------------------------------------------------ scope */

typedef enum {
    PROMO_SCOPE_ALL = 0,
    PROMO_SCOPE_POVERTY_RELIEF,   /* certified 扶贫产品 on the business day */
    PROMO_SCOPE_CATEGORY,
    PROMO_SCOPE_SKUS,
    PROMO_SCOPE_SUPPLIER,
} promo_scope_kind;

typedef struct {
    promo_scope_kind kind;
    char category[PROMO_CATEGORY_CAP];
    char supplier_id[SUPPLIER_ID_CAP];
    char skus[PROMO_MAX_SKUS][PRODUCT_SKU_CAP];
    size_t n_skus;
    bool members_only;
} promo_scope;

/* ------------------------------------------------------------------ effect */

typedef enum {
    PROMO_PERCENT = 0,         /* pay `percent` % of each scoped line: 90 = 9折 (half-up per line) */
    PROMO_BUY_N,               /* per SKU: every n units pay for pay_units, or pay bundle_fen */
    PROMO_AMOUNT_OFF,          /* amount_fen off the scoped lines' total (capped at it) */
    PROMO_THRESHOLD_OFF,       /* 满减: scoped total >= threshold -> amount off (repeat: per multiple) */
    PROMO_THRESHOLD_GIFT,      /* 满赠: scoped total >= threshold -> first gift in stock */
    PROMO_POINTS_MULTIPLIER,   /* points on scoped lines × multiplier_pct / 100 (200 = double) */
} promo_effect_kind;

typedef struct {
    char sku[PRODUCT_SKU_CAP];
    int64_t qty;
} promo_gift_choice;

typedef struct {
    promo_effect_kind kind;
    int percent;                 /* PERCENT: 0..100 */
    int buy_n;                   /* BUY_N: group size n >= 2 */
    int pay_units;               /* BUY_N: pay for this many of n (0 <= pay < n), or … */
    fen_t bundle_fen;            /* … when > 0: n units cost bundle_fen ("3 for ¥10") */
    fen_t threshold_fen;         /* THRESHOLD_*: scoped net must reach this */
    fen_t amount_fen;            /* AMOUNT_OFF / THRESHOLD_OFF: amount off */
    bool repeat;                 /* THRESHOLD_OFF: 每满 threshold 减 amount */
    promo_gift_choice gifts[PROMO_MAX_GIFT_CHOICES];
    size_t n_gifts;
    int multiplier_pct;          /* POINTS_MULTIPLIER: 100..10000 */
} promo_effect;

typedef struct {
    char id[PROMO_ID_CAP];
    char label[PROMO_LABEL_CAP];  /* zh, printed on the receipt: "扶贫日 9折" */
    int priority;                 /* higher first within a stage */
    bool exclusive;
    promo_schedule schedule;
    promo_scope scope;
    promo_effect effect;
} promo_rule;

/* Check one rule; on failure writes a human reason (zh) to why. */
bool promo_rule_check(const promo_rule *r, char *why, size_t why_cap);

/* ------------------------------------------------------------------ when */

/* Is the rule's schedule in force at local civil time t (weekday must be set)? */
bool promo_schedule_active(const promo_schedule *s, const civil_time *t);
/* Does the schedule's day part match date y-m-d (ignoring the time-of-day window)? */
bool promo_schedule_on_day(const promo_schedule *s, int y, int m, int d);

/* Rules in force at t, as indexes into rules[], in application order (stage, priority, id).
 * members: whether to include members-only rules.  Returns the count (at most cap written). */
size_t promo_active_rules(const promo_rule *rules, size_t n_rules, const civil_time *t,
                          bool members, size_t *out_idx, size_t cap);

/* One day of `calendar YEAR`. */
#define PROMO_CAL_MAX_RULES 16
typedef struct {
    int year, month, day, weekday;
    int lunar_year, lunar_month, lunar_day;
    bool lunar_leap;
    char what[96];                 /* "春节", "春节+3", "国家扶贫日", "周五" joined with "、" */
    size_t rules[PROMO_CAL_MAX_RULES];   /* indexes of rules whose day part matches */
    size_t n_rules;
} promo_calendar_day;

/* The campaign dates of year y named by the rules' schedules -- every weekday of their weekday
 * sets and every day of their solar and lunar anchors with spans (Spring Festival and
 * Mid-Autumn via lunar.c), whether or not the rule's date range covers it -- in date order,
 * each with the rules whose day part matches on it.  Writes at most cap days (366 is always
 * enough); returns the number of days found. */
size_t promo_calendar_year(const promo_rule *rules, size_t n_rules, int y,
                           promo_calendar_day *out, size_t cap);

/* Name of a well-known anchor ("春节", "中秋节", "国家扶贫日", …) or NULL. */
const char *promo_anchor_name(bool lunar, int month, int day);

/* ------------------------------------------------------------------ pricing */

typedef struct {
    char sku[PRODUCT_SKU_CAP];
    char category[PROMO_CATEGORY_CAP];
    char supplier_id[SUPPLIER_ID_CAP];
    bool poverty_relief;          /* certified on the business day */
    bool by_weight;
    int64_t qty;                  /* units (1 for weighed lines) */
    int64_t grams;
    fen_t unit_price_fen;
    fen_t amount_fen;             /* before discounts */
} promo_line;

/* Gift stock: units of sku on hand and its cost (fen per unit).  False = unknown SKU. */
typedef bool (*promo_stock_fn)(void *ctx, const char *sku, int64_t *on_hand, fen_t *cost_fen);

/* Ready-made stock source over an array (tests, `price` without a database). */
typedef struct {
    char sku[PRODUCT_SKU_CAP];
    int64_t on_hand;
    fen_t cost_fen;
} promo_stock_item;
typedef struct {
    const promo_stock_item *items;
    size_t n;
} promo_stock_array;
bool promo_stock_from_array(void *ctx, const char *sku, int64_t *on_hand, fen_t *cost_fen);

typedef struct {
    civil_time now;               /* local civil time of the sale (weekday set) */
    bool member;
    promo_stock_fn stock;         /* NULL: every gift counts as out of stock */
    void *stock_ctx;
} promo_context;

typedef struct {
    char rule[PROMO_ID_CAP];
    char label[PROMO_LABEL_CAP];
    fen_t amount_fen;             /* negative: money off; 0 for gifts and points multipliers */
} promo_applied;

typedef struct {
    char rule[PROMO_ID_CAP];
    char sku[PRODUCT_SKU_CAP];
    int64_t qty;
    fen_t cost_fen;               /* unit cost × qty: the gift line is ¥0 but carries its cost */
} promo_gift;

typedef enum {
    PROMO_MSG_GIFT_SUBSTITUTED,   /* first choice out of stock, a later one given */
    PROMO_MSG_GIFT_OUT_OF_STOCK,  /* threshold reached, no gift in stock: skipped */
    PROMO_MSG_THRESHOLD_SHORT,    /* not reached: how much more would reach it */
} promo_msg_kind;

typedef struct {
    promo_msg_kind kind;
    char rule[PROMO_ID_CAP];
    fen_t amount_fen;             /* THRESHOLD_SHORT: the fen still missing */
    char text[PROMO_MSG_CAP];     /* zh, for the cashier */
} promo_message;

typedef struct {
    size_t n_lines;
    fen_t discount_fen[PROMO_MAX_LINES];        /* per input line, input order */
    int points_multiplier_pct[PROMO_MAX_LINES]; /* per input line; 100 = ×1 */
    promo_applied applied[PROMO_MAX_APPLIED];   /* application order */
    size_t n_applied;
    promo_gift gifts[PROMO_MAX_GIFTS];
    size_t n_gifts;
    promo_message messages[PROMO_MAX_MESSAGES];
    size_t n_messages;
    fen_t subtotal_fen;           /* sum of amounts */
    fen_t discount_total_fen;     /* sum of discounts */
    fen_t total_fen;              /* subtotal - discounts */
} promo_result;

/* Price lines against rules at ctx->now.  Deterministic; see the stacking policy above. */
promo_err promo_price(const promo_line *lines, size_t n_lines, const promo_rule *rules,
                      size_t n_rules, const promo_context *ctx, promo_result *out);

#endif
