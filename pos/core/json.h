/* json: a small JSON writer (into a growable buffer) and a strict DOM reader.
 *
 * The writer is our own and stays so: the audit chain hashes and the outbox carries bytes it
 * produces, so key order, spacing and escapes must never change under a library upgrade.  It
 * escapes per RFC 8259 and passes UTF-8 through.
 *
 * The reader is for documents the till receives or reads back (basket files, promotion rules,
 * test checks of CLI output, ledger replies).  It parses with jansson (libjansson, a pure
 * parsing library with no I/O of its own, so pos/core stays pure) and hands back plain structs
 * below: duplicate keys refused, \u0000 refused, nesting capped at JSON_MAX_DEPTH, integers
 * beyond int64 refused, never a byte read past len; errors read "line L col C: reason". */
#ifndef FUPIN_CORE_JSON_H
#define FUPIN_CORE_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- growable string buffer ---- */
typedef struct {
    char *data;      /* NUL-terminated */
    size_t len;
    size_t cap;
    bool oom;        /* an allocation failed; data holds what fit */
} strbuf;

void strbuf_init(strbuf *sb);
void strbuf_free(strbuf *sb);
void strbuf_append(strbuf *sb, const char *s, size_t n);
void strbuf_puts(strbuf *sb, const char *s);
void strbuf_printf(strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- writer ---- */
#define JSON_MAX_DEPTH 32
typedef struct {
    strbuf *out;
    int depth;
    bool need_comma[JSON_MAX_DEPTH];
    bool after_key;
    bool pretty;
} json_writer;

void json_writer_init(json_writer *w, strbuf *out, bool pretty);
void json_begin_object(json_writer *w);
void json_end_object(json_writer *w);
void json_begin_array(json_writer *w);
void json_end_array(json_writer *w);
void json_key(json_writer *w, const char *key);
void json_string(json_writer *w, const char *s);
void json_int(json_writer *w, int64_t v);
void json_bool(json_writer *w, bool v);
void json_null(json_writer *w);
/* key + value in one call */
void json_kv_string(json_writer *w, const char *key, const char *s);
void json_kv_int(json_writer *w, const char *key, int64_t v);
void json_kv_bool(json_writer *w, const char *key, bool v);

/* ---- reader ---- */
typedef enum { JSON_NULL, JSON_BOOL, JSON_NUMBER, JSON_STRING, JSON_ARRAY, JSON_OBJECT } json_type;

typedef struct json_value json_value;
struct json_value {
    json_type type;
    bool boolean;
    bool is_integer;       /* the number had no fraction or exponent and fits int64 */
    int64_t integer;
    double number;
    char *string;          /* JSON_STRING (NUL-terminated, UTF-8) */
    size_t n_items;        /* JSON_ARRAY / JSON_OBJECT */
    json_value *items;     /* array elements, or object member values */
    char **keys;           /* JSON_OBJECT member names */
};

/* Parse text[0..len).  NULL on error with a message "line L col C: reason" in err. */
json_value *json_parse(const char *text, size_t len, char *err, size_t err_cap);
void json_free(json_value *v);
const json_value *json_get(const json_value *obj, const char *key);   /* NULL if absent */
const json_value *json_at(const json_value *arr, size_t i);
/* Convenience: integer member, or def when absent / not an integer. */
int64_t json_get_int(const json_value *obj, const char *key, int64_t def);
const char *json_get_string(const json_value *obj, const char *key); /* NULL if not a string */

#endif
