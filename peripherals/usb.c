/* usb: the libusb transport (peripherals/usb.h) -- listing and classifying, open/claim with the
 * kernel driver detached, transfers with timeouts, libusb errors mapped to device_err, hotplug.
 * The only file of the tree that includes <libusb.h>. */
#include "peripherals/usb.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libusb.h>

#include "peripherals/scale/hidscale.h"

#define REPORT_DESC_CAP 1024       /* HID report descriptors are short (a DYMO M10's: 221) */
#define STRING_CAP 64
#define BOUNCE_CAP 1024

struct usb_bus {
    libusb_context *ctx;
    bool watching;
    libusb_hotplug_callback_handle hotplug;
    /* Under mu: libusb runs the hotplug callback on whichever thread handles events -- the
     * pump, or any thread inside a synchronous transfer (the device manager's, the print
     * queue's) -- so usb_bus_watch may race it; holding mu across the call means that once
     * usb_bus_watch(NULL) returns, no `changed` is running or will run. */
    pthread_mutex_t mu;
    void (*changed)(void *arg);
    void *arg;
};

struct usb_dev {
    usb_bus *bus;
    libusb_device_handle *h;
    usb_found f;
    bool claimed, detached;
    char why[USB_WHY_CAP];
};

/* ---- errors */

static device_err map_err(int r)
{
    switch (r) {
    case LIBUSB_SUCCESS: return DEVICE_OK;
    case LIBUSB_ERROR_ACCESS: return DEVICE_ERR_PERMISSION;
    case LIBUSB_ERROR_NO_DEVICE: return DEVICE_ERR_DISCONNECTED;
    case LIBUSB_ERROR_TIMEOUT: return DEVICE_ERR_TIMEOUT;
    case LIBUSB_ERROR_PIPE: return DEVICE_ERR_STALL;
    case LIBUSB_ERROR_BUSY: return DEVICE_ERR_BUSY;
    case LIBUSB_ERROR_NOT_FOUND: return DEVICE_ERR_NOT_FOUND;
    case LIBUSB_ERROR_NOT_SUPPORTED: return DEVICE_ERR_UNSUPPORTED;
    case LIBUSB_ERROR_NO_MEM: return DEVICE_ERR_NO_MEMORY;
    default: return DEVICE_ERR_IO;
    }
}

/* why = "<what> <name>: <device_error_text> (libusb: <name>)"; returns the mapped error. */
static device_err fail(char *why, size_t cap, int r, const char *what, const char *name)
{
    device_err e = map_err(r);
    char text[160];
    device_error_text(e, e == DEVICE_ERR_PERMISSION ? USB_UDEV_HINT : NULL, text, sizeof text);
    if (why && cap)
        snprintf(why, cap, "%s %s: %s (libusb: %s)", what, name, text, libusb_error_name(r));
    return e;
}

/* ---- bus */

usb_bus *usb_bus_open(char *why, size_t cap)
{
    usb_bus *b = calloc(1, sizeof *b);
    if (!b) {
        device_why(why, cap, "USB: out of memory");
        return NULL;
    }
    int r = libusb_init(&b->ctx);
    if (r != LIBUSB_SUCCESS) {
        device_why(why, cap, "USB: libusb could not start: %s", libusb_strerror(r));
        free(b);
        return NULL;
    }
    pthread_mutex_init(&b->mu, NULL);
    return b;
}

void usb_bus_close(usb_bus *b)
{
    if (!b)
        return;
    if (b->watching)
        libusb_hotplug_deregister_callback(b->ctx, b->hotplug);
    libusb_exit(b->ctx);
    pthread_mutex_destroy(&b->mu);
    free(b);
}

static int on_hotplug(libusb_context *ctx, libusb_device *dev, libusb_hotplug_event ev, void *arg)
{
    (void)ctx;
    (void)dev;
    (void)ev;
    usb_bus *b = arg;
    pthread_mutex_lock(&b->mu);
    if (b->changed)
        b->changed(b->arg);
    pthread_mutex_unlock(&b->mu);
    return 0;    /* stay registered */
}

