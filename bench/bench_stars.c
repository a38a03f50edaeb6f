/* bench_stars: the consumption-star board over 1,000,000 sale lines.
 *
 * Builds a till database with 5,000 members (4,900 persons, 50 staff, 50 organisations) and
 * N sale lines (default 1,000,000; 10 lines per sale, about half of them poverty-relief, most
 * sales with a member) ALL in one month -- the worst case: the board's month holds every
 * line -- then times stars_board for the main board and for the organisations' list (top 10,
 * median of 7 runs), plus an empty month for the fixed cost.
 *
 * The rows are written with plain INSERTs in one transaction (the schema's own tables and
 * triggers, but not sales_commit: 100,000 fsync'ed commits would take the bench an hour
 * and measure the disk, not the query); the star aggregate is then built by stars_rebuild,
 * the migration's back-fill, which is timed too.  The full computation the board ran before
 * the aggregate (#8) is timed in the same run as the baseline.
 * Usage: bench_stars DIR [N_LINES]. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "bench/bench.h"
#include "db/stars.h"
#include "pos/core/member.h"
#include "db/store.h"

static uint64_t rng_state = 42;
static uint64_t rnd(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static void check(int rc, sqlite3 *db, const char *what)
{
    if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
        fprintf(stderr, "%s: %s\n", what, sqlite3_errmsg(db));
        exit(1);
    }
}

static void time_board(store *s, const char *month, member_kind kind, const char *what)
{
    enum { RUNS = 7 };
    double t[RUNS];
    star_entry board[10];
    size_t n = 0;
    for (int r = 0; r < RUNS; r++) {
        double t0 = bench_now_us() / 1e3;
        if (stars_board(s, month, kind, board, 10, &n) != STORE_OK) {
            fprintf(stderr, "stars_board: %s\n", store_last_error(s));
            exit(1);
        }
        t[r] = bench_now_us() / 1e3 - t0;
    }
    double first = t[0];
    bench_sort(t, RUNS);
    printf("%-44s first %8.1f ms   median %8.1f ms   max %8.1f ms   (%zu rows, #1 %s %lld fen)\n",
           what, first, t[RUNS / 2], t[RUNS - 1], n, n ? board[0].member_id : "-",
           n ? (long long)board[0].spend_fen : 0LL);
}

/* The board as it was computed before the aggregate (issue #8): every poverty-relief line
 * of the month with its refunds, on every call.  Timed in the same run as the baseline. */
