/* till: the one sale path of the screens and the CLI (see till.h). */
#include "pos/app/till.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db/osrand.h"
#include "pos/app/i18n.h"
#include "pos/core/bizday.h"
#include "pos/core/paycode.h"

/* The label layouts and the agreement tolerance are store configuration (settings), read once
 * when the till opens: a layout typo must stop the till at start, not mis-read labels later. */
static store_err load_scale_config(till *t, char *msg, size_t cap)
{
    char buf[512];
    store_err e = settings_get(t->db, "scale.layouts", buf, sizeof buf);
    if (e == STORE_ERR_NOT_FOUND || (e == STORE_OK && buf[0] == '\0')) {
        scale_layouts_default(&t->layouts);
    } else if (e) {
        snprintf(msg, cap, "setting scale.layouts: %s", store_last_error(t->db));
        return e;
    } else {
        char why[160] = "";
        if (scale_layouts_parse(buf, &t->layouts, why, sizeof why) != SCALE_OK) {
            snprintf(msg, cap, "setting scale.layouts='%.200s' is invalid: %s", buf, why);
            return STORE_ERR_INVALID;
        }
    }
    t->scale_tolerance_fen = TILL_SCALE_TOLERANCE_DEFAULT;
    e = settings_get(t->db, "scale.tolerance_fen", buf, sizeof buf);
    if (e == STORE_OK && buf[0]) {
        /* A tolerance above ¥10 would wave through any label: not a tolerance any more. */
        char *end = NULL;
        errno = 0;
        long long v = strtoll(buf, &end, 10);
        if (errno || !end || *end || end == buf || v < 0 || v > 1000) {
            snprintf(msg, cap, "setting scale.tolerance_fen='%.40s' is not 0..1000 fen", buf);
            return STORE_ERR_INVALID;
        }
        t->scale_tolerance_fen = (fen_t)v;
    } else if (e && e != STORE_ERR_NOT_FOUND) {
        snprintf(msg, cap, "setting scale.tolerance_fen: %s", store_last_error(t->db));
        return e;
    }
    return STORE_OK;
}

store_err till_attach(till *t, store *db, char *msg, size_t cap)
{
    memset(t, 0, sizeof *t);
    basket_init(&t->cart);
    snprintf(t->cashier, sizeof t->cashier, "%s", "01");
    t->db = db;
    store_err err = settings_get_config(t->db, &t->config);
    if (err) {
        snprintf(msg, cap, "%s", store_last_error(t->db));
        t->db = NULL;
        return err;
    }
    err = load_scale_config(t, msg, cap);
    if (err) {
        t->db = NULL;
        return err;
    }
    /* A rule that does not load is not a reason to refuse opening (`scan` still works, and
     * the screen can say what is wrong); no sale closes until it loads (rules_ok). */
    (void)till_reload_rules(t);
    return STORE_OK;
}

store_err till_open(till *t, const char *db_path, bool create, char *msg, size_t cap)
{
    memset(t, 0, sizeof *t);
    store_open_opts opts = { .create = create };
    store *db = NULL;
    store_err err = store_open(db_path, &opts, &db, msg, cap);
    if (err)
        return err;
    err = till_attach(t, db, msg, cap);
    if (err) {
        store_close(db);
        return err;
    }
    t->owns_db = true;
    return STORE_OK;
}

void till_close(till *t)
{
    if (t->db && t->owns_db)
        store_close(t->db);
    t->db = NULL;
}

__attribute__((format(printf, 3, 4)))
static till_err say(till *t, till_err err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(t->message, sizeof t->message, fmt, ap);
    va_end(ap);
    return err;
}

/* Append to the message (notes after the main text). */
__attribute__((format(printf, 2, 3)))
static void say_more(till *t, const char *fmt, ...)
{
    size_t n = strlen(t->message);
    if (n + 1 >= sizeof t->message)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(t->message + n, sizeof t->message - n, fmt, ap);
    va_end(ap);
}

static till_err basket_refused(till *t, basket_err err)
{
    return say(t, TILL_ERR_BASKET, "%s", i18n_basket_error(err));
}

static till_err store_failed(till *t, store_err err)
{
    return say(t, TILL_ERR_STORE, "%s: %s", i18n_store_error(err), store_last_error(t->db));
}

static int64_t till_now(const till *t)
{
    return t->at_utc ? t->at_utc : (int64_t)time(NULL);
}

