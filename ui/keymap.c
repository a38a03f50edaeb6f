/* keymap: SDL's key codes and modifiers mapped to the screen's own (ui/input.h), the one place
 * the app's controller is shielded from SDL.  A key a till does not act on is UI_KEY_OTHER. */
#include <SDL.h>

#include "ui/screen.h"

ui_key ui_key_from_sdl(int32_t sdl_keycode)
{
    switch (sdl_keycode) {
    case SDLK_RETURN:
    case SDLK_KP_ENTER:
    case SDLK_RETURN2:
        return UI_KEY_ENTER;
    case SDLK_ESCAPE: return UI_KEY_ESCAPE;
    case SDLK_BACKSPACE: return UI_KEY_BACKSPACE;
    case SDLK_DELETE: return UI_KEY_DELETE;
    case SDLK_UP: return UI_KEY_UP;
    case SDLK_DOWN: return UI_KEY_DOWN;
    case SDLK_PAGEUP: return UI_KEY_PAGEUP;
    case SDLK_PAGEDOWN: return UI_KEY_PAGEDOWN;
    case SDLK_KP_PLUS: return UI_KEY_KP_PLUS;
    case SDLK_KP_MULTIPLY: return UI_KEY_KP_MULTIPLY;
    case SDLK_F1: return UI_KEY_F1;
    case SDLK_F2: return UI_KEY_F2;
    case SDLK_F3: return UI_KEY_F3;
    case SDLK_F4: return UI_KEY_F4;
    case SDLK_F5: return UI_KEY_F5;
    case SDLK_F6: return UI_KEY_F6;
    case SDLK_F7: return UI_KEY_F7;
    case SDLK_F8: return UI_KEY_F8;
    case SDLK_F9: return UI_KEY_F9;
    case SDLK_F10: return UI_KEY_F10;
    case SDLK_F11: return UI_KEY_F11;
    case SDLK_F12: return UI_KEY_F12;
    case SDLK_q: return UI_KEY_Q;
    default: return UI_KEY_OTHER;
    }
}

unsigned ui_mods_from_sdl(unsigned sdl_mod)
{
    return ((sdl_mod & KMOD_CTRL) ? UI_MOD_CTRL : UI_MOD_NONE) |
           ((sdl_mod & KMOD_SHIFT) ? UI_MOD_SHIFT : UI_MOD_NONE);
}

unsigned ui_screen_mods(void)
{
    return ui_mods_from_sdl((unsigned)SDL_GetModState());
}
