/*
 * rpvp-bridge: QEMU's end of rpvp's transaction bridge (docs/bridge-protocol.md).
 *
 * What it is: a bus-less, user-creatable device (the pattern of hw/core/generic-loader.c)
 * that loads rpvp's SystemC platform in-process with dlopen (include/rpvp/plugin.h),
 * maps one MMIO window into system memory and forwards every access in it to the
 * platform, and wires the platform's interrupt outputs to GIC SPIs. It is not part of
 * Debian's QEMU: tools/build-qemu.sh adds it to Debian's qemu source at build time.
 *
 * QEMU interface:
 *   -device rpvp-bridge,plugin=<lib.so>,config=<k=v,...>,base=<pa>,size=<bytes>,
 *           num-irqs=<n>,first-spi=<spi>,quantum-ns=<ns>,trace=<file>
 *   - MMIO: [base, base+size) in system memory, 1..8-byte accesses, forwarded with the
 *     guest physical address (base included) and QEMU's virtual time in ps.
 *   - IRQs: platform line i -> GIC SPI first-spi+i (found by type, no board change).
 *   - Time: a QEMU_CLOCK_VIRTUAL timer at every quantum boundary T syncs the platform to
 *     T + quantum (SystemC runs at most one quantum ahead; this also keeps it moving
 *     while the guest idles in WFI, as -icount sleep=off warps to the next timer).
 *     Boundaries before the platform's next pending activity are skipped.
 *     Interrupt edges come back with their simulated time and are replayed with a
 *     second virtual-clock timer at exactly that time (rounded up to the next ns).
 *
 * When the platform fails (load error, wrong ABI version, SystemC error): realize fails
 * with the reason, or at run time the access returns a bus error to the guest (data 0),
 * the reason is printed once and QEMU exits with status 1.
 *
 * Not modelled: DMA from the platform into guest memory (guest RAM is rpvp's shared DDR
 * file instead), vmstate/migration (a migration blocker would be added), reset of the
 * platform on guest reboot (rpvp runs one boot per process), KVM.
 */
#include "qemu/osdep.h"
#include "qemu/error-report.h"
#include "qemu/log.h"
#include "qemu/timer.h"
#include "qemu/notify.h"
#include "qapi/error.h"
#include "hw/qdev-properties.h"
#include "hw/irq.h"
#include "sysemu/cpus.h"
#include "hw/intc/arm_gic_common.h"
#include "exec/memory.h"
#include "exec/address-spaces.h"
#include "sysemu/sysemu.h"
#include <dlfcn.h>

#include "rpvp-plugin.h"

#define TYPE_RPVP_BRIDGE "rpvp-bridge"
OBJECT_DECLARE_SIMPLE_TYPE(RpvpBridgeState, RPVP_BRIDGE)

#define RPVP_MAX_IRQS 32
#define RPVP_EDGE_QUEUE 256 /* power of two */

typedef struct RpvpEdge {
    int64_t time_ns;
    uint32_t line;
    int32_t level;
} RpvpEdge;

struct RpvpBridgeState {
    DeviceState parent_obj;

    /* properties */
    uint64_t base;
    uint64_t size;
    uint32_t num_irqs;
    uint32_t first_spi;
    uint64_t quantum_ns;
    char *plugin_path;
    char *config;
    char *trace_path;

    MemoryRegion mmio;
    qemu_irq irq[RPVP_MAX_IRQS];
    QEMUTimer *quantum_timer;
    QEMUTimer *edge_timer;
    int64_t next_boundary_ns;

    /* edges reported by the platform, waiting for their virtual time (time order) */
    RpvpEdge edges[RPVP_EDGE_QUEUE];
    uint32_t edge_head, edge_count;

    void *dl;
    rpvp_plugin *plugin;
    const rpvp_plugin_ops *ops;
    rpvp_plugin_host host;
    FILE *trace;
    Notifier exit_notifier;
    uint64_t accesses, syncs, edges_applied, late_edges;
};

static uint64_t now_ps(void)
{
    return (uint64_t)qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) * 1000u;
}

