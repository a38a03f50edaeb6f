/* bootkbd: boot-keyboard reports of a keyboard-emulation scanner into codes.  See bootkbd.h.
 * Usages: HID Usage Tables 1.12, Keyboard/Keypad page 0x07 (devices.md §2.2). */
#include "peripherals/scanner/bootkbd.h"

#include <string.h>

const char *bootkbd_strerror(bootkbd_err e)
{
    switch (e) {
    case BOOTKBD_OK: return "ok";
    case BOOTKBD_ERR_LENGTH: return "boot-keyboard report is not 8 bytes";
    case BOOTKBD_ERR_ROLLOVER: return "keyboard rollover/error report (usage 0x01..0x03)";
    case BOOTKBD_ERR_MALFORMED: return "malformed boot-keyboard report (gap or repeated key)";
    case BOOTKBD_ERR_KEY: return "key outside the scanner layout";
    case BOOTKBD_ERR_TOO_LONG: return "code longer than 128 characters";
    }
    return "unknown boot-keyboard error";
}

void bootkbd_init(bootkbd *d)
{
    memset(d, 0, sizeof *d);
}

void bootkbd_reset(bootkbd *d)
{
    bootkbd_init(d);
}

size_t bootkbd_pending(const bootkbd *d)
{
    return d->len;
}

bootkbd_err bootkbd_valid(const uint8_t *report, size_t len)
{
    if (len != BOOTKBD_REPORT_LEN)
        return BOOTKBD_ERR_LENGTH;
    const uint8_t *k = report + 2;
    bool ended = false;
    for (size_t i = 0; i < BOOTKBD_KEYS; i++) {
        if (k[i] >= 0x01 && k[i] <= 0x03)
            return BOOTKBD_ERR_ROLLOVER;
    }
    for (size_t i = 0; i < BOOTKBD_KEYS; i++) {
        if (k[i] == 0) {
            ended = true;
            continue;
        }
        if (ended)
            return BOOTKBD_ERR_MALFORMED;
        for (size_t j = 0; j < i; j++)
            if (k[j] == k[i])
                return BOOTKBD_ERR_MALFORMED;
    }
    return BOOTKBD_OK;
}

/* Row 0x1E..0x27: 1..9, 0 and their shifted US characters. */
static const char digits[] = "1234567890";
static const char digits_shift[] = "!@#$%^&*()";
/* 0x2C..0x38: space - = [ ] \ (non-US # ~) ; ' ` , . / ; 0x32 is unmapped (0). */
static const char punct[] = " -=[]\\\0;'`,./";
static const char punct_shift[] = " _+{}|\0:\"~<>?";
/* Keypad 0x54..0x63: / * - + Enter 1..9 0 . (scanners send them with Num Lock on). */
static const char keypad[] = "/*-+\n1234567890.";

char bootkbd_char(uint8_t usage, bool shift)
{
    if (usage >= 0x04 && usage <= 0x1D)
        return (char)((shift ? 'A' : 'a') + (usage - 0x04));
    if (usage >= 0x1E && usage <= 0x27)
        return (shift ? digits_shift : digits)[usage - 0x1E];
    if (usage == 0x28)
        return '\n';
    if (usage == 0x2B)
        return '\t';
    if (usage >= 0x2C && usage <= 0x38)
        return (shift ? punct_shift : punct)[usage - 0x2C];
    if (usage >= 0x54 && usage <= 0x63)
        return keypad[usage - 0x54];
    return 0;
}

static bool held_before(const bootkbd *d, uint8_t usage)
{
    for (size_t i = 0; i < BOOTKBD_KEYS; i++)
        if (d->prev[i] == usage)
            return true;
    return false;
}

/* Modifier usages (0xE0..0xE7) also appear in the modifier byte; Caps/Num/Scroll Lock carry
 * no character and a scanner may toggle them.  None of these presses is a key of the code. */
static bool silent_key(uint8_t usage)
{
    return usage >= 0xE0 || usage == 0x39 || usage == 0x53 || usage == 0x47;
}

static void spoil(bootkbd *d, bootkbd_err e)
{
    if (d->spoilt == BOOTKBD_OK)
        d->spoilt = e;
}

static void terminate(bootkbd *d, bootkbd_event *ev, size_t *n_ev)
{
    if (d->len == 0 && d->spoilt == BOOTKBD_OK)
        return;                       /* Enter between codes: nothing to report */
    bootkbd_event *e = &ev[(*n_ev)++];
    memset(e, 0, sizeof *e);
    if (d->spoilt != BOOTKBD_OK) {
        e->kind = BOOTKBD_EV_DROPPED;
        e->err = d->spoilt;
    } else {
        e->kind = BOOTKBD_EV_CODE;
        e->err = BOOTKBD_OK;
        e->len = d->len;
        memcpy(e->code, d->code, d->len);
    }
    e->code[e->len] = '\0';
    d->len = 0;
    d->spoilt = BOOTKBD_OK;
}

static void press(bootkbd *d, uint8_t usage, uint8_t mods, bootkbd_event *ev, size_t *n_ev)
{
    if (silent_key(usage))
        return;
    if (mods & BOOTKBD_MOD_CHORD)
        return;                       /* Ctrl+J, Alt+keypad …: a suffix chord, not text */
    char c = bootkbd_char(usage, (mods & BOOTKBD_MOD_SHIFT) != 0);
    if (c == '\n' || c == '\t') {
        terminate(d, ev, n_ev);
        return;
    }
    if (c == 0) {
        spoil(d, BOOTKBD_ERR_KEY);
        return;
    }
    if (d->len >= BOOTKBD_MAX_CODE) {
        spoil(d, BOOTKBD_ERR_TOO_LONG);
        return;
    }
    if (d->spoilt == BOOTKBD_OK)
        d->code[d->len++] = c;
}

bootkbd_err bootkbd_parse(bootkbd *d, const uint8_t *report, size_t len,
                          bootkbd_event ev[BOOTKBD_MAX_EVENTS], size_t *n_ev)
{
    *n_ev = 0;
    bootkbd_err v = bootkbd_valid(report, len);
    if (v != BOOTKBD_OK) {
        spoil(d, v);
        return v;
    }
    uint8_t mods = report[0];
    const uint8_t *k = report + 2;
    for (size_t i = 0; i < BOOTKBD_KEYS && k[i] != 0; i++)
        if (!held_before(d, k[i]))
            press(d, k[i], mods, ev, n_ev);
    memcpy(d->prev, k, BOOTKBD_KEYS);
    return BOOTKBD_OK;
}
