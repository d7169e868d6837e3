/*
 * The M3's watchdog (OMAP4 WD_TIMER at OMAP4_M3_WDT_BASE; registers in
 * include/rpvp/omap_wdt_regs.h). The sequences are those of Linux's omap_wdt.c: load
 * WLDR, trigger a reload through WTGR, start with WSPR 0xBBBB/0x4444; stop with
 * 0xAAAA/0x5555. A refresh writes a new value to WTGR.
 */
#include "bsp.h"
#include "omap4_m3.h"
#include "rpvp/omap_wdt_regs.h"

static uint32_t trigger;
static uint32_t timeout_ms;

static void wdt_write(uint32_t off, uint32_t val)
{
    *(volatile uint32_t *)(OMAP4_M3_WDT_BASE + off) = val;
}

void bsp_wdt_start(uint32_t ms)
{
    timeout_ms = ms;
    /* No prescaler: one tick per 32 kHz cycle. */
    wdt_write(RPVP_WDT_WCLR, 0);
    wdt_write(RPVP_WDT_WLDR,
              RPVP_WDT_WLDR_FOR_TICKS((uint64_t)ms * RPVP_WDT_CLOCK_HZ / 1000u));
    bsp_wdt_refresh();
    wdt_write(RPVP_WDT_WSPR, RPVP_WDT_WSPR_START1);
    wdt_write(RPVP_WDT_WSPR, RPVP_WDT_WSPR_START2);
}

void bsp_wdt_refresh(void)
{
    wdt_write(RPVP_WDT_WTGR, ++trigger);
}

void bsp_wdt_stop(void)
{
    wdt_write(RPVP_WDT_WSPR, RPVP_WDT_WSPR_STOP1);
    wdt_write(RPVP_WDT_WSPR, RPVP_WDT_WSPR_STOP2);
}

uint32_t bsp_wdt_timeout_ms(void) { return timeout_ms; }
