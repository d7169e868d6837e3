/* rpvp::Router: per-initiator address maps, translation, latency, DMI, debug, counters. */
#include "router.h"

#include <algorithm>
#include <sstream>
#include <stdexcept>

using namespace sc_core;

namespace rpvp {

Router::Router(sc_module_name name, unsigned num_initiators, unsigned num_targets)
    : sc_module(name), tsock("tsock", num_initiators), isock("isock", num_targets),
      maps_(num_initiators), init_cnt_(num_initiators), tgt_cnt_(num_targets),
      init_names_(num_initiators), tgt_names_(num_targets)
{
    for (unsigned i = 0; i < num_initiators; i++) {
        tsock[i].register_b_transport(this, &Router::b_transport, static_cast<int>(i));
        tsock[i].register_get_direct_mem_ptr(this, &Router::get_direct_mem_ptr,
                                             static_cast<int>(i));
        tsock[i].register_transport_dbg(this, &Router::transport_dbg, static_cast<int>(i));
        init_names_[i] = "initiator" + std::to_string(i);
    }
    for (unsigned t = 0; t < num_targets; t++) {
        isock[t].register_invalidate_direct_mem_ptr(this, &Router::invalidate_direct_mem_ptr,
                                                    static_cast<int>(t));
        tgt_names_[t] = "target" + std::to_string(t);
    }
}

void Router::name_initiator(unsigned i, const std::string &n) { init_names_.at(i) = n; }
void Router::name_target(unsigned t, const std::string &n) { tgt_names_.at(t) = n; }

void Router::map(unsigned initiator, uint64_t base, uint64_t size, unsigned target,
                 uint64_t target_offset, sc_time latency, Latency mode)
{
    std::ostringstream why;
    if (initiator >= maps_.size())
        why << "initiator " << initiator << " does not exist (" << maps_.size() << " ports)";
    else if (target >= tgt_cnt_.size())
        why << "target " << target << " does not exist (" << tgt_cnt_.size() << " ports)";
    else if (size == 0 || base + size - 1 < base)
        why << "window 0x" << std::hex << base << "+0x" << size << " is empty or wraps";
    if (!why.str().empty())
        throw std::invalid_argument(std::string(name()) + ": map: " + why.str());

    auto &m = maps_[initiator];
    for (const Route &r : m) {
        if (base <= r.base + r.size - 1 && r.base <= base + size - 1) {
            why << std::hex << "window 0x" << base << "+0x" << size << " of "
                << init_names_[initiator] << " overlaps 0x" << r.base << "+0x" << r.size;
            throw std::invalid_argument(std::string(name()) + ": map: " + why.str());
        }
    }
    m.push_back(Route{base, size, target, target_offset, latency, mode});
    std::sort(m.begin(), m.end(), [](const Route &a, const Route &b) { return a.base < b.base; });
}

void Router::map_all(uint64_t base, uint64_t size, unsigned target, uint64_t target_offset,
                     sc_time latency)
{
    for (unsigned i = 0; i < maps_.size(); i++)
        map(i, base, size, target, target_offset, latency);
}

const Router::Route *Router::decode(unsigned initiator, uint64_t addr) const
{
    const auto &m = maps_[initiator];
    /* Last route whose base <= addr. */
    auto it = std::upper_bound(m.begin(), m.end(), addr,
                               [](uint64_t a, const Route &r) { return a < r.base; });
    if (it == m.begin())
        return nullptr;
    --it;
    return addr - it->base < it->size ? &*it : nullptr;
}

void Router::b_transport(int id, tlm::tlm_generic_payload &tx, sc_time &delay)
{
    const uint64_t addr = tx.get_address();
    const unsigned len = tx.get_data_length();
    Counters &ic = init_cnt_[id];
    const Route *r = decode(id, addr);
    /* The whole access must lie in one window: a straddling access is a decode error. */
    if (!r || (len && addr + len - 1 - r->base >= r->size)) {
        ic.decode_errors++;
        tx.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
        return;
    }
    Counters &tc = tgt_cnt_[r->target];
    if (tx.is_read()) {
        ic.reads++, tc.reads++;
        ic.read_bytes += len, tc.read_bytes += len;
    } else if (tx.is_write()) {
        ic.writes++, tc.writes++;
        ic.write_bytes += len, tc.write_bytes += len;
    }
    const sc_time before = delay;
    delay += r->latency;
    tx.set_address(addr - r->base + r->target_offset);
    RouterInitiator tag;
    tag.name = &init_names_[id];
    /* Restored on every exit, also when the target throws (a SystemC error): a
     * payload must never keep a pointer to this stack tag, its destructor frees it. */
    struct Restore {
        tlm::tlm_generic_payload &tx;
        RouterInitiator *outer;
        ~Restore() { tx.set_extension(outer); }
    } restore{tx, tx.set_extension(&tag)};
    isock[r->target]->b_transport(tx, delay);
    tx.set_address(addr);
    if (r->mode == Latency::replace)
        delay = before + r->latency;
    if (tx.is_response_error())
        ic.target_errors++, tc.target_errors++;
}

bool Router::get_direct_mem_ptr(int id, tlm::tlm_generic_payload &tx, tlm::tlm_dmi &dmi)
{
    const uint64_t addr = tx.get_address();
    const Route *r = decode(id, addr);
    if (!r)
        return false;
    tx.set_address(addr - r->base + r->target_offset);
    bool ok = isock[r->target]->get_direct_mem_ptr(tx, dmi);
    tx.set_address(addr);
    /* Translate the granted range back into this initiator's space and clip it to the
     * window (the target may grant more than the route exposes). */
    const uint64_t win_lo = r->target_offset, win_hi = r->target_offset + r->size - 1;
    uint64_t lo = std::max<uint64_t>(dmi.get_start_address(), win_lo);
    uint64_t hi = std::min<uint64_t>(dmi.get_end_address(), win_hi);
    if (lo > hi) /* nothing of the grant is visible: deny */
        return false;
    if (dmi.get_dmi_ptr())
        dmi.set_dmi_ptr(dmi.get_dmi_ptr() + (lo - dmi.get_start_address()));
    dmi.set_start_address(lo - r->target_offset + r->base);
    dmi.set_end_address(hi - r->target_offset + r->base);
    if (r->mode == Latency::replace) {
        dmi.set_read_latency(r->latency);
        dmi.set_write_latency(r->latency);
    } else {
        dmi.set_read_latency(dmi.get_read_latency() + r->latency);
        dmi.set_write_latency(dmi.get_write_latency() + r->latency);
    }
    if (ok)
        init_cnt_[id].dmi++, tgt_cnt_[r->target].dmi++;
    return ok;
}

unsigned int Router::transport_dbg(int id, tlm::tlm_generic_payload &tx)
{
    const uint64_t addr = tx.get_address();
    const Route *r = decode(id, addr);
    if (!r)
        return 0;
    init_cnt_[id].debug++;
    tgt_cnt_[r->target].debug++;
    /* Clip to the window so a debugger cannot read past it into the next device. */
    const unsigned len = tx.get_data_length();
    const uint64_t room = r->size - (addr - r->base);
    const unsigned n = room < len ? static_cast<unsigned>(room) : len;
    tx.set_data_length(n);
    tx.set_address(addr - r->base + r->target_offset);
    unsigned got = isock[r->target]->transport_dbg(tx);
    tx.set_address(addr);
    tx.set_data_length(len);
    return got;
}

void Router::invalidate_direct_mem_ptr(int target, sc_dt::uint64 start, sc_dt::uint64 end)
{
    for (unsigned i = 0; i < maps_.size(); i++) {
        for (const Route &r : maps_[i]) {
            if (r.target != static_cast<unsigned>(target))
                continue;
            const uint64_t win_lo = r.target_offset, win_hi = r.target_offset + r.size - 1;
            const uint64_t lo = std::max<uint64_t>(start, win_lo);
            const uint64_t hi = std::min<uint64_t>(end, win_hi);
            if (lo > hi)
                continue;
            tsock[i]->invalidate_direct_mem_ptr(lo - r.target_offset + r.base,
                                                hi - r.target_offset + r.base);
        }
    }
}

std::string Router::report() const
{
    std::ostringstream o;
    auto line = [&o](const std::string &who, const Counters &c) {
        o << "  " << who << ": reads " << c.reads << " (" << c.read_bytes << " B), writes "
          << c.writes << " (" << c.write_bytes << " B), decode errors " << c.decode_errors
          << ", target errors " << c.target_errors << ", dmi grants " << c.dmi << ", debug "
          << c.debug << "\n";
    };
    o << name() << " traffic per initiator:\n";
    for (unsigned i = 0; i < init_cnt_.size(); i++)
        line(init_names_[i], init_cnt_[i]);
    o << name() << " traffic per target:\n";
    for (unsigned t = 0; t < tgt_cnt_.size(); t++)
        line(tgt_names_[t], tgt_cnt_[t]);
    return o.str();
}

} // namespace rpvp
