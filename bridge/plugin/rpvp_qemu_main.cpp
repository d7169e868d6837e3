/*
 * rpvp-qemu: run rpvp's Linux guest on QEMU with the rpvp plugin (qemu_launch.h), the
 * lower-level launcher under `rpvp`. `rpvp-qemu --help` lists the options.
 *
 * Defaults for --qemu/--guest come from tools/build-qemu.sh --print and
 * tools/build-guest.sh --print of the source tree it was built from; --plugin defaults
 * to the librpvp_plugin.so built beside it; --kernel/--initrd/--dtb to the guest folder's.
 * Values are parsed strictly as `rpvp` parses them (value_parse.h); the quantum default is
 * rpvp's (RPVP_DEFAULT_QUANTUM_NS). Exit status 0 only if the guest finished with
 * RPVP-DONE status=0; otherwise the reason and the last console lines go to stderr.
 * With platform=omap4-amp in --config, the bridge window, its interrupt lines and the
 * device tree come from the platform description (platforms/omap4-amp/platform_desc.h;
 * linux-route= and remote-running= of the config choose the variant); --dtb overrides
 * the generated device tree.
 */
#include <sys/mman.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include <CLI/CLI.hpp>

#include "install_paths.h"
#include "platform_qemu.h"
#include "qemu_launch.h"
#include "run_config.h"
#include "value_parse.h"


namespace {

/* A strictly parsed number option: the text, its range and unit, where it goes. */
struct NumberOpt {
    std::string text;
    uint64_t lo, hi;
    rpvp::Unit unit;
    const char *name;
};

} // namespace

