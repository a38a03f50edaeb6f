/* csv_table: reading the CSV files the back office hands in (catalog, suppliers, agreements,
 * goods received).  Internal to db/.
 *
 * One reader for all of them, so every file gets the same treatment: a size cap, encoding
 * detection (UTF-8 with or without BOM; otherwise GB18030, which is what Excel on a Chinese
 * Windows saves as "CSV"), a header row mapped to known column names (missing required column,
 * unknown or repeated column = error), trimmed fields, and errors collected as
 * "FILE:LINE: column: reason" -- every bad line at once, because a purchaser fixing a
 * spreadsheet wants the whole list, not one complaint per run. */
#ifndef FUPIN_DB_CSV_TABLE_H
#define FUPIN_DB_CSV_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "pos/core/csv.h"
#include "pos/core/json.h"

#define CT_MAX_FILE (64u << 20)   /* 50,000 products are ~10 MB; refuse anything absurd */

/* ---- error list ---- */

/* An outside file can be wrong on every one of its lines (a 64 MB file of one duplicated SKU
 * is three million errors).  The list keeps the CT_ERRORS_KEPT first ones by (file, line) --
 * what a purchaser fixes first -- and counts the rest, so memory stays bounded and adding is
 * O(log CT_ERRORS_KEPT) whatever order the errors arrive in (a max-heap once full). */
#define CT_ERRORS_KEPT 1000

typedef struct {
    int file_seq;     /* order of the file in a multi-file load */
    int line;
    size_t seq;       /* order of arrival: entries of one line keep it */
    char *text;       /* "FILE:LINE: column: reason" */
} ct_error;

typedef struct {
    ct_error *items;  /* at most CT_ERRORS_KEPT */
    size_t n, cap;
    size_t total;     /* every error added, kept or not: test this, not n, for "any error?" */
    int file_seq;     /* stamped on new entries; bump between files */
    bool oom;
    bool heaped;      /* internal: items form a max-heap (the list is full) */
} errlist;

void errlist_free(errlist *el);
void err_add(errlist *el, const char *file, int line, const char *column, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* Entries sorted by (file, line), stable, one per line ("\n"-separated, no trailing newline);
 * when some were not kept, a last line "(N errors in all; the first K are listed)". */
void errlist_format(errlist *el, strbuf *out);
/* The same into a fixed buffer: whole entries only, then "(N errors in all)" if cut. */
void errlist_copy(errlist *el, char *msg, size_t cap);

/* ---- encodings ---- */

typedef enum {
    CT_ENC_AUTO = 0,   /* BOM or valid UTF-8 -> UTF-8; else GB18030 */
    CT_ENC_UTF8,
    CT_ENC_GB18030,
} ct_encoding;

/* "utf-8" / "utf8" / "gb18030" (case-insensitive); false if unknown. */
bool ct_encoding_parse(const char *name, ct_encoding *out);

/* ---- header-mapped table ---- */

typedef struct {
    const char *name;
    bool required;
} ct_column;

typedef struct {
    const char *path;
    char *data;
    size_t len;
    const char *encoding;       /* "utf-8" or "gb18030": what the file turned out to be */
    bool had_bom;
    csv_reader *r;              /* heap: the reader holds an 8 KB record buffer */
    int col[CSV_MAX_FIELDS];    /* wanted column i -> field index, -1 when absent */
    size_t n_header;
} ct_table;

/* Read, decode and open path; maps the header onto cols.  False (errors added) when the file
 * cannot be used at all.  Always call ct_close. */
bool ct_open(ct_table *t, const char *path, ct_encoding enc, const ct_column *cols, size_t n_cols,
             errlist *el);
/* Next data row: 1 = row (fields trimmed), 0 = end, -1 = unusable row (reported; go on). */
int ct_next(ct_table *t, errlist *el);
/* Line the current row starts on. */
int ct_line(const ct_table *t);
/* Field of wanted column i, "" when the file has no such column. */
const char *ct_field(const ct_table *t, int wanted);
bool ct_has(const ct_table *t, int wanted);
void ct_close(ct_table *t);

/* ---- field checks ---- */

bool ct_all_digits(const char *s);
/* Non-negative decimal integer, digits only (no sign, blanks or '+'), at most max. */
bool ct_parse_uint(const char *s, int64_t max, int64_t *out);
/* "0" or "1". */
bool ct_parse_flag(const char *s, bool *out);
/* Copy a text field: valid UTF-8, fits cap, non-empty if required; reports otherwise. */
bool ct_take_text(errlist *el, const char *file, int line, const char *column, const char *val,
                  char *dst, size_t cap, bool required);
/* Open an outside file for reading, refusing anything that is not a regular file (a FIFO would
 * block the command forever, a device would never end).  NULL with why on failure. */
FILE *ct_open_regular(const char *path, char *why, size_t why_cap);
/* Read a whole regular file (at most max bytes), NUL-terminated.  NULL with why on failure. */
char *ct_read_file(const char *path, size_t max, size_t *len, char *why, size_t why_cap);

#endif
