/* search: search_products, the search-as-you-type behind `catalog find` and the sale
 * screen's search pane.
 *
 * Why an in-memory index and not SQL: the query is a substring of a name or of the pinyin
 * initials, which no B-tree index serves (LIKE '%x%' scans), and FTS5's tokenizers do not
 * split Chinese names into searchable substrings without a custom tokenizer.  A scan of 50,000
 * short, pre-lower-cased strings in one contiguous arena is a few milliseconds; the same scan
 * through SQLite (row decoding, LIKE per row) is several times slower (bench/REPORT.md).
 *
 * The index belongs to one store handle (handles are never shared between threads), is built
 * on the first search and rebuilt when catalog_meta.version -- bumped by triggers on any change
 * to products or barcodes, from any connection -- differs from the version it was built from.
 * A sale does not touch it, so the UI thread's index survives the commit worker's writes. */
#include "db/search.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/products.h"
#include "db/products_internal.h"

#define QUERY_CAP 128

typedef struct {
    uint32_t sku, name, name_en, pinyin, plu, codes;   /* offsets into the arena, lower-cased */
    uint32_t key;                                      /* the sku as stored, to fetch the row */
} entry;

typedef struct search_index search_index;
struct search_index {
    int64_t version;
    entry *e;
    size_t n, cap;
    char *arena;
    size_t len, arena_cap;
};

/* Kept prepared on the handle (store_cached): one version read per keystroke, a screenful of
 * fetches per search. */
static const char SQL_VERSION[] = "SELECT version FROM catalog_meta WHERE id = 1";
static const char SQL_FETCH[] =
    "SELECT " PRODUCTS_COLS ", " PRODUCTS_MAIN_GTIN " FROM products p WHERE p.sku = ?1";

static void search_index_free(void *p)
{
    search_index *ix = p;
    if (!ix)
        return;
    free(ix->e);
    free(ix->arena);
    free(ix);
}

static void lower_ascii(char *s)
{
    for (; *s; s++)
        if (*s >= 'A' && *s <= 'Z')
            *s = (char)(*s - 'A' + 'a');
}

/* Append text (lower-cased unless raw) to the arena; returns its offset or UINT32_MAX when out
 * of memory. */
static uint32_t put(search_index *ix, const char *text, size_t n, bool raw)
{
    if (ix->len + n + 1 > ix->arena_cap) {
        size_t nc = ix->arena_cap ? ix->arena_cap * 2 : 1 << 20;
        while (nc < ix->len + n + 1)
            nc *= 2;
        if (nc > UINT32_MAX)
            return UINT32_MAX;
        char *na = realloc(ix->arena, nc);
        if (!na)
            return UINT32_MAX;
        ix->arena = na;
        ix->arena_cap = nc;
    }
    uint32_t off = (uint32_t)ix->len;
    memcpy(ix->arena + off, text, n);
    ix->arena[off + n] = '\0';
    if (!raw)
        lower_ascii(ix->arena + off);
    ix->len += n + 1;
    return off;
}

static store_err read_version(store *s, int64_t *v)
{
    sqlite3_stmt *st = NULL;
    store_err e = store_cached(s, SQL_VERSION, &st);
    if (e)
        return e;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *v = sqlite3_column_int64(st, 0);
        e = STORE_OK;
    } else {
        e = rc == SQLITE_DONE ? store_failf(s, STORE_ERR_CORRUPT, "catalog_meta is empty")
                              : store_fail(s, rc);
    }
    sqlite3_reset(st);   /* do not hold a read transaction open between searches */
    return e;
}

static store_err rebuild(store *s, search_index *ix, int64_t version)
{
    sqlite3_stmt *st = NULL;
    /* Barcodes as "|code|code|" so a prefix is a search for "|prefix" and an exact code for
     * "|code|".  Version and rows are read in one read transaction, so they agree. */
    /* EAN-8 and UPC-A codes are stored as GTIN-13 with leading zeros; their printed form
     * (zeros stripped) is listed too, so typing what is under the bars finds them. */
    store_err e = store_prepare(s,
                                "SELECT p.sku, p.name, p.name_en, p.pinyin, coalesce(p.plu, ''), "
                                "coalesce('|' || (SELECT group_concat(CASE WHEN gtin13 GLOB '0*' "
                                "THEN gtin13 || '|' || ltrim(gtin13, '0') ELSE gtin13 END, '|') "
                                "FROM barcodes b WHERE b.sku = p.sku) || '|', '') "
                                "FROM products p WHERE p.active = 1 ORDER BY p.sku",
                                &st);
    if (e)
        return e;
    ix->n = 0;
    ix->len = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (ix->n == ix->cap) {
            size_t nc = ix->cap ? ix->cap * 2 : 4096;
            entry *ne = realloc(ix->e, nc * sizeof *ne);
            if (!ne)
                goto oom;
            ix->e = ne;
            ix->cap = nc;
        }
        entry *en = &ix->e[ix->n];
        uint32_t *slot[] = {&en->sku, &en->name, &en->name_en, &en->pinyin, &en->plu, &en->codes};
        for (int c = 0; c < 6; c++) {
            const char *t = (const char *)sqlite3_column_text(st, c);
            *slot[c] = put(ix, t ? t : "", t ? (size_t)sqlite3_column_bytes(st, c) : 0, false);
            if (*slot[c] == UINT32_MAX)
                goto oom;
        }
        const char *key = (const char *)sqlite3_column_text(st, 0);
        if ((en->key = put(ix, key ? key : "", key ? (size_t)sqlite3_column_bytes(st, 0) : 0,
                           true)) == UINT32_MAX)
            goto oom;
        ix->n++;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        ix->version = -1;
        return store_fail(s, rc);
    }
    ix->version = version;
    return STORE_OK;
