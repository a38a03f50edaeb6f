/* test_devmgr: the device manager's thread with the simulated scale and scanner (real codecs,
 * real condition variables, real threads) and a serial scale over a real pty: readings, codes,
 * post-on-change, unplug and replug, garbage that never stops the loop, backoff, a spec with no
 * opener, a prompt stop.  Each test has an alarm guard. */
#define _XOPEN_SOURCE 700   /* posix_openpt, grantpt, unlockpt, ptsname are XSI */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "peripherals/devmgr.h"
#include "peripherals/devmgr_open.h"
#include "tests/periph/periph_test.h"

#define GUARD_S 20
#define MAX_EV 4096

static int64_t ms_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* What the callbacks saw, in order (they run on the manager's thread). */
typedef struct {
    char kind;                 /* 's' state, 'w' weight, 'c' code */
    device_class cls;
    device_state state;
    device_err err;
    int64_t grams;
    scale_stable_verdict verdict;
    char code[160];
} rec_ev;

typedef struct {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    rec_ev ev[MAX_EV];
    size_t n;
} recorder;

static recorder R;

static void rec_push(const rec_ev *e)
{
    pthread_mutex_lock(&R.mu);
    if (R.n < MAX_EV)
        R.ev[R.n++] = *e;
    pthread_cond_broadcast(&R.cv);
    pthread_mutex_unlock(&R.mu);
}

static void on_state(void *arg, device_class cls, device_state state, device_err err,
                     const char *name)
{
    (void)arg;
    (void)name;
    rec_push(&(rec_ev){.kind = 's', .cls = cls, .state = state, .err = err});
}

static void on_weight(void *arg, int64_t grams, scale_stable_verdict v)
{
    (void)arg;
    rec_push(&(rec_ev){.kind = 'w', .grams = grams, .verdict = v});
}

static void on_code(void *arg, const char *code, size_t len)
{
    (void)arg;
    rec_ev e = {.kind = 'c'};
    snprintf(e.code, sizeof e.code, "%.*s", (int)len, code);
    rec_push(&e);
}

static void rec_reset(void)
{
    pthread_mutex_lock(&R.mu);
    R.n = 0;
    pthread_mutex_unlock(&R.mu);
}

typedef bool (*match_fn)(const rec_ev *e, const void *want);

/* Wait until an event at index >= *from matches; its index + 1 goes back to *from. */
static bool wait_for(size_t *from, match_fn fn, const void *want, int timeout_ms)
{
    int64_t end = ms_now() + timeout_ms;
    pthread_mutex_lock(&R.mu);
    for (;;) {
        for (size_t i = *from; i < R.n; i++) {
            if (fn(&R.ev[i], want)) {
                *from = i + 1;
                pthread_mutex_unlock(&R.mu);
                return true;
            }
        }
        if (ms_now() >= end)
            break;
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += 20 * 1000000L;
        if (ts.tv_nsec >= 1000000000L) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&R.cv, &R.mu, &ts);
    }
    pthread_mutex_unlock(&R.mu);
    return false;
}

static bool is_state(const rec_ev *e, const void *want)
{
    const rec_ev *w = want;
    return e->kind == 's' && e->cls == w->cls && e->state == w->state &&
           (w->err == DEVICE_OK || e->err == w->err);
}

static bool is_weight(const rec_ev *e, const void *want)
{
    const rec_ev *w = want;
    return e->kind == 'w' && e->verdict == w->verdict && (w->grams < 0 || e->grams == w->grams);
}

static bool is_code(const rec_ev *e, const void *want)
{
    return e->kind == 'c' && strcmp(e->code, want) == 0;
}

static bool want_state(size_t *from, device_class cls, device_state st, device_err err, int ms)
{
    rec_ev w = {.cls = cls, .state = st, .err = err};
    return wait_for(from, is_state, &w, ms);
}

static bool want_weight(size_t *from, scale_stable_verdict v, int64_t grams, int ms)
{
    rec_ev w = {.verdict = v, .grams = grams};
    return wait_for(from, is_weight, &w, ms);
}

