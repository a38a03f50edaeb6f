/* emu: emulated USB devices over umockdev for the libusb transport's tests (tests/usb/emu.h).
 * The usbdevfs ioctl handling follows libusb's own tests/umockdev.c (handle_ioctl_cb): URBs are
 * resolved into local copies, completed ones are handed back through REAPURB[NDELAY], discarded
 * ones come back with -ENOENT; each URB only to the open fd (ioctl client) that submitted it. */
#include "tests/usb/emu.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <linux/ioctl.h>
#include <linux/usbdevice_fs.h>
#include <umockdev.h>

struct emu_dev {
    emu_kind kind;
    uint16_t vid, pid;
    unsigned port, devnum;
    char sysfs[64], node[64];
    char manufacturer[64], product[64];
    bool has_manufacturer, has_product;
    UMockdevIoctlBase *handler;
    pthread_mutex_t lock;         /* not GMutex: TSan cannot see GLib's futex locking */
    bool plugged, unplugged;      /* unplugged: ENODEV from now on */
    bool inert;                   /* no ioctl handler: the node is a plain file */
    bool bound;                   /* plugged with usbhid bound (sysfs shows the hid device) */
    bool stall_next_in, stop_answering, kernel_driver;
    long take_left;               /* data bytes still taken before OUT URBs are held; < 0: no limit */
    uint8_t status[5];            /* DLE EOT n reply, [1..4] */
    GQueue reports;               /* GBytes *: IN reports not yet taken */
    GQueue waiting;               /* UMockdevIoctlData *: IN URBs waiting for a report */
    GQueue done;                  /* UMockdevIoctlData *: completed URBs, not yet reaped */
    GQueue stuck;                 /* UMockdevIoctlData *: OUT URBs a silent printer holds */
    GQueue discarded;             /* UMockdevIoctlData *: cancelled, to reap with -ENOENT */
    GHashTable *owner;            /* UMockdevIoctlData * -> the UMockdevIoctlClient (one open fd)
                                   * that submitted it: only that fd may reap it, as with the
                                   * kernel's per-fd URB lists -- another thread's usb_list opens
                                   * a device a manager is reading, and a URB handed to the wrong
                                   * fd would be written into the wrong memory */
    GByteArray *out;
    GByteArray *set_reports;      /* SET_REPORT requests taken: setup (8) + data, each */
    unsigned refuse_reports;      /* SET_REPORT of these types (bit 1 << wValue >> 8) stalls */
    emu_counts counts;
};

static UMockdevTestbed *testbed;
static char *root_dir;
static GList *all_devs;           /* emu_dev *: plugged by a test and not yet freed */

void emu_start(void)
{
    testbed = umockdev_testbed_new();
    g_assert_nonnull(testbed);
    root_dir = umockdev_testbed_get_root_dir(testbed);
}

void emu_stop(void)
{
    g_clear_object(&testbed);
    g_free(root_dir);
    root_dir = NULL;
}

const char *emu_root(void)
{
    return root_dir;
}

/* ---- descriptors */

/* Synthetic HID POS scale report descriptor (devices.md §1.7): Usage Page 0x8D, Scale Device,
 * report 3 = status (1..8), unit (1..12), data scaling (int8), weight (uint16). */
