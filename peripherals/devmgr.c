/* devmgr: the input devices' thread -- open through the caller's openers, read, decode, post
 * (peripherals/devmgr.h).  Everything in a slot is the thread's own, except the published
 * status (pub), which devmgr_get_status reads under the mutex. */
#include "peripherals/devmgr.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "peripherals/scale/hidscale.h"
#include "peripherals/scale/serial_scale.h"
#include "peripherals/scanner/bootkbd.h"
#include "peripherals/scanner/hidpos.h"

/* Reads of one device per pass that find bytes already there, before the next device's turn:
 * a 13-digit scan is 28 boot keyboard reports, so this drains several whole codes. */
#define DRAIN_MAX 256
#define READ_BUF 512

typedef struct {
    device_class cls;
    devspec spec;
    bool managed;
    device dev;                    /* state machine + name */
    bool open;
    devmgr_link link;
    const devmgr_opener *opener;   /* the one that opened it */
    uint64_t next_try_ms;
    uint32_t backoff_ms;
    /* codecs */
    serial_scale ss;
    bootkbd kb;
    hidpos hp;
    scale_stable st;
    uint64_t last_report_ms;       /* when bytes last came (a keyboard code's timeout) */
    bool posted;                   /* a weight was posted since the open */
    int stalls;                    /* STALLs in a row (usb.c cleared the halt after each) */
    scale_stable_verdict last_verdict;
    int64_t last_grams;
    devmgr_status pub;             /* under m->mu */
} slot;

struct devmgr {
    devmgr_config cfg;
    slot s[DEVMGR_CLASSES];
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool stop, nudged;
    devmgr_scale_cmd cmds[DEVMGR_SCALE_QUEUE];   /* scale commands waiting, under mu */
    size_t n_cmds;
};

static const device_ops CLASS_OPS[DEVMGR_CLASSES] = {
    {.name = "devmgr", .cls = DEVICE_SCALE},
    {.name = "devmgr", .cls = DEVICE_SCANNER},
};

const char *devmgr_codec_name(devmgr_codec codec)
{
    switch (codec) {
    case DEVMGR_CODEC_HIDSCALE: return "hidscale";
    case DEVMGR_CODEC_SERIAL_SCALE: return "serial-scale";
    case DEVMGR_CODEC_BOOTKBD: return "bootkbd";
    case DEVMGR_CODEC_HIDPOS_SCANNER: return "hidpos";
    }
    return "unknown";
}

const char *devmgr_scale_cmd_name(devmgr_scale_cmd cmd)
{
    switch (cmd) {
    case DEVMGR_SCALE_ZERO: return "zero";
    case DEVMGR_SCALE_TARE: return "tare";
    }
    return "unknown";
}

void devmgr_config_init(devmgr_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    for (int i = 0; i < DEVMGR_CLASSES; i++) {
        (void)devspec_parse((device_class)i, "none", &cfg->spec[i], NULL, 0);
    }
    cfg->stable.hold_ms = SCALE_STABLE_DEFAULT_HOLD_MS;
    cfg->stable.tolerance_g = SCALE_STABLE_DEFAULT_TOLERANCE_G;
    cfg->stable.max_gap_ms = SCALE_STABLE_DEFAULT_MAX_GAP_MS;
    cfg->stable.min_g = SCALE_STABLE_DEFAULT_MIN_G;
    cfg->read_ms = DEVMGR_DEFAULT_READ_MS;
    cfg->slice_ms = DEVMGR_DEFAULT_SLICE_MS;
}

/* ---- published status ---- */

static void publish(devmgr *m, slot *s)
{
    pthread_mutex_lock(&m->mu);
    s->pub.state = s->dev.state;
    s->pub.err = s->dev.state == DEVICE_ERROR ? s->dev.err : s->pub.err;
    snprintf(s->pub.name, sizeof s->pub.name, "%s", s->dev.name);
    pthread_mutex_unlock(&m->mu);
}

static void count(devmgr *m, uint64_t *field)
{
    pthread_mutex_lock(&m->mu);
    (*field)++;
    pthread_mutex_unlock(&m->mu);
}

static void set_state(devmgr *m, slot *s, device_state state, device_err err)
{
    device_set_state(&s->dev, state, err, m->cfg.on_state, m->cfg.arg);
    publish(m, s);
}

/* ---- open and close ---- */

