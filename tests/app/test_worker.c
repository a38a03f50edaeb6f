/* worker: one job kind's thread (pos/app/worker.h) -- jobs run in submission order, results
 * come back as events carrying the job id, stopping runs what is queued first, and jobs see
 * the worker's own store handle, opened on its thread.  Also built under ThreadSanitizer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "db/products.h"
#include "db/sales.h"
#include "db/search.h"
#include "db/settings.h"
#include "db/store.h"
#include "db/suppliers.h"
#include "pos/app/evq.h"
#include "pos/app/worker.h"

#define N_JOBS 64

typedef struct {
    worker_job base;
    int index;
    int *order;            /* shared log of run order (written on the worker's thread only) */
    int *n_run;
    int sleep_ms;
    store *seen_db;
    pthread_t seen_thread;
    char seen_msg[64];
} test_job;

static bool run_test_job(worker_job *base, store *db, const char *open_msg, evq_event *done)
{
    test_job *j = (test_job *)base;
    if (j->sleep_ms) {
        struct timespec d = {0, (long)j->sleep_ms * 1000000L};
        nanosleep(&d, NULL);
    }
    j->order[(*j->n_run)++] = j->index;
    j->seen_db = db;
    j->seen_thread = pthread_self();
    snprintf(j->seen_msg, sizeof j->seen_msg, "%s", open_msg ? open_msg : "");
    done->kind = EVQ_TEST;
    done->value = j->index;
    return true;
}

/* Wait for n events (the results) and return them in arrival order. */
static void collect(evq *q, evq_event *out, size_t n)
{
    size_t got = 0;
    while (got < n) {
        assert_true(evq_wait(q, 10000));
        got += evq_drain(q, out + got, n - got);
    }
}

static void init_jobs(test_job *jobs, int n, int *order, int *n_run, int sleep_ms)
{
    memset(jobs, 0, sizeof *jobs * (size_t)n);
    for (int i = 0; i < n; i++) {
        jobs[i].base.run = run_test_job;
        jobs[i].index = i;
        jobs[i].order = order;
        jobs[i].n_run = n_run;
        jobs[i].sleep_ms = sleep_ms;
    }
}

static void test_fifo_order_and_job_ids(void **state)
{
    (void)state;
    evq *q = evq_create(N_JOBS);
    char err[128];
    worker *w = worker_start("test", NULL, q, err, sizeof err);
    assert_non_null(w);
    static test_job jobs[N_JOBS];
    static int order[N_JOBS];
    int n_run = 0;
    init_jobs(jobs, N_JOBS, order, &n_run, 0);
    uint64_t ids[N_JOBS];
    for (int i = 0; i < N_JOBS; i++) {
        ids[i] = worker_submit(w, &jobs[i].base);
        assert_true(ids[i] > 0);
        if (i)
            assert_true(ids[i] > ids[i - 1]);
    }
    evq_event evs[N_JOBS];
    collect(q, evs, N_JOBS);
    for (int i = 0; i < N_JOBS; i++) {
        assert_int_equal(evs[i].value, i);          /* results in submission order */
        assert_int_equal(evs[i].job, ids[i]);       /* each carries its job's id */
        assert_int_equal(order[i], i);
        assert_null(jobs[i].seen_db);               /* no database path: no handle */
    }
    assert_int_equal(worker_backlog(w), 0);
    worker_stop(w);
    evq_destroy(q);
}

static void test_stop_drains_the_fifo(void **state)
{
    (void)state;
    evq *q = evq_create(N_JOBS);
    char err[128];
    worker *w = worker_start("test", NULL, q, err, sizeof err);
    assert_non_null(w);
    static test_job jobs[N_JOBS];
    static int order[N_JOBS];
    int n_run = 0;
    init_jobs(jobs, 20, order, &n_run, 2);
    for (int i = 0; i < 20; i++)
        assert_true(worker_submit(w, &jobs[i].base) > 0);
    /* 20 × 2 ms queued behind each other: stopping now must still run every one */
    worker_stop(w);
    assert_int_equal(n_run, 20);
    for (int i = 0; i < 20; i++)
        assert_int_equal(order[i], i);
    assert_int_equal(evq_pending(q), 20);
    evq_destroy(q);
}

