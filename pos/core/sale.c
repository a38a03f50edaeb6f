/* sale: build, check and serialise the sale document (see sale.h). */
#include "pos/core/sale.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "pos/core/bizday.h"

const char *sale_strerror(sale_err err)
{
    switch (err) {
    case SALE_OK: return "ok";
    case SALE_ERR_EMPTY: return "sale has no lines";
    case SALE_ERR_LINE: return "a sale line is inconsistent";
    case SALE_ERR_TOTAL: return "lines do not sum to the total";
    case SALE_ERR_ROUNDING: return "rounding does not match";
    case SALE_ERR_TENDERS: return "tenders do not match the amount due";
    case SALE_ERR_IDENTITY: return "sale identity (uuid, receipt number, day) is malformed";
    case SALE_ERR_BASKET: return "basket is not payable";
    }
    return "unknown sale error";
}

#define COPY(dst, src) snprintf((dst), sizeof(dst), "%s", (src))

sale_err sale_from_basket(const basket *b, cash_rounding mode, sale_doc *doc)
{
    basket_settlement st;
    if (basket_check_payable(b, mode, &st) != BASKET_OK)
        return SALE_ERR_BASKET;
    doc->n_lines = 0;
    for (size_t i = 0; i < b->n_lines; i++) {
        const basket_line *bl = &b->lines[i];
        sale_line *l = &doc->lines[doc->n_lines++];
        memset(l, 0, sizeof *l);
        COPY(l->sku, bl->item.sku);
        COPY(l->name, bl->item.name);
        COPY(l->gtin13, bl->item.gtin13);
        COPY(l->supplier_id, bl->item.supplier_id);
        l->qty = bl->qty;
        l->grams = bl->grams;
        l->unit_price_fen = bl->unit_price_fen;
        l->amount_fen = bl->amount_fen;
        l->discount_fen = bl->discount_fen;
        l->poverty_relief = bl->item.poverty_relief;
    }
    doc->n_tenders = 0;
    for (size_t i = 0; i < b->n_tenders; i++) {
        sale_tender *t = &doc->tenders[doc->n_tenders++];
        memset(t, 0, sizeof *t);
        t->kind = b->tenders[i].kind;
        t->amount_fen = b->tenders[i].amount_fen;
        COPY(t->ref, b->tenders[i].ref);
    }
    doc->total_fen = st.total_fen;
    doc->rounding_fen = st.rounding_fen;
    doc->due_fen = st.due_fen;
    doc->change_fen = st.change_fen;
    if (st.rounding_fen != 0) {
        /* 抹零 is shown among the applied adjustments so screen and receipt both carry it. */
        sale_applied *a = &doc->applied[doc->n_applied < SALE_MAX_APPLIED ? doc->n_applied++
                                                                            : SALE_MAX_APPLIED - 1];
        memset(a, 0, sizeof *a);
        COPY(a->rule, "cash_rounding");
        COPY(a->label, st.rounding_fen < 0 ? "抹零" : "四舍五入到角");
        a->amount_fen = st.rounding_fen;
    }
    return SALE_OK;
}

__attribute__((format(printf, 4, 5)))
static sale_err fail(sale_err err, char *why, size_t cap, const char *fmt, ...)
{
    if (why && cap) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(why, cap, fmt, ap);
        va_end(ap);
    }
    return err;
}

static bool receipt_no_valid(const sale_doc *doc)
{
    char expect_prefix[SALE_RECEIPT_NO_CAP];
    char ymd[9];
    if (!bizday_valid_day(doc->business_day))
        return false;
    snprintf(ymd, sizeof ymd, "%.4s%.2s%.2s", doc->business_day, doc->business_day + 5,
             doc->business_day + 8);
    int n = snprintf(expect_prefix, sizeof expect_prefix, "%s-%d-%s-", doc->store_code,
                     doc->till_no, ymd);
    if (n <= 0 || (size_t)n >= sizeof expect_prefix ||
        strncmp(doc->receipt_no, expect_prefix, (size_t)n) != 0)
        return false;
    const char *seq = doc->receipt_no + n;
    size_t len = strlen(seq);
    if (len < 4 || len > 6)
        return false;
    for (size_t i = 0; i < len; i++)
        if (seq[i] < '0' || seq[i] > '9')
            return false;
    return true;
}

