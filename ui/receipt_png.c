/* receipt_png: the receipt document drawn as the printer would print it.  See receipt_png.h. */
#include "ui/receipt_png.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SDL.h>
#include <SDL_ttf.h>
#include <qrencode.h>

#include "pos/core/code128.h"
#include "pos/core/utf8.h"
#include "ui/font.h"
#include "ui/screenshot.h"

enum {
    COL_DOTS = 12,        /* a half-width column of the printer's 12x24 font */
    LINE_DOTS = 30,       /* the 24-dot font plus the default line spacing */
    FONT_PX = 24,         /* the em of the CJK face: one ideograph = two columns */
    MARGIN = 12,          /* white above the first line and below the last */
    BARCODE_DOTS = 64,    /* GS h 64, as the ESC/POS executor asks */
    CODE128_QUIET = 20,   /* ten modules either side */
    MODULES_CAP = 2048,
};

int receipt_png_dots(int width_mm)
{
    return width_mm == 80 ? 576 : 384;
}

typedef struct {
    TTF_Font *reg, *bold;
    SDL_Surface *page;    /* NULL while measuring */
    int dots, y;
    char *err;
    size_t err_cap;
} pen;

static void fill(pen *p, int x, int y, int w, int h, Uint8 grey)
{
    if (!p->page)
        return;
    SDL_Rect rc = {x, y, w, h};
    SDL_FillRect(p->page, &rc, SDL_MapRGBA(p->page->format, grey, grey, grey, 255));
}

/* One character centred in its cell of cellw dots, stretched xs across and ys down. */
static bool draw_char(pen *p, TTF_Font *f, const char *ch, int x, int cellw, int y, int xs, int ys)
{
    SDL_Color black = {0, 0, 0, 255};
    SDL_Surface *g = TTF_RenderUTF8_Blended(f, ch, black);
    if (!g) {
        snprintf(p->err, p->err_cap, "cannot draw '%s': %s", ch, TTF_GetError());
        return false;
    }
    int gw = g->w * xs, gh = g->h * ys;
    SDL_Rect dst = {x + (cellw - gw) / 2, y + (LINE_DOTS * ys - gh) / 2, gw, gh};
    int rc = SDL_BlitScaled(g, NULL, p->page, &dst);
    SDL_FreeSurface(g);
    if (rc != 0) {
        snprintf(p->err, p->err_cap, "cannot draw '%s': %s", ch, SDL_GetError());
        return false;
    }
    return true;
}

/* A printed line on the column grid: every character in its own cell, so the columns the
 * document counted (utf8_char_cols) are the columns on paper and amounts line up right. */
static bool text_line(pen *p, const char *line, receipt_size size, bool bold)
{
    int xs = (size & RSIZE_WIDE) ? 2 : 1, ys = (size & RSIZE_TALL) ? 2 : 1;
    if (p->page) {
        int col = 0;
        size_t len = strlen(line);
        for (size_t i = 0; i < len;) {
            size_t n = utf8_sequence_len((const unsigned char *)line + i, len - i);
            if (n == 0) {   /* not UTF-8: a '?' as the printer executor would send */
                if (!draw_char(p, bold ? p->bold : p->reg, "?", col * COL_DOTS * xs,
                               COL_DOTS * xs, p->y, xs, ys))
                    return false;
                col++, i++;
                continue;
            }
            unsigned cp = utf8_decode((const unsigned char *)line + i, n);
            int cc = utf8_char_cols(cp);
            if (cc > 0 && cp != ' ') {
                char ch[8];
                memcpy(ch, line + i, n);
                ch[n] = '\0';
                if (!draw_char(p, bold ? p->bold : p->reg, ch, col * COL_DOTS * xs,
                               cc * COL_DOTS * xs, p->y, xs, ys))
                    return false;
            }
            col += cc;
            i += n;
        }
    }
    p->y += LINE_DOTS * ys;
    return true;
}

static bool barcode(pen *p, const char *text)
{
    uint8_t m[MODULES_CAP];
    size_t n = code128_modules(text, m, sizeof m);
    if (n == 0) {
        snprintf(p->err, p->err_cap, "the barcode '%s' is too long to draw", text);
        return false;
    }
    int w = receipt_barcode_module((int)n + CODE128_QUIET, p->dots);
    int x0 = (p->dots - (int)n * w) / 2;
    for (size_t i = 0; i < n; i++)
        if (m[i])
            fill(p, x0 + (int)i * w, p->y, w, BARCODE_DOTS, 0);
    p->y += BARCODE_DOTS + 4;
    /* The digits under it (GS H 2), centred. */
    int tw = utf8_cols(text, strlen(text));
    int cols = p->dots / COL_DOTS;
    char line[RECEIPT_TEXT_CAP + 64];
    int pad = tw < cols ? (cols - tw) / 2 : 0;
    snprintf(line, sizeof line, "%*s%s", pad, "", text);
    return text_line(p, line, RSIZE_NORMAL, false);
}

