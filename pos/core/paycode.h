/* paycode: customer payment codes shown on a phone (付款码) and scanned at the till.
 *   WeChat Pay   18 digits, starting 10-15
 *   Alipay       16-24 digits, starting 25-30
 *   UnionPay     19 digits, starting 62
 * They collide with in-store scale labels (e.g. 18-digit labels starting 26), so whether a code
 * is a payment or an item is decided by screen mode: the payment screen uses this hook, the
 * item-entry screen refuses what it claims (and tries scale labels first). */
#ifndef FUPIN_CORE_PAYCODE_H
#define FUPIN_CORE_PAYCODE_H

#include <stdbool.h>
#include <stddef.h>

#include "pos/core/barcode.h"
#include "pos/core/basket.h"

typedef enum { PAYCODE_NONE = 0, PAYCODE_WECHAT, PAYCODE_ALIPAY, PAYCODE_UNIONPAY } paycode_provider;

paycode_provider paycode_detect(const char *digits, size_t len);
const char *paycode_provider_name(paycode_provider p);      /* "wechat", "alipay", "unionpay" */
tender_kind paycode_tender_kind(paycode_provider p);

/* barcode_classify hook (ctx unused): claims payment codes as CODE_PAYMENT with
 * payment_provider set. */
bool paycode_classifier(void *ctx, const char *code, size_t len, code_info *out);

#endif
