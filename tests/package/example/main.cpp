/* An out-of-tree SystemC project built against an installed rpvp (find_package(rpvp)):
 * it instantiates the whole reference platform - rpvp::SyntheticSession builds
 * rpvp::AmpSystem, i.e. omap4-amp (router, shared DDR, mailbox, virtio-rpmsg device,
 * watchdog) with the installed reference firmware on the Cortex-M3 ISS - drives it with
 * the synthetic host and runs an echo to completion: every message must come back
 * unchanged. Exit status 0 and "consumer ok: ..." when it did.
 *   consumer [FIRMWARE.elf]   (default: the package's RPVP_FIRMWARE_ELF)
 */
#include <cstdio>
#include <cstring>
#include <string>
#include <unistd.h>
#include <vector>

#include "synthetic_session.h"

#ifndef CONSUMER_FIRMWARE
#error "CONSUMER_FIRMWARE: the installed firmware (rpvpConfig.cmake's RPVP_FIRMWARE_ELF)"
#endif

int sc_main(int argc, char **argv)
{
    /* The end of the run is the session's sc_stop, not news. */
    sc_core::sc_report_handler::set_actions("/OSCI/SystemC", sc_core::SC_INFO,
                                            sc_core::SC_DO_NOTHING);
    const char *channel = "rpmsg-raw"; /* the reference firmware's echo endpoint */
    const unsigned count = 50;
    rpvp::SyntheticSessionConfig cfg;
    cfg.sys.firmware = argc > 1 ? argv[1] : CONSUMER_FIRMWARE;
    cfg.sys.soc.ddr_file = "rpvp-consumer-" + std::to_string(getpid());
    cfg.sys.m3_core_file = "consumer-m3.core";
    cfg.channels = {channel};
    rpvp::SyntheticSession s(cfg);
    unsigned ok = 0, received = 0;
    std::vector<uint8_t> out(64);
    s.run([&](rpvp::SyntheticSession &ss) {
        ss.on_message(channel, [&](const uint8_t *d, int len, uint32_t) {
            received++;
            ok += len == static_cast<int>(out.size()) && !std::memcmp(d, out.data(), out.size());
        });
        for (unsigned i = 0; i < count; i++) {
            for (size_t b = 0; b < out.size(); b++)
                out[b] = static_cast<uint8_t>(i * 3 + b);
            if (rpmsg_send(ss.ept(channel), out.data(), static_cast<int>(out.size())) != 0 ||
                !ss.run_until([&] { return received == i + 1; }, 1000000000000ull))
                break;
        }
        ss.on_message(channel, nullptr);
    });
    const bool pass = s.booted() && ok == count;
    std::printf("consumer %s: platform booted %s, %u of %u echoes of 64 B unchanged, %.3f us "
                "simulated\n", pass ? "ok" : "FAILED", s.booted() ? "yes" : "no", ok, count,
                sc_core::sc_time_stamp().to_seconds() * 1e6);
    return pass ? 0 : 1;
}
