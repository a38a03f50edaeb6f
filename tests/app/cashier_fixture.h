/* cashier_fixture: the screen controller (pos/app/cashier.h) on a real till with the demo store
 * and a session without a worker (commits run synchronously), plus the hands that drive it --
 * typed text, keys and a keyboard-wedge scanner burst on a virtual key clock.  Shared by the
 * cashier test programs (one copy of the set-up, not one per program). */
#ifndef FUPIN_TESTS_APP_CASHIER_FIXTURE_H
#define FUPIN_TESTS_APP_CASHIER_FIXTURE_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "db/demo.h"
#include "pos/app/cashier.h"
#include "pos/app/i18n.h"

typedef struct {
    till *t;
    sale_session *session;
    cashier c;
    uint32_t ms;
} fixture;

static int64_t fixed_clock(void)
{
    return 1792117800;   /* 2026-10-16T10:30:00+08:00 */
}

/* A fresh database FUPIN_TEST_TMP/NAME with the demo store; the cashier's clock pinned. */
static fixture *fixture_open(const char *name)
{
    fixture *fx = calloc(1, sizeof *fx);
    assert_non_null(fx);
    char path[512], wal[520];
    snprintf(path, sizeof path, "%s/%s", FUPIN_TEST_TMP, name);
    snprintf(wal, sizeof wal, "%s-wal", path);
    remove(path);
    remove(wal);
    char msg[256] = "";
    i18n_set_lang("zh");
    assert_int_equal(till_open(&fx->t, path, true, msg, sizeof msg), STORE_OK);
    assert_int_equal(demo_load(till_store(fx->t), FUPIN_ASSETS_DIR, msg, sizeof msg), STORE_OK);
    assert_int_equal(till_reload_config(fx->t), STORE_OK);
    fx->session = session_create(fx->t, NULL);   /* no worker: commits synchronously */
    assert_non_null(fx->session);
    assert_true(cashier_init(&fx->c, fx->t, fx->session));
    fx->c.clock_utc = fixed_clock;
    fx->ms = 10000;
    return fx;
}

static void fixture_close(fixture *fx)
{
    cashier_free(&fx->c);
    session_destroy(fx->session);
    till_close(fx->t);
    free(fx);
}

static void type(fixture *fx, const char *s)
{
    for (; *s; s++) {
        char one[2] = {*s, '\0'};
        fx->ms += 150;
        cashier_text(&fx->c, one, fx->ms);
    }
}

static void key(fixture *fx, ui_key k)
{
    fx->ms += 150;
    cashier_key(&fx->c, k, UI_MOD_NONE, fx->ms);
}

/* A keyboard-wedge scanner: a pause, then one key every 5 ms, then Enter. */
static void wedge_scan(fixture *fx, const char *code)
{
    fx->ms += 1000;
    for (; *code; code++) {
        char one[2] = {*code, '\0'};
        fx->ms += 5;
        cashier_text(&fx->c, one, fx->ms);
    }
    fx->ms += 5;
    cashier_key(&fx->c, UI_KEY_ENTER, UI_MOD_NONE, fx->ms);
}

#endif
