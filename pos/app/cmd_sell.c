/* sell: a headless sale through the till -- the same scan, basket, check and commit the sale
 * screen uses.  ITEM is CODE (a retail barcode or an in-store scale label), CODE*QTY or
 * PLU@GRAMS (a typed, stable gross weight: the product's tare comes off); --tender KIND:FEN,
 * repeatable.  A customer payment code given as an ITEM is refused like on the item screen.
 * --member CARD|PHONE attaches a member (members-only rules, points); --org ID an organisation
 * buying 以购代捐.  --tender points:FEN pays FEN fen with points at points.redeem_rate, within
 * the per-sale cap and the member's balance.  Pricing is the till's (till_reprice), the same
 * function `price` and the screen use.
 *
 * The sale's life is the screen's sale session (session.h), driven here by direct calls with no
 * commit worker: a one-shot command has nothing else to do while the commit runs, so a thread,
 * a second store handle (opening one checks the schema) and a queue round trip would add cost
 * and no behaviour; the states, the document and the commit function are the same.
 * --uuid UUID is the caller's sale id and an idempotency key for the REQUEST (request_fingerprint
 * below): it is looked up before anything is rung up, so the identical command again writes
 * nothing and reports the stored sale (exit 0) even when the points it spent or a product it
 * sold are gone since, and another request under that UUID is refused (exit 1).  Once committed, a document that cannot be written out (full disk, closed pipe;
 * SIGPIPE is ignored in main so the write error is seen) exits EXIT_OUTPUT with the receipt
 * number on stderr (cli_note_stored / cli_check_output, shared with every command). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/sha256.h"
#include "pos/app/cli.h"
#include "pos/app/i18n.h"
#include "pos/app/session.h"
#include "pos/app/till.h"
#include "pos/core/json.h"

static bool parse_int(const char *s, int64_t *out)
{
    if (!s || !*s)
        return false;
    for (const char *c = s; *c; c++)
        if (*c < '0' || *c > '9')
            return false;
    errno = 0;
    long long v = strtoll(s, NULL, 10);
    if (errno)
        return false;
    *out = v;
    return true;
}

/* A code the classifier refused: the same words as `scan` (the code as scanned, as a
 * printable excerpt, and the precise cause: check digit, length, a full-width digit), after
 * which item it was. */
static void bad_code(size_t i, const code_info *info)
{
    cli_error("item %zu: %s: %s: %s", i + 1, info->code, T("拒绝", "rejected"), info->reason);
}

/* One "<tag> <byte length>:<text>" record of the request. */
static void feed_text(sha256_ctx *c, const char *tag, const char *text)
{
    char rec[32];
    size_t n = strlen(text);
    int k = snprintf(rec, sizeof rec, "%s %zu:", tag, n);
    sha256_update(c, rec, (size_t)k);
    sha256_update(c, text, n);
    sha256_update(c, "\n", 1);
}

/* The request's fingerprint: SHA-256 (lowercase hex) of this canonical text, one record a line,
 * in this order:
 *
 *     fupin-sell-request/1
 *     item <byte length>:<ITEM exactly as given>        one per ITEM, in the order given
 *     tender <kind>:<fen>                               one per --tender, in the order given
 *     member <byte length>:<CARD|PHONE as given>        or "org <length>:<ID>", or nothing
 *
 * <kind> is the tender's canonical name (cash, wechat, alipay, unionpay, points) and <fen> its
 * amount in decimal without leading zeros; the lengths make every text unambiguous.  --at,
 * --json, --db and --lang are not part of the request: a retry later, or asking for JSON this
 * time, is the same request.  Items or tenders in another order, split differently, another
 * member (or none), --org for --member: another request.  docs/CLI.md says the same. */
