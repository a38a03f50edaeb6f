/* font: find a font that can draw Chinese, open it per pixel size, and cache rendered text.
 *
 * A till screen that shows tofu boxes instead of 品名 is unusable, so a missing CJK font is a
 * startup error with a fix in the message, not a fallback to some Latin face.  Lookup order:
 * the explicit path (--font / tests), a font shipped in assets/fonts/, then fontconfig
 * ("Noto Sans CJK SC", then any font covering zh-cn).
 *
 * Rendering text with SDL_ttf is the most expensive thing a frame does, and a till redraws the
 * same strings (column titles, prices) every frame, so finished textures are kept in a small
 * LRU keyed by (text, size, weight, colour). */
#ifndef FUPIN_UI_FONT_H
#define FUPIN_UI_FONT_H

#include <stdbool.h>
#include <stddef.h>

#include <SDL.h>
#include <SDL_ttf.h>

typedef struct {
    char path[1024];
    int index;               /* face index inside a .ttc collection */
} font_file;

/* Resolve the regular (and, if found, bold) face.  override_path wins when non-NULL.  On
 * failure writes an explanation (in the user's language, with the fix) to err. */
bool font_locate(const char *override_path, const char *assets_dir, font_file *regular,
                 font_file *bold, bool *have_bold, char *err, size_t err_cap);

typedef struct font_cache font_cache;

/* Opens one size of the regular face as a check (TTF must be initialised). */
font_cache *font_cache_create(const font_file *regular, const font_file *bold, bool have_bold,
                              char *err, size_t err_cap);
void font_cache_destroy(font_cache *fc);

typedef enum { FONT_REGULAR = 0, FONT_BOLD = 1 } font_weight;

TTF_Font *font_get(font_cache *fc, int px, font_weight weight);

/* A texture of the text (UTF-8), owned by the cache: valid until the next font_text call that
 * evicts it (the LRU holds far more entries than one frame draws).  NULL for empty text. */
SDL_Texture *font_text(font_cache *fc, SDL_Renderer *r, const char *text, int px,
                       font_weight weight, SDL_Color color, int *w, int *h);
/* Size of the text without rendering it. */
bool font_measure(font_cache *fc, const char *text, int px, font_weight weight, int *w, int *h);

/* Drop every cached texture (the renderer is about to go away). */
void font_cache_clear_textures(font_cache *fc);

#endif
