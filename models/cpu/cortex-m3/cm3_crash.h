/*
 * What rpvp does when the Cortex-M3 crashes (docs/firmware.md, "Crash"): the faulting
 * context recovered from the exception frame, the fault status decoded by bit name
 * (ARMv7-M ARM B3.2.15 CFSR: MMFSR/BFSR/UFSR, B3.2.16 HFSR), symbols from the firmware's
 * ELF, and an ELF core file that `gdb-multiarch firmware.elf core` loads: the registers
 * as an ARM NT_PRSTATUS note (Linux's 32-bit elf_prstatus layout, which BFD and gdb read
 * for any ARM core file), the memory as PT_LOAD segments. Plain C, no SystemC.
 */
#ifndef RPVP_CM3_CRASH_H
#define RPVP_CM3_CRASH_H

#include <stddef.h>
#include <stdint.h>

#include "cm3.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cm3_crash_regs {
    uint32_t r[16]; /* r0..r15 of the faulting context (r15 = the faulting pc) */
    uint32_t xpsr;
    uint32_t cfsr, hfsr, mmfar, bfar;
    int exc;        /* exception taken (3..6), 0 when none (lock-up, watchdog) */
    int unstacked;  /* r0-r3, r12, lr, pc, xpsr came from the exception frame */
} cm3_crash_regs;

/* The context to report: if the core has just entered fault handler `exc` (LR holds
 * EXC_RETURN), the frame it stacked (r0-r3, r12, lr, pc, xPSR; sp = above the frame,
 * plus the alignment word when xPSR bit 9 says so); otherwise the registers as they
 * are (a lock-up, a watchdog timeout). */
void cm3_crash_context(cm3_cpu *c, int exc, cm3_crash_regs *out);

/* Names of the set bits of CFSR and HFSR ("PRECISERR BFARVALID", "FORCED"), "-" if
 * none. Returns buf. */
const char *cm3_crash_cfsr_names(uint32_t cfsr, char *buf, size_t len);
const char *cm3_crash_hfsr_names(uint32_t hfsr, char *buf, size_t len);
const char *cm3_crash_exc_name(int exc);

/* A memory region of the core file: `len` bytes at M3 address `addr`. */
typedef struct cm3_core_region {
    uint32_t addr;
    uint32_t len;
    const uint8_t *data;
} cm3_core_region;

/* Write the ELF core. 0, or -1 with the reason in err. */
int cm3_core_write(const char *path, const cm3_crash_regs *regs, int signo,
                   const cm3_core_region *regions, unsigned n, char *err, size_t errlen);

/* Function symbols of an ELF file (STT_FUNC with a size, Thumb bit cleared). */
typedef struct cm3_symtab cm3_symtab;
cm3_symtab *cm3_symtab_load(const char *elf_path);
void cm3_symtab_free(cm3_symtab *t);
/* "name+0x12" for addr (Thumb bit ignored), or "0x000012a4" when no function holds it. */
const char *cm3_symtab_describe(const cm3_symtab *t, uint32_t addr, char *buf, size_t len);

#ifdef __cplusplus
}
#endif
#endif
