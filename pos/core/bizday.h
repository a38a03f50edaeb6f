/* bizday: civil dates and business days without touching the clock or the TZ database.
 *
 * The store runs on Asia/Shanghai, which has been a fixed UTC+8 without daylight saving since
 * 1991; the offset is a store setting (minutes east of UTC) so a till elsewhere could differ.
 * Days are counted with Howard Hinnant's days_from_civil algorithm, valid far beyond any
 * date a till sees. */
#ifndef FUPIN_CORE_BIZDAY_H
#define FUPIN_CORE_BIZDAY_H

#include <stdbool.h>
#include <stdint.h>

#define BIZDAY_SHANGHAI_OFFSET_MIN 480

typedef struct {
    int year, month, day;        /* civil date */
    int hour, minute, second;
    int weekday;                 /* 0 = Sunday … 6 = Saturday */
} civil_time;

/* y-m-d is a real Gregorian date (month 1-12, day within the month, Feb 29 in leap years). */
bool bizday_civil_valid(int y, int m, int d);
int64_t bizday_days_from_civil(int y, int m, int d);
void bizday_civil_from_days(int64_t days, int *y, int *m, int *d);
/* Local civil time of a UTC instant at offset_min east of UTC. */
void bizday_local(int64_t utc_seconds, int offset_min, civil_time *out);
/* "YYYY-MM-DD" of the business day (local date) of a UTC instant. */
void bizday_format_day(int64_t utc_seconds, int offset_min, char out[11]);
/* Parse ISO 8601 "YYYY-MM-DDTHH:MM[:SS][Z|±HH:MM]" (no zone = offset_min_default) to UTC. */
bool bizday_parse_iso8601(const char *text, int offset_min_default, int64_t *utc_out);
/* "2026-10-16T10:30:00+08:00" */
void bizday_format_iso8601(int64_t utc_seconds, int offset_min, char out[32]);
bool bizday_valid_day(const char *yyyy_mm_dd);
/* "YYYY-MM-DD" (a real civil date, nothing after it) into its parts; false otherwise. */
bool bizday_parse_day(const char *yyyy_mm_dd, int *y, int *m, int *d);

#endif
