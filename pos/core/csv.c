/* csv: RFC 4180 reader.  Fields are unescaped into r->buf so callers get plain C strings. */
#include "pos/core/csv.h"

#include <stdio.h>
#include <string.h>

void csv_init(csv_reader *r, const char *data, size_t len)
{
    memset(r, 0, sizeof *r);
    if (!data)
        len = 0;
    r->p = data ? data : "";
    r->end = r->p + len;
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        r->p += 3; /* Excel writes "CSV UTF-8" with a BOM */
    r->line = 1;
}

static int fail(csv_reader *r, const char *msg)
{
    snprintf(r->error, sizeof r->error, "%s", msg);
    r->n_fields = 0;
    return -1;
}

int csv_next(csv_reader *r)
{
    /* Errors are sticky: after a malformed record the position is no longer trustworthy, so
     * an import loop that ignores -1 cannot go on to read misaligned records as data. */
    if (r->error[0])
        return -1;
    r->n_fields = 0;

    /* Blank lines (typically trailing ones left by editors) are not records. */
    for (;;) {
        if (r->p < r->end && *r->p == '\n') {
            r->p++;
            r->line++;
        } else if (r->end - r->p >= 2 && r->p[0] == '\r' && r->p[1] == '\n') {
            r->p += 2;
            r->line++;
        } else {
            break;
        }
    }
    if (r->p >= r->end)
        return 0;

    r->record_line = r->line;
    size_t used = 0;
    const char *p = r->p, *end = r->end;
    int line = r->line;

    for (;;) {
        if (r->n_fields == CSV_MAX_FIELDS)
            return fail(r, "too many fields (at most 64 per record)");
        char *field = r->buf + used;
        if (p < end && *p == '"') {
            p++;
            for (;;) {
                if (p >= end)
                    return fail(r, "unterminated quoted field");
                char c = *p;
                if (c == '"') {
                    if (p + 1 < end && p[1] == '"') {
                        c = '"';
                        p++;
                    } else {
                        p++;
                        break;
                    }
                } else if (c == '\n') {
                    line++;
                }
                if (c == '\0')
                    return fail(r, "NUL byte in field");
                if (used + 1 >= CSV_MAX_RECORD)
                    return fail(r, "record too long");
                r->buf[used++] = c;
                p++;
            }
            if (p < end && *p != ',' && *p != '\n' && !(*p == '\r' && p + 1 < end && p[1] == '\n'))
                return fail(r, "text after a closing quote");
        } else {
            while (p < end && *p != ',' && *p != '\n' &&
                   !(*p == '\r' && p + 1 < end && p[1] == '\n')) {
                if (*p == '\0')
                    return fail(r, "NUL byte in field");
                if (used + 1 >= CSV_MAX_RECORD)
                    return fail(r, "record too long");
                r->buf[used++] = *p++;
            }
        }
        /* used + 1 < CSV_MAX_RECORD was checked before every byte, so the NUL always fits. */
        if (used >= CSV_MAX_RECORD)
            return fail(r, "record too long");
        r->buf[used++] = '\0';
        r->fields[r->n_fields++] = field;

        if (p < end && *p == ',') {
            p++;
            continue;
        }
        if (p < end && *p == '\n') {
            p++;
            line++;
        } else if (p < end && *p == '\r') {
            p += 2; /* the loops above stop on '\r' only when '\n' follows */
            line++;
        }
        break;
    }
    r->p = p;
    r->line = line;
    return 1;
}
