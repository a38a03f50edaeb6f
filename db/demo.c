/* demo: load the demo store from CSV (suppliers, catalog, households' agreements), and its
 * promotions, members and gift stock (demo_load_promotions, at the end of this file).
 *
 * Two passes: first parse and validate every row of every file, collecting every problem
 * (a purchaser fixing a spreadsheet wants all the bad lines at once, not one per run); only a
 * clean parse is written, in one transaction, by upsert.  The catalog goes through
 * db/catalog.c -- the very path of `catalog import` -- so the demo file is a valid import file
 * by construction.  A CSV is outside data: every field is length-checked, UTF-8-checked and
 * parsed strictly (db/csv_table.c). */
#include "db/demo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "db/catalog.h"
#include "db/csv_table.h"
#include "db/members.h"
#include "db/points.h"
#include "db/rules.h"
#include "db/settings.h"
#include "db/store_internal.h"
#include "db/suppliers.h"
#include "pos/core/bizday.h"
#include "pos/core/json.h"
#include "pos/core/member.h"
#include "pos/core/rule_json.h"
#include "pos/core/utf8.h"

/* The label layouts of the demo store's scales (pos/core/scale_label.h): 13-digit price and
 * weight labels, and the 18-digit label carrying both. */
#define DEMO_SCALE_LAYOUTS "21CCCCCPPPPPK;22CCCCCWWWWWK;23CCCCCQPPPPK;26CCCCCPPPPPWWWWWK"

const char *demo_assets_dir(void)
{
    const char *env = getenv("FUPIN_POS_ASSETS");
    if (env && env[0])
        return env;
#ifdef FUPIN_ASSETS_DIR
    return FUPIN_ASSETS_DIR;
#else
    return "assets";
#endif
}

/* ---- rows ---- */

typedef struct {
    supplier sup;
    int line;
} sup_row;

typedef struct {
    char id[32];
    char supplier_id[SUPPLIER_ID_CAP];
    int64_t amount_fen;
    char term_from[11], term_to[11];
    char note[128];
    int line;
} agr_row;

typedef struct {
    sup_row *sups;
    size_t n_sups, cap_sups;
    agr_row *agrs;
    size_t n_agrs, cap_agrs;
} catalog;

enum { S_ID, S_NAME, S_KIND, S_HOUSEHOLD, S_VILLAGE, S_TOWNSHIP, S_CONTACT, S_NCOLS };
static const ct_column SUP_COLS[S_NCOLS] = {
    {"id", true},      {"name", true},     {"kind", true},    {"household_id", true},
    {"village", true}, {"township", true}, {"contact", true},
};

static const sup_row *find_sup(const catalog *c, const char *id)
{
    for (size_t i = 0; i < c->n_sups; i++)
        if (strcmp(c->sups[i].sup.id, id) == 0)
            return &c->sups[i];
    return NULL;
}

static bool sup_known(void *ctx, const char *id) { return find_sup(ctx, id) != NULL; }

