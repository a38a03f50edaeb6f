/* fupin-pos: the composition root.  No command starts the cashier app; the rest are the
 * headless commands of CLI.md, all through the same till and store code.  The command table
 * below dispatches and drives `help`. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "peripherals/devspec.h"
#include "pos/app/cli.h"
#ifdef FUPIN_HAVE_UI
#include "pos/app/run_screen.h"
#endif

static int cmd_run(const cli_ctx *ctx)
{
#ifdef FUPIN_HAVE_UI
    run_screen_options o = { .db_path = ctx->db_path, .lang = ctx->lang ? ctx->lang : "zh",
                             .printer = ctx->printer,
                             .scale_spec = ctx->scale, .scanner_spec = ctx->scanner };
    for (int i = 0; i < ctx->argc; i++) {
        const char *a = ctx->argv[i];
        const char *next = i + 1 < ctx->argc ? ctx->argv[i + 1] : NULL;
        if (strcmp(a, "--windowed") == 0) {
            o.windowed = true;
        } else if (strcmp(a, "--simulate-devices") == 0) {
            o.simulate_devices = true;
        } else if (strcmp(a, "--size") == 0 && next) {
            if (sscanf(next, "%dx%d", &o.width, &o.height) != 2 || o.width < 640 ||
                o.height < 480 || o.width > 7680 || o.height > 4320) {
                cli_error("--size must be WxH, e.g. 1280x800, not '%s'", next);
                return EXIT_USAGE;
            }
            i++;
        } else if (strcmp(a, "--script") == 0 && next) {
            o.script_path = next;
            i++;
        } else if (strcmp(a, "--screenshots") == 0 && next) {
            if (cli_mkdir_p(next) != 0) {
                cli_error("cannot create the screenshots folder %s: %s", next, strerror(errno));
                return EXIT_REFUSED;
            }
            o.screenshots_dir = next;
            i++;
        } else if (strcmp(a, "--font") == 0 && next) {
            o.font_path = next;
            i++;
        } else {
            cli_error("run: unexpected argument '%s' (see fupin-pos help)", a);
            return EXIT_USAGE;
        }
    }
    /* A bad --scale / --scanner / --printer is a usage error before any window opens (a bad
     * config key cannot happen: `config set` checks it with the same parser). */
    static const struct {
        const char *option;
        device_class cls;
    } OPTS[] = {{"--scale", DEVICE_SCALE}, {"--scanner", DEVICE_SCANNER},
                {"--printer", DEVICE_PRINTER}};
    const char *specs[] = {ctx->scale, ctx->scanner, ctx->printer};
    for (size_t i = 0; i < sizeof OPTS / sizeof OPTS[0]; i++) {
        devspec spec;
        char why[256];
        if (specs[i] && !devspec_parse(OPTS[i].cls, specs[i], &spec, why, sizeof why)) {
            cli_error("%s: %s", OPTS[i].option, why);
            return EXIT_USAGE;
        }
    }
    return run_screen(&o);
#else
    cli_error("this build has no screens (built with FUPIN_BUILD_UI=OFF)");
    return EXIT_UNAVAILABLE;
#endif
}

static int run_help(const cli_ctx *ctx);

/* Every command, in the order `help` lists them (git.c's commands[]): name, handler, flags,
 * and the help block (usage line(s) and what it does).  CMD_PLANNED names are CLI.md's
 * commands this version does not have yet: refused as such, listed under "Planned". */
