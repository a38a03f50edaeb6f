/* test_promotions: the promotion subsystems of #5 in the store -- the rule table (db/rules),
 * members (db/members), the append-only points journal (db/points: balance never negative,
 * even for raw SQL; rows written by sales_commit in the sale's transaction; expiry), the
 * consumption-star ranking (db/stars) and the demo campaigns (db/demo).  The rule codec itself
 * is pure and tested in tests/core/test_rule_json.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db/demo.h"
#include "db/members.h"
#include "db/points.h"
#include "db/rules.h"
#include "db/stars.h"
#include "pos/core/member.h"
#include "db/products.h"
#include "db/sales.h"
#include "db/settings.h"
#include "db/store.h"
#include "db_test_util.h"
#include "pos/core/bizday.h"
#include "pos/core/mask.h"
#include "sale_fixture.h"
#include "store_fixture.h"
#include "tests/core/rule_samples.h"

/* 2026-10-16 10:30:00 +08:00 (a Friday) */
#define T_OCT16 ((int64_t)1792117800)
#define HOUR 3600
#define DAY 86400

static store *open_new(const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/promo_%s.db", FUPIN_TEST_TMP, name);
    return fx_open_new(path, ROUNDING_NONE);
}

static int raw(store *s, const char *sql)
{
    return sqlite3_exec(store_db(s), sql, NULL, NULL, NULL);
}

/* The codec's sample rules through the table: stored, loaded (ordered by id), identical. */
static void test_rules_table(void **state)
{
    (void)state;
    promo_rule rules[8];
    size_t n = sample_rules(rules);
    store *s = open_new("codec");
    for (size_t i = 0; i < n; i++)
        assert_int_equal(rules_upsert(s, &rules[i], true), STORE_OK);
    promo_rule loaded[8];
    size_t got = 0;
    assert_int_equal(rules_load_active(s, loaded, 8, &got), STORE_OK);
    assert_int_equal(got, n);
    for (size_t i = 0; i < got; i++) {
        const promo_rule *orig = NULL;
        for (size_t j = 0; j < n; j++)
            if (strcmp(rules[j].id, loaded[i].id) == 0)
                orig = &rules[j];
        assert_non_null(orig);
        assert_memory_equal(&loaded[i], orig, sizeof *orig);
        if (i)
            assert_true(strcmp(loaded[i - 1].id, loaded[i].id) < 0);
    }
    /* The cap is a refusal, never a silent subset. */
    assert_int_equal(rules_load_active(s, loaded, 3, &got), STORE_ERR_INVALID);
    assert_int_equal(got, 0);
    /* Upserting the same rule again writes no audit row; a change does. */
    int64_t audit0 = count(s, "SELECT count(*) FROM audit_log");
    assert_int_equal(rules_upsert(s, &rules[0], true), STORE_OK);
    assert_int_equal(count(s, "SELECT count(*) FROM audit_log"), audit0);
    rules[0].effect.percent = 90;
    assert_int_equal(rules_upsert(s, &rules[0], true), STORE_OK);
    assert_int_equal(count(s, "SELECT count(*) FROM audit_log"), audit0 + 1);
    /* Deactivated rules are kept but not loaded. */
    assert_int_equal(rules_deactivate(s, "fri"), STORE_OK);
    assert_int_equal(rules_load_active(s, loaded, 8, &got), STORE_OK);
    assert_int_equal(got, n - 1);
    promo_rule one;
    bool active = true;
    assert_int_equal(rules_find(s, "fri", &one, &active), STORE_OK);
    assert_false(active);
    assert_int_equal(one.effect.percent, 90);
    assert_int_equal(rules_deactivate(s, "nope"), STORE_ERR_NOT_FOUND);
    store_close(s);
}

