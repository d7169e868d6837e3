/* virtio-rpmsg core: every guest error has a documented outcome, a log line and a
 * counter, and never crashes. */
#include "vrpmsg_fixture.h"

using namespace vrpmsg_test;

class VrpmsgHardening : public VrpmsgTest, public ::testing::WithParamInterface<uint32_t> {};

INSTANTIATE_TEST_SUITE_P(Versions, VrpmsgHardening, ::testing::Values(1u, 2u),
                         [](const ::testing::TestParamInfo<uint32_t> &i) {
                             return "v" + std::to_string(i.param);
                         });

TEST_P(VrpmsgHardening, QueueOutsideDdrWindowIsRefusedWithNeedsReset)
{
    create(GetParam());
    negotiate(features_for_version());
    setup_queue(0, kDdrBase + kDdrSize - 0x1000); /* starts inside, ends outside */
    setup_queue(1, 0x20000000);                    /* entirely outside */
    EXPECT_EQ(stats().bad_queue_addr, 2u);
    EXPECT_TRUE(logged(errors, "outside DDR window"));
    for (unsigned q = 0; q < 2; q++) {
        wr(VIRTIO_MMIO_QUEUE_SEL, q);
        EXPECT_EQ(rd(GetParam() == 1 ? VIRTIO_MMIO_QUEUE_PFN : VIRTIO_MMIO_QUEUE_READY), 0u);
        EXPECT_EQ(table_vring(q).da, FW_RSC_ADDR_ANY) << "table untouched";
    }
    EXPECT_TRUE(rd(VIRTIO_MMIO_STATUS) & VIRTIO_CONFIG_S_NEEDS_RESET);
    EXPECT_TRUE(table_vdev().status & VIRTIO_CONFIG_S_NEEDS_RESET);
    EXPECT_EQ(rd(VIRTIO_MMIO_INTERRUPT_STATUS), VIRTIO_MMIO_INT_CONFIG);
    EXPECT_EQ(irq_level, 1);
    /* The driver's later status writes keep NEEDS_RESET; only a reset clears it. */
    wr(VIRTIO_MMIO_STATUS, rd(VIRTIO_MMIO_STATUS) | VIRTIO_CONFIG_S_DRIVER_OK);
    EXPECT_TRUE(rd(VIRTIO_MMIO_STATUS) & VIRTIO_CONFIG_S_NEEDS_RESET);
    wr(VIRTIO_MMIO_STATUS, 0);
    EXPECT_EQ(rd(VIRTIO_MMIO_STATUS), 0u);
}

TEST_P(VrpmsgHardening, BadQueueNumIsRefused)
{
    create(GetParam());
    negotiate(features_for_version());
    setup_queue(0, kDdrBase + 0x10000, 512); /* > QueueNumMax */
    setup_queue(1, kDdrBase + 0x20000, 96);  /* not a power of two */
    setup_queue(1, kDdrBase + 0x20000, 0);
    EXPECT_EQ(stats().bad_queue_num, 3u);
    EXPECT_TRUE(logged(errors, "QueueNum 96 is not a power of two"));
    EXPECT_EQ(table_vring(0).da, FW_RSC_ADDR_ANY);
    EXPECT_EQ(stats().queue_setups, 0u);
    EXPECT_TRUE(rd(VIRTIO_MMIO_STATUS) & VIRTIO_CONFIG_S_NEEDS_RESET);
}

