/* demo: load the demo store (assets/demo/ CSV files) into a till database.  Idempotent: loading
 * twice leaves the same catalog (products and suppliers are upserted by key). */
#ifndef FUPIN_DB_DEMO_H
#define FUPIN_DB_DEMO_H

#include <stddef.h>

#include "db/store.h"

/* Where the assets are: $FUPIN_POS_ASSETS, else the build's FUPIN_ASSETS_DIR. */
const char *demo_assets_dir(void);

/* Loads suppliers.csv then products.csv from <assets_dir>/demo and sets the demo store's
 * configuration (YR01, 永仁县扶贫超市, till 1, 抹零 drop_fen) if none is set.  One
 * transaction: a bad row rejects the whole load, reported as FILE:LINE: column: reason. */
store_err demo_load(store *s, const char *assets_dir, char *msg, size_t msg_cap);

/* Load <assets_dir>/demo/promotions.json ({"settings": {key: value}, "rules": [rule…]}) and
 * <assets_dir>/demo/members.csv (id,phone,name,kind), plus opening stock of the gift SKUs, in
 * one transaction; idempotent (upserts; the opening stock is written once).  A missing file
 * is skipped (older asset sets); a bad one refuses everything with FILE[:LINE]: field: reason. */
store_err demo_load_promotions(store *s, const char *assets_dir, char *msg, size_t msg_cap);

#endif
