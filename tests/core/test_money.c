/* Tests for pos/core/money: parse/format tables, checked arithmetic at the int64 edges,
 * half-up rounding and the largest-remainder spread (with a seeded property test). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "pos/core/basket.h"
#include "pos/core/money.h"

/* ------------------------------------------------------------------ parse */

typedef struct {
    const char *text;
    money_err err;
    fen_t fen; /* when err == MONEY_OK */
} parse_case;

static const parse_case parse_cases[] = {
    /* accepted forms */
    {"12.80", MONEY_OK, 1280},
    {"12.8", MONEY_OK, 1280},
    {"12", MONEY_OK, 1200},
    {".5", MONEY_OK, 50},
    {"0.05", MONEY_OK, 5},
    {"0", MONEY_OK, 0},
    {"-0", MONEY_OK, 0},
    {"-3.00", MONEY_OK, -300},
    {"-0.05", MONEY_OK, -5},
    {"007.50", MONEY_OK, 750},
    {"\xEF\xBF\xA5" "12.80", MONEY_OK, 1280},         /* ￥ U+FFE5 */
    {"\xC2\xA5" "12.80", MONEY_OK, 1280},             /* ¥ U+00A5 */
    {"12.80\xE5\x85\x83", MONEY_OK, 1280},            /* 元 */
    {"12.80 \xE5\x85\x83", MONEY_OK, 1280},
    {"RMB 12.80", MONEY_OK, 1280},
    {"RMB12.80", MONEY_OK, 1280},
    {"\xEF\xBF\xA5 12.80", MONEY_OK, 1280},
    {"-\xEF\xBF\xA5" "1.28", MONEY_OK, -128},
    {"\xEF\xBF\xA5-1.28", MONEY_OK, -128},
    {"  12.80  ", MONEY_OK, 1280},
    {"\t12.80\r\n", MONEY_OK, 1280},
    {"\xE3\x80\x80" "5\xE3\x80\x80", MONEY_OK, 500}, /* ideographic spaces */
    {" \xEF\xBF\xA5 12.80 ", MONEY_OK, 1280},
    {"100000000000.00", MONEY_OK, MONEY_MAX_FEN},
    {"-100000000000", MONEY_OK, -MONEY_MAX_FEN},
    /* empty */
    {"", MONEY_ERR_EMPTY, 0},
    {"   ", MONEY_ERR_EMPTY, 0},
    {"\t\r\n", MONEY_ERR_EMPTY, 0},
    /* syntax */
    {"abc", MONEY_ERR_SYNTAX, 0},
    {"1,000", MONEY_ERR_SYNTAX, 0},
    {"1e3", MONEY_ERR_SYNTAX, 0},
    {"12.8.0", MONEY_ERR_SYNTAX, 0},
    {"12.", MONEY_ERR_SYNTAX, 0},
    {".", MONEY_ERR_SYNTAX, 0},
    {"-", MONEY_ERR_SYNTAX, 0},
    {"--1", MONEY_ERR_SYNTAX, 0},
    {"+1", MONEY_ERR_SYNTAX, 0},
    {"- 1", MONEY_ERR_SYNTAX, 0},
    {"1 2", MONEY_ERR_SYNTAX, 0},
    {"12abc", MONEY_ERR_SYNTAX, 0},
    {"\xEF\xBF\xA5", MONEY_ERR_SYNTAX, 0},
    {"\xE5\x85\x83", MONEY_ERR_SYNTAX, 0},
    {"RMB", MONEY_ERR_SYNTAX, 0},
    {"\xEF\xBF\xA5" "12\xE5\x85\x83", MONEY_ERR_SYNTAX, 0}, /* two currency marks */
    {"-\xEF\xBF\xA5-1", MONEY_ERR_SYNTAX, 0},
    {"12.80$", MONEY_ERR_SYNTAX, 0},
    {"0x10", MONEY_ERR_SYNTAX, 0},
    {"1.2a4", MONEY_ERR_SYNTAX, 0},
    /* precision */
    {"1.234", MONEY_ERR_PRECISION, 0},
    {"0.001", MONEY_ERR_PRECISION, 0},
    {"1.230", MONEY_ERR_PRECISION, 0},
    /* range */
    {"100000000000.01", MONEY_ERR_RANGE, 0},
    {"-100000000000.01", MONEY_ERR_RANGE, 0},
    {"100000000001", MONEY_ERR_RANGE, 0},
    {"99999999999999999999999999999", MONEY_ERR_RANGE, 0},
    {"99999999999999999999999999999x", MONEY_ERR_SYNTAX, 0},
};

