/* serial: the tty transport (peripherals/serial.h) -- owns <termios.h> for the whole tree, the
 * port spec grammar and the errno -> device_err mapping of serial ports. */
#include "peripherals/serial.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

static const struct {
    unsigned baud;
    speed_t speed;
} BAUDS[] = {
    {1200, B1200},   {2400, B2400},   {4800, B4800},   {9600, B9600},
    {19200, B19200}, {38400, B38400}, {57600, B57600}, {115200, B115200},
};
#define N_BAUDS (sizeof BAUDS / sizeof BAUDS[0])

/* The field [s, e) as a printable, bounded quote for an error sentence. */
static void quote(const char *s, const char *e, char *out, size_t cap)
{
    size_t n = 0;
    for (; s < e && n + 1 < cap; s++)
        out[n++] = (*s >= 0x20 && *s < 0x7f) ? *s : '?';
    out[n] = '\0';
}

bool serial_spec_parse(const char *text, serial_spec *out, char *why, size_t cap)
{
    char q[32];
    if (why && cap)
        why[0] = '\0';
    if (!text || !*text)
        return device_why(why, cap,
                          "empty port spec: want PATH[,BAUD[,FRAME]], e.g. /dev/ttyUSB0,9600,8N1");
    memset(out, 0, sizeof *out);
    out->baud = 9600;
    out->data_bits = 8;
    out->parity = 'N';
    out->stop_bits = 1;

    const char *c1 = strchr(text, ',');
    const char *pe = c1 ? c1 : text + strlen(text);
    size_t plen = (size_t)(pe - text);
    if (plen == 0)
        return device_why(why, cap, "port spec \"%.60s\": the path is empty", text);
    if (text[0] != '/')
        return device_why(why, cap,
                          "port path \"%.*s\" is not absolute (want /dev/ttyUSB0 or similar)",
                          (int)(plen > 60 ? 60 : plen), text);
    if (plen >= SERIAL_PATH_CAP)
        return device_why(why, cap, "port path is %zu bytes long (at most %d)", plen,
                          SERIAL_PATH_CAP - 1);
    memcpy(out->path, text, plen);
    out->path[plen] = '\0';
    if (!c1)
        return true;

    const char *b = c1 + 1;
    const char *c2 = strchr(b, ',');
    const char *be = c2 ? c2 : b + strlen(b);
    quote(b, be, q, sizeof q);
    unsigned long baud = 0;
    bool digits = be > b && be - b <= 7;
    for (const char *s = b; digits && s < be; s++)
        digits = *s >= '0' && *s <= '9';
    if (digits)
        baud = strtoul(b, NULL, 10);
    size_t i = 0;
    while (i < N_BAUDS && BAUDS[i].baud != baud)
        i++;
    if (!digits || i == N_BAUDS)
        return device_why(why, cap,
                          "baud \"%s\" is not one of 1200 2400 4800 9600 19200 38400 57600 "
                          "115200", q);
    out->baud = (unsigned)baud;
    if (!c2)
        return true;

    const char *f = c2 + 1;
    const char *fe = f + strlen(f);
    quote(f, fe, q, sizeof q);
    if (strchr(f, ','))
        return device_why(why, cap, "port spec has more than three fields (after \"%.40s\")",
                          text);
    if (fe - f != 3)
        return device_why(why, cap,
                          "frame \"%s\" is not data bits, parity, stop bits (e.g. 8N1, 7E1)", q);
    if (f[0] != '7' && f[0] != '8')
        return device_why(why, cap, "data bits '%c' in frame \"%s\" are not 7 or 8", q[0], q);
    char par = f[1];
    if (par == 'n' || par == 'e' || par == 'o')
        par = (char)(par - 'a' + 'A');
    if (par != 'N' && par != 'E' && par != 'O')
        return device_why(why, cap, "parity '%c' in frame \"%s\" is not N, E or O", q[1], q);
    if (f[2] != '1' && f[2] != '2')
        return device_why(why, cap, "stop bits '%c' in frame \"%s\" are not 1 or 2", q[2], q);
    out->data_bits = (unsigned)(f[0] - '0');
    out->parity = par;
    out->stop_bits = (unsigned)(f[2] - '0');
    return true;
}

size_t serial_spec_format(const serial_spec *spec, char *out, size_t cap)
{
    int n = snprintf(out, cap, "%s,%u,%u%c%u", spec->path, spec->baud, spec->data_bits,
                     spec->parity, spec->stop_bits);
    return n < 0 ? 0 : (size_t)n;
}

void serial_port_init(serial_port *p)
{
    memset(p, 0, sizeof *p);
    p->fd = -1;
}

static speed_t speed_of(unsigned baud)
{
    for (size_t i = 0; i < N_BAUDS; i++)
        if (BAUDS[i].baud == baud)
            return BAUDS[i].speed;
    return B9600;
}

