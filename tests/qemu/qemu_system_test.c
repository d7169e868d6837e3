/*
 * System tests: Debian's unmodified armmp kernel on rpvp's QEMU with the rpvp plugin,
 * run through the launcher library (bridge/plugin/qemu_launch.h) as the rpvp command
 * does. QEMU and the guest come from tools/build-qemu.sh and tools/build-guest.sh (a
 * CTest fixture builds them, cached).
 *   qemu_system_test <case> <librpvp_plugin.so> <bad_version_plugin.so> <work dir> [fw.elf]
 * (the omap4_* cases need the Cortex-M3 firmware ELF of the omap4-amp platform).
 */
#define _GNU_SOURCE
#include "qemu_launch.h"
#include "platform_qemu.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef RPVP_SOURCE_DIR
#define RPVP_SOURCE_DIR "."
#endif

#include "check.h"

static const char *plugin, *bad_plugin, *work, *firmware;
static char qemu[4096], guest[4096];

static void script_print(const char *script, char *out, size_t n)
{
    char cmd[4200];
    snprintf(cmd, sizeof(cmd), "'%s/tools/%s' --print", RPVP_SOURCE_DIR, script);
    FILE *p = popen(cmd, "r");
    CHECK(p && fgets(out, (int)n, p), "%s --print gave nothing", script);
    out[strcspn(out, "\n")] = '\0';
    CHECK(pclose(p) == 0, "%s --print failed (is the fixture built?)", script);
}

static void base_config(rpvp_qemu_config *c, const char *append)
{
    rpvp_qemu_config_init(c);
    c->qemu = qemu;
    c->guest_dir = guest;
    c->plugin = plugin;
    c->plugin_config = "platform=test";
    c->quantum_ns = 10000; /* the test platform's own quantum (test_platform.cpp) */
    c->append = append;
    c->timeout_s = 240;
    c->idle_timeout_s = 60;
}

static void path(char *out, size_t n, const char *name)
{
    snprintf(out, n, "%s/%s", work, name);
}

/* The run ended and left nothing of QEMU behind. */
static void check_no_child(const rpvp_qemu_result *r)
{
    CHECK(r->child_pid > 0, "QEMU never started");
    CHECK(kill(r->child_pid, 0) == -1 && errno == ESRCH, "QEMU pid %d still exists", r->child_pid);
    CHECK(kill(-r->child_pid, 0) == -1 && errno == ESRCH, "QEMU's group %d still exists", r->child_pid);
}

static char *slurp(const char *file)
{
    FILE *f = fopen(file, "r");
    CHECK(f, "cannot read %s", file);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    CHECK(b && fread(b, 1, (size_t)n, f) == (size_t)n, "read %s", file);
    b[n] = '\0';
    fclose(f);
    return b;
}

static void show(const rpvp_qemu_result *r)
{
    fprintf(stderr, "ok=%d exit=%d guest=%d hung=%d wall=%.2f s reason='%s'\nlast lines:\n%s",
            r->ok, r->exit_status, r->guest_status, r->hung, r->wall_s, r->reason, r->last_lines);
}

/* Boots to init; virtio_mmio's probe of rpvp's DT node reaches SystemC. */
static void case_boot(void)
{
    rpvp_qemu_config c;
    rpvp_qemu_result r;
    char log[4096], trace[4096];
    path(log, sizeof(log), "boot.log");
    path(trace, sizeof(trace), "boot.trace");
    base_config(&c, "rpvp.mode=boot");
    c.console_log = log;
    c.trace_file = trace;
    /* The test platform answers where the platform description puts the virtio-mmio
     * device: its generated node makes virtio_mmio probe through the bridge. */
    rpvp_platform_desc d;
    rpvp_platform_desc_init(&d, RPVP_ROUTE_VIRTIO_MMIO, 0);
    char *dt = rpvp_platform_dt_fragment(&d);
    c.dt_fragment = dt;
    int rc = rpvp_qemu_run(&c, &r);
    free(dt);
    show(&r);
    CHECK(rc == 0 && r.ok, "boot failed: %s", r.reason);
    char *con = slurp(log), *tr = slurp(trace);
    CHECK(strstr(con, "Linux version 6.") && strstr(con, "armmp"), "Debian armmp kernel booted");
    CHECK(strstr(con, "RPVP-INIT"), "init reached");
    CHECK(strstr(con, "RPVP-MODULES virtio_mmio"), "virtio_mmio module loaded");
    /* Linux's virtio_mmio probe read MagicValue, Version, DeviceID through the bridge. */
    CHECK(strstr(tr, " R 0xb000000 4 0x74726976 0\n"), "magic read reached SystemC");
    CHECK(strstr(tr, " R 0xb000008 4 0x0 0\n"), "device id read reached SystemC");
    CHECK(strstr(con, "rpvp: test-device: accesses="), "plugin statistics at exit");
    check_no_child(&r);
}

