/* scale/xk3190: Yaohua XK3190 continuous frames, single and streamed
 * (peripherals/scale/xk3190.h).  Frames from /work/shared/reference/devices.md §3.1, §3.2, §3.4. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "peripherals/scale/xk3190.h"
#include "tests/periph/periph_test.h"

typedef struct {
    xk3190_format fmt;
    const char *hex;     /* hex, or NULL when text holds the frame */
    const char *text;
    bool valid;
    int64_t grams;
    uint32_t flags;
    const char *why;
} row;

#define NS SCALE_F_NO_STATUS

static const row ROWS[] = {
    /* §3.1 worked example (+20.00) and the computed vectors */
    {XK3190_STX, "02 2B 30 30 32 30 30 30 32 31 42 03", NULL, true, 20000, NS, "+20.00 kg (njzscloud)"},
    {XK3190_STX, "02 2B 30 30 31 32 33 34 33 31 43 03", NULL, true, 1234, NS, "+1.234"},
    {XK3190_STX, "02 2D 30 30 31 32 33 34 33 31 41 03", NULL, true, -1234, NS | SCALE_F_UNDER_ZERO, "-1.234"},
    {XK3190_STX, "02 2B 30 30 30 30 30 30 30 31 42 03", NULL, true, 0, NS | SCALE_F_ZERO, "+0"},
    {XK3190_STX, NULL, "\x02+9999990\x31\x42\x03", true, 999999000, NS, "max: 999999 kg"},
    {XK3190_STX, NULL, "\x02-9999994\x31\x39\x03", true, -100000, NS | SCALE_F_UNDER_ZERO, "-99.9999 kg"},
    {XK3190_STX, NULL, "\x02+0020002\x31\x62\x03", true, 20000, NS, "lowercase checksum accepted"},
    {XK3190_STX, "02 2B 30 30 32 30 30 30 32 31 43 03", NULL, false, 0, 0, "checksum off by one"},
    {XK3190_STX, NULL, "\x02+0020005\x31\x42\x03", false, 0, 0, "decimals 5"},
    {XK3190_STX, NULL, "\x02 0020002\x31\x42\x03", false, 0, 0, "no sign"},
    {XK3190_STX, "02 2B 30 30 32 30 30 30 32 31 42", NULL, false, 0, 0, "no ETX yet"},
    /* §3.2 reversed "=" (A23P format 2 / A26 format 1) */
    {XK3190_EQ_REV, NULL, "=000.3000", true, 3000, NS, "3.000 (manual)"},
    {XK3190_EQ_REV, NULL, "=00.1000-", true, -1000, NS | SCALE_F_UNDER_ZERO, "-1.00 (manual)"},
    {XK3190_EQ_REV, NULL, "=0000000", false, 0, 0, "8 bytes"},
    {XK3190_EQ_REV, NULL, "=0.0.0000", false, 0, 0, "two points"},
    {XK3190_EQ_REV, NULL, "=000.300+", false, 0, 0, "sign '+'"},
    /* §3.2 forward (A26 format 2) */
    {XK3190_EQ_FWD, NULL, "=0003.000", true, 3000, NS, "3.000 (manual)"},
    {XK3190_EQ_FWD, NULL, "=-0001.00", true, -1000, NS | SCALE_F_UNDER_ZERO, "-1.00 (manual)"},
    /* §3.4 A12E */
    {XK3190_A12, "57 47 30 30 34 2E 31 33 39 6B 67 33 44 0D 0A", NULL, true, 4139, NS, "WG004.139kg (manual)"},
    {XK3190_A12, NULL, "WN-00.500kg23\r\n", true, -500, NS | SCALE_F_NET | SCALE_F_UNDER_ZERO, "net -0.5"},
    {XK3190_A12, NULL, "         OL23\r\n", true, 0, NS | SCALE_F_OVER_CAPACITY, "overload"},
    {XK3190_A12, NULL, "         LO23\r\n", true, 0, NS | SCALE_F_UNDER_ZERO, "below -20d"},
    {XK3190_A12, NULL, "WG004.139kg3E\r\n", false, 0, 0, "checksum"},
    {XK3190_A12, NULL, "WG004.139kb3D\r\n", false, 0, 0, "unit kb"},
    {XK3190_A12, NULL, "         OO23\r\n", false, 0, 0, "OO"},
};

static size_t frame_of(const row *w, uint8_t *b, size_t cap)
{
    if (w->hex)
        return periph_hex(w->hex, b, cap);
    size_t n = strlen(w->text);
    memcpy(b, w->text, n);
    return n;
}

static void test_frame_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof ROWS / sizeof ROWS[0]; i++) {
        const row *w = &ROWS[i];
        uint8_t b[32];
        size_t n = frame_of(w, b, sizeof b);
        bool v = xk3190_valid(w->fmt, b, n);
        if (v != w->valid)
            fail_msg("row %zu (%s): valid %d", i, w->why, v);
        /* The stream agrees: one reading for a valid frame, none otherwise. */
        xk3190_stream s;
        xk3190_init(&s, w->fmt, SCALE_UNIT_KG);
        assert_int_equal(xk3190_feed(&s, b, n), n);
        scale_reading r;
        uint8_t fr[XK3190_MAX_FRAME];
        size_t fl = 0;
        bool got = xk3190_next(&s, &r, fr, &fl);
        assert_int_equal(got, w->valid);
        if (!v)
            continue;
        assert_int_equal(fl, n);
        assert_memory_equal(fr, b, n);
        if (r.grams != w->grams || r.flags != w->flags)
            fail_msg("row %zu (%s): %lld g flags %x", i, w->why, (long long)r.grams, (unsigned)r.flags);
    }
}

