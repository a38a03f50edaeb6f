/* receipt_out: the output options `receipt` and `labels` share -- --format text|escpos|png,
 * --width 58|80, -o FILE, --qr-raster -- their parsing, the PNG preview (ui/receipt_png.c in
 * the UI build) and writing the bytes to FILE or stdout.  One parser, so both commands take
 * and refuse the same words the same way. */
#ifndef FUPIN_APP_RECEIPT_OUT_H
#define FUPIN_APP_RECEIPT_OUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pos/app/receipt_data.h"
#include "pos/core/receipt.h"

typedef struct {
    receipt_format fmt;   /* text or escpos when !png */
    bool png;             /* --format png */
    int width_mm;         /* --width; 0: the setting */
    const char *path;     /* -o; NULL or "-": stdout */
    bool qr_raster;       /* --qr-raster */
} receipt_out;

/* argv[*i] (of argc) if it is one of the shared options: 1 = taken (*i moved past its value),
 * 0 = not one of them, -1 = a bad value (told as "cmd: ..."; the command exits EXIT_USAGE).
 * --format png in a build without the UI is a bad value. */
int receipt_out_arg(const char *cmd, int argc, char *const *argv, int *i, receipt_out *o);

/* After parsing: png needs -o FILE.  EXIT_DONE or EXIT_USAGE (told). */
int receipt_out_check(const char *cmd, const receipt_out *o);

/* The PNG preview of r into path; false with why (a build without the UI has none). */
bool receipt_out_png(const receipt *r, const char *path, char *why, size_t cap);

/* docs framed on A4 PNG pages (ui/receipt_png.h's receipt_png_sheet): page 1 to path, page k
 * to path with "-k" before its extension; *pages written.  False with why. */
bool receipt_out_sheet(const receipt *docs, size_t n, const char *path, int *pages, char *why,
                       size_t cap);

/* r in o's format: a PNG is written to o->path here; text or ESC/POS comes back in *bytes
 * (malloc'd) for the caller to write (receipt_out_write) -- `receipt --reprint` counts the
 * reprint in between.  raster: the store's receipt.qr = raster.  False: told as "who: why";
 * characters the printer cannot print are told too. */
bool receipt_out_render(const char *who, const receipt *r, const receipt_out *o, bool raster,
                        uint8_t **bytes, size_t *len);

/* bytes to path (NULL or "-": stdout); EXIT_DONE, or EXIT_REFUSED told as "cmd: cannot write". */
int receipt_out_write(const char *cmd, const char *path, const uint8_t *bytes, size_t len);

#endif
