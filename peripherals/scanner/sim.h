/* sim (scanner): a simulated barcode scanner that speaks the real device's bytes -- a code
 * queued from any thread comes out of ops.read as 8-byte boot keyboard reports (devices.md
 * §2.2): for each character a press (with Left Shift in the modifier byte for upper case and
 * shifted punctuation) and an all-zero release, then Enter pressed and released; or, made with
 * sim_scanner_create_hidpos, as 64-byte HID POS reports (§2.1: ID 02, length, AIM "]E0" for 13
 * digits else "]C0", up to 56 data bytes, bit 0 of byte 63 = more follow).  The device manager
 * decodes them with the real codec (bootkbd / hidpos).
 *
 * Unplugging drops what was queued (the code in flight is lost, as with a real cable) and an
 * open device reads DISCONNECTED; open says NOT_FOUND until it is plugged back.  Reads wait on
 * a condition variable (CLOCK_MONOTONIC), so a queued code is read at once. */
#ifndef FUPIN_PERIPHERALS_SCANNER_SIM_H
#define FUPIN_PERIPHERALS_SCANNER_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "peripherals/device.h"

#define SIM_SCANNER_QUEUE 4096   /* reports: ~70 queued 13-digit keyboard codes */
#define SIM_SCANNER_REPORT_MAX 64

typedef struct sim_scanner sim_scanner;

sim_scanner *sim_scanner_create(void);          /* keyboard emulation */
sim_scanner *sim_scanner_create_hidpos(void);   /* HID POS (usage page 0x8C) */
bool sim_scanner_is_hidpos(sim_scanner *s);
void sim_scanner_destroy(sim_scanner *s);   /* after the manager closed it */

/* Queue code (printable ASCII the US layout maps).  False when a character has no key, the
 * code is empty or the queue is full (nothing queued then). */
bool sim_scanner_scan(sim_scanner *s, const char *code);
/* Queue raw reports (8 bytes each -- 64 for HID POS -- or anything: tests feed garbage through
 * the real path). */
bool sim_scanner_raw(sim_scanner *s, const uint8_t *bytes, size_t len);
void sim_scanner_unplug(sim_scanner *s);
void sim_scanner_plug(sim_scanner *s);
bool sim_scanner_plugged(sim_scanner *s);

/* self = sim_scanner *; open's `where` is ignored.  Each read returns one queued report. */
extern const device_ops sim_scanner_ops;

#endif
