/*
 * rpvp — the user's entry point. Runs the reference platform and prints a report.
 *
 *   rpvp [--scenario=FILE] [--KEY=VALUE ...] [--dump-config] [--help]
 *   rpvp sweep SCENARIO --grid KEY=V1,V2 ...   (sweep.h; rpvp sweep --help)
 *   rpvp merge DIR
 *
 * Options and scenario keys: run_config.h (`rpvp --help` lists them).
 * --host=linux (default): the unmodified Debian kernel on QEMU (built and cached by
 *   tools/build-qemu.sh and tools/build-guest.sh), rpvp's platform inside QEMU as the
 *   plugin platform "omap4-amp", the firmware on the Cortex-M3 ISS. The DDR file is
 *   created here (clear errors) and QEMU maps it as guest RAM. The guest's benchmark
 *   measures in guest time, which with -icount is simulated time.
 * --linux-route=remoteproc: Linux's own remoteproc (stm32_rproc + omap-mailbox) loads,
 *   starts and stops the firmware, which rpvp puts into the guest's /lib/firmware for the
 *   run (appended to the cached initramfs); --remote-running: rpvp starts it before Linux
 *   boots and Linux attaches; --restarts=N: after the benchmark the guest stops the
 *   remote, checks that its channels are gone, starts it again and repeats the benchmark,
 *   N times. The device tree is generated per run from the platform description.
 * --host=synthetic: the synthetic host (a C model of Linux's virtio/rpmsg drivers)
 *   instead of QEMU, in its own program rpvp-synthetic, which reads the same options.
 */
#include <unistd.h>

#include <cerrno>
#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include <cjson/cJSON.h>

#include "guest_content.h"
#include "platform_qemu.h"
#include "progress.h"
#include "install_paths.h"
#include "qemu_launch.h"
#include "report.h"
#include "rpvp/ddr.h"
#include "rpvp/measure.h"
#include "run_config.h"
#include "run_json.h"
#include "sweep.h"
#include "value_parse.h"