static bool qr(pen *p, const char *payload)
{
    /* All in byte mode, as receipt_escpos.c encodes it (and a printer's GS ( k does): the
     * same symbol, not a smaller one of numeric/alphanumeric segments. */
    QRcode *q = QRcode_encodeString8bit(payload, 0, QR_ECLEVEL_M);
    if (!q) {
        snprintf(p->err, p->err_cap, "cannot make the QR code of '%s'", payload);
        return false;
    }
    int module = receipt_qr_module(q->width, p->dots);
    int side = (q->width + 2 * RECEIPT_QR_QUIET) * module;
    int x0 = (p->dots - side) / 2 + RECEIPT_QR_QUIET * module;
    int y0 = p->y + RECEIPT_QR_QUIET * module;
    for (int y = 0; y < q->width; y++)
        for (int x = 0; x < q->width; x++)
            if (q->data[y * q->width + x] & 1)
                fill(p, x0 + x * module, y0 + y * module, module, module, 0);
    p->y += side;
    QRcode_free(q);
    return true;
}

static bool run(pen *p, const receipt *r)
{
    p->y = MARGIN;
    char line[RECEIPT_TEXT_CAP * 2 + RECEIPT_VALUE_CAP];
    for (size_t i = 0; i < r->n; i++) {
        const receipt_cmd *c = &r->cmds[i];
        bool ok = true;
        switch (c->kind) {
        case RCMD_TEXT:
        case RCMD_KV:
        case RCMD_RULE:
            receipt_line(r, c, true, line, sizeof line);
            ok = text_line(p, line, c->kind == RCMD_RULE ? RSIZE_NORMAL : c->size,
                           c->kind != RCMD_RULE && c->bold);
            break;
        case RCMD_BARCODE:
            ok = barcode(p, c->text);
            break;
        case RCMD_QR:
            ok = qr(p, receipt_qr_payload(r, c));
            break;
        case RCMD_FEED:
            p->y += LINE_DOTS * (c->n > 0 ? c->n : 0);
            break;
        case RCMD_CUT:   /* where the knife goes: a dashed line */
            p->y += 6;
            for (int x = 0; x < p->dots; x += 12)
                fill(p, x, p->y, 6, 2, 128);
            p->y += 8;
            break;
        case RCMD_DRAWER:
            break;
        }
        if (!ok)
            return false;
    }
    p->y += MARGIN;
    return true;
}

static TTF_Font *open_face(const font_file *f, bool synth_bold, char *err, size_t cap)
{
    TTF_Font *font = TTF_OpenFontIndex(f->path, FONT_PX, f->index);
    if (!font) {
        snprintf(err, cap, "cannot open the font %s: %s", f->path, TTF_GetError());
        return NULL;
    }
    if (synth_bold)
        TTF_SetFontStyle(font, TTF_STYLE_BOLD);
    return font;
}

bool receipt_png_render(const receipt *r, const receipt_png_options *o, uint8_t **rgba, int *w,
                        int *h, char *err, size_t err_cap)
{
    *rgba = NULL;
    font_file reg, bold;
    bool have_bold = false;
    if (!font_locate(o ? o->font_path : NULL, o ? o->assets_dir : NULL, &reg, &bold, &have_bold,
                     err, err_cap))
        return false;
    /* SDL_ttf needs no SDL_Init: no window, no video driver (the preview runs headless). */
    if (TTF_Init() != 0) {
        snprintf(err, err_cap, "cannot start the font renderer: %s", TTF_GetError());
        return false;
    }
    bool ok = false;
    pen p = {.dots = receipt_png_dots(r->width_mm), .err = err, .err_cap = err_cap};
    p.reg = open_face(&reg, false, err, err_cap);
    if (p.reg)
        p.bold = open_face(have_bold ? &bold : &reg, !have_bold, err, err_cap);
    if (!p.reg || !p.bold)
        goto out;
    if (!run(&p, r))   /* measuring: no page yet */
        goto out;
    int height = p.y;
    p.page = SDL_CreateRGBSurfaceWithFormat(0, p.dots, height, 32, SDL_PIXELFORMAT_RGBA32);
    if (!p.page) {
        snprintf(err, err_cap, "cannot make a %dx%d image: %s", p.dots, height, SDL_GetError());
        goto out;
    }
    SDL_FillRect(p.page, NULL, SDL_MapRGBA(p.page->format, 255, 255, 255, 255));
    if (!run(&p, r))
        goto out;
    uint8_t *px = malloc((size_t)p.dots * (size_t)height * 4);
    if (!px) {
        snprintf(err, err_cap, "out of memory");
        goto out;
    }
    for (int y = 0; y < height; y++)
        memcpy(px + (size_t)y * (size_t)p.dots * 4,
               (const uint8_t *)p.page->pixels + (size_t)y * (size_t)p.page->pitch,
               (size_t)p.dots * 4);
    *rgba = px;
    *w = p.dots;
    *h = height;
    ok = true;
out:
    if (p.page)
        SDL_FreeSurface(p.page);
    if (p.bold)
        TTF_CloseFont(p.bold);
    if (p.reg)
        TTF_CloseFont(p.reg);
    TTF_Quit();
    return ok;
}

