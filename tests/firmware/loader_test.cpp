// Firmware loader tests: a good image is placed byte-exact through the M3 address map
// and its resource table found; crafted bad files are refused with a clear message.
#include <gtest/gtest.h>

#include <elf.h>

#include <cstring>
#include <string>
#include <vector>

#include "loader.h"
#include "rpvp/remoteproc.h"

namespace {

// The platform's M3 view: da 0..16 MiB -> Linux physical 0x4F000000.
const rpvp_fw_region kMap[] = {
    {0x00000000u, 0x01000000u, 0x4F000000u, "carveout"},
};
constexpr uint64_t kMemBase = 0x4F000000u;
constexpr uint32_t kMemSize = 0x01000000u;

struct Mem {
    std::vector<uint8_t> bytes = std::vector<uint8_t>(kMemSize, 0xA5);
    unsigned writes = 0;
};

int mem_write(void *ctx, uint64_t pa, const void *data, size_t len)
{
    auto *m = static_cast<Mem *>(ctx);
    if (pa < kMemBase || pa - kMemBase + len > kMemSize)
        return -1;
    std::memcpy(&m->bytes[pa - kMemBase], data, len);
    m->writes++;
    return 0;
}

// fw_rsc_vdev without its flexible array (C++ forbids one inside another struct).
struct __attribute__((packed)) VdevBody {
    uint32_t id, notifyid, dfeatures, gfeatures, config_len;
    uint8_t status, num_of_vrings, reserved[2];
};
static_assert(sizeof(VdevBody) == sizeof(fw_rsc_vdev), "vdev layout");

// The resource table a firmware carries: carveout, trace, vdev with 2 vrings.
struct __attribute__((packed)) Table {
    uint32_t ver = 1, num = 3, reserved[2] = {0, 0};
    uint32_t offset[3];
    uint32_t carveout_type = RSC_CARVEOUT;
    fw_rsc_carveout carveout{};
    uint32_t trace_type = RSC_TRACE;
    fw_rsc_trace trace{};
    uint32_t vdev_type = RSC_VDEV;
    VdevBody vdev{};
    fw_rsc_vdev_vring vring[2]{};
};

// Builds a small ELF: one PT_LOAD at da 0x1000 holding code then the table, plus .bss,
// and the section headers (null, .text, .resource_table, .shstrtab).
struct ElfBuilder {
    Elf32_Ehdr eh{};
    Elf32_Phdr ph{};
    Table table{};
    std::vector<uint8_t> code = std::vector<uint8_t>(64);
    uint32_t bss = 256;
    bool with_rsc = true;
    uint32_t load_da = 0x1000;

    static constexpr uint32_t kPhOff = sizeof(Elf32_Ehdr);
    static constexpr uint32_t kSegOff = 0x100;

    ElfBuilder()
    {
        for (size_t i = 0; i < code.size(); i++)
            code[i] = static_cast<uint8_t>(i * 7 + 1);
        std::memcpy(eh.e_ident, ELFMAG, SELFMAG);
        eh.e_ident[EI_CLASS] = ELFCLASS32;
        eh.e_ident[EI_DATA] = ELFDATA2LSB;
        eh.e_ident[EI_VERSION] = EV_CURRENT;
        eh.e_type = ET_EXEC;
        eh.e_machine = EM_ARM;
        eh.e_version = EV_CURRENT;
        eh.e_entry = 0x1001;
        eh.e_phoff = kPhOff;
        eh.e_ehsize = sizeof(Elf32_Ehdr);
        eh.e_phentsize = sizeof(Elf32_Phdr);
        eh.e_phnum = 1;
        eh.e_shentsize = sizeof(Elf32_Shdr);

        table.offset[0] = offsetof(Table, carveout_type);
        table.offset[1] = offsetof(Table, trace_type);
        table.offset[2] = offsetof(Table, vdev_type);
        table.carveout = {0, FW_RSC_ADDR_ANY, 0x00100000, 0, 0, "text"};
        table.trace = {0x2000, 0x400, 0, "trace0"};
        table.vdev.id = VIRTIO_ID_RPMSG;
        table.vdev.dfeatures = 1u << VIRTIO_RPMSG_F_NS;
        table.vdev.num_of_vrings = 2;
        for (auto &v : table.vring)
            v = {FW_RSC_ADDR_ANY, 4096, 256, 0, 0};
    }

    uint32_t rsc_da() const { return load_da + static_cast<uint32_t>(code.size()); }