namespace {

using rpvp::RunConfig;

std::string script_output(const char *script)
{
    char *p = rpvp_qemu_cached_path(rpvp_path(RPVP_PATH_DATA), script);
    std::string out = p ? p : "";
    std::free(p);
    return out;
}

/* What the guest's benchmark printed (firmware/linux/rpvp-linux-bench.c), and the boot
 * stages seen on the console (progress). */
struct GuestReport {
    std::vector<std::string> results; /* RPVP-ECHO / -LATENCY / -THROUGHPUT / -CHANNEL */
    std::vector<std::string> errors;  /* RPVP-ERROR */
    std::vector<std::string> platform; /* the plugin's statistics at exit */
    std::vector<std::string> mbox_check; /* a mailbox divergence report (--mailbox=both) */
    bool in_platform = false;
    bool rproc = false; /* the remoteproc route */
    rpvp::Progress *progress = nullptr;
    /* Simulated seconds on the guest kernel's clock: its last printk time stamp or the
     * guest benchmark's last progress line (CLOCK_MONOTONIC, the same base). */
    std::string sim_time = "0";
    unsigned sizes_done = 0, sizes_total = 0;
    /* Per-message stamps of rpvp's bench, in simulated ps (RPVP-CLOCK: the offset of the
     * bench's clock from QEMU's virtual clock, 0 when it reads the virtual counter). */
    bool have_offset = false;
    int64_t offset_ns = 0;
    std::vector<std::vector<rpvp_ev>> app = std::vector<std::vector<rpvp_ev>>(1); /* per remote */
    std::map<std::string, std::string> guest; /* RPVP-EXHAUST key=value */
};

/* "KEY=VALUE" words of a console line into m. */
void parse_kv(const std::string &l, std::map<std::string, std::string> *m)
{
    for (size_t p = l.find('='); p != std::string::npos; p = l.find('=', p + 1)) {
        size_t k = l.rfind(' ', p), e = l.find(' ', p);
        (*m)[l.substr(k + 1, p - k - 1)] =
            l.substr(p + 1, e == std::string::npos ? e : e - p - 1);
    }
}

/* "RPVP-MSG [remote=R [phase=P]] seq= len= t0= t1=": the bench's write and read instants
 * of one message (several remotes: the guest tags each remote's lines). */
void on_stamp(GuestReport *g, const char *line)
{
    unsigned seq = 0, len = 0, remote = 0;
    long long t0 = 0, t1 = 0;
    const char *r = std::strstr(line, " remote="), *q = std::strstr(line, " seq=");
    if ((r && std::sscanf(r, " remote=%u", &remote) != 1) || remote >= RPVP_MAX_REMOTES || !q ||
        std::sscanf(q, " seq=%u len=%u t0=%lld t1=%lld", &seq, &len, &t0, &t1) != 4 ||
        !g->have_offset)
        return;
    if (g->app.size() <= remote)
        g->app.resize(remote + 1);
    std::vector<rpvp_ev> &app = g->app[remote];
    /* Each line is one message: its number among the remote's lines names it (two
     * benchmark processes on one remote, as in --interference, restart their seq). */
    const uint32_t id = static_cast<uint32_t>(app.size() / 2);
    (void)seq;
    for (int k = 0; k < 2; k++) {
        rpvp_ev e{};
        e.t_ps = static_cast<uint64_t>((k ? t1 : t0) - g->offset_ns) * 1000u;
        e.kind = k ? RPVP_EV_APP_RECV : RPVP_EV_APP_SEND;
        e.agent = RPVP_AGENT_APP;
        e.value = id;
        e.len = static_cast<uint16_t>(len);
        app.push_back(e);
    }
}

/* The boot stage a console line marks, or nullptr. What init does first depends on the
 * route (firmware/linux/init.sh). */
const char *stage_of(const std::string &l, bool rproc)
{
    if (l.find("RPVP-INIT") != std::string::npos)
        return rproc ? "init: loading virtio_rpmsg_bus, rpmsg_char, stm32_rproc; then "
                       "starting the remote (Linux's remoteproc)"
                     : "init: loading virtio_mmio, virtio_rpmsg_bus";
    static const std::pair<const char *, const char *> kStages[] = {
        {"Booting Linux", "kernel booting"},
        {"Freeing unused kernel", "kernel up, starting init"},
        {"is now up", "the remote is up (Linux's remoteproc)"},
        {"is now attached", "attached to the running remote (Linux's remoteproc)"},
        {"creating channel rpmsg-raw", "the firmware's channels are announced"},
        {"RPVP-MODULES", "modules loaded"},
        {"RPVP-CHANNEL", "channel up (/dev/rpmsg0): echo running"},
        {"RPVP-ECHO", "echo done; throughput running"},
        {"RPVP-CRASH kind", "crash phase: the firmware was told to crash during traffic"},
        {"RPVP-COREDUMP", "crash: Linux's coredump of the remote checked; recovering"},
        {"RPVP-RECOVERED", "crash: the remote recovered, echoes resume"},
        {"RPVP-DONE", "guest finished"},
    };
    for (const auto &s : kStages)
        if (l.find(s.first) != std::string::npos)
            return s.second;
    return nullptr;
}

void on_line(void *ctx, const char *line)
{
    auto *g = static_cast<GuestReport *>(ctx);
    long long off = 0;
    const char *clk = std::strstr(line, "RPVP-CLOCK ") ? std::strstr(line, " mono_minus_virtual_ns=")
                                                      : nullptr; /* may be tagged remote=R */
    if (clk && std::sscanf(clk, " mono_minus_virtual_ns=%lld", &off) == 1) {
        g->have_offset = true;
        g->offset_ns = off;
    }
    if (!std::strncmp(line, "RPVP-MSG ", 9))
        return on_stamp(g, line); /* many: kept out of the results */
    std::string l = line;
    if (l.rfind("RPVP-EXHAUST ", 0) == 0)
        parse_kv(l, &g->guest);
    if (l.size() > 14 && l[0] == '[' && l.find(']') != std::string::npos) {
        const std::string ts = l.substr(1, l.find(']') - 1);
        g->sim_time = ts.substr(ts.find_first_not_of(' '));
    }
    for (const char *k : {"RPVP-ECHO", "RPVP-LATENCY", "RPVP-THROUGHPUT", "RPVP-CHANNEL",
                          "RPVP-EXHAUST", "RPVP-RPROC", "RPVP-REMOTE", "RPVP-CRASH",
                          "RPVP-COREDUMP", "RPVP-RECOVERED"})
        if (l.find(k) != std::string::npos)
            g->results.push_back(l.substr(l.find(k)));
    if (l.find("RPVP-ERROR") != std::string::npos)
        g->errors.push_back(l.substr(l.find("RPVP-ERROR")));
    if (l.find("rpvp-mbox-check: ") != std::string::npos)
        g->mbox_check.push_back(l.substr(l.find("rpvp-mbox-check: ") + 17));
    /* From the plugin's first report line (its counters, then each remote's core) on;
     * QEMU's "info: rpvp: " prefix dropped. */
    if (l.find("[qemu]") == 0 &&
        (l.find("rpvp: plugin: accesses=") != std::string::npos || g->in_platform)) {
        g->in_platform = true;
        const size_t info = l.find(" info: rpvp: ");
        g->platform.push_back(info != std::string::npos ? l.substr(info + 13) : l.substr(7));
    }
    /* The guest benchmark's own progress: messages done of total, at the kernel's clock. */
    unsigned done = 0, total = 0;
    unsigned long long sim_ns = 0;
    char phase[32];
    const size_t pp = l.find("RPVP-PROGRESS ");
    if (pp != std::string::npos &&
        std::sscanf(l.c_str() + pp, "RPVP-PROGRESS phase=%31s done=%u total=%u sim_ns=%llu",
                    phase, &done, &total, &sim_ns) == 4) {
        char t[32];
        std::snprintf(t, sizeof t, "%.6f", static_cast<double>(sim_ns) / 1e9);
        g->sim_time = t;
        g->progress->update("%s: %u/%u messages; %s s simulated", phase, done, total, t);
    }
    else if (l.find("RPVP-THROUGHPUT") != std::string::npos)
        g->progress->update("throughput: %u of %u sizes done; %s s simulated", ++g->sizes_done,
                            g->sizes_total, g->sim_time.c_str());
    else if (const char *stage = stage_of(l, g->rproc))
        g->progress->update("%s; %s s simulated", stage, g->sim_time.c_str());
}

/* The report lines "RPVP-X k=v ..." as metrics: rpvp-linux-bench's names, one level per
 * line kind, throughput per size. */
cJSON *linux_metrics(const GuestReport &g)
{
    cJSON *m = cJSON_CreateObject();
    for (const std::string &l : g.results) {
        std::string kind = l.substr(5, l.find(' ') - 5), prefix;
        for (char &ch : kind)
            ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        if (kind == "throughput") {
            size_t p = l.find("size=");
            if (p == std::string::npos)
                continue;
            prefix = "throughput." + l.substr(p + 5, l.find(' ', p) - p - 5) + ".";
        } else {
            prefix = kind + ".";
        }
        /* Several remotes: the guest tags each line with its remote (and phase). */
        for (const char *tag : {" phase=", " remote="}) {
            const size_t t = l.find(tag), n = std::strlen(tag);
            if (t != std::string::npos) {
                const size_t e = l.find(' ', t + 1);
                prefix = (tag[1] == 'r' ? "remote" : "") +
                         l.substr(t + n, e == std::string::npos ? e : e - t - n) + "." + prefix;
            }
        }
        size_t pos = l.find(' ');
        while (pos != std::string::npos) {
            size_t end = l.find(' ', pos + 1), eq = l.find('=', pos);
            std::string k = l.substr(pos + 1, eq - pos - 1);
            std::string v = l.substr(eq + 1, end == std::string::npos ? end : end - eq - 1);
            char *e;
            double d = std::strtod(v.c_str(), &e);
            if (eq < end && !v.empty() && *e == '\0' && k != "size" && k != "remote")
                cJSON_AddNumberToObject(m, (prefix + k).c_str(), d);
            pos = end;
        }
    }
    /* The platform's crash count of the remote (its report line "crashes: N (...)"). */
    for (const std::string &l : g.platform) {
        unsigned n, f, k, w;
        if (std::sscanf(l.c_str(), "crashes: %u (faults %u, lock-ups %u, watchdog timeouts %u",
                        &n, &f, &k, &w) == 4) {
            cJSON_AddNumberToObject(m, "platform.crashes", n);
            cJSON_AddNumberToObject(m, "platform.crashes.faults", f);
            cJSON_AddNumberToObject(m, "platform.crashes.lockups", k);
            cJSON_AddNumberToObject(m, "platform.crashes.watchdog", w);
            break;
        }
    }
    return m;
}

/* Create dir and its parents. */
bool make_dirs(const std::string &dir)
{
    for (size_t i = 1; i <= dir.size(); i++)
        if (i == dir.size() || dir[i] == '/')
            if (mkdir(dir.substr(0, i).c_str(), 0777) != 0 && errno != EEXIST)
                return false;
    return true;
}

/* Join the plugin's events with the guest's stamps, print the summary, write the folder.
 * Several remotes: each remote's events apart (its own file, rpvp_ev_remote_path), into
 * its own folder, and the totals (measure::report_remotes). */
bool report_linux(const RunConfig &o, const std::string &out, const GuestReport &g,
                  rpvp::measure::RunInfo run, const rpvp_platform_desc &desc)
{
    std::vector<rpvp::measure::RemoteEvents> remotes;
    bool ok = true;
    const std::vector<std::string> fws = rpvp::firmware_list(o);
    for (unsigned r = 0; r < desc.num_remotes && ok; r++) {
        rpvp_ev_sink *sink = rpvp_ev_sink_new();
        if (sink)
            rpvp_ev_sink_set_limit(sink, 0); /* the plugin applied --measure-events */
        char err[512], path[4096];
        rpvp_ev_remote_path(path, sizeof path, (out + "/events.bin").c_str(), r);
        ok = sink && rpvp_ev_load(sink, path, err, sizeof err) == 0;
        if (!ok) {
            std::fprintf(stderr, "rpvp: no measurement from the platform: %s\n",
                         sink ? err : "out of memory");
            rpvp_ev_sink_free(sink);
            break;
        }
        if (r < g.app.size())
            for (const rpvp_ev &e : g.app[r])
                rpvp_ev_push(sink, &e);
        rpvp::measure::RemoteEvents re(run);
        re.run.guest = g.guest;
        re.run.firmware = fws[fws.size() == 1 ? 0 : r];
        re.run.m3_clock_hz = rpvp::m3_clock_of(o, r);
        if (desc.num_remotes > 1) {
            re.run.remote = static_cast<int>(r);
            re.run.remote_name = desc.remote[r].name;
        }
        size_t n;
        const rpvp_ev *ev = rpvp_ev_data(sink, &n);
        re.events.assign(ev, ev + n);
        rpvp_ev_sink_free(sink);
        remotes.push_back(std::move(re));
    }
    if (ok && desc.num_remotes == 1)
        ok = rpvp::measure::report_run(remotes[0].events.data(), remotes[0].events.size(),
                                       remotes[0].run, out, stdout);
    else if (ok)
        ok = rpvp::measure::report_remotes(remotes, out, stdout);
    return ok;
}

int run_linux(const RunConfig &o)
{
    rpvp::Progress progress("rpvp", o.quiet || o.console);
    progress.update("set-up: looking up QEMU and the guest image in the cache");
    /* QEMU first: the guest's --print would build a missing QEMU (issue 16 defect 3). */
    std::string qemu = script_output("build-qemu.sh");
    std::string guest = qemu.empty() ? std::string() : script_output("build-guest.sh");
    if (qemu.empty() || guest.empty()) {
        progress.done();
        std::fprintf(stderr, "rpvp: %s is not built: run %s/tools/%s (tools/run.sh does it)\n",
                     qemu.empty() ? "QEMU with rpvp's bridge" : "the Linux guest image",
                     rpvp_path(RPVP_PATH_DATA), qemu.empty() ? "build-qemu.sh" : "build-guest.sh");
        return 1;
    }
    /* What reaches the guest kernel's command line: validated numbers only, checked once
     * more here so that nothing a user typed can add a parameter. */
    std::string args = "--count=" + std::to_string(o.count) + ",--sizes=" +
                       rpvp::format_sizes(o.sizes) + ",--window=" + std::to_string(o.window) +
                       ",--stream=" + std::to_string(o.stream) +
                       (o.crash.empty() ? std::string() : ",--crash=" + o.crash);
    if (!rpvp::kernel_cmdline_word(args)) {
        std::fprintf(stderr, "rpvp: refusing guest arguments '%s'\n", args.c_str());
        return 2;
    }
    rpvp_linux_route route = RPVP_ROUTE_VIRTIO_MMIO;
    rpvp_linux_route_parse(o.linux_route.c_str(), &route); /* checked by check_config */
    const bool rproc = route == RPVP_ROUTE_REMOTEPROC;
    rpvp_platform_desc desc;
    rpvp_platform_desc_init(&desc, route, o.remote_running);
    rpvp_platform_desc_set_remotes(&desc, static_cast<unsigned>(o.remotes)); /* 1..4: checked */
    const std::vector<std::string> fws = rpvp::firmware_list(o);
    rpvp::GuestFiles files;
    /* The device tree: the platform's nodes, generated from its description. */
    char *dt = rpvp_platform_dt_fragment(&desc);
    files.dt_fragment = dt;
    std::free(dt);
    /* The remoteproc route loads each remote's firmware from the guest's /lib/firmware
     * under the name stm32_rproc asks for by default (rproc-<node>-fw). */
    for (unsigned r = 0; rproc && r < desc.num_remotes; r++)
        files.add_files.push_back({std::string("lib/firmware/rproc-") + desc.remote[r].name +
                                       "-fw",
                                   fws[fws.size() == 1 ? 0 : r]});
    progress.update("set-up: the run's guest files");
    std::string ferr = files.prepare(o, guest);
    if (!ferr.empty()) {
        progress.done();
        std::fprintf(stderr, "rpvp: %s\n", ferr.c_str());
        return 1;
    }
    /* --guest-run: the command is a file in the run's archive, never on the command line. */
    const std::string guest_mode = o.interference ? "interfere" : o.mode;
    std::string append = files.run_mode ? "rpvp.mode=run"
                                        : "rpvp.mode=" + guest_mode + " rpvp.remotes=" +
                                              std::to_string(o.remotes) + " rpvp.args=" + args;
    /* The transport: rpvp's virtio-mmio device, or Linux's remoteproc (init.sh). */
    if (rproc)
        append += " rpvp.route=remoteproc rpvp.restarts=" + std::to_string(o.restarts) +
                  (o.detach ? " rpvp.detach=1" : "");
    /* The measurement: the plugin saves its events into the folder when QEMU ends. */
    const std::string scenario = files.run_mode ? "run" : o.mode;
    const std::string out = o.out.empty() ? rpvp::measure::default_out_dir(scenario) : o.out;
    const std::string events = out + "/events.bin";
    if (o.measure) {
        if (!make_dirs(out)) {
            std::fprintf(stderr, "rpvp: cannot create %s: %s\n", out.c_str(), std::strerror(errno));
            return 1;
        }
        for (unsigned r = 0; r < desc.num_remotes; r++) { /* old files must not pass */
            char path[4096];
            rpvp_ev_remote_path(path, sizeof path, events.c_str(), r);
            std::remove(path);
        }
    }
    /* The DDR file: created here, mapped by QEMU as guest RAM and by the plugin. */
    const std::string shm = "rpvp-" + std::to_string(getpid());
    char err[512];
    rpvp_ddr *ddr = rpvp_ddr_create(nullptr, shm.c_str(), 256ull << 20, err, sizeof(err));
    if (!ddr) {
        std::fprintf(stderr, "rpvp: %s\n", err);
        return 1;
    }
    /* Remote r's firmware as plugin key firmware-<r> (the config's items are separated
     * by ';' and ','). */
    std::string fw_more;
    for (size_t r = 1; r < fws.size(); r++)
        fw_more += ";firmware-" + std::to_string(r) + "=" + fws[r];
    /* Each remote's M3: its clock and Unicache (plugin keys m3-clock-hz-<r>, ...). */
    for (unsigned r = 1; r < o.remotes; r++)
        fw_more += ";m3-clock-hz-" + std::to_string(r) + "=" +
                   std::to_string(rpvp::m3_clock_of(o, r)) + ";m3-unicache-" +
                   std::to_string(r) + "=" + (rpvp::m3_unicache_of(o, r) ? "1" : "0");
    std::string cfg = "platform=omap4-amp;firmware=" + fws[0] + fw_more + ";ddr=" + shm +
                      ";quantum-ns=" + std::to_string(o.quantum_ns) +
                      ";m3-clock-hz=" + std::to_string(o.m3_clock_hz) +
                      ";m3-unicache=" + (rpvp::m3_unicache_of(o, 0) ? "1" : "0") +
                      ";m3-gdb-port=" + std::to_string(o.m3_gdb_port) +
                      ";measure=" + (o.measure ? "1" : "0") +
                      ";count-ddr=" + (o.count_ddr ? "1" : "0") +
                      (o.measure ? ";events=" + events + ";measure-events=" +
                                       std::to_string(o.measure_events)
                                 : std::string()) +
                      ";linux-route=" + rpvp_linux_route_name(route) +
                      ";remote-running=" + (o.remote_running ? "1" : "0") +
                      ";remotes=" + std::to_string(o.remotes) +
                      ";mailbox=" + o.mailbox + ";m3-core=" + o.m3_core;
    if (!o.mailbox_trace.empty())
        cfg += ";mailbox-trace=" + o.mailbox_trace;
    std::string log = o.log.empty() ? "rpvp-console-" + std::to_string(getpid()) + ".log" : o.log;

    rpvp_qemu_config c;
    rpvp_qemu_config_init(&c);
    c.qemu = qemu.c_str();
    c.guest_dir = guest.c_str();
    c.shm_name = shm.c_str();
    c.plugin = o.plugin.c_str();
    c.plugin_config = cfg.c_str();
    c.quantum_ns = o.quantum_ns;
    c.append = append.c_str();
    if (!files.initrd.empty())
        c.initrd = files.initrd.c_str();
    rpvp_platform_qemu_bridge(&desc, &c);
    if (!files.dtb.empty())
        c.dtb = files.dtb.c_str();
    if (!o.kernel.empty())
        c.kernel = o.kernel.c_str();
    c.console_log = log.c_str();
    c.console_to_terminal = o.console;
    c.timeout_s = static_cast<double>(o.timeout_s);
    if (o.m3_gdb_port) {
        /* A debugging session stops simulated time for as long as the user likes. */
        c.timeout_s = 0;
        c.idle_timeout_s = 0;
        std::printf("rpvp: the M3 waits for gdb: gdb-multiarch %s -ex 'target remote :%u'\n",
                    o.firmware.c_str(), static_cast<unsigned>(o.m3_gdb_port));
    }
    GuestReport g;
    g.progress = &progress;
    g.rproc = rproc;
    g.sizes_total = static_cast<unsigned>(o.sizes.size());
    c.on_line = on_line;
    c.on_line_ctx = &g;

    progress.done();
    const std::string on = o.remotes > 1 ? std::to_string(o.remotes) + " remotes, each a"
                                         : std::string("the");
    std::string mhz; /* one clock, or remote 0's, remote 1's, ... */
    for (unsigned r = 0; r < (o.m3_clocks.empty() ? 1u : o.remotes); r++)
        mhz += (r ? "," : "") + std::to_string(rpvp::m3_clock_of(o, r) / 1000000);
    std::printf("rpvp: Linux (%s on QEMU, icount; route %s%s) <-> firmware %s on %s Cortex-M3 "
                "ISS at %s MHz; quantum %llu ns; ",
                o.kernel.empty() ? "Debian armmp" : o.kernel.c_str(),
                rpvp_linux_route_name(route), o.remote_running ? ", remote running" : "",
                o.firmware.c_str(), on.c_str(), mhz.c_str(),
                static_cast<unsigned long long>(o.quantum_ns));
    if (files.run_mode)
        std::printf("the guest runs: %s\n", o.guest_run.c_str());
    else
        std::printf("%u echo messages per size (%s)\n", static_cast<unsigned>(o.count),
                    rpvp::format_sizes(o.sizes).c_str());
    std::fflush(stdout);
    progress.update("starting QEMU");
    rpvp_qemu_result r;
    rpvp::measure::RunInfo run(scenario, "linux", o.firmware, o.quantum_ns, o.m3_clock_hz);
    int rc = rpvp_qemu_run(&c, &r);
    run.wall_s = r.wall_s;
    rpvp_ddr_destroy(ddr);
    progress.done();
    for (const auto &l : g.results)
        std::printf("  %s\n", l.c_str());
    for (const auto &l : g.errors)
        std::printf("  %s\n", l.c_str());
    if (!g.platform.empty()) {
        std::printf("platform statistics:\n");
        for (const auto &l : g.platform)
            std::printf("  %s\n", l.c_str());
    }
    if (!g.mbox_check.empty()) {
        std::fprintf(stderr, "rpvp: mailbox co-verification report:\n");
        for (const auto &l : g.mbox_check)
            std::fprintf(stderr, "  %s\n", l.c_str());
    }
    std::vector<std::string> errors = g.errors;
    if (rc != 0)
        errors.insert(errors.begin(), r.reason);
    if (!o.json.empty()) {
        cJSON *root = rpvp::run_json_begin(o);
        cJSON_AddItemToObject(root, "metrics", linux_metrics(g));
        cJSON_AddNumberToObject(root, "wall_s", r.wall_s);
        std::string jerr = rpvp::run_json_end(root, o.json, errors);
        if (!jerr.empty()) {
            std::fprintf(stderr, "rpvp: %s\n", jerr.c_str());
            rc = 1;
        }
    }
    /* The platform measured whatever ran, the user's own program included. */
    bool measured =
        !o.measure || r.exit_status != 0 || r.hung || report_linux(o, out, g, run, desc);
    /* --guest-run: the command's exit status is rpvp's (RPVP-DONE status=N). */
    if (files.run_mode && r.exit_status == 0 && r.guest_status >= 0 && !r.hung) {
        std::printf("rpvp: the guest command exited with status %d (%.1f s wall); console "
                    "log: %s\n", r.guest_status, r.wall_s, log.c_str());
        return measured ? r.guest_status : 1;
    }
    if (rc == 0 && !measured)
        rc = 1;
    if (rc != 0) {
        /* A crash of the remote ends a virtio-mmio run: say so before QEMU's reason. */
        for (const auto &l : g.platform)
            if (!rproc && l.rfind("rpvp: CRASH ", 0) == 0) {
                std::fprintf(stderr, "rpvp: the firmware crashed (%s); the virtio-mmio route "
                             "has no recovery, so the run ends here (Linux's remoteproc "
                             "recovers it: --linux-route=remoteproc)\n", l.c_str() + 6);
                break;
            }
        std::fprintf(stderr, "rpvp: FAILED: %s\n", r.reason[0] ? r.reason : "no measurement report");
        /* A crash of the remote that did not end the run itself (remoteproc route: Linux
         * is to recover) is part of the story: e.g. Linux failing on a remote that
         * panicked. The decoded report is in the platform statistics above. */
        if (!std::strstr(r.reason, "the remote crashed"))
            for (const auto &l : g.platform)
                if (l.rfind("rpvp: CRASH ", 0) == 0)
                    std::fprintf(stderr, "rpvp: the remote crashed too: %s\n", l.c_str() + 6);
        if (r.last_lines[0])
            std::fprintf(stderr, "rpvp: last console lines (full log: %s):\n%s", log.c_str(),
                         r.last_lines);
        /* Ctrl-C / SIGTERM: QEMU is stopped and /dev/shm/<shm> removed above; the
         * partial report is printed; the shell sees the usual 128 + signal. */
        if (r.interrupted) {
            std::fprintf(stderr, "rpvp: partial report above; /dev/shm/%s removed\n",
                         shm.c_str());
            return 128 + r.interrupted;
        }
        return 1;
    }
    std::printf("rpvp: done in %.1f s wall (guest init after %.1f s); console log: %s\n",
                r.wall_s, r.init_wall_s, log.c_str());
    return g.errors.empty() ? 0 : 1;
}

int run_synthetic(const RunConfig &o, const RunConfig &defaults)
{
    std::string exe = std::string(rpvp_path(RPVP_PATH_BIN)) + "/rpvp-synthetic";
    std::vector<std::string> args = {exe, "--firmware=" + o.firmware};
    for (const std::string &a : rpvp::config_arguments(o, defaults, rpvp::Hosts::Synthetic))
        if (a.rfind("--firmware=", 0) != 0)
            args.push_back(a);
    std::vector<char *> av;
    for (auto &s : args)
        av.push_back(&s[0]);
    av.push_back(nullptr);
    std::fflush(stdout);
    execv(exe.c_str(), av.data());
    std::fprintf(stderr, "rpvp: cannot run %s: %s\n", exe.c_str(), std::strerror(errno));
    return 1;
}

} // namespace

int main(int argc, char **argv)
{
    if (argc >= 2 && !std::strcmp(argv[1], "sweep"))
        return rpvp::sweep_main(argc - 1, argv + 1, argv[0]);
    if (argc >= 2 && !std::strcmp(argv[1], "merge"))
        return rpvp::merge_main(argc - 1, argv + 1);
    RunConfig o;
    o.firmware = rpvp_path(RPVP_PATH_FIRMWARE);
    o.plugin = rpvp_path(RPVP_PATH_PLUGIN);
    const RunConfig defaults = o;
    int rc = rpvp::parse_run_command_line(argc, argv, rpvp::Program::Rpvp, &o);
    if (rc >= 0)
        return rc;
    /* Several remotes with the default firmware: the reference image built for each
     * (rpvp-m3-fw-r<N>.elf: its endpoints at other addresses, so the channels differ). */
    if (o.remotes > 1 && !o.origin.count("firmware")) {
        const std::string base = o.firmware.substr(0, o.firmware.size() - 4); /* .elf */
        for (unsigned r = 1; r < o.remotes; r++)
            o.firmware += "," + base + "-r" + std::to_string(r) + ".elf";
    }
    return o.host == "linux" ? run_linux(o) : run_synthetic(o, defaults);
}
