/*
 * Bucket maths and the encoder of <vmb/hist.h>. The image sorts its
 * samples anyway (stats_compute), so a bucket's count is the length of a
 * run of equal indexes: one pass, no table of HIST_BUCKETS counters.
 */
#include <vmb/hist.h>

#define SUB (1u << HIST_SUB_BITS)

unsigned hist_index(uint64_t v)
{
	if (v < SUB)
		return (unsigned)v;
	unsigned e = 63u - (unsigned)__builtin_clzll(v);
	unsigned m = (unsigned)(v >> (e - HIST_SUB_BITS));
	return (e - HIST_SUB_BITS + 1) * SUB + (m - SUB);
}

uint64_t hist_low(unsigned idx)
{
	if (idx < SUB)
		return idx;
	unsigned e = idx / SUB + HIST_SUB_BITS - 1, m = idx % SUB + SUB;
	return (uint64_t)m << (e - HIST_SUB_BITS);
}

uint64_t hist_high(unsigned idx)
{
	if (idx < SUB)
		return idx;
	unsigned e = idx / SUB + HIST_SUB_BITS - 1;
	return hist_low(idx) + ((uint64_t)1 << (e - HIST_SUB_BITS)) - 1;
}

size_t hist_buckets_used(const uint64_t *sorted, size_t n)
{
	size_t used = 0;
	unsigned last = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned idx = hist_index(sorted[i]);
		used += !i || idx != last;
		last = idx;
	}
	return used;
}

void hist_enc_begin(struct hist_enc *e, const uint64_t *sorted, size_t n)
{
	e->sorted = sorted;
	e->n = n;
	e->at = 0;
}

size_t hist_enc_next(struct hist_enc *e, uint64_t *b, size_t max)
{
	size_t pairs = 0;
	unsigned prev = 0;

	while (e->at < e->n && pairs < max) {
		unsigned idx = hist_index(e->sorted[e->at]);
		size_t end = e->at + 1;
		while (end < e->n && hist_index(e->sorted[end]) == idx)
			end++;
		b[2 * pairs] = pairs ? idx - prev : idx;
		b[2 * pairs + 1] = end - e->at;
		prev = idx;
		pairs++;
		e->at = end;
	}
	return pairs;
}
