/* code128: a text as the bars of a CODE128 symbol, for executors that draw the barcode
 * themselves (the PNG preview, ui/receipt_png.c) rather than asking the printer to (the ESC/POS
 * executor sends GS k with the code sets named; the printer draws it).
 *
 * The code sets are chosen the same way as the ESC/POS executor does, so the preview shows the
 * bars the printer prints: runs of four or more digits (an even count of them) in set C, two
 * digits a symbol; everything else in set B; a byte outside printable ASCII becomes '?'.
 * Symbol values, the mod-103 check and the bar/space widths are ISO/IEC 15417's. */
#ifndef FUPIN_CORE_CODE128_H
#define FUPIN_CORE_CODE128_H

#include <stddef.h>
#include <stdint.h>

/* The next piece of text in those code sets: a run of four or more digits (an even count of
 * them) in set C, else one byte in set B.  Returns its bytes (0 at the end) and *set, 'C' or
 * 'B'.  For an executor that names the sets itself (receipt_escpos.c's GS k data). */
size_t code128_piece(const char *s, char *set);

/* The modules of text's symbol, start to stop, without quiet zones: modules[i] = 1 for a bar,
 * 0 for a space.  Returns the count written, or 0 when text is empty or cap is too small. */
size_t code128_modules(const char *text, uint8_t *modules, size_t cap);

#endif
