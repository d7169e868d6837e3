/*
 * The firmware SDK's template app (docs/firmware.md, "Your own firmware"): one rpmsg
 * endpoint, "rpvp-template", that answers every message with the same bytes. Copy this
 * file, rename the endpoint, put your work in the callback, and build it with
 *   cmake -S firmware -B build-fw -DRPVP_FW_APP_SOURCES=$PWD/my_app.c && cmake --build build-fw
 * The rest of the image is rpvp's: apps/main.c (RTOS start, calls apps_start()),
 * apps/rsc_table.c (the resource table Linux's remoteproc and the synthetic host read),
 * apps/rpmsg_port.c (the rpmsg stack on the OMAP4 mailbox), bsp/ and rtos/.
 */
#include "apps.h"
#include "bsp.h"
#include "rpmsg_port.h"
#include "rsc_table.h"
#include "rtos.h"

#define TEMPLATE_EPT "rpvp-template"
#define NS_DELAY_MS 2u /* announce after DRIVER_OK settles: docs/platform.md, "Quantum" */

static struct rpr_device rdev;
static struct rpr_endpoint ept;
static uint32_t task_stack[512] __attribute__((aligned(8)));

/* Runs in the rpmsg task (inside rpr_poll); `data` is valid until it returns. */
static int on_message(struct rpr_endpoint *e, void *data, size_t len, uint32_t src, void *priv)
{
    int rc = rpr_sendto(e, data, (int)len, src);
    return rc == (int)len ? RPMSG_SUCCESS : rc;
}

/* Wait for the host's DRIVER_OK, then attach the vrings: the endpoint is announced. */
static void attach(void)
{
    while (!(fw_rsc_table.vdev.status & VIRTIO_CONFIG_S_DRIVER_OK))
        rpmsg_port_wait_tick();
    rtos_sleep((NS_DELAY_MS * rtos_tick_hz() + 999u) / 1000u);
    int err = rpr_wait_ready(&rdev, UINT64_MAX);
    if (err)
        bsp_panic("vdev never became ready: %d", err);
}

static void rpmsg_task(void *arg)
{
    int err = rpmsg_port_init(&rdev, &fw_rsc_table, sizeof fw_rsc_table);
    if (!err)
        err = rpr_create_ept(&ept, &rdev, TEMPLATE_EPT, RPMSG_ADDR_ANY, RPMSG_ADDR_ANY,
                             on_message, 0);
    if (err)
        bsp_panic("rpmsg set-up failed: %d", err);
    attach();
    for (;;) {
        if (rpr_poll(&rdev) == RPMSG_ERR_DEV_STATE)
            attach(); /* the host reset the vdev */
        else
            rpmsg_port_wait(&rdev);
    }
}

int apps_start(void)
{
    int id = rtos_task_create("rpmsg", rpmsg_task, 0, task_stack,
                              sizeof task_stack / sizeof task_stack[0], 8);
    return id < 0 ? id : 0;
}
