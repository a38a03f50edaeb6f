/* screen: SDL set-up, input mapping, drawing views, screenshots.  See screen.h.
 *
 * The app's loop sleeps in ui_screen_wait (SDL_WaitEventTimeout) until input, the wake event of
 * its queue, or its own timeout, so an idle till uses no CPU. */
#include "ui/screen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SDL.h>
#include <SDL_ttf.h>

#include "ui/draw.h"
#include "ui/font.h"
#include "ui/sale_screen.h"
#include "ui/screenshot.h"
#include "ui/sound.h"

struct ui_screen {
    ui_screen_options o;
    font_cache *fonts;
    bool ttf_up, sdl_up, sound_up;
    SDL_Window *win;
    SDL_Renderer *ren;
    uint32_t wake_event;
};

static bool driver_is_headless(void)
{
    const char *drv = SDL_GetCurrentVideoDriver();
    return drv && (strcmp(drv, "offscreen") == 0 || strcmp(drv, "dummy") == 0);
}

static SDL_Renderer *make_renderer(SDL_Window *win)
{
    /* Offscreen has no GPU context: go straight to the software renderer.  Elsewhere try the
     * accelerated one and fall back (old tills with broken GL drivers are common). */
    SDL_Renderer *r = NULL;
    if (!driver_is_headless()) {
        r = SDL_CreateRenderer(win, -1, SDL_RENDERER_ACCELERATED | SDL_RENDERER_PRESENTVSYNC);
    }
    if (!r) {
        r = SDL_CreateRenderer(win, -1, SDL_RENDERER_SOFTWARE);
    }
    return r;
}

ui_screen *ui_screen_create(const ui_screen_options *o, char *err, size_t err_cap)
{
    ui_screen *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, err_cap, "out of memory");
        return NULL;
    }
    s->o = *o;
    font_file regular, bold;
    bool have_bold = false;
    if (!font_locate(o->font_path, o->assets_dir, &regular, &bold, &have_bold, err, err_cap)) {
        goto fail;
    }
    if (TTF_Init() != 0) {
        snprintf(err, err_cap, "cannot start SDL_ttf: %s", TTF_GetError());
        goto fail;
    }
    s->ttf_up = true;
    s->fonts = font_cache_create(&regular, &bold, have_bold, err, err_cap);
    if (!s->fonts) {
        goto fail;
    }
    return s;
fail:
    ui_screen_destroy(s);
    return NULL;
}

ui_open_result ui_screen_open(ui_screen *s, char *err, size_t err_cap)
{
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) {
        snprintf(err, err_cap, "no display: %s (use SDL_VIDEODRIVER=offscreen for tests)",
                 SDL_GetError());
        return UI_OPEN_NO_DISPLAY;
    }
    s->sdl_up = true;
    /* With no sound card (offscreen tests), the dummy audio driver swallows the tones quietly
     * instead of ALSA printing errors; a real till leaves SDL_AUDIODRIVER alone. */
    if (driver_is_headless() && !getenv("SDL_AUDIODRIVER")) {
        SDL_SetHint(SDL_HINT_AUDIODRIVER, "dummy");
    }
    /* --size gives a window of that size (a till screen is fullscreen, --size is for trying
     * layouts and for tests); otherwise fullscreen on the desktop's own mode. */
    bool windowed = s->o.windowed || s->o.width > 0;
    int w = s->o.width > 0 ? s->o.width : 1280;
    int h = s->o.height > 0 ? s->o.height : 800;
    uint32_t flags = SDL_WINDOW_ALLOW_HIGHDPI;
    flags |= windowed ? SDL_WINDOW_RESIZABLE : SDL_WINDOW_FULLSCREEN_DESKTOP;
    s->win = SDL_CreateWindow(s->o.title ? s->o.title : "Fupin POS", SDL_WINDOWPOS_CENTERED,
                              SDL_WINDOWPOS_CENTERED, w, h, flags);
    if (!s->win) {
        snprintf(err, err_cap, "cannot open a window: %s", SDL_GetError());
        return UI_OPEN_NO_DISPLAY;
    }
    s->ren = make_renderer(s->win);
    if (!s->ren) {
        snprintf(err, err_cap, "cannot create a renderer: %s", SDL_GetError());
        return UI_OPEN_NO_DISPLAY;
    }
    s->wake_event = SDL_RegisterEvents(1);
    if (s->wake_event == (uint32_t)-1) {
        snprintf(err, err_cap, "out of SDL user events");
        return UI_OPEN_FAILED;
    }
    sound_init();
    s->sound_up = true;
    SDL_StartTextInput();
    return UI_OPEN_OK;
}

