/*
 * GDB remote serial protocol stub for the Cortex-M3 ISS (GDB manual, "Remote Protocol").
 * Serves one gdb (gdb-multiarch: `target remote :PORT`) over TCP on 127.0.0.1:
 * registers (m-profile target description: r0-r12, sp, lr, pc, xpsr), memory, software
 * breakpoints (Z0/z0, kept in the ISS, no code patching), continue, step, kill, detach,
 * and Ctrl-C while the target runs (checked between run slices).
 * Not supported: watchpoints, non-stop mode, file I/O.
 */
#ifndef RPVP_CM3_GDB_H
#define RPVP_CM3_GDB_H

#include "cm3.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Listen on port, wait for gdb, serve until the program exits, gdb kills/detaches
 * (then run to the end) or the connection drops. Returns the last stop reason.
 * port 0: the system picks a free port; either way the port is announced on stderr as
 * "rpvp-cm3: waiting for gdb on 127.0.0.1:<port>". */
cm3_stop cm3_gdb_serve(cm3_cpu *c, int port);

/* The same, for a core inside a simulation: the target runs in slices of slice_cycles
 * and after each one between_slices(ctx) is called (a SystemC shell syncs its time
 * there), also while the target runs on after a detach. */
typedef void (*cm3_gdb_slice_fn)(void *ctx);
cm3_stop cm3_gdb_serve_sliced(cm3_cpu *c, int port, uint64_t slice_cycles,
                              cm3_gdb_slice_fn between_slices, void *ctx);

#ifdef __cplusplus
}
#endif
#endif
