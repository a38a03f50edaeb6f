/* utf8: is text clean UTF-8 -- the one decoder of the check every outside text passes: a text
 * field (rule labels, member names, catalog fields, a points reason) and a whole file before
 * it is parsed (db/csv_table.c, which reports the offending offset as a line).  Pure. */
#ifndef FUPIN_CORE_UTF8_H
#define FUPIN_CORE_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/* The length (1 to 4) of the well-formed UTF-8 sequence at p, which has avail >= 1 bytes left;
 * 0 when there is none (a stray continuation byte, a cut-short sequence, an overlong form, a
 * surrogate, a code point past U+10FFFF -- RFC 3629).  For a caller that walks text itself
 * (pos/core/json.c's writer replaces a bad sequence with U+FFFD). */
size_t utf8_sequence_len(const unsigned char *p, size_t avail);

/* Valid UTF-8 (no overlongs, no surrogates, at most U+10FFFF) with no control characters. */
bool utf8_text_valid(const char *s);

/* Is buf[0..len) valid UTF-8 (control characters allowed: a file has newlines)?  If not and
 * bad_off is not NULL, *bad_off is the offset of the first byte of the first bad sequence. */
bool utf8_buffer_valid(const char *buf, size_t len, size_t *bad_off);

#endif
