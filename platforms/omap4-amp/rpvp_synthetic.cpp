/*
 * rpvp-synthetic — `rpvp --host=synthetic`: the real firmware ELF on the Cortex-M3 ISS
 * inside the omap4-amp platform, driven in this process by the synthetic host (a C model
 * of Linux's virtio/rpmsg drivers, include/rpvp/rpmsg.h) instead of Linux on QEMU.
 *
 *   rpvp-synthetic [--scenario=FILE] [--KEY=VALUE ...] [--dump-config] [--help]
 * The options and scenario keys of `rpvp` (run_config.h), those of the Linux host excepted.
 *
 * Phases (docs/synthetic.md): name-service announcements; one echo phase of N messages
 * per size on rpmsg-raw (one in flight, every byte checked, round-trip latency in
 * simulated time); TX exhaustion against rpvp-slow (trysend until -ENOMEM, then a
 * blocking send and its wait). The platform's own measurement (docs/measurement.md) is
 * summarised and written to --out (default rpvp-out/synthetic-<time>/). Every simulated
 * figure is deterministic; only the "wall:" line (and the folder's name) depend on the
 * machine. Exit 0 when every check passed, 1 on errors (or a bad
 * firmware), 2 on bad options.
 */
#include <systemc>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cinttypes>
#include <csignal>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>
#include <unistd.h>
#include <vector>

#include <cjson/cJSON.h>

#include "ctrl_proto.h"
#include "install_paths.h"
#include "report.h"
#include "progress.h"
#include "rpvp/stats.h"
#include "run_config.h"
#include "run_json.h"
#include "synthetic_session.h"
#include "value_parse.h"

using namespace sc_core;

namespace {

constexpr uint64_t kSecondPs = 1000000000000ull;
constexpr uint64_t kReplyTimeoutPs = kSecondPs;        /* one echo or control reply */
constexpr unsigned kSlowMsgSize = 64;
constexpr unsigned kRandomSize = 0;                    /* phase size "random" */
const char *const kChannels[] = {FW_EPT_ECHO, FW_EPT_SINK, FW_EPT_SOURCE, FW_EPT_SLOW,
                                 FW_EPT_CTRL};

using Options = rpvp::RunConfig;

/* splitmix64: the sizes of --sizes=random, the same on every machine. */
struct Rng {
    uint64_t s;
    uint64_t next()
    {
        uint64_t z = (s += 0x9e3779b97f4a7c15ull);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        return z ^ (z >> 31);
    }
    unsigned uniform(unsigned lo, unsigned hi) /* [lo, hi], unbiased by rejection */
    {
        const uint64_t span = hi - lo + 1ull, limit = UINT64_MAX - UINT64_MAX % span;
        uint64_t r;
        do
            r = next();
        while (r >= limit);
        return lo + static_cast<unsigned>(r % span);
    }
};

double us(uint64_t ps) { return static_cast<double>(ps) / 1e6; }

struct EchoResult {
    std::string name; /* "16 B" or "random 1..496 B" */
    unsigned size = 0;
    unsigned sent = 0, ok = 0, bad = 0;
    bool lost = false;
    uint64_t bytes = 0, sim_ps = 0;
    rpvp_latency_summary rtt{};
    double msgs_per_s = 0, bytes_per_s = 0;
};

struct ExhaustResult {
    bool ran = false;
    unsigned slow_us = 0, msg_size = kSlowMsgSize;
    unsigned trysends_ok = 0, tx_free_at_fail = 0;
    int trysend_rc = 0, send_rc = 1;
    uint64_t send_wait_ps = 0;
    unsigned sent = 0, consumed = 0;
    uint64_t consumed_bytes = 0;
};

struct CsvRow {
    unsigned phase, index, len;
    uint64_t rtt_ps;
};

struct Report {
    std::vector<std::string> errors;
    std::vector<std::string> notes;
    uint32_t fw_version = 0, fw_hz = 0;
    std::vector<EchoResult> echo;
    ExhaustResult exhaust;
    rpvp_latency_summary all_rtt{}; /* every echo phase together */
    std::vector<CsvRow> csv;