static void test_parse_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof parse_cases / sizeof parse_cases[0]; i++) {
        const parse_case *c = &parse_cases[i];
        fen_t fen = 424242;
        money_err err = money_parse(c->text, &fen);
        if (err != c->err || (c->err == MONEY_OK && fen != c->fen))
            fail_msg("case %zu \"%s\": got err %d fen %lld, want err %d fen %lld", i, c->text,
                     (int)err, (long long)fen, (int)c->err, (long long)c->fen);
        if (c->err != MONEY_OK && fen != 424242)
            fail_msg("case %zu \"%s\": output written on error", i, c->text);
    }
}

static void test_parse_null(void **state)
{
    (void)state;
    fen_t fen;
    assert_int_equal(money_parse(NULL, &fen), MONEY_ERR_EMPTY);
    assert_int_equal(money_parse("1.00", NULL), MONEY_OK);
}

static void test_strerror(void **state)
{
    (void)state;
    for (int e = MONEY_OK; e <= MONEY_ERR_RANGE; e++) {
        assert_non_null(money_strerror((money_err)e));
        assert_true(strlen(money_strerror((money_err)e)) > 0);
    }
    assert_string_not_equal(money_strerror(MONEY_ERR_SYNTAX), money_strerror(MONEY_ERR_RANGE));
    assert_non_null(money_strerror((money_err)99));
}

/* ------------------------------------------------------------------ format */

typedef struct {
    fen_t fen;
    const char *plain, *yuan;
} format_case;

static const format_case format_cases[] = {
    {0, "0.00", "\xEF\xBF\xA5" "0.00"},
    {5, "0.05", "\xEF\xBF\xA5" "0.05"},
    {-5, "-0.05", "-\xEF\xBF\xA5" "0.05"},
    {50, "0.50", "\xEF\xBF\xA5" "0.50"},
    {100, "1.00", "\xEF\xBF\xA5" "1.00"},
    {1280, "12.80", "\xEF\xBF\xA5" "12.80"},
    {-1280, "-12.80", "-\xEF\xBF\xA5" "12.80"},
    {123456789, "1234567.89", "\xEF\xBF\xA5" "1234567.89"},
    {MONEY_MAX_FEN, "100000000000.00", "\xEF\xBF\xA5" "100000000000.00"},
    {INT64_MAX, "92233720368547758.07", "\xEF\xBF\xA5" "92233720368547758.07"},
    {INT64_MIN, "-92233720368547758.08", "-\xEF\xBF\xA5" "92233720368547758.08"},
};

static void test_format_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof format_cases / sizeof format_cases[0]; i++) {
        const format_case *c = &format_cases[i];
        char buf[MONEY_FMT_CAP];
        size_t n = money_format(c->fen, buf, sizeof buf);
        assert_string_equal(buf, c->plain);
        assert_int_equal(n, strlen(c->plain));
        n = money_format_yuan(c->fen, buf, sizeof buf);
        assert_string_equal(buf, c->yuan);
        assert_int_equal(n, strlen(c->yuan));
    }
}

static void test_format_truncation(void **state)
{
    (void)state;
    char buf[4];
    memset(buf, 'x', sizeof buf);
    assert_int_equal(money_format(1280, buf, sizeof buf), 5);
    assert_string_equal(buf, "12.");
    assert_int_equal(money_format(1280, buf, 1), 5);
    assert_string_equal(buf, "");
    buf[0] = 'x';
    assert_int_equal(money_format(1280, buf, 0), 5);
    assert_int_equal(buf[0], 'x'); /* cap 0: nothing written */
    assert_int_equal(money_format(-5, NULL, 0), 5);
    assert_int_equal(money_format_yuan(1280, NULL, 0), 8);
}

