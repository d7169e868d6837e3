/* Plain C, as an ISS or traffic generator would be: only include/rpvp/bridge.h. */
#include "c_initiator.h"

#include <stdint.h>
#include <string.h>

#include "scratch_dev.h"

static void on_irq(void *ctx, unsigned line, int level)
{
    c_initiator_result *r = ctx;
    if (line == 0)
        r->irq_edges_seen++;
    (void)level;
}

static void on_dmi_invalidate(void *ctx, uint64_t start, uint64_t end)
{
    c_initiator_result *r = ctx;
    if (r->dmi_granted && start <= r->dmi.end && r->dmi.start <= end)
        r->dmi_invalidated = 1;
}

static int check_widths(rpvp_port *p, uint64_t base)
{
    static const size_t widths[] = {1, 2, 4, 8, 16, 64};
    uint8_t out[64], in[64];
    for (size_t w = 0; w < sizeof(widths) / sizeof(widths[0]); w++) {
        size_t n = widths[w];
        for (size_t i = 0; i < n; i++)
            out[i] = (uint8_t)(0xA0 + 7 * i + n);
        /* an odd offset, to catch alignment assumptions */
        uint64_t a = base + 0x100 * (w + 1) + 3;
        if (rpvp_write(p, a, out, n, NULL) != RPVP_OK)
            return 0;
        memset(in, 0, sizeof(in));
        if (rpvp_read(p, a, in, n, NULL) != RPVP_OK || memcmp(in, out, n) != 0)
            return 0;
        /* neighbours untouched */
        uint8_t before = 0xFF, after = 0xFF;
        rpvp_read(p, a - 1, &before, 1, NULL);
        rpvp_read(p, a + n, &after, 1, NULL);
        if (before != 0 || after != 0)
            return 0;
    }
    return 1;
}

void c_initiator_run(rpvp_port *p, void *opaque)
{
    c_initiator_ctx *c = opaque;
    c_initiator_result *r = &c->res;
    uint32_t v = 0;

    rpvp_set_irq_callback(p, on_irq, r);
    rpvp_set_dmi_invalidate_callback(p, on_dmi_invalidate, r);

    r->widths_ok = check_widths(p, c->cfg.ddr_base);
    r->hole_read = rpvp_read(p, c->cfg.hole, &v, 4, NULL);
    r->hole_write = rpvp_write(p, c->cfg.hole, &v, 4, NULL);

    rpvp_read(p, c->cfg.scratch_base + A_SCRATCH_ID, &r->scratch_id, 4, &r->scratch_delay_ps);
    v = 0x12345678;
    rpvp_write(p, c->cfg.scratch_base + A_SCRATCH_DATA, &v, 4, NULL);
    rpvp_read(p, c->cfg.scratch_base + A_SCRATCH_DATA, &r->scratch_data, 4, NULL);
    uint16_t h = 0;
    r->scratch_bad_width = rpvp_read(p, c->cfg.scratch_base + A_SCRATCH_DATA, &h, 2, NULL);

    r->dmi_granted = rpvp_get_dmi(p, c->cfg.ddr_base + 0x40, &r->dmi);
    if (r->dmi_granted && r->dmi.write_allowed) {
        uint8_t *q = r->dmi.ptr + (c->cfg.ddr_base + 0x2000 - r->dmi.start);
        memcpy(q, "DMI!", 4);
        char back[4] = {0};
        rpvp_read(p, c->cfg.ddr_base + 0x2000, back, 4, NULL);
        r->dmi_write_seen_by_tlm = memcmp(back, "DMI!", 4) == 0;
    }
    char dbg[8] = {0};
    rpvp_write(p, c->cfg.ddr_base + 0x3000, "debug-ok", 8, NULL);
    r->debug_bytes = rpvp_debug_read(p, c->cfg.ddr_base + 0x3000, dbg, 8);
    r->debug_ok = memcmp(dbg, "debug-ok", 8) == 0;

    rpvp_port_sync(p);
    r->time_before = rpvp_port_now(p);
    for (int i = 0; i < 1000; i++)
        rpvp_port_advance(p, 5000); /* 1000 cycles of 5 ns */
    r->time_after = rpvp_port_now(p);

    /* Raise the scratch device's interrupt, which is wired back to our irq[0]. */
    v = 1;
    rpvp_write(p, c->cfg.scratch_base + A_SCRATCH_IRQ, &v, 4, NULL);
    r->woke_by_irq = rpvp_port_wait_irq(p, 1000000000ull);
    r->wake_time_ps = rpvp_port_now(p);
    v = 0;
    rpvp_write(p, c->cfg.scratch_base + A_SCRATCH_IRQ, &v, 4, NULL);
    rpvp_port_wait_irq(p, 1000000000ull);
}
