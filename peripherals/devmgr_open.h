/* devmgr_open: the openers of this tree for the device manager's seam (peripherals/devmgr.h)
 * -- the simulated scale and scanner (DEVSPEC_SIM, and DEVSPEC_AUTO where the caller wants the
 * simulator as what "auto" finds) and a serial scale (DEVSPEC_SERIAL over serial.c).
 *
 * Each function fills one devmgr_opener row of the caller's table; USB rows (DEVSPEC_USB and
 * AUTO detection over USB) are peripherals/usb.c's, added to the same table by the caller. */
#ifndef FUPIN_PERIPHERALS_DEVMGR_OPEN_H
#define FUPIN_PERIPHERALS_DEVMGR_OPEN_H

#include "peripherals/devmgr.h"
#include "peripherals/scale/sim.h"
#include "peripherals/scanner/sim.h"

/* The simulated scale `sim` (the caller's, it outlives the manager) for specs of kind `kind`
 * (DEVSPEC_SIM or DEVSPEC_AUTO).  Codec DEVMGR_CODEC_HIDSCALE, name "sim scale". */
devmgr_opener devmgr_open_sim_scale(sim_scale *sim, devspec_kind kind);
/* The simulated scanner: codec DEVMGR_CODEC_BOOTKBD, name "sim scanner" (a HID POS sim:
 * DEVMGR_CODEC_HIDPOS_SCANNER, "sim scanner (HID POS)"). */
devmgr_opener devmgr_open_sim_scanner(sim_scanner *sim, devspec_kind kind);
/* A serial scale of a DEVSPEC_SERIAL spec: serial_open(spec->port), codec
 * DEVMGR_CODEC_SERIAL_SCALE (the protocol is spec->proto), name "PROTO PATH"; the port is
 * malloc'd per open and freed on close.  Hint: SERIAL_UDEV_HINT. */
devmgr_opener devmgr_open_serial_scale(void);

#endif
