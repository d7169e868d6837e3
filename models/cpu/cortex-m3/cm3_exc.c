/*
 * Cortex-M3 exception model (ARMv7-M ARM B1.5): priorities with grouping, preemption,
 * stacking (PushStack/ExceptionTaken), EXC_RETURN (ExceptionReturn/PopStack),
 * tail-chaining, fault escalation to HardFault and lock-up.
 * Not modelled: late-arrival redirection during the 12 entry cycles (exceptions are
 * taken at instruction boundaries), LDM/STM continuation (ICI: they restart).
 */
#include "cm3_exec.h"
#include <stdio.h>

static int fixed_prio(int n)
{
    return n == EXC_RESET ? -3 : n == EXC_NMI ? -2 : -1;
}

/* Group priority of a raw 8-bit priority under AIRCR.PRIGROUP. */
static int group(const cm3_cpu *c, unsigned prio)
{
    unsigned sub = c->aircr_prigroup + 1;   /* subpriority bits [PRIGROUP:0] */
    return (int)(prio & (0xffu << sub) & 0xffu);
}

static int exc_group_prio(const cm3_cpu *c, int n)
{
    return n <= EXC_HARDFAULT ? fixed_prio(n) : group(c, c->exc_prio[n]);
}

int cm3_exec_priority(const cm3_cpu *c)
{
    int high = 256, boosted = 256;
    for (unsigned n = 2; n < c->num_exc; n++)
        if (c->exc_active[n]) {
            int p = exc_group_prio(c, (int)n);
            if (p < high) high = p;
        }
    if (c->basepri) boosted = group(c, c->basepri);
    if (c->primask) boosted = 0;
    if (c->faultmask) boosted = -1;
    return boosted < high ? boosted : high;
}

static int pend_enabled(const cm3_cpu *c, unsigned n)
{
    return n < EXC_IRQ0 ? 1 : c->exc_enabled[n];
}

/* Highest-priority pending and enabled exception (0 if none); *gp its group priority. */
static int best_pending(const cm3_cpu *c, int *gp)
{
    int best = 0, bestp = 1000;
    for (unsigned n = 2; n < c->num_exc; n++) {
        if (!c->exc_pending[n] || !pend_enabled(c, n)) continue;
        int p = n <= EXC_HARDFAULT ? fixed_prio((int)n) : (int)c->exc_prio[n];
        if (p < bestp) { bestp = p; best = (int)n; }
    }
    if (best) *gp = exc_group_prio(c, best);
    return best;
}

int cm3_pending_wakes(const cm3_cpu *c, int ignore_primask)
{
    int gp, n = best_pending(c, &gp);
    if (!n) return 0;
    int ep;
    if (ignore_primask) {
        cm3_cpu tmp = *c;   /* cheap enough: only used while sleeping */
        tmp.primask = 0;
        ep = cm3_exec_priority(&tmp);
    } else {
        ep = cm3_exec_priority(c);
    }
    return gp < ep;
}

void cm3_exc_changed(cm3_cpu *c)
{
    c->need_exc_check = 1;
    c->stop_at = 0;
}

void cm3_set_pending(cm3_cpu *c, int exc, int on)
{
    if (exc <= 0 || (unsigned)exc >= c->num_exc) return;
    if (on && !c->exc_pending[exc] && (c->scr & (1u << 4)))
        c->event = 1;   /* SEVONPEND */
    c->exc_pending[exc] = (uint8_t)(on ? 1 : 0);
    cm3_exc_changed(c);
}

static void lockup(cm3_cpu *c, const char *why)
{
    c->locked_up = 1;
    snprintf(c->err, sizeof c->err, "lockup: %s at PC=0x%08x (IPSR=%u)", why, c->pc, c->ipsr);
    c->stop_at = 0;
    if (c->bus.fault)
        c->bus.fault(c->bus.ctx, 0);
}

/* Switch mode and/or CONTROL.SPSEL, keeping the banked stack pointers. */
static void switch_sp(cm3_cpu *c, int handler, uint32_t control)
{
    int old_psp = !c->handler_mode && (c->control & 2);
    int new_psp = !handler && (control & 2);
    if (old_psp) c->psp = c->r[13]; else c->msp = c->r[13];
    c->handler_mode = handler;
    c->control = control;
    c->r[13] = new_psp ? c->psp : c->msp;
}

static uint32_t xpsr_value(const cm3_cpu *c)
{
    uint32_t it = c->itstate;
    return cm3_apsr(c) | c->ipsr | (c->tbit << 24) | ((it & 3) << 25) | ((it & 0xfc) << 8);
}

