/* log: diagnostics for whoever reads the till's log, one line each, with the module that wrote
 * it (libsigrok's LOG_PREFIX + sr_err).
 *
 * A .c file defines LOG_PREFIX ("worker", "session", "ui", …) and calls log_err / log_warn /
 * log_info / log_dbg; lines go to stderr as "fupin-pos: PREFIX: text".  The level shown is
 * warnings and errors unless FUPIN_POS_LOG says info or debug.  This is not the CLI's user-facing
 * error output (cli_error, whose exact words scripts and tests rely on): it is for things a
 * cashier never reads -- a failed commit's SQLite detail, a dropped event, a device reset.
 * Safe from any thread (one locked write per line). */
#ifndef FUPIN_APP_LOG_H
#define FUPIN_APP_LOG_H

typedef enum { LOG_LEVEL_ERR = 0, LOG_LEVEL_WARN, LOG_LEVEL_INFO, LOG_LEVEL_DBG } log_level;

void log_write(log_level level, const char *prefix, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Whether a level is shown (skip building an expensive message). */
int log_enabled(log_level level);

#define log_err(...) log_write(LOG_LEVEL_ERR, LOG_PREFIX, __VA_ARGS__)
#define log_warn(...) log_write(LOG_LEVEL_WARN, LOG_PREFIX, __VA_ARGS__)
#define log_info(...) log_write(LOG_LEVEL_INFO, LOG_PREFIX, __VA_ARGS__)
#define log_dbg(...) log_write(LOG_LEVEL_DBG, LOG_PREFIX, __VA_ARGS__)

#endif
