/* Memory instructions: LDREX/STREX/CLREX (B/H/W; success, failure after CLREX, after
 * another STREX, after exception entry and after exception return, unaligned -> fault),
 * TBB/TBH (t_mem_asm.S), SRAM bit-band alias, LDRD/STRD and LDM/STM with write-back,
 * unaligned LDR/STR/LDRH/STRH (CCR.UNALIGN_TRP = 0 and 1), LDRSB/LDRSH, PLD/PLI hints.
 *
 * What both QEMU and rpvp-cm3 implement and the ARMv7-M ARM requires:
 *  - the local monitor is cleared on exception entry and on exception return
 *    (ExceptionTaken()/ExceptionReturn() call ClearExclusiveLocal(), B1.5.6/B1.5.8);
 *  - LDREX* are always alignment-checked (A3.2.1), whatever CCR.UNALIGN_TRP (STREX* too
 *    in the ARM, but not in QEMU 7.2: see test_exclusive());
 *  - a STREX to another address than the LDREX's fails on both simulators; the ARM
 *    leaves address checking by the local monitor IMPLEMENTATION DEFINED (A3.4.2), so
 *    real silicon may differ: this checks the two models agree, nothing more.
 * Not covered: the peripheral bit-band alias (0x42000000): rpvp-cm3's plain memory map has
 * nothing at 0x40000000, QEMU's mps2-an385 has its UARTs/timers there. */
#include "sh.h"

int tbb_pc(unsigned i);
int tbb_reg(unsigned i);
int tbh_pc(unsigned i);
int tbb_it(unsigned i, int cond);

/* ---- fault handler: prints CFSR, checks the stacked PC, skips the instruction ---- */
static volatile uint32_t expect_pc, nfaults;
FRAME_HANDLER(fault_entry, fault_c)
void HardFault_Handler(void) __attribute__((alias("fault_entry")));
void UsageFault_Handler(void) __attribute__((alias("fault_entry")));
void BusFault_Handler(void) __attribute__((alias("fault_entry")));

void fault_c(uint32_t *frame, uint32_t excret)
{
    uint32_t cfsr = SCB_CFSR, pc = frame[6];
    (void)excret;
    nfaults++;
    sh_printf("  fault exc %u cfsr %08x pc %s\n", get_ipsr(), cfsr,
              pc == expect_pc ? "ok" : "WRONG");
    SCB_CFSR = cfsr;
    uint16_t hw = *(const uint16_t *)pc;
    frame[6] = pc + (((hw & 0xe000) == 0xe000 && (hw & 0x1800)) ? 4 : 2);
}
#define AT(label) __asm volatile("ldr %0, =" label : "=r"(expect_pc))

/* ---- exclusives ---- */
static struct { uint32_t w; uint16_t h; uint8_t b, pad; uint32_t w2; } ex __attribute__((aligned(8)));

static uint32_t strex_w(volatile uint32_t *p, uint32_t v)
{
    uint32_t st;
    __asm volatile("strex %0, %2, [%1]" : "=&r"(st) : "r"(p), "r"(v) : "memory");
    return st;
}
static uint32_t ldrex_w(volatile uint32_t *p)
{
    uint32_t v;
    __asm volatile("ldrex %0, [%1]" : "=r"(v) : "r"(p) : "memory");
    return v;
}

/* SVC: 0 = nothing (entry and return clear the monitor), 1 = STREX inside the handler to
 * the address the thread opened, 2 = LDREX inside the handler left open at return. */
static volatile uint32_t svc_st, svc_val, svc_mode;
void SVC_Handler(void)
{
    if (svc_mode == 1) svc_st = strex_w(&ex.w, 0x5151);
    if (svc_mode == 2) svc_val = ldrex_w(&ex.w);
}

