/* lunar: the Chinese lunisolar calendar from astronomical new moons and solar terms.
 * See lunar.h for the rules and the sources of the series used here. */
#include "pos/core/lunar.h"

#include <math.h>
#include <stddef.h>

#include "pos/core/bizday.h"

#define PI 3.14159265358979323846
#define DEG (PI / 180.0)
#define J2000 2451545.0
#define UNIX_EPOCH_JD 2440587.5          /* 1970-01-01T00:00Z */
#define CST_OFFSET_DAYS (8.0 / 24.0)     /* China Standard Time, UTC+8 */
#define SYNODIC 29.530588861
#define TROPICAL 365.242189

const char *lunar_strerror(lunar_err err)
{
    switch (err) {
    case LUNAR_OK: return "ok";
    case LUNAR_ERR_RANGE: return "date outside the supported years (1950-2100)";
    case LUNAR_ERR_DATE: return "no such date";
    }
    return "unknown lunar error";
}

/* ------------------------------------------------------------------------------ ΔT */

/* Espenak & Meeus (2006) polynomial expressions for ΔT, NASA "Five Millennium Canon".  The
 * branch from 2005 on is a prediction: for 2100 it is uncertain by minutes, which is why the
 * almanac offices warn about near-midnight new moons decades ahead. */
double lunar_astro_delta_t(double y)
{
    double t;
    if (y < 1920) {
        t = y - 1900;
        return -2.79 + 1.494119 * t - 0.0598939 * t * t + 0.0061966 * t * t * t -
               0.000197 * t * t * t * t;
    }
    if (y < 1941) {
        t = y - 1920;
        return 21.20 + 0.84493 * t - 0.076100 * t * t + 0.0020936 * t * t * t;
    }
    if (y < 1961) {
        t = y - 1950;
        return 29.07 + 0.407 * t - t * t / 233.0 + t * t * t / 2547.0;
    }
    if (y < 1986) {
        t = y - 1975;
        return 45.45 + 1.067 * t - t * t / 260.0 - t * t * t / 718.0;
    }
    if (y < 2005) {
        t = y - 2000;
        return 63.86 + 0.3345 * t - 0.060374 * t * t + 0.0017275 * t * t * t +
               0.000651814 * t * t * t * t + 0.00002373599 * t * t * t * t * t;
    }
    if (y < 2050) {
        t = y - 2000;
        return 62.92 + 0.32217 * t + 0.005589 * t * t;
    }
    if (y < 2150) {
        double u = (y - 1820) / 100.0;
        return -20 + 32 * u * u - 0.5628 * (2150 - y);
    }
    double u = (y - 1820) / 100.0;
    return -20 + 32 * u * u;
}

static double jde_to_jd_ut(double jde)
{
    double year = 2000.0 + (jde - J2000) / 365.25;
    return jde - lunar_astro_delta_t(year) / 86400.0;
}

int64_t lunar_astro_cst_day(double jde)
{
    double local = jde_to_jd_ut(jde) + CST_OFFSET_DAYS;
    /* local - UNIX_EPOCH_JD is days since 1970-01-01T00:00 "local"; its floor is the civil day. */
    return (int64_t)floor(local - UNIX_EPOCH_JD);
}

int64_t lunar_astro_utc_seconds(double jde)
{
    return (int64_t)llround((jde_to_jd_ut(jde) - UNIX_EPOCH_JD) * 86400.0);
}

/* ------------------------------------------------------------------------ new moons */

/* Meeus ch. 49, true phase for q = 0 (new moon).  The periodic terms' argument names follow
 * the book: M the Sun's mean anomaly, Mp the Moon's, F the Moon's argument of latitude, Om the
 * longitude of the ascending node; E corrects for the decreasing eccentricity of Earth's orbit. */
