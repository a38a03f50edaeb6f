/* settings: the key/value settings table and the till configuration.  See settings.h. */
#include "db/settings.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/store_internal.h"
#include "pos/core/bizday.h"

/* Kept prepared: every commit reads the till's zone and identity under its write lock. */
static const char SQL_GET[] = "SELECT value FROM settings WHERE key = ?1";

store_err settings_get(store *s, const char *key, char *buf, size_t cap)
{
    sqlite3_stmt *st = NULL;
    store_err e = store_cached(s, SQL_GET, &st);
    if (e)
        return e;
    store_bind_text(st, 1, key);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        e = store_column_text(st, 0, buf, cap)
                ? STORE_OK
                : store_failf(s, STORE_ERR_INVALID, "setting %s does not fit %zu bytes", key, cap);
    } else if (rc == SQLITE_DONE) {
        e = store_failf(s, STORE_ERR_NOT_FOUND, "no setting %s", key);
        if (cap)
            buf[0] = '\0';
    } else {
        e = store_fail(s, rc);
    }
    sqlite3_reset(st);
    return e;
}

typedef struct {
    const char *key, *value;
} setting_kv;

static store_err set_setting_tx(store *s, void *ctx)
{
    const setting_kv *kv = ctx;
    sqlite3_stmt *st = NULL;
    store_err e = store_prepare(s,
                                "INSERT INTO settings(key, value) VALUES(?1, ?2) "
                                "ON CONFLICT(key) DO UPDATE SET value = excluded.value "
                                "WHERE value IS NOT excluded.value",
                                &st);
    if (e)
        return e;
    store_bind_text(st, 1, kv->key);
    store_bind_text(st, 2, kv->value);
    return store_step_done(s, st);
}

store_err settings_set(store *s, const char *key, const char *value)
{
    if (!key || !key[0] || !value)
        return store_failf(s, STORE_ERR_INVALID, "setting key and value are required");
    setting_kv kv = {key, value};
    return store_transaction(s, set_setting_tx, &kv);
}

static bool parse_int(const char *text, long min, long max, int *out)
{
    char *end = NULL;
    if (!text[0])
        return false;
    long v = strtol(text, &end, 10);
    if (*end || v < min || v > max)
        return false;
    *out = (int)v;
    return true;
}

static bool config_valid(store *s, const till_config *c)
{
    size_t n = strnlen(c->store_code, sizeof c->store_code);
    if (n == 0 || n >= sizeof c->store_code) {
        store_failf(s, STORE_ERR_INVALID, "store code must be 1-%zu characters",
                    sizeof c->store_code - 1);
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        char ch = c->store_code[i];
        if (!((ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9'))) {
            store_failf(s, STORE_ERR_INVALID, "store code %s: only A-Z and 0-9", c->store_code);
            return false;
        }
    }
    if (c->till_no < 1 || c->till_no > 999) {
        store_failf(s, STORE_ERR_INVALID, "till number %d outside 1..999", c->till_no);
        return false;
    }
    if (c->tz_offset_min < -720 || c->tz_offset_min > 840) {
        store_failf(s, STORE_ERR_INVALID, "time zone offset %d min is not a real zone",
                    c->tz_offset_min);
        return false;
    }
    if (c->rounding != ROUNDING_NONE && c->rounding != ROUNDING_DROP_FEN &&
        c->rounding != ROUNDING_JIAO) {
        store_failf(s, STORE_ERR_INVALID, "unknown cash rounding %d", (int)c->rounding);
        return false;
    }
    return true;
}

store_err settings_get_config(store *s, till_config *out)
{
    char buf[160];
    store_err e;
    memset(out, 0, sizeof *out);
    /* Defaults: a fresh till until `init --store` or the demo sets its identity.  No 抹零 by
     * default: rounding in the shopper's favour is a decision the store makes. */
    snprintf(out->store_code, sizeof out->store_code, "YR01");
    snprintf(out->store_name, sizeof out->store_name, "扶贫超市");
    out->till_no = 1;
    out->rounding = ROUNDING_NONE;
    out->tz_offset_min = BIZDAY_SHANGHAI_OFFSET_MIN;

    /* Read straight into the fields: a value too long for them is an error, not truncated. */
    if ((e = settings_get(s, "store.code", buf, sizeof out->store_code)) == STORE_OK)
        memcpy(out->store_code, buf, sizeof out->store_code);
    else if (e != STORE_ERR_NOT_FOUND)
        return e;
    if ((e = settings_get(s, "store.name", buf, sizeof out->store_name)) == STORE_OK)
        memcpy(out->store_name, buf, sizeof out->store_name);
    else if (e != STORE_ERR_NOT_FOUND)
        return e;
    if ((e = settings_get(s, "till.no", buf, sizeof buf)) == STORE_OK) {
        if (!parse_int(buf, 1, 999, &out->till_no))
            return store_failf(s, STORE_ERR_INVALID, "setting till.no=%s is not 1..999", buf);
    } else if (e != STORE_ERR_NOT_FOUND) {
        return e;
    }
    if ((e = settings_get(s, "cash.rounding", buf, sizeof buf)) == STORE_OK) {
        if (!cash_rounding_parse(buf, &out->rounding))
            return store_failf(s, STORE_ERR_INVALID, "setting cash.rounding=%s is unknown", buf);
    } else if (e != STORE_ERR_NOT_FOUND) {
        return e;
    }
    if ((e = settings_get(s, "store.tz_offset_min", buf, sizeof buf)) == STORE_OK) {
        if (!parse_int(buf, -720, 840, &out->tz_offset_min))
            return store_failf(s, STORE_ERR_INVALID, "setting store.tz_offset_min=%s is invalid",
                               buf);
    } else if (e != STORE_ERR_NOT_FOUND) {
        return e;
    }
    store_clear_error(s);
    return STORE_OK;
}

static store_err set_config_tx(store *s, void *ctx)
{
    const till_config *c = ctx;
    char till[16], tz[16];
    snprintf(till, sizeof till, "%d", c->till_no);
    snprintf(tz, sizeof tz, "%d", c->tz_offset_min);
    setting_kv kv[] = {
        {"store.code", c->store_code},
        {"store.name", c->store_name},
        {"till.no", till},
        {"cash.rounding", cash_rounding_name(c->rounding)},
        {"store.tz_offset_min", tz},
    };
    for (size_t i = 0; i < sizeof kv / sizeof kv[0]; i++) {
        store_err e = set_setting_tx(s, &kv[i]);
        if (e)
            return e;
    }
    return STORE_OK;
}

store_err settings_set_config(store *s, const till_config *cfg)
{
    if (!cfg || !config_valid(s, cfg))
        return STORE_ERR_INVALID;
    return store_transaction(s, set_config_tx, (void *)cfg);
}

