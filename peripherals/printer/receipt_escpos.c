/* receipt_escpos: the receipt document as ESC/POS bytes.  See receipt_escpos.h. */
#include "peripherals/printer/receipt_escpos.h"

#include <iconv.h>
#include <qrencode.h>
#include <stdlib.h>
#include <string.h>

#include "peripherals/printer/escpos.h"
#include "pos/core/code128.h"
#include "pos/core/utf8.h"

#define QR_MAX_PAYLOAD 700   /* GS ( k store: pL pH carry k + 3 < 65536; we keep receipts sane */
#define CODE128_MAX 200

const char *rescpos_strerror(rescpos_err e)
{
    switch (e) {
    case RESCPOS_OK: return "ok";
    case RESCPOS_ERR_NO_MEMORY: return "out of memory";
    case RESCPOS_ERR_ENCODING: return "no UTF-8 to GB18030 converter (iconv)";
    case RESCPOS_ERR_QR: return "the QR payload cannot be encoded";
    case RESCPOS_ERR_TOO_BIG: return "a barcode or QR payload too long";
    }
    return "unknown receipt printer error";
}

typedef struct {
    uint8_t *p;
    size_t len, cap;
    bool oom;
    iconv_t cd;
    size_t replaced;
} out_buf;

static void add(out_buf *o, const void *bytes, size_t n)
{
    if (o->oom)
        return;
    if (o->len + n > o->cap) {
        size_t cap = o->cap ? o->cap : 1024;
        while (cap < o->len + n)
            cap *= 2;
        uint8_t *p = realloc(o->p, cap);
        if (!p) {
            o->oom = true;
            return;
        }
        o->p = p;
        o->cap = cap;
    }
    memcpy(o->p + o->len, bytes, n);
    o->len += n;
}

static void add3(out_buf *o, uint8_t a, uint8_t b, uint8_t c)
{
    uint8_t x[3] = {a, b, c};
    add(o, x, 3);
}

/* One character (k bytes of valid UTF-8) in GB: its code when it has one of one or two bytes,
 * else '?' (plus a space for a two-column character). */
static void gb_char(out_buf *o, const unsigned char *s, size_t k)
{
    unsigned cp = utf8_decode(s, k);
    if (cp >= 0x20 && cp < 0x7f) {
        add(o, s, 1);
        return;
    }
    char in[4], gb[8];
    memcpy(in, s, k);
    char *ip = in, *op = gb;
    size_t il = k, ol = sizeof gb;
    size_t rc = cp < 0x20 || cp == 0x7f ? (size_t)-1 : iconv(o->cd, &ip, &il, &op, &ol);
    iconv(o->cd, NULL, NULL, NULL, NULL);
    size_t got = sizeof gb - ol;
    if (rc != (size_t)-1 && il == 0 && got == 2) {
        add(o, gb, 2);
        return;
    }
    o->replaced++;
    add(o, utf8_char_cols(cp) == 2 ? "? " : "?", utf8_char_cols(cp) == 2 ? 2 : 1);
}

static void gb_text(out_buf *o, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        size_t k = utf8_sequence_len(p + i, n - i);
        if (k == 0) {
            o->replaced++;
            add(o, "?", 1);
            i++;
            continue;
        }
        gb_char(o, p + i, k);
        i += k;
    }
}

rescpos_err rescpos_gb(const char *utf8, size_t n, uint8_t **out, size_t *len, size_t *cap,
                       size_t *replaced)
{
    out_buf o = {.p = *out, .len = *len, .cap = *cap};
    o.cd = iconv_open("GB18030", "UTF-8");
    if (o.cd == (iconv_t)-1)
        return RESCPOS_ERR_ENCODING;
    gb_text(&o, utf8, n);
    iconv_close(o.cd);
    *out = o.p;
    *len = o.len;
    *cap = o.cap;
    if (replaced)
        *replaced += o.replaced;
    return o.oom ? RESCPOS_ERR_NO_MEMORY : RESCPOS_OK;
}

/* ---- CODE128 for GS k 73: the host picks the code sets ({B text, {C digit pairs) ---- */

/* The GS k data of text: each piece in the code set pos/core/code128.c picks (so the PNG
 * preview draws these bars), the set named before it changes. */
