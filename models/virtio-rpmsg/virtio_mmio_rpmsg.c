/*
 * virtio-mmio rpmsg device: the register file (virtio 1.x spec 4.2.2, legacy 4.2.4).
 * See include/rpvp/virtio_rpmsg_dev.h for the model and docs/models/virtio-rpmsg.md for
 * every register and guest-error rule.
 */
#include <string.h>

#include "rpvp/remoteproc.h"
#include "rpvp/virtio_ring.h"
#include "vrpmsg_internal.h"

/* ---------------------------------------------------------------------------------- */
/* Register table: offset, name, access, versions                                      */
/* ---------------------------------------------------------------------------------- */

enum { R = 1, W = 2, RW = 3 };
enum { V1 = 1, V2 = 2, VB = 3 };

typedef struct reg_info {
    uint32_t off;
    const char *name;
    uint8_t access;
    uint8_t versions;
} reg_info;

static const reg_info regs[] = {
    {VIRTIO_MMIO_MAGIC_VALUE, "MagicValue", R, VB},
    {VIRTIO_MMIO_VERSION, "Version", R, VB},
    {VIRTIO_MMIO_DEVICE_ID, "DeviceID", R, VB},
    {VIRTIO_MMIO_VENDOR_ID, "VendorID", R, VB},
    {VIRTIO_MMIO_DEVICE_FEATURES, "DeviceFeatures", R, VB},
    {VIRTIO_MMIO_DEVICE_FEATURES_SEL, "DeviceFeaturesSel", W, VB},
    {VIRTIO_MMIO_DRIVER_FEATURES, "DriverFeatures", W, VB},
    {VIRTIO_MMIO_DRIVER_FEATURES_SEL, "DriverFeaturesSel", W, VB},
    {VIRTIO_MMIO_GUEST_PAGE_SIZE, "GuestPageSize", W, V1},
    {VIRTIO_MMIO_QUEUE_SEL, "QueueSel", W, VB},
    {VIRTIO_MMIO_QUEUE_NUM_MAX, "QueueNumMax", R, VB},
    {VIRTIO_MMIO_QUEUE_NUM, "QueueNum", W, VB},
    {VIRTIO_MMIO_QUEUE_ALIGN, "QueueAlign", W, V1},
    {VIRTIO_MMIO_QUEUE_PFN, "QueuePFN", RW, V1},
    {VIRTIO_MMIO_QUEUE_READY, "QueueReady", RW, V2},
    {VIRTIO_MMIO_QUEUE_NOTIFY, "QueueNotify", W, VB},
    {VIRTIO_MMIO_INTERRUPT_STATUS, "InterruptStatus", R, VB},
    {VIRTIO_MMIO_INTERRUPT_ACK, "InterruptACK", W, VB},
    {VIRTIO_MMIO_STATUS, "Status", RW, VB},
    {VIRTIO_MMIO_QUEUE_DESC_LOW, "QueueDescLow", W, V2},
    {VIRTIO_MMIO_QUEUE_DESC_HIGH, "QueueDescHigh", W, V2},
    {VIRTIO_MMIO_QUEUE_AVAIL_LOW, "QueueDriverLow", W, V2},
    {VIRTIO_MMIO_QUEUE_AVAIL_HIGH, "QueueDriverHigh", W, V2},
    {VIRTIO_MMIO_QUEUE_USED_LOW, "QueueDeviceLow", W, V2},
    {VIRTIO_MMIO_QUEUE_USED_HIGH, "QueueDeviceHigh", W, V2},
    {VIRTIO_MMIO_SHM_SEL, "SHMSel", W, V2},
    {VIRTIO_MMIO_SHM_LEN_LOW, "SHMLenLow", R, V2},
    {VIRTIO_MMIO_SHM_LEN_HIGH, "SHMLenHigh", R, V2},
    {VIRTIO_MMIO_SHM_BASE_LOW, "SHMBaseLow", R, V2},
    {VIRTIO_MMIO_SHM_BASE_HIGH, "SHMBaseHigh", R, V2},
    {VIRTIO_MMIO_CONFIG_GENERATION, "ConfigGeneration", R, V2},
};

static const reg_info *find_reg(uint64_t off)
{
    for (size_t i = 0; i < sizeof regs / sizeof regs[0]; i++)
        if (regs[i].off == off)
            return &regs[i];
    return NULL;
}

/* ---------------------------------------------------------------------------------- */
/* Interrupt output                                                                    */
/* ---------------------------------------------------------------------------------- */

