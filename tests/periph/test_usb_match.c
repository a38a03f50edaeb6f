/* usb_match: the classification table -- which USB devices the till drives and as what
 * (peripherals/usb_match.h).  Above all: a plain keyboard is never a scanner.  Device shapes
 * from devices.md §1.6 (known scales), §5.2 (scale and printer descriptors); report descriptors
 * synthetic (§1.7). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "peripherals/usb_match.h"

/* Usage Page 0x8D, Usage Scale Device, Collection (Application) ... End Collection. */
static const uint8_t desc_scale[] = {0x05, 0x8D, 0x09, 0x20, 0xA1, 0x01, 0xC0};
/* Usage Page 0x8C (Barcode Scanner). */
static const uint8_t desc_hidpos[] = {0x05, 0x8C, 0x09, 0x02, 0xA1, 0x01, 0xC0};
/* Extended usage 0x008D0020 (4-byte local Usage): still the scale page. */
static const uint8_t desc_scale_ext[] = {0x0B, 0x20, 0x00, 0x8D, 0x00, 0xA1, 0x01, 0xC0};
/* Generic desktop keyboard. */
static const uint8_t desc_kbd[] = {0x05, 0x01, 0x09, 0x06, 0xA1, 0x01, 0xC0};
/* Truncated right after the prefix of a Usage Page item. */
static const uint8_t desc_cut[] = {0x05};

enum { NONE = -1 };

typedef struct {
    const char *what;
    uint16_t vid, pid;
    const char *product;
    uint8_t cls, sub, proto;
    uint8_t int_in, int_out, bulk_in, bulk_out;
    const uint8_t *desc;
    size_t desc_len;
    int kind;                 /* usb_kind or NONE */
    uint8_t ep_in, ep_out;
} row;

#define D(x) x, sizeof x

static const row rows[] = {
    {"DYMO M10 by table", 0x0922, 0x8003, "M10", 3, 0, 0, 0x81, 0, 0, 0, NULL, 0,
     USB_KIND_HID_SCALE, 0x81, 0},
    {"Mettler PS60 by table", 0x0eb8, 0xf000, NULL, 3, 0, 0, 0x82, 0x01, 0, 0, NULL, 0,
     USB_KIND_HID_SCALE, 0x82, 0x01},
    {"unknown VID, 0x8D descriptor", 0x1234, 0x5678, NULL, 3, 0, 0, 0x81, 0, 0, 0,
     D(desc_scale), USB_KIND_HID_SCALE, 0x81, 0},
    {"unknown VID, extended 0x8D usage", 0x1234, 0x5679, NULL, 3, 0, 0, 0x81, 0, 0, 0,
     D(desc_scale_ext), USB_KIND_HID_SCALE, 0x81, 0},
    {"HID POS scanner 0x8C", 0x2345, 0x0001, "Imager", 3, 0, 0, 0x83, 0x04, 0, 0,
     D(desc_hidpos), USB_KIND_HIDPOS_SCANNER, 0x83, 0x04},
    {"known scale VID:PID but no interrupt IN", 0x0922, 0x8003, NULL, 3, 0, 0, 0, 0, 0, 0,
     NULL, 0, NONE, 0, 0},
    {"Honeywell boot keyboard", 0x0c2e, 0x0200, "Voyager", 3, 1, 1, 0x81, 0, 0, 0,
     D(desc_kbd), USB_KIND_KBD_SCANNER, 0x81, 0},
    {"Zebra/Symbol boot keyboard", 0x05e0, 0x1200, NULL, 3, 1, 1, 0x81, 0, 0, 0, NULL, 0,
     USB_KIND_KBD_SCANNER, 0x81, 0},
    {"Datalogic boot keyboard", 0x080c, 0x0300, NULL, 3, 1, 1, 0x81, 0, 0, 0, NULL, 0,
     USB_KIND_KBD_SCANNER, 0x81, 0},
    {"Newland boot keyboard", 0x1eab, 0x0d22, NULL, 3, 1, 1, 0x81, 0, 0, 0, NULL, 0,
     USB_KIND_KBD_SCANNER, 0x81, 0},
    {"generic chip, product 'Barcode Scanner'", 0x1a86, 0xe026, "USB Barcode Scanner", 3, 1, 1,
     0x81, 0, 0, 0, NULL, 0, USB_KIND_KBD_SCANNER, 0x81, 0},
    {"generic chip, product 'SCANNER' upper case", 0x0483, 0x0011, "HID SCANNER", 3, 1, 1, 0x81,
     0, 0, 0, NULL, 0, USB_KIND_KBD_SCANNER, 0x81, 0},
    {"generic chip, product 'bar code reader'", 0x04b4, 0x0100, "Bar Code Reader", 3, 1, 1,
     0x81, 0, 0, 0, NULL, 0, USB_KIND_KBD_SCANNER, 0x81, 0},
    /* never the cashier's keyboard */
    {"Logitech keyboard", 0x046d, 0xc31c, "USB Keyboard", 3, 1, 1, 0x81, 0, 0, 0, D(desc_kbd),
     NONE, 0, 0},
    {"Dell keyboard, no strings", 0x413c, 0x2113, NULL, 3, 1, 1, 0x81, 0, 0, 0, NULL, 0, NONE, 0,
     0},
    {"generic chip keyboard", 0x1a86, 0xe025, "USB Keyboard", 3, 1, 1, 0x81, 0, 0, 0, NULL, 0,
     NONE, 0, 0},
    {"scanner vendor, but a boot MOUSE", 0x0c2e, 0x0201, NULL, 3, 1, 2, 0x81, 0, 0, 0, NULL, 0,
     NONE, 0, 0},
    {"scanner vendor, non-boot HID without 0x8C", 0x0c2e, 0x0202, NULL, 3, 0, 0, 0x81, 0, 0, 0,
     D(desc_kbd), NONE, 0, 0},
    {"'scanner' product on a non-keyboard HID", 0x1a86, 0xe027, "Scanner Remote", 3, 0, 0, 0x81,
     0, 0, 0, NULL, 0, NONE, 0, 0},
    {"truncated descriptor", 0x1234, 0x567a, NULL, 3, 0, 0, 0x81, 0, 0, 0, D(desc_cut), NONE, 0,
     0},
    {"flatbed 'Scanner' (vendor class)", 0x04a9, 0x1909, "CanoScan Scanner", 0xff, 0, 0, 0, 0,
     0x81, 0x02, NULL, 0, NONE, 0, 0},
    /* printers */
    {"ESC/POS printer 0416:5011", 0x0416, 0x5011, "POS58", 7, 1, 2, 0, 0, 0x83, 0x02, NULL, 0,
     USB_KIND_PRINTER, 0x83, 0x02},
    {"printer without bulk IN", 0x0483, 0x5743, NULL, 7, 1, 1, 0, 0, 0, 0x01, NULL, 0,
     USB_KIND_PRINTER, 0, 0x01},
    {"printer class without bulk OUT", 0x0483, 0x5744, NULL, 7, 1, 1, 0, 0, 0x81, 0, NULL, 0,
     NONE, 0, 0},
    {"hub", 0x1d6b, 0x0002, NULL, 9, 0, 0, 0x81, 0, 0, 0, NULL, 0, NONE, 0, 0},
};