static const uint8_t scale_report_desc[] = {
    0x05, 0x8D, 0x09, 0x20, 0xA1, 0x01, 0x85, 0x03, 0x09, 0x70, 0x15, 0x01, 0x25, 0x08, 0x75,
    0x08, 0x95, 0x01, 0x81, 0x00, 0x09, 0x50, 0x15, 0x01, 0x25, 0x0C, 0x75, 0x08, 0x95, 0x01,
    0x81, 0x02, 0x09, 0x41, 0x15, 0x80, 0x25, 0x7F, 0x75, 0x08, 0x95, 0x01, 0x81, 0x02, 0x09,
    0x40, 0x15, 0x00, 0x26, 0xFF, 0xFF, 0x75, 0x10, 0x95, 0x01, 0x81, 0x02, 0xC0,
};
/* The boot keyboard report descriptor of HID 1.11 Appendix B.1 (input part). */
static const uint8_t kbd_report_desc[] = {
    0x05, 0x01, 0x09, 0x06, 0xA1, 0x01, 0x05, 0x07, 0x19, 0xE0, 0x29, 0xE7, 0x15, 0x00, 0x25,
    0x01, 0x75, 0x01, 0x95, 0x08, 0x81, 0x02, 0x95, 0x01, 0x75, 0x08, 0x81, 0x01, 0x95, 0x06,
    0x75, 0x08, 0x15, 0x00, 0x25, 0x65, 0x05, 0x07, 0x19, 0x00, 0x29, 0x65, 0x81, 0x00, 0xC0,
};
/* Synthetic HID POS barcode scanner: Usage Page 0x8C, Barcode Scanner, report 2 of 63 bytes. */
static const uint8_t hidpos_report_desc[] = {
    0x05, 0x8C, 0x09, 0x02, 0xA1, 0x01, 0x85, 0x02, 0x09, 0xFE, 0x15, 0x00, 0x26, 0xFF, 0x00,
    0x75, 0x08, 0x95, 0x3F, 0x82, 0x02, 0x01, 0xC0,
};

static const uint8_t *report_desc(const emu_dev *d, size_t *len)
{
    switch (d->kind) {
    case EMU_SCALE: *len = sizeof scale_report_desc; return scale_report_desc;
    case EMU_KEYBOARD: *len = sizeof kbd_report_desc; return kbd_report_desc;
    case EMU_HIDPOS: *len = sizeof hidpos_report_desc; return hidpos_report_desc;
    case EMU_PRINTER: break;
    }
    *len = 0;
    return NULL;
}

/* The `descriptors` sysfs attribute: device descriptor + configuration (devices.md §5.2). */
static void descriptors_hex(const emu_dev *d, char *out, size_t cap)
{
    unsigned v = d->vid, p = d->pid;
    char dev[64];
    snprintf(dev, sizeof dev, "12010002000000%s%02x%02x%02x%02x000101020001",
             d->kind == EMU_PRINTER ? "40" : "08", v & 0xff, v >> 8, p & 0xff, p >> 8);
    size_t rlen = 0;
    report_desc(d, &rlen);
    switch (d->kind) {
    case EMU_SCALE:
    case EMU_KEYBOARD:
    case EMU_HIDPOS:
        snprintf(out, cap, "%s" "090222000101008032" "0904000001%s00" "09211101000122%02x00"
                 "07058103%s0a",
                 dev, d->kind == EMU_KEYBOARD ? "030101" : "030000", (unsigned)rlen,
                 d->kind == EMU_HIDPOS ? "4000" : "0800");
        break;
    case EMU_PRINTER:
        snprintf(out, cap, "%s" "09022000010100c032" "090400000207010200"
                 "07050202400000" "07058302400000", dev);
        break;
    }
}

