/* stock: goods received and stock levels.
 *
 *   stock receive FILE [--encoding utf-8|gb18030]   atomic, FILE:LINE errors, refused twice
 *   stock show [SKU]                                levels (negative flagged) / one SKU + moves
 *
 * Levels are derived from the append-only journal; a negative level is not an error (the till
 * never refuses a real sale) but is flagged so the manager can count the shelf. */
#include <stdlib.h>
#include <string.h>

#include "db/stock.h"
#include "db/products.h"
#include "db/settings.h"
#include "db/store.h"
#include "pos/app/cli.h"
#include "pos/app/i18n.h"
#include "pos/core/bizday.h"
#include "pos/core/json.h"

#define RECENT_MOVES 20

static int do_receive(const cli_ctx *ctx)
{
    const char *path = NULL;
    ct_encoding enc = CT_ENC_AUTO;
    int rc = cli_file_args(ctx, "stock receive FILE [--encoding utf-8|gb18030]", &path, &enc,
                           NULL);
    if (rc != EXIT_DONE)
        return rc;
    store *s = cli_open_store(ctx, false);
    if (!s)
        return EXIT_REFUSED;
    errlist el = {0};
    stock_receipt_summary sum;
    store_err e = stock_receive_file(s, path, enc, ctx->at_utc, &sum, &el);
    rc = EXIT_DONE;
    strbuf errors;
    strbuf_init(&errors);
    if (e) {
        errlist_format(&el, &errors);
        if (errors.data)
            fprintf(stderr, "%s\n", errors.data);
        cli_error(T("%s 未入库（%zu 处错误），未写入任何数据", "%s rejected (%zu errors): nothing written"),
                  path, el.total);
        rc = EXIT_REFUSED;
    }
    if (ctx->json) {
        strbuf sb;
        json_writer w;
        strbuf_init(&sb);
        json_writer_init(&w, &sb, false);
        json_begin_object(&w);
        json_kv_string(&w, "file", path);
        json_kv_bool(&w, "ok", e == STORE_OK);
        if (e == STORE_OK) {
            json_kv_string(&w, "ref", sum.ref);
            json_kv_int(&w, "rows", (int64_t)sum.rows);
            json_kv_int(&w, "qty", sum.qty);
            json_kv_int(&w, "grams", sum.grams);
            json_kv_int(&w, "cost_fen", sum.cost_fen);
        } else {
            json_key(&w, "errors");
            json_begin_array(&w);
            for (size_t i = 0; i < el.n; i++)
                json_string(&w, el.items[i].text);
            json_end_array(&w);
        }
        json_end_object(&w);
        printf("%s\n", sb.data);
        strbuf_free(&sb);
    } else if (e == STORE_OK) {
        char cost[MONEY_FMT_CAP];
        money_format(sum.cost_fen, cost, sizeof cost);
        printf(T("已入库 %zu 行：%lld 件，%lld 克，进货金额 ¥%s（%s）\n",
                 "received %zu lines: %lld units, %lld g, cost ¥%s (%s)\n"),
               sum.rows, (long long)sum.qty, (long long)sum.grams, cost, sum.ref);
    }
    strbuf_free(&errors);
    errlist_free(&el);
    store_close(s);
    return rc;
}

static void level_json(json_writer *w, const stock_level *l)
{
    json_kv_string(w, "sku", l->sku);
    json_kv_string(w, "name", l->name);
    json_kv_bool(w, "by_weight", l->by_weight);
    json_kv_int(w, "qty", l->qty);
    json_kv_int(w, "grams", l->grams);
    json_kv_bool(w, "negative", l->negative);
    json_kv_int(w, "moves", l->moves);
}

static void level_text(const stock_level *l)
{
    char level[48];
    if (l->by_weight || (l->grams && !l->qty))
        snprintf(level, sizeof level, "%lld g", (long long)l->grams);
    else
        snprintf(level, sizeof level, "%lld", (long long)l->qty);
    printf("%-8s %12s  %s%s\n", l->sku, level, l->name[0] ? l->name : T("（不在商品目录中）", "(not in catalog)"),
           l->negative ? T("  ⚠ 负库存", "  ! NEGATIVE") : "");
}

