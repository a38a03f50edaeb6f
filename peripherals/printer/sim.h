/* printer/sim: a simulated ESC/POS receipt printer with a cash drawer, for `run
 * --simulate-devices`, scripts and tests (issue #9 "Simulators and tests").
 *
 * Its bytes are appended to a file, as a real printer would have received them (ESC/POS
 * commands included; the DLE EOT status requests are answered, not written).  Faults are set
 * from any thread while the print queue's thread uses it: unplugged (open fails, an open
 * handle is dead until reopened), paper out / near end, cover open, offline, stalled (writes
 * take nothing and time out, status goes unanswered), and "unplug after N more bytes" to cut
 * a job in the middle.  It answers DLE EOT 1/2/4 with the bytes of devices.md §4.2, so the
 * queue's status path is the one a real printer drives.  While the paper is out or the cover
 * open, text and paper commands are dropped (nothing printed) but a drawer kick (ESC p) is
 * still carried out: the drawer hangs off the printer's connector, not its paper path.
 *
 * The printed text (commands stripped, GB18030 as sent) is also kept in memory, bounded, so a
 * script can ask what was printed.  All functions are thread-safe. */
#ifndef FUPIN_PERIPHERALS_PRINTER_SIM_H
#define FUPIN_PERIPHERALS_PRINTER_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "peripherals/device.h"
#include "peripherals/devspec.h"

typedef struct sim_printer sim_printer;

typedef enum {
    SIM_PRINTER_UNPLUGGED = 0,
    SIM_PRINTER_PAPER_OUT,
    SIM_PRINTER_PAPER_NEAR_END,
    SIM_PRINTER_COVER_OPEN,
    SIM_PRINTER_OFFLINE,
    SIM_PRINTER_STALL,
    SIM_PRINTER_FAULT_COUNT,
} sim_printer_fault;

/* A plugged-in, ready printer writing to path (created 0600 if absent, appended to).  The
 * file is opened on each device open, so a missing directory is a failed open, said in why.
 * NULL when out of memory. */
sim_printer *sim_printer_create(const char *path);
void sim_printer_destroy(sim_printer *sp);
const char *sim_printer_path(const sim_printer *sp);

/* Set or clear a fault.  Unplugging kills an open handle (its calls fail
 * DEVICE_ERR_DISCONNECTED until the queue reopens); a stall ends when cleared or unplugged. */
void sim_printer_set(sim_printer *sp, sim_printer_fault f, bool on);
bool sim_printer_get(sim_printer *sp, sim_printer_fault f);
/* The next n bytes written are taken, then the printer is unplugged (mid-job). */
void sim_printer_unplug_after(sim_printer *sp, size_t n);

typedef struct {
    uint64_t kicks;             /* ESC p carried out */
    uint64_t bytes;             /* written to the file */
    uint64_t dropped;           /* received while paper out / cover open: not printed */
    uint64_t status_requests;   /* DLE EOT answered */
    uint64_t opens;
} sim_printer_stats;
void sim_printer_stats_get(sim_printer *sp, sim_printer_stats *out);

/* The printed text so far (GB18030 as sent, ESC/POS commands stripped, at most the last
 * 64 KiB), copied into out (cap >= 1, NUL-terminated); returns its full length. */
size_t sim_printer_text(sim_printer *sp, char *out, size_t cap);

/* The transport (cls DEVICE_PRINTER, self = the sim_printer): open's `where` is ignored. */
extern const device_ops sim_printer_ops;

/* The print queue's opener for DEVSPEC_SIM (print_queue.h print_open_fn); arg = the
 * sim_printer.  Closing is ops->close (no print_close_fn needed). */
device_err sim_printer_opener(void *arg, const devspec *spec, const device_ops **ops,
                              void **self, char *name, size_t name_cap, char *why,
                              size_t why_cap);

#endif
