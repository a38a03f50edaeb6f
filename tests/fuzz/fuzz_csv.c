/* fuzz_csv: the RFC 4180 reader (pos/core/csv) over any bytes an import file can hold.
 * Properties: it ends (every call consumes input or returns 0/-1), fields stay inside the
 * record buffer, the record line never goes backwards, errors are terminated text and sticky
 * (a -1 stays -1: the reader promises no misaligned records after a malformed one). */
#include "tests/fuzz/fuzz_target.h"

#include "pos/core/csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    csv_reader *r = malloc(sizeof *r);
    if (!r)
        abort();
    csv_init(r, (const char *)data, size);
    int last_line = 0;
    for (size_t calls = 0;; calls++) {
        FUZZ_CHECK(calls <= size + 1);
        int rc = csv_next(r);
        if (rc == 0)
            break;
        FUZZ_TERMINATED(r->error);
        FUZZ_CHECK(r->record_line >= last_line);
        last_line = r->record_line;
        if (rc < 0) {
            FUZZ_CHECK(r->error[0] != '\0');
            FUZZ_CHECK(csv_next(r) == -1);
            break;
        }
        FUZZ_CHECK(r->n_fields >= 1 && r->n_fields <= CSV_MAX_FIELDS);
        for (size_t i = 0; i < r->n_fields; i++) {
            FUZZ_CHECK(r->fields[i] >= r->buf && r->fields[i] < r->buf + sizeof r->buf);
            FUZZ_CHECK(memchr(r->fields[i], '\0', (size_t)(r->buf + sizeof r->buf - r->fields[i])));
        }
    }
    free(r);
    return 0;
}