void till_business_day(const till *t, char out[11])
{
    bizday_format_day(till_now(t), t->config.tz_offset_min, out);
}

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
        say_more(t, "  （%s）", i18n_text(I18N_CERT_LAPSED));
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

static till_err priced_add(till *t, till_err err);
static void begin_sale_if_empty(till *t);

static till_err add_counted(till *t, product *p, int64_t qty, size_t *line_out)
{
    if (p->by_weight)
        return say(t, TILL_ERR_BASKET, "%s: %s", i18n_text(I18N_NEEDS_WEIGHT), p->name);
    bool lapsed = stamp_poverty_relief(t, p);
    size_t line;
    basket_err berr = basket_add_product(&t->cart, p, qty, &line);
    if (berr)
        return basket_refused(t, berr);
    if (line_out)
        *line_out = line;
    char price[MONEY_FMT_CAP];
    money_format_yuan(p->price_fen, price, sizeof price);
    say(t, TILL_OK, "%s  %s", p->name, price);
    note_lapsed(t, lapsed);
    return priced_add(t, TILL_OK);
}

/* Weighed goods at the till: the reading is gross (container, bag), the product's tare comes
 * off, and the net weight must lie in the product's accepted range -- a cashier who types 5000
 * for 500 g of mushrooms is stopped by max_g before the shopper is.  A reading in motion is
 * never sold: the scale driver (#5) reports stability, typed weights are stable. */
static till_err add_weighed_product(till *t, product *p, int64_t gross_g, bool stable,
                                    size_t *line_out)
{
    if (!p->by_weight)
        return basket_refused(t, BASKET_ERR_BY_WEIGHT);
    if (!stable)
        return say(t, TILL_ERR_WEIGHT, "%s", i18n_text(I18N_WEIGHT_MOTION));
    if (gross_g < 1 || gross_g > INT64_MAX / 2)
        return basket_refused(t, BASKET_ERR_WEIGHT);
    int64_t tare = p->tare_g > 0 ? p->tare_g : 0;
    int64_t net = gross_g - tare;
    if (net < 1)
        return say(t, TILL_ERR_WEIGHT, "%s（%lldg − %s %lldg）: %s",
                   i18n_text(I18N_WEIGHT_NET_ZERO), (long long)gross_g,
                   i18n_text(I18N_TARE), (long long)tare, p->name);
    if (p->min_g > 0 && net < p->min_g)
        return say(t, TILL_ERR_WEIGHT, "%s: %s %lldg < %lldg", i18n_text(I18N_WEIGHT_BELOW_MIN),
                   p->name, (long long)net, (long long)p->min_g);
    if (p->max_g > 0 && net > p->max_g)
        return say(t, TILL_ERR_WEIGHT, "%s: %s %lldg > %lldg", i18n_text(I18N_WEIGHT_ABOVE_MAX),
                   p->name, (long long)net, (long long)p->max_g);
    bool lapsed = stamp_poverty_relief(t, p);
    size_t line;
    basket_err berr = basket_add_weighed(&t->cart, p, net, &line);
    if (berr)
        return basket_refused(t, berr);
    if (line_out)
        *line_out = line;
    char amount[MONEY_FMT_CAP];
    money_format_yuan(t->cart.lines[line].amount_fen, amount, sizeof amount);
    say(t, TILL_OK, "%s  %lldg  %s", p->name, (long long)net, amount);
    if (tare > 0)
        say_more(t, "  （%s %lldg）", i18n_text(I18N_TARE), (long long)tare);
    note_lapsed(t, lapsed);
    return priced_add(t, TILL_OK);
}

