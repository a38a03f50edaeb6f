/* basket: see basket.h.  Every mutation validates completely before it touches the struct. */
#include "pos/core/basket.h"

#include <string.h>

const char *basket_strerror(basket_err err)
{
    switch (err) {
    case BASKET_OK: return "ok";
    case BASKET_ERR_FULL: return "the basket is full";
    case BASKET_ERR_QTY: return "quantity must be between 1 and 999";
    case BASKET_ERR_WEIGHT: return "weight must be between 1 g and 30 kg";
    case BASKET_ERR_BY_WEIGHT: return "weighed goods need a weight, counted goods a quantity";
    case BASKET_ERR_NO_LINE: return "no such line";
    case BASKET_ERR_INACTIVE: return "product is not for sale";
    case BASKET_ERR_PRICE: return "product has no valid price";
    case BASKET_ERR_OVERFLOW: return "amount too large for one sale";
    case BASKET_ERR_EMPTY: return "the basket is empty";
    case BASKET_ERR_TENDER: return "invalid tender";
    case BASKET_ERR_INSUFFICIENT: return "amount tendered is less than the amount due";
    case BASKET_ERR_CHANGE_NON_CASH: return "change can only be given from cash";
    }
    return "unknown basket error";
}

static const char *const tender_names[TENDER_KIND_COUNT] = {
    [TENDER_CASH] = "cash", [TENDER_WECHAT] = "wechat", [TENDER_ALIPAY] = "alipay",
    [TENDER_UNIONPAY] = "unionpay", [TENDER_POINTS] = "points",
};

const char *tender_kind_name(tender_kind kind)
{
    return (unsigned)kind < TENDER_KIND_COUNT ? tender_names[kind] : "unknown";
}

bool tender_kind_parse(const char *name, tender_kind *out)
{
    for (int k = 0; k < TENDER_KIND_COUNT; k++)
        if (name && strcmp(name, tender_names[k]) == 0) {
            *out = (tender_kind)k;
            return true;
        }
    return false;
}

const char *cash_rounding_name(cash_rounding mode)
{
    switch (mode) {
    case ROUNDING_NONE: return "none";
    case ROUNDING_DROP_FEN: return "drop_fen";
    case ROUNDING_JIAO: return "jiao";
    }
    return "none";
}

bool cash_rounding_parse(const char *name, cash_rounding *out)
{
    static const cash_rounding modes[] = { ROUNDING_NONE, ROUNDING_DROP_FEN, ROUNDING_JIAO };
    for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++)
        if (name && strcmp(name, cash_rounding_name(modes[i])) == 0) {
            *out = modes[i];
            return true;
        }
    return false;
}

fen_t cash_rounding_adjust(cash_rounding mode, fen_t total)
{
    /* Only positive totals are rounded: a zero or negative amount (a refund) is paid exactly. */
    if (total <= 0)
        return 0;
    fen_t fen = total % 10;
    switch (mode) {
    case ROUNDING_NONE: return 0;
    case ROUNDING_DROP_FEN: return -fen;
    case ROUNDING_JIAO: return fen >= 5 ? 10 - fen : -fen;
    }
    return 0;
}

void basket_init(basket *b)
{
    memset(b, 0, sizeof *b);
}

fen_t basket_total(const basket *b)
{
    /* Each line is bounded by BASKET_MAX_TOTAL_FEN and so is their running sum (checked on every
     * add), so plain addition cannot overflow here. */
    fen_t total = 0;
    for (size_t i = 0; i < b->n_lines; i++)
        total += b->lines[i].amount_fen - b->lines[i].discount_fen;
    return total;
}

int64_t basket_item_count(const basket *b)
{
    int64_t n = 0;
    for (size_t i = 0; i < b->n_lines; i++)
        n += b->lines[i].grams > 0 ? 1 : b->lines[i].qty;
    return n;
}

/* Would the basket total stay within bounds if line `skip` (or none: SIZE_MAX) had amount
 * new_amount instead? */