double lunar_astro_new_moon_jde(int k_int)
{
    double k = (double)k_int;
    double T = k / 1236.85, T2 = T * T, T3 = T2 * T, T4 = T3 * T;
    double jde = 2451550.09766 + SYNODIC * k + 0.00015437 * T2 - 0.000000150 * T3 +
                 0.00000000073 * T4;
    double E = 1 - 0.002516 * T - 0.0000074 * T2;
    double M = (2.5534 + 29.10535670 * k - 0.0000014 * T2 - 0.00000011 * T3) * DEG;
    double Mp = (201.5643 + 385.81693528 * k + 0.0107582 * T2 + 0.00001238 * T3 -
                 0.000000058 * T4) * DEG;
    double F = (160.7108 + 390.67050284 * k - 0.0016118 * T2 - 0.00000227 * T3 +
                0.000000011 * T4) * DEG;
    double Om = (124.7746 - 1.56375588 * k + 0.0020672 * T2 + 0.00000215 * T3) * DEG;

    double c = -0.40720 * sin(Mp) + 0.17241 * E * sin(M) + 0.01608 * sin(2 * Mp) +
               0.01039 * sin(2 * F) + 0.00739 * E * sin(Mp - M) - 0.00514 * E * sin(Mp + M) +
               0.00208 * E * E * sin(2 * M) - 0.00111 * sin(Mp - 2 * F) -
               0.00057 * sin(Mp + 2 * F) + 0.00056 * E * sin(2 * Mp + M) -
               0.00042 * sin(3 * Mp) + 0.00042 * E * sin(M + 2 * F) +
               0.00038 * E * sin(M - 2 * F) - 0.00024 * E * sin(2 * Mp - M) -
               0.00017 * sin(Om) - 0.00007 * sin(Mp + 2 * M) + 0.00004 * sin(2 * Mp - 2 * F) +
               0.00004 * sin(3 * M) + 0.00003 * sin(Mp + M - 2 * F) +
               0.00003 * sin(2 * Mp + 2 * F) - 0.00003 * sin(Mp + M + 2 * F) +
               0.00003 * sin(Mp - M + 2 * F) - 0.00002 * sin(Mp - M - 2 * F) -
               0.00002 * sin(3 * Mp + M) + 0.00002 * sin(4 * Mp);

    /* Planetary arguments A1..A14 and their coefficients (days). */
    static const double a0[14] = { 299.77, 251.88, 251.83, 349.42, 84.66, 141.74, 207.14,
                                   154.84, 34.52,  207.19, 291.34, 161.72, 239.56, 331.55 };
    static const double a1[14] = { 0.107408,  0.016321, 26.651886, 36.412478, 18.206239,
                                   53.303771, 2.453732, 7.306860,  27.261239, 0.121824,
                                   1.844379,  24.198154, 25.513099, 3.592518 };
    static const double ac[14] = { 0.000325, 0.000165, 0.000164, 0.000126, 0.000110,
                                   0.000062, 0.000060, 0.000056, 0.000047, 0.000042,
                                   0.000040, 0.000037, 0.000035, 0.000023 };
    double w = 0;
    for (int i = 0; i < 14; i++) {
        double a = a0[i] + a1[i] * k;
        if (i == 0)
            a -= 0.009173 * T2;
        w += ac[i] * sin(a * DEG);
    }
    return jde + c + w;
}

/* ------------------------------------------------------------------------ the Sun */

/* VSOP87 Earth, heliocentric longitude L and radius R, truncated as in Meeus Appendix III
 * (the same series as NREL's SPA).  Each term is A cos(B + C τ), τ in Julian millennia from
 * J2000 (TT); sums are in 1e-8 rad / 1e-8 AU. */
typedef struct {
    double a, b, c;
} vsop_term;