void vrpmsg_update(rpvp_vrpmsg *d)
{
    int level = d->int_status != 0;
    if (level == d->irq_level)
        return;
    d->irq_level = level;
    if (level) {
        d->st.interrupts++;
        vrpmsg_event(d, RPVP_EV_IRQ_RAISE, 0, d->int_status);
    }
    rpvp_irq_sink_set(&d->sink, 0, level);
}

static void mirror_status(rpvp_vrpmsg *d)
{
    vrpmsg_table_write_status(d, (uint8_t)d->status);
}

void vrpmsg_set_needs_reset(rpvp_vrpmsg *d)
{
    d->st.needs_reset++;
    d->status |= VIRTIO_CONFIG_S_NEEDS_RESET;
    /* virtio 1.x 2.1.2: setting DEVICE_NEEDS_RESET comes with a config change
     * notification. */
    d->int_status |= VIRTIO_MMIO_INT_CONFIG;
    mirror_status(d);
    vrpmsg_update(d);
}

/* ---------------------------------------------------------------------------------- */
/* Reset                                                                               */
/* ---------------------------------------------------------------------------------- */

/* Every register to its reset value (virtio 1.x 4.2.2: all queues off, status 0). */
void vrpmsg_reset_registers(rpvp_vrpmsg *d)
{
    d->dev_features_sel = 0;
    d->drv_features_sel = 0;
    d->drv_features = 0;
    d->guest_page_size = 0;
    d->queue_sel = 0;
    d->status = 0;
    d->int_status = 0;
    memset(d->q, 0, sizeof d->q);
    for (unsigned i = 0; i < RPVP_VRPMSG_MAX_QUEUES; i++) {
        d->st.queue[i].num = 0;
        d->st.queue[i].desc_addr = 0;
    }
}

/* Status = 0: what remoteproc does when virtio resets and tears the vrings down
 * (rproc_virtio_reset: status 0; rproc_free_vring: da 0). gfeatures stay (remoteproc
 * rewrites them at the next finalize_features); notifyids stay (the firmware matches
 * kicks by them). GuestPageSize stays too: Linux writes it once at probe, before the
 * virtio core's first reset (as QEMU's soft reset keeps it). */
static void device_reset(rpvp_vrpmsg *d, uint64_t *delay_ps)
{
    const uint32_t page_size = d->guest_page_size;
    d->st.resets++;
    vrpmsg_drop_kicks(d, delay_ps, 1);
    if (d->status & VIRTIO_CONFIG_S_DRIVER_OK)
        vrpmsg_send_detach(d, delay_ps);
    for (unsigned i = 0; i < d->num_queues; i++)
        if (d->q[i].live)
            vrpmsg_table_write_vring(d, i, 0, d->q[i].live_align, d->q[i].live_num, i);
    vrpmsg_reset_registers(d);
    d->guest_page_size = page_size;
    vrpmsg_update(d);
    /* The firmware may have been reloaded: find the vdev again. */
    vrpmsg_table_forget(d);
    mirror_status(d);
    vrpmsg_log(d, RPVP_VRPMSG_LOG_INFO, "device reset by the driver");
}

static void ops_reset(void *dev)
{
    rpvp_vrpmsg *d = dev;
    d->st.resets++;
    vrpmsg_drop_kicks(d, NULL, 0);
    vrpmsg_reset_registers(d);
    vrpmsg_table_forget(d);
    d->in_service = 0;
    vrpmsg_update(d);
}

/* ---------------------------------------------------------------------------------- */
/* Features and status                                                                 */
/* ---------------------------------------------------------------------------------- */

static uint64_t device_features(rpvp_vrpmsg *d)
{
    uint64_t f = vrpmsg_table_lookup(d) ? d->dfeatures : 0;
    if (d->cfg.version == 2)
        f |= 1ull << VIRTIO_F_VERSION_1;
    return f;
}

static void write_driver_features(rpvp_vrpmsg *d, uint32_t v)
{
    if (d->drv_features_sel > 1) {
        if (v)
            vrpmsg_guest_error(d, &d->st.bad_features,
                               "DriverFeatures word %u = 0x%x: no such feature bits",
                               d->drv_features_sel, v);
        return;
    }
    unsigned shift = 32 * d->drv_features_sel;
    d->drv_features = (d->drv_features & ~(0xffffffffull << shift)) | ((uint64_t)v << shift);
    uint32_t offered = (uint32_t)(device_features(d) >> shift);
    if (v & ~offered)
        vrpmsg_guest_error(d, &d->st.bad_features,
                           "DriverFeatures word %u = 0x%x accepts bits not offered (0x%x)",
                           d->drv_features_sel, v, offered);
    /* remoteproc's finalize_features: low 32 bits, transport bits stripped. */
    if (d->drv_features_sel == 0)
        vrpmsg_table_write_gfeatures(d, v & offered);
}

