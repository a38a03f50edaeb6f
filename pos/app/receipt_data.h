/* receipt_data: what a receipt needs besides the sale, read from the store -- the header's
 * settings (store.name/address/phone/tax_id, receipt.footer, the zone), the paper width
 * (receipt.width), the gifts' names, the member as printed (masked card) and their points
 * balance just after the sale, and the buy-online QR: receipt.buy_url with {token} (the
 * sale's unguessable receipt token, db/receipt_prints.h, made on first use -- so the store
 * must be writable when the key is set) and {receipt} -- so pos/core/receipt.h can stay pure.  Used by `receipt`
 * (cmd_receipt.c) for a stored sale and by the till's printing (printing.c) for the sale just
 * committed: one loader, so the slip and the command print the same document.
 *
 * Also the settings' validation for `config set` (receipt_setting_valid). */
#ifndef FUPIN_APP_RECEIPT_DATA_H
#define FUPIN_APP_RECEIPT_DATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/refund.h"
#include "db/store.h"
#include "pos/core/mask.h"
#include "pos/core/receipt.h"
#include "pos/core/sale.h"

typedef struct {
    sale_doc sale;                               /* first: receipt_data.c relies on it */
    char store_name[128], address[128], phone[40], tax_id[40], footer[128];
    int tz_offset_min;
    int width_mm;                                /* receipt.width: 58 (default) or 80 */
    char member_masked[MASK_CAP];
    bool has_balance;
    int64_t balance;
    bool qr_raster;                              /* receipt.qr = raster */
    char qr[RECEIPT_QR_CAP];                     /* receipt.buy_url with {token}, {receipt}, {lines}; "" none */
    char gift_names[SALE_MAX_GIFTS][PRODUCT_NAME_CAP];
    const char *gift_ptrs[SALE_MAX_GIFTS];
} receipt_data;

/* Load the stored sale (receipt number or UUID) and everything around it.  out is large
 * (allocate it).  STORE_ERR_NOT_FOUND: no such sale. */
store_err receipt_data_load(store *s, const char *receipt_no_or_uuid, receipt_data *out);
/* The same around a sale document in hand (the till's, just committed). */
store_err receipt_data_for(store *s, const sale_doc *doc, receipt_data *out);
/* The settings only (no sale): for a caller without a store, leave out (defaults). */
void receipt_data_defaults(receipt_data *out);

/* The input of receipt_build for this data; width_mm 0 = the stored setting. */
void receipt_data_input(const receipt_data *d, int width_mm, bool reprint, receipt_input *in);

typedef enum { RECEIPT_FORMAT_TEXT = 0, RECEIPT_FORMAT_ESCPOS } receipt_format;

/* The receipt of d in a format (malloc'd; text is NUL-terminated, *len without the NUL):
 * width_mm 0 = the setting; drawer: a drawer kick first (ESC/POS).  replaced (may be NULL):
 * characters the printer cannot print, sent as '?'.  False with why on failure. */
bool receipt_data_render(const receipt_data *d, receipt_format fmt, int width_mm, bool reprint,
                         bool qr_raster, uint8_t **out, size_t *len, size_t *replaced,
                         char *why, size_t cap);

/* The settings only, read from the store (header, footer, zone, receipt.width, receipt.qr):
 * for a document that is not a sale (a refund slip).  out->sale is left empty. */
store_err receipt_data_settings(store *s, receipt_data *out);

/* A stored refund's slip (refund_build) with the store's settings d (receipt_data_settings);
 * width_mm 0 = the setting. */
receipt_err refund_slip_build(const refund_doc *rd, const receipt_data *d, int width_mm,
                              receipt *r);

/* A built document in a format (as receipt_data_render; qr_raster: QR codes as images). */
bool receipt_doc_render(const receipt *r, receipt_format fmt, bool qr_raster, uint8_t **out,
                        size_t *len, size_t *replaced, char *why, size_t cap);

/* receipt.buy_url expanded for a sale ({token}, {receipt}, {lines}: lines as given, already
 * encoded; NULL = ""): false when it would not fit. */
bool receipt_buy_url(const char *tmpl, const char *token, const char *receipt_no,
                     const char *lines, char *out, size_t cap);

/* The most bytes a buy URL with {lines} filled may have: QR version 10 at EC M holds 213 bytes
 * in byte mode.  Longer, {lines} is left empty (receipt_data_for). */
#define RECEIPT_QR_LINES_MAX 213

/* The sale's lines for {lines}: SKU*QTY, or SKU@GRAMS for a weighed line, joined with ',' and
 * percent-encoded beyond URL-unreserved characters (so '*' is %2A, '@' %40, ',' %2C).  False
 * (out "") when they do not fit cap. */
bool receipt_url_lines(const sale_doc *d, char *out, size_t cap);

/* label.buy_url expanded for a SKU ({sku}, percent-encoded beyond URL-unreserved
 * characters): false when it would not fit. */
bool label_buy_url(const char *tmpl, const char *sku, char *out, size_t cap);
/* A label URL template expanded: {sku}, {cert} (the 扶贫 certificate number), {supplier} (the
 * supplier's id), each percent-encoded (UTF-8 bytes) beyond URL-unreserved characters. */
bool label_url(const char *tmpl, const char *sku, const char *cert, const char *supplier,
               char *out, size_t cap);

/* Is value good for the receipt settings key (store.address, store.phone, store.tax_id,
 * receipt.footer, receipt.width, receipt.buy_url, receipt.qr, label.buy_url,
 * label.trace_url)?  False with the reason in why. */
bool receipt_setting_valid(const char *key, const char *value, char *why, size_t cap);

#endif
