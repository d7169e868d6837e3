/* rpvp plugin platforms: registry and config string (see plugin_platform.h). */
#include "plugin_platform.h"

#include <stdexcept>

namespace rpvp {

PluginConfig::PluginConfig(const std::string &text)
{
    size_t pos = 0;
    while (pos <= text.size()) {
        size_t end = text.find_first_of(",;", pos);
        if (end == std::string::npos)
            end = text.size();
        std::string item = text.substr(pos, end - pos);
        pos = end + 1;
        if (item.empty())
            continue;
        size_t eq = item.find('=');
        if (eq == std::string::npos || eq == 0)
            throw std::invalid_argument("config item '" + item + "' is not key=value");
        kv_[item.substr(0, eq)] = item.substr(eq + 1);
    }
}

std::string PluginConfig::get(const std::string &key, const std::string &def) const
{
    used_.insert(key);
    auto it = kv_.find(key);
    return it == kv_.end() ? def : it->second;
}

uint64_t PluginConfig::get_u64(const std::string &key, uint64_t def) const
{
    if (!has(key)) {
        used_.insert(key);
        return def;
    }
    std::string v = get(key);
    size_t idx = 0;
    uint64_t n = 0;
    try {
        n = std::stoull(v, &idx, 0);
    } catch (const std::exception &) {
        idx = 0;
    }
    if (v.empty() || idx != v.size())
        throw std::invalid_argument("config " + key + "=" + v + " is not a number");
    return n;
}

std::vector<std::string> PluginConfig::unused() const
{
    std::vector<std::string> out;
    for (const auto &kv : kv_)
        if (!used_.count(kv.first))
            out.push_back(kv.first);
    return out;
}

static std::map<std::string, PluginPlatformFactory> &registry()
{
    static std::map<std::string, PluginPlatformFactory> r;
    return r;
}

bool register_plugin_platform(const char *name, PluginPlatformFactory factory)
{
    registry()[name] = factory;
    return true;
}

PluginPlatformFactory find_plugin_platform(const std::string &name)
{
    auto it = registry().find(name);
    return it == registry().end() ? nullptr : it->second;
}

std::string plugin_platform_names()
{
    std::string s;
    for (const auto &kv : registry())
        s += (s.empty() ? "" : ", ") + kv.first;
    return s;
}

} // namespace rpvp
