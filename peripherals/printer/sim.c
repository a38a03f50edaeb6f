/* printer/sim: the simulated printer and drawer.  See sim.h.
 *
 * The byte stream is cut into the ESC/POS commands the till sends (escpos.h: ESC @, ESC t n,
 * ESC p m t1 t2, FS & / FS ., GS V m [n], DLE EOT n), whatever the write boundaries, so a
 * status request or a drawer kick split over two writes is still one command; any other byte
 * is text. */
#include "peripherals/printer/sim.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "peripherals/printer/escpos.h"

#define TEXT_CAP (64u * 1024u)
#define REPLY_CAP 16

struct sim_printer {
    pthread_mutex_t mu;
    pthread_cond_t cv;             /* a fault changed: a stalled call looks again */
    char path[DEVSPEC_PATH_CAP];
    bool fault[SIM_PRINTER_FAULT_COUNT];
    uint64_t gen;                  /* bumped by every unplug: an older handle is dead */
    bool is_open;
    uint64_t open_gen;
    int fd;
    bool limit_on;
    size_t limit;                  /* unplug_after: bytes still taken */
    uint8_t cmd[8];                /* the command being received */
    size_t cmd_len, cmd_need;
    size_t skip;                   /* data bytes of the last command still to come (GS k, GS ( k,
                                    * GS v 0): to the file, never read as text */
    uint8_t reply[REPLY_CAP];      /* DLE EOT answers not read yet */
    size_t n_reply;
    char *text;                    /* printed text, TEXT_CAP */
    size_t text_len;
    size_t text_total;
    sim_printer_stats st;
};

sim_printer *sim_printer_create(const char *path)
{
    sim_printer *sp = calloc(1, sizeof *sp);
    if (!sp)
        return NULL;
    sp->text = malloc(TEXT_CAP);
    if (!sp->text) {
        free(sp);
        return NULL;
    }
    snprintf(sp->path, sizeof sp->path, "%s", path ? path : "");
    sp->fd = -1;
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_mutex_init(&sp->mu, NULL);
    pthread_cond_init(&sp->cv, &ca);
    pthread_condattr_destroy(&ca);
    return sp;
}

void sim_printer_destroy(sim_printer *sp)
{
    if (!sp)
        return;
    if (sp->fd >= 0)
        close(sp->fd);
    pthread_cond_destroy(&sp->cv);
    pthread_mutex_destroy(&sp->mu);
    free(sp->text);
    free(sp);
}

const char *sim_printer_path(const sim_printer *sp)
{
    return sp->path;
}

/* under mu */
static void unplug(sim_printer *sp)
{
    sp->fault[SIM_PRINTER_UNPLUGGED] = true;
    sp->gen++;
    sp->n_reply = 0;
    sp->cmd_len = 0;
    sp->skip = 0;
    sp->limit_on = false;
}

void sim_printer_set(sim_printer *sp, sim_printer_fault f, bool on)
{
    if ((unsigned)f >= SIM_PRINTER_FAULT_COUNT)
        return;
    pthread_mutex_lock(&sp->mu);
    if (f == SIM_PRINTER_UNPLUGGED && on)
        unplug(sp);
    else
        sp->fault[f] = on;
    pthread_cond_broadcast(&sp->cv);
    pthread_mutex_unlock(&sp->mu);
}

bool sim_printer_get(sim_printer *sp, sim_printer_fault f)
{
    if ((unsigned)f >= SIM_PRINTER_FAULT_COUNT)
        return false;
    pthread_mutex_lock(&sp->mu);
    bool on = sp->fault[f];
    pthread_mutex_unlock(&sp->mu);
    return on;
}

void sim_printer_unplug_after(sim_printer *sp, size_t n)
{
    pthread_mutex_lock(&sp->mu);
    sp->limit_on = true;
    sp->limit = n;
    pthread_mutex_unlock(&sp->mu);
}

void sim_printer_stats_get(sim_printer *sp, sim_printer_stats *out)
{
    pthread_mutex_lock(&sp->mu);
    *out = sp->st;
    pthread_mutex_unlock(&sp->mu);
}

size_t sim_printer_text(sim_printer *sp, char *out, size_t cap)
{
    pthread_mutex_lock(&sp->mu);
    size_t n = sp->text_len < cap - 1 ? sp->text_len : cap - 1;
    memcpy(out, sp->text + (sp->text_len - n), n);
    out[n] = '\0';
    size_t total = sp->text_total;
    pthread_mutex_unlock(&sp->mu);
    return total;
}

/* ---- the printer's side (under mu) ---- */

static bool offline(const sim_printer *sp)
{
    return sp->fault[SIM_PRINTER_OFFLINE] || sp->fault[SIM_PRINTER_COVER_OPEN] ||
           sp->fault[SIM_PRINTER_PAPER_OUT];
}

