/* serial + scale/serial_scale: the tty transport and the serial scale glue over a real
 * pseudo-terminal (posix_openpt: no root, no hardware).  The test holds the master side -- the
 * scale -- and the code under test opens the slave through a port spec.  Frames from
 * /work/shared/reference/devices.md §3.1 (XK3190), §3.5 (ST,GS lines), §3.6 (OS2), as in
 * test_scale_xk3190.c / test_scale_os2.c.  Every test arms alarm(): a hang fails, it does not
 * stall ctest. */
#define _XOPEN_SOURCE 700   /* posix_openpt, grantpt, unlockpt, ptsname are XSI */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "peripherals/scale/serial_scale.h"
#include "peripherals/serial.h"
#include "tests/periph/periph_test.h"

#define GUARD_S 10

static pid_t parent_pid;

static int64_t ms_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A pty: *master for the test, the slave's path and a spec text for the code under test. */
typedef struct {
    int master;
    char slave[128];
    char spec[192];
} pty;

static void pty_open(pty *t, const char *line)
{
    t->master = posix_openpt(O_RDWR | O_NOCTTY);
    assert_true(t->master >= 0);
    assert_int_equal(grantpt(t->master), 0);
    assert_int_equal(unlockpt(t->master), 0);
    const char *name = ptsname(t->master);
    assert_non_null(name);
    snprintf(t->slave, sizeof t->slave, "%s", name);
    snprintf(t->spec, sizeof t->spec, "%s%s", t->slave, line ? line : "");
}

static void pty_close(pty *t)
{
    if (t->master >= 0)
        close(t->master);
    t->master = -1;
}

/* The code under test's port opened on the slave of a new pty through spec text line. */
static void port_on_pty(pty *t, serial_port *port, const char *line)
{
    pty_open(t, line);
    serial_port_init(port);
    assert_int_equal(serial_open(port, t->spec), DEVICE_OK);
}

/* A serial scale speaking proto over port; answer_ms 0 keeps the protocol's default. */
static void scale_on_port(serial_scale *s, serial_port *port, const char *proto, int answer_ms)
{
    serial_scale_config cfg;
    assert_true(serial_scale_config_parse(proto, &cfg, NULL, 0));
    if (answer_ms > 0)
        cfg.answer_ms = answer_ms;
    serial_scale_init(s, &cfg, &serial_scale_ops, port);
}

static void put(pty *t, const char *hex)
{
    uint8_t b[128];
    size_t n = periph_hex(hex, b, sizeof b);
    assert_int_equal(write(t->master, b, n), (ssize_t)n);
}

/* The next byte the code under test sent, within ms; -1 when none. */
static int master_byte(pty *t, int ms)
{
    struct pollfd pf = {.fd = t->master, .events = POLLIN, .revents = 0};
    if (poll(&pf, 1, ms) != 1)
        return -1;
    uint8_t c;
    return read(t->master, &c, 1) == 1 ? c : -1;
}

/* Readings through s until want of them came or ms passed. */
static size_t collect(serial_scale *s, scale_reading *out, size_t want, int ms)
{
    size_t n = 0;
    int64_t end = ms_now() + ms;
    while (n < want && ms_now() < end) {
        bool got = false;
        assert_int_equal(serial_scale_next(s, &out[n], &got, 50), DEVICE_OK);
        if (got)
            n++;
    }
    return n;
}

typedef struct {
    const char *text;
    bool ok;
    unsigned baud, bits;
    char parity;
    unsigned stop;
    const char *why;     /* a part of the refusal sentence */
} spec_row;

