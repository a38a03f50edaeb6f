/* settings: the key/value settings table and the till configuration read from it.
 *
 * A feature module over the base (db/store.h): every other module that needs the till's
 * identity or zone (sales, refunds, points expiry) reads it here. */
#ifndef FUPIN_DB_SETTINGS_H
#define FUPIN_DB_SETTINGS_H

#include <stddef.h>

#include "db/store.h"
#include "pos/core/money.h"
#include "pos/core/sale.h"

/* Read one setting; STORE_ERR_NOT_FOUND when absent, STORE_ERR_INVALID when it does not fit. */
store_err settings_get(store *s, const char *key, char *buf, size_t cap);
store_err settings_set(store *s, const char *key, const char *value);

typedef struct {
    char store_code[STORE_CODE_CAP];   /* "YR01" */
    char store_name[128];              /* "永仁县扶贫超市" */
    int till_no;                       /* 1 */
    cash_rounding rounding;            /* 抹零 */
    int tz_offset_min;                 /* 480 = Asia/Shanghai */
} till_config;

/* Read (with defaults for missing keys) / write the till configuration settings:
 * store.code, store.name, till.no, cash.rounding, store.tz_offset_min. */
store_err settings_get_config(store *s, till_config *out);
store_err settings_set_config(store *s, const till_config *cfg);

#endif
