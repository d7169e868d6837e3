/*
 * Core-level test bench for the virtio-rpmsg device: the C core behind a fake bus that
 * holds a DDR array (with a resource table in it) and a minimal OMAP4 mailbox with the
 * level semantics of models/mailbox (NEWMSG while a FIFO holds a message, NOTFULL while
 * it is not full, line = status & enable). No SystemC.
 *
 * The mailbox interrupt reaches the device only when a test calls deliver_mbox_irq():
 * that keeps the order of events explicit, as an SC_METHOD would in the platform.
 */
#ifndef VRPMSG_FIXTURE_H
#define VRPMSG_FIXTURE_H

#include <gtest/gtest.h>

#include <cstring>
#include <deque>
#include <string>
#include <vector>

extern "C" {
#include "rpvp/omap_mailbox_regs.h"
#include "rpvp/remoteproc.h"
#include "rpvp/virtio_ring.h"
#include "rpvp/virtio_rpmsg_dev.h"
}

namespace vrpmsg_test {

constexpr uint64_t kDdrBase = 0x40000000;
constexpr uint64_t kDdrSize = 1 << 20; /* window given to the device */
constexpr uint64_t kTable = kDdrBase + 0xF0000;
constexpr uint32_t kTableSize = 0x200;
constexpr uint64_t kMbox = 0x4A0F4000;
constexpr uint64_t kAccessPs = 10000; /* every timed bus access costs 10 ns */
constexpr uint32_t kConfigLen = 8;
constexpr uint32_t kMboxDepth = 4;

/* Minimal OMAP4 mailbox: the 8 FIFOs of the channel plan (rpvp/mbox_channels.h), depth 4,
 * user 0 only (the device). */
constexpr unsigned kFakeFifos = RPVP_MBOX_PLAN_FIFOS;
struct FakeMbox {
    std::deque<uint32_t> fifo[kFakeFifos];
    uint32_t enable = 0; /* IRQENABLE of user 0 */

    uint32_t status() const
    {
        uint32_t s = 0;
        for (unsigned m = 0; m < kFakeFifos; m++) {
            if (!fifo[m].empty())
                s |= RPVP_MBOX_IRQ_NEWMSG(m);
            if (fifo[m].size() < kMboxDepth)
                s |= RPVP_MBOX_IRQ_NOTFULL(m);
        }
        return s;
    }
    bool line() const { return (status() & enable) != 0; }

    bool read(uint32_t off, uint32_t *v)
    {
        for (unsigned m = 0; m < kFakeFifos; m++) {
            if (off == RPVP_MBOX_MESSAGE(m)) {
                *v = fifo[m].empty() ? 0 : fifo[m].front();
                if (!fifo[m].empty())
                    fifo[m].pop_front();
                return true;
            }
            if (off == RPVP_MBOX_FIFOSTATUS(m)) {
                *v = fifo[m].size() >= kMboxDepth ? RPVP_MBOX_FIFOSTATUS_FIFOFULLMBM : 0;
                return true;
            }
            if (off == RPVP_MBOX_MSGSTATUS(m)) {
                *v = static_cast<uint32_t>(fifo[m].size());
                return true;
            }
        }
        if (off == RPVP_MBOX_IRQSTATUS_CLR(0)) {
            *v = status() & enable;
            return true;
        }
        if (off == RPVP_MBOX_IRQENABLE_SET(0)) {
            *v = enable;
            return true;
        }
        return false;
    }
    bool write(uint32_t off, uint32_t v)
    {
        for (unsigned m = 0; m < kFakeFifos; m++)
            if (off == RPVP_MBOX_MESSAGE(m)) {
                if (fifo[m].size() < kMboxDepth)
                    fifo[m].push_back(v);
                return true;
            }
        if (off == RPVP_MBOX_IRQENABLE_SET(0)) {
            enable |= v;
            return true;
        }
        if (off == RPVP_MBOX_IRQENABLE_CLR(0)) {
            enable &= ~v;
            return true;
        }
        return off == RPVP_MBOX_IRQSTATUS_CLR(0); /* level bits: W1C has no effect */
    }
};

struct Access {
    bool write;
    uint64_t addr;
    uint32_t value;
};

class VrpmsgTest : public ::testing::Test {
protected:
    std::vector<uint8_t> ddr = std::vector<uint8_t>(kDdrSize, 0);
    FakeMbox mbox;
    std::vector<Access> trace;       /* timed accesses, in order */
    std::vector<std::string> errors; /* guest-error log lines */
    std::vector<std::string> infos;
    uint64_t fail_addr = ~0ull;      /* timed accesses here answer an address error */
    uint64_t now_ps = 0;
    bool mbox_line_seen = false;
    int irq_level = 0;
    int irq_edges = 0;
    rpvp_vrpmsg *dev = nullptr;
    rpvp_vrpmsg_config cfg{};

