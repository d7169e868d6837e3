/* rpvp QEMU launcher (see qemu_launch.h). */
#define _GNU_SOURCE
#include "qemu_launch.h"
#include "rpvp/quantum.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define KILL_GRACE_S 2.0

void rpvp_qemu_config_init(rpvp_qemu_config *c)
{
    memset(c, 0, sizeof(*c));
    c->memory = "256M";
    c->bridge_base = 0x0b000000;
    c->bridge_size = 0x200;
    c->bridge_irqs = 1;
    c->bridge_spi = 10;
    c->quantum_ns = RPVP_DEFAULT_QUANTUM_NS;
    c->icount_shift = 0;
    c->timeout_s = 600;
    c->idle_timeout_s = 120;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* --- argv building --- */

typedef struct argv_buf {
    char **v;
    size_t n, cap;
} argv_buf;

static void add(argv_buf *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(argv_buf *a, const char *fmt, ...)
{
    if (a->n + 2 > a->cap) {
        a->cap = a->cap ? a->cap * 2 : 32;
        a->v = realloc(a->v, a->cap * sizeof(*a->v));
        if (!a->v)
            abort();
    }
    va_list ap;
    va_start(ap, fmt);
    if (vasprintf(&a->v[a->n], fmt, ap) < 0)
        abort();
    va_end(ap);
    a->n++;
    a->v[a->n] = NULL;
}

/* QEMU's option syntax: a ',' inside a value is written ",,". */
static char *qemu_escape(const char *s)
{
    size_t n = strlen(s), extra = 0;
    for (size_t i = 0; i < n; i++)
        extra += s[i] == ',';
    char *o = malloc(n + extra + 1), *p = o;
    if (!o)
        abort();
    for (size_t i = 0; i < n; i++) {
        *p++ = s[i];
        if (s[i] == ',')
            *p++ = ',';
    }
    *p = '\0';
    return o;
}

static int need_file(const char *what, const char *path, int exec, char *err, size_t n)
{
    if (path && access(path, exec ? X_OK : R_OK) == 0)
        return 0;
    snprintf(err, n, "missing %s: %s (%s)", what, path ? path : "(not given)",
             path ? strerror(errno) : "no path");
    return -1;
}

/* A kernel QEMU's virt board can boot, whole: a zImage (its header says how long it
 * is), a uImage (header + data size) or an ELF. A truncated or foreign file would
 * otherwise boot into silence (the decompressor prints nothing) and end only at the
 * idle timeout. */
static int check_kernel(const char *path, char *err, size_t n)
{
    unsigned char h[0x40];
    struct stat st;
    FILE *f = fopen(path, "rb");
    if (!f || fstat(fileno(f), &st) != 0) {
        snprintf(err, n, "cannot read kernel %s: %s", path, strerror(errno));
        if (f)
            fclose(f);
        return -1;
    }
    size_t got = fread(h, 1, sizeof h, f);
    fclose(f);
    const unsigned long long size = (unsigned long long)st.st_size;
#define LE32(o) ((uint32_t)h[o] | (uint32_t)h[o + 1] << 8 | (uint32_t)h[o + 2] << 16 | (uint32_t)h[o + 3] << 24)
#define BE32(o) ((uint32_t)h[o] << 24 | (uint32_t)h[o + 1] << 16 | (uint32_t)h[o + 2] << 8 | (uint32_t)h[o + 3])
    if (got >= 0x30 && LE32(0x24) == 0x016f2818u) { /* ARM zImage: start 0x28, end 0x2c */
        const unsigned long long want = (unsigned long long)(LE32(0x2c) - LE32(0x28));
        if (size >= want)
            return 0;
        snprintf(err, n, "kernel %s is truncated: %llu bytes, its zImage header says %llu "
                 "(a broken download or cache entry?)", path, size, want);
        return -1;
    }
    if (got >= 0x40 && BE32(0) == 0x27051956u) { /* uImage: 64-byte header + data */
        const unsigned long long want = 64ull + BE32(0x0c);
        if (size >= want)
            return 0;
        snprintf(err, n, "kernel %s is truncated: %llu bytes, its uImage header says %llu",
                 path, size, want);
        return -1;
    }
#undef LE32
#undef BE32
    if (got >= 4 && memcmp(h, "\177ELF", 4) == 0)
        return 0;
    snprintf(err, n, "kernel %s is not a kernel QEMU can boot (%llu bytes, no zImage, uImage "
             "or ELF header)", path, size);
    return -1;
}

void rpvp_qemu_free_argv(char **argv)
{
    for (char **p = argv; p && *p; p++)
        free(*p);
    free(argv);
}

char **rpvp_qemu_build_argv(const rpvp_qemu_config *c, char *err, size_t err_size)
{
    char kernel[4096], initrd[4096], dtb[4096];
    const char *g = c->guest_dir ? c->guest_dir : ".";

    snprintf(kernel, sizeof(kernel), "%s", c->kernel ? c->kernel : "");
    snprintf(initrd, sizeof(initrd), "%s", c->initrd ? c->initrd : "");
    snprintf(dtb, sizeof(dtb), "%s", c->dtb ? c->dtb : "");
    if (!c->kernel)
        snprintf(kernel, sizeof(kernel), "%s/vmlinuz", g);
    if (!c->initrd)
        snprintf(initrd, sizeof(initrd), "%s/initrd.cpio.gz", g);
    if (!c->dtb)
        snprintf(dtb, sizeof(dtb), "%s/virt.dtb", g);
    if (need_file("QEMU", c->qemu, 1, err, err_size) ||
        need_file("kernel", kernel, 0, err, err_size) || check_kernel(kernel, err, err_size) ||
        need_file("initrd", initrd, 0, err, err_size) ||
        need_file("device tree", dtb, 0, err, err_size) ||
        (c->plugin && need_file("rpvp plugin", c->plugin, 0, err, err_size)))
        return NULL;

    argv_buf a = {0};
    add(&a, "%s", c->qemu);
    if (c->shm_name) {
        add(&a, "-M");
        add(&a, "virt,memory-backend=rpvp-ddr");
        add(&a, "-object");
        add(&a, "memory-backend-file,id=rpvp-ddr,size=%s,mem-path=/dev/shm/%s,share=on",
            c->memory, c->shm_name);
    } else {
        add(&a, "-M");
        add(&a, "virt");
    }
    add(&a, "-cpu"); add(&a, "cortex-a15");
    add(&a, "-smp"); add(&a, "1");
    add(&a, "-m"); add(&a, "%s", c->memory);
    add(&a, "-icount"); add(&a, "shift=%u,sleep=off", c->icount_shift);
    add(&a, "-display"); add(&a, "none");
    add(&a, "-serial"); add(&a, "stdio");
    add(&a, "-monitor"); add(&a, "none");
    add(&a, "-nic"); add(&a, "none");
    add(&a, "-no-reboot");
    /* Determinism: QEMU 7.2 re-randomises the dtb's rng-seed/kaslr-seed at reset unless
     * the guest RNG is seeded; the RTC would otherwise read the host's wall clock. */
    add(&a, "-seed"); add(&a, "1");
    add(&a, "-rtc"); add(&a, "base=2020-01-01T00:00:00,clock=vm");
    add(&a, "-kernel"); add(&a, "%s", kernel);
    add(&a, "-initrd"); add(&a, "%s", initrd);
    add(&a, "-dtb"); add(&a, "%s", dtb);
    /* nohlt: the guest's idle loop polls instead of executing WFI. With -icount
     * sleep=off QEMU 7.2 warps the virtual clock of a halted vCPU from its main-loop
     * thread, which can read the instruction count before the vCPU has published the
     * instructions it ran up to the WFI; the warp then overshoots the next timer by
     * those instructions (seen as 208-325 ns, at host-speed-dependent moments). A
     * polling guest never halts, so its time only ever advances by instructions and
     * every timer fires exactly at its deadline (docs/platform.md, "Determinism"). */
    add(&a, "-append");
    add(&a, "console=ttyAMA0 rdinit=/init panic=-1 nohlt%s%s", c->append ? " " : "",
        c->append ? c->append : "");
    if (c->plugin) {
        char *pl = qemu_escape(c->plugin);
        char *cf = qemu_escape(c->plugin_config ? c->plugin_config : "");
        char *tr = c->trace_file ? qemu_escape(c->trace_file) : NULL;
        add(&a, "-device");
        add(&a, "rpvp-bridge,plugin=%s,config=%s,base=0x%llx,size=0x%llx,num-irqs=%u,"
                "first-spi=%u,quantum-ns=%llu%s%s", pl, cf,
            (unsigned long long)c->bridge_base, (unsigned long long)c->bridge_size,
            c->bridge_irqs, c->bridge_spi, (unsigned long long)c->quantum_ns,
            tr ? ",trace=" : "", tr ? tr : "");
        free(pl);
        free(cf);
        free(tr);
    }
    for (const char *const *e = c->extra_args; e && *e; e++)
        add(&a, "%s", *e);
    return a.v;
}

/* --- running --- */

typedef struct run_state {
    const rpvp_qemu_config *c;
    rpvp_qemu_result *r;
    FILE *log;
    char ring[RPVP_QEMU_LAST_LINES][200];
    unsigned ring_n;
    char partial[2][4096];
    size_t partial_len[2];
    double t0, last_output;
    char last_qemu_err[1024];
    char kernel_panic[200];  /* the guest kernel's "Kernel panic - not syncing" line */
} run_state;

/* QEMU's error line without its noise: "qemu-system-arm: -device rpvp-bridge,<480
 * characters of options>: rpvp-bridge: ...: REASON" -> "REASON"; the option's name
 * (up to its first ',') into opt ("" if the line names none). The plugin's own errors
 * come as "rpvp: platform failed: REASON" and "rpvp-bridge: OP failed (status N): REASON",
 * REASON maybe wrapped by SystemC. */
static const char *qemu_error_text(const char *line, char *opt, size_t optn)
{
    const char *m = line;
    opt[0] = '\0';
    if (strncmp(m, "qemu-system-", 12) == 0 && strstr(m, ": "))
        m = strstr(m, ": ") + 2;
    if (m[0] == '-' && strstr(m, ": ")) { /* the location: an option of the command line */
        size_t k = strcspn(m, ", :");
        snprintf(opt, optn, "%.*s", (int)k, m);
        m = strstr(m, ": ") + 2;
    }
    for (;;) {
        const char *f = strstr(m, " failed (status ");
        if (strncmp(m, "rpvp-bridge: ", 13) == 0 && f && strstr(f, "): "))
            m = strstr(f, "): ") + 3;
        else if (strncmp(m, "rpvp: platform failed: ", 23) == 0)
            m += 23;
        else if (strncmp(m, "rpvp-bridge: ", 13) == 0)
            m += 13;
        else if (strncmp(m, "Error: (E549) uncaught exception: ", 34) == 0)
            m += 34; /* SystemC's wrapper of an exception a platform process threw */
        else
            return m;
    }
}

static void on_line(run_state *s, int is_stderr, const char *line)
{
    /* The plugin's sign of life (plugin_entry.cpp, beat()): it reset the idle limit by
     * arriving; the log keeps it, the last lines and the caller do not need it. */
    if (is_stderr && strstr(line, " info: rpvp: progress: ")) {
        if (s->log)
            fprintf(s->log, "[qemu] %s\n", line);
        return;
    }
    char *slot = s->ring[s->ring_n++ % RPVP_QEMU_LAST_LINES];
    char opt[64];
    /* The ring (the last lines a failure shows) gets QEMU's errors without the option's
     * text, which would fill the 200 characters; the log keeps every line whole. */
    const char *text = is_stderr ? qemu_error_text(line, opt, sizeof opt) : line;
    if (is_stderr && opt[0])
        snprintf(slot, 200, "[qemu] %s ...: %s", opt, text);
    else
        snprintf(slot, 200, "%s%s", is_stderr ? "[qemu] " : "", line);
    if (s->log) {
        fprintf(s->log, "%s%s\n", is_stderr ? "[qemu] " : "", line);
        fflush(s->log);
    }
    if (s->c->console_to_terminal) {
        printf("%s\n", slot);
        fflush(stdout);
    }
    if (is_stderr) {
        /* QEMU's own error lines, not its info lines nor the plugin's statistics. */
        if ((strncmp(line, "qemu-system-", 12) == 0 && !strstr(line, " info: ")) ||
            strncmp(line, "cannot execute ", 15) == 0) /* child_exec's execv failure */
            snprintf(s->last_qemu_err, sizeof(s->last_qemu_err), "%s", line);
        if (s->c->on_line) /* "[qemu] ...": the plugin's statistics at exit, for the report */
            s->c->on_line(s->c->on_line_ctx, slot);
        return;
    }
    int st;
    const char *panic = strstr(line, "Kernel panic - not syncing");
    if (panic && !s->kernel_panic[0])
        snprintf(s->kernel_panic, sizeof(s->kernel_panic), "%s", panic);
    if (strncmp(line, "RPVP-INIT", 9) == 0 && s->r->init_wall_s < 0)
        s->r->init_wall_s = now_s() - s->t0;
    if (sscanf(line, "RPVP-DONE status=%d", &st) == 1)
        s->r->guest_status = st;
    if (s->c->on_line)
        s->c->on_line(s->c->on_line_ctx, line);
}

/* Feed bytes; calls on_line for each complete line (drops '\r'). */
static void feed(run_state *s, int idx, const char *buf, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char ch = buf[i];
        if (ch == '\r')
            continue;
        if (ch == '\n' || s->partial_len[idx] == sizeof(s->partial[idx]) - 1) {
            s->partial[idx][s->partial_len[idx]] = '\0';
            on_line(s, idx, s->partial[idx]);
            s->partial_len[idx] = 0;
            if (ch == '\n')
                continue;
        }
        s->partial[idx][s->partial_len[idx]++] = ch;
    }
}

static void flush_partials(run_state *s)
{
    for (int i = 0; i < 2; i++)
        if (s->partial_len[i]) {
            s->partial[i][s->partial_len[i]] = '\0';
            on_line(s, i, s->partial[i]);
            s->partial_len[i] = 0;
        }
}

static void collect_last_lines(run_state *s)
{
    size_t off = 0;
    unsigned n = s->ring_n < RPVP_QEMU_LAST_LINES ? s->ring_n : RPVP_QEMU_LAST_LINES;
    s->r->last_lines[0] = '\0';
    for (unsigned i = s->ring_n - n; i < s->ring_n && off < sizeof(s->r->last_lines); i++)
        off += (size_t)snprintf(s->r->last_lines + off, sizeof(s->r->last_lines) - off, "%s\n",
                                s->ring[i % RPVP_QEMU_LAST_LINES]);
}

static double child_cpu_s; /* user + system time of the last reaped QEMU */

/* SIGINT/SIGTERM/SIGHUP during a run: noted here, handled by the run loop (QEMU
 * stopped, the caller's clean-up runs: no /dev/shm file or child is left behind). */
static volatile sig_atomic_t run_signal;
static const int run_signals[] = {SIGINT, SIGTERM, SIGHUP};
#define NUM_RUN_SIGNALS (sizeof run_signals / sizeof run_signals[0])

static void on_run_signal(int sig) { run_signal = sig; }

static void catch_run_signals(struct sigaction *old)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_run_signal; /* no SA_RESTART: poll() returns at once */
    sigemptyset(&sa.sa_mask);
    run_signal = 0;
    for (size_t i = 0; i < NUM_RUN_SIGNALS; i++)
        sigaction(run_signals[i], &sa, &old[i]);
}

