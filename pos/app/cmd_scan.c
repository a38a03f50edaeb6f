/* scan: what a scanned code means here, through the same classification the item-entry screen
 * uses (till_classify_item: the store's scale-label layouts first, then customer payment
 * codes, then retail GTINs).  A scale label is also checked against the catalog exactly as a
 * sale would (till_check_label), so `scan` predicts what `sell` and the screen will do.
 *
 * Exit 0: a known product, a label that can be sold, a payment code (stdout).  Exit 1: rejected,
 * not in the catalog, or a label the till would refuse (its amount disagrees with the catalog):
 * said on stderr, naming the code as scanned and the cause. */
#include <stdio.h>
#include <string.h>

#include "pos/app/cli.h"
#include "pos/app/i18n.h"
#include "pos/app/till.h"
#include "pos/core/json.h"
#include "pos/core/paycode.h"


static void product_json(json_writer *w, const product *p, const char *day)
{
    json_key(w, "product");
    json_begin_object(w);
    json_kv_string(w, "sku", p->sku);
    json_kv_string(w, "name", p->name);
    json_kv_string(w, "unit", p->unit);
    json_kv_int(w, "price_fen", p->price_fen);
    json_kv_bool(w, "by_weight", p->by_weight);
    if (p->plu[0])
        json_kv_string(w, "plu", p->plu);
    json_kv_bool(w, "poverty_relief", p->poverty_relief);
    /* Whether a sale today counts as 扶贫: false when the certificate lapsed. */
    json_kv_bool(w, "poverty_relief_today", product_poverty_relief_on(p, day));
    if (p->cert_no[0])
        json_kv_string(w, "cert_no", p->cert_no);
    if (p->cert_valid_to[0])
        json_kv_string(w, "cert_valid_to", p->cert_valid_to);
    json_kv_string(w, "supplier_id", p->supplier_id);
    if (p->by_weight) {
        json_kv_int(w, "tare_g", p->tare_g);
        json_kv_int(w, "min_g", p->min_g);
        json_kv_int(w, "max_g", p->max_g);
    }
    json_end_object(w);
}

static const char *relief_note(const product *p, const char *day)
{
    if (!p->poverty_relief)
        return "";
    return product_poverty_relief_on(p, day) ? T(" 扶贫产品", " poverty-relief")
                                             : T(" 扶贫认证已过期", " poverty-relief certificate lapsed");
}

