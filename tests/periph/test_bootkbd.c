/* bootkbd: boot-keyboard reports of a keyboard-emulation scanner (peripherals/scanner/bootkbd.h).
 * Captures: devices.md §2.2 (node-hid #323 EAN-13 6957842208856 with a Ctrl+Shift+J suffix,
 * node-hid #228 "4*9" with shift). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "peripherals/scanner/bootkbd.h"

#define R(m, k) {(m), 0, (k), 0, 0, 0, 0, 0}
#define REL {0, 0, 0, 0, 0, 0, 0, 0}

/* Feed n reports; collect the codes (joined by '|') and the dropped events (their errors). */
typedef struct {
    char codes[512];
    size_t n_codes;
    bootkbd_err dropped[8];
    size_t n_dropped;
    size_t refused;
} result;

static void feed(bootkbd *d, const uint8_t (*reports)[8], size_t n, result *res)
{
    for (size_t i = 0; i < n; i++) {
        bootkbd_event ev[BOOTKBD_MAX_EVENTS];
        size_t n_ev = 99;
        if (bootkbd_parse(d, reports[i], 8, ev, &n_ev) != BOOTKBD_OK)
            res->refused++;
        assert_true(n_ev <= BOOTKBD_MAX_EVENTS);
        for (size_t j = 0; j < n_ev; j++) {
            if (ev[j].kind == BOOTKBD_EV_CODE) {
                size_t at = strlen(res->codes);
                snprintf(res->codes + at, sizeof res->codes - at, "%s%s",
                         res->n_codes ? "|" : "", ev[j].code);
                assert_int_equal(strlen(ev[j].code), ev[j].len);
                res->n_codes++;
            } else if (res->n_dropped < 8) {
                res->dropped[res->n_dropped++] = ev[j].err;
            }
        }
    }
}

/* n reports through a fresh decoder. */
static result decode(const uint8_t (*reports)[8], size_t n)
{
    bootkbd d;
    bootkbd_init(&d);
    result res = {0};
    feed(&d, reports, n, &res);
    return res;
}

/* §2.2, node-hid #323: the real capture of EAN-13 6957842208856, Enter, then the scanner's
 * Ctrl+Shift+J suffix (modifier 03 + key 0x0D). */
static const uint8_t ean13_capture[][8] = {
    REL, R(0, 0x23), REL, R(0, 0x26), REL, R(0, 0x22), REL, R(0, 0x24), REL, R(0, 0x25), REL,
    R(0, 0x21), REL, R(0, 0x1f), REL, R(0, 0x1f), REL, R(0, 0x27), REL, R(0, 0x25), REL,
    R(0, 0x25), REL, R(0, 0x22), REL, R(0, 0x23), REL, R(0, 0x28), REL,
    R(3, 0x00), R(3, 0x0d), R(3, 0x00), REL,
};

static void test_real_ean13_capture(void **state)
{
    (void)state;
    bootkbd d;
    bootkbd_init(&d);
    result res = {0};
    feed(&d, ean13_capture, sizeof ean13_capture / 8, &res);
    assert_string_equal(res.codes, "6957842208856");
    assert_int_equal(res.n_codes, 1);
    assert_int_equal(res.n_dropped, 0);
    assert_int_equal(res.refused, 0);
    assert_int_equal(bootkbd_pending(&d), 0);  /* the Ctrl+Shift+J suffix left nothing behind */
}

/* §2.2, node-hid #228: "4*9" where '*' is Shift+8, shift pressed alone first. */
static void test_shifted_characters(void **state)
{
    (void)state;
    static const uint8_t r[][8] = {
        R(0, 0x21), REL, R(0x02, 0), R(0x02, 0x25), R(0x02, 0), REL, R(0, 0x26), REL,
        R(0, 0x28), REL,
    };
    bootkbd d;
    bootkbd_init(&d);
    result res = {0};
    feed(&d, r, sizeof r / 8, &res);
    assert_string_equal(res.codes, "4*9");
    /* Right shift too, letters and the punctuation of Code 39 ("-. $/+%"). */
    static const uint8_t r2[][8] = {
        R(0x20, 0x04), REL, R(0, 0x05), REL, R(0, 0x2D), REL, R(0, 0x37), REL, R(0, 0x2C), REL,
        R(0x02, 0x21), REL, R(0, 0x38), REL, R(0x02, 0x2E), REL, R(0x02, 0x22), REL,
        R(0, 0x55), REL, R(0, 0x62), REL, R(0, 0x28), REL,
    };
    result res2 = {0};
    feed(&d, r2, sizeof r2 / 8, &res2);
    assert_string_equal(res2.codes, "Ab-. $/+%*0");
}

/* A key held across reports is one press; the same digit twice needs a release between
 * (usbkbd.c's algorithm, §2.2) -- a decoder that counts held keys doubles digits. */
