/* barcode: what a scanned code is.
 *
 * Retail symbologies (EAN-13, EAN-8, UPC-A) are validated by their check digit and normalised to
 * a 13-digit GTIN (leading zeros), which is the key the catalog stores.  Codes that are not
 * retail GTINs -- in-store scale labels (prefix 2, #4), customer payment codes (#4/#5) -- are
 * recognised by classifier hooks that the caller passes in, in order, before the GTIN check.
 * Whether a payment code or a scale label wins is the caller's decision by screen mode, made by
 * choosing which hooks to pass: never by prefix alone here. */
#ifndef FUPIN_CORE_BARCODE_H
#define FUPIN_CORE_BARCODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pos/core/money.h"

#define BARCODE_MAX_LEN 64

typedef enum {
    BARCODE_OK = 0,
    BARCODE_ERR_EMPTY,       /* nothing scanned */
    BARCODE_ERR_CHARS,       /* a character that is not a digit */
    BARCODE_ERR_LENGTH,      /* not 8, 12 or 13 digits */
    BARCODE_ERR_CHECK_DIGIT, /* the check digit does not match */
    BARCODE_ERR_TOO_LONG,    /* longer than BARCODE_MAX_LEN: garbage from a device */
} barcode_err;

const char *barcode_strerror(barcode_err err);

typedef enum {
    SYMBOLOGY_NONE = 0,
    SYMBOLOGY_EAN13,
    SYMBOLOGY_EAN8,
    SYMBOLOGY_UPCA,
} barcode_symbology;

const char *barcode_symbology_name(barcode_symbology sym);

/* GS1 mod-10 check digit of the digits in `digits` (len digits, no check digit).  -1 when a
 * character is not a digit. */
int barcode_check_digit(const char *digits, size_t len);

/* Validate an EAN-13 / EAN-8 / UPC-A code (by length) and write its GTIN-13 form to gtin13
 * (14 bytes incl. NUL): EAN-8 and UPC-A are left-padded with zeros.  sym may be NULL. */
barcode_err barcode_to_gtin13(const char *code, char gtin13[14], barcode_symbology *sym);

typedef enum {
    CODE_REJECTED = 0,   /* not usable here; see err / reason */
    CODE_PRODUCT,        /* a retail GTIN: look it up in the catalog */
    CODE_SCALE_LABEL,    /* in-store scale label: plu + grams and/or price_fen (#4) */
    CODE_PAYMENT,        /* a customer payment code (#4/#5) */
} code_kind;

const char *code_kind_name(code_kind kind);

typedef struct {
    code_kind kind;
    barcode_err err;            /* why it was rejected, when it is a barcode error */
    char reason[96];            /* human reason for a rejection (English, for logs / JSON) */
    char code[BARCODE_MAX_LEN + 1]; /* the code as scanned, trimmed; for a refused scan a
                                     * printable excerpt (\xHH for other bytes, "..." if cut) */
    /* CODE_PRODUCT */
    barcode_symbology symbology;
    char gtin13[14];
    /* CODE_SCALE_LABEL (filled by the scale-label hook) */
    char plu[16];
    int64_t grams;              /* 0 when the label carries no weight */
    fen_t price_fen;            /* 0 when the label carries no price */
    /* CODE_PAYMENT (filled by the payment hook) */
    char payment_provider[16];  /* "wechat", "alipay", "unionpay" */
} code_info;

/* A classifier hook: return true when it claims the (trimmed, all-digit or not) code and has
 * filled `out` (kind, and CODE_REJECTED with a reason when it claims but refuses it). */
typedef bool (*code_classifier_fn)(void *ctx, const char *code, size_t len, code_info *out);

typedef struct {
    const char *name;
    code_classifier_fn fn;
    void *ctx;
} code_classifier;

/* Classify a scanned code: trim blanks and CR/LF, refuse empty / over-long / non-printable
 * input, run the hooks in order, and fall back to the retail GTIN check.  Always fills `out`;
 * returns out->kind. */
code_kind barcode_classify(const char *raw, const code_classifier *hooks, size_t n_hooks,
                           code_info *out);

#endif
