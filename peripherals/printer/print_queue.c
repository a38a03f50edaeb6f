/* print_queue: the printer's thread, its jobs and its reconnects.  See print_queue.h.
 *
 * One mutex guards the job list and the figures the screen reads; the thread never holds it
 * during I/O or a callback.  A job's bytes never change after submit and a job is only freed
 * once finished and out of the history, so the thread reads the bytes of the job it prints
 * without the lock: the job the thread picked is marked busy under the lock before it lets go,
 * and cancel refuses a busy job (it may be asking the printer's status, about to print). */
#include "peripherals/printer/print_queue.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "peripherals/printer/print_queue_internal.h"
#include "peripherals/printer/printer_rt.h"

#define CHUNK 1024                 /* bytes per write: each has its own timeout */
#define STATUS_POLL_MS 1000        /* a receipt waiting on paper/cover: ask again this often */
/* A drawer kick that could not go out within this long (cfg.kick_ttl_ms) is dropped (cancelled,
 * told): a cash drawer that springs open minutes later, when the printer is back, opens for
 * nobody. */
#define KICK_TTL_MS 10000
#define NOTE_BATCH 16


/* ---- time ---- */

/* ms from now; every interval here is >= 0 (the config's are clamped at start). */
static struct timespec mono_in(int ms)
{
    return device_mono_in(ms > 0 ? (uint64_t)ms : 0u);
}

static bool mono_passed(const struct timespec *t)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return now.tv_sec > t->tv_sec || (now.tv_sec == t->tv_sec && now.tv_nsec >= t->tv_nsec);
}

/* ---- jobs (under mu) ---- */

static bool pending(const pjob *j)
{
    return j->info.state == PRINT_QUEUED || j->info.state == PRINT_WAITING;
}

static bool finished(const pjob *j)
{
    return j->info.state == PRINT_DONE || j->info.state == PRINT_CANCELLED;
}

/* A drawer kick first, else the oldest receipt: kicks jump the queue, receipts keep order. */
static pjob *next_job(print_queue *q)
{
    for (size_t i = 0; i < q->n; i++)
        if (pending(q->jobs[i]) && q->jobs[i]->info.kind == PRINT_JOB_DRAWER_KICK)
            return q->jobs[i];
    for (size_t i = 0; i < q->n; i++)
        if (pending(q->jobs[i]))
            return q->jobs[i];
    return NULL;
}

static pjob *find(print_queue *q, uint64_t id)
{
    for (size_t i = 0; i < q->n; i++)
        if (q->jobs[i]->info.id == id)
            return q->jobs[i];
    return NULL;
}

/* Drop the oldest finished jobs beyond the history. */
static void trim(print_queue *q)
{
    size_t done = 0;
    for (size_t i = 0; i < q->n; i++)
        done += finished(q->jobs[i]);
    size_t w = 0;
    for (size_t i = 0; i < q->n; i++) {
        pjob *j = q->jobs[i];
        if (done > q->cfg.history && finished(j) && !j->busy) {
            free(j->bytes);
            free(j);
            done--;
            continue;
        }
        q->jobs[w++] = j;
    }
    q->n = w;
}

/* ---- notifications: made under mu, delivered after it ---- */

typedef struct {
    uint64_t id;
    print_job_state state;
    print_wait why;
    char reason[PRINT_REASON_CAP];
} note;

typedef struct {
    note n[NOTE_BATCH];
    size_t k;
} notes;

/* Set j's state; a change of state or cause is noted for the callback. */
static void set_job(pjob *j, print_job_state st, print_wait why, const char *reason, notes *out)
{
    bool changed = j->info.state != st || j->info.why != why;
    j->info.state = st;
    j->info.why = why;
    snprintf(j->info.reason, sizeof j->info.reason, "%s", reason ? reason : "");
    if (changed && out && out->k < NOTE_BATCH) {
        note *n = &out->n[out->k++];
        n->id = j->info.id;
        n->state = st;
        n->why = why;
        snprintf(n->reason, sizeof n->reason, "%s", j->info.reason);
    }
}