/* The platform is dead: say why once and stop QEMU with a failure status. */
static void G_NORETURN rpvp_fatal(RpvpBridgeState *s, const char *what, int32_t st)
{
    error_report("rpvp-bridge: %s failed (status %d): %s", what, st,
                 s->ops ? s->ops->last_error(s->plugin) : "no plugin");
    if (s->trace) {
        fflush(s->trace);
    }
    exit(1);
}

static void rpvp_apply_edge(RpvpBridgeState *s, const RpvpEdge *e)
{
    s->edges_applied++;
    if (s->trace) {
        fprintf(s->trace, "I %" PRIu64 " %u %d\n", now_ps(), e->line, e->level);
    }
    qemu_set_irq(s->irq[e->line], e->level);
}

/* Apply every queued edge whose time has come, re-arm the edge timer for the rest. */
static void rpvp_run_edges(RpvpBridgeState *s)
{
    int64_t now = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);

    while (s->edge_count) {
        RpvpEdge *e = &s->edges[s->edge_head];
        if (e->time_ns > now) {
            timer_mod(s->edge_timer, e->time_ns);
            return;
        }
        rpvp_apply_edge(s, e);
        s->edge_head = (s->edge_head + 1) & (RPVP_EDGE_QUEUE - 1);
        s->edge_count--;
    }
    timer_del(s->edge_timer);
}

static void rpvp_edge_timer_cb(void *opaque)
{
    rpvp_run_edges(opaque);
}

/* host->set_irq: called by the platform inside access/sync, same thread. */
static void rpvp_host_set_irq(void *ctx, uint32_t line, int32_t level, uint64_t time_ps)
{
    RpvpBridgeState *s = ctx;
    RpvpEdge e = { .time_ns = (int64_t)((time_ps + 999u) / 1000u), .line = line,
                   .level = level != 0 };

    if (line >= s->num_irqs) {
        qemu_log_mask(LOG_GUEST_ERROR, "rpvp-bridge: platform raised line %u of %u\n", line,
                      s->num_irqs);
        return;
    }
    if (s->edge_count == 0 && e.time_ns <= qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL)) {
        rpvp_apply_edge(s, &e);
        return;
    }
    if (s->edge_count == RPVP_EDGE_QUEUE) {
        /* Cannot keep exact time for this many pending edges: apply the oldest now. */
        s->late_edges++;
        rpvp_apply_edge(s, &s->edges[s->edge_head]);
        s->edge_head = (s->edge_head + 1) & (RPVP_EDGE_QUEUE - 1);
        s->edge_count--;
    }
    s->edges[(s->edge_head + s->edge_count) & (RPVP_EDGE_QUEUE - 1)] = e;
    s->edge_count++;
    rpvp_run_edges(s);
}

static void rpvp_host_log(void *ctx, int32_t level, const char *msg)
{
    if (level == RPVP_PLUGIN_LOG_ERROR) {
        error_report("rpvp: %s", msg);
    } else if (level == RPVP_PLUGIN_LOG_WARN) {
        warn_report("rpvp: %s", msg);
    } else {
        info_report("rpvp: %s", msg);
    }
}

/*
 * One quantum boundary at QEMU time `now` (ns): SystemC runs to now + quantum.
 * Always called on the thread that owns guest time at that instant (the vCPU thread, or
 * the main loop while every vCPU sleeps), so the boundary falls at a deterministic
 * instruction count.
 */
static void rpvp_quantum_sync(RpvpBridgeState *s, int64_t now)
{
    uint64_t target = (uint64_t)(now + (int64_t)s->quantum_ns) * 1000u;
    int32_t st;

    s->syncs++;
    if (s->trace) {
        fprintf(s->trace, "S %" PRIu64 " %" PRIu64 " %c\n", (uint64_t)now * 1000u, target,
                qemu_in_vcpu_thread() ? 'v' : 'm');
    }
    st = s->ops->sync(s->plugin, target);
    if (st != RPVP_PLUGIN_OK) {
        rpvp_fatal(s, "quantum sync", st);
    }
}

