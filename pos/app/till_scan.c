/* till_scan: what a scanned or typed code adds to the basket -- retail barcodes, in-store
 * scale labels checked against the catalog, weighed goods at a typed weight or a scale
 * reading, and the customer's payment code on the payment screen.  See till.h. */
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


/* A sale line counts as poverty-relief only while the product's certificate is valid on the
 * business day: the line's copy of the product carries the answer, not the catalog flag, so
 * the screen, the sale document and the county ledger all see the same thing.  Returns
 * whether the certificate lapsed (the product is flagged 扶贫 but no longer counts). */
static bool stamp_poverty_relief(const till *t, product *p)
{
    char day[11];
    till_business_day(t, day);
    bool on = product_poverty_relief_on(p, day);
    bool lapsed = p->poverty_relief && !on;
    p->poverty_relief = on;
    return lapsed;
}

static void note_lapsed(till *t, bool lapsed)
{
    t->last_cert_lapsed = lapsed;
    if (lapsed)
        till_say_more(t, "  （%s）", i18n_text(I18N_CERT_LAPSED));
}

/* The item-entry screen's hooks: scale labels first, so an 18-digit label starting 26 is a
 * label here (and an Alipay code on the payment screen), then payment codes, which the caller
 * refuses as items.  Built per call: the till may be copied or moved by its owner. */
static size_t item_hooks(const till *t, code_classifier hooks[2])
{
    hooks[0] = (code_classifier){ "scale_label", scale_label_classifier, (void *)&t->layouts };
    hooks[1] = (code_classifier){ "paycode", paycode_classifier, NULL };
    return 2;
}

/* The payment screen's hooks: payment codes first; scale labels are recognised only so the
 * refusal can say what the code was. */
static size_t payment_hooks(const till *t, code_classifier hooks[2])
{
    hooks[0] = (code_classifier){ "paycode", paycode_classifier, NULL };
    hooks[1] = (code_classifier){ "scale_label", scale_label_classifier, (void *)&t->layouts };
    return 2;
}

code_kind till_classify_item(const till *t, const char *code, code_info *info)
{
    code_classifier hooks[2];
    size_t n = item_hooks(t, hooks);
    return barcode_classify(code, hooks, n, info);
}


static till_err add_counted(till *t, product *p, int64_t qty, size_t *line_out)
{
    if (p->by_weight)
        return till_say(t, TILL_ERR_BASKET, "%s: %s", i18n_text(I18N_NEEDS_WEIGHT), p->name);
    bool lapsed = stamp_poverty_relief(t, p);
    size_t line;
    basket_err berr = basket_add_product(&t->cart, p, qty, &line);
    if (berr)
        return till_basket_refused(t, berr);
    if (line_out)
        *line_out = line;
    char price[MONEY_FMT_CAP];
    money_format_yuan(p->price_fen, price, sizeof price);
    till_say(t, TILL_OK, "%s  %s", p->name, price);
    note_lapsed(t, lapsed);
    return till_priced_add(t, TILL_OK);
}

/* Weighed goods at the till: the reading is gross (container, bag), the product's tare comes
 * off, and the net weight must lie in the product's accepted range -- a cashier who types 5000
 * for 500 g of mushrooms is stopped by max_g before the shopper is.  A reading in motion is
 * never sold: the scale driver (#5) reports stability, typed weights are stable. */
