/* cashier_devices: what the device manager's events do to the sale screen (pos/app/cashier.h:
 * EVQ_SCAN, EVQ_SCALE_READING with scale_stable's verdict, EVQ_DEVICE_STATE), against a real
 * till on the demo store -- a claimed scanner's code is the same command as a wedge burst, and
 * only a READY weight is ever priced. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "db/demo.h"
#include "peripherals/device.h"
#include "peripherals/devmgr.h"
#include "peripherals/scale/scale_stable.h"
#include "pos/app/cashier.h"
#include "pos/app/i18n.h"
#include "cashier_fixture.h"

static int setup(void **state)
{
    *state = fixture_open("app_cashier_devices.db");
    return 0;
}

static int teardown(void **state)
{
    fixture_close(*state);
    return 0;
}

static void scan_event(fixture *fx, const char *code)
{
    evq_event ev = {.kind = EVQ_SCAN};
    snprintf(ev.text, sizeof ev.text, "%s", code);
    ev.value = (int64_t)strlen(code);
    cashier_on_event(&fx->c, &ev);
}

static void reading(fixture *fx, int64_t grams, scale_stable_verdict v)
{
    evq_event ev = {.kind = EVQ_SCALE_READING, .value = grams, .flag = v == SCALE_STABLE_READY,
                    .status = (int32_t)v};
    cashier_on_event(&fx->c, &ev);
}

static fen_t total(fixture *fx)
{
    return basket_total(till_basket(fx->t));
}

/* A scan event does what a wedge burst's Enter does, in every mode. */
static void test_scan_event_is_the_wedge_command(void **state)
{
    fixture *fx = *state;
    scan_event(fx, "6953822000175");               /* 带壳核桃 ¥28.00 */
    assert_int_equal(total(fx), 2800);
    assert_int_equal(fx->c.sound, SOUND_BEEP);
    char via_event[256];
    /* a bad check digit: the same refusal either way */
    scan_event(fx, "6985798000317");
    snprintf(via_event, sizeof via_event, "%s", fx->c.message);
    wedge_scan(fx, "6985798000317");
    assert_string_equal(fx->c.message, via_event);
    assert_int_equal(total(fx), 2800);
    /* the search pane open: the scan closes it and adds the goods */
    key(fx, UI_KEY_F2);
    type(fx, "tfm");
    assert_true(fx->c.search_open);
    scan_event(fx, "6953822000175");
    assert_false(fx->c.search_open);
    assert_int_equal(total(fx), 5600);
    /* a code longer than an event holds: refused like an overlong wedge burst, nothing added */
    evq_event longcode = {.kind = EVQ_SCAN, .flag = true, .value = 90};
    cashier_on_event(&fx->c, &longcode);
    assert_non_null(strstr(fx->c.message, "扫码内容过长"));
    assert_int_equal(total(fx), 5600);
    /* on the payment screen goods are refused, a payment code pays -- as with the wedge */
    key(fx, UI_KEY_F12);
    scan_event(fx, "6953822000175");
    assert_int_equal(total(fx), 5600);
    scan_event(fx, "134567890123456789");
    assert_true(fx->c.have_completed);
}

/* Motion and settling show a weight and never price it; READY prices it once. */
static void test_only_ready_is_priced(void **state)
{
    fixture *fx = *state;
    reading(fx, 0, SCALE_STABLE_EMPTY);
    assert_string_equal(fx->c.message, "");        /* an empty platter at start says nothing */
    reading(fx, 326, SCALE_STABLE_MOTION);
    assert_non_null(strstr(fx->c.message, "称重中"));
    reading(fx, 340, SCALE_STABLE_MOTION);         /* a wobble: no new message */
    reading(fx, 333, SCALE_STABLE_SETTLING);
    assert_int_equal(fx->c.scale_grams, 333);
    assert_false(fx->c.scale_stable);
    type(fx, "10001");                             /* 软籽石榴(散装) ¥18.00/kg */
    key(fx, UI_KEY_ENTER);
    assert_int_equal(total(fx), 0);
    assert_non_null(strstr(fx->c.message, "稳定"));
    key(fx, UI_KEY_ESCAPE);
    reading(fx, 333, SCALE_STABLE_READY);
    type(fx, "10001");
    key(fx, UI_KEY_ENTER);
    assert_int_equal(total(fx), 599);
    /* the same goods re-reported (a gap restarted the hold): not a second line */
    reading(fx, 333, SCALE_STABLE_SETTLING);
    reading(fx, 334, SCALE_STABLE_READY);
    assert_int_equal(fx->c.scale_grams, 0);
    type(fx, "10001");
    key(fx, UI_KEY_ENTER);
    assert_true(fx->c.search_weighing);             /* asks for a typed weight instead */
    assert_int_equal(total(fx), 599);
    key(fx, UI_KEY_ESCAPE);
    key(fx, UI_KEY_ESCAPE);
    /* new goods (the platter moved): priced again */
    reading(fx, 200, SCALE_STABLE_MOTION);
    reading(fx, 333, SCALE_STABLE_READY);
    assert_int_equal(fx->c.scale_grams, 333);
    type(fx, "10001");
    key(fx, UI_KEY_ENTER);
    assert_int_equal(total(fx), 1198);
}

