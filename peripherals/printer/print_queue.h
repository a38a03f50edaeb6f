/* print_queue: the receipt printer's own thread, which owns the printer device and prints the
 * jobs handed to it, so that no printer -- missing, out of paper, cover open, stalled -- can
 * ever hold up the screen or touch a sale (issue #9 "Printer and drawer").
 *
 * A job is bytes (ESC/POS, already encoded) plus the sale it belongs to (receipt number,
 * UUID) and a kind: a receipt, a reprint, or a drawer kick.  Submitting copies the job in and
 * returns at once with its id; the sale is already durable when it is submitted.  The queue
 * thread then:
 *   - opens the printer through the caller's opener (print_open_fn: the seam where the app
 *     plugs the simulated, file or USB transport) and reopens it after a failure with a
 *     backoff of 0.5 s doubling to 8 s;
 *   - before each receipt, when the transport can read, asks the real-time status (DLE EOT
 *     1, 2 and 4: devices.md §4.2) and keeps the receipt WAITING, with the reason, while the
 *     printer is offline, its cover open or its paper out (paper near end prints, and says
 *     so);
 *   - writes with a timeout per chunk: a stalled printer makes the job WAITING ("write timed
 *     out") and the device is closed and reopened with the backoff;
 *   - sends a drawer kick ahead of any waiting receipt: the drawer still opens on a cash sale
 *     when only the paper is out.  If the printer itself is missing the kick waits too, and
 *     says so.
 * Receipts print in the order they were submitted; a receipt that waits holds the ones behind
 * it (a shop hands receipts out in order).  A job that failed part-way is sent again whole.
 *
 * The callbacks run on the queue's thread, outside the queue's lock: they must post and
 * return (the app posts evq events); they may call print_queue_snapshot.  Nothing here
 * includes pos/app. */
#ifndef FUPIN_PERIPHERALS_PRINTER_PRINT_QUEUE_H
#define FUPIN_PERIPHERALS_PRINTER_PRINT_QUEUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "peripherals/device.h"
#include "peripherals/devspec.h"

typedef enum {
    PRINT_OK = 0,
    PRINT_ERR_NO_MEMORY,
    PRINT_ERR_TOO_BIG,          /* a job over PRINT_JOB_MAX_BYTES, or an empty one */
    PRINT_ERR_FULL,             /* PRINT_QUEUE_MAX_PENDING jobs are already waiting */
    PRINT_ERR_STOPPING,         /* the queue is stopping: nothing new is taken */
    PRINT_ERR_NO_SUCH_JOB,      /* no job with that id (or it fell out of the history) */
    PRINT_ERR_JOB_STATE,        /* reprint of a job not done, cancel of one printing or done */
    PRINT_ERR_THREAD,           /* the thread could not be started */
} print_err;

const char *print_strerror(print_err e);

typedef enum {
    PRINT_JOB_RECEIPT = 0,
    PRINT_JOB_REPRINT,          /* a copy of a done job's bytes */
    PRINT_JOB_DRAWER_KICK,      /* ESC p: goes ahead of waiting receipts */
} print_job_kind;

typedef enum {
    PRINT_QUEUED = 0,
    PRINT_PRINTING,
    PRINT_WAITING,              /* see print_wait for why */
    PRINT_DONE,
    PRINT_CANCELLED,
} print_job_state;

/* Why a job waits (or, with PRINT_DONE / PRINTING, a note: paper near end). */
typedef enum {
    PRINT_WAIT_NONE = 0,
    PRINT_WAIT_MISSING,         /* the printer could not be opened, or was unplugged */
    PRINT_WAIT_OFFLINE,         /* DLE EOT 1 says offline, with no cause we know */
    PRINT_WAIT_COVER_OPEN,
    PRINT_WAIT_PAPER_OUT,
    PRINT_WAIT_TIMEOUT,         /* the printer stopped taking bytes */
    PRINT_WAIT_IO,              /* any other transport failure */
    PRINT_WAIT_PAPER_NEAR_END,  /* not a wait: printed, but the roll is nearly done */
} print_wait;

const char *print_job_kind_name(print_job_kind k);     /* "receipt", "reprint", "drawer-kick" */
const char *print_job_state_name(print_job_state s);   /* "queued", "printing", "waiting", ... */
const char *print_wait_name(print_wait w);             /* "", "printer missing", "paper out", ... */

#define PRINT_JOB_MAX_BYTES (1u << 20)
#define PRINT_QUEUE_MAX_PENDING 256
#define PRINT_REF_CAP 48               /* receipt number text (sale.h SALE_RECEIPT_NO_CAP) */
#define PRINT_UUID_CAP 37
#define PRINT_REASON_CAP 128

/* Open the printer described by spec: on DEVICE_OK fill *ops, *self (the transport's state)
 * and name (for people: "sim printer", "file /tmp/x.bin"); else fill why.  Called on the
 * queue's thread.  close_fn undoes it (ops->close and freeing self are the opener's). */
