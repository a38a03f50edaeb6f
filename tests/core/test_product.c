/* Tests for pos/core/product: whether a sale counts as poverty-relief on a business day
 * (flag plus certificate validity: valid, lapsed, no end date). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "pos/core/product.h"

static product certified(const char *valid_to)
{
    product p;
    memset(&p, 0, sizeof p);
    snprintf(p.sku, sizeof p.sku, "P0001");
    snprintf(p.name, sizeof p.name, "永仁软籽石榴礼盒 5kg");
    p.poverty_relief = true;
    p.active = true;
    snprintf(p.cert_no, sizeof p.cert_no, "YN-YR-2024-0001");
    snprintf(p.cert_valid_to, sizeof p.cert_valid_to, "%s", valid_to);
    return p;
}

static void test_valid_certificate(void **state)
{
    (void)state;
    product p = certified("2025-06-30");
    assert_true(product_poverty_relief_on(&p, "2024-10-17"));
    assert_true(product_poverty_relief_on(&p, "2025-06-29"));
    /* "valid through": the last day still counts. */
    assert_true(product_poverty_relief_on(&p, "2025-06-30"));
}

static void test_lapsed_certificate(void **state)
{
    (void)state;
    product p = certified("2025-06-30");
    assert_false(product_poverty_relief_on(&p, "2025-07-01"));
    assert_false(product_poverty_relief_on(&p, "2026-01-01"));
    /* month and year boundaries compare correctly as ISO strings */
    p = certified("2024-12-31");
    assert_true(product_poverty_relief_on(&p, "2024-12-31"));
    assert_false(product_poverty_relief_on(&p, "2025-01-01"));
    p = certified("2024-02-29");
    assert_true(product_poverty_relief_on(&p, "2024-02-29"));
    assert_false(product_poverty_relief_on(&p, "2024-03-01"));
}

static void test_no_end_date(void **state)
{
    (void)state;
    product p = certified("");
    assert_true(product_poverty_relief_on(&p, "2000-01-01"));
    assert_true(product_poverty_relief_on(&p, "2099-12-31"));
}

static void test_not_flagged(void **state)
{
    (void)state;
    /* A certificate alone does not make a product poverty-relief: the catalog flag does. */
    product p = certified("");
    p.poverty_relief = false;
    assert_false(product_poverty_relief_on(&p, "2024-10-17"));
    p = certified("2099-12-31");
    p.poverty_relief = false;
    assert_false(product_poverty_relief_on(&p, "2024-10-17"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_certificate),
        cmocka_unit_test(test_lapsed_certificate),
        cmocka_unit_test(test_no_end_date),
        cmocka_unit_test(test_not_flagged),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
