/* receipt_out: the output options of `receipt` and `labels`.  See receipt_out.h. */
#include "pos/app/receipt_out.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pos/app/cli.h"
#ifdef FUPIN_HAVE_UI
#include "db/demo.h"
#include "ui/receipt_png.h"
#endif

int receipt_out_arg(const char *cmd, int argc, char *const *argv, int *i, receipt_out *o)
{
    const char *a = argv[*i];
    const char *next = *i + 1 < argc ? argv[*i + 1] : NULL;
    if (strcmp(a, "--qr-raster") == 0) {
        o->qr_raster = true;
        return 1;
    }
    if (!next)
        return 0;
    if (strcmp(a, "--format") == 0) {
        if (strcmp(next, "text") == 0) {
            o->fmt = RECEIPT_FORMAT_TEXT, o->png = false;
        } else if (strcmp(next, "escpos") == 0) {
            o->fmt = RECEIPT_FORMAT_ESCPOS, o->png = false;
        } else if (strcmp(next, "png") == 0) {
#ifndef FUPIN_HAVE_UI
            cli_error("%s: --format png needs the UI build (SDL_ttf, libpng)", cmd);
            return -1;
#endif
            o->png = true;
        } else {
            cli_error("%s: unknown format '%s' (text, escpos or png)", cmd, next);
            return -1;
        }
    } else if (strcmp(a, "--width") == 0) {
        if (strcmp(next, "58") != 0 && strcmp(next, "80") != 0) {
            cli_error("%s: --width must be 58 or 80 (mm of paper), not '%s'", cmd, next);
            return -1;
        }
        o->width_mm = next[0] == '5' ? 58 : 80;
    } else if (strcmp(a, "-o") == 0) {
        o->path = next;
    } else {
        return 0;
    }
    (*i)++;
    return 1;
}

int receipt_out_check(const char *cmd, const receipt_out *o)
{
    if (o->png && (!o->path || strcmp(o->path, "-") == 0)) {
        cli_error("%s: --format png writes an image: give -o FILE.png", cmd);
        return EXIT_USAGE;
    }
    return EXIT_DONE;
}

#ifdef FUPIN_HAVE_UI
/* The till's font (FUPIN_POS_FONT, else ui/font.c's lookup) and assets. */
static receipt_png_options png_options(void)
{
    return (receipt_png_options){.font_path = getenv("FUPIN_POS_FONT"),
                                 .assets_dir = demo_assets_dir()};
}
#endif

bool receipt_out_png(const receipt *r, const char *path, char *why, size_t cap)
{
#ifdef FUPIN_HAVE_UI
    receipt_png_options o = png_options();
    return receipt_png_write(r, &o, path, why, cap);
#else
    (void)r, (void)path;
    snprintf(why, cap, "this build has no PNG preview (built without the UI)");
    return false;
#endif
}

bool receipt_out_sheet(const receipt *docs, size_t n, const char *path, int *pages, char *why,
                       size_t cap)
{
#ifdef FUPIN_HAVE_UI
    receipt_png_options o = png_options();
    return receipt_png_sheet(docs, n, &o, path, pages, why, cap);
#else
    (void)docs, (void)n, (void)path, (void)pages;
    snprintf(why, cap, "this build has no PNG preview (built without the UI)");
    return false;
#endif
}

bool receipt_out_render(const char *who, const receipt *r, const receipt_out *o, bool raster,
                        uint8_t **bytes, size_t *len)
{
    char why[160];
    size_t replaced = 0;
    *bytes = NULL;
    if (o->png ? !receipt_out_png(r, o->path, why, sizeof why)
               : !receipt_doc_render(r, o->fmt, o->qr_raster || raster, bytes, len, &replaced,
                                     why, sizeof why)) {
        cli_error("%s: %s", who, why);
        free(*bytes);
        *bytes = NULL;
        return false;
    }
    if (replaced)
        cli_error("%s: %zu character(s) the printer cannot print, printed as '?'", who, replaced);
    return true;
}

int receipt_out_write(const char *cmd, const char *path, const uint8_t *bytes, size_t len)
{
    bool to_stdout = !path || strcmp(path, "-") == 0;
    FILE *f = to_stdout ? stdout : fopen(path, "wb");
    if (!f) {
        cli_error("%s: cannot write %s: %s", cmd, path, strerror(errno));
        return EXIT_REFUSED;
    }
    size_t n = fwrite(bytes, 1, len, f);
    if ((!to_stdout && fclose(f) != 0) || n != len) {
        cli_error("%s: cannot write %s: %s", cmd, to_stdout ? "stdout" : path, strerror(errno));
        return EXIT_REFUSED;
    }
    return EXIT_DONE;
}
