/* rpvp_path: build tree or installed prefix, from the program's own location. */
#define _GNU_SOURCE
#include "install_paths.h"

#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Set by CMake (platforms/omap4-amp/CMakeLists.txt): the build tree's absolute paths and
 * the install layout relative to the prefix. */
#if !defined(RPVP_BUILD_PLUGIN) || !defined(RPVP_BUILD_FIRMWARE) || !defined(RPVP_SOURCE_DIR) || \
    !defined(RPVP_INSTALL_BINDIR) || !defined(RPVP_INSTALL_PLUGIN) ||                            \
    !defined(RPVP_INSTALL_FIRMWARE) || !defined(RPVP_INSTALL_DATADIR)
#error "install_paths.c needs the RPVP_BUILD_* and RPVP_INSTALL_* definitions"
#endif

static char g_path[4][PATH_MAX];
static int g_installed;
static pthread_once_t g_once = PTHREAD_ONCE_INIT;

/* dst = a[/b][c]; a path too long for PATH_MAX is left empty (then nothing opens). */
static void join(char *dst, const char *a, const char *b, const char *c)
{
    int n = snprintf(dst, PATH_MAX, "%s%s%s%s", a, b[0] ? "/" : "", b, c);
    if (n < 0 || n >= PATH_MAX)
        dst[0] = '\0';
}

static void set(rpvp_path_kind k, const char *a, const char *b) { join(g_path[k], a, b, ""); }

static void resolve(void)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    exe[n > 0 ? n : 0] = '\0';
    char *slash = strrchr(exe, '/');
    if (slash)
        *slash = '\0';
    set(RPVP_PATH_BIN, exe, "");
    /* <prefix>/<bindir>/program: installed when <prefix>/<datadir> has the scripts. */
    const size_t lb = strlen(RPVP_INSTALL_BINDIR), le = strlen(exe);
    if (le > lb && exe[le - lb - 1] == '/' && !strcmp(exe + le - lb, RPVP_INSTALL_BINDIR)) {
        char prefix[PATH_MAX], probe[PATH_MAX];
        memcpy(prefix, exe, le - lb - 1);
        prefix[le - lb - 1] = '\0';
        join(probe, prefix, RPVP_INSTALL_DATADIR, "/tools/build-qemu.sh");
        if (probe[0] && access(probe, R_OK) == 0) {
            g_installed = 1;
            set(RPVP_PATH_PLUGIN, prefix, RPVP_INSTALL_PLUGIN);
            set(RPVP_PATH_DATA, prefix, RPVP_INSTALL_DATADIR);
            set(RPVP_PATH_FIRMWARE, prefix, RPVP_INSTALL_FIRMWARE);
            return;
        }
    }
    set(RPVP_PATH_PLUGIN, RPVP_BUILD_PLUGIN, "");
    set(RPVP_PATH_FIRMWARE, RPVP_BUILD_FIRMWARE, "");
    set(RPVP_PATH_DATA, RPVP_SOURCE_DIR, "");
}

const char *rpvp_path(rpvp_path_kind kind)
{
    pthread_once(&g_once, resolve);
    return (unsigned)kind < 4 ? g_path[kind] : "";
}

int rpvp_paths_installed(void)
{
    pthread_once(&g_once, resolve);
    return g_installed;
}
