/* usb_match: which USB devices the till drives and as what -- the pure classification behind
 * usb_list (peripherals/usb.c), kept apart from libusb so a table test can hold every rule.
 *
 * A device is described by what its descriptors say (VID:PID, interfaces with class, subclass,
 * protocol and endpoints, the product strings, each HID interface's report descriptor) and
 * classified (issue #9):
 *   - HID scale: a VID:PID of hidscale_known_scale, or a HID interface whose report descriptor
 *     declares usage page 0x8D (hidscale_descriptor_is_scale);
 *   - HID POS scanner: a HID interface whose report descriptor declares usage page 0x8C;
 *   - printer: an interface of class 7 with a bulk OUT endpoint (bulk IN optional: status);
 *   - keyboard scanner: a boot keyboard interface (class 3, subclass 1, protocol 1) ONLY when
 *     the vendor is a barcode-scanner maker (usb_match_scanner_vendor) or the product string
 *     says "scanner" or "barcode".  A real keyboard must never be claimed: the cashier would
 *     lose the keyboard.
 * A composite device is classified by its strongest interface: scale, then HID POS scanner,
 * then printer, then keyboard scanner.  Pure: no libusb, no I/O. */
#ifndef FUPIN_PERIPHERALS_USB_MATCH_H
#define FUPIN_PERIPHERALS_USB_MATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "peripherals/device.h"

typedef enum {
    USB_KIND_HID_SCALE,
    USB_KIND_KBD_SCANNER,
    USB_KIND_HIDPOS_SCANNER,
    USB_KIND_PRINTER,
} usb_kind;

#define USB_MATCH_MAX_IFACES 8

#define USB_MATCH_CLASS_HID 3u       /* interface classes (USB-IF class codes) */
#define USB_MATCH_CLASS_PRINTER 7u
#define USB_HID_USAGE_PAGE_POS_SCANNER 0x8C

/* One interface (alternate setting 0) as its descriptors describe it. */
typedef struct {
    uint8_t number, cls, subclass, protocol;
    uint8_t int_in, int_out;       /* first interrupt IN / OUT endpoint address, 0 = none */
    uint8_t bulk_in, bulk_out;     /* first bulk IN / OUT endpoint address, 0 = none */
    uint16_t int_in_size, bulk_in_size;   /* their wMaxPacketSize */
    const uint8_t *report_desc;    /* HID only: the report descriptor, NULL when not fetched */
    size_t report_len;
} usb_match_iface;

typedef struct {
    uint16_t vid, pid;
    const char *manufacturer, *product;   /* string descriptors, NULL when absent */
    size_t n_iface;
    usb_match_iface iface[USB_MATCH_MAX_IFACES];
} usb_match_dev;

/* The verdict: what the device is and which interface and endpoints the transport uses. */
typedef struct {
    device_class cls;
    usb_kind kind;
    uint8_t iface, ep_in, ep_out;  /* ep 0 = none */
    uint16_t in_size;
} usb_match_result;

/* Classify d (rules above).  False when the till does not drive it (a keyboard, a mouse, a
 * hub, a HID device of another usage page, a printer without bulk OUT). */
bool usb_match_classify(const usb_match_dev *d, usb_match_result *out);

/* The device as a configured class (--scale/--scanner/--printer usb:VID:PID): an interface
 * usb_match_classify gives that class if there is one; else, for a device we do not know, a
 * scale = the first HID interface with an interrupt IN endpoint, a scanner = the first HID
 * keyboard interface (protocol 1, boot or not) read as boot-keyboard reports, a printer (or
 * drawer) = the first interface with a bulk OUT endpoint (many Chinese ESC/POS printers are
 * vendor class 0xFF).  False when the device has no such interface. */
bool usb_match_as_class(const usb_match_dev *d, device_class cls, usb_match_result *out);

/* "hid-scale", "kbd-scanner", "hidpos-scanner", "printer". */
const char *usb_kind_name(usb_kind k);

/* A vendor ID that only barcode-scanner makers use; *name (may be NULL) gets the maker. */
bool usb_match_scanner_vendor(uint16_t vid, const char **name);

/* Does a product string say "scanner" or "barcode" (ASCII case-insensitive)?  NULL: no. */
bool usb_match_product_is_scanner(const char *product);

/* Is this interface a HID boot keyboard (class 3, subclass 1, protocol 1)? */
bool usb_match_is_boot_keyboard(const usb_match_iface *i);

#endif
