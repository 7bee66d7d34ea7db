#include <stdint.h>
#include <stdlib.h>

#include <vmb/stats.h>

#include "check.h"

static void test_empty(void)
{
	struct stats st;

	stats_compute(NULL, 0, &st);
	CHECK_EQ_U(st.n, 0);
	CHECK_EQ_U(st.max, 0);
}

static void test_single(void)
{
	uint64_t s[] = { 42 };
	struct stats st;

	stats_compute(s, 1, &st);
	CHECK_EQ_U(st.n, 1);
	CHECK_EQ_U(st.min, 42);
	CHECK_EQ_U(st.p50, 42);
	CHECK_EQ_U(st.p99, 42);
	CHECK_EQ_U(st.max, 42);
	CHECK_EQ_U(st.mean, 42);
	CHECK_EQ_U(st.sd, 0);
	CHECK_EQ_U(st.p1, 42);
	for (unsigned i = 0; i < STATS_CDF_POINTS; i++)
		CHECK_EQ_U(st.cdf[i], 42);
}

static void test_known_distribution(void)
{
	/* 1..100 shuffled: nearest-rank p50 = 50, p99 = 99, mean 50 (50.5 floored). */
	uint64_t s[100];
	struct stats st;

	for (int i = 0; i < 100; i++)
		s[i] = (uint64_t)((i * 37) % 100) + 1;
	stats_compute(s, 100, &st);
	CHECK_EQ_U(st.min, 1);
	CHECK_EQ_U(st.max, 100);
	CHECK_EQ_U(st.p50, 50);
	CHECK_EQ_U(st.p99, 99);
	CHECK_EQ_U(st.mean, 50);
	/* population sd of 1..100 is 28.87 */
	CHECK_EQ_U(st.sd, 28);
	CHECK_EQ_U(st.p1, 1);
	/* the CDF's points: percentiles 0, 5, ..., 100 */
	CHECK_EQ_U(st.cdf[0], 1);
	CHECK_EQ_U(st.cdf[1], 5);
	CHECK_EQ_U(st.cdf[10], st.p50);
	CHECK_EQ_U(st.cdf[19], 95);
	CHECK_EQ_U(st.cdf[STATS_CDF_POINTS - 1], st.max);
	/* sorted in place */
	CHECK_EQ_U(s[0], 1);
	CHECK_EQ_U(s[99], 100);
}

static void test_sd(void)
{
	uint64_t s[] = { 2, 4, 4, 4, 5, 5, 7, 9 };
	struct stats st;

	stats_compute(s, 8, &st);
	CHECK_EQ_U(st.mean, 5);
	CHECK_EQ_U(st.sd, 2);
}

static void test_no_overflow(void)
{
	/* Sums far beyond 64 bits must not wrap. */
	size_t n = 1000;
	uint64_t *s = malloc(n * sizeof(*s));
	struct stats st;

	for (size_t i = 0; i < n; i++)
		s[i] = (i & 1) ? UINT64_MAX / 2 : UINT64_MAX / 2 - 2;
	stats_compute(s, n, &st);
	CHECK_EQ_U(st.mean, UINT64_MAX / 2 - 1);
	CHECK_EQ_U(st.sd, 1);
	CHECK_EQ_U(st.max, UINT64_MAX / 2);
	free(s);
}

static void test_percentile_edges(void)
{
	uint64_t s[] = { 10, 20, 30, 40, 50, 60, 70, 80, 90, 100 };

	CHECK_EQ_U(stats_percentile(s, 10, 0), 10);
	CHECK_EQ_U(stats_percentile(s, 10, 50), 50);
	CHECK_EQ_U(stats_percentile(s, 10, 99), 100);
	CHECK_EQ_U(stats_percentile(s, 10, 100), 100);
	CHECK_EQ_U(stats_percentile(s, 10, 250), 100);
	CHECK_EQ_U(stats_percentile(s, 0, 50), 0);
}

static void test_isqrt(void)
{
	CHECK_EQ_U(stats_isqrt(0), 0);
	CHECK_EQ_U(stats_isqrt(1), 1);
	CHECK_EQ_U(stats_isqrt(15), 3);
	CHECK_EQ_U(stats_isqrt(16), 4);
	CHECK_EQ_U(stats_isqrt(UINT64_MAX), 4294967295ull);
	int bad = 0;
	for (uint64_t v = 0; v < 100000; v += 7) {
		uint64_t r = stats_isqrt(v);
		bad += !(r * r <= v && (r + 1) * (r + 1) > v);
	}
	CHECK_EQ_U(bad, 0);
}

int main(void)
{
	test_empty();
	test_single();
	test_known_distribution();
	test_sd();
	test_no_overflow();
	test_percentile_edges();
	test_isqrt();
	return check_report("stats");
}
