/* usb_open: the glue between USB and the two threads that own devices -- the device manager
 * (peripherals/devmgr.c) with usb_open_devmgr's openers and the print queue
 * (peripherals/printer/print_queue.c) with usb_open_printer -- and the hotplug pump, all real:
 * real threads, real libusb, peripherals/usb.c, over devices emulated in this process by
 * tests/usb/emu.c (umockdev; no root, no hardware).  A scale pushes devices.md §1.4 reports
 * (motion, then 1000 g stable) until the manager says READY; a keyboard scanner of a scanner
 * vendor types a code while a plain keyboard is never touched; the scale is unplugged
 * mid-stream and replugged, and the pump's nudge brings it back before any backoff would; the
 * printer gets exactly the submitted bytes, holds a receipt on paper out while the drawer still
 * opens, re-sends a job cut by an unplug, and gives up on a printer that stops taking bytes at
 * its write timeout.  Every timing bound is a wide one (two shared cores, TSan) and says why;
 * alarm() turns a hang into a failure. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tests/periph/periph_test.h"
#include "tests/usb/emu.h"
#include "tests/usb/rec.h"

#define GUARD_S 40

#define STABLE_1000 "03 04 02 00 E8 03"    /* devices.md §1.4: 1000 g, weight stable */
#define MOTION_1000 "03 03 02 00 E8 03"    /* the same weight, status 03 in motion */
#define HOLD_MS 150

/* The manager over ops with the scale's and the scanner's spec (NULL: not managed). */
static devmgr *mgr_start(const devmgr_opener *ops, size_t n, const char *scale, const char *scanner)
{
    devmgr_config cfg;
    devmgr_config_init(&cfg);
    cfg.openers = ops;
    cfg.n_openers = n;
    char why[256] = "";
    const char *spec[DEVMGR_CLASSES] = {[DEVICE_SCALE] = scale, [DEVICE_SCANNER] = scanner};
    for (int i = 0; i < DEVMGR_CLASSES; i++)
        if (spec[i] && !devspec_parse((device_class)i, spec[i], &cfg.spec[i], why, sizeof why))
            fail_msg("devspec %s: %s", spec[i], why);
    cfg.stable.hold_ms = HOLD_MS;
    cfg.on_state = on_state;
    cfg.on_weight = on_weight;
    cfg.on_code = on_code;
    devmgr *m = devmgr_start(&cfg, why, sizeof why);
    if (!m)
        fail_msg("devmgr_start: %s", why);
    return m;
}

/* ---- 1. the scale */

/* Motion never prices; a stable 1000 g is READY only after the hold time. */
static void motion_then_ready(size_t *at, feeder *f)
{
    feed_set(f, MOTION_1000, false);
    assert_true(wait_for(at, is_weight, WEIGHT(SCALE_STABLE_MOTION, 1000), 3000, NULL));
    size_t motion_from = *at;
    sleep_ms(4 * HOLD_MS);                       /* motion for longer than the hold */
    assert_false(any_since(motion_from, is_weight, WEIGHT(SCALE_STABLE_READY, -1)));
    int64_t t_stable = ms_now();
    feed_set(f, STABLE_1000, false);
    rec_ev got;
    assert_true(wait_for(at, is_weight, WEIGHT(SCALE_STABLE_READY, 1000), 5000, &got));
    /* the first stable report is read after t_stable: READY cannot come before the hold
     * (same monotonic clock, whole milliseconds on both sides) */
    assert_true(got.t - t_stable >= HOLD_MS - 1);
}

static void test_scale_auto(void **state)
{
    (void)state;
    emu_dev *e = emu_plug(EMU_SCALE, 0x0922, 0x8003, 1, 2, "DYMO", "M10");
    usb_bus *b = bus_open();
    devmgr_opener ops[] = {usb_open_devmgr(b, DEVICE_SCALE, DEVSPEC_AUTO)};
    devmgr *m = mgr_start(ops, 1, "auto", NULL);
    size_t at = 0;
    rec_ev got;
    assert_true(wait_for(&at, is_state, SCALE_STATE(DEVICE_ENABLED, DEVICE_OK), 5000, &got));
    assert_string_equal(got.name, "DYMO M10 0922:8003");
    assert_int_equal(emu_get_counts(e).claim, 1);
    feeder f;
    feed_start(&f, e, MOTION_1000);
    motion_then_ready(&at, &f);
    devmgr_status st;
    devmgr_get_status(m, DEVICE_SCALE, &st);
    assert_int_equal(st.state, DEVICE_ENABLED);
    assert_int_equal(st.codec, DEVMGR_CODEC_HIDSCALE);
    assert_string_equal(st.name, "DYMO M10 0922:8003");
    assert_true(st.readings >= 5);
    assert_int_equal(st.garbage, 0);
    feed_stop(&f);
    devmgr_stop(m);
    assert_int_equal(emu_get_counts(e).release, 1);   /* closed on stop */
    usb_bus_close(b);
    emu_free(e);
}

