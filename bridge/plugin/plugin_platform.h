/*
 * rpvp plugin platforms: how a SystemC platform offers itself to QEMU's rpvp-bridge
 * through the plugin library (include/rpvp/plugin.h, docs/bridge-protocol.md).
 *
 * A platform is a class derived from rpvp::PluginPlatform whose constructor elaborates
 * the SystemC modules and which hands out the rpvp_port of the initiator that stands for
 * QEMU's CPU (an rpvp::BridgeInitiator driven from outside the kernel: its sync runs
 * sc_start). It registers a factory under a name with RPVP_REGISTER_PLUGIN_PLATFORM;
 * the config string's `platform=<name>` picks it at rpvp_plugin_create time.
 *
 * Linking: a platform's sources must end up in the plugin .so with their static
 * registration object kept: compile them into the plugin, or give bridge/plugin an
 * OBJECT library (see bridge/plugin/CMakeLists.txt, RPVP_PLUGIN_PLATFORM_LIBS).
 */
#ifndef RPVP_PLUGIN_PLATFORM_H
#define RPVP_PLUGIN_PLATFORM_H

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "rpvp/bridge.h"

namespace rpvp {

/* The plugin config string: key=value items separated by ',' or ';'. */
class PluginConfig {
public:
    explicit PluginConfig(const std::string &text); /* throws std::invalid_argument */
    bool has(const std::string &key) const { return kv_.count(key) != 0; }
    std::string get(const std::string &key, const std::string &def = "") const;
    /* Decimal or 0x-hex (parse_config_u64); throws std::invalid_argument otherwise:
     * signs, spaces, octal-looking or out-of-range values included. */
    uint64_t get_u64(const std::string &key, uint64_t def) const;
    /* Keys nobody asked for (typos): the plugin reports them after elaboration. */
    std::vector<std::string> unused() const;

private:
    std::map<std::string, std::string> kv_;
    mutable std::set<std::string> used_;
};

/* The number syntax of PluginConfig::get_u64: true and *out for a whole-string decimal
 * or 0x-hex value below 2^64. */
bool parse_config_u64(const std::string &v, uint64_t *out);

class PluginPlatform {
public:
    virtual ~PluginPlatform() = default;
    /* The port QEMU's accesses enter through; its irq lines go to the GIC. */
    virtual rpvp_port *port() = 0;
    /* Statistics printed when the plugin is destroyed (may be empty). */
    virtual std::string report() const { return {}; }
};

using PluginPlatformFactory = std::unique_ptr<PluginPlatform> (*)(const PluginConfig &);

/* Register `factory` under `name`; returns true (for static initialisers). */
bool register_plugin_platform(const char *name, PluginPlatformFactory factory);
/* The factory of `name`, or nullptr. */
PluginPlatformFactory find_plugin_platform(const std::string &name);
/* Registered names, sorted, comma-separated (for error messages). */
std::string plugin_platform_names();

} // namespace rpvp

#define RPVP_PLUGIN_PLATFORM_CAT2(a, b) a##b
#define RPVP_PLUGIN_PLATFORM_CAT(a, b) RPVP_PLUGIN_PLATFORM_CAT2(a, b)
#define RPVP_REGISTER_PLUGIN_PLATFORM(name, factory)                                        \
    static const bool RPVP_PLUGIN_PLATFORM_CAT(rpvp_platform_registered_, __LINE__) =       \
        ::rpvp::register_plugin_platform(name, factory)

#endif
