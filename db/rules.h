/* rules: promotion rules in the store (promo_rules.rule_json) -- upsert, switch on and off,
 * import all-or-nothing, load the active set the till prices with.
 *
 * The rules are evaluated by pos/core/promo (pure) and encoded by pos/core/rule_json; this
 * module only stores them.  Also the gift-stock callback promo_context needs. */
#ifndef FUPIN_DB_RULES_H
#define FUPIN_DB_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/store.h"
#include "pos/core/promo.h"

/* Insert or replace rule r (checked with promo_rule_check first; STORE_ERR_INVALID with the
 * reason in store_last_error otherwise). */
store_err rules_upsert(store *s, const promo_rule *r, bool active);
/* Switch a rule off (kept for the record and the receipts that name it); NOT_FOUND if absent. */
store_err rules_deactivate(store *s, const char *id);
/* The active rules, ordered by id, into out[0..cap).  More than cap active rules is
 * STORE_ERR_INVALID (the till must not silently price with a subset); a stored rule that no
 * longer decodes or checks is STORE_ERR_CORRUPT naming its id.  *n receives the count. */
store_err rules_load_active(store *s, promo_rule *out, size_t cap, size_t *n);
/* One rule by id, active or not. */
store_err rules_find(store *s, const char *id, promo_rule *out, bool *active);
/* Every stored rule, active or not, ordered by id (the manager's `promo list`).  active[i]
 * (may be NULL) receives each rule's switch.  More than cap rules is STORE_ERR_INVALID. */
store_err rules_list(store *s, promo_rule *out, bool *active, size_t cap, size_t *n);
/* Upsert n rules in ONE transaction (`promo import`): all or nothing.  Each is checked like
 * rules_upsert; an audit row per rule that changed (*changed, may be NULL, counts them).
 * Refused (nothing written) when afterwards more than PROMO_MAX_RULES rules would be active:
 * the till refuses to price with a subset, so such an import would stop every sale. */
store_err rules_import(store *s, const promo_rule *rules, const bool *active, size_t n,
                       size_t *changed);
/* Switch a stored rule back on (audited as an upsert); NOT_FOUND if absent.  Same active-rule
 * limit as rules_import. */
store_err rules_activate(store *s, const char *id);

/* Gift stock for promo_context.stock (ctx = the store): on hand = the SKU's stock level
 * (stock_moves), cost = average unit cost of its receipts (0 when never received).  Unknown
 * SKU (not in the catalog) = false. */
bool rules_gift_stock(void *ctx, const char *sku, int64_t *on_hand, fen_t *cost_fen);

#endif
