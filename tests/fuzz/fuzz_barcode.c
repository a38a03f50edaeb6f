/* fuzz_barcode: a scanned code (any bytes a scanner or a keyboard wedge can deliver) through
 * barcode_classify with the till's hooks (scale labels, payment codes) and through
 * barcode_to_gtin13.  Properties: every string field ends inside its array; a product code
 * has a valid 13-digit GTIN. */
#include "tests/fuzz/fuzz_target.h"

#include "pos/core/barcode.h"
#include "pos/core/paycode.h"
#include "pos/core/scale_label.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096)
        return 0;
    char *s = fuzz_cstr(data, size);

    char gtin[14];
    barcode_symbology sym;
    if (barcode_to_gtin13(s, gtin, &sym) == BARCODE_OK) {
        FUZZ_CHECK(strlen(gtin) == 13);
        FUZZ_CHECK(barcode_check_digit(gtin, 12) == gtin[12] - '0');
    }

    scale_layout_set set;
    scale_layouts_default(&set);
    const code_classifier item[2] = {{"scale_label", scale_label_classifier, &set},
                                     {"paycode", paycode_classifier, NULL}};
    const code_classifier pay[2] = {{"paycode", paycode_classifier, NULL},
                                    {"scale_label", scale_label_classifier, &set}};
    for (int order = 0; order < 2; order++) {
        code_info info;
        code_kind k = barcode_classify(s, order ? pay : item, 2, &info);
        FUZZ_CHECK(k == info.kind);
        FUZZ_TERMINATED(info.reason);
        FUZZ_TERMINATED(info.code);
        FUZZ_TERMINATED(info.plu);
        FUZZ_TERMINATED(info.payment_provider);
        if (k == CODE_PRODUCT) {
            FUZZ_CHECK(strlen(info.gtin13) == 13);
            FUZZ_CHECK(barcode_check_digit(info.gtin13, 12) == info.gtin13[12] - '0');
        }
        if (k == CODE_SCALE_LABEL)
            FUZZ_CHECK(info.grams >= 0 && info.price_fen >= 0);
    }
    free(s);
    return 0;
}
