/* till: the sale path shared by the screens and the headless commands.
 *
 * A till holds the basket being rung up and the store connection used for look-ups.  Scanning,
 * quantities, voids and tenders go through here, so `fupin-pos sell` and the sale screen cannot
 * disagree.  Committing is split in two so the UI can run the durable part on a worker thread:
 * till_prepare_sale() builds and checks the document on the calling thread,
 * till_commit_prepared() writes it (any thread, with its own store handle). */
#ifndef FUPIN_APP_TILL_H
#define FUPIN_APP_TILL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/store.h"
#include "pos/core/barcode.h"
#include "pos/core/basket.h"
#include "pos/core/sale.h"
#include "pos/core/scale_label.h"

typedef enum {
    TILL_OK = 0,
    TILL_ERR_CODE,        /* the code is malformed (check digit, length, characters) */
    TILL_ERR_UNKNOWN,     /* a valid code that is not in the catalog */
    TILL_ERR_NOT_ITEM,    /* a payment code where an item was expected (item-entry screen) */
    TILL_ERR_BASKET,      /* the basket refused (quantity, full, overflow, …) */
    TILL_ERR_PAYMENT,     /* not payable yet (insufficient, change on e-pay) */
    TILL_ERR_STORE,       /* the database refused or failed: basket kept */
    TILL_ERR_LABEL,       /* a scale label that disagrees with the catalog, or cannot be sold */
    TILL_ERR_WEIGHT,      /* a weight outside the product's range, zero after tare, in motion */
    TILL_ERR_NOT_PAYMENT, /* the payment screen got something that is not a payment code */
} till_err;

/* Default agreement tolerance of scale labels (setting scale.tolerance_fen): 5 fen covers the
 * scale rounding its own price × weight differently from ours, nothing more. */
#define TILL_SCALE_TOLERANCE_DEFAULT 5

typedef struct {
    store *db;
    bool owns_db;              /* false after till_attach: the caller closes db */
    till_config config;
    char cashier[32];
    basket cart;
    /* What the last operation said, in the user's language, for the screen / stderr. */
    char message[256];
    /* The last successful add sold a 扶贫 product whose certificate has lapsed: it sells, but
     * not as poverty-relief; the screen shows a notice (the message says it too). */
    bool last_cert_lapsed;
    /* Store configuration of in-store labels: settings scale.layouts (scale_layouts_parse
     * syntax; default scale_layouts_default) and scale.tolerance_fen (default 5). */
    scale_layout_set layouts;
    fen_t scale_tolerance_fen;
    /* "Now" for business-day rules (certificate validity): --at and tests pin it; 0 = the
     * real clock.  The sale's own created_utc is the till_prepare_sale argument. */
    int64_t at_utc;
} till;

/* Open (and migrate) the database at path; fills t->config, layouts and tolerance from it.
 * A malformed scale.layouts / scale.tolerance_fen setting refuses to open (STORE_ERR_INVALID,
 * msg names the setting): decoding labels with a wrong layout would charge wrong amounts. */
store_err till_open(till *t, const char *db_path, bool create, char *msg, size_t cap);
/* The same on a store the caller opened (read-only commands such as `scan`); t does not own
 * it, till_close leaves it open. */
store_err till_attach(till *t, store *db, char *msg, size_t cap);
void till_close(till *t);

/* The item-entry screen's scan: a retail barcode (counted goods, with a quantity), an
 * in-store scale label (the label's PLU, weight and/or printed price; qty must be 1), while a
 * customer payment code is refused as an item (TILL_ERR_NOT_ITEM, "这是付款码…").  On success
 * fills *line_out.  info (may be NULL) receives the classification. */
till_err till_scan(till *t, const char *code, int64_t qty, size_t *line_out, code_info *info);
/* Add a weighed product by PLU or code at a typed weight (a typed weight is stable).  The
 * weight is gross: the product's tare is subtracted, then its min/max apply. */
till_err till_add_weighed(till *t, const char *plu_or_code, int64_t grams, size_t *line_out);
/* The same for a scale reading: a reading in motion (stable false) is refused. */
till_err till_add_scale_reading(till *t, const char *plu_or_code, int64_t gross_g, bool stable,
                                size_t *line_out);
/* Add a product chosen by SKU (the search pane): counted goods with qty, weighed goods with
 * the gross weight gross_g (typed: stable; a scale reading: its own stability). */
till_err till_add_sku(till *t, const char *sku, int64_t qty, int64_t gross_g, bool stable,
                      size_t *line_out);

/* What a scale label means against the catalog (shared by till_scan and `scan`). */
typedef struct {
    scale_label label;         /* decoded: PLU, has_price/has_weight, price, grams */
    bool found;                /* the PLU is in the catalog */
    product p;                 /* when found */
    bool checked;              /* price and weight both printed: agreement was checked */
    bool agrees;               /* within the tolerance (true when there was nothing to check) */
    fen_t expect_fen;          /* catalog price × label weight, when the label has a weight */
    fen_t charge_fen;          /* what a sale charges: the printed price, else expect_fen */
} till_label_check;

/* Decode code (already classified CODE_SCALE_LABEL) and check it against the catalog.  Returns
 * TILL_OK when the label can be sold, else the refusal with t->message set. */
till_err till_check_label(till *t, const char *code, till_label_check *out);

/* Classify a code as the item-entry screen does (scale labels first, then payment codes, then
 * retail GTINs); returns info->kind. */
code_kind till_classify_item(const till *t, const char *code, code_info *info);
/* The payment screen: a customer payment code (WeChat / Alipay / UnionPay) pays the whole
 * remaining amount with the tender kind of its provider and the code as the reference.
 * Scale labels and product codes are refused (TILL_ERR_NOT_PAYMENT).  There is no payment
 * gateway yet: the tender is recorded as if the provider had confirmed it (the message says
 * 模拟支付). */
till_err till_pay_by_code(till *t, const char *code, code_info *info);

/* Search the catalog for the search pane (name, pinyin initials, code, PLU), best first. */
till_err till_search(till *t, const char *text, product *out, size_t cap, size_t *n_out);
/* Supplier's display name for a product's supplier id ("" when unknown). */
void till_supplier_name(till *t, const char *supplier_id, char *buf, size_t cap);
/* Business day (YYYY-MM-DD) of "now" (t->at_utc or the clock) in the store's zone. */
void till_business_day(const till *t, char out[11]);
till_err till_set_qty(till *t, size_t line, int64_t qty);
till_err till_void(till *t, size_t line);
till_err till_tender(till *t, tender_kind kind, fen_t amount);

/* Build the sale document from the basket and check it.  The uuid is drawn from the OS random
 * source here; created_utc is the caller's clock reading (or --at). */
till_err till_prepare_sale(till *t, int64_t now_utc, sale_doc *doc);
/* Write a prepared document (and the basket's voids) through db. */
till_err till_commit_prepared(store *db, sale_doc *doc, const basket *cart, char *msg, size_t cap);
/* After a successful commit: start the next sale. */
void till_next_sale(till *t);

/* Fill 16 bytes from the OS random source (getrandom); false if it is unavailable. */
bool till_os_random(uint8_t *buf, size_t n);

#endif
