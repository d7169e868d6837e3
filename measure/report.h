/*
 * rpvp measurement reports: writers that read only the joined data (join.h).
 *   summary      human summary (stdout)
 *   report.json  machine-readable, schema docs/report-schema.json (versioned)
 *   messages.csv one row per message, every hop time stamp; occupancy.csv one row per
 *                occupancy sample
 *   trace.json   Chrome/Perfetto trace: a track per hop, grouped by agent; counters;
 *                one flow per message
 *   *.png        gnuplot plots: latency histogram and CDF per size class, per-hop
 *                stacked medians, occupancy and free TX buffers with exhaustion shaded
 * Only report.json's run.started_utc and run.wall_s depend on wall time; everything
 * else is a function of the simulated events.
 */
#ifndef RPVP_MEASURE_REPORT_H
#define RPVP_MEASURE_REPORT_H

#include <cstdio>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "join.h"

namespace rpvp::measure {

constexpr int kReportSchemaVersion = 1;
std::string utc_now(); /* "2026-12-06T05:30:00Z" */

struct RunInfo {
    RunInfo(std::string scenario_, std::string host_, std::string firmware_, uint64_t quantum,
            uint64_t m3_hz)
        : scenario(std::move(scenario_)), host(std::move(host_)),
          firmware(std::move(firmware_)), quantum_ns(quantum), m3_clock_hz(m3_hz),
          started_utc(utc_now())
    {
    }
    std::string scenario;   /* e.g. "echo" */
    std::string host;       /* "linux" or "synthetic" */
    std::string firmware;
    uint64_t quantum_ns = 0, m3_clock_hz = 0;
    std::string started_utc; /* wall clock at construction (excluded from comparisons) */
    double wall_s = 0;       /* wall clock (excluded from comparisons) */
    /* What the guest printed besides stamps (key -> value), e.g. exhaustion figures. */
    std::map<std::string, std::string> guest;
    /* Several remotes: the remote these events are of (-1: the only one). */
    int remote = -1;
    std::string remote_name;
};

/* One remote's events and run description (several remotes, report_remotes). */
struct RemoteEvents {
    explicit RemoteEvents(RunInfo r) : run(std::move(r)) {}
    RunInfo run;
    std::vector<rpvp_ev> events;
};

/* Nearest-rank percentiles of one sample set (ps). */
struct Dist {
    size_t n = 0;
    int64_t min = 0, p50 = 0, p90 = 0, p99 = 0, max = 0;
    double mean = 0;
};
Dist dist(std::vector<int64_t> v);

/* Size classes of the summary and the plots. */
struct SizeClass {
    uint32_t lo, hi;
    std::string name() const;
};
const std::vector<SizeClass> &size_classes();

/* Latency of one (kind, size class): the total and each hop. */
struct LatencyGroup {
    std::string kind;
    SizeClass cls;
    Dist total;
    std::vector<std::pair<std::pair<unsigned, unsigned>, Dist>> hops; /* in chain order */
};
std::vector<LatencyGroup> latency_groups(const Joined &j);

/* A run of at least 16 consecutive round trips of one size (a throughput phase). */
struct Burst {
    uint32_t size;
    size_t messages;
    int64_t start, end; /* ps */
    double msgs_per_s() const;
    double bytes_per_s() const;
};
std::vector<Burst> bursts(const Joined &j);

void write_summary(std::FILE *out, const Joined &j, const RunInfo &run);
/* Every file into dir (created if missing); false with the reason in *why. A failing
 * gnuplot is reported in *warnings, not as a failure of the rest. */
bool write_reports(const std::string &dir, const Joined &j, const RunInfo &run,
                   std::string *why, std::string *warnings);

/* One-file writers (used by write_reports). */
bool write_json(const std::string &path, const Joined &j, const RunInfo &run);
bool write_csv(const std::string &dir, const Joined &j);
bool write_trace(const std::string &path, const Joined &j);
bool write_plots(const std::string &dir, const Joined &j, std::string *why);

/* The front ends' part (rpvp, rpvp-synthetic). */
/* rpvp-out/<scenario>-<UTC time>[-N]: a folder not taken before, created here. */
std::string default_out_dir(const std::string &scenario);
/* Join the events, print the summary to `out`, write every file into dir and say where.
 * Returns false (reason on stderr) if the folder could not be written. */
bool report_run(const rpvp_ev *ev, size_t n, const RunInfo &run, const std::string &dir,
                std::FILE *out);

/* Several remotes: per remote the summary (headed by the remote) and every file into
 * dir/remote<r>/; then remotes.json in dir (schema docs/remotes-schema.json): each
 * remote's headline figures and the totals. false (reason on stderr) on a write error. */
bool report_remotes(const std::vector<RemoteEvents> &remotes, const std::string &dir,
                    std::FILE *out);

/* ps -> "12.345678" (microseconds, fixed 6 decimals: byte-identical across runs). */
std::string us(int64_t ps);
/* JSON pieces of the writers: a quoted string, a Dist object, a number with 3 decimals. */
std::string jstr(const std::string &s);
std::string jdist(const Dist &d);
std::string num(double v);

} // namespace rpvp::measure
#endif
