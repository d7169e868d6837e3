/*
 * Fuzz target 4: the rpmsg remote stack (firmware/rpmsg) and the synthetic host
 * (models/synthetic-host), each facing a hostile peer that owns the shared memory. The
 * plain-C loopback harness (tests/rpmsg/loopback.h) brings both sides up for real
 * (probe, vrings, buffers, name service); then the input's actions scribble over what
 * the peer owns and let the victim run:
 *   mode 0 (hostile host):   vring 1 avail/descriptors, vring 0 avail/descriptors,
 *                            buffer contents (rpmsg headers, NS messages), the vdev
 *                            entry (status, vring da/num/align); the remote polls, an
 *                            echo endpoint sends every payload back (blocking or not);
 *   mode 1 (hostile remote): used rings of both vrings, buffer contents, InterruptStatus;
 *                            the host takes interrupts and sends.
 * Descriptor loops, chains longer than the ring, heads out of range, lengths past
 * buffers and addresses outside the shared region all come out of these writes. ASan
 * and UBSan watch every access (an overlapping memcpy is a finding: issue 16 defect 7);
 * time is bounded by the harness's counter, so a wait that never ends is a finding too.
 */
#include <string.h>

#include "fuzz_input.h"
#include "loopback.h"
#include "rpvp/virtio_mmio_regs.h"

static lb_platform P;
static int echo_blocking;

static int echo_cb(struct rpr_endpoint *ept, void *data, size_t len, uint32_t src, void *priv)
{
    (void)priv;
    FZ_CHECK(len <= 496 + 16, "payload %zu", len);
    FZ_CHECK((uint8_t *)data >= P.ddr && (uint8_t *)data + len <= P.ddr + LB_DDR_SIZE,
             "payload outside the shared region");
    return echo_blocking ? rpr_sendto(ept, data, (int)len, src)
                         : rpr_trysendto(ept, data, (int)len, src);
}

static int host_cb(struct rpmsg_device *rpdev, void *data, int len, void *priv, uint32_t src)
{
    (void)rpdev;
    (void)priv;
    (void)src;
    FZ_CHECK(len >= 0 && len <= 496, "host payload %d", len);
    FZ_CHECK((uint8_t *)data >= P.ddr && (uint8_t *)data + len <= P.ddr + LB_DDR_SIZE,
             "host payload outside the pool");
    return 0;
}

/* Where an action writes: a vring part, a buffer, or the vdev entry. */
static uint8_t *target(uint8_t sel, uint16_t off, size_t width)
{
    unsigned ring = sel & 1;
    uint32_t da = P.vring[ring].da, num = P.vring[ring].num, align = P.vring[ring].align;
    /* The table itself may have been scribbled over: only a sane ring is a target. */
    if (!num || num > 1024 || (num & (num - 1)) || !align || (align & (align - 1)) ||
        align > 65536 || da < LB_DDR_BASE ||
        da - LB_DDR_BASE + vring_size(num, align) > LB_DDR_SIZE)
        return NULL;
    struct vring vr;
    vring_init(&vr, num, P.ddr + (da - LB_DDR_BASE), align);
    uint8_t *base;
    size_t len;
    switch ((sel >> 1) % 5) {
    case 0: base = (uint8_t *)vr.desc; len = 16u * num; break;
    case 1: base = (uint8_t *)vr.avail; len = 4u + 2u * num; break;
    case 2: base = (uint8_t *)vr.used; len = 4u + 8u * num; break;
    case 3: /* a buffer the descriptors point at */
        base = P.ddr;
        len = LB_DDR_SIZE;
        off = (uint16_t)(off & ~0x1ffu); /* buffer starts: headers and NS messages */
        off |= sel >> 4;
        break;
    default: base = (uint8_t *)P.vdev; len = sizeof *P.vdev + 2 * sizeof *P.vring; break;
    }
    if (len < width)
        return NULL;
    size_t at = off % (len - width + 1);
    if (base + at < P.ddr || base + at + width > P.ddr + LB_DDR_SIZE) {
        if (base != (uint8_t *)P.vdev)
            return NULL;
    }
    return base + at;
}