    struct Sample {
        unsigned queue;
        uint16_t avail, used;
        uint64_t t;
    };
    std::vector<Sample> samples;

    /* --- the bus --- */
    uint8_t *ddr_ptr(uint64_t addr, unsigned len)
    {
        if (addr < kDdrBase || addr + len > kDdrBase + kDdrSize)
            return nullptr;
        return &ddr[addr - kDdrBase];
    }
    static rpvp_status bus_read(void *ctx, uint64_t addr, void *data, unsigned len,
                                uint64_t *delay)
    {
        auto *t = static_cast<VrpmsgTest *>(ctx);
        *delay += kAccessPs;
        if (addr == t->fail_addr)
            return RPVP_ADDRESS_ERROR;
        if (uint8_t *p = t->ddr_ptr(addr, len)) {
            memcpy(data, p, len);
            return RPVP_OK;
        }
        uint32_t v = 0;
        if (len != 4 || addr < kMbox || !t->mbox.read(static_cast<uint32_t>(addr - kMbox), &v))
            return RPVP_ADDRESS_ERROR;
        memcpy(data, &v, 4);
        t->trace.push_back({false, addr, v});
        return RPVP_OK;
    }
    static rpvp_status bus_write(void *ctx, uint64_t addr, const void *data, unsigned len,
                                 uint64_t *delay)
    {
        auto *t = static_cast<VrpmsgTest *>(ctx);
        *delay += kAccessPs;
        if (addr == t->fail_addr)
            return RPVP_ADDRESS_ERROR;
        if (uint8_t *p = t->ddr_ptr(addr, len)) {
            memcpy(p, data, len);
            return RPVP_OK;
        }
        uint32_t v = 0;
        memcpy(&v, data, len < 4 ? len : 4);
        if (len != 4 || addr < kMbox || !t->mbox.write(static_cast<uint32_t>(addr - kMbox), v))
            return RPVP_ADDRESS_ERROR;
        t->trace.push_back({true, addr, v});
        return RPVP_OK;
    }
    static unsigned bus_debug_read(void *ctx, uint64_t addr, void *data, unsigned len)
    {
        auto *t = static_cast<VrpmsgTest *>(ctx);
        uint8_t *p = t->ddr_ptr(addr, len);
        if (!p)
            return 0;
        memcpy(data, p, len);
        return len;
    }
    static unsigned bus_debug_write(void *ctx, uint64_t addr, const void *data, unsigned len)
    {
        auto *t = static_cast<VrpmsgTest *>(ctx);
        uint8_t *p = t->ddr_ptr(addr, len);
        if (!p)
            return 0;
        memcpy(p, data, len);
        return len;
    }
    static void log_fn(void *ctx, rpvp_vrpmsg_log_level lvl, const char *msg)
    {
        auto *t = static_cast<VrpmsgTest *>(ctx);
        if (lvl == RPVP_VRPMSG_LOG_GUEST_ERROR)
            t->errors.emplace_back(msg);
        else if (lvl == RPVP_VRPMSG_LOG_INFO)
            t->infos.emplace_back(msg);
    }
    static void irq_fn(void *ctx, unsigned line, int level)
    {
        auto *t = static_cast<VrpmsgTest *>(ctx);
        if (level && !t->irq_level)
            t->irq_edges++;
        t->irq_level = level;
    }
    static uint64_t clock_fn(void *ctx) { return static_cast<VrpmsgTest *>(ctx)->now_ps; }
    static void sample_fn(void *ctx, unsigned q, uint16_t avail, uint16_t used, uint64_t t)
    {
        static_cast<VrpmsgTest *>(ctx)->samples.push_back({q, avail, used, t});
    }