till_err till_check_label(till *t, const char *code, till_label_check *out)
{
    memset(out, 0, sizeof *out);
    out->agrees = true;
    scale_err se = scale_label_decode(&t->layouts, code, strlen(code), &out->label);
    if (se != SCALE_OK)
        return say(t, TILL_ERR_CODE, "%s: %s", i18n_scale_error(se), code);
    const scale_label *l = &out->label;
    store_err serr = products_find_by_plu(t->db, l->plu, &out->p);
    if (serr == STORE_ERR_NOT_FOUND)
        return say(t, TILL_ERR_UNKNOWN, "%s: PLU %s (%s %s)", i18n_text(I18N_UNKNOWN_PRODUCT),
                   l->plu, i18n_text(I18N_LABEL), code);
    if (serr)
        return store_failed(t, serr);
    out->found = true;
    const product *p = &out->p;
    if (!p->by_weight)
        return say(t, TILL_ERR_LABEL, "%s: PLU %s %s", i18n_text(I18N_LABEL_NOT_WEIGHED), l->plu,
                   p->name);
    if ((l->has_weight && l->grams < 1) || (l->has_price && l->price_fen < 1) ||
        (!l->has_weight && !l->has_price))
        return say(t, TILL_ERR_LABEL, "%s: %s", i18n_text(I18N_LABEL_ZERO), code);
    if (l->has_weight && l->grams > BASKET_MAX_GRAMS)
        return basket_refused(t, BASKET_ERR_WEIGHT);
    if (l->has_weight && !money_mul_grams(p->price_fen, l->grams, &out->expect_fen))
        return basket_refused(t, BASKET_ERR_OVERFLOW);
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
        return say(t, TILL_ERR_LABEL,
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
        return say(t, TILL_ERR_BASKET, "%s", i18n_text(I18N_LABEL_QTY));
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
            return basket_refused(t, berr);
    } else {
        product pack = p;
        pack.by_weight = false;
        pack.price_fen = l->price_fen;
        berr = basket_add_product(&t->cart, &pack, 1, &line);
        if (berr)
            return basket_refused(t, berr);
    }
    if (line_out)
        *line_out = line;
    char amount[MONEY_FMT_CAP];
    money_format_yuan(t->cart.lines[line].amount_fen, amount, sizeof amount);
    if (l->has_weight)
        say(t, TILL_OK, "%s  %lldg  %s  (%s)", p.name, (long long)l->grams, amount,
            i18n_text(I18N_LABEL));
    else
        say(t, TILL_OK, "%s  %s  (%s)", p.name, amount, i18n_text(I18N_LABEL));
    note_lapsed(t, lapsed);
    return priced_add(t, TILL_OK);
}

till_err till_scan(till *t, const char *code, int64_t qty, size_t *line_out, code_info *info)
{
    code_info local;
    if (!info)
        info = &local;
    t->last_cert_lapsed = false;
    begin_sale_if_empty(t);
    code_kind kind = till_classify_item(t, code, info);
    product p;
    if (kind == CODE_REJECTED) {
        /* A cashier typing a weighed good's PLU gets told to weigh it, not "bad barcode". */
        if (info->err == BARCODE_ERR_LENGTH &&
            products_find_by_plu(t->db, info->code, &p) == STORE_OK)
            return say(t, TILL_ERR_BASKET, "%s: %s", i18n_text(I18N_NEEDS_WEIGHT), p.name);
        /* The scale-label hook refused it (a label layout matched, a check digit did not).
         * The same digits may be a payment code that happens to match a label layout: say
         * where that belongs. */
        scale_label l;
        scale_err se = scale_label_decode(&t->layouts, info->code, strlen(info->code), &l);
        if (se == SCALE_ERR_CHECK_DIGIT || se == SCALE_ERR_PRICE_CHECK || se == SCALE_ERR_PATTERN) {
            say(t, TILL_ERR_CODE, "%s: %s", i18n_scale_error(se), info->code);
            if (paycode_detect(info->code, strlen(info->code)) != PAYCODE_NONE)
                say_more(t, "（%s）", i18n_text(I18N_PAYCODE_AS_ITEM));
            return TILL_ERR_CODE;
        }
        return say(t, TILL_ERR_CODE, "%s: %s", i18n_barcode_error(info->err), info->code);
    }
    if (kind == CODE_PAYMENT)
        return say(t, TILL_ERR_NOT_ITEM, "%s", i18n_text(I18N_PAYCODE_AS_ITEM));
    if (kind == CODE_SCALE_LABEL)
        return add_label(t, info, qty, line_out);
    if (kind != CODE_PRODUCT)
        return say(t, TILL_ERR_NOT_ITEM, "%s: %s", i18n_text(I18N_NOT_AN_ITEM), info->code);
    store_err serr = products_find_by_gtin(t->db, info->gtin13, &p);
    if (serr == STORE_ERR_NOT_FOUND)
        return say(t, TILL_ERR_UNKNOWN, "%s: %s", i18n_text(I18N_UNKNOWN_PRODUCT), info->code);
    if (serr)
        return store_failed(t, serr);
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
    begin_sale_if_empty(t);
    product p;
    store_err serr = find_plu_or_code(t, plu_or_code, &p);
    if (serr == STORE_ERR_NOT_FOUND)
        return say(t, TILL_ERR_UNKNOWN, "%s: %s", i18n_text(I18N_UNKNOWN_PRODUCT), plu_or_code);
    if (serr)
        return store_failed(t, serr);
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
    begin_sale_if_empty(t);
    product p;
    store_err serr = products_find_by_sku(t->db, sku, &p);
    if (serr == STORE_ERR_NOT_FOUND)
        return say(t, TILL_ERR_UNKNOWN, "%s: %s", i18n_text(I18N_UNKNOWN_PRODUCT), sku);
    if (serr)
        return store_failed(t, serr);
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
        return say(t, TILL_ERR_NOT_PAYMENT, "%s", i18n_text(I18N_LABEL_AS_PAYMENT));
    if (kind == CODE_PRODUCT)
        return say(t, TILL_ERR_NOT_PAYMENT, "%s", i18n_text(I18N_PRODUCT_AS_PAYMENT));
    if (kind != CODE_PAYMENT)
        return say(t, TILL_ERR_NOT_PAYMENT, "%s: %s", i18n_text(I18N_NOT_PAYCODE), info->code);
    paycode_provider provider = paycode_detect(info->code, strlen(info->code));
    if (provider == PAYCODE_NONE)
        return say(t, TILL_ERR_NOT_PAYMENT, "%s: %s", i18n_text(I18N_NOT_PAYCODE), info->code);
    if (t->cart.n_lines == 0)
        return basket_refused(t, BASKET_ERR_EMPTY);
    /* An e-payment makes the sale not all-cash, so 抹零 no longer applies: what is left is
     * the unrounded total minus what was tendered so far (cash typed before, say). */
    basket_settlement s;
    basket_settle(&t->cart, ROUNDING_NONE, &s);
    if (s.remaining_fen <= 0)
        return say(t, TILL_ERR_PAYMENT, "%s", i18n_text(I18N_NOTHING_LEFT_TO_PAY));
    tender_kind tk = paycode_tender_kind(provider);
    /* There is no payment gateway in this version.  A real till sends the code to the
     * provider's micropay API here and adds the tender only when the provider confirms the
     * charge; until then the scanned code is recorded as the tender reference as if it had,
     * and the message says so (模拟支付). */
    basket_err berr = basket_add_tender(&t->cart, tk, s.remaining_fen, info->code);
    if (berr)
        return basket_refused(t, berr);
    char amount[MONEY_FMT_CAP];
    money_format_yuan(s.remaining_fen, amount, sizeof amount);
    return say(t, TILL_OK, "%s %s（%s）", i18n_tender_name(tk), amount,
               i18n_text(I18N_SIMULATED_PAYMENT));
}