static void close_slot(devmgr *m, slot *s, device_err err, const char *why)
{
    if (s->open && s->opener && s->opener->close) {
        s->opener->close(s->opener->arg, &s->link);
    }
    s->open = false;
    scale_stable_reset(&s->st);
    s->posted = false;
    pthread_mutex_lock(&m->mu);
    s->pub.err = err;
    snprintf(s->pub.why, sizeof s->pub.why, "%s", why ? why : device_strerror(err));
    pthread_mutex_unlock(&m->mu);
    s->backoff_ms = DEVMGR_BACKOFF_FIRST_MS;
    s->next_try_ms = device_mono_ms() + s->backoff_ms;
    set_state(m, s, DEVICE_ERROR, err);
}

/* Prepare the codec of a freshly opened link; false with why when its configuration is bad. */
static bool start_codec(slot *s, char *why, size_t cap)
{
    switch (s->link.codec) {
    case DEVMGR_CODEC_SERIAL_SCALE: {
        serial_scale_config sc;
        if (!serial_scale_config_parse(s->spec.proto[0] ? s->spec.proto : "xk3190", &sc, why, cap))
            return false;
        serial_scale_init(&s->ss, &sc, s->link.ops, s->link.self);
        return true;
    }
    case DEVMGR_CODEC_BOOTKBD:
        bootkbd_init(&s->kb);
        return true;
    case DEVMGR_CODEC_HIDPOS_SCANNER:
        hidpos_init(&s->hp);
        return true;
    case DEVMGR_CODEC_HIDSCALE:
        return true;
    }
    return device_why(why, cap, "unknown codec %d", (int)s->link.codec);
}

static void try_open(devmgr *m, slot *s)
{
    char why[DEVMGR_WHY_CAP] = "";
    device_err err = DEVICE_ERR_UNSUPPORTED;
    bool any = false, all_not_found = true;
    for (size_t i = 0; i < m->cfg.n_openers; i++) {
        const devmgr_opener *o = &m->cfg.openers[i];
        if (o->cls != s->cls || o->kind != s->spec.kind || !o->open)
            continue;
        any = true;
        devmgr_link link;
        memset(&link, 0, sizeof link);
        char w[DEVMGR_WHY_CAP] = "";
        err = o->open(o->arg, &s->spec, &link, w, sizeof w);
        if (err == DEVICE_OK) {
            s->link = link;
            s->opener = o;
            if (!start_codec(s, w, sizeof w)) {
                if (o->close)
                    o->close(o->arg, &s->link);
                err = DEVICE_ERR_UNSUPPORTED;
                all_not_found = false;
                snprintf(why, sizeof why, "%s", w);
                break;
            }
            s->open = true;
            s->backoff_ms = DEVMGR_BACKOFF_FIRST_MS;
            scale_stable_init(&s->st, &m->cfg.stable);
            s->posted = false;
            snprintf(s->dev.name, sizeof s->dev.name, "%s", link.name);
            pthread_mutex_lock(&m->mu);
            s->pub.err = DEVICE_OK;
            s->pub.why[0] = '\0';
            s->pub.hint = o->hint;
            s->pub.codec = link.codec;
            pthread_mutex_unlock(&m->mu);
            set_state(m, s, DEVICE_ENABLED, DEVICE_OK);
            /* Counted after the state is published: a reader that sees the attempt counted
             * sees its outcome too (`devices` waits on the counters). */
            count(m, &s->pub.opens);
            return;
        }
        all_not_found = all_not_found && err == DEVICE_ERR_NOT_FOUND;
        snprintf(why, sizeof why, "%s", w[0] ? w : device_strerror(err));
        pthread_mutex_lock(&m->mu);
        s->pub.hint = o->hint;
        pthread_mutex_unlock(&m->mu);
    }
    if (!any && s->spec.kind == DEVSPEC_AUTO) {
        /* Nothing to detect with: stay closed, quietly, and look again only when nudged. */
        s->next_try_ms = UINT64_MAX;
        return;
    }
    if (any && all_not_found && s->spec.kind == DEVSPEC_AUTO && s->dev.state == DEVICE_CLOSED) {
        /* Detection found nothing (every row said so): that is no error -- a till without a
         * USB scanner scans through the keyboard wedge -- so the class stays closed, quietly,
         * and is looked for again with the backoff (and at once when nudged: hotplug).  A
         * device that was there and went away is in ERROR and stays so until it is back. */
        pthread_mutex_lock(&m->mu);
        s->pub.err = err;
        snprintf(s->pub.why, sizeof s->pub.why, "%s", why);
        pthread_mutex_unlock(&m->mu);
        s->next_try_ms = device_mono_ms() + s->backoff_ms;
        s->backoff_ms = s->backoff_ms * 2 > DEVMGR_BACKOFF_MAX_MS ? DEVMGR_BACKOFF_MAX_MS
                                                                 : s->backoff_ms * 2;
        count(m, &s->pub.open_failures);
        return;
    }
    if (!any) {
        snprintf(why, sizeof why, "no %s opener for a %s in this build",
                 devspec_kind_name(s->spec.kind), device_class_name(s->cls));
    }
    pthread_mutex_lock(&m->mu);
    s->pub.err = err;
    snprintf(s->pub.why, sizeof s->pub.why, "%s", why);
    pthread_mutex_unlock(&m->mu);
    s->next_try_ms = device_mono_ms() + s->backoff_ms;
    s->backoff_ms = s->backoff_ms * 2 > DEVMGR_BACKOFF_MAX_MS ? DEVMGR_BACKOFF_MAX_MS
                                                             : s->backoff_ms * 2;
    if (!s->dev.name[0])
        devspec_format(&s->spec, s->dev.name, sizeof s->dev.name);
    set_state(m, s, DEVICE_ERROR, err);
    count(m, &s->pub.open_failures);   /* after the outcome is published, as above */
}

