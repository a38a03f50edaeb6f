/* devices: the devices the till would use and their state, or one reading (CLI.md).
 *
 *   devices [--json]                      a row per device: class, spec and where it came from
 *                                         (option / config / auto), state, name, error sentence
 *   devices --read scale|scanner [--timeout MS] [--sim-weight G]
 *                                         run the device manager until one stable weight
 *                                         ({"grams": 1234, "stable": true, "device": "…"}) or
 *                                         one code; exit 3 when the device is unavailable, 1
 *                                         when it is there but gave nothing in time
 *   devices --watch [--json]              state changes and readings until SIGINT / SIGTERM
 *
 * The same path as the till: pos/app/devices.c resolves the specs (--scale/--scanner, the
 * device.* keys of the database when there is one, else auto), starts the manager with the
 * same opener table and reads its events from a queue.  A simulated scale (--scale sim) has
 * `--sim-weight` grams (default 1000) put on it, so `--read scale` shows the whole path.
 *
 * Rows come from a list of producers (ROWS below), one per kind of device: the scale and the
 * scanner from the manager, the printer from one open through the print queue's own opener
 * (printing_probe) and the drawer behind it.  Then every USB device found and classified
 * (usb_list), configured or not, so a manager can see what is plugged in. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "db/settings.h"
#include "db/store.h"
#include "peripherals/usb_open.h"
#include "pos/app/cli.h"
#include "pos/app/devices.h"
#include "pos/app/printing.h"
#include "pos/core/json.h"

#define DEFAULT_TIMEOUT_MS 10000
#define LIST_SETTLE_MS 1500
#define ROWS_MAX 16

typedef struct {
    char cls[16];
    char spec[DEVSPEC_PATH_CAP + 64];
    const char *source;            /* "option", "config", "auto" */
    const char *state;             /* device_state_name, or "none" */
    char name[DEVICE_NAME_CAP];
    char error[512];               /* "" when none */
} device_row;

typedef struct {
    const devices_plan *plan;
    app_devices *devs;             /* running (listing mode) */
    const printing_options *po;    /* the printer, as run would choose it */
} row_ctx;

/* The scale and the scanner, from the manager's status. */
static void input_rows(const row_ctx *rc, device_row *rows, size_t *n, size_t cap)
{
    for (int i = 0; i < DEVMGR_CLASSES && *n < cap; i++) {
        device_row *r = &rows[(*n)++];
        memset(r, 0, sizeof *r);
        devmgr_status st;
        devmgr_get_status(devices_manager(rc->devs), (device_class)i, &st);
        snprintf(r->cls, sizeof r->cls, "%s", device_class_name((device_class)i));
        devspec_format(&rc->plan->spec[i], r->spec, sizeof r->spec);
        r->source = devices_source_name(rc->plan->source[i]);
        /* Auto that found nothing is not a fault: nothing is plugged in (the scanner then
         * types through the keyboard wedge). */
        bool auto_none = rc->plan->spec[i].kind == DEVSPEC_AUTO && st.state == DEVICE_ERROR &&
                         st.err == DEVICE_ERR_NOT_FOUND;
        if (auto_none)
            st.state = DEVICE_CLOSED;
        r->state = st.managed ? device_state_name(st.state) : "none";
        snprintf(r->name, sizeof r->name, "%s", auto_none ? "" : st.name);
        if (st.managed && st.state == DEVICE_ERROR) {
            char text[256];
            device_error_text(st.err, st.err == DEVICE_ERR_PERMISSION ? st.hint : NULL, text,
                              sizeof text);
            snprintf(r->error, sizeof r->error, "%s%s%.200s", text, st.why[0] ? ": " : "", st.why);
        } else if (st.managed && st.state == DEVICE_CLOSED && rc->plan->spec[i].kind == DEVSPEC_AUTO) {
            snprintf(r->error, sizeof r->error, "%s",
                     i == DEVICE_SCANNER ? "nothing found: scans come through the keyboard wedge"
                                         : "nothing found");
        }
    }
}

/* The printer (opened once and closed) and the drawer behind it (ESC p through the printer:
 * it is there when the printer is). */