static void add_to_testbed(emu_dev *d)
{
    snprintf(d->sysfs, sizeof d->sysfs, "/sys/devices/usb1/1-%u", d->port);
    snprintf(d->node, sizeof d->node, "/dev/bus/usb/001/%03u", d->devnum);
    if (!d->inert)
        g_assert_true(umockdev_testbed_attach_ioctl(testbed, d->node, d->handler, NULL));
    char hex[512], text[1024];
    descriptors_hex(d, hex, sizeof hex);
    snprintf(text, sizeof text,
             "P: /devices/usb1/1-%u\nN: bus/usb/001/%03u\nE: SUBSYSTEM=usb\nE: DEVTYPE=usb_device\n"
             "E: DRIVER=usb\nE: BUSNUM=001\nE: DEVNUM=%03u\nE: DEVNAME=/dev/bus/usb/001/%03u\n"
             "E: MAJOR=189\nE: MINOR=%u\nA: busnum=1\\n\nA: devnum=%u\\n\nA: speed=12\\n\n"
             "A: bConfigurationValue=1\\n\nH: descriptors=%s\n",
             d->port, d->devnum, d->devnum, d->devnum, d->devnum - 1, d->devnum, hex);
    GError *err = NULL;
    gboolean ok = umockdev_testbed_add_from_string(testbed, text, &err);
    if (!ok)
        g_error("umockdev: %s", err ? err->message : "?");
    if (d->bound) {
        /* usbhid bound: interface 1-P:1.0 and its hid device with the report descriptor in
         * sysfs, as the kernel shows them */
        size_t rlen = 0;
        const uint8_t *rd = report_desc(d, &rlen);
        char rhex[2 * 256 + 1] = "";
        for (size_t i = 0; i < rlen && i < 256; i++)
            snprintf(rhex + 2 * i, 3, "%02x", rd[i]);
        snprintf(text, sizeof text,
                 "P: /devices/usb1/1-%u/1-%u:1.0\nE: SUBSYSTEM=usb\nE: DEVTYPE=usb_interface\n"
                 "E: DRIVER=usbhid\nA: bInterfaceNumber=00\\n\n\n"
                 "P: /devices/usb1/1-%u/1-%u:1.0/0003:%04X:%04X.0001\nE: SUBSYSTEM=hid\n"
                 "E: DRIVER=hid-generic\nH: report_descriptor=%s\n",
                 d->port, d->port, d->port, d->port, d->vid, d->pid, rhex);
        ok = umockdev_testbed_add_from_string(testbed, text, &err);
        if (!ok)
            g_error("umockdev: %s", err ? err->message : "?");
    }
    d->plugged = true;
}

/* ---- URBs */

static void complete_urb(emu_dev *d, UMockdevIoctlData *urb_data, int status, const uint8_t *bytes,
                         size_t len)
{
    struct usbdevfs_urb *urb = (struct usbdevfs_urb *)urb_data->data;
    size_t room = (size_t)urb->buffer_length;
    size_t at = urb->type == USBDEVFS_URB_TYPE_CONTROL ? 8 : 0;
    if (len > room - at)
        len = room - at;
    if (len)
        memcpy((uint8_t *)urb->buffer + at, bytes, len);
    urb->actual_length = (int)len;
    urb->status = status;
    g_queue_push_tail(&d->done, urb_data);
}

/* A control request (setup packet in the first 8 bytes): GET_DESCRIPTOR string / HID report. */
static void control(emu_dev *d, UMockdevIoctlData *urb_data)
{
    struct usbdevfs_urb *urb = (struct usbdevfs_urb *)urb_data->data;
    const uint8_t *s = urb->buffer;
    uint8_t type = s[0], req = s[1], index = s[2], dtype = s[3];
    size_t wlen = (size_t)(s[6] | s[7] << 8);
    uint8_t reply[256];
    size_t n = 0;
    if (type == 0x80 && req == 6 && dtype == 3) {           /* string descriptor */
        d->counts.string_requests++;
        const char *str = index == 1 && d->has_manufacturer ? d->manufacturer
                        : index == 2 && d->has_product ? d->product : NULL;
        if (index == 0) {
            memcpy(reply, "\x04\x03\x09\x04", 4);            /* LANGID en-US */
            n = 4;
        } else if (str) {
            n = 2;
            for (const char *p = str; *p && n + 2 <= sizeof reply; p++) {
                reply[n++] = (uint8_t)*p;
                reply[n++] = 0;
            }
            reply[0] = (uint8_t)n;
            reply[1] = 3;
        } else {
            complete_urb(d, urb_data, -EPIPE, NULL, 0);
            return;
        }
    } else if (type == 0x21 && req == 9) {                   /* HID SET_REPORT */
        if (d->kind == EMU_PRINTER || (dtype < 8 && (d->refuse_reports >> dtype & 1u))) {
            complete_urb(d, urb_data, -EPIPE, NULL, 0);
            return;
        }
        size_t room = (size_t)urb->buffer_length;
        size_t take = 8 + wlen < room ? 8 + wlen : room;
        g_byte_array_append(d->set_reports, s, (guint)take);
        complete_urb(d, urb_data, 0, NULL, 0);
        urb->actual_length = (int)(take - 8);
        return;
    } else if (type == 0x81 && req == 6 && dtype == 0x22) { /* HID report descriptor */
        d->counts.report_requests++;
        const uint8_t *rd = report_desc(d, &n);
        if (!rd) {
            complete_urb(d, urb_data, -EPIPE, NULL, 0);
            return;
        }
        memcpy(reply, rd, n);
    } else {
        complete_urb(d, urb_data, -EPIPE, NULL, 0);
        return;
    }
    complete_urb(d, urb_data, 0, reply, n < wlen ? n : wlen);
}

