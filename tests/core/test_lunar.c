/* Tests for pos/core/lunar: the computed Chinese calendar against published dates.
 *
 * Where the expected dates come from (each checked independently of this code):
 *   - kFestivals (Spring Festival = lunar 1/1, Mid-Autumn = lunar 8/15, leap month, 1950-2100)
 *     is the output of the npm package lunar-javascript 1.7.7 (6tail; its calendar follows the
 *     寿星天文历 / sxwnl astronomical computation of 许剑伟, with the official almanac's
 *     historical corrections), and agrees for every year 1950-2049 with the Debian package
 *     `lunar` 2.2 (a table published with the program, 1900-2049), except Mid-Autumn 1978 where
 *     the table says 09-16: the new moon was 1978-09-03 00:09 CST (astronomy-engine 2.1.19,
 *     Meeus ch. 49 alike), so month 8 began on Sep 3 and Mid-Autumn was Sep 17.  We compared
 *     every day 1950-01-01..2100-12-31 (55,152 days) with lunar-javascript: identical except
 *     lunar 2057 month 9, see kUncertain below.
 *   - Spring Festival 1996-2019: the list published in Wikipedia's "Chinese New Year" article
 *     (reproduced at https://101kidz.com/holidays/chinese/calendar.html).
 *   - Hong Kong Observatory, Gregorian-Lunar Calendar Conversion Table
 *     (https://www.hko.gov.hk/en/gts/time/conversion.htm): its note lists the new moons of
 *     2057-09-28, 2089-09-04 and 2097-08-07 and the winter solstice 2021 as within minutes of
 *     midnight (quoted at https://inartio.net/Gregorian-Lunar+calendar+conversion), and its
 *     blog "Which day is the Tuen Ng Festival for this year (2013)?" (3 May 2013) gives lunar
 *     5/1 of 2013 = 2013-06-08 and warns of two folk dates for the Lunar New Year of 2030.
 *   - Winter solstices 2016-12-21 10:44 UTC and 2017-12-21 16:28 UTC: "Astronomical Phenomena
 *     for the Year 2016/2017" (USNO/HMNAO) as quoted by Y. T. Liu,
 *     https://ytliu0.github.io/ChineseCalendar/examples.html.
 *   - New moon k = -283 (1977-02-18, JDE 2443192.65118): Meeus, Astronomical Algorithms,
 *     example 49.a. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "pos/core/bizday.h"
#include "pos/core/lunar.h"

typedef struct {
    int year;
    int sf_m, sf_d;   /* Spring Festival */
    int ma_m, ma_d;   /* Mid-Autumn */
    int leap;         /* leap month of that lunar year, 0 = none */
} festival_row;

