/* i18n: see i18n.h.  A static table per language; the language is process-wide because a till
 * runs in one language at a time. */
#include "pos/app/i18n.h"

#include <string.h>

static bool lang_en;

bool i18n_set_lang(const char *lang)
{
    if (!lang)
        return false;
    if (strcmp(lang, "zh") == 0 || strcmp(lang, "zh_CN") == 0)
        lang_en = false;
    else if (strcmp(lang, "en") == 0)
        lang_en = true;
    else
        return false;
    return true;
}

bool i18n_is_en(void)
{
    return lang_en;
}

static const char *const texts[I18N_TEXT_COUNT][2] = {
    [I18N_NOT_AN_ITEM] = { "这不是商品条码", "not an item code" },
    [I18N_UNKNOWN_PRODUCT] = { "商品不存在", "unknown product" },
    [I18N_NEEDS_WEIGHT] = { "称重商品，请称重", "weighed product: put it on the scale" },
    [I18N_VOIDED] = { "已删除", "voided" },
    [I18N_DUE] = { "应收", "due" },
    [I18N_SHORT_BY] = { "还差", "short by" },
    [I18N_SAVED] = { "已保存", "saved" },
    [I18N_TOTAL] = { "合计", "total" },
    [I18N_CHANGE] = { "找零", "change" },
    [I18N_ROUNDING] = { "抹零", "rounding" },
    [I18N_PAYCODE_AS_ITEM] = { "这是付款码，请在收款时扫描", "this is a payment code: scan it when paying" },
    [I18N_LABEL_MISMATCH] = { "标签金额与价格不符", "label amount does not match the price" },
    [I18N_CERT_LAPSED] = { "扶贫认证已过期，不计入扶贫销售",
                           "poverty-relief certificate lapsed: not counted as poverty-relief" },
    [I18N_LABEL_QTY] = { "称重标签一次只能扫一件", "a scale label is one item: no quantity" },
    [I18N_LABEL_NOT_WEIGHED] = { "标签上的PLU不是称重商品", "the label's PLU is not a weighed product" },
    [I18N_LABEL_ZERO] = { "标签上的重量或金额为0", "the label's weight or amount is zero" },
    [I18N_WEIGHT_MOTION] = { "秤还没稳定，请等读数稳定后再称", "the scale is not stable: wait for a steady reading" },
    [I18N_WEIGHT_NET_ZERO] = { "去皮后重量为0，请放上商品", "nothing left after the tare: put the goods on" },
    [I18N_WEIGHT_BELOW_MIN] = { "低于该商品的最小重量", "below the product's minimum weight" },
    [I18N_WEIGHT_ABOVE_MAX] = { "超过该商品的最大重量", "above the product's maximum weight" },
    [I18N_NOT_PAYCODE] = { "这不是付款码", "not a payment code" },
    [I18N_LABEL_AS_PAYMENT] = { "称重标签不能用于付款（按 Esc 返回录入商品）",
                                "a scale label is not a payment (Esc goes back to items)" },
    [I18N_PRODUCT_AS_PAYMENT] = { "请先完成收款（或按 Esc 取消收款）",
                                  "finish the payment first (Esc cancels it)" },
    [I18N_SIMULATED_PAYMENT] = { "模拟支付：未接入支付网关", "simulated: no payment gateway" },
    [I18N_NOTHING_LEFT_TO_PAY] = { "已经付清，无需再扫付款码", "nothing left to pay" },
    [I18N_TARE] = { "皮重", "tare" },
    [I18N_SHOULD_BE] = { "应为", "should be" },
    [I18N_TOLERANCE] = { "允差", "tolerance" },
    [I18N_LABEL] = { "标签", "label" },
};

const char *i18n_text(i18n_key key)
{
    return (unsigned)key < I18N_TEXT_COUNT ? texts[key][lang_en] : "?";
}

const char *i18n_barcode_error(barcode_err err)
{
    if (lang_en)
        return barcode_strerror(err);
    switch (err) {
    case BARCODE_OK: return "正常";
    case BARCODE_ERR_EMPTY: return "没有扫到条码";
    case BARCODE_ERR_CHARS: return "条码含非数字字符";
    case BARCODE_ERR_LENGTH: return "条码长度不对（应为8、12或13位）";
    case BARCODE_ERR_CHECK_DIGIT: return "条码校验位错误";
    case BARCODE_ERR_TOO_LONG: return "条码过长（扫码枪数据异常）";
    }
    return "条码无效";
}

const char *i18n_basket_error(basket_err err)
{
    if (lang_en)
        return basket_strerror(err);
    switch (err) {
    case BASKET_OK: return "正常";
    case BASKET_ERR_FULL: return "购物篮已满（最多200行），请先结账";
    case BASKET_ERR_QTY: return "数量必须在1到999之间";
    case BASKET_ERR_WEIGHT: return "重量必须在1克到30公斤之间";
    case BASKET_ERR_BY_WEIGHT: return "称重商品要称重，计件商品要数量";
    case BASKET_ERR_NO_LINE: return "没有选中的商品行";
    case BASKET_ERR_INACTIVE: return "该商品已停售";
    case BASKET_ERR_PRICE: return "该商品没有有效价格";
    case BASKET_ERR_OVERFLOW: return "金额过大，超出单笔上限";
    case BASKET_ERR_EMPTY: return "购物篮是空的";
    case BASKET_ERR_TENDER: return "收款金额无效";
    case BASKET_ERR_INSUFFICIENT: return "实收金额不足";
    case BASKET_ERR_CHANGE_NON_CASH: return "只能用现金找零";
    }
    return "操作被拒绝";
}

const char *i18n_store_error(store_err err)
{
    if (lang_en)
        return store_strerror(err);
    switch (err) {
    case STORE_OK: return "正常";
    case STORE_ERR_IO: return "数据库读写失败";
    case STORE_ERR_BUSY: return "数据库被占用，请稍后重试";
    case STORE_ERR_READONLY: return "数据库只读，无法保存";
    case STORE_ERR_FULL: return "磁盘已满，无法保存";
    case STORE_ERR_NEWER_SCHEMA: return "数据库版本比本程序新，请升级程序";
    case STORE_ERR_CORRUPT: return "数据库已损坏";
    case STORE_ERR_NOT_FOUND: return "没有找到";
    case STORE_ERR_INVALID: return "数据不合规则";
    case STORE_ERR_CONSTRAINT: return "数据重复或冲突";
    case STORE_ERR_INTERNAL: return "内部错误";
    }
    return "数据库错误";
}

const char *i18n_scale_error(scale_err err)
{
    if (lang_en)
        return scale_strerror(err);
    switch (err) {
    case SCALE_OK: return "正常";
    case SCALE_ERR_NO_LAYOUT: return "不是本店的称重标签格式";
    case SCALE_ERR_CHECK_DIGIT: return "称重标签校验位错误";
    case SCALE_ERR_PRICE_CHECK: return "称重标签价格校验位错误";
    case SCALE_ERR_PATTERN: return "称重标签格式配置错误";
    }
    return "称重标签无效";
}

const char *i18n_tender_name(tender_kind kind)
{
    static const char *const zh[TENDER_KIND_COUNT] = {
        [TENDER_CASH] = "现金", [TENDER_WECHAT] = "微信支付", [TENDER_ALIPAY] = "支付宝",
        [TENDER_UNIONPAY] = "银联", [TENDER_POINTS] = "积分",
    };
    if ((unsigned)kind >= TENDER_KIND_COUNT)
        return "?";
    return lang_en ? tender_kind_name(kind) : zh[kind];
}