static device_err open_errno(serial_port *p, int e)
{
    const char *path = p->spec.path;
    switch (e) {
    case ENOENT:
    case ENOTDIR:
        device_why(p->why, sizeof p->why, "%s: no such port (not plugged in, or a wrong path)",
                   path);
        return DEVICE_ERR_NOT_FOUND;
    case ENXIO:
    case ENODEV:
        device_why(p->why, sizeof p->why, "%s: nothing behind the device node (unplugged?)", path);
        return DEVICE_ERR_NOT_FOUND;
    case EACCES:
    case EPERM:
        device_why(p->why, sizeof p->why,
                   "%s: permission denied: install %s into /etc/udev/rules.d/ and replug (or add "
                   "the till's user to the tty's group, dialout on Debian)",
                   path, SERIAL_UDEV_HINT);
        return DEVICE_ERR_PERMISSION;
    case EBUSY:
    case EWOULDBLOCK:
        device_why(p->why, sizeof p->why,
                   "%s: held by another program (close it, or check ModemManager)", path);
        return DEVICE_ERR_BUSY;
    case EIO:
        device_why(p->why, sizeof p->why, "%s: I/O error (unplugged?)", path);
        return DEVICE_ERR_DISCONNECTED;
    default:
        device_why(p->why, sizeof p->why, "%s: %s", path, strerror(e));
        return DEVICE_ERR_IO;
    }
}

static device_err fail_open(serial_port *p, device_err err)
{
    if (p->fd >= 0)
        close(p->fd);
    p->fd = -1;
    return err;
}

/* Raw mode with the spec's frame; VMIN 1 / VTIME 0 so a non-blocking read with no data says
 * EAGAIN and a read of 0 bytes only ever means "hung up". */
static device_err configure(serial_port *p)
{
    struct termios t;
    if (tcgetattr(p->fd, &t) != 0) {
        device_why(p->why, sizeof p->why, "%s: not a tty (%s)", p->spec.path, strerror(errno));
        return DEVICE_ERR_UNSUPPORTED;
    }
    cfmakeraw(&t);
    t.c_cflag &= (tcflag_t) ~(CSIZE | PARENB | PARODD | CSTOPB | CRTSCTS);
    t.c_cflag |= CLOCAL | CREAD | (p->spec.data_bits == 7 ? CS7 : CS8);
    if (p->spec.parity != 'N')
        t.c_cflag |= PARENB | (p->spec.parity == 'O' ? PARODD : 0);
    if (p->spec.stop_bits == 2)
        t.c_cflag |= CSTOPB;
    t.c_iflag &= (tcflag_t) ~(IXON | IXOFF | IXANY | INPCK | ISTRIP);
    if (p->spec.parity != 'N')
        t.c_iflag |= INPCK;   /* a parity error reads as a NUL: the codecs resynchronise */
    t.c_cc[VMIN] = 1;
    t.c_cc[VTIME] = 0;
    speed_t sp = speed_of(p->spec.baud);
    if (cfsetispeed(&t, sp) != 0 || cfsetospeed(&t, sp) != 0 || tcsetattr(p->fd, TCSANOW, &t) != 0) {
        device_why(p->why, sizeof p->why, "%s: the driver refused %u baud %u%c%u (%s)",
                   p->spec.path, p->spec.baud, p->spec.data_bits, p->spec.parity,
                   p->spec.stop_bits, strerror(errno));
        return DEVICE_ERR_UNSUPPORTED;
    }
    /* tcsetattr succeeds when any of the settings took: read them back. */
    struct termios got;
    if (tcgetattr(p->fd, &got) != 0 || cfgetispeed(&got) != sp ||
        (got.c_cflag & (CSIZE | PARENB | PARODD | CSTOPB)) !=
            (t.c_cflag & (CSIZE | PARENB | PARODD | CSTOPB))) {
        device_why(p->why, sizeof p->why, "%s: the driver did not take %u baud %u%c%u",
                   p->spec.path, p->spec.baud, p->spec.data_bits, p->spec.parity,
                   p->spec.stop_bits);
        return DEVICE_ERR_UNSUPPORTED;
    }
    tcflush(p->fd, TCIOFLUSH);   /* what came before we listened is stale */
    return DEVICE_OK;
}

