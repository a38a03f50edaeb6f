/* The catalog, stock and report commands end to end: the real fupin-pos binary on a real SQLite
 * file with the demo store.  Fixture CSV files are written by the tests themselves, so each
 * rejection reason is one row of a table: file text -> the FILE:LINE: column: messages. */
#define CLI_HARNESS_NAME "catcli"
#include "cli_harness.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>

static char dir[400];

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char *buf;
    buf = malloc(1 << 20);
    assert_non_null(buf);
    *len = fread(buf, 1, (1 << 20) - 1, f);
    buf[*len] = '\0';
    fclose(f);
    return buf;
}

static const char *tmp(const char *name)
{
    static char paths[8][600];
    static int k;
    char *p = paths[k++ % 8];
    snprintf(p, 600, "%s/%s", dir, name);
    return p;
}

static int setup(void **state)
{
    (void)state;
    cli_harness_path(dir, sizeof dir, "");
    char cmd[1000];
    snprintf(cmd, sizeof cmd, "rm -rf '%s' && mkdir -p '%s'", dir, dir);
    if (system(cmd) != 0)
        return -1;
    snprintf(db_path, sizeof db_path, "%s/till.db", dir);
    snprintf(err_path, sizeof err_path, "%s/stderr.txt", dir);
    return cli_harness_init_demo();
}

