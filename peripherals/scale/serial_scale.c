/* serial_scale: protocol configuration, the read -> stream -> reading loop and the OS2 poll
 * dialog (peripherals/scale/serial_scale.h).  Owns no I/O of its own: every byte goes through
 * the transport's device_ops. */
#include "peripherals/scale/serial_scale.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static const struct {
    const char *name;
    serial_scale_proto proto;
    xk3190_format fmt;
    bool active;
} PROTOS[] = {
    {"xk3190", SERIAL_SCALE_XK3190, XK3190_STX, false},
    {"xk3190-stx", SERIAL_SCALE_XK3190, XK3190_STX, false},
    {"xk3190-eq", SERIAL_SCALE_XK3190, XK3190_EQ_REV, false},
    {"xk3190-eq-rev", SERIAL_SCALE_XK3190, XK3190_EQ_REV, false},
    {"xk3190-eq-fwd", SERIAL_SCALE_XK3190, XK3190_EQ_FWD, false},
    {"xk3190-a12", SERIAL_SCALE_XK3190, XK3190_A12, false},
    {"stgs", SERIAL_SCALE_STGS, XK3190_STX, false},
    {"os2", SERIAL_SCALE_OS2, XK3190_STX, false},
    {"os2-active", SERIAL_SCALE_OS2, XK3190_STX, true},
};

static const struct {
    const char *name;
    scale_unit unit;
} UNITS[] = {{"g", SCALE_UNIT_G}, {"kg", SCALE_UNIT_KG}, {"lb", SCALE_UNIT_LB}};

bool serial_scale_config_parse(const char *text, serial_scale_config *out, char *why, size_t cap)
{
    if (why && cap)
        why[0] = '\0';
    memset(out, 0, sizeof *out);
    out->unit = SCALE_UNIT_KG;
    out->answer_ms = SERIAL_SCALE_ANSWER_MS;
    if (!text || !*text)
        return device_why(why, cap, "empty scale protocol: want xk3190, xk3190-eq, "
                                    "xk3190-eq-fwd, xk3190-a12, stgs, os2 or os2-active");
    const char *colon = strchr(text, ':');
    size_t nlen = colon ? (size_t)(colon - text) : strlen(text);
    size_t i = 0;
    while (i < sizeof PROTOS / sizeof PROTOS[0] &&
           !(strlen(PROTOS[i].name) == nlen && memcmp(PROTOS[i].name, text, nlen) == 0))
        i++;
    if (i == sizeof PROTOS / sizeof PROTOS[0])
        return device_why(why, cap,
                          "scale protocol \"%.*s\" is not xk3190, xk3190-eq, xk3190-eq-fwd, "
                          "xk3190-a12, stgs, os2 or os2-active",
                          (int)(nlen > 40 ? 40 : nlen), text);
    out->proto = PROTOS[i].proto;
    out->xk_format = PROTOS[i].fmt;
    out->os2_active = PROTOS[i].active;
    if (!colon)
        return true;
    if (out->proto != SERIAL_SCALE_XK3190 || out->xk_format == XK3190_A12)
        return device_why(why, cap, "scale protocol \"%.*s\" carries its unit: drop \"%.20s\"",
                          (int)nlen, text, colon);
    for (size_t u = 0; u < sizeof UNITS / sizeof UNITS[0]; u++)
        if (strcmp(UNITS[u].name, colon + 1) == 0) {
            out->unit = UNITS[u].unit;
            return true;
        }
    return device_why(why, cap, "scale unit \"%.20s\" is not g, kg or lb", colon + 1);
}

void serial_scale_init(serial_scale *s, const serial_scale_config *cfg, const device_ops *ops,
                       void *dev)
{
    memset(s, 0, sizeof *s);
    s->cfg = *cfg;
    if (s->cfg.answer_ms <= 0)
        s->cfg.answer_ms = SERIAL_SCALE_ANSWER_MS;
    s->ops = ops;
    s->dev = dev;
    xk3190_init(&s->xk, cfg->xk_format, cfg->unit);
    stgs_init(&s->stgs);
    os2_init(&s->os2, cfg->os2_active);
}

static int64_t now_ms(void)
{
    return (int64_t)device_mono_ms();
}

typedef enum { EV_NONE = 0, EV_ACK, EV_READING } event;

