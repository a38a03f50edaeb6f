/* promo_store: rules, members, points journal, consumption stars (see promo_store.h). */
#include "db/promo_store.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db/audit.h"
#include "db/csv_table.h"
#include "db/products.h"
#include "db/settings.h"
#include "db/store_internal.h"
#include "pos/core/bizday.h"

#define COPY(dst, src) snprintf((dst), sizeof(dst), "%s", (src))

/* ================================================================== rule codec (decode) */

typedef struct {
    char *why;
    size_t cap;
    char rule[64];        /* "rule \"ID\"" or "rule #N" */
} cerr;

__attribute__((format(printf, 3, 4)))
static bool bad(cerr *c, const char *field, const char *fmt, ...)
{
    if (!c->why || c->cap == 0)
        return false;
    int n = snprintf(c->why, c->cap, "%s: %s: ", c->rule, field);
    if (n < 0 || (size_t)n >= c->cap)
        return false;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->why + n, c->cap - (size_t)n, fmt, ap);
    va_end(ap);
    return false;
}

/* v must be an object whose keys are all in allowed (NULL-terminated); duplicates refused. */
static bool only_keys(cerr *c, const json_value *v, const char *field,
                      const char *const *allowed)
{
    if (!v || v->type != JSON_OBJECT)
        return bad(c, field, "expected an object");
    for (size_t i = 0; i < v->n_items; i++) {
        bool ok = false;
        for (const char *const *a = allowed; *a && !ok; a++)
            ok = strcmp(v->keys[i], *a) == 0;
        if (!ok)
            return bad(c, field, "unknown key \"%.40s\"", v->keys[i]);
        for (size_t j = 0; j < i; j++)
            if (strcmp(v->keys[i], v->keys[j]) == 0)
                return bad(c, field, "key \"%.40s\" given twice", v->keys[i]);
    }
    return true;
}

static void join(char *out, size_t cap, const char *a, const char *b)
{
    snprintf(out, cap, "%s%s%s", a, a[0] ? "." : "", b);
}

/* Integer member in [min, max]; absent leaves *out alone unless required. */
static bool get_int(cerr *c, const json_value *o, const char *path, const char *key, int64_t min,
                    int64_t max, bool required, int64_t *out)
{
    char f[96];
    join(f, sizeof f, path, key);
    const json_value *v = json_get(o, key);
    if (!v)
        return required ? bad(c, f, "missing") : true;
    if (v->type != JSON_NUMBER || !v->is_integer)
        return bad(c, f, "expected a whole number");
    if (v->integer < min || v->integer > max)
        return bad(c, f, "%lld is outside %lld..%lld", (long long)v->integer, (long long)min,
                   (long long)max);
    *out = v->integer;
    return true;
}

static bool get_int32(cerr *c, const json_value *o, const char *path, const char *key, int min,
                      int max, bool required, int *out)
{
    int64_t v = *out;
    if (!get_int(c, o, path, key, min, max, required, &v))
        return false;
    *out = (int)v;
    return true;
}

static bool get_bool(cerr *c, const json_value *o, const char *path, const char *key, bool *out)
{
    char f[96];
    join(f, sizeof f, path, key);
    const json_value *v = json_get(o, key);
    if (!v)
        return true;
    if (v->type != JSON_BOOL)
        return bad(c, f, "expected true or false");
    *out = v->boolean;
    return true;
}

static bool text_value(cerr *c, const json_value *v, const char *f, char *dst, size_t cap)
{
    if (!v || v->type != JSON_STRING)
        return bad(c, f, "expected a string");
    if (!v->string[0])
        return bad(c, f, "empty");
    if (!ct_text_valid(v->string))
        return bad(c, f, "not valid UTF-8 text (or contains control characters)");
    if (strlen(v->string) >= cap)
        return bad(c, f, "longer than %zu bytes", cap - 1);
    memcpy(dst, v->string, strlen(v->string) + 1);
    return true;
}

static bool get_text(cerr *c, const json_value *o, const char *path, const char *key,
                     bool required, char *dst, size_t cap)
{
    char f[96];
    join(f, sizeof f, path, key);
    const json_value *v = json_get(o, key);
    if (!v)
        return required ? bad(c, f, "missing") : true;
    return text_value(c, v, f, dst, cap);
}

static const char *const WEEKDAY_NAMES[7] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

/* "HH:MM" (00:00 .. 24:00) -> minutes. */
static bool parse_hhmm(const char *s, int *out)
{
    if (strlen(s) != 5 || s[2] != ':')
        return false;
    for (int i = 0; i < 5; i++)
        if (i != 2 && (s[i] < '0' || s[i] > '9'))
            return false;
    int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
    if (m > 59 || h > 24 || (h == 24 && m != 0))
        return false;
    *out = h * 60 + m;
    return true;
}

static bool decode_anchor(cerr *c, const json_value *o, const char *key, bool *has, int *month,
                          int *day)
{
    const json_value *a = json_get(o, key);
    if (!a)
        return true;
    char f[64];
    snprintf(f, sizeof f, "schedule.%s", key);
    static const char *const keys[] = {"month", "day", NULL};
    if (!only_keys(c, a, f, keys))
        return false;
    *has = true;
    return get_int32(c, a, f, "month", 1, 12, true, month) &&
           get_int32(c, a, f, "day", 1, strcmp(key, "lunar") == 0 ? 30 : 31, true, day);
}

static bool decode_schedule(cerr *c, const json_value *o, promo_schedule *s)
{
    static const char *const keys[] = {"weekdays", "from", "to", "solar", "lunar",
                                       "before", "after", "time", NULL};
    if (!only_keys(c, o, "schedule", keys))
        return false;
    const json_value *wd = json_get(o, "weekdays");
    if (wd) {
        if (wd->type != JSON_ARRAY || wd->n_items == 0)
            return bad(c, "schedule.weekdays", "expected a non-empty list such as [\"fri\"]");
        for (size_t i = 0; i < wd->n_items; i++) {
            char f[48];
            snprintf(f, sizeof f, "schedule.weekdays[%zu]", i);
            const json_value *d = &wd->items[i];
            int found = -1;
            for (int k = 0; d->type == JSON_STRING && k < 7; k++)
                if (strcmp(d->string, WEEKDAY_NAMES[k]) == 0)
                    found = k;
            if (found < 0)
                return bad(c, f, "expected one of sun mon tue wed thu fri sat");
            if (s->weekdays & PROMO_WEEKDAY(found))
                return bad(c, f, "\"%s\" given twice", WEEKDAY_NAMES[found]);
            s->weekdays |= (uint8_t)PROMO_WEEKDAY(found);
        }
    }
    for (int k = 0; k < 2; k++) {
        const char *key = k ? "to" : "from";
        char *dst = k ? s->to : s->from;
        const json_value *v = json_get(o, key);
        char f[48];
        snprintf(f, sizeof f, "schedule.%s", key);
        if (v && (v->type != JSON_STRING || !bizday_valid_day(v->string)))
            return bad(c, f, "expected a date YYYY-MM-DD");
        if (v)
            memcpy(dst, v->string, 11);
    }
    if (!decode_anchor(c, o, "solar", &s->has_solar, &s->solar_month, &s->solar_day) ||
        !decode_anchor(c, o, "lunar", &s->has_lunar, &s->lunar_month, &s->lunar_day))
        return false;
    if (s->has_solar && s->has_lunar)
        return bad(c, "schedule", "solar and lunar cannot both be given");
    if (!get_int32(c, o, "schedule", "before", 0, 31, false, &s->span_before) ||
        !get_int32(c, o, "schedule", "after", 0, 31, false, &s->span_after))
        return false;
    if ((s->span_before || s->span_after) && !s->has_solar && !s->has_lunar)
        return bad(c, "schedule.before", "before/after need a solar or lunar date");
    const json_value *t = json_get(o, "time");
    if (t) {
        static const char *const tkeys[] = {"start", "end", NULL};
        if (!only_keys(c, t, "schedule.time", tkeys))
            return false;
        const json_value *a = json_get(t, "start"), *b = json_get(t, "end");
        if (!a || a->type != JSON_STRING || !parse_hhmm(a->string, &s->start_min))
            return bad(c, "schedule.time.start", "expected HH:MM (00:00-24:00)");
        if (!b || b->type != JSON_STRING || !parse_hhmm(b->string, &s->end_min))
            return bad(c, "schedule.time.end", "expected HH:MM (00:00-24:00)");
    }
    return true;
}

static const char *const SCOPE_NAMES[] = {"all", "poverty_relief", "category", "skus", "supplier"};
static const char *const EFFECT_NAMES[] = {"percent",       "buy_n",          "amount_off",
                                           "threshold_off", "threshold_gift", "points_multiplier"};

