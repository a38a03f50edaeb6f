/* paycode: see paycode.h.
 *
 * The rules are the published shapes of the three providers' dynamic payment codes (付款码):
 * a length and a leading two-digit range.  Nothing else identifies them (no check digit), which
 * is exactly why they collide with scale labels and why the caller, not this module, decides
 * by screen mode which hooks run. */
#include "pos/core/paycode.h"

#include <stdio.h>

static bool all_digits(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

paycode_provider paycode_detect(const char *digits, size_t len)
{
    if (!digits || len < 2 || !all_digits(digits, len))
        return PAYCODE_NONE;
    int head = (digits[0] - '0') * 10 + (digits[1] - '0');
    if (len == 18 && head >= 10 && head <= 15)
        return PAYCODE_WECHAT;
    if (len >= 16 && len <= 24 && head >= 25 && head <= 30)
        return PAYCODE_ALIPAY;
    if (len == 19 && head == 62)
        return PAYCODE_UNIONPAY;
    return PAYCODE_NONE;
}

const char *paycode_provider_name(paycode_provider p)
{
    /* These names are the tender kind names too ("wechat" …), so they go into JSON as is. */
    switch (p) {
    case PAYCODE_NONE: return "none";
    case PAYCODE_WECHAT: return "wechat";
    case PAYCODE_ALIPAY: return "alipay";
    case PAYCODE_UNIONPAY: return "unionpay";
    }
    return "none";
}

tender_kind paycode_tender_kind(paycode_provider p)
{
    switch (p) {
    case PAYCODE_WECHAT: return TENDER_WECHAT;
    case PAYCODE_ALIPAY: return TENDER_ALIPAY;
    case PAYCODE_UNIONPAY: return TENDER_UNIONPAY;
    case PAYCODE_NONE: break;
    }
    /* No provider has no tender.  TENDER_KIND_COUNT is not a valid kind, so a caller that
     * forgets to check gets BASKET_ERR_TENDER from the basket instead of a silent cash tender. */
    return TENDER_KIND_COUNT;
}

bool paycode_classifier(void *ctx, const char *code, size_t len, code_info *out)
{
    (void)ctx;
    paycode_provider p = paycode_detect(code, len);
    if (p == PAYCODE_NONE)
        return false;
    out->kind = CODE_PAYMENT;
    snprintf(out->payment_provider, sizeof out->payment_provider, "%s",
             paycode_provider_name(p));
    return true;
}
