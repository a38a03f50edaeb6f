/* Tests for pos/core/json: strbuf, the writer (compact and pretty), the strict reader (a table
 * of malformed documents), escapes incl. surrogate pairs, the nesting limit, and round trips. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "pos/core/json.h"

static json_value *parse_ok(const char *text)
{
    char err[128];
    json_value *v = json_parse(text, strlen(text), err, sizeof err);
    if (!v)
        fail_msg("parse of %s failed: %s", text, err);
    return v;
}

/* ------------------------------------------------------------------ strbuf */

static void test_strbuf(void **state)
{
    (void)state;
    strbuf sb;
    strbuf_init(&sb);
    assert_non_null(sb.data);
    assert_string_equal(sb.data, ""); /* usable as a C string before any append */
    assert_int_equal(sb.len, 0);
    strbuf_puts(&sb, "abc");
    strbuf_append(&sb, "defgh", 2);
    strbuf_printf(&sb, "-%d-%s", 42, "x");
    strbuf_append(&sb, "", 0);
    strbuf_puts(&sb, NULL);
    assert_string_equal(sb.data, "abcde-42-x");
    assert_int_equal(sb.len, 10);
    assert_false(sb.oom);

    /* Growth across many reallocations, and a printf larger than any internal scratch. */
    for (int i = 0; i < 10000; i++)
        strbuf_printf(&sb, "%04d", i % 10000);
    assert_int_equal(sb.len, 10 + 40000);
    assert_int_equal(strlen(sb.data), sb.len);
    assert_memory_equal(sb.data + 10, "00000001", 8);
    char *big = malloc(5000);
    assert_non_null(big);
    memset(big, 'q', 4999);
    big[4999] = '\0';
    strbuf_printf(&sb, "[%s]", big);
    assert_int_equal(sb.len, 10 + 40000 + 5001);
    assert_int_equal(sb.data[sb.len - 1], ']');
    assert_int_equal(sb.data[sb.len - 2], 'q');
    free(big);

    strbuf_free(&sb);
    assert_string_equal(sb.data, "");
    assert_int_equal(sb.len, 0);
    strbuf_free(&sb); /* double free is harmless */
}

/* ------------------------------------------------------------------ writer */

static void test_writer_compact(void **state)
{
    (void)state;
    strbuf sb;
    strbuf_init(&sb);
    json_writer w;
    json_writer_init(&w, &sb, false);
    json_begin_object(&w);
    json_kv_string(&w, "receipt_no", "YR01-1-20261016-0007");
    json_kv_int(&w, "total_fen", 1152);
    json_kv_int(&w, "rounding_fen", -2);
    json_kv_bool(&w, "poverty_relief", true);
    json_key(&w, "member");
    json_null(&w);
    json_key(&w, "lines");
    json_begin_array(&w);
    json_begin_object(&w);
    json_kv_string(&w, "name", "\xE6\x99\xAE\xE6\xB4\xB1\xE8\x8C\xB6"); /* 普洱茶 passes through */
    json_end_object(&w);
    json_int(&w, INT64_MIN);
    json_int(&w, INT64_MAX);
    json_bool(&w, false);
    json_begin_array(&w);
    json_end_array(&w);
    json_begin_object(&w);
    json_end_object(&w);
    json_end_array(&w);
    json_kv_string(&w, "nothing", NULL);
    json_end_object(&w);
    assert_false(sb.oom);
    assert_string_equal(sb.data,
                        "{\"receipt_no\":\"YR01-1-20261016-0007\",\"total_fen\":1152,"
                        "\"rounding_fen\":-2,\"poverty_relief\":true,\"member\":null,"
                        "\"lines\":[{\"name\":\"\xE6\x99\xAE\xE6\xB4\xB1\xE8\x8C\xB6\"},"
                        "-9223372036854775808,9223372036854775807,false,[],{}],"
                        "\"nothing\":null}");
    strbuf_free(&sb);
}