/* usb:0922:8003 opens that scale, not another one plugged in first. */
static void test_scale_usb_spec(void **state)
{
    (void)state;
    emu_dev *other = emu_plug(EMU_SCALE, 0x1234, 0x5678, 1, 2, NULL, NULL);
    emu_dev *e = emu_plug(EMU_SCALE, 0x0922, 0x8003, 2, 3, "DYMO", "M10");
    usb_bus *b = bus_open();
    devmgr_opener ops[] = {usb_open_devmgr(b, DEVICE_SCALE, DEVSPEC_AUTO),
                           usb_open_devmgr(b, DEVICE_SCALE, DEVSPEC_USB)};
    devmgr *m = mgr_start(ops, 2, "usb:0922:8003", NULL);
    size_t at = 0;
    rec_ev got;
    assert_true(wait_for(&at, is_state, SCALE_STATE(DEVICE_ENABLED, DEVICE_OK), 5000, &got));
    assert_string_equal(got.name, "DYMO M10 0922:8003");
    assert_int_equal(emu_get_counts(other).claim, 0);
    feeder f, g;
    feed_start(&g, other, "03 04 02 00 D0 07");      /* 2000 g on the scale not configured */
    feed_start(&f, e, MOTION_1000);
    motion_then_ready(&at, &f);
    assert_false(any_since(0, is_weight, WEIGHT(SCALE_STABLE_READY, 2000)));
    feed_stop(&f);
    feed_stop(&g);
    devmgr_stop(m);
    usb_bus_close(b);
    emu_free(e);
    emu_free(other);
}

/* ---- 2. the scanner */

static uint8_t key_of(char c)
{
    if (c == '\n')
        return 0x28;                               /* Enter */
    return c == '0' ? 0x27 : (uint8_t)(0x1E + (c - '1'));   /* HID usage table, keyboard */
}

/* A boot-keyboard scanner typing s: each key pressed then all released (devices.md §2.2). */
static void type_code(emu_dev *e, const char *s)
{
    for (const char *p = s; *p; p++) {
        uint8_t press[8] = {0, 0, key_of(*p), 0, 0, 0, 0, 0}, release[8] = {0};
        emu_push_in(e, press, sizeof press);
        emu_push_in(e, release, sizeof release);
    }
}

static void test_scanner_auto_not_keyboard(void **state)
{
    (void)state;
    /* the cashier's keyboard, usbhid bound: AUTO must never take it */
    emu_dev *kbd = emu_plug_bound(EMU_KEYBOARD, 0x046d, 0xc31c, 1, 2, "Logitech", "USB Keyboard");
    usb_bus *b = bus_open();
    devmgr_opener ops[] = {usb_open_devmgr(b, DEVICE_SCANNER, DEVSPEC_AUTO)};
    devmgr *m = mgr_start(ops, 1, NULL, "auto");
    hot_ctx h = {.m = m};
    usb_pump *p = pump_start(b, &h);
    type_code(kbd, "12345\n");
    devmgr_status st;
    int64_t end = ms_now() + 3000;
    do {
        sleep_ms(20);
        devmgr_get_status(m, DEVICE_SCANNER, &st);
    } while (st.open_failures < 1 && ms_now() < end);
    assert_true(st.open_failures >= 1);           /* it looked ... */
    devmgr_nudge(m);
    sleep_ms(300);
    devmgr_get_status(m, DEVICE_SCANNER, &st);
    assert_int_equal(st.state, DEVICE_CLOSED);    /* ... found nothing: closed, no error */
    assert_int_equal(st.err, DEVICE_ERR_NOT_FOUND);
    assert_false(any_since(0, is_state, SCANNER_STATE(DEVICE_ERROR)));
    /* the scanner is plugged in while the manager runs: the pump's nudge opens it */
    emu_dev *e = emu_plug_bound(EMU_KEYBOARD, 0x0c2e, 0x0200, 2, 3, "Honeywell", "Voyager 1200g");
    size_t at = 0;
    rec_ev got;
    assert_true(wait_for(&at, is_state, SCANNER_STATE(DEVICE_ENABLED), 3000, &got));
    assert_string_equal(got.name, "Honeywell Voyager 1200g 0c2e:0200");
    assert_true(__atomic_load_n(&h.calls, __ATOMIC_SEQ_CST) >= 1);
    emu_counts c = emu_get_counts(e);
    assert_int_equal(c.detach, 1);
    assert_int_equal(c.claim, 1);
    type_code(e, "6985798000316\n");
    assert_true(wait_for(&at, is_code, (rec_ev){.code = "6985798000316"}, 3000, NULL));
    type_code(e, "6901234567892\n");               /* and the next one, alone */
    assert_true(wait_for(&at, is_code, (rec_ev){.code = "6901234567892"}, 3000, NULL));
    usb_pump_stop(p);
    /* stopped: a device plugged now is seen by libusb on the manager's reading thread, but
     * `changed` is never called again (the app frees what it touches next) */
    int calls = __atomic_load_n(&h.calls, __ATOMIC_SEQ_CST);
    emu_dev *prn = emu_plug(EMU_PRINTER, 0x0416, 0x5011, 15, 9, NULL, NULL);
    sleep_ms(400);
    assert_int_equal(__atomic_load_n(&h.calls, __ATOMIC_SEQ_CST), calls);
    devmgr_stop(m);
    emu_free(prn);
    assert_int_equal(rec_count_kind('c'), 2);                   /* the keyboard's "12345" never came */
    c = emu_get_counts(e);
    assert_int_equal(c.release, 1);
    assert_int_equal(c.attach, 1);                /* usbhid has the scanner back */
    c = emu_get_counts(kbd);
    assert_int_equal(c.detach + c.claim, 0);      /* the keyboard was never taken */
    usb_bus_close(b);
    emu_free(e);
    emu_free(kbd);
}

