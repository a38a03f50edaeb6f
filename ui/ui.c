/* ui: ui_run -- window, fonts, the event loop, scripted input.  See ui.h.
 *
 * The loop renders only when something changed (input, a finished commit, the clock's next
 * second) and otherwise sleeps in SDL_WaitEventTimeout, so an idle till uses no CPU.  A sale is
 * written by the commit worker; the loop just receives its "done" event. */
#include "ui/ui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <SDL.h>
#include <SDL_ttf.h>

#include "db/demo.h"
#include "pos/app/evq.h"
#include "pos/app/i18n.h"
#include "pos/app/session.h"
#include "pos/app/till.h"
#include "pos/app/worker.h"
#include "ui/cashier.h"
#include "ui/draw.h"
#include "ui/font.h"
#include "ui/i18n.h"
#include "ui/sale_screen.h"
#include "ui/screenshot.h"
#include "ui/script.h"
#include "ui/sound.h"

/* Virtual key timing of scripted input: a person types ~8 keys a second, a scanner one key in
 * a few milliseconds.  The wedge codec sees exactly these gaps, so scripts exercise it. */
#define SCRIPT_HAND_GAP_MS 120u
#define SCRIPT_SCAN_GAP_MS 5u

typedef struct {
    SDL_Window *win;
    SDL_Renderer *ren;
    font_cache *fonts;
    till *t;
    evq *q;                        /* results of the workers (and, later, devices and sync) */
    worker *commit;                /* the commit worker: its own thread and store handle */
    sale_session *session;
    cashier c;
    bool cashier_ready;
    uint32_t wake_event;           /* the one SDL event the queue's waker pushes */
    device_status dev;
    script scr;
    bool scripted;
    const char *shots_dir;
    uint32_t vclock;               /* scripted input's virtual key clock (ms) */
    bool clock_pinned;             /* script `clock`: "now" is pinned_utc */
    time_t shown_second;           /* the clock second on screen */
} ui_state;

/* The script's pinned "now" (one UI per process). */
static int64_t pinned_utc;

static int64_t pinned_clock(void)
{
    return pinned_utc;
}

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

static void render(ui_state *u)
{
    draw_ctx d = {.r = u->ren, .fc = u->fonts};
    SDL_GetRendererOutputSize(u->ren, &d.w, &d.h);
    d.scale = (float)d.h / 768.0f;
    /* A very wide, short window would make the design overflow horizontally: scale by the
     * narrower of the two axes. */
    float sw = (float)d.w / 1024.0f;
    if (sw < d.scale) {
        d.scale = sw;
    }
    time_t now = u->clock_pinned ? (time_t)pinned_utc : time(NULL);
    sale_screen_draw(&d, &u->c, &u->dev, now);
    u->shown_second = now;
    u->c.dirty = false;
}

static void play_sound(cashier *c)
{
    if (c->sound == SOUND_BEEP) {
        sound_beep();
    } else if (c->sound == SOUND_BUZZ) {
        sound_buzz();
    }
    c->sound = SOUND_NONE;
}

/* The queue's waker, on the producer's thread: one SDL event, pushed only when the queue went
 * from empty to non-empty (SDL_PushEvent is thread-safe and wakes SDL_WaitEventTimeout). */
static void wake_screen(void *arg)
{
    SDL_Event ev;
    SDL_zero(ev);
    ev.type = *(const uint32_t *)arg;
    SDL_PushEvent(&ev);
}

/* Everything the queue holds, handled outside its lock. */
static void drain_events(ui_state *u)
{
    evq_event evs[16];
    size_t n;
    while ((n = evq_drain(u->q, evs, sizeof evs / sizeof evs[0])) > 0) {
        for (size_t i = 0; i < n; i++) {
            cashier_on_event(&u->c, &evs[i]);
        }
    }
}

