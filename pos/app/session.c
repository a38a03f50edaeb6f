/* session: the sale's life from payment to done.  See session.h. */
#include "pos/app/session.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/sales.h"
#include "pos/app/i18n.h"
#include "pos/app/log.h"

#define LOG_PREFIX "session"

/* The commit job: the document and the basket's voids travel together.  The session's one
 * job is reused sale after sale; while it is queued or running only the worker touches it. */
typedef struct {
    worker_job base;          /* first: the worker hands this pointer back to commit_run */
    sale_doc doc;
    basket cart;              /* for its voids (the audit row names them) */
    char fp[SALES_REQUEST_FP_CAP];   /* the caller's request, "" for none (session_request) */
    bool stored;              /* the sale was already stored: doc is the stored one (a caller's
                               * request answered by the store, or session look_up) */
    till_err err;
    const char *cause;        /* failure: the cause in the user's language (static) */
    char detail[256];         /* failure: the store's words */
    char msg[320];            /* failure: "<cause>: <detail>" */
} commit_job;

struct sale_session {
    till *t;
    worker *commit;
    session_state state;
    commit_job *job;          /* heap: a sale_doc and a basket are large */
    uint64_t job_id;          /* the commit in flight, 0 when none */
    char req_uuid[SALE_UUID_CAP];        /* the caller's request (session_request), "" none */
    char req_fp[SALES_REQUEST_FP_CAP];
    char done_member[MASK_CAP];
    int64_t done_balance;
    sale_doc *stored;         /* scratch for look_up */
    promo_result *done_priced;   /* the committed sale's pricing (its cashier notes) */
    printing *printer;        /* NULL: no printer (`sell`, tests) */
};

/* Commit j through db (the worker's handle, or the till's own); NULL db: open_msg says why. */
static void commit_job_run(commit_job *j, store *db, const char *open_msg)
{
    j->cause = "";
    j->detail[0] = '\0';
    if (!db) {
        j->err = TILL_ERR_STORE;
        j->cause = i18n_store_error(STORE_ERR_IO);
        snprintf(j->detail, sizeof j->detail, "%s", open_msg);
    } else {
        j->stored = false;
        /* Only a caller's request asks whether its sale was already there: a screen sale's
         * retry is the very document, answered with its receipt (sales_commit). */
        j->err = till_commit_sale(db, &j->doc, &j->cart, j->fp[0] ? j->fp : NULL,
                                  j->fp[0] ? &j->stored : NULL, &j->cause, j->detail,
                                  sizeof j->detail);
        /* The request's sale was already stored (a concurrent call won): report that sale as
         * it was stored, not this call's pricing of it. */
        char uuid[SALE_UUID_CAP];
        snprintf(uuid, sizeof uuid, "%s", j->doc.uuid);
        store_err se;
        if (j->err == TILL_OK && j->stored && (se = sales_load(db, uuid, &j->doc))) {
            j->err = TILL_ERR_STORE;
            j->cause = i18n_store_error(se);
            snprintf(j->detail, sizeof j->detail, "%s", store_last_error(db));
        }
    }
    if (j->err == TILL_OK)
        j->msg[0] = '\0';
    else
        snprintf(j->msg, sizeof j->msg, "%s%s%s", j->cause, j->detail[0] ? ": " : "", j->detail);
}

/* On the worker's thread, with the worker's store handle. */
static bool commit_run(worker_job *base, store *db, const char *open_msg, evq_event *done)
{
    commit_job *j = (commit_job *)base;
    done->kind = EVQ_COMMIT_DONE;
    commit_job_run(j, db, open_msg);
    done->status = (int32_t)j->err;
    snprintf(done->text, sizeof done->text, "%s", j->doc.receipt_no);
    /* After a store error the handle may be wedged (the disk came back read-write, say):
     * reopen before the next attempt rather than retry on a poisoned connection. */
    return j->err != TILL_ERR_STORE;
}

