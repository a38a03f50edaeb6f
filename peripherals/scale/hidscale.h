/* hidscale: the USB HID POS scale (usage page 0x8D) -- its 6-byte Scale Data Report turned into
 * a scale_reading, the report-descriptor test that finds scales we do not know by VID:PID, and
 * the VID:PID table of known scales.
 *
 * Facts from /work/shared/reference/devices.md §1 (erjiang/usbscale, USB HID POS usage tables):
 * report `03 status unit exp lsb msb` (§1.1), weight = uint16 LE * 10^int8 exp in the unit
 * (§1.3); status (§1.2) 01 fault, 02 stable at zero, 03 motion, 04 stable, 05 under zero,
 * 06 over limit, 07 needs calibration, 08 needs re-zeroing.  Pure codec: no libusb. */
#ifndef FUPIN_PERIPHERALS_SCALE_HIDSCALE_H
#define FUPIN_PERIPHERALS_SCALE_HIDSCALE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "peripherals/scale/scale_reading.h"

#define HIDSCALE_REPORT_LEN 6
#define HIDSCALE_USAGE_PAGE_SCALE 0x8D

typedef enum {
    HIDSCALE_OK = 0,
    HIDSCALE_ERR_SHORT,        /* fewer than 6 bytes */
    HIDSCALE_ERR_REPORT_ID,    /* not a data report (ID 3, or 4 as usbscale accepts) */
    HIDSCALE_ERR_STATUS,       /* status outside 1..8 */
    HIDSCALE_ERR_UNIT,         /* unit 0 ("units"), tael (ambiguous) or beyond 0x0C */
    HIDSCALE_ERR_RANGE,        /* exponent outside -9..9 or beyond SCALE_MAX_GRAMS */
} hidscale_err;

const char *hidscale_strerror(hidscale_err err);

/* Where the report starts in buf: 0, or 1 when a DYMO M10 prepended a 00 byte (§1.4
 * "00 03 04 0B FF 31 00").  -1 when neither offset holds a report of a known ID. */
int hidscale_report_offset(const uint8_t *buf, size_t len);

/* True when hidscale_parse would succeed. */
bool hidscale_valid(const uint8_t *buf, size_t len);

/* Decode one report (at offset 0, or 1 after a leading 00).  Mapping of the status (§1.2):
 * 01 FAULT; 02 STABLE|ZERO when the weight is 0 (with a weight: neither stable nor motion --
 * DYMO firmwares disagree on its meaning, so it is never priced); 03 MOTION; 04 STABLE (|ZERO
 * when 0); 05 UNDER_ZERO with grams = -weight (the field is unsigned, the status carries the
 * sign); 06 OVER_CAPACITY; 07 and 08 FAULT.  Grams rounded half away from zero. */
hidscale_err hidscale_parse(const uint8_t *buf, size_t len, scale_reading *out);

/* The Zero Scale control report (§1.5): `02 02` into out (cap >= 2); returns 2, or 0. */
size_t hidscale_zero_report(uint8_t *out, size_t cap);

/* Does this HID report descriptor declare usage page 0x8D anywhere (a Usage Page item, or an
 * extended 4-byte Usage whose high half is 0x8D)?  Walks the short/long items (HID 1.11
 * §6.2.2); stops at a truncated item (answering from what came before). */
bool hidscale_descriptor_is_scale(const uint8_t *desc, size_t len);

/* The same walk for any usage page: hidscale_descriptor_is_scale is page 0x8D; the USB
 * classifier (peripherals/usb_match.c) also asks for 0x8C, the HID POS barcode scanner. */
bool hidscale_descriptor_has_page(const uint8_t *desc, size_t len, uint16_t page);

/* A known HID POS scale (§1.6, erjiang/usbscale scales.h); *name (may be NULL) gets its name. */
bool hidscale_known_scale(uint16_t vid, uint16_t pid, const char **name);

#endif