static void test_invalid_rules_never_stored(void **state)
{
    (void)state;
    store *s = open_new("invalid");
    promo_rule r = blank("bad", "坏规则", PROMO_PERCENT);
    r.effect.percent = 150;
    assert_int_equal(rules_upsert(s, &r, true), STORE_ERR_INVALID);
    assert_non_null(strstr(store_last_error(s), "bad"));
    /* A span without an anchor passes promo_rule_check but would not load the same: refused. */
    r.effect.percent = 90;
    r.schedule.span_after = 3;
    assert_int_equal(rules_upsert(s, &r, true), STORE_ERR_INVALID);
    assert_int_equal(count(s, "SELECT count(*) FROM promo_rules"), 0);
    /* A row damaged behind the codec's back is reported by id, not priced with. */
    r.schedule.span_after = 0;
    assert_int_equal(rules_upsert(s, &r, true), STORE_OK);
    assert_int_equal(raw(s, "UPDATE promo_rules SET rule_json = json_set(rule_json, "
                            "'$.effect.percent', 300)"),
                     SQLITE_OK);
    promo_rule out[4];
    size_t n = 9;
    assert_int_equal(rules_load_active(s, out, 4, &n), STORE_ERR_CORRUPT);
    assert_int_equal(n, 0);
    assert_non_null(strstr(store_last_error(s), "\"bad\""));
    /* The JSON's id and the column cannot disagree. */
    assert_int_not_equal(raw(s, "UPDATE promo_rules SET rule_json = json_set(rule_json, '$.id', "
                                "'other')"),
                         SQLITE_OK);
    store_close(s);
}

/* ------------------------------------------------------------------ members and journal */

static member mk_member(const char *id, const char *phone, const char *name, member_kind k)
{
    member m;
    memset(&m, 0, sizeof m);
    snprintf(m.id, sizeof m.id, "%s", id);
    snprintf(m.phone, sizeof m.phone, "%s", phone);
    snprintf(m.name, sizeof m.name, "%s", name);
    m.kind = k;
    m.created_utc = T_OCT16;
    return m;
}

static void test_members(void **state)
{
    (void)state;
    store *s = open_new("members");
    member a = mk_member("88000001", "13908781234", "张三明", MEMBER_PERSON);
    assert_int_equal(members_add(s, &a), STORE_OK);
    member b = mk_member("88000001", "13900000000", "李四", MEMBER_PERSON);
    assert_int_equal(members_add(s, &b), STORE_ERR_CONSTRAINT);       /* same card */
    b = mk_member("88000002", "13908781234", "李四", MEMBER_PERSON);
    assert_int_equal(members_add(s, &b), STORE_ERR_CONSTRAINT);       /* same phone */
    b = mk_member("88000002", "", "永仁县某公司", MEMBER_ORGANISATION);
    assert_int_equal(members_add(s, &b), STORE_OK);                   /* no phone is fine */
    member c = mk_member("88000003", "", "王五", MEMBER_STAFF);
    assert_int_equal(members_add(s, &c), STORE_OK);                   /* two without phone */
    member bad = mk_member("88 01", "139", "x", MEMBER_PERSON);
    assert_int_equal(members_add(s, &bad), STORE_ERR_INVALID);
    bad = mk_member("88000009", "139abc", "x", MEMBER_PERSON);
    assert_int_equal(members_add(s, &bad), STORE_ERR_INVALID);
    bad = mk_member("88000009", "", "", MEMBER_PERSON);
    assert_int_equal(members_add(s, &bad), STORE_ERR_INVALID);

    member got;
    assert_int_equal(members_find_by_key(s, "13908781234", &got), STORE_OK);
    assert_string_equal(got.id, "88000001");
    assert_string_equal(got.name, "张三明");
    assert_int_equal(members_find_by_key(s, "88000002", &got), STORE_OK);
    assert_int_equal(got.kind, MEMBER_ORGANISATION);
    assert_string_equal(got.phone, "");
    assert_int_equal(members_find(s, "nobody", &got), STORE_ERR_NOT_FOUND);
    a.kind = MEMBER_STAFF;
    assert_int_equal(members_upsert(s, &a), STORE_OK);
    assert_int_equal(members_find(s, "88000001", &got), STORE_OK);
    assert_int_equal(got.kind, MEMBER_STAFF);
    assert_int_equal(members_delete(s, "88000003"), STORE_OK);
    assert_int_equal(members_find(s, "88000003", &got), STORE_ERR_NOT_FOUND);
    store_close(s);
}

static points_entry entry(const char *member_id, points_entry_kind k, int64_t pts,
                          const char *reason)
{
    points_entry p;
    memset(&p, 0, sizeof p);
    snprintf(p.member_id, sizeof p.member_id, "%s", member_id);
    p.kind = k;
    p.points = pts;
    snprintf(p.reason, sizeof p.reason, "%s", reason);
    p.at_utc = T_OCT16;
    return p;
}

