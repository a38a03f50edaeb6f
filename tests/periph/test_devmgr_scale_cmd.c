/* test_devmgr_scale_cmd: zero and tare through the device manager's thread (devmgr_scale_command)
 * -- the simulated HID POS scale taking the Zero Scale report `02 02` through its ops->write
 * (the bytes a USB scale gets) and its tare through the link hook, with the readings that
 * follow (zeroed load reads 0, goods taken off read under zero, net after a tare); a HID scale
 * without the hook says tare is unsupported; the OS2 commands arriving on a real pty's master
 * between the poll's ENQs; XK3190 and ST/GS scales saying UNSUPPORTED; no scale: NOT_FOUND.
 * Each test has an alarm guard. */
#define _XOPEN_SOURCE 700   /* posix_openpt, grantpt, unlockpt, ptsname are XSI */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <fcntl.h>
#include <poll.h>
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
#define MAX_EV 1024

static int64_t ms_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* What the callbacks saw, in order (they run on the manager's thread). */
typedef struct {
    char kind;                 /* 's' state, 'w' weight, 'k' scale command */
    device_state state;
    device_err err;
    int64_t grams;
    scale_stable_verdict verdict;
    devmgr_scale_cmd cmd;
    char why[DEVMGR_WHY_CAP];
} rec_ev;

static struct {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    rec_ev ev[MAX_EV];
    size_t n;
} R;

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
    if (cls == DEVICE_SCALE)
        rec_push(&(rec_ev){.kind = 's', .state = state, .err = err});
}

static void on_weight(void *arg, int64_t grams, scale_stable_verdict v)
{
    (void)arg;
    rec_push(&(rec_ev){.kind = 'w', .grams = grams, .verdict = v});
}

static void on_command(void *arg, devmgr_scale_cmd cmd, device_err err, const char *why)
{
    (void)arg;
    rec_ev e = {.kind = 'k', .cmd = cmd, .err = err};
    snprintf(e.why, sizeof e.why, "%s", why);
    rec_push(&e);
}

/* Wait until an event at index >= *from is like want (kind; then state / verdict+grams (grams
 * < 0 with a verdict other than UNDER_ZERO: any) / cmd); copies it to *got when not NULL. */