    void error(const char *fmt, ...) __attribute__((format(printf, 2, 3)))
    {
        char b[512];
        va_list ap;
        va_start(ap, fmt);
        std::vsnprintf(b, sizeof b, fmt, ap);
        va_end(ap);
        errors.emplace_back(b);
    }
};

/* The scenario, on the host's thread. */
class Scenario {
public:
    Scenario(rpvp::SyntheticSession &s, const Options &o, Report &r, rpvp::Progress &p)
        : s_(s), o_(o), r_(r), progress_(p)
    {
        s_.on_message(FW_EPT_CTRL, [this](const uint8_t *d, int len, uint32_t) {
            if (len == static_cast<int>(sizeof(ctrl_msg))) {
                std::memcpy(&reply_, d, sizeof reply_);
                reply_ready_ = true;
            }
        });
    }

    ~Scenario()
    {
        s_.on_message(FW_EPT_CTRL, nullptr); /* the handler points here */
        rpvp_latency_free(&all_lat_);
    }
    Scenario(const Scenario &) = delete;
    Scenario &operator=(const Scenario &) = delete;

    void run()
    {
        ctrl_msg m;
        progress_.update("boot: %zu channels announced, %s up; %.6f s simulated",
                         s_.announced_ps().size(), o_.channel.c_str(), sim_s());
        /* A firmware that is not rpvp's has no control channel: echo phases only. */
        const bool has_ctrl = s_.ept(FW_EPT_CTRL) != nullptr;
        if (!has_ctrl)
            r_.notes.push_back("the firmware announces no " + std::string(FW_EPT_CTRL) +
                               ": control phases (version, echo counts, tx-exhaustion) skipped");
        if (has_ctrl) {
            if (!ctrl(CTRL_PING, &m))
                return;
            r_.fw_version = m.arg[0];
            r_.fw_hz = m.arg[1];
            if (m.arg[1] != o_.m3_clock_hz)
                r_.notes.push_back("the firmware assumes an M3 at " + std::to_string(m.arg[1]) +
                                   " Hz; its delays scale with --m3-clock-hz");
        }
        for (unsigned p = 0; p < o_.sizes.size(); p++)
            if (!echo_phase(p, o_.sizes[p]))
                break;
        rpvp_latency_summarize(&all_lat_, &r_.all_rtt);
        rpvp_latency_free(&all_lat_);
        if (!has_ctrl)
            return;
        if (o_.channel == FW_EPT_ECHO) /* the firmware counts what its echo endpoint saw */
            check_echo_stats();
        if (s_.ept(FW_EPT_SLOW)) {
            progress_.update("tx-exhaustion against %s; %.6f s simulated", FW_EPT_SLOW, sim_s());
            exhaust();
        }
        if (ctrl(CTRL_PING, &m) && m.arg[2] != 0)
            r_.error("firmware: %u task stack(s) overflowed", m.arg[2]);
    }

private:
    double sim_s() const { return static_cast<double>(s_.now()) / 1e12; }

    /* --crash: the firmware faults (no reply) or stops refreshing its watchdog; the echoes
     * go on until the platform's crash handling stops the run (sc_stop): this thread is
     * not resumed. Reaching the end of the wait is the error. */
    void crash_firmware()
    {
        ctrl_msg m{};
        if (o_.crash == "watchdog") {
            if (!ctrl(CTRL_WDT_STARVE, &m))
                return;
        } else {
            m.magic = CTRL_MAGIC;
            m.cmd = CTRL_FAULT;
            m.seq = ++seq_;
            m.arg[0] = o_.crash == "undef" ? CTRL_FAULT_UNDEF : CTRL_FAULT_BUS;
            if (rpmsg_send(s_.ept(FW_EPT_CTRL), &m, sizeof m) != 0)
                return;
        }
        s_.run_until([] { return false; }, kReplyTimeoutPs);
        r_.error("--crash=%s: the firmware did not crash within 1 s simulated", o_.crash.c_str());
    }

