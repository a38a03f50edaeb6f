/* serial: the tty transport for serial peripherals (Chinese serial scales behind a USB-serial
 * adapter, issue #9) -- a port spec, open/claim/configure, reads and writes with timeouts, and
 * errno mapped to device_err.  The only file of the tree that includes <termios.h>.
 *
 * A port spec is "PATH[,BAUD[,FRAME]]": PATH absolute ("/dev/ttyUSB0"), BAUD one of 1200 2400
 * 4800 9600 19200 38400 57600 115200 (default 9600), FRAME data bits 7/8, parity N/E/O, stop
 * bits 1/2 ("8N1", the default; "7E1" for many XK3190 heads).  Anything else is refused with a
 * sentence naming the bad part.
 *
 * Open refuses what is not a character device tty (a FIFO or a regular file would block or
 * lie), takes the port for itself (flock: another cooperating program -- a second till, picocom,
 * minicom -- that already holds it makes us fail with BUSY; then TIOCEXCL: the kernel refuses
 * every later open(2) of the tty with EBUSY, cooperating or not), puts it in raw mode with the
 * spec's line settings and drops stale input.  Reads wait with poll(); a hung-up tty (the
 * adapter unplugged, the pty master closed) reads as DEVICE_ERR_DISCONNECTED. */
#ifndef FUPIN_PERIPHERALS_SERIAL_H
#define FUPIN_PERIPHERALS_SERIAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "peripherals/device.h"

#define SERIAL_PATH_CAP 256
#define SERIAL_WHY_CAP 512
#define SERIAL_DEFAULT_TIMEOUT_MS 200    /* a read or write with timeout_ms < 0 */

/* The udev rule to install on DEVICE_ERR_PERMISSION (device_error_text's hint): the rule file
 * issue #9 ships (a later slice) gives the scale adapters' ttys to the till's group. */
#define SERIAL_UDEV_HINT "60-fupin-pos.rules"

typedef struct {
    char path[SERIAL_PATH_CAP];
    unsigned baud;         /* 1200 .. 115200 */
    unsigned data_bits;    /* 7 or 8 */
    char parity;           /* 'N', 'E' or 'O' */
    unsigned stop_bits;    /* 1 or 2 */
} serial_spec;

/* Parse a port spec.  False with a sentence in why (cut to cap, may be NULL) naming the bad
 * part: "baud 9601 is not one of 1200 2400 ...", "parity 'X' is not N, E or O", ... */
bool serial_spec_parse(const char *text, serial_spec *out, char *why, size_t cap);

/* The spec back as text ("/dev/ttyUSB0,9600,8N1"); snprintf semantics. */
size_t serial_spec_format(const serial_spec *spec, char *out, size_t cap);

/* One open port: the transport's `self`. */
typedef struct {
    int fd;                    /* -1 when closed */
    serial_spec spec;
    char why[SERIAL_WHY_CAP];  /* the last error as a sentence ("" when none) */
} serial_port;

void serial_port_init(serial_port *p);

/* Open the port of a spec (see above).  Errors: NOT_FOUND (no such node, or nothing behind it),
 * PERMISSION (the node is not ours: SERIAL_UDEV_HINT), BUSY (another program holds it),
 * UNSUPPORTED (bad spec, not a character device, not a tty, settings the driver refused), IO.
 * p->why says which.  A port that is open is closed first. */
device_err serial_open(serial_port *p, const char *spec_text);
void serial_close(serial_port *p);

/* device_ops.read: up to cap bytes, waiting at most timeout_ms (< 0: the default) for the first;
 * DEVICE_OK with *got == 0 is "nothing yet".  DEVICE_ERR_DISCONNECTED once the tty hung up. */
device_err serial_read(serial_port *p, uint8_t *buf, size_t cap, size_t *got, int timeout_ms);
/* device_ops.write: all of buf within timeout_ms (< 0: the default) or DEVICE_ERR_TIMEOUT. */
device_err serial_write(serial_port *p, const uint8_t *buf, size_t len, int timeout_ms);

/* The ops table of a serial scale over a serial_port (self = serial_port *). */
extern const device_ops serial_scale_ops;

#endif
