/*
 * Host cost of the QEMU <-> SystemC plugin path, measured through the plugin's C entry
 * point exactly as QEMU's rpvp-bridge calls it (dlopen, create, access, sync):
 *   - one bridged access (a 32-bit read of the test device, SystemC one quantum ahead),
 *   - one quantum sync (sync(T + Q)), with an idle platform and with a ticker process.
 *   plugin_cost <librpvp_plugin.so> [ticker-ns] [quantum-ns]
 * Prints the median of 7 rounds (each round: 200,000 operations) in ns per operation.
 */
#define _GNU_SOURCE
#include "rpvp/plugin.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define ROUNDS 7
#define OPS 200000u

static void on_irq(void *ctx, uint32_t line, int32_t level, uint64_t t) {}
static void on_log(void *ctx, int32_t level, const char *msg)
{
    if (level <= RPVP_PLUGIN_LOG_WARN) /* statistics at destroy are not wanted here */
        fprintf(stderr, "rpvp: %s\n", msg);
}

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s <librpvp_plugin.so> [ticker-ns] [quantum-ns]\n", argv[0]);
        return 2;
    }
    unsigned long ticker = argc > 2 ? strtoul(argv[2], NULL, 0) : 0;
    uint64_t q_ps = (argc > 3 ? strtoull(argv[3], NULL, 0) : 10000) * 1000u;
    setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
    void *dl = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (!dl) {
        fprintf(stderr, "dlopen: %s\n", dlerror());
        return 1;
    }
    rpvp_plugin_create_fn create = (rpvp_plugin_create_fn)dlsym(dl, RPVP_PLUGIN_CREATE_SYMBOL);
    rpvp_plugin_host host = { RPVP_PLUGIN_ABI_VERSION, sizeof(host), NULL, on_irq, on_log };
    rpvp_plugin *p;
    const rpvp_plugin_ops *o;
    char err[256], cfg[128];
    snprintf(cfg, sizeof(cfg), "platform=test,ticker-ns=%lu", ticker);
    if (!create || create(&host, cfg, &p, &o, err, sizeof(err)) != RPVP_PLUGIN_OK) {
        fprintf(stderr, "create: %s\n", err);
        return 1;
    }
    double acc[ROUNDS], syn[ROUNDS];
    uint64_t t = 0;
    for (int r = 0; r < ROUNDS; r++) {
        /* Accesses as QEMU makes them: SystemC one quantum ahead, 20 ns apart. */
        o->sync(p, t + q_ps);
        double t0 = now_ns();
        for (unsigned i = 0; i < OPS; i++) {
            uint64_t v = 0;
            if (i % (unsigned)(q_ps / 20000) == 0) { /* the boundary sync QEMU would do */
                t += q_ps;
                o->sync(p, t + q_ps);
            }
            o->access(p, t, 0x0b000100, 4, 0, &v);
        }
        double with_syncs = now_ns() - t0;
        /* Syncs alone: one per quantum. */
        t0 = now_ns();
        for (unsigned i = 0; i < OPS; i++) {
            t += q_ps;
            o->sync(p, t + q_ps);
        }
        syn[r] = (now_ns() - t0) / OPS;
        unsigned n_syncs = OPS / (unsigned)(q_ps / 20000);
        acc[r] = (with_syncs - n_syncs * syn[r]) / OPS;
    }
    qsort(acc, ROUNDS, sizeof(double), cmp_d);
    qsort(syn, ROUNDS, sizeof(double), cmp_d);
    printf("plugin host cost (median of %d x %u): bridged access %.0f ns, quantum sync %.0f ns "
           "(quantum %llu ns, ticker %lu ns)\n", ROUNDS, OPS, acc[ROUNDS / 2], syn[ROUNDS / 2],
           (unsigned long long)(q_ps / 1000), ticker);
    o->destroy(p);
    return 0;
}
