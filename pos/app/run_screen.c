/* run_screen: the cashier app's loop and scripted input.  See run_screen.h.
 *
 * The loop draws only when something changed (input, a finished commit, the clock's next
 * second) and otherwise sleeps in ui_screen_wait, so an idle till uses no CPU.  A sale is
 * written by the commit worker; its result comes back through the event queue.  The loop
 * drains the queue on every pass (it wakes at least once a second for the clock, every 100 ms
 * while a commit is in flight); the queue's waker, one SDL event, only cuts the latency.  A
 * lost wake (SDL_PushEvent refused: its queue full) therefore delays a result by at most one
 * pass, never strands it -- the queue wakes only on empty -> non-empty, so a result waiting
 * for the wake would be stuck for good and the till would say "Saving…" for ever.  What stops the app is said with cli_error (the words
 * tests and the manager read); script expectations print FILE:LINE like a compiler. */
#include "pos/app/run_screen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db/csv_table.h"
#include "db/demo.h"
#include "pos/app/cashier.h"
#include "pos/app/cli.h"
#include "pos/app/devices.h"
#include "pos/app/evq.h"
#include "peripherals/usb_open.h"
#include "pos/app/i18n.h"
#include "pos/app/log.h"
#include "pos/app/printing.h"
#include "pos/app/session.h"
#include "pos/app/till.h"
#include "pos/app/worker.h"
#include "ui/i18n.h"
#include "ui/screen.h"
#include "ui/script.h"
#include "ui/sound.h"

#define LOG_PREFIX "run"

/* Virtual key timing of scripted input: a person types ~8 keys a second, a scanner one key in
 * a few milliseconds.  The wedge codec sees exactly these gaps, so scripts exercise it. */
#define SCRIPT_HAND_GAP_MS 120u
#define SCRIPT_SCAN_GAP_MS 5u

typedef struct {
    ui_screen *screen;
    till *t;
    evq *q;                        /* results of the workers (and, later, devices and sync) */
    worker *commit;                /* the commit worker: its own thread and store handle */
    sale_session *session;
    printing *printing;            /* the receipt printer's queue; NULL: no printer */
    cashier c;
    bool cashier_ready;
    view_devices dev;
    sale_view *view;               /* heap: filled before each frame */
    size_t scroll;                 /* the basket table's first visible line */
    script scr;
    bool scripted;
    const char *shots_dir;
    uint32_t vclock;               /* scripted input's virtual key clock (ms) */
    bool clock_pinned;             /* script `clock`: "now" is pinned_utc */
    devices_plan plan;             /* the scale and scanner asked for (option, config, auto) */
    app_devices *devs;             /* the input devices' manager and simulators */
    usb_bus *usb;                  /* NULL: no USB (libusb could not start) */
    usb_pump *pump;                /* hotplug events -> usb_changed -> EVQ_HOTPLUG */
    printing_options po;           /* the printer as chosen (kept to restart it) */
    char printer_conf[DEVSPEC_PATH_CAP + 16];
    bool swap_pending;             /* demo default, and a real device was plugged in */
    devices_await await;           /* a script line waits for its device event */
    uint32_t await_until;          /* ui_screen_ticks() deadline of the wait */
    int await_line;
    time_t shown_second;           /* the clock second on screen */
} app_screen;

/* The script's pinned "now" (one screen per process). */
static int64_t pinned_utc;

static int64_t pinned_clock(void)
{
    return pinned_utc;
}

static void fill_view(app_screen *a)
{
    time_t now = a->clock_pinned ? (time_t)pinned_utc : time(NULL);
    if (a->printing)
        printing_chip(a->printing, &a->dev.printer_state, &a->dev.printer_off,
                      &a->dev.printer_warn);
    cashier_fill_view(&a->c, &a->dev, (int64_t)now, a->view);
    a->shown_second = now;
    a->c.dirty = false;
}

static void draw(app_screen *a)
{
    fill_view(a);
    ui_screen_draw(a->screen, a->view, &a->scroll);
}

