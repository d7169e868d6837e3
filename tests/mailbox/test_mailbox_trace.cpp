/* --mailbox-trace: the RTL's waveforms. A VCD written during Linux-driver and firmware
 * sequences is read back: it parses, and every user's interrupt line toggles. */
#include <gtest/gtest.h>

#include <unistd.h>

#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "mbox_tlm_bench.h"

using namespace mbt;

namespace {

struct Vcd {
    std::map<std::string, std::string> code_of; /* signal name -> identifier code */
    std::map<std::string, std::vector<std::string>> values; /* code -> values in order */
    bool header_done = false;
    uint64_t last_time = 0;
};

/* A minimal VCD reader: $var declarations, #time, scalar and vector changes. */
bool read_vcd(const std::string &path, Vcd *v, std::string *why)
{
    std::ifstream in(path);
    if (!in) {
        *why = "cannot open " + path;
        return false;
    }
    std::string tok;
    bool have_time = false;
    while (in >> tok) {
        if (tok == "$var") {
            std::string type, width, code, name, rest;
            in >> type >> width >> code >> name;
            while (in >> rest && rest != "$end") {
            }
            v->code_of.emplace(name, code);
        } else if (tok == "$enddefinitions") {
            v->header_done = true;
        } else if (tok[0] == '#') {
            uint64_t t = std::stoull(tok.substr(1));
            if (have_time && t < v->last_time) {
                *why = "time goes backwards at " + tok;
                return false;
            }
            v->last_time = t;
            have_time = true;
        } else if (v->header_done && (tok[0] == 'b' || tok[0] == 'B')) {
            std::string code;
            in >> code;
            v->values[code].push_back(tok.substr(1));
        } else if (v->header_done && (tok[0] == '0' || tok[0] == '1') && tok.size() > 1) {
            v->values[tok.substr(1)].push_back(tok.substr(0, 1));
        }
    }
    if (!v->header_done)
        *why = "no $enddefinitions";
    return v->header_done;
}

TEST(MboxTrace, VcdParsesAndInterruptLinesToggle)
{
    const std::string file = "mbox_trace_" + std::to_string(getpid()) + ".vcd";
    bench_options().kind = rpvp::MailboxKind::rtl;
    bench_options().trace_file = file;
    {
        Bench b;
        LinuxOmapMbox linux_mbox(b.bus);
        DucatiFw fw(b.bus);
        run([&] {
            fw.enable();
            linux_mbox.startup();
            b.bus.wr(RPVP_MBOX_IRQENABLE_SET(1), RPVP_MBOX_IRQ_NEWMSG(1));
            EXPECT_EQ(linux_mbox.send(0x11), 0); /* user 0 (TX ready) and user 2 rise */
            linux_mbox.isr();
            fw.isr();
            fw.send(0x22); /* users 0 and 1 rise */
            linux_mbox.isr();
            b.bus.wr(RPVP_MBOX_IRQENABLE_CLR(1), RPVP_MBOX_IRQ_NEWMSG(1));
        });
    } /* the model closes the file */
    Vcd v;
    std::string why;
    ASSERT_TRUE(read_vcd(file, &v, &why)) << why;
    ASSERT_TRUE(v.code_of.count("irq_o")) << "irq_o not declared";
    EXPECT_TRUE(v.code_of.count("count_q[0]")) << "FIFO state not traced";
    EXPECT_TRUE(v.code_of.count("mem_q[0][0]")) << "FIFO contents not traced";
    const std::vector<std::string> &irq = v.values[v.code_of["irq_o"]];
    ASSERT_GE(irq.size(), 3u) << "irq_o never changed";
    for (unsigned u = 0; u < 3; u++) {
        unsigned rises = 0, falls = 0;
        char prev = '0';
        for (const std::string &val : irq) {
            /* VCD drops leading zeros: bit u is the u-th character from the right. */
            char bit = val.size() > u ? val[val.size() - 1 - u] : '0';
            rises += prev == '0' && bit == '1';
            falls += prev == '1' && bit == '0';
            prev = bit;
        }
        EXPECT_GE(rises, 1u) << "user " << u;
        EXPECT_GE(falls, 1u) << "user " << u;
    }
    EXPECT_GT(v.last_time, 0u);
    std::remove(file.c_str());
}

TEST(MboxTrace, FstIsWrittenAndBadNamesAreRefused)
{
    const std::string file = "mbox_trace_" + std::to_string(getpid()) + ".fst";
    bench_options().kind = rpvp::MailboxKind::both;
    bench_options().trace_file = file;
    {
        Bench b;
        run([&] { b.bus.wr(RPVP_MBOX_MESSAGE(0), 1); });
    }
    std::ifstream in(file, std::ios::binary);
    ASSERT_TRUE(in.good());
    in.seekg(0, std::ios::end);
    EXPECT_GT(in.tellg(), 100);
    std::remove(file.c_str());
}

TEST(MboxTrace, BadFileNamesAreRefused)
{
    bench_options().kind = rpvp::MailboxKind::rtl;
    bench_options().trace_file = "waves.txt";
    EXPECT_THROW(Bench(), std::invalid_argument);
    bench_options().trace_file = "/nonexistent-dir/waves.vcd";
    EXPECT_THROW(Bench(), std::invalid_argument);
}

} // namespace
