/* receipt: the receipt document and its plain-text executor.  See receipt.h. */
#include "pos/core/receipt.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pos/core/bizday.h"
#include "pos/core/utf8.h"

const char *receipt_strerror(receipt_err e)
{
    switch (e) {
    case RECEIPT_OK: return "ok";
    case RECEIPT_ERR_INVALID: return "invalid receipt input";
    case RECEIPT_ERR_NO_MEMORY: return "out of memory";
    }
    return "unknown receipt error";
}

const char *receipt_tender_name(tender_kind k)
{
    switch (k) {
    case TENDER_CASH: return "现金";
    case TENDER_WECHAT: return "微信支付";
    case TENDER_ALIPAY: return "支付宝";
    case TENDER_UNIONPAY: return "银联卡";
    case TENDER_POINTS: return "积分抵现";
    case TENDER_KIND_COUNT: break;
    }
    return "?";
}

int receipt_cols_for(const receipt *r, receipt_size size)
{
    return (size & RSIZE_WIDE) ? r->cols / 2 : r->cols;
}

int receipt_qr_module(int width_modules, int dots)
{
    int side = width_modules + 2 * RECEIPT_QR_QUIET;
    int m = (dots / 2) / side;
    if (m < 4)
        m = (dots - 16) / side < 4 ? (dots - 16) / side : 4;
    if (m > 8)
        m = 8;
    return m < 1 ? 1 : m;
}

int receipt_barcode_module(int modules, int dots)
{
    int w = modules > 0 ? dots / modules : 1;
    return w < 1 ? 1 : w > 3 ? 3 : w;
}

/* ---- building ---- */

typedef struct {
    receipt *r;
    bool oom;
} builder;

static receipt_cmd *push(builder *b, receipt_cmd_kind kind)
{
    receipt *r = b->r;
    if (b->oom)
        return NULL;
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 64;
        receipt_cmd *c = realloc(r->cmds, cap * sizeof *c);
        if (!c) {
            b->oom = true;
            return NULL;
        }
        r->cmds = c;
        r->cap = cap;
    }
    receipt_cmd *c = &r->cmds[r->n++];
    memset(c, 0, sizeof *c);
    c->kind = kind;
    return c;
}