static void time_full(store *s, const char *month, const char *what)
{
    enum { RUNS = 3 };
    double t[RUNS];
    char first[11], last[11];
    snprintf(first, sizeof first, "%s-01", month);
    snprintf(last, sizeof last, "%s-31", month);
    int rows = 0;
    for (int r = 0; r < RUNS; r++) {
        sqlite3_stmt *st = NULL;
        double t0 = bench_now_us() / 1e3;
        check(sqlite3_prepare_v2(
                  store_db(s),
                  "SELECT m.id, t.spend FROM (SELECT x.mid, sum(x.net) AS spend, "
                  "count(DISTINCT CASE WHEN x.net > 0 THEN x.uuid END) AS sales, "
                  "min(CASE WHEN x.net > 0 THEN x.created_utc END) AS first_utc "
                  "FROM (SELECT s.member_id AS mid, s.uuid, s.created_utc, "
                  "l.amount_fen - l.discount_fen - coalesce((SELECT sum(r.amount_fen) "
                  "FROM refund_lines r WHERE r.sale_uuid = l.sale_uuid AND r.line_no = l.line_no), 0) "
                  "AS net FROM sales s JOIN sale_lines l ON l.sale_uuid = s.uuid "
                  "WHERE s.business_day BETWEEN ?1 AND ?2 AND s.member_id IS NOT NULL "
                  "AND l.poverty_relief = 1) x GROUP BY x.mid) t JOIN members m ON m.id = t.mid "
                  "WHERE m.kind = 'person' AND t.spend > 0 "
                  "ORDER BY t.spend DESC, t.first_utc ASC, m.id ASC LIMIT 10",
                  -1, &st, NULL),
              store_db(s), "prep full");
        sqlite3_bind_text(st, 1, first, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 2, last, -1, SQLITE_TRANSIENT);
        rows = 0;
        while (sqlite3_step(st) == SQLITE_ROW)
            rows++;
        sqlite3_finalize(st);
        t[r] = bench_now_us() / 1e3 - t0;
    }
    bench_sort(t, RUNS);
    printf("%-44s median %8.1f ms   (%d rows)\n", what, t[RUNS / 2], rows);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_stars DIR [N_LINES]\n");
        return 2;
    }
    long n_lines = bench_count_arg(argc, argv, 2, 1000000, 10, 100000000);
    char path[1024], side[1100], msg[256];
    snprintf(path, sizeof path, "%s/bench_stars.db", argv[1]);
    unlink(path);
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
    store *s = NULL;
    store_open_opts o = {.create = true};
    if (store_open(path, &o, &s, msg, sizeof msg) != STORE_OK) {
        fprintf(stderr, "open: %s\n", msg);
        return 1;
    }
    sqlite3 *db = store_db(s);
    double t0 = bench_now_us() / 1e3;
    check(sqlite3_exec(db, "BEGIN", NULL, NULL, NULL), db, "begin");
    sqlite3_stmt *mem, *sale, *line;
    check(sqlite3_prepare_v2(db, "INSERT INTO members(id, phone, name, kind, created_utc) "
                                 "VALUES(?1, ?2, ?3, ?4, 0)", -1, &mem, NULL), db, "prep");
    enum { MEMBERS = 5000 };
    static const char *const SUR[] = {"张", "李", "王", "杨", "普", "起", "罗", "毕", "者", "施"};
    static const char *const GIV[] = {"明", "英", "华", "芳", "兰", "军", "强", "梅", "林", "荣"};
    for (int i = 0; i < MEMBERS; i++) {
        char id[16], phone[16], name[32];
        snprintf(id, sizeof id, "88%06d", i);
        snprintf(phone, sizeof phone, "139%08d", i);
        snprintf(name, sizeof name, "%s%s%s", SUR[i % 10], GIV[(i / 10) % 10], GIV[(i / 100) % 10]);
        const char *kind = i < 4900 ? "person" : i < 4950 ? "staff" : "organisation";
        sqlite3_reset(mem);
        sqlite3_bind_text(mem, 1, id, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(mem, 2, phone, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(mem, 3, name, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(mem, 4, kind, -1, SQLITE_STATIC);
        check(sqlite3_step(mem), db, "member");
    }
    sqlite3_finalize(mem);
    check(sqlite3_prepare_v2(db,
                             "INSERT INTO sales(uuid, receipt_no, store_code, till_no, "
                             "business_day, seq, created_utc, cashier, total_fen, rounding_fen, "
                             "due_fen, change_fen, doc_json, member_id) "
                             "VALUES(?1, ?2, 'YR01', 1, ?3, ?4, ?5, '01', ?6, 0, ?6, 0, '{}', ?7)",
                             -1, &sale, NULL),
          db, "prep sale");
    check(sqlite3_prepare_v2(db,
                             "INSERT INTO sale_lines(sale_uuid, line_no, sku, name, qty, grams, "
                             "unit_price_fen, amount_fen, discount_fen, poverty_relief) "
                             "VALUES(?1, ?2, ?3, '商品', 1, 0, ?4, ?4, ?5, ?6)",
                             -1, &line, NULL),
          db, "prep line");
    long n_sales = n_lines / 10;
    int seq_of_day[31] = {0};
    for (long i = 0; i < n_sales; i++) {
        char uuid[48], receipt[48], day[16], mid[16];
        int d = (int)(rnd() % 31);
        snprintf(uuid, sizeof uuid, "00000000-0000-4000-8000-%012ld", i);
        snprintf(day, sizeof day, "2026-10-%02d", d + 1);
        int seq = ++seq_of_day[d];
        snprintf(receipt, sizeof receipt, "YR01-1-202610%02d-%04d", d + 1, seq);
        /* 1 in 5 sales anonymous; members drawn with a skew so the top of the board is real */
        uint64_t r = rnd();
        bool anon = r % 5 == 0;
        int m = (int)((r >> 8) % MEMBERS);
        if ((r >> 40) % 2)
            m = m % 500;
        snprintf(mid, sizeof mid, "88%06d", m);
        /* the sale row first (sale_lines refer to it), with its total computed up front */
        fen_t price[10], disc[10], total = 0;
        for (int l = 0; l < 10; l++) {
            price[l] = 100 + (fen_t)(rnd() % 9900);
            disc[l] = rnd() % 4 == 0 ? price[l] / 20 : 0;
            total += price[l] - disc[l];
        }
        sqlite3_reset(sale);
        sqlite3_bind_text(sale, 1, uuid, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(sale, 2, receipt, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(sale, 3, day, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int(sale, 4, seq);
        sqlite3_bind_int64(sale, 5, (int64_t)1790784000 + d * 86400 + (int64_t)(rnd() % 43200));
        sqlite3_bind_int64(sale, 6, total);
        if (anon)
            sqlite3_bind_null(sale, 7);
        else
            sqlite3_bind_text(sale, 7, mid, -1, SQLITE_TRANSIENT);
        check(sqlite3_step(sale), db, "sale");
        for (int l = 0; l < 10; l++) {
            sqlite3_reset(line);
            sqlite3_bind_text(line, 1, uuid, -1, SQLITE_TRANSIENT);
            sqlite3_bind_int(line, 2, l + 1);
            char sku[16];
            snprintf(sku, sizeof sku, "P%04d", (int)(rnd() % 112) + 1);
            sqlite3_bind_text(line, 3, sku, -1, SQLITE_TRANSIENT);
            sqlite3_bind_int64(line, 4, price[l]);
            sqlite3_bind_int64(line, 5, disc[l]);
            sqlite3_bind_int(line, 6, rnd() % 2 == 0);
            check(sqlite3_step(line), db, "line");
        }
    }
    sqlite3_finalize(sale);
    sqlite3_finalize(line);
    check(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), db, "commit");
    check(sqlite3_exec(db, "ANALYZE", NULL, NULL, NULL), db, "analyze");
    printf("built %ld sales, %ld lines, %d members in %.1f s\n", n_sales, n_sales * 10, MEMBERS,
           (bench_now_us() / 1e3 - t0) / 1e3);
    /* The rows went in with plain SQL, around sales_commit: build the aggregate the way the
     * migration's back-fill does (schema step 6 on an older file), and time it. */
    t0 = bench_now_us() / 1e3;
    if (stars_rebuild(s) != STORE_OK) {
        fprintf(stderr, "stars_rebuild: %s\n", store_last_error(s));
        return 1;
    }
    printf("star_months back-fill (migration step 6)     %8.1f ms\n", bench_now_us() / 1e3 - t0);
    store_close(s);

    /* Measure on a fresh read-only handle, as `stars` runs. */
    store_open_opts ro = {.read_only = true};
    if (store_open(path, &ro, &s, msg, sizeof msg) != STORE_OK) {
        fprintf(stderr, "open: %s\n", msg);
        return 1;
    }
    time_board(s, "2026-10", MEMBER_PERSON, "board, month holding every line");
    time_board(s, "2026-10", MEMBER_ORGANISATION, "organisations, same month");
    time_board(s, "2026-09", MEMBER_PERSON, "board, empty month");
    time_full(s, "2026-10", "baseline: full computation (before #8)");
    store_close(s);
    return 0;
}
