/* points: the points journal.  See points.h. */
#include "db/points.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/audit.h"
#include "db/members.h"
#include "db/settings.h"
#include "db/store_internal.h"
#include "pos/core/bizday.h"
#include "pos/core/member.h"
#include "pos/core/utf8.h"

#define COPY(dst, src) snprintf((dst), sizeof(dst), "%s", (src))

static const char *const ENTRY_KINDS[] = {"earn", "redeem", "reverse", "expire", "adjust"};

const char *points_entry_kind_name(points_entry_kind k)
{
    return (unsigned)k < 5 ? ENTRY_KINDS[k] : "?";
}

static bool entry_kind_parse(const char *name, points_entry_kind *out)
{
    for (int i = 0; i < 5; i++)
        if (strcmp(name, ENTRY_KINDS[i]) == 0) {
            *out = (points_entry_kind)i;
            return true;
        }
    return false;
}

/* Kept prepared: a member sale runs them inside its commit. */
static const char SQL_BALANCE[] =
    "SELECT coalesce(sum(points), 0) FROM points_journal WHERE member_id = ?1";
static const char SQL_INSERT[] =
    "INSERT INTO points_journal(member_id, kind, points, sale_uuid, reason, at_utc) "
    "VALUES(?1, ?2, ?3, ?4, ?5, ?6)";

static store_err balance_of(store *s, const char *member_id, int64_t *out)
{
    sqlite3_stmt *st = NULL;
    store_err e = store_cached(s, SQL_BALANCE, &st);
    if (e)
        return e;
    sqlite3_bind_text(st, 1, member_id, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *out = sqlite3_column_int64(st, 0);
        e = STORE_OK;
    } else {
        e = store_fail(s, rc);
    }
    sqlite3_reset(st);
    return e;
}

store_err points_balance(store *s, const char *member_id, int64_t *balance)
{
    if (!s || !member_id || !balance)
        return STORE_ERR_INVALID;
    return balance_of(s, member_id, balance);
}

store_err points_balance_after_sale(store *s, const char *member_id, const char *sale_uuid,
                                    int64_t *balance)
{
    if (!s || !member_id || !sale_uuid || !balance)
        return STORE_ERR_INVALID;
    sqlite3_stmt *st = NULL;
    store_err e = store_prepare(s,
                                /* The sale's own last row (earn, redeem: a later
                                 * refund's reverse/adjust rows carry the sale's uuid too),
                                 * then the sum up to it. */
                                "SELECT last.id, (SELECT coalesce(sum(points), 0) "
                                "FROM points_journal WHERE member_id = ?1 AND id <= last.id) "
                                "FROM (SELECT max(id) AS id FROM points_journal "
                                "WHERE member_id = ?1 AND sale_uuid = ?2 "
                                "AND kind IN ('earn','redeem')) AS last",
                                &st);
    if (e)
        return e;
    sqlite3_bind_text(st, 1, member_id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, sale_uuid, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW)
        e = store_fail(s, rc);
    else if (sqlite3_column_type(st, 0) == SQLITE_NULL)
        e = store_failf(s, STORE_ERR_NOT_FOUND, "no points rows of sale %s", sale_uuid);
    else
        *balance = sqlite3_column_int64(st, 1);
    sqlite3_finalize(st);
    return e;
}

/* The member exists (a journal row's foreign key would say so too, but not in words). */
static store_err member_exists(store *s, const char *id)
{
    member m;
    return members_find(s, id, &m);
}

/* Insert one row inside the caller's transaction.  The balance is checked here for a clear
 * message; the trigger is the backstop for any other writer.  member_known: the caller has
 * just looked the member up (a sale's commit), so it is not looked up again per row. */
