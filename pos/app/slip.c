/* slip: the plain-text slip of a committed sale.  See slip.h. */
#include "pos/app/slip.h"

#include <errno.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "peripherals/printer/escpos.h"
#include "pos/core/money.h"

#define RULE "--------------------------------\n"   /* 32 columns: a 58 mm roll */

const char *slip_strerror(slip_err e)
{
    switch (e) {
    case SLIP_OK: return "ok";
    case SLIP_ERR_NO_MEMORY: return "out of memory";
    case SLIP_ERR_ENCODING: return "no UTF-8 to GB18030 converter (iconv)";
    case SLIP_ERR_TOO_BIG: return "the slip is too big";
    }
    return "unknown slip error";
}

typedef struct {
    char *p;
    size_t len, cap;
    bool oom;
} sbuf;

static void put(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(sbuf *b, const char *fmt, ...)
{
    if (b->oom)
        return;
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
        va_end(ap);
        if (n < 0) {
            b->oom = true;
            return;
        }
        if ((size_t)n < b->cap - b->len) {
            b->len += (size_t)n;
            return;
        }
        size_t ncap = (b->cap + (size_t)n + 1) * 2;
        char *np = realloc(b->p, ncap);
        if (!np) {
            b->oom = true;
            return;
        }
        b->p = np;
        b->cap = ncap;
    }
}

/* A name as printed: a control byte would be an ESC/POS command. */
static void clean(const char *in, char *out, size_t cap)
{
    size_t i = 0;
    for (; in[i] && i + 1 < cap; i++)
        out[i] = (unsigned char)in[i] < 0x20 || in[i] == 0x7F ? '?' : in[i];
    out[i] = '\0';
}

/* The receipt's words stay Chinese whatever the screen's language: it is the shopper's. */
static const char *tender_zh(tender_kind k)
{
    static const char *const zh[TENDER_KIND_COUNT] = {
        [TENDER_CASH] = "现金", [TENDER_WECHAT] = "微信支付", [TENDER_ALIPAY] = "支付宝",
        [TENDER_UNIONPAY] = "银联", [TENDER_POINTS] = "积分抵现",
    };
    return (unsigned)k < TENDER_KIND_COUNT ? zh[k] : "?";
}

slip_err slip_text(const sale_doc *doc, const char *store_name, int tz_offset_min, char **out,
                   size_t *len)
{
    sbuf b = {.p = malloc(1024), .cap = 1024};
    if (!b.p)
        return SLIP_ERR_NO_MEMORY;
    b.p[0] = '\0';
    char name[PRODUCT_NAME_CAP + 64], m1[MONEY_FMT_CAP], m2[MONEY_FMT_CAP];
    clean(store_name && store_name[0] ? store_name : doc->store_code, name, sizeof name);
    put(&b, "%s\n", name);
    put(&b, "小票号 %s\n", doc->receipt_no);
    time_t local = (time_t)(doc->created_utc + (int64_t)tz_offset_min * 60);
    struct tm tm;
    char when[32] = "";
    if (gmtime_r(&local, &tm))
        strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm);
    put(&b, "时间 %s\n", when);
    clean(doc->cashier, name, sizeof name);
    put(&b, "收银台 %d  收银员 %s\n", doc->till_no, name);
    put(&b, RULE);
    for (size_t i = 0; i < doc->n_lines; i++) {
        const sale_line *l = &doc->lines[i];
        clean(l->name, name, sizeof name);
        put(&b, "%s\n", name);
        money_format_yuan(l->amount_fen, m2, sizeof m2);
        if (l->grams > 0) {
            put(&b, "  %lld.%03lldkg  %s\n", (long long)(l->grams / 1000),
                (long long)(l->grams % 1000), m2);
        } else {
            money_format_yuan(l->unit_price_fen, m1, sizeof m1);
            put(&b, "  %lld x %s  %s\n", (long long)l->qty, m1, m2);
        }
        if (l->discount_fen) {
            money_format_yuan(-l->discount_fen, m1, sizeof m1);
            put(&b, "  优惠 %s\n", m1);
        }
    }
    put(&b, RULE);
    money_format_yuan(doc->total_fen, m1, sizeof m1);
    put(&b, "合计 %s\n", m1);
    if (doc->rounding_fen) {
        money_format_yuan(doc->rounding_fen, m1, sizeof m1);
        put(&b, "抹零 %s\n", m1);
        money_format_yuan(doc->due_fen, m1, sizeof m1);
        put(&b, "应收 %s\n", m1);
    }
    for (size_t i = 0; i < doc->n_tenders; i++) {
        money_format_yuan(doc->tenders[i].amount_fen, m1, sizeof m1);
        put(&b, "%s %s\n", tender_zh(doc->tenders[i].kind), m1);
    }
    money_format_yuan(doc->change_fen, m1, sizeof m1);
    put(&b, "找零 %s\n", m1);
    put(&b, "谢谢惠顾\n");
    if (b.oom) {
        free(b.p);
        return SLIP_ERR_NO_MEMORY;
    }
    *out = b.p;
    *len = b.len;
    return SLIP_OK;
}

