/* receipt: a stored sale as the receipt document -- a list of commands decided once, which
 * every executor (plain text for the golden files, ESC/POS bytes for the printer, the PNG
 * preview of ui/receipt_png.c, later the shopper's screen) only carries out (docs:
 * ../shared/design/house.md point 5).  Refund slips and shelf labels are documents too.
 *
 * Everything about the layout is decided here, for one paper width: which lines there are,
 * where a long name wraps, what is centred, bold or double size, how a label and its amount
 * share a row.  An executor never wraps nor reorders: it prints each command's line.  Widths
 * are in columns of the printer's font: 58 mm paper = 32 half-width columns, 80 mm = 48; a
 * character that is not ASCII is two columns (utf8_char_cols: in the printer's Chinese mode it
 * is a two-byte GB code printed with the full-width font).  Money is written with the
 * full-width yen sign ￥ U+FFE5 (GB A3 A4), never ¥ U+00A5, which GBK lacks.
 *
 * Pure: the caller (pos/app/receipt_data.c) reads the sale, the store's settings, the gifts'
 * names and the member's balance from the database and passes them in. */
#ifndef FUPIN_CORE_RECEIPT_H
#define FUPIN_CORE_RECEIPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pos/core/product.h"
#include "pos/core/sale.h"

typedef enum {
    RCMD_TEXT = 0,   /* one printed line: text, align, size, bold */
    RCMD_KV,         /* one printed line: text (label) left, value (an amount) right */
    RCMD_RULE,       /* a line of '-' across the paper */
    RCMD_QR,         /* a QR code of text (the payload) */
    RCMD_BARCODE,    /* a CODE128 barcode of text, its digits printed under it */
    RCMD_FEED,       /* n empty lines */
    RCMD_CUT,        /* feed to the cutter and cut */
    RCMD_DRAWER,     /* kick the cash drawer */
} receipt_cmd_kind;

typedef enum { RALIGN_LEFT = 0, RALIGN_CENTER, RALIGN_RIGHT } receipt_align;

/* Bit 0: double height, bit 1: double width (so 3 is both). */
typedef enum {
    RSIZE_NORMAL = 0,
    RSIZE_TALL = 1,
    RSIZE_WIDE = 2,
    RSIZE_DOUBLE = 3,
} receipt_size;

#define RECEIPT_TEXT_CAP 160
#define RECEIPT_VALUE_CAP 48

typedef struct {
    receipt_cmd_kind kind;
    receipt_align align;
    receipt_size size;
    bool bold;
    int n;                              /* FEED: lines */
    char text[RECEIPT_TEXT_CAP];        /* TEXT/KV label/QR/BARCODE payload (QR: see QR_CAP) */
    char value[RECEIPT_VALUE_CAP];      /* KV: the right-hand side */
} receipt_cmd;

/* A QR payload is kept out of line: a URL may be longer than a line. */
#define RECEIPT_QR_CAP 512

typedef struct {
    int width_mm;                       /* 58 or 80 */
    int cols;                           /* 32 or 48 */
    receipt_cmd *cmds;                  /* malloc'd */
    size_t n, cap;
    char qr[RECEIPT_QR_CAP];            /* the payload of the (one) QR command */
} receipt;

typedef enum {
    RECEIPT_OK = 0,
    RECEIPT_ERR_INVALID,     /* no sale, a width other than 58/80, a QR payload too long */
    RECEIPT_ERR_NO_MEMORY,
} receipt_err;

const char *receipt_strerror(receipt_err e);

typedef struct {
    const sale_doc *sale;
    int width_mm;                       /* 58 or 80 */
    const char *store_name;             /* "" or NULL: the store code is printed */
    const char *address, *phone, *tax_id;   /* NULL or "": the line is left out */
    const char *footer;                 /* NULL: "谢谢惠顾，欢迎再来" */
    int tz_offset_min;                  /* the store's zone: 480 = UTC+8 */
    bool reprint;                       /* 重印 under the header */
    const char *member_masked;          /* the member as printed (masked card); NULL: none */
    bool has_balance;                   /* points_balance is the balance after this sale */
    int64_t points_balance;
    const char *const *gift_names;      /* n_gifts names (NULL entries: the SKU), may be NULL */
    const char *qr;                     /* a QR's payload, NULL: none */
    const char *qr_caption;             /* the words under it ("扫码线上购买") */
    bool kick_drawer;                   /* a DRAWER command first */
} receipt_input;

/* Build the document.  On success r owns memory: receipt_free.  r is left empty on error. */
receipt_err receipt_build(const receipt_input *in, receipt *r);
void receipt_free(receipt *r);

/* The columns the paper gives a command of this size (double width halves them). */
int receipt_cols_for(const receipt *r, receipt_size size);

