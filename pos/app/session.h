/* session: the life of one sale after its goods are rung up, for the screen and `sell` alike.
 *
 *     ITEMS ──start_pay──▶ PAYING ──pay──▶ COMMITTING ──ok──▶ PRINTING ──▶ DONE ──begin──▶ ITEMS
 *       ▲                    │  ▲              │                              
 *       └────cancel_pay──────┘  └─drop_failed─ FAILED ◀──error──┘  (retry: FAILED ─▶ COMMITTING)
 *
 * The till (till.h) owns the basket, pricing and members; the session owns what happens to the
 * document: it is prepared once (till_prepare_sale: UUID, number-less document), committed by
 * the commit worker (or on the caller's thread when there is none: `sell`, tests), and on a
 * failure kept whole, so a retry commits the same UUID -- the store answers a UUID it already
 * holds with the stored receipt, so a commit whose answer was lost is never written twice.
 * A failed document is never dropped blind either: before anything that would discard it (a
 * changed tender, cancelling, other goods or member -- the next document would have a new
 * UUID) the session looks its UUID up in the store on its own handle; if it landed, the sale is
 * done with that receipt (TILL_ERR_ALREADY_SAVED: the change is not applied), and if the
 * look-up fails the document is kept and the change refused (TILL_ERR_STORE).
 * PRINTING hands the committed sale to the printer (session_set_printing: a drawer kick for a
 * cash tender, then the slip, both queued on the print queue's thread) and goes to DONE at
 * once: the sale is durable before anything is printed, and the next shopper never waits for
 * the printer.  Without a printer (`sell`, tests) it passes straight through.  While COMMITTING the basket and document belong to the worker:
 * the caller must not change the till (session_busy says so). */
#ifndef FUPIN_APP_SESSION_H
#define FUPIN_APP_SESSION_H

#include <stdbool.h>
#include <stdint.h>

#include "pos/app/evq.h"
#include "pos/app/printing.h"
#include "pos/app/till.h"
#include "pos/app/worker.h"

typedef enum {
    SESSION_ITEMS = 0,
    SESSION_PAYING,
    SESSION_COMMITTING,
    SESSION_PRINTING,
    SESSION_DONE,
    SESSION_FAILED,
} session_state;

typedef struct sale_session sale_session;

/* What a screen or `sell` asks of the sale: the one way the basket, the member and the tenders
 * change (session_apply).  Fields a kind does not use are ignored. */
typedef enum {
    SESSION_CMD_SCAN,          /* text = code, qty; grams/stable = the scale's reading (0: none) */
    SESSION_CMD_ADD_WEIGHED,   /* text = PLU or code, grams = a typed gross weight (stable) */
    SESSION_CMD_ADD_SKU,       /* text = SKU (search pane), qty, grams/stable for weighed goods */
    SESSION_CMD_SET_QTY,       /* line, qty */
    SESSION_CMD_VOID,          /* line */
    SESSION_CMD_MEMBER,        /* text = card or phone; NULL or "" removes the member */
    SESSION_CMD_ORG,           /* text = an organisation's id (以购代捐) */
    SESSION_CMD_START_PAY,
    SESSION_CMD_CANCEL_PAY,
    SESSION_CMD_CLEAR_TENDERS, /* every tender but what points pay (F8 stays), message kept */
    SESSION_CMD_TENDER,        /* tender, fen (points: fen of value) */
    SESSION_CMD_POINTS,        /* fen of value; < 0: as much as cap, balance and rest allow */
    SESSION_CMD_PAY_CODE,      /* text = the customer's payment code: pays what is left */
    SESSION_CMD_PAY,           /* now_utc */
    SESSION_CMD_RETRY,         /* a failed commit, the same document again */
} session_cmd_kind;

typedef struct {
    session_cmd_kind kind;
    const char *text;
    int64_t qty;
    int64_t grams;
    bool stable;
    size_t line;
    tender_kind tender;
    fen_t fen;
    int64_t now_utc;
    size_t *line_out;          /* SCAN / ADD_*: the line added or merged into (may be NULL) */
    code_info *info;           /* SCAN / PAY_CODE: what the code was (may be NULL) */
} session_cmd;

/* A session over the till t (not owned).  commit: the commit worker (its results reach the
 * session through session_on_event), or NULL to commit on the caller's thread through the
 * till's own store handle.  NULL when out of memory. */
sale_session *session_create(till *t, worker *commit);
/* Print each committed sale on p (not owned; NULL: no printer, the default). */
void session_set_printing(sale_session *s, printing *p);
/* The caller stops the worker first (a job in flight refers to the session's document). */
void session_destroy(sale_session *s);

session_state session_state_get(const sale_session *s);
const char *session_state_name(session_state st);
/* A commit is in flight: the basket and the document must not change. */
bool session_busy(const sale_session *s);