/* ExceptionTaken(): vector fetch, mode change. */
static void exc_taken(cm3_cpu *c, int n)
{
    uint32_t vec;
    c->st.exceptions++;
    if (cm3_read(c, c->vtor + 4u * (uint32_t)n, 4, &vec)) {
        if (n == EXC_HARDFAULT || n == EXC_NMI) { lockup(c, "vector table read error"); return; }
        c->hfsr |= HFSR_VECTTBL;
        c->exc_pending[n] = 0;
        exc_taken(c, EXC_HARDFAULT);
        return;
    }
    switch_sp(c, 1, c->control & ~2u);
    c->ipsr = (uint32_t)n;
    c->itstate = 0;
    c->tbit = vec & 1;
    c->pc = c->npc = vec & ~1u;
    c->exc_active[n] = 1;
    c->exc_pending[n] = 0;
    c->exclusive = 0;
    c->event = 1;
    c->sleeping = 0;
    c->exc_taken = 1;
    c->branched = 1;
    c->prevkw = K_OTHER | (0xffu << 8);
    if (!c->tbit) c->stop_at = 0;   /* INVSTATE on the first handler instruction */
    c->stop_at = 0;                 /* re-evaluate pending exceptions at the boundary */
    if (c->exc_fn) c->exc_fn(c->exc_ctx, (unsigned)n, c->cyc);
    if (n >= EXC_HARDFAULT && n <= EXC_USAGEFAULT && c->bus.fault)
        c->bus.fault(c->bus.ctx, n);
}

/* PushStack() + ExceptionTaken(). */
static void exc_entry(cm3_cpu *c, int n, uint32_t ret)
{
    uint32_t sp = c->r[13];
    uint32_t align = (c->ccr & CCR_STKALIGN) ? (sp & 4) : 0;
    uint32_t frame = (sp - 0x20) & ~(align ? 4u : 0u);
    uint32_t xpsr = xpsr_value(c) | (align ? 1u << 9 : 0);
    uint32_t vals[8] = { c->r[0], c->r[1], c->r[2], c->r[3], c->r[12], c->r[14], ret, xpsr };
    int err = 0;
    c->r[13] = frame;
    for (int i = 0; i < 8; i++)
        if (cm3_write(c, frame + 4u * (uint32_t)i, 4, vals[i])) err = 1;
    c->r[14] = c->handler_mode ? 0xfffffff1u : (c->control & 2) ? 0xfffffffdu : 0xfffffff9u;
    c->cyc += CY(CYC_EXC_ENTRY);
    exc_taken(c, n);
    if (err) {
        /* Derived BusFault on stacking: pended, taken as a late arrival / tail-chain. */
        c->cfsr |= CFSR_STKERR;
        if (c->shcsr & SHCSR_BUSFAULTENA) c->exc_pending[EXC_BUSFAULT] = 1;
        else { c->hfsr |= HFSR_FORCED; c->exc_pending[EXC_HARDFAULT] = 1; }
        cm3_exc_changed(c);
    }
}

int cm3_take_pending(cm3_cpu *c)
{
    int gp, n = best_pending(c, &gp);
    if (!n || gp >= cm3_exec_priority(c)) return 0;
    exc_entry(c, n, c->pc);
    return 1;
}

/* A synchronous exception of the current instruction, returning to `ret`. */
static void take_sync(cm3_cpu *c, int exc, uint32_t ret)
{
    int ep = cm3_exec_priority(c);
    int enabled = 1;
    if (exc == EXC_MEMMANAGE) enabled = !!(c->shcsr & SHCSR_MEMFAULTENA);
    if (exc == EXC_BUSFAULT) enabled = !!(c->shcsr & SHCSR_BUSFAULTENA);
    if (exc == EXC_USAGEFAULT) enabled = !!(c->shcsr & SHCSR_USGFAULTENA);
    if (exc == EXC_DEBUGMON) enabled = 0;
    if (exc != EXC_HARDFAULT && (!enabled || exc_group_prio(c, exc) >= ep)) {
        c->hfsr |= exc == EXC_DEBUGMON ? HFSR_DEBUGEVT : HFSR_FORCED;
        exc = EXC_HARDFAULT;
    }
    if (fixed_prio(EXC_HARDFAULT) >= ep && exc == EXC_HARDFAULT) {
        lockup(c, "fault with HardFault unavailable");
        return;
    }
    c->exc_pending[exc] = 1;
    /* The fault is the highest priority candidate unless something even higher is
     * pending: take whichever is highest. */
    int gp, n = best_pending(c, &gp);
    exc_entry(c, n ? n : exc, ret);
}

void cm3_fault(cm3_cpu *c, int exc, uint32_t cfsr_bits)
{
    c->cfsr |= cfsr_bits;
    take_sync(c, exc, c->pc);
}

void cm3_bus_fault_data(cm3_cpu *c, uint32_t addr)
{
    c->bfar = addr;
    cm3_fault(c, EXC_BUSFAULT, CFSR_PRECISERR | CFSR_BFARVALID);
}

void cm3_svc(cm3_cpu *c)
{
    c->itstate = it_advance(c->itstate);
    take_sync(c, EXC_SVCALL, c->npc);
}

void cm3_bkpt(cm3_cpu *c, unsigned imm)
{
    if (imm == 0xab && c->semihost && cm3_semihost_call(c))
        return;
    if (c->debugger) {
        c->stop_reason = CM3_STOP_BKPT;
        c->stop_req = 1;
        c->npc = c->pc;   /* stay on the BKPT */
        c->stop_at = 0;
        return;
    }
    /* No debugger: the debug event escalates to HardFault (DEBUGEVT). */
    take_sync(c, EXC_DEBUGMON, c->pc);
}