    /* --- set-up --- */
    /* Resource table: a carveout entry, then the rpmsg vdev (2 vrings, 8 config bytes). */
    void build_table(uint32_t dfeatures = 1u << VIRTIO_RPMSG_F_NS)
    {
        uint8_t *t = ddr_ptr(kTable, kTableSize);
        memset(t, 0, kTableSize);
        auto *hdr = reinterpret_cast<resource_table *>(t);
        hdr->ver = 1;
        hdr->num = 2;
        const uint32_t carve_off = 0x20, vdev_off = 0x80;
        memcpy(t + 16, &carve_off, 4);
        memcpy(t + 20, &vdev_off, 4);
        uint32_t type = RSC_CARVEOUT;
        memcpy(t + carve_off, &type, 4);
        type = RSC_VDEV;
        memcpy(t + vdev_off, &type, 4);
        fw_rsc_vdev v{};
        v.id = VIRTIO_ID_RPMSG;
        v.dfeatures = dfeatures;
        v.config_len = kConfigLen;
        v.num_of_vrings = 2;
        memcpy(t + vdev_off + 4, &v, sizeof v);
        for (uint32_t i = 0; i < 2; i++) {
            fw_rsc_vdev_vring r{};
            r.da = FW_RSC_ADDR_ANY;
            r.align = 4096;
            r.num = 256;
            r.notifyid = 0x77; /* remoteproc assigns it */
            r.pa = 0x1234;
            memcpy(t + vdev_off + 4 + sizeof v + i * sizeof r, &r, sizeof r);
        }
        const uint8_t config[kConfigLen] = {1, 2, 3, 4, 5, 6, 7, 8};
        memcpy(t + vdev_off + 4 + sizeof v + 2 * sizeof(fw_rsc_vdev_vring), config, kConfigLen);
    }
    uint64_t vdev_addr() const { return kTable + 0x80 + 4; }
    fw_rsc_vdev table_vdev()
    {
        fw_rsc_vdev v;
        memcpy(&v, ddr_ptr(vdev_addr(), sizeof v), sizeof v);
        return v;
    }
    fw_rsc_vdev_vring table_vring(unsigned i)
    {
        fw_rsc_vdev_vring r;
        memcpy(&r, ddr_ptr(vdev_addr() + sizeof(fw_rsc_vdev) + i * sizeof r, sizeof r),
               sizeof r);
        return r;
    }

    void create(uint32_t version)
    {
        rpvp_vrpmsg_config_default(&cfg);
        cfg.version = version;
        cfg.rsc_table_addr = kTable;
        cfg.rsc_table_size = kTableSize;
        cfg.ddr_base = kDdrBase;
        cfg.ddr_size = kDdrSize;
        cfg.mbox_base = kMbox;
        cfg.bus = {bus_read, bus_write, bus_debug_read, bus_debug_write, this};
        cfg.log = log_fn;
        cfg.log_ctx = this;
        dev = rpvp_vrpmsg_new(&cfg);
        ASSERT_NE(dev, nullptr);
        rpvp_irq_sink sink{irq_fn, this};
        rpvp_vrpmsg_ops()->set_irq_sink(dev, &sink);
        rpvp_clock clk{clock_fn, this};
        rpvp_vrpmsg_set_clock(dev, &clk);
        rpvp_vrpmsg_set_vring_hook(dev, sample_fn, this);
        uint64_t delay = 0;
        ASSERT_EQ(rpvp_vrpmsg_start(dev, &delay), RPVP_OK);
    }
    void SetUp() override { build_table(); }
    void TearDown() override { rpvp_vrpmsg_free(dev); }

    /* --- Linux side (register accesses as virtio_mmio.c makes them) --- */
    uint32_t rd(uint32_t off) { return rpvp_vrpmsg_read32(dev, off); }
    void wr(uint32_t off, uint32_t v) { ASSERT_EQ(rpvp_vrpmsg_write32(dev, off, v), RPVP_OK); }
    rpvp_vrpmsg_stats stats()
    {
        rpvp_vrpmsg_stats s;
        rpvp_vrpmsg_get_stats(dev, &s);
        return s;
    }

