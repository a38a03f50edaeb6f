/* bench_scan_latency: scan -> basket-on-screen through the real path (issue #9).
 *
 * A simulated keyboard-emulation scanner (peripherals/scanner/sim.c) is "triggered" with a code
 * (the timestamp is taken just before sim_scanner_scan queues its boot-keyboard reports); the
 * device manager's thread (peripherals/devmgr.c) reads the reports, decodes them (bootkbd) and
 * posts EVQ_SCAN through the app's callback (pos/app/devices.c); the consumer -- this thread,
 * playing the screen's loop -- waits on the queue, hands the event to the cashier
 * (cashier_on_event -> cashier_scanned -> the session's SCAN, the same function a wedge scan
 * reaches), fills the view (cashier_fill_view) and checks the view's basket holds the new
 * line; with --draw it also draws that view with the real renderer (ui_screen_draw, SDL's
 * offscreen driver, software) and waits like the app does (ui_screen_wait, woken by the
 * queue's waker).  The end timestamp is taken when that is done.  One scan at a time, like a
 * cashier; 20 products in rotation so the basket holds 20 lines (the till reprices all of
 * them every scan).
 *
 * Two device set-ups: the scanner alone, and scanner + simulated scale (what `run
 * --simulate-devices` has: the manager then waits on the scanner for slice_ms and polls the
 * scale between -- the set-up that shows whether a scan ever waits behind the scale).
 *
 * Usage: bench_scan_latency DIR [N] [--draw]   (N scans per set-up, default 3000) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "bench/bench.h"
#include "db/demo.h"
#include "db/store.h"
#include "pos/app/cashier.h"
#include "pos/app/devices.h"
#include "pos/app/evq.h"
#include "pos/app/session.h"
#include "pos/app/till.h"
#include "pos/app/worker.h"
#ifdef BENCH_DRAW
#include "ui/screen.h"
#endif

#define N_CODES 20
#define FRAME_US (1e6 / 60.0)

static char codes[N_CODES][16];
static int n_codes;

static void die(const char *what)
{
    fprintf(stderr, "bench_scan_latency: %s\n", what);
    exit(1);
}

static void load_codes(const char *path)
{
    sqlite3 *db;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        die("cannot open the database");
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT b.gtin13 FROM barcodes b JOIN products p USING(sku) "
                               "WHERE p.by_weight = 0 AND p.active = 1 ORDER BY b.gtin13",
                           -1, &st, NULL) != SQLITE_OK)
        die(sqlite3_errmsg(db));
    while (sqlite3_step(st) == SQLITE_ROW && n_codes < N_CODES * 3) {
        if (n_codes < N_CODES)
            snprintf(codes[n_codes++], sizeof codes[0], "%s", (const char *)sqlite3_column_text(st, 0));
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    if (n_codes < 5)
        die("the demo catalog has too few barcodes");
}

static int64_t units_in(const sale_view *v)
{
    int64_t n = 0;
    for (size_t i = 0; i < v->cart->n_lines; i++)
        n += v->cart->lines[i].qty;
    return n;
}

typedef struct {
    till *t;
    worker *commit;
    sale_session *session;
    cashier c;
    evq *q;
    app_devices *devs;
    sale_view *view;
    view_devices dev;
#ifdef BENCH_DRAW
    ui_screen *screen;
    size_t scroll;
#endif
} rig;

/* Drain the queue into the cashier, fill the view; true once the view shows `want` units
 * (*t_view: when it did, before the draw). */
static bool consume(rig *r, int64_t want, double *t_view)
{
    evq_event ev[16];
    size_t n = evq_drain(r->q, ev, 16);
    for (size_t i = 0; i < n; i++)
        cashier_on_event(&r->c, &ev[i]);
    if (n == 0)
        return false;
    cashier_fill_view(&r->c, &r->dev, 0, r->view);
    if (units_in(r->view) != want)
        return false;
    *t_view = bench_now_us();
#ifdef BENCH_DRAW
    if (r->screen)
        ui_screen_draw(r->screen, r->view, &r->scroll);
#endif
    return true;
}

static void wait_queue(rig *r, int ms)
{
#ifdef BENCH_DRAW
    if (r->screen) {
        ui_input in;
        (void)ui_screen_wait(r->screen, ms, &in);
        return;
    }
#endif
    (void)evq_wait(r->q, ms);
}

static void report(const char *label, double *lat, int n)
{
    bench_sort(lat, n);
    long missed = 0, over = 0;
    for (int i = 0; i < n; i++) {
        if (lat[i] > FRAME_US) {
            over++;
            missed += (long)(lat[i] / FRAME_US);
        }
    }
    printf("%-46s n=%d  p50 %7.3f ms  p90 %7.3f ms  p99 %7.3f ms  max %7.3f ms  "
           ">16.7ms: %ld scans, %ld frames missed\n",
           label, n, lat[n / 2] / 1e3, lat[n * 9 / 10] / 1e3, lat[n * 99 / 100] / 1e3,
           lat[n - 1] / 1e3, over, missed);
    fflush(stdout);
}