/* emu_hold_out_after: a data URB beyond the bytes still taken is held; a URB that is just a
 * DLE EOT request (3 bytes) is not counted and always answered. */
static bool holds(emu_dev *d, const struct usbdevfs_urb *urb)
{
    const uint8_t *b = urb->buffer;
    size_t len = (size_t)urb->buffer_length;
    if (d->take_left < 0 || (len == 3 && b[0] == 0x10 && b[1] == 0x04))
        return false;
    if ((long)len > d->take_left) {
        d->take_left = 0;            /* held: so is everything after it */
        return true;
    }
    d->take_left -= (long)len;
    return false;
}

static void submit(emu_dev *d, UMockdevIoctlData *urb_data)
{
    struct usbdevfs_urb *urb = (struct usbdevfs_urb *)urb_data->data;
    if (urb->type == USBDEVFS_URB_TYPE_CONTROL) {
        control(d, urb_data);
    } else if (urb->endpoint & 0x80) {
        if (d->stall_next_in) {
            d->stall_next_in = false;
            complete_urb(d, urb_data, -EPIPE, NULL, 0);
        } else {
            g_queue_push_tail(&d->waiting, urb_data);
        }
    } else if (d->stop_answering || holds(d, urb)) {
        g_queue_push_tail(&d->stuck, urb_data);
    } else {
        const uint8_t *b = urb->buffer;
        size_t len = (size_t)urb->buffer_length;
        g_byte_array_append(d->out, b, (guint)len);
        for (size_t i = 0; i + 2 < len; i++)          /* DLE EOT n: real-time status */
            if (b[i] == 0x10 && b[i + 1] == 0x04 && b[i + 2] >= 1 && b[i + 2] <= 4)
                g_queue_push_tail(&d->reports, g_bytes_new(&d->status[b[i + 2]], 1));
        complete_urb(d, urb_data, 0, NULL, 0);
        urb->actual_length = (int)len;
    }
}

/* The first URB of q that client c submitted, taken out of q (and of the owner table). */
static UMockdevIoctlData *pop_owned(emu_dev *d, GQueue *q, UMockdevIoctlClient *c)
{
    for (GList *l = q->head; l; l = l->next) {
        UMockdevIoctlData *u = l->data;
        if (g_hash_table_lookup(d->owner, u) == c) {
            g_queue_delete_link(q, l);
            g_hash_table_remove(d->owner, u);
            return u;
        }
    }
    return NULL;
}

/* The next URB of client c to hand back, or NULL. */
static UMockdevIoctlData *reapable(emu_dev *d, UMockdevIoctlClient *c)
{
    UMockdevIoctlData *u = pop_owned(d, &d->discarded, c);
    if (u) {
        ((struct usbdevfs_urb *)u->data)->status = -ENOENT;
        return u;
    }
    if (!g_queue_is_empty(&d->waiting) && !g_queue_is_empty(&d->reports)) {
        GBytes *rep = g_queue_pop_head(&d->reports);
        gsize len = 0;
        const uint8_t *bytes = g_bytes_get_data(rep, &len);
        complete_urb(d, g_queue_pop_head(&d->waiting), 0, bytes, len);
        g_bytes_unref(rep);
    }
    if (d->unplugged) {   /* the kernel ends what was pending with -ESHUTDOWN */
        while ((u = g_queue_pop_head(&d->waiting)) || (u = g_queue_pop_head(&d->stuck)))
            complete_urb(d, u, -ESHUTDOWN, NULL, 0);
    }
    return pop_owned(d, &d->done, c);
}

