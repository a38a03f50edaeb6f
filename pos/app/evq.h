/* evq: the app's event queue -- small events from any thread to the one consumer (the screen's
 * loop, or a headless command waiting for a worker).
 *
 * Producers (workers, later the device and sync threads) post small tagged events: a job id and
 * a few numbers or a short text, never whole documents (the job's owner keeps those).  The queue
 * is bounded: memory stays fixed whatever a device floods us with, and a full queue says so to
 * the producer (evq_post returns false and counts the drop) instead of growing.
 *
 * Waking follows redis bio.c / libusb hotplug: a post takes the mutex, appends, and only when the
 * queue goes from empty to non-empty does it wake the consumer -- through the registered waker
 * (the screen's waker pushes one SDL user event; pos/app never includes SDL) and the condition
 * variable evq_wait sleeps on (headless commands, tests).  A consumer that has not drained yet
 * is not woken again: one wake per batch.  evq_drain copies the pending events out under the
 * lock and the consumer handles them outside it, so a producer never waits on the consumer's
 * work. */
#ifndef FUPIN_APP_EVQ_H
#define FUPIN_APP_EVQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum {
    EVQ_NONE = 0,
    EVQ_SCALE_READING,   /* value = gross grams, flag = ready to price (held stable),
                          * status = scale_stable_verdict (pos/app/devices.h) */
    EVQ_SCAN,            /* text = the scanned code; flag = longer than the text holds:
                          * refused, value = its length (pos/app/devices.h) */
    EVQ_DEVICE_STATE,    /* value = device class, status = state, text = the device's name */
    EVQ_COMMIT_DONE,     /* job = the commit job's id, status = till_err, text = receipt no */
    EVQ_PRINT_DONE,      /* job = the print job's id, status = its result */
    EVQ_SYNC_STATE,      /* value = rows pending, status = ledger reachable (0) or not */
    EVQ_HOTPLUG,         /* a USB device arrived or left (the hotplug pump's thread) */
    EVQ_SCALE_COMMAND,   /* value = devmgr_scale_cmd (zero/tare), status = device_err,
                          * text = the manager's sentence, cut (pos/app/devices.h) */
    EVQ_TEST,            /* tests only */
} evq_kind;

#define EVQ_TEXT_CAP 64

typedef struct {
    evq_kind kind;
    uint64_t job;               /* the job id a result belongs to (0: not a job result) */
    int32_t status;             /* the result code of the kind (till_err for commits) */
    bool flag;
    int64_t value;
    char text[EVQ_TEXT_CAP];
} evq_event;

typedef struct evq evq;

/* Called by the producer that made the queue non-empty, outside the queue's lock, on the
 * producer's thread: it must be thread-safe and quick (SDL_PushEvent is both). */
typedef void (*evq_waker)(void *arg);

/* A queue of at most cap events (cap >= 1).  NULL when out of memory. */
evq *evq_create(size_t cap);
/* Frees the queue: no producer may post any more (stop the workers first). */
void evq_destroy(evq *q);
/* Register (or with fn NULL remove) the waker.  Set it before starting the producers. */
void evq_set_waker(evq *q, evq_waker fn, void *arg);

/* Append a copy of ev.  False when the queue is full: the event is dropped and counted
 * (evq_dropped); the producer decides whether that matters. */
bool evq_post(evq *q, const evq_event *ev);
/* Copy up to cap pending events, oldest first, into out and remove them; returns how many. */
size_t evq_drain(evq *q, evq_event *out, size_t cap);
/* Sleep until the queue is non-empty or timeout_ms passed (< 0: no limit); true when events
 * are pending.  Does not take them: evq_drain does. */
bool evq_wait(evq *q, int timeout_ms);

size_t evq_pending(evq *q);
/* Posts refused because the queue was full, since it was created (a producer that retries,
 * like a worker delivering a result, counts once per refused attempt). */
uint64_t evq_dropped(evq *q);

#endif
