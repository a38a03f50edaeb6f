/* escpos: ESC/POS commands and DLE EOT replies (peripherals/printer/escpos.h).  Bytes:
 * devices.md §4.1 (python-escpos constants.py); status bits and vectors: §4.2 (DantSu
 * PrinterStatus.java, python-escpos _check_valid_response). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "peripherals/printer/escpos.h"

#define BYTES(b, ...)                                                                    \
    do {                                                                                 \
        static const uint8_t want_[] = {__VA_ARGS__};                                    \
        assert_int_equal((b)->len, sizeof want_);                                        \
        assert_memory_equal((b)->data, want_, sizeof want_);                             \
    } while (0)

/* §4.1: the exact bytes of each command. */
static void test_command_bytes(void **state)
{
    (void)state;
    uint8_t mem[64];
    escpos_buf b;
    escpos_buf_init(&b, mem, sizeof mem);
    assert_int_equal(escpos_initialize(&b), ESCPOS_OK);
    BYTES(&b, 0x1B, 0x40);
    escpos_buf_init(&b, mem, sizeof mem);
    escpos_codepage(&b, 0);
    escpos_chinese(&b, true);
    escpos_chinese(&b, false);
    BYTES(&b, 0x1B, 0x74, 0x00, 0x1C, 0x26, 0x1C, 0x2E);
    escpos_buf_init(&b, mem, sizeof mem);
    escpos_cut(&b, false);
    escpos_cut(&b, true);
    escpos_feed_cut(&b, false, 3);
    escpos_feed_cut(&b, true, 0);
    BYTES(&b, 0x1D, 0x56, 0x00, 0x1D, 0x56, 0x01, 0x1D, 0x56, 0x41, 0x03, 0x1D, 0x56, 0x42, 0x00);
    escpos_buf_init(&b, mem, sizeof mem);
    escpos_feed(&b, 3);
    escpos_feed(&b, 0);
    BYTES(&b, 0x0A, 0x0A, 0x0A);
    escpos_buf_init(&b, mem, sizeof mem);
    for (int n = 1; n <= 4; n++)
        assert_int_equal(escpos_status_request(&b, (escpos_rt)n), ESCPOS_OK);
    BYTES(&b, 0x10, 0x04, 0x01, 0x10, 0x04, 0x02, 0x10, 0x04, 0x03, 0x10, 0x04, 0x04);
    assert_int_equal(escpos_status_request(&b, (escpos_rt)0), ESCPOS_ERR_RANGE);
    assert_int_equal(escpos_status_request(&b, (escpos_rt)5), ESCPOS_ERR_RANGE);
    assert_int_equal(b.len, 12);
}

/* §4.1 drawer kicks: python-escpos CD_KICK_2 = 1B 70 00 32 32, CD_KICK_5 = 1B 70 01 32 32,
 * cashdraw() example [27,112,0,25,255], idingyun 1B 70 00 10 FF. */