till_err till_search(till *t, const char *text, product *out, size_t cap, size_t *n_out)
{
    *n_out = 0;
    store_err serr = search_products(t->db, text, out, cap, n_out);
    if (serr)
        return store_failed(t, serr);
    return TILL_OK;
}

void till_supplier_name(till *t, const char *supplier_id, char *buf, size_t cap)
{
    if (cap)
        buf[0] = '\0';
    if (!supplier_id || !supplier_id[0])
        return;
    supplier sup;
    if (suppliers_find(t->db, supplier_id, &sup) == STORE_OK)
        snprintf(buf, cap, "%s", sup.name);
}

till_err till_set_qty(till *t, size_t line, int64_t qty)
{
    basket_err err = basket_set_qty(&t->cart, line, qty);
    if (err)
        return basket_refused(t, err);
    say(t, TILL_OK, "%s ×%lld", t->cart.lines[line].item.name, (long long)qty);
    return priced_add(t, TILL_OK);
}

till_err till_void(till *t, size_t line)
{
    if (line >= t->cart.n_lines)
        return basket_refused(t, BASKET_ERR_NO_LINE);
    char name[PRODUCT_NAME_CAP];
    snprintf(name, sizeof name, "%s", t->cart.lines[line].item.name);
    basket_err err = basket_void_line(&t->cart, line);
    if (err)
        return basket_refused(t, err);
    say(t, TILL_OK, "%s: %s", i18n_text(I18N_VOIDED), name);
    return priced_add(t, TILL_OK);
}

till_err till_tender(till *t, tender_kind kind, fen_t amount)
{
    /* Points are money only within the cap and the member's balance: one path checks that. */
    if (kind == TENDER_POINTS)
        return till_pay_points(t, amount);
    basket_err err = basket_add_tender(&t->cart, kind, amount, NULL);
    if (err)
        return basket_refused(t, err);
    return TILL_OK;
}

/* ------------------------------------------------------------------ promotions */