static bool code128(const char *text, uint8_t *data, size_t cap, size_t *len)
{
    size_t n = 0;
    char set = 0;
    for (const char *s = text; *s;) {
        char want;
        size_t d = code128_piece(s, &want);
        if (set != want) {
            if (n + 2 > cap)
                return false;
            data[n++] = '{', data[n++] = (uint8_t)want;
            set = want;
        }
        if (want == 'C') {
            for (size_t i = 0; i < d; i += 2) {
                if (n + 1 > cap)
                    return false;
                data[n++] = (uint8_t)((s[i] - '0') * 10 + (s[i + 1] - '0'));
            }
            s += d;
            continue;
        }
        unsigned char c = (unsigned char)*s++;
        if (c < 0x20 || c > 0x7e)
            c = '?';
        if (n + 2 > cap)
            return false;
        if (c == '{')
            data[n++] = '{';
        data[n++] = c;
    }
    *len = n;
    return n > 0 && n <= 255;
}

static rescpos_err barcode(out_buf *o, const receipt_cmd *c, int dots)
{
    uint8_t data[CODE128_MAX + 64], bars[(CODE128_MAX + 64) * 11 + 24];
    size_t n = 0;
    size_t symbol = code128_modules(c->text, bars, sizeof bars);
    if (!code128(c->text, data, sizeof data, &n) || symbol == 0)
        return RESCPOS_ERR_TOO_BIG;
    int modules = (int)symbol + 20;   /* two quiet zones of ten modules */
    /* The widest module that fits the paper, 1..3 dots: a 20-character receipt number is
     * about 240 modules, so 2 dots on 80 mm paper (576 dots) and 1 on 58 mm (384). */
    int w = receipt_barcode_module(modules, dots);
    add3(o, ESCPOS_ESC, 'a', 1);
    add3(o, ESCPOS_GS, 'H', 2);            /* the digits under it */
    add3(o, ESCPOS_GS, 'h', 64);           /* 8 mm tall */
    add3(o, ESCPOS_GS, 'w', (uint8_t)w);
    add3(o, ESCPOS_GS, 'k', 73);
    uint8_t len = (uint8_t)n;
    add(o, &len, 1);
    add(o, data, n);
    return RESCPOS_OK;
}

/* ---- QR ---- */

static void gs_k(out_buf *o, uint8_t fn, const uint8_t *m, size_t mlen)
{
    size_t plen = mlen + 2;
    uint8_t h[7] = {ESCPOS_GS, '(', 'k', (uint8_t)(plen & 0xff), (uint8_t)(plen >> 8), '1', fn};
    add(o, h, sizeof h);
    add(o, m, mlen);
}

static rescpos_err qr(out_buf *o, const char *payload, const rescpos_cfg *cfg, int dots)
{
    size_t n = strlen(payload);
    if (n == 0 || n > QR_MAX_PAYLOAD)
        return RESCPOS_ERR_TOO_BIG;
    QRcode *q = QRcode_encodeString8bit(payload, 0, QR_ECLEVEL_M);
    if (!q)
        return RESCPOS_ERR_QR;
    int module = receipt_qr_module(q->width, dots);
    add3(o, ESCPOS_ESC, 'a', 1);
    if (!cfg->qr_raster) {
        uint8_t model[2] = {'2', 0}, size = (uint8_t)module, ec = '1', print = '0';
        gs_k(o, 'A', model, 2);                     /* 1D 28 6B 04 00 31 41 32 00 */
        gs_k(o, 'C', &size, 1);                     /* 1D 28 6B 03 00 31 43 n */
        gs_k(o, 'E', &ec, 1);                       /* 1D 28 6B 03 00 31 45 31: M */
        uint8_t *store = malloc(n + 1);
        if (!store) {
            QRcode_free(q);
            return RESCPOS_ERR_NO_MEMORY;
        }
        store[0] = '0';
        memcpy(store + 1, payload, n);
        gs_k(o, 'P', store, n + 1);                 /* pL pH = k + 3 */
        free(store);
        gs_k(o, 'Q', &print, 1);                    /* 1D 28 6B 03 00 31 51 30 */
    } else {
        /* GS v 0: rows of bytes, MSB the leftmost dot, 1 = black; a 4-module quiet zone. */
        int side = (q->width + 2 * RECEIPT_QR_QUIET) * module;
        int xbytes = (side + 7) / 8;
        size_t size = (size_t)xbytes * (size_t)side;
        uint8_t *img = calloc(1, size);
        if (!img) {
            QRcode_free(q);
            return RESCPOS_ERR_NO_MEMORY;
        }
        for (int y = 0; y < side; y++) {
            int my = y / module - RECEIPT_QR_QUIET;
            for (int x = 0; x < side; x++) {
                int mx = x / module - RECEIPT_QR_QUIET;
                if (mx < 0 || my < 0 || mx >= q->width || my >= q->width)
                    continue;
                if (q->data[my * q->width + mx] & 1)
                    img[(size_t)y * (size_t)xbytes + (size_t)(x / 8)] |= (uint8_t)(0x80 >> (x % 8));
            }
        }
        uint8_t h[8] = {ESCPOS_GS, 'v', '0', 0, (uint8_t)(xbytes & 0xff), (uint8_t)(xbytes >> 8),
                        (uint8_t)(side & 0xff), (uint8_t)(side >> 8)};
        add(o, h, sizeof h);
        add(o, img, size);
        free(img);
    }
    QRcode_free(q);
    add(o, "\n", 1);
    return RESCPOS_OK;
}

