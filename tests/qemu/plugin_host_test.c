/*
 * Tests of librpvp_plugin.so through its C entry point only, as QEMU's rpvp-bridge uses
 * it (dlopen, version check, create, access/sync, irq callback), without QEMU.
 * One case per process (SystemC elaborates once per process):
 *   plugin_host_test <plugin.so> <case>
 * Registers of the test platform: bridge/plugin/test_device.h.
 */
#define _GNU_SOURCE
#include "rpvp/plugin.h"
#include "test_device.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BASE 0x0b000000u
#include "check.h"

typedef struct edge {
    uint32_t line;
    int32_t level;
    uint64_t time_ps;
} edge;

static edge edges[64];
static unsigned n_edges;

static void host_set_irq(void *ctx, uint32_t line, int32_t level, uint64_t time_ps)
{
    if (n_edges < 64)
        edges[n_edges++] = (edge){ line, level, time_ps };
}

static rpvp_plugin_create_fn create_fn;
static rpvp_plugin_abi_version_fn version_fn;

static void load(const char *path)
{
    void *dl = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    CHECK(dl, "dlopen: %s", dlerror());
    version_fn = (rpvp_plugin_abi_version_fn)dlsym(dl, RPVP_PLUGIN_ABI_VERSION_SYMBOL);
    create_fn = (rpvp_plugin_create_fn)dlsym(dl, RPVP_PLUGIN_CREATE_SYMBOL);
    CHECK(version_fn && create_fn, "entry points missing");
    CHECK(version_fn() == RPVP_PLUGIN_ABI_VERSION, "version %u", version_fn());
}

static rpvp_plugin_host host(uint32_t version)
{
    rpvp_plugin_host h = { version, sizeof(rpvp_plugin_host), NULL, host_set_irq, NULL };
    return h;
}

static rpvp_plugin *make(const char *config, const rpvp_plugin_ops **ops)
{
    rpvp_plugin_host h = host(RPVP_PLUGIN_ABI_VERSION);
    rpvp_plugin *p = NULL;
    char err[256] = "";
    int32_t st = create_fn(&h, config, &p, ops, err, sizeof(err));
    CHECK(st == RPVP_PLUGIN_OK && p && *ops, "create(%s) = %d: %s", config, st, err);
    CHECK((*ops)->abi_version == RPVP_PLUGIN_ABI_VERSION, "ops version");
    return p;
}

static uint64_t rd(const rpvp_plugin_ops *o, rpvp_plugin *p, uint64_t t, uint64_t off)
{
    uint64_t v = 0xdeadbeef;
    int32_t st = o->access(p, t, BASE + off, 4, 0, &v);
    CHECK(st == RPVP_PLUGIN_OK, "read 0x%llx = %d", (unsigned long long)off, st);
    return v;
}

static void wr(const rpvp_plugin_ops *o, rpvp_plugin *p, uint64_t t, uint64_t off, uint64_t v)
{
    int32_t st = o->access(p, t, BASE + off, 4, 1, &v);
    CHECK(st == RPVP_PLUGIN_OK, "write 0x%llx = %d", (unsigned long long)off, st);
}

/* Reads and writes reach the test device; statuses map; errors never read as data. */
static void case_access(void)
{
    const rpvp_plugin_ops *o;
    rpvp_plugin *p = make("platform=test", &o);
    CHECK(rd(o, p, 0, A_TD_MAGIC) == TD_MAGIC_VALUE, "magic");
    wr(o, p, 1000, A_TD_SCRATCH, 0x12345678);
    CHECK(rd(o, p, 2000, A_TD_SCRATCH) == 0x12345678, "scratch read-back");
    uint64_t v = 0x55;
    /* Outside the window: bus error, and the read gives 0, not an error code. */
    CHECK(o->access(p, 3000, BASE + 0x1000, 4, 0, &v) == RPVP_PLUGIN_ADDRESS_ERROR, "decode");
    CHECK(v == 0, "failed read returns 0");
    /* The device only takes 32-bit accesses: the target refuses a byte. */
    CHECK(o->access(p, 4000, BASE + A_TD_SCRATCH, 1, 0, &v) == RPVP_PLUGIN_GENERIC_ERROR, "byte");
    CHECK(o->access(p, 4000, BASE, 3, 0, &v) == RPVP_PLUGIN_BAD_ARGUMENT, "size 3");
    /* magic, scratch write, scratch read and this one: refused ones are not counted */
    CHECK(rd(o, p, 5000, A_TD_ACCESSES) == 4, "device access count");
    o->destroy(p);
}