bool receipt_png_write(const receipt *r, const receipt_png_options *o, const char *path,
                       char *err, size_t err_cap)
{
    uint8_t *px = NULL;
    int w = 0, h = 0;
    if (!receipt_png_render(r, o, &px, &w, &h, err, err_cap))
        return false;
    bool ok = screenshot_write_png(path, px, w, h, err, err_cap);
    free(px);
    return ok;
}

/* ---- A4 sheets ---- */

enum { SHEET_GAP = 24 };

static bool page_path(const char *path, int page, char *out, size_t cap)
{
    if (page == 1)
        return (size_t)snprintf(out, cap, "%s", path) < cap;
    const char *dot = strrchr(path, '.');
    const char *slash = strrchr(path, '/');
    if (!dot || (slash && dot < slash))
        dot = path + strlen(path);
    return (size_t)snprintf(out, cap, "%.*s-%d%s", (int)(dot - path), path, page, dot) < cap;
}

static void frame(uint8_t *px, int x, int y, int w, int h)
{
    for (int i = -2; i < w + 2; i++)
        for (int j = -2; j < h + 2; j++) {
            if (i >= 0 && i < w && j >= 0 && j < h)
                continue;
            int X = x + i, Y = y + j;
            if (X < 0 || Y < 0 || X >= RECEIPT_PNG_A4_W || Y >= RECEIPT_PNG_A4_H)
                continue;
            uint8_t *p = px + ((size_t)Y * RECEIPT_PNG_A4_W + (size_t)X) * 4;
            p[0] = p[1] = p[2] = 160;
        }
}

static bool write_page(const uint8_t *px, const char *path, int page, char *err, size_t cap)
{
    char name[1024];
    if (!page_path(path, page, name, sizeof name)) {
        snprintf(err, cap, "the file name %s is too long", path);
        return false;
    }
    return screenshot_write_png(name, px, RECEIPT_PNG_A4_W, RECEIPT_PNG_A4_H, err, cap);
}

bool receipt_png_sheet(const receipt *docs, size_t n, const receipt_png_options *o,
                       const char *path, int *pages, char *err, size_t err_cap)
{
    *pages = 0;
    size_t page_bytes = (size_t)RECEIPT_PNG_A4_W * RECEIPT_PNG_A4_H * 4;
    uint8_t *page = malloc(page_bytes);
    if (!page) {
        snprintf(err, err_cap, "out of memory");
        return false;
    }
    memset(page, 255, page_bytes);
    bool ok = true, dirty = false;
    int x = SHEET_GAP, y = SHEET_GAP, row_h = 0;
    for (size_t i = 0; i < n && ok; i++) {
        uint8_t *img = NULL;
        int w = 0, h = 0;
        if (!receipt_png_render(&docs[i], o, &img, &w, &h, err, err_cap)) {
            ok = false;
            break;
        }
        if (w + 2 * SHEET_GAP > RECEIPT_PNG_A4_W || h + 2 * SHEET_GAP > RECEIPT_PNG_A4_H) {
            snprintf(err, err_cap, "a label of %dx%d dots does not fit an A4 page", w, h);
            free(img);
            ok = false;
            break;
        }
        if (x + w + SHEET_GAP > RECEIPT_PNG_A4_W) {   /* next row */
            x = SHEET_GAP;
            y += row_h + SHEET_GAP;
            row_h = 0;
        }
        if (y + h + SHEET_GAP > RECEIPT_PNG_A4_H) {   /* next page */
            ok = write_page(page, path, ++*pages, err, err_cap);
            memset(page, 255, page_bytes);
            x = y = SHEET_GAP;
            row_h = 0;
        }
        for (int r = 0; r < h && ok; r++)
            memcpy(page + ((size_t)(y + r) * RECEIPT_PNG_A4_W + (size_t)x) * 4,
                   img + (size_t)r * (size_t)w * 4, (size_t)w * 4);
        frame(page, x, y, w, h);
        dirty = true;
        free(img);
        x += w + SHEET_GAP;
        row_h = h > row_h ? h : row_h;
    }
    if (ok && dirty)
        ok = write_page(page, path, ++*pages, err, err_cap);
    free(page);
    return ok;
}
