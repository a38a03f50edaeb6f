/* cashier_internal: what cashier.c (the sale's actions) and cashier_keys.c (the input that
 * calls them) share, and nobody else calls. */
#ifndef FUPIN_APP_CASHIER_INTERNAL_H
#define FUPIN_APP_CASHIER_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pos/app/cashier.h"
#include "pos/app/i18n.h"

void cashier_apply_typed_tender(cashier *c);
void cashier_ask_weight(cashier *c, const product *p);
void cashier_cancel_payment(cashier *c);
void cashier_clamp_selection(cashier *c);
void cashier_clear_input(cashier *c);
void cashier_item_added(cashier *c, size_t line);
size_t cashier_n_lines(const cashier *c);
bool cashier_parse_count(const char *s, int64_t *out);
void cashier_pay_enter(cashier *c);
void cashier_refuse(cashier *c, const char *text);
bool cashier_refuse_if_busy(cashier *c);
bool cashier_settle_failed(cashier *c);
void cashier_refuse_till(cashier *c, till_err err, const char *code);
void cashier_remember_line(cashier *c, size_t line);
void cashier_scan_item(cashier *c, const char *code);
/* The weight panel's word for the scale's verdict (NULL: none); *alarm for under zero, over
 * capacity and fault (cashier_devices.c). */
const char *cashier_scale_note(const cashier *c, bool *alarm);
void cashier_set_line_qty(cashier *c);
void cashier_set_pending_qty(cashier *c);
void cashier_start_payment(cashier *c);
void cashier_sync_clock(cashier *c);
void cashier_void_line(cashier *c);
/* F7: the last receipt again (printing_reprint_last), said on the message line. */
void cashier_reprint(cashier *c);

#endif