static const spec_row SPECS[] = {
    {"/dev/ttyUSB0,9600,8N1", true, 9600, 8, 'N', 1, NULL},
    {"/dev/ttyUSB0", true, 9600, 8, 'N', 1, NULL},
    {"/dev/ttyUSB0,2400", true, 2400, 8, 'N', 1, NULL},
    {"/dev/ttyS0,1200,7E1", true, 1200, 7, 'E', 1, NULL},
    {"/dev/ttyACM1,115200,8o2", true, 115200, 8, 'O', 2, NULL},
    {"/dev/ttyUSB0,9601,8N1", false, 0, 0, 0, 0, "baud \"9601\""},
    {"/dev/ttyUSB0,9600,8X1", false, 0, 0, 0, 0, "parity 'X'"},
    {"/dev/ttyUSB0,9600,9N1", false, 0, 0, 0, 0, "data bits '9'"},
    {"/dev/ttyUSB0,9600,8N3", false, 0, 0, 0, 0, "stop bits '3'"},
    {"/dev/ttyUSB0,9600,8N1x", false, 0, 0, 0, 0, "frame \"8N1x\""},
    {"/dev/ttyUSB0,9600,8N1,rtscts", false, 0, 0, 0, 0, "more than three fields"},
    {"/dev/ttyUSB0,,8N1", false, 0, 0, 0, 0, "baud \"\""},
    {"/dev/ttyUSB0,+9600", false, 0, 0, 0, 0, "baud \"+9600\""},
    {"/dev/ttyUSB0,96000000000", false, 0, 0, 0, 0, "baud \"96000000000\""},
    {"ttyUSB0,9600", false, 0, 0, 0, 0, "not absolute"},
    {",9600", false, 0, 0, 0, 0, "path is empty"},
    {"", false, 0, 0, 0, 0, "empty port spec"},
};

static void test_spec_table(void **state)
{
    (void)state;
    alarm(GUARD_S);
    for (size_t i = 0; i < sizeof SPECS / sizeof SPECS[0]; i++) {
        const spec_row *w = &SPECS[i];
        serial_spec sp;
        char why[SERIAL_WHY_CAP];
        bool ok = serial_spec_parse(w->text, &sp, why, sizeof why);
        if (ok != w->ok)
            fail_msg("row %zu \"%s\": ok %d (%s)", i, w->text, ok, why);
        if (ok) {
            assert_int_equal(sp.baud, w->baud);
            assert_int_equal(sp.data_bits, w->bits);
            assert_int_equal(sp.parity, w->parity);
            assert_int_equal(sp.stop_bits, w->stop);
            char back[SERIAL_WHY_CAP];
            serial_spec_format(&sp, back, sizeof back);
            serial_spec again;
            assert_true(serial_spec_parse(back, &again, NULL, 0));
            assert_memory_equal(&again, &sp, sizeof sp);
        } else if (!strstr(why, w->why)) {
            fail_msg("row %zu \"%s\": \"%s\" does not name %s", i, w->text, why, w->why);
        }
    }
    char why[SERIAL_WHY_CAP];
    serial_scale_config c;
    assert_true(serial_scale_config_parse("xk3190", &c, why, sizeof why));
    assert_int_equal(c.proto, SERIAL_SCALE_XK3190);
    assert_int_equal(c.xk_format, XK3190_STX);
    assert_int_equal(c.unit, SCALE_UNIT_KG);
    assert_true(serial_scale_config_parse("xk3190-eq:g", &c, why, sizeof why));
    assert_int_equal(c.xk_format, XK3190_EQ_REV);
    assert_int_equal(c.unit, SCALE_UNIT_G);
    assert_true(serial_scale_config_parse("os2", &c, why, sizeof why));
    assert_true(c.proto == SERIAL_SCALE_OS2 && !c.os2_active);
    assert_true(serial_scale_config_parse("os2-active", &c, why, sizeof why));
    assert_true(c.os2_active);
    assert_true(serial_scale_config_parse("stgs", &c, why, sizeof why));
    assert_int_equal(c.proto, SERIAL_SCALE_STGS);
    assert_false(serial_scale_config_parse("xk3191", &c, why, sizeof why));
    assert_non_null(strstr(why, "\"xk3191\""));
    assert_false(serial_scale_config_parse("xk3190:oz", &c, why, sizeof why));
    assert_non_null(strstr(why, "\"oz\""));
    assert_false(serial_scale_config_parse("stgs:kg", &c, why, sizeof why));
    assert_false(serial_scale_config_parse("", &c, why, sizeof why));
}

