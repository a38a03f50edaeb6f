/* catalog_export: writing the catalog back as a CSV file in the import format (UTF-8, no BOM,
 * LF, ordered by sku), through PATH.tmp renamed over PATH so a failed export never leaves half
 * a file.  See catalog.h and docs/CATALOG.md. */
#include "db/catalog.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db/catalog_internal.h"

static void csv_put(FILE *f, const char *v, bool last)
{
    /* Quote only when needed, so a plain file stays plain (and diffs stay readable). */
    if (strpbrk(v, ",\"\r\n")) {
        fputc('"', f);
        for (const char *p = v; *p; p++) {
            if (*p == '"')
                fputc('"', f);
            fputc(*p, f);
        }
        fputc('"', f);
    } else {
        fputs(v, f);
    }
    fputc(last ? '\n' : ',', f);
}

static void csv_put_int(FILE *f, int64_t v, bool blank_zero)
{
    char buf[24] = "";
    if (v || !blank_zero)
        snprintf(buf, sizeof buf, "%lld", (long long)v);
    csv_put(f, buf, false);
}

store_err catalog_export_file(store *s, const char *path, size_t *n_rows, char *msg, size_t cap)
{
    char tmp[4096];
    sqlite3_stmt *st = NULL;
    FILE *f = NULL;
    store_err e = STORE_OK;
    size_t n = 0;
    catalog_item *it = malloc(sizeof *it);
    if (msg && cap)
        msg[0] = '\0';
    if (!it) {
        snprintf(msg, cap, "out of memory");
        return STORE_ERR_INTERNAL;
    }
    if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp) {
        snprintf(msg, cap, "%s: path too long", path);
        free(it);
        return STORE_ERR_INVALID;
    }
    if ((e = store_prepare(s, ITEM_SQL "ORDER BY p.sku", &st))) {
        store_copy_error(s, msg, cap);
        free(it);
        return e;
    }
    /* Read everything inside one read transaction: the export is one consistent catalog. */
    if (!(f = fopen(tmp, "wb"))) {
        snprintf(msg, cap, "%s: %s", tmp, strerror(errno));
        e = STORE_ERR_IO;
        goto out;
    }
    for (int c = 0; c < C_NCOLS; c++) {
        fputs(catalog_cols[c].name, f);
        fputc(c + 1 < C_NCOLS ? ',' : '\n', f);
    }
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        catalog_read_item(st, it);
        const product *p = &it->p;
        char codes[CATALOG_MAX_BARCODES * 14 + 1] = "";
        size_t len = 0;
        for (size_t k = 0; k < it->n_barcodes; k++)
            len += (size_t)snprintf(codes + len, sizeof codes - len, "%s%s", k ? "|" : "",
                                    it->barcodes[k]);
        csv_put(f, p->sku, false);
        csv_put(f, p->name, false);
        csv_put(f, it->name_en, false);
        csv_put(f, p->unit, false);
        csv_put(f, codes, false);
        csv_put_int(f, p->price_fen, false);
        csv_put_int(f, p->by_weight, false);
        csv_put(f, p->plu, false);
        csv_put_int(f, p->tare_g, true);
        csv_put_int(f, p->min_g, true);
        csv_put_int(f, p->max_g, true);
        csv_put(f, it->tax_class, false);
        csv_put(f, it->category, false);
        csv_put_int(f, p->active, false);
        csv_put_int(f, p->poverty_relief, false);
        csv_put(f, p->supplier_id, false);
        csv_put(f, p->cert_no, false);
        csv_put(f, it->cert_county, false);
        csv_put(f, it->cert_valid_from, false);
        csv_put(f, p->cert_valid_to, true);
        n++;
    }
    if (rc != SQLITE_DONE) {
        e = store_fail(s, rc);
        store_copy_error(s, msg, cap);
        goto out;
    }
    /* fflush + fsync before the rename: the new name must never point at a short file. */
    if (fflush(f) != 0 || ferror(f) || fsync(fileno(f)) != 0) {
        snprintf(msg, cap, "%s: %s", tmp, strerror(errno));
        e = STORE_ERR_IO;
        goto out;
    }
    if (fclose(f) != 0) {
        f = NULL;
        snprintf(msg, cap, "%s: %s", tmp, strerror(errno));
        e = STORE_ERR_IO;
        goto out;
    }
    f = NULL;
    if (rename(tmp, path) != 0) {
        snprintf(msg, cap, "%s: %s", path, strerror(errno));
        e = STORE_ERR_IO;
        goto out;
    }
    if (n_rows)
        *n_rows = n;
out:
    if (f)
        fclose(f);
    if (e)
        unlink(tmp);
    sqlite3_finalize(st);
    free(it);
    return e;
}
