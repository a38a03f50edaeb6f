/* serial_scale: a serial scale as readings -- the protocol named by configuration (xk3190, stgs,
 * os2) over any transport's device_ops (serial.c on a tty; a sim or a pty in tests), bytes read
 * into the protocol's stream parser and readings out; for the polled OS2 protocol it also asks
 * (ENQ, then DC1 after the ACK) and gives up on an unanswered request after answer_ms.
 *
 * No threads and no clock of its own beyond CLOCK_MONOTONIC for the deadlines: the device
 * manager (a later slice) calls serial_scale_next on its thread and runs scale_stable on what
 * comes out. */
#ifndef FUPIN_PERIPHERALS_SCALE_SERIAL_SCALE_H
#define FUPIN_PERIPHERALS_SCALE_SERIAL_SCALE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "peripherals/device.h"
#include "peripherals/scale/os2.h"
#include "peripherals/scale/scale_reading.h"
#include "peripherals/scale/stgs.h"
#include "peripherals/scale/xk3190.h"

typedef enum {
    SERIAL_SCALE_XK3190 = 0,   /* continuous; format and unit from the configuration */
    SERIAL_SCALE_STGS,         /* continuous "ST,GS,+0001.234kg" lines */
    SERIAL_SCALE_OS2,          /* ACLAS OS2: polled (ENQ/ACK/DC1) or active */
} serial_scale_proto;

typedef struct {
    serial_scale_proto proto;
    xk3190_format xk_format;   /* SERIAL_SCALE_XK3190 */
    scale_unit unit;           /* SERIAL_SCALE_XK3190: the indicator's unit (kg) */
    bool os2_active;           /* SERIAL_SCALE_OS2: the scale sends on its own */
    int answer_ms;             /* polled: how long an ENQ or DC1 waits for its answer */
} serial_scale_config;

#define SERIAL_SCALE_ANSWER_MS 500

/* Parse the protocol's configuration text:
 *   "xk3190" (= "xk3190-stx"), "xk3190-eq" (reversed "=", = "xk3190-eq-rev"), "xk3190-eq-fwd",
 *   "xk3190-a12", each optionally ":g" / ":kg" / ":lb" for the unit of the formats that carry
 *   none (kg by default); "stgs"; "os2" (polled), "os2-active".
 * False with a sentence in why naming the bad part. */
bool serial_scale_config_parse(const char *text, serial_scale_config *out, char *why, size_t cap);

typedef enum { SERIAL_SCALE_IDLE = 0, SERIAL_SCALE_WAIT_ACK, SERIAL_SCALE_WAIT_FRAME } serial_scale_phase;

typedef struct {
    serial_scale_config cfg;
    const device_ops *ops;
    void *dev;                 /* the transport's self, already open */
    xk3190_stream xk;
    stgs_stream stgs;
    os2_stream os2;
    uint8_t pend[256];         /* read but not yet taken by the stream */
    size_t pend_off, pend_len;
    serial_scale_phase phase;  /* polled OS2 only */
    int64_t phase_deadline_ms;
    uint64_t readings;
    uint64_t requests;         /* polled: ENQs sent */
    uint64_t unanswered;       /* polled: ENQs or DC1s that timed out */
} serial_scale;

/* A scale over an open transport (ops->read required; ops->write for polled OS2). */
void serial_scale_init(serial_scale *s, const serial_scale_config *cfg, const device_ops *ops,
                       void *dev);

/* The next reading within timeout_ms (0: only what is already there; < 0: answer_ms): DEVICE_OK with *got true
 * and *out set, or DEVICE_OK with *got false (nothing yet -- the protocol's polls keep going on
 * the next call), or the transport's error (DEVICE_ERR_DISCONNECTED, ...). */
device_err serial_scale_next(serial_scale *s, scale_reading *out, bool *got, int timeout_ms);

/* Zero (tare false) or tare the scale: OS2 (polled or active) writes `<ZK>\t` / `<TK>\t`
 * (devices.md §3.6) within answer_ms; the protocol acknowledges neither, so DEVICE_OK means the
 * bytes went out.  The poll dialog is left as it is: a pending ENQ/DC1 keeps its deadline and
 * its answer is still taken.  XK3190 and ST/GS are continuous formats without a command:
 * DEVICE_ERR_UNSUPPORTED.  Either way a sentence in why (cap > 0). */
device_err serial_scale_zero_tare(serial_scale *s, bool tare, char *why, size_t cap);

#endif
