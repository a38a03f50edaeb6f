/* usb_open: USB behind the device manager's and the print queue's openers, and the hotplug
 * pump (peripherals/usb_open.h). */
#include "peripherals/usb_open.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PUMP_SLICE_MS 100

static device_err find_and_open(usb_bus *b, const devspec *spec, device_class cls, usb_dev **dev,
                                usb_found *f, char *why, size_t cap)
{
    devspec want = *spec;
    want.cls = cls;
    device_err e = usb_find(b, &want, f, why, cap);
    if (e != DEVICE_OK)
        return e;
    return usb_dev_open(b, f, dev, why, cap);
}

static device_err open_input(void *arg, const devspec *spec, devmgr_link *out, char *why,
                             size_t cap)
{
    usb_bus *b = arg;
    usb_found f;
    usb_dev *dev = NULL;
    device_err e = find_and_open(b, spec, spec->cls, &dev, &f, why, cap);
    if (e != DEVICE_OK)
        return e;
    switch (f.kind) {
    case USB_KIND_HID_SCALE: out->codec = DEVMGR_CODEC_HIDSCALE; break;
    case USB_KIND_KBD_SCANNER: out->codec = DEVMGR_CODEC_BOOTKBD; break;
    case USB_KIND_HIDPOS_SCANNER: out->codec = DEVMGR_CODEC_HIDPOS_SCANNER; break;
    case USB_KIND_PRINTER:
    default:
        usb_dev_close(dev);
        device_why(why, cap, "%s is a %s, not a %s", f.name, usb_kind_name(f.kind),
                   device_class_name(spec->cls));
        return DEVICE_ERR_UNSUPPORTED;
    }
    out->ops = usb_ops_for(spec->cls);
    out->self = dev;
    snprintf(out->name, sizeof out->name, "%s", f.name);
    return DEVICE_OK;
}

static void close_input(void *arg, devmgr_link *link)
{
    (void)arg;
    usb_dev_close(link->self);
    link->self = NULL;
}

devmgr_opener usb_open_devmgr(usb_bus *b, device_class cls, devspec_kind kind)
{
    return (devmgr_opener){.cls = cls, .kind = kind, .open = open_input, .close = close_input,
                           .arg = b, .hint = USB_UDEV_HINT};
}

device_err usb_open_printer(void *arg, const devspec *spec, const device_ops **ops, void **self,
                            char *name, size_t name_cap, char *why, size_t why_cap)
{
    usb_bus *b = arg;
    usb_found f;
    usb_dev *dev = NULL;
    device_err e = find_and_open(b, spec, DEVICE_PRINTER, &dev, &f, why, why_cap);
    if (e != DEVICE_OK)
        return e;
    *ops = usb_ops_for(DEVICE_PRINTER);
    *self = dev;
    snprintf(name, name_cap, "%s", f.name);
    return DEVICE_OK;
}

void usb_close_printer(void *arg, const device_ops *ops, void *self)
{
    (void)arg;
    (void)ops;
    usb_dev_close(self);
}

size_t usb_open_count(usb_bus *b, device_class cls)
{
    return b ? usb_count(b, cls) : 0;
}

/* ---- the pump ---- */

struct usb_pump {
    usb_bus *b;
    pthread_t thread;
    pthread_mutex_t mu;
    bool stop;
    void (*changed)(void *arg);
    void *arg;
};

static void *pump_main(void *vp)
{
    usb_pump *p = vp;
    for (;;) {
        pthread_mutex_lock(&p->mu);
        bool stop = p->stop;
        pthread_mutex_unlock(&p->mu);
        if (stop)
            break;
        /* The hotplug callback (usb.c) runs inside the pump and calls p->changed. */
        (void)usb_bus_pump(p->b, PUMP_SLICE_MS);
    }
    return NULL;
}

usb_pump *usb_pump_start(usb_bus *b, void (*changed)(void *arg), void *arg, char *why,
                         size_t cap)
{
    usb_pump *p = calloc(1, sizeof *p);
    if (!p) {
        device_why(why, cap, "out of memory");
        return NULL;
    }
    p->b = b;
    p->changed = changed;
    p->arg = arg;
    pthread_mutex_init(&p->mu, NULL);
    if (!usb_bus_watch(b, changed, arg)) {
        device_why(why, cap, "this libusb has no hotplug: devices are found by retrying");
        pthread_mutex_destroy(&p->mu);
        free(p);
        return NULL;
    }
    if (pthread_create(&p->thread, NULL, pump_main, p) != 0) {
        usb_bus_watch(b, NULL, NULL);
        device_why(why, cap, "cannot start the USB hotplug thread");
        pthread_mutex_destroy(&p->mu);
        free(p);
        return NULL;
    }
    return p;
}

void usb_pump_stop(usb_pump *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->mu);
    p->stop = true;
    pthread_mutex_unlock(&p->mu);
    pthread_join(p->thread, NULL);
    usb_bus_watch(p->b, NULL, NULL);
    pthread_mutex_destroy(&p->mu);
    free(p);
}