static int teardown(void **state)
{
    (void)state;
    char cmd[700];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* ---- import: every rejection reason ---- */

#define H "sku,name,unit,barcodes,price_fen,by_weight,plu,tare_g,poverty_relief,supplier_id," \
          "cert_no,cert_county,cert_valid_from,cert_valid_to,tax_class\n"
#define OK_ROW(sku, code) sku ",测试商品,个," code ",100,0,,,0,,,,,,std\n"

static void test_import_rejections(void **state)
{
    (void)state;
    static const struct {
        const char *what, *csv;
        const char *expect[4];   /* ":LINE: column: " fragments, each must appear */
    } cases[] = {
        {"bad check digit", H "X1,测试,个,6901234567015,100,0,,,0,,,,,,\n",
         {":2: barcodes: 6901234567015: ", "check digit"}},
        {"duplicate barcode in file", H OK_ROW("X1", "6901234567014") OK_ROW("X2", "6901234567014"),
         {":3: barcodes: barcode 6901234567014 also on line 2"}},
        {"barcode owned by another product", H OK_ROW("X1", "6985798000170"),
         {":2: barcodes: 6985798000170 already belongs to product P0001"}},
        {"barcode twice on one product", H OK_ROW("X1", "6901234567014|6901234567014"),
         {":2: barcodes: 6901234567014 listed twice"}},
        {"in-store prefix", H OK_ROW("X1", "2000000000008"), {":2: barcodes: ", "prefix 2"}},
        {"price not money", H "X1,测试,个,,12.80,0,,,0,,,,,,\n", {":2: price_fen: ", "not money"}},
        {"negative price", H "X1,测试,个,,-5,0,,,0,,,,,,\n", {":2: price_fen: "}},
        {"unknown supplier",
         H "X1,测试,个,,100,0,,,1,SUP999,扶贫认定 YR-2025-9999,永仁县,,,\n",
         {":2: supplier_id: unknown supplier SUP999"}},
        {"weighed without PLU", H "X1,散装测试,kg,,100,1,,,0,,,,,,\n",
         {":2: plu: a weighed product (by_weight=1) needs a PLU"}},
        {"PLU duplicate in file", H "X1,散装一,kg,,100,1,20001,,0,,,,,,\nX2,散装二,kg,,100,1,20001,,0,,,,,,\n",
         {":3: plu: PLU 20001 also on line 2"}},
        {"PLU owned in db", H "X1,散装一,kg,,100,1,10001,,0,,,,,,\n",
         {":2: plu: PLU 10001 already belongs to product P0092"}},
        {"PLU leading zero", H "X1,散装一,kg,,100,1,01234,,0,,,,,,\n", {":2: plu: ", "leading zero"}},
        {"cert date malformed",
         H "X1,测试,个,,100,0,,,1,HH001,扶贫认定 YR-2025-9999,永仁县,2025-01-01,2026-13-01,\n",
         {":2: cert_valid_to: \"2026-13-01\" is not a date"}},
        {"cert dates reversed",
         H "X1,测试,个,,100,0,,,1,HH001,扶贫认定 YR-2025-9999,永仁县,2027-01-01,2026-01-01,\n",
         {":2: cert_valid_to: 2026-01-01 is before cert_valid_from"}},
        {"poverty-relief without certificate", H "X1,测试,个,,100,0,,,1,HH001,,,,,\n",
         {":2: cert_no: required", ":2: cert_county: required"}},
        {"certificate without flag", H "X1,测试,个,,100,0,,,0,,扶贫认定 YR-1,永仁县,,,\n",
         {":2: poverty_relief: "}},
        {"duplicate sku", H OK_ROW("X1", "") OK_ROW("X1", ""), {":3: sku: sku X1 also on line 2"}},
        {"missing name", H ",,个,,100,0,,,0,,,,,,\n", {":2: sku: required", ":2: name: required"}},
        {"field count", H "X1,测试,个\n", {":2: row: 3 fields, the header has 15"}},
        {"tare on counted goods", H "X1,测试,个,,100,0,,50,0,,,,,,\n",
         {":2: tare_g: only weighed goods"}},
        {"tax class", H "X1,测试,个,,100,0,,,0,,,,,,vat99\n", {":2: tax_class: "}},
        {"flag not 0/1", H "X1,测试,个,,100,yes,,,0,,,,,,\n", {":2: by_weight: must be 0 or 1"}},
        {"unknown column", "sku,name,unit,price_fen,colour\nX1,测试,个,100,red\n",
         {":1: header: unknown column \"colour\""}},
        {"missing column", "sku,name,unit\nX1,测试,个\n", {":1: header: missing column price_fen"}},
        {"unterminated quote", H "X1,\"测试,个,,100,0,,,0,,,,,,\n", {":2: csv: "}},
        {"empty file", "", {":1: header: empty file"}},
        /* every bad line of a file is reported, good lines or not */
        {"several bad lines",
         H OK_ROW("X1", "6901234567014") "X2,测试,个,6901234567015,100,0,,,0,,,,,,\n"
           OK_ROW("X3", "6901234567021") "X4,测试,个,,1.5,0,,,0,,,,,,\n"
           "X5,测试,个,,100,0,,,1,SUP999,扶贫认定 YR-1,永仁县,,,\n",
         {":3: barcodes: ", ":5: price_fen: ", ":6: supplier_id: unknown supplier SUP999"}},
    };
    const char *path = tmp("bad.csv");
    int64_t products = sql_int("SELECT count(*) FROM products");
    int64_t version = sql_int("SELECT version FROM catalog_meta");
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        write_file(path, cases[i].csv);
        int rc = run("--lang en catalog import '%s'", path);
        const char *err = stderr_text();
        if (rc != 1)
            fail_msg("%s: exit %d, stderr: %s", cases[i].what, rc, err);
        for (int k = 0; k < 4 && cases[i].expect[k]; k++) {
            char want[600];
            /* Every message names the file first: FILE:LINE: column: reason. */
            snprintf(want, sizeof want, "%s%s", cases[i].expect[k][0] == ':' ? path : "",
                     cases[i].expect[k]);
            if (!strstr(err, want))
                fail_msg("%s: stderr lacks '%s':\n%s", cases[i].what, want, err);
        }
        assert_non_null(strstr(err, "nothing written"));
    }
    /* all or nothing: not a single product, barcode or version bump went in */
    assert_int_equal(sql_int("SELECT count(*) FROM products"), products);
    assert_int_equal(sql_int("SELECT version FROM catalog_meta"), version);

    /* --json lists the same errors, one per array element */
    write_file(path, cases[sizeof cases / sizeof cases[0] - 1].csv);
    assert_int_equal(run("--json catalog import '%s'", path), 1);
    json_value *v = parse_out();
    assert_false(json_get(v, "ok")->boolean);
    assert_int_equal(json_get(v, "errors")->n_items, 3);
    json_free(v);
}

/* ---- round trip, re-import, price history, dry run ---- */

