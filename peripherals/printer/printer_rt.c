/* printer_rt: DLE EOT over a transport.  See printer_rt.h. */
#include "peripherals/printer/printer_rt.h"

#include <stdbool.h>
#include <stdint.h>

#include "peripherals/printer/escpos.h"

const char *printer_condition_name(printer_condition c)
{
    switch (c) {
    case PRINTER_READY: return "ready";
    case PRINTER_NO_STATUS: return "no status reply";
    case PRINTER_OFFLINE: return "offline";
    case PRINTER_COVER_OPEN: return "cover open";
    case PRINTER_PAPER_OUT: return "paper out";
    case PRINTER_PAPER_NEAR_END: return "paper near end";
    }
    return "unknown";
}

/* DLE EOT n and its one-byte reply; *answered false: none in time, or garbage. */
static device_err ask(const device_ops *ops, void *self, int wt, int rt, escpos_rt n,
                      printer_status *st, bool *answered)
{
    uint8_t req[8], in[16];
    size_t got = 0;
    *answered = false;
    for (int i = 0; i < 8; i++) {
        device_err e = ops->read(self, in, sizeof in, &got, 0);
        if (e != DEVICE_OK)
            return e;
        if (got == 0)
            break;
    }
    escpos_buf b;
    escpos_buf_init(&b, req, sizeof req);
    (void)escpos_status_request(&b, n);
    device_err e = ops->write(self, b.data, b.len, wt);
    if (e != DEVICE_OK)
        return e;
    got = 0;
    e = ops->read(self, in, 1, &got, rt);
    if (e != DEVICE_OK)
        return e;
    if (got == 1 && escpos_status_parse(n, in[0], st) == ESCPOS_OK)
        *answered = true;
    return DEVICE_OK;
}

device_err printer_rt_query(const device_ops *ops, void *self, int write_timeout_ms,
                            int reply_timeout_ms, printer_condition *out)
{
    printer_status s1, s2, s4;
    bool ok;
    device_err e;
    *out = PRINTER_NO_STATUS;
    if ((e = ask(ops, self, write_timeout_ms, reply_timeout_ms, ESCPOS_RT_PRINTER, &s1, &ok)))
        return e;
    if (!ok)
        return DEVICE_OK;
    /* Offline: DLE EOT 2 says why (cover, paper-end stop). */
    if (s1.offline) {
        if ((e = ask(ops, self, write_timeout_ms, reply_timeout_ms, ESCPOS_RT_OFFLINE, &s2, &ok)))
            return e;
        if (ok && (s2.cover_open || s2.paper_end_stop)) {
            *out = s2.cover_open ? PRINTER_COVER_OPEN : PRINTER_PAPER_OUT;
            return DEVICE_OK;
        }
    }
    /* The paper roll sensor: out, or near end (which still prints). */
    if ((e = ask(ops, self, write_timeout_ms, reply_timeout_ms, ESCPOS_RT_PAPER, &s4, &ok)))
        return e;
    if (ok && s4.paper_out)
        *out = PRINTER_PAPER_OUT;
    else if (s1.offline)
        *out = PRINTER_OFFLINE;
    else if (ok && s4.paper_near_end)
        *out = PRINTER_PAPER_NEAR_END;
    else
        *out = PRINTER_READY;
    return DEVICE_OK;
}
