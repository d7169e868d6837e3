/*
 * rpvp-linux-bench: rpvp's Linux-side program, run by the guest's /init (static, armhf,
 * built by tools/build-guest.sh with Debian's arm-linux-gnueabihf-gcc).
 *
 *   rpvp-linux-bench echo [--dev=/dev/rpmsg0] [--count=1000] [--max-size=496]
 *                         [--sizes=16,256,496] [--stream=200] [--wait=60]
 *       Sends `count` messages of sizes 1..max-size (cycling) through the rpmsg_char
 *       endpoint, reads each echo back and checks it byte for byte; prints round-trip
 *       latency (min/median/p99/max, us) and then, per size in --sizes, the throughput
 *       of `stream` pipelined messages. Times come from CLOCK_MONOTONIC, which under
 *       QEMU -icount is the guest's virtual clock: simulated time.
 *   rpvp-linux-bench mmio [--base=0x0b000000] [--count=10000]
 *       Drives rpvp's test device (bridge/plugin/test_device.h) through /dev/mem:
 *       scratch write/read-back and interrupt-line toggles, to prove and time the bridge.
 *       --fail=1 then writes the FAIL register: the platform fails (fault tests).
 *
 * Output: one "RPVP-..." line per result, machine-readable (key=value). Exit status 0
 * only if every check passed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define MAX_MSG 496 /* rpmsg buffer (512) minus its 16-byte header */

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

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
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

static int echo_latency(int fd, unsigned count, unsigned max_size)
{
    uint8_t out[MAX_MSG], in[MAX_MSG];
    uint64_t *lat = calloc(count, sizeof(*lat));
    unsigned ok = 0, bad = 0;

    if (!lat)
        return 1;
    for (unsigned i = 0; i < count; i++) {
        unsigned len = 1 + i % max_size;
        fill(out, len, i);
        uint64_t t0 = now_ns();
        if (write(fd, out, len) != (ssize_t)len) {
            printf("RPVP-ERROR write seq=%u len=%u errno=%d\n", i, len, errno);
            bad++;
            break;
        }
        int got = read_msg(fd, in, 10000);
        lat[i] = now_ns() - t0;
        if (got != (int)len || memcmp(in, out, len) != 0) {
            printf("RPVP-ERROR echo seq=%u len=%u got=%d\n", i, len, got);
            bad++;
            if (got < 0)
                break;
            continue;
        }
        ok++;
    }
    printf("RPVP-ECHO sent=%u ok=%u bad=%u max_size=%u\n", count, ok, bad, max_size);
    if (ok) {
        qsort(lat, ok + bad, sizeof(*lat), cmp_u64);
        unsigned n = ok + bad;
        printf("RPVP-LATENCY unit=us min=%.3f median=%.3f p99=%.3f max=%.3f n=%u\n",
               lat[0] / 1e3, lat[n / 2] / 1e3, lat[(n * 99) / 100 < n ? (n * 99) / 100 : n - 1] / 1e3,
               lat[n - 1] / 1e3, n);
    }
    free(lat);
    return bad != 0 || ok != count;
}

/* Pipelined: keep up to `window` messages in flight. */
static int echo_stream(int fd, unsigned size, unsigned count)
{
    const unsigned window = 32;
    uint8_t out[MAX_MSG], in[MAX_MSG];
    unsigned sent = 0, recv = 0, bad = 0;
    uint64_t t0 = now_ns();

    while (recv < count) {
        while (sent < count && sent - recv < window) {
            fill(out, size, sent);
            if (write(fd, out, size) != (ssize_t)size) {
                printf("RPVP-ERROR stream write size=%u errno=%d\n", size, errno);
                return 1;
            }
            sent++;
        }
        int got = read_msg(fd, in, 10000);
        if (got < 0) {
            printf("RPVP-ERROR stream timeout size=%u recv=%u\n", size, recv);
            return 1;
        }
        fill(out, size, recv);
        if (got != (int)size || memcmp(in, out, size) != 0)
            bad++;
        recv++;
    }
    double s = (now_ns() - t0) / 1e9;
    printf("RPVP-THROUGHPUT size=%u msgs=%u bad=%u sim_s=%.6f msgs_per_s=%.0f bytes_per_s=%.0f\n",
           size, count, bad, s, count / s, (double)count * size / s);
    return bad != 0;
}