static const vsop_term L0[] = {
    {175347046, 0, 0}, {3341656, 4.6692568, 6283.07585}, {34894, 4.6261, 12566.1517},
    {3497, 2.7441, 5753.3849}, {3418, 2.8289, 3.5231}, {3136, 3.6277, 77713.7715},
    {2676, 4.4181, 7860.4194}, {2343, 6.1352, 3930.2097}, {1324, 0.7425, 11506.7698},
    {1273, 2.0371, 529.691}, {1199, 1.1096, 1577.3435}, {990, 5.233, 5884.927},
    {902, 2.045, 26.298}, {857, 3.508, 398.149}, {780, 1.179, 5223.694},
    {753, 2.533, 5507.553}, {505, 4.583, 18849.228}, {492, 4.205, 775.523},
    {357, 2.92, 0.067}, {317, 5.849, 11790.629}, {284, 1.899, 796.298},
    {271, 0.315, 10977.079}, {243, 0.345, 5486.778}, {206, 4.806, 2544.314},
    {205, 1.869, 5573.143}, {202, 2.458, 6069.777}, {156, 0.833, 213.299},
    {132, 3.411, 2942.463}, {126, 1.083, 20.775}, {115, 0.645, 0.98},
    {103, 0.636, 4694.003}, {102, 0.976, 15720.839}, {102, 4.267, 7.114},
    {99, 6.21, 2146.17}, {98, 0.68, 155.42}, {86, 5.98, 161000.69},
    {85, 1.3, 6275.96}, {85, 3.67, 71430.7}, {80, 1.81, 17260.15},
    {79, 3.04, 12036.46}, {75, 1.76, 5088.63}, {74, 3.5, 3154.69},
    {74, 4.68, 801.82}, {70, 0.83, 9437.76}, {62, 3.98, 8827.39},
    {61, 1.82, 7084.9}, {57, 2.78, 6286.6}, {56, 4.39, 14143.5},
    {56, 3.47, 6279.55}, {52, 0.19, 12139.55}, {52, 1.33, 1748.02},
    {51, 0.28, 5856.48}, {49, 0.49, 1194.45}, {41, 5.37, 8429.24},
    {41, 2.4, 19651.05}, {39, 6.17, 10447.39}, {37, 6.04, 10213.29},
    {37, 2.57, 1059.38}, {36, 1.71, 2352.87}, {36, 1.78, 6812.77},
    {33, 0.59, 17789.85}, {30, 0.44, 83996.85}, {30, 2.74, 1349.87},
    {25, 3.16, 4690.48},
};
static const vsop_term L1[] = {
    {628331966747, 0, 0}, {206059, 2.678235, 6283.07585}, {4303, 2.6351, 12566.1517},
    {425, 1.59, 3.523}, {119, 5.796, 26.298}, {109, 2.966, 1577.344},
    {93, 2.59, 18849.23}, {72, 1.14, 529.69}, {68, 1.87, 398.15},
    {67, 4.41, 5507.55}, {59, 2.89, 5223.69}, {56, 2.17, 155.42},
    {45, 0.4, 796.3}, {36, 0.47, 775.52}, {29, 2.65, 7.11},
    {21, 5.34, 0.98}, {19, 1.85, 5486.78}, {19, 4.97, 213.3},
    {17, 2.99, 6275.96}, {16, 0.03, 2544.31}, {16, 1.43, 2146.17},
    {15, 1.21, 10977.08}, {12, 2.83, 1748.02}, {12, 3.26, 5088.63},
    {12, 5.27, 1194.45}, {12, 2.08, 4694.0}, {11, 0.77, 553.57},
    {10, 1.3, 6286.6}, {10, 4.24, 1349.87}, {9, 2.7, 242.73},
    {9, 5.64, 951.72}, {8, 5.3, 2352.87}, {6, 2.65, 9437.76},
    {6, 4.67, 4690.48},
};
static const vsop_term L2[] = {
    {52919, 0, 0}, {8720, 1.0721, 6283.0758}, {309, 0.867, 12566.152},
    {27, 0.05, 3.52}, {16, 5.19, 26.3}, {16, 3.68, 155.42},
    {10, 0.76, 18849.23}, {9, 2.06, 77713.77}, {7, 0.83, 775.52},
    {5, 4.66, 1577.34}, {4, 1.03, 7.11}, {4, 3.44, 5573.14},
    {3, 5.14, 796.3}, {3, 6.05, 5507.55}, {3, 1.19, 242.73},
    {3, 6.12, 529.69}, {3, 0.31, 398.15}, {3, 2.28, 553.57},
    {2, 4.38, 5223.69}, {2, 3.75, 0.98},
};
static const vsop_term L3[] = {
    {289, 5.844, 6283.076}, {35, 0, 0}, {17, 5.49, 12566.15}, {3, 5.2, 155.42},
    {1, 4.72, 3.52}, {1, 5.3, 18849.23}, {1, 5.97, 242.73},
};
static const vsop_term L4[] = { {114, 3.142, 0}, {8, 4.13, 6283.08}, {1, 3.84, 12566.15} };
static const vsop_term L5[] = { {1, 3.14, 0} };
static const vsop_term R0[] = {
    {100013989, 0, 0}, {1670700, 3.0984635, 6283.07585}, {13956, 3.05525, 12566.1517},
    {3084, 5.1985, 77713.7715}, {1628, 1.1739, 5753.3849}, {1576, 2.8469, 7860.4194},
    {925, 5.453, 11506.77}, {542, 4.564, 3930.21}, {472, 3.661, 5884.927},
    {346, 0.964, 5507.553}, {329, 5.9, 5223.694}, {307, 0.299, 5573.143},
    {243, 4.273, 11790.629}, {212, 5.847, 1577.344}, {186, 5.022, 10977.079},
    {175, 3.012, 18849.228}, {110, 5.055, 5486.778}, {98, 0.89, 6069.78},
    {86, 5.69, 15720.84}, {86, 1.27, 161000.69}, {65, 0.27, 17260.15},
    {63, 0.92, 529.69}, {57, 2.01, 83996.85}, {56, 5.24, 71430.7},
    {49, 3.25, 2544.31}, {47, 2.58, 775.52}, {45, 5.54, 9437.76},
    {43, 6.01, 6275.96}, {39, 5.36, 4694.0}, {38, 2.39, 8827.39},
    {37, 0.83, 19651.05}, {37, 4.9, 12139.55}, {36, 1.67, 12036.46},
    {35, 1.84, 2942.46}, {33, 0.24, 7084.9}, {32, 0.18, 5088.63},
    {32, 1.78, 398.15}, {28, 1.21, 6286.6}, {28, 1.9, 6279.55},
    {26, 4.59, 10447.39},
};
static const vsop_term R1[] = {
    {103019, 1.10749, 6283.07585}, {1721, 1.0644, 12566.1517}, {702, 3.142, 0},
    {32, 1.02, 18849.23}, {31, 2.84, 5507.55}, {25, 1.32, 5223.69},
    {18, 1.42, 1577.34}, {10, 5.91, 10977.08}, {9, 1.42, 6275.96},
    {9, 0.27, 5486.78},
};
static const vsop_term R2[] = {
    {4359, 5.7846, 6283.0758}, {124, 5.579, 12566.152}, {12, 3.14, 0},
    {9, 3.63, 77713.77}, {6, 1.87, 5573.14}, {3, 5.47, 18849.23},
};
static const vsop_term R3[] = { {145, 4.273, 6283.076}, {7, 3.92, 12566.15} };
static const vsop_term R4[] = { {4, 2.56, 6283.08} };

