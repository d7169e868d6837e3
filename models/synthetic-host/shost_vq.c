/*
 * Driver side of a split virtqueue, after Linux drivers/virtio/virtio_ring.c
 * (virtqueue_add_split, virtqueue_kick_prepare_split, virtqueue_get_buf_ctx_split,
 * detach_buf_split, virtqueue_disable_cb_split, virtqueue_enable_cb_prepare_split)
 * without event index and indirect descriptors. Shared-memory fields are accessed
 * volatile with a fence between a ring entry and its index (virtio_wmb/virtio_rmb).
 */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "shost_internal.h"

static inline uint16_t ld16(const uint16_t *p) { return *(const volatile uint16_t *)p; }
static inline uint32_t ld32(const uint32_t *p) { return *(const volatile uint32_t *)p; }
static inline void st16(uint16_t *p, uint16_t v) { *(volatile uint16_t *)p = v; }
static inline void fence(void) { atomic_thread_fence(memory_order_seq_cst); }

int shost_vq_init(rpvp_shost *h, struct shost_vq *vq, unsigned index, unsigned num,
                  uint64_t pa, void *mem, void (*cb)(struct shost_vq *))
{
    memset(vq, 0, sizeof(*vq));
    vq->next_free = calloc(num, sizeof(*vq->next_free));
    vq->token = calloc(num, sizeof(*vq->token));
    vq->in_use = calloc(num, 1);
    if (!vq->next_free || !vq->token || !vq->in_use) {
        shost_vq_fini(vq);
        return -ENOMEM;
    }
    vq->host = h;
    vq->index = index;
    vq->num = num;
    vq->pa = pa;
    vq->callback = cb;
    memset(mem, 0, vring_size(num, VIRTIO_LEGACY_VRING_ALIGN)); /* vring_alloc_queue zeroes */
    vring_init(&vq->vr, num, mem, VIRTIO_LEGACY_VRING_ALIGN);
    vq->num_free = (uint16_t)num;
    vq->free_head = 0;
    for (unsigned i = 0; i + 1 < num; i++)
        vq->next_free[i] = (uint16_t)(i + 1);
    return 0;
}

void shost_vq_fini(struct shost_vq *vq)
{
    free(vq->next_free);
    free(vq->token);
    free(vq->in_use);
    vq->next_free = NULL;
    vq->token = NULL;
    vq->in_use = NULL;
    vq->num = 0;
}

/* virtqueue_add_split with one sg entry: out (device reads) or in (device writes). */
int shost_vq_add(struct shost_vq *vq, uint64_t pa, uint32_t len, int device_writes)
{
    if (vq->broken)
        return -EIO;
    if (vq->num_free == 0)
        return -ENOSPC;
    uint16_t head = vq->free_head;
    struct vring_desc *d = &vq->vr.desc[head];
    d->addr = pa;
    d->len = len;
    d->flags = device_writes ? VRING_DESC_F_WRITE : 0;
    d->next = 0;
    vq->free_head = vq->next_free[head];
    vq->num_free--;
    vq->token[head] = pa;
    vq->in_use[head] = 1;
    vq->vr.avail->ring[vq->avail_idx_shadow & (vq->num - 1)] = head;
    fence(); /* descriptor and ring entry before the index the device reads */
    vq->avail_idx_shadow++;
    st16(&vq->vr.avail->idx, vq->avail_idx_shadow);
    vq->num_added++;
    /* Linux kicks by itself if num_added reaches 0xffff; with num <= 32768 it cannot. */
    return 0;
}

/* virtqueue_kick_prepare_split without event index: notify unless the device set
 * VRING_USED_F_NO_NOTIFY. */
int shost_vq_kick_prepare(struct shost_vq *vq)
{
    fence();
    int needs = !(ld16(&vq->vr.used->flags) & VRING_USED_F_NO_NOTIFY);
    vq->num_added = 0;
    return needs;
}

/* virtqueue_kick */
void shost_vq_kick(struct shost_vq *vq)
{
    if (shost_vq_kick_prepare(vq))
        shost_notify(vq);
}

int shost_vq_more_used(const struct shost_vq *vq)
{
    return vq->last_used_idx != ld16(&vq->vr.used->idx);
}

/* virtqueue_get_buf_ctx_split + detach_buf_split: 1 and the buffer's pa and written
 * length, 0 if none, -EIO if the device returned a bad head (BAD_RING: queue broken). */
int shost_vq_get_buf(struct shost_vq *vq, uint64_t *pa, uint32_t *len)
{
    if (vq->broken || !shost_vq_more_used(vq))
        return 0;
    fence(); /* only read entries after seeing the index (virtio_rmb) */
    const struct vring_used_elem *e = &vq->vr.used->ring[vq->last_used_idx & (vq->num - 1)];
    uint32_t id = ld32(&e->id);
    uint32_t l = ld32(&e->len);
    if (id >= vq->num || !vq->in_use[id]) {
        shost_log(vq->host, "vq %u: id %u is not a head!", vq->index, id);
        vq->broken = 1;
        return -EIO;
    }
    *pa = vq->token[id];
    *len = l;
    vq->in_use[id] = 0;
    vq->next_free[id] = vq->free_head;
    vq->free_head = (uint16_t)id;
    vq->num_free++;
    vq->last_used_idx++;
    return 1;
}

/* virtqueue_disable_cb_split: ask the device not to interrupt for this queue. */
void shost_vq_disable_cb(struct shost_vq *vq)
{
    if (!(vq->avail_flags_shadow & VRING_AVAIL_F_NO_INTERRUPT)) {
        vq->avail_flags_shadow |= VRING_AVAIL_F_NO_INTERRUPT;
        st16(&vq->vr.avail->flags, vq->avail_flags_shadow);
    }
}

/* virtqueue_enable_cb_prepare_split (the caller re-checks for used buffers itself). */
void shost_vq_enable_cb(struct shost_vq *vq)
{
    if (vq->avail_flags_shadow & VRING_AVAIL_F_NO_INTERRUPT) {
        vq->avail_flags_shadow &= (uint16_t)~VRING_AVAIL_F_NO_INTERRUPT;
        st16(&vq->vr.avail->flags, vq->avail_flags_shadow);
    }
    fence();
}
