/* json: growable buffer, streaming writer and strict DOM reader. */
#include "pos/core/json.h"

#include <errno.h>
#include <inttypes.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* Length of a well-formed UTF-8 sequence at s (RFC 3629: no overlongs, no surrogates, at most
 * U+10FFFF), 0 when malformed. */
static size_t utf8_seq_len(const unsigned char *s, size_t avail)
{
    unsigned char c = s[0];
    size_t n;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        n = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        if (c == 0xE0)
            lo = 0xA0;
        else if (c == 0xED)
            hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F;
    } else
        return 0;
    if (avail < n)
        return 0;
    if (s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < n; i++)
        if (s[i] < 0x80 || s[i] > 0xBF)
            return 0;
    return n;
}

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
            size_t n = utf8_seq_len(p, avail);
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

typedef struct {
    const char *text;
    size_t len, pos;
    char *err;
    size_t err_cap;
    bool failed;
} parser;

/* Records the first error only, with a 1-based line and a column counted in characters
 * (UTF-8 continuation bytes skipped) so it matches what an editor shows. */
static void perr(parser *ps, const char *reason)
{
    if (ps->failed)
        return;
    ps->failed = true;
    if (!ps->err || ps->err_cap == 0)
        return;
    size_t line = 1, col = 1;
    size_t upto = ps->pos < ps->len ? ps->pos : ps->len;
    for (size_t i = 0; i < upto; i++) {
        unsigned char c = (unsigned char)ps->text[i];
        if (c == '\n') {
            line++;
            col = 1;
        } else if ((c & 0xC0) != 0x80) {
            col++;
        }
    }
    snprintf(ps->err, ps->err_cap, "line %zu col %zu: %s", line, col, reason);
}

static void skip_ws(parser *ps)
{
    while (ps->pos < ps->len) {
        char c = ps->text[ps->pos];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            break;
        ps->pos++;
    }
}

static bool parse_value(parser *ps, json_value *v, int depth);

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

static bool parse_literal(parser *ps, const char *lit)
{
    size_t n = strlen(lit);
    if (ps->len - ps->pos < n || memcmp(ps->text + ps->pos, lit, n) != 0) {
        perr(ps, "invalid literal");
        return false;
    }
    ps->pos += n;
    return true;
}

static int hex_val(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Four hex digits at ps->pos (after "\u"). */
static bool read_hex4(parser *ps, unsigned *out)
{
    if (ps->len - ps->pos < 4) {
        perr(ps, "truncated \\u escape");
        return false;
    }
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        int h = hex_val(ps->text[ps->pos + (size_t)i]);
        if (h < 0) {
            perr(ps, "invalid hex digit in \\u escape");
            return false;
        }
        v = v * 16 + (unsigned)h;
    }
    ps->pos += 4;
    *out = v;
    return true;
}

static size_t utf8_encode(unsigned cp, char *o)
{
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xC0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | (cp >> 18));
    o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Parses a string at ps->pos (on the opening quote) into a fresh malloc'd buffer.  The
 * unescaped text is never longer than the escaped one, so one allocation of the raw span is
 * enough. */
