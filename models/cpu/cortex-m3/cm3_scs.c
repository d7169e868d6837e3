/*
 * Cortex-M3 Private Peripheral Bus: System Control Space (SCB, NVIC, SysTick), DWT
 * cycle counter and ITM stimulus ports. ARMv7-M ARM B3.2-B3.4, C1.7-C1.8; Cortex-M3 TRM
 * r2p1 chapters 4, 8, 11. Register names as in the ARM ARM.
 * Not modelled: MPU (MPU_TYPE reads 0: no MPU), FPB, TPIU, DWT comparators and the
 * other DWT counters, ITM timestamps/trace; debug halting registers read as zero.
 * SysTick's external reference clock (CLKSOURCE=0) runs at the core clock.
 */
#include "cm3_exec.h"

/* Addresses (absolute, PPB). */
enum {
    A_ITM_STIM0 = 0xe0000000u, A_ITM_STIM31 = 0xe000007cu, A_ITM_TER = 0xe0000e00u,
    A_ITM_TPR = 0xe0000e40u, A_ITM_TCR = 0xe0000e80u, A_ITM_LAR = 0xe0000fb0u,
    A_DWT_CTRL = 0xe0001000u, A_DWT_CYCCNT = 0xe0001004u,
    A_ICTR = 0xe000e004u, A_ACTLR = 0xe000e008u,
    A_SYST_CSR = 0xe000e010u, A_SYST_RVR = 0xe000e014u, A_SYST_CVR = 0xe000e018u,
    A_SYST_CALIB = 0xe000e01cu,
    A_NVIC_ISER = 0xe000e100u, A_NVIC_ICER = 0xe000e180u, A_NVIC_ISPR = 0xe000e200u,
    A_NVIC_ICPR = 0xe000e280u, A_NVIC_IABR = 0xe000e300u, A_NVIC_IPR = 0xe000e400u,
    A_CPUID = 0xe000ed00u, A_ICSR = 0xe000ed04u, A_VTOR = 0xe000ed08u, A_AIRCR = 0xe000ed0cu,
    A_SCR = 0xe000ed10u, A_CCR = 0xe000ed14u, A_SHPR1 = 0xe000ed18u, A_SHPR3 = 0xe000ed20u,
    A_SHCSR = 0xe000ed24u, A_CFSR = 0xe000ed28u, A_HFSR = 0xe000ed2cu, A_DFSR = 0xe000ed30u,
    A_MMFAR = 0xe000ed34u, A_BFAR = 0xe000ed38u, A_AFSR = 0xe000ed3cu,
    A_ID_PFR0 = 0xe000ed40u, A_ID_ISAR4 = 0xe000ed70u, A_CPACR = 0xe000ed88u,
    A_MPU_TYPE = 0xe000ed90u, A_DHCSR = 0xe000edf0u, A_DEMCR = 0xe000edfcu,
    A_STIR = 0xe000ef00u,
};
enum { SYST_CSR_ENABLE = 1u, SYST_CSR_TICKINT = 2u, SYST_CSR_CLKSOURCE = 4u,
       SYST_CSR_COUNTFLAG = 1u << 16 };
enum { ICSR_PENDSTCLR = 1u << 25, ICSR_PENDSTSET = 1u << 26, ICSR_PENDSVCLR = 1u << 27,
       ICSR_PENDSVSET = 1u << 28, ICSR_NMIPENDSET = 1u << 31 };
enum { DEMCR_TRCENA = 1u << 24, DWT_CTRL_CYCCNTENA = 1u };

#define CM3_CPUID 0x412fc231u   /* ARM, variant 2, Cortex-M3, revision 1: r2p1 */

/* ID_PFR0..ID_ISAR4 of the Cortex-M3 r2p1 (TRM Table 4-1). */
static const uint32_t id_regs[13] = {
    0x00000030u, 0x00000200u, 0x00100000u, 0x00000000u, 0x00100030u, 0x00000000u,
    0x01000000u, 0x00000000u, 0x01141110u, 0x02111000u, 0x21112231u, 0x01111110u,
    0x01310132u,
};