static int name_index(const json_value *v, const char *const *names, size_t n)
{
    if (!v || v->type != JSON_STRING)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (strcmp(v->string, names[i]) == 0)
            return (int)i;
    return -1;
}

static bool decode_scope(cerr *c, const json_value *o, promo_scope *s)
{
    int k = name_index(json_get(o, "kind"), SCOPE_NAMES, 5);
    if (o->type == JSON_OBJECT && k < 0)
        return bad(c, "scope.kind", "expected one of all poverty_relief category skus supplier");
    static const char *const plain[] = {"kind", "members_only", NULL};
    static const char *const cat[] = {"kind", "members_only", "category", NULL};
    static const char *const skus[] = {"kind", "members_only", "skus", NULL};
    static const char *const sup[] = {"kind", "members_only", "supplier", NULL};
    const char *const *keys = k == PROMO_SCOPE_CATEGORY ? cat
                              : k == PROMO_SCOPE_SKUS   ? skus
                              : k == PROMO_SCOPE_SUPPLIER ? sup
                                                          : plain;
    if (!only_keys(c, o, "scope", keys))
        return false;
    s->kind = (promo_scope_kind)k;
    if (!get_bool(c, o, "scope", "members_only", &s->members_only))
        return false;
    switch (s->kind) {
    case PROMO_SCOPE_CATEGORY:
        return get_text(c, o, "scope", "category", true, s->category, sizeof s->category);
    case PROMO_SCOPE_SUPPLIER:
        return get_text(c, o, "scope", "supplier", true, s->supplier_id, sizeof s->supplier_id);
    case PROMO_SCOPE_SKUS: {
        const json_value *a = json_get(o, "skus");
        if (!a || a->type != JSON_ARRAY || a->n_items == 0 || a->n_items > PROMO_MAX_SKUS)
            return bad(c, "scope.skus", "expected a list of 1 to %d SKUs", PROMO_MAX_SKUS);
        for (size_t i = 0; i < a->n_items; i++) {
            char f[48];
            snprintf(f, sizeof f, "scope.skus[%zu]", i);
            if (!text_value(c, &a->items[i], f, s->skus[i], sizeof s->skus[i]))
                return false;
        }
        s->n_skus = a->n_items;
        return true;
    }
    default:
        return true;
    }
}

static bool decode_effect(cerr *c, const json_value *o, promo_effect *e)
{
    if (!o || o->type != JSON_OBJECT)
        return bad(c, "effect", "expected an object");
    int k = name_index(json_get(o, "kind"), EFFECT_NAMES, 6);
    if (k < 0)
        return bad(c, "effect.kind", "expected one of percent buy_n amount_off threshold_off "
                                     "threshold_gift points_multiplier");
    e->kind = (promo_effect_kind)k;
    static const char *const k_percent[] = {"kind", "percent", NULL};
    static const char *const k_buy[] = {"kind", "n", "pay", "bundle_fen", NULL};
    static const char *const k_off[] = {"kind", "amount_fen", NULL};
    static const char *const k_thr[] = {"kind", "threshold_fen", "amount_fen", "repeat", NULL};
    static const char *const k_gift[] = {"kind", "threshold_fen", "gifts", NULL};
    static const char *const k_mult[] = {"kind", "multiplier_pct", NULL};
    static const char *const *const keys[] = {k_percent, k_buy, k_off, k_thr, k_gift, k_mult};
    if (!only_keys(c, o, "effect", keys[k]))
        return false;
    switch (e->kind) {
    case PROMO_PERCENT:
        return get_int32(c, o, "effect", "percent", 0, 100, true, &e->percent);
    case PROMO_BUY_N: {
        if (!get_int32(c, o, "effect", "n", 2, 100, true, &e->buy_n))
            return false;
        bool has_pay = json_get(o, "pay") != NULL, has_bundle = json_get(o, "bundle_fen") != NULL;
        if (has_pay == has_bundle)
            return bad(c, "effect", "buy_n needs exactly one of pay and bundle_fen");
        return has_pay ? get_int32(c, o, "effect", "pay", 0, e->buy_n - 1, true, &e->pay_units)
                       : get_int(c, o, "effect", "bundle_fen", 1, MONEY_MAX_FEN, true,
                                 &e->bundle_fen);
    }
    case PROMO_AMOUNT_OFF:
        return get_int(c, o, "effect", "amount_fen", 1, MONEY_MAX_FEN, true, &e->amount_fen);
    case PROMO_THRESHOLD_OFF:
        return get_int(c, o, "effect", "threshold_fen", 1, MONEY_MAX_FEN, true,
                       &e->threshold_fen) &&
               get_int(c, o, "effect", "amount_fen", 1, MONEY_MAX_FEN, true, &e->amount_fen) &&
               get_bool(c, o, "effect", "repeat", &e->repeat);
    case PROMO_THRESHOLD_GIFT: {
        if (!get_int(c, o, "effect", "threshold_fen", 1, MONEY_MAX_FEN, true, &e->threshold_fen))
            return false;
        const json_value *g = json_get(o, "gifts");
        if (!g || g->type != JSON_ARRAY || g->n_items == 0 || g->n_items > PROMO_MAX_GIFT_CHOICES)
            return bad(c, "effect.gifts", "expected a list of 1 to %d gifts",
                       PROMO_MAX_GIFT_CHOICES);
        for (size_t i = 0; i < g->n_items; i++) {
            char f[48];
            snprintf(f, sizeof f, "effect.gifts[%zu]", i);
            static const char *const gkeys[] = {"sku", "qty", NULL};
            if (!only_keys(c, &g->items[i], f, gkeys))
                return false;
            e->gifts[i].qty = 1;
            if (!get_text(c, &g->items[i], f, "sku", true, e->gifts[i].sku,
                          sizeof e->gifts[i].sku) ||
                !get_int(c, &g->items[i], f, "qty", 1, BASKET_MAX_QTY, false, &e->gifts[i].qty))
                return false;
        }
        e->n_gifts = g->n_items;
        return true;
    }
    case PROMO_POINTS_MULTIPLIER:
        return get_int32(c, o, "effect", "multiplier_pct", 100, 10000, true, &e->multiplier_pct);
    }
    return bad(c, "effect.kind", "unknown");
}

bool promo_rule_from_json(const json_value *v, promo_rule *out, bool *active, char *why,
                          size_t why_cap)
{
    cerr c = {why, why_cap, "rule"};
    if (why && why_cap)
        why[0] = '\0';
    memset(out, 0, sizeof *out);
    if (active)
        *active = true;
    /* The id first, so every later error can name the rule. */
    const json_value *id = v && v->type == JSON_OBJECT ? json_get(v, "id") : NULL;
    if (!text_value(&c, id, "id", out->id, sizeof out->id))
        return false;
    snprintf(c.rule, sizeof c.rule, "rule \"%s\"", out->id);
    static const char *const keys[] = {"id",       "label", "priority", "exclusive", "active",
                                       "schedule", "scope", "effect",   NULL};
    if (!only_keys(&c, v, "rule", keys))
        return false;
    bool act = true;
    if (!get_text(&c, v, "", "label", true, out->label, sizeof out->label) ||
        !get_int32(&c, v, "", "priority", -1000000, 1000000, false, &out->priority) ||
        !get_bool(&c, v, "", "exclusive", &out->exclusive) || !get_bool(&c, v, "", "active", &act))
        return false;
    const json_value *s = json_get(v, "schedule");
    if (s && !decode_schedule(&c, s, &out->schedule))
        return false;
    const json_value *sc = json_get(v, "scope");
    if (sc && !decode_scope(&c, sc, &out->scope))
        return false;
    if (!decode_effect(&c, json_get(v, "effect"), &out->effect))
        return false;
    char reason[200];
    if (!promo_rule_check(out, reason, sizeof reason))
        return bad(&c, "rule", "%s", reason);
    if (active)
        *active = act;
    return true;
}

/* ================================================================== rule codec (encode) */

static void put_hhmm(json_writer *w, const char *key, int min)
{
    char buf[8];
    snprintf(buf, sizeof buf, "%02d:%02d", (min / 60) % 100, min % 60);
    json_kv_string(w, key, buf);
}

static void put_anchor(json_writer *w, const char *key, int m, int d)
{
    json_key(w, key);
    json_begin_object(w);
    json_kv_int(w, "month", m);
    json_kv_int(w, "day", d);
    json_end_object(w);
}

