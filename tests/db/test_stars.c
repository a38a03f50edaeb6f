/* test_stars: the consumption-star aggregate (star_months, schema step 6) always equals the
 * full computation from the rows -- after sales with and without members, discounts, points
 * paid and earned, partial refunds, a whole refund, a refund in a later month and a refund of
 * non-poverty-relief lines only -- and the board read from it equals the board the full query
 * gives, for every month and member kind.  The migration's back-fill (stars_rebuild) gives
 * the same rows as the incremental upkeep. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/members.h"
#include "db/points.h"
#include "db/refund.h"
#include "db/sales.h"
#include "db/settings.h"
#include "db/stars.h"
#include "db/store.h"
#include "db_test_util.h"
#include "pos/core/member.h"
#include "sale_fixture.h"
#include "store_fixture.h"

/* 2026-10-16 10:30:00 +08:00 */
#define T0 ((int64_t)1792117800)
#define DAY 86400

/* The full computation, written out here on purpose (not shared with db/): one row per month
 * and member with poverty-relief lines, as "month|member|spend|sales|first". */
#define FULL_ROWS                                                                              \
    "SELECT x.month || '|' || x.mid || '|' || sum(x.net) || '|' || "                           \
    "       count(DISTINCT CASE WHEN x.net > 0 THEN x.uuid END) || '|' || "                   \
    "       coalesce(min(CASE WHEN x.net > 0 THEN x.created_utc END), '-') "                 \
    "FROM (SELECT substr(s.business_day, 1, 7) AS month, s.member_id AS mid, s.uuid, "         \
    "             s.created_utc, l.amount_fen - l.discount_fen - "                             \
    "             coalesce((SELECT sum(r.amount_fen) FROM refund_lines r "                     \
    "                       WHERE r.sale_uuid = l.sale_uuid AND r.line_no = l.line_no), 0) "   \
    "               AS net "                                                                   \
    "      FROM sales s JOIN sale_lines l ON l.sale_uuid = s.uuid "                            \
    "      WHERE s.member_id IS NOT NULL AND l.poverty_relief = 1) x "                         \
    "GROUP BY x.month, x.mid ORDER BY 1"
#define AGG_ROWS                                                                               \
    "SELECT month || '|' || member_id || '|' || spend_fen || '|' || sales || '|' || "          \
    "       coalesce(first_utc, '-') FROM star_months ORDER BY 1"

/* All rows of a one-column query, joined by newlines (caller frees). */
static char *rows_of(store *s, const char *sql)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(store_db(s), sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(store_db(s)));
    size_t cap = 1 << 16, len = 0;
    char *out = calloc(1, cap);
    assert_non_null(out);
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(st, 0);
        int w = snprintf(out + len, cap - len, "%s\n", t ? t : "NULL");
        assert_true(w > 0 && (size_t)w < cap - len);
        len += (size_t)w;
    }
    sqlite3_finalize(st);
    return out;
}

/* The board as the full query gave it before the aggregate (reference). */
static size_t board_full(store *s, const char *month, member_kind kind, star_entry *out,
                         size_t cap)
{
    char first[11], last[11];
    snprintf(first, sizeof first, "%s-01", month);
    snprintf(last, sizeof last, "%s-31", month);
    sqlite3_stmt *st = NULL;
    assert_int_equal(
        sqlite3_prepare_v2(
            store_db(s),
            "SELECT m.id, t.spend, t.sales, t.first_utc "
            "FROM (SELECT x.mid, sum(x.net) AS spend, "
            "             count(DISTINCT CASE WHEN x.net > 0 THEN x.uuid END) AS sales, "
            "             min(CASE WHEN x.net > 0 THEN x.created_utc END) AS first_utc "
            "      FROM (SELECT s.member_id AS mid, s.uuid, s.created_utc, "
            "                   l.amount_fen - l.discount_fen - "
            "                   coalesce((SELECT sum(r.amount_fen) FROM refund_lines r "
            "                             WHERE r.sale_uuid = l.sale_uuid "
            "                               AND r.line_no = l.line_no), 0) AS net "
            "            FROM sales s JOIN sale_lines l ON l.sale_uuid = s.uuid "
            "            WHERE s.business_day BETWEEN ?1 AND ?2 AND s.member_id IS NOT NULL "
            "              AND l.poverty_relief = 1) x "
            "      GROUP BY x.mid) t "
            "JOIN members m ON m.id = t.mid "
            "WHERE m.kind = ?3 AND t.spend > 0 "
            "ORDER BY t.spend DESC, t.first_utc ASC, m.id ASC LIMIT ?4",
            -1, &st, NULL),
        SQLITE_OK);
    sqlite3_bind_text(st, 1, first, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, last, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, member_kind_name(kind), -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, (int64_t)cap);
    size_t n = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        memset(&out[n], 0, sizeof out[n]);
        snprintf(out[n].member_id, sizeof out[n].member_id, "%s", sqlite3_column_text(st, 0));
        out[n].spend_fen = sqlite3_column_int64(st, 1);
        out[n].sales = sqlite3_column_int64(st, 2);
        out[n].first_utc = sqlite3_column_int64(st, 3);
        n++;
    }
    sqlite3_finalize(st);
    return n;
}