static void test_format_parse_round_trip(void **state)
{
    (void)state;
    const fen_t values[] = {0, 1, -1, 9, 10, 99, 100, 101, 1280, -1280, 999999,
                            MONEY_MAX_FEN, -MONEY_MAX_FEN, MONEY_MAX_FEN - 1};
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        char buf[MONEY_FMT_CAP];
        fen_t back = -777;
        money_format(values[i], buf, sizeof buf);
        assert_int_equal(money_parse(buf, &back), MONEY_OK);
        assert_int_equal(back, values[i]);
        money_format_yuan(values[i], buf, sizeof buf);
        back = -777;
        assert_int_equal(money_parse(buf, &back), MONEY_OK);
        assert_int_equal(back, values[i]);
    }
}

/* ------------------------------------------------------------------ checked arithmetic */

static void test_add_sub(void **state)
{
    (void)state;
    fen_t r = 0;
    assert_true(money_add(1280, 520, &r));
    assert_int_equal(r, 1800);
    assert_true(money_add(-5, 5, &r));
    assert_int_equal(r, 0);
    assert_true(money_add(MONEY_MAX_FEN - 1, 1, &r));
    assert_int_equal(r, MONEY_MAX_FEN);
    r = 42;
    assert_false(money_add(MONEY_MAX_FEN, 1, &r));
    assert_int_equal(r, 42); /* untouched on failure */
    assert_false(money_add(-MONEY_MAX_FEN, -1, &r));
    assert_false(money_add(INT64_MAX, 1, &r));
    assert_false(money_add(INT64_MAX, INT64_MAX, &r));
    assert_false(money_add(INT64_MIN, -1, &r));
    assert_false(money_add(INT64_MIN, INT64_MIN, &r));
    assert_false(money_add(INT64_MAX, 0, &r)); /* no overflow, but out of money range */
    /* INT64_MAX + INT64_MIN = -1 is in range: no intermediate overflow */
    assert_true(money_add(INT64_MAX, INT64_MIN, &r));
    assert_int_equal(r, -1);

    assert_true(money_sub(1000, 1280, &r));
    assert_int_equal(r, -280);
    assert_true(money_sub(0, MONEY_MAX_FEN, &r));
    assert_int_equal(r, -MONEY_MAX_FEN);
    assert_false(money_sub(-MONEY_MAX_FEN, 1, &r));
    assert_false(money_sub(MONEY_MAX_FEN, -1, &r));
    assert_false(money_sub(INT64_MIN, 1, &r));
    assert_false(money_sub(INT64_MAX, -1, &r));
    assert_false(money_sub(0, INT64_MIN, &r));
    assert_false(money_sub(INT64_MAX, INT64_MIN, &r));
    assert_true(money_sub(INT64_MIN, INT64_MIN, &r));
    assert_int_equal(r, 0);
}

static void test_mul_qty(void **state)
{
    (void)state;
    fen_t r = 0;
    assert_true(money_mul_qty(1280, 3, &r));
    assert_int_equal(r, 3840);
    assert_true(money_mul_qty(1280, 0, &r));
    assert_int_equal(r, 0);
    assert_true(money_mul_qty(1280, -2, &r));
    assert_int_equal(r, -2560);
    assert_true(money_mul_qty(MONEY_MAX_FEN, 1, &r));
    assert_int_equal(r, MONEY_MAX_FEN);
    assert_true(money_mul_qty(MONEY_MAX_FEN / 4, 4, &r));
    r = 42;
    assert_false(money_mul_qty(MONEY_MAX_FEN, 2, &r));
    assert_int_equal(r, 42);
    assert_false(money_mul_qty(MONEY_MAX_FEN / 4 + 1, 4, &r));
    assert_false(money_mul_qty(INT64_MAX, 2, &r));
    assert_false(money_mul_qty(INT64_MIN, -1, &r));
    assert_false(money_mul_qty(-1, INT64_MIN, &r));
    assert_false(money_mul_qty(INT64_MAX, INT64_MAX, &r));
    assert_false(money_mul_qty(2, INT64_MAX / 2 + 1, &r));
    assert_false(money_mul_qty(INT64_MAX, 1, &r));
}

