/* commit_worker: writes sales on a thread of its own, so the cashier's screen never waits on
 * fsync (synchronous=FULL on an SD card can take a second) or on a lock.
 *
 * The worker owns its own store handle (store handles are not shared between threads); the UI
 * thread prepares the document with till_prepare_sale() and hands over a copy of it and of the
 * basket.  When the write is done the worker pushes an SDL user event; the UI takes the result
 * with commit_worker_take().  One job at a time: the UI refuses basket changes while a job is in
 * flight, so there is never a second one to queue. */
#ifndef FUPIN_UI_COMMIT_WORKER_H
#define FUPIN_UI_COMMIT_WORKER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pos/app/till.h"

typedef struct commit_worker commit_worker;

typedef struct {
    till_err err;
    char msg[256];            /* the store's words on failure */
    sale_doc doc;             /* as committed (receipt_no, business_day filled) */
} commit_result;

/* Start the thread.  event_type is an SDL user event type registered by the caller. */
commit_worker *commit_worker_start(const char *db_path, uint32_t event_type, char *err,
                                   size_t err_cap);
/* Hand over a job (copied).  False when one is still in flight. */
bool commit_worker_submit(commit_worker *w, const sale_doc *doc, const basket *cart);
/* Take the finished job's result; false if none is ready. */
bool commit_worker_take(commit_worker *w, commit_result *out);
/* Finish a job in flight (never abandon a sale half-way), then stop and join. */
void commit_worker_stop(commit_worker *w);

#endif
