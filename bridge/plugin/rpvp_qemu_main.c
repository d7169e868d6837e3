/*
 * rpvp-qemu: run rpvp's Linux guest on QEMU with the rpvp plugin (qemu_launch.h).
 *
 *   rpvp-qemu [--mode=boot|echo|mmio] [--args=a,b] [--config=platform=test]
 *             [--plugin=PATH | --no-bridge] [--qemu=PATH] [--guest=DIR] [--kernel=PATH]
 *             [--shm=NAME] [--memory=256M] [--quantum-ns=N] [--icount-shift=N]
 *             [--trace=FILE] [--log=FILE] [--console] [--timeout=S] [--idle-timeout=S]
 *             [--append=STR] [--print-cmd]
 * Defaults for --qemu/--guest come from tools/build-qemu.sh --print and
 * tools/build-guest.sh --print of the source tree it was built from; --plugin defaults
 * to the librpvp_plugin.so built beside it. Exit status 0 only if the guest finished
 * with RPVP-DONE status=0; otherwise the reason and the last console lines go to stderr.
 * With platform=omap4-amp in --config, the bridge window, its interrupt lines and the
 * device tree come from the platform description (platforms/omap4-amp/platform_desc.h;
 * linux-route= and remote-running= of the config choose the variant).
 */
#define _GNU_SOURCE
#include "qemu_launch.h"
#include "platform_qemu.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef RPVP_SOURCE_DIR
#define RPVP_SOURCE_DIR "."
#endif
#ifndef RPVP_PLUGIN_PATH
#define RPVP_PLUGIN_PATH "librpvp_plugin.so"
#endif

static const char *val(const char *arg, const char *name)
{
    size_t n = strlen(name);
    return strncmp(arg, name, n) == 0 && arg[n] == '=' ? arg + n + 1 : NULL;
}

int main(int argc, char **argv)
{
    rpvp_qemu_config c;
    rpvp_qemu_result r;
    const char *mode = "boot", *args = NULL, *append = NULL, *v;
    int print_cmd = 0, no_bridge = 0;
    char appendbuf[2048];

    rpvp_qemu_config_init(&c);
    c.plugin = RPVP_PLUGIN_PATH;
    c.plugin_config = "platform=test";
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if ((v = val(a, "--mode"))) mode = v;
        else if ((v = val(a, "--args"))) args = v;
        else if ((v = val(a, "--config"))) c.plugin_config = v;
        else if ((v = val(a, "--plugin"))) c.plugin = v;
        else if (strcmp(a, "--no-bridge") == 0) no_bridge = 1;
        else if ((v = val(a, "--qemu"))) c.qemu = v;
        else if ((v = val(a, "--guest"))) c.guest_dir = v;
        else if ((v = val(a, "--kernel"))) c.kernel = v;
        else if ((v = val(a, "--shm"))) c.shm_name = v;
        else if ((v = val(a, "--memory"))) c.memory = v;
        else if ((v = val(a, "--quantum-ns"))) c.quantum_ns = strtoull(v, NULL, 0);
        else if ((v = val(a, "--icount-shift"))) c.icount_shift = (unsigned)strtoul(v, NULL, 0);
        else if ((v = val(a, "--trace"))) c.trace_file = v;
        else if ((v = val(a, "--log"))) c.console_log = v;
        else if (strcmp(a, "--console") == 0) c.console_to_terminal = 1;
        else if ((v = val(a, "--timeout"))) c.timeout_s = atof(v);
        else if ((v = val(a, "--idle-timeout"))) c.idle_timeout_s = atof(v);
        else if ((v = val(a, "--append"))) append = v;
        else if (strcmp(a, "--print-cmd") == 0) print_cmd = 1;
        else {
            fprintf(stderr, "rpvp-qemu: unknown argument %s (see the comment in rpvp_qemu_main.c)\n", a);
            return 2;
        }
    }
    if (no_bridge)
        c.plugin = NULL;
    if (!c.qemu && !(c.qemu = rpvp_qemu_cached_path(RPVP_SOURCE_DIR, "build-qemu.sh"))) {
        fprintf(stderr, "rpvp-qemu: no QEMU built: run tools/build-qemu.sh (or give --qemu)\n");
        return 1;
    }
    if (!c.guest_dir && !(c.guest_dir = rpvp_qemu_cached_path(RPVP_SOURCE_DIR, "build-guest.sh"))) {
        fprintf(stderr, "rpvp-qemu: no guest built: run tools/build-guest.sh (or give --guest)\n");
        return 1;
    }
    char *dt = NULL;
    if (c.plugin && strstr(c.plugin_config, "platform=omap4-amp")) {
        rpvp_platform_desc d;
        rpvp_linux_route route = RPVP_ROUTE_VIRTIO_MMIO;
        const char *lr = strstr(c.plugin_config, "linux-route=");
        char name[32] = "";
        if (lr && (sscanf(lr + 12, "%31[^;,]", name) != 1 ||
                   rpvp_linux_route_parse(name, &route) != 0)) {
            fprintf(stderr, "rpvp-qemu: linux-route=%s: virtio-mmio or remoteproc\n", name);
            return 2;
        }
        rpvp_platform_desc_init(&d, route, strstr(c.plugin_config, "remote-running=1") != NULL);
        dt = rpvp_platform_qemu_setup(&d, &c);
    }
    snprintf(appendbuf, sizeof(appendbuf), "rpvp.mode=%s%s%s%s%s", mode, args ? " rpvp.args=" : "",
             args ? args : "", append ? " " : "", append ? append : "");
    c.append = appendbuf;

    if (print_cmd) {
        char err[512];
        char **av = rpvp_qemu_build_argv(&c, err, sizeof(err));
        if (!av) {
            fprintf(stderr, "rpvp-qemu: %s\n", err);
            return 1;
        }
        for (char **p = av; *p; p++)
            printf("'%s'%s", *p, p[1] ? " " : "\n");
        rpvp_qemu_free_argv(av);
        return 0;
    }
    /* --shm=NAME: QEMU creates /dev/shm/NAME for the guest RAM when it is not there; a
     * file this run created is this run's to remove (it used to stay: 256 MiB a run). */
    char shm_path[512] = "";
    if (c.shm_name)
        snprintf(shm_path, sizeof shm_path, "/dev/shm/%s", c.shm_name);
    int shm_ours = shm_path[0] && access(shm_path, F_OK) != 0;
    int rc = rpvp_qemu_run(&c, &r);
    free(dt);
    if (shm_ours && shm_unlink(c.shm_name) == 0)
        fprintf(stderr, "rpvp-qemu: removed %s (created by this run)\n", shm_path);
    if (rc == 0) {
        printf("rpvp-qemu: ok: guest finished in %.2f s wall (init after %.2f s), QEMU used "
               "%.2f s CPU\n", r.wall_s, r.init_wall_s, r.cpu_s);
        return 0;
    }
    fprintf(stderr, "rpvp-qemu: FAILED: %s\n", r.reason);
    if (r.last_lines[0])
        fprintf(stderr, "rpvp-qemu: last console lines:\n%s", r.last_lines);
    return r.interrupted ? 128 + r.interrupted : 1;
}