static void test_exclusive(void)
{
    uint32_t v, st, st2;
    ex.w = 0x11111111; ex.h = 0x2222; ex.b = 0x33; ex.w2 = 0x44444444;

    /* word: success, then a second STREX without LDREX fails */
    v = ldrex_w(&ex.w);
    st = strex_w(&ex.w, 0xaaaa0001);
    st2 = strex_w(&ex.w, 0xbbbb0002);
    sh_printf("ldrex %08x strex %u again %u -> %08x\n", v, st, st2, ex.w);

    /* halfword and byte */
    __asm volatile("ldrexh %0, [%2]\n strexh %1, %3, [%2]" : "=&r"(v), "=&r"(st)
                   : "r"(&ex.h), "r"(0xfedcba98u) : "memory");
    sh_printf("ldrexh %08x strexh %u -> %04x\n", v, st, ex.h);
    __asm volatile("ldrexb %0, [%2]\n strexb %1, %3, [%2]" : "=&r"(v), "=&r"(st)
                   : "r"(&ex.b), "r"(0x123456c7u) : "memory");
    sh_printf("ldrexb %08x strexb %u -> %02x\n", v, st, ex.b);
    __asm volatile("ldrexh %0, [%2]\n clrex\n strexh %1, %3, [%2]" : "=&r"(v), "=&r"(st)
                   : "r"(&ex.h), "r"(0x1111u) : "memory");
    sh_printf("ldrexh; clrex; strexh %u -> %04x\n", st, ex.h);

    /* LDREX with an immediate offset */
    __asm volatile("ldrex %0, [%2, #8]\n strex %1, %3, [%2, #8]" : "=&r"(v), "=&r"(st)
                   : "r"(&ex), "r"(0x0badf00du) : "memory");
    sh_printf("ldrex #8 %08x strex %u -> %08x\n", v, st, ex.w2);

    /* CLREX between: fails and memory is untouched */
    __asm volatile("ldrex %0, [%2]\n clrex\n strex %1, %3, [%2]" : "=&r"(v), "=&r"(st)
                   : "r"(&ex.w), "r"(0xdeadu) : "memory");
    sh_printf("ldrex; clrex; strex %u -> %08x\n", st, ex.w);

    /* STREX to another address (IMPLEMENTATION DEFINED; both models check it) */
    __asm volatile("ldrex %0, [%2]\n strex %1, %3, [%2, #8]" : "=&r"(v), "=&r"(st)
                   : "r"(&ex), "r"(0xdeadu) : "memory");
    sh_printf("strex other address %u -> %08x; then clrex\n", st, ex.w2);
    __asm volatile("clrex" ::: "memory");

    /* exception entry/return between LDREX and STREX */
    svc_mode = 0;
    __asm volatile("ldrex %0, [%2]\n svc 0\n strex %1, %3, [%2]" : "=&r"(v), "=&r"(st)
                   : "r"(&ex.w), "r"(0x77u) : "memory", "r0", "r1", "r2", "r3", "r12", "lr");
    sh_printf("ldrex; svc; strex %u -> %08x\n", st, ex.w);
    svc_mode = 1;   /* the handler's STREX: entry cleared the thread's monitor */
    v = ldrex_w(&ex.w);
    __asm volatile("svc 0" ::: "memory", "r0", "r1", "r2", "r3", "r12", "lr");
    sh_printf("ldrex; svc{strex} %u -> %08x\n", svc_st, ex.w);
    __asm volatile("clrex" ::: "memory");
    svc_mode = 2;   /* the handler's LDREX: return clears it */
    __asm volatile("svc 0" ::: "memory", "r0", "r1", "r2", "r3", "r12", "lr");
    st = strex_w(&ex.w, 0x99);
    sh_printf("svc{ldrex %08x}; strex %u -> %08x\n", svc_val, st, ex.w);
    /* PendSV taken between (an asynchronous entry) */
    SCB_SHPR(14) = 0x00;
    __asm volatile("ldrex %0, [%2]\n str %4, [%5]\n dsb\n isb\n strex %1, %3, [%2]"
                   : "=&r"(v), "=&r"(st)
                   : "r"(&ex.w), "r"(0x88u), "r"(1u << 28), "r"(&SCB_ICSR) : "memory");
    sh_printf("ldrex; pendsv; strex %u -> %08x\n", st, ex.w);

    /* alignment: exclusives always fault, even with UNALIGN_TRP = 0 */
    sh_printf("ldrex unaligned word\n");
    AT("1f");
    __asm volatile("1: ldrex %0, [%1]" : "=r"(v) : "r"((uint32_t)&ex.w + 2) : "memory");
    sh_printf("ldrexh odd\n");
    AT("1f");
    __asm volatile("1: ldrexh %0, [%1]" : "=r"(v) : "r"((uint32_t)&ex.h + 1) : "memory");
    /* STREX/STREXH to an unaligned address: not checked here. ARMv7-M ARM A3.2.1 lists
     * non-aligned STREX/STREXH among the accesses that always generate an alignment
     * fault (ExclusiveMonitorsPass() checks alignment before the monitor), and rpvp-cm3
     * faults; QEMU 7.2 compares the address with the monitor's first and, on a mismatch,
     * fails the STREX (status 1) without any fault: a QEMU deviation. */
    sh_printf("exclusive done: w %08x h %04x b %02x faults %u\n", ex.w, ex.h, ex.b, nfaults);
}