static const cli_command commands[] = {
    {"run", cmd_run, CMD_NEEDS_DB,
         "  run [--windowed] [--size WxH] [--simulate-devices] [--script FILE]\n"
         "      [--screenshots DIR] [--font FILE]\n"
         "                     the cashier app (default command)\n"},
    {"init", cmd_init, CMD_NEEDS_DB,
         "  init [--demo] [--store CODE] [--till N] [--manager-pin PIN]\n"
         "                     create or migrate the database; --demo loads the demo store\n"
         "                     (demo manager PIN 8888); --manager-pin sets the PIN that\n"
         "                     approves refunds (4-12 digits)\n"},
    {"scan", cmd_scan, CMD_NEEDS_DB,
         "  scan CODE          what a code is: product, scale label (PLU, grams, fen),\n"
         "                     customer payment code, or why it is rejected\n"},
    {"sell", cmd_sell, CMD_NEEDS_DB,
         "  sell ITEM... --tender KIND:FEN... [--member CARD|PHONE | --org ID]\n"
         "      [--uuid UUID]\n"
         "                     a headless sale; ITEM = CODE, CODE*QTY, PLU@GRAMS or a\n"
         "                     scale label; KIND = cash, wechat, alipay, unionpay, points\n"
         "                     (points:FEN = value in fen, needs a member)\n"
         "                     --uuid: the caller's sale id; the same UUID again writes\n"
         "                     nothing and prints the stored sale\n"},
    {"catalog", cmd_catalog, CMD_NEEDS_DB,
         "  catalog import FILE [--dry-run] [--encoding utf-8|gb18030]\n"
         "                     products from CSV (docs/CATALOG.md); all or nothing,\n"
         "                     every bad line as FILE:LINE: column: reason\n"
         "  catalog export FILE / catalog find TEXT [--limit N]\n"
         "                     the same CSV back; search by name, pinyin initials, code, PLU\n"},
    {"stock", cmd_stock, CMD_NEEDS_DB,
         "  stock receive FILE / stock show [SKU]\n"
         "                     goods received (CSV); levels (negative flagged), recent moves\n"},
    {"report", cmd_report, CMD_NEEDS_DB,
         "  report sales --by supplier|household|village|day [--from D] [--to D]\n"
         "  report agreements [--year YYYY]\n"
         "                     poverty-relief sales; households' purchase agreements\n"},
    {"price", cmd_price, CMD_NEEDS_DB,
         "  price BASKET.json [--member CARD|PHONE]\n"
         "                     price a basket with the rules in force at --at, explain\n"
         "                     every applied rule; writes nothing (docs/PROMOTIONS.md)\n"},
    {"calendar", cmd_calendar, CMD_NEEDS_DB,
         "  calendar YEAR      every campaign date of the year (lunar holidays computed)\n"
         "                     with the rules in force on it\n"},
    {"stars", cmd_stars, CMD_NEEDS_DB,
         "  stars [--month YYYY-MM] [--limit N]\n"
         "                     consumption-star board (扶贫消费明星), masked; organisations\n"
         "                     listed apart, staff excluded\n"},
    {"member", cmd_member, CMD_NEEDS_DB,
         "  member add --card ID --name NAME [--phone DIGITS] [--kind person|staff|organisation]\n"
         "  member show CARD|PHONE / member points CARD|PHONE [--adjust N --reason TEXT]\n"
         "                     members; points balance and journal\n"
         "  member expire      expire points older than points.expiry (FIFO) at --at;\n"
         "                     running it again writes nothing\n"},
    {"promo", cmd_promo, CMD_NEEDS_DB,
         "  promo list / promo show ID\n"
         "                     the campaigns (id, priority, active, schedule); one as JSON\n"
         "  promo import FILE.json / promo disable ID / promo enable ID\n"
         "                     add or change rules (all or nothing, every bad rule as\n"
         "                     FILE: rule \"ID\": field: reason); switch a rule off / on\n"},
    {"config", cmd_config, CMD_NEEDS_DB,
         "  config show / config set KEY VALUE\n"
         "                     store settings (store.*, till.no, cash.rounding, scale.*,\n"
         "                     points.*); bad values and unknown keys are refused\n"},
    {"refund", cmd_refund, CMD_NEEDS_DB,
         "  refund RECEIPT_NO [LINE*QTY...] --approve PIN [--uuid UUID]\n"
         "                     a return against a sale (no LINE = all that is left), approved\n"
         "                     by the manager's PIN; money back to the sale's tenders, stock\n"
         "                     back, points reversed/returned (docs/REFUNDS.md)\n"
         "                     --uuid: the caller's refund id; the same refund again writes\n"
         "                     nothing and prints the stored one\n"},
    {"devices", cmd_devices, 0,
         "  devices [--json] / devices --watch [--json]\n"
         "  devices --read scale|scanner [--timeout MS] [--sim-weight G] [--json]\n"
         "                     the scale and scanner in force (--scale/--scanner, config\n"
         "                     device.*, else auto), their state and errors; --read waits\n"
         "                     for one stable weight or one code (exit 3: unavailable);\n"
         "                     --watch prints states and readings until Ctrl+C\n"},
    {"receipt", cmd_receipt, CMD_NEEDS_DB,
         "  receipt RECEIPT_NO|REFUND_NO [--format text|escpos|png] [--width 58|80]\n"
         "      [-o FILE] [--reprint] [--qr-raster]\n"
         "                     a stored sale's receipt (or a refund's 退货单 slip):\n"
         "                     plain text, the printer's ESC/POS bytes, or a PNG\n"
         "                     preview (-o FILE); --reprint (sales) marks it 重印\n"
         "                     and counts it\n"},
    {"labels", cmd_labels, CMD_NEEDS_DB,
         "  labels SKU... [--format text|escpos|png] [--width 58|80] [-o FILE]\n"
         "      [--qr-raster] [--sheet a4]\n"
         "                     shelf labels: price per unit or per 500 g / kg, origin,\n"
         "                     扶贫产品 and supplier, buy-online QR (label.buy_url)\n"},
    {"help", run_help, 0,
         "  help               this text\n"},
    {"sync", NULL, CMD_PLANNED, NULL},
    {"ledger", NULL, CMD_PLANNED, NULL},
    {"eod", NULL, CMD_PLANNED, NULL},
    {"audit", NULL, CMD_PLANNED, NULL},
    {"backup", NULL, CMD_PLANNED, NULL},
    {"restore", NULL, CMD_PLANNED, NULL},
};

