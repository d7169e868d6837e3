/*
 * rpvp plugin entry point (include/rpvp/plugin.h): elaborates the platform chosen by the
 * config string and drives SystemC from the host's thread. One instance per process.
 */
#include "rpvp/plugin.h"

#include "plugin_platform.h"

#include <systemc>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <exception>
#include <string>

#define RPVP_EXPORT __attribute__((visibility("default")))

/* libsystemc.so references sc_main; rpvp never lets SystemC run it (the host calls
 * rpvp_plugin_create instead), but dlopen needs the symbol. */
extern "C" RPVP_EXPORT int sc_main(int, char **)
{
    std::fprintf(stderr, "rpvp plugin: sc_main must not be called\n");
    return 1;
}

struct rpvp_plugin {
    rpvp_plugin_host host{};
    std::unique_ptr<rpvp::PluginPlatform> platform;
    rpvp_port *port = nullptr;
    bool failed = false;
    std::string error;
    uint64_t accesses = 0, syncs = 0, edges = 0;
    /* Sign of life (see beat()): wall time of the next one, accesses at the last. */
    std::chrono::steady_clock::time_point next_beat{};
    uint64_t beat_accesses = 0;
};

namespace {

bool g_created = false; /* SystemC elaborates once per process */

void plugin_log(rpvp_plugin *p, int32_t level, const std::string &msg)
{
    if (p->host.log)
        p->host.log(p->host.ctx, level, msg.c_str());
    else
        std::fprintf(stderr, "rpvp: %s\n", msg.c_str());
}

int32_t plugin_fail(rpvp_plugin *p, const char *what)
{
    if (!p->failed) {
        p->failed = true;
        p->error = what ? what : "unknown exception";
        plugin_log(p, RPVP_PLUGIN_LOG_ERROR, "platform failed: " + p->error);
    }
    return RPVP_PLUGIN_FAILED;
}

void irq_from_platform(void *ctx, unsigned line, int level)
{
    auto *p = static_cast<rpvp_plugin *>(ctx);
    p->edges++;
    p->host.set_irq(p->host.ctx, line, level, rpvp_sim_time_ps());
}

/* Bring SystemC (plus the port's local offset) up to time_ps; never goes back. When
 * SystemC is already there (the usual case: it runs up to one quantum ahead), an access
 * runs at SystemC's time plus the latency earlier accesses annotated (TLM LT local
 * time); the port syncs by itself when that reaches its quantum. */
void advance_to(rpvp_plugin *p, uint64_t time_ps)
{
    uint64_t cur = rpvp_port_now(p->port);
    if (time_ps <= cur)
        return;
    rpvp_port_advance(p->port, time_ps - cur);
    rpvp_port_sync(p->port);
}

int32_t map_status(rpvp_status st)
{
    switch (st) {
    case RPVP_OK: return RPVP_PLUGIN_OK;
    case RPVP_ADDRESS_ERROR: return RPVP_PLUGIN_ADDRESS_ERROR;
    default: return RPVP_PLUGIN_GENERIC_ERROR;
    }
}

int32_t op_access(rpvp_plugin *p, uint64_t time_ps, uint64_t addr, uint32_t size,
                  uint32_t is_write, uint64_t *data)
{
    uint64_t wdata = *data;
    if (!is_write)
        *data = 0;
    if (p->failed)
        return RPVP_PLUGIN_FAILED;
    if (size != 1 && size != 2 && size != 4 && size != 8)
        return RPVP_PLUGIN_BAD_ARGUMENT;
    p->accesses++;
    try {
        advance_to(p, time_ps);
        uint8_t buf[8] = {0};
        rpvp_status st;
        if (is_write) {
            for (uint32_t i = 0; i < size; i++)
                buf[i] = static_cast<uint8_t>(wdata >> (8 * i));
            st = rpvp_write(p->port, addr, buf, size, nullptr);
        } else {
            st = rpvp_read(p->port, addr, buf, size, nullptr);
            if (st == RPVP_OK) {
                uint64_t v = 0;
                for (uint32_t i = 0; i < size; i++)
                    v |= static_cast<uint64_t>(buf[i]) << (8 * i);
                *data = v;
            }
        }
        return map_status(st);
    } catch (const std::exception &e) {
        return plugin_fail(p, e.what());
    } catch (...) {
        return plugin_fail(p, nullptr);
    }
}

/* A guest busy with the platform may print nothing for minutes (10^6 echoes): every
 * 10 s of wall time in which it accessed the platform, one "progress" line on QEMU's
 * stderr tells the launcher it is alive (its idle limit is for a silent guest that no
 * longer talks to the platform either). Wall time only decides when to print. */
void beat(rpvp_plugin *p)
{
    if ((p->syncs & 1023) != 0)
        return;
    const auto now = std::chrono::steady_clock::now();
    if (now < p->next_beat)
        return;
    if (p->accesses != p->beat_accesses && p->next_beat.time_since_epoch().count() != 0)
        plugin_log(p, RPVP_PLUGIN_LOG_INFO,
                   "progress: " + std::to_string(p->accesses) + " platform accesses, " +
                       std::to_string(rpvp_sim_time_ps() / 1000000) + " us simulated");
    p->beat_accesses = p->accesses;
    p->next_beat = now + std::chrono::seconds(10);
}

int32_t op_sync(rpvp_plugin *p, uint64_t time_ps)
{
    if (p->failed)
        return RPVP_PLUGIN_FAILED;
    p->syncs++;
    beat(p);
    try {
        advance_to(p, time_ps);
        rpvp_port_sync(p->port); /* flush the local time of this quantum's accesses */
        return RPVP_PLUGIN_OK;
    } catch (const std::exception &e) {
        return plugin_fail(p, e.what());
    } catch (...) {
        return plugin_fail(p, nullptr);
    }
}

uint64_t op_now(rpvp_plugin *) { return rpvp_sim_time_ps(); }

uint64_t op_next_event(rpvp_plugin *p)
{
    if (p->failed || !sc_core::sc_pending_activity())
        return UINT64_MAX;
    const sc_core::sc_time dt = sc_core::sc_time_to_pending_activity();
    return rpvp_sim_time_ps() + static_cast<uint64_t>(dt.value()) *
                                    static_cast<uint64_t>(sc_core::sc_get_time_resolution().to_seconds() * 1e12 + 0.5);
}

const char *op_last_error(rpvp_plugin *p) { return p->error.c_str(); }

void op_destroy(rpvp_plugin *p)
{
    char line[256];
    std::snprintf(line, sizeof(line),
                  "plugin: accesses=%llu syncs=%llu irq_edges=%llu systemc_time_ps=%llu%s",
                  (unsigned long long)p->accesses, (unsigned long long)p->syncs,
                  (unsigned long long)p->edges, (unsigned long long)rpvp_sim_time_ps(),
                  p->failed ? " (failed)" : "");
    plugin_log(p, RPVP_PLUGIN_LOG_INFO, line);
    if (p->platform) {
        std::string rep = p->platform->report();
        if (!rep.empty())
            plugin_log(p, RPVP_PLUGIN_LOG_INFO, rep);
    }
    /* SystemC cannot delete modules of a simulation that ran, nor start another one:
     * the platform stays allocated until the process exits. */
    p->platform.release();
}

const rpvp_plugin_ops g_ops = {
    RPVP_PLUGIN_ABI_VERSION, sizeof(rpvp_plugin_ops), op_access, op_sync, op_now,
    op_next_event, op_last_error, op_destroy,
};

void set_err(char *err, size_t n, const std::string &msg)
{
    if (err && n) {
        std::strncpy(err, msg.c_str(), n - 1);
        err[n - 1] = '\0';
    }
}

} // namespace

