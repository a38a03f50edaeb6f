/* Tests for pos/core/bizday: the day-count algorithms, business-day boundaries in UTC+8,
 * weekdays, and ISO 8601 parsing/formatting. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "pos/core/bizday.h"

#define SH BIZDAY_SHANGHAI_OFFSET_MIN

/* 2026-10-16T15:59:59Z = 23:59:59 in Shanghai, the last second of that business day. */
#define T_2026_10_16_155959Z INT64_C(1792166399)

/* ------------------------------------------------------------------ day counts */

typedef struct {
    int y, m, d;
    int64_t days;
    int weekday;
} day_case;

/* Reference values from Python's datetime (proleptic Gregorian, like the algorithm). */
static const day_case day_cases[] = {
    {1970, 1, 1, 0, 4},
    {1969, 12, 31, -1, 3},
    {2026, 10, 16, 20742, 5},  /* a Friday: 扶贫日 */
    {2000, 2, 29, 11016, 2},
    {2024, 2, 29, 19782, 4},
    {1900, 3, 1, -25508, 4},
    {1600, 3, 1, -135080, 3},
    {1, 1, 1, -719162, 1},
    {9999, 12, 31, 2932896, 5},
};

static void test_known_days(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof day_cases / sizeof day_cases[0]; i++) {
        const day_case *c = &day_cases[i];
        assert_int_equal(bizday_days_from_civil(c->y, c->m, c->d), c->days);
        int y, m, d;
        bizday_civil_from_days(c->days, &y, &m, &d);
        assert_int_equal(y, c->y);
        assert_int_equal(m, c->m);
        assert_int_equal(d, c->d);
        civil_time t;
        bizday_local(c->days * 86400, 0, &t);
        assert_int_equal(t.weekday, c->weekday);
    }
}

static bool leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Walk every day from 1600 to 2400 (plus a span around year 0 and far years), checking that
 * day numbers are consecutive and the round trip is exact. */
static void test_round_trip_wide_range(void **state)
{
    (void)state;
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const int spans[][2] = {{1600, 2400}, {-401, 401}, {99000, 99100}, {-99100, -99000}};
    for (size_t s = 0; s < sizeof spans / sizeof spans[0]; s++) {
        int64_t expect = bizday_days_from_civil(spans[s][0], 1, 1);
        for (int y = spans[s][0]; y < spans[s][1]; y++) {
            for (int m = 1; m <= 12; m++) {
                int dim = m == 2 && leap(y) ? 29 : mdays[m - 1];
                for (int d = 1; d <= dim; d++) {
                    int64_t days = bizday_days_from_civil(y, m, d);
                    if (days != expect)
                        fail_msg("%d-%d-%d: %lld, want %lld", y, m, d, (long long)days,
                                 (long long)expect);
                    int yy, mm, dd;
                    bizday_civil_from_days(days, &yy, &mm, &dd);
                    if (yy != y || mm != m || dd != d)
                        fail_msg("%lld -> %d-%d-%d, want %d-%d-%d", (long long)days, yy, mm,
                                 dd, y, m, d);
                    expect++;
                }
            }
        }
    }
}

static void test_weekday_cycle(void **state)
{
    (void)state;
    /* Every 7 days the weekday repeats, including across the epoch and negative days. */
    for (int64_t days = -3000; days < 3000; days++) {
        civil_time a, b;
        bizday_local(days * 86400, 0, &a);
        bizday_local((days + 1) * 86400 + 43200, 0, &b);
        assert_int_equal((a.weekday + 1) % 7, b.weekday);
        assert_true(a.weekday >= 0 && a.weekday <= 6);
    }
}

/* ------------------------------------------------------------------ local time */

static void test_business_day_boundary(void **state)
{
    (void)state;
    char day[11];
    civil_time t;

    /* 23:59:59 local on the 16th: still the 16th's business day (a Friday). */
    bizday_format_day(T_2026_10_16_155959Z, SH, day);
    assert_string_equal(day, "2026-10-16");
    bizday_local(T_2026_10_16_155959Z, SH, &t);
    assert_int_equal(t.year, 2026);
    assert_int_equal(t.month, 10);
    assert_int_equal(t.day, 16);
    assert_int_equal(t.hour, 23);
    assert_int_equal(t.minute, 59);
    assert_int_equal(t.second, 59);
    assert_int_equal(t.weekday, 5);

    /* One second later, 16:00Z, is midnight in Shanghai: the 17th (Saturday, 扶贫日 Oct 17). */
    bizday_format_day(T_2026_10_16_155959Z + 1, SH, day);
    assert_string_equal(day, "2026-10-17");
    bizday_local(T_2026_10_16_155959Z + 1, SH, &t);
    assert_int_equal(t.hour, 0);
    assert_int_equal(t.weekday, 6);

    /* In UTC the same instant is still the 16th: the offset matters. */
    bizday_format_day(T_2026_10_16_155959Z + 1, 0, day);
    assert_string_equal(day, "2026-10-16");

    /* Early morning local is the previous UTC date. */
    bizday_format_day(T_2026_10_16_155959Z + 1 - 9 * 3600, SH, day); /* 15:00 local, 16th */
    assert_string_equal(day, "2026-10-16");
    bizday_format_day(T_2026_10_16_155959Z + 1 - 24 * 3600, SH, day); /* 00:00 local 16th */
    assert_string_equal(day, "2026-10-16");
    bizday_format_day(T_2026_10_16_155959Z - 24 * 3600, SH, day);
    assert_string_equal(day, "2026-10-15");
}

