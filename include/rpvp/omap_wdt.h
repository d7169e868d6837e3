/*
 * rpvp OMAP4 watchdog timer: plain C core (no SystemC).
 *
 * Models: the OMAP4 WD_TIMER IP (OMAP4430/4460 TRM SWPU231/SWPU235, "Watchdog Timer";
 *   Linux drivers/watchdog/omap_wdt.c), as the remote processor's watchdog: the firmware
 *   starts it and refreshes it (WTGR); when the counter overflows, the timeout output
 *   rises. Register table: rpvp/omap_wdt_regs.h and docs/models/watchdog.md.
 * Interface: one register window (RPVP_WDT_WINDOW_SIZE, aligned 32-bit accesses) through
 *   rpvp_device_ops (wrap with rpvp::OmapWdt, models/watchdog/omap_wdt_tlm.h). Outputs:
 *   line 0 RPVP_WDT_LINE_TIMEOUT (the reset request: high from the first overflow until
 *   the block is reset; the platform's crash line), line 1 RPVP_WDT_LINE_IRQ
 *   (WISR & WIER). No inputs.
 * Time: the counter is a function of simulated time (the clock set with
 *   rpvp_wdt_set_clock): 32768 Hz divided by 2^PTV when WCLR.PRE. The core never waits;
 *   rpvp_wdt_next_event_ps() says when the next overflow is due and rpvp_wdt_update()
 *   (called by the wrapper then, and at every register access) brings the state up to
 *   now. The timer hook tells the wrapper when the due time may have changed.
 * Deliberate differences: the counter comes out of reset stopped (on OMAP4 a WD_TIMER
 *   runs from reset until software stops it: here a firmware that knows nothing of the
 *   watchdog must not be killed by it); writes complete at once (WWPS reads 0).
 * Not modelled: WDLY / DLY_IT (stored only), idle modes, EMUFREE (the counter does not
 *   stop while a debugger holds the core: the whole simulation stands still then), the
 *   WIRQ* registers of later revisions (guest error: no register).
 *
 * Threads: not thread-safe; call everything from the simulation thread.
 */
#ifndef RPVP_OMAP_WDT_H
#define RPVP_OMAP_WDT_H

#include <stdint.h>

#include "rpvp/device.h"
#include "rpvp/omap_wdt_regs.h"

#ifdef __cplusplus
extern "C" {
#endif

enum { RPVP_WDT_LINE_TIMEOUT = 0, RPVP_WDT_LINE_IRQ = 1, RPVP_WDT_NUM_LINES = 2 };

typedef struct rpvp_wdt rpvp_wdt;

typedef enum rpvp_wdt_log_level {
    RPVP_WDT_LOG_GUEST_ERROR = 0, /* bad width/offset, read-only write */
    RPVP_WDT_LOG_INFO = 1,        /* start, stop, timeout */
    RPVP_WDT_LOG_TRACE = 2,       /* one line per register access (only if trace) */
} rpvp_wdt_log_level;

typedef void (*rpvp_wdt_log_fn)(void *ctx, rpvp_wdt_log_level level, const char *msg);
/* The due time of the next overflow may have changed: ask rpvp_wdt_next_event_ps(). */
typedef void (*rpvp_wdt_timer_fn)(void *ctx);

typedef struct rpvp_wdt_config {
    const char *name;    /* log lines; default "watchdog" */
    rpvp_wdt_log_fn log; /* NULL: stderr (guest errors rate-limited, info shown) */
    void *log_ctx;
    int trace;
} rpvp_wdt_config;

typedef struct rpvp_wdt_stats {
    uint64_t reads, writes;
    uint64_t refreshes;      /* WTGR writes that reloaded the counter */
    uint64_t starts, stops;  /* completed WSPR sequences */
    uint64_t timeouts;       /* counter overflows */
    uint64_t guest_errors;
    uint64_t last_timeout_ps; /* simulated time of the last overflow */
} rpvp_wdt_stats;

void rpvp_wdt_config_default(rpvp_wdt_config *cfg);
/* A block in its reset state; NULL if memory runs out. */
rpvp_wdt *rpvp_wdt_new(const rpvp_wdt_config *cfg);
void rpvp_wdt_free(rpvp_wdt *w);
/* The device-core table (num_irq_out 2, num_irq_in 0). */
const rpvp_device_ops *rpvp_wdt_ops(rpvp_wdt *w);
void rpvp_wdt_set_clock(rpvp_wdt *w, const rpvp_clock *clock);
void rpvp_wdt_set_timer_hook(rpvp_wdt *w, rpvp_wdt_timer_fn fn, void *ctx);

/* Bring the counter up to now: an overflow due by now happens (timeout line up). */
void rpvp_wdt_update(rpvp_wdt *w);
/* Simulated time of the next overflow, UINT64_MAX while stopped. */
uint64_t rpvp_wdt_next_event_ps(rpvp_wdt *w);
/* Reset of the block (the remote's reset domain): registers to reset values, stopped,
 * timeout line low. The same as ops->reset. */
void rpvp_wdt_reset(rpvp_wdt *w);

uint32_t rpvp_wdt_read32(rpvp_wdt *w, uint32_t off);
rpvp_status rpvp_wdt_write32(rpvp_wdt *w, uint32_t off, uint32_t value);
int rpvp_wdt_line(const rpvp_wdt *w, unsigned line);
int rpvp_wdt_running(const rpvp_wdt *w);
void rpvp_wdt_get_stats(const rpvp_wdt *w, rpvp_wdt_stats *out);

#ifdef __cplusplus
}
#endif
#endif
