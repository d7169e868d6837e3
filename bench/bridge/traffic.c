#include "traffic.h"

#include <string.h>

/* Writes a block, then reads it back and compares, walking through the span. */
void traffic_run(rpvp_port *p, void *opaque)
{
    traffic_ctx *t = opaque;
    const traffic_cfg *c = &t->cfg;
    traffic_result *r = &t->res;
    uint8_t out[64], in[64];
    const uint32_t n = c->access_bytes > sizeof(out) ? (uint32_t)sizeof(out) : c->access_bytes;
    const uint64_t slots = c->span / n;
    rpvp_dmi dmi = {0};
    int have_dmi = 0;

    if (c->mode == TRAFFIC_DMI)
        have_dmi = rpvp_get_dmi(p, c->base, &dmi) && dmi.read_allowed && dmi.write_allowed;
    r->sim_start_ps = p ? rpvp_port_now(p) : 0;
    for (uint64_t i = 0; i + 1 < c->count; i += 2) {
        const uint64_t a = c->base + ((i / 2) % slots) * n;
        for (uint32_t k = 0; k < n; k++)
            out[k] = (uint8_t)(i + k);
        if (c->mode == TRAFFIC_PLAIN_MEMORY) {
            memcpy(c->plain + (a - c->base), out, n);
            memcpy(in, c->plain + (a - c->base), n);
        } else if (have_dmi && a + n - 1 <= dmi.end) {
            memcpy(dmi.ptr + (a - dmi.start), out, n);
            rpvp_port_advance(p, dmi.write_latency_ps + c->cycle_ps);
            memcpy(in, dmi.ptr + (a - dmi.start), n);
            rpvp_port_advance(p, dmi.read_latency_ps + c->cycle_ps);
        } else {
            if (rpvp_write(p, a, out, n, NULL) != RPVP_OK)
                r->errors++;
            rpvp_port_advance(p, c->cycle_ps);
            if (rpvp_read(p, a, in, n, NULL) != RPVP_OK)
                r->errors++;
            rpvp_port_advance(p, c->cycle_ps);
        }
        if (memcmp(in, out, n) != 0)
            r->mismatches++;
        r->done += 2;
    }
    if (p) {
        rpvp_port_sync(p);
        r->sim_end_ps = rpvp_port_now(p);
    }
}
