/* log: see log.h.  The threshold is read once from FUPIN_POS_LOG (err, warn, info, debug). */
#include "pos/app/log.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static pthread_once_t once = PTHREAD_ONCE_INIT;
static log_level threshold = LOG_LEVEL_WARN;

static void read_threshold(void)
{
    const char *v = getenv("FUPIN_POS_LOG");
    if (!v)
        return;
    if (strcmp(v, "err") == 0 || strcmp(v, "error") == 0)
        threshold = LOG_LEVEL_ERR;
    else if (strcmp(v, "info") == 0)
        threshold = LOG_LEVEL_INFO;
    else if (strcmp(v, "debug") == 0 || strcmp(v, "dbg") == 0)
        threshold = LOG_LEVEL_DBG;
}

int log_enabled(log_level level)
{
    pthread_once(&once, read_threshold);
    return level <= threshold;
}

void log_write(log_level level, const char *prefix, const char *fmt, ...)
{
    if (!log_enabled(level))
        return;
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    /* One locked write per line: lines from the UI thread and the workers never interleave. */
    flockfile(stderr);
    fprintf(stderr, "fupin-pos: %s: %s\n", prefix, line);
    funlockfile(stderr);
}
