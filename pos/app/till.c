/* till: opening the till, its messages, and the basket edits that are not scans (quantity,
 * void, tender, search).  The rest of the sale path is split along its parts: till_scan.c
 * (codes, scale labels, weighed goods, payment codes), till_promo.c (promotions, members and
 * points), till_sale.c (prepare and commit).  See till.h. */
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

/* Fill a zeroed till over db (not owned). */
static store_err attach(till *t, store *db, char *msg, size_t cap)
{
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

store_err till_attach(till **out, store *db, char *msg, size_t cap)
{
    *out = NULL;
    till *t = calloc(1, sizeof *t);   /* large (rules, category cache): never on a stack */
    if (!t) {
        snprintf(msg, cap, "out of memory");
        return STORE_ERR_INTERNAL;
    }
    store_err err = attach(t, db, msg, cap);
    if (err) {
        free(t);
        return err;
    }
    *out = t;
    return STORE_OK;
}

store_err till_open(till **out, const char *db_path, bool create, char *msg, size_t cap)
{
    *out = NULL;
    store_open_opts opts = { .create = create };
    store *db = NULL;
    store_err err = store_open(db_path, &opts, &db, msg, cap);
    if (err)
        return err;
    err = till_attach(out, db, msg, cap);
    if (err) {
        store_close(db);
        return err;
    }
    (*out)->owns_db = true;
    return STORE_OK;
}

void till_close(till *t)
{
    if (!t)
        return;
    if (t->db && t->owns_db)
        store_close(t->db);
    free(t);
}

store_err till_reload_config(till *t)
{
    return settings_get_config(t->db, &t->config);
}

store *till_store(till *t) { return t->db; }
const till_config *till_config_get(const till *t) { return &t->config; }
const char *till_message(const till *t) { return t->message; }
void till_clear_message(till *t) { t->message[0] = '\0'; }
const basket *till_basket(const till *t) { return &t->cart; }
const promo_result *till_pricing(const till *t) { return &t->priced; }
bool till_has_member(const till *t) { return t->has_member; }
const member *till_member(const till *t) { return &t->mem; }
int64_t till_member_balance(const till *t) { return t->member_balance; }
const char *till_member_masked(const till *t) { return t->member_masked; }
const points_config *till_points_config(const till *t) { return &t->points_cfg; }
const char *till_cashier(const till *t) { return t->cashier; }
bool till_last_cert_lapsed(const till *t) { return t->last_cert_lapsed; }
fen_t till_scale_tolerance(const till *t) { return t->scale_tolerance_fen; }
const scale_layout_set *till_scale_layouts(const till *t) { return &t->layouts; }
void till_set_now(till *t, int64_t at_utc) { t->at_utc = at_utc; }

size_t till_rules(const till *t, const promo_rule **out)
{
    *out = t->rules;
    return t->n_rules;
}

void till_clear_tenders(till *t, bool keep_points)
{
    fen_t pts = keep_points ? till_points_paid(t) : 0;
    basket_clear_tenders(&t->cart);
    if (pts > 0) {
        char keep[sizeof t->message];
        snprintf(keep, sizeof keep, "%s", t->message);
        (void)till_tender(t, TENDER_POINTS, pts);
        snprintf(t->message, sizeof t->message, "%s", keep);
    }
}

till_err till_say(till *t, till_err err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(t->message, sizeof t->message, fmt, ap);
    va_end(ap);
    return err;
}

/* Append to the message (notes after the main text). */
void till_say_more(till *t, const char *fmt, ...)
{
    size_t n = strlen(t->message);
    if (n + 1 >= sizeof t->message)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(t->message + n, sizeof t->message - n, fmt, ap);
    va_end(ap);
}

till_err till_basket_refused(till *t, basket_err err)
{
    return till_say(t, TILL_ERR_BASKET, "%s", i18n_basket_error(err));
}

till_err till_store_failed(till *t, store_err err)
{
    return till_say(t, TILL_ERR_STORE, "%s: %s", i18n_store_error(err), store_last_error(t->db));
}

int64_t till_now(const till *t)
{
    return t->at_utc ? t->at_utc : (int64_t)time(NULL);
}

void till_business_day(const till *t, char out[11])
{
    bizday_format_day(till_now(t), t->config.tz_offset_min, out);
}
till_err till_search(till *t, const char *text, product *out, size_t cap, size_t *n_out)
{
    *n_out = 0;
    store_err serr = search_products(t->db, text, out, cap, n_out);
    if (serr)
        return till_store_failed(t, serr);
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
        return till_basket_refused(t, err);
    till_say(t, TILL_OK, "%s ×%lld", t->cart.lines[line].item.name, (long long)qty);
    return till_priced_add(t, TILL_OK);
}

till_err till_void(till *t, size_t line)
{
    if (line >= t->cart.n_lines)
        return till_basket_refused(t, BASKET_ERR_NO_LINE);
    char name[PRODUCT_NAME_CAP];
    snprintf(name, sizeof name, "%s", t->cart.lines[line].item.name);
    basket_err err = basket_void_line(&t->cart, line);
    if (err)
        return till_basket_refused(t, err);
    till_say(t, TILL_OK, "%s: %s", i18n_text(I18N_VOIDED), name);
    return till_priced_add(t, TILL_OK);
}

till_err till_tender(till *t, tender_kind kind, fen_t amount)
{
    /* Points are money only within the cap and the member's balance: one path checks that. */
    if (kind == TENDER_POINTS)
        return till_pay_points(t, amount);
    basket_err err = basket_add_tender(&t->cart, kind, amount, NULL);
    if (err)
        return till_basket_refused(t, err);
    return TILL_OK;
}


const char *till_strerror(till_err err)
{
    switch (err) {
    case TILL_OK: return "ok";
    case TILL_ERR_CODE: return "malformed code";
    case TILL_ERR_UNKNOWN: return "not in the catalog";
    case TILL_ERR_NOT_ITEM: return "a payment code where an item was expected";
    case TILL_ERR_BASKET: return "basket refused";
    case TILL_ERR_PAYMENT: return "not payable";
    case TILL_ERR_STORE: return "database error";
    case TILL_ERR_LABEL: return "scale label refused";
    case TILL_ERR_WEIGHT: return "weight refused";
    case TILL_ERR_NOT_PAYMENT: return "not a payment code";
    case TILL_ERR_MEMBER: return "member refused";
    case TILL_ERR_POINTS: return "points tender refused";
    case TILL_ERR_PROMO: return "promotion rules unavailable";
    case TILL_ERR_BUSY: return "a commit is in flight";
    case TILL_ERR_UUID_TAKEN: return "sale id malformed or taken";
    case TILL_ERR_ALREADY_SAVED: return "the failed sale had been saved";
    }
    return "unknown till error";
}