static void play_sound(cashier *c)
{
    if (c->sound == SOUND_BEEP) {
        sound_beep();
    } else if (c->sound == SOUND_BUZZ) {
        sound_buzz();
    }
    c->sound = SOUND_NONE;
}

/* The header chip of a scale or scanner after a state change. */
static void device_chip(app_screen *a, const evq_event *ev)
{
    if (ev->value != DEVICE_SCALE && ev->value != DEVICE_SCANNER)
        return;
    device_class cls = (device_class)ev->value;
    bool off = false;
    const char *text = devices_chip_text(cls, a->plan.spec[cls].kind != DEVSPEC_NONE,
                                         (device_state)ev->status,
                                         devices_simulated(&a->plan, cls),
                                         a->plan.spec[cls].kind == DEVSPEC_AUTO && ev->flag, &off);
    if (cls == DEVICE_SCALE) {
        a->dev.scale_state = text;
        a->dev.scale_off = off;
    } else {
        a->dev.scanner_state = text;
        a->dev.scanner_off = off;
    }
    a->c.dirty = true;
}

/* On whichever thread libusb handled the hotplug event (the pump's, or a transfer's): only
 * post -- the screen's thread nudges the manager and the queue, and may swap them (the
 * pointers are the screen thread's; the queue outlives every libusb thread). */
static void usb_changed(void *arg)
{
    app_screen *a = arg;
    evq_event ev = {.kind = EVQ_HOTPLUG};
    (void)evq_post(a->q, &ev);
}

static void swap_to_real_devices(app_screen *a);

static void hotplug(app_screen *a)
{
    devices_nudge(a->devs);
    printing_wake(a->printing);
    /* The demo default was taken because nothing was plugged in at start; a real device now
     * means a real till (the printer switched on after the PC): use the real devices.  The
     * count lists (and opens) the bus on this thread, so only while it can still matter: not
     * again once a swap waits for the sale to end. */
    if (a->plan.simulate_by_default && !a->swap_pending &&
        usb_open_count(a->usb, DEVICE_CLASS_COUNT) > 0)
        a->swap_pending = true;
}

/* Everything the queue holds, handled outside its lock. */
static void drain_events(app_screen *a)
{
    evq_event evs[16];
    size_t n;
    while ((n = evq_drain(a->q, evs, sizeof evs / sizeof evs[0])) > 0) {
        for (size_t i = 0; i < n; i++) {
            if (evs[i].kind == EVQ_DEVICE_STATE)
                device_chip(a, &evs[i]);
            if (evs[i].kind == EVQ_HOTPLUG)
                hotplug(a);
            cashier_on_event(&a->c, &evs[i]);
            play_sound(&a->c);
            if (devices_await_match(&a->await, &evs[i]))
                a->await.on = false;
        }
    }
}

/* F6 / F10 with a simulated scale (`run --simulate-devices`, or --scale sim): the cashier's
 * hands on the simulator -- F6 puts the grams typed on the input line on the platter (nothing
 * typed: takes the goods off), F10 jiggles it (F7 is reprint).  The reading then comes back through the device
 * manager like a real scale's.  True when the key was this (the cashier does not see it). */
static bool sim_scale_key(app_screen *a, ui_key key)
{
    if ((key != UI_KEY_F6 && key != UI_KEY_F10) || !devices_simulated(&a->plan, DEVICE_SCALE) ||
        !a->devs)
        return false;
    cashier *c = &a->c;
    if (key == UI_KEY_F10) {
        char why[160];
        (void)devices_script_command(a->devs, &a->plan, "scale motion", &a->await, why, sizeof why);
        return true;
    }
    int64_t g = 0;
    for (const char *p = c->input; *p; p++) {
        if (*p < '0' || *p > '9' || g > 100000) {
            cashier_set_message(c, VIEW_MSG_ERROR, "%s",
                                L("模拟秤：先输入克数（0–1000000），再按 F6",
                                  "Simulated scale: type grams (0-1000000), then F6"));
            return true;
        }
        g = g * 10 + (*p - '0');
    }
    c->input[0] = '\0';
    c->dirty = true;
    (void)devices_script_weight(a->devs, &a->plan, g, &a->await);
    return true;
}