typedef struct {
    fen_t price;
    int64_t n;
    bool ok;
    fen_t want;
} mul_case;

static const mul_case grams_cases[] = {
    {1990, 333, true, 663},   /* 662.67 -> 663 */
    {1990, 1000, true, 1990},
    {1990, 1, true, 2},       /* 1.99 -> 2 */
    {1000, 1, true, 1},
    {499, 1, true, 0},        /* 0.499 -> 0 */
    {500, 1, true, 1},        /* exact .5 rounds up */
    {1500, 1, true, 2},       /* 1.5 -> 2 */
    {2500, 1, true, 3},       /* 2.5 -> 3 (not banker's) */
    {1, 500, true, 1},
    {1, 499, true, 0},
    {1280, 250, true, 320},
    {3580, 1234, true, 4418}, /* 4417.72 -> 4418 */
    {0, 12345, true, 0},
    {1990, 0, true, 0},
    {1990, -333, true, -663}, /* a returned weight: symmetric */
    {-500, 1, true, -1},
    {MONEY_MAX_FEN, 1000, true, MONEY_MAX_FEN},
    {MONEY_MAX_FEN, 1001, false, 0},
    {INT64_MAX, 2, false, 0},
    {INT64_MIN, 1, false, 0},
    {INT64_MIN, -1, false, 0},
    {2, INT64_MAX, false, 0},
    {1, INT64_MAX, false, 0},  /* no overflow, but result beyond range */
    {-1, INT64_MIN, false, 0},
};

static const mul_case percent_cases[] = {
    {1280, 90, true, 1152},   /* 9折 */
    {1000, 85, true, 850},
    {1, 50, true, 1},         /* 0.5 -> 1 */
    {1, 49, true, 0},
    {3, 50, true, 2},         /* 1.5 -> 2 */
    {5, 50, true, 3},         /* 2.5 -> 3 */
    {999, 33, true, 330},     /* 329.67 -> 330 */
    {1280, 100, true, 1280},
    {1280, 0, true, 0},
    {-1280, 90, true, -1152},
    {-1, 50, true, -1},
    {MONEY_MAX_FEN, 100, true, MONEY_MAX_FEN},
    {MONEY_MAX_FEN, 101, false, 0},
    {INT64_MAX, 100, false, 0},
    {INT64_MIN, 100, false, 0},
    {INT64_MIN, -1, false, 0},
};

static void run_mul_cases(const mul_case *cases, size_t n,
                          bool (*fn)(fen_t, int64_t, fen_t *), const char *name)
{
    for (size_t i = 0; i < n; i++) {
        fen_t r = -424242;
        bool ok = fn(cases[i].price, cases[i].n, &r);
        if (ok != cases[i].ok || (ok && r != cases[i].want))
            fail_msg("%s case %zu (%lld, %lld): got ok=%d r=%lld, want ok=%d r=%lld", name, i,
                     (long long)cases[i].price, (long long)cases[i].n, ok, (long long)r,
                     cases[i].ok, (long long)cases[i].want);
        if (!ok && r != -424242)
            fail_msg("%s case %zu: output written on failure", name, i);
    }
}

static void test_mul_grams(void **state)
{
    (void)state;
    run_mul_cases(grams_cases, sizeof grams_cases / sizeof grams_cases[0], money_mul_grams,
                  "grams");
}

static void test_percent(void **state)
{
    (void)state;
    run_mul_cases(percent_cases, sizeof percent_cases / sizeof percent_cases[0], money_percent,
                  "percent");
}

/* ------------------------------------------------------------------ spread */

static fen_t sum_of(const fen_t *v, size_t n)
{
    fen_t s = 0;
    for (size_t i = 0; i < n; i++)
        s += v[i];
    return s;
}

typedef struct {
    fen_t total;
    size_t n;
    fen_t weights[6];
    fen_t want[6];
} spread_case;