int cmd_scan(const cli_ctx *ctx)
{
    if (ctx->argc != 1) {
        cli_error("usage: scan CODE");
        return EXIT_USAGE;
    }
    const char *code = ctx->argv[0];
    char msg[512] = "";
    /* The label layouts are store configuration, so even classifying needs the database. */
    store *s = cli_open_store(ctx, true);
    if (!s)
        return EXIT_REFUSED;
    till *t = NULL;
    store_err err = till_attach(&t, s, msg, sizeof msg);
    if (err) {
        cli_error("%s: %s", store_strerror(err), msg);
        store_close(s);
        return EXIT_REFUSED;
    }
    till_set_now(t, ctx->at_utc);
    char day[11];
    till_business_day(t, day);

    code_info info;
    code_kind kind = till_classify_item(t, code, &info);
    int rc = EXIT_DONE;
    product p;
    bool found = false;
    till_label_check lc;
    till_err lerr = TILL_OK;
    paycode_provider provider = PAYCODE_NONE;
    size_t len = strlen(info.code);

    if (kind == CODE_PRODUCT) {
        err = products_find_by_gtin(s, info.gtin13, &p);
        found = err == STORE_OK;
        if (err && err != STORE_ERR_NOT_FOUND) {
            cli_error("%s: %s", store_strerror(err), store_last_error(s));
            till_close(t);
            store_close(s);
            return EXIT_REFUSED;
        }
        if (!found)
            rc = EXIT_REFUSED;
    } else if (kind == CODE_SCALE_LABEL) {
        lerr = till_check_label(t, info.code, &lc);
        if (lerr == TILL_ERR_STORE) {
            cli_error("%s", till_message(t));
            till_close(t);
            store_close(s);
            return EXIT_REFUSED;
        }
        if (lerr)
            rc = EXIT_REFUSED;
        /* The same digits on the payment screen would be a payment code: say so. */
        provider = paycode_detect(info.code, len);
    } else if (kind == CODE_PAYMENT) {
        provider = paycode_detect(info.code, len);
    } else {
        rc = EXIT_REFUSED;
    }

    /* What was asked for goes to stdout; a refusal (exit 1) to stderr, as CLI.md says. */
    FILE *o = rc == EXIT_DONE ? stdout : stderr;
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
            if (paycode_detect(info.code, len) != PAYCODE_NONE)
                json_kv_string(&w, "also_payment_code",
                               paycode_provider_name(paycode_detect(info.code, len)));
        } else if (kind == CODE_PRODUCT) {
            json_kv_string(&w, "symbology", barcode_symbology_name(info.symbology));
            json_kv_string(&w, "gtin", info.gtin13);
            json_kv_bool(&w, "found", found);
            if (found)
                product_json(&w, &p, day);
        } else if (kind == CODE_SCALE_LABEL) {
            const scale_label *l = &lc.label;
            json_kv_string(&w, "plu", info.plu);
            json_kv_bool(&w, "has_weight", l->has_weight);
            json_kv_bool(&w, "has_price", l->has_price);
            json_kv_int(&w, "grams", info.grams);
            json_kv_int(&w, "price_fen", info.price_fen);
            json_kv_bool(&w, "found", lc.found);
            if (lc.found) {
                product_json(&w, &lc.p, day);
                if (l->has_weight)
                    json_kv_int(&w, "catalog_fen", lc.expect_fen);
                json_kv_bool(&w, "checked", lc.checked);
                json_kv_bool(&w, "agrees", lc.agrees);
                json_kv_int(&w, "tolerance_fen", till_scale_tolerance(t));
                if (lerr == TILL_OK)
                    json_kv_int(&w, "charge_fen", lc.charge_fen);
            }
            json_kv_bool(&w, "sellable", lerr == TILL_OK);
            if (lerr != TILL_OK)
                json_kv_string(&w, "reason", till_message(t));
            if (provider != PAYCODE_NONE)
                json_kv_string(&w, "also_payment_code", paycode_provider_name(provider));
        } else if (kind == CODE_PAYMENT) {
            json_kv_string(&w, "provider", paycode_provider_name(provider));
            json_kv_string(&w, "tender", tender_kind_name(paycode_tender_kind(provider)));
        }
        json_end_object(&w);
        printf("%s\n", sb.data);
        strbuf_free(&sb);
        /* stdout holds the one JSON document; a refusal also says what and why on stderr. */
        if (kind == CODE_REJECTED)
            cli_error("%s: %s: %s", info.code, T("拒绝", "rejected"), info.reason);
        else if (kind == CODE_PRODUCT && !found)
            cli_error("%s: %s", info.code, T("不在商品目录中", "not in the catalog"));
        else if (kind == CODE_SCALE_LABEL && lerr != TILL_OK)
            cli_error("%s: %s", info.code, till_message(t));
    } else if (kind == CODE_REJECTED) {
        cli_error("%s: %s: %s", info.code, T("拒绝", "rejected"), info.reason);
    } else if (kind == CODE_PRODUCT && found) {
        char price[MONEY_FMT_CAP];
        money_format_yuan(p.price_fen, price, sizeof price);
        fprintf(o, "%s: product %s (%s GTIN %s) %s %s/%s%s\n", info.code, p.sku,
               barcode_symbology_name(info.symbology), info.gtin13, p.name, price, p.unit,
               relief_note(&p, day));
    } else if (kind == CODE_PRODUCT) {
        fprintf(o, "%s: valid %s (GTIN %s) but not in the catalog\n", info.code,
               barcode_symbology_name(info.symbology), info.gtin13);
    } else if (kind == CODE_SCALE_LABEL) {
        const scale_label *l = &lc.label;
        fprintf(o, "%s: %s PLU %s", info.code, T("称重标签", "scale label"), info.plu);
        if (l->has_weight)
            fprintf(o, " %lldg", (long long)l->grams);
        if (l->has_price) {
            char printed[MONEY_FMT_CAP];
            money_format_yuan(l->price_fen, printed, sizeof printed);
            fprintf(o, " %s", printed);
        }
        if (lc.found) {
            char unit[MONEY_FMT_CAP], expect[MONEY_FMT_CAP];
            money_format_yuan(lc.p.price_fen, unit, sizeof unit);
            money_format_yuan(lc.expect_fen, expect, sizeof expect);
            fprintf(o, "  %s %s %s/kg%s", lc.p.sku, lc.p.name, unit, relief_note(&lc.p, day));
            if (l->has_weight)
                fprintf(o, "  %s %s", T("按目录价", "catalog"), expect);
        }
        if (lerr == TILL_OK) {
            char charge[MONEY_FMT_CAP];
            money_format_yuan(lc.charge_fen, charge, sizeof charge);
            if (lc.checked)
                fprintf(o, "  %s", T("与目录价相符", "agrees with the catalog"));
            fprintf(o, "  %s %s\n", T("收", "charge"), charge);
        } else {
            fprintf(o, "\n%s: %s\n", T("拒绝", "refused"), till_message(t));
        }
        if (provider != PAYCODE_NONE)
            fprintf(o, "  (%s: %s)\n", T("在收款界面是付款码", "on the payment screen a payment code"),
                   paycode_provider_name(provider));
    } else if (kind == CODE_PAYMENT) {
        fprintf(o, "%s: %s %s (%s)\n", info.code, T("付款码", "payment code"),
               paycode_provider_name(provider),
               T("收款时扫描；录入商品时拒收", "scanned when paying; refused as an item"));
    } else {
        fprintf(o, "%s: %s\n", info.code, code_kind_name(kind));
    }
    till_close(t);
    store_close(s);
    return rc;
}
