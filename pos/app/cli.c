/* cli: global option parsing, the default database location, and the check of a command's
 * output (cli_note_stored / cli_check_output: one place says "stored, but its output was
 * lost", for every command). */
#include "pos/app/cli.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "db/csv_table.h"
#include "db/store.h"
#include "pos/app/i18n.h"
#include "pos/core/bizday.h"

void cli_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("fupin-pos: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

/* What the running command stored ("" = nothing yet), and whether its lost output was said. */
static char stored_what[256];
static bool output_reported;

void cli_note_stored(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(stored_what, sizeof stored_what, fmt, ap);
    va_end(ap);
}

int cli_check_output(void)
{
    errno = 0;
    int flushed = fflush(stdout);
    int e = errno;
    if (flushed == 0 && !ferror(stdout))
        return EXIT_DONE;
    if (output_reported)
        return EXIT_OUTPUT;
    output_reported = true;
    /* The flush's own reason; a write that failed earlier (the flush found nothing left to
     * write) left no reliable errno behind. */
    const char *why = flushed != 0 && e ? strerror(e) : T("写入失败", "write error");
    if (stored_what[0])
        cli_error(T("%s，但结果无法输出：%s", "%s, but its output could not be written: %s"),
                  stored_what, why);
    else
        cli_error(T("结果无法输出：%s", "the output could not be written: %s"), why);
    return EXIT_OUTPUT;
}

int cli_mkdir_p(const char *dir)
{
    char tmp[PATH_MAX];
    if (snprintf(tmp, sizeof tmp, "%s", dir) >= (int)sizeof tmp)
        return -1;
    for (char *p = tmp + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(tmp, 0700) != 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    return mkdir(tmp, 0700) == 0 || errno == EEXIST ? 0 : -1;
}

const char *cli_default_db_path(void)
{
    static char path[PATH_MAX];
    const char *env = getenv("FUPIN_POS_DB");
    if (env && *env)
        return env;
    char dir[PATH_MAX];
    const char *xdg = getenv("XDG_DATA_HOME");
    const char *home = getenv("HOME");
    if (xdg && *xdg)
        snprintf(dir, sizeof dir, "%s/fupin-pos", xdg);
    else
        snprintf(dir, sizeof dir, "%s/.local/share/fupin-pos", home && *home ? home : ".");
    if (cli_mkdir_p(dir) != 0)
        cli_error("cannot create %s: %s", dir, strerror(errno));
    if (snprintf(path, sizeof path, "%.*s/till.db", PATH_MAX - 16, dir) >= (int)sizeof path)
        cli_error("database path too long under %s", dir);
    return path;
}

store *cli_open_store(const cli_ctx *ctx, bool read_only)
{
    char msg[512] = "";
    store *s = NULL;
    /* Never create or migrate here: only `init` may (a foreign file stays untouched). */
    store_open_opts o = {.create = false, .read_only = read_only};
    store_err e = store_open(ctx->db_path, &o, &s, msg, sizeof msg);
    if (e) {
        cli_error("cannot open %s: %s (%s)", ctx->db_path, store_strerror(e), msg);
        return NULL;
    }
    return s;
}

int cli_file_args(const cli_ctx *ctx, const char *usage, const char **path, ct_encoding *enc,
                  bool *dry_run)
{
    *path = NULL;
    for (int i = 1; i < ctx->argc; i++) {
        const char *a = ctx->argv[i];
        if (dry_run && strcmp(a, "--dry-run") == 0) {
            *dry_run = true;
        } else if (strcmp(a, "--encoding") == 0 && i + 1 < ctx->argc) {
            if (!ct_encoding_parse(ctx->argv[++i], enc)) {
                cli_error("--encoding must be utf-8 or gb18030, not '%s'", ctx->argv[i]);
                return EXIT_USAGE;
            }
        } else if (!*path && a[0] != '-') {
            *path = a;
        } else {
            *path = NULL;   /* anything else: the usage, whatever came before */
            break;
        }
    }
    if (*path)
        return EXIT_DONE;
    cli_error("usage: %s", usage);
    return EXIT_USAGE;
}

char *cli_read_file(const char *path, size_t max, size_t *len, char *why, size_t why_cap)
{
    /* The same refusal of FIFOs and devices as the CSV imports (db/csv_table.h); "-" is
     * stdin, which the caller chose to pipe. */
    FILE *f = strcmp(path, "-") == 0 ? stdin : ct_open_regular(path, why, why_cap);
    if (!f)
        return NULL;
    char *buf = malloc(max + 1);
    size_t n = buf ? fread(buf, 1, max + 1, f) : 0;
    bool err = ferror(f) != 0;
    if (f != stdin)
        fclose(f);
    if (!buf || err || n > max) {
        if (!buf)
            snprintf(why, why_cap, "out of memory");
        else if (err)
            snprintf(why, why_cap, "read error");
        else
            snprintf(why, why_cap, "larger than %zu MiB", max >> 20);
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* Options that take a value, and where it goes. */
static const char **global_slot(cli_ctx *ctx, const char *name)
{
    if (strcmp(name, "--db") == 0) return &ctx->db_path;
    if (strcmp(name, "--lang") == 0) return &ctx->lang;
    if (strcmp(name, "--scale") == 0) return &ctx->scale;
    if (strcmp(name, "--printer") == 0) return &ctx->printer;
    if (strcmp(name, "--scanner") == 0) return &ctx->scanner;
    return NULL;
}

int cli_parse_globals(int argc, char **argv, cli_ctx *ctx, const char **command)
{
    static char *rest[256];
    int n_rest = 0;
    const char *at = NULL;
    memset(ctx, 0, sizeof *ctx);
    *command = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char **slot = global_slot(ctx, a);
        if (slot || strcmp(a, "--at") == 0) {
            if (i + 1 >= argc) {
                cli_error("%s needs a value", a);
                return EXIT_USAGE;
            }
            if (slot)
                *slot = argv[++i];
            else
                at = argv[++i];
        } else if (strcmp(a, "--json") == 0) {
            ctx->json = true;
        } else if (!*command && a[0] != '-') {
            *command = a;
        } else {
            if (n_rest >= (int)(sizeof rest / sizeof rest[0]) - 1) {
                cli_error("too many arguments");
                return EXIT_USAGE;
            }
            rest[n_rest++] = argv[i];
        }
    }
    rest[n_rest] = NULL;
    ctx->argc = n_rest;
    ctx->argv = rest;
    if (ctx->lang && !i18n_set_lang(ctx->lang)) {
        cli_error("--lang must be zh or en, not '%s'", ctx->lang);
        return EXIT_USAGE;
    }
    if (at) {
        if (!bizday_parse_iso8601(at, BIZDAY_SHANGHAI_OFFSET_MIN, &ctx->at_utc)) {
            cli_error("--at '%s' is not an ISO 8601 time like 2026-10-16T10:30:00+08:00", at);
            return EXIT_USAGE;
        }
        ctx->have_at = true;
    } else {
        ctx->at_utc = (int64_t)time(NULL);
    }
    if (!ctx->db_path)
        ctx->db_path = cli_default_db_path();
    return EXIT_DONE;
}