/* §3.1 frames with garbage between them, cut across writes, read while they arrive. */
static void test_xk3190_over_pty(void **state)
{
    (void)state;
    alarm(GUARD_S);
    pty t;
    serial_port port;
    port_on_pty(&t, &port, ",19200,8N2");
    assert_string_equal(port.why, "");
    serial_scale s;
    scale_on_port(&s, &port, "xk3190", 0);

    const char *writes[] = {
        "FF 00 03 02 2B 30",                      /* noise, a cut-off frame */
        "02 2B 30 30 32",                         /* +20.00 (njzscloud), cut ... */
        "30 30 30 32 31 42 03 0D 0A",             /* ... its tail, line noise */
        "02 2B 30 30 32 30 30 30 32 31 43 03",    /* bad checksum: dropped */
        "02 02 2D 02 2D 30 30 31 32",             /* STX STX noise, -1.234 cut */
        "33 34 33 31 41 03 02 2B 30 30 31 32 33", /* its tail, +1.234 cut */
        "34 33 31 43 03 02 2B 30",                /* its tail, a partial frame */
    };
    const int64_t want[] = {20000, -1234, 1234};
    scale_reading r[4];
    size_t n = 0;
    for (size_t i = 0; i < sizeof writes / sizeof writes[0]; i++) {
        put(&t, writes[i]);
        n += collect(&s, r + n, 3 - n, 60);
    }
    n += collect(&s, r + n, 3 - n, 2000);
    assert_int_equal(n, 3);
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(r[i].grams, want[i]);
        assert_true(r[i].flags & SCALE_F_NO_STATUS);
    }
    assert_int_equal(s.xk.bad_checksum, 1);
    bool got = true;
    assert_int_equal(serial_scale_next(&s, &r[3], &got, 0), DEVICE_OK);
    assert_false(got);                              /* the partial frame waits */
    assert_int_equal(s.readings, 3);
    serial_close(&port);
    pty_close(&t);
}

/* §3.5 lines with noise, at 2400 baud 8N1. */
static void test_stgs_over_pty(void **state)
{
    (void)state;
    alarm(GUARD_S);
    pty t;
    serial_port port;
    port_on_pty(&t, &port, ",2400,8N1");
    serial_scale s;
    scale_on_port(&s, &port, "stgs", 0);
    static const char lines[] = "\x7f\x00noise\r\nST,GS,+0001.234kg\r\nUS,N";
    assert_int_equal(write(t.master, lines, sizeof lines - 1), (ssize_t)(sizeof lines - 1));
    assert_int_equal(write(t.master, "T,-000.500kg\r\n", 14), 14);
    scale_reading r[2];
    assert_int_equal(collect(&s, r, 2, 2000), 2);
    assert_int_equal(r[0].grams, 1234);
    assert_true(r[0].flags & SCALE_F_STABLE);
    assert_int_equal(r[1].grams, -500);
    assert_true(r[1].flags & SCALE_F_MOTION);
    serial_close(&port);
    pty_close(&t);
}

/* §3.6 polled: the code asks ENQ, the scale ACKs, the code asks DC1, the scale sends a frame.
 * Single-threaded: each serial_scale_next gets as far as the answers written so far. */
