/* till_internal: what the till's files (till.c, till_scan.c, till_promo.c, till_sale.c) share
 * and nobody else calls: the message helpers and the steps one part needs from another. */
#ifndef FUPIN_APP_TILL_INTERNAL_H
#define FUPIN_APP_TILL_INTERNAL_H

#include "pos/app/till.h"

struct till {
    store *db;
    bool owns_db;              /* false after till_attach: the caller closes db */
    till_config config;
    char cashier[32];
    basket cart;
    /* What the last operation said, in the user's language, for the screen / stderr. */
    char message[256];
    /* The last successful add sold a 扶贫 product whose certificate has lapsed: it sells, but
     * not as poverty-relief; the screen shows a notice (the message says it too). */
    bool last_cert_lapsed;
    /* Store configuration of in-store labels: settings scale.layouts (scale_layouts_parse
     * syntax; default scale_layouts_default) and scale.tolerance_fen (default 5). */
    scale_layout_set layouts;
    fen_t scale_tolerance_fen;
    /* "Now" for business-day rules (certificate validity): --at and tests pin it; 0 = the
     * real clock.  The sale's own created_utc is the till_prepare_sale argument. */
    int64_t at_utc;

    /* ---- promotions, members, points (#5) ----
     * The active rules, loaded when the till opens and again when a sale starts (first line
     * into an empty basket), so a manager's change applies from the next sale on and never
     * half-way through one.  rules_ok false: the load failed (rules_error says why) and no
     * sale may close until it works -- pricing with a subset would charge wrong amounts. */
    promo_rule rules[PROMO_MAX_RULES];
    size_t n_rules;
    bool rules_ok;
    char rules_error[200];
    /* The basket's pricing after its last change (discounts are on the basket lines; this has
     * the applied rules, gifts, per-line points multipliers and the cashier's messages). */
    promo_result priced;
    bool priced_ok;
    /* Category of each SKU seen in this sale (promo scope), so a re-price does not query the
     * catalog for every line on every scan.  Reset with the sale. */
    char cat_sku[BASKET_MAX_LINES][PRODUCT_SKU_CAP];
    char cat_name[BASKET_MAX_LINES][PROMO_CATEGORY_CAP];
    size_t n_cat;
    /* The sale's member (card or phone at the till; --member / --org on the CLI). */
    bool has_member;
    member mem;
    int64_t member_balance;           /* points before this sale */
    char member_masked[MASK_CAP];     /* what the screen shows: 张*明 (the shopper is watching) */
    points_config points_cfg;
};


/* Append to the message (notes after the main text). */
void till_say_more(till *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
till_err till_basket_refused(till *t, basket_err err);
till_err till_store_failed(till *t, store_err err);
/* "Now": t->at_utc, else the clock. */
int64_t till_now(const till *t);

/* till_promo.c: re-price after a basket change (err passes through when it is TILL_OK), and
 * start a sale's rules when the first line goes into an empty basket. */
till_err till_priced_add(till *t, till_err err);
void till_begin_sale_if_empty(till *t);
/* Price the basket at at_utc; doc (may be NULL) receives the applied rules and gifts. */
till_err till_price_at(till *t, int64_t at_utc, sale_doc *doc);
/* A points tender of value_fen checked against member, cap and balance; *points its cost. */
till_err till_check_points(till *t, fen_t value_fen, int64_t *points);

#endif
