/* price: price a basket with the promotion rules in force at --at, explain every applied rule,
 * write nothing.
 *
 *   price BASKET.json [--member CARD|PHONE]
 *   BASKET.json: {"items": [{"code": "6985798000316", "qty": 2}, {"plu": "10001", "grams": 512},
 *                           {"sku": "P0003", "qty": 1}], "member": "88000001"}
 *
 * The items go through the till's own look-ups (till_scan / till_add_weighed / till_add_sku),
 * certificate validity included, and the till's own pricing (till_reprice, which every scan
 * and till_prepare_sale run) -- so `price` cannot disagree with `sell`.  The database is opened read-only. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/demo.h"
#include "db/members.h"
#include "db/points.h"
#include "db/rules.h"
#include "db/stars.h"
#include "pos/core/member.h"
#include "pos/core/rule_json.h"
#include "db/products.h"
#include "db/sales.h"
#include "db/search.h"
#include "db/settings.h"
#include "db/store.h"
#include "db/suppliers.h"
#include "pos/app/cli.h"
#include "pos/app/i18n.h"
#include "pos/app/till.h"
#include "pos/core/bizday.h"
#include "pos/core/json.h"
#include "pos/core/points.h"
#include "pos/core/promo.h"

#define BASKET_FILE_MAX (1u << 20)

/* One item of the basket file: exactly one of code / plu / sku. */
static bool add_item(till *t, const json_value *it, size_t i)
{
    if (!it || it->type != JSON_OBJECT) {
        cli_error("items[%zu]: expected an object", i);
        return false;
    }
    static const char *const keys[] = {"code", "plu", "sku", "qty", "grams"};
    for (size_t k = 0; k < it->n_items; k++) {
        bool ok = false;
        for (size_t j = 0; j < 5; j++)
            ok = ok || strcmp(it->keys[k], keys[j]) == 0;
        if (!ok) {
            cli_error("items[%zu]: unknown key \"%.40s\"", i, it->keys[k]);
            return false;
        }
    }
    const char *code = json_get_string(it, "code"), *plu = json_get_string(it, "plu"),
               *sku = json_get_string(it, "sku");
    int kinds = (json_get(it, "code") != NULL) + (json_get(it, "plu") != NULL) +
                (json_get(it, "sku") != NULL);
    if (kinds != 1 || (!code && !plu && !sku)) {
        cli_error("items[%zu]: give exactly one of \"code\", \"plu\", \"sku\" (a string)", i);
        return false;
    }
    const json_value *q = json_get(it, "qty"), *g = json_get(it, "grams");
    if ((q && (q->type != JSON_NUMBER || !q->is_integer || q->integer < 1 ||
               q->integer > BASKET_MAX_QTY)) ||
        (g && (g->type != JSON_NUMBER || !g->is_integer || g->integer < 1 ||
               g->integer > BASKET_MAX_GRAMS))) {
        cli_error("items[%zu]: qty must be 1..%d and grams 1..%d", i, BASKET_MAX_QTY,
                  BASKET_MAX_GRAMS);
        return false;
    }
    int64_t qty = q ? q->integer : 1, grams = g ? g->integer : 0;
    till_err e;
    if (plu) {
        if (!g || q) {
            cli_error("items[%zu]: a \"plu\" item needs \"grams\" (and no \"qty\")", i);
            return false;
        }
        e = till_add_weighed(t, plu, grams, NULL);
    } else if (code) {
        if (g) {
            cli_error("items[%zu]: weigh by \"plu\" + \"grams\"; a \"code\" is scanned", i);
            return false;
        }
        e = till_scan(t, code, qty, NULL, NULL);
    } else {
        e = till_add_sku(t, sku, qty, grams, true, NULL);
    }
    if (e != TILL_OK) {
        cli_error("items[%zu]: %s", i, till_message(t));
        return false;
    }
    return true;
}

