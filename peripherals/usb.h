/* usb: the libusb transport of issue #9 -- finding the USB scales, scanners and printers the till
 * drives (classified by peripherals/usb_match.h), opening and claiming one (the kernel driver
 * detached while we hold it, reattached on close), reads and writes with timeouts, libusb errors
 * mapped to device_err, and hotplug.  The only file of the tree that includes <libusb.h>.
 *
 * Nothing here blocks without a bound: every transfer, control request and event pump has a
 * timeout (timeout_ms < 0: USB_DEFAULT_TIMEOUT_MS; 0 on a read: poll, i.e. 1 ms, because libusb
 * reads 0 as "forever").  A bus is used by one thread at a time for listing and opening; a
 * usb_dev is used by one thread at a time; usb_bus_pump may run on another thread (libusb
 * serialises event handling).
 *
 * Error mapping (libusb -> device_err): ACCESS -> PERMISSION with the udev rule to install
 * (USB_UDEV_HINT, the same 60-fupin-pos.rules as serial.h); NO_DEVICE -> DISCONNECTED;
 * TIMEOUT on a read -> DEVICE_OK with *got 0 (nothing yet), on a write -> TIMEOUT; PIPE ->
 * STALL (the halt is cleared once first, so the next transfer may work); BUSY -> BUSY;
 * NOT_FOUND -> NOT_FOUND; NOT_SUPPORTED -> UNSUPPORTED; NO_MEM -> NO_MEMORY; OVERFLOW, IO and
 * the rest -> IO.  Each failure leaves a sentence naming the device in the why buffer. */
#ifndef FUPIN_PERIPHERALS_USB_H
#define FUPIN_PERIPHERALS_USB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "peripherals/device.h"
#include "peripherals/devspec.h"
#include "peripherals/serial.h"
#include "peripherals/usb_match.h"

#define USB_UDEV_HINT SERIAL_UDEV_HINT     /* assets/udev/60-fupin-pos.rules */
#define USB_DEFAULT_TIMEOUT_MS 200
#define USB_CONTROL_TIMEOUT_MS 500         /* descriptors, strings, clear halt */
#define USB_WHY_CAP 256
#define USB_LIST_MAX 32                    /* a listing's room (usb_list callers); usb_find looks at all */

/* A libusb context (+ hotplug registration). */
typedef struct usb_bus usb_bus;

/* NULL + why when libusb cannot start. */
usb_bus *usb_bus_open(char *why, size_t cap);
void usb_bus_close(usb_bus *b);

/* usb_kind and usb_kind_name ("hid-scale", "kbd-scanner", "hidpos-scanner", "printer") are
 * usb_match.h's. */

typedef struct {
    device_class cls;
    usb_kind kind;
    uint16_t vid, pid;
    char where[32];                 /* "bus-port.port" path, stable across replug in the same socket */
    char name[DEVICE_NAME_CAP];     /* "<manufacturer> <product> vid:pid" or "<table name> vid:pid" */
    uint8_t iface, ep_in, ep_out;   /* ep 0 = none */
    uint16_t in_size;               /* wMaxPacketSize of ep_in */
} usb_found;

/* Every USB device we would drive, classified; *n set (at most cap are stored).  False + why
 * on a libusb failure.  Opens a device (never claims it) only to read its strings and HID
 * report descriptors, and only one with a HID interrupt IN or a printer bulk OUT: a device
 * whose node is not ours is classified without them. */
bool usb_list(usb_bus *b, usb_found *out, size_t cap, size_t *n, char *why, size_t cap2);

/* How many USB devices usb_list would give of cls (DEVICE_CLASS_COUNT: of any class); 0 on a
 * libusb failure.  For "any", a device the descriptors libusb keeps decide (a printer-class
 * interface, a known scale, a scanner vendor's boot keyboard) or sysfs's report descriptors
 * decide is not opened: the question "is anything of ours plugged in" asked at start-up. */
size_t usb_count(usb_bus *b, device_class cls);

