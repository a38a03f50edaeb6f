/* calendar: every campaign date of a year, with the rules in force on it.
 *
 *   calendar YEAR            (1950-2100: the lunar calendar's range)
 *
 * The dates come from promo_calendar_year over the stored (active) rules: every weekday of a
 * weekday rule, every day of a solar or lunar anchor with its span -- computed for that year,
 * whether or not a rule's date range covers it -- each with its lunar date and the rules whose
 * day part matches (date range included).  A day named by a rule not yet in force therefore
 * shows with no rules: the manager sees next year's Spring Festival before configuring it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/rules.h"
#include "db/store.h"
#include "pos/app/cli.h"
#include "pos/app/i18n.h"
#include "pos/core/json.h"
#include "pos/core/lunar.h"
#include "pos/core/promo.h"


/* 正月初一, 闰四月十五, 腊月三十 */
static void lunar_text(int month, int day, bool leap, char *buf, size_t cap)
{
    static const char *const M[] = {"", "正", "二", "三", "四", "五", "六",
                                    "七", "八", "九", "十", "冬", "腊"};
    static const char *const D1[] = {"初", "十", "廿", "三"};
    static const char *const D2[] = {"", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"};
    if (month < 1 || month > 12 || day < 1 || day > 30) {
        snprintf(buf, cap, "?");
        return;
    }
    char d[16];
    if (day == 10)
        snprintf(d, sizeof d, "初十");
    else if (day == 20)
        snprintf(d, sizeof d, "二十");
    else if (day == 30)
        snprintf(d, sizeof d, "三十");
    else
        snprintf(d, sizeof d, "%s%s", D1[day / 10], D2[day % 10]);
    snprintf(buf, cap, "%s%s月%s", leap ? "闰" : "", M[month], d);
}

/* Does the rule's schedule name particular days (weekdays, a solar or lunar anchor)?  The
 * others (a date range, or always) match every day of the calendar and are listed once. */
static bool names_days(const promo_rule *r)
{
    return r->schedule.weekdays || r->schedule.has_solar || r->schedule.has_lunar;
}

int cmd_calendar(const cli_ctx *ctx)
{
    if (ctx->argc != 1) {
        cli_error("usage: calendar YEAR");
        return EXIT_USAGE;
    }
    char *end = NULL;
    long y = strtol(ctx->argv[0], &end, 10);
    if (!end || *end || y < LUNAR_MIN_SOLAR_YEAR || y > LUNAR_MAX_SOLAR_YEAR) {
        cli_error("calendar: YEAR must be %d..%d, not '%s'", LUNAR_MIN_SOLAR_YEAR,
                  LUNAR_MAX_SOLAR_YEAR, ctx->argv[0]);
        return EXIT_USAGE;
    }
    store *s = cli_open_store(ctx, true);
    if (!s)
        return EXIT_REFUSED;
    int rc = EXIT_REFUSED;
    promo_rule *rules = calloc(PROMO_MAX_RULES, sizeof *rules);
    promo_calendar_day *days = calloc(366, sizeof *days);
    size_t n_rules = 0;
    if (!rules || !days) {
        cli_error("out of memory");
        goto out;
    }
    store_err e = rules_load_active(s, rules, PROMO_MAX_RULES, &n_rules);
    if (e) {
        cli_error("%s: %s", store_strerror(e), store_last_error(s));
        goto out;
    }
    size_t n = promo_calendar_year(rules, n_rules, (int)y, days, 366);
    if (n > 366)
        n = 366;
    static const char *const WD_ZH[] = {"周日", "周一", "周二", "周三", "周四", "周五", "周六"};
    static const char *const WD_EN[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    if (ctx->json) {
        strbuf sb;
        json_writer w;
        strbuf_init(&sb);
        json_writer_init(&w, &sb, false);
        json_begin_object(&w);
        json_kv_int(&w, "year", y);
        json_kv_int(&w, "rules", (int64_t)n_rules);
        json_key(&w, "days");
        json_begin_array(&w);
        for (size_t i = 0; i < n; i++) {
            const promo_calendar_day *d = &days[i];
            char date[16];
            snprintf(date, sizeof date, "%04d-%02d-%02d", d->year, d->month, d->day);
            json_begin_object(&w);
            json_kv_string(&w, "date", date);
            json_kv_int(&w, "weekday", d->weekday);
            json_key(&w, "lunar");
            json_begin_object(&w);
            json_kv_int(&w, "year", d->lunar_year);
            json_kv_int(&w, "month", d->lunar_month);
            json_kv_int(&w, "day", d->lunar_day);
            json_kv_bool(&w, "leap", d->lunar_leap);
            json_end_object(&w);
            json_kv_string(&w, "what", d->what);
            /* rules: every rule in force that day (promo_calendar_year); campaign: those
             * whose schedule names the day (not the every-day ones). */
            for (int pass = 0; pass < 2; pass++) {
                json_key(&w, pass ? "campaign" : "rules");
                json_begin_array(&w);
                for (size_t k = 0; k < d->n_rules; k++) {
                    if (pass && !names_days(&rules[d->rules[k]]))
                        continue;
                    json_begin_object(&w);
                    json_kv_string(&w, "id", rules[d->rules[k]].id);
                    json_kv_string(&w, "label", rules[d->rules[k]].label);
                    json_end_object(&w);
                }
                json_end_array(&w);
            }
            json_end_object(&w);
        }
        json_end_array(&w);
        json_end_object(&w);
        printf("%s\n", sb.data ? sb.data : "{}");
        strbuf_free(&sb);
    } else {
        printf("%ld %s（%zu %s）\n", y, T("年促销日历", "promotion calendar"), n_rules,
               T("条规则", "rules"));
        printf("%s:", T("不限日子的规则（在其日期范围内每天生效）", "Every-day rules (within their dates)"));
        size_t daily = 0;
        for (size_t k = 0; k < n_rules; k++)
            if (!names_days(&rules[k]))
                printf("%s%s", daily++ ? T("、", ", ") : " ", rules[k].label);
        printf("%s\n", daily ? "" : T(" （无）", " (none)"));
        for (size_t i = 0; i < n; i++) {
            const promo_calendar_day *d = &days[i];
            char lunar[48];
            lunar_text(d->lunar_month, d->lunar_day, d->lunar_leap, lunar, sizeof lunar);
            printf("%04d-%02d-%02d %s  %-14s %-24s ", d->year, d->month, d->day,
                   i18n_is_en() ? WD_EN[d->weekday % 7] : WD_ZH[d->weekday % 7], lunar, d->what);
            size_t shown = 0;
            for (size_t k = 0; k < d->n_rules; k++)
                if (names_days(&rules[d->rules[k]]))
                    printf("%s%s", shown++ ? T("、", ", ") : "", rules[d->rules[k]].label);
            if (shown == 0)
                printf("%s", T("（无生效规则）", "(no rule in force)"));
            printf("\n");
        }
    }
    rc = EXIT_DONE;
out:
    free(rules);
    free(days);
    store_close(s);
    return rc;
}