static void printer_rows(const row_ctx *rc, device_row *rows, size_t *n, size_t cap)
{
    if (*n + 2 > cap)
        return;
    devspec spec = {.kind = DEVSPEC_AUTO};
    device_state st = DEVICE_CLOSED;
    char name[DEVICE_NAME_CAP], cond[64], why[512];
    device_row *r = &rows[(*n)++];
    memset(r, 0, sizeof *r);
    snprintf(r->cls, sizeof r->cls, "printer");
    r->source = devices_source_name(printing_source(rc->po));
    if (!printing_probe(rc->po, &spec, &st, name, sizeof name, cond, sizeof cond, why,
                        sizeof why)) {
        snprintf(r->spec, sizeof r->spec, "?");
        r->state = device_state_name(DEVICE_ERROR);
        snprintf(r->error, sizeof r->error, "%s", why);
    } else {
        devspec_format(&spec, r->spec, sizeof r->spec);
        r->state = spec.kind == DEVSPEC_NONE ? "none" : device_state_name(st);
        snprintf(r->name, sizeof r->name, "%s", name);
        if (st == DEVICE_ERROR)
            snprintf(r->error, sizeof r->error, "%s", why);
        else if (cond[0] && strcmp(cond, "ready") != 0)
            snprintf(r->error, sizeof r->error, "%s", cond);
    }
    device_row *d = &rows[(*n)++];
    *d = *r;
    snprintf(d->cls, sizeof d->cls, "drawer");
    snprintf(d->spec, sizeof d->spec, "printer");
    if (st != DEVICE_ENABLED && spec.kind != DEVSPEC_NONE && !d->error[0])
        snprintf(d->error, sizeof d->error, "behind the printer, which is not there");
}

typedef void (*row_producer)(const row_ctx *rc, device_row *rows, size_t *n, size_t cap);
static const row_producer ROWS[] = {input_rows, printer_rows};

/* One JSON object on a line of its own: json_line_begin, the caller's fields, json_line_end
 * (prints it and frees the buffer). */
static void json_line_begin(strbuf *sb, json_writer *w)
{
    strbuf_init(sb);
    json_writer_init(w, sb, false);
    json_begin_object(w);
}

static void json_line_end(strbuf *sb, json_writer *w)
{
    json_end_object(w);
    printf("%s\n", sb->data ? sb->data : "{}");
    strbuf_free(sb);
}

/* Every USB device found and classified, for the listing. */
static void print_usb(usb_bus *b, bool json, json_writer *w)
{
    usb_found found[USB_LIST_MAX];
    size_t n = 0;
    char why[USB_WHY_CAP] = "";
    bool ok = b && usb_list(b, found, USB_LIST_MAX, &n, why, sizeof why);
    if (n > USB_LIST_MAX)
        n = USB_LIST_MAX;
    if (json) {
        json_key(w, "usb");
        json_begin_array(w);
        for (size_t i = 0; ok && i < n; i++) {
            char id[16];
            snprintf(id, sizeof id, "%04x:%04x", found[i].vid, found[i].pid);
            json_begin_object(w);
            json_kv_string(w, "class", device_class_name(found[i].cls));
            json_kv_string(w, "kind", usb_kind_name(found[i].kind));
            json_kv_string(w, "id", id);
            json_kv_string(w, "where", found[i].where);
            json_kv_string(w, "name", found[i].name);
            json_end_object(w);
        }
        json_end_array(w);
        return;
    }
    if (!b) {
        printf("USB: not available (libusb could not start)\n");
        return;
    }
    if (!ok) {
        printf("USB: %s\n", why);
        return;
    }
    printf("USB: %zu device%s we drive\n", n, n == 1 ? "" : "s");
    for (size_t i = 0; i < n; i++)
        printf("  %-8s %-14s %04x:%04x  %-10s %s\n", device_class_name(found[i].cls),
               usb_kind_name(found[i].kind), found[i].vid, found[i].pid, found[i].where,
               found[i].name);
}