/* The caller added ns->k to q->undelivered under mu when it made them. */
static void deliver(print_queue *q, const notes *ns)
{
    for (size_t i = 0; q->cfg.on_job && i < ns->k; i++)
        q->cfg.on_job(q->cfg.cb_arg, ns->n[i].id, ns->n[i].state, ns->n[i].why,
                      ns->n[i].reason);
    pthread_mutex_lock(&q->mu);
    q->undelivered -= ns->k;
    pthread_mutex_unlock(&q->mu);
}

/* The device's state changed: note it for the screen and tell the callback (thread, no lock). */
static void device_to(print_queue *q, device_state st, device_err err)
{
    if (st != DEVICE_ERROR)
        err = DEVICE_OK;
    pthread_mutex_lock(&q->mu);
    bool changed = q->dev_state != st || q->dev_err != err;
    q->dev_state = st;
    q->dev_err = err;
    q->undelivered += changed;
    pthread_mutex_unlock(&q->mu);
    if (!changed)
        return;
    if (q->cfg.on_device)
        q->cfg.on_device(q->cfg.cb_arg, DEVICE_PRINTER, st, err, q->name);
    pthread_mutex_lock(&q->mu);
    q->undelivered--;
    pthread_mutex_unlock(&q->mu);
}

/* Every pending job of the kinds a condition holds up (all of them when the printer is
 * missing, receipts only otherwise) waits with why. */
static void hold_pending(print_queue *q, print_wait why, const char *reason, bool kicks_too)
{
    for (;;) {
        notes ns = {.k = 0};
        pthread_mutex_lock(&q->mu);
        q->cond = why;
        for (size_t i = 0; i < q->n && ns.k < NOTE_BATCH; i++) {
            pjob *j = q->jobs[i];
            /* The job being printed is held too: it failed part-way (run_job). */
            if ((!pending(j) && j->info.state != PRINT_PRINTING) ||
                (!kicks_too && j->info.kind == PRINT_JOB_DRAWER_KICK))
                continue;
            set_job(j, PRINT_WAITING, why, reason, &ns);
        }
        q->undelivered += ns.k;
        pthread_mutex_unlock(&q->mu);
        deliver(q, &ns);
        if (ns.k < NOTE_BATCH)
            return;
    }
}

/* ---- the device (queue thread only) ---- */

static void close_device(print_queue *q)
{
    if (!q->open)
        return;
    if (q->cfg.close)
        q->cfg.close(q->cfg.open_arg, q->ops, q->self);
    else if (q->ops->close)
        q->ops->close(q->self);
    q->open = false;
    q->ops = NULL;
    q->self = NULL;
}

/* A transport failure: close, reopen after the backoff (0.5 s doubling to 8 s). */
static void fail_device(print_queue *q, device_err e, print_wait why, const char *reason)
{
    close_device(q);
    q->next_open = mono_in(q->backoff_ms);
    q->backoff_ms = q->backoff_ms * 2 > q->cfg.backoff_max_ms ? q->cfg.backoff_max_ms
                                                              : q->backoff_ms * 2;
    device_to(q, DEVICE_ERROR, e);
    hold_pending(q, why, reason, true);
}

static print_wait wait_of(device_err e)
{
    switch (e) {
    case DEVICE_ERR_TIMEOUT:
        return PRINT_WAIT_TIMEOUT;
    case DEVICE_ERR_NOT_FOUND:
    case DEVICE_ERR_DISCONNECTED:
    case DEVICE_ERR_PERMISSION:
    case DEVICE_ERR_BUSY:
        return PRINT_WAIT_MISSING;
    default:
        return PRINT_WAIT_IO;
    }
}

