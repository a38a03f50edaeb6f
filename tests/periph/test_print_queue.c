/* print_queue with the simulated printer, on real threads (ctest label `thread`): job order,
 * a drawer kick ahead of a receipt waiting for paper, paper out then in printed once, unplug
 * mid-job and the whole job sent again, a stalled printer timing out within its bound, reprint,
 * cancel, stop with jobs left, the file printer.  The sim is the fake here, at the edge no test
 * can reach (a real printer); it answers DLE EOT with devices.md §4.2's bytes, so the queue's
 * status path is the real one. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <pthread.h>

#include <cmocka.h>

#include "peripherals/printer/file_printer.h"
#include "peripherals/printer/print_queue.h"
#include "peripherals/printer/printer_rt.h"
#include "peripherals/printer/sim.h"

/* ---- what the callbacks saw ---- */

typedef struct {
    uint64_t id;
    print_job_state st;
    print_wait why;
} seen;

static pthread_mutex_t seen_mu = PTHREAD_MUTEX_INITIALIZER;
static seen seen_log[256];
static size_t n_seen;
static device_state last_dev = DEVICE_CLOSED;

static void on_job(void *arg, uint64_t id, print_job_state st, print_wait why, const char *reason)
{
    (void)arg;
    (void)reason;
    pthread_mutex_lock(&seen_mu);
    if (n_seen < 256)
        seen_log[n_seen++] = (seen){id, st, why};
    pthread_mutex_unlock(&seen_mu);
}

static void on_dev(void *arg, device_class cls, device_state st, device_err err, const char *name)
{
    (void)arg;
    (void)err;
    (void)name;
    assert_int_equal(cls, DEVICE_PRINTER);
    pthread_mutex_lock(&seen_mu);
    last_dev = st;
    pthread_mutex_unlock(&seen_mu);
}

static bool saw(uint64_t id, print_job_state st, print_wait why)
{
    pthread_mutex_lock(&seen_mu);
    bool found = false;
    for (size_t i = 0; i < n_seen; i++)
        found |= seen_log[i].id == id && seen_log[i].st == st && seen_log[i].why == why;
    pthread_mutex_unlock(&seen_mu);
    return found;
}

/* ---- fixture ---- */

typedef struct {
    char path[512];
    sim_printer *sp;
    print_queue *q;
} fx;

static int64_t now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void start(fx *f, const char *name, int write_timeout_ms)
{
    snprintf(f->path, sizeof f->path, "%s/print_queue_%s.bin", FUPIN_TEST_TMP, name);
    unlink(f->path);
    f->sp = sim_printer_create(f->path);
    assert_non_null(f->sp);
    pthread_mutex_lock(&seen_mu);
    n_seen = 0;
    last_dev = DEVICE_CLOSED;
    pthread_mutex_unlock(&seen_mu);
    print_queue_cfg cfg = {
        .open = sim_printer_opener,
        .open_arg = f->sp,
        .on_device = on_dev,
        .on_job = on_job,
        .write_timeout_ms = write_timeout_ms,
        .status_timeout_ms = 100,
        .backoff_min_ms = 50,
        .backoff_max_ms = 400,
        .probe_ms = 100,
    };
    cfg.spec.cls = DEVICE_PRINTER;
    cfg.spec.kind = DEVSPEC_SIM;
    print_err e;
    f->q = print_queue_start(&cfg, &e);
    assert_int_equal(e, PRINT_OK);
    assert_non_null(f->q);
}

static void finish(fx *f)
{
    print_queue_destroy(f->q);
    sim_printer_destroy(f->sp);
}

static print_job_info job(fx *f, uint64_t id)
{
    print_job_info all[64];
    size_t n = print_queue_snapshot(f->q, all, 64);
    for (size_t i = 0; i < n; i++)
        if (all[i].id == id)
            return all[i];
    fail_msg("job %llu not in the snapshot", (unsigned long long)id);
    return all[0];
}