static void print_rows(const device_row *rows, size_t n, bool json, usb_bus *usb)
{
    if (json) {
        strbuf sb;
        json_writer w;
        json_line_begin(&sb, &w);
        json_key(&w, "devices");
        json_begin_array(&w);
        for (size_t i = 0; i < n; i++) {
            json_begin_object(&w);
            json_kv_string(&w, "class", rows[i].cls);
            json_kv_string(&w, "spec", rows[i].spec);
            json_kv_string(&w, "source", rows[i].source);
            json_kv_string(&w, "state", rows[i].state);
            json_key(&w, "name");
            rows[i].name[0] ? json_string(&w, rows[i].name) : json_null(&w);
            json_key(&w, "error");
            rows[i].error[0] ? json_string(&w, rows[i].error) : json_null(&w);
            json_end_object(&w);
        }
        json_end_array(&w);
        print_usb(usb, true, &w);
        json_line_end(&sb, &w);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        printf("%-8s %-28s %-7s %-8s %s%s%s\n", rows[i].cls, rows[i].spec, rows[i].source,
               rows[i].state, rows[i].name[0] ? rows[i].name : "-",
               rows[i].error[0] ? "  -- " : "", rows[i].error);
    }
    print_usb(usb, false, NULL);
}

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
    (void)sig;
    interrupted = 1;
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void print_event(const evq_event *ev, bool json)
{
    if (ev->kind == EVQ_DEVICE_STATE) {
        const char *cls = device_class_name((device_class)ev->value);
        const char *st = device_state_name((device_state)ev->status);
        if (json) {
            strbuf sb;
            json_writer w;
            json_line_begin(&sb, &w);
            json_kv_string(&w, "event", "state");
            json_kv_string(&w, "class", cls);
            json_kv_string(&w, "state", st);
            json_kv_string(&w, "device", ev->text);   /* a path may hold anything */
            json_line_end(&sb, &w);
        } else {
            printf("%s: %s (%s)\n", cls, st, ev->text[0] ? ev->text : "-");
        }
    } else if (ev->kind == EVQ_SCALE_READING) {
        const char *v = scale_stable_verdict_name((scale_stable_verdict)ev->status);
        if (json)
            printf("{\"event\": \"weight\", \"grams\": %lld, \"stable\": %s, \"verdict\": \"%s\"}\n",
                   (long long)ev->value, ev->flag ? "true" : "false", v);
        else
            printf("scale: %lld g %s\n", (long long)ev->value, v);
    } else if (ev->kind == EVQ_SCAN) {
        if (ev->flag) {
            printf(json ? "{\"event\": \"code\", \"refused\": \"longer than %d\", \"length\": %lld}\n"
                        : "scanner: a code longer than %d characters (%lld): refused\n",
                   EVQ_TEXT_CAP - 1, (long long)ev->value);
        } else if (json) {
            strbuf sb;
            json_writer w;
            json_line_begin(&sb, &w);
            json_kv_string(&w, "event", "code");
            json_kv_string(&w, "code", ev->text);
            json_line_end(&sb, &w);
        } else {
            printf("scanner: %s\n", ev->text);
        }
    }
    fflush(stdout);
}

typedef struct {
    bool watch, json;
    int read;                      /* -1 none, DEVICE_SCALE, DEVICE_SCANNER */
    int timeout_ms;
    int64_t sim_grams;
} devices_args;

static int parse_args(const cli_ctx *ctx, devices_args *a)
{
    a->watch = false;
    a->json = ctx->json;
    a->read = -1;
    a->timeout_ms = DEFAULT_TIMEOUT_MS;
    a->sim_grams = 1000;
    for (int i = 0; i < ctx->argc; i++) {
        const char *s = ctx->argv[i];
        const char *next = i + 1 < ctx->argc ? ctx->argv[i + 1] : NULL;
        char *end = NULL;
        if (strcmp(s, "--watch") == 0) {
            a->watch = true;
        } else if (strcmp(s, "--json") == 0) {
            a->json = true;
        } else if (strcmp(s, "--read") == 0 && next) {
            if (strcmp(next, "scale") == 0)
                a->read = DEVICE_SCALE;
            else if (strcmp(next, "scanner") == 0)
                a->read = DEVICE_SCANNER;
            else {
                cli_error("devices: --read takes scale or scanner, not '%s'", next);
                return EXIT_USAGE;
            }
            i++;
        } else if (strcmp(s, "--timeout") == 0 && next) {
            long v = strtol(next, &end, 10);
            if (!*next || *end || v < 1 || v > 3600000) {
                cli_error("devices: --timeout takes milliseconds (1..3600000), not '%s'", next);
                return EXIT_USAGE;
            }
            a->timeout_ms = (int)v;
            i++;
        } else if (strcmp(s, "--sim-weight") == 0 && next) {
            long v = strtol(next, &end, 10);
            if (!*next || *end || v < 0 || v > 1000000) {
                cli_error("devices: --sim-weight takes grams (0..1000000), not '%s'", next);
                return EXIT_USAGE;
            }
            a->sim_grams = v;
            i++;
        } else {
            cli_error("devices: unexpected argument '%s' (devices [--watch] [--read scale|scanner] "
                      "[--timeout MS] [--json])", s);
            return EXIT_USAGE;
        }
    }
    if (a->watch && a->read >= 0) {
        cli_error("devices: --watch and --read do not go together");
        return EXIT_USAGE;
    }
    return EXIT_DONE;
}

