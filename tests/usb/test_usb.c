/* usb: the real libusb transport (peripherals/usb.c, libusb 1.0) against emulated devices
 * (tests/usb/emu.c over umockdev, in this process, no root, no hardware): found and classified,
 * claimed with the kernel driver detached and given back, reports read and decoded with the
 * real codecs (hidscale, bootkbd, escpos status), unplugged mid-read and found again after the
 * replug, hotplug callbacks, a read timeout, a stall, a short read, a printer that stops
 * answering, and a permission error that names the udev rule.  Reports are the real ones of
 * devices.md §1.4 (scale) and §2.2 (the 6957842208856 scan); printer status bytes §4.2.  Every
 * timing check has a wide upper bound (two shared cores); alarm() turns a hang into a failure. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "peripherals/printer/escpos.h"
#include "peripherals/scale/hidscale.h"
#include "peripherals/scanner/bootkbd.h"
#include "peripherals/scanner/hidpos.h"
#include "peripherals/usb.h"
#include "tests/periph/periph_test.h"
#include "tests/usb/emu.h"

#define GUARD_S 20

static int64_t ms_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static usb_bus *bus_open(void)
{
    char why[256] = "";
    usb_bus *b = usb_bus_open(why, sizeof why);
    if (!b)
        fail_msg("usb_bus_open: %s", why);
    return b;
}

static devspec spec_of(device_class cls, const char *text)
{
    devspec s;
    char why[128];
    assert_true(devspec_parse(cls, text, &s, why, sizeof why));
    return s;
}

/* usb_find, retried while libusb's hotplug thread catches up with a (re)plug. */
static device_err find_within(usb_bus *b, const devspec *s, usb_found *f, int ms)
{
    char why[256];
    int64_t end = ms_now() + ms;
    device_err e;
    while ((e = usb_find(b, s, f, why, sizeof why)) == DEVICE_ERR_NOT_FOUND && ms_now() < end)
        usb_bus_pump(b, 20);
    return e;
}

static const usb_found *by_vid(const usb_found *all, size_t n, uint16_t vid, uint16_t pid)
{
    for (size_t i = 0; i < n; i++)
        if (all[i].vid == vid && all[i].pid == pid)
            return &all[i];
    return NULL;
}

static void push_hex(emu_dev *d, const char *hex)
{
    uint8_t b[64];
    size_t n = periph_hex(hex, b, sizeof b);
    emu_push_in(d, b, n);
}

/* ---- found and classified */

static void test_list_classifies(void **state)
{
    (void)state;
    emu_dev *scale = emu_plug(EMU_SCALE, 0x0922, 0x8003, 1, 2, "DYMO", "M10 10kg Scale");
    emu_dev *scale2 = emu_plug(EMU_SCALE, 0x1234, 0x5678, 2, 3, NULL, NULL);   /* by descriptor */
    emu_dev *kscan = emu_plug(EMU_KEYBOARD, 0x0c2e, 0x0200, 3, 4, "Honeywell", "Voyager 1200g");
    emu_dev *pscan = emu_plug(EMU_KEYBOARD, 0x1a86, 0xe026, 4, 5, NULL, "USB Barcode Scanner");
    emu_dev *kbd = emu_plug(EMU_KEYBOARD, 0x046d, 0xc31c, 5, 6, "Logitech", "USB Keyboard");
    emu_dev *hpos = emu_plug(EMU_HIDPOS, 0x2345, 0x0001, 6, 7, "Acme", "POS Imager");
    emu_dev *prn = emu_plug(EMU_PRINTER, 0x0416, 0x5011, 7, 8, "Winbond", "POS58 Printer");
    usb_bus *b = bus_open();
    usb_found all[16];
    size_t n = 0;
    char why[256];
    assert_true(usb_list(b, all, 16, &n, why, sizeof why));
    assert_int_equal(n, 6);
    assert_null(by_vid(all, n, 0x046d, 0xc31c));   /* the cashier keeps the keyboard */

    const usb_found *f = by_vid(all, n, 0x0922, 0x8003);
    assert_non_null(f);
    assert_int_equal(f->cls, DEVICE_SCALE);
    assert_int_equal(f->kind, USB_KIND_HID_SCALE);
    assert_string_equal(f->where, "1-1");
    assert_string_equal(f->name, "DYMO M10 10kg Scale 0922:8003");
    assert_int_equal(f->ep_in, 0x81);
    assert_int_equal(f->in_size, 8);
    f = by_vid(all, n, 0x1234, 0x5678);
    assert_non_null(f);
    assert_int_equal(f->kind, USB_KIND_HID_SCALE);
    assert_string_equal(f->name, "hid-scale 1234:5678");
    f = by_vid(all, n, 0x0c2e, 0x0200);
    assert_non_null(f);
    assert_int_equal(f->kind, USB_KIND_KBD_SCANNER);
    assert_int_equal(f->cls, DEVICE_SCANNER);
    assert_string_equal(f->where, "1-3");
    f = by_vid(all, n, 0x1a86, 0xe026);
    assert_non_null(f);
    assert_int_equal(f->kind, USB_KIND_KBD_SCANNER);
    assert_string_equal(f->name, "USB Barcode Scanner 1a86:e026");
    f = by_vid(all, n, 0x2345, 0x0001);
    assert_non_null(f);
    assert_int_equal(f->kind, USB_KIND_HIDPOS_SCANNER);
    assert_int_equal(f->in_size, 64);
    f = by_vid(all, n, 0x0416, 0x5011);
    assert_non_null(f);
    assert_int_equal(f->kind, USB_KIND_PRINTER);
    assert_int_equal(f->cls, DEVICE_PRINTER);
    assert_int_equal(f->ep_out, 0x02);
    assert_int_equal(f->ep_in, 0x83);

    /* auto finds the first of a class; the drawer is the printer's */
    usb_found one;
    devspec s = spec_of(DEVICE_PRINTER, "auto");
    assert_int_equal(usb_find(b, &s, &one, why, sizeof why), DEVICE_OK);
    assert_int_equal(one.vid, 0x0416);
    s = spec_of(DEVICE_SCANNER, "usb:1a86:e026");
    assert_int_equal(usb_find(b, &s, &one, why, sizeof why), DEVICE_OK);
    assert_int_equal(one.kind, USB_KIND_KBD_SCANNER);

    usb_bus_close(b);
    emu_free(scale);
    emu_free(scale2);
    emu_free(kscan);
    emu_free(pscan);
    emu_free(kbd);
    emu_free(hpos);
    emu_free(prn);
}

