/*
 * The omap4-amp platform, described once: Linux's physical map behind QEMU's bridge
 * window (blocks, sizes, interrupt lines), the shared DDR, the Linux route, and a list
 * of remote processors (1..4) with their carveouts, reserved regions, device
 * address windows and mailbox users. Everything else is generated from it:
 *   - the SystemC netlist and address maps (rpvp::Omap4Amp, rpvp::AmpSystem),
 *   - the M3's address map and the firmware loader's regions,
 *   - the Linux device-tree fragment (rpvp_platform_dt_fragment), compiled at run time
 *     onto QEMU virt's own device tree, so the cached guest image never changes,
 *   - QEMU's bridge window and interrupt lines (base, size, first SPI, count).
 * Both processes that need it (the rpvp command, which starts QEMU, and the plugin
 * inside QEMU) build it with rpvp_platform_desc_init from the same options.
 *
 * Plain C (no SystemC): the launcher, tests and C tools read it too.
 */
#ifndef RPVP_PLATFORM_DESC_H
#define RPVP_PLATFORM_DESC_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum rpvp_linux_route {
    RPVP_ROUTE_VIRTIO_MMIO = 0, /* rpvp loads the firmware; Linux sees a virtio-mmio device */
    RPVP_ROUTE_REMOTEPROC = 1,  /* Linux's remoteproc (stm32_rproc) + omap-mailbox */
} rpvp_linux_route;

/* A block in Linux's physical map, inside the bridge window. size 0: absent. */
typedef struct rpvp_host_block {
    const char *name;
    uint64_t base, size; /* Linux physical; size = what the bus decodes */
    uint64_t dt_size;    /* the `reg` size the device tree gives the driver */
    int irq;             /* bridge interrupt line (GIC SPI first_spi + irq), -1: none */
} rpvp_host_block;

/* One window of a remote's device address space onto the shared DDR. */
typedef struct rpvp_da_window {
    uint32_t da;   /* remote (device) address */
    uint64_t pa;   /* Linux physical address */
    uint64_t size;
    const char *name;
} rpvp_da_window;

/* A reserved-memory region Linux must not use (node name = region name). */
typedef struct rpvp_reserved {
    const char *name;  /* "M3_CODE_DATA" (= the firmware's RSC_CARVEOUT name),
                          "vdev0vring0", "vdev0vring1", "vdev0buffer" */
    uint64_t pa, size;
    int dma_pool;      /* 1: compatible = "shared-dma-pool" (vdev buffers) */
} rpvp_reserved;

#define RPVP_MAX_REMOTES 4
/* Several remotes (docs/platform.md, "Several remotes"): remote r's host blocks are
 * remote 0's (the desc's vdev, mbox, syscon, reset) moved up by r slots of the bridge
 * window, and its bridge interrupt lines by r times the lines of one remote; each
 * remote has its own mailbox instance (host user 0, remote user 2 on every instance). */
#define RPVP_REMOTE_SLOT  0x4000ull
#define RPVP_REMOTE_LINES 3u
#define RPVP_REMOTE_WINDOWS 2
#define RPVP_REMOTE_RESERVED 4

typedef struct rpvp_remote_desc {
    const char *name;        /* device-tree node name: rproc name, firmware "rproc-<name>-fw" */
    /* Device address windows, in dma-ranges order: [0] the carveout (code and data; the
     * M3 reaches it through the Unicache), [1] DDR at its Linux physical addresses
     * (vrings and buffers). */
    rpvp_da_window win[RPVP_REMOTE_WINDOWS];
    rpvp_reserved reserved[RPVP_REMOTE_RESERVED]; /* [0] is the carveout */
    unsigned num_reserved;
    uint32_t mbox_da;        /* the mailbox in the remote's map (OMAP4 L3 view) */
    uint32_t wdt_da;         /* its watchdog (OMAP4 WD_TIMER2 through the same window) */
    unsigned mbox_user;      /* its mailbox user */
    unsigned mbox_nvic_irq;  /* the mailbox interrupt's NVIC line */
    int wdg_irq;             /* bridge line of its watchdog / crash interrupt, -1: none */
} rpvp_remote_desc;

typedef struct rpvp_platform_desc {
    rpvp_linux_route route;
    int remote_running;      /* remoteproc route: rpvp starts the remote before Linux */
    uint64_t ddr_pa, ddr_size;
    /* QEMU's bridge: one window, consecutive SPIs. */
    uint64_t window_base, window_size;
    unsigned first_spi, num_irqs;
    rpvp_host_block vdev;    /* virtio-mmio route: the virtio-mmio rpmsg device */
    rpvp_host_block mbox;    /* remoteproc route: the OMAP4 mailbox, Linux = user 0 */
    rpvp_host_block syscon;  /* remoteproc route: hold-boot, tz, pdds, state, rsc-tbl */
    rpvp_host_block reset;   /* remoteproc route: the remote's reset line */
    unsigned host_mbox_user; /* the host's mailbox user (0, both routes) */
    /* The virtio-mmio device's own bus-master view (an OMAP4 L3 master): DDR at the
     * EMIF base, the mailbox at its L4 address (QEMU virt's RAM at 0x40000000 would
     * overlap the L4 window). */
    uint64_t vdev_ddr_base, vdev_mbox_base;
    unsigned num_remotes;
    rpvp_remote_desc remote[RPVP_MAX_REMOTES];
} rpvp_platform_desc;

/* The reference platform for `route` (remote_running only on the remoteproc route):
 * 256 MiB of DDR at 0x40000000, one Cortex-M3 with a 16 MiB carveout at its top. */
void rpvp_platform_desc_init(rpvp_platform_desc *d, rpvp_linux_route route,
                             int remote_running);
/* Make d describe n remotes (1..RPVP_MAX_REMOTES), every further one like remote 0
 * (same carveout size, its own mailbox instance, slot and lines), then re-layout.
 * Returns 0 or -1 for an n out of range. */
int rpvp_platform_desc_set_remotes(rpvp_platform_desc *d, unsigned n);
/* Remote r's copy of one of the host blocks of remote 0 (&d->vdev, &d->mbox, ...). */
rpvp_host_block rpvp_remote_block(const rpvp_platform_desc *d, const rpvp_host_block *b,
                                  unsigned r);

/* Re-derive every address from ddr_size and the carveout's size (win[0].size of each
 * remote): the carveout at the top of DDR, the vrings and vdev buffers below it. */
void rpvp_platform_desc_layout(rpvp_platform_desc *d);
/* 0, or -1 with a sentence in err (overlaps, regions outside DDR, too many lines). */
int rpvp_platform_desc_check(const rpvp_platform_desc *d, char *err, size_t err_size);

/* "virtio-mmio" / "remoteproc" <-> route. parse returns 0 or -1. */
int rpvp_linux_route_parse(const char *s, rpvp_linux_route *out);
const char *rpvp_linux_route_name(rpvp_linux_route r);

/* The device-tree source rpvp adds to QEMU virt's (a "/ { ... };" block), malloc'ed. */
char *rpvp_platform_dt_fragment(const rpvp_platform_desc *d);

#ifdef __cplusplus
}
#endif
#endif
