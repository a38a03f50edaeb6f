/* fuzz_config: values `config set KEY VALUE` takes from the command line and the till reads
 * back from settings: the first byte picks the parser, the rest is the value.
 *   scale.layouts  -> scale_layouts_parse (then every layout encodes and decodes a label)
 *   cash.rounding  -> cash_rounding_parse
 *   points.expiry  -> points_expiry_parse
 * (the integer keys go through strtol with range checks in cmd_config.c's int_in, static
 * there.)  Properties: accepted layouts are usable -- a label encoded with one decodes with
 * the set to the same fields; refusals name the bad pattern in terminated text. */
#include "tests/fuzz/fuzz_target.h"

#include <stdbool.h>

#include "db/points.h"
#include "pos/core/basket.h"
#include "pos/core/scale_label.h"

/* Does a layout before i match code by length and literal digits? */
static bool shadowed(const scale_layout_set *set, size_t i, const char *code)
{
    size_t len = strlen(code);
    for (size_t j = 0; j < i; j++) {
        const char *p = set->layouts[j].pattern;
        if (strlen(p) != len)
            continue;
        bool match = true;
        for (size_t k = 0; k < len && match; k++)
            match = !(p[k] >= '0' && p[k] <= '9') || p[k] == code[k];
        if (match)
            return true;
    }
    return false;
}

static void check_layouts(const char *v)
{
    scale_layout_set set;
    char err[160];
    if (scale_layouts_parse(v, &set, err, sizeof err) != SCALE_OK) {
        FUZZ_TERMINATED(err);
        return;
    }
    FUZZ_CHECK(set.n <= SCALE_LAYOUT_MAX); /* 0: a store without label scales */
    for (size_t i = 0; i < set.n; i++) {
        FUZZ_TERMINATED(set.layouts[i].pattern);
        char code[64];
        if (!scale_label_encode(&set, i, "7", 1234, 567, code, sizeof code))
            continue;
        scale_label l;
        scale_err e = scale_label_decode(&set, code, strlen(code), &l);
        /* An earlier layout of the same length whose literal digits match claims the code
         * first, even when its check digit then fails: the documented first-match rule
         * (test_first_layout_decides), so that is not a failure of layout i. */
        if (e != SCALE_OK && shadowed(&set, i, code))
            continue;
        if (e != SCALE_OK)
            fprintf(stderr, "layouts \"%s\": layout %zu encodes %s, decode says %s\n", v, i,
                    code, scale_strerror(e));
        FUZZ_CHECK(e == SCALE_OK);
        if (l.layout_index == i) {
            FUZZ_CHECK(strcmp(l.plu, "7") == 0);
            FUZZ_CHECK(!l.has_price || l.price_fen == 1234);
            FUZZ_CHECK(!l.has_weight || l.grams == 567);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 1024)
        return 0;
    char *v = fuzz_cstr(data + 1, size - 1);
    switch (data[0] % 3) {
    case 0:
        check_layouts(v);
        break;
    case 1: {
        cash_rounding r;
        (void)cash_rounding_parse(v, &r);
        break;
    }
    default: {
        int months = -1;
        if (points_expiry_parse(v, &months))
            FUZZ_CHECK(months >= 0 && months <= 120);
        break;
    }
    }
    free(v);
    return 0;
}
