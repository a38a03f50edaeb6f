/* screenshot: frames become valid PNG files (ui/screenshot.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <SDL.h>
#include <png.h>

#include "ui/screenshot.h"

/* Read a PNG back with libpng's simplified API as RGBA. */
static uint8_t *read_png(const char *path, int *w, int *h)
{
    png_image img;
    memset(&img, 0, sizeof img);
    img.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_file(&img, path)) {
        return NULL;
    }
    img.format = PNG_FORMAT_RGBA;
    uint8_t *buf = malloc(PNG_IMAGE_SIZE(img));
    if (!buf || !png_image_finish_read(&img, NULL, buf, 0, NULL)) {
        free(buf);
        png_image_free(&img);
        return NULL;
    }
    *w = (int)img.width;
    *h = (int)img.height;
    return buf;
}

static void test_write_png_round_trip(void **state)
{
    (void)state;
    enum { W = 7, H = 3 };
    uint8_t px[W * H * 4];
    for (int i = 0; i < W * H; i++) {
        px[i * 4 + 0] = (uint8_t)(i * 10);
        px[i * 4 + 1] = (uint8_t)(255 - i);
        px[i * 4 + 2] = 0x42;
        px[i * 4 + 3] = 0;   /* screen alpha is meaningless: the file is opaque */
    }
    const char *path = FUPIN_TEST_TMP "/ui_shot_roundtrip.png";
    remove(path);
    char err[256] = "";
    assert_true(screenshot_write_png(path, px, W, H, err, sizeof err));
    int w = 0, h = 0;
    uint8_t *back = read_png(path, &w, &h);
    assert_non_null(back);
    assert_int_equal(w, W);
    assert_int_equal(h, H);
    for (int i = 0; i < W * H; i++) {
        assert_int_equal(back[i * 4 + 0], px[i * 4 + 0]);
        assert_int_equal(back[i * 4 + 1], px[i * 4 + 1]);
        assert_int_equal(back[i * 4 + 2], px[i * 4 + 2]);
        assert_int_equal(back[i * 4 + 3], 0xFF);
    }
    free(back);
    /* no temporary left behind */
    FILE *f = fopen(FUPIN_TEST_TMP "/ui_shot_roundtrip.png.tmp", "rb");
    assert_null(f);
}

static void test_write_png_errors(void **state)
{
    (void)state;
    uint8_t px[4] = {0};
    char err[256] = "";
    assert_false(screenshot_write_png(FUPIN_TEST_TMP "/no/such/dir/x.png", px, 1, 1, err,
                                      sizeof err));
    assert_non_null(strstr(err, "cannot write"));
    assert_false(screenshot_write_png(FUPIN_TEST_TMP "/x.png", px, 0, 1, err, sizeof err));
}

/* A software renderer on a plain surface: no display needed. */
static void test_save_from_renderer(void **state)
{
    (void)state;
    SDL_Surface *surf = SDL_CreateRGBSurfaceWithFormat(0, 64, 48, 32, SDL_PIXELFORMAT_RGBA32);
    assert_non_null(surf);
    SDL_Renderer *r = SDL_CreateSoftwareRenderer(surf);
    assert_non_null(r);
    SDL_SetRenderDrawColor(r, 0x16, 0x22, 0x33, 0xFF);
    SDL_RenderClear(r);
    SDL_SetRenderDrawColor(r, 0xC0, 0x1F, 0x1F, 0xFF);
    SDL_Rect rc = {10, 10, 20, 5};
    SDL_RenderFillRect(r, &rc);
    const char *path = FUPIN_TEST_TMP "/ui_shot_renderer.png";
    char err[256] = "";
    if (!screenshot_save(r, path, err, sizeof err)) {
        fail_msg("%s", err);
    }
    int w = 0, h = 0;
    uint8_t *back = read_png(path, &w, &h);
    assert_non_null(back);
    assert_int_equal(w, 64);
    assert_int_equal(h, 48);
    const uint8_t *bg = back;                         /* (0,0) */
    const uint8_t *fg = back + (12 * 64 + 15) * 4;    /* (15,12) inside the rectangle */
    assert_int_equal(bg[0], 0x16);
    assert_int_equal(bg[1], 0x22);
    assert_int_equal(bg[2], 0x33);
    assert_int_equal(fg[0], 0xC0);
    assert_int_equal(fg[1], 0x1F);
    assert_int_equal(fg[2], 0x1F);
    free(back);
    SDL_DestroyRenderer(r);
    SDL_FreeSurface(surf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_write_png_round_trip),
        cmocka_unit_test(test_write_png_errors),
        cmocka_unit_test(test_save_from_renderer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