static usb_match_dev dev_of(const row *r)
{
    usb_match_dev d;
    memset(&d, 0, sizeof d);
    d.vid = r->vid;
    d.pid = r->pid;
    d.product = r->product;
    d.n_iface = 1;
    usb_match_iface *i = &d.iface[0];
    i->number = 0;
    i->cls = r->cls;
    i->subclass = r->sub;
    i->protocol = r->proto;
    i->int_in = r->int_in;
    i->int_out = r->int_out;
    i->bulk_in = r->bulk_in;
    i->bulk_out = r->bulk_out;
    i->int_in_size = r->int_in ? 8 : 0;
    i->bulk_in_size = r->bulk_in ? 64 : 0;
    i->report_desc = r->desc;
    i->report_len = r->desc_len;
    return d;
}

static void test_table(void **state)
{
    (void)state;
    for (size_t k = 0; k < sizeof rows / sizeof rows[0]; k++) {
        const row *r = &rows[k];
        usb_match_dev d = dev_of(r);
        usb_match_result res;
        bool got = usb_match_classify(&d, &res);
        if (got != (r->kind != NONE))
            fail_msg("%s: classified %s, expected %s", r->what, got ? usb_kind_name(res.kind) : "none",
                     r->kind == NONE ? "none" : usb_kind_name((usb_kind)r->kind));
        if (!got)
            continue;
        if ((int)res.kind != r->kind || res.ep_in != r->ep_in || res.ep_out != r->ep_out)
            fail_msg("%s: got %s in %02x out %02x", r->what, usb_kind_name(res.kind), res.ep_in,
                     res.ep_out);
        device_class want = r->kind == USB_KIND_HID_SCALE ? DEVICE_SCALE
                          : r->kind == USB_KIND_PRINTER ? DEVICE_PRINTER : DEVICE_SCANNER;
        assert_int_equal(res.cls, want);
    }
}

/* A composite device: keyboard + HID POS interfaces of a scanner vendor -> HID POS (it carries
 * the symbology); a scale with a keyboard interface -> the scale, on the scale's interface. */
