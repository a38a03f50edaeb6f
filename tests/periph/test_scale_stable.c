/* scale/scale_stable and scale/scale_reading: the hold-time rule before a weight is priced
 * (issue #9) over tables of timed readings, and the unit arithmetic every codec shares. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "peripherals/scale/scale_stable.h"

typedef struct {
    uint64_t ms;
    int64_t grams;
    uint32_t flags;
    scale_stable_verdict want;
} step;

#define ST SCALE_F_STABLE
#define NS SCALE_F_NO_STATUS
#define MO SCALE_F_MOTION

static void run(const char *name, const scale_stable_config *cfg, const step *s, size_t n)
{
    scale_stable f;
    scale_stable_init(&f, cfg);
    for (size_t i = 0; i < n; i++) {
        scale_reading r = {.grams = s[i].grams, .flags = s[i].flags, .unit = SCALE_UNIT_KG};
        int64_t g = -12345;
        scale_stable_verdict v = scale_stable_feed(&f, &r, s[i].ms, &g);
        if (v != s[i].want)
            fail_msg("%s step %zu (t=%llu, %lld g): %s, wanted %s", name, i,
                     (unsigned long long)s[i].ms, (long long)s[i].grams,
                     scale_stable_verdict_name(v), scale_stable_verdict_name(s[i].want));
        if (v == SCALE_STABLE_READY)
            assert_int_equal(g, s[i].grams);
        else
            assert_int_equal(g, -12345);
    }
}

static const scale_stable_config CFG = {.hold_ms = 500, .tolerance_g = 2, .max_gap_ms = 1000, .min_g = 1};

static void test_hold_time(void **state)
{
    (void)state;
    static const step S[] = {
        {1000, 0, ST | SCALE_F_ZERO, SCALE_STABLE_SETTLING},
        {1500, 0, ST | SCALE_F_ZERO, SCALE_STABLE_EMPTY},       /* stable at zero: nothing */
        {1600, 340, MO, SCALE_STABLE_MOTION},                   /* apples going on */
        {1700, 512, ST, SCALE_STABLE_SETTLING},
        {1800, 513, ST, SCALE_STABLE_SETTLING},                 /* within 2 g */
        {2100, 511, ST, SCALE_STABLE_SETTLING},
        {2199, 512, ST, SCALE_STABLE_SETTLING},                 /* 499 ms */
        {2200, 514, ST, SCALE_STABLE_READY},                    /* 500 ms, 514 within 2 of 512 */
        {2300, 515, ST, SCALE_STABLE_SETTLING},                 /* 3 g off the anchor: restart */
        {2800, 515, ST, SCALE_STABLE_READY},
        {2900, 515, SCALE_F_OVER_CAPACITY, SCALE_STABLE_OVER_CAPACITY},
        {3000, 515, ST, SCALE_STABLE_SETTLING},                 /* starts over */
        {3500, 515, ST, SCALE_STABLE_READY},
        {3600, INT64_MAX, ST, SCALE_STABLE_OVER_CAPACITY},     /* no codec's, but never overflows */
        {3700, INT64_MIN, ST, SCALE_STABLE_UNDER_ZERO},
        {3800, 515, ST, SCALE_STABLE_SETTLING},
    };
    run("hold", &CFG, S, sizeof S / sizeof S[0]);
}

static void test_never_priced(void **state)
{
    (void)state;
    static const step S[] = {
        {0, 500, ST, SCALE_STABLE_SETTLING},
        {400, 500, MO, SCALE_STABLE_MOTION},
        {600, 500, ST, SCALE_STABLE_SETTLING},                  /* motion restarted the wait */
        {1000, 500, ST | SCALE_F_FAULT, SCALE_STABLE_FAULT},
        {1100, -20, ST | SCALE_F_UNDER_ZERO, SCALE_STABLE_UNDER_ZERO},
        {1200, -20, ST, SCALE_STABLE_UNDER_ZERO},               /* negative without the flag */
        {1300, 500, 0, SCALE_STABLE_MOTION},                    /* a status scale not saying stable */
        {1400, 500, ST, SCALE_STABLE_SETTLING},
        {1900, 500, ST, SCALE_STABLE_READY},
    };
    run("never", &CFG, S, sizeof S / sizeof S[0]);
}

/* XK3190-style scales say nothing about stability: the weights alone decide. */
static void test_no_status_scale(void **state)
{
    (void)state;
    static const step S[] = {
        {0, 1200, NS, SCALE_STABLE_SETTLING},
        {100, 1230, NS, SCALE_STABLE_SETTLING},                 /* moving: anchor moves */
        {200, 1234, NS, SCALE_STABLE_SETTLING},
        {300, 1234, NS, SCALE_STABLE_SETTLING},
        {600, 1233, NS, SCALE_STABLE_SETTLING},                 /* 400 ms since 1230->1234 */
        {700, 1234, NS, SCALE_STABLE_READY},
        {2000, 1234, NS, SCALE_STABLE_SETTLING},                /* 1300 ms of silence: restart */
        {2400, 1234, NS, SCALE_STABLE_SETTLING},
        {2500, 1234, NS, SCALE_STABLE_READY},
        {2400, 1234, NS, SCALE_STABLE_SETTLING},                /* time went back: restart */
    };
    run("nostatus", &CFG, S, sizeof S / sizeof S[0]);
}

