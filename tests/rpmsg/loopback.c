/* Loopback harness (see loopback.h). */
#include "loopback.h"

#include <stdlib.h>
#include <string.h>

#include "rpvp/virtio_mmio_regs.h"

/* ---- the mini virtio-mmio device -------------------------------------------------- */

static int in_ddr(uint64_t pa, uint64_t len)
{
    return pa >= LB_DDR_BASE && len <= LB_DDR_SIZE && pa - LB_DDR_BASE <= LB_DDR_SIZE - len;
}

static void dev_reset(lb_platform *p)
{
    p->vdev->status = 0;
    p->vdev->gfeatures = 0;
    p->int_status = 0;
    for (unsigned i = 0; i < 2; i++) {
        p->queue_num[i] = p->queue_ready[i] = 0;
        p->desc[i] = 0;
    }
}

/* Queue i goes live: write it into the resource table as remoteproc would. */
static void dev_queue_live(lb_platform *p, unsigned i, uint32_t align)
{
    if (!in_ddr(p->desc[i], vring_size(p->queue_num[i], align))) {
        p->guest_errors++;
        return;
    }
    p->vring[i].da = (uint32_t)p->desc[i];
    p->vring[i].num = p->queue_num[i];
    p->vring[i].align = align;
    p->vring[i].notifyid = i;
    p->queue_ready[i] = 1;
}

static rpvp_status dev_read(void *ctx, uint64_t addr, uint32_t *val)
{
    lb_platform *p = ctx;
    unsigned q = p->queue_sel < 2 ? p->queue_sel : 0;
    switch (addr - LB_MMIO_BASE) {
    case VIRTIO_MMIO_MAGIC_VALUE: *val = VIRTIO_MMIO_MAGIC; break;
    case VIRTIO_MMIO_VERSION: *val = p->version; break;
    case VIRTIO_MMIO_DEVICE_ID: *val = VIRTIO_ID_RPMSG; break;
    case VIRTIO_MMIO_VENDOR_ID: *val = 0x4c4f4f50u; break;
    case VIRTIO_MMIO_DEVICE_FEATURES:
        if (p->dev_features_sel == 0)
            *val = p->vdev->dfeatures;
        else if (p->dev_features_sel == 1)
            *val = p->offer_version_1 ? 1u << (VIRTIO_F_VERSION_1 - 32) : 0;
        else
            *val = 0;
        break;
    case VIRTIO_MMIO_QUEUE_NUM_MAX: *val = p->queue_sel < 2 ? 256 : 0; break;
    case VIRTIO_MMIO_QUEUE_PFN: *val = p->version == 1 ? (uint32_t)(p->desc[q] >> 12) : 0; break;
    case VIRTIO_MMIO_QUEUE_READY: *val = p->queue_ready[q]; break;
    case VIRTIO_MMIO_INTERRUPT_STATUS: *val = p->int_status; break;
    case VIRTIO_MMIO_STATUS: *val = p->vdev->status; break;
    default:
        *val = 0;
        p->guest_errors++;
        break;
    }
    return RPVP_OK;
}

static rpvp_status dev_write(void *ctx, uint64_t addr, uint32_t val)
{
    lb_platform *p = ctx;
    unsigned q = p->queue_sel < 2 ? p->queue_sel : 0;
    switch (addr - LB_MMIO_BASE) {
    case VIRTIO_MMIO_DEVICE_FEATURES_SEL: p->dev_features_sel = val; break;
    case VIRTIO_MMIO_DRIVER_FEATURES_SEL: p->drv_features_sel = val; break;
    case VIRTIO_MMIO_DRIVER_FEATURES:
        if (p->drv_features_sel == 0)
            p->vdev->gfeatures = val;
        break;
    case VIRTIO_MMIO_GUEST_PAGE_SIZE: break;
    case VIRTIO_MMIO_QUEUE_SEL: p->queue_sel = val; break;
    case VIRTIO_MMIO_QUEUE_NUM: p->queue_num[q] = val; break;
    case VIRTIO_MMIO_QUEUE_ALIGN: break;
    case VIRTIO_MMIO_QUEUE_PFN:
        p->desc[q] = (uint64_t)val << 12;
        if (val)
            dev_queue_live(p, q, 4096);
        else
            p->queue_ready[q] = 0;
        break;
    case VIRTIO_MMIO_QUEUE_DESC_LOW: p->desc[q] = (p->desc[q] & ~0xffffffffull) | val; break;
    case VIRTIO_MMIO_QUEUE_DESC_HIGH:
        p->desc[q] = (p->desc[q] & 0xffffffffull) | ((uint64_t)val << 32);
        break;
    case VIRTIO_MMIO_QUEUE_AVAIL_LOW: case VIRTIO_MMIO_QUEUE_AVAIL_HIGH:
    case VIRTIO_MMIO_QUEUE_USED_LOW: case VIRTIO_MMIO_QUEUE_USED_HIGH:
        break; /* the legacy layout follows from desc (checked by the real device) */
    case VIRTIO_MMIO_QUEUE_READY:
        if (val)
            dev_queue_live(p, q, 4096);
        else
            p->queue_ready[q] = 0;
        break;
    case VIRTIO_MMIO_QUEUE_NOTIFY:
        if (val < 2 && (p->vdev->status & VIRTIO_CONFIG_S_DRIVER_OK)) {
            p->notifies[val]++;
            rpr_notify(&p->rdev, val);
        } else {
            p->guest_errors++;
        }
        break;
    case VIRTIO_MMIO_INTERRUPT_ACK: p->int_status &= ~val; break;
    case VIRTIO_MMIO_STATUS:
        if (val == 0)
            dev_reset(p);
        else
            p->vdev->status = (uint8_t)val;
        break;
    default: p->guest_errors++; break;
    }
    return RPVP_OK;
}