/* 10,000 scratch round trips and interrupt edges from Linux user space. */
static void run_mmio(const char *tag, char *trace, size_t n, char *log, size_t m)
{
    rpvp_qemu_config c;
    rpvp_qemu_result r;
    char name[64];
    snprintf(name, sizeof(name), "mmio-%s.trace", tag);
    path(trace, n, name);
    snprintf(name, sizeof(name), "mmio-%s.log", tag);
    path(log, m, name);
    base_config(&c, "rpvp.mode=mmio rpvp.args=--count=10000");
    c.trace_file = trace;
    c.console_log = log;
    int rc = rpvp_qemu_run(&c, &r);
    show(&r);
    CHECK(rc == 0 && r.ok, "mmio run failed: %s", r.reason);
    check_no_child(&r);
}

static void case_mmio(void)
{
    char trace[4096], log[4096];
    run_mmio("single", trace, sizeof(trace), log, sizeof(log));
    char *con = slurp(log);
    CHECK(strstr(con, "RPVP-MMIO count=10000 bad=0"), "all round trips byte-exact");
    char *tr = slurp(trace);
    unsigned a = 0, i = 0;
    for (char *l = tr; *l; l = strchr(l, '\n') + 1) {
        a += l[0] == 'A';
        i += l[0] == 'I';
        if (!strchr(l, '\n'))
            break;
    }
    CHECK(a >= 20000 && i >= 150, "accesses %u edges %u", a, i);
}

/* First n lines of kind k ('A' or 'I') of a trace, concatenated. */
static char *first_lines(const char *tr, char k, unsigned n, unsigned *got)
{
    size_t cap = strlen(tr) + 1, len = 0;
    char *o = malloc(cap);
    *got = 0;
    for (const char *l = tr; *l && *got < n;) {
        const char *e = strchr(l, '\n');
        size_t ll = e ? (size_t)(e - l) + 1 : strlen(l);
        if (l[0] == k) {
            memcpy(o + len, l, ll);
            len += ll;
            (*got)++;
        }
        l += ll;
    }
    o[len] = '\0';
    return o;
}

static void case_determinism(void)
{
    char t1[4096], t2[4096], l1[4096], l2[4096];
    run_mmio("run1", t1, sizeof(t1), l1, sizeof(l1));
    run_mmio("run2", t2, sizeof(t2), l2, sizeof(l2));
    char *a = slurp(t1), *b = slurp(t2);
    unsigned na, nb, ea, eb;
    char *aa = first_lines(a, 'A', 10000, &na), *ab = first_lines(b, 'A', 10000, &nb);
    char *ia = first_lines(a, 'I', 100000, &ea), *ib = first_lines(b, 'I', 100000, &eb);
    CHECK(na == 10000 && nb == 10000, "10,000 bridged accesses in each run (%u, %u)", na, nb);
    CHECK(strcmp(aa, ab) == 0, "first 10,000 accesses: same times, addresses, data");
    CHECK(ea > 100 && ea == eb && strcmp(ia, ib) == 0, "same interrupt edges at the same times (%u, %u)", ea, eb);
    fprintf(stderr, "identical: 10000 accesses, %u interrupt edges\n", ea);
}

/* The real platform (omap4-amp: virtio-rpmsg device, mailbox, shared DDR, firmware on
 * the M3 ISS): rpmsg echo from Linux, traced; guest RAM is the DDR file both map. */
