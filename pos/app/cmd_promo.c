/* promo: the manager's editor of the store's campaigns (docs/PROMOTIONS.md).  Every number of
 * a campaign is store configuration, so it is edited here, not in code:
 *
 *   promo list [--json]            id, label, priority, exclusive, active, schedule summary
 *   promo show ID                  the rule as JSON (the import format)
 *   promo import FILE.json         one rule, an array of rules or {"rules": [...]}; all or
 *                                  nothing; each bad rule as FILE: rule "ID": field: reason
 *   promo disable ID / enable ID   switch a rule off / on (rules are never deleted)
 *
 * Every change that changes something leaves an audit row (db/points.c, db/rules.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/rules.h"
#include "pos/core/rule_json.h"
#include "db/store.h"
#include "pos/app/cli.h"
#include "pos/app/i18n.h"
#include "pos/core/json.h"
#include "pos/core/promo.h"


/* At most this many rules in a file or in the store (the till prices with at most
 * PROMO_MAX_RULES active ones; inactive rules are kept for the receipts that name them). */
#define PROMO_ADMIN_MAX_RULES 1024
/* A rules file is small; a bigger one is a wrong file. */
#define PROMO_FILE_MAX (4u << 20)

/* A one-line summary of when a rule is in force ("always" when no part is set). */
static void schedule_summary(const promo_schedule *sc, char *buf, size_t cap)
{
    static const char *const wd[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
    size_t n = 0;
    buf[0] = '\0';
#define ADD(...)                                                                    \
    do {                                                                            \
        if (n < cap) {                                                              \
            int k_ = snprintf(buf + n, cap - n, __VA_ARGS__);                       \
            n = k_ < 0 ? cap : n + (size_t)k_;                                      \
        }                                                                           \
    } while (0)
    if (sc->weekdays) {
        ADD("%s", n ? "; " : "");
        bool first = true;
        for (int i = 0; i < 7; i++)
            if (sc->weekdays & PROMO_WEEKDAY(i)) {
                ADD("%s%s", first ? "" : ",", wd[i]);
                first = false;
            }
    }
    if (sc->from[0] || sc->to[0])
        ADD("%s%.10s..%.10s", n ? "; " : "", sc->from, sc->to);
    if (sc->has_solar || sc->has_lunar) {
        bool lunar = sc->has_lunar;
        int m = lunar ? sc->lunar_month : sc->solar_month, d = lunar ? sc->lunar_day : sc->solar_day;
        const char *name = promo_anchor_name(lunar, m, d);
        ADD("%s%s %02d-%02d", n ? "; " : "", lunar ? "lunar" : "solar", m, d);
        if (name)
            ADD(" %s", name);
        if (sc->span_before || sc->span_after)
            ADD(" -%d/+%d", sc->span_before, sc->span_after);
    }
    if (sc->start_min != sc->end_min)
        ADD("%s%02d:%02d-%02d:%02d", n ? "; " : "", sc->start_min / 60, sc->start_min % 60,
            sc->end_min / 60, sc->end_min % 60);
    if (n == 0)
        ADD("always");
#undef ADD
}

static int refused(store *s, store_err e)
{
    cli_error("%s: %s", store_strerror(e), store_last_error(s));
    return EXIT_REFUSED;
}

static int do_list(const cli_ctx *ctx, store *s)
{
    promo_rule *rules = calloc(PROMO_ADMIN_MAX_RULES, sizeof *rules);
    bool *active = calloc(PROMO_ADMIN_MAX_RULES, sizeof *active);
    size_t n = 0;
    if (!rules || !active) {
        free(rules);
        free(active);
        cli_error("out of memory");
        return EXIT_REFUSED;
    }
    store_err e = rules_list(s, rules, active, PROMO_ADMIN_MAX_RULES, &n);
    if (e) {
        free(rules);
        free(active);
        return refused(s, e);
    }
    strbuf sb;
    json_writer w;
    strbuf_init(&sb);
    json_writer_init(&w, &sb, false);
    json_begin_array(&w);
    for (size_t i = 0; i < n; i++) {
        char when[256];
        schedule_summary(&rules[i].schedule, when, sizeof when);
        if (ctx->json) {
            json_begin_object(&w);
            json_kv_string(&w, "id", rules[i].id);
            json_kv_string(&w, "label", rules[i].label);
            json_kv_int(&w, "priority", rules[i].priority);
            json_kv_bool(&w, "exclusive", rules[i].exclusive);
            json_kv_bool(&w, "active", active[i]);
            json_kv_string(&w, "schedule", when);
            json_end_object(&w);
        } else {
            printf("%-24s %-4s %4d %s  %s  [%s]\n", rules[i].id, active[i] ? T("启用", "on") : T("停用", "off"),
                   rules[i].priority, rules[i].exclusive ? T("独享", "excl") : "-", rules[i].label,
                   when);
        }
    }
    json_end_array(&w);
    if (ctx->json)
        printf("%s\n", sb.data ? sb.data : "[]");
    else if (n == 0)
        printf("%s\n", T("没有促销规则", "No promotion rules"));
    strbuf_free(&sb);
    free(rules);
    free(active);
    return EXIT_DONE;
}

static int do_show(store *s, const char *id)
{
    promo_rule r;
    bool active = false;
    store_err e = rules_find(s, id, &r, &active);
    if (e == STORE_ERR_NOT_FOUND) {
        cli_error("%s \"%.40s\"", T("没有促销规则", "no promotion rule"), id);
        return EXIT_REFUSED;
    }
    if (e)
        return refused(s, e);
    strbuf sb;
    json_writer w;
    strbuf_init(&sb);
    json_writer_init(&w, &sb, true);
    rule_json_encode(&r, true, active, &w);
    printf("%s\n", sb.data ? sb.data : "{}");
    strbuf_free(&sb);
    return EXIT_DONE;
}

static int do_import(const cli_ctx *ctx, store *s, const char *path)
{
    char why[320];
    size_t len = 0;
    char *text = cli_read_file(path, PROMO_FILE_MAX, &len, why, sizeof why);
    if (!text) {
        cli_error("%s: %s", path, why);
        return EXIT_REFUSED;
    }
    json_value *doc = json_parse(text, len, why, sizeof why);
    free(text);
    if (!doc) {
        cli_error("%s: not JSON: %s", path, why);
        return EXIT_REFUSED;
    }
    /* The three shapes: {"rules": [...]} (the demo file; its "settings" belong to `config`),
     * a bare array, or one rule object. */
    const json_value *list = doc;
    bool single = false;
    if (doc->type == JSON_OBJECT && json_get(doc, "rules")) {
        list = json_get(doc, "rules");
        for (size_t i = 0; i < doc->n_items; i++)
            /* "comment" is the file's own note to its reader, "settings" belong to `config` */
            if (strcmp(doc->keys[i], "rules") != 0 && strcmp(doc->keys[i], "settings") != 0 &&
                strcmp(doc->keys[i], "comment") != 0) {
                cli_error("%s: %s: unknown key (expected \"rules\")", path, doc->keys[i]);
                json_free(doc);
                return EXIT_REFUSED;
            }
    } else if (doc->type == JSON_OBJECT) {
        single = true;
    }
    if (!single && (list->type != JSON_ARRAY || list->n_items == 0)) {
        cli_error("%s: expected a rule object, a non-empty array of rules or {\"rules\": [...]}",
                  path);
        json_free(doc);
        return EXIT_REFUSED;
    }
    size_t n_in = single ? 1 : list->n_items;
    if (n_in > PROMO_ADMIN_MAX_RULES) {
        cli_error("%s: %zu rules; at most %d in one file", path, n_in, PROMO_ADMIN_MAX_RULES);
        json_free(doc);
        return EXIT_REFUSED;
    }
    promo_rule *rules = calloc(n_in, sizeof *rules);
    bool *active = calloc(n_in, sizeof *active);
    if (!rules || !active) {
        free(rules);
        free(active);
        json_free(doc);
        cli_error("out of memory");
        return EXIT_REFUSED;
    }
    /* Decode everything and report every bad rule before writing anything. */
    size_t bad = 0;
    for (size_t i = 0; i < n_in; i++) {
        const json_value *v = single ? doc : json_at(list, i);
        if (!rule_json_decode(v, &rules[i], &active[i], why, sizeof why)) {
            cli_error("%s: %s", path, why);
            bad++;
            continue;
        }
        for (size_t j = 0; j < i; j++)
            if (strcmp(rules[j].id, rules[i].id) == 0) {
                cli_error("%s: rule \"%s\": id: appears twice in the file", path, rules[i].id);
                bad++;
                break;
            }
    }
    json_free(doc);
    int rc = EXIT_DONE;
    size_t changed = 0;
    if (bad) {
        cli_error("%s: %zu %s", path, bad,
                  T("条规则有误，全部未导入", "bad rule(s); nothing imported"));
        rc = EXIT_REFUSED;
    } else {
        store_err e = rules_import(s, rules, active, n_in, &changed);
        if (e) {
            cli_error("%s: %s: %s", path, store_strerror(e), store_last_error(s));
            cli_error("%s: %s", path, T("全部未导入", "nothing imported"));
            rc = EXIT_REFUSED;
        }
    }
    if (rc == EXIT_DONE) {
        if (ctx->json) {
            printf("{\"rules\":%zu,\"changed\":%zu}\n", n_in, changed);
        } else {
            printf("%s %zu %s, %zu %s\n", T("已导入", "Imported"), n_in, T("条规则", "rules"),
                   changed, T("条有变化", "changed"));
        }
    }
    free(rules);
    free(active);
    return rc;
}

int cmd_promo(const cli_ctx *ctx)
{
    const char *sub = ctx->argc > 0 ? ctx->argv[0] : "";
    const char *arg = ctx->argc > 1 ? ctx->argv[1] : NULL;
    bool list = strcmp(sub, "list") == 0, show = strcmp(sub, "show") == 0,
         import = strcmp(sub, "import") == 0, disable = strcmp(sub, "disable") == 0,
         enable = strcmp(sub, "enable") == 0;
    if (!(list && ctx->argc == 1) && !((show || import || disable || enable) && ctx->argc == 2)) {
        cli_error("usage: promo list | promo show ID | promo import FILE.json | "
                  "promo disable ID | promo enable ID");
        return EXIT_USAGE;
    }
    store *s = cli_open_store(ctx, list || show);
    if (!s)
        return EXIT_REFUSED;
    int rc;
    if (list) {
        rc = do_list(ctx, s);
    } else if (show) {
        rc = do_show(s, arg);
    } else if (import) {
        rc = do_import(ctx, s, arg);
    } else {
        store_err e = disable ? rules_deactivate(s, arg) : rules_activate(s, arg);
        if (e) {
            rc = refused(s, e);
        } else {
            printf("%s %s\n", disable ? T("已停用", "Disabled") : T("已启用", "Enabled"), arg);
            rc = EXIT_DONE;
        }
    }
    store_close(s);
    return rc;
}