    std::vector<uint8_t> build()
    {
        std::vector<uint8_t> seg(code);
        const auto *t = reinterpret_cast<const uint8_t *>(&table);
        seg.insert(seg.end(), t, t + sizeof table);

        const char names[] = "\0.text\0.resource_table\0.shstrtab";
        const uint32_t strOff = kSegOff + static_cast<uint32_t>(seg.size());
        const uint32_t shOff = (strOff + sizeof names + 3) & ~3u;

        ph.p_type = PT_LOAD;
        ph.p_offset = kSegOff;
        ph.p_vaddr = ph.p_paddr = load_da;
        ph.p_filesz = static_cast<uint32_t>(seg.size());
        ph.p_memsz = ph.p_filesz + bss;
        ph.p_flags = PF_R | PF_W | PF_X;

        Elf32_Shdr sh[4]{};
        sh[1] = {1, SHT_PROGBITS, SHF_ALLOC, load_da, kSegOff,
                 static_cast<uint32_t>(code.size()), 0, 0, 4, 0};
        sh[2] = {with_rsc ? 7u : 1u, SHT_PROGBITS, SHF_ALLOC, rsc_da(),
                 kSegOff + static_cast<uint32_t>(code.size()), sizeof table, 0, 0, 4, 0};
        sh[3] = {23, SHT_STRTAB, 0, 0, strOff, sizeof names, 0, 0, 1, 0};
        eh.e_shoff = shOff;
        eh.e_shnum = 4;
        eh.e_shstrndx = 3;

        std::vector<uint8_t> f(shOff + sizeof sh, 0);
        std::memcpy(f.data(), &eh, sizeof eh);
        std::memcpy(f.data() + kPhOff, &ph, sizeof ph);
        std::memcpy(f.data() + kSegOff, seg.data(), seg.size());
        std::memcpy(f.data() + strOff, names, sizeof names);
        std::memcpy(f.data() + shOff, sh, sizeof sh);
        return f;
    }
};

struct Result {
    int rc;
    std::string msg;
    rpvp_fw_info info;
};

Result load(const std::vector<uint8_t> &f, Mem *mem = nullptr)
{
    Result r{};
    char err[256];
    r.rc = rpvp_fw_load(f.data(), f.size(), kMap, 1, mem ? mem_write : nullptr, mem, &r.info,
                        err, sizeof err);
    r.msg = err;
    return r;
}

} // namespace

// A well-formed image: segments placed, .bss zeroed, table found and patched like Linux.
TEST(FwLoader, LoadsGoodImageThroughTheAddressMap)
{
    ElfBuilder b;
    auto f = b.build();
    Mem mem;
    Result r = load(f, &mem);
    ASSERT_EQ(r.rc, RPVP_FW_OK) << r.msg;
    EXPECT_EQ(r.msg, "");
    EXPECT_EQ(r.info.entry, 0x1001u);
    EXPECT_EQ(r.info.num_segments, 1u);
    EXPECT_EQ(r.info.rsc_da, b.rsc_da());
    EXPECT_EQ(r.info.rsc_pa, kMemBase + b.rsc_da());
    EXPECT_EQ(r.info.rsc_size, sizeof(Table));
    EXPECT_EQ(r.info.rsc_entries, 3u);
    EXPECT_EQ(r.info.num_carveouts, 1u);
    EXPECT_EQ(r.info.num_vdevs, 1u);
    EXPECT_EQ(r.info.vdev_offset, offsetof(Table, vdev));
    EXPECT_EQ(r.info.trace_da, 0x2000u);
    EXPECT_EQ(r.info.trace_pa, kMemBase + 0x2000u);
    // Code byte-exact at da 0x1000 = pa 0x4F001000.
    EXPECT_EQ(0, std::memcmp(&mem.bytes[0x1000], b.code.data(), b.code.size()));
    // .bss (memsz beyond filesz) is zero; the byte after it is untouched.
    const uint32_t bss_start = b.rsc_da() + sizeof(Table);
    for (uint32_t i = 0; i < b.bss; i++)
        ASSERT_EQ(mem.bytes[bss_start + i], 0) << i;
    EXPECT_EQ(mem.bytes[bss_start + b.bss], 0xA5);
    // The loaded table's carveout pa now holds where da 0 really is (as remoteproc does).
    Table loaded;
    std::memcpy(&loaded, &mem.bytes[b.rsc_da()], sizeof loaded);
    EXPECT_EQ(loaded.carveout.pa, kMemBase);
    EXPECT_EQ(loaded.vdev.id, VIRTIO_ID_RPMSG);
}

