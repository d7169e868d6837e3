/* Instantiates installed rpvp models in another SystemC project and moves a word
 * through them. Exit status 0 and "consumer ok" when the data came back. */
#include <cstdio>
#include <string>
#include <systemc>
#include <unistd.h>

#include "bridge_initiator.h"
#include "ddr_tlm.h"
#include "router.h"

int sc_main(int, char **)
{
    rpvp::BridgeInitiator cpu("cpu");
    rpvp::Router bus("bus", 1, 1);
    rpvp::SharedDdr ddr("ddr", "rpvp-consumer-" + std::to_string(getpid()), 4096);
    cpu.isock.bind(bus.tsock[0]);
    bus.isock[0].bind(ddr.tsock);
    bus.map(0, 0x1000, 4096, 0);
    sc_core::sc_start(sc_core::SC_ZERO_TIME);
    uint32_t out = 0xC0FFEE, in = 0;
    rpvp_write(cpu.port(), 0x1010, &out, 4, nullptr);
    rpvp_read(cpu.port(), 0x1010, &in, 4, nullptr);
    std::printf("consumer %s\n", in == out ? "ok" : "FAILED");
    return in == out ? 0 : 1;
}
