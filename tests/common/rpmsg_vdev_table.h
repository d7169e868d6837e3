/* Tests that stand in for the firmware: the remoteproc resource table a firmware would
 * link (one RSC_VDEV entry: rpmsg with the name service, two vrings of 256 buffers at
 * FW_RSC_ADDR_ANY), placed in the M3's carveout of an rpvp::Omap4Amp as the loader would,
 * and read back from there. */
#ifndef RPVP_TESTS_RPMSG_VDEV_TABLE_H
#define RPVP_TESTS_RPMSG_VDEV_TABLE_H

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "omap4_amp.h"
#include "rpvp/remoteproc.h"

namespace rpvp_test {

constexpr uint32_t kRscDa = 0x1000; /* M3 address of the table (carveout) */

/* struct resource_table with one entry: RSC_VDEV, two vrings (no flexible arrays). */
struct Table {
    uint32_t ver, num, reserved[2];
    uint32_t offset[1];
    struct fw_rsc_hdr vhdr;
    struct {
        uint32_t id, notifyid, dfeatures, gfeatures, config_len;
        uint8_t status, num_of_vrings, reserved[2];
    } __attribute__((packed)) vdev;
    struct fw_rsc_vdev_vring vring[2];
} __attribute__((packed));

/* Where the table lives in the SoC's DDR. */
inline Table *table_in(rpvp::Omap4Amp &soc, const rpvp::Omap4AmpConfig &cfg)
{
    return reinterpret_cast<Table *>(soc.ddr.data() + cfg.desc.ddr_size - cfg.desc.remote[0].win[0].size +
                                     kRscDa);
}

/* Write the table into the carveout and hand it to the device. */
inline void place_table(rpvp::Omap4Amp &soc, const rpvp::Omap4AmpConfig &cfg)
{
    Table t{};
    t.ver = 1;
    t.num = 1;
    t.offset[0] = offsetof(Table, vhdr);
    t.vhdr.type = RSC_VDEV;
    t.vdev.id = VIRTIO_ID_RPMSG;
    t.vdev.dfeatures = 1u << VIRTIO_RPMSG_F_NS;
    t.vdev.num_of_vrings = 2;
    for (int i = 0; i < 2; i++)
        t.vring[i] = {FW_RSC_ADDR_ANY, 4096, 256, static_cast<uint32_t>(i), 0};
    std::memcpy(table_in(soc, cfg), &t, sizeof(t));
    soc.set_resource_table(kRscDa, sizeof(t));
}

} // namespace rpvp_test
#endif
