/* test_refund: refunds (#7) -- whole and partial, 1+1+1 == 3, over-refund refused, two
 * processes racing for the same line, stock back, points reversed / returned with the clamp,
 * discounted lines, 抹零 on the refund that completes a sale, outbox + audit rows, nothing
 * half-written on error, the manager PIN, and the star board and report netted. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "db/members.h"
#include "db/points.h"
#include "db/stars.h"
#include "pos/core/member.h"
#include "db/manager_pin.h"
#include "db/refund.h"
#include "db/report.h"
#include "db/sha256.h"
#include "db/sales.h"
#include "db/settings.h"
#include "db/store.h"
#include "db_test_util.h"
#include "sale_fixture.h"
#include "store_fixture.h"

/* 2026-10-16 10:30:00 +08:00 */
#define T0 ((int64_t)1792117800)
#define DAY 86400

static char path_buf[512];

static store *open_new(const char *name, cash_rounding rounding)
{
    snprintf(path_buf, sizeof path_buf, "%s/refund_%s.db", FUPIN_TEST_TMP, name);
    return fx_open_new(path_buf, rounding);
}

static store_err refund(store *s, const char *rno, const refund_request_line *l, size_t n,
                        int64_t at, refund_doc *d)
{
    char msg[256];
    return refund_commit(s, rno, l, n, "manager", at, d, msg, sizeof msg);
}

/* The document's own invariants. */
static void check_doc(const refund_doc *d)
{
    fen_t lines = 0, tenders = 0;
    for (size_t i = 0; i < d->n_lines; i++)
        lines += d->lines[i].amount_fen;
    for (size_t i = 0; i < d->n_tenders; i++) {
        assert_true(d->tenders[i].amount_fen > 0);
        tenders += d->tenders[i].amount_fen;
    }
    assert_int_equal(lines, d->lines_fen);
    assert_int_equal(lines + d->rounding_fen, d->total_fen);
    assert_int_equal(tenders, d->total_fen);
}

static int64_t stock_qty(store *s, const char *sku)
{
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT coalesce(sum(qty), 0) FROM stock_moves WHERE sku = '%s'",
             sku);
    return count(s, sql);
}

/* ------------------------------------------------------------------ whole and partial */

static void test_whole_refund_with_rounding_and_gift_free_sale(void **state)
{
    (void)state;
    store *s = open_new("whole", ROUNDING_DROP_FEN);
    uint64_t rng = 1;
    char rno[SALE_RECEIPT_NO_CAP];
    /* net 2×1234 - 101 = 2367 and 505 → 2872; cash rounding -2 → due 2870 */
    fx_item it[] = {{"A1", 1234, 2, true, 101, 0}, {"B1", 505, 1, false, 0, 0}};
    fx_pay cash = {TENDER_CASH, 5000};
    fx_sell(s, NULL, T0, it, 2, ROUNDING_DROP_FEN, &cash, 1, 0, 0, &rng, rno);
    int64_t stock_a = stock_qty(s, "A1");
    assert_int_equal(stock_a, -2);
    refund_doc *d = calloc(1, sizeof *d);
    assert_non_null(d);
    assert_int_equal(refund(s, rno, NULL, 0, T0 + 600, d), STORE_OK);
    check_doc(d);
    assert_true(d->sale_complete);
    assert_int_equal(d->n_lines, 2);
    assert_int_equal(d->lines[0].amount_fen, 2367);   /* the discounted amount */
    assert_int_equal(d->lines[1].amount_fen, 505);
    assert_int_equal(d->rounding_fen, -2);
    assert_int_equal(d->total_fen, 2870);             /* the due actually paid */
    assert_int_equal(d->n_tenders, 1);
    assert_int_equal(d->tenders[0].kind, TENDER_CASH);
    assert_string_equal(d->refund_no, "YR01-1-20261016-R0001");
    assert_string_equal(d->sale_receipt_no, rno);
    /* stock back, outbox and audit rows, all in the refund's name */
    assert_int_equal(stock_qty(s, "A1"), 0);
    assert_int_equal(stock_qty(s, "B1"), 0);
    assert_int_equal(count(s, "SELECT count(*) FROM stock_moves WHERE kind = 'refund'"), 2);
    assert_int_equal(count(s, "SELECT count(*) FROM outbox WHERE kind = 'refund' AND "
                              "json_extract(payload, '$.total_fen') = 2870"),
                     1);
    assert_int_equal(count(s, "SELECT count(*) FROM audit_log WHERE event = 'refund.commit' "
                              "AND actor = 'manager'"),
                     1);
    /* nothing left: a second refund is refused and writes nothing */
    assert_int_equal(refund(s, rno, NULL, 0, T0 + 700, d), STORE_ERR_INVALID);
    assert_int_equal(count(s, "SELECT count(*) FROM refunds"), 1);
    /* append-only */
    assert_int_not_equal(sqlite3_exec(store_db(s), "UPDATE refunds SET total_fen = 0", NULL,
                                      NULL, NULL),
                         SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(store_db(s), "DELETE FROM refund_lines", NULL, NULL, NULL),
                         SQLITE_OK);
    char msg[256];
    assert_int_equal(store_check_integrity(s, msg, sizeof msg), STORE_OK);
    free(d);
    store_close(s);
}

