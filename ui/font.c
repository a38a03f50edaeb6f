/* font: CJK font lookup (fontconfig), per-size TTF_Font cache, rendered-text LRU. */
#include "ui/font.h"

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <fontconfig/fontconfig.h>

#define HINT_FIX "install fonts-noto-cjk (apt install fonts-noto-cjk), put a CJK .ttf/.otf/.ttc " \
                 "in assets/fonts/, or pass a font file"

/* 合 (U+5408) and 计 (U+8BA1) are on every sale screen: a font without them is no use here. */
static bool charset_has_cjk(FcPattern *p)
{
    FcCharSet *cs = NULL;
    if (FcPatternGetCharSet(p, FC_CHARSET, 0, &cs) != FcResultMatch || !cs) {
        return false;
    }
    return FcCharSetHasChar(cs, 0x5408) && FcCharSetHasChar(cs, 0x8BA1);
}

static bool fc_match(const char *pattern_text, font_file *out)
{
    bool ok = false;
    FcPattern *pat = FcNameParse((const FcChar8 *)pattern_text);
    if (!pat) {
        return false;
    }
    FcConfigSubstitute(NULL, pat, FcMatchPattern);
    FcDefaultSubstitute(pat);
    FcResult res = FcResultNoMatch;
    FcPattern *m = FcFontMatch(NULL, pat, &res);
    if (m && res == FcResultMatch && charset_has_cjk(m)) {
        FcChar8 *file = NULL;
        int index = 0;
        if (FcPatternGetString(m, FC_FILE, 0, &file) == FcResultMatch && file &&
            strlen((const char *)file) < sizeof out->path) {
            (void)FcPatternGetInteger(m, FC_INDEX, 0, &index);
            snprintf(out->path, sizeof out->path, "%s", (const char *)file);
            out->index = index;
            ok = true;
        }
    }
    if (m) {
        FcPatternDestroy(m);
    }
    FcPatternDestroy(pat);
    return ok;
}

static bool has_font_ext(const char *name)
{
    const char *dot = strrchr(name, '.');
    return dot && (strcasecmp(dot, ".ttf") == 0 || strcasecmp(dot, ".otf") == 0 ||
                   strcasecmp(dot, ".ttc") == 0);
}

/* A font shipped with the app (assets/fonts/) wins over the system so every till renders the
 * same; the first file in name order is the regular face, one whose name says Bold the bold. */
static bool assets_font(const char *assets_dir, font_file *regular, font_file *bold,
                        bool *have_bold)
{
    if (!assets_dir) {
        return false;
    }
    char dir[1024];
    if ((size_t)snprintf(dir, sizeof dir, "%s/fonts", assets_dir) >= sizeof dir) {
        return false;
    }
    struct dirent **names = NULL;
    int n = scandir(dir, &names, NULL, alphasort);
    if (n < 0) {
        return false;
    }
    bool found = false;
    for (int i = 0; i < n; i++) {
        const char *nm = names[i]->d_name;
        if (nm[0] != '.' && has_font_ext(nm)) {
            bool is_bold = strstr(nm, "Bold") || strstr(nm, "bold");
            font_file *dst = is_bold ? bold : regular;
            if (is_bold ? !*have_bold : !found) {
                if ((size_t)snprintf(dst->path, sizeof dst->path, "%s/%s", dir, nm) <
                    sizeof dst->path) {
                    dst->index = 0;
                    if (is_bold) {
                        *have_bold = true;
                    } else {
                        found = true;
                    }
                }
            }
        }
        free(names[i]);
    }
    free(names);
    if (!found && *have_bold) {
        *regular = *bold;          /* only a bold face shipped: use it for everything */
        found = true;
    }
    return found;
}