sale_err sale_check(const sale_doc *doc, bool require_identity, char *why, size_t why_cap)
{
    if (doc->n_lines == 0 || doc->n_lines > BASKET_MAX_LINES)
        return fail(SALE_ERR_EMPTY, why, why_cap, "sale has %lld lines", (long long)doc->n_lines);
    fen_t sum = 0;
    for (size_t i = 0; i < doc->n_lines; i++) {
        const sale_line *l = &doc->lines[i];
        if (l->sku[0] == '\0' || l->qty < 1 || l->grams < 0 || l->unit_price_fen < 0 ||
            l->amount_fen < 0 || l->discount_fen < 0 || l->discount_fen > l->amount_fen)
            return fail(SALE_ERR_LINE, why, why_cap,
                        "line %lld: bad sku, quantity, price, amount or discount",
                        (long long)i + 1);
        fen_t expect;
        bool ok = l->grams > 0 ? money_mul_grams(l->unit_price_fen, l->grams, &expect)
                               : money_mul_qty(l->unit_price_fen, l->qty, &expect);
        /* A counted line's amount is qty × unit price.  A weighed line's is price × weight,
         * except for a scale label carrying its own printed amount: the label scale is the
         * verified instrument, so that amount is charged (the till checked it against the
         * catalog within the store's tolerance) and the line keeps grams and the catalog
         * fen/kg.  A label with a price but no weight is a counted line (qty 1 at the printed
         * price), so it meets the counted rule. */
        if (!ok || (l->grams == 0 && expect != l->amount_fen))
            return fail(SALE_ERR_LINE, why, why_cap, "line %lld: amount %lld != qty × price",
                        (long long)i + 1, (long long)l->amount_fen);
        if (!money_add(sum, l->amount_fen - l->discount_fen, &sum))
            return fail(SALE_ERR_TOTAL, why, why_cap, "line %lld: total overflows",
                        (long long)i + 1);
    }
    if (sum != doc->total_fen)
        return fail(SALE_ERR_TOTAL, why, why_cap, "lines sum to %lld but total is %lld",
                    (long long)sum, (long long)doc->total_fen);
    if (doc->total_fen + doc->rounding_fen != doc->due_fen)
        return fail(SALE_ERR_ROUNDING, why, why_cap, "total + rounding = %lld but due is %lld",
                    (long long)(doc->total_fen + doc->rounding_fen), (long long)doc->due_fen);
    if (doc->rounding_fen < -9 || doc->rounding_fen > 9)
        return fail(SALE_ERR_ROUNDING, why, why_cap, "rounding %lld is more than 9 fen",
                    (long long)doc->rounding_fen);
    if (doc->n_tenders == 0 || doc->n_tenders > BASKET_MAX_TENDERS)
        return fail(SALE_ERR_TENDERS, why, why_cap, "sale has %lld tenders",
                    (long long)doc->n_tenders);
    fen_t tendered = 0, cash = 0;
    bool all_cash = true;
    for (size_t i = 0; i < doc->n_tenders; i++) {
        const sale_tender *t = &doc->tenders[i];
        if ((unsigned)t->kind >= TENDER_KIND_COUNT || t->amount_fen <= 0 ||
            !money_add(tendered, t->amount_fen, &tendered))
            return fail(SALE_ERR_TENDERS, why, why_cap, "tender %lld is invalid",
                        (long long)i + 1);
        if (t->kind == TENDER_CASH)
            cash += t->amount_fen;
        else
            all_cash = false;
    }
    if (doc->rounding_fen != 0 && !all_cash)
        return fail(SALE_ERR_ROUNDING, why, why_cap,
                    "rounding %lld on a sale not paid all in cash",
                    (long long)doc->rounding_fen);
    if (doc->change_fen < 0 || tendered - doc->change_fen != doc->due_fen)
        return fail(SALE_ERR_TENDERS, why, why_cap, "tenders - change = %lld but due is %lld",
                    (long long)(tendered - doc->change_fen), (long long)doc->due_fen);
    if (doc->change_fen > cash)
        return fail(SALE_ERR_TENDERS, why, why_cap, "change %lld exceeds cash tendered %lld",
                    (long long)doc->change_fen, (long long)cash);
    /* A gift's quantity and cost go to the stock journal, which refuses nonsense: say which
     * gift here rather than fail on a CHECK constraint inside the commit. */
    if (doc->n_gifts > SALE_MAX_GIFTS)
        return fail(SALE_ERR_LINE, why, why_cap, "sale has %lld gifts", (long long)doc->n_gifts);
    for (size_t i = 0; i < doc->n_gifts; i++)
        if (doc->gifts[i].qty <= 0 || !money_price_valid(doc->gifts[i].cost_fen))
            return fail(SALE_ERR_LINE, why, why_cap, "gift %lld: qty %lld, cost %lld",
                        (long long)i + 1, (long long)doc->gifts[i].qty,
                        (long long)doc->gifts[i].cost_fen);
    if (require_identity) {
        if (!sale_uuid_valid(doc->uuid))
            return fail(SALE_ERR_IDENTITY, why, why_cap, "uuid is not a v4 uuid");
        if (!receipt_no_valid(doc))
            return fail(SALE_ERR_IDENTITY, why, why_cap,
                        "receipt number does not match store, till and day");
        if (doc->created_utc <= 0)
            return fail(SALE_ERR_IDENTITY, why, why_cap, "no creation time");
    }
    if (why && why_cap)
        why[0] = '\0';
    return SALE_OK;
}

