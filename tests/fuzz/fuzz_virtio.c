/*
 * Fuzz target 1: the virtio-mmio rpmsg device core (models/virtio-rpmsg) with the real
 * OMAP4 mailbox core behind it and a DDR image the fuzzer owns (vring indices that
 * jump, the resource table, anything in between). The mailbox interrupt of the device's
 * user reaches the device synchronously (ops->irq_in), the most re-entrant wiring.
 *
 * Input: byte 0 picks the virtio-mmio version (1 or 2); then 8-byte actions
 * {op, offset16, value32, extra8}: register reads/writes of any width and offset (the
 * driver), DDR writes (the driver's rings or a hostile firmware's table), the remote's
 * mailbox accesses (kicks into the device's FIFO, reads of its own), resets and timed
 * interrupt delivery. After every action: the output line equals what the core says,
 * InterruptStatus holds only defined bits, and the table's vrings, when set, lie in DDR.
 */
#include <string.h>

#include "fuzz_input.h"
#include "rpvp/omap_mailbox.h"
#include "rpvp/remoteproc.h"
#include "rpvp/virtio_mmio_regs.h"
#include "rpvp/virtio_rpmsg_dev.h"

#define DDR_BASE 0x80000000ull
#define DDR_SIZE 0x10000u /* 64 KiB: small enough that the fuzzer's offsets hit rings */
#define TABLE_OFF 0xF000u
#define TABLE_SIZE 0x100u
#define MBOX_BASE 0x4A0F4000ull
#define M3_USER 2u

typedef struct harness {
    uint8_t ddr[DDR_SIZE];
    rpvp_mbox *mb;
    rpvp_vrpmsg *dev;
    int dev_line;
    int m3_line;
    unsigned irq_in_calls;
} harness;

static harness H;

static rpvp_status bus_read(void *ctx, uint64_t addr, void *data, unsigned len, uint64_t *d)
{
    harness *h = ctx;
    *d += 1000;
    if (addr >= DDR_BASE && len <= DDR_SIZE && addr - DDR_BASE <= DDR_SIZE - len) {
        memcpy(data, h->ddr + (addr - DDR_BASE), len);
        return RPVP_OK;
    }
    if (addr >= MBOX_BASE && addr - MBOX_BASE < 0x1000)
        return rpvp_mbox_ops(h->mb)->read(h->mb, addr - MBOX_BASE, data, len, d);
    return RPVP_ADDRESS_ERROR;
}

static rpvp_status bus_write(void *ctx, uint64_t addr, const void *data, unsigned len,
                             uint64_t *d)
{
    harness *h = ctx;
    *d += 1000;
    if (addr >= DDR_BASE && len <= DDR_SIZE && addr - DDR_BASE <= DDR_SIZE - len) {
        memcpy(h->ddr + (addr - DDR_BASE), data, len);
        return RPVP_OK;
    }
    if (addr >= MBOX_BASE && addr - MBOX_BASE < 0x1000)
        return rpvp_mbox_ops(h->mb)->write(h->mb, addr - MBOX_BASE, data, len, d);
    return RPVP_ADDRESS_ERROR;
}

static unsigned bus_debug_read(void *ctx, uint64_t addr, void *data, unsigned len)
{
    harness *h = ctx;
    if (addr < DDR_BASE || len > DDR_SIZE || addr - DDR_BASE > DDR_SIZE - len)
        return 0;
    memcpy(data, h->ddr + (addr - DDR_BASE), len);
    return len;
}

static unsigned bus_debug_write(void *ctx, uint64_t addr, const void *data, unsigned len)
{
    harness *h = ctx;
    if (addr < DDR_BASE || len > DDR_SIZE || addr - DDR_BASE > DDR_SIZE - len)
        return 0;
    memcpy(h->ddr + (addr - DDR_BASE), data, len);
    return len;
}

static void mbox_sink(void *ctx, unsigned line, int level)
{
    harness *h = ctx;
    if (line == 0) {
        /* Re-entrant on purpose: the device drains the mailbox from inside this call. */
        if (h->irq_in_calls++ < 4096)
            rpvp_vrpmsg_ops()->irq_in(h->dev, 0, level);
    } else if (line == M3_USER) {
        h->m3_line = level;
    }
}

