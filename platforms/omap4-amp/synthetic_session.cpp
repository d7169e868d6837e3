/* rpvp::SyntheticSession: AmpSystem + synthetic host + one rpmsg driver. */
#include "synthetic_session.h"

#include <algorithm>
#include <cstring>

namespace rpvp {

using namespace sc_core;

SyntheticSession::SyntheticSession(const SyntheticSessionConfig &cfg)
    : cfg_(cfg), sys_("sys", cfg.sys)
{
    const sc_time q = cfg.sys.soc.host_quantum;
    rpvp_port_set_quantum(sys_.soc().host.port(), static_cast<uint64_t>(q.value() /
                          sc_time(1, SC_PS).value()));
    /* The driver's id table: the wanted names, then the "" terminator. */
    ids_.resize(cfg.channels.size() + 1);
    for (size_t i = 0; i < cfg.channels.size(); i++)
        std::strncpy(ids_[i].name, cfg.channels[i].c_str(), sizeof(ids_[i].name) - 1);
    driver_.drv.name = "rpvp-synthetic";
    driver_.drv.id_table = ids_.data();
    driver_.drv.probe = on_probe;
    driver_.drv.callback = on_msg;
    driver_.self = this;
}

SyntheticSession::~SyntheticSession() = default;

rpmsg_device *SyntheticSession::channel(const std::string &name) const
{
    auto it = channels_.find(name);
    return it == channels_.end() ? nullptr : it->second;
}

rpmsg_endpoint *SyntheticSession::ept(const std::string &name) const
{
    rpmsg_device *d = channel(name);
    return d ? d->ept : nullptr;
}

bool SyntheticSession::run_until(const std::function<bool()> &pred, uint64_t timeout_ps)
{
    auto thunk = [](void *arg) {
        return (*static_cast<const std::function<bool()> *>(arg))() ? 1 : 0;
    };
    return rpvp_shost_run_until(host_, thunk, const_cast<std::function<bool()> *>(&pred),
                                timeout_ps) == 0;
}

int SyntheticSession::on_probe(rpmsg_device *rpdev)
{
    SyntheticSession *s = reinterpret_cast<Driver *>(rpdev->driver)->self;
    s->channels_[rpdev->id.name] = rpdev;
    s->announced_ps_[rpdev->id.name] = rpvp_shost_now(s->host_);
    return 0;
}

int SyntheticSession::on_msg(rpmsg_device *rpdev, void *data, int len, void *, uint32_t src)
{
    SyntheticSession *s = reinterpret_cast<Driver *>(rpdev->driver)->self;
    auto it = s->handlers_.find(rpdev->id.name);
    if (it != s->handlers_.end() && it->second)
        it->second(static_cast<const uint8_t *>(data), len, src);
    return 0;
}

void SyntheticSession::host_main(rpvp_port *port, void *ctx)
{
    static_cast<SyntheticSession *>(ctx)->host_thread(port);
    sc_stop();
}

void SyntheticSession::host_thread(rpvp_port *port)
{
    rpvp_shost_bus_from_port(&bus_, &pst_, port, 0);
    rpvp_shost_config hc{};
    hc.name = "shost";
    hc.mmio_base = sys_.soc().config().desc.vdev.base;
    hc.mem_base = cfg_.pool_base;
    hc.mem_size = cfg_.pool_size;
    hc.op_cost_ps = cfg_.op_cost_ps;
    host_ = rpvp_shost_new(&hc, &bus_);
    if (!host_)
        return;
    register_rpmsg_driver(&driver_.drv);
    probe_rc_ = rpvp_shost_probe(host_);
    /* A probe that fails on the remote's resource table (e.g. a vdev without vrings)
     * usually has a remote that fails on it too: give it a few ms to say so (a crash
     * stops the run), so the report names the remote's failure, not only the host's. */
    if (probe_rc_ != 0)
        run_until([this] { return !sys_.crash_monitor().crashes().empty(); },
                  5 * 1000000000ull);
    const std::function<bool()> all = [this] {
        return channels_.size() == cfg_.channels.size();
    };
    const std::function<bool()> required = [this] {
        for (const std::string &n : cfg_.required)
            if (!channels_.count(n))
                return false;
        return true;
    };
    if (probe_rc_ == 0 && run_until(cfg_.required.empty() ? all : required,
                                    cfg_.boot_timeout_ps)) {
        if (!cfg_.required.empty())
            run_until(all, cfg_.settle_ps); /* the others, if this firmware has them */
        booted_ = true;
        for (const auto &a : announced_ps_) /* the last announcement, not the settle time */
            boot_ps_ = std::max(boot_ps_, a.second);
        if (scenario_)
            scenario_(*this);
    }
    rpvp_shost_get_stats(host_, &host_stats_);
    unregister_rpmsg_driver(&driver_.drv);
    channels_.clear();
    rpvp_shost_free(host_); /* resets the device: still on the host's thread */
    host_ = nullptr;
}

void SyntheticSession::run(Scenario scenario, sc_time limit)
{
    scenario_ = std::move(scenario);
    sys_.soc().host.spawn(host_main, this);
    sc_start(limit); /* host_main's sc_stop() ends it */
}

} // namespace rpvp
