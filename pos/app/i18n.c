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
