/*
 * virtio-mmio register map (local offsets of one device window).
 *
 * Source: virtio 1.x specification, section 4.2.2 "MMIO Device Register Layout" and
 * 4.2.4 "Legacy interface", with the names Linux uses in
 * include/uapi/linux/virtio_mmio.h (VIRTIO_MMIO_*). Version 1 = legacy (GuestPageSize,
 * QueueAlign, QueuePFN), version 2 = virtio 1.x (QueueReady, QueueDesc/Driver/Device
 * addresses, ConfigGeneration). All registers below 0x100 are 32 bits wide and must be
 * accessed with 32-bit aligned accesses; the device-specific config space starts at
 * VIRTIO_MMIO_CONFIG and may be accessed with 8-, 16- and 32-bit accesses.
 *
 * Used by the device core (models/virtio-rpmsg/), its tests and any C code that drives
 * a virtio-mmio device (the synthetic host).
 */
#ifndef RPVP_VIRTIO_MMIO_REGS_H
#define RPVP_VIRTIO_MMIO_REGS_H

#define VIRTIO_MMIO_MAGIC_VALUE         0x000u /* R:  0x74726976 ("virt") */
#define VIRTIO_MMIO_VERSION             0x004u /* R:  1 legacy, 2 virtio 1.x */
#define VIRTIO_MMIO_DEVICE_ID           0x008u /* R:  virtio device id (7: rpmsg) */
#define VIRTIO_MMIO_VENDOR_ID           0x00cu /* R */
#define VIRTIO_MMIO_DEVICE_FEATURES     0x010u /* R:  32 feature bits of the selected word */
#define VIRTIO_MMIO_DEVICE_FEATURES_SEL 0x014u /* W:  word select (0: bits 0..31, 1: 32..63) */
#define VIRTIO_MMIO_DRIVER_FEATURES     0x020u /* W:  accepted bits of the selected word */
#define VIRTIO_MMIO_DRIVER_FEATURES_SEL 0x024u /* W */
#define VIRTIO_MMIO_GUEST_PAGE_SIZE     0x028u /* W:  v1 only: unit of QueuePFN */
#define VIRTIO_MMIO_QUEUE_SEL           0x030u /* W:  queue the Queue* registers refer to */
#define VIRTIO_MMIO_QUEUE_NUM_MAX       0x034u /* R:  0 if the queue does not exist */
#define VIRTIO_MMIO_QUEUE_NUM           0x038u /* W:  queue size chosen by the driver */
#define VIRTIO_MMIO_QUEUE_ALIGN         0x03cu /* W:  v1 only: used ring alignment */
#define VIRTIO_MMIO_QUEUE_PFN           0x040u /* RW: v1 only: desc table / page size */
#define VIRTIO_MMIO_QUEUE_READY         0x044u /* RW: v2 only */
#define VIRTIO_MMIO_QUEUE_NOTIFY        0x050u /* W:  queue index to notify */
#define VIRTIO_MMIO_INTERRUPT_STATUS    0x060u /* R */
#define VIRTIO_MMIO_INTERRUPT_ACK       0x064u /* W:  1 bits clear InterruptStatus */
#define VIRTIO_MMIO_STATUS              0x070u /* RW: device status; writing 0 resets */
#define VIRTIO_MMIO_QUEUE_DESC_LOW      0x080u /* W:  v2 only */
#define VIRTIO_MMIO_QUEUE_DESC_HIGH     0x084u /* W:  v2 only */
#define VIRTIO_MMIO_QUEUE_AVAIL_LOW     0x090u /* W:  v2 only (spec: QueueDriverLow) */
#define VIRTIO_MMIO_QUEUE_AVAIL_HIGH    0x094u /* W:  v2 only (spec: QueueDriverHigh) */
#define VIRTIO_MMIO_QUEUE_USED_LOW      0x0a0u /* W:  v2 only (spec: QueueDeviceLow) */
#define VIRTIO_MMIO_QUEUE_USED_HIGH     0x0a4u /* W:  v2 only (spec: QueueDeviceHigh) */
#define VIRTIO_MMIO_SHM_SEL             0x0acu /* W:  v2: shared memory region select */
#define VIRTIO_MMIO_SHM_LEN_LOW         0x0b0u /* R:  v2: ~0 (both halves) = no region */
#define VIRTIO_MMIO_SHM_LEN_HIGH        0x0b4u /* R */
#define VIRTIO_MMIO_SHM_BASE_LOW        0x0b8u /* R */
#define VIRTIO_MMIO_SHM_BASE_HIGH       0x0bcu /* R */
#define VIRTIO_MMIO_CONFIG_GENERATION   0x0fcu /* R:  v2 only */
#define VIRTIO_MMIO_CONFIG              0x100u /* RW: device-specific config space */

/* "virt" read as a little-endian 32-bit word. */
#define VIRTIO_MMIO_MAGIC 0x74726976u

/* InterruptStatus / InterruptACK bits. */
#define VIRTIO_MMIO_INT_VRING  (1u << 0) /* used buffer notification */
#define VIRTIO_MMIO_INT_CONFIG (1u << 1) /* configuration change notification */

#endif