static void test_configs(void **state)
{
    (void)state;
    static const scale_stable_config now = {.hold_ms = 0, .tolerance_g = 0, .max_gap_ms = 0, .min_g = 5};
    static const step S[] = {
        {0, 500, ST, SCALE_STABLE_READY},                       /* hold 0: at once */
        {1, 4, ST, SCALE_STABLE_EMPTY},                         /* below min_g */
        {100000, 501, ST, SCALE_STABLE_READY},                  /* no gap limit */
    };
    run("hold0", &now, S, sizeof S / sizeof S[0]);
    /* Defaults. */
    scale_stable f;
    scale_stable_init(&f, NULL);
    assert_int_equal(f.cfg.hold_ms, SCALE_STABLE_DEFAULT_HOLD_MS);
    assert_int_equal(f.cfg.tolerance_g, SCALE_STABLE_DEFAULT_TOLERANCE_G);
    scale_reading r = {.grams = 100, .flags = ST};
    int64_t g = 0;
    assert_int_equal(scale_stable_feed(&f, &r, 10, &g), SCALE_STABLE_SETTLING);
    scale_stable_reset(&f);
    assert_int_equal(scale_stable_feed(&f, &r, 10 + SCALE_STABLE_DEFAULT_HOLD_MS, &g),
                     SCALE_STABLE_SETTLING);
    assert_int_equal(scale_stable_feed(&f, &r, 10 + 2 * SCALE_STABLE_DEFAULT_HOLD_MS, &g),
                     SCALE_STABLE_READY);
    assert_int_equal(g, 100);
}

static void test_grams_arithmetic(void **state)
{
    (void)state;
    int64_t g = 0;
    assert_true(scale_reading_grams(1234, -3, SCALE_UNIT_KG, &g));
    assert_int_equal(g, 1234);
    assert_true(scale_reading_grams(5, -1, SCALE_UNIT_G, &g));
    assert_int_equal(g, 1);                  /* 0.5 g -> 1 */
    assert_true(scale_reading_grams(-5, -1, SCALE_UNIT_G, &g));
    assert_int_equal(g, -1);                 /* -0.5 g -> -1 */
    assert_true(scale_reading_grams(4, -1, SCALE_UNIT_G, &g));
    assert_int_equal(g, 0);
    assert_true(scale_reading_grams(1, 0, SCALE_UNIT_OZ, &g));
    assert_int_equal(g, 28);
    assert_true(scale_reading_grams(1, 0, SCALE_UNIT_JIN, &g));
    assert_int_equal(g, 500);
    assert_true(scale_reading_grams(1000000, 0, SCALE_UNIT_KG, &g));
    assert_int_equal(g, SCALE_MAX_GRAMS);
    assert_false(scale_reading_grams(1000001, 0, SCALE_UNIT_KG, &g));
    assert_false(scale_reading_grams(1, 10, SCALE_UNIT_G, &g));
    assert_false(scale_reading_grams(1, -10, SCALE_UNIT_G, &g));
    assert_false(scale_reading_grams(1, 0, SCALE_UNIT_UNKNOWN, &g));
    assert_false(scale_reading_grams(1, 0, SCALE_UNIT_COUNT, &g));
    assert_false(scale_reading_grams(INT64_MAX, 9, SCALE_UNIT_T, &g));
    assert_string_equal(scale_unit_name(SCALE_UNIT_JIN), "市斤");
    assert_string_equal(scale_unit_name((scale_unit)99), "?");

    int64_t m;
    int e;
    assert_true(scale_reading_decimal((const uint8_t *)" -001.50 ", 9, &m, &e));
    assert_int_equal(m, -150);
    assert_int_equal(e, -2);
    assert_true(scale_reading_decimal((const uint8_t *)"250.", 4, &m, &e));
    assert_int_equal(m, 250);
    assert_int_equal(e, 0);
    assert_false(scale_reading_decimal((const uint8_t *)"1 2", 3, &m, &e));
    assert_false(scale_reading_decimal((const uint8_t *)"  .  ", 5, &m, &e));
    assert_false(scale_reading_decimal((const uint8_t *)"1234567890123", 13, &m, &e));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hold_time),
        cmocka_unit_test(test_never_priced),
        cmocka_unit_test(test_no_status_scale),
        cmocka_unit_test(test_configs),
        cmocka_unit_test(test_grams_arithmetic),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
