/* cashier: the sale screen's controller -- its state and what each key does to it.
 *
 * Input (keys, typed text, scanner bursts, scale readings) becomes calls on the till
 * (pos/app/till.h); this module never prices or totals anything itself -- it keeps only what a
 * screen needs on top of the till: the input line, the mode (items / cash payment), the
 * selected line, the message, the last scan and the last completed sale.  It lives in the app
 * (it drives the till and the session); the screen gets a plain view of it (cashier_fill_view)
 * and sends it the screen's own keys (ui/input.h), never SDL's.
 *
 * Keys: digits/letters go to the input line; Enter scans (or pays); "3*" sets the quantity for
 * the next scan; Up/Down select; Delete/F4 void; F3 sets the selected line's quantity; F2 opens
 * the product search pane; F12 or keypad + starts payment (type cash, or scan the customer's
 * payment code); Esc clears / cancels; F1 help; Ctrl+Q quits.  F5 attaches a member (card
 * number or phone + Enter; Esc on the empty field removes the member); F8 on the payment
 * screen pays with the member's points as far as the cap and the balance allow; F9 opens the
 * consumption-star board (扶贫消费明星) of the current month; F7 reprints the last receipt
 * (the printer's news -- a receipt waiting for paper, printed late -- comes as queue events).  Discounts are the till's
 * (till_reprice after every basket change); this module only shows them.
 *
 * Which codes a scan may be is decided by the mode, never by prefix: on the item screen a
 * scale label is goods and a payment code is refused; on the payment screen a payment code
 * pays and a scale label is refused (till_scan / till_pay_by_code choose the hooks). */
#ifndef FUPIN_APP_CASHIER_H
#define FUPIN_APP_CASHIER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "peripherals/wedge.h"
#include "pos/app/evq.h"
#include "pos/app/printing.h"
#include "pos/app/session.h"
#include "pos/app/till.h"
#include "ui/input.h"
#include "ui/view.h"

#define CASHIER_INPUT_CAP VIEW_INPUT_CAP
#define CASHIER_SEARCH_CAP VIEW_SEARCH_CAP   /* UTF-8: 32 Chinese characters */
/* Results the search pane lists: what fits on the pane, and a bound on the per-keystroke
 * query (search_products stops at cap). */
#define CASHIER_SEARCH_MAX VIEW_SEARCH_MAX
/* Rows of the star board screen. */
#define CASHIER_STARS_MAX VIEW_STARS_MAX

/* MODE_PAY_CASH is the payment screen: cash typed, or a customer payment code scanned. */
typedef enum { MODE_ITEMS = 0, MODE_PAY_CASH } cashier_mode;
typedef enum { SOUND_NONE = 0, SOUND_BEEP, SOUND_BUZZ } cashier_sound;

