/*
 * rpvp plugin interface: how a simulator process (QEMU's rpvp-bridge device) loads rpvp's
 * SystemC platform in-process as a shared library and drives it.
 *
 * What it is: the QEMU end of rpvp's transaction bridge. QEMU owns the guest CPU and its
 * virtual clock (-icount); rpvp owns the SystemC platform behind one MMIO window and a
 * few interrupt lines. Specification: docs/bridge-protocol.md (this header is its code).
 *
 * Interface:
 *   - entry points (dlsym):  rpvp_plugin_abi_version(), rpvp_plugin_create()
 *   - host -> plugin:        ops->access (reads and writes), ops->sync, ops->destroy
 *   - plugin -> host:        host->set_irq (interrupt edge with its simulated time),
 *                            host->log
 *   - time: picoseconds of QEMU's virtual clock (QEMU_CLOCK_VIRTUAL ns * 1000).
 *
 * Threads: every call, both ways, happens on one thread at a time, with QEMU's big lock
 * held (QEMU's vCPU thread for MMIO and icount timers, or its main loop thread for
 * timers). The plugin's callbacks into the host happen only inside a host->plugin call,
 * on the same thread. The plugin never starts threads that call back.
 *
 * Who owns time: the host. It passes its current virtual time with every call; the
 * plugin runs SystemC up to that time and never behind it. The host calls sync at each
 * quantum boundary T with target T + quantum, so SystemC runs at most one quantum ahead
 * of the guest, and reports interrupt edges before the guest reaches them. Boundaries
 * where the platform has nothing scheduled are skipped (ops->next_event).
 *
 * Not modelled / not provided: DMA from the platform into QEMU's address space (shared
 * DDR is one file both map instead), snapshots and migration, several instances per
 * process (SystemC elaborates once per process), an out-of-process transport (the ABI
 * is shaped so one can be added: only fixed-width values and byte buffers cross it).
 */
#ifndef RPVP_PLUGIN_H
#define RPVP_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bumped on any incompatible change of this header's structs or semantics. The host
 * checks rpvp_plugin_abi_version() right after dlopen and refuses a mismatch. */
#define RPVP_PLUGIN_ABI_VERSION 1u

/* Names the host looks up with dlsym. */
#define RPVP_PLUGIN_ABI_VERSION_SYMBOL "rpvp_plugin_abi_version"
#define RPVP_PLUGIN_CREATE_SYMBOL "rpvp_plugin_create"

/* Status of an access or sync (int32_t on the wire). */
typedef enum rpvp_plugin_status {
    RPVP_PLUGIN_OK = 0,
    RPVP_PLUGIN_ADDRESS_ERROR = -1, /* nothing decodes at the address (bus error) */
    RPVP_PLUGIN_GENERIC_ERROR = -2, /* the target refused (size, command, byte enables) */
    RPVP_PLUGIN_FAILED = -3,        /* the platform is dead (SystemC error, exception);
                                       every later call returns this; see last_error */
    RPVP_PLUGIN_BAD_ARGUMENT = -4,  /* size not 1/2/4/8, time in the past of SystemC... */
} rpvp_plugin_status;

/* Log levels for host->log. */
enum { RPVP_PLUGIN_LOG_ERROR = 0, RPVP_PLUGIN_LOG_WARN = 1, RPVP_PLUGIN_LOG_INFO = 2 };

/* What the host gives the plugin. Copied by the plugin at create time. */
typedef struct rpvp_plugin_host {
    uint32_t abi_version; /* RPVP_PLUGIN_ABI_VERSION of the host */
    uint32_t struct_size; /* sizeof(rpvp_plugin_host) of the host */
    void *ctx;            /* passed back to every callback */
    /* Interrupt output `line` of the platform changed to `level` (0/1) at simulated time
     * `time_ps`, which is never earlier than the time of the host call in progress. The
     * host replays the edge when its virtual clock reaches time_ps (exactly, with a
     * virtual-clock timer). Edges of one line arrive in time order. */
    void (*set_irq)(void *ctx, uint32_t line, int32_t level, uint64_t time_ps);
    /* One line of diagnostics (no trailing newline). May be NULL. */
    void (*log)(void *ctx, int32_t level, const char *msg);
} rpvp_plugin_host;

typedef struct rpvp_plugin rpvp_plugin; /* opaque instance */

/* What the plugin gives the host. Static storage in the plugin. */
typedef struct rpvp_plugin_ops {
    uint32_t abi_version; /* RPVP_PLUGIN_ABI_VERSION of the plugin */
    uint32_t struct_size; /* sizeof(rpvp_plugin_ops) of the plugin */
    /* One bridged access at guest time `time_ps`: first SystemC is advanced to time_ps if
     * it is behind, then the transaction runs at SystemC's current time (which may be up
     * to one quantum later than time_ps: the documented read error bound).
     * `addr` is the guest physical address (window base included); `size` is 1, 2, 4 or
     * 8; `is_write` is 0 or 1; `*data` holds the value to write (little-endian, low
     * `size` bytes) or receives the value read. On any status other than OK a read
     * stores 0 in *data (never an error code as data). */
    int32_t (*access)(rpvp_plugin *p, uint64_t time_ps, uint64_t addr, uint32_t size,
                      uint32_t is_write, uint64_t *data);
    /* Advance SystemC to `time_ps` (no-op if already there or beyond). Interrupt edges
     * that happen on the way are reported through host->set_irq before this returns. */
    int32_t (*sync)(rpvp_plugin *p, uint64_t time_ps);
    /* SystemC's current time in ps. */
    uint64_t (*now)(rpvp_plugin *p);
    /* SystemC time (ps) of the platform's next pending activity (a timed event, a delta
     * cycle), or UINT64_MAX if there is none: then the platform cannot change state, nor
     * raise an interrupt, before the host's next access. The host needs to sync only
     * one quantum before that time (an idle platform costs no syncs). */
    uint64_t (*next_event)(rpvp_plugin *p);
    /* Why the plugin failed (RPVP_PLUGIN_FAILED), or "" if it did not. */
    const char *(*last_error)(rpvp_plugin *p);
    /* End the simulation, print the platform's statistics and free everything. The
     * handle is invalid afterwards. */
    void (*destroy)(rpvp_plugin *p);
} rpvp_plugin_ops;

/* Returns RPVP_PLUGIN_ABI_VERSION of the plugin. Callable before create. */
uint32_t rpvp_plugin_abi_version(void);
typedef uint32_t (*rpvp_plugin_abi_version_fn)(void);

/* Elaborate the platform named in `config` and return its handle in *out and its
 * function table in *ops. `config` is a comma-separated key=value list (see
 * docs/bridge-protocol.md; `platform=<name>` chooses the platform). On failure returns
 * a negative status, writes a NUL-terminated reason into err[0..err_size) and leaves
 * *out NULL. Fails with RPVP_PLUGIN_BAD_ARGUMENT if host->abi_version differs. Only one
 * instance per process. */
int32_t rpvp_plugin_create(const rpvp_plugin_host *host, const char *config,
                           rpvp_plugin **out, const rpvp_plugin_ops **ops, char *err,
                           size_t err_size);
typedef int32_t (*rpvp_plugin_create_fn)(const rpvp_plugin_host *host, const char *config,
                                         rpvp_plugin **out, const rpvp_plugin_ops **ops,
                                         char *err, size_t err_size);

#ifdef __cplusplus
}
#endif
#endif
