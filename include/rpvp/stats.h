/*
 * rpvp measurement helpers: latency samples with percentiles, in simulated picoseconds.
 * Percentiles use the nearest-rank method on the sorted samples (p50 of 1..100 is 50),
 * so they are exact sample values and reproducible bit for bit.
 * The samples are kept as (value, count) pairs, not one by one: a simulation repeats
 * the same latencies (10^6 echoes of 16 bytes take a handful of distinct values), so the
 * memory follows the distinct values, not the number of messages, and every figure stays
 * exact (the sum is exact below 2^64 ps).
 */
#ifndef RPVP_STATS_H
#define RPVP_STATS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct rpvp_latency_bin {
    uint64_t value, count; /* count 0: an empty slot */
} rpvp_latency_bin;

/* Zero-initialised: empty. An open-addressing table of the distinct values. */
typedef struct rpvp_latency {
    rpvp_latency_bin *bins;
    size_t n;     /* samples */
    size_t nbins; /* distinct values */
    size_t cap;   /* slots (a power of two, at most half used) */
} rpvp_latency;

typedef struct rpvp_latency_summary {
    size_t n;
    uint64_t min, p50, p90, p99, max;
    double mean;
} rpvp_latency_summary;

/* Add one sample. Returns 0, or -1 when out of memory (the sample is lost and says so). */
int rpvp_latency_add(rpvp_latency *l, uint64_t ps);
/* Summarize. An empty set (or no memory for sorting its distinct values) gives n == 0
 * and zeros. */
void rpvp_latency_summarize(rpvp_latency *l, rpvp_latency_summary *out);
/* Nearest-rank percentile of sorted samples, q in [0, 100]. */
uint64_t rpvp_percentile_sorted(const uint64_t *sorted, size_t n, double q);
void rpvp_latency_free(rpvp_latency *l);

#ifdef __cplusplus
}
#endif
#endif
