/* scan: what a scanned code means here, through the same classification the sale screen uses. */
#include <string.h>

#include "pos/app/cli.h"
#include "pos/app/till.h"
#include "pos/core/json.h"

int cmd_scan(const cli_ctx *ctx)
{
    if (ctx->argc != 1) {
        cli_error("usage: scan CODE");
        return EXIT_USAGE;
    }
    const char *code = ctx->argv[0];
    code_info info;
    code_kind kind = barcode_classify(code, NULL, 0, &info);
    product p;
    bool found = false;
    int rc = EXIT_DONE;
    char msg[512];
    store *s = NULL;
    if (kind == CODE_PRODUCT) {
        store_open_opts opts = { .read_only = true };
        store_err err = store_open(ctx->db_path, &opts, &s, msg, sizeof msg);
        if (err) {
            cli_error("cannot open %s: %s (%s)", ctx->db_path, store_strerror(err), msg);
            return EXIT_REFUSED;
        }
        err = store_find_product_by_gtin(s, info.gtin13, &p);
        found = err == STORE_OK;
        if (err && err != STORE_ERR_NOT_FOUND) {
            cli_error("%s: %s", store_strerror(err), store_last_error(s));
            store_close(s);
            return EXIT_REFUSED;
        }
        store_close(s);
    }
    if (kind == CODE_REJECTED || (kind == CODE_PRODUCT && !found))
        rc = EXIT_REFUSED;
    if (ctx->json) {
        strbuf sb;
        json_writer w;
        strbuf_init(&sb);
        json_writer_init(&w, &sb, false);
        json_begin_object(&w);
        json_kv_string(&w, "code", info.code);
        json_kv_string(&w, "kind", code_kind_name(kind));
        if (kind == CODE_REJECTED) {
            json_kv_string(&w, "reason", info.reason);
        } else if (kind == CODE_PRODUCT) {
            json_kv_string(&w, "symbology", barcode_symbology_name(info.symbology));
            json_kv_string(&w, "gtin", info.gtin13);
            json_kv_bool(&w, "found", found);
            if (found) {
                json_key(&w, "product");
                json_begin_object(&w);
                json_kv_string(&w, "sku", p.sku);
                json_kv_string(&w, "name", p.name);
                json_kv_string(&w, "unit", p.unit);
                json_kv_int(&w, "price_fen", p.price_fen);
                json_kv_bool(&w, "by_weight", p.by_weight);
                json_kv_bool(&w, "poverty_relief", p.poverty_relief);
                json_kv_string(&w, "supplier_id", p.supplier_id);
                json_end_object(&w);
            }
        }
        json_end_object(&w);
        printf("%s\n", sb.data);
        strbuf_free(&sb);
    } else if (kind == CODE_REJECTED) {
        printf("%s: rejected: %s\n", info.code, info.reason);
    } else if (kind == CODE_PRODUCT && found) {
        char price[MONEY_FMT_CAP];
        money_format_yuan(p.price_fen, price, sizeof price);
        printf("%s: product %s (%s GTIN %s) %s %s/%s%s\n", info.code, p.sku,
               barcode_symbology_name(info.symbology), info.gtin13, p.name, price, p.unit,
               p.poverty_relief ? " 扶贫产品" : "");
    } else if (kind == CODE_PRODUCT) {
        printf("%s: valid %s (GTIN %s) but not in the catalog\n", info.code,
               barcode_symbology_name(info.symbology), info.gtin13);
    } else {
        printf("%s: %s\n", info.code, code_kind_name(kind));
    }
    return rc;
}
