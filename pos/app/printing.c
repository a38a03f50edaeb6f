/* printing: the app's printer, its queue and the events it posts.  See printing.h. */
#include "pos/app/printing.h"

#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "peripherals/printer/escpos.h"
#include "peripherals/printer/file_printer.h"
#include "peripherals/printer/printer_rt.h"
#include "peripherals/usb_open.h"
#include "pos/app/devices.h"
#include "pos/app/i18n.h"
#include "pos/app/log.h"
#include "pos/app/receipt_data.h"
#include "db/receipt_prints.h"

#define LOG_PREFIX "printing"
#define WAITED_CAP 16
#define PRINTING_DRAIN_MS 3000
#define SIM_TEXT_CAP (64u * 1024u + 1u)

struct printing {
    devspec spec;
    usb_bus *usb;
    print_queue *q;
    sim_printer *sim;
    evq *events;
    char store_name[128];
    int tz_offset_min;
    store *db;                    /* the till's (its thread's) store: receipt settings, print log */
    int width_mm;                 /* 0: the config key receipt.width */
    sale_doc *last_doc;           /* the last sale printed: F7 renders it again, marked 重印 */
    uint64_t last_receipt;        /* the last sale's receipt (or its reprint) */
    uint64_t waited[WAITED_CAP];  /* jobs that waited: their DONE is news ("补打") */
    size_t n_waited;
    char chip[64];
};

const char *printing_wait_text(print_wait w)
{
    switch (w) {
    case PRINT_WAIT_NONE: return "";
    case PRINT_WAIT_MISSING: return T("打印机未连接", "printer not connected");
    case PRINT_WAIT_OFFLINE: return T("打印机离线", "printer offline");
    case PRINT_WAIT_COVER_OPEN: return T("打印机盖未关", "printer cover open");
    case PRINT_WAIT_PAPER_OUT: return T("缺纸", "out of paper");
    case PRINT_WAIT_TIMEOUT: return T("打印机无响应", "printer not responding");
    case PRINT_WAIT_IO: return T("打印机故障", "printer error");
    case PRINT_WAIT_PAPER_NEAR_END: return T("纸将用完", "paper nearly out");
    }
    return "?";
}

/* ---- the queue's callbacks: on its thread, post and return ---- */

static void on_job(void *arg, uint64_t id, print_job_state st, print_wait why, const char *reason)
{
    printing *p = arg;
    evq_event ev = {.kind = EVQ_PRINT_DONE, .job = id, .status = (int32_t)st, .value = why};
    snprintf(ev.text, sizeof ev.text, "%s", reason);
    if (st == PRINT_WAITING)
        log_warn("print job %llu waits: %s", (unsigned long long)id, reason);
    /* A full queue loses only the news: the chip reads the queue itself on every frame. */
    if (!evq_post(p->events, &ev))
        log_warn("event queue full: print job %llu %s not posted", (unsigned long long)id,
                 print_job_state_name(st));
}

static void on_device(void *arg, device_class cls, device_state st, device_err err,
                      const char *name)
{
    printing *p = arg;
    evq_event ev = {.kind = EVQ_DEVICE_STATE, .value = cls, .status = (int32_t)st};
    snprintf(ev.text, sizeof ev.text, "%s", name ? name : "");
    if (st == DEVICE_ERROR)
        log_info("printer %s: %s", ev.text, device_strerror(err));
    if (!evq_post(p->events, &ev))
        log_warn("event queue full: printer state %s not posted", device_state_name(st));
}

/* The seam of print_queue.h: one opener per kind of spec (auto is USB detection: the sim is
 * chosen by printing_resolve, before the queue starts). */
