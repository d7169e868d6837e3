/* Device side of a split virtqueue (see rpr_virtqueue.h). */
#include "rpr_virtqueue.h"

#include <stdatomic.h>

/* The ring is shared with another processor: every access is volatile, and a full
 * fence orders an index against the entries it publishes (OpenAMP uses
 * atomic_thread_fence(memory_order_seq_cst) the same way). */
static inline uint16_t ld16(const uint16_t *p) { return *(const volatile uint16_t *)p; }
static inline uint32_t ld32(const uint32_t *p) { return *(const volatile uint32_t *)p; }
static inline uint64_t ld64(const uint64_t *p) { return *(const volatile uint64_t *)p; }
static inline void st16(uint16_t *p, uint16_t v) { *(volatile uint16_t *)p = v; }
static inline void st32(uint32_t *p, uint32_t v) { *(volatile uint32_t *)p = v; }
static inline void fence(void) { atomic_thread_fence(memory_order_seq_cst); }

void rpr_vq_attach(struct rpr_vq *vq, void *mem, unsigned num, unsigned long align,
                   uint32_t notifyid, uint64_t da)
{
    vring_init(&vq->vr, num, mem, align);
    vq->last_avail = 0;
    vq->notifyid = notifyid;
    vq->da = da;
    vq->live = 1;
}

uint16_t rpr_vq_avail_count(const struct rpr_vq *vq)
{
    if (!vq->live)
        return 0;
    uint16_t idx = ld16(&vq->vr.avail->idx);
    fence();
    uint16_t n = (uint16_t)(idx - vq->last_avail);
    /* A driver never makes more than num buffers available: a larger count is a ring the
     * host re-initialised under us (a reset we have not been told about yet), not work. */
    return n <= vq->vr.num ? n : 0;
}

int rpr_vq_peek(const struct rpr_vq *vq, struct rpr_vq_buf *out)
{
    if (rpr_vq_avail_count(vq) == 0)
        return 0;
    uint16_t head = ld16(&vq->vr.avail->ring[vq->last_avail & (vq->vr.num - 1)]);
    out->head = head;
    if (head >= vq->vr.num) {
        out->addr = 0;
        out->len = 0;
        return 1;
    }
    const struct vring_desc *d = &vq->vr.desc[head];
    out->addr = ld64(&d->addr);
    out->len = ld32(&d->len);
    return 1;
}

int rpr_vq_get(struct rpr_vq *vq, struct rpr_vq_buf *out)
{
    if (!rpr_vq_peek(vq, out))
        return 0;
    vq->last_avail++;
    return 1;
}

int rpr_vq_add_used(struct rpr_vq *vq, uint16_t head, uint32_t len)
{
    if (!vq->live || head >= vq->vr.num)
        return -1;
    /* The used ring is written only by this side: its idx can be read back directly. */
    uint16_t idx = ld16(&vq->vr.used->idx);
    struct vring_used_elem *e = &vq->vr.used->ring[idx & (vq->vr.num - 1)];
    st32(&e->id, head);
    st32(&e->len, len);
    fence(); /* entry (and the buffer contents before it) visible before the index */
    st16(&vq->vr.used->idx, (uint16_t)(idx + 1));
    fence();
    return 0;
}

int rpr_vq_must_notify(const struct rpr_vq *vq)
{
    if (!vq->live)
        return 0;
    fence();
    return !(ld16(&vq->vr.avail->flags) & VRING_AVAIL_F_NO_INTERRUPT);
}
