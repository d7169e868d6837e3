/* virtio-rpmsg device at TLM level with the real OMAP4 mailbox core, the shared DDR and
 * the router: a "Linux" initiator probes the device as virtio_mmio.c does and kicks
 * queue 1; an "M3" initiator, mailbox user 2, takes the message, finds the vring in the
 * resource table and kicks back; Linux takes the device interrupt. */
#include <gtest/gtest.h>
#include <systemc>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <string>

#include "bridge_initiator.h"
#include "ddr_tlm.h"
#include "omap_mailbox_tlm.h"
#include "router.h"
#include "virtio_rpmsg_tlm.h"

extern "C" {
#include "rpvp/omap_mailbox.h"
#include "rpvp/remoteproc.h"
#include "rpvp/virtio_ring.h"
}

using namespace sc_core;
using namespace rpvp;

namespace {

constexpr uint64_t kDdr = 0x40000000, kDdrSize = 1 << 20;
constexpr uint64_t kTable = kDdr + 0xF0000;
constexpr uint32_t kTableSize = 0x100;
constexpr uint64_t kVirtio = 0x0b000000;  /* Linux's view */
constexpr uint64_t kMboxDev = 0x4A0F4000; /* the device's view */
constexpr uint64_t kMboxM3 = 0xAA0F4000;  /* the M3's view (Ducati) */
constexpr uint64_t kVring0 = kDdr + 0x10000, kVring1 = kDdr + 0x20000;
constexpr unsigned kM3User = 2;

/* Initiators: 0 linux, 1 m3, 2 device master. Targets: 0 ddr, 1 mailbox, 2 device. */
struct Platform {
    BridgeInitiator linux_cpu{"linux", 1}, m3{"m3", 1};
    Router bus{"bus", 3, 3};
    SharedDdr ddr{"ddr", "rpvp-test-vrpmsg-" + std::to_string(getpid()), kDdrSize};
    OmapMailbox mbox{"mbox", sc_time(10, SC_NS)};
    VirtioRpmsg vdev;
    sc_signal<bool> mbox_irq[3], vdev_irq;

    static rpvp_vrpmsg_config vdev_config()
    {
        rpvp_vrpmsg_config c;
        rpvp_vrpmsg_config_default(&c);
        c.version = 2;
        c.rsc_table_addr = kTable;
        c.rsc_table_size = kTableSize;
        c.ddr_base = kDdr;
        c.ddr_size = kDdrSize;
        c.mbox_base = kMboxDev;
        return c;
    }

    Platform()
        : vdev("vdev", vdev_config(), sc_time(20, SC_NS))
    {
        linux_cpu.isock.bind(bus.tsock[0]);
        m3.isock.bind(bus.tsock[1]);
        vdev.isock().bind(bus.tsock[2]);
        bus.isock[0].bind(ddr.tsock);
        bus.isock[1].bind(mbox.tsock());
        bus.isock[2].bind(vdev.tsock());
        bus.map(0, kDdr, kDdrSize, 0);
        bus.map(0, kVirtio, RPVP_VRPMSG_WINDOW_SIZE, 2);
        bus.map(1, kDdr, kDdrSize, 0);
        bus.map(1, kMboxM3, RPVP_MBOX_WINDOW_SIZE, 1);
        bus.map(2, kDdr, kDdrSize, 0);
        bus.map(2, kMboxDev, RPVP_MBOX_WINDOW_SIZE, 1);
        for (unsigned u = 0; u < 3; u++)
            mbox.irq(u)(mbox_irq[u]);
        vdev.irq_in()(mbox_irq[0]);
        m3.irq[0](mbox_irq[kM3User]);
        vdev.irq_out()(vdev_irq);
        linux_cpu.irq[0](vdev_irq);
        build_table();
    }

