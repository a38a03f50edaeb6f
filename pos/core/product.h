/* product: the catalog record the basket and the sale need (the catalog module of #4 extends
 * the stored record; this is the part a sale line copies). */
#ifndef FUPIN_CORE_PRODUCT_H
#define FUPIN_CORE_PRODUCT_H

#include <stdbool.h>
#include <stdint.h>

#include "pos/core/money.h"

#define PRODUCT_SKU_CAP 32
#define PRODUCT_NAME_CAP 128   /* UTF-8 bytes: ~40 Chinese characters */
#define PRODUCT_UNIT_CAP 16
#define SUPPLIER_ID_CAP 32

typedef struct {
    char sku[PRODUCT_SKU_CAP];
    char name[PRODUCT_NAME_CAP];
    char unit[PRODUCT_UNIT_CAP];      /* 个, 袋, 瓶, kg … */
    char gtin13[14];                  /* the code it was found by, or its main barcode */
    char plu[16];                     /* price look-up number of weighed goods, else empty */
    fen_t price_fen;                  /* per unit, or per kg when by_weight */
    bool by_weight;
    bool poverty_relief;              /* certified 扶贫产品 (and certificate valid, #4) */
    bool active;
    char supplier_id[SUPPLIER_ID_CAP];
} product;

#endif
