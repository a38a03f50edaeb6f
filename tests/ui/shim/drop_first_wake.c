/* A test shim, loaded with LD_PRELOAD into the real fupin-pos by tests/ui/test_lost_wake.c: the
 * first application event pushed with SDL_PushEvent (the event queue's wake, ui_screen_wake) is
 * lost -- refused as SDL refuses a push when its queue is full -- and every other push goes
 * through.  It shows a lost wake cannot strand a result in the app's event queue.  SDL's own
 * events never pass here (inside SDL they call the internal function, not this symbol). */
#define _GNU_SOURCE
#include <SDL.h>
#include <dlfcn.h>
#include <stdatomic.h>
#include <string.h>

typedef int (*push_fn)(SDL_Event *);

static atomic_int dropped;

int SDL_PushEvent(SDL_Event *ev)
{
    static push_fn real;
    if (!real) {
        void *sym = dlsym(RTLD_NEXT, "SDL_PushEvent");
        memcpy(&real, &sym, sizeof real);   /* object to function pointer, without -Wpedantic's cast */
    }
    if (ev && ev->type >= SDL_USEREVENT && ev->type < SDL_LASTEVENT &&
        atomic_exchange(&dropped, 1) == 0) {
        SDL_SetError("test shim: wake event dropped");
        return -1;
    }
    return real ? real(ev) : -1;
}
