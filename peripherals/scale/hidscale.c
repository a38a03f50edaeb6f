/* hidscale: HID POS scale reports, descriptors and known devices (peripherals/scale/hidscale.h;
 * devices.md §1). */
#include "peripherals/scale/hidscale.h"

#include <string.h>

const char *hidscale_strerror(hidscale_err err)
{
    switch (err) {
    case HIDSCALE_OK: return "ok";
    case HIDSCALE_ERR_SHORT: return "HID scale report shorter than 6 bytes";
    case HIDSCALE_ERR_REPORT_ID: return "not a HID scale data report";
    case HIDSCALE_ERR_STATUS: return "unknown HID scale status";
    case HIDSCALE_ERR_UNIT: return "unsupported HID scale unit";
    case HIDSCALE_ERR_RANGE: return "HID scale weight out of range";
    }
    return "unknown HID scale error";
}

static bool data_report_id(uint8_t id) { return id == 0x03 || id == 0x04; }

int hidscale_report_offset(const uint8_t *buf, size_t len)
{
    if (len >= HIDSCALE_REPORT_LEN && data_report_id(buf[0]))
        return 0;
    if (len >= HIDSCALE_REPORT_LEN + 1 && buf[0] == 0x00 && data_report_id(buf[1]))
        return 1;
    return -1;
}

/* §1.3: the report's unit index (1-based) to ours.  Tael (05) is left out: Chinese 两 is 50 g,
 * the Hong Kong tael 37.8 g, and nothing says which the firmware means. */
static scale_unit hid_unit(uint8_t u)
{
    switch (u) {
    case 0x01: return SCALE_UNIT_MG;
    case 0x02: return SCALE_UNIT_G;
    case 0x03: return SCALE_UNIT_KG;
    case 0x04: return SCALE_UNIT_CARAT;
    case 0x06: return SCALE_UNIT_GRAIN;
    case 0x07: return SCALE_UNIT_DWT;
    case 0x08: return SCALE_UNIT_T;
    case 0x09: return SCALE_UNIT_TON;
    case 0x0A: return SCALE_UNIT_OZT;
    case 0x0B: return SCALE_UNIT_OZ;
    case 0x0C: return SCALE_UNIT_LB;
    default: return SCALE_UNIT_UNKNOWN;
    }
}

hidscale_err hidscale_parse(const uint8_t *buf, size_t len, scale_reading *out)
{
    if (len < HIDSCALE_REPORT_LEN)
        return HIDSCALE_ERR_SHORT;
    int off = hidscale_report_offset(buf, len);
    if (off < 0)
        return HIDSCALE_ERR_REPORT_ID;
    const uint8_t *r = buf + off;
    uint8_t status = r[1];
    if (status < 0x01 || status > 0x08)
        return HIDSCALE_ERR_STATUS;
    scale_unit unit = hid_unit(r[2]);
    if (unit == SCALE_UNIT_UNKNOWN)
        return HIDSCALE_ERR_UNIT;
    int exp10 = (int)(int8_t)r[3];
    int64_t raw = (int64_t)r[4] | (int64_t)r[5] << 8;
    int64_t grams;
    if (!scale_reading_grams(raw, exp10, unit, &grams))
        return HIDSCALE_ERR_RANGE;
    scale_reading rd = {.grams = grams, .unit = unit};
    switch (status) {
    case 0x01: rd.flags = SCALE_F_FAULT; break;
    case 0x02: rd.flags = raw == 0 ? SCALE_F_STABLE | SCALE_F_ZERO : 0; break;
    case 0x03: rd.flags = SCALE_F_MOTION; break;
    case 0x04: rd.flags = SCALE_F_STABLE | (raw == 0 ? SCALE_F_ZERO : 0u); break;
    case 0x05: rd.flags = SCALE_F_UNDER_ZERO; rd.grams = -grams; break;
    case 0x06: rd.flags = SCALE_F_OVER_CAPACITY; break;
    default: rd.flags = SCALE_F_FAULT; break;      /* 07 calibrate, 08 re-zero */
    }
    *out = rd;
    return HIDSCALE_OK;
}

bool hidscale_valid(const uint8_t *buf, size_t len)
{
    scale_reading r;
    return hidscale_parse(buf, len, &r) == HIDSCALE_OK;
}

size_t hidscale_zero_report(uint8_t *out, size_t cap)
{
    if (cap < 2)
        return 0;
    out[0] = 0x02;
    out[1] = 0x02;
    return 2;
}

bool hidscale_descriptor_is_scale(const uint8_t *desc, size_t len)
{
    return hidscale_descriptor_has_page(desc, len, HIDSCALE_USAGE_PAGE_SCALE);
}

bool hidscale_descriptor_has_page(const uint8_t *desc, size_t len, uint16_t page)
{
    size_t i = 0;
    while (i < len) {
        uint8_t prefix = desc[i];
        if (prefix == 0xFE) {          /* long item: FE size tag data... */
            if (i + 2 >= len)
                return false;
            i += 3 + (size_t)desc[i + 1];
            continue;
        }
        size_t size = prefix & 3u;
        if (size == 3)
            size = 4;
        if (i + 1 + size > len)
            return false;
        uint32_t v = 0;
        for (size_t k = 0; k < size; k++)
            v |= (uint32_t)desc[i + 1 + k] << (8 * k);
        uint8_t type = (uint8_t)((prefix >> 2) & 3u), tag = (uint8_t)(prefix >> 4);
        if (type == 1 && tag == 0 && v == page)  /* global Usage Page */
            return true;
        if (type == 2 && size == 4 && (v >> 16) == page)  /* local, extended */
            return true;
        i += 1 + size;
    }
    return false;
}

static const struct {
    uint16_t vid, pid;
    const char *name;
} KNOWN[] = {
    {0x1446, 0x6a73, "Stamps.com Model 510"},
    {0x7b7c, 0x0100, "USPS Elane PS311"},
    {0x2474, 0x0550, "Stamps.com Stainless 5 lb"},
    {0x2474, 0x3550, "Stamps.com Stainless 35 lb"},
    {0x0eb8, 0xf000, "Mettler Toledo PS60"},
    {0x6096, 0x0158, "Sanford Dymo 10 lb"},
    {0x0b67, 0x555e, "Fairbanks SCB-R9000"},
    {0x0922, 0x8003, "DYMO M10"},
    {0x0922, 0x8004, "DYMO M25"},
    {0x0922, 0x8009, "DYMO S180/S250"},
    {0x0d8f, 0x0200, "Pitney Bowes 397-B"},
};

bool hidscale_known_scale(uint16_t vid, uint16_t pid, const char **name)
{
    for (size_t i = 0; i < sizeof KNOWN / sizeof KNOWN[0]; i++)
        if (KNOWN[i].vid == vid && KNOWN[i].pid == pid) {
            if (name)
                *name = KNOWN[i].name;
            return true;
        }
    return false;
}
