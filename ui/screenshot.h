/* screenshot: the current frame as a PNG file (scripted UI tests, bug reports). */
#ifndef FUPIN_UI_SCREENSHOT_H
#define FUPIN_UI_SCREENSHOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <SDL.h>

/* Write tightly packed 8-bit RGBA rows (stride = 4*w) as an RGB PNG (the alpha of a screen is
 * meaningless).  Written to PATH.tmp and renamed, so a reader never sees half a file. */
bool screenshot_write_png(const char *path, const uint8_t *rgba, int w, int h, char *err,
                          size_t err_cap);

/* Read back the renderer's current output and write it. */
bool screenshot_save(SDL_Renderer *r, const char *path, char *err, size_t err_cap);

#endif