static void test_writer_pretty(void **state)
{
    (void)state;
    strbuf sb;
    strbuf_init(&sb);
    json_writer w;
    json_writer_init(&w, &sb, true);
    json_begin_object(&w);
    json_kv_int(&w, "a", 1);
    json_key(&w, "b");
    json_begin_array(&w);
    json_int(&w, 2);
    json_begin_object(&w);
    json_end_object(&w);
    json_end_array(&w);
    json_key(&w, "c");
    json_begin_array(&w);
    json_end_array(&w);
    json_end_object(&w);
    assert_string_equal(sb.data, "{\n"
                                 "  \"a\": 1,\n"
                                 "  \"b\": [\n"
                                 "    2,\n"
                                 "    {}\n"
                                 "  ],\n"
                                 "  \"c\": []\n"
                                 "}");
    json_value *v = parse_ok(sb.data);
    assert_int_equal(json_get_int(v, "a", 0), 1);
    json_free(v);
    strbuf_free(&sb);
}

static void test_writer_escapes(void **state)
{
    (void)state;
    strbuf sb;
    strbuf_init(&sb);
    json_writer w;
    json_writer_init(&w, &sb, false);
    json_begin_array(&w);
    json_string(&w, "quote\" back\\ slash/ \b\f\n\r\t \x01\x1f\x7f end");
    json_string(&w, "bad utf8: \xff\xC0\xAF \xED\xA0\x80 ok \xE2\x82\xAC");
    json_end_array(&w);
    assert_string_equal(sb.data,
                        "[\"quote\\\" back\\\\ slash/ \\b\\f\\n\\r\\t \\u0001\\u001f\x7f end\","
                        "\"bad utf8: \xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD "
                        "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD ok \xE2\x82\xAC\"]");
    /* Whatever went in, what comes out is valid JSON. */
    json_value *v = parse_ok(sb.data);
    assert_string_equal(json_at(v, 0)->string,
                        "quote\" back\\ slash/ \b\f\n\r\t \x01\x1f\x7f end");
    json_free(v);
    strbuf_free(&sb);
}

static void test_writer_depth_overflow_marks_failure(void **state)
{
    (void)state;
    strbuf sb;
    strbuf_init(&sb);
    json_writer w;
    json_writer_init(&w, &sb, false);
    for (int i = 0; i < JSON_MAX_DEPTH; i++)
        json_begin_array(&w);
    json_int(&w, 1);
    json_int(&w, 2);
    for (int i = 0; i < JSON_MAX_DEPTH; i++)
        json_end_array(&w);
    assert_false(sb.oom);
    /* The deepest document the writer makes is one the reader accepts. */
    json_value *v = json_parse(sb.data, sb.len, NULL, 0);
    assert_non_null(v);
    json_free(v);
    for (int i = 0; i <= JSON_MAX_DEPTH; i++)
        json_begin_array(&w); /* one level too many for need_comma[] */
    assert_true(sb.oom);
    strbuf_free(&sb);

    strbuf_init(&sb);
    json_writer_init(&w, &sb, false);
    json_end_object(&w); /* unbalanced */
    assert_true(sb.oom);
    strbuf_free(&sb);
}

/* ------------------------------------------------------------------ reader */

