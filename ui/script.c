/* script: parser for scripted UI input.  See script.h. */
#include "ui/script.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SDL.h>

#include "pos/core/bizday.h"

static const struct {
    const char *name;
    script_op op;
    bool needs_arg;
} OPS[] = {
    {"key", SCRIPT_KEY, true},
    {"text", SCRIPT_TEXT, true},
    {"scan", SCRIPT_SCAN, true},
    {"weight", SCRIPT_WEIGHT, true},
    {"device", SCRIPT_DEVICE, true},
    {"clock", SCRIPT_CLOCK, true},
    {"wait", SCRIPT_WAIT, true},
    {"screenshot", SCRIPT_SCREENSHOT, true},
    {"expect-message", SCRIPT_EXPECT_MESSAGE, true},
    {"expect-total", SCRIPT_EXPECT_TOTAL, true},
    {"quit", SCRIPT_QUIT, false},
};

/* A whole decimal integer in [lo, hi], nothing else on the line. */
static bool parse_int(const char *s, int64_t lo, int64_t hi, int64_t *out)
{
    if (!*s || !(isdigit((unsigned char)*s) || *s == '-')) {
        return false;
    }
    errno = 0;
    char *end = NULL;
    long long v = strtoll(s, &end, 10);
    if (errno || *end || v < lo || v > hi) {
        return false;
    }
    *out = v;
    return true;
}

static bool parse_line(const char *line, script_cmd *cmd, char *why, size_t why_cap)
{
    size_t wlen = strcspn(line, " \t");
    const char *arg = line + wlen;
    while (*arg == ' ' || *arg == '\t') {
        arg++;
    }
    size_t i = 0;
    for (; i < sizeof OPS / sizeof OPS[0]; i++) {
        if (strlen(OPS[i].name) == wlen && strncmp(OPS[i].name, line, wlen) == 0) {
            break;
        }
    }
    if (i == sizeof OPS / sizeof OPS[0]) {
        snprintf(why, why_cap, "unknown command '%.*s'", (int)(wlen > 40 ? 40 : wlen), line);
        return false;
    }
    cmd->op = OPS[i].op;
    if (OPS[i].needs_arg && !*arg) {
        snprintf(why, why_cap, "%s needs an argument", OPS[i].name);
        return false;
    }
    if (!OPS[i].needs_arg && *arg) {
        snprintf(why, why_cap, "%s takes no argument", OPS[i].name);
        return false;
    }
    if (strlen(arg) >= sizeof cmd->arg) {
        snprintf(why, why_cap, "argument longer than %zu bytes", sizeof cmd->arg - 1);
        return false;
    }
    snprintf(cmd->arg, sizeof cmd->arg, "%s", arg);
    switch (cmd->op) {
    case SCRIPT_KEY: {
        /* SDL_GetKeyFromName is a table look-up: it works before SDL_Init. */
        SDL_Keycode k = SDL_GetKeyFromName(arg);
        if (k == SDLK_UNKNOWN) {
            /* SDL spells keypad keys "Keypad *"; accept the SDLK_ style names tests use. */
            static const struct {
                const char *alias;
                SDL_Keycode key;
            } ALIASES[] = {
                {"KP_Multiply", SDLK_KP_MULTIPLY}, {"KP_Plus", SDLK_KP_PLUS},
                {"KP_Enter", SDLK_KP_ENTER},       {"KP_Minus", SDLK_KP_MINUS},
                {"KP_Period", SDLK_KP_PERIOD},     {"Enter", SDLK_RETURN},
                {"Esc", SDLK_ESCAPE},              {"Del", SDLK_DELETE},
            };
            for (size_t a = 0; a < sizeof ALIASES / sizeof ALIASES[0]; a++) {
                if (SDL_strcasecmp(arg, ALIASES[a].alias) == 0) {
                    k = ALIASES[a].key;
                }
            }
        }
        if (k == SDLK_UNKNOWN) {
            snprintf(why, why_cap, "unknown key '%.40s'", arg);
            return false;
        }
        cmd->keycode = (int32_t)k;
        break;
    }
    case SCRIPT_TEXT:
        for (const char *p = arg; *p; p++) {
            if ((unsigned char)*p < 0x20) {
                snprintf(why, why_cap, "control character in text");
                return false;
            }
        }
        break;
    case SCRIPT_SCAN:
        for (const char *p = arg; *p; p++) {
            if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7F) {
                snprintf(why, why_cap, "scan code must be printable ASCII without blanks");
                return false;
            }
        }
        break;
    case SCRIPT_WEIGHT:
        if (!parse_int(arg, 0, 1000000, &cmd->number)) {
            snprintf(why, why_cap, "weight needs whole grams (0..1000000), got '%.40s'", arg);
            return false;
        }
        break;
    case SCRIPT_DEVICE: {
        /* The class is checked here; the event words are the simulated device's (the app
         * refuses one it does not know with FILE:LINE when the line runs). */
        static const char *const CLASSES[] = {"scale", "scanner", "printer", "drawer"};
        size_t clen = strcspn(arg, " \t");
        bool known = false;
        for (size_t c = 0; c < sizeof CLASSES / sizeof CLASSES[0]; c++)
            known = known || (strlen(CLASSES[c]) == clen && strncmp(CLASSES[c], arg, clen) == 0);
        if (!known || !arg[clen]) {
            snprintf(why, why_cap, "device needs CLASS EVENT (scale, scanner, printer or drawer), "
                                   "got '%.40s'", arg);
            return false;
        }
        break;
    }
    case SCRIPT_CLOCK:
        if (!bizday_parse_iso8601(arg, BIZDAY_SHANGHAI_OFFSET_MIN, &cmd->number) ||
            cmd->number <= 0) {
            snprintf(why, why_cap, "clock needs ISO 8601 (2026-10-16T10:30:00+08:00), got '%.40s'",
                     arg);
            return false;
        }
        break;
    case SCRIPT_WAIT:
        if (!parse_int(arg, 0, 600000, &cmd->number)) {
            snprintf(why, why_cap, "wait needs milliseconds (0..600000), got '%.40s'", arg);
            return false;
        }
        break;
    case SCRIPT_EXPECT_TOTAL:
        if (!parse_int(arg, 0, INT64_C(10000000000000), &cmd->number)) {
            snprintf(why, why_cap, "expect-total needs integer fen, got '%.40s'", arg);
            return false;
        }
        break;
    case SCRIPT_SCREENSHOT:
        /* The name becomes DIR/NAME.png: no directories, no dot files, nothing odd. */
        for (const char *p = arg; *p; p++) {
            if (!(isalnum((unsigned char)*p) || *p == '-' || *p == '_' || *p == '.') ||
                (p == arg && *p == '.')) {
                snprintf(why, why_cap, "screenshot name may only use letters, digits, - _ .");
                return false;
            }
        }
        break;
    case SCRIPT_EXPECT_MESSAGE:
    case SCRIPT_QUIT:
        break;
    }
    return true;
}