static void test_drawer_kick(void **state)
{
    (void)state;
    uint8_t mem[16];
    escpos_buf b;
    escpos_buf_init(&b, mem, sizeof mem);
    assert_int_equal(escpos_drawer_kick(&b, &ESCPOS_DRAWER_DEFAULT), ESCPOS_OK);
    BYTES(&b, 0x1B, 0x70, 0x00, 0x32, 0x32);
    escpos_buf_init(&b, mem, sizeof mem);
    escpos_drawer_kick(&b, &(escpos_drawer){.pin = 5, .on_ms = 100, .off_ms = 100});
    BYTES(&b, 0x1B, 0x70, 0x01, 0x32, 0x32);
    escpos_buf_init(&b, mem, sizeof mem);
    escpos_drawer_kick(&b, &(escpos_drawer){.pin = 2, .on_ms = 50, .off_ms = 510});
    BYTES(&b, 27, 112, 0, 25, 255);
    escpos_buf_init(&b, mem, sizeof mem);
    escpos_drawer_kick(&b, &(escpos_drawer){.pin = 2, .on_ms = 31, .off_ms = 510});
    BYTES(&b, 0x1B, 0x70, 0x00, 0x10, 0xFF);      /* 31 ms rounds up to 32 ms = 0x10 */
    escpos_buf_init(&b, mem, sizeof mem);
    static const escpos_drawer bad[] = {
        {.pin = 3, .on_ms = 100, .off_ms = 100}, {.pin = 0, .on_ms = 100, .off_ms = 100},
        {.pin = 2, .on_ms = 0, .off_ms = 100},   {.pin = 2, .on_ms = 1, .off_ms = 100},
        {.pin = 2, .on_ms = 100, .off_ms = 511}, {.pin = 5, .on_ms = 600, .off_ms = 100},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(escpos_drawer_kick(&b, &bad[i]), ESCPOS_ERR_RANGE);
    assert_int_equal(b.len, 0);
}

/* A full buffer refuses a command whole. */
static void test_no_space(void **state)
{
    (void)state;
    uint8_t mem[4];
    escpos_buf b;
    escpos_buf_init(&b, mem, sizeof mem);
    assert_int_equal(escpos_cut(&b, false), ESCPOS_OK);
    assert_int_equal(escpos_cut(&b, false), ESCPOS_ERR_NO_SPACE);
    assert_int_equal(escpos_feed(&b, 2), ESCPOS_ERR_NO_SPACE);
    assert_int_equal(b.len, 3);
    escpos_buf_init(&b, NULL, 10);
    assert_int_equal(escpos_initialize(&b), ESCPOS_ERR_NO_SPACE);
    for (int e = ESCPOS_OK; e <= ESCPOS_ERR_FIXED_BITS; e++)
        assert_true(strlen(escpos_strerror((escpos_err)e)) > 1);
}

/* §4.2: every status bit of every request, the test vectors 12 16 1A (n=1), 16 32 (n=2),
 * 1E 72 (n=4). */
static void test_status_bits(void **state)
{
    (void)state;
    printer_status st;
    assert_int_equal(escpos_status_parse(ESCPOS_RT_PRINTER, 0x12, &st), ESCPOS_OK);
    assert_false(st.offline);
    assert_false(st.drawer_pin3_high);
    assert_int_equal(escpos_status_parse(ESCPOS_RT_PRINTER, 0x16, &st), ESCPOS_OK);
    assert_true(st.drawer_pin3_high);
    assert_false(st.offline);
    assert_int_equal(escpos_status_parse(ESCPOS_RT_PRINTER, 0x1A, &st), ESCPOS_OK);
    assert_true(st.offline);
    assert_false(st.drawer_pin3_high);

    assert_int_equal(escpos_status_parse(ESCPOS_RT_OFFLINE, 0x12, &st), ESCPOS_OK);
    assert_false(st.cover_open || st.feed_button || st.paper_end_stop || st.error);
    assert_int_equal(escpos_status_parse(ESCPOS_RT_OFFLINE, 0x16, &st), ESCPOS_OK);
    assert_true(st.cover_open);
    assert_false(st.feed_button || st.paper_end_stop || st.error);
    escpos_status_parse(ESCPOS_RT_OFFLINE, 0x1A, &st);
    assert_true(st.feed_button);
    escpos_status_parse(ESCPOS_RT_OFFLINE, 0x32, &st);
    assert_true(st.paper_end_stop);
    assert_false(st.cover_open || st.error);
    escpos_status_parse(ESCPOS_RT_OFFLINE, 0x52, &st);
    assert_true(st.error);
    assert_false(st.paper_end_stop);

    escpos_status_parse(ESCPOS_RT_ERROR, 0x12, &st);
    assert_false(st.recoverable_error || st.autocutter_error || st.unrecoverable_error ||
                 st.auto_recoverable_error);
    escpos_status_parse(ESCPOS_RT_ERROR, 0x16, &st);
    assert_true(st.recoverable_error);
    escpos_status_parse(ESCPOS_RT_ERROR, 0x1A, &st);
    assert_true(st.autocutter_error);
    assert_false(st.recoverable_error);
    escpos_status_parse(ESCPOS_RT_ERROR, 0x32, &st);
    assert_true(st.unrecoverable_error);
    escpos_status_parse(ESCPOS_RT_ERROR, 0x52, &st);
    assert_true(st.auto_recoverable_error);
    assert_false(st.unrecoverable_error);

    escpos_status_parse(ESCPOS_RT_PAPER, 0x12, &st);
    assert_false(st.paper_near_end || st.paper_out);
    escpos_status_parse(ESCPOS_RT_PAPER, 0x1E, &st);
    assert_true(st.paper_near_end);
    assert_false(st.paper_out);
    escpos_status_parse(ESCPOS_RT_PAPER, 0x72, &st);
    assert_true(st.paper_out);
    assert_false(st.paper_near_end);
    escpos_status_parse(ESCPOS_RT_PAPER, 0x7E, &st);
    assert_true(st.paper_out && st.paper_near_end);
    assert_int_equal(st.raw, 0x7E);
    assert_int_equal(st.n, ESCPOS_RT_PAPER);
    /* Flags of other requests stay false: 0x7E read as n=4 says nothing about the cover. */
    assert_false(st.cover_open || st.offline || st.autocutter_error);
}

/* Bytes with wrong fixed bits (0xx1xx10) are garbage, never a status; all 256 values checked
 * against python-escpos's test (b & 0x81) == 0 and (b & 0x12) == 0x12. */
static void test_fixed_bits(void **state)
{
    (void)state;
    int valid = 0;
    for (int v = 0; v < 256; v++) {
        uint8_t b = (uint8_t)v;
        bool want = (b & 0x81) == 0 && (b & 0x12) == 0x12;
        assert_int_equal(escpos_status_valid(b), want);
        for (int n = 1; n <= 4; n++) {
            printer_status st;
            memset(&st, 0xEE, sizeof st);
            escpos_err e = escpos_status_parse((escpos_rt)n, b, &st);
            assert_int_equal(e, want ? ESCPOS_OK : ESCPOS_ERR_FIXED_BITS);
            if (!want)
                assert_int_equal(st.raw, 0xEE);  /* untouched */
        }
        valid += want;
    }
    assert_int_equal(valid, 16);                   /* four free bits */
    static const uint8_t garbage[] = {0x00, 0xFF, 0x13, 0x92, 0x10, 0x02, 0x1B, 0x40};
    printer_status st;
    for (size_t i = 0; i < sizeof garbage; i++)
        assert_int_equal(escpos_status_parse(ESCPOS_RT_PRINTER, garbage[i], &st),
                         ESCPOS_ERR_FIXED_BITS);
    assert_int_equal(escpos_status_parse((escpos_rt)0, 0x12, &st), ESCPOS_ERR_RANGE);
    assert_int_equal(escpos_status_parse((escpos_rt)5, 0x12, &st), ESCPOS_ERR_RANGE);
}

static void test_describe(void **state)
{
    (void)state;
    static const struct {
        escpos_rt n;
        uint8_t b;
        const char *want;
    } t[] = {
        {ESCPOS_RT_PRINTER, 0x12, "printer 0x12: online, drawer pin 3 low"},
        {ESCPOS_RT_PRINTER, 0x1E, "printer 0x1E: offline, drawer pin 3 high"},
        {ESCPOS_RT_OFFLINE, 0x12, "offline cause 0x12: no offline cause"},
        {ESCPOS_RT_OFFLINE, 0x36, "offline cause 0x36: cover open, stopped by paper end"},
        {ESCPOS_RT_ERROR, 0x1A, "error cause 0x1A: auto-cutter error"},
        {ESCPOS_RT_ERROR, 0x12, "error cause 0x12: no error"},
        {ESCPOS_RT_PAPER, 0x1E, "paper 0x1E: paper near end"},
        {ESCPOS_RT_PAPER, 0x72, "paper 0x72: paper out"},
        {ESCPOS_RT_PAPER, 0x12, "paper 0x12: paper present"},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        printer_status st;
        assert_int_equal(escpos_status_parse(t[i].n, t[i].b, &st), ESCPOS_OK);
        char line[96];
        size_t n = escpos_status_describe(&st, line, sizeof line);
        assert_string_equal(line, t[i].want);
        assert_int_equal(n, strlen(t[i].want));
        char small[8];
        assert_int_equal(escpos_status_describe(&st, small, sizeof small), n);
        assert_int_equal(strlen(small), 7);
    }
}

/* A slip: init, code table, Chinese mode, GB18030 text ("合计" = BA CF BC C6), CR LF made LF,
 * leave Chinese mode, feed, partial cut. */
static void test_slip(void **state)
{
    (void)state;
    static const uint8_t text[] = {'F', 'u', 'p', 'i', 'n', '\r', '\n',
                                   0xBA, 0xCF, 0xBC, 0xC6, ' ', '1', '2', '.', '5', '0'};
    uint8_t mem[64];
    escpos_buf b;
    escpos_buf_init(&b, mem, sizeof mem);
    escpos_slip_cfg cfg = {.chinese = true, .codepage = 0, .feed_lines = 3, .partial_cut = true,
                           .cut = true};
    assert_int_equal(escpos_slip(&b, &cfg, text, sizeof text), ESCPOS_OK);
    BYTES(&b, 0x1B, 0x40, 0x1B, 0x74, 0x00, 0x1C, 0x26, 'F', 'u', 'p', 'i', 'n', 0x0A, 0xBA,
          0xCF, 0xBC, 0xC6, ' ', '1', '2', '.', '5', '0', 0x0A, 0x1C, 0x2E, 0x0A, 0x0A, 0x0A,
          0x1D, 0x56, 0x01);

    escpos_buf_init(&b, mem, sizeof mem);
    cfg = (escpos_slip_cfg){.codepage = -1, .cut = false};
    assert_int_equal(escpos_slip(&b, &cfg, (const uint8_t *)"a\n", 2), ESCPOS_OK);
    BYTES(&b, 0x1B, 0x40, 'a', 0x0A);

    /* An ESC (or any control byte, a lone CR) in the text is refused; nothing is kept. */
    static const char *const bad[] = {"x\x1b" "p\x00", "a\rb", "\x1dV", "del\x7f", "\x10\x04\x01"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        escpos_buf_init(&b, mem, sizeof mem);
        size_t n = strlen(bad[i]);
        assert_int_equal(escpos_slip(&b, &cfg, (const uint8_t *)bad[i], n), ESCPOS_ERR_CONTROL);
        assert_int_equal(b.len, 0);
    }
    cfg.codepage = 256;
    assert_int_equal(escpos_slip(&b, &cfg, (const uint8_t *)"a", 1), ESCPOS_ERR_RANGE);
    /* Too small a buffer: refused whole. */
    uint8_t tiny[5];
    escpos_buf_init(&b, tiny, sizeof tiny);
    cfg = (escpos_slip_cfg){.codepage = -1, .cut = true};
    assert_int_equal(escpos_slip(&b, &cfg, (const uint8_t *)"ab", 2), ESCPOS_ERR_NO_SPACE);
    assert_int_equal(b.len, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_command_bytes),
        cmocka_unit_test(test_drawer_kick),
        cmocka_unit_test(test_no_space),
        cmocka_unit_test(test_status_bits),
        cmocka_unit_test(test_fixed_bits),
        cmocka_unit_test(test_describe),
        cmocka_unit_test(test_slip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
