/* Strict value parsing (value_parse.h). */
#include "value_parse.h"

#include <cctype>
#include <cstring>

namespace rpvp {

namespace {

struct Suffix {
    const char *name;
    uint64_t scale;
};

const Suffix kTime[] = {{"ns", 1}, {"us", 1000}, {"ms", 1000000}, {"s", 1000000000}};
const Suffix kSeconds[] = {{"s", 1}, {"m", 60}, {"h", 3600}};
const Suffix kFrequency[] = {{"Hz", 1}, {"kHz", 1000}, {"MHz", 1000000}, {"GHz", 1000000000}};

std::string unit_list(Unit u)
{
    switch (u) {
    case Unit::TimeNs:
        return "ns, us, ms, s";
    case Unit::Seconds:
        return "s, m, h";
    case Unit::Frequency:
        return "Hz, kHz, MHz, GHz";
    case Unit::None:
        break;
    }
    return "";
}

/* The scale of a unit suffix; 0 when it is not one of the dimension's. */
uint64_t unit_scale(Unit u, const std::string &s)
{
    const Suffix *b = nullptr, *e = nullptr;
    switch (u) {
    case Unit::TimeNs:
        b = std::begin(kTime), e = std::end(kTime);
        break;
    case Unit::Seconds:
        b = std::begin(kSeconds), e = std::end(kSeconds);
        break;
    case Unit::Frequency:
        b = std::begin(kFrequency), e = std::end(kFrequency);
        break;
    case Unit::None:
        return 0;
    }
    for (const Suffix *p = b; p != e; ++p)
        if (s == p->name)
            return p->scale;
    return 0;
}

std::string range_text(uint64_t lo, uint64_t hi, Unit u)
{
    std::string base = u == Unit::TimeNs ? " ns" : u == Unit::Seconds ? " s"
                       : u == Unit::Frequency ? " Hz" : "";
    return "out of range " + std::to_string(lo) + ".." + std::to_string(hi) + base;
}

} // namespace

std::string parse_uint(const std::string &text, uint64_t lo, uint64_t hi, Unit unit,
                       uint64_t *out)
{
    if (text.empty())
        return "empty value";
    if (text[0] == '-')
        return "negative numbers are not allowed (" + range_text(lo, hi, unit) + ")";
    size_t i = 0;
    unsigned base = 10;
    if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X'))
        base = 16, i = 2;
    const size_t digits_from = i;
    uint64_t v = 0;
    for (; i < text.size(); i++) {
        const unsigned char c = static_cast<unsigned char>(text[i]);
        unsigned d;
        if (std::isdigit(c))
            d = c - '0';
        else if (base == 16 && std::isxdigit(c))
            d = static_cast<unsigned>(std::tolower(c) - 'a' + 10);
        else
            break;
        if (v > (UINT64_MAX - d) / base)
            return "too large (" + range_text(lo, hi, unit) + ")";
        v = v * base + d;
    }
    if (i == digits_from)
        return "not a whole number";
    const std::string suffix = text.substr(i);
    if (!suffix.empty()) {
        if (unit == Unit::None || base == 16)
            return "not a whole number (trailing '" + suffix + "')";
        const uint64_t scale = unit_scale(unit, suffix);
        if (!scale)
            return "unknown unit '" + suffix + "' (one of " + unit_list(unit) + ")";
        if (v > UINT64_MAX / scale)
            return "too large (" + range_text(lo, hi, unit) + ")";
        v *= scale;
    }
    if (v < lo || v > hi)
        return range_text(lo, hi, unit);
    *out = v;
    return "";
}

std::string parse_bool(const std::string &text, bool *out)
{
    for (const char *t : {"true", "yes", "on", "1"})
        if (text == t)
            return *out = true, "";
    for (const char *f : {"false", "no", "off", "0"})
        if (text == f)
            return *out = false, "";
    return "not true or false";
}

std::string parse_sizes(const std::string &text, unsigned max, bool allow_random,
                        std::vector<unsigned> *out)
{
    constexpr size_t kMaxSizes = 32;
    std::vector<unsigned> v;
    size_t pos = 0;
    for (;;) {
        const size_t comma = text.find(',', pos);
        const std::string tok = text.substr(pos, comma == std::string::npos ? std::string::npos
                                                                             : comma - pos);
        if (tok == "random") {
            if (!allow_random)
                return "'random' sizes are only available with --host=synthetic";
            v.push_back(0);
        } else {
            uint64_t n;
            const std::string e = parse_uint(tok, 1, max, Unit::None, &n);
            if (!e.empty())
                return "size '" + tok + "': " + e + " (sizes are 1.." + std::to_string(max) +
                       (allow_random ? " or 'random'" : "") + ", comma-separated)";
            v.push_back(static_cast<unsigned>(n));
        }
        if (v.size() > kMaxSizes)
            return "more than " + std::to_string(kMaxSizes) + " sizes";
        if (comma == std::string::npos)
            break;
        pos = comma + 1;
    }
    *out = v;
    return "";
}

std::string format_sizes(const std::vector<unsigned> &sizes)
{
    std::string s;
    for (unsigned n : sizes)
        s += (s.empty() ? "" : ",") + (n ? std::to_string(n) : std::string("random"));
    return s;
}

bool kernel_cmdline_word(const std::string &text)
{
    for (char ch : text) {
        const unsigned char c = static_cast<unsigned char>(ch);
        if (c == 0 || (!std::isalnum(c) && !std::strchr(",._=-+/:", c)))
            return false;
    }
    return !text.empty();
}

std::string shell_quote(const std::string &s)
{
    std::string q = "'";
    for (char c : s)
        q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
}

} // namespace rpvp
