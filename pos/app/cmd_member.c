/* member: minimal member administration.
 *
 *   member add --card ID --name NAME [--phone DIGITS] [--kind person|staff|organisation]
 *   member show CARD|PHONE [--limit N]                 details, balance, recent journal
 *   member points CARD|PHONE [--adjust ±N --reason TEXT] [--limit N]
 *   member expire                                      points.expiry: expire old points at --at
 *
 * An adjustment is a journal row of kind 'adjust' (the journal is append-only; a mistake is
 * corrected by another row).  A negative adjustment beyond the balance is refused.  This is
 * the manager's tool, so names and phones are shown in full here (the public board masks). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/members.h"
#include "db/points.h"
#include "pos/core/member.h"
#include "db/settings.h"
#include "db/store.h"
#include "pos/app/cli.h"
#include "pos/app/i18n.h"
#include "pos/core/bizday.h"
#include "pos/core/json.h"


static void member_json(json_writer *w, const member *m)
{
    json_kv_string(w, "card", m->id);
    json_kv_string(w, "phone", m->phone);
    json_kv_string(w, "name", m->name);
    json_kv_string(w, "kind", member_kind_name(m->kind));
    json_kv_int(w, "created_utc", m->created_utc);
}

static int do_add(const cli_ctx *ctx, store *s)
{
    member m = {0};
    m.kind = MEMBER_PERSON;
    m.created_utc = ctx->at_utc;
    const char *card = NULL, *name = NULL, *phone = "";
    for (int i = 1; i < ctx->argc; i++) {
        const char *a = ctx->argv[i];
        const char *next = i + 1 < ctx->argc ? ctx->argv[i + 1] : NULL;
        if (!next)
            goto usage;
        if (strcmp(a, "--card") == 0)
            card = next;
        else if (strcmp(a, "--name") == 0)
            name = next;
        else if (strcmp(a, "--phone") == 0)
            phone = next;
        else if (strcmp(a, "--kind") == 0) {
            if (!member_kind_parse(next, &m.kind))
                goto usage;
        } else
            goto usage;
        i++;
    }
    if (!card || !name || strlen(card) >= sizeof m.id || strlen(name) >= sizeof m.name ||
        strlen(phone) >= sizeof m.phone) {
        if (card && name) {
            cli_error("member add: card, name or phone too long");
            return EXIT_REFUSED;
        }
        goto usage;
    }
    snprintf(m.id, sizeof m.id, "%s", card);
    snprintf(m.name, sizeof m.name, "%s", name);
    snprintf(m.phone, sizeof m.phone, "%s", phone);
    store_err e = members_add(s, &m);
    if (e) {
        cli_error("%s: %s", store_strerror(e), store_last_error(s));
        return EXIT_REFUSED;
    }
    if (ctx->json) {
        strbuf sb;
        json_writer w;
        strbuf_init(&sb);
        json_writer_init(&w, &sb, false);
        json_begin_object(&w);
        member_json(&w, &m);
        json_end_object(&w);
        printf("%s\n", sb.data ? sb.data : "{}");
        strbuf_free(&sb);
    } else {
        printf("%s %s %s (%s)\n", T("已登记会员", "Member added:"), m.id, m.name,
               member_kind_name(m.kind));
    }
    return EXIT_DONE;
usage:
    cli_error("usage: member add --card ID --name NAME [--phone DIGITS] "
              "[--kind person|staff|organisation]");
    return EXIT_USAGE;
}

/* show and points: one member, balance and journal; points may append an adjustment first. */
static int do_show(const cli_ctx *ctx, store *s, bool points_cmd)
{
    const char *key = NULL, *reason = NULL, *adjust = NULL;
    long limit = points_cmd ? 50 : 10;
    for (int i = 1; i < ctx->argc; i++) {
        const char *a = ctx->argv[i];
        const char *next = i + 1 < ctx->argc ? ctx->argv[i + 1] : NULL;
        if (strcmp(a, "--limit") == 0 && next) {
            char *end = NULL;
            limit = strtol(ctx->argv[++i], &end, 10);
            if (!end || *end || limit < 1 || limit > 10000)
                goto usage;
        } else if (points_cmd && strcmp(a, "--adjust") == 0 && next) {
            adjust = ctx->argv[++i];
        } else if (points_cmd && strcmp(a, "--reason") == 0 && next) {
            reason = ctx->argv[++i];
        } else if (!key && a[0] != '-') {
            key = a;
        } else {
            goto usage;
        }
    }
    if (!key || (adjust && !reason) || (reason && !adjust))
        goto usage;
    member m;
    store_err e = members_find_by_key(s, key, &m);
    if (e) {
        cli_error("%s: %s", store_strerror(e), store_last_error(s));
        return EXIT_REFUSED;
    }
    if (adjust) {
        char *end = NULL;
        long long v = strtoll(adjust, &end, 10);
        points_entry p = {0};
        if (!end || *end || v == 0 || v < -100000000 || v > 100000000 ||
            strlen(reason) >= sizeof p.reason) {
            cli_error("--adjust must be a non-zero whole number of points, --reason short text");
            return EXIT_USAGE;
        }
        snprintf(p.member_id, sizeof p.member_id, "%s", m.id);
        p.kind = POINTS_ENTRY_ADJUST;
        p.points = v;
        snprintf(p.reason, sizeof p.reason, "%s", reason);
        p.at_utc = ctx->at_utc;
        if ((e = points_append(s, &p))) {
            cli_error("%s: %s", store_strerror(e), store_last_error(s));
            return EXIT_REFUSED;
        }
    }
    int64_t balance = 0;
    points_entry *rows = calloc((size_t)limit, sizeof *rows);
    size_t n = 0;
    if (!rows) {
        cli_error("out of memory");
        return EXIT_REFUSED;
    }
    if ((e = points_balance(s, m.id, &balance)) ||
        (e = points_recent(s, m.id, rows, (size_t)limit, &n))) {
        cli_error("%s: %s", store_strerror(e), store_last_error(s));
        free(rows);
        return EXIT_REFUSED;
    }
    till_config cfg;
    if (settings_get_config(s, &cfg) != STORE_OK)
        cfg.tz_offset_min = BIZDAY_SHANGHAI_OFFSET_MIN;
    if (ctx->json) {
        strbuf sb;
        json_writer w;
        strbuf_init(&sb);
        json_writer_init(&w, &sb, false);
        json_begin_object(&w);
        member_json(&w, &m);
        json_kv_int(&w, "balance", balance);
        json_key(&w, "journal");
        json_begin_array(&w);
        for (size_t i = 0; i < n; i++) {
            json_begin_object(&w);
            json_kv_int(&w, "id", rows[i].id);
            json_kv_string(&w, "kind", points_entry_kind_name(rows[i].kind));
            json_kv_int(&w, "points", rows[i].points);
            json_kv_string(&w, "sale_uuid", rows[i].sale_uuid);
            json_kv_string(&w, "reason", rows[i].reason);
            json_kv_int(&w, "at_utc", rows[i].at_utc);
            json_end_object(&w);
        }
        json_end_array(&w);
        json_end_object(&w);
        printf("%s\n", sb.data ? sb.data : "{}");
        strbuf_free(&sb);
    } else {
        printf("%s %s  %s  %s  %s\n", T("会员", "Member"), m.id, m.name,
               m.phone[0] ? m.phone : "-", member_kind_name(m.kind));
        printf("%s %lld\n", T("积分余额", "Points balance"), (long long)balance);
        for (size_t i = 0; i < n; i++) {
            char when[32];
            bizday_format_iso8601(rows[i].at_utc, cfg.tz_offset_min, when);
            printf("  %s  %-7s %+8lld  %s%s%s\n", when, points_entry_kind_name(rows[i].kind),
                   (long long)rows[i].points, rows[i].sale_uuid, rows[i].sale_uuid[0] ? " " : "",
                   rows[i].reason);
        }
    }
    free(rows);
    return EXIT_DONE;
usage:
    cli_error(points_cmd ? "usage: member points CARD|PHONE [--adjust N --reason TEXT] [--limit N]"
                         : "usage: member show CARD|PHONE [--limit N]");
    return EXIT_USAGE;
}

