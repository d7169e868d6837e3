/*
 * Synthetic host, transport part: Linux drivers/virtio/virtio_mmio.c (virtio_mmio_probe,
 * vm_reset, vm_get_features, vm_finalize_features, vm_setup_vq, vm_notify,
 * vm_interrupt) plus the generic steps of drivers/virtio/virtio.c
 * (register_virtio_device, virtio_dev_probe, virtio_features_ok, virtio_device_ready).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rpvp/remoteproc.h"
#include "rpvp/virtio_mmio_regs.h"
#include "shost_internal.h"

#define SHOST_PAGE_SIZE 4096u /* PAGE_SIZE: legacy GuestPageSize and vring alignment */

static rpvp_shost *all_hosts;
rpvp_shost *shost_first_host(void) { return all_hosts; }

void shost_log(const rpvp_shost *h, const char *fmt, ...)
{
    if (!h->cfg.verbose)
        return;
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "%s: ", h->cfg.name);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

uint64_t shost_now(const rpvp_shost *h) { return h->bus.now_ps(h->bus.ctx); }

/* readl/writel. A failed access reads 0 (and is logged): the probe then fails on the
 * magic value or status read-back, as on hardware that does not answer. */
uint32_t shost_mmio_read(rpvp_shost *h, uint32_t off)
{
    uint32_t v = 0;
    if (h->bus.mmio_read32(h->bus.ctx, h->cfg.mmio_base + off, &v) != RPVP_OK) {
        shost_log(h, "read of 0x%03x failed", off);
        return 0;
    }
    return v;
}

void shost_mmio_write(rpvp_shost *h, uint32_t off, uint32_t val)
{
    if (h->bus.mmio_write32(h->bus.ctx, h->cfg.mmio_base + off, val) != RPVP_OK)
        shost_log(h, "write of 0x%03x failed", off);
}

/* vm_notify: the queue index goes to QueueNotify. */
void shost_notify(struct shost_vq *vq)
{
    vq->host->stats.notifies++;
    shost_mmio_write(vq->host, VIRTIO_MMIO_QUEUE_NOTIFY, vq->index);
}

void *shost_pa_to_ptr(rpvp_shost *h, uint64_t pa)
{
    return h->pool + (pa - h->cfg.mem_base);
}

/* dma_alloc_coherent / alloc_pages_exact from the pool: page aligned, bump only. */
static int pool_alloc(rpvp_shost *h, uint64_t size, uint64_t *pa)
{
    uint64_t off = (h->pool_used + SHOST_PAGE_SIZE - 1) & ~(uint64_t)(SHOST_PAGE_SIZE - 1);
    if (off > h->cfg.mem_size || h->cfg.mem_size - off < size)
        return -ENOMEM;
    h->pool_used = off + size;
    *pa = h->cfg.mem_base + off;
    return 0;
}

static uint8_t get_status(rpvp_shost *h) { return (uint8_t)shost_mmio_read(h, VIRTIO_MMIO_STATUS); }

/* virtio_add_status: read, OR in, write back. */
static void add_status(rpvp_shost *h, uint8_t s)
{
    shost_mmio_write(h, VIRTIO_MMIO_STATUS, (uint32_t)get_status(h) | s);
}

/* vm_reset: "0 status means a reset" (no read-back in virtio_mmio.c). */
static void vm_reset(rpvp_shost *h)
{
    shost_mmio_write(h, VIRTIO_MMIO_STATUS, 0);
}