static devmgr_config base_config(const devmgr_opener *ops, size_t n)
{
    devmgr_config cfg;
    devmgr_config_init(&cfg);
    cfg.openers = ops;
    cfg.n_openers = n;
    cfg.on_state = on_state;
    cfg.on_weight = on_weight;
    cfg.on_code = on_code;
    cfg.stable.hold_ms = 200;
    return cfg;
}

static int setup(void **state)
{
    (void)state;
    rec_reset();
    alarm(GUARD_S);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    alarm(0);
    return 0;
}

/* Scale: empty at start, goods placed (motion, settling, ready), motion, under zero, over
 * capacity, fault; each a change posted once, never priced but READY. */
static void test_sim_scale_verdicts(void **state)
{
    (void)state;
    sim_scale *sim = sim_scale_create();
    sim_scale_set_motion_ms(sim, 250);
    devmgr_opener ops[] = {devmgr_open_sim_scale(sim, DEVSPEC_SIM)};
    devmgr_config cfg = base_config(ops, 1);
    assert_true(devspec_parse(DEVICE_SCALE, "sim", &cfg.spec[DEVICE_SCALE], NULL, 0));
    devmgr *m = devmgr_start(&cfg, NULL, 0);
    assert_non_null(m);
    size_t at = 0;
    assert_true(want_state(&at, DEVICE_SCALE, DEVICE_ENABLED, DEVICE_OK, 2000));
    assert_true(want_weight(&at, SCALE_STABLE_EMPTY, 0, 2000));

    size_t before_weigh = at;
    sim_scale_set_weight(sim, 1234);
    assert_true(want_weight(&at, SCALE_STABLE_MOTION, -1, 2000));
    assert_true(want_weight(&at, SCALE_STABLE_SETTLING, 1234, 2000));
    assert_true(want_weight(&at, SCALE_STABLE_READY, 1234, 2000));
    /* READY came at least hold_ms after the motion ended, and once. */
    usleep(400 * 1000);
    size_t again = at;
    assert_false(want_weight(&again, SCALE_STABLE_READY, 1234, 10));
    /* No READY before the motion: the first verdict after the weight was placed is MOTION. */
    pthread_mutex_lock(&R.mu);
    assert_int_equal(R.ev[before_weigh].kind, 'w');
    assert_int_equal(R.ev[before_weigh].verdict, SCALE_STABLE_MOTION);
    pthread_mutex_unlock(&R.mu);

    sim_scale_set_mode(sim, SIM_SCALE_MOTION, -1);
    assert_true(want_weight(&at, SCALE_STABLE_MOTION, -1, 2000));
    sim_scale_set_mode(sim, SIM_SCALE_UNDER_ZERO, 40);
    assert_true(want_weight(&at, SCALE_STABLE_UNDER_ZERO, -40, 2000));
    sim_scale_set_mode(sim, SIM_SCALE_OVER_CAPACITY, -1);
    assert_true(want_weight(&at, SCALE_STABLE_OVER_CAPACITY, 0, 2000));
    sim_scale_set_mode(sim, SIM_SCALE_FAULT, -1);
    assert_true(want_weight(&at, SCALE_STABLE_FAULT, 0, 2000));
    /* A heavy load in kg with 10 g steps. */
    sim_scale_set_weight(sim, 123450);
    assert_true(want_weight(&at, SCALE_STABLE_READY, 123450, 3000));

    devmgr_status st;
    devmgr_get_status(m, DEVICE_SCALE, &st);
    assert_int_equal(st.state, DEVICE_ENABLED);
    assert_string_equal(st.name, "sim scale");
    assert_int_equal(st.codec, DEVMGR_CODEC_HIDSCALE);
    assert_true(st.readings >= 10);
    assert_int_equal(st.garbage, 0);
    devmgr_stop(m);
    sim_scale_destroy(sim);
}

/* Scanner: codes with shift and punctuation, back to back; raw garbage between them is
 * counted and the next code is clean. */
