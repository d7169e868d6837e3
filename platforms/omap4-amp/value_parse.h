/*
 * Strict parsing of the values a user types (command line or scenario file), the same for
 * every rpvp program and both hosts: the whole string must be the value, it must lie in its
 * range, and a unit, where one is allowed, must be of the right dimension.
 *
 * Each parser returns an empty string on success and otherwise the reason, worded to follow
 * "--option=VALUE: " (e.g. "not a whole number", "out of range 1..496").
 */
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace rpvp {

/* What a number may carry after it. */
enum class Unit {
    None,      /* a plain whole number */
    TimeNs,    /* ns (default), us, ms, s -> nanoseconds */
    Seconds,   /* s (default), m, h -> seconds */
    Frequency, /* Hz (default), kHz, MHz, GHz -> hertz */
};

/* A whole number in [lo, hi] (decimal, or hexadecimal with 0x), with a unit suffix of the
 * given dimension. Refused: signs, spaces, fractions, exponents, trailing text, overflow. */
std::string parse_uint(const std::string &text, uint64_t lo, uint64_t hi, Unit unit,
                       uint64_t *out);

/* "true"/"false" (also yes/no, on/off, 1/0). */
std::string parse_bool(const std::string &text, bool *out);

/* A comma-separated list of message sizes 1..max (at most 32 of them); "random" (stored as
 * 0) only when allow_random. */
std::string parse_sizes(const std::string &text, unsigned max, bool allow_random,
                        std::vector<unsigned> *out);

/* The sizes back in the form parse_sizes reads. */
std::string format_sizes(const std::vector<unsigned> &sizes);

/* A value that ends up on the guest kernel's command line must be one word of these
 * characters only: letters, digits and , . _ = - + / : (no space, quote or control). */
bool kernel_cmdline_word(const std::string &text);

/* s as one word of a POSIX shell command ('...'). */
std::string shell_quote(const std::string &s);

} // namespace rpvp
