/*
 * Loopback harness: the synthetic host and the rpmsg remote stack wired to each other
 * in plain C, without SystemC. A minimal virtio-mmio register file stands in for the
 * virtio-rpmsg device (resource-table mirroring, notify -> remote, remote kick ->
 * interrupt); time is a counter that waits advance. Both sides run on one thread: the
 * host's wait_irq runs the remote, the remote's wait_event runs the host's interrupt
 * handler. Fast (no simulation kernel), for the protocol tests.
 */
#ifndef RPMSG_LOOPBACK_H
#define RPMSG_LOOPBACK_H

#include <stdint.h>

#include "rpmsg_remote.h"
#include "rpvp/rpmsg.h"

#ifdef __cplusplus
extern "C" {
#endif

#define LB_DDR_BASE 0x80000000ull
#define LB_DDR_SIZE 0x100000ull /* 1 MiB: the host's pool is all of it */
#define LB_MMIO_BASE 0x0b000000ull
#define LB_STEP_PS 1000000ull   /* 1 us per cooperative step */

/* The firmware-style resource table: one RSC_VDEV with two vrings, laid out in
 * rsc_mem (flexible array members cannot nest in one struct). */
#define LB_RSC_VDEV_OFF 20u /* header (16) + one offset (4) */
#define LB_RSC_SIZE (LB_RSC_VDEV_OFF + 4u + 24u + 2u * 20u)

typedef struct lb_platform {
    uint8_t *ddr;
    uint64_t now_ps;
    uint8_t rsc_mem[LB_RSC_SIZE];
    struct fw_rsc_vdev *vdev;        /* in rsc_mem */
    struct fw_rsc_vdev_vring *vring; /* vdev->vring */

    /* the mini virtio-mmio device */
    unsigned version;          /* 1 or 2 */
    int offer_version_1;       /* v2 devices must offer it; tests may not */
    uint32_t dev_features_sel, drv_features_sel;
    uint32_t queue_sel, int_status;
    uint32_t queue_num[2], queue_ready[2];
    uint64_t desc[2];
    uint32_t guest_errors;
    uint64_t notifies[2];

    /* remote side */
    struct rpr_platform rplat;
    struct rpr_device rdev;
    int remote_stalled;        /* the remote does not run while set */
    uint64_t stall_until_ps;   /* ... or until this time (0: no limit) */
    uint64_t remote_kicks;
    int in_host_irq;

    /* host side */
    rpvp_shost_bus bus;
    rpvp_shost *host;
} lb_platform;

/* Set up memory, the resource table and both sides (host created, not probed; remote
 * initialised). version: 1 or 2. */
int lb_init(lb_platform *p, unsigned version, uint32_t dfeatures);
void lb_fini(lb_platform *p);
/* Run the remote once if it is not stalled. */
void lb_run_remote(lb_platform *p);

#ifdef __cplusplus
}
#endif
#endif