static void test_os2_polled(void **state)
{
    (void)state;
    alarm(GUARD_S);
    pty t;
    serial_port port;
    port_on_pty(&t, &port, ",9600,8N1");
    serial_scale s;
    scale_on_port(&s, &port, "os2", 300);
    scale_reading r;
    bool got = true;

    assert_int_equal(serial_scale_next(&s, &r, &got, 0), DEVICE_OK);
    assert_false(got);
    assert_int_equal(master_byte(&t, 1000), OS2_ENQ);
    assert_int_equal(s.phase, SERIAL_SCALE_WAIT_ACK);
    put(&t, "00 06");                                     /* a noise byte, ACK */
    int64_t t0 = ms_now();
    while (s.phase != SERIAL_SCALE_WAIT_FRAME && ms_now() - t0 < 1000) {
        assert_int_equal(serial_scale_next(&s, &r, &got, 20), DEVICE_OK);
        assert_false(got);
    }
    assert_int_equal(master_byte(&t, 1000), OS2_DC1);
    put(&t, "01 02 53 20 30 31 2E");                      /* 1.234 kg, cut */
    put(&t, "32 33 34 6B 67 66 03 04");
    t0 = ms_now();
    while (!got && ms_now() - t0 < 1000)
        assert_int_equal(serial_scale_next(&s, &r, &got, 50), DEVICE_OK);
    assert_true(got);
    assert_int_equal(r.grams, 1234);
    assert_true(r.flags & SCALE_F_STABLE);
    assert_int_equal(s.phase, SERIAL_SCALE_IDLE);
    assert_int_equal(s.unanswered, 0);

    /* A scale that does not answer: after answer_ms the ENQ goes again, counted. */
    got = true;
    assert_int_equal(serial_scale_next(&s, &r, &got, 0), DEVICE_OK);
    assert_false(got);
    assert_int_equal(master_byte(&t, 1000), OS2_ENQ);
    t0 = ms_now();
    /* 450 ms: past one answer_ms (300), short of two -- on a loaded machine a descheduled
     * thread can still see the second deadline pass too, so "at least one" is the property:
     * every unanswered ENQ is counted and sent again. */
    assert_int_equal(serial_scale_next(&s, &r, &got, 450), DEVICE_OK);
    assert_false(got);
    int64_t took = ms_now() - t0;
    assert_true(took >= 400 && took < 3000);
    assert_int_equal(master_byte(&t, 1000), OS2_ENQ);
    assert_true(s.unanswered >= 1);
    assert_int_equal(s.requests, 2 + s.unanswered);
    serial_close(&port);
    pty_close(&t);
}

/* Nothing sent: "nothing yet" after about the timeout, not before and not much after. */
static void test_read_timeout(void **state)
{
    (void)state;
    alarm(GUARD_S);
    pty t;
    serial_port port;
    port_on_pty(&t, &port, NULL);
    uint8_t b[16];
    size_t got = 99;
    int64_t t0 = ms_now();
    assert_int_equal(serial_read(&port, b, sizeof b, &got, 150), DEVICE_OK);
    int64_t took = ms_now() - t0;
    assert_int_equal(got, 0);
    assert_true(took >= 140 && took < 2000);
    t0 = ms_now();
    assert_int_equal(serial_read(&port, b, sizeof b, &got, 0), DEVICE_OK);
    assert_int_equal(got, 0);
    assert_true(ms_now() - t0 < 500);

    serial_scale s;
    scale_on_port(&s, &port, "xk3190", 0);
    scale_reading r;
    bool g = true;
    t0 = ms_now();
    assert_int_equal(serial_scale_next(&s, &r, &g, 150), DEVICE_OK);
    took = ms_now() - t0;
    assert_false(g);
    assert_true(took >= 140 && took < 2000);

    /* Bytes sent to the scale come out on the master side. */
    assert_int_equal(serial_write(&port, (const uint8_t *)"\x05", 1, 500), DEVICE_OK);
    assert_int_equal(master_byte(&t, 1000), 0x05);
    serial_close(&port);
    pty_close(&t);
}

/* The scale unplugged (the master closed) mid-frame: DISCONNECTED at once, and again on every
 * later call -- not a hang, not "nothing yet" forever (a busy loop in the manager). */
static void test_unplug(void **state)
{
    (void)state;
    alarm(GUARD_S);
    pty t;
    serial_port port;
    port_on_pty(&t, &port, ",9600,8N1");
    serial_scale s;
    scale_on_port(&s, &port, "xk3190", 0);
    put(&t, "02 2B 30 30 32 30 30 30 32 31 42 03 02 2B 30");   /* a frame, a partial one */
    scale_reading r;
    bool got = false;
    int64_t t0 = ms_now();
    while (!got && ms_now() - t0 < 1000)
        assert_int_equal(serial_scale_next(&s, &r, &got, 50), DEVICE_OK);
    assert_true(got);
    assert_int_equal(r.grams, 20000);
    pty_close(&t);
    for (int i = 0; i < 3; i++) {
        t0 = ms_now();
        assert_int_equal(serial_scale_next(&s, &r, &got, 5000), DEVICE_ERR_DISCONNECTED);
        assert_false(got);
        assert_true(ms_now() - t0 < 1000);
        uint8_t b[8];
        size_t n = 9;
        assert_int_equal(serial_read(&port, b, sizeof b, &n, 5000), DEVICE_ERR_DISCONNECTED);
        assert_int_equal(n, 0);
        assert_true(ms_now() - t0 < 2000);
    }
    assert_non_null(strstr(port.why, "unplugged"));
    serial_close(&port);
}

