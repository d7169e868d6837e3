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

/* Strict: the whole value is decimal digits, or 0x and hex digits, and fits 64 bits.
 * (std::stoull accepted "-1" as 2^64-1, " 7", "+7", and read "010" as octal 8.) */
bool parse_config_u64(const std::string &v, uint64_t *out)
{
    const bool hex = v.size() > 2 && v[0] == '0' && (v[1] == 'x' || v[1] == 'X');
    const unsigned base = hex ? 16 : 10;
    size_t i = hex ? 2 : 0;
    if (i >= v.size())
        return false;
    uint64_t n = 0;
    for (; i < v.size(); i++) {
        const char c = v[i];
        unsigned d;
        if (c >= '0' && c <= '9')
            d = static_cast<unsigned>(c - '0');
        else if (hex && c >= 'a' && c <= 'f')
            d = static_cast<unsigned>(c - 'a' + 10);
        else if (hex && c >= 'A' && c <= 'F')
            d = static_cast<unsigned>(c - 'A' + 10);
        else
            return false;
        if (n > (UINT64_MAX - d) / base)
            return false; /* would not fit */
        n = n * base + d;
    }
    *out = n;
    return true;
}

uint64_t PluginConfig::get_u64(const std::string &key, uint64_t def) const
{
    if (!has(key)) {
        used_.insert(key);
        return def;
    }
    std::string v = get(key);
    uint64_t n = 0;
    if (!parse_config_u64(v, &n))
        throw std::invalid_argument("config " + key + "=" + v +
                                    " is not a number (decimal or 0x-hex, < 2^64)");
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
