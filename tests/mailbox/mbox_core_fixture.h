/* Test helpers for the mailbox C core: an instance with a recording IRQ sink and log
 * hook, and named register accessors. */
#ifndef RPVP_TEST_MBOX_CORE_FIXTURE_H
#define RPVP_TEST_MBOX_CORE_FIXTURE_H

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "rpvp/omap_mailbox.h"

struct IrqEdge {
    unsigned line;
    int level;
};

class MboxCore : public ::testing::Test {
protected:
    rpvp_mbox *mb = nullptr;
    std::vector<IrqEdge> edges;
    std::vector<std::string> log_lines;

    void make(unsigned users = 3, unsigned fifos = 8, unsigned depth = 4)
    {
        rpvp_mbox_config cfg;
        rpvp_mbox_config_default(&cfg);
        cfg.num_users = users;
        cfg.num_fifos = fifos;
        cfg.fifo_depth = depth;
        cfg.log = &MboxCore::log_fn;
        cfg.log_ctx = this;
        if (mb)
            rpvp_mbox_free(mb);
        mb = rpvp_mbox_new(&cfg);
        ASSERT_NE(mb, nullptr);
        rpvp_irq_sink sink{&MboxCore::sink_fn, this};
        rpvp_mbox_ops(mb)->set_irq_sink(mb, &sink);
    }
    void SetUp() override { make(); }
    void TearDown() override { rpvp_mbox_free(mb); }

    uint32_t rd(uint32_t off) { return rpvp_mbox_read32(mb, off); }
    void wr(uint32_t off, uint32_t v) { ASSERT_EQ(rpvp_mbox_write32(mb, off, v), RPVP_OK); }
    int irq(unsigned u) { return rpvp_mbox_irq_level(mb, u); }
    rpvp_mbox_fifo_stats fifo_stats(unsigned m)
    {
        rpvp_mbox_fifo_stats s{};
        EXPECT_EQ(rpvp_mbox_get_fifo_stats(mb, m, &s), 0);
        return s;
    }
    rpvp_mbox_stats stats()
    {
        rpvp_mbox_stats s{};
        rpvp_mbox_get_stats(mb, &s);
        return s;
    }
    uint64_t assertions(unsigned u)
    {
        rpvp_mbox_user_stats s{};
        EXPECT_EQ(rpvp_mbox_get_user_stats(mb, u, &s), 0);
        return s.irq_assertions;
    }

    static void sink_fn(void *ctx, unsigned line, int level)
    {
        static_cast<MboxCore *>(ctx)->edges.push_back({line, level});
    }
    static void log_fn(void *ctx, rpvp_mbox_log_level, const char *msg)
    {
        static_cast<MboxCore *>(ctx)->log_lines.emplace_back(msg);
    }
};

#endif