static store_err insert_entry(store *s, const points_entry *p, bool member_known)
{
    bool sign_ok = p->kind == POINTS_ENTRY_EARN ? p->points > 0
                   : p->kind == POINTS_ENTRY_ADJUST ? p->points != 0 && p->reason[0]
                   : (unsigned)p->kind <= POINTS_ENTRY_ADJUST ? p->points < 0
                                                               : false;
    if (!sign_ok)
        return store_failf(s, STORE_ERR_INVALID,
                           "points %s of %lld: earn is positive, redeem/reverse/expire negative, "
                           "adjust non-zero with a reason",
                           points_entry_kind_name(p->kind), (long long)p->points);
    if (!utf8_text_valid(p->reason) || strnlen(p->reason, sizeof p->reason) >= sizeof p->reason)
        return store_failf(s, STORE_ERR_INVALID, "points reason is not valid text");
    store_err e = member_known ? STORE_OK : member_exists(s, p->member_id);
    if (e)
        return e;
    if (p->points < 0) {
        int64_t bal = 0;
        if ((e = balance_of(s, p->member_id, &bal)))
            return e;
        if (bal + p->points < 0)
            return store_failf(s, STORE_ERR_INVALID,
                               "积分余额不足：会员 %s 余额 %lld 分，本次 %s %lld 分", p->member_id,
                               (long long)bal, points_entry_kind_name(p->kind),
                               (long long)-p->points);
    }
    sqlite3_stmt *st = NULL;
    if ((e = store_cached(s, SQL_INSERT, &st)))
        return e;
    sqlite3_bind_text(st, 1, p->member_id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, points_entry_kind_name(p->kind), -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, p->points);
    store_bind_opt_text(st, 4, p->sale_uuid);
    sqlite3_bind_text(st, 5, p->reason, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 6, p->at_utc);
    return store_step_reset(s, st);
}

static store_err append_tx(store *s, void *ctx) { return insert_entry(s, ctx, false); }

store_err points_append(store *s, const points_entry *e)
{
    if (!s || !e)
        return STORE_ERR_INVALID;
    return store_transaction(s, append_tx, (void *)e);
}

store_err points_recent(store *s, const char *member_id, points_entry *out, size_t cap,
                        size_t *n)
{
    if (!s || !member_id || !n || (cap && !out))
        return STORE_ERR_INVALID;
    *n = 0;
    sqlite3_stmt *st = NULL;
    store_err e = store_prepare(s,
                                "SELECT id, member_id, kind, points, coalesce(sale_uuid, ''), "
                                "reason, at_utc FROM points_journal WHERE member_id = ?1 "
                                "ORDER BY id DESC LIMIT ?2",
                                &st);
    if (e)
        return e;
    sqlite3_bind_text(st, 1, member_id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, (int64_t)cap);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        points_entry *p = &out[(*n)++];
        memset(p, 0, sizeof *p);
        p->id = sqlite3_column_int64(st, 0);
        store_column_text(st, 1, p->member_id, sizeof p->member_id);
        char kind[16];
        store_column_text(st, 2, kind, sizeof kind);
        if (!entry_kind_parse(kind, &p->kind))
            p->kind = POINTS_ENTRY_ADJUST;
        p->points = sqlite3_column_int64(st, 3);
        store_column_text(st, 4, p->sale_uuid, sizeof p->sale_uuid);
        store_column_text(st, 5, p->reason, sizeof p->reason);
        p->at_utc = sqlite3_column_int64(st, 6);
    }
    e = rc == SQLITE_DONE ? STORE_OK : store_fail(s, rc);
    sqlite3_finalize(st);
    return e;
}

/* An integer setting in [min, max], def when absent. */
static store_err int_setting(store *s, const char *key, long min, long max, long def, long *out)
{
    char buf[64];
    store_err e = settings_get(s, key, buf, sizeof buf);
    if (e == STORE_ERR_NOT_FOUND || (e == STORE_OK && !buf[0])) {
        *out = def;
        return STORE_OK;
    }
    if (e)
        return e;
    char *end = NULL;
    long v = strtol(buf, &end, 10);
    if (end == buf || *end || v < min || v > max)
        return store_failf(s, STORE_ERR_INVALID, "setting %s='%.40s' is not a number %ld..%ld",
                           key, buf, min, max);
    *out = v;
    return STORE_OK;
}

bool points_expiry_parse(const char *text, int *months)
{
    if (!text)
        return false;
    if (strcmp(text, "none") == 0) {
        if (months)
            *months = 0;
        return true;
    }
    /* "months:N" is the spelled-out form; a bare N (what earlier versions stored) means the same. */
    if (strncmp(text, "months:", 7) == 0)
        text += 7;
    if (*text < '0' || *text > '9')
        return false;
    char *end = NULL;
    long v = strtol(text, &end, 10);
    if (end == text || *end || v < 1 || v > 120)
        return false;
    if (months)
        *months = (int)v;
    return true;
}