bool usb_bus_watch(usb_bus *b, void (*changed)(void *arg), void *arg)
{
    if (b->watching) {
        libusb_hotplug_deregister_callback(b->ctx, b->hotplug);
        b->watching = false;
    }
    /* Not with mu held around libusb's calls: only the swap, which waits out a callback that
     * is running on another thread. */
    pthread_mutex_lock(&b->mu);
    b->changed = changed;
    b->arg = arg;
    pthread_mutex_unlock(&b->mu);
    if (!changed || !libusb_has_capability(LIBUSB_CAP_HAS_HOTPLUG))
        return false;
    int r = libusb_hotplug_register_callback(
        b->ctx, LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED | LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT, 0,
        LIBUSB_HOTPLUG_MATCH_ANY, LIBUSB_HOTPLUG_MATCH_ANY, LIBUSB_HOTPLUG_MATCH_ANY, on_hotplug,
        b, &b->hotplug);
    b->watching = r == LIBUSB_SUCCESS;
    return b->watching;
}

device_err usb_bus_pump(usb_bus *b, int timeout_ms)
{
    if (timeout_ms < 0)
        timeout_ms = USB_DEFAULT_TIMEOUT_MS;
    struct timeval tv = {.tv_sec = timeout_ms / 1000, .tv_usec = (timeout_ms % 1000) * 1000};
    int r = libusb_handle_events_timeout_completed(b->ctx, &tv, NULL);
    return r == LIBUSB_ERROR_INTERRUPTED ? DEVICE_OK : map_err(r);
}

/* ---- describing a device */

/* The descriptors of one device, with the storage usb_match_dev points into. */
typedef struct {
    usb_match_dev m;
    char manufacturer[STRING_CAP], product[STRING_CAP];
    uint8_t report[USB_MATCH_MAX_IFACES][REPORT_DESC_CAP];
    char where[32];
    uint8_t i_manufacturer, i_product;   /* string indexes, read once the device is opened */
    int config;                          /* bConfigurationValue */
} described;

static void where_of(libusb_device *dev, char *out, size_t cap)
{
    uint8_t ports[8];
    int n = libusb_get_port_numbers(dev, ports, (int)sizeof ports);
    int len = snprintf(out, cap, "%u-", (unsigned)libusb_get_bus_number(dev));
    for (int i = 0; i < n && len > 0 && (size_t)len < cap; i++)
        len += snprintf(out + len, cap - (size_t)len, i ? ".%u" : "%u", (unsigned)ports[i]);
    if (n <= 0 && len > 0 && (size_t)len < cap)   /* a root hub, or no port path known */
        snprintf(out + len, cap - (size_t)len, "0.%u", (unsigned)libusb_get_device_address(dev));
}

/* The report descriptor from sysfs, for an interface whose kernel driver (usbhid) holds it:
 * usbfs refuses a control request to an interface another driver has claimed, and detaching
 * usbhid from every HID device just to look would flicker the cashier's keyboard.
 * /sys/bus/usb/devices/<where>:<config>.<iface>/<hid device>/report_descriptor. */
static size_t report_from_sysfs(const char *where, int config, unsigned iface, uint8_t *out,
                                size_t cap)
{
    char dir[128];
    snprintf(dir, sizeof dir, "/sys/bus/usb/devices/%s:%d.%u", where, config, iface);
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    size_t n = 0;
    struct dirent *e;
    while (n == 0 && (e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);   /* "0003:0922:8003.0001" */
        if (len < 14 || len > 40 || e->d_name[4] != ':')
            continue;
        char path[256];
        snprintf(path, sizeof path, "%s/%.40s/report_descriptor", dir, e->d_name);
        FILE *f = fopen(path, "rb");
        if (f) {
            n = fread(out, 1, cap, f);
            fclose(f);
        }
    }
    closedir(d);
    return n;
}

/* GET_DESCRIPTOR (HID report, type 0x22) to the interface: HID 1.11 §7.1.1.  Not to an
 * interface a kernel driver holds (its descriptor is sysfs's, describe_sysfs). */
static size_t report_descriptor(libusb_device_handle *h, const usb_match_iface *i, uint8_t *out,
                                size_t cap)
{
    if (libusb_kernel_driver_active(h, i->number) == 1)
        return 0;
    int r = libusb_control_transfer(h, LIBUSB_ENDPOINT_IN | LIBUSB_RECIPIENT_INTERFACE,
                                    LIBUSB_REQUEST_GET_DESCRIPTOR, (uint16_t)(0x22 << 8),
                                    i->number, out, (uint16_t)cap, USB_CONTROL_TIMEOUT_MS);
    return r > 0 ? (size_t)r : 0;
}