TEST_F(VrpmsgTest, V2NonContiguousLayoutSetsNeedsReset)
{
    create(2);
    negotiate(features_for_version());
    const uint64_t desc = kDdrBase + 0x10000;
    /* Used ring aligned to 64 bytes instead of 4096: not expressible in the table. */
    setup_queue_v2(0, desc, vring_avail_addr(desc, 256), vring_used_addr(desc, 256, 64), 256);
    /* Avail ring somewhere else entirely. */
    setup_queue_v2(1, kDdrBase + 0x20000, kDdrBase + 0x30000,
                   vring_used_addr(kDdrBase + 0x20000, 256, 4096), 256);
    EXPECT_EQ(stats().bad_layout, 2u);
    EXPECT_EQ(stats().needs_reset, 2u);
    EXPECT_TRUE(logged(errors, "are not the legacy layout"));
    EXPECT_TRUE(logged(errors, "DEVICE_NEEDS_RESET"));
    EXPECT_EQ(rd(VIRTIO_MMIO_QUEUE_READY), 0u);
    EXPECT_TRUE(rd(VIRTIO_MMIO_STATUS) & VIRTIO_CONFIG_S_NEEDS_RESET);
    EXPECT_EQ(table_vring(0).da, FW_RSC_ADDR_ANY);
}

TEST_F(VrpmsgTest, V1BadGuestPageSizeIsRefused)
{
    create(1);
    negotiate(features_for_version());
    wr(VIRTIO_MMIO_GUEST_PAGE_SIZE, 3000); /* not a power of two */
    wr(VIRTIO_MMIO_QUEUE_SEL, 0);
    wr(VIRTIO_MMIO_QUEUE_NUM, 256);
    wr(VIRTIO_MMIO_QUEUE_ALIGN, 4096);
    wr(VIRTIO_MMIO_QUEUE_PFN, 0x40010);
    EXPECT_EQ(stats().bad_layout, 1u);
    EXPECT_TRUE(logged(errors, "GuestPageSize 3000"));
    EXPECT_EQ(rd(VIRTIO_MMIO_QUEUE_PFN), 0u);
}

TEST_P(VrpmsgHardening, NotifyBeforeDriverOkIsIgnored)
{
    create(GetParam());
    negotiate(features_for_version());
    setup_queue(0, kDdrBase + 0x10000);
    wr(VIRTIO_MMIO_QUEUE_NOTIFY, 0);
    EXPECT_TRUE(mbox.fifo[0].empty());
    EXPECT_EQ(stats().notify_not_ready, 1u);
    EXPECT_TRUE(logged(errors, "before DRIVER_OK"));
    /* Of a queue that was never set up, after DRIVER_OK: ignored as well. */
    wr(VIRTIO_MMIO_STATUS, rd(VIRTIO_MMIO_STATUS) | VIRTIO_CONFIG_S_DRIVER_OK);
    wr(VIRTIO_MMIO_QUEUE_NOTIFY, 1);
    wr(VIRTIO_MMIO_QUEUE_NOTIFY, 7);
    EXPECT_TRUE(mbox.fifo[0].empty());
    EXPECT_TRUE(mbox.fifo[2].empty());
    EXPECT_EQ(stats().notify_not_ready, 3u);
    EXPECT_EQ(stats().notifies, 0u);
}

TEST_P(VrpmsgHardening, UnknownRegistersReadZeroAndIgnoreWrites)
{
    create(GetParam());
    bring_up();
    rpvp_vrpmsg_stats before = stats();
    const uint32_t status = rd(VIRTIO_MMIO_STATUS);
    EXPECT_EQ(rd(0x018), 0u);
    EXPECT_EQ(rd(0x0f8), 0u);
    wr(0x048, 0xffffffff);
    uint32_t v = 0xdeadbeef;
    uint64_t delay = 0;
    EXPECT_EQ(rpvp_vrpmsg_ops()->read(dev, 0x400, &v, 4, &delay), RPVP_OK);
    EXPECT_EQ(v, 0u);
    EXPECT_EQ(stats().bad_offset, 4u);
    EXPECT_TRUE(logged(errors, "unknown register at 0x048"));
    /* Nothing else moved. */
    EXPECT_EQ(rd(VIRTIO_MMIO_STATUS), status);
    EXPECT_EQ(stats().guest_errors, before.guest_errors + 4);
}

