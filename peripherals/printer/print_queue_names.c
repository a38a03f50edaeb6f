/* print_queue_names: the print queue's names and error texts (peripherals/printer/print_queue.h),
 * apart from the thread's code so print_queue.c stays about the queue. */
#include "peripherals/printer/print_queue.h"

const char *print_strerror(print_err e)
{
    switch (e) {
    case PRINT_OK: return "ok";
    case PRINT_ERR_NO_MEMORY: return "out of memory";
    case PRINT_ERR_TOO_BIG: return "print job empty or too big";
    case PRINT_ERR_FULL: return "too many print jobs waiting";
    case PRINT_ERR_STOPPING: return "the print queue is stopping";
    case PRINT_ERR_NO_SUCH_JOB: return "no such print job";
    case PRINT_ERR_JOB_STATE: return "the print job is not in a state that allows this";
    case PRINT_ERR_THREAD: return "cannot start the print thread";
    }
    return "unknown print error";
}

const char *print_job_kind_name(print_job_kind k)
{
    switch (k) {
    case PRINT_JOB_RECEIPT: return "receipt";
    case PRINT_JOB_REPRINT: return "reprint";
    case PRINT_JOB_DRAWER_KICK: return "drawer-kick";
    }
    return "unknown";
}

const char *print_job_state_name(print_job_state s)
{
    switch (s) {
    case PRINT_QUEUED: return "queued";
    case PRINT_PRINTING: return "printing";
    case PRINT_WAITING: return "waiting";
    case PRINT_DONE: return "done";
    case PRINT_CANCELLED: return "cancelled";
    }
    return "unknown";
}

const char *print_wait_name(print_wait w)
{
    switch (w) {
    case PRINT_WAIT_NONE: return "";
    case PRINT_WAIT_MISSING: return "printer missing";
    case PRINT_WAIT_OFFLINE: return "printer offline";
    case PRINT_WAIT_COVER_OPEN: return "cover open";
    case PRINT_WAIT_PAPER_OUT: return "paper out";
    case PRINT_WAIT_TIMEOUT: return "write timed out";
    case PRINT_WAIT_IO: return "printer I/O error";
    case PRINT_WAIT_PAPER_NEAR_END: return "paper near end";
    }
    return "unknown";
}
