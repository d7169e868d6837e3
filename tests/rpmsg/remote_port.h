/*
 * Host-built remote: the portable rpmsg remote stack (firmware/rpmsg) running on a bridge
 * port (rpvp/bridge.h) in place of the Cortex-M3, with a small OMAP4 mailbox driver as
 * user 2 (vring N: FIFO 2N in from the host's device, 2N + 1 out, rpvp/mbox_channels.h)
 * done with rpvp_read/rpvp_write, its interrupt on the port's input line 0, and DMI into the carveout and DDR for the
 * resource table, the vrings and the buffers.
 *
 * Runs the task loop of an RTOS rpmsg task: wait for the mailbox interrupt, drain the
 * FIFO into rpr_notify (the ISR), rpr_poll (callbacks run there). An echo endpoint
 * "rpmsg-echo" sends every message back to its sender. The remote can be stalled (it
 * touches nothing, not even the mailbox) until a given time.
 */
#ifndef RPMSG_REMOTE_PORT_H
#define RPMSG_REMOTE_PORT_H

#include <stdint.h>

#include "rpmsg_remote.h"
#include "rpvp/bridge.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct remote_port {
    /* configuration (set before the thread starts) */
    uint64_t mbox_base;      /* mailbox window in the port's map */
    uint64_t rsc_da;         /* resource table in the port's map */
    uint32_t rsc_size;
    uint64_t cost_ps;        /* CPU time per message handled (echo) */
    /* control, written by the other thread */
    volatile int stop;
    uint64_t stall_until_ps; /* stalled while now < this */
    /* state */
    rpvp_port *port;
    struct rpr_platform plat;
    struct rpr_device rdev;
    struct rpr_endpoint echo;
    rpvp_dmi dmi[2];
    int ndmi;
    int init_rc;             /* rpr_init's result */
    uint64_t isr_runs, mbox_msgs, kick_retries, stalls;
} remote_port;

/* The SC_THREAD body: BridgeInitiator::spawn(remote_port_main, rp). */
void remote_port_main(rpvp_port *port, void *rp);

#ifdef __cplusplus
}
#endif
#endif