TEST_P(VrpmsgHardening, NonWordAccessesToRegistersAreRefused)
{
    create(GetParam());
    const rpvp_device_ops *ops = rpvp_vrpmsg_ops();
    uint64_t delay = 0;
    uint8_t b = 0xff;
    uint16_t h = 0xffff;
    uint64_t dw = ~0ull;
    EXPECT_EQ(ops->read(dev, VIRTIO_MMIO_MAGIC_VALUE, &b, 1, &delay), RPVP_OK);
    EXPECT_EQ(b, 0);
    EXPECT_EQ(ops->read(dev, VIRTIO_MMIO_MAGIC_VALUE + 2, &h, 2, &delay), RPVP_OK);
    EXPECT_EQ(h, 0);
    EXPECT_EQ(ops->read(dev, VIRTIO_MMIO_MAGIC_VALUE, &dw, 8, &delay), RPVP_OK);
    EXPECT_EQ(dw, 0u);
    uint32_t w = 0x74726976;
    EXPECT_EQ(ops->read(dev, VIRTIO_MMIO_MAGIC_VALUE + 1, &w, 4, &delay), RPVP_OK);
    EXPECT_EQ(w, 0u) << "misaligned";
    /* A byte write of Status is ignored. */
    b = VIRTIO_CONFIG_S_ACKNOWLEDGE;
    EXPECT_EQ(ops->write(dev, VIRTIO_MMIO_STATUS, &b, 1, &delay), RPVP_OK);
    EXPECT_EQ(rd(VIRTIO_MMIO_STATUS), 0u);
    EXPECT_EQ(stats().bad_width, 5u);
    EXPECT_TRUE(logged(errors, "virtio-mmio registers are 32-bit"));
    /* Config space accepts 1, 2 and 4 bytes only. */
    EXPECT_EQ(ops->read(dev, VIRTIO_MMIO_CONFIG, &dw, 8, &delay), RPVP_OK);
    EXPECT_EQ(stats().bad_config_access, 1u);
}

TEST_P(VrpmsgHardening, WriteOnlyReadsAndReadOnlyWrites)
{
    create(GetParam());
    wr(VIRTIO_MMIO_QUEUE_SEL, 1);
    EXPECT_EQ(rd(VIRTIO_MMIO_QUEUE_SEL), 0u);
    EXPECT_EQ(rd(VIRTIO_MMIO_QUEUE_NOTIFY), 0u);
    EXPECT_EQ(rd(VIRTIO_MMIO_INTERRUPT_ACK), 0u);
    EXPECT_EQ(stats().write_only_reads, 3u);
    EXPECT_TRUE(logged(errors, "read of write-only QueueSel"));
    wr(VIRTIO_MMIO_MAGIC_VALUE, 0);
    wr(VIRTIO_MMIO_INTERRUPT_STATUS, 1);
    wr(VIRTIO_MMIO_QUEUE_NUM_MAX, 4);
    EXPECT_EQ(stats().read_only_writes, 3u);
    EXPECT_TRUE(logged(errors, "write to read-only MagicValue"));
    EXPECT_EQ(rd(VIRTIO_MMIO_MAGIC_VALUE), 0x74726976u);
    EXPECT_EQ(rd(VIRTIO_MMIO_QUEUE_NUM_MAX), 256u);
}

TEST_P(VrpmsgHardening, OtherVersionsRegistersAreRefused)
{
    create(GetParam());
    if (GetParam() == 1) {
        EXPECT_EQ(rd(VIRTIO_MMIO_QUEUE_READY), 0u);
        wr(VIRTIO_MMIO_QUEUE_DESC_LOW, 0x40010000);
        EXPECT_EQ(rd(VIRTIO_MMIO_CONFIG_GENERATION), 0u);
        EXPECT_TRUE(logged(errors, "not a version 1 register"));
    } else {
        wr(VIRTIO_MMIO_GUEST_PAGE_SIZE, 4096);
        wr(VIRTIO_MMIO_QUEUE_PFN, 0x40010);
        EXPECT_EQ(rd(VIRTIO_MMIO_QUEUE_PFN), 0u);
        EXPECT_TRUE(logged(errors, "not a version 2 register"));
    }
    EXPECT_EQ(stats().wrong_version, 3u);
    EXPECT_EQ(stats().queue_setups, 0u);
}

