/* usb_match: classification of USB devices into the kinds the till drives
 * (peripherals/usb_match.h).  Pure. */
#include "peripherals/usb_match.h"

#include <string.h>

#include "peripherals/scale/hidscale.h"

const char *usb_kind_name(usb_kind k)
{
    switch (k) {
    case USB_KIND_HID_SCALE: return "hid-scale";
    case USB_KIND_KBD_SCANNER: return "kbd-scanner";
    case USB_KIND_HIDPOS_SCANNER: return "hidpos-scanner";
    case USB_KIND_PRINTER: return "printer";
    }
    return "unknown";
}

/* Vendors whose boot-keyboard interfaces are barcode scanners.  Only makers that sell nothing
 * else with a keyboard interface under their VID are here: a wrong entry takes a cashier's
 * keyboard away.
 *
 * Documented: the vendor names are those of the USB ID registry (usb.ids, Debian package
 * usb.ids, /var/lib/usbutils/usb.ids), each an AIDC (barcode) company; 0c2e and 23d0 are also
 * the VIDs NielsLeenheer/WebHidBarcodeScanner enables HID POS mode for ("Honeywell/Youjie",
 * devices.md §2.1).
 * Folk knowledge, deliberately NOT here: the cheap Chinese scanners (Netum, YHD, Eyoyo,
 * Inateck, many "Zebex"-badged OEM units) ship under generic chip vendors -- 1a86 QinHeng,
 * 0483 STMicro, 04b4 Cypress, 1eab aside -- whose VIDs keyboards use too.  They are recognised
 * by their product string ("Barcode Scanner", usb_match_product_is_scanner) or configured by
 * VID:PID (--scanner usb:VID:PID claims whatever it names).  Zebex's own VID is not in usb.ids
 * and no source we have names it. */
static const struct {
    uint16_t vid;
    const char *name;
} scanner_vendors[] = {
    {0x0536, "Hand Held Products (Honeywell)"},   /* usb.ids */
    {0x05e0, "Symbol Technologies (Zebra)"},      /* usb.ids */
    {0x05f9, "PSC Scanning (Datalogic)"},         /* usb.ids */
    {0x065a, "Opticon (Optoelectronics)"},        /* usb.ids */
    {0x067e, "Intermec (Honeywell)"},             /* usb.ids */
    {0x080c, "Datalogic"},                        /* usb.ids */
    {0x0c2e, "Metrologic (Honeywell)"},           /* usb.ids; WebHidBarcodeScanner */
    {0x1eab, "Newland"},                          /* usb.ids "Fujian Newland Computer" */
    {0x23d0, "Youjie (Honeywell)"},               /* WebHidBarcodeScanner (devices.md §2.1) */
    {0x27dd, "Mindeo"},                           /* usb.ids */
};

bool usb_match_scanner_vendor(uint16_t vid, const char **name)
{
    for (size_t i = 0; i < sizeof scanner_vendors / sizeof scanner_vendors[0]; i++) {
        if (scanner_vendors[i].vid == vid) {
            if (name)
                *name = scanner_vendors[i].name;
            return true;
        }
    }
    return false;
}

static char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static bool contains_ci(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (const char *p = hay; *p; p++) {
        size_t k = 0;
        while (k < n && p[k] && lower(p[k]) == needle[k])
            k++;
        if (k == n)
            return true;
    }
    return false;
}

bool usb_match_product_is_scanner(const char *product)
{
    return product && (contains_ci(product, "scanner") || contains_ci(product, "barcode") ||
                       contains_ci(product, "bar code"));
}

bool usb_match_is_boot_keyboard(const usb_match_iface *i)
{
    return i->cls == USB_MATCH_CLASS_HID && i->subclass == 1 && i->protocol == 1;
}

/* The kinds in the order a composite device is classified by. */
enum { RANK_NONE = 0, RANK_KBD, RANK_PRINTER, RANK_HIDPOS, RANK_SCALE };

