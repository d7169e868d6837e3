/* rpvp_latency (include/rpvp/stats.h): the (value, count) form gives exactly the figures
 * of the sorted samples (nearest rank, exact mean), and its memory follows the distinct
 * values, not the number of samples. */
#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <random>
#include <vector>

extern "C" {
#include "rpvp/stats.h"
}

namespace {

/* The reference: every sample kept and sorted. */
rpvp_latency_summary reference(std::vector<uint64_t> v)
{
    if (v.empty())
        return rpvp_latency_summary{};
    std::sort(v.begin(), v.end());
    const long double sum = std::accumulate(v.begin(), v.end(), 0.0L);
    auto pct = [&v](double q) { return rpvp_percentile_sorted(v.data(), v.size(), q); };
    return {v.size(), v.front(),     pct(50), pct(90), pct(99), v.back(),
            static_cast<double>(sum / v.size())};
}

void expect_same(const std::vector<uint64_t> &v)
{
    rpvp_latency l{};
    for (uint64_t x : v)
        ASSERT_EQ(rpvp_latency_add(&l, x), 0);
    rpvp_latency_summary got, want = reference(v);
    rpvp_latency_summarize(&l, &got);
    EXPECT_EQ(got.n, want.n);
    EXPECT_EQ(got.min, want.min);
    EXPECT_EQ(got.p50, want.p50);
    EXPECT_EQ(got.p90, want.p90);
    EXPECT_EQ(got.p99, want.p99);
    EXPECT_EQ(got.max, want.max);
    EXPECT_EQ(got.mean, want.mean) << "bit for bit";
    rpvp_latency_free(&l);
}

} // namespace

TEST(LatencyStats, EmptySetIsZeros)
{
    rpvp_latency l{};
    rpvp_latency_summary s;
    rpvp_latency_summarize(&l, &s);
    EXPECT_EQ(s.n, 0u);
    EXPECT_EQ(s.max, 0u);
    rpvp_latency_free(&l);
}

TEST(LatencyStats, SameFiguresAsTheSortedSamples)
{
    std::mt19937_64 rng(7);
    for (size_t n : {1u, 2u, 3u, 10u, 99u, 100u, 101u, 1000u, 50000u}) {
        for (uint64_t spread : {1ull, 5ull, 1000ull, 1ull << 40}) {
            std::vector<uint64_t> v(n);
            for (auto &x : v)
                x = 18160000 + 1000 * (rng() % spread); /* ps, multiples of 1 ns */
            SCOPED_TRACE("n=" + std::to_string(n) + " spread=" + std::to_string(spread));
            expect_same(v);
        }
    }
    expect_same({0, 0, UINT64_MAX / 4, 7}); /* extremes */
}

TEST(LatencyStats, MemoryFollowsTheDistinctValues)
{
    rpvp_latency l{};
    for (uint64_t i = 0; i < 1000000; i++) /* 10^6 echoes, 4 distinct round trips */
        ASSERT_EQ(rpvp_latency_add(&l, 18160000 + 8000 * (i % 4)), 0);
    EXPECT_EQ(l.n, 1000000u);
    EXPECT_EQ(l.nbins, 4u);
    EXPECT_LE(l.cap, 64u) << "slots for the distinct values only";
    rpvp_latency_summary s;
    rpvp_latency_summarize(&l, &s);
    EXPECT_EQ(s.p50, 18168000u);
    EXPECT_EQ(s.max, 18184000u);
    EXPECT_DOUBLE_EQ(s.mean, 18172000.0);
    rpvp_latency_free(&l);
}