static int run_help(const cli_ctx *ctx)
{
    (void)ctx;
    cli_print_help(commands, sizeof commands / sizeof commands[0]);
    return EXIT_DONE;
}

static const cli_command *find_command(const char *name)
{
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

int main(int argc, char **argv)
{
    /* A closed pipe must be a write error the command sees and reports (exit EXIT_OUTPUT,
     * naming what was stored: cli_check_output below), not a silent death after the work was
     * done. */
    signal(SIGPIPE, SIG_IGN);
    cli_ctx ctx;
    const char *command;
    int rc = cli_parse_globals(argc, argv, &ctx, &command);
    if (rc != EXIT_DONE)
        return rc;
    for (int i = 0; !command && i < ctx.argc; i++)
        if (strcmp(ctx.argv[i], "--help") == 0 || strcmp(ctx.argv[i], "-h") == 0)
            return run_help(&ctx);
    if (!command)
        command = "run";
    else if (strcmp(command, "--help") == 0)
        command = "help";
    const cli_command *c = find_command(command);
    if (!c || (c->flags & CMD_PLANNED) || !c->run) {
        cli_error("unknown or not yet available command '%s' (see fupin-pos help)", command);
        return EXIT_USAGE;
    }
    if ((c->flags & CMD_NEEDS_DB) && (!ctx.db_path || !ctx.db_path[0])) {
        cli_error("%s: no database path: give --db PATH or set FUPIN_POS_DB", command);
        return EXIT_USAGE;
    }
    rc = c->run(&ctx);
    /* Every command's output is checked here, once, after it ran: a lost answer is never exit
     * 0.  A refusal keeps its own code (its reason is already on stderr). */
    int out_rc = cli_check_output();
    return rc == EXIT_DONE ? out_rc : rc;
}
