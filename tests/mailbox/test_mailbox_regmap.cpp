/* The register map is stated once (the C core's table, rpvp_mbox_reg_table) and checked
 * here against docs/models/mailbox.md's table and against the behaviour of the C model
 * and the RTL behind the same socket: every offset of the window decodes alike, reads
 * its reset value, and a write changes state exactly when the access type is RW. */
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include "mbox_tlm_bench.h"

using namespace mbt;

namespace {

struct DocRow {
    std::string name, access;
    uint32_t base = 0, stride = 0, reset = 0;
    char index = 0;
};

/* The rows of the Registers table: "| 0x104+0x10u | IRQSTATUS_CLR(u) | RW | 0x0... | ..." */
std::vector<DocRow> doc_rows()
{
    std::ifstream in(RPVP_MAILBOX_DOC);
    EXPECT_TRUE(in.good()) << RPVP_MAILBOX_DOC;
    const std::regex row(R"(^\| (0x[0-9A-Fa-f]+)(?:\+(0x[0-9A-Fa-f]+|[0-9]+)([mu]))? \| )"
                         R"(([A-Z_]+)(?:\([mu]\))? \| (RW|R) \| (0x[0-9A-Fa-f]+|0)\b)");
    std::vector<DocRow> rows;
    std::string line;
    std::smatch m;
    while (std::getline(in, line)) {
        if (!std::regex_search(line, m, row))
            continue;
        DocRow r;
        r.base = static_cast<uint32_t>(std::stoul(m[1], nullptr, 16));
        r.stride = m[2].matched ? static_cast<uint32_t>(std::stoul(m[2], nullptr, 0)) : 0;
        r.index = m[3].matched ? m[3].str()[0] : 0;
        r.name = m[4];
        r.access = m[5];
        r.reset = static_cast<uint32_t>(std::stoul(m[6], nullptr, 0));
        rows.push_back(r);
    }
    return rows;
}

TEST(MboxRegmap, DocsTableIsTheCoreTable)
{
    unsigned n = 0;
    const rpvp_mbox_reg_desc *t = rpvp_mbox_reg_table(&n);
    const std::vector<DocRow> rows = doc_rows();
    ASSERT_EQ(rows.size(), n) << "docs/models/mailbox.md register rows";
    for (unsigned k = 0; k < n; k++) {
        EXPECT_EQ(rows[k].name, t[k].name);
        EXPECT_EQ(rows[k].base, t[k].base) << t[k].name;
        EXPECT_EQ(rows[k].stride, t[k].stride) << t[k].name;
        EXPECT_EQ(rows[k].index, t[k].index) << t[k].name;
        EXPECT_EQ(rows[k].access, t[k].access) << t[k].name;
        EXPECT_EQ(rows[k].reset, t[k].reset) << t[k].name;
    }
}

/* A write probe that changes a RW register's state from where the ascending walk left
 * it (RAW sets a debug event that the following CLR clears; SET then CLR an enable). */
uint32_t probe_value(const rpvp_mbox_reg_desc *d)
{
    if (!d)
        return 0xFFFFFFFFu;
    if (d->base == RPVP_MBOX_SYSCONFIG)
        return RPVP_MBOX_SIDLE_NO << RPVP_MBOX_SYSCONFIG_SIDLEMODE_SHIFT;
    if (std::string(d->access) == "R")
        return 0xFFFFFFFFu;
    return 1;
}

class MboxRegmapModel : public ::testing::TestWithParam<rpvp::MailboxKind> {
protected:
    void SetUp() override { bench_options().kind = GetParam(); }
};

TEST_P(MboxRegmapModel, ResetValuesAndAccessTypesFollowTheTable)
{
    Bench b;
    const unsigned users = b.mbox.num_users(), fifos = 8;
    /* Every register a read does not disturb (MESSAGE pops; MSGSTATUS shows it). */
    auto snapshot = [&] {
        std::vector<uint32_t> s;
        for (uint32_t off = 0; off < RPVP_MBOX_WINDOW_SIZE; off += 4) {
            unsigned i;
            const rpvp_mbox_reg_desc *d = rpvp_mbox_reg_decode(users, fifos, off, &i);
            if (!d || d->base != RPVP_MBOX_MESSAGE_BASE)
                s.push_back(b.bus.rd(off));
        }
        return s;
    };
    run([&] {
        for (uint32_t off = 0; off < RPVP_MBOX_WINDOW_SIZE; off += 4) {
            unsigned i;
            const rpvp_mbox_reg_desc *d = rpvp_mbox_reg_decode(users, fifos, off, &i);
            EXPECT_EQ(b.bus.rd(off), d ? d->reset : 0u)
                << "reset value at 0x" << std::hex << off << " " << (d ? d->name : "(hole)");
        }
        for (uint32_t off = 0; off < RPVP_MBOX_WINDOW_SIZE; off += 4) {
            unsigned i;
            const rpvp_mbox_reg_desc *d = rpvp_mbox_reg_decode(users, fifos, off, &i);
            const std::vector<uint32_t> before = snapshot();
            b.bus.wr(off, probe_value(d));
            const bool changed = snapshot() != before;
            const bool rw = d && std::string(d->access) == "RW";
            EXPECT_EQ(changed, rw) << "0x" << std::hex << off << " " << (d ? d->name : "(hole)")
                                   << " is " << (d ? d->access : "a hole");
            if (d && d->base == RPVP_MBOX_MESSAGE_BASE)
                EXPECT_EQ(b.bus.rd(off), probe_value(d)) << "pop it again: NEWMSG clear";
        }
    });
}

INSTANTIATE_TEST_SUITE_P(Models, MboxRegmapModel,
                         ::testing::Values(rpvp::MailboxKind::tlm, rpvp::MailboxKind::rtl),
                         [](const ::testing::TestParamInfo<rpvp::MailboxKind> &i) {
                             return std::string(rpvp::mailbox_kind_name(i.param));
                         });

} // namespace
