/* rpvp-mbox-rtl-bench [ACCESSES]: the mailbox RTL alone. The transactor (MboxRtlCore)
 * drives a Linux-like mix of register accesses (send, status reads, drain, ack) on the
 * verilated model; prints Verilator's simulated clock cycles per wall second, and the
 * same accesses on the C core for reference (accesses per wall second of each). */
#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "mbox_rtl_core.h"

namespace {

/* One round (9 accesses): a message through FIFO 0 with the driver's status checks,
 * drain and ack. */
template <class Rd, class Wr> uint32_t round(Rd rd, Wr wr, uint32_t k)
{
    uint32_t sum = 0;
    if (!rd(RPVP_MBOX_FIFOSTATUS(0)))
        wr(RPVP_MBOX_MESSAGE(0), k);
    wr(RPVP_MBOX_IRQENABLE_SET(0), RPVP_MBOX_IRQ_NEWMSG(0));
    sum += rd(RPVP_MBOX_IRQSTATUS_CLR(0));
    while (rd(RPVP_MBOX_MSGSTATUS(0)) != 0)
        sum += rd(RPVP_MBOX_MESSAGE(0));
    wr(RPVP_MBOX_IRQSTATUS_CLR(0), RPVP_MBOX_IRQ_NEWMSG(0));
    wr(RPVP_MBOX_IRQENABLE_CLR(0), RPVP_MBOX_IRQ_NEWMSG(0));
    return sum; /* 9 accesses */
}

double seconds_since(std::chrono::steady_clock::time_point t0)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

} // namespace

int main(int argc, char **argv)
{
    const unsigned long accesses = argc > 1 ? std::strtoul(argv[1], nullptr, 0) : 4000000ul;
    const unsigned long rounds = accesses / 9;
    rpvp_mbox_config cfg;
    rpvp_mbox_config_default(&cfg);
    rpvp::MboxRtlCore rtl(cfg, 10000);
    const rpvp_device_ops *ops = rtl.ops();
    auto rd = [&](uint32_t off) {
        uint32_t v = 0;
        uint64_t d = 0;
        ops->read(&rtl, off, &v, 4, &d);
        return v;
    };
    auto wr = [&](uint32_t off, uint32_t v) {
        uint64_t d = 0;
        ops->write(&rtl, off, &v, 4, &d);
    };
    uint32_t check = 0;
    auto t0 = std::chrono::steady_clock::now();
    for (unsigned long k = 0; k < rounds; k++)
        check += round(rd, wr, static_cast<uint32_t>(k));
    const double rtl_s = seconds_since(t0);

    rpvp_mbox *mb = rpvp_mbox_new(&cfg);
    uint32_t check_c = 0;
    t0 = std::chrono::steady_clock::now();
    for (unsigned long k = 0; k < rounds; k++)
        check_c += round([&](uint32_t off) { return rpvp_mbox_read32(mb, off); },
                         [&](uint32_t off, uint32_t v) { rpvp_mbox_write32(mb, off, v); },
                         static_cast<uint32_t>(k));
    const double c_s = seconds_since(t0);
    rpvp_mbox_free(mb);
    if (check != check_c) {
        std::fprintf(stderr, "rpvp-mbox-rtl-bench: RTL and C core disagree\n");
        return 1;
    }
    const double n = static_cast<double>(rounds * 9);
    std::printf("mailbox RTL: %.0f accesses, %llu clock cycles in %.3f s: %.2f M cycles/s, "
                "%.2f M accesses/s\n", n, static_cast<unsigned long long>(rtl.cycles()), rtl_s,
                rtl.cycles() / rtl_s / 1e6, n / rtl_s / 1e6);
    std::printf("mailbox C core: %.0f accesses in %.3f s: %.2f M accesses/s (%.1fx the RTL)\n",
                n, c_s, n / c_s / 1e6, rtl_s / c_s);
    return 0;
}
