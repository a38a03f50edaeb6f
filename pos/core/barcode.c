/* barcode: GS1 check digits, GTIN-13 normalisation and the classifier pipeline. */
#include "pos/core/barcode.h"

#include <stdio.h>
#include <string.h>

const char *barcode_strerror(barcode_err err)
{
    switch (err) {
    case BARCODE_OK: return "ok";
    case BARCODE_ERR_EMPTY: return "empty code";
    case BARCODE_ERR_CHARS: return "code contains a character that is not a digit";
    case BARCODE_ERR_LENGTH: return "not an EAN-13, EAN-8 or UPC-A length (13, 8 or 12 digits)";
    case BARCODE_ERR_CHECK_DIGIT: return "check digit does not match";
    case BARCODE_ERR_TOO_LONG: return "code too long";
    }
    return "unknown barcode error";
}

const char *barcode_symbology_name(barcode_symbology sym)
{
    switch (sym) {
    case SYMBOLOGY_NONE: return "none";
    case SYMBOLOGY_EAN13: return "EAN-13";
    case SYMBOLOGY_EAN8: return "EAN-8";
    case SYMBOLOGY_UPCA: return "UPC-A";
    }
    return "unknown";
}

const char *code_kind_name(code_kind kind)
{
    /* snake_case because these names go into --json output as values. */
    switch (kind) {
    case CODE_REJECTED: return "rejected";
    case CODE_PRODUCT: return "product";
    case CODE_SCALE_LABEL: return "scale_label";
    case CODE_PAYMENT: return "payment";
    }
    return "unknown";
}

int barcode_check_digit(const char *digits, size_t len)
{
    if (!digits && len > 0)
        return -1;
    /* Weights 3,1,3,… counted from the rightmost payload digit, so the same routine serves
     * every GTIN length and left zero-padding never changes the result. */
    int sum = 0;
    for (size_t k = 0; k < len; k++) {
        char c = digits[len - 1 - k];
        if (c < '0' || c > '9')
            return -1;
        sum += (c - '0') * (k % 2 == 0 ? 3 : 1);
    }
    return (10 - sum % 10) % 10;
}

barcode_err barcode_to_gtin13(const char *code, char gtin13[14], barcode_symbology *sym)
{
    if (gtin13)
        gtin13[0] = '\0';
    if (sym)
        *sym = SYMBOLOGY_NONE;
    if (!code || !*code)
        return BARCODE_ERR_EMPTY;
    /* Bounded scan: a garbage burst from a device need not be measured to be refused. */
    size_t len = 0;
    while (len <= BARCODE_MAX_LEN && code[len])
        len++;
    if (len > BARCODE_MAX_LEN)
        return BARCODE_ERR_TOO_LONG;
    for (size_t i = 0; i < len; i++)
        if (code[i] < '0' || code[i] > '9')
            return BARCODE_ERR_CHARS;
    barcode_symbology s;
    switch (len) {
    case 13: s = SYMBOLOGY_EAN13; break;
    case 8: s = SYMBOLOGY_EAN8; break;
    case 12: s = SYMBOLOGY_UPCA; break;
    default: return BARCODE_ERR_LENGTH;
    }
    if (barcode_check_digit(code, len - 1) != code[len - 1] - '0')
        return BARCODE_ERR_CHECK_DIGIT;
    if (gtin13) {
        size_t pad = 13 - len;
        memset(gtin13, '0', pad);
        memcpy(gtin13 + pad, code, len);
        gtin13[13] = '\0';
    }
    if (sym)
        *sym = s;
    return BARCODE_OK;
}

static bool is_trim(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static code_kind reject(code_info *out, barcode_err err, const char *reason)
{
    out->kind = CODE_REJECTED;
    out->err = err;
    snprintf(out->reason, sizeof out->reason, "%s", reason);
    return CODE_REJECTED;
}

/* The scanned bytes as printable ASCII for a refusal's message: others as \xHH, cut with "..."
 * when they do not fit, so a refused code is shown rather than left out. */
static void code_excerpt(const char *b, size_t len, char *out, size_t cap)
{
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)b[i];
        size_t need = c < 0x20 || c > 0x7E ? 4 : 1;
        /* Room for this byte, the "..." that more bytes would need, and the NUL. */
        if (o + need + (i + 1 < len ? 3 : 0) + 1 > cap) {
            if (o + 3 + 1 <= cap) {
                memcpy(out + o, "...", 3);
                o += 3;
            }
            break;
        }
        if (need == 4)
            snprintf(out + o, cap - o, "\\x%02X", c);
        else
            out[o] = (char)c;
        o += need;
    }
    out[o] = '\0';
}