void ui_screen_destroy(ui_screen *s)
{
    if (!s) {
        return;
    }
    if (s->sound_up) {
        sound_shutdown();
    }
    if (s->fonts) {
        font_cache_clear_textures(s->fonts);
    }
    if (s->ren) {
        SDL_DestroyRenderer(s->ren);
    }
    if (s->win) {
        SDL_DestroyWindow(s->win);
    }
    font_cache_destroy(s->fonts);
    if (s->ttf_up) {
        TTF_Quit();
    }
    if (s->sdl_up) {
        SDL_Quit();
    }
    free(s);
}

void ui_screen_wake(void *arg)
{
    const ui_screen *s = arg;
    SDL_Event ev;
    SDL_zero(ev);
    ev.type = s->wake_event;
    /* Thread-safe; wakes SDL_WaitEventTimeout on the UI thread.  A refused push (SDL's queue
     * full, or filtered) loses only latency -- the app's loop drains its queue on every pass
     * -- but is logged: many of them mean the UI thread is not keeping up.  Same format as
     * pos/app/log.h (ui/ cannot include pos/app). */
    if (SDL_PushEvent(&ev) != 1) {
        fprintf(stderr, "fupin-pos: screen: wake event lost (%s); the loop picks the result up "
                        "on its next pass\n",
                SDL_GetError());
    }
}

/* One SDL event as the screen's input; false for events the app need not see. */
static bool map_event(ui_screen *s, const SDL_Event *ev, ui_input *out)
{
    memset(out, 0, sizeof *out);
    if (ev->type == s->wake_event) {
        out->kind = UI_INPUT_WAKE;
        return true;
    }
    switch (ev->type) {
    case SDL_QUIT:
        out->kind = UI_INPUT_QUIT;
        return true;
    case SDL_WINDOWEVENT:
        out->kind = UI_INPUT_REDRAW;
        return true;
    case SDL_RENDER_TARGETS_RESET:
    case SDL_RENDER_DEVICE_RESET:
        font_cache_clear_textures(s->fonts);
        out->kind = UI_INPUT_REDRAW;
        return true;
    case SDL_KEYDOWN:
        out->kind = UI_INPUT_KEY;
        out->key = ui_key_from_sdl(ev->key.keysym.sym);
        out->mod = ui_mods_from_sdl(ev->key.keysym.mod);
        out->t_ms = ev->key.timestamp;
        return true;
    case SDL_TEXTINPUT:
        out->kind = UI_INPUT_TEXT;
        snprintf(out->text, sizeof out->text, "%s", ev->text.text);
        out->t_ms = ev->text.timestamp;
        return true;
    default:
        return false;
    }
}

bool ui_screen_wait(ui_screen *s, int timeout_ms, ui_input *out)
{
    SDL_Event ev;
    int got = timeout_ms < 0 ? SDL_WaitEvent(&ev) : SDL_WaitEventTimeout(&ev, timeout_ms);
    while (got) {
        if (map_event(s, &ev, out)) {
            return true;
        }
        got = SDL_PollEvent(&ev);   /* an event the app ignores: look at the next one */
    }
    return false;
}

bool ui_screen_poll(ui_screen *s, ui_input *out)
{
    SDL_Event ev;
    while (SDL_PollEvent(&ev)) {
        if (map_event(s, &ev, out)) {
            return true;
        }
    }
    return false;
}

static void render(ui_screen *s, const sale_view *v, size_t *scroll)
{
    draw_ctx d = {.r = s->ren, .fc = s->fonts};
    SDL_GetRendererOutputSize(s->ren, &d.w, &d.h);
    d.scale = (float)d.h / 768.0f;
    /* A very wide, short window would make the design overflow horizontally: scale by the
     * narrower of the two axes. */
    float sw = (float)d.w / 1024.0f;
    if (sw < d.scale) {
        d.scale = sw;
    }
    sale_screen_draw(&d, v, scroll);
}

void ui_screen_draw(ui_screen *s, const sale_view *v, size_t *scroll)
{
    render(s, v, scroll);
    SDL_RenderPresent(s->ren);
}

bool ui_screen_shot(ui_screen *s, const sale_view *v, size_t *scroll, const char *path,
                    char *err, size_t err_cap)
{
    render(s, v, scroll);   /* the frame as it stands after every earlier command */
    if (!screenshot_save(s->ren, path, err, err_cap)) {
        return false;
    }
    SDL_RenderPresent(s->ren);
    return true;
}

uint32_t ui_screen_ticks(void)
{
    return SDL_GetTicks();
}

void ui_screen_delay(uint32_t ms)
{
    SDL_Delay(ms);
}