static void test_reader_basic(void **state)
{
    (void)state;
    const char *doc = " { \"uuid\": \"abc\", \"total_fen\": 1152, \"neg\": -2,\n"
                      "   \"ok\": true, \"no\": false, \"nil\": null, \"pi\": 3.25,\n"
                      "   \"exp\": 1e3, \"big\": 9223372036854775808,\n"
                      "   \"min\": -9223372036854775808, \"zero\": -0,\n"
                      "   \"lines\": [1, [2, 3], {\"k\": \"v\"}, \"\"], \"empty\": {} } \n";
    json_value *v = parse_ok(doc);
    assert_int_equal(v->type, JSON_OBJECT);
    assert_int_equal(v->n_items, 13);
    /* Members keep file order (callers report "the first bad member"). */
    assert_string_equal(v->keys[0], "uuid");
    assert_string_equal(v->keys[12], "empty");
    assert_string_equal(json_get_string(v, "uuid"), "abc");
    assert_int_equal(json_get_int(v, "total_fen", 0), 1152);
    assert_int_equal(json_get_int(v, "neg", 0), -2);
    assert_true(json_get(v, "ok")->boolean);
    assert_int_equal(json_get(v, "ok")->type, JSON_BOOL);
    assert_false(json_get(v, "no")->boolean);
    assert_int_equal(json_get(v, "nil")->type, JSON_NULL);

    const json_value *pi = json_get(v, "pi");
    assert_int_equal(pi->type, JSON_NUMBER);
    assert_false(pi->is_integer);
    assert_true(pi->number == 3.25);
    assert_int_equal(json_get_int(v, "pi", -7), -7); /* not an integer: default */
    assert_false(json_get(v, "exp")->is_integer);
    assert_true(json_get(v, "exp")->number == 1000.0);
    assert_false(json_get(v, "big")->is_integer); /* does not fit int64 */
    assert_true(json_get(v, "big")->number > 9.2e18);
    assert_true(json_get(v, "min")->is_integer);
    assert_int_equal(json_get(v, "min")->integer, INT64_MIN);
    assert_true(json_get(v, "zero")->is_integer);
    assert_int_equal(json_get(v, "zero")->integer, 0);

    const json_value *lines = json_get(v, "lines");
    assert_int_equal(lines->type, JSON_ARRAY);
    assert_int_equal(lines->n_items, 4);
    assert_int_equal(json_at(lines, 0)->integer, 1);
    assert_int_equal(json_at(json_at(lines, 1), 1)->integer, 3);
    assert_string_equal(json_get_string(json_at(lines, 2), "k"), "v");
    assert_string_equal(json_at(lines, 3)->string, "");
    assert_null(json_at(lines, 4));
    assert_int_equal(json_get(v, "empty")->n_items, 0);

    /* Accessors are NULL-safe and type-checked. */
    assert_null(json_get(v, "absent"));
    assert_null(json_get_string(v, "total_fen"));
    assert_int_equal(json_get_int(v, "uuid", 99), 99);
    assert_int_equal(json_get_int(v, "absent", 99), 99);
    assert_null(json_get(lines, "k"));
    assert_null(json_at(v, 0));
    assert_null(json_get(NULL, "x"));
    assert_null(json_at(NULL, 0));
    assert_null(json_get_string(NULL, "x"));
    assert_int_equal(json_get_int(NULL, "x", 5), 5);
    json_free(v);
    json_free(NULL);
}

static void test_reader_scalars_at_top(void **state)
{
    (void)state;
    json_value *v = parse_ok("42");
    assert_int_equal(v->integer, 42);
    json_free(v);
    v = parse_ok("\"x\"");
    assert_string_equal(v->string, "x");
    json_free(v);
    v = parse_ok(" null ");
    assert_int_equal(v->type, JSON_NULL);
    json_free(v);
    v = parse_ok("-0.5e-2");
    assert_true(v->number == -0.005);
    json_free(v);
}

static void test_reader_escapes(void **state)
{
    (void)state;
    json_value *v = parse_ok("[\"\\\"\\\\\\/\\b\\f\\n\\r\\t\","
                             "\"\\u0041\\u00e9\\u4e2d\\u6587\","
                             "\"\\ud83d\\ude00\","       /* 😀 via a surrogate pair */
                             "\"\\uD834\\uDD1E\","       /* 𝄞, upper-case hex */
                             "\"\xE6\x89\xB6\xE8\xB4\xAB \xF0\x9F\x98\x80\","
                             "\"\\u20ac\\uffff\"]");
    assert_string_equal(json_at(v, 0)->string, "\"\\/\b\f\n\r\t");
    assert_string_equal(json_at(v, 1)->string, "A\xC3\xA9\xE4\xB8\xAD\xE6\x96\x87");
    assert_string_equal(json_at(v, 2)->string, "\xF0\x9F\x98\x80");
    assert_string_equal(json_at(v, 3)->string, "\xF0\x9D\x84\x9E");
    assert_string_equal(json_at(v, 4)->string, "\xE6\x89\xB6\xE8\xB4\xAB \xF0\x9F\x98\x80");
    assert_string_equal(json_at(v, 5)->string, "\xE2\x82\xAC\xEF\xBF\xBF");
    json_free(v);

    /* Escaped keys are unescaped before lookup. */
    v = parse_ok("{\"a\\u0062\": 1}");
    assert_int_equal(json_get_int(v, "ab", 0), 1);
    json_free(v);
}