static void request_fingerprint(const char *const *items, size_t n_items,
                                const tender_kind *kinds, const int64_t *fens, size_t n_tenders,
                                const char *member_key, bool member_is_org,
                                char out[SHA256_HEX_CAP])
{
    sha256_ctx c;
    char rec[64];
    sha256_init(&c);
    sha256_update(&c, "fupin-sell-request/1\n", strlen("fupin-sell-request/1\n"));
    for (size_t i = 0; i < n_items; i++)
        feed_text(&c, "item", items[i]);
    for (size_t i = 0; i < n_tenders; i++) {
        int n = snprintf(rec, sizeof rec, "tender %s:%lld\n", tender_kind_name(kinds[i]),
                         (long long)fens[i]);
        sha256_update(&c, rec, (size_t)n);
    }
    if (member_key)
        feed_text(&c, member_is_org ? "org" : "member", member_key);
    uint8_t digest[SHA256_DIGEST_LEN];
    sha256_final(&c, digest);
    sha256_to_hex(digest, out);
}

static void print_sale_text(const sale_doc *d)
{
    char a[MONEY_FMT_CAP], b[MONEY_FMT_CAP];
    printf("%s  %s\n", d->receipt_no, d->business_day);
    for (size_t i = 0; i < d->n_lines; i++) {
        const sale_line *l = &d->lines[i];
        money_format(l->unit_price_fen, a, sizeof a);
        money_format(l->amount_fen - l->discount_fen, b, sizeof b);
        if (l->grams)
            printf("  %-24s %6lldg × %s/kg  %10s\n", l->name, (long long)l->grams, a, b);
        else
            printf("  %-24s %6lld × %s  %10s\n", l->name, (long long)l->qty, a, b);
    }
    money_format(d->total_fen, a, sizeof a);
    printf("  %s %s\n", i18n_text(I18N_TOTAL), a);
    if (d->rounding_fen) {
        money_format(d->rounding_fen, a, sizeof a);
        printf("  %s %s\n", i18n_text(I18N_ROUNDING), a);
    }
    money_format(d->due_fen, a, sizeof a);
    printf("  %s %s\n", i18n_text(I18N_DUE), a);
    for (size_t i = 0; i < d->n_tenders; i++) {
        money_format(d->tenders[i].amount_fen, a, sizeof a);
        printf("  %s %s\n", tender_kind_name(d->tenders[i].kind), a);
    }
    money_format(d->change_fen, a, sizeof a);
    printf("  %s %s\n", i18n_text(I18N_CHANGE), a);
    for (size_t i = 0; i < d->n_applied; i++) {
        money_format(d->applied[i].amount_fen, a, sizeof a);
        printf("  %s %s\n", d->applied[i].label, a);
    }
    for (size_t i = 0; i < d->n_gifts; i++)
        printf("  %s %s ×%lld\n", i18n_is_en() ? "Gift" : "赠品", d->gifts[i].sku,
               (long long)d->gifts[i].qty);
    if (d->member_id[0])
        printf("  %s %s  +%lld / -%lld\n", i18n_is_en() ? "Member" : "会员", d->member_id,
               (long long)d->points_earned, (long long)d->points_redeemed);
}