store_err points_load_config(store *s, points_config *out, int *expiry_months)
{
    if (!s || !out)
        return STORE_ERR_INVALID;
    memset(out, 0, sizeof *out);
    long rate, redeem, cap;
    store_err e;
    if ((e = int_setting(s, "points.rate", 0, 100, 1, &rate)) ||
        (e = int_setting(s, "points.redeem_rate", 1, 100000, 100, &redeem)) ||
        (e = int_setting(s, "points.redeem_cap_percent", 0, 100, 50, &cap)))
        return e;
    /* "points per yuan" in both directions: 1 point per 100 fen paid; redeem_rate points buy
     * 100 fen. */
    out->earn_points = rate;
    out->earn_unit_fen = 100;
    out->redeem_points = redeem;
    out->redeem_fen = 100;
    out->redeem_cap_pct = (int)cap;
    out->redeem_cap_points = 0;
    if (rate == 0) {
        /* Earning switched off: points_config_check wants a positive rate, so keep the unit
         * and let the caller see earn_points == 0. */
    } else if (!points_config_check(out)) {
        return store_failf(s, STORE_ERR_INVALID, "points settings are inconsistent");
    }
    char buf[32];
    int months = 0;
    e = settings_get(s, "points.expiry", buf, sizeof buf);
    if (e == STORE_OK && buf[0]) {
        if (!points_expiry_parse(buf, &months))
            return store_failf(s, STORE_ERR_INVALID,
                               "setting points.expiry='%.20s' is not \"none\" or 1..120 months", buf);
    } else if (e && e != STORE_ERR_NOT_FOUND) {
        return e;
    }
    if (expiry_months)
        *expiry_months = months;
    return STORE_OK;
}

/* ---- expiry ---- */

/* now_utc minus `months` calendar months, in the store's local time: the same wall-clock time
 * on the same day of the month, or the month's last day when it is shorter (Aug 31 - 6 months
 * = Feb 28/29).  Points earned before that instant have been held `months` months or more. */
static int64_t months_before(int64_t now_utc, int months, int tz_offset_min)
{
    civil_time lt;
    bizday_local(now_utc, tz_offset_min, &lt);
    int y = lt.year, m = lt.month - months;
    while (m < 1) {
        m += 12;
        y--;
    }
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int dim = mdays[m - 1];
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        dim = 29;
    int d = lt.day < dim ? lt.day : dim;
    int64_t local = bizday_days_from_civil(y, m, d) * 86400 + lt.hour * 3600 + lt.minute * 60 +
                    lt.second;
    return local - (int64_t)tz_offset_min * 60;
}

typedef struct {
    int64_t now_utc;
    points_expire_result *res;
} expire_ctx;

static store_err expire_tx(store *s, void *vctx)
{
    expire_ctx *x = vctx;
    points_expire_result *r = x->res;
    /* The policy and the zone are read under the write lock, with the journal they apply to. */
    points_config pc;
    int months = 0;
    store_err e = points_load_config(s, &pc, &months);
    if (e)
        return e;
    r->months = months;
    if (months == 0)
        return STORE_OK;
    till_config cfg;
    if ((e = settings_get_config(s, &cfg)))
        return e;
    r->cutoff_utc = months_before(x->now_utc, months, cfg.tz_offset_min);

    /* FIFO in one pass per member: old earnings minus everything ever spent.  Spending dated
     * after the cutoff still comes out of the oldest points first (that is what FIFO means),
     * and earlier expire rows are spending too -- hence idempotent.  Positive adjusts (points
     * returned by a refund, corrections) are earnings dated when they were written. */
    sqlite3_stmt *st = NULL;
    if ((e = store_prepare(s,
                           "SELECT member_id, x FROM (SELECT member_id, "
                           "sum(CASE WHEN points > 0 AND at_utc < ?1 THEN points ELSE 0 END) - "
                           "sum(CASE WHEN points < 0 THEN -points ELSE 0 END) AS x "
                           "FROM points_journal GROUP BY member_id) WHERE x > 0 "
                           "ORDER BY member_id",
                           &st)))
        return e;
    sqlite3_bind_int64(st, 1, r->cutoff_utc);
    /* Collect first, write after: inserting into the table being aggregated would be read by
     * the same statement on some plans. */
    size_t cap = 0, n = 0;
    points_expired *all = NULL;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (!store_grow((void **)&all, &cap, n, sizeof *all, 64)) {
            rc = SQLITE_NOMEM;
            break;
        }
        memset(&all[n], 0, sizeof all[n]);
        store_column_text(st, 0, all[n].member_id, sizeof all[n].member_id);
        all[n].points = sqlite3_column_int64(st, 1);
        n++;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        free(all);
        return store_fail(s, rc);
    }
    char day[11];
    bizday_format_day(r->cutoff_utc, cfg.tz_offset_min, day);
    for (size_t i = 0; i < n && !e; i++) {
        points_entry p = {0};
        snprintf(p.member_id, sizeof p.member_id, "%s", all[i].member_id);
        p.kind = POINTS_ENTRY_EXPIRE;
        p.points = -all[i].points;
        snprintf(p.reason, sizeof p.reason, "积分过期：%s 前获得（%d 个月）", day, months);
        p.at_utc = x->now_utc;
        if ((e = insert_entry(s, &p, false)))
            break;
        r->points += all[i].points;
        r->n_members++;
        if (r->items && r->n_items < r->cap)
            r->items[r->n_items++] = all[i];
    }
    free(all);
    if (e || r->n_members == 0)
        return e;
    /* One audit row for the run: the policy, the cutoff and the totals (each member's amount
     * is in the journal rows themselves). */
    char detail[160];
    snprintf(detail, sizeof detail,
             "{\"months\":%d,\"cutoff_utc\":%lld,\"members\":%zu,\"points\":%lld}", months,
             (long long)r->cutoff_utc, r->n_members, (long long)r->points);
    return audit_append(s, x->now_utc, "admin", "points.expire", day, detail);
}