/* HID devices usbhid holds: their report descriptors come from sysfs, never by taking the
 * interface from the kernel (that would flicker the cashier's keyboard on every listing). */
static void test_list_bound_reads_sysfs(void **state)
{
    (void)state;
    emu_dev *pos = emu_plug_bound(EMU_HIDPOS, 0x2345, 0x0002, 1, 2, "Acme", "POS Imager");
    emu_dev *scl = emu_plug_bound(EMU_SCALE, 0x1234, 0x0077, 2, 3, NULL, NULL);
    usb_bus *b = bus_open();
    usb_found all[8];
    size_t n = 0;
    char why[256];
    assert_true(usb_list(b, all, 8, &n, why, sizeof why));
    assert_int_equal(n, 2);
    const usb_found *f = by_vid(all, n, 0x2345, 0x0002);
    assert_non_null(f);
    assert_int_equal(f->kind, USB_KIND_HIDPOS_SCANNER);
    f = by_vid(all, n, 0x1234, 0x0077);
    assert_non_null(f);
    assert_int_equal(f->kind, USB_KIND_HID_SCALE);
    emu_counts c = emu_get_counts(pos);
    assert_int_equal(c.detach + c.claim + c.report_requests, 0);
    c = emu_get_counts(scl);
    assert_int_equal(c.detach + c.claim + c.report_requests, 0);
    /* opening it is what takes it from usbhid, and closing gives it back */
    usb_dev *d = NULL;
    assert_int_equal(usb_dev_open(b, by_vid(all, n, 0x2345, 0x0002), &d, why, sizeof why),
                     DEVICE_OK);
    assert_int_equal(emu_get_counts(pos).detach, 1);
    usb_dev_close(d);
    assert_int_equal(emu_get_counts(pos).attach, 1);
    usb_bus_close(b);
    emu_free(pos);
    emu_free(scl);
}

/* A configured VID:PID is claimed even when we would not classify it; a wrong class or an
 * absent device is a clear refusal. */