int cmd_sell(const cli_ctx *ctx)
{
    const char *items[BASKET_MAX_LINES];
    size_t n_items = 0;
    tender_kind kinds[BASKET_MAX_TENDERS];
    int64_t fens[BASKET_MAX_TENDERS];
    size_t n_tenders = 0;
    const char *member_key = NULL;
    const char *uuid = NULL;
    bool member_is_org = false;
    for (int i = 0; i < ctx->argc; i++) {
        const char *a = ctx->argv[i];
        if (strcmp(a, "--tender") == 0) {
            if (i + 1 >= ctx->argc || n_tenders == BASKET_MAX_TENDERS) {
                cli_error("sell: --tender needs KIND:FEN (at most %d tenders)", BASKET_MAX_TENDERS);
                return EXIT_USAGE;
            }
            const char *spec = ctx->argv[++i];
            const char *colon = strchr(spec, ':');
            char kind[16];
            if (!colon || (size_t)(colon - spec) >= sizeof kind) {
                cli_error("sell: tender '%s' is not KIND:FEN", spec);
                return EXIT_USAGE;
            }
            memcpy(kind, spec, (size_t)(colon - spec));
            kind[colon - spec] = '\0';
            if (!tender_kind_parse(kind, &kinds[n_tenders])) {
                cli_error("sell: unknown tender kind '%s' (cash, wechat, alipay, unionpay, points)", kind);
                return EXIT_USAGE;
            }
            if (!parse_int(colon + 1, &fens[n_tenders]) || fens[n_tenders] <= 0) {
                cli_error("sell: tender amount '%s' must be a positive number of fen", colon + 1);
                return EXIT_USAGE;
            }
            n_tenders++;
        } else if (strcmp(a, "--member") == 0 || strcmp(a, "--org") == 0) {
            if (i + 1 >= ctx->argc || member_key) {
                cli_error("sell: give one --member CARD|PHONE or --org ID");
                return EXIT_USAGE;
            }
            member_is_org = strcmp(a, "--org") == 0;
            member_key = ctx->argv[++i];
        } else if (strcmp(a, "--uuid") == 0) {
            if (i + 1 >= ctx->argc || uuid || !sale_uuid_valid(ctx->argv[i + 1])) {
                cli_error("sell: --uuid needs one v4 UUID (xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx)");
                return EXIT_USAGE;
            }
            uuid = ctx->argv[++i];
        } else if (a[0] == '-' && a[1] == '-') {
            cli_error("sell: unknown option '%s'", a);
            return EXIT_USAGE;
        } else if (n_items == BASKET_MAX_LINES) {
            cli_error("sell: more than %d items", BASKET_MAX_LINES);
            return EXIT_USAGE;
        } else {
            items[n_items++] = a;
        }
    }
    if (n_items == 0 || n_tenders == 0) {
        cli_error("usage: sell ITEM... --tender KIND:FEN...   (ITEM = CODE, CODE*QTY or PLU@GRAMS)");
        return EXIT_USAGE;
    }

    till *t = NULL;
    char msg[512] = "";
    if (till_open(&t, ctx->db_path, false, msg, sizeof msg) != STORE_OK) {
        cli_error("cannot open %s: %s", ctx->db_path, msg);
        return EXIT_REFUSED;
    }
    /* --at is "now" for the business day's rules too (a certificate valid through a day). */
    till_set_now(t, ctx->at_utc);
    int rc = EXIT_REFUSED;
    sale_session *s = session_create(t, NULL);
    if (!s) {
        cli_error("out of memory");
        goto out;
    }
    /* The caller's UUID first, before anything is rung up: a stored request is answered as it
     * was stored, whatever ringing it up again would say now. */
    if (uuid) {
        char fp[SHA256_HEX_CAP];
        request_fingerprint(items, n_items, kinds, fens, n_tenders, member_key, member_is_org, fp);
        till_err re = session_request(s, uuid, fp);
        if (re == TILL_ERR_ALREADY_SAVED)
            goto report;
        if (re != TILL_OK) {
            cli_error("%s", till_message(t));
            goto out;
        }
    }
    /* The member first: members-only rules price every line as it is scanned. */
    if (member_key) {
        session_cmd mc = {.kind = member_is_org ? SESSION_CMD_ORG : SESSION_CMD_MEMBER,
                          .text = member_key};
        if (session_apply(s, &mc) != TILL_OK) {
            cli_error("%s", till_message(t));
            goto out;
        }
    }
    for (size_t i = 0; i < n_items; i++) {
        char code[BARCODE_MAX_LEN + 1];
        code_info info;
        memset(&info, 0, sizeof info);
        if (strlen(items[i]) >= sizeof code) {
            /* Too long to be any code: the classifier says so, as `scan` would. */
            if (till_classify_item(t, items[i], &info) == CODE_REJECTED && info.reason[0])
                bad_code(i, &info);
            else
                cli_error("item %zu '%.20s…': code too long", i + 1, items[i]);
            goto out;
        }
        snprintf(code, sizeof code, "%s", items[i]);
        char *star = strchr(code, '*'), *at = strchr(code, '@');
        int64_t n = 1;
        till_err err;
        if ((star && at) || (star && !parse_int(star + 1, &n)) || (at && !parse_int(at + 1, &n))) {
            cli_error("item %zu '%s': expected CODE, CODE*QTY or PLU@GRAMS", i + 1, items[i]);
            rc = EXIT_USAGE;
            goto out;
        }
        if (star)
            *star = '\0';
        session_cmd ic = {.kind = SESSION_CMD_SCAN, .text = code, .qty = n, .info = &info};
        if (at) {
            *at = '\0';
            ic = (session_cmd){.kind = SESSION_CMD_ADD_WEIGHED, .text = code, .grams = n};
        }
        err = session_apply(s, &ic);
        if (err == TILL_ERR_CODE && !at && info.kind == CODE_REJECTED && info.reason[0]) {
            bad_code(i, &info);
            goto out;
        }
        if (err != TILL_OK) {
            cli_error("item %zu '%s': %s", i + 1, items[i], till_message(t));
            goto out;
        }
    }
    session_cmd pay = {.kind = SESSION_CMD_START_PAY};
    if (session_apply(s, &pay) != TILL_OK) {
        cli_error("%s", till_message(t));
        goto out;
    }
    for (size_t i = 0; i < n_tenders; i++) {
        session_cmd tc = {.kind = SESSION_CMD_TENDER, .tender = kinds[i], .fen = fens[i]};
        if (session_apply(s, &tc) != TILL_OK) {
            cli_error("tender %zu: %s", i + 1, till_message(t));
            goto out;
        }
    }
    pay = (session_cmd){.kind = SESSION_CMD_PAY, .now_utc = ctx->at_utc};
    till_err pe = session_apply(s, &pay);
    if (pe != TILL_OK && session_state_get(s) == SESSION_FAILED && uuid) {
        /* Under a caller's UUID a failure may be a concurrent call that stored it first: ask
         * the store before saying nothing was written. */
        char why[320];
        snprintf(why, sizeof why, "%s", session_error(s));
        till_err de = session_drop_failed(s);
        if (de == TILL_ERR_ALREADY_SAVED)
            goto report;
        if (de == TILL_OK)
            cli_error("sale not saved, nothing written: %s", why);
        else
            cli_error("%s", till_message(t));
        goto out;
    }
    if (pe != TILL_OK) {
        if (session_state_get(s) == SESSION_FAILED)
            cli_error("sale not saved, nothing written: %s", session_error(s));
        else
            cli_error("%s", till_message(t));
        goto out;
    }
report:;
    const sale_doc *doc = session_doc(s);
    cli_note_stored(T("交易已保存为 %s（%s）", "sale saved as %s (uuid %s)"), doc->receipt_no,
                    doc->uuid);
    if (session_was_stored(s))
        cli_error(T("销售 %s 已保存为 %s：本次未写入任何内容", "sale %s is already stored as %s: nothing written this time"),
                  doc->uuid, doc->receipt_no);
    if (ctx->json) {
        strbuf sb;
        json_writer w;
        strbuf_init(&sb);
        json_writer_init(&w, &sb, false);
        sale_to_json(doc, &w);
        printf("%s\n", sb.data);
        strbuf_free(&sb);
    } else {
        print_sale_text(doc);
    }
    /* The sale is on disk whatever happens to its output: a write error (full disk, closed
     * pipe) is reported as such, with the receipt number, so a retrying script knows. */
    if ((rc = cli_check_output()) != EXIT_DONE)
        goto out;
    /* The cashier's notes (gift substituted or skipped, "再购…可享…") on stderr: stdout keeps
     * one document. */
    const promo_result *notes = session_done_pricing(s);
    if (!session_was_stored(s))
        for (size_t i = 0; i < notes->n_messages; i++)
            fprintf(stderr, "%s\n", notes->messages[i].text);
    rc = EXIT_DONE;
out:
    session_destroy(s);
    till_close(t);
    return rc;
}