static device_err open_printer(void *arg, const devspec *spec, const device_ops **ops,
                               void **self, char *name, size_t name_cap, char *why,
                               size_t why_cap)
{
    printing *p = arg;
    switch (spec->kind) {
    case DEVSPEC_SIM:
        return sim_printer_opener(p->sim, spec, ops, self, name, name_cap, why, why_cap);
    case DEVSPEC_FILE:
        return file_printer_opener(NULL, spec, ops, self, name, name_cap, why, why_cap);
    case DEVSPEC_USB:
    case DEVSPEC_AUTO:
        if (p->usb)
            return usb_open_printer(p->usb, spec, ops, self, name, name_cap, why, why_cap);
        (void)device_why(why, why_cap, "no USB on this machine (libusb could not start)");
        return DEVICE_ERR_UNSUPPORTED;
    default:
        (void)device_why(why, why_cap, "a %s printer is not supported in this build",
                         devspec_kind_name(spec->kind));
        return DEVICE_ERR_UNSUPPORTED;
    }
}

static void close_printer(void *arg, const device_ops *ops, void *self)
{
    printing *p = arg;
    if (ops == &file_printer_ops)
        file_printer_closer(NULL, ops, self);
    else if (ops == usb_ops_for(DEVICE_PRINTER))
        usb_close_printer(p->usb, ops, self);
    else if (ops && ops->close)
        ops->close(self);
}

/* ---- start and stop ---- */

/* The spec as chosen (option, else config, else auto: devices_choose_spec), auto not yet
 * resolved; an empty --printer is not given. */
static bool chosen_spec(const printing_options *o, devspec *out, devices_source *src, char *why,
                        size_t cap)
{
    const char *opt = o->spec_text && o->spec_text[0] ? o->spec_text : NULL;
    return devices_choose_spec(DEVICE_PRINTER, opt, "--printer", o->config_text,
                               "device.printer", out, src, why, cap);
}

bool printing_chosen_auto(const printing_options *o)
{
    devspec s;
    devices_source src;
    return chosen_spec(o, &s, &src, NULL, 0) && s.kind == DEVSPEC_AUTO;
}

devices_source printing_source(const printing_options *o)
{
    devspec s;
    devices_source src;
    (void)chosen_spec(o, &s, &src, NULL, 0);
    return src;
}

bool printing_resolve(const printing_options *o, devspec *out, char *why, size_t cap)
{
    devices_source src;
    if (!chosen_spec(o, out, &src, why, cap))
        return false;
    /* Auto: the simulator when devices are simulated, else USB detection (the queue finds
     * the printer again on every retry and on hotplug), else nothing. */
    if (out->kind == DEVSPEC_AUTO && o->simulate_devices)
        out->kind = DEVSPEC_SIM;
    else if (out->kind == DEVSPEC_AUTO && !o->usb)
        out->kind = DEVSPEC_NONE;
    return true;
}

/* DIR(db)/sim-printer.bin */
static void sim_path(const char *db_path, char *out, size_t cap)
{
    const char *slash = db_path ? strrchr(db_path, '/') : NULL;
    if (!slash)
        snprintf(out, cap, "sim-printer.bin");
    else
        snprintf(out, cap, "%.*s/sim-printer.bin", (int)(slash - db_path), db_path);
}

bool printing_start(const printing_options *o, printing **out, char *why, size_t cap)
{
    *out = NULL;
    devspec spec;
    if (!printing_resolve(o, &spec, why, cap))
        return false;
    if (spec.kind == DEVSPEC_NONE)
        return true;
    printing *p = calloc(1, sizeof *p);
    if (!p) {
        snprintf(why, cap, "out of memory");
        return false;
    }
    p->spec = spec;
    p->usb = o->usb;
    p->events = o->events;
    p->tz_offset_min = o->tz_offset_min;
    p->db = o->db;
    p->width_mm = o->receipt_width_mm;
    p->last_doc = calloc(1, sizeof *p->last_doc);
    if (!p->last_doc) {
        free(p);
        snprintf(why, cap, "out of memory");
        return false;
    }
    snprintf(p->store_name, sizeof p->store_name, "%s", o->store_name ? o->store_name : "");
    if (spec.kind == DEVSPEC_SIM) {
        char path[DEVSPEC_PATH_CAP];
        sim_path(o->db_path, path, sizeof path);
        p->sim = sim_printer_create(path);
        if (!p->sim) {
            free(p->last_doc);
            free(p);
            snprintf(why, cap, "out of memory");
            return false;
        }
        log_info("simulated printer writes to %s", path);
    }
    print_queue_cfg cfg = {
        .spec = spec,
        .open = open_printer,
        .close = close_printer,
        .open_arg = p,
        .on_device = on_device,
        .on_job = on_job,
        .cb_arg = p,
        .write_timeout_ms = o->write_timeout_ms,
    };
    print_err e;
    p->q = print_queue_start(&cfg, &e);
    if (!p->q) {
        snprintf(why, cap, "printer: %s", print_strerror(e));
        sim_printer_destroy(p->sim);
        free(p->last_doc);
        free(p);
        return false;
    }
    *out = p;
    return true;
}

