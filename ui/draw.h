/* draw: the few drawing primitives the screens use (filled boxes, aligned and clipped text),
 * the colour theme, and the size scale.  Screens are laid out in "design pixels" of a
 * 1024x768 till and scaled by the window height, so the same code fills a 1920x1080 screen. */
#ifndef FUPIN_UI_DRAW_H
#define FUPIN_UI_DRAW_H

#include <stdbool.h>

#include <SDL.h>

#include "ui/font.h"

typedef struct {
    SDL_Renderer *r;
    font_cache *fc;
    int w, h;           /* output size in pixels */
    float scale;        /* h / 768 */
} draw_ctx;

/* Design pixels -> output pixels. */
int dp(const draw_ctx *d, float design_px);

typedef enum { ALIGN_LEFT = 0, ALIGN_CENTER, ALIGN_RIGHT } draw_align;

/* Theme: a dark header and key-hint bar around a light work area.  Contrast is chosen for a
 * cheap TN panel seen from an angle in a bright shop: no grey-on-grey text. */
extern const SDL_Color COL_BG, COL_PANEL, COL_HEADER, COL_HEADER_TEXT, COL_HEADER_DIM,
    COL_TEXT, COL_TEXT_DIM, COL_GRID, COL_ROW_ALT, COL_SELECT, COL_SELECT_TEXT, COL_ACCENT,
    COL_TOTAL, COL_CHANGE, COL_ERROR, COL_ERROR_BG, COL_OK, COL_WARN, COL_WARN_BG, COL_TABLE_HEAD,
    COL_KEYCAP, COL_CHIP_OK, COL_CHIP_OFF, COL_CHIP_SIM, COL_OVERLAY;

void draw_fill(const draw_ctx *d, SDL_Rect rc, SDL_Color c);
void draw_frame(const draw_ctx *d, SDL_Rect rc, SDL_Color c, int thickness);

/* Text with its top-left (ALIGN_LEFT), top-centre or top-right at (x, y).  Returns the width
 * drawn.  Never wider than max_w when max_w > 0 (cut off: long product names). */
int draw_text(const draw_ctx *d, const char *text, int x, int y, int px, font_weight wt,
              SDL_Color c, draw_align align, int max_w);
/* Text vertically centred in rc, aligned horizontally inside it with pad_x, clipped to it. */
int draw_text_in(const draw_ctx *d, SDL_Rect rc, const char *text, int px, font_weight wt,
                 SDL_Color c, draw_align align, int pad_x);
int text_width(const draw_ctx *d, const char *text, int px, font_weight wt);

#endif