/* F11 zeroes the scale, Shift+F11 tares it (a container on the platter), whatever the scale:
 * the device manager sends the scale its command and the outcome comes back as
 * EVQ_SCALE_COMMAND (the message line: done, or "this scale cannot").  True when the key was
 * this. */
static bool scale_command_key(app_screen *a, ui_key key, unsigned mod)
{
    if (key != UI_KEY_F11)
        return false;
    devmgr_scale_cmd cmd = (mod & UI_MOD_SHIFT) ? DEVMGR_SCALE_TARE : DEVMGR_SCALE_ZERO;
    char why[160];
    if (!devices_script_scale_command(a->devs, cmd, &a->await, why, sizeof why)) {
        /* Nothing will come back: the screen says it now. */
        evq_event ev = {.kind = EVQ_SCALE_COMMAND, .value = (int64_t)cmd,
                        .status = (int32_t)(a->devs ? DEVICE_ERR_BUSY : DEVICE_ERR_NOT_FOUND)};
        cashier_on_event(&a->c, &ev);
        a->await.on = false;
        return true;
    }
    if (!a->scripted)
        a->await.on = false;   /* only a script waits for the outcome */
    return true;
}

static void handle_input(app_screen *a, const ui_input *in)
{
    switch (in->kind) {
    case UI_INPUT_WAKE:
        /* Only ends the wait: the queue is drained on every pass of the loop. */
        break;
    case UI_INPUT_QUIT:
        a->c.quit = true;
        break;
    case UI_INPUT_REDRAW:
        a->c.dirty = true;
        break;
    case UI_INPUT_KEY:
        if (!a->scripted && !scale_command_key(a, in->key, in->mod) && !sim_scale_key(a, in->key)) {
            cashier_key(&a->c, in->key, in->mod, in->t_ms);
        }
        break;
    case UI_INPUT_TEXT:
        if (!a->scripted) {
            cashier_text(&a->c, in->text, in->t_ms);
        }
        break;
    case UI_INPUT_NONE:
        break;
    }
    play_sound(&a->c);
}