    bool ctrl(uint16_t cmd, ctrl_msg *out, uint32_t a0 = 0, uint32_t a1 = 0, uint32_t a2 = 0)
    {
        ctrl_msg m{};
        m.magic = CTRL_MAGIC;
        m.cmd = cmd;
        m.seq = ++seq_;
        m.arg[0] = a0;
        m.arg[1] = a1;
        m.arg[2] = a2;
        reply_ready_ = false;
        int rc = rpmsg_send(s_.ept(FW_EPT_CTRL), &m, sizeof m);
        if (rc != 0) {
            r_.error("control command %u: rpmsg_send returned %d", cmd, rc);
            return false;
        }
        if (!s_.run_until([this] { return reply_ready_; }, kReplyTimeoutPs)) {
            r_.error("control command %u: no reply within 1 s simulated", cmd);
            return false;
        }
        if (reply_.cmd != (cmd | CTRL_REPLY) || reply_.seq != m.seq || reply_.status != 0) {
            r_.error("control command %u: bad reply (cmd 0x%x seq %u status %d)", cmd,
                     reply_.cmd, reply_.seq, reply_.status);
            return false;
        }
        *out = reply_;
        return true;
    }

    /* One message at a time: send, wait for the echo, compare every byte. */
    bool echo_phase(unsigned phase, unsigned size)
    {
        EchoResult e;
        e.size = size;
        e.name = size == kRandomSize ? "random 1.." + std::to_string(RPMSG_MAX_PAYLOAD) + " B"
                                     : std::to_string(size) + " B";
        Rng rng{o_.seed};
        std::vector<uint8_t> out(RPMSG_MAX_PAYLOAD);
        int expect_len = 0;
        unsigned received = 0;
        s_.on_message(o_.channel, [&](const uint8_t *d, int len, uint32_t) {
            received++;
            if (len == expect_len && !std::memcmp(d, out.data(), static_cast<size_t>(len)))
                e.ok++;
            else
                e.bad++;
        });
        rpvp_latency lat{};
        const uint64_t t_start = s_.now();
        for (unsigned i = 0; i < o_.count; i++) {
            if (phase == 0 && i == o_.count / 2 && !o_.crash.empty())
                crash_firmware(); /* does not return: the crash stops the run */
            expect_len = static_cast<int>(size == kRandomSize
                                              ? rng.uniform(1, RPMSG_MAX_PAYLOAD) : size);
            for (int b = 0; b < expect_len; b++)
                out[static_cast<size_t>(b)] = static_cast<uint8_t>(i * 31 + b * 7 + phase * 13 + 3);
            const uint64_t t0 = s_.now();
            app_stamp(RPVP_EV_APP_SEND, t0, static_cast<unsigned>(expect_len));
            int rc = rpmsg_send(s_.ept(o_.channel), out.data(), expect_len);
            if (rc != 0) {
                r_.error("echo %s: message %u: rpmsg_send returned %d", e.name.c_str(), i, rc);
                e.lost = true;
                break;
            }
            e.sent++;
            if (!s_.run_until([&] { return received == i + 1; }, kReplyTimeoutPs)) {
                r_.error("echo %s: message %u (%d bytes) lost: no echo within 1 s simulated",
                         e.name.c_str(), i, expect_len);
                e.lost = true;
                break;
            }
            const uint64_t rtt = s_.now() - t0;
            app_stamp(RPVP_EV_APP_RECV, s_.now(), static_cast<unsigned>(expect_len));
            app_seq_++;
            if (rpvp_latency_add(&lat, rtt) != 0 || rpvp_latency_add(&all_lat_, rtt) != 0)
                r_.error("out of memory for latency samples");
            if (!o_.csv.empty())
                r_.csv.push_back({phase, i, static_cast<unsigned>(expect_len), rtt});
            e.bytes += static_cast<uint64_t>(expect_len);
            /* Every tenth of the phase (and its end): done/total, simulated time. */
            if ((i + 1) * 10 / o_.count != i * 10 / o_.count)
                progress_.update("echo %s: %u/%u messages; %.6f s simulated", e.name.c_str(),
                                 i + 1, static_cast<unsigned>(o_.count), sim_s());
        }
        e.sim_ps = s_.now() - t_start;
        s_.on_message(o_.channel, nullptr);
        rpvp_latency_summarize(&lat, &e.rtt);
        rpvp_latency_free(&lat);
        if (e.sim_ps) {
            const double secs = static_cast<double>(e.sim_ps) / 1e12;
            e.msgs_per_s = e.ok / secs;
            e.bytes_per_s = static_cast<double>(e.bytes) / secs;
        }
        if (e.bad)
            r_.error("echo %s: %u of %u echoes differ from what was sent", e.name.c_str(),
                     e.bad, e.sent);
        total_sent_ += e.sent;
        total_bytes_ += e.bytes;
        r_.echo.push_back(e);
        return !e.lost;
    }

