/* config: the store's settings, shown and edited by the manager.
 *
 *   config show [--json]       every known setting with its value (defaults marked)
 *   config set KEY VALUE       validate, then write (one transaction, one audit row)
 *
 * Only known keys, each checked with the parser that will read it (cash_rounding_parse,
 * scale_layouts_parse, points_load_config, integer ranges); an unknown key or a bad value is
 * refused with exit 1 and nothing written -- a typo here would otherwise stop the till at its
 * next start, or worse, be read as a default.  manager.pin_* are never shown nor settable
 * here: the PIN is set with `init --manager-pin`, which stores only a salted hash. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/audit.h"
#include "db/points.h"
#include "db/settings.h"
#include "db/store.h"
#include "pos/app/cli.h"
#include "pos/app/i18n.h"
#include "pos/app/receipt_data.h"
#include "pos/app/till.h"
#include "pos/core/basket.h"
#include "pos/core/json.h"
#include "pos/core/scale_label.h"
#include "peripherals/devspec.h"


/* What the till reads when a key is absent (db/store.c, pos/app/till.c, db/points.c, db/rules.c). */
typedef struct {
    const char *key;
    const char *fallback;   /* shown when the key is not stored */
} config_key;

static const config_key KEYS[] = {
    {"store.code", "YR01"},
    {"store.name", "扶贫超市"},
    {"till.no", "1"},
    {"cash.rounding", "none"},
    {"store.tz_offset_min", "480"},
    {"scale.layouts", "(built-in: 21CCCCCPPPPPK;22CCCCCWWWWWK;23CCCCCQPPPPK;26CCCCCPPPPPWWWWWK)"},
    {"scale.tolerance_fen", "5"},
    {"points.rate", "1"},
    {"points.redeem_rate", "100"},
    {"points.redeem_cap_percent", "50"},
    {"points.expiry", "none"},
    /* Devices (peripherals/devspec.h); --scale/--scanner/--printer override them per run. */
    {"device.scale", "auto"},
    {"device.scanner", "auto"},
    {"device.printer", "auto"},
    {"scale.hold_ms", "500"},
    /* The receipt (#10, pos/core/receipt.h): the header's lines, the footer, the paper. */
    {"store.address", "(none)"},
    {"store.phone", "(none)"},
    {"store.tax_id", "(none)"},
    {"receipt.footer", "谢谢惠顾，欢迎再来"},
    {"receipt.width", "58"},
    /* The buy-online QR: a URL template with {token} (and {receipt}, {lines}); none when unset. */
    {"receipt.buy_url", "(none)"},
    {"receipt.qr", "native"},
    /* Shelf labels' buy-online QR (`labels`): a URL template with {sku}; none when unset. */
    {"label.buy_url", "(none)"},
    /* The trace QR (溯源) on poverty-relief products' labels: {cert}, {sku}, {supplier}. */
    {"label.trace_url", "(none)"},
};
#define N_KEYS (sizeof KEYS / sizeof KEYS[0])

static const config_key *find_key(const char *key)
{
    for (size_t i = 0; i < N_KEYS; i++)
        if (strcmp(KEYS[i].key, key) == 0)
            return &KEYS[i];
    return NULL;
}

/* A whole decimal integer in [min, max]: digits with an optional '-', nothing else. */
static bool int_in(const char *v, long min, long max, long *out)
{
    if (!v[0] || strlen(v) > 12)
        return false;
    char *end = NULL;
    long x = strtol(v, &end, 10);
    if (*end || (v[0] != '-' && (v[0] < '0' || v[0] > '9')) || x < min || x > max)
        return false;
    if (out)
        *out = x;
    return true;
}

typedef struct {
    const char *key, *value;
    int64_t at_utc;
    char why[256];
} set_ctx;

/* A refusal of ours: the words go to c->why (do_set prints them); the transaction rolls back. */
__attribute__((format(printf, 2, 3)))
static store_err bad(set_ctx *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->why, sizeof c->why, fmt, ap);
    va_end(ap);
    return STORE_ERR_INVALID;
}

/* Inside one transaction: syntactic check, write, then read back with the reader the till
 * uses (so a combination that reader refuses -- e.g. inconsistent points settings -- rolls
 * back), then the audit row. */
