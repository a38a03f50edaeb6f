/* help: the command summary (CLI.md is the full contract). */
#include "pos/app/cli.h"
#include "pos/app/i18n.h"

int cmd_help(const cli_ctx *ctx)
{
    (void)ctx;
    fputs(
        "usage: fupin-pos [GLOBAL OPTIONS] [COMMAND] [ARGS]\n"
        "\n"
        "Global options:\n"
        "  --db PATH          till database (default $FUPIN_POS_DB, else\n"
        "                     $XDG_DATA_HOME/fupin-pos/till.db)\n"
        "  --json             one JSON document on stdout\n"
        "  --lang zh|en       language of text and screens (default zh)\n"
        "  --at ISO8601       \"now\" for clock-dependent commands (2026-10-16T10:30:00+08:00)\n"
        "  --scale/--printer/--scanner SPEC   device choice (usb:VID:PID, file:PATH, sim)\n"
        "\n"
        "Commands:\n"
        "  run [--windowed] [--size WxH] [--simulate-devices] [--script FILE]\n"
        "      [--screenshots DIR] [--font FILE]\n"
        "                     the cashier app (default command)\n"
        "  init [--demo] [--store CODE] [--till N]\n"
        "                     create or migrate the database; --demo loads the demo store\n"
        "  scan CODE          what a code is: product, or why it is rejected\n"
        "  sell ITEM... --tender KIND:FEN...\n"
        "                     a headless sale; ITEM = CODE, CODE*QTY or PLU@GRAMS;\n"
        "                     KIND = cash, wechat, alipay, unionpay, points\n"
        "  help               this text\n"
        "\n"
        "Planned (not in this version): refund, catalog, stock, price, calendar, receipt,\n"
        "labels, devices, sync, ledger, eod, stars, audit, backup, restore.\n"
        "\n"
        "Exit codes: 0 done, 1 refused (stderr says why; nothing written), 2 usage error,\n"
        "3 device or ledger unavailable.\n",
        stdout);
    return EXIT_DONE;
}