static void test_sim_scanner_codes_and_garbage(void **state)
{
    (void)state;
    sim_scanner *sim = sim_scanner_create();
    devmgr_opener ops[] = {devmgr_open_sim_scanner(sim, DEVSPEC_SIM)};
    devmgr_config cfg = base_config(ops, 1);
    assert_true(devspec_parse(DEVICE_SCANNER, "sim", &cfg.spec[DEVICE_SCANNER], NULL, 0));
    devmgr *m = devmgr_start(&cfg, NULL, 0);
    assert_non_null(m);
    size_t at = 0;
    assert_true(want_state(&at, DEVICE_SCANNER, DEVICE_ENABLED, DEVICE_OK, 2000));
    assert_true(sim_scanner_scan(sim, "6901234567892"));
    assert_true(sim_scanner_scan(sim, "6901234567892"));   /* the same code twice */
    assert_true(sim_scanner_scan(sim, "ABC-12/x"));
    assert_true(wait_for(&at, is_code, "6901234567892", 2000));
    assert_true(wait_for(&at, is_code, "6901234567892", 2000));
    assert_true(wait_for(&at, is_code, "ABC-12/x", 2000));
    /* Garbage: a short report, a key, a rollover report, Enter (the spoilt code is dropped at
     * its terminator), then a clean code. */
    uint8_t junk[40];
    size_t n = periph_hex("00 00 00  00 00 00 00 00", junk, sizeof junk);
    assert_true(sim_scanner_raw(sim, junk, 3));
    n = periph_hex("00 00 1E 00 00 00 00 00  01 01 01 01 01 01 01 01  00 00 28 00 00 00 00 00"
                   " 00 00 00 00 00 00 00 00", junk, sizeof junk);
    assert_true(sim_scanner_raw(sim, junk, n));
    assert_true(sim_scanner_scan(sim, "42"));
    assert_true(wait_for(&at, is_code, "42", 2000));
    devmgr_status st;
    devmgr_get_status(m, DEVICE_SCANNER, &st);
    assert_int_equal(st.garbage, 3);   /* the short report, the rollover one, the dropped code */
    assert_int_equal(st.codes, 4);
    assert_false(sim_scanner_scan(sim, "caf\xc3\xa9"));   /* no key types é */
    /* "12" without its Enter, then silence: dropped, so the next scan is "34", not "1234" */
    n = periph_hex("00 00 1E 00 00 00 00 00  00 00 00 00 00 00 00 00"
                   "00 00 1F 00 00 00 00 00  00 00 00 00 00 00 00 00", junk, sizeof junk);
    assert_true(sim_scanner_raw(sim, junk, n));
    usleep(600 * 1000);
    assert_true(sim_scanner_scan(sim, "34"));
    assert_true(wait_for(&at, is_code, "34", 2000));
    devmgr_get_status(m, DEVICE_SCANNER, &st);
    assert_int_equal(st.garbage, 4);
    assert_int_equal(st.codes, 5);
    devmgr_stop(m);
    sim_scanner_destroy(sim);
}

/* A HID POS scanner (the sim made with sim_scanner_create_hidpos): one-report codes, a code
 * continued over two reports, a refused report (wrong ID) counted, the next code clean. */
static void test_sim_hidpos_scanner(void **state)
{
    (void)state;
    sim_scanner *sim = sim_scanner_create_hidpos();
    devmgr_opener ops[] = {devmgr_open_sim_scanner(sim, DEVSPEC_SIM)};
    devmgr_config cfg = base_config(ops, 1);
    assert_true(devspec_parse(DEVICE_SCANNER, "sim", &cfg.spec[DEVICE_SCANNER], NULL, 0));
    devmgr *m = devmgr_start(&cfg, NULL, 0);
    assert_non_null(m);
    size_t at = 0;
    assert_true(want_state(&at, DEVICE_SCANNER, DEVICE_ENABLED, DEVICE_OK, 2000));
    char longcode[101];
    for (int i = 0; i < 100; i++)
        longcode[i] = (char)('A' + i % 26);
    longcode[100] = '\0';
    assert_true(sim_scanner_scan(sim, "6957842208856"));
    assert_true(sim_scanner_scan(sim, longcode));
    uint8_t junk[64] = {0x05, 0x03, ']', 'E', '0', '1', '2', '3'};
    assert_true(sim_scanner_raw(sim, junk, sizeof junk));
    assert_true(sim_scanner_scan(sim, "x-1/2"));
    assert_true(wait_for(&at, is_code, "6957842208856", 2000));
    assert_true(wait_for(&at, is_code, longcode, 2000));
    assert_true(wait_for(&at, is_code, "x-1/2", 2000));
    devmgr_status st;
    devmgr_get_status(m, DEVICE_SCANNER, &st);
    assert_int_equal(st.codec, DEVMGR_CODEC_HIDPOS_SCANNER);
    assert_string_equal(st.name, "sim scanner (HID POS)");
    assert_int_equal(st.codes, 3);
    assert_int_equal(st.garbage, 1);
    assert_int_equal(st.reports, 5);
    devmgr_stop(m);
    sim_scanner_destroy(sim);
}

