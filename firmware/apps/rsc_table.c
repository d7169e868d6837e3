/* The resource table instance: see rsc_table.h. */
#include "rsc_table.h"

#include <stddef.h>

#include "bsp.h"
#include "omap4_m3.h"

#pragma GCC diagnostic ignored "-Wpedantic"

#define ENTRY_OFFSET(field) offsetof(struct fw_resource_table, field)

__attribute__((section(".resource_table"), used, aligned(8)))
volatile struct fw_resource_table fw_rsc_table = {
    .ver = 1,
    .num = FW_RSC_NUM_ENTRIES,
    .offset = {
        ENTRY_OFFSET(carveout_type),
        ENTRY_OFFSET(trace_type),
        ENTRY_OFFSET(vdev_type),
    },

    .carveout_type = RSC_CARVEOUT,
    .carveout = {
        .da = OMAP4_M3_CARVEOUT_DA,
        .pa = FW_RSC_ADDR_ANY,
        .len = OMAP4_M3_CARVEOUT_LEN,
        .name = "M3_CODE_DATA",
    },

    .trace_type = RSC_TRACE,
    .trace = {
        .da = (uint32_t)(uintptr_t)bsp_trace_buf,
        .len = BSP_TRACE_LEN,
        .name = "trace:m3",
    },

    .vdev_type = RSC_VDEV,
    .vdev = {
        .id = VIRTIO_ID_RPMSG,
        .notifyid = 0,
        .dfeatures = 1u << VIRTIO_RPMSG_F_NS,
        .config_len = 0,
        .num_of_vrings = FW_NUM_VRINGS,
    },
    .vring = {
        {.da = FW_RSC_ADDR_ANY, .align = FW_VRING_ALIGN, .num = FW_VRING_NUM, .notifyid = 0},
        {.da = FW_RSC_ADDR_ANY, .align = FW_VRING_ALIGN, .num = FW_VRING_NUM, .notifyid = 1},
    },
};

_Static_assert(offsetof(struct fw_resource_table, vring) ==
                   offsetof(struct fw_resource_table, vdev) + sizeof(struct fw_rsc_vdev),
               "vrings must follow the vdev entry");
