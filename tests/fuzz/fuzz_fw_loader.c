/*
 * Fuzz target 3: the ELF readers. Every input is given to both
 *  - the platform's firmware loader (platforms/omap4-amp/loader.c: ELF, program headers,
 *    sections, the .resource_table and its entries) with the M3 map of the reference
 *    platform, and
 *  - the stand-alone M3 runner's ELF loader (models/cpu/cortex-m3/cm3_elf.c) with
 *    rpvp-cm3's default memory map.
 * Each write must land inside the map it was given, carry readable data of its length
 * (ASan checks the source range) and the whole load must stay within the loader's own
 * accounting; a refusal must come with a message.
 */
#include <string.h>

#include "cm3_elf.h"
#include "fuzz_input.h"
#include "loader.h"

/* The reference platform's M3 map (platforms/omap4-amp: carveout at M3 address 0). */
static const rpvp_fw_region map[] = {
    {0x00000000u, 16u << 20, 0x8F000000ull, "carveout"},
    {0x80000000u, 240u << 20, 0x80000000ull, "ddr"},
};

static uint64_t written;

static int in_map(uint64_t pa, size_t len)
{
    for (unsigned i = 0; i < sizeof map / sizeof *map; i++)
        if (pa >= map[i].pa && len <= map[i].len && pa - map[i].pa <= map[i].len - len)
            return 1;
    return 0;
}

static int fw_write(void *ctx, uint64_t pa, const void *data, size_t len)
{
    (void)ctx;
    FZ_CHECK(data != NULL || len == 0, "fw write without data");
    FZ_CHECK(in_map(pa, len), "fw write 0x%llx+%zu outside the map", (unsigned long long)pa,
             len);
    volatile uint8_t sum = 0;
    if (len) /* touch both ends: ASan reports a source range that is not the input's */
        sum ^= ((const uint8_t *)data)[0] ^ ((const uint8_t *)data)[len - 1];
    (void)sum;
    written += len;
    return 0;
}

/* rpvp-cm3's default map: 4 MiB at 0 and 4 MiB at 0x20000000. */
static int cm3_write(void *ctx, uint32_t addr, const void *data, uint32_t len)
{
    (void)ctx;
    int ok = (addr < (4u << 20) && len <= (4u << 20) - addr) ||
             (addr - 0x20000000u < (4u << 20) && len <= (4u << 20) - (addr - 0x20000000u));
    if (!ok)
        return -1;
    if (data && len) {
        volatile uint8_t sum = ((const uint8_t *)data)[0] ^ ((const uint8_t *)data)[len - 1];
        (void)sum;
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rpvp_fw_info info;
    char err[256];
    err[0] = '\0';
    written = 0;
    int rc = rpvp_fw_load(data, size, map, 2, fw_write, NULL, &info, err, sizeof err);
    if (rc == RPVP_FW_OK) {
        FZ_CHECK(written >= info.loaded_bytes, "wrote %llu of %u loaded bytes",
                 (unsigned long long)written, info.loaded_bytes);
        FZ_CHECK(info.rsc_size > 0 && in_map(info.rsc_pa, info.rsc_size), "table at 0x%llx",
                 (unsigned long long)info.rsc_pa);
    } else {
        FZ_CHECK(rc < 0 && err[0] != '\0', "refusal %d without message", rc);
        FZ_CHECK(rpvp_fw_strerror(rc) != NULL, "strerror");
    }
    /* Check-only mode writes nothing and agrees with the loading one. */
    written = 0;
    int rc2 = rpvp_fw_load(data, size, map, 2, NULL, NULL, &info, err, sizeof err);
    FZ_CHECK(rc2 == rc || rc == RPVP_FW_EWRITE, "check-only %d, load %d", rc2, rc);
    FZ_CHECK(written == 0, "check-only mode wrote");

    cm3_elf_info ci;
    err[0] = '\0';
    if (cm3_elf_load(data, size, cm3_write, NULL, &ci, err, sizeof err) == 0)
        FZ_CHECK(ci.nsegments > 0 && ci.lowest <= ci.highest, "cm3 load info");
    else
        FZ_CHECK(err[0] != '\0', "cm3 refusal without message");
    return 0;
}