static void test_one_plus_one_plus_one_equals_three(void **state)
{
    (void)state;
    store *s = open_new("cumulative", ROUNDING_NONE);
    uint64_t rng = 2;
    char r1[SALE_RECEIPT_NO_CAP], r2[SALE_RECEIPT_NO_CAP];
    /* net 3×1000 - 1 = 2999: not divisible by 3; paid half WeChat, half cash */
    fx_item it[] = {{"C1", 1000, 3, true, 1, 0}, {"W1", 2000, 1, true, 0, 777}};
    fx_pay pays[] = {{TENDER_WECHAT, 1500}, {TENDER_CASH, 0}};
    fx_sell(s, NULL, T0, it, 2, ROUNDING_NONE, pays, 2, 0, 0, &rng, r1);
    fx_sell(s, NULL, T0 + 1, it, 2, ROUNDING_NONE, pays, 2, 0, 0, &rng, r2);
    refund_doc *d = calloc(1, sizeof *d);
    assert_non_null(d);
    refund_request_line one = {1, 1}, three = {1, 3};
    fen_t sum = 0, per_kind[TENDER_KIND_COUNT] = {0};
    static const fen_t expect[] = {999, 1000, 1000};
    for (int i = 0; i < 3; i++) {
        assert_int_equal(refund(s, r1, &one, 1, T0 + 100 + i, d), STORE_OK);
        check_doc(d);
        assert_int_equal(d->lines[0].amount_fen, expect[i]);
        sum += d->total_fen;
        for (size_t k = 0; k < d->n_tenders; k++)
            per_kind[d->tenders[k].kind] += d->tenders[k].amount_fen;
    }
    assert_int_equal(refund(s, r2, &three, 1, T0 + 200, d), STORE_OK);
    check_doc(d);
    assert_int_equal(sum, 2999);
    assert_int_equal(d->total_fen, 2999);
    /* a fourth unit is refused: over-refund */
    assert_int_equal(refund(s, r1, &one, 1, T0 + 300, d), STORE_ERR_INVALID);
    /* a weighed line is refunded whole: qty 2 refused, qty 1 fine, again refused */
    refund_request_line w2 = {2, 2}, w1 = {2, 1};
    assert_int_equal(refund(s, r1, &w2, 1, T0 + 300, d), STORE_ERR_INVALID);
    assert_int_equal(refund(s, r1, &w1, 1, T0 + 300, d), STORE_OK);
    check_doc(d);
    assert_int_equal(d->lines[0].grams, 777);
    assert_true(d->sale_complete);
    for (size_t k = 0; k < d->n_tenders; k++)
        per_kind[d->tenders[k].kind] += d->tenders[k].amount_fen;
    /* over all refunds each tender got back exactly what it paid */
    assert_int_equal(per_kind[TENDER_WECHAT], 1500);
    assert_int_equal(per_kind[TENDER_CASH], 2999 + 1554 - 1500);
    assert_int_equal(refund(s, r1, &w1, 1, T0 + 300, d), STORE_ERR_INVALID);
    /* unknown line, unknown sale, zero quantity, a line named twice */
    refund_request_line bad[] = {{9, 1}, {1, 0}};
    refund_request_line twice[] = {{1, 1}, {1, 1}};
    assert_int_equal(refund(s, r2, &bad[0], 1, T0 + 300, d), STORE_ERR_INVALID);
    assert_int_equal(refund(s, r2, &bad[1], 1, T0 + 300, d), STORE_ERR_INVALID);
    assert_int_equal(refund(s, "YR01-1-20991231-0001", NULL, 0, T0 + 300, d),
                     STORE_ERR_NOT_FOUND);
    assert_int_equal(refund(s, r2, twice, 2, T0 + 300, d), STORE_ERR_INVALID);
    /* stock: 6 sold, 6 back; weighed grams back once */
    assert_int_equal(stock_qty(s, "C1"), 0);
    assert_int_equal(count(s, "SELECT sum(grams) FROM stock_moves WHERE sku = 'W1'"), -777);
    /* refund numbers are gapless per till and day, apart from the receipts */
    assert_int_equal(count(s, "SELECT max(seq) = count(*) FROM refunds"), 1);
    assert_int_equal(count(s, "SELECT count(*) FROM refunds"), 5);
    free(d);
    store_close(s);
}

