/*
 * Fuzz target 5: the plugin configuration string (bridge/plugin/plugin_platform.cpp,
 * rpvp::PluginConfig): what rpvp and rpvp-qemu hand to the plugin inside QEMU, and what
 * a user may type after -device rpvp-bridge,config=... The input is the config string.
 * Properties: parsing either throws std::invalid_argument or yields key=value items
 * that, written back, parse to the same map; get_u64 accepts exactly the whole-string
 * decimal or 0x-hex values below 2^64 (checked against an independent reference) and
 * returns their value; unused() names exactly the keys not asked for.
 * (rpvp's own command-line options move to helper 14's option layer; their fuzz target
 * follows it.)
 */
#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <vector>

#include "plugin_platform.h"

extern "C" {
#include "fuzz_input.h"
}

namespace {

/* Reference: strtoull after a character-class check (no sign, no space, no octal). */
bool reference_u64(const std::string &v, uint64_t *out)
{
    const bool hex = v.size() > 2 && v[0] == '0' && (v[1] == 'x' || v[1] == 'X');
    const std::string digits = hex ? v.substr(2) : v;
    if (digits.empty() || digits.find('\0') != std::string::npos)
        return false;
    for (char c : digits)
        if (!(hex ? std::isxdigit(static_cast<unsigned char>(c))
                  : std::isdigit(static_cast<unsigned char>(c))))
            return false;
    errno = 0;
    char *end = nullptr;
    unsigned long long n = std::strtoull(digits.c_str(), &end, hex ? 16 : 10);
    if (errno == ERANGE || *end != '\0')
        return false;
    *out = n;
    return true;
}

/* Reference split, character by character: items end at ',' or ';', the first '='
 * separates key and value; empty items are skipped. */
std::vector<std::pair<std::string, std::string>> items_of(const std::string &text)
{
    std::vector<std::pair<std::string, std::string>> out;
    std::string key, value;
    bool in_value = false, any = false;
    auto finish = [&]() {
        if (any && in_value && !key.empty())
            out.emplace_back(key, value);
        key.clear();
        value.clear();
        in_value = any = false;
    };
    for (char ch : text) {
        if (ch == ',' || ch == ';') {
            finish();
            continue;
        }
        any = true;
        if (!in_value && ch == '=')
            in_value = true;
        else
            (in_value ? value : key) += ch;
    }
    finish();
    return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const std::string text(reinterpret_cast<const char *>(data), size);
    try {
        rpvp::PluginConfig cfg(text);
        auto items = items_of(text);
        std::string rebuilt;
        for (size_t i = 0; i < items.size(); i++) {
            const auto &kv = items[i];
            FZ_CHECK(cfg.has(kv.first), "key '%s' lost", kv.first.c_str());
            /* Later items win, as in the parser. */
            std::string last;
            for (const auto &o : items)
                if (o.first == kv.first)
                    last = o.second;
            FZ_CHECK(cfg.get(kv.first) == last, "value of '%s'", kv.first.c_str());
            rebuilt += (i ? "," : "") + kv.first + "=" + kv.second;
            if (i % 2 == 0) {
                uint64_t want = 0;
                const bool ok = reference_u64(last, &want);
                try {
                    const uint64_t got = cfg.get_u64(kv.first, 7);
                    FZ_CHECK(ok && got == want, "get_u64('%s') = %llu accepted", last.c_str(),
                             static_cast<unsigned long long>(got));
                } catch (const std::invalid_argument &) {
                    FZ_CHECK(!ok, "get_u64('%s') refused a valid number", last.c_str());
                }
            }
        }
        /* A key the input did not set gets the default (the fuzzer set this very key
         * once: regressions/plugin_config/defines_the_probe_key). */
        const std::string absent = "no-such-key-\x01";
        if (!cfg.has(absent))
            FZ_CHECK(cfg.get_u64(absent, 42) == 42, "default");
        rpvp::PluginConfig again(rebuilt);
        for (const auto &kv : items)
            FZ_CHECK(again.get(kv.first) == cfg.get(kv.first), "round trip of '%s'",
                     kv.first.c_str());
        FZ_CHECK(cfg.unused().empty(), "every key was asked for");
    } catch (const std::invalid_argument &e) {
        FZ_CHECK(e.what()[0] != '\0', "refusal without message");
    }
    return 0;
}

/* librpvp_plugin_platform_api pulls in the SystemC library, which wants an sc_main. */
extern "C" int sc_main(int, char **) { return 0; }
