/* promo_store: persistence of issue #5 -- promotion rules, members, the points journal and the
 * consumption-star board (扶贫消费明星).
 *
 * The rules are evaluated by pos/core/promo (pure); this module only stores them, as JSON in
 * promo_rules.rule_json, through a strict codec (an unknown key, a wrong type or a rule that
 * promo_rule_check refuses is an error naming the rule id and the field).  The points journal
 * is append-only (triggers); a balance is the SUM of a member's rows and can never go below
 * zero (a trigger refuses the row that would do it, inside the writer's transaction, so two
 * tills redeeming at once cannot both spend the same points).
 *
 * Till integration (what till_prepare_sale needs):
 *     promo_rule rules[PROMO_MAX_RULES]; size_t n;
 *     store_load_rules(db, rules, PROMO_MAX_RULES, &n);         once per sale or on change
 *     member m; store_find_member_by_key(db, card_or_phone, &m);  sell --member
 *     promo_context ctx = { .now = local, .member = true,
 *                           .stock = promo_store_gift_stock, .stock_ctx = db };
 *     promo_apply_to_basket(&cart, extras, day, rules, n, &ctx, &res, doc);
 *     store_points_config(db, &pc, NULL, 0); points_earn(...); points_redeem_quote(...);
 *     snprintf(doc->member_id, …); doc->points_earned = …; doc->points_redeemed = …;
 *     sales_commit(db, doc, …)   -> sales.member_id + earn/redeem journal rows, same tx. */
#ifndef FUPIN_DB_PROMO_STORE_H
#define FUPIN_DB_PROMO_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/store.h"
#include "pos/core/json.h"
#include "pos/core/points.h"
#include "pos/core/promo.h"

/* ------------------------------------------------------------------ rule codec */

/* The JSON form of one rule (docs/PROMOTIONS.md, "Rules as JSON"):
 *   {"id": "fri-fupin", "label": "每周五扶贫日 扶贫产品9.5折", "priority": 10,
 *    "exclusive": false, "active": true,
 *    "schedule": {"weekdays": ["fri"], "from": "2026-01-01", "to": "",
 *                 "solar": {"month": 10, "day": 17} | "lunar": {"month": 1, "day": 1},
 *                 "before": 3, "after": 7, "time": {"start": "08:00", "end": "12:00"}},
 *    "scope": {"kind": "all|poverty_relief|category|skus|supplier", "category": "…",
 *              "skus": ["P0003"], "supplier": "SUP001", "members_only": false},
 *    "effect": {"kind": "percent", "percent": 95}
 *            | {"kind": "buy_n", "n": 3, "pay": 2} | {"kind": "buy_n", "n": 3, "bundle_fen": 1000}
 *            | {"kind": "amount_off", "amount_fen": 500}
 *            | {"kind": "threshold_off", "threshold_fen": 10000, "amount_fen": 1000, "repeat": true}
 *            | {"kind": "threshold_gift", "threshold_fen": 10000,
 *               "gifts": [{"sku": "P0003", "qty": 1}]}
 *            | {"kind": "points_multiplier", "multiplier_pct": 200}}
 * Optional members may be left out (defaults: priority 0, not exclusive, active, empty
 * schedule = always, scope all).  "active" is the store's switch, not part of promo_rule. */

/* Decode one rule object.  active may be NULL.  On failure why says
 * `rule "ID": FIELD: reason` (or `rule #N` when the id itself is the problem) and false. */
bool promo_rule_from_json(const json_value *v, promo_rule *out, bool *active, char *why,
                          size_t why_cap);
/* Encode a rule (canonical: defaults left out, so decode(encode(r)) == r).  with_active adds
 * "active": active. */
void promo_rule_to_json(const promo_rule *r, bool with_active, bool active, json_writer *w);

/* ------------------------------------------------------------------ rules */

/* Insert or replace rule r (checked with promo_rule_check first; STORE_ERR_INVALID with the
 * reason in store_last_error otherwise). */
store_err store_upsert_rule(store *s, const promo_rule *r, bool active);
/* Switch a rule off (kept for the record and the receipts that name it); NOT_FOUND if absent. */
store_err store_deactivate_rule(store *s, const char *id);
/* The active rules, ordered by id, into out[0..cap).  More than cap active rules is
 * STORE_ERR_INVALID (the till must not silently price with a subset); a stored rule that no
 * longer decodes or checks is STORE_ERR_CORRUPT naming its id.  *n receives the count. */