static void test_journal(void **state)
{
    (void)state;
    store *s = open_new("journal");
    member a = mk_member("M1", "13908781234", "张三明", MEMBER_PERSON);
    assert_int_equal(members_add(s, &a), STORE_OK);
    int64_t bal = -1;
    assert_int_equal(points_balance(s, "M1", &bal), STORE_OK);
    assert_int_equal(bal, 0);
    points_entry p = entry("M1", POINTS_ENTRY_EARN, 100, "");
    assert_int_equal(points_append(s, &p), STORE_OK);
    p = entry("M1", POINTS_ENTRY_REDEEM, -30, "");
    assert_int_equal(points_append(s, &p), STORE_OK);
    assert_int_equal(points_balance(s, "M1", &bal), STORE_OK);
    assert_int_equal(bal, 70);
    /* Beyond the balance: refused with words, nothing written. */
    p = entry("M1", POINTS_ENTRY_REDEEM, -71, "");
    assert_int_equal(points_append(s, &p), STORE_ERR_INVALID);
    assert_non_null(strstr(store_last_error(s), "余额不足"));
    p = entry("M1", POINTS_ENTRY_ADJUST, -71, "纠错");
    assert_int_equal(points_append(s, &p), STORE_ERR_INVALID);
    /* Signs follow the kind; adjust needs a reason; the member must exist. */
    p = entry("M1", POINTS_ENTRY_EARN, -5, "");
    assert_int_equal(points_append(s, &p), STORE_ERR_INVALID);
    p = entry("M1", POINTS_ENTRY_REVERSE, 5, "");
    assert_int_equal(points_append(s, &p), STORE_ERR_INVALID);
    p = entry("M1", POINTS_ENTRY_ADJUST, 5, "");
    assert_int_equal(points_append(s, &p), STORE_ERR_INVALID);
    p = entry("nobody", POINTS_ENTRY_EARN, 5, "");
    assert_int_equal(points_append(s, &p), STORE_ERR_NOT_FOUND);
    p = entry("M1", POINTS_ENTRY_ADJUST, -70, "清零");
    assert_int_equal(points_append(s, &p), STORE_OK);
    assert_int_equal(points_balance(s, "M1", &bal), STORE_OK);
    assert_int_equal(bal, 0);
    assert_int_equal(count(s, "SELECT count(*) FROM points_journal"), 3);

    /* Append-only and never negative, whoever writes: raw SQL meets the triggers. */
    assert_int_not_equal(raw(s, "UPDATE points_journal SET points = 1000"), SQLITE_OK);
    assert_int_not_equal(raw(s, "DELETE FROM points_journal"), SQLITE_OK);
    assert_int_not_equal(raw(s, "INSERT INTO points_journal(member_id, kind, points, at_utc) "
                                "VALUES('M1', 'redeem', -1, 0)"),
                         SQLITE_OK);
    assert_int_not_equal(raw(s, "INSERT INTO points_journal(member_id, kind, points, at_utc) "
                                "VALUES('M1', 'earn', 0, 0)"),
                         SQLITE_OK);
    assert_int_equal(count(s, "SELECT count(*) FROM points_journal"), 3);

    points_entry rows[8];
    size_t n = 0;
    assert_int_equal(points_recent(s, "M1", rows, 8, &n), STORE_OK);
    assert_int_equal(n, 3);
    assert_int_equal(rows[0].kind, POINTS_ENTRY_ADJUST);     /* newest first */
    assert_string_equal(rows[0].reason, "清零");
    assert_int_equal(rows[2].kind, POINTS_ENTRY_EARN);
    assert_int_equal(rows[2].points, 100);
    /* A member with points is kept. */
    assert_int_equal(members_delete(s, "M1"), STORE_ERR_CONSTRAINT);
    store_close(s);
}

