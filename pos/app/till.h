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

typedef enum {
    TILL_OK = 0,
    TILL_ERR_CODE,        /* the code is malformed (check digit, length, characters) */
    TILL_ERR_UNKNOWN,     /* a valid code that is not in the catalog */
    TILL_ERR_NOT_ITEM,    /* a payment code / scale label where an item was expected */
    TILL_ERR_BASKET,      /* the basket refused (quantity, full, overflow, …) */
    TILL_ERR_PAYMENT,     /* not payable yet (insufficient, change on e-pay) */
    TILL_ERR_STORE,       /* the database refused or failed: basket kept */
} till_err;

typedef struct {
    store *db;
    till_config config;
    char cashier[32];
    basket cart;
    /* what the last operation said, in the user's language, for the screen / stderr */
    char message[256];
} till;

/* Open (and migrate) the database at path; fills t->config from it. */
store_err till_open(till *t, const char *db_path, bool create, char *msg, size_t cap);
void till_close(till *t);

/* Scan an item code with a quantity (counted goods).  On success fills *line_out. */
till_err till_scan(till *t, const char *code, int64_t qty, size_t *line_out, code_info *info);
/* Add a weighed product by PLU or code at a typed weight (#3 fills in scale labels). */
till_err till_add_weighed(till *t, const char *plu_or_code, int64_t grams, size_t *line_out);
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