device_err serial_open(serial_port *p, const char *spec_text)
{
    serial_close(p);
    p->why[0] = '\0';
    if (!serial_spec_parse(spec_text, &p->spec, p->why, sizeof p->why))
        return DEVICE_ERR_UNSUPPORTED;
    /* O_NONBLOCK: open does not wait for carrier (and a FIFO does not wait for a writer). */
    p->fd = open(p->spec.path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (p->fd < 0)
        return open_errno(p, errno);
    struct stat st;
    if (fstat(p->fd, &st) != 0)
        return fail_open(p, open_errno(p, errno));
    if (!S_ISCHR(st.st_mode)) {
        device_why(p->why, sizeof p->why, "%s: not a character device (a %s): not a serial port",
                   p->spec.path, S_ISFIFO(st.st_mode)   ? "FIFO"
                                 : S_ISREG(st.st_mode) ? "regular file"
                                 : S_ISDIR(st.st_mode) ? "directory"
                                                       : "special file");
        return fail_open(p, DEVICE_ERR_UNSUPPORTED);
    }
    if (!isatty(p->fd)) {
        device_why(p->why, sizeof p->why, "%s: a character device but not a tty", p->spec.path);
        return fail_open(p, DEVICE_ERR_UNSUPPORTED);
    }
    if (flock(p->fd, LOCK_EX | LOCK_NB) != 0)
        return fail_open(p, open_errno(p, errno == EWOULDBLOCK ? EBUSY : errno));
    if (ioctl(p->fd, TIOCEXCL) != 0)
        return fail_open(p, open_errno(p, errno));
    device_err err = configure(p);
    if (err != DEVICE_OK)
        return fail_open(p, err);
    return DEVICE_OK;
}

void serial_close(serial_port *p)
{
    if (p->fd < 0)
        return;
    (void)ioctl(p->fd, TIOCNXCL);
    close(p->fd);    /* drops the flock too */
    p->fd = -1;
}

static int64_t now_ms(void)
{
    return (int64_t)device_mono_ms();
}

/* poll fd for events until deadline; returns revents, 0 on timeout, -1 with errno. */
static int wait_for(int fd, short events, int64_t deadline)
{
    for (;;) {
        int64_t left = deadline - now_ms();
        if (left < 0)
            left = 0;
        struct pollfd pf = {.fd = fd, .events = events, .revents = 0};
        int r = poll(&pf, 1, left > 60000 ? 60000 : (int)left);
        if (r > 0)
            return pf.revents;
        if (r < 0 && errno != EINTR)
            return -1;
        if (r == 0 && now_ms() >= deadline)
            return 0;
    }
}

static device_err io_errno(serial_port *p, int e, const char *what)
{
    switch (e) {
    case EIO:
    case ENXIO:
    case ENODEV:
        device_why(p->why, sizeof p->why, "%s: gone while open (unplugged)", p->spec.path);
        return DEVICE_ERR_DISCONNECTED;
    default:
        device_why(p->why, sizeof p->why, "%s: %s failed: %s", p->spec.path, what,
                   strerror(e));
        return DEVICE_ERR_IO;
    }
}

device_err serial_read(serial_port *p, uint8_t *buf, size_t cap, size_t *got, int timeout_ms)
{
    *got = 0;
    if (p->fd < 0) {
        device_why(p->why, sizeof p->why, "read on a closed port");
        return DEVICE_ERR_IO;
    }
    if (cap == 0)
        return DEVICE_OK;
    int64_t deadline = now_ms() + (timeout_ms < 0 ? SERIAL_DEFAULT_TIMEOUT_MS : timeout_ms);
    int rev = wait_for(p->fd, POLLIN, deadline);
    if (rev < 0)
        return io_errno(p, errno, "poll");
    if (rev == 0)
        return DEVICE_OK;
    if (rev & POLLNVAL) {
        device_why(p->why, sizeof p->why, "%s: the descriptor is not open", p->spec.path);
        return DEVICE_ERR_IO;
    }
    ssize_t n;
    do
        n = read(p->fd, buf, cap);
    while (n < 0 && errno == EINTR);
    if (n > 0) {
        *got = (size_t)n;
        return DEVICE_OK;
    }
    if (n == 0)   /* VMIN 1: zero bytes is the hung-up tty's end of file */
        return io_errno(p, EIO, "read");
    if (errno == EAGAIN || errno == EWOULDBLOCK)
        return (rev & (POLLHUP | POLLERR)) ? io_errno(p, EIO, "read") : DEVICE_OK;
    return io_errno(p, errno, "read");
}

device_err serial_write(serial_port *p, const uint8_t *buf, size_t len, int timeout_ms)
{
    if (p->fd < 0) {
        device_why(p->why, sizeof p->why, "write on a closed port");
        return DEVICE_ERR_IO;
    }
    int64_t deadline = now_ms() + (timeout_ms < 0 ? SERIAL_DEFAULT_TIMEOUT_MS : timeout_ms);
    size_t off = 0;
    while (off < len) {
        ssize_t n = write(p->fd, buf + off, len - off);
        if (n > 0) {
            off += (size_t)n;
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
            return io_errno(p, errno, "write");
        int rev = wait_for(p->fd, POLLOUT, deadline);
        if (rev < 0)
            return io_errno(p, errno, "poll");
        if (rev == 0) {
            device_why(p->why, sizeof p->why, "%s: took %zu of %zu bytes in time", p->spec.path,
                       off, len);
            return DEVICE_ERR_TIMEOUT;
        }
        if (rev & (POLLHUP | POLLERR))
            return io_errno(p, EIO, "write");
    }
    return DEVICE_OK;
}

static device_err op_open(void *self, const char *where)
{
    return serial_open(self, where);
}

static void op_close(void *self)
{
    serial_close(self);
}

static device_err op_read(void *self, uint8_t *buf, size_t cap, size_t *got, int timeout_ms)
{
    return serial_read(self, buf, cap, got, timeout_ms);
}

static device_err op_write(void *self, const uint8_t *buf, size_t len, int timeout_ms)
{
    return serial_write(self, buf, len, timeout_ms);
}

const device_ops serial_scale_ops = {
    .name = "serial",
    .cls = DEVICE_SCALE,
    .open = op_open,
    .close = op_close,
    .read = op_read,
    .write = op_write,
};