    /* The firmware's own count of what it echoed equals what the host sent. */
    void check_echo_stats()
    {
        ctrl_msg m;
        if (!ctrl(CTRL_ECHO_STATS, &m))
            return;
        if (m.arg[0] != total_sent_ || m.arg[1] != static_cast<uint32_t>(total_bytes_))
            r_.error("firmware echoed %u messages / %u bytes; the host sent %u / %" PRIu64,
                     m.arg[0], m.arg[1], total_sent_, total_bytes_);
        if (m.arg[2] != 0)
            r_.error("firmware: %u echo send errors", m.arg[2]);
    }

    /* Fill the host's TX buffers against a slow consumer until trysend fails, then
     * time one blocking send; everything sent must still be consumed. */
    void exhaust()
    {
        ExhaustResult &x = r_.exhaust;
        x.ran = true;
        x.slow_us = static_cast<unsigned>(o_.slow_us);
        ctrl_msg m;
        if (!ctrl(CTRL_SLOW_SET, &m, x.slow_us))
            return;
        std::vector<uint8_t> buf(kSlowMsgSize, 0x5A);
        rpmsg_endpoint *ept = s_.ept(FW_EPT_SLOW);
        const unsigned cap = 4096; /* far beyond the 256 TX buffers */
        while (x.trysends_ok < cap && (x.trysend_rc = rpmsg_trysend(ept, buf.data(),
                                                                    kSlowMsgSize)) == 0)
            x.trysends_ok++;
        x.sent = x.trysends_ok;
        x.tx_free_at_fail = rpvp_shost_tx_free(s_.host());
        if (x.trysend_rc != -ENOMEM)
            r_.error("tx-exhaustion: trysend never failed with -ENOMEM (%u sent, rc %d)",
                     x.trysends_ok, x.trysend_rc);
        const uint64_t t0 = s_.now();
        x.send_rc = rpmsg_send(ept, buf.data(), kSlowMsgSize);
        x.send_wait_ps = s_.now() - t0;
        if (x.send_rc == 0)
            x.sent++;
        else
            r_.error("tx-exhaustion: the blocking send returned %d", x.send_rc);
        /* Poll the consumer's count until it has taken everything. */
        const uint64_t deadline = s_.now() + 10 * kSecondPs;
        while (s_.now() < deadline) {
            if (!ctrl(CTRL_SLOW_STATS, &m))
                return;
            x.consumed = m.arg[0];
            x.consumed_bytes = m.arg[1];
            if (x.consumed >= x.sent)
                break;
            s_.run_until([] { return false; }, 100ull * 1000000); /* 100 us */
        }
        if (x.consumed != x.sent || x.consumed_bytes != uint64_t{x.sent} * kSlowMsgSize)
            r_.error("tx-exhaustion: sent %u messages, the slow consumer took %u (%" PRIu64
                     " bytes)", x.sent, x.consumed, x.consumed_bytes);
    }

    /* The host program's own instants: the first and last hop of each round trip. */
    void app_stamp(rpvp_ev_kind kind, uint64_t t, unsigned len)
    {
        rpvp::Measurement *m = s_.system().measurement();
        rpvp_ev e{};
        e.t_ps = t;
        e.kind = static_cast<uint16_t>(kind);
        e.agent = RPVP_AGENT_APP;
        e.value = app_seq_;
        e.len = static_cast<uint16_t>(len);
        if (m)
            rpvp_ev_push(m->sink(), &e);
    }

