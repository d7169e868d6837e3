/*
 * virtio-rpmsg device: public API (configuration, creation, hooks, statistics) and the
 * logging helpers every part of the core uses.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rpvp/virtio_ring.h"
#include "vrpmsg_internal.h"

static const char *const level_names[] = {"guest error", "info", "trace"};

static void vlog(rpvp_vrpmsg *d, rpvp_vrpmsg_log_level lvl, const char *fmt, va_list ap)
{
    char msg[256];
    vsnprintf(msg, sizeof msg, fmt, ap);
    if (d->cfg.log) {
        d->cfg.log(d->cfg.log_ctx, lvl, msg);
        return;
    }
    /* Default: stderr, rate-limited so a misbehaving guest cannot flood the console. */
    if (lvl != RPVP_VRPMSG_LOG_TRACE && d->log_lines >= d->cfg.log_limit)
        return;
    if (lvl != RPVP_VRPMSG_LOG_TRACE && ++d->log_lines == d->cfg.log_limit)
        fprintf(stderr, "rpvp %s: %s: %s (further messages suppressed)\n", d->name,
                level_names[lvl], msg);
    else
        fprintf(stderr, "rpvp %s: %s: %s\n", d->name, level_names[lvl], msg);
}

void vrpmsg_log(rpvp_vrpmsg *d, rpvp_vrpmsg_log_level lvl, const char *fmt, ...)
{
    if (lvl == RPVP_VRPMSG_LOG_TRACE && !d->cfg.trace)
        return;
    va_list ap;
    va_start(ap, fmt);
    vlog(d, lvl, fmt, ap);
    va_end(ap);
}

void vrpmsg_guest_error(rpvp_vrpmsg *d, uint64_t *counter, const char *fmt, ...)
{
    (*counter)++;
    d->st.guest_errors++;
    va_list ap;
    va_start(ap, fmt);
    vlog(d, RPVP_VRPMSG_LOG_GUEST_ERROR, fmt, ap);
    va_end(ap);
}

uint64_t vrpmsg_now(const rpvp_vrpmsg *d)
{
    return rpvp_clock_now(&d->clock);
}

/* ---------------------------------------------------------------------------------- */
/* Public API                                                                          */
/* ---------------------------------------------------------------------------------- */

void rpvp_vrpmsg_config_default(rpvp_vrpmsg_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->name = "virtio-rpmsg";
    cfg->version = 2;
    cfg->vendor_id = RPVP_VRPMSG_VENDOR_ID;
    cfg->ddr_base = 0x40000000u;
    cfg->ddr_size = 256u << 20;
    cfg->mbox_user = 0;
    cfg->queue_num_max = 256;
    cfg->vring_align = VIRTIO_LEGACY_VRING_ALIGN;
    cfg->log_limit = 50;
}

static const char *check_config(const rpvp_vrpmsg_config *c)
{
    if (c->version != 1 && c->version != 2)
        return "version must be 1 or 2";
    if (!vrpmsg_is_pow2(c->queue_num_max) || c->queue_num_max > 32768)
        return "queue_num_max must be a power of two <= 32768";
    if (!vrpmsg_is_pow2(c->vring_align))
        return "vring_align must be a power of two";
    if (c->mbox_user >= 16)
        return "mailbox user index out of range (0..15)";
    if (!c->bus.read || !c->bus.write)
        return "bus read/write functions missing";
    return NULL;
}

rpvp_vrpmsg *rpvp_vrpmsg_new(const rpvp_vrpmsg_config *cfg)
{
    const char *why = check_config(cfg);
    if (why) {
        fprintf(stderr, "rpvp virtio-rpmsg: bad configuration: %s\n", why);
        return NULL;
    }
    rpvp_vrpmsg *d = calloc(1, sizeof *d);
    if (!d) {
        fprintf(stderr, "rpvp virtio-rpmsg: out of memory\n");
        return NULL;
    }
    d->cfg = *cfg;
    if (!d->cfg.log_limit)
        d->cfg.log_limit = 50;
    snprintf(d->name, sizeof d->name, "%s", cfg->name ? cfg->name : "virtio-rpmsg");
    d->cfg.name = d->name;
    d->table_addr = cfg->rsc_table_addr;
    d->table_size = cfg->rsc_table_size;
    vrpmsg_reset_registers(d);
    return d;
}

