/*
 * The one-way figure's checks (bench/oneway.h): each rule names what a
 * correct offset cannot produce, so a refusal says what went wrong.
 */
#include <stdio.h>

#include <bench/oneway.h>

void oneway_count(struct oneway_tally *t, int64_t one_way, uint64_t round_trip, uint64_t slack)
{
	t->n++;
	if (one_way < 0)
		t->early++;
	else if ((uint64_t)one_way > round_trip + slack)
		t->late++;
}

/* The wider of the offset's two measured uncertainties. */
static uint64_t wider_of(const struct oneway_evidence *e)
{
	return e->before > e->after ? e->before : e->after;
}

uint64_t oneway_uncertainty(const struct oneway_evidence *e)
{
	uint64_t wider = wider_of(e);
	uint64_t moved = e->drift < 0 ? 0 - (uint64_t)e->drift : (uint64_t)e->drift;

	return wider + moved;
}

/* Samples no correct offset could have given: the offset is wrong. */
static bool refuse_samples(char *why, size_t len, uint64_t bad, uint64_t n, const char *what)
{
	snprintf(why, len,
		 "%llu of %llu samples %s after the clock-offset correction: offset not trusted",
		 (unsigned long long)bad, (unsigned long long)n, what);
	return false;
}

bool oneway_trusted(const struct oneway_evidence *e, char *why, size_t len)
{
	const struct oneway_tally *t = &e->tally;
	uint64_t u = oneway_uncertainty(e);
	uint64_t wider = wider_of(e);

	if (!t->n) {
		snprintf(why, len, "no one-way sample was taken");
		return false;
	}
	if (t->early)
		return refuse_samples(why, len, t->early, t->n, "arrived before they were sent");
	/* Each sample's round trip bounds its own one-way time: one beyond
	 * it (and the offset's uncertainty) proves the offset wrong then. */
	if (t->late)
		return refuse_samples(why, len, t->late, t->n,
				      "took longer one way than their own round trip");
	if (!e->remeasured) {
		snprintf(why, len,
			 "the clock offset of CPU %u could not be measured again after sampling, "
			 "so its drift is not known",
			 e->cpu);
		return false;
	}
	if (u * 100 > e->p50 * ONEWAY_MAX_UNCERTAINTY_PERCENT) {
		if (u - wider > wider)
			snprintf(
				why, len,
				"one-way figure (p50 %llu ticks) not printed: the clocks of CPU 0 "
				"and CPU %u drifted %lld ticks apart while it was measured, so the "
				"offset is known only to +-%llu ticks (over %u%%)",
				(unsigned long long)e->p50, e->cpu, (long long)e->drift,
				(unsigned long long)u, ONEWAY_MAX_UNCERTAINTY_PERCENT);
		else
			snprintf(why, len,
				 "one-way figure (p50 %llu ticks) not printed: the clock offset of "
				 "CPU %u is known only to +-%llu ticks (over %u%%)",
				 (unsigned long long)e->p50, e->cpu, (unsigned long long)u,
				 ONEWAY_MAX_UNCERTAINTY_PERCENT);
		return false;
	}
	/* The round trip printed beside it: a one-way median above it, by
	 * more than the offset can be wrong, contradicts it. */
	if (e->rtt_p50 && e->p50 > e->rtt_p50 + u) {
		snprintf(why, len,
			 "one-way figure (p50 %llu ticks) not printed: longer than the round trip "
			 "%s measured in this run (p50 %llu ticks), which is impossible; the "
			 "delivery or the clocks changed between the two",
			 (unsigned long long)e->p50, e->rtt_name ? e->rtt_name : "",
			 (unsigned long long)e->rtt_p50);
		return false;
	}
	return true;
}