static void string_of(libusb_device_handle *h, uint8_t index, char *out, size_t cap)
{
    out[0] = '\0';
    if (!h || !index)
        return;
    int r = libusb_get_string_descriptor_ascii(h, index, (unsigned char *)out, (int)cap);
    if (r <= 0) {
        out[0] = '\0';
        return;
    }
    out[(size_t)r < cap ? (size_t)r : cap - 1] = '\0';
    for (char *p = out; *p; p++)           /* '?' for what libusb could not make ASCII */
        if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7e)
            *p = '?';
}

static void fill_iface(usb_match_iface *mi, const struct libusb_interface_descriptor *id)
{
    memset(mi, 0, sizeof *mi);
    mi->number = id->bInterfaceNumber;
    mi->cls = id->bInterfaceClass;
    mi->subclass = id->bInterfaceSubClass;
    mi->protocol = id->bInterfaceProtocol;
    for (int e = 0; e < id->bNumEndpoints; e++) {
        const struct libusb_endpoint_descriptor *ep = &id->endpoint[e];
        bool in = (ep->bEndpointAddress & LIBUSB_ENDPOINT_DIR_MASK) == LIBUSB_ENDPOINT_IN;
        uint16_t size = (uint16_t)(ep->wMaxPacketSize & 0x7ff);
        switch (ep->bmAttributes & LIBUSB_TRANSFER_TYPE_MASK) {
        case LIBUSB_TRANSFER_TYPE_INTERRUPT:
            if (in && !mi->int_in) {
                mi->int_in = ep->bEndpointAddress;
                mi->int_in_size = size;
            } else if (!in && !mi->int_out) {
                mi->int_out = ep->bEndpointAddress;
            }
            break;
        case LIBUSB_TRANSFER_TYPE_BULK:
            if (in && !mi->bulk_in) {
                mi->bulk_in = ep->bEndpointAddress;
                mi->bulk_in_size = size;
            } else if (!in && !mi->bulk_out) {
                mi->bulk_out = ep->bEndpointAddress;
            }
            break;
        default:
            break;
        }
    }
}

/* Fill *d from dev's device and configuration descriptors, which libusb keeps: no device is
 * opened.  False for a hub or a device with no readable configuration. */
static bool describe_plain(libusb_device *dev, described *d)
{
    memset(d, 0, sizeof *d);
    struct libusb_device_descriptor dd;
    if (libusb_get_device_descriptor(dev, &dd) != LIBUSB_SUCCESS)
        return false;
    d->m.vid = dd.idVendor;
    d->m.pid = dd.idProduct;
    d->i_manufacturer = dd.iManufacturer;
    d->i_product = dd.iProduct;
    where_of(dev, d->where, sizeof d->where);
    if (dd.bDeviceClass == LIBUSB_CLASS_HUB)
        return false;
    struct libusb_config_descriptor *cfg = NULL;
    if (libusb_get_active_config_descriptor(dev, &cfg) != LIBUSB_SUCCESS &&
        libusb_get_config_descriptor(dev, 0, &cfg) != LIBUSB_SUCCESS)
        return false;
    for (int k = 0; k < cfg->bNumInterfaces && d->m.n_iface < USB_MATCH_MAX_IFACES; k++) {
        if (cfg->interface[k].num_altsetting < 1)
            continue;
        fill_iface(&d->m.iface[d->m.n_iface++], &cfg->interface[k].altsetting[0]);
    }
    d->config = cfg->bConfigurationValue;
    libusb_free_config_descriptor(cfg);
    return true;
}

/* Whether some interface of d could serve cls (DEVICE_CLASS_COUNT: any class we drive) by its
 * descriptors alone: a printer-class interface with a bulk OUT, a HID one with an interrupt IN.
 * A device without one never classifies (usb_match), so it is not opened to look closer. */
