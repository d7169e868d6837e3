/*
 * rpvp firmware loader (see loader.h). Checks in the order Linux remoteproc does:
 * ELF header, program headers, section headers, resource table; then writes.
 * All offsets from the file are checked in 64-bit arithmetic before use.
 */
#include "loader.h"

#include <elf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rpvp/remoteproc.h"

#define RSC_SECTION ".resource_table"

struct image {
    const uint8_t *data;
    size_t size;
    Elf32_Ehdr eh;
    const rpvp_fw_region *map;
    unsigned num_regions;
    char *err;
    size_t err_len;
};

static int fail(struct image *im, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int fail(struct image *im, int code, const char *fmt, ...)
{
    if (im->err && im->err_len) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(im->err, im->err_len, fmt, ap);
        va_end(ap);
    }
    return code;
}

/* 1 if [off, off+len) lies in [0, size). */
static int in_bounds(uint64_t off, uint64_t len, uint64_t size)
{
    return off <= size && len <= size - off;
}

const char *rpvp_fw_strerror(int code)
{
    switch (code) {
    case RPVP_FW_OK: return "ok";
    case RPVP_FW_EIO: return "cannot read file";
    case RPVP_FW_ENOTELF: return "not an ELF file";
    case RPVP_FW_EFORMAT: return "unsupported ELF format";
    case RPVP_FW_EMACHINE: return "wrong machine";
    case RPVP_FW_ESEGMENT: return "segment outside the file";
    case RPVP_FW_EMEMORY: return "segment outside memory";
    case RPVP_FW_ENORSC: return "no resource table";
    case RPVP_FW_ERSC: return "bad resource table";
    case RPVP_FW_EWRITE: return "memory write failed";
    case RPVP_FW_EINVAL: return "invalid argument";
    default: return "unknown error";
    }
}

int rpvp_fw_da_to_pa(const rpvp_fw_region *map, unsigned num_regions, uint32_t da,
                     uint32_t len, uint64_t *pa)
{
    for (unsigned i = 0; i < num_regions; i++) {
        const rpvp_fw_region *r = &map[i];
        if (da >= r->da && in_bounds((uint64_t)da - r->da, len, r->len)) {
            *pa = r->pa + (da - r->da);
            return 1;
        }
    }
    return 0;
}

static int check_header(struct image *im)
{
    if (im->size < EI_NIDENT || memcmp(im->data, ELFMAG, SELFMAG) != 0)
        return fail(im, RPVP_FW_ENOTELF, "not an ELF file (no \\177ELF magic)");
    if (im->data[EI_CLASS] != ELFCLASS32)
        return fail(im, RPVP_FW_EFORMAT, "not a 32-bit ELF (EI_CLASS %u)", im->data[EI_CLASS]);
    if (im->data[EI_DATA] != ELFDATA2LSB)
        return fail(im, RPVP_FW_EFORMAT, "not a little-endian ELF (EI_DATA %u)",
                    im->data[EI_DATA]);
    if (im->size < sizeof im->eh)
        return fail(im, RPVP_FW_ENOTELF, "truncated ELF header (%zu bytes)", im->size);
    memcpy(&im->eh, im->data, sizeof im->eh);
    if (im->eh.e_machine != EM_ARM)
        return fail(im, RPVP_FW_EMACHINE, "wrong machine: e_machine %u, expected EM_ARM (%u)",
                    im->eh.e_machine, EM_ARM);
    if (im->eh.e_type != ET_EXEC)
        return fail(im, RPVP_FW_EFORMAT, "not an executable (e_type %u, expected ET_EXEC)",
                    im->eh.e_type);
    if (im->eh.e_phnum == 0)
        return fail(im, RPVP_FW_ESEGMENT, "no program headers");
    if (im->eh.e_phentsize != sizeof(Elf32_Phdr) ||
        !in_bounds(im->eh.e_phoff, (uint64_t)im->eh.e_phnum * sizeof(Elf32_Phdr), im->size))
        return fail(im, RPVP_FW_ESEGMENT, "program header table outside the file");
    if (im->eh.e_shnum == 0 || im->eh.e_shentsize != sizeof(Elf32_Shdr) ||
        !in_bounds(im->eh.e_shoff, (uint64_t)im->eh.e_shnum * sizeof(Elf32_Shdr), im->size) ||
        im->eh.e_shstrndx >= im->eh.e_shnum)
        return fail(im, RPVP_FW_ENORSC, "no usable section header table, so no resource table");
    return 0;
}

