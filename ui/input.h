/* input: the screen's own keys and input events -- what the app's sale controller receives
 * instead of SDL's (SDL is mapped to these at one point, ui/keymap.c).
 *
 * Only the keys a till screen acts on have names; everything else is UI_KEY_OTHER.  Text
 * (typed characters, a scanner burst, IME output) arrives apart as UTF-8, with the time it
 * arrived: the keyboard-wedge detector tells a scanner from a person by those gaps. */
#ifndef FUPIN_UI_INPUT_H
#define FUPIN_UI_INPUT_H

#include <stdbool.h>
#include <stdint.h>

typedef enum {
    UI_KEY_OTHER = 0,
    UI_KEY_ENTER,          /* Return, keypad Enter, Return2 */
    UI_KEY_ESCAPE,
    UI_KEY_BACKSPACE,
    UI_KEY_DELETE,
    UI_KEY_UP,
    UI_KEY_DOWN,
    UI_KEY_PAGEUP,
    UI_KEY_PAGEDOWN,
    UI_KEY_KP_PLUS,        /* keypad +: start payment */
    UI_KEY_KP_MULTIPLY,    /* keypad *: quantity for the next scan */
    UI_KEY_F1,
    UI_KEY_F2,
    UI_KEY_F3,
    UI_KEY_F4,
    UI_KEY_F5,
    UI_KEY_F6,             /* simulated scale: the typed grams on the platter (the app's) */
    UI_KEY_F7,             /* reprint the last receipt */
    UI_KEY_F8,
    UI_KEY_F9,
    UI_KEY_F10,            /* simulated scale: jiggle it (motion) */
    UI_KEY_F11,            /* the scale: zero it (with UI_MOD_SHIFT: tare) */
    UI_KEY_F12,
    UI_KEY_Q,              /* with UI_MOD_CTRL: quit */
} ui_key;

enum { UI_MOD_NONE = 0, UI_MOD_CTRL = 1 << 0, UI_MOD_SHIFT = 1 << 1 };

typedef enum {
    UI_INPUT_NONE = 0,     /* nothing (the wait timed out, or an event the app ignores) */
    UI_INPUT_KEY,
    UI_INPUT_TEXT,
    UI_INPUT_WAKE,         /* the app's event queue has events (its waker) */
    UI_INPUT_REDRAW,       /* the window needs drawing again (resize, lost textures) */
    UI_INPUT_QUIT,
} ui_input_kind;

typedef struct {
    ui_input_kind kind;
    ui_key key;
    unsigned mod;
    uint32_t t_ms;         /* when it arrived (the wedge detector's clock) */
    char text[32];         /* UI_INPUT_TEXT: UTF-8 */
} ui_input;

#endif