static void test_round_trip_and_price_history(void **state)
{
    (void)state;
    const char *a = tmp("a.csv"), *b = tmp("b.csv"), *c = tmp("c.csv");
    assert_int_equal(run("catalog export '%s'", a), 0);
    assert_int_equal(run("--json catalog import '%s'", a), 0);
    json_value *v = parse_out();
    assert_int_equal(json_get_int(v, "unchanged", -1), json_get_int(v, "rows", -2));
    assert_int_equal(json_get_int(v, "added", -1), 0);
    json_free(v);
    assert_int_equal(run("catalog export '%s'", b), 0);
    size_t la, lb;
    char *da = read_all(a, &la), *db = read_all(b, &lb);
    assert_int_equal(la, lb);
    assert_memory_equal(da, db, la);
    free(db);

    /* The demo catalog file itself is a valid import file (one CSV path) and changes nothing. */
    assert_int_equal(run("--json catalog import '%s/demo/products.csv'", FUPIN_ASSETS_DIR), 0);
    v = parse_out();
    assert_int_equal(json_get_int(v, "added", -1), 0);
    assert_int_equal(json_get_int(v, "updated", -1), 0);
    json_free(v);

    /* Change a price, a name and add a barcode and a product: dry run first. */
    char *edited = malloc(la + 4096);
    assert_non_null(edited);
    char *p = strstr(da, "\nP0003,");
    assert_non_null(p);
    char *price = strstr(p, ",880,");
    assert_non_null(price);
    memcpy(edited, da, (size_t)(price - da));
    size_t n = (size_t)(price - da);
    n += (size_t)snprintf(edited + n, la + 4096 - n, ",990,");
    strcpy(edited + n, price + 5);
    n += strlen(edited + n);
    snprintf(edited + n, la + 4096 - n, "%s", "N0001,核桃酥 250g,Walnut cookies,盒,6901234567014|96385074,1650,0,,,,,std,零食,1,0,,,,,\n");
    write_file(c, edited);
    free(edited);
    int64_t changes = sql_int("SELECT version FROM catalog_meta");
    assert_int_equal(run("--json catalog import '%s' --dry-run", c), 0);
    v = parse_out();
    assert_true(json_get(v, "dry_run")->boolean);
    assert_int_equal(json_get_int(v, "added", -1), 1);
    assert_int_equal(json_get_int(v, "updated", -1), 1);
    assert_int_equal(json_get_int(v, "price_changes", -1), 1);
    const json_value *list = json_get(v, "changes");
    assert_int_equal(list->n_items, 2);
    bool saw_price = false;
    for (size_t i = 0; i < list->n_items; i++)
        saw_price = saw_price || strstr(json_at(list, i)->string, "P0003: price 880 -> 990 fen");
    assert_true(saw_price);
    json_free(v);
    /* the dry run wrote nothing */
    assert_int_equal(sql_int("SELECT version FROM catalog_meta"), changes);
    assert_int_equal(sql_int("SELECT price_fen FROM products WHERE sku = 'P0003'"), 880);
    assert_int_equal(sql_int("SELECT count(*) FROM products WHERE sku = 'N0001'"), 0);
    assert_int_equal(sql_int("SELECT count(*) FROM price_history"), 0);

    assert_int_equal(run("catalog import '%s' --at 2026-10-16T08:00:00+08:00", c), 0);
    assert_int_equal(sql_int("SELECT price_fen FROM products WHERE sku = 'P0003'"), 990);
    assert_int_equal(sql_int("SELECT count(*) FROM price_history WHERE sku = 'P0003' AND "
                             "old_price_fen = 880 AND new_price_fen = 990 AND "
                             "changed_utc = 1792108800 AND source = 'import:c.csv'"),
                     1);
    assert_int_equal(sql_int("SELECT count(*) FROM barcodes WHERE sku = 'N0001'"), 2);
    /* an EAN-8 is stored as its GTIN-13 */
    assert_int_equal(sql_int("SELECT count(*) FROM barcodes WHERE gtin13 = '0000096385074'"), 1);
    /* a re-import of the same file changes nothing more */
    assert_int_equal(run("catalog import '%s'", c), 0);
    assert_int_equal(sql_int("SELECT count(*) FROM price_history"), 1);
    /* and the edited catalog round-trips too */
    assert_int_equal(run("catalog export '%s'", a), 0);
    assert_int_equal(run("catalog import '%s'", a), 0);
    assert_int_equal(run("catalog export '%s'", b), 0);
    free(da);
    da = read_all(a, &la);
    db = read_all(b, &lb);
    assert_int_equal(la, lb);
    assert_memory_equal(da, db, la);
    free(da);
    free(db);
    /* price_history is append-only */
    sqlite3 *raw;
    assert_int_equal(sqlite3_open(db_path, &raw), SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(raw, "DELETE FROM price_history", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(raw);
}

/* ---- encodings ---- */

static void test_encodings(void **state)
{
    (void)state;
    const char *utf8 = tmp("gb-src.csv"), *gb = tmp("gb.csv"), *bom = tmp("bom.csv");
    write_file(utf8, "sku,name,unit,barcodes,price_fen,category\n"
                     "N0001,核桃酥 250g,盒,6901234567014,1650,零食\n"
                     "N0002,苦荞茶 (罐装),罐,,2800,饮料\n");
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "iconv -f UTF-8 -t GB18030 '%s' > '%s'", utf8, gb);
    assert_int_equal(system(cmd), 0);
    /* the bytes really differ (GB18030 Chinese is not valid UTF-8) */
    size_t l1, l2;
    char *x = read_all(utf8, &l1), *y = read_all(gb, &l2);
    assert_int_not_equal(l1, l2);
    free(x);
    free(y);

    /* forcing UTF-8 on it is refused, naming the line */
    assert_int_equal(run("--lang en catalog import '%s' --encoding utf-8", gb), 1);
    char want[700];
    snprintf(want, sizeof want, "%s:2: file: not valid UTF-8", gb);
    assert_non_null(strstr(stderr_text(), want));
    assert_int_equal(run("catalog import '%s' --encoding latin1", gb), 2);

    assert_int_equal(run("--json catalog import '%s'", gb), 0);
    json_value *v = parse_out();
    assert_string_equal(json_get_string(v, "encoding"), "gb18030");
    assert_int_equal(json_get_int(v, "added", -1), 2);
    json_free(v);
    assert_int_equal(sql_int("SELECT count(*) FROM products WHERE sku = 'N0001' AND "
                             "name = '核桃酥 250g' AND pinyin = 'hts250g'"),
                     1);
    /* forced gb18030 gives the same result */
    assert_int_equal(run("--json catalog import '%s' --encoding gb18030", gb), 0);
    v = parse_out();
    assert_int_equal(json_get_int(v, "unchanged", -1), 2);
    json_free(v);

    /* UTF-8 with a byte order mark (what Excel writes as "CSV UTF-8") */
    char text[512];
    snprintf(text, sizeof text, "\xef\xbb\xbfsku,name,unit,price_fen\nN0003,荞麦饼 6个,袋,1200\n");
    write_file(bom, text);
    assert_int_equal(run("--json catalog import '%s'", bom), 0);
    v = parse_out();
    assert_true(json_get(v, "bom")->boolean);
    assert_string_equal(json_get_string(v, "encoding"), "utf-8");
    json_free(v);
    assert_int_equal(sql_int("SELECT count(*) FROM products WHERE sku = 'N0003'"), 1);
}

/* ---- search ---- */

static void find_first(const char *text, const char *sku)
{
    int rc = run("--json catalog find '%s'", text);
    if (rc != 0)
        fail_msg("find %s: exit %d: %s", text, rc, stderr_text());
    json_value *v = parse_out();
    const json_value *r = json_get(v, "results");
    assert_true(r->n_items > 0);
    bool found = false;
    for (size_t i = 0; i < r->n_items; i++)
        found = found || strcmp(json_get_string(json_at(r, i), "sku"), sku) == 0;
    if (!found)
        fail_msg("find %s: %s not among the results: %s", text, sku, out);
    json_free(v);
}

static void test_find(void **state)
{
    (void)state;
    find_first("石榴汁", "P0003");         /* name substring */
    find_first("htr", "P0006");            /* pinyin initials: 核桃仁 */
    find_first("HTR", "P0007");
    find_first("6953822000175", "P0004");  /* barcode */
    find_first("695382200", "P0005");      /* barcode prefix */
    find_first("10004", "P0095");          /* PLU */
    find_first("p0095", "P0095");          /* SKU, any case */
    find_first("porcini", "P0017");        /* English name */
    /* exact code first */
    assert_int_equal(run("--json catalog find 10004"), 0);
    json_value *v = parse_out();
    assert_string_equal(json_get_string(json_at(json_get(v, "results"), 0), "sku"), "P0095");
    json_free(v);
    /* a lapsed certificate still finds the product, and says it no longer counts */
    assert_int_equal(run("--json catalog find 蜂蛹 --at 2026-07-01T09:00:00+08:00"), 0);
    v = parse_out();
    const json_value *r = json_at(json_get(v, "results"), 0);
    assert_string_equal(json_get_string(r, "sku"), "P0041");
    assert_true(json_get(r, "poverty_relief")->boolean);
    assert_false(json_get(r, "poverty_relief_today")->boolean);
    json_free(v);
    assert_int_equal(run("--json catalog find 蜂蛹 --at 2026-06-30T09:00:00+08:00"), 0);
    v = parse_out();
    assert_true(json_get(json_at(json_get(v, "results"), 0), "poverty_relief_today")->boolean);
    json_free(v);
    assert_int_equal(run("catalog find zzzzqqq"), 1);
    assert_int_equal(run("catalog find"), 2);
    /* an import is seen by the next search (the index follows catalog_meta.version) */
    const char *f = tmp("new.csv");
    write_file(f, "sku,name,unit,price_fen\nN0009,核桃酥 礼盒,盒,3900\n");
    assert_int_equal(run("catalog import '%s'", f), 0);
    find_first("hts", "N0009");
}

/* ---- stock ---- */

static void test_stock(void **state)
{
    (void)state;
    const char *r = tmp("receipt.csv");
    write_file(r, "supplier_id,sku,qty,grams,cost_fen,batch,harvest_date,note\n"
                  "HH001,P0039,20,,30000,B-1001,2026-10-01,土鸡蛋 20 盒\n"
                  "HH005,P0095,,5000,60000,JZ-0715,2026-07-15,\n");
    assert_int_equal(run("stock receive '%s' --at 2026-10-16T09:00:00+08:00", r), 0);
    /* the same receipt twice would double the stock: refused */
    assert_int_equal(run("--lang en stock receive '%s'", r), 1);
    assert_non_null(strstr(stderr_text(), "already received"));
    assert_int_equal(sql_int("SELECT count(*) FROM stock_moves WHERE kind = 'receive'"), 2);

    /* sale: counted goods move units, weighed goods move (net) grams */
    assert_int_equal(run("--json sell 6989366000173*3 10004@250 --tender cash:20000 "
                         "--at 2026-10-16T10:30:00+08:00"),
                     0);
    json_value *v = parse_out();
    char uuid[64];
    snprintf(uuid, sizeof uuid, "%s", json_get_string(v, "uuid"));
    int64_t net = json_get_int(json_at(json_get(v, "lines"), 1), "grams", -1);
    json_free(v);
    assert_int_equal(sql_int("SELECT count(*) FROM stock_moves WHERE ref = '%s' AND kind = 'sale'", uuid), 2);
    assert_int_equal(run("--json stock show P0039"), 0);
    v = parse_out();
    assert_int_equal(json_get_int(v, "qty", 0), 17);
    assert_false(json_get(v, "negative")->boolean);
    assert_int_equal(json_get(v, "recent_moves")->n_items, 2);
    assert_string_equal(json_get_string(json_at(json_get(v, "recent_moves"), 0), "kind"), "sale");
    json_free(v);
    assert_int_equal(run("--json stock show P0095"), 0);
    v = parse_out();
    assert_int_equal(json_get_int(v, "grams", 0), 5000 - net);
    json_free(v);
    /* the journal is append-only: corrections are new moves */
    sqlite3 *raw;
    assert_int_equal(sqlite3_open(db_path, &raw), SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(raw, "UPDATE stock_moves SET qty = 0", NULL, NULL, NULL),
                         SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(raw, "DELETE FROM stock_moves", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(raw);

    /* negative stock: sold without a receipt -- the sale goes through and is flagged */
    assert_int_equal(run("sell 6957212000172*2 --tender cash:20000 --at 2026-10-16T11:00:00+08:00"), 0);
    assert_int_equal(run("--json stock show"), 0);
    v = parse_out();
    assert_int_equal(json_get_int(v, "negative", 0), 1);
    const json_value *levels = json_get(v, "levels");
    bool flagged = false;
    for (size_t i = 0; i < levels->n_items; i++) {
        const json_value *l = json_at(levels, i);
        if (strcmp(json_get_string(l, "sku"), "P0011") == 0)
            flagged = json_get(l, "negative")->boolean && json_get_int(l, "qty", 0) == -2;
    }
    assert_true(flagged);
    json_free(v);
    assert_int_equal(run("--lang en stock show"), 0);
    assert_non_null(strstr(out, "NEGATIVE"));
    /* a known product that never moved has level 0; an unknown one is refused */
    assert_int_equal(run("--json stock show P0001"), 0);
    v = parse_out();
    assert_int_equal(json_get_int(v, "qty", -1), 0);
    json_free(v);
    assert_int_equal(run("stock show NOPE"), 1);

    /* receipt rejections: FILE:LINE: column: reason, all of them, nothing written */
    write_file(r, "supplier_id,sku,qty,grams,cost_fen,batch,harvest_date\n"
                  "HH999,P0039,5,,100,,\n"
                  "HH001,P0095,5,,100,,\n"
                  "HH001,P0039,,,100,,\n"
                  "HH001,NOPE,1,,100,,\n"
                  "HH001,P0039,1,,1.00,,2026-02-30\n");
    assert_int_equal(run("--lang en stock receive '%s'", r), 1);
    const char *err = stderr_text();
    static const char *const want[] = {
        ":2: supplier_id: unknown supplier HH999", ":3: qty: P0095 is sold by weight",
        ":4: qty: give either qty", ":5: sku: unknown product NOPE", ":6: cost_fen: ",
        ":6: harvest_date: "};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        char w[700];
        snprintf(w, sizeof w, "%s%s", r, want[i]);
        if (!strstr(err, w))
            fail_msg("stderr lacks '%s':\n%s", w, err);
    }
    assert_int_equal(sql_int("SELECT count(*) FROM stock_moves WHERE kind = 'receive'"), 2);
}

/* ---- reports: a household's total is the sum of its sale lines ---- */

static void test_reports(void **state)
{
    (void)state;
    /* HH001 土鸡蛋 (counted and weighed), HH007 核桃仁, HH005 鲜鸡枞 (weighed), a firm's rice,
     * and HH014's 油炸蜂蛹 after its certificate lapsed (2026-06-30): not poverty-relief. */
    static const char *const sales[] = {
        "6989366000173*2 10006@1234 6967191000179 --tender cash:20000 --at 2026-10-16T09:00:00+08:00",
        "6989366000173 10004@333 6903085000177 --tender cash:20000 --at 2026-10-16T12:00:00+08:00",
        "6967191000179*3 6945949000176 --tender cash:20000 --at 2026-10-17T10:00:00+08:00",
        "6945949000176 --tender cash:10000 --at 2026-06-30T10:00:00+08:00",
    };
    for (size_t i = 0; i < sizeof sales / sizeof sales[0]; i++)
        if (run("sell %s", sales[i]) != 0)
            fail_msg("sell %s: %s", sales[i], stderr_text());

    assert_int_equal(run("--json report sales --by household"), 0);
    json_value *v = parse_out();
    const json_value *rows = json_get(v, "rows");
    assert_true(rows->n_items >= 3);
    int64_t sum = 0;
    for (size_t i = 0; i < rows->n_items; i++) {
        const json_value *r = json_at(rows, i);
        const char *hid = json_get_string(r, "household_id");
        int64_t lines = sql_int("SELECT coalesce(sum(l.amount_fen - l.discount_fen), 0) "
                                "FROM sale_lines l JOIN suppliers s ON s.id = l.supplier_id "
                                "WHERE s.household_id = '%s' AND l.poverty_relief = 1",
                                hid);
        assert_int_equal(json_get_int(r, "amount_fen", -1), lines);
        assert_true(lines > 0);
        sum += lines;
    }
    assert_int_equal(json_get_int(v, "total_fen", -1), sum);
    json_free(v);
    /* HH014: only the sale of 2026-06-30 counts; the one after the lapse does not */
    assert_int_equal(sql_int("SELECT count(*) FROM sale_lines WHERE supplier_id = 'HH014' AND "
                             "poverty_relief = 0"),
                     1);

    /* by supplier: the firm's rice (not poverty-relief) is not there; the total is every
     * poverty-relief line */
    assert_int_equal(run("--json report sales --by supplier"), 0);
    v = parse_out();
    assert_int_equal(json_get_int(v, "total_fen", -1),
                     sql_int("SELECT sum(amount_fen - discount_fen) FROM sale_lines "
                             "WHERE poverty_relief = 1"));
    rows = json_get(v, "rows");
    for (size_t i = 0; i < rows->n_items; i++)
        assert_string_not_equal(json_get_string(json_at(rows, i), "supplier_id"), "SUP101");
    json_free(v);

    /* by day, with a range */
    assert_int_equal(run("--json report sales --by day --from 2026-10-16 --to 2026-10-16"), 0);
    v = parse_out();
    rows = json_get(v, "rows");
    assert_int_equal(rows->n_items, 1);
    assert_string_equal(json_get_string(json_at(rows, 0), "day"), "2026-10-16");
    json_free(v);
    assert_int_equal(run("--json report sales --by village"), 0);
    v = parse_out();
    assert_true(json_get(v, "rows")->n_items >= 3);
    json_free(v);
    assert_int_equal(run("report sales --by colour"), 2);
    assert_int_equal(run("report sales --by day --from 2026-1-1"), 2);

    /* agreements: sold = the household's poverty-relief lines in the year */
    assert_int_equal(run("--json report agreements --year 2026"), 0);
    v = parse_out();
    const json_value *ag = json_get(v, "agreements");
    assert_true(ag->n_items >= 5);
    bool saw = false;
    for (size_t i = 0; i < ag->n_items; i++) {
        const json_value *a = json_at(ag, i);
        if (strcmp(json_get_string(a, "supplier_id"), "HH001") != 0)
            continue;
        saw = true;
        assert_int_equal(json_get_int(a, "sold_fen", -1),
                         sql_int("SELECT sum(amount_fen - discount_fen) FROM sale_lines "
                                 "WHERE supplier_id = 'HH001' AND poverty_relief = 1"));
        assert_int_equal(json_get_int(a, "agreed_fen", -1), 1200000);
    }
    assert_true(saw);
    json_free(v);
    assert_int_equal(run("--json report agreements --year 2031"), 0);
    v = parse_out();
    assert_int_equal(json_get(v, "agreements")->n_items, 0);
    json_free(v);
}

/* ---- goods received: one delivery is booked once ---- */

/* The same delivery renamed, re-saved with CRLF, re-encoded as GB18030 or with its rows
 * re-ordered and re-spaced is refused; a file with delivery notes is identified by
 * (supplier, note) instead, so a second identical delivery is booked when its note differs. */
static void test_receive_same_delivery_once(void **state)
{
    (void)state;
    const char *a = tmp("delivery.csv"), *b = tmp("renamed.csv"), *crlf = tmp("crlf.csv"),
               *gb = tmp("gb.csv"), *shuffled = tmp("shuffled.csv");
    int64_t eggs = sql_int("SELECT coalesce(sum(qty), 0) FROM stock_moves WHERE sku = 'P0039'");
    write_file(a, "supplier_id,sku,qty,grams,cost_fen,batch,harvest_date,note\n"
                  "HH001,P0039,20,,30000,B-2001,2026-10-01,土鸡蛋 20 盒\n"
                  "HH005,P0095,,5000,60000,JZ-0716,2026-07-15,\n");
    assert_int_equal(run("stock receive '%s'", a), 0);
    write_file(b, "supplier_id,sku,qty,grams,cost_fen,batch,harvest_date,note\n"
                  "HH001,P0039,20,,30000,B-2001,2026-10-01,土鸡蛋 20 盒\n"
                  "HH005,P0095,,5000,60000,JZ-0716,2026-07-15,\n");
    write_file(crlf, "supplier_id,sku,qty,grams,cost_fen,batch,harvest_date,note\r\n"
                     "HH001,P0039,20,,30000,B-2001,2026-10-01,土鸡蛋 20 盒\r\n"
                     "HH005,P0095,,5000,60000,JZ-0716,2026-07-15,\r\n");
    char cmd[1400];
    snprintf(cmd, sizeof cmd, "iconv -f UTF-8 -t GB18030 '%s' > '%s'", a, gb);
    assert_int_equal(system(cmd), 0);
    write_file(shuffled, "supplier_id, sku, qty, grams, cost_fen, batch, harvest_date, note\n"
                         " HH005 ,P0095,,5000,60000,JZ-0716,2026-07-15,\n"
                         "HH001,P0039, 20,,30000 ,B-2001,2026-10-01, 土鸡蛋 20 盒\n");
    const char *again[] = {a, b, crlf, gb, shuffled};
    for (size_t i = 0; i < sizeof again / sizeof again[0]; i++) {
        if (run("--lang en stock receive '%s'", again[i]) != 1 ||
            !strstr(stderr_text(), "already received"))
            fail_msg("%s booked again: %s", again[i], stderr_text());
    }
    assert_int_equal(sql_int("SELECT coalesce(sum(qty), 0) FROM stock_moves WHERE sku = 'P0039'"),
                     eggs + 20);

    /* With delivery notes: the note identifies the delivery per supplier. */
    const char *n1 = tmp("note1.csv"), *n2 = tmp("note2.csv"), *n1b = tmp("note1b.csv");
    write_file(n1, "supplier_id,sku,qty,cost_fen,delivery_note\nHH001,P0039,20,30000,DN-0042\n");
    write_file(n2, "supplier_id,sku,qty,cost_fen,delivery_note\nHH001,P0039,20,30000,DN-0043\n");
    write_file(n1b, "supplier_id,sku,qty,cost_fen,delivery_note\nHH001,P0039,25,37500,DN-0042\n");
    assert_int_equal(run("stock receive '%s'", n1), 0);
    assert_int_equal(run("stock receive '%s'", n2), 0);   /* same goods, another delivery */
    assert_int_equal(run("--lang en stock receive '%s'", n1b), 1);
    if (!strstr(stderr_text(), "DN-0042") || !strstr(stderr_text(), "already received"))
        fail_msg("%s", stderr_text());
    /* every line of a delivery-note file names its note */
    write_file(n1b, "supplier_id,sku,qty,cost_fen,delivery_note\nHH001,P0039,25,37500,\n");
    assert_int_equal(run("--lang en stock receive '%s'", n1b), 1);
    if (!strstr(stderr_text(), ":2: delivery_note: required"))
        fail_msg("%s", stderr_text());
    assert_int_equal(sql_int("SELECT coalesce(sum(qty), 0) FROM stock_moves WHERE sku = 'P0039'"),
                     eggs + 60);
}

/* ---- money bounds: one range for prices and costs, the one a sale accepts ---- */

/* A price the till would refuse to sell is refused by the import; a cost no bottle has is
 * refused by the receipt (it would become the cost of every gift after it).  The largest
 * accepted price is sellable. */
static void test_money_bounds(void **state)
{
    (void)state;
    const char *c = tmp("prices.csv"), *r = tmp("costly.csv");
    write_file(c, H "X1,测试,个,,100000001,0,,,0,,,,,,\n");
    assert_int_equal(run("--lang en catalog import '%s'", c), 1);
    if (!strstr(stderr_text(), ":2: price_fen: "))
        fail_msg("%s", stderr_text());
    write_file(c, H "X1,测试,个,6901234567014,100000000,0,,,0,,,,,,\n");
    assert_int_equal(run("catalog import '%s'", c), 0);
    assert_int_equal(run("sell 6901234567014 --tender cash:100000000 "
                         "--at 2026-10-16T10:30:00+08:00"), 0);
    write_file(r, "supplier_id,sku,qty,cost_fen\nHH001,P0039,1,10000000000000\n");
    assert_int_equal(run("--lang en stock receive '%s'", r), 1);
    if (!strstr(stderr_text(), ":2: cost_fen: "))
        fail_msg("%s", stderr_text());
    write_file(r, "supplier_id,sku,qty,cost_fen\nHH001,P0039,1,100000001\n");
    assert_int_equal(run("--lang en stock receive '%s'", r), 1);
    /* weighed goods: the bound is per kg (¥1,000,000.01 for 1,000 g is over it) */
    write_file(r, "supplier_id,sku,grams,cost_fen\nHH005,P0095,1000,100000001\n");
    assert_int_equal(run("--lang en stock receive '%s'", r), 1);
    if (!strstr(stderr_text(), ":2: cost_fen: ") || !strstr(stderr_text(), "a kg"))
        fail_msg("%s", stderr_text());
    write_file(r, "supplier_id,sku,grams,cost_fen\nHH005,P0095,1000,100000000\n");
    assert_int_equal(run("--lang en stock receive '%s'", r), 0);
    assert_int_equal(sql_int("SELECT count(*) FROM stock_moves WHERE cost_fen > 100000000"), 0);
    assert_int_equal(sql_int("SELECT count(*) FROM stock_moves WHERE cost_fen = 100000000"), 1);
}

/* ---- a disk that takes no more bytes ---- */

/* Opening the database needs its -wal and -shm files to grow; with a file-size limit of 0 (the
 * way a test can make "the disk is full" without root) every command must say so -- the
 * operating system's reason -- on stderr, not a bare "disk I/O error". */
static void test_open_on_full_disk_names_the_cause(void **state)
{
    (void)state;
    char cmd[2400];
    snprintf(cmd, sizeof cmd,
             "bash -c \"ulimit -f 0; trap '' XFSZ; exec '%s' --db '%s' --lang en stock show P0001\" "
             "2>&1",
             FUPIN_BIN, db_path);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t n = fread(out, 1, sizeof out - 1, p);
    out[n] = '\0';
    int st = pclose(p);
    assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 1);
    if (!strstr(out, db_path) || !strstr(out, "File too large"))
        fail_msg("the message does not name the cause: %s", out);
}

/* ---- outside files that are not files ---- */

static void on_alarm(int sig)
{
    (void)sig;
    static const char m[] = "a command blocked on a FIFO given as its input file\n";
    (void)!write(2, m, sizeof m - 1);
    _exit(1);
}

/* A FIFO (with a writer that never writes) given to every command that reads an outside file:
 * each refuses it at once, naming the file and why, instead of waiting forever. */
static void test_fifo_refused(void **state)
{
    (void)state;
    const char *fifo = tmp("pipe.csv");
    assert_int_equal(mkfifo(fifo, 0600), 0);
    int keep = open(fifo, O_RDWR | O_NONBLOCK | O_CLOEXEC);   /* not inherited by the child */
    assert_true(keep >= 0);
    signal(SIGALRM, on_alarm);
    alarm(20);
    static const char *const cmds[] = {"catalog import", "stock receive", "promo import"};
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
        assert_int_equal(run("%s '%s'", cmds[i], fifo), 1);
        const char *err = stderr_text();
        if (!strstr(err, fifo) || !strstr(err, "not a regular file"))
            fail_msg("%s: %s", cmds[i], err);
    }
    alarm(0);
    close(keep);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_import_rejections, setup, teardown),
        cmocka_unit_test_setup_teardown(test_round_trip_and_price_history, setup, teardown),
        cmocka_unit_test_setup_teardown(test_encodings, setup, teardown),
        cmocka_unit_test_setup_teardown(test_find, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stock, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reports, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fifo_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_open_on_full_disk_names_the_cause, setup, teardown),
        cmocka_unit_test_setup_teardown(test_money_bounds, setup, teardown),
        cmocka_unit_test_setup_teardown(test_receive_same_delivery_once, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
