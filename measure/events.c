/* The measurement event sink (include/rpvp/measure.h): a growable array. */
#include "rpvp/measure.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char MAGIC[8] = "RPVPEV1";

struct rpvp_ev_sink {
    rpvp_ev *v;
    size_t n, cap;
    uint64_t limit;   /* stored events at most, besides the RPVP_EV_DROPPED one; 0: none */
    uint64_t dropped; /* once non-zero nothing more is stored: the record is the last event */
    rpvp_ev_tap_fn tap;
    void *tap_ctx;
    int in_tap;
};

rpvp_ev_sink *rpvp_ev_sink_new(void)
{
    rpvp_ev_sink *s = calloc(1, sizeof(rpvp_ev_sink));
    if (s)
        s->limit = RPVP_EV_DEFAULT_LIMIT;
    return s;
}

void rpvp_ev_sink_set_limit(rpvp_ev_sink *s, uint64_t limit)
{
    s->limit = limit;
}

static int store(rpvp_ev_sink *s, const rpvp_ev *e)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 4096;
        if (s->limit && cap > s->limit + 1 && s->limit + 1 > s->n)
            cap = s->limit + 1; /* the limit's events and the record, no more */
        rpvp_ev *v = realloc(s->v, cap * sizeof(*v));
        if (!v)
            return 0;
        s->v = v;
        s->cap = cap;
    }
    s->v[s->n++] = *e;
    return 1;
}

/* One more event not stored: the first opens the RPVP_EV_DROPPED record at its time. */
static void drop(rpvp_ev_sink *s, const rpvp_ev *e, uint64_t count)
{
    if (!s->dropped) {
        const rpvp_ev m = {.t_ps = e->t_ps, .kind = RPVP_EV_DROPPED};
        store(s, &m); /* without memory even for the record, the count is all there is */
    }
    s->dropped += count;
    rpvp_ev *last = s->n ? &s->v[s->n - 1] : NULL;
    if (last && last->kind == RPVP_EV_DROPPED) {
        last->value = (uint32_t)s->dropped;
        last->src = (uint32_t)(s->dropped >> 32);
    }
}

void rpvp_ev_sink_free(rpvp_ev_sink *s)
{
    if (!s)
        return;
    free(s->v);
    free(s);
}

void rpvp_ev_push(rpvp_ev_sink *s, const rpvp_ev *e)
{
    if (e->kind == RPVP_EV_DROPPED) /* a loaded record: its count carries over */
        drop(s, e, rpvp_ev_dropped_count(e));
    else if (s->dropped || (s->limit && s->n >= s->limit) || !store(s, e))
        drop(s, e, 1);
    /* The tap sees every event, stored or not: the vring observer's state must follow. */
    if (e->kind != RPVP_EV_DROPPED && s->tap && !s->in_tap) {
        s->in_tap = 1; /* what the tap emits is stored, not tapped again */
        s->tap(s->tap_ctx, e);
        s->in_tap = 0;
    }
}

void rpvp_ev_sink_set_tap(rpvp_ev_sink *s, rpvp_ev_tap_fn fn, void *ctx)
{
    s->tap = fn;
    s->tap_ctx = ctx;
}

const rpvp_ev *rpvp_ev_data(const rpvp_ev_sink *s, size_t *count)
{
    *count = s->n;
    return s->v;
}

uint64_t rpvp_ev_dropped(const rpvp_ev_sink *s)
{
    return s->dropped;
}

int rpvp_ev_save(const rpvp_ev_sink *s, const char *path, char *err, size_t err_size)
{
    FILE *f = fopen(path, "wb");
    if (!f) {
        snprintf(err, err_size, "cannot write %s: %s", path, strerror(errno));
        return -1;
    }
    uint64_t n = s->n, size = sizeof(rpvp_ev);
    int ok = fwrite(MAGIC, sizeof MAGIC, 1, f) == 1 && fwrite(&size, 8, 1, f) == 1 &&
             fwrite(&n, 8, 1, f) == 1 && (n == 0 || fwrite(s->v, sizeof(rpvp_ev), n, f) == n);
    if (fclose(f) != 0)
        ok = 0;
    if (!ok)
        snprintf(err, err_size, "cannot write %s: %s", path, strerror(errno));
    return ok ? 0 : -1;
}

int rpvp_ev_load(rpvp_ev_sink *s, const char *path, char *err, size_t err_size)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, err_size, "cannot read %s: %s", path, strerror(errno));
        return -1;
    }
    char magic[8];
    uint64_t size = 0, n = 0;
    int rc = -1;
    if (fread(magic, sizeof magic, 1, f) != 1 || memcmp(magic, MAGIC, sizeof magic) != 0 ||
        fread(&size, 8, 1, f) != 1 || fread(&n, 8, 1, f) != 1 || size != sizeof(rpvp_ev)) {
        snprintf(err, err_size, "%s: not an rpvp event file of this build", path);
    } else {
        rc = 0;
        for (uint64_t i = 0; i < n; i++) {
            rpvp_ev e;
            if (fread(&e, sizeof e, 1, f) != 1) {
                snprintf(err, err_size, "%s: truncated after %llu of %llu events", path,
                         (unsigned long long)i, (unsigned long long)n);
                rc = -1;
                break;
            }
            rpvp_ev_push(s, &e);
        }
    }
    fclose(f);
    return rc;
}

const char *rpvp_ev_kind_name(unsigned kind)
{
    static const char *const names[RPVP_EV_KIND_COUNT] = {
        [RPVP_EV_NOTIFY] = "notify",          [RPVP_EV_AVAIL] = "avail",
        [RPVP_EV_USED] = "used",              [RPVP_EV_MBOX_WRITE] = "mbox_write",
        [RPVP_EV_MBOX_READ] = "mbox_read",    [RPVP_EV_MBOX_FULL] = "mbox_full",
        [RPVP_EV_IRQ_ENTRY] = "irq_entry",    [RPVP_EV_KICK_DEFERRED] = "kick_deferred",
        [RPVP_EV_KICK_COALESCED] = "kick_coalesced", [RPVP_EV_IRQ_RAISE] = "irq_raise",
        [RPVP_EV_IRQ_ACK] = "irq_ack",        [RPVP_EV_VRING] = "vring",
        [RPVP_EV_APP_SEND] = "app_send",      [RPVP_EV_APP_RECV] = "app_recv",
        [RPVP_EV_DROPPED] = "dropped",
    };
    return kind < RPVP_EV_KIND_COUNT && names[kind] ? names[kind] : "?";
}

const char *rpvp_agent_name(unsigned agent)
{
    static const char *const names[RPVP_AGENT_COUNT] = {"application", "linux-driver",
                                                        "virtio-device", "mailbox", "m3"};
    return agent < RPVP_AGENT_COUNT ? names[agent] : "?";
}

int rpvp_ev_remote_path(char *buf, size_t size, const char *path, unsigned r)
{
    if (r == 0)
        return snprintf(buf, size, "%s", path);
    const char *slash = strrchr(path, '/'), *dot = strrchr(path, '.');
    if (!dot || (slash && dot < slash))
        return snprintf(buf, size, "%s-remote%u", path, r);
    return snprintf(buf, size, "%.*s-remote%u%s", (int)(dot - path), path, r, dot);
}