static void test_points_settings(void **state)
{
    (void)state;
    store *s = open_new("settings");
    points_config pc;
    int months = -1;
    assert_int_equal(points_load_config(s, &pc, &months), STORE_OK);
    assert_int_equal(pc.earn_points, 1);
    assert_int_equal(pc.earn_unit_fen, 100);
    assert_int_equal(pc.redeem_points, 100);
    assert_int_equal(pc.redeem_fen, 100);
    assert_int_equal(pc.redeem_cap_pct, 50);
    assert_int_equal(months, 0);
    assert_int_equal(settings_set(s, "points.expiry", "24"), STORE_OK);
    assert_int_equal(settings_set(s, "points.rate", "2"), STORE_OK);
    assert_int_equal(points_load_config(s, &pc, &months), STORE_OK);
    assert_int_equal(months, 24);
    assert_int_equal(pc.earn_points, 2);
    assert_int_equal(settings_set(s, "points.redeem_cap_percent", "150"), STORE_OK);
    assert_int_equal(points_load_config(s, &pc, NULL), STORE_ERR_INVALID);
    assert_non_null(strstr(store_last_error(s), "points.redeem_cap_percent"));
    assert_int_equal(settings_set(s, "points.redeem_cap_percent", "50"), STORE_OK);
    assert_int_equal(settings_set(s, "points.expiry", "forever"), STORE_OK);
    assert_int_equal(points_load_config(s, &pc, NULL), STORE_ERR_INVALID);
    assert_non_null(strstr(store_last_error(s), "points.expiry"));
    store_close(s);
}

/* ------------------------------------------------------------------ expiry */

/* Local time in Yongren (+08:00) as UTC seconds. */
static int64_t cst(int y, int m, int d, int h)
{
    return bizday_days_from_civil(y, m, d) * DAY + h * HOUR - 8 * HOUR;
}

static void journal_at(store *s, const char *id, points_entry_kind k, int64_t pts, int64_t at)
{
    points_entry p = entry(id, k, pts, k == POINTS_ENTRY_ADJUST ? "测试" : "");
    p.at_utc = at;
    assert_int_equal(points_append(s, &p), STORE_OK);
}

static int64_t expired_for(const points_expire_result *r, const char *id)
{
    for (size_t i = 0; i < r->n_items; i++)
        if (strcmp(r->items[i].member_id, id) == 0)
            return r->items[i].points;
    return 0;
}

