/* rec: the callbacks' record and the shared pieces of the usb_open tests (tests/usb/rec.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "tests/periph/periph_test.h"
#include "tests/usb/rec.h"

#define MAX_EV 8192

int64_t ms_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void sleep_ms(int ms)
{
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* ---- what the callbacks saw, in order, with when (they run on the threads under test) */

static struct {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    rec_ev ev[MAX_EV];
    size_t n;
} R = {.mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER};

static void rec(rec_ev e)
{
    e.t = ms_now();
    pthread_mutex_lock(&R.mu);
    if (R.n < MAX_EV)
        R.ev[R.n++] = e;
    pthread_cond_broadcast(&R.cv);
    pthread_mutex_unlock(&R.mu);
}

void on_state(void *arg, device_class cls, device_state st, device_err err, const char *name)
{
    rec_ev e = {.kind = arg ? 'p' : 's', .cls = cls, .state = st, .err = err};
    snprintf(e.name, sizeof e.name, "%s", name ? name : "");
    rec(e);
}

void on_weight(void *arg, int64_t grams, scale_stable_verdict v)
{
    (void)arg;
    rec((rec_ev){.kind = 'w', .grams = grams, .verdict = v});
}

void on_code(void *arg, const char *code, size_t len)
{
    (void)arg;
    rec_ev e = {.kind = 'c'};
    snprintf(e.code, sizeof e.code, "%.*s", (int)len, code);
    rec(e);
}

void on_job(void *arg, uint64_t id, print_job_state st, print_wait why, const char *reason)
{
    (void)arg;
    rec_ev e = {.kind = 'j', .job = id, .jstate = st, .why = why};
    snprintf(e.reason, sizeof e.reason, "%s", reason);
    rec(e);
}

void rec_reset(void)
{
    pthread_mutex_lock(&R.mu);
    R.n = 0;
    pthread_mutex_unlock(&R.mu);
}

size_t rec_count_kind(char kind)
{
    size_t k = 0;
    pthread_mutex_lock(&R.mu);
    for (size_t i = 0; i < R.n; i++)
        k += R.ev[i].kind == kind;
    pthread_mutex_unlock(&R.mu);
    return k;
}

bool wait_for(size_t *from, match_fn fn, rec_ev want, int timeout_ms, rec_ev *got)
{
    int64_t end = ms_now() + timeout_ms;
    pthread_mutex_lock(&R.mu);
    for (;;) {
        for (size_t i = *from; i < R.n; i++) {
            if (fn(&R.ev[i], &want)) {
                if (got)
                    *got = R.ev[i];
                *from = i + 1;
                pthread_mutex_unlock(&R.mu);
                return true;
            }
        }
        if (ms_now() >= end)
            break;
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += 10 * 1000000L;
        if (ts.tv_nsec >= 1000000000L) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&R.cv, &R.mu, &ts);
    }
    pthread_mutex_unlock(&R.mu);
    return false;
}

bool any_since(size_t from, match_fn fn, rec_ev want)
{
    return wait_for(&from, fn, want, 0, NULL);
}

bool is_state(const rec_ev *e, const rec_ev *w)
{
    return e->kind == w->kind && e->cls == w->cls && e->state == w->state &&
           (w->err == DEVICE_OK || e->err == w->err);
}

bool is_weight(const rec_ev *e, const rec_ev *w)
{
    return e->kind == 'w' && e->verdict == w->verdict && (w->grams < 0 || e->grams == w->grams);
}

bool is_code(const rec_ev *e, const rec_ev *w)
{
    return e->kind == 'c' && (!w->code[0] || strcmp(e->code, w->code) == 0);
}

bool is_job(const rec_ev *e, const rec_ev *w)
{
    return e->kind == 'j' && e->job == w->job && e->jstate == w->jstate &&
           (w->why == PRINT_WAIT_NONE || e->why == w->why);
}

/* ---- the hotplug pump's callback: what the app's does (nudge the manager, wake the queue) */

static void changed(void *arg)
{
    hot_ctx *h = arg;
    __atomic_add_fetch(&h->calls, 1, __ATOMIC_SEQ_CST);
    if (h->m)
        devmgr_nudge(h->m);
    if (h->q)
        print_queue_wake(h->q);
}

usb_pump *pump_start(usb_bus *b, hot_ctx *h)
{
    char why[256] = "";
    usb_pump *p = usb_pump_start(b, changed, h, why, sizeof why);
    if (!p)
        fail_msg("usb_pump_start: %s", why);
    return p;
}

usb_bus *bus_open(void)
{
    char why[256] = "";
    usb_bus *b = usb_bus_open(why, sizeof why);
    if (!b)
        fail_msg("usb_bus_open: %s", why);
    return b;
}

/* ---- a scale that keeps reporting, as a real one does (~50 Hz here) */

static void *feed_main(void *arg)
{
    feeder *f = arg;
    for (;;) {
        pthread_mutex_lock(&f->mu);
        bool stop = f->stop, paused = f->paused;
        uint8_t rep[8];
        size_t len = f->len;
        memcpy(rep, f->rep, sizeof rep);
        pthread_mutex_unlock(&f->mu);
        if (stop)
            break;
        if (!paused && len)
            emu_push_in(f->e, rep, len);
        sleep_ms(20);
    }
    return NULL;
}

void feed_start(feeder *f, emu_dev *e, const char *hex)
{
    memset(f, 0, sizeof *f);
    pthread_mutex_init(&f->mu, NULL);
    f->e = e;
    f->len = periph_hex(hex, f->rep, sizeof f->rep);
    assert_int_equal(pthread_create(&f->th, NULL, feed_main, f), 0);
}

void feed_set(feeder *f, const char *hex, bool paused)
{
    pthread_mutex_lock(&f->mu);
    if (hex)
        f->len = periph_hex(hex, f->rep, sizeof f->rep);
    f->paused = paused;
    pthread_mutex_unlock(&f->mu);
}

void feed_stop(feeder *f)
{
    pthread_mutex_lock(&f->mu);
    f->stop = true;
    pthread_mutex_unlock(&f->mu);
    assert_int_equal(pthread_join(f->th, NULL), 0);
    pthread_mutex_destroy(&f->mu);
}
