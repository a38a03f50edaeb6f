/* devspec: the --scale/--scanner/--printer grammar of CLI.md (peripherals/devspec.h): every
 * kind per class, round trips through devspec_format, and refusals that name the bad part. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "peripherals/devspec.h"

static devspec ok(device_class cls, const char *text)
{
    devspec s;
    char why[256];
    bool parsed = devspec_parse(cls, text, &s, why, sizeof why);
    if (!parsed)
        fail_msg("\"%s\" refused: %s", text ? text : "(null)", why);
    /* Round trip: the formatted spec parses back to the same value. */
    char back[600];
    devspec_format(&s, back, sizeof back);
    devspec again;
    assert_true(devspec_parse(cls, back, &again, why, sizeof why));
    assert_memory_equal(&s, &again, sizeof s);
    return s;
}

static void refused(device_class cls, const char *text, const char *needle)
{
    devspec s;
    char why[256];
    assert_false(devspec_parse(cls, text, &s, why, sizeof why));
    if (!strstr(why, needle))
        fail_msg("\"%s\": wanted \"%s\" in \"%s\"", text, needle, why);
    assert_int_equal(s.kind, DEVSPEC_AUTO);
}

static void test_simple_kinds(void **state)
{
    (void)state;
    assert_int_equal(ok(DEVICE_SCALE, NULL).kind, DEVSPEC_AUTO);
    assert_int_equal(ok(DEVICE_SCALE, "").kind, DEVSPEC_AUTO);
    assert_int_equal(ok(DEVICE_PRINTER, "auto").kind, DEVSPEC_AUTO);
    assert_int_equal(ok(DEVICE_SCANNER, "none").kind, DEVSPEC_NONE);
    assert_int_equal(ok(DEVICE_PRINTER, "sim").kind, DEVSPEC_SIM);
    assert_int_equal(ok(DEVICE_SCALE, "sim").cls, DEVICE_SCALE);
}

static void test_usb(void **state)
{
    (void)state;
    devspec s = ok(DEVICE_SCALE, "usb:0922:8003");
    assert_int_equal(s.kind, DEVSPEC_USB);
    assert_int_equal(s.vid, 0x0922);
    assert_int_equal(s.pid, 0x8003);
    s = ok(DEVICE_PRINTER, "usb:0416:5011");
    assert_int_equal(s.pid, 0x5011);
    s = ok(DEVICE_SCANNER, "usb:0C2E:0B61");
    assert_int_equal(s.vid, 0x0c2e);
    refused(DEVICE_SCALE, "usb:922:8003", "4 hex digits");
    refused(DEVICE_SCALE, "usb:0922:80031", "4 hex digits");
    refused(DEVICE_SCALE, "usb:0922-8003", "4 hex digits");
    refused(DEVICE_SCALE, "usb:09g2:8003", "4 hex digits");
    refused(DEVICE_SCALE, "usb:", "4 hex digits");
}

static void test_serial(void **state)
{
    (void)state;
    devspec s = ok(DEVICE_SCALE, "serial:/dev/ttyUSB0");
    assert_string_equal(s.path, "/dev/ttyUSB0");
    assert_string_equal(s.port, "/dev/ttyUSB0,9600,8N1");
    assert_string_equal(s.proto, "xk3190");
    s = ok(DEVICE_SCALE, "serial:/dev/ttyUSB1:4800");
    assert_string_equal(s.port, "/dev/ttyUSB1,4800,8N1");
    s = ok(DEVICE_SCALE, "serial:/dev/ttyUSB1:9600,7E1:xk3190-eq:kg");
    assert_string_equal(s.port, "/dev/ttyUSB1,9600,7E1");
    assert_string_equal(s.proto, "xk3190-eq:kg");
    s = ok(DEVICE_SCALE, "serial:/dev/ttyS0:9600:os2");
    assert_string_equal(s.proto, "os2");
    s = ok(DEVICE_SCALE, "serial:/dev/ttyS0:2400:stgs");
    assert_string_equal(s.proto, "stgs");
    refused(DEVICE_SCALE, "serial:", "path is empty");
    refused(DEVICE_SCALE, "serial:ttyUSB0", "not absolute");
    refused(DEVICE_SCALE, "serial:/dev/ttyUSB0:9601", "9601");
    refused(DEVICE_SCALE, "serial:/dev/ttyUSB0::xk3190", "baud part is empty");
    refused(DEVICE_SCALE, "serial:/dev/ttyUSB0:9600:", "protocol is empty");
    refused(DEVICE_SCALE, "serial:/dev/ttyUSB0:9600:toledo", "toledo");
    refused(DEVICE_SCALE, "serial:/dev/ttyUSB0:9600,9X1:stgs", "9X1");
}

static void test_file(void **state)
{
    (void)state;
    devspec s = ok(DEVICE_PRINTER, "file:/tmp/receipts.bin");
    assert_int_equal(s.kind, DEVSPEC_FILE);
    assert_string_equal(s.path, "/tmp/receipts.bin");
    refused(DEVICE_PRINTER, "file:", "needs a path");
}

static void test_class_rules(void **state)
{
    (void)state;
    refused(DEVICE_SCANNER, "serial:/dev/ttyUSB0", "a scanner cannot be serial");
    refused(DEVICE_PRINTER, "serial:/dev/ttyUSB0", "a printer cannot be serial");
    refused(DEVICE_SCALE, "file:/tmp/x", "a scale cannot be file");
    refused(DEVICE_SCANNER, "file:/tmp/x", "a scanner cannot be file");
    refused(DEVICE_DRAWER, "sim", "a drawer cannot be sim");
    refused(DEVICE_SCALE, "bluetooth:1", "want auto, none, sim, usb:VID:PID, serial:");
    refused(DEVICE_PRINTER, "lp0", "file:PATH");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_simple_kinds), cmocka_unit_test(test_usb),
        cmocka_unit_test(test_serial),       cmocka_unit_test(test_file),
        cmocka_unit_test(test_class_rules),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
