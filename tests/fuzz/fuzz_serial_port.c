/* fuzz_serial_port: what the serial transport takes from outside without a tty -- the port spec
 * and protocol texts of the configuration (peripherals/serial.h, scale/serial_scale.h) -- and
 * the serial_scale glue over a fake transport that hands the bytes out in random chunks.
 *
 * Input: byte 0 picks the protocol, byte 1 seeds the chunk sizes, byte 2 is the length of the
 * configuration text that follows (parsed both as a port spec and as a protocol); the rest is
 * the stream the fake transport returns.
 * Properties: never a crash, a leak or a stall; a refused text always says why; an accepted spec
 * is in range and round-trips through serial_spec_format; serial_scale reads the same readings
 * whether the transport returns random 1..64-byte chunks or as much as it is asked for, and
 * every call returns (timeout 0) while bytes remain. */
#include "tests/fuzz/fuzz_target.h"

#include "peripherals/scale/serial_scale.h"
#include "peripherals/serial.h"

#define MAX_READINGS 4096

static const char *const PROTOS[] = {"xk3190",       "xk3190-eq",  "xk3190-eq-fwd",
                                     "xk3190-a12",   "stgs",       "os2",
                                     "os2-active",   "xk3190-eq:g"};

typedef struct {
    const uint8_t *data;
    size_t len, off;
    uint32_t seed;      /* 0: whole reads */
} fake;

static device_err fake_read(void *self, uint8_t *buf, size_t cap, size_t *got, int timeout_ms)
{
    (void)timeout_ms;
    fake *f = self;
    size_t n = fuzz_chunk(f->len - f->off, &f->seed, f->seed != 0);
    if (n > cap)
        n = cap;
    memcpy(buf, f->data + f->off, n);
    f->off += n;
    *got = n;
    return DEVICE_OK;
}

static device_err fake_write(void *self, const uint8_t *buf, size_t len, int timeout_ms)
{
    (void)self;
    (void)buf;
    (void)len;
    (void)timeout_ms;
    return DEVICE_OK;
}

static const device_ops FAKE_OPS = {
    .name = "fake", .cls = DEVICE_SCALE, .read = fake_read, .write = fake_write};

typedef struct {
    scale_reading r[MAX_READINGS];
    size_t n;
} log_t;

static log_t A, B;

static void run(const serial_scale_config *cfg, const uint8_t *data, size_t len, uint32_t seed,
                log_t *l)
{
    fake f = {.data = data, .len = len, .off = 0, .seed = seed};
    serial_scale s;
    serial_scale_init(&s, cfg, &FAKE_OPS, &f);
    l->n = 0;
    size_t guard = 0;
    for (;;) {
        scale_reading r;
        bool got = false;
        FUZZ_CHECK(serial_scale_next(&s, &r, &got, 0) == DEVICE_OK);
        if (got) {
            FUZZ_CHECK(r.grams <= SCALE_MAX_GRAMS && r.grams >= -SCALE_MAX_GRAMS);
            if (l->n < MAX_READINGS)
                l->r[l->n++] = r;
        } else if (f.off == f.len) {
            break;
        }
        FUZZ_CHECK(++guard < 4 * len + 16);   /* every call makes progress */
    }
    FUZZ_CHECK(s.readings == l->n || l->n == MAX_READINGS);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 3)
        return 0;
    const char *proto = PROTOS[data[0] % (sizeof PROTOS / sizeof PROTOS[0])];
    uint32_t seed = (uint32_t)data[1] * 2654435761u | 1u;
    size_t tlen = data[2];
    if (tlen > size - 3)
        tlen = size - 3;
    char *text = fuzz_cstr(data + 3, tlen);

    serial_spec sp;
    char why[SERIAL_WHY_CAP];
    if (serial_spec_parse(text, &sp, why, sizeof why)) {
        FUZZ_CHECK(sp.path[0] == '/');
        FUZZ_CHECK(sp.data_bits == 7 || sp.data_bits == 8);
        FUZZ_CHECK(sp.parity == 'N' || sp.parity == 'E' || sp.parity == 'O');
        FUZZ_CHECK(sp.stop_bits == 1 || sp.stop_bits == 2);
        FUZZ_CHECK(sp.baud >= 1200 && sp.baud <= 115200);
        char back[SERIAL_PATH_CAP + 32];
        FUZZ_CHECK(serial_spec_format(&sp, back, sizeof back) < sizeof back);
        serial_spec again;
        FUZZ_CHECK(serial_spec_parse(back, &again, NULL, 0));
        FUZZ_CHECK(memcmp(&again, &sp, sizeof sp) == 0);
    } else {
        FUZZ_CHECK(why[0] != '\0');
    }
    serial_scale_config cfg;
    if (!serial_scale_config_parse(text, &cfg, why, sizeof why))
        FUZZ_CHECK(why[0] != '\0');
    free(text);

    FUZZ_CHECK(serial_scale_config_parse(proto, &cfg, NULL, 0));
    const uint8_t *stream = data + 3 + tlen;
    size_t slen = size - 3 - tlen;
    run(&cfg, stream, slen, seed, &A);
    run(&cfg, stream, slen, 0, &B);
    FUZZ_CHECK(A.n == B.n);
    for (size_t i = 0; i < A.n; i++)
        FUZZ_CHECK(A.r[i].grams == B.r[i].grams && A.r[i].flags == B.r[i].flags &&
                   A.r[i].unit == B.r[i].unit);
    return 0;
}