static void fail_io(print_queue *q, device_err e, const char *doing)
{
    char reason[PRINT_REASON_CAP];
    print_wait w = wait_of(e);
    snprintf(reason, sizeof reason, "%s (%s: %s)", print_wait_name(w), doing, device_strerror(e));
    fail_device(q, e, w, reason);
}

static bool try_open(print_queue *q)
{
    const device_ops *ops = NULL;
    void *self = NULL;
    char name[DEVICE_NAME_CAP] = "", why[PRINT_REASON_CAP - 40] = "";
    device_err e = q->cfg.open(q->cfg.open_arg, &q->cfg.spec, &ops, &self, name, sizeof name,
                               why, sizeof why);
    if (e == DEVICE_OK && (!ops || !ops->write)) {
        if (ops && ops->close)
            ops->close(self);
        e = DEVICE_ERR_UNSUPPORTED;
        snprintf(why, sizeof why, "the transport cannot write");
    }
    if (e != DEVICE_OK) {
        char reason[PRINT_REASON_CAP];
        snprintf(reason, sizeof reason, "printer missing: %s%s%s", device_strerror(e),
                 why[0] ? ": " : "", why);
        q->open = false;
        fail_device(q, e, PRINT_WAIT_MISSING, reason);
        return false;
    }
    q->ops = ops;
    q->self = self;
    q->open = true;
    if (name[0])
        snprintf(q->name, sizeof q->name, "%s", name);
    q->backoff_ms = q->cfg.backoff_min_ms;
    q->next_probe = mono_in(q->cfg.probe_ms);
    pthread_mutex_lock(&q->mu);
    q->cond = PRINT_WAIT_NONE;
    pthread_mutex_unlock(&q->mu);
    device_to(q, DEVICE_ENABLED, DEVICE_OK);
    return true;
}

/* All of buf, in chunks, each within the write timeout. */
static device_err write_all(print_queue *q, const uint8_t *buf, size_t len)
{
    for (size_t off = 0; off < len; off += CHUNK) {
        /* Stopping: no more chunks (the job stays pending and is reported by stop), so a
         * slow printer holds the exit for at most one chunk's timeout. */
        pthread_mutex_lock(&q->mu);
        bool stop = q->stopping;
        pthread_mutex_unlock(&q->mu);
        if (stop && off > 0)
            return DEVICE_ERR_TIMEOUT;
        size_t k = len - off < CHUNK ? len - off : CHUNK;
        device_err e = q->ops->write(q->self, buf + off, k, q->cfg.write_timeout_ms);
        if (e != DEVICE_OK)
            return e;
    }
    return DEVICE_OK;
}

/* The printer's condition (printer_rt.h) as a reason to hold receipts.  *dev_err is set when
 * the transport failed (the caller fails the device). */
static print_wait check_status(print_queue *q, device_err *dev_err)
{
    printer_condition c;
    *dev_err = printer_rt_query(q->ops, q->self, q->cfg.write_timeout_ms,
                                q->cfg.status_timeout_ms, &c);
    if (*dev_err != DEVICE_OK)
        return PRINT_WAIT_IO;
    switch (c) {
    case PRINTER_OFFLINE: return PRINT_WAIT_OFFLINE;
    case PRINTER_COVER_OPEN: return PRINT_WAIT_COVER_OPEN;
    case PRINTER_PAPER_OUT: return PRINT_WAIT_PAPER_OUT;
    case PRINTER_PAPER_NEAR_END: return PRINT_WAIT_PAPER_NEAR_END;
    case PRINTER_READY:
    case PRINTER_NO_STATUS:
        break;
    }
    return PRINT_WAIT_NONE;
}

/* check_status with a transport that cannot read (UNSUPPORTED: a printer without a bulk IN
 * endpoint) as no status -- print blind, never a reason to hold receipts or reopen. */
static print_wait status_now(print_queue *q, device_err *dev_err)
{
    print_wait w = check_status(q, dev_err);
    if (*dev_err == DEVICE_ERR_UNSUPPORTED) {
        *dev_err = DEVICE_OK;
        w = PRINT_WAIT_NONE;
    }
    return w;
}