static till_err add_weighed_product(till *t, product *p, int64_t gross_g, bool stable,
                                    size_t *line_out)
{
    if (!p->by_weight)
        return till_basket_refused(t, BASKET_ERR_BY_WEIGHT);
    if (!stable)
        return till_say(t, TILL_ERR_WEIGHT, "%s", i18n_text(I18N_WEIGHT_MOTION));
    if (gross_g < 1 || gross_g > INT64_MAX / 2)
        return till_basket_refused(t, BASKET_ERR_WEIGHT);
    int64_t tare = p->tare_g > 0 ? p->tare_g : 0;
    int64_t net = gross_g - tare;
    if (net < 1)
        return till_say(t, TILL_ERR_WEIGHT, "%s（%lldg − %s %lldg）: %s",
                   i18n_text(I18N_WEIGHT_NET_ZERO), (long long)gross_g,
                   i18n_text(I18N_TARE), (long long)tare, p->name);
    if (p->min_g > 0 && net < p->min_g)
        return till_say(t, TILL_ERR_WEIGHT, "%s: %s %lldg < %lldg", i18n_text(I18N_WEIGHT_BELOW_MIN),
                   p->name, (long long)net, (long long)p->min_g);
    if (p->max_g > 0 && net > p->max_g)
        return till_say(t, TILL_ERR_WEIGHT, "%s: %s %lldg > %lldg", i18n_text(I18N_WEIGHT_ABOVE_MAX),
                   p->name, (long long)net, (long long)p->max_g);
    bool lapsed = stamp_poverty_relief(t, p);
    size_t line;
    basket_err berr = basket_add_weighed(&t->cart, p, net, &line);
    if (berr)
        return till_basket_refused(t, berr);
    if (line_out)
        *line_out = line;
    char amount[MONEY_FMT_CAP];
    money_format_yuan(t->cart.lines[line].amount_fen, amount, sizeof amount);
    till_say(t, TILL_OK, "%s  %lldg  %s", p->name, (long long)net, amount);
    if (tare > 0)
        till_say_more(t, "  （%s %lldg）", i18n_text(I18N_TARE), (long long)tare);
    note_lapsed(t, lapsed);
    return till_priced_add(t, TILL_OK);
}

till_err till_check_label(till *t, const char *code, till_label_check *out)
{
    memset(out, 0, sizeof *out);
    out->agrees = true;
    scale_err se = scale_label_decode(&t->layouts, code, strlen(code), &out->label);
    if (se != SCALE_OK)
        return till_say(t, TILL_ERR_CODE, "%s: %s", i18n_scale_error(se), code);
    const scale_label *l = &out->label;
    store_err serr = products_find_by_plu(t->db, l->plu, &out->p);
    if (serr == STORE_ERR_NOT_FOUND)
        return till_say(t, TILL_ERR_UNKNOWN, "%s: PLU %s (%s %s)", i18n_text(I18N_UNKNOWN_PRODUCT),
                   l->plu, i18n_text(I18N_LABEL), code);
    if (serr)
        return till_store_failed(t, serr);
    out->found = true;
    const product *p = &out->p;
    if (!p->by_weight)
        return till_say(t, TILL_ERR_LABEL, "%s: PLU %s %s", i18n_text(I18N_LABEL_NOT_WEIGHED), l->plu,
                   p->name);
    if ((l->has_weight && l->grams < 1) || (l->has_price && l->price_fen < 1) ||
        (!l->has_weight && !l->has_price))
        return till_say(t, TILL_ERR_LABEL, "%s: %s", i18n_text(I18N_LABEL_ZERO), code);
    if (l->has_weight && l->grams > BASKET_MAX_GRAMS)
        return till_basket_refused(t, BASKET_ERR_WEIGHT);
    if (l->has_weight && !money_mul_grams(p->price_fen, l->grams, &out->expect_fen))
        return till_basket_refused(t, BASKET_ERR_OVERFLOW);
    out->charge_fen = l->has_price ? l->price_fen : out->expect_fen;
    if (l->has_price && l->has_weight) {
        out->checked = true;
        out->agrees = scale_label_agrees(l, p->price_fen, t->scale_tolerance_fen);
    }
    char printed[MONEY_FMT_CAP], unit[MONEY_FMT_CAP], expect[MONEY_FMT_CAP], tol[MONEY_FMT_CAP];
    money_format_yuan(l->price_fen, printed, sizeof printed);
    money_format_yuan(p->price_fen, unit, sizeof unit);
    money_format_yuan(out->expect_fen, expect, sizeof expect);
    money_format_yuan(t->scale_tolerance_fen, tol, sizeof tol);
    if (!out->agrees)
        /* Flagged, never silently accepted: either the scale's unit price is stale or the label
         * was tampered with.  The shopper keeps the goods; the staff re-weigh or fix the scale. */
        return till_say(t, TILL_ERR_LABEL,
                   i18n_is_en() ? "%s: %s %s, %s %s/kg × %lldg %s %s (%s %s)"
                                : "%s：%s %s，%s %s/kg × %lldg %s %s（%s %s）",
                   i18n_text(I18N_LABEL_MISMATCH), i18n_text(I18N_LABEL), printed, p->name, unit,
                   (long long)l->grams, i18n_text(I18N_SHOULD_BE), expect,
                   i18n_text(I18N_TOLERANCE), tol);
    return TILL_OK;
}

