/* device: names, error texts with the udev hint, and state changes through the callback
 * (peripherals/device.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "peripherals/device.h"

static void test_names(void **state)
{
    (void)state;
    assert_string_equal(device_class_name(DEVICE_SCALE), "scale");
    assert_string_equal(device_class_name(DEVICE_DRAWER), "drawer");
    assert_string_equal(device_class_name((device_class)99), "unknown");
    assert_string_equal(device_state_name(DEVICE_CLAIMED), "claimed");
    assert_string_equal(device_state_name((device_state)99), "unknown");
    for (int e = DEVICE_OK; e <= DEVICE_ERR_UNSUPPORTED; e++)
        assert_true(strlen(device_strerror((device_err)e)) > 1);
    assert_string_equal(device_strerror((device_err)99), "unknown device error");
}

static void test_error_text_hint(void **state)
{
    (void)state;
    char buf[160];
    device_error_text(DEVICE_ERR_PERMISSION, "60-fupin-pos.rules", buf, sizeof buf);
    assert_string_equal(buf, "permission denied on the device node: install 60-fupin-pos.rules "
                             "into /etc/udev/rules.d/ and replug");
    device_error_text(DEVICE_ERR_BUSY, "usbhid", buf, sizeof buf);
    assert_string_equal(buf, "device busy (claimed by another program or driver) (usbhid)");
    device_error_text(DEVICE_ERR_TIMEOUT, NULL, buf, sizeof buf);
    assert_string_equal(buf, "device timed out");
    char small[8];
    size_t want = device_error_text(DEVICE_ERR_TIMEOUT, "", small, sizeof small);
    assert_int_equal(want, strlen("device timed out"));
    assert_string_equal(small, "device ");
}

/* device_why: the sentence, always false, cut to cap, and nothing written without a buffer. */
static void test_why(void **state)
{
    (void)state;
    char why[16];
    assert_false(device_why(why, sizeof why, "%s: %d", "baud", 9601));
    assert_string_equal(why, "baud: 9601");
    assert_false(device_why(why, sizeof why, "%s", "a sentence longer than the buffer"));
    assert_string_equal(why, "a sentence long");
    why[0] = 'x';
    assert_false(device_why(why, 0, "%s", "nothing"));
    assert_int_equal(why[0], 'x');
    assert_false(device_why(NULL, 16, "%s", "nothing"));
}

typedef struct {
    int calls;
    device_class cls;
    device_state state;
    device_err err;
    char name[DEVICE_NAME_CAP];
} seen;

static void on_state(void *arg, device_class cls, device_state st, device_err err, const char *name)
{
    seen *s = arg;
    s->calls++;
    s->cls = cls;
    s->state = st;
    s->err = err;
    strncpy(s->name, name, sizeof s->name - 1);
}

static const device_ops SIM_SCALE = {.name = "sim", .cls = DEVICE_SCALE};

static void test_state_changes_call_back_once(void **state)
{
    (void)state;
    device d;
    seen s = {0};
    device_init(&d, &SIM_SCALE, NULL, "XK3190 /dev/ttyUSB0");
    assert_int_equal(d.state, DEVICE_CLOSED);
    assert_true(device_set_state(&d, DEVICE_OPEN, DEVICE_ERR_IO, on_state, &s));
    assert_int_equal(s.calls, 1);
    assert_int_equal(s.cls, DEVICE_SCALE);
    assert_int_equal(s.err, DEVICE_OK);          /* an error only goes with DEVICE_ERROR */
    assert_string_equal(s.name, "XK3190 /dev/ttyUSB0");
    assert_false(device_set_state(&d, DEVICE_OPEN, DEVICE_OK, on_state, &s));
    assert_int_equal(s.calls, 1);
    assert_true(device_set_state(&d, DEVICE_ERROR, DEVICE_ERR_DISCONNECTED, on_state, &s));
    assert_true(device_set_state(&d, DEVICE_ERROR, DEVICE_ERR_NOT_FOUND, on_state, &s));
    assert_int_equal(s.calls, 3);
    assert_int_equal(s.err, DEVICE_ERR_NOT_FOUND);
    assert_true(device_set_state(&d, DEVICE_ENABLED, DEVICE_OK, NULL, NULL));
    assert_int_equal(d.err, DEVICE_OK);
    /* A name longer than the slot is cut, still terminated. */
    char longname[100];
    memset(longname, 'x', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    device_init(&d, NULL, NULL, longname);
    assert_int_equal(strlen(d.name), DEVICE_NAME_CAP - 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_error_text_hint),
        cmocka_unit_test(test_why),
        cmocka_unit_test(test_state_changes_call_back_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
