/* The omap4-amp platform description and the device tree generated from it
 * (platform_desc.h). Every address, size and interrupt of the platform is written here. */
#define _GNU_SOURCE
#include "platform_desc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rpvp/mbox_channels.h"
#include "rpvp/rproc_ctrl.h"

/* Linux side: QEMU virt. RAM at 0x40000000; rpvp's bridge window in a free slot below
 * virt's own virtio-mmio transports (0x0a000000..), on free SPIs (virt uses 1..9 and
 * 16..47). One 4 KiB page per block. */
#define DDR_PA          0x40000000ull
#define DDR_SIZE        (256ull << 20)
#define WINDOW_BASE     0x0b000000ull
#define WINDOW_SIZE     0x4000ull
#define FIRST_SPI       10u
#define IRQ_VDEV        0   /* SPI 10 */
#define IRQ_MBOX_HOST   1   /* SPI 11: mailbox user 0 */
#define IRQ_WDG_M3      2   /* SPI 12: the M3's watchdog / crash line */
#define NUM_IRQS        3u  /* = RPVP_REMOTE_LINES: lines 0..2 are remote 0's */
#define FREE_SPI_END    16u /* virt's own virtio-mmio transports start at SPI 16 */
/* Where the lines go when 10..15 are too few (3 or 4 remotes): above virt's platform
 * bus (SPIs 112..175); a GICv2 virt has 256 SPIs. */
#define HIGH_FIRST_SPI  176u
/* The remote: OMAP4's Ducati view. */
#define CARVEOUT_SIZE   (16ull << 20)
#define CARVEOUT_DA     0x00000000u
#define M3_MBOX_DA      0xAA0F4000u /* the L4_CFG mailbox through the L3 window */
#define M3_MBOX_IRQ     34u         /* Ducati's mailbox NVIC line */
#define M3_WDT_DA       0xAA314000u /* WD_TIMER2 (L4_WKUP 0x4A314000) through the L3 window */
#define VRING_REGION    0x4000ull   /* one vring of 256 entries, 4 KiB aligned: 10.3 KiB */
#define VDEV_BUF_SIZE   0x80000ull  /* 512 buffers of 512 bytes need 256 KiB */
/* The virtio device's L3 view (OMAP4 EMIF base, L4_CFG mailbox). */
#define VDEV_DDR_BASE   0x80000000ull
#define VDEV_MBOX_BASE  0x4A0F4000ull

static rpvp_host_block block(const char *name, uint64_t off, uint64_t dt_size, int irq)
{
    rpvp_host_block b = {name, WINDOW_BASE + off, 0x1000, dt_size, irq};
    return b;
}

void rpvp_platform_desc_init(rpvp_platform_desc *d, rpvp_linux_route route, int remote_running)
{
    memset(d, 0, sizeof(*d));
    d->route = route;
    d->remote_running = route == RPVP_ROUTE_REMOTEPROC && remote_running;
    d->ddr_pa = DDR_PA;
    d->ddr_size = DDR_SIZE;
    d->window_base = WINDOW_BASE;
    d->window_size = WINDOW_SIZE;
    d->first_spi = FIRST_SPI;
    d->num_irqs = NUM_IRQS;
    const int rproc = route == RPVP_ROUTE_REMOTEPROC;
    /* A block of the other route stays described (name, place) with size 0: absent. */
    d->vdev = block("virtio_mmio", 0x0000, 0x200, IRQ_VDEV);
    d->mbox = block("mailbox", 0x1000, 0x200, IRQ_MBOX_HOST);
    d->syscon = block("syscon", 0x2000, RPVP_SYSCON_SIZE, -1);
    d->reset = block("reset", 0x3000, RPVP_RESET_SIZE, -1);
    if (rproc)
        d->vdev.size = 0;
    else
        d->mbox.size = d->syscon.size = d->reset.size = 0;
    d->host_mbox_user = RPVP_MBOX_HOST_USER;
    d->vdev_ddr_base = VDEV_DDR_BASE;
    d->vdev_mbox_base = VDEV_MBOX_BASE;

    d->num_remotes = 1;
    rpvp_remote_desc *m3 = &d->remote[0];
    m3->name = "m3";
    m3->win[0] = (rpvp_da_window){CARVEOUT_DA, 0, CARVEOUT_SIZE, "carveout"};
    m3->win[1] = (rpvp_da_window){0, 0, 0, "ddr"};
    m3->mbox_da = M3_MBOX_DA;
    m3->wdt_da = M3_WDT_DA;
    m3->mbox_user = RPVP_MBOX_REMOTE_USER;
    m3->mbox_nvic_irq = M3_MBOX_IRQ;
    m3->wdg_irq = IRQ_WDG_M3;
    rpvp_platform_desc_layout(d);
}