bool printing_probe(const printing_options *o, devspec *spec, device_state *state, char *name,
                    size_t name_cap, char *condition, size_t cond_cap, char *why, size_t why_cap)
{
    name[0] = condition[0] = why[0] = '\0';
    if (!printing_resolve(o, spec, why, why_cap))
        return false;
    *state = DEVICE_CLOSED;
    if (spec->kind == DEVSPEC_NONE)
        return true;
    if (spec->kind == DEVSPEC_SIM) {
        *state = DEVICE_ENABLED;
        snprintf(name, name_cap, "sim printer");
        return true;
    }
    printing p = {.spec = *spec, .usb = o->usb};
    const device_ops *ops = NULL;
    void *self = NULL;
    device_err e = open_printer(&p, spec, &ops, &self, name, name_cap, why, why_cap);
    if (e != DEVICE_OK) {
        *state = DEVICE_ERROR;
        if (!why[0])
            snprintf(why, why_cap, "%s", device_strerror(e));
        return true;
    }
    *state = DEVICE_ENABLED;
    if (ops->read) {
        printer_condition c;
        if (printer_rt_query(ops, self, 500, 500, &c) == DEVICE_OK)
            snprintf(condition, cond_cap, "%s", printer_condition_name(c));
    }
    close_printer(&p, ops, self);
    return true;
}

void printing_wake(printing *p)
{
    if (p)
        print_queue_wake(p->q);
}

size_t printing_stop(printing *p)
{
    if (!p)
        return 0;
    /* Quitting right after a sale must not cut its receipt: what is queued or printing gets
     * up to PRINTING_DRAIN_MS to go out.  Receipts that wait (no paper, no printer) are not
     * waited for: they are reported below. */
    for (int waited_ms = 0; waited_ms < PRINTING_DRAIN_MS; waited_ms += 10) {
        print_queue_counts k;
        print_queue_counts_get(p->q, &k);
        if (k.queued + k.printing == 0)
            break;
        struct timespec t = {0, 10 * 1000000L};
        nanosleep(&t, NULL);
    }
    /* Room for every job left (the queue holds at most a few hundred); out of memory, the
     * first 64 are named and the rest counted as receipts. */
    print_queue_counts k;
    print_queue_counts_get(p->q, &k);
    size_t cap = k.queued + k.printing + k.waiting + 1;
    print_job_info fallback[64];
    print_job_info *left = malloc(cap * sizeof *left);
    if (!left) {
        left = fallback;
        cap = sizeof fallback / sizeof fallback[0];
    }
    size_t n = print_queue_stop(p->q, left, cap);
    size_t receipts = 0;
    for (size_t i = 0; i < n; i++) {
        if (i < cap) {
            log_warn("%s for sale %s (job %llu) not printed: %s",
                     print_job_kind_name(left[i].kind), left[i].ref[0] ? left[i].ref : "?",
                     (unsigned long long)left[i].id,
                     left[i].reason[0] ? left[i].reason : print_job_state_name(left[i].state));
            receipts += left[i].kind != PRINT_JOB_DRAWER_KICK;
        } else {
            receipts++;
        }
    }
    if (left != fallback)
        free(left);
    print_queue_destroy(p->q);
    sim_printer_destroy(p->sim);
    free(p->last_doc);
    free(p);
    return receipts;
}

/* ---- jobs ---- */

/* The receipt document (pos/core/receipt.h) of doc as ESC/POS bytes, at the width configured
 * (receipt.width) and with the store's header, read on the caller's thread with the till's
 * store.  Without a store (tests of the queue), the name and zone given at start. */
