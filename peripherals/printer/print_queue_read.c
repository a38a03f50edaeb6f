/* print_queue_read: what the screen and the app read of the print queue -- a bounded snapshot,
 * one job by id, counts over every job -- each a consistent view taken under the queue's lock
 * (peripherals/printer/print_queue.h). */
#include "peripherals/printer/print_queue.h"

#include <string.h>

#include "peripherals/printer/print_queue_internal.h"

size_t print_queue_snapshot(print_queue *q, print_job_info *out, size_t cap)
{
    pthread_mutex_lock(&q->mu);
    size_t first = q->n > cap ? q->n - cap : 0;
    size_t k = 0;
    for (size_t i = first; i < q->n; i++)
        out[k++] = q->jobs[i]->info;
    pthread_mutex_unlock(&q->mu);
    return k;
}

bool print_queue_job(print_queue *q, uint64_t id, print_job_info *out)
{
    pthread_mutex_lock(&q->mu);
    const pjob *j = NULL;
    for (size_t i = 0; i < q->n && !j; i++)
        if (q->jobs[i]->info.id == id)
            j = q->jobs[i];
    if (j)
        *out = j->info;
    pthread_mutex_unlock(&q->mu);
    return j != NULL;
}

void print_queue_counts_get(print_queue *q, print_queue_counts *out)
{
    memset(out, 0, sizeof *out);
    pthread_mutex_lock(&q->mu);
    for (size_t i = 0; i < q->n; i++) {
        switch (q->jobs[i]->info.state) {
        case PRINT_QUEUED: out->queued++; break;
        case PRINT_PRINTING: out->printing++; break;
        case PRINT_WAITING:
            out->waiting++;
            out->waiting_receipts += q->jobs[i]->info.kind != PRINT_JOB_DRAWER_KICK;
            if (out->first_wait == PRINT_WAIT_NONE)
                out->first_wait = q->jobs[i]->info.why;
            break;
        case PRINT_DONE: out->done++; break;
        case PRINT_CANCELLED: out->cancelled++; break;
        }
    }
    out->device = q->dev_state;
    out->condition = q->cond;
    out->last_done = q->last_done;
    out->undelivered = q->undelivered;
    pthread_mutex_unlock(&q->mu);
}