store_err store_load_rules(store *s, promo_rule *out, size_t cap, size_t *n);
/* One rule by id, active or not. */
store_err store_find_rule(store *s, const char *id, promo_rule *out, bool *active);
/* Every stored rule, active or not, ordered by id (the manager's `promo list`).  active[i]
 * (may be NULL) receives each rule's switch.  More than cap rules is STORE_ERR_INVALID. */
store_err store_list_rules(store *s, promo_rule *out, bool *active, size_t cap, size_t *n);
/* Upsert n rules in ONE transaction (`promo import`): all or nothing.  Each is checked like
 * store_upsert_rule; an audit row per rule that changed (*changed, may be NULL, counts them).
 * Refused (nothing written) when afterwards more than PROMO_MAX_RULES rules would be active:
 * the till refuses to price with a subset, so such an import would stop every sale. */
store_err store_import_rules(store *s, const promo_rule *rules, const bool *active, size_t n,
                             size_t *changed);
/* Switch a stored rule back on (audited as an upsert); NOT_FOUND if absent.  Same active-rule
 * limit as store_import_rules. */
store_err store_activate_rule(store *s, const char *id);

/* Gift stock for promo_context.stock (ctx = the store): on hand = the SKU's stock level
 * (stock_moves), cost = average unit cost of its receipts (0 when never received).  Unknown
 * SKU (not in the catalog) = false. */
bool promo_store_gift_stock(void *ctx, const char *sku, int64_t *on_hand, fen_t *cost_fen);
/* A product's category ("" when none) -- promo_line_extra.category; the product record the
 * till carries has no category. */
store_err store_product_category(store *s, const char *sku, char *buf, size_t cap);

/* ------------------------------------------------------------------ members */

#define MEMBER_ID_CAP 32
#define MEMBER_PHONE_CAP 24
#define MEMBER_NAME_CAP 64

typedef enum {
    MEMBER_PERSON = 0,
    MEMBER_STAFF,
    MEMBER_ORGANISATION,   /* 企事业单位 buying 以购代捐 */
} member_kind;

const char *member_kind_name(member_kind k);            /* "person", "staff", "organisation" */
bool member_kind_parse(const char *name, member_kind *out);

typedef struct {
    char id[MEMBER_ID_CAP];        /* card number: 1-31 of [0-9A-Za-z-_] */
    char phone[MEMBER_PHONE_CAP];  /* digits (5-20), "" when none; unique when set */
    char name[MEMBER_NAME_CAP];
    member_kind kind;
    int64_t created_utc;
} member;

/* Is m well-formed?  why says which field. */
bool member_check(const member *m, char *why, size_t why_cap);
/* New member; an existing card or phone is STORE_ERR_CONSTRAINT. */
store_err store_add_member(store *s, const member *m);
/* Insert or update by card (the demo loader; the manager's edit). */
store_err store_upsert_member(store *s, const member *m);
store_err store_find_member(store *s, const char *id, member *out);
store_err store_find_member_by_phone(store *s, const char *phone, member *out);
/* What a cashier types or scans: a card number, else a phone number. */
store_err store_find_member_by_key(store *s, const char *card_or_phone, member *out);
/* Remove a member who has no points rows and no sales (else STORE_ERR_CONSTRAINT). */
store_err store_delete_member(store *s, const char *id);

/* ------------------------------------------------------------------ points journal */

typedef enum {
    POINTS_ENTRY_EARN = 0,    /* > 0 */
    POINTS_ENTRY_REDEEM,      /* < 0 */
    POINTS_ENTRY_REVERSE,     /* < 0: a refund takes earned points back */
    POINTS_ENTRY_EXPIRE,      /* < 0 */
    POINTS_ENTRY_ADJUST,      /* either sign, reason required: returned points, corrections */
} points_entry_kind;

const char *points_entry_kind_name(points_entry_kind k);

typedef struct {
    int64_t id;               /* set by the store */
    char member_id[MEMBER_ID_CAP];
    points_entry_kind kind;
    int64_t points;           /* signed: the balance is the sum */
    char sale_uuid[SALE_UUID_CAP];   /* "" when not tied to a sale */
    char reason[128];
    int64_t at_utc;
} points_entry;

/* Append one row in its own transaction.  The sign must fit the kind; a row that would take
 * the balance below zero is refused (STORE_ERR_INVALID, "…余额不足…").  e->id is not written
 * back (e is const); the journal is read back with store_points_recent. */
