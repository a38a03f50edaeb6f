/* mask: what the consumption-star board (扶贫消费明星) may show of a member.
 *
 * The board is printed and pinned up in the shop, so it must let a shopper recognise herself
 * without telling strangers who she is or how to reach her.  The conventions are those of
 * Chinese public notices (公示): keep the surname and the last character of the given name,
 * hide the rest; keep the first 3 and last 4 digits of a mobile number.
 *
 *   张明 -> 张*      张三明 -> 张*明      欧阳振华 -> 欧阳*华     欧阳华 -> 欧阳*
 *   13812345678 -> 138****5678          card 88000123 -> ****0123
 *
 * Compound surnames (欧阳, 司马, …) come from a short list of the common ones; a name not on it
 * keeps its first character only.  However long the hidden part, it becomes one '*' for names
 * (the length of a name is itself a clue) and one '*' per digit for phone numbers (the
 * conventional 138****5678 shape that people read as "a masked mobile").
 *
 * Pure: no allocation, no locale.  Invalid UTF-8 is never copied through: such a name masks to
 * "*".  Every function writes a NUL-terminated string and returns false when cap was too
 * small (the output is then "" -- a half-masked name must never be shown). */
#ifndef FUPIN_CORE_MASK_H
#define FUPIN_CORE_MASK_H

#include <stdbool.h>
#include <stddef.h>

/* Enough for any masked name of a name up to 63 bytes, phone or card of up to 31 bytes. */
#define MASK_CAP 64

bool mask_name(const char *name, char *out, size_t cap);
/* Digits are masked; other characters (spaces, '-', '+') are dropped first. */
bool mask_phone(const char *phone, char *out, size_t cap);
/* A member card number: only the last 4 characters shown. */
bool mask_card(const char *card, char *out, size_t cap);

#endif
