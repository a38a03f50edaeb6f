/* sale: the document built from a basket, its invariants, its identity and its JSON. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pos/core/sale.h"

static product make(const char *sku, fen_t price, bool by_weight)
{
    product p;
    memset(&p, 0, sizeof p);
    snprintf(p.sku, sizeof p.sku, "%s", sku);
    snprintf(p.name, sizeof p.name, "核桃\"%s\"", sku);
    p.price_fen = price;
    p.by_weight = by_weight;
    p.active = true;
    p.poverty_relief = true;
    snprintf(p.supplier_id, sizeof p.supplier_id, "HH001");
    return p;
}

static sale_doc *paid_doc(cash_rounding mode)
{
    static basket b;
    basket_init(&b);
    product a = make("A", 1280, false), w = make("W", 1990, true);
    basket_add_product(&b, &a, 2, NULL);
    basket_add_weighed(&b, &w, 512, NULL); /* 1018.88 -> 1019 */
    basket_add_tender(&b, TENDER_CASH, 5000, NULL);
    sale_doc *d = calloc(1, sizeof *d);
    assert_non_null(d);
    assert_int_equal(sale_from_basket(&b, mode, d), SALE_OK);
    return d;
}

static void identify(sale_doc *d)
{
    uint8_t rnd[16];
    for (int i = 0; i < 16; i++)
        rnd[i] = (uint8_t)(i * 37 + 11);
    sale_format_uuid_v4(rnd, d->uuid);
    snprintf(d->store_code, sizeof d->store_code, "YR01");
    d->till_no = 1;
    snprintf(d->business_day, sizeof d->business_day, "2026-10-16");
    assert_true(sale_format_receipt_no("YR01", 1, "2026-10-16", 7, d->receipt_no,
                                       sizeof d->receipt_no));
    d->created_utc = 1792120200;
}

static void test_from_basket(void **state)
{
    (void)state;
    sale_doc *d = paid_doc(ROUNDING_DROP_FEN);
    assert_int_equal(d->n_lines, 2);
    assert_int_equal(d->lines[1].grams, 512);
    assert_int_equal(d->lines[1].amount_fen, 1019);
    assert_int_equal(d->total_fen, 2560 + 1019);
    assert_int_equal(d->rounding_fen, -9);
    assert_int_equal(d->due_fen, 3570);
    assert_int_equal(d->change_fen, 1430);
    assert_int_equal(d->n_applied, 1); /* 抹零 is listed */
    assert_int_equal(d->applied[0].amount_fen, -9);
    char why[160];
    assert_int_equal(sale_check(d, false, why, sizeof why), SALE_OK);
    /* identity not yet assigned */
    assert_int_equal(sale_check(d, true, why, sizeof why), SALE_ERR_IDENTITY);
    identify(d);
    assert_int_equal(sale_check(d, true, why, sizeof why), SALE_OK);
    free(d);
}

