/* promo_basket: price a till basket with the rules engine (promo.h) and carry the result into
 * the basket's lines and the sale document. */
#ifndef FUPIN_CORE_PROMO_BASKET_H
#define FUPIN_CORE_PROMO_BASKET_H

#include <stdbool.h>
#include <stddef.h>

#include "pos/core/basket.h"
#include "pos/core/promo.h"
#include "pos/core/sale.h"

/* What the basket line does not carry.  category NULL = none. */
typedef struct {
    const char *category;
    bool poverty_relief;          /* product_poverty_relief_on(&line.item, business_day) */
} promo_line_extra;

/* The till's one call: price basket b, write every line's discount_fen, and when doc is not
 * NULL replace doc->applied and doc->gifts with the result (call it before sale_from_basket,
 * which appends 抹零 to applied).  extra may be NULL: no categories, and poverty relief from
 * the catalog flag checked against business_day ("YYYY-MM-DD"; NULL = flag only). On error
 * nothing is written. */
promo_err promo_apply_to_basket(basket *b, const promo_line_extra *extra,
                                const char *business_day, const promo_rule *rules,
                                size_t n_rules, const promo_context *ctx, promo_result *out,
                                sale_doc *doc);

#endif
