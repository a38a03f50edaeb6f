/* bizday: proleptic Gregorian calendar arithmetic (Hinnant's algorithms) and fixed offsets. */
#include "pos/core/bizday.h"

#include <stddef.h>
#include <string.h>

#define SECS_PER_DAY 86400

int64_t bizday_days_from_civil(int y, int m, int d)
{
    /* Years start in March so the leap day is the last day of the "year". */
    int64_t yy = (int64_t)y - (m <= 2);
    int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
    int64_t yoe = yy - era * 400;                                   /* [0, 399] */
    int64_t mp = m > 2 ? m - 3 : m + 9;                             /* [0, 11] */
    int64_t doy = (153 * mp + 2) / 5 + d - 1;                       /* [0, 365] */
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;            /* [0, 146096] */
    return era * 146097 + doe - 719468;
}

void bizday_civil_from_days(int64_t days, int *y, int *m, int *d)
{
    /* Clamp to what an int year can hold (about ±1.9 billion years) so garbage instants give
     * a far-off date instead of an out-of-range conversion. */
    const int64_t lim = INT64_C(700000000000);
    if (days > lim)
        days = lim;
    if (days < -lim)
        days = -lim;
    int64_t z = days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;                                 /* [0, 146096] */
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t yy = yoe + era * 400;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);          /* [0, 365] */
    int64_t mp = (5 * doy + 2) / 153;                               /* [0, 11] */
    int dd = (int)(doy - (153 * mp + 2) / 5 + 1);
    int mm = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yy + (mm <= 2));
    *m = mm;
    *d = dd;
}

void bizday_local(int64_t utc_seconds, int offset_min, civil_time *out)
{
    int64_t local;
    /* Saturate instead of wrapping: garbage timestamps give a far-off date, never UB. */
    if (__builtin_add_overflow(utc_seconds, (int64_t)offset_min * 60, &local))
        local = utc_seconds > 0 ? INT64_MAX : INT64_MIN;
    /* Floor division written so that days * 86400 is never formed: near INT64_MIN it would
     * overflow. */
    int64_t days = local / SECS_PER_DAY, secs = local % SECS_PER_DAY;
    if (secs < 0) {
        secs += SECS_PER_DAY;
        days--;
    }
    bizday_civil_from_days(days, &out->year, &out->month, &out->day);
    out->hour = (int)(secs / 3600);
    out->minute = (int)(secs / 60 % 60);
    out->second = (int)(secs % 60);
    int64_t wd = (days + 4) % 7; /* 1970-01-01 was a Thursday */
    out->weekday = (int)(wd < 0 ? wd + 7 : wd);
}

/* Writes v as exactly `width` decimal digits (modulo 10^width), avoiding snprintf truncation
 * warnings on the fixed-size outputs. */
static char *put_num(char *p, int64_t v, int width)
{
    if (v < 0)
        v = -v;
    for (int i = width - 1; i >= 0; i--) {
        p[i] = (char)('0' + v % 10);
        v /= 10;
    }
    return p + width;
}

static char *put_date(char *p, const civil_time *t)
{
    /* Years outside 0000..9999 do not fit YYYY; a till never sees them, and the fixed width
     * keeps the callers' buffers safe if garbage does. */
    p = put_num(p, t->year, 4);
    *p++ = '-';
    p = put_num(p, t->month, 2);
    *p++ = '-';
    return put_num(p, t->day, 2);
}

void bizday_format_day(int64_t utc_seconds, int offset_min, char out[11])
{
    civil_time t;
    bizday_local(utc_seconds, offset_min, &t);
    char *p = put_date(out, &t);
    *p = '\0';
}

void bizday_format_iso8601(int64_t utc_seconds, int offset_min, char out[32])
{
    civil_time t;
    bizday_local(utc_seconds, offset_min, &t);
    char *p = put_date(out, &t);
    *p++ = 'T';
    p = put_num(p, t.hour, 2);
    *p++ = ':';
    p = put_num(p, t.minute, 2);
    *p++ = ':';
    p = put_num(p, t.second, 2);
    /* "+00:00" rather than "Z" for UTC so every stamp has the same shape. */
    int64_t off = offset_min;
    *p++ = off < 0 ? '-' : '+';
    if (off < 0)
        off = -off;
    p = put_num(p, off / 60, 2);
    *p++ = ':';
    p = put_num(p, off % 60, 2);
    *p = '\0';
}

static bool is_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

bool bizday_civil_valid(int y, int m, int d)
{
    static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12 || d < 1)
        return false;
    return d <= (m == 2 && is_leap(y) ? 29 : dim[m - 1]);
}

/* Exactly n digits at *p, advancing; false on anything else. */
static bool get_num(const char **p, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        char c = (*p)[i];
        if (c < '0' || c > '9')
            return false;
        v = v * 10 + (c - '0');
    }
    *p += n;
    *out = v;
    return true;
}

static bool parse_date(const char **p, int *y, int *m, int *d)
{
    if (!get_num(p, 4, y) || **p != '-')
        return false;
    (*p)++;
    if (!get_num(p, 2, m) || **p != '-')
        return false;
    (*p)++;
    if (!get_num(p, 2, d))
        return false;
    return bizday_civil_valid(*y, *m, *d);
}

bool bizday_parse_day(const char *yyyy_mm_dd, int *y, int *m, int *d)
{
    if (!yyyy_mm_dd)
        return false;
    const char *p = yyyy_mm_dd;
    return parse_date(&p, y, m, d) && *p == '\0';
}

bool bizday_valid_day(const char *yyyy_mm_dd)
{
    int y, m, d;
    return bizday_parse_day(yyyy_mm_dd, &y, &m, &d);
}

bool bizday_parse_iso8601(const char *text, int offset_min_default, int64_t *utc_out)
{
    if (!text)
        return false;
    const char *p = text;
    int y, mo, d, h, mi, s = 0;
    if (!parse_date(&p, &y, &mo, &d) || *p++ != 'T')
        return false;
    if (!get_num(&p, 2, &h) || *p++ != ':' || !get_num(&p, 2, &mi))
        return false;
    if (*p == ':') {
        p++;
        if (!get_num(&p, 2, &s))
            return false;
    }
    /* No leap seconds: the till's clock never shows :60. */
    if (h > 23 || mi > 59 || s > 59)
        return false;
    int64_t offset = offset_min_default;
    if (*p == 'Z') {
        offset = 0;
        p++;
    } else if (*p == '+' || *p == '-') {
        int sign = *p++ == '-' ? -1 : 1;
        int oh, om;
        if (!get_num(&p, 2, &oh) || *p++ != ':' || !get_num(&p, 2, &om))
            return false;
        if (oh > 23 || om > 59)
            return false;
        offset = sign * (oh * 60 + om);
    }
    if (*p != '\0')
        return false;
    int64_t local = bizday_days_from_civil(y, mo, d) * SECS_PER_DAY + h * 3600 + mi * 60 + s;
    if (utc_out)
        *utc_out = local - offset * 60;
    return true;
}
