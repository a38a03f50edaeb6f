/* stgs: the "ST,GS,+0001.234kg" line family of Chinese OEM platform and counting scales (and
 * A&D, GRAM, Kern, Salter-Brecknell heads) -- CR LF terminated lines into scale_readings, from a
 * byte stream cut anywhere.
 *
 * devices.md §3.5: `<ST|US|OL>,<GS|NT>,<+|-><value 7-8 chars incl '.'><unit>CR LF`, e.g.
 * `ST,NT,+000.876kg`, `US,GS,-001.568lb`; widths vary by vendor, so fields are split at commas
 * and spaces trimmed.  The A&D form without the gross/net field (`ST,+00001234.5 g`) is read
 * too.  ST = stable, US = unstable, OL = overload (value often spaces).  Lines that are not
 * weights (QT counts, TR tare reports, command echoes) are dropped and counted. */
#ifndef FUPIN_PERIPHERALS_SCALE_STGS_H
#define FUPIN_PERIPHERALS_SCALE_STGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "peripherals/scale/scale_reading.h"

#define STGS_MAX_LINE 40   /* longer lines are garbage (the longest real one is ~20) */

/* Parse one line without its CR LF (a trailing CR is tolerated). */
bool stgs_parse(const uint8_t *line, size_t len, scale_reading *out);
bool stgs_valid(const uint8_t *line, size_t len);

typedef struct {
    uint8_t line[STGS_MAX_LINE];
    size_t len;
    bool overlong;          /* the current line outgrew the buffer: drop it at its LF */
    uint64_t frames;        /* readings emitted */
    uint64_t rejected;      /* lines dropped (not a weight line, or overlong) */
} stgs_stream;

void stgs_init(stgs_stream *s);
/* Consume bytes up to and including the next CR or LF; returns how many were used.  When a
 * whole line ended there and it was a weight (or held one after noise: the tail from the last
 * "ST,"/"US,"/"OL," is tried too), *out is set and *got true.  Call again with the rest. */
size_t stgs_feed(stgs_stream *s, const uint8_t *data, size_t len, scale_reading *out, bool *got);

#endif
