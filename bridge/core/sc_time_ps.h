/* Exact conversions between sc_time and integer picoseconds (rpvp's time unit).
 * Uses the raw value and the kernel's resolution, not doubles, so that simulated times
 * stay bit-exact over long runs. */
#ifndef RPVP_SC_TIME_PS_H
#define RPVP_SC_TIME_PS_H

#include <systemc>
#include <cstdint>

namespace rpvp {

/* Picoseconds per kernel time unit (1 with SystemC's default 1 ps resolution). */
inline uint64_t ps_per_tick()
{
    static const uint64_t v = static_cast<uint64_t>(
        sc_core::sc_get_time_resolution().to_seconds() * 1e12 + 0.5);
    return v ? v : 1;
}

inline uint64_t to_ps(const sc_core::sc_time &t) { return t.value() * ps_per_tick(); }

inline sc_core::sc_time ps_time(uint64_t ps)
{
    return sc_core::sc_time::from_value(ps / ps_per_tick());
}

inline uint64_t now_ps() { return to_ps(sc_core::sc_time_stamp()); }

} // namespace rpvp
#endif
