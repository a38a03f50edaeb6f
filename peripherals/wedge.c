/* wedge: scanner-burst detection for keyboard-wedge scanners.  See wedge.h. */
#include "peripherals/wedge.h"

#include <string.h>

void wedge_init(wedge *w, const wedge_config *cfg)
{
    memset(w, 0, sizeof *w);
    if (cfg) {
        w->cfg = *cfg;
    }
    if (w->cfg.min_len == 0) {
        w->cfg.min_len = WEDGE_DEFAULT_MIN_LEN;
    }
    if (w->cfg.max_gap_ms == 0) {
        w->cfg.max_gap_ms = WEDGE_DEFAULT_MAX_GAP_MS;
    }
}

void wedge_reset(wedge *w)
{
    w->len = 0;
    w->burst[0] = '\0';
    w->have_last = false;
}

/* Unsigned subtraction is right across the 32-bit wrap of SDL_GetTicks (~49 days of uptime),
 * and a timestamp that goes backwards (it should not) reads as a huge gap: a new run. */
static bool within_gap(const wedge *w, uint32_t t_ms)
{
    return w->have_last && (uint32_t)(t_ms - w->last_ms) <= w->cfg.max_gap_ms;
}

void wedge_feed_char(wedge *w, char c, uint32_t t_ms)
{
    if (!within_gap(w, t_ms)) {
        w->len = 0;
    }
    if (w->len < WEDGE_MAX_CODE) {
        w->burst[w->len] = c;
        w->burst[w->len + 1] = '\0';
    }
    /* Count past the buffer so an endless fast stream (a stuck key, a scanner in a loop) is
     * reported as overflow rather than silently truncated into a plausible code. */
    if (w->len < SIZE_MAX) {
        w->len++;
    }
    w->last_ms = t_ms;
    w->have_last = true;
}

wedge_verdict wedge_feed_enter(wedge *w, uint32_t t_ms, char *code, size_t cap,
                               size_t *burst_len)
{
    wedge_verdict v = WEDGE_TYPED;
    size_t n = w->len;
    if (burst_len) {
        *burst_len = 0;
    }
    if (code && cap > 0) {
        code[0] = '\0';
    }
    if (n >= w->cfg.min_len && within_gap(w, t_ms)) {
        if (n > WEDGE_MAX_CODE) {
            v = WEDGE_OVERFLOW;
        } else {
            v = WEDGE_SCAN;
            if (code && cap > n) {
                memcpy(code, w->burst, n + 1);
            } else if (code && cap > 0) {
                v = WEDGE_OVERFLOW;   /* caller's buffer too small: never hand out half a code */
            }
        }
        if (burst_len) {
            *burst_len = n;
        }
    }
    wedge_reset(w);
    return v;
}

size_t wedge_run_length(const wedge *w)
{
    return w->len;
}
