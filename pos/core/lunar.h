/* lunar: the Chinese lunisolar calendar (农历), computed from astronomy -- no table of dates.
 *
 * The calendar follows the rules of the current national standard (GB/T 33661-2017, the rules
 * the Purple Mountain Observatory and the Hong Kong Observatory publish by):
 *   1. days run midnight to midnight in China Standard Time (UTC+8, the 120°E meridian);
 *   2. a month starts on the day (CST) of an astronomical new moon;
 *   3. the month containing the winter solstice (冬至, sun's apparent longitude 270°) is
 *      month 11;
 *   4. when 13 new moons separate the month-11 starts of two consecutive solstices (a leap
 *      suì, 岁), the first month of that suì without a principal term (中气: longitude a
 *      multiple of 30°) is the leap month (闰月) and takes the number of the month before it;
 *   5. the lunar year (年) begins with month 1 (正月), whose first day is Spring Festival.
 *
 * Astronomy (all computed in Terrestrial Time, then shifted to UT with ΔT and to CST):
 *   - new moons: Meeus, "Astronomical Algorithms" 2nd ed., ch. 49 (mean lunation + 25 periodic
 *     and 14 planetary terms; Meeus gives a worst error of ~17 s against ELP-2000/82);
 *   - the Sun's apparent longitude: VSOP87 Earth series truncated as in Meeus Appendix III /
 *     NREL SPA (Reda & Andreas 2004), + FK5 correction, nutation in longitude (Meeus ch. 22
 *     short series) and aberration: ~1" (≈ 25 s of time near a solar term);
 *   - ΔT = TT − UT: the Espenak & Meeus polynomials (NASA eclipse pages, 2006).
 * Whole-day results can only differ from the published almanac when a new moon or principal
 * term falls within about a minute of CST midnight; the Hong Kong Observatory itself flags
 * the new moons of 2057-09-28, 2089-09-04 and 2097-08-07 as such (ΔT decades ahead is
 * uncertain by minutes).  tests/core/test_lunar.c checks 1950-2100 against published dates.
 *
 * Dates are counted as days since 1970-01-01 (the bizday_days_from_civil convention).
 * Valid range: solar dates LUNAR_MIN_SOLAR_YEAR-01-01 .. LUNAR_MAX_SOLAR_YEAR-12-31, lunar
 * years LUNAR_MIN_YEAR .. LUNAR_MAX_YEAR (1949 holds Jan-Feb 1950).
 *
 * Purity: no I/O, no clock, no allocation.  Computing one suì costs ~0.2 ms, so the module
 * memoises the last few suìs in a small per-thread (_Thread_local) cache: results are the same
 * with or without it, and threads never share it. */
#ifndef FUPIN_CORE_LUNAR_H
#define FUPIN_CORE_LUNAR_H

#include <stdbool.h>
#include <stdint.h>

#define LUNAR_MIN_SOLAR_YEAR 1950
#define LUNAR_MAX_SOLAR_YEAR 2100
#define LUNAR_MIN_YEAR 1949
#define LUNAR_MAX_YEAR 2100

typedef enum {
    LUNAR_OK = 0,
    LUNAR_ERR_RANGE,      /* outside the supported years */
    LUNAR_ERR_DATE,       /* no such date: bad month/day, day 30 of a 29-day month, leap
                           * month the year does not have, invalid Gregorian date */
} lunar_err;

const char *lunar_strerror(lunar_err err);

typedef struct {
    int year;             /* lunar year: the Gregorian year its month 1 (Spring Festival) is in */
    int month;            /* 1..12 */
    int day;              /* 1..30 */
    bool leap;            /* a leap month (闰月), numbered like the month before it */
} lunar_date;

/* One lunar year: its 12 or 13 months in order. */
#define LUNAR_MAX_MONTHS 13
typedef struct {
    int year;
    int n_months;                           /* 12, or 13 with a leap month */
    int leap_month;                         /* 0 = none, else the number the leap month repeats */
    int month_no[LUNAR_MAX_MONTHS];         /* 1..12 */
    bool month_leap[LUNAR_MAX_MONTHS];
    int64_t start_days[LUNAR_MAX_MONTHS + 1]; /* first day of each month; [n_months] = next year's 1/1 */
} lunar_year_info;

/* Solar (Gregorian) -> lunar. */
lunar_err lunar_from_days(int64_t days, lunar_date *out);
lunar_err lunar_from_solar(int y, int m, int d, lunar_date *out);

/* Lunar -> solar: the given month/day of lunar year `lyear` (leap selects the leap month). */
lunar_err lunar_to_days(int lyear, int lmonth, int lday, bool leap, int64_t *days_out);
lunar_err lunar_to_solar(int lyear, int lmonth, int lday, bool leap, int *y, int *m, int *d);

/* Every month of lunar year `lyear`. */
lunar_err lunar_year_months(int lyear, lunar_year_info *out);
/* Number of the month a leap month repeats in lunar year `lyear`, 0 when none (or out of range). */
int lunar_leap_month(int lyear);
/* Days (29 or 30) of a lunar month, 0 when the month does not exist. */
int lunar_month_length(int lyear, int lmonth, bool leap);

/* Spring Festival (lunar 1/1) and Mid-Autumn (lunar 8/15) of Gregorian year y: both always
 * fall inside y.  False when y is outside the supported years. */
bool lunar_spring_festival(int y, int *m, int *d);
bool lunar_mid_autumn(int y, int *m, int *d);

/* --- the astronomy underneath, exposed for tests and for solar-term display ------------- */

/* Julian Ephemeris Day (TT) of true new moon number k (k = 0: 2000-01-06). */
double lunar_astro_new_moon_jde(int k);
/* Apparent geocentric ecliptic longitude of the Sun, degrees [0, 360), at JDE (TT). */
double lunar_astro_sun_longitude(double jde);
/* JDE (TT) when the Sun's apparent longitude reaches `degrees` near the estimate jde_guess. */
double lunar_astro_sun_reaches(double degrees, double jde_guess);
/* ΔT = TT − UT in seconds for a decimal year (Espenak & Meeus). */
double lunar_astro_delta_t(double decimal_year);
/* The CST civil day (days since 1970-01-01) of an instant given as JDE (TT). */
int64_t lunar_astro_cst_day(double jde);
/* Seconds since the Unix epoch (UTC) of an instant given as JDE (TT), rounded. */
int64_t lunar_astro_utc_seconds(double jde);

#endif