static bool could_serve(const described *d, device_class cls)
{
    bool any = cls == DEVICE_CLASS_COUNT;
    for (size_t k = 0; k < d->m.n_iface; k++) {
        const usb_match_iface *i = &d->m.iface[k];
        if ((any || cls == DEVICE_PRINTER) && i->cls == LIBUSB_CLASS_PRINTER && i->bulk_out)
            return true;
        if ((any || cls != DEVICE_PRINTER) && i->cls == LIBUSB_CLASS_HID && i->int_in)
            return true;
    }
    return false;
}

/* The HID interfaces whose report descriptor would classify them: a known scale needs none. */
static bool wants_report(const described *d, const usb_match_iface *mi)
{
    return mi->cls == LIBUSB_CLASS_HID && mi->int_in && !mi->report_len &&
           !hidscale_known_scale(d->m.vid, d->m.pid, NULL);
}

static void set_report(described *d, size_t k, size_t len)
{
    d->m.iface[k].report_len = len;
    d->m.iface[k].report_desc = len ? d->report[k] : NULL;
}

/* The report descriptors sysfs shows for the interfaces usbhid holds: no device is opened. */
static void describe_sysfs(described *d)
{
    for (size_t k = 0; k < d->m.n_iface; k++)
        if (wants_report(d, &d->m.iface[k]))
            set_report(d, k, report_from_sysfs(d->where, d->config, d->m.iface[k].number,
                                               d->report[k], REPORT_DESC_CAP));
}

/* The rest of *d: the strings and the report descriptors sysfs did not have, with the device
 * opened (not claimed); a device we may not open stays described without them. */
static void describe_opened(libusb_device *dev, described *d)
{
    describe_sysfs(d);
    libusb_device_handle *h = NULL;
    if (libusb_open(dev, &h) != LIBUSB_SUCCESS)
        return;
    string_of(h, d->i_manufacturer, d->manufacturer, sizeof d->manufacturer);
    string_of(h, d->i_product, d->product, sizeof d->product);
    d->m.manufacturer = d->manufacturer[0] ? d->manufacturer : NULL;
    d->m.product = d->product[0] ? d->product : NULL;
    for (size_t k = 0; k < d->m.n_iface; k++)
        if (wants_report(d, &d->m.iface[k]))
            set_report(d, k, report_descriptor(h, &d->m.iface[k], d->report[k], REPORT_DESC_CAP));
    libusb_close(h);
}

static void name_of(const described *d, const usb_match_result *r, char *out, size_t cap)
{
    const char *table = NULL;
    if (r->kind == USB_KIND_HID_SCALE)
        hidscale_known_scale(d->m.vid, d->m.pid, &table);
    else if (r->kind == USB_KIND_KBD_SCANNER || r->kind == USB_KIND_HIDPOS_SCANNER)
        usb_match_scanner_vendor(d->m.vid, &table);
    char full[2 * STRING_CAP + 16];
    if (d->manufacturer[0] || d->product[0])
        snprintf(full, sizeof full, "%s%s%s %04x:%04x", d->manufacturer,
                 d->manufacturer[0] && d->product[0] ? " " : "", d->product, d->m.vid, d->m.pid);
    else
        snprintf(full, sizeof full, "%.64s %04x:%04x", table ? table : usb_kind_name(r->kind),
                 d->m.vid, d->m.pid);
    size_t n = strlen(full) < cap ? strlen(full) : cap - 1;   /* a name cut to fit is a name */
    memcpy(out, full, n);
    out[n] = '\0';
}

static void found_of(const described *d, const usb_match_result *r, usb_found *f)
{
    memset(f, 0, sizeof *f);
    f->cls = r->cls;
    f->kind = r->kind;
    f->vid = d->m.vid;
    f->pid = d->m.pid;
    snprintf(f->where, sizeof f->where, "%s", d->where);
    name_of(d, r, f->name, sizeof f->name);
    f->iface = r->iface;
    f->ep_in = r->ep_in;
    f->ep_out = r->ep_out;
    f->in_size = r->in_size;
}

/* ---- listing and finding */

/* Each device's plain description offered to visit() until it returns true (stop); visit
 * calls describe_opened when the descriptors do not decide.  The described value is large
 * (report descriptors), so it lives on the heap. */
