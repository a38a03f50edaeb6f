/* store_open: open a till database, creating and migrating it when asked.
 *
 * Kept apart from the base (db/store.c) because it is the one place that knows the schema
 * steps (db/migrations.c): the base stays free of every feature, and migrations sit between
 * the two.  See store.h for the open modes. */
#include "db/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db/migrations.h"
#include "db/store_internal.h"

store_err store_open(const char *path, const store_open_opts *opts, store **out, char *msg,
                     size_t msg_cap)
{
    store_open_opts defaults = {0};
    store_err e = STORE_OK;
    char buf[64];
    int rc = SQLITE_OK;
    if (msg && msg_cap)
        msg[0] = '\0';
    if (!out || !path) {
        store_set_msg(msg, msg_cap, "store_open: no path");
        return STORE_ERR_INVALID;
    }
    *out = NULL;
    if (!opts)
        opts = &defaults;
    /* Only init creates: a missing path stays missing (SQLite is not asked to create it). */
    if (!opts->create && access(path, F_OK) != 0) {
        store_set_msg(msg, msg_cap, "%s: no till database there (run `fupin-pos init` to create one)",
                path);
        return STORE_ERR_IO;
    }
    store *s = NULL;
    if ((e = store_connect(path, opts, &s))) {
        if (!s) {
            store_set_msg(msg, msg_cap, "out of memory");
            return e;
        }
        goto fail;
    }
    sqlite3 *db = store_db(s);

    /* Look before touching anything: a newer or foreign file must stay byte-identical, and
     * switching to WAL rewrites the header.  Reading the header also makes SQLite notice a file
     * that is not a database at all (SQLITE_NOTADB -> STORE_ERR_CORRUPT). */
    int v = migrations_user_version(db, &rc);
    if (rc != SQLITE_OK) {
        e = store_fail(s, rc);
        goto fail;
    }
    if (v > STORE_SCHEMA_VERSION) {
        e = store_failf(s, STORE_ERR_NEWER_SCHEMA,
                        "database schema version %d is newer than this build's %d", v,
                        STORE_SCHEMA_VERSION);
        goto fail;
    }
    if ((e = store_pragma_text(s, "PRAGMA main.application_id", buf, sizeof buf)))
        goto fail;
    long app_id = strtol(buf, NULL, 10);
    if (app_id != 0 && app_id != MIGRATIONS_APPLICATION_ID) {
        e = store_failf(s, STORE_ERR_CORRUPT, "not a fupin-pos database (application_id %ld)",
                        app_id);
        goto fail;
    }

    /* Only init creates a schema or migrates one.  Every other command refuses a file that is
     * not a till database of this version before anything is written to it: an empty file or
     * a foreign SQLite file stays byte-for-byte as it was (no WAL switch, no tables). */
    if (!opts->create && v < STORE_SCHEMA_VERSION) {
        if (v == 0)
            e = store_failf(s, STORE_ERR_NOT_FOUND,
                            "not a till database (run `fupin-pos init` to create one)");
        else if (opts->read_only)
            e = store_failf(s, STORE_ERR_READONLY,
                            "database needs upgrading from version %d but was opened read-only "
                            "(run `fupin-pos init` to upgrade it)", v);
        else
            e = store_failf(s, STORE_ERR_NOT_FOUND,
                            "till database version %d is older than this build's %d "
                            "(run `fupin-pos init` to upgrade it)", v, STORE_SCHEMA_VERSION);
        goto fail;
    }

    if (!opts->read_only) {
        /* WAL: readers (UI, reports) never block the commit worker, and a commit is one
         * append to the log; synchronous=FULL fsyncs it so a committed sale survives a power
         * cut, not just a process crash. */
        if ((e = store_pragma_text(s, "PRAGMA journal_mode=WAL", buf, sizeof buf)))
            goto fail;
        if (strcmp(buf, "wal") != 0) {
            e = store_failf(s, STORE_ERR_IO, "cannot switch the database to WAL (got %s)", buf);
            goto fail;
        }
    }
    if ((e = store_exec(s, "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;")))
        goto fail;

    if (v < STORE_SCHEMA_VERSION) {
        if (opts->read_only) {
            e = store_failf(s, STORE_ERR_READONLY,
                            "database needs upgrading from version %d but was opened read-only",
                            v);
            goto fail;
        }
        char why[512] = "";
        rc = migrations_apply(db, STORE_SCHEMA_VERSION, why, sizeof why);
        if (rc != SQLITE_OK) {
            e = store_err_from_sqlite(rc);
            if (e == STORE_OK)
                e = STORE_ERR_INTERNAL;
            store_failf(s, e, "%s", why);
            goto fail;
        }
    }
    store_clear_error(s);
    *out = s;
    return STORE_OK;

fail:
    store_set_msg(msg, msg_cap, "%s: %s", path, store_last_error(s));
    store_close(s);
    return e;
}
