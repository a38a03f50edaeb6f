/* cashier_view: what the sale screen draws, filled from the controller and its till before a
 * frame (ui/view.h).  Every figure is the till's (settlement with its rounding, the points a
 * tender may pay, the rules in force), so the screen computes nothing and asks nobody.  See
 * cashier.h. */
#include <stdio.h>
#include <string.h>

#include "pos/app/cashier_internal.h"
#include "pos/core/mask.h"

static void fill_star(const star_entry *e, bool person, view_star *out)
{
    out->rank = e->rank;
    out->spend_fen = e->spend_fen;
    if (!person) {
        snprintf(out->name, sizeof out->name, "%s", e->name);
        out->contact[0] = '\0';
        return;
    }
    /* The board is public (the shopper is watching): names and phones masked here. */
    if (!mask_name(e->name, out->name, sizeof out->name))
        snprintf(out->name, sizeof out->name, "*");
    if (!e->phone[0] || !mask_phone(e->phone, out->contact, sizeof out->contact))
        mask_card(e->member_id, out->contact, sizeof out->contact);
}

static void fill_header(const cashier *c, sale_view *v)
{
    const till *t = c->t;
    const till_config *cfg = till_config_get(t);
    snprintf(v->store_name, sizeof v->store_name, "%s", cfg->store_name);
    snprintf(v->store_code, sizeof v->store_code, "%s", cfg->store_code);
    v->till_no = cfg->till_no;
    v->tz_offset_min = cfg->tz_offset_min;
    snprintf(v->cashier, sizeof v->cashier, "%s", till_cashier(t));
    const promo_rule *act[PROMO_MAX_RULES];
    v->n_active_rules = till_active_rules(t, act, PROMO_MAX_RULES);
    for (size_t i = 0; i < v->n_active_rules; i++)
        v->active_rules[i] = act[i]->label;
    v->earn_points = till_points_config(t)->earn_points > 0;
    v->has_member = till_has_member(t);
    snprintf(v->member_masked, sizeof v->member_masked, "%s", till_member_masked(t));
    v->member_balance = till_member_balance(t);
}

static void fill_basket(const cashier *c, sale_view *v)
{
    const till *t = c->t;
    v->cart = till_basket(t);
    basket_settle(v->cart, till_config_get(t)->rounding, &v->settle);
    basket_settle(v->cart, ROUNDING_NONE, &v->settle_exact);
    v->priced = till_pricing(t);
    till_points_info pi;
    till_points_info_get(t, &pi);
    v->points_balance = pi.balance;
    v->points_max_fen = pi.max_fen;
}

static void fill_controller(const cashier *c, sale_view *v)
{
    v->mode = c->mode == MODE_PAY_CASH ? VIEW_MODE_PAY : VIEW_MODE_ITEMS;
    v->busy = cashier_busy(c);
    snprintf(v->input, sizeof v->input, "%s", c->input);
    v->pending_qty = c->pending_qty;
    v->selected = c->selected;
    snprintf(v->message, sizeof v->message, "%s", c->message);
    v->msg_kind = c->msg_kind;

    v->have_last_scan = c->have_last_scan;
    snprintf(v->last_name, sizeof v->last_name, "%s", c->last_name);
    v->last_unit_price = c->last_unit_price;
    v->last_amount = c->last_amount;
    v->last_qty = c->last_qty;
    v->last_grams = c->last_grams;
    v->last_poverty_relief = c->last_poverty_relief;
    v->last_cert_lapsed = c->last_cert_lapsed;
    snprintf(v->last_supplier, sizeof v->last_supplier, "%s", c->last_supplier);
    v->scale_grams = c->scale_grams;
    v->scale_stable = c->scale_stable;
    v->scale_note = cashier_scale_note(c, &v->scale_alarm);

    v->search_open = c->search_open;
    v->search_weighing = c->search_weighing;
    snprintf(v->search_text, sizeof v->search_text, "%s", c->search_text);
    v->search_results = c->search_results;
    v->search_relief_today = c->search_relief_today;
    v->search_n = c->search_n;
    v->search_sel = c->search_sel;
    v->search_pick = &c->search_pick;
    snprintf(v->search_grams, sizeof v->search_grams, "%s", c->search_grams);

    v->member_entry = c->member_entry;
    snprintf(v->member_input, sizeof v->member_input, "%s", c->member_input);

    v->stars_open = c->stars_open;
    snprintf(v->stars_month, sizeof v->stars_month, "%s", c->stars_month);
    v->stars_n = c->stars_n < VIEW_STARS_MAX ? c->stars_n : VIEW_STARS_MAX;
    for (size_t i = 0; i < v->stars_n; i++)
        fill_star(&c->stars[i], true, &v->stars[i]);
    v->star_orgs_n = c->star_orgs_n < VIEW_STARS_MAX ? c->star_orgs_n : VIEW_STARS_MAX;
    for (size_t i = 0; i < v->star_orgs_n; i++)
        fill_star(&c->star_orgs[i], false, &v->star_orgs[i]);

    v->have_completed = c->have_completed;
    snprintf(v->completed_receipt, sizeof v->completed_receipt, "%s", c->completed_doc->receipt_no);
    v->completed_due = c->completed_doc->due_fen;
    v->completed_tendered = c->completed_tendered;
    v->completed_change = c->completed_doc->change_fen;
    v->completed_kind_name = i18n_tender_name(c->completed_kind);
    v->completed_doc = c->completed_doc;
    snprintf(v->completed_member, sizeof v->completed_member, "%s",
             session_done_member(c->session));
    v->completed_balance = session_done_balance(c->session);
    v->show_help = c->show_help;
}

void cashier_fill_view(const cashier *c, const view_devices *dev, int64_t now_utc, sale_view *v)
{
    memset(v, 0, sizeof *v);
    v->now_utc = now_utc;
    v->dev = *dev;
    fill_header(c, v);
    fill_basket(c, v);
    fill_controller(c, v);
}