static void run_omap4(const char *tag, char *trace, size_t n, char *log, size_t m)
{
    rpvp_qemu_config c;
    rpvp_qemu_result r;
    char name[64], shm[64], cfg[4096];
    snprintf(name, sizeof(name), "omap4-%s.trace", tag);
    path(trace, n, name);
    snprintf(name, sizeof(name), "omap4-%s.log", tag);
    path(log, m, name);
    snprintf(shm, sizeof(shm), "rpvp-test-%d-%s", (int)getpid(), tag);
    snprintf(cfg, sizeof(cfg), "platform=omap4-amp;firmware=%s;ddr=%s;quantum-ns=10000",
             firmware, shm);
    base_config(&c, "rpvp.mode=echo rpvp.args=--count=2000,--sizes=16,256,496");
    c.shm_name = shm;
    c.plugin_config = cfg;
    c.trace_file = trace;
    c.console_log = log;
    rpvp_platform_desc d;
    rpvp_platform_desc_init(&d, RPVP_ROUTE_VIRTIO_MMIO, 0);
    char *dt = rpvp_platform_qemu_setup(&d, &c);
    int rc = rpvp_qemu_run(&c, &r);
    free(dt);
    char shm_path[128];
    snprintf(shm_path, sizeof(shm_path), "/dev/shm/%s", shm);
    unlink(shm_path);
    show(&r);
    CHECK(rc == 0 && r.ok, "omap4-amp echo run failed: %s", r.reason);
    check_no_child(&r);
    char *con = slurp(log);
    CHECK(strstr(con, "virtio_rpmsg_bus virtio0: creating channel"), "name service announcement");
    CHECK(strstr(con, "RPVP-ECHO sent=2000 ok=2000 bad=0"), "2000 echoes byte-exact");
    CHECK(strstr(con, "RPVP-LATENCY unit=us"), "latency line");
    CHECK(strstr(con, "RPVP-THROUGHPUT size=496"), "throughput line");
    free(con);
}

static void case_omap4_determinism(void)
{
    char t1[4096], t2[4096], l1[4096], l2[4096];
    CHECK(firmware, "needs the firmware ELF argument");
    run_omap4("run1", t1, sizeof(t1), l1, sizeof(l1));
    run_omap4("run2", t2, sizeof(t2), l2, sizeof(l2));
    char *a = slurp(t1), *b = slurp(t2);
    unsigned na, nb, ea, eb;
    char *aa = first_lines(a, 'A', 10000, &na), *ab = first_lines(b, 'A', 10000, &nb);
    char *ia = first_lines(a, 'I', 100000, &ea), *ib = first_lines(b, 'I', 100000, &eb);
    CHECK(na == 10000 && nb == 10000, "10,000 bridged accesses in each run (%u, %u)", na, nb);
    CHECK(strcmp(aa, ab) == 0, "first 10,000 accesses: same times, addresses, data");
    CHECK(ea > 1000 && ea == eb && strcmp(ia, ib) == 0, "same interrupt edges at the same times (%u, %u)", ea, eb);
    char *la = slurp(l1), *lb = slurp(l2);
    const char *pa = strstr(la, "RPVP-LATENCY"), *pb = strstr(lb, "RPVP-LATENCY");
    CHECK(pa && pb && strncmp(pa, pb, strcspn(pa, "\n")) == 0, "same simulated latencies");
    fprintf(stderr, "identical: 10000 accesses, %u interrupt edges, %.*s\n", ea,
            (int)strcspn(pa, "\n"), pa);
}

/* --- faults: each ends in bounded time with a clear reason and no child left --- */

static void expect_failure(rpvp_qemu_config *c, const char *reason_part, double max_wall,
                           int started)
{
    rpvp_qemu_result r;
    int rc = rpvp_qemu_run(c, &r);
    show(&r);
    CHECK(rc != 0 && !r.ok, "run must fail");
    CHECK(strstr(r.reason, reason_part), "reason '%s' lacks '%s'", r.reason, reason_part);
    CHECK(r.wall_s < max_wall, "took %.1f s (limit %.0f)", r.wall_s, max_wall);
    if (started)
        check_no_child(&r);
    else
        CHECK(r.child_pid == 0, "nothing must be started");
}

typedef struct kill_ctx {
    rpvp_qemu_result *r;
    int killed;
} kill_ctx;

static void kill_at_init(void *ctx, const char *line)
{
    kill_ctx *k = ctx;
    if (!k->killed && strncmp(line, "RPVP-INIT", 9) == 0) {
        kill(k->r->child_pid, SIGKILL);
        k->killed = 1;
    }
}

