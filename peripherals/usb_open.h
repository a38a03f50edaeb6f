/* usb_open: USB devices behind the two seams that open devices -- the device manager's
 * openers (peripherals/devmgr.h: the scale and the scanner) and the print queue's opener
 * (peripherals/printer/print_queue.h: the printer) -- and the hotplug pump that tells both
 * when something was plugged in or out.
 *
 * Everything here goes through peripherals/usb.h (usb.c is the only libusb file).  A spec of
 * kind DEVSPEC_USB opens that vid:pid; DEVSPEC_AUTO opens the first device of the class
 * usb_find classifies (a known HID POS scale or a 0x8D descriptor, a scanner vendor's
 * keyboard or a 0x8C HID POS scanner, a class-7 printer).  Each open finds the device again,
 * so a scale moved to another socket is picked up by the manager's next retry.
 *
 * The pump: libusb delivers hotplug callbacks only while someone handles its events, and the
 * manager and the print queue block in their own transfers, so a small thread of its own
 * pumps the bus and calls the caller's `changed` (which nudges the manager and wakes the print
 * queue).  Without hotplug support the manager's and queue's backoff retries find a plugged
 * device within their 8 s cap. */
#ifndef FUPIN_PERIPHERALS_USB_OPEN_H
#define FUPIN_PERIPHERALS_USB_OPEN_H

#include <stdbool.h>
#include <stddef.h>

#include "peripherals/devmgr.h"
#include "peripherals/usb.h"

/* A devmgr row for class cls (DEVICE_SCALE or DEVICE_SCANNER) and spec kind (DEVSPEC_USB or
 * DEVSPEC_AUTO) over bus b (the caller's; it outlives the manager).  The link's codec follows
 * the device found: HID scale -> DEVMGR_CODEC_HIDSCALE, keyboard scanner -> BOOTKBD, HID POS
 * scanner -> HIDPOS_SCANNER.  Hint: USB_UDEV_HINT. */
devmgr_opener usb_open_devmgr(usb_bus *b, device_class cls, devspec_kind kind);

/* print_open_fn / print_close_fn with arg = usb_bus * (spec kind USB or AUTO). */
device_err usb_open_printer(void *arg, const devspec *spec, const device_ops **ops, void **self,
                            char *name, size_t name_cap, char *why, size_t why_cap);
void usb_close_printer(void *arg, const device_ops *ops, void *self);

/* How many devices of class cls bus b has now (DEVICE_CLASS_COUNT: of any class we drive). */
size_t usb_open_count(usb_bus *b, device_class cls);

typedef struct usb_pump usb_pump;
/* Start pumping b's events on a thread of its own; changed(arg) runs after every arrival or
 * departure -- on that thread, or on a thread inside a USB transfer of the same bus (libusb
 * runs callbacks wherever events are handled; usb.h usb_bus_watch), so it must be
 * thread-safe.  NULL (with why) when the thread cannot start or b has no hotplug (then
 * nothing needs pumping: the retries find devices). */
usb_pump *usb_pump_start(usb_bus *b, void (*changed)(void *arg), void *arg, char *why,
                         size_t cap);
/* Stop and join (within one pump slice, 100 ms); once it returns, changed never runs again,
 * so stop the pump before what changed touches.  NULL is fine. */
void usb_pump_stop(usb_pump *p);

#endif