static void test_find_configured(void **state)
{
    (void)state;
    emu_dev *kbd = emu_plug(EMU_KEYBOARD, 0x2222, 0x3333, 1, 2, NULL, "HID Device");
    usb_bus *b = bus_open();
    usb_found all[8], f;
    size_t n = 0;
    char why[256];
    assert_true(usb_list(b, all, 8, &n, why, sizeof why));
    assert_int_equal(n, 0);
    devspec s = spec_of(DEVICE_SCANNER, "usb:2222:3333");
    assert_int_equal(usb_find(b, &s, &f, why, sizeof why), DEVICE_OK);
    assert_int_equal(f.kind, USB_KIND_KBD_SCANNER);
    assert_int_equal(f.ep_in, 0x81);
    s = spec_of(DEVICE_PRINTER, "usb:2222:3333");
    assert_int_equal(usb_find(b, &s, &f, why, sizeof why), DEVICE_ERR_UNSUPPORTED);
    assert_non_null(strstr(why, "2222:3333"));
    s = spec_of(DEVICE_SCALE, "usb:dead:beef");
    assert_int_equal(usb_find(b, &s, &f, why, sizeof why), DEVICE_ERR_NOT_FOUND);
    assert_non_null(strstr(why, "dead:beef"));
    s = spec_of(DEVICE_SCALE, "sim");
    assert_int_equal(usb_find(b, &s, &f, why, sizeof why), DEVICE_ERR_UNSUPPORTED);
    usb_bus_close(b);
    emu_free(kbd);
}

/* ---- claimed, read, decoded */

static usb_dev *open_found(usb_bus *b, device_class cls, usb_found *f)
{
    devspec s = spec_of(cls, "auto");
    char why[256];
    assert_int_equal(find_within(b, &s, f, 2000), DEVICE_OK);
    usb_dev *d = NULL;
    device_err e = usb_dev_open(b, f, &d, why, sizeof why);
    if (e != DEVICE_OK)
        fail_msg("usb_dev_open: %s", why);
    return d;
}

static void read_scale(usb_dev *d, scale_reading *r)
{
    uint8_t buf[8];
    size_t got = 0;
    assert_int_equal(usb_dev_read(d, buf, sizeof buf, &got, 1000), DEVICE_OK);
    assert_int_equal(got, 6);
    assert_int_equal(hidscale_parse(buf, got, r), HIDSCALE_OK);
}

static void test_scale_reports(void **state)
{
    (void)state;
    emu_dev *e = emu_plug(EMU_SCALE, 0x0922, 0x8003, 1, 2, "DYMO", "M10");
    usb_bus *b = bus_open();
    usb_found f;
    usb_dev *d = open_found(b, DEVICE_SCALE, &f);
    assert_int_equal(emu_get_counts(e).claim, 1);
    assert_false(usb_dev_detached_kernel_driver(d));
    push_hex(e, "03 02 0B FF 00 00");      /* DYMO M10 at zero, ounces */
    push_hex(e, "03 04 02 00 E8 03");      /* 1000 g stable */
    push_hex(e, "03 04 0C FE 11 03");      /* Fairbanks 7.85 lb */
    push_hex(e, "03 03 02 00 F4 01");      /* 500 g in motion */
    scale_reading r;
    read_scale(d, &r);
    assert_int_equal(r.grams, 0);
    assert_true(r.flags & SCALE_F_STABLE);
    read_scale(d, &r);
    assert_int_equal(r.grams, 1000);
    assert_true(scale_reading_usable(&r));
    read_scale(d, &r);
    assert_int_equal(r.grams, 3561);       /* 7.85 lb = 3560.7 g */
    read_scale(d, &r);
    assert_int_equal(r.grams, 500);
    assert_false(scale_reading_usable(&r));
    /* the device value the manager holds */
    device dev;
    device_init(&dev, usb_ops_for(f.cls), d, f.name);
    assert_int_equal(dev.ops->cls, DEVICE_SCALE);
    push_hex(e, "03 04 02 00 E8 03");
    uint8_t buf[8];
    size_t got = 0;
    assert_int_equal(dev.ops->read(dev.self, buf, sizeof buf, &got, 1000), DEVICE_OK);
    assert_int_equal(got, 6);
    usb_dev_close(d);
    assert_int_equal(emu_get_counts(e).release, 1);
    usb_bus_close(b);
    emu_free(e);
}

/* The Zero Scale report (devices.md §1.5) through the scale's ops->write: the emulated scale
 * has no OUT endpoint, so it goes as SET_REPORT Output 2 on interface 0; a scale that stalls
 * that gets it as a Feature report; one that refuses both is a STALL with a sentence. */