static const spread_case spread_cases[] = {
    {100, 3, {1, 1, 1}, {34, 33, 33}},               /* tie: lower index first */
    {200, 3, {1, 1, 1}, {67, 67, 66}},
    {-100, 3, {1, 1, 1}, {-34, -33, -33}},           /* discount: sign restored */
    {-1, 2, {1, 1}, {-1, 0}},
    {1, 3, {1, 1, 1}, {1, 0, 0}},
    {128, 2, {1280, 0}, {128, 0}},
    {10, 4, {0, 3, 0, 7}, {0, 3, 0, 7}},
    {10, 3, {0, 1, 2}, {0, 3, 7}},                   /* 3.33, 6.67 */
    {100, 3, {2, 3, 5}, {20, 30, 50}},               /* exact */
    {7, 3, {1, 2, 4}, {1, 2, 4}},
    {5, 3, {1, 1, 2}, {1, 1, 3}},                    /* 1.25,1.25,2.5: rem .25,.25,.5 */
    {6, 4, {1, 1, 1, 1}, {2, 2, 1, 1}},
    {0, 3, {1, 2, 3}, {0, 0, 0}},
    {1000, 1, {5}, {1000}},
    {-128, 3, {1280, 590, 990}, {-57, -27, -44}},    /* 57.28, 26.41, 44.31 */
    {99, 3, {1000, 1, 1}, {99, 0, 0}},               /* 98.80, .0988, .0988 */
};

static void test_spread_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof spread_cases / sizeof spread_cases[0]; i++) {
        const spread_case *c = &spread_cases[i];
        fen_t out[6] = {0};
        if (!money_spread(c->total, c->weights, c->n, out))
            fail_msg("spread case %zu refused", i);
        for (size_t k = 0; k < c->n; k++)
            if (out[k] != c->want[k])
                fail_msg("spread case %zu line %zu: got %lld want %lld", i, k,
                         (long long)out[k], (long long)c->want[k]);
        assert_int_equal(sum_of(out, c->n), c->total);
    }
}

static void test_spread_errors(void **state)
{
    (void)state;
    fen_t out[3] = {7, 7, 7};
    const fen_t ok_w[3] = {1, 2, 3};
    const fen_t zero_w[3] = {0, 0, 0};
    const fen_t neg_w[3] = {1, -1, 3};
    const fen_t big_w[3] = {INT64_MAX, 1, 1};
    const fen_t huge_w[2] = {INT64_MAX / 2, INT64_MAX / 2};
    assert_false(money_spread(100, ok_w, 0, out));
    assert_false(money_spread(100, zero_w, 3, out));
    assert_false(money_spread(100, neg_w, 3, out));
    assert_false(money_spread(100, big_w, 3, out));      /* weight sum overflows */
    assert_false(money_spread(100, huge_w, 2, out));     /* total × weight overflows */
    assert_false(money_spread(INT64_MIN, ok_w, 3, out)); /* |total| not representable */
    assert_false(money_spread(100, NULL, 3, out));
    assert_false(money_spread(100, ok_w, 3, NULL));
    /* nothing written on failure */
    assert_int_equal(out[0], 7);
    assert_int_equal(out[1], 7);
    assert_int_equal(out[2], 7);
}

/* splitmix64: a tiny PRNG with a fixed seed so failures reproduce exactly. */
static uint64_t rng_state;
static uint64_t rng_next(void)
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}
static int64_t rng_range(int64_t lo, int64_t hi) /* inclusive */
{
    return lo + (int64_t)(rng_next() % (uint64_t)(hi - lo + 1));
}

/* Each line is within one fen of its exact share (floor or floor + 1 in magnitude), the sum is
 * exact, zero weights get nothing, and the leftover fen go to the largest remainders. */
