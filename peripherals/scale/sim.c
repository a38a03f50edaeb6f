/* sim (scale): the simulated HID POS scale (peripherals/scale/sim.h).  One mutex guards the
 * platter; the reader waits on a CLOCK_MONOTONIC condition variable for the next report time
 * or a change. */
#include "peripherals/scale/sim.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct sim_scale {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool plugged, opened;
    sim_scale_mode mode;
    int64_t grams;             /* the load on the platter (gross, before zero and tare) */
    int64_t zero_g, tare_g;    /* subtracted from it: the zero offset, the tare */
    uint32_t motion_ms;
    uint64_t motion_until_ms;
    uint64_t last_report_ms;
    bool changed;              /* report at once */
    unsigned wobble;           /* alternates the motion readings */
};

sim_scale *sim_scale_create(void)
{
    sim_scale *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->cv, &ca);
    pthread_condattr_destroy(&ca);
    s->plugged = true;
    s->motion_ms = SIM_SCALE_MOTION_MS;
    return s;
}

void sim_scale_destroy(sim_scale *s)
{
    if (!s)
        return;
    pthread_cond_destroy(&s->cv);
    pthread_mutex_destroy(&s->mu);
    free(s);
}

static void changed(sim_scale *s)
{
    s->changed = true;
    pthread_cond_broadcast(&s->cv);
}

void sim_scale_set_motion_ms(sim_scale *s, uint32_t ms)
{
    pthread_mutex_lock(&s->mu);
    s->motion_ms = ms;
    pthread_mutex_unlock(&s->mu);
}

void sim_scale_set_weight(sim_scale *s, int64_t grams)
{
    pthread_mutex_lock(&s->mu);
    s->mode = SIM_SCALE_NORMAL;
    s->grams = grams < 0 ? 0 : grams;
    s->motion_until_ms = device_mono_ms() + s->motion_ms;
    changed(s);
    pthread_mutex_unlock(&s->mu);
}

void sim_scale_set_mode(sim_scale *s, sim_scale_mode mode, int64_t grams)
{
    pthread_mutex_lock(&s->mu);
    s->mode = mode;
    if (grams >= 0)
        s->grams = grams;
    changed(s);
    pthread_mutex_unlock(&s->mu);
}

void sim_scale_unplug(sim_scale *s)
{
    pthread_mutex_lock(&s->mu);
    s->plugged = false;
    changed(s);
    pthread_mutex_unlock(&s->mu);
}

void sim_scale_plug(sim_scale *s)
{
    pthread_mutex_lock(&s->mu);
    s->plugged = true;
    changed(s);
    pthread_mutex_unlock(&s->mu);
}

bool sim_scale_plugged(sim_scale *s)
{
    pthread_mutex_lock(&s->mu);
    bool p = s->plugged;
    pthread_mutex_unlock(&s->mu);
    return p;
}

void sim_scale_tare(sim_scale *s)
{
    pthread_mutex_lock(&s->mu);
    s->tare_g = s->grams - s->zero_g;
    changed(s);
    pthread_mutex_unlock(&s->mu);
}

int64_t sim_scale_zero_offset(sim_scale *s)
{
    pthread_mutex_lock(&s->mu);
    int64_t z = s->zero_g;
    pthread_mutex_unlock(&s->mu);
    return z;
}

int64_t sim_scale_tare_grams(sim_scale *s)
{
    pthread_mutex_lock(&s->mu);
    int64_t t = s->tare_g;
    pthread_mutex_unlock(&s->mu);
    return t;
}

