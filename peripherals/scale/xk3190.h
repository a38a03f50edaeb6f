/* xk3190: the continuous output of 耀华 (Yaohua) XK3190 weighing indicators, the commonest
 * serial scale head in Chinese shops -- frames into scale_readings, from a byte stream cut
 * anywhere, with garbage between frames.
 *
 * Formats (devices.md §3): which one a scale sends is its configuration (tF / format menu), and
 * the "=" formats are ambiguous between themselves, so the caller names it:
 *   XK3190_STX      §3.1 12 bytes: 02, sign '+'/'-', six digits, decimals '0'..'4', XOR of
 *                   bytes 2..9 as two uppercase hex digits, 03.  No unit: the caller's.
 *   XK3190_EQ_REV   §3.2 9 bytes: '=', 7 display chars (incl. '.') least significant first,
 *                   sign '0' or '-' -- "=000.3000" is 3.000.  No checksum, no unit.
 *   XK3190_EQ_FWD   §3.2 (A26 format 2): '=', sign '0' or '-', 7 chars high first ("=0003.000").
 *   XK3190_A12      §3.4 15 bytes: 'W', 'G'/'N', 7 chars right-aligned (incl. '.', '-'),
 *                   "kg"/"lb", XOR of bytes 1..11 as hex, CR LF; overload/underload lines of
 *                   9 spaces + "OL"/"LO" + "23" + CR LF.
 * None of these formats says whether the weight is stable: readings carry SCALE_F_NO_STATUS
 * and scale_stable decides.  Same shape as libsigrok's src/scale/kern.c (valid + parse) with a
 * stream that slides one byte on anything that is not a whole valid frame. */
#ifndef FUPIN_PERIPHERALS_SCALE_XK3190_H
#define FUPIN_PERIPHERALS_SCALE_XK3190_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "peripherals/scale/scale_reading.h"

typedef enum {
    XK3190_STX = 0,
    XK3190_EQ_REV,
    XK3190_EQ_FWD,
    XK3190_A12,
} xk3190_format;

#define XK3190_STX_LEN 12
#define XK3190_EQ_LEN 9
#define XK3190_A12_LEN 15
#define XK3190_MAX_FRAME 15

/* The frame length of fmt. */
size_t xk3190_frame_len(xk3190_format fmt);

/* buf[0..len) starts with a whole valid frame of fmt (structure and checksum). */
bool xk3190_valid(xk3190_format fmt, const uint8_t *buf, size_t len);

/* Decode the valid frame at buf (call xk3190_valid first).  unit: the indicator's unit for the
 * formats that do not carry one (SCALE_UNIT_KG on almost every till).  False when the value
 * does not convert (beyond SCALE_MAX_GRAMS). */
bool xk3190_parse(xk3190_format fmt, scale_unit unit, const uint8_t *buf, scale_reading *out);

/* A stream of one format.  Feed bytes as they come, take readings with next. */
typedef struct {
    xk3190_format fmt;
    scale_unit unit;
    uint8_t buf[64];
    size_t len;
    uint64_t frames;         /* readings emitted */
    uint64_t bad_checksum;   /* well-formed frames whose checksum failed (dropped) */
    uint64_t skipped;        /* bytes dropped while looking for a frame */
} xk3190_stream;

void xk3190_init(xk3190_stream *s, xk3190_format fmt, scale_unit unit);
/* Take up to len bytes; returns how many were taken (all of them whenever next() has returned
 * false since the last feed: call next until false, then feed the rest). */
size_t xk3190_feed(xk3190_stream *s, const uint8_t *data, size_t len);
/* The next reading in what was fed; false when no whole frame is buffered.  If frame is not
 * NULL, the frame's bytes (at most XK3190_MAX_FRAME) go there and *frame_len their count. */
bool xk3190_next(xk3190_stream *s, scale_reading *out, uint8_t *frame, size_t *frame_len);

#endif
