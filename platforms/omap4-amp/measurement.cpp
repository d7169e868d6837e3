/* rpvp::Measurement: sink + vring observer wired to the models (see measurement.h). */
#include "measurement.h"

#include <cstring>
#include <stdexcept>

#include "rpvp/mbox_channels.h"

namespace rpvp {

/* The host -> M3 FIFOs of the virtqueue channels (rpvp/mbox_channels.h). */
static uint32_t to_remote_kick_fifos()
{
    uint32_t m = 0;
    for (unsigned ch = 0; ch < RPVP_MBOX_NUM_VQ_CHANNELS; ch++)
        m |= 1u << RPVP_MBOX_CH_TX_FIFO(ch);
    return m;
}

Measurement::Measurement(Omap4Amp &soc, Cm3Cpu &m3, uint32_t rsc_da, uint32_t rsc_size,
                         unsigned remote, uint64_t max_events)
    : soc_(soc), m3_(m3), remote_(remote), sink_(rpvp_ev_sink_new()),
      to_remote_fifos_(to_remote_kick_fifos())
{
    if (!sink_)
        throw std::bad_alloc();
    rpvp_ev_sink_set_limit(sink_, max_events);
    rpvp_vring_obs_config c{};
    c.sink = sink_;
    c.read = read;
    c.read_ctx = this;
    c.rsc_da = rsc_da;
    c.rsc_size = rsc_size;
    c.arm = arm;
    c.arm_ctx = this;
    obs_ = rpvp_vring_obs_new(&c);
    rpvp_ev_sink_set_tap(sink_, tap, this);
    soc.mailbox(remote).set_event_sink(sink_);
    rpvp_vrpmsg_set_event_sink(soc.vdev_core(remote), sink_);
    m3.set_event_sink(sink_);
}

Measurement::~Measurement()
{
    soc_.mailbox(remote_).set_event_sink(nullptr);
    rpvp_vrpmsg_set_event_sink(soc_.vdev_core(remote_), nullptr);
    m3_.set_event_sink(nullptr);
    for (unsigned s = 0; s < RPVP_VRING_OBS_MAX; s++)
        m3_.set_write_watch(s, 0, 0, nullptr, nullptr);
    rpvp_vring_obs_free(obs_);
    rpvp_ev_sink_free(sink_);
}

bool Measurement::save(const std::string &path, std::string *why) const
{
    char err[512];
    if (rpvp_ev_save(sink_, path.c_str(), err, sizeof err) == 0)
        return true;
    if (why)
        *why = err;
    return false;
}

int Measurement::read(void *ctx, uint32_t da, void *buf, uint32_t len)
{
    auto *self = static_cast<Measurement *>(ctx);
    unsigned n;
    const rpvp_fw_region *map = self->soc_.m3_regions(&n, self->remote_);
    uint64_t pa;
    const uint64_t base = self->soc_.config().desc.ddr_pa, size = self->soc_.ddr.size();
    if (!rpvp_fw_da_to_pa(map, n, da, len, &pa) || pa < base || pa - base > size ||
        len > size - (pa - base))
        return -1;
    std::memcpy(buf, self->soc_.ddr.data() + (pa - base), len);
    return 0;
}

void Measurement::arm(void *ctx, unsigned slot, uint32_t da, uint32_t len)
{
    auto *self = static_cast<Measurement *>(ctx);
    self->m3_.set_write_watch(slot, da, len, len ? on_used : nullptr, self);
}

void Measurement::on_used(void *ctx, unsigned slot, uint64_t t_ps)
{
    rpvp_vring_obs_used_written(static_cast<Measurement *>(ctx)->obs_, slot, t_ps);
}

void Measurement::tap(void *ctx, const rpvp_ev *e)
{
    auto *self = static_cast<Measurement *>(ctx);
    if (e->kind == RPVP_EV_NOTIFY ||
        (e->kind == RPVP_EV_MBOX_WRITE && e->fifo < 32 &&
         ((self->to_remote_fifos_ >> e->fifo) & 1)))
        rpvp_vring_obs_host_kick(self->obs_, e->t_ps);
}

} // namespace rpvp
