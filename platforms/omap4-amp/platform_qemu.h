/*
 * QEMU's side of the platform description: the bridge window and interrupt lines, and
 * the device-tree fragment, put into a launcher configuration (bridge/plugin/qemu_launch.h).
 */
#ifndef RPVP_PLATFORM_QEMU_H
#define RPVP_PLATFORM_QEMU_H

#include "platform_desc.h"
#include "qemu_launch.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Sets c's bridge_base/size/irqs/spi from d. */
void rpvp_platform_qemu_bridge(const rpvp_platform_desc *d, rpvp_qemu_config *c);
/* The same, and c's dt_fragment. Returns the fragment (malloc'ed, owned by the caller:
 * free it after the run). */
char *rpvp_platform_qemu_setup(const rpvp_platform_desc *d, rpvp_qemu_config *c);

#ifdef __cplusplus
}
#endif
#endif
