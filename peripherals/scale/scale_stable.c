/* scale_stable: the hold-time rule before a weight is priced (peripherals/scale/scale_stable.h). */
#include "peripherals/scale/scale_stable.h"

#include <string.h>

void scale_stable_init(scale_stable *f, const scale_stable_config *cfg)
{
    memset(f, 0, sizeof *f);
    if (cfg) {
        f->cfg = *cfg;
    } else {
        f->cfg.hold_ms = SCALE_STABLE_DEFAULT_HOLD_MS;
        f->cfg.tolerance_g = SCALE_STABLE_DEFAULT_TOLERANCE_G;
        f->cfg.max_gap_ms = SCALE_STABLE_DEFAULT_MAX_GAP_MS;
        f->cfg.min_g = SCALE_STABLE_DEFAULT_MIN_G;
    }
    if (f->cfg.tolerance_g < 0)
        f->cfg.tolerance_g = 0;
}

void scale_stable_reset(scale_stable *f)
{
    f->running = false;
    f->have_last = false;
}

static scale_stable_verdict refuse(scale_stable *f, scale_stable_verdict v)
{
    f->running = false;
    return v;
}

scale_stable_verdict scale_stable_feed(scale_stable *f, const scale_reading *r, uint64_t now_ms,
                                       int64_t *grams)
{
    bool gap = f->have_last &&
               (now_ms < f->last_ms || (f->cfg.max_gap_ms && now_ms - f->last_ms > f->cfg.max_gap_ms));
    f->have_last = true;
    f->last_ms = now_ms;
    if (gap)
        f->running = false;
    if (r->flags & SCALE_F_FAULT)
        return refuse(f, SCALE_STABLE_FAULT);
    if ((r->flags & SCALE_F_OVER_CAPACITY) || r->grams > SCALE_MAX_GRAMS)
        return refuse(f, SCALE_STABLE_OVER_CAPACITY);
    if ((r->flags & SCALE_F_UNDER_ZERO) || r->grams < 0)   /* also keeps d below in range */
        return refuse(f, SCALE_STABLE_UNDER_ZERO);
    if (!scale_reading_usable(r))
        return refuse(f, SCALE_STABLE_MOTION);
    int64_t d = r->grams - f->anchor_g;   /* both in 0..SCALE_MAX_GRAMS: no overflow */
    if (!f->running || d > f->cfg.tolerance_g || d < -f->cfg.tolerance_g) {
        f->running = true;
        f->anchor_g = r->grams;
        f->since_ms = now_ms;
    }
    if (now_ms - f->since_ms < f->cfg.hold_ms)
        return SCALE_STABLE_SETTLING;
    if (r->grams < f->cfg.min_g || (r->flags & SCALE_F_ZERO))
        return SCALE_STABLE_EMPTY;
    *grams = r->grams;
    return SCALE_STABLE_READY;
}

const char *scale_stable_verdict_name(scale_stable_verdict v)
{
    switch (v) {
    case SCALE_STABLE_SETTLING: return "settling";
    case SCALE_STABLE_READY: return "ready";
    case SCALE_STABLE_EMPTY: return "empty";
    case SCALE_STABLE_MOTION: return "motion";
    case SCALE_STABLE_UNDER_ZERO: return "under zero";
    case SCALE_STABLE_OVER_CAPACITY: return "over capacity";
    case SCALE_STABLE_FAULT: return "fault";
    }
    return "unknown";
}
