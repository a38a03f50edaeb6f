/* screenshot: SDL_RenderReadPixels -> libpng.  See screenshot.h. */
#include "ui/screenshot.h"

#include <errno.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <png.h>

/* Kept out of the setjmp function so no local is modified between setjmp and longjmp. */
static bool write_rows(FILE *f, png_bytep *rows, int w, int h, char *err, size_t err_cap)
{
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    if (!png) {
        snprintf(err, err_cap, "libpng: out of memory");
        return false;
    }
    png_infop info = png_create_info_struct(png);
    if (!info || setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, info ? &info : NULL);
        snprintf(err, err_cap, "libpng failed to write the image");
        return false;
    }
    png_init_io(png, f);
    png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8, PNG_COLOR_TYPE_RGB,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_set_compression_level(png, 6);
    png_write_info(png, info);
    png_set_filler(png, 0, PNG_FILLER_AFTER);   /* input rows are RGBA: drop the A */
    png_write_image(png, rows);
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    return true;
}

bool screenshot_write_png(const char *path, const uint8_t *rgba, int w, int h, char *err,
                          size_t err_cap)
{
    if (w <= 0 || h <= 0 || !rgba) {
        snprintf(err, err_cap, "empty image");
        return false;
    }
    size_t tmp_len = strlen(path) + 5;
    char *tmp = malloc(tmp_len);
    png_bytep *rows = malloc((size_t)h * sizeof *rows);
    uint8_t *opaque = malloc((size_t)w * (size_t)h * 4);
    bool ok = false;
    FILE *f = NULL;
    if (!tmp || !rows || !opaque) {
        snprintf(err, err_cap, "out of memory");
        goto fail;
    }
    snprintf(tmp, tmp_len, "%s.tmp", path);
    /* libpng wants non-const rows; copy rather than cast the caller's const away. */
    memcpy(opaque, rgba, (size_t)w * (size_t)h * 4);
    for (int y = 0; y < h; y++) {
        rows[y] = opaque + (size_t)y * (size_t)w * 4;
    }
    f = fopen(tmp, "wb");
    if (!f) {
        snprintf(err, err_cap, "cannot write %s: %s", tmp, strerror(errno));
        goto fail;
    }
    if (!write_rows(f, rows, w, h, err, err_cap)) {
        goto fail;
    }
    if (fclose(f) != 0) {
        f = NULL;
        snprintf(err, err_cap, "cannot write %s: %s", tmp, strerror(errno));
        goto fail;
    }
    f = NULL;
    if (rename(tmp, path) != 0) {
        snprintf(err, err_cap, "cannot rename %s to %s: %s", tmp, path, strerror(errno));
        goto fail;
    }
    ok = true;
fail:
    if (f) {
        fclose(f);
    }
    if (!ok && tmp) {
        remove(tmp);
    }
    free(tmp);
    free(rows);
    free(opaque);
    return ok;
}

bool screenshot_save(SDL_Renderer *r, const char *path, char *err, size_t err_cap)
{
    int w = 0, h = 0;
    if (SDL_GetRendererOutputSize(r, &w, &h) != 0 || w <= 0 || h <= 0) {
        snprintf(err, err_cap, "cannot read the screen size: %s", SDL_GetError());
        return false;
    }
    uint8_t *px = malloc((size_t)w * (size_t)h * 4);
    if (!px) {
        snprintf(err, err_cap, "out of memory");
        return false;
    }
    /* ABGR8888 is R,G,B,A in memory on little-endian; RGBA32 names that byte order on any
     * endianness, which is what libpng wants. */
    bool ok = SDL_RenderReadPixels(r, NULL, SDL_PIXELFORMAT_RGBA32, px, w * 4) == 0;
    if (!ok) {
        snprintf(err, err_cap, "cannot read the screen: %s", SDL_GetError());
    } else {
        ok = screenshot_write_png(path, px, w, h, err, err_cap);
    }
    free(px);
    return ok;
}