void sale_to_json(const sale_doc *doc, json_writer *w)
{
    json_begin_object(w);
    json_kv_string(w, "uuid", doc->uuid);
    json_kv_string(w, "receipt_no", doc->receipt_no);
    json_kv_string(w, "business_day", doc->business_day);
    json_kv_string(w, "store", doc->store_code);
    json_kv_int(w, "till", doc->till_no);
    json_kv_string(w, "cashier", doc->cashier);
    json_kv_int(w, "created_utc", doc->created_utc);
    json_key(w, "lines");
    json_begin_array(w);
    for (size_t i = 0; i < doc->n_lines; i++) {
        const sale_line *l = &doc->lines[i];
        json_begin_object(w);
        json_kv_string(w, "sku", l->sku);
        json_kv_string(w, "name", l->name);
        json_kv_string(w, "gtin", l->gtin13);
        json_kv_int(w, "qty", l->qty);
        json_kv_int(w, "grams", l->grams);
        json_kv_int(w, "unit_price_fen", l->unit_price_fen);
        json_kv_int(w, "amount_fen", l->amount_fen);
        json_kv_int(w, "discount_fen", l->discount_fen);
        json_kv_bool(w, "poverty_relief", l->poverty_relief);
        json_kv_string(w, "supplier_id", l->supplier_id);
        json_end_object(w);
    }
    json_end_array(w);
    json_key(w, "applied");
    json_begin_array(w);
    for (size_t i = 0; i < doc->n_applied; i++) {
        json_begin_object(w);
        json_kv_string(w, "rule", doc->applied[i].rule);
        json_kv_string(w, "label", doc->applied[i].label);
        json_kv_int(w, "amount_fen", doc->applied[i].amount_fen);
        json_end_object(w);
    }
    json_end_array(w);
    json_key(w, "gifts");
    json_begin_array(w);
    for (size_t i = 0; i < doc->n_gifts; i++) {
        json_begin_object(w);
        json_kv_string(w, "sku", doc->gifts[i].sku);
        json_kv_int(w, "qty", doc->gifts[i].qty);
        json_kv_int(w, "cost_fen", doc->gifts[i].cost_fen);
        json_end_object(w);
    }
    json_end_array(w);
    json_kv_int(w, "total_fen", doc->total_fen);
    json_kv_int(w, "rounding_fen", doc->rounding_fen);
    json_kv_int(w, "due_fen", doc->due_fen);
    json_key(w, "tenders");
    json_begin_array(w);
    for (size_t i = 0; i < doc->n_tenders; i++) {
        json_begin_object(w);
        json_kv_string(w, "kind", tender_kind_name(doc->tenders[i].kind));
        json_kv_int(w, "amount_fen", doc->tenders[i].amount_fen);
        if (doc->tenders[i].ref[0])
            json_kv_string(w, "ref", doc->tenders[i].ref);
        json_end_object(w);
    }
    json_end_array(w);
    json_kv_int(w, "change_fen", doc->change_fen);
    json_kv_int(w, "points_earned", doc->points_earned);
    json_kv_int(w, "points_redeemed", doc->points_redeemed);
    json_key(w, "member");
    if (doc->member_id[0])
        json_string(w, doc->member_id);
    else
        json_null(w);
    json_end_object(w);
}

bool sale_format_receipt_no(const char *store_code, int till_no, const char *business_day,
                            int seq, char *out, size_t cap)
{
    if (!store_code || !store_code[0] || strlen(store_code) >= STORE_CODE_CAP || till_no < 1 ||
        till_no > 999 || !bizday_valid_day(business_day) || seq < 1 || seq > 999999)
        return false;
    for (const char *c = store_code; *c; c++)
        if (!((*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9')))
            return false;
    int n = snprintf(out, cap, "%s-%d-%.4s%.2s%.2s-%04d", store_code, till_no, business_day,
                     business_day + 5, business_day + 8, seq);
    return n > 0 && (size_t)n < cap;
}

void sale_format_uuid_v4(const uint8_t random16[16], char out[SALE_UUID_CAP])
{
    uint8_t b[16];
    memcpy(b, random16, 16);
    b[6] = (uint8_t)((b[6] & 0x0f) | 0x40); /* version 4 */
    b[8] = (uint8_t)((b[8] & 0x3f) | 0x80); /* RFC 4122 variant */
    static const char hex[] = "0123456789abcdef";
    size_t o = 0;
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            out[o++] = '-';
        out[o++] = hex[b[i] >> 4];
        out[o++] = hex[b[i] & 15];
    }
    out[o] = '\0';
}

bool sale_uuid_valid(const char *u)
{
    if (!u || strlen(u) != 36)
        return false;
    for (int i = 0; i < 36; i++) {
        char c = u[i];
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (c != '-')
                return false;
        } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            return false;
        }
    }
    return u[14] == '4' && (u[19] == '8' || u[19] == '9' || u[19] == 'a' || u[19] == 'b');
}
