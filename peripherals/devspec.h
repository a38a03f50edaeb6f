/* devspec: which device of a class the till should use -- the `--scale SPEC`, `--scanner SPEC`,
 * `--printer SPEC` options of ../shared/CLI.md and the config keys device.scale, device.scanner,
 * device.printer, parsed once into a value every transport and the device manager read.
 *
 *   auto                        detect (the default: an empty or absent spec is auto)
 *   none                        no such device (the scanner then stays the keyboard wedge)
 *   sim                         the simulated device (scale set by script and keys, printer
 *                               bytes to a file in the state directory)
 *   usb:VID:PID                 that USB device, 4 hex digits each ("usb:0922:8003")
 *   serial:PATH[:BAUD[:PROTO]]  a serial scale: PATH absolute, BAUD "9600" or "9600,7E1"
 *                               (serial.h's BAUD,FRAME), PROTO serial_scale_config_parse's
 *                               text ("xk3190", "xk3190-eq:kg", "stgs", "os2", ...; default
 *                               xk3190) -- a protocol may itself hold ':', so it is the rest
 *   file:PATH                   printer only: the bytes appended to PATH
 *
 * Which kinds a class takes: scale auto none sim usb serial; scanner auto none sim usb;
 * printer auto none sim usb file; drawer is the printer's (no spec of its own).  Anything else
 * is refused with a sentence naming the bad part.  Pure: no I/O. */
#ifndef FUPIN_PERIPHERALS_DEVSPEC_H
#define FUPIN_PERIPHERALS_DEVSPEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "peripherals/device.h"

typedef enum {
    DEVSPEC_AUTO = 0,
    DEVSPEC_NONE,
    DEVSPEC_SIM,
    DEVSPEC_USB,
    DEVSPEC_SERIAL,
    DEVSPEC_FILE,
} devspec_kind;

#define DEVSPEC_PATH_CAP 256
#define DEVSPEC_PROTO_CAP 48

typedef struct {
    device_class cls;
    devspec_kind kind;
    uint16_t vid, pid;                 /* DEVSPEC_USB */
    char path[DEVSPEC_PATH_CAP];       /* DEVSPEC_SERIAL: the tty; DEVSPEC_FILE: the file */
    char port[DEVSPEC_PATH_CAP + 16];  /* DEVSPEC_SERIAL: serial_open's "PATH,BAUD,FRAME" */
    char proto[DEVSPEC_PROTO_CAP];     /* DEVSPEC_SERIAL: serial_scale_config_parse's text */
} devspec;

/* Parse text (NULL or "" = auto) for class cls.  False with a sentence in why (may be NULL)
 * naming the bad part; out is then an auto spec of cls. */
bool devspec_parse(device_class cls, const char *text, devspec *out, char *why, size_t cap);

/* The spec back in the grammar above (parse(format(s)) == s); snprintf semantics. */
size_t devspec_format(const devspec *s, char *out, size_t cap);

const char *devspec_kind_name(devspec_kind kind);   /* "auto", "none", "sim", "usb", ... */

#endif