static uint64_t active_cycles(const cm3_cpu *c) { return c->cyc - c->st.sleep_cycles; }

/* ---- SysTick ---- */
uint64_t cm3_systick_next(const cm3_cpu *c)
{
    return (c->syst_csr & SYST_CSR_ENABLE) ? c->syst_zero_at : UINT64_MAX;
}

void cm3_systick_update(cm3_cpu *c)
{
    if (!(c->syst_csr & SYST_CSR_ENABLE) || c->cyc < c->syst_zero_at) return;
    uint64_t period = (uint64_t)c->syst_rvr + 1;
    c->syst_csr |= SYST_CSR_COUNTFLAG;
    if (c->syst_csr & SYST_CSR_TICKINT) cm3_set_pending(c, EXC_SYSTICK, 1);
    if (c->syst_rvr == 0) {   /* a zero reload value holds the counter at 0 */
        c->syst_zero_at = UINT64_MAX;
        return;
    }
    uint64_t late = c->cyc - c->syst_zero_at;
    c->syst_zero_at += period * (late / period + 1);
}

static uint32_t syst_cvr(const cm3_cpu *c)
{
    if (!(c->syst_csr & SYST_CSR_ENABLE)) return c->syst_cvr_stopped;
    if (c->syst_zero_at == UINT64_MAX) return 0;
    uint64_t left = c->syst_zero_at - c->cyc;
    return left > c->syst_rvr ? 0 : (uint32_t)left;
}

/* Start counting from `cvr` now (reload happens on the clock after reaching 0). */
static void syst_start(cm3_cpu *c, uint32_t cvr)
{
    if (cvr == 0 && c->syst_rvr == 0) { c->syst_zero_at = UINT64_MAX; return; }
    c->syst_zero_at = c->cyc + (cvr ? cvr : (uint64_t)c->syst_rvr + 1);
}

static void syst_write_csr(cm3_cpu *c, uint32_t v)
{
    int was = (c->syst_csr & SYST_CSR_ENABLE) != 0;
    uint32_t cur = syst_cvr(c);
    c->syst_csr = (c->syst_csr & SYST_CSR_COUNTFLAG) | (v & 7u);
    if ((v & SYST_CSR_ENABLE) && !was) syst_start(c, cur);
    if (!(v & SYST_CSR_ENABLE)) c->syst_cvr_stopped = cur;
    c->stop_at = 0;   /* the next event time may have changed */
}

/* ---- DWT ---- */
static uint32_t dwt_cyccnt(const cm3_cpu *c)
{
    if (!(c->dwt_ctrl & DWT_CTRL_CYCCNTENA) || !(c->demcr & DEMCR_TRCENA)) return c->cyccnt_base;
    return c->cyccnt_base + (uint32_t)(active_cycles(c) - c->cyccnt_since);
}
static void dwt_rebase(cm3_cpu *c, uint32_t v)
{
    c->cyccnt_base = v;
    c->cyccnt_since = active_cycles(c);
}

/* ---- NVIC helpers ---- */
static uint32_t prio_mask(const cm3_cpu *c) { return (0xffu << (8 - c->cfg.prio_bits)) & 0xff; }

static uint32_t nvic_bits(const cm3_cpu *c, const uint8_t *arr, unsigned word)
{
    uint32_t v = 0;
    for (unsigned i = 0; i < 32; i++) {
        unsigned irq = word * 32 + i;
        if (irq < c->cfg.num_irq && arr[EXC_IRQ0 + irq]) v |= 1u << i;
    }
    return v;
}

