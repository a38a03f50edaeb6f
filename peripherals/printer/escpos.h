/* escpos: the ESC/POS bytes the till sends a receipt printer, and the printer's real-time
 * status replies read back.
 *
 * The till needs few commands today: initialize, Chinese (GB2312/GB18030 two-byte) mode or a
 * code table, line feeds, the cut, the cash-drawer kick and the DLE EOT real-time status
 * requests (devices.md §4.1, python-escpos constants.py).  Each is built into a caller's
 * buffer so the exact bytes can be tested and replayed by umockdev, which fails any bulk OUT
 * transfer whose bytes differ from the record (§5.3).
 *
 * The one-byte DLE EOT reply has fixed bits (bit 1 and bit 4 set, bit 0 and bit 7 clear:
 * "0xx1xx10", §4.2).  A byte whose fixed bits are wrong is garbage -- a stale byte of another
 * reply, noise on the line -- and is never read as a status: a printer must not be declared
 * "out of paper" or "online" on a byte it did not send as a status.
 *
 * escpos_slip turns plain text bytes (ASCII or GB18030, already encoded: no iconv here) into a
 * slip that proves the print path; the receipt document itself is the receipts issue.
 *
 * Pure codec: bytes in, bytes out.  No libusb, no I/O. */
#ifndef FUPIN_PERIPHERALS_PRINTER_ESCPOS_H
#define FUPIN_PERIPHERALS_PRINTER_ESCPOS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ESCPOS_ESC 0x1B
#define ESCPOS_FS 0x1C
#define ESCPOS_GS 0x1D
#define ESCPOS_DLE 0x10
#define ESCPOS_EOT 0x04
#define ESCPOS_LF 0x0A

typedef enum {
    ESCPOS_OK = 0,
    ESCPOS_ERR_NO_SPACE,            /* the output buffer is full; nothing partial is kept */
    ESCPOS_ERR_RANGE,               /* a parameter outside what the command takes */
    ESCPOS_ERR_CONTROL,             /* slip text holds a control byte (an ESC would be a command) */
    ESCPOS_ERR_FIXED_BITS,          /* a status byte whose fixed bits are wrong: garbage */
} escpos_err;

const char *escpos_strerror(escpos_err e);

/* An output buffer: commands append; on ESCPOS_ERR_NO_SPACE len is unchanged. */
typedef struct {
    uint8_t *data;
    size_t cap;
    size_t len;
} escpos_buf;

void escpos_buf_init(escpos_buf *b, uint8_t *mem, size_t cap);

escpos_err escpos_initialize(escpos_buf *b);                  /* 1B 40 */
escpos_err escpos_codepage(escpos_buf *b, uint8_t n);         /* 1B 74 n */
escpos_err escpos_chinese(escpos_buf *b, bool on);            /* 1C 26 (FS &) / 1C 2E (FS .) */
escpos_err escpos_feed(escpos_buf *b, uint8_t lines);         /* `lines` × 0A */
/* Cut now: 1D 56 00 (full) / 1D 56 01 (partial). */
escpos_err escpos_cut(escpos_buf *b, bool partial);
/* Feed n then cut: 1D 56 41 n (full) / 1D 56 42 n (partial). */
escpos_err escpos_feed_cut(escpos_buf *b, bool partial, uint8_t n);

/* The drawer kick: ESC p m t1 t2, m 00 = connector pin 2, 01 = pin 5; the pulse is on t1×2 ms
 * and off t2×2 ms.  Configuration, because drawers differ in pin and solenoid. */
typedef struct {
    uint8_t pin;                    /* 2 or 5 */
    uint16_t on_ms;                 /* 2..510, rounded up to an even number */
    uint16_t off_ms;                /* 2..510, rounded up to an even number */
} escpos_drawer;
/* pin 2, 100 ms on, 100 ms off: 1B 70 00 32 32, python-escpos CD_KICK_2. */
#define ESCPOS_DRAWER_DEFAULT ((escpos_drawer){.pin = 2, .on_ms = 100, .off_ms = 100})
escpos_err escpos_drawer_kick(escpos_buf *b, const escpos_drawer *cfg);

/* DLE EOT n: 10 04 n, n 1..4 (the reply is one byte, see escpos_status_parse). */
typedef enum {
    ESCPOS_RT_PRINTER = 1,          /* drawer pin 3, online/offline */
    ESCPOS_RT_OFFLINE = 2,          /* offline cause: cover, feed button, paper-end stop, error */
    ESCPOS_RT_ERROR = 3,            /* error cause: cutter, unrecoverable, auto-recoverable */
    ESCPOS_RT_PAPER = 4,            /* paper roll sensor: near end, out */
} escpos_rt;
escpos_err escpos_status_request(escpos_buf *b, escpos_rt n);

/* The reply to DLE EOT n, decoded.  Only the flags of request n are meaningful; the others
 * stay false. */
typedef struct {
    escpos_rt n;
    uint8_t raw;
    /* n = 1 */
    bool drawer_pin3_high;          /* polarity depends on the drawer's switch */
    bool offline;
    /* n = 2 */
    bool cover_open;
    bool feed_button;               /* paper being fed by the FEED button */
    bool paper_end_stop;            /* printing stopped by paper end */
    bool error;
    /* n = 3 */
    bool recoverable_error;
    bool autocutter_error;
    bool unrecoverable_error;
    bool auto_recoverable_error;
    /* n = 4 */
    bool paper_near_end;
    bool paper_out;
} printer_status;

/* Are the fixed bits of a DLE EOT reply right (bit 1, bit 4 set; bit 0, bit 7 clear)? */
bool escpos_status_valid(uint8_t b);
/* Decode the reply b to request n.  ESCPOS_ERR_RANGE for n outside 1..4,
 * ESCPOS_ERR_FIXED_BITS for garbage; *st is written only on ESCPOS_OK. */
escpos_err escpos_status_parse(escpos_rt n, uint8_t b, printer_status *st);
/* One line of English ("printer 0x12: online, drawer pin 3 low"), truncated to cap; returns
 * the length it needed (as snprintf). */
size_t escpos_status_describe(const printer_status *st, char *buf, size_t cap);

/* A plain-text slip: initialize, [ESC t codepage when codepage >= 0], [FS & when chinese],
 * the text with "\r\n" and "\n" as line ends (a final line without one gets LF), [FS .],
 * feed_lines × LF, then the cut.  Text bytes below 0x20 other than CR, LF and TAB, and 0x7F,
 * are refused (ESCPOS_ERR_CONTROL): a name in a slip must never become a printer command.
 * Bytes 0x80..0xFF pass through (GB18030 lead and trail bytes are all >= 0x40). */
typedef struct {
    bool chinese;                   /* FS & before the text, FS . after it */
    int codepage;                   /* ESC t n when 0..255; -1 leaves the printer's default */
    uint8_t feed_lines;             /* before the cut */
    bool partial_cut;
    bool cut;                       /* false: no cut command (printers without a cutter) */
} escpos_slip_cfg;
escpos_err escpos_slip(escpos_buf *b, const escpos_slip_cfg *cfg, const uint8_t *text,
                       size_t len);

#endif
