/* slip: a committed sale as a plain-text slip for the receipt printer -- enough to prove the
 * print path of issue #9 (store, receipt number, time, lines, total, tenders, change).  The
 * receipt document itself (layout, widths, QR, legal fields) is issue #10, which replaces
 * this file.
 *
 * The text is built in UTF-8, then converted to GB18030 with glibc's iconv, because a Chinese
 * ESC/POS printer in FS & mode reads two-byte GB2312/GBK/GB18030 codes.  Money is written with
 * the fullwidth yen sign ￥ U+FFE5 (money_format_yuan): GBK has no ¥ U+00A5, which would come
 * out as a substitution.  A byte below 0x20 in a name (it would be an ESC/POS command) is
 * printed as '?'. */
#ifndef FUPIN_APP_SLIP_H
#define FUPIN_APP_SLIP_H

#include <stddef.h>
#include <stdint.h>

#include "pos/core/sale.h"

typedef enum {
    SLIP_OK = 0,
    SLIP_ERR_NO_MEMORY,
    SLIP_ERR_ENCODING,      /* iconv has no UTF-8 → GB18030 converter (a broken libc) */
    SLIP_ERR_TOO_BIG,
} slip_err;

const char *slip_strerror(slip_err e);

/* The slip's text in UTF-8 (malloc'd, NUL-terminated, *len without the NUL).  tz_offset_min:
 * the store's zone (480 = Asia/Shanghai) for the printed time. */
slip_err slip_text(const sale_doc *doc, const char *store_name, int tz_offset_min, char **out,
                   size_t *len);

/* UTF-8 → GB18030 (malloc'd).  Invalid UTF-8 becomes '?', never a dropped line. */
slip_err slip_gb18030(const char *utf8, size_t len, uint8_t **out, size_t *out_len);

/* The ESC/POS bytes (malloc'd): ESC @, FS & (Chinese mode), the GB18030 text, FS ., feed and
 * a full cut (escpos_slip). */
slip_err slip_escpos(const sale_doc *doc, const char *store_name, int tz_offset_min,
                     uint8_t **out, size_t *len);

#endif