sale_session *session_create(till *t, worker *commit)
{
    sale_session *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->job = calloc(1, sizeof *s->job);
    s->stored = calloc(1, sizeof *s->stored);
    s->done_priced = calloc(1, sizeof *s->done_priced);
    if (!s->job || !s->stored || !s->done_priced) {
        session_destroy(s);
        return NULL;
    }
    s->t = t;
    s->commit = commit;
    s->state = SESSION_ITEMS;
    return s;
}

void session_set_printing(sale_session *s, printing *p)
{
    s->printer = p;
}

void session_destroy(sale_session *s)
{
    if (!s)
        return;
    free(s->job);
    free(s->stored);
    free(s->done_priced);
    free(s);
}

session_state session_state_get(const sale_session *s)
{
    return s->state;
}

const char *session_state_name(session_state st)
{
    switch (st) {
    case SESSION_ITEMS: return "items";
    case SESSION_PAYING: return "paying";
    case SESSION_COMMITTING: return "committing";
    case SESSION_PRINTING: return "printing";
    case SESSION_DONE: return "done";
    case SESSION_FAILED: return "failed";
    }
    return "?";
}

bool session_busy(const sale_session *s)
{
    return s->state == SESSION_COMMITTING || s->state == SESSION_PRINTING;
}

void session_begin(sale_session *s)
{
    if (s->state == SESSION_DONE)
        s->state = SESSION_ITEMS;
}

till_err session_start_pay(sale_session *s)
{
    if (session_busy(s))
        return TILL_ERR_BUSY;
    if (s->state == SESSION_PAYING || s->state == SESSION_FAILED)
        return TILL_OK;
    if (till_basket(s->t)->n_lines == 0)
        return TILL_ERR_BASKET;
    s->state = SESSION_PAYING;
    return TILL_OK;
}

/* The sale reached the disk: hand it to the printer (queued: nothing here waits for paper),
 * then done.  The member as shown and their new balance are kept before the till forgets
 * them. */
static void committed(sale_session *s)
{
    const sale_doc *d = &s->job->doc;
    s->state = SESSION_PRINTING;
    if (s->printer) {
        /* A sale that cannot be queued for printing is still a sale (the screen is told). */
        print_err pe = printing_submit_sale(s->printer, d);
        if (pe != PRINT_OK)
            log_err("sale %s: not queued for printing: %s", d->receipt_no, print_strerror(pe));
    }
    snprintf(s->done_member, sizeof s->done_member, "%s", till_member_masked(s->t));
    s->done_balance = till_member_balance(s->t) - d->points_redeemed + d->points_earned;
    *s->done_priced = *till_pricing(s->t);
    till_next_sale(s->t);
    /* A caller's request names one sale: it is used up. */
    s->req_uuid[0] = '\0';
    s->req_fp[0] = '\0';
    s->state = SESSION_DONE;
}

typedef enum { FOUND_NONE, FOUND_OURS, FOUND_OTHER } found_kind;

/* Is uuid stored, and whose is it?  FOUND_OURS (s->stored holds it): the session's own document
 * when it has no caller's request (its UUID is its own, drawn at random), or a sale made by the
 * same request (equal fingerprints); FOUND_OTHER: made by another request or, while the session
 * has a request, by none (a screen sale).  Read on the till's own handle. */
static store_err look_up(sale_session *s, const char *uuid, found_kind *found)
{
    store *db = till_store(s->t);
    *found = FOUND_NONE;
    store_err se = sales_load(db, uuid, s->stored);
    if (se == STORE_ERR_NOT_FOUND)
        return STORE_OK;
    if (se != STORE_OK)
        return se;
    *found = FOUND_OURS;
    if (s->req_fp[0]) {
        char fp[SALES_REQUEST_FP_CAP];
        if ((se = sales_request_fingerprint(db, uuid, fp)) != STORE_OK)
            return se;
        if (strcmp(fp, s->req_fp) != 0)
            *found = FOUND_OTHER;
    }
    return STORE_OK;
}

