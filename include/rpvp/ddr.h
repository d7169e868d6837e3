/*
 * rpvp shared DDR: the platform's main memory as a file in /dev/shm that other
 * processes can map (QEMU maps the same file as its guest RAM with
 * memory-backend-file,share=on), so bytes written by Linux are the bytes the M3 reads.
 *
 * Timing (one table, docs/models/ddr.md): an access of `len` bytes costs
 *   latency + (beats - 1) * per_beat,  beats = ceil(len / beat_bytes)
 * with separate first-beat latencies for reads and writes. DMI grants carry the
 * first-beat latencies.
 *
 * Not modelled: banks, row hits/misses, refresh, contention.
 */
#ifndef RPVP_DDR_H
#define RPVP_DDR_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct rpvp_ddr_timing {
    uint64_t read_latency_ps;  /* first beat of a read */
    uint64_t write_latency_ps; /* first beat of a write */
    uint64_t per_beat_ps;      /* each further beat */
    uint32_t beat_bytes;       /* bus width in bytes (>= 1) */
} rpvp_ddr_timing;

/* Defaults: a 32-bit LPDDR2-400-like interface seen from the interconnect. */
#define RPVP_DDR_TIMING_DEFAULT { 40000, 30000, 2500, 4 }

typedef struct rpvp_ddr rpvp_ddr;

/* Create /dev/shm/<name> (or <dir>/<name> when dir is not NULL) of `size` bytes,
 * exclusively, reserve its blocks and map it. On failure returns NULL and writes a
 * one-line reason into err (e.g. the name exists: another rpvp running, or a stale file;
 * size 0 or larger than the free space of the directory; the directory is missing). */
rpvp_ddr *rpvp_ddr_create(const char *dir, const char *name, uint64_t size, char *err,
                          size_t errlen);
/* Map an existing file (a second process, e.g. a test peer). Size is the file's. */
rpvp_ddr *rpvp_ddr_open(const char *path, char *err, size_t errlen);
/* Unmap; the creator also removes the file. NULL is allowed. */
void rpvp_ddr_destroy(rpvp_ddr *d);

uint8_t *rpvp_ddr_data(const rpvp_ddr *d);
uint64_t rpvp_ddr_size(const rpvp_ddr *d);
const char *rpvp_ddr_path(const rpvp_ddr *d);

/* Cost of one access, per the table above. */
uint64_t rpvp_ddr_access_ps(const rpvp_ddr_timing *t, int is_write, uint64_t len);

#ifdef __cplusplus
}
#endif
#endif