store_err store_points_append(store *s, const points_entry *e);
store_err store_points_balance(store *s, const char *member_id, int64_t *balance);
/* Newest first. */
store_err store_points_recent(store *s, const char *member_id, points_entry *out, size_t cap,
                              size_t *n);

/* Points settings, with defaults for missing keys (docs/PROMOTIONS.md):
 *   points.rate                 points earned per ¥1 paid in money       default 1
 *   points.redeem_rate          points worth ¥1 as a tender              default 100
 *   points.redeem_cap_percent   at most this % of the due paid in points default 50
 *   points.expiry               "none" or N months (1-120)               default "none"
 * A malformed value is STORE_ERR_INVALID naming the key.  expiry may be NULL; *expiry_months
 * receives 0 for "none". */
store_err store_points_config(store *s, points_config *out, int *expiry_months);
/* Parse a points.expiry value: "none" (0 months), "N" or "months:N" with N in 1..120.  Used by
 * store_points_config and by `config set` (so a bad value is refused before it is stored). */
bool points_expiry_parse(const char *text, int *months);

/* ---- expiry (points.expiry = N months) ---- */

typedef struct {
    char member_id[MEMBER_ID_CAP];
    int64_t points;                /* > 0: what expired (the journal row is -points) */
} points_expired;

typedef struct {
    int months;                    /* the policy applied; 0 = "none" (nothing done) */
    int64_t cutoff_utc;            /* points earned before this instant are expirable */
    size_t n_members;              /* members who lost points in this run */
    int64_t points;                /* points expired in this run, all members */
    points_expired *items;         /* caller's array, may be NULL; filled up to cap, by card */
    size_t cap;
    size_t n_items;
} points_expire_result;

/* Expire points earned more than points.expiry months before now_utc (calendar months in the
 * store's time zone; the 31st minus one month is the month's last day).  FIFO: spending
 * (redeem, reverse, expire, negative adjust) uses the oldest points first, so per member
 *     expirable = max(0, Σ positive rows dated before the cutoff − Σ |negative rows|, all dates)
 * and one 'expire' row of −expirable (at now_utc) is appended.  Earlier expire rows count as
 * spending, so a second run writes nothing.  All members in one transaction with one audit
 * row (points.expire) when anything expired.  points.expiry = "none": nothing, STORE_OK.
 * res->items/cap are the caller's; the rest of *res is set. */
store_err store_points_expire(store *s, int64_t now_utc, points_expire_result *res);

/* Inside sales_commit's transaction (called by db/store.c, not by the app): check the
 * document's member and write its points rows -- the redeem row first, so points earned by
 * this very sale can never pay for it. */
store_err promo_store_commit_points(store *s, const sale_doc *doc);

/* ------------------------------------------------------------------ consumption stars */

typedef struct {
    int rank;                      /* 1, 2, 3 … (ties are broken, so ranks are distinct) */
    char member_id[MEMBER_ID_CAP];
    char name[MEMBER_NAME_CAP];
    char phone[MEMBER_PHONE_CAP];
    member_kind kind;
    fen_t spend_fen;               /* Σ (amount − discount) of poverty-relief lines */
    int64_t sales;                 /* sales with such lines */
    int64_t first_utc;             /* first such purchase in the month */
} star_entry;

/* Members of `kind` ranked by poverty-relief spend in month "YYYY-MM" (business days): spend
 * descending, then the earlier first purchase, then member id.  Writes up to cap entries and
 * *n.  Staff never appear on the main board (call with MEMBER_PERSON); organisations are a
 * list of their own (MEMBER_ORGANISATION).  Net of refunds (#7): a refund is subtracted in the
 * month of the sale it refunds (docs/REFUNDS.md); a sale refunded whole is not counted. */
store_err store_stars(store *s, const char *month, member_kind kind, star_entry *out, size_t cap,
                      size_t *n);

/* ------------------------------------------------------------------ demo */

/* Load <assets_dir>/demo/promotions.json ({"settings": {key: value}, "rules": [rule…]}) and
 * <assets_dir>/demo/members.csv (id,phone,name,kind), plus opening stock of the gift SKUs, in
 * one transaction; idempotent (upserts; the opening stock is written once).  A missing file
 * is skipped (older asset sets); a bad one refuses everything with FILE[:LINE]: field: reason. */
store_err demo_load_promotions(store *s, const char *assets_dir, char *msg, size_t msg_cap);

#endif