/* The DLE EOT n reply, devices.md §4.2: fixed bits 0x12, then the flags of n. */
static uint8_t status_byte(const sim_printer *sp, uint8_t n)
{
    uint8_t b = 0x12;
    switch (n) {
    case 1:
        if (offline(sp))
            b |= 0x08;
        break;
    case 2:
        if (sp->fault[SIM_PRINTER_COVER_OPEN])
            b |= 0x04;
        if (sp->fault[SIM_PRINTER_PAPER_OUT])
            b |= 0x20;
        break;
    case 4:
        if (sp->fault[SIM_PRINTER_PAPER_OUT])
            b |= 0x60 | 0x0C;   /* out is also near end: 0x7E */
        else if (sp->fault[SIM_PRINTER_PAPER_NEAR_END])
            b |= 0x0C;
        break;
    default:
        break;
    }
    return b;
}

static bool can_print(const sim_printer *sp)
{
    return !sp->fault[SIM_PRINTER_PAPER_OUT] && !sp->fault[SIM_PRINTER_COVER_OPEN];
}

static void to_file(sim_printer *sp, const uint8_t *b, size_t n)
{
    if (sp->fd < 0)
        return;
    ssize_t w = write(sp->fd, b, n);
    if (w > 0)
        sp->st.bytes += (uint64_t)w;
}

static void to_text(sim_printer *sp, uint8_t c)
{
    if (sp->text_len == TEXT_CAP) {
        memmove(sp->text, sp->text + TEXT_CAP / 2, TEXT_CAP / 2);
        sp->text_len = TEXT_CAP / 2;
    }
    sp->text[sp->text_len++] = (char)c;
    sp->text_total++;
}

/* How long the command starting with these bytes is (0: not known yet): the commands the
 * receipt executor sends (peripherals/printer/receipt_escpos.h) and the queue's. */
static size_t command_len(const uint8_t *c, size_t have)
{
    if (have < 2)
        return 0;
    switch (c[0]) {
    case ESCPOS_DLE:
        return c[1] == ESCPOS_EOT ? 3 : 2;
    case ESCPOS_ESC:
        return c[1] == 'p' ? 5 : c[1] && strchr("taEd!", c[1]) ? 3 : 2;
    case ESCPOS_GS:
        if (c[1] && strchr("!Hhwf", c[1]))
            return 3;
        if (c[1] == 'k')
            return 4;            /* GS k m n, then n bytes (m >= 65) */
        if (c[1] == '(')
            return 5;            /* GS ( k pL pH, then pL + 256 pH bytes */
        if (c[1] == 'v')
            return 8;            /* GS v 0 m xL xH yL yH, then x * y bytes */
        if (c[1] != 'V')
            return 2;
        if (have < 3)
            return 0;
        return c[2] == 0x41 || c[2] == 0x42 ? 4 : 3;
    default:
        return 2;   /* FS & / FS . */
    }
}

/* The data bytes that follow a complete command header. */
static size_t command_data(const uint8_t *c)
{
    if (c[0] != ESCPOS_GS)
        return 0;
    if (c[1] == 'k')
        return c[2] >= 65 ? c[3] : 0;
    if (c[1] == '(')
        return (size_t)c[3] | (size_t)c[4] << 8;
    if (c[1] == 'v')
        return ((size_t)c[4] | (size_t)c[5] << 8) * ((size_t)c[6] | (size_t)c[7] << 8);
    return 0;
}

static void command(sim_printer *sp)
{
    const uint8_t *c = sp->cmd;
    if (c[0] == ESCPOS_DLE && c[1] == ESCPOS_EOT) {
        sp->st.status_requests++;
        if (sp->n_reply < REPLY_CAP)
            sp->reply[sp->n_reply++] = status_byte(sp, c[2]);
        return;
    }
    if (c[0] == ESCPOS_ESC && c[1] == 'p') {
        sp->st.kicks++;
        to_file(sp, c, sp->cmd_len);
        return;
    }
    if (can_print(sp))
        to_file(sp, c, sp->cmd_len);
    else
        sp->st.dropped += sp->cmd_len;
}

static void take(sim_printer *sp, uint8_t b)
{
    if (sp->skip) {
        sp->skip--;
        if (can_print(sp))
            to_file(sp, &b, 1);
        else
            sp->st.dropped++;
        return;
    }
    if (sp->cmd_len == 0 && b != ESCPOS_DLE && b != ESCPOS_ESC && b != ESCPOS_FS &&
        b != ESCPOS_GS) {
        if (can_print(sp)) {
            to_file(sp, &b, 1);
            to_text(sp, b);
        } else {
            sp->st.dropped++;
        }
        return;
    }
    sp->cmd[sp->cmd_len++] = b;
    size_t need = command_len(sp->cmd, sp->cmd_len);
    if (need && sp->cmd_len >= need) {
        command(sp);
        sp->skip = command_data(sp->cmd);
        sp->cmd_len = 0;
    }
}

