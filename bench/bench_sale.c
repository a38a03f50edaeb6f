/* bench_sale: what a cashier waits for.  Measures, on real SQLite files with the demo store:
 *   - barcode classification (pure core),
 *   - catalog look-up by GTIN (the read on the UI thread per scan),
 *   - committing a 10-line cash sale with sales_commit (one BEGIN IMMEDIATE transaction, WAL,
 *     synchronous=FULL: includes the fsync), and BESIDE IT, in the same run and on the same
 *     disk, the baseline: a bare SQLite transaction on a second file with the same schema
 *     writing the same rows (sale, 10 lines, tender, 10 stock moves, outbox, audit) with
 *     statements prepared once -- what the hardware and SQLite cost without our code.
 * Commit and baseline alternate sample by sample, so a noisy neighbour on a shared machine
 * hits both alike.  Reports median and p90 of N samples per figure and the ratio of the
 * medians.  Only db/ and pos/core are used (the till session is not needed to commit).
 * Usage: bench_sale DIR [N]. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "bench/bench.h"
#include "db/demo.h"
#include "db/products.h"
#include "db/sales.h"
#include "db/store.h"
#include "pos/core/barcode.h"
#include "pos/core/basket.h"
#include "pos/core/json.h"
#include "pos/core/sale.h"

/* CPU time of this thread: what our code and SQLite compute, without the wait for the disk
 * (the fsync dominates the wall time and is shared with every other process on the disk). */
static double cpu_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

/* Sorts samples; returns the median. */
static double report(const char *what, double *samples, int n, const char *unit, double scale)
{
    bench_sort(samples, n);
    printf("%-44s median %9.3f %s   p90 %9.3f %s   (n=%d)\n", what, samples[n / 2] / scale, unit,
           samples[n * 9 / 10] / scale, unit, n);
    return samples[n / 2] / scale;
}

static void die(const char *what, const char *why)
{
    fprintf(stderr, "bench_sale: %s: %s\n", what, why);
    exit(1);
}

static void unlink_db(const char *path)
{
    char f[1100];
    unlink(path);
    snprintf(f, sizeof f, "%s-wal", path);
    unlink(f);
    snprintf(f, sizeof f, "%s-shm", path);
    unlink(f);
}

static void make_uuid(uint64_t *state, char out[SALE_UUID_CAP])
{
    uint8_t b[16];
    for (int i = 0; i < 16; i += 8) {
        uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        z ^= z >> 31;
        memcpy(b + i, &z, 8);
    }
    sale_format_uuid_v4(b, out);
}

/* ---- the baseline: the same rows, bare SQLite ---- */

typedef struct {
    sqlite3 *db;
    sqlite3_stmt *begin, *commit, *sale, *line, *tender, *move, *outbox, *audit;
} baseline;

static sqlite3_stmt *prep(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK)
        die(sql, sqlite3_errmsg(db));
    return st;
}