/* ---- host bus --------------------------------------------------------------------- */

static void *host_mem_ptr(void *ctx, uint64_t pa, size_t len)
{
    lb_platform *p = ctx;
    return in_ddr(pa, len) ? p->ddr + (pa - LB_DDR_BASE) : NULL;
}

static int host_irq_level(void *ctx) { return ((lb_platform *)ctx)->int_status != 0; }
static uint64_t host_now(void *ctx) { return ((lb_platform *)ctx)->now_ps; }
static void host_advance(void *ctx, uint64_t ps) { ((lb_platform *)ctx)->now_ps += ps; }

static int remote_runnable(lb_platform *p)
{
    if (p->remote_stalled && p->stall_until_ps && p->now_ps >= p->stall_until_ps)
        p->remote_stalled = 0;
    return !p->remote_stalled;
}

void lb_run_remote(lb_platform *p)
{
    if (remote_runnable(p))
        rpr_poll(&p->rdev);
}

/* The host sleeps: let the remote run one step. If nothing can change any more (remote
 * stalled for good, or idle), time jumps to the deadline. */
static int host_wait_irq(void *ctx, uint64_t max_ps)
{
    lb_platform *p = ctx;
    int before = p->int_status != 0;
    uint64_t step = max_ps < LB_STEP_PS ? max_ps : LB_STEP_PS;
    if (remote_runnable(p) && rpr_has_work(&p->rdev)) {
        p->now_ps += step;
        rpr_poll(&p->rdev);
    } else if (p->remote_stalled && p->stall_until_ps > p->now_ps) {
        uint64_t to_resume = p->stall_until_ps - p->now_ps;
        p->now_ps += to_resume < max_ps ? to_resume : max_ps;
    } else {
        p->now_ps += max_ps;
    }
    return (p->int_status != 0) != before;
}

/* ---- remote platform ------------------------------------------------------------- */

static void *remote_da_to_ptr(void *ctx, uint64_t da, size_t len)
{
    return host_mem_ptr(ctx, da, len);
}

static void remote_kick(void *ctx, uint32_t notifyid)
{
    lb_platform *p = ctx;
    p->remote_kicks++;
    p->int_status |= VIRTIO_MMIO_INT_VRING;
}

/* The remote sleeps (a blocking send): let the host take its interrupt once. */
static int remote_wait_event(void *ctx, uint64_t timeout_ps)
{
    lb_platform *p = ctx;
    uint32_t before = p->rdev.notify_count;
    if (p->host && p->int_status && !p->in_host_irq) {
        p->now_ps += timeout_ps < LB_STEP_PS ? timeout_ps : LB_STEP_PS;
        p->in_host_irq = 1;
        rpvp_shost_handle_irq(p->host);
        p->in_host_irq = 0;
    } else {
        p->now_ps += timeout_ps; /* nobody can wake us */
    }
    return p->rdev.notify_count != before;
}

static uint64_t remote_now(void *ctx) { return ((lb_platform *)ctx)->now_ps; }

/* ---- set-up ------------------------------------------------------------------------ */

int lb_init(lb_platform *p, unsigned version, uint32_t dfeatures)
{
    memset(p, 0, sizeof(*p));
    p->ddr = calloc(1, LB_DDR_SIZE);
    if (!p->ddr)
        return -1;
    p->version = version;
    p->offer_version_1 = version == 2;

    struct resource_table *t = (struct resource_table *)p->rsc_mem;
    t->ver = 1;
    t->num = 1;
    t->offset[0] = LB_RSC_VDEV_OFF;
    ((struct fw_rsc_hdr *)(p->rsc_mem + LB_RSC_VDEV_OFF))->type = RSC_VDEV;
    p->vdev = (struct fw_rsc_vdev *)(p->rsc_mem + LB_RSC_VDEV_OFF + sizeof(struct fw_rsc_hdr));
    p->vring = p->vdev->vring;
    p->vdev->id = VIRTIO_ID_RPMSG;
    p->vdev->notifyid = 2;
    p->vdev->dfeatures = dfeatures;
    p->vdev->num_of_vrings = 2;
    for (unsigned i = 0; i < 2; i++) {
        p->vring[i].da = FW_RSC_ADDR_ANY;
        p->vring[i].align = 4096;
        p->vring[i].num = 256;
        p->vring[i].notifyid = i;
    }

    p->rplat = (struct rpr_platform){.da_to_ptr = remote_da_to_ptr, .kick = remote_kick,
                                     .wait_event = remote_wait_event, .now_ps = remote_now,
                                     .ctx = p};
    if (rpr_init(&p->rdev, p->rsc_mem, sizeof(p->rsc_mem), &p->rplat) != RPMSG_SUCCESS)
        return -1;

    p->bus = (rpvp_shost_bus){.mmio_read32 = dev_read, .mmio_write32 = dev_write,
                              .mem_ptr = host_mem_ptr, .irq_level = host_irq_level,
                              .wait_irq = host_wait_irq, .now_ps = host_now,
                              .advance = host_advance, .ctx = p};
    rpvp_shost_config cfg = {.name = "lb-host", .mmio_base = LB_MMIO_BASE,
                             .mem_base = LB_DDR_BASE, .mem_size = LB_DDR_SIZE,
                             .log_capacity = 32};
    p->host = rpvp_shost_new(&cfg, &p->bus);
    return p->host ? 0 : -1;
}

void lb_fini(lb_platform *p)
{
    rpvp_shost_free(p->host);
    p->host = NULL;
    free(p->ddr);
    p->ddr = NULL;
}