void promo_rule_to_json(const promo_rule *r, bool with_active, bool active, json_writer *w)
{
    json_begin_object(w);
    json_kv_string(w, "id", r->id);
    json_kv_string(w, "label", r->label);
    if (r->priority)
        json_kv_int(w, "priority", r->priority);
    if (r->exclusive)
        json_kv_bool(w, "exclusive", true);
    if (with_active)
        json_kv_bool(w, "active", active);
    const promo_schedule *s = &r->schedule;
    if (s->weekdays || s->from[0] || s->to[0] || s->has_solar || s->has_lunar ||
        s->span_before || s->span_after || s->start_min || s->end_min) {
        json_key(w, "schedule");
        json_begin_object(w);
        if (s->weekdays) {
            json_key(w, "weekdays");
            json_begin_array(w);
            /* Monday first, as a Chinese calendar reads. */
            for (int i = 1; i <= 7; i++)
                if (s->weekdays & PROMO_WEEKDAY(i % 7))
                    json_string(w, WEEKDAY_NAMES[i % 7]);
            json_end_array(w);
        }
        if (s->from[0])
            json_kv_string(w, "from", s->from);
        if (s->to[0])
            json_kv_string(w, "to", s->to);
        if (s->has_solar)
            put_anchor(w, "solar", s->solar_month, s->solar_day);
        if (s->has_lunar)
            put_anchor(w, "lunar", s->lunar_month, s->lunar_day);
        if (s->span_before)
            json_kv_int(w, "before", s->span_before);
        if (s->span_after)
            json_kv_int(w, "after", s->span_after);
        if (s->start_min || s->end_min) {
            json_key(w, "time");
            json_begin_object(w);
            put_hhmm(w, "start", s->start_min);
            put_hhmm(w, "end", s->end_min);
            json_end_object(w);
        }
        json_end_object(w);
    }
    const promo_scope *sc = &r->scope;
    if (sc->kind != PROMO_SCOPE_ALL || sc->members_only) {
        json_key(w, "scope");
        json_begin_object(w);
        json_kv_string(w, "kind", (unsigned)sc->kind < 5 ? SCOPE_NAMES[sc->kind] : "?");
        if (sc->kind == PROMO_SCOPE_CATEGORY)
            json_kv_string(w, "category", sc->category);
        if (sc->kind == PROMO_SCOPE_SUPPLIER)
            json_kv_string(w, "supplier", sc->supplier_id);
        if (sc->kind == PROMO_SCOPE_SKUS) {
            json_key(w, "skus");
            json_begin_array(w);
            for (size_t i = 0; i < sc->n_skus && i < PROMO_MAX_SKUS; i++)
                json_string(w, sc->skus[i]);
            json_end_array(w);
        }
        if (sc->members_only)
            json_kv_bool(w, "members_only", true);
        json_end_object(w);
    }
    const promo_effect *e = &r->effect;
    json_key(w, "effect");
    json_begin_object(w);
    json_kv_string(w, "kind", (unsigned)e->kind < 6 ? EFFECT_NAMES[e->kind] : "?");
    switch (e->kind) {
    case PROMO_PERCENT:
        json_kv_int(w, "percent", e->percent);
        break;
    case PROMO_BUY_N:
        json_kv_int(w, "n", e->buy_n);
        if (e->bundle_fen > 0)
            json_kv_int(w, "bundle_fen", e->bundle_fen);
        else
            json_kv_int(w, "pay", e->pay_units);
        break;
    case PROMO_AMOUNT_OFF:
        json_kv_int(w, "amount_fen", e->amount_fen);
        break;
    case PROMO_THRESHOLD_OFF:
        json_kv_int(w, "threshold_fen", e->threshold_fen);
        json_kv_int(w, "amount_fen", e->amount_fen);
        if (e->repeat)
            json_kv_bool(w, "repeat", true);
        break;
    case PROMO_THRESHOLD_GIFT:
        json_kv_int(w, "threshold_fen", e->threshold_fen);
        json_key(w, "gifts");
        json_begin_array(w);
        for (size_t i = 0; i < e->n_gifts && i < PROMO_MAX_GIFT_CHOICES; i++) {
            json_begin_object(w);
            json_kv_string(w, "sku", e->gifts[i].sku);
            if (e->gifts[i].qty != 1)
                json_kv_int(w, "qty", e->gifts[i].qty);
            json_end_object(w);
        }
        json_end_array(w);
        break;
    case PROMO_POINTS_MULTIPLIER:
        json_kv_int(w, "multiplier_pct", e->multiplier_pct);
        break;
    }
    json_end_object(w);
    json_end_object(w);
}

/* ================================================================== rules in the store */

/* Encode, then decode again: what is stored is exactly what will be loaded (a rule carrying
 * values its effect kind ignores, or a span without an anchor, is refused here rather than
 * stored in a form that loads differently). */
static store_err rule_json_checked(store *s, const promo_rule *r, strbuf *sb)
{
    char why[256];
    strbuf_init(sb);   /* first: the caller frees sb whatever this returns */
    if (!promo_rule_check(r, why, sizeof why))
        return store_failf(s, STORE_ERR_INVALID, "%s", why);
    json_writer w;
    json_writer_init(&w, sb, false);
    promo_rule_to_json(r, false, true, &w);
    if (sb->oom || !sb->data)
        return store_failf(s, STORE_ERR_INTERNAL, "out of memory encoding rule %s", r->id);
    json_value *v = json_parse(sb->data, sb->len, why, sizeof why);
    promo_rule back;
    bool ok = v && promo_rule_from_json(v, &back, NULL, why, sizeof why);
    json_free(v);
    if (!ok)
        return store_failf(s, STORE_ERR_INVALID, "%s", why);
    return STORE_OK;
}

typedef struct {
    const promo_rule *r;
    bool active;
    const char *json;
} upsert_ctx;

static store_err upsert_rule_tx(store *s, void *vctx)
{
    upsert_ctx *x = vctx;
    sqlite3_stmt *st = NULL;
    store_err e = store_prepare(
        s,
        "INSERT INTO promo_rules(id, label, priority, exclusive, active, rule_json, updated_utc) "
        "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT(id) DO UPDATE SET label = excluded.label, "
        "priority = excluded.priority, exclusive = excluded.exclusive, active = excluded.active, "
        "rule_json = excluded.rule_json, updated_utc = excluded.updated_utc "
        "WHERE rule_json IS NOT excluded.rule_json OR active IS NOT excluded.active",
        &st);
    if (e)
        return e;
    int64_t now = (int64_t)time(NULL);
    sqlite3_bind_text(st, 1, x->r->id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, x->r->label, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 3, x->r->priority);
    sqlite3_bind_int(st, 4, x->r->exclusive ? 1 : 0);
    sqlite3_bind_int(st, 5, x->active ? 1 : 0);
    sqlite3_bind_text(st, 6, x->json, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 7, now);
    if ((e = store_step_done(s, st)))
        return e;
    /* A rule changes what shoppers pay: who changed it, and to what, goes to the audit chain.
     * An upsert that changed nothing (a second `init --demo`) leaves no row. */
    if (sqlite3_changes(store_db(s)) == 0)
        return STORE_OK;
    return audit_append(s, now, "admin", "promo.rule.upsert", x->r->id, x->json);
}

store_err store_upsert_rule(store *s, const promo_rule *r, bool active)
{
    if (!s || !r)
        return STORE_ERR_INVALID;
    strbuf sb;
    store_err e = rule_json_checked(s, r, &sb);
    if (e == STORE_OK) {
        upsert_ctx x = {r, active, sb.data};
        e = store_transaction(s, upsert_rule_tx, &x);
    }
    strbuf_free(&sb);
    return e;
}

static store_err deactivate_tx(store *s, void *ctx)
{
    const char *id = ctx;
    sqlite3_stmt *st = NULL;
    store_err e = store_prepare(s, "UPDATE promo_rules SET active = 0, updated_utc = ?2 "
                                   "WHERE id = ?1", &st);
    if (e)
        return e;
    int64_t now = (int64_t)time(NULL);
    sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, now);
    if ((e = store_step_done(s, st)))
        return e;
    if (sqlite3_changes(store_db(s)) == 0)
        return store_failf(s, STORE_ERR_NOT_FOUND, "no promotion rule \"%.40s\"", id);
    return audit_append(s, now, "admin", "promo.rule.deactivate", id, "");
}

store_err store_deactivate_rule(store *s, const char *id)
{
    if (!s || !id)
        return STORE_ERR_INVALID;
    return store_transaction(s, deactivate_tx, (void *)id);
}