#define NTERMS(a) (sizeof(a) / sizeof((a)[0]))

static double vsop_sum(const vsop_term *t, size_t n, double tau)
{
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += t[i].a * cos(t[i].b + t[i].c * tau);
    return s;
}

static double norm360(double x)
{
    x = fmod(x, 360.0);
    return x < 0 ? x + 360.0 : x;
}

double lunar_astro_sun_longitude(double jde)
{
    double tau = (jde - J2000) / 365250.0;
    double T = tau * 10.0;
    double L = (vsop_sum(L0, NTERMS(L0), tau) +
                tau * (vsop_sum(L1, NTERMS(L1), tau) +
                       tau * (vsop_sum(L2, NTERMS(L2), tau) +
                              tau * (vsop_sum(L3, NTERMS(L3), tau) +
                                     tau * (vsop_sum(L4, NTERMS(L4), tau) +
                                            tau * vsop_sum(L5, NTERMS(L5), tau)))))) / 1e8;
    double R = (vsop_sum(R0, NTERMS(R0), tau) +
                tau * (vsop_sum(R1, NTERMS(R1), tau) +
                       tau * (vsop_sum(R2, NTERMS(R2), tau) +
                              tau * (vsop_sum(R3, NTERMS(R3), tau) +
                                     tau * vsop_sum(R4, NTERMS(R4), tau))))) / 1e8;
    /* Geocentric longitude of the Sun = heliocentric longitude of the Earth + 180°. */
    double theta = L / DEG + 180.0;
    /* FK5 frame correction (Meeus 32.3): -0.09033". */
    theta -= 0.09033 / 3600.0;
    /* Nutation in longitude, Meeus ch. 22 short series (0.5" accuracy). */
    double Om = (125.04452 - 1934.136261 * T) * DEG;
    double Ls = (280.4665 + 36000.7698 * T) * DEG;
    double Lm = (218.3165 + 481267.8813 * T) * DEG;
    double dpsi = -17.20 * sin(Om) - 1.32 * sin(2 * Ls) - 0.23 * sin(2 * Lm) + 0.21 * sin(2 * Om);
    /* Annual aberration: -20.4898" / R. */
    double aberr = -20.4898 / R;
    return norm360(theta + (dpsi + aberr) / 3600.0);
}

double lunar_astro_sun_reaches(double degrees, double jde)
{
    /* Newton-like iteration with the mean rate of the Sun (360° per tropical year): the rate
     * varies by ±3.4 %, so each step gains ~1.5 digits; 1e-7 day is 9 ms. */
    for (int i = 0; i < 20; i++) {
        double diff = degrees - lunar_astro_sun_longitude(jde);
        diff = fmod(diff + 540.0, 360.0) - 180.0; /* shortest way round, (-180, 180] */
        double step = diff * TROPICAL / 360.0;
        jde += step;
        if (fabs(step) < 1e-7)
            break;
    }
    return jde;
}

