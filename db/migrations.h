/* migrations: the till schema as numbered steps keyed on PRAGMA user_version.
 *
 * Step N (1-based) upgrades a file from user_version N-1 to N.  Steps are append-only: a
 * released step is never edited, a change is a new step (and STORE_SCHEMA_VERSION in
 * store.h goes up by one -- a static assert keeps the two in step).  Each step runs in its own
 * BEGIN IMMEDIATE transaction together with the user_version bump, so a crash mid-upgrade
 * leaves the file at the previous version, never half-migrated. */
#ifndef FUPIN_DB_MIGRATIONS_H
#define FUPIN_DB_MIGRATIONS_H

#include <stddef.h>

struct sqlite3;

/* 'FUPI': written to PRAGMA application_id by step 1 so a foreign SQLite file is recognised. */
#define MIGRATIONS_APPLICATION_ID 0x46555049

/* Bring the file up to `target` (at most STORE_SCHEMA_VERSION, the number of steps this build
 * knows).  Re-reads user_version inside each
 * step's transaction, so two processes opening the same new file at once do not both run a
 * step.  Returns an SQLite result code; on failure msg holds "migration step N: <sqlite>". */
int migrations_apply(struct sqlite3 *db, int target, char *msg, size_t msg_cap);

/* Register the SQL functions steps use (fupin_pinyin_initials).  migrations_apply calls it;
 * exposed for tools that run step SQL by hand.  Returns an SQLite result code. */
int migrations_register_functions(struct sqlite3 *db);

/* PRAGMA user_version of the main database, or -1 with *rc set on error. */
int migrations_user_version(struct sqlite3 *db, int *rc);

#endif