static store_err decode_stored(store *s, sqlite3_stmt *st, promo_rule *out)
{
    const char *id = (const char *)sqlite3_column_text(st, 0);
    const char *json = (const char *)sqlite3_column_text(st, 1);
    int len = sqlite3_column_bytes(st, 1);
    char why[256] = "";
    json_value *v = json ? json_parse(json, (size_t)len, why, sizeof why) : NULL;
    bool ok = v && promo_rule_from_json(v, out, NULL, why, sizeof why);
    json_free(v);
    if (!ok)
        return store_failf(s, STORE_ERR_CORRUPT, "stored promotion rule \"%.40s\" is invalid: %s",
                           id ? id : "?", why);
    return STORE_OK;
}

store_err store_load_rules(store *s, promo_rule *out, size_t cap, size_t *n)
{
    if (!s || !n || (cap && !out))
        return STORE_ERR_INVALID;
    *n = 0;
    sqlite3_stmt *st = NULL;
    store_err e = store_prepare(s, "SELECT id, rule_json FROM promo_rules WHERE active = 1 "
                                   "ORDER BY id", &st);
    if (e)
        return e;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            e = store_failf(s, STORE_ERR_INVALID, "more than %zu active promotion rules", cap);
            break;
        }
        if ((e = decode_stored(s, st, &out[*n])))
            break;
        (*n)++;
    }
    if (!e && rc != SQLITE_DONE)
        e = store_fail(s, rc);
    sqlite3_finalize(st);
    if (e)
        *n = 0;
    return e;
}

store_err store_find_rule(store *s, const char *id, promo_rule *out, bool *active)
{
    if (!s || !id || !out)
        return STORE_ERR_INVALID;
    sqlite3_stmt *st = NULL;
    store_err e = store_prepare(s, "SELECT id, rule_json, active FROM promo_rules WHERE id = ?1",
                                &st);
    if (e)
        return e;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        e = decode_stored(s, st, out);
        if (active)
            *active = sqlite3_column_int(st, 2) != 0;
    } else {
        e = rc == SQLITE_DONE ? STORE_ERR_NOT_FOUND : store_fail(s, rc);
    }
    sqlite3_finalize(st);
    return e;
}

store_err store_list_rules(store *s, promo_rule *out, bool *active, size_t cap, size_t *n)
{
    if (!s || !n || (cap && !out))
        return STORE_ERR_INVALID;
    *n = 0;
    sqlite3_stmt *st = NULL;
    store_err e = store_prepare(s, "SELECT id, rule_json, active FROM promo_rules ORDER BY id",
                                &st);
    if (e)
        return e;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            e = store_failf(s, STORE_ERR_INVALID, "more than %zu promotion rules", cap);
            break;
        }
        if ((e = decode_stored(s, st, &out[*n])))
            break;
        if (active)
            active[*n] = sqlite3_column_int(st, 2) != 0;
        (*n)++;
    }
    if (!e && rc != SQLITE_DONE)
        e = store_fail(s, rc);
    sqlite3_finalize(st);
    if (e)
        *n = 0;
    return e;
}

/* Inside a writer's transaction: the till prices with every active rule or refuses, so the
 * manager may not switch on more than it can load. */
static store_err active_limit_ok(store *s)
{
    sqlite3_stmt *st = NULL;
    store_err e = store_prepare(s, "SELECT count(*) FROM promo_rules WHERE active = 1", &st);
    if (e)
        return e;
    int rc = sqlite3_step(st);
    int64_t n = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW)
        return store_fail(s, rc);
    if (n > PROMO_MAX_RULES)
        return store_failf(s, STORE_ERR_INVALID,
                           "%lld active promotion rules; at most %d (switch some off first)",
                           (long long)n, PROMO_MAX_RULES);
    return STORE_OK;
}

typedef struct {
    const promo_rule *rules;
    const bool *active;
    const char *const *json;
    size_t n;
    size_t changed;
} import_ctx;

static store_err import_tx(store *s, void *vctx)
{
    import_ctx *x = vctx;
    x->changed = 0;
    for (size_t i = 0; i < x->n; i++) {
        upsert_ctx u = {&x->rules[i], x->active ? x->active[i] : true, x->json[i]};
        int64_t before = sqlite3_total_changes64(store_db(s));
        store_err e = upsert_rule_tx(s, &u);
        if (e)
            return e;
        /* upsert_rule_tx audits only a rule that changed; count the same way. */
        if (sqlite3_total_changes64(store_db(s)) != before)
            x->changed++;
    }
    return active_limit_ok(s);
}

store_err store_import_rules(store *s, const promo_rule *rules, const bool *active, size_t n,
                             size_t *changed)
{
    if (!s || (n && !rules))
        return STORE_ERR_INVALID;
    if (changed)
        *changed = 0;
    strbuf *sbs = calloc(n ? n : 1, sizeof *sbs);
    const char **json = calloc(n ? n : 1, sizeof *json);
    store_err e = sbs && json ? STORE_OK : STORE_ERR_INTERNAL;
    size_t done = 0;
    /* Encode and check every rule before the transaction: a bad one refuses the lot. */
    for (; !e && done < n; done++) {
        e = rule_json_checked(s, &rules[done], &sbs[done]);
        json[done] = sbs[done].data;
    }
    if (!e) {
        import_ctx x = {rules, active, json, n, 0};
        e = store_transaction(s, import_tx, &x);
        if (!e && changed)
            *changed = x.changed;
    }
    for (size_t i = 0; sbs && i < done; i++)
        strbuf_free(&sbs[i]);
    free(sbs);
    free(json);
    return e;
}

static store_err activate_tx(store *s, void *ctx)
{
    const char *id = ctx;
    promo_rule r;
    bool active = false;
    store_err e = store_find_rule(s, id, &r, &active);
    if (e == STORE_ERR_NOT_FOUND)
        return store_failf(s, e, "no promotion rule \"%.40s\"", id);
    if (e || active)
        return e;
    strbuf sb;
    if (!(e = rule_json_checked(s, &r, &sb))) {
        upsert_ctx u = {&r, true, sb.data};
        e = upsert_rule_tx(s, &u);
    }
    strbuf_free(&sb);
    return e ? e : active_limit_ok(s);
}

store_err store_activate_rule(store *s, const char *id)
{
    if (!s || !id)
        return STORE_ERR_INVALID;
    return store_transaction(s, activate_tx, (void *)id);
}

bool promo_store_gift_stock(void *ctx, const char *sku, int64_t *on_hand, fen_t *cost_fen)
{
    store *s = ctx;
    sqlite3_stmt *st = NULL;
    /* Average unit cost of the inbound moves that carry a cost (receipts; the demo's opening
     * stock), half-up; the level counts every move (sales and gifts too), so a gift never
     * exceeds what the books say is on the shelf. */
    if (store_prepare(s,
                      "SELECT EXISTS(SELECT 1 FROM products WHERE sku = ?1), "
                      "(SELECT coalesce(sum(qty), 0) FROM stock_moves WHERE sku = ?1), "
                      "(SELECT CASE WHEN sum(qty) > 0 THEN (2 * sum(cost_fen) + sum(qty)) / "
                      "(2 * sum(qty)) ELSE 0 END FROM stock_moves "
                      "WHERE sku = ?1 AND qty > 0 AND cost_fen > 0)",
                      &st))
        return false;
    sqlite3_bind_text(st, 1, sku, -1, SQLITE_TRANSIENT);
    bool ok = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) == 1;
    if (ok) {
        *on_hand = sqlite3_column_int64(st, 1);
        *cost_fen = sqlite3_column_int64(st, 2);
    }
    sqlite3_finalize(st);
    return ok;
}

store_err store_product_category(store *s, const char *sku, char *buf, size_t cap)
{
    if (!s || !sku || !buf || cap == 0)
        return STORE_ERR_INVALID;
    buf[0] = '\0';
    sqlite3_stmt *st = NULL;
    store_err e = store_prepare(s, "SELECT coalesce(category, '') FROM products WHERE sku = ?1",
                                &st);
    if (e)
        return e;
    sqlite3_bind_text(st, 1, sku, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        store_column_text(st, 0, buf, cap);
    e = rc == SQLITE_ROW ? STORE_OK : rc == SQLITE_DONE ? STORE_ERR_NOT_FOUND : store_fail(s, rc);
    sqlite3_finalize(st);
    return e;
}

/* ================================================================== members */

static const char *const MEMBER_KINDS[] = {"person", "staff", "organisation"};

const char *member_kind_name(member_kind k)
{
    return (unsigned)k < 3 ? MEMBER_KINDS[k] : "?";
}

bool member_kind_parse(const char *name, member_kind *out)
{
    for (int i = 0; name && i < 3; i++)
        if (strcmp(name, MEMBER_KINDS[i]) == 0) {
            *out = (member_kind)i;
            return true;
        }
    return false;
}

static bool card_ok(const char *id)
{
    size_t l = strnlen(id, MEMBER_ID_CAP);
    if (l == 0 || l >= MEMBER_ID_CAP)
        return false;
    for (size_t i = 0; i < l; i++) {
        char c = id[i];
        if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
              c == '-' || c == '_'))
            return false;
    }
    return true;
}