static const festival_row kFestivals[] = {
    {1950, 2, 17, 9, 26, 0}, {1951, 2, 6, 9, 15, 0}, {1952, 1, 27, 10, 3, 5},
    {1953, 2, 14, 9, 22, 0}, {1954, 2, 3, 9, 11, 0}, {1955, 1, 24, 9, 30, 3},
    {1956, 2, 12, 9, 19, 0}, {1957, 1, 31, 9, 8, 8}, {1958, 2, 18, 9, 27, 0},
    {1959, 2, 8, 9, 17, 0}, {1960, 1, 28, 10, 5, 6}, {1961, 2, 15, 9, 24, 0},
    {1962, 2, 5, 9, 13, 0}, {1963, 1, 25, 10, 2, 4}, {1964, 2, 13, 9, 20, 0},
    {1965, 2, 2, 9, 10, 0}, {1966, 1, 21, 9, 29, 3}, {1967, 2, 9, 9, 18, 0},
    {1968, 1, 30, 10, 6, 7}, {1969, 2, 17, 9, 26, 0}, {1970, 2, 6, 9, 15, 0},
    {1971, 1, 27, 10, 3, 5}, {1972, 2, 15, 9, 22, 0}, {1973, 2, 3, 9, 11, 0},
    {1974, 1, 23, 9, 30, 4}, {1975, 2, 11, 9, 20, 0}, {1976, 1, 31, 9, 8, 8},
    {1977, 2, 18, 9, 27, 0}, {1978, 2, 7, 9, 17, 0}, {1979, 1, 28, 10, 5, 6},
    {1980, 2, 16, 9, 23, 0}, {1981, 2, 5, 9, 12, 0}, {1982, 1, 25, 10, 1, 4},
    {1983, 2, 13, 9, 21, 0}, {1984, 2, 2, 9, 10, 10}, {1985, 2, 20, 9, 29, 0},
    {1986, 2, 9, 9, 18, 0}, {1987, 1, 29, 10, 7, 6}, {1988, 2, 17, 9, 25, 0},
    {1989, 2, 6, 9, 14, 0}, {1990, 1, 27, 10, 3, 5}, {1991, 2, 15, 9, 22, 0},
    {1992, 2, 4, 9, 11, 0}, {1993, 1, 23, 9, 30, 3}, {1994, 2, 10, 9, 20, 0},
    {1995, 1, 31, 9, 9, 8}, {1996, 2, 19, 9, 27, 0}, {1997, 2, 7, 9, 16, 0},
    {1998, 1, 28, 10, 5, 5}, {1999, 2, 16, 9, 24, 0}, {2000, 2, 5, 9, 12, 0},
    {2001, 1, 24, 10, 1, 4}, {2002, 2, 12, 9, 21, 0}, {2003, 2, 1, 9, 11, 0},
    {2004, 1, 22, 9, 28, 2}, {2005, 2, 9, 9, 18, 0}, {2006, 1, 29, 10, 6, 7},
    {2007, 2, 18, 9, 25, 0}, {2008, 2, 7, 9, 14, 0}, {2009, 1, 26, 10, 3, 5},
    {2010, 2, 14, 9, 22, 0}, {2011, 2, 3, 9, 12, 0}, {2012, 1, 23, 9, 30, 4},
    {2013, 2, 10, 9, 19, 0}, {2014, 1, 31, 9, 8, 9}, {2015, 2, 19, 9, 27, 0},
    {2016, 2, 8, 9, 15, 0}, {2017, 1, 28, 10, 4, 6}, {2018, 2, 16, 9, 24, 0},
    {2019, 2, 5, 9, 13, 0}, {2020, 1, 25, 10, 1, 4}, {2021, 2, 12, 9, 21, 0},
    {2022, 2, 1, 9, 10, 0}, {2023, 1, 22, 9, 29, 2}, {2024, 2, 10, 9, 17, 0},
    {2025, 1, 29, 10, 6, 6}, {2026, 2, 17, 9, 25, 0}, {2027, 2, 6, 9, 15, 0},
    {2028, 1, 26, 10, 3, 5}, {2029, 2, 13, 9, 22, 0}, {2030, 2, 3, 9, 12, 0},
    {2031, 1, 23, 10, 1, 3}, {2032, 2, 11, 9, 19, 0}, {2033, 1, 31, 9, 8, 11},
    {2034, 2, 19, 9, 27, 0}, {2035, 2, 8, 9, 16, 0}, {2036, 1, 28, 10, 4, 6},
    {2037, 2, 15, 9, 24, 0}, {2038, 2, 4, 9, 13, 0}, {2039, 1, 24, 10, 2, 5},
    {2040, 2, 12, 9, 20, 0}, {2041, 2, 1, 9, 10, 0}, {2042, 1, 22, 9, 28, 2},
    {2043, 2, 10, 9, 17, 0}, {2044, 1, 30, 10, 5, 7}, {2045, 2, 17, 9, 25, 0},
    {2046, 2, 6, 9, 15, 0}, {2047, 1, 26, 10, 4, 5}, {2048, 2, 14, 9, 22, 0},
    {2049, 2, 2, 9, 11, 0}, {2050, 1, 23, 9, 30, 3}, {2051, 2, 11, 9, 19, 0},
    {2052, 2, 1, 9, 7, 8}, {2053, 2, 19, 9, 26, 0}, {2054, 2, 8, 9, 16, 0},
    {2055, 1, 28, 10, 5, 6}, {2056, 2, 15, 9, 24, 0}, {2057, 2, 4, 9, 13, 0},
    {2058, 1, 24, 10, 2, 4}, {2059, 2, 12, 9, 21, 0}, {2060, 2, 2, 9, 9, 0},
    {2061, 1, 21, 9, 28, 3}, {2062, 2, 9, 9, 17, 0}, {2063, 1, 29, 10, 6, 7},
    {2064, 2, 17, 9, 25, 0}, {2065, 2, 5, 9, 15, 0}, {2066, 1, 26, 10, 3, 5},
    {2067, 2, 14, 9, 23, 0}, {2068, 2, 3, 9, 11, 0}, {2069, 1, 23, 9, 29, 4},
    {2070, 2, 11, 9, 19, 0}, {2071, 1, 31, 9, 8, 8}, {2072, 2, 19, 9, 26, 0},
    {2073, 2, 7, 9, 16, 0}, {2074, 1, 27, 10, 5, 6}, {2075, 2, 15, 9, 24, 0},
    {2076, 2, 5, 9, 12, 0}, {2077, 1, 24, 10, 1, 4}, {2078, 2, 12, 9, 20, 0},
    {2079, 2, 2, 9, 10, 0}, {2080, 1, 22, 9, 28, 3}, {2081, 2, 9, 9, 17, 0},
    {2082, 1, 29, 10, 6, 7}, {2083, 2, 17, 9, 26, 0}, {2084, 2, 6, 9, 14, 0},
    {2085, 1, 26, 10, 3, 5}, {2086, 2, 14, 9, 22, 0}, {2087, 2, 3, 9, 11, 0},
    {2088, 1, 24, 9, 29, 4}, {2089, 2, 10, 9, 18, 0}, {2090, 1, 30, 9, 8, 8},
    {2091, 2, 18, 9, 27, 0}, {2092, 2, 7, 9, 16, 0}, {2093, 1, 27, 10, 5, 6},
    {2094, 2, 15, 9, 24, 0}, {2095, 2, 5, 9, 13, 0}, {2096, 1, 25, 9, 30, 4},
    {2097, 2, 12, 9, 20, 0}, {2098, 2, 1, 9, 9, 0}, {2099, 1, 21, 9, 29, 2},
    {2100, 2, 9, 9, 18, 0},};

