/* till: the one sale path of the screens and the CLI (see till.h). */
#include "pos/app/till.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include "pos/app/i18n.h"

store_err till_open(till *t, const char *db_path, bool create, char *msg, size_t cap)
{
    memset(t, 0, sizeof *t);
    basket_init(&t->cart);
    snprintf(t->cashier, sizeof t->cashier, "%s", "01");
    store_open_opts opts = { .create = create };
    store_err err = store_open(db_path, &opts, &t->db, msg, cap);
    if (err)
        return err;
    err = store_get_config(t->db, &t->config);
    if (err) {
        snprintf(msg, cap, "%s", store_last_error(t->db));
        store_close(t->db);
        t->db = NULL;
    }
    return err;
}

void till_close(till *t)
{
    if (t->db)
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

static till_err basket_refused(till *t, basket_err err)
{
    return say(t, TILL_ERR_BASKET, "%s", i18n_basket_error(err));
}

/* The classifier hooks of the item-entry screen: none yet.  The scale-label layouts (#3) and a
 * payment-code recogniser that refuses payment codes as items plug in here. */
static const code_classifier *const item_hooks = NULL;
static const size_t n_item_hooks = 0;

till_err till_scan(till *t, const char *code, int64_t qty, size_t *line_out, code_info *info)
{
    code_info local;
    if (!info)
        info = &local;
    code_kind kind = barcode_classify(code, item_hooks, n_item_hooks, info);
    product p;
    if (kind == CODE_REJECTED) {
        /* A cashier typing a weighed good's PLU gets told to weigh it, not "bad barcode". */
        if (info->err == BARCODE_ERR_LENGTH &&
            store_find_product_by_plu(t->db, info->code, &p) == STORE_OK)
            return say(t, TILL_ERR_BASKET, "%s: %s", i18n_text(I18N_NEEDS_WEIGHT), p.name);
        return say(t, TILL_ERR_CODE, "%s: %s", i18n_barcode_error(info->err), info->code);
    }
    if (kind != CODE_PRODUCT)
        return say(t, TILL_ERR_NOT_ITEM, "%s: %s", i18n_text(I18N_NOT_AN_ITEM), info->code);
    store_err serr = store_find_product_by_gtin(t->db, info->gtin13, &p);
    if (serr == STORE_ERR_NOT_FOUND)
        return say(t, TILL_ERR_UNKNOWN, "%s: %s", i18n_text(I18N_UNKNOWN_PRODUCT), info->code);
    if (serr)
        return say(t, TILL_ERR_STORE, "%s: %s", i18n_store_error(serr), store_last_error(t->db));
    if (p.by_weight)
        return say(t, TILL_ERR_BASKET, "%s: %s", i18n_text(I18N_NEEDS_WEIGHT), p.name);
    size_t line;
    basket_err berr = basket_add_product(&t->cart, &p, qty, &line);
    if (berr)
        return basket_refused(t, berr);
    if (line_out)
        *line_out = line;
    char price[MONEY_FMT_CAP];
    money_format_yuan(p.price_fen, price, sizeof price);
    return say(t, TILL_OK, "%s  %s", p.name, price);
}

till_err till_add_weighed(till *t, const char *plu_or_code, int64_t grams, size_t *line_out)
{
    product p;
    store_err serr = store_find_product_by_plu(t->db, plu_or_code, &p);
    if (serr == STORE_ERR_NOT_FOUND) {
        char gtin[14];
        if (barcode_to_gtin13(plu_or_code, gtin, NULL) == BARCODE_OK)
            serr = store_find_product_by_gtin(t->db, gtin, &p);
    }
    if (serr == STORE_ERR_NOT_FOUND)
        return say(t, TILL_ERR_UNKNOWN, "%s: %s", i18n_text(I18N_UNKNOWN_PRODUCT), plu_or_code);
    if (serr)
        return say(t, TILL_ERR_STORE, "%s: %s", i18n_store_error(serr), store_last_error(t->db));
    size_t line;
    basket_err berr = basket_add_weighed(&t->cart, &p, grams, &line);
    if (berr)
        return basket_refused(t, berr);
    if (line_out)
        *line_out = line;
    char amount[MONEY_FMT_CAP];
    money_format_yuan(t->cart.lines[line].amount_fen, amount, sizeof amount);
    return say(t, TILL_OK, "%s  %lldg  %s", p.name, (long long)grams, amount);
}

till_err till_set_qty(till *t, size_t line, int64_t qty)
{
    basket_err err = basket_set_qty(&t->cart, line, qty);
    if (err)
        return basket_refused(t, err);
    return say(t, TILL_OK, "%s ×%lld", t->cart.lines[line].item.name, (long long)qty);
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
    return say(t, TILL_OK, "%s: %s", i18n_text(I18N_VOIDED), name);
}

till_err till_tender(till *t, tender_kind kind, fen_t amount)
{
    basket_err err = basket_add_tender(&t->cart, kind, amount, NULL);
    if (err)
        return basket_refused(t, err);
    return TILL_OK;
}

bool till_os_random(uint8_t *buf, size_t n)
{
    size_t got = 0;
    while (got < n) {
        ssize_t r = getrandom(buf + got, n - got, 0);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        got += (size_t)r;
    }
    return true;
}

till_err till_prepare_sale(till *t, int64_t now_utc, sale_doc *doc)
{
    memset(doc, 0, sizeof *doc);
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
    if (sale_from_basket(&t->cart, t->config.rounding, doc) != SALE_OK)
        return say(t, TILL_ERR_PAYMENT, "%s", i18n_basket_error(BASKET_ERR_INSUFFICIENT));
    uint8_t rnd[16];
    if (!till_os_random(rnd, sizeof rnd))
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
    store_err err = store_commit_sale(db, doc, cart ? cart->voids : NULL, cart ? cart->n_voids : 0,
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
}
