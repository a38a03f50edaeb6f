/* cli: the headless commands of CLI.md and the options they share.  Every command goes through
 * the till / store code the screens use. */
#ifndef FUPIN_APP_CLI_H
#define FUPIN_APP_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "db/csv_table.h"
#include "pos/app/i18n.h"

/* Exit codes of the CLI contract. */
enum {
    EXIT_DONE = 0,
    EXIT_REFUSED = 1,
    EXIT_USAGE = 2,
    EXIT_UNAVAILABLE = 3,
    /* The output could not be written (stdout on a full disk, a closed pipe).  For a command
     * that stored something (a sale, a refund) the work is durable and stderr names it (the
     * receipt or refund number), so a script does not redo it; a read-only command's answer is
     * simply lost (docs/CLI.md). */
    EXIT_OUTPUT = 4,
};

typedef struct {
    const char *db_path;      /* resolved: --db, $FUPIN_POS_DB, XDG default */
    bool json;
    const char *lang;
    const char *scale, *printer, *scanner;
    bool have_at;
    int64_t at_utc;           /* --at, else the clock at start */
    int argc;                 /* the command's own arguments (after the command name) */
    char **argv;
} cli_ctx;

/* Parse global options anywhere on the command line; the rest (command and its arguments)
 * stays in order.  Returns EXIT_DONE or EXIT_USAGE (message printed). */
int cli_parse_globals(int argc, char **argv, cli_ctx *ctx, const char **command);
struct store;
/* Open (and migrate) the till database of --db for a command; on failure prints "cannot open
 * PATH: reason" and returns NULL (the command then exits EXIT_REFUSED). */
struct store *cli_open_store(const cli_ctx *ctx, bool read_only);
/* The arguments after a file command's sub-command: FILE [--encoding utf-8|gb18030], and
 * --dry-run when dry_run is not NULL.  Anything else prints usage; returns EXIT_DONE or
 * EXIT_USAGE. */
int cli_file_args(const cli_ctx *ctx, const char *usage, const char **path, ct_encoding *enc,
                  bool *dry_run);
/* Read a whole file ("-": stdin) of at most max bytes, NUL-terminated, into a malloc'd buffer;
 * NULL with why set ("cannot open", "read error", "larger than N MiB", "out of memory"). */
char *cli_read_file(const char *path, size_t max, size_t *len, char *why, size_t why_cap);
/* mkdir -p (mode 0700); 0 or -1 with errno. */
int cli_mkdir_p(const char *dir);
/* Resolve the default database path and create its directory. */
const char *cli_default_db_path(void);

/* A row of main.c's command table. */
enum {
    CMD_NEEDS_DB = 1 << 0,   /* works on the till database: needs a --db path */
    CMD_PLANNED = 1 << 1,    /* in CLI.md, not in this version: refused, listed as planned */
};
typedef struct {
    const char *name;
    int (*run)(const cli_ctx *ctx);
    unsigned flags;
    const char *help;        /* usage line(s) and what it does, as `help` prints them */
} cli_command;
/* `help`: the global options, every command's block, the planned ones, the exit codes. */
void cli_print_help(const cli_command *cmds, size_t n);

int cmd_init(const cli_ctx *ctx);
int cmd_scan(const cli_ctx *ctx);
int cmd_sell(const cli_ctx *ctx);
int cmd_catalog(const cli_ctx *ctx);
int cmd_stock(const cli_ctx *ctx);
int cmd_report(const cli_ctx *ctx);
int cmd_price(const cli_ctx *ctx);
int cmd_calendar(const cli_ctx *ctx);
int cmd_stars(const cli_ctx *ctx);
int cmd_member(const cli_ctx *ctx);
int cmd_refund(const cli_ctx *ctx);
int cmd_promo(const cli_ctx *ctx);
int cmd_config(const cli_ctx *ctx);
int cmd_devices(const cli_ctx *ctx);
int cmd_receipt(const cli_ctx *ctx);
int cmd_labels(const cli_ctx *ctx);

/* Output.  A command that stores something (a sale, a refund) names it right after the commit,
 * e.g. cli_note_stored("refund saved as %s", no).  cli_check_output flushes stdout and checks
 * it: when anything written there failed (full disk, closed pipe -- SIGPIPE is ignored in
 * main), it says so on stderr once, with what was stored, and returns EXIT_OUTPUT; else
 * EXIT_DONE.  main.c runs it after every command; a command that must not go on after a lost
 * output (sell's notes) runs it itself first. */
void cli_note_stored(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int cli_check_output(void);

/* Print "fupin-pos: " + message to stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