static void copy(char *dst, size_t cap, const char *src, size_t n)
{
    if (n >= cap)
        n = cap - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

/* Bytes of s (length n) that go on a line of cols columns: as many as fit, cut at the last
 * space when one is in the second half of the line (words stay whole), never inside a
 * character.  At least one character, so a line always advances. */
static size_t line_break(const char *s, int cols)
{
    size_t fit = utf8_fit(s, cols);
    if (s[fit] == '\0')
        return fit;
    if (fit == 0)
        fit = 1;
    for (size_t i = fit; i > fit / 2; i--)
        if (s[i] == ' ')
            return i;
    while (fit < strlen(s) && ((unsigned char)s[fit] & 0xc0) == 0x80)
        fit++;
    return fit;
}

/* TEXT lines of s wrapped at the columns of its size; returns the last one (NULL: none). */
static receipt_cmd *text(builder *b, receipt_align al, receipt_size size, bool bold, const char *s)
{
    int cols = receipt_cols_for(b->r, size);
    /* Centred text over several lines is cut into lines of even length (an address does not
     * end in one lonely character); +1 column so two-column characters still go k lines. */
    int tw = utf8_cols(s, strlen(s));
    if (al == RALIGN_CENTER && tw > cols) {
        int k = (tw + cols - 1) / cols;
        int even = (tw + k - 1) / k + 1;
        cols = even < cols ? even : cols;
    }
    receipt_cmd *last = NULL;
    do {
        size_t n = line_break(s, cols);
        receipt_cmd *c = push(b, RCMD_TEXT);
        if (!c)
            return NULL;
        c->align = al;
        c->size = size;
        c->bold = bold;
        copy(c->text, sizeof c->text, s, n);
        last = c;
        s += n;
        while (*s == ' ')
            s++;
    } while (*s);
    return last;
}

__attribute__((format(printf, 5, 6)))
static void textf(builder *b, receipt_align al, receipt_size size, bool bold, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    text(b, al, size, bold, buf);
}

/* A label and its value on one row; a label too long for the row wraps onto lines of its own
 * above, and the value goes on the row of the label's last piece when both fit, else alone on
 * the row under it -- the value (an amount) is never cut. */
static void kv(builder *b, receipt_size size, bool bold, const char *label, const char *value)
{
    int cols = receipt_cols_for(b->r, size);
    int vw = utf8_cols(value, strlen(value));
    const char *s = label;
    for (;;) {
        int lw = utf8_cols(s, strlen(s));
        if (lw + 1 + vw <= cols)
            break;
        size_t n = lw <= cols ? strlen(s) : line_break(s, cols);
        receipt_cmd *c = push(b, RCMD_TEXT);
        if (!c)
            return;
        c->size = size;
        c->bold = bold;
        copy(c->text, sizeof c->text, s, n);
        s += n;
        while (*s == ' ')
            s++;
        if (!*s)
            break;
    }
    receipt_cmd *c = push(b, RCMD_KV);
    if (!c)
        return;
    c->size = size;
    c->bold = bold;
    copy(c->text, sizeof c->text, s, strlen(s));
    copy(c->value, sizeof c->value, value, strlen(value));
}

static void kv_money(builder *b, receipt_size size, bool bold, const char *label, fen_t fen)
{
    char m[MONEY_FMT_CAP];
    money_format_yuan(fen, m, sizeof m);
    kv(b, size, bold, label, m);
}

static void rule(builder *b)
{
    (void)push(b, RCMD_RULE);
}

/* A document for 58 or 80 mm paper (32 or 48 columns) being built into r. */
static builder begin(receipt *r, int width_mm)
{
    r->width_mm = width_mm;
    r->cols = width_mm == 58 ? 32 : 48;
    return (builder){.r = r};
}

/* The result: r as built, or emptied when memory ran out. */
static receipt_err done(builder *b)
{
    if (b->oom) {
        receipt_free(b->r);
        return RECEIPT_ERR_NO_MEMORY;
    }
    return RECEIPT_OK;
}

/* A centred QR of payload (its command's text: a label's own URL; a receipt's long one is
 * r->qr too) and the caption under it (NULL/"": none). */
static void qr(builder *b, const char *payload, const char *caption)
{
    receipt_cmd *c = push(b, RCMD_QR);
    if (c) {
        c->align = RALIGN_CENTER;
        copy(c->text, sizeof c->text, payload, strlen(payload));
    }
    if (caption && caption[0])
        text(b, RALIGN_CENTER, RSIZE_NORMAL, false, caption);
}

/* The end of a receipt and of a refund slip: the footer (NULL: the default), feed, cut. */
static receipt_err finish(builder *b, const char *footer)
{
    text(b, RALIGN_CENTER, RSIZE_NORMAL, false, footer ? footer : "谢谢惠顾，欢迎再来");
    receipt_cmd *c = push(b, RCMD_FEED);
    if (c)
        c->n = 3;
    (void)push(b, RCMD_CUT);
    return done(b);
}

/* The store's lines at the top of a receipt or a refund slip. */
static void store_lines(builder *b, const char *name, const char *code, const char *address,
                        const char *phone, const char *tax_id)
{
    text(b, RALIGN_CENTER, RSIZE_DOUBLE, true, name && name[0] ? name : code);
    if (address && address[0])
        text(b, RALIGN_CENTER, RSIZE_NORMAL, false, address);
    if (phone && phone[0])
        textf(b, RALIGN_CENTER, RSIZE_NORMAL, false, "电话 %s", phone);
    if (tax_id && tax_id[0])
        textf(b, RALIGN_CENTER, RSIZE_NORMAL, false, "税号 %s", tax_id);
}

/* 时间 in the store's zone. */
static void when_kv(builder *b, int64_t utc, int tz_offset_min)
{
    civil_time t;
    bizday_local(utc, tz_offset_min, &t);
    char when[48];
    snprintf(when, sizeof when, "%04d-%02d-%02d %02d:%02d:%02d", t.year, t.month, t.day, t.hour,
             t.minute, t.second);
    kv(b, RSIZE_NORMAL, false, "时间", when);
}

static void header(builder *b, const receipt_input *in)
{
    const sale_doc *d = in->sale;
    store_lines(b, in->store_name, d->store_code, in->address, in->phone, in->tax_id);
    if (in->reprint)
        text(b, RALIGN_CENTER, RSIZE_DOUBLE, true, "重印");
    rule(b);
    kv(b, RSIZE_NORMAL, false, "小票号", d->receipt_no);
    when_kv(b, d->created_utc, in->tz_offset_min);
    char who[64];
    snprintf(who, sizeof who, "%d / %s", d->till_no, d->cashier);
    kv(b, RSIZE_NORMAL, false, "收银台/收银员", who);
    if (in->member_masked && in->member_masked[0])
        kv(b, RSIZE_NORMAL, false, "会员", in->member_masked);
}

/* "0.333kg" */
static void format_kg(int64_t grams, char *out, size_t cap)
{
    snprintf(out, cap, "%lld.%03lldkg", (long long)(grams / 1000), (long long)(grams % 1000));
}

static void lines(builder *b, const sale_doc *d)
{
    for (size_t i = 0; i < d->n_lines; i++) {
        const sale_line *l = &d->lines[i];
        text(b, RALIGN_LEFT, RSIZE_NORMAL, false, l->name[0] ? l->name : l->sku);
        char unit[MONEY_FMT_CAP], how[96];
        money_format_yuan(l->unit_price_fen, unit, sizeof unit);
        if (l->grams > 0) {
            char kg[32];
            format_kg(l->grams, kg, sizeof kg);
            snprintf(how, sizeof how, "  %s × %s/kg", kg, unit);
        } else {
            snprintf(how, sizeof how, "  %lld × %s", (long long)l->qty, unit);
        }
        kv_money(b, RSIZE_NORMAL, false, how, l->amount_fen);
        if (l->discount_fen)
            kv_money(b, RSIZE_NORMAL, false, "  优惠", -l->discount_fen);
    }
}

/* Each applied promotion in words (抹零 is printed with the totals), then the gifts. */
static void promotions(builder *b, const receipt_input *in)
{
    const sale_doc *d = in->sale;
    bool any = d->n_gifts > 0;
    for (size_t i = 0; i < d->n_applied; i++)
        any |= strcmp(d->applied[i].rule, "cash_rounding") != 0;
    if (!any)
        return;
    text(b, RALIGN_LEFT, RSIZE_NORMAL, true, "优惠活动");
    for (size_t i = 0; i < d->n_applied; i++) {
        const sale_applied *a = &d->applied[i];
        if (strcmp(a->rule, "cash_rounding") == 0)
            continue;
        if (a->amount_fen)
            kv_money(b, RSIZE_NORMAL, false, a->label, a->amount_fen);
        else
            text(b, RALIGN_LEFT, RSIZE_NORMAL, false, a->label);
    }
    for (size_t i = 0; i < d->n_gifts; i++) {
        const sale_gift *g = &d->gifts[i];
        const char *name = in->gift_names && in->gift_names[i] && in->gift_names[i][0]
                               ? in->gift_names[i]
                               : g->sku;
        char label[PRODUCT_NAME_CAP + 48];
        snprintf(label, sizeof label, "赠品 %s ×%lld", name, (long long)g->qty);
        kv_money(b, RSIZE_NORMAL, false, label, 0);
    }
    rule(b);
}

static void totals(builder *b, const sale_doc *d)
{
    fen_t gross = 0, off = 0;
    for (size_t i = 0; i < d->n_lines; i++) {
        gross += d->lines[i].amount_fen;
        off += d->lines[i].discount_fen;
    }
    if (off) {
        kv_money(b, RSIZE_NORMAL, false, "原价", gross);
        kv_money(b, RSIZE_NORMAL, false, "优惠合计", -off);
    }
    if (d->rounding_fen) {
        kv_money(b, RSIZE_NORMAL, true, "合计", d->total_fen);
        const char *label = "抹零";
        for (size_t i = 0; i < d->n_applied; i++)
            if (strcmp(d->applied[i].rule, "cash_rounding") == 0)
                label = d->applied[i].label;
        kv_money(b, RSIZE_NORMAL, false, label, d->rounding_fen);
        kv_money(b, RSIZE_TALL, true, "应收", d->due_fen);
    } else {
        kv_money(b, RSIZE_TALL, true, "合计", d->total_fen);
    }
    bool cash = false;
    for (size_t i = 0; i < d->n_tenders; i++) {
        kv_money(b, RSIZE_NORMAL, false, receipt_tender_name(d->tenders[i].kind),
                 d->tenders[i].amount_fen);
        cash |= d->tenders[i].kind == TENDER_CASH;
    }
    if (cash || d->change_fen)
        kv_money(b, RSIZE_NORMAL, false, "找零", d->change_fen);
}

static void points(builder *b, const receipt_input *in)
{
    const sale_doc *d = in->sale;
    if (!d->member_id[0])
        return;
    rule(b);
    char v[48];
    snprintf(v, sizeof v, "+%lld", (long long)d->points_earned);
    kv(b, RSIZE_NORMAL, false, "本单积分", v);
    if (d->points_redeemed) {
        snprintf(v, sizeof v, "-%lld", (long long)d->points_redeemed);
        kv(b, RSIZE_NORMAL, false, "本单使用积分", v);
    }
    if (in->has_balance) {
        snprintf(v, sizeof v, "%lld", (long long)in->points_balance);
        kv(b, RSIZE_NORMAL, false, "积分余额", v);
    }
}

/* "本单扶贫产品 ￥…，惠及 N 户": the poverty-relief lines after their discounts, and N the
 * distinct suppliers they came from (a household, or the cooperative that buys from them). */
static void poverty(builder *b, const sale_doc *d)
{
    fen_t sum = 0;
    size_t n = 0;
    for (size_t i = 0; i < d->n_lines; i++) {
        const sale_line *l = &d->lines[i];
        if (!l->poverty_relief)
            continue;
        sum += l->amount_fen - l->discount_fen;
        bool seen = !l->supplier_id[0];
        for (size_t j = 0; j < i && !seen; j++)
            seen = d->lines[j].poverty_relief &&
                   strcmp(d->lines[j].supplier_id, l->supplier_id) == 0;
        n += !seen;
    }
    if (!sum && !n)
        return;
    rule(b);
    char m[MONEY_FMT_CAP];
    money_format_yuan(sum, m, sizeof m);
    if (n)
        textf(b, RALIGN_LEFT, RSIZE_NORMAL, false, "本单扶贫产品 %s，惠及 %zu 户", m, n);
    else
        textf(b, RALIGN_LEFT, RSIZE_NORMAL, false, "本单扶贫产品 %s", m);
}

receipt_err receipt_build(const receipt_input *in, receipt *r)
{
    memset(r, 0, sizeof *r);
    if (!in || !in->sale || (in->width_mm != 58 && in->width_mm != 80) ||
        (in->qr && strlen(in->qr) >= sizeof r->qr))
        return RECEIPT_ERR_INVALID;
    builder b = begin(r, in->width_mm);
    const sale_doc *d = in->sale;
    if (in->kick_drawer)
        (void)push(&b, RCMD_DRAWER);
    header(&b, in);
    rule(&b);
    lines(&b, d);
    rule(&b);
    promotions(&b, in);
    totals(&b, d);
    points(&b, in);
    poverty(&b, d);
    rule(&b);
    receipt_cmd *c = push(&b, RCMD_BARCODE);
    if (c) {
        c->align = RALIGN_CENTER;
        copy(c->text, sizeof c->text, d->receipt_no, strlen(d->receipt_no));
    }
    if (in->qr && in->qr[0]) {
        snprintf(r->qr, sizeof r->qr, "%s", in->qr);
        qr(&b, in->qr, in->qr_caption);
    }
    return finish(&b, in->footer);
}

/* ---- refund slips ---- */

static void refund_body(builder *b, const refund_input *in)
{
    for (size_t i = 0; i < in->n_lines; i++) {
        const refund_slip_line *l = &in->lines[i];
        text(b, RALIGN_LEFT, RSIZE_NORMAL, false, l->name && l->name[0] ? l->name : l->sku);
        char how[48];
        if (l->grams > 0) {
            char kg[32];
            format_kg(l->grams, kg, sizeof kg);
            snprintf(how, sizeof how, "  退 %s", kg);
        } else {
            snprintf(how, sizeof how, "  退 %lld", (long long)l->qty);
        }
        kv_money(b, RSIZE_NORMAL, false, how, l->amount_fen);
    }
    rule(b);
    if (in->rounding_fen) {
        kv_money(b, RSIZE_NORMAL, false, "商品退款", in->total_fen - in->rounding_fen);
        kv_money(b, RSIZE_NORMAL, false, "原单抹零", in->rounding_fen);
    }
    kv_money(b, RSIZE_TALL, true, "退款合计", in->total_fen);
    for (size_t i = 0; i < in->n_tenders; i++) {
        char label[48];
        snprintf(label, sizeof label, "退回%s", receipt_tender_name(in->tenders[i].kind));
        kv_money(b, RSIZE_NORMAL, false, label, in->tenders[i].amount_fen);
    }
    if (in->points_reversed || in->points_returned || in->points_shortfall) {
        rule(b);
        char v[48];
        if (in->points_reversed) {
            snprintf(v, sizeof v, "-%lld", (long long)in->points_reversed);
            kv(b, RSIZE_NORMAL, false, "扣回积分", v);
        }
        if (in->points_returned) {
            snprintf(v, sizeof v, "+%lld", (long long)in->points_returned);
            kv(b, RSIZE_NORMAL, false, "退还积分", v);
        }
        if (in->points_shortfall) {
            snprintf(v, sizeof v, "%lld", (long long)in->points_shortfall);
            kv(b, RSIZE_NORMAL, false, "余额不足未扣积分", v);
        }
    }
}

receipt_err refund_build(const refund_input *in, receipt *r)
{
    memset(r, 0, sizeof *r);
    if (!in || (in->width_mm != 58 && in->width_mm != 80) || !in->refund_no ||
        !in->refund_no[0] || (in->n_lines && !in->lines) || (in->n_tenders && !in->tenders))
        return RECEIPT_ERR_INVALID;
    builder b = begin(r, in->width_mm);
    store_lines(&b, in->store_name, in->store_code ? in->store_code : "", in->address, in->phone,
                in->tax_id);
    text(&b, RALIGN_CENTER, RSIZE_DOUBLE, true, "退货单");
    rule(&b);
    kv(&b, RSIZE_NORMAL, false, "退货单号", in->refund_no);
    kv(&b, RSIZE_NORMAL, false, "原小票号", in->receipt_no ? in->receipt_no : "");
    when_kv(&b, in->created_utc, in->tz_offset_min);
    char who[64];
    snprintf(who, sizeof who, "%d / %s", in->till_no, in->approved_by ? in->approved_by : "");
    kv(&b, RSIZE_NORMAL, false, "收银台/审批", who);
    if (in->member_masked && in->member_masked[0])
        kv(&b, RSIZE_NORMAL, false, "会员", in->member_masked);
    rule(&b);
    refund_body(&b, in);
    rule(&b);
    return finish(&b, in->footer);
}

/* ---- shelf labels ---- */

static void label(builder *b, const label_item *it)
{
    const product *p = it->p;
    int half = receipt_cols_for(b->r, RSIZE_DOUBLE);
    bool big = utf8_cols(p->name, strlen(p->name)) <= half;
    text(b, RALIGN_CENTER, big ? RSIZE_DOUBLE : RSIZE_TALL, true, p->name);
    if (p->poverty_relief) {
        text(b, RALIGN_CENTER, RSIZE_WIDE, true, "【扶贫产品】");
        textf(b, RALIGN_CENTER, RSIZE_NORMAL, false, "供货：%s",
              it->supplier && it->supplier[0] ? it->supplier : p->supplier_id);
    }
    if (it->origin && it->origin[0])
        textf(b, RALIGN_LEFT, RSIZE_NORMAL, false, "产地：%s", it->origin);
    char m[MONEY_FMT_CAP], v[RECEIPT_VALUE_CAP];
    if (p->by_weight) {
        /* Per 500 g (一斤) is the figure shoppers compare; half a fen rounds up. */
        money_format_yuan((p->price_fen + 1) / 2, m, sizeof m);
        snprintf(v, sizeof v, "%s/500g", m);
        kv(b, RSIZE_TALL, true, "单价", v);
        money_format_yuan(p->price_fen, m, sizeof m);
        snprintf(v, sizeof v, "%s/kg", m);
        kv(b, RSIZE_NORMAL, false, "", v);
    } else {
        money_format_yuan(p->price_fen, m, sizeof m);
        snprintf(v, sizeof v, "%s/%s", m, p->unit[0] ? p->unit : "个");
        kv(b, RSIZE_TALL, true, "零售价", v);
    }
    textf(b, RALIGN_LEFT, RSIZE_NORMAL, false, "货号 %s%s%s", p->sku, p->gtin13[0] ? "  " : "",
          p->gtin13);
    if (it->qr && it->qr[0])
        qr(b, it->qr, "扫码线上购买 送货到家");
    if (p->poverty_relief && it->trace_qr && it->trace_qr[0])
        qr(b, it->trace_qr, "扫码溯源 源头到餐桌");
    receipt_cmd *c = push(b, RCMD_FEED);
    if (c)
        c->n = 2;
    (void)push(b, RCMD_CUT);
}

receipt_err label_build(const label_item *items, size_t n, int width_mm, receipt *r)
{
    memset(r, 0, sizeof *r);
    if (!items || n == 0 || (width_mm != 58 && width_mm != 80))
        return RECEIPT_ERR_INVALID;
    for (size_t i = 0; i < n; i++)
        if (!items[i].p || (items[i].qr && strlen(items[i].qr) >= RECEIPT_TEXT_CAP) ||
            (items[i].trace_qr && strlen(items[i].trace_qr) >= RECEIPT_TEXT_CAP))
            return RECEIPT_ERR_INVALID;
    builder b = begin(r, width_mm);
    for (size_t i = 0; i < n; i++)
        label(&b, &items[i]);
    return done(&b);
}

const char *receipt_qr_payload(const receipt *r, const receipt_cmd *c)
{
    return r->qr[0] ? r->qr : c->text;
}

void receipt_free(receipt *r)
{
    if (!r)
        return;
    free(r->cmds);
    memset(r, 0, sizeof *r);
}

/* ---- lines and the text executor ---- */

static size_t put(char *out, size_t cap, size_t at, const char *s, size_t n)
{
    if (at + n >= cap)
        n = at < cap - 1 ? cap - 1 - at : 0;
    memcpy(out + at, s, n);
    out[at + n] = '\0';
    return at + n;
}

static size_t spaces(char *out, size_t cap, size_t at, int n)
{
    while (n-- > 0)
        at = put(out, cap, at, " ", 1);
    return at;
}

size_t receipt_line(const receipt *r, const receipt_cmd *c, bool pad, char *out, size_t cap)
{
    size_t at = 0;
    if (cap == 0)
        return 0;
    out[0] = '\0';
    int cols = receipt_cols_for(r, c->size);
    int tw = utf8_cols(c->text, strlen(c->text));
    switch (c->kind) {
    case RCMD_RULE:
        for (int i = 0; i < r->cols; i++)
            at = put(out, cap, at, "-", 1);
        return at;
    case RCMD_KV: {
        int vw = utf8_cols(c->value, strlen(c->value));
        at = put(out, cap, at, c->text, strlen(c->text));
        at = spaces(out, cap, at, cols - tw - vw > 0 ? cols - tw - vw : 1);
        return put(out, cap, at, c->value, strlen(c->value));
    }
    case RCMD_TEXT:
        if (pad && c->align != RALIGN_LEFT && tw < cols)
            at = spaces(out, cap, at, c->align == RALIGN_CENTER ? (cols - tw) / 2 : cols - tw);
        return put(out, cap, at, c->text, strlen(c->text));
    default:
        return 0;
    }
}

typedef struct {
    char *p;
    size_t len, cap;
    bool oom;
} sbuf;

static void sb_add(sbuf *s, const char *t, size_t n)
{
    if (s->oom)
        return;
    if (s->len + n + 1 > s->cap) {
        size_t cap = s->cap ? s->cap : 1024;
        while (cap < s->len + n + 1)
            cap *= 2;
        char *p = realloc(s->p, cap);
        if (!p) {
            s->oom = true;
            return;
        }
        s->p = p;
        s->cap = cap;
    }
    memcpy(s->p + s->len, t, n);
    s->len += n;
    s->p[s->len] = '\0';
}

/* A line, padded for double width: its characters stand for twice their columns. */
static void text_line(sbuf *s, const receipt *r, const receipt_cmd *c)
{
    char line[RECEIPT_TEXT_CAP + RECEIPT_VALUE_CAP + 64];
    if (c->kind == RCMD_TEXT && (c->size & RSIZE_WIDE) && c->align != RALIGN_LEFT) {
        int tw = 2 * utf8_cols(c->text, strlen(c->text));
        int lead = tw >= r->cols ? 0 : c->align == RALIGN_CENTER ? (r->cols - tw) / 2 : r->cols - tw;
        size_t at = spaces(line, sizeof line, 0, lead);
        put(line, sizeof line, at, c->text, strlen(c->text));
    } else {
        receipt_line(r, c, true, line, sizeof line);
    }
    sb_add(s, line, strlen(line));
    sb_add(s, "\n", 1);
}

receipt_err receipt_to_text(const receipt *r, char **out, size_t *len)
{
    sbuf s = {0};
    sb_add(&s, "", 0);
    for (size_t i = 0; i < r->n; i++) {
        const receipt_cmd *c = &r->cmds[i];
        char line[RECEIPT_QR_CAP + 32];
        switch (c->kind) {
        case RCMD_TEXT:
        case RCMD_KV:
        case RCMD_RULE:
            text_line(&s, r, c);
            break;
        case RCMD_BARCODE:
        case RCMD_QR: {
            int n = snprintf(line, sizeof line, "[%s %s]", c->kind == RCMD_QR ? "QR" : "CODE128",
                             c->kind == RCMD_QR ? receipt_qr_payload(r, c) : c->text);
            int w = utf8_cols(line, (size_t)n);
            char padded[sizeof line + 64];
            size_t at = spaces(padded, sizeof padded, 0, w < r->cols ? (r->cols - w) / 2 : 0);
            put(padded, sizeof padded, at, line, (size_t)n);
            sb_add(&s, padded, strlen(padded));
            sb_add(&s, "\n", 1);
            break;
        }
        case RCMD_FEED:
            for (int k = 0; k < c->n; k++)
                sb_add(&s, "\n", 1);
            break;
        case RCMD_CUT:
            for (int k = 0; k < r->cols; k++)
                sb_add(&s, "=", 1);
            sb_add(&s, "\n", 1);
            break;
        case RCMD_DRAWER:
            break;
        }
    }
    if (s.oom) {
        free(s.p);
        return RECEIPT_ERR_NO_MEMORY;
    }
    *out = s.p;
    if (len)
        *len = s.len;
    return RECEIPT_OK;
}
