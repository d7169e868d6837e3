/* QEMU's side of the platform description (platform_qemu.h). */
#include "platform_qemu.h"

void rpvp_platform_qemu_bridge(const rpvp_platform_desc *d, rpvp_qemu_config *c)
{
    c->bridge_base = d->window_base;
    c->bridge_size = d->window_size;
    c->bridge_irqs = d->num_irqs;
    c->bridge_spi = d->first_spi;
}

char *rpvp_platform_qemu_setup(const rpvp_platform_desc *d, rpvp_qemu_config *c)
{
    rpvp_platform_qemu_bridge(d, c);
    char *dt = rpvp_platform_dt_fragment(d);
    c->dt_fragment = dt;
    return dt;
}
