/* Latency samples and nearest-rank percentiles. */
#include "rpvp/stats.h"

#include <math.h>
#include <stdlib.h>

int rpvp_latency_add(rpvp_latency *l, uint64_t ps)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 1024;
        uint64_t *v = realloc(l->v, cap * sizeof(*v));
        if (!v)
            return -1;
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n++] = ps;
    return 0;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

uint64_t rpvp_percentile_sorted(const uint64_t *s, size_t n, double q)
{
    if (n == 0)
        return 0;
    if (q <= 0)
        return s[0];
    size_t rank = (size_t)ceil(q / 100.0 * (double)n); /* 1-based nearest rank */
    if (rank < 1)
        rank = 1;
    if (rank > n)
        rank = n;
    return s[rank - 1];
}

void rpvp_latency_summarize(rpvp_latency *l, rpvp_latency_summary *o)
{
    *o = (rpvp_latency_summary){0};
    if (l->n == 0)
        return;
    qsort(l->v, l->n, sizeof(*l->v), cmp_u64);
    long double sum = 0;
    for (size_t i = 0; i < l->n; i++)
        sum += l->v[i];
    o->n = l->n;
    o->min = l->v[0];
    o->max = l->v[l->n - 1];
    o->p50 = rpvp_percentile_sorted(l->v, l->n, 50);
    o->p90 = rpvp_percentile_sorted(l->v, l->n, 90);
    o->p99 = rpvp_percentile_sorted(l->v, l->n, 99);
    o->mean = (double)(sum / l->n);
}

void rpvp_latency_free(rpvp_latency *l)
{
    free(l->v);
    *l = (rpvp_latency){0};
}