static bool each_device(usb_bus *b, bool (*visit)(libusb_device *dev, described *d, void *arg),
                        void *arg, char *why, size_t cap)
{
    libusb_device **list = NULL;
    ssize_t n = libusb_get_device_list(b->ctx, &list);
    if (n < 0)
        return device_why(why, cap, "USB: cannot list devices: %s", libusb_strerror((int)n));
    described *d = malloc(sizeof *d);
    if (!d) {
        libusb_free_device_list(list, 1);
        return device_why(why, cap, "USB: out of memory");
    }
    for (ssize_t i = 0; i < n; i++)
        if (describe_plain(list[i], d) && visit(list[i], d, arg))
            break;
    free(d);
    libusb_free_device_list(list, 1);
    return true;
}

typedef struct {
    usb_found *out;
    size_t cap, n;
} list_ctx;

static bool visit_list(libusb_device *dev, described *d, void *arg)
{
    list_ctx *c = arg;
    usb_match_result r;
    if (!could_serve(d, DEVICE_CLASS_COUNT))
        return false;
    describe_opened(dev, d);
    if (usb_match_classify(&d->m, &r) && c->n < c->cap)
        found_of(d, &r, &c->out[c->n++]);
    return false;
}

bool usb_list(usb_bus *b, usb_found *out, size_t cap, size_t *n, char *why, size_t cap2)
{
    list_ctx c = {.out = out, .cap = cap, .n = 0};
    bool ok = each_device(b, visit_list, &c, why, cap2);
    *n = c.n;
    return ok;
}

typedef struct {
    device_class cls;
    size_t n;
} count_ctx;

/* Classified from the descriptors alone when they decide (a printer-class interface, a known
 * scale, a scanner vendor's boot keyboard), then with sysfs's report descriptors, and only
 * then with the device opened.  More description only adds kinds (usb_match), so "any" is
 * decided by the first classification that succeeds; one class needs the whole picture, since
 * a composite device is classified by its best interface. */
static bool visit_count(libusb_device *dev, described *d, void *arg)
{
    count_ctx *c = arg;
    usb_match_result r;
    if (!could_serve(d, c->cls))
        return false;
    if (c->cls == DEVICE_CLASS_COUNT) {
        if (!usb_match_classify(&d->m, &r)) {
            describe_sysfs(d);
            if (!usb_match_classify(&d->m, &r))
                describe_opened(dev, d);
        }
    } else {
        describe_opened(dev, d);
    }
    if (usb_match_classify(&d->m, &r) && (c->cls == DEVICE_CLASS_COUNT || r.cls == c->cls))
        c->n++;
    return false;
}

size_t usb_count(usb_bus *b, device_class cls)
{
    count_ctx c = {.cls = cls, .n = 0};
    char why[USB_WHY_CAP];
    return each_device(b, visit_count, &c, why, sizeof why) ? c.n : 0;
}

typedef struct {
    const devspec *spec;
    usb_found *out;
    device_err err;
    char *why;
    size_t cap;
} find_ctx;

static bool visit_find(libusb_device *dev, described *d, void *arg)
{
    find_ctx *c = arg;
    usb_match_result r;
    device_class want = c->spec->cls == DEVICE_DRAWER ? DEVICE_PRINTER : c->spec->cls;
    if (c->spec->kind == DEVSPEC_AUTO) {
        if (!could_serve(d, want))
            return false;
        describe_opened(dev, d);
        if (!usb_match_classify(&d->m, &r) || r.cls != want)
            return false;
    } else {
        if (d->m.vid != c->spec->vid || d->m.pid != c->spec->pid)
            return false;
        describe_opened(dev, d);
        if (!usb_match_as_class(&d->m, c->spec->cls, &r)) {
            c->err = DEVICE_ERR_UNSUPPORTED;
            device_why(c->why, c->cap, "USB device %04x:%04x at %s has no interface a %s can use",
                       d->m.vid, d->m.pid, d->where, device_class_name(c->spec->cls));
            return true;
        }
    }
    found_of(d, &r, c->out);
    c->err = DEVICE_OK;
    return true;
}