/* A class with nothing to open (none, or auto without simulators or USB): it cannot be read,
 * and the listing does not wait for its first open. */
static bool nothing_to_read(const devices_plan *p, int cls)
{
    return p->spec[cls].kind == DEVSPEC_NONE ||
           (p->spec[cls].kind == DEVSPEC_AUTO && !p->simulate && !p->usb);
}

/* --read: the first ready weight or code, or a timeout. */
static int read_one(const devices_args *a, const devices_plan *plan, app_devices *d, evq *q)
{
    int cls = a->read;
    int64_t end = now_ms() + a->timeout_ms;
    evq_event ev[32];
    while (!interrupted && now_ms() < end) {
        (void)evq_wait(q, 50);
        size_t n = evq_drain(q, ev, sizeof ev / sizeof ev[0]);
        for (size_t i = 0; i < n; i++) {
            devmgr_status st;
            devmgr_get_status(devices_manager(d), (device_class)cls, &st);
            if (cls == DEVICE_SCALE && ev[i].kind == EVQ_SCALE_READING && ev[i].flag) {
                if (a->json) {
                    strbuf sb;
                    json_writer w;
                    json_line_begin(&sb, &w);
                    json_kv_int(&w, "grams", ev[i].value);
                    json_kv_bool(&w, "stable", true);
                    json_kv_string(&w, "device", st.name);
                    json_line_end(&sb, &w);
                } else {
                    printf("%lld g stable (%s)\n", (long long)ev[i].value, st.name);
                }
                return EXIT_DONE;
            }
            if (cls == DEVICE_SCANNER && ev[i].kind == EVQ_SCAN) {
                if (ev[i].flag) {
                    cli_error("devices: the scanner sent a code longer than %d characters",
                              EVQ_TEXT_CAP - 1);
                    return EXIT_REFUSED;
                }
                if (a->json) {
                    strbuf sb;
                    json_writer w;
                    json_line_begin(&sb, &w);
                    json_kv_string(&w, "code", ev[i].text);
                    json_kv_string(&w, "device", st.name);
                    json_line_end(&sb, &w);
                } else {
                    printf("%s\n", ev[i].text);
                }
                return EXIT_DONE;
            }
        }
    }
    devmgr_status st;
    devmgr_get_status(devices_manager(d), (device_class)cls, &st);
    char spec[DEVSPEC_PATH_CAP + 64];
    devspec_format(&plan->spec[cls], spec, sizeof spec);
    if (st.state != DEVICE_ENABLED) {
        char text[256] = "not found";
        if (st.err != DEVICE_OK)
            device_error_text(st.err, st.err == DEVICE_ERR_PERMISSION ? st.hint : NULL, text,
                              sizeof text);
        cli_error("devices: the %s (%s) is unavailable: %s%s%.200s", device_class_name((device_class)cls),
                  spec, text, st.why[0] ? ": " : "", st.why);
        return EXIT_UNAVAILABLE;
    }
    cli_error("devices: no %s from %s within %d ms", cls == DEVICE_SCALE ? "stable weight" : "code",
              st.name, a->timeout_ms);
    return EXIT_REFUSED;
}