static bool discard(GQueue *q, gulong addr, emu_dev *d)
{
    for (GList *l = q->head; l; l = l->next) {
        UMockdevIoctlData *u = l->data;
        if (u->client_addr == addr) {
            g_queue_delete_link(q, l);
            g_queue_push_tail(&d->discarded, u);
            return true;
        }
    }
    return false;
}

static gboolean on_ioctl(UMockdevIoctlBase *h, UMockdevIoctlClient *c, gpointer user)
{
    (void)h;
    emu_dev *d = user;
    gulong req = umockdev_ioctl_client_get_request(c);
    UMockdevIoctlData *arg = umockdev_ioctl_client_get_arg(c);
    pthread_mutex_lock(&d->lock);
    int res = 0, err = 0;
    bool unplugged = d->unplugged;
    switch (req) {
    case USBDEVFS_GET_CAPABILITIES: {
        UMockdevIoctlData *x = umockdev_ioctl_data_resolve(arg, 0, sizeof(guint32), NULL);
        *(guint32 *)x->data = USBDEVFS_CAP_BULK_SCATTER_GATHER | USBDEVFS_CAP_BULK_CONTINUATION |
                              USBDEVFS_CAP_NO_PACKET_SIZE_LIM |
                              USBDEVFS_CAP_REAP_AFTER_DISCONNECT | USBDEVFS_CAP_ZERO_PACKET;
        umockdev_ioctl_data_unref(x);
        break;
    }
    case USBDEVFS_CLAIMINTERFACE:
        if (unplugged)
            res = -1, err = ENODEV;
        else if (d->kernel_driver)
            res = -1, err = EBUSY;
        else
            d->counts.claim++;
        break;
    case USBDEVFS_RELEASEINTERFACE:
        d->counts.release++;
        break;
    case USBDEVFS_CLEAR_HALT:
        d->counts.clear_halt++;
        break;
    case USBDEVFS_RESET:
    case USBDEVFS_RESETEP:
        break;
    case USBDEVFS_GETDRIVER: {
        UMockdevIoctlData *x = umockdev_ioctl_data_resolve(arg, 0, sizeof(struct usbdevfs_getdriver), NULL);
        struct usbdevfs_getdriver *g = (struct usbdevfs_getdriver *)x->data;
        if (d->kernel_driver && g->interface == 0)
            snprintf(g->driver, sizeof g->driver, "usbhid");
        else
            res = -1, err = ENODATA;
        umockdev_ioctl_data_unref(x);
        break;
    }
    case USBDEVFS_IOCTL: {
        UMockdevIoctlData *x = umockdev_ioctl_data_resolve(arg, 0, sizeof(struct usbdevfs_ioctl), NULL);
        struct usbdevfs_ioctl *io = (struct usbdevfs_ioctl *)x->data;
        if (io->ioctl_code == (int)USBDEVFS_DISCONNECT && d->kernel_driver) {
            d->kernel_driver = false;
            d->counts.detach++;
        } else if (io->ioctl_code == (int)USBDEVFS_CONNECT && !unplugged) {
            d->kernel_driver = true;
            d->counts.attach++;
        } else {
            res = -1, err = unplugged ? ENODEV : ENODATA;
        }
        umockdev_ioctl_data_unref(x);
        break;
    }
    case USBDEVFS_SUBMITURB: {
        if (unplugged) {
            res = -1, err = ENODEV;
            break;
        }
        UMockdevIoctlData *u = umockdev_ioctl_data_resolve(arg, 0, sizeof(struct usbdevfs_urb), NULL);
        struct usbdevfs_urb *urb = (struct usbdevfs_urb *)u->data;
        UMockdevIoctlData *b = umockdev_ioctl_data_resolve(
            u, G_STRUCT_OFFSET(struct usbdevfs_urb, buffer), (gsize)urb->buffer_length, NULL);
        umockdev_ioctl_data_unref(b);   /* u keeps it; urb->buffer now points at the copy */
        g_hash_table_insert(d->owner, u, c);
        submit(d, u);
        break;
    }
    case USBDEVFS_REAPURB:
    case USBDEVFS_REAPURBNDELAY: {
        UMockdevIoctlData *u = reapable(d, c);
        if (!u) {
            res = -1, err = unplugged ? ENODEV : EAGAIN;
            break;
        }
        UMockdevIoctlData *p = umockdev_ioctl_data_resolve(arg, 0, sizeof(gpointer), NULL);
        umockdev_ioctl_data_set_ptr(p, 0, u);
        umockdev_ioctl_data_unref(p);
        umockdev_ioctl_data_unref(u);
        break;
    }
    case USBDEVFS_DISCARDURB: {
        gulong addr = (gulong) * (void **)arg->data;
        if (discard(&d->waiting, addr, d) || discard(&d->stuck, addr, d))
            d->counts.discard++;
        else
            res = -1, err = EINVAL;
        break;
    }
    default:
        pthread_mutex_unlock(&d->lock);
        return FALSE;
    }
    pthread_mutex_unlock(&d->lock);
    umockdev_ioctl_client_complete(c, res, err);
    return TRUE;
}

