/* receipt_data: the store's side of a receipt.  See receipt_data.h. */
#include "pos/app/receipt_data.h"

#include <stdio.h>
#include <string.h>

#include "db/points.h"
#include "db/receipt_prints.h"
#include "db/products.h"
#include "db/sales.h"
#include "db/settings.h"
#include "peripherals/printer/receipt_escpos.h"
#include "pos/core/utf8.h"

#define DEFAULT_FOOTER "谢谢惠顾，欢迎再来"

/* Everything but the sale (the first member) to its default. */
static void defaults_but_sale(receipt_data *out)
{
    memset((char *)out + sizeof out->sale, 0, sizeof *out - sizeof out->sale);
    out->tz_offset_min = 480;
    out->width_mm = 58;
    snprintf(out->footer, sizeof out->footer, "%s", DEFAULT_FOOTER);
}

void receipt_data_defaults(receipt_data *out)
{
    memset(&out->sale, 0, sizeof out->sale);
    defaults_but_sale(out);
}

/* An optional setting: absent is "" (the line is left out). */
static store_err opt(store *s, const char *key, char *buf, size_t cap)
{
    store_err e = settings_get(s, key, buf, cap);
    if (e == STORE_ERR_NOT_FOUND) {
        buf[0] = '\0';
        return STORE_OK;
    }
    return e;
}

static store_err settings(store *s, receipt_data *out)
{
    till_config cfg;
    store_err e = settings_get_config(s, &cfg);
    if (e)
        return e;
    snprintf(out->store_name, sizeof out->store_name, "%s", cfg.store_name);
    out->tz_offset_min = cfg.tz_offset_min;
    char width[8], qr[16];
    if ((e = opt(s, "receipt.qr", qr, sizeof qr)) ||
        (e = opt(s, "store.address", out->address, sizeof out->address)) ||
        (e = opt(s, "store.phone", out->phone, sizeof out->phone)) ||
        (e = opt(s, "store.tax_id", out->tax_id, sizeof out->tax_id)) ||
        (e = opt(s, "receipt.footer", out->footer, sizeof out->footer)) ||
        (e = opt(s, "receipt.width", width, sizeof width)))
        return e;
    if (!out->footer[0])
        snprintf(out->footer, sizeof out->footer, "%s", DEFAULT_FOOTER);
    out->width_mm = strcmp(width, "80") == 0 ? 80 : 58;
    out->qr_raster = strcmp(qr, "raster") == 0;
    return STORE_OK;
}

/* Append s to out[n..] percent-encoded beyond URL-unreserved characters; false: no room. */
static bool put_encoded(char *out, size_t cap, size_t *n, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *q = (const unsigned char *)s; *q; q++) {
        bool plain = (*q >= 'A' && *q <= 'Z') || (*q >= 'a' && *q <= 'z') ||
                     (*q >= '0' && *q <= '9') || *q == '-' || *q == '_' || *q == '.' || *q == '~';
        if (*n + (plain ? 1 : 3) >= cap)
            return false;
        if (plain) {
            out[(*n)++] = (char)*q;
        } else {
            out[(*n)++] = '%';
            out[(*n)++] = hex[*q >> 4];
            out[(*n)++] = hex[*q & 15];
        }
    }
    return true;
}

typedef struct {
    const char *name;    /* "{token}" */
    const char *value;
    bool encode;         /* percent-encoded (put_encoded), else as it is */
} placeholder;

/* tmpl with each placeholder replaced by its value into out; false when it would not fit. */
static bool expand(const char *tmpl, const placeholder *ph, size_t n_ph, char *out, size_t cap)
{
    size_t n = 0;
    if (cap == 0)
        return false;
    for (const char *p = tmpl; *p;) {
        const placeholder *hit = NULL;
        for (size_t i = 0; i < n_ph && !hit; i++)
            if (strncmp(p, ph[i].name, strlen(ph[i].name)) == 0)
                hit = &ph[i];
        if (hit && hit->encode) {
            if (!put_encoded(out, cap, &n, hit->value))
                return false;
        } else {
            const char *v = hit ? hit->value : p;
            size_t k = hit ? strlen(v) : 1;
            if (n + k >= cap)
                return false;
            memcpy(out + n, v, k);
            n += k;
        }
        p += hit ? strlen(hit->name) : 1;
    }
    out[n] = '\0';
    return true;
}

