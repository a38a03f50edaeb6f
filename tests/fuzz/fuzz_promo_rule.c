/* fuzz_promo_rule: a promotion rule as `promo import` and the rules table hand it over: JSON
 * through the reader, then rule_json_decode (pos/core/rule_json, the codec).  The input is one
 * rule object, or an array of them as a campaign file holds.  Properties: the refusal names
 * its reason; an accepted rule encodes canonically (encode(decode(encode(r))) == encode(r)). */
#include "tests/fuzz/fuzz_target.h"

#include "pos/core/json.h"
#include "pos/core/rule_json.h"

static void check_rule(const json_value *obj)
{
    promo_rule *r = calloc(1, sizeof *r), *again = calloc(1, sizeof *again);
    if (!r || !again)
        abort();
    bool active = false;
    char why[256];
    if (!rule_json_decode(obj, r, &active, why, sizeof why)) {
        FUZZ_TERMINATED(why);
        FUZZ_CHECK(why[0] != '\0');
        goto out;
    }
    strbuf a, b;
    strbuf_init(&a);
    strbuf_init(&b);
    json_writer w;
    json_writer_init(&w, &a, false);
    rule_json_encode(r, true, active, &w);
    FUZZ_CHECK(!a.oom);
    json_value *v = json_parse(a.data, a.len, why, sizeof why);
    if (!v)
        fprintf(stderr, "encoded rule does not parse: %s\n%s\n", why, a.data);
    FUZZ_CHECK(v != NULL);
    bool active2 = false;
    bool ok = rule_json_decode(v, again, &active2, why, sizeof why);
    if (!ok)
        fprintf(stderr, "encoded rule refused: %s\n%s\n", why, a.data);
    FUZZ_CHECK(ok);
    FUZZ_CHECK(active2 == active);
    json_writer_init(&w, &b, false);
    rule_json_encode(again, true, active2, &w);
    if (strcmp(a.data, b.data) != 0)
        fprintf(stderr, "not canonical:\n%s\n%s\n", a.data, b.data);
    FUZZ_CHECK(strcmp(a.data, b.data) == 0);
    json_free(v);
    strbuf_free(&a);
    strbuf_free(&b);
out:
    free(r);
    free(again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 65536)
        return 0;
    json_value *doc = json_parse((const char *)data, size, NULL, 0);
    if (!doc)
        return 0;
    if (doc->type == JSON_ARRAY) {
        for (size_t i = 0; i < doc->n_items && i < 64; i++)
            check_rule(&doc->items[i]);
    } else {
        check_rule(doc);
    }
    json_free(doc);
    return 0;
}
