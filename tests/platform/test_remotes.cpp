/* Several remotes (docs/platform.md, "Several remotes"): the description of 2..4 remotes
 * (each remote's host blocks in its own slot of the bridge window, its own lines, its own
 * carveout; the device tree names one virtio-mmio device per remote), and the netlist:
 * each remote's M3 reaches its OWN mailbox instance at the same device address and its
 * OWN carveout at device address 0. */
#include <gtest/gtest.h>
#include <systemc>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "omap4_amp.h"
#include "rpvp/omap_mailbox_regs.h"

using namespace sc_core;
using namespace rpvp;

namespace {

unsigned count(const std::string &s, const std::string &what)
{
    unsigned n = 0;
    for (size_t p = s.find(what); p != std::string::npos; p = s.find(what, p + 1))
        n++;
    return n;
}

TEST(Remotes, DescriptionGivesEachRemoteItsSlotLinesAndCarveout)
{
    rpvp_platform_desc d;
    rpvp_platform_desc_init(&d, RPVP_ROUTE_VIRTIO_MMIO, 0);
    const rpvp_platform_desc one = d;
    ASSERT_EQ(rpvp_platform_desc_set_remotes(&d, 2), 0);
    char err[256] = "";
    EXPECT_EQ(rpvp_platform_desc_check(&d, err, sizeof err), 0) << err;
    /* Remote 0 is laid out exactly as with one remote. */
    EXPECT_EQ(d.remote[0].win[0].pa, one.remote[0].win[0].pa);
    EXPECT_EQ(d.vdev.base, one.vdev.base);
    EXPECT_EQ(d.first_spi, 10u) << "6 lines still fit below virt's own SPIs (16..)";
    EXPECT_EQ(d.num_irqs, 2 * RPVP_REMOTE_LINES);
    EXPECT_EQ(d.window_size, 2 * RPVP_REMOTE_SLOT);
    const rpvp_host_block v1 = rpvp_remote_block(&d, &d.vdev, 1);
    EXPECT_EQ(v1.base, d.vdev.base + RPVP_REMOTE_SLOT);
    EXPECT_EQ(v1.irq, d.vdev.irq + static_cast<int>(RPVP_REMOTE_LINES));
    EXPECT_EQ(d.remote[1].wdg_irq, d.remote[0].wdg_irq + static_cast<int>(RPVP_REMOTE_LINES));
    EXPECT_STRNE(d.remote[0].name, d.remote[1].name);
    /* Remote 1's carveout, vrings and buffers lie below remote 0's: no overlap. */
    EXPECT_LE(d.remote[1].win[0].pa + d.remote[1].win[0].size,
              d.remote[0].reserved[1].pa);
    /* The same mailbox address and NVIC line in each remote's own view. */
    EXPECT_EQ(d.remote[1].mbox_da, d.remote[0].mbox_da);
    EXPECT_EQ(d.remote[1].mbox_user, d.remote[0].mbox_user);

    char *dt = rpvp_platform_dt_fragment(&d);
    ASSERT_NE(dt, nullptr);
    const std::string s = dt;
    std::free(dt);
    EXPECT_EQ(count(s, "compatible = \"virtio,mmio\""), 2u) << s;
    EXPECT_NE(s.find("virtio_mmio@b004000"), std::string::npos) << s;
    EXPECT_NE(s.find("interrupts = <0x0 13 0x1>"), std::string::npos) << s;

    /* Three remotes need 9 lines: above virt's platform bus instead. */
    ASSERT_EQ(rpvp_platform_desc_set_remotes(&d, 3), 0);
    EXPECT_EQ(rpvp_platform_desc_check(&d, err, sizeof err), 0) << err;
    EXPECT_EQ(d.first_spi, 176u);
    ASSERT_EQ(rpvp_platform_desc_set_remotes(&d, 4), 0);
    EXPECT_EQ(rpvp_platform_desc_check(&d, err, sizeof err), 0) << err;
    EXPECT_EQ(rpvp_platform_desc_set_remotes(&d, 0), -1);
    EXPECT_EQ(rpvp_platform_desc_set_remotes(&d, RPVP_MAX_REMOTES + 1), -1);
    /* Lines that would reach virt's own SPIs are refused. */
    d.first_spi = 10;
    EXPECT_EQ(rpvp_platform_desc_check(&d, err, sizeof err), -1);
    EXPECT_NE(std::string(err).find("SPI"), std::string::npos) << err;
}

/* The remoteproc route: per remote its own mailbox node (on its own interrupt, its
 * own sub-mailboxes), syscon and reset controller, and its stm32_rproc node pointing at
 * them - every address and line the remote's slot of the one description. */
TEST(Remotes, RemoteprocDeviceTreeGivesEachRemoteItsOwnBlocks)
{
    rpvp_platform_desc d;
    rpvp_platform_desc_init(&d, RPVP_ROUTE_REMOTEPROC, 0);
    ASSERT_EQ(rpvp_platform_desc_set_remotes(&d, 2), 0);
    char err[256] = "";
    ASSERT_EQ(rpvp_platform_desc_check(&d, err, sizeof err), 0) << err;
    char *dt = rpvp_platform_dt_fragment(&d);
    ASSERT_NE(dt, nullptr);
    const std::string s = dt;
    std::free(dt);
    EXPECT_EQ(count(s, "compatible = \"ti,omap4-mailbox\""), 2u) << s;
    EXPECT_EQ(count(s, "compatible = \"st,stm32mp1-m4\""), 2u) << s;
    EXPECT_EQ(count(s, "compatible = \"syscon\""), 2u) << s;
    EXPECT_EQ(count(s, "compatible = \"snps,dw-high-reset\""), 2u) << s;
    EXPECT_EQ(count(s, "virtio,mmio"), 0u) << s;
    for (unsigned r = 0; r < 2; r++) {
        const rpvp_host_block mb = rpvp_remote_block(&d, &d.mbox, r),
                              sc = rpvp_remote_block(&d, &d.syscon, r),
                              rs = rpvp_remote_block(&d, &d.reset, r);
        const std::string sfx = r ? "_" + std::to_string(r) : std::string();
        char want[128];
        std::snprintf(want, sizeof want, "rpvp_mailbox%s: mailbox@%llx", sfx.c_str(),
                      static_cast<unsigned long long>(mb.base));
        EXPECT_NE(s.find(want), std::string::npos) << want << "\n" << s;
        std::snprintf(want, sizeof want, "rpvp_syscon%s: syscon@%llx", sfx.c_str(),
                      static_cast<unsigned long long>(sc.base));
        EXPECT_NE(s.find(want), std::string::npos) << want;
        std::snprintf(want, sizeof want, "rpvp_reset%s: reset-controller@%llx", sfx.c_str(),
                      static_cast<unsigned long long>(rs.base));
        EXPECT_NE(s.find(want), std::string::npos) << want;
        /* Its mailbox's user-0 interrupt, its watchdog line. */
        std::snprintf(want, sizeof want, "interrupts = <0x0 %u 0x4>", d.first_spi + mb.irq);
        EXPECT_NE(s.find(want), std::string::npos) << want;
        std::snprintf(want, sizeof want, "interrupts = <0x0 %u 0x1>",
                      d.first_spi + static_cast<unsigned>(d.remote[r].wdg_irq));
        EXPECT_NE(s.find(want), std::string::npos) << want;
        /* The remote's node uses its own blocks and regions. */
        const std::string name = d.remote[r].name;
        EXPECT_NE(s.find("<&rpvp_mailbox" + sfx + " &rpvp_mbox_" + name + "_vq0>"),
                  std::string::npos) << s;
        EXPECT_NE(s.find("resets = <&rpvp_reset" + sfx + " 0>"), std::string::npos) << s;
        EXPECT_NE(s.find("st,syscfg-holdboot = <&rpvp_syscon" + sfx + " "), std::string::npos);
        EXPECT_NE(s.find("<&rpvp_" + name + "_M3_CODE_DATA>"), std::string::npos) << s;
        std::snprintf(want, sizeof want, "dma-ranges = <0x0 0x%llx 0x%llx>",
                      static_cast<unsigned long long>(d.remote[r].win[0].pa),
                      static_cast<unsigned long long>(d.remote[r].win[0].size));
        EXPECT_NE(s.find(want), std::string::npos) << want;
    }
    /* Remote 0's blocks are where they are with one remote (its labels unchanged). */
    rpvp_platform_desc one;
    rpvp_platform_desc_init(&one, RPVP_ROUTE_REMOTEPROC, 0);
    EXPECT_EQ(d.mbox.base, one.mbox.base);
    EXPECT_EQ(count(s, "rpvp_mailbox: "), 1u);
}

struct TwoRemotes {
    Omap4AmpConfig cfg;
    std::unique_ptr<Omap4Amp> soc;
    BridgeInitiator m3_0{"m3_0", 1}, m3_1{"m3_1", 1};
    uint32_t carve_word = 0x5EC0DE01;
    TwoRemotes()
    {
        cfg.ddr_file = "rpvp-test-remotes-" + std::to_string(getpid());
        rpvp_platform_desc_set_remotes(&cfg.desc, 2);
        soc = std::make_unique<Omap4Amp>("soc", cfg);
        m3_0.isock.bind(soc->m3_socket(0));
        m3_0.irq[0](soc->m3_mbox_irq(0));
        m3_1.isock.bind(soc->m3_socket(1));
        m3_1.irq[0](soc->m3_mbox_irq(1));
    }
};

/* Remote 1's M3 posts a message on its mailbox and writes its carveout at address 0. */
void m3_1_thread(rpvp_port *p, void *ctx)
{
    auto *t = static_cast<TwoRemotes *>(ctx);
    const uint32_t mbox = t->cfg.desc.remote[1].mbox_da;
    uint32_t v = 0xA11CE;
    EXPECT_EQ(rpvp_write(p, mbox + RPVP_MBOX_MESSAGE(1), &v, 4, nullptr), RPVP_OK);
    EXPECT_EQ(rpvp_write(p, 0, &t->carve_word, 4, nullptr), RPVP_OK);
}

TEST(Remotes, EachM3ReachesItsOwnMailboxAndCarveout)
{
    TwoRemotes t;
    t.m3_1.spawn(m3_1_thread, &t);
    sc_start(sc_time(10, SC_US));
    rpvp_mbox_fifo_stats s0, s1;
    ASSERT_EQ(rpvp_mbox_get_fifo_stats(t.soc->mailbox_core(0), 1, &s0), 0);
    ASSERT_EQ(rpvp_mbox_get_fifo_stats(t.soc->mailbox_core(1), 1, &s1), 0);
    EXPECT_EQ(s1.messages, 1u) << "remote 1's message in its own mailbox instance";
    EXPECT_EQ(s0.messages, 0u) << "remote 0's mailbox untouched";
    /* Device address 0 of remote 1 is remote 1's carveout, not remote 0's. */
    const rpvp_platform_desc &d = t.soc->config().desc;
    uint32_t in1 = 0, in0 = 0;
    std::memcpy(&in1, t.soc->ddr.data() + (d.remote[1].win[0].pa - d.ddr_pa), 4);
    std::memcpy(&in0, t.soc->ddr.data() + (d.remote[0].win[0].pa - d.ddr_pa), 4);
    EXPECT_EQ(in1, t.carve_word);
    EXPECT_NE(in0, t.carve_word);
    /* The report names both remotes' mailboxes and initiators. */
    const std::string rep = t.soc->report();
    EXPECT_NE(rep.find("mailbox FIFOs of remote 1 (m3_1)"), std::string::npos) << rep;
    EXPECT_NE(rep.find("  m3_1: reads"), std::string::npos) << rep;
}

} // namespace