typedef struct {
    const char *text;
    size_t len; /* 0: strlen */
    const char *err_has;
} bad_case;

/* The reasons are jansson's words (the reader parses with jansson since issue #8); each case
 * still names the cause, and the line/col cases pin where.  jansson reports the column of the
 * last character it read, counted in characters, not bytes. */
static const bad_case bad_cases[] = {
    {"", 0, "empty"},
    {"   \n\t ", 0, "empty"},
    {"{", 0, "line 1 col 1"},
    {"[", 0, "']' expected near end of file"},
    {"[1,", 0, "near end of file"},
    {"[1 2]", 0, "']' expected"},
    {"[1,]", 0, "unexpected token near ']'"},
    {"{\"a\":1,}", 0, "string or '}' expected near '}'"},
    {"{\"a\" 1}", 0, "':' expected"},
    {"{\"a\":}", 0, "unexpected token"},
    {"{a:1}", 0, "string or '}' expected"},
    {"{'a':1}", 0, "string or '}' expected"},
    {"{\"a\":1 \"b\":2}", 0, "'}' expected"},
    {"{\"a\":1,\"a\":2}", 0, "duplicate object key"},
    {"[1]]", 0, "end of file expected"},
    {"{} {}", 0, "end of file expected"},
    {"1 x", 0, "end of file expected"},
    {"nul", 0, "invalid token"},
    {"tru", 0, "invalid token"},
    {"True", 0, "invalid token"},
    {"nulll", 0, "invalid token"},
    {"NaN", 0, "invalid token"},
    {"Infinity", 0, "invalid token"},
    {"-Infinity", 0, "invalid token"},
    {"01", 0, "invalid token"},
    {"-01", 0, "invalid token"},
    {"00", 0, "invalid token"},
    {"+1", 0, "invalid token"},
    {"-", 0, "invalid token"},
    {"1.", 0, "invalid token"},
    {".5", 0, "invalid token"},
    {"1.e5", 0, "invalid token"},
    {"1e", 0, "invalid token"},
    {"1e+", 0, "invalid token"},
    {"0x10", 0, "end of file expected"},
    {"1e999", 0, "real number overflow"},
    /* An integer beyond int64 reads as a double (see test_reader_basic); the column of a later
     * error still counts the caller's text. */
    {"[99999999999999999999, x]", 0, "line 1 col 24: invalid token"},
    {"\"abc", 0, "premature end of input"},
    {"\"abc\\\"", 0, "premature end of input"},
    {"\"a\nb\"", 0, "unexpected newline"},
    {"\"a\tb\"", 0, "control character"},
    {"\"\\x41\"", 0, "invalid escape"},
    {"\"\\'\"", 0, "invalid escape"},
    {"\"\\u12\"", 0, "invalid escape"},
    {"\"\\u12g4\"", 0, "invalid escape"},
    {"\"\\u12", 0, "invalid escape"},
    {"\"\\ud83d\"", 0, "invalid Unicode"},
    {"\"\\ud83dx\"", 0, "invalid Unicode"},
    {"\"\\ud83d\\u0041\"", 0, "invalid Unicode"},
    {"\"\\ude00\"", 0, "invalid Unicode '\\uDE00'"},
    {"\"\\ud83d\\ud83d\"", 0, "invalid Unicode"},
    {"\"\\u0000\"", 0, "\\u0000"},
    {"\"\xff\"", 0, "unable to decode byte"},
    {"\"\xC0\xAF\"", 0, "unable to decode byte"},          /* overlong '/' */
    {"\"\xE0\x80\xAF\"", 0, "unable to decode byte"},      /* overlong */
    {"\"\xED\xA0\x80\"", 0, "unable to decode byte"},      /* UTF-8-encoded surrogate */
    {"\"\xF4\x90\x80\x80\"", 0, "unable to decode byte"},  /* beyond U+10FFFF */
    {"\"\xE6\x89\"", 0, "unable to decode byte"},          /* truncated sequence */
    {"[1,\n 2,\n x]", 0, "line 3 col 2"},
    {"{\"\xE6\x89\xB6\": tru}", 0, "line 1 col 9"}, /* columns count characters (byte 11) */
    {"\xEF\xBB\xBF{}", 0, "invalid token"},   /* BOM is not JSON */
    {"[1]\0", 4, "end of file expected"},    /* embedded NUL after the document */
    {"\"a\0b\"", 5, "control character"},
    {"/* c */ 1", 0, "invalid token"},
};