// Check-only mode (no write callback) writes nothing and reports the same.
TEST(FwLoader, CheckOnlyWritesNothing)
{
    ElfBuilder b;
    Result r = load(b.build());
    EXPECT_EQ(r.rc, RPVP_FW_OK) << r.msg;
    EXPECT_EQ(r.info.rsc_pa, kMemBase + b.rsc_da());
}

TEST(FwLoader, RefusesNonElf)
{
    std::vector<uint8_t> f(200, 'x');
    Result r = load(f);
    EXPECT_EQ(r.rc, RPVP_FW_ENOTELF);
    EXPECT_NE(r.msg.find("not an ELF"), std::string::npos) << r.msg;
    r = load(std::vector<uint8_t>{0x7f, 'E'});
    EXPECT_EQ(r.rc, RPVP_FW_ENOTELF);
}

TEST(FwLoader, RefusesTruncatedHeader)
{
    auto f = ElfBuilder().build();
    f.resize(30);
    Result r = load(f);
    EXPECT_EQ(r.rc, RPVP_FW_ENOTELF);
    EXPECT_NE(r.msg.find("truncated"), std::string::npos) << r.msg;
}

TEST(FwLoader, RefusesElf64AndBigEndian)
{
    ElfBuilder b;
    b.eh.e_ident[EI_CLASS] = ELFCLASS64;
    Result r = load(b.build());
    EXPECT_EQ(r.rc, RPVP_FW_EFORMAT);
    EXPECT_NE(r.msg.find("32-bit"), std::string::npos) << r.msg;
    ElfBuilder c;
    c.eh.e_ident[EI_DATA] = ELFDATA2MSB;
    r = load(c.build());
    EXPECT_EQ(r.rc, RPVP_FW_EFORMAT);
    EXPECT_NE(r.msg.find("little-endian"), std::string::npos) << r.msg;
}

TEST(FwLoader, RefusesWrongMachine)
{
    ElfBuilder b;
    b.eh.e_machine = EM_386;
    Result r = load(b.build());
    EXPECT_EQ(r.rc, RPVP_FW_EMACHINE);
    EXPECT_NE(r.msg.find("EM_ARM"), std::string::npos) << r.msg;
}

TEST(FwLoader, RefusesNonExecutable)
{
    ElfBuilder b;
    b.eh.e_type = ET_REL;
    EXPECT_EQ(load(b.build()).rc, RPVP_FW_EFORMAT);
}

TEST(FwLoader, RefusesMissingResourceTable)
{
    ElfBuilder b;
    b.with_rsc = false;
    Result r = load(b.build());
    EXPECT_EQ(r.rc, RPVP_FW_ENORSC);
    EXPECT_NE(r.msg.find("no resource table"), std::string::npos) << r.msg;
    ElfBuilder c;
    c.eh.e_shnum = 0; // no section headers at all
    auto f = c.build();
    Elf32_Ehdr eh;
    std::memcpy(&eh, f.data(), sizeof eh);
    eh.e_shnum = 0;
    std::memcpy(f.data(), &eh, sizeof eh);
    EXPECT_EQ(load(f).rc, RPVP_FW_ENORSC);
}

TEST(FwLoader, RefusesSegmentOutsideMemory)
{
    ElfBuilder b;
    b.load_da = 0x00FFFFF0u; // starts inside the carveout, ends past it
    Result r = load(b.build());
    EXPECT_EQ(r.rc, RPVP_FW_EMEMORY);
    EXPECT_NE(r.msg.find("outside memory"), std::string::npos) << r.msg;
    ElfBuilder c;
    c.load_da = 0x20000000u; // nothing mapped there
    EXPECT_EQ(load(c.build()).rc, RPVP_FW_EMEMORY);
}

TEST(FwLoader, RefusesSegmentBeyondFileAndFileszOverMemsz)
{
    auto f = ElfBuilder().build();
    Elf32_Phdr ph;
    std::memcpy(&ph, f.data() + ElfBuilder::kPhOff, sizeof ph);
    ph.p_filesz = ph.p_memsz = 0x100000; // claims more bytes than the file has
    std::memcpy(f.data() + ElfBuilder::kPhOff, &ph, sizeof ph);
    Result r = load(f);
    EXPECT_EQ(r.rc, RPVP_FW_ESEGMENT);
    EXPECT_NE(r.msg.find("beyond the end of the file"), std::string::npos) << r.msg;

    ElfBuilder b;
    b.bss = 0;
    f = b.build();
    std::memcpy(&ph, f.data() + ElfBuilder::kPhOff, sizeof ph);
    ph.p_memsz = ph.p_filesz - 1;
    std::memcpy(f.data() + ElfBuilder::kPhOff, &ph, sizeof ph);
    EXPECT_EQ(load(f).rc, RPVP_FW_ESEGMENT);
}