/*
 * Arm the quantum timer for the next boundary that matters: SystemC's current time (it
 * is then one quantum ahead, the sync keeps it so), or one quantum before the
 * platform's next pending activity if that is later (nothing can happen in between),
 * or never if the platform has nothing pending (it cannot change before our next
 * access). timer_mod only when the deadline moves: each re-arm wakes QEMU's main loop.
 *
 * A boundary that is already due (SystemC was behind the guest and an access just
 * scheduled activity) is synced here, at once. Arming an expired virtual timer instead
 * would let QEMU's main loop run it concurrently with the vCPU, at a host-speed-dependent
 * point of the guest's execution and with a stale virtual time: the nondeterminism this
 * replaced (docs/platform.md).
 */
static void rpvp_rearm(RpvpBridgeState *s)
{
    uint64_t q_ps = s->quantum_ns * 1000u;

    for (;;) {
        uint64_t next = s->ops->next_event(s->plugin);
        int64_t now = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
        uint64_t fire_ps;
        int64_t fire_ns;

        if (next == UINT64_MAX) {
            if (s->next_boundary_ns != INT64_MAX) {
                timer_del(s->quantum_timer);
                s->next_boundary_ns = INT64_MAX;
            }
            return;
        }
        fire_ps = MAX(s->ops->now(s->plugin), next > q_ps ? next - q_ps : 0);
        fire_ns = (int64_t)(fire_ps / 1000u);
        if (fire_ns <= now) {
            rpvp_quantum_sync(s, now); /* SystemC moves to now + quantum > now */
            continue;
        }
        if (fire_ns != s->next_boundary_ns) {
            s->next_boundary_ns = fire_ns;
            timer_mod(s->quantum_timer, fire_ns);
            if (s->trace) {
                fprintf(s->trace, "T %" PRIu64 " %" PRIu64 " %" PRIu64 "\n",
                        (uint64_t)now * 1000u, (uint64_t)fire_ns * 1000u, next);
            }
        }
        return;
    }
}

static void rpvp_quantum_timer_cb(void *opaque)
{
    RpvpBridgeState *s = opaque;

    rpvp_quantum_sync(s, qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL));
    s->next_boundary_ns = INT64_MIN; /* the timer fired: re-arm whatever comes */
    rpvp_rearm(s);
}

static MemTxResult rpvp_access(RpvpBridgeState *s, hwaddr off, uint64_t *data,
                               unsigned size, bool is_write)
{
    uint64_t t = now_ps();
    int32_t st;

    s->accesses++;
    st = s->ops->access(s->plugin, t, s->base + off, size, is_write, data);
    if (s->trace) {
        fprintf(s->trace, "A %" PRIu64 " %c 0x%" PRIx64 " %u 0x%" PRIx64 " %d\n", t,
                is_write ? 'W' : 'R', (uint64_t)(s->base + off), size, *data, st);
    }
    if (st != RPVP_PLUGIN_FAILED) {
        rpvp_rearm(s); /* the access may have scheduled platform activity */
    }
    switch (st) {
    case RPVP_PLUGIN_OK:
        return MEMTX_OK;
    case RPVP_PLUGIN_ADDRESS_ERROR:
        qemu_log_mask(LOG_GUEST_ERROR, "rpvp-bridge: nothing at 0x%" PRIx64 "\n",
                      (uint64_t)(s->base + off));
        return MEMTX_DECODE_ERROR;
    case RPVP_PLUGIN_GENERIC_ERROR:
        qemu_log_mask(LOG_GUEST_ERROR, "rpvp-bridge: %u-byte %s at 0x%" PRIx64 " refused\n",
                      size, is_write ? "write" : "read", (uint64_t)(s->base + off));
        return MEMTX_ERROR;
    default:
        rpvp_fatal(s, is_write ? "bridged write" : "bridged read", st);
    }
}

static MemTxResult rpvp_mmio_read(void *opaque, hwaddr off, uint64_t *data, unsigned size,
                                  MemTxAttrs attrs)
{
    *data = 0;
    return rpvp_access(opaque, off, data, size, false);
}