bool receipt_url_lines(const sale_doc *d, char *out, size_t cap)
{
    size_t n = 0;
    if (cap == 0)
        return false;
    out[0] = '\0';
    for (size_t i = 0; i < d->n_lines; i++) {
        const sale_line *l = &d->lines[i];
        char part[PRODUCT_SKU_CAP + 32];
        if (l->grams > 0)
            snprintf(part, sizeof part, "%s%s@%lld", i ? "," : "", l->sku, (long long)l->grams);
        else
            snprintf(part, sizeof part, "%s%s*%lld", i ? "," : "", l->sku, (long long)l->qty);
        if (!put_encoded(out, cap, &n, part)) {
            out[0] = '\0';
            return false;
        }
    }
    out[n] = '\0';
    return true;
}

store_err receipt_data_for(store *s, const sale_doc *doc, receipt_data *out)
{
    defaults_but_sale(out);
    if (&out->sale != doc)
        out->sale = *doc;
    store_err e = settings(s, out);
    if (e)
        return e;
    const sale_doc *d = &out->sale;
    char tmpl[RECEIPT_QR_CAP];
    if ((e = opt(s, "receipt.buy_url", tmpl, sizeof tmpl)))
        return e;
    if (tmpl[0]) {
        char token[RECEIPT_TOKEN_CAP], lines[RECEIPT_QR_CAP];
        if ((e = receipt_token_get(s, d->uuid, true, token, sizeof token)))
            return e;
        if (!receipt_url_lines(d, lines, sizeof lines))
            lines[0] = '\0';
        /* {lines} only while the URL stays within RECEIPT_QR_LINES_MAX bytes (QR version 10
         * at EC M in byte mode): a longer URL needs a denser symbol that a 58 mm printer
         * prints too small to scan reliably.  Then {lines} is left empty: the shopper's page
         * resolves the lines from the token anyway. */
        if (!receipt_buy_url(tmpl, token, d->receipt_no, lines, out->qr, sizeof out->qr) ||
            (lines[0] && strlen(out->qr) > RECEIPT_QR_LINES_MAX))
            if (!receipt_buy_url(tmpl, token, d->receipt_no, "", out->qr, sizeof out->qr))
                out->qr[0] = '\0';
    }
    for (size_t i = 0; i < d->n_gifts; i++) {
        product p;
        /* A gift whose product is gone since prints its SKU. */
        if (products_find_by_sku(s, d->gifts[i].sku, &p) == STORE_OK)
            snprintf(out->gift_names[i], sizeof out->gift_names[i], "%s", p.name);
        out->gift_ptrs[i] = out->gift_names[i];
    }
    if (d->member_id[0]) {
        if (!mask_card(d->member_id, out->member_masked, sizeof out->member_masked))
            out->member_masked[0] = '\0';
        e = points_balance_after_sale(s, d->member_id, d->uuid, &out->balance);
        if (e == STORE_OK)
            out->has_balance = true;
        else if (e != STORE_ERR_NOT_FOUND)
            return e;
    }
    return STORE_OK;
}

store_err receipt_data_load(store *s, const char *key, receipt_data *out)
{
    store_err e = sales_load(s, key, &out->sale);
    if (e)
        return e;
    return receipt_data_for(s, &out->sale, out);
}

void receipt_data_input(const receipt_data *d, int width_mm, bool reprint, receipt_input *in)
{
    memset(in, 0, sizeof *in);
    in->sale = &d->sale;
    in->width_mm = width_mm ? width_mm : d->width_mm;
    in->store_name = d->store_name;
    in->address = d->address;
    in->phone = d->phone;
    in->tax_id = d->tax_id;
    in->footer = d->footer;
    in->tz_offset_min = d->tz_offset_min;
    in->reprint = reprint;
    in->member_masked = d->member_masked;
    in->has_balance = d->has_balance;
    in->points_balance = d->balance;
    in->gift_names = d->gift_ptrs;
    if (d->qr[0]) {
        in->qr = d->qr;
        in->qr_caption = "扫码线上购买 送货到家";
    }
}

bool receipt_buy_url(const char *tmpl, const char *token, const char *receipt_no,
                     const char *lines, char *out, size_t cap)
{
    /* The token and the receipt number are URL-safe; {lines} comes encoded. */
    const placeholder ph[] = {{"{token}", token, false},
                              {"{receipt}", receipt_no, false},
                              {"{lines}", lines ? lines : "", false}};
    return expand(tmpl, ph, sizeof ph / sizeof ph[0], out, cap);
}

