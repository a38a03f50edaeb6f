/* till_internal: what the till's files (till.c, till_scan.c, till_promo.c, till_sale.c) share
 * and nobody else calls: the message helpers and the steps one part needs from another. */
#ifndef FUPIN_APP_TILL_INTERNAL_H
#define FUPIN_APP_TILL_INTERNAL_H

#include "pos/app/till.h"

/* Set t->message (the user's language) and return err. */
till_err till_say(till *t, till_err err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Append to the message (notes after the main text). */
void till_say_more(till *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
till_err till_basket_refused(till *t, basket_err err);
till_err till_store_failed(till *t, store_err err);
/* "Now": t->at_utc, else the clock. */
int64_t till_now(const till *t);

/* till_promo.c: re-price after a basket change (err passes through when it is TILL_OK), and
 * start a sale's rules when the first line goes into an empty basket. */
till_err till_priced_add(till *t, till_err err);
void till_begin_sale_if_empty(till *t);
/* Price the basket at at_utc; doc (may be NULL) receives the applied rules and gifts. */
till_err till_price_at(till *t, int64_t at_utc, sale_doc *doc);
/* A points tender of value_fen checked against member, cap and balance; *points its cost. */
till_err till_check_points(till *t, fen_t value_fen, int64_t *points);

#endif
