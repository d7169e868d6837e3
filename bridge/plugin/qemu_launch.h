/*
 * rpvp QEMU launcher: starts Debian's QEMU (built by tools/build-qemu.sh, with rpvp's
 * bridge device) as a child running rpvp's Linux guest (tools/build-guest.sh) with the
 * rpvp plugin, streams the guest console, and always ends in bounded time with a clear
 * reason and the last console lines, leaving no child behind.
 *
 * The `rpvp` command (platforms/omap4-amp) and the `rpvp-qemu` tool call rpvp_qemu_run.
 * Interface: rpvp_qemu_config (inputs), rpvp_qemu_result (outcome), one blocking call.
 * The child QEMU runs in its own process group, dies with its parent (PR_SET_PDEATHSIG)
 * and is killed (TERM, then KILL after 2 s) on every failure path.
 *
 * Guest protocol (firmware/linux/init.sh): the console line "RPVP-DONE status=<n>" ends
 * a run; the guest then powers off and QEMU exits 0. Not handled: several guests at
 * once, interactive console input.
 */
#ifndef RPVP_QEMU_LAUNCH_H
#define RPVP_QEMU_LAUNCH_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct rpvp_qemu_config {
    const char *qemu;          /* qemu-system-arm with rpvp-bridge (required) */
    const char *guest_dir;     /* vmlinuz, initrd.cpio.gz, virt.dtb, virt.dts, qemu-args */
    const char *kernel;        /* overrides guest_dir/vmlinuz */
    const char *initrd;        /* overrides guest_dir/initrd.cpio.gz */
    const char *dtb;           /* overrides guest_dir/virt.dtb (QEMU virt's own) */
    /* Device-tree source added to guest_dir/virt.dts for this run (the platform's nodes,
     * e.g. rpvp_platform_dt_fragment): compiled with dtc into $TMPDIR/rpvp-<pid>.dtb,
     * removed after the run. Ignored when dtb is given. */
    const char *dt_fragment;
    const char *append;        /* extra kernel command line, e.g. "rpvp.mode=echo" */
    const char *memory;        /* guest RAM size, "256M"; must match the dtb's dump */
    const char *shm_name;      /* guest RAM = /dev/shm/<name> (share=on); NULL: private */
    const char *plugin;        /* librpvp_plugin.so; NULL: QEMU alone (no bridge) */
    const char *plugin_config; /* e.g. "platform=test" (',' allowed: escaped for QEMU) */
    uint64_t bridge_base, bridge_size;
    uint32_t bridge_irqs, bridge_spi;
    uint64_t quantum_ns;     /* lockstep quantum (default 10000) */
    unsigned icount_shift;   /* -icount shift=N,sleep=off (default 0: 1 ns per insn) */
    const char *trace_file;  /* bridged access / irq edge trace, NULL: none */
    const char *console_log; /* guest console (and QEMU's stderr, "[qemu] ") to this file */
    int console_to_terminal; /* also copy the console to our stdout (--console) */
    double timeout_s;        /* whole run, wall seconds (0: none) */
    double idle_timeout_s;   /* no console output (nor plugin progress line) this long =
                              * guest hang (0: none) */
    const char *const *extra_args; /* more QEMU arguments, NULL-terminated, or NULL */
    /* Called for every console line (without newline), in order, and for each line of
     * QEMU's stderr prefixed "[qemu] " (the plugin's statistics). May be NULL. */
    void (*on_line)(void *ctx, const char *line);
    void *on_line_ctx;
} rpvp_qemu_config;

#define RPVP_QEMU_LAST_LINES 20

typedef struct rpvp_qemu_result {
    int ok;            /* QEMU exited 0 after "RPVP-DONE status=0" */
    int exit_status;   /* QEMU's exit code; -N if killed by signal N; -1000 not started */
    int guest_status;  /* n of "RPVP-DONE status=n", -1 if never printed */
    int hung;          /* ended by a timeout */
    int interrupted;   /* SIGINT, SIGTERM or SIGHUP ended the run (QEMU stopped); 0 if not.
                        * The caller cleans up and exits 128 + it: the handlers are
                        * installed only while rpvp_qemu_run runs. */
    int child_pid;     /* QEMU's pid while it runs (for on_line callbacks), 0 before */
    double wall_s;     /* wall time from start to QEMU's end */
    double cpu_s;      /* QEMU's host CPU time, user + system, all threads */
    double init_wall_s;/* wall time to the "RPVP-INIT" line, -1 if never printed */
    char reason[1200]; /* one clear sentence when !ok */
    char last_lines[RPVP_QEMU_LAST_LINES * 200]; /* last console lines, '\n'-separated */
} rpvp_qemu_result;

/* Defaults: memory 256M, bridge at 0x0b000000 size 0x200, 1 irq on SPI 10, quantum
 * 10 us, icount shift 0, timeout 600 s, idle timeout 120 s. */
void rpvp_qemu_config_init(rpvp_qemu_config *c);

/* The QEMU command line for `c` (argv[0] = c->qemu), NULL-terminated, malloc'ed: free
 * with rpvp_qemu_free_argv. NULL with a reason in err if an input is missing. */
char **rpvp_qemu_build_argv(const rpvp_qemu_config *c, char *err, size_t err_size);
/* What `<source_dir>/tools/<script> --print` prints last (the cached QEMU binary or guest
 * directory), malloc'ed; NULL if the script fails (not built yet). */
char *rpvp_qemu_cached_path(const char *source_dir, const char *script);
void rpvp_qemu_free_argv(char **argv);

/* Run QEMU to its end. Returns 0 when r->ok, 1 otherwise (r->reason says why). */
int rpvp_qemu_run(const rpvp_qemu_config *c, rpvp_qemu_result *r);

#ifdef __cplusplus
}
#endif
#endif
