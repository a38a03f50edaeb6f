/* bench_catalog: a 50,000-product catalog.  Measures, on a real SQLite file:
 *   - importing a generated 50,000-line catalog CSV (catalog_import_file: parse, validate
 *     against the file and the database, one transaction), and re-importing it unchanged;
 *   - building the search index (first search after a catalog change);
 *   - search-as-you-type: search_products for every prefix of several queries, as the
 *     cashier types them (cap 20, a screenful), median and p90 per keystroke;
 *   - the same keystrokes through a plain SQL LIKE scan, for comparison;
 *   - look-up by barcode (products_find_by_gtin), the per-scan read;
 *   - hostile files: every line a duplicate of one SKU, at the row cap and at ~6 MB.
 * Usage: bench_catalog DIR [N_PRODUCTS]. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "bench/bench.h"
#include "db/catalog.h"
#include "db/products.h"
#include "db/search.h"
#include "db/store.h"
#include "pos/core/barcode.h"

static void report(const char *what, double *samples, int n, double *median_out)
{
    bench_sort(samples, n);
    printf("%-40s median %9.1f µs   p90 %9.1f µs   max %9.1f µs  (n=%d)\n", what, samples[n / 2],
           samples[n * 9 / 10], samples[n - 1], n);
    if (median_out)
        *median_out = samples[n / 2];
}

/* Words of local products; names are combinations, so substrings and initials repeat the way
 * a real catalog's do (many 核桃…, many …250g). */
static const char *const A[] = {"永仁", "云南", "高原", "农家", "手工", "有机", "野生", "精选",
                                "特级", "散装", "彝族", "山地", "古法", "生态", "老树", "新鲜"};
static const char *const B[] = {"核桃", "石榴", "花椒", "蜂蜜", "苦荞", "荞麦", "红糖", "松茸",
                                "牛肝菌", "鸡枞", "腊肉", "火腿", "酸角", "芒果", "魔芋", "土豆",
                                "大米", "菜籽油", "橄榄油", "茶叶", "核桃仁", "核桃酥", "米线", "豆腐"};
