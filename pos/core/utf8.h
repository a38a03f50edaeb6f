/* utf8: is text clean UTF-8 -- the one decoder of the check every outside text passes: a text
 * field (rule labels, member names, catalog fields, a points reason) and a whole file before
 * it is parsed (db/csv_table.c, which reports the offending offset as a line).  Pure. */
#ifndef FUPIN_CORE_UTF8_H
#define FUPIN_CORE_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/* Valid UTF-8 (no overlongs, no surrogates, at most U+10FFFF) with no control characters. */
bool utf8_text_valid(const char *s);

/* Is buf[0..len) valid UTF-8 (control characters allowed: a file has newlines)?  If not and
 * bad_off is not NULL, *bad_off is the offset of the first byte of the first bad sequence. */
bool utf8_buffer_valid(const char *buf, size_t len, size_t *bad_off);

#endif
