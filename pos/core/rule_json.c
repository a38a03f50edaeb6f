/* rule_json: decode and encode promotion rules.  See rule_json.h. */
#include "pos/core/rule_json.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "pos/core/bizday.h"
#include "pos/core/json.h"
#include "pos/core/utf8.h"

/* ================================================================== rule codec (decode) */

typedef struct {
    char *why;
    size_t cap;
    char rule[64];        /* "rule \"ID\"", or "rule" until the id is known */
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
    if (!utf8_text_valid(v->string))
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
#define N_SCOPES (sizeof SCOPE_NAMES / sizeof SCOPE_NAMES[0])
#define N_EFFECTS (sizeof EFFECT_NAMES / sizeof EFFECT_NAMES[0])

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
    int k = name_index(json_get(o, "kind"), SCOPE_NAMES, N_SCOPES);
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
    int k = name_index(json_get(o, "kind"), EFFECT_NAMES, N_EFFECTS);
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

bool rule_json_decode(const json_value *v, promo_rule *out, bool *active, char *why,
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

void rule_json_encode(const promo_rule *r, bool with_active, bool active, json_writer *w)
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
        json_kv_string(w, "kind", (unsigned)sc->kind < N_SCOPES ? SCOPE_NAMES[sc->kind] : "?");
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
    json_kv_string(w, "kind", (unsigned)e->kind < N_EFFECTS ? EFFECT_NAMES[e->kind] : "?");
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

