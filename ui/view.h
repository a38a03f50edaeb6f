/* view: everything the sale screen draws, as plain data filled by the app (pos/app/cashier_view.c)
 * before each frame.  The screen reads this and nothing else: it never calls the till, parses
 * a message or opens the store, so a screen is a function of its view (microui's shape) and
 * ui/ depends on pos/core only.
 *
 * Big pos/core records (the basket, the pricing, the last sale) are pointed to, not copied:
 * the view is filled and drawn on the same thread, one right after the other, and the
 * pointers are only read during that draw. */
#ifndef FUPIN_UI_VIEW_H
#define FUPIN_UI_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pos/core/basket.h"
#include "pos/core/mask.h"
#include "pos/core/product.h"
#include "pos/core/promo.h"
#include "pos/core/sale.h"

#define VIEW_INPUT_CAP 65
#define VIEW_SEARCH_CAP 97         /* UTF-8: 32 Chinese characters */
#define VIEW_SEARCH_MAX 8          /* rows of the search pane */
#define VIEW_STARS_MAX 10          /* rows of the star board */
#define VIEW_MEMBER_INPUT_CAP 32
#define VIEW_NAME_CAP 128

/* The payment screen is VIEW_MODE_PAY: cash typed, or a customer payment code scanned. */
typedef enum { VIEW_MODE_ITEMS = 0, VIEW_MODE_PAY } view_mode;
typedef enum { VIEW_MSG_INFO = 0, VIEW_MSG_OK, VIEW_MSG_ERROR, VIEW_MSG_WARN } view_msg_kind;

/* The device chips of the header, already in the user's language. */
typedef struct {
    const char *scanner_state;
    const char *scale_state;
    const char *printer_state;
    bool simulated;
    bool scanner_off, scale_off, printer_off;   /* painted as offline */
    bool printer_warn;             /* a receipt waits (paper, cover, printer gone) or the paper
                                    * is nearly out: painted as an alarm, simulated or not */
} view_devices;

/* A row of the consumption-star board, masked by the app (the shopper is watching). */
typedef struct {
    int rank;
    char name[VIEW_NAME_CAP];      /* persons: masked (张*明); organisations: as registered */
    char contact[MASK_CAP];        /* persons: masked phone, else masked card */
    fen_t spend_fen;
} view_star;

typedef struct {
    /* header */
    char store_name[VIEW_NAME_CAP];
    char store_code[16];
    int till_no;
    int tz_offset_min;
    char cashier[32];
    int64_t now_utc;               /* the clock shown (pinned by scripts) */
    view_devices dev;

    /* banner: the campaigns in force now, the member */
    const char *active_rules[PROMO_MAX_RULES];   /* labels */
    size_t n_active_rules;
    bool earn_points;
    bool has_member;
    char member_masked[MASK_CAP];
    int64_t member_balance;

    /* the basket and its settlement, computed by the till's rules */
    const basket *cart;
    basket_settlement settle;      /* with the store's cash rounding (抹零) */
    basket_settlement settle_exact;   /* without: what a payment code pays */
    const promo_result *priced;
    int64_t points_balance;        /* for "F8 pays up to" */
    fen_t points_max_fen;

    /* the controller's state */
    view_mode mode;
    bool busy;                     /* a commit is in flight */
    char input[VIEW_INPUT_CAP];
    int64_t pending_qty;
    size_t selected;
    char message[256];
    view_msg_kind msg_kind;

    bool have_last_scan;
    char last_name[PRODUCT_NAME_CAP];
    fen_t last_unit_price, last_amount;
    int64_t last_qty, last_grams;
    bool last_poverty_relief, last_cert_lapsed;
    char last_supplier[128];

    int64_t scale_grams;
    bool scale_stable;
    const char *scale_note;        /* the weight panel's word: 称重中 / 负重 / 超载 / 故障 (NULL: none) */
    bool scale_alarm;              /* under zero, over capacity, fault: painted as a warning */

    bool search_open, search_weighing;
    char search_text[VIEW_SEARCH_CAP];
    const product *search_results;  /* search_n of them */
    const bool *search_relief_today;
    size_t search_n, search_sel;
    const product *search_pick;    /* the weighed product waiting for its weight */
    char search_grams[8];

    bool member_entry;
    char member_input[VIEW_MEMBER_INPUT_CAP];

    bool stars_open;
    char stars_month[8];
    view_star stars[VIEW_STARS_MAX];
    size_t stars_n;
    view_star star_orgs[VIEW_STARS_MAX];
    size_t star_orgs_n;

    bool have_completed;
    char completed_receipt[SALE_RECEIPT_NO_CAP];
    fen_t completed_due, completed_tendered, completed_change;
    const char *completed_kind_name;   /* how it was paid, in the user's language */
    const sale_doc *completed_doc;
    char completed_member[MASK_CAP];
    int64_t completed_balance;

    bool show_help;
} sale_view;

#endif