static bool phone_ok(const char *p)
{
    size_t l = strnlen(p, MEMBER_PHONE_CAP);
    if (l >= MEMBER_PHONE_CAP)
        return false;
    if (l == 0)
        return true;
    if (l < 5 || l > 20)
        return false;
    for (size_t i = 0; i < l; i++)
        if (p[i] < '0' || p[i] > '9')
            return false;
    return true;
}

bool member_check(const member *m, char *why, size_t cap)
{
    const char *f = NULL, *r = NULL;
    if (!card_ok(m->id))
        f = "card", r = "1-31 characters of 0-9 A-Z a-z - _";
    else if (!phone_ok(m->phone))
        f = "phone", r = "5-20 digits, or empty";
    else if (strnlen(m->name, MEMBER_NAME_CAP) >= MEMBER_NAME_CAP || !m->name[0] ||
             !ct_text_valid(m->name))
        f = "name", r = "non-empty UTF-8 text of at most 63 bytes";
    else if ((unsigned)m->kind > MEMBER_ORGANISATION)
        f = "kind", r = "person, staff or organisation";
    if (!f)
        return true;
    if (why && cap)
        snprintf(why, cap, "member \"%.31s\": %s: %s", card_ok(m->id) ? m->id : "?", f, r);
    return false;
}

typedef struct {
    const member *m;
    bool upsert;
} member_ctx;

static store_err write_member_tx(store *s, void *vctx)
{
    member_ctx *x = vctx;
    sqlite3_stmt *st = NULL;
    store_err e = store_prepare(
        s,
        x->upsert ? "INSERT INTO members(id, phone, name, kind, created_utc) "
                    "VALUES(?1, ?2, ?3, ?4, ?5) ON CONFLICT(id) DO UPDATE SET "
                    "phone = excluded.phone, name = excluded.name, kind = excluded.kind"
                  : "INSERT INTO members(id, phone, name, kind, created_utc) "
                    "VALUES(?1, ?2, ?3, ?4, ?5)",
        &st);
    if (e)
        return e;
    sqlite3_bind_text(st, 1, x->m->id, -1, SQLITE_TRANSIENT);
    store_bind_opt_text(st, 2, x->m->phone);
    sqlite3_bind_text(st, 3, x->m->name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, member_kind_name(x->m->kind), -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 5, x->m->created_utc);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_DONE) {
        e = (rc & 0xff) == SQLITE_CONSTRAINT
                ? store_failf(s, STORE_ERR_CONSTRAINT,
                              "member \"%s\": card or phone %s is already registered", x->m->id,
                              x->m->phone)
                : store_fail(s, rc);
    }
    sqlite3_finalize(st);
    return e;
}

static store_err write_member(store *s, const member *m, bool upsert)
{
    char why[160];
    if (!s || !m)
        return STORE_ERR_INVALID;
    if (!member_check(m, why, sizeof why))
        return store_failf(s, STORE_ERR_INVALID, "%s", why);
    member_ctx x = {m, upsert};
    return store_transaction(s, write_member_tx, &x);
}

store_err store_add_member(store *s, const member *m) { return write_member(s, m, false); }
store_err store_upsert_member(store *s, const member *m) { return write_member(s, m, true); }

static store_err find_member(store *s, const char *sql, const char *key, member *out)
{
    if (!s || !key || !out)
        return STORE_ERR_INVALID;
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st = NULL;
    store_err e = store_prepare(s, sql, &st);
    if (e)
        return e;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        store_column_text(st, 0, out->id, sizeof out->id);
        store_column_text(st, 1, out->phone, sizeof out->phone);
        store_column_text(st, 2, out->name, sizeof out->name);
        char kind[16];
        store_column_text(st, 3, kind, sizeof kind);
        if (!member_kind_parse(kind, &out->kind))
            out->kind = MEMBER_PERSON;
        out->created_utc = sqlite3_column_int64(st, 4);
        e = STORE_OK;
    } else {
        e = rc == SQLITE_DONE ? store_failf(s, STORE_ERR_NOT_FOUND, "no member \"%.40s\"", key)
                              : store_fail(s, rc);
    }
    sqlite3_finalize(st);
    return e;
}

#define MEMBER_COLS "SELECT id, coalesce(phone, ''), name, kind, created_utc FROM members "

store_err store_find_member(store *s, const char *id, member *out)
{
    return find_member(s, MEMBER_COLS "WHERE id = ?1", id, out);
}

store_err store_find_member_by_phone(store *s, const char *phone, member *out)
{
    return find_member(s, MEMBER_COLS "WHERE phone = ?1", phone, out);
}

store_err store_find_member_by_key(store *s, const char *key, member *out)
{
    store_err e = store_find_member(s, key, out);
    if (e == STORE_ERR_NOT_FOUND)
        e = store_find_member_by_phone(s, key, out);
    return e;
}

static store_err delete_member_tx(store *s, void *ctx)
{
    const char *id = ctx;
    sqlite3_stmt *st = NULL;
    store_err e = store_prepare(
        s,
        "SELECT EXISTS(SELECT 1 FROM points_journal WHERE member_id = ?1) OR "
        "EXISTS(SELECT 1 FROM sales WHERE member_id = ?1)",
        &st);
    if (e)
        return e;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    bool used = rc == SQLITE_ROW && sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW)
        return store_fail(s, rc);
    if (used)
        return store_failf(s, STORE_ERR_CONSTRAINT,
                           "member \"%.40s\" has sales or points: kept for the record", id);
    if ((e = store_prepare(s, "DELETE FROM members WHERE id = ?1", &st)))
        return e;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
    if ((e = store_step_done(s, st)))
        return e;
    return sqlite3_changes(store_db(s)) ? STORE_OK
                                        : store_failf(s, STORE_ERR_NOT_FOUND, "no member \"%.40s\"", id);
}

store_err store_delete_member(store *s, const char *id)
{
    if (!s || !id)
        return STORE_ERR_INVALID;
    return store_transaction(s, delete_member_tx, (void *)id);
}

/* ================================================================== points journal */

static const char *const ENTRY_KINDS[] = {"earn", "redeem", "reverse", "expire", "adjust"};

const char *points_entry_kind_name(points_entry_kind k)
{
    return (unsigned)k < 5 ? ENTRY_KINDS[k] : "?";
}

static bool entry_kind_parse(const char *name, points_entry_kind *out)
{
    for (int i = 0; i < 5; i++)
        if (strcmp(name, ENTRY_KINDS[i]) == 0) {
            *out = (points_entry_kind)i;
            return true;
        }
    return false;
}

static store_err balance_of(store *s, const char *member_id, int64_t *out)
{
    sqlite3_stmt *st = NULL;
    store_err e = store_prepare(s, "SELECT coalesce(sum(points), 0) FROM points_journal "
                                   "WHERE member_id = ?1", &st);
    if (e)
        return e;
    sqlite3_bind_text(st, 1, member_id, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *out = sqlite3_column_int64(st, 0);
        e = STORE_OK;
    } else {
        e = store_fail(s, rc);
    }
    sqlite3_finalize(st);
    return e;
}

store_err store_points_balance(store *s, const char *member_id, int64_t *balance)
{
    if (!s || !member_id || !balance)
        return STORE_ERR_INVALID;
    return balance_of(s, member_id, balance);
}

/* The member exists (a journal row's foreign key would say so too, but not in words). */
static store_err member_exists(store *s, const char *id)
{
    member m;
    return find_member(s, MEMBER_COLS "WHERE id = ?1", id, &m);
}

/* Insert one row inside the caller's transaction.  The balance is checked here for a clear
 * message; the trigger is the backstop for any other writer. */