static int do_show(const cli_ctx *ctx)
{
    if (ctx->argc > 2) {
        cli_error("usage: stock show [SKU]");
        return EXIT_USAGE;
    }
    const char *sku = ctx->argc == 2 ? ctx->argv[1] : NULL;
    store *s = cli_open_store(ctx, true);
    if (!s)
        return EXIT_REFUSED;
    stock_level *levels = NULL;
    size_t n = 0;
    stock_move moves[RECENT_MOVES];
    size_t n_moves = 0;
    int rc = EXIT_DONE;
    store_err e = stock_levels(s, sku, &levels, &n);
    if (!e && sku) {
        product p;
        store_err pe = products_find_by_sku(s, sku, &p);
        if (n == 0 && pe == STORE_ERR_NOT_FOUND) {
            cli_error(T("没有商品 %s", "no product %s"), sku);
            rc = EXIT_REFUSED;
            goto out;
        }
        if (n == 0) {
            /* Known product that never moved: its level is zero, not "not found". */
            stock_level *zero = calloc(1, sizeof *zero);
            if (!zero) {
                e = STORE_ERR_INTERNAL;
                goto fail;
            }
            snprintf(zero->sku, sizeof zero->sku, "%s", p.sku);
            snprintf(zero->name, sizeof zero->name, "%s", p.name);
            zero->by_weight = p.by_weight;
            levels = zero;
            n = 1;
        }
        e = stock_recent_moves(s, sku, moves, RECENT_MOVES, &n_moves);
    }
    if (e)
        goto fail;
    size_t n_negative = 0;
    for (size_t i = 0; i < n; i++)
        n_negative += levels[i].negative;
    till_config cfg;
    int tz = settings_get_config(s, &cfg) == STORE_OK ? cfg.tz_offset_min : BIZDAY_SHANGHAI_OFFSET_MIN;
    if (ctx->json) {
        strbuf sb;
        json_writer w;
        strbuf_init(&sb);
        json_writer_init(&w, &sb, false);
        json_begin_object(&w);
        if (sku) {
            level_json(&w, &levels[0]);
            json_key(&w, "recent_moves");
            json_begin_array(&w);
            for (size_t i = 0; i < n_moves; i++) {
                const stock_move *m = &moves[i];
                char at[32];
                bizday_format_iso8601(m->at_utc, tz, at);
                json_begin_object(&w);
                json_kv_int(&w, "id", m->id);
                json_kv_string(&w, "kind", m->kind);
                json_kv_int(&w, "qty", m->qty);
                json_kv_int(&w, "grams", m->grams);
                json_kv_int(&w, "cost_fen", m->cost_fen);
                json_kv_string(&w, "supplier_id", m->supplier_id);
                json_kv_string(&w, "batch", m->batch);
                json_kv_string(&w, "harvest_date", m->harvest_date);
                json_kv_string(&w, "ref", m->ref);
                json_kv_string(&w, "at", at);
                json_end_object(&w);
            }
            json_end_array(&w);
        } else {
            json_kv_int(&w, "negative", (int64_t)n_negative);
            json_key(&w, "levels");
            json_begin_array(&w);
            for (size_t i = 0; i < n; i++) {
                json_begin_object(&w);
                level_json(&w, &levels[i]);
                json_end_object(&w);
            }
            json_end_array(&w);
        }
        json_end_object(&w);
        printf("%s\n", sb.data);
        strbuf_free(&sb);
    } else {
        for (size_t i = 0; i < n; i++)
            level_text(&levels[i]);
        for (size_t i = 0; i < n_moves; i++) {
            const stock_move *m = &moves[i];
            char at[32];
            bizday_format_iso8601(m->at_utc, tz, at);
            printf("  %s  %-8s %+8lld %s  %s\n", at, m->kind,
                   (long long)(m->grams ? m->grams : m->qty), m->grams ? "g" : " ", m->ref);
        }
        if (!sku)
            printf(T("%zu 个商品有库存记录，其中 %zu 个为负库存\n",
                     "%zu products with stock moves, %zu negative\n"),
                   n, n_negative);
    }
    goto out;
fail:
    cli_error("%s: %s", store_strerror(e), store_last_error(s));
    rc = EXIT_REFUSED;
out:
    free(levels);
    store_close(s);
    return rc;
}

int cmd_stock(const cli_ctx *ctx)
{
    const char *sub = ctx->argc > 0 ? ctx->argv[0] : "";
    if (strcmp(sub, "receive") == 0)
        return do_receive(ctx);
    if (strcmp(sub, "show") == 0)
        return do_show(ctx);
    cli_error("usage: stock receive FILE | stock show [SKU]");
    return EXIT_USAGE;
}
