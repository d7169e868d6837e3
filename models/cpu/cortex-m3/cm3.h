/*
 * rpvp Cortex-M3 instruction-set simulator: public C API (no SystemC).
 *
 * Models: an ARM Cortex-M3 r2p1 (ARMv7-M, ARM DDI 0403E "ARMv7-M ARM"; Cortex-M3 TRM
 * DDI 0337I / ARM 100165): 16- and 32-bit Thumb, IT blocks, the exception model (reset,
 * NMI, HardFault, MemManage, BusFault, UsageFault, SVCall, PendSV, SysTick, external
 * interrupts), NVIC, SCB, SysTick, DWT cycle counter, ITM stimulus port 0, bit-band and
 * the default memory map's execute-never regions. Cycles follow cm3_cycles.c.
 *
 * Interface: memory and sleep are reached only through cm3_bus (function pointers);
 * interrupt inputs are pushed with cm3_set_irq(); time is counted in core cycles.
 *
 * Not modelled: MPU (none), FPB/TPIU/ETM, debug halting except through the GDB stub,
 * the write buffer (stores complete at once), imprecise bus faults (all are precise),
 * multi-core exclusive monitors (the local monitor only). See docs/models/cortex-m3.md.
 */
#ifndef RPVP_CM3_H
#define RPVP_CM3_H

#include <stdint.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cm3_cpu cm3_cpu;

/* A host window onto guest memory (DMI). [start, end] inclusive. */
typedef struct cm3_dmi {
    uint8_t *ptr;         /* host address of `start` */
    uint32_t start, end;
    int writable;
    uint32_t read_wait;   /* extra cycles per access */
    uint32_t write_wait;
} cm3_dmi;

/* Everything outside the core. Only read and write are required. */
typedef struct cm3_bus {
    void *ctx;
    /* Read/write len (1, 2 or 4) bytes little-endian at an aligned addr. Return 0 on
     * success, non-zero on a bus error (-> BusFault). *wait receives wait-state cycles. */
    int (*read)(void *ctx, uint32_t addr, unsigned len, uint32_t *val, uint32_t *wait);
    int (*write)(void *ctx, uint32_t addr, unsigned len, uint32_t val, uint32_t *wait);
    /* Optional: fill *dmi for the region holding addr and return 1, or return 0. */
    int (*get_dmi)(void *ctx, uint32_t addr, cm3_dmi *dmi);
    /* Optional: the core sleeps (WFI/WFE). Let up to max_cycles elapse (the time to the
     * core's next SysTick event, whatever the run's budget; UINT64_MAX: no internal
     * wake-up event) and return how many did; the callee may call cm3_set_irq()
     * meanwhile and should return early on an interrupt. Without it, sleeping with no
     * wake-up event stops the run with CM3_STOP_SLEEP_FOREVER. */
    uint64_t (*sleep)(void *ctx, uint64_t max_cycles);
    /* Optional: ITM stimulus port write (console). Default: ignored. */
    void (*itm_write)(void *ctx, unsigned port, uint32_t value, unsigned len);
    /* Optional: a fault was taken — `exc` is the exception entered (3 HardFault,
     * 4 MemManage, 5 BusFault, 6 UsageFault; registers are at the handler's entry: the
     * faulting context is in the stacked frame, LR holds EXC_RETURN) — or 0: the core
     * locked up (cm3_last_error() says why). Called at once, inside cm3_run(); the callee
     * may call cm3_request_stop() to get control back before the handler runs. */
    void (*fault)(void *ctx, int exc);
} cm3_bus;

typedef struct cm3_config {
    unsigned num_irq;     /* external interrupts, 1..240 */
    unsigned prio_bits;   /* implemented priority bits, 3..8 */
    uint32_t vtor_reset;  /* VTOR at reset (0 on a Cortex-M3) */
} cm3_config;

