/* Latency samples as exact (value, count) pairs, and nearest-rank percentiles. */
#include "rpvp/stats.h"

#include <math.h>
#include <stdlib.h>

/* The value's home slot in a table of cap (2^k) slots: latencies are often multiples of
 * 1000 ps, so the product's high bits are folded into the low ones. */
static size_t slot_of(uint64_t v, size_t cap)
{
    uint64_t h = v * 0x9E3779B97F4A7C15ull;
    return (size_t)(h ^ (h >> 32)) & (cap - 1);
}

static rpvp_latency_bin *find(rpvp_latency_bin *bins, size_t cap, uint64_t v)
{
    size_t i = slot_of(v, cap);
    while (bins[i].count && bins[i].value != v)
        i = (i + 1) & (cap - 1);
    return &bins[i];
}

static int grow(rpvp_latency *l)
{
    size_t cap = l->cap ? l->cap * 2 : 64;
    rpvp_latency_bin *bins = calloc(cap, sizeof(*bins));
    if (!bins)
        return -1;
    for (size_t i = 0; i < l->cap; i++)
        if (l->bins[i].count)
            *find(bins, cap, l->bins[i].value) = l->bins[i];
    free(l->bins);
    l->bins = bins;
    l->cap = cap;
    return 0;
}

int rpvp_latency_add(rpvp_latency *l, uint64_t ps)
{
    if (2 * (l->nbins + 1) > l->cap && grow(l) != 0)
        return -1;
    rpvp_latency_bin *b = find(l->bins, l->cap, ps);
    if (!b->count) {
        b->value = ps;
        l->nbins++;
    }
    b->count++;
    l->n++;
    return 0;
}

static int cmp_bin(const void *a, const void *b)
{
    const rpvp_latency_bin *x = a, *y = b;
    return x->value < y->value ? -1 : x->value > y->value;
}

/* The 1-based nearest rank of percentile q among n samples. */
static size_t nearest_rank(size_t n, double q)
{
    if (q <= 0)
        return 1;
    size_t rank = (size_t)ceil(q / 100.0 * (double)n);
    return rank < 1 ? 1 : rank > n ? n : rank;
}

uint64_t rpvp_percentile_sorted(const uint64_t *s, size_t n, double q)
{
    return n ? s[nearest_rank(n, q) - 1] : 0;
}

/* The same on sorted (value, count) pairs of n samples in all. */
static uint64_t percentile_bins(const rpvp_latency_bin *b, size_t m, size_t n, double q)
{
    size_t rank = nearest_rank(n, q), seen = 0;
    for (size_t i = 0; i < m; i++)
        if ((seen += b[i].count) >= rank)
            return b[i].value;
    return b[m - 1].value;
}

void rpvp_latency_summarize(rpvp_latency *l, rpvp_latency_summary *o)
{
    *o = (rpvp_latency_summary){0};
    if (l->n == 0)
        return;
    rpvp_latency_bin *b = malloc(l->nbins * sizeof(*b)); /* the distinct values, sorted */
    if (!b)
        return; /* n == 0 says nothing could be summarized */
    size_t m = 0;
    for (size_t i = 0; i < l->cap; i++)
        if (l->bins[i].count)
            b[m++] = l->bins[i];
    qsort(b, m, sizeof(*b), cmp_bin);
    long double sum = 0; /* exact: every partial sum is an integer below 2^64 */
    for (size_t i = 0; i < m; i++)
        sum += (long double)b[i].value * (long double)b[i].count;
    o->n = l->n;
    o->min = b[0].value;
    o->max = b[m - 1].value;
    o->p50 = percentile_bins(b, m, l->n, 50);
    o->p90 = percentile_bins(b, m, l->n, 90);
    o->p99 = percentile_bins(b, m, l->n, 99);
    o->mean = (double)(sum / l->n);
    free(b);
}

void rpvp_latency_free(rpvp_latency *l)
{
    free(l->bins);
    *l = (rpvp_latency){0};
}
