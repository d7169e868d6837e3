/* Until the rpmsg stack is in the build: wait for the host's DRIVER_OK and say so. */
#include "apps.h"
#include "bsp.h"
#include "rsc_table.h"
#include "rtos.h"

static uint32_t stack[256];

static void vdev_wait_task(void *arg)
{
    while (!(fw_rsc_table.vdev.status & VIRTIO_CONFIG_S_DRIVER_OK))
        rtos_sleep(1);
    bsp_log("vdev up: vring0 da %x, vring1 da %x", (unsigned)fw_rsc_table.vring[0].da,
            (unsigned)fw_rsc_table.vring[1].da);
}

int apps_start(void)
{
    int id = rtos_task_create("vdev", vdev_wait_task, 0, stack, 256, 4);
    return id < 0 ? id : 0;
}
