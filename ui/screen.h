/* screen: the SDL2 window the app draws its views into and reads its input from.
 *
 * The app owns the loop (pos/app/run_screen.c): it waits here for input (ui_screen_wait turns
 * SDL events into the screen's own ui_input, ui/input.h), applies it to its controller, drains
 * its event queue, fills a view and draws it here when something changed.  SDL is mapped to
 * the screen's keys at one point (ui_key_from_sdl).  This module knows neither the till nor
 * the store: only views, input, fonts, sounds and PNG screenshots. */
#ifndef FUPIN_UI_SCREEN_H
#define FUPIN_UI_SCREEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ui/input.h"
#include "ui/view.h"

typedef struct ui_screen ui_screen;

typedef struct {
    bool windowed;
    int width, height;            /* 0 = desktop size (fullscreen) or 1280x800 windowed */
    const char *font_path;        /* override the fontconfig lookup (tests: a missing font) */
    const char *assets_dir;       /* where the bundled fonts are looked for */
    const char *title;
} ui_screen_options;

/* Fonts first: a till without a Chinese font is useless, and this needs neither a display nor
 * the database, so it fails fast.  NULL with err filled when no usable font was found. */
ui_screen *ui_screen_create(const ui_screen_options *o, char *err, size_t err_cap);
/* Then the display: SDL, the window, the renderer, the wake event, sound, text input. */
typedef enum {
    UI_OPEN_OK = 0,
    UI_OPEN_NO_DISPLAY,   /* no video driver, window or renderer (the app exits 3) */
    UI_OPEN_FAILED,       /* anything else (out of SDL user events) */
} ui_open_result;
ui_open_result ui_screen_open(ui_screen *s, char *err, size_t err_cap);
void ui_screen_destroy(ui_screen *s);

/* The app's event-queue waker (evq_set_waker(q, ui_screen_wake, s)): pushes the one wake
 * event, from any thread.  ui_screen_wait then returns UI_INPUT_WAKE.  The push can fail (SDL's
 * queue full): it is logged, and the app must drain its queue on every pass of its loop, not
 * only on the wake (pos/app/run_screen.c). */
void ui_screen_wake(void *s);
/* Wait up to timeout_ms (< 0: for ever) for the next input; false when none came.  ui_screen_poll
 * does not wait. */
bool ui_screen_wait(ui_screen *s, int timeout_ms, ui_input *out);
bool ui_screen_poll(ui_screen *s, ui_input *out);

/* Draw v and show it; *scroll is the basket table's first visible line (kept by the caller). */
void ui_screen_draw(ui_screen *s, const sale_view *v, size_t *scroll);
/* Draw v and write it as a PNG to path; false with err filled. */
bool ui_screen_shot(ui_screen *s, const sale_view *v, size_t *scroll, const char *path,
                    char *err, size_t err_cap);

/* The milliseconds clock of input timestamps, a sleep, and the modifier keys held now. */
uint32_t ui_screen_ticks(void);
void ui_screen_delay(uint32_t ms);
unsigned ui_screen_mods(void);

/* SDL key code → the screen's key (keymap.c): the one place SDL's keys are named. */
ui_key ui_key_from_sdl(int32_t sdl_keycode);
/* SDL's modifier bits (SDL_Keymod) as the screen's UI_MOD_* (Ctrl, Shift). */
unsigned ui_mods_from_sdl(unsigned sdl_mod);

#endif
