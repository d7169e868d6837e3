/* Shared pieces of the report writers: distributions, size classes, bursts, the
 * summary, and write_reports (report.h). */
#include "report.h"

#include <algorithm>
#include <cerrno>
#include <cinttypes>
#include <cstring>
#include <sys/stat.h>
#include <ctime>
#include <unistd.h>

extern "C" {
#include "rpvp/stats.h"
}

namespace rpvp::measure {

std::string us(int64_t ps)
{
    char b[48];
    const char *sign = ps < 0 ? "-" : "";
    uint64_t a = ps < 0 ? static_cast<uint64_t>(-ps) : static_cast<uint64_t>(ps);
    std::snprintf(b, sizeof b, "%s%" PRIu64 ".%06" PRIu64, sign, a / 1000000, a % 1000000);
    return b;
}

Dist dist(std::vector<int64_t> v)
{
    Dist d;
    if (v.empty())
        return d;
    std::sort(v.begin(), v.end());
    std::vector<uint64_t> u(v.begin(), v.end());
    long double sum = 0;
    for (int64_t x : v)
        sum += x;
    d.n = v.size();
    d.min = v.front();
    d.max = v.back();
    /* Hops are non-negative here; rpvp_percentile_sorted is the project's nearest rank. */
    d.p50 = static_cast<int64_t>(rpvp_percentile_sorted(u.data(), u.size(), 50));
    d.p90 = static_cast<int64_t>(rpvp_percentile_sorted(u.data(), u.size(), 90));
    d.p99 = static_cast<int64_t>(rpvp_percentile_sorted(u.data(), u.size(), 99));
    d.mean = static_cast<double>(sum / static_cast<long double>(v.size()));
    return d;
}

std::string SizeClass::name() const
{
    return lo == hi ? std::to_string(lo) : std::to_string(lo) + "-" + std::to_string(hi);
}

const std::vector<SizeClass> &size_classes()
{
    static const std::vector<SizeClass> c = {{1, 16}, {17, 64}, {65, 128}, {129, 256},
                                             {257, 496}};
    return c;
}

std::vector<LatencyGroup> latency_groups(const Joined &j)
{
    std::vector<LatencyGroup> out;
    for (const char *kind : {"round_trip", "round_trip_pipelined", "to_remote", "to_host"}) {
        for (const SizeClass &c : size_classes()) {
            LatencyGroup g;
            g.kind = kind;
            g.cls = c;
            std::vector<int64_t> total;
            std::map<std::pair<unsigned, unsigned>, std::vector<int64_t>> hop;
            std::vector<std::pair<unsigned, unsigned>> order;
            for (const Message &m : j.messages) {
                if (m.group() != kind || m.size < c.lo || m.size > c.hi)
                    continue;
                total.push_back(m.last() - m.first());
                for (auto h : m.hops()) {
                    if (!hop.count(h))
                        order.push_back(h);
                    hop[h].push_back(m.t[h.second] - m.t[h.first]);
                }
            }
            if (total.empty())
                continue;
            g.total = dist(total);
            /* chain order, whatever order messages showed them in */
            const auto &ch = chain(kind == std::string("round_trip_pipelined") ? "round_trip" : kind);
            auto pos = [&ch](unsigned s) { return std::find(ch.begin(), ch.end(), s) - ch.begin(); };
            std::sort(order.begin(), order.end(), [&](auto a, auto b) {
                return std::make_pair(pos(a.first), pos(a.second)) <
                       std::make_pair(pos(b.first), pos(b.second));
            });
            for (auto h : order)
                g.hops.emplace_back(h, dist(hop[h]));
            out.push_back(g);
        }
    }
    return out;
}

double Burst::msgs_per_s() const
{
    return end > start ? static_cast<double>(messages) * 1e12 / static_cast<double>(end - start) : 0;
}

double Burst::bytes_per_s() const
{
    return msgs_per_s() * size;
}

std::vector<Burst> bursts(const Joined &j)
{
    std::vector<Burst> out;
    std::vector<const Message *> rt;
    for (const Message &m : j.messages)
        if (m.kind == "round_trip")
            rt.push_back(&m);
    for (size_t i = 0; i < rt.size();) {
        size_t k = i;
        while (k < rt.size() && rt[k]->size == rt[i]->size)
            k++;
        if (k - i >= 16) {
            Burst b{rt[i]->size, k - i, rt[i]->first(), 0};
            for (size_t x = i; x < k; x++)
                b.end = std::max(b.end, rt[x]->last());
            out.push_back(b);
        }
        i = k;
    }
    return out;
}

static std::string fmt_dist(const Dist &d)
{
    char b[160];
    std::snprintf(b, sizeof b, "%10s %10s %10s %10s", us(d.p50).c_str(), us(d.p90).c_str(),
                  us(d.p99).c_str(), us(d.max).c_str());
    return b;
}

void write_summary(std::FILE *out, const Joined &j, const RunInfo &run)
{
    std::map<std::string, size_t> kinds;
    for (const Message &m : j.messages)
        kinds[m.kind]++;
    std::fprintf(out, "measured by the platform (simulated time, us): %zu messages (%zu round "
                      "trips, %zu to the remote alone, %zu to the host alone), %" PRIu64 " events\n",
                 j.messages.size(), kinds["round_trip"], kinds["to_remote"], kinds["to_host"],
                 j.events);
    if (j.events_dropped)
        std::fprintf(out, "  event store full at %" PRIu64 " events (--measure-events): %" PRIu64
                          " later events from %.3f us on were counted, not stored; the "
                          "per-message figures cover the run until then (%" PRIu64
                          " messages in flight at the cut left out)\n",
                     j.events, j.events_dropped, static_cast<double>(j.dropped_from_ps) / 1e6,
                     j.messages_cut);
    for (const LatencyGroup &g : latency_groups(j)) {
        if (g.kind.rfind("round_trip", 0) != 0)
            continue;
        std::fprintf(out, "  %s, %s bytes, n=%zu          p50        p90        p99        max\n",
                     g.kind.c_str(), g.cls.name().c_str(), g.total.n);
        std::fprintf(out, "    %-26s %s\n", "total", fmt_dist(g.total).c_str());
        for (const auto &h : g.hops) {
            std::string name = std::string(stamp_name(h.first.first)) + " -> " +
                               stamp_name(h.first.second);
            std::fprintf(out, "    %-26s %s\n", name.c_str(), fmt_dist(h.second).c_str());
        }
    }
    for (const Burst &b : bursts(j))
        std::fprintf(out, "  throughput: %zu x %u B round trips: %.0f msg/s, %.3f MB/s each way\n",
                     b.messages, b.size, b.msgs_per_s(), b.bytes_per_s() / 1e6);
    uint64_t total = 0;
    for (const Interval &i : j.exhaustion)
        total += i.end - i.start;
    std::fprintf(out, "  TX exhaustion (no free TX buffer): %zu intervals, %s us in all\n",
                 j.exhaustion.size(), us(static_cast<int64_t>(total)).c_str());
    std::string hw;
    for (const auto &kv : j.high_water)
        if (kv.first.find("free_tx") == std::string::npos)
            hw += " " + kv.first + "=" + std::to_string(kv.second);
    std::fprintf(out, "  high-water marks:%s\n", hw.c_str());
    std::string c;
    for (const auto &kv : j.counters)
        c += " " + kv.first + "=" + std::to_string(kv.second);
    std::fprintf(out, "  counters:%s\n", c.c_str());
    for (const auto &kv : run.guest)
        std::fprintf(out, "  guest: %s = %s\n", kv.first.c_str(), kv.second.c_str());
}

static bool make_dir(const std::string &dir, std::string *why)
{
    std::string acc;
    for (size_t i = 0; i <= dir.size(); i++) {
        if (i == dir.size() || dir[i] == '/') {
            if (!acc.empty() && mkdir(acc.c_str(), 0777) != 0 && errno != EEXIST) {
                *why = "cannot create " + acc + ": " + std::strerror(errno);
                return false;
            }
        }
        if (i < dir.size())
            acc += dir[i];
    }
    return true;
}

std::string utc_now()
{
    char b[32];
    std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    std::strftime(b, sizeof b, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return b;
}

std::string default_out_dir(const std::string &scenario)
{
    char b[32];
    std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    std::strftime(b, sizeof b, "%Y%m%d-%H%M%S", &tm);
    std::string base = "rpvp-out/" + scenario + "-" + b, dir = base;
    /* Taken by creating it: runs started in the same second (a sweep) get -2, -3, ... */
    mkdir("rpvp-out", 0777);
    for (int k = 2; mkdir(dir.c_str(), 0777) != 0 && errno == EEXIST; k++)
        dir = base + "-" + std::to_string(k);
    return dir;
}

bool report_run(const rpvp_ev *ev, size_t n, const RunInfo &run, const std::string &dir,
                std::FILE *out)
{
    Joined j = join(ev, n);
    write_summary(out, j, run);
    std::string why, warn;
    if (!write_reports(dir, j, run, &why, &warn)) {
        std::fprintf(stderr, "rpvp: %s\n", why.c_str());
        return false;
    }
    if (!warn.empty())
        std::fprintf(stderr, "rpvp: %s", warn.c_str());
    std::fprintf(out, "  reports: %s/ (report.json, messages.csv, occupancy.csv, trace.json "
                      "for ui.perfetto.dev, *.png)\n", dir.c_str());
    return true;
}

bool write_reports(const std::string &dir, const Joined &j, const RunInfo &run,
                   std::string *why, std::string *warnings)
{
    if (!make_dir(dir, why))
        return false;
    if (!write_json(dir + "/report.json", j, run) || !write_csv(dir, j) ||
        !write_trace(dir + "/trace.json", j)) {
        *why = "cannot write the reports into " + dir + ": " + std::strerror(errno);
        return false;
    }
    std::string pw;
    if (!write_plots(dir, j, &pw))
        *warnings += "plots not written: " + pw + "\n";
    return true;
}

} // namespace rpvp::measure