static Elf32_Phdr phdr(const struct image *im, unsigned i)
{
    Elf32_Phdr ph;
    memcpy(&ph, im->data + im->eh.e_phoff + i * sizeof ph, sizeof ph);
    return ph;
}

static Elf32_Shdr shdr(const struct image *im, unsigned i)
{
    Elf32_Shdr sh;
    memcpy(&sh, im->data + im->eh.e_shoff + i * sizeof sh, sizeof sh);
    return sh;
}

static int check_segments(struct image *im, rpvp_fw_info *info)
{
    for (unsigned i = 0; i < im->eh.e_phnum; i++) {
        Elf32_Phdr ph = phdr(im, i);
        uint64_t pa;
        if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
            continue;
        if (ph.p_filesz > ph.p_memsz)
            return fail(im, RPVP_FW_ESEGMENT, "segment %u: p_filesz 0x%x > p_memsz 0x%x", i,
                        ph.p_filesz, ph.p_memsz);
        if (!in_bounds(ph.p_offset, ph.p_filesz, im->size))
            return fail(im, RPVP_FW_ESEGMENT,
                        "segment %u: file bytes 0x%x+0x%x beyond the end of the file (0x%zx)", i,
                        ph.p_offset, ph.p_filesz, im->size);
        if (!rpvp_fw_da_to_pa(im->map, im->num_regions, ph.p_paddr, ph.p_memsz, &pa))
            return fail(im, RPVP_FW_EMEMORY,
                        "segment %u outside memory: da 0x%08x..0x%08llx is not in the "
                        "remote core's address map",
                        i, ph.p_paddr, (unsigned long long)ph.p_paddr + ph.p_memsz - 1);
        info->num_segments++;
        info->loaded_bytes += ph.p_memsz;
    }
    if (info->num_segments == 0)
        return fail(im, RPVP_FW_ESEGMENT, "no loadable (PT_LOAD) segment");
    return 0;
}

/* Find .resource_table; fills *out. */
static int find_rsc_section(struct image *im, Elf32_Shdr *out)
{
    Elf32_Shdr strtab = shdr(im, im->eh.e_shstrndx);
    if (!in_bounds(strtab.sh_offset, strtab.sh_size, im->size))
        return fail(im, RPVP_FW_ENORSC, "section name table outside the file");
    for (unsigned i = 0; i < im->eh.e_shnum; i++) {
        Elf32_Shdr sh = shdr(im, i);
        if (sh.sh_name >= strtab.sh_size ||
            strtab.sh_size - sh.sh_name < sizeof RSC_SECTION)
            continue;
        if (memcmp(im->data + strtab.sh_offset + sh.sh_name, RSC_SECTION, sizeof RSC_SECTION))
            continue;
        if (sh.sh_type == SHT_NOBITS || !in_bounds(sh.sh_offset, sh.sh_size, im->size))
            return fail(im, RPVP_FW_ERSC, "resource table section outside the file");
        *out = sh;
        return 0;
    }
    return fail(im, RPVP_FW_ENORSC, "no resource table (section \"" RSC_SECTION "\" missing)");
}

/* The table must be in a loaded segment's file bytes: the host edits the loaded copy. */
static int rsc_in_segment(const struct image *im, const Elf32_Shdr *sh)
{
    for (unsigned i = 0; i < im->eh.e_phnum; i++) {
        Elf32_Phdr ph = phdr(im, i);
        if (ph.p_type == PT_LOAD && sh->sh_addr >= ph.p_vaddr &&
            in_bounds((uint64_t)sh->sh_addr - ph.p_vaddr, sh->sh_size, ph.p_filesz) &&
            (uint64_t)sh->sh_offset == (uint64_t)ph.p_offset + (sh->sh_addr - ph.p_vaddr))
            return 1;
    }
    return 0;
}

/* Size of each known entry's body (after the 4-byte type). */
static uint32_t rsc_body_size(uint32_t type)
{
    switch (type) {
    case RSC_CARVEOUT: return sizeof(struct fw_rsc_carveout);
    case RSC_DEVMEM: return sizeof(struct fw_rsc_devmem);
    case RSC_TRACE: return sizeof(struct fw_rsc_trace);
    case RSC_VDEV: return sizeof(struct fw_rsc_vdev);
    default: return 0;
    }
}

