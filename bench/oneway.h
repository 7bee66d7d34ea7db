/*
 * Whether a one-way figure can be printed. A one-way time (sent on one
 * CPU, seen arriving on another's clock) rests on the offset between the
 * two clocks; when that offset is wrong the figure is wrong, and it can
 * even come out longer than the round trip it is part of, which is
 * impossible. These checks keep such a figure out of the results. Plain
 * C without the platform, so that the host's unit tests drive it with
 * synthetic samples.
 */
#ifndef VMB_ONEWAY_H
#define VMB_ONEWAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The offset's uncertainty (drift included) must stay below this
 * fraction of the figure. */
#define ONEWAY_MAX_UNCERTAINTY_PERCENT 10

/* Samples seen so far, and those no correct offset could have given. */
struct oneway_tally {
	uint64_t n;
	uint64_t early; /* arrived before they were sent */
	uint64_t late;	/* took longer one way than their own round trip */
};

/* One sample: one_way = arrival minus send minus the offset, and the
 * same send's round trip until the answer was seen on the sender's own
 * clock, both in reference ticks; slack = the offset's uncertainty. */
void oneway_count(struct oneway_tally *t, int64_t one_way, uint64_t round_trip, uint64_t slack);

struct oneway_evidence {
	struct oneway_tally tally;
	uint64_t p50;		/* of the one-way samples, ticks */
	uint64_t before, after; /* the offset's uncertainty around sampling */
	int64_t drift;		/* the offset after sampling minus before */
	bool remeasured;	/* the offset was measured again after */
	uint64_t rtt_p50;	/* the round trip this run printed, same ticks; 0: none */
	const char *rtt_name;	/* its benchmark, for the reason */
	unsigned cpu;		/* the receiving CPU */
};

/* The offset's whole uncertainty: the wider of the two measurements
 * plus how far the offset moved between them. */
uint64_t oneway_uncertainty(const struct oneway_evidence *e);

/* True when the figure can be printed; otherwise false and the reason,
 * one sentence, in why. */
bool oneway_trusted(const struct oneway_evidence *e, char *why, size_t len);

#endif