static store_err insert_entry(store *s, const points_entry *p)
{
    bool sign_ok = p->kind == POINTS_ENTRY_EARN ? p->points > 0
                   : p->kind == POINTS_ENTRY_ADJUST ? p->points != 0 && p->reason[0]
                   : (unsigned)p->kind <= POINTS_ENTRY_ADJUST ? p->points < 0
                                                               : false;
    if (!sign_ok)
        return store_failf(s, STORE_ERR_INVALID,
                           "points %s of %lld: earn is positive, redeem/reverse/expire negative, "
                           "adjust non-zero with a reason",
                           points_entry_kind_name(p->kind), (long long)p->points);
    if (!ct_text_valid(p->reason) || strnlen(p->reason, sizeof p->reason) >= sizeof p->reason)
        return store_failf(s, STORE_ERR_INVALID, "points reason is not valid text");
    store_err e = member_exists(s, p->member_id);
    if (e)
        return e;
    if (p->points < 0) {
        int64_t bal = 0;
        if ((e = balance_of(s, p->member_id, &bal)))
            return e;
        if (bal + p->points < 0)
            return store_failf(s, STORE_ERR_INVALID,
                               "积分余额不足：会员 %s 余额 %lld 分，本次 %s %lld 分", p->member_id,
                               (long long)bal, points_entry_kind_name(p->kind),
                               (long long)-p->points);
    }
    sqlite3_stmt *st = NULL;
    if ((e = store_prepare(s,
                           "INSERT INTO points_journal(member_id, kind, points, sale_uuid, reason, "
                           "at_utc) VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
                           &st)))
        return e;
    sqlite3_bind_text(st, 1, p->member_id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, points_entry_kind_name(p->kind), -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, p->points);
    store_bind_opt_text(st, 4, p->sale_uuid);
    sqlite3_bind_text(st, 5, p->reason, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 6, p->at_utc);
    return store_step_done(s, st);
}

static store_err append_tx(store *s, void *ctx) { return insert_entry(s, ctx); }

store_err store_points_append(store *s, const points_entry *e)
{
    if (!s || !e)
        return STORE_ERR_INVALID;
    return store_transaction(s, append_tx, (void *)e);
}

store_err store_points_recent(store *s, const char *member_id, points_entry *out, size_t cap,
                              size_t *n)
{
    if (!s || !member_id || !n || (cap && !out))
        return STORE_ERR_INVALID;
    *n = 0;
    sqlite3_stmt *st = NULL;
    store_err e = store_prepare(s,
                                "SELECT id, member_id, kind, points, coalesce(sale_uuid, ''), "
                                "reason, at_utc FROM points_journal WHERE member_id = ?1 "
                                "ORDER BY id DESC LIMIT ?2",
                                &st);
    if (e)
        return e;
    sqlite3_bind_text(st, 1, member_id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, (int64_t)cap);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        points_entry *p = &out[(*n)++];
        memset(p, 0, sizeof *p);
        p->id = sqlite3_column_int64(st, 0);
        store_column_text(st, 1, p->member_id, sizeof p->member_id);
        char kind[16];
        store_column_text(st, 2, kind, sizeof kind);
        if (!entry_kind_parse(kind, &p->kind))
            p->kind = POINTS_ENTRY_ADJUST;
        p->points = sqlite3_column_int64(st, 3);
        store_column_text(st, 4, p->sale_uuid, sizeof p->sale_uuid);
        store_column_text(st, 5, p->reason, sizeof p->reason);
        p->at_utc = sqlite3_column_int64(st, 6);
    }
    e = rc == SQLITE_DONE ? STORE_OK : store_fail(s, rc);
    sqlite3_finalize(st);
    return e;
}

/* An integer setting in [min, max], def when absent. */
static store_err int_setting(store *s, const char *key, long min, long max, long def, long *out)
{
    char buf[64];
    store_err e = settings_get(s, key, buf, sizeof buf);
    if (e == STORE_ERR_NOT_FOUND || (e == STORE_OK && !buf[0])) {
        *out = def;
        return STORE_OK;
    }
    if (e)
        return e;
    char *end = NULL;
    long v = strtol(buf, &end, 10);
    if (end == buf || *end || v < min || v > max)
        return store_failf(s, STORE_ERR_INVALID, "setting %s='%.40s' is not a number %ld..%ld",
                           key, buf, min, max);
    *out = v;
    return STORE_OK;
}

bool points_expiry_parse(const char *text, int *months)
{
    if (!text)
        return false;
    if (strcmp(text, "none") == 0) {
        if (months)
            *months = 0;
        return true;
    }
    /* "months:N" is the spelled-out form; a bare N (what earlier versions stored) means the same. */
    if (strncmp(text, "months:", 7) == 0)
        text += 7;
    if (*text < '0' || *text > '9')
        return false;
    char *end = NULL;
    long v = strtol(text, &end, 10);
    if (end == text || *end || v < 1 || v > 120)
        return false;
    if (months)
        *months = (int)v;
    return true;
}

store_err store_points_config(store *s, points_config *out, int *expiry_months)
{
    if (!s || !out)
        return STORE_ERR_INVALID;
    memset(out, 0, sizeof *out);
    long rate, redeem, cap;
    store_err e;
    if ((e = int_setting(s, "points.rate", 0, 100, 1, &rate)) ||
        (e = int_setting(s, "points.redeem_rate", 1, 100000, 100, &redeem)) ||
        (e = int_setting(s, "points.redeem_cap_percent", 0, 100, 50, &cap)))
        return e;
    /* "points per yuan" in both directions: 1 point per 100 fen paid; redeem_rate points buy
     * 100 fen. */
    out->earn_points = rate;
    out->earn_unit_fen = 100;
    out->redeem_points = redeem;
    out->redeem_fen = 100;
    out->redeem_cap_pct = (int)cap;
    out->redeem_cap_points = 0;
    if (rate == 0) {
        /* Earning switched off: points_config_check wants a positive rate, so keep the unit
         * and let the caller see earn_points == 0. */
    } else if (!points_config_check(out)) {
        return store_failf(s, STORE_ERR_INVALID, "points settings are inconsistent");
    }
    char buf[32];
    int months = 0;
    e = settings_get(s, "points.expiry", buf, sizeof buf);
    if (e == STORE_OK && buf[0]) {
        if (!points_expiry_parse(buf, &months))
            return store_failf(s, STORE_ERR_INVALID,
                               "setting points.expiry='%.20s' is not \"none\" or 1..120 months", buf);
    } else if (e && e != STORE_ERR_NOT_FOUND) {
        return e;
    }
    if (expiry_months)
        *expiry_months = months;
    return STORE_OK;
}

/* ---- expiry ---- */

/* now_utc minus `months` calendar months, in the store's local time: the same wall-clock time
 * on the same day of the month, or the month's last day when it is shorter (Aug 31 - 6 months
 * = Feb 28/29).  Points earned before that instant have been held `months` months or more. */
static int64_t months_before(int64_t now_utc, int months, int tz_offset_min)
{
    civil_time lt;
    bizday_local(now_utc, tz_offset_min, &lt);
    int y = lt.year, m = lt.month - months;
    while (m < 1) {
        m += 12;
        y--;
    }
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int dim = mdays[m - 1];
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        dim = 29;
    int d = lt.day < dim ? lt.day : dim;
    int64_t local = bizday_days_from_civil(y, m, d) * 86400 + lt.hour * 3600 + lt.minute * 60 +
                    lt.second;
    return local - (int64_t)tz_offset_min * 60;
}

typedef struct {
    int64_t now_utc;
    points_expire_result *res;
} expire_ctx;

static store_err expire_tx(store *s, void *vctx)
{
    expire_ctx *x = vctx;
    points_expire_result *r = x->res;
    /* The policy and the zone are read under the write lock, with the journal they apply to. */
    points_config pc;
    int months = 0;
    store_err e = store_points_config(s, &pc, &months);
    if (e)
        return e;
    r->months = months;
    if (months == 0)
        return STORE_OK;
    till_config cfg;
    if ((e = settings_get_config(s, &cfg)))
        return e;
    r->cutoff_utc = months_before(x->now_utc, months, cfg.tz_offset_min);

    /* FIFO in one pass per member: old earnings minus everything ever spent.  Spending dated
     * after the cutoff still comes out of the oldest points first (that is what FIFO means),
     * and earlier expire rows are spending too -- hence idempotent.  Positive adjusts (points
     * returned by a refund, corrections) are earnings dated when they were written. */
    sqlite3_stmt *st = NULL;
    if ((e = store_prepare(s,
                           "SELECT member_id, x FROM (SELECT member_id, "
                           "sum(CASE WHEN points > 0 AND at_utc < ?1 THEN points ELSE 0 END) - "
                           "sum(CASE WHEN points < 0 THEN -points ELSE 0 END) AS x "
                           "FROM points_journal GROUP BY member_id) WHERE x > 0 "
                           "ORDER BY member_id",
                           &st)))
        return e;
    sqlite3_bind_int64(st, 1, r->cutoff_utc);
    /* Collect first, write after: inserting into the table being aggregated would be read by
     * the same statement on some plans. */
    size_t cap = 0, n = 0;
    points_expired *all = NULL;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (!store_grow((void **)&all, &cap, n, sizeof *all, 64)) {
            rc = SQLITE_NOMEM;
            break;
        }
        memset(&all[n], 0, sizeof all[n]);
        store_column_text(st, 0, all[n].member_id, sizeof all[n].member_id);
        all[n].points = sqlite3_column_int64(st, 1);
        n++;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        free(all);
        return store_fail(s, rc);
    }
    char day[11];
    bizday_format_day(r->cutoff_utc, cfg.tz_offset_min, day);
    for (size_t i = 0; i < n && !e; i++) {
        points_entry p = {0};
        snprintf(p.member_id, sizeof p.member_id, "%s", all[i].member_id);
        p.kind = POINTS_ENTRY_EXPIRE;
        p.points = -all[i].points;
        snprintf(p.reason, sizeof p.reason, "积分过期：%s 前获得（%d 个月）", day, months);
        p.at_utc = x->now_utc;
        if ((e = insert_entry(s, &p)))
            break;
        r->points += all[i].points;
        r->n_members++;
        if (r->items && r->n_items < r->cap)
            r->items[r->n_items++] = all[i];
    }
    free(all);
    if (e || r->n_members == 0)
        return e;
    /* One audit row for the run: the policy, the cutoff and the totals (each member's amount
     * is in the journal rows themselves). */
    char detail[160];
    snprintf(detail, sizeof detail,
             "{\"months\":%d,\"cutoff_utc\":%lld,\"members\":%zu,\"points\":%lld}", months,
             (long long)r->cutoff_utc, r->n_members, (long long)r->points);
    return audit_append(s, x->now_utc, "admin", "points.expire", day, detail);
}