device_err usb_find(usb_bus *b, const devspec *spec, usb_found *out, char *why, size_t cap)
{
    if (spec->kind != DEVSPEC_AUTO && spec->kind != DEVSPEC_USB) {
        device_why(why, cap, "USB: a %s spec is not a USB device", devspec_kind_name(spec->kind));
        return DEVICE_ERR_UNSUPPORTED;
    }
    find_ctx c = {.spec = spec, .out = out, .err = DEVICE_ERR_NOT_FOUND, .why = why, .cap = cap};
    if (!each_device(b, visit_find, &c, why, cap))
        return DEVICE_ERR_IO;
    if (c.err == DEVICE_ERR_NOT_FOUND) {
        if (spec->kind == DEVSPEC_USB)
            device_why(why, cap, "USB device %04x:%04x is not plugged in", spec->vid, spec->pid);
        else
            device_why(why, cap, "no USB %s found", device_class_name(spec->cls));
    }
    return c.err;
}

/* ---- one device */

/* dev's vid:pid is f's and, when by_where, so is its port path. */
static bool same_device(libusb_device *dev, const usb_found *f, bool by_where)
{
    struct libusb_device_descriptor dd;
    if (libusb_get_device_descriptor(dev, &dd) != LIBUSB_SUCCESS || dd.idVendor != f->vid ||
        dd.idProduct != f->pid)
        return false;
    if (!by_where)
        return true;
    char where[32];
    where_of(dev, where, sizeof where);
    return strcmp(where, f->where) == 0;
}

device_err usb_dev_open(usb_bus *b, const usb_found *f, usb_dev **out, char *why, size_t cap)
{
    *out = NULL;
    libusb_device **list = NULL;
    ssize_t n = libusb_get_device_list(b->ctx, &list);
    if (n < 0)
        return fail(why, cap, (int)n, "cannot list USB devices for", f->name);
    libusb_device *dev = NULL;
    for (int pass = 0; pass < 2 && !dev; pass++)   /* same socket first, then anywhere */
        for (ssize_t i = 0; i < n && !dev; i++)
            if (same_device(list[i], f, pass == 0))
                dev = list[i];
    if (!dev) {
        libusb_free_device_list(list, 1);
        device_why(why, cap, "USB device %s is not plugged in", f->name);
        return DEVICE_ERR_NOT_FOUND;
    }
    usb_dev *d = calloc(1, sizeof *d);
    if (!d) {
        libusb_free_device_list(list, 1);
        device_why(why, cap, "USB device %s: out of memory", f->name);
        return DEVICE_ERR_NO_MEMORY;
    }
    d->bus = b;
    d->f = *f;
    where_of(dev, d->f.where, sizeof d->f.where);
    int r = libusb_open(dev, &d->h);
    libusb_free_device_list(list, 1);
    if (r != LIBUSB_SUCCESS) {
        device_err e = fail(why, cap, r, "cannot open USB device", f->name);
        free(d);
        return e;
    }
    const char *step = "cannot detach the kernel driver of";
    r = libusb_kernel_driver_active(d->h, f->iface);
    if (r == 1) {
        r = libusb_detach_kernel_driver(d->h, f->iface);
        d->detached = r == LIBUSB_SUCCESS;
    } else {
        r = LIBUSB_SUCCESS;   /* 0: no driver; NOT_SUPPORTED: this platform cannot tell */
    }
    if (r == LIBUSB_SUCCESS) {
        step = "cannot claim the interface of";
        r = libusb_claim_interface(d->h, f->iface);
        d->claimed = r == LIBUSB_SUCCESS;
    }
    if (r != LIBUSB_SUCCESS) {
        device_err e = fail(why, cap, r, step, f->name);
        usb_dev_close(d);
        return e;
    }
    *out = d;
    return DEVICE_OK;
}

void usb_dev_close(usb_dev *d)
{
    if (!d)
        return;
    if (d->claimed)
        libusb_release_interface(d->h, d->f.iface);
    if (d->detached)   /* give the keyboard driver its device back; gone devices fail, fine */
        libusb_attach_kernel_driver(d->h, d->f.iface);
    libusb_close(d->h);
    free(d);
}

const char *usb_dev_why(const usb_dev *d)
{
    return d->why;
}

const usb_found *usb_dev_found(const usb_dev *d)
{
    return &d->f;
}

bool usb_dev_detached_kernel_driver(const usb_dev *d)
{
    return d->detached;
}