typedef enum cm3_stop {
    CM3_STOP_BUDGET = 0,     /* the requested cycles have elapsed */
    CM3_STOP_EXIT,           /* semihosting exit; see cm3_exit_code() */
    CM3_STOP_LOCKUP,         /* fault while unable to take HardFault */
    CM3_STOP_BKPT,           /* BKPT with a debugger attached (or halt request) */
    CM3_STOP_INSN_LIMIT,     /* instruction limit reached */
    CM3_STOP_SLEEP_FOREVER,  /* WFI/WFE with no possible wake-up event */
    CM3_STOP_REQUEST,        /* cm3_request_stop() */
    CM3_STOP_WATCH,          /* a GDB watch/breakpoint address hit */
} cm3_stop;

typedef struct cm3_stats {
    uint64_t insns;          /* instructions retired (IT-skipped ones included) */
    uint64_t cycles;         /* active core cycles (what DWT_CYCCNT counts) */
    uint64_t sleep_cycles;   /* cycles spent in WFI/WFE */
    uint64_t exceptions;     /* exception entries (incl. tail-chains) */
    uint64_t tail_chains;
    uint64_t decode_misses;  /* predecode cache fills (the per-insn loop's) */
    uint64_t block_insns;    /* instructions run in translated blocks (the fast path) */
    uint64_t code_invalidations;
    uint64_t guest_errors;   /* logged guest errors (bad SCS access, ...) */
    /* Data loads/stores through DMI windows (the shared DDR: its traffic from this core
     * that no bus counter sees), counted only after cm3_count_direct(c, 1). */
    uint64_t direct_reads, direct_read_bytes, direct_writes, direct_write_bytes;
} cm3_stats;

/* Registers as GDB numbers them for ARM M-profile: r0-r15 = 0..15, xPSR = 25;
 * plus ours: 16 MSP, 17 PSP, 18 PRIMASK, 19 BASEPRI, 20 FAULTMASK, 21 CONTROL. */
enum { CM3_REG_SP = 13, CM3_REG_LR = 14, CM3_REG_PC = 15, CM3_REG_MSP = 16,
       CM3_REG_PSP = 17, CM3_REG_PRIMASK = 18, CM3_REG_BASEPRI = 19,
       CM3_REG_FAULTMASK = 20, CM3_REG_CONTROL = 21, CM3_REG_XPSR = 25 };

cm3_cpu *cm3_create(const cm3_config *cfg, const cm3_bus *bus);
void cm3_destroy(cm3_cpu *c);
/* Power-on reset: registers, NVIC, SCB, SysTick; loads SP and PC from the vector table. */
void cm3_reset(cm3_cpu *c);
/* Run until `cycles` more cycles (active + sleep) have elapsed or a stop event. With
 * bus.sleep, a WFI/WFE sleep lasts until the core's next event (SysTick) or, without one,
 * as long as the callee waits (max_cycles UINT64_MAX), even past the budget: then the
 * run returns CM3_STOP_BUDGET with more than `cycles` elapsed. */
cm3_stop cm3_run(cm3_cpu *c, uint64_t cycles);
void cm3_request_stop(cm3_cpu *c);
/* Stop after this many more instructions (0 = no limit). */
void cm3_set_insn_limit(cm3_cpu *c, uint64_t n);
/* Interrupt input `n` (0-based external IRQ) to level 0/1. */
void cm3_set_irq(cm3_cpu *c, unsigned n, int level);
/* Raise NMI (edge). */
void cm3_set_nmi(cm3_cpu *c);

uint32_t cm3_get_reg(cm3_cpu *c, unsigned n);
void cm3_set_reg(cm3_cpu *c, unsigned n, uint32_t v);
void cm3_get_stats(const cm3_cpu *c, cm3_stats *s);
/* Count data accesses through DMI windows (cm3_stats.direct_*): translated blocks then
 * leave loads and stores to the interpreter's handler (same simulated time, slower). */
void cm3_count_direct(cm3_cpu *c, int on);
uint64_t cm3_time_cycles(const cm3_cpu *c);   /* active + sleep cycles since reset */
int cm3_exit_code(const cm3_cpu *c);
/* Fault status for error reports: CFSR, HFSR, MMFAR, BFAR. */
void cm3_fault_regs(const cm3_cpu *c, uint32_t *cfsr, uint32_t *hfsr, uint32_t *mmfar,
                    uint32_t *bfar);
