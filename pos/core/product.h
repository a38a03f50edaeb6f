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
    /* weighed goods (#3): tare subtracted from the gross weight, accepted net weight range */
    int64_t tare_g;
    int64_t min_g, max_g;             /* 0 = no bound (the basket's own 1 g .. 30 kg apply) */
    /* 扶贫产品 certificate: poverty_relief above is the catalog flag; whether a sale counts as
     * poverty-relief also needs the certificate valid on the business day */
    char cert_no[32];
    char cert_valid_to[11];           /* YYYY-MM-DD, empty = no end date */
} product;

/* Does a sale of p on business day `day` (YYYY-MM-DD) count as poverty-relief?  True when the
 * product is flagged and its certificate has not lapsed (valid through cert_valid_to). */
bool product_poverty_relief_on(const product *p, const char *day);

#endif