void PendSV_Handler(void) { }

/* ---- table branches ---- */
static void test_tb(void)
{
    sh_printf("tbb pc:");
    for (unsigned i = 0; i < 6; i++) sh_printf(" %d", tbb_pc(i));
    sh_printf("\ntbb reg:");
    for (unsigned i = 0; i < 3; i++) sh_printf(" %d", tbb_reg(i));
    sh_printf("\ntbh pc:");
    for (unsigned i = 0; i < 4; i++) sh_printf(" %d", tbh_pc(3 - i));
    sh_printf("\ntbb in it: %d %d %d %d\n", tbb_it(0, 1), tbb_it(1, 1), tbb_it(0, 0), tbb_it(1, 0));
}

/* ---- bit-band (SRAM: 0x20000000-0x200fffff aliased at 0x22000000) ---- */
static uint32_t bb_word __attribute__((aligned(4)));
#define BB(addr, bit) (*(volatile uint32_t *)(0x22000000u + (((uint32_t)(addr) - 0x20000000u) << 5) + ((bit) << 2)))
static void test_bitband(void)
{
    if ((uint32_t)&bb_word >= 0x20100000u) { sh_printf("bit-band word outside 1 MiB\n"); return; }
    bb_word = 0x80000001u;
    BB(&bb_word, 4) = 1;
    BB(&bb_word, 31) = 0;
    BB(&bb_word, 17) = 0xfffffffeu;   /* only bit 0 of the value counts: clears */
    BB(&bb_word, 18) = 3;
    sh_printf("bitband word %08x\n", bb_word);
    sh_printf("bitband reads:");
    for (unsigned b = 0; b < 32; b += 3) sh_printf(" %u", BB(&bb_word, b));
    sh_printf(" %u %u\n", BB(&bb_word, 4), BB(&bb_word, 18));
    /* byte 2 of the word through its own alias */
    BB((uint32_t)&bb_word + 2, 7) = 1;
    sh_printf("bitband byte2.7 -> %08x, alias of byte 3 bit 7 %u\n", bb_word,
              BB((uint32_t)&bb_word + 3, 7));
    /* read-modify-write leaves the other bits alone while C code changes the word */
    for (unsigned b = 0; b < 32; b += 5) BB(&bb_word, b) = !BB(&bb_word, b);
    sh_printf("bitband toggled %08x\n", bb_word);
}

