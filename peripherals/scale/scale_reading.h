/* scale_reading: the one reading every scale protocol decodes to (peripherals/scale/hidscale,
 * xk3190, stgs, os2), and the arithmetic they share: a decimal display value in a unit turned
 * into whole grams.
 *
 * Grams are int64 and exact up to the rounding stated in scale_reading_grams; a weighed line
 * (pos/app/till) prices grams.  The flags say what the scale itself said; a protocol that says
 * nothing about stability (XK3190 continuous, the "=" formats) sets SCALE_F_NO_STATUS and the
 * stability filter (scale_stable) decides from the weights alone.  Motion, under-zero,
 * over-capacity and fault are never priced (scale_stable refuses them). */
#ifndef FUPIN_PERIPHERALS_SCALE_READING_H
#define FUPIN_PERIPHERALS_SCALE_READING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* No codec emits a weight beyond this (1000 t): anything larger is garbage or an exponent we
 * will not trust, refused as out of range. */
#define SCALE_MAX_GRAMS INT64_C(1000000000)

typedef enum {
    SCALE_UNIT_UNKNOWN = 0,
    SCALE_UNIT_MG,
    SCALE_UNIT_G,
    SCALE_UNIT_KG,
    SCALE_UNIT_T,             /* metric ton */
    SCALE_UNIT_CARAT,         /* 0.2 g */
    SCALE_UNIT_GRAIN,         /* 64.79891 mg */
    SCALE_UNIT_DWT,           /* pennyweight, 1.55517384 g */
    SCALE_UNIT_OZT,           /* troy ounce, 31.1034768 g */
    SCALE_UNIT_OZ,            /* avoirdupois ounce, 28.349523125 g */
    SCALE_UNIT_LB,            /* 453.59237 g */
    SCALE_UNIT_TON,           /* short ton, 907184.74 g */
    SCALE_UNIT_JIN,           /* 市斤, 500 g (ACLAS "SJ") */
    SCALE_UNIT_TAI_JIN,       /* 台斤, 600 g (ACLAS "TJ") */
    SCALE_UNIT_TAI_LIANG,     /* 台两, 37.5 g (ACLAS "TL") */
    SCALE_UNIT_COUNT,
} scale_unit;

enum {
    SCALE_F_STABLE = 1u << 0,        /* the scale says the weight is stable */
    SCALE_F_MOTION = 1u << 1,        /* the scale says it is moving */
    SCALE_F_UNDER_ZERO = 1u << 2,    /* below zero (grams < 0, or HID status "under zero") */
    SCALE_F_OVER_CAPACITY = 1u << 3, /* overload: grams is meaningless */
    SCALE_F_FAULT = 1u << 4,         /* fault, needs calibration or re-zeroing */
    SCALE_F_ZERO = 1u << 5,          /* at centre of zero */
    SCALE_F_NET = 1u << 6,           /* a tare is applied: grams is net (else gross) */
    SCALE_F_TARE = 1u << 7,          /* tare_g holds the tare */
    SCALE_F_NO_STATUS = 1u << 8,     /* the protocol says nothing about stability */
};

typedef struct {
    int64_t grams;       /* net weight (gross when no tare), whole grams, |grams| <= SCALE_MAX_GRAMS */
    int64_t tare_g;      /* valid with SCALE_F_TARE */
    uint32_t flags;      /* SCALE_F_* */
    scale_unit unit;     /* the unit the scale showed */
} scale_reading;

const char *scale_unit_name(scale_unit unit);   /* "g", "kg", "lb", "市斤", ... */

/* mantissa * 10^exp10 units as whole grams, rounded half away from zero (0.5 g -> 1 g,
 * -0.5 g -> -1 g).  False for SCALE_UNIT_UNKNOWN, exp10 outside -9..9, or a result beyond
 * SCALE_MAX_GRAMS. */
bool scale_reading_grams(int64_t mantissa, int exp10, scale_unit unit, int64_t *grams);

/* A display value as scales print it: optional spaces, optional sign, digits with at most one
 * '.', optional trailing spaces ("  1.234", "-001.5", "0003.000").  At most 12 digits.  Sets
 * mantissa (with sign) and exp10 (minus the digits after the point).  False otherwise. */
bool scale_reading_decimal(const uint8_t *s, size_t n, int64_t *mantissa, int *exp10);

/* The scale said nothing that forbids pricing: no motion, under-zero, over-capacity or fault,
 * and either SCALE_F_STABLE or SCALE_F_NO_STATUS.  The time rule is scale_stable's. */
bool scale_reading_usable(const scale_reading *r);

#endif
