/* printer/file_printer: DEVSPEC_FILE (`--printer file:PATH`) -- the printer is a file the
 * bytes are appended to, for a till without a printer that still wants its receipts kept, and
 * for a printer exposed as a character device the kernel's usblp driver already owns
 * (/dev/usb/lp0: writes only).  No status (the transport has no read: the queue prints
 * blind), no drawer feedback. */
#ifndef FUPIN_PERIPHERALS_PRINTER_FILE_PRINTER_H
#define FUPIN_PERIPHERALS_PRINTER_FILE_PRINTER_H

#include <stddef.h>

#include "peripherals/device.h"
#include "peripherals/devspec.h"

/* The print queue's opener for DEVSPEC_FILE (print_queue.h print_open_fn): opens spec->path
 * for appending (created 0600).  arg unused.  Close with file_printer_closer. */
device_err file_printer_opener(void *arg, const devspec *spec, const device_ops **ops,
                               void **self, char *name, size_t name_cap, char *why,
                               size_t why_cap);
void file_printer_closer(void *arg, const device_ops *ops, void *self);

extern const device_ops file_printer_ops;

#endif