/* One script command.  Returns 0 to go on, 1 on a failed expectation (exit code), -1 quit. */
static int run_command(app_screen *a, const script_cmd *cmd)
{
    cashier *c = &a->c;
    char err[512];
    switch (cmd->op) {
    case SCRIPT_KEY:
        a->vclock += SCRIPT_HAND_GAP_MS;
        /* Queued on the manager (F11), or like `weight` (F6/F10): the line waits for the
         * outcome or the reading (a->await). */
        if (scale_command_key(a, ui_key_from_sdl(cmd->keycode), ui_screen_mods()) ||
            sim_scale_key(a, ui_key_from_sdl(cmd->keycode)))
            break;
        cashier_key(c, ui_key_from_sdl(cmd->keycode), ui_screen_mods(), a->vclock);
        c->suppress_text = 0;   /* no text event follows a scripted key */
        break;
    case SCRIPT_TEXT:
        /* One event per character, as a keyboard (or an IME, for a Chinese character: one
         * whole UTF-8 sequence) delivers them. */
        for (const char *p = cmd->arg; *p;) {
            size_t n = 1;
            while (n < 4 && ((unsigned char)p[n] & 0xC0) == 0x80) {
                n++;
            }
            char one[5] = {0};
            memcpy(one, p, n);
            p += n;
            a->vclock += SCRIPT_HAND_GAP_MS;
            cashier_text(c, one, a->vclock);
        }
        break;
    case SCRIPT_SCAN:
        /* A long pause first: the burst must not join whatever was typed before it. */
        a->vclock += 1000;
        for (const char *p = cmd->arg; *p; p++) {
            char one[2] = {*p, '\0'};
            a->vclock += SCRIPT_SCAN_GAP_MS;
            cashier_text(c, one, a->vclock);
        }
        a->vclock += SCRIPT_SCAN_GAP_MS;
        cashier_key(c, UI_KEY_ENTER, UI_MOD_NONE, a->vclock);
        break;
    case SCRIPT_WEIGHT: {
        /* With the simulated scale the goods go on its platter and the line waits for the
         * device manager's READY (sim bytes -> hidscale -> scale_stable -> queue): the real
         * path.  Without one, the reading is posted as a scale would post it. */
        if (devices_script_weight(a->devs, &a->plan, cmd->number, &a->await))
            break;
        evq_event ev = {.kind = EVQ_SCALE_READING, .value = cmd->number, .flag = true};
        if (!evq_post(a->q, &ev)) {
            fprintf(stderr, "%s:%d: weight: the event queue is full\n", a->scr.path, cmd->line);
            return 1;
        }
        break;
    }
    case SCRIPT_DEVICE:
        /* The printer and its drawer: printing_script.c (waits, bounded, for the queue). */
        if (strncmp(cmd->arg, "printer", 7) == 0 || strncmp(cmd->arg, "drawer", 6) == 0) {
            if (!printing_script(a->printing, cmd->arg, err, sizeof err)) {
                fprintf(stderr, "%s:%d: device %s\n", a->scr.path, cmd->line, err);
                return 1;
            }
            /* What the queue posted meanwhile is on screen before the next line. */
            drain_events(a);
            break;
        }
        if (strncmp(cmd->arg, "scale", 5) == 0 || strncmp(cmd->arg, "scanner", 7) == 0) {
            /* The input devices' simulators; the line waits for the manager's event. */
            if (!devices_script_command(a->devs, &a->plan, cmd->arg, &a->await, err, sizeof err)) {
                fprintf(stderr, "%s:%d: %s\n", a->scr.path, cmd->line, err);
                return 1;
            }
            break;
        }
        fprintf(stderr, "%s:%d: device: no simulated %s in this build\n", a->scr.path,
                cmd->line, cmd->arg);
        return 1;
    case SCRIPT_CLOCK:
        pinned_utc = cmd->number;
        a->clock_pinned = true;
        c->clock_utc = pinned_clock;
        c->dirty = true;
        break;
    case SCRIPT_WAIT:
        a->vclock += (uint32_t)cmd->number;
        ui_screen_delay((uint32_t)cmd->number);
        break;
    case SCRIPT_SCREENSHOT: {
        if (!a->shots_dir) {
            fprintf(stderr, "%s:%d: screenshot needs --screenshots DIR\n", a->scr.path,
                    cmd->line);
            return 1;
        }
        char path[1024];
        snprintf(path, sizeof path, "%s/%s.png", a->shots_dir, cmd->arg);
        fill_view(a);
        if (!ui_screen_shot(a->screen, a->view, &a->scroll, path, err, sizeof err)) {
            fprintf(stderr, "%s:%d: screenshot: %s\n", a->scr.path, cmd->line, err);
            return 1;
        }
        break;
    }
    case SCRIPT_EXPECT_MESSAGE:
        if (!strstr(c->message, cmd->arg)) {
            fprintf(stderr, "%s:%d: expect-message: wanted \"%s\", the message line says \"%s\"\n",
                    a->scr.path, cmd->line, cmd->arg, c->message);
            return 1;
        }
        break;
    case SCRIPT_EXPECT_TOTAL: {
        fen_t total = basket_total(till_basket(a->t));
        if (total != cmd->number) {
            fprintf(stderr, "%s:%d: expect-total: wanted %lld fen, the basket total is %lld\n",
                    a->scr.path, cmd->line, (long long)cmd->number, (long long)total);
            return 1;
        }
        break;
    }
    case SCRIPT_QUIT:
        return -1;
    }
    play_sound(c);
    return 0;
}

