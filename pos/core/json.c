/* json: growable buffer, streaming writer and strict DOM reader. */
#include "pos/core/json.h"

#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pos/core/utf8.h"

/* ===================================================================== strbuf */

/* An empty buffer points at a shared "" so data is always a valid C string, even before the
 * first append; cap == 0 marks it as not ours to free or write. */
static char strbuf_empty[1];

void strbuf_init(strbuf *sb)
{
    sb->data = strbuf_empty;
    sb->len = 0;
    sb->cap = 0;
    sb->oom = false;
}

void strbuf_free(strbuf *sb)
{
    if (sb->cap > 0)
        free(sb->data);
    strbuf_init(sb);
}

/* Room for `extra` more bytes plus the NUL.  Once an allocation fails the buffer stays
 * frozen, so data is always a prefix of what was meant, never a spliced document. */
static bool strbuf_reserve(strbuf *sb, size_t extra)
{
    if (sb->oom)
        return false;
    size_t need;
    if (__builtin_add_overflow(sb->len, extra, &need) || __builtin_add_overflow(need, 1, &need))
        goto fail;
    if (need <= sb->cap)
        return true;
    size_t cap = sb->cap ? sb->cap : 64;
    while (cap < need) {
        if (__builtin_mul_overflow(cap, 2, &cap))
            goto fail;
    }
    char *d = sb->cap > 0 ? realloc(sb->data, cap) : malloc(cap);
    if (!d)
        goto fail;
    if (sb->cap == 0)
        d[0] = '\0';
    sb->data = d;
    sb->cap = cap;
    return true;
fail:
    sb->oom = true;
    return false;
}

void strbuf_append(strbuf *sb, const char *s, size_t n)
{
    if (n == 0)
        return;
    if (!strbuf_reserve(sb, n)) {
        /* Keep what fits in the buffer we already have. */
        if (sb->cap > sb->len + 1) {
            size_t room = sb->cap - sb->len - 1;
            size_t k = n < room ? n : room;
            memcpy(sb->data + sb->len, s, k);
            sb->len += k;
            sb->data[sb->len] = '\0';
        }
        return;
    }
    memcpy(sb->data + sb->len, s, n);
    sb->len += n;
    sb->data[sb->len] = '\0';
}

void strbuf_puts(strbuf *sb, const char *s)
{
    if (s)
        strbuf_append(sb, s, strlen(s));
}

void strbuf_printf(strbuf *sb, const char *fmt, ...)
{
    if (sb->oom)
        return;
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof small) {
        strbuf_append(sb, small, (size_t)n);
        return;
    }
    if (!strbuf_reserve(sb, (size_t)n)) {
        strbuf_append(sb, small, sizeof small - 1);
        return;
    }
    va_start(ap, fmt);
    vsnprintf(sb->data + sb->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    sb->len += (size_t)n;
}

/* ===================================================================== writer */

void json_writer_init(json_writer *w, strbuf *out, bool pretty)
{
    memset(w, 0, sizeof *w);
    w->out = out;
    w->pretty = pretty;
}

static void indent(json_writer *w)
{
    strbuf_append(w->out, "\n", 1);
    for (int i = 0; i < w->depth && i < JSON_MAX_DEPTH; i++)
        strbuf_append(w->out, "  ", 2);
}

/* need_comma[d - 1] belongs to the container at depth d (the top level needs no commas), so
 * the writer nests exactly as deep as the reader accepts. */

/* Comma and indentation before a value or a key; nothing between a key and its value. */
static void before_value(json_writer *w)
{
    if (w->after_key) {
        w->after_key = false;
        return;
    }
    if (w->depth <= 0 || w->depth > JSON_MAX_DEPTH)
        return;
    if (w->need_comma[w->depth - 1])
        strbuf_append(w->out, ",", 1);
    if (w->pretty)
        indent(w);
    w->need_comma[w->depth - 1] = true;
}

