/* The user's own guest content (guest_content.h). */
#include "guest_content.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "guest_cpio.h"
#include "value_parse.h"

namespace fs = std::filesystem;

namespace rpvp {

namespace {

constexpr unsigned kEmArm = 40;     /* ELF e_machine of 32-bit ARM */
constexpr unsigned kPtInterp = 3;   /* program header naming the dynamic loader */
constexpr uint32_t kZImageMagic = 0x016f2818; /* at offset 0x24 of an ARM zImage */

uint32_t le(const std::vector<unsigned char> &b, size_t off, unsigned n)
{
    uint32_t v = 0;
    for (unsigned i = 0; i < n && off + i < b.size(); i++)
        v |= static_cast<uint32_t>(b[off + i]) << (8 * i);
    return v;
}

std::vector<unsigned char> read_bytes(const fs::path &p)
{
    std::ifstream f(p, std::ios::binary);
    return std::vector<unsigned char>(std::istreambuf_iterator<char>(f), {});
}

const char *machine_name(unsigned m, unsigned cls)
{
    switch (m) {
    case 3:
        return "an i386";
    case 62:
        return "an x86-64";
    case 183:
        return "an arm64 (aarch64)";
    case 40:
        return cls == 2 ? "a 64-bit ARM" : "an ARM";
    default:
        return "a non-ARM";
    }
}

/* An ELF file of the overlay: 32-bit ARM; a program's loader must be in the overlay. */
std::string check_elf(const fs::path &root, const fs::path &file, const std::string &rel)
{
    const std::vector<unsigned char> b = read_bytes(file);
    if (b.size() < 52 || std::memcmp(b.data(), "\x7f" "ELF", 4) != 0)
        return "";
    const unsigned cls = b[4], machine = le(b, 18, 2);
    if (cls != 1 || machine != kEmArm)
        return rel + ": " + machine_name(machine, cls) + " ELF file, not armhf (32-bit ARM): "
               "build it with arm-linux-gnueabihf-gcc";
    const uint32_t phoff = le(b, 28, 4), phentsize = le(b, 42, 2), phnum = le(b, 44, 2);
    for (uint32_t i = 0; i < phnum; i++) {
        const size_t ph = phoff + static_cast<size_t>(i) * phentsize;
        if (ph + 32 > b.size() || le(b, ph, 4) != kPtInterp)
            continue;
        const size_t off = le(b, ph + 4, 4), len = le(b, ph + 16, 4);
        if (off >= b.size() || len == 0 || off + len > b.size())
            return rel + ": a broken ELF file (PT_INTERP outside the file)";
        const std::string interp(reinterpret_cast<const char *>(&b[off]), strnlen(
            reinterpret_cast<const char *>(&b[off]), len));
        if (!fs::exists(root / fs::path(interp).relative_path()))
            return rel + ": dynamically linked (loader " + interp + "), but the guest has no C "
                   "library: link it with -static, or add the loader and its libraries to "
                   "the overlay";
    }
    return "";
}

std::string check_overlay(const std::string &dir)
{
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        return "guest-overlay " + dir + ": not a directory";
    const fs::path root(dir);
    if (fs::exists(root / "init", ec))
        return "guest-overlay " + dir + ": holds /init, which would replace rpvp's own init "
               "(it sets up the transport): run your program with --guest-run instead";
    for (auto it = fs::recursive_directory_iterator(root, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        const fs::path &p = it->path();
        const std::string rel = "guest-overlay " + p.string();
        if (fs::is_symlink(it->symlink_status()) && fs::is_directory(p))
            return rel + ": a symbolic link to a directory (not supported: copy the tree)";
        if (fs::is_directory(p))
            continue;
        if (!fs::is_regular_file(p))
            return rel + ": neither a file nor a directory (or a dangling link)";
        if (access(p.c_str(), R_OK) != 0)
            return rel + ": cannot read it";
        std::string e = check_elf(root, p, rel);
        if (!e.empty())
            return e;
    }
    if (ec)
        return "guest-overlay " + dir + ": " + ec.message();
    return "";
}

std::string check_kernel(const std::string &path)
{
    const std::vector<unsigned char> b = read_bytes(path);
    if (b.empty())
        return "kernel " + path + ": cannot read it (or it is empty)";
    if (le(b, 0x24, 4) != kZImageMagic)
        return "kernel " + path + ": not an ARM zImage (no magic 0x016f2818 at offset 0x24; "
               "give arch/arm/boot/zImage or Debian's /boot/vmlinuz-*-armmp)";
    return "";
}

/* Every directory and file under `from`, at `to` in the archive. */
int add_tree(rpvp_cpio *w, const fs::path &from, const std::string &to)
{
    std::error_code ec;
    std::vector<fs::path> entries;
    for (auto it = fs::recursive_directory_iterator(from, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
        entries.push_back(it->path());
    std::sort(entries.begin(), entries.end()); /* the same archive for the same tree */
    for (const fs::path &p : entries) {
        const std::string name = to + "/" + p.lexically_relative(from).string();
        struct stat st;
        if (stat(p.c_str(), &st) != 0)
            return -1;
        const unsigned mode = st.st_mode & 07777;
        if (S_ISDIR(st.st_mode) ? rpvp_cpio_add_dir(w, name.c_str(), mode)
                                : rpvp_cpio_add_host_file(w, name.c_str(), mode, p.c_str()))
            return -1;
    }
    return ec ? -1 : 0;
}

} // namespace

std::string check_guest_content(const RunConfig &c)
{
    std::string e;
    if (!c.guest_overlay.empty() && !(e = check_overlay(c.guest_overlay)).empty())
        return e;
    if (!c.kernel.empty() && !(e = check_kernel(c.kernel)).empty())
        return e;
    if (!c.modules.empty()) {
        std::error_code ec;
        if (!fs::is_regular_file(fs::path(c.modules) / "modules.dep", ec))
            return "modules " + c.modules + ": no modules.dep in it (give the "
                   "lib/modules/<release> folder of your kernel build after depmod)";
    }
    if (!c.dt_overlay.empty() && access(c.dt_overlay.c_str(), R_OK) != 0)
        return "dt-overlay " + c.dt_overlay + ": cannot read it (" + std::strerror(errno) + ")";
    return "";
}

GuestFiles::~GuestFiles()
{
    if (!dir_.empty()) {
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }
}

std::string GuestFiles::prepare(const RunConfig &c, const std::string &guest_dir)
{
    run_mode = !c.guest_run.empty();
    if (c.guest_overlay.empty() && c.guest_run.empty() && c.modules.empty() &&
        c.dt_overlay.empty() && add_files.empty() && dt_fragment.empty())
        return "";
    const char *tmp = std::getenv("TMPDIR");
    std::string tmpl = std::string(tmp && *tmp ? tmp : "/tmp") + "/rpvp-run-XXXXXX";
    if (!mkdtemp(&tmpl[0]))
        return "cannot create a folder for the run's guest files (" + tmpl + "): " +
               std::strerror(errno);
    dir_ = tmpl;
    char err[512];
    if (!c.guest_overlay.empty() || !c.guest_run.empty() || !c.modules.empty() ||
        !add_files.empty()) {
        initrd = dir_ + "/initrd.img";
        rpvp_cpio *w = rpvp_cpio_create(initrd.c_str(), (guest_dir + "/initrd.cpio.gz").c_str(),
                                        err, sizeof err);
        if (!w)
            return err;
        int rc = 0;
        for (const auto &f : add_files)
            if (!rc)
                rc = rpvp_cpio_add_host_file(w, f.first.c_str(), 0644, f.second.c_str());
        if (!rc && !c.guest_overlay.empty())
            rc = add_tree(w, c.guest_overlay, "");
        if (!rc && !c.modules.empty())
            rc = add_tree(w, c.modules,
                          "lib/modules/" + fs::path(c.modules).lexically_normal()
                                               .filename().string());
        if (!rc && !c.guest_run.empty()) {
            const std::string script = "#!/bin/sh\n# --guest-run\n" + c.guest_run + "\n";
            rc = rpvp_cpio_add_file(w, "rpvp/run", 0755, script.data(), script.size());
        }
        const std::string why = rc ? rpvp_cpio_error(w) : "";
        if (rpvp_cpio_close(w, err, sizeof err) != 0 || rc)
            return "the run's initramfs: " + (why.empty() ? std::string(err) : why);
    }
    if (!dt_fragment.empty() || !c.dt_overlay.empty()) {
        /* QEMU virt's own tree (cached image) + the platform's nodes + the user's. */
        std::string text = dt_fragment;
        if (!c.dt_overlay.empty()) {
            std::ifstream f(c.dt_overlay);
            std::stringstream user;
            user << f.rdbuf();
            if (!f)
                return "dt-overlay " + c.dt_overlay + ": cannot read it";
            text += "\n/* --dt-overlay " + c.dt_overlay + " */\n" + user.str();
        }
        dtb = dir_ + "/rpvp.dtb";
        const std::string dts = dir_ + "/rpvp.dts";
        {
            std::ifstream base(guest_dir + "/virt.dts");
            std::ofstream out(dts);
            out << base.rdbuf() << text;
            if (!base || !out)
                return "cannot write " + dts + " from " + guest_dir + "/virt.dts";
        }
        const std::string cmd = "dtc -q -I dts -O dtb -o " + shell_quote(dtb) + " " +
                                shell_quote(dts) + " 2>" + shell_quote(dir_ + "/dtc.err");
        if (std::system(cmd.c_str()) != 0) {
            std::ifstream f(dir_ + "/dtc.err");
            std::string first;
            std::getline(f, first);
            if (first.empty())
                first = "(is device-tree-compiler installed?)";
            return c.dt_overlay.empty() ? "the generated device tree: dtc refused it: " + first
                                        : "dt-overlay " + c.dt_overlay +
                                              ": dtc refused the device tree with it: " + first;
        }
    }
    return "";
}

} // namespace rpvp