/* A scale label on the item screen.
 *  - price and weight: charge the printed amount (the label scale is the verified instrument);
 *    the line keeps the grams and the catalog fen/kg as its unit price, after the agreement
 *    check above.  sale_check accepts a weighed line whose amount is not price × grams for
 *    exactly this case.
 *  - weight only: catalog fen/kg × grams, half-up, like a till weighing.
 *  - price only: there is no weight to show or to multiply, so the line is one labelled pack
 *    at its printed price (qty 1, grams 0, unit price = amount): sale_check's counted-line rule
 *    amount = qty × unit price holds, and no weight is invented for the receipt.
 * No tare and no min/max: the label scale already took the tare and weighed the goods. */
static till_err add_label(till *t, const code_info *info, int64_t qty, size_t *line_out)
{
    if (qty != 1)
        return till_say(t, TILL_ERR_BASKET, "%s", i18n_text(I18N_LABEL_QTY));
    till_label_check chk;
    till_err err = till_check_label(t, info->code, &chk);
    if (err)
        return err;
    product p = chk.p;
    const scale_label *l = &chk.label;
    bool lapsed = stamp_poverty_relief(t, &p);
    size_t line;
    basket_err berr;
    if (l->has_weight) {
        berr = l->has_price
                   ? basket_add_weighed_amount(&t->cart, &p, l->grams, l->price_fen, &line)
                   : basket_add_weighed(&t->cart, &p, l->grams, &line);
        if (berr)
            return till_basket_refused(t, berr);
    } else {
        product pack = p;
        pack.by_weight = false;
        pack.price_fen = l->price_fen;
        berr = basket_add_product(&t->cart, &pack, 1, &line);
        if (berr)
            return till_basket_refused(t, berr);
    }
    if (line_out)
        *line_out = line;
    char amount[MONEY_FMT_CAP];
    money_format_yuan(t->cart.lines[line].amount_fen, amount, sizeof amount);
    if (l->has_weight)
        till_say(t, TILL_OK, "%s  %lldg  %s  (%s)", p.name, (long long)l->grams, amount,
            i18n_text(I18N_LABEL));
    else
        till_say(t, TILL_OK, "%s  %s  (%s)", p.name, amount, i18n_text(I18N_LABEL));
    note_lapsed(t, lapsed);
    return till_priced_add(t, TILL_OK);
}

