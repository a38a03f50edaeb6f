/* worker: one pthread, one FIFO, one store handle.  See worker.h. */
#include "pos/app/worker.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pos/app/log.h"

#define LOG_PREFIX "worker"

struct worker {
    char name[16];
    char *db_path;              /* NULL: no store handle */
    evq *q;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    worker_job *head, *tail;    /* the FIFO, under mu */
    size_t backlog;             /* queued + running, under mu */
    uint64_t next_id;
    bool stopping;
    /* The thread's own: never touched by another thread. */
    store *db;
    char open_msg[256];
};

static void ensure_db(worker *w)
{
    if (w->db || !w->db_path)
        return;
    store_open_opts o = {.create = false, .read_only = false, .busy_timeout_ms = 5000};
    w->open_msg[0] = '\0';
    store_err se = store_open(w->db_path, &o, &w->db, w->open_msg, sizeof w->open_msg);
    if (se != STORE_OK) {
        w->db = NULL;
        if (!w->open_msg[0])
            snprintf(w->open_msg, sizeof w->open_msg, "%s", store_strerror(se));
        log_err("%s: cannot open %s: %s", w->name, w->db_path, w->open_msg);
    }
}

/* A result must reach its submitter (a screen waiting on "saving…" would wait for ever): when
 * the queue is full the consumer is awake (the queue is not empty), so wait for it to drain --
 * unless the app is stopping and nobody drains any more. */
static void post_result(worker *w, const evq_event *done)
{
    while (!evq_post(w->q, done)) {
        pthread_mutex_lock(&w->mu);
        bool stopping = w->stopping;
        pthread_mutex_unlock(&w->mu);
        if (stopping) {
            log_err("%s: event queue full while stopping, result of job %llu dropped", w->name,
                    (unsigned long long)done->job);
            return;
        }
        struct timespec ms10 = {0, 10 * 1000 * 1000};
        nanosleep(&ms10, NULL);
    }
}

static void *worker_main(void *arg)
{
    worker *w = arg;
    pthread_mutex_lock(&w->mu);
    for (;;) {
        while (!w->head && !w->stopping)
            pthread_cond_wait(&w->cv, &w->mu);
        if (!w->head)
            break;   /* stopping, and the FIFO is drained */
        worker_job *job = w->head;
        w->head = job->next;
        if (!w->head)
            w->tail = NULL;
        pthread_mutex_unlock(&w->mu);

        /* The job runs outside the lock: submitting never waits on a running job. */
        ensure_db(w);
        evq_event done;
        memset(&done, 0, sizeof done);
        uint64_t id = job->id;
        bool keep = job->run(job, w->db, w->open_msg, &done);
        if (!keep && w->db) {
            store_close(w->db);
            w->db = NULL;
        }
        done.job = id;
        /* The job leaves the backlog before its result is visible: whoever has seen the
         * result (the submitter, a test) never counts it as still pending. */
        pthread_mutex_lock(&w->mu);
        w->backlog--;
        pthread_mutex_unlock(&w->mu);
        /* job belongs to its submitter again from here on: not touched after the post. */
        post_result(w, &done);

        pthread_mutex_lock(&w->mu);
    }
    pthread_mutex_unlock(&w->mu);
    if (w->db) {
        store_close(w->db);
        w->db = NULL;
    }
    return NULL;
}

worker *worker_start(const char *name, const char *db_path, evq *q, char *err, size_t err_cap)
{
    worker *w = calloc(1, sizeof *w);
    if (!w) {
        snprintf(err, err_cap, "out of memory");
        return NULL;
    }
    snprintf(w->name, sizeof w->name, "%s", name);
    w->q = q;
    if (db_path && !(w->db_path = strdup(db_path))) {
        snprintf(err, err_cap, "out of memory");
        free(w);
        return NULL;
    }
    if (pthread_mutex_init(&w->mu, NULL) != 0) {
        snprintf(err, err_cap, "cannot create a mutex");
        goto fail_mutex;
    }
    if (pthread_cond_init(&w->cv, NULL) != 0) {
        snprintf(err, err_cap, "cannot create a condition variable");
        goto fail_cond;
    }
    int rc = pthread_create(&w->thread, NULL, worker_main, w);
    if (rc != 0) {
        snprintf(err, err_cap, "cannot start the %s thread: %s", name, strerror(rc));
        goto fail_thread;
    }
    return w;
fail_thread:
    pthread_cond_destroy(&w->cv);
fail_cond:
    pthread_mutex_destroy(&w->mu);
fail_mutex:
    free(w->db_path);
    free(w);
    return NULL;
}

uint64_t worker_submit(worker *w, worker_job *job)
{
    pthread_mutex_lock(&w->mu);
    if (w->stopping) {
        pthread_mutex_unlock(&w->mu);
        return 0;
    }
    job->id = ++w->next_id;
    job->next = NULL;
    if (w->tail)
        w->tail->next = job;
    else
        w->head = job;
    w->tail = job;
    w->backlog++;
    uint64_t id = job->id;
    pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->mu);
    return id;
}

size_t worker_backlog(worker *w)
{
    pthread_mutex_lock(&w->mu);
    size_t n = w->backlog;
    pthread_mutex_unlock(&w->mu);
    return n;
}

void worker_stop(worker *w)
{
    if (!w)
        return;
    pthread_mutex_lock(&w->mu);
    w->stopping = true;
    pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->mu);
    pthread_join(w->thread, NULL);
    pthread_cond_destroy(&w->cv);
    pthread_mutex_destroy(&w->mu);
    free(w->db_path);
    free(w);
}
