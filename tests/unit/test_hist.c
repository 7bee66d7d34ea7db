/* The bucket maths and the encoder of <vmb/hist.h>. */
#include <stdint.h>
#include <stdlib.h>

#include <vmb/hist.h>
#include <vmb/jsonw.h>

#include "check.h"

/* A fixed generator: the same values on every run. */
static uint64_t rnd_state = 0x9e3779b97f4a7c15ull;
static uint64_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state;
}

static void test_exact_below_128(void)
{
	for (uint64_t v = 0; v < 128; v++) {
		CHECK_EQ_U(hist_index(v), v);
		CHECK_EQ_U(hist_low((unsigned)v), v);
		CHECK_EQ_U(hist_high((unsigned)v), v);
	}
	CHECK_EQ_U(hist_index(128), 128);
	CHECK_EQ_U(hist_index(255), 255);
	CHECK_EQ_U(hist_index(256), 256); /* e = 8: width 2 from here */
	CHECK_EQ_U(hist_index(257), 256);
}

static void test_limits(void)
{
	CHECK_EQ_U(hist_index(UINT64_MAX), HIST_BUCKETS - 1);
	CHECK_EQ_U(hist_high(HIST_BUCKETS - 1), UINT64_MAX);
	CHECK_EQ_U(hist_low(HIST_BUCKETS - 1), 255ull << 56);
	CHECK_EQ_U(hist_index(1ull << 63), 57 * 128);
}

/* Every bucket: its low and high values fall in it, the next bucket
 * starts right after its high, and its width is within 1/128 of its low. */
static void test_buckets_tile(void)
{
	unsigned bad = 0;

	for (unsigned i = 0; i < HIST_BUCKETS; i++) {
		uint64_t lo = hist_low(i), hi = hist_high(i);
		bad += hist_index(lo) != i || hist_index(hi) != i || hi < lo;
		if (i + 1 < HIST_BUCKETS)
			bad += hist_low(i + 1) != hi + 1;
		bad += lo >= 128 && (hi - lo) * 128 > lo;
	}
	CHECK_EQ_U(bad, 0);
}

/* Random values of every magnitude: inside their bucket, the bucket less
 * than 1 % wide, and the index never falls as the value rises. */
static void test_random(void)
{
	unsigned bad = 0;

	for (int i = 0; i < 200000; i++) {
		uint64_t v = rnd() >> (rnd() % 64), w = v + (rnd() % 1000);
		unsigned idx = hist_index(v);
		uint64_t lo = hist_low(idx), hi = hist_high(idx);
		bad += v < lo || v > hi;
		bad += (double)(hi - lo) > (double)v * 0.01;
		bad += w >= v && hist_index(w) < idx;
	}
	CHECK_EQ_U(bad, 0);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* Encodes n sorted samples and decodes them again, record by record: the
 * counts add up to n, every sample lies in its pair's bucket, and each
 * record's first index is absolute. Returns the records used. */
static size_t round_trip(uint64_t *s, size_t n)
{
	uint64_t b[2 * HIST_RECORD_PAIRS];
	struct hist_enc e;
	size_t records = 0, at = 0, pairs, used;
	unsigned bad = 0, buckets = 0;

	qsort(s, n, sizeof(*s), cmp_u64);
	used = hist_buckets_used(s, n);
	hist_enc_begin(&e, s, n);
	while ((pairs = hist_enc_next(&e, b, HIST_RECORD_PAIRS))) {
		unsigned idx = 0;
		records++;
		for (size_t p = 0; p < pairs; p++) {
			bad += p && b[2 * p] < 1;
			bad += b[2 * p + 1] < 1;
			idx = p ? idx + (unsigned)b[2 * p] : (unsigned)b[0];
			for (uint64_t c = 0; c < b[2 * p + 1] && at < n; c++, at++)
				bad += hist_index(s[at]) != idx;
			buckets++;
		}
		bad += records < (used + HIST_RECORD_PAIRS - 1) / HIST_RECORD_PAIRS &&
		       pairs != HIST_RECORD_PAIRS;
	}
	CHECK_EQ_U(at, n);
	CHECK_EQ_U(buckets, used);
	CHECK_EQ_U(records, (used + HIST_RECORD_PAIRS - 1) / HIST_RECORD_PAIRS);
	CHECK_EQ_U(bad, 0);
	return records;
}

static void test_encode(void)
{
	static uint64_t s[20000];

	CHECK_EQ_U(round_trip(s, 0), 0);
	/* one bucket */
	for (int i = 0; i < 100; i++)
		s[i] = 1000;
	CHECK_EQ_U(round_trip(s, 100), 1);
	/* a tight distribution: one record */
	for (int i = 0; i < 10000; i++)
		s[i] = 5000 + rnd() % 200;
	CHECK_EQ_U(round_trip(s, 10000), 1);
	/* every magnitude: hundreds of buckets, several records */
	for (int i = 0; i < 20000; i++)
		s[i] = rnd() >> (rnd() % 56);
	CHECK(round_trip(s, 20000) > 2);
	/* exactly 96 and 97 buckets */
	for (int i = 0; i < 97; i++)
		s[i] = (uint64_t)i * 3;
	CHECK_EQ_U(round_trip(s, 96), 1);
	CHECK_EQ_U(round_trip(s, 97), 2);
	s[0] = UINT64_MAX;
	s[1] = 0;
	CHECK_EQ_U(round_trip(s, 2), 1);
}

/* The largest record the image can write: 96 pairs of 10^7 samples (the
 * most iters= allows) spread so that every number is as long as it can
 * be (counts of 6 digits adding up to under 10^7, steps of 2 adding up
 * to under 7424 from a first index of 4), a bench name as long as the
 * options allow and the largest numbers in every other member. */
static void test_largest_record(void)
{
	static const char bench[] = "a_benchmark_name_of_31_letters_";
	uint64_t b[2 * HIST_RECORD_PAIRS];
	char buf[HIST_RECORD_TEXT];
	struct jsonw w;

	for (unsigned i = 0; i < HIST_RECORD_PAIRS; i++) {
		b[2 * i] = i ? 66 : 1000;
		b[2 * i + 1] = 104166;
	}
	jw_begin(&w, buf, sizeof(buf));
	hist_record(&w, bench, "cycles", 10000000, 78, 78, b, HIST_RECORD_PAIRS);
	CHECK(!w.overflow);
	const char *text = jw_seal(&w, 999999999);
	CHECK(strstr(text, "\"b\":[1000,104166,66,104166,") != NULL);
	CHECK(strstr(text, "66,104166],\"seq\":999999999,\"crc\":\"") != NULL);
	printf("largest hist record: %zu of %d bytes\n", strlen(text), HIST_RECORD_TEXT);
}

int main(void)
{
	test_exact_below_128();
	test_limits();
	test_buckets_tile();
	test_random();
	test_encode();
	test_largest_record();
	return check_report("hist");
}