static void test_held_key_is_one_press(void **state)
{
    (void)state;
    static const uint8_t r[][8] = {
        R(0, 0x1f), R(0, 0x1f), R(0, 0x1f), REL, R(0, 0x1f), {0, 0, 0x1f, 0x20, 0, 0, 0, 0},
        {0, 0, 0x20, 0, 0, 0, 0, 0}, REL, R(0, 0x28), R(0, 0x28), REL,
    };
    result res = decode(r, sizeof r / 8);
    assert_string_equal(res.codes, "223");
    assert_int_equal(res.n_codes, 1);
}

/* Ctrl+J alone as a suffix, Alt+keypad sequences, GUI chords: ignored; Tab and keypad Enter
 * end a code like Enter. */
static void test_chords_ignored_tab_ends(void **state)
{
    (void)state;
    static const uint8_t r[][8] = {
        R(0, 0x1e), REL, R(0, 0x1f), REL, R(0x01, 0x0d), R(0x01, 0), REL, R(0, 0x2b), REL,
        R(0x04, 0), R(0x04, 0x59), R(0x04, 0), R(0x04, 0x5f), REL,      /* Alt+KP1, Alt+KP7 */
        R(0, 0x20), R(0x10, 0x0d), R(0x40, 0x0d), R(0x08, 0x04), REL, R(0, 0x58), REL,
    };
    result res = decode(r, sizeof r / 8);
    assert_string_equal(res.codes, "12|3");
    assert_int_equal(res.n_dropped, 0);
}

/* Enter with nothing typed reports nothing. */
static void test_empty_enter(void **state)
{
    (void)state;
    static const uint8_t r[][8] = {R(0, 0x28), REL, R(0, 0x2b), REL};
    result res = decode(r, sizeof r / 8);
    assert_int_equal(res.n_codes, 0);
    assert_int_equal(res.n_dropped, 0);
}

