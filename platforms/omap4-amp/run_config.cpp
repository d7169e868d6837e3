/* The run configuration (run_config.h): option table, scenario files, command line. */
#include "run_config.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <algorithm>
#include <cstring>
#include <sys/stat.h>

#include <CLI/CLI.hpp>
#include <yaml-cpp/yaml.h>

#include "guest_content.h"
#include "value_parse.h"

namespace rpvp {

namespace {

constexpr unsigned kMaxPayload = 496; /* RPMSG_MAX_PAYLOAD: 512-byte buffers, 16-byte header */

template <uint64_t Lo, uint64_t Hi, Unit U, uint64_t RunConfig::*M>
std::string set_uint(RunConfig &c, const std::string &v)
{
    return parse_uint(v, Lo, Hi, U, &(c.*M));
}

template <uint64_t RunConfig::*M>
std::string get_uint(const RunConfig &c)
{
    return std::to_string(c.*M);
}

template <bool RunConfig::*M>
std::string set_bool(RunConfig &c, const std::string &v)
{
    return parse_bool(v, &(c.*M));
}

template <bool RunConfig::*M>
std::string get_bool(const RunConfig &c)
{
    return c.*M ? "true" : "false";
}

template <std::string RunConfig::*M>
std::string set_path(RunConfig &c, const std::string &v)
{
    if (v.find('\n') != std::string::npos)
        return "a path with a newline";
    c.*M = v;
    return "";
}

template <std::string RunConfig::*M>
std::string get_str(const RunConfig &c)
{
    return c.*M;
}

template <std::string RunConfig::*M>
std::string set_text(RunConfig &c, const std::string &v)
{
    if (v.find('\0') != std::string::npos)
        return "a NUL character in the text";
    c.*M = v;
    return "";
}

/* An rpmsg channel name: 1..31 characters (RPMSG_NAME_SIZE with its NUL), no spaces. */
std::string set_channel(RunConfig &c, const std::string &v)
{
    if (v.empty() || v.size() > 31)
        return "a channel name has 1..31 characters";
    for (char ch : v)
        if (ch <= ' ' || ch > '~')
            return "a channel name has no spaces or control characters";
    c.channel = v;
    return "";
}

std::string set_host(RunConfig &c, const std::string &v)
{
    if (v != "linux" && v != "synthetic")
        return "unknown host (linux or synthetic)";
    c.host = v;
    return "";
}

std::string set_route(RunConfig &c, const std::string &v)
{
    if (v != "virtio-mmio" && v != "remoteproc")
        return "unknown route (virtio-mmio or remoteproc)";
    c.linux_route = v;
    return "";
}

std::string set_sizes(RunConfig &c, const std::string &v)
{
    return parse_sizes(v, kMaxPayload, true, &c.sizes);
}

std::string get_sizes(const RunConfig &c) { return format_sizes(c.sizes); }

std::string set_mode(RunConfig &c, const std::string &v)
{
    if (v != "echo" && v != "exhaust")
        return "unknown mode (echo or exhaust)";
    c.mode = v;
    return "";
}

std::string set_crash(RunConfig &c, const std::string &v)
{
    /* "": no crash (what --dump-config writes back for the default) */
    if (!v.empty() && v != "fault" && v != "undef" && v != "watchdog")
        return "unknown crash (fault, undef or watchdog)";
    c.crash = v;
    return "";
}

/* The items of a comma-separated list ("a" -> {"a"}). */
std::vector<std::string> split_list(const std::string &v)
{
    std::vector<std::string> l;
    for (size_t a = 0, b; a <= v.size(); a = b + 1) {
        b = std::min(v.find(',', a), v.size());
        l.push_back(v.substr(a, b - a));
    }
    return l;
}

/* One clock for every M3, or one per remote: "200MHz" or "200MHz,100MHz". */
std::string set_m3_clocks(RunConfig &c, const std::string &v)
{
    std::vector<uint64_t> hz;
    for (const std::string &item : split_list(v)) {
        uint64_t f = 0;
        const std::string e = parse_uint(item, 1000000, 1000000000, Unit::Frequency, &f);
        if (!e.empty())
            return e;
        hz.push_back(f);
    }
    if (hz.size() > 4)
        return "at most 4 clocks (one per remote)";
    c.m3_clock_hz = hz[0];
    c.m3_clocks = hz.size() > 1 ? hz : std::vector<uint64_t>{};
    return "";
}

std::string get_m3_clocks(const RunConfig &c)
{
    if (c.m3_clocks.empty())
        return std::to_string(c.m3_clock_hz);
    std::string s;
    for (uint64_t f : c.m3_clocks)
        s += (s.empty() ? "" : ",") + std::to_string(f);
    return s;
}

std::string set_m3_unicache(RunConfig &c, const std::string &v)
{
    std::vector<bool> on;
    for (const std::string &item : split_list(v)) {
        bool b = false;
        const std::string e = parse_bool(item, &b);
        if (!e.empty())
            return e;
        on.push_back(b);
    }
    if (on.size() > 4)
        return "at most 4 values (one per remote)";
    c.m3_unicache = on;
    return "";
}

std::string get_m3_unicache(const RunConfig &c)
{
    std::string s;
    for (bool b : c.m3_unicache)
        s += std::string(s.empty() ? "" : ",") + (b ? "true" : "false");
    return s;
}

std::string set_mailbox(RunConfig &c, const std::string &v)
{
    if (v != "tlm" && v != "rtl" && v != "both")
        return "unknown mailbox model (tlm, rtl or both)";
    c.mailbox = v;
    return "";
}

std::string set_mailbox_trace(RunConfig &c, const std::string &v)
{
    auto ends = [&](const char *ext) {
        return v.size() > 4 && v.compare(v.size() - 4, 4, ext) == 0;
    };
    if (!v.empty() && !ends(".vcd") && !ends(".fst")) /* "": no waveforms */
        return "the waveform file's name must end in .vcd or .fst";
    return set_path<&RunConfig::mailbox_trace>(c, v);
}

const std::vector<OptionSpec> kOptions = {
    {"host", "linux|synthetic",
     "what drives the platform: Linux on QEMU, or the synthetic host (a C model of Linux's "
     "drivers, in this process)", Hosts::Both, false, set_host, get_str<&RunConfig::host>},
    {"firmware", "ELF", "the firmware ELF the Cortex-M3 runs", Hosts::Both, false,
     set_path<&RunConfig::firmware>, get_str<&RunConfig::firmware>},
    {"plugin", "SO", "the rpvp plugin QEMU loads", Hosts::Linux, false,
     set_path<&RunConfig::plugin>, get_str<&RunConfig::plugin>},
    {"count", "N", "echo messages per size (1..100000000)", Hosts::Both, true,
     set_uint<1, 100000000, Unit::None, &RunConfig::count>, get_uint<&RunConfig::count>},
    {"sizes", "A,B,...", "message sizes in bytes, 1..496 ('random': uniform sizes, "
     "synthetic host only)", Hosts::Both, false, set_sizes, get_sizes},
    {"seed", "N", "seed of the 'random' sizes", Hosts::Synthetic, true,
     set_uint<0, UINT64_MAX, Unit::None, &RunConfig::seed>, get_uint<&RunConfig::seed>},
    {"quantum-ns", "T", "the quantum: how far QEMU and the M3 run ahead of SystemC "
     "(100 ns..1 ms; units ns, us, ms)", Hosts::Both, true,
     set_uint<100, 1000000, Unit::TimeNs, &RunConfig::quantum_ns>,
     get_uint<&RunConfig::quantum_ns>},
    {"m3-clock-hz", "F[,F...]", "the Cortex-M3's clock (1 MHz..1 GHz; units Hz, kHz, MHz, "
     "GHz); with --remotes, one for all or one per remote, comma-separated", Hosts::Both,
     true, set_m3_clocks, get_m3_clocks},
    {"m3-unicache", "true|false[,...]", "Ducati's Unicache in front of the M3's carveout "
     "(true: code and data at zero wait states; false: every access at the DDR's latency); "
     "with --remotes, one for all or one per remote", Hosts::Both, false, set_m3_unicache,
     get_m3_unicache},
    {"virtio-version", "1|2", "the virtio-mmio version the device offers", Hosts::Synthetic,
     true, set_uint<1, 2, Unit::None, &RunConfig::virtio_version>,
     get_uint<&RunConfig::virtio_version>},
    {"slow-us", "N", "rpvp-slow's time per message in the TX exhaustion phase (1..1000000 us)",
     Hosts::Synthetic, true, set_uint<1, 1000000, Unit::None, &RunConfig::slow_us>,
     get_uint<&RunConfig::slow_us>},
    {"channel", "NAME", "the channel the echo phases use: the name your firmware announces "
     "(a firmware without rpvp-ctrl gets the echo phases only)", Hosts::Synthetic, false,
     set_channel, get_str<&RunConfig::channel>},
    {"console", nullptr, "the guest console on the terminal too", Hosts::Linux, false,
     set_bool<&RunConfig::console>, get_bool<&RunConfig::console>},
    {"quiet", nullptr, "no progress lines", Hosts::Both, false, set_bool<&RunConfig::quiet>,
     get_bool<&RunConfig::quiet>},
    {"log", "FILE", "the guest console log (default rpvp-console-<pid>.log)", Hosts::Linux,
     false, set_path<&RunConfig::log>, get_str<&RunConfig::log>},
    {"timeout", "T", "wall-time limit of the run (0: none; units s, m, h)", Hosts::Both, true,
     set_uint<0, 7 * 24 * 3600, Unit::Seconds, &RunConfig::timeout_s>,
     get_uint<&RunConfig::timeout_s>},
    {"json", "FILE", "write the configuration and results as JSON", Hosts::Both, false,
     set_path<&RunConfig::json>, get_str<&RunConfig::json>},
    {"csv", "FILE", "write every echo's round trip as CSV", Hosts::Synthetic, false,
     set_path<&RunConfig::csv>, get_str<&RunConfig::csv>},
    {"out", "DIR", "the measurement reports: summary files, CSV, Perfetto trace, plots "
     "(default rpvp-out/<mode>-<time>; docs/measurement.md)", Hosts::Both, false,
     set_path<&RunConfig::out>, get_str<&RunConfig::out>},
    {"mode", "echo|exhaust", "what the Linux benchmark runs: echo round trips and throughput, "
     "or exhaust (blocking, O_NONBLOCK and poll() writes against the firmware's slow "
     "consumer)", Hosts::Linux, false, set_mode, get_str<&RunConfig::mode>},
    {"window", "N", "echo throughput phase: messages in flight (1..4096; past the 256 TX "
     "buffers, writes wait)", Hosts::Linux, true,
     set_uint<1, 4096, Unit::None, &RunConfig::window>, get_uint<&RunConfig::window>},
    {"stream", "N", "echo throughput phase: messages per size (1..1000000; more than the "
     "window fills the ring)", Hosts::Linux, true,
     set_uint<1, 1000000, Unit::None, &RunConfig::stream>, get_uint<&RunConfig::stream>},
    {"measure", "true|false", "the platform's measurement events (false: only to measure "
     "their cost)", Hosts::Both, false, set_bool<&RunConfig::measure>,
     get_bool<&RunConfig::measure>},
    {"measure-events", "N", "events the measurement stores per remote (about 21 per round "
     "trip, 40 bytes each; later ones are counted, and the report says from when it has no "
     "per-message detail; 0: no limit, memory then grows with the run)", Hosts::Both, true,
     set_uint<0, (1ull << 32), Unit::None, &RunConfig::measure_events>,
     get_uint<&RunConfig::measure_events>},
    {"count-ddr", nullptr, "count each Cortex-M3's loads and stores to the DDR, which go "
     "through direct memory access that no bus counter sees (same simulated times; the M3 "
     "runs loads and stores through its interpreter, so the run is slower)", Hosts::Both,
     false, set_bool<&RunConfig::count_ddr>, get_bool<&RunConfig::count_ddr>},
    {"remotes", "N", "Cortex-M3 remotes, each with its own firmware, carveout, mailbox "
     "instance and rpmsg device (1..4); --firmware then takes one ELF per remote, "
     "comma-separated (default: the reference firmware built for each remote)", Hosts::Linux,
     true, set_uint<1, 4, Unit::None, &RunConfig::remotes>, get_uint<&RunConfig::remotes>},
    {"interference", nullptr, "(--remotes >= 2) remote 0's echo latency alone, then again "
     "while remote 1 streams at full rate, in one run", Hosts::Linux, false,
     set_bool<&RunConfig::interference>, get_bool<&RunConfig::interference>},
    {"m3-gdb", "PORT", "the M3 waits at reset for gdb-multiarch on 127.0.0.1:PORT (0: no gdb); "
     "simulated time stands still while gdb holds the core", Hosts::Both, true,
     set_uint<0, 65535, Unit::None, &RunConfig::m3_gdb_port>,
     get_uint<&RunConfig::m3_gdb_port>},
    {"crash", "fault|undef|watchdog", "the firmware crashes on purpose during echo traffic "
     "(synthetic host: halfway through the first echo phase; Linux: the benchmark's crash "
     "phase after its echo phases): a bus fault or an undefined instruction in "
     "fw_fault_inject(), or it stops refreshing its watchdog. rpvp writes the M3's ELF core "
     "and prints the decoded fault; the synthetic host and the virtio-mmio route stop with "
     "status 1, on the remoteproc route Linux dumps and recovers the remote and traffic "
     "resumes (docs/firmware.md, \"Crash\")", Hosts::Both, false, set_crash,
     get_str<&RunConfig::crash>},
    {"m3-core", "FILE", "where the M3's ELF core is written when it crashes (default "
     "rpvp-m3.core, later crashes FILE.2, ...; gdb-multiarch FIRMWARE FILE)", Hosts::Both, false,
     set_path<&RunConfig::m3_core>, get_str<&RunConfig::m3_core>},
    {"guest-overlay", "DIR", "a directory tree added to the guest's root file system "
     "(programs, modules, /etc files) for this run", Hosts::Linux, false,
     set_path<&RunConfig::guest_overlay>, get_str<&RunConfig::guest_overlay>},
    {"guest-run", "CMD", "a shell command the guest runs instead of rpvp's benchmark, once "
     "the rpmsg transport is up; its exit status is rpvp's", Hosts::Linux, false,
     set_text<&RunConfig::guest_run>, get_str<&RunConfig::guest_run>},
    {"kernel", "ZIMAGE", "your own armhf kernel instead of Debian's", Hosts::Linux, false,
     set_path<&RunConfig::kernel>, get_str<&RunConfig::kernel>},
    {"modules", "DIR", "the lib/modules/<release> folder (after depmod) of that kernel",
     Hosts::Linux, false, set_path<&RunConfig::modules>, get_str<&RunConfig::modules>},
    {"dt-overlay", "FILE.dts", "device-tree source appended to the generated device tree",
     Hosts::Linux, false, set_path<&RunConfig::dt_overlay>, get_str<&RunConfig::dt_overlay>},
    {"linux-route", "virtio-mmio|remoteproc", "how Linux reaches the remote: rpvp's "
     "virtio-mmio rpmsg device (rpvp loads the firmware), or Linux's own remoteproc "
     "(stm32_rproc loads, starts and stops it through rpvp's mailbox, syscon and reset)",
     Hosts::Linux, false, set_route, get_str<&RunConfig::linux_route>},
    {"remote-running", nullptr, "remoteproc route: rpvp starts the firmware before Linux "
     "boots and Linux attaches to it", Hosts::Linux, false,
     set_bool<&RunConfig::remote_running>, get_bool<&RunConfig::remote_running>},
    {"restarts", "N", "remoteproc route: after the benchmark stop the remote, check its "
     "channels are gone, start it and benchmark again, N times (0..100)", Hosts::Linux, true,
     set_uint<0, 100, Unit::None, &RunConfig::restarts>, get_uint<&RunConfig::restarts>},
    {"detach", nullptr, "remoteproc route with --remote-running: each restart "
     "(--restarts) detaches Linux from the running remote (its channels go, the M3 keeps "
     "running) and attaches again, instead of stopping and booting it", Hosts::Linux, false,
     set_bool<&RunConfig::detach>, get_bool<&RunConfig::detach>},
    {"mailbox", "tlm|rtl|both", "the mailbox: its C model (tlm), its verilated RTL (rtl), or "
     "both compared at every access (the first divergence stops the run with a report)",
     Hosts::Both, false, set_mailbox, get_str<&RunConfig::mailbox>},
    {"mailbox-trace", "FILE", "the mailbox RTL's waveforms (FILE.vcd or FILE.fst, GTKWave); "
     "with --mailbox=rtl or both", Hosts::Both, false, set_mailbox_trace,
     get_str<&RunConfig::mailbox_trace>},
    {"trace-devices", nullptr, "one line on stderr per mailbox and virtio-mmio register "
     "access (tools/fuzz-seeds.sh records fuzz seeds from them)", Hosts::Synthetic, false,
     set_bool<&RunConfig::trace_devices>, get_bool<&RunConfig::trace_devices>},
};

const char *host_name(Hosts h)
{
    return h == Hosts::Linux ? "linux" : h == Hosts::Synthetic ? "synthetic" : "any";
}

bool applies(Hosts h, const std::string &host)
{
    return h == Hosts::Both || host == host_name(h);
}

/* A scalar of a scenario file as the setter reads it; "" with *err on a wrong type. */
std::string scalar_text(const OptionSpec &o, const YAML::Node &n, std::string *err)
{
    if (o.key == std::string("sizes") && n.IsSequence()) {
        std::string s;
        for (const YAML::Node &e : n) {
            if (!e.IsScalar()) {
                *err = "wrong type: a list of sizes holds numbers";
                return "";
            }
            s += (s.empty() ? "" : ",") + e.Scalar();
        }
        if (s.empty())
            *err = "an empty list";
        return s;
    }
    const char *want = o.number ? "a number" : o.value_name ? "a string" : "true or false";
    if (n.IsSequence() || n.IsMap()) {
        *err = std::string("wrong type: ") + (n.IsMap() ? "a mapping" : "a list") +
               " where " + want + " is expected";
        return "";
    }
    if (!n.IsScalar()) {
        *err = std::string("no value (") + want + " is expected)";
        return "";
    }
    if ((o.number || !o.value_name) && n.Tag() == "!") {
        *err = std::string("wrong type: a quoted string where ") + want + " is expected";
        return "";
    }
    return n.Scalar();
}

bool writable_path(const std::string &path, std::string *why)
{
    struct stat st;
    if (stat(path.c_str(), &st) == 0) {
        if (S_ISDIR(st.st_mode))
            return *why = "is a directory", false;
        if (access(path.c_str(), W_OK) != 0)
            return *why = "not writable", false;
        return true;
    }
    const size_t slash = path.rfind('/');
    const std::string dir = slash == std::string::npos ? "." : slash == 0 ? "/"
                                                               : path.substr(0, slash);
    if (stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
        return *why = "its folder " + dir + " does not exist", false;
    if (access(dir.c_str(), W_OK) != 0)
        return *why = "its folder " + dir + " is not writable", false;
    return true;
}

} // namespace

const std::vector<OptionSpec> &run_options() { return kOptions; }

std::vector<std::string> firmware_list(const RunConfig &c)
{
    return split_list(c.firmware);
}

uint64_t m3_clock_of(const RunConfig &c, unsigned r)
{
    return r < c.m3_clocks.size() ? c.m3_clocks[r] : c.m3_clock_hz;
}

bool m3_unicache_of(const RunConfig &c, unsigned r)
{
    return c.m3_unicache[c.m3_unicache.size() == 1 ? 0 : r];
}

const OptionSpec *find_option(const std::string &key)
{
    for (const OptionSpec &o : kOptions)
        if (key == o.key)
            return &o;
    return nullptr;
}

std::string load_scenario(const std::string &path, RunConfig *c)
{
    YAML::Node root;
    try {
        root = YAML::LoadFile(path);
    } catch (const YAML::BadFile &) {
        return path + ": cannot read the scenario file";
    } catch (const YAML::Exception &e) {
        return path + ":" + std::to_string(e.mark.line + 1) + ": not valid YAML: " + e.msg;
    }
    if (root.IsNull())
        return "";
    if (!root.IsMap())
        return path + ":" + std::to_string(root.Mark().line + 1) +
               ": a scenario file is a mapping of option keys to values";
    for (auto it = root.begin(); it != root.end(); ++it) {
        const std::string key = it->first.Scalar();
        const std::string where = path + ":" + std::to_string(it->first.Mark().line + 1) + ": ";
        if (key == "sweep")
            continue; /* read by `rpvp sweep` (sweep.h) */
        const OptionSpec *o = find_option(key);
        if (!o) {
            std::string known;
            for (const OptionSpec &k : kOptions)
                known += std::string(known.empty() ? "" : ", ") + k.key;
            return where + key + ": unknown key (known keys: " + known + ", sweep)";
        }
        std::string err;
        const std::string text = scalar_text(*o, it->second, &err);
        if (err.empty())
            err = o->set(*c, text);
        if (!err.empty())
            return where + key + ": " + err + (text.empty() ? "" : " ('" + text + "')");
        c->origin[key] = path + ":" + std::to_string(it->first.Mark().line + 1);
    }
    return "";
}

std::string check_config(const RunConfig &c, const RunConfig &defaults)
{
    for (const OptionSpec &o : kOptions)
        if (!applies(o.hosts, c.host) && o.get(c) != o.get(defaults))
        {
            auto from = c.origin.find(o.key);
            return std::string(o.key) + " (" +
                   (from == c.origin.end() ? std::string("default") : from->second) +
                   ") applies to --host=" + host_name(o.hosts) + " only";
        }
    if (c.host == "linux")
        for (unsigned s : c.sizes)
            if (s == 0)
                return "sizes: 'random' sizes are only available with --host=synthetic";
    if ((c.remote_running || c.restarts) && c.linux_route != "remoteproc")
        return std::string(c.remote_running ? "remote-running" : "restarts") +
               " needs --linux-route=remoteproc";
    if (c.detach && (!c.remote_running || !c.restarts))
        return "detach needs --remote-running (Linux attached) and --restarts=1 or more";
    if (!c.crash.empty() && c.host == "linux" &&
        (c.mode != "echo" || !c.guest_run.empty() || c.remotes > 1))
        return "crash: with --host=linux, rpvp's echo benchmark on one remote sends the crash "
               "command (--mode=echo, no --guest-run, --remotes=1)";
    if (!c.guest_run.empty() && c.linux_route == "remoteproc")
        return "guest-run: not on the remoteproc route yet (its init runs rpvp's benchmark)";
    const std::vector<std::string> fws = firmware_list(c);
    if (fws.size() != 1 && fws.size() != c.remotes)
        return "firmware: " + std::to_string(fws.size()) + " files for " +
               std::to_string(c.remotes) + " remotes (one per remote, or one for all)";
    if (c.host == "synthetic" && fws.size() != 1)
        return "firmware: the synthetic host drives one remote";
    for (const std::string &f : fws)
        if (access(f.c_str(), R_OK) != 0)
            return "firmware " + f + ": cannot read it (" + std::strerror(errno) + ")";
    /* Per-remote values: one for all, or exactly one per remote. */
    const std::pair<const char *, size_t> lists[] = {{"m3-clock-hz", c.m3_clocks.size()},
                                                     {"m3-unicache", c.m3_unicache.size()}};
    for (const auto &l : lists)
        if (l.second > 1 && l.second != c.remotes)
            return std::string(l.first) + ": " + std::to_string(l.second) + " values for " +
                   std::to_string(c.remotes) + " remotes (one per remote, or one for all)";
    if (c.interference && c.remotes < 2)
        return "interference needs --remotes=2 or more";
    if (c.remotes > 1 && c.mode != "echo")
        return "remotes: several remotes run the echo benchmark (--mode=echo) only";
    if (c.remotes > 1 && c.restarts)
        return "restarts: with one remote only (several remotes run their benchmarks once)";
    if (c.host == "linux" && access(c.plugin.c_str(), R_OK) != 0)
        return "plugin " + c.plugin + ": cannot read it (" + std::strerror(errno) + ")";
    if (c.host == "linux") {
        const std::string e = check_guest_content(c);
        if (!e.empty())
            return e;
    }
    if (!c.mailbox_trace.empty() && c.mailbox == "tlm")
        return "mailbox-trace needs --mailbox=rtl or both (the C model has no waveforms)";
    const std::pair<const char *, const std::string *> outputs[] = {
        {"json", &c.json}, {"csv", &c.csv}, {"log", &c.log},
        {"mailbox-trace", &c.mailbox_trace}};
    for (const auto &out : outputs) {
        std::string why;
        if (!out.second->empty() && !writable_path(*out.second, &why))
            return std::string(out.first) + " " + *out.second + ": cannot write it: " + why;
    }
    return "";
}

std::string dump_config(const RunConfig &c)
{
    YAML::Emitter e;
    e << YAML::BeginMap;
    for (const OptionSpec &o : kOptions) {
        const std::string v = o.get(c);
        e << YAML::Key << o.key << YAML::Value;
        if (o.key == std::string("sizes")) {
            e << YAML::Flow << YAML::BeginSeq;
            for (unsigned s : c.sizes)
                s ? e << s : e << "random";
            e << YAML::EndSeq;
        } else if (o.number && v.find(',') == std::string::npos) {
            e << YAML::Value << std::stoull(v);
        } else if (o.number) { /* one value per remote: a plain "a,b" scalar */
            e << v;
        } else if (!o.value_name) {
            e << (v == "true");
        } else {
            e << v;
        }
    }
    e << YAML::EndMap;
    return std::string(e.c_str()) + "\n";
}

std::vector<std::string> config_arguments(const RunConfig &c, const RunConfig &defaults,
                                          Hosts host)
{
    std::vector<std::string> args;
    for (const OptionSpec &o : kOptions)
        if (o.key != std::string("host") && (o.hosts == Hosts::Both || o.hosts == host) &&
            o.get(c) != o.get(defaults))
            args.push_back(std::string("--") + o.key + "=" + o.get(c));
    return args;
}

int parse_cli(CLI::App &app, int argc, char **argv, const char *name)
{
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp &) {
        std::fputs(app.help().c_str(), stdout);
        return 0;
    } catch (const CLI::ParseError &e) {
        std::fprintf(stderr, "%s: %s (%s --help lists the options)\n", name, e.what(), name);
        return 2;
    }
    return -1;
}

int parse_run_command_line(int argc, char **argv, Program prog, RunConfig *c)
{
    const char *name = prog == Program::Rpvp ? "rpvp" : "rpvp-synthetic";
    const RunConfig defaults = *c;
    CLI::App app(prog == Program::Rpvp
                     ? "rpvp: run the omap4-amp virtual platform (Linux on QEMU or the synthetic "
                       "host <-> firmware on the Cortex-M3 ISS) and print what it measured.\n"
                       "Also: rpvp sweep SCENARIO --grid KEY=V1,V2 ... (rpvp sweep --help), "
                       "rpvp merge DIR."
                     : "rpvp-synthetic: the firmware on the Cortex-M3 ISS against the synthetic "
                       "host (`rpvp --host=synthetic`).",
                 name);
    app.get_formatter()->column_width(34);
    std::string scenario;
    bool dump = false;
    app.add_option("--scenario", scenario,
                   "a scenario file (YAML; keys as the options below); the command line "
                   "overrides it")->type_name("FILE");
    app.add_flag("--dump-config", dump, "print the effective configuration as a scenario file "
                                        "and exit");
    std::map<std::string, std::string> raw;
    std::map<std::string, bool> flags;
    std::map<std::string, CLI::Option *> given;
    for (const OptionSpec &o : kOptions) {
        if (prog == Program::Synthetic && o.hosts == Hosts::Linux)
            continue;
        const std::string flag = std::string("--") + o.key;
        std::string help = o.help;
        if (o.hosts != Hosts::Both)
            help += std::string(" [") + host_name(o.hosts) + " host]";
        const std::string def = o.get(defaults);
        help += " (default: " + (def.empty() ? std::string("none") : def) + ")";
        CLI::Option *opt;
        if (o.value_name)
            opt = app.add_option(flag, raw[o.key], help)->type_name(o.value_name);
        else
            opt = app.add_flag(flag, flags[o.key], help);
        given[o.key] = opt;
    }
    if (int rc = parse_cli(app, argc, argv, name); rc >= 0)
        return rc;
    if (!scenario.empty()) {
        const std::string err = load_scenario(scenario, c);
        if (!err.empty()) {
            std::fprintf(stderr, "%s: %s\n", name, err.c_str());
            return 2;
        }
    }
    for (const OptionSpec &o : kOptions) {
        auto g = given.find(o.key);
        if (g == given.end() || g->second->count() == 0)
            continue;
        if (!o.value_name)
            raw[o.key] = flags[o.key] ? "true" : "false";
        const std::string err = o.set(*c, raw[o.key]);
        if (!err.empty()) {
            std::fprintf(stderr, "%s: --%s=%s: %s\n", name, o.key, raw[o.key].c_str(),
                         err.c_str());
            return 2;
        }
        c->origin[o.key] = "command line";
    }
    if (prog == Program::Synthetic && c->host != "synthetic") {
        std::fprintf(stderr, "%s: --host=%s: this program is the synthetic host\n", name,
                     c->host.c_str());
        return 2;
    }
    if (dump) {
        std::fputs(dump_config(*c).c_str(), stdout);
        return 0;
    }
    const std::string err = check_config(*c, defaults);
    if (!err.empty()) {
        std::fprintf(stderr, "%s: %s\n", name, err.c_str());
        return 2;
    }
    return -1;
}

} // namespace rpvp