    void build_table()
    {
        uint8_t *t = ddr.data() + (kTable - kDdr);
        memset(t, 0, kTableSize);
        resource_table hdr{};
        hdr.ver = 1;
        hdr.num = 1;
        memcpy(t, &hdr, sizeof hdr);
        const uint32_t off = 0x20, type = RSC_VDEV;
        memcpy(t + 16, &off, 4);
        memcpy(t + off, &type, 4);
        fw_rsc_vdev v{};
        v.id = VIRTIO_ID_RPMSG;
        v.dfeatures = 1u << VIRTIO_RPMSG_F_NS;
        v.num_of_vrings = 2;
        memcpy(t + off + 4, &v, sizeof v);
    }
    fw_rsc_vdev_vring vring(unsigned i)
    {
        fw_rsc_vdev_vring r;
        memcpy(&r, ddr.data() + (kTable - kDdr) + 0x24 + sizeof(fw_rsc_vdev) + i * sizeof r,
               sizeof r);
        return r;
    }
};

uint32_t rd(rpvp_port *p, uint64_t a)
{
    uint32_t v = 0;
    EXPECT_EQ(rpvp_read(p, a, &v, 4, nullptr), RPVP_OK) << std::hex << a;
    return v;
}
void wr(rpvp_port *p, uint64_t a, uint32_t v)
{
    EXPECT_EQ(rpvp_write(p, a, &v, 4, nullptr), RPVP_OK) << std::hex << a;
}

struct RunResult {
    Platform *pf;
    uint64_t notify_ps = 0, m3_rx_ps = 0, m3_kick_ps = 0, linux_irq_ps = 0;
    uint32_t m3_msg = ~0u, m3_saw_da = 0, linux_isr = 0;
    bool linux_done = false, m3_done = false;
};

/* Linux: virtio_mmio probe + virtio core + vm_setup_vq, then kick queue 1 (svq). */
void linux_thread(rpvp_port *p, void *ctx)
{
    auto *r = static_cast<RunResult *>(ctx);
    auto reg = [](uint32_t off) { return kVirtio + off; };
    /* QEMU syncs SystemC at every bridged access: no temporal decoupling on this side. */
    rpvp_port_set_quantum(p, 0);
    EXPECT_EQ(rd(p, reg(VIRTIO_MMIO_MAGIC_VALUE)), VIRTIO_MMIO_MAGIC);
    EXPECT_EQ(rd(p, reg(VIRTIO_MMIO_VERSION)), 2u);
    EXPECT_EQ(rd(p, reg(VIRTIO_MMIO_DEVICE_ID)), 7u);
    wr(p, reg(VIRTIO_MMIO_STATUS), 0);
    wr(p, reg(VIRTIO_MMIO_STATUS), VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER);
    wr(p, reg(VIRTIO_MMIO_DEVICE_FEATURES_SEL), 1);
    uint64_t f = (uint64_t)rd(p, reg(VIRTIO_MMIO_DEVICE_FEATURES)) << 32;
    wr(p, reg(VIRTIO_MMIO_DEVICE_FEATURES_SEL), 0);
    f |= rd(p, reg(VIRTIO_MMIO_DEVICE_FEATURES));
    EXPECT_EQ(f, (1ull << VIRTIO_F_VERSION_1) | 1u);
    wr(p, reg(VIRTIO_MMIO_DRIVER_FEATURES_SEL), 1);
    wr(p, reg(VIRTIO_MMIO_DRIVER_FEATURES), (uint32_t)(f >> 32));
    wr(p, reg(VIRTIO_MMIO_DRIVER_FEATURES_SEL), 0);
    wr(p, reg(VIRTIO_MMIO_DRIVER_FEATURES), (uint32_t)f);
    wr(p, reg(VIRTIO_MMIO_STATUS), 0xb); /* ACK | DRIVER | FEATURES_OK */
    EXPECT_EQ(rd(p, reg(VIRTIO_MMIO_STATUS)), 0xbu);
    const uint64_t rings[2] = {kVring0, kVring1};
    for (uint32_t q = 0; q < 2; q++) {
        wr(p, reg(VIRTIO_MMIO_QUEUE_SEL), q);
        EXPECT_EQ(rd(p, reg(VIRTIO_MMIO_QUEUE_READY)), 0u);
        uint32_t num = rd(p, reg(VIRTIO_MMIO_QUEUE_NUM_MAX));
        EXPECT_EQ(num, 256u);
        wr(p, reg(VIRTIO_MMIO_QUEUE_NUM), num);
        wr(p, reg(VIRTIO_MMIO_QUEUE_DESC_LOW), (uint32_t)rings[q]);
        wr(p, reg(VIRTIO_MMIO_QUEUE_DESC_HIGH), 0);
        wr(p, reg(VIRTIO_MMIO_QUEUE_AVAIL_LOW), (uint32_t)vring_avail_addr(rings[q], num));
        wr(p, reg(VIRTIO_MMIO_QUEUE_AVAIL_HIGH), 0);
        wr(p, reg(VIRTIO_MMIO_QUEUE_USED_LOW), (uint32_t)vring_used_addr(rings[q], num, 4096));
        wr(p, reg(VIRTIO_MMIO_QUEUE_USED_HIGH), 0);
        wr(p, reg(VIRTIO_MMIO_QUEUE_READY), 1);
    }
    wr(p, reg(VIRTIO_MMIO_STATUS), 0xf); /* + DRIVER_OK */
    /* One buffer posted on the TX ring, then the kick. */
    uint16_t one = 1;
    rpvp_write(p, vring_avail_addr(kVring1, 256) + 2, &one, 2, nullptr);
    r->notify_ps = rpvp_port_now(p);
    wr(p, reg(VIRTIO_MMIO_QUEUE_NOTIFY), 1);
    EXPECT_TRUE(rpvp_port_wait_irq(p, 1000000000ull));
    r->linux_irq_ps = rpvp_port_now(p);
    /* vm_interrupt */
    r->linux_isr = rd(p, reg(VIRTIO_MMIO_INTERRUPT_STATUS));
    wr(p, reg(VIRTIO_MMIO_INTERRUPT_ACK), r->linux_isr);
    rpvp_port_sync(p);
    r->linux_done = true;
}

/* M3: mailbox user 2 takes the kick of vring 1 from FIFO 2 (channel vq1, host -> M3) and
 * kicks vring 0 on FIFO 1 (channel vq0, M3 -> host). */
void m3_thread(rpvp_port *p, void *ctx)
{
    auto *r = static_cast<RunResult *>(ctx);
    const unsigned rx = RPVP_MBOX_CH_TX_FIFO(RPVP_MBOX_CH_VQ1);
    wr(p, kMboxM3 + RPVP_MBOX_IRQENABLE_SET(kM3User), RPVP_MBOX_IRQ_NEWMSG(rx));
    EXPECT_TRUE(rpvp_port_wait_irq(p, 1000000000ull));
    r->m3_rx_ps = rpvp_port_now(p);
    EXPECT_EQ(rd(p, kMboxM3 + RPVP_MBOX_MSGSTATUS(rx)), 1u);
    r->m3_msg = rd(p, kMboxM3 + RPVP_MBOX_MESSAGE(rx));
    wr(p, kMboxM3 + RPVP_MBOX_IRQSTATUS_CLR(kM3User), RPVP_MBOX_IRQ_NEWMSG(rx));
    /* The firmware finds its vring where remoteproc put it (the FIFO names the ring). */
    fw_rsc_vdev_vring vr;
    rpvp_read(p, kTable + 0x24 + sizeof(fw_rsc_vdev) + RPVP_MBOX_CH_VQ1 * sizeof vr, &vr,
              sizeof vr, nullptr);
    r->m3_saw_da = vr.da;
    rpvp_port_advance(p, 2000000); /* 2 us of firmware work */
    /* kick the host's rx queue (vring 0) */
    wr(p, kMboxM3 + RPVP_MBOX_MESSAGE(RPVP_MBOX_CH_RX_FIFO(RPVP_MBOX_CH_VQ0)), 0);
    r->m3_kick_ps = rpvp_port_now(p);
    rpvp_port_sync(p);
    r->m3_done = true;
}

RunResult run_once()
{
    Platform pf;
    RunResult r;
    r.pf = &pf;
    pf.linux_cpu.spawn(linux_thread, &r);
    pf.m3.spawn(m3_thread, &r);
    sc_start(sc_time(1, SC_MS));
    EXPECT_TRUE(r.linux_done);
    EXPECT_TRUE(r.m3_done);
    EXPECT_EQ(pf.vring(1).da, kVring1);
    EXPECT_EQ(pf.vring(1).num, 256u);
    rpvp_vrpmsg_stats s;
    rpvp_vrpmsg_get_stats(pf.vdev.core(), &s);
    EXPECT_EQ(s.notifies, 1u);
    EXPECT_EQ(s.mbox_sent, 1u);
    EXPECT_EQ(s.mbox_received, 1u);
    EXPECT_EQ(s.interrupts, 1u);
    EXPECT_EQ(s.guest_errors, 0u);
    EXPECT_EQ(s.bus_errors, 0u);
    EXPECT_EQ(s.queue[1].last_avail_idx, 1);
    EXPECT_EQ(s.queue[1].max_in_flight, 1);
    EXPECT_FALSE(pf.vdev_irq.read()) << "acked";
    r.pf = nullptr;
    return r;
}

} // namespace