static void test_negative_offsets_and_epoch(void **state)
{
    (void)state;
    char day[11];
    civil_time t;
    bizday_local(0, -300, &t); /* 1969-12-31T19:00 at UTC-5 */
    assert_int_equal(t.year, 1969);
    assert_int_equal(t.month, 12);
    assert_int_equal(t.day, 31);
    assert_int_equal(t.hour, 19);
    assert_int_equal(t.weekday, 3);
    bizday_local(-1, 0, &t);
    assert_int_equal(t.hour, 23);
    assert_int_equal(t.minute, 59);
    assert_int_equal(t.second, 59);
    bizday_format_day(-1, 0, day);
    assert_string_equal(day, "1969-12-31");
    bizday_format_day(0, 330, day);
    assert_string_equal(day, "1970-01-01");
}

static void test_extreme_instants_do_not_crash(void **state)
{
    (void)state;
    civil_time t;
    char iso[32];
    bizday_local(INT64_MAX, SH, &t);
    bizday_local(INT64_MIN, -SH, &t);
    bizday_format_iso8601(INT64_MAX, SH, iso);
    assert_int_equal(strlen(iso), 25);
    bizday_format_iso8601(INT64_MIN, -SH, iso);
    assert_int_equal(strlen(iso), 25);
}

/* ------------------------------------------------------------------ ISO 8601 */

typedef struct {
    const char *text;
    int default_offset;
    bool ok;
    int64_t utc;
} iso_case;

static const iso_case iso_cases[] = {
    {"2026-10-16T23:59:59+08:00", 0, true, T_2026_10_16_155959Z},
    {"2026-10-16T15:59:59Z", SH, true, T_2026_10_16_155959Z},
    {"2026-10-16T15:59:59+00:00", SH, true, T_2026_10_16_155959Z},
    {"2026-10-16T23:59:59", SH, true, T_2026_10_16_155959Z}, /* no zone: the store's */
    {"2026-10-16T15:59:59", 0, true, T_2026_10_16_155959Z},
    {"2026-10-16T10:30:00+08:00", 0, true, INT64_C(1792117800)},
    {"2026-10-16T10:30+08:00", 0, true, INT64_C(1792117800)},  /* seconds optional */
    {"2026-10-16T10:30", SH, true, INT64_C(1792117800)},
    {"2026-10-15T21:30:00-05:00", 0, true, INT64_C(1792117800)},
    {"2026-10-16T08:00:00+05:30", 0, true, INT64_C(1792117800)},
    {"1970-01-01T00:00:00Z", 0, true, 0},
    {"1969-12-31T23:59:59Z", 0, true, -1},
    {"2024-02-29T12:00:00Z", 0, true, INT64_C(19782) * 86400 + 43200},
    /* invalid */
    {"2026-02-30T10:00:00Z", 0, false, 0},  /* Feb 30 */
    {"2025-02-29T10:00:00Z", 0, false, 0},  /* not a leap year */
    {"1900-02-29T10:00:00Z", 0, false, 0},  /* century, not leap */
    {"2026-13-01T10:00:00Z", 0, false, 0},  /* month 13 */
    {"2026-00-10T10:00:00Z", 0, false, 0},
    {"2026-04-31T10:00:00Z", 0, false, 0},
    {"2026-10-00T10:00:00Z", 0, false, 0},
    {"2026-10-16T24:00:00Z", 0, false, 0},
    {"2026-10-16T10:60:00Z", 0, false, 0},
    {"2026-10-16T10:30:60Z", 0, false, 0},
    {"2026-10-16", 0, false, 0},            /* date only */
    {"2026-10-16T", 0, false, 0},
    {"2026-10-16T10", 0, false, 0},
    {"2026-10-16 10:30:00", 0, false, 0},   /* space instead of T */
    {"2026-10-16T10:30:00+0800", 0, false, 0},
    {"2026-10-16T10:30:00+08", 0, false, 0},
    {"2026-10-16T10:30:00+24:00", 0, false, 0},
    {"2026-10-16T10:30:00+08:60", 0, false, 0},
    {"2026-10-16T10:30:00Zjunk", 0, false, 0},
    {"2026-10-16T10:30:00.5Z", 0, false, 0},
    {"26-10-16T10:30:00Z", 0, false, 0},
    {"2026-1-16T10:30:00Z", 0, false, 0},
    {"2026/10/16T10:30:00Z", 0, false, 0},
    {"", 0, false, 0},
    {"T", 0, false, 0},
};