static store_err set_tx(store *s, void *vctx)
{
    set_ctx *c = vctx;
    const char *k = c->key, *v = c->value;
    store_err e;
    long x;
    if (strcmp(k, "store.address") == 0 || strcmp(k, "store.phone") == 0 ||
        strcmp(k, "store.tax_id") == 0 || strcmp(k, "receipt.footer") == 0 ||
        strcmp(k, "receipt.width") == 0 || strcmp(k, "receipt.buy_url") == 0 ||
        strcmp(k, "receipt.qr") == 0 || strcmp(k, "label.buy_url") == 0 ||
        strcmp(k, "label.trace_url") == 0) {
        if (!receipt_setting_valid(k, v, c->why, sizeof c->why))
            return STORE_ERR_INVALID;
        if ((e = settings_set(s, k, v)))
            return e;
    } else if (strncmp(k, "store.", 6) == 0 || strcmp(k, "till.no") == 0 ||
        strcmp(k, "cash.rounding") == 0) {
        /* The till identity: through settings_set_config, whose own checks apply (store code
         * A-Z0-9, till 1..999, a real zone offset). */
        till_config cfg;
        if ((e = settings_get_config(s, &cfg)))
            return e;
        if (strcmp(k, "store.code") == 0) {
            if (strlen(v) >= sizeof cfg.store_code)
                return bad(c, "%s", "store code too long (at most 15 characters A-Z, 0-9)");
            snprintf(cfg.store_code, sizeof cfg.store_code, "%s", v);
        } else if (strcmp(k, "store.name") == 0) {
            size_t n = strlen(v);
            bool ctrl = false;
            for (size_t i = 0; i < n; i++)
                ctrl = ctrl || (unsigned char)v[i] < 0x20 || v[i] == 0x7f;
            if (n == 0 || n >= sizeof cfg.store_name || ctrl)
                return bad(c, "%s", "store name must be 1-127 bytes of printable text");
            snprintf(cfg.store_name, sizeof cfg.store_name, "%s", v);
        } else if (strcmp(k, "till.no") == 0) {
            if (!int_in(v, 1, 999, &x))
                return bad(c, "%s", "till number must be 1..999");
            cfg.till_no = (int)x;
        } else if (strcmp(k, "cash.rounding") == 0) {
            if (!cash_rounding_parse(v, &cfg.rounding))
                return bad(c, "%s", "cash rounding must be none, drop_fen or jiao");
        } else {   /* store.tz_offset_min */
            if (!int_in(v, -720, 840, &x))
                return bad(c, "%s", "time zone offset must be -720..840 minutes (480 = UTC+8)");
            cfg.tz_offset_min = (int)x;
        }
        if ((e = settings_set_config(s, &cfg)))
            return e;
    } else if (strcmp(k, "scale.layouts") == 0) {
        scale_layout_set set;
        char why[160] = "";
        /* The till reads the setting into a 512-byte buffer (till.c). */
        if (strlen(v) >= 512)
            return bad(c, "%s", "layouts longer than 511 characters");
        if (scale_layouts_parse(v, &set, why, sizeof why) != SCALE_OK)
            return bad(c, "scale layouts: %.200s", why);
        if ((e = settings_set(s, k, v)))
            return e;
    } else if (strcmp(k, "scale.tolerance_fen") == 0) {
        if (!int_in(v, 0, 1000, NULL))
            return bad(c, "%s", "tolerance must be 0..1000 fen");
        if ((e = settings_set(s, k, v)))
            return e;
    } else if (strncmp(k, "device.", 7) == 0) {
        device_class cls = strcmp(k, "device.scale") == 0     ? DEVICE_SCALE
                           : strcmp(k, "device.scanner") == 0 ? DEVICE_SCANNER
                                                              : DEVICE_PRINTER;
        devspec spec;
        char why[200] = "";
        if (!devspec_parse(cls, v, &spec, why, sizeof why))
            return bad(c, "%.200s", why);
        if ((e = settings_set(s, k, v)))
            return e;
    } else if (strcmp(k, "scale.hold_ms") == 0) {
        /* How long a weight must stay still before it prices a line (scale_stable). */
        if (!int_in(v, 0, 10000, NULL))
            return bad(c, "%s", "hold time must be 0..10000 ms");
        if ((e = settings_set(s, k, v)))
            return e;
    } else if (strcmp(k, "points.expiry") == 0) {
        if (!points_expiry_parse(v, NULL))
            return bad(c, "%s", "expiry must be none or months:N (N = 1..120)");
        if ((e = settings_set(s, k, v)))
            return e;
    } else {   /* points.rate, points.redeem_rate, points.redeem_cap_percent */
        if (!int_in(v, 0, 100000, NULL))
            return bad(c, "%s", "not a whole number");
        if ((e = settings_set(s, k, v)))
            return e;
        points_config pc;
        if ((e = points_load_config(s, &pc, NULL)) != STORE_OK)
            return bad(c, "%.200s", store_last_error(s));
    }
    char detail[700];
    snprintf(detail, sizeof detail, "%.40s=%.600s", k, v);
    return audit_append(s, c->at_utc, "admin", "config.set", k, detail);
}