static void test_festivals_1950_2100(void **state)
{
    (void)state;
    assert_int_equal(sizeof kFestivals / sizeof kFestivals[0], 2100 - 1950 + 1);
    for (size_t i = 0; i < sizeof kFestivals / sizeof kFestivals[0]; i++) {
        const festival_row *r = &kFestivals[i];
        int m = 0, d = 0;
        assert_true(lunar_spring_festival(r->year, &m, &d));
        if (m != r->sf_m || d != r->sf_d)
            fail_msg("Spring Festival %d: got %02d-%02d, published %02d-%02d", r->year, m, d,
                     r->sf_m, r->sf_d);
        assert_true(lunar_mid_autumn(r->year, &m, &d));
        if (m != r->ma_m || d != r->ma_d)
            fail_msg("Mid-Autumn %d: got %02d-%02d, published %02d-%02d", r->year, m, d,
                     r->ma_m, r->ma_d);
        if (lunar_leap_month(r->year) != r->leap)
            fail_msg("leap month %d: got %d, published %d", r->year, lunar_leap_month(r->year),
                     r->leap);
    }
}

/* The 2020-2030 window the store runs in, spelled out so a reader sees the dates. */
static void test_festivals_2020_2030(void **state)
{
    (void)state;
    static const int sf[][3] = {
        {2020, 1, 25}, {2021, 2, 12}, {2022, 2, 1}, {2023, 1, 22}, {2024, 2, 10}, {2025, 1, 29},
        {2026, 2, 17}, {2027, 2, 6},  {2028, 1, 26}, {2029, 2, 13}, {2030, 2, 3},
    };
    static const int ma[][3] = {
        {2020, 10, 1}, {2021, 9, 21}, {2022, 9, 10}, {2023, 9, 29}, {2024, 9, 17}, {2025, 10, 6},
        {2026, 9, 25}, {2027, 9, 15}, {2028, 10, 3}, {2029, 9, 22}, {2030, 9, 12},
    };
    for (size_t i = 0; i < sizeof sf / sizeof sf[0]; i++) {
        int m, d;
        assert_true(lunar_spring_festival(sf[i][0], &m, &d));
        assert_int_equal(m * 100 + d, sf[i][1] * 100 + sf[i][2]);
        assert_true(lunar_mid_autumn(ma[i][0], &m, &d));
        assert_int_equal(m * 100 + d, ma[i][1] * 100 + ma[i][2]);
    }
}

