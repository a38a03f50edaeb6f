/* ui: the SDL2 cashier app.  Screens are drawn from app state every frame that something
 * changed; input becomes commands on the till.  The UI thread never waits on disk sync: sales
 * are committed by a worker thread with its own database handle. */
#ifndef FUPIN_UI_UI_H
#define FUPIN_UI_UI_H

#include <stdbool.h>

typedef struct {
    const char *db_path;
    bool windowed;
    int width, height;            /* 0 = desktop size (fullscreen) or 1280x800 windowed */
    const char *script_path;      /* scripted input (tests); NULL = interactive */
    const char *screenshots_dir;  /* where `screenshot NAME` writes NAME.png */
    const char *lang;             /* "zh" or "en" */
    bool simulate_devices;
    const char *font_path;        /* override the fontconfig lookup (tests: a missing font) */
} ui_options;

/* Runs until quit.  Returns a process exit code (0 ok, 1 refused/script failure, 3 no display
 * or no font) after printing a clear message to stderr. */
int ui_run(const ui_options *opts);

#endif