static char *parse_string(parser *ps)
{
    size_t start = ++ps->pos;
    size_t close = start;
    /* Find the closing quote first to size the buffer (skipping escaped characters). */
    while (close < ps->len && ps->text[close] != '"') {
        if (ps->text[close] == '\\')
            close++;
        close++;
    }
    if (close >= ps->len) {
        perr(ps, "unterminated string");
        return NULL;
    }
    char *out = malloc(close - start + 1);
    if (!out) {
        perr(ps, "out of memory");
        return NULL;
    }
    size_t o = 0;
    while (ps->pos < close) {
        unsigned char c = (unsigned char)ps->text[ps->pos];
        if (c < 0x20) {
            perr(ps, "control character in string");
            goto fail;
        }
        if (c >= 0x80) {
            size_t n = utf8_seq_len((const unsigned char *)ps->text + ps->pos, close - ps->pos);
            if (n == 0) {
                perr(ps, "invalid UTF-8 in string");
                goto fail;
            }
            memcpy(out + o, ps->text + ps->pos, n);
            o += n;
            ps->pos += n;
            continue;
        }
        if (c != '\\') {
            out[o++] = (char)c;
            ps->pos++;
            continue;
        }
        ps->pos++; /* the backslash; close > pos here because the scan above skipped it */
        char e = ps->text[ps->pos++];
        switch (e) {
        case '"': out[o++] = '"'; break;
        case '\\': out[o++] = '\\'; break;
        case '/': out[o++] = '/'; break;
        case 'b': out[o++] = '\b'; break;
        case 'f': out[o++] = '\f'; break;
        case 'n': out[o++] = '\n'; break;
        case 'r': out[o++] = '\r'; break;
        case 't': out[o++] = '\t'; break;
        case 'u': {
            unsigned cp;
            size_t esc_at = ps->pos - 2;
            if (!read_hex4(ps, &cp))
                goto fail;
            if (cp >= 0xDC00 && cp <= 0xDFFF) {
                ps->pos = esc_at;
                perr(ps, "lone low surrogate in \\u escape");
                goto fail;
            }
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                unsigned lo;
                if (close - ps->pos < 6 || ps->text[ps->pos] != '\\' ||
                    ps->text[ps->pos + 1] != 'u') {
                    ps->pos = esc_at;
                    perr(ps, "high surrogate not followed by a low surrogate");
                    goto fail;
                }
                ps->pos += 2;
                if (!read_hex4(ps, &lo))
                    goto fail;
                if (lo < 0xDC00 || lo > 0xDFFF) {
                    ps->pos = esc_at;
                    perr(ps, "high surrogate not followed by a low surrogate");
                    goto fail;
                }
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            }
            /* A NUL would silently cut the C string short: refuse rather than truncate. */
            if (cp == 0) {
                ps->pos = esc_at;
                perr(ps, "\\u0000 is not allowed");
                goto fail;
            }
            /* 6 escaped bytes always yield at most 3, 12 at most 4: fits the buffer. */
            o += utf8_encode(cp, out + o);
            break;
        }
        default:
            ps->pos -= 2;
            perr(ps, "invalid escape in string");
            goto fail;
        }
    }
    out[o] = '\0';
    ps->pos = close + 1;
    return out;
