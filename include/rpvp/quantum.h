/* The default quantum of every rpvp program (rpvp, rpvp-synthetic, rpvp-qemu and the
 * launcher library): how far QEMU and the M3 may run ahead of SystemC. 1 us bounds the
 * latency error to 1 us at little wall-time cost (docs/platform.md, "Quantum"). */
#ifndef RPVP_QUANTUM_H
#define RPVP_QUANTUM_H

#define RPVP_DEFAULT_QUANTUM_NS 1000u

#endif
