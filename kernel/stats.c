/*
 * Distribution of a benchmark's samples. Everything stays in integers:
 * the mean and variance sums use 128-bit accumulators so that a long run
 * of large samples cannot overflow.
 */
#include <stdlib.h>

#include <vmb/stats.h>

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

uint64_t stats_isqrt(uint64_t v)
{
	uint64_t r = 0, bit = 1ull << 62;

	while (bit > v)
		bit >>= 2;
	while (bit) {
		if (v >= r + bit) {
			v -= r + bit;
			r = (r >> 1) + bit;
		} else {
			r >>= 1;
		}
		bit >>= 2;
	}
	return r;
}

uint64_t stats_percentile(const uint64_t *sorted, size_t n, unsigned pct)
{
	if (!n)
		return 0;
	if (pct > 100)
		pct = 100;
	/* Nearest rank: the smallest value with at least pct% at or below it. */
	size_t rank = ((size_t)pct * n + 99) / 100;
	if (rank == 0)
		rank = 1;
	return sorted[rank - 1];
}

void stats_compute(uint64_t *samples, size_t n, struct stats *out)
{
	unsigned __int128 sum = 0, sq = 0;

	*out = (struct stats){ 0 };
	if (!n)
		return;
	qsort(samples, n, sizeof(*samples), cmp_u64);
	for (size_t i = 0; i < n; i++)
		sum += samples[i];
	uint64_t mean = (uint64_t)(sum / n);
	for (size_t i = 0; i < n; i++) {
		uint64_t d = samples[i] > mean ? samples[i] - mean : mean - samples[i];
		sq += (unsigned __int128)d * d;
	}
	unsigned __int128 var = sq / n;

	out->n = n;
	out->min = samples[0];
	out->max = samples[n - 1];
	out->p1 = stats_percentile(samples, n, 1);
	out->p50 = stats_percentile(samples, n, 50);
	out->p99 = stats_percentile(samples, n, 99);
	out->mean = mean;
	for (unsigned i = 0; i < STATS_CDF_POINTS; i++)
		out->cdf[i] = stats_percentile(samples, n, i * STATS_CDF_STEP);
	out->sd = stats_isqrt(var > UINT64_MAX ? UINT64_MAX : (uint64_t)var);
}