/* Resets everything but the code, so a hook that declined after scribbling on `out` cannot
 * leak half-filled fields into the next hook's or the fallback's result. */
static void reset_info(code_info *out, const char *code, size_t len)
{
    memset(out, 0, sizeof *out);
    memcpy(out->code, code, len);
    out->code[len] = '\0';
}

code_kind barcode_classify(const char *raw, const code_classifier *hooks, size_t n_hooks,
                           code_info *out)
{
    memset(out, 0, sizeof *out);
    if (!raw)
        return reject(out, BARCODE_ERR_EMPTY, "empty scan");
    const char *b = raw, *e = raw + strlen(raw);
    while (b < e && is_trim(*b))
        b++;
    while (e > b && is_trim(e[-1]))
        e--;
    size_t len = (size_t)(e - b);
    if (len == 0)
        return reject(out, BARCODE_ERR_EMPTY, "empty scan");
    if (len > BARCODE_MAX_LEN) {
        char why[96];
        snprintf(why, sizeof why, "scan of %zu characters is longer than %d: device garbage?",
                 len, BARCODE_MAX_LEN);
        reject(out, BARCODE_ERR_TOO_LONG, why);
        code_excerpt(b, len, out->code, sizeof out->code);
        return CODE_REJECTED;
    }
    /* Printable ASCII only: scanners send ASCII, and the code is echoed into logs and JSON, so
     * control bytes or stray high bytes are refused before any hook sees them. */
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)b[i];
        if (c < 0x20 || c > 0x7E) {
            char why[96];
            const unsigned char *u = (const unsigned char *)b + i;
            if (c == 0xEF && i + 2 < len &&
                ((u[1] == 0xBC && u[2] >= 0x81 && u[2] <= 0xBF) ||
                 (u[1] == 0xBD && u[2] >= 0x80 && u[2] <= 0x9E)))
                /* U+FF10..U+FF5E: an input method left in full-width mode (１ for 1) */
                snprintf(why, sizeof why,
                         "full-width character U+%04X at position %zu: switch the input to "
                         "half-width",
                         0xF000u | ((u[1] & 0x3Fu) << 6) | (u[2] & 0x3Fu), i + 1);
            else
                snprintf(why, sizeof why, "non-printable byte 0x%02X at position %zu", c, i + 1);
            reject(out, BARCODE_ERR_CHARS, why);
            code_excerpt(b, len, out->code, sizeof out->code);
            return CODE_REJECTED;
        }
    }
    char code[BARCODE_MAX_LEN + 1];
    memcpy(code, b, len);
    code[len] = '\0';

    for (size_t h = 0; hooks && h < n_hooks; h++) {
        if (!hooks[h].fn)
            continue;
        reset_info(out, code, len);
        if (hooks[h].fn(hooks[h].ctx, code, len, out)) {
            /* The hook may have touched code; keep what was scanned. */
            memcpy(out->code, code, len + 1);
            if (out->kind == CODE_REJECTED && out->reason[0] == '\0')
                snprintf(out->reason, sizeof out->reason, "refused by %s",
                         hooks[h].name ? hooks[h].name : "classifier");
            return out->kind;
        }
    }

    reset_info(out, code, len);
    barcode_symbology sym;
    barcode_err err = barcode_to_gtin13(code, out->gtin13, &sym);
    if (err == BARCODE_OK) {
        out->kind = CODE_PRODUCT;
        out->symbology = sym;
        return CODE_PRODUCT;
    }
    char why[96];
    switch (err) {
    case BARCODE_ERR_CHARS:
        snprintf(why, sizeof why, "not a retail barcode: contains non-digit characters");
        break;
    case BARCODE_ERR_LENGTH:
        snprintf(why, sizeof why,
                 "not a retail barcode: %zu digits (EAN-13 has 13, EAN-8 8, UPC-A 12)", len);
        break;
    case BARCODE_ERR_CHECK_DIGIT:
        snprintf(why, sizeof why, "bad check digit: expected %d, scanned %c",
                 barcode_check_digit(code, len - 1), code[len - 1]);
        break;
    default:
        snprintf(why, sizeof why, "%s", barcode_strerror(err));
        break;
    }
    return reject(out, err, why);
}