static void test_parse_iso_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof iso_cases / sizeof iso_cases[0]; i++) {
        const iso_case *c = &iso_cases[i];
        int64_t utc = 424242;
        bool ok = bizday_parse_iso8601(c->text, c->default_offset, &utc);
        if (ok != c->ok || (ok && utc != c->utc))
            fail_msg("case %zu \"%s\": got ok=%d utc=%lld, want ok=%d utc=%lld", i, c->text,
                     ok, (long long)utc, c->ok, (long long)c->utc);
        if (!ok && utc != 424242)
            fail_msg("case %zu: output written on failure", i);
    }
    assert_false(bizday_parse_iso8601(NULL, 0, NULL));
    assert_true(bizday_parse_iso8601("2026-10-16T10:30:00Z", 0, NULL));
}

static void test_format_iso(void **state)
{
    (void)state;
    char out[32];
    bizday_format_iso8601(INT64_C(1792117800), SH, out);
    assert_string_equal(out, "2026-10-16T10:30:00+08:00");
    bizday_format_iso8601(INT64_C(1792117800), 0, out);
    assert_string_equal(out, "2026-10-16T02:30:00+00:00");
    bizday_format_iso8601(INT64_C(1792117800), -300, out);
    assert_string_equal(out, "2026-10-15T21:30:00-05:00");
    bizday_format_iso8601(INT64_C(1792117800), 330, out);
    assert_string_equal(out, "2026-10-16T08:00:00+05:30");
    bizday_format_iso8601(T_2026_10_16_155959Z, SH, out);
    assert_string_equal(out, "2026-10-16T23:59:59+08:00");
    bizday_format_iso8601(0, 0, out);
    assert_string_equal(out, "1970-01-01T00:00:00+00:00");
}

static void test_iso_round_trip(void **state)
{
    (void)state;
    const int offsets[] = {SH, 0, -300, 330, 545, -720, 840};
    for (int64_t t = -INT64_C(2000000000); t < INT64_C(4000000000); t += 7777777) {
        for (size_t k = 0; k < sizeof offsets / sizeof offsets[0]; k++) {
            char out[32];
            int64_t back = 0;
            bizday_format_iso8601(t, offsets[k], out);
            assert_true(bizday_parse_iso8601(out, 12345, &back));
            if (back != t)
                fail_msg("%s -> %lld, want %lld", out, (long long)back, (long long)t);
        }
    }
}

typedef struct {
    const char *text;
    bool ok;
} valid_case;

static const valid_case valid_cases[] = {
    {"2026-10-16", true},
    {"2024-02-29", true},
    {"2000-02-29", true},
    {"2026-12-31", true},
    {"2026-01-01", true},
    {"0001-01-01", true},
    {"2026-02-30", false},
    {"2026-02-29", false},
    {"1900-02-29", false},
    {"2026-13-01", false},
    {"2026-00-01", false},
    {"2026-06-31", false},
    {"2026-10-32", false},
    {"2026-10-00", false},
    {"2026-10-16 ", false},
    {" 2026-10-16", false},
    {"2026-10-16T00:00", false},
    {"2026-10-1", false},
    {"2026-1-16", false},
    {"20261016", false},
    {"2026/10/16", false},
    {"abcd-ef-gh", false},
    {"", false},
};

static void test_valid_day(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof valid_cases / sizeof valid_cases[0]; i++)
        if (bizday_valid_day(valid_cases[i].text) != valid_cases[i].ok)
            fail_msg("\"%s\": want %d", valid_cases[i].text, valid_cases[i].ok);
    assert_false(bizday_valid_day(NULL));
    /* The numeric form the lunar and promotion code use. */
    assert_true(bizday_civil_valid(2024, 2, 29));
    assert_true(bizday_civil_valid(2000, 2, 29));
    assert_false(bizday_civil_valid(1900, 2, 29));
    assert_false(bizday_civil_valid(2026, 4, 31));
    assert_true(bizday_civil_valid(2026, 12, 31));
    assert_false(bizday_civil_valid(2026, 0, 1));
    assert_false(bizday_civil_valid(2026, 13, 1));
    assert_false(bizday_civil_valid(2026, 1, 0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_days),
        cmocka_unit_test(test_round_trip_wide_range),
        cmocka_unit_test(test_weekday_cycle),
        cmocka_unit_test(test_business_day_boundary),
        cmocka_unit_test(test_negative_offsets_and_epoch),
        cmocka_unit_test(test_extreme_instants_do_not_crash),
        cmocka_unit_test(test_parse_iso_table),
        cmocka_unit_test(test_format_iso),
        cmocka_unit_test(test_iso_round_trip),
        cmocka_unit_test(test_valid_day),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