static int loop_scripted(app_screen *a)
{
    for (;;) {
        ui_input in;
        /* While the worker writes, the script waits: it must never race the commit (a scan
         * during saving would be refused, and an expect would read a half-finished state). */
        if (cashier_busy(&a->c)) {
            if (ui_screen_wait(a->screen, 100, &in)) {
                handle_input(a, &in);
            }
            drain_events(a);
            continue;
        }
        while (ui_screen_poll(a->screen, &in)) {
            handle_input(a, &in);
        }
        /* Before the next script line: a result (or a scale reading) whose wake was lost is
         * handled all the same. */
        drain_events(a);
        swap_to_real_devices(a);
        if (a->await.on) {
            /* A device line waits (bounded) for its event from the device manager. */
            if ((int32_t)(ui_screen_ticks() - a->await_until) > 0) {
                fprintf(stderr, "%s:%d: no %s from the device manager within %d ms\n",
                        a->scr.path, a->await_line, a->await.what, DEVICES_AWAIT_MS);
                return 1;
            }
            if (a->c.dirty)
                draw(a);
            if (ui_screen_wait(a->screen, 20, &in))
                handle_input(a, &in);
            continue;
        }
        if (a->c.quit) {
            return 0;
        }
        if (a->c.dirty) {
            draw(a);
        }
        if (a->scr.next >= a->scr.n) {
            return 0;
        }
        const script_cmd *cmd = &a->scr.cmds[a->scr.next++];
        int rc = run_command(a, cmd);
        if (a->await.on) {
            /* The line set a wait for its device event: bounded from now. */
            a->await_until = ui_screen_ticks() + DEVICES_AWAIT_MS;
            a->await_line = cmd->line;
        }
        if (rc != 0) {
            return rc > 0 ? rc : 0;
        }
    }
}

static int loop_interactive(app_screen *a)
{
    draw(a);
    while (!a->c.quit) {
        /* Sleep until input, a worker's result or the clock's next second. */
        uint32_t ms_into_second = ui_screen_ticks() % 1000u;
        int timeout = (int)(1000u - ms_into_second) + 5;
        ui_input in;
        if (ui_screen_wait(a->screen, timeout, &in)) {
            handle_input(a, &in);
            while (ui_screen_poll(a->screen, &in)) {
                handle_input(a, &in);
            }
        }
        /* Every pass, woken or not: a lost wake costs at most this second's wait. */
        drain_events(a);
        swap_to_real_devices(a);
        if (a->c.dirty || time(NULL) != a->shown_second) {
            draw(a);
        }
    }
    return 0;
}

/* The print queue and the device manager for a->plan / a->po; false with err. */
static bool start_devices(app_screen *a, char *err, size_t cap)
{
    if (!printing_start(&a->po, &a->printing, err, cap))
        return false;
    session_set_printing(a->session, a->printing);
    a->c.printer = a->printing;
    /* The scale and the scanner: the device manager's thread (pos/app/devices.c); until it
     * says otherwise the chips say "not connected" and "keyboard" (the wedge).  With a printer
     * its chip follows the queue (fill_view); without one it says so. */
    a->dev.simulated = a->plan.simulate;
    a->dev.printer_state = L("未配置", "none");
    a->dev.printer_off = true;
    for (int i = 0; i < DEVMGR_CLASSES; i++) {
        evq_event ev = {.kind = EVQ_DEVICE_STATE, .value = i, .status = DEVICE_CLOSED};
        device_chip(a, &ev);
    }
    a->devs = devices_start(&a->plan, a->q, err, cap);
    return a->devs != NULL;
}

/* Stop the device manager, then the print queue (what was queued gets its drain; what waits
 * is logged and counted on stderr). */
static void stop_devices(app_screen *a)
{
    devices_stop(a->devs);
    a->devs = NULL;
    size_t unprinted = printing_stop(a->printing);
    a->printing = NULL;
    if (a->session)
        session_set_printing(a->session, NULL);
    a->c.printer = NULL;
    if (unprinted)
        cli_error("%zu receipt%s not printed", unprinted, unprinted == 1 ? "" : "s");
}

/* The demo default's simulators out, the real devices in -- between sales only (a commit in
 * flight hands its sale to the printer it started with). */
