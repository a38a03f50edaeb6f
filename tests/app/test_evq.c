/* evq: the app's event queue (pos/app/evq.h) -- FIFO drain, one wake per empty → non-empty,
 * the bound (a full queue refuses and counts), evq_wait's timeout and wake-up, and many
 * producers against one consumer (also built under ThreadSanitizer by scripts/test.sh). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <sched.h>
#include <string.h>
#include <time.h>

#include "pos/app/evq.h"

static int wakes;   /* the waker runs on the producer's thread: these tests post from one */

static void count_wake(void *arg)
{
    (void)arg;
    __atomic_add_fetch(&wakes, 1, __ATOMIC_SEQ_CST);
}

static evq_event ev_of(int64_t v)
{
    evq_event e;
    memset(&e, 0, sizeof e);
    e.kind = EVQ_TEST;
    e.value = v;
    return e;
}

static void test_fifo_and_partial_drain(void **state)
{
    (void)state;
    evq *q = evq_create(8);
    assert_non_null(q);
    for (int i = 1; i <= 5; i++) {
        evq_event e = ev_of(i);
        assert_true(evq_post(q, &e));
    }
    assert_int_equal(evq_pending(q), 5);
    evq_event out[8];
    assert_int_equal(evq_drain(q, out, 2), 2);
    assert_int_equal(out[0].value, 1);
    assert_int_equal(out[1].value, 2);
    /* the ring wraps: three more behind the remaining three */
    for (int i = 6; i <= 8; i++) {
        evq_event e = ev_of(i);
        assert_true(evq_post(q, &e));
    }
    assert_int_equal(evq_drain(q, out, 8), 6);
    for (int i = 0; i < 6; i++)
        assert_int_equal(out[i].value, i + 3);
    assert_int_equal(evq_drain(q, out, 8), 0);
    evq_destroy(q);
}

static void test_wakes_only_on_empty_to_nonempty(void **state)
{
    (void)state;
    evq *q = evq_create(16);
    assert_non_null(q);
    wakes = 0;
    evq_set_waker(q, count_wake, NULL);
    evq_event e = ev_of(1);
    assert_true(evq_post(q, &e));
    assert_int_equal(wakes, 1);
    assert_true(evq_post(q, &e));
    assert_true(evq_post(q, &e));
    assert_int_equal(wakes, 1);          /* the consumer has not drained: no second wake */
    evq_event out[16];
    assert_int_equal(evq_drain(q, out, 1), 1);
    assert_true(evq_post(q, &e));
    assert_int_equal(wakes, 1);          /* still not empty after a partial drain */
    assert_int_equal(evq_drain(q, out, 16), 3);
    assert_true(evq_post(q, &e));
    assert_int_equal(wakes, 2);          /* empty again → the next post wakes */
    evq_set_waker(q, NULL, NULL);
    assert_int_equal(evq_drain(q, out, 16), 1);
    assert_true(evq_post(q, &e));
    assert_int_equal(wakes, 2);          /* no waker registered */
    evq_destroy(q);
}

static void test_bounded_full_refuses_and_counts(void **state)
{
    (void)state;
    evq *q = evq_create(4);
    assert_non_null(q);
    for (int i = 0; i < 4; i++) {
        evq_event e = ev_of(i);
        assert_true(evq_post(q, &e));
    }
    evq_event extra = ev_of(99);
    assert_false(evq_post(q, &extra));
    assert_false(evq_post(q, &extra));
    assert_int_equal(evq_dropped(q), 2);
    assert_int_equal(evq_pending(q), 4);
    evq_event out[8];
    assert_int_equal(evq_drain(q, out, 8), 4);
    for (int i = 0; i < 4; i++)
        assert_int_equal(out[i].value, i);   /* the refused ones never displaced an event */
    assert_true(evq_post(q, &extra));
    evq_destroy(q);
    assert_null(evq_create(0));
}

static int64_t ms_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (int64_t)(t1.tv_sec - t0->tv_sec) * 1000 + (t1.tv_nsec - t0->tv_nsec) / 1000000;
}

static void *post_later(void *arg)
{
    struct timespec d = {0, 50 * 1000 * 1000};
    nanosleep(&d, NULL);
    evq_event e = ev_of(7);
    evq_post(arg, &e);
    return NULL;
}

static void test_wait_times_out_and_wakes(void **state)
{
    (void)state;
    evq *q = evq_create(4);
    assert_non_null(q);
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_false(evq_wait(q, 30));
    assert_true(ms_since(&t0) >= 29);
    /* a post from another thread ends an unbounded wait */
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, post_later, q), 0);
    assert_true(evq_wait(q, -1));
    pthread_join(th, NULL);
    /* pending events: no wait at all, and waiting does not take them */
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_true(evq_wait(q, 5000));
    assert_true(ms_since(&t0) < 1000);
    assert_int_equal(evq_pending(q), 1);
    evq_destroy(q);
}

#define PRODUCERS 4
#define PER_PRODUCER 5000

typedef struct {
    evq *q;
    int id;
} producer_arg;

static void *produce(void *arg)
{
    producer_arg *p = arg;
    for (int i = 0; i < PER_PRODUCER; i++) {
        evq_event e = ev_of(i);
        e.status = p->id;
        while (!evq_post(p->q, &e))
            sched_yield();   /* full: the consumer is awake (the queue is not empty) */
    }
    return NULL;
}

static void test_many_producers_one_consumer(void **state)
{
    (void)state;
    evq *q = evq_create(32);
    assert_non_null(q);
    wakes = 0;
    evq_set_waker(q, count_wake, NULL);
    pthread_t th[PRODUCERS];
    producer_arg args[PRODUCERS];
    for (int i = 0; i < PRODUCERS; i++) {
        args[i] = (producer_arg){q, i};
        assert_int_equal(pthread_create(&th[i], NULL, produce, &args[i]), 0);
    }
    int64_t next[PRODUCERS] = {0};
    int total = 0, drains = 0;
    while (total < PRODUCERS * PER_PRODUCER) {
        assert_true(evq_wait(q, 10000));
        evq_event out[32];
        size_t n = evq_drain(q, out, 32);
        drains++;
        for (size_t i = 0; i < n; i++) {
            int id = out[i].status;
            assert_true(id >= 0 && id < PRODUCERS);
            assert_int_equal(out[i].value, next[id]);   /* each producer's order kept */
            next[id]++;
        }
        total += (int)n;
    }
    for (int i = 0; i < PRODUCERS; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(next[i], PER_PRODUCER);
    }
    assert_int_equal(evq_pending(q), 0);
    /* one wake per empty → non-empty: never more than the consumer found something to drain
     * (each wake is followed by at least one non-empty drain), and at least one */
    assert_true(wakes >= 1);
    assert_true(wakes <= drains);
    evq_destroy(q);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fifo_and_partial_drain),
        cmocka_unit_test(test_wakes_only_on_empty_to_nonempty),
        cmocka_unit_test(test_bounded_full_refuses_and_counts),
        cmocka_unit_test(test_wait_times_out_and_wakes),
        cmocka_unit_test(test_many_producers_one_consumer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
