/* scale/os2: the ACLAS OS2 polled protocol -- requests, reply frames with either checksum, and
 * the stream (peripherals/scale/os2.h).  Frames from /work/shared/reference/devices.md §3.6. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "peripherals/scale/os2.h"
#include "tests/periph/periph_test.h"

typedef struct {
    const char *hex;
    bool active;
    os2_bcc bcc;
    int64_t grams;
    uint32_t flags;
    scale_unit unit;
    const char *why;
} row;

static const row ROWS[] = {
    /* §3.6: 01 02 'S' ' ' "01.234" "kg" BCC 03 04; BCC 0x66 with SOH/STX, 0x65 without */
    {"01 02 53 20 30 31 2E 32 33 34 6B 67 66 03 04", false, OS2_BCC_WITH_HEADER, 1234, SCALE_F_STABLE, SCALE_UNIT_KG, "OS2CX checksum"},
    {"01 02 53 20 30 31 2E 32 33 34 6B 67 65 03 04", false, OS2_BCC_PAYLOAD, 1234, SCALE_F_STABLE, SCALE_UNIT_KG, "GRAM ZFOC checksum"},
    {"01 02 53 20 30 31 2E 32 33 34 6B 67 67 03 04", false, OS2_BCC_NONE, 0, 0, 0, "neither checksum"},
    {"01 02 55 20 30 30 2E 35 30 30 6B 67 61 03 04", false, OS2_BCC_WITH_HEADER, 500, SCALE_F_MOTION, SCALE_UNIT_KG, "unstable"},
    {"01 02 53 2D 30 30 2E 30 32 30 6B 67 6D 03 04", false, OS2_BCC_WITH_HEADER, -20, SCALE_F_STABLE | SCALE_F_UNDER_ZERO, SCALE_UNIT_KG, "negative"},
    {"01 02 53 20 30 32 2E 30 30 30 53 4A 75 03 04", false, OS2_BCC_WITH_HEADER, 1000, SCALE_F_STABLE, SCALE_UNIT_JIN, "2 市斤 = 1 kg"},
    /* active mode: Flag2 after 03 04 (bit4 zero, bit5 tare, bit6 out of range) */
    {"01 02 53 20 30 31 2E 32 33 34 6B 67 66 03 04 20", true, OS2_BCC_WITH_HEADER, 1234, SCALE_F_STABLE | SCALE_F_NET, SCALE_UNIT_KG, "net"},
    {"01 02 53 20 30 31 2E 32 33 34 6B 67 66 03 04 40", true, OS2_BCC_WITH_HEADER, 1234, SCALE_F_STABLE | SCALE_F_FAULT, SCALE_UNIT_KG, "out of range"},
    {"01 02 53 20 30 31 2E 32 33 34 6B 67 66 03 04", true, OS2_BCC_NONE, 0, 0, 0, "active without Flag2"},
    {"01 02 58 20 30 31 2E 32 33 34 6B 67 66 03 04", false, OS2_BCC_NONE, 0, 0, 0, "STA 'X'"},
    {"01 02 53 20 30 31 2E 32 33 34 6B 78 66 03 04", false, OS2_BCC_NONE, 0, 0, 0, "unit kx"},
    {"01 02 53 20 30 31 2E 32 33 34 6B 67 66 03 05", false, OS2_BCC_NONE, 0, 0, 0, "no EOT"},
    {"01 02 53 20 30 2E 2E 32 33 34 6B 67 66 03 04", false, OS2_BCC_NONE, 0, 0, 0, "two points"},
};

static uint8_t xor_bytes(const uint8_t *b, size_t from, size_t to)
{
    uint8_t x = 0;
    for (size_t i = from; i < to; i++)
        x ^= b[i];
    return x;
}

static void test_frame_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof ROWS / sizeof ROWS[0]; i++) {
        const row *w = &ROWS[i];
        uint8_t b[32];
        size_t n = periph_hex(w->hex, b, sizeof b);
        os2_bcc v = os2_valid(b, n, w->active);
        if (v != w->bcc)
            fail_msg("row %zu (%s): bcc %d", i, w->why, (int)v);
        scale_reading r;
        bool ok = os2_parse(b, n, w->active, &r);
        assert_int_equal(ok, v != OS2_BCC_NONE);
        if (ok && (r.grams != w->grams || r.flags != w->flags || r.unit != w->unit))
            fail_msg("row %zu (%s): %lld g flags %x unit %d", i, w->why, (long long)r.grams,
                     (unsigned)r.flags, (int)r.unit);
    }
}