static void baseline_open(baseline *b, const char *path)
{
    /* The schema (tables, indexes, triggers) made by the store itself, then a raw handle. */
    char msg[512];
    store *s = NULL;
    store_open_opts o = {.create = true};
    if (store_open(path, &o, &s, msg, sizeof msg) != STORE_OK)
        die("baseline schema", msg);
    store_close(s);
    if (sqlite3_open_v2(path, &b->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) !=
            SQLITE_OK ||
        sqlite3_exec(b->db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
                            "PRAGMA foreign_keys=ON;", NULL, NULL, NULL) != SQLITE_OK)
        die("baseline open", sqlite3_errmsg(b->db));
    b->begin = prep(b->db, "BEGIN IMMEDIATE");
    b->commit = prep(b->db, "COMMIT");
    b->sale = prep(b->db,
                   "INSERT INTO sales(uuid, receipt_no, store_code, till_no, business_day, seq, "
                   "created_utc, cashier, total_fen, rounding_fen, due_fen, change_fen, "
                   "points_earned, points_redeemed, doc_json, member_id) "
                   "VALUES(?1, ?2, 'YR01', 1, '2026-10-16', ?3, ?4, '01', ?5, 0, ?5, 0, 0, 0, ?6, "
                   "NULL)");
    b->line = prep(b->db,
                   "INSERT INTO sale_lines(sale_uuid, line_no, sku, name, gtin13, qty, grams, "
                   "unit_price_fen, amount_fen, discount_fen, poverty_relief, supplier_id) "
                   "VALUES(?1, ?2, ?3, ?4, ?5, ?6, 0, ?7, ?8, 0, ?9, ?10)");
    b->tender = prep(b->db, "INSERT INTO sale_tenders(sale_uuid, seq, kind, amount_fen, ref) "
                            "VALUES(?1, 1, 'cash', ?2, '')");
    b->move = prep(b->db, "INSERT INTO stock_moves(sku, kind, qty, grams, cost_fen, ref, at_utc) "
                          "VALUES(?1, 'sale', ?2, 0, 0, ?3, ?4)");
    b->outbox = prep(b->db, "INSERT INTO outbox(kind, ref_uuid, payload, created_utc) "
                            "VALUES('sale', ?1, ?2, ?3)");
    b->audit = prep(b->db,
                    "INSERT INTO audit_log(at_utc, actor, event, ref, detail, prev_hash, hash) "
                    "VALUES(?1, '01', 'sale.commit', ?2, ?3, ?4, ?5)");
}

static void step(baseline *b, sqlite3_stmt *st)
{
    if (sqlite3_step(st) != SQLITE_DONE)
        die("baseline step", sqlite3_errmsg(b->db));
    sqlite3_reset(st);
}

/* One transaction writing the rows sales_commit writes for d (JSON texts given). */
static void baseline_commit(baseline *b, const sale_doc *d, int seq, const char *json,
                            const char *detail)
{
    char receipt[32], hash[65], prev[65];
    snprintf(receipt, sizeof receipt, "YR01-1-20261016-%04d", seq);
    snprintf(prev, sizeof prev, "%064d", seq - 1);
    snprintf(hash, sizeof hash, "%064d", seq);
    step(b, b->begin);
    sqlite3_bind_text(b->sale, 1, d->uuid, -1, SQLITE_STATIC);
    sqlite3_bind_text(b->sale, 2, receipt, -1, SQLITE_STATIC);
    sqlite3_bind_int(b->sale, 3, seq);
    sqlite3_bind_int64(b->sale, 4, d->created_utc);
    sqlite3_bind_int64(b->sale, 5, d->total_fen);
    sqlite3_bind_text(b->sale, 6, json, -1, SQLITE_STATIC);
    step(b, b->sale);
    for (size_t i = 0; i < d->n_lines; i++) {
        const sale_line *l = &d->lines[i];
        sqlite3_bind_text(b->line, 1, d->uuid, -1, SQLITE_STATIC);
        sqlite3_bind_int64(b->line, 2, (int64_t)i + 1);
        sqlite3_bind_text(b->line, 3, l->sku, -1, SQLITE_STATIC);
        sqlite3_bind_text(b->line, 4, l->name, -1, SQLITE_STATIC);
        sqlite3_bind_text(b->line, 5, l->gtin13, -1, SQLITE_STATIC);
        sqlite3_bind_int64(b->line, 6, l->qty);
        sqlite3_bind_int64(b->line, 7, l->unit_price_fen);
        sqlite3_bind_int64(b->line, 8, l->amount_fen);
        sqlite3_bind_int(b->line, 9, l->poverty_relief);
        sqlite3_bind_text(b->line, 10, l->supplier_id, -1, SQLITE_STATIC);
        step(b, b->line);
    }
    sqlite3_bind_text(b->tender, 1, d->uuid, -1, SQLITE_STATIC);
    sqlite3_bind_int64(b->tender, 2, d->tenders[0].amount_fen);
    step(b, b->tender);
    for (size_t i = 0; i < d->n_lines; i++) {
        sqlite3_bind_text(b->move, 1, d->lines[i].sku, -1, SQLITE_STATIC);
        sqlite3_bind_int64(b->move, 2, -d->lines[i].qty);
        sqlite3_bind_text(b->move, 3, d->uuid, -1, SQLITE_STATIC);
        sqlite3_bind_int64(b->move, 4, d->created_utc);
        step(b, b->move);
    }
    sqlite3_bind_text(b->outbox, 1, d->uuid, -1, SQLITE_STATIC);
    sqlite3_bind_text(b->outbox, 2, json, -1, SQLITE_STATIC);
    sqlite3_bind_int64(b->outbox, 3, d->created_utc);
    step(b, b->outbox);
    sqlite3_bind_int64(b->audit, 1, d->created_utc);
    sqlite3_bind_text(b->audit, 2, d->uuid, -1, SQLITE_STATIC);
    sqlite3_bind_text(b->audit, 3, detail, -1, SQLITE_STATIC);
    sqlite3_bind_text(b->audit, 4, prev, -1, SQLITE_STATIC);
    sqlite3_bind_text(b->audit, 5, hash, -1, SQLITE_STATIC);
    step(b, b->audit);
    step(b, b->commit);
}

