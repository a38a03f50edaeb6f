/* draw: primitives and theme.  See draw.h. */
#include "ui/draw.h"

#include <stdio.h>
#include <string.h>

#include <math.h>

const SDL_Color COL_BG = {0xE9, 0xED, 0xF2, 0xFF};
const SDL_Color COL_PANEL = {0xFF, 0xFF, 0xFF, 0xFF};
const SDL_Color COL_HEADER = {0x16, 0x22, 0x33, 0xFF};
const SDL_Color COL_HEADER_TEXT = {0xF4, 0xF6, 0xF9, 0xFF};
const SDL_Color COL_HEADER_DIM = {0xA9, 0xB6, 0xC8, 0xFF};
const SDL_Color COL_TEXT = {0x17, 0x1C, 0x24, 0xFF};
const SDL_Color COL_TEXT_DIM = {0x5A, 0x66, 0x75, 0xFF};
const SDL_Color COL_GRID = {0xD5, 0xDB, 0xE3, 0xFF};
const SDL_Color COL_ROW_ALT = {0xF5, 0xF7, 0xFA, 0xFF};
const SDL_Color COL_SELECT = {0x1F, 0x5F, 0xBF, 0xFF};
const SDL_Color COL_SELECT_TEXT = {0xFF, 0xFF, 0xFF, 0xFF};
const SDL_Color COL_ACCENT = {0x1F, 0x5F, 0xBF, 0xFF};
const SDL_Color COL_TOTAL = {0xC0, 0x1F, 0x1F, 0xFF};
const SDL_Color COL_CHANGE = {0x0E, 0x7A, 0x32, 0xFF};
const SDL_Color COL_ERROR = {0xC6, 0x1B, 0x1B, 0xFF};
const SDL_Color COL_ERROR_BG = {0xFD, 0xE8, 0xE8, 0xFF};
const SDL_Color COL_OK = {0x0E, 0x7A, 0x32, 0xFF};
const SDL_Color COL_WARN = {0xB4, 0x5F, 0x06, 0xFF};
const SDL_Color COL_WARN_BG = {0xFD, 0xF1, 0xDC, 0xFF};
const SDL_Color COL_TABLE_HEAD = {0x2B, 0x39, 0x4D, 0xFF};
const SDL_Color COL_KEYCAP = {0x33, 0x44, 0x5C, 0xFF};
const SDL_Color COL_CHIP_OK = {0x1E, 0x8E, 0x4A, 0xFF};
const SDL_Color COL_CHIP_OFF = {0x55, 0x60, 0x70, 0xFF};
const SDL_Color COL_CHIP_SIM = {0xB8, 0x7A, 0x10, 0xFF};
const SDL_Color COL_OVERLAY = {0x0A, 0x10, 0x18, 0xC8};

int dp(const draw_ctx *d, float design_px)
{
    return (int)lroundf(design_px * d->scale);
}

void draw_fill(const draw_ctx *d, SDL_Rect rc, SDL_Color c)
{
    SDL_SetRenderDrawBlendMode(d->r, c.a == 0xFF ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND);
    SDL_SetRenderDrawColor(d->r, c.r, c.g, c.b, c.a);
    SDL_RenderFillRect(d->r, &rc);
}

void draw_frame(const draw_ctx *d, SDL_Rect rc, SDL_Color c, int t)
{
    draw_fill(d, (SDL_Rect){rc.x, rc.y, rc.w, t}, c);
    draw_fill(d, (SDL_Rect){rc.x, rc.y + rc.h - t, rc.w, t}, c);
    draw_fill(d, (SDL_Rect){rc.x, rc.y, t, rc.h}, c);
    draw_fill(d, (SDL_Rect){rc.x + rc.w - t, rc.y, t, rc.h}, c);
}

int text_width(const draw_ctx *d, const char *text, int px, font_weight wt)
{
    int w = 0, h = 0;
    font_measure(d->fc, text, px, wt, &w, &h);
    return w;
}

/* Longest prefix of text (whole UTF-8 characters) that fits max_w with "…" appended, written
 * to out.  Binary search over character boundaries: a handful of measurements, and only for
 * text that does not fit (a long product name, a busy campaign banner). */
static void elide(const draw_ctx *d, const char *text, int px, font_weight wt, int max_w,
                  char *out, size_t cap)
{
    size_t bounds[512];
    size_t n = 0;
    for (size_t i = 0; text[i] && n < sizeof bounds / sizeof bounds[0]; i++)
        if (((unsigned char)text[i] & 0xC0) != 0x80)
            bounds[n++] = i;          /* byte offset where a character starts */
    /* keeping k characters = the bytes before bounds[k] (all of text when k == n) */
    size_t lo = 0, hi = n;            /* lo characters fit with the ellipsis; hi is the bound */
    while (lo < hi) {
        size_t mid = (lo + hi + 1) / 2;
        size_t bytes = mid < n ? bounds[mid] : strlen(text);
        snprintf(out, cap, "%.*s…", (int)bytes, text);
        if (text_width(d, out, px, wt) <= max_w)
            lo = mid;
        else
            hi = mid - 1;
    }
    snprintf(out, cap, "%.*s…", (int)(lo < n ? bounds[lo] : strlen(text)), text);
}

int draw_text(const draw_ctx *d, const char *text, int x, int y, int px, font_weight wt,
              SDL_Color c, draw_align align, int max_w)
{
    int w = 0, h = 0;
    char shortened[1024];
    if (max_w > 0 && font_measure(d->fc, text, px, wt, &w, &h) && w > max_w) {
        elide(d, text, px, wt, max_w, shortened, sizeof shortened);
        text = shortened;
    }
    SDL_Texture *t = font_text(d->fc, d->r, text, px, wt, c, &w, &h);
    if (!t) {
        return 0;
    }
    int show_w = (max_w > 0 && w > max_w) ? max_w : w;
    int dx = x;
    if (align == ALIGN_CENTER) {
        dx = x - show_w / 2;
    } else if (align == ALIGN_RIGHT) {
        dx = x - show_w;
    }
    SDL_Rect src = {0, 0, show_w, h};
    SDL_Rect dst = {dx, y, show_w, h};
    SDL_RenderCopy(d->r, t, &src, &dst);
    return show_w;
}

int draw_text_in(const draw_ctx *d, SDL_Rect rc, const char *text, int px, font_weight wt,
                 SDL_Color c, draw_align align, int pad_x)
{
    int w = 0, h = 0;
    if (!font_measure(d->fc, text, px, wt, &w, &h)) {
        return 0;
    }
    /* Centre on the font's line height, not the ink: rows with and without descenders then sit
     * on the same baseline. */
    TTF_Font *f = font_get(d->fc, px, wt);
    int line_h = f ? TTF_FontHeight(f) : h;
    int y = rc.y + (rc.h - line_h) / 2;
    int x = rc.x + pad_x;
    if (align == ALIGN_CENTER) {
        x = rc.x + rc.w / 2;
    } else if (align == ALIGN_RIGHT) {
        x = rc.x + rc.w - pad_x;
    }
    return draw_text(d, text, x, y, px, wt, c, align, rc.w - 2 * pad_x);
}
