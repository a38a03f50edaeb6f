/* Tests for pos/core/csv: RFC 4180 quoting, line numbers of multi-line records, CRLF, BOM,
 * and every error the reader reports. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "pos/core/csv.h"

static csv_reader *new_reader(const char *data, size_t len)
{
    /* csv_reader holds an 8 KiB buffer: keep it off the test's stack. */
    csv_reader *r = malloc(sizeof *r);
    assert_non_null(r);
    csv_init(r, data, len);
    return r;
}

#define READER(lit) new_reader((lit), sizeof(lit) - 1)

/* Expects one record with the given fields (NULL-terminated list) starting on `line`. */
static void expect_record(csv_reader *r, int line, const char *const *want)
{
    int rc = csv_next(r);
    if (rc != 1)
        fail_msg("expected a record at line %d, got %d (%s)", line, rc, r->error);
    assert_int_equal(r->record_line, line);
    size_t n = 0;
    while (want[n])
        n++;
    if (r->n_fields != n)
        fail_msg("line %d: %zu fields, want %zu", line, r->n_fields, n);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(r->fields[i], want[i]);
}

#define EXPECT(r, line, ...) expect_record((r), (line), (const char *const[]){__VA_ARGS__, NULL})

static void expect_end(csv_reader *r)
{
    assert_int_equal(csv_next(r), 0);
    assert_int_equal(csv_next(r), 0); /* stays at the end */
}

static void expect_error(csv_reader *r, const char *has)
{
    assert_int_equal(csv_next(r), -1);
    if (!strstr(r->error, has))
        fail_msg("error \"%s\" lacks \"%s\"", r->error, has);
    assert_int_equal(csv_next(r), -1); /* sticky */
}

static void test_simple(void **state)
{
    (void)state;
    csv_reader *r = READER("sku,name,price\n1001,Tea,12.80\n1002,Rice,5\n");
    EXPECT(r, 1, "sku", "name", "price");
    EXPECT(r, 2, "1001", "Tea", "12.80");
    EXPECT(r, 3, "1002", "Rice", "5");
    expect_end(r);
    free(r);
}

static void test_no_final_newline(void **state)
{
    (void)state;
    csv_reader *r = READER("a,b\nc,d");
    EXPECT(r, 1, "a", "b");
    EXPECT(r, 2, "c", "d");
    expect_end(r);
    free(r);
}

static void test_quotes(void **state)
{
    (void)state;
    csv_reader *r = READER("\"a,b\",\"say \"\"hi\"\"\",\"\",plain\n"
                           "\"\"\"\"\n"
                           "\"\",\"\"\n");
    EXPECT(r, 1, "a,b", "say \"hi\"", "", "plain");
    EXPECT(r, 2, "\"");
    EXPECT(r, 3, "", "");
    expect_end(r);
    free(r);
}

static void test_embedded_newline_line_numbers(void **state)
{
    (void)state;
    csv_reader *r = READER("h1,h2\n"
                           "1,\"line one\nline two\nline three\"\n"
                           "2,after\n"
                           "\"x\r\ny\",z\r\n"
                           "3,last\n");
    EXPECT(r, 1, "h1", "h2");
    EXPECT(r, 2, "1", "line one\nline two\nline three");
    EXPECT(r, 5, "2", "after");
    EXPECT(r, 6, "x\r\ny", "z"); /* CRLF inside quotes is data */
    EXPECT(r, 8, "3", "last");
    expect_end(r);
    free(r);
}

static void test_crlf(void **state)
{
    (void)state;
    csv_reader *r = READER("a,b\r\n\"q\",c\r\nd,\"e\"\r\n");
    EXPECT(r, 1, "a", "b");
    EXPECT(r, 2, "q", "c");
    EXPECT(r, 3, "d", "e");
    expect_end(r);
    free(r);
}