static bool render(printing *p, const sale_doc *doc, bool reprint, uint8_t **bytes, size_t *len)
{
    receipt_data *d = calloc(1, sizeof *d);
    if (!d)
        return false;
    store_err se = STORE_OK;
    if (p->db) {
        se = receipt_data_for(p->db, doc, d);
        if (se != STORE_OK)
            log_warn("receipt for sale %s: %s: printed without the store's settings",
                     doc->receipt_no, store_last_error(p->db));
    }
    if (!p->db || se != STORE_OK) {
        receipt_data_defaults(d);
        d->sale = *doc;
        snprintf(d->store_name, sizeof d->store_name, "%s", p->store_name);
        d->tz_offset_min = p->tz_offset_min;
    }
    char why[160];
    size_t replaced = 0;
    bool ok = receipt_data_render(d, RECEIPT_FORMAT_ESCPOS, p->width_mm, reprint, false, bytes,
                                  len, &replaced, why, sizeof why);
    if (!ok)
        log_err("receipt for sale %s: %s", doc->receipt_no, why);
    else if (replaced)
        log_warn("receipt for sale %s: %zu character(s) the printer cannot print, sent as '?'",
                 doc->receipt_no, replaced);
    free(d);
    return ok;
}

/* One row of the print log (db/receipt_prints.h): a failure is logged, never a sale's. */
static void count_print(printing *p, const sale_doc *doc, receipt_print_kind kind)
{
    if (!p->db)
        return;
    store_err e = receipt_prints_add(p->db, doc->uuid, doc->receipt_no, kind, (int64_t)time(NULL));
    if (e != STORE_OK)
        log_warn("receipt %s: %s not counted: %s", doc->receipt_no,
                 kind == RECEIPT_PRINT_REPRINT ? "reprint" : "print", store_last_error(p->db));
}

print_err printing_submit_sale(printing *p, const sale_doc *doc)
{
    bool cash = false;
    for (size_t i = 0; i < doc->n_tenders; i++)
        cash |= doc->tenders[i].kind == TENDER_CASH;
    print_err e = PRINT_OK;
    if (cash) {
        uint8_t kick[8];
        escpos_buf b;
        escpos_buf_init(&b, kick, sizeof kick);
        escpos_drawer d = ESCPOS_DRAWER_DEFAULT;
        (void)escpos_drawer_kick(&b, &d);
        e = print_queue_submit(p->q, PRINT_JOB_DRAWER_KICK, b.data, b.len, doc->receipt_no,
                               doc->uuid, NULL);
        if (e != PRINT_OK)
            log_err("drawer kick for sale %s: %s", doc->receipt_no, print_strerror(e));
    }
    uint8_t *bytes = NULL;
    size_t len = 0;
    if (!render(p, doc, false, &bytes, &len))
        return PRINT_ERR_NO_MEMORY;
    uint64_t id = 0;
    print_err re = print_queue_submit(p->q, PRINT_JOB_RECEIPT, bytes, len, doc->receipt_no,
                                      doc->uuid, &id);
    free(bytes);
    if (re != PRINT_OK) {
        log_err("receipt for sale %s: %s", doc->receipt_no, print_strerror(re));
        /* F7 must not reprint the previous customer's receipt for this one, and the cashier
         * must hear of it: a job-less EVQ_PRINT_DONE (job 0) says which sale was not queued. */
        p->last_receipt = 0;
        evq_event ev = {.kind = EVQ_PRINT_DONE, .job = 0, .status = (int32_t)re};
        snprintf(ev.text, sizeof ev.text, "%s", doc->receipt_no);
        (void)evq_post(p->events, &ev);
        return re;
    }
    p->last_receipt = id;
    if (p->last_doc != doc)
        *p->last_doc = *doc;
    count_print(p, doc, RECEIPT_PRINT_ORIGINAL);
    return e;
}

