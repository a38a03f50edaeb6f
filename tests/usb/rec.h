/* rec: what the threads under test told their callbacks, for tests/usb/test_usb_open.c -- the
 * device manager's states, weights and codes, the print queue's device states and jobs, each
 * with when it came -- and the small pieces those tests share: waiting for an event, the
 * hotplug pump's callback as the app's (nudge the manager, wake the queue), and a scale that
 * keeps reporting on a thread of its own as a real one does. */
#ifndef FUPIN_TESTS_USB_REC_H
#define FUPIN_TESTS_USB_REC_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "peripherals/devmgr.h"
#include "peripherals/printer/print_queue.h"
#include "peripherals/usb.h"
#include "peripherals/usb_open.h"
#include "tests/usb/emu.h"

int64_t ms_now(void);             /* CLOCK_MONOTONIC, the clock devmgr and print_queue use */
void sleep_ms(int ms);

typedef struct {
    char kind;                 /* 's' devmgr state, 'w' weight, 'c' code, 'p' printer, 'j' job */
    int64_t t;                 /* ms_now() when the callback ran */
    device_class cls;
    device_state state;
    device_err err;
    char name[DEVICE_NAME_CAP];
    int64_t grams;
    scale_stable_verdict verdict;
    char code[64];
    uint64_t job;
    print_job_state jstate;
    print_wait why;
    char reason[PRINT_REASON_CAP];
} rec_ev;

/* Callbacks: devmgr's (on_state with arg NULL records 's') and the print queue's (on_state
 * with a non-NULL arg records 'p'). */
void on_state(void *arg, device_class cls, device_state st, device_err err, const char *name);
void on_weight(void *arg, int64_t grams, scale_stable_verdict v);
void on_code(void *arg, const char *code, size_t len);
void on_job(void *arg, uint64_t id, print_job_state st, print_wait why, const char *reason);
void rec_reset(void);
size_t rec_count_kind(char kind);

typedef bool (*match_fn)(const rec_ev *e, const rec_ev *want);
/* The first event at index >= *from matching `want` within timeout_ms: copied to *got (may be
 * NULL), *from moves past it. */
bool wait_for(size_t *from, match_fn fn, rec_ev want, int timeout_ms, rec_ev *got);
bool any_since(size_t from, match_fn fn, rec_ev want);
bool is_state(const rec_ev *e, const rec_ev *w);     /* kind, cls, state, err unless OK */
bool is_weight(const rec_ev *e, const rec_ev *w);    /* verdict, grams unless < 0 */
bool is_code(const rec_ev *e, const rec_ev *w);      /* code unless "" */
bool is_job(const rec_ev *e, const rec_ev *w);       /* id, state, why unless NONE */

#define SCALE_STATE(st, e) ((rec_ev){.kind = 's', .cls = DEVICE_SCALE, .state = (st), .err = (e)})
#define SCANNER_STATE(st) ((rec_ev){.kind = 's', .cls = DEVICE_SCANNER, .state = (st)})
#define PRINTER_STATE(st, e) ((rec_ev){.kind = 'p', .cls = DEVICE_PRINTER, .state = (st), .err = (e)})
#define WEIGHT(v, g) ((rec_ev){.verdict = (v), .grams = (g)})
#define JOB(id, st, w) ((rec_ev){.job = (id), .jstate = (st), .why = (w)})

/* The hotplug pump's callback, as the app's: nudge the manager, wake the queue. */
typedef struct {
    devmgr *m;
    print_queue *q;
    int calls;                 /* __atomic */
} hot_ctx;
usb_pump *pump_start(usb_bus *b, hot_ctx *h);       /* fails the test when it cannot start */
usb_bus *bus_open(void);

/* A scale that keeps sending its report every 20 ms (a real one sends 5..50 a second). */
typedef struct {
    pthread_mutex_t mu;
    emu_dev *e;
    uint8_t rep[8];
    size_t len;
    bool paused, stop;
    pthread_t th;
} feeder;
void feed_start(feeder *f, emu_dev *e, const char *hex);
void feed_set(feeder *f, const char *hex, bool paused);   /* hex NULL: the same report */
void feed_stop(feeder *f);

#endif
