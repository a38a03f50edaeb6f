/* fupin-pos: the composition root.  No command starts the cashier app; the rest are the
 * headless commands of CLI.md, all through the same till and store code. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "pos/app/cli.h"
#ifdef FUPIN_HAVE_UI
#include "ui/ui.h"
#endif

static int cmd_run(const cli_ctx *ctx)
{
#ifdef FUPIN_HAVE_UI
    ui_options o = { .db_path = ctx->db_path, .lang = ctx->lang ? ctx->lang : "zh" };
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
    return ui_run(&o);
#else
    cli_error("this build has no screens (built with FUPIN_BUILD_UI=OFF)");
    return EXIT_UNAVAILABLE;
#endif
}

int main(int argc, char **argv)
{
    cli_ctx ctx;
    const char *command;
    int rc = cli_parse_globals(argc, argv, &ctx, &command);
    if (rc != EXIT_DONE)
        return rc;
    for (int i = 0; !command && i < ctx.argc; i++)
        if (strcmp(ctx.argv[i], "--help") == 0 || strcmp(ctx.argv[i], "-h") == 0)
            return cmd_help(&ctx);
    if (!command || strcmp(command, "run") == 0)
        return cmd_run(&ctx);
    if (strcmp(command, "help") == 0 || strcmp(command, "--help") == 0)
        return cmd_help(&ctx);
    if (strcmp(command, "init") == 0)
        return cmd_init(&ctx);
    if (strcmp(command, "scan") == 0)
        return cmd_scan(&ctx);
    if (strcmp(command, "sell") == 0)
        return cmd_sell(&ctx);
    if (strcmp(command, "catalog") == 0)
        return cmd_catalog(&ctx);
    if (strcmp(command, "stock") == 0)
        return cmd_stock(&ctx);
    if (strcmp(command, "report") == 0)
        return cmd_report(&ctx);
    if (strcmp(command, "price") == 0)
        return cmd_price(&ctx);
    if (strcmp(command, "calendar") == 0)
        return cmd_calendar(&ctx);
    if (strcmp(command, "stars") == 0)
        return cmd_stars(&ctx);
    if (strcmp(command, "member") == 0)
        return cmd_member(&ctx);
    if (strcmp(command, "refund") == 0)
        return cmd_refund(&ctx);
    if (strcmp(command, "promo") == 0)
        return cmd_promo(&ctx);
    if (strcmp(command, "config") == 0)
        return cmd_config(&ctx);
    cli_error("unknown or not yet available command '%s' (see fupin-pos help)", command);
    return EXIT_USAGE;
}