till_err till_scan(till *t, const char *code, int64_t qty, size_t *line_out, code_info *info)
{
    code_info local;
    if (!info)
        info = &local;
    t->last_cert_lapsed = false;
    till_begin_sale_if_empty(t);
    code_kind kind = till_classify_item(t, code, info);
    product p;
    if (kind == CODE_REJECTED) {
        /* A cashier typing a weighed good's PLU gets told to weigh it, not "bad barcode". */
        if (info->err == BARCODE_ERR_LENGTH &&
            products_find_by_plu(t->db, info->code, &p) == STORE_OK)
            return till_say(t, TILL_ERR_BASKET, "%s: %s", i18n_text(I18N_NEEDS_WEIGHT), p.name);
        /* The scale-label hook refused it (a label layout matched, a check digit did not).
         * The same digits may be a payment code that happens to match a label layout: say
         * where that belongs. */
        scale_label l;
        scale_err se = scale_label_decode(&t->layouts, info->code, strlen(info->code), &l);
        if (se == SCALE_ERR_CHECK_DIGIT || se == SCALE_ERR_PRICE_CHECK || se == SCALE_ERR_PATTERN) {
            till_say(t, TILL_ERR_CODE, "%s: %s", i18n_scale_error(se), info->code);
            if (paycode_detect(info->code, strlen(info->code)) != PAYCODE_NONE)
                till_say_more(t, "（%s）", i18n_text(I18N_PAYCODE_AS_ITEM));
            return TILL_ERR_CODE;
        }
        return till_say(t, TILL_ERR_CODE, "%s: %s", i18n_barcode_error(info->err), info->code);
    }
    if (kind == CODE_PAYMENT)
        return till_say(t, TILL_ERR_NOT_ITEM, "%s", i18n_text(I18N_PAYCODE_AS_ITEM));
    if (kind == CODE_SCALE_LABEL)
        return add_label(t, info, qty, line_out);
    if (kind != CODE_PRODUCT)
        return till_say(t, TILL_ERR_NOT_ITEM, "%s: %s", i18n_text(I18N_NOT_AN_ITEM), info->code);
    store_err serr = products_find_by_gtin(t->db, info->gtin13, &p);
    if (serr == STORE_ERR_NOT_FOUND)
        return till_say(t, TILL_ERR_UNKNOWN, "%s: %s", i18n_text(I18N_UNKNOWN_PRODUCT), info->code);
    if (serr)
        return till_store_failed(t, serr);
    return add_counted(t, &p, qty, line_out);
}

/* The product of a typed PLU, else of a retail code: what a weighing is keyed by. */
static store_err find_plu_or_code(till *t, const char *plu_or_code, product *p)
{
    store_err serr = products_find_by_plu(t->db, plu_or_code, p);
    if (serr == STORE_ERR_NOT_FOUND) {
        char gtin[14];
        if (barcode_to_gtin13(plu_or_code, gtin, NULL) == BARCODE_OK)
            serr = products_find_by_gtin(t->db, gtin, p);
    }
    return serr;
}

bool till_weighed_product(till *t, const char *code, product *out)
{
    product p;
    store_err serr = find_plu_or_code(t, code, &p);
    if (serr == STORE_ERR_NOT_FOUND)
        serr = products_find_by_sku(t->db, code, &p);
    if (serr != STORE_OK || !p.by_weight)
        return false;
    *out = p;
    return true;
}

till_err till_add_scale_reading(till *t, const char *plu_or_code, int64_t gross_g, bool stable,
                                size_t *line_out)
{
    t->last_cert_lapsed = false;
    till_begin_sale_if_empty(t);
    product p;
    store_err serr = find_plu_or_code(t, plu_or_code, &p);
    if (serr == STORE_ERR_NOT_FOUND)
        return till_say(t, TILL_ERR_UNKNOWN, "%s: %s", i18n_text(I18N_UNKNOWN_PRODUCT), plu_or_code);
    if (serr)
        return till_store_failed(t, serr);
    return add_weighed_product(t, &p, gross_g, stable, line_out);
}

till_err till_add_weighed(till *t, const char *plu_or_code, int64_t grams, size_t *line_out)
{
    return till_add_scale_reading(t, plu_or_code, grams, true, line_out);
}

/* 1..6 digits: a PLU as a cashier keys it, never a retail or scale-label barcode. */
static bool looks_like_plu(const char *code)
{
    size_t n = strlen(code);
    if (n == 0 || n > 6)
        return false;
    for (; *code; code++)
        if (*code < '0' || *code > '9')
            return false;
    return true;
}

