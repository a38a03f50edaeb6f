/* scale_stable: when may a weight be priced?  Fed timestamped scale_readings, it says a weight
 * is ready once readings have stayed within a tolerance for a configured time (issue #9: "a
 * weighed line takes the weight only after it has been stable for a configured time").
 *
 * Pure: the caller passes the reading's time (a monotonic millisecond clock).  Motion,
 * under-zero, over-capacity and fault never give a weight, and restart the wait; so does a
 * reading a protocol with a status did not call stable, a gap longer than max_gap_ms between
 * readings (the scale went quiet: nothing seen is no proof of stillness) and time going back.
 * A zero (or below min_g) weight is "empty", never a price; a reading beyond SCALE_MAX_GRAMS
 * (only a caller's own, no codec emits one) counts as over capacity. */
#ifndef FUPIN_PERIPHERALS_SCALE_STABLE_H
#define FUPIN_PERIPHERALS_SCALE_STABLE_H

#include <stdbool.h>
#include <stdint.h>

#include "peripherals/scale/scale_reading.h"

#define SCALE_STABLE_DEFAULT_HOLD_MS 500
#define SCALE_STABLE_DEFAULT_TOLERANCE_G 2
#define SCALE_STABLE_DEFAULT_MAX_GAP_MS 1000
#define SCALE_STABLE_DEFAULT_MIN_G 1

typedef struct {
    uint32_t hold_ms;        /* how long the weight must hold (0: the first usable reading) */
    int64_t tolerance_g;     /* readings within +-tolerance of the first of the run hold */
    uint32_t max_gap_ms;     /* a longer silence restarts the run (0: no limit) */
    int64_t min_g;           /* below this the platter is empty */
} scale_stable_config;

typedef enum {
    SCALE_STABLE_SETTLING = 0,   /* usable so far, not yet for hold_ms */
    SCALE_STABLE_READY,          /* *grams is the weight to price */
    SCALE_STABLE_EMPTY,          /* stable at (or near) zero: nothing to weigh */
    SCALE_STABLE_MOTION,         /* moving (or a status scale not saying stable) */
    SCALE_STABLE_UNDER_ZERO,
    SCALE_STABLE_OVER_CAPACITY,
    SCALE_STABLE_FAULT,
} scale_stable_verdict;

typedef struct {
    scale_stable_config cfg;
    bool running;            /* a run of holding readings is open */
    int64_t anchor_g;        /* the first weight of the run */
    uint64_t since_ms;       /* when the run began */
    bool have_last;
    uint64_t last_ms;
} scale_stable;

/* cfg NULL: the defaults above. */
void scale_stable_init(scale_stable *f, const scale_stable_config *cfg);
void scale_stable_reset(scale_stable *f);
/* Feed one reading taken at now_ms.  READY sets *grams (the latest reading's weight). */
scale_stable_verdict scale_stable_feed(scale_stable *f, const scale_reading *r, uint64_t now_ms,
                                       int64_t *grams);
const char *scale_stable_verdict_name(scale_stable_verdict v);

#endif