static till_err uuid_taken(sale_session *s, const char *uuid)
{
    return till_say(s->t, TILL_ERR_UUID_TAKEN,
                    i18n_is_en() ? "sale id %s is already sale %s, made by another request"
                                 : "销售编号 %s 已是另一请求所做的交易 %s",
                    uuid, s->stored->receipt_no);
}

/* The stored sale s->stored is this session's: DONE with it, nothing written. */
static void done_with_stored(sale_session *s)
{
    s->job->doc = *s->stored;
    s->job->stored = true;
    committed(s);
}

/* Before a failed document is dropped (a changed tender, cancelling, other goods or member):
 * did it land after all?  A commit can reach the disk and still report failure (the answer
 * lost on the way back), and the next document would have a new UUID, so the store's
 * idempotency could not catch a second sale.  So the session asks the store, on its own
 * handle, for the failed UUID:
 *   not there   → the document is dropped (FAILED → PAYING) and the change goes ahead;
 *   there       → that sale is done: DONE with its receipt, the change is not applied
 *                 (TILL_ERR_ALREADY_SAVED, the till's message says so);
 *   no answer   → the failed document is kept (a retry stays idempotent) and the change is
 *                 refused (TILL_ERR_STORE, with the UUID and the cause). */
static till_err settle_failed(sale_session *s)
{
    if (s->state != SESSION_FAILED)
        return TILL_OK;
    const char *uuid = s->job->doc.uuid;
    store *db = till_store(s->t);
    found_kind found;
    store_err se = look_up(s, uuid, &found);
    if (se == STORE_OK && found == FOUND_NONE) {
        s->state = SESSION_PAYING;
        return TILL_OK;
    }
    if (se != STORE_OK) {
        return till_say(s->t, TILL_ERR_STORE,
                        i18n_is_en() ? "cannot tell whether the failed sale %s was saved (%s: %s): "
                                       "it is kept and nothing changed; retry it"
                                     : "无法确认保存失败的交易 %s 是否已记录（%s：%s）："
                                       "交易保留未改，请重试保存",
                        uuid, i18n_store_error(se), store_last_error(db));
    }
    if (found == FOUND_OTHER)
        return uuid_taken(s, uuid);   /* stays FAILED: that UUID can never be this sale's */
    done_with_stored(s);
    return till_say(s->t, TILL_ERR_ALREADY_SAVED,
                    i18n_is_en() ? "the failed save had in fact been recorded: sale %s is done "
                                   "(not taken twice)"
                                 : "上次保存其实已成功：交易 %s 已记录（不会重复收款）",
                    s->job->doc.receipt_no);
}

till_err session_cancel_pay(sale_session *s)
{
    if (s->state != SESSION_PAYING && s->state != SESSION_FAILED)
        return TILL_OK;
    till_err e = settle_failed(s);
    if (e != TILL_OK)
        return e;
    till_clear_tenders(s->t, false);
    s->state = SESSION_ITEMS;
    return TILL_OK;
}

till_err session_drop_failed(sale_session *s)
{
    return settle_failed(s);
}

static void commit_finished(sale_session *s)
{
    s->job_id = 0;
    if (s->job->err == TILL_OK) {
        committed(s);
        return;
    }
    /* The caller reports the failure (the screen's message and log, `sell`'s stderr). */
    s->state = SESSION_FAILED;
}