static bool wait_for(size_t *from, const rec_ev *want, rec_ev *got, int timeout_ms)
{
    int64_t end = ms_now() + timeout_ms;
    pthread_mutex_lock(&R.mu);
    for (;;) {
        for (size_t i = *from; i < R.n; i++) {
            const rec_ev *e = &R.ev[i];
            bool ok = e->kind == want->kind;
            if (ok && e->kind == 's')
                ok = e->state == want->state;
            if (ok && e->kind == 'w')
                ok = e->verdict == want->verdict && e->grams == want->grams;
            if (ok && e->kind == 'k')
                ok = e->cmd == want->cmd;
            if (ok) {
                if (got)
                    *got = *e;
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

static bool want_weight(size_t *at, scale_stable_verdict v, int64_t grams)
{
    return wait_for(at, &(rec_ev){.kind = 'w', .verdict = v, .grams = grams}, NULL, 3000);
}

/* Ask for cmd and wait for its outcome; returns it (why into *why_out). */
static device_err command(devmgr *m, size_t *at, devmgr_scale_cmd cmd, rec_ev *got)
{
    assert_int_equal(devmgr_scale_command(m, cmd), DEVICE_OK);
    assert_true(wait_for(at, &(rec_ev){.kind = 'k', .cmd = cmd}, got, 3000));
    return got->err;
}

static devmgr *start(const devmgr_opener *ops, size_t n, const char *spec)
{
    devmgr_config cfg;
    devmgr_config_init(&cfg);
    cfg.openers = ops;
    cfg.n_openers = n;
    cfg.on_state = on_state;
    cfg.on_weight = on_weight;
    cfg.on_scale_command = on_command;
    cfg.stable.hold_ms = 100;
    char why[256] = "";
    assert_true(devspec_parse(DEVICE_SCALE, spec, &cfg.spec[DEVICE_SCALE], why, sizeof why));
    devmgr *m = devmgr_start(&cfg, why, sizeof why);
    assert_non_null(m);
    return m;
}

static int setup(void **state)
{
    (void)state;
    pthread_mutex_lock(&R.mu);
    R.n = 0;
    pthread_mutex_unlock(&R.mu);
    alarm(GUARD_S);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    alarm(0);
    return 0;
}

/* Zero with goods on: they read 0, taken off they read under zero, the same goods back read
 * 0 again; zero on the empty platter clears it.  Tare a container: 0, goods in it read net,
 * all taken off reads minus the container. */
static void test_sim_zero_and_tare(void **state)
{
    (void)state;
    sim_scale *sim = sim_scale_create();
    sim_scale_set_motion_ms(sim, 0);
    devmgr_opener ops[] = {devmgr_open_sim_scale(sim, DEVSPEC_SIM)};
    devmgr *m = start(ops, 1, "sim");
    size_t at = 0;
    rec_ev got;
    assert_true(wait_for(&at, &(rec_ev){.kind = 's', .state = DEVICE_ENABLED}, NULL, 2000));
    assert_true(want_weight(&at, SCALE_STABLE_EMPTY, 0));

    sim_scale_set_weight(sim, 500);
    assert_true(want_weight(&at, SCALE_STABLE_READY, 500));
    assert_int_equal(command(m, &at, DEVMGR_SCALE_ZERO, &got), DEVICE_OK);
    assert_non_null(strstr(got.why, "Zero Scale"));
    assert_int_equal(sim_scale_zero_offset(sim), 500);
    assert_true(want_weight(&at, SCALE_STABLE_EMPTY, 0));
    sim_scale_set_weight(sim, 0);
    assert_true(want_weight(&at, SCALE_STABLE_UNDER_ZERO, -500));
    sim_scale_set_weight(sim, 500);
    assert_true(want_weight(&at, SCALE_STABLE_EMPTY, 0));
    sim_scale_set_weight(sim, 0);
    assert_true(want_weight(&at, SCALE_STABLE_UNDER_ZERO, -500));
    assert_int_equal(command(m, &at, DEVMGR_SCALE_ZERO, &got), DEVICE_OK);
    assert_int_equal(sim_scale_zero_offset(sim), 0);
    assert_true(want_weight(&at, SCALE_STABLE_EMPTY, 0));

    /* A 200 g container tared; 333 g of goods in it price at 333 g. */
    sim_scale_set_weight(sim, 200);
    assert_true(want_weight(&at, SCALE_STABLE_READY, 200));
    assert_int_equal(command(m, &at, DEVMGR_SCALE_TARE, &got), DEVICE_OK);
    assert_int_equal(sim_scale_tare_grams(sim), 200);
    assert_true(want_weight(&at, SCALE_STABLE_EMPTY, 0));
    sim_scale_set_weight(sim, 533);
    assert_true(want_weight(&at, SCALE_STABLE_READY, 333));
    sim_scale_set_weight(sim, 0);
    assert_true(want_weight(&at, SCALE_STABLE_UNDER_ZERO, -200));
    /* Tare on the empty platter clears the tare. */
    assert_int_equal(command(m, &at, DEVMGR_SCALE_TARE, &got), DEVICE_OK);
    assert_int_equal(sim_scale_tare_grams(sim), 0);
    assert_true(want_weight(&at, SCALE_STABLE_EMPTY, 0));

    /* The sim refuses an output report that is not Zero Scale. */
    uint8_t bogus[2] = {0x02, 0x00};
    assert_int_equal(sim_scale_ops.write(sim, bogus, 2, 0), DEVICE_ERR_PROTOCOL);
    devmgr_status st;
    devmgr_get_status(m, DEVICE_SCALE, &st);
    assert_int_equal(st.garbage, 0);
    devmgr_stop(m);
    sim_scale_destroy(sim);
}

/* The sim as a plain HID POS scale (no tare hook): zero goes out as `02 02`, tare is refused
 * with a sentence; no scale configured: NOT_FOUND. */
static device_err open_plain(void *arg, const devspec *spec, devmgr_link *out, char *why,
                             size_t cap)
{
    device_err err = devmgr_open_sim_scale(arg, DEVSPEC_SIM).open(arg, spec, out, why, cap);
    out->scale_command = NULL;
    return err;
}

static void close_plain(void *arg, devmgr_link *link)
{
    (void)arg;
    link->ops->close(link->self);
}

static void test_hid_tare_unsupported_and_no_scale(void **state)
{
    (void)state;
    sim_scale *sim = sim_scale_create();
    sim_scale_set_motion_ms(sim, 0);
    sim_scale_set_weight(sim, 300);
    devmgr_opener ops[] = {{.cls = DEVICE_SCALE, .kind = DEVSPEC_SIM, .open = open_plain,
                            .close = close_plain, .arg = sim}};
    devmgr *m = start(ops, 1, "sim");
    size_t at = 0;
    rec_ev got;
    assert_true(want_weight(&at, SCALE_STABLE_READY, 300));
    assert_int_equal(command(m, &at, DEVMGR_SCALE_TARE, &got), DEVICE_ERR_UNSUPPORTED);
    assert_non_null(strstr(got.why, "no tare"));
    assert_int_equal(sim_scale_tare_grams(sim), 0);
    assert_int_equal(command(m, &at, DEVMGR_SCALE_ZERO, &got), DEVICE_OK);
    assert_true(want_weight(&at, SCALE_STABLE_EMPTY, 0));
    /* Unplugged: the command fails as the device does. */
    sim_scale_unplug(sim);
    assert_true(wait_for(&at, &(rec_ev){.kind = 's', .state = DEVICE_ERROR}, NULL, 2000));
    assert_int_equal(command(m, &at, DEVMGR_SCALE_ZERO, &got), DEVICE_ERR_NOT_FOUND);
    assert_non_null(strstr(got.why, "no scale"));
    devmgr_stop(m);
    sim_scale_destroy(sim);

    setup(NULL);
    m = start(NULL, 0, "none");
    at = 0;
    assert_int_equal(command(m, &at, DEVMGR_SCALE_ZERO, &got), DEVICE_ERR_NOT_FOUND);
    devmgr_stop(m);
    assert_int_equal(devmgr_scale_command(NULL, DEVMGR_SCALE_ZERO), DEVICE_ERR_NOT_FOUND);
}

static int open_pty(char *spec, size_t cap, const char *proto)
{
    int master = posix_openpt(O_RDWR | O_NOCTTY);
    assert_true(master >= 0);
    assert_int_equal(grantpt(master), 0);
    assert_int_equal(unlockpt(master), 0);
    snprintf(spec, cap, "serial:%s:9600:%s", ptsname(master), proto);
    return master;
}

/* Read the master until `want` shows up in what came (up to ms); the bytes into got. */
static bool master_sees(int master, const uint8_t *want, size_t wn, uint8_t *got, size_t cap,
                        size_t *n, int ms)
{
    int64_t end = ms_now() + ms;
    while (ms_now() < end) {
        struct pollfd p = {.fd = master, .events = POLLIN};
        if (poll(&p, 1, 50) == 1 && *n < cap) {
            ssize_t r = read(master, got + *n, cap - *n);
            if (r > 0)
                *n += (size_t)r;
        }
        for (size_t i = 0; i + wn <= *n; i++)
            if (memcmp(got + i, want, wn) == 0)
                return true;
    }
    return false;
}

/* A polled OS2 scale on a pty: the manager asks ENQ again and again (nobody answers); the
 * zero and tare commands arrive whole between them, and the polling goes on after. */
static void test_os2_commands_over_pty(void **state)
{
    (void)state;
    char spec[256];
    int master = open_pty(spec, sizeof spec, "os2");
    devmgr_opener ops[] = {devmgr_open_serial_scale()};
    devmgr *m = start(ops, 1, spec);
    size_t at = 0;
    rec_ev got;
    assert_true(wait_for(&at, &(rec_ev){.kind = 's', .state = DEVICE_ENABLED}, NULL, 2000));
    uint8_t seen[4096];
    size_t n = 0;
    uint8_t enq[1] = {0x05};
    assert_true(master_sees(master, enq, 1, seen, sizeof seen, &n, 2000));

    uint8_t zero[8], tare[8];
    size_t nz = periph_hex("3C 5A 4B 3E 09", zero, sizeof zero);   /* <ZK>\t, devices.md §3.6 */
    size_t nt = periph_hex("3C 54 4B 3E 09", tare, sizeof tare);   /* <TK>\t */
    assert_int_equal(command(m, &at, DEVMGR_SCALE_ZERO, &got), DEVICE_OK);
    assert_true(master_sees(master, zero, nz, seen, sizeof seen, &n, 2000));
    size_t after_zero = n;
    assert_int_equal(command(m, &at, DEVMGR_SCALE_TARE, &got), DEVICE_OK);
    assert_non_null(strstr(got.why, "tare"));
    assert_true(master_sees(master, tare, nt, seen, sizeof seen, &n, 2000));
    /* Only the poll's ENQs besides the commands, and the poll goes on. */
    for (size_t i = 0; i < n;) {
        if (i + nz <= n && memcmp(seen + i, zero, nz) == 0)
            i += nz;
        else if (i + nt <= n && memcmp(seen + i, tare, nt) == 0)
            i += nt;
        else
            assert_int_equal(seen[i++], 0x05);
    }
    size_t mark = n;
    assert_true(master_sees(master, enq, 1, seen + mark, sizeof seen - mark, &(size_t){0}, 2000));
    assert_true(after_zero > 0);
    devmgr_stop(m);
    close(master);
}

/* Continuous formats have no command: UNSUPPORTED with the reason, and nothing is written. */
static void test_continuous_formats_unsupported(void **state)
{
    (void)state;
    static const char *const PROTOS[] = {"xk3190", "stgs"};
    static const char *const SAYS[] = {"XK3190", "ST,GS"};
    for (size_t k = 0; k < 2; k++) {
        setup(NULL);   /* a fresh record per scale */
        char spec[256];
        int master = open_pty(spec, sizeof spec, PROTOS[k]);
        devmgr_opener ops[] = {devmgr_open_serial_scale()};
        devmgr *m = start(ops, 1, spec);
        size_t at = 0;
        rec_ev got;
        assert_true(wait_for(&at, &(rec_ev){.kind = 's', .state = DEVICE_ENABLED}, NULL, 2000));
        assert_int_equal(command(m, &at, DEVMGR_SCALE_ZERO, &got), DEVICE_ERR_UNSUPPORTED);
        assert_non_null(strstr(got.why, SAYS[k]));
        assert_non_null(strstr(got.why, "zero"));
        assert_int_equal(command(m, &at, DEVMGR_SCALE_TARE, &got), DEVICE_ERR_UNSUPPORTED);
        assert_non_null(strstr(got.why, "tare"));
        struct pollfd p = {.fd = master, .events = POLLIN};
        assert_int_equal(poll(&p, 1, 200), 0);
        devmgr_stop(m);
        close(master);
    }
}

int main(void)
{
    pthread_mutex_init(&R.mu, NULL);
    pthread_cond_init(&R.cv, NULL);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_sim_zero_and_tare, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hid_tare_unsupported_and_no_scale, setup, teardown),
        cmocka_unit_test_setup_teardown(test_os2_commands_over_pty, setup, teardown),
        cmocka_unit_test_setup_teardown(test_continuous_formats_unsupported, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
