/*
 * rpvp firmware loader: places a remote processor's ELF image in memory through that
 * processor's address map and finds its remoteproc resource table, as Linux remoteproc
 * does (drivers/remoteproc/remoteproc_elf_loader.c: rproc_elf_sanity_check,
 * rproc_elf_load_segments, rproc_elf_find_rsc_table; include/linux/remoteproc.h).
 *
 * Interface:
 *   - the image: a 32-bit little-endian ELF for EM_ARM, ET_EXEC. Each PT_LOAD segment
 *     goes to its p_paddr (a device address, "da", of the remote core), filled with
 *     zeros from p_filesz to p_memsz. The section ".resource_table" must exist, lie in a
 *     loaded segment and be a well-formed struct resource_table (rpvp/remoteproc.h).
 *   - the address map: regions {da, len, pa}: device address da..da+len-1 is bus/
 *     physical address pa.. (the M3's AMMU-like window). Segments, carveouts and the
 *     trace buffer must fall inside one region.
 *   - memory is written through a callback (a host pointer, a debug transport, ...).
 *   - like Linux, a carveout whose pa is FW_RSC_ADDR_ANY gets the region's pa written
 *     into the loaded copy of the table.
 * Every refusal returns a negative RPVP_FW_E* code and a one-line message naming the
 * file's fault. Nothing is written unless every check passed.
 * Not done: RSC_DEVMEM entries are checked for bounds only (the platform maps its
 * peripherals itself); vendor-specific resource types are counted and skipped.
 */
#ifndef RPVP_FW_LOADER_H
#define RPVP_FW_LOADER_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum rpvp_fw_error {
    RPVP_FW_OK = 0,
    RPVP_FW_EIO = -1,          /* file cannot be read */
    RPVP_FW_ENOTELF = -2,      /* not an ELF file, or truncated header */
    RPVP_FW_EFORMAT = -3,      /* ELF, but not ELF32 little-endian ET_EXEC */
    RPVP_FW_EMACHINE = -4,     /* e_machine is not EM_ARM */
    RPVP_FW_ESEGMENT = -5,     /* program header or segment data outside the file */
    RPVP_FW_EMEMORY = -6,      /* a segment/carveout/trace outside the address map */
    RPVP_FW_ENORSC = -7,       /* no .resource_table section */
    RPVP_FW_ERSC = -8,         /* malformed resource table (version, offsets, sizes) */
    RPVP_FW_EWRITE = -9,       /* the memory callback failed */
    RPVP_FW_EINVAL = -10,      /* bad arguments */
};

typedef struct rpvp_fw_region {
    uint32_t da;  /* first device address */
    uint32_t len; /* bytes */
    uint64_t pa;  /* bus address of da */
    const char *name;
} rpvp_fw_region;

/* Write len bytes at bus address pa. Returns 0 on success. */
typedef int (*rpvp_fw_write_fn)(void *ctx, uint64_t pa, const void *data, size_t len);

typedef struct rpvp_fw_info {
    uint32_t entry;          /* e_entry */
    unsigned num_segments;   /* PT_LOAD segments placed */
    uint32_t loaded_bytes;   /* sum of p_memsz */
    uint32_t rsc_da;         /* resource table: device address, bus address, size */
    uint64_t rsc_pa;
    uint32_t rsc_size;
    unsigned rsc_entries;
    unsigned num_carveouts, num_vdevs, num_traces, num_devmems, num_vendor;
    uint32_t vdev_offset;    /* offset of the first RSC_VDEV's body from the table start */
    uint32_t trace_da;       /* first RSC_TRACE (0 if none) */
    uint64_t trace_pa;
    uint32_t trace_len;
} rpvp_fw_info;

/* Check an in-memory image and, if mem_write is not NULL, load it. */
int rpvp_fw_load(const uint8_t *image, size_t size, const rpvp_fw_region *map,
                 unsigned num_regions, rpvp_fw_write_fn mem_write, void *ctx,
                 rpvp_fw_info *info, char *err, size_t err_len);
/* The same for a file; the message starts with the path. */
int rpvp_fw_load_file(const char *path, const rpvp_fw_region *map, unsigned num_regions,
                      rpvp_fw_write_fn mem_write, void *ctx, rpvp_fw_info *info, char *err,
                      size_t err_len);
/* Translate a device address through the map; 1 and *pa when [da, da+len) fits one
 * region. */
int rpvp_fw_da_to_pa(const rpvp_fw_region *map, unsigned num_regions, uint32_t da,
                     uint32_t len, uint64_t *pa);
const char *rpvp_fw_strerror(int code);

#ifdef __cplusplus
}
#endif
#endif