static MemTxResult rpvp_mmio_write(void *opaque, hwaddr off, uint64_t data, unsigned size,
                                   MemTxAttrs attrs)
{
    return rpvp_access(opaque, off, &data, size, true);
}

static const MemoryRegionOps rpvp_mmio_ops = {
    .read_with_attrs = rpvp_mmio_read,
    .write_with_attrs = rpvp_mmio_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 8 },
    .impl = { .min_access_size = 1, .max_access_size = 8 },
};

static void rpvp_exit_notify(Notifier *n, void *data)
{
    RpvpBridgeState *s = container_of(n, RpvpBridgeState, exit_notifier);

    if (s->trace) {
        fclose(s->trace);
        s->trace = NULL;
    }
    if (getenv("RPVP_BRIDGE_STATS")) {
        fprintf(stderr, "rpvp-bridge: accesses=%" PRIu64 " syncs=%" PRIu64
                " edges=%" PRIu64 " late_edges=%" PRIu64 "\n",
                s->accesses, s->syncs, s->edges_applied, s->late_edges);
    }
    if (s->plugin) {
        s->ops->destroy(s->plugin);
        s->plugin = NULL;
    }
}

/* dlopen the plugin, check its ABI version and create the platform. */
static bool rpvp_load_plugin(RpvpBridgeState *s, Error **errp)
{
    rpvp_plugin_abi_version_fn version;
    rpvp_plugin_create_fn create;
    char err[512] = "";
    int32_t st;

    s->dl = dlopen(s->plugin_path, RTLD_NOW | RTLD_LOCAL);
    if (!s->dl) {
        error_setg(errp, "rpvp-bridge: cannot load plugin: %s", dlerror());
        return false;
    }
    version = (rpvp_plugin_abi_version_fn)dlsym(s->dl, RPVP_PLUGIN_ABI_VERSION_SYMBOL);
    create = (rpvp_plugin_create_fn)dlsym(s->dl, RPVP_PLUGIN_CREATE_SYMBOL);
    if (!version || !create) {
        error_setg(errp, "rpvp-bridge: %s is not an rpvp plugin (no %s)", s->plugin_path,
                   version ? RPVP_PLUGIN_CREATE_SYMBOL : RPVP_PLUGIN_ABI_VERSION_SYMBOL);
        return false;
    }
    if (version() != RPVP_PLUGIN_ABI_VERSION) {
        error_setg(errp, "rpvp-bridge: plugin %s has interface version %u, this QEMU "
                   "expects %u", s->plugin_path, version(), RPVP_PLUGIN_ABI_VERSION);
        return false;
    }
    s->host = (rpvp_plugin_host){
        .abi_version = RPVP_PLUGIN_ABI_VERSION,
        .struct_size = sizeof(rpvp_plugin_host),
        .ctx = s,
        .set_irq = rpvp_host_set_irq,
        .log = rpvp_host_log,
    };
    st = create(&s->host, s->config ? s->config : "", &s->plugin, &s->ops, err,
                sizeof(err));
    if (st != RPVP_PLUGIN_OK || !s->plugin || !s->ops) {
        error_setg(errp, "rpvp-bridge: plugin create failed (status %d): %s", st, err);
        s->plugin = NULL;
        return false;
    }
    if (s->ops->abi_version != RPVP_PLUGIN_ABI_VERSION ||
        s->ops->struct_size < sizeof(rpvp_plugin_ops) || !s->ops->next_event) {
        error_setg(errp, "rpvp-bridge: plugin function table has version %u size %u, "
                   "expected %u/%zu", s->ops->abi_version, s->ops->struct_size,
                   RPVP_PLUGIN_ABI_VERSION, sizeof(rpvp_plugin_ops));
        s->plugin = NULL;
        return false;
    }
    return true;
}

