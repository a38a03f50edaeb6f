/* devspec: the device-selection grammar (peripherals/devspec.h).  The serial port and scale
 * protocol parts are checked with the parsers that will read them (serial_spec_parse,
 * serial_scale_config_parse), so a spec that parses here opens or fails for a device reason,
 * never for a typo found later on the manager's thread. */
#include "peripherals/devspec.h"

#include <stdio.h>
#include <string.h>

#include "peripherals/scale/serial_scale.h"
#include "peripherals/serial.h"

const char *devspec_kind_name(devspec_kind kind)
{
    switch (kind) {
    case DEVSPEC_AUTO: return "auto";
    case DEVSPEC_NONE: return "none";
    case DEVSPEC_SIM: return "sim";
    case DEVSPEC_USB: return "usb";
    case DEVSPEC_SERIAL: return "serial";
    case DEVSPEC_FILE: return "file";
    }
    return "unknown";
}

static bool class_takes(device_class cls, devspec_kind kind)
{
    switch (kind) {
    case DEVSPEC_AUTO:
    case DEVSPEC_NONE:
    case DEVSPEC_SIM:
    case DEVSPEC_USB:
        return cls == DEVICE_SCALE || cls == DEVICE_SCANNER || cls == DEVICE_PRINTER;
    case DEVSPEC_SERIAL:
        return cls == DEVICE_SCALE;
    case DEVSPEC_FILE:
        return cls == DEVICE_PRINTER;
    }
    return false;
}