bool receipt_data_render(const receipt_data *d, receipt_format fmt, int width_mm, bool reprint,
                         bool qr_raster, uint8_t **out, size_t *len, size_t *replaced,
                         char *why, size_t cap)
{
    receipt_input in;
    receipt_data_input(d, width_mm, reprint, &in);
    receipt r;
    receipt_err re = receipt_build(&in, &r);
    if (re != RECEIPT_OK) {
        snprintf(why, cap, "%s", receipt_strerror(re));
        return false;
    }
    bool ok = receipt_doc_render(&r, fmt, qr_raster || d->qr_raster, out, len, replaced, why,
                                 cap);
    receipt_free(&r);
    return ok;
}

bool receipt_doc_render(const receipt *r, receipt_format fmt, bool qr_raster, uint8_t **out,
                        size_t *len, size_t *replaced, char *why, size_t cap)
{
    receipt_err re;
    bool ok = true;
    if (fmt == RECEIPT_FORMAT_TEXT) {
        char *t = NULL;
        re = receipt_to_text(r, &t, len);
        if (re != RECEIPT_OK) {
            snprintf(why, cap, "%s", receipt_strerror(re));
            ok = false;
        }
        *out = (uint8_t *)t;
        if (replaced)
            *replaced = 0;
    } else {
        rescpos_cfg cfg = {.qr_raster = qr_raster};
        rescpos_err ee = receipt_escpos(r, &cfg, out, len, replaced);
        if (ee != RESCPOS_OK) {
            snprintf(why, cap, "%s", rescpos_strerror(ee));
            ok = false;
        }
    }
    return ok;
}

store_err receipt_data_settings(store *s, receipt_data *out)
{
    receipt_data_defaults(out);
    return settings(s, out);
}

receipt_err refund_slip_build(const refund_doc *rd, const receipt_data *d, int width_mm,
                              receipt *r)
{
    refund_slip_line lines[BASKET_MAX_LINES];
    refund_slip_tender tenders[TENDER_KIND_COUNT];
    for (size_t i = 0; i < rd->n_lines; i++)
        lines[i] = (refund_slip_line){.name = rd->lines[i].name, .sku = rd->lines[i].sku,
                                      .qty = rd->lines[i].qty, .grams = rd->lines[i].grams,
                                      .amount_fen = rd->lines[i].amount_fen};
    for (size_t i = 0; i < rd->n_tenders; i++)
        tenders[i] = (refund_slip_tender){rd->tenders[i].kind, rd->tenders[i].amount_fen};
    char masked[MASK_CAP] = "";
    if (rd->member_id[0] && !mask_card(rd->member_id, masked, sizeof masked))
        masked[0] = '\0';
    refund_input in = {
        .width_mm = width_mm ? width_mm : d->width_mm,
        .store_name = d->store_name, .store_code = rd->store_code,
        .address = d->address, .phone = d->phone, .tax_id = d->tax_id, .footer = d->footer,
        .tz_offset_min = d->tz_offset_min,
        .refund_no = rd->refund_no, .receipt_no = rd->sale_receipt_no,
        .created_utc = rd->created_utc, .till_no = rd->till_no, .approved_by = rd->approved_by,
        .member_masked = masked,
        .lines = lines, .n_lines = rd->n_lines,
        .rounding_fen = rd->rounding_fen, .total_fen = rd->total_fen,
        .tenders = tenders, .n_tenders = rd->n_tenders,
        .points_reversed = rd->points_reversed, .points_returned = rd->points_returned,
        .points_shortfall = rd->points_shortfall,
    };
    return refund_build(&in, r);
}


bool label_url(const char *tmpl, const char *sku, const char *cert, const char *supplier,
               char *out, size_t cap)
{
    const placeholder ph[] = {{"{sku}", sku, true}, {"{cert}", cert, true},
                              {"{supplier}", supplier, true}};
    return expand(tmpl, ph, sizeof ph / sizeof ph[0], out, cap);
}

bool label_buy_url(const char *tmpl, const char *sku, char *out, size_t cap)
{
    return label_url(tmpl, sku, "", "", out, cap);
}