TEST_P(VrpmsgHardening, QueueRegistersWithBadQueueSel)
{
    create(GetParam());
    wr(VIRTIO_MMIO_QUEUE_SEL, 5);
    EXPECT_EQ(rd(VIRTIO_MMIO_QUEUE_NUM_MAX), 0u);
    wr(VIRTIO_MMIO_QUEUE_NUM, 16);
    EXPECT_EQ(stats().bad_queue_sel, 1u);
    EXPECT_TRUE(logged(errors, "QueueSel 5: device has 2 queues"));
    wr(VIRTIO_MMIO_QUEUE_SEL, 0xffffffff);
    wr(GetParam() == 1 ? VIRTIO_MMIO_QUEUE_PFN : VIRTIO_MMIO_QUEUE_READY, 1);
    EXPECT_EQ(stats().bad_queue_sel, 2u);
}

TEST_F(VrpmsgTest, V2FeaturesOkRefusedForUnofferedOrMissingVersion1)
{
    create(2);
    /* A legacy-minded driver on a version 2 device: no VIRTIO_F_VERSION_1. */
    negotiate(1u << VIRTIO_RPMSG_F_NS);
    EXPECT_FALSE(rd(VIRTIO_MMIO_STATUS) & VIRTIO_CONFIG_S_FEATURES_OK);
    EXPECT_TRUE(logged(errors, "FEATURES_OK refused"));
    /* Accepting a bit the device never offered (EVENT_IDX, bit 29). */
    negotiate(features_for_version() | (1u << VIRTIO_RING_F_EVENT_IDX));
    EXPECT_FALSE(rd(VIRTIO_MMIO_STATUS) & VIRTIO_CONFIG_S_FEATURES_OK);
    EXPECT_EQ(table_vdev().gfeatures, 1u << VIRTIO_RPMSG_F_NS) << "only offered bits";
    EXPECT_EQ(stats().bad_features, 3u); /* refusal, unoffered write, refusal */
}

TEST_P(VrpmsgHardening, MissingResourceTableGivesAnEmptyDevice)
{
    memset(ddr_ptr(kTable, kTableSize), 0, kTableSize); /* ver 0 */
    create(GetParam());
    EXPECT_EQ(rd(VIRTIO_MMIO_DEVICE_ID), 7u);
    EXPECT_EQ(rd(VIRTIO_MMIO_DEVICE_FEATURES), 0u);
    wr(VIRTIO_MMIO_QUEUE_SEL, 0);
    EXPECT_EQ(rd(VIRTIO_MMIO_QUEUE_NUM_MAX), 0u);
    EXPECT_EQ(stats().table_errors, 1u) << "looked up once, reported once";
    EXPECT_TRUE(logged(errors, "no usable rpmsg vdev"));
    /* The loader places it later. */
    build_table();
    rpvp_vrpmsg_set_rsc_table(dev, kTable, kTableSize);
    EXPECT_EQ(rd(VIRTIO_MMIO_QUEUE_NUM_MAX), 256u);
}

TEST_P(VrpmsgHardening, OverrunningVdevEntryIsRejected)
{
    uint8_t *t = ddr_ptr(kTable, kTableSize);
    t[0x80 + 4 + offsetof(fw_rsc_vdev, num_of_vrings)] = 40; /* 40 vrings: beyond the table */
    create(GetParam());
    EXPECT_EQ(rpvp_vrpmsg_vdev_addr(dev), 0u);
    EXPECT_TRUE(logged(errors, "overruns the table"));
}