static void swap_to_real_devices(app_screen *a)
{
    if (!a->swap_pending || cashier_busy(&a->c))
        return;
    a->swap_pending = false;
    log_info("a USB device was plugged in: leaving the simulated devices");
    stop_devices(a);
    a->plan.simulate = a->plan.simulate_by_default = false;
    a->po.simulate_devices = false;
    char err[512] = "";
    if (!start_devices(a, err, sizeof err))
        cashier_set_message(&a->c, VIEW_MSG_ERROR, "%s", err);
    else
        cashier_set_message(&a->c, VIEW_MSG_OK, "%s",
                            L("已连接设备：改用真实的秤、扫码枪和打印机",
                              "Devices connected: using the real scale, scanner and printer"));
    a->c.dirty = true;
}

/* The till, its worker, its session and the controller; false with a message printed. */
static bool start_sale(app_screen *a, const run_screen_options *opts)
{
    char err[1024] = "";
    a->q = evq_create(64);
    if (!a->q) {
        cli_error("out of memory");
        return false;
    }
    evq_set_waker(a->q, ui_screen_wake, a->screen);
    a->commit = worker_start("fupin-commit", opts->db_path, a->q, err, sizeof err);
    if (!a->commit) {
        cli_error("%s", err);
        return false;
    }
    a->session = session_create(a->t, a->commit);
    if (!a->session || !cashier_init(&a->c, a->t, a->session)) {
        cli_error("out of memory");
        return false;
    }
    a->cashier_ready = true;
    /* The devices: each class's --option, else its config key, else auto.  USB first, so
     * auto can tell a till with devices from a demo machine without any (simulated). */
    if (!devices_plan_make(&a->plan, opts->scale_spec, opts->scanner_spec, opts->simulate_devices,
                           till_store(a->t), err, sizeof err)) {
        cli_error("%s", err);
        return false;
    }
    if (settings_get(till_store(a->t), "device.printer", a->printer_conf,
                     sizeof a->printer_conf) != STORE_OK)
        a->printer_conf[0] = '\0';
    const till_config *tc = till_config_get(a->t);
    a->po = (printing_options){
        .spec_text = opts->printer,
        .config_text = a->printer_conf,
        .db_path = opts->db_path,
        .store_name = tc->store_name,
        .tz_offset_min = tc->tz_offset_min,
        .db = till_store(a->t),
        .events = a->q,
    };
    a->usb = devices_usb_open();
    a->po.usb = a->usb;
    a->po.simulate_devices = devices_detect(&a->plan, a->usb, printing_chosen_auto(&a->po));
    if (!start_devices(a, err, sizeof err)) {
        cli_error("%s", err);
        return false;
    }
    if (a->usb) {
        /* Hotplug: a plugged device is tried at once instead of at the next backoff. */
        a->pump = usb_pump_start(a->usb, usb_changed, a, err, sizeof err);
        if (!a->pump)
            log_info("%s", err);
    }
    return true;
}

/* Read and parse `run --script FILE`.  The file is opened like every outside file the CLI
 * reads (db/csv_table.h ct_read_file: a FIFO, device or directory is refused at once instead
 * of blocking the screen forever); scripts are small, so a megabyte is a wrong file. */
static bool load_script(const char *path, script *scr, char *err, size_t err_cap)
{
    enum { MAX_SCRIPT = 1 << 20 };
    char why[256] = "";
    size_t n = 0;
    memset(scr, 0, sizeof *scr);
    char *text = ct_read_file(path, MAX_SCRIPT, &n, why, sizeof why);
    if (!text) {
        snprintf(err, err_cap, "%s: %s", path, why);
        return false;
    }
    bool ok = false;
    if (memchr(text, '\0', n))
        snprintf(err, err_cap, "%s: not a text file", path);
    else
        ok = script_parse(path, text, scr, err, err_cap);
    free(text);
    return ok;
}