/* A condition from the printer's status: none or near-end is the queue's condition (true: go
 * on); any other holds the receipts until the next poll (false). */
static bool go_on(print_queue *q, print_wait w)
{
    if (w == PRINT_WAIT_NONE || w == PRINT_WAIT_PAPER_NEAR_END) {
        pthread_mutex_lock(&q->mu);
        q->cond = w;
        pthread_mutex_unlock(&q->mu);
        return true;
    }
    hold_pending(q, w, print_wait_name(w), false);
    q->next_retry = mono_in(STATUS_POLL_MS);
    return false;
}

/* Status for a receipt (or an idle probe): PRINT_WAIT_NONE / NEAR_END to go on; a printer
 * condition holds the receipts; a transport failure fails the device.  Returns true to go on. */
static bool status_ok(print_queue *q, print_wait *note_out)
{
    *note_out = PRINT_WAIT_NONE;
    if (!q->ops->read)
        return true;
    device_err e;
    print_wait w = status_now(q, &e);
    if (e != DEVICE_OK) {
        fail_io(q, e, "status");
        return false;
    }
    if (!go_on(q, w))
        return false;
    *note_out = w;
    return true;
}

static void run_job(print_queue *q, pjob *j)
{
    notes ns = {.k = 0};
    print_wait note_w = PRINT_WAIT_NONE;
    bool kick = j->info.kind == PRINT_JOB_DRAWER_KICK;
    /* A kick needs no paper and no closed cover: only a printer that takes bytes. */
    if (!kick && !status_ok(q, &note_w))
        return;
    pthread_mutex_lock(&q->mu);
    set_job(j, PRINT_PRINTING, note_w, print_wait_name(note_w), &ns);
    j->info.attempts++;
    q->undelivered += ns.k;
    pthread_mutex_unlock(&q->mu);
    deliver(q, &ns);
    ns.k = 0;

    device_err e = write_all(q, j->bytes, j->info.len);
    if (e != DEVICE_OK) {
        /* Part of the job may have gone out.  It is sent again whole when the printer is
         * back: a receipt printed twice (the cashier tears off the torn one) is better than
         * half a receipt handed to a shopper, and ESC @ at its head resets whatever state the
         * half left behind. */
        fail_io(q, e, "write");
        return;
    }
    device_err after_err = DEVICE_OK;
    if (!kick && q->ops->read) {
        /* Paper ran out or the cover opened while it printed: the receipt is incomplete and
         * waits to be printed again.  A transport failure here is not that: every byte was
         * taken, so the receipt is done (printing it again would hand out two) and only the
         * device is failed, below. */
        print_wait after = status_now(q, &after_err);
        if (after_err == DEVICE_OK && after != PRINT_WAIT_NONE) {
            if (!go_on(q, after))
                return;
            note_w = after;   /* near-end */
        }
    }
    pthread_mutex_lock(&q->mu);
    set_job(j, PRINT_DONE, note_w, print_wait_name(note_w), &ns);
    if (!kick)
        q->last_done = j->info.id;
    trim(q);
    q->undelivered += ns.k;
    pthread_mutex_unlock(&q->mu);
    deliver(q, &ns);
    q->next_probe = mono_in(q->cfg.probe_ms);
    if (after_err != DEVICE_OK)
        fail_io(q, after_err, "status after printing");
}

/* Idle with the device open: is it still there (a reconnect is due when it is not)? */
static void probe(print_queue *q)
{
    print_wait w;
    (void)status_ok(q, &w);
    q->next_probe = mono_in(q->cfg.probe_ms);
}

/* Under mu: cancel the drawer kicks past their time and tell (the lock is let go for the
 * callbacks).  True when any was. */