/* vm_setup_vq */
static int vm_setup_vq(rpvp_shost *h, unsigned index, void (*cb)(struct shost_vq *))
{
    struct shost_vq *vq = &h->vq[index];
    shost_mmio_write(h, VIRTIO_MMIO_QUEUE_SEL, index);
    /* Queue shouldn't already be set up. */
    uint32_t busy = shost_mmio_read(h, h->version == 1 ? VIRTIO_MMIO_QUEUE_PFN
                                                      : VIRTIO_MMIO_QUEUE_READY);
    if (busy)
        return -ENOENT;
    uint32_t num = shost_mmio_read(h, VIRTIO_MMIO_QUEUE_NUM_MAX);
    if (num == 0 || (num & (num - 1)) || num > 32768u)
        return -ENOENT;
    uint64_t pa;
    if (pool_alloc(h, vring_size(num, SHOST_PAGE_SIZE), &pa))
        return -ENOMEM;
    int err = shost_vq_init(h, vq, index, num, pa, shost_pa_to_ptr(h, pa), cb);
    if (err)
        return err;
    shost_mmio_write(h, VIRTIO_MMIO_QUEUE_NUM, num);
    if (h->version == 1) {
        uint64_t pfn = pa / SHOST_PAGE_SIZE;
        if (pfn >> 32) {
            shost_log(h, "platform bug: legacy virtio-mmio must not be used with RAM above 0x%llxGB",
                      0x1ULL << (32 + 12 - 30));
            shost_vq_fini(vq);
            return -E2BIG;
        }
        shost_mmio_write(h, VIRTIO_MMIO_QUEUE_ALIGN, SHOST_PAGE_SIZE);
        shost_mmio_write(h, VIRTIO_MMIO_QUEUE_PFN, (uint32_t)pfn);
    } else {
        uint64_t avail = vring_avail_addr(pa, num);
        uint64_t used = vring_used_addr(pa, num, SHOST_PAGE_SIZE);
        shost_mmio_write(h, VIRTIO_MMIO_QUEUE_DESC_LOW, (uint32_t)pa);
        shost_mmio_write(h, VIRTIO_MMIO_QUEUE_DESC_HIGH, (uint32_t)(pa >> 32));
        shost_mmio_write(h, VIRTIO_MMIO_QUEUE_AVAIL_LOW, (uint32_t)avail);
        shost_mmio_write(h, VIRTIO_MMIO_QUEUE_AVAIL_HIGH, (uint32_t)(avail >> 32));
        shost_mmio_write(h, VIRTIO_MMIO_QUEUE_USED_LOW, (uint32_t)used);
        shost_mmio_write(h, VIRTIO_MMIO_QUEUE_USED_HIGH, (uint32_t)(used >> 32));
        shost_mmio_write(h, VIRTIO_MMIO_QUEUE_READY, 1);
    }
    return 0;
}

/* vm_del_vq for every queue set up. */
static void vm_del_vqs(rpvp_shost *h)
{
    for (unsigned i = 0; i < 2; i++) {
        if (!h->vq[i].num)
            continue;
        shost_mmio_write(h, VIRTIO_MMIO_QUEUE_SEL, i);
        if (h->version == 1)
            shost_mmio_write(h, VIRTIO_MMIO_QUEUE_PFN, 0);
        else
            shost_mmio_write(h, VIRTIO_MMIO_QUEUE_READY, 0);
        shost_vq_fini(&h->vq[i]);
    }
}

/* vm_find_vqs for rpmsg's two queues: "input" (rpmsg_recv_done), "output"
 * (rpmsg_xmit_done). */
int shost_find_vqs(rpvp_shost *h, void (*rx_cb)(struct shost_vq *),
                   void (*tx_cb)(struct shost_vq *))
{
    int err = vm_setup_vq(h, RPMSG_VQ_HOST_RX, rx_cb);
    if (!err)
        err = vm_setup_vq(h, RPMSG_VQ_HOST_TX, tx_cb);
    if (err)
        vm_del_vqs(h);
    return err;
}

/* virtio_device_ready */
void shost_device_ready(rpvp_shost *h) { add_status(h, VIRTIO_CONFIG_S_DRIVER_OK); }

/* The rpmsg driver's feature table (virtio_rpmsg_bus.c: features[]) plus the transport
 * feature Linux keeps (vring_transport_features): VIRTIO_F_VERSION_1. */
static uint64_t driver_features(void)
{
    return (1ull << VIRTIO_RPMSG_F_NS) | (1ull << VIRTIO_F_VERSION_1);
}