static void write_status(rpvp_vrpmsg *d, uint32_t v, uint64_t *delay_ps)
{
    if (v == 0) {
        device_reset(d, delay_ps);
        return;
    }
    if (d->cfg.version == 2 && (v & VIRTIO_CONFIG_S_FEATURES_OK) &&
        !(d->status & VIRTIO_CONFIG_S_FEATURES_OK)) {
        uint64_t offered = device_features(d);
        if ((d->drv_features & ~offered) ||
            !(d->drv_features & (1ull << VIRTIO_F_VERSION_1))) {
            /* virtio 1.x 3.1.1: the device refuses by leaving FEATURES_OK clear. */
            vrpmsg_guest_error(d, &d->st.bad_features,
                               "FEATURES_OK refused: driver features 0x%llx, offered 0x%llx",
                               (unsigned long long)d->drv_features,
                               (unsigned long long)offered);
            v &= ~VIRTIO_CONFIG_S_FEATURES_OK;
        }
    }
    uint32_t old = d->status;
    d->status = (v & 0xffu & ~VIRTIO_CONFIG_S_NEEDS_RESET) |
                (old & VIRTIO_CONFIG_S_NEEDS_RESET);
    mirror_status(d);
    if ((d->status & VIRTIO_CONFIG_S_DRIVER_OK) && !(old & VIRTIO_CONFIG_S_DRIVER_OK))
        vrpmsg_log(d, RPVP_VRPMSG_LOG_INFO, "DRIVER_OK (status 0x%02x)", d->status);
}

static void write_queue_notify(rpvp_vrpmsg *d, uint32_t v, uint64_t *delay_ps)
{
    unsigned qi = v & 0xffffu;
    if (!(d->status & VIRTIO_CONFIG_S_DRIVER_OK)) {
        vrpmsg_guest_error(d, &d->st.notify_not_ready,
                           "QueueNotify(%u) before DRIVER_OK (status 0x%02x): ignored", qi,
                           d->status);
        return;
    }
    if (qi >= d->num_queues || !d->q[qi].live) {
        vrpmsg_guest_error(d, &d->st.notify_not_ready,
                           "QueueNotify(%u): queue not set up: ignored", qi);
        return;
    }
    d->st.notifies++;
    d->st.queue[qi].notifies++;
    vrpmsg_event(d, RPVP_EV_NOTIFY, qi, v);
    vrpmsg_sample(d, qi);
    vrpmsg_kick(d, qi, delay_ps);
}

/* ---------------------------------------------------------------------------------- */
/* Register access                                                                     */
/* ---------------------------------------------------------------------------------- */

/* Value of a readable register (no side effects: serves read and debug_read). */
static uint32_t reg_value(rpvp_vrpmsg *d, uint32_t off)
{
    switch (off) {
    case VIRTIO_MMIO_MAGIC_VALUE:
        return VIRTIO_MMIO_MAGIC;
    case VIRTIO_MMIO_VERSION:
        return d->cfg.version;
    case VIRTIO_MMIO_DEVICE_ID:
        return VRPMSG_DEVICE_ID;
    case VIRTIO_MMIO_VENDOR_ID:
        return d->cfg.vendor_id;
    case VIRTIO_MMIO_DEVICE_FEATURES:
        return d->dev_features_sel > 1
                   ? 0
                   : (uint32_t)(device_features(d) >> (32 * d->dev_features_sel));
    case VIRTIO_MMIO_QUEUE_NUM_MAX:
        /* 0 = "no such queue" (4.2.3.2), which is how Linux learns the queue count. */
        return vrpmsg_table_lookup(d) && d->queue_sel < d->num_queues ? d->cfg.queue_num_max
                                                                       : 0;
    case VIRTIO_MMIO_QUEUE_PFN:
        return d->queue_sel < RPVP_VRPMSG_MAX_QUEUES ? d->q[d->queue_sel].pfn : 0;
    case VIRTIO_MMIO_QUEUE_READY:
        return d->queue_sel < RPVP_VRPMSG_MAX_QUEUES ? (uint32_t)d->q[d->queue_sel].live : 0;
    case VIRTIO_MMIO_INTERRUPT_STATUS:
        return d->int_status;
    case VIRTIO_MMIO_STATUS:
        return d->status;
    case VIRTIO_MMIO_SHM_LEN_LOW:
    case VIRTIO_MMIO_SHM_LEN_HIGH:
    case VIRTIO_MMIO_SHM_BASE_LOW:
    case VIRTIO_MMIO_SHM_BASE_HIGH:
        return 0xffffffffu; /* length ~0: no shared memory region (4.2.2) */
    case VIRTIO_MMIO_CONFIG_GENERATION:
        return 0; /* the device never changes its config space */
    default:
        return 0; /* unreachable: callers check the table first */
    }
}