static void case_fault_killed(void)
{
    rpvp_qemu_config c;
    rpvp_qemu_result r;
    kill_ctx k = { &r, 0 };
    base_config(&c, "rpvp.mode=boot rpvp.hang=1");
    c.on_line = kill_at_init;
    c.on_line_ctx = &k;
    int rc = rpvp_qemu_run(&c, &r);
    show(&r);
    CHECK(rc != 0 && k.killed && strstr(r.reason, "killed by signal 9"), "reason %s", r.reason);
    CHECK(strstr(r.last_lines, "RPVP-INIT"), "last console lines reported");
    check_no_child(&r);
}

static void case_fault_start(void)
{
    rpvp_qemu_config c;
    static const char *const extra[] = { "-no-such-option", NULL };
    base_config(&c, "rpvp.mode=boot");
    c.extra_args = extra;
    expect_failure(&c, "invalid option (QEMU exited with status 1; QEMU's option -no-such-option)", 30, 1);
}

static void case_fault_kernel(void)
{
    rpvp_qemu_config c;
    base_config(&c, "rpvp.mode=boot");
    c.kernel = "/nonexistent/vmlinuz";
    expect_failure(&c, "missing kernel: /nonexistent/vmlinuz", 5, 0);
}

static void case_fault_plugin_load(void)
{
    rpvp_qemu_config c;
    char fake[4096];
    path(fake, sizeof(fake), "not-a-plugin.so");
    FILE *f = fopen(fake, "w");
    CHECK(f && fputs("this is not an ELF shared object\n", f) >= 0 && fclose(f) == 0, "write %s", fake);
    base_config(&c, "rpvp.mode=boot");
    c.plugin = fake; /* exists, not a shared library */
    expect_failure(&c, "cannot load plugin", 30, 1);
}

static void case_fault_plugin_platform(void)
{
    rpvp_qemu_config c;
    base_config(&c, "rpvp.mode=boot");
    c.plugin_config = "platform=does-not-exist";
    expect_failure(&c, "unknown platform 'does-not-exist'", 30, 1);
}

static void case_fault_plugin_version(void)
{
    rpvp_qemu_config c;
    base_config(&c, "rpvp.mode=boot");
    c.plugin = bad_plugin;
    expect_failure(&c, "has interface version 42, this QEMU expects 1", 30, 1);
}

static void case_fault_hang(void)
{
    rpvp_qemu_config c;
    base_config(&c, "rpvp.mode=boot rpvp.hang=1");
    c.idle_timeout_s = 5;
    expect_failure(&c, "guest hang: no console output for 5 s", 90, 1);
}

/* The platform dies at run time (SystemC error): QEMU stops with the reason. */
static void case_fault_platform(void)
{
    rpvp_qemu_config c;
    base_config(&c, "rpvp.mode=mmio rpvp.args=--count=100,--fail=1");
    expect_failure(&c, "FAIL register written", 60, 1);
}

int main(int argc, char **argv)
{
    static const struct { const char *name; void (*fn)(void); } cases[] = {
        { "boot", case_boot }, { "mmio", case_mmio }, { "determinism", case_determinism },
        { "fault_killed", case_fault_killed }, { "fault_start", case_fault_start },
        { "fault_kernel", case_fault_kernel }, { "fault_plugin_load", case_fault_plugin_load },
        { "fault_plugin_platform", case_fault_plugin_platform },
        { "fault_plugin_version", case_fault_plugin_version },
        { "fault_hang", case_fault_hang }, { "fault_platform", case_fault_platform },
        { "omap4_determinism", case_omap4_determinism },
    };
    if (argc != 5 && argc != 6) {
        fprintf(stderr, "usage: %s <case> <plugin.so> <bad_plugin.so> <work dir> [fw.elf]\n", argv[0]);
        return 2;
    }
    plugin = argv[2];
    bad_plugin = argv[3];
    work = argv[4];
    firmware = argc == 6 ? argv[5] : NULL;
    setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
    script_print("build-qemu.sh", qemu, sizeof(qemu));
    script_print("build-guest.sh", guest, sizeof(guest));
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        if (strcmp(argv[1], cases[i].name) == 0) {
            cases[i].fn();
            fprintf(stderr, "PASS %s\n", argv[1]);
            return 0;
        }
    fprintf(stderr, "unknown case %s\n", argv[1]);
    return 2;
}