int cmd_devices(const cli_ctx *ctx)
{
    devices_args a;
    int rc = parse_args(ctx, &a);
    if (rc != EXIT_DONE)
        return rc;
    /* The device.* keys when there is a till database; without one, options and auto. */
    store *s = NULL;
    if (ctx->db_path && ctx->db_path[0] && access(ctx->db_path, F_OK) == 0) {
        s = cli_open_store(ctx, true);
        if (!s)
            return EXIT_REFUSED;
    }
    devices_plan plan;
    char why[512] = "";
    bool ok = devices_plan_make(&plan, ctx->scale, ctx->scanner, false, s, why, sizeof why);
    char pconf[DEVSPEC_PATH_CAP + 16] = "";
    if (!s || settings_get(s, "device.printer", pconf, sizeof pconf) != STORE_OK)
        pconf[0] = '\0';
    store_close(s);
    if (!ok) {
        cli_error("devices: %s", why);
        return why[0] == '-' ? EXIT_USAGE : EXIT_REFUSED;
    }
    /* As run chooses: USB first; nothing plugged and nothing configured is the simulators. */
    printing_options po = {.spec_text = ctx->printer, .config_text = pconf, .db_path = ctx->db_path};
    devspec pspec;
    if (!printing_resolve(&po, &pspec, why, sizeof why)) {
        cli_error("devices: %s", why);
        return why[0] == '-' ? EXIT_USAGE : EXIT_REFUSED;
    }
    usb_bus *usb = devices_usb_open();
    po.usb = usb;
    po.simulate_devices = devices_detect(&plan, usb, printing_chosen_auto(&po));
    if (a.read >= 0) {
        /* A person asking "is my scale seen?" must not get the demo simulator's weight: the
         * demo default is for the screen; --scale sim reads the simulator on purpose. */
        if (plan.simulate_by_default) {
            cli_error("devices: no %s found (no USB device plugged in, none configured); "
                      "--%s sim reads the simulator",
                      device_class_name((device_class)a.read), device_class_name((device_class)a.read));
            usb_bus_close(usb);
            return EXIT_UNAVAILABLE;
        }
        if (nothing_to_read(&plan, a.read)) {
            cli_error("devices: no %s to read: give --%s SPEC or set device.%s (see config)",
                      device_class_name((device_class)a.read), device_class_name((device_class)a.read),
                      device_class_name((device_class)a.read));
            usb_bus_close(usb);
            return EXIT_UNAVAILABLE;
        }
        int other = a.read == DEVICE_SCALE ? DEVICE_SCANNER : DEVICE_SCALE;
        (void)devspec_parse((device_class)other, "none", &plan.spec[other], NULL, 0);
    }
    evq *q = evq_create(256);
    if (!q) {
        cli_error("out of memory");
        usb_bus_close(usb);
        return EXIT_REFUSED;
    }
    app_devices *d = devices_start(&plan, q, why, sizeof why);
    if (!d) {
        evq_destroy(q);
        usb_bus_close(usb);
        cli_error("devices: %s", why);
        return EXIT_UNAVAILABLE;
    }
    if (devices_simulated(&plan, DEVICE_SCALE))
        sim_scale_set_weight(devices_sim_scale(d), a.sim_grams);

    interrupted = 0;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    struct sigaction old_int, old_term;
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);

    if (a.read >= 0) {
        rc = read_one(&a, &plan, d, q);
    } else if (a.watch) {
        evq_event ev[32];
        while (!interrupted) {
            (void)evq_wait(q, 100);
            size_t n = evq_drain(q, ev, sizeof ev / sizeof ev[0]);
            for (size_t i = 0; i < n; i++)
                print_event(&ev[i], a.json);
        }
        rc = EXIT_DONE;
    } else {
        /* Give every configured device its first open attempt, then list. */
        int64_t end = now_ms() + LIST_SETTLE_MS;
        while (now_ms() < end && !interrupted) {
            bool settled = true;
            for (int i = 0; i < DEVMGR_CLASSES; i++) {
                devmgr_status st;
                devmgr_get_status(devices_manager(d), (device_class)i, &st);
                if (st.managed && !nothing_to_read(&plan, i) && st.opens + st.open_failures == 0)
                    settled = false;
            }
            if (settled)
                break;
            usleep(20 * 1000);
        }
        device_row rows[ROWS_MAX];
        size_t n = 0;
        row_ctx rcx = {.plan = &plan, .devs = d, .po = &po};
        for (size_t i = 0; i < sizeof ROWS / sizeof ROWS[0]; i++)
            ROWS[i](&rcx, rows, &n, ROWS_MAX);
        print_rows(rows, n, a.json, usb);
        rc = EXIT_DONE;
    }
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    devices_stop(d);
    evq_destroy(q);
    usb_bus_close(usb);
    return rc;
}
