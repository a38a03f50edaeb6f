/* fuzz_json: the JSON reader (pos/core/json, jansson underneath) over any bytes.  Properties:
 * an error is "line L col C: reason"; a parsed document written back with our writer parses
 * again to the same tree (reader and writer agree on every string, number and nesting). */
#include "tests/fuzz/fuzz_target.h"

#include "pos/core/json.h"

static void write_value(json_writer *w, const json_value *v)
{
    switch (v->type) {
    case JSON_NULL: json_null(w); break;
    case JSON_BOOL: json_bool(w, v->boolean); break;
    case JSON_NUMBER:
        /* The writer has integers only (money is fen); a fraction is written as a string. */
        if (v->is_integer)
            json_int(w, v->integer);
        else
            json_string(w, "<real>");
        break;
    case JSON_STRING: json_string(w, v->string); break;
    case JSON_ARRAY:
        json_begin_array(w);
        for (size_t i = 0; i < v->n_items; i++)
            write_value(w, &v->items[i]);
        json_end_array(w);
        break;
    case JSON_OBJECT:
        json_begin_object(w);
        for (size_t i = 0; i < v->n_items; i++) {
            json_key(w, v->keys[i]);
            write_value(w, &v->items[i]);
        }
        json_end_object(w);
        break;
    }
}

/* back (parsed from what write_value wrote) is orig, reals aside: they came back as the
 * string "<real>". */
static bool same_written(const json_value *orig, const json_value *back)
{
    if (orig->type == JSON_NUMBER && !orig->is_integer)
        return back->type == JSON_STRING && strcmp(back->string, "<real>") == 0;
    if (orig->type != back->type)
        return false;
    switch (orig->type) {
    case JSON_NULL: return true;
    case JSON_BOOL: return orig->boolean == back->boolean;
    case JSON_NUMBER: return back->is_integer && orig->integer == back->integer;
    case JSON_STRING: return strcmp(orig->string, back->string) == 0;
    case JSON_ARRAY:
    case JSON_OBJECT:
        if (orig->n_items != back->n_items)
            return false;
        for (size_t i = 0; i < orig->n_items; i++) {
            if (orig->type == JSON_OBJECT && strcmp(orig->keys[i], back->keys[i]) != 0)
                return false;
            if (!same_written(&orig->items[i], &back->items[i]))
                return false;
        }
        return true;
    }
    return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[160];
    json_value *v = json_parse((const char *)data, size, err, sizeof err);
    if (!v) {
        FUZZ_TERMINATED(err);
        FUZZ_CHECK(strncmp(err, "line ", 5) == 0 && strstr(err, " col ") != NULL);
        return 0;
    }
    for (int pretty = 0; pretty <= 1; pretty++) {
        strbuf sb;
        strbuf_init(&sb);
        json_writer w;
        json_writer_init(&w, &sb, pretty);
        write_value(&w, v);
        FUZZ_CHECK(!sb.oom);
        json_value *back = json_parse(sb.data, sb.len, err, sizeof err);
        if (!back)
            fprintf(stderr, "re-parse failed: %s\n%s\n", err, sb.data);
        FUZZ_CHECK(back != NULL);
        FUZZ_CHECK(same_written(v, back));
        json_free(back);
        strbuf_free(&sb);
    }
    json_free(v);
    return 0;
}