static void parse_suppliers(const char *path, catalog *c, errlist *el)
{
    ct_table t;
    if (!ct_open(&t, path, CT_ENC_AUTO, SUP_COLS, S_NCOLS, el))
        goto out;
    int rc;
    while ((rc = ct_next(&t, el)) != 0) {
        if (rc < 0)
            continue;
        int line = ct_line(&t);
        sup_row row = {.line = line};
        supplier *s = &row.sup;
        bool ok = ct_take_text(el, path, line, "id", ct_field(&t, S_ID), s->id, sizeof s->id, true);
        ok &= ct_take_text(el, path, line, "name", ct_field(&t, S_NAME), s->name, sizeof s->name,
                           true);
        const char *kind = ct_field(&t, S_KIND);
        if (strcmp(kind, "cooperative") && strcmp(kind, "firm") && strcmp(kind, "household")) {
            err_add(el, path, line, "kind", "\"%.32s\" is not cooperative, firm or household",
                    kind);
            ok = false;
        } else {
            snprintf(s->kind, sizeof s->kind, "%s", kind);
        }
        ok &= ct_take_text(el, path, line, "household_id", ct_field(&t, S_HOUSEHOLD),
                           s->household_id, sizeof s->household_id, false);
        if (ok && strcmp(s->kind, "household") == 0 && !s->household_id[0]) {
            err_add(el, path, line, "household_id", "required for a household (建档立卡户)");
            ok = false;
        } else if (ok && strcmp(s->kind, "household") != 0 && s->household_id[0]) {
            err_add(el, path, line, "household_id", "only households have a household id");
            ok = false;
        }
        ok &= ct_take_text(el, path, line, "village", ct_field(&t, S_VILLAGE), s->village,
                           sizeof s->village, false);
        ok &= ct_take_text(el, path, line, "township", ct_field(&t, S_TOWNSHIP), s->township,
                           sizeof s->township, false);
        ok &= ct_take_text(el, path, line, "contact", ct_field(&t, S_CONTACT), s->contact,
                           sizeof s->contact, false);
        const sup_row *dup = s->id[0] ? find_sup(c, s->id) : NULL;
        if (dup) {
            err_add(el, path, line, "id", "duplicate supplier %s (first on line %d)", s->id,
                    dup->line);
            ok = false;
        }
        if (!ok)
            continue;
        if (!store_grow((void **)&c->sups, &c->cap_sups, c->n_sups, sizeof *c->sups, 64)) {
            err_add(el, path, line, "row", "out of memory");
            break;
        }
        c->sups[c->n_sups++] = row;
    }
out:
    ct_close(&t);
}

enum { A_ID, A_SUPPLIER, A_AMOUNT, A_FROM, A_TO, A_NOTE, A_NCOLS };
static const ct_column AGR_COLS[A_NCOLS] = {
    {"id", true},      {"supplier_id", true}, {"amount_agreed_fen", true},
    {"term_from", true}, {"term_to", true},   {"note", false},
};

static bool take_day(errlist *el, const char *path, int line, const char *column,
                     const char *val, char out[11])
{
    if (strlen(val) != 10 || !bizday_valid_day(val)) {
        err_add(el, path, line, column, "\"%.32s\" is not a date YYYY-MM-DD", val);
        return false;
    }
    memcpy(out, val, 11);
    return true;
}

static void parse_agreements(store *s, const char *path, catalog *c, errlist *el)
{
    ct_table t;
    if (access(path, F_OK) != 0)
        return;   /* optional: a store may have no agreements (yet) */
    if (!ct_open(&t, path, CT_ENC_AUTO, AGR_COLS, A_NCOLS, el))
        goto out;
    int rc;
    while ((rc = ct_next(&t, el)) != 0) {
        if (rc < 0)
            continue;
        int line = ct_line(&t);
        agr_row a = {.line = line};
        bool ok = ct_take_text(el, path, line, "id", ct_field(&t, A_ID), a.id, sizeof a.id, true);
        ok &= ct_take_text(el, path, line, "supplier_id", ct_field(&t, A_SUPPLIER), a.supplier_id,
                           sizeof a.supplier_id, true);
        const char *v = ct_field(&t, A_AMOUNT);
        if (!ct_parse_uint(v, MONEY_MAX_FEN, &a.amount_fen) || a.amount_fen == 0) {
            err_add(el, path, line, "amount_agreed_fen",
                    "\"%.32s\" is not money: a whole number of fen > 0", v);
            ok = false;
        }
        bool dates = take_day(el, path, line, "term_from", ct_field(&t, A_FROM), a.term_from);
        dates &= take_day(el, path, line, "term_to", ct_field(&t, A_TO), a.term_to);
        if (dates && strcmp(a.term_from, a.term_to) > 0) {
            err_add(el, path, line, "term_to", "%s is before term_from %s", a.term_to, a.term_from);
            dates = false;
        }
        ok &= dates;
        ok &= ct_take_text(el, path, line, "note", ct_field(&t, A_NOTE), a.note, sizeof a.note,
                           false);
        if (a.supplier_id[0]) {
            /* Agreements are made with registered poor households: the county's figure is the
             * money reaching each of them. */
            const sup_row *sr = find_sup(c, a.supplier_id);
            supplier db_sup;
            const supplier *sp = sr ? &sr->sup
                                    : suppliers_find(s, a.supplier_id, &db_sup) == STORE_OK
                                          ? &db_sup
                                          : NULL;
            if (!sp) {
                err_add(el, path, line, "supplier_id", "unknown supplier %s", a.supplier_id);
                ok = false;
            } else if (strcmp(sp->kind, "household") != 0) {
                err_add(el, path, line, "supplier_id", "%s is a %s, not a household",
                        a.supplier_id, sp->kind);
                ok = false;
            }
        }
        for (size_t i = 0; ok && i < c->n_agrs; i++)
            if (strcmp(c->agrs[i].id, a.id) == 0) {
                err_add(el, path, line, "id", "duplicate agreement %s (first on line %d)", a.id,
                        c->agrs[i].line);
                ok = false;
            }
        if (!ok)
            continue;
        if (!store_grow((void **)&c->agrs, &c->cap_agrs, c->n_agrs, sizeof *c->agrs, 64)) {
            err_add(el, path, line, "row", "out of memory");
            break;
        }
        c->agrs[c->n_agrs++] = a;
    }
out:
    ct_close(&t);
}