static void restore_run_signals(const struct sigaction *old)
{
    for (size_t i = 0; i < NUM_RUN_SIGNALS; i++)
        sigaction(run_signals[i], &old[i], NULL);
}

/* Reap like waitpid, and record the child's CPU time (all its threads). */
static pid_t reap(pid_t pid, int *status, int flags)
{
    struct rusage ru;
    pid_t r = wait4(pid, status, flags, &ru);
    if (r == pid)
        child_cpu_s = (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
                      (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
    return r;
}

/* TERM the child's process group, KILL it after a grace period; reap it. */
static int stop_child(pid_t pid)
{
    int status = 0;
    kill(-pid, SIGTERM);
    kill(pid, SIGTERM);
    double until = now_s() + KILL_GRACE_S;
    while (now_s() < until) {
        if (reap(pid, &status, WNOHANG) == pid)
            return status;
        usleep(20000);
    }
    kill(-pid, SIGKILL);
    kill(pid, SIGKILL);
    reap(pid, &status, 0);
    return status;
}

static void child_exec(char **argv, int out_fd, int err_fd, pid_t parent)
{
    setpgid(0, 0);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent)
        _exit(127); /* the parent died before prctl */
    int null = open("/dev/null", O_RDONLY);
    if (null >= 0)
        dup2(null, 0);
    dup2(out_fd, 1);
    dup2(err_fd, 2);
    execv(argv[0], argv);
    fprintf(stderr, "cannot execute %s: %s\n", argv[0], strerror(errno));
    _exit(127);
}

static void describe_end(run_state *s, int status)
{
    rpvp_qemu_result *r = s->r;
    if (WIFSIGNALED(status)) {
        r->exit_status = -WTERMSIG(status);
        if (!r->hung && !r->interrupted)
            snprintf(r->reason, sizeof(r->reason), "QEMU was killed by signal %d (%s)",
                     WTERMSIG(status), strsignal(WTERMSIG(status)));
        return;
    }
    r->exit_status = WEXITSTATUS(status);
    if (r->hung || r->interrupted)
        return;
    /* The reason first, then what QEMU did: "REASON (QEMU exited with status 1)". */
    char opt[64];
    const char *why = qemu_error_text(s->last_qemu_err, opt, sizeof opt);
    if (r->exit_status == 127 && r->init_wall_s < 0 && s->ring_n <= 2)
        snprintf(r->reason, sizeof(r->reason), "QEMU failed to start: %s", s->last_qemu_err);
    else if (r->exit_status != 0 && why[0])
        snprintf(r->reason, sizeof(r->reason), "%s (QEMU exited with status %d%s%s)", why,
                 r->exit_status, opt[0] ? "; QEMU's option " : "", opt);
    else if (r->exit_status != 0)
        snprintf(r->reason, sizeof(r->reason), "QEMU exited with status %d", r->exit_status);
    else if (r->guest_status < 0 && s->kernel_panic[0])
        snprintf(r->reason, sizeof(r->reason), "the guest kernel panicked: %s (QEMU exited; "
                 "no RPVP-DONE)", s->kernel_panic);
    else if (r->guest_status < 0)
        snprintf(r->reason, sizeof(r->reason),
                 "QEMU exited but the guest never printed RPVP-DONE (it stopped early)");
    else if (r->guest_status != 0)
        snprintf(r->reason, sizeof(r->reason), "guest program failed: RPVP-DONE status=%d",
                 r->guest_status);
    else
        r->ok = 1;
}

static int run_qemu(const rpvp_qemu_config *c, rpvp_qemu_result *r)
{
    run_state s;
    int out_pipe[2], err_pipe[2];

    memset(r, 0, sizeof(*r));
    memset(&s, 0, sizeof(s));
    r->exit_status = -1000;
    r->guest_status = -1;
    r->init_wall_s = -1;
    s.c = c;
    s.r = r;

    char **argv = rpvp_qemu_build_argv(c, r->reason, sizeof(r->reason));
    if (!argv)
        return 1;
    if (c->console_log && !(s.log = fopen(c->console_log, "w"))) {
        snprintf(r->reason, sizeof(r->reason), "cannot write console log %s: %s", c->console_log,
                 strerror(errno));
        rpvp_qemu_free_argv(argv);
        return 1;
    }
    if (pipe2(out_pipe, O_CLOEXEC) || pipe2(err_pipe, O_CLOEXEC)) {
        snprintf(r->reason, sizeof(r->reason), "pipe: %s", strerror(errno));
        rpvp_qemu_free_argv(argv);
        if (s.log)
            fclose(s.log);
        return 1;
    }
    fflush(NULL);
    child_cpu_s = 0;
    struct sigaction old_sig[NUM_RUN_SIGNALS];
    catch_run_signals(old_sig);
    pid_t parent = getpid();
    s.t0 = s.last_output = now_s();
    pid_t pid = fork();
    if (pid == 0)
        child_exec(argv, out_pipe[1], err_pipe[1], parent);
    rpvp_qemu_free_argv(argv);
    close(out_pipe[1]);
    close(err_pipe[1]);
    if (pid < 0) {
        snprintf(r->reason, sizeof(r->reason), "fork: %s", strerror(errno));
        restore_run_signals(old_sig);
        close(out_pipe[0]);
        close(err_pipe[0]);
        if (s.log)
            fclose(s.log);
        return 1;
    }
    setpgid(pid, pid); /* also from here: no race with a kill of the group */
    r->child_pid = pid;

    struct pollfd fds[2] = { { out_pipe[0], POLLIN, 0 }, { err_pipe[0], POLLIN, 0 } };
    int open_fds = 2, status = 0, reaped = 0;
    while (open_fds > 0) {
        if (poll(fds, 2, 100) < 0 && errno != EINTR)
            break;
        for (int i = 0; i < 2; i++) {
            if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            char buf[4096];
            ssize_t n = read(fds[i].fd, buf, sizeof(buf));
            if (n > 0) {
                feed(&s, i, buf, (size_t)n);
                s.last_output = now_s();
            } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
                close(fds[i].fd);
                fds[i].fd = -1;
                open_fds--;
            }
        }
        double t = now_s();
        if (c->timeout_s > 0 && t - s.t0 > c->timeout_s) {
            /* The user's limit, not a verdict on the guest: one that still prints is
             * working (a long run), only a silent one may hang (the idle limit's case). */
            r->hung = 1;
            snprintf(r->reason, sizeof(r->reason),
                     "timeout: the run exceeded its limit of %.0f s of wall time (--timeout) "
                     "while the guest was still running (last console output or platform "
                     "access %.1f s before); raise --timeout for a run this long",
                     c->timeout_s, t - s.last_output);
        } else if (c->idle_timeout_s > 0 && t - s.last_output > c->idle_timeout_s) {
            r->hung = 1;
            snprintf(r->reason, sizeof(r->reason),
                     s.ring_n ? "guest hang: no console output for %.0f s"
                              : "guest hang: no console output for %.0f s: the guest never "
                                "printed a line (does its kernel boot on QEMU's virt board?)",
                     c->idle_timeout_s);
            /* (A guest that still uses the platform is alive: its plugin's progress
             * lines count as output.) */
        }
        if (run_signal && !r->hung) {
            r->interrupted = run_signal;
            snprintf(r->reason, sizeof(r->reason),
                     "interrupted by SIG%s after %.1f s: QEMU stopped, the run is incomplete",
                     sigabbrev_np(run_signal) ? sigabbrev_np(run_signal) : "?", t - s.t0);
        }
        if (r->hung || r->interrupted) {
            status = stop_child(pid);
            reaped = 1;
            break;
        }
        /* QEMU gone but a grandchild holding the pipe: do not wait for it. */
        if (!reaped && reap(pid, &status, WNOHANG) == pid) {
            reaped = 1;
            for (int i = 0; i < 2; i++) { /* drain what is left */
                char buf[4096];
                ssize_t n;
                if (fds[i].fd < 0)
                    continue;
                fcntl(fds[i].fd, F_SETFL, O_NONBLOCK);
                while ((n = read(fds[i].fd, buf, sizeof(buf))) > 0)
                    feed(&s, i, buf, (size_t)n);
            }
            break;
        }
    }
    for (int i = 0; i < 2; i++)
        if (fds[i].fd >= 0)
            close(fds[i].fd);
    if (!reaped)
        reap(pid, &status, 0);
    kill(-pid, SIGKILL); /* anything left in QEMU's group */
    restore_run_signals(old_sig);
    flush_partials(&s);
    r->wall_s = now_s() - s.t0;
    r->cpu_s = child_cpu_s;
    describe_end(&s, status);
    collect_last_lines(&s);
    if (s.log)
        fclose(s.log);
    return r->ok ? 0 : 1;
}