static void test_lone_cr_is_data(void **state)
{
    (void)state;
    csv_reader *r = READER("a\rb,c\n");
    EXPECT(r, 1, "a\rb", "c");
    expect_end(r);
    free(r);
}

static void test_bom(void **state)
{
    (void)state;
    csv_reader *r = READER("\xEF\xBB\xBF" "sku,\xE5\x90\x8D\xE7\xA7\xB0\n1,\xE8\x8C\xB6\n");
    EXPECT(r, 1, "sku", "\xE5\x90\x8D\xE7\xA7\xB0"); /* 名称: the BOM is not in field 0 */
    EXPECT(r, 2, "1", "\xE8\x8C\xB6");
    expect_end(r);
    free(r);

    /* A BOM alone, or a BOM-like sequence later, is only skipped at the very start. */
    r = READER("\xEF\xBB\xBF");
    expect_end(r);
    free(r);
    r = READER("a\n\xEF\xBB\xBF" "b\n");
    EXPECT(r, 1, "a");
    EXPECT(r, 2, "\xEF\xBB\xBF" "b");
    free(r);
}

static void test_empty_fields(void **state)
{
    (void)state;
    csv_reader *r = READER(",,\na,,b\n,\nx,\n");
    EXPECT(r, 1, "", "", "");
    EXPECT(r, 2, "a", "", "b");
    EXPECT(r, 3, "", "");
    EXPECT(r, 4, "x", "");
    expect_end(r);
    free(r);
}

static void test_blank_lines_skipped(void **state)
{
    (void)state;
    csv_reader *r = READER("\n\r\na\n\n\nb\r\n\r\n\n");
    EXPECT(r, 3, "a");
    EXPECT(r, 6, "b");
    expect_end(r);
    free(r);
}

static void test_empty_input(void **state)
{
    (void)state;
    csv_reader *r = new_reader("", 0);
    expect_end(r);
    free(r);
    r = new_reader(NULL, 0);
    expect_end(r);
    free(r);
}

static void test_len_bounds_reading(void **state)
{
    (void)state;
    /* The reader stops at len even when the buffer goes on (no NUL needed). */
    const char data[] = {'a', ',', 'b', '\n', 'c', ',', 'd'};
    csv_reader *r = new_reader(data, 5);
    EXPECT(r, 1, "a", "b");
    EXPECT(r, 2, "c");
    expect_end(r);
    free(r);
}

static void test_bare_quote_in_unquoted_field(void **state)
{
    (void)state;
    /* Lenient on purpose: 12" is how some suppliers write inches. */
    csv_reader *r = READER("pizza 12\",1\n");
    EXPECT(r, 1, "pizza 12\"", "1");
    free(r);
}

static void test_unterminated_quote(void **state)
{
    (void)state;
    csv_reader *r = READER("a,b\n1,\"open\nstill open\n");
    EXPECT(r, 1, "a", "b");
    expect_error(r, "unterminated");
    assert_int_equal(r->record_line, 2); /* FILE:LINE points at where the record began */
    free(r);
}

static void test_text_after_quote(void **state)
{
    (void)state;
    csv_reader *r = READER("\"abc\"def,1\n");
    expect_error(r, "after a closing quote");
    assert_int_equal(r->record_line, 1);
    free(r);
    r = READER("\"abc\" ,1\n");
    expect_error(r, "after a closing quote");
    free(r);
    r = READER("\"abc\"\r,1\n");
    expect_error(r, "after a closing quote");
    free(r);
}