static void test_unit_is_configuration(void **state)
{
    (void)state;
    uint8_t b[16];
    size_t n = periph_hex("02 2B 30 30 31 32 33 34 33 31 43 03", b, sizeof b);
    scale_reading r;
    assert_true(xk3190_parse(XK3190_STX, SCALE_UNIT_G, b, &r));
    assert_int_equal(r.grams, 1);            /* 1.234 g rounds to 1 g */
    assert_true(xk3190_parse(XK3190_STX, SCALE_UNIT_LB, b, &r));
    assert_int_equal(r.grams, 560);          /* 1.234 lb = 559.73 g */
    assert_int_equal(r.unit, SCALE_UNIT_LB);
    assert_false(xk3190_parse(XK3190_STX, SCALE_UNIT_UNKNOWN, b, &r));
    (void)n;
}

/* Three frames with garbage, a bad-checksum frame, a fake STX and a lone ETX between them, fed
 * in every chunk size from 1 to the whole: always the same three readings. */
static void test_stream_chunks_and_garbage(void **state)
{
    (void)state;
    uint8_t in[128];
    size_t n = 0;
    const char *parts[] = {
        "FF 00 03 02 2B 30",                                  /* noise, a cut-off frame */
        "02 2B 30 30 32 30 30 30 32 31 42 03",                /* +20.00 */
        "02 2B 30 30 32 30 30 30 32 31 43 03",                /* bad checksum */
        "0D 0A 02 02 2D",                                      /* noise, STX STX */
        "02 2D 30 30 31 32 33 34 33 31 41 03",                /* -1.234 */
        "02 2B 30 30 31 32 33 34 33 31 43 03",                /* +1.234 */
        "02 2B 30",                                            /* trailing partial frame */
    };
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
        n += periph_hex(parts[i], in + n, sizeof in - n);
    const int64_t want[] = {20000, -1234, 1234};
    for (size_t chunk = 1; chunk <= n; chunk++) {
        xk3190_stream s;
        xk3190_init(&s, XK3190_STX, SCALE_UNIT_KG);
        size_t got = 0;
        for (size_t off = 0; off < n;) {
            size_t len = n - off < chunk ? n - off : chunk;
            while (len) {
                size_t took = xk3190_feed(&s, in + off, len);
                off += took;
                len -= took;
                scale_reading r;
                while (xk3190_next(&s, &r, NULL, NULL)) {
                    assert_true(got < 3);
                    assert_int_equal(r.grams, want[got]);
                    got++;
                }
            }
        }
        assert_int_equal(got, 3);
        assert_int_equal(s.frames, 3);
        assert_int_equal(s.bad_checksum, 1);
        assert_true(s.skipped > 0);
        assert_int_equal(s.len, 3);          /* the partial frame waits */
    }
}

/* "=" frames repeat without a separator (§3.2). */
static void test_eq_stream_back_to_back(void **state)
{
    (void)state;
    const char *in = "00.3000=000.3000=000.3000=00.1000-=0";
    xk3190_stream s;
    xk3190_init(&s, XK3190_EQ_REV, SCALE_UNIT_KG);
    assert_int_equal(xk3190_feed(&s, (const uint8_t *)in, strlen(in)), strlen(in));
    scale_reading r;
    int64_t got[4];
    size_t k = 0;
    while (k < 4 && xk3190_next(&s, &r, NULL, NULL))
        got[k++] = r.grams;
    assert_int_equal(k, 3);
    assert_int_equal(got[0], 3000);
    assert_int_equal(got[1], 3000);
    assert_int_equal(got[2], -1000);
    assert_int_equal(s.skipped, 7);
}

/* A flood of garbage never fills the buffer for good: feed always takes bytes again. */
static void test_stream_never_stalls(void **state)
{
    (void)state;
    xk3190_stream s;
    xk3190_init(&s, XK3190_A12, SCALE_UNIT_KG);
    uint8_t junk[200];
    memset(junk, 'W', sizeof junk);
    size_t off = 0;
    scale_reading r;
    while (off < sizeof junk) {
        size_t took = xk3190_feed(&s, junk + off, sizeof junk - off);
        off += took;
        while (xk3190_next(&s, &r, NULL, NULL))
            fail();
        assert_true(s.len < XK3190_MAX_FRAME);
    }
    const char *ok = "WG004.139kg3D\r\n";
    assert_int_equal(xk3190_feed(&s, (const uint8_t *)ok, strlen(ok)), strlen(ok));
    assert_true(xk3190_next(&s, &r, NULL, NULL));
    assert_int_equal(r.grams, 4139);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_frame_table),
        cmocka_unit_test(test_unit_is_configuration),
        cmocka_unit_test(test_stream_chunks_and_garbage),
        cmocka_unit_test(test_eq_stream_back_to_back),
        cmocka_unit_test(test_stream_never_stalls),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