/* ---- devices */

static emu_dev *plug(emu_kind kind, uint16_t vid, uint16_t pid, unsigned port, unsigned devnum,
                     const char *manufacturer, const char *product, bool inert, bool bound)
{
    emu_dev *d = g_new0(emu_dev, 1);
    d->inert = inert;
    d->bound = bound;
    d->kernel_driver = bound;
    all_devs = g_list_prepend(all_devs, d);
    d->kind = kind;
    d->vid = vid;
    d->pid = pid;
    d->port = port;
    d->devnum = devnum;
    memset(d->status, 0x12, sizeof d->status);   /* DLE EOT: online, no error (devices.md §4.2) */
    d->take_left = -1;
    if (manufacturer)
        snprintf(d->manufacturer, sizeof d->manufacturer, "%s", manufacturer);
    if (product)
        snprintf(d->product, sizeof d->product, "%s", product);
    d->has_manufacturer = manufacturer != NULL;
    d->has_product = product != NULL;
    pthread_mutex_init(&d->lock, NULL);
    g_queue_init(&d->reports);
    g_queue_init(&d->waiting);
    g_queue_init(&d->done);
    g_queue_init(&d->stuck);
    g_queue_init(&d->discarded);
    d->owner = g_hash_table_new(g_direct_hash, g_direct_equal);
    d->out = g_byte_array_new();
    d->set_reports = g_byte_array_new();
    d->handler = umockdev_ioctl_base_new();
    g_signal_connect(d->handler, "handle-ioctl", G_CALLBACK(on_ioctl), d);
    add_to_testbed(d);
    return d;
}

emu_dev *emu_plug(emu_kind kind, uint16_t vid, uint16_t pid, unsigned port, unsigned devnum,
                  const char *manufacturer, const char *product)
{
    return plug(kind, vid, pid, port, devnum, manufacturer, product, false, false);
}

emu_dev *emu_plug_bound(emu_kind kind, uint16_t vid, uint16_t pid, unsigned port, unsigned devnum,
                        const char *manufacturer, const char *product)
{
    return plug(kind, vid, pid, port, devnum, manufacturer, product, false, true);
}

emu_dev *emu_plug_inert(emu_kind kind, uint16_t vid, uint16_t pid, unsigned port, unsigned devnum)
{
    return plug(kind, vid, pid, port, devnum, NULL, NULL, true, false);
}

void emu_unplug(emu_dev *d)
{
    if (!d->plugged)
        return;
    pthread_mutex_lock(&d->lock);
    d->unplugged = true;
    pthread_mutex_unlock(&d->lock);
    umockdev_testbed_uevent(testbed, d->sysfs, "remove");
    umockdev_testbed_remove_device(testbed, d->sysfs);
    if (!d->inert)
        umockdev_testbed_detach_ioctl(testbed, d->node, NULL);
    d->plugged = false;
}

void emu_replug(emu_dev *d)
{
    pthread_mutex_lock(&d->lock);
    d->unplugged = false;
    d->stop_answering = false;
    d->take_left = -1;
    d->devnum += 10;   /* a new address on the same port, as the kernel gives one */
    pthread_mutex_unlock(&d->lock);
    add_to_testbed(d);
}

