/* devmgr_open: sim and serial openers for the device manager (peripherals/devmgr_open.h). */
#include "peripherals/devmgr_open.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "peripherals/serial.h"

/* The simulator's tare (HID POS has none; zero goes the codec's way: the `02 02` report). */
static device_err sim_scale_command(void *self, devmgr_scale_cmd cmd, char *why, size_t cap)
{
    if (cmd != DEVMGR_SCALE_TARE)
        return DEVICE_ERR_UNSUPPORTED;
    sim_scale_tare(self);
    device_why(why, cap, "the simulated scale is tared");
    return DEVICE_OK;
}

static device_err open_sim_scale(void *arg, const devspec *spec, devmgr_link *out, char *why,
                                 size_t cap)
{
    (void)spec;
    device_err err = sim_scale_ops.open(arg, NULL);
    if (err != DEVICE_OK) {
        device_why(why, cap, "the simulated scale is unplugged");
        return err;
    }
    out->ops = &sim_scale_ops;
    out->self = arg;
    out->codec = DEVMGR_CODEC_HIDSCALE;
    out->scale_command = sim_scale_command;
    snprintf(out->name, sizeof out->name, "%s", "sim scale");
    return DEVICE_OK;
}

static device_err open_sim_scanner(void *arg, const devspec *spec, devmgr_link *out, char *why,
                                   size_t cap)
{
    (void)spec;
    device_err err = sim_scanner_ops.open(arg, NULL);
    if (err != DEVICE_OK) {
        device_why(why, cap, "the simulated scanner is unplugged");
        return err;
    }
    out->ops = &sim_scanner_ops;
    out->self = arg;
    bool hidpos = sim_scanner_is_hidpos(arg);
    out->codec = hidpos ? DEVMGR_CODEC_HIDPOS_SCANNER : DEVMGR_CODEC_BOOTKBD;
    snprintf(out->name, sizeof out->name, "%s", hidpos ? "sim scanner (HID POS)" : "sim scanner");
    return DEVICE_OK;
}

static void close_ops(void *arg, devmgr_link *link)
{
    (void)arg;
    link->ops->close(link->self);
}

devmgr_opener devmgr_open_sim_scale(sim_scale *sim, devspec_kind kind)
{
    return (devmgr_opener){.cls = DEVICE_SCALE, .kind = kind, .open = open_sim_scale,
                           .close = close_ops, .arg = sim, .hint = NULL};
}

devmgr_opener devmgr_open_sim_scanner(sim_scanner *sim, devspec_kind kind)
{
    return (devmgr_opener){.cls = DEVICE_SCANNER, .kind = kind, .open = open_sim_scanner,
                           .close = close_ops, .arg = sim, .hint = NULL};
}

static device_err open_serial(void *arg, const devspec *spec, devmgr_link *out, char *why,
                              size_t cap)
{
    (void)arg;
    serial_port *p = malloc(sizeof *p);
    if (!p) {
        device_why(why, cap, "out of memory");
        return DEVICE_ERR_NO_MEMORY;
    }
    serial_port_init(p);
    device_err err = serial_open(p, spec->port);
    if (err != DEVICE_OK) {
        device_why(why, cap, "%s", p->why[0] ? p->why : device_strerror(err));
        free(p);
        return err;
    }
    out->ops = &serial_scale_ops;
    out->self = p;
    out->codec = DEVMGR_CODEC_SERIAL_SCALE;
    snprintf(out->name, sizeof out->name, "%.20s %.40s", spec->proto[0] ? spec->proto : "xk3190",
             spec->path);
    return DEVICE_OK;
}

static void close_serial(void *arg, devmgr_link *link)
{
    (void)arg;
    serial_close(link->self);
    free(link->self);
    link->self = NULL;
}

devmgr_opener devmgr_open_serial_scale(void)
{
    return (devmgr_opener){.cls = DEVICE_SCALE, .kind = DEVSPEC_SERIAL, .open = open_serial,
                           .close = close_serial, .arg = NULL, .hint = SERIAL_UDEV_HINT};
}