static void test_points_expiry_fifo(void **state)
{
    (void)state;
    assert_true(points_expiry_parse("none", NULL));
    int mo = -1;
    assert_true(points_expiry_parse("months:6", &mo) && mo == 6);
    assert_true(points_expiry_parse("24", &mo) && mo == 24);
    assert_false(points_expiry_parse("months:0", &mo));
    assert_false(points_expiry_parse("months:121", &mo));
    assert_false(points_expiry_parse("months:", &mo));
    assert_false(points_expiry_parse("-3", &mo));
    assert_false(points_expiry_parse("6 ", &mo));
    assert_false(points_expiry_parse("", &mo));

    store *s = open_new("expiry");
    const char *ids[] = {"M1", "M2", "M3"};
    const char *phones[] = {"13900000001", "13900000002", "13900000003"};
    for (int i = 0; i < 3; i++) {
        member m = mk_member(ids[i], phones[i], "测试", MEMBER_PERSON);
        assert_int_equal(members_add(s, &m), STORE_OK);
    }
    /* M1: 100 earned in January, 30 redeemed in March, 50 earned in May. */
    journal_at(s, "M1", POINTS_ENTRY_EARN, 100, cst(2026, 1, 10, 10));
    journal_at(s, "M1", POINTS_ENTRY_REDEEM, -30, cst(2026, 3, 5, 10));
    journal_at(s, "M1", POINTS_ENTRY_EARN, 50, cst(2026, 5, 20, 10));
    /* M2: 40 old points, then spending after the cutoff still uses them first (FIFO). */
    journal_at(s, "M2", POINTS_ENTRY_EARN, 40, cst(2026, 1, 10, 10));
    journal_at(s, "M2", POINTS_ENTRY_EARN, 60, cst(2026, 7, 1, 10));
    journal_at(s, "M2", POINTS_ENTRY_REDEEM, -80, cst(2026, 7, 2, 10));
    /* M3: earned on Feb 28 at 09:00 and at 11:00; Aug 31 10:00 − 6 months = Feb 28 10:00. */
    journal_at(s, "M3", POINTS_ENTRY_EARN, 7, cst(2026, 2, 28, 9));
    journal_at(s, "M3", POINTS_ENTRY_EARN, 5, cst(2026, 2, 28, 11));

    points_expired items[8];
    points_expire_result r = {.items = items, .cap = 8};
    int64_t audit0 = count(s, "SELECT count(*) FROM audit_log");

    /* "none" (the default): nothing. */
    assert_int_equal(points_expire(s, cst(2026, 8, 15, 10), &r), STORE_OK);
    assert_int_equal(r.months, 0);
    assert_int_equal(r.n_members, 0);
    assert_int_equal(count(s, "SELECT count(*) FROM points_journal WHERE kind = 'expire'"), 0);
    assert_int_equal(settings_set(s, "points.expiry", "none"), STORE_OK);
    assert_int_equal(points_expire(s, cst(2026, 8, 15, 10), &r), STORE_OK);
    assert_int_equal(r.n_members, 0);
    assert_int_equal(count(s, "SELECT count(*) FROM audit_log"), audit0);

    /* 6 months, run Aug 15: January's 100 less the 30 redeemed expire; May's 50 stay. */
    assert_int_equal(settings_set(s, "points.expiry", "months:6"), STORE_OK);
    assert_int_equal(points_expire(s, cst(2026, 8, 15, 10), &r), STORE_OK);
    assert_int_equal(r.months, 6);
    assert_int_equal(r.cutoff_utc, cst(2026, 2, 15, 10));
    assert_int_equal(expired_for(&r, "M1"), 70);
    assert_int_equal(expired_for(&r, "M2"), 0);
    assert_int_equal(expired_for(&r, "M3"), 0);
    assert_int_equal(r.n_members, 1);
    assert_int_equal(r.points, 70);
    int64_t bal = -1;
    assert_int_equal(points_balance(s, "M1", &bal), STORE_OK);
    assert_int_equal(bal, 50);
    assert_int_equal(count(s, "SELECT points FROM points_journal WHERE kind = 'expire' "
                              "AND member_id = 'M1'"), -70);
    assert_int_equal(count(s, "SELECT count(*) FROM audit_log WHERE event = 'points.expire'"), 1);
    assert_int_equal(count(s, "SELECT count(*) FROM audit_log"), audit0 + 1);

    /* Again: idempotent, nothing written. */
    assert_int_equal(points_expire(s, cst(2026, 8, 15, 10), &r), STORE_OK);
    assert_int_equal(r.n_members, 0);
    assert_int_equal(r.points, 0);
    assert_int_equal(count(s, "SELECT count(*) FROM points_journal WHERE kind = 'expire'"), 1);
    assert_int_equal(count(s, "SELECT count(*) FROM audit_log"), audit0 + 1);

    /* Aug 31: the cutoff is Feb 28 10:00 (month end clamped); M3's 09:00 points go. */
    assert_int_equal(points_expire(s, cst(2026, 8, 31, 10), &r), STORE_OK);
    assert_int_equal(r.cutoff_utc, cst(2026, 2, 28, 10));
    assert_int_equal(expired_for(&r, "M3"), 7);
    assert_int_equal(r.points, 7);

    /* December: May's 50 are six months old now; M2's old 40 were all spent first, and of
     * July's 60 only 20 remain, not yet due. */
    assert_int_equal(points_expire(s, cst(2026, 12, 1, 10), &r), STORE_OK);
    assert_int_equal(expired_for(&r, "M1"), 50);
    assert_int_equal(expired_for(&r, "M2"), 0);
    assert_int_equal(expired_for(&r, "M3"), 5);   /* the 11:00 Feb 28 points are due now */
    assert_int_equal(r.points, 55);
    assert_int_equal(points_balance(s, "M1", &bal), STORE_OK);
    assert_int_equal(bal, 0);
    /* A bad policy refuses and writes nothing. */
    int64_t rows = count(s, "SELECT count(*) FROM points_journal");
    assert_int_equal(settings_set(s, "points.expiry", "months:0"), STORE_OK);
    assert_int_equal(points_expire(s, cst(2027, 12, 1, 10), &r), STORE_ERR_INVALID);
    assert_int_equal(count(s, "SELECT count(*) FROM points_journal"), rows);
    store_close(s);
}

/* ------------------------------------------------------------------ sales with members */

/* A sale through pos/core and sales_commit (store_fixture.h): cash for what points do not
 * pay.  A sale that commits is committed again (a lost reply): nothing is written twice. */