bool receipt_setting_valid(const char *key, const char *v, char *why, size_t cap)
{
    size_t n = strlen(v);
    if (strcmp(key, "label.buy_url") == 0) {
        bool ok = (strncmp(v, "https://", 8) == 0 || strncmp(v, "http://", 7) == 0) &&
                  strstr(v, "{sku}") != NULL;
        for (size_t i = 0; i < n && ok; i++)
            ok = v[i] > 0x20 && v[i] < 0x7f;
        char probe[RECEIPT_TEXT_CAP];
        ok = ok && label_buy_url(v, "P0001-XXXXXXXXXXXXXXXXXXXXXXXXX", probe, sizeof probe);
        if (!ok)
            snprintf(why, cap, "%s",
                     "label buy URL must be an http(s) URL template of printable ASCII holding "
                     "{sku}, short enough that a 32-character SKU fits in 159 characters");
        return ok;
    }
    if (strcmp(key, "label.trace_url") == 0) {
        bool ok = (strncmp(v, "https://", 8) == 0 || strncmp(v, "http://", 7) == 0) &&
                  (strstr(v, "{cert}") || strstr(v, "{sku}"));
        for (size_t i = 0; i < n && ok; i++)
            ok = v[i] > 0x20 && v[i] < 0x7f;
        char probe[RECEIPT_TEXT_CAP];
        ok = ok && label_url(v, "P0001-XXXXXXXXX", "扶贫认定 YR-2025-0101", "SUP001", probe,
                             sizeof probe);
        if (!ok)
            snprintf(why, cap, "%s",
                     "label trace URL must be an http(s) URL template of printable ASCII holding "
                     "{cert} or {sku} (and optionally {supplier}), short enough for a label's QR "
                     "(159 characters with a certificate number filled in)");
        return ok;
    }
    if (strcmp(key, "receipt.width") == 0) {
        if (strcmp(v, "58") != 0 && strcmp(v, "80") != 0) {
            snprintf(why, cap, "%s", "receipt width must be 58 or 80 (mm of paper)");
            return false;
        }
        return true;
    }
    if (strcmp(key, "store.phone") == 0) {
        bool ok = n > 0 && n <= 32;
        for (size_t i = 0; i < n && ok; i++)
            ok = (v[i] >= '0' && v[i] <= '9') || strchr("-+ ()", v[i]);
        if (!ok)
            snprintf(why, cap, "%s", "phone must be 1-32 characters of digits, spaces, - + ( )");
        return ok;
    }
    if (strcmp(key, "store.tax_id") == 0) {
        /* 统一社会信用代码: 18 characters of 0-9 and capital letters (15 for an old tax
         * registration number). */
        bool ok = n == 18 || n == 15 || n == 20;
        for (size_t i = 0; i < n && ok; i++)
            ok = (v[i] >= '0' && v[i] <= '9') || (v[i] >= 'A' && v[i] <= 'Z');
        if (!ok)
            snprintf(why, cap, "%s",
                     "tax id must be the 18-character unified social credit code (0-9, A-Z; "
                     "15 or 20 for an old registration)");
        return ok;
    }
    if (strcmp(key, "receipt.qr") == 0) {
        if (strcmp(v, "native") != 0 && strcmp(v, "raster") != 0) {
            snprintf(why, cap, "%s", "receipt.qr must be native (GS ( k) or raster (an image, "
                                     "for printers without QR)");
            return false;
        }
        return true;
    }
    if (strcmp(key, "receipt.buy_url") == 0) {
        bool ok = (strncmp(v, "https://", 8) == 0 || strncmp(v, "http://", 7) == 0) &&
                  strstr(v, "{token}") != NULL && n < 300;
        for (size_t i = 0; i < n && ok; i++)
            ok = v[i] > 0x20 && v[i] < 0x7f;
        char probe[RECEIPT_QR_CAP];
        ok = ok && receipt_buy_url(v, "0123456789012345678901", "YR01-1-20261016-0001-XXXXXXXXXXXXXXXXXXXXXXXXX",
                                   "", probe, sizeof probe);
        if (!ok)
            snprintf(why, cap, "%s",
                     "buy URL must be an http(s) URL template of printable ASCII holding {token} "
                     "(the receipt's unguessable token; {receipt} is the receipt number, {lines} "
                     "the sale's lines as SKU*QTY / SKU@GRAMS), under "
                     "300 characters");
        return ok;
    }
    /* store.address, receipt.footer: printed text. */
    if (n == 0 || n >= 128 || !utf8_text_valid(v)) {
        snprintf(why, cap, "%s must be 1-127 bytes of printable UTF-8 text", key);
        return false;
    }
    return true;
}
