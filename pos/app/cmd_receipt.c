/* receipt: a stored sale's receipt, rendered again from the database.
 *
 *   receipt RECEIPT_NO|UUID [--format text|escpos|png] [--width 58|80] [-o FILE] [--reprint]
 *           [--qr-raster]
 *
 * text: the plain-text executor (one line per printed line, the golden files' format);
 * escpos: the bytes the till sends to the printer (GB18030, Chinese mode; --qr-raster draws
 * QR codes as images for printers without GS ( k).  --width overrides receipt.width.
 * png: the preview at the printer's dot width (384 | 576) with the till's CJK font
 * (ui/receipt_png.c; needs -o FILE; in a build without the UI it is refused with exit 2).
 * --reprint marks it 重印 and counts it as a reprint (table receipt_prints).  Nothing here
 * changes the stored sale.
 *
 * A refund number (or a refund's UUID) prints that refund's own slip, 退货单 (refund_build in
 * pos/core/receipt.c, the refund as stored: db/refund.h refund_load), in the same formats; no
 * buy-online QR; --reprint is for sales only (refund slips are not counted). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/receipt_prints.h"
#include "db/refund.h"
#include "db/store.h"
#include "pos/app/cli.h"
#include "pos/app/receipt_data.h"
#include "pos/app/receipt_out.h"

#define USAGE "usage: receipt RECEIPT_NO|REFUND_NO [--format text|escpos|png] [--width 58|80] [-o FILE] [--reprint] [--qr-raster]"

/* A stored refund's slip (rd) in its format to its file; the exit code. */
static int refund_slip(store *s, const char *key, const refund_doc *rd, const receipt_out *o)
{
    receipt_data *d = calloc(1, sizeof *d);
    if (!d) {
        cli_error("out of memory");
        return EXIT_REFUSED;
    }
    store_err e = receipt_data_settings(s, d);
    if (e) {
        cli_error("refund %s: %s", key, store_last_error(s));
        free(d);
        return EXIT_REFUSED;
    }
    receipt r;
    receipt_err re = refund_slip_build(rd, d, o->width_mm, &r);
    if (re != RECEIPT_OK) {
        cli_error("refund %s: %s", key, receipt_strerror(re));
        free(d);
        return EXIT_REFUSED;
    }
    uint8_t *bytes = NULL;
    size_t len = 0;
    int rc = EXIT_REFUSED;
    char who[160];
    snprintf(who, sizeof who, "refund %s", key);
    if (receipt_out_render(who, &r, o, d->qr_raster, &bytes, &len))
        rc = o->png ? EXIT_DONE : receipt_out_write("receipt", o->path, bytes, len);
    free(bytes);
    receipt_free(&r);
    free(d);
    return rc;
}

int cmd_receipt(const cli_ctx *ctx)
{
    const char *key = NULL;
    receipt_out o = {0};
    bool reprint = false;
    for (int i = 0; i < ctx->argc; i++) {
        const char *a = ctx->argv[i];
        int took = receipt_out_arg("receipt", ctx->argc, ctx->argv, &i, &o);
        if (took < 0)
            return EXIT_USAGE;
        if (took > 0)
            continue;
        if (strcmp(a, "--reprint") == 0) {
            reprint = true;
        } else if (a[0] != '-' && !key) {
            key = a;
        } else {
            cli_error("receipt: unexpected argument '%s' (%s)", a, USAGE);
            return EXIT_USAGE;
        }
    }
    if (!key) {
        cli_error("receipt: which receipt? (%s)", USAGE);
        return EXIT_USAGE;
    }
    if (receipt_out_check("receipt", &o) != EXIT_DONE)
        return EXIT_USAGE;
    /* Writable: a reprint is counted, and with receipt.buy_url set the sale's receipt token is
     * made on first use (db/receipt_prints.h).  The sale itself is never changed. */
    store *s = cli_open_store(ctx, false);
    if (!s)
        return EXIT_REFUSED;
    refund_doc *rd = calloc(1, sizeof *rd);
    if (!rd) {
        store_close(s);
        cli_error("out of memory");
        return EXIT_REFUSED;
    }
    store_err re = refund_load(s, key, rd);
    if (re != STORE_ERR_NOT_FOUND) {
        int rrc = EXIT_REFUSED;
        if (re) {
            cli_error("refund %s: %s", key, store_last_error(s));
        } else if (reprint) {
            cli_error("receipt: --reprint is for sales; %s is a refund", key);
            rrc = EXIT_USAGE;
        } else {
            rrc = refund_slip(s, key, rd, &o);
        }
        free(rd);
        store_close(s);
        return rrc;
    }
    free(rd);
    receipt_data *d = calloc(1, sizeof *d);
    if (!d) {
        store_close(s);
        cli_error("out of memory");
        return EXIT_REFUSED;
    }
    int rc = EXIT_DONE;
    store_err e = receipt_data_load(s, key, d);
    if (e) {
        cli_error("receipt %s: %s", key,
                  e == STORE_ERR_NOT_FOUND ? "no such sale or refund" : store_last_error(s));
        rc = EXIT_REFUSED;
    }
    uint8_t *bytes = NULL;
    size_t len = 0;
    if (rc == EXIT_DONE) {
        receipt_input in;
        receipt_data_input(d, o.width_mm, reprint, &in);
        receipt r;
        receipt_err bre = receipt_build(&in, &r);
        if (bre != RECEIPT_OK) {
            cli_error("receipt %s: %s", key, receipt_strerror(bre));
            rc = EXIT_REFUSED;
        } else {
            char who[160];
            snprintf(who, sizeof who, "receipt %s", key);
            if (!receipt_out_render(who, &r, &o, d->qr_raster, &bytes, &len))
                rc = EXIT_REFUSED;
            receipt_free(&r);
        }
    }
    if (rc == EXIT_DONE && reprint) {
        e = receipt_prints_add(s, d->sale.uuid, d->sale.receipt_no, RECEIPT_PRINT_REPRINT,
                               ctx->at_utc);
        if (e) {
            cli_error("receipt %s: the reprint was not counted: %s", key, store_last_error(s));
            rc = EXIT_REFUSED;
        }
    }
    if (rc == EXIT_DONE && !o.png)
        rc = receipt_out_write("receipt", o.path, bytes, len);
    free(bytes);
    free(d);
    store_close(s);
    return rc;
}
