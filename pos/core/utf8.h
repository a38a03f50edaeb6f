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

/* The code point of the well-formed sequence at p (utf8_sequence_len bytes); p must be one. */
unsigned utf8_decode(const unsigned char *p, size_t len);

/* Columns on a Chinese receipt printer (and a CJK terminal): printable ASCII is one column;
 * combining marks and zero-width characters none; every other character two -- in the
 * printer's Chinese mode anything that is not ASCII is a two-byte GB code printed with the
 * full-width font, × and · included (East Asian "ambiguous" counts as wide).  A control
 * character or a bad byte counts 1 (the executors print it as '?'). */
int utf8_char_cols(unsigned cp);
/* The columns of the first n bytes of s (n = strlen for the whole string). */
int utf8_cols(const char *s, size_t n);
/* How many bytes of s (NUL-terminated) fit in cols columns, never cutting a character. */
size_t utf8_fit(const char *s, int cols);

#endif