/* The next event in what was read: feeds the pending bytes as the stream takes them. */
static event drain(serial_scale *s, scale_reading *out)
{
    for (;;) {
        const uint8_t *p = s->pend + s->pend_off;
        size_t left = s->pend_len - s->pend_off;
        switch (s->cfg.proto) {
        case SERIAL_SCALE_XK3190:
            if (xk3190_next(&s->xk, out, NULL, NULL))
                return EV_READING;
            if (!left)
                return EV_NONE;
            s->pend_off += xk3190_feed(&s->xk, p, left);
            break;
        case SERIAL_SCALE_STGS: {
            if (!left)
                return EV_NONE;
            bool got = false;
            s->pend_off += stgs_feed(&s->stgs, p, left, out, &got);
            if (got)
                return EV_READING;
            break;
        }
        case SERIAL_SCALE_OS2: {
            os2_event ev = os2_next(&s->os2, out, NULL, NULL);
            if (ev == OS2_EV_READING)
                return EV_READING;
            if (ev == OS2_EV_ACK)
                return EV_ACK;
            if (!left)
                return EV_NONE;
            s->pend_off += os2_feed(&s->os2, p, left);
            break;
        }
        default:
            return EV_NONE;
        }
    }
}

static bool polled(const serial_scale *s)
{
    return s->cfg.proto == SERIAL_SCALE_OS2 && !s->cfg.os2_active;
}

static device_err ask(serial_scale *s, os2_request req, serial_scale_phase next)
{
    uint8_t b[8];
    size_t n = os2_request_bytes(req, b, sizeof b);
    if (!s->ops->write)
        return DEVICE_ERR_UNSUPPORTED;
    device_err err = s->ops->write(s->dev, b, n, s->cfg.answer_ms);
    if (err != DEVICE_OK)
        return err;
    s->phase = next;
    s->phase_deadline_ms = now_ms() + s->cfg.answer_ms;
    return DEVICE_OK;
}

device_err serial_scale_next(serial_scale *s, scale_reading *out, bool *got, int timeout_ms)
{
    *got = false;
    if (!s->ops || !s->ops->read)
        return DEVICE_ERR_UNSUPPORTED;
    int64_t deadline = now_ms() + (timeout_ms < 0 ? s->cfg.answer_ms : timeout_ms);
    bool have_read = false;   /* timeout 0 still reads once; a flood of garbage ends too */
    for (;;) {
        event ev = drain(s, out);
        if (ev == EV_READING) {
            if (polled(s))
                s->phase = SERIAL_SCALE_IDLE;
            s->readings++;
            *got = true;
            return DEVICE_OK;
        }
        if (ev == EV_ACK) {
            if (polled(s) && s->phase == SERIAL_SCALE_WAIT_ACK) {
                device_err err = ask(s, OS2_REQ_DC1, SERIAL_SCALE_WAIT_FRAME);
                if (err != DEVICE_OK)
                    return err;
            }
            continue;   /* a stray ACK is dropped */
        }
        int64_t now = now_ms();
        if (have_read && now >= deadline)
            return DEVICE_OK;
        if (polled(s)) {
            if (s->phase != SERIAL_SCALE_IDLE && now >= s->phase_deadline_ms) {
                s->unanswered++;
                s->phase = SERIAL_SCALE_IDLE;
            }
            if (s->phase == SERIAL_SCALE_IDLE) {
                device_err err = ask(s, OS2_REQ_ENQ, SERIAL_SCALE_WAIT_ACK);
                if (err != DEVICE_OK)
                    return err;
                s->requests++;
                now = now_ms();
            }
        }
        int64_t left = deadline - now;
        if (polled(s) && s->phase_deadline_ms - now < left)
            left = s->phase_deadline_ms - now;   /* wake to re-ask (within the caller's time) */
        if (left < 0)
            left = 0;
        size_t n = 0;
        device_err err = s->ops->read(s->dev, s->pend, sizeof s->pend, &n, (int)left);
        if (err != DEVICE_OK)
            return err;
        s->pend_off = 0;
        s->pend_len = n;
        have_read = true;
    }
}

device_err serial_scale_zero_tare(serial_scale *s, bool tare, char *why, size_t cap)
{
    const char *what = tare ? "tare" : "zero";
    switch (s->cfg.proto) {
    case SERIAL_SCALE_XK3190:
        device_why(why, cap, "the XK3190 continuous format has no %s command: use the "
                             "indicator's own key", what);
        return DEVICE_ERR_UNSUPPORTED;
    case SERIAL_SCALE_STGS:
        device_why(why, cap, "the ST,GS continuous format has no standard %s command: use the "
                             "scale's own key", what);
        return DEVICE_ERR_UNSUPPORTED;
    case SERIAL_SCALE_OS2:
        break;
    }
    if (!s->ops || !s->ops->write) {
        device_why(why, cap, "this transport cannot send the OS2 %s command", what);
        return DEVICE_ERR_UNSUPPORTED;
    }
    uint8_t b[8];
    size_t n = os2_request_bytes(tare ? OS2_REQ_TARE : OS2_REQ_ZERO, b, sizeof b);
    device_err err = s->ops->write(s->dev, b, n, s->cfg.answer_ms);
    if (err != DEVICE_OK) {
        device_why(why, cap, "cannot send the OS2 %s command: %s", what, device_strerror(err));
        return err;
    }
    device_why(why, cap, "OS2 %s command sent", what);
    return DEVICE_OK;
}
