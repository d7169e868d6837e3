/*
 * rpvp::Router — the platform interconnect: a TLM-2.0 LT router with one address map per
 * initiator.
 *
 * Each initiator binds to its own target socket tsock[i] and sees the targets through its
 * own map: a route is a window [base, base+size) of that initiator's address space that
 * lands in target t at `target_offset` (so the M3 can see the mailbox at 0xAA0F4000 while
 * the virtio device reaches it at the mailbox's own base). Per route, a latency is added to
 * the annotated delay of every transaction. Decode misses give
 * TLM_ADDRESS_ERROR_RESPONSE; an access that straddles the end of a window too.
 * DMI and debug transport are forwarded with address translation both ways, and DMI
 * invalidations from a target reach every initiator that has a route into it.
 * Counters: transactions, bytes and errors per initiator and per target.
 *
 * Not modelled: arbitration and contention between initiators (LT, no bus occupancy).
 */
#ifndef RPVP_ROUTER_H
#define RPVP_ROUTER_H

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include <cstdint>
#include <string>
#include <vector>

namespace rpvp {

/* Ignorable extension the router attaches to every transaction it forwards: the name of
 * the initiator port it came in on (a target that reports per initiator reads it). */
struct RouterInitiator : tlm::tlm_extension<RouterInitiator> {
    const std::string *name = nullptr;
    tlm::tlm_extension_base *clone() const override { return new RouterInitiator(*this); }
    void copy_from(const tlm::tlm_extension_base &e) override
    {
        *this = static_cast<const RouterInitiator &>(e);
    }
};

class Router : public sc_core::sc_module {
public:
    sc_core::sc_vector<tlm_utils::simple_target_socket_tagged<Router>> tsock; /* initiators bind here */
    sc_core::sc_vector<tlm_utils::simple_initiator_socket_tagged<Router>> isock; /* to targets */

    struct Counters {
        uint64_t reads = 0, writes = 0, read_bytes = 0, write_bytes = 0;
        uint64_t decode_errors = 0, target_errors = 0, debug = 0, dmi = 0;
    };

    Router(sc_core::sc_module_name name, unsigned num_initiators, unsigned num_targets);

    /* Give names for reports (optional). */
    void name_initiator(unsigned i, const std::string &n);
    void name_target(unsigned t, const std::string &n);

    /* How a route's latency combines with the target's own annotation. */
    enum class Latency {
        add,     /* interconnect hop: route latency + whatever the target annotates */
        replace, /* the window is served by an ideal cache in front of the target (every
                    access hits): the route latency is the whole cost, for DMI too */
    };

    /* Map [base, base+size) of initiator i's space onto target t at target_offset.
     * Throws std::invalid_argument (with the reason) on a bad index, an empty or
     * wrapping window, or an overlap with another route of the same initiator. */
    void map(unsigned initiator, uint64_t base, uint64_t size, unsigned target,
             uint64_t target_offset = 0, sc_core::sc_time latency = sc_core::SC_ZERO_TIME,
             Latency mode = Latency::add);
    /* Same route for every initiator. */
    void map_all(uint64_t base, uint64_t size, unsigned target, uint64_t target_offset = 0,
                 sc_core::sc_time latency = sc_core::SC_ZERO_TIME);

    const Counters &initiator_counters(unsigned i) const { return init_cnt_.at(i); }
    const Counters &target_counters(unsigned t) const { return tgt_cnt_.at(t); }
    /* A one-line-per-port summary of the counters, for reports. */
    std::string report() const;

private:
    struct Route {
        uint64_t base, size;
        unsigned target;
        uint64_t target_offset;
        sc_core::sc_time latency;
        Latency mode;
    };

    const Route *decode(unsigned initiator, uint64_t addr) const;
    void b_transport(int id, tlm::tlm_generic_payload &tx, sc_core::sc_time &delay);
    bool get_direct_mem_ptr(int id, tlm::tlm_generic_payload &tx, tlm::tlm_dmi &dmi);
    unsigned int transport_dbg(int id, tlm::tlm_generic_payload &tx);
    void invalidate_direct_mem_ptr(int target, sc_dt::uint64 start, sc_dt::uint64 end);

    std::vector<std::vector<Route>> maps_; /* per initiator, sorted by base */
    std::vector<Counters> init_cnt_, tgt_cnt_;
    std::vector<std::string> init_names_, tgt_names_;
};

} // namespace rpvp
#endif