static void test_own_store_handle_on_its_thread(void **state)
{
    (void)state;
    char path[512];
    snprintf(path, sizeof path, "%s/worker-%d.db", FUPIN_TEST_TMP, (int)getpid());
    remove(path);
    store *mine = NULL;
    char msg[256] = "";
    store_open_opts o = {.create = true, .read_only = false, .busy_timeout_ms = 1000};
    assert_int_equal(store_open(path, &o, &mine, msg, sizeof msg), STORE_OK);

    evq *q = evq_create(8);
    char err[128];
    worker *w = worker_start("test", path, q, err, sizeof err);
    assert_non_null(w);
    static test_job jobs[3];
    static int order[3];
    int n_run = 0;
    init_jobs(jobs, 3, order, &n_run, 0);
    for (int i = 0; i < 3; i++)
        assert_true(worker_submit(w, &jobs[i].base) > 0);
    evq_event evs[3];
    collect(q, evs, 3);
    for (int i = 0; i < 3; i++) {
        assert_non_null(jobs[i].seen_db);
        assert_ptr_not_equal(jobs[i].seen_db, mine);          /* not the caller's handle */
        assert_ptr_equal(jobs[i].seen_db, jobs[0].seen_db);   /* kept between jobs */
        assert_false(pthread_equal(jobs[i].seen_thread, pthread_self()));
        assert_true(pthread_equal(jobs[i].seen_thread, jobs[0].seen_thread));
    }
    worker_stop(w);
    evq_destroy(q);
    store_close(mine);

    /* a database that cannot be opened: the job runs without a handle and is told why */
    q = evq_create(8);
    char missing[600];
    snprintf(missing, sizeof missing, "%s.missing/none.db", path);
    w = worker_start("test", missing, q, err, sizeof err);
    assert_non_null(w);
    n_run = 0;
    init_jobs(jobs, 1, order, &n_run, 0);
    assert_true(worker_submit(w, &jobs[0].base) > 0);
    collect(q, evs, 1);
    assert_null(jobs[0].seen_db);
    assert_true(jobs[0].seen_msg[0] != '\0');
    worker_stop(w);
    evq_destroy(q);
    remove(path);
}

/* A result is visible only once its job has left the backlog: the waker runs on the worker's
 * thread at the very moment the result is posted, so it sees exactly what a consumer woken by
 * it could see (this raced before: a test saw backlog 1 after collecting every result). */
typedef struct {
    worker *w;
    size_t backlog_at_post;
    int wakes;
} backlog_probe;

static void probe_waker(void *arg)
{
    backlog_probe *p = arg;
    p->backlog_at_post = worker_backlog(p->w);
    p->wakes++;
}

static void test_result_posted_after_leaving_the_backlog(void **state)
{
    (void)state;
    evq *q = evq_create(4);
    char err[128];
    backlog_probe probe = {0};
    probe.backlog_at_post = 99;
    worker *w = worker_start("test", NULL, q, err, sizeof err);
    assert_non_null(w);
    probe.w = w;
    evq_set_waker(q, probe_waker, &probe);
    static test_job jobs[1];
    static int order[1];
    int n_run = 0;
    init_jobs(jobs, 1, order, &n_run, 0);
    assert_true(worker_submit(w, &jobs[0].base) > 0);
    evq_event ev;
    collect(q, &ev, 1);
    assert_int_equal(worker_backlog(w), 0);
    worker_stop(w);   /* joins the worker: its waker's writes are now ours to read */
    assert_int_equal(probe.wakes, 1);
    assert_int_equal(probe.backlog_at_post, 0);
    evq_set_waker(q, NULL, NULL);
    evq_destroy(q);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fifo_order_and_job_ids),
        cmocka_unit_test(test_stop_drains_the_fifo),
        cmocka_unit_test(test_own_store_handle_on_its_thread),
        cmocka_unit_test(test_result_posted_after_leaving_the_backlog),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