/* Wait (bounded) until job id is in state st; returns the ms it took. */
static int64_t wait_state(fx *f, uint64_t id, print_job_state st, int limit_ms)
{
    int64_t t0 = now_ms();
    while (job(f, id).state != st) {
        if (now_ms() - t0 > limit_ms)
            fail_msg("job %llu: %s (%s), wanted %s after %d ms", (unsigned long long)id,
                     print_job_state_name(job(f, id).state), job(f, id).reason,
                     print_job_state_name(st), limit_ms);
        usleep(5000);
    }
    return now_ms() - t0;
}

static uint64_t submit_text(fx *f, print_job_kind kind, const char *text)
{
    uint8_t buf[4096];
    size_t n = 0;
    buf[n++] = 0x1B;
    buf[n++] = 0x40;
    size_t tl = strlen(text);
    memcpy(buf + n, text, tl);
    n += tl;
    buf[n++] = '\n';
    uint64_t id = 0;
    assert_int_equal(print_queue_submit(f->q, kind, buf, n, "R-1", NULL, &id), PRINT_OK);
    assert_true(id > 0);
    return id;
}

static uint64_t submit_kick(fx *f)
{
    const uint8_t kick[] = {0x1B, 0x70, 0x00, 0x32, 0x32};
    uint64_t id = 0;
    assert_int_equal(print_queue_submit(f->q, PRINT_JOB_DRAWER_KICK, kick, sizeof kick, "R-1",
                                        NULL, &id),
                     PRINT_OK);
    return id;
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle))
        n++;
    return n;
}

static char text_buf[70000];

static const char *printed(fx *f)
{
    sim_printer_text(f->sp, text_buf, sizeof text_buf);
    return text_buf;
}

/* ---- tests ---- */

static void test_order(void **state)
{
    (void)state;
    fx f;
    start(&f, "order", 500);
    uint64_t a = submit_text(&f, PRINT_JOB_RECEIPT, "first");
    uint64_t b = submit_text(&f, PRINT_JOB_RECEIPT, "second");
    uint64_t c = submit_text(&f, PRINT_JOB_RECEIPT, "third");
    wait_state(&f, c, PRINT_DONE, 3000);
    assert_int_equal(job(&f, a).state, PRINT_DONE);
    assert_int_equal(job(&f, b).state, PRINT_DONE);
    assert_string_equal(printed(&f), "first\nsecond\nthird\n");
    assert_true(saw(a, PRINT_PRINTING, PRINT_WAIT_NONE));
    assert_true(saw(a, PRINT_DONE, PRINT_WAIT_NONE));
    print_queue_counts k;
    print_queue_counts_get(f.q, &k);
    assert_int_equal(k.done, 3);
    assert_int_equal(k.device, DEVICE_ENABLED);
    assert_int_equal(k.last_done, c);
    /* The queue asked the status before printing (DLE EOT 1 and 4 per receipt). */
    sim_printer_stats st;
    sim_printer_stats_get(f.sp, &st);
    assert_true(st.status_requests >= 6);
    finish(&f);
}

