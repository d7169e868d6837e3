/* PNG plots with gnuplot (Debian's gnuplot-nox): the data files and script go to
 * <dir>/plot-data/, the images to <dir>. */
#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sys/stat.h>
#include <sys/wait.h>

#include "report.h"

namespace rpvp::measure {

static std::string q(const std::string &s)
{
    return "'" + s + "'";
}

/* What the latency plots show: round trips with one in flight (no queueing in their
 * hops); a program that always pipelines has only pipelined ones; else one-way messages. */
static std::string plotted_group(const Joined &j)
{
    for (const char *g : {"round_trip", "round_trip_pipelined", "to_remote"})
        for (const Message &m : j.messages)
            if (m.group() == g)
                return g;
    return "to_host";
}

bool write_plots(const std::string &dir, const Joined &j, std::string *why)
{
    const std::string group = plotted_group(j);
    const std::string what = group == "round_trip" ? "Round trip (one in flight)"
                             : group == "round_trip_pipelined" ? "Round trip (pipelined)"
                                                               : "One-way " + group;
    const std::string data = dir + "/plot-data";
    if (mkdir(data.c_str(), 0777) != 0 && errno != EEXIST) {
        *why = "cannot create " + data + ": " + std::strerror(errno);
        return false;
    }
    std::ofstream gp(data + "/plots.gp");
    gp << "set terminal pngcairo noenhanced size 1000,600 font ',10'\nset grid\n"
       << "set key outside right\n";

    /* Latency: histogram and CDF of the round trip, one curve per size class. */
    std::vector<std::string> classes;
    std::vector<int64_t> all; /* the histogram's x range: up to the 99th percentile */
    for (const SizeClass &c : size_classes()) {
        std::vector<int64_t> v;
        for (const Message &m : j.messages)
            if (m.group() == group && m.size >= c.lo && m.size <= c.hi)
                v.push_back(m.last() - m.first());
        if (v.empty())
            continue;
        std::sort(v.begin(), v.end());
        all.insert(all.end(), v.begin(), v.end());
        std::ofstream d(data + "/rt_" + c.name() + ".dat");
        for (size_t i = 0; i < v.size(); i++)
            d << us(v[i]) << " " << static_cast<double>(i + 1) / static_cast<double>(v.size()) << "\n";
        classes.push_back(c.name());
    }
    auto each_class = [&](const std::string &using_, const std::string &with) {
        std::string s;
        for (size_t i = 0; i < classes.size(); i++)
            s += (i ? ", " : "") + q(data + "/rt_" + classes[i] + ".dat") + " using " + using_ +
                 " " + with + " title " + q(classes[i] + " B");
        return s;
    };
    if (!classes.empty()) {
        gp << "set output " << q(dir + "/latency_hist.png") << "\n"
           << "set title '" << what << " latency (simulated), per message size'\n"
           << "set xlabel 'latency (us)'\nset ylabel 'messages'\nbinw = 0.5\n"
           << "bin(x) = binw * floor(x / binw) + binw / 2\nset boxwidth binw absolute\n"
           << "set style fill transparent solid 0.4\n"
           << "set xrange [0:" << us(dist(all).p99 * 5 / 4) << "]\n"
           << "plot " << each_class("(bin($1)):(1.0)", "smooth freq with boxes") << "\n"
           << "unset xrange\n";
        gp << "set output " << q(dir + "/latency_cdf.png") << "\n"
           << "set title '" << what << " latency CDF (simulated), per message size'\n"
           << "set xlabel 'latency (us, log scale)'\nset ylabel 'fraction of messages'\n"
           << "set yrange [0:1]\nset logscale x\n"
           << "plot " << each_class("1:2", "with steps lw 2") << "\nunset yrange\nunset logscale x\n";
    }

    /* Per-hop medians, stacked, per size class (round trips). */
    std::vector<std::pair<unsigned, unsigned>> cols;
    std::vector<LatencyGroup> groups;
    for (const LatencyGroup &g : latency_groups(j))
        if (g.kind == group) {
            groups.push_back(g);
            for (const auto &h : g.hops)
                if (std::find(cols.begin(), cols.end(), h.first) == cols.end())
                    cols.push_back(h.first);
        }
    if (!groups.empty()) {
        std::ofstream d(data + "/hops.dat");
        d << "class";
        for (auto c : cols)
            d << " " << stamp_name(c.first) << "->" << stamp_name(c.second);
        d << "\n";
        for (const LatencyGroup &g : groups) {
            d << g.cls.name();
            for (auto c : cols) {
                int64_t v = 0;
                for (const auto &h : g.hops)
                    if (h.first == c)
                        v = h.second.p50;
                d << " " << us(v);
            }
            d << "\n";
        }
        gp << "set output " << q(dir + "/hops.png") << "\n"
           << "set title 'Where a round trip goes: median of each hop (simulated), per size'\n"
           << "set xlabel 'message size (bytes)'\nset ylabel 'us'\n"
           << "set style data histograms\nset style histogram rowstacked\n"
           << "set style fill solid 0.8 border -1\nset boxwidth 0.6\n"
           << "plot for [c=2:" << cols.size() + 1 << "] " << q(data + "/hops.dat")
           << " using c:xtic(1) title columnheader\n"
           << "set style data lines\n";
    }

    /* Occupancy over time (ms since the first event), TX exhaustion shaded (at least
     * 0.3 % of the span wide, so that short intervals stay visible). */
    std::vector<std::string> names;
    auto ms = [&j](uint64_t t) { return us(static_cast<int64_t>(t - j.t_begin) / 1000); };
    for (const Series &s : j.series) {
        std::ofstream d(data + "/occ_" + s.name + ".dat");
        for (const Point &p : s.pts)
            d << ms(p.t) << " " << p.v << "\n";
        d << ms(j.t_end) << " " << (s.pts.empty() ? 0 : s.pts.back().v) << "\n";
        names.push_back(s.name);
    }
    if (!names.empty()) {
        gp << "set output " << q(dir + "/occupancy.png") << "\n"
           << "set title 'Occupancy over time (simulated); shaded: no free TX buffer'\n"
           << "set xlabel 'ms since the first event'\nset ylabel 'buffers / messages'\n";
        unsigned k = 1;
        const uint64_t min_w = (j.t_end - j.t_begin) / 300;
        for (const Interval &i : j.exhaustion)
            gp << "set object " << k++ << " rect from " << ms(i.start) << ", graph 0 to "
               << ms(std::max(i.end, i.start + min_w))
               << ", graph 1 fc rgb '#ffb0b0' fs solid 0.5 noborder behind\n";
        gp << "plot ";
        for (size_t i = 0; i < names.size(); i++)
            gp << (i ? ", " : "") << q(data + "/occ_" + names[i] + ".dat")
               << " using 1:2 with steps lw 2 title " << q(names[i]);
        gp << "\n";
    }
    gp.close();
    if (!gp) {
        *why = "cannot write " + data + "/plots.gp";
        return false;
    }
    const std::string cmd = "gnuplot " + q(data + "/plots.gp") + " 2>" + q(data + "/gnuplot.log");
    int rc = std::system(cmd.c_str());
    if (rc != 0) {
        *why = "gnuplot failed (status " + std::to_string(WIFEXITED(rc) ? WEXITSTATUS(rc) : rc) +
               "; is gnuplot-nox installed?), see " + data + "/gnuplot.log";
        return false;
    }
    return true;
}

} // namespace rpvp::measure
