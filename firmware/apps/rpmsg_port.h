/* The rpmsg stack on the OMAP4 M3: platform hooks and the mailbox wake-up. */
#ifndef FW_RPMSG_PORT_H
#define FW_RPMSG_PORT_H

#include <stddef.h>

#include "rpmsg_remote.h"

/* rpr_init on `table` with the M3 hooks, then route mailbox messages to rpr_notify. */
int rpmsg_port_init(struct rpr_device *rdev, volatile void *table, size_t size);
/* Block until the mailbox signalled something (returns at once if work is pending). */
void rpmsg_port_wait(struct rpr_device *rdev);
/* Block until the mailbox signalled something or the next tick. */
void rpmsg_port_wait_tick(void);

#endif