extern "C" RPVP_EXPORT uint32_t rpvp_plugin_abi_version(void)
{
    return RPVP_PLUGIN_ABI_VERSION;
}

extern "C" RPVP_EXPORT int32_t rpvp_plugin_create(const rpvp_plugin_host *host,
                                                  const char *config, rpvp_plugin **out,
                                                  const rpvp_plugin_ops **ops, char *err,
                                                  size_t err_size)
{
    if (out)
        *out = nullptr;
    if (!host || !out || !ops || !host->set_irq) {
        set_err(err, err_size, "rpvp_plugin_create: host, out, ops and host->set_irq are required");
        return RPVP_PLUGIN_BAD_ARGUMENT;
    }
    if (host->abi_version != RPVP_PLUGIN_ABI_VERSION || host->struct_size < sizeof(rpvp_plugin_host)) {
        set_err(err, err_size, "host speaks plugin interface version " +
                std::to_string(host->abi_version) + ", this plugin version " +
                std::to_string(RPVP_PLUGIN_ABI_VERSION));
        return RPVP_PLUGIN_BAD_ARGUMENT;
    }
    if (g_created) {
        set_err(err, err_size, "only one rpvp plugin instance per process (SystemC elaborates once)");
        return RPVP_PLUGIN_BAD_ARGUMENT;
    }
    auto p = std::make_unique<rpvp_plugin>();
    p->host = *host;
    try {
        rpvp::PluginConfig cfg(config ? config : "");
        std::string name = cfg.get("platform", "test");
        rpvp::PluginPlatformFactory f = rpvp::find_plugin_platform(name);
        if (!f) {
            set_err(err, err_size, "unknown platform '" + name + "' (known: " +
                    rpvp::plugin_platform_names() + ")");
            return RPVP_PLUGIN_BAD_ARGUMENT;
        }
        g_created = true;
        p->platform = f(cfg);
        p->port = p->platform->port();
        for (const std::string &k : cfg.unused())
            plugin_log(p.get(), RPVP_PLUGIN_LOG_WARN, "config key '" + k + "' not used by platform " + name);
        rpvp_set_irq_callback(p->port, irq_from_platform, p.get());
    } catch (const std::exception &e) {
        set_err(err, err_size, std::string("platform elaboration failed: ") + e.what());
        return RPVP_PLUGIN_FAILED;
    }
    *ops = &g_ops;
    *out = p.release();
    return RPVP_PLUGIN_OK;
}