slip_err slip_gb18030(const char *utf8, size_t len, uint8_t **out, size_t *out_len)
{
    iconv_t cd = iconv_open("GB18030", "UTF-8");
    if (cd == (iconv_t)-1)
        return SLIP_ERR_ENCODING;
    /* GB18030 takes at most 4 bytes per code point, and a code point at least 1 byte. */
    if (len > (SIZE_MAX - 8) / 4) {
        iconv_close(cd);
        return SLIP_ERR_TOO_BIG;
    }
    size_t cap = len * 4 + 8;
    char *buf = malloc(cap);
    if (!buf) {
        iconv_close(cd);
        return SLIP_ERR_NO_MEMORY;
    }
    char *ip = (char *)(uintptr_t)utf8, *op = buf;
    size_t il = len, ol = cap;
    while (il > 0) {
        size_t rc = iconv(cd, &ip, &il, &op, &ol);
        if (rc != (size_t)-1)
            break;
        if ((errno == EILSEQ || errno == EINVAL) && ol > 0) {
            *op++ = '?';   /* a broken sequence: one '?' per byte, and go on */
            ol--;
            ip++;
            il--;
            continue;
        }
        free(buf);
        iconv_close(cd);
        return SLIP_ERR_TOO_BIG;
    }
    (void)iconv(cd, NULL, NULL, &op, &ol);
    iconv_close(cd);
    *out = (uint8_t *)buf;
    *out_len = cap - ol;
    return SLIP_OK;
}

slip_err slip_escpos(const sale_doc *doc, const char *store_name, int tz_offset_min,
                     uint8_t **out, size_t *len)
{
    char *text = NULL;
    size_t tl = 0;
    uint8_t *gb = NULL;
    size_t gl = 0;
    slip_err e = slip_text(doc, store_name, tz_offset_min, &text, &tl);
    if (e != SLIP_OK)
        return e;
    e = slip_gb18030(text, tl, &gb, &gl);
    free(text);
    if (e != SLIP_OK)
        return e;
    size_t cap = gl + 64;
    uint8_t *mem = malloc(cap);
    if (!mem) {
        free(gb);
        return SLIP_ERR_NO_MEMORY;
    }
    escpos_buf b;
    escpos_buf_init(&b, mem, cap);
    escpos_slip_cfg cfg = {.chinese = true, .codepage = -1, .feed_lines = 4, .cut = true};
    escpos_err ee = escpos_slip(&b, &cfg, gb, gl);
    free(gb);
    if (ee != ESCPOS_OK) {
        free(mem);
        return SLIP_ERR_TOO_BIG;   /* clean() keeps control bytes out: only size is left */
    }
    *out = mem;
    *len = b.len;
    return SLIP_OK;
}