/* Hand the job to the worker, or commit here when there is none. */
static till_err submit(sale_session *s)
{
    s->job->err = TILL_OK;
    s->job->stored = false;
    s->job->msg[0] = '\0';
    s->job->cause = "";
    s->job->cart = *till_basket(s->t);
    snprintf(s->job->fp, sizeof s->job->fp, "%s", s->req_fp);
    if (s->commit) {
        s->job->base.run = commit_run;
        s->job_id = worker_submit(s->commit, &s->job->base);
        if (s->job_id == 0) {
            s->job->err = TILL_ERR_STORE;
            s->job->cause = i18n_store_error(STORE_ERR_INTERNAL);
            snprintf(s->job->msg, sizeof s->job->msg, "%s: %s", s->job->cause,
                     "the commit worker is stopping");
            s->state = SESSION_FAILED;
            return TILL_ERR_STORE;
        }
        s->state = SESSION_COMMITTING;
        return TILL_OK;
    }
    s->state = SESSION_COMMITTING;
    commit_job_run(s->job, till_store(s->t), "");
    commit_finished(s);
    return s->job->err;
}

till_err session_request(sale_session *s, const char *uuid, const char *fingerprint)
{
    if (s->state != SESSION_ITEMS && s->state != SESSION_DONE)
        return session_busy(s) ? TILL_ERR_BUSY : TILL_ERR_BASKET;
    if (till_basket(s->t)->n_lines != 0)
        return TILL_ERR_BASKET;
    if (!uuid || !sale_uuid_valid(uuid))
        return till_say(s->t, TILL_ERR_UUID_TAKEN, "%s %s",
                        i18n_is_en() ? "not a v4 UUID:" : "不是 v4 UUID：", uuid ? uuid : "");
    if (!sales_request_fp_valid(fingerprint))
        return till_say(s->t, TILL_ERR_UUID_TAKEN, "%s",
                        i18n_is_en() ? "a request fingerprint is 64 lowercase hex digits"
                                     : "请求指纹须为 64 位小写十六进制");
    session_begin(s);
    snprintf(s->req_uuid, sizeof s->req_uuid, "%s", uuid);
    snprintf(s->req_fp, sizeof s->req_fp, "%s", fingerprint);
    found_kind found;
    store_err se = look_up(s, uuid, &found);
    if (se != STORE_OK) {
        s->req_uuid[0] = s->req_fp[0] = '\0';
        return till_say(s->t, TILL_ERR_STORE,
                        i18n_is_en() ? "cannot tell whether sale id %s is stored (%s: %s)"
                                     : "无法确认销售编号 %s 是否已记录（%s：%s）",
                        uuid, i18n_store_error(se), store_last_error(till_store(s->t)));
    }
    if (found == FOUND_OTHER) {
        s->req_uuid[0] = s->req_fp[0] = '\0';
        return uuid_taken(s, uuid);
    }
    if (found == FOUND_NONE)
        return TILL_OK;
    done_with_stored(s);
    return till_say(s->t, TILL_ERR_ALREADY_SAVED,
                    i18n_is_en() ? "sale id %s is already stored as %s"
                                 : "销售编号 %s 已保存为 %s",
                    uuid, s->job->doc.receipt_no);
}

till_err session_pay(sale_session *s, int64_t now_utc)
{
    if (s->state != SESSION_PAYING)
        return session_busy(s) ? TILL_ERR_BUSY : TILL_ERR_PAYMENT;
    till_err e = till_prepare_sale(s->t, now_utc, &s->job->doc);
    if (e != TILL_OK)
        return e;
    if (s->req_uuid[0])
        snprintf(s->job->doc.uuid, sizeof s->job->doc.uuid, "%s", s->req_uuid);
    return submit(s);
}

till_err session_retry(sale_session *s)
{
    if (s->state != SESSION_FAILED)
        return session_busy(s) ? TILL_ERR_BUSY : TILL_ERR_PAYMENT;
    /* The same document, the same UUID: if the first attempt did land, the store answers
     * with its receipt instead of writing the sale again. */
    return submit(s);
}

bool session_on_event(sale_session *s, const evq_event *ev)
{
    if (ev->kind != EVQ_COMMIT_DONE || s->state != SESSION_COMMITTING || ev->job != s->job_id)
        return false;
    commit_finished(s);
    return true;
}