static void begin(json_writer *w, char c)
{
    before_value(w);
    strbuf_append(w->out, &c, 1);
    w->depth++;
    /* Deeper than need_comma can track: the document would come out wrong, so it is marked
     * failed the way an allocation failure is, and callers already check oom. */
    if (w->depth > JSON_MAX_DEPTH) {
        w->out->oom = true;
        return;
    }
    w->need_comma[w->depth - 1] = false;
}

static void end(json_writer *w, char c)
{
    if (w->depth <= 0) {
        w->out->oom = true; /* unbalanced end: same reasoning as in begin() */
        return;
    }
    bool had_items = w->depth <= JSON_MAX_DEPTH && w->need_comma[w->depth - 1];
    w->depth--;
    if (w->pretty && had_items)
        indent(w);
    strbuf_append(w->out, &c, 1);
    w->after_key = false;
}

void json_begin_object(json_writer *w) { begin(w, '{'); }
void json_end_object(json_writer *w) { end(w, '}'); }
void json_begin_array(json_writer *w) { begin(w, '['); }
void json_end_array(json_writer *w) { end(w, ']'); }

static void write_escaped(strbuf *sb, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)s;
    size_t avail = strlen(s);
    strbuf_append(sb, "\"", 1);
    while (avail > 0) {
        /* Copy runs of plain bytes in one append. */
        size_t run = 0;
        while (run < avail && p[run] >= 0x20 && p[run] < 0x80 && p[run] != '"' &&
               p[run] != '\\')
            run++;
        if (run > 0) {
            strbuf_append(sb, (const char *)p, run);
            p += run;
            avail -= run;
            continue;
        }
        unsigned char c = *p;
        if (c >= 0x80) {
            size_t n = utf8_sequence_len(p, avail);
            if (n == 0) {
                /* Invalid UTF-8 (a GB18030 name that slipped through) becomes U+FFFD so the
                 * output is still a valid JSON document. */
                strbuf_append(sb, "\xEF\xBF\xBD", 3);
                n = 1;
            } else {
                strbuf_append(sb, (const char *)p, n);
            }
            p += n;
            avail -= n;
            continue;
        }
        char esc[7];
        switch (c) {
        case '"': strbuf_append(sb, "\\\"", 2); break;
        case '\\': strbuf_append(sb, "\\\\", 2); break;
        case '\b': strbuf_append(sb, "\\b", 2); break;
        case '\f': strbuf_append(sb, "\\f", 2); break;
        case '\n': strbuf_append(sb, "\\n", 2); break;
        case '\r': strbuf_append(sb, "\\r", 2); break;
        case '\t': strbuf_append(sb, "\\t", 2); break;
        default:
            memcpy(esc, "\\u00", 4);
            esc[4] = hex[c >> 4];
            esc[5] = hex[c & 15];
            strbuf_append(sb, esc, 6);
            break;
        }
        p++;
        avail--;
    }
    strbuf_append(sb, "\"", 1);
}

void json_key(json_writer *w, const char *key)
{
    before_value(w);
    write_escaped(w->out, key ? key : "");
    strbuf_append(w->out, w->pretty ? ": " : ":", w->pretty ? 2 : 1);
    w->after_key = true;
}

void json_string(json_writer *w, const char *s)
{
    if (!s) {
        json_null(w);
        return;
    }
    before_value(w);
    write_escaped(w->out, s);
}

void json_int(json_writer *w, int64_t v)
{
    before_value(w);
    strbuf_printf(w->out, "%" PRId64, v);
}

void json_bool(json_writer *w, bool v)
{
    before_value(w);
    strbuf_puts(w->out, v ? "true" : "false");
}

void json_null(json_writer *w)
{
    before_value(w);
    strbuf_puts(w->out, "null");
}

void json_kv_string(json_writer *w, const char *key, const char *s)
{
    json_key(w, key);
    json_string(w, s);
}

void json_kv_int(json_writer *w, const char *key, int64_t v)
{
    json_key(w, key);
    json_int(w, v);
}

