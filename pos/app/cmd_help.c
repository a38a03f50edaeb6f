/* help: the command summary (CLI.md is the full contract), printed from main.c's command
 * table so a command and its help cannot drift apart. */
#include <string.h>

#include "pos/app/cli.h"
#include "pos/app/i18n.h"

void cli_print_help(const cli_command *cmds, size_t n)
{
    fputs("usage: fupin-pos [GLOBAL OPTIONS] [COMMAND] [ARGS]\n"
          "\n"
          "Global options:\n"
          "  --db PATH          till database (default $FUPIN_POS_DB, else\n"
          "                     $XDG_DATA_HOME/fupin-pos/till.db)\n"
          "  --json             one JSON document on stdout\n"
          "  --lang zh|en       language of text and screens (default zh)\n"
          "  --at ISO8601       \"now\" for clock-dependent commands (2026-10-16T10:30:00+08:00)\n"
          "  --scale/--printer/--scanner SPEC   device choice (usb:VID:PID, file:PATH, sim)\n"
          "\n"
          "Commands:\n",
          stdout);
    for (size_t i = 0; i < n; i++)
        if (!(cmds[i].flags & CMD_PLANNED) && cmds[i].help)
            fputs(cmds[i].help, stdout);
    /* "Planned (not in this version): a, b, …." wrapped before column 80 */
    const char *lead = "\nPlanned (not in this version):";
    fputs(lead, stdout);
    size_t col = strlen(lead) - 1;
    bool first = true;
    for (size_t i = 0; i < n; i++) {
        if (!(cmds[i].flags & CMD_PLANNED))
            continue;
        size_t w = strlen(cmds[i].name) + 2;
        if (!first)
            fputs(",", stdout);
        if (col + w > 78) {
            fputs("\n", stdout);
            col = 0;
        } else {
            fputs(" ", stdout);
            col++;
        }
        fputs(cmds[i].name, stdout);
        col += w - 1;
        first = false;
    }
    fputs(".\n"
          "\n"
          "Exit codes: 0 done, 1 refused (stderr says why; nothing written), 2 usage error,\n"
          "3 device or ledger unavailable, 4 output could not be written (any command;\n"
          "what was stored, e.g. the receipt or refund number, is named on stderr).\n",
          stdout);
}
