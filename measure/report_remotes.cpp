/* Several remotes (report.h, report_remotes): each remote's events joined apart (their
 * descriptors, FIFOs and sequence numbers are the remote's own), its summary and files
 * in dir/remote<r>/, and remotes.json with the headline figures per remote and in total. */
#include <fstream>

#include "report.h"

namespace rpvp::measure {

namespace {

/* Round trips with one in flight (the latency phase), all sizes: the headline RTT. */
std::vector<int64_t> round_trips(const Joined &j)
{
    std::vector<int64_t> v;
    for (const Message &m : j.messages)
        if (m.group() == "round_trip")
            v.push_back(m.last() - m.first());
    return v;
}

size_t count_kind(const Joined &j, const char *kind)
{
    size_t n = 0;
    for (const Message &m : j.messages)
        n += m.kind == kind;
    return n;
}

/* The mailbox FIFOs' high-water marks ("fifoN.depth") of one remote's instance. */
std::string fifo_high_water(const Joined &j)
{
    std::string o = "{", sep;
    for (const auto &kv : j.high_water)
        if (kv.first.rfind("fifo", 0) == 0) {
            o += sep + jstr(kv.first) + ": " + std::to_string(kv.second);
            sep = ", ";
        }
    return o + "}";
}

std::string throughput(const Joined &j)
{
    std::string o = "[", sep;
    for (const Burst &b : bursts(j)) {
        o += sep + "{\"size\": " + std::to_string(b.size) + ", \"messages\": " +
             std::to_string(b.messages) + ", \"msgs_per_s\": " + num(b.msgs_per_s()) +
             ", \"bytes_per_s\": " + num(b.bytes_per_s()) + "}";
        sep = ", ";
    }
    return o + "]";
}

std::string dist_or_null(const std::vector<int64_t> &v)
{
    return v.empty() ? "null" : jdist(dist(v));
}

} // namespace

bool report_remotes(const std::vector<RemoteEvents> &remotes, const std::string &dir,
                    std::FILE *out)
{
    std::ofstream f(dir + "/remotes.json");
    if (!f) {
        std::fprintf(stderr, "rpvp: cannot write %s/remotes.json\n", dir.c_str());
        return false;
    }
    f << "{\n  \"schema\": \"rpvp-remotes\",\n  \"schema_version\": 1,\n"
         "  \"time_unit\": \"us\",\n  \"remotes\": [";
    std::vector<int64_t> all_rtt;
    size_t messages = 0, rtts = 0;
    uint64_t events = 0;
    const char *sep = "\n";
    for (size_t r = 0; r < remotes.size(); r++) {
        const RemoteEvents &re = remotes[r];
        const std::string sub = "remote" + std::to_string(r);
        std::fprintf(out, "remote %zu (%s):\n", r, re.run.remote_name.c_str());
        const Joined j = join(re.events.data(), re.events.size());
        write_summary(out, j, re.run);
        std::string why, warn;
        if (!write_reports(dir + "/" + sub, j, re.run, &why, &warn)) {
            std::fprintf(stderr, "rpvp: %s\n", why.c_str());
            return false;
        }
        if (!warn.empty())
            std::fprintf(stderr, "rpvp: %s", warn.c_str());
        const std::vector<int64_t> rtt = round_trips(j);
        all_rtt.insert(all_rtt.end(), rtt.begin(), rtt.end());
        messages += j.messages.size();
        rtts += count_kind(j, "round_trip");
        events += j.events;
        f << sep << "    {\"index\": " << r << ", \"name\": " << jstr(re.run.remote_name)
          << ", \"folder\": " << jstr(sub) << ", \"firmware\": " << jstr(re.run.firmware)
          << ", \"m3_clock_hz\": " << re.run.m3_clock_hz
          << ",\n     \"messages\": " << j.messages.size()
          << ", \"round_trips\": " << count_kind(j, "round_trip") << ", \"events\": " << j.events
          << ",\n     \"round_trip\": " << dist_or_null(rtt)
          << ",\n     \"throughput\": " << throughput(j)
          << ",\n     \"mailbox_fifo_high_water\": " << fifo_high_water(j) << "}";
        sep = ",\n";
    }
    f << "\n  ],\n  \"total\": {\"messages\": " << messages << ", \"round_trips\": " << rtts
      << ", \"events\": " << events << ", \"round_trip\": " << dist_or_null(all_rtt) << "}\n}\n";
    if (!f) {
        std::fprintf(stderr, "rpvp: cannot write %s/remotes.json\n", dir.c_str());
        return false;
    }
    std::fprintf(out, "  all remotes: %zu messages (%zu round trips), %llu events; reports: "
                      "%s/ (remotes.json, remote<r>/)\n",
                 messages, rtts, static_cast<unsigned long long>(events), dir.c_str());
    return true;
}

} // namespace rpvp::measure