/* Unplug mid-stream: ERROR/DISCONNECTED; open refused (NOT_FOUND) while out; plugged back and
 * nudged: ENABLED again at once (no backoff wait) and codes flow. */
static void test_unplug_replug(void **state)
{
    (void)state;
    sim_scanner *scan = sim_scanner_create();
    sim_scale *scale = sim_scale_create();
    sim_scale_set_motion_ms(scale, 0);
    devmgr_opener ops[] = {devmgr_open_sim_scanner(scan, DEVSPEC_SIM),
                           devmgr_open_sim_scale(scale, DEVSPEC_SIM)};
    devmgr_config cfg = base_config(ops, 2);
    assert_true(devspec_parse(DEVICE_SCANNER, "sim", &cfg.spec[DEVICE_SCANNER], NULL, 0));
    assert_true(devspec_parse(DEVICE_SCALE, "sim", &cfg.spec[DEVICE_SCALE], NULL, 0));
    devmgr *m = devmgr_start(&cfg, NULL, 0);
    assert_non_null(m);
    size_t at = 0, sat = 0;
    assert_true(want_state(&at, DEVICE_SCANNER, DEVICE_ENABLED, DEVICE_OK, 2000));
    assert_true(want_state(&sat, DEVICE_SCALE, DEVICE_ENABLED, DEVICE_OK, 2000));
    sim_scanner_unplug(scan);
    assert_true(want_state(&at, DEVICE_SCANNER, DEVICE_ERROR, DEVICE_ERR_DISCONNECTED, 2000));
    sim_scale_unplug(scale);
    assert_true(want_state(&sat, DEVICE_SCALE, DEVICE_ERROR, DEVICE_ERR_DISCONNECTED, 2000));
    /* Retries at +0.5 s and +1.5 s fail (NOT_FOUND now); the next is due at +3.5 s. */
    usleep(1700 * 1000);
    devmgr_status st;
    devmgr_get_status(m, DEVICE_SCANNER, &st);
    assert_int_equal(st.state, DEVICE_ERROR);
    assert_int_equal(st.err, DEVICE_ERR_NOT_FOUND);
    assert_true(st.open_failures >= 2);
    assert_non_null(strstr(st.why, "unplugged"));
    sim_scanner_plug(scan);
    sim_scale_plug(scale);
    int64_t t0 = ms_now();
    devmgr_nudge(m);
    assert_true(want_state(&at, DEVICE_SCANNER, DEVICE_ENABLED, DEVICE_OK, 2000));
    assert_true(want_state(&sat, DEVICE_SCALE, DEVICE_ENABLED, DEVICE_OK, 2000));
    assert_true(ms_now() - t0 < 700);   /* the backoff (1.8 s left) was skipped */
    assert_true(sim_scanner_scan(scan, "6901234567892"));
    assert_true(wait_for(&at, is_code, "6901234567892", 2000));
    sim_scale_set_weight(scale, 500);
    assert_true(want_weight(&sat, SCALE_STABLE_READY, 500, 2000));
    devmgr_get_status(m, DEVICE_SCANNER, &st);
    assert_int_equal(st.opens, 2);
    devmgr_stop(m);
    sim_scanner_destroy(scan);
    sim_scale_destroy(scale);
}