store_err store_points_expire(store *s, int64_t now_utc, points_expire_result *res)
{
    if (!s || !res || (res->cap && !res->items))
        return STORE_ERR_INVALID;
    res->months = 0;
    res->cutoff_utc = 0;
    res->n_members = 0;
    res->points = 0;
    res->n_items = 0;
    expire_ctx x = {now_utc, res};
    store_err e = store_transaction(s, expire_tx, &x);
    if (e) {
        /* Rolled back: report nothing as expired. */
        res->n_members = 0;
        res->points = 0;
        res->n_items = 0;
    }
    return e;
}

store_err promo_store_commit_points(store *s, const sale_doc *d)
{
    fen_t points_tender = 0;
    for (size_t i = 0; i < d->n_tenders; i++)
        if (d->tenders[i].kind == TENDER_POINTS)
            points_tender += d->tenders[i].amount_fen;
    if (!d->member_id[0]) {
        /* Paying with points needs someone to debit.  Points "earned" without a member have
         * nobody to credit: the document's figure stays informational and no row is written
         * (the till sets it to 0 for anonymous sales). */
        if (d->points_redeemed || points_tender)
            return store_failf(s, STORE_ERR_INVALID, "sale %s pays with points but has no member",
                               d->uuid);
        return STORE_OK;
    }
    if (d->points_earned < 0 || d->points_redeemed < 0)
        return store_failf(s, STORE_ERR_INVALID, "sale %s: negative points", d->uuid);
    store_err e = member_exists(s, d->member_id);
    if (e == STORE_ERR_NOT_FOUND)
        return store_failf(s, STORE_ERR_INVALID, "sale %s: no member \"%.31s\"", d->uuid,
                           d->member_id);
    if (e)
        return e;
    if ((points_tender > 0) != (d->points_redeemed > 0))
        return store_failf(s, STORE_ERR_INVALID,
                           "sale %s: a points tender and points_redeemed go together", d->uuid);
    if (points_tender > 0) {
        /* The tender may not be worth more than the points debited for it (read under the
         * write lock, with the same settings the quote used). */
        points_config pc;
        if ((e = store_points_config(s, &pc, NULL)))
            return e;
        if (points_value_fen(&pc, d->points_redeemed) < points_tender)
            return store_failf(s, STORE_ERR_INVALID,
                               "sale %s: %lld points do not pay %lld fen", d->uuid,
                               (long long)d->points_redeemed, (long long)points_tender);
    }
    points_entry p = {0};
    COPY(p.member_id, d->member_id);
    COPY(p.sale_uuid, d->uuid);
    p.at_utc = d->created_utc;
    /* Redeem first: points this sale earns must not pay for this sale. */
    if (d->points_redeemed > 0) {
        p.kind = POINTS_ENTRY_REDEEM;
        p.points = -d->points_redeemed;
        if ((e = insert_entry(s, &p)))
            return e;
    }
    if (d->points_earned > 0) {
        p.kind = POINTS_ENTRY_EARN;
        p.points = d->points_earned;
        if ((e = insert_entry(s, &p)))
            return e;
    }
    return STORE_OK;
}

/* ================================================================== consumption stars */

store_err store_stars(store *s, const char *month, member_kind kind, star_entry *out, size_t cap,
                      size_t *n)
{
    if (!s || !month || !n || (cap && !out))
        return STORE_ERR_INVALID;
    *n = 0;
    char first[11], probe[11];
    snprintf(probe, sizeof probe, "%.7s-01", month);
    if (strlen(month) != 7 || !bizday_valid_day(probe))
        return store_failf(s, STORE_ERR_INVALID, "month '%.20s' is not YYYY-MM", month);
    memcpy(first, probe, sizeof first);
    char last[11];
    snprintf(last, sizeof last, "%.7s-31", month);
    /* A range on business_day (the sales_day index) rather than LIKE 'YYYY-MM-%', which SQLite
     * cannot always turn into an index range.  Spend counts poverty-relief lines only, at what
     * was paid for them (amount - discount), net of refunds (#7): what refund_lines gave back
     * on a line is subtracted in the month of the SALE, not of the refund -- a refund corrects
     * the purchase it belongs to, so a month's board may still change after the month ends
     * (docs/REFUNDS.md), and a member cannot climb a board by buying in one month and
     * returning in the next.  A sale refunded whole no longer counts as a purchase.  Ties:
     * spend desc, then who bought first in the month (created_utc of the earliest qualifying
     * sale), then card number -- a total order, so the printed board never reshuffles between
     * two runs. */
    sqlite3_stmt *st = NULL;
    store_err e = store_prepare(
        s,
        "SELECT m.id, m.name, coalesce(m.phone, ''), t.spend, t.sales, t.first_utc "
        "FROM (SELECT x.mid, sum(x.net) AS spend, "
        "             count(DISTINCT CASE WHEN x.net > 0 THEN x.uuid END) AS sales, "
        "             min(CASE WHEN x.net > 0 THEN x.created_utc END) AS first_utc "
        "      FROM (SELECT s.member_id AS mid, s.uuid, s.created_utc, "
        "                   l.amount_fen - l.discount_fen - "
        "                   coalesce((SELECT sum(r.amount_fen) FROM refund_lines r "
        "                             WHERE r.sale_uuid = l.sale_uuid "
        "                               AND r.line_no = l.line_no), 0) AS net "
        "            FROM sales s JOIN sale_lines l ON l.sale_uuid = s.uuid "
        "            WHERE s.business_day BETWEEN ?1 AND ?2 AND s.member_id IS NOT NULL "
        "              AND l.poverty_relief = 1) x "
        "      GROUP BY x.mid) t "
        "JOIN members m ON m.id = t.mid "
        "WHERE m.kind = ?3 AND t.spend > 0 "
        "ORDER BY t.spend DESC, t.first_utc ASC, m.id ASC LIMIT ?4",
        &st);
    if (e)
        return e;
    sqlite3_bind_text(st, 1, first, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, last, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, member_kind_name(kind), -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, (int64_t)cap);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        star_entry *x = &out[*n];
        memset(x, 0, sizeof *x);
        x->rank = (int)*n + 1;
        store_column_text(st, 0, x->member_id, sizeof x->member_id);
        store_column_text(st, 1, x->name, sizeof x->name);
        store_column_text(st, 2, x->phone, sizeof x->phone);
        x->kind = kind;
        x->spend_fen = sqlite3_column_int64(st, 3);
        x->sales = sqlite3_column_int64(st, 4);
        x->first_utc = sqlite3_column_int64(st, 5);
        (*n)++;
    }
    e = rc == SQLITE_DONE ? STORE_OK : store_fail(s, rc);
    sqlite3_finalize(st);
    return e;
}

/* ================================================================== demo */

typedef struct {
    json_value *doc;
    member *members;
    size_t n_members;
    errlist *el;
    const char *json_path, *csv_path;
} promo_demo;

static const ct_column MEMBER_COLS_CSV[] = {
    {"id", true}, {"phone", false}, {"name", true}, {"kind", true}};

