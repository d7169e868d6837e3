/*
 * rpvp-m3-fw: boot, wait for the host to bring up the vdev, then serve the endpoints.
 */
#include "apps.h"
#include "bsp.h"
#include "omap4_m3.h"
#include "rsc_table.h"
#include "rtos.h"

int main(void)
{
    rtos_init(OMAP4_M3_CPU_HZ, OMAP4_M3_TICK_HZ);
    bsp_log("rpvp-m3-fw: M3 at %u Hz, tick %u Hz, resource table at %p",
            (unsigned)OMAP4_M3_CPU_HZ, (unsigned)OMAP4_M3_TICK_HZ, (void *)&fw_rsc_table);
    int err = apps_start();
    if (err)
        bsp_panic("apps_start failed: %d", err);
    rtos_start();
}