/* Time: SystemC follows the host's time, never goes back, sync is exact. */
static void case_time(void)
{
    const rpvp_plugin_ops *o;
    rpvp_plugin *p = make("platform=test,latency-ps=0", &o);
    CHECK(o->sync(p, 10000000) == RPVP_PLUGIN_OK, "sync");
    CHECK(o->now(p) == 10000000, "now after sync %llu", (unsigned long long)o->now(p));
    CHECK(o->sync(p, 5000000) == RPVP_PLUGIN_OK && o->now(p) == 10000000, "no way back");
    /* An access in SystemC's past runs at SystemC's time (the read error bound). */
    uint32_t lo = (uint32_t)rd(o, p, 2000000, A_TD_TIME_LO);
    CHECK(lo == 10000000u, "access time %u", lo);
    /* An access in the future first brings SystemC there. */
    lo = (uint32_t)rd(o, p, 30000000, A_TD_TIME_LO);
    CHECK(lo == 30000000u && o->now(p) == 30000000, "access time %u", lo);
    o->destroy(p);
}

/* Interrupt edges come back through host->set_irq with their simulated time. */
static void case_irq(void)
{
    const rpvp_plugin_ops *o;
    rpvp_plugin *p = make("platform=test,latency-ps=7000", &o);
    o->sync(p, 1000000);
    wr(o, p, 1000000, A_TD_IRQ_CTRL, 1);
    CHECK(o->sync(p, 2000000) == RPVP_PLUGIN_OK, "sync");
    CHECK(n_edges == 1 && edges[0].line == 0 && edges[0].level == 1, "one rising edge (%u)", n_edges);
    /* The edge happens at the write's annotated time: access time + 7 ns latency. */
    CHECK(edges[0].time_ps == 1007000, "edge at %llu", (unsigned long long)edges[0].time_ps);
    wr(o, p, 3000000, A_TD_IRQ_CTRL, 0);
    o->sync(p, 4000000);
    CHECK(n_edges == 2 && edges[1].level == 0 && edges[1].time_ps == 3007000, "falling edge");
    o->destroy(p);
}

/* next_event: none while the platform is idle; the time of a scheduled edge; the
 * period of a platform process. */
static void case_next_event(void)
{
    const rpvp_plugin_ops *o;
    rpvp_plugin *p = make("platform=test,latency-ps=5000", &o);
    o->sync(p, 1000000);
    CHECK(o->next_event(p) == UINT64_MAX, "idle platform: %llu", (unsigned long long)o->next_event(p));
    wr(o, p, 1000000, A_TD_IRQ_CTRL, 1); /* edge scheduled at 1000000 + 5000 */
    CHECK(o->next_event(p) == 1005000, "edge pending at %llu", (unsigned long long)o->next_event(p));
    o->sync(p, 2000000);
    CHECK(n_edges == 1 && o->next_event(p) == UINT64_MAX, "idle again");
    o->destroy(p);
}

static void case_next_event_ticker(void)
{
    const rpvp_plugin_ops *o;
    rpvp_plugin *p = make("platform=test,ticker-ns=300", &o);
    o->sync(p, 1000000);
    uint64_t n = o->next_event(p);
    CHECK(n > 1000000 && n <= 1300000, "ticker wakes within 300 ns: %llu", (unsigned long long)n);
    o->destroy(p);
}