/* ------------------------------------------------------------------ racing writers */

static void test_two_processes_race(void **state)
{
    (void)state;
    store *s = open_new("race", ROUNDING_NONE);
    uint64_t rng = 3;
    enum { ROUNDS = 8 };
    char rnos[ROUNDS][SALE_RECEIPT_NO_CAP];
    fx_item it = {"R1", 300, 3, true, 0, 0};
    fx_pay cash = {TENDER_CASH, 0};
    for (int i = 0; i < ROUNDS; i++)
        fx_sell(s, NULL, T0 + i, &it, 1, ROUNDING_NONE, &cash, 1, 0, 0, &rng, rnos[i]);
    store_close(s);
    /* Two processes, each with its own connection, each asks for 2 of the 3 units of every
     * sale: exactly one may win each sale. */
    pid_t kids[2];
    for (int k = 0; k < 2; k++) {
        kids[k] = fork();
        assert_true(kids[k] >= 0);
        if (kids[k] == 0) {
            char msg[256];
            store *c = NULL;
            store_open_opts o = {.busy_timeout_ms = 10000};
            if (store_open(path_buf, &o, &c, msg, sizeof msg) != STORE_OK)
                _exit(99);
            refund_doc *d = calloc(1, sizeof *d);
            refund_request_line two = {1, 2};
            int won = 0;
            for (int i = 0; i < ROUNDS && d; i++) {
                store_err e = refund_commit(c, rnos[i], &two, 1, "manager", T0 + 100, d,
                                                  msg, sizeof msg);
                if (e == STORE_OK)
                    won++;
                else if (e != STORE_ERR_INVALID)
                    _exit(98);
            }
            free(d);
            store_close(c);
            _exit(won);
        }
    }
    int total = 0;
    for (int k = 0; k < 2; k++) {
        int st = 0;
        assert_int_equal(waitpid(kids[k], &st, 0), kids[k]);
        assert_true(WIFEXITED(st));
        assert_true(WEXITSTATUS(st) <= ROUNDS);
        total += WEXITSTATUS(st);
    }
    assert_int_equal(total, ROUNDS);
    s = fx_open_path(path_buf);
    assert_int_equal(count(s, "SELECT count(*) FROM refunds"), ROUNDS);
    assert_int_equal(count(s, "SELECT max(q) FROM (SELECT sum(qty) AS q FROM refund_lines "
                              "GROUP BY sale_uuid, line_no)"),
                     2);
    assert_int_equal(count(s, "SELECT max(seq) = count(*) FROM refunds"), 1);
    store_close(s);
}