/* An opener that always fails, counting its calls: the retries back off (0.5, 1, 2 s ...). */
static int failing_calls;
static device_err failing_open(void *arg, const devspec *spec, devmgr_link *out, char *why,
                               size_t cap)
{
    (void)arg;
    (void)spec;
    (void)out;
    __atomic_add_fetch(&failing_calls, 1, __ATOMIC_SEQ_CST);
    device_why(why, cap, "no such node");
    return DEVICE_ERR_PERMISSION;
}

static void test_backoff_and_missing_openers(void **state)
{
    (void)state;
    devmgr_opener ops[] = {{.cls = DEVICE_SCALE, .kind = DEVSPEC_SERIAL, .open = failing_open,
                            .hint = "60-fupin-pos.rules"}};
    devmgr_config cfg = base_config(ops, 1);
    assert_true(devspec_parse(DEVICE_SCALE, "serial:/dev/ttyNOPE", &cfg.spec[DEVICE_SCALE], NULL, 0));
    /* usb without an opener in this table: unsupported, said so. */
    assert_true(devspec_parse(DEVICE_SCANNER, "usb:0c2e:0b61", &cfg.spec[DEVICE_SCANNER], NULL, 0));
    __atomic_store_n(&failing_calls, 0, __ATOMIC_SEQ_CST);
    devmgr *m = devmgr_start(&cfg, NULL, 0);
    assert_non_null(m);
    size_t at = 0;
    assert_true(want_state(&at, DEVICE_SCALE, DEVICE_ERROR, DEVICE_ERR_PERMISSION, 2000));
    usleep(2000 * 1000);
    /* t = 0, 0.5, 1.5 (then 3.5): three attempts in two seconds, not twenty. */
    int calls = __atomic_load_n(&failing_calls, __ATOMIC_SEQ_CST);
    assert_true(calls >= 2 && calls <= 4);
    devmgr_status st;
    devmgr_get_status(m, DEVICE_SCALE, &st);
    assert_int_equal(st.err, DEVICE_ERR_PERMISSION);
    assert_string_equal(st.hint, "60-fupin-pos.rules");
    char text[256];
    device_error_text(st.err, st.hint, text, sizeof text);
    assert_non_null(strstr(text, "60-fupin-pos.rules"));
    devmgr_get_status(m, DEVICE_SCANNER, &st);
    assert_int_equal(st.state, DEVICE_ERROR);
    assert_int_equal(st.err, DEVICE_ERR_UNSUPPORTED);
    assert_non_null(strstr(st.why, "no usb opener"));
    /* A nudge retries at once. */
    int before = __atomic_load_n(&failing_calls, __ATOMIC_SEQ_CST);
    devmgr_nudge(m);
    usleep(200 * 1000);
    assert_true(__atomic_load_n(&failing_calls, __ATOMIC_SEQ_CST) > before);
    devmgr_stop(m);

    /* auto with no auto opener: closed, quietly (no state change posted, no failure). */
    rec_reset();
    devmgr_config c2 = base_config(NULL, 0);
    assert_true(devspec_parse(DEVICE_SCALE, "auto", &c2.spec[DEVICE_SCALE], NULL, 0));
    m = devmgr_start(&c2, NULL, 0);
    assert_non_null(m);
    usleep(200 * 1000);
    devmgr_get_status(m, DEVICE_SCALE, &st);
    assert_true(st.managed);
    assert_int_equal(st.state, DEVICE_CLOSED);
    assert_int_equal(st.open_failures, 0);
    devmgr_stop(m);
    pthread_mutex_lock(&R.mu);
    assert_int_equal(R.n, 0);
    pthread_mutex_unlock(&R.mu);
}

/* An AUTO row that never finds anything: a USB detection row on a till without the device. */
static device_err nothing_found(void *arg, const devspec *spec, devmgr_link *out, char *why,
                                size_t cap)
{
    (void)arg;
    (void)spec;
    (void)out;
    __atomic_add_fetch(&failing_calls, 1, __ATOMIC_SEQ_CST);
    device_why(why, cap, "no USB scanner found");
    return DEVICE_ERR_NOT_FOUND;
}

