/* sale_parts: what sale_screen.c (layout, header, basket, input, keys) and sale_panels.c (the
 * right-hand cards and the overlays) share: formatting and drawing helpers, and the panels
 * the layout places. */
#ifndef FUPIN_UI_SALE_PARTS_H
#define FUPIN_UI_SALE_PARTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ui/draw.h"
#include "ui/view.h"

void sale_yuan(fen_t fen, char *buf, size_t cap);
void sale_grams_text(int64_t grams, char *buf, size_t cap);
void sale_list_row_background(const draw_ctx *d, SDL_Rect row, size_t i, bool sel);
int sale_chip(const draw_ctx *d, int x, int y, int h, const char *text, SDL_Color bg,
    SDL_Color fg, int px, draw_align align);
void sale_kv_row(const draw_ctx *d, SDL_Rect rc, const char *k, const char *v, int kpx,
    int vpx, SDL_Color vc, font_weight vw);
void sale_card(const draw_ctx *d, SDL_Rect rc, const char *title, SDL_Color accent);
int sale_promo_rows(const draw_ctx *d, const promo_result *r, SDL_Rect rc, int y);
void sale_right(const draw_ctx *d, const sale_view *c, SDL_Rect area);
void sale_help(const draw_ctx *d);
void sale_stars(const draw_ctx *d, const sale_view *c);

#endif