/* ------------------------------------------------------------------ points */

static member mk_member(const char *id, const char *phone)
{
    member m;
    memset(&m, 0, sizeof m);
    snprintf(m.id, sizeof m.id, "%s", id);
    snprintf(m.phone, sizeof m.phone, "%s", phone);
    snprintf(m.name, sizeof m.name, "会员%s", id);
    m.kind = MEMBER_PERSON;
    m.created_utc = T0 - DAY;
    return m;
}

static void test_points_reversed_returned_clamped(void **state)
{
    (void)state;
    store *s = open_new("points", ROUNDING_NONE);
    uint64_t rng = 4;
    member m = mk_member("M1", "13900000001");
    assert_int_equal(members_add(s, &m), STORE_OK);
    char r1[SALE_RECEIPT_NO_CAP], r2[SALE_RECEIPT_NO_CAP];
    /* Sale 1: ¥100 cash, earns 100 points. */
    fx_item a = {"P1", 2500, 4, true, 0, 0};
    fx_pay cash = {TENDER_CASH, 0};
    fx_sell(s, "M1", T0, &a, 1, ROUNDING_NONE, &cash, 1, 0, 100, &rng, r1);
    /* Sale 2: ¥10, 60 points pay ¥0.60 (100 points = ¥1), the rest cash, earns 9. */
    fx_item b = {"P2", 500, 2, true, 0, 0};
    fx_pay mixed[] = {{TENDER_POINTS, 60}, {TENDER_CASH, 0}};
    fx_sell(s, "M1", T0 + 60, &b, 1, ROUNDING_NONE, mixed, 2, 60, 9, &rng, r2);
    int64_t bal = 0;
    assert_int_equal(points_balance(s, "M1", &bal), STORE_OK);
    assert_int_equal(bal, 100 - 60 + 9);
    refund_doc *d = calloc(1, sizeof *d);
    assert_non_null(d);
    /* Refund 1 of 2 on sale 2: half its points back (30), half its earned taken (4 of 9:
     * floor(9×1/2)), the points tender refunded as points, the rest cash. */
    refund_request_line one = {1, 1};
    assert_int_equal(refund(s, r2, &one, 1, T0 + 120, d), STORE_OK);
    check_doc(d);
    assert_int_equal(d->points_returned, 30);
    assert_int_equal(d->points_reversed, 4);
    assert_false(d->points_clamped);
    assert_int_equal(d->n_tenders, 2);
    assert_int_equal(d->tenders[0].kind, TENDER_CASH);
    assert_int_equal(d->tenders[0].amount_fen, 470);
    assert_int_equal(d->tenders[1].kind, TENDER_POINTS);
    assert_int_equal(d->tenders[1].amount_fen, 30);
    assert_int_equal(points_balance(s, "M1", &bal), STORE_OK);
    assert_int_equal(bal, 49 + 30 - 4);
    assert_int_equal(count(s, "SELECT count(*) FROM points_journal WHERE kind = 'reverse'"), 1);
    assert_int_equal(count(s, "SELECT count(*) FROM points_journal WHERE kind = 'adjust' "
                              "AND points = 30"),
                     1);
    /* The member spends the rest of the balance (75) ... */
    points_entry spend = {0};
    snprintf(spend.member_id, sizeof spend.member_id, "M1");
    spend.kind = POINTS_ENTRY_REDEEM;
    spend.points = -75;
    spend.at_utc = T0 + 150;
    assert_int_equal(points_append(s, &spend), STORE_OK);
    /* ... then returns sale 1 whole: 100 earned points wanted back, 0 available. */
    assert_int_equal(refund(s, r1, NULL, 0, T0 + 200, d), STORE_OK);
    check_doc(d);
    assert_true(d->points_clamped);
    assert_int_equal(d->points_reversed, 0);
    assert_int_equal(d->points_shortfall, 100);
    assert_int_equal(d->total_fen, 10000);
    assert_int_equal(points_balance(s, "M1", &bal), STORE_OK);
    assert_int_equal(bal, 0);
    assert_int_equal(count(s, "SELECT points_shortfall FROM refunds ORDER BY seq DESC LIMIT 1"),
                     100);
    /* The rest of sale 2: the other 30 points back, 5 of the earned 9 wanted, 30 available. */
    assert_int_equal(refund(s, r2, NULL, 0, T0 + 300, d), STORE_OK);
    check_doc(d);
    assert_int_equal(d->points_returned, 30);
    assert_int_equal(d->points_reversed, 5);
    assert_int_equal(points_balance(s, "M1", &bal), STORE_OK);
    assert_int_equal(bal, 25);
    /* Over sale 2's refunds, the points tender came back as exactly 60 points / 60 fen. */
    assert_int_equal(count(s, "SELECT sum(amount_fen) FROM refund_tenders WHERE kind = 'points'"),
                     60);
    free(d);
    store_close(s);
}

