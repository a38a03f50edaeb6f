/* emu: emulated USB devices for the libusb transport's tests (tests/usb/) -- a umockdev testbed
 * in this process (the umockdev preload is linked into the test binary, so libusb's open/ioctl
 * calls on /dev/bus/usb and its reads of /sys land in the testbed) and one usbdevfs ioctl
 * handler per device that behaves like the device: control requests for string and HID report
 * descriptors, interrupt/bulk IN reports the test queues, bulk OUT bytes captured (a printer
 * answers DLE EOT n with its status byte), stalls, unplugging, a printer that stops answering,
 * a kernel driver that can be detached and reattached.
 *
 * This is the edge the tests cannot reach otherwise (no USB hardware, no root): everything
 * above usbdevfs -- libusb and peripherals/usb.c -- is the real code.  The device descriptors
 * follow devices.md §5.2 (scale 0922:8003, printer 0416:5011); the HID report descriptors are
 * synthetic (devices.md §1.7: no real one was found), built from the usage tables. */
#ifndef FUPIN_TESTS_USB_EMU_H
#define FUPIN_TESTS_USB_EMU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum {
    EMU_SCALE,       /* HID, report descriptor with usage page 0x8D, EP 0x81 interrupt IN 8 */
    EMU_KEYBOARD,    /* HID boot keyboard (3/1/1), EP 0x81 interrupt IN 8: scanner or keyboard */
    EMU_HIDPOS,      /* HID, report descriptor with usage page 0x8C, EP 0x81 interrupt IN 64 */
    EMU_PRINTER,     /* class 7, EP 0x02 bulk OUT 64, EP 0x83 bulk IN 64 */
} emu_kind;

typedef struct emu_dev emu_dev;

/* Start the testbed (once per test program; sets $UMOCKDEV_DIR for libusb). */
void emu_start(void);
void emu_stop(void);
/* The testbed's root directory (for the permission test). */
const char *emu_root(void);

/* Plug in a device at port `port` of bus 1 (sysfs /devices/usb1/1-PORT, node 001/DEVNUM). */
emu_dev *emu_plug(emu_kind kind, uint16_t vid, uint16_t pid, unsigned port, unsigned devnum,
                  const char *manufacturer, const char *product);
/* A HID device with usbhid bound to interface 0 (until detached) and, as the kernel shows it,
 * its hid device in sysfs with the report descriptor (.../1-P:1.0/0003:VVVV:PPPP.0001/). */
emu_dev *emu_plug_bound(emu_kind kind, uint16_t vid, uint16_t pid, unsigned port, unsigned devnum,
                        const char *manufacturer, const char *product);
/* A device whose node is a plain file with no ioctl handler: enough to be listed and to fail
 * open(2) on permissions (the handler's socket would make the preload exit instead). */
emu_dev *emu_plug_inert(emu_kind kind, uint16_t vid, uint16_t pid, unsigned port, unsigned devnum);
/* Unplug: every later ioctl fails with ENODEV, pending URBs end with -ESHUTDOWN, the remove
 * uevent is sent and the device leaves sysfs. */
void emu_unplug(emu_dev *d);
/* Plug the same device in again (same port and node). */
void emu_replug(emu_dev *d);
/* Unplug (if plugged) and free. */
void emu_free(emu_dev *d);
/* Free every device still plugged (a test's teardown: a failed test leaves its devices). */
void emu_free_all(void);

/* Queue one IN report (copied). */
void emu_push_in(emu_dev *d, const uint8_t *bytes, size_t len);
/* The next IN transfer ends with -EPIPE (a stall). */
void emu_stall_next_in(emu_dev *d);
/* The printer stops completing OUT transfers (they stay pending until libusb discards them).
 * false also ends emu_hold_out_after. */
void emu_stop_answering(emu_dev *d, bool stop);
/* The printer takes `bytes` more data bytes, then holds every OUT transfer that would go past
 * them (a printer that stops taking bytes mid-receipt); a transfer that is only a DLE EOT
 * request is not counted and still answered.  Ended by emu_stop_answering(false) or a replug. */
void emu_hold_out_after(emu_dev *d, size_t bytes);
/* OUT transfers held now (not completed, not yet discarded or ended by an unplug). */
size_t emu_held_out(emu_dev *d);
/* The printer's DLE EOT reply: `status` for every n. */
void emu_set_status(emu_dev *d, uint8_t status);
/* ... for DLE EOT n alone (1..4). */
void emu_set_status_n(emu_dev *d, unsigned n, uint8_t status);
/* A kernel driver ("usbhid") bound to interface 0 until detached. */
void emu_set_kernel_driver(emu_dev *d, bool bound);

/* Bytes received on the OUT endpoint so far (copied into out, up to cap); returns the count
 * copied, or with out NULL how many there are. */
size_t emu_out_bytes(emu_dev *d, uint8_t *out, size_t cap);
/* HID SET_REPORT requests taken so far, each as its 8-byte setup packet then its data (copied
 * into out, up to cap); returns the count.  A printer stalls SET_REPORT. */
size_t emu_set_reports(emu_dev *d, uint8_t *out, size_t cap);
/* SET_REPORT of the report types in mask (bit 1 << type: 2 output, 3 feature) stalls from now
 * on (0: none does). */
void emu_refuse_set_report(emu_dev *d, unsigned type_mask);
/* Counters: detaches, reattaches, claims, releases, clear-halts of the kernel-driver dance. */
typedef struct {
    unsigned detach, attach, claim, release, clear_halt, discard;
    unsigned report_requests;     /* GET_DESCRIPTOR (HID report) control requests */
    unsigned string_requests;     /* GET_DESCRIPTOR (string) control requests: the device was opened */
} emu_counts;
emu_counts emu_get_counts(emu_dev *d);

#endif
