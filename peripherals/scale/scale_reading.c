/* scale_reading: units to grams and the decimal field every serial scale prints
 * (peripherals/scale/scale_reading.h). */
#include "peripherals/scale/scale_reading.h"

/* Grams per unit as a fraction num/den (exact, from the unit definitions). */
typedef struct {
    int64_t num, den;
    const char *name;
} unit_def;

static const unit_def UNITS[SCALE_UNIT_COUNT] = {
    [SCALE_UNIT_UNKNOWN] = {0, 1, "?"},
    [SCALE_UNIT_MG] = {1, 1000, "mg"},
    [SCALE_UNIT_G] = {1, 1, "g"},
    [SCALE_UNIT_KG] = {1000, 1, "kg"},
    [SCALE_UNIT_T] = {1000000, 1, "t"},
    [SCALE_UNIT_CARAT] = {1, 5, "ct"},
    [SCALE_UNIT_GRAIN] = {6479891, 100000000, "gr"},
    [SCALE_UNIT_DWT] = {155517384, 100000000, "dwt"},
    [SCALE_UNIT_OZT] = {311034768, 10000000, "ozt"},
    [SCALE_UNIT_OZ] = {28349523125, 1000000000, "oz"},
    [SCALE_UNIT_LB] = {45359237, 100000, "lb"},
    [SCALE_UNIT_TON] = {90718474, 100, "ton"},
    [SCALE_UNIT_JIN] = {500, 1, "市斤"},
    [SCALE_UNIT_TAI_JIN] = {600, 1, "台斤"},
    [SCALE_UNIT_TAI_LIANG] = {75, 2, "台两"},
};

const char *scale_unit_name(scale_unit unit)
{
    if ((unsigned)unit >= SCALE_UNIT_COUNT)
        return "?";
    return UNITS[unit].name;
}

bool scale_reading_grams(int64_t mantissa, int exp10, scale_unit unit, int64_t *grams)
{
    if (unit <= SCALE_UNIT_UNKNOWN || unit >= SCALE_UNIT_COUNT || exp10 < -9 || exp10 > 9)
        return false;
    if (mantissa > SCALE_MAX_GRAMS * 1000 || mantissa < -SCALE_MAX_GRAMS * 1000)
        return false;  /* no unit makes such a mantissa a sane weight; keeps the products small */
    int64_t num = UNITS[unit].num, den = UNITS[unit].den;
    for (int i = 0; i < exp10; i++)
        if (__builtin_mul_overflow(num, 10, &num))
            return false;
    for (int i = 0; i < -exp10; i++)
        if (__builtin_mul_overflow(den, 10, &den))
            return false;
    int64_t n;
    if (__builtin_mul_overflow(mantissa, num, &n))
        return false;
    int64_t q = n / den, r = n % den;
    if (r < 0)
        r = -r;
    if (r >= den - r)           /* 2r >= den without overflow: half away from zero */
        q += n < 0 ? -1 : 1;
    if (q > SCALE_MAX_GRAMS || q < -SCALE_MAX_GRAMS)
        return false;
    *grams = q;
    return true;
}

bool scale_reading_decimal(const uint8_t *s, size_t n, int64_t *mantissa, int *exp10)
{
    size_t i = 0;
    while (i < n && s[i] == ' ')
        i++;
    bool neg = false;
    if (i < n && (s[i] == '+' || s[i] == '-')) {
        neg = s[i] == '-';
        i++;
        while (i < n && s[i] == ' ')
            i++;
    }
    int64_t m = 0;
    int digits = 0, frac = 0;
    bool point = false;
    for (; i < n && s[i] != ' '; i++) {
        if (s[i] == '.') {
            if (point)
                return false;
            point = true;
        } else if (s[i] >= '0' && s[i] <= '9') {
            if (++digits > 12)
                return false;
            m = m * 10 + (s[i] - '0');
            if (point)
                frac++;
        } else {
            return false;
        }
    }
    while (i < n && s[i] == ' ')
        i++;
    if (i != n || digits == 0)
        return false;
    *mantissa = neg ? -m : m;
    *exp10 = -frac;
    return true;
}

bool scale_reading_usable(const scale_reading *r)
{
    if (r->flags & (SCALE_F_MOTION | SCALE_F_UNDER_ZERO | SCALE_F_OVER_CAPACITY | SCALE_F_FAULT))
        return false;
    return (r->flags & (SCALE_F_STABLE | SCALE_F_NO_STATUS)) != 0;
}