static void test_reader_rejects(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
        const bad_case *c = &bad_cases[i];
        size_t len = c->len ? c->len : strlen(c->text);
        char err[128] = "untouched";
        json_value *v = json_parse(c->text, len, err, sizeof err);
        if (v) {
            json_free(v);
            fail_msg("case %zu %s: parsed, should have failed", i, c->text);
        }
        if (strncmp(err, "line ", 5) != 0 || !strstr(err, " col "))
            fail_msg("case %zu: error \"%s\" lacks line/col", i, err);
        if (!strstr(err, c->err_has))
            fail_msg("case %zu %s: error \"%s\" lacks \"%s\"", i, c->text, err, c->err_has);
    }
}

static void test_reader_never_reads_past_len(void **state)
{
    (void)state;
    /* Only the first len bytes count, so a truncated buffer fails instead of reading on. */
    const char *doc = "{\"a\": [1, 2, 3]}";
    for (size_t len = 0; len < strlen(doc); len++) {
        char *copy = malloc(len ? len : 1); /* exact size: ASan catches overreads */
        assert_non_null(copy);
        memcpy(copy, doc, len);
        json_value *v = json_parse(copy, len, NULL, 0);
        assert_null(v);
        free(copy);
    }
    json_value *v = json_parse(NULL, 0, NULL, 0);
    assert_null(v);
    char tiny[8];
    v = json_parse("[", 1, tiny, sizeof tiny); /* a short err buffer is truncated, not overrun */
    assert_null(v);
    assert_int_equal(strlen(tiny), sizeof tiny - 1);
}

static char *nested(int depth, char open, char close)
{
    char *s = malloc((size_t)depth * 2 + 1);
    assert_non_null(s);
    memset(s, open, (size_t)depth);
    memset(s + depth, close, (size_t)depth);
    s[depth * 2] = '\0';
    return s;
}

static void test_reader_depth_limit(void **state)
{
    (void)state;
    char err[128];
    char *s = nested(JSON_MAX_DEPTH, '[', ']');
    json_value *v = json_parse(s, strlen(s), err, sizeof err);
    assert_non_null(v);
    const json_value *p = v;
    for (int i = 1; i < JSON_MAX_DEPTH; i++)
        p = json_at(p, 0);
    assert_int_equal(p->type, JSON_ARRAY);
    assert_int_equal(p->n_items, 0);
    json_free(v);
    free(s);

    s = nested(JSON_MAX_DEPTH + 1, '[', ']');
    assert_null(json_parse(s, strlen(s), err, sizeof err));
    assert_non_null(strstr(err, "nesting too deep"));
    free(s);

    /* Hostile depth: no stack overflow, just an error. */
    s = nested(100000, '[', ']');
    assert_null(json_parse(s, strlen(s), err, sizeof err));
    free(s);

    /* Objects count too. */
    strbuf sb;
    strbuf_init(&sb);
    for (int i = 0; i <= JSON_MAX_DEPTH; i++)
        strbuf_puts(&sb, "{\"k\":");
    strbuf_puts(&sb, "1");
    for (int i = 0; i <= JSON_MAX_DEPTH; i++)
        strbuf_puts(&sb, "}");
    assert_null(json_parse(sb.data, sb.len, err, sizeof err));
    assert_non_null(strstr(err, "nesting too deep"));
    strbuf_free(&sb);
}