static void handle_event(ui_state *u, const SDL_Event *ev)
{
    if (ev->type == u->wake_event) {
        drain_events(u);
        play_sound(&u->c);
        return;
    }
    switch (ev->type) {
    case SDL_QUIT:
        u->c.quit = true;
        break;
    case SDL_WINDOWEVENT:
        u->c.dirty = true;
        break;
    case SDL_RENDER_TARGETS_RESET:
    case SDL_RENDER_DEVICE_RESET:
        font_cache_clear_textures(u->fonts);
        u->c.dirty = true;
        break;
    case SDL_KEYDOWN:
        if (!u->scripted) {
            cashier_key(&u->c, ev->key.keysym.sym, ev->key.keysym.mod, ev->key.timestamp);
        }
        break;
    case SDL_TEXTINPUT:
        if (!u->scripted) {
            cashier_text(&u->c, ev->text.text, ev->text.timestamp);
        }
        break;
    default:
        break;
    }
    play_sound(&u->c);
}

/* One script command.  Returns 0 to go on, 1 on a failed expectation (exit code), -1 quit. */
static int run_command(ui_state *u, const script_cmd *cmd)
{
    cashier *c = &u->c;
    char err[512];
    switch (cmd->op) {
    case SCRIPT_KEY:
        u->vclock += SCRIPT_HAND_GAP_MS;
        cashier_key(c, (SDL_Keycode)cmd->keycode, SDL_GetModState(), u->vclock);
        c->suppress_text = 0;   /* no SDL_TEXTINPUT follows a scripted key */
        break;
    case SCRIPT_TEXT:
        /* One event per character, as a keyboard (or an IME, for a Chinese character: one
         * whole UTF-8 sequence) delivers them. */
        for (const char *p = cmd->arg; *p;) {
            size_t n = 1;
            while (n < 4 && ((unsigned char)p[n] & 0xC0) == 0x80) {
                n++;
            }
            char one[5] = {0};
            memcpy(one, p, n);
            p += n;
            u->vclock += SCRIPT_HAND_GAP_MS;
            cashier_text(c, one, u->vclock);
        }
        break;
    case SCRIPT_SCAN:
        /* A long pause first: the burst must not join whatever was typed before it. */
        u->vclock += 1000;
        for (const char *p = cmd->arg; *p; p++) {
            char one[2] = {*p, '\0'};
            u->vclock += SCRIPT_SCAN_GAP_MS;
            cashier_text(c, one, u->vclock);
        }
        u->vclock += SCRIPT_SCAN_GAP_MS;
        cashier_key(c, SDLK_RETURN, KMOD_NONE, u->vclock);
        break;
    case SCRIPT_WEIGHT:
        cashier_weight(c, cmd->number);
        break;
    case SCRIPT_CLOCK:
        pinned_utc = cmd->number;
        u->clock_pinned = true;
        c->clock_utc = pinned_clock;
        c->dirty = true;
        break;
    case SCRIPT_WAIT:
        u->vclock += (uint32_t)cmd->number;
        SDL_Delay((uint32_t)cmd->number);
        break;
    case SCRIPT_SCREENSHOT: {
        if (!u->shots_dir) {
            fprintf(stderr, "%s:%d: screenshot needs --screenshots DIR\n", u->scr.path,
                    cmd->line);
            return 1;
        }
        char path[1024];
        snprintf(path, sizeof path, "%s/%s.png", u->shots_dir, cmd->arg);
        render(u);   /* the frame as it stands after every earlier command */
        if (!screenshot_save(u->ren, path, err, sizeof err)) {
            fprintf(stderr, "%s:%d: screenshot: %s\n", u->scr.path, cmd->line, err);
            return 1;
        }
        SDL_RenderPresent(u->ren);
        break;
    }
    case SCRIPT_EXPECT_MESSAGE:
        if (!strstr(c->message, cmd->arg)) {
            fprintf(stderr, "%s:%d: expect-message: wanted \"%s\", the message line says \"%s\"\n",
                    u->scr.path, cmd->line, cmd->arg, c->message);
            return 1;
        }
        break;
    case SCRIPT_EXPECT_TOTAL: {
        fen_t total = basket_total(&u->t->cart);
        if (total != cmd->number) {
            fprintf(stderr, "%s:%d: expect-total: wanted %lld fen, the basket total is %lld\n",
                    u->scr.path, cmd->line, (long long)cmd->number, (long long)total);
            return 1;
        }
        break;
    }
    case SCRIPT_QUIT:
        return -1;
    }
    play_sound(c);
    return 0;
}

