/* store: the till's own SQLite database -- the base of db/ (handle, errors, transactions).
 *
 * The feature modules sit on top, one subsystem per file: settings.h, products.h, search.h,
 * sales.h, refund.h, outbox.h, docstore.h, rules.h, members.h, points.h, stars.h, ...
 *
 * One file per till.  Opened in WAL mode with synchronous=FULL (a committed sale survives a
 * power cut), foreign keys on and a busy timeout.  The schema is created and upgraded by
 * numbered migration steps keyed on PRAGMA user_version; a file from a newer version is refused,
 * never downgraded.  Each business event is one transaction.
 *
 * A store handle is not shared between threads: the UI thread and the commit worker each open
 * their own (WAL lets readers run while the worker writes). */
#ifndef FUPIN_DB_STORE_H
#define FUPIN_DB_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>


typedef struct store store;

typedef enum {
    STORE_OK = 0,
    STORE_ERR_IO,            /* cannot open / read / write the file */
    STORE_ERR_BUSY,          /* locked by another process longer than the busy timeout */
    STORE_ERR_READONLY,      /* file or medium is read-only */
    STORE_ERR_FULL,          /* disk (or quota) full */
    STORE_ERR_NEWER_SCHEMA,  /* written by a newer fupin-pos: refuse, do not downgrade */
    STORE_ERR_CORRUPT,       /* not a database, or integrity check failed */
    STORE_ERR_NOT_FOUND,
    STORE_ERR_INVALID,       /* the data handed in breaks a rule (sale_check, …) */
    STORE_ERR_CONSTRAINT,    /* duplicate key or the like */
    STORE_ERR_INTERNAL,
} store_err;

const char *store_strerror(store_err err);

/* Schema version this build writes. */
#define STORE_SCHEMA_VERSION 8

typedef struct {
    bool create;              /* init: create the file if missing, create the schema in an
                                 empty file, migrate an older one.  false (every other
                                 command): the file must already be a till database of this
                                 version; anything else is refused and left untouched */
    bool read_only;           /* open read-only (reports, checks) */
    int busy_timeout_ms;      /* 0 = default 2000 */
} store_open_opts;

/* Open (and, with opts->create, create or migrate).  msg names the file and the cause on
 * failure: STORE_ERR_IO for a missing path, STORE_ERR_NOT_FOUND for a file that is not a till
 * database (empty, foreign) or needs upgrading -- both tell the user to run `fupin-pos init`. */
store_err store_open(const char *path, const store_open_opts *opts, store **out,
                     char *msg, size_t msg_cap);
void store_close(store *s);
int store_user_version(store *s);
/* The last error text SQLite gave on this handle. */
const char *store_last_error(store *s);

/* Run fn inside one transaction (BEGIN IMMEDIATE … COMMIT, ROLLBACK on any error). */
store_err store_transaction(store *s, store_err (*fn)(store *s, void *ctx), void *ctx);

/* integrity_check + foreign_key_check; STORE_OK or STORE_ERR_CORRUPT with the first problem. */
store_err store_check_integrity(store *s, char *msg, size_t msg_cap);

/* Raw handle for tests and later modules in db/ (not for pos/core or ui). */
struct sqlite3 *store_db(store *s);

#endif
