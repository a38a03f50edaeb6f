/* devmgr: a transport that returns several whole reports in one read (a USB read with room for
 * more than one packet gathers them: REVIEW10 H2) -- every report is decoded, no scan is lost;
 * and a stalled read (the halt cleared by the transport) costs a read, not the device.
 * The transport is a fake written here (the edge: a USB scanner's timing cannot be had without
 * hardware); the manager, its thread and the bootkbd / hidscale codecs are the real code. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "peripherals/devmgr.h"

/* "69587" + Enter as boot-keyboard reports: key down, key up, for each key (HID usages:
 * '1'..'9' = 0x1E..0x26, '0' = 0x27, Enter = 0x28). */
static uint8_t kb[64 * 8];
static size_t kb_len;
static atomic_int served;
static atomic_int stall_reads;

static void kb_key(uint8_t usage)
{
    uint8_t down[8] = {0, 0, usage, 0, 0, 0, 0, 0}, up[8] = {0};
    memcpy(kb + kb_len, down, 8);
    memcpy(kb + kb_len + 8, up, 8);
    kb_len += 16;
}

static device_err burst_read(void *self, uint8_t *buf, size_t cap, size_t *got, int timeout_ms)
{
    (void)self;
    *got = 0;
    if (atomic_load(&served)) {
        usleep((useconds_t)(timeout_ms > 0 ? timeout_ms : 1) * 1000u);
        return DEVICE_OK;
    }
    assert_true(cap >= kb_len);   /* the manager's buffer holds the whole burst */
    memcpy(buf, kb, kb_len);      /* every report of the code in ONE read */
    *got = kb_len;
    atomic_store(&served, 1);
    return DEVICE_OK;
}

static const device_ops BURST = {.name = "burst", .cls = DEVICE_SCANNER, .read = burst_read};

static device_err open_burst(void *arg, const devspec *spec, devmgr_link *out, char *why,
                             size_t cap)
{
    (void)arg;
    (void)spec;
    (void)why;
    (void)cap;
    out->ops = &BURST;
    out->self = NULL;
    out->codec = DEVMGR_CODEC_BOOTKBD;
    snprintf(out->name, sizeof out->name, "burst scanner");
    return DEVICE_OK;
}

static char code_seen[64];
static atomic_int codes;

static void on_code(void *arg, const char *code, size_t len)
{
    (void)arg;
    if (len < sizeof code_seen) {
        memcpy(code_seen, code, len);
        code_seen[len] = '\0';
    }
    atomic_fetch_add(&codes, 1);
}

/* The manager with one scanner opened by `open`, from a clean burst ("69587" + Enter), until the
 * first code (5 s at most) or, with until_opens > 0, until it has opened the scanner that many
 * times; its status then, taken before it stops. */
static devmgr_status run_scanner(devmgr_open_fn open, int until_opens)
{
    const uint8_t keys[] = {0x23, 0x26, 0x22, 0x25, 0x24, 0x28};   /* 6 9 5 8 7 Enter */
    kb_len = 0;
    for (size_t i = 0; i < sizeof keys; i++)
        kb_key(keys[i]);
    atomic_store(&served, 0);
    atomic_store(&codes, 0);
    atomic_store(&stall_reads, 0);
    devmgr_opener ops[] = {{.cls = DEVICE_SCANNER, .kind = DEVSPEC_SIM, .open = open}};
    devmgr_config cfg;
    devmgr_config_init(&cfg);
    cfg.openers = ops;
    cfg.n_openers = 1;
    (void)devspec_parse(DEVICE_SCANNER, "sim", &cfg.spec[DEVICE_SCANNER], NULL, 0);
    cfg.on_code = on_code;
    devmgr *m = devmgr_start(&cfg, NULL, 0);
    assert_non_null(m);
    devmgr_status st;
    for (int t = 0; t < 5000; t += 10) {
        devmgr_get_status(m, DEVICE_SCANNER, &st);
        if (until_opens > 0 ? st.opens >= (uint64_t)until_opens : atomic_load(&codes) > 0)
            break;
        usleep(10 * 1000);
    }
    devmgr_get_status(m, DEVICE_SCANNER, &st);
    devmgr_stop(m);
    return st;
}

static void test_several_reports_in_one_read(void **state)
{
    (void)state;
    devmgr_status st = run_scanner(open_burst, 0);
    assert_int_equal(atomic_load(&codes), 1);
    assert_string_equal(code_seen, "69587");
    assert_int_equal(st.garbage, 0);
}

/* A stall (the transport cleared the halt) loses a read, not the device: the next read's
 * code arrives on the same open.  Three in a row close it. */
static device_err stall_read(void *self, uint8_t *buf, size_t cap, size_t *got, int timeout_ms)
{
    if (atomic_fetch_add(&stall_reads, 1) == 0) {
        *got = 0;
        return DEVICE_ERR_STALL;
    }
    return burst_read(self, buf, cap, got, timeout_ms);
}

static device_err always_stall_read(void *self, uint8_t *buf, size_t cap, size_t *got,
                                    int timeout_ms)
{
    (void)self;
    (void)buf;
    (void)cap;
    (void)timeout_ms;
    atomic_fetch_add(&stall_reads, 1);
    *got = 0;
    return DEVICE_ERR_STALL;
}

static const device_ops STALLER = {.name = "staller", .cls = DEVICE_SCANNER, .read = stall_read};
static const device_ops ALWAYS_STALLS = {.name = "always-stalls", .cls = DEVICE_SCANNER,
                                         .read = always_stall_read};

static device_err open_staller(void *arg, const devspec *spec, devmgr_link *out, char *why,
                               size_t cap)
{
    device_err e = open_burst(arg, spec, out, why, cap);
    out->ops = &STALLER;
    return e;
}

static device_err open_always_stalls(void *arg, const devspec *spec, devmgr_link *out, char *why,
                                     size_t cap)
{
    device_err e = open_burst(arg, spec, out, why, cap);
    out->ops = &ALWAYS_STALLS;
    return e;
}

static void test_one_stall_keeps_the_device(void **state)
{
    (void)state;
    devmgr_status st = run_scanner(open_staller, 0);
    assert_int_equal(atomic_load(&codes), 1);
    assert_string_equal(code_seen, "69587");
    assert_int_equal(st.opens, 1);     /* never closed and reopened */
    assert_int_equal(st.garbage, 1);   /* the stalled read, counted */
}

/* A device that keeps stalling is closed after the third stall in a row and opened again:
 * the two stalls before it are counted, the third is the close. */
static void test_three_stalls_close_the_device(void **state)
{
    (void)state;
    devmgr_status st = run_scanner(open_always_stalls, 2);
    assert_true(st.opens >= 2);
    assert_true(st.garbage >= 2);      /* not closed on the first stall */
    assert_true(atomic_load(&stall_reads) >= 3);
    assert_int_equal(atomic_load(&codes), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_several_reports_in_one_read),
        cmocka_unit_test(test_one_stall_keeps_the_device),
        cmocka_unit_test(test_three_stalls_close_the_device),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
