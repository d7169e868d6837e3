/*
 * rpvp vring observer: finds each message on the vrings of a remoteproc vdev without
 * the guest's help, and emits measurement events (rpvp/measure.h).
 *
 * The vrings are found through the firmware's resource table (the RSC_VDEV entry's
 * vring da/num/align, which the host - Linux remoteproc or rpvp's virtio-mmio device -
 * fills in), so the observer works on either Linux route. It looks
 *   - at every host kick (the virtio-mmio QueueNotify, or a mailbox write into a FIFO
 *     toward the remote): new avail entries of every vring -> RPVP_EV_AVAIL with the
 *     descriptor head and the rpmsg header of its buffer; a vring sample;
 *   - at every remote write of a used.idx (a write watch on the remote CPU, armed
 *     through cfg.arm at the addresses found in the table): new used entries ->
 *     RPVP_EV_USED with the descriptor id, length and the buffer's rpmsg header.
 * A ring whose index jumps by more than its size between two looks was set up afresh
 * (the remote restarted, recovered or re-attached: Linux's new vrings start at 0): the
 * observer continues from 0 instead of reporting the jump as messages.
 * Reads are side-effect free (no bus time): observing does not move simulated time.
 * The platform calls rpvp_vring_obs_host_kick from the sink's tap (rpvp_ev_sink_set_tap)
 * when it sees a kick event.
 */
#ifndef RPVP_VRING_OBSERVER_H
#define RPVP_VRING_OBSERVER_H

#include <stdint.h>

#include "rpvp/measure.h"

#ifdef __cplusplus
extern "C" {
#endif

#define RPVP_VRING_OBS_MAX 8

typedef struct rpvp_vring_obs_config {
    rpvp_ev_sink *sink;
    /* Read `len` bytes at device address `da` of the remote (its view of the resource
     * table, vrings and buffers) without side effects; return 0 or -1. */
    int (*read)(void *ctx, uint32_t da, void *buf, uint32_t len);
    void *read_ctx;
    uint32_t rsc_da, rsc_size; /* the resource table, in the remote's addresses */
    /* Arm (len > 0) or disarm (len 0) write watch `slot` on the remote CPU over
     * [da, da + len); each store there must call rpvp_vring_obs_used_written(slot). */
    void (*arm)(void *ctx, unsigned slot, uint32_t da, uint32_t len);
    void *arm_ctx;
} rpvp_vring_obs_config;

typedef struct rpvp_vring_obs rpvp_vring_obs;

rpvp_vring_obs *rpvp_vring_obs_new(const rpvp_vring_obs_config *cfg);
void rpvp_vring_obs_free(rpvp_vring_obs *o);
/* A host kick at time t: look at every vring for new avail entries. */
void rpvp_vring_obs_host_kick(rpvp_vring_obs *o, uint64_t t_ps);
/* The remote stored into watch `slot` (vring `slot`'s used.idx) at time t. */
void rpvp_vring_obs_used_written(rpvp_vring_obs *o, unsigned slot, uint64_t t_ps);

#ifdef __cplusplus
}
#endif
#endif
