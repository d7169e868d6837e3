/* Remote-processor control blocks: syscon registers and the self-clearing reset
 * controller (include/rpvp/rproc_ctrl.h has the register tables). */
#include "rpvp/rproc_ctrl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct rpvp_syscon {
    uint32_t holdboot, pdds, state, rsc_tbl;
    uint32_t reset_state, reset_rsc_tbl;
    rpvp_irq_sink sink;
    rpvp_rproc_ctrl_stats stats;
};

struct rpvp_rst {
    rpvp_irq_sink sink;
    rpvp_rproc_ctrl_stats stats;
};

/* Guest errors: logged (rate-limited), counted, answered with an error response. */
static rpvp_status guest_error(rpvp_rproc_ctrl_stats *st, const char *blk, const char *what,
                               uint64_t off, unsigned len)
{
    if (st->guest_errors++ < 16)
        fprintf(stderr, "rpvp: %s: guest error: %s at offset 0x%llx (%u bytes)\n", blk, what,
                (unsigned long long)off, len);
    return RPVP_GENERIC_ERROR;
}

static int word_access(uint64_t off, unsigned len) { return len == 4 && (off & 3) == 0; }

/* ---- syscon ---- */

rpvp_syscon *rpvp_syscon_new(uint32_t state, uint32_t rsc_tbl)
{
    rpvp_syscon *s = calloc(1, sizeof(*s));
    if (s) {
        s->reset_state = s->state = state;
        s->reset_rsc_tbl = s->rsc_tbl = rsc_tbl;
    }
    return s;
}

void rpvp_syscon_free(rpvp_syscon *s) { free(s); }

void rpvp_syscon_preset(rpvp_syscon *s, uint32_t state, uint32_t rsc_tbl)
{
    s->reset_state = s->state = state;
    s->reset_rsc_tbl = s->rsc_tbl = rsc_tbl;
}

void rpvp_syscon_get_stats(const rpvp_syscon *s, rpvp_rproc_ctrl_stats *st) { *st = s->stats; }

static rpvp_status syscon_read(void *dev, uint64_t off, void *data, unsigned len, uint64_t *d)
{
    (void)d;
    rpvp_syscon *s = dev;
    s->stats.accesses++;
    if (!word_access(off, len))
        return guest_error(&s->stats, "syscon", "not an aligned 32-bit read", off, len);
    uint32_t v;
    switch (off) {
    case RPVP_SYSCON_HOLDBOOT: v = s->holdboot; break;
    case RPVP_SYSCON_TZEN: v = 0; break;
    case RPVP_SYSCON_PDDS: v = s->pdds; break;
    case RPVP_SYSCON_STATE: v = s->state; break;
    case RPVP_SYSCON_RSC_TBL: v = s->rsc_tbl; break;
    default: return guest_error(&s->stats, "syscon", "read of no register", off, len);
    }
    memcpy(data, &v, 4);
    return RPVP_OK;
}

static rpvp_status syscon_write(void *dev, uint64_t off, const void *data, unsigned len,
                                uint64_t *d)
{
    (void)d;
    rpvp_syscon *s = dev;
    s->stats.accesses++;
    if (!word_access(off, len))
        return guest_error(&s->stats, "syscon", "not an aligned 32-bit write", off, len);
    uint32_t v;
    memcpy(&v, data, 4);
    switch (off) {
    case RPVP_SYSCON_HOLDBOOT: {
        uint32_t old = s->holdboot;
        s->holdboot = v & RPVP_SYSCON_BOOT;
        if (old != s->holdboot) {
            s->stats.events += s->holdboot ? 1 : 0;
            rpvp_irq_sink_set(&s->sink, 0, (int)s->holdboot);
        }
        return RPVP_OK;
    }
    case RPVP_SYSCON_TZEN:
        return guest_error(&s->stats, "syscon", "write to read-only TZEN", off, len);
    case RPVP_SYSCON_PDDS: s->pdds = v & RPVP_SYSCON_BOOT; return RPVP_OK;
    case RPVP_SYSCON_STATE: s->state = v; return RPVP_OK;
    case RPVP_SYSCON_RSC_TBL: s->rsc_tbl = v; return RPVP_OK;
    default: return guest_error(&s->stats, "syscon", "write to no register", off, len);
    }
}

static unsigned syscon_debug_read(void *dev, uint64_t off, void *data, unsigned len)
{
    rpvp_syscon *s = dev;
    rpvp_rproc_ctrl_stats keep = s->stats;
    unsigned n = syscon_read(dev, off, data, len, NULL) == RPVP_OK ? len : 0;
    s->stats = keep;
    return n;
}

static void syscon_reset(void *dev)
{
    rpvp_syscon *s = dev;
    s->holdboot = s->pdds = 0;
    s->state = s->reset_state;
    s->rsc_tbl = s->reset_rsc_tbl;
    rpvp_irq_sink_set(&s->sink, 0, 0);
}

static void syscon_set_sink(void *dev, const rpvp_irq_sink *sink)
{
    ((rpvp_syscon *)dev)->sink = *sink;
}

const rpvp_device_ops *rpvp_syscon_ops(void)
{
    static const rpvp_device_ops ops = {
        "syscon", syscon_read, syscon_write, syscon_debug_read, syscon_reset,
        syscon_set_sink, NULL, 1, 0,
    };
    return &ops;
}

/* ---- reset controller ---- */

rpvp_rst *rpvp_rst_new(void) { return calloc(1, sizeof(rpvp_rst)); }

void rpvp_rst_free(rpvp_rst *r) { free(r); }

void rpvp_rst_get_stats(const rpvp_rst *r, rpvp_rproc_ctrl_stats *st) { *st = r->stats; }

static rpvp_status rst_read(void *dev, uint64_t off, void *data, unsigned len, uint64_t *d)
{
    (void)d;
    rpvp_rst *r = dev;
    r->stats.accesses++;
    if (!word_access(off, len) || off != RPVP_RESET_REG)
        return guest_error(&r->stats, "reset", "not a 32-bit read of RESET", off, len);
    memset(data, 0, 4); /* self-clearing: a pulse is over when the write completes */
    return RPVP_OK;
}

static rpvp_status rst_write(void *dev, uint64_t off, const void *data, unsigned len,
                             uint64_t *d)
{
    (void)d;
    rpvp_rst *r = dev;
    r->stats.accesses++;
    if (!word_access(off, len) || off != RPVP_RESET_REG)
        return guest_error(&r->stats, "reset", "not a 32-bit write of RESET", off, len);
    uint32_t v;
    memcpy(&v, data, 4);
    if (v & RPVP_RESET_M3) {
        r->stats.events++;
        rpvp_irq_sink_set(&r->sink, 0, 1); /* the wrapper shows both edges, in order */
        rpvp_irq_sink_set(&r->sink, 0, 0);
    }
    return RPVP_OK;
}

static unsigned rst_debug_read(void *dev, uint64_t off, void *data, unsigned len)
{
    (void)dev;
    if (len != 4 || off != RPVP_RESET_REG)
        return 0;
    memset(data, 0, 4);
    return 4;
}

static void rst_reset(void *dev) { (void)dev; }

static void rst_set_sink(void *dev, const rpvp_irq_sink *sink) { ((rpvp_rst *)dev)->sink = *sink; }

const rpvp_device_ops *rpvp_rst_ops(void)
{
    static const rpvp_device_ops ops = {
        "reset", rst_read, rst_write, rst_debug_read, rst_reset, rst_set_sink, NULL, 1, 0,
    };
    return &ops;
}