static store_err sell(store *s, const char *member_id, int64_t at, const fx_item *items,
                      size_t n, fen_t points_fen, int64_t redeemed, int64_t earned, uint64_t *rng)
{
    sale_doc *d = calloc(1, sizeof *d);
    assert_non_null(d);
    fx_pay pays[] = {{TENDER_POINTS, points_fen}, {TENDER_CASH, 0}};
    size_t skip = points_fen > 0 ? 0 : 1;
    fx_build_sale(d, member_id, at, items, n, ROUNDING_NONE, pays + skip, 2 - skip, redeemed,
                  earned, rng);
    char msg[256];
    store_err e = sales_commit(s, d, NULL, 0, msg, sizeof msg);
    if (e == STORE_OK) {
        int64_t rows = count(s, "SELECT count(*) FROM points_journal");
        assert_int_equal(sales_commit(s, d, NULL, 0, msg, sizeof msg), STORE_OK);
        assert_int_equal(count(s, "SELECT count(*) FROM points_journal"), rows);
        sale_doc *back = calloc(1, sizeof *back);
        assert_non_null(back);
        assert_int_equal(sales_load(s, d->uuid, back), STORE_OK);
        assert_string_equal(back->member_id, d->member_id);
        free(back);
    }
    free(d);
    return e;
}

static void test_commit_sale_points(void **state)
{
    (void)state;
    store *s = open_new("commit_points");
    uint64_t rng = 11;
    member a = mk_member("M1", "13908781234", "张三明", MEMBER_PERSON);
    assert_int_equal(members_add(s, &a), STORE_OK);
    fx_item it[] = {{"P0003", 880, 2, true, 0, 0}, {"P0062", 300, 1, false, 0, 0}};
    /* No points yet: a sale that earns 20. */
    assert_int_equal(sell(s, "M1", T_OCT16, it, 2, 0, 0, 20, &rng), STORE_OK);
    int64_t bal = 0;
    assert_int_equal(points_balance(s, "M1", &bal), STORE_OK);
    assert_int_equal(bal, 20);
    /* Pay ¥0.20 with 20 points (100 points = ¥1) and earn 19 on the rest: the redeem row comes
     * first, so the points earned now cannot have paid for this sale. */
    assert_int_equal(sell(s, "M1", T_OCT16 + 60, it, 2, 20, 20, 19, &rng), STORE_OK);
    assert_int_equal(points_balance(s, "M1", &bal), STORE_OK);
    assert_int_equal(bal, 19);
    assert_int_equal(count(s, "SELECT kind = 'redeem' AND points = -20 FROM points_journal "
                              "ORDER BY id LIMIT 1 OFFSET 1"),
                     1);
    assert_int_equal(count(s, "SELECT count(*) FROM points_journal WHERE sale_uuid IS NOT NULL"),
                     3);
    int64_t sales0 = count(s, "SELECT count(*) FROM sales");
    int64_t audit0 = count(s, "SELECT count(*) FROM audit_log");
    /* Redeeming more than the balance (19) refuses the whole sale. */
    assert_int_equal(sell(s, "M1", T_OCT16 + 120, it, 2, 50, 50, 0, &rng), STORE_ERR_INVALID);
    /* A points tender worth more than the points debited: refused. */
    assert_int_equal(sell(s, "M1", T_OCT16 + 120, it, 2, 50, 10, 0, &rng), STORE_ERR_INVALID);
    /* Points without a member, or an unknown member: refused. */
    assert_int_equal(sell(s, NULL, T_OCT16 + 120, it, 2, 10, 10, 0, &rng), STORE_ERR_INVALID);
    assert_int_equal(sell(s, "nobody", T_OCT16 + 120, it, 2, 0, 0, 5, &rng), STORE_ERR_INVALID);
    assert_int_equal(count(s, "SELECT count(*) FROM sales"), sales0);
    assert_int_equal(count(s, "SELECT count(*) FROM audit_log"), audit0);
    assert_int_equal(points_balance(s, "M1", &bal), STORE_OK);
    assert_int_equal(bal, 19);
    /* A sale without a member: no journal rows, member_id NULL. */
    assert_int_equal(sell(s, NULL, T_OCT16 + 180, it, 1, 0, 0, 0, &rng), STORE_OK);
    assert_int_equal(count(s, "SELECT count(*) FROM sales WHERE member_id IS NULL"), 1);
    store_close(s);
}

/* ------------------------------------------------------------------ consumption stars */