/* "9.5折" / "9折" from the percent paid. */
static void discount_text(int pct, char *buf, size_t cap)
{
    if (pct % 10 == 0)
        snprintf(buf, cap, "%d折", pct / 10);
    else
        snprintf(buf, cap, "%d.%d折", pct / 10, pct % 10);
}

/* What a rule does, in words, for the explanation. */
static void describe(const promo_rule *r, char *buf, size_t cap)
{
    char scope[96], what[160], a[MONEY_FMT_CAP], b[MONEY_FMT_CAP];
    switch (r->scope.kind) {
    case PROMO_SCOPE_POVERTY_RELIEF: snprintf(scope, sizeof scope, "%s", T("扶贫产品", "poverty-relief goods")); break;
    case PROMO_SCOPE_CATEGORY: snprintf(scope, sizeof scope, "%s %s", T("品类", "category"), r->scope.category); break;
    case PROMO_SCOPE_SKUS: snprintf(scope, sizeof scope, "%s %zu %s", T("指定商品", "listed"), r->scope.n_skus, T("种", "SKUs")); break;
    case PROMO_SCOPE_SUPPLIER: snprintf(scope, sizeof scope, "%s %s", T("供货方", "supplier"), r->scope.supplier_id); break;
    default: snprintf(scope, sizeof scope, "%s", T("全场", "all goods")); break;
    }
    const promo_effect *e = &r->effect;
    switch (e->kind) {
    case PROMO_PERCENT:
        discount_text(e->percent, what, sizeof what);
        break;
    case PROMO_BUY_N:
        if (e->bundle_fen > 0) {
            money_format_yuan(e->bundle_fen, a, sizeof a);
            snprintf(what, sizeof what, T("%d件%s", "%d for %s"), e->buy_n, a);
        } else {
            snprintf(what, sizeof what, T("买%d付%d", "buy %d pay %d"), e->buy_n, e->pay_units);
        }
        break;
    case PROMO_AMOUNT_OFF:
        money_format_yuan(e->amount_fen, a, sizeof a);
        snprintf(what, sizeof what, T("立减%s", "%s off"), a);
        break;
    case PROMO_THRESHOLD_OFF:
        money_format_yuan(e->threshold_fen, a, sizeof a);
        money_format_yuan(e->amount_fen, b, sizeof b);
        snprintf(what, sizeof what, T("%s满%s减%s", "%sfrom %s, %s off"),
                 e->repeat ? T("每", "each ") : "", a, b);
        break;
    case PROMO_THRESHOLD_GIFT:
        money_format_yuan(e->threshold_fen, a, sizeof a);
        snprintf(what, sizeof what, T("满%s赠 %s", "from %s gift %s"), a, e->gifts[0].sku);
        break;
    case PROMO_POINTS_MULTIPLIER:
        snprintf(what, sizeof what, T("积分×%d.%02d", "points ×%d.%02d"), e->multiplier_pct / 100,
                 e->multiplier_pct % 100);
        break;
    }
    snprintf(buf, cap, "%.90s%s%.120s%s", scope, T("，", ", "), what,
             r->scope.members_only ? T("（会员专享）", " (members only)") : "");
}

static const promo_rule *rule_by_id(const promo_rule *rules, size_t n, const char *id)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(rules[i].id, id) == 0)
            return &rules[i];
    return NULL;
}

static const char *MSG_KINDS[] = {"gift_substituted", "gift_out_of_stock", "threshold_short"};

typedef struct {
    till *t;
    const char *category[BASKET_MAX_LINES];   /* the till's own look-up (NULL: none) */
} price_work;