    rpvp::SyntheticSession &s_;
    const Options &o_;
    Report &r_;
    rpvp::Progress &progress_;
    uint32_t app_seq_ = 0;
    ctrl_msg reply_{};
    rpvp_latency all_lat_{};
    bool reply_ready_ = false;
    uint16_t seq_ = 0;
    unsigned total_sent_ = 0;
    uint64_t total_bytes_ = 0;
};

struct RunFigures {
    uint64_t sim_ps = 0;
    double wall_s = 0;
    cm3_stats m3{};
    double mips = 0;
};

void print_report(const Options &o, rpvp::SyntheticSession &s, const Report &r,
                  const RunFigures &f)
{
    std::printf("boot: %zu name-service announcements by %.3f us simulated (",
                s.announced_ps().size(), us(s.boot_ps()));
    const char *sep = "";
    for (const auto &a : s.announced_ps()) {
        std::printf("%s%s %.3f", sep, a.first.c_str(), us(a.second));
        sep = ", ";
    }
    if (r.fw_hz)
        std::printf(" us); firmware version 0x%08x, built for %u Hz\n", r.fw_version, r.fw_hz);
    else
        std::printf(" us)\n");
    for (const EchoResult &e : r.echo)
        std::printf("echo %s: %u sent, %u ok, %u bad%s; round trip min %.3f p50 %.3f p90 %.3f "
                    "p99 %.3f max %.3f us; %.0f msg/s, %.0f bytes/s each way (simulated)\n",
                    e.name.c_str(), e.sent, e.ok, e.bad, e.lost ? ", LOST" : "",
                    us(e.rtt.min), us(e.rtt.p50), us(e.rtt.p90), us(e.rtt.p99),
                    us(e.rtt.max), e.msgs_per_s, e.bytes_per_s);
    const ExhaustResult &x = r.exhaust;
    if (x.ran)
        std::printf("tx-exhaustion (%s, %u us/msg, %u B): %u trysends before %s (TX free %u); "
                    "blocking send waited %.3f us (rc %d); sent %u, consumed %u\n",
                    FW_EPT_SLOW, x.slow_us, x.msg_size, x.trysends_ok,
                    x.trysend_rc == -ENOMEM ? "-ENOMEM" : "no failure", x.tx_free_at_fail,
                    us(x.send_wait_ps), x.send_rc, x.sent, x.consumed);
    const rpvp_shost_stats &h = s.host_stats();
    std::printf("host: tx %" PRIu64 " msgs / %" PRIu64 " B, rx %" PRIu64 " msgs / %" PRIu64
                " B, interrupts %" PRIu64 ", notifies %" PRIu64 ", TX exhaustion events %"
                PRIu64 ", blocked sends %" PRIu64 " (max %.3f us), trysend failures %" PRIu64
                "\n", h.tx_msgs, h.tx_bytes, h.rx_msgs, h.rx_bytes, h.interrupts, h.notifies,
                h.tx_exhaustion_events, h.blocked_sends, us(h.max_blocked_send_ps),
                h.trysend_failures);
    std::printf("simulated: %.6f s; M3 %" PRIu64 " instructions, %" PRIu64 " active + %" PRIu64
                " sleep cycles\n", static_cast<double>(f.sim_ps) / 1e12, f.m3.insns,
                f.m3.cycles, f.m3.sleep_cycles);
    std::printf("wall: %.3f s; M3 %.1f MIPS; simulated/wall %.4f\n", f.wall_s, f.mips,
                f.wall_s > 0 ? static_cast<double>(f.sim_ps) / 1e12 / f.wall_s : 0.0);
    std::printf("platform:\n%s", s.system().report().c_str());
    for (const std::string &n : r.notes)
        std::printf("note: %s\n", n.c_str());
    for (const std::string &e : r.errors)
        std::printf("rpvp-synthetic: ERROR: %s\n", e.c_str());
    if (r.errors.empty())
        std::printf("rpvp-synthetic: PASS: %zu echo phase(s) of %u messages on %s%s\n",
                    r.echo.size(), static_cast<unsigned>(o.count), o.channel.c_str(),
                    r.exhaust.ran ? ", tx-exhaustion" : "");
    else
        std::printf("rpvp-synthetic: FAILED: %zu error(s)\n", r.errors.size());
}

bool write_csv(const std::string &path, const Options &o, const Report &r)
{
    FILE *f = std::fopen(path.c_str(), "w");
    if (!f)
        return false;
    std::fprintf(f, "phase,size,index,len,rtt_ps\n");
    for (const CsvRow &c : r.csv) {
        const unsigned sz = o.sizes[c.phase];
        std::fprintf(f, "%u,%s,%u,%u,%" PRIu64 "\n", c.phase,
                     sz == kRandomSize ? "random" : std::to_string(sz).c_str(), c.index, c.len,
                     c.rtt_ps);
    }
    return std::fclose(f) == 0;
}

/* The simulated figures as flat metrics (run_json.h): the same inputs give the same
 * values, so that merged sweeps compare bit for bit. Wall time is outside "metrics". */
void add_metrics(cJSON *root, rpvp::SyntheticSession &s, const Report &r, const RunFigures &f)
{
    cJSON *m = cJSON_AddObjectToObject(root, "metrics");
    auto add = [m](const std::string &k, double v) { cJSON_AddNumberToObject(m, k.c_str(), v); };
    add("boot.all_announced_us", us(s.boot_ps()));
    add("echo.all.rtt_p50_us", us(r.all_rtt.p50));
    add("echo.all.rtt_p99_us", us(r.all_rtt.p99));
    add("echo.all.rtt_max_us", us(r.all_rtt.max));
    for (const EchoResult &e : r.echo) {
        const std::string p = "echo." + (e.size == kRandomSize ? std::string("random")
                                                                : std::to_string(e.size)) + ".";
        add(p + "ok", e.ok);
        add(p + "bad", e.bad);
        add(p + "rtt_min_us", us(e.rtt.min));
        add(p + "rtt_p50_us", us(e.rtt.p50));
        add(p + "rtt_p99_us", us(e.rtt.p99));
        add(p + "rtt_max_us", us(e.rtt.max));
        add(p + "msgs_per_s", e.msgs_per_s);
    }
    if (r.exhaust.ran) {
        add("tx_exhaustion.trysends_before_enomem", r.exhaust.trysends_ok);
        add("tx_exhaustion.blocked_send_wait_us", us(r.exhaust.send_wait_ps));
    }
    add("m3.instructions", static_cast<double>(f.m3.insns));
    add("simulated_s", static_cast<double>(f.sim_ps) / 1e12);
}

bool write_json(const std::string &path, const Options &o, rpvp::SyntheticSession &s,
                const Report &r, const RunFigures &f)
{
    cJSON *root = rpvp::run_json_begin(o);
    add_metrics(root, s, r, f);
    cJSON *boot = cJSON_AddObjectToObject(root, "boot");
    cJSON_AddNumberToObject(boot, "all_announced_us", us(s.boot_ps()));
    cJSON *ann = cJSON_AddObjectToObject(boot, "announced_us");
    for (const auto &a : s.announced_ps())
        cJSON_AddNumberToObject(ann, a.first.c_str(), us(a.second));
    cJSON *echo = cJSON_AddArrayToObject(root, "echo");
    for (const EchoResult &e : r.echo) {
        cJSON *p = cJSON_CreateObject();
        cJSON_AddStringToObject(p, "size", e.size == kRandomSize ? "random"
                                                                  : std::to_string(e.size).c_str());
        cJSON_AddNumberToObject(p, "sent", e.sent);
        cJSON_AddNumberToObject(p, "ok", e.ok);
        cJSON_AddNumberToObject(p, "bad", e.bad);
        cJSON_AddBoolToObject(p, "lost", e.lost);
        cJSON_AddNumberToObject(p, "bytes", static_cast<double>(e.bytes));
        cJSON *rt = cJSON_AddObjectToObject(p, "rtt_us");
        cJSON_AddNumberToObject(rt, "min", us(e.rtt.min));
        cJSON_AddNumberToObject(rt, "p50", us(e.rtt.p50));
        cJSON_AddNumberToObject(rt, "p90", us(e.rtt.p90));
        cJSON_AddNumberToObject(rt, "p99", us(e.rtt.p99));
        cJSON_AddNumberToObject(rt, "max", us(e.rtt.max));
        cJSON_AddNumberToObject(rt, "mean", e.rtt.mean / 1e6);
        cJSON_AddNumberToObject(p, "msgs_per_s", e.msgs_per_s);
        cJSON_AddNumberToObject(p, "bytes_per_s", e.bytes_per_s);
        cJSON_AddItemToArray(echo, p);
    }
    const ExhaustResult &x = r.exhaust;
    cJSON *ex = cJSON_AddObjectToObject(root, "tx_exhaustion");
    cJSON_AddNumberToObject(ex, "slow_us", x.slow_us);
    cJSON_AddNumberToObject(ex, "trysends_before_enomem", x.trysends_ok);
    cJSON_AddNumberToObject(ex, "trysend_rc", x.trysend_rc);
    cJSON_AddNumberToObject(ex, "tx_free_at_fail", x.tx_free_at_fail);
    cJSON_AddNumberToObject(ex, "blocked_send_wait_us", us(x.send_wait_ps));
    cJSON_AddNumberToObject(ex, "sent", x.sent);
    cJSON_AddNumberToObject(ex, "consumed", x.consumed);
    cJSON *m3 = cJSON_AddObjectToObject(root, "m3");
    cJSON_AddNumberToObject(m3, "instructions", static_cast<double>(f.m3.insns));
    cJSON_AddNumberToObject(m3, "active_cycles", static_cast<double>(f.m3.cycles));
    cJSON_AddNumberToObject(m3, "sleep_cycles", static_cast<double>(f.m3.sleep_cycles));
    cJSON_AddNumberToObject(m3, "mips", f.mips);
    cJSON_AddNumberToObject(root, "simulated_s", static_cast<double>(f.sim_ps) / 1e12);
    cJSON_AddNumberToObject(root, "wall_s", f.wall_s);
    const std::string err = rpvp::run_json_end(root, path, r.errors);
    if (!err.empty())
        std::fprintf(stderr, "rpvp-synthetic: %s\n", err.c_str());
    return err.empty();
}

/* The DDR file under /dev/shm is removed by the session's destructor; an interrupted run
 * removes it here (unlink and _exit are async-signal-safe). */
char g_shm_path[128];

void on_signal(int sig)
{
    if (g_shm_path[0])
        unlink(g_shm_path);
    _exit(128 + sig);
}

void remove_shm_on_signals(const std::string &name)
{
    std::snprintf(g_shm_path, sizeof g_shm_path, "/dev/shm/%s", name.c_str());
    std::signal(SIGINT, on_signal);
    std::signal(SIGTERM, on_signal);
    std::signal(SIGHUP, on_signal);
    std::signal(SIGPIPE, SIG_IGN); /* a closed stdout (| head) must not skip the clean-up */
}

} // namespace