/* A HID POS scanner (usage page 0x8C): the opener picks the hidpos codec; a 64-byte report in
 * the layout of devices.md §2.1 (]E0 EAN-13) becomes one code. */
static void test_hidpos_scanner(void **state)
{
    (void)state;
    emu_dev *e = emu_plug(EMU_HIDPOS, 0x2345, 0x0010, 14, 2, "Acme", "POS Imager");
    usb_bus *b = bus_open();
    devmgr_opener ops[] = {usb_open_devmgr(b, DEVICE_SCANNER, DEVSPEC_AUTO)};
    devmgr *m = mgr_start(ops, 1, NULL, "auto");
    size_t at = 0;
    rec_ev got;
    assert_true(wait_for(&at, is_state, SCANNER_STATE(DEVICE_ENABLED), 5000, &got));
    assert_string_equal(got.name, "Acme POS Imager 2345:0010");
    devmgr_status st;
    devmgr_get_status(m, DEVICE_SCANNER, &st);
    assert_int_equal(st.codec, DEVMGR_CODEC_HIDPOS_SCANNER);
    uint8_t rep[64] = {0x02, 13, ']', 'E', '0'};
    memcpy(rep + 5, "6901234567892", 13);
    rep[61] = 'd';
    emu_push_in(e, rep, sizeof rep);
    assert_true(wait_for(&at, is_code, (rec_ev){.code = "6901234567892"}, 3000, NULL));
    devmgr_stop(m);
    assert_int_equal(rec_count_kind('c'), 1);
    usb_bus_close(b);
    emu_free(e);
}

/* ---- 3. unplugged mid-stream, replugged: hotplug, not the backoff */

static void test_scale_unplug_replug(void **state)
{
    (void)state;
    emu_dev *e = emu_plug(EMU_SCALE, 0x0922, 0x8003, 3, 2, "DYMO", "M10");
    usb_bus *b = bus_open();
    devmgr_opener ops[] = {usb_open_devmgr(b, DEVICE_SCALE, DEVSPEC_AUTO)};
    devmgr *m = mgr_start(ops, 1, "auto", NULL);
    hot_ctx h = {.m = m};
    usb_pump *p = pump_start(b, &h);
    size_t at = 0;
    assert_true(wait_for(&at, is_state, SCALE_STATE(DEVICE_ENABLED, DEVICE_OK), 5000, NULL));
    feeder f;
    feed_start(&f, e, STABLE_1000);
    assert_true(wait_for(&at, is_weight, WEIGHT(SCALE_STABLE_READY, 1000), 5000, NULL));
    /* unplugged while reports flow (and a read is pending) */
    feed_set(&f, NULL, true);
    int64_t t0 = ms_now();
    emu_unplug(e);
    rec_ev got;
    assert_true(wait_for(&at, is_state, SCALE_STATE(DEVICE_ERROR, DEVICE_ERR_DISCONNECTED), 3000,
                         &got));
    assert_true(got.t - t0 < 2000);                /* the pending read ended, not a timeout */
    /* Let the manager fail to find it three times (0.5 s after the loss, then 1 s, then 2 s):
     * its next retry of its own is then >= 2 s away (4 s when the pump's nudge on the
     * departure came first), so an open well before that is the pump's nudge on the arrival. */
    devmgr_status st;
    int64_t end = ms_now() + 10000;
    do {
        sleep_ms(5);
        devmgr_get_status(m, DEVICE_SCALE, &st);
    } while (st.open_failures < 3 && ms_now() < end);
    assert_true(st.open_failures >= 3);
    assert_int_equal(st.state, DEVICE_ERROR);      /* it was there and is gone: an error */
    assert_int_equal(st.err, DEVICE_ERR_NOT_FOUND);
    int64_t t_replug = ms_now();
    emu_replug(e);
    feed_set(&f, NULL, false);
    assert_true(wait_for(&at, is_state, SCALE_STATE(DEVICE_ENABLED, DEVICE_OK), 5000, &got));
    /* Bound: < 1500 ms.  The nudge path takes a few ms on a quiet machine (one hotplug event,
     * one usb_find, one open); 1.5 s leaves room for two loaded cores and TSan while staying
     * under the >= 2 s to the manager's own next retry, so this cannot pass by the backoff. */
    assert_true(got.t - t_replug < 1500);
    assert_true(__atomic_load_n(&h.calls, __ATOMIC_SEQ_CST) >= 2);   /* left + arrived */
    assert_true(wait_for(&at, is_weight, WEIGHT(SCALE_STABLE_READY, 1000), 5000, NULL));
    assert_int_equal(emu_get_counts(e).claim, 2);
    feed_stop(&f);
    usb_pump_stop(p);
    devmgr_stop(m);
    usb_bus_close(b);
    emu_free(e);
}