static void test_spring_festival_1996_2019_wikipedia(void **state)
{
    (void)state;
    static const int sf[][2] = {
        {2, 19}, {2, 7}, {1, 28}, {2, 16}, {2, 5},  {1, 24}, {2, 12}, {2, 1},
        {1, 22}, {2, 9}, {1, 29}, {2, 18}, {2, 7},  {1, 26}, {2, 14}, {2, 3},
        {1, 23}, {2, 10}, {1, 31}, {2, 19}, {2, 8}, {1, 28}, {2, 16}, {2, 5},
    };
    for (int y = 1996; y <= 2019; y++) {
        int m, d;
        assert_true(lunar_spring_festival(y, &m, &d));
        assert_int_equal(m * 100 + d, sf[y - 1996][0] * 100 + sf[y - 1996][1]);
    }
}

static void test_leap_months(void **state)
{
    (void)state;
    static const int leaps[][2] = {
        {1984, 10}, {1987, 6}, {1995, 8}, {2001, 4}, {2004, 2}, {2006, 7}, {2009, 5},
        {2012, 4},  {2014, 9}, {2017, 6}, {2020, 4}, {2023, 2}, {2025, 6}, {2028, 5},
        {2031, 3},  {2033, 11},
    };
    for (size_t i = 0; i < sizeof leaps / sizeof leaps[0]; i++)
        assert_int_equal(lunar_leap_month(leaps[i][0]), leaps[i][1]);
    assert_int_equal(lunar_leap_month(2024), 0);
    assert_int_equal(lunar_leap_month(2026), 0);

    lunar_year_info info;
    assert_int_equal(lunar_year_months(2025, &info), LUNAR_OK);
    assert_int_equal(info.n_months, 13);
    assert_int_equal(info.month_no[6], 6);
    assert_true(info.month_leap[6]);
    /* 2025: 闰六月 ran 2025-07-25 .. 2025-08-22 (29 days). */
    assert_int_equal(info.start_days[6], bizday_days_from_civil(2025, 7, 25));
    assert_int_equal(lunar_month_length(2025, 6, true), 29);
    int y, m, d;
    assert_int_equal(lunar_to_solar(2025, 6, 1, true, &y, &m, &d), LUNAR_OK);
    assert_int_equal(y * 10000 + m * 100 + d, 20250725);
    lunar_date l;
    assert_int_equal(lunar_from_solar(2025, 8, 1, &l), LUNAR_OK);
    assert_int_equal(l.year, 2025);
    assert_int_equal(l.month, 6);
    assert_true(l.leap);
    assert_int_equal(l.day, 8);
    /* 2020 闰四月 began 2020-05-23; 2023 闰二月 began 2023-03-22. */
    assert_int_equal(lunar_to_solar(2020, 4, 1, true, &y, &m, &d), LUNAR_OK);
    assert_int_equal(y * 10000 + m * 100 + d, 20200523);
    assert_int_equal(lunar_to_solar(2023, 2, 1, true, &y, &m, &d), LUNAR_OK);
    assert_int_equal(y * 10000 + m * 100 + d, 20230322);
}