static void test_spread_property(void **state)
{
    (void)state;
    rng_state = 20261016;
    enum { N_MAX = 40 };
    int spread = 0, negative = 0, extra_fen = 0;
    for (int iter = 0; iter < 20000; iter++) {
        size_t n = (size_t)rng_range(1, N_MAX);
        fen_t w[N_MAX], out[N_MAX];
        fen_t wsum = 0;
        /* Mix tiny, equal and larger weights so ties and zero weights are common. */
        int64_t wmax = rng_range(0, 3) == 0 ? 3 : 100000;
        for (size_t i = 0; i < n; i++) {
            w[i] = rng_range(0, 4) == 0 ? 0 : rng_range(0, wmax);
            wsum += w[i];
        }
        if (wsum == 0) {
            assert_false(money_spread(100, w, n, out));
            continue;
        }
        fen_t total = rng_range(-1000000, 1000000);
        if (iter % 7 == 0)
            total = rng_range(-5, 5);
        if (!money_spread(total, w, n, out))
            fail_msg("iter %d: spread refused", iter);
        assert_int_equal(sum_of(out, n), total);
        spread++;
        negative += total < 0;

        int64_t mag = total < 0 ? -total : total;
        for (size_t i = 0; i < n; i++) {
            int64_t got = total < 0 ? -out[i] : out[i];
            int64_t fl = mag * w[i] / wsum;
            if (got != fl && got != fl + 1)
                fail_msg("iter %d line %zu: %lld not floor %lld or +1", iter, i,
                         (long long)got, (long long)fl);
            if (w[i] == 0 && got != 0)
                fail_msg("iter %d line %zu: zero weight got %lld", iter, i, (long long)got);
            if (total < 0 && out[i] > 0)
                fail_msg("iter %d line %zu: sign not restored", iter, i);
            /* A line that got the extra fen ranks above every line that did not. */
            if (got == fl + 1) {
                extra_fen++;
                int64_t ri = mag * w[i] % wsum;
                for (size_t j = 0; j < n; j++) {
                    int64_t gj = total < 0 ? -out[j] : out[j];
                    int64_t fj = mag * w[j] / wsum, rj = mag * w[j] % wsum;
                    if (gj == fj && (rj > ri || (rj == ri && j < i)))
                        fail_msg("iter %d: line %zu got the fen over line %zu", iter, i, j);
                }
            }
        }
        /* Same input, same output: the spread is deterministic. */
        fen_t again[N_MAX];
        assert_true(money_spread(total, w, n, again));
        assert_memory_equal(out, again, n * sizeof out[0]);
        /* Negating the total negates every line (magnitudes spread, sign restored). */
        if (total != 0) {
            assert_true(money_spread(-total, w, n, again));
            for (size_t i = 0; i < n; i++)
                assert_int_equal(again[i], -out[i]);
        }
    }
    /* Most iterations spread (19817), half of them negative, and the leftover-fen ranking is
     * checked often (136304 lines got the extra fen). */
    assert_true(spread >= 19000);
    assert_true(negative >= 5000);
    assert_true(extra_fen >= 10000);
}

static void test_spread_large_amounts(void **state)
{
    (void)state;
    /* A whole-range discount over realistic weights still fits the intermediates. */
    const fen_t w[3] = {100000, 200000, 300001};
    fen_t out[3];
    assert_true(money_spread(-MONEY_MAX_FEN, w, 3, out));
    assert_int_equal(sum_of(out, 3), -MONEY_MAX_FEN);
}

/* One price range for import, receipt and sale: the basket's largest sale. */
static void test_price_bounds(void **state)
{
    (void)state;
    assert_true(money_price_valid(0));
    assert_true(money_price_valid(MONEY_PRICE_MAX_FEN));
    assert_false(money_price_valid(MONEY_PRICE_MAX_FEN + 1));
    assert_false(money_price_valid(-1));
    assert_false(money_price_valid(MONEY_MAX_FEN));
    assert_int_equal(MONEY_PRICE_MAX_FEN, BASKET_MAX_TOTAL_FEN);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_table),
        cmocka_unit_test(test_parse_null),
        cmocka_unit_test(test_strerror),
        cmocka_unit_test(test_format_table),
        cmocka_unit_test(test_format_truncation),
        cmocka_unit_test(test_format_parse_round_trip),
        cmocka_unit_test(test_add_sub),
        cmocka_unit_test(test_mul_qty),
        cmocka_unit_test(test_mul_grams),
        cmocka_unit_test(test_percent),
        cmocka_unit_test(test_spread_table),
        cmocka_unit_test(test_spread_errors),
        cmocka_unit_test(test_spread_property),
        cmocka_unit_test(test_spread_large_amounts),
        cmocka_unit_test(test_price_bounds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
