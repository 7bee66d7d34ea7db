/* Statistics over all kept samples, in integers only. */
#ifndef VMB_STATS_H
#define VMB_STATS_H

#include <stddef.h>
#include <stdint.h>

/* The distribution's shape for CDF plots: percentiles 0 (min), 5, 10,
 * ..., 95, 100 (max), nearest rank. */
#define STATS_CDF_STEP 5
#define STATS_CDF_POINTS (100 / STATS_CDF_STEP + 1)

struct stats {
	uint64_t n;
	uint64_t min, p1, p50, mean, p99, max, sd;
	uint64_t cdf[STATS_CDF_POINTS];
};

/* Sorts samples in place. n == 0 gives all zeros. */
void stats_compute(uint64_t *samples, size_t n, struct stats *out);
/* Nearest-rank percentile of sorted samples, pct in 0..100. */
uint64_t stats_percentile(const uint64_t *sorted, size_t n, unsigned pct);
uint64_t stats_isqrt(uint64_t v);

#endif