static int do_set(const cli_ctx *ctx, store *s, const char *key, const char *value)
{
    if (strncmp(key, "manager.pin", 11) == 0) {
        cli_error("%s: %s", key,
                  T("管理员密码只能用 init --manager-pin 设置", "set the manager PIN with init --manager-pin"));
        return EXIT_REFUSED;
    }
    if (!find_key(key)) {
        cli_error("%s: %s", key, T("未知设置项（见 config show）", "unknown setting (see config show)"));
        return EXIT_REFUSED;
    }
    set_ctx c = {.key = key, .value = value, .at_utc = ctx->at_utc};
    store_err e = store_transaction(s, set_tx, &c);
    if (e) {
        cli_error("%s=%s: %s", key, value, c.why[0] ? c.why : store_last_error(s));
        return EXIT_REFUSED;
    }
    printf("%s = %s\n", key, value);
    return EXIT_DONE;
}

static int do_show(const cli_ctx *ctx, store *s)
{
    strbuf sb;
    json_writer w;
    strbuf_init(&sb);
    json_writer_init(&w, &sb, false);
    json_begin_object(&w);
    json_key(&w, "settings");
    json_begin_object(&w);
    char defaults[N_KEYS];
    int rc = EXIT_DONE;
    for (size_t i = 0; i < N_KEYS; i++) {
        char buf[1024];
        store_err e = settings_get(s, KEYS[i].key, buf, sizeof buf);
        defaults[i] = e == STORE_ERR_NOT_FOUND || (e == STORE_OK && !buf[0]);
        if (e && e != STORE_ERR_NOT_FOUND) {
            cli_error("%s: %s", KEYS[i].key, store_last_error(s));
            rc = EXIT_REFUSED;
            break;
        }
        const char *v = defaults[i] ? KEYS[i].fallback : buf;
        json_kv_string(&w, KEYS[i].key, v);
        if (!ctx->json)
            printf("%-26s %s%s\n", KEYS[i].key, v, defaults[i] ? T("  （默认）", "  (default)") : "");
    }
    json_end_object(&w);
    json_key(&w, "defaults");
    json_begin_array(&w);
    for (size_t i = 0; rc == EXIT_DONE && i < N_KEYS; i++)
        if (defaults[i])
            json_string(&w, KEYS[i].key);
    json_end_array(&w);
    json_end_object(&w);
    if (rc == EXIT_DONE && ctx->json)
        printf("%s\n", sb.data ? sb.data : "{}");
    strbuf_free(&sb);
    return rc;
}

int cmd_config(const cli_ctx *ctx)
{
    const char *sub = ctx->argc > 0 ? ctx->argv[0] : "";
    bool show = strcmp(sub, "show") == 0 && ctx->argc == 1;
    bool set = strcmp(sub, "set") == 0 && ctx->argc == 3;
    if (!show && !set) {
        cli_error("usage: config show | config set KEY VALUE");
        return EXIT_USAGE;
    }
    store *s = cli_open_store(ctx, show);
    if (!s)
        return EXIT_REFUSED;
    int rc = show ? do_show(ctx, s) : do_set(ctx, s, ctx->argv[1], ctx->argv[2]);
    store_close(s);
    return rc;
}