typedef device_err (*print_open_fn)(void *arg, const devspec *spec, const device_ops **ops,
                                    void **self, char *name, size_t name_cap, char *why,
                                    size_t why_cap);
typedef void (*print_close_fn)(void *arg, const device_ops *ops, void *self);

/* A job changed state.  reason: English, "" when none ("paper out", "printer missing: no such
 * device (…)", "paper near end" with PRINT_DONE).  Valid only during the call. */
typedef void (*print_job_cb)(void *arg, uint64_t job_id, print_job_state state, print_wait why,
                             const char *reason);

typedef struct {
    devspec spec;                       /* what to open (copied) */
    print_open_fn open;
    print_close_fn close;               /* may be NULL: ops->close is then called */
    void *open_arg;
    device_state_cb on_device;          /* may be NULL; cls is DEVICE_PRINTER */
    print_job_cb on_job;                /* may be NULL */
    void *cb_arg;
    /* 0 = the default in brackets. */
    int write_timeout_ms;               /* per chunk written [2000] */
    int status_timeout_ms;              /* for one DLE EOT reply [300] */
    int backoff_min_ms;                 /* first reopen delay [500] */
    int backoff_max_ms;                 /* the delay doubles up to this [8000] */
    int probe_ms;                       /* idle and open: status probe period, closed: the
                                         * backoff applies [2000] */
    size_t history;                     /* finished jobs kept for the snapshot/reprint [32] */
    int kick_ttl_ms;                    /* a drawer kick not sent within this is dropped
                                         * (cancelled, told): it would open for nobody [10000] */
} print_queue_cfg;

typedef struct print_queue print_queue;

/* Start the queue's thread; it tries to open the printer at once.  NULL with *err set. */
print_queue *print_queue_start(const print_queue_cfg *cfg, print_err *err);

/* Copy a job in.  kind RECEIPT or DRAWER_KICK (a REPRINT is print_queue_reprint's); ref and
 * uuid may be NULL.  *id (may be NULL) receives the job's id (> 0). */
print_err print_queue_submit(print_queue *q, print_job_kind kind, const uint8_t *bytes,
                             size_t len, const char *ref, const char *uuid, uint64_t *id);
/* A new job with the bytes of the done job `of`, marked REPRINT. */
print_err print_queue_reprint(print_queue *q, uint64_t of, uint64_t *id);
/* The same, with other bytes (the receipt rendered again, marked 重印); NULL bytes: the done
 * job's own.  The same refusals: `of` unknown, not DONE yet, or a drawer kick. */
print_err print_queue_reprint_as(print_queue *q, uint64_t of, const uint8_t *bytes, size_t len,
                                 uint64_t *id);
/* A job not yet printing or done is CANCELLED (PRINT_ERR_JOB_STATE otherwise). */
print_err print_queue_cancel(print_queue *q, uint64_t id);
/* Retry now: end the backoff (the cashier loaded paper, replugged the printer). */
void print_queue_wake(print_queue *q);

/* One job as the screen sees it. */
typedef struct {
    uint64_t id;
    print_job_kind kind;
    print_job_state state;
    print_wait why;
    char reason[PRINT_REASON_CAP];
    char ref[PRINT_REF_CAP];
    char uuid[PRINT_UUID_CAP];
    size_t len;
    unsigned attempts;                  /* times its bytes were (partly) sent */
} print_job_info;

/* The last (up to) cap jobs, oldest first: every unfinished job and the most recent finished
 * ones.  Returns how many were written. */
size_t print_queue_snapshot(print_queue *q, print_job_info *out, size_t cap);

typedef struct {
    size_t queued, printing, waiting, done, cancelled;   /* over the jobs the queue holds */
    size_t waiting_receipts;            /* of waiting: receipts and reprints (not kicks) */
    print_wait first_wait;              /* why the oldest waiting job waits (NONE: none) */
    device_state device;                /* the printer device's state now */
    print_wait condition;               /* the printer's last known condition (status or
                                         * failure); PRINT_WAIT_NONE when fine */
    uint64_t last_done;                 /* the last receipt/reprint printed, 0 none */
    size_t undelivered;                 /* state changes whose callback is not made yet: 0
                                         * means every change so far has been told */
} print_queue_counts;
/* One job by id, if the queue still holds it (pending, or finished within the history). */
bool print_queue_job(print_queue *q, uint64_t id, print_job_info *out);
void print_queue_counts_get(print_queue *q, print_queue_counts *out);

/* Stop: the job being printed is finished (bounded by the write timeout), nothing else is
 * started, the device is closed and the thread joined.  Jobs not printed (queued or waiting)
 * are written to left (up to cap, oldest first) and counted in the return value, so the app
 * can say "N receipts not printed" -- they are never dropped silently.  Idempotent. */
size_t print_queue_stop(print_queue *q, print_job_info *left, size_t cap);
/* Stops (when not stopped) and frees.  NULL is fine. */
void print_queue_destroy(print_queue *q);

#endif