/* Validate the table in `tab` (a private copy) and patch carveout pa's. */
static int check_rsc(struct image *im, uint8_t *tab, uint32_t size, rpvp_fw_info *info)
{
    struct resource_table hdr;
    if (size < sizeof hdr)
        return fail(im, RPVP_FW_ERSC, "resource table too small (%u bytes)", size);
    memcpy(&hdr, tab, sizeof hdr);
    if (hdr.ver != 1)
        return fail(im, RPVP_FW_ERSC, "resource table version %u, expected 1", hdr.ver);
    if (hdr.reserved[0] || hdr.reserved[1])
        return fail(im, RPVP_FW_ERSC, "resource table reserved fields are not zero");
    if (!in_bounds(sizeof hdr, (uint64_t)hdr.num * 4u, size))
        return fail(im, RPVP_FW_ERSC, "resource table: %u entries do not fit in %u bytes",
                    hdr.num, size);
    info->rsc_entries = hdr.num;

    for (uint32_t i = 0; i < hdr.num; i++) {
        uint32_t off, type;
        memcpy(&off, tab + sizeof hdr + 4u * i, 4);
        if (!in_bounds(off, sizeof type, size))
            return fail(im, RPVP_FW_ERSC,
                        "resource table entry %u: bad offset 0x%x (table is %u bytes)", i, off,
                        size);
        memcpy(&type, tab + off, 4);
        uint32_t body = off + 4u;
        if (type >= 128 && type <= 512) { /* RSC_VENDOR_START..END: vendor-specific */
            info->num_vendor++;
            continue;
        }
        uint32_t need = rsc_body_size(type);
        if (need == 0)
            return fail(im, RPVP_FW_ERSC, "resource table entry %u: unknown type %u", i, type);
        if (!in_bounds(body, need, size))
            return fail(im, RPVP_FW_ERSC,
                        "resource table entry %u (type %u) runs past the table end", i, type);
        uint8_t *p = tab + body;
        uint64_t pa;
        switch (type) {
        case RSC_CARVEOUT: {
            struct fw_rsc_carveout c;
            memcpy(&c, p, sizeof c);
            if (c.da == FW_RSC_ADDR_ANY || !rpvp_fw_da_to_pa(im->map, im->num_regions, c.da,
                                                             c.len, &pa))
                return fail(im, RPVP_FW_EMEMORY,
                            "carveout \"%.32s\" da 0x%08x len 0x%x outside memory", c.name,
                            c.da, c.len);
            if (c.pa == FW_RSC_ADDR_ANY) {
                c.pa = (uint32_t)pa;
                memcpy(p, &c, sizeof c);
            }
            info->num_carveouts++;
            break;
        }
        case RSC_DEVMEM: {
            struct fw_rsc_devmem d;
            memcpy(&d, p, sizeof d);
            if ((uint64_t)d.da + d.len > 0x100000000ull)
                return fail(im, RPVP_FW_ERSC, "devmem \"%.32s\" wraps the address space",
                            d.name);
            info->num_devmems++;
            break;
        }
        case RSC_TRACE: {
            struct fw_rsc_trace t;
            memcpy(&t, p, sizeof t);
            if (!rpvp_fw_da_to_pa(im->map, im->num_regions, t.da, t.len, &pa))
                return fail(im, RPVP_FW_EMEMORY, "trace buffer da 0x%08x len 0x%x outside memory",
                            t.da, t.len);
            if (info->num_traces++ == 0) {
                info->trace_da = t.da;
                info->trace_pa = pa;
                info->trace_len = t.len;
            }
            break;
        }
        case RSC_VDEV: {
            struct fw_rsc_vdev v;
            memcpy(&v, p, sizeof v);
            uint64_t total = sizeof v + (uint64_t)v.num_of_vrings *
                                            sizeof(struct fw_rsc_vdev_vring) + v.config_len;
            if (!in_bounds(body, total, size))
                return fail(im, RPVP_FW_ERSC,
                            "vdev entry %u: %u vrings + %u config bytes run past the table end",
                            i, v.num_of_vrings, v.config_len);
            if (info->num_vdevs++ == 0)
                info->vdev_offset = body;
            break;
        }
        }
    }
    return 0;
}

