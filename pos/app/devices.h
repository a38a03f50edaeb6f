/* devices: the app's side of the input devices -- which scale and scanner to use (the option,
 * else the config key, else auto), the opener table handed to the device manager
 * (peripherals/devmgr.h), the simulators, and the manager's callbacks turned into events on
 * the app's queue:
 *
 *   EVQ_SCALE_READING  value = grams, flag = ready to price (scale_stable READY),
 *                      status = the scale_stable_verdict (why not, when flag is false)
 *   EVQ_SCAN           text = the code; a code longer than EVQ_TEXT_CAP - 1 (63) is not cut:
 *                      flag = true, text empty, value = its length, counted -- the screen
 *                      refuses it as the wedge refuses an overlong burst (WEDGE_MAX_CODE 64)
 *   EVQ_DEVICE_STATE   value = class, status = device_state, text = the device's name,
 *                      flag = an error that is only "not found" (nothing plugged in)
 *   EVQ_SCALE_COMMAND  value = devmgr_scale_cmd, status = device_err (DEVICE_OK: done;
 *                      UNSUPPORTED: this scale cannot; NOT_FOUND: no scale), text = why
 *
 * "auto": a USB device of the class (peripherals/usb_open.h: a known or HID-POS scale, a
 * scanner vendor's keyboard or a HID POS scanner), found again on every retry and on hotplug;
 * the simulators instead when the app simulates devices (`run --simulate-devices`, or
 * devices_detect found no USB device at all and nothing is configured: the demo default). */
#ifndef FUPIN_APP_DEVICES_H
#define FUPIN_APP_DEVICES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "peripherals/devmgr.h"
#include "peripherals/scale/sim.h"
#include "peripherals/scanner/sim.h"
#include "peripherals/usb.h"
#include "pos/app/evq.h"

struct store;

typedef enum { DEVICES_FROM_OPTION = 0, DEVICES_FROM_CONFIG, DEVICES_FROM_AUTO } devices_source;
const char *devices_source_name(devices_source src);   /* "option", "config", "auto" */

/* One device's spec by the rule of every class (the printer's too: printing.c): opt, the
 * --option's text (NULL: not given), else conf, its config key's text (NULL or "": unset),
 * else auto; *src says which (a key that says auto is auto).  False with a sentence naming
 * where the bad text came from ("--scale: ..." / "device.scale: ...") in why (may be NULL). */
bool devices_choose_spec(device_class cls, const char *opt, const char *opt_name,
                         const char *conf, const char *key, devspec *out, devices_source *src,
                         char *why, size_t cap);

/* What the app will ask the manager for. */
typedef struct {
    devspec spec[DEVMGR_CLASSES];          /* [DEVICE_SCALE], [DEVICE_SCANNER] */
    devices_source source[DEVMGR_CLASSES];
    bool simulate;                         /* auto finds the simulators */
    bool simulate_by_default;              /* ... because nothing was found (devices_detect) */
    usb_bus *usb;                          /* the caller's bus (NULL: no USB); outlives the manager */
    uint32_t hold_ms;                      /* scale.hold_ms */
} devices_plan;

/* Resolve the plan: each class's --option text (NULL: not given), else its config key
 * (device.scale, device.scanner in store s; s may be NULL), else auto; scale.hold_ms from s.
 * False with a sentence in why naming the bad spec ("--scale: ..." / "device.scale: ..."). */
bool devices_plan_make(devices_plan *p, const char *scale_opt, const char *scanner_opt,
                       bool simulate, struct store *s, char *why, size_t cap);

/* The USB bus for the app (NULL, logged, when libusb cannot start: no USB, the rest works). */
usb_bus *devices_usb_open(void);

/* Attach bus b (may be NULL) to plan p, and decide the demo default: when nothing is chosen
 * (the scale, the scanner and -- printer_auto -- the printer all auto, no --simulate-devices)
 * and no USB device of any class we drive is plugged in, auto means the simulators
 * (p->simulate and p->simulate_by_default set).  Returns p->simulate. */
