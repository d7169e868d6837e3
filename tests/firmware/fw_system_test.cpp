// System tests of the remote firmware: rpvp-m3-fw.elf on the Cortex-M3 ISS inside the
// omap4-amp platform (mailbox, shared DDR, virtio-mmio rpmsg device), against the
// synthetic host (a C model of Linux's virtio_rpmsg_bus with Linux's rpmsg API).
// Each TEST boots the platform afresh (one SystemC elaboration per process) and prints
// its latency/throughput in simulated time; the lines are also appended to
// RPVP_FW_RESULTS_FILE.
#include <gtest/gtest.h>
#include <systemc>
#include <unistd.h>

#include <algorithm>
#include <cinttypes>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "amp_system.h"
#include "ctrl_proto.h"
#include "rpvp/rpmsg.h"

using namespace sc_core;
using namespace rpvp;

namespace {

constexpr uint64_t kM3Hz = 200000000;      // the firmware is built for 200 MHz
constexpr uint64_t kPoolBase = 0x48000000; // host DMA pool in Linux's DDR
constexpr uint64_t kPoolSize = 1u << 20;
constexpr uint64_t kSecond = 1000000000000ull; // ps
const char *const kChannels[] = {FW_EPT_ECHO, FW_EPT_SINK, FW_EPT_SOURCE, FW_EPT_SLOW,
                                 FW_EPT_CTRL};

using Handler = std::function<void(const uint8_t *data, int len, uint32_t src)>;

struct Harness;
Harness *g_h; // the driver callbacks' way back (one harness per process)

struct Harness {
    AmpSystem sys;
    rpvp_shost *host = nullptr;
    rpvp_shost_port_state pst{};
    rpvp_shost_bus bus{};
    std::function<void(Harness &)> scenario;
    std::map<std::string, Handler> handlers;
    std::map<std::string, rpmsg_device *> channels;
    std::map<std::string, uint64_t> ns_seen_ps;
    std::map<std::string, bool> had_ept; // default endpoint present at probe
    int probe_rc = 1;
    bool scenario_ran = false;
    uint64_t boot_ps = 0;
    // ctrl replies
    ctrl_msg last_reply{};
    uint16_t ctrl_seq = 0;
    bool reply_ready = false;

    explicit Harness(const AmpSystemConfig &c) : sys("sys", c) { g_h = this; }

    rpmsg_endpoint *ept(const char *name) { return channels.at(name)->ept; }
    uint64_t now() const { return rpvp_shost_now(host); }

    // Run the host's interrupt loop until pred() or `timeout` of simulated time.
    bool run_until(const std::function<bool()> &pred, uint64_t timeout = 20 * kSecond)
    {
        auto thunk = [](void *arg) { return (*static_cast<const std::function<bool()> *>(arg))() ? 1 : 0; };
        return rpvp_shost_run_until(host, thunk, const_cast<std::function<bool()> *>(&pred),
                                    timeout) == 0;
    }