/* ---- decoding ---- */

static void on_reading(devmgr *m, slot *s, const scale_reading *r)
{
    count(m, &s->pub.readings);
    int64_t grams = 0;
    scale_stable_verdict v = scale_stable_feed(&s->st, r, device_mono_ms(), &grams);
    switch (v) {
    case SCALE_STABLE_READY:
        break;
    case SCALE_STABLE_SETTLING:
    case SCALE_STABLE_MOTION:
    case SCALE_STABLE_UNDER_ZERO:
        grams = r->grams;   /* shown (never priced): the panel follows the platter */
        break;
    case SCALE_STABLE_EMPTY:
    case SCALE_STABLE_OVER_CAPACITY:
    case SCALE_STABLE_FAULT:
        grams = 0;          /* nothing meaningful to show */
        break;
    }
    if (s->posted && v == s->last_verdict && grams == s->last_grams)
        return;
    s->posted = true;
    s->last_verdict = v;
    s->last_grams = grams;
    if (m->cfg.on_weight)
        m->cfg.on_weight(m->cfg.arg, grams, v);
}

static void on_code(devmgr *m, slot *s, const char *code, size_t len)
{
    count(m, &s->pub.codes);
    if (m->cfg.on_code)
        m->cfg.on_code(m->cfg.arg, code, len);
}

/* A read that stalls this many times in a row closes the device (reopened with the backoff). */
#define DEVMGR_STALLS_BEFORE_CLOSE 3

/* Decode one report (not the serial scale: it reads for itself). */
static void decode_one(devmgr *m, slot *s, const uint8_t *buf, size_t n)
{
    switch (s->link.codec) {
    case DEVMGR_CODEC_HIDSCALE: {
        scale_reading r;
        if (hidscale_parse(buf, n, &r) == HIDSCALE_OK)
            on_reading(m, s, &r);
        else
            count(m, &s->pub.garbage);
        break;
    }
    case DEVMGR_CODEC_BOOTKBD: {
        bootkbd_event ev[BOOTKBD_MAX_EVENTS];
        size_t n_ev = 0;
        if (bootkbd_parse(&s->kb, buf, n, ev, &n_ev) != BOOTKBD_OK)
            count(m, &s->pub.garbage);
        for (size_t i = 0; i < n_ev; i++) {
            if (ev[i].kind == BOOTKBD_EV_CODE)
                on_code(m, s, ev[i].code, ev[i].len);
            else
                count(m, &s->pub.garbage);
        }
        break;
    }
    case DEVMGR_CODEC_HIDPOS_SCANNER: {
        hidpos_code out;
        bool done = false;
        if (hidpos_parse(&s->hp, buf, n, &out, &done) != HIDPOS_OK)
            count(m, &s->pub.garbage);
        else if (done)
            on_code(m, s, out.code, out.len);
        break;
    }
    case DEVMGR_CODEC_SERIAL_SCALE:
        break;
    }
}