print_err printing_reprint_last(printing *p, char *msg, size_t cap)
{
    if (!p->last_receipt) {
        snprintf(msg, cap, "%s", T("还没有可重打的小票", "No receipt to reprint yet"));
        return PRINT_ERR_NO_SUCH_JOB;
    }
    print_job_info last;
    bool held = print_queue_job(p->q, p->last_receipt, &last);
    const char *ref = held ? last.ref : "";
    bool done = held && last.state == PRINT_DONE;
    /* Rendered again, marked 重印, only when the queue would take it: a receipt still waiting
     * prints by itself, and a second copy now would be the original twice. */
    uint8_t *bytes = NULL;
    size_t len = 0;
    print_err e = PRINT_ERR_JOB_STATE;
    uint64_t id = 0;
    if (done && !render(p, p->last_doc, true, &bytes, &len))
        e = PRINT_ERR_NO_MEMORY;
    else if (done)
        e = print_queue_reprint_as(p->q, p->last_receipt, bytes, len, &id);
    free(bytes);
    if (e == PRINT_OK) {
        snprintf(msg, cap, T("重打小票 %s", "Reprinting receipt %s"), ref);
        p->last_receipt = id;
        count_print(p, p->last_doc, RECEIPT_PRINT_REPRINT);
    } else if (e == PRINT_ERR_JOB_STATE) {
        snprintf(msg, cap, T("小票 %s 尚未打印完，恢复后会自动打印", "Receipt %s has not printed yet: "
                                                                "it prints when the printer is back"),
                 ref);
    } else {
        snprintf(msg, cap, T("无法重打：%s", "Cannot reprint: %s"), print_strerror(e));
    }
    return e;
}

/* ---- the screen's side ---- */

/* Did job id wait (its DONE is then news)?  remember: and note that it does now (the oldest of
 * WAITED_CAP forgotten). */
static bool waited(printing *p, uint64_t id, bool remember)
{
    for (size_t i = 0; i < p->n_waited; i++)
        if (p->waited[i] == id)
            return true;
    if (remember) {
        if (p->n_waited == WAITED_CAP) {
            memmove(p->waited, p->waited + 1, (WAITED_CAP - 1) * sizeof p->waited[0]);
            p->n_waited--;
        }
        p->waited[p->n_waited++] = id;
    }
    return false;
}

bool printing_on_event(printing *p, const evq_event *ev, char *say, size_t say_cap, bool *warn)
{
    say[0] = '\0';
    *warn = false;
    if (ev->kind == EVQ_DEVICE_STATE)
        return ev->value == DEVICE_PRINTER;
    if (ev->kind != EVQ_PRINT_DONE)
        return false;
    if (ev->job == 0) {
        /* printing_submit_sale could not queue the sale's receipt (the queue full or out of
         * memory): the sale is saved, nothing will print by itself. */
        *warn = true;
        snprintf(say, say_cap,
                 T("小票 %s 未能排队打印（%s）：交易已保存，小票未打印",
                   "Receipt %s could not be queued (%s): the sale is saved, its receipt is "
                   "not printed"),
                 ev->text, print_strerror((print_err)ev->status));
        return true;
    }
    print_job_info j;
    if (!print_queue_job(p->q, ev->job, &j))
        return true;
    print_job_state st = (print_job_state)ev->status;
    print_wait why = (print_wait)ev->value;
    bool kick = j.kind == PRINT_JOB_DRAWER_KICK;
    if (st == PRINT_WAITING) {
        (void)waited(p, j.id, true);   /* its DONE is news */
        *warn = true;
        if (kick)
            snprintf(say, say_cap, T("钱箱未打开：%s", "Drawer not opened: %s"),
                     printing_wait_text(why));
        else
            snprintf(say, say_cap,
                     T("小票 %s 未打印：%s。交易已保存，打印机恢复后自动打印",
                       "Receipt %s not printed: %s. The sale is saved; it prints when the "
                       "printer is back"),
                     j.ref, printing_wait_text(why));
    } else if (st == PRINT_DONE && !kick && waited(p, j.id, false)) {
        snprintf(say, say_cap, T("小票 %s 已补打", "Receipt %s printed"), j.ref);
    } else if (st == PRINT_DONE && kick && waited(p, j.id, false)) {
        snprintf(say, say_cap, "%s", T("钱箱已打开", "Drawer opened"));
    } else if (st == PRINT_CANCELLED && kick) {
        /* The queue dropped a kick it could not send in time (it would open for nobody). */
        *warn = true;
        snprintf(say, say_cap, T("钱箱未打开（%s）：请用钥匙打开钱箱", "Drawer not opened (%s): open it with the key"),
                 printing_wait_text(why));
    } else if (st == PRINT_DONE && why == PRINT_WAIT_PAPER_NEAR_END) {
        *warn = true;
        snprintf(say, say_cap, "%s", T("打印纸将用完，请准备换纸", "Paper nearly out: have a roll ready"));
    }
    return true;
}