TEST(FwLoader, RefusesResourceTableWithBadOffset)
{
    ElfBuilder b;
    b.table.offset[1] = 0x10000; // far past the table
    Result r = load(b.build());
    EXPECT_EQ(r.rc, RPVP_FW_ERSC);
    EXPECT_NE(r.msg.find("bad offset"), std::string::npos) << r.msg;
}

TEST(FwLoader, RefusesResourceEntryPastTableEnd)
{
    ElfBuilder b;
    b.table.offset[2] = sizeof(Table) - 8; // type fits, the vdev body does not
    Result r = load(b.build());
    EXPECT_EQ(r.rc, RPVP_FW_ERSC);
    EXPECT_NE(r.msg.find("past the table end"), std::string::npos) << r.msg;
}

TEST(FwLoader, RefusesVdevWhoseVringsOverflow)
{
    ElfBuilder b;
    b.table.vdev.num_of_vrings = 3; // only two are in the table
    Result r = load(b.build());
    EXPECT_EQ(r.rc, RPVP_FW_ERSC);
    EXPECT_NE(r.msg.find("vrings"), std::string::npos) << r.msg;
    ElfBuilder c;
    c.table.vdev.config_len = 0xFFFFFFF0u;
    EXPECT_EQ(load(c.build()).rc, RPVP_FW_ERSC);
}

TEST(FwLoader, RefusesTooManyEntriesBadVersionUnknownType)
{
    ElfBuilder b;
    b.table.num = 1000;
    EXPECT_EQ(load(b.build()).rc, RPVP_FW_ERSC);
    ElfBuilder c;
    c.table.ver = 2;
    Result r = load(c.build());
    EXPECT_EQ(r.rc, RPVP_FW_ERSC);
    EXPECT_NE(r.msg.find("version"), std::string::npos) << r.msg;
    ElfBuilder d;
    d.table.trace_type = 77;
    EXPECT_EQ(load(d.build()).rc, RPVP_FW_ERSC);
}

TEST(FwLoader, RefusesCarveoutOrTraceOutsideMemory)
{
    ElfBuilder b;
    b.table.carveout.da = 0x00F00000;
    b.table.carveout.len = 0x00200000;
    Result r = load(b.build());
    EXPECT_EQ(r.rc, RPVP_FW_EMEMORY);
    EXPECT_NE(r.msg.find("carveout"), std::string::npos) << r.msg;
    ElfBuilder c;
    c.table.trace.da = 0x30000000;
    EXPECT_EQ(load(c.build()).rc, RPVP_FW_EMEMORY);
}

// Nothing is written when a check fails late (the resource table).
TEST(FwLoader, WritesNothingWhenRefused)
{
    ElfBuilder b;
    b.table.offset[0] = 0xFFFFFFF0u;
    Mem mem;
    EXPECT_EQ(load(b.build(), &mem).rc, RPVP_FW_ERSC);
    EXPECT_EQ(mem.writes, 0u);
}

TEST(FwLoader, FileErrorsNameThePath)
{
    char err[256];
    int rc = rpvp_fw_load_file("/nonexistent/fw.elf", kMap, 1, nullptr, nullptr, nullptr, err,
                               sizeof err);
    EXPECT_EQ(rc, RPVP_FW_EIO);
    EXPECT_NE(std::string(err).find("/nonexistent/fw.elf"), std::string::npos) << err;
}

#ifdef RPVP_FIRMWARE_ELF
// The real firmware image passes every check and carries the vdev rpvp expects.
TEST(FwLoader, AcceptsTheRpvpFirmware)
{
    char err[256];
    rpvp_fw_info info;
    Mem mem;
    int rc = rpvp_fw_load_file(RPVP_FIRMWARE_ELF, kMap, 1, mem_write, &mem, &info, err,
                               sizeof err);
    ASSERT_EQ(rc, RPVP_FW_OK) << err;
    EXPECT_EQ(info.num_vdevs, 1u);
    EXPECT_GE(info.num_carveouts, 1u);
    EXPECT_EQ(info.num_traces, 1u);
    // Linux's remoteproc maps 1 KiB at a running core's table when it attaches.
    EXPECT_GE(info.rsc_size, 1024u);
    VdevBody vdev;
    std::memcpy(&vdev, &mem.bytes[info.rsc_da + info.vdev_offset], sizeof vdev);
    EXPECT_EQ(vdev.id, VIRTIO_ID_RPMSG);
    EXPECT_EQ(vdev.num_of_vrings, 2u);
    EXPECT_EQ(vdev.dfeatures & (1u << VIRTIO_RPMSG_F_NS), 1u << VIRTIO_RPMSG_F_NS);
    // Vector 0 (initial SP) and 1 (reset, Thumb) at da 0.
    uint32_t vec[2];
    std::memcpy(vec, &mem.bytes[0], sizeof vec);
    EXPECT_EQ(vec[1], info.entry);
    EXPECT_EQ(vec[1] & 1u, 1u);
}