static void test_composite(void **state)
{
    (void)state;
    usb_match_dev d;
    memset(&d, 0, sizeof d);
    d.vid = 0x0c2e;
    d.pid = 0x0b61;
    d.n_iface = 2;
    d.iface[0] = (usb_match_iface){.number = 0, .cls = 3, .subclass = 1, .protocol = 1,
                                   .int_in = 0x81, .int_in_size = 8};
    d.iface[1] = (usb_match_iface){.number = 1, .cls = 3, .int_in = 0x82, .int_in_size = 64,
                                   .report_desc = desc_hidpos, .report_len = sizeof desc_hidpos};
    usb_match_result r;
    assert_true(usb_match_classify(&d, &r));
    assert_int_equal(r.kind, USB_KIND_HIDPOS_SCANNER);
    assert_int_equal(r.iface, 1);
    assert_int_equal(r.ep_in, 0x82);
    assert_int_equal(r.in_size, 64);
    d.vid = 0x1234;
    d.iface[1].report_desc = desc_scale;
    d.iface[1].report_len = sizeof desc_scale;
    assert_true(usb_match_classify(&d, &r));
    assert_int_equal(r.kind, USB_KIND_HID_SCALE);
    assert_int_equal(r.iface, 1);
}

/* A configured VID:PID (usb_match_as_class). */
static void test_as_class(void **state)
{
    (void)state;
    usb_match_result r;
    /* an unknown boot keyboard configured as the scanner is claimed */
    const row kbd = {"", 0x2222, 0x3333, "HID Device", 3, 1, 1, 0x81, 0, 0, 0, NULL, 0, NONE, 0, 0};
    usb_match_dev d = dev_of(&kbd);
    assert_false(usb_match_classify(&d, &r));
    assert_true(usb_match_as_class(&d, DEVICE_SCANNER, &r));
    assert_int_equal(r.kind, USB_KIND_KBD_SCANNER);
    assert_int_equal(r.ep_in, 0x81);
    assert_false(usb_match_as_class(&d, DEVICE_PRINTER, &r));
    assert_true(usb_match_as_class(&d, DEVICE_SCALE, &r));   /* a HID IN endpoint is enough */
    /* a vendor-class ESC/POS printer (many Chinese ones) configured as printer or drawer */
    const row vend = {"", 0x0fe6, 0x811e, NULL, 0xff, 0, 0, 0, 0, 0x81, 0x02, NULL, 0, NONE, 0, 0};
    d = dev_of(&vend);
    assert_false(usb_match_classify(&d, &r));
    assert_true(usb_match_as_class(&d, DEVICE_DRAWER, &r));
    assert_int_equal(r.kind, USB_KIND_PRINTER);
    assert_int_equal(r.cls, DEVICE_PRINTER);
    assert_int_equal(r.ep_out, 0x02);
    assert_false(usb_match_as_class(&d, DEVICE_SCANNER, &r));
    /* a classified device keeps its classification when the class agrees */
    d = dev_of(&rows[0]);
    assert_true(usb_match_as_class(&d, DEVICE_SCALE, &r));
    assert_int_equal(r.kind, USB_KIND_HID_SCALE);
    /* a non-keyboard HID is no scanner even when configured */
    const row mouse = {"", 0x2222, 0x3334, NULL, 3, 1, 2, 0x81, 0, 0, 0, NULL, 0, NONE, 0, 0};
    d = dev_of(&mouse);
    assert_false(usb_match_as_class(&d, DEVICE_SCANNER, &r));
}

static void test_names_and_vendors(void **state)
{
    (void)state;
    assert_string_equal(usb_kind_name(USB_KIND_HID_SCALE), "hid-scale");
    assert_string_equal(usb_kind_name(USB_KIND_KBD_SCANNER), "kbd-scanner");
    assert_string_equal(usb_kind_name(USB_KIND_HIDPOS_SCANNER), "hidpos-scanner");
    assert_string_equal(usb_kind_name(USB_KIND_PRINTER), "printer");
    const char *name = NULL;
    assert_true(usb_match_scanner_vendor(0x0c2e, &name));
    assert_non_null(strstr(name, "Honeywell"));
    assert_false(usb_match_scanner_vendor(0x046d, NULL));   /* Logitech */
    assert_false(usb_match_scanner_vendor(0x1a86, NULL));   /* QinHeng: keyboards too */
    assert_true(usb_match_product_is_scanner("2D BARCODE reader"));
    assert_false(usb_match_product_is_scanner("Keyboard"));
    assert_false(usb_match_product_is_scanner(NULL));
    assert_false(usb_match_product_is_scanner(""));
    assert_false(usb_match_product_is_scanner("scanne"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_composite),
        cmocka_unit_test(test_as_class),
        cmocka_unit_test(test_names_and_vendors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
