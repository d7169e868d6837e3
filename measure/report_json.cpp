/* report.json (schema docs/report-schema.json, version kReportSchemaVersion). */
#include <fstream>
#include <sstream>

#include "report.h"

namespace rpvp::measure {

std::string jstr(const std::string &s)
{
    std::string o = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\')
            o += '\\', o += c;
        else if (static_cast<unsigned char>(c) < 0x20) {
            char b[8];
            std::snprintf(b, sizeof b, "\\u%04x", c);
            o += b;
        } else
            o += c;
    }
    return o + "\"";
}

std::string jdist(const Dist &d)
{
    std::ostringstream o;
    o << "{\"n\": " << d.n << ", \"min\": " << us(d.min) << ", \"p50\": " << us(d.p50)
      << ", \"p90\": " << us(d.p90) << ", \"p99\": " << us(d.p99) << ", \"max\": " << us(d.max)
      << ", \"mean\": " << us(static_cast<int64_t>(d.mean + 0.5)) << "}";
    return o.str();
}

std::string num(double v)
{
    char b[64];
    std::snprintf(b, sizeof b, "%.3f", v);
    return b;
}

bool write_json(const std::string &path, const Joined &j, const RunInfo &run)
{
    std::ofstream f(path);
    if (!f)
        return false;
    std::map<std::string, size_t> kinds;
    for (const Message &m : j.messages)
        kinds[m.kind]++;
    f << "{\n  \"schema\": \"rpvp-report\",\n  \"schema_version\": " << kReportSchemaVersion
      << ",\n  \"time_unit\": \"us\",\n";
    f << "  \"run\": {\"scenario\": " << jstr(run.scenario) << ", \"host\": " << jstr(run.host)
      << ", \"firmware\": " << jstr(run.firmware) << ", \"quantum_ns\": " << run.quantum_ns
      << ", \"m3_clock_hz\": " << run.m3_clock_hz;
    if (run.remote >= 0) /* several remotes: whose events these are */
        f << ", \"remote\": {\"index\": " << run.remote << ", \"name\": "
          << jstr(run.remote_name) << "}";
    f << ", \"started_utc\": " << jstr(run.started_utc) << ", \"wall_s\": " << num(run.wall_s)
      << "},\n";
    f << "  \"span\": {\"begin\": " << us(static_cast<int64_t>(j.t_begin))
      << ", \"end\": " << us(static_cast<int64_t>(j.t_end)) << ", \"events\": " << j.events
      << ", \"events_dropped\": " << j.events_dropped << ", \"dropped_from\": "
      << (j.events_dropped ? us(j.dropped_from_ps) : std::string("null"))
      << ", \"messages_cut\": " << j.messages_cut << "},\n";
    f << "  \"messages\": {\"count\": " << j.messages.size() << ", \"round_trip\": "
      << kinds["round_trip"] << ", \"to_remote\": " << kinds["to_remote"]
      << ", \"to_host\": " << kinds["to_host"] << "},\n";
    f << "  \"latency\": [";
    const char *sep = "\n";
    for (const LatencyGroup &g : latency_groups(j)) {
        f << sep << "    {\"kind\": " << jstr(g.kind) << ", \"size_min\": " << g.cls.lo
          << ", \"size_max\": " << g.cls.hi << ", \"total\": " << jdist(g.total)
          << ", \"hops\": [";
        const char *hs = "";
        for (const auto &h : g.hops) {
            f << hs << "\n      {\"from\": " << jstr(stamp_name(h.first.first))
              << ", \"to\": " << jstr(stamp_name(h.first.second)) << ", \"latency\": "
              << jdist(h.second) << "}";
            hs = ",";
        }
        f << "]}";
        sep = ",\n";
    }
    f << "\n  ],\n  \"throughput\": [";
    sep = "\n";
    for (const Burst &b : bursts(j)) {
        f << sep << "    {\"size\": " << b.size << ", \"messages\": " << b.messages
          << ", \"start\": " << us(b.start) << ", \"end\": " << us(b.end)
          << ", \"msgs_per_s\": " << num(b.msgs_per_s()) << ", \"bytes_per_s\": "
          << num(b.bytes_per_s()) << "}";
        sep = ",\n";
    }
    uint64_t total = 0;
    for (const Interval &i : j.exhaustion)
        total += i.end - i.start;
    f << "\n  ],\n  \"exhaustion\": {\"count\": " << j.exhaustion.size()
      << ", \"total\": " << us(static_cast<int64_t>(total)) << ", \"intervals\": [";
    sep = "";
    for (const Interval &i : j.exhaustion) {
        f << sep << "{\"what\": " << jstr(i.what) << ", \"start\": "
          << us(static_cast<int64_t>(i.start)) << ", \"end\": " << us(static_cast<int64_t>(i.end))
          << ", \"duration\": " << us(static_cast<int64_t>(i.end - i.start)) << "}";
        sep = ", ";
    }
    f << "]},\n  \"high_water\": {";
    sep = "";
    for (const auto &kv : j.high_water) {
        f << sep << jstr(kv.first) << ": " << kv.second;
        sep = ", ";
    }
    f << "},\n  \"counters\": {";
    sep = "";
    for (const auto &kv : j.counters) {
        f << sep << jstr(kv.first) << ": " << kv.second;
        sep = ", ";
    }
    f << "},\n  \"guest\": {";
    sep = "";
    for (const auto &kv : run.guest) {
        f << sep << jstr(kv.first) << ": " << jstr(kv.second);
        sep = ", ";
    }
    f << "},\n  \"files\": {\"messages_csv\": \"messages.csv\", \"occupancy_csv\": "
         "\"occupancy.csv\", \"trace\": \"trace.json\", \"plots\": [\"latency_hist.png\", "
         "\"latency_cdf.png\", \"hops.png\", \"occupancy.png\"]}\n}\n";
    return static_cast<bool>(f);
}

} // namespace rpvp::measure
