/* printer/file_printer: `--printer file:PATH`.  See file_printer.h.
 *
 * A write to a regular file does not stall, but PATH may be a character device (usblp) or a
 * FIFO whose reader went away, so the descriptor is non-blocking and each write waits with
 * poll() for at most its timeout: a printer that stops taking bytes is a timeout, never a
 * frozen queue. */
#include "peripherals/printer/file_printer.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct {
    int fd;
} file_printer;

static device_err fp_open(void *self, const char *where)
{
    file_printer *f = self;
    f->fd = open(where, O_WRONLY | O_CREAT | O_APPEND | O_NONBLOCK | O_CLOEXEC | O_NOCTTY, 0600);
    if (f->fd >= 0)
        return DEVICE_OK;
    switch (errno) {
    case ENOENT:
    case ENXIO:
    case ENODEV:
        return DEVICE_ERR_NOT_FOUND;
    case EACCES:
    case EPERM:
        return DEVICE_ERR_PERMISSION;
    case EBUSY:
        return DEVICE_ERR_BUSY;
    default:
        return DEVICE_ERR_IO;
    }
}

static void fp_close(void *self)
{
    file_printer *f = self;
    if (f->fd >= 0)
        close(f->fd);
    f->fd = -1;
}

static device_err fp_write(void *self, const uint8_t *buf, size_t len, int timeout_ms)
{
    file_printer *f = self;
    size_t off = 0;
    while (off < len) {
        ssize_t w = write(f->fd, buf + off, len - off);
        if (w > 0) {
            off += (size_t)w;
            continue;
        }
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            struct pollfd p = {.fd = f->fd, .events = POLLOUT};
            int r = poll(&p, 1, timeout_ms < 0 ? 2000 : timeout_ms);
            if (r == 0)
                return DEVICE_ERR_TIMEOUT;
            if (r < 0 && errno != EINTR)
                return DEVICE_ERR_IO;
            if (r > 0 && (p.revents & (POLLERR | POLLHUP)))
                return DEVICE_ERR_DISCONNECTED;
            continue;
        }
        return w < 0 && (errno == ENODEV || errno == EPIPE) ? DEVICE_ERR_DISCONNECTED
                                                            : DEVICE_ERR_IO;
    }
    return DEVICE_OK;
}

const device_ops file_printer_ops = {
    .name = "file",
    .cls = DEVICE_PRINTER,
    .open = fp_open,
    .close = fp_close,
    .read = NULL,
    .write = fp_write,
};

device_err file_printer_opener(void *arg, const devspec *spec, const device_ops **ops,
                               void **self, char *name, size_t name_cap, char *why,
                               size_t why_cap)
{
    (void)arg;
    file_printer *f = calloc(1, sizeof *f);
    if (!f)
        return DEVICE_ERR_NO_MEMORY;
    device_err e = fp_open(f, spec->path);
    if (e != DEVICE_OK) {
        (void)device_why(why, why_cap, "%s: %s", spec->path, strerror(errno));
        free(f);
        return e;
    }
    *ops = &file_printer_ops;
    *self = f;
    snprintf(name, name_cap, "file %s", spec->path);
    return DEVICE_OK;
}

void file_printer_closer(void *arg, const device_ops *ops, void *self)
{
    (void)arg;
    if (ops && ops->close)
        ops->close(self);
    free(self);
}
