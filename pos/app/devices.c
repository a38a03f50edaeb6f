/* devices: the input devices for the app -- specs resolved, openers, the manager, callbacks
 * posted to the queue (pos/app/devices.h). */
#include "pos/app/devices.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/settings.h"
#include "db/store.h"
#include "peripherals/devmgr_open.h"
#include "peripherals/usb_open.h"
#include "pos/app/i18n.h"
#include "pos/app/log.h"

#define LOG_PREFIX "devices"

/* Opener rows: sim (2), serial (1), auto -> sim (2), and room for the USB rows. */
#define MAX_OPENERS 12

struct app_devices {
    devmgr *m;
    evq *q;
    sim_scale *sim_scale;
    sim_scanner *sim_scanner;
    devmgr_opener openers[MAX_OPENERS];
    size_t n_openers;
    uint64_t long_codes;           /* atomically */
};

const char *devices_source_name(devices_source src)
{
    switch (src) {
    case DEVICES_FROM_OPTION: return "option";
    case DEVICES_FROM_CONFIG: return "config";
    case DEVICES_FROM_AUTO: return "auto";
    }
    return "auto";
}

static const char *const CONFIG_KEY[DEVMGR_CLASSES] = {"device.scale", "device.scanner"};
static const char *const OPTION[DEVMGR_CLASSES] = {"--scale", "--scanner"};

bool devices_choose_spec(device_class cls, const char *opt, const char *opt_name,
                         const char *conf, const char *key, devspec *out, devices_source *src,
                         char *why, size_t cap)
{
    const char *text = opt;
    const char *where = opt_name;
    *src = DEVICES_FROM_OPTION;
    if (!opt) {
        text = conf;
        where = key;
        *src = DEVICES_FROM_CONFIG;
    }
    char w[256] = "";
    if (!devspec_parse(cls, text, out, w, sizeof w)) {
        if (why)
            snprintf(why, cap, "%s: %s", where, w);
        return false;
    }
    if (*src == DEVICES_FROM_CONFIG && out->kind == DEVSPEC_AUTO)
        *src = DEVICES_FROM_AUTO;   /* unset, or set to auto */
    return true;
}

bool devices_plan_make(devices_plan *p, const char *scale_opt, const char *scanner_opt,
                       bool simulate, struct store *s, char *why, size_t cap)
{
    memset(p, 0, sizeof *p);
    p->simulate = simulate;
    p->hold_ms = SCALE_STABLE_DEFAULT_HOLD_MS;
    const char *opt[DEVMGR_CLASSES] = {scale_opt, scanner_opt};
    for (int i = 0; i < DEVMGR_CLASSES; i++) {
        char conf[DEVSPEC_PATH_CAP + 64] = "";
        if (!opt[i] && s && settings_get(s, CONFIG_KEY[i], conf, sizeof conf) != STORE_OK)
            conf[0] = '\0';
        if (!devices_choose_spec((device_class)i, opt[i], OPTION[i], conf, CONFIG_KEY[i],
                                 &p->spec[i], &p->source[i], why, cap))
            return false;
    }
    char hold[32] = "";
    if (s && settings_get(s, "scale.hold_ms", hold, sizeof hold) == STORE_OK && hold[0]) {
        char *end = NULL;
        long v = strtol(hold, &end, 10);
        if (*end || v < 0 || v > 10000) {
            snprintf(why, cap, "scale.hold_ms: %s is not 0..10000 ms", hold);
            return false;
        }
        p->hold_ms = (uint32_t)v;
    }
    return true;
}

usb_bus *devices_usb_open(void)
{
    char why[USB_WHY_CAP] = "";
    usb_bus *b = usb_bus_open(why, sizeof why);
    if (!b)
        log_warn("no USB: %s", why);
    return b;
}

bool devices_detect(devices_plan *p, usb_bus *b, bool printer_auto)
{
    p->usb = b;
    bool all_auto = printer_auto;
    for (int i = 0; i < DEVMGR_CLASSES; i++)
        all_auto = all_auto && p->spec[i].kind == DEVSPEC_AUTO;
    if (!p->simulate && all_auto && usb_open_count(b, DEVICE_CLASS_COUNT) == 0) {
        log_info("no scale, scanner or printer found: using the simulated devices");
        p->simulate = true;
        p->simulate_by_default = true;
    }
    return p->simulate;
}

bool devices_simulated(const devices_plan *p, device_class cls)
{
    if ((int)cls < 0 || (int)cls >= DEVMGR_CLASSES)
        return false;
    return p->spec[cls].kind == DEVSPEC_SIM || (p->simulate && p->spec[cls].kind == DEVSPEC_AUTO);
}

/* ---- callbacks: on the manager's thread, post and return ---- */

static void on_state(void *arg, device_class cls, device_state state, device_err err,
                     const char *name)
{
    /* The manager's status has the error and its sentence (`devices`); the chip only needs
     * to know "nothing plugged in" (an auto scanner is then the keyboard wedge). */
    app_devices *d = arg;
    evq_event ev = {.kind = EVQ_DEVICE_STATE, .value = (int64_t)cls, .status = (int32_t)state,
                    .flag = state == DEVICE_ERROR && err == DEVICE_ERR_NOT_FOUND};
    snprintf(ev.text, sizeof ev.text, "%s", name ? name : "");
    (void)evq_post(d->q, &ev);   /* a full queue counts the drop */
}