void json_kv_bool(json_writer *w, const char *key, bool v)
{
    json_key(w, key);
    json_bool(w, v);
}

/* ===================================================================== reader */

/* jansson names its types and constructors like our API (json_type, JSON_OBJECT, json_string,
 * json_null).  Its header is read with those names prefixed jansson_/JANSSON_ so both fit in
 * this one file; below, jansson's node kinds are spelled JANSSON_*, and its json_is_* macros
 * (which would expand to our names) are not used. */
#define json_type jansson_type
#define JSON_OBJECT JANSSON_OBJECT
#define JSON_ARRAY JANSSON_ARRAY
#define JSON_STRING JANSSON_STRING
#define JSON_INTEGER JANSSON_INTEGER
#define JSON_REAL JANSSON_REAL
#define JSON_TRUE JANSSON_TRUE
#define JSON_FALSE JANSSON_FALSE
#define JSON_NULL JANSSON_NULL
#define json_string jansson_string
#define json_null jansson_null
#include <jansson.h>
#undef json_type
#undef JSON_OBJECT
#undef JSON_ARRAY
#undef JSON_STRING
#undef JSON_INTEGER
#undef JSON_REAL
#undef JSON_TRUE
#undef JSON_FALSE
#undef JSON_NULL
#undef json_string
#undef json_null

/* The reader is jansson (json_loadb) turned into our own DOM once, so callers keep plain
 * structs and never see a json_t.  What we add on top: a nesting cap tighter than jansson's
 * compiled-in 2048, an "empty document" message, and the "line L col C: reason" format. */

static void reader_error(char *err, size_t err_cap, int line, int col, const char *reason)
{
    if (err && err_cap > 0)
        snprintf(err, err_cap, "line %d col %d: %s", line, col, reason);
}

/* 1-based line and column of byte `at`, the column counted in characters (UTF-8
 * continuation bytes skipped) like jansson and an editor count them. */
static void position_of(const char *text, size_t at, int *line, int *col)
{
    int l = 1, c = 1;
    for (size_t i = 0; i < at; i++) {
        unsigned char b = (unsigned char)text[i];
        if (b == '\n') {
            l++;
            c = 1;
        } else if ((b & 0xC0) != 0x80 && c < INT_MAX) {
            c++;
        }
    }
    *line = l;
    *col = c;
}

/* What one lexical pass over the input finds before jansson sees it: the first bracket that
 * would open a container deeper than JSON_MAX_DEPTH, and the integers that do not fit int64.
 * Strings are skipped. */
typedef struct {
    bool too_deep;
    size_t deep_at;     /* offset of that bracket */
    size_t n_big;       /* integers beyond int64 ... */
    size_t *big_end;    /* ... and the offset just past each (NULL if n_big == 0) */
    bool oom;
} prescan;

/* An integer token (an optional '-' and digits, no fraction or exponent) beyond int64. */
static bool integer_overflows(const char *t, size_t n)
{
    size_t i = 0;
    bool neg = n > 0 && t[0] == '-';
    if (neg)
        i++;
    if (i == n)
        return false;
    int64_t acc = 0; /* accumulated negatively so INT64_MIN fits */
    for (; i < n; i++) {
        if (t[i] < '0' || t[i] > '9')
            return false;
        if (__builtin_mul_overflow(acc, 10, &acc) || __builtin_sub_overflow(acc, t[i] - '0', &acc))
            return true;
    }
    return !neg && acc == INT64_MIN;
}