static int cmd_echo(int argc, char **argv)
{
    const char *dev = opt(argc, argv, "--dev", "/dev/rpmsg0");
    unsigned count = (unsigned)strtoul(opt(argc, argv, "--count", "1000"), NULL, 0);
    unsigned max_size = (unsigned)strtoul(opt(argc, argv, "--max-size", "496"), NULL, 0);
    unsigned stream = (unsigned)strtoul(opt(argc, argv, "--stream", "200"), NULL, 0);
    int wait_s = atoi(opt(argc, argv, "--wait", "60"));
    char sizes[128];
    int rc = 0;

    snprintf(sizes, sizeof(sizes), "%s", opt(argc, argv, "--sizes", "16,256,496"));
    if (max_size < 1 || max_size > MAX_MSG)
        max_size = MAX_MSG;
    uint64_t t0 = now_ns();
    if (wait_for(dev, wait_s) != 0) {
        printf("RPVP-ERROR no %s after %d s\n", dev, wait_s);
        return 1;
    }
    printf("RPVP-CHANNEL dev=%s waited_ms=%.3f\n", dev, (now_ns() - t0) / 1e6);
    int fd = open(dev, O_RDWR);
    if (fd < 0) {
        printf("RPVP-ERROR open %s errno=%d\n", dev, errno);
        return 1;
    }
    rc |= echo_latency(fd, count, max_size);
    for (char *tok = strtok(sizes, ","); tok && stream; tok = strtok(NULL, ",")) {
        unsigned sz = (unsigned)strtoul(tok, NULL, 0);
        if (sz >= 1 && sz <= MAX_MSG)
            rc |= echo_stream(fd, sz, stream);
    }
    close(fd);
    return rc;
}

static int cmd_mmio(int argc, char **argv)
{
    unsigned long base = strtoul(opt(argc, argv, "--base", "0x0b000000"), NULL, 0);
    unsigned count = (unsigned)strtoul(opt(argc, argv, "--count", "10000"), NULL, 0);
    unsigned bad = 0;

    int fd = open("/dev/mem", O_RDWR | O_SYNC);
    if (fd < 0) {
        printf("RPVP-ERROR open /dev/mem errno=%d\n", errno);
        return 1;
    }
    volatile uint32_t *r = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)base);
    if (r == MAP_FAILED) {
        printf("RPVP-ERROR mmap 0x%lx errno=%d\n", base, errno);
        return 1;
    }
    printf("RPVP-MMIO magic=0x%08x\n", r[TD_MAGIC / 4]);
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
    printf("RPVP-MMIO count=%u bad=%u device_accesses=%u sim_ns_per_roundtrip=%.1f "
           "systemc_ps=%llu\n", count, bad, r[TD_ACCESSES / 4], (double)ns / count,
           (unsigned long long)(((uint64_t)hi << 32) | lo));
    if (strcmp(opt(argc, argv, "--fail", "0"), "1") == 0) {
        printf("RPVP-MMIO writing FAIL\n");
        r[TD_FAIL / 4] = 1;
        printf("RPVP-ERROR still alive after FAIL\n");
        bad++;
    }
    munmap((void *)r, 4096);
    close(fd);
    return bad != 0;
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc >= 2 && strcmp(argv[1], "echo") == 0)
        return cmd_echo(argc, argv);
    if (argc >= 2 && strcmp(argv[1], "mmio") == 0)
        return cmd_mmio(argc, argv);
    fprintf(stderr, "usage: %s echo|mmio [--key=value...]\n", argv[0]);
    return 2;
}