/* The size of one report of a codec that reads whole reports (0: a stream, or any size). */
static size_t report_size(devmgr_codec codec)
{
    switch (codec) {
    case DEVMGR_CODEC_BOOTKBD: return 8;
    case DEVMGR_CODEC_HIDPOS_SCANNER: return 64;
    case DEVMGR_CODEC_HIDSCALE: return 6;
    case DEVMGR_CODEC_SERIAL_SCALE: return 0;
    }
    return 0;
}

/* What one read gave.  A transport that returns several reports at once (a bulk or interrupt
 * read with room for more than one packet) is split into reports, so none is lost; anything
 * that is not a whole number of reports goes to the codec as it is (it decides: a HID scale
 * report may carry a leading report-id byte). */
static void decode(devmgr *m, slot *s, const uint8_t *buf, size_t n)
{
    size_t r = report_size(s->link.codec);
    if (r > 0 && n > r && n % r == 0) {
        for (size_t off = 0; off < n; off += r)
            decode_one(m, s, buf + off, r);
        return;
    }
    decode_one(m, s, buf, n);
}

/* What a serial scale's stream parsers threw away: bytes skipped, bad frames, bad lines. */
static uint64_t serial_garbage(const serial_scale *ss)
{
    return ss->xk.bad_checksum + ss->xk.skipped + ss->stgs.rejected + ss->os2.bad_checksum +
           ss->os2.skipped;
}

/* Read what the device has within timeout_ms, then drain what is already there.  False when
 * the device was closed on an error. */
static bool service(devmgr *m, slot *s, int timeout_ms)
{
    uint8_t buf[READ_BUF];
    for (int i = 0; i < DRAIN_MAX; i++) {
        int t = i == 0 ? timeout_ms : 0;
        device_err err;
        bool got = false;
        if (s->link.codec == DEVMGR_CODEC_SERIAL_SCALE) {
            scale_reading r;
            uint64_t garbage_before = serial_garbage(&s->ss);
            err = serial_scale_next(&s->ss, &r, &got, t);
            uint64_t garbage_after = serial_garbage(&s->ss);
            if (garbage_after != garbage_before) {
                pthread_mutex_lock(&m->mu);
                s->pub.garbage += garbage_after - garbage_before;
                pthread_mutex_unlock(&m->mu);
            }
            if (err == DEVICE_OK && got) {
                count(m, &s->pub.reports);
                on_reading(m, s, &r);
            }
        } else {
            size_t n = 0;
            err = s->link.ops->read(s->link.self, buf, sizeof buf, &n, t);
            if (err == DEVICE_OK && n > 0) {
                got = true;
                count(m, &s->pub.reports);
                decode(m, s, buf, n);
            }
        }
        if (err == DEVICE_ERR_TIMEOUT)
            err = DEVICE_OK;   /* a read timeout is not an error by itself */
        if (got) {
            s->last_report_ms = device_mono_ms();
        } else if (err == DEVICE_OK && s->link.codec == DEVMGR_CODEC_BOOTKBD &&
                   bootkbd_pending(&s->kb) > 0 &&
                   device_mono_ms() - s->last_report_ms > DEVMGR_CODE_TIMEOUT_MS) {
            /* A code that never got its Enter (a scanner without a suffix, a lost report):
             * dropped, so its characters cannot join the next scan into another product. */
            bootkbd_reset(&s->kb);
            count(m, &s->pub.garbage);
        }
        if (err == DEVICE_ERR_STALL && ++s->stalls < DEVMGR_STALLS_BEFORE_CLOSE) {
            /* The transport cleared the halt: the next read may work (a report is lost,
             * counted).  Only a device that keeps stalling is closed and reopened. */
            count(m, &s->pub.garbage);
            return true;
        }
        if (err != DEVICE_OK) {
            char why[DEVMGR_WHY_CAP];
            snprintf(why, sizeof why, "read: %s", device_strerror(err));
            s->stalls = 0;
            close_slot(m, s, err, why);
            return false;
        }
        s->stalls = 0;
        if (!got)
            return true;
        pthread_mutex_lock(&m->mu);
        bool stop = m->stop;
        pthread_mutex_unlock(&m->mu);
        if (stop)
            return true;
    }
    return true;
}

/* ---- scale commands ---- */

