/* commit_worker: see commit_worker.h. */
#include "ui/commit_worker.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SDL.h>

typedef enum { JOB_IDLE, JOB_QUEUED, JOB_RUNNING, JOB_DONE } job_state;

struct commit_worker {
    char db_path[1024];
    uint32_t event_type;
    SDL_Thread *thread;
    SDL_mutex *mu;
    SDL_cond *cv;
    bool stop;
    job_state state;
    /* Job data is written by the UI only in JOB_IDLE and by the worker only in JOB_RUNNING,
     * both under mu for the hand-over, so the big structs are never touched by two threads. */
    sale_doc doc;
    basket cart;
    commit_result result;
    store *db;                 /* the worker's own handle, opened on first use */
};

static void run_job(commit_worker *w)
{
    commit_result *res = &w->result;
    memset(res, 0, sizeof *res);
    if (!w->db) {
        store_open_opts o = {.create = false, .read_only = false, .busy_timeout_ms = 5000};
        store_err se = store_open(w->db_path, &o, &w->db, res->msg, sizeof res->msg);
        if (se != STORE_OK) {
            w->db = NULL;
            if (!res->msg[0]) {
                snprintf(res->msg, sizeof res->msg, "%s", store_strerror(se));
            }
            res->err = TILL_ERR_STORE;
            res->doc = w->doc;
            return;
        }
    }
    res->doc = w->doc;
    res->err = till_commit_prepared(w->db, &res->doc, &w->cart, res->msg, sizeof res->msg);
    if (res->err == TILL_ERR_STORE) {
        /* After an I/O error the handle may be wedged (e.g. the disk came back read-write);
         * reopen on the next attempt rather than retrying on a poisoned connection. */
        store_close(w->db);
        w->db = NULL;
    }
}

static int worker_main(void *arg)
{
    commit_worker *w = arg;
    SDL_LockMutex(w->mu);
    for (;;) {
        while (!w->stop && w->state != JOB_QUEUED) {
            SDL_CondWait(w->cv, w->mu);
        }
        if (w->state != JOB_QUEUED) {
            break;  /* stop requested and nothing queued */
        }
        w->state = JOB_RUNNING;
        SDL_UnlockMutex(w->mu);
        run_job(w);
        SDL_LockMutex(w->mu);
        w->state = JOB_DONE;
        SDL_Event ev;
        SDL_zero(ev);
        ev.type = w->event_type;
        SDL_PushEvent(&ev);   /* thread-safe; wakes SDL_WaitEventTimeout on the UI thread */
    }
    SDL_UnlockMutex(w->mu);
    if (w->db) {
        store_close(w->db);
        w->db = NULL;
    }
    return 0;
}

commit_worker *commit_worker_start(const char *db_path, uint32_t event_type, char *err,
                                   size_t err_cap)
{
    commit_worker *w = calloc(1, sizeof *w);
    if (!w) {
        snprintf(err, err_cap, "out of memory");
        return NULL;
    }
    if (strlen(db_path) >= sizeof w->db_path) {
        snprintf(err, err_cap, "database path too long");
        free(w);
        return NULL;
    }
    snprintf(w->db_path, sizeof w->db_path, "%s", db_path);
    w->event_type = event_type;
    w->mu = SDL_CreateMutex();
    w->cv = SDL_CreateCond();
    if (!w->mu || !w->cv) {
        snprintf(err, err_cap, "cannot create a mutex: %s", SDL_GetError());
        goto fail;
    }
    w->thread = SDL_CreateThread(worker_main, "fupin-commit", w);
    if (!w->thread) {
        snprintf(err, err_cap, "cannot start the commit thread: %s", SDL_GetError());
        goto fail;
    }
    return w;
fail:
    if (w->cv) {
        SDL_DestroyCond(w->cv);
    }
    if (w->mu) {
        SDL_DestroyMutex(w->mu);
    }
    free(w);
    return NULL;
}

bool commit_worker_submit(commit_worker *w, const sale_doc *doc, const basket *cart)
{
    SDL_LockMutex(w->mu);
    bool ok = w->state == JOB_IDLE;
    if (ok) {
        w->doc = *doc;
        w->cart = *cart;
        w->state = JOB_QUEUED;
        SDL_CondSignal(w->cv);
    }
    SDL_UnlockMutex(w->mu);
    return ok;
}

bool commit_worker_take(commit_worker *w, commit_result *out)
{
    SDL_LockMutex(w->mu);
    bool ready = w->state == JOB_DONE;
    if (ready) {
        *out = w->result;
        w->state = JOB_IDLE;
    }
    SDL_UnlockMutex(w->mu);
    return ready;
}

void commit_worker_stop(commit_worker *w)
{
    if (!w) {
        return;
    }
    SDL_LockMutex(w->mu);
    w->stop = true;
    SDL_CondSignal(w->cv);
    SDL_UnlockMutex(w->mu);
    SDL_WaitThread(w->thread, NULL);
    SDL_DestroyCond(w->cv);
    SDL_DestroyMutex(w->mu);
    free(w);
}