/* The chip's short words: it already says 打印机. */
static const char *chip_word(print_wait w)
{
    switch (w) {
    case PRINT_WAIT_MISSING: return T("未连接", "not connected");
    case PRINT_WAIT_OFFLINE: return T("离线", "offline");
    case PRINT_WAIT_COVER_OPEN: return T("开盖", "cover open");
    case PRINT_WAIT_PAPER_OUT: return T("缺纸", "no paper");
    case PRINT_WAIT_TIMEOUT: return T("无响应", "not responding");
    case PRINT_WAIT_IO: return T("故障", "error");
    case PRINT_WAIT_PAPER_NEAR_END: return T("纸将尽", "paper low");
    case PRINT_WAIT_NONE: break;
    }
    return "";
}

void printing_chip(printing *p, const char **text, bool *off, bool *warn)
{
    print_queue_counts k;
    print_queue_counts_get(p->q, &k);
    *off = false;
    *warn = false;
    if (k.waiting > 0) {
        /* The oldest waiting job's reason; receipts counted (a waiting kick is not one), over
         * every job the queue holds (its counts, not a bounded snapshot). */
        print_wait why = k.first_wait;
        size_t receipts = k.waiting_receipts;
        if (receipts)
            snprintf(p->chip, sizeof p->chip, T("%s·待打 %zu", "%s, %zu waiting"),
                     chip_word(why), receipts);
        else
            snprintf(p->chip, sizeof p->chip, "%s", chip_word(why));
        *warn = true;
        *off = why == PRINT_WAIT_MISSING;
    } else if (k.device != DEVICE_ENABLED) {
        snprintf(p->chip, sizeof p->chip, "%s", chip_word(PRINT_WAIT_MISSING));
        *off = true;
    } else if (k.condition == PRINT_WAIT_PAPER_NEAR_END) {
        snprintf(p->chip, sizeof p->chip, "%s", chip_word(k.condition));
        *warn = true;
    } else if (k.queued + k.printing > 0) {
        snprintf(p->chip, sizeof p->chip, "%s", T("打印中", "printing"));
    } else {
        snprintf(p->chip, sizeof p->chip, "%s", p->sim ? T("模拟", "sim") : T("就绪", "ready"));
    }
    *text = p->chip;
}

print_queue *printing_queue(printing *p)
{
    return p->q;
}

sim_printer *printing_sim(printing *p)
{
    return p->sim;
}

char *printing_sim_text_utf8(printing *p)
{
    if (!p->sim)
        return NULL;
    char *gb = malloc(SIM_TEXT_CAP);
    if (!gb)
        return NULL;
    (void)sim_printer_text(p->sim, gb, SIM_TEXT_CAP);
    size_t gl = strlen(gb);
    char *out = malloc(gl * 2 + 1);   /* GB18030 → UTF-8: at most 3 bytes per 2, 4 per 4 */
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    if (!out || cd == (iconv_t)-1) {
        free(gb);
        free(out);
        if (cd != (iconv_t)-1)
            iconv_close(cd);
        return NULL;
    }
    char *ip = gb, *op = out;
    size_t il = gl, ol = gl * 2;
    while (il > 0) {
        if (iconv(cd, &ip, &il, &op, &ol) != (size_t)-1)
            break;
        if (errno != EILSEQ && errno != EINVAL)
            break;
        ip++;   /* a byte the roll's window cut in half: skip it */
        il--;
    }
    *op = '\0';
    iconv_close(cd);
    free(gb);
    return out;
}
