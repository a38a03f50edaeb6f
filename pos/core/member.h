/* member: a loyalty member (card, phone, name, kind) and the rules a record must meet.
 *
 * Pure (moved down from db/): the store (db/members.h), the CSV loaders and the CLI check a
 * member the same way. */
#ifndef FUPIN_CORE_MEMBER_H
#define FUPIN_CORE_MEMBER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MEMBER_ID_CAP 32
#define MEMBER_PHONE_CAP 24
#define MEMBER_NAME_CAP 64

typedef enum {
    MEMBER_PERSON = 0,
    MEMBER_STAFF,
    MEMBER_ORGANISATION,   /* 企事业单位 buying 以购代捐 */
} member_kind;

const char *member_kind_name(member_kind k);            /* "person", "staff", "organisation" */
bool member_kind_parse(const char *name, member_kind *out);

typedef struct {
    char id[MEMBER_ID_CAP];        /* card number: 1-31 of [0-9A-Za-z-_] */
    char phone[MEMBER_PHONE_CAP];  /* digits (5-20), "" when none; unique when set */
    char name[MEMBER_NAME_CAP];
    member_kind kind;
    int64_t created_utc;
} member;

/* Is m well-formed?  why says which field. */
bool member_check(const member *m, char *why, size_t why_cap);

#endif