till_err till_scan_at_scale(till *t, const char *code, int64_t qty, int64_t gross_g, bool stable,
                            size_t *line_out, code_info *info)
{
    if (gross_g <= 0)
        return till_scan(t, code, qty, line_out, info);
    /* A short number with goods on the scale is a PLU of weighed produce. */
    if (looks_like_plu(code))
        return till_add_scale_reading(t, code, gross_g, stable, line_out);
    till_err err = till_scan(t, code, qty, line_out, info);
    if (err != TILL_ERR_BASKET)
        return err;
    /* Refused as counted goods (a weighed product's code) with a reading there: sell it by
     * weight.  Anything else keeps the scan's own refusal. */
    char saved[sizeof t->message];
    snprintf(saved, sizeof saved, "%s", t->message);
    if (till_add_scale_reading(t, code, gross_g, stable, line_out) == TILL_OK)
        return TILL_OK;
    snprintf(t->message, sizeof t->message, "%s", saved);
    return err;
}

till_err till_add_sku(till *t, const char *sku, int64_t qty, int64_t gross_g, bool stable,
                      size_t *line_out)
{
    t->last_cert_lapsed = false;
    till_begin_sale_if_empty(t);
    product p;
    store_err serr = products_find_by_sku(t->db, sku, &p);
    if (serr == STORE_ERR_NOT_FOUND)
        return till_say(t, TILL_ERR_UNKNOWN, "%s: %s", i18n_text(I18N_UNKNOWN_PRODUCT), sku);
    if (serr)
        return till_store_failed(t, serr);
    if (p.by_weight)
        return add_weighed_product(t, &p, gross_g, stable, line_out);
    return add_counted(t, &p, qty, line_out);
}

till_err till_pay_by_code(till *t, const char *code, code_info *info)
{
    code_info local;
    if (!info)
        info = &local;
    code_classifier hooks[2];
    size_t n = payment_hooks(t, hooks);
    code_kind kind = barcode_classify(code, hooks, n, info);
    if (kind == CODE_SCALE_LABEL)
        return till_say(t, TILL_ERR_NOT_PAYMENT, "%s", i18n_text(I18N_LABEL_AS_PAYMENT));
    if (kind == CODE_PRODUCT)
        return till_say(t, TILL_ERR_NOT_PAYMENT, "%s", i18n_text(I18N_PRODUCT_AS_PAYMENT));
    if (kind != CODE_PAYMENT)
        return till_say(t, TILL_ERR_NOT_PAYMENT, "%s: %s", i18n_text(I18N_NOT_PAYCODE), info->code);
    paycode_provider provider = paycode_detect(info->code, strlen(info->code));
    if (provider == PAYCODE_NONE)
        return till_say(t, TILL_ERR_NOT_PAYMENT, "%s: %s", i18n_text(I18N_NOT_PAYCODE), info->code);
    if (t->cart.n_lines == 0)
        return till_basket_refused(t, BASKET_ERR_EMPTY);
    /* An e-payment makes the sale not all-cash, so 抹零 no longer applies: what is left is
     * the unrounded total minus what was tendered so far (cash typed before, say). */
    basket_settlement s;
    basket_settle(&t->cart, ROUNDING_NONE, &s);
    if (s.remaining_fen <= 0)
        return till_say(t, TILL_ERR_PAYMENT, "%s", i18n_text(I18N_NOTHING_LEFT_TO_PAY));
    tender_kind tk = paycode_tender_kind(provider);
    /* There is no payment gateway in this version.  A real till sends the code to the
     * provider's micropay API here and adds the tender only when the provider confirms the
     * charge; until then the scanned code is recorded as the tender reference as if it had,
     * and the message says so (模拟支付). */
    basket_err berr = basket_add_tender(&t->cart, tk, s.remaining_fen, info->code);
    if (berr)
        return till_basket_refused(t, berr);
    char amount[MONEY_FMT_CAP];
    money_format_yuan(s.remaining_fen, amount, sizeof amount);
    return till_say(t, TILL_OK, "%s %s（%s）", i18n_tender_name(tk), amount,
               i18n_text(I18N_SIMULATED_PAYMENT));
}