static void test_kick_ahead_of_paper_out(void **state)
{
    (void)state;
    fx f;
    start(&f, "kick", 500);
    sim_printer_set(f.sp, SIM_PRINTER_PAPER_OUT, true);
    uint64_t r = submit_text(&f, PRINT_JOB_RECEIPT, "receipt-A");
    wait_state(&f, r, PRINT_WAITING, 3000);
    assert_int_equal(job(&f, r).why, PRINT_WAIT_PAPER_OUT);
    assert_string_equal(job(&f, r).reason, "paper out");
    uint64_t k = submit_kick(&f);
    wait_state(&f, k, PRINT_DONE, 3000);
    sim_printer_stats st;
    sim_printer_stats_get(f.sp, &st);
    assert_int_equal(st.kicks, 1);
    /* The receipt still waits: the drawer opened without it. */
    assert_int_equal(job(&f, r).state, PRINT_WAITING);
    assert_true(saw(r, PRINT_WAITING, PRINT_WAIT_PAPER_OUT));
    assert_string_equal(printed(&f), "");
    /* Paper in: printed once (the queue polls the status; wake only shortens it). */
    sim_printer_set(f.sp, SIM_PRINTER_PAPER_OUT, false);
    wait_state(&f, r, PRINT_DONE, 3000);
    /* Not a fixed sleep: a job submitted after it is done only once the queue is past it. */
    uint64_t after = submit_text(&f, PRINT_JOB_RECEIPT, "after-A");
    wait_state(&f, after, PRINT_DONE, 3000);
    assert_int_equal(count(printed(&f), "receipt-A"), 1);
    finish(&f);
}

static void test_near_end_prints_and_says_so(void **state)
{
    (void)state;
    fx f;
    start(&f, "nearend", 500);
    sim_printer_set(f.sp, SIM_PRINTER_PAPER_NEAR_END, true);
    uint64_t r = submit_text(&f, PRINT_JOB_RECEIPT, "low");
    wait_state(&f, r, PRINT_DONE, 3000);
    assert_int_equal(job(&f, r).why, PRINT_WAIT_PAPER_NEAR_END);
    assert_true(saw(r, PRINT_DONE, PRINT_WAIT_PAPER_NEAR_END));
    print_queue_counts k;
    print_queue_counts_get(f.q, &k);
    assert_int_equal(k.condition, PRINT_WAIT_PAPER_NEAR_END);
    finish(&f);
}

static void test_cover_open(void **state)
{
    (void)state;
    fx f;
    start(&f, "cover", 500);
    sim_printer_set(f.sp, SIM_PRINTER_COVER_OPEN, true);
    uint64_t r = submit_text(&f, PRINT_JOB_RECEIPT, "cover");
    wait_state(&f, r, PRINT_WAITING, 3000);
    assert_int_equal(job(&f, r).why, PRINT_WAIT_COVER_OPEN);
    sim_printer_set(f.sp, SIM_PRINTER_COVER_OPEN, false);
    print_queue_wake(f.q);
    wait_state(&f, r, PRINT_DONE, 3000);
    finish(&f);
}

static void test_unplug_mid_job_resends_whole(void **state)
{
    (void)state;
    fx f;
    start(&f, "unplug", 500);
    char big[3000];
    for (size_t i = 0; i < sizeof big - 1; i++)
        big[i] = (char)('a' + i % 26);
    big[sizeof big - 1] = '\0';
    /* The status requests (2 × 3 bytes) and the first 1200 bytes of the job go through. */
    sim_printer_unplug_after(f.sp, 1206);
    uint64_t r = submit_text(&f, PRINT_JOB_RECEIPT, big);
    wait_state(&f, r, PRINT_WAITING, 3000);
    assert_int_equal(job(&f, r).why, PRINT_WAIT_MISSING);
    pthread_mutex_lock(&seen_mu);
    device_state d = last_dev;
    pthread_mutex_unlock(&seen_mu);
    assert_int_equal(d, DEVICE_ERROR);
    /* A drawer kick waits too while the printer is missing, and says so. */
    uint64_t k = submit_kick(&f);
    wait_state(&f, k, PRINT_WAITING, 3000);
    assert_int_equal(job(&f, k).why, PRINT_WAIT_MISSING);
    sim_printer_set(f.sp, SIM_PRINTER_UNPLUGGED, false);
    wait_state(&f, r, PRINT_DONE, 5000);
    assert_int_equal(job(&f, k).state, PRINT_DONE);
    assert_int_equal(job(&f, r).attempts, 2);
    /* The file: the cut-off part, then the whole job again. */
    const char *t = printed(&f);
    size_t tl = strlen(t), bl = strlen(big);
    assert_true(tl > bl + 1);
    assert_memory_equal(t + tl - bl - 1, big, bl);
    assert_memory_equal(t, big, tl - bl - 1);
    assert_int_equal(count(t, big), 1);
    finish(&f);
}

