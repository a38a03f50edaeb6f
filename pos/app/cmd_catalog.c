/* catalog: import / export the product catalog (CSV, docs/CATALOG.md) and search it.
 *
 *   catalog import FILE [--dry-run] [--encoding utf-8|gb18030]
 *   catalog export FILE
 *   catalog find TEXT... [--limit N]
 *
 * Import is all or nothing: every bad line goes to stderr as FILE:LINE: column: reason and the
 * command exits 1 having written nothing.  --dry-run validates and lists what would change. */
#include <stdlib.h>
#include <string.h>

#include "db/catalog.h"
#include "db/search.h"
#include "db/settings.h"
#include "db/store.h"
#include "pos/app/cli.h"
#include "pos/app/i18n.h"
#include "pos/core/bizday.h"
#include "pos/core/json.h"

#define FIND_DEFAULT_LIMIT 20
#define FIND_MAX_LIMIT 500

/* Each line of text as a JSON array element (changes, errors). */
static void json_lines(json_writer *w, const char *key, const char *text)
{
    json_key(w, key);
    json_begin_array(w);
    while (text && *text) {
        const char *nl = strchr(text, '\n');
        size_t n = nl ? (size_t)(nl - text) : strlen(text);
        char *line = strndup(text, n);
        if (line && n)
            json_string(w, line);
        free(line);
        text += n + (nl ? 1 : 0);
    }
    json_end_array(w);
}

static int do_import(const cli_ctx *ctx)
{
    const char *path = NULL;
    bool dry_run = false;
    catalog_import_opts o = {.encoding = CT_ENC_AUTO, .now_utc = ctx->at_utc};
    int rc = cli_file_args(ctx, "catalog import FILE [--dry-run] [--encoding utf-8|gb18030]",
                           &path, &o.encoding, &dry_run);
    if (rc != EXIT_DONE)
        return rc;
    store *s = cli_open_store(ctx, false);
    if (!s)
        return EXIT_REFUSED;
    char source[600];
    const char *base = strrchr(path, '/');
    snprintf(source, sizeof source, "import:%.500s", base ? base + 1 : path);
    o.source = source;
    catalog_summary sum;
    strbuf changes, errors;
    strbuf_init(&changes);
    strbuf_init(&errors);
    store_err e = catalog_import_file(s, path, &o, dry_run, &sum, &changes, &errors);
    rc = EXIT_DONE;
    if (e) {
        /* One line per problem on stderr, in the FILE:LINE: column: reason form editors and
         * scripts can jump to. */
        if (errors.data)
            fprintf(stderr, "%s\n", errors.data);
        /* sum.errors counts every problem, also those past the listed ones; a failure while
         * writing is one. */
        size_t n_errors = sum.errors ? sum.errors : 1;
        cli_error(T("%s 未导入（%zu 处错误），未写入任何数据", "%s rejected (%zu errors): nothing written"),
                  path, n_errors);
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
        json_kv_bool(&w, "dry_run", dry_run);
        if (e == STORE_OK) {
            json_kv_string(&w, "encoding", sum.encoding ? sum.encoding : "utf-8");
            json_kv_bool(&w, "bom", sum.had_bom);
            json_kv_int(&w, "rows", (int64_t)sum.rows);
            json_kv_int(&w, "added", (int64_t)sum.added);
            json_kv_int(&w, "updated", (int64_t)sum.updated);
            json_kv_int(&w, "unchanged", (int64_t)sum.unchanged);
            json_kv_int(&w, "price_changes", (int64_t)sum.price_changes);
            if (dry_run)
                json_lines(&w, "changes", changes.data);
        } else {
            json_lines(&w, "errors", errors.data);
        }
        json_end_object(&w);
        printf("%s\n", sb.data);
        strbuf_free(&sb);
    } else if (e == STORE_OK) {
        if (dry_run && changes.data)
            fputs(changes.data, stdout);
        printf(T("%s%s：%zu 行（%s%s）：新增 %zu，更新 %zu（其中改价 %zu），未变 %zu\n",
                 "%s%s: %zu rows (%s%s): %zu added, %zu updated (%zu price changes), %zu unchanged\n"),
               dry_run ? T("【试运行，未写入】", "[dry run, nothing written] ") : "", path, sum.rows,
               sum.encoding ? sum.encoding : "utf-8", sum.had_bom ? ", BOM" : "", sum.added,
               sum.updated, sum.price_changes, sum.unchanged);
    }
    strbuf_free(&changes);
    strbuf_free(&errors);
    store_close(s);
    return rc;
}

static int do_export(const cli_ctx *ctx)
{
    if (ctx->argc != 2) {
        cli_error("usage: catalog export FILE");
        return EXIT_USAGE;
    }
    const char *path = ctx->argv[1];
    store *s = cli_open_store(ctx, true);
    if (!s)
        return EXIT_REFUSED;
    char msg[512];
    size_t n = 0;
    store_err e = catalog_export_file(s, path, &n, msg, sizeof msg);
    store_close(s);
    if (e) {
        cli_error(T("导出失败：%s", "export failed: %s"), msg);
        return EXIT_REFUSED;
    }
    if (ctx->json) {
        strbuf sb;
        json_writer w;
        strbuf_init(&sb);
        json_writer_init(&w, &sb, false);
        json_begin_object(&w);
        json_kv_string(&w, "file", path);
        json_kv_int(&w, "products", (int64_t)n);
        json_end_object(&w);
        printf("%s\n", sb.data);
        strbuf_free(&sb);
    } else
        printf(T("已导出 %zu 个商品到 %s\n", "exported %zu products to %s\n"), n, path);
    return EXIT_DONE;
}