static void dev_sink(void *ctx, unsigned line, int level)
{
    harness *h = ctx;
    FZ_CHECK(line == 0, "device line %u", line);
    h->dev_line = level;
}

static void vr_log(void *ctx, rpvp_vrpmsg_log_level l, const char *msg)
{
    (void)ctx;
    (void)l;
    FZ_CHECK(msg != NULL, "log");
}

static void mb_log(void *ctx, rpvp_mbox_log_level l, const char *msg)
{
    (void)ctx;
    (void)l;
    (void)msg;
}

/* The firmware's resource table: one RSC_VDEV (rpmsg, NS, two vrings at ADDR_ANY). */
static void put_table(harness *h)
{
    uint8_t *t = h->ddr + TABLE_OFF;
    struct resource_table rt = {.ver = 1, .num = 1};
    memcpy(t, &rt, sizeof rt);
    uint32_t off = sizeof rt + 4;
    memcpy(t + sizeof rt, &off, 4);
    struct fw_rsc_hdr hdr = {.type = RSC_VDEV};
    memcpy(t + off, &hdr, sizeof hdr);
    struct fw_rsc_vdev v = {.id = VIRTIO_ID_RPMSG, .notifyid = 2,
                            .dfeatures = 1u << VIRTIO_RPMSG_F_NS, .config_len = 8,
                            .num_of_vrings = 2};
    memcpy(t + off + sizeof hdr, &v, sizeof v);
    for (uint32_t i = 0; i < 2; i++) {
        struct fw_rsc_vdev_vring r = {.da = FW_RSC_ADDR_ANY, .align = 4096, .num = 16,
                                      .notifyid = i};
        memcpy(t + off + sizeof hdr + sizeof v + i * sizeof r, &r, sizeof r);
    }
}

