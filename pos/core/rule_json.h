/* rule_json: the JSON form of a promotion rule -- a strict decoder and a canonical encoder.
 *
 * Pure (moved down from db/ so the store, the importer and tests share one codec): an unknown
 * key, a wrong type or a rule that promo_rule_check refuses is an error naming the rule id and
 * the field.  The encoder is ours (pos/core/json.h's writer): what db/rules.c stores is exactly
 * what it will load. */
#ifndef FUPIN_CORE_RULE_JSON_H
#define FUPIN_CORE_RULE_JSON_H

#include <stdbool.h>
#include <stddef.h>

#include "pos/core/json.h"
#include "pos/core/promo.h"

/* The JSON form of one rule (docs/PROMOTIONS.md, "Rules as JSON"):
 *   {"id": "fri-fupin", "label": "每周五扶贫日 扶贫产品9.5折", "priority": 10,
 *    "exclusive": false, "active": true,
 *    "schedule": {"weekdays": ["fri"], "from": "2026-01-01", "to": "",
 *                 "solar": {"month": 10, "day": 17} | "lunar": {"month": 1, "day": 1},
 *                 "before": 3, "after": 7, "time": {"start": "08:00", "end": "12:00"}},
 *    "scope": {"kind": "all|poverty_relief|category|skus|supplier", "category": "…",
 *              "skus": ["P0003"], "supplier": "SUP001", "members_only": false},
 *    "effect": {"kind": "percent", "percent": 95}
 *            | {"kind": "buy_n", "n": 3, "pay": 2} | {"kind": "buy_n", "n": 3, "bundle_fen": 1000}
 *            | {"kind": "amount_off", "amount_fen": 500}
 *            | {"kind": "threshold_off", "threshold_fen": 10000, "amount_fen": 1000, "repeat": true}
 *            | {"kind": "threshold_gift", "threshold_fen": 10000,
 *               "gifts": [{"sku": "P0003", "qty": 1}]}
 *            | {"kind": "points_multiplier", "multiplier_pct": 200}}
 * Optional members may be left out (defaults: priority 0, not exclusive, active, empty
 * schedule = always, scope all).  "active" is the store's switch, not part of promo_rule. */

/* Decode one rule object.  active may be NULL.  On failure why says
 * `rule "ID": FIELD: reason` (`rule: id: reason` when the id itself is the problem) and
 * false. */
bool rule_json_decode(const json_value *v, promo_rule *out, bool *active, char *why,
                      size_t why_cap);
/* Encode a rule (canonical: defaults left out, so decode(encode(r)) == r).  with_active adds
 * "active": active. */
void rule_json_encode(const promo_rule *r, bool with_active, bool active, json_writer *w);

#endif
