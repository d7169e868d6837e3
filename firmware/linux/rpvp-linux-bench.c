/*
 * rpvp-linux-bench: rpvp's Linux-side program, run by the guest's /init (static, armhf,
 * built by tools/build-guest.sh with Debian's arm-linux-gnueabihf-gcc).
 *
 *   rpvp-linux-bench echo [--dev=/dev/rpmsg0] [--count=1000] [--max-size=496]
 *                         [--sizes=16,256,496] [--stream=200] [--window=32] [--wait=60]
 *       Sends `count` messages of sizes 1..max-size (cycling) through the rpmsg_char
 *       endpoint, reads each echo back and checks it byte for byte; prints round-trip
 *       latency (min/median/p99/max, us) and then, per size in --sizes, the throughput
 *       of `stream` pipelined messages with up to `window` in flight (any number: past
 *       the 256 TX buffers, writes block). Times come from CLOCK_MONOTONIC, which under
 *       QEMU -icount is the guest's virtual clock: simulated time. Every message's write
 *       and read instants follow as "RPVP-MSG seq= len= t0= t1=" lines, with
 *       "RPVP-CLOCK mono_minus_virtual_ns=" to put them on the platform's time line
 *       (the first and last hop of the platform's measurement, docs/measurement.md).
 *       --crash=fault|undef|watchdog adds a crash phase after them (crash_phase()).
 *   rpvp-linux-bench exhaust [--slow-us=50] [--size=64] [--blocking=64] [--wait=60]
 *       Against the firmware's slow consumer (rpvp-slow, through rpmsg_ctrl endpoints):
 *       O_NONBLOCK writes until EAGAIN (then counts EAGAINs in 100 more), blocking writes
 *       while the buffers are out (time blocked in each), O_NONBLOCK writes until EAGAIN
 *       again and one poll(POLLOUT) with a 100 ms timeout, and finally checks that the
 *       consumer took every message sent. One "RPVP-EXHAUST key=value..." line.
 *   rpvp-linux-bench mmio [--base=0x0b000000] [--count=10000]
 *       Drives rpvp's test device (bridge/plugin/test_device.h) through /dev/mem:
 *       scratch write/read-back and interrupt-line toggles, to prove and time the bridge.
 *       --fail=1 then writes the FAIL register: the platform fails (fault tests).
 *
 * Output: one "RPVP-..." line per result, machine-readable (key=value); --tag=WORDS puts
 * WORDS after each line's "RPVP-KIND". Exit status 0 only if every check passed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <elf.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "ctrl_proto.h" /* the firmware's control protocol (firmware/apps) */

#define MAX_MSG 496 /* rpmsg buffer (512) minus its 16-byte header */

/* linux/rpmsg.h (uapi), written out: the cross toolchain's headers may predate it. */
struct rpmsg_endpoint_info {
    char name[32];
    uint32_t src;
    uint32_t dst;
};
#define RPMSG_CREATE_EPT_IOCTL _IOW(0xb5, 0x1, struct rpmsg_endpoint_info)

/* Test device registers (keep in step with bridge/plugin/test_device.h). */
enum {
    TD_MAGIC = 0x000, TD_SCRATCH = 0x100, TD_ACCESSES = 0x104, TD_IRQ_CTRL = 0x108,
    TD_TIME_LO = 0x110, TD_TIME_HI = 0x114, TD_FAIL = 0x118,
};

static const char *opt(int argc, char **argv, const char *name, const char *def)
{
    size_t n = strlen(name);
    for (int i = 2; i < argc; i++)
        if (strncmp(argv[i], name, n) == 0 && argv[i][n] == '=')
            return argv[i] + n + 1;
    return def;
}

/* --tag=WORDS: put after every result line's "RPVP-KIND" (several remotes: "remote=1
 * phase=alone"). The program tags its own lines: a pipe through sed would hand the
 * console's work (a phase's thousands of stamp lines) to another process that runs
 * during the next measured phase, halving its throughput. */
static const char *g_tag = "";

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
    char line[4096];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    size_t k = strcspn(line, " \n");
    if (*g_tag)
        printf("%.*s %s%s", (int)k, line, g_tag, line + k);
    else
        fputs(line, stdout);
}

static uint64_t cntvct(void);
static uint32_t cntfrq(void);

/* The generic timer's virtual counter in ns when readable (it is what CLOCK_MONOTONIC
 * counts too, at the same 16 ns resolution, but read directly it is the platform's time
 * line: QEMU's virtual clock, floored to the counter's period); else CLOCK_MONOTONIC. */
static uint64_t now_ns(void)
{
    static uint32_t f;
    if (!f)
        f = cntfrq();
    if (f)
        return cntvct() * 1000000000ull / f;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* The generic timer's virtual counter (CNTVCT, readable at EL0: Linux enables it for
 * its vDSO) and its frequency: QEMU derives it from its virtual clock (ns / 16 at
 * 62.5 MHz), i.e. the platform's time. */
static uint64_t cntvct(void)
{
    uint32_t lo, hi;
    __asm__ volatile("isb\n\tmrrc p15, 1, %0, %1, c14" : "=r"(lo), "=r"(hi));
    return ((uint64_t)hi << 32) | lo;
}

