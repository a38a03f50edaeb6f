/* receipt_png: the PNG preview executor of the receipt document (pos/core/receipt.h) -- what
 * the thermal printer would print, drawn at its dot width (58 mm paper: 384 dots, 80 mm: 576)
 * with the CJK font the till's screen uses (ui/font.c's lookup), so a manager can see a
 * receipt without paper and a test can decode its QR with an independent reader.
 *
 * Like every executor it neither wraps nor reorders: each command's line is placed on the
 * printer's grid -- 12 dots a half-width column, 24 a CJK character, 30-dot lines (the 12x24
 * font and default line spacing of ESC/POS printers), double height/width stretched as the
 * printer stretches them, bold with the bold face.  The CODE128 barcode is drawn as bars
 * (pos/core/code128.h) at the module width the ESC/POS executor asks for, the digits under it;
 * the QR from libqrencode (EC M) at the ESC/POS executor's module size with a 4-module quiet
 * zone.  A CUT is a dashed line.  Headless: SDL_ttf and software surfaces only, no window, no
 * video driver. */
#ifndef FUPIN_UI_RECEIPT_PNG_H
#define FUPIN_UI_RECEIPT_PNG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pos/core/receipt.h"

typedef struct {
    const char *font_path;     /* NULL: ui/font.c's order (assets/fonts, then fontconfig) */
    const char *assets_dir;    /* may be NULL */
} receipt_png_options;

/* The paper's dots across: 384 (58 mm) or 576 (80 mm). */
int receipt_png_dots(int width_mm);

/* Draw r: *rgba (malloc'd, RGBA bytes, w*4 a row), *w = receipt_png_dots(r->width_mm). */
bool receipt_png_render(const receipt *r, const receipt_png_options *o, uint8_t **rgba, int *w,
                        int *h, char *err, size_t err_cap);

/* Draw r and write it as a PNG file (written to PATH.tmp, then renamed). */
bool receipt_png_write(const receipt *r, const receipt_png_options *o, const char *path,
                       char *err, size_t err_cap);

/* An A4 sheet of documents (shelf labels): A4 at the printer's 8 dots/mm (1680 x 2376), each
 * document drawn as above inside a thin grey cutting frame, left to right then top to bottom,
 * a new page when the next row would not fit.  Page 1 is written to path, page k to path with
 * "-k" before its extension.  *pages: how many were written. */
#define RECEIPT_PNG_A4_W 1680
#define RECEIPT_PNG_A4_H 2376
bool receipt_png_sheet(const receipt *docs, size_t n, const receipt_png_options *o,
                       const char *path, int *pages, char *err, size_t err_cap);

#endif