bool devices_detect(devices_plan *p, usb_bus *b, bool printer_auto);

typedef struct app_devices app_devices;

/* Start the manager for the plan, posting to q.  NULL with why when it cannot start. */
app_devices *devices_start(const devices_plan *p, evq *q, char *why, size_t cap);
/* Stop the manager (joins its thread), then free the simulators.  NULL is fine. */
void devices_stop(app_devices *d);

devmgr *devices_manager(app_devices *d);
/* The simulators (always there, used when a spec is sim or auto finds them). */
sim_scale *devices_sim_scale(app_devices *d);
sim_scanner *devices_sim_scanner(app_devices *d);
/* Is the class driven by its simulator (spec sim, or auto with simulate)? */
bool devices_simulated(const devices_plan *p, device_class cls);
/* Retry closed devices now (a plug). */
void devices_nudge(app_devices *d);
/* Zero or tare the scale (F11 / Shift+F11, `device scale zero|tare`): queued on the manager,
 * its outcome posted as EVQ_SCALE_COMMAND.  DEVICE_OK queued; DEVICE_ERR_BUSY when commands
 * pile up; DEVICE_ERR_NOT_FOUND when d is NULL -- nothing is posted then. */
device_err devices_scale_command(app_devices *d, devmgr_scale_cmd cmd);
/* Codes refused as too long for an event (EVQ_SCAN with flag). */
uint64_t devices_long_codes(app_devices *d);

/* The header chip of a class in the user's language: "已连接" / "模拟" / "未连接" / "键盘";
 * *off when it is painted as offline.  auto_none: the spec is auto and nothing is plugged in
 * (a scanner is then the keyboard wedge). */
const char *devices_chip_text(device_class cls, bool managed, device_state state, bool simulated,
                              bool auto_none, bool *off);

/* ---- scripts (`run --script`, devices_script.c) ---- */

/* What the script runner waits for after a device command: the event the manager posts when
 * the simulated device's change went through the real path (bounded by the runner). */
typedef struct {
    bool on;
    evq_kind kind;
    bool flag;                     /* EVQ_SCALE_READING: ready */
    int32_t status;                /* verdict (not ready) / device state */
    int64_t value;                 /* grams / device class */
    char text[EVQ_TEXT_CAP];       /* EVQ_SCAN: the code */
    char what[128];                /* for the timeout message: "a stable 333 g" */
} devices_await;

#define DEVICES_AWAIT_MS 5000

/* `weight GRAMS` with a simulated scale: goods of GRAMS on the sim scale, and *w set to wait
 * for the manager's verdict on what the scale then reads -- GRAMS less its zero offset and tare
 * (READY of that; EMPTY at 0; UNDER_ZERO below).  False when the scale is not
 * simulated (the caller then posts the reading itself, as before devices). */
bool devices_script_weight(app_devices *d, const devices_plan *p, int64_t grams,
                           devices_await *w);
/* `device scale motion [G]|under [G]|over|fault|unplug|plug|weight G` and `device scanner
 * scan CODE|unplug|plug` (arg is the text after `device`); `device scale zero|tare` asks the
 * manager (any scale, simulated or not) and waits for its EVQ_SCALE_COMMAND.  False with a sentence in why for
 * an unknown event, a class this build does not simulate, or a code the sim cannot type;
 * otherwise *w says what to wait for. */
bool devices_script_command(app_devices *d, const devices_plan *p, const char *arg,
                            devices_await *w, char *why, size_t cap);
/* Queue the scale command and set *w to wait for its EVQ_SCALE_COMMAND (F11 and the script).
 * False with a sentence when it cannot be queued. */
bool devices_script_scale_command(app_devices *d, devmgr_scale_cmd cmd, devices_await *w,
                                  char *why, size_t cap);
/* Does ev complete the wait? */
bool devices_await_match(const devices_await *w, const evq_event *ev);

#endif
