/* fuzz_script: a `run --script FILE` scenario through ui/script.c's parser (the whole file is
 * parsed before the window opens).  Properties: a refusal reads "NAME:LINE: what"; an accepted
 * script's commands carry terminated arguments and increasing line numbers. */
#include "tests/fuzz/fuzz_target.h"

#include "ui/script.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 65536)
        return 0;
    char *text = fuzz_cstr(data, size);
    script s;
    char err[256];
    if (script_parse("fuzz.txt", text, &s, err, sizeof err)) {
        int last = 0;
        for (size_t i = 0; i < s.n; i++) {
            FUZZ_TERMINATED(s.cmds[i].arg);
            FUZZ_CHECK(s.cmds[i].line > last);
            last = s.cmds[i].line;
        }
        script_free(&s);
    } else {
        FUZZ_TERMINATED(err);
        FUZZ_CHECK(strncmp(err, "fuzz.txt:", 9) == 0);
    }
    free(text);
    return 0;
}