/* One scale command on the open scale (the manager's thread); the outcome in why. */
static device_err scale_command(slot *s, devmgr_scale_cmd cmd, char *why, size_t cap)
{
    const char *what = devmgr_scale_cmd_name(cmd);
    if (!s->managed || !s->open) {
        device_why(why, cap, "no scale is connected");
        return DEVICE_ERR_NOT_FOUND;
    }
    if (s->link.scale_command) {
        device_err err = s->link.scale_command(s->link.self, cmd, why, cap);
        if (err != DEVICE_ERR_UNSUPPORTED)
            return err;
    }
    switch (s->link.codec) {
    case DEVMGR_CODEC_HIDSCALE: {
        if (cmd == DEVMGR_SCALE_TARE) {
            device_why(why, cap, "a HID POS scale has no tare command (the usage tables define "
                                 "none): tare on the scale's own key");
            return DEVICE_ERR_UNSUPPORTED;
        }
        uint8_t rep[2];
        size_t n = hidscale_zero_report(rep, sizeof rep);
        if (!s->link.ops->write) {
            device_why(why, cap, "%s takes no output report: zero on the scale's own key",
                       s->link.name);
            return DEVICE_ERR_UNSUPPORTED;
        }
        device_err err = s->link.ops->write(s->link.self, rep, n, -1);
        if (err != DEVICE_OK)
            device_why(why, cap, "%s: cannot send the Zero Scale report: %s", s->link.name,
                       device_strerror(err));
        else
            device_why(why, cap, "Zero Scale report sent to %s", s->link.name);
        return err;
    }
    case DEVMGR_CODEC_SERIAL_SCALE:
        return serial_scale_zero_tare(&s->ss, cmd == DEVMGR_SCALE_TARE, why, cap);
    case DEVMGR_CODEC_BOOTKBD:
    case DEVMGR_CODEC_HIDPOS_SCANNER:
        break;
    }
    device_why(why, cap, "%s cannot %s", s->link.name, what);
    return DEVICE_ERR_UNSUPPORTED;
}

/* Run the queued scale commands (the manager's thread), each answered through the callback. */
static void run_commands(devmgr *m)
{
    for (;;) {
        pthread_mutex_lock(&m->mu);
        if (m->n_cmds == 0) {
            pthread_mutex_unlock(&m->mu);
            return;
        }
        devmgr_scale_cmd cmd = m->cmds[0];
        memmove(m->cmds, m->cmds + 1, (m->n_cmds - 1) * sizeof m->cmds[0]);
        m->n_cmds--;
        pthread_mutex_unlock(&m->mu);
        char why[DEVMGR_WHY_CAP] = "";
        device_err err = scale_command(&m->s[DEVICE_SCALE], cmd, why, sizeof why);
        if (m->cfg.on_scale_command)
            m->cfg.on_scale_command(m->cfg.arg, cmd, err, why);
    }
}

device_err devmgr_scale_command(devmgr *m, devmgr_scale_cmd cmd)
{
    if (!m)
        return DEVICE_ERR_NOT_FOUND;
    pthread_mutex_lock(&m->mu);
    device_err err = DEVICE_ERR_BUSY;
    if (m->n_cmds < DEVMGR_SCALE_QUEUE) {
        m->cmds[m->n_cmds++] = cmd;
        err = DEVICE_OK;
        pthread_cond_signal(&m->cv);
    }
    pthread_mutex_unlock(&m->mu);
    return err;
}

/* ---- the thread ---- */

static void wait_until(devmgr *m, uint64_t deadline_ms)
{
    pthread_mutex_lock(&m->mu);
    while (!m->stop && !m->nudged && m->n_cmds == 0) {
        uint64_t now = device_mono_ms();
        if (now >= deadline_ms)
            break;
        struct timespec ts = device_mono_in(deadline_ms - now);
        if (pthread_cond_timedwait(&m->cv, &m->mu, &ts) == ETIMEDOUT)
            break;
    }
    pthread_mutex_unlock(&m->mu);
}

