/* Measurement events built by hand for the joiner's tests (rpvp/measure.h). */
#ifndef RPVP_TESTS_EV_BUILD_H
#define RPVP_TESTS_EV_BUILD_H

#include "rpvp/measure.h"

namespace rpvp::measure::test {

inline rpvp_ev ev(uint64_t t_ns, rpvp_ev_kind kind, rpvp_agent agent)
{
    rpvp_ev e{};
    e.t_ps = t_ns * 1000;
    e.kind = static_cast<uint16_t>(kind);
    e.agent = static_cast<uint8_t>(agent);
    return e;
}

/* A vring entry seen by the observer: vring q, descriptor, rpmsg header. */
inline rpvp_ev entry(uint64_t t_ns, rpvp_ev_kind kind, rpvp_agent agent, unsigned q,
                     unsigned desc, uint32_t src, uint32_t dst)
{
    rpvp_ev e = ev(t_ns, kind, agent);
    e.q = static_cast<uint8_t>(q);
    e.desc = static_cast<uint16_t>(desc);
    e.src = src;
    e.dst = dst;
    e.len = 16;
    return e;
}

} // namespace rpvp::measure::test
#endif