static unsigned timeout_of(int timeout_ms)
{
    if (timeout_ms < 0)
        return USB_DEFAULT_TIMEOUT_MS;
    return timeout_ms == 0 ? 1u : (unsigned)timeout_ms;   /* libusb reads 0 as forever */
}

/* A stalled endpoint: clear the halt once (so the next transfer may work) and say so. */
static device_err stalled(usb_dev *d, uint8_t ep)
{
    int r = libusb_clear_halt(d->h, ep);
    snprintf(d->why, sizeof d->why, "USB device %s: endpoint %02x stalled (halt %s)", d->f.name,
             ep, r == LIBUSB_SUCCESS ? "cleared" : libusb_error_name(r));
    return DEVICE_ERR_STALL;
}

static int transfer(usb_dev *d, uint8_t ep, uint8_t *buf, int len, int *n, unsigned timeout)
{
    if (d->f.kind == USB_KIND_PRINTER)
        return libusb_bulk_transfer(d->h, ep, buf, len, n, timeout);
    return libusb_interrupt_transfer(d->h, ep, buf, len, n, timeout);
}

device_err usb_dev_read(usb_dev *d, uint8_t *buf, size_t cap, size_t *got, int timeout_ms)
{
    *got = 0;
    d->why[0] = '\0';
    if (!d->f.ep_in) {
        snprintf(d->why, sizeof d->why, "USB device %s has no IN endpoint", d->f.name);
        return DEVICE_ERR_UNSUPPORTED;
    }
    /* An interrupt (HID) endpoint: ask for exactly one packet, as hidapi and usbscale do.  A
     * transfer ends only on a short packet or a full buffer, and a report that fills its packet
     * (a boot keyboard's 8 bytes on an 8-byte endpoint, a HID POS scanner's 64) is not short:
     * a bigger buffer would gather several reports into one read, which the one-report codecs
     * refuse.  A bulk endpoint (a printer's status) may take what fits.  Never a shorter
     * buffer than a packet: it would overflow on a full report. */
    uint8_t bounce[BOUNCE_CAP];
    uint8_t *dst = buf;
    size_t want = cap > BOUNCE_CAP ? BOUNCE_CAP : cap;
    if (d->f.kind != USB_KIND_PRINTER && d->f.in_size > 0 && d->f.in_size <= want)
        want = d->f.in_size;
    if (d->f.in_size > cap) {
        dst = bounce;
        want = d->f.in_size > BOUNCE_CAP ? BOUNCE_CAP : d->f.in_size;
    }
    int n = 0;
    int r = transfer(d, d->f.ep_in, dst, (int)want, &n, timeout_of(timeout_ms));
    if (r == LIBUSB_ERROR_TIMEOUT)
        r = LIBUSB_SUCCESS;   /* nothing yet (n bytes, usually 0) */
    if (r == LIBUSB_ERROR_PIPE)
        return stalled(d, d->f.ep_in);
    if (r != LIBUSB_SUCCESS)
        return fail(d->why, sizeof d->why, r, "cannot read from USB device", d->f.name);
    if (n < 0)
        n = 0;
    if (dst == bounce) {
        if ((size_t)n > cap) {
            snprintf(d->why, sizeof d->why, "USB device %s: a report of %d bytes does not fit %zu",
                     d->f.name, n, cap);
            return DEVICE_ERR_IO;
        }
        memcpy(buf, bounce, (size_t)n);
    }
    *got = (size_t)n;
    return DEVICE_OK;
}