static void test_too_many_fields(void **state)
{
    (void)state;
    char ok[CSV_MAX_FIELDS * 2 + 2], bad[CSV_MAX_FIELDS * 2 + 4];
    size_t n = 0;
    for (int i = 0; i < CSV_MAX_FIELDS; i++) {
        ok[n++] = 'x';
        ok[n++] = i + 1 < CSV_MAX_FIELDS ? ',' : '\n';
    }
    csv_reader *r = new_reader(ok, n);
    assert_int_equal(csv_next(r), 1);
    assert_int_equal(r->n_fields, CSV_MAX_FIELDS);
    free(r);

    memcpy(bad, ok, n);
    bad[n - 1] = ',';
    bad[n++] = 'y';
    bad[n++] = '\n';
    r = new_reader(bad, n);
    expect_error(r, "too many fields");
    free(r);

    /* 64 commas = 65 empty fields */
    memset(bad, ',', CSV_MAX_FIELDS);
    r = new_reader(bad, CSV_MAX_FIELDS);
    expect_error(r, "too many fields");
    free(r);
}

static void test_record_too_long(void **state)
{
    (void)state;
    size_t big = CSV_MAX_RECORD + 100;
    char *data = malloc(big);
    assert_non_null(data);
    memset(data, 'z', big);
    csv_reader *r = new_reader(data, big);
    expect_error(r, "too long");
    free(r);

    /* The same inside quotes. */
    data[0] = '"';
    data[big - 1] = '"';
    r = new_reader(data, big);
    expect_error(r, "too long");
    free(r);

    /* Just under the limit is fine: one field of CSV_MAX_RECORD - 1 bytes plus its NUL. */
    r = new_reader(data + 1, CSV_MAX_RECORD - 1);
    assert_int_equal(csv_next(r), 1);
    assert_int_equal(strlen(r->fields[0]), CSV_MAX_RECORD - 1);
    free(r);
    free(data);
}

static void test_nul_byte_refused(void **state)
{
    (void)state;
    const char data[] = {'a', '\0', 'b', ',', 'c', '\n'};
    csv_reader *r = new_reader(data, sizeof data);
    expect_error(r, "NUL");
    free(r);
}

static void test_import_like_file(void **state)
{
    (void)state;
    /* A realistic catalog export from Excel: BOM, CRLF, Chinese names, a quoted comma and a
     * multi-line note. */
    csv_reader *r = READER("\xEF\xBB\xBF"
                           "barcode,name,price,note\r\n"
                           "6901234567892,\xE6\x99\xAE\xE6\xB4\xB1\xE8\x8C\xB6,\"1,280.00\",\r\n"
                           "96385074,\xE7\xB1\xB3,5.00,\"\xE6\x89\xB6\xE8\xB4\xAB\r\n"
                           "\xE4\xBA\xA7\xE5\x93\x81\"\r\n");
    EXPECT(r, 1, "barcode", "name", "price", "note");
    EXPECT(r, 2, "6901234567892", "\xE6\x99\xAE\xE6\xB4\xB1\xE8\x8C\xB6", "1,280.00", "");
    EXPECT(r, 3, "96385074", "\xE7\xB1\xB3", "5.00",
           "\xE6\x89\xB6\xE8\xB4\xAB\r\n\xE4\xBA\xA7\xE5\x93\x81");
    expect_end(r);
    assert_int_equal(r->line, 5);
    free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_simple),
        cmocka_unit_test(test_no_final_newline),
        cmocka_unit_test(test_quotes),
        cmocka_unit_test(test_embedded_newline_line_numbers),
        cmocka_unit_test(test_crlf),
        cmocka_unit_test(test_lone_cr_is_data),
        cmocka_unit_test(test_bom),
        cmocka_unit_test(test_empty_fields),
        cmocka_unit_test(test_blank_lines_skipped),
        cmocka_unit_test(test_empty_input),
        cmocka_unit_test(test_len_bounds_reading),
        cmocka_unit_test(test_bare_quote_in_unquoted_field),
        cmocka_unit_test(test_unterminated_quote),
        cmocka_unit_test(test_text_after_quote),
        cmocka_unit_test(test_too_many_fields),
        cmocka_unit_test(test_record_too_long),
        cmocka_unit_test(test_nul_byte_refused),
        cmocka_unit_test(test_import_like_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
