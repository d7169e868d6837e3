/* trace.json: Chrome trace-event JSON for ui.perfetto.dev (style.md section 7). One
 * process per agent, one track (thread) per hop, each hop of a message an "X" slice on
 * its track, one flow ("s"/"t"/"f") per message across its slices, occupancy series as
 * "C" counters. ts in microseconds of simulated time. */
#include <fstream>
#include <set>

#include "report.h"

namespace rpvp::measure {

/* The agent doing the work between the previous stamp and this one. */
static unsigned agent_before(unsigned stamp)
{
    switch (stamp) {
    case KICK: case IRQ_ACK: case REPOST: return RPVP_AGENT_DRIVER;
    case MBOX_WRITE: case IRQ_RAISE: return RPVP_AGENT_VDEV;
    case M3_IRQ: case MBOX_READ: return RPVP_AGENT_MBOX;
    case RX_FILLED: case TX_CONSUMED: case REMOTE_KICK: return RPVP_AGENT_M3;
    default: return RPVP_AGENT_APP;
    }
}

static const unsigned kCounterPid = 10;

bool write_trace(const std::string &path, const Joined &j)
{
    std::ofstream f(path);
    if (!f)
        return false;
    f << "{\"displayTimeUnit\": \"ns\", \"otherData\": {\"generator\": \"rpvp\", "
         "\"time\": \"simulated\"},\n\"traceEvents\": [\n";
    const char *sep = "";
    auto ev = [&](const std::string &body) {
        f << sep << "{" << body << "}";
        sep = ",\n";
    };
    for (unsigned a = 0; a < RPVP_AGENT_COUNT; a++)
        ev("\"ph\": \"M\", \"name\": \"process_name\", \"pid\": " + std::to_string(a + 1) +
           ", \"args\": {\"name\": \"" + rpvp_agent_name(a) + "\"}");
    ev("\"ph\": \"M\", \"name\": \"process_name\", \"pid\": " + std::to_string(kCounterPid) +
       ", \"args\": {\"name\": \"occupancy\"}");
    std::set<std::pair<unsigned, unsigned>> named;
    for (const Message &m : j.messages) {
        auto hops = m.hops();
        for (size_t k = 0; k < hops.size(); k++) {
            auto [a, b] = hops[k];
            const unsigned pid = agent_before(b) + 1, tid = a * 16 + b + 1;
            if (named.insert({pid, tid}).second)
                ev("\"ph\": \"M\", \"name\": \"thread_name\", \"pid\": " + std::to_string(pid) +
                   ", \"tid\": " + std::to_string(tid) + ", \"args\": {\"name\": \"" +
                   stamp_name(a) + " -> " + stamp_name(b) + "\"}");
            const std::string where = "\"pid\": " + std::to_string(pid) +
                                      ", \"tid\": " + std::to_string(tid) +
                                      ", \"ts\": " + us(m.t[a]);
            ev("\"ph\": \"X\", \"name\": \"" + m.kind + " " + std::to_string(m.size) +
               " B\", \"cat\": \"hop\", " + where + ", \"dur\": " + us(m.t[b] - m.t[a]) +
               ", \"args\": {\"message\": " + std::to_string(m.id) + "}");
            const char *ph = k == 0 ? "s" : k + 1 == hops.size() ? "f" : "t";
            if (hops.size() == 1)
                continue; /* a flow needs two slices */
            ev(std::string("\"ph\": \"") + ph + "\", \"name\": \"message\", \"cat\": \"msg\", \"id\": " +
               std::to_string(m.id) + ", " + where + (k + 1 == hops.size() ? ", \"bp\": \"e\"" : ""));
        }
    }
    for (const Series &s : j.series)
        for (const Point &p : s.pts)
            ev("\"ph\": \"C\", \"name\": \"" + s.name + "\", \"pid\": " +
               std::to_string(kCounterPid) + ", \"ts\": " + us(static_cast<int64_t>(p.t)) +
               ", \"args\": {\"" + s.unit + "\": " + std::to_string(p.v) + "}");
    if (!j.exhaustion.empty())
        ev("\"ph\": \"M\", \"name\": \"thread_name\", \"pid\": " + std::to_string(kCounterPid) +
           ", \"tid\": 1, \"args\": {\"name\": \"TX buffers exhausted\"}");
    for (const Interval &i : j.exhaustion)
        ev("\"ph\": \"X\", \"name\": \"" + i.what + "\", \"cat\": \"exhaustion\", \"pid\": " +
           std::to_string(kCounterPid) + ", \"tid\": 1, \"ts\": " +
           us(static_cast<int64_t>(i.start)) + ", \"dur\": " +
           us(static_cast<int64_t>(i.end - i.start)));
    f << "\n]}\n";
    return static_cast<bool>(f);
}

} // namespace rpvp::measure