/* The expiry job (points.expiry): run by the manager or a nightly cron at --at (default now).
 * Idempotent, so running it twice or from two tills is harmless. */
static int do_expire(const cli_ctx *ctx, store *s)
{
    if (ctx->argc > 1) {
        cli_error("usage: member expire   (the time is --at, default now)");
        return EXIT_USAGE;
    }
    /* The list is for the manager to read; the journal has every row.  More members than this
     * in one run are all expired, and the output says how many are not listed. */
    enum { LIST_CAP = 10000 };
    points_expire_result r = {0};
    r.items = calloc(LIST_CAP, sizeof *r.items);
    r.cap = LIST_CAP;
    if (!r.items) {
        cli_error("out of memory");
        return EXIT_REFUSED;
    }
    store_err e = points_expire(s, ctx->at_utc, &r);
    if (e) {
        cli_error("%s: %s", store_strerror(e), store_last_error(s));
        free(r.items);
        return EXIT_REFUSED;
    }
    till_config cfg;
    if (settings_get_config(s, &cfg) != STORE_OK)
        cfg.tz_offset_min = BIZDAY_SHANGHAI_OFFSET_MIN;
    char cutoff[32] = "";
    if (r.months > 0)
        bizday_format_iso8601(r.cutoff_utc, cfg.tz_offset_min, cutoff);
    if (ctx->json) {
        strbuf sb;
        json_writer w;
        strbuf_init(&sb);
        json_writer_init(&w, &sb, false);
        json_begin_object(&w);
        json_kv_int(&w, "expiry_months", r.months);
        if (r.months > 0)
            json_kv_string(&w, "cutoff", cutoff);
        else {
            json_key(&w, "cutoff");
            json_null(&w);
        }
        json_kv_int(&w, "members", (int64_t)r.n_members);
        json_kv_int(&w, "points", r.points);
        json_key(&w, "expired");
        json_begin_array(&w);
        for (size_t i = 0; i < r.n_items; i++) {
            json_begin_object(&w);
            json_kv_string(&w, "card", r.items[i].member_id);
            json_kv_int(&w, "points", r.items[i].points);
            json_end_object(&w);
        }
        json_end_array(&w);
        json_kv_bool(&w, "truncated", r.n_items < r.n_members);
        json_end_object(&w);
        printf("%s\n", sb.data ? sb.data : "{}");
        strbuf_free(&sb);
    } else if (r.months == 0) {
        printf("%s\n", T("积分不过期（points.expiry = none），未作处理",
                          "Points do not expire (points.expiry = none); nothing done"));
    } else {
        printf("%s %d %s, %s %s: %zu %s, %lld %s\n", T("积分有效期", "Points expire after"),
               r.months, T("个月", "months"), T("截止", "earned before"), cutoff, r.n_members,
               T("位会员", "members"), (long long)r.points, T("分过期", "points expired"));
        for (size_t i = 0; i < r.n_items; i++)
            printf("  %s  -%lld\n", r.items[i].member_id, (long long)r.items[i].points);
        if (r.n_items < r.n_members)
            printf("  … %zu %s\n", r.n_members - r.n_items, T("位未列出", "more not listed"));
    }
    free(r.items);
    return EXIT_DONE;
}

int cmd_member(const cli_ctx *ctx)
{
    const char *sub = ctx->argc > 0 ? ctx->argv[0] : "";
    bool add = strcmp(sub, "add") == 0, show = strcmp(sub, "show") == 0,
         points = strcmp(sub, "points") == 0, expire = strcmp(sub, "expire") == 0;
    if (!add && !show && !points && !expire) {
        cli_error("usage: member add|show|points|expire … (see fupin-pos help)");
        return EXIT_USAGE;
    }
    /* Only a write needs a writable handle; show and plain points read. */
    bool writes = add || expire;
    for (int i = 1; points && i < ctx->argc; i++)
        writes = writes || strcmp(ctx->argv[i], "--adjust") == 0;
    store *s = cli_open_store(ctx, !writes);
    if (!s)
        return EXIT_REFUSED;
    int rc = add ? do_add(ctx, s) : expire ? do_expire(ctx, s) : do_show(ctx, s, points);
    store_close(s);
    return rc;
}
