/* worker: background work of one kind on a thread of its own (redis bio.c's shape).
 *
 * One worker per job kind (commit now; print and sync in their issues): a pthread, a FIFO of
 * jobs and its own store handle, opened on the worker's thread (SQLite handles are not shared
 * between threads, and a slow fsync of this kind must not hold up another kind).  Jobs run one
 * at a time in submission order.  When a job is done the worker posts its result event (the
 * job's id, a status, a short text) to the app's event queue; the job's data stays with the
 * submitter, who must not touch it between worker_submit and that event.
 *
 * Stopping drains: worker_stop runs every job already submitted before the thread ends, so
 * quitting the till never abandons a sale half-way. */
#ifndef FUPIN_APP_WORKER_H
#define FUPIN_APP_WORKER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/products.h"
#include "db/sales.h"
#include "db/search.h"
#include "db/settings.h"
#include "db/store.h"
#include "db/suppliers.h"
#include "pos/app/evq.h"

typedef struct worker worker;
typedef struct worker_job worker_job;

/* Runs on the worker's thread.  db is the worker's handle (NULL when it could not be opened:
 * open_msg says why).  Fill *done (kind, status, text; the worker sets job).  Return false when
 * the handle should be reopened before the next job (after an I/O error it may be wedged). */
typedef bool (*worker_run_fn)(worker_job *job, store *db, const char *open_msg, evq_event *done);

/* Embed this first in a job struct of the kind.  The worker sets id and uses next. */
struct worker_job {
    worker_run_fn run;
    uint64_t id;
    worker_job *next;
};

/* Start the worker named name (a thread name, for debuggers) on the database at db_path
 * (NULL: jobs get no store handle); results go to q.  NULL with err filled on failure. */
worker *worker_start(const char *name, const char *db_path, evq *q, char *err, size_t err_cap);
/* Queue job (the caller keeps ownership and must keep it alive until its result event).
 * Returns the job's id (> 0), or 0 when the worker is stopping. */
uint64_t worker_submit(worker *w, worker_job *job);
/* Jobs submitted and not yet finished. */
size_t worker_backlog(worker *w);
/* Run what is queued, then stop and join the thread and free w (NULL: nothing). */
void worker_stop(worker *w);

#endif