static int do_find(const cli_ctx *ctx)
{
    char text[256] = "";
    size_t len = 0;
    long limit = FIND_DEFAULT_LIMIT;
    for (int i = 1; i < ctx->argc; i++) {
        const char *a = ctx->argv[i];
        if (strcmp(a, "--limit") == 0 && i + 1 < ctx->argc) {
            char *end;
            limit = strtol(ctx->argv[++i], &end, 10);
            if (*end || limit < 1 || limit > FIND_MAX_LIMIT) {
                cli_error("--limit must be 1..%d", FIND_MAX_LIMIT);
                return EXIT_USAGE;
            }
            continue;
        }
        /* Words are joined with one space: `catalog find 核桃 250g` is one query. */
        int n = snprintf(text + len, sizeof text - len, "%s%s", len ? " " : "", a);
        if (n < 0 || (size_t)n >= sizeof text - len) {
            cli_error("search text too long");
            return EXIT_USAGE;
        }
        len += (size_t)n;
    }
    if (!len) {
        cli_error("usage: catalog find TEXT [--limit N]");
        return EXIT_USAGE;
    }
    store *s = cli_open_store(ctx, true);
    if (!s)
        return EXIT_REFUSED;
    product *found = calloc((size_t)limit, sizeof *found);
    size_t n = 0;
    store_err e = found ? search_products(s, text, found, (size_t)limit, &n)
                        : STORE_ERR_INTERNAL;
    if (e) {
        cli_error("%s: %s", store_strerror(e), store_last_error(s));
        free(found);
        store_close(s);
        return EXIT_REFUSED;
    }
    till_config cfg;
    int tz = settings_get_config(s, &cfg) == STORE_OK ? cfg.tz_offset_min : BIZDAY_SHANGHAI_OFFSET_MIN;
    char day[11];
    bizday_format_day(ctx->at_utc, tz, day);
    if (ctx->json) {
        strbuf sb;
        json_writer w;
        strbuf_init(&sb);
        json_writer_init(&w, &sb, false);
        json_begin_object(&w);
        json_kv_string(&w, "query", text);
        json_key(&w, "results");
        json_begin_array(&w);
        for (size_t i = 0; i < n; i++) {
            const product *p = &found[i];
            json_begin_object(&w);
            json_kv_string(&w, "sku", p->sku);
            json_kv_string(&w, "name", p->name);
            json_kv_string(&w, "unit", p->unit);
            json_kv_int(&w, "price_fen", p->price_fen);
            json_kv_bool(&w, "by_weight", p->by_weight);
            json_kv_string(&w, "plu", p->plu);
            json_kv_string(&w, "gtin13", p->gtin13);
            json_kv_bool(&w, "poverty_relief", p->poverty_relief);
            json_kv_bool(&w, "poverty_relief_today", product_poverty_relief_on(p, day));
            json_kv_string(&w, "supplier_id", p->supplier_id);
            json_kv_string(&w, "cert_no", p->cert_no);
            json_kv_string(&w, "cert_valid_to", p->cert_valid_to);
            json_kv_int(&w, "tare_g", p->tare_g);
            json_kv_int(&w, "min_g", p->min_g);
            json_kv_int(&w, "max_g", p->max_g);
            json_end_object(&w);
        }
        json_end_array(&w);
        json_end_object(&w);
        printf("%s\n", sb.data);
        strbuf_free(&sb);
    } else {
        for (size_t i = 0; i < n; i++) {
            const product *p = &found[i];
            char price[MONEY_FMT_CAP];
            money_format(p->price_fen, price, sizeof price);
            const char *badge = !p->poverty_relief ? ""
                                : product_poverty_relief_on(p, day)
                                    ? T("  [扶贫]", "  [poverty-relief]")
                                    : T("  [扶贫认证已过期]", "  [certificate lapsed]");
            printf("%-8s %-14s %-6s %s/%s%s\n", p->sku, p->by_weight ? p->plu : p->gtin13, price,
                   p->by_weight ? "kg" : p->unit, p->name, badge);
        }
        if (n == 0)
            printf(T("没有找到“%s”\n", "nothing matches \"%s\"\n"), text);
    }
    free(found);
    store_close(s);
    return n ? EXIT_DONE : EXIT_REFUSED;
}

int cmd_catalog(const cli_ctx *ctx)
{
    const char *sub = ctx->argc > 0 ? ctx->argv[0] : "";
    if (strcmp(sub, "import") == 0)
        return do_import(ctx);
    if (strcmp(sub, "export") == 0)
        return do_export(ctx);
    if (strcmp(sub, "find") == 0)
        return do_find(ctx);
    cli_error("usage: catalog import FILE [--dry-run] [--encoding utf-8|gb18030] | "
              "catalog export FILE | catalog find TEXT");
    return EXIT_USAGE;
}
