/* device: the model every peripheral shares -- its class, its state, its errors and the ops
 * table a transport fills (issue #9; docs house.md point 4).
 *
 * A transport (usb.c, serial.c, sim.c in each class folder, later slices) is a device_ops table
 * plus its own state behind `self`; the device manager holds device values, moves them through
 * device_state and tells the app about every change through a device_state_cb -- peripherals/
 * never includes pos/app, so the callback is the only way out.  Codecs (scale/hidscale, scanner/,
 * printer/) know nothing of this file: bytes in, readings out.
 *
 * Nothing here does I/O: names, strerror, the refusal sentence, the transition helper. */
#ifndef FUPIN_PERIPHERALS_DEVICE_H
#define FUPIN_PERIPHERALS_DEVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

typedef enum {
    DEVICE_SCALE = 0,
    DEVICE_SCANNER,
    DEVICE_PRINTER,
    DEVICE_DRAWER,          /* behind the printer (ESC p), but shown and failing on its own */
    DEVICE_CLASS_COUNT,
} device_class;

/* The life of one device, after UnifiedPOS: closed -> open (the node is ours) -> claimed (the
 * interface is ours: kernel driver detached, tty configured) -> enabled (readings flow).  Error
 * is where a device lands after a failure it will be retried from (the manager's backoff). */
typedef enum {
    DEVICE_CLOSED = 0,
    DEVICE_OPEN,
    DEVICE_CLAIMED,
    DEVICE_ENABLED,
    DEVICE_ERROR,
} device_state;

typedef enum {
    DEVICE_OK = 0,
    DEVICE_ERR_NOT_FOUND,      /* no such device (not plugged in, wrong path in the config) */
    DEVICE_ERR_PERMISSION,     /* the node exists but is not ours: the udev rule is missing */
    DEVICE_ERR_BUSY,           /* claimed by another process or a kernel driver we may not detach */
    DEVICE_ERR_DISCONNECTED,   /* unplugged while open */
    DEVICE_ERR_TIMEOUT,        /* no answer in time (a read timeout is not an error by itself) */
    DEVICE_ERR_STALL,          /* the endpoint stalled (USB) */
    DEVICE_ERR_PROTOCOL,       /* bytes came but made no sense: garbage, wrong protocol or baud */
    DEVICE_ERR_IO,             /* any other I/O failure */
    DEVICE_ERR_NO_MEMORY,
    DEVICE_ERR_UNSUPPORTED,    /* the device or the operation is not one we drive */
} device_err;

/* English names and texts; the screen's words live in pos/app/i18n.c. */
const char *device_class_name(device_class cls);      /* "scale", "scanner", ... */
const char *device_state_name(device_state state);    /* "closed", "open", ... */
const char *device_strerror(device_err err);

/* The error as a sentence for a log or the `devices` command: device_strerror plus, when hint
 * is not NULL or empty, what to do -- for DEVICE_ERR_PERMISSION the udev rule to install
 * ("install <hint> into /etc/udev/rules.d/ and replug"), for the others "(<hint>)".  Always
 * terminates out (cap >= 1); returns the length it wanted, as snprintf. */
size_t device_error_text(device_err err, const char *hint, char *out, size_t cap);

/* The refusal sentence every transport and protocol setup writes: fmt into why (when why is
 * not NULL and cap > 0).  Returns false, so a check reads `return device_why(why, cap, ...)`. */
bool device_why(char *why, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* What a transport does.  `self` is the transport's own state.  Every call returns at the
 * latest after timeout_ms (< 0: the transport's default); none may block the screen because
 * none runs on the screen's thread.  A NULL member means "not supported" (a scanner has no
 * write, a printer may have no read). */
typedef struct device_ops {
    const char *name;          /* the transport: "hidpos-usb", "serial", "sim", ... */
    device_class cls;
    /* Open and claim the device at `where` (a bus path, /dev/ttyUSB0, a sim script). */
    device_err (*open)(void *self, const char *where);
    void (*close)(void *self);
    /* Up to cap bytes into buf, *got how many.  DEVICE_OK with *got == 0: nothing within
     * timeout_ms (polling is reading with timeout 0). */
    device_err (*read)(void *self, uint8_t *buf, size_t cap, size_t *got, int timeout_ms);
    /* All of buf or an error (DEVICE_ERR_TIMEOUT when the device stopped taking bytes). */
    device_err (*write)(void *self, const uint8_t *buf, size_t len, int timeout_ms);
} device_ops;

#define DEVICE_NAME_CAP 64

/* CLOCK_MONOTONIC in ms, and the moment ms from now on it: the deadline of a
 * pthread_cond_timedwait on a condition variable set to CLOCK_MONOTONIC (the device threads'
 * and the simulators'). */
uint64_t device_mono_ms(void);
struct timespec device_mono_in(uint64_t ms);

/* One device as the manager holds it. */
typedef struct {
    const device_ops *ops;
    void *self;
    device_state state;
    device_err err;            /* why it is in DEVICE_ERROR (DEVICE_OK otherwise) */
    char name[DEVICE_NAME_CAP];/* for people: "DYMO M10 0922:8003", "XK3190 /dev/ttyUSB0" */
} device;

/* Called on every state change, on the manager's thread: post and return (the app's callback
 * posts an EVQ_DEVICE_STATE event).  name is only valid during the call. */
typedef void (*device_state_cb)(void *arg, device_class cls, device_state state, device_err err,
                                const char *name);

/* A closed device over ops/self; name is copied (cut to fit, may be NULL). */
void device_init(device *d, const device_ops *ops, void *self, const char *name);

/* Move d to state (err is kept only with DEVICE_ERROR) and call cb (if not NULL) when the state
 * or the error changed.  Returns true when it changed. */
bool device_set_state(device *d, device_state state, device_err err, device_state_cb cb,
                      void *arg);

#endif