static void deactivate(cm3_cpu *c, int n)
{
    c->exc_active[n] = 0;
    if (n != EXC_NMI) c->faultmask = 0;
    /* A level-sensitive interrupt still asserted becomes pending again. */
    if (n >= EXC_IRQ0 && c->irq_level[n - EXC_IRQ0]) c->exc_pending[n] = 1;
}

static void invpc(cm3_cpu *c, uint32_t excret)
{
    c->cfsr |= CFSR_INVPC;
    c->r[14] = excret;
    int ep = cm3_exec_priority(c);
    int exc = EXC_USAGEFAULT;
    if (!(c->shcsr & SHCSR_USGFAULTENA) || exc_group_prio(c, exc) >= ep) {
        c->hfsr |= HFSR_FORCED;
        exc = EXC_HARDFAULT;
        if (-1 >= ep) { lockup(c, "invalid EXC_RETURN"); return; }
    }
    exc_taken(c, exc);
}

void cm3_exc_return(cm3_cpu *c, uint32_t excret)
{
    int ret_exc = (int)c->ipsr, nested = 0;
    for (unsigned n = 1; n < c->num_exc; n++) nested += c->exc_active[n];
    c->exc_taken = 1;
    if (ret_exc <= 0 || (unsigned)ret_exc >= c->num_exc || !c->exc_active[ret_exc]) {
        invpc(c, excret);
        return;
    }
    int to_handler = 0, use_psp = 0;
    switch (excret & 0x0fffffffu) {
    case 0x0ffffff1u: if (nested == 1) { invpc(c, excret); return; } to_handler = 1; break;
    case 0x0ffffff9u: if (nested != 1 && !(c->ccr & CCR_NONBASETHRDENA)) { invpc(c, excret); return; } break;
    case 0x0ffffffdu: if (nested != 1 && !(c->ccr & CCR_NONBASETHRDENA)) { invpc(c, excret); return; } use_psp = 1; break;
    default: invpc(c, excret); return;
    }
    deactivate(c, ret_exc);
    c->exclusive = 0;
    c->event = 1;
    c->prevkw = K_OTHER | (0xffu << 8);
    cm3_exc_changed(c);
    /* Tail-chaining: a pending exception that would preempt the context being
     * returned to is taken without unstacking; LR keeps this EXC_RETURN. */
    int gp, n = best_pending(c, &gp);
    if (n && gp < cm3_exec_priority(c)) {
        c->cyc += CY(CYC_TAIL_CHAIN);
        c->st.tail_chains++;
        c->r[14] = excret;
        exc_taken(c, n);
        return;
    }
    if (!to_handler && (c->scr & 2u)) {
        /* SLEEPONEXIT: modelled as a normal return followed by WFI. */
        c->sleeping = 1;
    }
    switch_sp(c, to_handler, use_psp ? (c->control | 2u) : (c->control & ~2u));
    uint32_t frame = c->r[13], v[8];
    int err = 0;
    for (int i = 0; i < 8; i++)
        if (cm3_read(c, frame + 4u * (uint32_t)i, 4, &v[i])) { err = 1; v[i] = 0; }
    c->cyc += CY(CYC_EXC_RETURN);
    if (err) {
        c->cfsr |= CFSR_UNSTKERR;
        if (c->shcsr & SHCSR_BUSFAULTENA) c->exc_pending[EXC_BUSFAULT] = 1;
        else { c->hfsr |= HFSR_FORCED; c->exc_pending[EXC_HARDFAULT] = 1; }
    }
    c->r[0] = v[0]; c->r[1] = v[1]; c->r[2] = v[2]; c->r[3] = v[3];
    c->r[12] = v[4]; c->r[14] = v[5];
    uint32_t psr = v[7];
    c->r[13] = frame + 0x20 + (((psr >> 9) & 1) && (c->ccr & CCR_STKALIGN) ? 4u : 0u);
    cm3_set_apsr(c, psr);
    c->ipsr = psr & 0x1ff;
    c->tbit = (psr >> 24) & 1;
    c->itstate = ((psr >> 25) & 3) | ((psr >> 8) & 0xfc);
    c->npc = v[6] & ~1u;
    c->branched = 1;
    if (!c->tbit) c->stop_at = 0;
    if (to_handler != (c->ipsr != 0))
        cm3_log_guest_error(c, "exception return: IPSR %u in stacked xPSR does not match "
                            "EXC_RETURN 0x%08x", c->ipsr, excret);
}

void cm3_exc_reset(cm3_cpu *c)
{
    memset(c->exc_prio, 0, sizeof c->exc_prio);
    memset(c->exc_pending, 0, sizeof c->exc_pending);
    memset(c->exc_active, 0, sizeof c->exc_active);
    memset(c->exc_enabled, 0, sizeof c->exc_enabled);
    c->need_exc_check = 1;
}
