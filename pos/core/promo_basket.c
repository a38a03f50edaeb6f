/* promo_basket: the till's adapter between a basket and the rules engine (promo.h).  Apart from
 * promo.c because the engine prices plain promo_lines and knows nothing of baskets or sale
 * documents; this file copies a basket into lines, prices them, and writes the discounts and
 * the applied rules and gifts back. */
#include "pos/core/promo_basket.h"

#include <stdio.h>
#include <string.h>

#define COPY(dst, src) snprintf((dst), sizeof(dst), "%s", (src))

promo_err promo_apply_to_basket(basket *b, const promo_line_extra *extra,
                                const char *business_day, const promo_rule *rules,
                                size_t n_rules, const promo_context *ctx, promo_result *out,
                                sale_doc *doc)
{
    static _Thread_local promo_line lines[PROMO_MAX_LINES];
    if (b->n_lines > PROMO_MAX_LINES)
        return PROMO_ERR_TOO_MANY;
    for (size_t i = 0; i < b->n_lines; i++) {
        const basket_line *bl = &b->lines[i];
        promo_line *l = &lines[i];
        memset(l, 0, sizeof *l);
        COPY(l->sku, bl->item.sku);
        COPY(l->supplier_id, bl->item.supplier_id);
        if (extra && extra[i].category)
            COPY(l->category, extra[i].category);
        if (extra)
            l->poverty_relief = extra[i].poverty_relief;
        else
            l->poverty_relief = business_day ? product_poverty_relief_on(&bl->item, business_day)
                                             : bl->item.poverty_relief;
        l->by_weight = bl->item.by_weight;
        l->qty = bl->qty;
        l->grams = bl->grams;
        l->unit_price_fen = bl->unit_price_fen;
        l->amount_fen = bl->amount_fen;
    }
    promo_err err = promo_price(lines, b->n_lines, rules, n_rules, ctx, out);
    if (err != PROMO_OK)
        return err;
    /* One slot of applied stays free for the 抹零 line sale_from_basket appends. */
    if (doc && (out->n_applied > SALE_MAX_APPLIED - 1 || out->n_gifts > SALE_MAX_GIFTS))
        return PROMO_ERR_CAPACITY;
    for (size_t i = 0; i < b->n_lines; i++)
        b->lines[i].discount_fen = out->discount_fen[i];
    if (doc) {
        doc->n_applied = 0;
        for (size_t i = 0; i < out->n_applied; i++) {
            sale_applied *a = &doc->applied[doc->n_applied++];
            memset(a, 0, sizeof *a);
            COPY(a->rule, out->applied[i].rule);
            COPY(a->label, out->applied[i].label);
            a->amount_fen = out->applied[i].amount_fen;
        }
        doc->n_gifts = 0;
        for (size_t i = 0; i < out->n_gifts; i++) {
            sale_gift *g = &doc->gifts[doc->n_gifts++];
            memset(g, 0, sizeof *g);
            COPY(g->sku, out->gifts[i].sku);
            g->qty = out->gifts[i].qty;
            /* The cost travels with the gift to the stored sale and its stock move. */
            g->cost_fen = out->gifts[i].cost_fen;
        }
    }
    return PROMO_OK;
}