void rpvp_vrpmsg_free(rpvp_vrpmsg *d)
{
    free(d);
}

rpvp_status rpvp_vrpmsg_start(rpvp_vrpmsg *d, uint64_t *delay_ps)
{
    uint64_t local = 0;
    return vrpmsg_mbox_start(d, delay_ps ? delay_ps : &local);
}

void rpvp_vrpmsg_set_rsc_table(rpvp_vrpmsg *d, uint64_t addr, uint32_t size)
{
    d->table_addr = addr;
    d->table_size = size;
    vrpmsg_table_forget(d);
}

uint64_t rpvp_vrpmsg_vdev_addr(rpvp_vrpmsg *d)
{
    return vrpmsg_table_lookup(d) ? d->vdev_addr : 0;
}

void rpvp_vrpmsg_set_clock(rpvp_vrpmsg *d, const rpvp_clock *clock)
{
    if (clock)
        d->clock = *clock;
    else
        memset(&d->clock, 0, sizeof d->clock);
}

void rpvp_vrpmsg_set_event_sink(rpvp_vrpmsg *d, rpvp_ev_sink *sink)
{
    d->events = sink;
}

void vrpmsg_event(rpvp_vrpmsg *d, unsigned kind, unsigned queue, uint32_t value)
{
    if (!d->events)
        return;
    rpvp_ev e = {.t_ps = vrpmsg_now(d), .kind = (uint16_t)kind, .agent = RPVP_AGENT_VDEV,
                 .q = (uint8_t)queue, .value = value};
    rpvp_ev_push(d->events, &e);
}

void rpvp_vrpmsg_set_vring_hook(rpvp_vrpmsg *d, rpvp_vrpmsg_vring_fn fn, void *ctx)
{
    d->vring_fn = fn;
    d->vring_ctx = ctx;
}

uint32_t rpvp_vrpmsg_read32(rpvp_vrpmsg *d, uint32_t off)
{
    uint32_t v = 0;
    uint64_t delay = 0;
    if (rpvp_vrpmsg_ops()->read(d, off, &v, 4, &delay) != RPVP_OK)
        return 0;
    return v;
}

rpvp_status rpvp_vrpmsg_write32(rpvp_vrpmsg *d, uint32_t off, uint32_t value)
{
    uint64_t delay = 0;
    return rpvp_vrpmsg_ops()->write(d, off, &value, 4, &delay);
}

void rpvp_vrpmsg_mailbox_irq(rpvp_vrpmsg *d, int level, uint64_t *delay_ps)
{
    uint64_t local = 0;
    if (level)
        vrpmsg_service(d, delay_ps ? delay_ps : &local, 0);
}

void rpvp_vrpmsg_update_irq(rpvp_vrpmsg *d)
{
    vrpmsg_update(d);
}

int rpvp_vrpmsg_irq_level(const rpvp_vrpmsg *d)
{
    return d->irq_level;
}

void rpvp_vrpmsg_get_stats(const rpvp_vrpmsg *d, rpvp_vrpmsg_stats *out)
{
    *out = d->st;
}

void rpvp_vrpmsg_clear_stats(rpvp_vrpmsg *d)
{
    rpvp_vrpmsg_queue_stats q[RPVP_VRPMSG_MAX_QUEUES];
    for (unsigned i = 0; i < RPVP_VRPMSG_MAX_QUEUES; i++) {
        q[i] = (rpvp_vrpmsg_queue_stats){0};
        q[i].num = d->st.queue[i].num; /* configuration, not a statistic */
        q[i].desc_addr = d->st.queue[i].desc_addr;
    }
    memset(&d->st, 0, sizeof d->st);
    memcpy(d->st.queue, q, sizeof q);
}