static uint32_t icsr_read(const cm3_cpu *c)
{
    uint32_t v = c->ipsr & 0x1ff;
    unsigned nact = 0, best = 0, bestp = 1000;
    for (unsigned n = 2; n < c->num_exc; n++) {
        nact += c->exc_active[n];
        if (c->exc_pending[n] && (n < EXC_IRQ0 || c->exc_enabled[n])) {
            unsigned p = n <= EXC_HARDFAULT ? 0 : c->exc_prio[n] + 4u;
            if (p < bestp) { bestp = p; best = n; }
        }
        if (n >= EXC_IRQ0 && c->exc_pending[n]) v |= 1u << 22;   /* ISRPENDING */
    }
    if (nact <= 1) v |= 1u << 11;   /* RETTOBASE */
    v |= (best & 0x1ff) << 12;
    if (c->exc_pending[EXC_SYSTICK]) v |= ICSR_PENDSTSET;
    if (c->exc_pending[EXC_PENDSV]) v |= ICSR_PENDSVSET;
    if (c->exc_pending[EXC_NMI]) v |= ICSR_NMIPENDSET;
    return v;
}

static uint32_t shcsr_read(const cm3_cpu *c)
{
    uint32_t v = c->shcsr & (SHCSR_MEMFAULTENA | SHCSR_BUSFAULTENA | SHCSR_USGFAULTENA);
    if (c->exc_active[EXC_MEMMANAGE]) v |= SHCSR_MEMFAULTACT;
    if (c->exc_active[EXC_BUSFAULT]) v |= SHCSR_BUSFAULTACT;
    if (c->exc_active[EXC_USAGEFAULT]) v |= SHCSR_USGFAULTACT;
    if (c->exc_active[EXC_SVCALL]) v |= SHCSR_SVCALLACT;
    if (c->exc_active[EXC_DEBUGMON]) v |= SHCSR_MONITORACT;
    if (c->exc_active[EXC_PENDSV]) v |= SHCSR_PENDSVACT;
    if (c->exc_active[EXC_SYSTICK]) v |= SHCSR_SYSTICKACT;
    if (c->exc_pending[EXC_USAGEFAULT]) v |= SHCSR_USGFAULTPENDED;
    if (c->exc_pending[EXC_MEMMANAGE]) v |= SHCSR_MEMFAULTPENDED;
    if (c->exc_pending[EXC_BUSFAULT]) v |= SHCSR_BUSFAULTPENDED;
    if (c->exc_pending[EXC_SVCALL]) v |= SHCSR_SVCALLPENDED;
    return v;
}

static void shcsr_write(cm3_cpu *c, uint32_t v)
{
    c->shcsr = v & (SHCSR_MEMFAULTENA | SHCSR_BUSFAULTENA | SHCSR_USGFAULTENA);
    c->exc_active[EXC_MEMMANAGE] = !!(v & SHCSR_MEMFAULTACT);
    c->exc_active[EXC_BUSFAULT] = !!(v & SHCSR_BUSFAULTACT);
    c->exc_active[EXC_USAGEFAULT] = !!(v & SHCSR_USGFAULTACT);
    c->exc_active[EXC_SVCALL] = !!(v & SHCSR_SVCALLACT);
    c->exc_active[EXC_DEBUGMON] = !!(v & SHCSR_MONITORACT);
    c->exc_active[EXC_PENDSV] = !!(v & SHCSR_PENDSVACT);
    c->exc_active[EXC_SYSTICK] = !!(v & SHCSR_SYSTICKACT);
    c->exc_pending[EXC_USAGEFAULT] = !!(v & SHCSR_USGFAULTPENDED);
    c->exc_pending[EXC_MEMMANAGE] = !!(v & SHCSR_MEMFAULTPENDED);
    c->exc_pending[EXC_BUSFAULT] = !!(v & SHCSR_BUSFAULTPENDED);
    c->exc_pending[EXC_SVCALL] = !!(v & SHCSR_SVCALLPENDED);
    cm3_exc_changed(c);
}

/* Byte-granular priority registers: IPR (IRQs) and SHPR1-3 (exceptions 4..15). */
static int prio_byte_exc(const cm3_cpu *c, uint32_t a)
{
    if (a >= A_NVIC_IPR && a < A_NVIC_IPR + c->cfg.num_irq) return (int)(EXC_IRQ0 + (a - A_NVIC_IPR));
    if (a >= A_SHPR1 && a < A_SHPR3 + 4) {
        int n = (int)(a - A_SHPR1) + 4;
        return (n == 4 || n == 5 || n == 6 || n == 11 || n == 12 || n == 14 || n == 15) ? n : -1;
    }
    return 0;   /* not a priority register */
}
static int is_prio_reg(uint32_t a)
{
    return (a >= A_NVIC_IPR && a < A_NVIC_IPR + 0xf0) || (a >= A_SHPR1 && a < A_SHPR3 + 4);
}

