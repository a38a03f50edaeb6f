/* docstore: the document-commit skeleton shared by sales and refunds.  See docstore.h. */
#include "db/docstore.h"

#include <stdio.h>
#include <string.h>

#include "db/audit.h"
#include "db/outbox.h"
#include "db/settings.h"
#include "db/store_internal.h"
#include "pos/core/bizday.h"

/* max(seq) + 1 for the till and day, read inside the write transaction: two tills (or two
 * processes) can never take the same number.  The caller's literal is kept prepared. */
static store_err next_seq(store *s, const char *sql, docstore_id *id)
{
    sqlite3_stmt *st = NULL;
    store_err e = store_cached(s, sql, &st);
    if (e)
        return e;
    store_bind_text(st, 1, id->store_code);
    sqlite3_bind_int(st, 2, id->till_no);
    store_bind_text(st, 3, id->business_day);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        id->seq = sqlite3_column_int(st, 0);
        e = STORE_OK;
    } else {
        e = store_fail(s, rc);
    }
    sqlite3_reset(st);
    return e;
}

typedef struct {
    const docstore_ops *ops;
    void *doc;
    bool stored;
} commit_ctx;

static store_err commit_tx(store *s, void *vctx)
{
    commit_ctx *c = vctx;
    const docstore_ops *ops = c->ops;
    store_err e;

    if (ops->find && ((e = ops->find(s, c->doc, &c->stored)) || c->stored))
        return e;

    docstore_id id;
    memset(&id, 0, sizeof id);
    if (ops->prepare && (e = ops->prepare(s, c->doc, &id)))
        return e;
    /* The zone (and the till's identity) read under the write lock, so the day and the
     * number agree with each other. */
    till_config cfg;
    if ((e = settings_get_config(s, &cfg)))
        return e;
    if (!id.store_code[0]) {
        snprintf(id.store_code, sizeof id.store_code, "%s", cfg.store_code);
        id.till_no = cfg.till_no;
    }
    bizday_format_day(id.created_utc, cfg.tz_offset_min, id.business_day);
    if ((e = next_seq(s, ops->seq_sql, &id)) || (e = ops->number(s, c->doc, &id)))
        return e;

    strbuf payload, detail;
    strbuf_init(&payload);
    strbuf_init(&detail);
    if ((e = ops->render(s, c->doc, &payload, &detail)))
        goto done;
    if (payload.oom || detail.oom || !payload.data || !detail.data) {
        e = store_failf(s, STORE_ERR_INTERNAL, "out of memory formatting %s %s", ops->kind,
                        id.uuid);
        goto done;
    }
    if ((e = ops->rows(s, c->doc, &id, payload.data)))
        goto done;
    if ((e = outbox_append(s, ops->kind, id.uuid, payload.data, id.created_utc)))
        goto done;
    e = audit_append(s, id.created_utc, id.actor, ops->audit_event, id.uuid, detail.data);
done:
    strbuf_free(&payload);
    strbuf_free(&detail);
    return e;
}

store_err docstore_commit(store *s, const docstore_ops *ops, void *doc, bool *stored)
{
    if (stored)
        *stored = false;
    if (!s || !ops || !ops->seq_sql || !ops->number || !ops->render || !ops->rows || !doc)
        return store_failf(s, STORE_ERR_INVALID, "docstore_commit: missing argument");
    commit_ctx c = {ops, doc, false};
    store_err e = store_transaction(s, commit_tx, &c);
    if (e == STORE_OK && stored)
        *stored = c.stored;
    return e;
}
