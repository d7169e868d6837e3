/*
 * rpvp_shost_bus on a bridge port (rpvp/bridge.h): MMIO through rpvp_read/rpvp_write
 * (timed b_transport), the DMA pool through DMI, the interrupt through the port's input
 * line (level, rpvp_port_wait_irq, and an rpvp_set_irq_callback that counts edges).
 */
#include "rpvp/rpmsg.h"

static rpvp_status port_read32(void *ctx, uint64_t addr, uint32_t *val)
{
    rpvp_shost_port_state *s = ctx;
    return rpvp_read(s->port, addr, val, 4, NULL);
}

static rpvp_status port_write32(void *ctx, uint64_t addr, uint32_t val)
{
    rpvp_shost_port_state *s = ctx;
    return rpvp_write(s->port, addr, &val, 4, NULL);
}

static void *port_mem_ptr(void *ctx, uint64_t pa, size_t len)
{
    rpvp_shost_port_state *s = ctx;
    if (!s->have_dmi || pa < s->dmi.start || pa + len - 1 > s->dmi.end) {
        s->have_dmi = rpvp_get_dmi(s->port, pa, &s->dmi);
        if (!s->have_dmi)
            return NULL;
    }
    if (!s->dmi.read_allowed || !s->dmi.write_allowed || pa < s->dmi.start ||
        len == 0 || pa + len - 1 > s->dmi.end)
        return NULL;
    return s->dmi.ptr + (pa - s->dmi.start);
}

static void port_dmi_invalidate(void *ctx, uint64_t start, uint64_t end)
{
    rpvp_shost_port_state *s = ctx;
    /* The host keeps its pool pointer: an invalidation of it is a platform error. */
    if (s->have_dmi && start <= s->dmi.end && end >= s->dmi.start)
        s->have_dmi = 0;
}

static int port_irq_level(void *ctx)
{
    rpvp_shost_port_state *s = ctx;
    return rpvp_port_irq_level(s->port, s->irq_line);
}

static int port_wait_irq(void *ctx, uint64_t max_ps)
{
    rpvp_shost_port_state *s = ctx;
    return rpvp_port_wait_irq(s->port, max_ps);
}

static uint64_t port_now(void *ctx)
{
    rpvp_shost_port_state *s = ctx;
    return rpvp_port_now(s->port);
}

static void port_advance(void *ctx, uint64_t ps)
{
    rpvp_shost_port_state *s = ctx;
    rpvp_port_advance(s->port, ps);
}

static void port_irq_edge(void *ctx, unsigned line, int level)
{
    rpvp_shost_port_state *s = ctx;
    if (line == s->irq_line && level)
        s->irq_edges++;
}

void rpvp_shost_bus_from_port(rpvp_shost_bus *bus, rpvp_shost_port_state *state,
                              rpvp_port *port, unsigned irq_line)
{
    *state = (rpvp_shost_port_state){.port = port, .irq_line = irq_line};
    *bus = (rpvp_shost_bus){.mmio_read32 = port_read32, .mmio_write32 = port_write32,
                            .mem_ptr = port_mem_ptr, .irq_level = port_irq_level,
                            .wait_irq = port_wait_irq, .now_ps = port_now,
                            .advance = port_advance, .ctx = state};
    rpvp_set_irq_callback(port, port_irq_edge, state);
    rpvp_set_dmi_invalidate_callback(port, port_dmi_invalidate, state);
}