/* Under zero, over capacity, fault: the word on the weight panel, no weight, a typed weight. */
static void test_alarms_and_unplug(void **state)
{
    fixture *fx = *state;
    sale_view *v = calloc(1, sizeof *v);
    assert_non_null(v);
    view_devices dev = {0};
    static const struct {
        scale_stable_verdict v;
        const char *word, *message;
    } alarms[] = {
        {SCALE_STABLE_UNDER_ZERO, "负重", "负重"},
        {SCALE_STABLE_OVER_CAPACITY, "超载", "超载"},
        {SCALE_STABLE_FAULT, "故障", "故障"},
    };
    for (size_t i = 0; i < sizeof alarms / sizeof alarms[0]; i++) {
        reading(fx, 500, SCALE_STABLE_READY);
        reading(fx, 0, alarms[i].v);
        assert_int_equal(fx->c.scale_grams, 0);
        assert_non_null(strstr(fx->c.message, alarms[i].message));
        cashier_fill_view(&fx->c, &dev, 0, v);
        assert_non_null(v->scale_note);
        assert_string_equal(v->scale_note, alarms[i].word);
        assert_true(v->scale_alarm);
        type(fx, "10001");
        key(fx, UI_KEY_ENTER);
        assert_true(fx->c.search_weighing);
        assert_int_equal(total(fx), 0);
        key(fx, UI_KEY_ESCAPE);
        key(fx, UI_KEY_ESCAPE);
    }
    /* unplugged with a READY weight on it: the weight goes with the scale */
    reading(fx, 500, SCALE_STABLE_READY);
    evq_event gone = {.kind = EVQ_DEVICE_STATE, .value = DEVICE_SCALE, .status = DEVICE_ERROR};
    cashier_on_event(&fx->c, &gone);
    assert_int_equal(fx->c.scale_grams, 0);
    assert_non_null(strstr(fx->c.message, "秤已断开"));
    cashier_fill_view(&fx->c, &dev, 0, v);
    assert_null(v->scale_note);
    type(fx, "10001");
    key(fx, UI_KEY_ENTER);
    assert_true(fx->c.search_weighing);
    type(fx, "250");
    key(fx, UI_KEY_ENTER);
    assert_int_equal(total(fx), 450);              /* 18.00 × 0.250 */
    free(v);
}

/* Zero / tare outcomes (EVQ_SCALE_COMMAND) on the message line; a done zero empties the panel
 * at once, so the zeroed scale's EMPTY reading does not replace the message. */
static void command_done(fixture *fx, devmgr_scale_cmd cmd, device_err err, const char *why)
{
    evq_event ev = {.kind = EVQ_SCALE_COMMAND, .value = (int64_t)cmd, .status = (int32_t)err};
    snprintf(ev.text, sizeof ev.text, "%s", why);
    cashier_on_event(&fx->c, &ev);
}

static void test_scale_command_messages(void **state)
{
    fixture *fx = *state;
    reading(fx, 500, SCALE_STABLE_READY);
    command_done(fx, DEVMGR_SCALE_ZERO, DEVICE_OK, "Zero Scale report sent");
    assert_string_equal(fx->c.message, "秤已归零");
    assert_int_equal(fx->c.scale_grams, 0);
    reading(fx, 0, SCALE_STABLE_EMPTY);
    assert_string_equal(fx->c.message, "秤已归零");
    command_done(fx, DEVMGR_SCALE_TARE, DEVICE_OK, "");
    assert_non_null(strstr(fx->c.message, "已去皮"));
    command_done(fx, DEVMGR_SCALE_TARE, DEVICE_ERR_UNSUPPORTED, "a HID POS scale has no tare");
    assert_non_null(strstr(fx->c.message, "此秤不支持去皮"));
    command_done(fx, DEVMGR_SCALE_ZERO, DEVICE_ERR_UNSUPPORTED, "XK3190");
    assert_non_null(strstr(fx->c.message, "此秤不支持归零"));
    command_done(fx, DEVMGR_SCALE_ZERO, DEVICE_ERR_NOT_FOUND, "no scale is connected");
    assert_non_null(strstr(fx->c.message, "没有连接秤"));
    command_done(fx, DEVMGR_SCALE_ZERO, DEVICE_ERR_TIMEOUT, "the scale stopped taking bytes");
    assert_non_null(strstr(fx->c.message, "归零失败"));
    assert_non_null(strstr(fx->c.message, "stopped taking bytes"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_scan_event_is_the_wedge_command, setup, teardown),
        cmocka_unit_test_setup_teardown(test_only_ready_is_priced, setup, teardown),
        cmocka_unit_test_setup_teardown(test_alarms_and_unplug, setup, teardown),
        cmocka_unit_test_setup_teardown(test_scale_command_messages, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