/* ---- 4. the printer behind the print queue */

static int printer_marker;
static const uint8_t KICK[] = {0x1B, 0x70, 0x00, 0x32, 0x32};   /* ESC p 0 50 50 */

/* A slip: ESC @, text lines, feed, cut; n_lines lines of text. */
static size_t make_receipt(uint8_t *out, size_t cap, int n_lines)
{
    size_t n = 0;
    out[n++] = 0x1B;
    out[n++] = '@';
    for (int i = 0; i < n_lines && n + 40 < cap; i++)
        n += (size_t)snprintf((char *)out + n, cap - n, "line %03d  apple 1.250kg  12.50\n", i);
    memcpy(out + n, "\n\n\n\x1dV\x00", 6);
    return n + 6;
}

/* The bytes the printer got since `from`, DLE EOT requests taken out (counted in *n_req). */
static size_t out_since(emu_dev *e, size_t from, uint8_t *out, size_t cap, size_t *n_req)
{
    static uint8_t all[65536];
    size_t n = emu_out_bytes(e, all, sizeof all), k = 0;
    *n_req = 0;
    for (size_t i = from; i < n;) {
        if (i + 2 < n && all[i] == 0x10 && all[i + 1] == 0x04 && all[i + 2] >= 1 && all[i + 2] <= 4) {
            (*n_req)++;
            i += 3;
            continue;
        }
        if (k < cap)
            out[k++] = all[i];
        i++;
    }
    return k;
}

static size_t out_len(emu_dev *e)
{
    return emu_out_bytes(e, NULL, 0);
}

static print_queue *queue_start(usb_bus *b, int write_timeout_ms, int backoff_min_ms)
{
    print_queue_cfg cfg;
    memset(&cfg, 0, sizeof cfg);
    char why[128] = "";
    if (!devspec_parse(DEVICE_PRINTER, "auto", &cfg.spec, why, sizeof why))
        fail_msg("devspec: %s", why);
    cfg.open = usb_open_printer;
    cfg.close = usb_close_printer;
    cfg.open_arg = b;
    cfg.on_device = on_state;
    cfg.on_job = on_job;
    cfg.cb_arg = &printer_marker; /* non-NULL: on_state records 'p' */
    cfg.write_timeout_ms = write_timeout_ms;
    cfg.status_timeout_ms = 300;
    cfg.backoff_min_ms = backoff_min_ms;
    cfg.backoff_max_ms = backoff_min_ms;
    cfg.probe_ms = 60000;        /* no idle probes between the steps */
    print_err err;
    print_queue *q = print_queue_start(&cfg, &err);
    if (!q)
        fail_msg("print_queue_start: %s", print_strerror(err));
    return q;
}

static uint64_t submit(print_queue *q, print_job_kind kind, const uint8_t *bytes, size_t len)
{
    uint64_t id = 0;
    assert_int_equal(print_queue_submit(q, kind, bytes, len, "R-1", NULL, &id), PRINT_OK);
    return id;
}