/* The printed line of a TEXT, KV or RULE command, in UTF-8, as the executors print it: KV is
 * label, spaces, value filling the width exactly; RULE is cols '-'; TEXT is the text alone
 * (pad = false: the ESC/POS executor aligns it with ESC a) or padded with leading spaces to
 * its alignment (pad = true: the text executor).  Returns the bytes written (< cap). */
size_t receipt_line(const receipt *r, const receipt_cmd *c, bool pad, char *out, size_t cap);

/* The text executor: one line per printed line (QR as "[QR payload]", a barcode as its
 * digits between brackets, FEED as empty lines, CUT as a line of '='; DRAWER prints nothing).
 * malloc'd, NUL-terminated. */
receipt_err receipt_to_text(const receipt *r, char **out, size_t *len);

/* ---- refund slips (退货单): a stored refund as its own document ---- */

typedef struct {
    const char *name;         /* NULL/"": sku */
    const char *sku;
    int64_t qty;              /* units refunded */
    int64_t grams;            /* weighed lines (refunded whole): the line's grams, else 0 */
    fen_t amount_fen;         /* refunded */
} refund_slip_line;

typedef struct {
    tender_kind kind;
    fen_t amount_fen;
} refund_slip_tender;

typedef struct {
    int width_mm;                             /* 58 or 80 */
    const char *store_name, *store_code;      /* the name, else the code */
    const char *address, *phone, *tax_id;     /* NULL or "": left out */
    const char *footer;                       /* NULL: "谢谢惠顾，欢迎再来" */
    int tz_offset_min;
    const char *refund_no, *receipt_no;       /* the refund's and the original sale's */
    int64_t created_utc;
    int till_no;
    const char *approved_by;                  /* as stored */
    const char *member_masked;                /* NULL/"": no member */
    const refund_slip_line *lines;
    size_t n_lines;
    fen_t rounding_fen, total_fen;            /* the sale's 抹零 on the refund completing it */
    const refund_slip_tender *tenders;
    size_t n_tenders;
    int64_t points_reversed, points_returned, points_shortfall;
} refund_input;

/* The refund slip: store header, 退货单 (double size, bold), 退货单号, 原小票号, time, till /
 * approver, member; each returned line (name; qty or kg; amount refunded); 抹零 when the refund
 * carries the sale's rounding; 退款合计 (tall, bold); each tender the money went back to; the
 * points taken back / returned; footer, feed, cut.  No QR, no barcode.  RECEIPT_ERR_INVALID:
 * no input, a bad width, no refund number. */
receipt_err refund_build(const refund_input *in, receipt *r);

/* ---- shelf labels: the same document, so the same executors print them ---- */

/* One product's label.  A QR command's payload is its own text here (each label has its own
 * URL, < RECEIPT_TEXT_CAP bytes); r->qr stays empty (a receipt's one long payload). */
typedef struct {
    const product *p;
    const char *supplier;     /* the supplier's name for the 扶贫产品 badge; NULL/"": its id */
    const char *origin;       /* 产地; NULL/"": left out */
    const char *qr;           /* the buy-online URL; NULL/"": no QR */
    const char *trace_qr;     /* the trace (溯源) URL of a poverty-relief product; NULL/"": none */
} label_item;

/* Labels of n products one under the other, a cut after each: name (double size when short,
 * else tall), 产地, the 扶贫产品 badge and supplier when the product is one, the price -- per
 * unit, or for weighed goods per 500 g (the big figure, as Chinese shelf labels show it) and
 * per kg --, the SKU, the buy-online QR and its caption, the trace QR and its caption.  RECEIPT_ERR_INVALID: no items, a bad width, a
 * QR payload too long. */
receipt_err label_build(const label_item *items, size_t n, int width_mm, receipt *r);

/* The payload of a QR command: the document's (a receipt's) or, when it has none, the
 * command's own (a label's). */
const char *receipt_qr_payload(const receipt *r, const receipt_cmd *c);

/* The sizes the executors print a code at, one rule for all of them so the PNG preview is the
 * print.  A QR module: the symbol of width_modules and its RECEIPT_QR_QUIET-module quiet zones
 * within about half of the paper's dots, 4..8 dots when that fits, never below 1 (the ESC/POS
 * GS ( k size).  A CODE128 module: the widest of 1..3 dots that fits modules (quiet zones
 * included) across dots (GS w). */
#define RECEIPT_QR_QUIET 4
int receipt_qr_module(int width_modules, int dots);
int receipt_barcode_module(int modules, int dots);

/* Chinese names of the tenders as printed: 现金, 微信支付, 支付宝, 银联卡, 积分抵现. */
const char *receipt_tender_name(tender_kind k);

#endif
