/* print_queue_internal: the print queue's state, shared by the files of the print_queue module
 * (print_queue.c: the thread and the API that changes jobs; print_queue_read.c: what the
 * screen reads).  Everything under `mu` unless marked as the thread's own. */
#ifndef FUPIN_PERIPHERALS_PRINTER_PRINT_QUEUE_INTERNAL_H
#define FUPIN_PERIPHERALS_PRINTER_PRINT_QUEUE_INTERNAL_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "peripherals/printer/print_queue.h"

typedef struct {
    print_job_info info;
    uint8_t *bytes;
    bool busy;                     /* picked by the thread (under mu): cancel and trim skip it */
    struct timespec expires;       /* drawer kicks: dropped when still pending after this */
} pjob;

struct print_queue {
    print_queue_cfg cfg;
    pthread_t th;
    bool started;
    pthread_mutex_t mu;
    pthread_cond_t cv;

    /* under mu */
    pjob **jobs;                   /* submit order */
    size_t n, cap;
    uint64_t next_id;
    bool stopping, joined, wake;
    device_state dev_state;
    device_err dev_err;
    print_wait cond;
    uint64_t last_done;
    size_t undelivered;            /* callbacks decided under mu, not yet made */

    /* the thread's own */
    const device_ops *ops;
    void *self;
    bool open;
    char name[DEVICE_NAME_CAP];
    int backoff_ms;
    struct timespec next_open, next_probe, next_retry;
};

#endif