/* The platform fails (SystemC error): every call says FAILED, reads give 0. */
static void case_failure(void)
{
    const rpvp_plugin_ops *o;
    rpvp_plugin *p = make("platform=test", &o);
    uint64_t v = 1;
    CHECK(o->access(p, 1000, BASE + A_TD_FAIL, 4, 1, &v) == RPVP_PLUGIN_FAILED, "fail write");
    CHECK(strstr(o->last_error(p), "FAIL register"), "last_error: %s", o->last_error(p));
    v = 0x77;
    CHECK(o->access(p, 2000, BASE + A_TD_MAGIC, 4, 0, &v) == RPVP_PLUGIN_FAILED && v == 0,
          "read after failure");
    CHECK(o->sync(p, 3000) == RPVP_PLUGIN_FAILED, "sync after failure");
    o->destroy(p);
}

static void case_unknown_platform(void)
{
    rpvp_plugin_host h = host(RPVP_PLUGIN_ABI_VERSION);
    rpvp_plugin *p = (rpvp_plugin *)1;
    const rpvp_plugin_ops *o = NULL;
    char err[256] = "";
    int32_t st = create_fn(&h, "platform=nope", &p, &o, err, sizeof(err));
    CHECK(st == RPVP_PLUGIN_BAD_ARGUMENT && p == NULL, "status %d", st);
    CHECK(strstr(err, "unknown platform 'nope'") && strstr(err, "test"), "err: %s", err);
    st = create_fn(&h, "platform=test,base=zz", &p, &o, err, sizeof(err));
    CHECK(st == RPVP_PLUGIN_FAILED && strstr(err, "not a number"), "bad number: %s", err);
}

static void case_wrong_version(void)
{
    rpvp_plugin_host h = host(RPVP_PLUGIN_ABI_VERSION + 1);
    rpvp_plugin *p = NULL;
    const rpvp_plugin_ops *o = NULL;
    char err[256] = "";
    int32_t st = create_fn(&h, "platform=test", &p, &o, err, sizeof(err));
    CHECK(st == RPVP_PLUGIN_BAD_ARGUMENT && p == NULL, "status %d", st);
    CHECK(strstr(err, "interface version"), "err: %s", err);
}

/* Same calls -> same edge times and values, printed for the determinism comparison. */
static void case_trace(void)
{
    const rpvp_plugin_ops *o;
    rpvp_plugin *p = make("platform=test", &o);
    uint64_t t = 0;
    for (unsigned i = 0; i < 2000; i++) {
        t += 1000 + (i * 7919u) % 5000; /* irregular but fixed access times */
        wr(o, p, t, A_TD_SCRATCH, i);
        uint32_t lo = (uint32_t)rd(o, p, t + 100, A_TD_TIME_LO);
        if (i % 50 == 0)
            wr(o, p, t + 200, A_TD_IRQ_CTRL, (i / 50) & 1);
        if (i % 10 == 0)
            o->sync(p, t + 10000);
        printf("A %u %u\n", i, lo);
    }
    for (unsigned i = 0; i < n_edges; i++)
        printf("I %u %d %llu\n", edges[i].line, edges[i].level, (unsigned long long)edges[i].time_ps);
    CHECK(n_edges >= 39, "edges %u", n_edges);
    o->destroy(p);
}

int main(int argc, char **argv)
{
    static const struct { const char *name; void (*fn)(void); } cases[] = {
        { "access", case_access }, { "time", case_time }, { "irq", case_irq },
        { "failure", case_failure }, { "unknown_platform", case_unknown_platform },
        { "wrong_version", case_wrong_version }, { "trace", case_trace },
        { "next_event", case_next_event }, { "next_event_ticker", case_next_event_ticker },
    };
    setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
    if (argc != 3) {
        fprintf(stderr, "usage: %s <plugin.so> <case>\n", argv[0]);
        return 2;
    }
    load(argv[1]);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        if (strcmp(argv[2], cases[i].name) == 0) {
            cases[i].fn();
            fprintf(stderr, "PASS %s\n", argv[2]);
            return 0;
        }
    fprintf(stderr, "unknown case %s\n", argv[2]);
    return 2;
}
