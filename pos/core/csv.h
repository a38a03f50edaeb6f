/* csv: an RFC 4180 reader over a buffer (quotes, doubled quotes, CRLF or LF, embedded newlines),
 * reporting the physical line each record starts on so import errors can say FILE:LINE. */
#ifndef FUPIN_CORE_CSV_H
#define FUPIN_CORE_CSV_H

#include <stdbool.h>
#include <stddef.h>

#define CSV_MAX_FIELDS 64
#define CSV_MAX_RECORD 8192

typedef struct {
    const char *p, *end;
    int line;                         /* line the next record starts on (1-based) */
    char buf[CSV_MAX_RECORD];         /* unescaped field text, NUL-separated */
    char *fields[CSV_MAX_FIELDS];
    size_t n_fields;
    int record_line;                  /* line the last record started on */
    char error[128];
} csv_reader;

/* Skips a UTF-8 BOM at the start. */
void csv_init(csv_reader *r, const char *data, size_t len);
/* Next record into r->fields / r->n_fields.  1 = a record, 0 = end, -1 = error (r->error:
 * unterminated quote, too many fields, record too long, text after a closing quote). */
int csv_next(csv_reader *r);

#endif