static void *run(void *arg)
{
    devmgr *m = arg;
    for (;;) {
        pthread_mutex_lock(&m->mu);
        bool stop = m->stop, nudged = m->nudged;
        m->nudged = false;
        pthread_mutex_unlock(&m->mu);
        if (stop)
            break;
        uint64_t now = device_mono_ms();
        int n_open = 0;
        uint64_t next = now + 1000;   /* at least once a second around the loop */
        for (int i = 0; i < DEVMGR_CLASSES; i++) {
            slot *s = &m->s[i];
            if (!s->managed)
                continue;
            if (!s->open && (nudged || now >= s->next_try_ms)) {
                if (nudged)
                    s->backoff_ms = DEVMGR_BACKOFF_FIRST_MS;
                try_open(m, s);
            }
            if (s->open)
                n_open++;
            else if (s->next_try_ms < next)
                next = s->next_try_ms;
        }
        run_commands(m);   /* after the opens: a command right after start finds the scale */
        if (n_open == 0) {
            wait_until(m, next);
            continue;
        }
        /* With both open the scanner's read is the one that waits (a scan wakes it at once)
         * and the scale is polled between waits: a scan never queues behind the scale's read,
         * and the scale's ~10 Hz readings wait at most slice_ms. */
        int timeout = n_open > 1 ? m->cfg.slice_ms : m->cfg.read_ms;
        now = device_mono_ms();
        if (next > now && next - now < (uint64_t)timeout)
            timeout = (int)(next - now);
        else if (next <= now)
            timeout = 0;
        for (int i = 0; i < DEVMGR_CLASSES; i++) {
            if (m->s[i].open)
                (void)service(m, &m->s[i], n_open > 1 && i == DEVICE_SCALE ? 0 : timeout);
        }
    }
    for (int i = 0; i < DEVMGR_CLASSES; i++) {
        slot *s = &m->s[i];
        if (s->open && s->opener && s->opener->close)
            s->opener->close(s->opener->arg, &s->link);
        s->open = false;
    }
    return NULL;
}

devmgr *devmgr_start(const devmgr_config *cfg, char *why, size_t cap)
{
    devmgr *m = calloc(1, sizeof *m);
    if (!m) {
        device_why(why, cap, "out of memory");
        return NULL;
    }
    m->cfg = *cfg;
    if (m->cfg.read_ms <= 0)
        m->cfg.read_ms = DEVMGR_DEFAULT_READ_MS;
    if (m->cfg.slice_ms <= 0)
        m->cfg.slice_ms = DEVMGR_DEFAULT_SLICE_MS;
    for (int i = 0; i < DEVMGR_CLASSES; i++) {
        slot *s = &m->s[i];
        s->cls = (device_class)i;
        s->spec = cfg->spec[i];
        s->spec.cls = (device_class)i;
        s->managed = s->spec.kind != DEVSPEC_NONE;
        /* device_set_state names the class from the ops: the slot's own, whatever the
         * opener's table says. */
        device_init(&s->dev, &CLASS_OPS[i], NULL, NULL);
        s->backoff_ms = DEVMGR_BACKOFF_FIRST_MS;
        s->next_try_ms = 0;
        s->pub.managed = s->managed;
        s->pub.spec = s->spec;
        s->pub.state = DEVICE_CLOSED;
        scale_stable_init(&s->st, &m->cfg.stable);
    }
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_mutex_init(&m->mu, NULL);
    pthread_cond_init(&m->cv, &ca);
    pthread_condattr_destroy(&ca);
    int rc = pthread_create(&m->thread, NULL, run, m);
    if (rc != 0) {
        device_why(why, cap, "cannot start the device thread: %s", strerror(rc));
        pthread_cond_destroy(&m->cv);
        pthread_mutex_destroy(&m->mu);
        free(m);
        return NULL;
    }
    return m;
}

void devmgr_nudge(devmgr *m)
{
    if (!m)
        return;
    pthread_mutex_lock(&m->mu);
    m->nudged = true;
    pthread_cond_signal(&m->cv);
    pthread_mutex_unlock(&m->mu);
}

void devmgr_stop(devmgr *m)
{
    if (!m)
        return;
    pthread_mutex_lock(&m->mu);
    m->stop = true;
    pthread_cond_signal(&m->cv);
    pthread_mutex_unlock(&m->mu);
    pthread_join(m->thread, NULL);
    pthread_cond_destroy(&m->cv);
    pthread_mutex_destroy(&m->mu);
    free(m);
}

void devmgr_get_status(devmgr *m, device_class cls, devmgr_status *out)
{
    memset(out, 0, sizeof *out);
    if (!m || (int)cls < 0 || (int)cls >= DEVMGR_CLASSES)
        return;
    pthread_mutex_lock(&m->mu);
    *out = m->s[cls].pub;
    pthread_mutex_unlock(&m->mu);
}