TEST(VrpmsgTlm, NotifyReachesM3AndRemoteKickInterruptsLinux)
{
    RunResult r = run_once();
    std::printf("notify %llu ps, M3 rx %llu ps, Linux irq %llu ps\n",
                (unsigned long long)r.notify_ps, (unsigned long long)r.m3_rx_ps,
                (unsigned long long)r.linux_irq_ps);
    EXPECT_EQ(r.m3_msg, 1u) << "notifyid of queue 1";
    EXPECT_EQ(r.m3_saw_da, kVring1);
    EXPECT_EQ(r.linux_isr, VIRTIO_MMIO_INT_VRING);
    /* Kick path: QueueNotify (20 ns register access) + FIFOSTATUS read + MESSAGE write
     * (10 ns each in the mailbox): the M3's interrupt comes 40 ns after the notify. */
    EXPECT_EQ(r.m3_rx_ps, r.notify_ps + 40000);
    /* The answer comes after the M3's 2 us of work. */
    EXPECT_GE(r.m3_kick_ps, r.m3_rx_ps + 2000000);
    /* Remote kick path: vq0's MSGSTATUS, MESSAGE, MSGSTATUS, IRQSTATUS_CLR and vq1's
     * MSGSTATUS (10 ns each) before the interrupt reaches Linux. */
    EXPECT_EQ(r.linux_irq_ps, r.m3_kick_ps + 50000);
}
