/* virtio-rpmsg core: identity registers, feature negotiation, queue set-up into the
 * resource table, config space, reset. Versions 1 and 2. */
#include "vrpmsg_fixture.h"

using namespace vrpmsg_test;

class VrpmsgRegs : public VrpmsgTest, public ::testing::WithParamInterface<uint32_t> {};

INSTANTIATE_TEST_SUITE_P(Versions, VrpmsgRegs, ::testing::Values(1u, 2u),
                         [](const ::testing::TestParamInfo<uint32_t> &i) {
                             return "v" + std::to_string(i.param);
                         });

TEST_P(VrpmsgRegs, IdentityAsVirtioMmioProbeReadsIt)
{
    create(GetParam());
    /* virtio_mmio_probe: magic "virt", version 1 or 2, device id 7 (rpmsg). */
    EXPECT_EQ(rd(VIRTIO_MMIO_MAGIC_VALUE), 0x74726976u);
    EXPECT_EQ(rd(VIRTIO_MMIO_VERSION), GetParam());
    EXPECT_EQ(rd(VIRTIO_MMIO_DEVICE_ID), 7u);
    EXPECT_EQ(rd(VIRTIO_MMIO_VENDOR_ID), RPVP_VRPMSG_VENDOR_ID);
    /* Nothing pending, line low, status 0 after reset. */
    EXPECT_EQ(rd(VIRTIO_MMIO_STATUS), 0u);
    EXPECT_EQ(rd(VIRTIO_MMIO_INTERRUPT_STATUS), 0u);
    EXPECT_EQ(irq_level, 0);
    EXPECT_EQ(rpvp_vrpmsg_vdev_addr(dev), vdev_addr());
    EXPECT_TRUE(errors.empty());
}