static void test_stall_times_out(void **state)
{
    (void)state;
    fx f;
    start(&f, "stall", 200);
    uint64_t first = submit_text(&f, PRINT_JOB_RECEIPT, "before");
    wait_state(&f, first, PRINT_DONE, 3000);
    sim_printer_set(f.sp, SIM_PRINTER_STALL, true);
    uint64_t r = submit_text(&f, PRINT_JOB_RECEIPT, "stalled");
    /* One write timeout (200 ms) and some scheduling slack: never the printer's whim. */
    int64_t took = wait_state(&f, r, PRINT_WAITING, 2000);
    assert_true(took < 1500);
    assert_int_equal(job(&f, r).why, PRINT_WAIT_TIMEOUT);
    sim_printer_set(f.sp, SIM_PRINTER_STALL, false);
    wait_state(&f, r, PRINT_DONE, 3000);
    assert_int_equal(count(printed(&f), "stalled"), 1);
    finish(&f);
}

static void test_reprint_and_cancel(void **state)
{
    (void)state;
    fx f;
    start(&f, "reprint", 500);
    uint64_t r = submit_text(&f, PRINT_JOB_RECEIPT, "slip-1");
    uint64_t again = 0;
    wait_state(&f, r, PRINT_DONE, 3000);
    assert_int_equal(print_queue_reprint(f.q, r, &again), PRINT_OK);
    wait_state(&f, again, PRINT_DONE, 3000);
    assert_int_equal(job(&f, again).kind, PRINT_JOB_REPRINT);
    assert_string_equal(job(&f, again).ref, "R-1");
    assert_int_equal(count(printed(&f), "slip-1"), 2);
    assert_int_equal(print_queue_reprint(f.q, 999, NULL), PRINT_ERR_NO_SUCH_JOB);
    /* Cancel a waiting job; a done one cannot be. */
    sim_printer_set(f.sp, SIM_PRINTER_PAPER_OUT, true);
    uint64_t w = submit_text(&f, PRINT_JOB_RECEIPT, "never");
    wait_state(&f, w, PRINT_WAITING, 3000);
    assert_int_equal(print_queue_reprint(f.q, w, NULL), PRINT_ERR_JOB_STATE);
    assert_int_equal(print_queue_cancel(f.q, w), PRINT_OK);
    assert_int_equal(print_queue_cancel(f.q, r), PRINT_ERR_JOB_STATE);
    assert_int_equal(job(&f, w).state, PRINT_CANCELLED);
    sim_printer_set(f.sp, SIM_PRINTER_PAPER_OUT, false);
    /* Not a fixed sleep: the queue prints in order, so once a later job is done the cancelled
     * one would have printed before it. */
    uint64_t later = submit_text(&f, PRINT_JOB_RECEIPT, "later");
    wait_state(&f, later, PRINT_DONE, 3000);
    assert_int_equal(count(printed(&f), "never"), 0);
    assert_int_equal(count(printed(&f), "later"), 1);
    uint8_t z = 0;
    assert_int_equal(print_queue_submit(f.q, PRINT_JOB_RECEIPT, &z, 0, NULL, NULL, NULL),
                     PRINT_ERR_TOO_BIG);
    finish(&f);
}