static void test_reader_partial_failures_free_everything(void **state)
{
    (void)state;
    /* Failures deep inside half-built trees: ASan/LSan report any leak. */
    const char *docs[] = {
        "{\"a\": [1, 2, {\"b\": \"x\", \"c\": [true, false, nul]}]}",
        "[\"s\", \"t\", [\"u\", {\"v\": \"w\", \"v\": 1}]]",
        "{\"a\": \"x\", \"b\": \"y\", \"c\": \"\\uZZZZ\"}",
        "[[[[[[[\"deep\", 1, 2, 3, {\"k\": [\"v\"]}]]]]]]",
        /* Found by tests/fuzz/fuzz_json: an integer beyond int64 before too deep a nesting
         * leaked the pre-scan's list (LSan in the ASan build). */
        "[99999999999999999999, [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
    };
    for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++)
        assert_null(json_parse(docs[i], strlen(docs[i]), NULL, 0));
}

static void test_reader_large_array(void **state)
{
    (void)state;
    strbuf sb;
    strbuf_init(&sb);
    json_writer w;
    json_writer_init(&w, &sb, false);
    json_begin_object(&w);
    json_key(&w, "items");
    json_begin_array(&w);
    for (int i = 0; i < 5000; i++)
        json_int(&w, i * 7 - 3);
    json_end_array(&w);
    for (int i = 0; i < 300; i++) {
        char key[16];
        snprintf(key, sizeof key, "k%d", i);
        json_kv_int(&w, key, i);
    }
    json_end_object(&w);
    json_value *v = parse_ok(sb.data);
    const json_value *items = json_get(v, "items");
    assert_int_equal(items->n_items, 5000);
    for (size_t i = 0; i < 5000; i++)
        assert_int_equal(json_at(items, i)->integer, (int64_t)i * 7 - 3);
    assert_int_equal(json_get_int(v, "k299", -1), 299);
    json_free(v);
    strbuf_free(&sb);
}

/* ------------------------------------------------------------------ round trip */

static void test_round_trip(void **state)
{
    (void)state;
    static const char *const strings[] = {
        "",
        "plain",
        "\xE6\x89\xB6\xE8\xB4\xAB\xE6\x97\xA5 9\xE6\x8A\x98", /* 扶贫日 9折 */
        ("\xEF\xBF\xA5" "12.80"), /* ￥12.80 */
        "tab\tnew\nline\r\"q\" \\ / \x01\x02\x1f",
        "\xF0\x9F\x8D\x9A emoji",
        "\x7f del",
    };
    for (int pretty = 0; pretty <= 1; pretty++) {
        strbuf sb;
        strbuf_init(&sb);
        json_writer w;
        json_writer_init(&w, &sb, pretty);
        json_begin_object(&w);
        json_key(&w, "strings");
        json_begin_array(&w);
        for (size_t i = 0; i < sizeof strings / sizeof strings[0]; i++)
            json_string(&w, strings[i]);
        json_end_array(&w);
        json_key(&w, "key with \"quotes\" and \xE4\xB8\xAD");
        json_int(&w, -1);
        json_kv_int(&w, "max", INT64_MAX);
        json_kv_int(&w, "min", INT64_MIN);
        json_kv_bool(&w, "t", true);
        json_kv_bool(&w, "f", false);
        json_key(&w, "nested");
        json_begin_array(&w);
        for (int d = 0; d < 20; d++)
            json_begin_array(&w);
        json_begin_object(&w);
        json_kv_string(&w, "leaf", "yes");
        json_end_object(&w);
        for (int d = 0; d < 20; d++)
            json_end_array(&w);
        json_end_array(&w);
        json_end_object(&w);
        assert_false(sb.oom);

        json_value *v = parse_ok(sb.data);
        const json_value *arr = json_get(v, "strings");
        assert_int_equal(arr->n_items, sizeof strings / sizeof strings[0]);
        for (size_t i = 0; i < arr->n_items; i++)
            assert_string_equal(json_at(arr, i)->string, strings[i]);
        assert_int_equal(json_get_int(v, "key with \"quotes\" and \xE4\xB8\xAD", 0), -1);
        assert_int_equal(json_get_int(v, "max", 0), INT64_MAX);
        assert_int_equal(json_get_int(v, "min", 0), INT64_MIN);
        assert_true(json_get(v, "t")->boolean);
        assert_false(json_get(v, "f")->boolean);
        const json_value *p = json_get(v, "nested");
        for (int d = 0; d < 21; d++) {
            assert_int_equal(p->type, JSON_ARRAY);
            p = json_at(p, 0);
        }
        assert_string_equal(json_get_string(p, "leaf"), "yes");
        json_free(v);
        strbuf_free(&sb);
    }
}