/* Each mutation breaks exactly one invariant; sale_check must name it. */
static void test_check_catches_every_invariant(void **state)
{
    (void)state;
    static const struct { const char *what; sale_err expect; } cases[] = {
        { "no lines", SALE_ERR_EMPTY },
        { "line amount", SALE_ERR_LINE },
        { "zero qty", SALE_ERR_LINE },
        { "discount above amount", SALE_ERR_LINE },
        { "total", SALE_ERR_TOTAL },
        { "due", SALE_ERR_ROUNDING },
        { "rounding on e-pay", SALE_ERR_ROUNDING },
        { "rounding too big", SALE_ERR_ROUNDING },
        { "change", SALE_ERR_TENDERS },
        { "no tenders", SALE_ERR_TENDERS },
        { "change from e-pay", SALE_ERR_TENDERS },
        { "uuid", SALE_ERR_IDENTITY },
        { "receipt no", SALE_ERR_IDENTITY },
        { "business day", SALE_ERR_IDENTITY },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sale_doc *d = paid_doc(ROUNDING_DROP_FEN);
        identify(d);
        const char *w = cases[i].what;
        if (!strcmp(w, "no lines")) d->n_lines = 0;
        else if (!strcmp(w, "line amount")) d->lines[0].amount_fen += 1;
        else if (!strcmp(w, "zero qty")) d->lines[0].qty = 0;
        else if (!strcmp(w, "discount above amount")) d->lines[0].discount_fen = d->lines[0].amount_fen + 1;
        else if (!strcmp(w, "total")) d->total_fen += 1;
        else if (!strcmp(w, "due")) d->due_fen += 1;
        else if (!strcmp(w, "rounding on e-pay")) d->tenders[0].kind = TENDER_WECHAT;
        else if (!strcmp(w, "rounding too big")) { d->rounding_fen = -19; d->due_fen = d->total_fen - 19; d->change_fen += 10; }
        else if (!strcmp(w, "change")) d->change_fen += 1;
        else if (!strcmp(w, "no tenders")) d->n_tenders = 0;
        else if (!strcmp(w, "change from e-pay")) {
            d->rounding_fen = 0; d->due_fen = d->total_fen; d->change_fen = 5000 - d->due_fen;
            d->tenders[0].kind = TENDER_ALIPAY;
        }
        else if (!strcmp(w, "uuid")) d->uuid[14] = '1';
        else if (!strcmp(w, "receipt no")) d->receipt_no[0] = 'X';
        else if (!strcmp(w, "business day")) snprintf(d->business_day, sizeof d->business_day, "2026-02-30");
        char why[160] = "";
        sale_err got = sale_check(d, true, why, sizeof why);
        if (got != cases[i].expect)
            fail_msg("case '%s': expected %s, got %s (%s)", w, sale_strerror(cases[i].expect),
                     sale_strerror(got), why);
        assert_true(why[0] != '\0');
        free(d);
    }
}

static void test_receipt_no_and_uuid(void **state)
{
    (void)state;
    char out[SALE_RECEIPT_NO_CAP];
    assert_true(sale_format_receipt_no("YR01", 1, "2026-10-16", 7, out, sizeof out));
    assert_string_equal(out, "YR01-1-20261016-0007");
    assert_true(sale_format_receipt_no("YR01", 12, "2026-01-01", 12345, out, sizeof out));
    assert_string_equal(out, "YR01-12-20260101-12345");
    assert_false(sale_format_receipt_no("yr01", 1, "2026-10-16", 1, out, sizeof out));
    assert_false(sale_format_receipt_no("YR01", 0, "2026-10-16", 1, out, sizeof out));
    assert_false(sale_format_receipt_no("YR01", 1, "2026-13-16", 1, out, sizeof out));
    assert_false(sale_format_receipt_no("YR01", 1, "2026-10-16", 0, out, sizeof out));
    assert_false(sale_format_receipt_no("YR01", 1, "2026-10-16", 1, out, 10));

    uint8_t zero[16] = { 0 }, ones[16];
    memset(ones, 0xff, sizeof ones);
    char u[SALE_UUID_CAP];
    sale_format_uuid_v4(zero, u);
    assert_string_equal(u, "00000000-0000-4000-8000-000000000000");
    assert_true(sale_uuid_valid(u));
    sale_format_uuid_v4(ones, u);
    assert_string_equal(u, "ffffffff-ffff-4fff-bfff-ffffffffffff");
    assert_true(sale_uuid_valid(u));
    assert_false(sale_uuid_valid("ffffffff-ffff-1fff-bfff-ffffffffffff"));
    assert_false(sale_uuid_valid("FFFFFFFF-FFFF-4FFF-BFFF-FFFFFFFFFFFF"));
    assert_false(sale_uuid_valid(""));
}