std::vector<uint8_t> read_file(const char *path)
{
    std::vector<uint8_t> f;
    if (FILE *fp = std::fopen(path, "rb")) {
        int c;
        while ((c = std::fgetc(fp)) != EOF)
            f.push_back(static_cast<uint8_t>(c));
        std::fclose(fp);
    }
    return f;
}

// File offset of the real firmware's .resource_table section and of its name.
void find_rsc(const std::vector<uint8_t> &f, uint32_t *sec_off, uint32_t *name_off)
{
    Elf32_Ehdr eh;
    std::memcpy(&eh, f.data(), sizeof eh);
    Elf32_Shdr strtab;
    std::memcpy(&strtab, &f[eh.e_shoff + eh.e_shstrndx * sizeof(Elf32_Shdr)], sizeof strtab);
    for (unsigned i = 0; i < eh.e_shnum; i++) {
        Elf32_Shdr sh;
        std::memcpy(&sh, &f[eh.e_shoff + i * sizeof sh], sizeof sh);
        if (!std::strcmp(reinterpret_cast<const char *>(&f[strtab.sh_offset + sh.sh_name]),
                         ".resource_table")) {
            *sec_off = sh.sh_offset;
            *name_off = strtab.sh_offset + sh.sh_name;
            return;
        }
    }
    FAIL() << "no .resource_table in the firmware";
}

// The real firmware, damaged in one place at a time, is refused for that reason.
TEST(FwLoader, RefusesDamagedCopiesOfTheRpvpFirmware)
{
    const std::vector<uint8_t> good = read_file(RPVP_FIRMWARE_ELF);
    ASSERT_GT(good.size(), sizeof(Elf32_Ehdr));
    ASSERT_EQ(load(good).rc, RPVP_FW_OK) << load(good).msg;
    uint32_t sec_off = 0, name_off = 0;
    find_rsc(good, &sec_off, &name_off);

    auto f = good; // wrong machine: claims to be x86
    f[offsetof(Elf32_Ehdr, e_machine)] = EM_386;
    f[offsetof(Elf32_Ehdr, e_machine) + 1] = 0;
    Result r = load(f);
    EXPECT_EQ(r.rc, RPVP_FW_EMACHINE) << r.msg;

    f = good; // not an ELF: the magic is gone
    f[1] = 'X';
    EXPECT_EQ(load(f).rc, RPVP_FW_ENOTELF);

    f = good; // truncated in the middle of the loaded segment
    f.resize(0x1100);
    r = load(f);
    EXPECT_TRUE(r.rc == RPVP_FW_ESEGMENT || r.rc == RPVP_FW_ENORSC) << r.rc << " " << r.msg;

    f = good; // the segment moved where the M3 has no memory
    Elf32_Ehdr eh;
    std::memcpy(&eh, f.data(), sizeof eh);
    for (unsigned i = 0; i < eh.e_phnum; i++) {
        Elf32_Phdr ph;
        std::memcpy(&ph, &f[eh.e_phoff + i * sizeof ph], sizeof ph);
        if (ph.p_type != PT_LOAD)
            continue;
        ph.p_paddr = 0x20000000;
        std::memcpy(&f[eh.e_phoff + i * sizeof ph], &ph, sizeof ph);
    }
    r = load(f);
    EXPECT_EQ(r.rc, RPVP_FW_EMEMORY) << r.msg;

    f = good; // the section renamed: no resource table
    f[name_off + 1] = 'X';
    r = load(f);
    EXPECT_EQ(r.rc, RPVP_FW_ENORSC) << r.msg;

    f = good; // the first entry offset points far outside the table
    const uint32_t bad = 0x7FFF0000u;
    std::memcpy(&f[sec_off + offsetof(resource_table, offset)], &bad, 4);
    r = load(f);
    EXPECT_EQ(r.rc, RPVP_FW_ERSC) << r.msg;
    EXPECT_NE(r.msg.find("bad offset"), std::string::npos) << r.msg;
}
#endif
