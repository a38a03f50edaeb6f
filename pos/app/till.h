/* till: the sale path shared by the screens and the headless commands.
 *
 * A till holds the basket being rung up and the store connection used for look-ups.  Scanning,
 * quantities, voids and tenders go through here, so `fupin-pos sell` and the sale screen cannot
 * disagree.  Committing is split in two so the UI can run the durable part on a worker thread:
 * till_prepare_sale() builds and checks the document on the calling thread,
 * till_commit_prepared() writes it (any thread, with its own store handle). */
#ifndef FUPIN_APP_TILL_H
#define FUPIN_APP_TILL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/demo.h"
#include "db/members.h"
#include "db/points.h"
#include "db/rules.h"
#include "db/stars.h"
#include "pos/core/member.h"
#include "pos/core/rule_json.h"
#include "db/products.h"
#include "db/sales.h"
#include "db/search.h"
#include "db/settings.h"
#include "db/store.h"
#include "db/suppliers.h"
#include "pos/core/barcode.h"
#include "pos/core/basket.h"
#include "pos/core/mask.h"
#include "pos/core/points.h"
#include "pos/core/promo.h"
#include "pos/core/sale.h"
#include "pos/core/scale_label.h"

typedef enum {
    TILL_OK = 0,
    TILL_ERR_CODE,        /* the code is malformed (check digit, length, characters) */
    TILL_ERR_UNKNOWN,     /* a valid code that is not in the catalog */
    TILL_ERR_NOT_ITEM,    /* a payment code where an item was expected (item-entry screen) */
    TILL_ERR_BASKET,      /* the basket refused (quantity, full, overflow, …) */
    TILL_ERR_PAYMENT,     /* not payable yet (insufficient, change on e-pay) */
    TILL_ERR_STORE,       /* the database refused or failed: basket kept */
    TILL_ERR_LABEL,       /* a scale label that disagrees with the catalog, or cannot be sold */
    TILL_ERR_WEIGHT,      /* a weight outside the product's range, zero after tare, in motion */
    TILL_ERR_NOT_PAYMENT, /* the payment screen got something that is not a payment code */
    TILL_ERR_MEMBER,      /* no such member, or a member of the wrong kind (--org) */
    TILL_ERR_POINTS,      /* a points tender refused: no member, over the cap, over the balance */
    TILL_ERR_PROMO,       /* the rules could not be loaded or applied: the sale may not close */
    TILL_ERR_BUSY,        /* a commit is in flight: the basket may not change (session.h) */
    TILL_ERR_UUID_TAKEN,  /* a caller's sale id that is malformed or already another sale's */
    TILL_ERR_ALREADY_SAVED, /* not applied: the failed sale it would have dropped had in fact
                             * been saved, so the session is DONE with it (session.h) */
} till_err;

/* A short English name of err for logs ("store", "payment", …); what the cashier reads is the
 * till's message, in their language. */
const char *till_strerror(till_err err);

/* Default agreement tolerance of scale labels (setting scale.tolerance_fen): 5 fen covers the
 * scale rounding its own price × weight differently from ours, nothing more. */
#define TILL_SCALE_TOLERANCE_DEFAULT 5

/* The till: one per screen or command (its own store handle, or one it was attached to).
 * Opaque: callers change a sale through these functions (or session_apply), never its fields. */
typedef struct till till;

/* What a points tender may pay now (the F8 key and `price`). */
typedef struct {
    bool available;               /* a member is set and the rate allows redeeming */
    int64_t balance;
    fen_t total_fen;              /* the amount the cap is a share of (no 抹零 with points) */
    fen_t paid_fen;               /* already tendered in points in this basket */
    fen_t max_fen;                /* the most points may pay in all (cap, balance, total) */
    int64_t max_points;
} till_points_info;

/* Open (and migrate) the database at path; fills t->config, layouts and tolerance from it.
 * A malformed scale.layouts / scale.tolerance_fen setting refuses to open (STORE_ERR_INVALID,
 * msg names the setting): decoding labels with a wrong layout would charge wrong amounts. */
store_err till_open(till **out, const char *db_path, bool create, char *msg, size_t cap);
/* The same on a store the caller opened (read-only commands such as `scan`); the till does not
 * own it, till_close leaves it open. */
store_err till_attach(till **out, store *db, char *msg, size_t cap);
/* Close (when the till opened the store) and free t; NULL is fine. */
void till_close(till *t);
/* Read the store's configuration again (after `init --demo` set it, in tests). */
store_err till_reload_config(till *t);

