/*
 * rpvp C transaction bridge ABI.
 *
 * Two directions, both plain C:
 *   - Initiator side: a C initiator (an ISS, a traffic generator, the synthetic host,
 *     QEMU's bridge device) holds an opaque rpvp_port. Each call becomes a TLM-2.0
 *     base-protocol transaction on the SystemC initiator socket behind the port
 *     (b_transport, get_direct_mem_ptr, transport_dbg). Time is kept per port with a
 *     quantum, as tlm_utils::tlm_quantumkeeper does.
 *   - Target side: a C device core described by an rpvp_device_ops table is wrapped
 *     into a TLM target by one generic SystemC wrapper (see rpvp/device.h).
 *
 * Time is in picoseconds (SystemC's default resolution) as uint64_t everywhere.
 *
 * Threads: every call must be made from the thread that runs the SystemC kernel
 * (an SC_THREAD, an SC_METHOD, or the thread that calls sc_start between runs).
 * Which one decides what a sync does: see rpvp_port_sync().
 */
#ifndef RPVP_BRIDGE_H
#define RPVP_BRIDGE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Version of this ABI; bumped on any incompatible change. */
#define RPVP_BRIDGE_ABI_VERSION 1u

/* Outcome of one access. Mirrors the TLM response statuses a C initiator must tell apart. */
typedef enum rpvp_status {
    RPVP_OK = 0,             /* TLM_OK_RESPONSE */
    RPVP_ADDRESS_ERROR = -1, /* TLM_ADDRESS_ERROR_RESPONSE: nothing decodes there */
    RPVP_GENERIC_ERROR = -2, /* any other TLM error response (command, burst, byte enable) */
} rpvp_status;

const char *rpvp_status_name(rpvp_status s);

/* ---------------------------------------------------------------------------------- */
/* Initiator port                                                                      */
/* ---------------------------------------------------------------------------------- */

typedef struct rpvp_port rpvp_port;

/* DMI grant: host pointer `ptr` gives direct access to [start, end] (inclusive, as in
 * TLM) in the port's address space. Latencies are per access, to be added to local time
 * by the initiator itself (the DMI path bypasses the interconnect). */
typedef struct rpvp_dmi {
    uint8_t *ptr;       /* host address of `start` */
    uint64_t start;     /* first address covered */
    uint64_t end;       /* last address covered (inclusive) */
    int read_allowed;
    int write_allowed;
    uint64_t read_latency_ps;
    uint64_t write_latency_ps;
} rpvp_dmi;

/* Called when a DMI region overlapping [start, end] must no longer be used. */
typedef void (*rpvp_dmi_invalidate_fn)(void *ctx, uint64_t start, uint64_t end);
/* Called when interrupt input `line` of the port changes to `level` (0 or 1). */
typedef void (*rpvp_irq_fn)(void *ctx, unsigned line, int level);

/* Read `len` bytes at `addr` into `data` (b_transport). The transaction's annotated
 * delay is added to the port's local time and, if `delay_ps` is not NULL, returned
 * there. Syncs if the quantum is used up. */
rpvp_status rpvp_read(rpvp_port *p, uint64_t addr, void *data, size_t len, uint64_t *delay_ps);
/* Write `len` bytes from `data` at `addr`; otherwise as rpvp_read. */
rpvp_status rpvp_write(rpvp_port *p, uint64_t addr, const void *data, size_t len,
                       uint64_t *delay_ps);

/* Debug transport: no time, no side effects on time; returns the number of bytes
 * actually transferred (0 if nothing decodes at addr). */
size_t rpvp_debug_read(rpvp_port *p, uint64_t addr, void *data, size_t len);
size_t rpvp_debug_write(rpvp_port *p, uint64_t addr, const void *data, size_t len);

/* Ask for DMI to the region holding `addr`. Returns 1 and fills *dmi when granted, 0
 * otherwise. The grant stays valid until the invalidate callback says otherwise. */
int rpvp_get_dmi(rpvp_port *p, uint64_t addr, rpvp_dmi *dmi);
void rpvp_set_dmi_invalidate_callback(rpvp_port *p, rpvp_dmi_invalidate_fn fn, void *ctx);

/* Interrupt lines into the initiator (e.g. an ISS's NVIC inputs). The callback runs in
 * SystemC context at the simulated time of the edge (use rpvp_port_now()). */
void rpvp_set_irq_callback(rpvp_port *p, rpvp_irq_fn fn, void *ctx);
unsigned rpvp_port_num_irqs(const rpvp_port *p);
int rpvp_port_irq_level(const rpvp_port *p, unsigned line);

/* --- time keeping (quantum) ---
 * The port keeps a local time offset ahead of SystemC's global time. Accesses and
 * rpvp_port_advance() add to it; when it reaches the quantum the port syncs. */

/* Account `ps` of the initiator's own work (e.g. instruction cycles); syncs if the
 * quantum is used up. */
void rpvp_port_advance(rpvp_port *p, uint64_t ps);
/* Bring SystemC's time up to the port's local time and zero the offset.
 *  - in an SC_THREAD: wait(offset);
 *  - outside the simulation (the caller drives the kernel, e.g. QEMU's vCPU thread):
 *    sc_start(offset), running every process due in that window;
 *  - in an SC_METHOD or inside another transport call, waiting is impossible: the
 *    offset is kept and returned on the next sync from a context that can wait. */
void rpvp_port_sync(rpvp_port *p);
/* Sync, then wait until an interrupt line of this port changes or `max_ps` elapses
 * (max_ps == UINT64_MAX: no limit). Used by WFI-like idling so that time advances to
 * the next event instead of spinning. Returns 1 if woken by an interrupt change. */
int rpvp_port_wait_irq(rpvp_port *p, uint64_t max_ps);
uint64_t rpvp_port_local_offset(const rpvp_port *p);
/* Set the local offset explicitly. Used by device cores whose port is called from inside
 * another initiator's transport: they start at the caller's annotated delay, do their
 * nested accesses, and hand the resulting offset back as their own delay. */
void rpvp_port_set_local_offset(rpvp_port *p, uint64_t ps);
/* With auto-sync off (default on) the port never syncs by itself: accesses only add to
 * the local offset, which the owner manages (nested use inside b_transport). */
void rpvp_port_set_auto_sync(rpvp_port *p, int on);
/* SystemC time plus the port's local offset: "now" as this initiator sees it. */
uint64_t rpvp_port_now(const rpvp_port *p);
void rpvp_port_set_quantum(rpvp_port *p, uint64_t ps);
uint64_t rpvp_port_quantum(const rpvp_port *p);
const char *rpvp_port_name(const rpvp_port *p);

/* Counters kept per port. */
typedef struct rpvp_port_stats {
    uint64_t reads, writes, read_bytes, write_bytes;
    uint64_t errors, debug_accesses, dmi_grants, dmi_invalidations, syncs;
} rpvp_port_stats;
void rpvp_port_get_stats(const rpvp_port *p, rpvp_port_stats *out);

/* Current SystemC time in ps (global, without any port's local offset). */
uint64_t rpvp_sim_time_ps(void);

#ifdef __cplusplus
}
#endif
#endif
