/* run_screen: the cashier app -- the loop that joins the screen (ui/screen.h), the sale
 * controller (cashier.h), the sale session and the commit worker through the event queue.
 *
 *     ui_screen_wait → cashier_key / cashier_text → drain the queue (session_on_event)
 *       → cashier_fill_view → ui_screen_draw when something changed
 *
 * The arrows run app → ui → core: ui/ never calls back into the app.  `run --script` feeds the
 * same controller from a file (ui/script.h) with a virtual key clock.
 *
 * The scale and the scanner run on the device manager's thread (pos/app/devices.h); their
 * weights, scans and states arrive through the queue.  With a simulated scale F6 puts the
 * grams typed on the input line on it and F10 jiggles it (F7 reprints). */
#ifndef FUPIN_APP_RUN_SCREEN_H
#define FUPIN_APP_RUN_SCREEN_H

#include <stdbool.h>

typedef struct {
    const char *db_path;
    bool windowed;
    int width, height;            /* 0 = desktop size (fullscreen) or 1280x800 windowed */
    const char *script_path;      /* scripted input (tests); NULL = interactive */
    const char *screenshots_dir;  /* where `screenshot NAME` writes NAME.png */
    const char *lang;             /* "zh" or "en" */
    bool simulate_devices;
    const char *printer;          /* --printer SPEC (NULL: the config key device.printer) */
    const char *scale_spec;       /* --scale / --scanner (NULL: config key, else auto) */
    const char *scanner_spec;
    const char *font_path;        /* override the fontconfig lookup (tests: a missing font) */
} run_screen_options;

/* Runs until quit.  Returns a process exit code (0 ok, 1 refused/script failure, 3 no display
 * or no font) after printing a clear message to stderr. */
int run_screen(const run_screen_options *opts);

#endif