/* guest_dir/virt.dts + the fragment, compiled with dtc into `dtb`. */
static int make_dtb(const rpvp_qemu_config *c, const char *dtb, char *err, size_t n)
{
    char base[4096], dts[4200], log[4200];
    snprintf(base, sizeof(base), "%s/virt.dts", c->guest_dir ? c->guest_dir : ".");
    snprintf(dts, sizeof(dts), "%s.dts", dtb);
    snprintf(log, sizeof(log), "%s.log", dtb);
    FILE *in = fopen(base, "r"), *out = fopen(dts, "w");
    int ok = in && out;
    if (!in)
        snprintf(err, n, "missing device tree source: %.1000s (%s)", base, strerror(errno));
    else if (!out)
        snprintf(err, n, "cannot write %.1000s: %s", dts, strerror(errno));
    char buf[8192];
    size_t k;
    while (ok && (k = fread(buf, 1, sizeof(buf), in)) > 0)
        ok = fwrite(buf, 1, k, out) == k;
    if (ok)
        ok = fputs(c->dt_fragment, out) >= 0;
    if (in)
        fclose(in);
    if (out && fclose(out) != 0)
        ok = 0;
    if (!ok) {
        if (in && out)
            snprintf(err, n, "cannot write %.1000s", dts);
        unlink(dts);
        return -1;
    }
    char cmd[13000];
    snprintf(cmd, sizeof(cmd), "dtc -q -I dts -O dtb -o '%s' '%s' 2>'%s'", dtb, dts, log);
    int rc = system(cmd);
    if (rc != 0) {
        char why[600] = "";
        FILE *l = fopen(log, "r");
        if (l) {
            size_t m = fread(why, 1, sizeof(why) - 1, l);
            why[m] = '\0';
            why[strcspn(why, "\n")] = '\0';
            fclose(l);
        }
        snprintf(err, n, "dtc failed on the generated device tree %.700s: %.300s", dts,
                 why[0] ? why : "(is device-tree-compiler installed?)");
        unlink(log);
        return -1; /* the .dts stays for the user to look at */
    }
    unlink(dts);
    unlink(log);
    return 0;
}