/* Known hard cases. */
static void test_hard_cases(void **state)
{
    (void)state;
    int y, m, d;
    lunar_date l;
    /* 1985: Spring Festival on Feb 20, the latest date of the century. */
    assert_true(lunar_spring_festival(1985, &m, &d));
    assert_int_equal(m * 100 + d, 220);
    /* 2033: the leap month follows month 11 (the "2033 problem"); New Year 2034 therefore
     * falls on the third new moon after the solstice. */
    assert_int_equal(lunar_leap_month(2033), 11);
    assert_int_equal(lunar_to_solar(2033, 11, 1, true, &y, &m, &d), LUNAR_OK);
    assert_int_equal(y * 10000 + m * 100 + d, 20331222);
    assert_true(lunar_spring_festival(2034, &m, &d));
    assert_int_equal(m * 100 + d, 219);
    /* 1978 Mid-Autumn: new moon 00:09 CST on Sep 3. */
    assert_true(lunar_mid_autumn(1978, &m, &d));
    assert_int_equal(m * 100 + d, 917);
    /* HKO blog: lunar 5/1 of 2013 was 2013-06-08 (folk calendars said Jun 9). */
    assert_int_equal(lunar_to_solar(2013, 5, 1, false, &y, &m, &d), LUNAR_OK);
    assert_int_equal(y * 10000 + m * 100 + d, 20130608);
    /* 2030 New Year: new moon 00:08 CST Feb 3 (the HKO blog warns folk calendars differ). */
    assert_int_equal(lunar_from_solar(2030, 2, 3, &l), LUNAR_OK);
    assert_int_equal(l.month * 100 + l.day, 101);
    /* 2027 New Year: new moon 23:56 CST Feb 6. */
    assert_int_equal(lunar_from_solar(2027, 2, 6, &l), LUNAR_OK);
    assert_int_equal(l.month * 100 + l.day, 101);
    /* kUncertain: lunar 2057 month 9 begins at a new moon within seconds of midnight (HKO
     * lists it as 2057-09-28; sxwnl says Sep 29).  No test can settle it; we only check that
     * the month exists and Mid-Autumn (month 8) is unaffected. */
    assert_int_equal(lunar_month_length(2057, 9, false) >= 29, 1);
    assert_true(lunar_mid_autumn(2057, &m, &d));
    assert_int_equal(m * 100 + d, 913);
}

/* Every day 1950-01-01 .. 2100-12-31: solar -> lunar -> solar is the identity, and the lunar
 * date advances by exactly one day (or starts a new month at 1 after day 29/30). */
static void test_round_trip_every_day(void **state)
{
    (void)state;
    int64_t first = bizday_days_from_civil(1950, 1, 1);
    int64_t last = bizday_days_from_civil(2100, 12, 31);
    lunar_date prev = {0};
    int months_seen = 0;
    for (int64_t day = first; day <= last; day++) {
        lunar_date l;
        assert_int_equal(lunar_from_days(day, &l), LUNAR_OK);
        int64_t back = 0;
        if (lunar_to_days(l.year, l.month, l.day, l.leap, &back) != LUNAR_OK || back != day) {
            int y, m, d;
            bizday_civil_from_days(day, &y, &m, &d);
            fail_msg("%04d-%02d-%02d -> %d/%d%s/%d does not come back", y, m, d, l.year,
                     l.month, l.leap ? "L" : "", l.day);
        }
        if (day > first) {
            if (l.day == 1) {
                assert_true(prev.day == 29 || prev.day == 30);
                months_seen++;
                if (l.leap)
                    assert_int_equal(l.month, prev.month);
                else if (l.month == 1)
                    assert_int_equal(l.year, prev.year + 1);
                else
                    assert_int_equal(l.month, prev.month + 1);
            } else {
                assert_int_equal(l.day, prev.day + 1);
                assert_int_equal(l.month, prev.month);
                assert_int_equal(l.leap, prev.leap);
                assert_int_equal(l.year, prev.year);
            }
        }
        prev = l;
    }
    /* 151 years ≈ 1867.6 synodic months. */
    assert_in_range(months_seen, 1866, 1869);
}

static void test_year_lengths(void **state)
{
    (void)state;
    for (int y = 1950; y <= 2100; y++) {
        lunar_year_info info;
        assert_int_equal(lunar_year_months(y, &info), LUNAR_OK);
        int64_t len = info.start_days[info.n_months] - info.start_days[0];
        if (info.n_months == 12) {
            assert_int_equal(info.leap_month, 0);
            assert_in_range(len, 353, 355);
        } else {
            assert_int_equal(info.n_months, 13);
            assert_in_range(info.leap_month, 1, 12);
            assert_in_range(len, 383, 385);
        }
    }
}

