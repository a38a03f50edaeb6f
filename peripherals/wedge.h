/* wedge: tell a keyboard-wedge barcode scanner from a person typing.
 *
 * A USB scanner in "keyboard wedge" mode is just another keyboard: it types the code's
 * characters and presses Enter.  The only thing that sets it apart is speed -- a scanner emits a
 * whole code in a few milliseconds per key, nobody types four keys 30 ms apart.  The till needs
 * the difference because a scan that arrives while the cashier is typing a tendered amount must
 * not be read as "¥6901234567892 received".
 *
 * Pure codec: characters and millisecond timestamps in, a verdict out.  No SDL, no clock; the
 * caller passes the event timestamps (tests pass synthetic ones). */
#ifndef FUPIN_PERIPHERALS_WEDGE_H
#define FUPIN_PERIPHERALS_WEDGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define WEDGE_MAX_CODE 64           /* longer bursts are garbage; see WEDGE_OVERFLOW */
#define WEDGE_DEFAULT_MIN_LEN 4
#define WEDGE_DEFAULT_MAX_GAP_MS 30

typedef struct {
    size_t min_len;                 /* fewest characters a scan burst has (before Enter) */
    uint32_t max_gap_ms;            /* largest gap between keys (and before Enter) in a burst */
} wedge_config;

typedef enum {
    WEDGE_TYPED = 0,                /* Enter ends hand-typed input (or nothing at all) */
    WEDGE_SCAN,                     /* Enter ends a scanner burst; code holds it */
    WEDGE_OVERFLOW,                 /* a scanner-speed burst longer than WEDGE_MAX_CODE */
} wedge_verdict;

typedef struct {
    wedge_config cfg;
    char burst[WEDGE_MAX_CODE + 1]; /* characters of the current fast run */
    size_t len;                     /* characters in the current run (may exceed the buffer) */
    uint32_t last_ms;
    bool have_last;
} wedge;

void wedge_init(wedge *w, const wedge_config *cfg);   /* cfg NULL = defaults */
/* Forget the current run (focus lost, screen changed). */
void wedge_reset(wedge *w);

/* One printable character typed at t_ms.  A character that follows the previous one by more
 * than max_gap_ms starts a new run. */
void wedge_feed_char(wedge *w, char c, uint32_t t_ms);

/* Enter pressed at t_ms.  WEDGE_SCAN when the run has at least min_len characters and Enter
 * came within max_gap_ms of the last one; the run is copied to code (cap >= WEDGE_MAX_CODE+1
 * always suffices) and *burst_len tells the caller how many characters it must take back out of
 * whatever input field they were typed into.  The run is reset in every case. */
wedge_verdict wedge_feed_enter(wedge *w, uint32_t t_ms, char *code, size_t cap,
                               size_t *burst_len);

/* How many characters the current run holds: the UI uses it to know whether a burst is under
 * way (chars typed at scanner speed are not yet known to be a scan until Enter). */
size_t wedge_run_length(const wedge *w);

#endif
