/* fuzz_scale_serial: the serial scale streams (peripherals/scale/xk3190, stgs, os2) and the
 * stability filter fed the same bytes, cut into chunks of random sizes.
 *
 * Input: byte 0 picks the XK3190 format (bits 0-1), OS2 active mode (bit 2) and the unit
 * (bits 3-5); byte 1 seeds the chunk sizes; the rest is the serial stream.  Each stream runs
 * twice, once in random chunks of 1..64 bytes and once in the largest pieces it takes.
 * Properties: never a crash, a leak or a stall (feed always takes bytes after next ran dry);
 * both runs emit the same readings (cutting never changes what is read); every reading is
 * within SCALE_MAX_GRAMS; a reading's frame is a valid frame that parses to the same reading;
 * the stable flag only on a frame that says so (OS2 'S', an ST line), never on an XK3190 frame;
 * the filter says READY only for a usable, non-negative reading. */
#include "tests/fuzz/fuzz_target.h"

#include "peripherals/scale/os2.h"
#include "peripherals/scale/scale_stable.h"
#include "peripherals/scale/stgs.h"
#include "peripherals/scale/xk3190.h"

#define MAX_READINGS 4096

typedef struct {
    scale_reading r[MAX_READINGS];
    size_t n;
} log_t;

static log_t A, B;

static uint32_t rnd(uint32_t *s)
{
    *s = *s * 1103515245u + 12345u;
    return *s >> 16;
}

static void check_range(const scale_reading *r)
{
    FUZZ_CHECK(r->grams <= SCALE_MAX_GRAMS && r->grams >= -SCALE_MAX_GRAMS);
    FUZZ_CHECK(r->unit < SCALE_UNIT_COUNT);
    FUZZ_CHECK(!((r->flags & SCALE_F_STABLE) && (r->flags & SCALE_F_MOTION)));
    if (r->grams < 0)
        FUZZ_CHECK(r->flags & SCALE_F_UNDER_ZERO);
}

static void record(log_t *l, const scale_reading *r)
{
    check_range(r);
    if (l->n < MAX_READINGS)
        l->r[l->n++] = *r;
}

static bool same(const scale_reading *a, const scale_reading *b)
{
    return a->grams == b->grams && a->flags == b->flags && a->unit == b->unit;
}

static void compare(void)
{
    FUZZ_CHECK(A.n == B.n);
    for (size_t i = 0; i < A.n; i++)
        FUZZ_CHECK(same(&A.r[i], &B.r[i]));
}

/* The next piece of the stream: 1..64 bytes drawn from seed, or the whole rest at once; never
 * more than is left. */
static size_t chunk(size_t left, uint32_t *seed, bool random_chunks)
{
    size_t want = random_chunks ? 1 + rnd(seed) % 64 : left;
    return want < left ? want : left;
}

static void run_xk(xk3190_format fmt, scale_unit unit, const uint8_t *d, size_t n, uint32_t seed,
                   bool random_chunks, log_t *l)
{
    xk3190_stream s;
    xk3190_init(&s, fmt, unit);
    l->n = 0;
    for (size_t off = 0; off < n;) {
        size_t want = chunk(n - off, &seed, random_chunks);
        while (want) {
            size_t took = xk3190_feed(&s, d + off, want);
            off += took;
            want -= took;
            scale_reading r;
            uint8_t fr[XK3190_MAX_FRAME];
            size_t fl = 0;
            while (xk3190_next(&s, &r, fr, &fl)) {
                FUZZ_CHECK(fl == xk3190_frame_len(fmt));
                FUZZ_CHECK(xk3190_valid(fmt, fr, fl));
                scale_reading again;
                FUZZ_CHECK(xk3190_parse(fmt, unit, fr, &again) && same(&again, &r));
                FUZZ_CHECK(!(r.flags & SCALE_F_STABLE) && (r.flags & SCALE_F_NO_STATUS));
                record(l, &r);
            }
            FUZZ_CHECK(s.len < XK3190_MAX_FRAME);   /* next ran dry: room for the next feed */
        }
    }
}

