/* report: the county's figures (db/report.h).
 *
 *   report sales --by supplier|household|village|day [--from YYYY-MM-DD] [--to YYYY-MM-DD]
 *   report agreements [--year YYYY]
 *
 * Only poverty-relief lines count; a line's money is what was paid for it (amount - its share
 * of the order discount). */
#include <stdlib.h>
#include <string.h>

#include "db/report.h"
#include "db/products.h"
#include "db/settings.h"
#include "db/store.h"
#include "pos/app/cli.h"
#include "pos/app/i18n.h"
#include "pos/core/bizday.h"
#include "pos/core/json.h"


static const char *yuan(fen_t fen, char buf[MONEY_FMT_CAP])
{
    money_format(fen, buf, MONEY_FMT_CAP);
    return buf;
}

static void row_json(json_writer *w, report_by by, const report_row *r)
{
    static const char *const KEY[] = {"supplier_id", "household_id", "village", "day"};
    static const char *const NAME[] = {"name", "name", "township", NULL};
    static const char *const DETAIL[] = {"kind", "village", NULL, NULL};
    json_kv_string(w, KEY[by], r->key);
    if (NAME[by])
        json_kv_string(w, NAME[by], r->name);
    if (DETAIL[by])
        json_kv_string(w, DETAIL[by], r->detail);
    json_kv_int(w, "lines", r->lines);
    json_kv_int(w, "qty", r->qty);
    json_kv_int(w, "grams", r->grams);
    json_kv_int(w, "amount_fen", r->amount_fen);
}

static int do_sales(const cli_ctx *ctx)
{
    const char *by_name = NULL, *from = NULL, *to = NULL;
    for (int i = 1; i < ctx->argc; i++) {
        const char *a = ctx->argv[i];
        const char *next = i + 1 < ctx->argc ? ctx->argv[i + 1] : NULL;
        if (strcmp(a, "--by") == 0 && next)
            by_name = ctx->argv[++i];
        else if (strcmp(a, "--from") == 0 && next)
            from = ctx->argv[++i];
        else if (strcmp(a, "--to") == 0 && next)
            to = ctx->argv[++i];
        else
            goto usage;
    }
    report_by by;
    if (!by_name || !report_by_parse(by_name, &by))
        goto usage;
    if ((from && (strlen(from) != 10 || !bizday_valid_day(from))) ||
        (to && (strlen(to) != 10 || !bizday_valid_day(to)))) {
        cli_error("--from / --to must be dates YYYY-MM-DD");
        return EXIT_USAGE;
    }
    store *s = cli_open_store(ctx, true);
    if (!s)
        return EXIT_REFUSED;
    report_row *rows = NULL, tot;
    size_t n = 0;
    store_err e = report_sales(s, by, from, to, &rows, &n, &tot);
    if (e) {
        cli_error("%s: %s", store_strerror(e), store_last_error(s));
        store_close(s);
        return EXIT_REFUSED;
    }
    char b[MONEY_FMT_CAP];
    if (ctx->json) {
        strbuf sb;
        json_writer w;
        strbuf_init(&sb);
        json_writer_init(&w, &sb, false);
        json_begin_object(&w);
        json_kv_string(&w, "by", report_by_name(by));
        json_kv_string(&w, "from", from ? from : "");
        json_kv_string(&w, "to", to ? to : "");
        json_key(&w, "rows");
        json_begin_array(&w);
        for (size_t i = 0; i < n; i++) {
            json_begin_object(&w);
            row_json(&w, by, &rows[i]);
            json_end_object(&w);
        }
        json_end_array(&w);
        json_kv_int(&w, "total_fen", tot.amount_fen);
        json_kv_int(&w, "lines", tot.lines);
        json_end_object(&w);
        printf("%s\n", sb.data);
        strbuf_free(&sb);
    } else {
        printf(T("扶贫产品销售（按%s）%s%s%s%s\n", "Poverty-relief sales by %s%s%s%s%s\n"),
               by == REPORT_BY_SUPPLIER    ? T("供应商", "supplier")
               : by == REPORT_BY_HOUSEHOLD ? T("建档立卡户", "household")
               : by == REPORT_BY_VILLAGE   ? T("村", "village")
                                           : T("日", "day"),
               from || to ? "  " : "", from ? from : "", from || to ? " .. " : "", to ? to : "");
        for (size_t i = 0; i < n; i++) {
            const report_row *r = &rows[i];
            printf("%-20s %-28s %-12s %6lld %12s\n", r->key[0] ? r->key : "-", r->name,
                   r->detail, (long long)r->lines, yuan(r->amount_fen, b));
        }
        printf(T("合计 %lld 行 ¥%s\n", "total %lld lines ¥%s\n"), (long long)tot.lines,
               yuan(tot.amount_fen, b));
    }
    free(rows);
    store_close(s);
    return EXIT_DONE;
usage:
    cli_error("usage: report sales --by supplier|household|village|day "
              "[--from YYYY-MM-DD] [--to YYYY-MM-DD]");
    return EXIT_USAGE;
}