/* The device a devspec means: DEVSPEC_AUTO = the first of spec->cls found (DEVICE_DRAWER means
 * the printer); DEVSPEC_USB = that vid:pid, classified or not -- a configured keyboard scanner
 * is claimed even if unknown (usb_match_as_class).  Opens (never claims) to read strings and
 * report descriptors only the devices that could be that one: that vid:pid, or one with an
 * interface of the class (a printer-class bulk OUT for a printer, a HID interrupt IN else).  NOT_FOUND when absent, UNSUPPORTED for a
 * spec that is not auto/usb or a device that cannot serve the class, IO on a libusb failure. */
device_err usb_find(usb_bus *b, const devspec *spec, usb_found *out, char *why, size_t cap);

typedef struct usb_dev usb_dev;

/* Open + claim f's interface (found again by `where`, or by vid:pid when the socket changed),
 * the kernel driver detached first and reattached on close. */
device_err usb_dev_open(usb_bus *b, const usb_found *f, usb_dev **out, char *why, size_t cap);
void usb_dev_close(usb_dev *d);

/* One IN transfer from ep_in (interrupt for HID, bulk for a printer): a whole report. */
device_err usb_dev_read(usb_dev *d, uint8_t *buf, size_t cap, size_t *got, int timeout_ms);
/* All of buf to ep_out within timeout_ms, or DEVICE_ERR_TIMEOUT ("took k of n bytes").  A HID
 * interface without an OUT endpoint (many scales) takes an output report as a SET_REPORT
 * control request instead, as the HID spec says a host must send it then: buf[0] is the report
 * ID (the interrupt pipe's convention, hidapi's too), sent as an Output report, and when the
 * device stalls that, as a Feature report (a scale's descriptor may declare its Control report
 * either way: erjiang/usbscale writes it to the OUT pipe, ScaleActivity sends SET_REPORT
 * Feature -- devices.md §1.5).  Done here, not by the caller, so ops->write means "send this
 * output report" whatever the pipe. */
device_err usb_dev_write(usb_dev *d, const uint8_t *buf, size_t len, int timeout_ms);

#define USB_HID_REPORT_OUTPUT 0x02
#define USB_HID_REPORT_FEATURE 0x03
/* HID SET_REPORT (bmRequestType 0x21, bRequest 0x09, wValue report_type << 8 | report_id,
 * wIndex the interface) with data (which starts with the report ID when the device uses IDs).
 * DEVICE_ERR_STALL when the device refuses it. */
device_err usb_dev_set_report(usb_dev *d, uint8_t report_type, uint8_t report_id,
                              const uint8_t *data, size_t len, int timeout_ms);
/* The last error of d as a sentence ("" when none). */
const char *usb_dev_why(const usb_dev *d);
const usb_found *usb_dev_found(const usb_dev *d);
/* True when the kernel driver was detached on open (it is reattached on close). */
bool usb_dev_detached_kernel_driver(const usb_dev *d);

/* self = usb_dev *; open/close are NULL (use usb_dev_open / usb_dev_close); read = usb_dev_read,
 * write = usb_dev_write.  usb_device_ops serves every class (cls DEVICE_CLASS_COUNT); a device
 * value should carry usb_ops_for(f->cls), the same functions with its class. */
extern const device_ops usb_device_ops;
const device_ops *usb_ops_for(device_class cls);

/* Hotplug: changed(arg) is called when a device arrives or leaves, on whichever thread handles
 * libusb's events -- the one that pumps, or one inside a synchronous read or write on this
 * bus -- so it must be thread-safe (post, nudge, wake) and must not call usb_bus_watch.  False
 * when this libusb has no hotplug (then the caller polls usb_list).  A second call replaces
 * the first; changed NULL stops watching, and once it returns no `changed` runs any more. */
bool usb_bus_watch(usb_bus *b, void (*changed)(void *arg), void *arg);
/* Handle libusb events (hotplug, asynchronous completions) for up to timeout_ms. */
device_err usb_bus_pump(usb_bus *b, int timeout_ms);

#endif
