/* sim (scanner): the simulated keyboard-emulation scanner (peripherals/scanner/sim.h).  A ring
 * of 8-byte reports under one mutex; the reader waits on a CLOCK_MONOTONIC condition variable.
 * The key of each character is found through bootkbd_char, the decoder's own layout, so the
 * two can never disagree about what a key means. */
#include "peripherals/scanner/sim.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "peripherals/scanner/bootkbd.h"
#include "peripherals/scanner/hidpos.h"

typedef struct {
    uint8_t len;
    uint8_t b[SIM_SCANNER_REPORT_MAX];
} report;

struct sim_scanner {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool plugged, opened;
    bool hidpos;
    size_t report_len;             /* 8 or 64 */
    report q[SIM_SCANNER_QUEUE];
    size_t head, n;
};

sim_scanner *sim_scanner_create(void)
{
    sim_scanner *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->cv, &ca);
    pthread_condattr_destroy(&ca);
    s->plugged = true;
    s->report_len = BOOTKBD_REPORT_LEN;
    return s;
}

sim_scanner *sim_scanner_create_hidpos(void)
{
    sim_scanner *s = sim_scanner_create();
    if (s) {
        s->hidpos = true;
        s->report_len = HIDPOS_REPORT_LEN;
    }
    return s;
}

bool sim_scanner_is_hidpos(sim_scanner *s)
{
    return s->hidpos;
}

void sim_scanner_destroy(sim_scanner *s)
{
    if (!s)
        return;
    pthread_cond_destroy(&s->cv);
    pthread_mutex_destroy(&s->mu);
    free(s);
}

/* The usage and shift of a character (US layout), false when no key types it. */
static bool key_of(char c, uint8_t *usage, bool *shift)
{
    for (int sh = 0; sh < 2; sh++) {
        for (unsigned u = 0x04; u <= 0x38; u++) {
            if (bootkbd_char((uint8_t)u, sh != 0) == c) {
                *usage = (uint8_t)u;
                *shift = sh != 0;
                return true;
            }
        }
    }
    return false;
}

static void push(sim_scanner *s, uint8_t mod, uint8_t usage)
{
    report *r = &s->q[(s->head + s->n) % SIM_SCANNER_QUEUE];
    memset(r, 0, sizeof *r);
    r->len = BOOTKBD_REPORT_LEN;
    r->b[0] = mod;
    r->b[2] = usage;
    s->n++;
}

/* A code as HID POS reports (s->mu held); false when the queue has no room. */
static bool push_hidpos(sim_scanner *s, const char *code, size_t len)
{
    bool digits13 = len == 13 && strspn(code, "0123456789") == 13;
    const char *aim = digits13 ? "]E0" : "]C0";
    size_t n_rep = (len + HIDPOS_MAX_DATA - 1) / HIDPOS_MAX_DATA;
    if (s->n + n_rep > SIM_SCANNER_QUEUE)
        return false;
    for (size_t i = 0; i < n_rep; i++) {
        report *r = &s->q[(s->head + s->n) % SIM_SCANNER_QUEUE];
        memset(r, 0, sizeof *r);
        size_t k = len - i * HIDPOS_MAX_DATA;
        if (k > HIDPOS_MAX_DATA)
            k = HIDPOS_MAX_DATA;
        r->len = HIDPOS_REPORT_LEN;
        r->b[0] = HIDPOS_REPORT_ID;
        r->b[1] = (uint8_t)k;
        memcpy(r->b + 2, aim, 3);
        memcpy(r->b + 5, code + i * HIDPOS_MAX_DATA, k);
        r->b[61] = digits13 ? 'd' : 'j';   /* Honeywell Code ID: EAN-13 / Code 128 */
        r->b[63] = i + 1 < n_rep ? 1 : 0;
        s->n++;
    }
    return true;
}