static void test_units_and_fault(void **state)
{
    (void)state;
    static const struct { const char *text; int64_t grams; uint32_t flags; } T[] = {
        {"S  1.500TJ", 900, SCALE_F_STABLE},        /* 台斤 600 g */
        {"S  1.000TL", 38, SCALE_F_STABLE},         /* 台两 37.5 g, half up */
        {"S    250g ", 250, SCALE_F_STABLE},
        {"S 02.000LB", 907, SCALE_F_STABLE},
        {"F 00.000kg", 0, SCALE_F_FAULT | SCALE_F_ZERO},
        {"S 99.999kg", 99999, SCALE_F_STABLE},
    };
    for (size_t i = 0; i < sizeof T / sizeof T[0]; i++) {
        uint8_t b[16] = {0x01, 0x02};
        assert_int_equal(strlen(T[i].text), 10);   /* STA SIGN W1..W6 U1 U2 */
        memcpy(b + 2, T[i].text, 10);
        b[12] = xor_bytes(b, 0, 12);
        b[13] = 0x03;
        b[14] = 0x04;
        scale_reading r;
        if (!os2_parse(b, 15, false, &r))
            fail_msg("%s refused", T[i].text);
        if (r.grams != T[i].grams || r.flags != T[i].flags)
            fail_msg("%s: %lld g flags %x", T[i].text, (long long)r.grams, (unsigned)r.flags);
    }
}

static void test_requests(void **state)
{
    (void)state;
    uint8_t b[8];
    assert_int_equal(os2_request_bytes(OS2_REQ_ENQ, b, sizeof b), 1);
    assert_int_equal(b[0], 0x05);
    assert_int_equal(os2_request_bytes(OS2_REQ_DC1, b, sizeof b), 1);
    assert_int_equal(b[0], 0x11);
    uint8_t want[8];
    assert_int_equal(os2_request_bytes(OS2_REQ_TARE, b, sizeof b), 5);
    assert_memory_equal(b, want, periph_hex("3C 54 4B 3E 09", want, sizeof want));
    assert_int_equal(os2_request_bytes(OS2_REQ_ZERO, b, sizeof b), 5);
    assert_memory_equal(b, want, periph_hex("3C 5A 4B 3E 09", want, sizeof want));
    assert_int_equal(os2_request_bytes(OS2_REQ_PASSIVE, b, sizeof b), 5);
    assert_memory_equal(b, want, periph_hex("3C 41 4C 3E 09", want, sizeof want));
    assert_int_equal(os2_request_bytes(OS2_REQ_ACTIVE, b, sizeof b), 5);
    assert_memory_equal(b, want, periph_hex("3C 50 42 3E 09", want, sizeof want));
    assert_int_equal(os2_request_bytes(OS2_REQ_ACTIVE, b, 4), 0);
    assert_int_equal(os2_request_bytes((os2_request)77, b, sizeof b), 0);
}

/* The polled dialog as the scale answers it (ENQ -> ACK, DC1 -> frame), with line noise, a
 * bad-checksum frame and a cut, in every chunk size. */
static void test_stream_dialog(void **state)
{
    (void)state;
    uint8_t in[128];
    size_t n = 0;
    const char *parts[] = {
        "00 FF 01",                                          /* noise, a stray SOH */
        "06",                                                /* ACK */
        "01 02 53 20 30 31 2E 32 33 34 6B 67 66 03 04",       /* 1.234 kg, OS2CX bcc */
        "01 02 53 20 30 31 2E 32 33 34 6B 67 00 03 04",       /* bad bcc */
        "06",
        "01 02 55 20 30 30 2E 35 30 30 6B 67 62 03 04",       /* 0.5 kg unstable, ZFOC bcc */
        "01 02 53",                                          /* partial */
    };
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
        n += periph_hex(parts[i], in + n, sizeof in - n);
    for (size_t chunk = 1; chunk <= n; chunk++) {
        os2_stream s;
        os2_init(&s, false);
        char seq[16];
        size_t k = 0;
        for (size_t off = 0; off < n;) {
            size_t len = n - off < chunk ? n - off : chunk;
            while (len) {
                size_t took = os2_feed(&s, in + off, len);
                off += took;
                len -= took;
                scale_reading r;
                os2_event ev;
                while ((ev = os2_next(&s, &r, NULL, NULL)) != OS2_EV_NONE) {
                    assert_true(k < sizeof seq - 1);
                    if (ev == OS2_EV_ACK)
                        seq[k++] = 'A';
                    else
                        seq[k++] = r.grams == 1234 ? 'S' : r.grams == 500 ? 'U' : '?';
                }
            }
        }
        seq[k] = '\0';
        assert_string_equal(seq, "ASAU");
        assert_int_equal(s.bcc_with_header, 1);
        assert_int_equal(s.bcc_payload, 1);
        assert_int_equal(s.bad_checksum, 1);
        assert_int_equal(s.len, 3);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_frame_table),
        cmocka_unit_test(test_units_and_fault),
        cmocka_unit_test(test_requests),
        cmocka_unit_test(test_stream_dialog),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