static void test_printer_receipt_and_kick(void **state)
{
    (void)state;
    emu_dev *e = emu_plug(EMU_PRINTER, 0x0416, 0x5011, 4, 2, "Winbond", "POS58 Printer");
    usb_bus *b = bus_open();
    print_queue *q = queue_start(b, 2000, 500);
    size_t at = 0;
    rec_ev got;
    assert_true(wait_for(&at, is_state, PRINTER_STATE(DEVICE_ENABLED, DEVICE_OK), 5000, &got));
    assert_string_equal(got.name, "Winbond POS58 Printer 0416:5011");
    static uint8_t slip[4096], seen[8192];
    size_t len = make_receipt(slip, sizeof slip, 60), n_req = 0;   /* > 1 KiB: two chunks */
    size_t base = out_len(e);
    uint64_t id = submit(q, PRINT_JOB_RECEIPT, slip, len);
    assert_true(wait_for(&at, is_job, JOB(id, PRINT_DONE, PRINT_WAIT_NONE), 5000, NULL));
    size_t n = out_since(e, base, seen, sizeof seen, &n_req);
    assert_int_equal(n, len);
    assert_memory_equal(seen, slip, len);          /* exactly the receipt, in order */
    assert_true(n_req >= 2);                       /* DLE EOT 1 and 4 asked ... */
    uint8_t first[3];
    assert_int_equal(emu_out_bytes(e, first, 3), 3);
    assert_int_equal(first[0], 0x10);              /* ... before a byte of it went */
    assert_int_equal(first[1], 0x04);
    base = out_len(e);
    id = submit(q, PRINT_JOB_DRAWER_KICK, KICK, sizeof KICK);
    assert_true(wait_for(&at, is_job, JOB(id, PRINT_DONE, PRINT_WAIT_NONE), 5000, NULL));
    n = out_since(e, base, seen, sizeof seen, &n_req);
    assert_int_equal(n, sizeof KICK);
    assert_memory_equal(seen, KICK, sizeof KICK);
    assert_int_equal(n_req, 0);                    /* a kick asks nothing */
    print_queue_destroy(q);
    assert_int_equal(emu_get_counts(e).release, 1);
    usb_bus_close(b);
    emu_free(e);
}

static void test_printer_paper_out(void **state)
{
    (void)state;
    emu_dev *e = emu_plug(EMU_PRINTER, 0x0416, 0x5011, 5, 2, "Winbond", "POS58 Printer");
    usb_bus *b = bus_open();
    print_queue *q = queue_start(b, 2000, 500);
    size_t at = 0;
    assert_true(wait_for(&at, is_state, PRINTER_STATE(DEVICE_ENABLED, DEVICE_OK), 5000, NULL));
    /* paper out as an Epson-style printer says it (devices.md §4.2): offline (1A), printing
     * stopped by paper end (DLE EOT 2: 32), no paper (DLE EOT 4: 72) */
    emu_set_status_n(e, 1, 0x1A);
    emu_set_status_n(e, 2, 0x32);
    emu_set_status_n(e, 4, 0x72);
    static uint8_t slip[2048], seen[8192];
    size_t len = make_receipt(slip, sizeof slip, 5), n_req = 0;
    size_t base = out_len(e);
    uint64_t id = submit(q, PRINT_JOB_RECEIPT, slip, len);
    rec_ev got;
    assert_true(wait_for(&at, is_job, JOB(id, PRINT_WAITING, PRINT_WAIT_PAPER_OUT), 5000, &got));
    assert_string_equal(got.reason, "paper out");
    assert_int_equal(out_since(e, base, seen, sizeof seen, &n_req), 0);   /* not a byte */
    /* the cash sale's drawer still opens */
    size_t at_kick = at;
    uint64_t kick = submit(q, PRINT_JOB_DRAWER_KICK, KICK, sizeof KICK);
    assert_true(wait_for(&at_kick, is_job, JOB(kick, PRINT_DONE, PRINT_WAIT_NONE), 5000, NULL));
    size_t n = out_since(e, base, seen, sizeof seen, &n_req);
    assert_int_equal(n, sizeof KICK);
    assert_memory_equal(seen, KICK, sizeof KICK);
    print_job_info jobs[8];
    size_t k = print_queue_snapshot(q, jobs, 8);
    assert_int_equal(k, 2);
    assert_int_equal(jobs[0].id, id);
    assert_int_equal(jobs[0].state, PRINT_WAITING);
    /* paper loaded, the cashier says so: the receipt prints whole */
    emu_set_status(e, 0x12);
    print_queue_wake(q);
    assert_true(wait_for(&at, is_job, JOB(id, PRINT_DONE, PRINT_WAIT_NONE), 5000, NULL));
    n = out_since(e, base, seen, sizeof seen, &n_req);
    assert_int_equal(n, sizeof KICK + len);
    assert_memory_equal(seen + sizeof KICK, slip, len);
    print_queue_destroy(q);
    usb_bus_close(b);
    emu_free(e);
}