static void test_stop_reports_waiting(void **state)
{
    (void)state;
    fx f;
    start(&f, "stop", 500);
    sim_printer_set(f.sp, SIM_PRINTER_UNPLUGGED, true);
    uint64_t a = submit_text(&f, PRINT_JOB_RECEIPT, "left-1");
    uint64_t b = submit_text(&f, PRINT_JOB_RECEIPT, "left-2");
    wait_state(&f, b, PRINT_WAITING, 3000);
    print_job_info left[4];
    size_t n = print_queue_stop(f.q, left, 4);
    assert_int_equal(n, 2);
    assert_int_equal(left[0].id, a);
    assert_int_equal(left[1].id, b);
    assert_int_equal(left[0].state, PRINT_WAITING);
    assert_int_equal(print_queue_submit(f.q, PRINT_JOB_RECEIPT, (const uint8_t *)"x", 1, NULL,
                                        NULL, NULL),
                     PRINT_ERR_STOPPING);
    assert_int_equal(print_queue_stop(f.q, NULL, 0), 2);   /* idempotent */
    pthread_mutex_lock(&seen_mu);
    device_state d = last_dev;
    pthread_mutex_unlock(&seen_mu);
    assert_int_equal(d, DEVICE_CLOSED);
    finish(&f);
}

static void test_missing_at_start_then_plugged(void **state)
{
    (void)state;
    fx f;
    snprintf(f.path, sizeof f.path, "%s/print_queue_late.bin", FUPIN_TEST_TMP);
    unlink(f.path);
    f.sp = sim_printer_create(f.path);
    sim_printer_set(f.sp, SIM_PRINTER_UNPLUGGED, true);
    print_queue_cfg cfg = {.open = sim_printer_opener, .open_arg = f.sp, .backoff_min_ms = 20,
                           .backoff_max_ms = 80, .write_timeout_ms = 300};
    print_err e;
    f.q = print_queue_start(&cfg, &e);
    assert_non_null(f.q);
    uint64_t r = submit_text(&f, PRINT_JOB_RECEIPT, "late");
    wait_state(&f, r, PRINT_WAITING, 3000);
    assert_true(strstr(job(&f, r).reason, "printer missing") != NULL);
    print_queue_counts k;
    print_queue_counts_get(f.q, &k);
    assert_int_equal(k.device, DEVICE_ERROR);
    assert_int_equal(k.condition, PRINT_WAIT_MISSING);
    sim_printer_set(f.sp, SIM_PRINTER_UNPLUGGED, false);
    wait_state(&f, r, PRINT_DONE, 3000);   /* the backoff (≤ 80 ms here) found it */
    finish(&f);
}

static void test_file_printer(void **state)
{
    (void)state;
    char path[200];
    snprintf(path, sizeof path, "%s/print_queue_file.bin", FUPIN_TEST_TMP);
    unlink(path);
    print_queue_cfg cfg = {.open = file_printer_opener, .close = file_printer_closer};
    cfg.spec.cls = DEVICE_PRINTER;
    cfg.spec.kind = DEVSPEC_FILE;
    snprintf(cfg.spec.path, sizeof cfg.spec.path, "%s", path);
    print_err e;
    print_queue *q = print_queue_start(&cfg, &e);
    assert_non_null(q);
    uint64_t a = 0, b = 0;
    assert_int_equal(print_queue_submit(q, PRINT_JOB_RECEIPT, (const uint8_t *)"one\n", 4, NULL,
                                        NULL, &a),
                     PRINT_OK);
    assert_int_equal(print_queue_submit(q, PRINT_JOB_RECEIPT, (const uint8_t *)"two\n", 4, NULL,
                                        NULL, &b),
                     PRINT_OK);
    for (int i = 0; i < 300; i++) {
        print_queue_counts k;
        print_queue_counts_get(q, &k);
        if (k.done == 2)
            break;
        usleep(10000);
    }
    assert_int_equal(print_queue_stop(q, NULL, 0), 0);
    print_queue_destroy(q);
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    char got[32] = "";
    size_t n = fread(got, 1, sizeof got - 1, fp);
    fclose(fp);
    assert_int_equal(n, 8);
    assert_string_equal(got, "one\ntwo\n");

    /* A path in a directory that does not exist: the job waits, the reason names the path. */
    snprintf(cfg.spec.path, sizeof cfg.spec.path, "%s/no/such/dir/p.bin", FUPIN_TEST_TMP);
    q = print_queue_start(&cfg, &e);
    assert_non_null(q);
    assert_int_equal(print_queue_submit(q, PRINT_JOB_RECEIPT, (const uint8_t *)"x", 1, NULL,
                                        NULL, &a),
                     PRINT_OK);
    print_job_info info = {0};
    for (int i = 0; i < 300 && info.state != PRINT_WAITING; i++) {
        usleep(10000);
        (void)print_queue_snapshot(q, &info, 1);
    }
    assert_int_equal(info.state, PRINT_WAITING);
    assert_true(strstr(info.reason, "no/such/dir") != NULL);
    print_job_info left;
    assert_int_equal(print_queue_stop(q, &left, 1), 1);
    print_queue_destroy(q);
}

