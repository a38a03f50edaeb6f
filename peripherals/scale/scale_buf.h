/* scale_buf: the byte window every streaming scale parser keeps (xk3190, os2): bytes are
 * appended as the transport delivers them, whole frames or garbage are dropped from the front.
 * One copy of the operations instead of one per protocol; the window itself stays inside
 * each stream struct, sized for its protocol. */
#ifndef FUPIN_PERIPHERALS_SCALE_SCALE_BUF_H
#define FUPIN_PERIPHERALS_SCALE_SCALE_BUF_H

#include <stddef.h>
#include <stdint.h>

/* Append as much of data[0..n) as fits in buf[*len..cap); returns how much was taken (the
 * caller feeds the rest after draining frames). */
size_t scale_buf_append(uint8_t *buf, size_t cap, size_t *len, const uint8_t *data, size_t n);
/* Drop the first n bytes (n <= *len). */
void scale_buf_drop(uint8_t *buf, size_t *len, size_t n);
/* The whole frame of flen bytes at the front leaves the window, copied to frame first when
 * frame is not NULL (*frame_len = flen). */
void scale_buf_take(uint8_t *buf, size_t *len, size_t flen, uint8_t *frame, size_t *frame_len);

#endif