static bool any_closed_state(void)
{
    pthread_mutex_lock(&R.mu);
    bool any = false;
    for (size_t i = 0; i < R.n; i++)
        any = any || (R.ev[i].kind == 's' && R.ev[i].state == DEVICE_CLOSED);
    pthread_mutex_unlock(&R.mu);
    return any;
}

/* Detection that finds nothing is no error: the class stays closed, quietly (the scanner is
 * then the keyboard wedge), and is looked for again with the backoff and on a nudge; found, it
 * is enabled; gone after being there, it is in ERROR and stays there while nothing is found.
 * A row with a real failure (permission) among the AUTO rows is an error as before. */
static void test_auto_nothing_found(void **state)
{
    (void)state;
    sim_scanner *scan = sim_scanner_create();
    sim_scanner_unplug(scan);
    devmgr_opener ops[] = {{.cls = DEVICE_SCANNER, .kind = DEVSPEC_AUTO, .open = nothing_found},
                           devmgr_open_sim_scanner(scan, DEVSPEC_AUTO)};
    devmgr_config cfg = base_config(ops, 2);
    assert_true(devspec_parse(DEVICE_SCANNER, "auto", &cfg.spec[DEVICE_SCANNER], NULL, 0));
    __atomic_store_n(&failing_calls, 0, __ATOMIC_SEQ_CST);
    devmgr *m = devmgr_start(&cfg, NULL, 0);
    assert_non_null(m);
    usleep(1200 * 1000);
    devmgr_status st;
    devmgr_get_status(m, DEVICE_SCANNER, &st);
    assert_int_equal(st.state, DEVICE_CLOSED);
    assert_int_equal(st.err, DEVICE_ERR_NOT_FOUND);
    assert_non_null(strstr(st.why, "unplugged"));       /* the last row's sentence */
    /* t = 0 and 0.5 s (then 1.5): looked for again, with the backoff */
    assert_true(st.open_failures >= 2 && st.open_failures <= 3);
    assert_int_equal(__atomic_load_n(&failing_calls, __ATOMIC_SEQ_CST), (int)st.open_failures);
    pthread_mutex_lock(&R.mu);
    assert_int_equal(R.n, 0);                           /* nothing posted */
    pthread_mutex_unlock(&R.mu);
    sim_scanner_plug(scan);
    devmgr_nudge(m);                                    /* as the hotplug pump does */
    size_t at = 0;
    assert_true(want_state(&at, DEVICE_SCANNER, DEVICE_ENABLED, DEVICE_OK, 1000));
    sim_scanner_unplug(scan);
    assert_true(want_state(&at, DEVICE_SCANNER, DEVICE_ERROR, DEVICE_ERR_DISCONNECTED, 2000));
    usleep(1200 * 1000);                                /* retries find nothing ... */
    devmgr_get_status(m, DEVICE_SCANNER, &st);
    assert_int_equal(st.state, DEVICE_ERROR);           /* ... and it stays an error */
    assert_int_equal(st.err, DEVICE_ERR_NOT_FOUND);
    assert_false(any_closed_state());
    devmgr_stop(m);
    sim_scanner_destroy(scan);

    rec_reset();
    devmgr_opener ops2[] = {{.cls = DEVICE_SCANNER, .kind = DEVSPEC_AUTO, .open = nothing_found},
                            {.cls = DEVICE_SCANNER, .kind = DEVSPEC_AUTO, .open = failing_open}};
    devmgr_config c2 = base_config(ops2, 2);
    assert_true(devspec_parse(DEVICE_SCANNER, "auto", &c2.spec[DEVICE_SCANNER], NULL, 0));
    m = devmgr_start(&c2, NULL, 0);
    assert_non_null(m);
    at = 0;
    assert_true(want_state(&at, DEVICE_SCANNER, DEVICE_ERROR, DEVICE_ERR_PERMISSION, 2000));
    devmgr_stop(m);
}