/* printer_rt over the sim: each fault is the condition DLE EOT 1/2/4 report (§4.2 bytes). */
static void test_rt_conditions(void **state)
{
    (void)state;
    char path[200];
    snprintf(path, sizeof path, "%s/print_queue_rt.bin", FUPIN_TEST_TMP);
    sim_printer *sp = sim_printer_create(path);
    assert_int_equal(sim_printer_ops.open(sp, NULL), DEVICE_OK);
    const struct {
        sim_printer_fault f;
        printer_condition want;
    } rows[] = {
        {SIM_PRINTER_FAULT_COUNT, PRINTER_READY},
        {SIM_PRINTER_PAPER_NEAR_END, PRINTER_PAPER_NEAR_END},
        {SIM_PRINTER_PAPER_OUT, PRINTER_PAPER_OUT},
        {SIM_PRINTER_COVER_OPEN, PRINTER_COVER_OPEN},
        {SIM_PRINTER_OFFLINE, PRINTER_OFFLINE},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        for (int f = 0; f < SIM_PRINTER_FAULT_COUNT; f++)
            if (f != SIM_PRINTER_UNPLUGGED)
                sim_printer_set(sp, (sim_printer_fault)f, false);
        sim_printer_set(sp, rows[i].f, true);
        printer_condition c;
        assert_int_equal(printer_rt_query(&sim_printer_ops, sp, 100, 100, &c), DEVICE_OK);
        assert_string_equal(printer_condition_name(c), printer_condition_name(rows[i].want));
    }
    /* Stalled: the request times out (the queue then fails the device). */
    sim_printer_set(sp, SIM_PRINTER_OFFLINE, false);
    sim_printer_set(sp, SIM_PRINTER_STALL, true);
    printer_condition c;
    assert_int_equal(printer_rt_query(&sim_printer_ops, sp, 50, 50, &c), DEVICE_ERR_TIMEOUT);
    sim_printer_set(sp, SIM_PRINTER_UNPLUGGED, true);
    assert_int_equal(printer_rt_query(&sim_printer_ops, sp, 50, 50, &c),
                     DEVICE_ERR_DISCONNECTED);
    sim_printer_stats st;
    sim_printer_stats_get(sp, &st);
    assert_int_equal(st.bytes, 0);   /* status requests are answered, never printed */
    sim_printer_ops.close(sp);
    sim_printer_destroy(sp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_order),
        cmocka_unit_test(test_kick_ahead_of_paper_out),
        cmocka_unit_test(test_near_end_prints_and_says_so),
        cmocka_unit_test(test_cover_open),
        cmocka_unit_test(test_unplug_mid_job_resends_whole),
        cmocka_unit_test(test_stall_times_out),
        cmocka_unit_test(test_reprint_and_cancel),
        cmocka_unit_test(test_stop_reports_waiting),
        cmocka_unit_test(test_missing_at_start_then_plugged),
        cmocka_unit_test(test_file_printer),
        cmocka_unit_test(test_rt_conditions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
