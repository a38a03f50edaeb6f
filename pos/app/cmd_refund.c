/* refund: a return against a committed sale, approved by the manager's PIN.
 *
 *   refund RECEIPT_NO [LINE*QTY...] --approve PIN [--uuid UUID] [--at ISO8601] [--json]
 *
 * No LINE*QTY refunds everything still refundable; LINE is the 1-based line of the sale (a
 * weighed line is refunded whole: LINE or LINE*1).  --uuid UUID is the caller's refund id: run
 * again after a lost answer, the same refund writes nothing and prints the stored one; another
 * refund under a stored UUID is refused (db/refund.h, refund_commit_uuid).  The whole refund -- document, stock back,
 * points, outbox, audit -- is one transaction in db/refund.c; this file only parses, checks
 * the PIN and prints. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "db/manager_pin.h"
#include "db/refund.h"
#include "db/store.h"
#include "pos/app/cli.h"
#include "pos/core/json.h"
#include "pos/core/sale.h"

static bool parse_pos(const char *s, int64_t max, int64_t *out)
{
    if (!s || !*s || strlen(s) > 9)
        return false;
    for (const char *c = s; *c; c++)
        if (*c < '0' || *c > '9')
            return false;
    errno = 0;
    long long v = strtoll(s, NULL, 10);
    if (errno || v < 1 || v > max)
        return false;
    *out = v;
    return true;
}

static void print_text(const refund_doc *d)
{
    char a[MONEY_FMT_CAP];
    printf("%s  %s  (%s)\n", d->refund_no, d->business_day, d->sale_receipt_no);
    for (size_t i = 0; i < d->n_lines; i++) {
        const refund_line *l = &d->lines[i];
        money_format(l->amount_fen, a, sizeof a);
        if (l->grams)
            printf("  #%-3d %-24s %6lldg  %10s\n", l->line_no, l->name, (long long)l->grams, a);
        else
            printf("  #%-3d %-24s %6lld ×  %10s\n", l->line_no, l->name, (long long)l->qty, a);
    }
    if (d->rounding_fen) {
        money_format(d->rounding_fen, a, sizeof a);
        printf("  rounding %s\n", a);
    }
    money_format(d->total_fen, a, sizeof a);
    printf("  refund total %s\n", a);
    for (size_t i = 0; i < d->n_tenders; i++) {
        money_format(d->tenders[i].amount_fen, a, sizeof a);
        printf("  -> %s %s\n", tender_kind_name(d->tenders[i].kind), a);
    }
    if (d->member_id[0])
        printf("  member %s: points reversed %lld, returned %lld\n", d->member_id,
               (long long)d->points_reversed, (long long)d->points_returned);
    if (d->points_clamped)
        printf("  note: %lld earned points could not be taken back (balance too low)\n",
               (long long)d->points_shortfall);
}

int cmd_refund(const cli_ctx *ctx)
{
    const char *receipt = NULL, *pin = NULL, *uuid = NULL;
    refund_request_line req[BASKET_MAX_LINES];
    size_t n_req = 0;
    for (int i = 0; i < ctx->argc; i++) {
        const char *a = ctx->argv[i];
        if (strcmp(a, "--approve") == 0) {
            if (i + 1 >= ctx->argc) {
                cli_error("refund: --approve needs the manager's PIN");
                return EXIT_USAGE;
            }
            pin = ctx->argv[++i];
        } else if (strcmp(a, "--uuid") == 0) {
            if (i + 1 >= ctx->argc || uuid || !sale_uuid_valid(ctx->argv[i + 1])) {
                cli_error("refund: --uuid needs one v4 UUID (xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx)");
                return EXIT_USAGE;
            }
            uuid = ctx->argv[++i];
        } else if (a[0] == '-' && a[1] == '-') {
            cli_error("refund: unknown option '%s'", a);
            return EXIT_USAGE;
        } else if (!receipt) {
            receipt = a;
        } else if (n_req == BASKET_MAX_LINES) {
            cli_error("refund: more than %d lines", BASKET_MAX_LINES);
            return EXIT_USAGE;
        } else {
            char buf[32];
            int64_t line = 0, qty = 1;
            if (strlen(a) >= sizeof buf) {
                cli_error("refund: '%.20s…' is not LINE or LINE*QTY", a);
                return EXIT_USAGE;
            }
            snprintf(buf, sizeof buf, "%s", a);
            char *star = strchr(buf, '*');
            if (star)
                *star = '\0';
            if (!parse_pos(buf, BASKET_MAX_LINES, &line) ||
                (star && !parse_pos(star + 1, 999999999, &qty))) {
                cli_error("refund: '%s' is not LINE or LINE*QTY (positive numbers)", a);
                return EXIT_USAGE;
            }
            req[n_req++] = (refund_request_line){(int)line, qty};
        }
    }
    if (!receipt) {
        cli_error("usage: refund RECEIPT_NO [LINE*QTY...] --approve PIN [--uuid UUID]");
        return EXIT_USAGE;
    }

    char msg[512] = "";
    store *s = cli_open_store(ctx, false);
    if (!s)
        return EXIT_REFUSED;
    int rc = EXIT_REFUSED;
    refund_doc *d = NULL;
    /* The PIN first: without the manager nothing is even looked up. */
    if (!pin || manager_pin_check(s, pin) != STORE_OK) {
        cli_error("refund refused, nothing written: needs manager approval%s",
                  manager_pin_is_set(s) ? (pin ? " (wrong PIN)" : " (--approve PIN)")
                                           : " (no manager PIN set: init --manager-pin PIN)");
        goto out;
    }
    d = calloc(1, sizeof *d);
    if (!d) {
        cli_error("out of memory");
        goto out;
    }
    bool stored = false;
    store_err err = refund_commit_uuid(s, uuid, receipt, req, n_req, "manager", ctx->at_utc, d,
                                       &stored, msg, sizeof msg);
    if (err) {
        cli_error("refund refused, nothing written: %s", msg);
        goto out;
    }
    if (stored)
        cli_error(T("退款 %s 已保存为 %s：本次未写入任何内容",
                    "refund %s is already stored as %s: nothing written this time"),
                  d->uuid, d->refund_no);
    /* Stored: if the document below cannot be written out, main says so with its number. */
    cli_note_stored(T("退款已保存为 %s（原单 %s，uuid %s）",
                      "refund saved as %s (receipt %s, uuid %s)"),
                    d->refund_no, d->sale_receipt_no, d->uuid);
    if (ctx->json) {
        strbuf sb;
        json_writer w;
        strbuf_init(&sb);
        json_writer_init(&w, &sb, false);
        refund_to_json(d, &w);
        printf("%s\n", sb.data ? sb.data : "{}");
        strbuf_free(&sb);
    } else {
        print_text(d);
    }
    if (d->points_clamped && !stored)
        cli_error("note: member %s had too few points: %lld earned points not taken back",
                  d->member_id, (long long)d->points_shortfall);
    rc = EXIT_DONE;
out:
    free(d);
    store_close(s);
    return rc;
}
