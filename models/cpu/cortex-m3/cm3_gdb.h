/*
 * GDB remote serial protocol stub for the Cortex-M3 ISS (GDB manual, "Remote Protocol").
 * Serves one gdb (gdb-multiarch: `target remote :PORT`) over TCP on 127.0.0.1:
 * registers (m-profile target description: r0-r12, sp, lr, pc, xpsr), memory, software
 * breakpoints (Z0/z0, kept in the ISS, no code patching), continue, step, kill, detach.
 * Not supported: watchpoints, non-stop mode, file I/O, Ctrl-C while running.
 */
#ifndef RPVP_CM3_GDB_H
#define RPVP_CM3_GDB_H

#include "cm3.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Listen on port, wait for gdb, serve until the program exits, gdb kills/detaches
 * (then run to the end) or the connection drops. Returns the last stop reason. */
cm3_stop cm3_gdb_serve(cm3_cpu *c, int port);

#ifdef __cplusplus
}
#endif
#endif