/* The GIC of the board, found by type so that the board needs no change. */
static bool rpvp_wire_irqs(RpvpBridgeState *s, Error **errp)
{
    bool ambiguous = false;
    Object *gic = object_resolve_path_type("", TYPE_ARM_GIC_COMMON, &ambiguous);
    uint64_t num_spis;
    unsigned i;

    if (s->num_irqs == 0) {
        return true;
    }
    if (!gic || ambiguous) {
        error_setg(errp, "rpvp-bridge: %s GIC found", gic ? "more than one" : "no");
        return false;
    }
    num_spis = object_property_get_uint(gic, "num-irq", errp) - GIC_INTERNAL;
    if (s->first_spi + s->num_irqs > num_spis) {
        error_setg(errp, "rpvp-bridge: SPIs %u..%u beyond the GIC's %" PRIu64,
                   s->first_spi, s->first_spi + s->num_irqs - 1, num_spis);
        return false;
    }
    for (i = 0; i < s->num_irqs; i++) {
        s->irq[i] = qdev_get_gpio_in(DEVICE(gic), s->first_spi + i);
    }
    return true;
}

static void rpvp_bridge_realize(DeviceState *dev, Error **errp)
{
    RpvpBridgeState *s = RPVP_BRIDGE(dev);

    if (!s->plugin_path) {
        error_setg(errp, "rpvp-bridge: property 'plugin' (path of the .so) is required");
        return;
    }
    if (s->size == 0 || s->num_irqs > RPVP_MAX_IRQS || s->quantum_ns == 0) {
        error_setg(errp, "rpvp-bridge: need size > 0, num-irqs <= %d, quantum-ns > 0",
                   RPVP_MAX_IRQS);
        return;
    }
    if (!rpvp_wire_irqs(s, errp) || !rpvp_load_plugin(s, errp)) {
        return;
    }
    if (s->trace_path) {
        s->trace = fopen(s->trace_path, "w");
        if (!s->trace) {
            error_setg_errno(errp, errno, "rpvp-bridge: cannot write %s", s->trace_path);
            return;
        }
    }
    s->exit_notifier.notify = rpvp_exit_notify;
    qemu_add_exit_notifier(&s->exit_notifier);

    memory_region_init_io(&s->mmio, OBJECT(s), &rpvp_mmio_ops, s, "rpvp-bridge", s->size);
    memory_region_add_subregion(get_system_memory(), s->base, &s->mmio);

    s->edge_timer = timer_new_ns(QEMU_CLOCK_VIRTUAL, rpvp_edge_timer_cb, s);
    s->quantum_timer = timer_new_ns(QEMU_CLOCK_VIRTUAL, rpvp_quantum_timer_cb, s);
    rpvp_quantum_timer_cb(s); /* SystemC starts one quantum ahead */
}

static Property rpvp_bridge_props[] = {
    DEFINE_PROP_UINT64("base", RpvpBridgeState, base, 0x0b000000),
    DEFINE_PROP_UINT64("size", RpvpBridgeState, size, 0x200),
    DEFINE_PROP_UINT32("num-irqs", RpvpBridgeState, num_irqs, 1),
    DEFINE_PROP_UINT32("first-spi", RpvpBridgeState, first_spi, 10),
    DEFINE_PROP_UINT64("quantum-ns", RpvpBridgeState, quantum_ns, 10000),
    DEFINE_PROP_STRING("plugin", RpvpBridgeState, plugin_path),
    DEFINE_PROP_STRING("config", RpvpBridgeState, config),
    DEFINE_PROP_STRING("trace", RpvpBridgeState, trace_path),
    DEFINE_PROP_END_OF_LIST(),
};

static void rpvp_bridge_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);

    dc->desc = "rpvp SystemC platform bridge (in-process plugin)";
    dc->realize = rpvp_bridge_realize;
    dc->user_creatable = true;
    device_class_set_props(dc, rpvp_bridge_props);
    set_bit(DEVICE_CATEGORY_MISC, dc->categories);
}

static const TypeInfo rpvp_bridge_info = {
    .name = TYPE_RPVP_BRIDGE,
    .parent = TYPE_DEVICE,
    .instance_size = sizeof(RpvpBridgeState),
    .class_init = rpvp_bridge_class_init,
};

static void rpvp_bridge_register_types(void)
{
    type_register_static(&rpvp_bridge_info);
}

type_init(rpvp_bridge_register_types)