static int checks_done;

/* The aggregate equals the full computation, and so does every board read from it. */
static void check_same(store *s, const char *when)
{
    char *full = rows_of(s, FULL_ROWS), *agg = rows_of(s, AGG_ROWS);
    if (strcmp(full, agg) != 0)
        fail_msg("%s: star_months differs from the full computation\nfull:\n%s\naggregate:\n%s",
                 when, full, agg);
    free(full);
    free(agg);
    static const char *const MONTHS[] = {"2026-10", "2026-11", "2026-12"};
    static const member_kind KINDS[] = {MEMBER_PERSON, MEMBER_STAFF, MEMBER_ORGANISATION};
    for (size_t m = 0; m < 3; m++)
        for (size_t k = 0; k < 3; k++) {
            star_entry want[10], got[10];
            size_t nw = board_full(s, MONTHS[m], KINDS[k], want, 10), ng = 0;
            assert_int_equal(stars_board(s, MONTHS[m], KINDS[k], got, 10, &ng), STORE_OK);
            if (nw != ng)
                fail_msg("%s: board %s/%s has %zu rows, full query %zu", when, MONTHS[m],
                         member_kind_name(KINDS[k]), ng, nw);
            for (size_t i = 0; i < nw; i++) {
                assert_string_equal(got[i].member_id, want[i].member_id);
                assert_int_equal(got[i].spend_fen, want[i].spend_fen);
                assert_int_equal(got[i].sales, want[i].sales);
                assert_int_equal(got[i].first_utc, want[i].first_utc);
                assert_int_equal(got[i].rank, (int)i + 1);
            }
        }
    checks_done++;
}

static void refund_ok(store *s, const char *rno, const refund_request_line *l, size_t n,
                      int64_t at)
{
    char msg[256];
    refund_doc *d = calloc(1, sizeof *d);
    assert_non_null(d);
    if (refund_commit(s, rno, l, n, "manager", at, d, msg, sizeof msg) != STORE_OK)
        fail_msg("refund %s: %s", rno, msg);
    free(d);
}

static void add_member(store *s, const char *id, member_kind kind)
{
    member m;
    memset(&m, 0, sizeof m);
    snprintf(m.id, sizeof m.id, "%s", id);
    snprintf(m.name, sizeof m.name, "会员%s", id);
    m.kind = kind;
    m.created_utc = T0 - DAY;
    assert_int_equal(members_add(s, &m), STORE_OK);
}