static void test_json_round_trip(void **state)
{
    (void)state;
    sale_doc *d = paid_doc(ROUNDING_DROP_FEN);
    identify(d);
    strbuf sb;
    json_writer w;
    strbuf_init(&sb);
    json_writer_init(&w, &sb, false);
    sale_to_json(d, &w);
    char err[128];
    json_value *v = json_parse(sb.data, sb.len, err, sizeof err);
    assert_non_null(v);
    assert_string_equal(json_get_string(v, "receipt_no"), "YR01-1-20261016-0007");
    assert_int_equal(json_get_int(v, "total_fen", -1), d->total_fen);
    assert_int_equal(json_get_int(v, "due_fen", -1), d->due_fen);
    assert_int_equal(json_get_int(v, "rounding_fen", 0), -9);
    const json_value *lines = json_get(v, "lines");
    assert_non_null(lines);
    assert_int_equal(lines->n_items, 2);
    assert_string_equal(json_get_string(json_at(lines, 0), "name"), "核桃\"A\"");
    assert_int_equal(json_get_int(json_at(lines, 1), "grams", 0), 512);
    const json_value *tenders = json_get(v, "tenders");
    assert_string_equal(json_get_string(json_at(tenders, 0), "kind"), "cash");
    json_free(v);
    strbuf_free(&sb);
    free(d);
}

/* Property: any payable random basket yields a document whose invariants hold. */
static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;
static uint64_t rnd(uint64_t n)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state % n;
}

static void test_random_baskets_keep_invariants(void **state)
{
    (void)state;
    static basket b;
    sale_doc *d = calloc(1, sizeof *d);
    assert_non_null(d);
    int checked = 0, checked_epay = 0, checked_rounded = 0;
    for (int round = 0; round < 2000; round++) {
        basket_init(&b);
        size_t n = 1 + rnd(30);
        for (size_t i = 0; i < n; i++) {
            char sku[16];
            snprintf(sku, sizeof sku, "S%u", (unsigned)rnd(20));
            bool weighed = rnd(4) == 0;
            product p = make(sku, (fen_t)rnd(20000), weighed);
            if (weighed)
                basket_add_weighed(&b, &p, 1 + (int64_t)rnd(BASKET_MAX_GRAMS), NULL);
            else
                basket_add_product(&b, &p, 1 + (int64_t)rnd(20), NULL);
            if (b.n_lines > 1 && rnd(10) == 0)
                basket_void_line(&b, rnd(b.n_lines));
        }
        if (b.n_lines == 0)
            continue;
        cash_rounding mode = (cash_rounding)rnd(3);
        basket_settlement st;
        basket_settle(&b, mode, &st);
        if (rnd(2)) {
            basket_add_tender(&b, TENDER_CASH, st.due_fen + (fen_t)rnd(10000) + 1, NULL);
        } else {
            /* part e-pay, rest cash: the due changes (no rounding), so settle again */
            basket_add_tender(&b, TENDER_WECHAT, 1 + (fen_t)rnd((uint64_t)st.total_fen + 1) / 2 + 1, NULL);
            basket_settle(&b, mode, &st);
            if (st.remaining_fen > 0)
                basket_add_tender(&b, TENDER_CASH, st.remaining_fen + (fen_t)rnd(500), NULL);
        }
        memset(d, 0, sizeof *d);
        if (basket_check_payable(&b, mode, NULL) != BASKET_OK)
            continue; /* e.g. e-pay exceeded the due: refused, never a document */
        assert_int_equal(sale_from_basket(&b, mode, d), SALE_OK);
        char why[160];
        if (sale_check(d, false, why, sizeof why) != SALE_OK)
            fail_msg("round %d: %s", round, why);
        checked++;
        checked_epay += d->tenders[0].kind != TENDER_CASH;
        checked_rounded += d->rounding_fen != 0;
    }
    /* The generator must reach the document, with e-pay and with 抹零 (2000 / 1033 / 597). */
    assert_true(checked >= 1900);
    assert_true(checked_epay >= 500);
    assert_true(checked_rounded >= 300);
    free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_from_basket),
        cmocka_unit_test(test_check_catches_every_invariant),
        cmocka_unit_test(test_receipt_no_and_uuid),
        cmocka_unit_test(test_json_round_trip),
        cmocka_unit_test(test_random_baskets_keep_invariants),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