static void baseline_close(baseline *b)
{
    sqlite3_stmt *all[] = {b->begin, b->commit, b->sale, b->line, b->tender, b->move, b->outbox,
                           b->audit};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        sqlite3_finalize(all[i]);
    sqlite3_close(b->db);
}

/* ---- the sale ---- */

/* A 10-line cash sale of ten different counted products from the demo catalog. */
static void make_sale(store *s, sale_doc *doc)
{
    basket *b = calloc(1, sizeof *b);
    if (!b)
        die("basket", "out of memory");
    basket_init(b);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(store_db(s),
                           "SELECT sku FROM products WHERE by_weight = 0 AND active = 1 "
                           "ORDER BY sku LIMIT 10",
                           -1, &st, NULL) != SQLITE_OK)
        die("catalog", sqlite3_errmsg(store_db(s)));
    while (sqlite3_step(st) == SQLITE_ROW) {
        product p;
        if (products_find_by_sku(s, (const char *)sqlite3_column_text(st, 0), &p) != STORE_OK ||
            basket_add_product(b, &p, 1 + (int64_t)(b->n_lines % 3), NULL) != BASKET_OK)
            die("basket", "cannot add a demo product");
    }
    sqlite3_finalize(st);
    basket_settlement set;
    basket_settle(b, ROUNDING_NONE, &set);
    if (b->n_lines != 10 || basket_add_tender(b, TENDER_CASH, set.due_fen, NULL) != BASKET_OK ||
        sale_from_basket(b, ROUNDING_NONE, doc) != SALE_OK)
        die("sale", "the demo catalog does not give a 10-line sale");
    snprintf(doc->store_code, sizeof doc->store_code, "YR01");
    doc->till_no = 1;
    snprintf(doc->cashier, sizeof doc->cashier, "01");
    free(b);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_sale DIR [N]\n");
        return 2;
    }
    int n = (int)bench_count_arg(argc, argv, 2, 300, 10, 100000);
    char path[1024], base_path[1024], msg[512];
    snprintf(path, sizeof path, "%s/bench-%d.db", argv[1], (int)getpid());
    snprintf(base_path, sizeof base_path, "%s/bench-%d-baseline.db", argv[1], (int)getpid());
    unlink_db(path);
    unlink_db(base_path);
    store *s = NULL;
    store_open_opts o = {.create = true};
    if (store_open(path, &o, &s, msg, sizeof msg) != STORE_OK ||
        demo_load(s, demo_assets_dir(), msg, sizeof msg) != STORE_OK)
        die("setup", msg);
    static const char *codes[] = { "6985798000316", "6953822000175", "6957212000172",
                                   "6918152000523", "6918152000592" };
    double *a = calloc((size_t)n, sizeof *a), *bs = calloc((size_t)n, sizeof *bs);
    double *ac = calloc((size_t)n, sizeof *ac), *bc = calloc((size_t)n, sizeof *bc);
    sale_doc *doc = calloc(1, sizeof *doc);
    if (!a || !bs || !ac || !bc || !doc)
        die("setup", "out of memory");

    /* classification: 1000 codes per sample, reported per code */
    for (int i = 0; i < n; i++) {
        code_info info;
        double t0 = bench_now_us();
        for (int k = 0; k < 1000; k++)
            barcode_classify(codes[k % 5], NULL, 0, &info);
        a[i] = (bench_now_us() - t0) / 1000.0;
    }
    report("classify EAN-13", a, n, "us", 1);

    for (int i = 0; i < n; i++) {
        product p;
        char gtin[14];
        barcode_to_gtin13(codes[i % 5], gtin, NULL);
        double t0 = bench_now_us();
        products_find_by_gtin(s, gtin, &p);
        a[i] = bench_now_us() - t0;
    }
    report("look up product by GTIN", a, n, "us", 1);

    baseline base;
    baseline_open(&base, base_path);
    make_sale(s, doc);
    /* The baseline writes texts of the same size as the commit's (the document's JSON, an
     * audit detail of the same shape). */
    strbuf json, detail;
    strbuf_init(&json);
    strbuf_init(&detail);
    json_writer w;
    json_writer_init(&w, &json, false);
    sale_to_json(doc, &w);
    strbuf_printf(&detail, "{\"receipt_no\":\"YR01-1-20261016-0001\",\"business_day\":"
                           "\"2026-10-16\",\"lines\":10,\"total_fen\":%lld,\"rounding_fen\":0,"
                           "\"due_fen\":%lld,\"change_fen\":0,\"tenders\":[{\"kind\":\"cash\","
                           "\"amount_fen\":%lld}],\"voids\":[]}",
                  (long long)doc->total_fen, (long long)doc->due_fen, (long long)doc->due_fen);
    if (json.oom || detail.oom)
        die("json", "out of memory");

    uint64_t rng = 7;
    int64_t at = 1792120200;   /* 2026-10-16 10:30 +08:00 */
    for (int i = 0; i < n; i++) {
        make_uuid(&rng, doc->uuid);
        doc->created_utc = at + i;
        double c0 = cpu_us(), t0 = bench_now_us();
        if (sales_commit(s, doc, NULL, 0, msg, sizeof msg) != STORE_OK)
            die("commit", msg);
        a[i] = bench_now_us() - t0;
        ac[i] = cpu_us() - c0;
        c0 = cpu_us();
        t0 = bench_now_us();
        baseline_commit(&base, doc, i + 1, json.data, detail.data);
        bs[i] = bench_now_us() - t0;
        bc[i] = cpu_us() - c0;
    }
    double mine = report("commit 10-line cash sale (sales_commit)", a, n, "ms", 1000);
    double bare = report("baseline: bare SQLite, same rows", bs, n, "ms", 1000);
    printf("%-44s %.2fx\n", "ratio commit / baseline (wall, medians)", mine / bare);
    double mine_cpu = report("  CPU of the commit", ac, n, "ms", 1000);
    double bare_cpu = report("  CPU of the baseline", bc, n, "ms", 1000);
    printf("%-44s %.2fx\n", "ratio commit / baseline (CPU, medians)", mine_cpu / bare_cpu);

    strbuf_free(&json);
    strbuf_free(&detail);
    baseline_close(&base);
    store_close(s);
    free(a);
    free(bs);
    free(ac);
    free(bc);
    free(doc);
    unlink_db(path);
    unlink_db(base_path);
    return 0;
}
