/*
 * The device's bus master interface (rpvp_vrpmsg_bus) on top of an rpvp_port.
 *
 * The device issues its accesses from inside other transactions (a QueueNotify register
 * write) or from an SC_METHOD (the mailbox interrupt): it can never wait. The port runs
 * with auto-sync off; each access starts at the caller's annotated delay and hands the
 * resulting offset back (TLM LT nesting).
 */
#include "rpvp/bridge.h"
#include "rpvp/virtio_rpmsg_dev.h"

static rpvp_status port_read(void *ctx, uint64_t addr, void *data, unsigned len,
                             uint64_t *delay_ps)
{
    rpvp_port *p = ctx;
    rpvp_port_set_local_offset(p, *delay_ps);
    rpvp_status s = rpvp_read(p, addr, data, len, NULL);
    *delay_ps = rpvp_port_local_offset(p);
    rpvp_port_set_local_offset(p, 0);
    return s;
}

static rpvp_status port_write(void *ctx, uint64_t addr, const void *data, unsigned len,
                              uint64_t *delay_ps)
{
    rpvp_port *p = ctx;
    rpvp_port_set_local_offset(p, *delay_ps);
    rpvp_status s = rpvp_write(p, addr, data, len, NULL);
    *delay_ps = rpvp_port_local_offset(p);
    rpvp_port_set_local_offset(p, 0);
    return s;
}

static unsigned port_debug_read(void *ctx, uint64_t addr, void *data, unsigned len)
{
    return (unsigned)rpvp_debug_read(ctx, addr, data, len);
}

static unsigned port_debug_write(void *ctx, uint64_t addr, const void *data, unsigned len)
{
    return (unsigned)rpvp_debug_write(ctx, addr, data, len);
}

void rpvp_vrpmsg_bus_from_port(rpvp_vrpmsg_bus *bus, rpvp_port *port)
{
    rpvp_port_set_auto_sync(port, 0);
    bus->read = port_read;
    bus->write = port_write;
    bus->debug_read = port_debug_read;
    bus->debug_write = port_debug_write;
    bus->ctx = port;
}
