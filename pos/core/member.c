/* member: member kinds and the well-formedness check.  See member.h. */
#include "pos/core/member.h"

#include <stdio.h>
#include <string.h>

#include "pos/core/utf8.h"

static const char *const MEMBER_KINDS[] = {"person", "staff", "organisation"};
#define N_KINDS (sizeof MEMBER_KINDS / sizeof MEMBER_KINDS[0])

const char *member_kind_name(member_kind k)
{
    return (unsigned)k < N_KINDS ? MEMBER_KINDS[k] : "?";
}

bool member_kind_parse(const char *name, member_kind *out)
{
    for (size_t i = 0; name && i < N_KINDS; i++)
        if (strcmp(name, MEMBER_KINDS[i]) == 0) {
            *out = (member_kind)i;
            return true;
        }
    return false;
}

static bool card_ok(const char *id)
{
    size_t l = strnlen(id, MEMBER_ID_CAP);
    if (l == 0 || l >= MEMBER_ID_CAP)
        return false;
    for (size_t i = 0; i < l; i++) {
        char c = id[i];
        if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
              c == '-' || c == '_'))
            return false;
    }
    return true;
}

static bool phone_ok(const char *p)
{
    size_t l = strnlen(p, MEMBER_PHONE_CAP);
    if (l >= MEMBER_PHONE_CAP)
        return false;
    if (l == 0)
        return true;
    if (l < 5 || l > 20)
        return false;
    for (size_t i = 0; i < l; i++)
        if (p[i] < '0' || p[i] > '9')
            return false;
    return true;
}

bool member_check(const member *m, char *why, size_t cap)
{
    const char *f = NULL, *r = NULL;
    if (!card_ok(m->id))
        f = "card", r = "1-31 characters of 0-9 A-Z a-z - _";
    else if (!phone_ok(m->phone))
        f = "phone", r = "5-20 digits, or empty";
    else if (strnlen(m->name, MEMBER_NAME_CAP) >= MEMBER_NAME_CAP || !m->name[0] ||
             !utf8_text_valid(m->name))
        f = "name", r = "non-empty UTF-8 text of at most 63 bytes";
    else if ((unsigned)m->kind > MEMBER_ORGANISATION)
        f = "kind", r = "person, staff or organisation";
    if (!f)
        return true;
    if (why && cap)
        snprintf(why, cap, "member \"%.31s\": %s: %s", card_ok(m->id) ? m->id : "?", f, r);
    return false;
}

