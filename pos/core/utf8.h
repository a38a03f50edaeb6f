/* utf8: is a string clean UTF-8 text -- the check every outside text field passes (rule
 * labels, member names).  Pure.  (db/csv_table.c keeps its own buffer check with the offending
 * offset, for file-level messages.) */
#ifndef FUPIN_CORE_UTF8_H
#define FUPIN_CORE_UTF8_H

#include <stdbool.h>

/* Valid UTF-8 (no overlongs, no surrogates, at most U+10FFFF) with no control characters. */
bool utf8_text_valid(const char *s);

#endif