static int have_channel(void *arg)
{
    (void)arg;
    return rpvp_shost_find_channel(P.host, "rpmsg-echo") != NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_input in = {data, size};
    uint8_t hdr = fz_u8(&in);
    int hostile_host = !(hdr & 1);
    echo_blocking = (hdr >> 2) & 1;
    FZ_CHECK(lb_init(&P, (hdr & 2) ? 2 : 1, 1u << VIRTIO_RPMSG_F_NS) == 0, "loopback");
    struct rpr_endpoint ept;
    FZ_CHECK(rpr_create_ept(&ept, &P.rdev, "rpmsg-echo", RPMSG_ADDR_ANY, RPMSG_ADDR_ANY,
                            echo_cb, NULL) == RPMSG_SUCCESS, "endpoint");
    FZ_CHECK(rpvp_shost_probe(P.host) == 0, "probe");
    rpvp_shost_set_send_timeout(P.host, 20000000ull); /* 20 us: waits end quickly */
    P.rdev.send_timeout_ps = 20000000ull;
    (void)rpvp_shost_run_until(P.host, have_channel, NULL, 1000000000ull);
    struct rpmsg_channel_info ci = {"fuzz", RPMSG_ADDR_ANY, RPMSG_ADDR_ANY};
    struct rpmsg_endpoint *hept = rpmsg_create_ept(rpvp_shost_ctrl_dev(P.host), host_cb, NULL, ci);
    FZ_CHECK(hept != NULL, "host endpoint");
    uint32_t remote_addr = ept.addr;

    unsigned steps = 0;
    while (fz_more(&in) && steps++ < 512) {
        uint8_t op = fz_u8(&in), sel = fz_u8(&in);
        uint16_t off = fz_u16(&in);
        uint32_t v = fz_u32(&in);
        uint8_t *t;
        switch (op % 8) {
        case 0:
        case 1: /* the peer writes 16 or 32 bits into what it owns */
            if ((t = target(hostile_host ? sel : (uint8_t)(sel | 4), off, (op & 1) ? 4 : 2)))
                memcpy(t, &v, (op & 1) ? 4 : 2);
            break;
        case 2: /* ... or 64 bits (a descriptor address) */
            if ((t = target(sel, off, 8))) {
                uint64_t a = LB_DDR_BASE + (int32_t)v;
                memcpy(t, &a, 8);
            }
            break;
        case 3: { /* a real message from the host */
            uint8_t buf[496];
            int len = (int)(v % 497);
            memset(buf, sel, sizeof buf);
            (void)rpmsg_trysendto(hept, buf, len, (off & 1) ? remote_addr : 53);
            break;
        }
        case 4: /* the remote runs */
            rpr_notify(&P.rdev, v & 1);
            lb_run_remote(&P);
            break;
        case 5: /* the host takes its interrupt (or a spurious one) */
            if (!hostile_host && (sel & 1))
                P.int_status |= v & 3;
            (void)rpvp_shost_handle_irq(P.host);
            break;
        case 6: { /* the remote sends on its own */
            uint8_t buf[64];
            memset(buf, (int)v, sizeof buf);
            (void)rpr_trysendto(&ept, buf, (int)(v % 65), (off & 1) ? hept->addr : 53);
            break;
        }
        default: /* a blocking send from the host: ends by a buffer or its timeout */
            if (sel & 1) {
                uint8_t buf[16] = {0};
                (void)rpmsg_sendto(hept, buf, (int)(v % 17), remote_addr);
            } else {
                (void)rpvp_shost_wait(P.host, 1000000ull);
            }
            break;
        }
    }
    rpmsg_destroy_ept(hept);
    rpr_destroy_ept(&ept);
    lb_fini(&P);
    return 0;
}