/* One set-up: scanner alone or with the sim scale; n timed scans after a warm-up. */
static void run_setup(const char *path, bool with_scale, bool draw, int n, const char *label)
{
    char err[512] = "";
    rig r;
    memset(&r, 0, sizeof r);
    if (till_open(&r.t, path, false, err, sizeof err) != STORE_OK)
        die(err);
    r.q = evq_create(256);
    r.commit = worker_start("bench-commit", path, r.q, err, sizeof err);
    r.session = r.commit ? session_create(r.t, r.commit) : NULL;
    r.view = calloc(1, sizeof *r.view);
    if (!r.q || !r.session || !r.view || !cashier_init(&r.c, r.t, r.session))
        die(err[0] ? err : "out of memory");
    r.dev.scanner_state = r.dev.scale_state = r.dev.printer_state = "sim";
    r.dev.simulated = true;
#ifdef BENCH_DRAW
    if (draw) {
        ui_screen_options so = {.windowed = true, .width = 1280, .height = 800,
                                .assets_dir = demo_assets_dir(), .title = "bench"};
        r.screen = ui_screen_create(&so, err, sizeof err);
        if (!r.screen || ui_screen_open(r.screen, err, sizeof err) != UI_OPEN_OK)
            die(err);
        evq_set_waker(r.q, ui_screen_wake, r.screen);
    }
#else
    (void)draw;
#endif
    devices_plan plan;
    if (!devices_plan_make(&plan, with_scale ? "sim" : "none", "sim", false, NULL, err, sizeof err))
        die(err);
    r.devs = devices_start(&plan, r.q, err, sizeof err);
    if (!r.devs)
        die(err);
    sim_scanner *sim = devices_sim_scanner(r.devs);
    usleep(300 * 1000);   /* the manager opens the devices; the scale settles to empty */
    while (evq_drain(r.q, (evq_event[16]){0}, 16) > 0)
        ;

    double *lat = calloc((size_t)n, sizeof *lat);
    double *to_view = calloc((size_t)n, sizeof *to_view);
    if (!lat || !to_view)
        die("out of memory");
    int64_t units = 0;
    int warm = 2 * n_codes;
    for (int i = 0; i < warm + n; i++) {
        const char *code = codes[i % n_codes];
        double t0 = bench_now_us();
        if (!sim_scanner_scan(sim, code))
            die("the simulated scanner refused a code");
        units++;
        double deadline = t0 + 2e6, t_view = 0;
        while (!consume(&r, units, &t_view)) {
            if (bench_now_us() > deadline) {
                fprintf(stderr, "scan %d (%s) never reached the basket: %s\n", i, code, r.c.message);
                exit(1);
            }
            wait_queue(&r, 100);
        }
        double t1 = bench_now_us();
        if (i >= warm) {
            lat[i - warm] = t1 - t0;
            to_view[i - warm] = t_view - t0;
        }
        /* A cashier scans every few hundred ms; here the next scan follows after 1 ms so the
         * manager is back in its blocking read, as it would be. */
        usleep(1000);
    }
    char l2[96];
    snprintf(l2, sizeof l2, "%s: to the view", label);
    report(l2, to_view, n);
    if (draw) {
        snprintf(l2, sizeof l2, "%s: to the drawn frame", label);
        report(l2, lat, n);
    }
#ifdef BENCH_DRAW
    if (draw) {
        /* The frame alone: the same view drawn n times, no device, no queue -- what the
         * drawn-frame figures cost on top of the device path. */
        for (int i = 0; i < n; i++) {
            double t0 = bench_now_us();
            cashier_fill_view(&r.c, &r.dev, 0, r.view);
            ui_screen_draw(r.screen, r.view, &r.scroll);
            lat[i] = bench_now_us() - t0;
        }
        snprintf(l2, sizeof l2, "%s: fill + draw only (baseline)", label);
        report(l2, lat, n);
    }
#endif
    free(lat);
    free(to_view);
    devices_stop(r.devs);
    worker_stop(r.commit);
    cashier_free(&r.c);
    session_destroy(r.session);
    evq_destroy(r.q);
#ifdef BENCH_DRAW
    ui_screen_destroy(r.screen);
#endif
    till_close(r.t);
    free(r.view);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s DIR [N] [--draw]\n", argv[0]);
        return 2;
    }
    bool draw = argc > 3 && strcmp(argv[3], "--draw") == 0;
    long n = bench_count_arg(argc, argv, 2, 3000, 100, 1000000);
#ifndef BENCH_DRAW
    if (draw) {
        fprintf(stderr, "%s: built without the UI: no --draw\n", argv[0]);
        return 2;
    }
#endif
    if (draw && !getenv("SDL_VIDEODRIVER"))
        setenv("SDL_VIDEODRIVER", "offscreen", 1);
    char path[1024];
    snprintf(path, sizeof path, "%s/bench_scan.db", argv[1]);
    unlink(path);
    store *s = NULL;
    char msg[512] = "";
    store_open_opts o = {.create = true};
    if (store_open(path, &o, &s, msg, sizeof msg) != STORE_OK ||
        demo_load(s, demo_assets_dir(), msg, sizeof msg) != STORE_OK)
        die(msg);
    store_close(s);
    load_codes(path);
    printf("bench_scan_latency: %ld scans per set-up, %d products in rotation%s\n", n, n_codes,
           draw ? ", with the offscreen SDL draw" : "");
    run_setup(path, false, draw, (int)n, "scanner alone");
    run_setup(path, true, draw, (int)n, "scanner + sim scale");
    return 0;
}
