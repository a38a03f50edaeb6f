/* sim (scale): a simulated HID POS scale that speaks the real device's bytes -- its ops.read
 * returns 6-byte Scale Data Reports (devices.md §1.1/1.2: `03 status unit exp lsb msb`), so the
 * device manager decodes it with the real codec (hidscale) and prices it through the real
 * stability rule.  Used by `run --simulate-devices`, the scripts' `weight` / `device scale`
 * commands, `devices --scale sim` and the tests.
 *
 * What a person does to a scale is set from any thread: goods placed (sim_scale_set_weight:
 * motion for motion_ms, then stable at the weight), the platter jiggled (MOTION until the next
 * weight), under zero, over capacity, a fault, unplugged and plugged back.  Reports come at
 * ~10 Hz (SIM_SCALE_PERIOD_MS) and at once after every change.  Weights up to 65535 g are
 * reported in grams (exponent 0), heavier ones in kg with exponent -2 (10 g steps), beyond
 * 655.35 kg as over capacity.  Unplugged, an open device reads DISCONNECTED and open says
 * NOT_FOUND.
 *
 * Zero and tare, as a real scale: ops.write takes the HID POS Zero Scale control report
 * `02 02` (devices.md §1.5, the bytes the device manager sends a USB scale) and zeroes the
 * platter -- the load on it now reads 0, and taking it off afterwards reads under zero; any
 * other report is refused (DEVICE_ERR_PROTOCOL).  HID POS has no tare report, so tare is
 * sim_scale_tare (the device manager's link hook): what is on it now (a container) is
 * subtracted from what follows -- the report carries the net weight only (its status byte has
 * no net/gross flag); taring an empty platter clears the tare; zeroing clears it too.
 * sim_scale_set_weight keeps setting the load (gross) on the platter. */
#ifndef FUPIN_PERIPHERALS_SCALE_SIM_H
#define FUPIN_PERIPHERALS_SCALE_SIM_H

#include <stdbool.h>
#include <stdint.h>

#include "peripherals/device.h"

#define SIM_SCALE_PERIOD_MS 100
#define SIM_SCALE_MOTION_MS 300

typedef enum {
    SIM_SCALE_NORMAL = 0,   /* the weight, in motion for a while after it was set */
    SIM_SCALE_MOTION,       /* in motion until the next weight */
    SIM_SCALE_UNDER_ZERO,
    SIM_SCALE_OVER_CAPACITY,
    SIM_SCALE_FAULT,
} sim_scale_mode;

typedef struct sim_scale sim_scale;

/* A plugged-in scale, empty and stable.  NULL when out of memory. */
sim_scale *sim_scale_create(void);
void sim_scale_destroy(sim_scale *s);   /* after the manager closed it */

/* How long goods placed stay in motion (0: stable at once). */
void sim_scale_set_motion_ms(sim_scale *s, uint32_t ms);
/* Goods of `grams` placed (0: taken off): NORMAL mode, motion for motion_ms, then stable. */
void sim_scale_set_weight(sim_scale *s, int64_t grams);
/* MOTION (grams < 0: keep the current weight), UNDER_ZERO, OVER_CAPACITY, FAULT, NORMAL. */
void sim_scale_set_mode(sim_scale *s, sim_scale_mode mode, int64_t grams);
void sim_scale_unplug(sim_scale *s);
void sim_scale_plug(sim_scale *s);
bool sim_scale_plugged(sim_scale *s);

/* Tare: what is on the platter now becomes the tare (0 on an empty platter: no tare). */
void sim_scale_tare(sim_scale *s);
/* The zero offset and the tare now (grams), for tests. */
int64_t sim_scale_zero_offset(sim_scale *s);
int64_t sim_scale_tare_grams(sim_scale *s);

/* The report the scale would send now (6 bytes into out); for tests. */
void sim_scale_report(sim_scale *s, uint8_t out[6]);

/* self = sim_scale *; open's `where` is ignored. */
extern const device_ops sim_scale_ops;

#endif