/* ---- LDRD/STRD, LDM/STM ---- */
static uint32_t mbuf[16] __attribute__((aligned(8)));
static void show_buf(const char *what)
{
    sh_printf("%s:", what);
    for (int i = 0; i < 16; i++) sh_printf(" %x", mbuf[i]);
    sh_printf("\n");
}
static void test_multi(void)
{
    uint32_t a, b, p;
    for (int i = 0; i < 16; i++) mbuf[i] = 0x100 + i;
    p = (uint32_t)mbuf;
    __asm volatile("ldrd %0, %1, [%2, #8]" : "=&r"(a), "=&r"(b) : "r"(p) : "memory");
    sh_printf("ldrd #8 %x %x\n", a, b);
    __asm volatile("ldrd %0, %1, [%2, #16]!" : "=&r"(a), "=&r"(b), "+r"(p) : : "memory");
    sh_printf("ldrd pre-wb %x %x base +%u\n", a, b, p - (uint32_t)mbuf);
    __asm volatile("ldrd %0, %1, [%2], #-8" : "=&r"(a), "=&r"(b), "+r"(p) : : "memory");
    sh_printf("ldrd post-wb %x %x base +%u\n", a, b, p - (uint32_t)mbuf);
    __asm volatile("strd %1, %2, [%0, #-4]!" : "+r"(p) : "r"(0xaa), "r"(0xbb) : "memory");
    sh_printf("strd pre-wb base +%u\n", p - (uint32_t)mbuf);
    __asm volatile("strd %1, %2, [%0], #24" : "+r"(p) : "r"(0xcc), "r"(0xdd) : "memory");
    sh_printf("strd post-wb base +%u\n", p - (uint32_t)mbuf);
    show_buf("dual");

    p = (uint32_t)mbuf;
    __asm volatile("mov r0, #0xe0\n mov r1, #0xe1\n mov r2, #0xe2\n stmia %0!, {r0-r2}"
                   : "+r"(p) : : "r0", "r1", "r2", "memory");
    sh_printf("stmia! base +%u\n", p - (uint32_t)mbuf);
    __asm volatile("mov r0, #0xf0\n mov r1, #0xf1\n stmdb %0!, {r0, r1}"
                   : "+r"(p) : : "r0", "r1", "memory");
    sh_printf("stmdb! base +%u\n", p - (uint32_t)mbuf);
    __asm volatile("ldmia %0!, {r0-r3}\n stmia %0, {r0-r3}" : "+r"(p) : : "r0", "r1", "r2", "r3", "memory");
    sh_printf("ldmia! base +%u\n", p - (uint32_t)mbuf);
    p = (uint32_t)mbuf + 64;
    __asm volatile("ldmdb %0!, {r0, r1}\n mov %1, r0\n mov %2, r1" : "+r"(p), "=r"(a), "=r"(b) : : "r0", "r1", "memory");
    sh_printf("ldmdb! %x %x base +%u\n", a, b, p - (uint32_t)mbuf);
    /* 16-bit LDM with the base in the list: no write-back, base loaded */
    p = (uint32_t)mbuf;
    mbuf[1] = 0x12345678;
    __asm volatile("mov r1, %1\n ldm r1, {r0, r1}\n mov %0, r1" : "=r"(a) : "r"(p) : "r0", "r1", "memory");
    sh_printf("ldm base in list -> %x\n", a);
    /* PUSH/POP round trip through the stack */
    __asm volatile("mov r4, #4\n mov r5, #5\n push {r4, r5}\n mov r4, #0\n mov r5, #0\n"
                   "pop {r5}\n pop {r4}\n add %0, r4, r5, lsl #4" : "=r"(a) : : "r4", "r5", "memory");
    sh_printf("push/pop %x\n", a);
    show_buf("multi");
}