static uint32_t reg_read(cm3_cpu *c, uint32_t a)
{
    if (a >= A_ITM_STIM0 && a <= A_ITM_STIM31) return 1;   /* FIFO ready */
    if (a >= A_NVIC_ISER && a < A_NVIC_ISER + 0x40) return nvic_bits(c, c->exc_enabled, (a - A_NVIC_ISER) / 4);
    if (a >= A_NVIC_ICER && a < A_NVIC_ICER + 0x40) return nvic_bits(c, c->exc_enabled, (a - A_NVIC_ICER) / 4);
    if (a >= A_NVIC_ISPR && a < A_NVIC_ISPR + 0x40) return nvic_bits(c, c->exc_pending, (a - A_NVIC_ISPR) / 4);
    if (a >= A_NVIC_ICPR && a < A_NVIC_ICPR + 0x40) return nvic_bits(c, c->exc_pending, (a - A_NVIC_ICPR) / 4);
    if (a >= A_NVIC_IABR && a < A_NVIC_IABR + 0x40) return nvic_bits(c, c->exc_active, (a - A_NVIC_IABR) / 4);
    if (a >= A_ID_PFR0 && a <= A_ID_ISAR4) return id_regs[(a - A_ID_PFR0) / 4];
    switch (a) {
    case A_ITM_TER: return c->itm_ter;
    case A_ITM_TPR: return c->itm_tpr;
    case A_ITM_TCR: return c->itm_tcr;
    case A_DWT_CTRL: return c->dwt_ctrl | 0x40000000u;   /* NUMCOMP=4 */
    case A_DWT_CYCCNT: return dwt_cyccnt(c);
    case A_ICTR: return (c->cfg.num_irq + 31) / 32 - 1;
    case A_ACTLR: return c->actlr;
    case A_SYST_CSR: {
        uint32_t v = c->syst_csr & (SYST_CSR_COUNTFLAG | 7u);
        c->syst_csr &= ~SYST_CSR_COUNTFLAG;   /* COUNTFLAG clears on read */
        return v;
    }
    case A_SYST_RVR: return c->syst_rvr;
    case A_SYST_CVR: return syst_cvr(c);
    case A_SYST_CALIB: return 0xc0000000u;   /* NOREF, SKEW, TENMS unknown */
    case A_CPUID: return CM3_CPUID;
    case A_ICSR: return icsr_read(c);
    case A_VTOR: return c->vtor;
    case A_AIRCR: return 0xfa050000u | (c->aircr_prigroup << 8);
    case A_SCR: return c->scr;
    case A_CCR: return c->ccr;
    case A_SHCSR: return shcsr_read(c);
    case A_CFSR: return c->cfsr;
    case A_HFSR: return c->hfsr;
    case A_DFSR: return 0;
    case A_MMFAR: return c->mmfar;
    case A_BFAR: return c->bfar;
    case A_AFSR: return 0;
    case A_CPACR: return 0;
    case A_MPU_TYPE: return 0;
    case A_DHCSR: return 0;
    case A_DEMCR: return c->demcr;
    default:
        cm3_log_guest_error(c, "PPB read of unimplemented 0x%08x (reads 0)", a);
        return 0;
    }
}

static void nvic_write_bits(cm3_cpu *c, uint8_t *arr, unsigned word, uint32_t v, int set,
                            int pend)
{
    for (unsigned i = 0; i < 32; i++) {
        unsigned irq = word * 32 + i;
        if (!(v & (1u << i)) || irq >= c->cfg.num_irq) continue;
        if (pend) {
            /* Clearing a level interrupt that is still asserted leaves it pending. */
            cm3_set_pending(c, (int)(EXC_IRQ0 + irq), set || c->irq_level[irq]);
        } else {
            arr[EXC_IRQ0 + irq] = (uint8_t)set;
        }
    }
    cm3_exc_changed(c);
}

