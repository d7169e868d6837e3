/*
 * The user's own guest content for a Linux-host run, without rebuilding the cached image:
 *   --guest-overlay=DIR  DIR's tree appended to the initramfs as a second cpio archive
 *                        (guest_cpio.h); programs and modules in it are checked first:
 *                        32-bit ARM ELF, and a dynamically linked program needs its loader
 *                        in the overlay; DIR/init (rpvp's own /init) is refused
 *   --guest-run='CMD'    written to /rpvp/run in that archive; rpvp's init sets up the
 *                        transport as for its benchmark (module order, docs/platform.md),
 *                        then runs `sh /rpvp/run` instead; its exit status is rpvp's
 *   --kernel=FILE        an ARM zImage instead of Debian's
 *   --modules=DIR        a lib/modules/<release> tree (with modules.dep) for that kernel,
 *                        added at /lib/modules/<basename DIR>
 *   --dt-overlay=F.dts   device-tree source appended to the run's device tree (the
 *                        platform's generated nodes on QEMU virt's own tree; the
 *                        launcher compiles it with dtc)
 */
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "run_config.h"

namespace rpvp {

/* Checks before the run: "" or the reason (names the file). */
std::string check_guest_content(const RunConfig &c);

/* Per-run files, in a temporary folder removed by the destructor. */
class GuestFiles {
public:
    GuestFiles() = default;
    ~GuestFiles();
    GuestFiles(const GuestFiles &) = delete;
    GuestFiles &operator=(const GuestFiles &) = delete;

    /* Builds what the run needs from the cached guest folder. "" or the reason. */
    std::string prepare(const RunConfig &c, const std::string &guest_dir);

    /* Inputs, set before prepare: files the platform puts into the guest (guest path,
     * host file; e.g. the remoteproc route's /lib/firmware/rproc-m3-fw) and the
     * platform's device-tree fragment (platform_desc.h). */
    std::vector<std::pair<std::string, std::string>> add_files;
    std::string dt_fragment; /* compiled with the user's --dt-overlay into dtb */

    std::string initrd; /* "" : the cached one */
    std::string dtb;    /* "" : QEMU virt's own (no fragment, no overlay) */
    bool run_mode = false; /* --guest-run given: rpvp.mode=run */

private:
    std::string dir_;
};

} // namespace rpvp
