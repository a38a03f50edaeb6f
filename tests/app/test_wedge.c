/* wedge: scanner bursts vs hand typing (peripherals/wedge.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "peripherals/wedge.h"

static void feed(wedge *w, const char *s, uint32_t *t, uint32_t gap)
{
    for (; *s; s++) {
        *t += gap;
        wedge_feed_char(w, *s, *t);
    }
}

static void test_scanner_burst_is_a_scan(void **state)
{
    (void)state;
    wedge w;
    wedge_init(&w, NULL);
    uint32_t t = 1000;
    feed(&w, "6953822000175", &t, 5);
    char code[WEDGE_MAX_CODE + 1];
    size_t n = 0;
    assert_int_equal(wedge_feed_enter(&w, t + 5, code, sizeof code, &n), WEDGE_SCAN);
    assert_string_equal(code, "6953822000175");
    assert_int_equal(n, 13);
    /* the run is consumed: a second Enter is just Enter */
    assert_int_equal(wedge_feed_enter(&w, t + 10, code, sizeof code, &n), WEDGE_TYPED);
    assert_int_equal(n, 0);
}

static void test_hand_typing_is_not(void **state)
{
    (void)state;
    wedge w;
    wedge_init(&w, NULL);
    uint32_t t = 0;
    feed(&w, "6953822000175", &t, 120);
    char code[WEDGE_MAX_CODE + 1];
    size_t n = 99;
    assert_int_equal(wedge_feed_enter(&w, t + 150, code, sizeof code, &n), WEDGE_TYPED);
    assert_int_equal(n, 0);
    assert_string_equal(code, "");
}

static void test_short_burst_is_typed(void **state)
{
    (void)state;
    wedge w;
    wedge_init(&w, NULL);
    uint32_t t = 0;
    feed(&w, "100", &t, 5);   /* 3 fast keys: below min_len (a fast typist's "100") */
    char code[WEDGE_MAX_CODE + 1];
    assert_int_equal(wedge_feed_enter(&w, t + 5, code, sizeof code, NULL), WEDGE_TYPED);
}

static void test_slow_enter_after_burst_is_typed(void **state)
{
    (void)state;
    wedge w;
    wedge_init(&w, NULL);
    uint32_t t = 0;
    feed(&w, "69538220", &t, 5);
    char code[WEDGE_MAX_CODE + 1];
    /* Enter 500 ms later: a person pressed it, the scanner would have sent it at once */
    assert_int_equal(wedge_feed_enter(&w, t + 500, code, sizeof code, NULL), WEDGE_TYPED);
}

static void test_burst_after_typing_is_only_the_burst(void **state)
{
    (void)state;
    wedge w;
    wedge_init(&w, NULL);
    uint32_t t = 0;
    feed(&w, "50", &t, 200);          /* cashier typing an amount */
    t += 800;
    wedge_feed_char(&w, '6', t);      /* then the scanner fires */
    feed(&w, "914671000174", &t, 4);
    char code[WEDGE_MAX_CODE + 1];
    size_t n = 0;
    assert_int_equal(wedge_feed_enter(&w, t + 4, code, sizeof code, &n), WEDGE_SCAN);
    assert_string_equal(code, "6914671000174");
    assert_int_equal(n, 13);
}

static void test_gap_limit_is_inclusive_and_configurable(void **state)
{
    (void)state;
    wedge w;
    wedge_config cfg = {.min_len = 8, .max_gap_ms = 50};
    wedge_init(&w, &cfg);
    uint32_t t = 0;
    feed(&w, "12345670", &t, 50);
    char code[WEDGE_MAX_CODE + 1];
    assert_int_equal(wedge_feed_enter(&w, t + 50, code, sizeof code, NULL), WEDGE_SCAN);
    t += 1000;
    feed(&w, "1234567", &t, 10);      /* 7 < min_len 8 */
    assert_int_equal(wedge_feed_enter(&w, t + 10, code, sizeof code, NULL), WEDGE_TYPED);
    t += 1000;
    feed(&w, "12345670", &t, 51);     /* one ms too slow */
    assert_int_equal(wedge_feed_enter(&w, t + 10, code, sizeof code, NULL), WEDGE_TYPED);
}

static void test_overflow_never_yields_a_code(void **state)
{
    (void)state;
    wedge w;
    wedge_init(&w, NULL);
    uint32_t t = 0;
    for (int i = 0; i < WEDGE_MAX_CODE + 10; i++) {
        t += 2;
        wedge_feed_char(&w, '7', t);
    }
    char code[WEDGE_MAX_CODE + 1];
    size_t n = 0;
    assert_int_equal(wedge_feed_enter(&w, t + 2, code, sizeof code, &n), WEDGE_OVERFLOW);
    assert_string_equal(code, "");
    assert_int_equal(n, WEDGE_MAX_CODE + 10);
    /* a too-small caller buffer is overflow too, never half a code */
    feed(&w, "6953822000175", &t, 5);
    char small[8];
    assert_int_equal(wedge_feed_enter(&w, t + 5, small, sizeof small, NULL), WEDGE_OVERFLOW);
    assert_string_equal(small, "");
}

static void test_timestamp_wrap(void **state)
{
    (void)state;
    wedge w;
    wedge_init(&w, NULL);
    uint32_t t = UINT32_MAX - 20;     /* SDL_GetTicks wraps after ~49 days */
    feed(&w, "96385074", &t, 5);
    char code[WEDGE_MAX_CODE + 1];
    assert_int_equal(wedge_feed_enter(&w, t + 5, code, sizeof code, NULL), WEDGE_SCAN);
    assert_string_equal(code, "96385074");
}

static void test_reset_forgets_the_run(void **state)
{
    (void)state;
    wedge w;
    wedge_init(&w, NULL);
    uint32_t t = 0;
    feed(&w, "6953822", &t, 5);
    assert_int_equal(wedge_run_length(&w), 7);
    wedge_reset(&w);
    assert_int_equal(wedge_run_length(&w), 0);
    char code[WEDGE_MAX_CODE + 1];
    assert_int_equal(wedge_feed_enter(&w, t + 5, code, sizeof code, NULL), WEDGE_TYPED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scanner_burst_is_a_scan),
        cmocka_unit_test(test_hand_typing_is_not),
        cmocka_unit_test(test_short_burst_is_typed),
        cmocka_unit_test(test_slow_enter_after_burst_is_typed),
        cmocka_unit_test(test_burst_after_typing_is_only_the_burst),
        cmocka_unit_test(test_gap_limit_is_inclusive_and_configurable),
        cmocka_unit_test(test_overflow_never_yields_a_code),
        cmocka_unit_test(test_timestamp_wrap),
        cmocka_unit_test(test_reset_forgets_the_run),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