int sc_main(int argc, char **argv)
{
    /* The end of the run is ours (sc_stop from the host thread), not news: SystemC reports
     * it as an info of type "/OSCI/SystemC" with the text "Simulation stopped by user.". */
    sc_report_handler::set_actions("/OSCI/SystemC", SC_INFO, SC_DO_NOTHING);
    Options o;
    o.host = "synthetic";
    o.firmware = rpvp_path(RPVP_PATH_FIRMWARE);
    int rc = rpvp::parse_run_command_line(argc, argv, rpvp::Program::Synthetic, &o);
    if (rc >= 0)
        return rc;

    rpvp::SyntheticSessionConfig cfg;
    const sc_time q(static_cast<double>(o.quantum_ns), SC_NS);
    cfg.sys.soc.ddr_file = "rpvp-synthetic-" + std::to_string(getpid());
    remove_shm_on_signals(cfg.sys.soc.ddr_file);
    cfg.sys.soc.virtio_version = static_cast<unsigned>(o.virtio_version);
    cfg.sys.soc.host_quantum = q;
    cfg.sys.m3_quantum = q;
    cfg.sys.firmware = o.firmware;
    cfg.sys.m3_clock_hz = o.m3_clock_hz;
    cfg.sys.soc.m3_unicache = rpvp::m3_unicache_of(o, 0);
    cfg.sys.m3_gdb_port = static_cast<int>(o.m3_gdb_port);
    cfg.sys.measure = o.measure;
    cfg.sys.measure_events = o.measure_events;
    cfg.sys.count_ddr = o.count_ddr;
    cfg.sys.m3_core_file = o.m3_core;
    rpvp::parse_mailbox_kind(o.mailbox, &cfg.sys.soc.mailbox.kind); /* checked by the CLI */
    cfg.sys.soc.mailbox.trace_file = o.mailbox_trace;
    cfg.sys.soc.trace_devices = o.trace_devices;
    cfg.channels.assign(std::begin(kChannels), std::end(kChannels));
    if (std::find(cfg.channels.begin(), cfg.channels.end(), o.channel) == cfg.channels.end())
        cfg.channels.push_back(o.channel);
    cfg.required = {o.channel};

    /* Before any output: it sets stdout's buffering (line-buffered when not a terminal). */
    rpvp::Progress progress("rpvp-synthetic", o.quiet);
    std::unique_ptr<rpvp::SyntheticSession> s;
    try {
        s = std::make_unique<rpvp::SyntheticSession>(cfg);
    } catch (const std::exception &e) {
        std::fprintf(stderr, "rpvp-synthetic: %s\n", e.what());
        return 1;
    }
    std::printf("rpvp-synthetic: synthetic host (virtio-mmio v%u) <-> firmware %s on the "
                "Cortex-M3 ISS at %.0f MHz; quantum %" PRIu64 " ns; %u echo messages per "
                "size (%s)\n", static_cast<unsigned>(o.virtio_version), o.firmware.c_str(),
                static_cast<double>(o.m3_clock_hz) / 1e6, o.quantum_ns,
                static_cast<unsigned>(o.count), rpvp::format_sizes(o.sizes).c_str());
    std::fflush(stdout);

    Report r;
    rpvp::measure::RunInfo run("echo", "synthetic", o.firmware, o.quantum_ns, o.m3_clock_hz);
    const auto w0 = std::chrono::steady_clock::now();
    progress.update("booting: the firmware on the Cortex-M3 ISS, waiting for %s",
                    o.channel.c_str());
    s->run([&](rpvp::SyntheticSession &ss) { Scenario(ss, o, r, progress).run(); });
    progress.done();
    RunFigures f;
    f.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - w0).count();
    f.sim_ps = static_cast<uint64_t>(sc_time_stamp().value() / sc_time(1, SC_PS).value());
    cm3_get_stats(s->system().m3().core(), &f.m3);
    f.mips = f.wall_s > 0 ? static_cast<double>(f.m3.insns) / f.wall_s / 1e6 : 0.0;

    /* A crash first: it is why nothing else happened (e.g. a firmware that panicked at
     * boot never announces its channels). */
    const auto &crashes = s->system().crash_monitor().crashes();
    if (!crashes.empty())
        r.error("%s (%zu crash%s)", crashes.front().headline.c_str(), crashes.size(),
                crashes.size() == 1 ? "" : "es");
    if (s->probe_rc() != 0)
        r.error("synthetic host probe failed: %d", s->probe_rc());
    else if (!s->booted() && crashes.empty())
    {
        std::string seen;
        for (const auto &a : s->announced_ps())
            seen += (seen.empty() ? "" : ", ") + a.first;
        r.error("channel %s was not announced within 1 s simulated (of rpvp's channels the "
                "firmware announced: %s); name the one your firmware announces with "
                "--channel=NAME", o.channel.c_str(), seen.empty() ? "none" : seen.c_str());
    }
    if (crashes.empty() && s->system().m3().finished())
        r.error("the Cortex-M3 stopped: %s", cm3_last_error(s->system().m3().core()));
    if (!o.csv.empty() && !write_csv(o.csv, o, r))
        r.error("cannot write %s: %s", o.csv.c_str(), std::strerror(errno));
    /* Written after the CSV so that its errors are in it; its own failure is printed. */
    bool json_failed = !o.json.empty() && !write_json(o.json, o, *s, r, f);
    if (json_failed)
        r.error("cannot write %s", o.json.c_str());
    if (rpvp::Measurement *m = s->system().measurement()) {
        run.wall_s = f.wall_s;
        size_t n;
        const rpvp_ev *ev = rpvp_ev_data(m->sink(), &n);
        if (!rpvp::measure::report_run(ev, n, run,
                                       o.out.empty() ? rpvp::measure::default_out_dir("synthetic")
                                                     : o.out, stdout))
            r.error("measurement reports not written");
    }
    print_report(o, *s, r, f);
    std::fflush(stdout);
    return r.errors.empty() ? 0 : 1;
}

/* Our own main (instead of libsystemc's): a command's output starts with its own line,
 * so SystemC's banner is off unless the user asked for it. */
int main(int argc, char **argv)
{
    setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);
    return sc_core::sc_elab_and_sim(argc, argv);
}