static bool expire_kicks(print_queue *q)
{
    notes ns = {.k = 0};
    for (size_t i = 0; i < q->n && ns.k < NOTE_BATCH; i++) {
        pjob *j = q->jobs[i];
        if (j->info.kind == PRINT_JOB_DRAWER_KICK && pending(j) && !j->busy &&
            mono_passed(&j->expires))
            set_job(j, PRINT_CANCELLED, j->info.why == PRINT_WAIT_NONE ? PRINT_WAIT_MISSING
                                                                       : j->info.why,
                    "drawer kick dropped: not sent in time", &ns);
    }
    if (ns.k == 0)
        return false;
    trim(q);
    q->undelivered += ns.k;
    pthread_mutex_unlock(&q->mu);
    deliver(q, &ns);
    pthread_mutex_lock(&q->mu);
    return true;
}

/* The earlier of *until and the first pending kick's expiry (so a waiting kick is dropped on
 * time even while the thread sleeps for a reopen or a retry). */
static struct timespec until_kick(const print_queue *q, struct timespec until)
{
    for (size_t i = 0; i < q->n; i++) {
        const pjob *j = q->jobs[i];
        if (j->info.kind == PRINT_JOB_DRAWER_KICK && pending(j) &&
            (j->expires.tv_sec < until.tv_sec ||
             (j->expires.tv_sec == until.tv_sec && j->expires.tv_nsec < until.tv_nsec)))
            until = j->expires;
    }
    return until;
}

static void timed_wait(print_queue *q, const struct timespec *until)
{
    struct timespec t = until_kick(q, *until);
    int rc = pthread_cond_timedwait(&q->cv, &q->mu, &t);
    (void)rc;   /* ETIMEDOUT or a signal: the loop looks again either way */
}

static void *run(void *arg)
{
    print_queue *q = arg;
    pthread_mutex_lock(&q->mu);
    while (!q->stopping) {
        if (expire_kicks(q))
            continue;   /* the lock was let go to tell about it: look again */
        pjob *j = next_job(q);
        if (!q->open) {
            if (!q->wake && !mono_passed(&q->next_open)) {
                timed_wait(q, &q->next_open);
                continue;
            }
            q->wake = false;
            pthread_mutex_unlock(&q->mu);
            (void)try_open(q);
            pthread_mutex_lock(&q->mu);
            continue;
        }
        if (!j) {
            if (!q->ops->read) {
                pthread_cond_wait(&q->cv, &q->mu);
                q->wake = false;
                continue;
            }
            if (!q->wake && !mono_passed(&q->next_probe)) {
                timed_wait(q, &q->next_probe);
                continue;
            }
            q->wake = false;
            pthread_mutex_unlock(&q->mu);
            probe(q);
            pthread_mutex_lock(&q->mu);
            continue;
        }
        if (j->info.state == PRINT_WAITING && j->info.kind != PRINT_JOB_DRAWER_KICK &&
            !q->wake && !mono_passed(&q->next_retry)) {
            timed_wait(q, &q->next_retry);
            continue;
        }
        q->wake = false;
        j->busy = true;
        pthread_mutex_unlock(&q->mu);
        run_job(q, j);
        pthread_mutex_lock(&q->mu);
        j->busy = false;
        trim(q);
    }
    pthread_mutex_unlock(&q->mu);
    close_device(q);
    device_to(q, DEVICE_CLOSED, DEVICE_OK);
    return NULL;
}

/* ---- the API ---- */