till_err till_reload_rules(till *t)
{
    size_t n = 0;
    store_err e = rules_load_active(t->db, t->rules, PROMO_MAX_RULES, &n);
    if (e) {
        t->rules_ok = false;
        t->n_rules = 0;
        snprintf(t->rules_error, sizeof t->rules_error, "%s: %s", i18n_store_error(e),
                 store_last_error(t->db));
        return say(t, TILL_ERR_PROMO, "%s", t->rules_error);
    }
    t->n_rules = n;
    t->rules_ok = true;
    t->rules_error[0] = '\0';
    /* The rates belong with the rules: a manager's change applies from the next sale too.
     * A malformed setting stops points, not the till: earning and redeeming refuse below. */
    if (points_load_config(t->db, &t->points_cfg, NULL) != STORE_OK)
        memset(&t->points_cfg, 0, sizeof t->points_cfg);
    return TILL_OK;
}

/* A sale starts with its first line: take the rules as they are now and forget the last
 * sale's category look-ups. */
static void begin_sale_if_empty(till *t)
{
    if (t->cart.n_lines != 0)
        return;
    t->n_cat = 0;
    char keep[sizeof t->message];
    snprintf(keep, sizeof keep, "%s", t->message);
    if (till_reload_rules(t) == TILL_OK)
        snprintf(t->message, sizeof t->message, "%s", keep);
}

static store_err line_category(till *t, const char *sku, const char **out)
{
    for (size_t i = 0; i < t->n_cat; i++)
        if (strcmp(t->cat_sku[i], sku) == 0) {
            *out = t->cat_name[i][0] ? t->cat_name[i] : NULL;
            return STORE_OK;
        }
    size_t slot = t->n_cat < BASKET_MAX_LINES ? t->n_cat++ : BASKET_MAX_LINES - 1;
    snprintf(t->cat_sku[slot], sizeof t->cat_sku[slot], "%s", sku);
    t->cat_name[slot][0] = '\0';
    store_err e = products_category(t->db, sku, t->cat_name[slot], sizeof t->cat_name[slot]);
    if (e && e != STORE_ERR_NOT_FOUND) {
        t->n_cat = slot;   /* not cached: ask again next time */
        return e;
    }
    *out = t->cat_name[slot][0] ? t->cat_name[slot] : NULL;
    return STORE_OK;
}

till_err till_category(till *t, const char *sku, const char **out)
{
    *out = NULL;
    store_err e = line_category(t, sku, out);
    return e ? store_failed(t, e) : TILL_OK;
}

static void clear_discounts(till *t)
{
    for (size_t i = 0; i < t->cart.n_lines; i++)
        t->cart.lines[i].discount_fen = 0;
    memset(&t->priced, 0, sizeof t->priced);
    t->priced_ok = false;
}

/* The one pricing path (screen, `price`, `sell`): the basket's lines at the local civil time
 * of at_utc, the stored rules, the catalog's categories, poverty relief as the lines were
 * stamped, gift stock from the stock journal.  doc (may be NULL) receives applied and gifts. */
static till_err price_at(till *t, int64_t at_utc, sale_doc *doc)
{
    if (!t->rules_ok) {
        clear_discounts(t);
        return say(t, TILL_ERR_PROMO, "%s: %s", i18n_is_en() ? "promotion rules" : "促销规则",
                   t->rules_error);
    }
    promo_line_extra extra[BASKET_MAX_LINES];
    for (size_t i = 0; i < t->cart.n_lines; i++) {
        const char *cat = NULL;
        store_err e = line_category(t, t->cart.lines[i].item.sku, &cat);
        if (e) {
            clear_discounts(t);
            return store_failed(t, e);
        }
        extra[i].category = cat;
        /* The line's own stamp: certified on the business day (stamp_poverty_relief). */
        extra[i].poverty_relief = t->cart.lines[i].item.poverty_relief;
    }
    civil_time now;
    bizday_local(at_utc, t->config.tz_offset_min, &now);
    char day[11];
    bizday_format_day(at_utc, t->config.tz_offset_min, day);
    promo_context ctx = {.now = now, .member = t->has_member, .stock = rules_gift_stock,
                         .stock_ctx = t->db};
    promo_err pe = promo_apply_to_basket(&t->cart, extra, day, t->rules, t->n_rules, &ctx,
                                         &t->priced, doc);
    if (pe != PROMO_OK) {
        clear_discounts(t);
        return say(t, TILL_ERR_PROMO, "%s: %s", i18n_is_en() ? "pricing" : "计价",
                   promo_strerror(pe));
    }
    t->priced_ok = true;
    return TILL_OK;
}