static void drop_all(GQueue *q)
{
    UMockdevIoctlData *u;
    while ((u = g_queue_pop_head(q)))
        umockdev_ioctl_data_unref(u);
}

void emu_free(emu_dev *d)
{
    if (!d)
        return;
    all_devs = g_list_remove(all_devs, d);
    emu_unplug(d);
    g_object_unref(d->handler);
    GBytes *b;
    while ((b = g_queue_pop_head(&d->reports)))
        g_bytes_unref(b);
    drop_all(&d->waiting);
    drop_all(&d->done);
    drop_all(&d->stuck);
    drop_all(&d->discarded);
    g_hash_table_destroy(d->owner);
    g_byte_array_unref(d->out);
    g_byte_array_unref(d->set_reports);
    pthread_mutex_destroy(&d->lock);
    g_free(d);
}

void emu_free_all(void)
{
    while (all_devs)
        emu_free(all_devs->data);
}

void emu_push_in(emu_dev *d, const uint8_t *bytes, size_t len)
{
    pthread_mutex_lock(&d->lock);
    g_queue_push_tail(&d->reports, g_bytes_new(bytes, len));
    pthread_mutex_unlock(&d->lock);
}

void emu_stall_next_in(emu_dev *d)
{
    pthread_mutex_lock(&d->lock);
    d->stall_next_in = true;
    pthread_mutex_unlock(&d->lock);
}

void emu_stop_answering(emu_dev *d, bool stop)
{
    pthread_mutex_lock(&d->lock);
    d->stop_answering = stop;
    if (!stop)
        d->take_left = -1;
    pthread_mutex_unlock(&d->lock);
}

void emu_hold_out_after(emu_dev *d, size_t bytes)
{
    pthread_mutex_lock(&d->lock);
    d->take_left = (long)bytes;
    pthread_mutex_unlock(&d->lock);
}

size_t emu_held_out(emu_dev *d)
{
    pthread_mutex_lock(&d->lock);
    size_t n = g_queue_get_length(&d->stuck);
    pthread_mutex_unlock(&d->lock);
    return n;
}

void emu_set_status(emu_dev *d, uint8_t status)
{
    pthread_mutex_lock(&d->lock);
    memset(d->status, status, sizeof d->status);
    pthread_mutex_unlock(&d->lock);
}

void emu_set_status_n(emu_dev *d, unsigned n, uint8_t status)
{
    pthread_mutex_lock(&d->lock);
    if (n >= 1 && n <= 4)
        d->status[n] = status;
    pthread_mutex_unlock(&d->lock);
}

void emu_set_kernel_driver(emu_dev *d, bool bound)
{
    pthread_mutex_lock(&d->lock);
    d->kernel_driver = bound;
    pthread_mutex_unlock(&d->lock);
}

size_t emu_out_bytes(emu_dev *d, uint8_t *out, size_t cap)
{
    pthread_mutex_lock(&d->lock);
    size_t n = d->out->len < cap ? d->out->len : cap;
    if (n)   /* an empty GByteArray's data may be NULL */
        memcpy(out, d->out->data, n);
    if (!out)
        n = d->out->len;
    pthread_mutex_unlock(&d->lock);
    return n;
}

emu_counts emu_get_counts(emu_dev *d)
{
    pthread_mutex_lock(&d->lock);
    emu_counts c = d->counts;
    pthread_mutex_unlock(&d->lock);
    return c;
}

size_t emu_set_reports(emu_dev *d, uint8_t *out, size_t cap)
{
    pthread_mutex_lock(&d->lock);
    size_t n = d->set_reports->len < cap ? d->set_reports->len : cap;
    if (n)
        memcpy(out, d->set_reports->data, n);
    pthread_mutex_unlock(&d->lock);
    return n;
}

void emu_refuse_set_report(emu_dev *d, unsigned type_mask)
{
    pthread_mutex_lock(&d->lock);
    d->refuse_reports = type_mask;
    pthread_mutex_unlock(&d->lock);
}
