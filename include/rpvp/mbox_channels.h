/*
 * rpvp's mailbox channel plan: which OMAP4 mailbox FIFO carries what between the host
 * (Linux) and the remote (the Cortex-M3). One plan for both Linux routes
 * (docs/firmware.md, "Mailbox channels"):
 *   - virtio-mmio route: the virtio-mmio rpmsg device is the host's mailbox user;
 *   - remoteproc route: Linux's own omap-mailbox driver is, for stm32_rproc's named
 *     channels "vq0", "vq1", "shutdown", "detach" (the device-tree generator writes one
 *     sub-mailbox per channel with ti,mbox-tx = <TX_FIFO 0 HOST_USER> and
 *     ti,mbox-rx = <RX_FIFO 0 HOST_USER>).
 *
 *   channel    host -> remote FIFO   remote -> host FIFO
 *   vq0        0                     1   (the remote kicks vring 0: Linux's rx ring)
 *   vq1        2                     3   (the remote kicks vring 1: tx buffers back)
 *   shutdown   4                     5
 *   detach     6                     7
 *
 * The channel (FIFO) identifies the virtqueue, never the message: Linux's stm32_rproc
 * sends a kernel pointer as the message, so both sides ignore the content. The host is
 * mailbox user 0 and the remote user 2 (OMAP4: user 2 is the Cortex-M3 "Ducati").
 * Plain C, no includes: shared by the models, the firmware (arm-none-eabi) and tools.
 */
#ifndef RPVP_MBOX_CHANNELS_H
#define RPVP_MBOX_CHANNELS_H

#define RPVP_MBOX_HOST_USER   0u /* Linux's omap-mailbox or the virtio-mmio device */
#define RPVP_MBOX_REMOTE_USER 2u /* the Cortex-M3 */

/* Channels in stm32_rproc's order (its STM32_MBX_* names). */
enum rpvp_mbox_channel {
    RPVP_MBOX_CH_VQ0 = 0,      /* kicks of vring 0 */
    RPVP_MBOX_CH_VQ1 = 1,      /* kicks of vring 1 */
    RPVP_MBOX_CH_SHUTDOWN = 2, /* host asks the remote to quiesce before it is reset */
    RPVP_MBOX_CH_DETACH = 3,   /* host detaches; the remote keeps running */
    RPVP_MBOX_NUM_CHANNELS = 4
};

/* Channels that carry virtqueue kicks: vq N is channel N. */
#define RPVP_MBOX_NUM_VQ_CHANNELS 2u

#define RPVP_MBOX_CH_TX_FIFO(ch) (2u * (unsigned)(ch))      /* host -> remote */
#define RPVP_MBOX_CH_RX_FIFO(ch) (2u * (unsigned)(ch) + 1u) /* remote -> host */
#define RPVP_MBOX_PLAN_FIFOS (2u * RPVP_MBOX_NUM_CHANNELS)   /* FIFOs the plan uses */

/* The mailbox-names of the remoteproc node, indexed by channel. */
#define RPVP_MBOX_CHANNEL_NAMES { "vq0", "vq1", "shutdown", "detach" }

#endif
