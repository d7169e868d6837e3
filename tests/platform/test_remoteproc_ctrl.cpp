// The remoteproc route's blocks and description: the syscon and reset cores register by
// register (include/rpvp/rproc_ctrl.h), the generated device tree (compiled by dtc onto
// a minimal base, every property stm32_rproc and omap-mailbox read), and the checks of
// the description.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

extern "C" {
#include "platform_desc.h"
#include "rpvp/rproc_ctrl.h"
}

namespace {

struct Edges {
    std::vector<std::pair<unsigned, int>> seen;
    static void fn(void *ctx, unsigned line, int level)
    {
        static_cast<Edges *>(ctx)->seen.push_back({line, level});
    }
};

uint32_t rd(const rpvp_device_ops *ops, void *dev, uint64_t off, rpvp_status *st = nullptr)
{
    uint32_t v = 0xdeadbeef;
    rpvp_status s = ops->read(dev, off, &v, 4, nullptr);
    if (st)
        *st = s;
    return v;
}

rpvp_status wr(const rpvp_device_ops *ops, void *dev, uint64_t off, uint32_t v)
{
    return ops->write(dev, off, &v, 4, nullptr);
}

TEST(RprocSyscon, RegistersAsStm32RprocUsesThem)
{
    rpvp_syscon *s = rpvp_syscon_new(RPVP_SYSCON_STATE_OFF, 0);
    const rpvp_device_ops *ops = rpvp_syscon_ops();
    Edges e;
    rpvp_irq_sink sink{Edges::fn, &e};
    ops->set_irq_sink(s, &sink);
    ASSERT_EQ(1u, ops->num_irq_out);

    EXPECT_EQ(0u, rd(ops, s, RPVP_SYSCON_HOLDBOOT));
    EXPECT_EQ(0u, rd(ops, s, RPVP_SYSCON_TZEN)) << "trust zone off: no SMC for hold-boot";
    // stm32_rproc_start: PDDS 0, HOLDBOOT 1 (release), HOLDBOOT 0.
    EXPECT_EQ(RPVP_OK, wr(ops, s, RPVP_SYSCON_PDDS, 0));
    EXPECT_EQ(RPVP_OK, wr(ops, s, RPVP_SYSCON_HOLDBOOT, 1));
    EXPECT_EQ(1u, rd(ops, s, RPVP_SYSCON_HOLDBOOT));
    EXPECT_EQ(RPVP_OK, wr(ops, s, RPVP_SYSCON_HOLDBOOT, 0));
    ASSERT_EQ(2u, e.seen.size());
    EXPECT_EQ(std::make_pair(0u, 1), e.seen[0]) << "boot line follows HOLDBOOT";
    EXPECT_EQ(std::make_pair(0u, 0), e.seen[1]);
    EXPECT_EQ(RPVP_OK, wr(ops, s, RPVP_SYSCON_HOLDBOOT, 0));
    EXPECT_EQ(2u, e.seen.size()) << "no edge without a change";
    EXPECT_EQ(RPVP_OK, wr(ops, s, RPVP_SYSCON_HOLDBOOT, 0xfffffffe));
    EXPECT_EQ(0u, rd(ops, s, RPVP_SYSCON_HOLDBOOT)) << "only bit 0 exists";
    // stop: PDDS 1, STATE 0.
    EXPECT_EQ(RPVP_OK, wr(ops, s, RPVP_SYSCON_PDDS, 3));
    EXPECT_EQ(1u, rd(ops, s, RPVP_SYSCON_PDDS));
    EXPECT_EQ(RPVP_OK, wr(ops, s, RPVP_SYSCON_STATE, 5));
    EXPECT_EQ(5u, rd(ops, s, RPVP_SYSCON_STATE));
    EXPECT_EQ(RPVP_OK, wr(ops, s, RPVP_SYSCON_RSC_TBL, 0x1234));
    EXPECT_EQ(0x1234u, rd(ops, s, RPVP_SYSCON_RSC_TBL));

    // Guest errors: error response, no crash, counted.
    rpvp_status st;
    rd(ops, s, RPVP_SYSCON_SIZE, &st);
    EXPECT_EQ(RPVP_GENERIC_ERROR, st);
    EXPECT_EQ(RPVP_GENERIC_ERROR, wr(ops, s, RPVP_SYSCON_TZEN, 1));
    EXPECT_EQ(0u, rd(ops, s, RPVP_SYSCON_TZEN));
    uint8_t b = 1;
    EXPECT_EQ(RPVP_GENERIC_ERROR, ops->write(s, RPVP_SYSCON_HOLDBOOT, &b, 1, nullptr));
    rpvp_rproc_ctrl_stats stats;
    rpvp_syscon_get_stats(s, &stats);
    EXPECT_EQ(3u, stats.guest_errors);
    EXPECT_EQ(1u, stats.events) << "one release";

    // A remote started before Linux: STATE running and the table's address, also after
    // a reset of the block.
    rpvp_syscon_preset(s, RPVP_SYSCON_STATE_RUNNING, 0x400);
    ops->reset(s);
    EXPECT_EQ(RPVP_SYSCON_STATE_RUNNING, rd(ops, s, RPVP_SYSCON_STATE));
    EXPECT_EQ(0x400u, rd(ops, s, RPVP_SYSCON_RSC_TBL));
    uint32_t v = 0;
    EXPECT_EQ(4u, ops->debug_read(s, RPVP_SYSCON_RSC_TBL, &v, 4));
    EXPECT_EQ(0x400u, v);
    rpvp_syscon_free(s);
}

TEST(RprocReset, WriteOneIsASelfClearingPulse)
{
    rpvp_rst *r = rpvp_rst_new();
    const rpvp_device_ops *ops = rpvp_rst_ops();
    Edges e;
    rpvp_irq_sink sink{Edges::fn, &e};
    ops->set_irq_sink(r, &sink);
    // reset-simple (snps,dw-high-reset): assert = read, set bit, write.
    EXPECT_EQ(0u, rd(ops, r, RPVP_RESET_REG));
    EXPECT_EQ(RPVP_OK, wr(ops, r, RPVP_RESET_REG, RPVP_RESET_M3));
    ASSERT_EQ(2u, e.seen.size());
    EXPECT_EQ(std::make_pair(0u, 1), e.seen[0]);
    EXPECT_EQ(std::make_pair(0u, 0), e.seen[1]);
    EXPECT_EQ(0u, rd(ops, r, RPVP_RESET_REG)) << "self-clearing: status deasserted";
    EXPECT_EQ(RPVP_OK, wr(ops, r, RPVP_RESET_REG, 0xfffffffe));
    EXPECT_EQ(2u, e.seen.size()) << "bits without a reset line do nothing";
    EXPECT_EQ(RPVP_OK, wr(ops, r, RPVP_RESET_REG, 0));
    EXPECT_EQ(RPVP_GENERIC_ERROR, wr(ops, r, 4, 1));
    rpvp_rproc_ctrl_stats st;
    rpvp_rst_get_stats(r, &st);
    EXPECT_EQ(1u, st.events);
    EXPECT_EQ(1u, st.guest_errors);
    rpvp_rst_free(r);
}

std::string compile_dt(const rpvp_platform_desc &d)
{
    char dir[] = "/tmp/rpvp-dt-XXXXXX";
    EXPECT_NE(nullptr, mkdtemp(dir));
    const std::string base = std::string(dir) + "/t.dts", out = std::string(dir) + "/t.out";
    char *frag = rpvp_platform_dt_fragment(&d);
    {
        std::ofstream f(base);
        // The parts of QEMU virt's tree the fragment refers to.
        f << "/dts-v1/;\n/ {\n\t#address-cells = <0x2>;\n\t#size-cells = <0x2>;\n"
             "\tinterrupt-parent = <0x8002>;\n\tintc@8000000 {\n\t\tphandle = <0x8002>;\n"
             "\t\tinterrupt-controller;\n\t\t#interrupt-cells = <0x3>;\n\t};\n};\n"
          << frag;
    }
    std::free(frag);
    // Round trip through dtc: compiles, and gives the merged tree in canonical form.
    const std::string cmd = "dtc -q -I dts -O dtb " + base + " | dtc -q -I dtb -O dts -o " +
                            out + " -";
    EXPECT_EQ(0, std::system(cmd.c_str())) << cmd;
    std::ifstream f(out);
    std::stringstream s;
    s << f.rdbuf();
    std::system((std::string("rm -rf ") + dir).c_str());
    return s.str();
}

TEST(PlatformDesc, VirtioRouteTreeHasTheDeviceAndTheCarveout)
{
    rpvp_platform_desc d;
    rpvp_platform_desc_init(&d, RPVP_ROUTE_VIRTIO_MMIO, 0);
    char err[256];
    ASSERT_EQ(0, rpvp_platform_desc_check(&d, err, sizeof(err))) << err;
    const std::string t = compile_dt(d);
    EXPECT_NE(std::string::npos, t.find("virtio_mmio@b000000"));
    EXPECT_NE(std::string::npos, t.find("reg = <0x00 0xb000000 0x00 0x200>"));
    EXPECT_NE(std::string::npos, t.find("interrupts = <0x00 0x0a 0x01>"));
    EXPECT_NE(std::string::npos, t.find("M3_CODE_DATA@4f000000"));
    EXPECT_NE(std::string::npos, t.find("reg = <0x00 0x4f000000 0x00 0x1000000>"));
    EXPECT_EQ(std::string::npos, t.find("ti,omap4-mailbox"));
    EXPECT_EQ(std::string::npos, t.find("st,stm32mp1-m4"));
}

TEST(PlatformDesc, RemoteprocRouteTreeNamesEverythingStm32RprocReads)
{
    rpvp_platform_desc d;
    rpvp_platform_desc_init(&d, RPVP_ROUTE_REMOTEPROC, 0);
    char err[256];
    ASSERT_EQ(0, rpvp_platform_desc_check(&d, err, sizeof(err))) << err;
    EXPECT_EQ(0u, d.vdev.size) << "no virtio-mmio device on this route";
    const std::string t = compile_dt(d);
    for (const char *want : {
             "compatible = \"ti,omap4-mailbox\"", "reg = <0x00 0xb001000 0x00 0x200>",
             "interrupts = <0x00 0x0b 0x04>", "ti,mbox-num-users = <0x03>",
             "ti,mbox-num-fifos = <0x08>", "#mbox-cells = <0x01>",
             "m3-vq0 {", "ti,mbox-tx = <0x00 0x00 0x00>", "ti,mbox-rx = <0x01 0x00 0x00>",
             "m3-vq1 {", "ti,mbox-tx = <0x02 0x00 0x00>", "ti,mbox-rx = <0x03 0x00 0x00>",
             "m3-shutdown {", "ti,mbox-tx = <0x04 0x00 0x00>",
             "m3-detach {", "ti,mbox-rx = <0x07 0x00 0x00>",
             "compatible = \"syscon\"", "compatible = \"snps,dw-high-reset\"",
             "#reset-cells = <0x01>", "compatible = \"st,stm32mp1-m4\"",
             "mbox-names = \"vq0\\0vq1\\0shutdown\\0detach\"",
             "dma-ranges = <0x00 0x4f000000 0x1000000 0x40000000 0x40000000 0x10000000>",
             "M3_CODE_DATA@4f000000", "vdev0buffer@4ef80000", "compatible = \"shared-dma-pool\"",
             "vdev0vring0@4ef78000", "vdev0vring1@4ef7c000",
             "interrupts = <0x00 0x0c 0x01>", // the watchdog: SPI 12, rising edge
         })
        EXPECT_NE(std::string::npos, t.find(want)) << want << "\n" << t;
    // The remoteproc node's syscon cells: <phandle offset mask>.
    EXPECT_NE(std::string::npos, t.find("st,syscfg-holdboot = <0x"));
    EXPECT_NE(std::string::npos, t.find(" 0x00 0x01>;")) << "holdboot at 0, mask 1";
    EXPECT_NE(std::string::npos, t.find(" 0x10 0xffffffff>;")) << "rsc-tbl at 0x10";
}

TEST(PlatformDesc, LayoutFollowsSizesAndCheckRefusesNonsense)
{
    rpvp_platform_desc d;
    rpvp_platform_desc_init(&d, RPVP_ROUTE_REMOTEPROC, 1);
    EXPECT_EQ(1, d.remote_running);
    d.ddr_size = 64ull << 20;
    d.remote[0].win[0].size = 1ull << 20;
    rpvp_platform_desc_layout(&d);
    EXPECT_EQ(0x43f00000u, d.remote[0].win[0].pa);
    EXPECT_EQ(d.remote[0].win[0].pa, d.remote[0].reserved[0].pa);
    char err[256];
    EXPECT_EQ(0, rpvp_platform_desc_check(&d, err, sizeof(err))) << err;
    d.remote[0].win[0].size = 1ull << 30;
    rpvp_platform_desc_layout(&d);
    EXPECT_EQ(-1, rpvp_platform_desc_check(&d, err, sizeof(err)));
    EXPECT_NE(std::string::npos, std::string(err).find("carveout"));
    rpvp_platform_desc_init(&d, RPVP_ROUTE_REMOTEPROC, 0);
    d.syscon.base = d.mbox.base;
    EXPECT_EQ(-1, rpvp_platform_desc_check(&d, err, sizeof(err)));
    EXPECT_NE(std::string::npos, std::string(err).find("overlaps"));
    rpvp_platform_desc_init(&d, RPVP_ROUTE_VIRTIO_MMIO, 1);
    EXPECT_EQ(0, d.remote_running) << "a running remote needs the remoteproc route";
    rpvp_linux_route r;
    EXPECT_EQ(-1, rpvp_linux_route_parse("remote-proc", &r));
    EXPECT_EQ(0, rpvp_linux_route_parse("remoteproc", &r));
    EXPECT_EQ(RPVP_ROUTE_REMOTEPROC, r);
}

} // namespace