/* ---- unaligned and sign-extending loads ---- */
static uint8_t ubuf[32] __attribute__((aligned(4)));
static void test_unaligned(void)
{
    uint32_t v, p = (uint32_t)ubuf;
    for (int i = 0; i < 32; i++) ubuf[i] = (uint8_t)(0x80 + 7 * i);
    __asm volatile("ldr %0, [%1, #1]" : "=r"(v) : "r"(p) : "memory");
    sh_printf("ldr +1 %08x", v);
    __asm volatile("ldr %0, [%1, #2]" : "=r"(v) : "r"(p) : "memory");
    sh_printf(" +2 %08x", v);
    __asm volatile("ldr %0, [%1, #3]" : "=r"(v) : "r"(p) : "memory");
    sh_printf(" +3 %08x", v);
    __asm volatile("ldrh %0, [%1, #5]" : "=r"(v) : "r"(p) : "memory");
    sh_printf(" ldrh +5 %08x", v);
    __asm volatile("ldrsh %0, [%1, #7]" : "=r"(v) : "r"(p) : "memory");
    sh_printf(" ldrsh +7 %08x\n", v);
    __asm volatile("str %1, [%0, #9]\n strh %2, [%0, #15]" : : "r"(p), "r"(0xa1b2c3d4u), "r"(0x5566u) : "memory");
    sh_printf("str +9 / strh +15:");
    for (int i = 8; i < 18; i++) sh_printf(" %02x", ubuf[i]);
    sh_printf("\n");

    sh_printf("sign extension:");
    __asm volatile("ldrsb %0, [%1, #0]" : "=r"(v) : "r"(p) : "memory");
    sh_printf(" %08x", v);
    __asm volatile("ldrsb.w %0, [%1, #20]" : "=r"(v) : "r"(p) : "memory");
    sh_printf(" %08x", v);
    ubuf[21] = 0x7f;
    __asm volatile("ldrsb %0, [%1, %2]" : "=r"(v) : "r"(p), "r"(21) : "memory");
    sh_printf(" %08x", v);
    __asm volatile("ldrsh %0, [%1, #22]" : "=r"(v) : "r"(p) : "memory");
    sh_printf(" %08x", v);
    uint32_t q = p + 24;
    __asm volatile("ldrsh %0, [%1, #-2]!" : "=r"(v), "+r"(q) : : "memory");
    sh_printf(" %08x wb +%u", v, q - p);
    __asm volatile("ldrsb %0, [%1], #3" : "=r"(v), "+r"(q) : : "memory");
    sh_printf(" %08x wb +%u", v, q - p);
    __asm volatile("ldrsh.w %0, [%1, %2, lsl #1]" : "=r"(v) : "r"(p), "r"(3) : "memory");
    sh_printf(" %08x\n", v);

    SCB_CCR |= 1u << 3;   /* UNALIGN_TRP */
    sh_printf("UNALIGN_TRP: aligned ldr ok %08x, ldrb +1 %02x\n", *(volatile uint32_t *)(p + 4),
              *(volatile uint8_t *)(p + 1));
    sh_printf("ldr +2\n");
    AT("1f");
    __asm volatile("1: ldr %0, [%1, #2]" : "=r"(v) : "r"(p) : "memory");
    sh_printf("strh +1\n");
    AT("1f");
    __asm volatile("1: strh %1, [%0, #1]" : : "r"(p), "r"(0u) : "memory");
    sh_printf("ldrsh +3\n");
    AT("1f");
    __asm volatile("1: ldrsh %0, [%1, #3]" : "=r"(v) : "r"(p) : "memory");
    sh_printf("str.w +6\n");
    AT("1f");
    __asm volatile("1: str.w %1, [%0, #6]" : : "r"(p), "r"(0u) : "memory");
    SCB_CCR &= ~(1u << 3);
    sh_printf("ldrd unaligned (always faults)\n");
    AT("1f");
    __asm volatile("1: ldrd r2, r3, [%0, #4]" : : "r"(p + 2) : "r2", "r3", "memory");
    sh_printf("stm unaligned (always faults)\n");
    AT("1f");
    __asm volatile("1: stm %0, {r2, r3}" : : "r"(p + 1) : "memory");
    sh_printf("buffer:");
    for (int i = 0; i < 32; i++) sh_printf(" %02x", ubuf[i]);
    sh_printf("\n");
}

/* ---- hints: PLD/PLI never access memory, never fault ---- */
static void test_hints(void)
{
    uint32_t p = (uint32_t)ubuf;
    __asm volatile("pld [%0]\n pld [%0, #64]\n pld [%0, #-4]\n pld [%0, %1, lsl #2]\n"
                   "pli [%0, #8]" : : "r"(p), "r"(3) : "memory");
    __asm volatile("pld [%0]\n pld [%0, #4]\n pli [%0]" : : "r"(0x30000000u) : "memory");
    sh_printf("pld/pli: no fault, faults so far %u\n", nfaults);
}

int main(void)
{
    SCB_SHCSR |= (1u << 16) | (1u << 17) | (1u << 18);
    test_exclusive();
    test_tb();
    test_bitband();
    test_multi();
    test_unaligned();
    test_hints();
    sh_printf("faults %u cfsr %08x\n", nfaults, SCB_CFSR);
    return 0;
}