static void check(harness *h)
{
    FZ_CHECK(h->dev_line == rpvp_vrpmsg_irq_level(h->dev), "line %d, core says %d",
             h->dev_line, rpvp_vrpmsg_irq_level(h->dev));
    rpvp_vrpmsg_stats st;
    rpvp_vrpmsg_get_stats(h->dev, &st);
    for (unsigned q = 0; q < RPVP_VRPMSG_MAX_QUEUES; q++) {
        if (!st.queue[q].num)
            continue;
        FZ_CHECK(st.queue[q].desc_addr >= DDR_BASE &&
                     st.queue[q].desc_addr - DDR_BASE < DDR_SIZE,
                 "queue %u live at 0x%llx", q, (unsigned long long)st.queue[q].desc_addr);
        FZ_CHECK(st.queue[q].desc_addr % 16 == 0, "queue %u descriptors at 0x%llx", q,
                 (unsigned long long)st.queue[q].desc_addr);
    }
    for (unsigned u = 0; u < 3; u++) {
        uint32_t masked = 0;
        rpvp_mbox_ops(h->mb)->debug_read(h->mb, RPVP_MBOX_IRQSTATUS_CLR(u), &masked, 4);
        FZ_CHECK(rpvp_mbox_irq_level(h->mb, u) == (masked != 0), "mailbox user %u", u);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_input in = {data, size};
    harness *h = &H;
    memset(h->ddr, 0, sizeof h->ddr);
    h->dev_line = h->m3_line = 0;
    h->irq_in_calls = 0;
    put_table(h);

    rpvp_mbox_config mc;
    rpvp_mbox_config_default(&mc);
    mc.log = mb_log;
    h->mb = rpvp_mbox_new(&mc);
    FZ_CHECK(h->mb != NULL, "mailbox");

    uint8_t hdr = fz_u8(&in);
    rpvp_vrpmsg_config cfg;
    rpvp_vrpmsg_config_default(&cfg);
    cfg.version = (hdr & 1) ? 2 : 1;
    cfg.rsc_table_addr = DDR_BASE + TABLE_OFF;
    cfg.rsc_table_size = TABLE_SIZE;
    cfg.ddr_base = DDR_BASE;
    cfg.ddr_size = DDR_SIZE;
    cfg.mbox_base = MBOX_BASE;
    cfg.queue_num_max = 16u << ((hdr >> 1) & 3);
    cfg.trace = (hdr >> 3) & 1;
    cfg.bus = (rpvp_vrpmsg_bus){bus_read, bus_write, bus_debug_read, bus_debug_write, h};
    cfg.log = vr_log;
    h->dev = rpvp_vrpmsg_new(&cfg);
    FZ_CHECK(h->dev != NULL, "device");
    const rpvp_device_ops *dops = rpvp_vrpmsg_ops();
    const rpvp_device_ops *mops = rpvp_mbox_ops(h->mb);
    rpvp_irq_sink ds = {dev_sink, h}, ms = {mbox_sink, h};
    dops->set_irq_sink(h->dev, &ds);
    mops->set_irq_sink(h->mb, &ms);
    uint64_t delay = 0;
    rpvp_vrpmsg_start(h->dev, &delay);
    /* The remote listens for kicks on every host->remote FIFO. */
    rpvp_mbox_write32(h->mb, RPVP_MBOX_IRQENABLE_SET(M3_USER), 0x5555u);

    while (fz_more(&in)) {
        uint8_t op = fz_u8(&in);
        uint32_t off = fz_u16(&in);
        uint32_t v = fz_u32(&in);
        uint8_t x = fz_u8(&in);
        uint8_t buf[8];
        static const unsigned lens[] = {1, 2, 8, 3};
        memcpy(buf, &v, 4);
        memcpy(buf + 4, &v, 4);
        delay = 0;
        switch (op % 10) {
        case 0:
        case 1: /* the driver writes a register */
            dops->write(h->dev, (op & 0x80) ? off : (off & 0x1fc), &v, 4, &delay);
            break;
        case 2: /* the driver reads one */
            dops->read(h->dev, (op & 0x80) ? off : (off & 0x1fc), buf, 4, &delay);
            break;
        case 3: /* odd widths, config space */
            if (x & 1)
                dops->write(h->dev, off & 0x3ff, buf, lens[x >> 1 & 3], &delay);
            else
                dops->read(h->dev, off & 0x3ff, buf, lens[x >> 1 & 3], &delay);
            break;
        case 4: /* DDR: 32 bits anywhere (descriptors, the table) */
            memcpy(h->ddr + (off & (DDR_SIZE - 4)), &v, 4);
            break;
        case 5: /* DDR: a 16-bit ring index at a ring-sized stride */
            memcpy(h->ddr + (off & (DDR_SIZE - 2)), &v, 2);
            break;
        case 6: /* the remote kicks the host (rx FIFO) or reads its own FIFOs */
            if (x & 1)
                rpvp_mbox_write32(h->mb, RPVP_MBOX_MESSAGE(x >> 1 & 7), v);
            else
                (void)rpvp_mbox_read32(h->mb, RPVP_MBOX_MESSAGE(x >> 1 & 7));
            break;
        case 7: /* the remote touches any mailbox register */
            mops->write(h->mb, off & 0x1fc, &v, 4, &delay);
            break;
        case 8: /* timed interrupt delivery, as the SystemC wrapper does it */
            rpvp_vrpmsg_mailbox_irq(h->dev, rpvp_mbox_irq_level(h->mb, 0), &delay);
            rpvp_vrpmsg_update_irq(h->dev);
            break;
        default:
            if (x % 4 == 0)
                dops->reset(h->dev);
            else if (x % 4 == 1)
                rpvp_vrpmsg_set_rsc_table(h->dev, DDR_BASE + (off & (DDR_SIZE - 4)), v & 0x1ff);
            else if (x % 4 == 2)
                (void)rpvp_vrpmsg_vdev_addr(h->dev);
            else
                rpvp_vrpmsg_clear_stats(h->dev);
            break;
        }
        check(h);
    }
    rpvp_vrpmsg_free(h->dev);
    rpvp_mbox_free(h->mb);
    return 0;
}