static void test_scale_zero_set_report(void **state)
{
    (void)state;
    emu_dev *e = emu_plug(EMU_SCALE, 0x0922, 0x8003, 1, 2, "DYMO", "M10");
    usb_bus *b = bus_open();
    usb_found f;
    usb_dev *d = open_found(b, DEVICE_SCALE, &f);
    assert_int_equal(f.ep_out, 0);
    uint8_t rep[2], got[64], want[32];
    size_t n = hidscale_zero_report(rep, sizeof rep);
    assert_int_equal(usb_ops_for(DEVICE_SCALE)->write(d, rep, n, 500), DEVICE_OK);
    size_t wn = periph_hex("21 09 02 02 00 00 02 00  02 02", want, sizeof want);
    assert_int_equal(emu_set_reports(e, got, sizeof got), wn);
    assert_memory_equal(got, want, wn);
    emu_refuse_set_report(e, 1u << 2);
    assert_int_equal(usb_dev_write(d, rep, n, 500), DEVICE_OK);
    wn = periph_hex("21 09 02 02 00 00 02 00 02 02  21 09 02 03 00 00 02 00 02 02", want,
                    sizeof want);
    assert_int_equal(emu_set_reports(e, got, sizeof got), wn);
    assert_memory_equal(got, want, wn);
    emu_refuse_set_report(e, 1u << 2 | 1u << 3);
    assert_int_equal(usb_dev_write(d, rep, n, 500), DEVICE_ERR_STALL);
    assert_non_null(strstr(usb_dev_why(d), "refused SET_REPORT"));
    assert_int_equal(emu_out_bytes(e, got, sizeof got), 0);
    usb_dev_close(d);
    usb_bus_close(b);
    emu_free(e);
}

/* The scan of 6957842208856 as node-hid captured it (devices.md §2.2), Ctrl+Shift+J suffix. */
static const char *const scan_6957842208856[] = {
    "00 00 23 00 00 00 00 00", "00 00 00 00 00 00 00 00", "00 00 26 00 00 00 00 00",
    "00 00 00 00 00 00 00 00", "00 00 22 00 00 00 00 00", "00 00 00 00 00 00 00 00",
    "00 00 24 00 00 00 00 00", "00 00 00 00 00 00 00 00", "00 00 25 00 00 00 00 00",
    "00 00 00 00 00 00 00 00", "00 00 21 00 00 00 00 00", "00 00 00 00 00 00 00 00",
    "00 00 1f 00 00 00 00 00", "00 00 00 00 00 00 00 00", "00 00 1f 00 00 00 00 00",
    "00 00 00 00 00 00 00 00", "00 00 27 00 00 00 00 00", "00 00 00 00 00 00 00 00",
    "00 00 25 00 00 00 00 00", "00 00 00 00 00 00 00 00", "00 00 25 00 00 00 00 00",
    "00 00 00 00 00 00 00 00", "00 00 22 00 00 00 00 00", "00 00 00 00 00 00 00 00",
    "00 00 23 00 00 00 00 00", "00 00 00 00 00 00 00 00", "00 00 28 00 00 00 00 00",
    "00 00 00 00 00 00 00 00", "03 00 00 00 00 00 00 00", "03 00 0d 00 00 00 00 00",
    "03 00 00 00 00 00 00 00", "00 00 00 00 00 00 00 00",
};

static void test_scanner_claimed_and_decoded(void **state)
{
    (void)state;
    emu_dev *e = emu_plug(EMU_KEYBOARD, 0x05e0, 0x1200, 1, 2, "Symbol", "LS2208");
    emu_set_kernel_driver(e, true);            /* usbhid holds it, as on a real till */
    usb_bus *b = bus_open();
    usb_found f;
    usb_dev *d = open_found(b, DEVICE_SCANNER, &f);
    assert_int_equal(f.kind, USB_KIND_KBD_SCANNER);
    assert_true(usb_dev_detached_kernel_driver(d));
    emu_counts c = emu_get_counts(e);
    assert_int_equal(c.detach, 1);
    assert_int_equal(c.claim, 1);
    size_t nrep = sizeof scan_6957842208856 / sizeof scan_6957842208856[0];
    for (size_t i = 0; i < nrep; i++)
        push_hex(e, scan_6957842208856[i]);
    bootkbd k;
    bootkbd_init(&k);
    int codes = 0;
    for (size_t i = 0; i < nrep; i++) {
        uint8_t rep[8];
        size_t got = 0;
        assert_int_equal(usb_dev_read(d, rep, sizeof rep, &got, 1000), DEVICE_OK);
        assert_int_equal(got, 8);
        bootkbd_event ev[BOOTKBD_MAX_EVENTS];
        size_t nev = 0;
        assert_int_equal(bootkbd_parse(&k, rep, got, ev, &nev), BOOTKBD_OK);
        for (size_t j = 0; j < nev; j++) {
            assert_int_equal(ev[j].kind, BOOTKBD_EV_CODE);
            assert_string_equal(ev[j].code, "6957842208856");
            codes++;
        }
    }
    assert_int_equal(codes, 1);
    usb_dev_close(d);
    c = emu_get_counts(e);
    assert_int_equal(c.release, 1);
    assert_int_equal(c.attach, 1);             /* the keyboard driver has it back */
    usb_bus_close(b);
    emu_free(e);
}