/* Progress as a percentage with one decimal, in tenths (integer maths, no float rounding). */
static int64_t permille(fen_t part, fen_t whole)
{
    return whole > 0 ? (part * 1000 + whole / 2) / whole : 0;
}

static int do_agreements(const cli_ctx *ctx)
{
    int year = 0;
    for (int i = 1; i < ctx->argc; i++) {
        if (strcmp(ctx->argv[i], "--year") == 0 && i + 1 < ctx->argc) {
            char *end;
            long y = strtol(ctx->argv[++i], &end, 10);
            if (*end || y < 2000 || y > 9999) {
                cli_error("--year must be a year like 2026");
                return EXIT_USAGE;
            }
            year = (int)y;
        } else {
            cli_error("usage: report agreements [--year YYYY]");
            return EXIT_USAGE;
        }
    }
    store *s = cli_open_store(ctx, true);
    if (!s)
        return EXIT_REFUSED;
    if (!year) {
        till_config cfg;
        int tz = settings_get_config(s, &cfg) == STORE_OK ? cfg.tz_offset_min
                                                        : BIZDAY_SHANGHAI_OFFSET_MIN;
        civil_time ct;
        bizday_local(ctx->at_utc, tz, &ct);
        year = ct.year;
    }
    agreement_progress *rows = NULL;
    size_t n = 0;
    store_err e = report_agreements(s, year, &rows, &n);
    if (e) {
        cli_error("%s: %s", store_strerror(e), store_last_error(s));
        store_close(s);
        return EXIT_REFUSED;
    }
    char b1[MONEY_FMT_CAP], b2[MONEY_FMT_CAP], b3[MONEY_FMT_CAP];
    if (ctx->json) {
        strbuf sb;
        json_writer w;
        strbuf_init(&sb);
        json_writer_init(&w, &sb, false);
        json_begin_object(&w);
        json_kv_int(&w, "year", year);
        json_key(&w, "agreements");
        json_begin_array(&w);
        for (size_t i = 0; i < n; i++) {
            const agreement_progress *a = &rows[i];
            json_begin_object(&w);
            json_kv_string(&w, "id", a->id);
            json_kv_string(&w, "supplier_id", a->supplier_id);
            json_kv_string(&w, "name", a->name);
            json_kv_string(&w, "household_id", a->household_id);
            json_kv_string(&w, "village", a->village);
            json_kv_string(&w, "term_from", a->term_from);
            json_kv_string(&w, "term_to", a->term_to);
            json_kv_int(&w, "agreed_fen", a->agreed_fen);
            json_kv_int(&w, "sold_fen", a->sold_fen);
            json_kv_int(&w, "received_fen", a->received_fen);
            json_kv_int(&w, "sold_permille", permille(a->sold_fen, a->agreed_fen));
            json_kv_int(&w, "received_permille", permille(a->received_fen, a->agreed_fen));
            json_end_object(&w);
        }
        json_end_array(&w);
        json_end_object(&w);
        printf("%s\n", sb.data);
        strbuf_free(&sb);
    } else {
        printf(T("%d 年帮扶采购协议进度\n", "Purchase agreements, %d\n"), year);
        for (size_t i = 0; i < n; i++) {
            const agreement_progress *a = &rows[i];
            int64_t sp = permille(a->sold_fen, a->agreed_fen),
                    rp = permille(a->received_fen, a->agreed_fen);
            printf(T("%-11s %-6s %s %-8s 约定 ¥%s  已售 ¥%s (%lld.%lld%%)  已收货 ¥%s (%lld.%lld%%)\n",
                     "%-11s %-6s %s %-8s agreed ¥%s  sold ¥%s (%lld.%lld%%)  received ¥%s (%lld.%lld%%)\n"),
                   a->id, a->supplier_id, a->name, a->village, yuan(a->agreed_fen, b1),
                   yuan(a->sold_fen, b2), (long long)(sp / 10), (long long)(sp % 10),
                   yuan(a->received_fen, b3), (long long)(rp / 10), (long long)(rp % 10));
        }
        if (n == 0)
            printf(T("（本年没有协议）\n", "(no agreements this year)\n"));
    }
    free(rows);
    store_close(s);
    return EXIT_DONE;
}

int cmd_report(const cli_ctx *ctx)
{
    const char *sub = ctx->argc > 0 ? ctx->argv[0] : "";
    if (strcmp(sub, "sales") == 0)
        return do_sales(ctx);
    if (strcmp(sub, "agreements") == 0)
        return do_agreements(ctx);
    cli_error("usage: report sales --by supplier|household|village|day [--from D --to D] | "
              "report agreements [--year YYYY]");
    return EXIT_USAGE;
}