/* The report of the platter now (s->mu held). */
static void build_report(sim_scale *s, uint64_t now, uint8_t out[6])
{
    uint8_t status;
    int64_t g = s->grams;
    bool net = s->mode == SIM_SCALE_NORMAL || s->mode == SIM_SCALE_MOTION;
    if (net)
        g -= s->zero_g + s->tare_g;   /* the net weight, below zero once goods came off */
    switch (s->mode) {
    case SIM_SCALE_FAULT:
        status = 0x01;
        break;
    case SIM_SCALE_OVER_CAPACITY:
        status = 0x06;
        break;
    case SIM_SCALE_UNDER_ZERO:
        status = 0x05;
        break;
    case SIM_SCALE_MOTION:
        status = 0x03;
        break;
    case SIM_SCALE_NORMAL:
    default:
        status = now < s->motion_until_ms ? 0x03 : (g == 0 ? 0x02 : 0x04);
        break;
    }
    if (net && g < 0)
        /* Under zero (the sign is the status's: the field is unsigned); moving: no weight. */
        status = status == 0x03 ? 0x03 : 0x05;
    if (status == 0x03 && g < 0)
        g = 0;
    if (status == 0x03 && g > 0) {
        /* A moving platter does not read the same twice. */
        int64_t d = g / 50 + 1;
        g += (s->wobble++ & 1u) ? d : -d;
        if (g < 0)
            g = 0;
    }
    uint8_t unit = 0x02;   /* grams */
    int8_t exp = 0;
    int64_t v = g < 0 ? -g : g;
    if (v > 65535) {
        unit = 0x03;       /* kilograms, 10 g steps */
        exp = -2;
        v = (v + 5) / 10;
        if (v > 65535) {
            status = 0x06;
            v = 0;
        }
    }
    out[0] = 0x03;
    out[1] = status;
    out[2] = unit;
    out[3] = (uint8_t)exp;
    out[4] = (uint8_t)(v & 0xFF);
    out[5] = (uint8_t)((v >> 8) & 0xFF);
}

void sim_scale_report(sim_scale *s, uint8_t out[6])
{
    pthread_mutex_lock(&s->mu);
    build_report(s, device_mono_ms(), out);
    pthread_mutex_unlock(&s->mu);
}

static device_err sim_open(void *self, const char *where)
{
    (void)where;
    sim_scale *s = self;
    pthread_mutex_lock(&s->mu);
    device_err err = s->plugged ? DEVICE_OK : DEVICE_ERR_NOT_FOUND;
    if (err == DEVICE_OK) {
        s->opened = true;
        s->changed = true;   /* the first report at once */
    }
    pthread_mutex_unlock(&s->mu);
    return err;
}

static void sim_close(void *self)
{
    sim_scale *s = self;
    pthread_mutex_lock(&s->mu);
    s->opened = false;
    pthread_mutex_unlock(&s->mu);
}

static device_err sim_read(void *self, uint8_t *buf, size_t cap, size_t *got, int timeout_ms)
{
    sim_scale *s = self;
    *got = 0;
    if (cap < 6)
        return DEVICE_ERR_IO;
    if (timeout_ms < 0)
        timeout_ms = SIM_SCALE_PERIOD_MS;
    uint64_t deadline = device_mono_ms() + (uint64_t)timeout_ms;
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
        uint64_t now = device_mono_ms();
        uint64_t due = s->last_report_ms + SIM_SCALE_PERIOD_MS;
        if (s->changed || now >= due) {
            build_report(s, now, buf);
            *got = 6;
            s->changed = false;
            s->last_report_ms = now;
            break;
        }
        if (now >= deadline)
            break;
        uint64_t until = due < deadline ? due : deadline;
        struct timespec ts = device_mono_in(until - now);
        (void)pthread_cond_timedwait(&s->cv, &s->mu, &ts);
    }
    pthread_mutex_unlock(&s->mu);
    return err;
}

/* Output reports: only the Zero Scale control report `02 02` (with or without the Enforced
 * Zero Return bit 0). */
static device_err sim_write(void *self, const uint8_t *buf, size_t len, int timeout_ms)
{
    (void)timeout_ms;
    sim_scale *s = self;
    pthread_mutex_lock(&s->mu);
    device_err err = DEVICE_OK;
    if (!s->plugged)
        err = DEVICE_ERR_DISCONNECTED;
    else if (!s->opened)
        err = DEVICE_ERR_IO;
    else if (len != 2 || buf[0] != 0x02 || (buf[1] & 0x02) == 0)
        err = DEVICE_ERR_PROTOCOL;
    if (err == DEVICE_OK) {
        s->zero_g = s->grams;
        s->tare_g = 0;
        s->motion_until_ms = 0;   /* a scale zeroes a settled platter */
        changed(s);
    }
    pthread_mutex_unlock(&s->mu);
    return err;
}

const device_ops sim_scale_ops = {
    .name = "sim",
    .cls = DEVICE_SCALE,
    .open = sim_open,
    .close = sim_close,
    .read = sim_read,
    .write = sim_write,
};
