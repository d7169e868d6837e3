/* Synthetic host internals: shared by shost_vq.c, shost_virtio.c and shost_rpmsg.c. */
#ifndef SHOST_INTERNAL_H
#define SHOST_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "rpvp/rpmsg.h"
#include "rpvp/virtio_ring.h"

/* Driver side of one split virtqueue (drivers/virtio/virtio_ring.c, struct
 * vring_virtqueue with its split part). */
struct shost_vq {
    rpvp_shost *host;
    unsigned index;
    unsigned num;
    struct vring vr;         /* host pointers into the DMA pool */
    uint64_t pa;             /* Linux physical address of the descriptor table */
    uint16_t free_head;      /* first free descriptor */
    uint16_t num_free;
    uint16_t avail_idx_shadow;
    uint16_t avail_flags_shadow;
    uint16_t last_used_idx;
    uint16_t num_added;      /* added since the last kick */
    uint16_t *next_free;     /* free-list links (desc_extra[].next) */
    uint64_t *token;         /* per head: buffer pa (Linux: the data token) */
    uint8_t *in_use;         /* per head: handed to the device */
    void (*callback)(struct shost_vq *vq);
    int broken;              /* BAD_RING seen: the queue is dead */
};

struct rpvp_shost {
    rpvp_shost_config cfg;
    rpvp_shost_bus bus;
    uint8_t *pool;           /* host pointer of cfg.mem_base */
    uint64_t pool_used;      /* bump allocator */
    unsigned version;
    uint64_t features;
    int probed;

    struct shost_vq vq[2];   /* [0] rvq "input", [1] svq "output" */
    unsigned num_bufs;       /* both directions together */
    unsigned buf_size;
    uint64_t rbufs_pa, sbufs_pa;
    unsigned last_sbuf;
    unsigned sleepers;

    struct rpmsg_device ctrl; /* control device: channel-less endpoints, NS endpoint */
    struct rpmsg_endpoint *epts;
    struct rpmsg_device *channels;
    int in_irq;               /* inside the interrupt handler (no nested receive) */
    uint64_t irq_start_ps;

    rpvp_shost_stats stats;
    rpvp_shost_msg_rec *log;
    size_t log_len;
    rpvp_shost_msg_fn hook;
    void *hook_ctx;
    rpvp_shost *next_host;    /* all live hosts (drivers bind on every one) */
};

/* shost_vq.c: virtio_ring.c split-ring driver side */
int shost_vq_init(rpvp_shost *h, struct shost_vq *vq, unsigned index, unsigned num,
                  uint64_t pa, void *mem, void (*cb)(struct shost_vq *));
void shost_vq_fini(struct shost_vq *vq);
int shost_vq_add(struct shost_vq *vq, uint64_t pa, uint32_t len, int device_writes);
int shost_vq_kick_prepare(struct shost_vq *vq);
void shost_vq_kick(struct shost_vq *vq);
int shost_vq_more_used(const struct shost_vq *vq);
int shost_vq_get_buf(struct shost_vq *vq, uint64_t *pa, uint32_t *len);
void shost_vq_disable_cb(struct shost_vq *vq);
void shost_vq_enable_cb(struct shost_vq *vq);

/* shost_virtio.c: virtio_mmio.c */
uint32_t shost_mmio_read(rpvp_shost *h, uint32_t off);
void shost_mmio_write(rpvp_shost *h, uint32_t off, uint32_t val);
void shost_notify(struct shost_vq *vq);
void *shost_pa_to_ptr(rpvp_shost *h, uint64_t pa);
uint64_t shost_now(const rpvp_shost *h);
int shost_find_vqs(rpvp_shost *h, void (*rx_cb)(struct shost_vq *),
                   void (*tx_cb)(struct shost_vq *));
void shost_device_ready(rpvp_shost *h);
void shost_virtio_remove(rpvp_shost *h);
rpvp_shost *shost_first_host(void); /* list of live hosts, via next_host */

/* shost_rpmsg.c: virtio_rpmsg_bus.c / rpmsg_core.c / rpmsg_ns.c */
int shost_rpmsg_probe(rpvp_shost *h);
void shost_rpmsg_remove(rpvp_shost *h);
void shost_log(const rpvp_shost *h, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