    /* Status ACK|DRIVER, features, FEATURES_OK (v2) as virtio core + vm_finalize_features. */
    void negotiate(uint64_t accept)
    {
        if (cfg.version == 1) /* virtio_mmio_probe, legacy devices only */
            wr(VIRTIO_MMIO_GUEST_PAGE_SIZE, 4096);
        wr(VIRTIO_MMIO_STATUS, 0);
        wr(VIRTIO_MMIO_STATUS, VIRTIO_CONFIG_S_ACKNOWLEDGE);
        wr(VIRTIO_MMIO_STATUS, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER);
        wr(VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
        wr(VIRTIO_MMIO_DRIVER_FEATURES, static_cast<uint32_t>(accept >> 32));
        wr(VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
        wr(VIRTIO_MMIO_DRIVER_FEATURES, static_cast<uint32_t>(accept));
        if (cfg.version == 2)
            wr(VIRTIO_MMIO_STATUS, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER |
                                       VIRTIO_CONFIG_S_FEATURES_OK);
    }
    /* vm_setup_vq for queue `q` with a legacy vring at `desc`. */
    void setup_queue(unsigned q, uint64_t desc, uint32_t num = 256)
    {
        wr(VIRTIO_MMIO_QUEUE_SEL, q);
        wr(VIRTIO_MMIO_QUEUE_NUM, num);
        if (cfg.version == 1) {
            wr(VIRTIO_MMIO_QUEUE_ALIGN, 4096);
            wr(VIRTIO_MMIO_QUEUE_PFN, static_cast<uint32_t>(desc / 4096));
        } else {
            setup_queue_v2(q, desc, vring_avail_addr(desc, num), vring_used_addr(desc, num, 4096),
                           num);
        }
    }
    void setup_queue_v2(unsigned q, uint64_t desc, uint64_t avail, uint64_t used, uint32_t num)
    {
        wr(VIRTIO_MMIO_QUEUE_SEL, q);
        wr(VIRTIO_MMIO_QUEUE_NUM, num);
        wr(VIRTIO_MMIO_QUEUE_DESC_LOW, static_cast<uint32_t>(desc));
        wr(VIRTIO_MMIO_QUEUE_DESC_HIGH, static_cast<uint32_t>(desc >> 32));
        wr(VIRTIO_MMIO_QUEUE_AVAIL_LOW, static_cast<uint32_t>(avail));
        wr(VIRTIO_MMIO_QUEUE_AVAIL_HIGH, static_cast<uint32_t>(avail >> 32));
        wr(VIRTIO_MMIO_QUEUE_USED_LOW, static_cast<uint32_t>(used));
        wr(VIRTIO_MMIO_QUEUE_USED_HIGH, static_cast<uint32_t>(used >> 32));
        wr(VIRTIO_MMIO_QUEUE_READY, 1);
    }
    uint64_t features_for_version() const
    {
        return (1ull << VIRTIO_RPMSG_F_NS) |
               (cfg.version == 2 ? 1ull << VIRTIO_F_VERSION_1 : 0);
    }
    /* Whole probe: negotiate, two queues at 0x40010000 / 0x40020000, DRIVER_OK. */
    void bring_up(uint32_t num = 256)
    {
        negotiate(features_for_version());
        setup_queue(0, kDdrBase + 0x10000, num);
        setup_queue(1, kDdrBase + 0x20000, num);
        wr(VIRTIO_MMIO_STATUS, rd(VIRTIO_MMIO_STATUS) | VIRTIO_CONFIG_S_DRIVER_OK);
    }

    /* --- remote side --- */
    /* The mailbox interrupt of user 0 reaches the device (only on a level change). */
    void deliver_mbox_irq()
    {
        bool l = mbox.line();
        if (l == mbox_line_seen)
            return;
        mbox_line_seen = l;
        rpvp_vrpmsg_ops()->irq_in(dev, 0, l ? 1 : 0);
        /* The device's own accesses may have changed the line again. */
        deliver_mbox_irq();
    }
    /* The remote kicks vring `queue` on its channel's remote -> host FIFO. */
    void remote_kick(unsigned queue, uint32_t msg = 0)
    {
        mbox.fifo[RPVP_MBOX_CH_RX_FIFO(queue)].push_back(msg);
        deliver_mbox_irq();
    }
    void set_idx(uint64_t addr, uint16_t v) { memcpy(ddr_ptr(addr, 2), &v, 2); }

    bool logged(const std::vector<std::string> &lines, const char *needle) const
    {
        for (const auto &l : lines)
            if (l.find(needle) != std::string::npos)
                return true;
        return false;
    }
};

} // namespace vrpmsg_test
#endif