static uint32_t cntfrq(void)
{
    uint32_t f;
    __asm__ volatile("mrc p15, 0, %0, c14, c0, 0" : "=r"(f));
    return f;
}

/* How the stamps relate to the platform's time: 0 when they are the virtual counter. */
static void print_clock(void)
{
    uint32_t f = cntfrq();
    if (f)
        say("RPVP-CLOCK mono_minus_virtual_ns=0 source=cntvct cntfrq=%u\n", f);
    else
        say("RPVP-ERROR no readable virtual counter: stamps cannot be placed\n");
}

/* Per-message instants, printed after a phase (printing during it would cost time). */
typedef struct stamp {
    unsigned len;
    uint64_t t0, t1;
} stamp;
static unsigned g_seq;

static void write_all(const char *p, size_t n)
{
    while (n) {
        ssize_t k = write(STDOUT_FILENO, p, n);
        if (k <= 0 && errno != EINTR)
            return;
        if (k > 0) {
            p += k;
            n -= (size_t)k;
        }
    }
}

/* In whole lines, many per write(): several remotes' programs share the console, and a
 * tty keeps one write() together (a stdio buffer would cut a line between two). */
static void print_stamps(const stamp *s, unsigned n)
{
    static char buf[1 << 16];
    size_t used = 0;
    fflush(stdout);
    for (unsigned i = 0; i < n; i++) {
        char line[256];
        int k = snprintf(line, sizeof line, "RPVP-MSG%s%s seq=%u len=%u t0=%llu t1=%llu\n",
                         *g_tag ? " " : "", g_tag, g_seq++, s[i].len,
                         (unsigned long long)s[i].t0, (unsigned long long)s[i].t1);
        if (k <= 0 || (size_t)k >= sizeof line)
            continue;
        if (used + (size_t)k > sizeof buf) {
            write_all(buf, used);
            used = 0;
        }
        memcpy(buf + used, line, (size_t)k);
        used += (size_t)k;
    }
    write_all(buf, used);
    /* The next phase starts once the console has sent them: its transmit interrupts
     * would otherwise run inside that phase's measurement. */
    if (isatty(STDOUT_FILENO))
        tcdrain(STDOUT_FILENO);
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static void fill(uint8_t *buf, unsigned len, unsigned seq)
{
    for (unsigned j = 0; j < len; j++)
        buf[j] = (uint8_t)(seq * 131u + j * 7u + (j >> 8));
}

static int wait_for(const char *path, int seconds)
{
    for (int i = 0; i < seconds * 10; i++) {
        if (access(path, R_OK | W_OK) == 0)
            return 0;
        usleep(100000);
    }
    return -1;
}

/* Read one whole message with a timeout; returns its length or -1. */
static int read_msg(int fd, uint8_t *buf, int timeout_ms)
{
    struct pollfd p = { .fd = fd, .events = POLLIN };
    int r = poll(&p, 1, timeout_ms);
    if (r <= 0)
        return -1;
    return (int)read(fd, buf, MAX_MSG);
}

/* "RPVP-PROGRESS phase= done= total= sim_ns=" at every tenth of a phase, for rpvp's
 * progress line; printed between two messages, never inside a timed round trip. The time
 * is the kernel's CLOCK_MONOTONIC (simulated under icount), the base of its printk stamps,
 * so that rpvp's progress shows one clock from boot to the end. */
static void progress(const char *phase, unsigned done, unsigned total)
{
    struct timespec ts;
    if (done == total || (done && done * 10 / total != (done - 1) * 10 / total)) {
        clock_gettime(CLOCK_MONOTONIC, &ts);
        say("RPVP-PROGRESS phase=%s done=%u total=%u sim_ns=%llu\n", phase, done, total,
            (unsigned long long)ts.tv_sec * 1000000000ull + (unsigned long long)ts.tv_nsec);
    }
}

static int echo_latency(int fd, unsigned count, unsigned max_size)
{
    uint8_t out[MAX_MSG], in[MAX_MSG];
    uint64_t *lat = calloc(count, sizeof(*lat));
    stamp *st = calloc(count, sizeof(*st));
    unsigned ok = 0, bad = 0, n_st = 0;

    if (!lat || !st) {
        free(lat);
        free(st);
        return 1;
    }
    for (unsigned i = 0; i < count; i++) {
        unsigned len = 1 + i % max_size;
        progress("echo", i, count);
        fill(out, len, i);
        uint64_t t0 = now_ns();
        if (write(fd, out, len) != (ssize_t)len) {
            say("RPVP-ERROR write seq=%u len=%u errno=%d\n", i, len, errno);
            bad++;
            break;
        }
        int got = read_msg(fd, in, 10000);
        uint64_t t1 = now_ns();
        lat[i] = t1 - t0;
        st[n_st++] = (stamp){len, t0, t1};
        if (got != (int)len || memcmp(in, out, len) != 0) {
            say("RPVP-ERROR echo seq=%u len=%u got=%d\n", i, len, got);
            bad++;
            if (got < 0)
                break;
            continue;
        }
        ok++;
    }
    progress("echo", ok + bad, count);
    say("RPVP-ECHO sent=%u ok=%u bad=%u max_size=%u\n", count, ok, bad, max_size);
    if (ok) {
        qsort(lat, ok + bad, sizeof(*lat), cmp_u64);
        unsigned n = ok + bad;
        say("RPVP-LATENCY unit=us min=%.3f median=%.3f p99=%.3f max=%.3f n=%u\n",
            lat[0] / 1e3, lat[n / 2] / 1e3, lat[(n * 99) / 100 < n ? (n * 99) / 100 : n - 1] / 1e3,
            lat[n - 1] / 1e3, n);
    }
    print_stamps(st, n_st);
    free(lat);
    free(st);
    return bad != 0 || ok != count;
}

/* Pipelined: keep up to `window` messages in flight. A window beyond what the
 * receive side can hold would deadlock a single thread (writes block while echoes wait
 * to be read), so writes are non-blocking and the loop reads whenever a write would
 * block. */
static int echo_stream(int fd, unsigned size, unsigned count, unsigned window)
{
    uint8_t out[MAX_MSG], in[MAX_MSG];
    unsigned sent = 0, recv = 0, bad = 0;
    stamp *st = calloc(count, sizeof(*st));
    int rc = 1;
    if (!st)
        return 1;
    int fl = fcntl(fd, F_GETFL);
    fcntl(fd, F_SETFL, fl | O_NONBLOCK);
    uint64_t t0 = now_ns();

    while (recv < count) {
        while (sent < count && sent - recv < window) {
            fill(out, size, sent);
            st[sent].len = size;
            st[sent].t0 = now_ns();
            if (write(fd, out, size) != (ssize_t)size) {
                if (errno == EAGAIN && sent > recv)
                    break; /* no TX buffer: read what came back first */
                say("RPVP-ERROR stream write size=%u errno=%d\n", size, errno);
                goto out;
            }
            sent++;
        }
        int got = read_msg(fd, in, 10000);
        if (got < 0) {
            say("RPVP-ERROR stream timeout size=%u recv=%u\n", size, recv);
            goto out;
        }
        st[recv].t1 = now_ns();
        fill(out, size, recv);
        if (got != (int)size || memcmp(in, out, size) != 0)
            bad++;
        recv++;
    }
    double s = (now_ns() - t0) / 1e9;
    char phase[32];
    snprintf(phase, sizeof phase, "throughput-%uB", size);
    progress(phase, count, count);
    say("RPVP-THROUGHPUT size=%u msgs=%u window=%u bad=%u sim_s=%.6f msgs_per_s=%.0f "
        "bytes_per_s=%.0f\n", size, count, window, bad, s, count / s, (double)count * size / s);
    print_stamps(st, count);
    rc = bad != 0;
out:
    fcntl(fd, F_SETFL, fl);
    free(st);
    return rc;
}

static uint32_t channel_addr(const char *name);
static int open_ept(const char *name, uint32_t dst, int wait_s);
static int ctrl(int fd, uint16_t cmd, uint32_t a0, struct ctrl_msg *reply);

#define RPROC "/sys/class/remoteproc/remoteproc0"

/* One line of a sysfs file (newline dropped) into buf; "" if unreadable. */
static const char *sysfs_read(const char *path, char *buf, size_t n)
{
    FILE *f = fopen(path, "r");
    buf[0] = '\0';
    if (f) {
        if (!fgets(buf, (int)n, f))
            buf[0] = '\0';
        fclose(f);
    }
    buf[strcspn(buf, "\n")] = '\0';
    return buf;
}

static int sysfs_write(const char *path, const char *value)
{
    int fd = open(path, O_WRONLY);
    int ok = fd >= 0 && write(fd, value, strlen(value)) == (ssize_t)strlen(value);
    if (fd >= 0)
        close(fd);
    return ok ? 0 : -1;
}

/* A whole file into memory (sysfs binary files have no size: read until EOF). */
static uint8_t *slurp(const char *path, size_t *len)
{
    int fd = open(path, O_RDONLY);
    size_t cap = 1 << 20, n = 0;
    uint8_t *b = fd >= 0 ? malloc(cap) : NULL;
    ssize_t r = 0;
    while (b && (r = read(fd, b + n, cap - n)) > 0)
        if ((n += (size_t)r) == cap) {
            uint8_t *g = realloc(b, cap *= 2);
            if (!g) {
                free(b);
                b = NULL;
            }
            b = g;
        }
    if (fd >= 0)
        close(fd);
    if (r < 0) {
        free(b);
        b = NULL;
    }
    *len = n;
    return b;
}

/* The program headers of an ELF32 image, or NULL (not a well-formed ELF32). */
static const Elf32_Phdr *elf32_phdrs(const uint8_t *b, size_t len, const Elf32_Ehdr **eh)
{
    const Elf32_Ehdr *h = (const Elf32_Ehdr *)b;
    if (len < sizeof *h || memcmp(h->e_ident, ELFMAG, SELFMAG) != 0 ||
        h->e_ident[EI_CLASS] != ELFCLASS32 || h->e_phentsize != sizeof(Elf32_Phdr) ||
        h->e_phoff > len || (size_t)h->e_phnum * sizeof(Elf32_Phdr) > len - h->e_phoff)
        return NULL;
    *eh = h;
    return (const Elf32_Phdr *)(b + h->e_phoff);
}

/* The dump's PT_LOAD segment holding [da, da + len), or NULL. */
static const Elf32_Phdr *dump_segment(const Elf32_Phdr *ph, unsigned n, uint32_t da, uint32_t len)
{
    for (unsigned k = 0; k < n; k++)
        if (ph[k].p_type == PT_LOAD && da >= ph[k].p_vaddr && da - ph[k].p_vaddr <= ph[k].p_filesz &&
            len <= ph[k].p_filesz - (da - ph[k].p_vaddr))
            return &ph[k];
    return NULL;
}

/* Linux's coredump of the remote (devcoredump): an ELF32 core whose PT_LOAD segments are
 * the remote's memory regions at their device addresses. Checked against the firmware
 * Linux loaded: each of its PT_LOAD segments lies in one segment of the dump, and its
 * code sections are there byte for byte (code does not change while the firmware runs;
 * the rest of a segment - data, the resource table Linux filled in - may). One
 * RPVP-COREDUMP line (short: the console keeps lines whole up to ~200 characters);
 * returns 0 if it holds. */
static int check_coredump(const char *dump, const char *firmware)
{
    size_t dlen = 0, flen = 0;
    uint8_t *d = slurp(dump, &dlen), *f = slurp(firmware, &flen);
    const Elf32_Ehdr *dh = NULL, *fh = NULL;
    const Elf32_Phdr *dp = d ? elf32_phdrs(d, dlen, &dh) : NULL;
    const Elf32_Phdr *fp = f ? elf32_phdrs(f, flen, &fh) : NULL;
    unsigned loads = 0, fw_loads = 0, covered = 0, code = 0, matched = 0;
    char segs[128] = "";
    int rc = 1;

    if (!dp || !fp || dh->e_type != ET_CORE || fh->e_shentsize != sizeof(Elf32_Shdr) ||
        fh->e_shoff > flen || (size_t)fh->e_shnum * sizeof(Elf32_Shdr) > flen - fh->e_shoff) {
        say("RPVP-ERROR coredump %s (%zu bytes): %s\n", dump, dlen,
            !d ? "unreadable" : !dp ? "not an ELF32 file" : !fp ? "firmware unreadable"
            : dh->e_type != ET_CORE ? "not an ELF core" : "firmware has no section table");
        goto out;
    }
    for (unsigned i = 0; i < dh->e_phnum; i++)
        if (dp[i].p_type == PT_LOAD) {
            size_t n = strlen(segs);
            if (dp[i].p_offset > dlen || dp[i].p_filesz > dlen - dp[i].p_offset) {
                say("RPVP-ERROR coredump segment %u beyond the file\n", i);
                goto out;
            }
            snprintf(segs + n, sizeof segs - n, "%s0x%x+0x%x", loads ? "," : "",
                     (unsigned)dp[i].p_vaddr, (unsigned)dp[i].p_memsz);
            loads++;
        }
    for (unsigned i = 0; i < fh->e_phnum; i++)
        if (fp[i].p_type == PT_LOAD && fp[i].p_memsz) {
            fw_loads++;
            covered += dump_segment(dp, dh->e_phnum, fp[i].p_paddr, fp[i].p_memsz) != NULL;
        }
    const Elf32_Shdr *sh = (const Elf32_Shdr *)(f + fh->e_shoff);
    for (unsigned i = 0; i < fh->e_shnum; i++) {
        const Elf32_Shdr *c = &sh[i];
        if (c->sh_type != SHT_PROGBITS || (c->sh_flags & (SHF_ALLOC | SHF_EXECINSTR)) !=
            (SHF_ALLOC | SHF_EXECINSTR) || !c->sh_size || c->sh_offset > flen ||
            c->sh_size > flen - c->sh_offset)
            continue;
        code++;
        const Elf32_Phdr *g = dump_segment(dp, dh->e_phnum, c->sh_addr, c->sh_size);
        matched += g && memcmp(d + g->p_offset + (c->sh_addr - g->p_vaddr), f + c->sh_offset,
                               c->sh_size) == 0;
    }
    say("RPVP-COREDUMP bytes=%zu elf=ELF32 type=core phnum=%u loads=%s "
        "fw_segments=%u/%u code_sections=%u/%u\n", dlen, (unsigned)dh->e_phnum, segs,
        covered, fw_loads, matched, code);
    rc = !(loads && fw_loads && covered == fw_loads && code && matched == code);
out:
    free(d);
    free(f);
    return rc;
}

/* The first /sys/class/devcoredump/devcdN/data, waited for; path into buf. */
static int wait_devcoredump(char *buf, size_t n, int wait_s)
{
    for (int t = 0; t < wait_s * 100; t++) {
        DIR *d = opendir("/sys/class/devcoredump");
        struct dirent *e;
        int found = 0;
        while (d && !found && (e = readdir(d)))
            if (strncmp(e->d_name, "devcd", 5) == 0) {
                snprintf(buf, n, "/sys/class/devcoredump/%s/data", e->d_name);
                found = 1;
            }
        if (d)
            closedir(d);
        if (found)
            return 0;
        usleep(10000);
    }
    return -1;
}

/* The rpmsg char device of the echo channel, once the remote runs again; path into buf. */
static int wait_echo_dev(char *buf, size_t n, int wait_s)
{
    char st[32];
    for (int t = 0; t < wait_s * 100; t++) {
        DIR *d = opendir("/sys/bus/rpmsg/devices");
        struct dirent *e;
        buf[0] = '\0';
        while (d && !buf[0] && (e = readdir(d))) {
            char sub[300];
            const char *p = strchr(e->d_name, '.');
            if (!p || strncmp(p + 1, FW_EPT_ECHO ".", strlen(FW_EPT_ECHO) + 1) != 0)
                continue;
            snprintf(sub, sizeof sub, "/sys/bus/rpmsg/devices/%s/rpmsg", e->d_name);
            DIR *r = opendir(sub);
            struct dirent *c;
            while (r && (c = readdir(r)))
                if (strncmp(c->d_name, "rpmsg", 5) == 0)
                    snprintf(buf, n, "/dev/%s", c->d_name);
            if (r)
                closedir(r);
        }
        if (d)
            closedir(d);
        if (buf[0] && strcmp(sysfs_read(RPROC "/state", st, sizeof st), "running") == 0 &&
            access(buf, R_OK | W_OK) == 0)
            return 0;
        usleep(10000);
    }
    return -1;
}

/* Plain echoes (no statistics) on fd until `count` are done or one fails; returns how
 * many came back right. timeout_ms bounds each. */
static unsigned echo_until_failure(int fd, unsigned first, unsigned count, int timeout_ms,
                                   const char **why)
{
    uint8_t out[MAX_MSG], in[MAX_MSG];
    unsigned i;
    for (i = 0; i < count; i++) {
        unsigned len = 1 + (first + i) % 64;
        fill(out, len, first + i);
        if (write(fd, out, len) != (ssize_t)len) {
            *why = "write_failed";
            break;
        }
        int got = read_msg(fd, in, timeout_ms);
        if (got != (int)len || memcmp(in, out, len) != 0) {
            *why = got < 0 ? "no_echo" : "wrong_echo";
            break;
        }
    }
    return i;
}

/* --crash=KIND: echoes, and after half of them the firmware is told to crash
 * (CTRL_FAULT: a bus fault or an undefined instruction; CTRL_WDT_STARVE: it stops
 * refreshing its watchdog and keeps serving). Echoes go on until the crash stops them.
 * On the remoteproc route Linux then takes its coredump (checked: check_coredump) and
 * recovers the remote: the echo channel comes back and `count` more echoes must succeed.
 * On the virtio-mmio route nothing recovers a remote: rpvp ends the run at the crash, so
 * reaching the end of the wait here is an error either way. */
static int crash_phase(const char *dev, const char *kind, unsigned count, int wait_s)
{
    const int rproc = access(RPROC "/state", R_OK) == 0;
    const char *why = "";
    char path[300], fw[128], st[32];
    struct ctrl_msg m;
    int rc = 1;

    if (rproc && sysfs_write(RPROC "/coredump", "enabled") != 0) {
        say("RPVP-ERROR crash: cannot enable the remoteproc coredump (errno %d)\n", errno);
        return 1;
    }
    uint32_t ctrl_addr = channel_addr(FW_EPT_CTRL);
    int cfd = ctrl_addr ? open_ept("rpvp-bench-crash", ctrl_addr, wait_s) : -1;
    int fd = open(dev, O_RDWR);
    if (cfd < 0 || fd < 0) {
        say("RPVP-ERROR crash: ctrl endpoint %d (addr %u), %s %d, errno %d\n", cfd,
            ctrl_addr, dev, fd, errno);
        goto out;
    }
    unsigned half = count / 2, done = echo_until_failure(fd, 0, half, 1000, &why);
    if (done != half) {
        say("RPVP-ERROR crash: echo %u before the crash: %s\n", done, why);
        goto out;
    }
    memset(&m, 0, sizeof m);
    if (strcmp(kind, "watchdog") == 0) {
        if (ctrl(cfd, CTRL_WDT_STARVE, 0, &m) != 0) {
            say("RPVP-ERROR crash: CTRL_WDT_STARVE not acknowledged\n");
            goto out;
        }
    } else {
        m.magic = CTRL_MAGIC;
        m.cmd = CTRL_FAULT;
        m.arg[0] = strcmp(kind, "undef") == 0 ? CTRL_FAULT_UNDEF : CTRL_FAULT_BUS;
        if (write(cfd, &m, sizeof m) != (ssize_t)sizeof m) {
            say("RPVP-ERROR crash: CTRL_FAULT not sent (errno %d)\n", errno);
            goto out;
        }
    }
    uint64_t t0 = now_ns();
    if (strcmp(kind, "watchdog") == 0)
        say("RPVP-CRASH kind=%s after=%u watchdog_ms=%u\n", kind, half, (unsigned)m.arg[0]);
    else
        say("RPVP-CRASH kind=%s after=%u\n", kind, half);
    /* Traffic until the crash stops it: a watchdog timeout takes its time. */
    unsigned after = echo_until_failure(fd, half, 1000000, 1000, &why);
    say("RPVP-CRASH-SEEN echoes_after=%u how=%s sim_ms=%.3f\n", after, why,
        (now_ns() - t0) / 1e6);
    close(fd);
    close(cfd);
    fd = cfd = -1;
    if (!rproc) {
        say("RPVP-ERROR crash: no remoteproc here to recover the remote\n");
        goto out;
    }
    if (wait_devcoredump(path, sizeof path, wait_s) != 0) {
        say("RPVP-ERROR crash: no devcoredump within %d s (state %s)\n", wait_s,
            sysfs_read(RPROC "/state", st, sizeof st));
        goto out;
    }
    char fwpath[160];
    snprintf(fwpath, sizeof fwpath, "/lib/firmware/%s", sysfs_read(RPROC "/firmware", fw, sizeof fw));
    say("RPVP-CRASH-DUMP file=%s\n", path);
    int bad = check_coredump(path, fwpath);
    sysfs_write(path, "1"); /* writing to data frees the dump */
    if (bad)
        goto out;
    if (wait_echo_dev(path, sizeof path, wait_s) != 0) {
        say("RPVP-ERROR crash: the echo channel did not come back within %d s (state %s)\n",
            wait_s, sysfs_read(RPROC "/state", st, sizeof st));
        goto out;
    }
    say("RPVP-RECOVERED state=%s dev=%s sim_ms=%.3f\n", sysfs_read(RPROC "/state", st, sizeof st),
        path, (now_ns() - t0) / 1e6);
    fd = open(path, O_RDWR);
    done = fd >= 0 ? echo_until_failure(fd, 0, count, 1000, &why) : 0;
    say("RPVP-CRASH-ECHO sent=%u ok=%u%s%s\n", count, done, done == count ? "" : " error=",
        done == count ? "" : why);
    rc = done != count;
out:
    if (fd >= 0)
        close(fd);
    if (cfd >= 0)
        close(cfd);
    return rc;
}

static int cmd_echo(int argc, char **argv)
{
    const char *dev = opt(argc, argv, "--dev", "/dev/rpmsg0");
    unsigned count = (unsigned)strtoul(opt(argc, argv, "--count", "1000"), NULL, 0);
    unsigned max_size = (unsigned)strtoul(opt(argc, argv, "--max-size", "496"), NULL, 0);
    unsigned stream = (unsigned)strtoul(opt(argc, argv, "--stream", "200"), NULL, 0);
    unsigned window = (unsigned)strtoul(opt(argc, argv, "--window", "32"), NULL, 0);
    int wait_s = atoi(opt(argc, argv, "--wait", "60"));
    const char *crash = opt(argc, argv, "--crash", "");
    char sizes[128];
    int rc = 0;

    snprintf(sizes, sizeof(sizes), "%s", opt(argc, argv, "--sizes", "16,256,496"));
    if (max_size < 1 || max_size > MAX_MSG)
        max_size = MAX_MSG;
    uint64_t t0 = now_ns();
    if (wait_for(dev, wait_s) != 0) {
        say("RPVP-ERROR no %s after %d s\n", dev, wait_s);
        return 1;
    }
    say("RPVP-CHANNEL dev=%s waited_ms=%.3f\n", dev, (now_ns() - t0) / 1e6);
    int fd = open(dev, O_RDWR);
    if (fd < 0) {
        say("RPVP-ERROR open %s errno=%d\n", dev, errno);
        return 1;
    }
    if (window < 1)
        window = 1;
    print_clock();
    rc |= echo_latency(fd, count, max_size);
    for (char *tok = strtok(sizes, ","); tok && stream; tok = strtok(NULL, ",")) {
        unsigned sz = (unsigned)strtoul(tok, NULL, 0);
        if (sz >= 1 && sz <= MAX_MSG)
            rc |= echo_stream(fd, sz, stream, window);
    }
    close(fd);
    if (crash[0])
        rc |= crash_phase(dev, crash, count, wait_s);
    return rc;
}

/* The remote address of the channel `name` (sysfs: virtio0.<name>.-1.<dst>); 0 if none. */
static uint32_t channel_addr(const char *name)
{
    DIR *d = opendir("/sys/bus/rpmsg/devices");
    struct dirent *e;
    uint32_t addr = 0;
    size_t n = strlen(name);
    while (d && (e = readdir(d))) {
        const char *p = strchr(e->d_name, '.');
        if (p && strncmp(p + 1, name, n) == 0 && p[1 + n] == '.') {
            const char *last = strrchr(e->d_name, '.');
            addr = (uint32_t)strtoul(last + 1, NULL, 10);
        }
    }
    if (d)
        closedir(d);
    return addr;
}

/* An rpmsg_char endpoint to `dst` through /dev/rpmsg_ctrl0; its /dev/rpmsgN opened. */
static int open_ept(const char *name, uint32_t dst, int wait_s)
{
    int ctl = open("/dev/rpmsg_ctrl0", O_RDWR);
    if (ctl < 0)
        return -1;
    struct rpmsg_endpoint_info info;
    memset(&info, 0, sizeof info);
    snprintf(info.name, sizeof info.name, "%s", name);
    info.src = 0xffffffffu; /* RPMSG_ADDR_ANY */
    info.dst = dst;
    int rc = ioctl(ctl, RPMSG_CREATE_EPT_IOCTL, &info);
    close(ctl);
    if (rc < 0)
        return -1;
    /* The new node: the /sys/class/rpmsg/rpmsgN whose dst is ours. */
    for (int t = 0; t < wait_s * 100; t++) {
        for (int i = 0; i < 16; i++) {
            char path[96], buf[32] = "";
            snprintf(path, sizeof path, "/sys/class/rpmsg/rpmsg%d/dst", i);
            FILE *f = fopen(path, "r");
            if (!f)
                continue;
            int got = fgets(buf, sizeof buf, f) != NULL;
            fclose(f);
            if (got && (uint32_t)strtoul(buf, NULL, 0) == dst) {
                snprintf(path, sizeof path, "/dev/rpmsg%d", i);
                int fd = open(path, O_RDWR);
                if (fd >= 0)
                    return fd;
            }
        }
        usleep(10000);
    }
    return -1;
}

/* One control request and its reply (firmware/apps/ctrl_proto.h). */
static int ctrl(int fd, uint16_t cmd, uint32_t a0, struct ctrl_msg *reply)
{
    static uint16_t seq;
    struct ctrl_msg m;
    memset(&m, 0, sizeof m);
    m.magic = CTRL_MAGIC;
    m.cmd = cmd;
    m.seq = ++seq;
    m.arg[0] = a0;
    if (write(fd, &m, sizeof m) != (ssize_t)sizeof m)
        return -1;
    uint8_t in[MAX_MSG];
    int got = read_msg(fd, in, 10000);
    if (got != (int)sizeof *reply)
        return -1;
    memcpy(reply, in, sizeof *reply);
    return reply->cmd == (cmd | CTRL_REPLY) && reply->seq == m.seq && reply->status == 0 ? 0 : -1;
}

/* Non-blocking writes until one fails; returns how many went through (*err: its errno). */
static unsigned fill_until_eagain(int fd, const uint8_t *buf, unsigned size, int *err)
{
    unsigned n = 0;
    while (n < 4096 && write(fd, buf, size) == (ssize_t)size)
        n++;
    *err = n < 4096 ? errno : 0;
    return n;
}

/* TX exhaustion against the firmware's slow consumer, as a user program sees it. */
static int cmd_exhaust(int argc, char **argv)
{
    unsigned slow_us = (unsigned)strtoul(opt(argc, argv, "--slow-us", "50"), NULL, 0);
    unsigned size = (unsigned)strtoul(opt(argc, argv, "--size", "64"), NULL, 0);
    unsigned blocking = (unsigned)strtoul(opt(argc, argv, "--blocking", "64"), NULL, 0);
    int wait_s = atoi(opt(argc, argv, "--wait", "60"));
    uint8_t buf[MAX_MSG];
    struct ctrl_msg r;

    if (size < 1 || size > MAX_MSG)
        size = 64;
    memset(buf, 0x5a, sizeof buf);
    if (wait_for("/dev/rpmsg_ctrl0", wait_s) != 0) {
        say("RPVP-ERROR no /dev/rpmsg_ctrl0 after %d s\n", wait_s);
        return 1;
    }
    uint32_t ctrl_addr = channel_addr(FW_EPT_CTRL), slow_addr = channel_addr(FW_EPT_SLOW);
    int cfd = ctrl_addr ? open_ept("rpvp-bench-ctrl", ctrl_addr, wait_s) : -1;
    int sfd = slow_addr ? open_ept("rpvp-bench-slow", slow_addr, wait_s) : -1;
    if (cfd < 0 || sfd < 0) {
        say("RPVP-ERROR endpoints: ctrl addr %u fd %d, slow addr %u fd %d, errno %d\n",
            ctrl_addr, cfd, slow_addr, sfd, errno);
        return 1;
    }
    print_clock();
    if (ctrl(cfd, CTRL_SLOW_SET, slow_us, &r) != 0) {
        say("RPVP-ERROR CTRL_SLOW_SET failed\n");
        return 1;
    }
    /* 1. O_NONBLOCK: write until EAGAIN, then count EAGAINs over 100 more attempts. */
    int fl = fcntl(sfd, F_GETFL);
    fcntl(sfd, F_SETFL, fl | O_NONBLOCK);
    unsigned sent = 0, before_eagain = 0, eagain = 0;
    int first_errno = 0;
    uint64_t t_start = now_ns(), t_eagain = 0;
    before_eagain = fill_until_eagain(sfd, buf, size, &first_errno);
    sent += before_eagain;
    t_eagain = now_ns();
    if (first_errno == EAGAIN)
        eagain++;
    for (unsigned i = 0; i < 100 && first_errno == EAGAIN; i++) {
        if (write(sfd, buf, size) == (ssize_t)size)
            sent++;
        else if (errno == EAGAIN)
            eagain++;
    }
    /* 2. Blocking writes while the buffers are out: the time each one is blocked. */
    fcntl(sfd, F_SETFL, fl & ~O_NONBLOCK);
    uint64_t blocked_total = 0, blocked_max = 0;
    unsigned blocked = 0;
    for (unsigned i = 0; i < blocking; i++) {
        uint64_t t0 = now_ns();
        if (write(sfd, buf, size) != (ssize_t)size) {
            say("RPVP-ERROR blocking write %u errno=%d\n", i, errno);
            break;
        }
        uint64_t d = now_ns() - t0;
        sent++;
        blocked_total += d;
        if (d > blocked_max)
            blocked_max = d;
        if (d > 20000) /* longer than a write that finds a buffer (~ a few us) */
            blocked++;
    }
    /* 3. Out of buffers again, then poll(POLLOUT) with a 100 ms timeout: what a user's
     * event loop sees (Linux 6.1's virtio_rpmsg_bus has no poll hook: see
     * docs/measurement.md), and whether a write would have gone through. */
    fcntl(sfd, F_SETFL, fl | O_NONBLOCK);
    int again_errno = 0;
    sent += fill_until_eagain(sfd, buf, size, &again_errno);
    struct pollfd p = {.fd = sfd, .events = POLLOUT};
    uint64_t tp = now_ns();
    int prc = poll(&p, 1, 100);
    uint64_t poll_ns = now_ns() - tp;
    int after_poll = write(sfd, buf, size) == (ssize_t)size;
    if (after_poll)
        sent++;
    else if (errno == EAGAIN)
        eagain++;
    fcntl(sfd, F_SETFL, fl);
    /* 4. Everything sent was consumed. */
    unsigned received = 0, rbytes = 0;
    for (int t = 0; t < 200; t++) {
        if (ctrl(cfd, CTRL_SLOW_STATS, 0, &r) != 0)
            break;
        received = r.arg[0];
        rbytes = r.arg[1];
        if (received >= sent)
            break;
        usleep(1000);
    }
    uint64_t t_end = now_ns();
    say("RPVP-EXHAUST sent=%u received=%u received_bytes=%u size=%u slow_us=%u "
        "nonblock_sent_before_eagain=%u eagain=%u first_errno=%d eagain_after_us=%.3f "
        "poll_rc=%d poll_revents=0x%x poll_wait_us=%.3f write_after_poll=%s "
        "blocking_writes=%u blocked_writes=%u blocked_total_us=%.3f blocked_max_us=%.3f "
        "run_us=%.3f\n", sent, received, rbytes, size, slow_us, before_eagain, eagain,
        first_errno, (t_eagain - t_start) / 1e3, prc, (unsigned)p.revents, poll_ns / 1e3,
        after_poll ? "ok" : "eagain", blocking, blocked, blocked_total / 1e3,
        blocked_max / 1e3, (t_end - t_start) / 1e3);
    close(sfd);
    close(cfd);
    if (received != sent || rbytes != sent * size) {
        say("RPVP-ERROR sent %u messages, the slow consumer took %u (%u bytes)\n", sent,
            received, rbytes);
        return 1;
    }
    return first_errno == EAGAIN ? 0 : 1;
}

static int cmd_mmio(int argc, char **argv)
{
    unsigned long base = strtoul(opt(argc, argv, "--base", "0x0b000000"), NULL, 0);
    unsigned count = (unsigned)strtoul(opt(argc, argv, "--count", "10000"), NULL, 0);
    unsigned bad = 0;

    int fd = open("/dev/mem", O_RDWR | O_SYNC);
    if (fd < 0) {
        say("RPVP-ERROR open /dev/mem errno=%d\n", errno);
        return 1;
    }
    volatile uint32_t *r = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)base);
    if (r == MAP_FAILED) {
        say("RPVP-ERROR mmap 0x%lx errno=%d\n", base, errno);
        return 1;
    }
    say("RPVP-MMIO magic=0x%08x\n", r[TD_MAGIC / 4]);
    uint64_t t0 = now_ns();
    for (unsigned i = 0; i < count; i++) {
        uint32_t v = i * 2654435761u;
        r[TD_SCRATCH / 4] = v;
        if (r[TD_SCRATCH / 4] != v)
            bad++;
        if (i % 64 == 0)
            r[TD_IRQ_CTRL / 4] = (i / 64) & 1; /* an interrupt edge every 64 round trips */
    }
    r[TD_IRQ_CTRL / 4] = 0;
    uint64_t ns = now_ns() - t0;
    uint32_t lo = r[TD_TIME_LO / 4], hi = r[TD_TIME_HI / 4];
    say("RPVP-MMIO count=%u bad=%u device_accesses=%u sim_ns_per_roundtrip=%.1f "
        "systemc_ps=%llu\n", count, bad, r[TD_ACCESSES / 4], (double)ns / count,
        (unsigned long long)(((uint64_t)hi << 32) | lo));
    if (strcmp(opt(argc, argv, "--fail", "0"), "1") == 0) {
        say("RPVP-MMIO writing FAIL\n");
        r[TD_FAIL / 4] = 1;
        say("RPVP-ERROR still alive after FAIL\n");
        bad++;
    }
    munmap((void *)r, 4096);
    close(fd);
    return bad != 0;
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    g_tag = opt(argc, argv, "--tag", "");
    if (strlen(g_tag) > 128) {
        fprintf(stderr, "%s: --tag is longer than 128 characters\n", argv[0]);
        return 2;
    }
    if (argc >= 2 && strcmp(argv[1], "echo") == 0)
        return cmd_echo(argc, argv);
    if (argc >= 2 && strcmp(argv[1], "mmio") == 0)
        return cmd_mmio(argc, argv);
    if (argc >= 2 && strcmp(argv[1], "exhaust") == 0)
        return cmd_exhaust(argc, argv);
    fprintf(stderr, "usage: %s echo|exhaust|mmio [--key=value...]\n", argv[0]);
    return 2;
}