/* A serial XK3190 scale on a real pty: frames with garbage between them, a bad checksum
 * (counted), READY after the hold time; the master closed = unplugged. */
static void test_serial_scale_over_pty(void **state)
{
    (void)state;
    int master = posix_openpt(O_RDWR | O_NOCTTY);
    assert_true(master >= 0);
    assert_int_equal(grantpt(master), 0);
    assert_int_equal(unlockpt(master), 0);
    char spec[256];
    snprintf(spec, sizeof spec, "serial:%s:9600:xk3190", ptsname(master));
    devmgr_opener ops[] = {devmgr_open_serial_scale()};
    devmgr_config cfg = base_config(ops, 1);
    char why[256] = "";
    assert_true(devspec_parse(DEVICE_SCALE, spec, &cfg.spec[DEVICE_SCALE], why, sizeof why));
    devmgr *m = devmgr_start(&cfg, NULL, 0);
    assert_non_null(m);
    size_t at = 0;
    assert_true(want_state(&at, DEVICE_SCALE, DEVICE_ENABLED, DEVICE_OK, 2000));
    /* +1.234 kg (devices.md §3.1), 20 times at 20 Hz, junk and a bad checksum in between. */
    uint8_t frame[16], junk[16], bad[16];
    size_t nf = periph_hex("02 2B 30 30 31 32 33 34 33 31 43 03", frame, sizeof frame);
    size_t nj = periph_hex("FF 00 41 02 2B", junk, sizeof junk);
    size_t nb = periph_hex("02 2B 30 30 31 32 33 34 33 31 44 03", bad, sizeof bad);
    for (int i = 0; i < 20; i++) {
        assert_int_equal(write(master, frame, nf), (ssize_t)nf);
        if (i % 5 == 0) {
            assert_int_equal(write(master, junk, nj), (ssize_t)nj);
            assert_int_equal(write(master, bad, nb), (ssize_t)nb);
        }
        usleep(50 * 1000);
    }
    assert_true(want_weight(&at, SCALE_STABLE_READY, 1234, 3000));
    devmgr_status st;
    devmgr_get_status(m, DEVICE_SCALE, &st);
    assert_true(st.garbage >= 4);
    assert_true(st.readings >= 15);
    assert_non_null(strstr(st.name, "xk3190"));
    close(master);
    assert_true(want_state(&at, DEVICE_SCALE, DEVICE_ERROR, DEVICE_ERR_DISCONNECTED, 3000));
    devmgr_stop(m);
}

/* Stop joins within about one read timeout, with devices open and idle. */
static void test_prompt_stop(void **state)
{
    (void)state;
    sim_scanner *scan = sim_scanner_create();
    devmgr_opener ops[] = {devmgr_open_sim_scanner(scan, DEVSPEC_AUTO)};
    devmgr_config cfg = base_config(ops, 1);
    assert_true(devspec_parse(DEVICE_SCANNER, "auto", &cfg.spec[DEVICE_SCANNER], NULL, 0));
    cfg.read_ms = 100;
    devmgr *m = devmgr_start(&cfg, NULL, 0);
    assert_non_null(m);
    size_t at = 0;
    assert_true(want_state(&at, DEVICE_SCANNER, DEVICE_ENABLED, DEVICE_OK, 2000));
    usleep(150 * 1000);
    int64_t t0 = ms_now();
    devmgr_stop(m);
    assert_true(ms_now() - t0 < 500);   /* read_ms 100: not the seconds a blocking read takes */
    sim_scanner_destroy(scan);
}

int main(void)
{
    pthread_mutex_init(&R.mu, NULL);
    pthread_cond_init(&R.cv, NULL);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_sim_scale_verdicts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sim_scanner_codes_and_garbage, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sim_hidpos_scanner, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unplug_replug, setup, teardown),
        cmocka_unit_test_setup_teardown(test_backoff_and_missing_openers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_auto_nothing_found, setup, teardown),
        cmocka_unit_test_setup_teardown(test_serial_scale_over_pty, setup, teardown),
        cmocka_unit_test_setup_teardown(test_prompt_stop, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
