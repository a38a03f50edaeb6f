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
        "  scan CODE          what a code is: product, scale label (PLU, grams, fen),\n"
        "                     customer payment code, or why it is rejected\n"
        "  sell ITEM... --tender KIND:FEN...\n"
        "                     a headless sale; ITEM = CODE, CODE*QTY or PLU@GRAMS;\n"
        "                     KIND = cash, wechat, alipay, unionpay, points\n"
        "  catalog import FILE [--dry-run] [--encoding utf-8|gb18030]\n"
        "                     products from CSV (docs/CATALOG.md); all or nothing,\n"
        "                     every bad line as FILE:LINE: column: reason\n"
        "  catalog export FILE / catalog find TEXT [--limit N]\n"
        "                     the same CSV back; search by name, pinyin initials, code, PLU\n"
        "  stock receive FILE / stock show [SKU]\n"
        "                     goods received (CSV); levels (negative flagged), recent moves\n"
        "  report sales --by supplier|household|village|day [--from D] [--to D]\n"
        "  report agreements [--year YYYY]\n"
        "                     poverty-relief sales; households' purchase agreements\n"
        "  help               this text\n"
        "\n"
        "Planned (not in this version): refund, price, calendar, receipt,\n"
        "labels, devices, sync, ledger, eod, stars, audit, backup, restore.\n"
        "\n"
        "Exit codes: 0 done, 1 refused (stderr says why; nothing written), 2 usage error,\n"
        "3 device or ledger unavailable.\n",
        stdout);
    return EXIT_DONE;
}
