/*
 * hist records: each decodes alone (its first pair's index absolute),
 * and a result's records add up to its n, so that a record lost or
 * changed on the way is seen even where the sequence numbers agree.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loghist.h"
#include "logparse.h"

/* A non-negative integer JSON number at most max, or -1. */
static double whole(const cJSON *v, double max)
{
	if (!cJSON_IsNumber(v))
		return -1;
	double d = v->valuedouble;
	return d >= 0 && d <= max && d == (double)(unsigned long long)d ? d : -1;
}

const char *vmb_hist_decode(const cJSON *rec, struct vmb_hist_rec *h)
{
	const cJSON *b = cJSON_GetObjectItemCaseSensitive(rec, "b"), *v;
	double part = whole(cJSON_GetObjectItemCaseSensitive(rec, "part"), 1e6);
	double parts = whole(cJSON_GetObjectItemCaseSensitive(rec, "parts"), 1e6);
	double sub = whole(cJSON_GetObjectItemCaseSensitive(rec, "sub_bits"), 64);
	unsigned long long idx = 0;

	memset(h, 0, sizeof(*h));
	h->n = whole(cJSON_GetObjectItemCaseSensitive(rec, "n"), 1e15);
	if (sub != HIST_SUB_BITS)
		return "has sub_bits other than 7";
	if (part < 1 || parts < part || h->n < 0)
		return "has no valid part, parts or n";
	h->part = (unsigned)part;
	h->parts = (unsigned)parts;
	int len = cJSON_IsArray(b) ? cJSON_GetArraySize(b) : -1;
	if (len < 2 || len % 2 || len > 2 * HIST_RECORD_PAIRS)
		return "has no list of 1 to 96 (index, count) pairs in b";
	unsigned i = 0;
	cJSON_ArrayForEach(v, b) {
		double d = whole(v, 1e15);
		if (d < 0)
			return "has a pair that is not two whole numbers";
		if (i % 2 == 0) {
			if (i && d < 1)
				return "has buckets out of order (a step below 1)";
			idx = i ? idx + (unsigned long long)d : (unsigned long long)d;
			if (idx >= HIST_BUCKETS)
				return "has a bucket index beyond the last";
			h->idx[i / 2] = (unsigned)idx;
		} else {
			if (d < 1)
				return "has an empty bucket";
			h->count[i / 2] = (unsigned long long)d;
		}
		i++;
	}
	h->npairs = i / 2;
	return NULL;
}

void vmb_hist_seq_result(struct vmb_hist_seq *s, const cJSON *result)
{
	memset(s, 0, sizeof(*s));
	s->open = true;
	snprintf(s->bench, sizeof(s->bench), "%s", vmb_str(result, "bench", ""));
	s->n = vmb_num(result, "n", -1);
	s->next = 1;
}

const char *vmb_hist_seq_hist(struct vmb_hist_seq *s, const cJSON *rec)
{
	struct vmb_hist_rec h;
	const char *why = vmb_hist_decode(rec, &h);

	if (!s->open || strcmp(s->bench, vmb_str(rec, "bench", "")))
		why = "names a benchmark with no result just before it";
	if (why) {
		s->open = false;
		return why;
	}
	if (h.part != s->next || (h.part > 1 && h.parts != s->parts)) {
		s->open = false;
		return "is out of its sequence of parts";
	}
	if (h.n != s->n) {
		s->open = false;
		return "gives another n than its result";
	}
	s->parts = h.parts;
	s->next++;
	for (unsigned i = 0; i < h.npairs; i++)
		s->sum += h.count[i];
	if (h.part == h.parts && (double)s->sum != s->n) {
		s->open = false;
		return "ends with counts that do not add up to its result's n";
	}
	return NULL;
}

const char *vmb_hist_seq_other(struct vmb_hist_seq *s, char *why, size_t len)
{
	bool cut = s->open && s->next > 1 && s->next <= s->parts;

	if (cut)
		snprintf(why, len, "the 'hist' records of '%.32s' stop after part %u of %u",
			 s->bench, s->next - 1, s->parts);
	s->open = false;
	return cut ? why : NULL;
}

/* The log's hist records of bench, parts 1..parts in order: one complete
 * set whose counts add up to its result's n. */
bool vmb_log_hist(const struct vmb_log *log, const char *bench, struct vmb_hist *h)
{
	const cJSON *result = vmb_log_result(log, bench), *rec;
	struct vmb_hist_rec r;
	unsigned next = 1, parts = 0, cap = 0;

	memset(h, 0, sizeof(*h));
	h->sub_bits = HIST_SUB_BITS;
	if (!result)
		return false;
	cJSON_ArrayForEach(rec, log->hists) {
		if (strcmp(vmb_str(rec, "bench", ""), bench) || vmb_hist_decode(rec, &r))
			continue;
		if (r.part == 1) { /* a set begins (again) */
			vmb_hist_free(h);
			h->sub_bits = HIST_SUB_BITS;
			cap = 0;
			next = 1;
			parts = r.parts;
		}
		if (r.part != next || r.parts != parts || r.n != vmb_num(result, "n", -1))
			continue;
		if (h->nb + r.npairs > cap) {
			cap = (h->nb + r.npairs) * 2;
			unsigned *idx = realloc(h->idx, cap * sizeof(*idx));
			if (idx)
				h->idx = idx;
			unsigned long long *count = realloc(h->count, cap * sizeof(*count));
			if (count)
				h->count = count;
			if (!idx || !count)
				break;
		}
		for (unsigned i = 0; i < r.npairs; i++) {
			/* parts continue in increasing order */
			if (h->nb && r.idx[i] <= h->idx[h->nb - 1])
				goto out;
			h->idx[h->nb] = r.idx[i];
			h->count[h->nb++] = r.count[i];
			h->n += r.count[i];
		}
		if (next++ == parts && (double)h->n == vmb_num(result, "n", -1))
			return true;
	}
out:
	vmb_hist_free(h);
	return false;
}

void vmb_hist_free(struct vmb_hist *h)
{
	free(h->idx);
	free(h->count);
	memset(h, 0, sizeof(*h));
}