    // One control request and its reply.
    ctrl_msg ctrl(uint16_t cmd, uint32_t a0 = 0, uint32_t a1 = 0, uint32_t a2 = 0)
    {
        ctrl_msg m{};
        m.magic = CTRL_MAGIC;
        m.cmd = cmd;
        m.seq = ++ctrl_seq;
        m.arg[0] = a0;
        m.arg[1] = a1;
        m.arg[2] = a2;
        reply_ready = false;
        EXPECT_EQ(rpmsg_send(ept(FW_EPT_CTRL), &m, sizeof m), 0);
        EXPECT_TRUE(run_until([&] { return reply_ready; })) << "no reply to command " << cmd;
        EXPECT_EQ(last_reply.cmd, cmd | CTRL_REPLY);
        EXPECT_EQ(last_reply.seq, m.seq);
        return last_reply;
    }
};

int on_msg(rpmsg_device *rpdev, void *data, int len, void *priv, uint32_t src)
{
    auto it = g_h->handlers.find(rpdev->id.name);
    if (it != g_h->handlers.end() && it->second)
        it->second(static_cast<const uint8_t *>(data), len, src);
    return 0;
}

int on_probe(rpmsg_device *rpdev)
{
    g_h->channels[rpdev->id.name] = rpdev;
    g_h->ns_seen_ps[rpdev->id.name] = rpvp_shost_now(g_h->host);
    g_h->had_ept[rpdev->id.name] = rpdev->ept != nullptr;
    return 0;
}

rpmsg_device_id g_ids[] = {{FW_EPT_ECHO}, {FW_EPT_SINK}, {FW_EPT_SOURCE},
                           {FW_EPT_SLOW}, {FW_EPT_CTRL}, {""}};
rpmsg_driver g_drv = {"rpvp-fw-test", g_ids, on_probe, nullptr, on_msg, nullptr};

rpvp_shost *new_host(Harness *h)
{
    rpvp_shost_config cfg{};
    cfg.name = "shost";
    cfg.mmio_base = h->sys.soc().config().desc.vdev.base;
    cfg.mem_base = kPoolBase;
    cfg.mem_size = kPoolSize;
    return rpvp_shost_new(&cfg, &h->bus);
}

void host_main(rpvp_port *port, void *ctx)
{
    auto *h = static_cast<Harness *>(ctx);
    rpvp_shost_bus_from_port(&h->bus, &h->pst, port, 0);
    h->host = new_host(h);
    if (!h->host) {
        sc_stop();
        return;
    }
    h->handlers[FW_EPT_CTRL] = [h](const uint8_t *d, int len, uint32_t) {
        if (len == static_cast<int>(sizeof(ctrl_msg))) {
            std::memcpy(&h->last_reply, d, sizeof(ctrl_msg));
            h->reply_ready = true;
        }
    };
    register_rpmsg_driver(&g_drv);
    h->probe_rc = rpvp_shost_probe(h->host);
    if (h->probe_rc == 0 &&
        h->run_until([h] { return h->channels.size() == std::size(kChannels); }, kSecond)) {
        h->boot_ps = h->now();
        h->scenario_ran = true;
        h->scenario(*h);
    }
    unregister_rpmsg_driver(&g_drv);
    sc_stop();
}

AmpSystemConfig config()
{
    AmpSystemConfig c;
    c.soc.ddr_file = "rpvp-fw-systest-" + std::to_string(getpid());
    c.firmware = RPVP_FIRMWARE_ELF;
    c.m3_clock_hz = kM3Hz;
    return c;
}

// Boot, run `scenario` on the host thread, check the platform stayed healthy.
void run(Harness &h, std::function<void(Harness &)> scenario)
{
    h.scenario = std::move(scenario);
    h.sys.soc().host.spawn(host_main, &h);
    sc_start(sc_time(600, SC_SEC)); // sc_stop() ends it much earlier
    ASSERT_EQ(h.probe_rc, 0) << "synthetic host probe failed";
    ASSERT_TRUE(h.scenario_ran) << "the name-service announcements did not all arrive";
    EXPECT_FALSE(h.sys.m3().finished()) << cm3_last_error(h.sys.m3().core());
}

void record(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void record(const char *fmt, ...)
{
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    std::printf("fw-system: %s\n", line);
    if (FILE *f = std::fopen(RPVP_FW_RESULTS_FILE, "a")) {
        std::fprintf(f, "%s\n", line);
        std::fclose(f);
    }
}

// What the M3 did over the whole run: instructions, active and WFI-sleep cycles.
std::string m3_summary(Harness &h)
{
    cm3_stats st;
    cm3_get_stats(h.sys.m3().core(), &st);
    char b[200];
    std::snprintf(b, sizeof b,
                  "M3 %" PRIu64 " insns, %" PRIu64 " active + %" PRIu64 " sleep cycles (CPI %.1f)",
                  st.insns, st.cycles, st.sleep_cycles,
                  st.insns ? static_cast<double>(st.cycles) / static_cast<double>(st.insns) : 0.0);
    return b;
}

double us(uint64_t ps) { return static_cast<double>(ps) / 1e6; }

uint64_t percentile(std::vector<uint64_t> v, double p)
{
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
}

void fill_stream(uint8_t *p, uint32_t len, uint32_t seq)
{
    std::memcpy(p, &seq, STREAM_HDR_SIZE);
    for (uint32_t i = STREAM_HDR_SIZE; i < len; i++)
        p[i] = static_cast<uint8_t>(seq + i);
}

bool check_stream(const uint8_t *p, int len, uint32_t seq)
{
    uint32_t got;
    if (len < static_cast<int>(STREAM_HDR_SIZE))
        return false;
    std::memcpy(&got, p, STREAM_HDR_SIZE);
    for (int i = STREAM_HDR_SIZE; i < len; i++)
        if (p[i] != static_cast<uint8_t>(seq + static_cast<uint32_t>(i)))
            return false;
    return got == seq;
}

} // namespace

// The firmware announces every endpoint by name service; the host creates a channel
// for each, and the control endpoint answers with the firmware's clock.
TEST(FwSystem, NameServiceAnnouncementsCreateChannels)
{
    Harness h(config());
    ctrl_msg ping{};
    run(h, [&](Harness &hh) { ping = hh.ctrl(CTRL_PING); });
    for (const char *name : kChannels) {
        ASSERT_TRUE(h.channels.count(name)) << name;
        EXPECT_GE(h.channels[name]->dst, RPMSG_RESERVED_ADDRESSES) << name;
        EXPECT_TRUE(h.had_ept[name]) << name;
    }
    EXPECT_EQ(ping.status, 0);
    EXPECT_EQ(ping.arg[0], FW_VERSION);
    EXPECT_EQ(ping.arg[1], kM3Hz);
    EXPECT_EQ(ping.arg[2], 0u) << "task stack overflow";
    // The firmware's log, read where RSC_TRACE says it is (as Linux's trace0 would).
    const rpvp_fw_info &fw = h.sys.firmware_info();
    ASSERT_EQ(fw.num_traces, 1u);
    const uint64_t ddr_base = h.sys.soc().config().desc.ddr_pa;
    ASSERT_GE(fw.trace_pa, ddr_base);
    const char *trace = reinterpret_cast<const char *>(h.sys.soc().ddr.data() +
                                                        (fw.trace_pa - ddr_base));
    const std::string log(trace, strnlen(trace, fw.trace_len));
    EXPECT_NE(log.find("rpvp-m3-fw: M3 at 200000000 Hz"), std::string::npos) << log;
    EXPECT_NE(log.find("rpmsg up"), std::string::npos) << log;
    EXPECT_EQ(log.find("PANIC"), std::string::npos) << log;
    std::printf("firmware trace:\n%s", log.c_str());
    rpvp_shost_stats st;
    rpvp_shost_get_stats(h.host, &st);
    EXPECT_EQ(st.ns_msgs, std::size(kChannels));
    EXPECT_EQ(st.ns_bad, 0u);
    record("boot: M3 at %" PRIu64 " MHz; all %zu name-service announcements by %.1f us "
           "simulated; %s", kM3Hz / 1000000, std::size(kChannels), us(h.boot_ps),
           m3_summary(h).c_str());
    std::printf("%s", h.sys.report().c_str());
}

// 10,000 messages of sizes 1..496 to rpmsg-raw come back byte-exact, one at a time.
TEST(FwSystem, Echo10000MessagesByteExact)
{
    constexpr int kCount = 10000;
    Harness h(config());
    std::vector<uint64_t> rtt;
    int mismatches = 0, received = 0;
    uint64_t bytes = 0, t_start = 0, t_end = 0;
    run(h, [&](Harness &hh) {
        std::vector<uint8_t> out(RPMSG_MAX_PAYLOAD);
        int expect_len = 0;
        hh.handlers[FW_EPT_ECHO] = [&](const uint8_t *d, int len, uint32_t) {
            if (len != expect_len || std::memcmp(d, out.data(), static_cast<size_t>(len)))
                mismatches++;
            received++;
        };
        t_start = hh.now();
        for (int i = 0; i < kCount; i++) {
            expect_len = 1 + i % static_cast<int>(RPMSG_MAX_PAYLOAD);
            for (int b = 0; b < expect_len; b++)
                out[static_cast<size_t>(b)] = static_cast<uint8_t>(i * 31 + b * 7 + 3);
            const uint64_t t0 = hh.now();
            ASSERT_EQ(rpmsg_send(hh.ept(FW_EPT_ECHO), out.data(), expect_len), 0) << i;
            ASSERT_TRUE(hh.run_until([&] { return received == i + 1; }, kSecond)) << i;
            rtt.push_back(hh.now() - t0);
            bytes += static_cast<uint64_t>(expect_len);
        }
        t_end = hh.now();
        ctrl_msg s = hh.ctrl(CTRL_ECHO_STATS);
        EXPECT_EQ(s.arg[0], static_cast<uint32_t>(kCount));
        EXPECT_EQ(s.arg[1], bytes);
        EXPECT_EQ(s.arg[2], 0u) << "echo send errors";
        EXPECT_EQ(hh.ctrl(CTRL_PING).arg[2], 0u) << "task stack overflow";
    });
    EXPECT_EQ(received, kCount);
    EXPECT_EQ(mismatches, 0);
    ASSERT_EQ(rtt.size(), static_cast<size_t>(kCount));
    const double secs = static_cast<double>(t_end - t_start) / 1e12;
    record("echo: %d messages of 1..496 bytes byte-exact; round trip p50 %.2f us, p90 %.2f "
           "us, p99 %.2f us, max %.2f us; %.0f msg/s, %.2f MB/s each way (ping-pong), M3 at "
           "%" PRIu64 " MHz; %s",
           kCount, us(percentile(rtt, 0.5)), us(percentile(rtt, 0.9)),
           us(percentile(rtt, 0.99)), us(*std::max_element(rtt.begin(), rtt.end())),
           kCount / secs, static_cast<double>(bytes) / secs / 1e6, kM3Hz / 1000000,
           m3_summary(h).c_str());
}

// The host resets the vdev (the driver goes away and probes again, as after a re-attach or
// a module reload): the firmware re-announces EVERY endpoint, rpmsg-raw included although
// the host's first message had bound it, and echoes work on the new channel.
TEST(FwSystem, VirtioResetReannouncesEveryEndpoint)
{
    Harness h(config());
    int echoes = 0;
    uint32_t overflowed_stacks = 1;
    run(h, [&](Harness &hh) {
        hh.handlers[FW_EPT_ECHO] = [&](const uint8_t *, int len, uint32_t) { echoes += len == 3; };
        ASSERT_EQ(rpmsg_send(hh.ept(FW_EPT_ECHO), const_cast<char *>("abc"), 3), 0);
        ASSERT_TRUE(hh.run_until([&] { return echoes == 1; }, kSecond)) << "first echo";
        // Linux's driver goes away: Status = 0 on a live device, channels removed.
        rpvp_shost_free(hh.host);
        hh.channels.clear();
        hh.ns_seen_ps.clear();
        const uint64_t t_reset = rpvp_port_now(hh.sys.soc().host.port());
        hh.host = new_host(&hh);
        ASSERT_NE(hh.host, nullptr);
        ASSERT_EQ(rpvp_shost_probe(hh.host), 0);
        ASSERT_TRUE(hh.run_until([&] { return hh.channels.size() == std::size(kChannels); },
                                 kSecond))
            << "only " << hh.channels.size() << " announcements after the reset";
        const uint64_t t_back = hh.now();
        for (const char *name : kChannels)
            EXPECT_GT(hh.ns_seen_ps[name], t_reset) << name << " announced again";
        ASSERT_EQ(rpmsg_send(hh.ept(FW_EPT_ECHO), const_cast<char *>("def"), 3), 0);
        ASSERT_TRUE(hh.run_until([&] { return echoes == 2; }, kSecond)) << "echo after reset";
        overflowed_stacks = hh.ctrl(CTRL_PING).arg[2];
        record("virtio reset: all %zu endpoints announced again %.1f us after the reset",
               std::size(kChannels), us(t_back - t_reset));
    });
    EXPECT_EQ(echoes, 2);
    EXPECT_EQ(overflowed_stacks, 0u);
    rpvp_vrpmsg_stats v;
    rpvp_vrpmsg_get_stats(h.sys.soc().vdev_core(), &v);
    EXPECT_GE(v.detach_sent, 1u) << "the device told the remote on the detach channel";
}

// A stream to rpvp-sink: the firmware's counts equal what the host sent, in order.
TEST(FwSystem, StreamSinkCountsMatch)
{
    constexpr uint32_t kCount = 3000, kSize = RPMSG_MAX_PAYLOAD;
    Harness h(config());
    ctrl_msg stats{};
    uint64_t t_start = 0, t_end = 0;
    rpvp_shost_stats hs{};
    run(h, [&](Harness &hh) {
        hh.ctrl(CTRL_SINK_RESET);
        std::vector<uint8_t> buf(kSize);
        t_start = hh.now();
        for (uint32_t seq = 0; seq < kCount; seq++) {
            fill_stream(buf.data(), kSize, seq);
            ASSERT_EQ(rpmsg_send(hh.ept(FW_EPT_SINK), buf.data(), kSize), 0) << seq;
        }
        stats = hh.ctrl(CTRL_SINK_STATS); // after every stream message on the same vring
        t_end = hh.now();
        rpvp_shost_get_stats(hh.host, &hs);
    });
    EXPECT_EQ(stats.arg[0], kCount);
    EXPECT_EQ(stats.arg[1], kCount * kSize);
    EXPECT_EQ(stats.arg[2], 0u) << "out-of-order or corrupted stream messages";
    const double secs = static_cast<double>(t_end - t_start) / 1e12;
    record("sink: %u x %u bytes counted exactly; host->M3 %.0f msg/s, %.2f MB/s; host blocked "
           "%" PRIu64 " times (max %.1f us), M3 at %" PRIu64 " MHz; %s",
           kCount, kSize, kCount / secs, kCount * kSize / secs / 1e6, hs.blocked_sends,
           us(hs.max_blocked_send_ps), kM3Hz / 1000000, m3_summary(h).c_str());
}

// rpvp-source sends N messages of S bytes as fast as the host's RX buffers allow.
TEST(FwSystem, StreamSourceDeliversInOrder)
{
    constexpr uint32_t kCount = 3000, kSize = RPMSG_MAX_PAYLOAD;
    Harness h(config());
    ctrl_msg done{};
    uint32_t received = 0, bad = 0;
    uint64_t t_start = 0, t_first = 0, t_last = 0;
    run(h, [&](Harness &hh) {
        hh.handlers[FW_EPT_SOURCE] = [&](const uint8_t *d, int len, uint32_t) {
            if (len != static_cast<int>(kSize) || !check_stream(d, len, received))
                bad++;
            if (received++ == 0)
                t_first = hh.now();
            t_last = hh.now();
        };
        uint8_t hello = 0; // tells the source who its peer is
        ASSERT_EQ(rpmsg_send(hh.ept(FW_EPT_SOURCE), &hello, 1), 0);
        t_start = hh.now();
        done = hh.ctrl(CTRL_SOURCE_START, kCount, kSize, 0);
        hh.run_until([&] { return received == kCount; });
    });
    EXPECT_EQ(done.status, 0);
    EXPECT_EQ(done.arg[0], kCount);
    EXPECT_EQ(done.arg[1], kCount * kSize);
    EXPECT_EQ(received, kCount);
    EXPECT_EQ(bad, 0u);
    const double secs = static_cast<double>(t_last - t_start) / 1e12;
    record("source: %u x %u bytes in order; M3->host %.0f msg/s, %.2f MB/s (first after %.1f "
           "us); M3 busy %u cycles = %.2f ms at %" PRIu64 " MHz; %s",
           kCount, kSize, kCount / secs, kCount * kSize / secs / 1e6, us(t_first - t_start),
           done.arg[2], done.arg[2] / (kM3Hz / 1e3), kM3Hz / 1000000, m3_summary(h).c_str());
}

// A slow consumer holds each message: the host's 256 TX buffers run out, trysend fails,
// a blocking send waits and then completes, and every message still arrives.
TEST(FwSystem, SlowConsumerExhaustsHostTxBuffers)
{
    constexpr uint32_t kDelayUs = 50, kSize = 64, kAfter = 20;
    Harness h(config());
    uint32_t sent = 0, try_ok = 0, bytes = 0;
    int try_rc = 0, block_rc = 1;
    unsigned free_at_fail = 999;
    uint64_t block_ps = 0;
    ctrl_msg slow{};
    rpvp_shost_stats hs{};
    run(h, [&](Harness &hh) {
        EXPECT_EQ(hh.ctrl(CTRL_SLOW_SET, kDelayUs).status, 0);
        std::vector<uint8_t> buf(kSize, 0x5A);
        // Fill every TX buffer without waiting.
        for (;;) {
            try_rc = rpmsg_trysend(hh.ept(FW_EPT_SLOW), buf.data(), kSize);
            if (try_rc != 0)
                break;
            try_ok++;
            sent++;
            bytes += kSize;
        }
        free_at_fail = rpvp_shost_tx_free(hh.host);
        // A blocking send now has to wait for the consumer to return a buffer.
        const uint64_t t0 = hh.now();
        block_rc = rpmsg_send(hh.ept(FW_EPT_SLOW), buf.data(), kSize);
        block_ps = hh.now() - t0;
        if (block_rc == 0) {
            sent++;
            bytes += kSize;
        }
        for (uint32_t i = 0; i < kAfter; i++, sent++, bytes += kSize)
            ASSERT_EQ(rpmsg_send(hh.ept(FW_EPT_SLOW), buf.data(), kSize), 0);
        // Everything sent is consumed, nothing lost.
        hh.run_until([&] {
            slow = hh.ctrl(CTRL_SLOW_STATS);
            return slow.arg[0] == sent;
        });
        rpvp_shost_get_stats(hh.host, &hs);
    });
    EXPECT_EQ(try_rc, -ENOMEM) << "trysend must fail once the TX buffers are exhausted";
    EXPECT_GE(try_ok, 200u) << "about 256 TX buffers before exhaustion";
    EXPECT_EQ(free_at_fail, 0u);
    EXPECT_EQ(block_rc, 0) << "the blocking send completes";
    EXPECT_GE(block_ps, kDelayUs * 1000000ull / 2) << "and it waited for the consumer";
    EXPECT_GE(hs.blocked_sends, 1u);
    EXPECT_GE(hs.trysend_failures, 1u);
    EXPECT_EQ(slow.arg[0], sent) << "sent = received";
    EXPECT_EQ(slow.arg[1], bytes);
    EXPECT_EQ(slow.arg[2], kDelayUs);
    record("slow consumer (%u us/msg): %u trysends before -ENOMEM (TX free %u), blocking send "
           "waited %.1f us then completed; sent %u = received %u; host blocked %" PRIu64
           " times, max %.1f us; M3 at %" PRIu64 " MHz; %s",
           kDelayUs, try_ok, free_at_fail, us(block_ps), sent, slow.arg[0], hs.blocked_sends,
           us(hs.max_blocked_send_ps), kM3Hz / 1000000, m3_summary(h).c_str());
}

// Echo with up to 64 messages in flight: throughput when the host does not wait for
// each reply; replies come back in order and intact.
TEST(FwSystem, EchoPipelinedThroughput)
{
    constexpr uint32_t kCount = 5000, kSize = RPMSG_MAX_PAYLOAD, kWindow = 64;
    Harness h(config());
    uint32_t sent = 0, received = 0, bad = 0;
    uint64_t t_start = 0, t_end = 0;
    run(h, [&](Harness &hh) {
        hh.handlers[FW_EPT_ECHO] = [&](const uint8_t *d, int len, uint32_t) {
            if (len != static_cast<int>(kSize) || !check_stream(d, len, received))
                bad++;
            received++;
        };
        std::vector<uint8_t> buf(kSize);
        t_start = hh.now();
        while (sent < kCount) {
            if (sent - received >= kWindow) {
                hh.run_until([&] { return sent - received < kWindow; }, kSecond);
                continue;
            }
            fill_stream(buf.data(), kSize, sent);
            ASSERT_EQ(rpmsg_send(hh.ept(FW_EPT_ECHO), buf.data(), kSize), 0) << sent;
            sent++;
        }
        hh.run_until([&] { return received == kCount; });
        t_end = hh.now();
    });
    EXPECT_EQ(received, kCount);
    EXPECT_EQ(bad, 0u);
    const double secs = static_cast<double>(t_end - t_start) / 1e12;
    record("echo pipelined (%u in flight): %u x %u bytes back in order; %.0f msg/s, %.2f MB/s "
           "each way, M3 at %" PRIu64 " MHz; %s",
           kWindow, kCount, kSize, kCount / secs, kCount * kSize / secs / 1e6,
           kM3Hz / 1000000, m3_summary(h).c_str());
}
