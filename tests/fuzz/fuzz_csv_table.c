/* fuzz_csv_table: a back-office CSV file (catalog, suppliers, receipts) through db/csv_table:
 * encoding detection (BOM, UTF-8, else GB18030 through iconv), header mapping, trimmed fields,
 * collected errors.  ct_open takes a path, so each input is written to one temporary file.
 * The first byte picks the encoding the caller asked for (auto, utf-8, gb18030).
 * Properties: fields are valid terminated strings, line numbers never go backwards, the
 * collected error list formats without running past its text. */
#include "tests/fuzz/fuzz_target.h"

#include <unistd.h>

#include "db/csv_table.h"
#include "pos/core/utf8.h"

static char path[64];

static bool write_input(const uint8_t *data, size_t size)
{
    if (!path[0]) {
        const char *dir = getenv("TMPDIR");
        snprintf(path, sizeof path, "%s/fuzz_csv_table_XXXXXX", dir && strlen(dir) < 32 ? dir : "/tmp");
        int fd = mkstemp(path);
        if (fd < 0)
            return false;
        close(fd);
    }
    FILE *f = fopen(path, "wb");
    if (!f)
        return false;
    bool ok = fwrite(data, 1, size, f) == size;
    return fclose(f) == 0 && ok;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 65536)
        return 0;
    static const ct_encoding encs[3] = {CT_ENC_AUTO, CT_ENC_UTF8, CT_ENC_GB18030};
    ct_encoding enc = encs[data[0] % 3];
    if (!write_input(data + 1, size - 1))
        abort();
    static const ct_column cols[] = {
        {"sku", true}, {"name", true}, {"price_fen", false}, {"barcodes", false}};
    const size_t n_cols = sizeof cols / sizeof cols[0];
    errlist el = {0};
    ct_table t;
    if (ct_open(&t, path, enc, cols, n_cols, &el)) {
        int last = 0, rc;
        while ((rc = ct_next(&t, &el)) != 0) {
            FUZZ_CHECK(ct_line(&t) >= last);
            last = ct_line(&t);
            if (rc < 0)
                continue;
            for (size_t i = 0; i < n_cols; i++) {
                const char *v = ct_field(&t, (int)i);
                FUZZ_CHECK(v != NULL);
                FUZZ_CHECK(ct_has(&t, (int)i) || v[0] == '\0');
                int64_t n;
                (void)utf8_text_valid(v);
                (void)ct_parse_uint(v, INT64_MAX, &n);
            }
        }
    }
    ct_close(&t);
    strbuf sb;
    strbuf_init(&sb);
    errlist_format(&el, &sb);
    char msg[256];
    errlist_copy(&el, msg, sizeof msg);
    FUZZ_TERMINATED(msg);
    strbuf_free(&sb);
    errlist_free(&el);
    return 0;
}