int cmd_price(const cli_ctx *ctx)
{
    const char *path = NULL, *member_arg = NULL;
    for (int i = 0; i < ctx->argc; i++) {
        const char *a = ctx->argv[i];
        if (strcmp(a, "--member") == 0 && i + 1 < ctx->argc)
            member_arg = ctx->argv[++i];
        else if (!path && (a[0] != '-' || strcmp(a, "-") == 0))
            path = a;
        else {
            cli_error("price: unexpected argument '%s' (usage: price BASKET.json [--member ID])", a);
            return EXIT_USAGE;
        }
    }
    if (!path) {
        cli_error("usage: price BASKET.json [--member ID] [--at ISO8601]");
        return EXIT_USAGE;
    }
    size_t len = 0;
    char why[64];
    char *text = cli_read_file(path, BASKET_FILE_MAX, &len, why, sizeof why);
    if (!text) {
        cli_error("cannot read %s: %s", path, why);
        return EXIT_REFUSED;
    }
    char err[160];
    json_value *doc = json_parse(text, len, err, sizeof err);
    free(text);
    if (!doc) {
        cli_error("%s: %s", path, err);
        return EXIT_REFUSED;
    }
    int rc = EXIT_REFUSED;
    store *s = NULL;
    price_work *w = calloc(1, sizeof *w);
    if (!w) {
        cli_error("out of memory");
        goto out;
    }
    const json_value *items = json_get(doc, "items");
    const json_value *mv = json_get(doc, "member");
    bool keys_ok = doc->type == JSON_OBJECT;
    for (size_t i = 0; keys_ok && i < doc->n_items; i++)
        keys_ok = strcmp(doc->keys[i], "items") == 0 || strcmp(doc->keys[i], "member") == 0;
    if (!keys_ok || !items || items->type != JSON_ARRAY || items->n_items == 0 ||
        (mv && mv->type != JSON_STRING && mv->type != JSON_NULL)) {
        cli_error("%s: expected {\"items\": [ … ], \"member\": \"…\"} (items non-empty, no other "
                  "keys)", path);
        goto out;
    }
    if (!member_arg && mv && mv->type == JSON_STRING)
        member_arg = mv->string;

    char msg[512] = "";
    s = cli_open_store(ctx, true);
    if (!s)
        goto out;
    if (till_attach(&w->t, s, msg, sizeof msg) != STORE_OK) {
        cli_error("%s", msg);
        goto out;
    }
    till_set_now(w->t, ctx->at_utc);
    /* The member first, as `sell` does: members-only rules price the lines as they come. */
    if (member_arg && till_set_member(w->t, member_arg) != TILL_OK) {
        cli_error("%s", till_message(w->t));
        goto out;
    }
    for (size_t i = 0; i < items->n_items; i++)
        if (!add_item(w->t, &items->items[i], i))
            goto out;
    /* The till's own pricing call (till_reprice = what every scan and the sale itself run),
     * at --at: `price` and `sell` cannot disagree. */
    if (till_reprice(w->t) != TILL_OK) {
        cli_error("%s", till_message(w->t));
        goto out;
    }
    bool has_member = till_has_member(w->t);
    const member *mp = till_member(w->t);
    const promo_rule *rules = NULL;
    size_t n_rules = till_rules(w->t, &rules);
    const promo_result *res = till_pricing(w->t);
    const basket *b = till_basket(w->t);
    /* The categories the pricing itself used (the till keeps them for the sale). */
    for (size_t i = 0; i < b->n_lines; i++)
        if (till_category(w->t, b->lines[i].item.sku, &w->category[i]) != TILL_OK) {
            cli_error("%s", till_message(w->t));
            goto out;
        }
    char day[11];
    till_business_day(w->t, day);
    const promo_rule *active[PROMO_MAX_RULES];
    size_t n_active = till_active_rules(w->t, active, PROMO_MAX_RULES);

    /* Points: what this basket would earn paid all in money, and what the member could pay
     * with points (the till's tender quote). */
    int64_t earned = 0, balance = till_member_balance(w->t);
    points_quote quote = {0};
    bool points_ok = false;
    if (has_member) {
        if (till_points_earned(w->t, res->total_fen, 0, &earned) != TILL_OK)
            earned = 0;
        till_points_info info;
        till_points_info_get(w->t, &info);
        quote.max_points = info.max_points;
        quote.max_value_fen = info.max_fen;
        points_ok = true;
    }

    char iso[32];
    bizday_format_iso8601(ctx->at_utc, till_config_get(w->t)->tz_offset_min, iso);
    if (ctx->json) {
        strbuf sb;
        json_writer jw;
        strbuf_init(&sb);
        json_writer_init(&jw, &sb, false);
        json_begin_object(&jw);
        json_kv_string(&jw, "at", iso);
        json_kv_string(&jw, "business_day", day);
        json_key(&jw, "member");
        if (has_member) {
            json_begin_object(&jw);
            json_kv_string(&jw, "id", mp->id);
            json_kv_string(&jw, "kind", member_kind_name(mp->kind));
            json_end_object(&jw);
        } else {
            json_null(&jw);
        }
        json_key(&jw, "lines");
        json_begin_array(&jw);
        for (size_t i = 0; i < b->n_lines; i++) {
            const basket_line *l = &b->lines[i];
            json_begin_object(&jw);
            json_kv_string(&jw, "sku", l->item.sku);
            json_kv_string(&jw, "name", l->item.name);
            json_kv_int(&jw, "qty", l->qty);
            json_kv_int(&jw, "grams", l->grams);
            json_kv_int(&jw, "unit_price_fen", l->unit_price_fen);
            json_kv_int(&jw, "amount_fen", l->amount_fen);
            json_kv_int(&jw, "discount_fen", l->discount_fen);
            json_kv_int(&jw, "net_fen", l->amount_fen - l->discount_fen);
            json_kv_bool(&jw, "poverty_relief", l->item.poverty_relief);
            json_kv_string(&jw, "category", w->category[i] ? w->category[i] : "");
            json_kv_int(&jw, "points_multiplier_pct", res->points_multiplier_pct[i]);
            json_end_object(&jw);
        }
        json_end_array(&jw);
        json_key(&jw, "applied");
        json_begin_array(&jw);
        for (size_t i = 0; i < res->n_applied; i++) {
            char d[256] = "";
            const promo_rule *r = rule_by_id(rules, n_rules, res->applied[i].rule);
            if (r)
                describe(r, d, sizeof d);
            json_begin_object(&jw);
            json_kv_string(&jw, "rule", res->applied[i].rule);
            json_kv_string(&jw, "label", res->applied[i].label);
            json_kv_int(&jw, "amount_fen", res->applied[i].amount_fen);
            json_kv_string(&jw, "explain", d);
            json_end_object(&jw);
        }
        json_end_array(&jw);
        json_key(&jw, "gifts");
        json_begin_array(&jw);
        for (size_t i = 0; i < res->n_gifts; i++) {
            json_begin_object(&jw);
            json_kv_string(&jw, "rule", res->gifts[i].rule);
            json_kv_string(&jw, "sku", res->gifts[i].sku);
            json_kv_int(&jw, "qty", res->gifts[i].qty);
            json_kv_int(&jw, "cost_fen", res->gifts[i].cost_fen);
            json_end_object(&jw);
        }
        json_end_array(&jw);
        json_key(&jw, "messages");
        json_begin_array(&jw);
        for (size_t i = 0; i < res->n_messages; i++) {
            const promo_message *pm = &res->messages[i];
            json_begin_object(&jw);
            json_kv_string(&jw, "kind", (unsigned)pm->kind < 3 ? MSG_KINDS[pm->kind] : "?");
            json_kv_string(&jw, "rule", pm->rule);
            json_kv_int(&jw, "amount_fen", pm->amount_fen);
            json_kv_string(&jw, "text", pm->text);
            json_end_object(&jw);
        }
        json_end_array(&jw);
        json_key(&jw, "in_force");
        json_begin_array(&jw);
        for (size_t i = 0; i < n_active; i++) {
            json_begin_object(&jw);
            json_kv_string(&jw, "rule", active[i]->id);
            json_kv_string(&jw, "label", active[i]->label);
            json_end_object(&jw);
        }
        json_end_array(&jw);
        json_kv_int(&jw, "subtotal_fen", res->subtotal_fen);
        json_kv_int(&jw, "discount_fen", res->discount_total_fen);
        json_kv_int(&jw, "total_fen", res->total_fen);
        json_key(&jw, "points");
        if (points_ok) {
            json_begin_object(&jw);
            json_kv_int(&jw, "earn", earned);
            json_kv_int(&jw, "balance", balance);
            json_kv_int(&jw, "redeem_max_points", quote.max_points);
            json_kv_int(&jw, "redeem_max_fen", quote.max_value_fen);
            json_end_object(&jw);
        } else {
            json_null(&jw);
        }
        json_end_object(&jw);
        printf("%s\n", sb.data ? sb.data : "{}");
        strbuf_free(&sb);
    } else {
        char a[MONEY_FMT_CAP], d[MONEY_FMT_CAP], n[MONEY_FMT_CAP];
        printf("%s %s%s%s\n", T("计价时间", "Priced at"), iso,
               has_member ? T("  会员 ", "  member ") : "", has_member ? mp->id : "");
        for (size_t i = 0; i < b->n_lines; i++) {
            const basket_line *l = &b->lines[i];
            money_format_yuan(l->amount_fen, a, sizeof a);
            money_format_yuan(l->discount_fen, d, sizeof d);
            money_format_yuan(l->amount_fen - l->discount_fen, n, sizeof n);
            char q[32];
            if (l->grams > 0)
                snprintf(q, sizeof q, "%lldg", (long long)l->grams);
            else
                snprintf(q, sizeof q, "×%lld", (long long)l->qty);
            printf("  %-30s %8s %10s  -%s = %s%s\n", l->item.name, q, a, d, n,
                   l->item.poverty_relief ? T("  [扶贫]", "  [PR]") : "");
        }
        printf("%s:\n", T("参加的优惠", "Applied"));
        if (res->n_applied == 0)
            printf("  %s\n", T("（无）", "(none)"));
        for (size_t i = 0; i < res->n_applied; i++) {
            char desc[256] = "";
            const promo_rule *r = rule_by_id(rules, n_rules, res->applied[i].rule);
            if (r)
                describe(r, desc, sizeof desc);
            money_format_yuan(res->applied[i].amount_fen, a, sizeof a);
            printf("  %-28s %10s  [%s] %s\n", res->applied[i].label, a,
                   res->applied[i].rule, desc);
        }
        for (size_t i = 0; i < res->n_gifts; i++)
            printf("  %s %s ×%lld  (%s)\n", T("赠品", "Gift"), res->gifts[i].sku,
                   (long long)res->gifts[i].qty, res->gifts[i].rule);
        for (size_t i = 0; i < res->n_messages; i++)
            printf("  ! %s\n", res->messages[i].text);
        money_format_yuan(res->subtotal_fen, a, sizeof a);
        money_format_yuan(res->discount_total_fen, d, sizeof d);
        money_format_yuan(res->total_fen, n, sizeof n);
        printf("%s %s  %s %s  %s %s\n", T("原价", "Subtotal"), a, T("优惠", "Discount"), d,
               T("应付", "Total"), n);
        if (points_ok) {
            money_format_yuan(quote.max_value_fen, a, sizeof a);
            printf("%s %lld  %s %lld  %s %lld (%s)\n", T("本单积分", "Points earned"),
                   (long long)earned, T("积分余额", "balance"), (long long)balance,
                   T("最多可抵", "redeemable"), (long long)quote.max_points, a);
        }
        printf("%s:", T("当前生效的规则", "In force"));
        for (size_t i = 0; i < n_active; i++)
            printf("%s%s", i ? T("、", ", ") : " ", active[i]->label);
        printf("%s\n", n_active ? "" : T(" （无）", " (none)"));
        printf("%s\n", T("（仅计价，未写入任何数据；现金抹零在收款时计算）",
                         "(priced only, nothing written; cash rounding applies at payment)"));
    }
    rc = EXIT_DONE;
out:
    if (w)
        till_close(w->t);
    store_close(s);
    free(w);
    json_free(doc);
    return rc;
}
