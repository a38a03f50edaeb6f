/* receipt_escpos: the ESC/POS executor of the receipt document (pos/core/receipt.h) -- the
 * bytes a Chinese thermal receipt printer prints it from.
 *
 *   ESC @                        initialise (a job cut off half-way leaves no state behind)
 *   FS &                         Chinese mode: two-byte GB codes print as one full-width glyph
 *   per line: ESC a n (align), GS ! n (double height/width), ESC E n (bold), the text, LF
 *   barcode: GS H 2 (digits under it), GS h 64, GS w n, GS k 73 n data (CODE128, code sets
 *            chosen here: {B for text, {C for runs of digit pairs)
 *   QR: GS ( k model 2, module size, error correction M, store, print -- or, for a printer
 *       without GS ( k, the symbol drawn by libqrencode as a raster image GS v 0
 *   FEED: LF × n; CUT: FS . then GS V 0; DRAWER: ESC p 0 50 50
 *
 * Text goes through glibc's iconv to GB18030, one character at a time, and only the
 * characters with a ONE- or TWO-byte code are sent: the printers' fonts hold the GBK set, a
 * four-byte GB18030 code (an emoji, ¥ U+00A5, a CJK extension character) would print as two
 * wrong glyphs.  Such a character, a control byte (it would be a command) and invalid UTF-8
 * print as a visible '?' (and a space after it when the character was two columns wide, so
 * the columns the document decided stay put); the count is returned, never dropped silently.
 *
 * QR error correction M (15% of the symbol recoverable): thermal paper fades and creases
 * in a wallet, L leaves too little margin, and Q/H make a receipt URL of 60-100 bytes a
 * version or two larger -- smaller modules at the same printed size.  The module is chosen so
 * the symbol with its quiet zone takes at most about half the paper's width and at least
 * 4 dots (0.5 mm at 203 dpi) per module where that fits. */
#ifndef FUPIN_PERIPHERALS_PRINTER_RECEIPT_ESCPOS_H
#define FUPIN_PERIPHERALS_PRINTER_RECEIPT_ESCPOS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pos/core/receipt.h"

typedef enum {
    RESCPOS_OK = 0,
    RESCPOS_ERR_NO_MEMORY,
    RESCPOS_ERR_ENCODING,     /* iconv has no UTF-8 → GB18030 converter */
    RESCPOS_ERR_QR,           /* libqrencode could not encode the payload (too long) */
    RESCPOS_ERR_TOO_BIG,      /* a barcode or QR payload over what the command can carry */
} rescpos_err;

const char *rescpos_strerror(rescpos_err e);

typedef struct {
    int dots;                 /* printable dots across; 0 = 384 for 58 mm, 576 for 80 mm */
    bool qr_raster;           /* draw QR codes as images (a printer without GS ( k) */
} rescpos_cfg;

/* The bytes of the whole receipt (malloc'd).  replaced (may be NULL): characters printed as
 * '?'. */
rescpos_err receipt_escpos(const receipt *r, const rescpos_cfg *cfg, uint8_t **out, size_t *len,
                           size_t *replaced);

/* UTF-8 text as the printer's GB bytes under the rule above, appended to a malloc'd buffer
 * (*out may be NULL at first; *len and *cap track it).  For the executor and its tests. */
rescpos_err rescpos_gb(const char *utf8, size_t n, uint8_t **out, size_t *len, size_t *cap,
                       size_t *replaced);

#endif