static void run_stgs(const uint8_t *d, size_t n, uint32_t seed, bool random_chunks, log_t *l)
{
    stgs_stream s;
    stgs_init(&s);
    l->n = 0;
    for (size_t off = 0; off < n;) {
        size_t want = chunk(n - off, &seed, random_chunks);
        while (want) {
            scale_reading r;
            bool got = false;
            size_t used = stgs_feed(&s, d + off, want, &r, &got);
            FUZZ_CHECK(used >= 1 && used <= want);
            off += used;
            want -= used;
            if (got) {
                uint32_t k = r.flags & (SCALE_F_STABLE | SCALE_F_MOTION | SCALE_F_OVER_CAPACITY);
                FUZZ_CHECK(k == SCALE_F_STABLE || k == SCALE_F_MOTION || k == SCALE_F_OVER_CAPACITY);
                if (k == SCALE_F_OVER_CAPACITY)
                    FUZZ_CHECK(r.grams == 0);
                record(l, &r);
            }
        }
    }
}

static void run_os2(bool active, const uint8_t *d, size_t n, uint32_t seed, bool random_chunks,
                    log_t *l)
{
    os2_stream s;
    os2_init(&s, active);
    l->n = 0;
    for (size_t off = 0; off < n;) {
        size_t want = chunk(n - off, &seed, random_chunks);
        while (want) {
            size_t took = os2_feed(&s, d + off, want);
            off += took;
            want -= took;
            scale_reading r;
            uint8_t fr[OS2_ACTIVE_LEN];
            size_t fl = 0;
            os2_event ev;
            while ((ev = os2_next(&s, &r, fr, &fl)) != OS2_EV_NONE) {
                if (ev == OS2_EV_ACK) {
                    scale_reading ack = {.unit = SCALE_UNIT_COUNT};   /* marks the ACK */
                    if (l->n < MAX_READINGS)
                        l->r[l->n++] = ack;
                    continue;
                }
                FUZZ_CHECK(fl == (active ? OS2_ACTIVE_LEN : OS2_PASSIVE_LEN));
                FUZZ_CHECK(os2_valid(fr, fl, active) != OS2_BCC_NONE);
                scale_reading again;
                FUZZ_CHECK(os2_parse(fr, fl, active, &again) && same(&again, &r));
                if (r.flags & SCALE_F_STABLE)
                    FUZZ_CHECK(fr[2] == 'S');
                record(l, &r);
            }
            FUZZ_CHECK(s.len < OS2_ACTIVE_LEN);
        }
    }
}

static void filter(const log_t *l)
{
    scale_stable f;
    scale_stable_config cfg = {.hold_ms = 200, .tolerance_g = 2, .max_gap_ms = 1000, .min_g = 1};
    scale_stable_init(&f, &cfg);
    for (size_t i = 0; i < l->n; i++) {
        if (l->r[i].unit == SCALE_UNIT_COUNT)
            continue;
        int64_t g = -1;
        scale_stable_verdict v = scale_stable_feed(&f, &l->r[i], (uint64_t)i * 100, &g);
        if (v == SCALE_STABLE_READY) {
            FUZZ_CHECK(scale_reading_usable(&l->r[i]));
            FUZZ_CHECK(g == l->r[i].grams && g >= 1);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    xk3190_format fmt = (xk3190_format)(data[0] & 3);
    bool active = (data[0] & 4) != 0;
    static const scale_unit units[8] = {SCALE_UNIT_KG, SCALE_UNIT_G, SCALE_UNIT_LB, SCALE_UNIT_JIN,
                                        SCALE_UNIT_OZ, SCALE_UNIT_T, SCALE_UNIT_MG, SCALE_UNIT_KG};
    scale_unit unit = units[(data[0] >> 3) & 7];
    uint32_t seed = data[1];
    const uint8_t *d = data + 2;
    size_t n = size - 2;

    run_xk(fmt, unit, d, n, seed, true, &A);
    run_xk(fmt, unit, d, n, seed, false, &B);
    compare();
    filter(&A);
    run_stgs(d, n, seed, true, &A);
    run_stgs(d, n, seed, false, &B);
    compare();
    filter(&A);
    run_os2(active, d, n, seed, true, &A);
    run_os2(active, d, n, seed, false, &B);
    compare();
    filter(&A);
    return 0;
}