print_queue *print_queue_start(const print_queue_cfg *cfg, print_err *err)
{
    *err = PRINT_ERR_NO_MEMORY;
    print_queue *q = calloc(1, sizeof *q);
    if (!q)
        return NULL;
    q->cfg = *cfg;
    if (q->cfg.write_timeout_ms <= 0)
        q->cfg.write_timeout_ms = 2000;
    if (q->cfg.status_timeout_ms <= 0)
        q->cfg.status_timeout_ms = 300;
    if (q->cfg.backoff_min_ms <= 0)
        q->cfg.backoff_min_ms = 500;
    if (q->cfg.backoff_max_ms < q->cfg.backoff_min_ms)
        q->cfg.backoff_max_ms = q->cfg.backoff_min_ms > 8000 ? q->cfg.backoff_min_ms : 8000;
    if (q->cfg.probe_ms <= 0)
        q->cfg.probe_ms = 2000;
    if (q->cfg.history == 0)
        q->cfg.history = 32;
    if (q->cfg.kick_ttl_ms <= 0)
        q->cfg.kick_ttl_ms = KICK_TTL_MS;
    q->backoff_ms = q->cfg.backoff_min_ms;
    q->next_id = 1;
    q->dev_state = DEVICE_CLOSED;
    snprintf(q->name, sizeof q->name, "printer");
    q->next_open = q->next_probe = q->next_retry = mono_in(0);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    int e1 = pthread_mutex_init(&q->mu, NULL);
    int e2 = pthread_cond_init(&q->cv, &ca);
    pthread_condattr_destroy(&ca);
    if (e1 || e2) {
        if (!e1)
            pthread_mutex_destroy(&q->mu);
        if (!e2)
            pthread_cond_destroy(&q->cv);
        free(q);
        return NULL;
    }
    if (!q->cfg.open || pthread_create(&q->th, NULL, run, q) != 0) {
        pthread_cond_destroy(&q->cv);
        pthread_mutex_destroy(&q->mu);
        free(q);
        *err = PRINT_ERR_THREAD;
        return NULL;
    }
    q->started = true;
    *err = PRINT_OK;
    return q;
}

static print_err add(print_queue *q, print_job_kind kind, uint8_t *bytes, size_t len,
                     const char *ref, const char *uuid, uint64_t *id)
{
    pjob *j = calloc(1, sizeof *j);
    if (!j) {
        free(bytes);
        return PRINT_ERR_NO_MEMORY;
    }
    j->bytes = bytes;
    j->info.kind = kind;
    j->info.state = PRINT_QUEUED;
    j->info.len = len;
    j->expires = mono_in(q->cfg.kick_ttl_ms);
    snprintf(j->info.ref, sizeof j->info.ref, "%s", ref ? ref : "");
    snprintf(j->info.uuid, sizeof j->info.uuid, "%s", uuid ? uuid : "");
    /* under mu (the caller's) */
    size_t n_pending = 0;
    for (size_t i = 0; i < q->n; i++)
        n_pending += !finished(q->jobs[i]);
    print_err e = PRINT_OK;
    if (q->stopping)
        e = PRINT_ERR_STOPPING;
    else if (n_pending >= PRINT_QUEUE_MAX_PENDING)
        e = PRINT_ERR_FULL;
    else if (q->n == q->cap) {
        size_t ncap = q->cap ? q->cap * 2 : 16;
        pjob **nj = realloc(q->jobs, ncap * sizeof *nj);
        if (!nj)
            e = PRINT_ERR_NO_MEMORY;
        else {
            q->jobs = nj;
            q->cap = ncap;
        }
    }
    if (e != PRINT_OK) {
        free(j->bytes);
        free(j);
        return e;
    }
    j->info.id = q->next_id++;
    q->jobs[q->n++] = j;
    if (id)
        *id = j->info.id;
    /* A new job is a reason to try now, backoff or not. */
    q->wake = true;
    pthread_cond_broadcast(&q->cv);
    return PRINT_OK;
}

print_err print_queue_submit(print_queue *q, print_job_kind kind, const uint8_t *bytes,
                             size_t len, const char *ref, const char *uuid, uint64_t *id)
{
    if (!bytes || len == 0 || len > PRINT_JOB_MAX_BYTES)
        return PRINT_ERR_TOO_BIG;
    if (kind == PRINT_JOB_REPRINT)
        return PRINT_ERR_JOB_STATE;
    uint8_t *copy = malloc(len);
    if (!copy)
        return PRINT_ERR_NO_MEMORY;
    memcpy(copy, bytes, len);
    pthread_mutex_lock(&q->mu);
    print_err e = add(q, kind, copy, len, ref, uuid, id);
    pthread_mutex_unlock(&q->mu);
    return e;
}

