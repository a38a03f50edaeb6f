/* devices_script: the script commands of the simulated input devices (`weight`, `device scale
 * ...`, `device scanner ...`) and what the runner waits for after each -- the manager's own
 * event, so a scripted weight or scan goes through the real path (sim bytes, codec, thread,
 * queue) before the next line runs.  See devices.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pos/app/devices.h"

static void await_reading(devices_await *w, bool ready, int32_t verdict, int64_t grams,
                          const char *what)
{
    memset(w, 0, sizeof *w);
    w->on = true;
    w->kind = EVQ_SCALE_READING;
    w->flag = ready;
    w->status = verdict;
    w->value = grams;
    snprintf(w->what, sizeof w->what, "%s", what);
}

static void await_state(devices_await *w, device_class cls, device_state st, const char *what)
{
    memset(w, 0, sizeof *w);
    w->on = true;
    w->kind = EVQ_DEVICE_STATE;
    w->value = (int64_t)cls;
    w->status = (int32_t)st;
    snprintf(w->what, sizeof w->what, "%s", what);
}

bool devices_await_match(const devices_await *w, const evq_event *ev)
{
    if (!w->on || ev->kind != w->kind)
        return false;
    switch (w->kind) {
    case EVQ_SCALE_READING:
        if (w->flag)
            return ev->flag && ev->value == w->value;
        if (w->status == SCALE_STABLE_MOTION || w->status == SCALE_STABLE_UNDER_ZERO)
            return !ev->flag && ev->status == w->status && (w->value < 0 || ev->value == w->value);
        return !ev->flag && ev->status == w->status;
    case EVQ_DEVICE_STATE:
        return ev->value == w->value && ev->status == w->status;
    case EVQ_SCAN:
        return w->flag ? ev->flag : (!ev->flag && strcmp(ev->text, w->text) == 0);
    case EVQ_SCALE_COMMAND:
        return ev->value == w->value;   /* its outcome, whatever it is: the screen says it */
    default:
        return false;
    }
}

static bool grams_arg(const char *s, int64_t *out)
{
    if (!s || !*s)
        return false;
    char *end = NULL;
    long long v = strtoll(s, &end, 10);
    if (*end || s[0] < '0' || s[0] > '9' || v < 0 || v > 1000000)
        return false;
    *out = (int64_t)v;
    return true;
}

bool devices_script_weight(app_devices *d, const devices_plan *p, int64_t grams,
                           devices_await *w)
{
    if (!d || !devices_simulated(p, DEVICE_SCALE))
        return false;
    sim_scale *sim = devices_sim_scale(d);
    sim_scale_set_weight(sim, grams);
    /* GRAMS are the goods on the platter; a zeroed or tared scale reads them less its zero
     * offset and tare (F11, `device scale zero|tare`). */
    int64_t net = grams - sim_scale_zero_offset(sim) - sim_scale_tare_grams(sim);
    char what[96];
    if (net < 0) {
        snprintf(what, sizeof what, "the scale under zero (%lld g)", (long long)net);
        await_reading(w, false, SCALE_STABLE_UNDER_ZERO, net, what);
    } else if (net == 0) {
        await_reading(w, false, SCALE_STABLE_EMPTY, 0, "an empty scale");
    } else if (net != grams) {
        snprintf(what, sizeof what, "a stable net %lld g", (long long)net);
        await_reading(w, true, SCALE_STABLE_READY, net, what);
    } else {
        snprintf(what, sizeof what, "a stable %lld g", (long long)grams);
        await_reading(w, true, SCALE_STABLE_READY, grams, what);
    }
    return true;
}

static bool scale_command(app_devices *d, const devices_plan *p, const char *ev,
                          const char *rest, devices_await *w, char *why, size_t cap)
{
    sim_scale *s = devices_sim_scale(d);
    int64_t g = -1;
    if (rest && *rest && !grams_arg(rest, &g)) {
        snprintf(why, cap, "device scale %s: '%.40s' is not whole grams (0..1000000)", ev, rest);
        return false;
    }
    if (strcmp(ev, "weight") == 0) {
        if (g < 0) {
            snprintf(why, cap, "device scale weight needs GRAMS");
            return false;
        }
        return devices_script_weight(d, p, g, w);
    }
    if (strcmp(ev, "motion") == 0) {
        sim_scale_set_mode(s, SIM_SCALE_MOTION, g);
        await_reading(w, false, SCALE_STABLE_MOTION, -1, "the scale in motion");
    } else if (strcmp(ev, "under") == 0) {
        sim_scale_set_mode(s, SIM_SCALE_UNDER_ZERO, g);
        await_reading(w, false, SCALE_STABLE_UNDER_ZERO, -1, "the scale under zero");
    } else if (strcmp(ev, "over") == 0 && g < 0) {
        sim_scale_set_mode(s, SIM_SCALE_OVER_CAPACITY, -1);
        await_reading(w, false, SCALE_STABLE_OVER_CAPACITY, 0, "the scale over capacity");
    } else if (strcmp(ev, "fault") == 0 && g < 0) {
        sim_scale_set_mode(s, SIM_SCALE_FAULT, -1);
        await_reading(w, false, SCALE_STABLE_FAULT, 0, "the scale's fault");
    } else if (strcmp(ev, "unplug") == 0 && g < 0) {
        sim_scale_unplug(s);
        await_state(w, DEVICE_SCALE, DEVICE_ERROR, "the scale unplugged");
    } else if (strcmp(ev, "plug") == 0 && g < 0) {
        sim_scale_plug(s);
        devices_nudge(d);   /* as a hotplug callback would */
        await_state(w, DEVICE_SCALE, DEVICE_ENABLED, "the scale back");
    } else {
        snprintf(why, cap, "device scale: unknown event '%.40s%s%.40s' (motion [G], under [G], "
                           "over, fault, unplug, plug, weight G, zero, tare)", ev, rest ? " " : "",
                 rest ? rest : "");
        return false;
    }
    return true;
}