/* A HID POS scanner (usage page 0x8C): a 64-byte report read whole and decoded by hidpos --
 * EAN-13 6901234567892 in the Access-IS/Honeywell layout of devices.md §2.1. */
static void test_hidpos_scanner_reads(void **state)
{
    (void)state;
    emu_dev *e = emu_plug(EMU_HIDPOS, 0x2345, 0x0003, 2, 2, "Acme", "POS Imager");
    usb_bus *b = bus_open();
    usb_found f;
    usb_dev *d = open_found(b, DEVICE_SCANNER, &f);
    assert_int_equal(f.kind, USB_KIND_HIDPOS_SCANNER);
    uint8_t rep[HIDPOS_REPORT_LEN];
    memset(rep, 0, sizeof rep);
    rep[0] = HIDPOS_REPORT_ID;
    rep[1] = 13;
    memcpy(rep + 2, "]E0", 3);
    memcpy(rep + 5, "6901234567892", 13);
    rep[61] = 'd';
    emu_push_in(e, rep, sizeof rep);
    uint8_t buf[HIDPOS_REPORT_LEN];
    size_t got = 0;
    assert_int_equal(usb_dev_read(d, buf, sizeof buf, &got, 1000), DEVICE_OK);
    assert_int_equal(got, HIDPOS_REPORT_LEN);
    hidpos dec;
    hidpos_init(&dec);
    hidpos_code code;
    bool done = false;
    assert_int_equal(hidpos_parse(&dec, buf, got, &code, &done), HIDPOS_OK);
    assert_true(done);
    assert_string_equal(code.code, "6901234567892");
    assert_int_equal(code.sym, HIDPOS_SYM_EAN13);
    usb_dev_close(d);
    usb_bus_close(b);
    emu_free(e);
}

/* ---- unplug, replug, hotplug */

typedef struct {
    emu_dev *e;
    int delay_ms;
} unplug_job;

