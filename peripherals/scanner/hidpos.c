/* hidpos: HID POS scanner reports (usage page 0x8C, report 0x02) into codes.  See hidpos.h.
 * Layout: devices.md §2.1.  AIM identifiers: ISO/IEC 15424 (the "]cm" prefix). */
#include "peripherals/scanner/hidpos.h"

#include <string.h>

const char *hidpos_strerror(hidpos_err e)
{
    switch (e) {
    case HIDPOS_OK: return "ok";
    case HIDPOS_ERR_LENGTH: return "HID POS report is not 64 bytes";
    case HIDPOS_ERR_REPORT_ID: return "not a HID POS scanner data report (report ID 0x02)";
    case HIDPOS_ERR_DATA_LENGTH: return "HID POS data length above 56";
    case HIDPOS_ERR_AIM: return "HID POS report without an AIM symbology identifier";
    case HIDPOS_ERR_AIM_CHANGED: return "HID POS code changed symbology between reports";
    case HIDPOS_ERR_BINARY: return "HID POS code holds control or non-ASCII bytes";
    case HIDPOS_ERR_TOO_LONG: return "HID POS code longer than 512 bytes";
    case HIDPOS_ERR_EMPTY: return "HID POS code without data";
    }
    return "unknown HID POS error";
}

static bool is_alpha(uint8_t c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static bool is_alnum(uint8_t c)
{
    return is_alpha(c) || (c >= '0' && c <= '9');
}

hidpos_symbology hidpos_symbology_of(const char aim[3])
{
    if (aim[0] != ']')
        return HIDPOS_SYM_UNKNOWN;
    char m = aim[2];
    switch (aim[1]) {
    case 'E':
        if (m == '0') return HIDPOS_SYM_EAN13;
        if (m == '1' || m == '2') return HIDPOS_SYM_ADDON;
        if (m == '3') return HIDPOS_SYM_EAN13_ADDON;
        if (m == '4') return HIDPOS_SYM_EAN8;
        return HIDPOS_SYM_UNKNOWN;
    case 'C':
        if (m == '0') return HIDPOS_SYM_CODE128;
        if (m == '1') return HIDPOS_SYM_GS1_128;
        return HIDPOS_SYM_UNKNOWN;
    case 'A': return HIDPOS_SYM_CODE39;
    case 'G': return HIDPOS_SYM_CODE93;
    case 'I': return HIDPOS_SYM_ITF;
    case 'F': return HIDPOS_SYM_CODABAR;
    case 'e': return HIDPOS_SYM_GS1_DATABAR;
    case 'Q': return HIDPOS_SYM_QR;
    case 'd': return HIDPOS_SYM_DATAMATRIX;
    case 'L': return HIDPOS_SYM_PDF417;
    case 'z': return HIDPOS_SYM_AZTEC;
    case 'X': return HIDPOS_SYM_OTHER;
    default: return HIDPOS_SYM_UNKNOWN;
    }
}

const char *hidpos_symbology_name(hidpos_symbology s)
{
    switch (s) {
    case HIDPOS_SYM_UNKNOWN: return "unknown";
    case HIDPOS_SYM_EAN13: return "EAN-13";
    case HIDPOS_SYM_EAN13_ADDON: return "EAN-13 with add-on";
    case HIDPOS_SYM_ADDON: return "EAN add-on";
    case HIDPOS_SYM_EAN8: return "EAN-8";
    case HIDPOS_SYM_CODE128: return "Code 128";
    case HIDPOS_SYM_GS1_128: return "GS1-128";
    case HIDPOS_SYM_CODE39: return "Code 39";
    case HIDPOS_SYM_CODE93: return "Code 93";
    case HIDPOS_SYM_ITF: return "Interleaved 2 of 5";
    case HIDPOS_SYM_CODABAR: return "Codabar";
    case HIDPOS_SYM_GS1_DATABAR: return "GS1 DataBar";
    case HIDPOS_SYM_QR: return "QR Code";
    case HIDPOS_SYM_DATAMATRIX: return "Data Matrix";
    case HIDPOS_SYM_PDF417: return "PDF417";
    case HIDPOS_SYM_AZTEC: return "Aztec";
    case HIDPOS_SYM_OTHER: return "other";
    }
    return "unknown";
}

hidpos_err hidpos_valid(const uint8_t *report, size_t len, hidpos_report *r)
{
    if (len != HIDPOS_REPORT_LEN)
        return HIDPOS_ERR_LENGTH;
    if (report[0] != HIDPOS_REPORT_ID)
        return HIDPOS_ERR_REPORT_ID;
    if (report[1] > HIDPOS_MAX_DATA)
        return HIDPOS_ERR_DATA_LENGTH;
    if (report[2] != ']' || !is_alpha(report[3]) || !is_alnum(report[4]))
        return HIDPOS_ERR_AIM;
    if (r) {
        r->len = report[1];
        r->aim[0] = ']';
        r->aim[1] = (char)report[3];
        r->aim[2] = (char)report[4];
        r->aim[3] = '\0';
        r->data = report + 5;
        r->vendor_sym = report[61];
        r->more = (report[63] & 0x01) != 0;
    }
    return HIDPOS_OK;
}

void hidpos_init(hidpos *d)
{
    memset(d, 0, sizeof *d);
}

void hidpos_reset(hidpos *d)
{
    hidpos_init(d);
}

/* Drop the code under way; when the report that spoilt it says more follow (or cannot be
 * read), skip valid reports up to the last one of that code. */
static hidpos_err drop(hidpos *d, hidpos_err e, bool skip_rest)
{
    d->in_code = false;
    d->cur.len = 0;
    d->skipping = skip_rest;
    d->skip_err = e;
    return e;
}

/* The finished code: strip one trailing CR, LF or CR LF (a suffix the scanner was set to add),
 * then every byte must be printable ASCII or GS. */
static hidpos_err finish(hidpos *d, hidpos_code *out)
{
    hidpos_code *c = &d->cur;
    if (c->len > 0 && c->code[c->len - 1] == '\n')
        c->len--;
    if (c->len > 0 && c->code[c->len - 1] == '\r')
        c->len--;
    d->in_code = false;
    if (c->len == 0)
        return drop(d, HIDPOS_ERR_EMPTY, false);
    for (size_t i = 0; i < c->len; i++) {
        uint8_t b = (uint8_t)c->code[i];
        if ((b < 0x20 && b != HIDPOS_GS) || b > 0x7E)
            return drop(d, HIDPOS_ERR_BINARY, false);
    }
    c->code[c->len] = '\0';
    c->sym = hidpos_symbology_of(c->aim);
    *out = *c;
    c->len = 0;
    return HIDPOS_OK;
}

hidpos_err hidpos_parse(hidpos *d, const uint8_t *report, size_t len, hidpos_code *out,
                        bool *done)
{
    *done = false;
    hidpos_report r;
    hidpos_err v = hidpos_valid(report, len, &r);
    if (v != HIDPOS_OK) {
        /* A full-length report whose last byte says "last" ends whatever it belonged to. */
        bool last = len == HIDPOS_REPORT_LEN && (report[63] & 0x01) == 0;
        return drop(d, v, !last);
    }
    if (d->skipping) {
        if (!r.more)
            d->skipping = false;
        return HIDPOS_OK;
    }
    hidpos_code *c = &d->cur;
    if (d->in_code && memcmp(c->aim, r.aim, 3) != 0)
        return drop(d, HIDPOS_ERR_AIM_CHANGED, r.more);
    if (!d->in_code) {
        c->len = 0;
        memcpy(c->aim, r.aim, sizeof c->aim);
        c->vendor_sym = r.vendor_sym;
        d->in_code = true;
    }
    if (c->len + r.len > HIDPOS_MAX_CODE)
        return drop(d, HIDPOS_ERR_TOO_LONG, r.more);
    memcpy(c->code + c->len, r.data, r.len);
    c->len += r.len;
    if (r.more)
        return HIDPOS_OK;
    hidpos_err e = finish(d, out);
    *done = e == HIDPOS_OK;
    return e;
}