static void test_printer_unplug_mid_job(void **state)
{
    (void)state;
    emu_dev *e = emu_plug(EMU_PRINTER, 0x0416, 0x5011, 6, 2, "Winbond", "POS58 Printer");
    usb_bus *b = bus_open();
    /* backoff 5 s: only the pump's wake can bring the printer back within the bound below */
    print_queue *q = queue_start(b, 3000, 5000);
    hot_ctx h = {.q = q};
    usb_pump *p = pump_start(b, &h);
    size_t at = 0;
    assert_true(wait_for(&at, is_state, PRINTER_STATE(DEVICE_ENABLED, DEVICE_OK), 5000, NULL));
    static uint8_t slip[8192], seen[16384];
    size_t len = make_receipt(slip, sizeof slip, 100), n_req = 0;   /* 4 chunks of 1 KiB */
    assert_true(len > 3 * 1024);
    emu_hold_out_after(e, 1024);                   /* takes the first chunk, then holds */
    size_t base = out_len(e);
    uint64_t id = submit(q, PRINT_JOB_RECEIPT, slip, len);
    assert_true(wait_for(&at, is_job, JOB(id, PRINT_PRINTING, PRINT_WAIT_NONE), 5000, NULL));
    int64_t end = ms_now() + 5000;
    while (emu_held_out(e) == 0 && ms_now() < end)
        sleep_ms(5);
    assert_int_equal(emu_held_out(e), 1);          /* the second chunk is in flight */
    int64_t t0 = ms_now();
    emu_unplug(e);
    rec_ev got;
    assert_true(wait_for(&at, is_job, JOB(id, PRINT_WAITING, PRINT_WAIT_MISSING), 5000, &got));
    assert_true(got.t - t0 < 2500);                /* the unplug, not the 3 s write timeout */
    assert_true(any_since(0, is_state, PRINTER_STATE(DEVICE_ERROR, DEVICE_ERR_DISCONNECTED)));
    size_t n = out_since(e, base, seen, sizeof seen, &n_req);
    assert_int_equal(n, 1024);                     /* a receipt cut after its first chunk */
    assert_memory_equal(seen, slip, 1024);
    sleep_ms(200);
    base = out_len(e);
    int64_t t_replug = ms_now();
    emu_replug(e);
    assert_true(wait_for(&at, is_job, JOB(id, PRINT_DONE, PRINT_WAIT_NONE), 5000, &got));
    /* well inside the 5 s backoff: the hotplug wake did it (a few ms quiet; 2.5 s for a
     * loaded machine under TSan) */
    assert_true(got.t - t_replug < 2500);
    n = out_since(e, base, seen, sizeof seen, &n_req);
    assert_int_equal(n, len);                      /* sent again whole */
    assert_memory_equal(seen, slip, len);
    print_job_info info;
    assert_int_equal(print_queue_snapshot(q, &info, 1), 1);
    assert_int_equal(info.attempts, 2);
    usb_pump_stop(p);
    print_queue_destroy(q);
    usb_bus_close(b);
    emu_free(e);
}

/* A printer that stops taking bytes: WAITING at the write timeout, not later, both when it
 * stops mid-receipt and when it answers nothing at all; back when it answers again. */
static void test_printer_stops_answering(void **state)
{
    (void)state;
    enum { WT = 500 };
    emu_dev *e = emu_plug(EMU_PRINTER, 0x0416, 0x5011, 7, 2, "Winbond", "POS58 Printer");
    usb_bus *b = bus_open();
    print_queue *q = queue_start(b, WT, 500);
    size_t at = 0;
    assert_true(wait_for(&at, is_state, PRINTER_STATE(DEVICE_ENABLED, DEVICE_OK), 5000, NULL));
    static uint8_t slip[2048], seen[8192];
    size_t len = make_receipt(slip, sizeof slip, 5), n_req = 0;
    /* status answered, the receipt's bytes never taken */
    emu_hold_out_after(e, 0);
    size_t base = out_len(e);
    int64_t t0 = ms_now();
    uint64_t id = submit(q, PRINT_JOB_RECEIPT, slip, len);
    rec_ev got;
    assert_true(wait_for(&at, is_job, JOB(id, PRINT_WAITING, PRINT_WAIT_TIMEOUT), 5000, &got));
    /* Bound: the write timeout, plus up to 1.5 s of a loaded machine (libusb's cancel of the
     * transfer and the thread's wake-up); never the seconds of a blocking write. */
    assert_true(got.t - t0 >= WT - 5);
    assert_true(got.t - t0 < WT + 1500);
    assert_non_null(strstr(got.reason, "write"));
    assert_int_equal(out_since(e, base, seen, sizeof seen, &n_req), 0);
    /* it answers again: the receipt prints (wake ends the backoff) */
    emu_stop_answering(e, false);
    print_queue_wake(q);
    assert_true(wait_for(&at, is_job, JOB(id, PRINT_DONE, PRINT_WAIT_NONE), 5000, NULL));
    assert_int_equal(out_since(e, base, seen, sizeof seen, &n_req), len);
    assert_memory_equal(seen, slip, len);
    /* silent altogether: the status request itself times out */
    emu_stop_answering(e, true);
    t0 = ms_now();
    id = submit(q, PRINT_JOB_RECEIPT, slip, len);
    assert_true(wait_for(&at, is_job, JOB(id, PRINT_WAITING, PRINT_WAIT_TIMEOUT), 5000, &got));
    assert_true(got.t - t0 >= WT - 5);
    assert_true(got.t - t0 < WT + 1500);
    assert_true(emu_get_counts(e).discard >= 2);   /* libusb cancelled the held transfers */
    emu_stop_answering(e, false);
    print_queue_destroy(q);
    usb_bus_close(b);
    emu_free(e);
}