int rpvp_platform_desc_set_remotes(rpvp_platform_desc *d, unsigned n)
{
    static const char *const names[RPVP_MAX_REMOTES] = {"m3", "m3_1", "m3_2", "m3_3"};
    if (n == 0 || n > RPVP_MAX_REMOTES)
        return -1;
    for (unsigned r = 1; r < n; r++) {
        d->remote[r] = d->remote[0];
        d->remote[r].name = names[r];
        if (d->remote[0].wdg_irq >= 0)
            d->remote[r].wdg_irq = d->remote[0].wdg_irq + (int)(r * RPVP_REMOTE_LINES);
    }
    d->num_remotes = n;
    d->window_size = n * RPVP_REMOTE_SLOT;
    d->num_irqs = n * RPVP_REMOTE_LINES;
    d->first_spi = FIRST_SPI + d->num_irqs <= FREE_SPI_END ? FIRST_SPI : HIGH_FIRST_SPI;
    rpvp_platform_desc_layout(d);
    return 0;
}

rpvp_host_block rpvp_remote_block(const rpvp_platform_desc *d, const rpvp_host_block *b,
                                  unsigned r)
{
    (void)d;
    rpvp_host_block c = *b;
    c.base += r * RPVP_REMOTE_SLOT;
    if (c.irq >= 0)
        c.irq += (int)(r * RPVP_REMOTE_LINES);
    return c;
}

void rpvp_platform_desc_layout(rpvp_platform_desc *d)
{
    uint64_t top = d->ddr_pa + d->ddr_size;
    for (unsigned i = 0; i < d->num_remotes; i++) {
        rpvp_remote_desc *r = &d->remote[i];
        /* The carveout at the top of what is left of DDR; the vrings and the vdev
         * buffer pool (Linux's allocations for this remote) just below it. */
        uint64_t cv = r->win[0].size;
        r->win[0].pa = top - cv;
        r->win[1].da = (uint32_t)d->ddr_pa;
        r->win[1].pa = d->ddr_pa;
        r->win[1].size = d->ddr_size;
        uint64_t buf = r->win[0].pa - VDEV_BUF_SIZE;
        uint64_t vr1 = buf - VRING_REGION, vr0 = vr1 - VRING_REGION;
        r->num_reserved = 4;
        r->reserved[0] = (rpvp_reserved){"M3_CODE_DATA", r->win[0].pa, cv, 0};
        r->reserved[1] = (rpvp_reserved){"vdev0vring0", vr0, VRING_REGION, 0};
        r->reserved[2] = (rpvp_reserved){"vdev0vring1", vr1, VRING_REGION, 0};
        r->reserved[3] = (rpvp_reserved){"vdev0buffer", buf, VDEV_BUF_SIZE, 1};
        top = vr0;
    }
}

static int overlap(uint64_t a, uint64_t as, uint64_t b, uint64_t bs)
{
    return as && bs && a < b + bs && b < a + as;
}