bool font_locate(const char *override_path, const char *assets_dir, font_file *regular,
                 font_file *bold, bool *have_bold, char *err, size_t err_cap)
{
    memset(regular, 0, sizeof *regular);
    memset(bold, 0, sizeof *bold);
    *have_bold = false;
    if (override_path && *override_path) {
        struct stat st;
        if (stat(override_path, &st) != 0 || !S_ISREG(st.st_mode)) {
            snprintf(err, err_cap, "no Chinese font found: font file %s does not exist; %s",
                     override_path, HINT_FIX);
            return false;
        }
        snprintf(regular->path, sizeof regular->path, "%s", override_path);
        return true;
    }
    if (assets_font(assets_dir, regular, bold, have_bold)) {
        return true;
    }
    if (!FcInit()) {
        snprintf(err, err_cap, "no Chinese font found: fontconfig failed to initialise; %s",
                 HINT_FIX);
        return false;
    }
    /* Noto Sans CJK SC first: it is what fonts-noto-cjk installs and its simplified glyph
     * forms are the ones a Yunnan shopper expects.  Then anything fontconfig has for zh-cn. */
    bool ok = fc_match("Noto Sans CJK SC", regular) || fc_match(":lang=zh-cn", regular);
    if (ok) {
        *have_bold = fc_match("Noto Sans CJK SC:weight=bold", bold) ||
                     fc_match(":lang=zh-cn:weight=bold", bold);
        /* The same file back means there is no real bold face; SDL_ttf will embolden. */
        if (*have_bold && strcmp(bold->path, regular->path) == 0 &&
            bold->index == regular->index) {
            *have_bold = false;
        }
    } else {
        snprintf(err, err_cap, "no Chinese font found: %s", HINT_FIX);
    }
    /* Only the file names are needed from here on (SDL_ttf opens the files itself): release
     * fontconfig's configuration so it is not held, and reported as leaked, for the app's life. */
    FcFini();
    return ok;
}

/* ---- per-size fonts and the text LRU ---- */

#define FONT_SIZES 24
#define TEXT_LRU 384
#define TEXT_KEY_MAX 192

typedef struct {
    int px;
    font_weight weight;
    TTF_Font *font;
} sized_font;

typedef struct {
    uint64_t hash;
    char text[TEXT_KEY_MAX];
    int px;
    font_weight weight;
    uint32_t rgba;
    SDL_Texture *tex;
    SDL_Renderer *renderer;
    int w, h;
    uint64_t used;               /* LRU clock; 0 = empty slot */
} text_entry;

struct font_cache {
    font_file files[2];
    bool have_bold;
    sized_font fonts[FONT_SIZES];
    size_t n_fonts;
    text_entry texts[TEXT_LRU];
    uint64_t clock;
};

static TTF_Font *open_face(const font_file *f, int px)
{
    return TTF_OpenFontIndex(f->path, px, f->index);
}

font_cache *font_cache_create(const font_file *regular, const font_file *bold, bool have_bold,
                              char *err, size_t err_cap)
{
    font_cache *fc = calloc(1, sizeof *fc);
    if (!fc) {
        snprintf(err, err_cap, "out of memory");
        return NULL;
    }
    fc->files[FONT_REGULAR] = *regular;
    fc->files[FONT_BOLD] = have_bold ? *bold : *regular;
    fc->have_bold = have_bold;
    TTF_Font *probe = open_face(regular, 24);
    if (!probe) {
        snprintf(err, err_cap, "no Chinese font found: cannot open %s: %s; %s", regular->path,
                 TTF_GetError(), HINT_FIX);
        free(fc);
        return NULL;
    }
    /* An override font that cannot draw 合 would put boxes on the screen: refuse it too. */
    if (!TTF_GlyphIsProvided32(probe, 0x5408)) {
        snprintf(err, err_cap, "no Chinese font found: %s has no Chinese glyphs; %s",
                 regular->path, HINT_FIX);
        TTF_CloseFont(probe);
        free(fc);
        return NULL;
    }
    fc->fonts[0] = (sized_font){24, FONT_REGULAR, probe};
    fc->n_fonts = 1;
    return fc;
}

void font_cache_clear_textures(font_cache *fc)
{
    for (size_t i = 0; i < TEXT_LRU; i++) {
        if (fc->texts[i].tex) {
            SDL_DestroyTexture(fc->texts[i].tex);
        }
        memset(&fc->texts[i], 0, sizeof fc->texts[i]);
    }
}

void font_cache_destroy(font_cache *fc)
{
    if (!fc) {
        return;
    }
    font_cache_clear_textures(fc);
    for (size_t i = 0; i < fc->n_fonts; i++) {
        TTF_CloseFont(fc->fonts[i].font);
    }
    free(fc);
}