static void reg_write(cm3_cpu *c, uint32_t a, uint32_t v)
{
    if (a >= A_ITM_STIM0 && a <= A_ITM_STIM31) return;   /* handled by the caller */
    if (a >= A_NVIC_ISER && a < A_NVIC_ISER + 0x40) { nvic_write_bits(c, c->exc_enabled, (a - A_NVIC_ISER) / 4, v, 1, 0); return; }
    if (a >= A_NVIC_ICER && a < A_NVIC_ICER + 0x40) { nvic_write_bits(c, c->exc_enabled, (a - A_NVIC_ICER) / 4, v, 0, 0); return; }
    if (a >= A_NVIC_ISPR && a < A_NVIC_ISPR + 0x40) { nvic_write_bits(c, c->exc_pending, (a - A_NVIC_ISPR) / 4, v, 1, 1); return; }
    if (a >= A_NVIC_ICPR && a < A_NVIC_ICPR + 0x40) { nvic_write_bits(c, c->exc_pending, (a - A_NVIC_ICPR) / 4, v, 0, 1); return; }
    switch (a) {
    case A_ITM_TER: c->itm_ter = v; return;
    case A_ITM_TPR: c->itm_tpr = v & 0xf; return;
    case A_ITM_TCR: c->itm_tcr = v & 0x00ff3f1fu; return;
    case A_ITM_LAR: return;
    case A_DWT_CTRL: {
        uint32_t cur = dwt_cyccnt(c);
        c->dwt_ctrl = v & 0x1fffffffu;
        dwt_rebase(c, cur);
        return;
    }
    case A_DWT_CYCCNT: dwt_rebase(c, v); return;
    case A_ACTLR: c->actlr = v & 7u; return;
    case A_SYST_CSR: syst_write_csr(c, v); return;
    case A_SYST_RVR:
        c->syst_rvr = v & 0x00ffffffu;
        if ((c->syst_csr & SYST_CSR_ENABLE) && c->syst_zero_at == UINT64_MAX) syst_start(c, 0);
        c->stop_at = 0;
        return;
    case A_SYST_CVR:
        c->syst_csr &= ~SYST_CSR_COUNTFLAG;
        c->syst_cvr_stopped = 0;
        if (c->syst_csr & SYST_CSR_ENABLE) syst_start(c, 0);
        c->stop_at = 0;
        return;
    case A_ICSR:
        if (v & ICSR_NMIPENDSET) cm3_set_pending(c, EXC_NMI, 1);
        if (v & ICSR_PENDSVSET) cm3_set_pending(c, EXC_PENDSV, 1);
        else if (v & ICSR_PENDSVCLR) cm3_set_pending(c, EXC_PENDSV, 0);
        if (v & ICSR_PENDSTSET) cm3_set_pending(c, EXC_SYSTICK, 1);
        else if (v & ICSR_PENDSTCLR) cm3_set_pending(c, EXC_SYSTICK, 0);
        return;
    case A_VTOR: c->vtor = v & 0x3fffff80u; return;
    case A_AIRCR:
        if ((v >> 16) != 0x05fa) { cm3_log_guest_error(c, "AIRCR write without VECTKEY ignored"); return; }
        c->aircr_prigroup = (v >> 8) & 7;
        if (v & 4) {   /* SYSRESETREQ: the core resets (memory is kept) */
            c->reset_req = 1;
            c->stop_at = 0;
        }
        if (v & 2) {   /* VECTCLRACTIVE (debug use) */
            memset(c->exc_active, 0, sizeof c->exc_active);
            c->ipsr = 0;
        }
        cm3_exc_changed(c);
        return;
    case A_SCR: c->scr = v & 0x16u; return;
    case A_CCR: c->ccr = v & 0x31bu; return;
    case A_SHCSR: shcsr_write(c, v); return;
    case A_CFSR: c->cfsr &= ~v; return;
    case A_HFSR: c->hfsr &= ~v; return;
    case A_DFSR: case A_AFSR: case A_CPACR: return;
    case A_MMFAR: c->mmfar = v; return;
    case A_BFAR: c->bfar = v; return;
    case A_DEMCR: {
        uint32_t cur = dwt_cyccnt(c);
        c->demcr = v & 0x010f07f1u;
        dwt_rebase(c, cur);
        return;
    }
    case A_STIR:
        if ((v & 0x1ff) < c->cfg.num_irq) cm3_set_pending(c, (int)(EXC_IRQ0 + (v & 0x1ff)), 1);
        return;
    case A_CPUID:
    case A_ICTR:
    case A_SYST_CALIB:
        cm3_log_guest_error(c, "PPB write to read-only 0x%08x ignored", a);
        return;
    default:
        cm3_log_guest_error(c, "PPB write of unimplemented 0x%08x ignored", a);
        return;
    }
}