static void scan_input(const char *text, size_t len, prescan *ps)
{
    memset(ps, 0, sizeof *ps);
    int depth = 0;
    size_t cap = 0;
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        if (c == '"') {
            for (i++; i < len && text[i] != '"'; i++)
                if (text[i] == '\\')
                    i++;
        } else if (c == '[' || c == '{') {
            if (++depth > JSON_MAX_DEPTH) {
                ps->too_deep = true;
                ps->deep_at = i;
                return;
            }
        } else if ((c == ']' || c == '}') && depth > 0) {
            depth--;
        } else if (c == '-' || (c >= '0' && c <= '9')) {
            size_t start = i;
            while (i + 1 < len && strchr("0123456789+-.eE", text[i + 1]) && text[i + 1] != '\0')
                i++;
            if (!integer_overflows(text + start, i + 1 - start))
                continue;
            if (ps->n_big == cap) {
                size_t ncap = cap ? cap * 2 : 4;
                size_t *grown = realloc(ps->big_end, ncap * sizeof *grown);
                if (!grown) {
                    ps->oom = true;
                    return;
                }
                ps->big_end = grown;
                cap = ncap;
            }
            ps->big_end[ps->n_big++] = i + 1;
        }
    }
}

/* jansson refuses integers beyond int64 ("too big integer"); this reader has always read them
 * as a double with is_integer false.  So a copy of the input gets ".0" after each such
 * integer, which strtod reads as the same value.  Returns NULL when out of memory. */
static char *widen_big_integers(const char *text, size_t len, const prescan *ps, size_t *out_len)
{
    size_t n = len + 2 * ps->n_big;
    char *out = malloc(n);
    if (!out)
        return NULL;
    size_t from = 0, o = 0;
    for (size_t k = 0; k < ps->n_big; k++) {
        memcpy(out + o, text + from, ps->big_end[k] - from);
        o += ps->big_end[k] - from;
        memcpy(out + o, ".0", 2);
        o += 2;
        from = ps->big_end[k];
    }
    memcpy(out + o, text + from, len - from);
    *out_len = n;
    return out;
}

/* A byte offset in the widened copy back to the offset in the caller's text. */
static size_t unwiden_offset(size_t pos, const prescan *ps)
{
    size_t orig = pos;
    for (size_t k = 0; k < ps->n_big; k++) {
        size_t inserted_at = ps->big_end[k] + 2 * k;
        if (pos > inserted_at)
            orig -= pos - inserted_at < 2 ? pos - inserted_at : 2;
    }
    return orig;
}

static void free_contents(json_value *v)
{
    if (v->type == JSON_STRING) {
        free(v->string);
    } else if (v->type == JSON_ARRAY || v->type == JSON_OBJECT) {
        for (size_t i = 0; i < v->n_items; i++) {
            free_contents(&v->items[i]);
            if (v->keys)
                free(v->keys[i]);
        }
        free(v->items);
        free(v->keys);
    }
}

void json_free(json_value *v)
{
    if (!v)
        return;
    free_contents(v);
    free(v);
}

/* Fills *v from j.  On failure (out of memory) *v holds what was built so far and is freed by
 * the caller with the rest of the tree: every slot is zeroed and counted before it is filled. */
static bool convert(const json_t *j, json_value *v)
{
    memset(v, 0, sizeof *v);
    switch (json_typeof(j)) {
    case JANSSON_OBJECT: {
        v->type = JSON_OBJECT;
        size_t n = json_object_size(j);
        if (n == 0)
            return true;
        v->items = calloc(n, sizeof *v->items);
        v->keys = calloc(n, sizeof *v->keys);
        if (!v->items || !v->keys)
            return false;
        const char *key;
        json_t *member;
        /* jansson keeps members in insertion order (since 2.8), so callers see file order. */
        json_object_foreach((json_t *)j, key, member) {
            size_t i = v->n_items++;
            v->keys[i] = strdup(key);
            if (!v->keys[i] || !convert(member, &v->items[i]))
                return false;
        }
        return true;
    }
    case JANSSON_ARRAY: {
        v->type = JSON_ARRAY;
        size_t n = json_array_size(j);
        if (n == 0)
            return true;
        v->items = calloc(n, sizeof *v->items);
        if (!v->items)
            return false;
        for (size_t i = 0; i < n; i++) {
            v->n_items++;
            if (!convert(json_array_get(j, i), &v->items[i]))
                return false;
        }
        return true;
    }
    case JANSSON_STRING:
        v->type = JSON_STRING;
        v->string = strdup(json_string_value(j));
        return v->string != NULL;
    case JANSSON_INTEGER:
        v->type = JSON_NUMBER;
        v->is_integer = true;
        v->integer = (int64_t)json_integer_value(j);
        v->number = (double)v->integer;
        return true;
    case JANSSON_REAL:
        v->type = JSON_NUMBER;
        v->number = json_real_value(j);
        return true;
    case JANSSON_TRUE:
    case JANSSON_FALSE:
        v->type = JSON_BOOL;
        v->boolean = json_typeof(j) == JANSSON_TRUE;
        return true;
    case JANSSON_NULL:
        v->type = JSON_NULL;
        return true;
    }
    return false;
}