typedef struct {
    till *t;                       /* the UI thread's till (own store handle) */
    sale_session *session;         /* the sale's life: payment, commit, retry, done */
    printing *printer;             /* the receipt printer (NULL: none); F7 reprints */

    cashier_mode mode;
    char input[CASHIER_INPUT_CAP];
    int64_t pending_qty;           /* set by "N*", used by the next scan; 0 = none */
    size_t selected;               /* selected basket line (valid when the basket is not empty) */

    char message[256];
    view_msg_kind msg_kind;        /* how the screen paints the message (ui/view.h) */

    bool have_last_scan;
    char last_name[PRODUCT_NAME_CAP];
    fen_t last_unit_price;
    fen_t last_amount;
    int64_t last_qty, last_grams;
    bool last_poverty_relief;      /* counts as 扶贫 on this business day */
    bool last_cert_lapsed;         /* flagged 扶贫 but its certificate lapsed: a notice */
    char last_supplier[128];       /* supplier's name (cooperative, household, firm) */

    int64_t scale_grams;           /* last reading of the (simulated) scale; 0 = none */
    bool scale_stable;             /* false while the scale reports motion */
    /* The device manager's verdict on the scale (peripherals/scale/scale_stable.h
     * scale_stable_verdict; -1: none yet) -- the weight panel's word for motion, under zero,
     * over capacity, fault -- and whether a scale is connected. */
    int scale_verdict;
    bool scale_lost;               /* the configured scale went away (unplugged, error) */
    /* The READY weight a weighed line took: the same goods still on the platter must not
     * price a second line if the scale re-reports them (a gap in its reports restarts the
     * hold).  Cleared by motion, an empty platter, or any other verdict. */
    bool scale_consumed;
    int64_t scale_consumed_g;

    /* The product search pane (F2): typed text (name, pinyin initials, code, PLU) filters on
     * every keystroke; Enter adds the selected product.  A weighed product asks for its
     * weight (or takes the scale reading). */
    bool search_open;
    char search_text[CASHIER_SEARCH_CAP];
    product search_results[CASHIER_SEARCH_MAX];
    bool search_relief_today[CASHIER_SEARCH_MAX];   /* 扶贫 and certificate valid today */
    size_t search_n, search_sel;
    bool search_weighing;          /* the chosen weighed product waits for a weight */
    product search_pick;
    char search_grams[8];          /* typed grams for search_pick */

    /* Payment and commit: the session's state says whether a commit is in flight
     * (cashier_busy) or failed (Enter retries the same document). */
    bool have_completed;           /* the last sale, shown until the next scan */
    fen_t completed_tendered;      /* the receipt, due and change are completed_doc's */
    tender_kind completed_kind;    /* the (first non-cash, else cash) tender, for the panel */
    char pay_note[256];            /* a scanned payment's line ("微信支付 ¥… （模拟支付）") */

    /* Member entry (F5): typed card number or phone. */
    bool member_entry;
    char member_input[32];

    /* The consumption-star board (F9): read once when opened (one indexed query of the
     * month, ~10 ms) and kept while it is open -- never per frame. */
    bool stars_open;
    char stars_month[8];
    star_entry *stars;             /* heap: CASHIER_STARS_MAX persons */
    size_t stars_n;
    star_entry *star_orgs;         /* heap: CASHIER_STARS_MAX organisations */
    size_t star_orgs_n;

    /* The last completed sale's document (heap), for the completed card: applied rules,
     * gifts, points.  The member as shown then and their balance after are the session's
     * (session_done_member / session_done_balance: the till forgets the member). */
    sale_doc *completed_doc;

    bool show_help;
    bool quit;
    bool dirty;                    /* something visible changed: redraw */
    cashier_sound sound;           /* to play after this input (the caller plays it) */

    wedge scanner;
    size_t input_len_at_run;       /* input length when the current fast run began */
    char suppress_text;            /* '*' / '+' already handled as a keypad key */
    int64_t (*clock_utc)(void);    /* now, for the sale's created_utc (tests pin it) */
} cashier;

bool cashier_init(cashier *c, till *t, sale_session *session);
void cashier_free(cashier *c);

/* Text typed (a key's character, a scanner burst, IME output), at t_ms. */
void cashier_text(cashier *c, const char *utf8, uint32_t t_ms);
/* A key pressed (the screen's key enum, ui/input.h), at t_ms. */
void cashier_key(cashier *c, ui_key key, unsigned mod, uint32_t t_ms);
/* A stable scale reading (grams; 0 = empty scale). */
void cashier_weight(cashier *c, int64_t grams);
/* A scale reading that may be in motion: goods are only weighed at a stable reading. */
void cashier_scale(cashier *c, int64_t grams, bool stable);
/* A scale reading from the device manager (pos/app/devices.c): grams with scale_stable's
 * verdict; only `ready` is ever a weight to price.  Motion and settling show the weight and
 * refuse to price it; under zero, over capacity and fault show the word and no weight. */
void cashier_scale_verdict(cashier *c, int64_t grams, bool ready, int verdict);
/* A device's state changed (EVQ_DEVICE_STATE: class, state): a scale that went away takes its
 * reading with it, so nothing is priced at a weight nobody can see any more. */
void cashier_device_state(cashier *c, int cls, int state);
/* The scale's zero / tare came back (EVQ_SCALE_COMMAND: devmgr_scale_cmd, device_err, why):
 * the message line says it.  Done: the platter reads 0 from now on, so the panel shows 0 at
 * once and the goods of the last weighed line no longer count as still on it. */
void cashier_scale_command_done(cashier *c, int cmd, int err, const char *why);
/* A whole scanned code, from the wedge or from a claimed scanner: the same command either way
 * (too_long: the scanner sent more than a code may be; refused with a message). */
void cashier_scanned(cashier *c, const char *code, bool too_long);
/* An event from the app's queue: a commit result (the session takes it, the screen follows), a
 * scale reading, a scan, a device state. */
void cashier_on_event(cashier *c, const evq_event *ev);
/* A commit is in flight: the basket on screen is the one being written. */
bool cashier_busy(const cashier *c);

void cashier_set_message(cashier *c, view_msg_kind kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* What the screen draws now (cashier_view.c): the view points into c and its till, so it is
 * valid until the next call on either.  dev: the device chips; now_utc: the clock shown. */
void cashier_fill_view(const cashier *c, const view_devices *dev, int64_t now_utc, sale_view *v);

#endif