till_err till_reprice(till *t)
{
    if (t->cart.n_lines == 0) {
        memset(&t->priced, 0, sizeof t->priced);
        t->priced_ok = t->rules_ok;
        return TILL_OK;
    }
    return price_at(t, till_now(t), NULL);
}

/* After a basket change that succeeded: price again.  The change stands even if pricing
 * fails (the message says why, and till_prepare_sale refuses until it works). */
static till_err priced_add(till *t, till_err err)
{
    char keep[sizeof t->message];
    snprintf(keep, sizeof keep, "%s", t->message);
    if (till_reprice(t) != TILL_OK) {
        char why[sizeof t->message];
        snprintf(why, sizeof why, "%s", t->message);
        snprintf(t->message, sizeof t->message, "%s", keep);
        say_more(t, "  ！%s", why);
        return err;
    }
    snprintf(t->message, sizeof t->message, "%s", keep);
    /* A discount on the line just added is what the shopper hears about: say it. */
    if (t->priced.discount_total_fen > 0) {
        char d[MONEY_FMT_CAP];
        money_format_yuan(t->priced.discount_total_fen, d, sizeof d);
        say_more(t, i18n_is_en() ? "  (discounts %s)" : "  （已优惠 %s）", d);
    }
    return err;
}

static till_err attach_member(till *t, const char *key, bool org_only)
{
    if (!key || !key[0]) {
        bool had = t->has_member;
        t->has_member = false;
        memset(&t->mem, 0, sizeof t->mem);
        t->member_balance = 0;
        t->member_masked[0] = '\0';
        /* Points tendered for the member cannot stay without one. */
        for (size_t i = 0; i < t->cart.n_tenders; i++)
            if (t->cart.tenders[i].kind == TENDER_POINTS) {
                basket_clear_tenders(&t->cart);
                break;
            }
        (void)till_reprice(t);
        return say(t, TILL_OK, "%s", had ? (i18n_is_en() ? "Member removed" : "已取消会员")
                                        : (i18n_is_en() ? "No member" : "未设置会员"));
    }
    member m;
    store_err e = members_find_by_key(t->db, key, &m);
    if (e == STORE_ERR_NOT_FOUND)
        return say(t, TILL_ERR_MEMBER, i18n_is_en() ? "No member with card or phone %.40s"
                                                    : "没有这个会员（卡号或手机号）：%.40s",
                   key);
    if (e)
        return store_failed(t, e);
    if (org_only && m.kind != MEMBER_ORGANISATION)
        return say(t, TILL_ERR_MEMBER, i18n_is_en() ? "%s is not an organisation account"
                                                    : "%s 不是单位账户（以购代捐）",
                   m.id);
    int64_t bal = 0;
    if ((e = points_balance(t->db, m.id, &bal)))
        return store_failed(t, e);
    t->has_member = true;
    t->mem = m;
    t->member_balance = bal;
    /* Organisations are shown by name (their purchase is public); people masked, since the
     * shopper's screen faces the queue. */
    if (m.kind == MEMBER_ORGANISATION)
        snprintf(t->member_masked, sizeof t->member_masked, "%.60s", m.name);
    else if (!mask_name(m.name, t->member_masked, sizeof t->member_masked))
        snprintf(t->member_masked, sizeof t->member_masked, "*");
    till_err pe = till_reprice(t);
    char card[MASK_CAP];
    mask_card(m.id, card, sizeof card);
    say(t, TILL_OK, i18n_is_en() ? "Member %s (%s)  points %lld" : "会员 %s（%s）  积分 %lld",
        t->member_masked, card, (long long)bal);
    if (m.kind == MEMBER_ORGANISATION)
        say_more(t, "%s", i18n_is_en() ? "  purchase-as-donation" : "  以购代捐");
    if (pe != TILL_OK)
        say_more(t, "  ！%s", t->rules_error[0] ? t->rules_error : "");
    return TILL_OK;
}

till_err till_set_member(till *t, const char *key)
{
    return attach_member(t, key, false);
}

till_err till_set_org(till *t, const char *key)
{
    return attach_member(t, key, true);
}

fen_t till_points_paid(const till *t)
{
    fen_t v = 0;
    for (size_t i = 0; i < t->cart.n_tenders; i++)
        if (t->cart.tenders[i].kind == TENDER_POINTS)
            v += t->cart.tenders[i].amount_fen;
    return v;
}

