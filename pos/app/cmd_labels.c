/* labels: shelf labels of products, printed by the receipt's executors.
 *
 *   labels SKU... [--format text|escpos|png] [--width 58|80] [-o FILE] [--qr-raster]
 *          [--sheet a4]
 *
 * One label a SKU, a cut after each (a strip on the receipt printer): the document is
 * pos/core/receipt.h's label_build, so text, ESC/POS and the PNG preview (ui/receipt_png.c)
 * are the receipt's executors unchanged.  The buy-online QR is config label.buy_url with
 * {sku}; without it the labels have no QR.  A poverty-relief product's label also carries the
 * trace QR (溯源) of label.trace_url with {cert} (its 扶贫 certificate number), {sku} and
 * {supplier} (the supplier's id).  --sheet a4 (png only): the labels, each alone and without
 * its feed and cut, framed on A4 pages (ui/receipt_png.c's receipt_png_sheet, through
 * receipt_out_sheet).  The output options are receipt_out.h's, shared with `receipt`.  The
 * origin and the supplier's name come from the catalog (products_label_info).  Read-only:
 * nothing in the store changes.  Exit 1: an unknown SKU (nothing is written); 2: usage. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/products.h"
#include "db/settings.h"
#include "db/store.h"
#include "pos/app/cli.h"
#include "pos/app/receipt_data.h"
#include "pos/app/receipt_out.h"

#define USAGE "usage: labels SKU... [--format text|escpos|png] [--width 58|80] [-o FILE] [--qr-raster] [--sheet a4]"
#define LABELS_MAX 200

typedef struct {
    product p[LABELS_MAX];
    char origin[LABELS_MAX][128], supplier[LABELS_MAX][128], url[LABELS_MAX][RECEIPT_TEXT_CAP];
    char trace[LABELS_MAX][RECEIPT_TEXT_CAP];
    label_item items[LABELS_MAX];
} labels_data;

/* The labels of the SKUs into d; exit code. */
static int load(store *s, const char *const *skus, size_t n, labels_data *d)
{
    char tmpl[512] = "", ttmpl[512] = "";
    store_err e = settings_get(s, "label.buy_url", tmpl, sizeof tmpl);
    if (!e || e == STORE_ERR_NOT_FOUND)
        e = settings_get(s, "label.trace_url", ttmpl, sizeof ttmpl);
    if (e && e != STORE_ERR_NOT_FOUND) {
        cli_error("labels: %s", store_last_error(s));
        return EXIT_REFUSED;
    }
    for (size_t i = 0; i < n; i++) {
        e = products_find_by_sku(s, skus[i], &d->p[i]);
        if (!e)
            e = products_label_info(s, skus[i], d->origin[i], sizeof d->origin[i],
                                    d->supplier[i], sizeof d->supplier[i]);
        if (e) {
            cli_error("labels: %s: %s", skus[i],
                      e == STORE_ERR_NOT_FOUND ? "no such product" : store_last_error(s));
            return EXIT_REFUSED;
        }
        if (tmpl[0] && !label_buy_url(tmpl, skus[i], d->url[i], sizeof d->url[i])) {
            cli_error("labels: %s: the label.buy_url link is too long for a label's QR", skus[i]);
            return EXIT_REFUSED;
        }
        if (ttmpl[0] && d->p[i].poverty_relief &&
            !label_url(ttmpl, skus[i], d->p[i].cert_no, d->p[i].supplier_id, d->trace[i],
                       sizeof d->trace[i])) {
            cli_error("labels: %s: the label.trace_url link is too long for a label's QR", skus[i]);
            return EXIT_REFUSED;
        }
        d->items[i] = (label_item){.p = &d->p[i], .supplier = d->supplier[i],
                                   .origin = d->origin[i], .qr = d->url[i],
                                   .trace_qr = d->trace[i]};
    }
    return EXIT_DONE;
}

/* r in o's format to o's file. */
static int render(const receipt *r, const receipt_out *o, bool raster)
{
    uint8_t *bytes = NULL;
    size_t len = 0;
    if (!receipt_out_render("labels", r, o, raster, &bytes, &len))
        return EXIT_REFUSED;
    int rc = o->png ? EXIT_DONE : receipt_out_write("labels", o->path, bytes, len);
    free(bytes);
    return rc;
}

