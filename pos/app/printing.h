/* printing: the cashier app's receipt printer and cash drawer -- which printer (the --printer
 * option, else the config key device.printer, else auto), the print queue that owns it
 * (peripherals/printer/print_queue.h), the openers behind the queue's seam, and the way the
 * queue's news reaches the screen: its callbacks, on the queue's thread, only post
 * EVQ_PRINT_DONE / EVQ_DEVICE_STATE events to the app's queue (evq.h); the screen's thread
 * takes them in printing_on_event and reads the chip and the message from here.
 *
 * After a commit the session hands the sale to printing_submit_sale: a drawer kick first when
 * cash was tendered, then the receipt document (pos/core/receipt.h) as ESC/POS bytes
 * (peripherals/printer/receipt_escpos.h), counted in the print log (db/receipt_prints.h).
 * F7 renders the last one again marked 重印 and counts the reprint.  Both are queued and the call returns: the sale
 * is durable before anything prints and the next shopper never waits for the printer.
 *
 * `auto`: the simulated printer when devices are simulated (`run --simulate-devices`, or the
 * demo default of devices_detect), else a USB printer found by detection (again on every retry
 * and on hotplug: printing.c open_printer), else none when there is no USB.  The simulated printer writes
 * next to the database, DIR(db)/sim-printer.bin: each database (a test's, a training till's)
 * gets its own roll, and the folder is one the till can already write. */
#ifndef FUPIN_APP_PRINTING_H
#define FUPIN_APP_PRINTING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pos/app/devices.h"
#include "pos/app/evq.h"
#include "peripherals/printer/print_queue.h"
#include "peripherals/printer/sim.h"
#include "pos/core/sale.h"

typedef struct printing printing;

typedef struct {
    const char *spec_text;        /* --printer, NULL when not given */
    const char *config_text;      /* the config key device.printer, NULL or "" when unset */
    bool simulate_devices;        /* `run --simulate-devices` (or the demo default): auto means sim */
    struct usb_bus *usb;          /* USB printers (NULL: none); the caller's, outlives printing */
    const char *db_path;          /* the sim printer's file goes next to it */
    const char *store_name;       /* for a receipt without db (tests of the queue) */
    int tz_offset_min;
    /* The till's store, used on the caller's thread only (printing_submit_sale and
     * printing_reprint_last run there): the receipt's settings and the print log.  NULL: the
     * name and zone above, nothing counted. */
    struct store *db;
    int receipt_width_mm;         /* 58 or 80; 0 = the config key receipt.width (58) */
    evq *events;                  /* where the callbacks post */
    /* 0 = the queue's defaults (print_queue_cfg). */
    int write_timeout_ms;
} printing_options;

/* The printer the options select (devspec grammar); false with why when the text is bad. */
bool printing_resolve(const printing_options *o, devspec *out, char *why, size_t cap);

/* Is the printer left to auto (no --printer, device.printer unset or "auto")?  A bad spec
 * is not (printing_resolve says why). */
bool printing_chosen_auto(const printing_options *o);
/* Where the printer's spec came from, as devices_plan_make says it of the scale and scanner:
 * --printer, else device.printer (auto when it says auto), else auto. */
devices_source printing_source(const printing_options *o);

/* What `devices` shows of the printer: the spec run would use (auto resolved as in
 * printing_start), one open through the same opener and, when the transport answers, its
 * real-time status ("ready", "paper out", ...).  Fills spec; *state is DEVICE_ENABLED when it
 * opened, DEVICE_CLOSED for none, DEVICE_ERROR with the sentence in why otherwise; name and
 * condition ("" when unknown) for people.  The simulated printer is not opened (it is always
 * there).  False only on a bad spec (why says so). */
bool printing_probe(const printing_options *o, devspec *spec, device_state *state, char *name,
                    size_t name_cap, char *condition, size_t cond_cap, char *why, size_t why_cap);

/* Wake the queue: retry a waiting printer now (a USB device was plugged in).  NULL is fine. */
void printing_wake(printing *p);

/* Start printing; *out is NULL (and true returned) when the spec is none: no printer, and the
 * app goes on as before.  False with why on a bad spec or a failed start. */
bool printing_start(const printing_options *o, printing **out, char *why, size_t cap);
/* Stop the queue; every receipt not printed is logged, and their count returned (the app says
 * "N receipts not printed").  Then free.  NULL is fine (0). */
size_t printing_stop(printing *p);

/* After a commit: the drawer kick (when any tender is cash) and the receipt, queued. */
print_err printing_submit_sale(printing *p, const sale_doc *doc);
/* Reprint the last receipt (F7).  The till's message words in msg (user's language). */
print_err printing_reprint_last(printing *p, char *msg, size_t cap);

/* An event from the app's queue: true when it was the printer's (after which the chip, and
 * maybe the message, changed).  *say is set to a message for the cashier ("" for none). */
bool printing_on_event(printing *p, const evq_event *ev, char *say, size_t say_cap,
                       bool *warn);

/* The printer's chip: text in the user's language (valid until the next call on p), off
 * (painted offline) and warn (a receipt waits, or the paper is nearly out). */
void printing_chip(printing *p, const char **text, bool *off, bool *warn);

/* The queue itself (scripts' expectations), and the simulated printer (NULL unless sim). */
print_queue *printing_queue(printing *p);
sim_printer *printing_sim(printing *p);

/* The printed text of the simulated printer, GB18030 converted back to UTF-8 (malloc'd;
 * NULL when not sim or out of memory). */
char *printing_sim_text_utf8(printing *p);

/* A script's `device printer ...` / `device drawer ...` line (args: "printer paper-out"),
 * printing_script.c.  p may be NULL (no printer: every line is refused).  Returns true, or
 * false with the reason in err ("expect-kicks: wanted 1, the drawer was kicked 0 times").
 * Expectations wait (up to PRINTING_SCRIPT_WAIT_MS) for the queue to get there, so a script
 * never races the print thread. */
#define PRINTING_SCRIPT_WAIT_MS 5000
bool printing_script(printing *p, const char *args, char *err, size_t cap);

/* The words for why a job waits, in the user's language ("缺纸"). */
const char *printing_wait_text(print_wait w);

#endif