void till_points_info_get(const till *t, till_points_info *out)
{
    memset(out, 0, sizeof *out);
    if (!t->has_member || !points_config_check(&t->points_cfg))
        return;
    basket_settlement s;
    basket_settle(&t->cart, ROUNDING_NONE, &s);   /* points make the sale not all-cash */
    out->balance = t->member_balance;
    out->total_fen = s.total_fen;
    out->paid_fen = till_points_paid(t);
    points_quote q;
    if (points_redeem_quote(&t->points_cfg, t->member_balance, s.total_fen, -1, &q) != POINTS_OK)
        return;
    out->available = q.max_value_fen > 0;
    out->max_fen = q.max_value_fen;
    out->max_points = q.max_points;
}

/* Check that value_fen in points is allowed on this basket for this member; on success
 * *points receives the points to debit. */
static till_err check_points(till *t, fen_t value_fen, int64_t *points)
{
    if (!t->has_member)
        return say(t, TILL_ERR_POINTS, "%s",
                   i18n_is_en() ? "Points pay only for a member: attach the card or phone first"
                                : "积分支付需要会员：请先刷会员卡或输入手机号");
    if (!points_config_check(&t->points_cfg) || t->points_cfg.redeem_points <= 0)
        return say(t, TILL_ERR_POINTS, "%s",
                   i18n_is_en() ? "Points redemption is not configured" : "积分抵现未启用或设置有误");
    basket_settlement s;
    basket_settle(&t->cart, ROUNDING_NONE, &s);
    points_quote cap;
    /* The cap alone (an unlimited balance), to tell "over the cap" from "not enough points". */
    if (points_redeem_quote(&t->points_cfg, INT64_MAX / 4, s.total_fen, -1, &cap) != POINTS_OK)
        return say(t, TILL_ERR_POINTS, "%s", i18n_is_en() ? "Points: bad amount" : "积分金额无效");
    char a[MONEY_FMT_CAP];
    if (value_fen > cap.max_value_fen) {
        money_format_yuan(cap.max_value_fen, a, sizeof a);
        return say(t, TILL_ERR_POINTS,
                   i18n_is_en() ? "Points may pay at most %s of this sale (%d%%)"
                                : "超过积分抵现上限：本单最多抵 %s（%d%%）",
                   a, t->points_cfg.redeem_cap_pct);
    }
    int64_t need = points_for_fen(&t->points_cfg, value_fen);
    if (need > t->member_balance) {
        return say(t, TILL_ERR_POINTS,
                   i18n_is_en() ? "Not enough points: %lld needed, balance %lld"
                                : "积分余额不足：需要 %lld，余额 %lld",
                   (long long)need, (long long)t->member_balance);
    }
    *points = need;
    return TILL_OK;
}

till_err till_pay_points(till *t, fen_t value_fen)
{
    if (t->cart.n_lines == 0)
        return basket_refused(t, BASKET_ERR_EMPTY);
    basket_settlement s;
    basket_settle(&t->cart, ROUNDING_NONE, &s);
    fen_t already = till_points_paid(t);
    fen_t left = s.remaining_fen;
    if (value_fen < 0) {
        till_points_info info;
        till_points_info_get(t, &info);
        value_fen = info.max_fen - already;
        if (value_fen > left)
            value_fen = left;
        if (!t->has_member)
            value_fen = 1;   /* let check_points say why */
        if (value_fen <= 0)
            return say(t, TILL_ERR_POINTS, "%s",
                       i18n_is_en() ? "No points can pay for this sale" : "本单没有可用的积分抵现额度");
    }
    if (value_fen <= 0)
        return basket_refused(t, BASKET_ERR_TENDER);
    if (value_fen > left) {
        char a[MONEY_FMT_CAP];
        money_format_yuan(left, a, sizeof a);
        return say(t, TILL_ERR_POINTS,
                   i18n_is_en() ? "Points give no change: at most %s is left to pay"
                                : "积分不找零：还需支付 %s",
                   a);
    }
    int64_t pts = 0;
    till_err e = check_points(t, already + value_fen, &pts);
    if (e)
        return e;
    basket_err berr = basket_add_tender(&t->cart, TENDER_POINTS, value_fen, NULL);
    if (berr)
        return basket_refused(t, berr);
    char a[MONEY_FMT_CAP];
    money_format_yuan(already + value_fen, a, sizeof a);
    return say(t, TILL_OK, i18n_is_en() ? "Points pay %s (%lld points, %lld left)"
                                        : "积分抵现 %s（用 %lld 分，剩 %lld 分）",
               a, (long long)pts, (long long)(t->member_balance - pts));
}