/* Human-readable last error (lockup reason, ...); "" if none. */
const char *cm3_last_error(const cm3_cpu *c);

/* Memory timing of a region as the core's bus interfaces see it (docs/models/cortex-m3.md,
 * "Region timing"). The M3 fetches code-region code over I-Code, reads and writes
 * code-region data over D-Code, and reaches everything else over the System bus. The core
 * takes an instruction's fetch cost from the region holding it (instead of the bus's or
 * DMI's wait states) and the data-read contention from the region a load reads; data
 * accesses still pay the wait states the bus returns. First matching region wins. */
typedef struct cm3_region_timing {
    uint32_t base, size;      /* [base, base + size - 1]; size 0 = up to 4 GiB */
    uint8_t wait;             /* wait states of one access of the memory */
    uint8_t fetch_bytes;      /* bytes one access brings (4, 8, 16: a wide flash line); the
                                 core fetches 32-bit words, a line serves fetch_bytes / 4 */
    uint8_t sysbus;           /* code fetched over the System bus: +1 cycle per 32-bit word */
    uint8_t contention;       /* data reads contend with prefetch: a run of loads pays one
                                 extra cycle every `contention` loads (0: none) */
} cm3_region_timing;
#define CM3_MAX_REGION_TIMING 8
/* Replace the region timings (n <= CM3_MAX_REGION_TIMING; 0 = none: fetch pays the bus's
 * wait states per halfword read). Returns 0, or -1 for a bad table (nothing changed). */
int cm3_set_region_timing(cm3_cpu *c, const cm3_region_timing *r, unsigned n);

/* Debug (side-effect-free as far as possible) memory access for loaders and GDB. */
int cm3_debug_read(cm3_cpu *c, uint32_t addr, void *buf, size_t len);
int cm3_debug_write(cm3_cpu *c, uint32_t addr, const void *buf, size_t len);
/* Invalidate DMI windows overlapping [start, end] and decoded code there. */
void cm3_invalidate_dmi(cm3_cpu *c, uint32_t start, uint32_t end);

/* Semihosting (BKPT 0xAB). Off by default; see cm3_semihost.h. */
typedef struct cm3_semihost cm3_semihost;
void cm3_set_semihost(cm3_cpu *c, cm3_semihost *sh);
/* Debugger attached: BKPT (other than semihosting) stops with CM3_STOP_BKPT. */
void cm3_set_debugger(cm3_cpu *c, int attached);
/* Up to 16 breakpoint addresses for the GDB stub (halfword aligned). */
int cm3_set_breakpoint(cm3_cpu *c, uint32_t addr, int on);
/* Single-step one instruction (for GDB). */
cm3_stop cm3_step(cm3_cpu *c);
/* Observation hooks (measurement; they never change what the core does).
 * Exception entry: fn(ctx, exception number (16 + IRQ n for IRQ n), core cycle count
 * at which the handler's first instruction starts), also for tail-chains. */
typedef void (*cm3_exc_fn)(void *ctx, unsigned exc, uint64_t cyc);
void cm3_set_exception_hook(cm3_cpu *c, cm3_exc_fn fn, void *ctx);
/* Write watch: every store by the core (not debug writes) overlapping [addr, addr+len)
 * calls fn(ctx, store address, store length, stored value, core cycle count after the
 * store) once the bytes are in memory. Up to 8 watches (slot id 0..7); len 0 removes
 * one. Cost: stores to the watched 1 KiB pages take the slow path (as stores into code
 * pages do); nothing at all while no watch is armed. Returns 0, or -1 for a bad slot. */
typedef void (*cm3_watch_fn)(void *ctx, uint32_t addr, unsigned len, uint32_t value,
                             uint64_t cyc);
int cm3_set_write_watch(cm3_cpu *c, unsigned id, uint32_t addr, uint32_t len,
                        cm3_watch_fn fn, void *ctx);
/* Clock in Hz, for semihosting SYS_CLOCK/SYS_ELAPSED and time conversion. */
void cm3_set_clock_hz(cm3_cpu *c, uint64_t hz);

#ifdef __cplusplus
}
#endif
#endif