static void reg_write(rpvp_vrpmsg *d, uint32_t off, uint32_t v, uint64_t *delay_ps)
{
    vrpmsg_queue *q;
    switch (off) {
    case VIRTIO_MMIO_DEVICE_FEATURES_SEL:
        d->dev_features_sel = v;
        break;
    case VIRTIO_MMIO_DRIVER_FEATURES:
        write_driver_features(d, v);
        break;
    case VIRTIO_MMIO_DRIVER_FEATURES_SEL:
        d->drv_features_sel = v;
        break;
    case VIRTIO_MMIO_GUEST_PAGE_SIZE:
        d->guest_page_size = v;
        break;
    case VIRTIO_MMIO_QUEUE_SEL:
        d->queue_sel = v;
        break;
    case VIRTIO_MMIO_QUEUE_NUM:
        if ((q = vrpmsg_selected_queue(d, "QueueNum write")))
            q->num = v;
        break;
    case VIRTIO_MMIO_QUEUE_ALIGN:
        if ((q = vrpmsg_selected_queue(d, "QueueAlign write")))
            q->align = v;
        break;
    case VIRTIO_MMIO_QUEUE_PFN:
        vrpmsg_write_queue_pfn(d, v);
        break;
    case VIRTIO_MMIO_QUEUE_READY:
        vrpmsg_write_queue_ready(d, v);
        break;
    case VIRTIO_MMIO_QUEUE_NOTIFY:
        write_queue_notify(d, v, delay_ps);
        break;
    case VIRTIO_MMIO_INTERRUPT_ACK:
        vrpmsg_event(d, RPVP_EV_IRQ_ACK, 0, v);
        d->int_status &= ~v;
        vrpmsg_update(d);
        break;
    case VIRTIO_MMIO_STATUS:
        write_status(d, v, delay_ps);
        break;
    case VIRTIO_MMIO_QUEUE_DESC_LOW:
    case VIRTIO_MMIO_QUEUE_DESC_HIGH:
    case VIRTIO_MMIO_QUEUE_AVAIL_LOW:
    case VIRTIO_MMIO_QUEUE_AVAIL_HIGH:
    case VIRTIO_MMIO_QUEUE_USED_LOW:
    case VIRTIO_MMIO_QUEUE_USED_HIGH:
        vrpmsg_write_queue_addr(d, off, v);
        break;
    case VIRTIO_MMIO_SHM_SEL:
        break; /* no regions: every selection reads "no region" */
    default:
        break; /* unreachable: callers check the table first */
    }
}

/* Classify an access below VIRTIO_MMIO_CONFIG; NULL (after logging) if it is refused. */
static const reg_info *check_reg_access(rpvp_vrpmsg *d, uint64_t off, unsigned len,
                                        int is_write)
{
    const reg_info *r = find_reg(off & ~3ull);
    if (len != 4 || (off & 3)) {
        vrpmsg_guest_error(d, &d->st.bad_width,
                           "%u-byte %s at 0x%03llx (%s): virtio-mmio registers are 32-bit",
                           len, is_write ? "write" : "read", (unsigned long long)off,
                           r ? r->name : "?");
        return NULL;
    }
    if (!r) {
        vrpmsg_guest_error(d, &d->st.bad_offset, "%s of unknown register at 0x%03llx",
                           is_write ? "write" : "read", (unsigned long long)off);
        return NULL;
    }
    if (!(r->versions & d->cfg.version)) {
        vrpmsg_guest_error(d, &d->st.wrong_version, "%s of %s: not a version %u register",
                           is_write ? "write" : "read", r->name, d->cfg.version);
        return NULL;
    }
    if (!is_write && !(r->access & R)) {
        vrpmsg_guest_error(d, &d->st.write_only_reads, "read of write-only %s: reads 0",
                           r->name);
        return NULL;
    }
    if (is_write && !(r->access & W)) {
        vrpmsg_guest_error(d, &d->st.read_only_writes, "write to read-only %s: ignored",
                           r->name);
        return NULL;
    }
    return r;
}

