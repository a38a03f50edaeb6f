/* mask: masked names, phones and card numbers for the public board (see mask.h). */
#include "pos/core/mask.h"

#include <string.h>

#include "pos/core/utf8.h"

/* Length of the UTF-8 sequence at s (strict, utf8_sequence_len) when it is not a C0/DEL
 * control character; 0 when invalid.  s is NUL-terminated. */
static size_t utf8_len(const unsigned char *s)
{
    if (s[0] < 0x20 || s[0] == 0x7f)
        return 0;
    return utf8_sequence_len(s, strnlen((const char *)s, 4));
}

/* Common two-character (复姓) surnames.  A name beginning with one keeps both characters;
 * without the list 欧阳振华 would show as 欧*华, which hides the one part that is meant to
 * stay visible. */
static const char *const COMPOUND[] = {
    "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙",
    "宇文", "司徒", "夏侯", "令狐", "端木", "独孤", "南宫", "西门", "轩辕", "澹台",
    "公冶", "太叔", "申屠", "钟离", "闻人", "赫连", "呼延", "万俟", "濮阳", "淳于",
};

static bool put(char *out, size_t cap, size_t *n, const char *s, size_t len)
{
    if (*n + len >= cap)
        return false;
    memcpy(out + *n, s, len);
    *n += len;
    out[*n] = '\0';
    return true;
}

static bool give_up(char *out, size_t cap)
{
    if (out && cap)
        out[0] = '\0';
    return false;
}

bool mask_name(const char *name, char *out, size_t cap)
{
    if (!out || cap == 0)
        return false;
    out[0] = '\0';
    if (!name)
        return true;
    /* Split into code points (offsets), refusing anything that is not clean text. */
    size_t off[64], len[64], count = 0;
    const unsigned char *p = (const unsigned char *)name;
    size_t pos = 0;
    bool valid = true;
    while (p[pos]) {
        size_t l = utf8_len(p + pos);
        if (l == 0 || count == sizeof off / sizeof off[0]) {
            valid = false;
            break;
        }
        off[count] = pos;
        len[count] = l;
        count++;
        pos += l;
    }
    size_t n = 0;
    if (!valid)
        return put(out, cap, &n, "*", 1) ? true : give_up(out, cap);
    if (count == 0)
        return true;
    if (count == 1)
        return put(out, cap, &n, "*", 1) ? true : give_up(out, cap);
    size_t keep = 1;   /* code points of the surname kept */
    if (count >= 3) {
        for (size_t i = 0; i < sizeof COMPOUND / sizeof COMPOUND[0]; i++) {
            size_t cl = strlen(COMPOUND[i]);
            if (off[2] == cl && memcmp(name, COMPOUND[i], cl) == 0) {
                keep = 2;
                break;
            }
        }
    }
    bool ok = put(out, cap, &n, name, off[keep - 1] + len[keep - 1]) && put(out, cap, &n, "*", 1);
    /* The last character stays when something is hidden before it: 张三明 -> 张*明, but 张明
     * -> 张* (showing 明 too would show the whole name) and 欧阳华 -> 欧阳*. */
    if (ok && count >= keep + 2)
        ok = put(out, cap, &n, name + off[count - 1], len[count - 1]);
    return ok ? true : give_up(out, cap);
}

bool mask_phone(const char *phone, char *out, size_t cap)
{
    if (!out || cap == 0)
        return false;
    out[0] = '\0';
    if (!phone)
        return true;
    char digits[32];
    size_t nd = 0;
    for (const char *p = phone; *p; p++) {
        if (*p >= '0' && *p <= '9') {
            if (nd == sizeof digits - 1)
                return give_up(out, cap);
            digits[nd++] = *p;
        }
    }
    /* 11-digit mobile -> 3 shown, 4 hidden, 4 shown; longer numbers hide more in the middle;
     * short ones (extensions, landline tails) show at most their last 2 digits. */
    size_t head = nd >= 8 ? 3 : 0, tail = nd >= 8 ? 4 : nd >= 5 ? 2 : 0;
    if (nd + 1 > cap)
        return give_up(out, cap);
    for (size_t i = 0; i < nd; i++)
        out[i] = (i < head || i >= nd - tail) ? digits[i] : '*';
    out[nd] = '\0';
    return true;
}

bool mask_card(const char *card, char *out, size_t cap)
{
    if (!out || cap == 0)
        return false;
    out[0] = '\0';
    if (!card)
        return true;
    size_t l = strlen(card);
    for (size_t i = 0; i < l; i++)
        if ((unsigned char)card[i] < 0x21 || (unsigned char)card[i] > 0x7e)
            return put(out, cap, &(size_t){0}, "****", 4) ? true : give_up(out, cap);
    size_t tail = l > 4 ? 4 : l / 2;
    size_t n = 0;
    bool ok = put(out, cap, &n, "****", 4) && put(out, cap, &n, card + l - tail, tail);
    return ok ? true : give_up(out, cap);
}