static void test_aggregate_equals_full_computation(void **state)
{
    (void)state;
    char path[512];
    snprintf(path, sizeof path, "%s/stars.db", FUPIN_TEST_TMP);
    store *s = fx_open_new(path, ROUNDING_NONE);
    add_member(s, "A1", MEMBER_PERSON);
    add_member(s, "B2", MEMBER_PERSON);
    add_member(s, "C3", MEMBER_ORGANISATION);
    add_member(s, "D4", MEMBER_STAFF);
    points_entry gift = {0};
    snprintf(gift.member_id, sizeof gift.member_id, "B2");
    gift.kind = POINTS_ENTRY_ADJUST;
    gift.points = 500;
    snprintf(gift.reason, sizeof gift.reason, "开卡礼");
    gift.at_utc = T0 - DAY;
    assert_int_equal(points_append(s, &gift), STORE_OK);
    check_same(s, "empty");

    uint64_t rng = 11;
    fx_pay cash = {TENDER_CASH, 0};
    char r1[SALE_RECEIPT_NO_CAP], r2[SALE_RECEIPT_NO_CAP], r3[SALE_RECEIPT_NO_CAP],
        r4[SALE_RECEIPT_NO_CAP], r5[SALE_RECEIPT_NO_CAP], r6[SALE_RECEIPT_NO_CAP],
        r7[SALE_RECEIPT_NO_CAP], r8[SALE_RECEIPT_NO_CAP];
    /* A1: two poverty-relief lines (one discounted) and an ordinary one. */
    fx_item s1[] = {{"P1", 1200, 3, true, 0, 0}, {"P2", 800, 1, true, 100, 0},
                 {"N1", 5000, 1, false, 0, 0}};
    fx_sell(s, "A1", T0, s1, 3, ROUNDING_NONE, &cash, 1, 0, 96, &rng, r1);
    check_same(s, "sale 1");
    /* B2 pays partly with points (100 points = ¥1) and earns some; a weighed line too. */
    fx_item s2[] = {{"P3", 2000, 1, true, 0, 0}, {"P4", 3600, 1, true, 0, 500}};
    fx_pay mixed[] = {{TENDER_POINTS, 150}, {TENDER_CASH, 0}};
    fx_sell(s, "B2", T0 + 60, s2, 2, ROUNDING_NONE, mixed, 2, 150, 20, &rng, r2);
    check_same(s, "sale 2 (points)");
    /* An anonymous sale and a member sale with no poverty-relief line: no board change. */
    fx_item plain = {"N2", 900, 2, false, 0, 0};
    fx_sell(s, NULL, T0 + 120, s1, 2, ROUNDING_NONE, &cash, 1, 0, 0, &rng, r3);
    fx_sell(s, "A1", T0 + 180, &plain, 1, ROUNDING_NONE, &cash, 1, 0, 18, &rng, r4);
    check_same(s, "anonymous and ordinary sales");
    /* The organisation and the staff member; A1 again later in the month; B2 in November. */
    fx_item big = {"P5", 10000, 5, true, 0, 0};
    fx_sell(s, "C3", T0 + 240, &big, 1, ROUNDING_NONE, &cash, 1, 0, 500, &rng, r5);
    fx_sell(s, "D4", T0 + 300, s1, 1, ROUNDING_NONE, &cash, 1, 0, 36, &rng, r6);
    fx_sell(s, "A1", T0 + 5 * DAY, s1, 2, ROUNDING_NONE, &cash, 1, 0, 43, &rng, r7);
    fx_sell(s, "B2", T0 + 20 * DAY, s2, 1, ROUNDING_NONE, &cash, 1, 0, 20, &rng, r8);
    check_same(s, "more sales, two months");

    /* Partial refunds: 1 of 3 of A1's first line, then the other 2 (the line is gone but
     * the discounted line keeps sale 1 counting). */
    refund_request_line one = {1, 1}, two = {1, 2};
    refund_ok(s, r1, &one, 1, T0 + 400);
    check_same(s, "partial refund 1 of 3");
    refund_ok(s, r1, &two, 1, T0 + 500);
    check_same(s, "partial refund 2 of 3");
    /* A refund of the ordinary line only: the board must not move. */
    refund_request_line ordinary = {3, 1};
    refund_ok(s, r1, &ordinary, 1, T0 + 600);
    check_same(s, "refund of an ordinary line");
    /* B2's points sale refunded whole (points returned, earned taken back), in November:
     * subtracted in October, the month of the sale. */
    refund_ok(s, r2, NULL, 0, T0 + 20 * DAY + 60);
    check_same(s, "whole refund of a points sale, a month later");
    /* A1's first sale of the month refunded whole: first_utc moves to the next sale. */
    refund_ok(s, r1, NULL, 0, T0 + 700);
    check_same(s, "first sale refunded whole");
    /* The organisation returns 2 of 5. */
    refund_request_line org = {1, 2};
    refund_ok(s, r5, &org, 1, T0 + 800);
    check_same(s, "organisation partial refund");

    /* The back-fill (what step 6 runs on an older file) gives the same rows. */
    char *before = rows_of(s, AGG_ROWS);
    assert_int_equal(stars_rebuild(s), STORE_OK);
    char *after = rows_of(s, AGG_ROWS);
    assert_string_equal(before, after);
    assert_true(strlen(before) > 0);
    free(before);
    free(after);
    check_same(s, "after rebuild");
    assert_int_equal(checks_done, 12);
    store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_aggregate_equals_full_computation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