bool script_parse(const char *name, const char *text, script *s, char *err, size_t err_cap)
{
    memset(s, 0, sizeof *s);
    snprintf(s->path, sizeof s->path, "%s", name);
    size_t cap = 0;
    int lineno = 0;
    const char *p = text;
    /* A UTF-8 BOM (Windows editors) is not part of the first command. */
    if ((unsigned char)p[0] == 0xEF && (unsigned char)p[1] == 0xBB &&
        (unsigned char)p[2] == 0xBF) {
        p += 3;
    }
    while (*p) {
        lineno++;
        const char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        char line[SCRIPT_ARG_CAP + 64];
        if (len >= sizeof line) {
            snprintf(err, err_cap, "%s:%d: line too long", name, lineno);
            goto fail;
        }
        memcpy(line, p, len);
        line[len] = '\0';
        p = eol ? eol + 1 : p + len;
        /* Trim CR and trailing/leading blanks; keep inner spaces (text commands need them). */
        while (len > 0 && (line[len - 1] == '\r' || line[len - 1] == ' ' ||
                           line[len - 1] == '\t')) {
            line[--len] = '\0';
        }
        char *start = line;
        while (*start == ' ' || *start == '\t') {
            start++;
        }
        if (!*start || *start == '#') {
            continue;
        }
        script_cmd cmd = {0};
        cmd.line = lineno;
        char why[160];
        if (!parse_line(start, &cmd, why, sizeof why)) {
            snprintf(err, err_cap, "%s:%d: %s", name, lineno, why);
            goto fail;
        }
        if (s->n == cap) {
            size_t ncap = cap ? cap * 2 : 32;
            script_cmd *grown = realloc(s->cmds, ncap * sizeof *grown);
            if (!grown) {
                snprintf(err, err_cap, "%s: out of memory", name);
                goto fail;
            }
            s->cmds = grown;
            cap = ncap;
        }
        s->cmds[s->n++] = cmd;
    }
    return true;
fail:
    script_free(s);
    return false;
}

void script_free(script *s)
{
    free(s->cmds);
    s->cmds = NULL;
    s->n = s->next = 0;
}
