/* ELF32 loader for rpvp-cm3: see cm3_elf.h. Every field is bounds-checked against the
 * file size: a bad image gives a message, never a crash. */
#include "cm3_elf.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { EI_NIDENT = 16, ET_EXEC = 2, EM_ARM = 40, PT_LOAD = 1 };

static uint32_t le32(const uint8_t *p) { return p[0] | (p[1] << 8) | (p[2] << 16) | ((uint32_t)p[3] << 24); }
static uint16_t le16(const uint8_t *p) { return (uint16_t)(p[0] | (p[1] << 8)); }

int cm3_elf_load(const uint8_t *img, size_t size,
                 int (*write)(void *ctx, uint32_t addr, const void *data, uint32_t len),
                 void *ctx, cm3_elf_info *info, char *err, size_t errlen)
{
    memset(info, 0, sizeof *info);
    if (size < 52 || memcmp(img, "\177ELF", 4) != 0) {
        snprintf(err, errlen, "not an ELF file");
        return -1;
    }
    if (img[4] != 1 || img[5] != 1) {
        snprintf(err, errlen, "not a 32-bit little-endian ELF");
        return -1;
    }
    if (le16(img + 16) != ET_EXEC || le16(img + 18) != EM_ARM) {
        snprintf(err, errlen, "not an ARM executable (e_type %u, e_machine %u)",
                 le16(img + 16), le16(img + 18));
        return -1;
    }
    uint32_t phoff = le32(img + 28);
    unsigned phentsize = le16(img + 42), phnum = le16(img + 44);
    if (phentsize < 32 || phnum == 0 || phoff > size || (size_t)phnum * phentsize > size - phoff) {
        snprintf(err, errlen, "bad program header table");
        return -1;
    }
    info->entry = le32(img + 24);
    info->lowest = 0xffffffffu;
    for (unsigned i = 0; i < phnum; i++) {
        const uint8_t *ph = img + phoff + (size_t)i * phentsize;
        if (le32(ph) != PT_LOAD) continue;
        uint32_t off = le32(ph + 4), paddr = le32(ph + 12);
        uint32_t filesz = le32(ph + 16), memsz = le32(ph + 20);
        if (memsz == 0) continue;
        if (filesz > memsz || off > size || filesz > size - off ||
            (uint64_t)paddr + memsz > 0x100000000ull) {
            snprintf(err, errlen, "bad PT_LOAD segment %u", i);
            return -1;
        }
        if (filesz && write(ctx, paddr, img + off, filesz)) {
            snprintf(err, errlen, "segment %u [0x%08x, 0x%08x) is outside memory", i, paddr,
                     paddr + memsz);
            return -1;
        }
        /* The bss part goes to the callback as data NULL ("zeros"): it checks the range
         * against its memory map first, so a huge p_memsz costs nothing (issue 16 #4). */
        if (memsz > filesz && write(ctx, paddr + filesz, NULL, memsz - filesz)) {
            snprintf(err, errlen, "segment %u bss [0x%08x, 0x%08x) is outside memory", i,
                     paddr + filesz, paddr + memsz);
            return -1;
        }
        if (paddr < info->lowest) info->lowest = paddr;
        if (paddr + memsz > info->highest) info->highest = paddr + memsz;
        info->nsegments++;
    }
    if (!info->nsegments) {
        snprintf(err, errlen, "no loadable segment");
        return -1;
    }
    return 0;
}