static const char *const C[] = {"礼盒", "袋装", "罐装", "瓶装", "片", "粉", "干", "仁", "酱", "饼", "", ""};
static const char *const S[] = {"100g", "250g", "500g", "1kg", "2.5kg", "5kg", "300ml", "6枚"};

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_catalog DIR [N_PRODUCTS]\n");
        return 2;
    }
    int n_products = (int)bench_count_arg(argc, argv, 2, 50000, 100, 100000000);
    char db_path[1024], csv_path[1024], msg[4096];
    snprintf(db_path, sizeof db_path, "%s/bench-catalog-%d.db", argv[1], (int)getpid());
    snprintf(csv_path, sizeof csv_path, "%s/bench-catalog-%d.csv", argv[1], (int)getpid());

    /* The generated catalog: EAN-13 codes 690000xxxxxxC (computed check digit), every tenth
     * product weighed with a PLU. */
    FILE *f = fopen(csv_path, "w");
    if (!f) {
        perror(csv_path);
        return 1;
    }
    fprintf(f, "sku,name,unit,barcodes,price_fen,by_weight,plu,category\n");
    char (*codes)[14] = calloc((size_t)n_products, 14);
    if (!codes)
        return 1;
    for (int i = 0; i < n_products; i++) {
        char digits[13];
        snprintf(digits, sizeof digits, "690%09d", i);
        snprintf(codes[i], 14, "%s%d", digits, barcode_check_digit(digits, 12));
        bool weighed = i % 10 == 9;
        char plu[16] = "";
        if (weighed)
            snprintf(plu, sizeof plu, "%d", 30000 + i);
        fprintf(f, "B%06d,%s%s%s %s,%s,%s,%d,%d,%s,测试\n", i, A[i % 16], B[(i / 16) % 24],
                C[(i / 384) % 12], S[(i / 7) % 8], weighed ? "kg" : "袋",
                weighed ? "" : codes[i], 100 + (i * 37) % 9900, weighed, plu);
    }
    fclose(f);

    store *s = NULL;
    store_open_opts o = {.create = true};
    if (store_open(db_path, &o, &s, msg, sizeof msg) != STORE_OK) {
        fprintf(stderr, "open: %s\n", msg);
        return 1;
    }
    catalog_import_opts io = {.encoding = CT_ENC_AUTO, .source = "bench", .now_utc = 1792117800};
    catalog_summary sum;
    strbuf errors;
    strbuf_init(&errors);
    double t0 = bench_now_us();
    store_err e = catalog_import_file(s, csv_path, &io, false, &sum, NULL, &errors);
    double t_import = bench_now_us() - t0;
    if (e) {
        fprintf(stderr, "import failed: %.2000s\n", errors.data ? errors.data : store_last_error(s));
        return 1;
    }
    t0 = bench_now_us();
    e = catalog_import_file(s, csv_path, &io, false, &sum, NULL, &errors);
    double t_reimport = bench_now_us() - t0;
    if (e || sum.unchanged != (size_t)n_products) {
        fprintf(stderr, "re-import: %d, %zu unchanged\n", (int)e, sum.unchanged);
        return 1;
    }
    printf("import %d products: %.0f ms (%.1f µs/product); unchanged re-import: %.0f ms\n",
           n_products, t_import / 1e3, t_import / n_products, t_reimport / 1e3);

    /* Hostile files (issue #8): every line a duplicate of one SKU, at the row cap (the most
     * errors a file can produce) and at ~6 MB (refused at the cap).  Both must take time
     * O(n log n) and memory bounded by the kept errors and the row cap. */
    static const int hostile[] = {CATALOG_MAX_ROWS, 400000};
    for (size_t h = 0; h < sizeof hostile / sizeof hostile[0]; h++) {
        FILE *hf = fopen(csv_path, "w");
        if (!hf)
            return 1;
        fputs("sku,name,unit,price_fen\n", hf);
        for (int i = 0; i < hostile[h]; i++)
            fputs("B1,米,袋,100\n", hf);
        long bytes = ftell(hf);
        fclose(hf);
        strbuf herr;
        strbuf_init(&herr);
        catalog_summary hs;
        t0 = bench_now_us();
        e = catalog_import_file(s, csv_path, &io, true, &hs, NULL, &herr);
        double t_h = bench_now_us() - t0;
        printf("hostile: %d duplicate lines (%.1f MB): refused in %.0f ms, %zu errors, %zu listed "
               "bytes\n",
               hostile[h], (double)bytes / 1e6, t_h / 1e3, hs.errors, herr.len);
        strbuf_free(&herr);
        if (e != STORE_ERR_INVALID)
            return 1;
    }

    product res[20];
    size_t n = 0;
    t0 = bench_now_us();
    search_products(s, "x", res, 20, &n);
    printf("search index build (first search): %.1f ms\n", (bench_now_us() - t0) / 1e3);

    /* Each query typed a character at a time (UTF-8 aware prefixes). */
    static const char *const queries[] = {"核桃酥", "hts", "htr2", "永仁石榴礼盒", "690000012345",
                                          "30019", "松茸", "ynhtrlh", "B0421"};
    double lat[4096], sql_lat[4096];
    int nl = 0, ns = 0;
    sqlite3_stmt *like = NULL;
    sqlite3_prepare_v2(store_db(s),
                       "SELECT sku FROM products WHERE active = 1 AND (name LIKE '%' || ?1 || '%' "
                       "OR pinyin LIKE '%' || ?1 || '%' OR sku LIKE ?1 || '%' OR plu = ?1 OR "
                       "sku IN (SELECT sku FROM barcodes WHERE gtin13 LIKE ?1 || '%')) LIMIT 20",
                       -1, &like, NULL);
    for (int rep = 0; rep < 20; rep++)
        for (size_t q = 0; q < sizeof queries / sizeof queries[0]; q++) {
            const char *text = queries[q];
            size_t len = strlen(text);
            for (size_t k = 1; k <= len; k++) {
                if (k < len && (text[k] & 0xc0) == 0x80)
                    continue;   /* not a character boundary */
                char prefix[64];
                memcpy(prefix, text, k);
                prefix[k] = '\0';
                t0 = bench_now_us();
                if (search_products(s, prefix, res, 20, &n) != STORE_OK)
                    return 1;
                if (nl < 4096)
                    lat[nl++] = bench_now_us() - t0;
                if (rep < 3) {   /* the SQL scan is slow: fewer samples */
                    t0 = bench_now_us();
                    sqlite3_reset(like);
                    sqlite3_bind_text(like, 1, prefix, -1, SQLITE_TRANSIENT);
                    while (sqlite3_step(like) == SQLITE_ROW)
                        ;
                    if (ns < 4096)
                        sql_lat[ns++] = bench_now_us() - t0;
                }
            }
        }
    sqlite3_finalize(like);
    double m_index = 0, m_sql = 0;
    report("search-as-you-type (index), per key", lat, nl, &m_index);
    report("search-as-you-type (SQL LIKE), per key", sql_lat, ns, &m_sql);
    printf("SQL LIKE / index median ratio: %.1fx\n", m_sql / m_index);

    /* One query's keystrokes in detail: what the cashier feels while typing 核桃酥. */
    for (size_t k = 3; k <= strlen("核桃酥"); k += 3) {
        char prefix[16];
        memcpy(prefix, "核桃酥", k);
        prefix[k] = '\0';
        double one[200];
        for (int r = 0; r < 200; r++) {
            t0 = bench_now_us();
            search_products(s, prefix, res, 20, &n);
            one[r] = bench_now_us() - t0;
        }
        char label[64];
        snprintf(label, sizeof label, "  \"%s\" (%zu results)", prefix, n);
        report(label, one, 200, NULL);
    }

    double look[2000];
    uint64_t rng = 12345;
    for (int i = 0; i < 2000; i++) {
        rng = rng * 6364136223846793005ull + 1442695040888963407ull;
        int k = (int)((rng >> 33) % (uint64_t)n_products);
        if (k % 10 == 9)
            k--;
        product p;
        t0 = bench_now_us();
        if (products_find_by_gtin(s, codes[k], &p) != STORE_OK)
            return 1;
        look[i] = bench_now_us() - t0;
    }
    report("look up product by barcode", look, 2000, NULL);

    strbuf_free(&errors);
    free(codes);
    store_close(s);
    unlink(db_path);
    unlink(csv_path);
    char side[1100];
    snprintf(side, sizeof side, "%s-wal", db_path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", db_path);
    unlink(side);
    return 0;
}