store_err points_expire(store *s, int64_t now_utc, points_expire_result *res)
{
    if (!s || !res || (res->cap && !res->items))
        return STORE_ERR_INVALID;
    res->months = 0;
    res->cutoff_utc = 0;
    res->n_members = 0;
    res->points = 0;
    res->n_items = 0;
    expire_ctx x = {now_utc, res};
    store_err e = store_transaction(s, expire_tx, &x);
    if (e) {
        /* Rolled back: report nothing as expired. */
        res->n_members = 0;
        res->points = 0;
        res->n_items = 0;
    }
    return e;
}

store_err points_commit_sale(store *s, const sale_doc *d)
{
    fen_t points_tender = 0;
    for (size_t i = 0; i < d->n_tenders; i++)
        if (d->tenders[i].kind == TENDER_POINTS)
            points_tender += d->tenders[i].amount_fen;
    if (!d->member_id[0]) {
        /* Paying with points needs someone to debit.  Points "earned" without a member have
         * nobody to credit: the document's figure stays informational and no row is written
         * (the till sets it to 0 for anonymous sales). */
        if (d->points_redeemed || points_tender)
            return store_failf(s, STORE_ERR_INVALID, "sale %s pays with points but has no member",
                               d->uuid);
        return STORE_OK;
    }
    if (d->points_earned < 0 || d->points_redeemed < 0)
        return store_failf(s, STORE_ERR_INVALID, "sale %s: negative points", d->uuid);
    store_err e = member_exists(s, d->member_id);
    if (e == STORE_ERR_NOT_FOUND)
        return store_failf(s, STORE_ERR_INVALID, "sale %s: no member \"%.31s\"", d->uuid,
                           d->member_id);
    if (e)
        return e;
    if ((points_tender > 0) != (d->points_redeemed > 0))
        return store_failf(s, STORE_ERR_INVALID,
                           "sale %s: a points tender and points_redeemed go together", d->uuid);
    if (points_tender > 0) {
        /* The tender may not be worth more than the points debited for it (read under the
         * write lock, with the same settings the quote used). */
        points_config pc;
        if ((e = points_load_config(s, &pc, NULL)))
            return e;
        if (points_value_fen(&pc, d->points_redeemed) < points_tender)
            return store_failf(s, STORE_ERR_INVALID,
                               "sale %s: %lld points do not pay %lld fen", d->uuid,
                               (long long)d->points_redeemed, (long long)points_tender);
    }
    points_entry p = {0};
    COPY(p.member_id, d->member_id);
    COPY(p.sale_uuid, d->uuid);
    p.at_utc = d->created_utc;
    /* Redeem first: points this sale earns must not pay for this sale. */
    if (d->points_redeemed > 0) {
        p.kind = POINTS_ENTRY_REDEEM;
        p.points = -d->points_redeemed;
        if ((e = insert_entry(s, &p, true)))
            return e;
    }
    if (d->points_earned > 0) {
        p.kind = POINTS_ENTRY_EARN;
        p.points = d->points_earned;
        if ((e = insert_entry(s, &p, true)))
            return e;
    }
    return STORE_OK;
}