/* ---- writing ---- */

typedef struct {
    const catalog *c;
    catalog_batch *products;
    const char *sup_path, *agr_path;
    errlist *el;
} load_ctx;

static store_err upsert_agreement(store *s, const agr_row *a)
{
    sqlite3_stmt *st = NULL;
    store_err e = store_prepare(
        s,
        "INSERT INTO agreements(id, supplier_id, amount_agreed_fen, term_from, term_to, note) "
        "VALUES(?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(id) DO UPDATE SET "
        "supplier_id = excluded.supplier_id, amount_agreed_fen = excluded.amount_agreed_fen, "
        "term_from = excluded.term_from, term_to = excluded.term_to, note = excluded.note "
        "WHERE (supplier_id, amount_agreed_fen, term_from, term_to, note) IS NOT "
        "(excluded.supplier_id, excluded.amount_agreed_fen, excluded.term_from, "
        "excluded.term_to, excluded.note)",
        &st);
    if (e)
        return e;
    sqlite3_bind_text(st, 1, a->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, a->supplier_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, a->amount_fen);
    sqlite3_bind_text(st, 4, a->term_from, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, a->term_to, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, a->note, -1, SQLITE_STATIC);
    return store_step_done(s, st);
}

static store_err load_tx(store *s, void *vctx)
{
    load_ctx *x = vctx;
    store_err e;
    for (size_t i = 0; i < x->c->n_sups; i++) {
        const sup_row *r = &x->c->sups[i];
        if ((e = suppliers_upsert(s, &r->sup))) {
            err_add(x->el, x->sup_path, r->line, "id", "%s", store_last_error(s));
            return e;
        }
    }
    if ((e = catalog_apply(s, x->products, NULL))) {
        err_add(x->el, "catalog", 0, "import", "%s", store_last_error(s));
        return e;
    }
    for (size_t i = 0; i < x->c->n_agrs; i++) {
        const agr_row *a = &x->c->agrs[i];
        if ((e = upsert_agreement(s, a))) {
            err_add(x->el, x->agr_path, a->line, "id", "%s", store_last_error(s));
            return e;
        }
    }
    /* The demo store's identity, unless the till already has one (init --store wins). */
    char code[32];
    e = settings_get(s, "store.code", code, sizeof code);
    if (e == STORE_ERR_NOT_FOUND) {
        till_config cfg = {.till_no = 1, .rounding = ROUNDING_DROP_FEN,
                           .tz_offset_min = BIZDAY_SHANGHAI_OFFSET_MIN};
        snprintf(cfg.store_code, sizeof cfg.store_code, "YR01");
        snprintf(cfg.store_name, sizeof cfg.store_name, "永仁县扶贫超市");
        e = settings_set_config(s, &cfg);
    }
    if (e) {
        err_add(x->el, "settings", 0, "store.code", "%s", store_last_error(s));
        return e;
    }
    /* The scales' label layouts, likewise only when the store has none configured. */
    char layouts[256];
    e = settings_get(s, "scale.layouts", layouts, sizeof layouts);
    if (e == STORE_ERR_NOT_FOUND)
        e = settings_set(s, "scale.layouts", DEMO_SCALE_LAYOUTS);
    if (e)
        err_add(x->el, "settings", 0, "scale.layouts", "%s", store_last_error(s));
    return e;
}