int cm3_ppb_read(cm3_cpu *c, uint32_t a, unsigned len, uint32_t *v, int priv)
{
    int scs = a >= 0xe000e000u && a < 0xe000f000u;
    if (!priv && (scs || (a >= A_DWT_CTRL && a < 0xe0002000u))) return 1;
    if (is_prio_reg(a)) {
        uint32_t r = 0;
        for (unsigned i = 0; i < len; i++) {
            int n = prio_byte_exc(c, a + i);
            if (n > 0) r |= (uint32_t)c->exc_prio[n] << (8 * i);
        }
        *v = r;
        return 0;
    }
    uint32_t w = reg_read(c, a & ~3u);
    *v = len == 4 ? w : (w >> (8 * (a & 3))) & (len == 2 ? 0xffffu : 0xffu);
    return 0;
}

int cm3_ppb_write(cm3_cpu *c, uint32_t a, unsigned len, uint32_t v, int priv)
{
    int scs = a >= 0xe000e000u && a < 0xe000f000u;
    if (a >= A_ITM_STIM0 && a <= A_ITM_STIM31 + 3) {
        unsigned port = (a - A_ITM_STIM0) / 4;
        if ((c->itm_tcr & 1) && (c->itm_ter & (1u << port)) && c->bus.itm_write)
            c->bus.itm_write(c->bus.ctx, port, v, len);
        return 0;
    }
    if (!priv && scs && !(a == A_STIR && (c->ccr & CCR_USERSETMPEND))) return 1;
    if (!priv && a >= A_DWT_CTRL && a < 0xe0002000u) return 1;
    if (is_prio_reg(a)) {
        for (unsigned i = 0; i < len; i++) {
            int n = prio_byte_exc(c, a + i);
            if (n > 0) c->exc_prio[n] = (uint8_t)((v >> (8 * i)) & prio_mask(c));
        }
        cm3_exc_changed(c);
        return 0;
    }
    if (len != 4) {
        if ((a & ~3u) == A_CFSR) { c->cfsr &= ~(v << (8 * (a & 3))); return 0; }
        cm3_log_guest_error(c, "PPB %u-byte write to 0x%08x ignored (word only)", len, a);
        return 0;
    }
    reg_write(c, a, v);
    return 0;
}

void cm3_scs_reset(cm3_cpu *c)
{
    c->vtor = c->cfg.vtor_reset & 0x3fffff80u;
    c->aircr_prigroup = 0;
    c->scr = 0;
    c->ccr = CCR_STKALIGN;   /* r2p1 resets STKALIGN to 1 */
    c->shcsr = 0;
    c->cfsr = c->hfsr = c->mmfar = c->bfar = 0;
    c->actlr = 0;
    c->syst_csr = 0;
    c->syst_rvr = 0;
    c->syst_cvr_stopped = 0;
    c->syst_zero_at = UINT64_MAX;
    c->demcr = 0;
    c->dwt_ctrl = 0;
    c->itm_tcr = c->itm_ter = c->itm_tpr = 0;
    c->cyccnt_base = 0;
    c->cyccnt_since = active_cycles(c);
    c->reset_req = 0;
}