static int write_zeros(rpvp_fw_write_fn wr, void *ctx, uint64_t pa, uint32_t len)
{
    static const uint8_t zeros[4096];
    while (len) {
        uint32_t n = len < sizeof zeros ? len : (uint32_t)sizeof zeros;
        if (wr(ctx, pa, zeros, n))
            return -1;
        pa += n;
        len -= n;
    }
    return 0;
}

static int write_image(struct image *im, rpvp_fw_write_fn wr, void *ctx, const uint8_t *tab,
                       const rpvp_fw_info *info)
{
    for (unsigned i = 0; i < im->eh.e_phnum; i++) {
        Elf32_Phdr ph = phdr(im, i);
        uint64_t pa;
        if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
            continue;
        rpvp_fw_da_to_pa(im->map, im->num_regions, ph.p_paddr, ph.p_memsz, &pa);
        if ((ph.p_filesz && wr(ctx, pa, im->data + ph.p_offset, ph.p_filesz)) ||
            write_zeros(wr, ctx, pa + ph.p_filesz, ph.p_memsz - ph.p_filesz))
            return fail(im, RPVP_FW_EWRITE, "writing segment %u at 0x%llx failed", i,
                        (unsigned long long)pa);
    }
    if (wr(ctx, info->rsc_pa, tab, info->rsc_size))
        return fail(im, RPVP_FW_EWRITE, "writing the resource table failed");
    return 0;
}

int rpvp_fw_load(const uint8_t *image, size_t size, const rpvp_fw_region *map,
                 unsigned num_regions, rpvp_fw_write_fn mem_write, void *ctx,
                 rpvp_fw_info *info, char *err, size_t err_len)
{
    struct image im;
    rpvp_fw_info local;
    Elf32_Shdr rsc;
    int rc;

    memset(&im, 0, sizeof im);
    im.data = image;
    im.size = size;
    im.map = map;
    im.num_regions = num_regions;
    im.err = err;
    im.err_len = err_len;
    if (!info)
        info = &local;
    memset(info, 0, sizeof *info);
    if (err && err_len)
        err[0] = '\0';
    if (!image || (!map && num_regions))
        return fail(&im, RPVP_FW_EINVAL, "no image or address map given");
    if ((rc = check_header(&im)) || (rc = check_segments(&im, info)) ||
        (rc = find_rsc_section(&im, &rsc)))
        return rc;
    info->entry = im.eh.e_entry;
    if (!rsc_in_segment(&im, &rsc))
        return fail(&im, RPVP_FW_ERSC, "resource table (da 0x%08x) is not in a loaded segment",
                    rsc.sh_addr);

    uint8_t *tab = malloc(rsc.sh_size ? rsc.sh_size : 1);
    if (!tab)
        return fail(&im, RPVP_FW_EINVAL, "out of memory");
    memcpy(tab, image + rsc.sh_offset, rsc.sh_size);
    info->rsc_da = rsc.sh_addr;
    info->rsc_size = rsc.sh_size;
    if (!rpvp_fw_da_to_pa(map, num_regions, rsc.sh_addr, rsc.sh_size, &info->rsc_pa))
        rc = fail(&im, RPVP_FW_EMEMORY, "resource table da 0x%08x outside memory", rsc.sh_addr);
    else
        rc = check_rsc(&im, tab, rsc.sh_size, info);
    if (!rc && mem_write)
        rc = write_image(&im, mem_write, ctx, tab, info);
    free(tab);
    return rc;
}

int rpvp_fw_load_file(const char *path, const rpvp_fw_region *map, unsigned num_regions,
                      rpvp_fw_write_fn mem_write, void *ctx, rpvp_fw_info *info, char *err,
                      size_t err_len)
{
    char msg[256];
    uint8_t *buf = NULL;
    long size = -1;
    FILE *f = fopen(path, "rb");
    int rc = RPVP_FW_EIO;

    if (f && fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
        (buf = malloc(size ? (size_t)size : 1)) && fread(buf, 1, (size_t)size, f) == (size_t)size)
        rc = rpvp_fw_load(buf, (size_t)size, map, num_regions, mem_write, ctx, info, msg,
                          sizeof msg);
    else
        snprintf(msg, sizeof msg, "cannot read the file");
    if (f)
        fclose(f);
    free(buf);
    if (rc && err && err_len)
        snprintf(err, err_len, "%s: %s", path, msg);
    return rc;
}