size_t till_active_rules(const till *t, const promo_rule **out, size_t cap)
{
    size_t idx[PROMO_MAX_RULES];
    civil_time now;
    bizday_local(till_now(t), t->config.tz_offset_min, &now);
    size_t n = promo_active_rules(t->rules, t->n_rules, &now, t->has_member, idx,
                                  PROMO_MAX_RULES);
    if (n > PROMO_MAX_RULES)
        n = PROMO_MAX_RULES;
    for (size_t i = 0; i < n && i < cap; i++)
        out[i] = &t->rules[idx[i]];
    return n < cap ? n : cap;
}

void till_current_month(const till *t, char out[8])
{
    char day[11];
    till_business_day(t, day);
    memcpy(out, day, 7);
    out[7] = '\0';
}

till_err till_stars(till *t, const char *month, member_kind kind, star_entry *out, size_t cap,
                    size_t *n)
{
    *n = 0;
    store_err e = stars_board(t->db, month, kind, out, cap, n);
    if (e)
        return store_failed(t, e);
    return TILL_OK;
}

till_err till_points_earned(till *t, fen_t due_fen, fen_t points_paid_fen, int64_t *earned)
{
    *earned = 0;
    /* Nobody to credit on an anonymous sale (the store writes no row for it either). */
    if (!t->has_member || t->points_cfg.earn_points <= 0 || !points_config_check(&t->points_cfg))
        return TILL_OK;
    points_line pl[BASKET_MAX_LINES];
    for (size_t i = 0; i < t->cart.n_lines; i++) {
        pl[i].net_fen = t->cart.lines[i].amount_fen - t->cart.lines[i].discount_fen;
        pl[i].multiplier_pct = t->priced.points_multiplier_pct[i];
        pl[i].gift = false;   /* gifts are not basket lines: they never earn */
    }
    if (points_earn(&t->points_cfg, pl, t->cart.n_lines, due_fen, points_paid_fen, NULL,
                    earned) != POINTS_OK)
        return say(t, TILL_ERR_POINTS, "%s", i18n_is_en() ? "points: cannot compute"
                                                          : "积分计算失败");
    return TILL_OK;
}

/* ------------------------------------------------------------------ the sale */

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
        till_err pe = price_at(t, now_utc, doc);
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
            return say(t, TILL_ERR_PAYMENT, "%s %s, %s %s", i18n_text(I18N_DUE), due,
                       i18n_text(I18N_SHORT_BY), rem);
        }
        return say(t, TILL_ERR_PAYMENT, "%s", i18n_basket_error(berr));
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
            return store_failed(t, se);
        t->member_balance = bal;
        till_err pe = check_points(t, points_fen, &redeem);
        if (pe)
            return pe;
    }
    if (sale_from_basket(&t->cart, t->config.rounding, doc) != SALE_OK)
        return say(t, TILL_ERR_PAYMENT, "%s", i18n_basket_error(BASKET_ERR_INSUFFICIENT));
    if (t->has_member) {
        snprintf(doc->member_id, sizeof doc->member_id, "%s", t->mem.id);
        doc->points_redeemed = redeem;
        if (till_points_earned(t, doc->due_fen, points_fen, &doc->points_earned) != TILL_OK)
            return TILL_ERR_POINTS;
    }
    uint8_t rnd[16];
    if (!os_random_bytes(rnd, sizeof rnd))
        return say(t, TILL_ERR_STORE, "%s", "no OS random source for the sale id");
    sale_format_uuid_v4(rnd, doc->uuid);
    snprintf(doc->store_code, sizeof doc->store_code, "%s", t->config.store_code);
    doc->till_no = t->config.till_no;
    snprintf(doc->cashier, sizeof doc->cashier, "%s", t->cashier);
    doc->created_utc = now_utc;
    char why[160];
    if (sale_check(doc, false, why, sizeof why) != SALE_OK)
        return say(t, TILL_ERR_PAYMENT, "%s", why);
    return TILL_OK;
}

till_err till_commit_prepared(store *db, sale_doc *doc, const basket *cart, char *msg, size_t cap)
{
    char detail[256] = "";
    store_err err = sales_commit(db, doc, cart ? cart->voids : NULL, cart ? cart->n_voids : 0,
                                      detail, sizeof detail);
    if (err) {
        snprintf(msg, cap, "%s%s%s", i18n_store_error(err), detail[0] ? ": " : "", detail);
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