static bool total_fits(const basket *b, size_t skip, fen_t new_amount)
{
    fen_t total = new_amount;
    for (size_t i = 0; i < b->n_lines; i++)
        if (i != skip)
            total += b->lines[i].amount_fen - b->lines[i].discount_fen;
    return new_amount <= BASKET_MAX_TOTAL_FEN && total <= BASKET_MAX_TOTAL_FEN;
}

static basket_err check_product(const product *p)
{
    if (!p->active)
        return BASKET_ERR_INACTIVE;
    if (!money_price_valid(p->price_fen))
        return BASKET_ERR_PRICE;
    return BASKET_OK;
}

basket_err basket_add_product(basket *b, const product *p, int64_t qty, size_t *line_out)
{
    basket_err err = check_product(p);
    if (err)
        return err;
    if (p->by_weight)
        return BASKET_ERR_BY_WEIGHT;
    if (qty < 1 || qty > BASKET_MAX_QTY)
        return BASKET_ERR_QTY;
    for (size_t i = 0; i < b->n_lines; i++) {
        basket_line *l = &b->lines[i];
        if (l->grams == 0 && strcmp(l->item.sku, p->sku) == 0 &&
            l->unit_price_fen == p->price_fen) {
            err = basket_set_qty(b, i, l->qty + qty);
            if (err == BASKET_OK && line_out)
                *line_out = i;
            return err;
        }
    }
    if (b->n_lines >= BASKET_MAX_LINES)
        return BASKET_ERR_FULL;
    fen_t amount;
    if (!money_mul_qty(p->price_fen, qty, &amount) || !total_fits(b, SIZE_MAX, amount))
        return BASKET_ERR_OVERFLOW;
    basket_line *l = &b->lines[b->n_lines];
    memset(l, 0, sizeof *l);
    l->item = *p;
    l->qty = qty;
    l->unit_price_fen = p->price_fen;
    l->amount_fen = amount;
    if (line_out)
        *line_out = b->n_lines;
    b->n_lines++;
    return BASKET_OK;
}

/* amount < 0: price × grams half-up; else the amount printed on a scale label. */
static basket_err add_weighed(basket *b, const product *p, int64_t grams, fen_t printed,
                              size_t *line_out)
{
    basket_err err = check_product(p);
    if (err)
        return err;
    if (!p->by_weight)
        return BASKET_ERR_BY_WEIGHT;
    if (grams < 1 || grams > BASKET_MAX_GRAMS)
        return BASKET_ERR_WEIGHT;
    if (b->n_lines >= BASKET_MAX_LINES)
        return BASKET_ERR_FULL;
    fen_t amount = printed;
    if (printed < 0 && !money_mul_grams(p->price_fen, grams, &amount))
        return BASKET_ERR_OVERFLOW;
    if (!total_fits(b, SIZE_MAX, amount))
        return BASKET_ERR_OVERFLOW;
    basket_line *l = &b->lines[b->n_lines];
    memset(l, 0, sizeof *l);
    l->item = *p;
    l->qty = 1;
    l->grams = grams;
    l->unit_price_fen = p->price_fen;
    l->amount_fen = amount;
    if (line_out)
        *line_out = b->n_lines;
    b->n_lines++;
    return BASKET_OK;
}

basket_err basket_add_weighed(basket *b, const product *p, int64_t grams, size_t *line_out)
{
    return add_weighed(b, p, grams, -1, line_out);
}

basket_err basket_add_weighed_amount(basket *b, const product *p, int64_t grams, fen_t amount,
                                     size_t *line_out)
{
    if (amount < 0)
        return BASKET_ERR_PRICE;
    return add_weighed(b, p, grams, amount, line_out);
}

