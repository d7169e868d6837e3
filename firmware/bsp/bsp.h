/*
 * Board support for the OMAP4 Cortex-M3 view (see omap4_m3.h for the address map):
 * mailbox driver, trace buffer and log output, panic.
 * Errors are negative errno values.
 */
#ifndef BSP_H
#define BSP_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* --- mailbox (user 2, NVIC IRQ 34), by channel of rpvp/mbox_channels.h: channel ch
 * arrives on FIFO 2ch, leaves on FIFO 2ch + 1 --- */
typedef void (*bsp_mbox_rx_fn)(void *ctx, unsigned ch, uint32_t msg);
/* Route channel ch's messages to fn (called in interrupt context), enable its NEWMSG and
 * the IRQ. 0 or -EINVAL. */
int bsp_mbox_listen(unsigned ch, bsp_mbox_rx_fn fn, void *ctx);
/* Stop taking mailbox interrupts at all (quiesce before the host resets the core). */
void bsp_mbox_mute(void);
/* Post one message to the host on channel ch. -EBUSY if the FIFO is full, -EINVAL. */
int bsp_mbox_send(unsigned ch, uint32_t msg);
/* Post one message, waiting while the FIFO is full (the host drains it in its ISR). */
void bsp_mbox_send_wait(unsigned ch, uint32_t msg);
void bsp_mbox_isr(void);

struct bsp_mbox_stats {
    uint32_t rx, tx, tx_full, irqs;
};
void bsp_mbox_get_stats(struct bsp_mbox_stats *out);

/* --- watchdog (OMAP4 WD_TIMER at OMAP4_M3_WDT_BASE) --- */
/* Start it with a timeout of `ms` milliseconds (refreshed once). */
void bsp_wdt_start(uint32_t ms);
/* Reload the counter: the next timeout is `ms` from now. */
void bsp_wdt_refresh(void);
void bsp_wdt_stop(void);
uint32_t bsp_wdt_timeout_ms(void);

/* --- trace buffer: exported to the host by the resource table's RSC_TRACE --- */
#define BSP_TRACE_LEN 8192u
extern char bsp_trace_buf[BSP_TRACE_LEN];
/* printf subset: %s %c %d %u %x %p with optional width/zero-pad; appends a newline. */
void bsp_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Optional extra sink (e.g. semihosting in QEMU tests); NULL to disable. */
void bsp_log_set_sink(void (*sink)(const char *line));
void bsp_panic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
/* Format into buf (always NUL-terminated); returns the length written. */
size_t bsp_vformat(char *buf, size_t len, const char *fmt, __builtin_va_list ap);

#ifdef __cplusplus
}
#endif
#endif
