/* os2: the 顶尖 ACLAS / Pinnacle OS2 cash-register-scale protocol (also CAS "DC1" and GRAM
 * ZFOC) -- the bytes the host sends and the replies, from a byte stream cut anywhere.
 *
 * devices.md §3.6.  Passive (polled) mode: the host sends ENQ (05), the scale answers ACK (06),
 * the host sends DC1 (11), the scale answers one frame.  Active mode: the scale sends frames
 * ~10 times a second, each with a trailing Flag2 byte.
 *   frame: 01 02 STA SIGN W1..W6 U1 U2 BCC 03 04 [Flag2]      (15 bytes passive, 16 active)
 *   STA 'S' stable, 'U' unstable, 'F' out of range / not zeroed; SIGN '-' or ' ';
 *   W1..W6 ASCII incl. '.', e.g. "01.234"; unit "kg", "g ", "SJ" 市斤, "TJ" 台斤, "TL" 台两,
 *   "LB"; Flag2 bit4 weight is zero, bit5 tare mode, bit6 out of range.
 * BCC: the OS2CX manual XORs the 12 bytes before it (with 01 02), GRAM ZFOC only STA..U2; both
 * are accepted (os2_stream counts which). */
#ifndef FUPIN_PERIPHERALS_SCALE_OS2_H
#define FUPIN_PERIPHERALS_SCALE_OS2_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "peripherals/scale/scale_reading.h"

#define OS2_ENQ 0x05
#define OS2_ACK 0x06
#define OS2_DC1 0x11
#define OS2_PASSIVE_LEN 15
#define OS2_ACTIVE_LEN 16

typedef enum {
    OS2_REQ_ENQ = 0,     /* 05: are you there (answered by ACK) */
    OS2_REQ_DC1,         /* 11: send one weight frame */
    OS2_REQ_TARE,        /* <TK>\t */
    OS2_REQ_ZERO,        /* <ZK>\t */
    OS2_REQ_PASSIVE,     /* <AL>\t: switch to polled mode */
    OS2_REQ_ACTIVE,      /* <PB>\t: switch to continuous mode */
} os2_request;

/* The bytes of a request into out; returns their count (0 when cap is too small). */
size_t os2_request_bytes(os2_request req, uint8_t *out, size_t cap);

typedef enum {
    OS2_BCC_NONE = 0,
    OS2_BCC_WITH_HEADER,     /* XOR of bytes 0..11 (OS2CX) */
    OS2_BCC_PAYLOAD,         /* XOR of bytes 2..11 (GRAM ZFOC) */
} os2_bcc;

/* buf starts with a whole valid frame (active: with Flag2); returns the checksum variant that
 * matched, OS2_BCC_NONE when not valid. */
os2_bcc os2_valid(const uint8_t *buf, size_t len, bool active);
/* Decode a valid frame.  STA 'F' and Flag2 bit6 give SCALE_F_FAULT; Flag2 bit4 ZERO, bit5 NET. */
bool os2_parse(const uint8_t *buf, size_t len, bool active, scale_reading *out);

typedef enum { OS2_EV_NONE = 0, OS2_EV_ACK, OS2_EV_READING } os2_event;

typedef struct {
    bool active;
    uint8_t buf[64];
    size_t len;
    uint64_t frames, acks;
    uint64_t bcc_with_header, bcc_payload;   /* which checksum the frames used */
    uint64_t bad_checksum;                    /* well-formed frames with neither checksum */
    uint64_t skipped;                         /* bytes dropped while looking for a frame */
} os2_stream;

void os2_init(os2_stream *s, bool active);
/* As xk3190_feed: takes what fits; all of it whenever next has returned OS2_EV_NONE since. */
size_t os2_feed(os2_stream *s, const uint8_t *data, size_t len);
/* The next event: an ACK byte, or a reading (*out; frame bytes into frame if not NULL). */
os2_event os2_next(os2_stream *s, scale_reading *out, uint8_t *frame, size_t *frame_len);

#endif
