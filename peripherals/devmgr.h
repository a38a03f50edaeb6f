/* devmgr: the device manager of the input devices -- one thread that owns the scale and the
 * scanner, opens them through openers the caller gives it, reads and decodes their reports,
 * reconnects with backoff, and tells the caller about states, weights and codes through
 * callbacks (peripherals/ never includes pos/app: the app's callbacks post to its event queue).
 *
 * Opener seam.  The manager knows no transport: per class and spec kind the caller passes an
 * opener (devmgr_opener: open + close + arg) that turns a devspec into a devmgr_link -- an ops
 * table, its `self`, and the codec that decodes what ops->read returns.  The openers of this
 * tree are in peripherals/devmgr_open.h (sim, serial); USB openers are added by the caller's
 * table (the opener list is the caller's array: nothing here changes to add one).  For a spec
 * of kind K the openers of that class and kind are tried in order; the first that opens wins.
 * A DEVSPEC_AUTO spec with no AUTO opener means "nothing to detect": the class stays closed
 * quietly.  An AUTO spec whose openers all answer DEVICE_ERR_NOT_FOUND (nothing plugged in)
 * stays closed too -- no error: the scanner then is the keyboard wedge -- and is looked for
 * again with the backoff (at once on a nudge); a device that was open and went away is in
 * ERROR until it is back.  Any other kind without an opener is DEVICE_ERR_UNSUPPORTED.
 * DEVSPEC_NONE: the class is not managed.
 *
 * Loop.  Each class that is configured and not open is opened when its backoff allows (0.5 s
 * after a failure, doubling to 8 s; devmgr_nudge retries at once -- a hotplug callback or the
 * app calls it); an open device is read with a short timeout (read_ms alone; with both open
 * the scanner waits slice_ms and the scale is polled with timeout 0 between, so a scan never
 * waits behind the scale) and drained of what is already there.  DISCONNECTED or any other read error closes it (state ERROR) and back to backoff.
 * Garbage (a report the codec refuses, a dropped code, a keyboard code left without its Enter
 * for DEVMGR_CODE_TIMEOUT_MS) is counted and never stops the loop.
 * Scale readings go through scale_stable; on_weight is called only when the verdict or the
 * grams change.  Stops within about one read timeout; no call blocks the caller beyond that. */
#ifndef FUPIN_PERIPHERALS_DEVMGR_H
#define FUPIN_PERIPHERALS_DEVMGR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "peripherals/device.h"
#include "peripherals/devspec.h"
#include "peripherals/scale/scale_stable.h"

/* The classes this manager owns: DEVICE_SCALE and DEVICE_SCANNER (indexes 0 and 1). */
#define DEVMGR_CLASSES 2
#define DEVMGR_WHY_CAP 256
#define DEVMGR_DEFAULT_READ_MS 100
#define DEVMGR_DEFAULT_SLICE_MS 10
#define DEVMGR_BACKOFF_FIRST_MS 500
#define DEVMGR_BACKOFF_MAX_MS 8000
/* A keyboard scanner's code with no report for this long and no Enter is dropped (counted as
 * garbage): scanners send a whole code within a few tens of milliseconds. */
#define DEVMGR_CODE_TIMEOUT_MS 300

/* How the bytes of ops->read are decoded. */
typedef enum {
    DEVMGR_CODEC_HIDSCALE = 0,     /* one 6/7-byte HID POS scale report per read (scale/hidscale.h) */
    DEVMGR_CODEC_SERIAL_SCALE,     /* a byte stream in the devspec's protocol (scale/serial_scale.h) */
    DEVMGR_CODEC_BOOTKBD,          /* one 8-byte boot keyboard report per read (scanner/bootkbd.h) */
    DEVMGR_CODEC_HIDPOS_SCANNER,   /* one 64-byte HID POS scanner report per read (scanner/hidpos.h) */
} devmgr_codec;

const char *devmgr_codec_name(devmgr_codec codec);

/* An open device, as an opener hands it over. */
/* What the cashier asks of the scale (devmgr_scale_command). */
typedef enum {
    DEVMGR_SCALE_ZERO = 0,         /* the empty platter reads 0 from now on */
    DEVMGR_SCALE_TARE,             /* what is on the platter (a container) is subtracted */
} devmgr_scale_cmd;

const char *devmgr_scale_cmd_name(devmgr_scale_cmd cmd);   /* "zero", "tare" */

/* An open device, as an opener hands it over. */
typedef struct {
    const device_ops *ops;
    void *self;
    devmgr_codec codec;
    char name[DEVICE_NAME_CAP];    /* for people: "sim scale", "xk3190 /dev/ttyUSB0" */
    /* Optional (NULL: none): a scale command this transport does itself beyond its codec's
     * standard bytes -- the simulated scale's tare (HID POS has no tare usage).  Asked first;
     * DEVICE_ERR_UNSUPPORTED from it means "the codec's way" (see devmgr_scale_command). */
    device_err (*scale_command)(void *self, devmgr_scale_cmd cmd, char *why, size_t cap);
} devmgr_link;

