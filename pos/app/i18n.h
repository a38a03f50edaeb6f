/* i18n: user-visible text in Chinese (default) or English.  JSON output never goes through
 * here: its keys and machine values are fixed. */
#ifndef FUPIN_APP_I18N_H
#define FUPIN_APP_I18N_H

#include <stdbool.h>

#include "db/store.h"
#include "pos/core/barcode.h"
#include "pos/core/basket.h"
#include "pos/core/scale_label.h"

typedef enum {
    I18N_NOT_AN_ITEM,
    I18N_UNKNOWN_PRODUCT,
    I18N_NEEDS_WEIGHT,
    I18N_VOIDED,
    I18N_DUE,
    I18N_SHORT_BY,
    I18N_SAVED,
    I18N_TOTAL,
    I18N_CHANGE,
    I18N_ROUNDING,
    I18N_PAYCODE_AS_ITEM,
    I18N_LABEL_MISMATCH,
    I18N_CERT_LAPSED,
    I18N_LABEL_QTY,
    I18N_LABEL_NOT_WEIGHED,
    I18N_LABEL_ZERO,
    I18N_WEIGHT_MOTION,
    I18N_WEIGHT_NET_ZERO,
    I18N_WEIGHT_BELOW_MIN,
    I18N_WEIGHT_ABOVE_MAX,
    I18N_NOT_PAYCODE,
    I18N_LABEL_AS_PAYMENT,
    I18N_PRODUCT_AS_PAYMENT,
    I18N_SIMULATED_PAYMENT,
    I18N_NOTHING_LEFT_TO_PAY,
    I18N_TARE,
    I18N_SHOULD_BE,
    I18N_TOLERANCE,
    I18N_LABEL,
    I18N_TEXT_COUNT
} i18n_key;

/* "zh" or "en"; false (and unchanged) for anything else. */
bool i18n_set_lang(const char *lang);
bool i18n_is_en(void);
/* A text in the user's language, the pair side by side where it is used: T("合计", "Total").
 * (The screen's labels in ui/ use ui/i18n.h's L, over the screen's own flag.) */
#define T(zh, en) (i18n_is_en() ? (en) : (zh))
const char *i18n_text(i18n_key key);
const char *i18n_barcode_error(barcode_err err);
const char *i18n_basket_error(basket_err err);
const char *i18n_store_error(store_err err);
const char *i18n_scale_error(scale_err err);
/* 现金 / 微信 / 支付宝 / 银联 / 积分 (the JSON name is tender_kind_name) */
const char *i18n_tender_name(tender_kind kind);

#endif
