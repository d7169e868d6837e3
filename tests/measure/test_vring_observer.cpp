// The vring observer (include/rpvp/vring_observer.h) on a resource table and vrings in a
// plain memory image: new avail entries at a host kick, and a ring that was set up
// afresh (the remote restarted, recovered or re-attached by Linux's remoteproc).
#include <gtest/gtest.h>

#include <cstring>
#include <vector>

extern "C" {
#include "rpvp/remoteproc.h"
#include "rpvp/vring_observer.h"
}

namespace {

constexpr uint32_t kTable = 0x100, kRing = 0x1000, kNum = 8, kAlign = 0x1000;

struct Image {
    std::vector<uint8_t> mem = std::vector<uint8_t>(0x10000);
    Image()
    {
        // A table with one entry: the rpmsg vdev and two vrings; vring 0 at kRing.
        const uint32_t off = 16 + 4;
        uint32_t hdr[5] = {1, 1, 0, 0, off};
        std::memcpy(&mem[kTable], hdr, sizeof hdr);
        const uint32_t type = RSC_VDEV;
        std::memcpy(&mem[kTable + off], &type, 4);
        fw_rsc_vdev vd{};
        vd.id = VIRTIO_ID_RPMSG;
        vd.num_of_vrings = 2;
        std::memcpy(&mem[kTable + off + 4], &vd, sizeof vd);
        for (uint32_t q = 0; q < 2; q++) {
            fw_rsc_vdev_vring r{kRing + q * 0x4000, kAlign, kNum, q, 0};
            std::memcpy(&mem[kTable + off + 4 + sizeof vd + q * sizeof r], &r, sizeof r);
        }
    }
    void set16(uint32_t da, uint16_t v) { std::memcpy(&mem[da], &v, 2); }
    // Vring 0's avail ring: entries [from, to) with heads equal to their index % num.
    void avail(uint16_t from, uint16_t to)
    {
        const uint32_t avail = kRing + 16 * kNum;
        for (uint16_t i = from; i != to; i++)
            set16(avail + 4 + 2 * (i % kNum), static_cast<uint16_t>(i % kNum));
        set16(avail + 2, to);
    }
    static int read(void *ctx, uint32_t da, void *buf, uint32_t len)
    {
        auto *self = static_cast<Image *>(ctx);
        if (da + static_cast<uint64_t>(len) > self->mem.size())
            return -1;
        std::memcpy(buf, &self->mem[da], len);
        return 0;
    }
};

std::vector<uint16_t> avail_idx(rpvp_ev_sink *s)
{
    size_t n;
    const rpvp_ev *e = rpvp_ev_data(s, &n);
    std::vector<uint16_t> out;
    for (size_t i = 0; i < n; i++)
        if (e[i].kind == RPVP_EV_AVAIL && e[i].q == 0)
            out.push_back(e[i].idx);
    return out;
}

TEST(VringObserver, ARingSetUpAfreshContinuesFromZero)
{
    Image img;
    rpvp_ev_sink *sink = rpvp_ev_sink_new();
    rpvp_vring_obs_config c{};
    c.sink = sink;
    c.read = Image::read;
    c.read_ctx = &img;
    c.rsc_da = kTable;
    c.rsc_size = 0x400;
    rpvp_vring_obs *o = rpvp_vring_obs_new(&c);
    ASSERT_NE(o, nullptr);

    rpvp_vring_obs_host_kick(o, 1); // first look: the ring as it is now
    img.avail(0, 3);
    rpvp_vring_obs_host_kick(o, 2);
    EXPECT_EQ(avail_idx(sink), (std::vector<uint16_t>{0, 1, 2}));
    img.avail(3, 5);
    rpvp_vring_obs_host_kick(o, 3);
    EXPECT_EQ(avail_idx(sink), (std::vector<uint16_t>{0, 1, 2, 3, 4}));

    // The remote restarted: Linux set the ring up again at the same place, index from 0.
    // Two new entries, not 65,533.
    img.avail(0, 2);
    rpvp_vring_obs_host_kick(o, 4);
    EXPECT_EQ(avail_idx(sink), (std::vector<uint16_t>{0, 1, 2, 3, 4, 0, 1}));
    rpvp_vring_obs_free(o);
    rpvp_ev_sink_free(sink);
}

} // namespace
