/*
 * The configuration of one rpvp run, the same for both hosts: one struct, one table of
 * options (key, help, which host, strict setter, canonical getter) from which the command
 * line (CLI11), scenario files (YAML, yaml-cpp) and --dump-config are all made.
 * Every command-line option --KEY=VALUE is the scenario key KEY; the command line
 * overrides the file. Errors name the option (command line) or file, line and key.
 */
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "rpvp/measure.h"
#include "rpvp/quantum.h"

namespace CLI {
class App;
}

namespace rpvp {

/* One quantum default for rpvp, rpvp-synthetic and rpvp-qemu (docs/platform.md, "Quantum"). */
constexpr uint64_t kDefaultQuantumNs = RPVP_DEFAULT_QUANTUM_NS;

struct RunConfig {
    std::string host = "linux";
    std::string firmware;
    std::string plugin;
    uint64_t count = 1000;
    std::vector<unsigned> sizes{16, 496}; /* 0: "random" (synthetic host) */
    uint64_t seed = 0x5250565053594e54ull; /* "RPVPSYNT" */
    uint64_t quantum_ns = kDefaultQuantumNs;
    uint64_t m3_clock_hz = 200000000; /* remote 0's (and every remote's without a list) */
    /* Several remotes: `m3-clock-hz` and `m3-unicache` take one value for all remotes, or
     * a comma-separated list with one per remote (kept here; [0] is m3_clock_hz). */
    std::vector<uint64_t> m3_clocks;
    std::vector<bool> m3_unicache{true};
    uint64_t virtio_version = 2;
    uint64_t slow_us = 50;
    std::string channel = "rpmsg-raw"; /* the synthetic host's echo phases use it */
    bool console = false;
    bool quiet = false;
    std::string log;
    uint64_t timeout_s = 900; /* 0: none */
    std::string json;
    std::string csv;
    uint64_t m3_gdb_port = 0; /* 0: no gdb */
    /* The user's guest content (Linux host; guest_content.h). */
    std::string guest_overlay, guest_run, kernel, modules, dt_overlay;
    std::string out;          /* measurement reports; "": rpvp-out/<mode>-<time> */
    std::string mode = "echo"; /* Linux benchmark: echo, or exhaust (slow consumer) */
    uint64_t window = 32;     /* echo throughput phase: messages in flight */
    uint64_t stream = 200;    /* echo throughput phase: messages per size */
    bool measure = true;      /* the platform's measurement events (off: to cost them) */
    uint64_t measure_events = RPVP_EV_DEFAULT_LIMIT; /* events stored per remote; 0: no limit */
    bool count_ddr = false;   /* each M3's DDR loads/stores counted (report) */
    std::string linux_route = "virtio-mmio"; /* or "remoteproc" (platform_desc.h) */
    bool remote_running = false;             /* remoteproc: rpvp starts the remote first */
    uint64_t restarts = 0;                   /* remoteproc: stop/start/benchmark again */
    bool detach = false;                     /* restarts detach and re-attach instead */
    /* Several remotes (docs/platform.md, "Several remotes"): 1..4 Cortex-M3s; firmware
     * is then one ELF per remote (comma-separated) or one for all. */
    uint64_t remotes = 1;
    bool interference = false; /* remote 0's latency alone, then with remote 1 streaming */
    /* Crash the firmware on purpose during the echoes: "" (no), "fault" (a bus fault),
     * "undef" (an undefined instruction), "watchdog" (it stops refreshing). */
    std::string crash;
    std::string m3_core = "rpvp-m3.core"; /* the M3's ELF core when it crashes */
    std::string mailbox = "tlm"; /* tlm, rtl or both (docs/models/mailbox.md) */
    std::string mailbox_trace;   /* the RTL's waveforms: FILE.vcd or FILE.fst */
    bool trace_devices = false;  /* a log line per mailbox / virtio register access */

    /* Where each key the user gave came from ("FILE:LINE" or "command line"). */
    std::map<std::string, std::string> origin;
};

enum class Hosts { Both, Linux, Synthetic };

struct OptionSpec {
    const char *key;        /* --KEY on the command line, KEY: in a scenario file */
    const char *value_name; /* nullptr for a flag */
    const char *help;
    Hosts hosts;
    bool number; /* a scenario file must give a number (plain YAML scalar) */
    std::string (*set)(RunConfig &, const std::string &); /* "" or the reason */
    std::string (*get)(const RunConfig &);                /* the value as set() reads it */
};

const std::vector<OptionSpec> &run_options();
const OptionSpec *find_option(const std::string &key);

/* The firmware files, one per remote (a single one is used for every remote). */
std::vector<std::string> firmware_list(const RunConfig &c);
/* Remote r's M3 clock and Unicache (a single value holds for every remote). */
uint64_t m3_clock_of(const RunConfig &c, unsigned r);
bool m3_unicache_of(const RunConfig &c, unsigned r);

/* Apply a scenario file. Returns "" or "FILE:LINE: KEY: reason". */
std::string load_scenario(const std::string &path, RunConfig *c);

/* Checks across options and of the files named, before anything runs. "" or the reason. */
std::string check_config(const RunConfig &c, const RunConfig &defaults);

/* The effective configuration as a scenario file (every key). */
std::string dump_config(const RunConfig &c);

/* The command-line arguments (--KEY=VALUE) that reproduce the keys differing from
 * `defaults` and applicable to `host`. */
std::vector<std::string> config_arguments(const RunConfig &c, const RunConfig &defaults,
                                          Hosts host);

enum class Program { Rpvp, Synthetic };

/* Parse argv into *c (which holds the program's defaults): CLI11 for the command line,
 * --scenario=FILE first, then the command line over it, then check_config. Returns -1 to
 * go on, otherwise the exit status (0 after --help or --dump-config, 2 on bad input; the
 * message is printed). */
int parse_run_command_line(int argc, char **argv, Program prog, RunConfig *c);

/* app.parse with rpvp's conventions: -1 to go on; 0 after --help (printed on stdout);
 * 2 on a parse error (printed on stderr as "NAME: reason"). */
int parse_cli(CLI::App &app, int argc, char **argv, const char *name);

} // namespace rpvp
