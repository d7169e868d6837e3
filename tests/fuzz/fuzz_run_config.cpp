/*
 * Fuzz target 7: rpvp's option layer (platforms/omap4-amp/run_config.cpp): the strict
 * value parsers of every option, scenario files (YAML) and the command line (CLI11), the
 * same table for rpvp and rpvp-synthetic. Byte 0 of the input picks the form:
 *   0: "KEY=VALUE" lines given to each option's setter (what --KEY=VALUE and KEY: do);
 *   1: a scenario file (written to a private temporary file, read by load_scenario);
 *   2: a command line, NUL-separated arguments, for rpvp (bit 2 clear) or rpvp-synthetic.
 * Properties: nothing throws past the layer; a refusal names its reason; an accepted
 * value reads back through the option's getter as a canonical text the setter accepts
 * again unchanged; the effective configuration written as a scenario (--dump-config)
 * loads back to the same configuration. --scenario arguments are dropped (a path the
 * fuzzer names could be a FIFO or a terminal: form 1 covers the file's content).
 */
#include <cstdio>
#include <cstdlib>
#include <string>
#include <unistd.h>
#include <vector>

#include "run_config.h"

extern "C" {
#include "fuzz_input.h"
}

namespace {

std::string scratch_path()
{
    static std::string p;
    if (p.empty()) {
        const char *tmp = std::getenv("TMPDIR");
        p = std::string(tmp && *tmp ? tmp : "/tmp") + "/rpvp-fuzz-run-config-" +
            std::to_string(getpid()) + ".yaml";
    }
    return p;
}

/* Write `text` to the scratch file and load it as a scenario into *c. */
std::string load_text(const std::string &text, rpvp::RunConfig *c)
{
    FILE *f = std::fopen(scratch_path().c_str(), "wb");
    FZ_CHECK(f != nullptr, "cannot write %s", scratch_path().c_str());
    std::fwrite(text.data(), 1, text.size(), f);
    std::fclose(f);
    std::string err = rpvp::load_scenario(scratch_path(), c);
    std::remove(scratch_path().c_str());
    return err;
}

/* The dump of an accepted configuration loads back to the same dump. */
void check_dump(const rpvp::RunConfig &c)
{
    const std::string dump = rpvp::dump_config(c);
    rpvp::RunConfig back;
    const std::string err = load_text(dump, &back);
    FZ_CHECK(err.empty(), "the dump does not load back: %s\n%s", err.c_str(), dump.c_str());
    const std::string again = rpvp::dump_config(back);
    FZ_CHECK(again == dump, "dump changed on reload:\n%s---\n%s", dump.c_str(), again.c_str());
}

void setters(const std::string &text)
{
    rpvp::RunConfig c;
    size_t at = 0;
    while (at <= text.size()) {
        size_t nl = text.find('\n', at);
        if (nl == std::string::npos)
            nl = text.size();
        const std::string line = text.substr(at, nl - at);
        at = nl + 1;
        const size_t eq = line.find('=');
        if (eq == std::string::npos)
            continue;
        const rpvp::OptionSpec *o = rpvp::find_option(line.substr(0, eq));
        if (!o)
            continue;
        rpvp::RunConfig before = c;
        const std::string err = o->set(c, line.substr(eq + 1));
        if (!err.empty()) {
            /* One line (it quotes the value, which holds no newline here). */
            FZ_CHECK(err.find('\n') == std::string::npos, "reason of several lines: %s",
                     err.c_str());
            c = before; /* a refused value leaves nothing behind (the run stops) */
            continue;
        }
        const std::string canon = o->get(c);
        rpvp::RunConfig re = c;
        const std::string err2 = o->set(re, canon);
        FZ_CHECK(err2.empty(), "--%s: its own value '%s' is refused: %s", o->key, canon.c_str(),
                 err2.c_str());
        FZ_CHECK(o->get(re) == canon, "--%s: '%s' reads back as '%s'", o->key, canon.c_str(),
                 o->get(re).c_str());
    }
    check_dump(c);
}

void command_line(const std::string &text, bool synthetic)
{
    std::vector<std::string> args{synthetic ? "rpvp-synthetic" : "rpvp"};
    size_t at = 0;
    while (at < text.size() && args.size() < 32) {
        size_t z = text.find('\0', at);
        if (z == std::string::npos)
            z = text.size();
        std::string a = text.substr(at, z - at);
        at = z + 1;
        if (a.find("scenario") == std::string::npos)
            args.push_back(a);
    }
    std::vector<char *> argv;
    for (std::string &a : args)
        argv.push_back(&a[0]);
    argv.push_back(nullptr);
    rpvp::RunConfig c;
    const int rc = rpvp::parse_run_command_line(static_cast<int>(args.size()), argv.data(),
                                                synthetic ? rpvp::Program::Synthetic
                                                          : rpvp::Program::Rpvp,
                                                &c);
    FZ_CHECK(rc == -1 || rc == 0 || rc == 2, "status %d", rc);
    if (rc == -1)
        check_dump(c);
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    /* --help and --dump-config print on stdout: keep the fuzzer's output readable. */
    if (!std::freopen("/dev/null", "w", stdout))
        return 0;
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!size)
        return 0;
    const std::string text(reinterpret_cast<const char *>(data) + 1, size - 1);
    switch (data[0] % 3) {
    case 0:
        setters(text);
        break;
    case 1: {
        rpvp::RunConfig c;
        const std::string err = load_text(text, &c);
        if (err.empty())
            check_dump(c);
        else
            FZ_CHECK(err.find(scratch_path()) == 0, "reason without the file: %s", err.c_str());
        break;
    }
    default:
        command_line(text, data[0] & 4);
        break;
    }
    return 0;
}
