/* sale_fixture: build real sale documents for the db tests through pos/core (basket_* and
 * sale_from_basket), the same path the till uses.  Deterministic: all randomness comes from a
 * caller-owned splitmix64 state. */
#ifndef FUPIN_TESTS_DB_SALE_FIXTURE_H
#define FUPIN_TESTS_DB_SALE_FIXTURE_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pos/core/basket.h"
#include "pos/core/sale.h"

static inline uint64_t fx_rand(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static inline void fx_uuid(uint64_t *rng, char out[SALE_UUID_CAP])
{
    uint8_t b[16];
    for (int i = 0; i < 16; i += 8) {
        uint64_t r = fx_rand(rng);
        memcpy(b + i, &r, 8);
    }
    sale_format_uuid_v4(b, out);
}

/* A catalog product; i selects a distinct sku/name/price. */
static inline product fx_product(int i, bool by_weight)
{
    product p;
    memset(&p, 0, sizeof p);
    snprintf(p.sku, sizeof p.sku, "T%04d", i);
    snprintf(p.name, sizeof p.name, "测试商品%d 永仁软籽石榴礼盒 核桃 花椒 蜂蜜 红糖", i);
    snprintf(p.unit, sizeof p.unit, "%s", by_weight ? "kg" : "袋");
    p.price_fen = 100 + (i * 37) % 5000;
    p.by_weight = by_weight;
    p.poverty_relief = i % 2 == 0;
    p.active = true;
    if (by_weight)
        snprintf(p.plu, sizeof p.plu, "%05d", 10000 + i);
    snprintf(p.supplier_id, sizeof p.supplier_id, "SUP%03d", 1 + i % 3);
    return p;
}

/* Fill *doc with a payable sale of n_lines lines (n_lines distinct products), paid in cash
 * with 抹零 (drop fen) and some change.  Returns false if core refuses (test bug). */
static inline bool fx_make_sale(sale_doc *doc, size_t n_lines, int64_t created_utc,
                                uint64_t *rng)
{
    basket *b = calloc(1, sizeof *b);
    bool ok = false;
    if (!b)
        return false;
    basket_init(b);
    for (size_t i = 0; i < n_lines; i++) {
        int id = (int)(fx_rand(rng) % 50) * BASKET_MAX_LINES + (int)i;  /* distinct per line */
        bool weighed = fx_rand(rng) % 4 == 0;
        product p = fx_product(id, weighed);
        basket_err be = weighed ? basket_add_weighed(b, &p, 50 + (int64_t)(fx_rand(rng) % 3000), NULL)
                                : basket_add_product(b, &p, 1 + (int64_t)(fx_rand(rng) % 5), NULL);
        if (be != BASKET_OK)
            goto out;
    }
    basket_settlement st;
    basket_settle(b, ROUNDING_DROP_FEN, &st);
    if (basket_add_tender(b, TENDER_CASH, st.due_fen + (fen_t)(fx_rand(rng) % 1000), NULL) !=
        BASKET_OK)
        goto out;
    memset(doc, 0, sizeof *doc);
    if (sale_from_basket(b, ROUNDING_DROP_FEN, doc) != SALE_OK)
        goto out;
    fx_uuid(rng, doc->uuid);
    snprintf(doc->store_code, sizeof doc->store_code, "YR01");
    doc->till_no = 1;
    snprintf(doc->cashier, sizeof doc->cashier, "王芳");
    doc->created_utc = created_utc;
    doc->points_earned = doc->due_fen / 100;
    ok = true;
out:
    free(b);
    return ok;
}

#endif
