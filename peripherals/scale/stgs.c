/* stgs: "ST,GS,+0001.234kg" lines (peripherals/scale/stgs.h; devices.md §3.5). */
#include "peripherals/scale/stgs.h"

#include <string.h>

typedef struct {
    const uint8_t *p;
    size_t n;
} span;

static span trim(span s)
{
    while (s.n && s.p[0] == ' ')
        s.p++, s.n--;
    while (s.n && s.p[s.n - 1] == ' ')
        s.n--;
    return s;
}

static bool is2(span s, const char *two) { return s.n == 2 && s.p[0] == two[0] && s.p[1] == two[1]; }

static scale_unit unit_of(span u)
{
    static const struct { const char *text; scale_unit unit; } U[] = {
        {"g", SCALE_UNIT_G}, {"kg", SCALE_UNIT_KG}, {"lb", SCALE_UNIT_LB}, {"oz", SCALE_UNIT_OZ},
        {"t", SCALE_UNIT_T}, {"mg", SCALE_UNIT_MG}, {"ct", SCALE_UNIT_CARAT}, {"KG", SCALE_UNIT_KG},
        {"G", SCALE_UNIT_G}, {"LB", SCALE_UNIT_LB}, {"lbs", SCALE_UNIT_LB},
    };
    for (size_t i = 0; i < sizeof U / sizeof U[0]; i++)
        if (strlen(U[i].text) == u.n && memcmp(U[i].text, u.p, u.n) == 0)
            return U[i].unit;
    return SCALE_UNIT_UNKNOWN;
}

bool stgs_parse(const uint8_t *line, size_t len, scale_reading *out)
{
    if (len && line[len - 1] == '\r')
        len--;
    span f[4];
    size_t nf = 0, start = 0;
    for (size_t i = 0; i <= len; i++)
        if (i == len || line[i] == ',') {
            if (nf == 4)
                return false;
            f[nf++] = trim((span){line + start, i - start});
            start = i + 1;
        }
    if (nf < 2 || nf > 3)
        return false;
    uint32_t flags;
    if (is2(f[0], "ST"))
        flags = SCALE_F_STABLE;
    else if (is2(f[0], "US"))
        flags = SCALE_F_MOTION;
    else if (is2(f[0], "OL"))
        flags = SCALE_F_OVER_CAPACITY;
    else
        return false;
    span v = f[nf - 1];
    if (nf == 3) {
        if (is2(f[1], "NT"))
            flags |= SCALE_F_NET;
        else if (!is2(f[1], "GS"))
            return false;       /* TR (a tare report) and anything else: not a weight */
    }
    /* The value runs to the first letter; the unit is the rest. */
    size_t k = 0;
    while (k < v.n && !((v.p[k] >= 'a' && v.p[k] <= 'z') || (v.p[k] >= 'A' && v.p[k] <= 'Z')))
        k++;
    scale_unit unit = unit_of(trim((span){v.p + k, v.n - k}));
    span num = trim((span){v.p, k});
    scale_reading r = {.unit = unit, .flags = flags};
    if (flags & SCALE_F_OVER_CAPACITY) {
        /* The value of an overload line is padding or the last weight: not trusted. */
        *out = r;
        return true;
    }
    if (unit == SCALE_UNIT_UNKNOWN)
        return false;
    int64_t m;
    int e;
    if (!scale_reading_decimal(num.p, num.n, &m, &e) || !scale_reading_grams(m, e, unit, &r.grams))
        return false;
    if (r.grams < 0 || (m < 0 && r.grams == 0))
        r.flags |= SCALE_F_UNDER_ZERO;
    else if (m == 0)
        r.flags |= SCALE_F_ZERO;
    *out = r;
    return true;
}

bool stgs_valid(const uint8_t *line, size_t len)
{
    scale_reading r;
    return stgs_parse(line, len, &r);
}

/* The line, or failing that its tail from the last "ST,", "US," or "OL,": noise before a
 * line (a power-on banner, line noise at a wrong baud) costs nothing but itself. */
static bool parse_resync(const uint8_t *line, size_t len, scale_reading *out)
{
    if (stgs_parse(line, len, out))
        return true;
    for (size_t i = len; i-- > 1;) {
        if (i + 3 > len || line[i + 2] != ',')
            continue;
        span head = {line + i, 2};
        if ((is2(head, "ST") || is2(head, "US") || is2(head, "OL")) &&
            stgs_parse(line + i, len - i, out))
            return true;
    }
    return false;
}

void stgs_init(stgs_stream *s) { memset(s, 0, sizeof *s); }

size_t stgs_feed(stgs_stream *s, const uint8_t *data, size_t len, scale_reading *out, bool *got)
{
    *got = false;
    for (size_t i = 0; i < len; i++) {
        uint8_t c = data[i];
        if (c != '\n' && c != '\r') {
            if (s->len < sizeof s->line)
                s->line[s->len++] = c;
            else
                s->overlong = true;
            continue;
        }
        bool ok = !s->overlong && s->len > 0 && parse_resync(s->line, s->len, out);
        if (ok) {
            s->frames++;
            *got = true;
        } else if (s->len > 0 || s->overlong) {
            s->rejected++;
        }
        s->len = 0;
        s->overlong = false;
        return i + 1;
    }
    return len;
}
