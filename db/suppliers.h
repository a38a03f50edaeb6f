/* suppliers: who the goods come from -- cooperatives, firms and registered poor households
 * (建档立卡户).  The county's poverty-relief figures are counted per supplier (db/report.h). */
#ifndef FUPIN_DB_SUPPLIERS_H
#define FUPIN_DB_SUPPLIERS_H

#include "db/store.h"
#include "pos/core/product.h"

typedef struct {
    char id[SUPPLIER_ID_CAP];
    char name[128];
    char kind[16];             /* "cooperative", "firm", "household" */
    char household_id[32];     /* 建档立卡户 id, households only */
    char village[64];
    char township[64];
    char contact[64];
} supplier;

store_err suppliers_upsert(store *s, const supplier *sup);
/* Look a supplier up by id; STORE_ERR_NOT_FOUND if absent. */
store_err suppliers_find(store *s, const char *id, supplier *out);

#endif