fail:
    free(out);
    return NULL;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool parse_number(parser *ps, json_value *v)
{
    size_t start = ps->pos, p = ps->pos;
    const char *t = ps->text;
    bool neg = false, integer = true;
    if (p < ps->len && t[p] == '-') {
        neg = true;
        p++;
    }
    if (p >= ps->len || !is_digit(t[p])) {
        perr(ps, "invalid number");
        return false;
    }
    if (t[p] == '0' && p + 1 < ps->len && is_digit(t[p + 1])) {
        ps->pos = p;
        perr(ps, "leading zero in number");
        return false;
    }
    /* Accumulate negatively so INT64_MIN is representable. */
    int64_t acc = 0;
    bool fits = true;
    while (p < ps->len && is_digit(t[p])) {
        if (fits && (__builtin_mul_overflow(acc, 10, &acc) ||
                     __builtin_sub_overflow(acc, t[p] - '0', &acc)))
            fits = false;
        p++;
    }
    if (p < ps->len && t[p] == '.') {
        integer = false;
        p++;
        if (p >= ps->len || !is_digit(t[p])) {
            ps->pos = p;
            perr(ps, "digit expected after decimal point");
            return false;
        }
        while (p < ps->len && is_digit(t[p]))
            p++;
    }
    if (p < ps->len && (t[p] == 'e' || t[p] == 'E')) {
        integer = false;
        p++;
        if (p < ps->len && (t[p] == '+' || t[p] == '-'))
            p++;
        if (p >= ps->len || !is_digit(t[p])) {
            ps->pos = p;
            perr(ps, "digit expected in exponent");
            return false;
        }
        while (p < ps->len && is_digit(t[p]))
            p++;
    }
    if (!neg && fits && acc == INT64_MIN)
        fits = false;
    v->type = JSON_NUMBER;
    if (integer && fits) {
        v->is_integer = true;
        v->integer = neg ? acc : -acc;
        v->number = (double)v->integer;
        ps->pos = p;
        return true;
    }
    /* strtod needs a NUL-terminated copy and reads the locale's decimal point; substitute it
     * so a process running under setlocale(LC_ALL, "") still parses "1.5" as 1.5. */
    char buf[320];
    size_t n = p - start;
    const char *dp = localeconv()->decimal_point;
    size_t dpl = dp && *dp ? strlen(dp) : 1;
    if (n + dpl >= sizeof buf) {
        perr(ps, "number too long");
        return false;
    }
    size_t o = 0;
    for (size_t i = start; i < p; i++) {
        if (t[i] == '.' && dp && *dp) {
            memcpy(buf + o, dp, dpl);
            o += dpl;
        } else {
            buf[o++] = t[i];
        }
    }
    buf[o] = '\0';
    char *endp;
    errno = 0;
    double d = strtod(buf, &endp);
    if (endp != buf + o || isinf(d) || isnan(d)) {
        perr(ps, "number out of range");
        return false;
    }
    v->number = d;
    ps->pos = p;
    return true;
}

/* Appends a zeroed slot to v->items (and v->keys for objects), growing geometrically. */
static json_value *push_item(parser *ps, json_value *v, size_t *cap, bool with_key)
{
    if (v->n_items == *cap) {
        size_t ncap = *cap ? *cap * 2 : 4;
        size_t bytes;
        if (__builtin_mul_overflow(ncap, sizeof(json_value), &bytes)) {
            perr(ps, "out of memory");
            return NULL;
        }
        json_value *items = realloc(v->items, bytes);
        if (!items) {
            perr(ps, "out of memory");
            return NULL;
        }
        v->items = items;
        if (with_key) {
            char **keys = realloc(v->keys, ncap * sizeof(char *));
            if (!keys) {
                perr(ps, "out of memory");
                return NULL;
            }
            v->keys = keys;
        }
        *cap = ncap;
    }
    json_value *slot = &v->items[v->n_items];
    memset(slot, 0, sizeof *slot);
    slot->type = JSON_NULL;
    return slot;
}

static bool parse_array(parser *ps, json_value *v, int depth)
{
    size_t cap = 0;
    v->type = JSON_ARRAY;
    ps->pos++; /* [ */
    skip_ws(ps);
    if (ps->pos < ps->len && ps->text[ps->pos] == ']') {
        ps->pos++;
        return true;
    }
    for (;;) {
        json_value *slot = push_item(ps, v, &cap, false);
        if (!slot)
            return false;
        /* Counted before parsing so a half-built element is freed with the array. */
        v->n_items++;
        if (!parse_value(ps, slot, depth + 1))
            return false;
        skip_ws(ps);
        if (ps->pos >= ps->len) {
            perr(ps, "unterminated array");
            return false;
        }
        char c = ps->text[ps->pos];
        if (c == ']') {
            ps->pos++;
            return true;
        }
        if (c != ',') {
            perr(ps, "expected ',' or ']' in array");
            return false;
        }
        ps->pos++;
        skip_ws(ps);
        if (ps->pos < ps->len && ps->text[ps->pos] == ']') {
            perr(ps, "trailing comma in array");
            return false;
        }
    }
}