/* Exactly 4 hex digits at s (not NUL-terminated: the caller checks what follows). */
static bool hex4(const char *s, uint16_t *out)
{
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        char c = s[i];
        unsigned d;
        if (c >= '0' && c <= '9')
            d = (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            d = (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            d = (unsigned)(c - 'A' + 10);
        else
            return false;
        v = v * 16u + d;
    }
    *out = (uint16_t)v;
    return true;
}

static bool parse_usb(const char *rest, devspec *out, char *why, size_t cap)
{
    /* rest = "VID:PID" */
    if (strlen(rest) != 9 || rest[4] != ':' || !hex4(rest, &out->vid) ||
        !hex4(rest + 5, &out->pid))
        return device_why(why, cap,
                          "usb spec \"usb:%.40s\": want usb:VID:PID with 4 hex digits each, "
                          "e.g. usb:0922:8003",
                          rest);
    return true;
}

static bool parse_serial(const char *rest, devspec *out, char *why, size_t cap)
{
    /* rest = PATH[:BAUD[:PROTO]]; PATH holds no ':'; PROTO is everything after the 2nd ':'. */
    const char *c1 = strchr(rest, ':');
    size_t plen = c1 ? (size_t)(c1 - rest) : strlen(rest);
    if (plen == 0)
        return device_why(why, cap, "serial spec: the port path is empty "
                                    "(want serial:/dev/ttyUSB0[:9600[:xk3190]])");
    if (plen >= sizeof out->path)
        return device_why(why, cap, "serial spec: the port path is %zu bytes long (at most %zu)",
                          plen, sizeof out->path - 1);
    memcpy(out->path, rest, plen);
    out->path[plen] = '\0';
    char baud[32] = "9600";
    const char *proto = "xk3190";
    if (c1) {
        const char *b = c1 + 1;
        const char *c2 = strchr(b, ':');
        size_t blen = c2 ? (size_t)(c2 - b) : strlen(b);
        if (blen == 0 || blen >= sizeof baud)
            return device_why(why, cap, "serial spec \"%.60s\": the baud part is %s", rest,
                              blen == 0 ? "empty" : "too long");
        memcpy(baud, b, blen);
        baud[blen] = '\0';
        if (c2) {
            proto = c2 + 1;
            if (!*proto)
                return device_why(why, cap, "serial spec \"%.60s\": the protocol is empty", rest);
        }
    }
    int n = snprintf(out->port, sizeof out->port, "%s,%s", out->path, baud);
    if (n < 0 || (size_t)n >= sizeof out->port)
        return device_why(why, cap, "serial spec: too long");
    serial_spec ss;
    if (!serial_spec_parse(out->port, &ss, why, cap))
        return false;
    /* Back in serial.h's canonical form ("...,9600,8N1"), so equal ports compare equal. */
    serial_spec_format(&ss, out->port, sizeof out->port);
    if (strlen(proto) >= sizeof out->proto)
        return device_why(why, cap, "serial spec: the protocol \"%.40s...\" is too long", proto);
    serial_scale_config sc;
    if (!serial_scale_config_parse(proto, &sc, why, cap))
        return false;
    snprintf(out->proto, sizeof out->proto, "%s", proto);
    return true;
}

bool devspec_parse(device_class cls, const char *text, devspec *out, char *why, size_t cap)
{
    if (why && cap)
        why[0] = '\0';
    memset(out, 0, sizeof *out);
    out->cls = cls;
    out->kind = DEVSPEC_AUTO;
    if (!text || !*text || strcmp(text, "auto") == 0)
        return true;

    devspec_kind kind;
    const char *rest = NULL;
    if (strcmp(text, "none") == 0) {
        kind = DEVSPEC_NONE;
    } else if (strcmp(text, "sim") == 0) {
        kind = DEVSPEC_SIM;
    } else if (strncmp(text, "usb:", 4) == 0) {
        kind = DEVSPEC_USB;
        rest = text + 4;
    } else if (strncmp(text, "serial:", 7) == 0) {
        kind = DEVSPEC_SERIAL;
        rest = text + 7;
    } else if (strncmp(text, "file:", 5) == 0) {
        kind = DEVSPEC_FILE;
        rest = text + 5;
    } else {
        return device_why(why, cap,
                          "%s spec \"%.60s\": want auto, none, sim, usb:VID:PID%s%s",
                          device_class_name(cls), text,
                          cls == DEVICE_SCALE ? ", serial:PATH[:BAUD[:PROTOCOL]]" : "",
                          cls == DEVICE_PRINTER ? ", file:PATH" : "");
    }
    if (!class_takes(cls, kind))
        return device_why(why, cap, "a %s cannot be %s: (\"%.60s\")", device_class_name(cls),
                          devspec_kind_name(kind), text);

    devspec s = *out;
    s.kind = kind;
    bool ok = true;
    if (kind == DEVSPEC_USB) {
        ok = parse_usb(rest, &s, why, cap);
    } else if (kind == DEVSPEC_SERIAL) {
        ok = parse_serial(rest, &s, why, cap);
    } else if (kind == DEVSPEC_FILE) {
        size_t len = strlen(rest);
        if (len == 0)
            ok = device_why(why, cap, "printer spec file: needs a path (file:/tmp/receipts.bin)");
        else if (len >= sizeof s.path)
            ok = device_why(why, cap, "printer spec: the file path is %zu bytes long (at most %zu)",
                            len, sizeof s.path - 1);
        else
            memcpy(s.path, rest, len + 1);
    }
    if (ok)
        *out = s;
    return ok;
}

size_t devspec_format(const devspec *s, char *out, size_t cap)
{
    int n = 0;
    switch (s->kind) {
    case DEVSPEC_AUTO:
    case DEVSPEC_NONE:
    case DEVSPEC_SIM:
        n = snprintf(out, cap, "%s", devspec_kind_name(s->kind));
        break;
    case DEVSPEC_USB:
        n = snprintf(out, cap, "usb:%04x:%04x", s->vid, s->pid);
        break;
    case DEVSPEC_SERIAL: {
        /* port is "PATH,BAUD,FRAME": the grammar's BAUD part is "BAUD,FRAME". */
        const char *comma = strchr(s->port, ',');
        n = snprintf(out, cap, "serial:%s:%s:%s", s->path, comma ? comma + 1 : "9600",
                     s->proto[0] ? s->proto : "xk3190");
        break;
    }
    case DEVSPEC_FILE:
        n = snprintf(out, cap, "file:%s", s->path);
        break;
    }
    return n < 0 ? 0 : (size_t)n;
}