store_err demo_load(store *s, const char *assets_dir, char *msg, size_t msg_cap)
{
    char sup_path[1024], prod_path[1024], agr_path[1024];
    catalog c = {0};
    errlist el = {0};
    catalog_batch *products = NULL;
    store_err e = STORE_OK;
    if (msg && msg_cap)
        msg[0] = '\0';
    if (!s) {
        store_set_msg(msg, msg_cap, "demo:0: store: no store");
        return STORE_ERR_INVALID;
    }
    if (!assets_dir)
        assets_dir = demo_assets_dir();
    if (snprintf(sup_path, sizeof sup_path, "%s/demo/suppliers.csv", assets_dir) >=
            (int)sizeof sup_path ||
        snprintf(prod_path, sizeof prod_path, "%s/demo/products.csv", assets_dir) >=
            (int)sizeof prod_path ||
        snprintf(agr_path, sizeof agr_path, "%s/demo/agreements.csv", assets_dir) >=
            (int)sizeof agr_path) {
        store_set_msg(msg, msg_cap, "%s:0: path: too long", assets_dir);
        return STORE_ERR_INVALID;
    }
    parse_suppliers(sup_path, &c, &el);
    el.file_seq = 1;
    /* The catalog may name suppliers that are only in suppliers.csv so far. */
    catalog_import_opts o = {.encoding = CT_ENC_AUTO, .source = "demo:products.csv",
                             .now_utc = (int64_t)time(NULL), .supplier_known = sup_known,
                             .supplier_ctx = &c};
    products = catalog_parse(s, prod_path, &o, &el);
    el.file_seq = 2;
    parse_agreements(s, agr_path, &c, &el);
    if (el.n > 0 || el.oom || !products) {
        if (el.n == 0)
            err_add(&el, prod_path, 0, "file", "out of memory");
        e = STORE_ERR_INVALID;
        goto out;
    }
    load_ctx x = {&c, products, sup_path, agr_path, &el};
    e = store_transaction(s, load_tx, &x);
    if (e && el.n == 0)
        err_add(&el, "demo", 0, "transaction", "%s", store_last_error(s));
out:
    errlist_copy(&el, msg, msg_cap);
    errlist_free(&el);
    catalog_batch_free(products);
    free(c.sups);
    free(c.agrs);
    return e;
}

/* ---- promotions, members and gift stock (issue #5) ---- */

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
    return known && utf8_text_valid(v) && strlen(v) < 32;
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
    if (settings && (e = points_load_config(s, &pc, NULL))) {
        err_add(d->el, d->json_path, 0, "settings", "%s", store_last_error(s));
        return e;
    }
    const json_value *rules = d->doc ? json_get(d->doc, "rules") : NULL;
    for (size_t i = 0; rules && i < rules->n_items; i++) {
        promo_rule r;
        bool active;
        char why[256];
        if (!rule_json_decode(&rules->items[i], &r, &active, why, sizeof why)) {
            err_add(d->el, d->json_path, 0, "rules", "rules[%zu]: %s", i, why);
            return STORE_ERR_INVALID;
        }
        /* Nests as a savepoint inside this transaction. */
        if ((e = rules_upsert(s, &r, active))) {
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
        if ((e = members_upsert(s, &d->members[i]))) {
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
        if (!rule_json_decode(&r->items[i], &rule, NULL, why, sizeof why))
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
        store_set_msg(msg, msg_cap, "%s: path too long", assets_dir);
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