/* ------------------------------------------------------------------------ suì */

/* A suì: the months from the month-11 containing the winter solstice of year Y-1 up to (not
 * including) the month-11 containing that of year Y.  Months before its first month 1 belong
 * to lunar year Y-1, the rest to lunar year Y. */
typedef struct {
    int year;                                /* Y; 0 = empty cache slot */
    int n;                                   /* 12 or 13 */
    int first1;                              /* index of its month 1 */
    int64_t start[LUNAR_MAX_MONTHS + 1];     /* start[n]: next suì's month 11 */
    int no[LUNAR_MAX_MONTHS];
    bool leap[LUNAR_MAX_MONTHS];
} sui;

static double winter_solstice_jde(int y)
{
    /* Dec 21.5 of year y as the first guess: JD of y-12-21 12:00 UT ≈ TT. */
    double guess = (double)bizday_days_from_civil(y, 12, 21) + UNIX_EPOCH_JD + 0.5;
    return lunar_astro_sun_reaches(270.0, guess);
}

/* Lunation number k whose new moon is on or before CST day `day` and the next is after it. */
static int new_moon_on_or_before(int64_t day)
{
    double jd = (double)day + UNIX_EPOCH_JD;
    int k = (int)floor((jd - 2451550.09766) / SYNODIC);
    /* The true new moon wanders ±14 h around the mean: step to the right lunation. */
    while (lunar_astro_cst_day(lunar_astro_new_moon_jde(k + 1)) <= day)
        k++;
    while (lunar_astro_cst_day(lunar_astro_new_moon_jde(k)) > day)
        k--;
    return k;
}

static void sui_compute(int y, sui *s)
{
    double ws0 = winter_solstice_jde(y - 1);
    double ws1 = winter_solstice_jde(y);
    int64_t ws0_day = lunar_astro_cst_day(ws0), ws1_day = lunar_astro_cst_day(ws1);
    int ka = new_moon_on_or_before(ws0_day);
    int kb = new_moon_on_or_before(ws1_day);
    int n = kb - ka; /* 12 or 13 */
    if (n > LUNAR_MAX_MONTHS)
        n = LUNAR_MAX_MONTHS; /* cannot happen; keeps the arrays safe regardless */
    s->year = y;
    s->n = n;
    for (int i = 0; i <= n; i++)
        s->start[i] = lunar_astro_cst_day(lunar_astro_new_moon_jde(ka + i));

    int leap_idx = -1;
    if (n == 13) {
        /* Principal terms 270° (ws0), 300°, …, 240°, 270° (ws1): 13 of them, in order. */
        int64_t zq[13];
        zq[0] = ws0_day;
        zq[12] = ws1_day;
        for (int j = 1; j < 12; j++) {
            double deg = fmod(270.0 + 30.0 * j, 360.0);
            zq[j] = lunar_astro_cst_day(lunar_astro_sun_reaches(deg, ws0 + j * TROPICAL / 12.0));
        }
        int j = 0;
        for (int i = 0; i < n; i++) {
            while (j < 13 && zq[j] < s->start[i])
                j++;
            bool has = j < 13 && zq[j] < s->start[i + 1];
            if (!has) {
                leap_idx = i;
                break;
            }
        }
    }
    int no = 11;
    s->first1 = -1;
    for (int i = 0; i < n; i++) {
        if (i > 0 && i != leap_idx)
            no = no % 12 + 1;
        s->no[i] = no;
        s->leap[i] = i == leap_idx;
        if (no == 1 && !s->leap[i] && s->first1 < 0)
            s->first1 = i;
    }
}

#define SUI_CACHE 6
static _Thread_local sui cache[SUI_CACHE];
static _Thread_local unsigned cache_next;

static const sui *sui_get(int y)
{
    for (int i = 0; i < SUI_CACHE; i++)
        if (cache[i].year == y)
            return &cache[i];
    sui *s = &cache[cache_next++ % SUI_CACHE];
    sui_compute(y, s);
    return s;
}

/* ------------------------------------------------------------------------ conversions */

