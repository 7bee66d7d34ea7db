/* Statistics over all kept samples, in integers only. */
#ifndef VMB_STATS_H
#define VMB_STATS_H

#include <stddef.h>
#include <stdint.h>

struct stats {
	uint64_t n;
	uint64_t min, p50, mean, p99, max, sd;
};

/* Sorts samples in place. n == 0 gives all zeros. */
void stats_compute(uint64_t *samples, size_t n, struct stats *out);
/* Nearest-rank percentile of sorted samples, pct in 0..100. */
uint64_t stats_percentile(const uint64_t *sorted, size_t n, unsigned pct);
uint64_t stats_isqrt(uint64_t v);

#endif