json_value *json_parse(const char *text, size_t len, char *err, size_t err_cap)
{
    if (err && err_cap > 0)
        err[0] = '\0';
    if (!text) {
        text = "";
        len = 0;
    }
    int line, col;
    size_t at = 0;
    while (at < len && (text[at] == ' ' || text[at] == '\t' || text[at] == '\n' ||
                        text[at] == '\r'))
        at++;
    if (at == len) {
        position_of(text, at, &line, &col);
        reader_error(err, err_cap, line, col, "empty document");
        return NULL;
    }
    prescan scan;
    scan_input(text, len, &scan);
    if (scan.too_deep) {
        free(scan.big_end);
        position_of(text, scan.deep_at, &line, &col);
        reader_error(err, err_cap, line, col, "nesting too deep");
        return NULL;
    }
    const char *doc = text;
    size_t doc_len = len;
    char *widened = NULL;
    if (scan.n_big > 0) {
        widened = widen_big_integers(text, len, &scan, &doc_len);
        doc = widened;
    }
    if (scan.oom || (scan.n_big > 0 && !widened)) {
        free(scan.big_end);
        reader_error(err, err_cap, 1, 1, "out of memory");
        return NULL;
    }
    /* Duplicate keys make "which value wins" parser-dependent: refuse them.  DECODE_ANY lets
     * a scalar stand alone; \u0000 stays refused (no JSON_ALLOW_NUL) so C strings never cut
     * short. */
    json_error_t je;
    json_t *root = json_loadb(doc, doc_len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &je);
    if (!root) {
        line = je.line;
        col = je.column;
        if (widened && je.position >= 0) {
            /* jansson's column is that of the last character it read. */
            position_of(text, unwiden_offset((size_t)je.position, &scan), &line, &col);
            col = col > 1 ? col - 1 : 1;
        }
        reader_error(err, err_cap, line, col, je.text);
    }
    free(widened);
    free(scan.big_end);
    if (!root)
        return NULL;
    json_value *v = malloc(sizeof *v);
    bool ok = v && convert(root, v);
    json_decref(root);
    if (!ok) {
        if (v)
            json_free(v);
        reader_error(err, err_cap, 1, 1, "out of memory");
        return NULL;
    }
    return v;
}

const json_value *json_get(const json_value *obj, const char *key)
{
    if (!obj || obj->type != JSON_OBJECT || !key)
        return NULL;
    for (size_t i = 0; i < obj->n_items; i++)
        if (strcmp(obj->keys[i], key) == 0)
            return &obj->items[i];
    return NULL;
}

const json_value *json_at(const json_value *arr, size_t i)
{
    if (!arr || arr->type != JSON_ARRAY || i >= arr->n_items)
        return NULL;
    return &arr->items[i];
}

int64_t json_get_int(const json_value *obj, const char *key, int64_t def)
{
    const json_value *v = json_get(obj, key);
    return v && v->type == JSON_NUMBER && v->is_integer ? v->integer : def;
}

const char *json_get_string(const json_value *obj, const char *key)
{
    const json_value *v = json_get(obj, key);
    return v && v->type == JSON_STRING ? v->string : NULL;
}