/* ---- what a till holds, read-only ---- */

store *till_store(till *t);
const till_config *till_config_get(const till *t);
/* What the last operation said, in the user's language (for the screen / stderr). */
const char *till_message(const till *t);
void till_clear_message(till *t);
/* Set the message (in the user's language) and return err: a refusal decided outside the
 * till (the session's sale-id check) reads like the till's own. */
till_err till_say(till *t, till_err err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* The basket being rung up, priced (discounts on its lines). */
const basket *till_basket(const till *t);
/* The basket's pricing after its last change: applied rules, gifts, the cashier's notes. */
const promo_result *till_pricing(const till *t);
/* The rules loaded for this sale (application order). */
size_t till_rules(const till *t, const promo_rule **out);
bool till_has_member(const till *t);
const member *till_member(const till *t);
int64_t till_member_balance(const till *t);      /* points before this sale */
const char *till_member_masked(const till *t);    /* 张*明: what the screen shows */
const points_config *till_points_config(const till *t);
const char *till_cashier(const till *t);
/* The last add sold a 扶贫 product whose certificate has lapsed (it sells, not as 扶贫). */
bool till_last_cert_lapsed(const till *t);
/* The agreement tolerance of scale labels (setting scale.tolerance_fen). */
fen_t till_scale_tolerance(const till *t);
/* The in-store label layouts (setting scale.layouts). */
const scale_layout_set *till_scale_layouts(const till *t);
/* "Now" for business-day rules: --at and tests pin it; 0 = the real clock. */
void till_set_now(till *t, int64_t at_utc);
/* Drop the tenders; keep_points keeps what points pay (F8), and the message either way. */
void till_clear_tenders(till *t, bool keep_points);

/* The item-entry screen's scan: a retail barcode (counted goods, with a quantity), an
 * in-store scale label (the label's PLU, weight and/or printed price; qty must be 1), while a
 * customer payment code is refused as an item (TILL_ERR_NOT_ITEM, "这是付款码…").  On success
 * fills *line_out.  info (may be NULL) receives the classification. */
till_err till_scan(till *t, const char *code, int64_t qty, size_t *line_out, code_info *info);
/* Add a weighed product by PLU or code at a typed weight (a typed weight is stable).  The
 * weight is gross: the product's tare is subtracted, then its min/max apply. */
till_err till_add_weighed(till *t, const char *plu_or_code, int64_t grams, size_t *line_out);
/* The same for a scale reading: a reading in motion (stable false) is refused. */
till_err till_add_scale_reading(till *t, const char *plu_or_code, int64_t gross_g, bool stable,
                                size_t *line_out);
/* The item screen's scan with the scale's reading gross_g (0 = nothing on the scale): with
 * goods on the scale a short number (1..6 digits) is the PLU of weighed produce, and a code
 * refused as counted goods that is a weighed product's sells at the reading; without a
 * reading it is till_scan.  A refusal keeps till_scan's message. */
till_err till_scan_at_scale(till *t, const char *code, int64_t qty, int64_t gross_g, bool stable,
                            size_t *line_out, code_info *info);
/* The weighed product whose PLU, retail code or SKU is code (false: none, not weighed, or the
 * look-up failed).  Leaves t->message as it was: the caller is deciding what to ask next. */
bool till_weighed_product(till *t, const char *code, product *out);
/* Add a product chosen by SKU (the search pane): counted goods with qty, weighed goods with
 * the gross weight gross_g (typed: stable; a scale reading: its own stability). */
till_err till_add_sku(till *t, const char *sku, int64_t qty, int64_t gross_g, bool stable,
                      size_t *line_out);

/* What a scale label means against the catalog (shared by till_scan and `scan`). */
typedef struct {
    scale_label label;         /* decoded: PLU, has_price/has_weight, price, grams */
    bool found;                /* the PLU is in the catalog */
    product p;                 /* when found */
    bool checked;              /* price and weight both printed: agreement was checked */
    bool agrees;               /* within the tolerance (true when there was nothing to check) */
    fen_t expect_fen;          /* catalog price × label weight, when the label has a weight */
    fen_t charge_fen;          /* what a sale charges: the printed price, else expect_fen */
} till_label_check;

/* Decode code (already classified CODE_SCALE_LABEL) and check it against the catalog.  Returns
 * TILL_OK when the label can be sold, else the refusal with t->message set. */
till_err till_check_label(till *t, const char *code, till_label_check *out);

/* Classify a code as the item-entry screen does (scale labels first, then payment codes, then
 * retail GTINs); returns info->kind. */
code_kind till_classify_item(const till *t, const char *code, code_info *info);
/* The payment screen: a customer payment code (WeChat / Alipay / UnionPay) pays the whole
 * remaining amount with the tender kind of its provider and the code as the reference.
 * Scale labels and product codes are refused (TILL_ERR_NOT_PAYMENT).  There is no payment
 * gateway yet: the tender is recorded as if the provider had confirmed it (the message says
 * 模拟支付). */
till_err till_pay_by_code(till *t, const char *code, code_info *info);

/* Search the catalog for the search pane (name, pinyin initials, code, PLU), best first. */
till_err till_search(till *t, const char *text, product *out, size_t cap, size_t *n_out);
/* Supplier's display name for a product's supplier id ("" when unknown). */
void till_supplier_name(till *t, const char *supplier_id, char *buf, size_t cap);
/* Business day (YYYY-MM-DD) of "now" (t->at_utc or the clock) in the store's zone. */
void till_business_day(const till *t, char out[11]);
till_err till_set_qty(till *t, size_t line, int64_t qty);
till_err till_void(till *t, size_t line);
till_err till_tender(till *t, tender_kind kind, fen_t amount);

/* ---- promotions, members, points ---- */

/* Load the active rules now (till_open and each new sale do it themselves). */
till_err till_reload_rules(till *t);
/* Price the basket with the rules at "now" (t->at_utc or the clock): writes every line's
 * discount_fen and t->priced.  Every basket change through the till calls it, so the screen
 * always shows the discounts; `price` calls it to print what `sell` would charge.  On failure
 * the discounts are cleared, t->priced_ok is false and the message says why. */
till_err till_reprice(till *t);
/* The catalog category of sku (promo scope; *out NULL when it has none), looked up once per
 * sale and kept with the till (the same answer the pricing used). */
till_err till_category(till *t, const char *sku, const char **out);
/* Attach the member whose card number or phone is key (NULL or "" removes the member) and
 * re-price (members-only rules).  till_set_org accepts an organisation (以购代捐) only. */
till_err till_set_member(till *t, const char *key);
till_err till_set_org(till *t, const char *key);
/* Pay value_fen with points (value_fen < 0: as much as the cap, the balance and what is left
 * to pay allow).  Needs a member; refused over the cap, over the balance, or above what is
 * left to pay (points never give change). */
till_err till_pay_points(till *t, fen_t value_fen);
void till_points_info_get(const till *t, till_points_info *out);
/* What points tenders already pay in this basket. */
fen_t till_points_paid(const till *t);
/* Points the priced basket earns when due_fen is owed and points_paid_fen of it is paid in
 * points (0 without a member): the rate × each line's rule multiplier, on money only. */
till_err till_points_earned(till *t, fen_t due_fen, fen_t points_paid_fen, int64_t *earned);
/* Rules in force now (banner), application order; members-only ones only with a member. */
size_t till_active_rules(const till *t, const promo_rule **out, size_t cap);
/* "YYYY-MM" of now in the store's zone. */
void till_current_month(const till *t, char out[8]);
/* The consumption-star board of a month (stars_board; kind PERSON or ORGANISATION). */
till_err till_stars(till *t, const char *month, member_kind kind, star_entry *out, size_t cap,
                    size_t *n);

/* Build the sale document from the basket and check it.  The uuid is drawn from the OS random
 * source here; created_utc is the caller's clock reading (or --at). */
till_err till_prepare_sale(till *t, int64_t now_utc, sale_doc *doc);
/* Write a prepared document (and the basket's voids) through db.  On failure msg is
 * "<cause in the user's language>: <the store's detail>". */
till_err till_commit_prepared(store *db, sale_doc *doc, const basket *cart, char *msg, size_t cap);
/* The same with the cause (a static string in the user's language: 磁盘已满…) and the store's
 * detail apart, so a screen shows the cause without taking a message apart.  fingerprint: the
 * caller's request (`sell --uuid`, sales_commit_request), NULL for none; *stored (may be NULL)
 * is true when that request's sale was already stored and nothing was written. */
till_err till_commit_sale(store *db, sale_doc *doc, const basket *cart, const char *fingerprint,
                          bool *stored, const char **cause, char *detail, size_t detail_cap);
/* After a successful commit: start the next sale (anonymous again). */
void till_next_sale(till *t);

#endif
