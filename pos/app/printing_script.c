/* printing_script: the `device printer ...` and `device drawer ...` lines of `run --script`
 * (ui/script.h SCRIPT_DEVICE), driving the simulated printer's faults and asserting what the
 * print queue did.  See printing.h.
 *
 *   device printer unplug | plug | paper-out | paper-ok | paper-low | cover-open |
 *                  cover-close | offline | online | stall | unstall
 *   device printer expect-printed TEXT      the roll holds TEXT (UTF-8; the sim's GB18030
 *                                           text is converted back with iconv to compare)
 *   device printer expect-not-printed TEXT  it does not, once no job is queued or printing
 *   device printer expect-jobs STATE N      N jobs queued|printing|waiting|done|cancelled
 *   device drawer expect-kicks N            the drawer was kicked N times
 *
 * A fault line is done at once (and wakes the queue: a cashier who loaded paper need not wait
 * for the next poll); an expectation polls every 10 ms for up to PRINTING_SCRIPT_WAIT_MS. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pos/app/printing.h"

static int64_t now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void nap(void)
{
    struct timespec t = {0, 10 * 1000000L};
    nanosleep(&t, NULL);
}

static bool parse_count(const char *s, size_t *out)
{
    char *end = NULL;
    if (!s || !*s)
        return false;
    unsigned long v = strtoul(s, &end, 10);
    if (*end || v > 100000 || *s == '-')
        return false;
    *out = (size_t)v;
    return true;
}

static size_t jobs_in(printing *p, const char *state)
{
    print_queue_counts k;
    print_queue_counts_get(printing_queue(p), &k);
    if (strcmp(state, "queued") == 0)
        return k.queued;
    if (strcmp(state, "printing") == 0)
        return k.printing;
    if (strcmp(state, "waiting") == 0)
        return k.waiting;
    if (strcmp(state, "done") == 0)
        return k.done;
    return k.cancelled;
}

static bool settled(printing *p)
{
    print_queue_counts k;
    print_queue_counts_get(printing_queue(p), &k);
    /* ... and every change so far posted: the screen can have heard of it. */
    return k.queued == 0 && k.printing == 0 && k.undelivered == 0;
}

static bool printed(printing *p, const char *text)
{
    char *roll = printing_sim_text_utf8(p);
    bool found = roll && strstr(roll, text) != NULL;
    free(roll);
    return found;
}

static const struct {
    const char *word;
    sim_printer_fault fault;
    bool on;
} FAULTS[] = {
    {"unplug", SIM_PRINTER_UNPLUGGED, true},      {"plug", SIM_PRINTER_UNPLUGGED, false},
    {"paper-out", SIM_PRINTER_PAPER_OUT, true},   {"paper-ok", SIM_PRINTER_PAPER_OUT, false},
    {"paper-low", SIM_PRINTER_PAPER_NEAR_END, true},
    {"cover-open", SIM_PRINTER_COVER_OPEN, true}, {"cover-close", SIM_PRINTER_COVER_OPEN, false},
    {"offline", SIM_PRINTER_OFFLINE, true},       {"online", SIM_PRINTER_OFFLINE, false},
    {"stall", SIM_PRINTER_STALL, true},           {"unstall", SIM_PRINTER_STALL, false},
};