static int rank_iface(const usb_match_dev *d, const usb_match_iface *i, usb_match_result *r)
{
    memset(r, 0, sizeof *r);
    r->iface = i->number;
    if (i->cls == USB_MATCH_CLASS_PRINTER) {
        if (!i->bulk_out)
            return RANK_NONE;
        r->cls = DEVICE_PRINTER;
        r->kind = USB_KIND_PRINTER;
        r->ep_out = i->bulk_out;
        r->ep_in = i->bulk_in;
        r->in_size = i->bulk_in_size;
        return RANK_PRINTER;
    }
    if (i->cls != USB_MATCH_CLASS_HID || !i->int_in)
        return RANK_NONE;
    r->ep_in = i->int_in;
    r->ep_out = i->int_out;
    r->in_size = i->int_in_size;
    bool has_desc = i->report_desc && i->report_len > 0;
    if (hidscale_known_scale(d->vid, d->pid, NULL) ||
        (has_desc && hidscale_descriptor_is_scale(i->report_desc, i->report_len))) {
        r->cls = DEVICE_SCALE;
        r->kind = USB_KIND_HID_SCALE;
        return RANK_SCALE;
    }
    if (has_desc && hidscale_descriptor_has_page(i->report_desc, i->report_len,
                                                 USB_HID_USAGE_PAGE_POS_SCANNER)) {
        r->cls = DEVICE_SCANNER;
        r->kind = USB_KIND_HIDPOS_SCANNER;
        return RANK_HIDPOS;
    }
    if (usb_match_is_boot_keyboard(i) &&
        (usb_match_scanner_vendor(d->vid, NULL) || usb_match_product_is_scanner(d->product))) {
        r->cls = DEVICE_SCANNER;
        r->kind = USB_KIND_KBD_SCANNER;
        return RANK_KBD;
    }
    return RANK_NONE;
}

bool usb_match_classify(const usb_match_dev *d, usb_match_result *out)
{
    int best = RANK_NONE;
    size_t n = d->n_iface < USB_MATCH_MAX_IFACES ? d->n_iface : USB_MATCH_MAX_IFACES;
    for (size_t k = 0; k < n; k++) {
        usb_match_result r;
        int rank = rank_iface(d, &d->iface[k], &r);
        if (rank > best) {
            best = rank;
            if (out)
                *out = r;
        }
    }
    return best != RANK_NONE;
}

bool usb_match_as_class(const usb_match_dev *d, device_class cls, usb_match_result *out)
{
    if (cls == DEVICE_DRAWER)
        cls = DEVICE_PRINTER;
    size_t n = d->n_iface < USB_MATCH_MAX_IFACES ? d->n_iface : USB_MATCH_MAX_IFACES;
    int best = RANK_NONE;
    usb_match_result r, pick;
    memset(&pick, 0, sizeof pick);
    for (size_t k = 0; k < n; k++) {
        int rank = rank_iface(d, &d->iface[k], &r);
        if (rank > best && r.cls == cls) {
            best = rank;
            pick = r;
        }
    }
    for (size_t k = 0; best == RANK_NONE && k < n; k++) {
        const usb_match_iface *i = &d->iface[k];
        memset(&r, 0, sizeof r);
        r.iface = i->number;
        r.cls = cls;
        bool hid_in = i->cls == USB_MATCH_CLASS_HID && i->int_in;
        if (cls == DEVICE_SCALE && hid_in) {
            r.kind = USB_KIND_HID_SCALE;
        } else if (cls == DEVICE_SCANNER && hid_in && i->protocol == 1) {
            r.kind = USB_KIND_KBD_SCANNER;
        } else if (cls == DEVICE_PRINTER && i->bulk_out) {
            r.kind = USB_KIND_PRINTER;
            r.ep_out = i->bulk_out;
            r.ep_in = i->bulk_in;
            r.in_size = i->bulk_in_size;
            best = RANK_PRINTER;
            pick = r;
            continue;
        } else {
            continue;
        }
        r.ep_in = i->int_in;
        r.ep_out = i->int_out;
        r.in_size = i->int_in_size;
        best = RANK_KBD;
        pick = r;
    }
    if (best != RANK_NONE && out)
        *out = pick;
    return best != RANK_NONE;
}
