/* printer_rt: a receipt printer's condition asked over its transport with the ESC/POS
 * real-time status requests (DLE EOT 1, then 2 when offline, then 4: devices.md §4.2) -- the
 * one exchange the print queue runs before each receipt and when idle, and that a `devices`
 * listing can run too.  Transport I/O through device_ops; the bytes are escpos.h's. */
#ifndef FUPIN_PERIPHERALS_PRINTER_PRINTER_RT_H
#define FUPIN_PERIPHERALS_PRINTER_PRINTER_RT_H

#include "peripherals/device.h"

typedef enum {
    PRINTER_READY = 0,
    PRINTER_NO_STATUS,          /* no reply in time, or garbage: printed to blind */
    PRINTER_OFFLINE,            /* offline, no cause we know */
    PRINTER_COVER_OPEN,
    PRINTER_PAPER_OUT,
    PRINTER_PAPER_NEAR_END,     /* ready, but the roll is nearly done */
} printer_condition;

const char *printer_condition_name(printer_condition c);   /* "ready", "paper out", ... */

/* Ask.  A stale reply byte is drained first (a reply that came after its timeout must not
 * answer the next request).  DEVICE_OK with *out set, or the transport's error (ops->read
 * must not be NULL). */
device_err printer_rt_query(const device_ops *ops, void *self, int write_timeout_ms,
                            int reply_timeout_ms, printer_condition *out);

#endif