/* The writer's output for every code point class parses back to the same bytes. */
static void test_round_trip_code_points(void **state)
{
    (void)state;
    const unsigned cps[] = {0x01, 0x1F, 0x20, 0x7F, 0x80, 0x7FF, 0x800, 0xD7FF, 0xE000,
                            0xFFFD, 0xFFFF, 0x10000, 0x10FFFF};
    for (size_t i = 0; i < sizeof cps / sizeof cps[0]; i++) {
        unsigned cp = cps[i];
        char s[5] = {0};
        if (cp < 0x80) {
            s[0] = (char)cp;
        } else if (cp < 0x800) {
            s[0] = (char)(0xC0 | (cp >> 6));
            s[1] = (char)(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            s[0] = (char)(0xE0 | (cp >> 12));
            s[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
            s[2] = (char)(0x80 | (cp & 0x3F));
        } else {
            s[0] = (char)(0xF0 | (cp >> 18));
            s[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
            s[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
            s[3] = (char)(0x80 | (cp & 0x3F));
        }
        strbuf sb;
        strbuf_init(&sb);
        json_writer w;
        json_writer_init(&w, &sb, false);
        json_string(&w, s);
        json_value *v = parse_ok(sb.data);
        assert_string_equal(v->string, s);
        json_free(v);

        /* And the \u form of the same code point decodes to the same UTF-8. */
        char esc[32];
        if (cp >= 0x10000) {
            unsigned c = cp - 0x10000;
            snprintf(esc, sizeof esc, "\"\\u%04x\\u%04X\"", 0xD800 + (c >> 10),
                     0xDC00 + (c & 0x3FF));
        } else {
            snprintf(esc, sizeof esc, "\"\\u%04x\"", cp);
        }
        v = parse_ok(esc);
        assert_string_equal(v->string, s);
        json_free(v);
        strbuf_free(&sb);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_strbuf),
        cmocka_unit_test(test_writer_compact),
        cmocka_unit_test(test_writer_pretty),
        cmocka_unit_test(test_writer_escapes),
        cmocka_unit_test(test_writer_depth_overflow_marks_failure),
        cmocka_unit_test(test_reader_basic),
        cmocka_unit_test(test_reader_scalars_at_top),
        cmocka_unit_test(test_reader_escapes),
        cmocka_unit_test(test_reader_rejects),
        cmocka_unit_test(test_reader_never_reads_past_len),
        cmocka_unit_test(test_reader_depth_limit),
        cmocka_unit_test(test_reader_partial_failures_free_everything),
        cmocka_unit_test(test_reader_large_array),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_round_trip_code_points),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
