/* rules: promotion rules in the store.  See rules.h. */
#include "db/rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db/audit.h"
#include "db/store_internal.h"
#include "pos/core/json.h"
#include "pos/core/rule_json.h"

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
    rule_json_encode(r, false, true, &w);
    if (sb->oom || !sb->data)
        return store_failf(s, STORE_ERR_INTERNAL, "out of memory encoding rule %s", r->id);
    json_value *v = json_parse(sb->data, sb->len, why, sizeof why);
    promo_rule back;
    bool ok = v && rule_json_decode(v, &back, NULL, why, sizeof why);
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

store_err rules_upsert(store *s, const promo_rule *r, bool active)
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

store_err rules_deactivate(store *s, const char *id)
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
    bool ok = v && rule_json_decode(v, out, NULL, why, sizeof why);
    json_free(v);
    if (!ok)
        return store_failf(s, STORE_ERR_CORRUPT, "stored promotion rule \"%.40s\" is invalid: %s",
                           id ? id : "?", why);
    return STORE_OK;
}

/* The rules sql selects (id, rule_json, active), ordered by id, into out (and whether each is
 * active, when active is not NULL).  More rows than cap is a refusal naming `what`, never a
 * silent subset; on any error *n is 0.  sql is a string literal, kept prepared (store_cached):
 * the till reloads the active rules at the start of every sale. */
static store_err load_rules(store *s, const char *sql, const char *what, promo_rule *out,
                            bool *active, size_t cap, size_t *n)
{
    if (!s || !n || (cap && !out))
        return STORE_ERR_INVALID;
    *n = 0;
    sqlite3_stmt *st = NULL;
    store_err e = store_cached(s, sql, &st);
    if (e)
        return e;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            e = store_failf(s, STORE_ERR_INVALID, "more than %zu %s", cap, what);
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
    sqlite3_reset(st);
    if (e)
        *n = 0;
    return e;
}

store_err rules_load_active(store *s, promo_rule *out, size_t cap, size_t *n)
{
    return load_rules(s,
                      "SELECT id, rule_json, active FROM promo_rules WHERE active = 1 "
                      "ORDER BY id",
                      "active promotion rules", out, NULL, cap, n);
}

store_err rules_find(store *s, const char *id, promo_rule *out, bool *active)
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

store_err rules_list(store *s, promo_rule *out, bool *active, size_t cap, size_t *n)
{
    return load_rules(s, "SELECT id, rule_json, active FROM promo_rules ORDER BY id",
                      "promotion rules", out, active, cap, n);
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

store_err rules_import(store *s, const promo_rule *rules, const bool *active, size_t n,
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
    store_err e = rules_find(s, id, &r, &active);
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

store_err rules_activate(store *s, const char *id)
{
    if (!s || !id)
        return STORE_ERR_INVALID;
    return store_transaction(s, activate_tx, (void *)id);
}

/* Average unit cost of the inbound moves that carry a cost (receipts; the demo's opening
 * stock), half-up; the level counts every move (sales and gifts too), so a gift never exceeds
 * what the books say is on the shelf.  Kept prepared: pricing a basket with a gift rule asks it
 * on every scan. */
static const char SQL_GIFT_STOCK[] =
    "SELECT EXISTS(SELECT 1 FROM products WHERE sku = ?1), "
    "(SELECT coalesce(sum(qty), 0) FROM stock_moves WHERE sku = ?1), "
    "(SELECT CASE WHEN sum(qty) > 0 THEN (2 * sum(cost_fen) + sum(qty)) / "
    "(2 * sum(qty)) ELSE 0 END FROM stock_moves "
    "WHERE sku = ?1 AND qty > 0 AND cost_fen > 0)";

bool rules_gift_stock(void *ctx, const char *sku, int64_t *on_hand, fen_t *cost_fen)
{
    store *s = ctx;
    sqlite3_stmt *st = NULL;
    if (store_cached(s, SQL_GIFT_STOCK, &st))
        return false;
    sqlite3_bind_text(st, 1, sku, -1, SQLITE_TRANSIENT);
    bool ok = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) == 1;
    if (ok) {
        *on_hand = sqlite3_column_int64(st, 1);
        *cost_fen = sqlite3_column_int64(st, 2);
    }
    sqlite3_reset(st);
    return ok;
}

