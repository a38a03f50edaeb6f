/* evq: a bounded ring of small events, one mutex, one condition variable.  See evq.h. */
#include "pos/app/evq.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

struct evq {
    pthread_mutex_t mu;
    pthread_cond_t nonempty;
    evq_waker waker;
    void *waker_arg;
    size_t cap, head, n;       /* ring: events [head, head + n) mod cap */
    uint64_t dropped;
    evq_event ring[];
};

evq *evq_create(size_t cap)
{
    if (cap == 0 || cap > (SIZE_MAX - sizeof(evq)) / sizeof(evq_event))
        return NULL;
    evq *q = calloc(1, sizeof *q + cap * sizeof(evq_event));
    if (!q)
        return NULL;
    q->cap = cap;
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    /* evq_wait's deadline on the monotonic clock: a clock step must not stretch a wait. */
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    int e1 = pthread_mutex_init(&q->mu, NULL);
    int e2 = pthread_cond_init(&q->nonempty, &ca);
    pthread_condattr_destroy(&ca);
    if (e1 || e2) {
        if (!e1)
            pthread_mutex_destroy(&q->mu);
        if (!e2)
            pthread_cond_destroy(&q->nonempty);
        free(q);
        return NULL;
    }
    return q;
}

void evq_destroy(evq *q)
{
    if (!q)
        return;
    pthread_cond_destroy(&q->nonempty);
    pthread_mutex_destroy(&q->mu);
    free(q);
}

void evq_set_waker(evq *q, evq_waker fn, void *arg)
{
    pthread_mutex_lock(&q->mu);
    q->waker = fn;
    q->waker_arg = arg;
    pthread_mutex_unlock(&q->mu);
}

bool evq_post(evq *q, const evq_event *ev)
{
    pthread_mutex_lock(&q->mu);
    if (q->n == q->cap) {
        q->dropped++;
        pthread_mutex_unlock(&q->mu);
        return false;
    }
    q->ring[(q->head + q->n) % q->cap] = *ev;
    bool was_empty = q->n++ == 0;
    evq_waker fn = q->waker;
    void *arg = q->waker_arg;
    if (was_empty)
        pthread_cond_broadcast(&q->nonempty);
    pthread_mutex_unlock(&q->mu);
    /* Only the post that made the queue non-empty wakes: the consumer drains everything that
     * arrived before it looks, so one wake per batch is enough (bio.c, hotplug.c). */
    if (was_empty && fn)
        fn(arg);
    return true;
}

size_t evq_drain(evq *q, evq_event *out, size_t cap)
{
    pthread_mutex_lock(&q->mu);
    size_t k = q->n < cap ? q->n : cap;
    for (size_t i = 0; i < k; i++)
        out[i] = q->ring[(q->head + i) % q->cap];
    q->head = (q->head + k) % q->cap;
    q->n -= k;
    pthread_mutex_unlock(&q->mu);
    return k;
}

bool evq_wait(evq *q, int timeout_ms)
{
    struct timespec until;
    if (timeout_ms >= 0) {
        clock_gettime(CLOCK_MONOTONIC, &until);
        until.tv_sec += timeout_ms / 1000;
        until.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
    }
    pthread_mutex_lock(&q->mu);
    while (q->n == 0) {
        int rc = timeout_ms < 0 ? pthread_cond_wait(&q->nonempty, &q->mu)
                                : pthread_cond_timedwait(&q->nonempty, &q->mu, &until);
        if (rc == ETIMEDOUT)
            break;
    }
    bool pending = q->n > 0;
    pthread_mutex_unlock(&q->mu);
    return pending;
}

size_t evq_pending(evq *q)
{
    pthread_mutex_lock(&q->mu);
    size_t n = q->n;
    pthread_mutex_unlock(&q->mu);
    return n;
}

uint64_t evq_dropped(evq *q)
{
    pthread_mutex_lock(&q->mu);
    uint64_t d = q->dropped;
    pthread_mutex_unlock(&q->mu);
    return d;
}
