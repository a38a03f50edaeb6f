/* scale_buf: append, drop and take on a streaming parser's byte window (scale_buf.h). */
#include "peripherals/scale/scale_buf.h"

#include <string.h>

size_t scale_buf_append(uint8_t *buf, size_t cap, size_t *len, const uint8_t *data, size_t n)
{
    size_t room = cap - *len;
    size_t take = n < room ? n : room;
    if (take)
        memcpy(buf + *len, data, take);
    *len += take;
    return take;
}

void scale_buf_drop(uint8_t *buf, size_t *len, size_t n)
{
    memmove(buf, buf + n, *len - n);
    *len -= n;
}

void scale_buf_take(uint8_t *buf, size_t *len, size_t flen, uint8_t *frame, size_t *frame_len)
{
    if (frame) {
        memcpy(frame, buf, flen);
        *frame_len = flen;
    }
    scale_buf_drop(buf, len, flen);
}