/* Apply cmd.  The till's message is cleared first and says what happened (or why not) after.
 * While a commit is in flight nothing changes (TILL_ERR_BUSY): the basket on screen is the one
 * being written.  Goods added while DONE start the next sale (session_begin).  While FAILED,
 * every command but START_PAY, PAY and RETRY first settles the failed document
 * (session_drop_failed): TILL_ERR_ALREADY_SAVED (DONE with the stored sale, cmd not applied)
 * or TILL_ERR_STORE (no answer: FAILED kept, cmd not applied) are returned as they are. */
till_err session_apply(sale_session *s, const session_cmd *cmd);

/* ITEMS/DONE → ITEMS: the next shopper's first item (ends the completed sale's display). */
void session_begin(sale_session *s);
/* ITEMS/DONE → PAYING.  TILL_ERR_BASKET when the basket is empty (nothing changes). */
till_err session_start_pay(sale_session *s);
/* PAYING/FAILED → ITEMS: every tender is dropped, and a failed document with them (after
 * session_drop_failed's look-up; its refusals are returned and nothing is dropped). */
till_err session_cancel_pay(sale_session *s);
/* FAILED → PAYING: the failed document is stale (a new one, with a new UUID, is prepared at the
 * next session_pay) -- once the store says that UUID is not stored.  If it is stored, the sale
 * is done: FAILED → DONE with the stored document, TILL_ERR_ALREADY_SAVED (the till's message
 * names the receipt) -- unless the session has a caller's request and the stored sale is
 * another request's: still FAILED, TILL_ERR_UUID_TAKEN (session_request).  If the look-up fails: still FAILED, TILL_ERR_STORE, the till's message
 * names the sale and the cause.  TILL_OK and no look-up in any other state. */
till_err session_drop_failed(sale_session *s);

/* A caller's request (`sell --uuid`; the screen never makes one): the next sale gets the
 * caller's uuid, and fingerprint (64 lowercase hex: SHA-256 of the request as the caller gave
 * it, pos/app/cmd_sell.c) is stored with it.  The UUID is an idempotency key for that request,
 * so it is looked up NOW, before any goods, member or tender (the identical retry must be
 * answered even when the points it spent or a product it sold are gone):
 *   not stored          → TILL_OK, the session goes on (ITEMS) and pays under that UUID;
 *   stored, same request → DONE with the stored sale, nothing written (session_was_stored),
 *                          TILL_ERR_ALREADY_SAVED;
 *   stored by another request, or by none (a screen sale) → TILL_ERR_UUID_TAKEN, the till's
 *                          message names the sale; no request is kept;
 *   no answer           → TILL_ERR_STORE, the till's message says why.
 * A malformed uuid or fingerprint: TILL_ERR_UUID_TAKEN.  Only with an empty basket, not while
 * paying or committing (TILL_ERR_BASKET / TILL_ERR_BUSY).  If a concurrent call stores the UUID
 * between this look-up and the commit, the commit compares fingerprints the same way: the same
 * request is DONE with the stored sale (session_was_stored), another one fails (FAILED), and
 * session_drop_failed then answers as above (TILL_ERR_ALREADY_SAVED or TILL_ERR_UUID_TAKEN).
 * The request is used up when the session is DONE. */
till_err session_request(sale_session *s, const char *uuid, const char *fingerprint);

/* PAYING → COMMITTING (with a worker) or → DONE / FAILED (without).  Prepares the document
 * with now_utc as its time and a UUID drawn from the OS (or the caller's, session_request).  A
 * refusal while preparing leaves the session PAYING with the till's message. */
till_err session_pay(sale_session *s, int64_t now_utc);
/* FAILED → COMMITTING / DONE / FAILED: the same document again. */
till_err session_retry(sale_session *s);
/* An event from the app's queue.  True when it was this session's (a commit result), after
 * which the state is DONE or FAILED. */
bool session_on_event(sale_session *s, const evq_event *ev);

/* The document: as committed (DONE, with its receipt number), as failed (FAILED), NULL
 * otherwise. */
const sale_doc *session_doc(const sale_session *s);
/* DONE with a sale that was already stored (session_request's request, or a failed commit
 * that had in fact landed): nothing was written this time. */
bool session_was_stored(const sale_session *s);
/* FAILED: the store's words ("<cause>: <detail>"), and the cause alone (in the user's
 * language: what a cashier needs; the detail is for the log). */
const char *session_error(const sale_session *s);
const char *session_error_cause(const sale_session *s);
/* DONE: the member as the screen showed them, and their points after the sale (the till
 * forgets the member when the next sale starts). */
const char *session_done_member(const sale_session *s);
int64_t session_done_balance(const sale_session *s);
/* DONE: the sale's pricing as committed (applied rules, the cashier's notes such as a gift
 * substituted or "再购…可享…"). */
const promo_result *session_done_pricing(const sale_session *s);

#endif