oom:
    sqlite3_finalize(st);
    ix->version = -1;
    ix->n = 0;
    return store_failf(s, STORE_ERR_INTERNAL, "out of memory building the search index");
}

/* Normalise the typed text: trim, lower-case ASCII; `compact` also drops blanks (pinyin
 * initials have none: "h t s" or "HTS" both find 核桃酥). */
static bool normalise(const char *text, char *q, char *compact)
{
    while (*text == ' ' || *text == '\t')
        text++;
    size_t n = strlen(text);
    while (n > 0 && (text[n - 1] == ' ' || text[n - 1] == '\t' || text[n - 1] == '\r' ||
                     text[n - 1] == '\n'))
        n--;
    if (n == 0 || n >= QUERY_CAP)
        return false;
    memcpy(q, text, n);
    q[n] = '\0';
    lower_ascii(q);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (q[i] != ' ' && q[i] != '\t')
            compact[k++] = q[i];
    compact[k] = '\0';
    return k > 0;
}

static bool starts_with(const char *s, const char *prefix, size_t plen)
{
    return strncmp(s, prefix, plen) == 0;
}

store_err search_products(store *s, const char *text, product *out, size_t cap,
                          size_t *n_out)
{
    if (!s || !n_out || (cap > 0 && !out))
        return STORE_ERR_INVALID;
    *n_out = 0;
    char q[QUERY_CAP], compact[QUERY_CAP], bar[QUERY_CAP + 2], bar_exact[QUERY_CAP + 3];
    if (!text || cap == 0 || !normalise(text, q, compact))
        return STORE_OK;
    size_t clen = strlen(compact);
    snprintf(bar, sizeof bar, "|%s", compact);
    snprintf(bar_exact, sizeof bar_exact, "|%s|", compact);

    search_index **slot = (search_index **)store_feature_slot(s, search_index_free);
    if (!*slot && !(*slot = calloc(1, sizeof **slot)))
        return store_failf(s, STORE_ERR_INTERNAL, "out of memory");
    search_index *ix = *slot;
    int64_t version = 0;
    store_err e = read_version(s, &version);
    if (e)
        return e;
    if (version != ix->version && (e = rebuild(s, ix, version)))
        return e;

    /* Three rank buckets, each kept in sku order (the index is sorted by sku):
     *   0: exact SKU, PLU or barcode;  1: pinyin-initials, SKU or barcode prefix;
     *   2: substring of the name, English name or initials.
     * Once the better buckets hold cap results, the worse checks are skipped: typing more
     * letters gets cheaper, not dearer. */
    size_t *bucket[3] = {0};
    size_t nb[3] = {0, 0, 0};
    for (int r = 0; r < 3; r++)
        if (!(bucket[r] = malloc(cap * sizeof(size_t)))) {
            e = store_failf(s, STORE_ERR_INTERNAL, "out of memory");
            goto done;
        }
    const char *A = ix->arena;
    for (size_t i = 0; i < ix->n; i++) {
        const entry *en = &ix->e[i];
        if (nb[0] >= cap)
            break;
        int rank = -1;
        if (strcmp(A + en->sku, compact) == 0 || strcmp(A + en->plu, compact) == 0 ||
            (A[en->codes] && strstr(A + en->codes, bar_exact)))
            rank = 0;
        else if (nb[0] + nb[1] < cap &&
                 (starts_with(A + en->pinyin, compact, clen) ||
                  starts_with(A + en->sku, compact, clen) ||
                  (A[en->codes] && strstr(A + en->codes, bar))))
            rank = 1;
        else if (nb[0] + nb[1] + nb[2] < cap &&
                 (strstr(A + en->name, q) || strstr(A + en->pinyin, compact) ||
                  (A[en->name_en] && strstr(A + en->name_en, q))))
            rank = 2;
        if (rank >= 0 && nb[rank] < cap)
            bucket[rank][nb[rank]++] = i;
    }

    sqlite3_stmt *fetch = NULL;
    if ((e = store_cached(s, SQL_FETCH, &fetch)))
        goto done;
    for (int r = 0; r < 3 && *n_out < cap; r++)
        for (size_t k = 0; k < nb[r] && *n_out < cap; k++) {
            /* A handful of indexed reads (cap is a screenful): cheaper than keeping 50,000
             * full product records in memory. */
            const entry *en = &ix->e[bucket[r][k]];
            sqlite3_bind_text(fetch, 1, A + en->key, -1, SQLITE_STATIC);
            int rc = sqlite3_step(fetch);
            if (rc == SQLITE_ROW)
                products_read_row(fetch, 0, &out[(*n_out)++]);
            else if (rc != SQLITE_DONE)
                e = store_fail(s, rc);
            sqlite3_reset(fetch);
            if (e)
                goto done;
        }
done:
    for (int r = 0; r < 3; r++)
        free(bucket[r]);
    return e;
}
