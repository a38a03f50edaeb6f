/* script: scripted input for `run --script FILE` -- the real screens driven by a text file, so
 * a sale can be rung up, asserted on and photographed offscreen in a test.
 *
 * The whole file is parsed before the window opens, so a typo fails at once with FILE:LINE
 * instead of half-way through a sale.  One command per line; blank lines and lines starting
 * with '#' are ignored:
 *
 *   key NAME               an SDL key name: Return, Escape, F12, Delete, Up, KP_Multiply, ...
 *   text STRING            typed by hand (rest of the line, spaces included)
 *   scan CODE              a scanner burst through the keyboard-wedge path (5 ms per key)
 *   weight GRAMS           goods on the simulated scale; the line waits (bounded) until the
 *                          device manager called the weight stable (without a simulated
 *                          scale: a stable reading posted directly)
 *   device CLASS EVENT...  an event of a simulated device (CLASS scale, scanner, printer or
 *                          drawer), waited for like `weight`: scale motion [G] | under [G] |
 *                          over | fault | unplug | plug | weight G; scanner scan CODE |
 *                          unplug | plug (pos/app/devices.h)
 *   clock ISO8601          pin "now" (sale time, business day, header clock), e.g.
 *                          2026-10-16T10:30:00+08:00, so a scenario does not depend on the date
 *   wait MS                let MS milliseconds pass
 *   screenshot NAME        write DIR/NAME.png (--screenshots DIR)
 *   expect-message TEXT    the message line contains TEXT, else exit 1
 *   expect-total FEN       the basket total is FEN, else exit 1
 *   quit                   stop (the end of the file also stops)
 */
#ifndef FUPIN_UI_SCRIPT_H
#define FUPIN_UI_SCRIPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum {
    SCRIPT_KEY,
    SCRIPT_TEXT,
    SCRIPT_SCAN,
    SCRIPT_WEIGHT,
    SCRIPT_DEVICE,
    SCRIPT_CLOCK,
    SCRIPT_WAIT,
    SCRIPT_SCREENSHOT,
    SCRIPT_EXPECT_MESSAGE,
    SCRIPT_EXPECT_TOTAL,
    SCRIPT_QUIT,
} script_op;

#define SCRIPT_ARG_CAP 256

typedef struct {
    script_op op;
    int line;                   /* 1-based line in the file, for messages */
    char arg[SCRIPT_ARG_CAP];   /* key name, text, code, screenshot name, expected text */
    int32_t keycode;            /* SCRIPT_KEY: SDL_Keycode */
    int64_t number;             /* WEIGHT grams, WAIT ms, EXPECT_TOTAL fen, CLOCK utc seconds */
} script_cmd;

typedef struct {
    script_cmd *cmds;
    size_t n;
    size_t next;                /* the runner's position */
    char path[512];
} script;

/* Parse text (NUL-terminated) named `name` in messages.  On failure writes "NAME:LINE: what"
 * to err and returns false (s is left empty).  Reading the file is the app's (run_screen.c):
 * it refuses what is not a regular file (a FIFO would block the screen forever) with the
 * same opener as every other outside file, which lives below ui/. */
bool script_parse(const char *name, const char *text, script *s, char *err, size_t err_cap);
void script_free(script *s);

#endif