device_err usb_dev_set_report(usb_dev *d, uint8_t report_type, uint8_t report_id,
                              const uint8_t *data, size_t len, int timeout_ms)
{
    d->why[0] = '\0';
    if (len > 4096) {
        snprintf(d->why, sizeof d->why, "USB device %s: a report of %zu bytes is too long",
                 d->f.name, len);
        return DEVICE_ERR_UNSUPPORTED;
    }
    /* libusb's buffer is not const; an OUT request only reads it. */
    int r = libusb_control_transfer(d->h, LIBUSB_ENDPOINT_OUT | LIBUSB_REQUEST_TYPE_CLASS |
                                              LIBUSB_RECIPIENT_INTERFACE,
                                    0x09, (uint16_t)(report_type << 8 | report_id), d->f.iface,
                                    (uint8_t *)(uintptr_t)data, (uint16_t)len,
                                    timeout_of(timeout_ms));
    if (r >= 0 && (size_t)r == len)
        return DEVICE_OK;
    if (r == LIBUSB_ERROR_PIPE) {
        /* A control pipe's stall ends with the next setup packet: no halt to clear. */
        snprintf(d->why, sizeof d->why, "USB device %s refused SET_REPORT %s %u", d->f.name,
                 report_type == USB_HID_REPORT_FEATURE ? "feature" : "output", report_id);
        return DEVICE_ERR_STALL;
    }
    if (r >= 0 || r == LIBUSB_ERROR_TIMEOUT) {
        snprintf(d->why, sizeof d->why, "USB device %s took %d of %zu report bytes", d->f.name,
                 r < 0 ? 0 : r, len);
        return DEVICE_ERR_TIMEOUT;
    }
    return fail(d->why, sizeof d->why, r, "cannot send a report to USB device", d->f.name);
}

device_err usb_dev_write(usb_dev *d, const uint8_t *buf, size_t len, int timeout_ms)
{
    d->why[0] = '\0';
    if (!d->f.ep_out && d->f.kind != USB_KIND_PRINTER && len > 0) {
        device_err e = usb_dev_set_report(d, USB_HID_REPORT_OUTPUT, buf[0], buf, len, timeout_ms);
        if (e == DEVICE_ERR_STALL)
            e = usb_dev_set_report(d, USB_HID_REPORT_FEATURE, buf[0], buf, len, timeout_ms);
        return e;
    }
    if (!d->f.ep_out) {
        snprintf(d->why, sizeof d->why, "USB device %s has no OUT endpoint", d->f.name);
        return DEVICE_ERR_UNSUPPORTED;
    }
    if (len > (size_t)1 << 24) {
        snprintf(d->why, sizeof d->why, "USB device %s: %zu bytes is too much for one write",
                 d->f.name, len);
        return DEVICE_ERR_UNSUPPORTED;
    }
    int n = 0;
    /* libusb's buffer is not const; an OUT transfer only reads it. */
    int r = transfer(d, d->f.ep_out, (uint8_t *)(uintptr_t)buf, (int)len, &n,
                     timeout_of(timeout_ms));
    if (r == LIBUSB_SUCCESS && (size_t)n == len)
        return DEVICE_OK;
    if (r == LIBUSB_ERROR_PIPE)
        return stalled(d, d->f.ep_out);
    if (r == LIBUSB_SUCCESS || r == LIBUSB_ERROR_TIMEOUT) {
        snprintf(d->why, sizeof d->why, "USB device %s stopped taking bytes: took %d of %zu",
                 d->f.name, n, len);
        return DEVICE_ERR_TIMEOUT;
    }
    return fail(d->why, sizeof d->why, r, "cannot write to USB device", d->f.name);
}

/* ---- the ops tables */

static device_err ops_read(void *self, uint8_t *buf, size_t cap, size_t *got, int timeout_ms)
{
    return usb_dev_read(self, buf, cap, got, timeout_ms);
}

static device_err ops_write(void *self, const uint8_t *buf, size_t len, int timeout_ms)
{
    return usb_dev_write(self, buf, len, timeout_ms);
}

#define USB_OPS(NAME, CLS) {.name = (NAME), .cls = (CLS), .open = NULL, .close = NULL, \
                            .read = ops_read, .write = ops_write}

const device_ops usb_device_ops = USB_OPS("usb", DEVICE_CLASS_COUNT);
static const device_ops usb_class_ops[DEVICE_CLASS_COUNT] = {
    [DEVICE_SCALE] = USB_OPS("usb-scale", DEVICE_SCALE),
    [DEVICE_SCANNER] = USB_OPS("usb-scanner", DEVICE_SCANNER),
    [DEVICE_PRINTER] = USB_OPS("usb-printer", DEVICE_PRINTER),
    [DEVICE_DRAWER] = USB_OPS("usb-printer", DEVICE_DRAWER),
};

const device_ops *usb_ops_for(device_class cls)
{
    return (unsigned)cls < DEVICE_CLASS_COUNT ? &usb_class_ops[cls] : &usb_device_ops;
}