/* A transport that never stops sending garbage: serial_scale_next still returns at its deadline
 * (the manager's loop is not captured), for every protocol; a polled OS2 over a transport that
 * cannot write is UNSUPPORTED, not a silent "nothing yet". */
static device_err flood_read(void *self, uint8_t *buf, size_t cap, size_t *got, int timeout_ms)
{
    (void)timeout_ms;
    (*(size_t *)self)++;
    memset(buf, 'W', cap);
    *got = cap;
    return DEVICE_OK;
}

static const device_ops FLOOD_OPS = {.name = "flood", .cls = DEVICE_SCALE, .read = flood_read};

static void test_garbage_flood_ends(void **state)
{
    (void)state;
    alarm(GUARD_S);
    const char *protos[] = {"xk3190", "xk3190-a12", "stgs", "os2-active"};
    for (size_t i = 0; i < sizeof protos / sizeof protos[0]; i++) {
        serial_scale_config cfg;
        assert_true(serial_scale_config_parse(protos[i], &cfg, NULL, 0));
        size_t calls = 0;
        serial_scale s;
        serial_scale_init(&s, &cfg, &FLOOD_OPS, &calls);
        scale_reading r;
        bool got = true;
        int64_t t0 = ms_now();
        assert_int_equal(serial_scale_next(&s, &r, &got, 30), DEVICE_OK);
        assert_false(got);
        assert_true(ms_now() - t0 < 1000);
        assert_true(calls > 0);
        got = true;
        assert_int_equal(serial_scale_next(&s, &r, &got, 0), DEVICE_OK);
        assert_false(got);
    }
    serial_scale_config cfg;
    assert_true(serial_scale_config_parse("os2", &cfg, NULL, 0));
    size_t calls = 0;
    serial_scale s;
    serial_scale_init(&s, &cfg, &FLOOD_OPS, &calls);
    scale_reading r;
    bool got = true;
    assert_int_equal(serial_scale_next(&s, &r, &got, 10), DEVICE_ERR_UNSUPPORTED);
    assert_false(got);
}

static void expect_refused(const char *spec, device_err want, const char *part)
{
    serial_port port;
    serial_port_init(&port);
    device_err err = serial_open(&port, spec);
    if (err != want)
        fail_msg("%s: %s (%s), want %s", spec, device_strerror(err), port.why,
                 device_strerror(want));
    if (!strstr(port.why, part))
        fail_msg("%s: \"%s\" does not say %s", spec, port.why, part);
    assert_int_equal(port.fd, -1);
    serial_close(&port);
}

/* serial_open(spec) as a user that is not root (a child dropping to nobody when we are root);
 * the error it got, after checking its sentence holds part. */
static device_err open_as_other(const char *spec, const char *part)
{
    pid_t pid = geteuid() == 0 ? fork() : 0;
    assert_true(pid >= 0);
    if (pid == 0) {
        if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0))
            _exit(100);
        serial_port port;
        serial_port_init(&port);
        device_err err = serial_open(&port, spec);
        int ok = strstr(port.why, part) != NULL;
        serial_close(&port);
        if (getpid() != parent_pid)
            _exit(ok ? (int)err : 101);
        if (!ok)
            fail_msg("%s: \"%s\" does not say %s", spec, port.why, part);
        return err;
    }
    int st = 0;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    assert_true(WIFEXITED(st));
    assert_true(WEXITSTATUS(st) < 100);
    return (device_err)WEXITSTATUS(st);
}