static int loop_scripted(ui_state *u)
{
    for (;;) {
        SDL_Event ev;
        /* While the worker writes, the script waits: it must never race the commit (a scan
         * during saving would be refused, and an expect would read a half-finished state). */
        if (cashier_busy(&u->c)) {
            if (SDL_WaitEventTimeout(&ev, 100)) {
                handle_event(u, &ev);
            }
            continue;
        }
        while (SDL_PollEvent(&ev)) {
            handle_event(u, &ev);
        }
        if (u->c.quit) {
            return 0;
        }
        if (u->c.dirty) {
            render(u);
            SDL_RenderPresent(u->ren);
        }
        if (u->scr.next >= u->scr.n) {
            return 0;
        }
        int rc = run_command(u, &u->scr.cmds[u->scr.next++]);
        if (rc != 0) {
            return rc > 0 ? rc : 0;
        }
    }
}

static int loop_interactive(ui_state *u)
{
    render(u);
    SDL_RenderPresent(u->ren);
    while (!u->c.quit) {
        /* Sleep until an event or the clock's next second, whichever comes first. */
        uint32_t ms_into_second = (uint32_t)(SDL_GetTicks() % 1000u);
        int timeout = (int)(1000u - ms_into_second) + 5;
        SDL_Event ev;
        if (SDL_WaitEventTimeout(&ev, timeout)) {
            handle_event(u, &ev);
            while (SDL_PollEvent(&ev)) {
                handle_event(u, &ev);
            }
        }
        if (u->c.dirty || time(NULL) != u->shown_second) {
            render(u);
            SDL_RenderPresent(u->ren);
        }
    }
    return 0;
}