const sale_doc *session_doc(const sale_session *s)
{
    return s->state == SESSION_DONE || s->state == SESSION_FAILED ? &s->job->doc : NULL;
}

bool session_was_stored(const sale_session *s)
{
    return s->state == SESSION_DONE && s->job->stored;
}

const char *session_error(const sale_session *s)
{
    return s->state == SESSION_FAILED ? s->job->msg : "";
}

const char *session_error_cause(const sale_session *s)
{
    return s->state == SESSION_FAILED && s->job->cause ? s->job->cause : "";
}

const char *session_done_member(const sale_session *s)
{
    return s->done_member;
}

int64_t session_done_balance(const sale_session *s)
{
    return s->done_balance;
}

const promo_result *session_done_pricing(const sale_session *s)
{
    return s->done_priced;
}

static till_err apply_goods(sale_session *s, const session_cmd *c)
{
    till *t = s->t;
    till_err e;
    switch (c->kind) {
    case SESSION_CMD_SCAN:
        e = till_scan_at_scale(t, c->text, c->qty, c->grams, c->stable, c->line_out, c->info);
        break;
    case SESSION_CMD_ADD_WEIGHED:
        e = till_add_weighed(t, c->text, c->grams, c->line_out);
        break;
    default:
        e = till_add_sku(t, c->text, c->qty, c->grams, c->stable, c->line_out);
        break;
    }
    if (e == TILL_OK)
        session_begin(s);
    return e;
}

till_err session_apply(sale_session *s, const session_cmd *c)
{
    till *t = s->t;
    /* A fresh message for what changes goods, member or payment; tender edits (every keystroke
     * of a typed amount) leave what the last command said. */
    if (c->kind != SESSION_CMD_CLEAR_TENDERS && c->kind != SESSION_CMD_TENDER &&
        c->kind != SESSION_CMD_START_PAY && c->kind != SESSION_CMD_CANCEL_PAY &&
        c->kind != SESSION_CMD_RETRY)
        till_clear_message(t);
    if (session_busy(s))
        return TILL_ERR_BUSY;
    /* Everything but paying (again) changes the sale, and so drops a failed document: first
     * make sure it did not land after all. */
    if (c->kind != SESSION_CMD_START_PAY && c->kind != SESSION_CMD_PAY &&
        c->kind != SESSION_CMD_RETRY) {
        till_err e = settle_failed(s);
        if (e != TILL_OK)
            return e;
    }
    switch (c->kind) {
    case SESSION_CMD_SCAN:
    case SESSION_CMD_ADD_WEIGHED:
    case SESSION_CMD_ADD_SKU:
        return apply_goods(s, c);
    case SESSION_CMD_SET_QTY:
        return till_set_qty(t, c->line, c->qty);
    case SESSION_CMD_VOID:
        return till_void(t, c->line);
    case SESSION_CMD_MEMBER:
        return till_set_member(t, c->text);
    case SESSION_CMD_ORG:
        return till_set_org(t, c->text);
    case SESSION_CMD_START_PAY:
        return session_start_pay(s);
    case SESSION_CMD_CANCEL_PAY:
        session_cancel_pay(s);
        till_clear_tenders(t, false);
        return TILL_OK;
    case SESSION_CMD_CLEAR_TENDERS:
        till_clear_tenders(t, true);
        return TILL_OK;
    case SESSION_CMD_TENDER:
        return till_tender(t, c->tender, c->fen);
    case SESSION_CMD_POINTS:
        return till_pay_points(t, c->fen);
    case SESSION_CMD_PAY_CODE:
        return till_pay_by_code(t, c->text, c->info);
    case SESSION_CMD_PAY:
        return session_pay(s, c->now_utc);
    case SESSION_CMD_RETRY:
        return session_retry(s);
    }
    return TILL_ERR_BASKET;
}