static void test_stars_ranking(void **state)
{
    (void)state;
    store *s = open_new("stars");
    uint64_t rng = 21;
    const member ms[] = {
        mk_member("M001", "13900000001", "张三明", MEMBER_PERSON),
        mk_member("M002", "13900000002", "李秀英", MEMBER_PERSON),
        mk_member("M003", "13900000003", "欧阳振华", MEMBER_PERSON),
        mk_member("M004", "13900000004", "王芳", MEMBER_PERSON),
        mk_member("M005", "13900000005", "赵六", MEMBER_PERSON),
        mk_member("M006", "13900000006", "孙七", MEMBER_PERSON),
        mk_member("S001", "13900000011", "钱店长", MEMBER_STAFF),
        mk_member("O001", "08786612345", "永仁县兴永建材有限公司", MEMBER_ORGANISATION),
    };
    for (size_t i = 0; i < sizeof ms / sizeof ms[0]; i++)
        assert_int_equal(members_add(s, &ms[i]), STORE_OK);
    fx_item pr100 = {"P0003", 10000, 1, true, 0, 0};
    fx_item pr80 = {"P0004", 8000, 1, true, 0, 0};
    /* 160 paid of 200 after a 40 discount: spend counts what was paid. */
    fx_item pr200_disc = {"P0001", 20000, 1, true, 4000, 0};
    fx_item plain1000 = {"P0062", 100000, 1, false, 0, 0};
    int64_t t = T_OCT16;   /* 2026-10-16 */
    /* M003: 160 -> rank 1 */
    assert_int_equal(sell(s, "M003", t, &pr200_disc, 1, 0, 0, 0, &rng), STORE_OK);
    /* M002 and M001 both 100: M002 bought first -> ahead despite the larger card number */
    assert_int_equal(sell(s, "M002", t + HOUR, &pr100, 1, 0, 0, 0, &rng), STORE_OK);
    assert_int_equal(sell(s, "M001", t + 2 * HOUR, &pr100, 1, 0, 0, 0, &rng), STORE_OK);
    /* M005 and M004 both 80 at the same second: card number decides */
    assert_int_equal(sell(s, "M005", t + 3 * HOUR, &pr80, 1, 0, 0, 0, &rng), STORE_OK);
    assert_int_equal(sell(s, "M004", t + 3 * HOUR, &pr80, 1, 0, 0, 0, &rng), STORE_OK);
    /* M006 spent a lot, but not on poverty-relief goods: not on the board */
    assert_int_equal(sell(s, "M006", t, &plain1000, 1, 0, 0, 0, &rng), STORE_OK);
    /* staff and organisation: big spenders, never on the main board */
    fx_item big = {"P0001", 50000, 1, true, 0, 0};
    assert_int_equal(sell(s, "S001", t, &big, 1, 0, 0, 0, &rng), STORE_OK);
    assert_int_equal(sell(s, "O001", t, &big, 1, 0, 0, 0, &rng), STORE_OK);
    /* another month does not count: M004 in September, M001 on Nov 1 00:30 local */
    assert_int_equal(sell(s, "M004", t - 30 * DAY, &big, 1, 0, 0, 0, &rng), STORE_OK);
    assert_int_equal(sell(s, "M001", (int64_t)1793464200, &big, 1, 0, 0, 0, &rng), STORE_OK);
    /* a sale without a member counts for nobody */
    assert_int_equal(sell(s, NULL, t, &big, 1, 0, 0, 0, &rng), STORE_OK);

    star_entry board[10];
    size_t n = 0;
    assert_int_equal(stars_board(s, "2026-10", MEMBER_PERSON, board, 10, &n), STORE_OK);
    static const char *const order[] = {"M003", "M002", "M001", "M004", "M005"};
    static const fen_t spend[] = {16000, 10000, 10000, 8000, 8000};
    assert_int_equal(n, 5);
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(board[i].member_id, order[i]);
        assert_int_equal(board[i].spend_fen, spend[i]);
        assert_int_equal(board[i].rank, (int)i + 1);
        assert_int_equal(board[i].sales, 1);
    }
    /* what the printed board shows */
    char name[MASK_CAP], phone[MASK_CAP];
    assert_true(mask_name(board[0].name, name, sizeof name));
    assert_string_equal(name, "欧阳*华");
    assert_true(mask_name(board[3].name, name, sizeof name));
    assert_string_equal(name, "王*");
    assert_true(mask_phone(board[2].phone, phone, sizeof phone));
    assert_string_equal(phone, "139****0001");
    /* the limit cuts the same order */
    assert_int_equal(stars_board(s, "2026-10", MEMBER_PERSON, board, 2, &n), STORE_OK);
    assert_int_equal(n, 2);
    assert_string_equal(board[1].member_id, "M002");
    /* organisations have their own list; staff none */
    assert_int_equal(stars_board(s, "2026-10", MEMBER_ORGANISATION, board, 10, &n), STORE_OK);
    assert_int_equal(n, 1);
    assert_string_equal(board[0].member_id, "O001");
    assert_int_equal(board[0].spend_fen, 50000);
    assert_int_equal(stars_board(s, "2026-09", MEMBER_PERSON, board, 10, &n), STORE_OK);
    assert_int_equal(n, 1);
    assert_string_equal(board[0].member_id, "M004");
    assert_int_equal(stars_board(s, "2026-11", MEMBER_PERSON, board, 10, &n), STORE_OK);
    assert_int_equal(n, 1);
    assert_string_equal(board[0].member_id, "M001");
    assert_int_equal(stars_board(s, "2026-13", MEMBER_PERSON, board, 10, &n), STORE_ERR_INVALID);
    assert_int_equal(stars_board(s, "2026-1", MEMBER_PERSON, board, 10, &n), STORE_ERR_INVALID);
    store_close(s);
}