int rpvp_shost_probe(rpvp_shost *h)
{
    if (h->probed)
        return -EBUSY;
    h->pool = h->bus.mem_ptr(h->bus.ctx, h->cfg.mem_base, h->cfg.mem_size);
    if (!h->pool)
        return -ENOMEM;

    /* virtio_mmio_probe */
    uint32_t magic = shost_mmio_read(h, VIRTIO_MMIO_MAGIC_VALUE);
    if (magic != VIRTIO_MMIO_MAGIC) {
        shost_log(h, "Wrong magic value 0x%08x!", magic);
        return -ENODEV;
    }
    h->version = shost_mmio_read(h, VIRTIO_MMIO_VERSION);
    if (h->version < 1 || h->version > 2) {
        shost_log(h, "Version %u not supported!", h->version);
        return -ENXIO;
    }
    uint32_t id = shost_mmio_read(h, VIRTIO_MMIO_DEVICE_ID);
    if (id != VIRTIO_ID_RPMSG) /* 0: placeholder; anything else: no driver here */
        return -ENODEV;
    (void)shost_mmio_read(h, VIRTIO_MMIO_VENDOR_ID);
    if (h->version == 1)
        shost_mmio_write(h, VIRTIO_MMIO_GUEST_PAGE_SIZE, SHOST_PAGE_SIZE);

    /* register_virtio_device: reset, ACKNOWLEDGE */
    vm_reset(h);
    add_status(h, VIRTIO_CONFIG_S_ACKNOWLEDGE);

    /* virtio_dev_probe: DRIVER, features */
    add_status(h, VIRTIO_CONFIG_S_DRIVER);
    shost_mmio_write(h, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 1);
    uint64_t dev_features = (uint64_t)shost_mmio_read(h, VIRTIO_MMIO_DEVICE_FEATURES) << 32;
    shost_mmio_write(h, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
    dev_features |= shost_mmio_read(h, VIRTIO_MMIO_DEVICE_FEATURES);
    h->features = dev_features & driver_features();

    int err;
    /* vm_finalize_features: "Make sure there are no mixed devices" */
    if (h->version == 2 && !(h->features & (1ull << VIRTIO_F_VERSION_1))) {
        shost_log(h, "New virtio-mmio devices (version 2) must provide VIRTIO_F_VERSION_1 feature!");
        err = -EINVAL;
        goto fail;
    }
    shost_mmio_write(h, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
    shost_mmio_write(h, VIRTIO_MMIO_DRIVER_FEATURES, (uint32_t)(h->features >> 32));
    shost_mmio_write(h, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
    shost_mmio_write(h, VIRTIO_MMIO_DRIVER_FEATURES, (uint32_t)h->features);

    /* virtio_features_ok: FEATURES_OK only exists for virtio 1.x devices */
    if (h->features & (1ull << VIRTIO_F_VERSION_1)) {
        add_status(h, VIRTIO_CONFIG_S_FEATURES_OK);
        if (!(get_status(h) & VIRTIO_CONFIG_S_FEATURES_OK)) {
            shost_log(h, "virtio: device refuses features: %llx",
                      (unsigned long long)h->features);
            err = -ENODEV;
            goto fail;
        }
    }

    err = shost_rpmsg_probe(h); /* find_vqs, buffers, NS, DRIVER_OK, first kick */
    if (err)
        goto fail;
    /* virtio_dev_probe: a driver that did not set DRIVER_OK itself gets it here */
    if (!(get_status(h) & VIRTIO_CONFIG_S_DRIVER_OK))
        shost_device_ready(h);
    h->probed = 1;
    return 0;

fail:
    vm_del_vqs(h); /* rpmsg_probe's error path: vdev->config->del_vqs */
    add_status(h, VIRTIO_CONFIG_S_FAILED);
    return err;
}

void shost_virtio_remove(rpvp_shost *h)
{
    vm_reset(h);
    vm_del_vqs(h);
}

/* ---- interrupts (vm_interrupt, vring_interrupt) ---------------------------------- */

int rpvp_shost_handle_irq(rpvp_shost *h)
{
    if (!h->bus.irq_level(h->bus.ctx))
        return 0;
    uint64_t t = shost_now(h);
    uint32_t status = shost_mmio_read(h, VIRTIO_MMIO_INTERRUPT_STATUS);
    if (!status) {
        /* The line as the simulation shows it lags our local time (quantum): it is the
         * edge of an interrupt already acknowledged. Linux would not have been called. */
        h->stats.spurious_irqs++;
        return 0;
    }
    h->stats.interrupts++;
    h->irq_start_ps = t;
    shost_mmio_write(h, VIRTIO_MMIO_INTERRUPT_ACK, status);
    /* VIRTIO_MMIO_INT_CONFIG: virtio_config_changed; rpmsg has no config handler. */
    if (status & VIRTIO_MMIO_INT_VRING) {
        for (unsigned i = 0; i < 2; i++) {
            struct shost_vq *vq = &h->vq[i];
            /* vring_interrupt: no work -> IRQ_NONE; a nested run (a blocking send from a
             * callback) only acks, the outer receive loop picks the rest up. */
            if (vq->num && shost_vq_more_used(vq) && vq->callback && !(h->in_irq && i == 0))
                vq->callback(vq);
        }
    }
    return 1;
}

/* How long to let the simulation settle when the line looks up but InterruptStatus is
 * 0: the edge of our own acknowledge is still on its way (temporal decoupling), or a new
 * interrupt came in while the line never dropped, which no edge would announce. */
#define SHOST_RECHECK_PS 1000000ull /* 1 us, one default quantum */
#define SHOST_FOREVER_PS (1ull << 62) /* waits this long or longer have no limit */

int rpvp_shost_wait(rpvp_shost *h, uint64_t max_ps)
{
    uint64_t t0 = shost_now(h);
    for (;;) {
        if (rpvp_shost_handle_irq(h))
            return 1;
        uint64_t el = shost_now(h) - t0;
        if (el >= max_ps)
            return 0;
        /* "no limit" stays UINT64_MAX: a huge finite wait would overflow sc_time */
        uint64_t rem = max_ps >= SHOST_FOREVER_PS ? UINT64_MAX : max_ps - el;
        if (h->bus.irq_level(h->bus.ctx) && rem > SHOST_RECHECK_PS)
            rem = SHOST_RECHECK_PS; /* stale level: re-read the status after a while */
        h->bus.wait_irq(h->bus.ctx, rem);
    }
}

int rpvp_shost_run_until(rpvp_shost *h, int (*done)(void *arg), void *arg, uint64_t timeout_ps)
{
    uint64_t t0 = shost_now(h);
    for (;;) {
        rpvp_shost_handle_irq(h);
        if (done(arg))
            return 0;
        uint64_t el = shost_now(h) - t0;
        if (el >= timeout_ps)
            return -ETIMEDOUT;
        rpvp_shost_wait(h, timeout_ps - el);
    }
}

/* ---- life cycle and accessors ---------------------------------------------------- */

rpvp_shost *rpvp_shost_new(const rpvp_shost_config *cfg, const rpvp_shost_bus *bus)
{
    if (!cfg || !bus || !bus->mmio_read32 || !bus->mmio_write32 || !bus->mem_ptr ||
        !bus->irq_level || !bus->wait_irq || !bus->now_ps || cfg->mem_size == 0) {
        fprintf(stderr, "rpvp_shost_new: missing bus function or empty DMA pool\n");
        return NULL;
    }
    rpvp_shost *h = calloc(1, sizeof(*h));
    if (!h)
        return NULL;
    h->cfg = *cfg;
    if (!h->cfg.name)
        h->cfg.name = "shost";
    if (!h->cfg.send_timeout_ps)
        h->cfg.send_timeout_ps = RPVP_SHOST_SEND_TIMEOUT_PS;
    h->bus = *bus;
    if (cfg->log_capacity) {
        h->log = calloc(cfg->log_capacity, sizeof(*h->log));
        if (!h->log) {
            free(h);
            return NULL;
        }
    }
    memcpy(h->ctrl.id.name, "rpmsg_ctrl", sizeof("rpmsg_ctrl"));
    h->ctrl.src = RPMSG_ADDR_ANY;
    h->ctrl.dst = RPMSG_ADDR_ANY;
    h->ctrl.host = h;
    h->next_host = all_hosts;
    all_hosts = h;
    return h;
}

void rpvp_shost_free(rpvp_shost *h)
{
    if (!h)
        return;
    shost_rpmsg_remove(h);
    if (h->probed)
        shost_virtio_remove(h);
    for (rpvp_shost **pp = &all_hosts; *pp; pp = &(*pp)->next_host)
        if (*pp == h) {
            *pp = h->next_host;
            break;
        }
    free(h->log);
    free(h);
}

unsigned rpvp_shost_version(const rpvp_shost *h) { return h->version; }
uint64_t rpvp_shost_features(const rpvp_shost *h) { return h->features; }
struct rpmsg_device *rpvp_shost_ctrl_dev(rpvp_shost *h) { return &h->ctrl; }
uint64_t rpvp_shost_now(const rpvp_shost *h) { return shost_now(h); }
void rpvp_shost_set_send_timeout(rpvp_shost *h, uint64_t ps)
{
    h->cfg.send_timeout_ps = ps ? ps : RPVP_SHOST_SEND_TIMEOUT_PS;
}
void rpvp_shost_get_stats(const rpvp_shost *h, rpvp_shost_stats *out) { *out = h->stats; }
const rpvp_shost_msg_rec *rpvp_shost_log(const rpvp_shost *h, size_t *count)
{
    *count = h->log_len;
    return h->log;
}
void rpvp_shost_set_msg_hook(rpvp_shost *h, rpvp_shost_msg_fn fn, void *ctx)
{
    h->hook = fn;
    h->hook_ctx = ctx;
}