static bool printer_line(printing *p, const char *ev, const char *rest, char *err, size_t cap)
{
    for (size_t i = 0; i < sizeof FAULTS / sizeof FAULTS[0]; i++) {
        if (strcmp(ev, FAULTS[i].word) != 0)
            continue;
        if (rest[0]) {
            snprintf(err, cap, "printer %s takes no argument", ev);
            return false;
        }
        if (!printing_sim(p)) {
            snprintf(err, cap, "printer %s: the printer is not simulated (run --simulate-devices "
                               "or --printer sim)", ev);
            return false;
        }
        sim_printer_set(printing_sim(p), FAULTS[i].fault, FAULTS[i].on);
        /* paper-ok also ends "near end": a new roll. */
        if (FAULTS[i].fault == SIM_PRINTER_PAPER_OUT && !FAULTS[i].on)
            sim_printer_set(printing_sim(p), SIM_PRINTER_PAPER_NEAR_END, false);
        print_queue_wake(printing_queue(p));
        return true;
    }
    int64_t until = now_ms() + PRINTING_SCRIPT_WAIT_MS;
    if (strcmp(ev, "expect-printed") == 0 || strcmp(ev, "expect-not-printed") == 0) {
        bool want = strcmp(ev, "expect-printed") == 0;
        if (!rest[0] || !printing_sim(p)) {
            snprintf(err, cap, "printer %s needs TEXT and a simulated printer", ev);
            return false;
        }
        while (now_ms() < until && (!settled(p) || (want && !printed(p, rest))))
            nap();
        if (printed(p, rest) == want)
            return true;
        char *roll = printing_sim_text_utf8(p);
        snprintf(err, cap, "printer %s: \"%s\" %s; the roll holds %zu bytes, ending \"%.120s\"",
                 ev, rest, want ? "not printed" : "was printed", roll ? strlen(roll) : 0,
                 roll && strlen(roll) > 120 ? roll + strlen(roll) - 120 : roll ? roll : "");
        free(roll);
        return false;
    }
    if (strcmp(ev, "expect-jobs") == 0) {
        char state[16] = "";
        const char *sp = strchr(rest, ' ');
        size_t n = 0;
        if (sp && (size_t)(sp - rest) < sizeof state)
            memcpy(state, rest, (size_t)(sp - rest));
        static const char *const STATES[] = {"queued", "printing", "waiting", "done", "cancelled"};
        bool known = false;
        for (size_t i = 0; i < 5; i++)
            known |= strcmp(state, STATES[i]) == 0;
        if (!known || !parse_count(sp + 1, &n)) {
            snprintf(err, cap, "printer expect-jobs needs STATE N (queued, printing, waiting, "
                               "done or cancelled), got '%.40s'", rest);
            return false;
        }
        while (now_ms() < until && !(jobs_in(p, state) == n && settled(p)))
            nap();
        size_t got = jobs_in(p, state);
        if (got == n)
            return true;
        snprintf(err, cap, "printer expect-jobs: wanted %zu %s, the queue has %zu", n, state, got);
        return false;
    }
    snprintf(err, cap, "printer: unknown event '%.40s' (unplug, plug, paper-out, paper-ok, "
                       "paper-low, cover-open, cover-close, offline, online, stall, unstall, "
                       "expect-printed, expect-not-printed, expect-jobs)", ev);
    return false;
}

static bool drawer_line(printing *p, const char *ev, const char *rest, char *err, size_t cap)
{
    size_t n = 0;
    if (strcmp(ev, "expect-kicks") != 0 || !parse_count(rest, &n)) {
        snprintf(err, cap, "drawer: the event is expect-kicks N, got '%.40s %.40s'", ev, rest);
        return false;
    }
    if (!printing_sim(p)) {
        snprintf(err, cap, "drawer expect-kicks: the printer is not simulated");
        return false;
    }
    int64_t until = now_ms() + PRINTING_SCRIPT_WAIT_MS;
    sim_printer_stats st;
    for (;;) {
        sim_printer_stats_get(printing_sim(p), &st);
        /* Wait for the count and for the queue to settle: a second kick may still come. */
        if ((st.kicks == n && settled(p)) || now_ms() >= until)
            break;
        nap();
    }
    if (st.kicks == n)
        return true;
    snprintf(err, cap, "drawer expect-kicks: wanted %zu, the drawer was kicked %llu times", n,
             (unsigned long long)st.kicks);
    return false;
}

bool printing_script(printing *p, const char *args, char *err, size_t cap)
{
    char cls[16] = "", ev[32] = "";
    size_t cl = strcspn(args, " \t");
    const char *e = args + cl + strspn(args + cl, " \t");
    size_t el = strcspn(e, " \t");
    const char *rest = e + el + strspn(e + el, " \t");
    if (cl >= sizeof cls || el >= sizeof ev || el == 0) {
        snprintf(err, cap, "device: cannot read '%.60s'", args);
        return false;
    }
    memcpy(cls, args, cl);
    memcpy(ev, e, el);
    if (!p) {
        snprintf(err, cap, "%s %s: there is no printer (run --simulate-devices, --printer sim)",
                 cls, ev);
        return false;
    }
    if (strcmp(cls, "printer") == 0)
        return printer_line(p, ev, rest, err, cap);
    if (strcmp(cls, "drawer") == 0)
        return drawer_line(p, ev, rest, err, cap);
    snprintf(err, cap, "device %s: not a printer event", cls);
    return false;
}