/* ---- the document ---- */

typedef struct {
    int align, size, bold;   /* what the printer is set to; -1 unknown */
} pstate;

static void set_style(out_buf *o, pstate *st, int align, int size, int bold)
{
    if (st->align != align)
        add3(o, ESCPOS_ESC, 'a', (uint8_t)align);
    if (st->size != size) {
        uint8_t n = (uint8_t)(((size & RSIZE_WIDE) ? 0x10 : 0) | ((size & RSIZE_TALL) ? 0x01 : 0));
        add3(o, ESCPOS_GS, '!', n);
    }
    if (st->bold != bold)
        add3(o, ESCPOS_ESC, 'E', (uint8_t)bold);
    st->align = align, st->size = size, st->bold = bold;
}

rescpos_err receipt_escpos(const receipt *r, const rescpos_cfg *cfg, uint8_t **out, size_t *len,
                           size_t *replaced)
{
    rescpos_cfg def = {0};
    if (!cfg)
        cfg = &def;
    int dots = cfg->dots > 0 ? cfg->dots : r->width_mm == 80 ? 576 : 384;
    out_buf o = {0};
    o.cd = iconv_open("GB18030", "UTF-8");
    if (o.cd == (iconv_t)-1)
        return RESCPOS_ERR_ENCODING;
    rescpos_err e = RESCPOS_OK;
    uint8_t b[16];
    escpos_buf eb;
    escpos_buf_init(&eb, b, sizeof b);
    (void)escpos_initialize(&eb);
    (void)escpos_chinese(&eb, true);
    add(&o, eb.data, eb.len);
    pstate st = {.align = 0, .size = 0, .bold = 0};
    bool chinese = true;
    for (size_t i = 0; i < r->n && e == RESCPOS_OK; i++) {
        const receipt_cmd *c = &r->cmds[i];
        char line[RECEIPT_TEXT_CAP + RECEIPT_VALUE_CAP + 64];
        escpos_buf_init(&eb, b, sizeof b);
        switch (c->kind) {
        case RCMD_TEXT:
        case RCMD_KV:
        case RCMD_RULE: {
            size_t n = receipt_line(r, c, false, line, sizeof line);
            set_style(&o, &st, c->kind == RCMD_TEXT ? (int)c->align : 0,
                      c->kind == RCMD_RULE ? 0 : (int)c->size, c->kind != RCMD_RULE && c->bold);
            gb_text(&o, line, n);
            add(&o, "\n", 1);
            break;
        }
        case RCMD_BARCODE:
            set_style(&o, &st, 1, 0, 0);
            e = barcode(&o, c, dots);
            break;
        case RCMD_QR:
            set_style(&o, &st, 1, 0, 0);
            e = qr(&o, receipt_qr_payload(r, c), cfg, dots);
            break;
        case RCMD_FEED:
            (void)escpos_feed(&eb, (uint8_t)(c->n > 0 && c->n < 10 ? c->n : 1));
            break;
        case RCMD_CUT:
            if (chinese)
                (void)escpos_chinese(&eb, false);
            chinese = false;
            (void)escpos_cut(&eb, false);
            break;
        case RCMD_DRAWER: {
            escpos_drawer d = ESCPOS_DRAWER_DEFAULT;
            (void)escpos_drawer_kick(&eb, &d);
            break;
        }
        }
        add(&o, eb.data, eb.len);
    }
    if (chinese) {
        escpos_buf_init(&eb, b, sizeof b);
        (void)escpos_chinese(&eb, false);
        add(&o, eb.data, eb.len);
    }
    iconv_close(o.cd);
    if (e == RESCPOS_OK && o.oom)
        e = RESCPOS_ERR_NO_MEMORY;
    if (e != RESCPOS_OK) {
        free(o.p);
        return e;
    }
    *out = o.p;
    *len = o.len;
    if (replaced)
        *replaced = o.replaced;
    return RESCPOS_OK;
}