static void test_astronomy(void **state)
{
    (void)state;
    /* Meeus example 49.a: k = -283, JDE 2443192.65118. */
    double jde = lunar_astro_new_moon_jde(-283);
    assert_true(jde > 2443192.65118 - 0.00001 && jde < 2443192.65118 + 0.00001);
    /* Winter solstices from the almanac, to within 2 minutes (it rounds to the minute). */
    double ws16 = lunar_astro_sun_reaches(270.0, 2457744.0);
    int64_t s16 = lunar_astro_utc_seconds(ws16);
    int64_t want16 = bizday_days_from_civil(2016, 12, 21) * 86400 + 10 * 3600 + 44 * 60;
    assert_in_range(s16, want16 - 120, want16 + 120);
    double ws17 = lunar_astro_sun_reaches(270.0, 2458109.0);
    int64_t s17 = lunar_astro_utc_seconds(ws17);
    int64_t want17 = bizday_days_from_civil(2017, 12, 21) * 86400 + 16 * 3600 + 28 * 60;
    assert_in_range(s17, want17 - 120, want17 + 120);
    /* …which is 2017-12-22 00:28 in CST: the solstice *day* in China is the 22nd. */
    assert_int_equal(lunar_astro_cst_day(ws17), bizday_days_from_civil(2017, 12, 22));
    double lon = lunar_astro_sun_longitude(ws17);
    assert_true(lon > 269.99999 && lon < 270.00001);
    /* ΔT: ~63.8 s in 2000 (measured), ~29 s in 1950. */
    assert_true(lunar_astro_delta_t(2000.0) > 63 && lunar_astro_delta_t(2000.0) < 65);
    assert_true(lunar_astro_delta_t(1950.0) > 28 && lunar_astro_delta_t(1950.0) < 30);
}

static void test_errors(void **state)
{
    (void)state;
    lunar_date l;
    int y, m, d;
    int64_t days;
    assert_int_equal(lunar_from_solar(1949, 12, 31, &l), LUNAR_ERR_RANGE);
    assert_int_equal(lunar_from_solar(2101, 1, 1, &l), LUNAR_ERR_RANGE);
    assert_int_equal(lunar_from_solar(2023, 2, 29, &l), LUNAR_ERR_DATE);
    assert_int_equal(lunar_from_solar(2024, 13, 1, &l), LUNAR_ERR_DATE);
    assert_int_equal(lunar_from_solar(2024, 2, 29, &l), LUNAR_OK);
    assert_int_equal(lunar_from_solar(1950, 1, 1, &l), LUNAR_OK);
    assert_int_equal(l.year, 1949);
    assert_int_equal(lunar_from_solar(2100, 12, 31, &l), LUNAR_OK);
    assert_int_equal(l.year, 2100);
    assert_int_equal(lunar_to_days(2024, 4, 1, true, &days), LUNAR_ERR_DATE);   /* no leap */
    assert_int_equal(lunar_to_days(2024, 0, 1, false, &days), LUNAR_ERR_DATE);
    assert_int_equal(lunar_to_days(2024, 1, 31, false, &days), LUNAR_ERR_DATE);
    assert_int_equal(lunar_to_days(1948, 1, 1, false, &days), LUNAR_ERR_RANGE);
    assert_int_equal(lunar_to_days(2101, 1, 1, false, &days), LUNAR_ERR_RANGE);
    /* Day 30 exists only in 30-day months. */
    int len = lunar_month_length(2026, 1, false);
    assert_true(len == 29 || len == 30);
    assert_int_equal(lunar_to_solar(2026, 1, 30, false, &y, &m, &d),
                     len == 30 ? LUNAR_OK : LUNAR_ERR_DATE);
    assert_int_equal(lunar_month_length(2026, 6, true), 0);
    assert_false(lunar_spring_festival(1949, &m, &d));
    assert_false(lunar_mid_autumn(2101, &m, &d));
    assert_non_null(lunar_strerror(LUNAR_ERR_DATE));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_festivals_1950_2100),
        cmocka_unit_test(test_festivals_2020_2030),
        cmocka_unit_test(test_spring_festival_1996_2019_wikipedia),
        cmocka_unit_test(test_leap_months),
        cmocka_unit_test(test_hard_cases),
        cmocka_unit_test(test_round_trip_every_day),
        cmocka_unit_test(test_year_lengths),
        cmocka_unit_test(test_astronomy),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
