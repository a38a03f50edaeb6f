/* scale/stgs: "ST,GS,+0001.234kg" lines, single and streamed (peripherals/scale/stgs.h).
 * Lines from /work/shared/reference/devices.md §3.5. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "peripherals/scale/stgs.h"

typedef struct {
    const char *line;     /* without CR LF */
    bool valid;
    int64_t grams;
    uint32_t flags;
    scale_unit unit;
    const char *why;
} row;

static const row ROWS[] = {
    /* §3.5 */
    {"ST,NT,+000.876kg", true, 876, SCALE_F_STABLE | SCALE_F_NET, SCALE_UNIT_KG, "stable net (GRAM CM-15)"},
    {"US,GS,-001.568lb", true, -711, SCALE_F_MOTION | SCALE_F_UNDER_ZERO, SCALE_UNIT_LB, "unstable gross, -1.568 lb"},
    {"ST,GS,+0001.234kg", true, 1234, SCALE_F_STABLE, SCALE_UNIT_KG, "the family's name"},
    {"OL,GS,+       kg", true, 0, SCALE_F_OVER_CAPACITY, SCALE_UNIT_KG, "overload padded (Kern)"},
    {"OL,GS,+9999.999kg", true, 0, SCALE_F_OVER_CAPACITY, SCALE_UNIT_KG, "overload value never trusted"},
    {"ST,+00001234.5 g", true, 1235, SCALE_F_STABLE, SCALE_UNIT_G, "A&D EK-L: no GS field, 1234.5 g rounds up"},
    {"ST,GS,+0000.000kg", true, 0, SCALE_F_STABLE | SCALE_F_ZERO, SCALE_UNIT_KG, "zero"},
    {"ST,GS, 12.5 g", true, 13, SCALE_F_STABLE, SCALE_UNIT_G, "spaces, no sign"},
    {"ST,GS,+0001.234kg\r", true, 1234, SCALE_F_STABLE, SCALE_UNIT_KG, "a CR left on"},
    {"ST,GS,+999999.99kg", true, 999999990, SCALE_F_STABLE, SCALE_UNIT_KG, "largest below SCALE_MAX_GRAMS"},
    {"ST,GS,+9999999.9kg", false, 0, 0, 0, "beyond SCALE_MAX_GRAMS"},
    {"QT,+00000123 PC", false, 0, 0, 0, "A&D count mode"},
    {"ST,TR,+0000.100kg", false, 0, 0, 0, "tare report"},
    {"ST,GS,+0001.234pcs", false, 0, 0, 0, "pieces"},
    {"ST,GS,+0001.234", false, 0, 0, 0, "no unit"},
    {"ST,GS,+00.01.234kg", false, 0, 0, 0, "two points"},
    {"ST,GS,+kg", false, 0, 0, 0, "no digits"},
    {"ST,GS,GS,+1kg", false, 0, 0, 0, "four fields"},
    {"ST", false, 0, 0, 0, "one field"},
    {"", false, 0, 0, 0, "empty"},
};

static void test_line_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof ROWS / sizeof ROWS[0]; i++) {
        const row *w = &ROWS[i];
        scale_reading r;
        size_t n = strlen(w->line);
        bool v = stgs_parse((const uint8_t *)w->line, n, &r);
        if (v != w->valid)
            fail_msg("row %zu %s (%s): valid %d", i, w->line, w->why, v);
        assert_int_equal(stgs_valid((const uint8_t *)w->line, n), v);
        if (v && (r.grams != w->grams || r.flags != w->flags || r.unit != w->unit))
            fail_msg("row %zu (%s): %lld g flags %x unit %d", i, w->why, (long long)r.grams,
                     (unsigned)r.flags, (int)r.unit);
    }
}

static void test_stream_chunks_and_garbage(void **state)
{
    (void)state;
    static const char in[] =
        "\xff\xfe\r\n"                              /* noise line */
        "ST,GS,+0001.234kg\r\n"
        "\x00\x13US,GS,+0001.240kg\r\n"             /* noise before a line: resynchronised */
        "ST,TR,+0000.100kg\r\n"                     /* tare report: dropped */
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxST,GS,+9.000kg\r\n" /* overlong */
        "OL,GS,+       kg\r"                        /* CR only */
        "ST,NT,+000.876kg\n"
        "ST,GS,+0002";                              /* partial */
    size_t n = sizeof in - 1;
    const int64_t want[] = {1234, 1240, 0, 876};
    for (size_t chunk = 1; chunk <= n; chunk++) {
        stgs_stream s;
        stgs_init(&s);
        size_t got = 0;
        for (size_t off = 0; off < n;) {
            size_t len = n - off < chunk ? n - off : chunk;
            const uint8_t *p = (const uint8_t *)in + off;
            off += len;
            while (len) {
                scale_reading r;
                bool have;
                size_t used = stgs_feed(&s, p, len, &r, &have);
                p += used;
                len -= used;
                if (have) {
                    assert_true(got < 4);
                    assert_int_equal(r.grams, want[got]);
                    got++;
                }
            }
        }
        assert_int_equal(got, 4);
        assert_int_equal(s.frames, 4);
        assert_int_equal(s.rejected, 3);
        assert_int_equal(s.len, 11);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_line_table),
        cmocka_unit_test(test_stream_chunks_and_garbage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