static bool parse_object(parser *ps, json_value *v, int depth)
{
    size_t cap = 0;
    v->type = JSON_OBJECT;
    ps->pos++; /* { */
    skip_ws(ps);
    if (ps->pos < ps->len && ps->text[ps->pos] == '}') {
        ps->pos++;
        return true;
    }
    for (;;) {
        skip_ws(ps);
        if (ps->pos >= ps->len || ps->text[ps->pos] != '"') {
            perr(ps, ps->pos < ps->len && ps->text[ps->pos] == '}' ? "trailing comma in object"
                                                                     : "expected a string key");
            return false;
        }
        size_t key_at = ps->pos;
        char *key = parse_string(ps);
        if (!key)
            return false;
        /* Duplicate keys make "which value wins" parser-dependent; refuse them. */
        for (size_t i = 0; i < v->n_items; i++) {
            if (strcmp(v->keys[i], key) == 0) {
                free(key);
                ps->pos = key_at;
                perr(ps, "duplicate key in object");
                return false;
            }
        }
        json_value *slot = push_item(ps, v, &cap, true);
        if (!slot) {
            free(key);
            return false;
        }
        v->keys[v->n_items] = key;
        v->n_items++;
        skip_ws(ps);
        if (ps->pos >= ps->len || ps->text[ps->pos] != ':') {
            perr(ps, "expected ':' after key");
            return false;
        }
        ps->pos++;
        if (!parse_value(ps, slot, depth + 1))
            return false;
        skip_ws(ps);
        if (ps->pos >= ps->len) {
            perr(ps, "unterminated object");
            return false;
        }
        char c = ps->text[ps->pos];
        if (c == '}') {
            ps->pos++;
            return true;
        }
        if (c != ',') {
            perr(ps, "expected ',' or '}' in object");
            return false;
        }
        ps->pos++;
    }
}

/* depth counts enclosing containers; a container at depth JSON_MAX_DEPTH would be the 33rd
 * level, which also bounds the recursion on hostile input. */
static bool parse_value(parser *ps, json_value *v, int depth)
{
    skip_ws(ps);
    if (ps->pos >= ps->len) {
        perr(ps, "value expected");
        return false;
    }
    char c = ps->text[ps->pos];
    switch (c) {
    case '{':
    case '[':
        if (depth >= JSON_MAX_DEPTH) {
            perr(ps, "nesting too deep");
            return false;
        }
        return c == '{' ? parse_object(ps, v, depth) : parse_array(ps, v, depth);
    case '"': {
        char *s = parse_string(ps);
        if (!s)
            return false;
        v->type = JSON_STRING;
        v->string = s;
        return true;
    }
    case 't':
        if (!parse_literal(ps, "true"))
            return false;
        v->type = JSON_BOOL;
        v->boolean = true;
        return true;
    case 'f':
        if (!parse_literal(ps, "false"))
            return false;
        v->type = JSON_BOOL;
        v->boolean = false;
        return true;
    case 'n':
        if (!parse_literal(ps, "null"))
            return false;
        v->type = JSON_NULL;
        return true;
    default:
        if (c == '-' || is_digit(c))
            return parse_number(ps, v);
        perr(ps, "unexpected character");
        return false;
    }
}

json_value *json_parse(const char *text, size_t len, char *err, size_t err_cap)
{
    parser ps = {.text = text ? text : "", .len = text ? len : 0, .err = err,
                 .err_cap = err_cap};
    if (err && err_cap > 0)
        err[0] = '\0';
    json_value *root = calloc(1, sizeof *root);
    if (!root) {
        perr(&ps, "out of memory");
        return NULL;
    }
    root->type = JSON_NULL;
    skip_ws(&ps);
    if (ps.pos >= ps.len) {
        perr(&ps, "empty document");
        goto fail;
    }
    if (!parse_value(&ps, root, 0))
        goto fail;
    skip_ws(&ps);
    if (ps.pos < ps.len) {
        perr(&ps, "trailing characters after the document");
        goto fail;
    }
    return root;
fail:
    json_free(root);
    return NULL;
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
