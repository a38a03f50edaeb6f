/* fuzz_scale_label: a label scale's barcode against a layout set.  Input: an optional first line
 * with a layout spec (as `config set scale.layouts` takes it), then the scanned digits; without
 * a newline the default layouts are used.  Properties: a decoded label re-encodes to the same
 * digits (decode and encode agree on every field, Q and K), and its PLU ends in its array. */
#include "tests/fuzz/fuzz_target.h"

#include "pos/core/scale_label.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096)
        return 0;
    char *s = fuzz_cstr(data, size);
    scale_layout_set set;
    const char *code = s;
    char *nl = strchr(s, '\n');
    if (nl) {
        *nl = '\0';
        char err[160];
        scale_err e = scale_layouts_parse(s, &set, err, sizeof err);
        FUZZ_TERMINATED(err);
        if (e != SCALE_OK) {
            free(s);
            return 0;
        }
        FUZZ_CHECK(set.n <= SCALE_LAYOUT_MAX); /* 0: a store without label scales */
        code = nl + 1;
    } else {
        scale_layouts_default(&set);
    }
    scale_label l;
    size_t len = strlen(code);
    if (scale_label_decode(&set, code, len, &l) == SCALE_OK) {
        FUZZ_TERMINATED(l.plu);
        FUZZ_CHECK(l.layout_index < set.n);
        FUZZ_CHECK(l.price_fen >= 0 && l.grams >= 0);
        char again[64];
        FUZZ_CHECK(scale_label_encode(&set, l.layout_index, l.plu, l.price_fen, l.grams, again,
                                      sizeof again));
        FUZZ_CHECK(strcmp(again, code) == 0);
    }
    free(s);
    return 0;
}