static void config_access(rpvp_vrpmsg *d, uint64_t off, void *data, unsigned len,
                          int is_write)
{
    uint32_t rel = (uint32_t)(off - VIRTIO_MMIO_CONFIG);
    int ok = (len == 1 || len == 2 || len == 4) &&
             (is_write ? vrpmsg_table_config_write(d, rel, data, len)
                       : vrpmsg_table_config_read(d, rel, data, len));
    if (!ok)
        vrpmsg_guest_error(d, &d->st.bad_config_access,
                           "%u-byte config %s at +0x%x: config space is %u bytes", len,
                           is_write ? "write" : "read", rel, d->config_len);
}

static rpvp_status ops_read(void *dev, uint64_t off, void *data, unsigned len,
                            uint64_t *delay_ps)
{
    rpvp_vrpmsg *d = dev;
    memset(data, 0, len);
    d->st.reads++;
    if (off >= RPVP_VRPMSG_WINDOW_SIZE) {
        vrpmsg_guest_error(d, &d->st.bad_offset, "read beyond the window at 0x%llx",
                           (unsigned long long)off);
        return RPVP_OK;
    }
    if (off >= VIRTIO_MMIO_CONFIG) {
        config_access(d, off, data, len, 0);
        return RPVP_OK;
    }
    const reg_info *r = check_reg_access(d, off, len, 0);
    if (!r)
        return RPVP_OK;
    uint32_t v = reg_value(d, r->off);
    memcpy(data, &v, 4);
    vrpmsg_log(d, RPVP_VRPMSG_LOG_TRACE, "read  %-18s [0x%03x] = 0x%08x", r->name, r->off, v);
    return RPVP_OK;
}

static rpvp_status ops_write(void *dev, uint64_t off, const void *data, unsigned len,
                             uint64_t *delay_ps)
{
    rpvp_vrpmsg *d = dev;
    uint64_t local = 0;
    if (!delay_ps)
        delay_ps = &local;
    d->st.writes++;
    if (off >= RPVP_VRPMSG_WINDOW_SIZE) {
        vrpmsg_guest_error(d, &d->st.bad_offset, "write beyond the window at 0x%llx",
                           (unsigned long long)off);
        return RPVP_OK;
    }
    if (off >= VIRTIO_MMIO_CONFIG) {
        uint8_t buf[8];
        memcpy(buf, data, len > 8 ? 8 : len);
        config_access(d, off, buf, len, 1);
        return RPVP_OK;
    }
    const reg_info *r = check_reg_access(d, off, len, 1);
    if (!r)
        return RPVP_OK;
    uint32_t v;
    memcpy(&v, data, 4);
    vrpmsg_log(d, RPVP_VRPMSG_LOG_TRACE, "write %-18s [0x%03x] = 0x%08x", r->name, r->off, v);
    reg_write(d, r->off, v, delay_ps);
    return RPVP_OK;
}

static unsigned ops_debug_read(void *dev, uint64_t off, void *data, unsigned len)
{
    rpvp_vrpmsg *d = dev;
    memset(data, 0, len);
    if (off >= VIRTIO_MMIO_CONFIG && off < RPVP_VRPMSG_WINDOW_SIZE) {
        if (len > 4 || !vrpmsg_table_config_read(d, (uint32_t)(off - VIRTIO_MMIO_CONFIG), data,
                                                 len))
            return 0;
        return len;
    }
    const reg_info *r = find_reg(off);
    if (len != 4 || !r || !(r->access & R) || !(r->versions & d->cfg.version))
        return 0;
    uint32_t v = reg_value(d, r->off);
    memcpy(data, &v, 4);
    return 4;
}

static void ops_set_irq_sink(void *dev, const rpvp_irq_sink *sink)
{
    rpvp_vrpmsg *d = dev;
    if (sink)
        d->sink = *sink;
    else
        memset(&d->sink, 0, sizeof d->sink);
    rpvp_irq_sink_set(&d->sink, 0, d->irq_level);
}

static void ops_irq_in(void *dev, unsigned line, int level)
{
    rpvp_vrpmsg *d = dev;
    uint64_t delay = 0;
    if (line == 0 && level)
        vrpmsg_service(d, &delay, 1);
}

static const rpvp_device_ops vrpmsg_ops = {
    .name = "virtio-rpmsg",
    .read = ops_read,
    .write = ops_write,
    .debug_read = ops_debug_read,
    .reset = ops_reset,
    .set_irq_sink = ops_set_irq_sink,
    .irq_in = ops_irq_in,
    .num_irq_out = 1,
    .num_irq_in = 1,
};

/* ---------------------------------------------------------------------------------- */
/* Public API                                                                          */
/* ---------------------------------------------------------------------------------- */

const rpvp_device_ops *rpvp_vrpmsg_ops(void)
{
    return &vrpmsg_ops;
}

