/*
 * The "test" plugin platform: QEMU's CPU port -> router -> rpvp test device
 * (test_device.h), the device's interrupt output -> the port's line 0. Proves and times
 * the QEMU <-> SystemC path before the real platform (platforms/omap4-amp) plugs in.
 * Config: base (0x0b000000), size (0x200), latency-ps (10000: per register access),
 * quantum-ns (10000: the port's quantum for accumulated access latency), ticker-ns (0:
 * none; else an SC_METHOD that wakes every ticker-ns, standing in for a platform's own
 * activity when measuring sync cost).
 */
#include "plugin_platform.h"
#include "test_device.h"

#include "bridge_initiator.h"
#include "core_target.h"
#include "router.h"

#include <sstream>

namespace {

using namespace sc_core;

void fail_hook(void *, uint32_t v)
{
    SC_REPORT_ERROR("rpvp/test-platform",
                    ("FAIL register written (0x" + std::to_string(v) +
                     "): simulated platform failure").c_str());
}

rpvp_test_device make_device()
{
    rpvp_test_device d;
    rpvp_test_device_init(&d, nullptr);
    d.fail_hook = fail_hook;
    return d;
}

/* Wakes every `period`: the kernel load of a busy platform, for benchmarks. */
class Ticker : public sc_module {
public:
    SC_HAS_PROCESS(Ticker);
    Ticker(sc_module_name n, sc_time period) : sc_module(n), period_(period)
    {
        SC_METHOD(tick);
    }
    uint64_t ticks = 0;

private:
    void tick()
    {
        ticks++;
        next_trigger(period_);
    }
    sc_time period_;
};

class TestPlatform : public rpvp::PluginPlatform {
public:
    explicit TestPlatform(const rpvp::PluginConfig &c)
        : dev_(make_device()),
          cpu_("qemu_cpu", 1, sc_time(static_cast<double>(c.get_u64("quantum-ns", 10000)), SC_NS)),
          bus_("bus", 1, 1),
          td_("test_device", &rpvp_test_device_ops, &dev_,
              sc_time(static_cast<double>(c.get_u64("latency-ps", 10000)), SC_PS)),
          irq_("test_device_irq")
    {
        dev_.clock = td_.clock();
        bus_.name_initiator(0, "qemu_cpu");
        bus_.name_target(0, "test_device");
        bus_.map(0, c.get_u64("base", 0x0b000000), c.get_u64("size", 0x200), 0);
        cpu_.isock.bind(bus_.tsock[0]);
        bus_.isock[0].bind(td_.tsock);
        td_.irq_out[0](irq_);
        cpu_.irq[0](irq_);
        if (uint64_t t = c.get_u64("ticker-ns", 0))
            ticker_ = std::make_unique<Ticker>("ticker", sc_time(static_cast<double>(t), SC_NS));
    }

    rpvp_port *port() override { return cpu_.port(); }

    std::string report() const override
    {
        std::ostringstream s;
        s << "test-device: accesses=" << dev_.accesses << " guest_errors=" << dev_.guest_errors
          << "\n" << bus_.report();
        return s.str();
    }

private:
    rpvp_test_device dev_;
    rpvp::BridgeInitiator cpu_;
    rpvp::Router bus_;
    rpvp::CoreTarget td_;
    sc_signal<bool> irq_;
    std::unique_ptr<Ticker> ticker_;
};

std::unique_ptr<rpvp::PluginPlatform> make_test_platform(const rpvp::PluginConfig &c)
{
    return std::make_unique<TestPlatform>(c);
}

} // namespace

RPVP_REGISTER_PLUGIN_PLATFORM("test", make_test_platform);
