/*
 * Where rpvp's programs find what they did not link in: the QEMU plugin, the reference
 * firmware, the helper scripts (tools/build-qemu.sh, tools/build-guest.sh, with the
 * files their cache keys hash) and the other programs (rpvp-synthetic).
 *
 * A program runs either from the build tree it was built in, or installed
 * (`cmake --install`): then <prefix> is the folder above its own bin/ and everything is
 * under <prefix>/share/rpvp and <prefix>/lib/rpvp. Which one is decided from the
 * program's own location (/proc/self/exe) - an installed tree can be moved - and never
 * from the current directory.
 */
#ifndef RPVP_INSTALL_PATHS_H
#define RPVP_INSTALL_PATHS_H

#ifdef __cplusplus
extern "C" {
#endif

typedef enum rpvp_path_kind {
    RPVP_PATH_PLUGIN,   /* librpvp_plugin.so, the platform QEMU's bridge loads */
    RPVP_PATH_FIRMWARE, /* rpvp-m3-fw.elf, the reference firmware */
    RPVP_PATH_DATA,     /* the folder holding tools/, bridge/qemu/, firmware/linux/, scenarios/ */
    RPVP_PATH_BIN       /* the folder of the running program (rpvp-synthetic is there too) */
} rpvp_path_kind;

/* The path, absolute; a static string. */
const char *rpvp_path(rpvp_path_kind kind);
/* 1 when the running program is an installed one. */
int rpvp_paths_installed(void);

#ifdef __cplusplus
}
#endif
#endif
