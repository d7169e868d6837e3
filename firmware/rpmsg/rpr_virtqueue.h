/*
 * Device ("remote") side of one split virtqueue, as OpenAMP lib/virtio/virtqueue.c does
 * it in the VIRTIO_DEV_DEVICE role: take the buffers the driver (Linux) made available
 * (virtqueue_get_available_buffer), hand them back through the used ring
 * (virtqueue_add_consumed_buffer), and decide whether the driver wants a kick
 * (vq_ring_must_notify: VRING_AVAIL_F_NO_INTERRUPT; no event index).
 *
 * Every shared-memory field is read and written through volatile accesses with a
 * barrier between a ring index and the entries it covers. Only single-descriptor
 * buffers are handled: Linux rpmsg never chains (rpmsg_sg_init, one sg entry).
 * Portable C11; no RTOS or CPU dependency.
 */
#ifndef RPR_VIRTQUEUE_H
#define RPR_VIRTQUEUE_H

#include <stddef.h>
#include <stdint.h>

#include "rpvp/virtio_ring.h"

#ifdef __cplusplus
extern "C" {
#endif

struct rpr_vq {
    struct vring vr;       /* host pointers into the shared ring (vring_init layout) */
    uint16_t last_avail;   /* next avail entry this side takes (free-running) */
    uint32_t notifyid;     /* what a kick of this ring sends (resource table) */
    uint64_t da;           /* ring's device address, for diagnostics */
    int live;
};

/* One buffer taken from the avail ring. */
struct rpr_vq_buf {
    uint16_t head;  /* descriptor index, to give back with rpr_vq_add_used */
    uint64_t addr;  /* driver's (Linux physical) address of the buffer */
    uint32_t len;   /* its length */
};

/* Attach to a ring of `num` (power of two) entries at host pointer `mem`. */
void rpr_vq_attach(struct rpr_vq *vq, void *mem, unsigned num, unsigned long align,
                   uint32_t notifyid, uint64_t da);
/* Number of available buffers not taken yet. */
uint16_t rpr_vq_avail_count(const struct rpr_vq *vq);
/* Look at the next available buffer without taking it. 1 if there is one. A head out of
 * range reads as a buffer of length 0 (the caller drops it). */
int rpr_vq_peek(const struct rpr_vq *vq, struct rpr_vq_buf *out);
/* Take the next available buffer. 1 if there was one. */
int rpr_vq_get(struct rpr_vq *vq, struct rpr_vq_buf *out);
/* Return buffer `head` with `len` bytes written through the used ring. 0, or -1 if
 * head is out of range (nothing written). */
int rpr_vq_add_used(struct rpr_vq *vq, uint16_t head, uint32_t len);
/* Does the driver want an interrupt for the used entries just added? */
int rpr_vq_must_notify(const struct rpr_vq *vq);

#ifdef __cplusplus
}
#endif
#endif