/* ---- 5. the whole till on one bus, as run_screen has it: the manager's thread, the queue's
 * thread and the pump share the bus and the pump's callback; the printer unplugged mid-sale
 * while scans and weights go on */

static void test_till_on_one_bus(void **state)
{
    (void)state;
    /* a bound device's interface and hid links outlive its unplug in the testbed: ports and a
     * VID:PID no other test of this program uses */
    emu_dev *scale = emu_plug(EMU_SCALE, 0x0922, 0x8003, 11, 2, "DYMO", "M10");
    emu_dev *scan = emu_plug_bound(EMU_KEYBOARD, 0x05e0, 0x1200, 12, 3, "Symbol", "LS2208");
    emu_dev *prn = emu_plug(EMU_PRINTER, 0x0416, 0x5011, 13, 4, "Winbond", "POS58 Printer");
    usb_bus *b = bus_open();
    devmgr_opener ops[] = {usb_open_devmgr(b, DEVICE_SCALE, DEVSPEC_AUTO),
                           usb_open_devmgr(b, DEVICE_SCANNER, DEVSPEC_AUTO)};
    devmgr *m = mgr_start(ops, 2, "auto", "auto");
    print_queue *q = queue_start(b, 2000, 5000);
    hot_ctx h = {.m = m, .q = q};
    usb_pump *p = pump_start(b, &h);
    size_t at = 0, ats = 0, atp = 0;
    assert_true(wait_for(&at, is_state, SCALE_STATE(DEVICE_ENABLED, DEVICE_OK), 5000, NULL));
    assert_true(wait_for(&ats, is_state, SCANNER_STATE(DEVICE_ENABLED), 5000, NULL));
    assert_true(wait_for(&atp, is_state, PRINTER_STATE(DEVICE_ENABLED, DEVICE_OK), 5000, NULL));
    feeder f;
    feed_start(&f, scale, STABLE_1000);
    assert_true(wait_for(&at, is_weight, WEIGHT(SCALE_STABLE_READY, 1000), 5000, NULL));
    type_code(scan, "6985798000316\n");
    assert_true(wait_for(&ats, is_code, (rec_ev){.code = "6985798000316"}, 3000, NULL));
    static uint8_t slip[2048], seen[8192];
    size_t len = make_receipt(slip, sizeof slip, 8), n_req = 0;
    uint64_t id = submit(q, PRINT_JOB_RECEIPT, slip, len);
    assert_true(wait_for(&atp, is_job, JOB(id, PRINT_DONE, PRINT_WAIT_NONE), 5000, NULL));
    /* the printer is pulled out between two sales: the pump wakes the queue, whose probe
     * finds it gone (its own probe would wait 60 s) */
    emu_unplug(prn);
    assert_true(wait_for(&atp, is_state, PRINTER_STATE(DEVICE_ERROR, DEVICE_ERR_DISCONNECTED),
                         3000, NULL));
    type_code(scan, "6901234567892\n");             /* the sale goes on */
    assert_true(wait_for(&ats, is_code, (rec_ev){.code = "6901234567892"}, 3000, NULL));
    size_t base = out_len(prn);
    id = submit(q, PRINT_JOB_RECEIPT, slip, len);
    assert_true(wait_for(&atp, is_job, JOB(id, PRINT_WAITING, PRINT_WAIT_MISSING), 3000, NULL));
    devmgr_status st;
    devmgr_get_status(m, DEVICE_SCALE, &st);
    uint64_t readings = st.readings;
    int64_t t_replug = ms_now();
    emu_replug(prn);
    rec_ev got;
    assert_true(wait_for(&atp, is_job, JOB(id, PRINT_DONE, PRINT_WAIT_NONE), 5000, &got));
    assert_true(got.t - t_replug < 2500);           /* the wake, not the 5 s backoff */
    assert_int_equal(out_since(prn, base, seen, sizeof seen, &n_req), len);
    assert_memory_equal(seen, slip, len);
    /* the scale never noticed: still enabled, still reading (within 2 s: the window above
     * can be shorter than the feeder's 20 ms under ASan on a busy machine) */
    int64_t end = ms_now() + 2000;
    do {
        sleep_ms(10);
        devmgr_get_status(m, DEVICE_SCALE, &st);
    } while (st.readings <= readings && ms_now() < end);
    assert_int_equal(st.state, DEVICE_ENABLED);
    assert_true(st.readings > readings);
    assert_false(any_since(0, is_state, SCALE_STATE(DEVICE_ERROR, DEVICE_OK)));
    assert_false(any_since(0, is_state, SCANNER_STATE(DEVICE_ERROR)));
    feed_stop(&f);
    usb_pump_stop(p);
    devmgr_stop(m);
    print_queue_destroy(q);
    usb_bus_close(b);
    emu_free(scale);
    emu_free(scan);
    emu_free(prn);
}