/* bootkbd_valid: the report shapes refused. */
static void test_valid_table(void **state)
{
    (void)state;
    static const struct {
        uint8_t r[8];
        size_t len;
        bootkbd_err want;
    } t[] = {
        {REL, 8, BOOTKBD_OK},
        {R(0x02, 0x25), 8, BOOTKBD_OK},
        {{0, 0, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09}, 8, BOOTKBD_OK},       /* six keys */
        {{0, 0, 1, 1, 1, 1, 1, 1}, 8, BOOTKBD_ERR_ROLLOVER},               /* phantom state */
        {{0x02, 0, 1, 1, 1, 1, 1, 1}, 8, BOOTKBD_ERR_ROLLOVER},
        {R(0, 0x02), 8, BOOTKBD_ERR_ROLLOVER},                             /* POSTFail */
        {R(0, 0x03), 8, BOOTKBD_ERR_ROLLOVER},                             /* ErrorUndefined */
        {{0, 0, 0, 0x1e, 0, 0, 0, 0}, 8, BOOTKBD_ERR_MALFORMED},           /* gap */
        {{0, 0, 0x1e, 0x1e, 0, 0, 0, 0}, 8, BOOTKBD_ERR_MALFORMED},        /* twice */
        {REL, 7, BOOTKBD_ERR_LENGTH},
        {REL, 0, BOOTKBD_ERR_LENGTH},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        assert_int_equal(bootkbd_valid(t[i].r, t[i].len), t[i].want);
    assert_int_equal(bootkbd_char(0x1e, false), '1');
    assert_int_equal(bootkbd_char(0x1e, true), '!');
    assert_int_equal(bootkbd_char(0x32, false), 0);     /* non-US # */
    assert_int_equal(bootkbd_char(0x3a, false), 0);     /* F1 */
    assert_int_equal(bootkbd_char(0x28, true), '\n');
    for (int e = BOOTKBD_OK; e <= BOOTKBD_ERR_TOO_LONG; e++)
        assert_true(strlen(bootkbd_strerror((bootkbd_err)e)) > 1);
}

/* A rollover report mid-code spoils the code (keys may be lost); the code is dropped at its
 * Enter and the next scan comes through whole. */
static void test_garbage_drops_and_resyncs(void **state)
{
    (void)state;
    static const uint8_t r[][8] = {
        R(0, 0x23), REL, R(0, 0x26), {0, 0, 1, 1, 1, 1, 1, 1}, REL, R(0, 0x22), REL,
        R(0, 0x28), REL,                                              /* dropped: rollover */
        R(0, 0x1e), REL, R(0, 0x3a), REL, R(0, 0x1f), REL, R(0, 0x28), REL,  /* dropped: F1 */
        R(0, 0x23), REL, R(0, 0x26), REL, R(0, 0x28), REL,            /* clean */
    };
    bootkbd d;
    bootkbd_init(&d);
    result res = {0};
    feed(&d, r, sizeof r / 8, &res);
    assert_string_equal(res.codes, "69");
    assert_int_equal(res.refused, 1);
    assert_int_equal(res.n_dropped, 2);
    assert_int_equal(res.dropped[0], BOOTKBD_ERR_ROLLOVER);
    assert_int_equal(res.dropped[1], BOOTKBD_ERR_KEY);

    /* A short read spoils too. */
    bootkbd_event ev[BOOTKBD_MAX_EVENTS];
    size_t n = 0;
    static const uint8_t one[8] = R(0, 0x1e);
    assert_int_equal(bootkbd_parse(&d, one, 8, ev, &n), BOOTKBD_OK);
    assert_int_equal(bootkbd_parse(&d, one, 5, ev, &n), BOOTKBD_ERR_LENGTH);
    static const uint8_t enter[8] = R(0, 0x28);
    assert_int_equal(bootkbd_parse(&d, enter, 8, ev, &n), BOOTKBD_OK);
    assert_int_equal(n, 1);
    assert_int_equal(ev[0].kind, BOOTKBD_EV_DROPPED);
    assert_int_equal(ev[0].err, BOOTKBD_ERR_LENGTH);
    assert_int_equal(ev[0].len, 0);
}

/* Codes are bounded: 128 characters pass, 129 are dropped with BOOTKBD_ERR_TOO_LONG. */
static void test_bounded_length(void **state)
{
    (void)state;
    for (size_t want = BOOTKBD_MAX_CODE; want <= BOOTKBD_MAX_CODE + 1; want++) {
        bootkbd d;
        bootkbd_init(&d);
        bootkbd_event ev[BOOTKBD_MAX_EVENTS];
        size_t n = 0;
        static const uint8_t key[8] = R(0, 0x27), rel[8] = REL, enter[8] = R(0, 0x28);
        for (size_t i = 0; i < want; i++) {
            bootkbd_parse(&d, key, 8, ev, &n);
            bootkbd_parse(&d, rel, 8, ev, &n);
        }
        bootkbd_parse(&d, enter, 8, ev, &n);
        assert_int_equal(n, 1);
        if (want == BOOTKBD_MAX_CODE) {
            assert_int_equal(ev[0].kind, BOOTKBD_EV_CODE);
            assert_int_equal(ev[0].len, BOOTKBD_MAX_CODE);
        } else {
            assert_int_equal(ev[0].kind, BOOTKBD_EV_DROPPED);
            assert_int_equal(ev[0].err, BOOTKBD_ERR_TOO_LONG);
        }
    }
}

/* Several keys pressed in one report are taken in slot order, codes and all. */
static void test_many_keys_one_report(void **state)
{
    (void)state;
    static const uint8_t r[][8] = {
        {0, 0, 0x1e, 0x28, 0x1f, 0x2b, 0x20, 0x58}, REL,
    };
    bootkbd d;
    bootkbd_init(&d);
    result res = {0};
    feed(&d, r, sizeof r / 8, &res);
    assert_string_equal(res.codes, "1|2|3");
    bootkbd_reset(&d);
    assert_int_equal(bootkbd_pending(&d), 0);
}

/* Every character the layout maps, typed as press/release reports, comes back as one code:
 * unshifted then shifted (63 keys each: letters, digits, 12 punctuation keys, 15 keypad keys). */
static void test_layout_round_trip(void **state)
{
    (void)state;
    bootkbd d;
    bootkbd_init(&d);
    bootkbd_event ev[BOOTKBD_MAX_EVENTS];
    size_t n = 0;
    static const uint8_t rel[8] = REL, enter[8] = R(0, 0x28);
    for (int shift = 0; shift <= 1; shift++) {
        char typed[BOOTKBD_MAX_CODE + 1];
        size_t n_typed = 0;
        for (int u = 0x04; u <= 0x63; u++) {
            char c = bootkbd_char((uint8_t)u, shift);
            if (c == 0 || c == '\n' || c == '\t')
                continue;
            assert_true(c >= 0x20 && c <= 0x7e);
            uint8_t r[8] = {shift ? BOOTKBD_MOD_LSHIFT : 0, 0, (uint8_t)u, 0, 0, 0, 0, 0};
            assert_int_equal(bootkbd_parse(&d, r, 8, ev, &n), BOOTKBD_OK);
            assert_int_equal(n, 0);
            assert_int_equal(bootkbd_parse(&d, rel, 8, ev, &n), BOOTKBD_OK);
            typed[n_typed++] = c;
        }
        typed[n_typed] = '\0';
        assert_int_equal(n_typed, 63);
        assert_int_equal(bootkbd_parse(&d, enter, 8, ev, &n), BOOTKBD_OK);
        assert_int_equal(n, 1);
        assert_int_equal(ev[0].kind, BOOTKBD_EV_CODE);
        assert_string_equal(ev[0].code, typed);
        assert_int_equal(bootkbd_parse(&d, rel, 8, ev, &n), BOOTKBD_OK);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_real_ean13_capture),
        cmocka_unit_test(test_shifted_characters),
        cmocka_unit_test(test_held_key_is_one_press),
        cmocka_unit_test(test_chords_ignored_tab_ends),
        cmocka_unit_test(test_empty_enter),
        cmocka_unit_test(test_valid_table),
        cmocka_unit_test(test_garbage_drops_and_resyncs),
        cmocka_unit_test(test_bounded_length),
        cmocka_unit_test(test_many_keys_one_report),
        cmocka_unit_test(test_layout_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
