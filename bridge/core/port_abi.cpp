/* The C entry points of include/rpvp/bridge.h, forwarding to rpvp::BridgeInitiator. */
#include "bridge_initiator.h"
#include "sc_time_ps.h"

using rpvp::BridgeInitiator;

extern "C" {

const char *rpvp_status_name(rpvp_status s)
{
    switch (s) {
    case RPVP_OK:
        return "ok";
    case RPVP_ADDRESS_ERROR:
        return "address error";
    case RPVP_GENERIC_ERROR:
        return "generic error";
    }
    return "unknown status";
}

rpvp_status rpvp_read(rpvp_port *p, uint64_t addr, void *data, size_t len, uint64_t *delay_ps)
{
    return p->owner->access(tlm::TLM_READ_COMMAND, addr, data, len, delay_ps);
}

rpvp_status rpvp_write(rpvp_port *p, uint64_t addr, const void *data, size_t len,
                       uint64_t *delay_ps)
{
    /* TLM's payload pointer is not const; a write target never modifies it. */
    return p->owner->access(tlm::TLM_WRITE_COMMAND, addr, const_cast<void *>(data), len,
                            delay_ps);
}

size_t rpvp_debug_read(rpvp_port *p, uint64_t addr, void *data, size_t len)
{
    return p->owner->debug(tlm::TLM_READ_COMMAND, addr, data, len);
}

size_t rpvp_debug_write(rpvp_port *p, uint64_t addr, const void *data, size_t len)
{
    return p->owner->debug(tlm::TLM_WRITE_COMMAND, addr, const_cast<void *>(data), len);
}

int rpvp_get_dmi(rpvp_port *p, uint64_t addr, rpvp_dmi *dmi)
{
    return p->owner->get_dmi(addr, dmi) ? 1 : 0;
}

void rpvp_set_dmi_invalidate_callback(rpvp_port *p, rpvp_dmi_invalidate_fn fn, void *ctx)
{
    p->owner->set_dmi_callback(fn, ctx);
}

void rpvp_set_irq_callback(rpvp_port *p, rpvp_irq_fn fn, void *ctx)
{
    p->owner->set_irq_callback(fn, ctx);
}

unsigned rpvp_port_num_irqs(const rpvp_port *p) { return p->owner->num_irqs(); }
int rpvp_port_irq_level(const rpvp_port *p, unsigned line) { return p->owner->irq_level(line); }
void rpvp_port_advance(rpvp_port *p, uint64_t ps) { p->owner->advance(ps); }
void rpvp_port_sync(rpvp_port *p) { p->owner->sync(); }
int rpvp_port_wait_irq(rpvp_port *p, uint64_t max_ps) { return p->owner->wait_irq(max_ps) ? 1 : 0; }
uint64_t rpvp_port_local_offset(const rpvp_port *p) { return p->owner->offset_ps(); }
void rpvp_port_set_local_offset(rpvp_port *p, uint64_t ps) { p->owner->set_offset_ps(ps); }
void rpvp_port_set_auto_sync(rpvp_port *p, int on) { p->owner->set_auto_sync(on != 0); }
uint64_t rpvp_port_now(const rpvp_port *p) { return p->owner->now_ps(); }
void rpvp_port_set_quantum(rpvp_port *p, uint64_t ps) { p->owner->set_quantum_ps(ps); }
uint64_t rpvp_port_quantum(const rpvp_port *p) { return p->owner->quantum_ps(); }
const char *rpvp_port_name(const rpvp_port *p) { return p->owner->name(); }
void rpvp_port_get_stats(const rpvp_port *p, rpvp_port_stats *out) { *out = p->owner->stats(); }

uint64_t rpvp_sim_time_ps(void)
{
    return rpvp::now_ps();
}

} /* extern "C" */