/* The A4 sheet: one document a label, without the strip's feed and cut. */
static int sheet(const labels_data *d, size_t n, int width, const char *path)
{
    receipt *docs = calloc(n, sizeof *docs);
    if (!docs) {
        cli_error("out of memory");
        return EXIT_REFUSED;
    }
    int rc = EXIT_DONE;
    size_t built = 0;
    for (; built < n; built++) {
        receipt_err re = label_build(&d->items[built], 1, width, &docs[built]);
        if (re) {
            cli_error("labels: %s", receipt_strerror(re));
            rc = EXIT_REFUSED;
            break;
        }
        receipt *r = &docs[built];
        while (r->n && (r->cmds[r->n - 1].kind == RCMD_CUT || r->cmds[r->n - 1].kind == RCMD_FEED))
            r->n--;
    }
    char why[256];
    int pages = 0;
    if (rc == EXIT_DONE && !receipt_out_sheet(docs, n, path, &pages, why, sizeof why)) {
        cli_error("labels: %s", why);
        rc = EXIT_REFUSED;
    }
    if (rc == EXIT_DONE && pages > 1)
        cli_error("labels: %d A4 pages (%s, then -2, -3 ... before the extension)", pages, path);
    for (size_t i = 0; i < built; i++)
        receipt_free(&docs[i]);
    free(docs);
    return rc;
}

int cmd_labels(const cli_ctx *ctx)
{
    const char *skus[LABELS_MAX];
    size_t n = 0;
    receipt_out o = {0};
    bool a4 = false;
    for (int i = 0; i < ctx->argc; i++) {
        const char *a = ctx->argv[i];
        const char *next = i + 1 < ctx->argc ? ctx->argv[i + 1] : NULL;
        int took = receipt_out_arg("labels", ctx->argc, ctx->argv, &i, &o);
        if (took < 0)
            return EXIT_USAGE;
        if (took > 0)
            continue;
        if (strcmp(a, "--sheet") == 0 && next) {
            if (strcmp(next, "a4") != 0) {
                cli_error("labels: --sheet must be a4, not '%s'", next);
                return EXIT_USAGE;
            }
            a4 = true;
            i++;
        } else if (a[0] != '-' && n < LABELS_MAX) {
            skus[n++] = a;
        } else {
            cli_error("labels: unexpected argument '%s' (%s)", a, USAGE);
            return EXIT_USAGE;
        }
    }
    if (n == 0) {
        cli_error("labels: which products? (%s)", USAGE);
        return EXIT_USAGE;
    }
    if (a4 && !o.png) {
        cli_error("labels: --sheet a4 is a PNG sheet: use it with --format png");
        return EXIT_USAGE;
    }
    if (receipt_out_check("labels", &o) != EXIT_DONE)
        return EXIT_USAGE;
    store *s = cli_open_store(ctx, true);
    if (!s)
        return EXIT_REFUSED;
    labels_data *d = calloc(1, sizeof *d);
    if (!d) {
        store_close(s);
        cli_error("out of memory");
        return EXIT_REFUSED;
    }
    int rc = load(s, skus, n, d);
    /* The printer settings a receipt uses (receipt.width, receipt.qr): a printer without
     * native QR needs the raster for labels as much as for receipts. */
    bool raster = false;
    receipt_data *settings = rc == EXIT_DONE ? calloc(1, sizeof *settings) : NULL;
    if (rc == EXIT_DONE && (!settings || receipt_data_settings(s, settings) != STORE_OK)) {
        cli_error("labels: %s", settings ? store_last_error(s) : "out of memory");
        rc = EXIT_REFUSED;
    } else if (rc == EXIT_DONE) {
        if (o.width_mm == 0)
            o.width_mm = settings->width_mm;
        raster = settings->qr_raster;
    }
    free(settings);
    store_close(s);
    receipt r;
    if (rc == EXIT_DONE && a4) {
        rc = sheet(d, n, o.width_mm, o.path);
    } else if (rc == EXIT_DONE) {
        receipt_err re = label_build(d->items, n, o.width_mm, &r);
        if (re) {
            cli_error("labels: %s", receipt_strerror(re));
            rc = EXIT_REFUSED;
        } else {
            rc = render(&r, &o, raster);
            receipt_free(&r);
        }
    }
    free(d);
    return rc;
}