int rpvp_platform_desc_check(const rpvp_platform_desc *d, char *err, size_t n)
{
    if (d->num_remotes == 0 || d->num_remotes > RPVP_MAX_REMOTES) {
        snprintf(err, n, "%u remotes: 1..%d supported", d->num_remotes, RPVP_MAX_REMOTES);
        return -1;
    }
    if (d->first_spi < FREE_SPI_END && d->first_spi + d->num_irqs > FREE_SPI_END) {
        snprintf(err, n, "bridge lines on SPIs %u..%u reach QEMU virt's own (from %u)",
                 d->first_spi, d->first_spi + d->num_irqs - 1, FREE_SPI_END);
        return -1;
    }
    const rpvp_host_block *own[] = {&d->vdev, &d->mbox, &d->syscon, &d->reset};
    rpvp_host_block all[4 * RPVP_MAX_REMOTES];
    for (unsigned i = 0; i < 4 * d->num_remotes; i++)
        all[i] = rpvp_remote_block(d, own[i % 4], i / 4);
    for (unsigned i = 0; i < 4 * d->num_remotes; i++) {
        const rpvp_host_block *b = &all[i];
        if (b->size && (b->base < d->window_base ||
                        b->base + b->size > d->window_base + d->window_size)) {
            snprintf(err, n, "%s at 0x%llx is outside the bridge window", b->name,
                     (unsigned long long)b->base);
            return -1;
        }
        if (b->size && b->irq >= (int)d->num_irqs) {
            snprintf(err, n, "%s: interrupt line %d beyond the bridge's %u", b->name, b->irq,
                     d->num_irqs);
            return -1;
        }
        for (unsigned j = 0; j < i; j++)
            if (overlap(b->base, b->size, all[j].base, all[j].size)) {
                snprintf(err, n, "%s overlaps %s", b->name, all[j].name);
                return -1;
            }
    }
    for (unsigned i = 0; i < d->num_remotes; i++) {
        const rpvp_remote_desc *r = &d->remote[i];
        const uint64_t cv = r->win[0].size;
        if (cv == 0 || cv > d->ddr_size || (cv & 0xfff)) {
            snprintf(err, n, "remote %s: carveout of %llu bytes (1 page .. DDR size)", r->name,
                     (unsigned long long)cv);
            return -1;
        }
        for (unsigned k = 0; k < r->num_reserved; k++)
            if (r->reserved[k].pa < d->ddr_pa ||
                r->reserved[k].pa + r->reserved[k].size > d->ddr_pa + d->ddr_size) {
                snprintf(err, n, "remote %s: %s outside DDR", r->name, r->reserved[k].name);
                return -1;
            }
    }
    return 0;
}

int rpvp_linux_route_parse(const char *s, rpvp_linux_route *out)
{
    if (!strcmp(s, "virtio-mmio"))
        *out = RPVP_ROUTE_VIRTIO_MMIO;
    else if (!strcmp(s, "remoteproc"))
        *out = RPVP_ROUTE_REMOTEPROC;
    else
        return -1;
    return 0;
}

const char *rpvp_linux_route_name(rpvp_linux_route r)
{
    return r == RPVP_ROUTE_REMOTEPROC ? "remoteproc" : "virtio-mmio";
}

/* --- device tree --- */

typedef struct strbuf {
    char *s;
    size_t len, cap;
} strbuf;

