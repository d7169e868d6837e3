/*
 * rpvp C device-core interface: what a plain C device model (no SystemC) exposes so
 * that the one generic SystemC wrapper (rpvp::CoreTarget, bridge/core/core_target.h)
 * turns it into a TLM-2.0 target with interrupt outputs and inputs.
 *
 * The wrapper hands the core local offsets (the interconnect has already decoded the
 * address), checks nothing about the register map itself and sets the TLM response from
 * the status the core returns. Interrupt outputs are driven only through the sink the
 * wrapper installs; a core recomputes them in one update function (QEMU style).
 */
#ifndef RPVP_DEVICE_H
#define RPVP_DEVICE_H

#include <stdint.h>

#include "rpvp/bridge.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Where a core sends its interrupt outputs: fn(ctx, line, level). */
typedef struct rpvp_irq_sink {
    rpvp_irq_fn fn;
    void *ctx;
} rpvp_irq_sink;

static inline void rpvp_irq_sink_set(const rpvp_irq_sink *s, unsigned line, int level)
{
    if (s && s->fn)
        s->fn(s->ctx, line, level);
}

/* Clock for cores that time-stamp statistics: now_ps(ctx) is the simulated time of the
 * access being handled (global time plus the caller's annotated offset). */
typedef struct rpvp_clock {
    uint64_t (*now_ps)(void *ctx);
    void *ctx;
} rpvp_clock;

static inline uint64_t rpvp_clock_now(const rpvp_clock *c)
{
    return (c && c->now_ps) ? c->now_ps(c->ctx) : 0;
}

typedef struct rpvp_device_ops {
    const char *name;
    /* Register read/write at local offset `off` of `len` bytes (1, 2, 4 or 8).
     * `delay_ps` is in/out: the wrapper passes the latency it already annotated; a core
     * that does nested work (e.g. its own bus accesses) adds to it. Must not block. */
    rpvp_status (*read)(void *dev, uint64_t off, void *data, unsigned len, uint64_t *delay_ps);
    rpvp_status (*write)(void *dev, uint64_t off, const void *data, unsigned len,
                         uint64_t *delay_ps);
    /* Side-effect-free access for debuggers; NULL means "use read/write is unsafe,
     * answer 0 bytes". Returns bytes transferred. */
    unsigned (*debug_read)(void *dev, uint64_t off, void *data, unsigned len);
    /* Return every register to its reset value. */
    void (*reset)(void *dev);
    /* The wrapper installs the sink for the core's interrupt outputs here. */
    void (*set_irq_sink)(void *dev, const rpvp_irq_sink *sink);
    /* Optional: an interrupt input of the core changed (e.g. the virtio device as a
     * mailbox user). Called in SystemC context at the simulated time of the edge. */
    void (*irq_in)(void *dev, unsigned line, int level);
    unsigned num_irq_out;
    unsigned num_irq_in;
} rpvp_device_ops;

#ifdef __cplusplus
}
#endif
#endif