basket_err basket_set_qty(basket *b, size_t line, int64_t qty)
{
    if (line >= b->n_lines)
        return BASKET_ERR_NO_LINE;
    basket_line *l = &b->lines[line];
    if (l->grams > 0)
        return BASKET_ERR_BY_WEIGHT;
    if (qty < 1 || qty > BASKET_MAX_QTY)
        return BASKET_ERR_QTY;
    fen_t amount;
    if (!money_mul_qty(l->unit_price_fen, qty, &amount) || !total_fits(b, line, amount))
        return BASKET_ERR_OVERFLOW;
    l->qty = qty;
    l->amount_fen = amount;
    l->discount_fen = 0; /* pricing (#5) recomputes discounts from the new quantity */
    return BASKET_OK;
}

basket_err basket_void_line(basket *b, size_t line)
{
    if (line >= b->n_lines)
        return BASKET_ERR_NO_LINE;
    const basket_line *l = &b->lines[line];
    /* Voids are kept for the audit row (a void after scanning is the classic shrink pattern);
     * beyond BASKET_MAX_VOIDS the oldest record is dropped rather than refusing the void. */
    if (b->n_voids == BASKET_MAX_VOIDS) {
        memmove(&b->voids[0], &b->voids[1], sizeof b->voids[0] * (BASKET_MAX_VOIDS - 1));
        b->n_voids--;
    }
    basket_void *v = &b->voids[b->n_voids++];
    memset(v, 0, sizeof *v);
    memcpy(v->sku, l->item.sku, sizeof v->sku);
    v->qty = l->qty;
    v->grams = l->grams;
    v->amount_fen = l->amount_fen;
    memmove(&b->lines[line], &b->lines[line + 1], sizeof b->lines[0] * (b->n_lines - line - 1));
    b->n_lines--;
    return BASKET_OK;
}

basket_err basket_add_tender(basket *b, tender_kind kind, fen_t amount, const char *ref)
{
    if ((unsigned)kind >= TENDER_KIND_COUNT || amount <= 0 || amount > BASKET_MAX_TOTAL_FEN * 10 ||
        b->n_tenders >= BASKET_MAX_TENDERS)
        return BASKET_ERR_TENDER;
    basket_tender *t = &b->tenders[b->n_tenders++];
    memset(t, 0, sizeof *t);
    t->kind = kind;
    t->amount_fen = amount;
    if (ref) {
        strncpy(t->ref, ref, sizeof t->ref - 1);
    }
    return BASKET_OK;
}

void basket_clear_tenders(basket *b)
{
    b->n_tenders = 0;
    memset(b->tenders, 0, sizeof b->tenders);
}

bool basket_all_cash(const basket *b)
{
    for (size_t i = 0; i < b->n_tenders; i++)
        if (b->tenders[i].kind != TENDER_CASH)
            return false;
    return true;
}

void basket_settle(const basket *b, cash_rounding mode, basket_settlement *out)
{
    memset(out, 0, sizeof *out);
    out->total_fen = basket_total(b);
    out->rounding_fen = basket_all_cash(b) ? cash_rounding_adjust(mode, out->total_fen) : 0;
    out->due_fen = out->total_fen + out->rounding_fen;
    for (size_t i = 0; i < b->n_tenders; i++)
        out->tendered_fen += b->tenders[i].amount_fen;
    if (out->tendered_fen >= out->due_fen)
        out->change_fen = out->tendered_fen - out->due_fen;
    else
        out->remaining_fen = out->due_fen - out->tendered_fen;
}

basket_err basket_check_payable(const basket *b, cash_rounding mode, basket_settlement *out)
{
    basket_settlement local;
    if (!out)
        out = &local;
    basket_settle(b, mode, out);
    if (b->n_lines == 0)
        return BASKET_ERR_EMPTY;
    if (b->n_tenders == 0 || out->remaining_fen > 0)
        return BASKET_ERR_INSUFFICIENT;
    fen_t cash = 0;
    for (size_t i = 0; i < b->n_tenders; i++)
        if (b->tenders[i].kind == TENDER_CASH)
            cash += b->tenders[i].amount_fen;
    /* Change comes out of the drawer: it may not exceed the cash handed over, or an e-payment
     * would be turned into cash. */
    if (out->change_fen > cash)
        return BASKET_ERR_CHANGE_NON_CASH;
    return BASKET_OK;
}