print_err print_queue_reprint(print_queue *q, uint64_t of, uint64_t *id)
{
    return print_queue_reprint_as(q, of, NULL, 0, id);
}

print_err print_queue_reprint_as(print_queue *q, uint64_t of, const uint8_t *bytes, size_t len,
                                 uint64_t *id)
{
    if (bytes && (len == 0 || len > PRINT_JOB_MAX_BYTES))
        return PRINT_ERR_TOO_BIG;
    pthread_mutex_lock(&q->mu);
    pjob *j = find(q, of);
    print_err e = PRINT_OK;
    if (!j)
        e = PRINT_ERR_NO_SUCH_JOB;
    else if (j->info.state != PRINT_DONE || j->info.kind == PRINT_JOB_DRAWER_KICK)
        e = PRINT_ERR_JOB_STATE;
    size_t n = bytes ? len : e == PRINT_OK ? j->info.len : 0;
    uint8_t *copy = NULL;
    if (e == PRINT_OK && !(copy = malloc(n)))
        e = PRINT_ERR_NO_MEMORY;
    if (e == PRINT_OK) {
        memcpy(copy, bytes ? bytes : j->bytes, n);
        char ref[PRINT_REF_CAP], uuid[PRINT_UUID_CAP];
        snprintf(ref, sizeof ref, "%s", j->info.ref);
        snprintf(uuid, sizeof uuid, "%s", j->info.uuid);
        e = add(q, PRINT_JOB_REPRINT, copy, n, ref, uuid, id);
    }
    pthread_mutex_unlock(&q->mu);
    return e;
}

print_err print_queue_cancel(print_queue *q, uint64_t id)
{
    pthread_mutex_lock(&q->mu);
    pjob *j = find(q, id);
    print_err e = !j                       ? PRINT_ERR_NO_SUCH_JOB
                  : !pending(j) || j->busy ? PRINT_ERR_JOB_STATE
                                           : PRINT_OK;
    if (e == PRINT_OK) {
        set_job(j, PRINT_CANCELLED, PRINT_WAIT_NONE, "", NULL);
        trim(q);
    }
    pthread_mutex_unlock(&q->mu);
    return e;
}

void print_queue_wake(print_queue *q)
{
    pthread_mutex_lock(&q->mu);
    q->wake = true;
    pthread_cond_broadcast(&q->cv);
    pthread_mutex_unlock(&q->mu);
}

size_t print_queue_stop(print_queue *q, print_job_info *left, size_t cap)
{
    if (!q)
        return 0;
    pthread_mutex_lock(&q->mu);
    q->stopping = true;
    pthread_cond_broadcast(&q->cv);
    bool join = q->started && !q->joined;
    q->joined = true;
    pthread_mutex_unlock(&q->mu);
    if (join)
        pthread_join(q->th, NULL);
    size_t n = 0;
    pthread_mutex_lock(&q->mu);
    for (size_t i = 0; i < q->n; i++) {
        if (!pending(q->jobs[i]))
            continue;
        if (left && n < cap)
            left[n] = q->jobs[i]->info;
        n++;
    }
    pthread_mutex_unlock(&q->mu);
    return n;
}

void print_queue_destroy(print_queue *q)
{
    if (!q)
        return;
    (void)print_queue_stop(q, NULL, 0);
    for (size_t i = 0; i < q->n; i++) {
        free(q->jobs[i]->bytes);
        free(q->jobs[i]);
    }
    free(q->jobs);
    pthread_cond_destroy(&q->cv);
    pthread_mutex_destroy(&q->mu);
    free(q);
}