bool sim_scanner_scan(sim_scanner *s, const char *code)
{
    size_t len = strlen(code);
    if (len == 0)
        return false;
    if (s->hidpos) {
        for (size_t i = 0; i < len; i++) {
            if ((unsigned char)code[i] < 0x20 || (unsigned char)code[i] > 0x7E)
                return false;
        }
        pthread_mutex_lock(&s->mu);
        bool ok = len <= HIDPOS_MAX_CODE && push_hidpos(s, code, len);
        if (ok)
            pthread_cond_broadcast(&s->cv);
        pthread_mutex_unlock(&s->mu);
        return ok;
    }
    uint8_t usage[BOOTKBD_MAX_CODE * 2];
    bool shift[BOOTKBD_MAX_CODE * 2];
    if (len > sizeof usage)
        return false;
    for (size_t i = 0; i < len; i++) {
        if (!key_of(code[i], &usage[i], &shift[i]))
            return false;
    }
    pthread_mutex_lock(&s->mu);
    bool ok = s->n + 2 * (len + 1) <= SIM_SCANNER_QUEUE;
    if (ok) {
        for (size_t i = 0; i < len; i++) {
            push(s, shift[i] ? BOOTKBD_MOD_LSHIFT : 0, usage[i]);
            push(s, 0, 0);   /* released: a repeated character is a new press */
        }
        push(s, 0, 0x28);    /* Enter */
        push(s, 0, 0);
        pthread_cond_broadcast(&s->cv);
    }
    pthread_mutex_unlock(&s->mu);
    return ok;
}

bool sim_scanner_raw(sim_scanner *s, const uint8_t *bytes, size_t len)
{
    size_t rl = s->report_len;
    size_t n_rep = (len + rl - 1) / rl;
    pthread_mutex_lock(&s->mu);
    bool ok = n_rep > 0 && s->n + n_rep <= SIM_SCANNER_QUEUE;
    for (size_t i = 0; ok && i < n_rep; i++) {
        report *r = &s->q[(s->head + s->n) % SIM_SCANNER_QUEUE];
        size_t k = len - i * rl;
        if (k > rl)
            k = rl;
        memset(r, 0, sizeof *r);
        memcpy(r->b, bytes + i * rl, k);
        r->len = (uint8_t)k;
        s->n++;
    }
    if (ok)
        pthread_cond_broadcast(&s->cv);
    pthread_mutex_unlock(&s->mu);
    return ok;
}

void sim_scanner_unplug(sim_scanner *s)
{
    pthread_mutex_lock(&s->mu);
    s->plugged = false;
    s->n = 0;   /* the code in flight is lost with the cable */
    pthread_cond_broadcast(&s->cv);
    pthread_mutex_unlock(&s->mu);
}

void sim_scanner_plug(sim_scanner *s)
{
    pthread_mutex_lock(&s->mu);
    s->plugged = true;
    pthread_cond_broadcast(&s->cv);
    pthread_mutex_unlock(&s->mu);
}

bool sim_scanner_plugged(sim_scanner *s)
{
    pthread_mutex_lock(&s->mu);
    bool p = s->plugged;
    pthread_mutex_unlock(&s->mu);
    return p;
}

static device_err sim_open(void *self, const char *where)
{
    (void)where;
    sim_scanner *s = self;
    pthread_mutex_lock(&s->mu);
    device_err err = s->plugged ? DEVICE_OK : DEVICE_ERR_NOT_FOUND;
    if (err == DEVICE_OK)
        s->opened = true;
    pthread_mutex_unlock(&s->mu);
    return err;
}

static void sim_close(void *self)
{
    sim_scanner *s = self;
    pthread_mutex_lock(&s->mu);
    s->opened = false;
    pthread_mutex_unlock(&s->mu);
}

static device_err sim_read(void *self, uint8_t *buf, size_t cap, size_t *got, int timeout_ms)
{
    sim_scanner *s = self;
    *got = 0;
    if (cap < s->report_len)
        return DEVICE_ERR_IO;
    if (timeout_ms < 0)
        timeout_ms = 100;
    struct timespec dl = device_mono_in((uint64_t)timeout_ms);
    pthread_mutex_lock(&s->mu);
    device_err err = DEVICE_OK;
    for (;;) {
        if (!s->plugged) {
            err = DEVICE_ERR_DISCONNECTED;
            break;
        }
        if (!s->opened) {
            err = DEVICE_ERR_IO;
            break;
        }
        if (s->n > 0) {
            report *r = &s->q[s->head];
            memcpy(buf, r->b, r->len);
            *got = r->len;
            s->head = (s->head + 1) % SIM_SCANNER_QUEUE;
            s->n--;
            break;
        }
        if (timeout_ms == 0 || pthread_cond_timedwait(&s->cv, &s->mu, &dl) != 0)
            break;
    }
    pthread_mutex_unlock(&s->mu);
    return err;
}

const device_ops sim_scanner_ops = {
    .name = "sim",
    .cls = DEVICE_SCANNER,
    .open = sim_open,
    .close = sim_close,
    .read = sim_read,
    .write = NULL,
};