int run_screen(const run_screen_options *opts)
{
    int rc = 1;
    char err[1024] = "";
    app_screen *a = calloc(1, sizeof *a);
    sale_view *view = calloc(1, sizeof *view);
    if (!a || !view) {
        cli_error("out of memory");
        free(a);
        free(view);
        return 1;
    }
    a->view = view;
    (void)i18n_set_lang(opts->lang ? opts->lang : "zh");   /* the till's own messages */
    ui_set_en(i18n_is_en());                                /* and the screen's labels */

    if (opts->script_path) {
        if (!load_script(opts->script_path, &a->scr, err, sizeof err)) {
            cli_error("%s", err);
            goto out;
        }
        a->scripted = true;
        a->shots_dir = opts->screenshots_dir;
    }

    /* Fonts first: a till without a Chinese font is useless, and this check needs neither a
     * display nor the database, so it fails fast and clearly. */
    ui_screen_options so = {
        .windowed = opts->windowed,
        .width = opts->width,
        .height = opts->height,
        .font_path = opts->font_path ? opts->font_path : getenv("FUPIN_POS_FONT"),
        .assets_dir = demo_assets_dir(),
        .title = L("扶贫超市收银 Fupin POS", "Fupin POS"),
    };
    a->screen = ui_screen_create(&so, err, sizeof err);
    if (!a->screen) {
        cli_error("%s", err);
        rc = 3;
        goto out;
    }

    if (!opts->db_path) {
        cli_error("no database path");
        goto out;
    }
    store_err se = till_open(&a->t, opts->db_path, false, err, sizeof err);
    if (se != STORE_OK) {
        /* The store's words: the file, then why.  Where `fupin-pos init` is the cure (no file,
         * not a till database, an older schema) they say so themselves; anything else (a
         * directory, no permission, a full disk) names the operating system's reason, and a
         * hint to run init would only send the manager the wrong way. */
        size_t plen = strlen(opts->db_path);
        bool names_file = strncmp(err, opts->db_path, plen) == 0 && err[plen] == ':';
        if (!err[0])
            cli_error("cannot open the till database %s: %s", opts->db_path, store_strerror(se));
        else if (names_file)
            cli_error("cannot open the till database %s", err);
        else
            cli_error("cannot open the till database %s: %s", opts->db_path, err);
        goto out;
    }
    {
        /* The catalog search index is built on its first query; build it now, before the
         * first customer, so the first F2 keystroke is as quick as every other. */
        product warm;
        size_t n_warm = 0;
        (void)till_search(a->t, "0", &warm, 1, &n_warm);
    }

    ui_open_result opened = ui_screen_open(a->screen, err, sizeof err);
    if (opened != UI_OPEN_OK) {
        cli_error("%s", err);
        rc = opened == UI_OPEN_NO_DISPLAY ? 3 : 1;
        goto out;
    }
    if (!start_sale(a, opts)) {
        goto out;
    }
    a->vclock = ui_screen_ticks();

    rc = a->scripted ? loop_scripted(a) : loop_interactive(a);

out:
    /* The hotplug pump and the device thread first: nothing posts to the queue after this. */
    usb_pump_stop(a->pump);
    devices_stop(a->devs);
    a->devs = NULL;
    /* The worker finishes a sale in flight before it stops: quitting never loses one.  Its
     * result is then handled here, so the sale committed at the moment of quitting still gets
     * its drawer kick and receipt queued (printed below, or counted as not printed). */
    worker_stop(a->commit);
    a->commit = NULL;
    if (a->cashier_ready && a->q)
        drain_events(a);
    /* Receipts still waiting are not lost silently: each is in the log, and the count is said
     * on stderr. */
    stop_devices(a);
    if (a->cashier_ready) {
        cashier_free(&a->c);
    }
    session_destroy(a->session);
    usb_bus_close(a->usb);   /* after the manager and the queue closed their devices */
    evq_destroy(a->q);
    ui_screen_destroy(a->screen);
    till_close(a->t);
    script_free(&a->scr);
    free(a->view);
    free(a);
    return rc;
}
