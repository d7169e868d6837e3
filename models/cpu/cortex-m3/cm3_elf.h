/*
 * Minimal ELF32 little-endian ARM executable reader for rpvp-cm3 (ELF spec, "ELF for the
 * ARM Architecture" IHI 0044). Loads PT_LOAD segments at their physical address
 * (p_paddr, as QEMU's -kernel does) through a caller-supplied write function; zero-fills
 * p_memsz beyond p_filesz. Not handled: relocations, ELF64, big-endian, sections.
 */
#ifndef RPVP_CM3_ELF_H
#define RPVP_CM3_ELF_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cm3_elf_info {
    uint32_t entry;
    uint32_t lowest, highest;   /* lowest load address, end of the highest segment */
    unsigned nsegments;
} cm3_elf_info;

/* Returns 0 on success, else writes a message into err. `write` returns 0 on success;
 * data NULL means "len zero bytes" (p_memsz beyond p_filesz): check the range before
 * filling, never allocate len bytes (a 84-byte ELF may ask for 4 GiB). */
int cm3_elf_load(const uint8_t *img, size_t size,
                 int (*write)(void *ctx, uint32_t addr, const void *data, uint32_t len),
                 void *ctx, cm3_elf_info *info, char *err, size_t errlen);

#ifdef __cplusplus
}
#endif
#endif