/* ------------------------------------------------------------------ nothing half-written */

static void test_failure_writes_nothing(void **state)
{
    (void)state;
    store *s = open_new("atomic", ROUNDING_NONE);
    uint64_t rng = 5;
    member m = mk_member("M1", "13900000001");
    assert_int_equal(members_add(s, &m), STORE_OK);
    char rno[SALE_RECEIPT_NO_CAP];
    fx_item a = {"P1", 1000, 2, true, 0, 0};
    fx_pay cash = {TENDER_CASH, 0};
    fx_sell(s, "M1", T0, &a, 1, ROUNDING_NONE, &cash, 1, 0, 20, &rng, rno);
    /* The last write of the transaction (the outbox row) fails: everything before it --
     * refund, lines, tenders, stock, points -- must be rolled back with it. */
    assert_int_equal(sqlite3_exec(store_db(s),
                                  "CREATE TEMP TRIGGER boom BEFORE INSERT ON main.outbox "
                                  "WHEN new.kind = 'refund' "
                                  "BEGIN SELECT RAISE(ABORT, 'injected failure'); END",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    const char *tables[] = {"refunds", "refund_lines", "refund_tenders", "stock_moves",
                            "points_journal", "outbox", "audit_log"};
    int64_t before[7];
    char sql[96];
    for (int i = 0; i < 7; i++) {
        snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", tables[i]);
        before[i] = count(s, sql);
    }
    refund_doc *d = calloc(1, sizeof *d);
    assert_non_null(d);
    char msg[256];
    assert_int_not_equal(refund_commit(s, rno, NULL, 0, "manager", T0 + 60, d, msg,
                                             sizeof msg),
                         STORE_OK);
    assert_non_null(strstr(msg, "injected"));
    assert_string_equal(d->refund_no, "");
    for (int i = 0; i < 7; i++) {
        snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", tables[i]);
        assert_int_equal(count(s, sql), before[i]);
    }
    assert_int_equal(sqlite3_exec(store_db(s), "DROP TRIGGER boom", NULL, NULL, NULL), SQLITE_OK);
    /* and the number it would have used is still free: gapless */
    assert_int_equal(refund_commit(s, rno, NULL, 0, "manager", T0 + 60, d, msg, sizeof msg),
                     STORE_OK);
    assert_string_equal(d->refund_no, "YR01-1-20261016-R0001");
    free(d);
    store_close(s);
}

/* ------------------------------------------------------------------ manager PIN */

static void test_manager_pin(void **state)
{
    (void)state;
    store *s = open_new("pin", ROUNDING_NONE);
    assert_false(manager_pin_is_set(s));
    assert_int_equal(manager_pin_check(s, "8888"), STORE_ERR_INVALID);
    assert_int_equal(manager_pin_set(s, "12a4"), STORE_ERR_INVALID);
    assert_int_equal(manager_pin_set(s, "123"), STORE_ERR_INVALID);
    assert_int_equal(manager_pin_set(s, "8888"), STORE_OK);
    assert_true(manager_pin_is_set(s));
    assert_int_equal(manager_pin_check(s, "8888"), STORE_OK);
    assert_int_equal(manager_pin_check(s, "8889"), STORE_ERR_INVALID);
    assert_int_equal(manager_pin_check(s, ""), STORE_ERR_INVALID);
    assert_int_equal(manager_pin_check(s, NULL), STORE_ERR_INVALID);
    /* salted: the stored hash is not the bare SHA-256 of the PIN */
    char h[80], bare[SHA256_HEX_CAP];
    assert_int_equal(settings_get(s, "manager.pin_sha256", h, sizeof h), STORE_OK);
    sha256_hex("8888", 4, bare);
    assert_string_not_equal(h, bare);
    store_close(s);
}

/* ------------------------------------------------------------------ boards netted */

static void test_stars_and_report_netted(void **state)
{
    (void)state;
    store *s = open_new("stars", ROUNDING_NONE);
    uint64_t rng = 6;
    member m1 = mk_member("M1", "13900000001"), m2 = mk_member("M2", "13900000002");
    assert_int_equal(members_add(s, &m1), STORE_OK);
    assert_int_equal(members_add(s, &m2), STORE_OK);
    char r1[SALE_RECEIPT_NO_CAP], r2[SALE_RECEIPT_NO_CAP];
    fx_item big = {"P1", 5000, 2, true, 0, 0}, small = {"P2", 6000, 1, true, 0, 0};
    fx_pay cash = {TENDER_CASH, 0};
    fx_sell(s, "M1", T0, &big, 1, ROUNDING_NONE, &cash, 1, 0, 0, &rng, r1);   /* 100.00 */
    fx_sell(s, "M2", T0, &small, 1, ROUNDING_NONE, &cash, 1, 0, 0, &rng, r2); /*  60.00 */
    star_entry board[4];
    size_t n = 0;
    assert_int_equal(stars_board(s, "2026-10", MEMBER_PERSON, board, 4, &n), STORE_OK);
    assert_int_equal(n, 2);
    assert_string_equal(board[0].member_id, "M1");
    /* M1 returns one of the two -- in NOVEMBER.  The October board changes (the sale's
     * month), November's does not get a negative entry. */
    refund_doc *d = calloc(1, sizeof *d);
    assert_non_null(d);
    refund_request_line one = {1, 1};
    assert_int_equal(refund(s, r1, &one, 1, T0 + 20 * DAY, d), STORE_OK);
    assert_string_equal(d->business_day, "2026-11-05");
    assert_int_equal(stars_board(s, "2026-10", MEMBER_PERSON, board, 4, &n), STORE_OK);
    assert_int_equal(n, 2);
    assert_string_equal(board[0].member_id, "M2");
    assert_int_equal(board[0].spend_fen, 6000);
    assert_string_equal(board[1].member_id, "M1");
    assert_int_equal(board[1].spend_fen, 5000);
    assert_int_equal(stars_board(s, "2026-11", MEMBER_PERSON, board, 4, &n), STORE_OK);
    assert_int_equal(n, 0);
    /* M2 returns everything: off the board. */
    assert_int_equal(refund(s, r2, NULL, 0, T0 + 20 * DAY, d), STORE_OK);
    assert_int_equal(stars_board(s, "2026-10", MEMBER_PERSON, board, 4, &n), STORE_OK);
    assert_int_equal(n, 1);
    assert_string_equal(board[0].member_id, "M1");
    assert_int_equal(board[0].sales, 1);
    /* The county report is net too, on the sale's day. */
    report_row *rows = NULL, tot;
    size_t nr = 0;
    assert_int_equal(report_sales(s, REPORT_BY_DAY, NULL, NULL, &rows, &nr, &tot), STORE_OK);
    assert_int_equal(nr, 1);
    assert_string_equal(rows[0].key, "2026-10-16");
    assert_int_equal(rows[0].amount_fen, 5000);
    assert_int_equal(rows[0].qty, 1);
    free(rows);
    free(d);
    store_close(s);
}

/* ------------------------------------------------------------------ caller's UUID */

/* refund_commit_uuid: a retry with the same UUID (the answer was lost) writes nothing and gets
 * the stored refund; any other refund under that UUID -- other lines, other quantities,
 * another sale, "everything left" when the stored one was not -- is refused, never answered
 * with the stored document. */
static void test_caller_uuid_idempotent(void **state)
{
    (void)state;
    store *s = open_new("uuid", ROUNDING_NONE);
    uint64_t rng = 7;
    char rno[SALE_RECEIPT_NO_CAP], other[SALE_RECEIPT_NO_CAP];
    fx_item it[] = {{"A1", 1000, 3, true, 0, 0}, {"B1", 505, 1, false, 0, 0}};
    fx_pay cash = {TENDER_CASH, 0};
    fx_sell(s, NULL, T0, it, 2, ROUNDING_NONE, &cash, 1, 0, 0, &rng, rno);
    fx_sell(s, NULL, T0 + 1, it, 2, ROUNDING_NONE, &cash, 1, 0, 0, &rng, other);
    const char *u1 = "0b1e7c52-5d0f-4c8e-a6a1-3f2e1d0c9b8a";
    const char *u2 = "5f8d2c14-9a3b-4e6f-8c7d-1a2b3c4d5e6f";
    refund_doc *d = calloc(1, sizeof *d), *again = calloc(1, sizeof *again);
    assert_non_null(d);
    assert_non_null(again);
    char msg[256];
    bool stored = true;
    refund_request_line one = {1, 1};
    assert_int_equal(refund_commit_uuid(s, u1, rno, &one, 1, "manager", T0 + 60, d, &stored,
                                        msg, sizeof msg),
                     STORE_OK);
    assert_false(stored);
    assert_string_equal(d->uuid, u1);
    assert_string_equal(d->refund_no, "YR01-1-20261016-R0001");
    int64_t audit = count(s, "SELECT count(*) FROM audit_log");
    int64_t moves = count(s, "SELECT count(*) FROM stock_moves");
    int64_t outbox = count(s, "SELECT count(*) FROM outbox");

    /* The retry (later, as a script's would be): the stored refund, nothing written. */
    assert_int_equal(refund_commit_uuid(s, u1, rno, &one, 1, "manager", T0 + 600, again,
                                        &stored, msg, sizeof msg),
                     STORE_OK);
    assert_true(stored);
    assert_string_equal(again->uuid, u1);
    assert_string_equal(again->refund_no, d->refund_no);
    assert_string_equal(again->sale_receipt_no, rno);
    assert_string_equal(again->sale_uuid, d->sale_uuid);
    assert_string_equal(again->business_day, d->business_day);
    assert_int_equal(again->created_utc, d->created_utc);
    assert_int_equal(again->n_lines, 1);
    assert_int_equal(again->lines[0].line_no, 1);
    assert_int_equal(again->lines[0].qty, 1);
    assert_string_equal(again->lines[0].sku, "A1");
    assert_int_equal(again->lines[0].amount_fen, d->lines[0].amount_fen);
    assert_int_equal(again->total_fen, d->total_fen);
    assert_int_equal(again->n_tenders, d->n_tenders);
    assert_int_equal(again->tenders[0].kind, d->tenders[0].kind);
    assert_int_equal(again->tenders[0].amount_fen, d->tenders[0].amount_fen);
    check_doc(again);
    /* by the sale's uuid instead of its receipt number: the same sale, the same refund */
    char sale_uuid[SALE_UUID_CAP];
    snprintf(sale_uuid, sizeof sale_uuid, "%s", d->sale_uuid);
    assert_int_equal(refund_commit_uuid(s, u1, sale_uuid, &one, 1, "manager", T0 + 600, again,
                                        &stored, msg, sizeof msg),
                     STORE_OK);
    assert_true(stored);

    /* Different refunds under the stored UUID: refused, nothing written. */
    refund_request_line two_units = {1, 2}, line2 = {2, 1};
    refund_request_line one_and_2[] = {{1, 1}, {2, 1}};
    struct {
        const char *key;
        const refund_request_line *l;
        size_t n;
    } differ[] = {
        {rno, &two_units, 1},   /* another quantity */
        {rno, &line2, 1},       /* another line */
        {rno, one_and_2, 2},    /* more lines */
        {other, &one, 1},       /* another sale */
        {rno, NULL, 0},         /* everything left: the stored one was not that */
    };
    for (size_t i = 0; i < sizeof differ / sizeof differ[0]; i++) {
        store_err e = refund_commit_uuid(s, u1, differ[i].key, differ[i].l, differ[i].n,
                                         "manager", T0 + 700, again, &stored, msg, sizeof msg);
        if (e != STORE_ERR_CONSTRAINT)
            fail_msg("case %zu: %d (%s), want a refusal", i, (int)e, msg);
        assert_non_null(strstr(msg, "R0001"));
    }
    assert_int_equal(count(s, "SELECT count(*) FROM refunds"), 1);
    assert_int_equal(count(s, "SELECT count(*) FROM audit_log"), audit);
    assert_int_equal(count(s, "SELECT count(*) FROM stock_moves"), moves);
    assert_int_equal(count(s, "SELECT count(*) FROM outbox"), outbox);

    /* "Everything left" under u2 completes the sale; its retry, and the same lines named one
     * by one (in any order), are that refund. */
    assert_int_equal(refund_commit_uuid(s, u2, rno, NULL, 0, "manager", T0 + 800, d, &stored,
                                        msg, sizeof msg),
                     STORE_OK);
    assert_false(stored);
    assert_true(d->sale_complete);
    assert_int_equal(refund_commit_uuid(s, u2, rno, NULL, 0, "manager", T0 + 900, again,
                                        &stored, msg, sizeof msg),
                     STORE_OK);
    assert_true(stored);
    assert_string_equal(again->refund_no, "YR01-1-20261016-R0002");
    refund_request_line rest[] = {{2, 1}, {1, 2}};
    assert_int_equal(refund_commit_uuid(s, u2, rno, rest, 2, "manager", T0 + 900, again,
                                        &stored, msg, sizeof msg),
                     STORE_OK);
    assert_true(stored);
    /* the same line twice never matches a stored refund of two lines */
    refund_request_line twice[] = {{1, 2}, {1, 2}};
    assert_int_equal(refund_commit_uuid(s, u2, rno, twice, 2, "manager", T0 + 900, again,
                                        &stored, msg, sizeof msg),
                     STORE_ERR_CONSTRAINT);
    assert_int_equal(count(s, "SELECT count(*) FROM refunds"), 2);
    /* not a v4 UUID */
    assert_int_equal(refund_commit_uuid(s, "nope", other, NULL, 0, "manager", T0 + 900, again,
                                        &stored, msg, sizeof msg),
                     STORE_ERR_INVALID);
    assert_int_equal(count(s, "SELECT count(*) FROM refunds"), 2);
    free(d);
    free(again);
    store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_whole_refund_with_rounding_and_gift_free_sale),
        cmocka_unit_test(test_one_plus_one_plus_one_equals_three),
        cmocka_unit_test(test_two_processes_race),
        cmocka_unit_test(test_points_reversed_returned_clamped),
        cmocka_unit_test(test_failure_writes_nothing),
        cmocka_unit_test(test_manager_pin),
        cmocka_unit_test(test_stars_and_report_netted),
        cmocka_unit_test(test_caller_uuid_idempotent),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
