// guest_cpio: the archive appended to the cached initrd must be one that GNU cpio (the
// tool that built the base image) reads back file for file, start 4-aligned after the
// base's bytes, and be identical for identical inputs.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

extern "C" {
#include "guest_cpio.h"
}

namespace {

std::string slurp(const std::string &p)
{
    std::ifstream f(p, std::ios::binary);
    std::stringstream s;
    s << f.rdbuf();
    return s.str();
}

void spit(const std::string &p, const std::string &data)
{
    std::ofstream f(p, std::ios::binary);
    f << data;
}

struct TmpDir {
    std::string path;
    TmpDir()
    {
        char t[] = "/tmp/rpvp-cpio-XXXXXX";
        path = mkdtemp(t);
    }
    ~TmpDir() { std::system(("rm -rf " + path).c_str()); }
};

std::string build(const std::string &out, const std::string &base, const std::string &fw)
{
    char err[512] = "";
    rpvp_cpio *w = rpvp_cpio_create(out.c_str(), base.c_str(), err, sizeof(err));
    if (!w)
        return err;
    rpvp_cpio_add_host_file(w, "/lib/firmware/rproc-m3-fw", 0644, fw.c_str());
    rpvp_cpio_add_dir(w, "etc/rpvp", 0700);
    rpvp_cpio_add_file(w, "etc/rpvp/run.conf", 0600, "mode=echo\n", 10);
    rpvp_cpio_add_file(w, "empty", 0644, "", 0);
    return rpvp_cpio_close(w, err, sizeof(err)) == 0 ? "" : err;
}

TEST(GuestCpio, AppendsAnArchiveGnuCpioReadsBack)
{
    TmpDir d;
    const std::string base = d.path + "/base", out = d.path + "/out", fw = d.path + "/fw";
    const std::string base_bytes = "\x1f\x8b" "12345"; // 7 bytes: padding needed
    spit(base, base_bytes);
    std::string fw_bytes;
    for (int i = 0; i < 1001; i++)
        fw_bytes.push_back(static_cast<char>(i * 7));
    spit(fw, fw_bytes);
    ASSERT_EQ("", build(out, base, fw));

    const std::string all = slurp(out);
    ASSERT_EQ(base_bytes, all.substr(0, 7));
    EXPECT_EQ(std::string(1, '\0'), all.substr(7, 1)); // zero padding to 8
    ASSERT_EQ("070701", all.substr(8, 6));
    EXPECT_EQ(0u, all.size() % 4);

    spit(d.path + "/appended.cpio", all.substr(8));
    const std::string x = d.path + "/x";
    mkdir(x.c_str(), 0755);
    const std::string cmd = "cd " + x + " && cpio -idm --quiet --no-absolute-filenames < " +
                            d.path + "/appended.cpio";
    ASSERT_EQ(0, std::system(cmd.c_str()));
    EXPECT_EQ(fw_bytes, slurp(x + "/lib/firmware/rproc-m3-fw"));
    EXPECT_EQ("mode=echo\n", slurp(x + "/etc/rpvp/run.conf"));
    EXPECT_EQ("", slurp(x + "/empty"));
    struct stat st;
    ASSERT_EQ(0, stat((x + "/etc/rpvp").c_str(), &st));
    EXPECT_TRUE(S_ISDIR(st.st_mode));
    EXPECT_EQ(0700u, st.st_mode & 07777);
    ASSERT_EQ(0, stat((x + "/etc/rpvp/run.conf").c_str(), &st));
    EXPECT_EQ(0600u, st.st_mode & 07777);
    ASSERT_EQ(0, stat((x + "/lib/firmware").c_str(), &st));
    EXPECT_EQ(0755u, st.st_mode & 07777); // implicit parent

    // Reproducible: the same inputs give the same bytes.
    ASSERT_EQ("", build(out + "2", base, fw));
    EXPECT_EQ(all, slurp(out + "2"));
}

TEST(GuestCpio, WithoutBaseTheArchiveStandsAlone)
{
    TmpDir d;
    char err[256];
    rpvp_cpio *w = rpvp_cpio_create((d.path + "/a").c_str(), nullptr, err, sizeof(err));
    ASSERT_NE(nullptr, w);
    ASSERT_EQ(0, rpvp_cpio_add_file(w, "f", 0644, "x", 1));
    ASSERT_EQ(0, rpvp_cpio_close(w, err, sizeof(err)));
    const std::string cmd = "cpio -it --quiet < " + d.path + "/a > " + d.path + "/list";
    ASSERT_EQ(0, std::system(cmd.c_str()));
    EXPECT_EQ("f\n", slurp(d.path + "/list"));
}

TEST(GuestCpio, ClearErrorsAndNoHalfFile)
{
    TmpDir d;
    char err[512] = "";
    EXPECT_EQ(nullptr, rpvp_cpio_create((d.path + "/o").c_str(), (d.path + "/nope").c_str(),
                                        err, sizeof(err)));
    EXPECT_NE(std::string::npos, std::string(err).find("cannot read the base initramfs"));
    EXPECT_NE(0, access((d.path + "/o").c_str(), F_OK));
    EXPECT_EQ(nullptr, rpvp_cpio_create("/nonexistent-dir/o", nullptr, err, sizeof(err)));
    EXPECT_NE(std::string::npos, std::string(err).find("cannot create /nonexistent-dir/o"));

    rpvp_cpio *w = rpvp_cpio_create((d.path + "/o").c_str(), nullptr, err, sizeof(err));
    ASSERT_NE(nullptr, w);
    EXPECT_EQ(-1, rpvp_cpio_add_file(w, "lib/../../etc/passwd", 0644, "x", 1));
    EXPECT_NE(std::string::npos, std::string(rpvp_cpio_error(w)).find("'..'"));
    EXPECT_EQ(-1, rpvp_cpio_add_file(w, "ok", 0644, "x", 1)); // sticky
    EXPECT_EQ(-1, rpvp_cpio_close(w, err, sizeof(err)));
    EXPECT_NE(std::string::npos, std::string(err).find("'..'"));
    EXPECT_NE(0, access((d.path + "/o").c_str(), F_OK));

    w = rpvp_cpio_create((d.path + "/o").c_str(), nullptr, err, sizeof(err));
    EXPECT_EQ(-1, rpvp_cpio_add_host_file(w, "fw", 0644, (d.path + "/missing").c_str()));
    EXPECT_NE(std::string::npos, std::string(rpvp_cpio_error(w)).find("cannot read"));
    EXPECT_EQ(-1, rpvp_cpio_close(w, err, sizeof(err)));
    w = rpvp_cpio_create((d.path + "/o").c_str(), nullptr, err, sizeof(err));
    EXPECT_EQ(-1, rpvp_cpio_add_file(w, "/", 0644, "x", 1));
    EXPECT_EQ(-1, rpvp_cpio_close(w, err, sizeof(err)));
}

} // namespace