static void parse_members(const char *path, promo_demo *d)
{
    ct_table t;
    if (!ct_open(&t, path, CT_ENC_AUTO, MEMBER_COLS_CSV, 4, d->el)) {
        ct_close(&t);
        return;
    }
    size_t cap = 0;
    int r;
    while ((r = ct_next(&t, d->el)) != 0) {
        if (r < 0)
            continue;
        int line = ct_line(&t);
        member m = {0};
        bool ok = ct_take_text(d->el, path, line, "id", ct_field(&t, 0), m.id, sizeof m.id, true);
        ok = ct_take_text(d->el, path, line, "phone", ct_field(&t, 1), m.phone, sizeof m.phone,
                          false) && ok;
        ok = ct_take_text(d->el, path, line, "name", ct_field(&t, 2), m.name, sizeof m.name,
                          true) && ok;
        if (!member_kind_parse(ct_field(&t, 3), &m.kind)) {
            err_add(d->el, path, line, "kind", "expected person, staff or organisation");
            ok = false;
        }
        char why[160];
        if (ok && !member_check(&m, why, sizeof why)) {
            err_add(d->el, path, line, "id", "%s", why);
            ok = false;
        }
        if (!ok)
            continue;
        if (!store_grow((void **)&d->members, &cap, d->n_members, sizeof *d->members, 32)) {
            err_add(d->el, path, line, "file", "out of memory");
            break;
        }
        d->members[d->n_members++] = m;
    }
    ct_close(&t);
}

/* Settings the demo file may set, and what each must look like. */
static bool demo_setting_ok(const char *key, const char *v)
{
    static const char *const keys[] = {"points.rate", "points.redeem_rate",
                                       "points.redeem_cap_percent", "points.expiry"};
    bool known = false;
    for (size_t i = 0; i < 4; i++)
        known = known || strcmp(key, keys[i]) == 0;
    return known && ct_text_valid(v) && strlen(v) < 32;
}

static store_err demo_tx(store *s, void *vctx)
{
    promo_demo *d = vctx;
    store_err e;
    const json_value *settings = d->doc ? json_get(d->doc, "settings") : NULL;
    for (size_t i = 0; settings && i < settings->n_items; i++) {
        if ((e = settings_set(s, settings->keys[i], settings->items[i].string))) {
            err_add(d->el, d->json_path, 0, settings->keys[i], "%s", store_last_error(s));
            return e;
        }
    }
    /* Re-read through the real parser: a setting the loader accepts must be one the till can
     * use. */
    points_config pc;
    if (settings && (e = store_points_config(s, &pc, NULL))) {
        err_add(d->el, d->json_path, 0, "settings", "%s", store_last_error(s));
        return e;
    }
    const json_value *rules = d->doc ? json_get(d->doc, "rules") : NULL;
    for (size_t i = 0; rules && i < rules->n_items; i++) {
        promo_rule r;
        bool active;
        char why[256];
        if (!promo_rule_from_json(&rules->items[i], &r, &active, why, sizeof why)) {
            err_add(d->el, d->json_path, 0, "rules", "rules[%zu]: %s", i, why);
            return STORE_ERR_INVALID;
        }
        strbuf sb;
        e = rule_json_checked(s, &r, &sb);
        if (!e) {
            upsert_ctx x = {&r, active, sb.data};
            e = upsert_rule_tx(s, &x);
        }
        strbuf_free(&sb);
        if (e) {
            err_add(d->el, d->json_path, 0, "rules", "rule \"%s\": %s", r.id, store_last_error(s));
            return e;
        }
        /* Gifts need stock to be given: the demo shelf gets an opening stock of each gift SKU
         * (an 'adjust' move: nothing was received from a supplier), once -- the ref makes a
         * second `init --demo` a no-op. */
        for (size_t g = 0; r.effect.kind == PROMO_THRESHOLD_GIFT && g < r.effect.n_gifts; g++) {
            sqlite3_stmt *st = NULL;
            if ((e = store_prepare(
                     s,
                     "INSERT INTO stock_moves(sku, kind, qty, cost_fen, ref, at_utc, note) "
                     "SELECT p.sku, 'adjust', 200, 200 * (p.price_fen * 6 / 10), "
                     "'demo:gift-stock:' || p.sku, ?2, 'demo opening stock for 满赠 gifts' "
                     "FROM products p WHERE p.sku = ?1 AND NOT EXISTS("
                     "SELECT 1 FROM stock_moves WHERE ref = 'demo:gift-stock:' || ?1)",
                     &st)))
                return e;
            sqlite3_bind_text(st, 1, r.effect.gifts[g].sku, -1, SQLITE_TRANSIENT);
            sqlite3_bind_int64(st, 2, (int64_t)time(NULL));
            if ((e = store_step_done(s, st))) {
                err_add(d->el, d->json_path, 0, "rules", "gift stock %s: %s",
                        r.effect.gifts[g].sku, store_last_error(s));
                return e;
            }
        }
    }
    for (size_t i = 0; i < d->n_members; i++) {
        member_ctx x = {&d->members[i], true};
        if ((e = write_member_tx(s, &x))) {
            err_add(d->el, d->csv_path, 0, "id", "%s", store_last_error(s));
            return e;
        }
    }
    return STORE_OK;
}

static void check_demo_json(promo_demo *d)
{
    const json_value *v = d->doc;
    if (v->type != JSON_OBJECT) {
        err_add(d->el, d->json_path, 0, "file", "expected an object {\"settings\", \"rules\"}");
        return;
    }
    for (size_t i = 0; i < v->n_items; i++)
        if (strcmp(v->keys[i], "settings") && strcmp(v->keys[i], "rules") &&
            strcmp(v->keys[i], "comment"))
            err_add(d->el, d->json_path, 0, v->keys[i], "unknown key");
    const json_value *st = json_get(v, "settings");
    if (st && st->type != JSON_OBJECT)
        err_add(d->el, d->json_path, 0, "settings", "expected an object");
    for (size_t i = 0; st && st->type == JSON_OBJECT && i < st->n_items; i++)
        if (st->items[i].type != JSON_STRING || !demo_setting_ok(st->keys[i], st->items[i].string))
            err_add(d->el, d->json_path, 0, st->keys[i], "unknown setting or not a short string");
    const json_value *r = json_get(v, "rules");
    if (r && r->type != JSON_ARRAY)
        err_add(d->el, d->json_path, 0, "rules", "expected a list");
    for (size_t i = 0; r && r->type == JSON_ARRAY && i < r->n_items; i++) {
        promo_rule rule;
        char why[256];
        if (!promo_rule_from_json(&r->items[i], &rule, NULL, why, sizeof why))
            err_add(d->el, d->json_path, 0, "rules", "rules[%zu]: %s", i, why);
        for (size_t j = 0; j < i && why[0] == '\0'; j++) {
            const char *a = json_get_string(&r->items[i], "id"),
                       *b = json_get_string(&r->items[j], "id");
            if (a && b && strcmp(a, b) == 0)
                err_add(d->el, d->json_path, 0, "rules", "rules[%zu]: id \"%s\" repeated", i, a);
        }
    }
}

store_err demo_load_promotions(store *s, const char *assets_dir, char *msg, size_t msg_cap)
{
    char json_path[1024], csv_path[1024];
    errlist el = {0};
    promo_demo d = {.el = &el, .json_path = json_path, .csv_path = csv_path};
    store_err e = STORE_OK;
    if (msg && msg_cap)
        msg[0] = '\0';
    if (!s || !assets_dir)
        return STORE_ERR_INVALID;
    if (snprintf(json_path, sizeof json_path, "%s/demo/promotions.json", assets_dir) >=
            (int)sizeof json_path ||
        snprintf(csv_path, sizeof csv_path, "%s/demo/members.csv", assets_dir) >=
            (int)sizeof csv_path) {
        snprintf(msg, msg_cap, "%s: path too long", assets_dir);
        return STORE_ERR_INVALID;
    }
    FILE *probe = fopen(json_path, "rb");
    if (probe) {
        fclose(probe);
        char why[256];
        size_t len = 0;
        char *text = ct_read_file(json_path, 4u << 20, &len, why, sizeof why);
        if (!text) {
            err_add(&el, json_path, 0, "file", "%s", why);
        } else {
            d.doc = json_parse(text, len, why, sizeof why);
            if (!d.doc)
                err_add(&el, json_path, 0, "json", "%s", why);
            else
                check_demo_json(&d);
            free(text);
        }
    }
    el.file_seq = 1;
    probe = fopen(csv_path, "rb");
    if (probe) {
        fclose(probe);
        parse_members(csv_path, &d);
    }
    if (el.n > 0 || el.oom) {
        e = STORE_ERR_INVALID;
        goto out;
    }
    e = store_transaction(s, demo_tx, &d);
    if (e && el.n == 0)
        err_add(&el, "demo", 0, "transaction", "%s", store_last_error(s));
out:
    errlist_copy(&el, msg, msg_cap);
    errlist_free(&el);
    json_free(d.doc);
    free(d.members);
    return e;
}
