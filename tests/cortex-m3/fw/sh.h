/* Semihosting console and exit for the ISS test programs (same on QEMU and rpvp-cm3). */
#ifndef SH_H
#define SH_H
#include <stdint.h>
int sh_call(int op, const void *arg);
void sh_puts(const char *s);
void sh_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void sh_exit(int code) __attribute__((noreturn));
/* System registers */
#define REG(a) (*(volatile uint32_t *)(a))
#define SCB_ICSR REG(0xe000ed04)
#define SCB_VTOR REG(0xe000ed08)
#define SCB_AIRCR REG(0xe000ed0c)
#define SCB_SCR REG(0xe000ed10)
#define SCB_CCR REG(0xe000ed14)
#define SCB_SHPR(n) (*(volatile uint8_t *)(0xe000ed14 + (n)))
#define SCB_SHCSR REG(0xe000ed24)
#define SCB_CFSR REG(0xe000ed28)
#define SCB_HFSR REG(0xe000ed2c)
#define SCB_MMFAR REG(0xe000ed34)
#define SCB_BFAR REG(0xe000ed38)
#define NVIC_ISER(n) REG(0xe000e100 + 4 * (n))
#define NVIC_ICER(n) REG(0xe000e180 + 4 * (n))
#define NVIC_ISPR(n) REG(0xe000e200 + 4 * (n))
#define NVIC_ICPR(n) REG(0xe000e280 + 4 * (n))
#define NVIC_IABR(n) REG(0xe000e300 + 4 * (n))
#define NVIC_IPR(n) (*(volatile uint8_t *)(0xe000e400 + (n)))
#define NVIC_STIR REG(0xe000ef00)
#define SYST_CSR REG(0xe000e010)
#define SYST_RVR REG(0xe000e014)
#define SYST_CVR REG(0xe000e018)
#define DEMCR REG(0xe000edfc)
#define DWT_CTRL REG(0xe0001000)
#define DWT_CYCCNT REG(0xe0001004)
static inline uint32_t get_ipsr(void) { uint32_t v; __asm volatile("mrs %0, ipsr" : "=r"(v)); return v; }
static inline uint32_t get_control(void) { uint32_t v; __asm volatile("mrs %0, control" : "=r"(v)); return v; }
static inline uint32_t get_psp(void) { uint32_t v; __asm volatile("mrs %0, psp" : "=r"(v)); return v; }
static inline uint32_t get_msp(void) { uint32_t v; __asm volatile("mrs %0, msp" : "=r"(v)); return v; }
static inline uint32_t get_primask(void) { uint32_t v; __asm volatile("mrs %0, primask" : "=r"(v)); return v; }
static inline uint32_t get_basepri(void) { uint32_t v; __asm volatile("mrs %0, basepri" : "=r"(v)); return v; }
static inline uint32_t get_faultmask(void) { uint32_t v; __asm volatile("mrs %0, faultmask" : "=r"(v)); return v; }
static inline void set_basepri(uint32_t v) { __asm volatile("msr basepri, %0" ::"r"(v) : "memory"); }
static inline void dsb_isb(void) { __asm volatile("dsb\n isb" ::: "memory"); }
/* A naked exception handler `name` that tail-calls `void fn(uint32_t *frame, uint32_t
 * excret)` with the stacked frame (MSP or PSP, from EXC_RETURN bit 2). */
#define FRAME_HANDLER(name, fn)                                                            \
    void fn(uint32_t *frame, uint32_t excret);                                             \
    __attribute__((naked)) void name(void)                                                 \
    {                                                                                      \
        __asm volatile("mov r1, lr\n tst lr, #4\n ite eq\n mrseq r0, msp\n mrsne r0, psp\n" \
                       "b " #fn "\n");                                                     \
    }
/* Handlers a test may override (weak defaults in startup.c print and exit). */
typedef void (*handler_fn)(void);
extern handler_fn irq_table[32];
#endif