/* ------------------------------------------------------------------ demo */

static void test_demo_promotions(void **state)
{
    (void)state;
    store *s = open_new("demo");
    char msg[1024];
    /* the catalog first: gifts need their products */
    product p;
    memset(&p, 0, sizeof p);
    snprintf(p.sku, sizeof p.sku, "P0003");
    snprintf(p.name, sizeof p.name, "软籽石榴汁 300ml");
    snprintf(p.unit, sizeof p.unit, "瓶");
    p.price_fen = 880;
    p.active = true;
    assert_int_equal(products_upsert(s, &p), STORE_OK);
    store_err e = demo_load_promotions(s, FUPIN_ASSETS_DIR, msg, sizeof msg);
    if (e)
        fail_msg("demo_load_promotions: %s", msg);
    int64_t rules = count(s, "SELECT count(*) FROM promo_rules");
    int64_t members = count(s, "SELECT count(*) FROM members");
    assert_true(rules >= 10);
    assert_true(members >= 15);
    assert_int_equal(count(s, "SELECT count(*) FROM members WHERE kind = 'organisation'"), 3);
    assert_int_equal(count(s, "SELECT count(*) FROM stock_moves WHERE sku = 'P0003'"), 1);
    promo_rule loaded[PROMO_MAX_RULES];
    size_t n = 0;
    assert_int_equal(rules_load_active(s, loaded, PROMO_MAX_RULES, &n), STORE_OK);
    assert_int_equal((int64_t)n, rules);
    int64_t on_hand = 0;
    fen_t cost = 0;
    assert_true(rules_gift_stock(s, "P0003", &on_hand, &cost));
    assert_int_equal(on_hand, 200);
    assert_int_equal(cost, 880 * 6 / 10);
    assert_false(rules_gift_stock(s, "P9999", &on_hand, &cost));
    /* idempotent: the same rows, the opening stock once */
    assert_int_equal(demo_load_promotions(s, FUPIN_ASSETS_DIR, msg, sizeof msg), STORE_OK);
    assert_int_equal(count(s, "SELECT count(*) FROM promo_rules"), rules);
    assert_int_equal(count(s, "SELECT count(*) FROM members"), members);
    assert_int_equal(count(s, "SELECT count(*) FROM stock_moves WHERE sku = 'P0003'"), 1);
    char v[32];
    assert_int_equal(settings_get(s, "points.redeem_rate", v, sizeof v), STORE_OK);
    assert_string_equal(v, "100");
    /* an asset set without the files loads nothing and is not an error */
    assert_int_equal(demo_load_promotions(s, FUPIN_TEST_TMP, msg, sizeof msg), STORE_OK);
    store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rules_table),
        cmocka_unit_test(test_invalid_rules_never_stored),
        cmocka_unit_test(test_members),
        cmocka_unit_test(test_journal),
        cmocka_unit_test(test_points_settings),
        cmocka_unit_test(test_points_expiry_fifo),
        cmocka_unit_test(test_commit_sale_points),
        cmocka_unit_test(test_stars_ranking),
        cmocka_unit_test(test_demo_promotions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