int rpvp_qemu_run(const rpvp_qemu_config *c, rpvp_qemu_result *r)
{
    if (!c->dt_fragment || c->dtb)
        return run_qemu(c, r);
    rpvp_qemu_config own = *c;
    char dtb[4096];
    const char *tmp = getenv("TMPDIR");
    snprintf(dtb, sizeof(dtb), "%s/rpvp-%d.dtb", tmp && *tmp ? tmp : "/tmp", (int)getpid());
    if (make_dtb(c, dtb, r->reason, sizeof(r->reason)) != 0) {
        char why[sizeof(r->reason)];
        snprintf(why, sizeof(why), "%s", r->reason);
        memset(r, 0, sizeof(*r));
        r->exit_status = -1000;
        r->guest_status = -1;
        r->init_wall_s = -1;
        snprintf(r->reason, sizeof(r->reason), "%s", why);
        return 1;
    }
    own.dtb = dtb;
    int rc = run_qemu(&own, r);
    unlink(dtb);
    return rc;
}

char *rpvp_qemu_cached_path(const char *source_dir, const char *script)
{
    char cmd[4096], line[4096];
    snprintf(cmd, sizeof(cmd), "'%s/tools/%s' --print 2>/dev/null", source_dir, script);
    FILE *p = popen(cmd, "r");
    char *out = NULL;
    if (!p)
        return NULL;
    while (fgets(line, sizeof(line), p)) {
        line[strcspn(line, "\n")] = '\0';
        free(out);
        out = strdup(line);
    }
    if (pclose(p) != 0) {
        free(out);
        return NULL;
    }
    return out;
}