/* Open the device of spec into *out; DEVICE_OK, or an error with a sentence in why. */
typedef device_err (*devmgr_open_fn)(void *arg, const devspec *spec, devmgr_link *out, char *why,
                                     size_t cap);
/* Close what open gave (called once per successful open, on the manager's thread). */
typedef void (*devmgr_close_fn)(void *arg, devmgr_link *link);

typedef struct {
    device_class cls;              /* DEVICE_SCALE or DEVICE_SCANNER */
    devspec_kind kind;             /* the spec kind it takes (DEVSPEC_AUTO: detection) */
    devmgr_open_fn open;
    devmgr_close_fn close;         /* may be NULL */
    void *arg;
    const char *hint;              /* device_error_text's hint (the udev rule), may be NULL */
} devmgr_opener;

typedef void (*devmgr_weight_cb)(void *arg, int64_t grams, scale_stable_verdict verdict);
typedef void (*devmgr_code_cb)(void *arg, const char *code, size_t len);
/* A scale command's outcome: DEVICE_OK, or an error with a sentence (why, valid during the call). */
typedef void (*devmgr_scale_command_cb)(void *arg, devmgr_scale_cmd cmd, device_err err,
                                        const char *why);

typedef struct {
    devspec spec[DEVMGR_CLASSES];  /* [DEVICE_SCALE], [DEVICE_SCANNER]; DEVSPEC_NONE: not managed */
    const devmgr_opener *openers;  /* the caller's array: must outlive the manager */
    size_t n_openers;
    scale_stable_config stable;    /* hold time etc. */
    int read_ms;                   /* read timeout with one device open */
    int slice_ms;                  /* the scanner's read timeout with both open (the scale is
                                    * polled between: its readings wait at most this long) */
    device_state_cb on_state;      /* all on the manager's thread: post and return */
    devmgr_weight_cb on_weight;
    devmgr_code_cb on_code;
    devmgr_scale_command_cb on_scale_command;
    void *arg;
} devmgr_config;

/* Specs none, the scale_stable defaults, DEVMGR_DEFAULT_* timings, no callbacks. */
void devmgr_config_init(devmgr_config *cfg);

typedef struct devmgr devmgr;

/* Start the thread (it opens the devices itself: this returns at once).  NULL with why set when
 * out of memory or the thread could not start. */
devmgr *devmgr_start(const devmgr_config *cfg, char *why, size_t cap);
/* Retry every closed device now (hotplug: something was plugged in).  Thread-safe. */
void devmgr_nudge(devmgr *m);
/* Zero or tare the scale: queued (at most DEVMGR_SCALE_QUEUE waiting) and done on the manager's
 * thread on the open scale, its outcome through on_scale_command.  Thread-safe; returns at once:
 * DEVICE_OK queued, DEVICE_ERR_BUSY when the queue is full (nothing will be called back).
 * Per codec:
 *   HIDSCALE: zero = the Control report `02 02` (Zero Scale, devices.md §1.5) through ops->write
 *     (USB: the interrupt OUT endpoint, else a HID SET_REPORT -- peripherals/usb.h); tare is
 *     UNSUPPORTED: HID POS has no tare usage.
 *   SERIAL_SCALE os2 / os2-active: `<ZK>\t` / `<TK>\t` written (os2_request_bytes); the OS2
 *     protocol does not acknowledge them, so DEVICE_OK means "sent".
 *   SERIAL_SCALE xk3190*, stgs: UNSUPPORTED (continuous formats, no command: the indicator's keys).
 * A link's scale_command hook is asked first.  No scale open: DEVICE_ERR_NOT_FOUND. */
#define DEVMGR_SCALE_QUEUE 8
device_err devmgr_scale_command(devmgr *m, devmgr_scale_cmd cmd);
/* Stop the thread, close the devices, free.  NULL is fine. */
void devmgr_stop(devmgr *m);

/* What the manager knows of one class, for `devices` and tests (a consistent snapshot). */
typedef struct {
    bool managed;                  /* spec not none */
    devspec spec;
    device_state state;
    device_err err;                /* the last error (also while retrying) */
    char why[DEVMGR_WHY_CAP];      /* the opener's or the read's sentence ("" when none) */
    const char *hint;              /* the opener's udev hint, for device_error_text */
    char name[DEVICE_NAME_CAP];
    devmgr_codec codec;
    uint64_t opens, open_failures; /* successful opens; failed attempts */
    uint64_t reports;              /* reads that returned bytes */
    uint64_t readings, codes;      /* decoded scale readings; complete codes */
    uint64_t garbage;              /* refused reports, dropped codes, undecodable bytes */
} devmgr_status;

void devmgr_get_status(devmgr *m, device_class cls, devmgr_status *out);

#endif