TEST_P(VrpmsgRegs, DeviceFeaturesAreVdevDfeaturesPlusVersion1InV2)
{
    create(GetParam());
    wr(VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
    EXPECT_EQ(rd(VIRTIO_MMIO_DEVICE_FEATURES), 1u << VIRTIO_RPMSG_F_NS);
    wr(VIRTIO_MMIO_DEVICE_FEATURES_SEL, 1);
    /* VIRTIO_F_VERSION_1 is bit 32: word 1 bit 0, offered only by a version 2 device. */
    EXPECT_EQ(rd(VIRTIO_MMIO_DEVICE_FEATURES), GetParam() == 2 ? 1u : 0u);
    wr(VIRTIO_MMIO_DEVICE_FEATURES_SEL, 2);
    EXPECT_EQ(rd(VIRTIO_MMIO_DEVICE_FEATURES), 0u);
}

TEST_P(VrpmsgRegs, NegotiatedFeaturesAndStatusLandInTheVdev)
{
    create(GetParam());
    negotiate(features_for_version());
    /* remoteproc: gfeatures = low 32 bits of the accepted features. */
    EXPECT_EQ(table_vdev().gfeatures, 1u << VIRTIO_RPMSG_F_NS);
    uint32_t want = VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER |
                    (GetParam() == 2 ? VIRTIO_CONFIG_S_FEATURES_OK : 0);
    EXPECT_EQ(rd(VIRTIO_MMIO_STATUS), want);
    EXPECT_EQ(table_vdev().status, want);
    EXPECT_EQ(stats().bad_features, 0u);
}

TEST_P(VrpmsgRegs, QueueSetUpWritesDaNumAlignNotifyidLikeRemoteproc)
{
    create(GetParam());
    negotiate(features_for_version());
    wr(VIRTIO_MMIO_QUEUE_SEL, 0);
    EXPECT_EQ(rd(VIRTIO_MMIO_QUEUE_NUM_MAX), 256u);
    /* Queue 2 does not exist: QueueNumMax 0 is how Linux learns it. */
    wr(VIRTIO_MMIO_QUEUE_SEL, 2);
    EXPECT_EQ(rd(VIRTIO_MMIO_QUEUE_NUM_MAX), 0u);
    /* Linux checks "not already set up" first. */
    wr(VIRTIO_MMIO_QUEUE_SEL, 1);
    EXPECT_EQ(rd(GetParam() == 1 ? VIRTIO_MMIO_QUEUE_PFN : VIRTIO_MMIO_QUEUE_READY), 0u);

    setup_queue(0, kDdrBase + 0x10000, 256);
    setup_queue(1, kDdrBase + 0x20000, 128);
    for (unsigned q = 0; q < 2; q++) {
        fw_rsc_vdev_vring r = table_vring(q);
        EXPECT_EQ(r.da, q ? 0x40020000u : 0x40010000u) << "queue " << q;
        EXPECT_EQ(r.num, q ? 128u : 256u);
        EXPECT_EQ(r.align, 4096u);
        EXPECT_EQ(r.notifyid, q);   /* notifyid = queue index (remoteproc: idr 0, 1) */
        EXPECT_EQ(r.pa, 0x1234u);   /* untouched */
        wr(VIRTIO_MMIO_QUEUE_SEL, q);
        if (GetParam() == 1) {
            EXPECT_EQ(rd(VIRTIO_MMIO_QUEUE_PFN), (q ? 0x40020000u : 0x40010000u) / 4096);
        } else {
            EXPECT_EQ(rd(VIRTIO_MMIO_QUEUE_READY), 1u);
        }
    }
    rpvp_vrpmsg_stats s = stats();
    EXPECT_EQ(s.queue_setups, 2u);
    EXPECT_EQ(s.queue[1].num, 128u);
    EXPECT_EQ(s.queue[1].desc_addr, 0x40020000u);
    EXPECT_TRUE(errors.empty());
}

TEST_P(VrpmsgRegs, QueueTeardownClearsDaAsRprocFreeVring)
{
    create(GetParam());
    bring_up();
    wr(VIRTIO_MMIO_QUEUE_SEL, 1);
    /* vm_del_vqs: v1 writes QueuePFN 0, v2 QueueReady 0 and reads it back as 0. */
    if (GetParam() == 1) {
        wr(VIRTIO_MMIO_QUEUE_PFN, 0);
        EXPECT_EQ(rd(VIRTIO_MMIO_QUEUE_PFN), 0u);
    } else {
        wr(VIRTIO_MMIO_QUEUE_READY, 0);
        EXPECT_EQ(rd(VIRTIO_MMIO_QUEUE_READY), 0u);
    }
    EXPECT_EQ(table_vring(1).da, 0u);
    EXPECT_EQ(table_vring(0).da, 0x40010000u);
}

TEST_P(VrpmsgRegs, ConfigSpaceMirrorsTheVdevConfigArea)
{
    create(GetParam());
    uint8_t b = 0;
    uint64_t delay = 0;
    const rpvp_device_ops *ops = rpvp_vrpmsg_ops();
    /* v1 Linux reads config byte by byte, v2 with 8/16/32-bit accesses. */
    ASSERT_EQ(ops->read(dev, VIRTIO_MMIO_CONFIG + 2, &b, 1, &delay), RPVP_OK);
    EXPECT_EQ(b, 3);
    uint16_t h = 0;
    ops->read(dev, VIRTIO_MMIO_CONFIG + 4, &h, 2, &delay);
    EXPECT_EQ(h, 0x0605);
    EXPECT_EQ(rd(VIRTIO_MMIO_CONFIG + 4), 0x08070605u);
    /* A write goes into the table, as remoteproc's rproc_virtio_set. */
    wr(VIRTIO_MMIO_CONFIG, 0xa1b2c3d4);
    uint32_t in_table;
    memcpy(&in_table,
           ddr_ptr(vdev_addr() + sizeof(fw_rsc_vdev) + 2 * sizeof(fw_rsc_vdev_vring), 4), 4);
    EXPECT_EQ(in_table, 0xa1b2c3d4u);
    /* Beyond config_len: reads 0, logged, counted. */
    EXPECT_EQ(rd(VIRTIO_MMIO_CONFIG + kConfigLen), 0u);
    EXPECT_EQ(stats().bad_config_access, 1u);
    EXPECT_TRUE(logged(errors, "config space is 8 bytes"));
    if (GetParam() == 2) {
        EXPECT_EQ(rd(VIRTIO_MMIO_CONFIG_GENERATION), 0u);
    }
}

TEST_P(VrpmsgRegs, StatusZeroResetsDeviceAndTableLikeRemoteproc)
{
    create(GetParam());
    bring_up();
    remote_kick(1);
    ASSERT_EQ(irq_level, 1);
    wr(VIRTIO_MMIO_STATUS, 0);
    /* Registers back to reset values, interrupt withdrawn. */
    EXPECT_EQ(rd(VIRTIO_MMIO_STATUS), 0u);
    EXPECT_EQ(rd(VIRTIO_MMIO_INTERRUPT_STATUS), 0u);
    EXPECT_EQ(irq_level, 0);
    for (unsigned q = 0; q < 2; q++) {
        wr(VIRTIO_MMIO_QUEUE_SEL, q);
        EXPECT_EQ(rd(GetParam() == 1 ? VIRTIO_MMIO_QUEUE_PFN : VIRTIO_MMIO_QUEUE_READY), 0u);
        /* rproc_free_vring: da 0; notifyid kept (the firmware matches kicks by it). */
        EXPECT_EQ(table_vring(q).da, 0u);
        EXPECT_EQ(table_vring(q).notifyid, q);
    }
    /* rproc_virtio_reset: status 0; gfeatures stay until the next negotiation. */
    EXPECT_EQ(table_vdev().status, 0u);
    EXPECT_EQ(table_vdev().gfeatures, 1u << VIRTIO_RPMSG_F_NS);
    EXPECT_GE(stats().resets, 1u);
    /* And the device comes up again. */
    bring_up();
    EXPECT_EQ(table_vring(0).da, 0x40010000u);
    EXPECT_TRUE(rd(VIRTIO_MMIO_STATUS) & VIRTIO_CONFIG_S_DRIVER_OK);
}

TEST_P(VrpmsgRegs, HardwareResetClearsRegistersWithoutBusTraffic)
{
    create(GetParam());
    bring_up();
    remote_kick(0);
    size_t before = trace.size();
    rpvp_vrpmsg_ops()->reset(dev);
    EXPECT_EQ(trace.size(), before);
    EXPECT_EQ(rd(VIRTIO_MMIO_STATUS), 0u);
    EXPECT_EQ(irq_level, 0);
    EXPECT_EQ(rd(VIRTIO_MMIO_MAGIC_VALUE), 0x74726976u);
}

TEST_P(VrpmsgRegs, DebugReadHasNoSideEffects)
{
    create(GetParam());
    bring_up();
    remote_kick(0);
    rpvp_vrpmsg_stats before = stats();
    uint32_t v = 0;
    EXPECT_EQ(rpvp_vrpmsg_ops()->debug_read(dev, VIRTIO_MMIO_INTERRUPT_STATUS, &v, 4), 4u);
    EXPECT_EQ(v, 1u);
    EXPECT_EQ(rpvp_vrpmsg_ops()->debug_read(dev, VIRTIO_MMIO_QUEUE_NOTIFY, &v, 4), 0u);
    EXPECT_EQ(stats().reads, before.reads);
    EXPECT_EQ(stats().guest_errors, before.guest_errors);
}
