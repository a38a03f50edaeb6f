/* test_rule_json: the promotion-rule JSON codec (pos/core/rule_json) -- every effect kind,
 * schedule part and scope kind round-trips exactly, and what it refuses it refuses naming the
 * rule and the field.  Pure: no store. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pos/core/json.h"
#include "pos/core/promo.h"
#include "pos/core/rule_json.h"
#include "rule_samples.h"

static void encode(const promo_rule *r, strbuf *sb)
{
    json_writer w;
    strbuf_init(sb);
    json_writer_init(&w, sb, false);
    rule_json_encode(r, true, false, &w);
    assert_false(sb->oom);
}

static void test_codec_round_trip(void **state)
{
    (void)state;
    promo_rule rules[8];
    size_t n = sample_rules(rules);
    for (size_t i = 0; i < n; i++) {
        char why[256];
        assert_true(promo_rule_check(&rules[i], why, sizeof why));
        strbuf sb;
        encode(&rules[i], &sb);
        json_value *v = json_parse(sb.data, sb.len, why, sizeof why);
        assert_non_null(v);
        promo_rule back;
        bool active = true;
        if (!rule_json_decode(v, &back, &active, why, sizeof why))
            fail_msg("%s: %s", sb.data, why);
        assert_false(active);
        assert_memory_equal(&back, &rules[i], sizeof back);
        json_free(v);
        strbuf_free(&sb);
    }
}

static void test_codec_refusals(void **state)
{
    (void)state;
    static const struct {
        const char *json, *expect;
    } cases[] = {
        {"{\"label\":\"x\",\"effect\":{\"kind\":\"percent\",\"percent\":90}}", "id: "},
        {"{\"id\":\"r1\",\"effect\":{\"kind\":\"percent\",\"percent\":90}}", "rule \"r1\": label: missing"},
        {"{\"id\":\"r1\",\"label\":\"x\"}", "rule \"r1\": effect: expected an object"},
        {"{\"id\":\"r1\",\"label\":\"x\",\"colour\":1,\"effect\":{\"kind\":\"percent\",\"percent\":9}}",
         "rule \"r1\": rule: unknown key \"colour\""},
        {"{\"id\":\"r1\",\"label\":\"x\",\"effect\":{\"kind\":\"percent\",\"percent\":101}}",
         "rule \"r1\": effect.percent: 101 is outside 0..100"},
        {"{\"id\":\"r1\",\"label\":\"x\",\"effect\":{\"kind\":\"percent\",\"percent\":\"90\"}}",
         "effect.percent: expected a whole number"},
        {"{\"id\":\"r1\",\"label\":\"x\",\"effect\":{\"kind\":\"percent\",\"percent\":90.5}}",
         "effect.percent: expected a whole number"},
        {"{\"id\":\"r1\",\"label\":\"x\",\"effect\":{\"kind\":\"half\"}}", "effect.kind: expected"},
        {"{\"id\":\"r1\",\"label\":\"x\",\"effect\":{\"kind\":\"percent\",\"percent\":90,\"amount_fen\":5}}",
         "effect: unknown key \"amount_fen\""},
        {"{\"id\":\"r1\",\"label\":\"x\",\"schedule\":{\"weekdays\":[\"fri\",\"friday\"]},"
         "\"effect\":{\"kind\":\"percent\",\"percent\":90}}",
         "schedule.weekdays[1]: expected one of"},
        {"{\"id\":\"r1\",\"label\":\"x\",\"schedule\":{\"weekdays\":[\"fri\",\"fri\"]},"
         "\"effect\":{\"kind\":\"percent\",\"percent\":90}}",
         "schedule.weekdays[1]: \"fri\" given twice"},
        {"{\"id\":\"r1\",\"label\":\"x\",\"schedule\":{\"from\":\"2026-02-30\"},"
         "\"effect\":{\"kind\":\"percent\",\"percent\":90}}",
         "schedule.from: expected a date"},
        {"{\"id\":\"r1\",\"label\":\"x\",\"schedule\":{\"after\":3},"
         "\"effect\":{\"kind\":\"percent\",\"percent\":90}}",
         "before/after need a solar or lunar date"},
        {"{\"id\":\"r1\",\"label\":\"x\",\"schedule\":{\"solar\":{\"month\":5,\"day\":1},"
         "\"lunar\":{\"month\":1,\"day\":1}},\"effect\":{\"kind\":\"percent\",\"percent\":90}}",
         "solar and lunar cannot both be given"},
        {"{\"id\":\"r1\",\"label\":\"x\",\"schedule\":{\"time\":{\"start\":\"8:00\",\"end\":\"12:00\"}},"
         "\"effect\":{\"kind\":\"percent\",\"percent\":90}}",
         "schedule.time.start: expected HH:MM"},
        {"{\"id\":\"r1\",\"label\":\"x\",\"schedule\":{\"from\":\"2026-12-01\",\"to\":\"2026-01-01\"},"
         "\"effect\":{\"kind\":\"percent\",\"percent\":90}}",
         "开始日期晚于结束日期"},
        {"{\"id\":\"r1\",\"label\":\"x\",\"scope\":{\"kind\":\"category\"},"
         "\"effect\":{\"kind\":\"percent\",\"percent\":90}}",
         "scope.category: missing"},
        {"{\"id\":\"r1\",\"label\":\"x\",\"scope\":{\"kind\":\"all\",\"skus\":[\"P1\"]},"
         "\"effect\":{\"kind\":\"percent\",\"percent\":90}}",
         "scope: unknown key \"skus\""},
        {"{\"id\":\"r1\",\"label\":\"x\",\"effect\":{\"kind\":\"buy_n\",\"n\":3,\"pay\":2,\"bundle_fen\":100}}",
         "exactly one of pay and bundle_fen"},
        {"{\"id\":\"r1\",\"label\":\"x\",\"effect\":{\"kind\":\"threshold_gift\",\"threshold_fen\":100,\"gifts\":[]}}",
         "effect.gifts: expected a list"},
        {"{\"id\":\"r1\",\"label\":\"x\",\"effect\":{\"kind\":\"points_multiplier\",\"multiplier_pct\":50}}",
         "effect.multiplier_pct: 50 is outside 100..10000"},
        {"{\"id\":\"r1\",\"label\":\"x\",\"effect\":{\"kind\":\"percent\",\"percent\":90},\"exclusive\":1}",
         "exclusive: expected true or false"},
        {"{\"id\":\"0123456789012345678901234567890123\",\"label\":\"x\",\"effect\":{\"kind\":\"percent\",\"percent\":90}}",
         "id: longer than 31 bytes"},
        {"[1]", "id: expected a string"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char err[160], why[256];
        json_value *v = json_parse(cases[i].json, strlen(cases[i].json), err, sizeof err);
        if (!v)
            fail_msg("case %zu does not parse: %s", i, err);
        promo_rule r;
        bool ok = rule_json_decode(v, &r, NULL, why, sizeof why);
        json_free(v);
        if (ok || !strstr(why, cases[i].expect))
            fail_msg("case %zu: ok=%d why=\"%s\", wanted \"%s\"", i, ok, why, cases[i].expect);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_codec_round_trip),
        cmocka_unit_test(test_codec_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
