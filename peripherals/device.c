/* device: names, error texts and the state transition of the shared device model
 * (peripherals/device.h).  Pure: no I/O. */
#include "peripherals/device.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *device_class_name(device_class cls)
{
    switch (cls) {
    case DEVICE_SCALE: return "scale";
    case DEVICE_SCANNER: return "scanner";
    case DEVICE_PRINTER: return "printer";
    case DEVICE_DRAWER: return "drawer";
    case DEVICE_CLASS_COUNT: break;
    }
    return "unknown";
}

const char *device_state_name(device_state state)
{
    switch (state) {
    case DEVICE_CLOSED: return "closed";
    case DEVICE_OPEN: return "open";
    case DEVICE_CLAIMED: return "claimed";
    case DEVICE_ENABLED: return "enabled";
    case DEVICE_ERROR: return "error";
    }
    return "unknown";
}

const char *device_strerror(device_err err)
{
    switch (err) {
    case DEVICE_OK: return "ok";
    case DEVICE_ERR_NOT_FOUND: return "device not found";
    case DEVICE_ERR_PERMISSION: return "permission denied on the device node";
    case DEVICE_ERR_BUSY: return "device busy (claimed by another program or driver)";
    case DEVICE_ERR_DISCONNECTED: return "device disconnected";
    case DEVICE_ERR_TIMEOUT: return "device timed out";
    case DEVICE_ERR_STALL: return "device endpoint stalled";
    case DEVICE_ERR_PROTOCOL: return "device sent data that is not its protocol";
    case DEVICE_ERR_IO: return "device input/output error";
    case DEVICE_ERR_NO_MEMORY: return "out of memory";
    case DEVICE_ERR_UNSUPPORTED: return "device or operation not supported";
    }
    return "unknown device error";
}

size_t device_error_text(device_err err, const char *hint, char *out, size_t cap)
{
    const char *text = device_strerror(err);
    int n;
    if (!hint || !*hint)
        n = snprintf(out, cap, "%s", text);
    else if (err == DEVICE_ERR_PERMISSION)
        n = snprintf(out, cap, "%s: install %s into /etc/udev/rules.d/ and replug", text, hint);
    else
        n = snprintf(out, cap, "%s (%s)", text, hint);
    return n < 0 ? 0 : (size_t)n;
}

bool device_why(char *why, size_t cap, const char *fmt, ...)
{
    if (why && cap) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(why, cap, fmt, ap);
        va_end(ap);
    }
    return false;
}

void device_init(device *d, const device_ops *ops, void *self, const char *name)
{
    memset(d, 0, sizeof *d);
    d->ops = ops;
    d->self = self;
    d->state = DEVICE_CLOSED;
    d->err = DEVICE_OK;
    if (name)
        snprintf(d->name, sizeof d->name, "%s", name);
}

bool device_set_state(device *d, device_state state, device_err err, device_state_cb cb,
                      void *arg)
{
    if (state != DEVICE_ERROR)
        err = DEVICE_OK;
    if (d->state == state && d->err == err)
        return false;
    d->state = state;
    d->err = err;
    if (cb)
        cb(arg, d->ops ? d->ops->cls : DEVICE_CLASS_COUNT, state, err, d->name);
    return true;
}

uint64_t device_mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

struct timespec device_mono_in(uint64_t ms)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    t.tv_sec += (time_t)(ms / 1000u);
    t.tv_nsec += (long)(ms % 1000u) * 1000000L;
    if (t.tv_nsec >= 1000000000L) {
        t.tv_sec++;
        t.tv_nsec -= 1000000000L;
    }
    return t;
}