static void on_weight(void *arg, int64_t grams, scale_stable_verdict v)
{
    app_devices *d = arg;
    evq_event ev = {.kind = EVQ_SCALE_READING, .value = grams, .flag = v == SCALE_STABLE_READY,
                    .status = (int32_t)v};
    (void)evq_post(d->q, &ev);
}

static void on_code(void *arg, const char *code, size_t len)
{
    app_devices *d = arg;
    evq_event ev = {.kind = EVQ_SCAN};
    if (len >= sizeof ev.text) {
        /* Not cut: a cut code is another product.  Refused on screen, counted here. */
        ev.flag = true;
        ev.value = (int64_t)len;
        __atomic_add_fetch(&d->long_codes, 1, __ATOMIC_RELAXED);
    } else {
        memcpy(ev.text, code, len);
        ev.text[len] = '\0';
        ev.value = (int64_t)len;
    }
    (void)evq_post(d->q, &ev);
}

static void on_scale_command(void *arg, devmgr_scale_cmd cmd, device_err err, const char *why)
{
    app_devices *d = arg;
    evq_event ev = {.kind = EVQ_SCALE_COMMAND, .value = (int64_t)cmd, .status = (int32_t)err};
    snprintf(ev.text, sizeof ev.text, "%.63s", why ? why : "");
    (void)evq_post(d->q, &ev);
}

device_err devices_scale_command(app_devices *d, devmgr_scale_cmd cmd)
{
    return d ? devmgr_scale_command(d->m, cmd) : DEVICE_ERR_NOT_FOUND;
}

/* ---- the opener table ---- */

static void add(app_devices *d, devmgr_opener o)
{
    if (d->n_openers < MAX_OPENERS)
        d->openers[d->n_openers++] = o;
}

/* The openers, in the order they are tried for a kind: USB detection comes before the
 * simulators' AUTO rows, so with --simulate-devices a real device still wins. */
static void devices_openers(app_devices *d, const devices_plan *p)
{
    add(d, devmgr_open_sim_scale(d->sim_scale, DEVSPEC_SIM));
    add(d, devmgr_open_sim_scanner(d->sim_scanner, DEVSPEC_SIM));
    add(d, devmgr_open_serial_scale());
    if (p->usb) {
        add(d, usb_open_devmgr(p->usb, DEVICE_SCALE, DEVSPEC_USB));
        add(d, usb_open_devmgr(p->usb, DEVICE_SCANNER, DEVSPEC_USB));
        add(d, usb_open_devmgr(p->usb, DEVICE_SCALE, DEVSPEC_AUTO));
        add(d, usb_open_devmgr(p->usb, DEVICE_SCANNER, DEVSPEC_AUTO));
    }
    if (p->simulate) {
        add(d, devmgr_open_sim_scale(d->sim_scale, DEVSPEC_AUTO));
        add(d, devmgr_open_sim_scanner(d->sim_scanner, DEVSPEC_AUTO));
    }
}

app_devices *devices_start(const devices_plan *p, evq *q, char *why, size_t cap)
{
    app_devices *d = calloc(1, sizeof *d);
    if (!d) {
        snprintf(why, cap, "out of memory");
        return NULL;
    }
    d->q = q;
    d->sim_scale = sim_scale_create();
    d->sim_scanner = sim_scanner_create();
    if (!d->sim_scale || !d->sim_scanner) {
        snprintf(why, cap, "out of memory");
        devices_stop(d);
        return NULL;
    }
    devices_openers(d, p);
    devmgr_config cfg;
    devmgr_config_init(&cfg);
    for (int i = 0; i < DEVMGR_CLASSES; i++)
        cfg.spec[i] = p->spec[i];
    cfg.openers = d->openers;
    cfg.n_openers = d->n_openers;
    cfg.stable.hold_ms = p->hold_ms;
    cfg.on_state = on_state;
    cfg.on_weight = on_weight;
    cfg.on_code = on_code;
    cfg.on_scale_command = on_scale_command;
    cfg.arg = d;
    d->m = devmgr_start(&cfg, why, cap);
    if (!d->m) {
        devices_stop(d);
        return NULL;
    }
    return d;
}

void devices_stop(app_devices *d)
{
    if (!d)
        return;
    devmgr_stop(d->m);   /* joins: no callback runs after this */
    sim_scale_destroy(d->sim_scale);
    sim_scanner_destroy(d->sim_scanner);
    free(d);
}

devmgr *devices_manager(app_devices *d)
{
    return d ? d->m : NULL;
}

sim_scale *devices_sim_scale(app_devices *d)
{
    return d ? d->sim_scale : NULL;
}

sim_scanner *devices_sim_scanner(app_devices *d)
{
    return d ? d->sim_scanner : NULL;
}

void devices_nudge(app_devices *d)
{
    if (d)
        devmgr_nudge(d->m);
}

uint64_t devices_long_codes(app_devices *d)
{
    return d ? __atomic_load_n(&d->long_codes, __ATOMIC_RELAXED) : 0;
}

const char *devices_chip_text(device_class cls, bool managed, device_state state, bool simulated,
                              bool auto_none, bool *off)
{
    *off = false;
    if (state == DEVICE_ENABLED || state == DEVICE_CLAIMED || state == DEVICE_OPEN)
        return simulated ? T("模拟", "sim") : T("已连接", "connected");
    if (cls == DEVICE_SCANNER && (!managed || state == DEVICE_CLOSED || auto_none))
        return T("键盘", "keyboard");   /* the wedge: a scanner typing as a keyboard */
    *off = true;   /* configured and not there (unplugged, not found, refused) */
    return T("未连接", "offline");
}
