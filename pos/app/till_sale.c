/* till_sale: the finished basket becomes a checked sale document (prepare) and is written
 * through a store handle (commit; the session decides on which thread).  See till.h. */
#include "pos/app/till.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db/osrand.h"
#include "pos/app/i18n.h"
#include "pos/app/till_internal.h"
#include "pos/core/bizday.h"
#include "pos/core/paycode.h"


till_err till_prepare_sale(till *t, int64_t now_utc, sale_doc *doc)
{
    memset(doc, 0, sizeof *doc);
    /* The lines were stamped with the certificate validity when scanned; a sale paid after
     * midnight belongs to the new business day, on which a certificate may have lapsed.  The
     * stamp is renewed on the basket itself, before pricing, so the 扶贫 discounts, the
     * document and the county ledger all judge the same day. */
    char day[11];
    bizday_format_day(now_utc, t->config.tz_offset_min, day);
    for (size_t i = 0; i < t->cart.n_lines; i++)
        t->cart.lines[i].item.poverty_relief =
            t->cart.lines[i].item.poverty_relief &&
            product_poverty_relief_on(&t->cart.lines[i].item, day);
    /* Priced again at the sale's own time (the same function the screen and `price` use):
     * the rules of the moment of payment, and doc->applied / doc->gifts filled. */
    if (t->cart.n_lines > 0) {
        till_err pe = till_price_at(t, now_utc, doc);
        if (pe != TILL_OK)
            return pe;
    }
    basket_settlement st;
    basket_err berr = basket_check_payable(&t->cart, t->config.rounding, &st);
    if (berr) {
        if (berr == BASKET_ERR_INSUFFICIENT) {
            char due[MONEY_FMT_CAP], rem[MONEY_FMT_CAP];
            money_format_yuan(st.due_fen, due, sizeof due);
            money_format_yuan(st.remaining_fen, rem, sizeof rem);
            return till_say(t, TILL_ERR_PAYMENT, "%s %s, %s %s", i18n_text(I18N_DUE), due,
                       i18n_text(I18N_SHORT_BY), rem);
        }
        return till_say(t, TILL_ERR_PAYMENT, "%s", i18n_basket_error(berr));
    }
    /* Points: the tender checked again against the balance as it is now (another till may
     * have spent some), then earned on what was paid in money -- never on points, never on
     * gifts (they are not lines). */
    fen_t points_fen = till_points_paid(t);
    int64_t redeem = 0;
    if (points_fen > 0) {
        int64_t bal = 0;
        store_err se = points_balance(t->db, t->mem.id, &bal);
        if (t->has_member && se)
            return till_store_failed(t, se);
        t->member_balance = bal;
        till_err pe = till_check_points(t, points_fen, &redeem);
        if (pe)
            return pe;
    }
    if (sale_from_basket(&t->cart, t->config.rounding, doc) != SALE_OK)
        return till_say(t, TILL_ERR_PAYMENT, "%s", i18n_basket_error(BASKET_ERR_INSUFFICIENT));
    if (t->has_member) {
        snprintf(doc->member_id, sizeof doc->member_id, "%s", t->mem.id);
        doc->points_redeemed = redeem;
        if (till_points_earned(t, doc->due_fen, points_fen, &doc->points_earned) != TILL_OK)
            return TILL_ERR_POINTS;
    }
    uint8_t rnd[16];
    if (!os_random_bytes(rnd, sizeof rnd))
        return till_say(t, TILL_ERR_STORE, "%s", "no OS random source for the sale id");
    sale_format_uuid_v4(rnd, doc->uuid);
    snprintf(doc->store_code, sizeof doc->store_code, "%s", t->config.store_code);
    doc->till_no = t->config.till_no;
    snprintf(doc->cashier, sizeof doc->cashier, "%s", t->cashier);
    doc->created_utc = now_utc;
    char why[160];
    if (sale_check(doc, false, why, sizeof why) != SALE_OK)
        return till_say(t, TILL_ERR_PAYMENT, "%s", why);
    return TILL_OK;
}

till_err till_commit_sale(store *db, sale_doc *doc, const basket *cart, const char *fingerprint,
                          bool *stored, const char **cause, char *detail, size_t detail_cap)
{
    *cause = "";
    if (detail_cap)
        detail[0] = '\0';
    store_err err = sales_commit_request(db, doc, fingerprint, cart ? cart->voids : NULL,
                                         cart ? cart->n_voids : 0, stored, detail, detail_cap);
    if (err) {
        *cause = i18n_store_error(err);
        return TILL_ERR_STORE;
    }
    return TILL_OK;
}

till_err till_commit_prepared(store *db, sale_doc *doc, const basket *cart, char *msg, size_t cap)
{
    char detail[256] = "";
    const char *cause = "";
    if (till_commit_sale(db, doc, cart, NULL, NULL, &cause, detail, sizeof detail) != TILL_OK) {
        snprintf(msg, cap, "%s%s%s", cause, detail[0] ? ": " : "", detail);
        return TILL_ERR_STORE;
    }
    snprintf(msg, cap, "%s %s", i18n_text(I18N_SAVED), doc->receipt_no);
    return TILL_OK;
}

void till_next_sale(till *t)
{
    basket_init(&t->cart);
    /* The next shopper is anonymous until a card is shown. */
    t->has_member = false;
    memset(&t->mem, 0, sizeof t->mem);
    t->member_balance = 0;
    t->member_masked[0] = '\0';
    memset(&t->priced, 0, sizeof t->priced);
    t->n_cat = 0;
}