static void test_refusals(void **state)
{
    (void)state;
    alarm(GUARD_S);
    char dir[256], fifo[300], file[300], spec[400];
    snprintf(dir, sizeof dir, "%s/test_serial.XXXXXX", FUPIN_TEST_TMP);
    mkdir(FUPIN_TEST_TMP, 0700);
    assert_non_null(mkdtemp(dir));
    snprintf(fifo, sizeof fifo, "%s/fifo", dir);
    snprintf(file, sizeof file, "%s/file", dir);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    FILE *f = fopen(file, "w");
    assert_non_null(f);
    fputs("\x02+0020002\x31\x42\x03", f);
    fclose(f);

    snprintf(spec, sizeof spec, "%s,9600,8N1", fifo);
    expect_refused(spec, DEVICE_ERR_UNSUPPORTED, "FIFO");
    snprintf(spec, sizeof spec, "%s,9600,8N1", file);
    expect_refused(spec, DEVICE_ERR_UNSUPPORTED, "regular file");
    snprintf(spec, sizeof spec, "%s/missing,9600,8N1", dir);
    expect_refused(spec, DEVICE_ERR_NOT_FOUND, "no such port");
    expect_refused("/dev/null,9600,8N1", DEVICE_ERR_UNSUPPORTED, "not a tty");
    expect_refused("/dev/ttyUSB0,9601,8N1", DEVICE_ERR_UNSUPPORTED, "9601");
    expect_refused("/dev/ttyUSB0,9600,8X1", DEVICE_ERR_UNSUPPORTED, "parity 'X'");

    /* The port is ours alone: a second open is BUSY (TIOCEXCL, or flock for root). */
    pty t;
    pty_open(&t, ",9600,8N1");
    serial_port a;
    serial_port_init(&a);
    assert_int_equal(serial_open(&a, t.spec), DEVICE_OK);
    expect_refused(t.spec, DEVICE_ERR_BUSY, "another program");
    serial_close(&a);
    assert_int_equal(serial_open(&a, t.spec), DEVICE_OK);   /* and free again once closed */
    serial_close(&a);
    /* A setting the driver drops is refused, not believed: the pty driver forces CS8 and no
     * parity (drivers/tty/pty.c pty_set_termios), as an adapter without 7E1 would. */
    char seven[200];
    snprintf(seven, sizeof seven, "%s,9600,7E1", t.slave);
    expect_refused(seven, DEVICE_ERR_UNSUPPORTED, "did not take 9600 baud 7E1");
    /* As another user: TIOCEXCL (not only our flock) turns a second open away, and a node that
     * is not ours is PERMISSION with the udev hint.  Root opens anything, so a child drops to
     * nobody (skipped when not root: then this process is the other user). */
    assert_int_equal(serial_open(&a, t.spec), DEVICE_OK);
    assert_int_equal(chmod(t.slave, 0666), 0);
    assert_int_equal(open_as_other(t.spec, "another program"), DEVICE_ERR_BUSY);
    serial_close(&a);
    assert_int_equal(chmod(t.slave, 0), 0);
    assert_int_equal(open_as_other(t.spec, "install 60-fupin-pos.rules into /etc/udev/rules.d/"),
                     DEVICE_ERR_PERMISSION);
    char text[256];
    device_error_text(DEVICE_ERR_PERMISSION, SERIAL_UDEV_HINT, text, sizeof text);
    assert_non_null(strstr(text, "install 60-fupin-pos.rules into /etc/udev/rules.d/"));
    pty_close(&t);
    unlink(fifo);
    unlink(file);
    rmdir(dir);
}

int main(void)
{
    parent_pid = getpid();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spec_table),
        cmocka_unit_test(test_xk3190_over_pty),
        cmocka_unit_test(test_stgs_over_pty),
        cmocka_unit_test(test_os2_polled),
        cmocka_unit_test(test_read_timeout),
        cmocka_unit_test(test_unplug),
        cmocka_unit_test(test_garbage_flood_ends),
        cmocka_unit_test(test_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
