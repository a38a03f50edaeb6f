/* init: create or migrate the till database; --demo loads the demo store (idempotent). */
#include <stdlib.h>
#include <string.h>

#include "db/demo.h"
#include "db/manager_pin.h"
#include "db/products.h"
#include "db/sales.h"
#include "db/settings.h"
#include "db/store.h"
#include "pos/app/cli.h"
#include "pos/core/json.h"

int cmd_init(const cli_ctx *ctx)
{
    bool demo = false;
    const char *store_code = NULL, *till_no = NULL, *manager_pin = NULL;
    for (int i = 0; i < ctx->argc; i++) {
        const char *a = ctx->argv[i];
        if (strcmp(a, "--demo") == 0) {
            demo = true;
        } else if ((strcmp(a, "--store") == 0 || strcmp(a, "--till") == 0) && i + 1 < ctx->argc) {
            *(a[2] == 's' ? &store_code : &till_no) = ctx->argv[++i];
        } else if (strcmp(a, "--manager-pin") == 0 && i + 1 < ctx->argc) {
            manager_pin = ctx->argv[++i];
            if (!manager_pin_valid(manager_pin)) {
                cli_error("--manager-pin must be 4 to 12 digits");
                return EXIT_USAGE;
            }
        } else {
            cli_error("init: unexpected argument '%s' (usage: init [--demo] [--store CODE] [--till N] [--manager-pin PIN])", a);
            return EXIT_USAGE;
        }
    }
    char msg[512] = "";
    store *s = NULL;
    store_open_opts opts = { .create = true };
    store_err err = store_open(ctx->db_path, &opts, &s, msg, sizeof msg);
    if (err) {
        cli_error("cannot open %s: %s (%s)", ctx->db_path, store_strerror(err), msg);
        return EXIT_REFUSED;
    }
    int rc = EXIT_DONE;
    if (demo) {
        err = demo_load(s, demo_assets_dir(), msg, sizeof msg);
        /* Campaigns, points settings and members (#5): after the catalog, whose SKUs the
         * rules' gifts name. */
        if (!err)
            err = demo_load_promotions(s, demo_assets_dir(), msg, sizeof msg);
        if (err) {
            cli_error("demo store not loaded: %s", msg);
            rc = EXIT_REFUSED;
            goto out;
        }
        /* The demo store's manager PIN is 8888 (README: demo only), set once so that a PIN
         * the manager chose is never reset by re-running init --demo. */
        if (!manager_pin && !manager_pin_is_set(s) &&
            (err = manager_pin_set(s, "8888")) != STORE_OK)
            goto store_fail;
    }
    if (manager_pin && (err = manager_pin_set(s, manager_pin)) != STORE_OK)
        goto store_fail;
    if (store_code || till_no) {
        till_config cfg;
        if ((err = settings_get_config(s, &cfg)) != STORE_OK)
            goto store_fail;
        if (store_code) {
            size_t len = strlen(store_code);
            bool ok = len > 0 && len < sizeof cfg.store_code;
            for (size_t i = 0; ok && i < len; i++)
                ok = (store_code[i] >= 'A' && store_code[i] <= 'Z') ||
                     (store_code[i] >= '0' && store_code[i] <= '9');
            if (!ok) {
                cli_error("--store must be 1-15 upper-case letters or digits, not '%s'", store_code);
                rc = EXIT_USAGE;
                goto out;
            }
            memcpy(cfg.store_code, store_code, len + 1);
        }
        if (till_no) {
            char *end;
            long n = strtol(till_no, &end, 10);
            if (*end || n < 1 || n > 999) {
                cli_error("--till must be a number from 1 to 999, not '%s'", till_no);
                rc = EXIT_USAGE;
                goto out;
            }
            cfg.till_no = (int)n;
        }
        if ((err = settings_set_config(s, &cfg)) != STORE_OK)
            goto store_fail;
    }
    till_config cfg;
    if ((err = settings_get_config(s, &cfg)) != STORE_OK)
        goto store_fail;
    if (ctx->json) {
        strbuf sb;
        json_writer w;
        strbuf_init(&sb);
        json_writer_init(&w, &sb, false);
        json_begin_object(&w);
        json_kv_string(&w, "db", ctx->db_path);
        json_kv_int(&w, "schema_version", store_user_version(s));
        json_kv_string(&w, "store", cfg.store_code);
        json_kv_string(&w, "store_name", cfg.store_name);
        json_kv_int(&w, "till", cfg.till_no);
        json_kv_int(&w, "products", products_count(s));
        json_kv_int(&w, "sales", sales_count(s));
        json_end_object(&w);
        printf("%s\n", sb.data);
        strbuf_free(&sb);
    } else {
        printf("%s: schema v%d, store %s (%s), till %d, %lld products, %lld sales\n", ctx->db_path,
               store_user_version(s), cfg.store_code, cfg.store_name, cfg.till_no,
               (long long)products_count(s), (long long)sales_count(s));
    }
    goto out;
store_fail:
    cli_error("%s: %s", store_strerror(err), store_last_error(s));
    rc = EXIT_REFUSED;
out:
    store_close(s);
    return rc;
}