int main(int argc, char **argv)
{
    rpvp_qemu_config c;
    rpvp_qemu_config_init(&c);
    std::string mode = "boot", args, append, config = "platform=test",
                plugin = rpvp_path(RPVP_PATH_PLUGIN);
    std::string qemu, guest, kernel, initrd, dtb, shm, memory = c.memory, trace, log;
    bool no_bridge = false, console = false, print_cmd = false;
    NumberOpt quantum{"", 100, 1000000, rpvp::Unit::TimeNs, "--quantum-ns"};
    NumberOpt shift{"", 0, 10, rpvp::Unit::None, "--icount-shift"};
    NumberOpt timeout{"", 0, 7 * 24 * 3600, rpvp::Unit::Seconds, "--timeout"};
    NumberOpt idle{"", 0, 7 * 24 * 3600, rpvp::Unit::Seconds, "--idle-timeout"};

    CLI::App app("rpvp-qemu: boot rpvp's Linux guest on rpvp's QEMU with the rpvp plugin "
                 "(the launcher under `rpvp`; docs/linux-guest.md). Exit 0 only if the guest "
                 "printed RPVP-DONE status=0.", "rpvp-qemu");
    app.get_formatter()->column_width(30);
    app.add_option("--mode", mode, "what the guest's init runs (rpvp.mode)")
        ->check(CLI::IsMember({"boot", "echo", "mmio", "run"}))->capture_default_str();
    app.add_option("--args", args, "arguments of rpvp-linux-bench, comma-joined (rpvp.args)");
    app.add_option("--config", config, "the plugin's configuration string")->capture_default_str();
    app.add_option("--plugin", plugin, "the rpvp plugin")->type_name("SO")->capture_default_str();
    app.add_flag("--no-bridge", no_bridge, "QEMU without rpvp's bridge device");
    app.add_option("--qemu", qemu, "QEMU with rpvp's bridge (default: tools/build-qemu.sh --print)")
        ->type_name("PATH");
    app.add_option("--guest", guest, "the guest folder (default: tools/build-guest.sh --print)")
        ->type_name("DIR");
    app.add_option("--kernel", kernel, "the kernel (default: GUEST/vmlinuz)")->type_name("ZIMAGE");
    app.add_option("--initrd", initrd, "the initramfs (default: GUEST/initrd.cpio.gz)")
        ->type_name("FILE");
    app.add_option("--dtb", dtb, "the device tree (default: GUEST/rpvp.dtb, GUEST/virt.dtb "
                                 "with --no-bridge)")->type_name("FILE");
    app.add_option("--shm", shm, "guest RAM in /dev/shm/NAME (shared with the plugin)")
        ->type_name("NAME");
    app.add_option("--memory", memory, "guest RAM size")->capture_default_str();
    app.add_option("--quantum-ns", quantum.text, "the bridge's quantum (100 ns..1 ms; units ns, "
                   "us, ms; default " + std::to_string(c.quantum_ns) + ")")->type_name("T");
    app.add_option("--icount-shift", shift.text, "-icount shift (0..10; default 0: 1 ns per "
                   "instruction)")->type_name("N");
    app.add_option("--trace", trace, "trace of bridged accesses and interrupt edges")
        ->type_name("FILE");
    app.add_option("--log", log, "the guest console log")->type_name("FILE");
    app.add_flag("--console", console, "the console on the terminal too");
    app.add_option("--timeout", timeout.text, "wall-time limit (0: none; units s, m, h; default "
                   + std::to_string(static_cast<int>(c.timeout_s)) + " s)")->type_name("T");
    app.add_option("--idle-timeout", idle.text, "no console output this long is a hang (0: none; "
                   "default " + std::to_string(static_cast<int>(c.idle_timeout_s)) + " s)")
        ->type_name("T");
    app.add_option("--append", append, "more kernel command line");
    app.add_flag("--print-cmd", print_cmd, "print QEMU's command line and exit");
    if (int rc = rpvp::parse_cli(app, argc, argv, "rpvp-qemu"); rc >= 0)
        return rc;

    for (NumberOpt *n : {&quantum, &shift, &timeout, &idle}) {
        uint64_t v = 0;
        if (n->text.empty())
            continue;
        std::string err = rpvp::parse_uint(n->text, n->lo, n->hi, n->unit, &v);
        if (!err.empty()) {
            std::fprintf(stderr, "rpvp-qemu: %s=%s: %s\n", n->name, n->text.c_str(), err.c_str());
            return 2;
        }
        if (n == &quantum)
            c.quantum_ns = v;
        else if (n == &shift)
            c.icount_shift = static_cast<unsigned>(v);
        else if (n == &timeout)
            c.timeout_s = static_cast<double>(v);
        else
            c.idle_timeout_s = static_cast<double>(v);
    }
    for (const std::string *w : {&args, &append})
        for (size_t p = 0, q; p <= w->size() && !w->empty(); p = q + 1) {
            q = w->find(' ', p);
            if (q == std::string::npos)
                q = w->size();
            if (!rpvp::kernel_cmdline_word(w->substr(p, q - p))) {
                std::fprintf(stderr, "rpvp-qemu: %s: a kernel command-line word with a "
                             "character outside [A-Za-z0-9,._=-+/:]\n", w->c_str());
                return 2;
            }
        }
    c.plugin_config = config.c_str();
    c.plugin = no_bridge ? nullptr : plugin.c_str();
    c.memory = memory.c_str();
    c.console_to_terminal = console;
    auto opt = [](const std::string &s) { return s.empty() ? nullptr : s.c_str(); };
    c.kernel = opt(kernel);
    c.initrd = opt(initrd);
    c.dtb = opt(dtb);
    c.shm_name = opt(shm);
    c.trace_file = opt(trace);
    c.console_log = opt(log);

    char *cached_qemu = nullptr, *cached_guest = nullptr;
    const char *data = rpvp_path(RPVP_PATH_DATA); /* build-qemu.sh, build-guest.sh */
    if (!qemu.empty())
        c.qemu = qemu.c_str();
    else if (!(c.qemu = cached_qemu = rpvp_qemu_cached_path(data, "build-qemu.sh"))) {
        std::fprintf(stderr, "rpvp-qemu: no QEMU built: run %s/tools/build-qemu.sh (or give --qemu)\n",
                     data);
        return 1;
    }
    if (!guest.empty())
        c.guest_dir = guest.c_str();
    else if (!(c.guest_dir = cached_guest =
                   rpvp_qemu_cached_path(data, "build-guest.sh"))) {
        std::fprintf(stderr, "rpvp-qemu: no guest built: run %s/tools/build-guest.sh (or give --guest)\n",
                     data);
        return 1;
    }
    char *dt = nullptr;
    if (c.plugin && config.find("platform=omap4-amp") != std::string::npos) {
        rpvp_platform_desc d;
        rpvp_linux_route route = RPVP_ROUTE_VIRTIO_MMIO;
        const size_t lr = config.find("linux-route=");
        const std::string name = lr == std::string::npos ? ""
            : config.substr(lr + 12, config.find_first_of(";,", lr) - lr - 12);
        if (lr != std::string::npos && rpvp_linux_route_parse(name.c_str(), &route) != 0) {
            std::fprintf(stderr, "rpvp-qemu: linux-route=%s: virtio-mmio or remoteproc\n",
                         name.c_str());
            return 2;
        }
        rpvp_platform_desc_init(&d, route, config.find("remote-running=1") != std::string::npos);
        dt = rpvp_platform_qemu_setup(&d, &c);
    }
    std::string full = "rpvp.mode=" + mode + (args.empty() ? "" : " rpvp.args=" + args) +
                       (append.empty() ? "" : " " + append);
    c.append = full.c_str();

    int rc;
    if (print_cmd) {
        char err[512];
        char **av = rpvp_qemu_build_argv(&c, err, sizeof(err));
        if (!av) {
            std::fprintf(stderr, "rpvp-qemu: %s\n", err);
            rc = 1;
        } else {
            for (char **p = av; *p; p++)
                std::printf("'%s'%s", *p, p[1] ? " " : "\n");
            rpvp_qemu_free_argv(av);
            rc = 0;
        }
    } else {
        /* --shm=NAME: QEMU creates /dev/shm/NAME for the guest RAM when it is not there; a
         * file this run created is this run's to remove (it used to stay: 256 MiB a run). */
        const std::string shm_path = shm.empty() ? "" : "/dev/shm/" + shm;
        const bool shm_ours = !shm.empty() && access(shm_path.c_str(), F_OK) != 0;
        rpvp_qemu_result r;
        rc = rpvp_qemu_run(&c, &r);
        if (shm_ours && shm_unlink(shm.c_str()) == 0)
            std::fprintf(stderr, "rpvp-qemu: removed %s (created by this run)\n",
                         shm_path.c_str());
        if (rc == 0) {
            std::printf("rpvp-qemu: ok: guest finished in %.2f s wall (init after %.2f s), QEMU "
                        "used %.2f s CPU\n", r.wall_s, r.init_wall_s, r.cpu_s);
        } else {
            std::fprintf(stderr, "rpvp-qemu: FAILED: %s\n", r.reason);
            if (r.last_lines[0])
                std::fprintf(stderr, "rpvp-qemu: last console lines:\n%s", r.last_lines);
            rc = r.interrupted ? 128 + r.interrupted : 1;
        }
    }
    std::free(dt);
    std::free(cached_qemu);
    std::free(cached_guest);
    return rc;
}