int ui_run(const ui_options *opts)
{
    int rc = 1;
    char err[1024] = "";
    ui_state *u = calloc(1, sizeof *u);
    if (!u) {
        fprintf(stderr, "fupin-pos: out of memory\n");
        return 1;
    }
    bool ttf_up = false, sdl_up = false;
    (void)i18n_set_lang(opts->lang ? opts->lang : "zh");   /* the till's own messages */

    if (opts->script_path) {
        if (!script_load(opts->script_path, &u->scr, err, sizeof err)) {
            fprintf(stderr, "fupin-pos: %s\n", err);
            goto out;
        }
        u->scripted = true;
        u->shots_dir = opts->screenshots_dir;
    }

    /* Fonts first: a till without a Chinese font is useless, and this check needs neither a
     * display nor the database, so it fails fast and clearly. */
    font_file regular, bold;
    bool have_bold = false;
    const char *font_path = opts->font_path ? opts->font_path : getenv("FUPIN_POS_FONT");
    if (!font_locate(font_path, demo_assets_dir(), &regular, &bold, &have_bold, err,
                     sizeof err)) {
        fprintf(stderr, "fupin-pos: %s\n", err);
        rc = 3;
        goto out;
    }
    if (TTF_Init() != 0) {
        fprintf(stderr, "fupin-pos: cannot start SDL_ttf: %s\n", TTF_GetError());
        rc = 3;
        goto out;
    }
    ttf_up = true;
    u->fonts = font_cache_create(&regular, &bold, have_bold, err, sizeof err);
    if (!u->fonts) {
        fprintf(stderr, "fupin-pos: %s\n", err);
        rc = 3;
        goto out;
    }

    u->t = calloc(1, sizeof *u->t);
    if (!u->t) {
        fprintf(stderr, "fupin-pos: out of memory\n");
        goto out;
    }
    if (!opts->db_path) {
        fprintf(stderr, "fupin-pos: no database path\n");
        goto out;
    }
    store_err se = till_open(u->t, opts->db_path, false, err, sizeof err);
    if (se != STORE_OK) {
        fprintf(stderr, "fupin-pos: cannot open the till database %s: %s (run `fupin-pos init`)\n",
                opts->db_path, err[0] ? err : store_strerror(se));
        free(u->t);
        u->t = NULL;
        goto out;
    }

    {
        /* The catalog search index is built on its first query; build it now, before the
         * first customer, so the first F2 keystroke is as quick as every other. */
        product warm;
        size_t n_warm = 0;
        (void)till_search(u->t, "0", &warm, 1, &n_warm);
    }

    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) {
        fprintf(stderr, "fupin-pos: no display: %s (use SDL_VIDEODRIVER=offscreen for tests)\n",
                SDL_GetError());
        rc = 3;
        goto out;
    }
    sdl_up = true;
    /* With no sound card (offscreen tests), the dummy audio driver swallows the tones quietly
     * instead of ALSA printing errors; a real till leaves SDL_AUDIODRIVER alone. */
    if (driver_is_headless() && !getenv("SDL_AUDIODRIVER")) {
        SDL_SetHint(SDL_HINT_AUDIODRIVER, "dummy");
    }

    /* --size gives a window of that size (a till screen is fullscreen, --size is for trying
     * layouts and for tests); otherwise fullscreen on the desktop's own mode. */
    bool windowed = opts->windowed || opts->width > 0;
    int w = opts->width > 0 ? opts->width : 1280;
    int h = opts->height > 0 ? opts->height : 800;
    uint32_t flags = SDL_WINDOW_ALLOW_HIGHDPI;
    flags |= windowed ? SDL_WINDOW_RESIZABLE : SDL_WINDOW_FULLSCREEN_DESKTOP;
    u->win = SDL_CreateWindow(L("扶贫超市收银 Fupin POS", "Fupin POS"), SDL_WINDOWPOS_CENTERED,
                              SDL_WINDOWPOS_CENTERED, w, h, flags);
    if (!u->win) {
        fprintf(stderr, "fupin-pos: cannot open a window: %s\n", SDL_GetError());
        rc = 3;
        goto out;
    }
    u->ren = make_renderer(u->win);
    if (!u->ren) {
        fprintf(stderr, "fupin-pos: cannot create a renderer: %s\n", SDL_GetError());
        rc = 3;
        goto out;
    }
    u->wake_event = SDL_RegisterEvents(1);
    if (u->wake_event == (uint32_t)-1) {
        fprintf(stderr, "fupin-pos: out of SDL user events\n");
        goto out;
    }
    u->q = evq_create(64);
    if (!u->q) {
        fprintf(stderr, "fupin-pos: out of memory\n");
        goto out;
    }
    evq_set_waker(u->q, wake_screen, &u->wake_event);
    u->commit = worker_start("fupin-commit", opts->db_path, u->q, err, sizeof err);
    if (!u->commit) {
        fprintf(stderr, "fupin-pos: %s\n", err);
        goto out;
    }
    u->session = session_create(u->t, u->commit);
    if (!u->session || !cashier_init(&u->c, u->t, u->session)) {
        fprintf(stderr, "fupin-pos: out of memory\n");
        goto out;
    }
    u->cashier_ready = true;
    /* Devices: the scanner is a keyboard wedge until the device manager (#3) lands. */
    u->dev.simulated = opts->simulate_devices;
    u->dev.scanner_state = opts->simulate_devices ? L("模拟", "sim") : L("键盘", "keyboard");
    u->dev.scale_state = opts->simulate_devices ? L("模拟", "sim") : L("未连接", "offline");
    u->dev.printer_state = opts->simulate_devices ? L("模拟", "sim") : L("未连接", "offline");
    sound_init();
    SDL_StartTextInput();
    u->vclock = SDL_GetTicks();

    rc = u->scripted ? loop_scripted(u) : loop_interactive(u);

out:
    /* The worker finishes a sale in flight before it stops: quitting never loses one. */
    worker_stop(u->commit);
    if (u->cashier_ready) {
        cashier_free(&u->c);
    }
    session_destroy(u->session);
    evq_destroy(u->q);
    sound_shutdown();
    if (u->fonts) {
        font_cache_clear_textures(u->fonts);
    }
    if (u->ren) {
        SDL_DestroyRenderer(u->ren);
    }
    if (u->win) {
        SDL_DestroyWindow(u->win);
    }
    font_cache_destroy(u->fonts);
    if (ttf_up) {
        TTF_Quit();
    }
    if (sdl_up) {
        SDL_Quit();
    }
    if (u->t) {
        till_close(u->t);
        free(u->t);
    }
    script_free(&u->scr);
    free(u);
    return rc;
}
