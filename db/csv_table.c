/* csv_table: see csv_table.h. */
#include "db/csv_table.h"

#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pos/core/utf8.h"

/* ---- error list ---- */

void errlist_free(errlist *el)
{
    for (size_t i = 0; i < el->n; i++)
        free(el->items[i].text);
    free(el->items);
    memset(el, 0, sizeof *el);
}

/* Order of the listing: file, then line, then arrival. */
static bool err_before(const ct_error *a, const ct_error *b)
{
    if (a->file_seq != b->file_seq)
        return a->file_seq < b->file_seq;
    if (a->line != b->line)
        return a->line < b->line;
    return a->seq < b->seq;
}

static void heap_sift_down(ct_error *h, size_t n, size_t i)
{
    for (;;) {
        size_t big = i, l = 2 * i + 1, r = l + 1;
        if (l < n && err_before(&h[big], &h[l]))
            big = l;
        if (r < n && err_before(&h[big], &h[r]))
            big = r;
        if (big == i)
            return;
        ct_error tmp = h[i];
        h[i] = h[big];
        h[big] = tmp;
        i = big;
    }
}

void err_add(errlist *el, const char *file, int line, const char *column, const char *fmt, ...)
{
    char reason[320], entry[1024];
    ct_error e = {el->file_seq, line, el->total++, NULL};
    if (el->n == CT_ERRORS_KEPT) {
        /* Full: keep the new entry only if it sorts before the last one kept (the heap top). */
        if (!el->heaped) {
            for (size_t i = el->n / 2; i-- > 0;)
                heap_sift_down(el->items, el->n, i);
            el->heaped = true;
        }
        if (!err_before(&e, &el->items[0]))
            return;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    snprintf(entry, sizeof entry, "%s:%d: %s: %s", file, line, column, reason);
    if (!(e.text = strdup(entry))) {
        el->oom = true;
        return;
    }
    if (el->n == CT_ERRORS_KEPT) {
        free(el->items[0].text);
        el->items[0] = e;
        heap_sift_down(el->items, el->n, 0);
        return;
    }
    if (el->n == el->cap) {
        size_t nc = el->cap ? el->cap * 2 : 16;
        ct_error *ni = realloc(el->items, nc * sizeof *ni);
        if (!ni) {
            free(e.text);
            el->oom = true;
            return;
        }
        el->items = ni;
        el->cap = nc;
    }
    el->items[el->n++] = e;
}

static int cmp_error(const void *a, const void *b)
{
    const ct_error *x = a, *y = b;
    return err_before(x, y) ? -1 : err_before(y, x) ? 1 : 0;
}

/* Sort by (file, line, arrival): a total order, so qsort's instability does not matter. */
static void errlist_sort(errlist *el)
{
    if (el->n > 1)
        qsort(el->items, el->n, sizeof *el->items, cmp_error);
    el->heaped = false;
}

void errlist_format(errlist *el, strbuf *out)
{
    errlist_sort(el);
    for (size_t i = 0; i < el->n; i++) {
        if (i)
            strbuf_puts(out, "\n");
        strbuf_puts(out, el->items[i].text);
    }
    if (el->total > el->n && !el->oom)
        strbuf_printf(out, "%s(%zu errors in all; the first %zu are listed)", el->n ? "\n" : "",
                      el->total, el->n);
    if (el->oom)
        strbuf_puts(out, el->n ? "\n(out of memory: more errors not listed)"
                               : "(out of memory while listing errors)");
}

void errlist_copy(errlist *el, char *msg, size_t cap)
{
    if (!msg || cap == 0)
        return;
    errlist_sort(el);
    size_t len = 0;
    msg[0] = '\0';
    size_t i = 0;
    for (; i < el->n; i++) {
        size_t n = strlen(el->items[i].text) + (i ? 1 : 0);
        /* Whole entries only: a cut-off line would name a line but not say what is wrong.
         * Keep room for the "(N errors in all)" note. */
        if (len + n + 1 + 32 > cap)
            break;
        snprintf(msg + len, cap - len, "%s%s", i ? "\n" : "", el->items[i].text);
        len += n;
    }
    if (i < el->n || el->total > el->n)
        snprintf(msg + len, cap - len, "%s(%zu errors in all)", len ? "\n" : "", el->total);
}

/* ---- encodings ---- */

bool ct_encoding_parse(const char *name, ct_encoding *out)
{
    if (strcasecmp(name, "utf-8") == 0 || strcasecmp(name, "utf8") == 0) {
        *out = CT_ENC_UTF8;
        return true;
    }
    if (strcasecmp(name, "gb18030") == 0) {
        *out = CT_ENC_GB18030;
        return true;
    }
    return false;
}

static int line_of(const char *buf, size_t off)
{
    int line = 1;
    for (size_t i = 0; i < off; i++)
        line += buf[i] == '\n';
    return line;
}

/* GB18030 -> UTF-8 with glibc's iconv.  Newlines map to newlines, so line numbers of the
 * converted text are the file's.  NULL with why/bad_line on failure. */
static char *gb18030_to_utf8(const char *in, size_t in_len, size_t *out_len, int *bad_line,
                             char *why, size_t why_cap)
{
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    if (cd == (iconv_t)-1) {
        snprintf(why, why_cap, "GB18030 conversion unavailable: %s", strerror(errno));
        return NULL;
    }
    /* A GB18030 character is 1, 2 or 4 bytes and becomes at most 4 UTF-8 bytes: 2x + 4 is
     * always enough, so the loop below never needs to grow the buffer. */
    size_t cap = in_len * 2 + 4;
    char *out = malloc(cap + 1);
    if (!out) {
        iconv_close(cd);
        snprintf(why, why_cap, "out of memory");
        return NULL;
    }
    char *ip = (char *)in, *op = out;
    size_t il = in_len, ol = cap;
    size_t rc = iconv(cd, &ip, &il, &op, &ol);
    if (rc != (size_t)-1)
        rc = iconv(cd, NULL, NULL, &op, &ol);   /* flush shift state */
    if (rc == (size_t)-1) {
        int err = errno;
        *bad_line = line_of(in, (size_t)(ip - in));
        snprintf(why, why_cap, "%s at byte %zu",
                 err == EILSEQ   ? "not valid GB18030 text"
                 : err == EINVAL ? "GB18030 text cut off in the middle of a character"
                                 : strerror(err),
                 (size_t)(ip - in) + 1);
        free(out);
        iconv_close(cd);
        return NULL;
    }
    iconv_close(cd);
    *out_len = cap - ol;
    out[*out_len] = '\0';
    return out;
}

/* ---- files ---- */

FILE *ct_open_regular(const char *path, char *why, size_t why_cap)
{
    /* O_NONBLOCK: opening a FIFO for reading otherwise waits for a writer.  The type is then
     * checked with fstat on the descriptor itself, so nothing can be swapped in between a
     * stat of the name and the open (on a regular file O_NONBLOCK changes nothing). */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        snprintf(why, why_cap, "cannot open: %s", strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        snprintf(why, why_cap, "cannot open: %s", strerror(errno));
        close(fd);
        return NULL;
    }
    if (!S_ISREG(st.st_mode)) {
        snprintf(why, why_cap, "not a regular file (%s): only a saved file can be read",
                 S_ISDIR(st.st_mode)    ? "a directory"
                 : S_ISFIFO(st.st_mode) ? "a FIFO"
                 : S_ISSOCK(st.st_mode) ? "a socket"
                                        : "a device");
        close(fd);
        return NULL;
    }
    FILE *f = fdopen(fd, "rb");
    if (!f) {
        snprintf(why, why_cap, "cannot open: %s", strerror(errno));
        close(fd);
    }
    return f;
}

char *ct_read_file(const char *path, size_t max, size_t *len, char *why, size_t why_cap)
{
    FILE *f = ct_open_regular(path, why, why_cap);
    char *buf = NULL;
    size_t n = 0, cap = 0;
    if (!f)
        return NULL;
    for (;;) {
        if (n == cap) {
            if (cap >= max) {
                snprintf(why, why_cap, "larger than %zu bytes", max);
                goto fail;
            }
            cap = cap ? cap * 2 : 65536;
            if (cap > max)
                cap = max;
            char *nb = realloc(buf, cap + 1);
            if (!nb) {
                snprintf(why, why_cap, "out of memory");
                goto fail;
            }
            buf = nb;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0) {
            if (ferror(f)) {
                snprintf(why, why_cap, "read error: %s", strerror(errno));
                goto fail;
            }
            if (n == cap && cap >= max) {
                /* Exactly max bytes read: one more byte would say whether it is too big. */
                if (fgetc(f) != EOF) {
                    snprintf(why, why_cap, "larger than %zu bytes", max);
                    goto fail;
                }
            }
            break;
        }
    }
    fclose(f);
    if (!buf && !(buf = malloc(1))) {
        snprintf(why, why_cap, "out of memory");
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
fail:
    fclose(f);
    free(buf);
    return NULL;
}

/* ---- table ---- */

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
    return s;
}

static bool decode(ct_table *t, ct_encoding enc, errlist *el)
{
    static const char BOM[] = "\xef\xbb\xbf";
    size_t bad = 0;
    t->had_bom = t->len >= 3 && memcmp(t->data, BOM, 3) == 0;
    if (t->had_bom && enc == CT_ENC_GB18030) {
        err_add(el, t->path, 1, "file", "starts with a UTF-8 byte order mark but --encoding gb18030 was given");
        return false;
    }
    if (enc != CT_ENC_GB18030 && utf8_buffer_valid(t->data, t->len, &bad)) {
        t->encoding = "utf-8";
        return true;   /* csv_init skips the BOM */
    }
    if (enc == CT_ENC_UTF8 || t->had_bom) {
        err_add(el, t->path, line_of(t->data, bad), "file",
                "not valid UTF-8 at byte %zu (save the file as UTF-8, or use --encoding gb18030)",
                bad + 1);
        return false;
    }
    char why[160];
    int bad_line = 0;
    size_t out_len = 0;
    char *utf8 = gb18030_to_utf8(t->data, t->len, &out_len, &bad_line, why, sizeof why);
    if (!utf8) {
        err_add(el, t->path, bad_line, "file",
                enc == CT_ENC_AUTO ? "neither UTF-8 nor GB18030: %s" : "%s", why);
        return false;
    }
    free(t->data);
    t->data = utf8;
    t->len = out_len;
    t->encoding = "gb18030";
    return true;
}

bool ct_open(ct_table *t, const char *path, ct_encoding enc, const ct_column *cols, size_t n_cols,
             errlist *el)
{
    char why[160];
    memset(t, 0, sizeof *t);
    t->path = path;
    for (size_t i = 0; i < CSV_MAX_FIELDS; i++)
        t->col[i] = -1;
    if (n_cols > CSV_MAX_FIELDS) {
        err_add(el, path, 0, "file", "internal: too many columns wanted");
        return false;
    }
    t->data = ct_read_file(path, CT_MAX_FILE, &t->len, why, sizeof why);
    if (!t->data) {
        err_add(el, path, 0, "file", "%s", why);
        return false;
    }
    if (memchr(t->data, '\0', t->len)) {
        err_add(el, path, line_of(t->data, (size_t)((char *)memchr(t->data, '\0', t->len) - t->data)),
                "file", "contains NUL bytes: not a text file (UTF-16 is not supported; save as UTF-8)");
        return false;
    }
    if (!decode(t, enc, el))
        return false;
    t->r = malloc(sizeof *t->r);
    if (!t->r) {
        err_add(el, path, 0, "file", "out of memory");
        return false;
    }
    csv_init(t->r, t->data, t->len);
    int rc = csv_next(t->r);
    if (rc <= 0) {
        err_add(el, path, t->r->record_line > 0 ? t->r->record_line : 1, "header", "%s",
                rc < 0 ? t->r->error : "empty file");
        return false;
    }
    t->n_header = t->r->n_fields;
    bool ok = true;
    int line = t->r->record_line;
    for (size_t j = 0; j < t->r->n_fields; j++) {
        const char *h = trim(t->r->fields[j]);
        size_t i = 0;
        while (i < n_cols && strcmp(h, cols[i].name) != 0)
            i++;
        if (i == n_cols) {
            /* A typo in a column name must not silently drop that column's data. */
            err_add(el, path, line, "header", "unknown column \"%.40s\"", h);
            ok = false;
        } else if (t->col[i] >= 0) {
            err_add(el, path, line, "header", "column %s appears twice", h);
            ok = false;
        } else {
            t->col[i] = (int)j;
        }
    }
    for (size_t i = 0; i < n_cols; i++)
        if (cols[i].required && t->col[i] < 0) {
            err_add(el, path, line, "header", "missing column %s", cols[i].name);
            ok = false;
        }
    return ok;
}

int ct_next(ct_table *t, errlist *el)
{
    for (;;) {
        int rc = csv_next(t->r);
        if (rc < 0) {
            err_add(el, t->path, t->r->record_line > 0 ? t->r->record_line : t->r->line, "csv",
                    "%s", t->r->error);
            return 0;   /* the reader cannot resynchronise reliably after a syntax error */
        }
        if (rc == 0)
            return 0;
        if (t->r->n_fields == 1 && trim(t->r->fields[0])[0] == '\0')
            continue;   /* blank line (e.g. trailing newline twice) */
        if (t->r->n_fields != t->n_header) {
            err_add(el, t->path, t->r->record_line, "row", "%zu fields, the header has %zu",
                    t->r->n_fields, t->n_header);
            return -1;
        }
        for (size_t i = 0; i < t->r->n_fields; i++)
            t->r->fields[i] = trim(t->r->fields[i]);
        return 1;
    }
}

int ct_line(const ct_table *t) { return t->r->record_line; }

const char *ct_field(const ct_table *t, int wanted)
{
    return t->col[wanted] >= 0 ? t->r->fields[t->col[wanted]] : "";
}

bool ct_has(const ct_table *t, int wanted) { return t->col[wanted] >= 0; }

void ct_close(ct_table *t)
{
    free(t->data);
    free(t->r);
    t->data = NULL;
    t->r = NULL;
}

/* ---- field checks ---- */

bool ct_all_digits(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return false;
    return true;
}

bool ct_parse_uint(const char *s, int64_t max, int64_t *out)
{
    if (!ct_all_digits(s) || strlen(s) > 18)
        return false;
    int64_t v = 0;
    for (; *s; s++)
        v = v * 10 + (*s - '0');
    if (v > max)
        return false;
    *out = v;
    return true;
}

bool ct_parse_flag(const char *s, bool *out)
{
    if (strcmp(s, "0") == 0 || strcmp(s, "1") == 0) {
        *out = s[0] == '1';
        return true;
    }
    return false;
}

bool ct_take_text(errlist *el, const char *file, int line, const char *column, const char *val,
                  char *dst, size_t cap, bool required)
{
    if (required && !val[0]) {
        err_add(el, file, line, column, "required");
        return false;
    }
    if (!utf8_text_valid(val)) {
        err_add(el, file, line, column, "not valid UTF-8 text (or contains control characters)");
        return false;
    }
    if (strlen(val) >= cap) {
        err_add(el, file, line, column, "longer than %zu bytes", cap - 1);
        return false;
    }
    snprintf(dst, cap, "%s", val);
    return true;
}
