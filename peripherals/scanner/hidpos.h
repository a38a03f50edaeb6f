/* hidpos: barcodes out of the input reports of a HID POS barcode scanner (usage page 0x8C).
 *
 * A scanner in HID POS mode sends each code as one or more 64-byte input reports (report ID
 * 0x02): a data length, the AIM symbology identifier "]cm", up to 56 data bytes, a vendor
 * symbology byte and a "more reports follow" bit (devices.md §2.1: Access-IS ATR110 manual
 * p.33, Honeywell Voyager dumps of HenkVanAsselt/python_hon_usbhid).  Unlike the keyboard path
 * the symbology comes with the code, so the till knows a QR payment code from an EAN-13.
 *
 * This codec checks a report (`hidpos_valid`), joins the reports of one code (every report
 * repeats the AIM id; a change of id mid-code is garbage), strips the trailing CR some
 * scanners are configured to append, and refuses codes that are not text the till can use
 * (control bytes other than GS, the GS1 separator) or that exceed HIDPOS_MAX_CODE.  After a
 * refused report the code under way is dropped and the decoder waits for the next report
 * that starts a code (resynchronisation).
 *
 * Pure codec: report bytes in, codes out.  No libusb, no hidraw, no I/O. */
#ifndef FUPIN_PERIPHERALS_SCANNER_HIDPOS_H
#define FUPIN_PERIPHERALS_SCANNER_HIDPOS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HIDPOS_REPORT_ID 0x02
#define HIDPOS_REPORT_LEN 64        /* including the report ID */
#define HIDPOS_MAX_DATA 56          /* data bytes per report (bytes 5..60) */
#define HIDPOS_MAX_CODE 512         /* longest joined code; a QR payment code is < 128 */
#define HIDPOS_GS 0x1D              /* GS1 field separator (FNC1), allowed inside a code */

typedef enum {
    HIDPOS_OK = 0,
    HIDPOS_ERR_LENGTH,              /* not a 64-byte report */
    HIDPOS_ERR_REPORT_ID,           /* byte 0 is not 0x02 */
    HIDPOS_ERR_DATA_LENGTH,         /* byte 1 above 56 */
    HIDPOS_ERR_AIM,                 /* bytes 2..4 are not "]" letter modifier */
    HIDPOS_ERR_AIM_CHANGED,         /* a continuation report with another symbology */
    HIDPOS_ERR_BINARY,              /* a control byte (other than GS and a final CR/LF) in the data */
    HIDPOS_ERR_TOO_LONG,            /* joined code beyond HIDPOS_MAX_CODE */
    HIDPOS_ERR_EMPTY,               /* a code without data */
} hidpos_err;

const char *hidpos_strerror(hidpos_err e);

typedef enum {
    HIDPOS_SYM_UNKNOWN = 0,
    HIDPOS_SYM_EAN13,               /* ]E0 (also UPC-A, UPC-E expanded) */
    HIDPOS_SYM_EAN13_ADDON,         /* ]E3 EAN/UPC with add-on */
    HIDPOS_SYM_ADDON,               /* ]E1 / ]E2 the 2/5-digit add-on alone */
    HIDPOS_SYM_EAN8,                /* ]E4 */
    HIDPOS_SYM_CODE128,             /* ]C0 */
    HIDPOS_SYM_GS1_128,             /* ]C1 */
    HIDPOS_SYM_CODE39,              /* ]A */
    HIDPOS_SYM_CODE93,              /* ]G */
    HIDPOS_SYM_ITF,                 /* ]I */
    HIDPOS_SYM_CODABAR,             /* ]F */
    HIDPOS_SYM_GS1_DATABAR,         /* ]e */
    HIDPOS_SYM_QR,                  /* ]Q */
    HIDPOS_SYM_DATAMATRIX,          /* ]d (]d2 GS1 DataMatrix) */
    HIDPOS_SYM_PDF417,              /* ]L */
    HIDPOS_SYM_AZTEC,               /* ]z */
    HIDPOS_SYM_OTHER,               /* ]X: "other" (Honeywell sends ]X0 for some codes) */
} hidpos_symbology;

/* The symbology of an AIM identifier "]cm" (three bytes) and its name ("EAN-13", "QR Code"). */
hidpos_symbology hidpos_symbology_of(const char aim[3]);
const char *hidpos_symbology_name(hidpos_symbology s);

/* One report, as read from the interrupt IN endpoint (report ID included). */
typedef struct {
    uint8_t len;                    /* data bytes in this report */
    char aim[4];                    /* "]E0", NUL-terminated */
    const uint8_t *data;            /* into the report */
    uint8_t vendor_sym;             /* byte 61: Honeywell Code ID ('d' EAN-13, 's' QR …) */
    bool more;                      /* byte 63 bit 0: the code continues in the next report */
} hidpos_report;

/* Check one report: HIDPOS_OK, LENGTH, REPORT_ID, DATA_LENGTH or AIM; fills *r when OK
 * (r may be NULL). */
hidpos_err hidpos_valid(const uint8_t *report, size_t len, hidpos_report *r);

typedef struct {
    char code[HIDPOS_MAX_CODE + 1]; /* NUL-terminated; bytes 0x20..0x7E and GS */
    size_t len;
    char aim[4];
    hidpos_symbology sym;
    uint8_t vendor_sym;
} hidpos_code;

typedef struct {
    hidpos_code cur;
    bool in_code;                   /* a continued code is under way */
    bool skipping;                  /* a refused code: wait for its last report */
    hidpos_err skip_err;
} hidpos;

void hidpos_init(hidpos *d);
void hidpos_reset(hidpos *d);

/* Feed one report.  HIDPOS_OK with *done true: out holds a complete code.  HIDPOS_OK with
 * *done false: a continued code is under way, or the rest of a refused code was skipped.  Any
 * other value: the report (or the code it ends) is refused; the code under way is dropped. */
hidpos_err hidpos_parse(hidpos *d, const uint8_t *report, size_t len, hidpos_code *out,
                        bool *done);

#endif