static bool scanner_command(app_devices *d, const char *ev, const char *rest, devices_await *w,
                            char *why, size_t cap)
{
    sim_scanner *s = devices_sim_scanner(d);
    if (strcmp(ev, "scan") == 0 && rest && *rest) {
        if (strlen(rest) >= EVQ_TEXT_CAP) {
            /* Through the real path, and refused on screen as too long: nothing to wait for
             * but the refusal, which the runner cannot tell from an event. */
            if (!sim_scanner_scan(s, rest)) {
                snprintf(why, cap, "device scanner scan: the simulated scanner cannot type this code");
                return false;
            }
            memset(w, 0, sizeof *w);
            w->on = true;
            w->kind = EVQ_SCAN;
            w->text[0] = '\0';
            snprintf(w->what, sizeof w->what, "the long code refused");
            w->flag = true;
            return true;
        }
        if (!sim_scanner_scan(s, rest)) {
            snprintf(why, cap, "device scanner scan: '%.60s' has a character no key types", rest);
            return false;
        }
        memset(w, 0, sizeof *w);
        w->on = true;
        w->kind = EVQ_SCAN;
        snprintf(w->text, sizeof w->text, "%s", rest);
        snprintf(w->what, sizeof w->what, "the scan of %.60s", rest);
    } else if (strcmp(ev, "unplug") == 0 && !rest) {
        sim_scanner_unplug(s);
        await_state(w, DEVICE_SCANNER, DEVICE_ERROR, "the scanner unplugged");
    } else if (strcmp(ev, "plug") == 0 && !rest) {
        sim_scanner_plug(s);
        devices_nudge(d);
        await_state(w, DEVICE_SCANNER, DEVICE_ENABLED, "the scanner back");
    } else {
        snprintf(why, cap, "device scanner: unknown event '%.40s' (scan CODE, unplug, plug)", ev);
        return false;
    }
    return true;
}

bool devices_script_scale_command(app_devices *d, devmgr_scale_cmd cmd, devices_await *w,
                                  char *why, size_t cap)
{
    memset(w, 0, sizeof *w);
    device_err err = devices_scale_command(d, cmd);
    if (err != DEVICE_OK) {
        snprintf(why, cap, "device scale %s: %s", devmgr_scale_cmd_name(cmd),
                 d ? device_strerror(err) : "no device manager");
        return false;
    }
    w->on = true;
    w->kind = EVQ_SCALE_COMMAND;
    w->value = (int64_t)cmd;
    snprintf(w->what, sizeof w->what, "the scale's %s result", devmgr_scale_cmd_name(cmd));
    return true;
}

bool devices_script_command(app_devices *d, const devices_plan *p, const char *arg,
                            devices_await *w, char *why, size_t cap)
{
    memset(w, 0, sizeof *w);
    char buf[320];
    snprintf(buf, sizeof buf, "%s", arg);
    char *cls = buf;
    char *ev = cls + strcspn(cls, " \t");
    if (*ev)
        *ev++ = '\0';
    ev += strspn(ev, " \t");
    char *rest = ev + strcspn(ev, " \t");
    if (*rest) {
        *rest++ = '\0';
        rest += strspn(rest, " \t");
    }
    if (!*rest)
        rest = NULL;
    device_class c = strcmp(cls, "scale") == 0 ? DEVICE_SCALE : DEVICE_SCANNER;
    if (c == DEVICE_SCALE && !rest && (strcmp(ev, "zero") == 0 || strcmp(ev, "tare") == 0))
        return devices_script_scale_command(d, ev[0] == 't' ? DEVMGR_SCALE_TARE : DEVMGR_SCALE_ZERO,
                                            w, why, cap);
    if (!d || !devices_simulated(p, c)) {
        snprintf(why, cap, "device %s: the %s is not simulated (run --simulate-devices, or --%s sim)",
                 cls, cls, cls);
        return false;
    }
    if (c == DEVICE_SCALE)
        return scale_command(d, p, ev, rest, w, why, cap);
    return scanner_command(d, ev, rest, w, why, cap);
}