TTF_Font *font_get(font_cache *fc, int px, font_weight weight)
{
    if (px < 6) {
        px = 6;
    } else if (px > 400) {
        px = 400;
    }
    for (size_t i = 0; i < fc->n_fonts; i++) {
        if (fc->fonts[i].px == px && fc->fonts[i].weight == weight) {
            return fc->fonts[i].font;
        }
    }
    TTF_Font *f = open_face(&fc->files[weight], px);
    if (!f) {
        return fc->n_fonts ? fc->fonts[0].font : NULL;   /* degrade to some size, never crash */
    }
    if (weight == FONT_BOLD && !fc->have_bold) {
        TTF_SetFontStyle(f, TTF_STYLE_BOLD);
    }
    TTF_SetFontHinting(f, TTF_HINTING_LIGHT);
    size_t slot = fc->n_fonts;
    if (slot == FONT_SIZES) {
        /* Layouts use a handful of sizes; only a resize churns them.  Recycle the last slot
         * (slot 0 is the probe used as the fallback above). */
        slot = FONT_SIZES - 1;
        TTF_CloseFont(fc->fonts[slot].font);
    } else {
        fc->n_fonts++;
    }
    fc->fonts[slot] = (sized_font){px, weight, f};
    return f;
}

static uint64_t fnv1a(const char *s, int px, font_weight w, uint32_t rgba)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++) {
        h = (h ^ (unsigned char)*s) * UINT64_C(1099511628211);
    }
    h = (h ^ (uint64_t)px) * UINT64_C(1099511628211);
    h = (h ^ (uint64_t)w) * UINT64_C(1099511628211);
    h = (h ^ rgba) * UINT64_C(1099511628211);
    return h;
}

bool font_measure(font_cache *fc, const char *text, int px, font_weight weight, int *w, int *h)
{
    TTF_Font *f = font_get(fc, px, weight);
    if (!f || !text || !*text) {
        *w = 0;
        *h = f ? TTF_FontHeight(f) : 0;
        return f != NULL;
    }
    return TTF_SizeUTF8(f, text, w, h) == 0;
}

SDL_Texture *font_text(font_cache *fc, SDL_Renderer *r, const char *text, int px,
                       font_weight weight, SDL_Color color, int *w, int *h)
{
    *w = *h = 0;
    if (!text || !*text) {
        return NULL;
    }
    uint32_t rgba = ((uint32_t)color.r << 24) | ((uint32_t)color.g << 16) |
                    ((uint32_t)color.b << 8) | color.a;
    bool cacheable = strlen(text) < TEXT_KEY_MAX;
    uint64_t hash = fnv1a(text, px, weight, rgba);
    text_entry *victim = &fc->texts[0];
    fc->clock++;
    if (cacheable) {
        for (size_t i = 0; i < TEXT_LRU; i++) {
            text_entry *e = &fc->texts[i];
            if (e->used && e->hash == hash && e->px == px && e->weight == weight &&
                e->rgba == rgba && e->renderer == r && strcmp(e->text, text) == 0) {
                e->used = fc->clock;
                *w = e->w;
                *h = e->h;
                return e->tex;
            }
            if (e->used < victim->used) {
                victim = e;
            }
        }
    } else {
        /* A very long string goes into the oldest slot without a key, so it is never hit but
         * still owned (and freed) by the cache. */
        for (size_t i = 0; i < TEXT_LRU; i++) {
            if (fc->texts[i].used < victim->used) {
                victim = &fc->texts[i];
            }
        }
    }
    TTF_Font *f = font_get(fc, px, weight);
    if (!f) {
        return NULL;
    }
    SDL_Surface *s = TTF_RenderUTF8_Blended(f, text, color);
    if (!s) {
        return NULL;
    }
    SDL_Texture *t = SDL_CreateTextureFromSurface(r, s);
    int sw = s->w, sh = s->h;
    SDL_FreeSurface(s);
    if (!t) {
        return NULL;
    }
    if (victim->tex) {
        SDL_DestroyTexture(victim->tex);
    }
    memset(victim, 0, sizeof *victim);
    victim->hash = hash;
    if (cacheable) {
        snprintf(victim->text, sizeof victim->text, "%s", text);
    } else {
        victim->hash = 0;
        victim->text[0] = '\0';
        victim->px = -1;          /* never matches a lookup */
    }
    if (cacheable) {
        victim->px = px;
    }
    victim->weight = weight;
    victim->rgba = rgba;
    victim->tex = t;
    victim->renderer = r;
    victim->w = sw;
    victim->h = sh;
    victim->used = fc->clock;
    *w = sw;
    *h = sh;
    return t;
}