static bool dead(const sim_printer *sp)
{
    return sp->fault[SIM_PRINTER_UNPLUGGED] || !sp->is_open || sp->open_gen != sp->gen;
}

/* While stalled (and alive), wait up to timeout_ms; true when still stalled after it. */
static bool stalled(sim_printer *sp, int timeout_ms)
{
    struct timespec until = device_mono_in(timeout_ms < 0 ? 2000u : (uint64_t)timeout_ms);
    while (sp->fault[SIM_PRINTER_STALL] && !dead(sp)) {
        if (pthread_cond_timedwait(&sp->cv, &sp->mu, &until) == ETIMEDOUT)
            break;
    }
    return sp->fault[SIM_PRINTER_STALL] && !dead(sp);
}

/* ---- device_ops ---- */

static device_err sim_open(void *self, const char *where)
{
    (void)where;
    sim_printer *sp = self;
    pthread_mutex_lock(&sp->mu);
    device_err e = DEVICE_OK;
    if (sp->fault[SIM_PRINTER_UNPLUGGED]) {
        e = DEVICE_ERR_NOT_FOUND;
    } else {
        if (sp->fd < 0)
            sp->fd = open(sp->path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
        if (sp->fd < 0) {
            e = errno == EACCES ? DEVICE_ERR_PERMISSION : DEVICE_ERR_IO;
        } else {
            sp->is_open = true;
            sp->open_gen = sp->gen;
            sp->cmd_len = 0;
            sp->skip = 0;
            sp->n_reply = 0;
            sp->st.opens++;
        }
    }
    pthread_mutex_unlock(&sp->mu);
    return e;
}

static void sim_close(void *self)
{
    sim_printer *sp = self;
    pthread_mutex_lock(&sp->mu);
    sp->is_open = false;
    if (sp->fd >= 0)
        close(sp->fd);
    sp->fd = -1;
    pthread_mutex_unlock(&sp->mu);
}

static device_err sim_read(void *self, uint8_t *buf, size_t cap, size_t *got, int timeout_ms)
{
    sim_printer *sp = self;
    *got = 0;
    pthread_mutex_lock(&sp->mu);
    device_err e = DEVICE_OK;
    if (dead(sp)) {
        e = DEVICE_ERR_DISCONNECTED;
    } else if (sp->n_reply == 0 || stalled(sp, timeout_ms)) {
        e = dead(sp) ? DEVICE_ERR_DISCONNECTED : DEVICE_OK;   /* nothing in time */
    } else {
        size_t n = sp->n_reply < cap ? sp->n_reply : cap;
        memcpy(buf, sp->reply, n);
        memmove(sp->reply, sp->reply + n, sp->n_reply - n);
        sp->n_reply -= n;
        *got = n;
    }
    pthread_mutex_unlock(&sp->mu);
    return e;
}

static device_err sim_write(void *self, const uint8_t *buf, size_t len, int timeout_ms)
{
    sim_printer *sp = self;
    pthread_mutex_lock(&sp->mu);
    device_err e = DEVICE_OK;
    if (dead(sp)) {
        e = DEVICE_ERR_DISCONNECTED;
    } else if (stalled(sp, timeout_ms)) {
        e = DEVICE_ERR_TIMEOUT;   /* a stalled printer takes nothing */
    } else if (dead(sp)) {
        e = DEVICE_ERR_DISCONNECTED;
    } else {
        size_t n = len;
        bool cut = sp->limit_on && sp->limit < len;
        if (cut)
            n = sp->limit;
        else if (sp->limit_on)
            sp->limit -= len;
        for (size_t i = 0; i < n; i++)
            take(sp, buf[i]);
        if (cut) {
            unplug(sp);
            pthread_cond_broadcast(&sp->cv);
            e = DEVICE_ERR_DISCONNECTED;
        }
    }
    pthread_mutex_unlock(&sp->mu);
    return e;
}

const device_ops sim_printer_ops = {
    .name = "sim",
    .cls = DEVICE_PRINTER,
    .open = sim_open,
    .close = sim_close,
    .read = sim_read,
    .write = sim_write,
};

device_err sim_printer_opener(void *arg, const devspec *spec, const device_ops **ops,
                              void **self, char *name, size_t name_cap, char *why,
                              size_t why_cap)
{
    (void)spec;
    sim_printer *sp = arg;
    device_err e = sim_printer_ops.open(sp, NULL);
    if (e != DEVICE_OK) {
        (void)device_why(why, why_cap, "%s", e == DEVICE_ERR_NOT_FOUND
                                                  ? "the simulated printer is unplugged"
                                                  : sp->path);
        return e;
    }
    *ops = &sim_printer_ops;
    *self = sp;
    snprintf(name, name_cap, "sim printer");
    return DEVICE_OK;
}
