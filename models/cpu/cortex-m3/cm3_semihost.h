/*
 * ARM semihosting for the Cortex-M3 ISS (BKPT 0xAB; "Semihosting for AArch32 and
 * AArch64", ARM IHI 0091, version 2.0): the calls newlib's rdimon needs plus the
 * console ones. Files: only ":tt" (stdin/stdout/stderr) and ":semihosting-features"
 * (reports SH_EXT_EXIT_EXTENDED and SH_EXT_STDOUT_STDERR); host files are not opened.
 * SYS_CLOCK/SYS_TIME/SYS_ELAPSED return simulated time (deterministic), not wall time.
 */
#ifndef RPVP_CM3_SEMIHOST_H
#define RPVP_CM3_SEMIHOST_H

#include "cm3.h"
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cm3_semihost_cfg {
    FILE *in, *out, *err;       /* console streams */
    const char *cmdline;        /* SYS_GET_CMDLINE */
    uint32_t heap_base, heap_limit, stack_base, stack_limit;   /* SYS_HEAPINFO */
} cm3_semihost_cfg;

cm3_semihost *cm3_semihost_create(const cm3_semihost_cfg *cfg);
void cm3_semihost_destroy(cm3_semihost *sh);
/* Number of semihosting calls served. */
uint64_t cm3_semihost_calls(const cm3_semihost *sh);

#ifdef __cplusplus
}
#endif
#endif