TEST_P(VrpmsgHardening, MailboxBusErrorsAreCountedNotFatal)
{
    create(GetParam());
    bring_up();
    fail_addr = kMbox + RPVP_MBOX_FIFOSTATUS(0);
    wr(VIRTIO_MMIO_QUEUE_NOTIFY, 0);
    EXPECT_GE(stats().bus_errors, 1u);
    EXPECT_TRUE(logged(errors, "mailbox read at +0x080 failed"));
    /* The kick is not lost: it waits like a full FIFO, and goes once the bus answers. */
    EXPECT_EQ(stats().kicks_deferred, 1u);
    fail_addr = ~0ull;
    deliver_mbox_irq();
    ASSERT_EQ(mbox.fifo[0].size(), 1u);
    EXPECT_EQ(mbox.fifo[0].front(), 0u);
}

/* Issue 16 defect 6: a vring whose descriptor table is only 2-byte aligned was accepted
 * and written into the resource table, where the firmware's LDRD of a descriptor address
 * faults. virtio 1.x 2.7: descriptors 16, avail 2, used 4. */
TEST_F(VrpmsgTest, V2MisalignedVringIsRefusedWithNeedsReset)
{
    create(2);
    negotiate(features_for_version());
    const uint64_t desc = kDdrBase + 0x10002; /* 2-byte aligned only */
    setup_queue_v2(0, desc, vring_avail_addr(desc, 256), vring_used_addr(desc, 256, 4096), 256);
    EXPECT_EQ(stats().bad_queue_align, 1u);
    EXPECT_EQ(stats().queue_setups, 0u);
    EXPECT_TRUE(logged(errors, "vring misaligned"));
    EXPECT_EQ(rd(VIRTIO_MMIO_QUEUE_READY), 0u);
    EXPECT_TRUE(rd(VIRTIO_MMIO_STATUS) & VIRTIO_CONFIG_S_NEEDS_RESET);
    EXPECT_EQ(table_vring(0).da, FW_RSC_ADDR_ANY) << "never reaches the firmware";
    /* 16-byte aligned descriptors are fine (the used ring follows at 4096). */
    wr(VIRTIO_MMIO_STATUS, 0);
    negotiate(features_for_version());
    const uint64_t ok = kDdrBase + 0x20010;
    setup_queue_v2(0, ok, vring_avail_addr(ok, 256), vring_used_addr(ok, 256, 4096), 256);
    EXPECT_EQ(stats().queue_setups, 1u);
    EXPECT_EQ(table_vring(0).da, static_cast<uint32_t>(ok));
}

TEST_F(VrpmsgTest, V1VringWithTinyGuestPageOrAlignIsRefused)
{
    create(1);
    negotiate(features_for_version());
    wr(VIRTIO_MMIO_GUEST_PAGE_SIZE, 2); /* a power of two, so only alignment can refuse it */
    wr(VIRTIO_MMIO_QUEUE_SEL, 0);
    wr(VIRTIO_MMIO_QUEUE_NUM, 256);
    wr(VIRTIO_MMIO_QUEUE_ALIGN, 4096);
    wr(VIRTIO_MMIO_QUEUE_PFN, static_cast<uint32_t>((kDdrBase + 0x10002) / 2));
    EXPECT_EQ(stats().bad_queue_align, 1u);
    wr(VIRTIO_MMIO_STATUS, 0);
    negotiate(features_for_version());
    wr(VIRTIO_MMIO_GUEST_PAGE_SIZE, 4096);
    wr(VIRTIO_MMIO_QUEUE_SEL, 1);
    wr(VIRTIO_MMIO_QUEUE_NUM, 4);
    wr(VIRTIO_MMIO_QUEUE_ALIGN, 2); /* used ring at desc + 64 + 14: only 2-byte aligned */
    wr(VIRTIO_MMIO_QUEUE_PFN, static_cast<uint32_t>((kDdrBase + 0x10000) / 4096));
    EXPECT_EQ(stats().bad_queue_align, 2u);
    EXPECT_EQ(stats().queue_setups, 0u);
    EXPECT_TRUE(rd(VIRTIO_MMIO_STATUS) & VIRTIO_CONFIG_S_NEEDS_RESET);
}
