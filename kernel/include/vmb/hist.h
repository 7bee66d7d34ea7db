/*
 * A result's whole sample distribution as a log-linear histogram (the
 * idea of HdrHistogram): integer buckets whose width is at most 1/128 of
 * their values, so any sample is known to within 1 % from its bucket
 * alone, and a run of 10^7 samples fits in a few thousand buckets.
 * Plain C, built on the host too (tests, the report tool's reader).
 *
 * Values below 2^HIST_SUB_BITS have a bucket each. Above, a value v with
 * e = floor(log2 v) falls in bucket (e - 6) * 128 + (v >> (e - 7)) - 128.
 */
#ifndef VMB_HIST_H
#define VMB_HIST_H

#include <stddef.h>
#include <stdint.h>

#define HIST_SUB_BITS 7
/* (63 - 6) * 128 + 127 + 1: every 64-bit value has its bucket. */
#define HIST_BUCKETS 7424
/* Pairs in one hist record, and the room its text needs at most
 * (sealed, for 10^7 samples: tests/unit/test_hist.c builds the largest). */
#define HIST_RECORD_PAIRS 96
#define HIST_RECORD_TEXT 1536

unsigned hist_index(uint64_t v);
/* The smallest and the largest (inclusive) value of bucket idx. */
uint64_t hist_low(unsigned idx);
uint64_t hist_high(unsigned idx);

/* Turns sorted samples into (bucket index, count) pairs, record by
 * record, with nothing allocated: the pairs of one record go into the
 * caller's array, the first index absolute, each later one the step from
 * the previous index. */
struct hist_enc {
	const uint64_t *sorted;
	size_t n, at;
};

/* Non-empty buckets of sorted samples: how many records they need. */
size_t hist_buckets_used(const uint64_t *sorted, size_t n);
void hist_enc_begin(struct hist_enc *e, const uint64_t *sorted, size_t n);
/* The next record's pairs as 2 * (pairs) numbers in b (room for 2 * max);
 * returns the pairs written, 0 once every sample is out. */
size_t hist_enc_next(struct hist_enc *e, uint64_t *b, size_t max);

struct jsonw;
/* One hist record's members, part of parts, from hist_enc_next's pairs;
 * the protocol writer numbers and seals it. */
void hist_record(struct jsonw *w, const char *bench, const char *unit, uint64_t n, uint64_t part,
		 uint64_t parts, const uint64_t *b, size_t pairs);

#endif