/* ---- fixtures */

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
    rec_reset();
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

/* Start-up's "is anything of ours plugged in" (usb_open_count) opens no device its descriptors
 * or sysfs decide, and the print queue's search for an auto printer (usb_open_printer ->
 * usb_find) asks nothing of a device that cannot be one -- a scanner the manager may hold. */
static void test_count_and_printer_search_look_only_where_needed(void **state)
{
    (void)state;
    emu_dev *hpos = emu_plug(EMU_HIDPOS, 0x2345, 0x0002, 16, 2, "Acme", "POS Imager");
    emu_dev *bound = emu_plug_bound(EMU_HIDPOS, 0x2345, 0x0003, 17, 3, "Acme", "POS Imager");
    emu_dev *prn = emu_plug(EMU_PRINTER, 0x0416, 0x5011, 18, 4, "Acme", "Receipt");
    usb_bus *b = bus_open();
    assert_int_equal(usb_open_count(b, DEVICE_CLASS_COUNT), 3);
    /* the printer's class and the bound scanner's sysfs descriptor decide; the unbound
     * scanner's descriptor is asked of it */
    assert_int_equal(emu_get_counts(prn).string_requests, 0);
    assert_int_equal(emu_get_counts(bound).string_requests + emu_get_counts(bound).report_requests,
                     0);
    assert_int_equal(emu_get_counts(hpos).report_requests, 1);
    assert_int_equal(usb_open_count(b, DEVICE_PRINTER), 1);
    assert_int_equal(usb_open_count(b, DEVICE_SCANNER), 2);
    emu_counts hc = emu_get_counts(hpos), bc = emu_get_counts(bound);
    devspec s;
    char why[256];
    assert_true(devspec_parse(DEVICE_PRINTER, "auto", &s, why, sizeof why));
    const device_ops *ops = NULL;
    void *self = NULL;
    char name[DEVICE_NAME_CAP];
    assert_int_equal(usb_open_printer(b, &s, &ops, &self, name, sizeof name, why, sizeof why),
                     DEVICE_OK);
    assert_string_equal(name, "Acme Receipt 0416:5011");
    usb_close_printer(b, ops, self);
    assert_int_equal(emu_get_counts(hpos).string_requests, hc.string_requests);
    assert_int_equal(emu_get_counts(hpos).report_requests, hc.report_requests);
    assert_int_equal(emu_get_counts(bound).string_requests, bc.string_requests);
    usb_bus_close(b);
    emu_free(prn);
    emu_free(bound);
    emu_free(hpos);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_scale_auto, guard, unplug_all),
        cmocka_unit_test_setup_teardown(test_scale_usb_spec, guard, unplug_all),
        cmocka_unit_test_setup_teardown(test_scanner_auto_not_keyboard, guard, unplug_all),
        cmocka_unit_test_setup_teardown(test_hidpos_scanner, guard, unplug_all),
        cmocka_unit_test_setup_teardown(test_scale_unplug_replug, guard, unplug_all),
        cmocka_unit_test_setup_teardown(test_printer_receipt_and_kick, guard, unplug_all),
        cmocka_unit_test_setup_teardown(test_printer_paper_out, guard, unplug_all),
        cmocka_unit_test_setup_teardown(test_printer_unplug_mid_job, guard, unplug_all),
        cmocka_unit_test_setup_teardown(test_printer_stops_answering, guard, unplug_all),
        cmocka_unit_test_setup_teardown(test_till_on_one_bus, guard, unplug_all),
        cmocka_unit_test_setup_teardown(test_count_and_printer_search_look_only_where_needed,
                                        guard, unplug_all),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
