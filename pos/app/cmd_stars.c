/* stars: the consumption-star board (扶贫消费明星) of a month.
 *
 *   stars [--month YYYY-MM] [--limit N]        month default: the month of --at (store zone)
 *
 * Members ranked by what they paid for poverty-relief goods in the month (stars_board).  The
 * board is printed and pinned up, so people are masked (张*明, 138****5678, card ****0123).
 * Staff are left out entirely (their purchases are not the public's); organisations buying
 * 以购代捐 get a list of their own, under their full name -- a company's purchase is public
 * recognition, not private data -- with the contact phone masked all the same. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/stars.h"
#include "pos/core/member.h"
#include "db/settings.h"
#include "db/store.h"
#include "pos/app/cli.h"
#include "pos/app/i18n.h"
#include "pos/core/bizday.h"
#include "pos/core/json.h"
#include "pos/core/mask.h"


typedef struct {
    char card[MASK_CAP], name[MASK_CAP + MEMBER_NAME_CAP], phone[MASK_CAP];
} masked;

static void mask_entry(const star_entry *e, masked *m)
{
    mask_card(e->member_id, m->card, sizeof m->card);
    if (e->kind == MEMBER_ORGANISATION)
        snprintf(m->name, sizeof m->name, "%s", e->name);
    else
        mask_name(e->name, m->name, sizeof m->name);
    mask_phone(e->phone, m->phone, sizeof m->phone);
}

static void list_json(json_writer *w, const char *key, const star_entry *v, size_t n)
{
    json_key(w, key);
    json_begin_array(w);
    for (size_t i = 0; i < n; i++) {
        masked m;
        mask_entry(&v[i], &m);
        json_begin_object(w);
        json_kv_int(w, "rank", v[i].rank);
        json_kv_string(w, "card", m.card);
        json_kv_string(w, "name", m.name);
        json_kv_string(w, "phone", m.phone);
        json_kv_int(w, "spend_fen", v[i].spend_fen);
        json_kv_int(w, "sales", v[i].sales);
        json_end_object(w);
    }
    json_end_array(w);
}

static void list_text(const char *title, const star_entry *v, size_t n)
{
    printf("%s\n", title);
    if (n == 0)
        printf("  %s\n", T("（本月暂无）", "(none this month)"));
    for (size_t i = 0; i < n; i++) {
        masked m;
        mask_entry(&v[i], &m);
        char y[MONEY_FMT_CAP];
        money_format_yuan(v[i].spend_fen, y, sizeof y);
        printf("  %2d  %-24s %-12s %-10s %12s  %lld%s\n", v[i].rank, m.name, m.phone, m.card, y,
               (long long)v[i].sales, T("单", " sales"));
    }
}

int cmd_stars(const cli_ctx *ctx)
{
    const char *month = NULL;
    long limit = 10;
    for (int i = 0; i < ctx->argc; i++) {
        const char *a = ctx->argv[i];
        const char *next = i + 1 < ctx->argc ? ctx->argv[i + 1] : NULL;
        if (strcmp(a, "--month") == 0 && next) {
            month = ctx->argv[++i];
        } else if (strcmp(a, "--limit") == 0 && next) {
            char *end = NULL;
            limit = strtol(ctx->argv[++i], &end, 10);
            if (!end || *end || limit < 1 || limit > 1000) {
                cli_error("--limit must be 1..1000");
                return EXIT_USAGE;
            }
        } else {
            cli_error("stars: unexpected argument '%s' (usage: stars [--month YYYY-MM] [--limit N])", a);
            return EXIT_USAGE;
        }
    }
    char probe[16];
    if (month) {
        snprintf(probe, sizeof probe, "%.7s-01", month);
        if (strlen(month) != 7 || !bizday_valid_day(probe)) {
            cli_error("--month must be YYYY-MM, not '%s'", month);
            return EXIT_USAGE;
        }
    }
    store *s = cli_open_store(ctx, true);
    if (!s)
        return EXIT_REFUSED;
    store_err e = STORE_OK;
    int rc = EXIT_REFUSED;
    star_entry *people = calloc((size_t)limit, sizeof *people);
    star_entry *orgs = calloc((size_t)limit, sizeof *orgs);
    size_t n_people = 0, n_orgs = 0;
    char mon[8];
    if (!people || !orgs) {
        cli_error("out of memory");
        goto out;
    }
    if (month) {
        snprintf(mon, sizeof mon, "%s", month);
    } else {
        till_config cfg;
        if ((e = settings_get_config(s, &cfg))) {
            cli_error("%s: %s", store_strerror(e), store_last_error(s));
            goto out;
        }
        char day[11];
        bizday_format_day(ctx->at_utc, cfg.tz_offset_min, day);
        snprintf(mon, sizeof mon, "%.7s", day);
    }
    if ((e = stars_board(s, mon, MEMBER_PERSON, people, (size_t)limit, &n_people)) ||
        (e = stars_board(s, mon, MEMBER_ORGANISATION, orgs, (size_t)limit, &n_orgs))) {
        cli_error("%s: %s", store_strerror(e), store_last_error(s));
        goto out;
    }
    if (ctx->json) {
        strbuf sb;
        json_writer w;
        strbuf_init(&sb);
        json_writer_init(&w, &sb, false);
        json_begin_object(&w);
        json_kv_string(&w, "month", mon);
        list_json(&w, "board", people, n_people);
        list_json(&w, "organisations", orgs, n_orgs);
        json_kv_bool(&w, "staff_excluded", true);
        /* Refunds (#7) are subtracted in the month of the sale they refund (db/stars.c). */
        json_kv_bool(&w, "net_of_refunds", true);
        json_end_object(&w);
        printf("%s\n", sb.data ? sb.data : "{}");
        strbuf_free(&sb);
    } else {
        char title[128];
        snprintf(title, sizeof title, "%s %s", mon,
                 T("扶贫消费明星（按扶贫产品消费额）", "consumption stars (poverty-relief spend)"));
        list_text(title, people, n_people);
        list_text(T("以购代捐 企事业单位", "Organisations (以购代捐)"), orgs, n_orgs);
        printf("%s\n", T("（员工不参加评选；姓名与电话已隐去部分）",
                         "(staff excluded; names and phones masked)"));
    }
    rc = EXIT_DONE;
out:
    free(people);
    free(orgs);
    store_close(s);
    return rc;
}
