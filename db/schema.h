/* schema: the schema steps, declared where db/migrations.c can see them without any feature
 * header.  Each step's SQL lives beside its feature (db/<feature>_schema.c); migrations.c
 * lists them in order.  A released step is never edited (see migrations.h). */
#ifndef FUPIN_DB_SCHEMA_H
#define FUPIN_DB_SCHEMA_H

/* Step 3: promotions, members, points journal, sales.member_id (db/promo_schema.c). */
extern const char PROMO_SCHEMA_STEP3[];
/* Step 4: refunds, refund lines and tenders (db/refund_schema.c). */
extern const char REFUND_SCHEMA_STEP4[];
/* Step 5: sale_gifts.cost_fen (db/gift_cost_schema.c). */
extern const char GIFT_COST_SCHEMA_STEP5[];
/* Step 6: star_months, the consumption-star aggregate, back-filled (db/stars_schema.c). */
extern const char STARS_SCHEMA_STEP6[];
/* The back-fill of step 6 on its own (an INSERT of the full computation into an empty
 * star_months): db/stars.c's stars_rebuild. */
extern const char STARS_BACKFILL[];
/* Step 7: sale_requests, the request fingerprint of a sale made under a caller's UUID
 * (db/sale_request_schema.c). */
extern const char SALE_REQUEST_SCHEMA_STEP7[];
/* Step 8: receipt_prints, one row per receipt printed (original, reprint) (issue #10,
 * db/receipt_prints_schema.c). */
extern const char RECEIPT_PRINTS_SCHEMA_STEP8[];

#endif