lunar_err lunar_from_days(int64_t days, lunar_date *out)
{
    if (days < bizday_days_from_civil(LUNAR_MIN_SOLAR_YEAR, 1, 1) ||
        days > bizday_days_from_civil(LUNAR_MAX_SOLAR_YEAR, 12, 31))
        return LUNAR_ERR_RANGE;
    int y, m, d;
    bizday_civil_from_days(days, &y, &m, &d);
    const sui *s = sui_get(y + 1);
    if (days < s->start[0])
        s = sui_get(y);
    /* start[0] <= days < start[n] holds by construction of consecutive suìs. */
    int i = 0;
    while (i + 1 < s->n && s->start[i + 1] <= days)
        i++;
    out->year = i >= s->first1 ? s->year : s->year - 1;
    out->month = s->no[i];
    out->leap = s->leap[i];
    out->day = (int)(days - s->start[i]) + 1;
    return LUNAR_OK;
}

lunar_err lunar_from_solar(int y, int m, int d, lunar_date *out)
{
    if (!bizday_civil_valid(y, m, d))
        return LUNAR_ERR_DATE;
    return lunar_from_days(bizday_days_from_civil(y, m, d), out);
}

lunar_err lunar_year_months(int lyear, lunar_year_info *out)
{
    if (lyear < LUNAR_MIN_YEAR || lyear > LUNAR_MAX_YEAR)
        return LUNAR_ERR_RANGE;
    /* Copy: the second sui_get may evict the first from the cache. */
    sui a = *sui_get(lyear);
    const sui *b = sui_get(lyear + 1);
    int n = 0;
    out->year = lyear;
    out->leap_month = 0;
    for (int i = a.first1; i < a.n && n < LUNAR_MAX_MONTHS; i++, n++) {
        out->month_no[n] = a.no[i];
        out->month_leap[n] = a.leap[i];
        out->start_days[n] = a.start[i];
    }
    for (int i = 0; i < b->first1 && n < LUNAR_MAX_MONTHS; i++, n++) {
        out->month_no[n] = b->no[i];
        out->month_leap[n] = b->leap[i];
        out->start_days[n] = b->start[i];
    }
    out->n_months = n;
    out->start_days[n] = b->start[b->first1];
    for (int i = 0; i < n; i++)
        if (out->month_leap[i])
            out->leap_month = out->month_no[i];
    return LUNAR_OK;
}

int lunar_leap_month(int lyear)
{
    lunar_year_info info;
    if (lunar_year_months(lyear, &info) != LUNAR_OK)
        return 0;
    return info.leap_month;
}

static int find_month(const lunar_year_info *info, int lmonth, bool leap)
{
    for (int i = 0; i < info->n_months; i++)
        if (info->month_no[i] == lmonth && info->month_leap[i] == leap)
            return i;
    return -1;
}

int lunar_month_length(int lyear, int lmonth, bool leap)
{
    lunar_year_info info;
    if (lunar_year_months(lyear, &info) != LUNAR_OK)
        return 0;
    int i = find_month(&info, lmonth, leap);
    return i < 0 ? 0 : (int)(info.start_days[i + 1] - info.start_days[i]);
}

lunar_err lunar_to_days(int lyear, int lmonth, int lday, bool leap, int64_t *days_out)
{
    if (lmonth < 1 || lmonth > 12 || lday < 1 || lday > 30)
        return LUNAR_ERR_DATE;
    lunar_year_info info;
    lunar_err err = lunar_year_months(lyear, &info);
    if (err != LUNAR_OK)
        return err;
    int i = find_month(&info, lmonth, leap);
    if (i < 0 || lday > info.start_days[i + 1] - info.start_days[i])
        return LUNAR_ERR_DATE;
    *days_out = info.start_days[i] + lday - 1;
    return LUNAR_OK;
}

lunar_err lunar_to_solar(int lyear, int lmonth, int lday, bool leap, int *y, int *m, int *d)
{
    int64_t days;
    lunar_err err = lunar_to_days(lyear, lmonth, lday, leap, &days);
    if (err == LUNAR_OK)
        bizday_civil_from_days(days, y, m, d);
    return err;
}

static bool festival(int y, int lmonth, int lday, int *m, int *d)
{
    if (y < LUNAR_MIN_SOLAR_YEAR || y > LUNAR_MAX_SOLAR_YEAR)
        return false;
    int yy;
    if (lunar_to_solar(y, lmonth, lday, false, &yy, m, d) != LUNAR_OK)
        return false;
    return yy == y;
}

bool lunar_spring_festival(int y, int *m, int *d)
{
    return festival(y, 1, 1, m, d);
}

bool lunar_mid_autumn(int y, int *m, int *d)
{
    return festival(y, 8, 15, m, d);
}
