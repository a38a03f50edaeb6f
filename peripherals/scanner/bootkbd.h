/* bootkbd: barcodes out of the USB boot-keyboard reports of a keyboard-emulation scanner.
 *
 * A scanner in keyboard mode, once claimed through libusb (so its keys never reach a focused
 * input field), still speaks the HID boot-keyboard protocol: 8-byte reports of a modifier
 * byte, a reserved byte and up to six key usages held down (devices.md §2.2; HID Usage Tables,
 * Keyboard page 0x07).  This codec turns those reports back into the characters the scanner
 * "typed" (US layout, shift state) and cuts them into codes at Enter or Tab.
 *
 * Why it is careful: a code that loses or doubles a character must never reach the basket as a
 * different product.  So a key held across reports is one press (only key-down transitions
 * count), an ErrorRollOver / POSTFail / ErrorUndefined report (usages 0x01..0x03, the
 * "phantom" state) or a malformed report is refused and spoils the code under way, a key the
 * layout does not map spoils it too, and a spoilt or over-long code is reported as dropped at
 * its terminator -- the next code starts clean (resynchronisation).  Chords with Ctrl, Alt or
 * GUI held (Ctrl+J, Alt+keypad suffixes some scanners are configured to send) are ignored.
 *
 * Pure codec: report bytes in, codes out.  No libusb, no clock, no I/O. */
#ifndef FUPIN_PERIPHERALS_SCANNER_BOOTKBD_H
#define FUPIN_PERIPHERALS_SCANNER_BOOTKBD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BOOTKBD_REPORT_LEN 8
#define BOOTKBD_KEYS 6              /* key usage slots, bytes 2..7 */
#define BOOTKBD_MAX_CODE 128        /* longest code; longer ones are dropped (BOOTKBD_ERR_TOO_LONG) */
/* One report presses at most six keys, so it ends at most six codes. */
#define BOOTKBD_MAX_EVENTS BOOTKBD_KEYS

/* Modifier byte (byte 0) bits. */
#define BOOTKBD_MOD_LCTRL 0x01
#define BOOTKBD_MOD_LSHIFT 0x02
#define BOOTKBD_MOD_LALT 0x04
#define BOOTKBD_MOD_LGUI 0x08
#define BOOTKBD_MOD_RCTRL 0x10
#define BOOTKBD_MOD_RSHIFT 0x20
#define BOOTKBD_MOD_RALT 0x40
#define BOOTKBD_MOD_RGUI 0x80
#define BOOTKBD_MOD_SHIFT (BOOTKBD_MOD_LSHIFT | BOOTKBD_MOD_RSHIFT)
#define BOOTKBD_MOD_CHORD (BOOTKBD_MOD_LCTRL | BOOTKBD_MOD_LALT | BOOTKBD_MOD_LGUI | \
                           BOOTKBD_MOD_RCTRL | BOOTKBD_MOD_RALT | BOOTKBD_MOD_RGUI)

typedef enum {
    BOOTKBD_OK = 0,
    BOOTKBD_ERR_LENGTH,             /* a report that is not 8 bytes */
    BOOTKBD_ERR_ROLLOVER,           /* usage 0x01..0x03: rollover / POST fail / undefined */
    BOOTKBD_ERR_MALFORMED,          /* a usage after an empty slot, or the same usage twice */
    BOOTKBD_ERR_KEY,                /* a key the US layout here does not map (F1, arrows, Esc) */
    BOOTKBD_ERR_TOO_LONG,           /* more than BOOTKBD_MAX_CODE characters before Enter */
} bootkbd_err;

const char *bootkbd_strerror(bootkbd_err e);

typedef enum {
    BOOTKBD_EV_CODE = 0,            /* a complete code: code[0..len) */
    BOOTKBD_EV_DROPPED,             /* a terminator ended a spoilt code; err says why */
} bootkbd_event_kind;

typedef struct {
    bootkbd_event_kind kind;
    bootkbd_err err;                /* BOOTKBD_OK for a code */
    size_t len;
    char code[BOOTKBD_MAX_CODE + 1];/* NUL-terminated, printable ASCII 0x20..0x7E */
} bootkbd_event;

typedef struct {
    uint8_t prev[BOOTKBD_KEYS];     /* usages held in the last accepted report */
    char code[BOOTKBD_MAX_CODE + 1];
    size_t len;
    bootkbd_err spoilt;             /* BOOTKBD_OK, or why the code under way will be dropped */
} bootkbd;

void bootkbd_init(bootkbd *d);
/* Forget the code under way and the held keys (device reopened). */
void bootkbd_reset(bootkbd *d);

/* Is this one well-formed boot-keyboard report?  BOOTKBD_OK, BOOTKBD_ERR_LENGTH,
 * BOOTKBD_ERR_ROLLOVER or BOOTKBD_ERR_MALFORMED.  The reserved byte is not checked (the HID
 * spec leaves it to the OEM). */
bootkbd_err bootkbd_valid(const uint8_t *report, size_t len);

/* The character of usage `usage` with `shift` held (US layout), or 0 when unmapped.
 * Enter, keypad Enter and Tab are '\n' and '\t'. */
char bootkbd_char(uint8_t usage, bool shift);

/* Feed one report.  Newly pressed keys are decoded in slot order; each terminator that ends a
 * non-empty (or spoilt) code adds an event to ev (room for BOOTKBD_MAX_EVENTS), *n_ev says how
 * many.  Returns bootkbd_valid's verdict: a refused report changes nothing but spoils the code
 * under way (its keys may have been lost), and the held-key state is kept for rollover (the
 * HID spec: the keyboard reports the previous state once keys are released). */
bootkbd_err bootkbd_parse(bootkbd *d, const uint8_t *report, size_t len,
                          bootkbd_event ev[BOOTKBD_MAX_EVENTS], size_t *n_ev);

/* Characters of the code under way (0 when idle): a caller may time out a code that never
 * ends and call bootkbd_reset. */
size_t bootkbd_pending(const bootkbd *d);

#endif