static void *unplug_later(void *arg)
{
    unplug_job *j = arg;
    struct timespec ts = {.tv_sec = j->delay_ms / 1000, .tv_nsec = (j->delay_ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
    emu_unplug(j->e);
    return NULL;
}

static void test_unplug_mid_read_and_replug(void **state)
{
    (void)state;
    emu_dev *e = emu_plug(EMU_SCALE, 0x0922, 0x8003, 3, 2, "DYMO", "M10");
    usb_bus *b = bus_open();
    usb_found f;
    usb_dev *d = open_found(b, DEVICE_SCALE, &f);
    assert_string_equal(f.where, "1-3");
    scale_reading r;
    push_hex(e, "03 04 02 00 E8 03");
    read_scale(d, &r);
    /* unplugged while a read is waiting for the next report */
    pthread_t t;
    unplug_job j = {.e = e, .delay_ms = 150};
    assert_int_equal(pthread_create(&t, NULL, unplug_later, &j), 0);
    uint8_t buf[8];
    size_t got = 0;
    int64_t t0 = ms_now();
    device_err err = DEVICE_OK;
    while (err == DEVICE_OK && ms_now() - t0 < 5000)   /* "nothing yet" until it is gone */
        err = usb_dev_read(d, buf, sizeof buf, &got, 3000);
    assert_int_equal(err, DEVICE_ERR_DISCONNECTED);
    assert_true(ms_now() - t0 < 2500);                  /* not the 3 s timeout */
    assert_int_equal(pthread_join(t, NULL), 0);
    assert_non_null(strstr(usb_dev_why(d), "0922:8003"));
    assert_int_equal(usb_dev_read(d, buf, sizeof buf, &got, 100), DEVICE_ERR_DISCONNECTED);
    usb_dev_close(d);
    /* gone from the list */
    devspec s = spec_of(DEVICE_SCALE, "auto");
    char why[256];
    int64_t end = ms_now() + 2000;
    while (usb_find(b, &s, &f, why, sizeof why) == DEVICE_OK && ms_now() < end)
        usb_bus_pump(b, 20);
    assert_int_equal(usb_find(b, &s, &f, why, sizeof why), DEVICE_ERR_NOT_FOUND);
    /* replugged in the same socket (a new address): found again at the same place */
    emu_replug(e);
    d = open_found(b, DEVICE_SCALE, &f);
    assert_string_equal(f.where, "1-3");
    push_hex(e, "03 04 03 FD E8 03");                   /* 1.000 kg */
    read_scale(d, &r);
    assert_int_equal(r.grams, 1000);
    usb_dev_close(d);
    usb_bus_close(b);
    emu_free(e);
}

static void on_change(void *arg)
{
    (*(int *)arg)++;
}

static void pump_until(usb_bus *b, const int *count, int want)
{
    int64_t end = ms_now() + 3000;
    while (*count < want && ms_now() < end)
        assert_int_equal(usb_bus_pump(b, 50), DEVICE_OK);
}

static void test_hotplug(void **state)
{
    (void)state;
    usb_bus *b = bus_open();
    int changes = 0;
    assert_true(usb_bus_watch(b, on_change, &changes));
    usb_bus_pump(b, 50);
    assert_int_equal(changes, 0);
    emu_dev *e = emu_plug(EMU_PRINTER, 0x0416, 0x5011, 4, 2, "Winbond", "POS58");
    pump_until(b, &changes, 1);
    assert_int_equal(changes, 1);
    usb_found f;
    devspec s = spec_of(DEVICE_PRINTER, "auto");
    assert_int_equal(find_within(b, &s, &f, 2000), DEVICE_OK);
    emu_unplug(e);
    pump_until(b, &changes, 2);
    assert_int_equal(changes, 2);
    assert_false(usb_bus_watch(b, NULL, NULL));        /* stops watching */
    emu_replug(e);
    usb_bus_pump(b, 300);
    assert_int_equal(changes, 2);
    usb_bus_close(b);
    emu_free(e);
}

/* ---- timeouts, stalls, short reads */

static void test_read_timeout_is_nothing_yet(void **state)
{
    (void)state;
    emu_dev *e = emu_plug(EMU_SCALE, 0x0922, 0x8004, 5, 2, NULL, NULL);
    usb_bus *b = bus_open();
    usb_found f;
    usb_dev *d = open_found(b, DEVICE_SCALE, &f);
    assert_string_equal(f.name, "DYMO M25 0922:8004");
    uint8_t buf[8];
    size_t got = 99;
    int64_t t0 = ms_now();
    assert_int_equal(usb_dev_read(d, buf, sizeof buf, &got, 150), DEVICE_OK);
    int64_t took = ms_now() - t0;
    assert_int_equal(got, 0);
    assert_true(took >= 140 && took < 1500);
    t0 = ms_now();
    assert_int_equal(usb_dev_read(d, buf, sizeof buf, &got, 0), DEVICE_OK);   /* a poll */
    assert_int_equal(got, 0);
    assert_true(ms_now() - t0 < 500);
    assert_true(emu_get_counts(e).discard >= 2);        /* libusb cancelled both URBs */
    push_hex(e, "03 04 02 00 E8 03");                   /* and the next report still comes */
    scale_reading r;
    read_scale(d, &r);
    assert_int_equal(r.grams, 1000);
    usb_dev_close(d);
    usb_bus_close(b);
    emu_free(e);
}

static void test_stall_then_recovers(void **state)
{
    (void)state;
    emu_dev *e = emu_plug(EMU_SCALE, 0x0922, 0x8003, 6, 2, "DYMO", "M10");
    usb_bus *b = bus_open();
    usb_found f;
    usb_dev *d = open_found(b, DEVICE_SCALE, &f);
    emu_stall_next_in(e);
    uint8_t buf[8];
    size_t got = 0;
    assert_int_equal(usb_dev_read(d, buf, sizeof buf, &got, 1000), DEVICE_ERR_STALL);
    assert_int_equal(got, 0);
    assert_int_equal(emu_get_counts(e).clear_halt, 1);
    assert_non_null(strstr(usb_dev_why(d), "stalled"));
    push_hex(e, "03 04 02 00 E8 03");
    scale_reading r;
    read_scale(d, &r);
    assert_int_equal(r.grams, 1000);
    usb_dev_close(d);
    usb_bus_close(b);
    emu_free(e);
}

static void test_short_read(void **state)
{
    (void)state;
    emu_dev *e = emu_plug(EMU_SCALE, 0x0922, 0x8003, 7, 2, "DYMO", "M10");
    usb_bus *b = bus_open();
    usb_found f;
    usb_dev *d = open_found(b, DEVICE_SCALE, &f);
    push_hex(e, "03 04 02 00");                         /* a report cut short */
    uint8_t buf[8];
    size_t got = 0;
    assert_int_equal(usb_dev_read(d, buf, sizeof buf, &got, 1000), DEVICE_OK);
    assert_int_equal(got, 4);
    scale_reading r;
    assert_int_equal(hidscale_parse(buf, got, &r), HIDSCALE_ERR_SHORT);
    /* a caller buffer shorter than the endpoint's packet still gets a whole short report */
    push_hex(e, "03 04 02");
    uint8_t small[4];
    assert_int_equal(usb_dev_read(d, small, sizeof small, &got, 1000), DEVICE_OK);
    assert_int_equal(got, 3);
    push_hex(e, "03 04 02 00 E8 03");                   /* ... and a report that does not fit is refused */
    assert_int_equal(usb_dev_read(d, small, sizeof small, &got, 1000), DEVICE_ERR_IO);
    assert_int_equal(got, 0);
    usb_dev_close(d);
    usb_bus_close(b);
    emu_free(e);
}

/* ---- the printer */

static void test_printer_bytes_status_and_silence(void **state)
{
    (void)state;
    emu_dev *e = emu_plug(EMU_PRINTER, 0x0416, 0x5011, 8, 2, "Winbond", "POS58 Printer");
    usb_bus *b = bus_open();
    usb_found f;
    usb_dev *d = open_found(b, DEVICE_PRINTER, &f);
    const uint8_t slip[] = "\x1b@hello\n\x1dV\x01";
    assert_int_equal(usb_dev_write(d, slip, sizeof slip - 1, 1000), DEVICE_OK);
    uint8_t req[3] = {0x10, 0x04, 0x01};                /* DLE EOT 1 */
    assert_int_equal(usb_dev_write(d, req, 3, 1000), DEVICE_OK);
    uint8_t seen[64];
    size_t n = emu_out_bytes(e, seen, sizeof seen);
    assert_int_equal(n, sizeof slip - 1 + 3);
    assert_memory_equal(seen, slip, sizeof slip - 1);
    uint8_t st[64];
    size_t got = 0;
    assert_int_equal(usb_dev_read(d, st, sizeof st, &got, 1000), DEVICE_OK);
    assert_int_equal(got, 1);
    printer_status ps;
    assert_int_equal(escpos_status_parse(ESCPOS_RT_PRINTER, st[0], &ps), ESCPOS_OK);
    assert_false(ps.offline);
    emu_set_status(e, 0x1A);                            /* offline */
    assert_int_equal(usb_dev_write(d, req, 3, 1000), DEVICE_OK);
    assert_int_equal(usb_dev_read(d, st, sizeof st, &got, 1000), DEVICE_OK);
    assert_int_equal(got, 1);
    assert_int_equal(escpos_status_parse(ESCPOS_RT_PRINTER, st[0], &ps), ESCPOS_OK);
    assert_true(ps.offline);
    /* the printer stops answering: the write gives up at its timeout, not later */
    emu_stop_answering(e, true);
    int64_t t0 = ms_now();
    assert_int_equal(usb_dev_write(d, slip, sizeof slip - 1, 300), DEVICE_ERR_TIMEOUT);
    int64_t took = ms_now() - t0;
    assert_true(took >= 290 && took < 2000);
    assert_non_null(strstr(usb_dev_why(d), "took 0 of"));
    usb_dev_close(d);
    usb_bus_close(b);
    emu_free(e);
}

/* ---- permission: as nobody, a node that is root's */

/* The child: open the device the way the till would and print the sentence. */
static int as_nobody(void)
{
    char why[256] = "";
    usb_bus *b = usb_bus_open(why, sizeof why);
    if (!b) {
        printf("bus: %s\n", why);
        return 3;
    }
    devspec s;
    devspec_parse(DEVICE_PRINTER, "usb:0416:5011", &s, NULL, 0);
    usb_found f;
    device_err e = usb_find(b, &s, &f, why, sizeof why);
    if (e == DEVICE_OK) {
        usb_dev *d = NULL;
        e = usb_dev_open(b, &f, &d, why, sizeof why);
        usb_dev_close(d);
    }
    printf("%d %s\n", (int)e, why);
    usb_bus_close(b);
    return 0;
}

static void test_permission_names_the_rule(void **state)
{
    (void)state;
    if (geteuid() != 0)
        skip();   /* the test drops to nobody; as a plain user the node would be ours anyway */
    emu_dev *e = emu_plug_inert(EMU_PRINTER, 0x0416, 0x5011, 9, 99);
    char node[512];
    snprintf(node, sizeof node, "%s/dev/bus/usb/001/099", emu_root());
    assert_int_equal(chmod(node, 0600), 0);
    /* nobody must be able to walk the testbed to see the device at all, and umockdev's
     * emulated udev netlink socket (libusb's hotplug monitor) is bound in its root */
    assert_int_equal(chmod(emu_root(), 01777), 0);
    /* ... and the preload connects to the testbed's default ioctl socket on every open of a
     * /dev/bus/usb node (it exits the process when it cannot): let nobody connect */
    char sock[512];
    snprintf(sock, sizeof sock, "%s/ioctl/_default", emu_root());
    assert_int_equal(chmod(sock, 0777), 0);
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(fds[1], 1);
        close(fds[0]);
        if (setgid(65534) != 0 || setuid(65534) != 0)
            _exit(2);
        execl("/proc/self/exe", "test_usb", "--as-nobody", (char *)NULL);
        _exit(2);
    }
    close(fds[1]);
    char out[512] = "";
    size_t n = 0;
    ssize_t k;
    while (n + 1 < sizeof out && (k = read(fds[0], out + n, sizeof out - 1 - n)) > 0)
        n += (size_t)k;
    out[n] = '\0';
    close(fds[0]);
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    if (WEXITSTATUS(status) == 2) {   /* could not become nobody or exec this binary as it */
        print_message("skipped: the test binary cannot run as uid 65534 (its directory is not "
                      "world-readable?)\n");
        emu_free(e);
        skip();
    }
    if (WEXITSTATUS(status) != 0)
        fail_msg("as nobody: exit %d: %s", WEXITSTATUS(status), out);
    char want[16];
    snprintf(want, sizeof want, "%d ", (int)DEVICE_ERR_PERMISSION);
    if (strncmp(out, want, strlen(want)) != 0)
        fail_msg("as nobody: %s", out);
    assert_non_null(strstr(out, "60-fupin-pos.rules"));
    assert_non_null(strstr(out, "0416:5011"));
    emu_free(e);
}

static int group_setup(void **state)
{
    (void)state;
    emu_start();
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    emu_stop();
    return 0;
}

static int guard(void **state)
{
    (void)state;
    alarm(GUARD_S);
    return 0;
}

static int unplug_all(void **state)
{
    (void)state;
    emu_free_all();
    alarm(0);
    return 0;
}

/* `--list`: usb_list of whatever the environment holds, one line per device -- run under
 * umockdev-run with the tests/usb/data files by the usb/umockdev_run_data test. */
static int list_devices(void)
{
    char why[256] = "";
    usb_bus *b = usb_bus_open(why, sizeof why);
    usb_found all[16];
    size_t n = 0;
    if (!b || !usb_list(b, all, 16, &n, why, sizeof why)) {
        printf("error: %s\n", why);
        usb_bus_close(b);
        return 1;
    }
    for (size_t i = 0; i < n; i++)
        printf("%s %s %04x:%04x %s in=%02x out=%02x\n", device_class_name(all[i].cls),
               usb_kind_name(all[i].kind), all[i].vid, all[i].pid, all[i].where, all[i].ep_in,
               all[i].ep_out);
    usb_bus_close(b);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--as-nobody") == 0)
        return as_nobody();
    if (argc == 2 && strcmp(argv[1], "--list") == 0)
        return list_devices();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_list_classifies, guard, unplug_all),
        cmocka_unit_test_setup_teardown(test_list_bound_reads_sysfs, guard, unplug_all),
        cmocka_unit_test_setup_teardown(test_find_configured, guard, unplug_all),
        cmocka_unit_test_setup_teardown(test_scale_reports, guard, unplug_all),
        cmocka_unit_test_setup_teardown(test_scale_zero_set_report, guard, unplug_all),
        cmocka_unit_test_setup_teardown(test_scanner_claimed_and_decoded, guard, unplug_all),
        cmocka_unit_test_setup_teardown(test_hidpos_scanner_reads, guard, unplug_all),
        cmocka_unit_test_setup_teardown(test_unplug_mid_read_and_replug, guard, unplug_all),
        cmocka_unit_test_setup_teardown(test_hotplug, guard, unplug_all),
        cmocka_unit_test_setup_teardown(test_read_timeout_is_nothing_yet, guard, unplug_all),
        cmocka_unit_test_setup_teardown(test_stall_then_recovers, guard, unplug_all),
        cmocka_unit_test_setup_teardown(test_short_read, guard, unplug_all),
        cmocka_unit_test_setup_teardown(test_printer_bytes_status_and_silence, guard, unplug_all),
        cmocka_unit_test_setup_teardown(test_permission_names_the_rule, guard, unplug_all),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