static void out(strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void out(strbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (b->len + (size_t)n + 1 > b->cap) {
        b->cap = (b->len + (size_t)n + 1) * 2;
        b->s = realloc(b->s, b->cap);
        if (!b->s)
            abort();
    }
    va_start(ap, fmt);
    vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

#define HI(x) ((unsigned)((uint64_t)(x) >> 32))
#define LO(x) ((unsigned)((uint64_t)(x) & 0xffffffffu))

static void reg2(strbuf *b, uint64_t base, uint64_t size)
{
    out(b, "reg = <0x%x 0x%x 0x%x 0x%x>;", HI(base), LO(base), HI(size), LO(size));
}

/* The label of remote r's copy of a host block: remote 0 keeps the plain one
 * ("rpvp_mailbox"), remote r > 0 gets "rpvp_mailbox_<r>". */
static void label(char *buf, size_t n, const char *base, unsigned r)
{
    if (r)
        snprintf(buf, n, "%s_%u", base, r);
    else
        snprintf(buf, n, "%s", base);
}

static void dt_remote(strbuf *b, const rpvp_platform_desc *d, unsigned i)
{
    static const char *const chan[] = RPVP_MBOX_CHANNEL_NAMES;
    const rpvp_remote_desc *r = &d->remote[i];
    char mbox[32], syscon[32], reset[32];
    label(mbox, sizeof mbox, "rpvp_mailbox", i);
    label(syscon, sizeof syscon, "rpvp_syscon", i);
    label(reset, sizeof reset, "rpvp_reset", i);
    out(b, "\t\t\t%s {\n\t\t\t\tcompatible = \"st,stm32mp1-m4\";\n", r->name);
    out(b, "\t\t\t\tmboxes =");
    for (unsigned c = 0; c < RPVP_MBOX_NUM_CHANNELS; c++)
        out(b, "%s<&%s &rpvp_mbox_%s_%s>", c ? ", " : " ", mbox, r->name, chan[c]);
    out(b, ";\n\t\t\t\tmbox-names =");
    for (unsigned c = 0; c < RPVP_MBOX_NUM_CHANNELS; c++)
        out(b, "%s\"%s\"", c ? ", " : " ", chan[c]);
    out(b, ";\n\t\t\t\tmemory-region =");
    for (unsigned k = 0; k < r->num_reserved; k++)
        out(b, "%s<&rpvp_%s_%s>", k ? ", " : " ", r->name, r->reserved[k].name);
    out(b, ";\n\t\t\t\tresets = <&%s 0>;\n", reset);
    out(b, "\t\t\t\tst,syscfg-holdboot = <&%s 0x%x 0x%x>;\n", syscon, RPVP_SYSCON_HOLDBOOT,
        RPVP_SYSCON_BOOT);
    out(b, "\t\t\t\tst,syscfg-tz = <&%s 0x%x 0x%x>;\n", syscon, RPVP_SYSCON_TZEN,
        RPVP_SYSCON_BOOT);
    out(b, "\t\t\t\tst,syscfg-pdds = <&%s 0x%x 0x%x>;\n", syscon, RPVP_SYSCON_PDDS,
        RPVP_SYSCON_BOOT);
    out(b, "\t\t\t\tst,syscfg-m4-state = <&%s 0x%x 0xffffffff>;\n", syscon,
        RPVP_SYSCON_STATE);
    out(b, "\t\t\t\tst,syscfg-rsc-tbl = <&%s 0x%x 0xffffffff>;\n", syscon,
        RPVP_SYSCON_RSC_TBL);
    if (r->wdg_irq >= 0)
        out(b, "\t\t\t\tinterrupts = <0x0 %u 0x1>; /* watchdog: a rising edge is a crash */\n",
            d->first_spi + (unsigned)r->wdg_irq);
    out(b, "\t\t\t};\n");
}

/* Remote i's host blocks on the remoteproc route: its own OMAP4 mailbox instance (Linux's
 * omap-mailbox as user 0 on its own interrupt, one sub-mailbox per channel of the plan,
 * include/rpvp/mbox_channels.h), its syscon and its reset controller. */
static void dt_remote_blocks(strbuf *b, const rpvp_platform_desc *d, unsigned i)
{
    static const char *const chan[] = RPVP_MBOX_CHANNEL_NAMES;
    const rpvp_remote_desc *r = &d->remote[i];
    const rpvp_host_block mb = rpvp_remote_block(d, &d->mbox, i),
                          sc = rpvp_remote_block(d, &d->syscon, i),
                          rs = rpvp_remote_block(d, &d->reset, i);
    char mbox[32], syscon[32], reset[32];
    label(mbox, sizeof mbox, "rpvp_mailbox", i);
    label(syscon, sizeof syscon, "rpvp_syscon", i);
    label(reset, sizeof reset, "rpvp_reset", i);
    out(b, "\t%s: mailbox@%llx {\n\t\tcompatible = \"ti,omap4-mailbox\";\n\t\t", mbox,
        (unsigned long long)mb.base);
    reg2(b, mb.base, mb.dt_size);
    out(b, "\n\t\tinterrupts = <0x0 %u 0x4>;\n\t\t#mbox-cells = <0x1>;\n"
           "\t\tti,mbox-num-users = <0x3>;\n\t\tti,mbox-num-fifos = <0x8>;\n",
        d->first_spi + (unsigned)mb.irq);
    for (unsigned c = 0; c < RPVP_MBOX_NUM_CHANNELS; c++)
        out(b, "\t\trpvp_mbox_%s_%s: %s-%s {\n\t\t\tti,mbox-tx = <%u 0 %u>;\n"
               "\t\t\tti,mbox-rx = <%u 0 %u>;\n\t\t};\n",
            r->name, chan[c], r->name, chan[c], RPVP_MBOX_CH_TX_FIFO(c), d->host_mbox_user,
            RPVP_MBOX_CH_RX_FIFO(c), d->host_mbox_user);
    out(b, "\t};\n");
    out(b, "\t%s: syscon@%llx {\n\t\tcompatible = \"syscon\";\n\t\t", syscon,
        (unsigned long long)sc.base);
    reg2(b, sc.base, sc.dt_size);
    out(b, "\n\t};\n");
    out(b, "\t%s: reset-controller@%llx {\n\t\tcompatible = \"snps,dw-high-reset\";\n\t\t",
        reset, (unsigned long long)rs.base);
    reg2(b, rs.base, rs.dt_size);
    out(b, "\n\t\t#reset-cells = <0x1>;\n\t};\n");
}

char *rpvp_platform_dt_fragment(const rpvp_platform_desc *d)
{
    strbuf b = {0};
    out(&b, "\n/* rpvp (generated from platforms/omap4-amp/platform_desc.c): route %s. */\n/ {\n",
        rpvp_linux_route_name(d->route));
    out(&b, "\treserved-memory {\n\t\t#address-cells = <0x2>;\n\t\t#size-cells = <0x2>;\n"
            "\t\tranges;\n");
    for (unsigned i = 0; i < d->num_remotes; i++) {
        const rpvp_remote_desc *r = &d->remote[i];
        /* On the virtio-mmio route only the carveout is reserved (rpvp's loader and the
         * virtio device need nothing else); remoteproc names every region. */
        unsigned n = d->route == RPVP_ROUTE_REMOTEPROC ? r->num_reserved : 1;
        for (unsigned k = 0; k < n; k++) {
            const rpvp_reserved *m = &r->reserved[k];
            out(&b, "\t\trpvp_%s_%s: %s@%llx {\n\t\t\t", r->name, m->name, m->name,
                (unsigned long long)m->pa);
            if (m->dma_pool)
                out(&b, "compatible = \"shared-dma-pool\";\n\t\t\t");
            reg2(&b, m->pa, m->size);
            out(&b, "\n\t\t\tno-map;\n\t\t};\n");
        }
    }
    out(&b, "\t};\n");
    for (unsigned i = 0; i < d->num_remotes && d->vdev.size; i++) {
        const rpvp_host_block v = rpvp_remote_block(d, &d->vdev, i);
        out(&b, "\tvirtio_mmio@%llx {\n\t\tcompatible = \"virtio,mmio\";\n\t\t",
            (unsigned long long)v.base);
        reg2(&b, v.base, v.dt_size);
        out(&b, "\n\t\tinterrupts = <0x0 %u 0x1>;\n\t\tdma-coherent;\n\t};\n",
            d->first_spi + (unsigned)v.irq);
    }
    if (d->route == RPVP_ROUTE_REMOTEPROC) {
        for (unsigned i = 0; i < d->num_remotes; i++)
            dt_remote_blocks(&b, d, i);
        /* stm32_rproc reads its PARENT's dma-ranges as raw <da pa size> triples; the
         * kernel's own parser wants <child parent size> in the cells of the bus and of
         * its parent. A 1-cell bus inside a 1-cell bus makes both the same. The same
         * windows configure the M3's address map. */
        out(&b, "\trpvp-remotes {\n\t\tcompatible = \"simple-bus\";\n"
                "\t\t#address-cells = <0x1>;\n\t\t#size-cells = <0x1>;\n\t\tranges;\n");
        for (unsigned i = 0; i < d->num_remotes; i++) {
            const rpvp_remote_desc *r = &d->remote[i];
            out(&b, "\t\t%s-bus {\n\t\t\tcompatible = \"simple-bus\";\n"
                    "\t\t\t#address-cells = <0x1>;\n\t\t\t#size-cells = <0x1>;\n\t\t\tranges;\n"
                    "\t\t\tdma-ranges =", r->name);
            for (unsigned w = 0; w < RPVP_REMOTE_WINDOWS; w++)
                out(&b, "%s<0x%x 0x%x 0x%x>", w ? ", " : " ", r->win[w].da, LO(r->win[w].pa),
                    LO(r->win[w].size));
            out(&b, ";\n");
            dt_remote(&b, d, i);
            out(&b, "\t\t};\n");
        }
        out(&b, "\t};\n");
    }
    out(&b, "};\n");
    return b.s;
}
