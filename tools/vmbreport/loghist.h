/*
 * The reader's side of hist records (protocol v4, docs/protocol.md
 * "hist"): decoding one record, checking it against the result it
 * follows. The API (struct vmb_hist, vmb_log_hist) is in logparse.h.
 */
#ifndef VMB_LOGHIST_H
#define VMB_LOGHIST_H

#include <stdbool.h>

#include <cjson/cJSON.h>

#include <vmb/hist.h>

/* One record's buckets, absolute indexes, in increasing order. */
struct vmb_hist_rec {
	unsigned part, parts, npairs;
	double n;
	unsigned idx[HIST_RECORD_PAIRS];
	unsigned long long count[HIST_RECORD_PAIRS];
};

/* Decodes rec into h; NULL when it is whole, else what is wrong with it. */
const char *vmb_hist_decode(const cJSON *rec, struct vmb_hist_rec *h);

/* The result whose hist records may follow, while they do. */
struct vmb_hist_seq {
	bool open; /* the last record was its result or one of its hists */
	char bench[64];
	double n;	/* the result's */
	unsigned next;	/* the part due next, 1 first */
	unsigned parts; /* as its first hist record said */
	unsigned long long sum;
};

/* A result was read: its hist records may follow. */
void vmb_hist_seq_result(struct vmb_hist_seq *s, const cJSON *result);
/* A hist record was read; NULL when it fits the sequence, else why not.
 * Whole or not, it moves the sequence on. */
const char *vmb_hist_seq_hist(struct vmb_hist_seq *s, const cJSON *rec);
/* Any other record (or the log's end): NULL, or the parts still missing. */
const char *vmb_hist_seq_other(struct vmb_hist_seq *s, char *why, size_t len);

#endif
