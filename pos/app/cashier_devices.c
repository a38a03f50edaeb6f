/* cashier_devices: what the input devices do to the sale screen -- the scale's verdicts from
 * the device manager (pos/app/devices.c: EVQ_SCALE_READING), the scale coming and going
 * (EVQ_DEVICE_STATE), and the word the weight panel shows.  Scans are cashier_keys.c's
 * cashier_scanned, the same command as a wedge burst.
 *
 * The rule that keeps the weighed-line path honest: only a READY verdict (scale_stable: the
 * weight held still for scale.hold_ms) sets a weight that is priced as stable.  Motion and
 * settling show their weight and price nothing (the till refuses "not stable", so the cashier
 * sees why); under zero, over capacity and fault show the word and no weight at all, so a
 * weighed product then asks for a typed weight, as with no scale.  A READY weight a line
 * already took is not taken again until the platter changed. */
#include <stdio.h>

#include "peripherals/device.h"
#include "peripherals/devmgr.h"
#include "peripherals/scale/scale_stable.h"
#include "pos/app/cashier_internal.h"

void cashier_scale_verdict(cashier *c, int64_t grams, bool ready, int verdict)
{
    int before = c->scale_verdict;
    int64_t before_g = c->scale_grams;
    c->dirty = true;
    c->scale_lost = false;
    if (ready) {
        c->scale_verdict = SCALE_STABLE_READY;
        if (c->scale_consumed && grams - c->scale_consumed_g <= SCALE_STABLE_DEFAULT_TOLERANCE_G &&
            c->scale_consumed_g - grams <= SCALE_STABLE_DEFAULT_TOLERANCE_G) {
            c->scale_grams = 0;   /* the goods of the last weighed line, still on the platter */
            c->scale_stable = true;
            return;
        }
        c->scale_consumed = false;
        cashier_scale(c, grams, true);
        return;
    }
    c->scale_verdict = verdict;
    if (verdict != SCALE_STABLE_SETTLING)
        c->scale_consumed = false;
    switch (verdict) {
    case SCALE_STABLE_SETTLING:
    case SCALE_STABLE_MOTION:
        c->scale_grams = grams > 0 ? grams : 0;
        c->scale_stable = false;
        /* Once per run of motion, not at every wobble: the message line stays readable. */
        if (grams > 0 && (before_g == 0 ||
                          (before != SCALE_STABLE_SETTLING && before != SCALE_STABLE_MOTION)))
            cashier_set_message(c, VIEW_MSG_INFO,
                                T("秤：%lld.%03lldkg（称重中，稳定后才计价）",
                                  "Scale: %lld.%03lldkg (settling: priced once stable)"),
                                (long long)(grams / 1000), (long long)(grams % 1000));
        break;
    case SCALE_STABLE_EMPTY:
        c->scale_grams = 0;
        c->scale_stable = true;
        if (before_g > 0)
            cashier_set_message(c, VIEW_MSG_INFO, "%s", T("秤已清空", "Scale empty"));
        break;
    case SCALE_STABLE_UNDER_ZERO:
        c->scale_grams = 0;
        c->scale_stable = false;
        if (before != verdict)
            cashier_set_message(c, VIEW_MSG_WARN, "%s",
                                T("秤：负重，请清空秤盘后归零", "Scale: under zero, clear the platter and re-zero"));
        break;
    case SCALE_STABLE_OVER_CAPACITY:
        c->scale_grams = 0;
        c->scale_stable = false;
        if (before != verdict)
            cashier_set_message(c, VIEW_MSG_WARN, "%s",
                                T("秤：超载，不能计价", "Scale: over capacity, not priced"));
        break;
    case SCALE_STABLE_FAULT:
    default:
        c->scale_grams = 0;
        c->scale_stable = false;
        if (before != verdict)
            cashier_set_message(c, VIEW_MSG_WARN, "%s",
                                T("秤故障，可手工输入重量", "Scale fault: type weights by hand"));
        break;
    }
}

void cashier_device_state(cashier *c, int cls, int state)
{
    if (cls != DEVICE_SCALE)
        return;   /* the scanner's chip is the screen's; its codes need no state here */
    c->dirty = true;
    if (state == DEVICE_ENABLED || state == DEVICE_OPEN || state == DEVICE_CLAIMED) {
        c->scale_lost = false;
        return;
    }
    bool had = c->scale_grams > 0 || (c->scale_verdict >= 0 && !c->scale_lost);
    c->scale_grams = 0;
    c->scale_stable = false;
    c->scale_verdict = -1;
    c->scale_consumed = false;
    if (state == DEVICE_ERROR && !c->scale_lost) {
        c->scale_lost = true;
        if (had)
            cashier_set_message(c, VIEW_MSG_WARN, "%s",
                                T("秤已断开：可输入重量或扫描称重标签，交易继续",
                                  "Scale disconnected: type weights or scan scale labels, the sale goes on"));
    }
}

void cashier_scale_command_done(cashier *c, int cmd, int err, const char *why)
{
    bool tare = cmd == DEVMGR_SCALE_TARE;
    c->dirty = true;
    switch (err) {
    case DEVICE_OK:
        c->scale_grams = 0;
        c->scale_consumed = false;
        cashier_set_message(c, VIEW_MSG_OK, "%s",
                            tare ? T("已去皮：秤盘上的容器不计重量", "Tared: the container is not weighed")
                                 : T("秤已归零", "Scale zeroed"));
        return;
    case DEVICE_ERR_UNSUPPORTED:
        cashier_set_message(c, VIEW_MSG_WARN, "%s",
                            tare ? T("此秤不支持去皮：请按秤上的去皮键",
                                     "This scale cannot tare from the till: use its TARE key")
                                 : T("此秤不支持归零：请按秤上的归零键",
                                     "This scale cannot zero from the till: use its ZERO key"));
        return;
    case DEVICE_ERR_NOT_FOUND:
        cashier_set_message(c, VIEW_MSG_WARN, "%s",
                            tare ? T("没有连接秤，无法去皮", "No scale connected: cannot tare")
                                 : T("没有连接秤，无法归零", "No scale connected: cannot zero"));
        return;
    default:
        cashier_set_message(c, VIEW_MSG_ERROR, tare ? T("去皮失败：%s", "Tare failed: %s")
                                                    : T("归零失败：%s", "Zero failed: %s"),
                            why && *why ? why : device_strerror((device_err)err));
        return;
    }
}

const char *cashier_scale_note(const cashier *c, bool *alarm)
{
    *alarm = false;
    if (c->scale_lost)
        return NULL;   /* the header chip says it */
    switch (c->scale_verdict) {
    case SCALE_STABLE_SETTLING:
    case SCALE_STABLE_MOTION:
        return c->scale_grams > 0 ? T("称重中", "settling") : NULL;
    case SCALE_STABLE_UNDER_ZERO:
        *alarm = true;
        return T("负重", "under zero");
    case SCALE_STABLE_OVER_CAPACITY:
        *alarm = true;
        return T("超载", "overload");
    case SCALE_STABLE_FAULT:
        *alarm = true;
        return T("故障", "fault");
    default:
        return NULL;
    }
}
